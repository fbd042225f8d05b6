-- Human forms in every method, and entries over any range, for anyone.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local budget = require "clickup.time.budget"

local DAY, HOUR, MINUTE = 86400000, 3600000, 60000

local function when_range(text, week_start)
  return require("clickup.time.when").range(text, { week_start = week_start })
end

describe("human times and long fetches", function()
  local server, c

  setup(function() server = fake.spawn{ rate_limit = 100000 } end)
  teardown(function() server:stop() end)
  before_each(function()
    server:reset()
    budget.forget(server.token)
    c = clickup.new{ token = server.token, team_id = server.team_id, base_url = server.base_url, backoff = 0.01 }
  end)

  it("takes every Lua-only field as a call of its own (none reaches ClickUp as a query)", function()
    local fetch = require "clickup.time.fetch"
    local n = 0
    for k in pairs(fetch.LUA_ONLY) do
      n = n + 1
      assert.is_true(fetch.wants{ start_date = 1, end_date = 2, [k] = 1 }, k)
    end
    assert.are.equal(5, n)
    assert.is_false(fetch.wants{ start_date = 1, end_date = 2 })
  end)

  local function queries(path_suffix)
    local out = {}
    for _, r in ipairs(server:requests()) do
      if r.path:sub(-#path_suffix) == path_suffix then out[#out + 1] = r.query end
    end
    return out
  end

  it("create takes a moment and a duration as people write them", function()
    local yesterday_2pm = assert(require("clickup.time.when").parse("yesterday 14:00"))
    local e = assert(c:create{ start = "yesterday 14:00", duration = "1h30m", description = "human" })
    assert.are.equal(yesterday_2pm, e.start)
    assert.are.equal(90 * MINUTE, e.duration)
    assert.are.same({ start = yesterday_2pm, duration = 5400000, description = "human" }, server:last_request().json)
    assert.are.equal(45 * MINUTE, assert(c:update(e.id, { duration = "45m" })).duration)
    assert(c:add_task_time("86c7mc19h", { time = "1:15", start = "today 08:00", ["end"] = "today 09:15" }))
    local body = server:last_request().json
    assert.are.equal(HOUR + 15 * MINUTE, body.time)
    assert.are.equal(HOUR + 15 * MINUTE, body["end"] - body.start)
  end)

  it("still takes integer milliseconds, and raises for what it cannot read", function()
    assert(c:create{ start = 1000000, duration = 1000 })
    assert.has_error(function() c:create{ start = "next blue moon", duration = 1 } end)
    assert.has_error(function() c:create{ start = 1, duration = "forever" } end)
  end)

  it("entries takes a range and sends both ends, the start a margin of 7 days early", function()
    local when = require "clickup.time.when"
    local from, to = assert(when.range("this week"))
    assert(c:entries{ range = "this week" })
    local q = server:last_request().query
    assert.are.equal(tostring(from - 7 * DAY), q.start_date)
    assert.are.equal(tostring(to - 1), q.end_date)
    assert(c:entries{ range = "this week", margin_days = 0 })
    assert.are.equal(tostring(from), server:last_request().query.start_date)
  end)

  it("a range gives every entry that overlaps it, whole, and none that ended before it", function()
    local when = require "clickup.time.when"
    local from, to = assert(when.range("this week", { week_start = "sunday" }))
    server:clear_log()
    local ids = server:seed{ entries = {
      { start = from - 11 * HOUR, duration = 48 * HOUR, description = "across the week start" },
      { start = from - 3 * HOUR, duration = HOUR, description = "before" },
      { start = to - HOUR, duration = 5 * HOUR, description = "across the week end" },
      { start = to + HOUR, duration = HOUR, description = "after" },
    } }
    local list = assert(c:entries{ range = "this week", week_start = "sunday" })
    local found = {}
    for _, e in ipairs(list) do found[e.id] = e end
    assert.are.equal(from - 11 * HOUR, found[ids[1]].start)
    assert.are.equal(48 * HOUR, found[ids[1]].duration)           -- whole, not clipped
    assert.is_nil(found[ids[2]])
    assert.is_truthy(found[ids[3]])
    assert.is_nil(found[ids[4]])
    -- the same in the callback form
    local async
    c:entries({ range = { from, to } }, function(r) async = r end)
    c:wait(5000)
    assert.are.equal(#list, #async)
  end)

  it("week_start goes with a range and is checked before any request", function()
    server:clear_log()
    assert.has_error(function() c:entries{ range = "this week", week_start = "funday" } end,
      "clickup.time: entries: bad field 'week_start' (week_start is a weekday name (monday, sunday, ...) "
      .. "or 1..7 with 1 = Sunday, not 'funday')")
    assert.has_error(function() c:entries{ week_start = "sunday" } end)
    assert.has_error(function() c:entries{ range = "this week", margin_days = -1 } end)
    assert.has_error(function() c:entries{ range = { 5, 1 } } end)
    assert.are.equal(0, #server:requests())
    local sunday = assert(when_range("this week", "sunday"))
    assert(c:entries{ range = "this week", week_start = "sunday" })
    assert.are.equal(tostring(sunday - 7 * DAY), server:last_request().query.start_date)
  end)

  it("splits a long range into windows fetched in parallel, merged and sorted", function()
    local now = clickup.now_ms()
    local ids = server:seed{ entries = {
      { start = now - 100 * DAY, duration = HOUR, description = "old" },
      { start = now - 65 * DAY, duration = HOUR, description = "older" },
      { start = now - 5 * DAY, duration = HOUR, description = "recent" },
    } }
    server:clear_log()
    local seen = {}
    local list = assert(c:entries{ start_date = now - 120 * DAY, end_date = now,
                                   progress = function(done, total) seen[#seen + 1] = done .. "/" .. total end })
    local windows = queries("/time_entries")
    assert.are.equal(4, #windows)                   -- 120 days in windows of 30
    for i = 2, #windows do
      assert.are.equal(tonumber(windows[i - 1].end_date) + 1, tonumber(windows[i].start_date))
    end
    assert.are.same({ "1/4", "2/4", "3/4", "4/4" }, seen)
    local found = {}
    for i, e in ipairs(list) do
      found[e.id] = true
      if i > 1 then assert.is_true(list[i - 1].start <= e.start) end
    end
    for _, id in ipairs(ids) do assert.is_true(found[id], id) end
    local again = assert(c:entries{ start_date = now - 120 * DAY, end_date = now, window_days = 200 })
    assert.are.equal(#list, #again)
  end)

  it("assignee = \"all\": the workspace's members, fetched once", function()
    local list = assert(c:entries{ assignee = "all" })
    local users = {}
    for _, e in ipairs(list) do users[e.user.id] = true end
    assert.is_true(users[server.user_id] and users[server.member_id] and true or false)
    assert(c:entries{ assignee = "all" })
    local teams, lists = 0, {}
    for _, r in ipairs(server:requests()) do
      if r.path == "/api/v2/team" then teams = teams + 1 end
      if r.query.assignee then lists[#lists + 1] = r.query.assignee end
    end
    assert.are.equal(1, teams)
    assert.are.equal("272627274,30025034,81942731", lists[1])
  end)

  it("falls back to one request per user when ClickUp refuses the list", function()
    local oauth = clickup.new{ token = server.oauth_token, team_id = server.team_id, base_url = server.base_url }
    local list = assert(oauth:entries{ assignee = "all" })
    local users = {}
    for _, e in ipairs(list) do users[e.user.id] = true end
    assert.is_true(users[server.member_id])
    local single = 0
    for _, r in ipairs(server:requests()) do
      if r.query.assignee and not r.query.assignee:find(",") then single = single + 1 end
    end
    assert.are.equal(3, single)
  end)

  it("does all of it without blocking, with a callback", function()
    local now = clickup.now_ms()
    local got
    local h = c:entries({ start_date = now - 70 * DAY, end_date = now, assignee = "all" },
                        function(list, err) got = { list, err } end)
    assert.is_nil(got)
    assert.is_false(h:done())
    c:wait(10000)
    assert.is_table(got[1], tostring(got[2]))
    assert.is_true(h:done())
  end)

  it("reports the first error of a long fetch, never a partial list", function()
    local now = clickup.now_ms()
    server:inject{ times = 1, status = 400, body = '{"err":"bad","ECODE":"X_1"}' }
    local r, err = c:entries{ start_date = now - 90 * DAY, end_date = now }
    assert.is_nil(r)
    assert.are.equal("X_1", err.code)
  end)
end)
