-- Non-blocking calls: a callback as the last argument, driven by poll and
-- wait, or by a libuv loop (clickup.time.uv); parallel calls; waits that are
-- scheduled, never slept.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local budget = require "clickup.time.budget"
local support = require "spec.support"

describe("non-blocking calls", function()
  local server, c, slept

  setup(function() server = fake.spawn{ rate_limit = 100000 } end)
  teardown(function() server:stop() end)
  before_each(function()
    server:reset()
    server:configure{ rate_limit = 100000 }
    budget.forget(server.token)
    slept = {}
    c = clickup.new{ token = server.token, team_id = server.team_id, base_url = server.base_url,
                     backoff = 0.01, sleep = function(s) slept[#slept + 1] = s end }
  end)
  after_each(function() c:close() end)

  local function team(rest) return "/team/" .. server.team_id .. "/time_entries" .. (rest or "") end

  it("return a handle at once; the callback gets what the blocking call returns", function()
    local got
    local h = c:entries(function(r, err) got = { r, err } end)
    assert.is_table(h)
    assert.is_nil(got)                                  -- nothing ran yet
    assert.are.equal(0, c:wait(5000))
    assert.is_true(h:done())
    assert.are.same({ assert(c:entries()), nil }, got)
    assert.are.equal(clickup.Entry, getmetatable(got[1][1]))
  end)

  it("deliver false, and errors, exactly as the blocking forms", function()
    local cur, bad
    c:current(function(r, err) cur = { r, err } end)
    c:entry("1234567890123456789", function(r, err) bad = { r, err } end)
    c:wait(5000)
    assert.is_false(cur[1])
    assert.is_nil(bad[1])
    assert.are.equal("OAUTH_018", bad[2].code)
    assert.are.equal(401, bad[2].status)
  end)

  it("poll moves them on without waiting longer than asked", function()
    local done = 0
    for _ = 1, 3 do c:tags(function() done = done + 1 end) end
    assert.are.equal(3, c:poll(0))
    local left = 3
    for _ = 1, 200 do
      left = c:poll(50)
      if left == 0 then break end
    end
    assert.are.equal(0, left)
    assert.are.equal(3, done)
  end)

  it("raise a programmer's mistake at the call, not in the callback", function()
    local called = false
    local ok, msg = pcall(function() return c:entries({ bogus = true }, function() called = true end) end)
    assert.is_false(ok)
    assert.matches("async_spec%.lua:%d+: clickup%.time: entries: unknown parameter 'bogus'", msg)
    assert.are.equal(0, c:wait(100))
    assert.is_false(called)
  end)

  it("cancel: the callback gets nil and code cancelled, and nothing else", function()
    server:inject{ path = team("/current"), delay = 0.5 }
    local got = {}
    local h = c:current(function(r, err) got[#got + 1] = { r, err } end)
    c:poll(20)
    assert.is_true(h:cancel())
    assert.is_false(h:cancel())
    assert.are.equal(1, #got)
    assert.is_nil(got[1][1])
    assert.are.equal("cancelled", got[1][2].code)
    assert.are.equal(0, c:wait(1000))
    assert.are.equal(1, #got)
  end)

  it("an error raised in a callback surfaces from poll, and the client stays usable", function()
    c:tags(function() error("boom in a callback") end)
    local ok, msg = pcall(c.wait, c, 5000)
    assert.is_false(ok)
    assert.matches("boom in a callback", msg)
    assert.are.equal(3, #assert(c:entries()))
    local again
    c:tags(function(r) again = r end)
    c:wait(5000)
    assert.is_table(again)
  end)

  it("schedule retries and rate-limit waits instead of sleeping", function()
    server:inject{ times = 2, path = team(), status = 503, body = "" }
    server:inject{ times = 1, path = team("/tags"), reset_in = 1 }
    local entries, tags
    c:entries(function(r) entries = r end)
    c:tags(function(r) tags = r end)
    local polls = 0
    while c:poll(20) > 0 do polls = polls + 1 end
    assert.are.equal(3, #entries)
    assert.is_table(tags)
    assert.are.same({}, slept)                          -- the blocking sleep was never used
    assert.is_true(polls > 1)                           -- the host got control back meanwhile
  end)

  it("share one rate budget between concurrent calls", function()
    server:inject{ times = 1, path = team("/tags"), headers = { ["x-ratelimit-remaining"] = "0",
                                                              ["x-ratelimit-reset"] = tostring(os.time() + 2) } }
    assert(c:tags())
    local infos = {}
    c._on_retry = function(info) infos[#infos + 1] = info.reason end
    local n = 0
    for _ = 1, 3 do c:tags(function() n = n + 1 end) end
    c:wait(10000)
    assert.are.equal(3, n)
    assert.are.same({ "rate_limit", "rate_limit", "rate_limit" }, infos)
  end)

  it("never duplicate a POST: reconciliation works in non-blocking mode too", function()
    server:inject{ times = 1, method = "POST", path = team(), drop = "after" }
    local before = #server:state().entries
    local e
    c:create({ start = 1700000000000, duration = 60000, description = "async" }, function(r) e = r end)
    c:wait(10000)
    assert.are.equal("async", e.description)
    assert.are.equal(before + 1, #server:state().entries)
  end)

  describe("parallel", function()
    it("returns results and errors aligned with the calls", function()
      local first = assert(c:entries())[1]
      local results, errors = c:parallel{
        { "entries" }, { "entry", first.id }, { "current" }, { "entry", "1234567890123456789" }, { "tags" },
      }
      assert.are.equal(3, #results[1])
      assert.are.equal(first.id, results[2].id)
      assert.is_false(results[3])
      assert.is_nil(results[4])
      assert.are.equal("OAUTH_018", errors[4].code)
      assert.is_table(results[5])
      assert.is_nil(errors[1])
      assert.is_nil(errors[5])
    end)

    it("streams results to each, and keeps none with keep = false", function()
      local first = assert(c:entries())[1]
      local seen = {}
      local results, errors = c:parallel({ { "entry", first.id }, { "current" }, { "entry", "1234567890123456789" } },
                                         { concurrency = 2, keep = false,
                                           each = function(i, r, err) seen[i] = { r, err } end })
      assert.are.same({}, results)
      assert.are.equal(first.id, seen[1][1].id)
      assert.is_false(seen[2][1])
      assert.are.equal("OAUTH_018", seen[3][2].code)
      assert.are.equal("OAUTH_018", errors[3].code)          -- errors are kept: they are small
      -- a result given to each and dropped by the caller is collected, though the caller keeps
      -- what parallel returned: nothing of ours holds it (with keep, the returned list would)
      local weak = setmetatable({}, { __mode = "v" })
      local kept = c:parallel({ { "entries" } }, { keep = false, each = function(_, r) weak[1] = r end })
      collectgarbage(); collectgarbage()
      assert.is_nil(weak[1])
      assert.are.same({}, kept)
      assert.has_error(function() c:parallel({ { "current" } }, { keep = false }) end)
    end)

    it("runs at most max_concurrency at once (connections at the server)", function()
      server:clear_log()
      local calls = {}
      for i = 1, 12 do calls[i] = { "tags" } end
      server:inject{ path = team("/tags"), delay = 0.05 }
      local results = c:parallel(calls, 3)
      assert.are.equal(12, #results)
      local conns = {}
      for _, req in ipairs(server:requests()) do conns[req.connection] = true end
      local n = 0
      for _ in pairs(conns) do n = n + 1 end
      assert.is_true(n >= 2 and n <= 3, n .. " connections")
    end)

    it("never runs more than the rate budget allows", function()
      -- ClickUp says one request is left, every time: one at a time, then
      server:inject{ times = 1, path = team("/tags"), headers = { ["x-ratelimit-remaining"] = "1" } }
      assert(c:tags())
      server:clear_log()
      server:inject{ path = team("/current"), delay = 0.05, headers = { ["x-ratelimit-remaining"] = "1" } }
      local calls = {}
      for i = 1, 4 do calls[i] = { "current" } end
      c:parallel(calls, 8)
      local conns = {}
      for _, req in ipairs(server:requests()) do conns[req.connection] = true end
      local n = 0
      for _ in pairs(conns) do n = n + 1 end
      assert.are.equal(1, n)
    end)

    it("checks every call before sending any", function()
      server:clear_log()
      assert.has_error(function() c:parallel{ { "entries" }, { "entry", 42 } } end)
      assert.has_error(function() c:parallel{ { "nope" } } end)
      assert.are.same({}, server:requests())
    end)

    it("takes a callback and does not block", function()
      local got
      c:parallel({ { "tags" }, { "current" } }, function(results, errors) got = { results, errors } end)
      assert.is_nil(got)
      c:wait(5000)
      assert.is_table(got[1][1])
      assert.is_false(got[1][2])
    end)
  end)

  for _, mode in ipairs{ "poll_fd", "sockets" } do
  describe("on a libuv loop (" .. mode .. ")", function()
    local uv = require "luv"
    local function attach(client) return require("clickup.time.uv").attach(client, { sockets = mode == "sockets" }) end

    -- libuv finishes closing handles on the next turn of the loop
    after_each(function() uv.run("nowait") end)

    it("delivers while the host's timers keep ticking, waking only when there is work", function()
      local detach = attach(c)
      server:inject{ path = team("/current"), delay = 0.4 }
      local first = assert(c:entries())[1]
      local ticks = 0
      local tick = uv.new_timer()
      tick:start(10, 10, function() ticks = ticks + 1 end)
      local got, cur
      c:entry(first.id, function(e) got = e end)
      c:current(function(r) cur = r; tick:stop(); tick:close() end)
      uv.run()
      local wakeups = c._driver.wakeups
      detach()
      assert.are.equal(first.id, got.id)
      assert.is_false(cur)
      assert.is_true(ticks >= 5, ticks .. " ticks")   -- the loop was never blocked
      assert.is_true(wakeups < 20, wakeups .. " wake-ups")   -- no busy polling during the 0.4 s wait
    end)

    it("runs retries on the loop's timers", function()
      local detach = attach(c)
      server:inject{ times = 2, path = team("/tags"), status = 502, body = "" }
      local tags
      c:tags(function(r) tags = r; detach() end)
      uv.run()
      assert.is_table(tags)
      assert.are.same({}, slept)
    end)

    it("refuses to attach twice, or with calls already running", function()
      local detach = attach(c)
      assert.has_error(function() attach(c) end)
      detach()
      c:tags(function() end)
      assert.has_error(function() attach(c) end)
      c:wait(5000)
    end)

    -- (per socket, luv itself prints libuv's EBADF for a refused socket: the poll_fd is why)
    if mode == "poll_fd" then it("fails a refused connection quietly, and the loop ends", function()
      local dead = support.client(server, { base_url = ("http://127.0.0.1:%d/api/v2"):format(support.closed_port()),
                                            retries = 0 })
      local detach = attach(dead)
      local got, gerr
      dead:current(function(r, e) got, gerr = r, e end)
      uv.run()
      detach()
      dead:close()
      assert.is_nil(got)
      assert.are.equal("connect", gerr.code)
    end) end
  end)
  end
end)
