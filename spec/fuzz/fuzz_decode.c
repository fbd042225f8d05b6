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
** equal in every value, integer/float subtype and metatable, and the same
** anomalies. A descriptive field of another type than the schema's must
** be an anomaly, an essential one never is; strict mode takes exactly the
** answers without anomalies, with the same result.
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
  "-- the contract's types: a schema per result; LIST(x) is a sequence of x;\n"
  "-- a capital letter is an essential field's type (never anything else)\n"
  "local I, S, B, SI, IE, SE = 'integer', 'string', 'boolean', 'string or integer', 'INTEGER', 'STRING'\n"
  "local function LIST(item) return { list = item } end\n"
  "local tag = { name = SE, tag_fg = S, tag_bg = S, creator = I }\n"
  "local user = { id = I, username = S, email = S, color = S, initials = S, profilePicture = S, timezone = S }\n"
  "local entry = { id = SE, wid = S, start = IE, ['end'] = I, duration = I, at = I, billable = B,\n"
  "  is_locked = B, description = S, source = S, task_url = S, approval_id = S,\n"
  "  task = { id = S, name = S, custom_id = S, custom_type = SI,\n"
  "           status = { orderindex = I, status = S, color = S, type = S, id = S } }, user = user,\n"
  "  task_location = { list_id = S, folder_id = S, space_id = S, list_name = S },\n"
  "  tags = LIST(tag), task_tags = LIST(tag) }\n"
  "local usertime = { time = I, user = user,\n"
  "  intervals = LIST{ id = SE, start = I, ['end'] = I, time = I, date_added = I, billable = B } }\n"
  "local SCHEMA = { entries = LIST(entry), delete = LIST(entry), entry = entry, create = entry,\n"
  "  update = entry, current = entry, start = entry, stop = entry, tags = LIST(tag),\n"
  "  task_time = LIST(usertime), add_task_time = { id = SE },\n"
  "  teams = LIST{ id = S, name = S, members = LIST{ user = { id = I, role = I } } } }\n"
  "local function kind(v)\n"
  "  if type(v) == 'number' then return mtype(v) end\n"
  "  return type(v)\n"
  "end\n"
  "local function fits(v, t)\n"
  "  t = t:lower()\n"
  "  if t == SI then return kind(v) == 'string' or kind(v) == 'integer' end\n"
  "  return kind(v) == t\n"
  "end\n"
  "-- an odd value must be an anomaly of that field (its path ends with the key);\n"
  "-- with more than the list keeps, it may be among the rest\n"
  "local function walk(t, schema, depth, where, odd)\n"
  "  assert(depth < 200, 'too deep')\n"
  "  if getmetatable(t) == core.Entry then assert(type(t.id) == 'string', 'entry without an id') end\n"
  "  for k, v in pairs(t) do\n"
  "    assert(type(v) ~= 'userdata', 'null in a result at ' .. where)\n"
  "    local sub = schema and (schema.list or schema[k])\n"
  "    if schema and schema.list and type(k) ~= 'number' then sub = nil end  -- an object kept raw\n"
  "    if type(sub) == 'string' and not fits(v, sub) then\n"
  "      assert(sub == sub:lower(), 'an essential field of the wrong type: ' .. where .. '.' .. tostring(k))\n"
  "      assert(odd.more > 0 or odd.keys[k], where .. '.' .. tostring(k) .. ' is a ' .. kind(v) .. ', no anomaly')\n"
  "    elseif type(v) == 'table' then\n"
  "      walk(v, type(sub) == 'table' and sub or nil, depth + 1, where .. '.' .. tostring(k), odd)\n"
  "    end\n"
  "  end\n"
  "end\n"
  "local NONE = { more = 0, keys = {} }\n"
  "local function check_anomalies(a)\n"
  "  if a == nil then return NONE end\n"
  "  assert(#a >= 1 and #a <= 100, 'anomalies: ' .. #a .. ' kept')\n"
  "  assert(mtype(a.more) == 'integer' and a.more >= 0 and (a.more == 0 or #a == 100), 'anomalies: more')\n"
  "  local keys = {}\n"
  "  for _, x in ipairs(a) do\n"
  "    assert(type(x.path) == 'string' and type(x.expected) == 'string' and type(x.got) == 'string')\n"
  "    keys[x.path:match('([%w_]+)$') or ''] = true\n"
  "  end\n"
  "  return { more = a.more, keys = keys }\n"
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
  "local function set(a)\n"
  "  if a == nil then return 'none' end\n"
  "  local t = {}\n"
  "  for i, x in ipairs(a) do t[i] = x.path .. ' ' .. x.expected .. ' ' .. x.got end\n"
  "  table.sort(t)\n"
  "  return (a.more > 0 and '' or table.concat(t, ';')) .. ' +' .. (#a + a.more)\n"
  "end\n"
  "local names = {}\n"
  "for i, ep in ipairs(core.endpoints) do names[i] = ep.name end\n"
  "return function(body)\n"
  "  for _, status in ipairs{ 200, 401 } do\n"
  "    for _, name in ipairs(names) do\n"
  "      local r, err, anomalies = core.decode(name, body, status)\n"
  "      if r == nil then\n"
  "        assert(getmetatable(err) == core.Error, 'not an error object')\n"
  "        assert(type(err.message) == 'string' and type(err.code) == 'string')\n"
  "        assert(tostring(err):find('\\n', 1, true) == nil, 'multi-line tostring')\n"
  "      else\n"
  "        assert(status < 300, 'a result for an error status')\n"
  "        assert(err == nil, 'a result and an error')\n"
  "        local odd = check_anomalies(anomalies)\n"
  "        if type(r) == 'table' then walk(r, SCHEMA[name], 0, name, odd) end\n"
  "        -- strict: the same result without anomalies, a bad_shape with them\n"
  "        local s, serr = core.decode(name, body, status, nil, true)\n"
  "        if anomalies == nil then\n"
  "          same(r, s, name .. ' (strict)')\n"
  "        else\n"
  "          assert(s == nil and serr.code == 'bad_shape', name .. ': strict took an answer with anomalies')\n"
  "        end\n"
  "      end\n"
  "      local f, ferr, fa = core.decode(name, body, status, 'fused')\n"
  "      local g, gerr, ga = core.decode(name, body, status, 'reference')\n"
  "      if f ~= nil then\n"
  "        assert(g ~= nil, 'the fused decoder took what the reference refuses: ' .. tostring(gerr))\n"
  "        same(f, g, name)\n"
  "        assert(set(fa) == set(ga), name .. ': anomalies differ: ' .. set(fa) .. ' vs ' .. set(ga))\n"
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
