-- The clickup-time command, run as a subprocess against the local server:
-- the timer commands, log, entries, edit, delete, @n references, custom
-- task ids and the Git branch.

local fake = require "clickup.time.fake"
local cli = require "spec.cli_support"
local when = require "clickup.time.when"

local MIN, HOUR, DAY = 60000, 3600000, 86400000

describe("clickup-time", function()
  local server, home

  setup(function()
    server = fake.spawn{ rate_limit = 100000 }
    home = cli.tmpdir()
  end)
  teardown(function()
    server:stop()
    cli.rmdir(home)
  end)
  before_each(function()
    server:reset()
    cli.fresh_journal()
  end)

  local function run(args, extra, opts) return cli.run(cli.env(server, home, extra), args, opts) end
  local function posts(suffix) return cli.requests(server, "POST", suffix) end
  local function now() return require("clickup.time").now_ms() end

  describe("timers", function()
    it("status: exit 1 when no timer runs, 0 while one does; start, stop", function()
      local st, out = run("status")
      assert.are.equal(1, st)
      assert.are.equal("No timer running.\n", out)
      st, out = run("start 86c7mc19h Coding the CLI --billable --tag billing")
      assert.are.equal(0, st)
      assert.matches("^Started Task 1 at %d%d:%d%d: Coding the CLI %(entry %d+%)\n$", out)
      local req = posts("/time_entries/start")[1]
      assert.are.same({ tid = "86c7mc19h", description = "Coding the CLI", billable = true,
                        tags = { { name = "billing" } } }, req.json)
      st, out = run("status")
      assert.are.equal(0, st)
      assert.matches("^Running: Task 1: Coding the CLI, since %d%d:%d%d %(%d+s%)\n$", out)
      st, out = run("stop")
      assert.are.equal(0, st)
      assert.matches("^Stopped Task 1: Coding the CLI after %d+s", out)
      st, out = run("stop")
      assert.are.same({ 1, "No timer was running.\n" }, { st, out })
    end)

    it("status --json, for prompts and bars", function()
      local st, out = run("status --json")
      assert.are.same({ 1, { running = false, source = "clickup" } }, { st, cli.json(out) })
      run("start 86c7mc2ab -m docs --tag billing")
      st, out = run("status --json")
      assert.are.equal(0, st)
      local doc = cli.json(out)
      assert.is_true(doc.running)
      assert.are.same({ id = "86c7mc2ab", name = "Write API docs", custom_id = "DEV-42" }, doc.task)
      assert.are.same({ "docs", { "billing" } }, { doc.description, doc.tags })
      assert.is_number(doc.elapsed_ms)
      assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d$", doc.start_local)
    end)

    it("start while a timer runs says which one it stopped and its time", function()
      local t = now()
      server:set_clock(t - 25 * MIN)
      run("start 86c7mc19h first")
      server:set_clock(t)
      local st, out = run("start 86c7mc2ab second")
      assert.are.equal(0, st)
      local lines = {}
      for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
      assert.matches("^Stopped Task 1: first after 25m %(%d%d:%d%d%-%d%d:%d%d%)$", lines[1])
      assert.matches("^Started Write API docs at", lines[2])
      server:set_clock(nil)
    end)

    it("start takes the task from the Git branch when no word names one", function()
      local repo = cli.tmpdir()
      assert(os.execute("mkdir -p " .. cli.q(repo .. "/.git") .. " " .. cli.q(repo .. "/src")))
      local f = assert(io.open(repo .. "/.git/HEAD", "w"))
      f:write("ref: refs/heads/feature/CU-86c7mc19h-fix-login\n")
      f:close()
      local st, out = run("start fixing the login", { PWD = repo .. "/src" })
      assert.are.equal(0, st, out)
      assert.matches("Task 86c7mc19h from the branch feature/CU%-86c7mc19h%-fix%-login\n", out)
      assert.are.same({ tid = "86c7mc19h", description = "fixing the login" }, posts("/start")[1].json)
      server:clear_log()
      run("start --no-branch just words", { PWD = repo })
      assert.are.same({ description = "just words" }, posts("/start")[1].json)
      cli.rmdir(repo)
    end)

    it("start --at backdates the timer (an entry for the time before, then the timer), not while one runs", function()
      local st, out = run("start 86c7mc19h --at '10 min ago' -m late")
      assert.are.equal(0, st, out)
      local gap = posts("/time_entries")[1].json                -- ClickUp starts timers only now
      local t = now()
      assert.is_true(math.abs(gap.start - (t - 10 * MIN)) < 5000)
      assert.is_true(math.abs(gap["end"] - t) < 5000)
      assert.are.same({ "86c7mc19h", "late" }, { gap.tid, gap.description })
      assert.are.same({ tid = "86c7mc19h", description = "late" }, posts("/time_entries/start")[1].json)
      st, out = run("status")
      assert.are.equal(0, st)
      assert.matches("%(10m%)", out)                            -- since the time it started
      st, out = run("start 86c7mc2ab --at '5 min ago'")
      assert.are.equal(2, st)
      assert.are.equal("", out)
      assert.are.equal(1, #posts("/time_entries"))            -- nothing more was sent
      assert.matches("^Running: Task 1", (select(2, run("status"))))
      assert.are.equal(2, (run("start --at 'in 1h'")))
      -- stopped: one entry from the time it started, no minute lost or doubled
      st, out = run("stop")
      assert.are.equal(0, st, out)
      assert.matches("^Stopped Task 1: late after 10m", out)
      local mine = {}
      for _, e in ipairs(server:state().entries) do if e.description == "late" then mine[#mine + 1] = e end end
      assert.are.equal(1, #mine)
      assert.is_true(math.abs(mine[1].start - (t - 10 * MIN)) < 5000)
    end)

    it("stop --at backdates the end (the start sent with it, as ClickUp wants)", function()
      local id = server:seed{ entries = { { tid = "86c7mc19h", start = now() - 30 * MIN } } }[1]  -- running
      local st, out = run("stop --at '5 min ago'")
      assert.are.equal(0, st, out)
      assert.matches("^Stopped Task 1 after 25m", out)
      local put = cli.requests(server, "PUT")[1]
      assert.are.equal(id, put.path:match("(%d+)$"))
      local seeded
      for _, e in ipairs(server:state().entries) do if e.id == id then seeded = e end end
      assert.are.equal(seeded.start, put.json.start)
      assert.is_true(math.abs(put.json["end"] - (now() - 5 * MIN)) < 5000)
      assert.are.equal(1, (run("status")))
      assert.are.equal(1, (run("stop --at '1 min ago'")))     -- nothing runs
      run("start 86c7mc19h")
      st = run("stop --at '1h ago'")                          -- before it started
      assert.are.equal(2, st)
    end)

    it("cancel discards the running timer; exit 1 when none runs", function()
      run("start 86c7mc19h doomed")
      local before = #server:state().entries
      local st, out = run("cancel")
      assert.are.equal(0, st)
      assert.matches("^Cancelled Task 1: doomed, running since", out)
      assert.are.equal(before - 1, #server:state().entries)
      assert.are.equal(1, (run("status")))
      st, out = run("cancel")
      assert.are.same({ 1, "No timer running.\n" }, { st, out })
    end)

    it("continue restarts the task, description and tags of the last entry, or of @n or an id", function()
      local id = server:seed{ entries = {
        { tid = "86c7mc2ab", start = now() - 3 * HOUR, duration = HOUR, description = "docs", billable = true,
          tags = { "billing" } },
      } }[1]
      local st, out = run("continue")
      assert.are.equal(0, st, out)
      assert.matches("^Continued Write API docs: docs at", out)
      assert.are.same({ tid = "86c7mc2ab", description = "docs", billable = true, tags = { { name = "billing" } } },
                      posts("/start")[1].json)
      assert.are.equal(2, (run("continue")))                  -- it runs already
      run("stop")
      server:clear_log()
      assert.are.equal(0, (run("continue " .. id)))
      assert.are.equal("docs", posts("/start")[1].json.description)
      run("stop")
      server:clear_log()
      -- @1, @2: the two continues; @3 the seeded entry; @4 Implement login, 2 days ago
      assert.are.equal(0, (run("continue @4")))
      assert.are.equal("Implement login", posts("/start")[1].json.description)
    end)
  end)

  describe("log", function()
    it("a duration, ending now or starting --at", function()
      local st, out = run("log 1h30m 86c7mc2ab --at '2026-11-20 14:00' -m Review")
      assert.are.equal(0, st, out)
      assert.matches("^Logged 1h 30m on Write API docs, Fri 2026%-11%-20 14:00%-15:30 %(entry %d+%)\n$", out)
      local body = posts("/time_entries")[1].json
      assert.are.same({ 1795183200000, 5400000, "Review" }, { body.start, body.duration, body.description })
      server:clear_log()
      assert.are.equal(0, (run("log 45m writing the docs")))
      body = posts("/time_entries")[1].json
      assert.are.equal("writing the docs", body.description)
      assert.is_true(math.abs(body.start + body.duration - now()) < 5000)
    end)

    it("FROM-TO: today's times, a day in FROM, across midnight", function()
      local today = when.parse("today")
      local st, out = run("log 9:00-10:30 86c7mc19h review")
      assert.are.equal(0, st, out)
      local body = posts("/time_entries")[1].json
      assert.are.same({ today + 9 * HOUR, today + 10.5 * HOUR, "86c7mc19h", "review" },
                      { body.start, body["end"], body.tid, body.description })
      server:clear_log()
      assert.are.equal(0, (run("log 'yesterday 14:00-15:15'")))
      body = posts("/time_entries")[1].json
      assert.are.same({ today - DAY + 14 * HOUR, today - DAY + 15.25 * HOUR }, { body.start, body["end"] })
      server:clear_log()
      assert.are.equal(0, (run("log 'yesterday 23:00-01:00'")))
      body = posts("/time_entries")[1].json
      assert.are.same({ today - DAY + 23 * HOUR, today + HOUR }, { body.start, body["end"] })
      server:clear_log()
      assert.are.equal(0, (run("log '2026-11-20 9:00-2026-11-20 9:45'")))
      assert.are.equal(45 * MIN, posts("/time_entries")[1].json["end"] - posts("/time_entries")[1].json.start)
    end)

    it("refuses what it cannot read, before any request", function()
      server:clear_log()
      for _, args in ipairs{ "log forever", "log 10:30-9:00x", "log 9:00-10:30 --at yesterday", "log 0m" } do
        local st, out, err = run(args)
        assert.are.equal(2, st, args)
        assert.are.equal("", out)
        assert.matches("^clickup%-time: [^\n]+\n$", err)
      end
      assert.are.equal(0, #server:requests())
    end)
  end)

  describe("entries", function()
    it("a table with @n, billable, tags and the end date of an entry across midnight", function()
      local t = when.parse("today")
      server:seed{ entries = {
        { tid = "86c7mc2ab", start = t - DAY + 22 * HOUR, duration = 4 * HOUR, description = "night",
          billable = true, tags = { "deep-work" } },
      } }
      local st, out = run("entries 'last 30 days'")
      assert.are.equal(0, st, out)
      local lines = {}
      for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
      assert.are.equal(5, #lines)
      assert.matches("^@1  %d+  %a%a%a %d%d%-%d%d 22:00%-%a%a%a %d%d%-%d%d 02:00  4h 00m  Write API docs  %$  "
                     .. "#deep%-work  night$", lines[4])
      assert.matches("^@2 .* Task 1 +%$  #billing +Implement login$", lines[3])
      assert.matches("^4 entries, 6h 15m within last 30 days$", lines[5])
    end)

    it("counts only the part inside the range", function()
      local t = when.parse("today")
      server:seed{ entries = { { start = t - 2 * HOUR, duration = 5 * HOUR, description = "across midnight" } } }
      local st, out = run("entries yesterday")
      assert.are.equal(0, st, out)
      assert.matches("\n1 entry, 2h 00m within yesterday\n$", out)
    end)

    it("filters: --tag, --billable, --task, --grep, --user", function()
      local function count(args)
        local _, out = run("entries 'last 30 days' --json " .. args)
        return #cli.json(out)
      end
      assert.are.equal(3, count(""))
      assert.are.equal(1, count("--tag billing"))
      assert.are.equal(1, count("--billable"))
      assert.are.equal(2, count("--not-billable"))
      assert.are.equal(1, count("--task 86c7mc2ab"))
      assert.are.equal(1, count("--task DEV-42"))
      assert.are.equal(1, count("--grep MEETING"))
      assert.are.equal(0, count("--user 'Member User'"))
    end)

    it("everyone's entries have a user column", function()
      local st, out = run("entries 'last 30 days' --everyone")
      assert.are.equal(0, st, out)
      assert.matches("Member User", out)
      assert.matches("Admin Two", out)
    end)

    it("JSON: lists are [], each entry with its @n; CSV: local dates and times, decimal hours, ids", function()
      local st, out = run("entries 'last 30 days' --json")
      assert.are.equal(0, st)
      assert.is_nil(out:find('"tags":{}', 1, true))
      assert.truthy(out:find('"tags":[]', 1, true))
      local list = cli.json(out)
      assert.are.equal(3, #list)
      assert.is_string(list[1].id)
      assert.are.equal("@3", list[1].ref)
      st, out = run("entries 'last 30 days' --csv")
      assert.are.equal(0, st)
      local lines = {}
      for line in out:gmatch("([^\r\n]*)\r\n") do lines[#lines + 1] = line end
      assert.are.equal("ref,id,date,start,end_date,end,hours,hours_in_range,task_id,task_custom_id,task_name,"
                       .. "user_id,user_name,billable,tags,description,start_ms,end_ms", lines[1])
      assert.are.equal(4, #lines)
      assert.matches("^@1,%d+,%d%d%d%d%-%d%d%-%d%d,%d%d:%d%d:%d%d,%d%d%d%d%-%d%d%-%d%d,%d%d:%d%d:%d%d,1%.00,1%.00,"
                     .. "86c7mc19h,,Task 1,272627274,Example User,true,billing,Implement login,%d+,%d+$", lines[4])
    end)
  end)

  describe("@n, edit and delete", function()
    it("@1 is the most recent entry, wherever an id goes", function()
      local _, out = run("log 45m -m 'to edit'")
      local id = out:match("entry (%d+)")
      local st, out2 = run("edit @1 -m edited --duration 1h")
      assert.are.equal(0, st, out2)
      assert.matches("^Updated " .. id, out2)
      assert.are.same({ description = "edited", duration = 3600000 }, cli.requests(server, "PUT")[1].json)
      assert.are.equal(2, (run("edit @99 -m x")))
      st, out2 = run("delete @1")
      assert.are.equal(0, st)
      assert.matches("^Deleted " .. id, out2)
    end)

    it("delete when ClickUp answers with an empty body (as its spec documents): done, exit 0", function()
      local id = server:seed{ entries = { { start = now() - HOUR, duration = 30 * MIN, description = "empty" } } }[1]
      server:inject{ method = "DELETE", path = "/team/" .. server.team_id .. "/time_entries/" .. id,
                     process = true, status = 200, body = "" }
      local st, out, err = run("delete " .. id .. " --yes")
      assert.are.same({ 0, "" }, { st, err })
      assert.are.equal("Deleted " .. id .. " ((no task): empty, 30m)\n", out)
      for _, e in ipairs(server:state().entries) do assert.are_not.equal(id, e.id) end
    end)

    it("edit adds and removes tags, or replaces them (through ClickUp's label routes)", function()
      local id = server:seed{ entries = {
        { start = now() - HOUR, duration = MIN, tags = { "billing", "meeting" } } } }[1]
      local function tags_after(args)
        server:clear_log()
        local st, out, err = run("edit " .. id .. " " .. args)
        assert.are.equal(0, st, err)
        assert.are.equal(0, #cli.requests(server, "PUT"))        -- ClickUp's PUT ignores tags
        local names = {}
        for _, e in ipairs(server:state().entries) do
          if e.id == id then
            for _, t in ipairs(e.tags) do names[#names + 1] = type(t) == "table" and t.name or t end
          end
        end
        table.sort(names)
        return names, out
      end
      assert.are.same({ "billing", "deep-work", "meeting" }, tags_after("--tag +deep-work"))
      assert.are.same({ "billing", "deep-work" }, tags_after("--tag=-meeting"))
      assert.are.same({ "deep-work" }, tags_after("--untag billing"))
      local names, out = tags_after("--tag a --tag b")
      assert.are.same({ "a", "b" }, names)
      assert.matches("#a #b\n$", out)
      -- mixed: the resulting set
      assert.are.same({ "b", "c" }, (tags_after("--tag +c --untag a")))
    end)

    it("edit --start alone keeps the end; --end alone keeps the start", function()
      local t = now()
      local id = server:seed{ entries = { { start = t - 3 * HOUR, ["end"] = t - HOUR } } }[1]
      server:clear_log()
      assert.are.equal(0, (run("edit " .. id .. " --start '4h ago'")))
      local body = cli.requests(server, "PUT")[1].json
      assert.is_true(math.abs(body.start - (t - 4 * HOUR)) < 5000)
      assert.are.equal(t - HOUR, body["end"])
      server:clear_log()
      assert.are.equal(0, (run("edit " .. id .. " --end '30 min ago'")))
      body = cli.requests(server, "PUT")[1].json
      assert.is_true(math.abs(body["end"] - (t - 30 * MIN)) < 5000)
      assert.is_true(math.abs(body.start - (t - 4 * HOUR)) < 5000)
      assert.are.equal(2, (run("edit " .. id .. " --end '5h ago'")))   -- before the start
    end)

    it("edit --duration on a running timer is refused, and sends nothing", function()
      run("start 86c7mc19h")
      server:clear_log()
      local st, out, err = run("edit @1 --duration 1h")
      assert.are.equal(2, st)
      assert.are.equal("", out)
      assert.matches("running timer: %-%-duration would stop it", err)
      assert.are.equal(0, #cli.requests(server, "PUT"))
      assert.are.equal(0, (run("status")))
    end)

    it("an unknown id: no such time entry", function()
      local st, out, err = run("edit 4927021999999999999 -m x")
      assert.are.same({ 2, "", "clickup-time: no such time entry: 4927021999999999999\n" }, { st, out, err })
    end)

    it("delete: a mixed list says which ids do not exist and deletes nothing", function()
      local ids = server:seed{ entries = { { start = now() - HOUR, duration = MIN } } }
      local before = #server:state().entries
      local st, out, err = run("delete " .. ids[1] .. " 4927021999999999998 4927021999999999999")
      assert.are.equal(2, st)
      assert.are.equal("", out)
      assert.are.equal("clickup-time: no such time entries: 4927021999999999998, 4927021999999999999 "
                       .. "(nothing deleted)\n", err)
      assert.are.equal(before, #server:state().entries)
      assert.are.equal(0, #cli.requests(server, "DELETE"))
    end)

    it("delete asks on a terminal, --yes does not", function()
      if not cli.have("script") then
        pending("no script(1) for a terminal")
        return
      end
      local id = server:seed{ entries = { { start = now() - HOUR, duration = MIN, description = "keep me" } } }[1]
      local vars = cli.env(server, home)
      local out = cli.sh(vars, "echo n | script -qec \"$CLI delete " .. id .. "\" /dev/null; echo \"rc=$?\"")
      assert.matches("Delete 1 entry%?", out)
      assert.matches("keep me", out)
      assert.matches("Nothing deleted%.", out)
      assert.are.equal(0, #cli.requests(server, "DELETE"))
      out = cli.sh(vars, "echo y | script -qec \"$CLI delete " .. id .. "\" /dev/null")
      assert.matches("Deleted " .. id, out)
      local other = server:seed{ entries = { { start = now() - HOUR, duration = MIN } } }[1]
      out = cli.sh(vars, "script -qec \"$CLI delete --yes " .. other .. "\" /dev/null </dev/null")
      assert.is_nil(out:find("Delete 1 entry?", 1, true))
      assert.matches("Deleted " .. other, out)
    end)
  end)

  describe("custom task ids", function()
    it("a word like DEV-42 is a custom id, sent with custom_task_ids and team_id", function()
      local st, out = run("start DEV-42 docs")
      assert.are.equal(0, st, out)
      local req = posts("/start")[1]
      assert.are.same({ tid = "DEV-42", description = "docs" }, req.json)
      assert.are.same({ "true", server.team_id }, { req.query.custom_task_ids, req.query.team_id })
      assert.matches("^Started Write API docs", out)
    end)

    it("--custom makes the first word one; the pattern comes from the config file", function()
      local st, _, err = run("log 30m --custom dev-42 lower case")
      assert.are.equal(2, st)                                -- ClickUp's custom ids are case-sensitive
      assert.matches("no such task: dev%-42", err)
      server:clear_log()
      local path = home .. "/.config/clickup-time/config"
      assert(os.execute("mkdir -p " .. cli.q(home .. "/.config/clickup-time")))
      local f = assert(io.open(path, "w"))
      f:write("custom_pattern = ^DEV%-%d+$   # only DEV ids\n")
      f:close()
      local out
      st, out = run("log 30m DEV-42 by the pattern")
      assert.are.equal(0, st, out)
      assert.are.equal("DEV-42", posts("/time_entries")[1].json.tid)
      server:clear_log()
      run("log 30m ABC-1 not a task")                        -- ABC-1 no longer matches
      assert.are.equal("ABC-1 not a task", posts("/time_entries")[1].json.description)
      os.remove(path)
    end)
  end)
end)
