-- Empty success answers (a 200 with no body, a 204), on each operation,
-- against the local server: success for what promises no entry (delete
-- returns the ids it was given, update and the label and legacy writes
-- true); for the POSTs that promise one (create, start, stop) the outcome
-- is unknown, and the client reads what ClickUp holds instead of guessing.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local NOW = 1767225600000
local MINUTE = 60000

describe("empty success answers", function()
  local server, c

  setup(function() server = fake.spawn{ now = NOW } end)
  teardown(function() server:stop() end)
  before_each(function()
    server:reset()
    c = support.client(server, { retries = 1, backoff = 0.01, sleep = function() end })
  end)
  after_each(function() c:close() end)

  local function team(rest) return "/team/" .. server.team_id .. "/time_entries" .. (rest or "") end
  local function seeded(d) return support.seeded(server, d) end

  -- the next request to method+path is processed, then answered with status and no body
  local function empty(method, path, status)
    server:inject{ method = method, path = path, status = status, body = "", process = true, times = 1 }
  end

  for _, status in ipairs{ 200, 204 } do
    describe("HTTP " .. status, function()
      it("delete: the ids it was given, and they are gone", function()
        local a, b = seeded("Implement login"), seeded("Team meeting")
        empty("DELETE", team("/" .. a .. "," .. b), status)
        assert.are.same({ { id = a }, { id = b } }, assert(c:delete{ a, b }))
        assert.are.equal(5, #server:state().entries)
        local one = seeded("Code review")
        empty("DELETE", team("/" .. one), status)
        assert.are.same({ { id = one } }, assert(c:delete(one)))
      end)

      it("update, the label writes and the legacy writes: true, and done", function()
        local login = seeded("Implement login")
        empty("PUT", team("/" .. login), status)
        assert.is_true(c:update(login, { description = "changed" }))
        assert.are.equal("changed", assert(c:entry(login)).description)
        empty("POST", team("/tags"), status)
        assert.is_true(c:add_tags(login, { "meeting" }))
        empty("DELETE", team("/tags"), status)
        assert.is_true(c:remove_tags(login, { "billing" }))
        empty("PUT", team("/tags"), status)
        assert.is_true(c:rename_tag("meeting", "sync"))
        local tags = {}
        for i, t in ipairs(assert(c:entry(login)).tags) do tags[i] = t.name end
        assert.are.same({ "sync" }, tags)
        empty("POST", "/task/86c7mc19h/time", status)
        assert.is_true(c:add_task_time("86c7mc19h", { time = MINUTE }))
        local interval = assert(c:task_time("86c7mc19h"))[1].intervals[1].id
        empty("PUT", "/task/86c7mc19h/time/" .. interval, status)
        assert.is_true(c:update_task_time("86c7mc19h", interval, { time = 2 * MINUTE }))
        empty("DELETE", "/task/86c7mc19h/time/" .. interval, status)
        assert.is_true(c:delete_task_time("86c7mc19h", interval))
      end)

      -- reconciling compares times with the server's Date: its clock runs for these
      it("create: the entry it made, read back, made once", function()
        server:set_clock(nil)
        local start = clickup.now_ms() - 2 * MINUTE
        local before = #server:state().entries
        empty("POST", team(), status)
        local e = assert(c:create{ start = start, duration = MINUTE, description = "empty answer" })
        assert.are.equal("empty answer", e.description)
        assert.are.equal(start, e.start)
        assert.are.equal(before + 1, #server:state().entries)
      end)

      it("start and stop: the timer, read back, started and stopped once", function()
        server:set_clock(nil)
        empty("POST", team("/start"), status)
        local e = assert(c:start{ tid = "86c7mc19h", description = "timer" })
        assert.are.equal("timer", e.description)
        assert.is_true(e:is_running())
        empty("POST", team("/stop"), status)
        local stopped = assert(c:stop())
        assert.are.equal(e.id, stopped.id)
        assert.is_true(stopped["end"] >= e.start)
        assert.is_nil(server:state().running[server.user_id])
        local n = 0
        for _, x in ipairs(server:state().entries) do if x.description == "timer" then n = n + 1 end end
        assert.are.equal(1, n)
      end)

      it("create, when what ClickUp holds cannot be read either: bad_json, outcome unknown", function()
        server:set_clock(nil)
        empty("POST", team(), status)
        server:inject{ method = "GET", path = team(), status = 401, times = 5,
                       body = '{"err":"Team not authorized","ECODE":"OAUTH_027"}' }
        local r, err = c:create{ start = NOW - 2 * MINUTE, duration = MINUTE }
        assert.is_nil(r)
        assert.is_true(clickup.is_error(err, "decode"))
        assert.are.equal("bad_json", err.code)
        assert.are.equal(status, err.status)
        assert.are.equal("unknown", err.outcome)
        assert.matches("empty body", err.message, 1, true)
      end)

      it("reads: bad_json, nothing to reconcile", function()
        server:inject{ method = "GET", path = team("/current"), status = status, body = "", times = 1 }
        local r, err = c:current()
        assert.is_nil(r)
        assert.are.equal("bad_json", err.code)
        assert.is_nil(err.outcome)
      end)
    end)
  end
end)
