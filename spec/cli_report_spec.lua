-- clickup-time report (and entries) through the command against the local
-- server: periods clipped, the same bill for every --by, amounts that add
-- up, week_start, rates by name, names not ids, the exports, and the HTML
-- page opened in headless Chromium.

local fake = require "clickup.time.fake"
local cli = require "spec.cli_support"

local MIN, HOUR, DAY = 60000, 3600000, 86400000

-- ms of a UTC date and time (the command runs with TZ=UTC)
local function utc(y, m, d, h, mi)
  -- days from civil (H. Hinnant), as clickup.time.when computes them
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return ((era * 146097 + doe - 719468) * 86400 + (h or 0) * 3600 + (mi or 0) * 60) * 1000
end

describe("clickup-time report", function()
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

  local function run(args, extra) return cli.run(cli.env(server, home, extra), args) end
  local function report(args, extra)
    local st, out, err = run("report " .. args .. " --json", extra)
    assert.are.equal(0, st, err)
    return cli.json(out)
  end

  -- the issue's entries: 48 h from Sunday 29 Nov 11:08, 4 h from Monday 30 Nov 22:00
  local function seed_issue()
    return server:seed{ entries = {
      { tid = "86c7mc19h", start = utc(2026, 11, 29, 11, 8), duration = 48 * HOUR, description = "long",
        tags = { "issue" } },
      { tid = "86c7mc2ab", start = utc(2026, 11, 30, 22), duration = 4 * HOUR, description = "night",
        tags = { "issue" } },
    } }
  end

  it("clips to the period: the 48 h entry across two weeks, by day", function()
    seed_issue()
    local last = report("2026-11-23..2026-11-29 --by day --grep long")
    assert.are.same({ utc(2026, 11, 23), utc(2026, 11, 30) }, { last.period.from, last.period.to })
    assert.are.equal(1, #last.groups)
    assert.are.same({ "Sun 29 Nov 2026", 12 * HOUR + 52 * MIN, 12.87 },
                    { last.groups[1].label, last.groups[1].ms, last.groups[1].hours })
    local this = report("2026-11-30..2026-12-06 --by day --grep long")
    assert.are.same({ "Mon 30 Nov 2026", 24 }, { this.groups[1].label, this.groups[1].hours })
    assert.are.same({ "Tue 1 Dec 2026", 11.13 }, { this.groups[2].label, this.groups[2].hours })
    assert.are.equal(35 * HOUR + 8 * MIN, this.total.ms)
    -- which part of which entry: the pieces
    assert.are.same({ 2, 3 }, { this.pieces[1].part, this.pieces[1].parts })   -- of the entry's three days
    assert.are.equal(last.pieces[1].entry_id, this.pieces[1].entry_id)
    -- the plain table says the same
    local _, text = run("report 2026-11-30..2026-12-06 --by day --grep long")
    assert.matches("\nTotal +35%.13\n", text)
  end)

  it("the 4 h entry across two months bills 2 h in each", function()
    seed_issue()
    local nov = report("2026-11 --grep night --rate 100")
    local dec = report("2026-12 --grep night --rate 100")
    assert.are.same({ 2, 200 }, { nov.total.hours, nov.total.amount })
    assert.are.same({ 2, 200 }, { dec.total.hours, dec.total.amount })
  end)

  it("the same totals for every --by; rows add up; hours x rate = amount", function()
    seed_issue()
    server:seed{ entries = {
      { tid = "86c7mc19h", start = utc(2026, 11, 24, 23, 55), duration = 10 * MIN, description = "ten" },
      { start = utc(2026, 11, 25, 9), duration = 7 * MIN, tags = { "billing" }, billable = true },
      { tid = "86c7mc3xy", start = utc(2026, 11, 26, 9), duration = 370 * MIN, tags = { "meeting" } },
    } }
    local first
    for _, by in ipairs{ "", "--by task", "--by day", "--by week", "--by month", "--by user", "--by billable",
                         "--by list", "--by day --by task", "--by tag" } do
      local r = report("2026-11-23..2026-12-06 --round 15m --rate 100 " .. by)
      local t = { r.total.hours, r.total.billed_hours, r.total.amount, r.total.count }
      if first then assert.are.same(first, t, by) else first = t end
      local hours, amount = 0, 0
      for _, g in ipairs(r.groups) do
        assert.are.equal(math.floor(g.billed_hours * 100 + 0.5) * 100, g.cents, by)   -- hours x 100 = amount
        hours, amount = hours + math.floor(g.billed_hours * 100 + 0.5), amount + g.cents
      end
      if by ~= "--by tag" and by ~= "" then
        assert.are.same({ math.floor(r.total.billed_hours * 100 + 0.5), r.total.cents }, { hours, amount }, by)
      end
    end
    -- the 10-minute entry at 23:55 rounded up to 15 min bills 25.00 by task and by day
    assert.are.equal(25, report("2026-11-24..2026-11-25 --grep ten --round 15m --rate 100 --by task").total.amount)
    assert.are.equal(25, report("2026-11-24..2026-11-25 --grep ten --round 15m --rate 100 --by day").total.amount)
    -- 6h 10m is 6.17 h: 617.00 at 100, not 616.92
    local six = report("2026-11-26 --task 86c7mc3xy --rate 100")
    assert.are.same({ 6.17, 617 }, { six.total.hours, six.total.amount })
    -- a 7-minute entry with --round 15m (up) is 0.25 h, with :nearest 0
    assert.are.equal(0.25, report("2026-11-25 --billable --round 15m").total.billed_hours)
    assert.are.equal(0, report("2026-11-25 --billable --round 15m:nearest").total.billed_hours)
  end)

  it("random entry sets: the same totals for every --by, rows that add up, hours x rate = amount", function()
    local seed = 1301
    local function rnd(a, b)
      seed = (seed * 16807) % 2147483647
      return a + seed % (b - a + 1)
    end
    local tasks = { "86c7mc19h", "86c7mc2ab", "86c7mc3xy", false }
    for set = 1, 12 do
      server:reset()
      local entries = {}
      for i = 1, rnd(1, 8) do
        local task = tasks[rnd(1, 4)]
        entries[i] = { tid = task or nil, start = utc(2026, 11, 20) + rnd(0, 20 * 24 * 60) * MIN,
                       duration = rnd(0, 3) == 0 and rnd(0, 50) * HOUR or rnd(1, 240) * MIN,
                       billable = rnd(0, 1) == 1, tags = rnd(0, 2) == 0 and { "billing" } or nil,
                       description = "set " .. set }
      end
      server:seed{ entries = entries }
      local common = ("2026-11-23..2026-12-06 --grep 'set %d' --round %s --rate %d"):format(set,
        ({ "6m", "15m", "30m:nearest" })[rnd(1, 3)], rnd(50, 150))
      local first
      for _, by in ipairs{ "--by task", "--by day", "--by week --week-start sunday", "--by day --by task" } do
        local r = report(common .. " " .. by)
        local t = { r.total.hours, r.total.billed_hours, r.total.cents }
        if first then assert.are.same(first, t, set .. by) else first = t end
        local sum = 0
        for _, g in ipairs(r.groups) do
          assert.are.equal(math.floor(g.billed_hours * 100 + 0.5) * g.rate, g.cents, set .. by)
          sum = sum + g.cents
        end
        assert.are.equal(r.total.cents, sum, set .. by)
      end
    end
  end)

  it("--week-start: the period, the labels and the request follow it", function()
    local now = require("clickup.time").now_ms()
    local d = math.floor(now / DAY)
    local sunday = (d - (d + 4) % 7) * DAY                   -- 1970-01-01 was a Thursday
    server:clear_log()
    local r = report("'this week' --by week", { CLICKUP_WEEK_START = false })
    assert.are.equal((d - (d + 3) % 7) * DAY, r.period.from)  -- Monday by default
    r = report("'this week' --by week --week-start sunday")
    assert.are.same({ sunday, sunday + 7 * DAY, "sunday" }, { r.period.from, r.period.to, r.week_start })
    for _, g in ipairs(r.groups) do assert.matches("^Week of Sun ", g.label) end
    local q = cli.requests(server, "GET", "/time_entries")
    assert.are.equal(tostring(sunday - 7 * DAY), q[#q].query.start_date)   -- the margin before the week
    assert.are.equal(tostring(sunday + 7 * DAY - 1), q[#q].query.end_date)
    r = report("'this week'", { CLICKUP_WEEK_START = "sun" })
    assert.are.equal(sunday, r.period.from)
  end)

  it("rates by user name, task and tag; bad rates are errors before any request", function()
    seed_issue()
    local r = report("2026-11 --tag issue --rate 10 --rate 'user:example user=150' --by user")
    -- November holds 12.87 h (Sun 29) + 24 h (Mon 30) of the long entry, 2 h of the night one
    assert.are.same({ 150, 5830.5 }, { r.groups[1].rate, r.groups[1].amount })
    r = report("2026-11 --tag issue --rate 10 --rate task:86c7mc2ab=90 --rate user:272627274=20 --by task")
    assert.are.same({ "Task 1", 20 }, { r.groups[1].label, r.groups[1].rate })       -- the user's rate
    assert.are.same({ "Write API docs", 90 }, { r.groups[2].label, r.groups[2].rate })  -- the task wins
    server:clear_log()
    for _, bad in ipairs{ "--rate=-5", "--rate -5", "--rate user:ann=lots", "--rate team:x=5", "--rate user:=5",
                          "--round forever", "--round 15m:sideways", "--by colour" } do
      local st, out, err = run("report 2026-11 " .. bad)
      assert.are.same({ 2, "" }, { st, out }, bad)
      assert.matches("^clickup%-time: [^\n]+\n$", err)
    end
    assert.are.equal(0, #server:requests())
  end)

  it("names, not ids: --by list asks ClickUp for the location names", function()
    seed_issue()
    local r = report("2026-11 --tag issue --by list")
    assert.are.same({ "Sprint 12", "Backlog" }, { r.groups[1].label, r.groups[2].label })
    local q = cli.requests(server, "GET", "/time_entries")
    assert.are.equal("true", q[#q].query.include_location_names)
  end)

  it("CSV a spreadsheet can use, Markdown, and JSON with [] for empty lists", function()
    seed_issue()
    local st, out = run("report 2026-11-30..2026-12-06 --grep long --csv --rate 100")
    assert.are.equal(0, st)
    local lines = {}
    for line in out:gmatch("([^\r\n]*)\r\n") do lines[#lines + 1] = line end
    assert.are.equal("date,start,end_date,end,entry_id,part,task,task_id,task_name,user_id,user_name,billable,"
                     .. "description,hours,billed_hours,rate,amount", lines[1])
    assert.matches("^2026%-11%-30,00:00:00,2026%-12%-01,00:00:00,%d+,2/3,Task 1,86c7mc19h,Task 1,272627274,"
                   .. "Example User,false,long,24%.00,24%.00,100,2400%.00$", lines[2])
    assert.matches("^2026%-12%-01,00:00:00,2026%-12%-01,11:08:00,%d+,3/3,.*,11%.13,11%.13,100,1113%.00$", lines[3])
    st, out = run("report 2026-11-30..2026-12-06 --grep long --csv-groups --by day")
    assert.are.equal(0, st)
    assert.are.equal("day,hours,billed_hours,rate,amount\r\nMon 30 Nov 2026,24.00,24.00,,\r\n"
                     .. "Tue 1 Dec 2026,11.13,11.13,,\r\n", out)
    st, out = run("report 2026-11-30..2026-12-06 --grep long --md")
    assert.are.equal(0, st)
    assert.are.equal("| Task | Hours |\n| --- | ---: |\n| Task 1 | 35.13 |\n| **Total** | **35.13** |\n", out)
    st, out = run("report 2020-01 --json")
    assert.are.equal(0, st)
    for _, list in ipairs{ "groups", "pieces", "days", "by" } do
      assert.truthy(out:find('"' .. list .. '":[', 1, true), list)
    end
    assert.is_nil(out:find("{}", 1, true))
  end)

  it("--html FILE: one page that headless Chromium shows, with the --json totals", function()
    local chromium = cli.have("chromium") and "chromium" or (cli.have("chromium-browser") and "chromium-browser")
    seed_issue()
    local args = "2026-11-23..2026-12-06 --tag issue --by task --by day --round 15m --rate 120"
    local page = home .. "/invoice.html"
    local st, out, err = run("report " .. args .. " --html " .. cli.q(page))
    assert.are.equal(0, st, err)
    assert.matches("^Wrote " .. page:gsub("%p", "%%%0") .. ": 52%.00 h, 6240%.00, 2 entries\n$", out)
    local html = cli.slurp(page)
    assert.is_nil(html:find("https?://"))
    assert.is_nil(html:find("<script", 1, true))
    local json = report(args)
    if not chromium then
      pending("no chromium (make deps installs it)")
      return
    end
    local profile = cli.tmpdir()
    local flags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                  .. "--disable-background-networking --disable-component-update --disable-sync "
                  .. "--user-data-dir=" .. cli.q(profile)
    local shot = home .. "/invoice.png"
    local p = io.popen(cli.PLAIN .. " timeout 120 " .. chromium .. " " .. flags .. " --window-size=1200,1000"
                       .. " --screenshot=" .. cli.q(shot) .. " " .. cli.q("file://" .. page) .. " 2>&1")
    p:read("*a")
    p:close()
    p = io.popen(cli.PLAIN .. " timeout 120 " .. chromium .. " " .. flags .. " --dump-dom " .. cli.q("file://" .. page)
                 .. " 2>/dev/null")
    local dom = p:read("*a")
    p:close()
    cli.rmdir(profile)
    -- the screenshot: a PNG of the window's size, with something drawn in it
    local png = cli.slurp(shot)
    assert.are.equal("\137PNG\r\n\26\n", png:sub(1, 8), "no screenshot")
    local function u32(i) local a, b, c, d = png:byte(i, i + 3) return ((a * 256 + b) * 256 + c) * 256 + d end
    assert.are.same({ 1200, 1000 }, { u32(17), u32(21) })
    assert.is_true(#png > 20000, "a blank page? " .. #png .. " bytes")
    -- the page as Chromium parsed it holds the --json totals
    local function value(id) return dom:match('id="' .. id:gsub("%-", "%%-") .. '" data%-value="([^"]*)"') end
    assert.are.equal(("%.2f"):format(json.total.hours), value("total-hours"))
    assert.are.equal(("%.2f"):format(json.total.billed_hours), value("total-billed-hours"))
    assert.are.equal(("%.2f"):format(json.total.amount), value("total-amount"))
    assert.are.equal(("%d"):format(json.total.count), value("total-count"))
    local rects = 0
    for _ in dom:gmatch("<rect ") do rects = rects + 1 end
    assert.is_true(rects >= 4)
  end)

  it("entries and report see the same period", function()
    seed_issue()
    local _, out = run("entries 2026-11-30..2026-12-06 --grep long")
    assert.matches("\n1 entry, 35h 08m within 2026%-11%-30%.%.2026%-12%-06\n$", out)
    assert.matches("Sun 11%-29 11:08%-Tue 12%-01 11:08  48h 00m", out)
  end)
end)
