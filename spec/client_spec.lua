-- Making a client, and the programmer's mistakes that raise before any
-- request is sent (no server needed: nothing may reach the network).

local clickup = require "clickup.time"
local support = require "spec.support"

local BASE = "http://127.0.0.1:" .. support.closed_port() .. "/api/v2"

local function client(extra)
  local opts = { token = "pk_1_ABC", team_id = "90152245421", base_url = BASE }
  for k, v in pairs(extra or {}) do opts[k] = v end
  return clickup.new(opts)
end

-- the message of the error `f` raises
local function raised(f, ...)
  local ok, msg = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(msg)
end

describe("clickup.new", function()
  local env
  before_each(function() env = {} end)
  setup(function()
    clickup.getenv = function(name) return env[name] end
  end)
  teardown(function() clickup.getenv = os.getenv end)

  it("has the version", function()
    assert.are.equal("0.1.0", clickup.VERSION)
    assert.are.equal("0.1.0", clickup.core.VERSION)
  end)

  it("raises without a token, naming where to put one", function()
    assert.matches("no token: pass token = \"pk_...\" or set CLICKUP_TOKEN",
                   raised(clickup.new, { team_id = "1" }), 1, true)
    assert.matches("no token", raised(clickup.new, { token = "" }), 1, true)
  end)

  it("takes token, workspace and base URL from the environment", function()
    env.CLICKUP_TOKEN, env.CLICKUP_TEAM_ID, env.CLICKUP_BASE_URL = "pk_9_X", "123", "http://127.0.0.1:1/api/v2"
    local c = clickup.new()
    assert.are.equal("123", c.team_id)
    assert.are.equal("http://127.0.0.1:1/api/v2", c.base_url)
  end)

  it("defaults to ClickUp's API", function()
    local c = clickup.new{ token = "pk_1_A" }
    assert.are.equal("https://api.clickup.com/api/v2", c.base_url)
    assert.is_nil(c.team_id)
  end)

  it("takes an integer workspace id", function()
    assert.are.equal("9012345", client{ team_id = 9012345 }.team_id)
  end)

  it("rejects unknown options, bad URLs, bad timeouts and control characters in the token", function()
    assert.matches("unknown option 'tiemout'", raised(clickup.new, { token = "pk_1", tiemout = 3 }), 1, true)
    assert.matches("base_url", raised(clickup.new, { token = "pk_1", base_url = "ftp://x" }), 1, true)
    assert.matches("timeout", raised(clickup.new, { token = "pk_1", timeout = -1 }), 1, true)
    assert.matches("token", raised(clickup.new, { token = "pk_1\r\nX-Evil: 1" }), 1, true)
    assert.matches("token", raised(clickup.new, { token = "pk_1\0" }), 1, true)
    assert.matches("table of options", raised(clickup.new, "pk_1"), 1, true)
  end)

  it("never shows the token", function()
    local c = client{ token = "pk_1_SECRET" }
    assert.is_nil(tostring(c):find("SECRET", 1, true))
    assert.is_nil(tostring(c._core):find("SECRET", 1, true))
  end)

  it("closes idempotently, and a closed client raises", function()
    local c = client()
    c:close()
    c:close()
    assert.matches("closed client", raised(c.entries, c), 1, true)
    assert.are.equal("clickup.time.Client (closed)", tostring(c._core))
  end)

  it("closes with <close> on 5.4", function()
    if _VERSION ~= "Lua 5.4" then return end
    local f = assert(load[[
      local clickup, opts = ...
      do local c <close> = clickup.new(opts); _G.closed_client = c end
    ]])
    f(clickup, { token = "pk_1", team_id = "1", base_url = BASE })
    assert.matches("closed", tostring(_G.closed_client._core))
    _G.closed_client = nil
  end)
end)

describe("programmer's mistakes raise, naming the method and the argument", function()
  local c
  before_each(function() c = client() end)

  it("a method called with a dot", function()
    assert.matches("entries: call it as client:entries", raised(function() return c.entries() end), 1, true)
  end)

  it("an unknown parameter, with a suggestion", function()
    assert.matches("clickup.time: entries: unknown parameter 'include_task_tag' (did you mean 'include_task_tags'?)",
                   raised(c.entries, c, { include_task_tag = true }), 1, true)
    assert.matches("unknown parameter 'colour'", raised(c.entries, c, { colour = 1 }), 1, true)
    assert.matches("parameter names are strings", raised(c.entries, c, { true }), 1, true)
  end)

  it("the error points at the caller's line", function()
    local msg = raised(function() return c:entries{ bogus = 1 } end)
    assert.matches("^spec/client_spec%.lua:%d+: clickup%.time: entries:", msg)
  end)

  it("a timer id that is a number", function()
    assert.matches("entry: bad argument #1 'timer_id' (non-empty string expected, got number: ids are strings",
                   raised(c.entry, c, 4927021492799897428), 1, true)
    assert.matches("delete: bad argument #1 'timer_id'", raised(c.delete, c, { "1", 2 }), 1, true)
    assert.matches("delete: bad argument #1 'timer_id'", raised(c.delete, c, {}), 1, true)
    assert.matches("missing argument #1 'timer_id'", raised(c.history, c), 1, true)
  end)

  it("wrong types of parameters", function()
    assert.matches("entries: bad field 'start_date' (",
                   raised(c.entries, c, { start_date = "the day after never" }), 1, true)
    assert.matches("bad field 'start_date' (integer milliseconds expected, got table)",
                   raised(c.entries, c, { start_date = {} }), 1, true)
    assert.matches("create: bad field 'duration' (",
                   raised(c.create, c, { start = 1, duration = "a while" }), 1, true)
    assert.matches("bad field 'start_date' (integer milliseconds expected, got number)",
                   raised(c.entries, c, { start_date = 1.5 }), 1, true)
    assert.matches("bad field 'include_task_tags' (boolean expected, got string)",
                   raised(c.entries, c, { include_task_tags = "true" }), 1, true)
    assert.matches("bad field 'assignee'", raised(c.entries, c, { assignee = { 1, "x" } }), 1, true)
    assert.matches("bad field 'assignee'", raised(c.entries, c, { assignee = true }), 1, true)
    assert.matches("bad field 'tag_action'", raised(c.update, c, "1", { tag_action = "merge" }), 1, true)
    assert.matches("bad field 'tags'", raised(c.create, c, { start = 1, duration = 1, tags = { 1 } }), 1, true)
    assert.matches("bad field 'tags'",
                   raised(c.create, c, { start = 1, duration = 1, tags = { { name = "a", color = "red" } } }), 1, true)
    assert.matches("bad field 'team_id'", raised(c.entries, c, { team_id = {} }), 1, true)
    assert.matches("bad argument #1 (table expected, got string)", raised(c.entries, c, "x"), 1, true)
  end)

  it("missing required fields", function()
    assert.matches("create: missing argument #1 (a table of fields)", raised(c.create, c), 1, true)
    assert.matches("create: missing field 'start'", raised(c.create, c, { duration = 1 }), 1, true)
    assert.matches("create: missing field: one of 'duration,end,stop' is required",
                   raised(c.create, c, { start = 1 }), 1, true)
    assert.matches("update: fields 'start,end' must be given together",
                   raised(c.update, c, "1", { start = 1 }), 1, true)
    assert.matches("add_tags: missing argument #2 'tags'", raised(c.add_tags, c, { "1" }), 1, true)
    assert.matches("add_tags: bad argument #2 'tags'", raised(c.add_tags, c, { "1" }, {}), 1, true)
    assert.matches("rename_tag: missing argument #2 'new_name'", raised(c.rename_tag, c, "a"), 1, true)
    assert.matches("add_task_time: missing field: one of 'time,start'", raised(c.add_task_time, c, "t", {}), 1, true)
  end)

  it("too many arguments", function()
    assert.matches("stop: too many arguments", raised(c.stop, c, {}, "extra"), 1, true)
    assert.matches("entry: too many arguments", raised(c.entry, c, "1", {}, {}), 1, true)
  end)

  it("no workspace", function()
    local nows = clickup.new{ token = "pk_1", base_url = BASE }
    assert.matches("entries: no workspace: pass team_id to clickup.new, or set CLICKUP_TEAM_ID",
                   raised(nows.entries, nows), 1, true)
    assert.matches("no workspace", raised(nows.task_time, nows, "abc", { custom_task_ids = true }), 1, true)
  end)

  it("nothing is sent for a mistake: the failure is raised, not returned", function()
    -- the base URL has no server: a request would have returned a transport error
    local ok = pcall(c.entries, c, { bogus = 1 })
    assert.is_false(ok)
    local r, err = c:entries()
    assert.is_nil(r)
    assert.are.equal("transport", err.kind)
  end)
end)

describe("core.endpoints", function()
  it("describes every time-tracking endpoint, one row each", function()
    local names = {}
    for _, ep in ipairs(clickup.endpoints) do names[#names + 1] = ep.name end
    assert.are.same({ "entries", "entry", "create", "update", "delete", "history", "current", "start",
                      "stop", "tags", "add_tags", "remove_tags", "rename_tag", "task_time",
                      "add_task_time", "update_task_time", "delete_task_time", "teams" }, names)
    assert.are.equal("GET", clickup.endpoints[1].method)
    assert.are.equal("/team/{team_id}/time_entries", clickup.endpoints[1].path)
    assert.is_function(clickup.endpoints[1].call)
  end)
end)
