-- The legacy per-task time endpoints (notes §5.14) against the local
-- ClickUp server: the exact request sent and the typed result.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local numtype = support.numtype
local NOW = 1767225600000 -- the server clock, frozen: seed times are exact
local MINUTE, HOUR, DAY = 60000, 3600000, 86400000
local ADMIN, MEMBER, ADMIN2 = 272627274, 30025034, 81942731
local TASK = "86c7mc19h"

describe("legacy task time", function()
  local server, c

  setup(function()
    server = fake.spawn{ now = NOW }
  end)
  teardown(function()
    if c then c:close() end
    server:stop()
  end)
  before_each(function()
    server:reset()
    if c then c:close() end
    c = support.client(server)
  end)

  local function seeded(description) return support.seeded(server, description) end

  local function interval(id, start, time, source, date_added)
    return { id = id, start = start, ["end"] = start + time, time = time, source = source,
             date_added = date_added or NOW }
  end

  -- Every number of a task_time result is an integer, every interval id 19 digits.
  local function assert_typed(groups)
    for _, g in ipairs(groups) do
      assert.are.equal("integer", numtype(g.user.id))
      assert.are.equal("integer", numtype(g.time))
      local sum = 0
      for _, i in ipairs(g.intervals) do
        assert.matches("^%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d$", i.id)
        for _, k in ipairs{ "start", "end", "time", "date_added" } do
          assert.are.equal("integer", numtype(i[k]))
        end
        sum = sum + i.time
      end
      assert.are.equal(g.time, sum)
    end
  end

  local function assert_sent(method, path, body)
    local req = server:last_request()
    assert.are.equal(method, req.method)
    assert.are.equal(path, req.path)
    assert.are.equal("", req.raw_query or "")
    assert.are.equal(body, req.body)
    return req
  end

  it("lists every user's intervals of a task, typed", function()
    local groups = assert(c:task_time(TASK))
    assert_sent("GET", "/api/v2/task/" .. TASK .. "/time", "")
    assert.are.equal(2, #groups)
    assert_typed(groups)
    assert.are.equal(ADMIN, groups[1].user.id)
    assert.are.equal("Example User", groups[1].user.username)
    assert.are.equal(HOUR, groups[1].time)
    assert.are.same({ interval(seeded("Implement login"), NOW - 2 * DAY - 3 * HOUR, HOUR, "clickup") },
                    groups[1].intervals)
    assert.are.equal(MEMBER, groups[2].user.id)
    assert.are.equal(90 * MINUTE, groups[2].time)
    assert.are.same({ interval(seeded("Code review"), NOW - DAY, 90 * MINUTE, "clickup") }, groups[2].intervals)
  end)

  it("sends custom task ids with the workspace as team_id", function()
    local groups = assert(c:task_time("DEV-42", { custom_task_ids = true }))
    local req = server:last_request()
    assert.are.equal("GET", req.method)
    assert.are.equal("/api/v2/task/DEV-42/time", req.path)
    assert.are.equal("custom_task_ids=true&team_id=" .. server.team_id, req.raw_query)
    assert_typed(groups)
    assert.are.equal(2, #groups)
    assert.are.same({ ADMIN, 30 * MINUTE, MEMBER, HOUR },
                    { groups[1].user.id, groups[1].time, groups[2].user.id, groups[2].time })
    assert.are.same({ interval(seeded("Old docs"), NOW - 40 * DAY, HOUR, "clickup") }, groups[2].intervals)
  end)

  it("needs no workspace, except with custom task ids", function()
    local getenv = clickup.getenv
    clickup.getenv = function() return nil end
    local ok, nows = pcall(clickup.new, { token = server.token, base_url = server.base_url })
    clickup.getenv = getenv
    assert(ok, nows)
    assert.is_nil(nows.team_id)
    local groups = assert(nows:task_time("86c7mc3xy"))
    assert_sent("GET", "/api/v2/task/86c7mc3xy/time", "")
    assert.are.same({ ADMIN, 2 * HOUR, ADMIN2, 20 * MINUTE },
                    { groups[1].user.id, groups[1].time, groups[2].user.id, groups[2].time })
    local n = #server:requests()
    local raised, msg = pcall(nows.task_time, nows, "DEV-42", { custom_task_ids = true })
    nows:close()
    assert.is_false(raised)
    assert.matches("no workspace", msg, 1, true)
    assert.are.equal(n, #server:requests()) -- nothing was sent
  end)

  it("adds an interval that shows in task_time and as an entry", function()
    local start = NOW - 4 * HOUR
    local r = assert(c:add_task_time(TASK, { start = start, ["end"] = start + 30 * MINUTE, time = 30 * MINUTE }))
    assert.is_string(r.id)
    assert.matches("^%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d$", r.id)
    assert.are.same({ id = r.id }, r)
    local req = assert_sent("POST", "/api/v2/task/" .. TASK .. "/time",
                            ('{"start":%d,"end":%d,"time":%d}'):format(start, start + 30 * MINUTE, 30 * MINUTE))
    assert.are.same({ start = start, ["end"] = start + 30 * MINUTE, time = 30 * MINUTE }, req.json)
    assert.are.equal("application/json", req.headers["content-type"])

    local groups = assert(c:task_time(TASK))
    assert_typed(groups)
    assert.are.equal(HOUR + 30 * MINUTE, groups[1].time)
    assert.are.same(interval(r.id, start, 30 * MINUTE, "api"), groups[1].intervals[2])
    local e = assert(c:entry(r.id))
    assert.are.same({ r.id, start, start + 30 * MINUTE, 30 * MINUTE, TASK, ADMIN },
                    { e.id, e.start, e["end"], e.duration, e.task.id, e.user.id })
  end)

  it("updates an interval", function()
    local id = seeded("Implement login")
    local start = NOW - 6 * HOUR
    assert.is_true(c:update_task_time(TASK, id, { start = start, ["end"] = start + 2 * HOUR, time = 2 * HOUR }))
    local req = assert_sent("PUT", "/api/v2/task/" .. TASK .. "/time/" .. id,
                            ('{"start":%d,"end":%d,"time":%d}'):format(start, start + 2 * HOUR, 2 * HOUR))
    assert.are.same({ start = start, ["end"] = start + 2 * HOUR, time = 2 * HOUR }, req.json)
    local groups = assert(c:task_time(TASK))
    assert.are.equal(2 * HOUR, groups[1].time)
    assert.are.same({ interval(id, start, 2 * HOUR, "clickup") }, groups[1].intervals)
    local e = assert(c:entry(id))
    assert.are.same({ start, start + 2 * HOUR, 2 * HOUR }, { e.start, e["end"], e.duration })
  end)

  it("deletes an interval", function()
    local id = seeded("Code review") -- the member's: the owner may delete it
    assert.is_true(c:delete_task_time(TASK, id))
    assert_sent("DELETE", "/api/v2/task/" .. TASK .. "/time/" .. id, "")
    local groups = assert(c:task_time(TASK))
    assert.are.equal(1, #groups)
    assert.are.equal(ADMIN, groups[1].user.id)
    local r, err = c:entry(id)
    assert.is_nil(r)
    assert.are.same({ 401, "OAUTH_018" }, { err.status, err.code })
  end)

  it("returns nil, err for an unknown task, with the path but no query", function()
    local r, err = c:task_time("nope")
    assert.is_nil(r)
    assert.is_true(clickup.is_error(err, "api"))
    assert.are.same({ 401, "OAUTH_018", "GET", "/task/nope/time" }, { err.status, err.code, err.method, err.path })
    assert.are.equal("integer", numtype(err.status))

    r, err = c:task_time("NOPE-1", { custom_task_ids = true })
    assert.is_nil(r)
    assert.are.same({ 401, "OAUTH_018", "GET", "/task/NOPE-1/time" }, { err.status, err.code, err.method, err.path })
    assert.are.equal("custom_task_ids=true&team_id=" .. server.team_id, server:last_request().raw_query)

    r, err = c:add_task_time("nope", { time = HOUR })
    assert.is_nil(r)
    assert.are.same({ 401, "OAUTH_018", "POST", "/task/nope/time" }, { err.status, err.code, err.method, err.path })
    assert.are.equal('{"time":3600000}', server:last_request().body)
  end)

  it("returns nil, err for an interval of another task or of someone else", function()
    local id = seeded("Implement login")
    local ok, err = c:delete_task_time("86c7mc2ab", id)
    assert.is_nil(ok)
    assert.are.same({ 401, "OAUTH_018", "DELETE", "/task/86c7mc2ab/time/" .. id },
                    { err.status, err.code, err.method, err.path })
    local m = clickup.new{ token = server.member_token, team_id = server.team_id, base_url = server.base_url }
    ok, err = m:update_task_time(TASK, id, { time = MINUTE })
    m:close()
    assert.is_nil(ok)
    assert.are.same({ 403, "TIMEENTRY_059", "PUT" }, { err.status, err.code, err.method })
    assert.are.equal(HOUR, assert(c:task_time(TASK))[1].time)
  end)
end)
