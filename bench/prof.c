/*
** bench/prof.c: a minimal lua5.4 host linked with Debian's static
** liblua5.4.a, whose symbol table (unlike the stripped /usr/bin/lua5.4)
** names Lua's own functions (luaH_newkey, luaC_step, ...), so that
** callgrind and perf can say what the core's time goes to.
**
**   build/bench/prof SCRIPT [args...]      (arg[] as lua5.4 sets it)
**   valgrind --tool=callgrind build/bench/prof bench/prof.lua ...
**
** Linked with -Wl,-E so that C modules (cjson.so, core.so) resolve the Lua
** API from this executable.
*/
#include <stdio.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

int main(int argc, char **argv) {
  lua_State *L;
  int i, rc;
  if (argc < 2) {
    fprintf(stderr, "usage: %s SCRIPT [args...]\n", argv[0]);
    return 2;
  }
  L = luaL_newstate();
  luaL_openlibs(L);
  lua_createtable(L, argc, 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  rc = luaL_loadfile(L, argv[1]);
  if (rc == LUA_OK) {
    for (i = 2; i < argc; i++)
      lua_pushstring(L, argv[i]);
    rc = lua_pcall(L, argc - 2, 0, 0);
  }
  if (rc != LUA_OK)
    fprintf(stderr, "prof: %s\n", lua_tostring(L, -1));
  lua_close(L);
  return rc == LUA_OK ? 0 : 1;
}
