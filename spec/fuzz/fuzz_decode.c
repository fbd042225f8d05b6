/*
** fuzz_decode.c: a libFuzzer target for the answer side of the core.
**
** Each input is taken as the body of an answer and fed, inside a real Lua
** state with the real lua-cjson, through the decoding and mapping of every
** endpoint (core.decode), with a success status and with an error status.
** Besides crashes and sanitizer reports, it checks the contract: decode
** never raises, returns a result or nil and an error object, and no JSON
** null, no non-integral time and no numeric id ever reaches a result.
** And it compares the two decoders: whatever the fused decoder takes, the
** reference path (lua-cjson + the mapper) must take too, with a result
** equal in every value, integer/float subtype and metatable.
**
**   make fuzz FUZZ_TIME=60
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lua.h"
#include "lualib.h"
#include "lauxlib.h"

int luaopen_clickup_time_core(lua_State *L);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;
static int check_ref;

static const char check_src[] =
  "local core = ...\n"
  "local mtype = math.type\n"
  "-- the contract's types: a schema per result; LIST(x) is a sequence of x\n"
  "local I, S = 'integer', 'string'\n"
  "local function LIST(item) return { list = item } end\n"
  "local tag = { creator = I }\n"
  "local entry = { id = S, wid = S, start = I, ['end'] = I, duration = I, at = I,\n"
  "  task = { id = S, custom_type = I, status = { orderindex = I } }, user = { id = I },\n"
  "  task_location = { list_id = S, folder_id = S, space_id = S },\n"
  "  tags = LIST(tag), task_tags = LIST(tag) }\n"
  "local usertime = { time = I, user = { id = I },\n"
  "  intervals = LIST{ id = S, start = I, ['end'] = I, time = I, date_added = I } }\n"
  "local SCHEMA = { entries = LIST(entry), delete = LIST(entry), entry = entry, create = entry,\n"
  "  update = entry, current = entry, start = entry, stop = entry, tags = LIST(tag),\n"
  "  task_time = LIST(usertime), add_task_time = { id = S } }\n"
  "local function kind(v)\n"
  "  if type(v) == 'number' then return mtype(v) end\n"
  "  return type(v)\n"
  "end\n"
  "local function walk(t, schema, depth, where)\n"
  "  assert(depth < 200, 'too deep')\n"
  "  for k, v in pairs(t) do\n"
  "    assert(type(v) ~= 'userdata', 'null in a result at ' .. where)\n"
  "    local sub = schema and (schema.list or schema[k])\n"
  "    if type(sub) == 'string' then\n"
  "      assert(kind(v) == sub, where .. '.' .. tostring(k) .. ' is a ' .. kind(v))\n"
  "    elseif type(v) == 'table' then\n"
  "      walk(v, sub, depth + 1, where .. '.' .. tostring(k))\n"
  "    end\n"
  "  end\n"
  "end\n"
  "local function same(a, b, where)\n"
  "  if type(a) ~= 'table' or type(b) ~= 'table' then\n"
  "    assert(kind(a) == kind(b) and (a == b or (a ~= a and b ~= b)),\n"
  "      'fused and reference differ at ' .. where .. ': ' .. tostring(a) .. ' vs ' .. tostring(b))\n"
  "    return\n"
  "  end\n"
  "  assert(getmetatable(a) == getmetatable(b), 'metatables differ at ' .. where)\n"
  "  for k, v in pairs(a) do same(v, b[k], where .. '.' .. tostring(k)) end\n"
  "  for k in pairs(b) do assert(a[k] ~= nil, 'fused lacks ' .. where .. '.' .. tostring(k)) end\n"
  "end\n"
  "local names = {}\n"
  "for i, ep in ipairs(core.endpoints) do names[i] = ep.name end\n"
  "return function(body)\n"
  "  for _, status in ipairs{ 200, 401 } do\n"
  "    for _, name in ipairs(names) do\n"
  "      local r, err = core.decode(name, body, status)\n"
  "      if r == nil then\n"
  "        assert(getmetatable(err) == core.Error, 'not an error object')\n"
  "        assert(type(err.message) == 'string' and type(err.code) == 'string')\n"
  "        assert(tostring(err):find('\\n', 1, true) == nil, 'multi-line tostring')\n"
  "      else\n"
  "        assert(status < 300, 'a result for an error status')\n"
  "        if type(r) == 'table' then walk(r, SCHEMA[name], 0, name) end\n"
  "      end\n"
  "      local f, ferr = core.decode(name, body, status, 'fused')\n"
  "      local g, gerr = core.decode(name, body, status, 'reference')\n"
  "      if f ~= nil then\n"
  "        assert(g ~= nil, 'the fused decoder took what the reference refuses: ' .. tostring(gerr))\n"
  "        same(f, g, name)\n"
  "      elseif ferr.kind == 'api' and gerr and ferr.code ~= gerr.code then\n"
  "        assert(ferr.code == 'HTTP_' .. status, 'error codes differ: ' .. ferr.code .. ' vs ' .. gerr.code)\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "end\n";


int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "clickup.time.core", luaopen_clickup_time_core, 0);  /* core */
  if (luaL_loadbuffer(L, check_src, sizeof check_src - 1, "=check") != 0) {
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    abort();
  }
  lua_insert(L, -2);                                /* chunk core */
  if (lua_pcall(L, 1, 1, 0) != 0) {                 /* check */
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    abort();
  }
  check_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, check_ref);
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 0, 0) != 0) {
    fprintf(stderr, "contract broken: %s\n", lua_tostring(L, -1));
    abort();
  }
  if (lua_gettop(L) != top)
    abort();
  /* what the run made is freed within it: libFuzzer's leak check then
     only runs when C code really leaked (it is slow when it runs) */
  lua_gc(L, LUA_GCCOLLECT, 0);
  return 0;
}
