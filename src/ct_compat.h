/*
** ct_compat.h: the few places where Lua versions differ, in one header.
** Lua 5.4 is the reference; 5.1/LuaJIT and 5.2/5.3 get small shims here and
** nowhere else (LPeg's lptypes.h approach).
*/
#ifndef CT_COMPAT_H
#define CT_COMPAT_H

#include "lua.h"
#include "lauxlib.h"

#if LUA_VERSION_NUM < 502
#define ct_rawlen(L, i)      lua_objlen(L, (i))
#define ct_setfuncs(L, l, n) ct_compat_setfuncs(L, l, n)
#else
#define ct_rawlen(L, i)      lua_rawlen(L, (i))
#define ct_setfuncs(L, l, n) luaL_setfuncs(L, l, n)
#endif

#if LUA_VERSION_NUM < 503
/* no integer subtype: integers are exact doubles below 2^53 */
#define ct_pushint(L, v)   lua_pushnumber(L, (lua_Number)(v))
#define ct_isinteger(L, i) 0
#else
#define ct_pushint(L, v)   lua_pushinteger(L, (lua_Integer)(v))
#define ct_isinteger(L, i) lua_isinteger(L, (i))
#endif

#if LUA_VERSION_NUM < 504
#define ct_newuserdata(L, s) lua_newuserdata(L, (s))
#else
#define ct_newuserdata(L, s) lua_newuserdatauv(L, (s), 1)
#endif

#if LUA_VERSION_NUM < 502
/* luaL_setfuncs of 5.2, for 5.1 (LuaJIT 2.1 has its own, but we keep one path) */
static inline void ct_compat_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  int i;
  luaL_checkstack(L, nup, "too many upvalues");
  for (; l->name != NULL; l++) {
    for (i = 0; i < nup; i++)
      lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}
#endif

#endif
