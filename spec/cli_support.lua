-- spec/cli_support.lua: run the clickup-time command as a subprocess, the
-- in-tree bin/clickup-time with ./lua and this build's core (or, with
-- CT_CLI set, that installed command), against the local server.

local socket = require "socket"

local M = {}

M.LUA = rawget(_G, "jit") and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))
M.BUILD = os.getenv("CT_BUILD_DIR") or (rawget(_G, "jit") and "build/luajit"
                                       or ("build/" .. _VERSION:match("%d+%.%d+")))
M.COMMAND = os.getenv("CT_CLI") or (M.LUA .. " " .. os.getenv("PWD") .. "/bin/clickup-time")
-- Under `make asan` the sanitizer's runtime is preloaded: the command (a
-- lua) keeps it, the shells and tools around it (bash, script, zsh, man,
-- chromium) run without it, or LeakSanitizer fails them at exit.
M.PRELOAD = os.getenv("LD_PRELOAD")
if M.PRELOAD and M.PRELOAD ~= "" then M.COMMAND = "env LD_PRELOAD=" .. M.PRELOAD .. " " .. M.COMMAND end

--- A shell word.
function M.q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
local q = M.q

--- "env -u LD_PRELOAD": a tool run outside the sanitizer.
M.PLAIN = "env -u LD_PRELOAD"

--- A temporary folder (removed by M.rmdir).
function M.tmpdir()
  local d = os.tmpname()
  os.remove(d)
  assert(os.execute("mkdir -p " .. q(d)))
  return d
end

function M.rmdir(d) os.execute("rm -rf " .. q(d)) end

--- A journal of its own for the runs that follow (specs call it before each test).
function M.fresh_journal()
  M.JOURNAL = os.tmpname()
  os.remove(M.JOURNAL)
  return M.JOURNAL
end

--- The environment of a run: the server's settings, HOME, TZ=UTC, no colour,
-- the journal of M.fresh_journal.
function M.env(server, home, extra)
  local cwd = os.getenv("PWD")
  local vars = {
    LUA_PATH = cwd .. "/lua/?.lua;" .. cwd .. "/lua/?/init.lua;" .. package.path,
    LUA_CPATH = cwd .. "/" .. M.BUILD .. "/?.so;" .. package.cpath,
    HOME = home, XDG_CONFIG_HOME = "", TZ = "UTC", NO_COLOR = "1",
    CLICKUP_TOKEN = server.token, CLICKUP_TEAM_ID = server.team_id, CLICKUP_BASE_URL = server.base_url,
    CLICKUP_WEEK_START = false, XDG_STATE_HOME = false, CLICKUP_JOURNAL = M.JOURNAL or false, PWD = home,
  }
  for k, v in pairs(extra or {}) do vars[k] = v end
  return vars
end

--- "env -u A B=1 ..." for vars (false removes a variable; LD_PRELOAD is
-- removed unless vars sets it).
function M.env_prefix(vars)
  local prefix = {}
  if vars.LD_PRELOAD == nil then prefix[1] = "-u LD_PRELOAD" end
  for k, v in pairs(vars) do
    if v == false then table.insert(prefix, 1, "-u " .. k) else prefix[#prefix + 1] = k .. "=" .. q(v) end
  end
  return "env " .. table.concat(prefix, " ")
end

local function slurp(path)
  local f = io.open(path)
  if not f then return "" end
  local s = f:read("*a")
  f:close()
  return s
end
M.slurp = slurp

--- Run `clickup-time args` (args: shell text) in the folder `vars.PWD`;
-- returns the exit status, stdout, stderr and the seconds it took.
-- opts.stdin: text for its standard input.
function M.run(vars, args, opts)
  local err, input = os.tmpname(), nil
  local redirect = " </dev/null"
  if opts and opts.stdin then
    input = os.tmpname()
    local f = assert(io.open(input, "w"))
    f:write(opts.stdin)
    f:close()
    redirect = " <" .. q(input)
  end
  local t0 = socket.gettime()
  local p = assert(io.popen("cd " .. q(vars.PWD or ".") .. " && " .. M.env_prefix(vars) .. " " .. M.COMMAND
                            .. " " .. args .. redirect .. " 2>" .. err .. "; echo \"status=$?\""))
  local out = p:read("*a")
  p:close()
  local took = socket.gettime() - t0
  local stderr = slurp(err)
  os.remove(err)
  if input then os.remove(input) end
  local status = tonumber(out:match("status=(%d+)\n?$"))
  return status, (out:gsub("status=%d+\n?$", "")), stderr, took
end

--- Run a shell script (bash) with vars; returns its stdout.
function M.sh(vars, script)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(script)
  f:close()
  local p = assert(io.popen("cd " .. q(vars.PWD or ".") .. " && " .. M.env_prefix(vars) .. " CLI=" .. q(M.COMMAND)
                            .. " bash " .. q(path) .. " 2>&1"))
  local out = p:read("*a")
  p:close()
  os.remove(path)
  return out
end

--- Is this program installed?
function M.have(program)
  local ok = os.execute("command -v " .. program .. " >/dev/null 2>&1")
  return ok == true or ok == 0
end

--- The decoded JSON of text.
function M.json(text) return require("cjson").decode(text) end

--- The requests the server got, of a method and a path suffix.
function M.requests(server, method, suffix)
  local out = {}
  for _, r in ipairs(server:requests()) do
    if (not method or r.method == method) and (not suffix or r.path:sub(-#suffix) == suffix) then
      out[#out + 1] = r
    end
  end
  return out
end

return M
