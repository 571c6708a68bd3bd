/* CLua: Debian's Lua 5.4 headers plus what Swift cannot import from them.
 *
 * Lua's function-like macros (lua_pcall, lua_pop, lua_upvalueindex, ...) are invisible to
 * Swift, so each one we use is re-declared here as a static inline function named clua_*.
 * The error trampoline lives in shim.c: a Lua error must never longjmp through a Swift frame.
 */
#ifndef CLUA_H
#define CLUA_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

/* Returned by a Swift function to ask clua_trampoline to raise the string on top of the stack. */
#define CLUA_RAISE (-1)

/* Why: LUA_REGISTRYINDEX is an expression macro Swift does not import. */
static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
/* Why: lua_upvalueindex is a function-like macro. */
static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
/* Why: lua_pcall is a macro over lua_pcallk. */
static inline int clua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
  return lua_pcall(L, nargs, nresults, msgh);
}
/* Why: lua_pop is a macro over lua_settop. */
static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
/* Why: lua_gc is variadic, which Swift cannot call. */
static inline void clua_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
/* Why: lua_newtable is a macro over lua_createtable. */
static inline void clua_newtable(lua_State *L) { lua_newtable(L); }
/* Why: lua_tostring is a macro over lua_tolstring. */
static inline const char *clua_tostring(lua_State *L, int i) { return lua_tostring(L, i); }
/* Why: lua_tonumber / lua_tointeger are macros over the *x variants. */
static inline lua_Number clua_tonumber(lua_State *L, int i) { return lua_tonumber(L, i); }
static inline lua_Integer clua_tointeger(lua_State *L, int i) { return lua_tointeger(L, i); }
/* Why: lua_insert / lua_remove are macros over lua_rotate. */
static inline void clua_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void clua_remove(lua_State *L, int i) { lua_remove(L, i); }
/* Why: lua_pushglobaltable is a macro over lua_rawgeti on the registry. */
static inline void clua_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
/* Why: lua_isinteger is a function but lua_isnoneornil is a macro. */
static inline int clua_isnoneornil(lua_State *L, int i) { return lua_isnoneornil(L, i); }
/* Why: luaL_loadbuffer is a macro over luaL_loadbufferx. */
static inline int clua_loadbuffer(lua_State *L, const char *buf, size_t size, const char *name) {
  return luaL_loadbufferx(L, buf, size, name, "t");
}

/* Pushes a Lua closure that calls `dispatch` with `box` as its upvalue 2 and raises the string
 * that `dispatch` leaves on the stack when it returns CLUA_RAISE. */
void clua_pushswiftfunction(lua_State *L, lua_CFunction dispatch, void *box);

/* Message handler for lua_pcall: turns any error value into a table
 * { message = string, traceback = string, source = the whole path, line = n } where source/line
 * are those of the innermost Lua frame outside mpf's own chunks (names starting with '='). */
int clua_msghandler(lua_State *L);

/* Pushes onto L the same table clua_msghandler builds, for the stack of `from` starting at
 * `level` (used for a coroutine that died with an error: its stack is still there). */
void clua_pusherrorinfo(lua_State *L, lua_State *from, int level, const char *msg, size_t len);

/* Makes Lua code raise "timeout: ..." once `seconds` have passed (an instruction-count hook
 * looks at the clock); 0 removes the deadline. Why in C: the hook raises, which must not
 * happen in a Swift frame. */
void clua_set_deadline(lua_State *L, double seconds);
/* Whether the deadline set last has passed (the hook raised, or would at its next count). */
int clua_deadline_passed(lua_State *L);
/* A state with the room its deadline needs (luaL_newstate + that room); NULL without memory. */
/* Makes the code running in L raise "interrupted" at its next instruction (callable from
 * another thread); clua_clear_interrupt forgets an interrupt that was not raised. */
void clua_interrupt(lua_State *L);
void clua_clear_interrupt(lua_State *L);
lua_State *clua_newstate(void);
/* Closes a state made by clua_newstate. */
void clua_close(lua_State *L);

/* Host objects: a full userdata holding one retained Swift object (a `LuaObject`), of a type
 * whose metatable (luaL_newmetatable) has a __gc that hands the object back to `release`. */
void clua_set_object_release(void (*release)(void *));
/* Creates the metatable of object type `tname` (with __gc and a marker); 0 if it existed. */
int clua_newobjecttype(lua_State *L, const char *tname);
/* Pushes a new userdata holding `object`, with the metatable of `tname` (made if missing). */
void clua_pushobject(lua_State *L, void *object, const char *tname);
/* The object held by the userdata at `idx`, or NULL when it is not a host object (raw reads). */
void *clua_toobject(lua_State *L, int idx);

#endif
