-- spec/support.lua: small helpers shared by the specs.

local M = {}

--- The text of spec/fixtures/<name>.json (real answers quoted in the notes).
function M.fixture(name)
  local f = assert(io.open("spec/fixtures/" .. name .. ".json", "rb"))
  local s = f:read("*a")
  f:close()
  return (s:gsub("%s+$", ""))
end

--- math.type where it exists; on 5.1/LuaJIT an integral number counts as "integer".
function M.numtype(x)
  if type(x) ~= "number" then return nil end
  if math.type then return math.type(x) end
  return x == math.floor(x) and "integer" or "float"
end

--- A port on 127.0.0.1 where nothing listens (bound, then closed).
function M.closed_port()
  local socket = require "socket"
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  s:close()
  return port
end

--- A client of the local server `server` (extra options merged in).
function M.client(server, extra)
  local opts = { token = server.token, team_id = server.team_id, base_url = server.base_url }
  for k, v in pairs(extra or {}) do opts[k] = v end
  return require("clickup.time").new(opts)
end

--- The id of the seeded entry of `server` with this description.
function M.seeded(server, description)
  for _, e in ipairs(server:state().entries) do
    if e.description == description then return e.id end
  end
  error("no seeded entry " .. description, 2)
end

-- where each object of core.fields sits in an answer: the endpoint, a body
-- with the object at %s, and its path
local PLACES = {
  entry = { "entries", '{"data":[%s]}', "data[1]" },
  task = { "entries", '{"data":[{"id":"1","start":"5","task":%s}]}', "data[1].task" },
  status = { "entries", '{"data":[{"id":"1","task":{"id":"t","status":%s}}]}', "data[1].task.status" },
  user = { "entry", '{"data":{"id":"1","user":%s}}', "data.user" },
  location = { "delete", '{"data":[{"id":"1","task_location":%s}]}', "data[1].task_location" },
  tag = { "tags", '{"data":[%s]}', "data[1]" },
  usertime = { "task_time", '{"data":[%s]}', "data[1]" },
  interval = { "task_time", '{"data":[{"time":"5","intervals":[%s]}]}', "data[1].intervals[1]" },
  team = { "teams", '{"teams":[%s]}', "teams[1]" },
  member = { "teams", '{"teams":[{"id":"9","members":[%s]}]}', "teams[1].members[1]" },
  member_user = { "teams", '{"teams":[{"id":"9","members":[{"user":%s}]}]}', "teams[1].members[1].user" },
}
-- what makes each object valid besides the field tried
local ESSENTIALS = { entry = { id = '"id":"1"', start = '"start":"5"' }, tag = { name = '"name":"n"' },
                     interval = { id = '"id":"i"' }, task = { name = '"name":"t"' } }
--- One JSON value of each type, and the odd ones ClickUp's forms come near.
M.ODD_VALUES = { "null", "true", "false", "0", "-7", "1.5", "1e300", '"42"', '"x"', '"true"', '""', "{}",
                 "[]", "[1]", '{"a":1}', '["a"]', "12345678901234567890" }

--- Every known field of every object (core.fields) given each of ODD_VALUES,
-- in a body of an endpoint that holds the object: a list of
-- { object =, field = {name=, kind=, essential=, object=}, value =, body =, place = {endpoint, fmt, path} }.
function M.odd_bodies(fields)
  local out = {}
  local names = {}
  for obj in pairs(fields) do names[#names + 1] = obj end
  table.sort(names)
  for _, obj in ipairs(names) do
    local place = assert(PLACES[obj], "no place for the object " .. obj)
    for _, f in ipairs(fields[obj]) do
      for _, v in ipairs(M.ODD_VALUES) do
        local parts = { '"' .. f.name .. '":' .. v }
        for name, frag in pairs(ESSENTIALS[obj] or {}) do
          if name ~= f.name then table.insert(parts, 1, frag) end
        end
        table.sort(parts)
        out[#out + 1] = { object = obj, field = f, value = v, place = place,
                          body = place[2]:format("{" .. table.concat(parts, ",") .. "}") }
      end
    end
  end
  return out
end

--- Count the keys of a table.
function M.count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

--- Run make with these arguments in the repository, outside the sanitizer
-- runtime that `make asan` preloads (the compiler would be checked for
-- leaks too); true when it succeeded.
function M.make(args)
  local r = os.execute("env -u LD_PRELOAD make -s " .. args .. " >/dev/null 2>&1")
  return r == true or r == 0
end

--- Is `cmd` on the PATH?
function M.have(cmd)
  local r = os.execute("command -v " .. cmd .. " >/dev/null 2>&1")
  return r == true or r == 0
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end
M.slurp = slurp

--- Run `script` (a file) in headless Neovim, as a user with `rtp` on the
-- runtimepath would: `nvim -u NONE`, no LUA_PATH/LUA_CPATH, the plugin
-- files of rtp sourced as a plugin manager does. `env` adds variables
-- (others of the CLICKUP_ family are unset). The script writes a JSON
-- result to $CT_OUT; returns it (a table), and what nvim wrote to stderr.
-- opts.cwd: the folder nvim starts in.
function M.nvim(script, rtp, env, opts)
  opts = opts or {}
  local out, errf = os.tmpname(), os.tmpname()
  local state = os.tmpname()
  os.remove(state)
  local vars = { "env -u LUA_PATH -u LUA_CPATH -u LUA_PATH_5_1 -u LUA_CPATH_5_1 -u LD_PRELOAD",
                 "-u CLICKUP_TOKEN -u CLICKUP_TEAM_ID -u CLICKUP_BASE_URL -u CT_BUILD_DIR",
                 ("CT_OUT=%q CT_SPEC=%q XDG_STATE_HOME=%q"):format(out, os.getenv("PWD") .. "/spec", state) }
  for k, v in pairs(env or {}) do vars[#vars + 1] = ("%s=%q"):format(k, v) end
  local cmd = ("%s%s timeout 90 nvim --headless -u NONE -i NONE -n --cmd %q --cmd %q -c %q </dev/null >/dev/null 2>%q")
    :format(opts.cwd and ("cd %q && "):format(opts.cwd) or "", table.concat(vars, " "),
            "set rtp^=" .. rtp, "runtime! plugin/**/*.lua", "luafile " .. script, errf)
  os.execute(cmd)
  local text = slurp(out)
  local stderr = slurp(errf) or ""
  os.remove(out)
  os.remove(errf)
  os.execute(("rm -rf %q"):format(state))
  assert(text and text ~= "", "nvim wrote no result; stderr: " .. stderr)
  return require("cjson").decode(text), stderr
end

return M
