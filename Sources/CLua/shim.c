#include "CLua.h"

/* Upvalue 1: the Swift dispatch function; upvalue 2: the Swift closure box (light userdata).
 * Swift has returned by the time we look at its result, so raising here is safe. */
static int clua_trampoline(lua_State *L) {
  lua_CFunction dispatch = lua_tocfunction(L, lua_upvalueindex(1));
  int nresults = dispatch(L);
  if (nresults == CLUA_RAISE) {
    luaL_where(L, 1); /* "script.lua:12: " of the Lua caller, empty for C callers */
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

void clua_pusherrorinfo(lua_State *L, lua_State *from, int level, const char *msg) {
  lua_createtable(L, 0, 4);
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  luaL_traceback(L, from, NULL, level);
  lua_setfield(L, -2, "traceback");
  lua_Debug ar;
  for (int lv = level; lua_getstack(from, lv, &ar); lv++) {
    lua_getinfo(from, "Sl", &ar);
    if (ar.currentline > 0 && ar.source[0] == '@') {
      lua_pushstring(L, ar.short_src);
      lua_setfield(L, -2, "source");
      lua_pushinteger(L, ar.currentline);
      lua_setfield(L, -2, "line");
      break;
    }
  }
}

int clua_msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  clua_pusherrorinfo(L, L, 1, msg);
  return 1;
}
