#include <string.h>
#include "CLua.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Whether a chunk is mpf's own library (loaded as "=mpf" and "=mpf.NAME"): a message never
 * points into it, since its user cannot act on it. */
static int clua_islibrary(const char *source) {
  return strcmp(source, "=mpf") == 0 || strncmp(source, "=mpf.", 5) == 0;
}

/* Pushes "file:line: " of the user's code that led to this call: the first Lua frame from
 * `level` up that is neither C nor mpf's library (the one place host errors find the user's
 * line; lua/stdlib's util.raise does the same for the library's own errors). Empty when no
 * such frame has a line. */
static void clua_userwhere(lua_State *L, int level) {
  lua_Debug ar;
  for (int lv = level; lua_getstack(L, lv, &ar); lv++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0 && strcmp(ar.what, "C") != 0 && !clua_islibrary(ar.source)) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      if (ar.source[0] == '@') { /* the whole path: short_src cuts long ones to 60 characters */
        lua_pop(L, 1);
        lua_pushfstring(L, "%s:%d: ", ar.source + 1, ar.currentline);
      }
      return;
    }
  }
  lua_pushliteral(L, "");
}

/* Upvalue 1: the Swift dispatch function; upvalue 2: the Swift closure box (light userdata).
 * Swift has returned by the time we look at its result, so raising here is safe. */
static int clua_trampoline(lua_State *L) {
  lua_CFunction dispatch = lua_tocfunction(L, lua_upvalueindex(1));
  int nresults = dispatch(L);
  if (nresults == CLUA_RAISE) {
    clua_userwhere(L, 1); /* "script.lua:12: " of the user's line, even through mpf's library */
    lua_insert(L, -2);
    lua_concat(L, 2);
    return lua_error(L);
  }
  return nresults;
}

void clua_pushswiftfunction(lua_State *L, lua_CFunction dispatch, void *box) {
  lua_pushcfunction(L, dispatch);
  lua_pushlightuserdata(L, box);
  lua_pushcclosure(L, clua_trampoline, 2);
}

/* Pushes `msg`, its leading "file:line:" given the file's whole path: Lua names a file by its
 * short_src, which cuts a path of over 60 characters to "..." and its tail. The frame whose
 * short_src and line start the message (error's level may point to any) gives the path. */
static void clua_pushwholepath(lua_State *L, lua_State *from, int level, const char *msg, size_t len) {
  lua_Debug ar;
  for (int lv = level; lua_getstack(from, lv, &ar); lv++) {
    lua_getinfo(from, "Sl", &ar);
    if (ar.source[0] != '@' || ar.currentline <= 0 || strcmp(ar.short_src, ar.source + 1) == 0) continue;
    const char *where = lua_pushfstring(L, "%s:%d:", ar.short_src, ar.currentline);
    size_t n = strlen(where);
    lua_pop(L, 1);
    if (len >= n && memcmp(msg, where, n) == 0) {
      size_t cut = strlen(ar.short_src);
      lua_pushstring(L, ar.source + 1);
      lua_pushlstring(L, msg + cut, len - cut);
      lua_concat(L, 2);
      return;
    }
  }
  lua_pushlstring(L, msg, len); /* with its length: a NUL in a message does not end it */
}

void clua_pusherrorinfo(lua_State *L, lua_State *from, int level, const char *msg, size_t len) {
  lua_createtable(L, 0, 4);
  clua_pushwholepath(L, from, level, msg, len);
  lua_setfield(L, -2, "message");
  luaL_traceback(L, from, NULL, level);
  lua_setfield(L, -2, "traceback");
  lua_Debug ar;
  for (int lv = level; lua_getstack(from, lv, &ar); lv++) {
    lua_getinfo(from, "Sl", &ar);
    if (ar.currentline > 0 && ar.source[0] == '@') {
      lua_pushstring(L, ar.source + 1); /* the whole path, not short_src's tail */
      lua_setfield(L, -2, "source");
      lua_pushinteger(L, ar.currentline);
      lua_setfield(L, -2, "line");
      break;
    }
  }
}

int clua_msghandler(lua_State *L) {
  size_t len = 0;
  const char *msg = lua_tolstring(L, 1, &len);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tolstring(L, -1, &len);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1)), len = strlen(msg);
  }
  clua_pusherrorinfo(L, L, 1, msg, len);
  return 1;
}

/* The deadline of the function running now in a state (CLOCK_MONOTONIC seconds; 0: none).
 * Each state has its own, reached through the state's extra space (which every coroutine of
 * the state copies), so that states on different threads never share a deadline. */
typedef struct {
  double at;
  double length;
  /* Set by clua_interrupt (another thread, Ctrl-C in `mpf repl`); the hook raises it. */
  volatile int interrupted;
} clua_deadline_t;

static clua_deadline_t *clua_deadline_of(lua_State *L) { return *(clua_deadline_t **)lua_getextraspace(L); }

lua_State *clua_newstate(void) {
  clua_deadline_t *deadline = calloc(1, sizeof *deadline);
  if (!deadline) return NULL;
  lua_State *L = luaL_newstate();
  if (!L) {
    free(deadline);
    return NULL;
  }
  *(clua_deadline_t **)lua_getextraspace(L) = deadline;
  return L;
}

void clua_close(lua_State *L) {
  clua_deadline_t *deadline = clua_deadline_of(L);
  lua_close(L);
  free(deadline);
}

static double clua_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clua_deadline_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  clua_deadline_t *deadline = clua_deadline_of(L);
  if (deadline->at > 0 && clua_now() > deadline->at)
    luaL_error(L, "timeout: the function ran longer than %f s", deadline->length);
}

/* The hook a deadline needs, or none. */
static void clua_restore_hook(lua_State *L) {
  if (clua_deadline_of(L)->at > 0) lua_sethook(L, clua_deadline_hook, LUA_MASKCOUNT, 10000);
  else lua_sethook(L, NULL, 0, 0);
}

static void clua_interrupt_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  clua_deadline_t *deadline = clua_deadline_of(L);
  if (!deadline->interrupted) return;
  deadline->interrupted = 0;
  clua_restore_hook(L);
  luaL_error(L, "interrupted");
}

void clua_interrupt(lua_State *L) {
  clua_deadline_of(L)->interrupted = 1;
  /* lua_sethook may be called from another thread or a signal handler (lua.c does). */
  lua_sethook(L, clua_interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void clua_clear_interrupt(lua_State *L) {
  clua_deadline_t *deadline = clua_deadline_of(L);
  if (!deadline->interrupted) return;
  deadline->interrupted = 0;
  clua_restore_hook(L);
}

int clua_deadline_passed(lua_State *L) {
  clua_deadline_t *deadline = clua_deadline_of(L);
  return deadline->at > 0 && clua_now() > deadline->at;
}

void clua_set_deadline(lua_State *L, double seconds) {
  clua_deadline_t *deadline = clua_deadline_of(L);
  if (seconds > 0) {
    deadline->length = seconds;
    deadline->at = clua_now() + seconds;
    lua_sethook(L, clua_deadline_hook, LUA_MASKCOUNT, 10000);
  } else {
    deadline->at = 0;
    lua_sethook(L, NULL, 0, 0);
  }
}

/* Host objects ---------------------------------------------------------------------------- */

static void (*clua_object_release)(void *) = NULL;
static const char clua_object_marker[] = "__mpf_object";

void clua_set_object_release(void (*release)(void *)) { clua_object_release = release; }

static int clua_object_gc(lua_State *L) {
  void **slot = (void **)lua_touserdata(L, 1);
  if (slot && *slot && clua_object_release) clua_object_release(*slot);
  if (slot) *slot = NULL;
  return 0;
}

int clua_newobjecttype(lua_State *L, const char *tname) {
  if (!luaL_newmetatable(L, tname)) { lua_pop(L, 1); return 0; }
  lua_pushcfunction(L, clua_object_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, clua_object_marker);
  lua_pop(L, 1);
  return 1;
}

void clua_pushobject(lua_State *L, void *object, const char *tname) {
  clua_newobjecttype(L, tname); /* so that __gc always releases the object */
  void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
  *slot = object;
  luaL_setmetatable(L, tname);
}

void *clua_toobject(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
  lua_pushstring(L, clua_object_marker);
  lua_rawget(L, -2);
  int marked = lua_toboolean(L, -1);
  lua_pop(L, 2);
  if (!marked) return NULL;
  void **slot = (void **)lua_touserdata(L, idx);
  return slot ? *slot : NULL;
}
