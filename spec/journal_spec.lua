-- The journal (clickup.time.journal): writes are durable on the machine
-- first, work when ClickUp cannot be reached, and arrive exactly once with
-- the times the person meant.

local clickup = require "clickup.time"
local journal = require "clickup.time.journal"
local file = require "clickup.time.journal.file"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local MIN = 60000

describe("the journal", function()
  local server, c, dead, path, j

  local function entries_with(description)
    local out = {}
    for _, e in ipairs(server:state().entries) do
      if e.description == description then out[#out + 1] = e end
    end
    return out
  end

  local function lines()
    local text = support.slurp(path) or ""
    local n = 0
    for _ in text:gmatch("[^\n]+") do n = n + 1 end
    return n, text
  end

  setup(function() server = fake.spawn{} end)
  teardown(function() server:stop() end)

  before_each(function()
    server:reset()
    server:clear_injections()
    c = support.client(server, { retries = 0 })
    dead = support.client(server, { retries = 0,
                                    base_url = ("http://127.0.0.1:%d/api/v2"):format(support.closed_port()) })
    path = os.tmpname()
    os.remove(path)
    path = path .. "/journal"
    j = assert(journal.open{ path = path })
  end)
  after_each(function()
    c:close()
    dead:close()
    os.execute("rm -rf " .. path:match("^(.*)/journal$"))
  end)

  it("is a private file in a private folder, and holds no token", function()
    j:log(dead, { start = clickup.now_ms() - 10 * MIN, duration = 5 * MIN, description = "private" })
    local p = io.popen("stat -c '%a' " .. path .. " " .. path:match("^(.*)/journal$"))
    local modes = p:read("*a")
    p:close()
    assert.are.equal("600\n700\n", modes)
    assert.is_nil(select(2, lines()):find(server.token, 1, true))
  end)

  it("online, returns what the client returns and leaves an empty journal", function()
    local e = assert(j:start(c, { tid = "86c7mc19h", description = "online" }))
    assert.are.equal(clickup.Entry, getmetatable(e))
    assert.is_true(e:is_running())
    local s = assert(j:stop(c))
    assert.are.equal(e.id, s.id)
    assert.is_false(s:is_running())
    assert.are.equal(0, (lines()))
    assert.are.equal(1, #entries_with("online"))
  end)

  it("offline, a start and a stop become one entry with exactly their times", function()
    local t0 = clickup.now_ms()
    local a = j:start(dead, { tid = "86c7mc2ab", description = "on the train" })
    assert.is_true(a.queued)
    assert.are.equal("start", a.op)
    local st = j:status(server.team_id)
    assert.is_true(st.running["local"])
    assert.are.equal("86c7mc2ab", st.running.task.id)
    local b = j:stop(dead)
    assert.is_true(b.queued)
    assert.is_false(j:status(server.team_id).running)
    assert.are.equal(0, #entries_with("on the train"))
    local sm = j:sync(c)
    assert.are.equal(2, #sm.sent)
    assert.are.equal(0, sm.pending)
    local list = entries_with("on the train")
    assert.are.equal(1, #list)
    assert.are.equal(a.at, list[1].start)
    assert.are.equal(b.at, list[1]["end"])
    assert.is_true(a.at >= t0)
    assert.are.equal("86c7mc2ab", list[1].tid)
    assert.is_nil(server:state().running[server.user_id])
    assert.are.equal(0, (lines()))                                  -- compacted
  end)

  it("a stop made offline for a timer started online sets its end to the stop's time", function()
    local e = assert(j:start(c, { tid = "86c7mc19h", description = "started online" }))
    local stop = j:stop(dead)
    assert.is_true(stop.queued)
    assert.are.same({ id = e.id, start = e.start }, stop.args.target)
    os.execute("sleep 1.2")                                         -- ClickUp's clock runs on
    local sm = j:sync(c)
    assert.are.equal(1, #sm.sent)
    local list = entries_with("started online")
    assert.are.equal(1, #list)
    assert.are.equal(stop.at, list[1]["end"])
    assert.is_nil(server:state().running[server.user_id])
  end)

  it("a timer started offline long ago and running at sync: a gap entry, the live timer, merged on stop", function()
    local now = clickup.now_ms()
    local start = j:start(dead, { tid = "86c7mc19h", description = "long offline", at = now - 10 * MIN })
    assert.is_true(start.queued)
    assert.are.equal(now - 10 * MIN, start.at)
    local sm = j:sync(c)
    assert.are.equal(1, #sm.sent)
    local list = entries_with("long offline")
    assert.are.equal(2, #list)                                      -- the gap, and the live timer
    table.sort(list, function(x, y) return x.start < y.start end)
    assert.are.equal(now - 10 * MIN, list[1].start)
    assert.is_number(list[1]["end"])
    assert.are.equal(list[2].id, server:state().running[server.user_id])
    local stopped = assert(j:stop(c))
    list = entries_with("long offline")
    assert.are.equal(1, #list)                                      -- merged: no minute lost, none doubled
    assert.are.equal(now - 10 * MIN, list[1].start)
    assert.is_true(math.abs(list[1]["end"] - stopped["end"]) <= 1000)
    assert.is_nil(server:state().running[server.user_id])
  end)

  it("a start over a running timer ends that one at the start's time", function()
    local T = clickup.now_ms() - 60 * MIN
    local clock = T
    local jc = assert(journal.open{ path = path, now = function() return clock end })
    server:set_clock(T)
    local first = assert(jc:start(c, { description = "first" }))
    assert.are.equal(T, first.start)
    clock = T + 3 * MIN
    local second = jc:start(dead, { description = "second" })         -- offline, 3 minutes later
    assert.is_true(second.queued)
    clock = T + 5 * MIN
    server:set_clock(T + 5 * MIN)
    jc:sync(c)
    local f = entries_with("first")[1]
    assert.are.equal(T + 3 * MIN, f["end"])                           -- not when the sync stopped it
    local s2 = entries_with("second")
    table.sort(s2, function(x, y) return x.start < y.start end)
    assert.are.equal(T + 3 * MIN, s2[1].start)                        -- the gap, then the live timer
    assert.are.equal(T + 5 * MIN, s2[1]["end"])
    assert.are.equal(s2[2].id, server:state().running[server.user_id])
    server:set_clock(nil)
  end)

  it("a log goes out as its create, exactly once, even when the answer was lost", function()
    local start = clickup.now_ms() - 60 * MIN
    local q = j:log(dead, { start = start, duration = 30 * MIN, tid = "86c7mc2ab", description = "logged" })
    assert.is_true(q.queued)
    -- the create is processed but its answer lost, and ClickUp is then unreachable for reading
    server:inject{ method = "POST", path = "/team/" .. server.team_id .. "/time_entries", drop = "after", times = 1 }
    server:inject{ method = "GET", path = "/team/" .. server.team_id .. "/time_entries", status = 503,
                   body = "", times = 1 }
    local sm = j:sync(c)
    assert.are.equal(1, sm.pending)
    assert.are.equal(1, #entries_with("logged"))
    sm = j:sync(c)                                                  -- looks for it before sending again
    assert.are.equal(0, sm.pending)
    assert.are.equal(1, #sm.sent)
    local list = entries_with("logged")
    assert.are.equal(1, #list)
    assert.are.equal(start, list[1].start)
    assert.are.equal(start + 30 * MIN, list[1]["end"])
  end)

  it("edits and deletes entries that exist only in the journal, in the journal", function()
    local q = j:log(dead, { start = clickup.now_ms() - 60 * MIN, duration = 30 * MIN, description = "draft" })
    local v = j:edit(dead, q.id, { description = "final", duration = 45 * MIN })
    assert.is_true(v["local"])
    assert.are.equal("final", v.args.description)
    local q2 = j:log(dead, { start = clickup.now_ms() - 30 * MIN, duration = 5 * MIN, description = "oops" })
    local d = j:delete(dead, q2.id)
    assert.are.same({ { id = q2.id, ["local"] = true } }, d)
    j:sync(c)
    assert.are.equal(0, #entries_with("draft"))
    assert.are.equal(0, #entries_with("oops"))
    local list = entries_with("final")
    assert.are.equal(1, #list)
    assert.are.equal(45 * MIN, list[1]["end"] - list[1].start)
  end)

  it("edits and deletes on ClickUp when it can be reached again", function()
    local e = assert(j:log(c, { start = clickup.now_ms() - 60 * MIN, duration = 10 * MIN, description = "kept" }))
    local gone = assert(j:log(c, { start = clickup.now_ms() - 30 * MIN, duration = 5 * MIN, description = "gone" }))
    assert.is_true(j:edit(dead, e.id, { description = "renamed" }).queued)
    assert.is_true(j:delete(dead, gone.id).queued)
    j:sync(c)
    assert.are.equal(1, #entries_with("renamed"))
    assert.are.equal(0, #entries_with("gone"))
  end)

  it("keeps an intent ClickUp refuses for good, marked failed, never sent again, until dropped", function()
    local q = j:log(dead, { start = clickup.now_ms() - 60 * MIN, duration = MIN, tid = "nosuchtask1",
                            description = "refused" })
    local sm = j:sync(c)
    assert.are.equal(1, #sm.failed)
    assert.is_string(sm.failed[1].code)
    assert.are.equal(sm.failed[1].code, j:failed()[1].code)
    server:clear_log()
    j:sync(c)
    assert.are.equal(0, #server:requests())                         -- never retried blindly
    assert.are.equal(1, #j:status(server.team_id).failed)
    assert.is_true(j:drop(q.id))
    assert.are.equal(0, #j:failed())
    assert.are.equal(0, (lines()))
  end)

  it("returns nil and ClickUp's error for a write refused at once", function()
    local r, err = j:log(c, { start = clickup.now_ms(), duration = MIN, tid = "nosuchtask1" })
    assert.is_nil(r)
    assert.are.equal("api", err.kind)
    assert.are.equal(1, #j:failed())
  end)

  it("raises a programmer's mistake, and writes nothing", function()
    assert.has_error(function() j:log(c, { start = "not a time", duration = MIN }) end)
    assert.has_error(function() j:start(c, { tidd = "86c7mc19h" }) end)
    assert.are.equal(0, (lines()))
  end)

  it("reads a torn last line without loss of what came before", function()
    j:log(dead, { start = clickup.now_ms() - 60 * MIN, duration = MIN, description = "before the tear" })
    local f = assert(io.open(path, "a"))
    f:write('{"t":"intent","v":1,"id":"x-1-1","ws":"')            -- a crash in the middle of a write
    f:close()
    assert.are.equal(1, #j:pending())
    j:sync(c)
    assert.are.equal(1, #entries_with("before the tear"))
    assert.are.equal(0, (lines()))
  end)

  it("reads a journal of format 1 as it was written, and keeps records it does not know", function()
    local fixture = assert(support.slurp("spec/journal/v1.jsonl"))
    local text = fixture:gsub("{{WS}}", server.team_id)
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
    local pending = j:pending()
    assert.are.equal(3, #pending)                                   -- a log, and a start with its stop
    assert.are.equal(1, #j:failed())
    j:sync(c)
    assert.are.equal(1, #entries_with("fixture log"))
    assert.are.equal(1, #entries_with("fixture offline timer"))
    local _, after = lines()
    assert.truthy(after:find('"t":"note"', 1, true))                -- a record of a later version: kept
    assert.truthy(after:find('"v":2', 1, true))
  end)

  it("lets one process send at a time", function()
    local other = assert(journal.open{ path = path, lock_wait = 0 })
    j:log(dead, { start = clickup.now_ms() - 60 * MIN, duration = MIN, description = "queued" })
    local held = assert(file.lock(path, ".send", 0))
    local sm = other:sync(c)
    assert.is_true(sm.busy)
    assert.are.equal(0, #entries_with("queued"))
    held:unlock()
    sm = other:sync(c)
    assert.are.equal(1, #sm.sent)
    assert.are.equal(1, #entries_with("queued"))
  end)

  it("syncs without blocking, with a callback", function()
    j:log(dead, { start = clickup.now_ms() - 60 * MIN, duration = MIN, description = "async" })
    local got
    j:sync(c, function(sm) got = sm end)
    assert.is_nil(got)
    c:wait(5000)
    assert.are.equal(1, #got.sent)
    assert.are.equal(1, #entries_with("async"))
  end)

  it("answers status from what it knows, without the network", function()
    local e = assert(j:start(c, { tid = "86c7mc19h" }))
    j:note_running(e, server.team_id)
    local st = j:status(server.team_id)
    assert.are.equal(e.id, st.running.id)
    j:stop(dead)
    assert.is_false(j:status(server.team_id).running)
    j:sync(c)
  end)
end)
