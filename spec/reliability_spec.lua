-- Reliability against a misbehaving server: rate limits, retries, and the
-- guarantee that a create, start or stop is never applied twice, whatever
-- fault hits it (faults injected into the local server).

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local budget = require "clickup.time.budget"

local MINUTE = 60000

describe("reliability", function()
  local server, infos, slept

  setup(function() server = fake.spawn{} end)
  teardown(function() server:stop() end)
  before_each(function()
    server:reset()
    infos, slept = {}, {}
    budget.forget(server.token)           -- each test starts with a fresh rate window
  end)

  -- a client that records its retries and waits instead of sleeping
  local function client(extra)
    local opts = { token = server.token, team_id = server.team_id, base_url = server.base_url,
                   backoff = 0.01, on_retry = function(info) infos[#infos + 1] = info end,
                   sleep = function(s) slept[#slept + 1] = s end }
    for k, v in pairs(extra or {}) do opts[k] = v end
    return clickup.new(opts)
  end

  local function reasons()
    local r = {}
    for i, info in ipairs(infos) do r[i] = info.reason end
    return r
  end

  local function team(rest) return "/team/" .. server.team_id .. "/time_entries" .. (rest or "") end

  local function count_entries()
    return #server:state().entries
  end

  local function running_id()
    return server:state().running[server.user_id]
  end

  describe("rate limits", function()
    it("keeps the last x-ratelimit-* values, and ignores garbage ones", function()
      local c = client()
      assert(c:entries())
      local rl = c:rate_limit()
      assert.are.same({ limit = 100, remaining = 99, reset = rl.reset }, rl)
      server:inject{ headers = { ["X-RateLimit-Remaining"] = "abc", ["x-ratelimit-reset"] = "-5",
                                 ["x-ratelimit-limit"] = "99999999999999999999999" } }
      assert(c:entries())
      assert.are.same({ limit = 100, remaining = 99, reset = rl.reset }, c:rate_limit())
    end)

    it("reads header names in any case", function()
      local c = client()
      server:inject{ times = 1, status = 200, body = '{"data":[]}',
                     headers = { ["X-RATELIMIT-LIMIT"] = "1000", ["X-Ratelimit-Remaining"] = "7",
                                 ["x-RateLimit-Reset"] = "1769469564" } }
      assert(c:entries())
      assert.are.same({ limit = 1000, remaining = 7, reset = 1769469564 }, c:rate_limit())
    end)

    it("waits for the reset after a 429, then sends again", function()
      local c = client()
      server:inject{ times = 1, reset_in = 2 }
      local list = assert(c:entries())
      assert.are.equal(3, #list)
      assert.are.same({ "429" }, reasons())
      assert.are.equal(429, infos[1].error.status)
      assert.is_true(slept[1] >= 1 and slept[1] <= 4, "slept " .. tostring(slept[1]))
      assert.are.equal(2, #server:requests())
    end)

    it("gives up on a 429 whose reset is beyond max_wait, with retry_after", function()
      local c = client{ max_wait = 10 }
      server:inject{ reset_in = 100 }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal("api", err.kind)
      assert.are.equal(429, err.status)
      assert.are.equal("APP_002", err.code)
      -- whole seconds of two clocks (the fake's Date comes from a coarse one)
      assert.is_true(err.retry_after >= 98 and err.retry_after <= 102, tostring(err.retry_after))
      assert.are.equal(1, #server:requests())
      assert.are.same({}, slept)
    end)

    it("stops after `retries` 429s", function()
      local c = client{ retries = 2 }
      server:inject{ reset_in = 0 }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal(429, err.status)
      assert.are.equal(3, #server:requests())
      assert.are.same({ "429", "429" }, reasons())
    end)

    it("waits before sending when the budget is spent, instead of spending a request on a 429", function()
      local c = client()
      server:inject{ times = 1, headers = { ["x-ratelimit-remaining"] = "0",
                                            ["x-ratelimit-reset"] = tostring(os.time() + 3) } }
      assert(c:entries())
      assert.are.same({}, reasons())
      assert(c:entries())
      assert.are.same({ "rate_limit" }, reasons())
      assert.is_true(slept[1] > 0 and slept[1] <= 5)
      assert.are.equal(2, #server:requests())
    end)

    it("shares one budget between the clients of a token", function()
      local a, b = client(), client()
      server:inject{ times = 1, headers = { ["x-ratelimit-remaining"] = "0",
                                            ["x-ratelimit-reset"] = tostring(os.time() + 3) } }
      assert(a:entries())
      assert(b:current() ~= nil)
      assert.are.same({ "rate_limit" }, reasons())
      -- another token has its own budget
      local m = clickup.new{ token = server.member_token, team_id = server.team_id,
                             base_url = server.base_url, on_retry = function(i) infos[#infos + 1] = i end }
      assert(m:entries())
      assert.are.equal(1, #infos)
    end)

    it("does not send at all when the budget is spent for longer than max_wait", function()
      local c = client{ max_wait = 5 }
      server:inject{ times = 1, headers = { ["x-ratelimit-remaining"] = "0",
                                            ["x-ratelimit-reset"] = tostring(os.time() + 120) } }
      assert(c:entries())
      local r, err = c:create{ start = 1000, duration = 1000 }
      assert.is_nil(r)
      assert.are.equal(429, err.status)
      assert.is_false(err.sent)
      assert.is_true(err.retry_after >= 100)
      assert.are.equal(1, #server:requests())
    end)
  end)

  describe("retries of idempotent requests", function()
    it("retries a GET on 502/503/504 with backoff, up to success", function()
      local c = client()
      server:inject{ times = 1, status = 503, body = "busy" }
      server:inject{ times = 1, status = 502, body = "<html>bad gateway</html>", content_type = "text/html" }
      assert.are.equal(3, #assert(c:entries()))
      assert.are.same({ "status_503", "status_502" }, reasons())
      assert.are.equal(2, infos[1].attempt)
      assert.are.equal(3, infos[2].attempt)
      assert.is_true(slept[1] >= 0 and slept[1] <= 0.01)         -- full jitter within base * 2^0
      assert.is_true(slept[2] >= 0 and slept[2] <= 0.02)         -- ... and base * 2^1
      assert.are.equal(3, #server:requests())
    end)

    it("retries a GET after a dropped connection and a reset mid-body", function()
      local c = client()
      server:inject{ times = 1, drop = "before" }
      server:inject{ times = 1, truncate = 20, rst = true }
      assert.are.equal(3, #assert(c:entries()))
      assert.are.equal(2, #infos)
      assert.are.equal("transport", infos[1].error.kind)
      assert.are.equal("transport", infos[2].error.kind)
    end)

    it("retries PUT and DELETE too", function()
      local c = client()
      local first = assert(c:entries())[1]
      server:inject{ times = 1, method = "PUT", status = 504, body = "" }
      assert.are.equal("x", assert(c:update(first.id, { description = "x" })).description)
      server:inject{ times = 1, method = "DELETE", status = 500, body = "" }
      assert.are.equal(first.id, assert(c:delete(first.id))[1].id)
      assert.are.same({ "status_504", "status_500" }, reasons())
    end)

    it("is bounded: `retries` retries, then the error", function()
      local c = client{ retries = 3 }
      server:inject{ status = 503, body = "" }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal(503, err.status)
      assert.are.equal(4, #server:requests())
      assert.are.equal(3, #infos)
    end)

    it("does not retry a 4xx", function()
      local c = client()
      local r, err = c:entry("1234567890123456789")
      assert.is_nil(r)
      assert.are.equal(401, err.status)
      assert.are.same({}, infos)
    end)
  end)

  describe("POSTs are never applied twice", function()
    local start = 1700000000000

    local function create(c)
      return c:create{ start = start, duration = 30 * MINUTE, tid = "86c7mc19h", description = "invoiced work" }
    end

    local function created()
      local n = 0
      for _, e in ipairs(server:state().entries) do
        if e.description == "invoiced work" then n = n + 1 end
      end
      return n
    end

    -- each fault: what the create must come back with, and the reasons the client gives
    local faults = {
      { "dropped after processing", { drop = "after" }, { "reconcile" } },
      { "dropped before processing", { drop = "before" }, { "reconcile", "resend" } },
      { "502 after processing", { process = true, status = 502, body = "<html>bad gateway</html>",
                                  content_type = "text/html" }, { "reconcile" } },
      { "502 without processing", { status = 502, body = "" }, { "reconcile", "resend" } },
      { "reset mid-body", { truncate = 30, rst = true }, { "reconcile" } },
      { "garbage 200", { garbage = true }, { "reconcile" } },
      { "answer after the timeout", { delay = 1.5 }, { "reconcile" } },
    }

    for _, f in ipairs(faults) do
      it("create: " .. f[1], function()
        local c = client{ timeout = 0.5 }
        assert(c:entries())                   -- a warm, reused connection
        local before = count_entries()
        local inj = { method = "POST", path = team(), times = 1 }
        for k, v in pairs(f[2]) do inj[k] = v end
        server:inject(inj)
        local e, err = create(c)
        assert(e, tostring(err))
        assert.are.equal(clickup.Entry, getmetatable(e))
        assert.are.equal(start, e.start)
        assert.are.equal(30 * MINUTE, e.duration)
        assert.are.same(f[3], reasons())
        assert.are.equal(1, created())
        assert.are.equal(before + 1, count_entries())
        local posts = 0
        for _, req in ipairs(server:requests()) do
          if req.method == "POST" and req.processed then posts = posts + 1 end
        end
        assert.are.equal(1, posts)                -- processed once: nobody resent it blindly
      end)
    end

    it("create: refused connections are sent again (nothing reached ClickUp)", function()
      local socket = require "socket"
      local s = assert(socket.bind("127.0.0.1", 0))
      local _, port = s:getsockname()
      s:close()
      local c = clickup.new{ token = server.token, team_id = server.team_id, retries = 2, backoff = 0.01,
                             base_url = "http://127.0.0.1:" .. port .. "/api/v2",
                             on_retry = function(i) infos[#infos + 1] = i end, sleep = function() end }
      local r, err = create(c)
      assert.is_nil(r)
      assert.are.equal("connect", err.code)
      assert.is_false(err.sent)
      assert.are.same({ "connect", "connect" }, reasons())
    end)

    it("create: when the state cannot be read, the outcome is unknown and nothing is resent", function()
      local c = client{ retries = 0 }
      server:inject{ method = "POST", path = team(), times = 1, drop = "after" }
      server:inject{ method = "GET", path = team(), status = 500, body = "" }
      local r, err = create(c)
      assert.is_nil(r)
      assert.are.equal("unknown", err.outcome)
      assert.are.same({ "reconcile" }, reasons())
      assert.are.equal(1, created())
    end)

    it("start: one timer, whatever the fault", function()
      for _, f in ipairs(faults) do
        server:reset()
        infos = {}
        local c = client{ timeout = 0.5 }
        local old = server:seed{ entries = { { start = clickup.now_ms() - 60 * MINUTE, tid = "86c7mc2ab",
                                               description = "earlier" } } }[1]
        assert.are.equal(old, running_id())
        local before = count_entries()
        local inj = { method = "POST", path = team("/start"), times = 1 }
        for k, v in pairs(f[2]) do inj[k] = v end
        server:inject(inj)
        local e, err = c:start{ tid = "86c7mc19h", description = "coding" }
        assert(e, f[1] .. ": " .. tostring(err))
        assert.is_true(e:is_running(), f[1])
        assert.are.equal("coding", e.description, f[1])
        assert.are.equal(e.id, running_id(), f[1])
        assert.are.equal(before + 1, count_entries(), f[1])
        assert.are.same(f[3], reasons(), f[1])
      end
    end)

    it("stop: the stopped entry, stopped once", function()
      for _, f in ipairs(faults) do
        server:reset()
        infos = {}
        local c = client{ timeout = 0.5 }
        local id = server:seed{ entries = { { start = clickup.now_ms() - 10 * MINUTE, description = "run" } } }[1]
        local before = count_entries()
        local inj = { method = "POST", path = team("/stop"), times = 1 }
        for k, v in pairs(f[2]) do inj[k] = v end
        server:inject(inj)
        local e, err = c:stop()
        assert(e, f[1] .. ": " .. tostring(err))
        assert.are.equal(id, e.id, f[1])
        assert.is_false(e:is_running(), f[1])
        assert.is_nil(running_id(), f[1])
        assert.are.equal(before, count_entries(), f[1])
        assert.are.same(f[3], reasons(), f[1])
      end
    end)

    it("a soak: 4 rounds of every fault, on creates and starts alike, apply each exactly once", function()
      server:configure{ rate_limit = 100000 }         -- ~200 requests in a few seconds
      local c = client{ timeout = 0.5 }
      local before, creates, starts = count_entries(), 0, 0
      for round = 1, 4 do
        for i, f in ipairs(faults) do
          local inj = { method = "POST", path = team(), times = 1 }
          for k, v in pairs(f[2]) do inj[k] = v end
          server:inject(inj)
          local e, err = c:create{ start = start + (round * 100 + i) * MINUTE, duration = MINUTE,
                                     description = "soak " .. round .. "." .. i }
          assert(e, f[1] .. ": " .. tostring(err) .. " " .. table.concat(reasons(), ","))
          assert.are.equal("soak " .. round .. "." .. i, e.description)
          creates = creates + 1
          inj.path = team("/start")
          server:inject(inj)
          local t = assert(c:start{ description = "timer " .. round .. "." .. i })
          assert.are.equal(t.id, running_id())
          starts = starts + 1
        end
      end
      assert.are.equal(28, creates)
      assert.are.equal(28, starts)
      local soaked, timers = 0, 0
      for _, e in ipairs(server:state().entries) do
        if e.description:match("^soak ") then soaked = soaked + 1 end
        if e.description:match("^timer ") then timers = timers + 1 end
      end
      assert.are.equal(28, soaked)                   -- one entry per create
      assert.are.equal(28, timers)                   -- one timer per start, each stopped by the next
      assert.are.equal(before + 56, count_entries())
    end)

    it("add_tags and add_task_time reconcile too", function()
      local c = client()
      local first = assert(c:entries())[1]
      server:inject{ method = "POST", path = team("/tags"), times = 1, drop = "after" }
      assert.is_true(assert(c:add_tags(first.id, { "meeting" })))
      server:inject{ method = "POST", path = team("/tags"), times = 1, drop = "before" }
      assert.is_true(assert(c:add_tags(first.id, { "deep-work" })))
      assert.are.same({ "reconcile", "reconcile", "resend" }, reasons())
      local names = {}
      for _, t in ipairs(assert(c:entry(first.id)).tags) do names[#names + 1] = t.name end
      table.sort(names)
      assert.are.equal("meeting", first.tags[1].name)   -- the oldest seeded entry had one tag
      assert.are.same({ "deep-work", "meeting" }, names)

      infos = {}
      local before = count_entries()
      server:inject{ method = "POST", path = "/task/86c7mc19h/time", times = 1, drop = "after" }
      local r = assert(c:add_task_time("86c7mc19h", { start = start, ["end"] = start + MINUTE, time = MINUTE }))
      assert.matches("^%d+$", r.id)
      assert.are.equal(start, assert(c:entry(r.id)).start)
      assert.are.equal(before + 1, count_entries())
      assert.are.same({ "reconcile" }, reasons())
    end)
  end)

  describe("timeouts and limits", function()
    it("aborts a stalled transfer", function()
      local c = client{ retries = 0, stall_timeout = 1, timeout = 20 }
      server:inject{ times = 1, delay = 4 }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal("timeout", err.code)
      assert.matches("too slow", err.message)
    end)

    it("gives up on a slow drip at the timeout", function()
      local c = client{ retries = 0, timeout = 0.5 }
      server:inject{ times = 1, drip = 200 }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal("timeout", err.code)
    end)

    it("takes a slow drip that finishes in time", function()
      local c = client{ retries = 0 }
      server:inject{ times = 1, status = 200, body = '{"data":[]}', drip = 200 }
      assert.are.same({}, assert(c:entries()))
    end)

    it("refuses an answer larger than max_response", function()
      local c = client{ retries = 0, max_response = 1024 }
      local big = '{"data":[' .. ('{"id":"1","description":"' .. ("x"):rep(100) .. '"},'):rep(20) .. '{"id":"2"}]}'
      server:inject{ times = 1, status = 200, body = big }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal("decode", err.kind)
      assert.are.equal("too_large", err.code)
      assert.matches("max_response", err.message)
      -- the same without a Content-Length to go by: a drip, counted as it arrives
      server:inject{ times = 1, status = 200, body = big, drip = 100000 }
      r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal("too_large", err.code)
      assert.are.same({}, assert(c:entries{ start_date = 0, end_date = 1 }))
    end)

    it("refuses JSON labelled as something else", function()
      local c = client{ retries = 0 }
      server:inject{ times = 1, status = 200, body = '{"data":[]}', content_type = "text/plain" }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal("bad_json", err.code)
      assert.matches("text/plain, not JSON", err.message, 1, true)
    end)
  end)

  describe("hostile input", function()
    it("no caller string changes the path, the query or the headers", function()
      local c = client()
      c:entry("1\r\nX-Evil: yes\r\n\r\nGET /x")
      c:entries{ start_date = 1, end_date = 2, task_id = "a&team_id=1&assignee=2#frag" }
      local log = server:requests()
      assert.are.equal("/api/v2" .. team("/1%0D%0AX-Evil%3A%20yes%0D%0A%0D%0AGET%20%2Fx"), log[1].path)
      assert.is_nil(log[1].headers["x-evil"])
      assert.are.same({ start_date = "1", end_date = "2", task_id = "a&team_id=1&assignee=2#frag" }, log[2].query)
    end)

    it("raises for control characters in anything that goes into a header", function()
      for _, bad in ipairs{ "pk_1\r\nX: y", "pk_1\n", "pk_\0" } do
        assert.has_error(function() clickup.new{ token = bad, base_url = server.base_url } end)
      end
      assert.has_error(function() clickup.new{ token = "pk_1", team_id = "1\r\n2" } end)
      assert.has_error(function() clickup.new{ token = "pk_1", ca_file = "/x\n" } end)
    end)

    it("refuses plain http to a host that is not loopback, unless allowed", function()
      local ok, msg = pcall(clickup.new, { token = "pk_1", base_url = "http://api.clickup.com/api/v2" })
      assert.is_false(ok)
      assert.matches("clear text", msg)
      assert.is_nil(msg:find("pk_1", 1, true))
      for _, url in ipairs{ "http://localhost:1/api/v2", "http://127.0.0.1:1", "http://127.9.9.9/x",
                            "http://[::1]:8080/api/v2", "https://api.clickup.com/api/v2" } do
        assert.is_table(clickup.new{ token = "pk_1", base_url = url }, url)
      end
      assert.is_table(clickup.new{ token = "pk_1", base_url = "http://api.clickup.com/api/v2",
                                   allow_insecure_http = true })
      for _, url in ipairs{ "ftp://x/y", "https://", "not a url", "https://h/api?x=1", "http://127.0.0.1.evil.com/" } do
        assert.has_error(function() clickup.new{ token = "pk_1", base_url = url } end, nil, url)
      end
    end)
  end)
end)
