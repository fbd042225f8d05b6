-- Crash at every step: the clickup-time command (start, stop, log, edit,
-- delete, cancel) in a child process, killed with SIGKILL at a point of its
-- work (CLICKUP_TIME_CRASH_AT: before the journal write, after it, before
-- the request, after the answer and before the acknowledgement, after it)
-- or at a random moment (sometimes while the local server holds the answer
-- back, so that it dies between the request and the answer); after each, a
-- sync. ClickUp must then hold each intended entry exactly once, and no
-- unintended one.

local clickup = require "clickup.time"
local journal = require "clickup.time.journal"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local ROOT = os.getenv("PWD")
local KILLS = tonumber(os.getenv("CT_KILLS") or "") or 210
local POINTS = { "before", "intent", "attempt", "sent", "ack", "random", "random-slow" }
local OPS = { "log", "start", "stop", "cancel", "edit", "delete" }

describe("the journal, killed at every step", function()
  local server, c, path, home

  setup(function()
    server = fake.spawn{ rate_limit = 100000 }
    c = support.client(server, { retries = 2, backoff = 0.01 })
    path = os.tmpname()
    os.remove(path)
    home = require("spec.cli_support").tmpdir()       -- the command's home (its caches), not the checkout
  end)
  teardown(function()
    c:close()
    server:stop()
    require("spec.cli_support").rmdir(home)
    os.remove(path)
    os.remove(path .. ".lock"); os.remove(path .. ".send"); os.remove(path .. ".state")
  end)

  local cli = require "spec.cli_support"
  local COMMANDS = {
    log = function(desc) return ("log 10m -m %s --at '90 min ago'"):format(cli.q(desc)) end,
    start = function(desc) return ("start --no-branch -m %s"):format(cli.q(desc)) end,
    stop = function() return "stop" end,
    cancel = function() return "cancel" end,
    edit = function(desc, target) return ("edit %s -m %s"):format(target, cli.q(desc)) end,
    delete = function(_, target) return ("delete %s --yes"):format(target) end,
  }

  local function child(op, desc, target, point)
    local vars = cli.env(server, home, { CLICKUP_JOURNAL = path, PWD = ROOT })
    if point ~= "random" and point ~= "random-slow" then vars.CLICKUP_TIME_CRASH_AT = point end
    local cmd = cli.env_prefix(vars) .. " " .. cli.COMMAND .. " " .. COMMANDS[op](desc, target)
    if point == "random" or point == "random-slow" then
      local ms = math.random(0, point == "random" and 150 or 450)
      cmd = ("sh -c '%s >/dev/null 2>&1 & p=$!; sleep %.3f; kill -9 $p 2>/dev/null; wait $p' 2>/dev/null"):format(
        cmd:gsub("'", "'\\''"), ms / 1000)
    else
      cmd = cmd .. " >/dev/null 2>&1"
    end
    os.execute(cmd)
  end

  local function count(desc)
    local n = 0
    for _, e in ipairs(server:state().entries) do if e.description == desc then n = n + 1 end end
    return n
  end

  local function entry(id)
    for _, e in ipairs(server:state().entries) do if e.id == id then return e end end
  end

  it("keeps every intended entry exactly once and makes no other", function()
    math.randomseed(os.time())
    local t = { tried = 0, intended = 0, found = 0, duplicates = 0, lost = 0, unintended = 0 }
    local j = assert(journal.open{ path = path })
    for n = 1, KILLS do
      local op = OPS[(n - 1) % #OPS + 1]
      local point = POINTS[math.random(#POINTS)]
      local desc = ("%s-%d"):format(op, n)
      local target
      if op == "edit" or op == "delete" then
        target = assert(c:create{ start = clickup.now_ms() - 200 * 60000, duration = 60000,
                                  description = "target-" .. n }).id
      end
      assert.are.equal(0, #j:intents(), "the journal is not empty before a command")
      local running_before = server:state().running[server.user_id]
      if point == "random-slow" then server:inject{ delay = 0.3, times = 1 } end
      child(op, desc, target, point)
      t.tried = t.tried + 1
      local seen = #j:intents() > 0                  -- the person's command was recorded
      server:clear_injections()
      local sm = j:sync(c)
      assert.are.equal(0, sm.pending, "still pending after a sync: " .. tostring(sm.error))
      assert.are.equal(0, #sm.failed, "refused: " .. tostring(sm.failed[1] and sm.failed[1].code))
      local ok, effect                               -- effect: it happened; ok: exactly as meant
      if op == "log" or op == "start" or op == "edit" then
        local k = count(desc)
        effect, ok = k > 0, k == 1 or (k == 0 and not seen)
        if k > 1 then t.duplicates = t.duplicates + 1 end
      elseif op == "delete" then
        effect = entry(target) == nil
        ok = effect or not seen
      else                                           -- stop, cancel: what ran before is over (or gone)
        local after = server:state().running[server.user_id]
        local e = running_before and entry(running_before)
        effect = running_before ~= nil and after == nil and (op == "stop" and e ~= nil and e["end"] ~= nil
                                                              or op == "cancel" and e == nil)
        ok = effect or not seen or running_before == nil
        if seen and after ~= nil then t.unintended = t.unintended + 1 end
      end
      if seen or effect then
        t.intended = t.intended + 1
        if ok and (effect or running_before == nil) then t.found = t.found + 1 end
      end
      if not ok then t.lost = t.lost + 1 end
    end

    io.stderr:write(("\njournal crash spec: %d kills, %d entries intended, %d found, %d duplicates, %d lost\n")
                    :format(t.tried, t.intended, t.found, t.duplicates, t.lost))
    assert.are.equal(0, t.duplicates)
    assert.are.equal(0, t.lost)
    assert.are.equal(0, t.unintended)
    assert.are.equal(t.intended, t.found)
    assert.is_true(t.tried >= math.min(200, KILLS))
    assert.is_true(t.intended > t.tried / 3, "too few intents were written to prove anything: " .. t.intended)
  end)
end)
