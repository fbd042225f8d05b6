-- The command with ClickUp unreachable, then back: every change the person
-- made arrives once, with the times they made it. And two processes (the
-- command in a loop, a script through the library) sharing one journal
-- under random faults: nothing lost, nothing sent twice.

local journal = require "clickup.time.journal"
local fake = require "clickup.time.fake"
local support = require "spec.support"
local cli = require "spec.cli_support"

local ROOT = os.getenv("PWD")
local MIN = 60000

describe("clickup-time, offline", function()
  local server, home, path, down

  setup(function()
    server = fake.spawn{ rate_limit = 100000 }
    home = cli.tmpdir()
    down = ("http://127.0.0.1:%d/api/v2"):format(support.closed_port())
  end)
  teardown(function()
    server:stop()
    cli.rmdir(home)
  end)
  before_each(function()
    server:reset()
    path = cli.fresh_journal()
  end)

  local function run(args, url)
    return cli.run(cli.env(server, home, { CLICKUP_BASE_URL = url or server.base_url }), args)
  end
  local function offline(args) return run(args, down) end

  local function entries(desc)
    local out = {}
    for _, e in ipairs(server:state().entries) do if e.description == desc then out[#out + 1] = e end end
    return out
  end

  -- the recorded intents of the journal, by op (the times the person acted)
  local function intents()
    local by = {}
    for _, v in ipairs(assert(journal.open{ path = path }):intents()) do
      by[v.op] = by[v.op] or {}
      table.insert(by[v.op], v)
    end
    return by
  end

  it("start, stop and log succeed locally, say so, and arrive with their times", function()
    local st, out, err = offline("start 86c7mc19h -m 'on the train'")
    assert.are.same({ 0, "" }, { st, err })
    assert.matches("^ClickUp unreachable: start at %d%d:%d%d recorded, it will be sent\n$", out)
    st, out = offline("status")
    assert.are.equal(0, st)
    assert.matches("^Running: 86c7mc19h: on the train, since %d%d:%d%d %(%d+s%) %(started while ClickUp was "
                   .. "unreachable; it will be sent%)\n1 change waits to be sent", out)
    st, out = offline("stop")
    assert.are.equal(0, st)
    assert.matches("^ClickUp unreachable: stop at %d%d:%d%d recorded, it will be sent\n$", out)
    st, out = offline("log 30m 86c7mc2ab -m 'written offline'")
    assert.are.equal(0, st)
    assert.matches("^ClickUp unreachable: log of %d%d:%d%d%-%d%d:%d%d recorded, it will be sent\n$", out)
    st, out = run("status --cached", down)
    assert.are.equal(1, st)
    assert.matches("^No timer running%. %(from the journal%)\n3 changes wait to be sent", out)
    assert.are.equal(0, #server:requests())
    local recorded = intents()
    -- back online: the next command sends them first, in order
    local err2
    st, out, err2 = run("status")
    assert.are.equal(1, st)
    assert.are.equal("No timer running.\n", out)
    assert.are.equal("clickup-time: sent 2 changes recorded while ClickUp was unreachable\n", err2)
    local timer = entries("on the train")
    assert.are.equal(1, #timer)
    assert.are.equal(recorded.start[1].at, timer[1].start)              -- to the millisecond
    assert.are.equal(recorded.stop[1].at, timer[1]["end"])
    assert.are.equal("86c7mc19h", timer[1].tid)
    local logged = entries("written offline")
    assert.are.equal(1, #logged)
    assert.are.equal(recorded.log[1].args.start, logged[1].start)
    assert.are.equal(30 * MIN, logged[1]["end"] - logged[1].start)
    assert.are.equal("86c7mc2ab", logged[1].tid)
    assert.are.equal("", (support.slurp(path) or ""))                  -- all sent: compacted
  end)

  it("--json on a write: the entry, or the change that waits, \"queued\": true", function()
    local st, out = run("start 86c7mc19h -m json --json")
    assert.are.equal(0, st)
    local doc = cli.json(out)
    assert.is_false(doc.queued)
    assert.are.equal("json", doc.entry.description)
    assert.matches("^%d+$", doc.entry.id)
    st, out = offline("stop --json")
    assert.are.equal(0, st)
    doc = cli.json(out)
    assert.is_true(doc.queued)
    assert.are.equal("stop", doc.op)
    assert.is_number(doc.at)
    assert.matches("^ClickUp unreachable: stop at", doc.message)
    assert.are.equal(0, (run("sync")))
  end)

  it("a stop made offline sets the timer's end to the time of the stop", function()
    assert.are.equal(0, (run("start 86c7mc19h -m 'started online'")))
    local st = offline("stop")
    assert.are.equal(0, st)
    local at = intents().stop[1].at
    os.execute("sleep 1.1")
    assert.are.equal(0, (run("sync")))
    local e = entries("started online")[1]
    assert.are.equal(at, e["end"])
    assert.is_nil(server:state().running[server.user_id])
  end)

  it("edit, delete and cancel made offline are applied when ClickUp is back", function()
    local keep = server:seed{ entries = { { start = os.time() * 1000 - 5 * 60 * MIN, duration = 10 * MIN,
                                            description = "to edit" },
                                          { start = os.time() * 1000 - 4 * 60 * MIN, duration = 10 * MIN,
                                            description = "to delete" } } }
    assert.are.equal(0, (run("start 86c7mc19h -m doomed")))
    assert.are.equal(0, (offline("edit " .. keep[1] .. " -m edited")))
    assert.are.equal(0, (offline("delete " .. keep[2] .. " --yes")))
    assert.are.equal(0, (offline("cancel")))
    local st, out = run("sync")
    assert.are.equal(0, st, out)
    assert.matches("Sent: change of", out)
    assert.are.equal(1, #entries("edited"))
    assert.are.equal(0, #entries("to delete"))
    assert.are.equal(0, #entries("doomed"))
    assert.is_nil(server:state().running[server.user_id])
  end)

  it("keeps a change ClickUp refuses for good, shows it, and drops it on request", function()
    assert.are.equal(0, (offline("log 30m nosuchtask9 -m refused")))
    local st, out = run("sync")
    assert.are.equal(0, st)
    local id = out:match("Refused: log of .-: [%u_%d]+ .-%(kept: clickup%-time sync %-%-drop ([%x%-]+)%)")
    assert.is_string(id, out)
    st, out = run("status")
    assert.are.equal(1, st)
    assert.matches("ClickUp refused a log of .- %(clickup%-time sync %-%-drop " .. id:gsub("%-", "%%-") .. "%)", out)
    server:clear_log()
    run("sync")
    local posts = 0
    for _, r in ipairs(server:requests()) do if r.method == "POST" then posts = posts + 1 end end
    assert.are.equal(0, posts)                                          -- never sent again
    local dst, dout = run("sync --drop " .. id)
    assert.are.same({ 0, "Dropped " .. id .. "\n" }, { dst, dout })
    assert.are.equal(0, #assert(journal.open{ path = path }):intents())
  end)

  it("shares one journal between the command and a script for a while, under faults: none lost, none twice", function()
    local seconds = tonumber(os.getenv("CT_SHARE_SECONDS") or "") or 20
    local a_out, b_out = os.tmpname(), os.tmpname()
    local vars = cli.env(server, home, { CT_ROOT = ROOT })
    local cmd = cli.env_prefix(vars) .. " " .. cli.COMMAND
    -- the command in a loop, and the script, in the background
    local a = ([[end=$(( $(date +%%s) + %d )); i=0; while [ $(date +%%s) -lt $end ]; do i=$((i+1));
      %s --timeout 3 log 1m -m A-$i --at "$((300 + i)) min ago" >/dev/null 2>&1; echo "A-$i $?" >> %s; done]])
      :format(seconds, cmd, a_out)
    os.execute(("sh -c %s >/dev/null 2>&1 &"):format(cli.q(a)))
    os.execute(("%s %s %s/spec/journal/writer.lua %d %s >/dev/null 2>&1 &"):format(cli.env_prefix(vars), cli.LUA,
               ROOT, seconds, b_out))
    -- random faults while they run
    local faults = {
      { status = 500, body = "", times = 1 }, { drop = "after", times = 1 }, { drop = "before", times = 1 },
      { delay = 0.5, times = 1 }, { status = 503, body = "", times = 2 }, { rst = true, times = 1 },
    }
    local socket = require "socket"
    local stop_at = socket.gettime() + seconds
    math.randomseed(os.time())
    while socket.gettime() < stop_at do
      local f = faults[math.random(#faults)]
      local fault = {}
      for k, v in pairs(f) do fault[k] = v end
      fault.path_prefix = "/team/" .. server.team_id .. "/time_entries"
      pcall(server.inject, server, fault)
      socket.sleep(0.2 + math.random() * 0.4)
    end
    socket.sleep(4)                                   -- the last commands end
    server:clear_injections()
    assert.are.equal(0, (run("sync")))
    -- what each writer recorded (exit 0 / done or queued), found exactly once
    local intended, lost, twice = 0, 0, 0
    local seen = {}
    for _, e in ipairs(server:state().entries) do
      if e.description then seen[e.description] = (seen[e.description] or 0) + 1 end
    end
    for name, f in pairs{ A = a_out, B = b_out } do
      for line in (support.slurp(f) or ""):gmatch("[^\n]+") do
        local desc, result = line:match("^(%S+) (%S+)$")
        if result == "0" or result == "done" or result == "queued" then
          intended = intended + 1
          if (seen[desc] or 0) == 0 then lost = lost + 1 end
        end
        if (seen[desc] or 0) > 1 then twice = twice + 1 end
      end
      os.remove(f)
      assert.truthy(name)
    end
    io.stderr:write(("\njournal shared by two processes for %d s: %d entries intended, %d lost, %d twice\n")
                    :format(seconds, intended, lost, twice))
    assert.are.equal(0, lost)
    assert.are.equal(0, twice)
    assert.is_true(intended >= 20, "only " .. intended .. " entries were made")
  end)
end)
