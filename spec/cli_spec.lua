-- The clickup-time command, run as a subprocess against the local server.

local fake = require "clickup.time.fake"
local support = require "spec.support"

local LUA = rawget(_G, "jit") and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))
local BUILD = os.getenv("CT_BUILD_DIR") or (rawget(_G, "jit") and "build/luajit"
                                           or ("build/" .. _VERSION:match("%d+%.%d+")))

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

describe("clickup-time", function()
  local server, home

  setup(function()
    server = fake.spawn{ rate_limit = 100000 }
    home = os.tmpname()
    os.remove(home)
    assert(os.execute("mkdir -p " .. q(home .. "/.config/clickup-time")))
  end)
  teardown(function()
    server:stop()
    os.execute("rm -rf " .. q(home))
  end)
  before_each(function() server:reset() end)

  -- run the command; returns exit status, stdout, stderr
  local function run(args, env)
    local vars = {
      LUA_PATH = "./lua/?.lua;./lua/?/init.lua;" .. package.path,
      LUA_CPATH = "./" .. BUILD .. "/?.so;" .. package.cpath,
      HOME = home, XDG_CONFIG_HOME = "", TZ = "UTC", NO_COLOR = "1",
      CLICKUP_TOKEN = server.token, CLICKUP_TEAM_ID = server.team_id, CLICKUP_BASE_URL = server.base_url,
    }
    for k, v in pairs(env or {}) do vars[k] = v end
    local prefix = {}                               -- env: the -u options first, then assignments
    for k, v in pairs(vars) do
      if v == false then table.insert(prefix, 1, "-u " .. k) else prefix[#prefix + 1] = k .. "=" .. q(v) end
    end
    local err = os.tmpname()
    local p = assert(io.popen("env " .. table.concat(prefix, " ") .. " " .. LUA .. " bin/clickup-time "
                              .. args .. " 2>" .. err .. "; echo \"status=$?\""))
    local out = p:read("*a")
    p:close()
    local f = io.open(err)
    local stderr = f:read("*a")
    f:close()
    os.remove(err)
    local status = tonumber(out:match("status=(%d+)\n?$"))
    return status, (out:gsub("status=%d+\n?$", "")), stderr
  end

  it("status: exit 1 when no timer runs, 0 while one does", function()
    local st, out = run("status")
    assert.are.equal(1, st)
    assert.are.equal("No timer running.\n", out)
    st, out = run("start 86c7mc19h -m 'Coding the CLI' --billable --tag billing")
    assert.are.equal(0, st)
    assert.matches("^Started Task 1 at %d%d:%d%d: Coding the CLI %(entry %d+%)\n$", out)
    local req = server:last_request()
    assert.are.same({ tid = "86c7mc19h", description = "Coding the CLI", billable = true,
                      tags = { { name = "billing" } } }, req.json)
    st, out = run("status")
    assert.are.equal(0, st)
    assert.matches("^Running: Task 1: Coding the CLI, since %d%d:%d%d %(%d+s%)\n$", out)
    st, out = run("stop")
    assert.are.equal(0, st)
    assert.matches("^Stopped Task 1 after %d+s", out)
    assert.are.equal(1, (run("stop")))
  end)

  it("log: a manual entry, at a given time", function()
    local st, out = run("log 1h30m 86c7mc2ab --at '2026-11-20 14:00' -m Review")
    assert.are.equal(0, st, out)
    assert.matches("^Logged 1h 30m on Write API docs, Fri 2026%-11%-20 14:00%-15:30 %(entry %d+%)\n$", out)
    local body = server:last_request().json
    assert.are.equal(1795183200000, body.start)       -- 2026-11-20T14:00:00Z (TZ=UTC)
    assert.are.equal(5400000, body.duration)
  end)

  it("entries: a table, JSON and CSV", function()
    local st, out = run("entries 'last 30 days'")
    assert.are.equal(0, st, out)
    assert.matches("\n3 entries, 2h 15m\n$", out)
    st, out = run("entries 'last 30 days' --json")
    assert.are.equal(0, st)
    local list = require("cjson").decode(out)
    assert.are.equal(3, #list)
    assert.is_string(list[1].id)
    st, out = run("entries 'last 30 days' --csv")
    assert.are.equal(0, st)
    local lines = {}
    for line in out:gmatch("([^\r\n]*)\r\n") do lines[#lines + 1] = line end
    assert.are.equal("id,start,end,duration_ms,task_id,task,user,billable,description", lines[1])
    assert.are.equal(4, #lines)
  end)

  it("edit and delete", function()
    local _, out = run("log 45m -m 'to edit'")
    local id = out:match("entry (%d+)")
    local st, out2 = run("edit " .. id .. " -m edited --duration 1h")
    assert.are.equal(0, st, out2)
    assert.matches("^Updated " .. id, out2)
    assert.are.same({ description = "edited", duration = 3600000 }, server:last_request().json)
    st, out2 = run("delete " .. id)
    assert.are.equal(0, st)
    assert.matches("^Deleted " .. id, out2)
  end)

  it("tags", function()
    local st, out = run("tags")
    assert.are.equal(0, st)
    assert.are.equal("billing\ndeep-work\nmeeting\n", out)
  end)

  it("report: rounded, with rates, as CSV, JSON and Markdown", function()
    local st, out = run("report 'last 30 days' --round 15m:up --rate 100")
    assert.are.equal(0, st, out)
    assert.matches("Total", out)
    st, out = run("report 'last 30 days' --by task --csv")
    assert.are.equal(0, st)
    assert.matches("\r\n", out)
    st, out = run("report 'last 30 days' --json")
    assert.are.equal(0, st)
    assert.is_table(require("cjson").decode(out).total)
    st, out = run("report 'last 30 days' --md")
    assert.are.equal(0, st)
    assert.matches("^|", out)
  end)

  it("helps, and errs in one line without a stack trace", function()
    local st, out = run("--help")
    assert.are.equal(0, st)
    assert.matches("Usage: clickup%-time", out)
    local err
    st = run("report --help")
    assert.are.equal(0, st)
    st, out, err = run("frobnicate")
    assert.are.equal(2, st)
    assert.are.equal("", out)
    assert.matches("^clickup%-time: unknown command 'frobnicate'", err)
    st, out, err = run("log forever")
    assert.are.equal(2, st)
    assert.are.equal("", out)
    assert.is_nil(err:find("traceback", 1, true))
    st, out, err = run("status", { CLICKUP_TOKEN = "pk_bad" })
    assert.are.equal(1, st)
    assert.are.equal("", out)
    assert.are.equal("clickup-time: OAUTH_025 (HTTP 401): Token invalid [GET /team/" .. server.team_id
                     .. "/time_entries/current]\n", err)
    st, out, err = run("status", { CLICKUP_TOKEN = false })
    assert.are.equal(2, st)
    assert.are.equal("", out)
    assert.matches("no token", err)
  end)

  it("reads a config file, and refuses one that others can read when it holds a token", function()
    local path = home .. "/.config/clickup-time/config"
    local f = assert(io.open(path, "w"))
    f:write("# clickup-time\ntoken = " .. server.token .. "\nteam_id = " .. server.team_id
            .. "\nbase_url = " .. server.base_url .. "\n")
    f:close()
    local env = { CLICKUP_TOKEN = false, CLICKUP_TEAM_ID = false, CLICKUP_BASE_URL = false }
    assert(os.execute("chmod 644 " .. q(path)))
    local st, _, err = run("status", env)
    assert.are.equal(2, st)
    assert.matches("holds a token and others can read it", err)
    assert(os.execute("chmod 600 " .. q(path)))
    st = run("status", env)
    assert.are.equal(1, st)
    os.remove(path)
  end)

  it("no colour when not on a terminal", function()
    local _, out = run("entries 'last 30 days'", { NO_COLOR = false })
    assert.is_nil(out:find("\27[", 1, true))
  end)

  it("serve-fake runs the local server", function()
    local port = support.closed_port()
    local p = io.popen("LUA_PATH='./lua/?.lua;./lua/?/init.lua;" .. package.path .. "' LUA_CPATH='./" .. BUILD
                       .. "/?.so;" .. package.cpath .. "' timeout 5 " .. LUA .. " bin/clickup-time serve-fake --port "
                       .. port .. " 2>&1")
    local line = p:read("*l")
    assert.matches("Serving a local ClickUp%-compatible server", line)
    local socket = require "socket"
    local s
    for _ = 1, 50 do
      s = socket.connect("127.0.0.1", port)
      if s then break end
      socket.sleep(0.05)
    end
    assert.is_truthy(s)
    s:send("POST /_fake/shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    s:close()
    p:close()
  end)
end)
