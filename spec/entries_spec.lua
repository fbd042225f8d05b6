-- The time-entry endpoints against the local ClickUp server: what went out
-- (method, path, query, body types, headers) and the typed result.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local numtype = support.numtype
local MINUTE, HOUR = 60000, 3600000

describe("time entries", function()
  local server, c

  setup(function()
    server = fake.spawn{}
  end)
  teardown(function()
    if c then c:close() end
    server:stop()
  end)
  before_each(function()
    server:reset()
    server:set_clock(nil)
    c = support.client(server)
  end)

  local function team_path(rest)
    return "/api/v2/team/" .. server.team_id .. "/time_entries" .. (rest or "")
  end

  local function assert_entry(e)
    assert.are.equal(clickup.Entry, getmetatable(e))
    assert.matches("^%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d$", e.id)
    assert.are.equal(server.team_id, e.wid)
    assert.are.equal("integer", numtype(e.start))
    assert.are.equal("integer", numtype(e.duration))
    assert.are.equal("integer", numtype(e.user.id))
    assert.is_boolean(e.billable)
    if e["end"] ~= nil then assert.are.equal("integer", numtype(e["end"])) end
    if e.task then assert.is_string(e.task.id) end
  end

  describe("entries", function()
    it("lists the caller's entries of the last 30 days by default", function()
      local list = assert(c:entries())
      assert.are.equal(3, #list)
      for _, e in ipairs(list) do
        assert_entry(e)
        assert.are.equal(server.user_id, e.user.id)
        assert.is_string(e.task_location.list_id or "none")
      end
      local req = server:last_request()
      assert.are.equal("GET", req.method)
      assert.are.equal(team_path(), req.path)
      -- explicit ends, never ClickUp's silent default: the last 30 days, until now
      local from, to = tonumber(req.query.start_date), tonumber(req.query.end_date)
      assert.are.equal(30 * 86400000, to - from)
      assert.is_true(math.abs(to - clickup.now_ms()) < 60000)
      assert.are.equal(("start_date=%d&end_date=%d"):format(from, to), req.raw_query)
      assert.are.equal("", req.body)
    end)

    it("sends the personal token bare, asks for JSON and compression", function()
      assert(c:entries())
      local h = server:last_request().headers
      assert.are.equal(server.token, h.authorization)
      assert.are.equal("application/json", h.accept)
      -- one Accept-Encoding line, ours (libcurl's own would begin "deflate, gzip")
      assert.matches("^gzip", h["accept-encoding"])
      assert.is_nil(h["accept-encoding"]:find("deflate", 1, true))
      assert.are.equal("clickup-time/0.1.0", h["user-agent"])
      assert.is_nil(h["content-type"])
    end)

    it("encodes every parameter: integers, comma-joined assignees, booleans as true/false", function()
      local now = clickup.now_ms()
      local list = assert(c:entries{ start_date = now - 30 * 86400000, end_date = now,
                                     assignee = { server.user_id, server.member_id },
                                     include_task_tags = true, is_billable = false })
      assert.are.equal(
        ("start_date=%d&end_date=%d&assignee=%d,%d&include_task_tags=true&is_billable=false")
          :format(now - 30 * 86400000, now, server.user_id, server.member_id),
        server:last_request().raw_query)
      local users = {}
      for _, e in ipairs(list) do
        users[e.user.id] = true
        assert.is_false(e.billable)
      end
      assert.is_true(users[server.member_id])
    end)

    it("writes integers exactly, at both ends of their range", function()
      assert(c:entries{ start_date = 0, end_date = 9007199254740991, assignee = 7 })
      assert.are.equal("start_date=0&end_date=9007199254740991&assignee=7", server:last_request().raw_query)
      assert(c:entries{ start_date = 1e12, end_date = 1000000000010 })
      assert.are.equal("start_date=1000000000000&end_date=1000000000010", server:last_request().raw_query)
      -- in a body: a negative duration (ClickUp's form of a running timer) and the largest exact one
      c:create{ start = 1700000000000, duration = -9007199254740991, tid = "86c7mc19h" }
      assert.matches('"duration":%-9007199254740991[,}]', server:last_request().body)
      c:create{ start = 1700000000000, duration = -1, tid = "86c7mc19h" }
      assert.matches('"duration":%-1[,}]', server:last_request().body)
    end)

    it("takes an assignee as a single integer or a string", function()
      assert(c:entries{ start_date = 1, end_date = 2, assignee = server.member_id })
      assert.are.equal("start_date=1&end_date=2&assignee=" .. server.member_id, server:last_request().raw_query)
      assert(c:entries{ start_date = 1, end_date = 2, assignee = tostring(server.member_id) })
      assert.are.equal("start_date=1&end_date=2&assignee=" .. server.member_id, server:last_request().raw_query)
    end)

    it("adds the workspace as team_id with custom task ids", function()
      local list = assert(c:entries{ task_id = "DEV-42", custom_task_ids = true })
      assert.matches("&task_id=DEV%-42&custom_task_ids=true&team_id=" .. server.team_id .. "$",
                     server:last_request().raw_query)
      assert.are.equal(1, #list)
      assert.are.equal("86c7mc2ab", list[1].task.id)
    end)

    it("includes location names and task tags on request", function()
      local list = assert(c:entries{ include_location_names = true, include_task_tags = true })
      local seen = false
      for _, e in ipairs(list) do
        if e.task and e.task.id == "86c7mc19h" then
          seen = true
          assert.are.equal("Sprint 12", e.task_location.list_name)
          assert.are.equal("backend", e.task_tags[1].name)
          assert.are.equal("integer", numtype(e.task_tags[1].creator))
        end
      end
      assert.is_true(seen)
    end)

    it("returns an empty sequence when there is nothing", function()
      local list = assert(c:entries{ start_date = 0, end_date = 1 })
      assert.are.same({}, list)
    end)

    it("percent-encodes query values", function()
      assert(c:entries{ start_date = 1, end_date = 2, task_id = "a b&c=d" })
      assert.are.equal("start_date=1&end_date=2&task_id=a%20b%26c%3Dd", server:last_request().raw_query)
      assert.are.equal("a b&c=d", server:last_request().query.task_id)
    end)

    it("overrides the workspace for one call with team_id", function()
      local r, err = c:entries{ team_id = "99999999" }
      assert.is_nil(r)
      assert.are.equal("SHARD_031", err.code)
      assert.are.equal("/api/v2/team/99999999/time_entries", server:last_request().path)
    end)
  end)

  describe("entry", function()
    it("gets one entry by its 19-digit id", function()
      local first = assert(c:entries())[1]
      local e = assert(c:entry(first.id))
      assert_entry(e)
      assert.are.same(first, e)
      assert.are.equal(team_path("/" .. first.id), server:last_request().path)
    end)

    it("passes include flags", function()
      local first = assert(c:entries())[1]
      assert(c:entry(first.id, { include_location_names = true }))
      assert.are.equal("include_location_names=true", server:last_request().raw_query)
    end)

    it("percent-encodes the id in the path", function()
      local r, err = c:entry("../../x?y")
      assert.is_nil(r)
      assert.are.equal(team_path("/..%2F..%2Fx%3Fy"), server:last_request().path)
      assert.are.equal("", server:last_request().raw_query)
      assert.are.equal(401, err.status)
    end)
  end)

  describe("create", function()
    it("sends integers, strings and booleans with their JSON types and returns the typed entry", function()
      local start = clickup.now_ms() - 3 * HOUR
      local e = assert(c:create{ start = start, duration = 90 * MINUTE, tid = "86c7mc19h",
                                 description = "Design review", billable = true,
                                 tags = { "billing", { name = "client-a", tag_bg = "#000000", tag_fg = "#ffffff" } } })
      local req = server:last_request()
      assert.are.equal("POST", req.method)
      assert.are.equal(team_path(), req.path)
      assert.are.equal("application/json", req.headers["content-type"])
      assert.are.equal("clickup-time/0.1.0", req.headers["user-agent"])
      assert.matches('"start":' .. start .. "[,}]", req.body)
      assert.are.same({ start = start, duration = 90 * MINUTE, tid = "86c7mc19h", description = "Design review",
                        billable = true,
                        tags = { { name = "billing" },
                                 { name = "client-a", tag_bg = "#000000", tag_fg = "#ffffff" } } },
                      req.json)
      assert_entry(e)
      assert.are.equal(start, e.start)
      assert.are.equal(start + 90 * MINUTE, e["end"])
      assert.are.equal(90 * MINUTE, e.duration)
      assert.are.equal("86c7mc19h", e.task.id)
      assert.are.equal("Design review", e.description)
      assert.is_true(e.billable)
      assert.is_false(e:is_running())
      assert.are.equal(90 * MINUTE, e:elapsed())
    end)

    it("takes an end instead of a duration", function()
      local e = assert(c:create{ start = 1000000, ["end"] = 1000000 + HOUR })
      assert.are.equal(HOUR, e.duration)
      assert.is_nil(e.task)
    end)

    it("sends custom_task_ids with the workspace", function()
      local e = assert(c:create{ start = 5000, duration = 1000, tid = "DEV-42", custom_task_ids = true })
      assert.are.equal("custom_task_ids=true&team_id=" .. server.team_id, server:last_request().raw_query)
      assert.are.equal("86c7mc2ab", e.task.id)
    end)

    it("escapes strings in the body", function()
      local text = 'quote " backslash \\ newline \n tab \t ctrl \1 unicode é'
      local e = assert(c:create{ start = 5000, duration = 1000, description = text })
      assert.are.equal(text, e.description)
      assert.are.equal(text, server:last_request().json.description)
    end)

    it("creates the entry exactly once", function()
      local before = #assert(c:entries{ start_date = 0, end_date = 10000 })
      assert(c:create{ start = 5000, duration = 1000 })
      assert.are.equal(before + 1, #assert(c:entries{ start_date = 0, end_date = 10000 }))
    end)
  end)

  describe("update", function()
    it("changes fields and returns the updated entry", function()
      local first = assert(c:entries())[1]
      local e = assert(c:update(first.id, { description = "changed", billable = false,
                                            start = first.start, ["end"] = first.start + MINUTE }))
      local req = server:last_request()
      assert.are.equal("PUT", req.method)
      assert.are.equal(team_path("/" .. first.id), req.path)
      assert.are.same({ description = "changed", billable = false, start = first.start,
                        ["end"] = first.start + MINUTE }, req.json)
      assert.are.equal(first.id, e.id)
      assert.are.equal("changed", e.description)
      assert.are.equal(MINUTE, e.duration)
      assert.are.equal("changed", assert(c:entry(first.id)).description)
    end)

    it("replaces the tags with none by removing them, never with a PUT carrying tags", function()
      local first = assert(c:entries())[1]
      local had = assert(c:entry(first.id)).tags
      assert.is_true(#had > 0)
      server:clear_log()
      assert.is_true(c:update(first.id, { tags = {}, tag_action = "replace" }))
      local log = server:requests()
      assert.are.equal("DELETE", log[#log].method)
      assert.are.equal(team_path("/tags"), log[#log].path)
      for _, r in ipairs(log) do assert.are_not.equal("PUT", r.method) end
      assert.are.same({}, assert(c:entry(first.id)).tags)
    end)

    it("returns true when the answer carries no entry, the entry from an object", function()
      local first = assert(c:entries())[1]
      server:configure{ update_response = "empty" }
      assert.is_true(c:update(first.id, { description = "a" }))
      server:configure{ update_response = "object" }
      assert.are.equal("b", assert(c:update(first.id, { description = "b" })).description)
    end)
  end)

  describe("delete and history", function()
    it("deletes one entry and returns it", function()
      local first = assert(c:entries())[1]
      local deleted = assert(c:delete(first.id))
      assert.are.equal(1, #deleted)
      assert.are.equal(first.id, deleted[1].id)
      assert_entry(deleted[1])
      assert.are.equal("DELETE", server:last_request().method)
      local r, err = c:entry(first.id)
      assert.is_nil(r)
      assert.are.equal(401, err.status)
    end)

    it("deletes several entries in one request, ids joined by commas", function()
      local list = assert(c:entries())
      local deleted = assert(c:delete{ list[1].id, list[2].id })
      assert.are.equal(team_path("/" .. list[1].id .. "," .. list[2].id), server:last_request().path)
      assert.are.equal(2, #deleted)
      assert.are.equal(1, #assert(c:entries()))
    end)

    it("returns the change history as a sequence of tables", function()
      local first = assert(c:entries())[1]
      assert.are.same({}, assert(c:history(first.id)))
      assert(c:update(first.id, { description = "one" }))
      local h = assert(c:history(first.id))
      assert.are.equal(team_path("/" .. first.id .. "/history"), server:last_request().path)
      assert.is_true(#h >= 1)
      for _, item in ipairs(h) do assert.is_table(item) end
    end)
  end)

  describe("timers", function()
    local T = 1769469503443

    it("starts, shows and stops a timer, with live elapsed time", function()
      server:set_clock(T)
      assert.is_false(c:current())
      local e = assert(c:start{ tid = "86c7mc19h", description = "coding", billable = true })
      assert.are.equal(team_path("/start"), server:last_request().path)
      assert.are.same({ tid = "86c7mc19h", description = "coding", billable = true }, server:last_request().json)
      assert_entry(e)
      assert.are.equal(T, e.start)
      assert.is_nil(e["end"])
      assert.is_true(e:is_running())

      server:set_clock(T + 25 * MINUTE)
      local cur = assert(c:current())
      assert.are.equal(e.id, cur.id)
      assert.are.equal(-25 * MINUTE, cur.duration)
      assert.is_true(cur:is_running())
      assert.are.equal(25 * MINUTE, cur:elapsed(T + 25 * MINUTE))
      assert.are.equal(team_path("/current"), server:last_request().path)

      local s = assert(c:stop())
      assert.are.equal("POST", server:last_request().method)
      assert.are.equal(team_path("/stop"), server:last_request().path)
      assert.are.equal(e.id, s.id)
      assert.are.equal(T, s.start)
      assert.are.equal(T + 25 * MINUTE, s["end"])
      assert.are.equal(25 * MINUTE, s.duration)
      assert.are.equal("api_automatic", s.source)
      assert.is_false(s:is_running())
      assert.is_false(c:current())
    end)

    it("stop with no timer running answers false", function()
      assert.is_false(c:stop())
    end)

    it("a new start stops the running timer: one timer at a time", function()
      server:set_clock(T)
      local a = assert(c:start{ description = "a" })
      server:set_clock(T + MINUTE)
      local b = assert(c:start{ description = "b" })
      assert.are_not.equal(a.id, b.id)
      assert.are.equal(b.id, assert(c:current()).id)
      local old = assert(c:entry(a.id))
      assert.are.equal(T + MINUTE, old["end"])
    end)

    it("starts with an empty JSON body when given no fields", function()
      assert(c:start())
      assert.are.equal("{}", server:last_request().body)
      assert.is_true(assert(c:current()):is_running())
    end)

    it("uses the spec's /start/{timer_id} form when timer_id is given", function()
      assert(c:start{ timer_id = "4927021492799897428" })
      assert.are.equal(team_path("/start/4927021492799897428"), server:last_request().path)
    end)

    it("reads another user's timer with assignee", function()
      assert.is_false(c:current{ assignee = server.member_id })
      assert.are.equal("assignee=" .. server.member_id, server:last_request().raw_query)
    end)
  end)

  describe("authorization", function()
    it("sends an OAuth token as Bearer", function()
      local o = clickup.new{ token = server.oauth_token, team_id = server.team_id, base_url = server.base_url }
      assert(o:entries())
      assert.are.equal("Bearer " .. server.oauth_token, server:last_request().headers.authorization)
    end)

    it("sends a token that already says Bearer as given", function()
      local o = clickup.new{ token = "Bearer " .. server.oauth_token, team_id = server.team_id,
                             base_url = server.base_url }
      assert(o:entries())
      assert.are.equal("Bearer " .. server.oauth_token, server:last_request().headers.authorization)
    end)
  end)

  describe("rate limit", function()
    it("keeps the x-ratelimit-* values of the last answer", function()
      assert.is_nil(c:rate_limit())
      assert(c:entries())
      local rl = c:rate_limit()
      assert.are.equal(100, rl.limit)
      assert.are.equal(99, rl.remaining)
      assert.are.equal("integer", numtype(rl.reset))
      -- a 60 s window in whole seconds; socket.gettime, not os.time (a coarse clock that may lag)
      local now = require("socket").gettime()
      assert.is_true(rl.reset > now and rl.reset <= now + 62, rl.reset - now)
      assert(c:entries())
      assert.are.equal(98, c:rate_limit().remaining)
    end)
  end)
end)
