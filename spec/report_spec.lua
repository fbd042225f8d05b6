-- clickup.time.report and clickup.time.json: grouping, rounding, amounts,
-- filters and the outputs, against hand-computed numbers.
--
-- Times are built from LOCAL dates with os.time (days are local days), so the
-- expectations hold in any time zone without DST changes between 23 Nov and
-- 1 Dec 2026; the DST cases run in a subprocess with TZ set.

local report = require "clickup.time.report"
local json = require "clickup.time.json"
local cjson = require "cjson"

local MIN, HOUR = 60000, 3600000
local unpack = table.unpack or unpack

-- ms of a local time
local function L(y, m, d, h, mi)
  return os.time{ year = y, month = m, day = d, hour = h, min = mi or 0, sec = 0 } * 1000
end

local NOW = L(2026, 11, 25, 10, 45)

-- The fixture (Mon 23 Nov 2026 .. Tue 1 Dec 2026):
--   e1  Mon 23 09:00-11:00  120m  billable  t1 Write report  ann  dev, docs   list l1 Backlog
--   e2  Mon 23 23:00-01:30  150m  (60m on the 23rd, 90m on the 24th)  no task  bob  no tags
--   e3  Wed 25 10:00-running (45m at NOW)  billable  t2 Review  ann  dev  list l2 (no name)
--   e4  Sun 29 14:00-14:07    7m  billable  t1  bob  docs
--   e5  Tue  1 Dec 08:00-08:22  22m  t2  ann  no tags
local function fixture()
  return {
    { id = "e1", start = L(2026, 11, 23, 9), ["end"] = L(2026, 11, 23, 11), duration = 2 * HOUR,
      billable = true, description = "Write the report",
      task = { id = "t1", name = "Write report", custom_id = "CU-1" },
      task_location = { list_id = "l1", list_name = "Backlog", folder_id = "f1", space_id = "s1" },
      user = { id = 1, username = "ann" }, tags = { { name = "dev" }, { name = "docs" } } },
    { id = "e2", start = L(2026, 11, 23, 23), ["end"] = L(2026, 11, 24, 1, 30), billable = false,
      description = "Night deploy", user = { id = 2, username = "bob" }, tags = {} },
    { id = "e3", start = L(2026, 11, 25, 10), duration = -1, billable = true, description = "code review",
      task = { id = "t2", name = "Review" },
      task_location = { list_id = "l2", space_id = "s1", space_name = "Eng" },
      user = { id = 1, username = "ann" }, tags = { { name = "dev", tag_bg = "#000", tag_fg = "#fff" } } },
    { id = "e4", start = L(2026, 11, 29, 14), ["end"] = L(2026, 11, 29, 14, 7), billable = true,
      description = "typo", task = { id = "t1", name = "Write report", custom_id = "CU-1" },
      user = { id = 2, username = "bob" }, tags = { { name = "docs" } } },
    { id = "e5", start = L(2026, 12, 1, 8), ["end"] = L(2026, 12, 1, 8, 22), billable = false,
      description = "Review notes", task = { id = "t2", name = "Review" },
      user = { id = 1, username = "ann" } },
  }
end

-- { label, minutes, count } of each group
local function shape(groups)
  local out = {}
  for i, g in ipairs(groups) do
    out[i] = { g.label, g.ms / MIN, g.count }
    if g.groups then out[i][4] = shape(g.groups) end
  end
  return out
end

local function keys(groups)
  local out = {}
  for i, g in ipairs(groups) do out[i] = g.key end
  return out
end

local function total_of(r)
  local t = r.total
  return { ms = t.ms, rounded_ms = t.rounded_ms, hours = t.hours, billed_hours = t.billed_hours, count = t.count }
end

describe("clickup.time.report", function()
  describe("grouping", function()
    it("totals without a grouping, the running entry counted up to now", function()
      local r = report.build(fixture(), { now = NOW })
      -- hundredths per entry: 2.00 + 2.50 + 0.75 + 0.12 (7 min) + 0.37 (22 min)
      assert.same({ ms = 344 * MIN, rounded_ms = 344 * MIN, hours = 5.74, billed_hours = 5.74, count = 5 },
                  total_of(r))
      assert.is_nil(r.total.amount)
      assert.same({}, r.groups)
      assert.same({}, r.by)
      assert.is_nil(r.period)
      assert.equal(NOW, r.now)
      assert.equal("monday", r.week_start)
      -- a minute later the running entry has a minute more
      assert.equal(345 * MIN, report.build(fixture(), { now = NOW + MIN }).total.ms)
    end)

    it("by task: key the id, label the name, (no task); descending time", function()
      local r = report.build(fixture(), { by = "task", now = NOW })
      assert.same({ "task" }, r.by)
      assert.same({ { "(no task)", 150, 1 }, { "Write report", 127, 2 }, { "Review", 67, 2 } }, shape(r.groups))
      assert.same({ "", "t1", "t2" }, keys(r.groups))
      assert.same({ 2.5, 2.12, 1.12 }, { r.groups[1].hours, r.groups[2].hours, r.groups[3].hours })
      assert.equal(344 * MIN, r.total.ms)
    end)

    it("by task labels a task without a name by its id", function()
      local r = report.build({ { start = 0, ["end"] = MIN, task = { id = "abc" } } }, { by = "task", now = NOW })
      assert.same({ { "abc", 1, 1 } }, shape(r.groups))
    end)

    it("by list, folder and space from task_location, names when present", function()
      local e = fixture()
      assert.same({ { "(no list)", 179, 3 }, { "Backlog", 120, 1 }, { "l2", 45, 1 } },
                  shape(report.build(e, { by = "list", now = NOW }).groups))
      assert.same({ { "(no folder)", 224, 4 }, { "f1", 120, 1 } },
                  shape(report.build(e, { by = "folder", now = NOW }).groups))
      -- e1 has no space name, e3 has: the group takes the name
      local space = report.build(e, { by = "space", now = NOW })
      assert.same({ { "(no space)", 179, 3 }, { "Eng", 165, 2 } }, shape(space.groups))
      assert.same({ "", "s1" }, keys(space.groups))
      -- the names come from ClickUp only when asked
      assert.same({ include_location_names = true }, report.fetch_params{ by = { "day", "folder" } })
      assert.same({}, report.fetch_params{ by = "task" })
    end)

    it("by tag: an entry counts in each of its tags, so groups add up to more than the total", function()
      local r = report.build(fixture(), { by = "tag", now = NOW })
      assert.same({ { "(no tag)", 172, 2 }, { "dev", 165, 2 }, { "docs", 127, 2 } }, shape(r.groups))
      assert.same({ "", "dev", "docs" }, keys(r.groups))
      assert.same({ ms = 344 * MIN, rounded_ms = 344 * MIN, hours = 5.74, billed_hours = 5.74, count = 5 },
                  total_of(r))
    end)

    it("by user: key the id, label the username", function()
      local r = report.build(fixture(), { by = "user", now = NOW })
      assert.same({ { "ann", 187, 3 }, { "bob", 157, 2 } }, shape(r.groups))
      assert.same({ 1, 2 }, keys(r.groups))
    end)

    it("by billable: equal times are ordered by label", function()
      local r = report.build(fixture(), { by = "billable", now = NOW })
      assert.same({ { "billable", 172, 3 }, { "non-billable", 172, 2 } }, shape(r.groups))
      assert.same({ true, false }, keys(r.groups))
    end)

    it("by day: local days, chronological, an entry across midnight split in two", function()
      local r = report.build(fixture(), { by = "day", now = NOW })
      assert.same({ "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-29", "2026-12-01" }, keys(r.groups))
      assert.same({
        { "Mon 23 Nov 2026", 180, 2 }, { "Tue 24 Nov 2026", 90, 1 }, { "Wed 25 Nov 2026", 45, 1 },
        { "Sun 29 Nov 2026", 7, 1 }, { "Tue 1 Dec 2026", 22, 1 },
      }, shape(r.groups))
      -- e2's 2.50 h is shared 1.00 + 1.50 by its pieces
      assert.same({ 3, 1.5, 0.75, 0.12, 0.37 }, { r.groups[1].hours, r.groups[2].hours, r.groups[3].hours,
                                                   r.groups[4].hours, r.groups[5].hours })
      assert.same({ ms = 344 * MIN, rounded_ms = 344 * MIN, hours = 5.74, billed_hours = 5.74, count = 5 },
                  total_of(r))
    end)

    it("lists the pieces: which part of which entry, from and to", function()
      local r = report.build(fixture(), { by = "day", now = NOW })
      assert.equal(6, #r.pieces)
      local p1, p2 = r.pieces[2], r.pieces[3]
      assert.same({ "e2", 1, 2, L(2026, 11, 23, 23), L(2026, 11, 24, 0), "2026-11-23", 1 },
                  { p1.id, p1.part, p1.parts, p1.from, p1.to, p1.date, p1.hours })
      assert.same({ "e2", 2, 2, L(2026, 11, 24, 0), L(2026, 11, 24, 1, 30), "2026-11-24", 1.5 },
                  { p2.id, p2.part, p2.parts, p2.from, p2.to, p2.date, p2.hours })
      assert.same({ "Tue 24 Nov 2026" }, p2.labels)
    end)

    it("by week, starting on Monday (default) or Sunday", function()
      local r = report.build(fixture(), { by = "week", now = NOW })
      assert.same({ "2026-11-23", "2026-11-30" }, keys(r.groups))
      assert.same({ { "Week of Mon 23 Nov 2026", 322, 4 }, { "Week of Mon 30 Nov 2026", 22, 1 } }, shape(r.groups))
      r = report.build(fixture(), { by = "week", now = NOW, week_start = "sunday" })
      assert.equal("sunday", r.week_start)
      assert.same({ "2026-11-22", "2026-11-29" }, keys(r.groups))
      assert.same({ { "Week of Sun 22 Nov 2026", 315, 3 }, { "Week of Sun 29 Nov 2026", 29, 2 } }, shape(r.groups))
      -- an entry from Saturday night to Sunday morning is split at the Sunday week start
      local sat = { { start = L(2026, 11, 28, 23), ["end"] = L(2026, 11, 29, 2) } }
      assert.same({ { "Week of Sun 22 Nov 2026", 60, 1 }, { "Week of Sun 29 Nov 2026", 120, 1 } },
                  shape(report.build(sat, { by = "week", week_start = "Sun", now = NOW }).groups))
      assert.same({ { "Week of Mon 23 Nov 2026", 180, 1 } },
                  shape(report.build(sat, { by = "week", now = NOW }).groups))
    end)

    it("by month, an entry across the month boundary split", function()
      local e = fixture()
      e[#e + 1] = { start = L(2026, 11, 30, 23), ["end"] = L(2026, 12, 1, 0, 30) }
      local r = report.build(e, { by = "month", now = NOW })
      assert.same({ "2026-11", "2026-12" }, keys(r.groups))
      assert.same({ { "Nov 2026", 382, 5 }, { "Dec 2026", 52, 2 } }, shape(r.groups))
    end)

    it("nested: day then task, with subtotals", function()
      local r = report.build(fixture(), { by = { "day", "task" }, now = NOW })
      assert.same({ "day", "task" }, r.by)
      assert.same({
        { "Mon 23 Nov 2026", 180, 2, { { "Write report", 120, 1 }, { "(no task)", 60, 1 } } },
        { "Tue 24 Nov 2026", 90, 1, { { "(no task)", 90, 1 } } },
        { "Wed 25 Nov 2026", 45, 1, { { "Review", 45, 1 } } },
        { "Sun 29 Nov 2026", 7, 1, { { "Write report", 7, 1 } } },
        { "Tue 1 Dec 2026", 22, 1, { { "Review", 22, 1 } } },
      }, shape(r.groups))
      assert.is_nil(r.groups[1].groups[1].groups)
    end)

    it("nested: user then tag then month", function()
      local r = report.build(fixture(), { by = { "user", "tag", "month" }, now = NOW })
      assert.same({
        { "ann", 187, 3, {
          { "dev", 165, 2, { { "Nov 2026", 165, 2 } } },
          { "docs", 120, 1, { { "Nov 2026", 120, 1 } } },
          { "(no tag)", 22, 1, { { "Dec 2026", 22, 1 } } } } },
        { "bob", 157, 2, {
          { "(no tag)", 150, 1, { { "Nov 2026", 150, 1 } } },
          { "docs", 7, 1, { { "Nov 2026", 7, 1 } } } } },
      }, shape(r.groups))
    end)

    it("refuses unknown groupings, a repeated grouping and a bad week_start", function()
      assert.has_error(function() report.build({}, { by = "colour" }) end,
                       "clickup.time.report: unknown grouping colour")
      assert.has_error(function() report.build({}, { by = { "day", "day" } }) end,
                       "clickup.time.report: grouping day appears twice")
      assert.has_error(function() report.build({}, { week_start = "someday" }) end)
    end)

    it("counts a stopped entry as end - start, a running one up to now, never below 0", function()
      local e = {
        { start = 1000, ["end"] = 61000, duration = 5 },    -- end - start, not duration
        { start = NOW - 5 * MIN },                          -- running
        { start = NOW + HOUR },                             -- starts after now: 0
        { description = "no start" },                       -- skipped
      }
      local r = report.build(e, { now = NOW })
      assert.same({ ms = 6 * MIN, rounded_ms = 6 * MIN, hours = 0.1, billed_hours = 0.1, count = 3 }, total_of(r))
    end)

    it("DST: local days of 25 and 23 hours, also as the period (subprocess with TZ)", function()
      local interp = rawget(_G, "jit") and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))
      local f1 = io.open("/usr/share/zoneinfo/America/New_York")
      local f2 = io.open("/usr/share/zoneinfo/Europe/Berlin")
      if not (f1 and f2) then
        pending("no tzdata")
        return
      end
      f1:close()
      f2:close()
      local script = os.tmpname()
      local f = assert(io.open(script, "w"))
      f:write([[
        package.path = "./lua/?.lua;" .. package.path
        local report = require "clickup.time.report"
        local function L(y, m, d, h) return os.time{ year = y, month = m, day = d, hour = h } * 1000 end
        local y, m1, d1, m2, d2 = tonumber(arg[1]), tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]),
                                  tonumber(arg[5])
        local e = { { start = L(y, m1, d1, 22), ["end"] = L(y, m2, d2, 2) } }
        local r = report.build(e, { by = "day", now = 0 })
        local out = {}
        for _, g in ipairs(r.groups) do out[#out + 1] = g.key .. "=" .. g.ms end
        for _, d in ipairs(r.days) do out[#out + 1] = d.label .. "=" .. d.ms end
        -- the DST day alone as the period, rounded up to 15 minutes at 100 an hour
        local day = report.build(e, { range = arg[6], now = L(2027, 1, 1, 0), round = "15m", rate = 100 })
        out[#out + 1] = ("%s=%d/%.2f/%.2f"):format(arg[6], day.total.ms, day.total.billed_hours, day.total.amount)
        io.write(table.concat(out, " "))
      ]])
      f:close()
      local function run(tz, args)
        local p = assert(io.popen("TZ=" .. tz .. " " .. interp .. " " .. script .. " " .. args))
        local out = p:read("*a")
        p:close()
        return out
      end
      -- New York falls back on Sun 1 Nov 2026: 31 Oct 22:00 EDT to 2 Nov 02:00 EST is 29 hours
      local ny = run("America/New_York", "2026 10 31 11 2 2026-11-01")
      -- Berlin springs forward on Sun 29 Mar 2026: 28 Mar 22:00 CET to 30 Mar 02:00 CEST is 27 hours
      local berlin = run("Europe/Berlin", "2026 3 28 3 30 2026-03-29")
      os.remove(script)
      assert.equal("2026-10-31=7200000 2026-11-01=90000000 2026-11-02=7200000"
                   .. " Sat 10-31=7200000 Sun 11-01=90000000 Mon 11-02=7200000"
                   .. " 2026-11-01=90000000/25.00/2500.00", ny)
      assert.equal("2026-03-28=7200000 2026-03-29=82800000 2026-03-30=7200000"
                   .. " Sat 03-28=7200000 Sun 03-29=82800000 Mon 03-30=7200000"
                   .. " 2026-03-29=82800000/23.00/2300.00", berlin)
    end)
  end)

  describe("the period", function()
    -- the entries of the issue: 48 h from Sunday 29 Nov 11:08, 4 h from Monday 30 Nov 22:00
    local LONG = { id = "long", start = L(2026, 11, 29, 11, 8), ["end"] = L(2026, 12, 1, 11, 8),
                   task = { id = "t1", name = "Write report" } }
    local NIGHT = { id = "night", start = L(2026, 11, 30, 22), ["end"] = L(2026, 12, 1, 2),
                    task = { id = "t2", name = "Review" } }
    local WED = L(2026, 12, 2, 10)

    local function in_period(entries, range, extra)
      local opts = { range = range, now = WED, by = "day" }
      for k, v in pairs(extra or {}) do opts[k] = v end
      return report.build(entries, opts)
    end

    it("counts only the part of an entry inside the period, by day within it", function()
      local last = in_period({ LONG }, "last week")
      assert.same({ L(2026, 11, 23, 0), L(2026, 11, 30, 0) }, last.period)
      assert.same({ { "Sun 29 Nov 2026", 12 * 60 + 52, 1 } }, shape(last.groups))
      assert.equal(12.87, last.total.hours)
      local this = in_period({ LONG }, "this week")
      assert.same({ { "Mon 30 Nov 2026", 24 * 60, 1 }, { "Tue 1 Dec 2026", 11 * 60 + 8, 1 } }, shape(this.groups))
      assert.equal(35 * 60 + 8, this.total.ms / MIN)
      assert.equal(35.13, this.total.hours)
      -- the two halves make the whole
      assert.equal(48 * HOUR, last.total.ms + this.total.ms)
      -- a period the entry does not touch leaves it out
      assert.equal(0, in_period({ LONG }, "2026-11-20").total.count)
    end)

    it("weeks follow week_start: Sunday, Monday, Tuesday", function()
      local function minutes(range, ws)
        local r = in_period({ LONG }, range, { week_start = ws, by = "week" })
        return r.total.ms / MIN, r.total.count, r.groups[1] and r.groups[1].label
      end
      assert.same({ 12 * 60 + 52, 1, "Week of Mon 23 Nov 2026" }, { minutes("last week", "monday") })
      assert.same({ 35 * 60 + 8, 1, "Week of Mon 30 Nov 2026" }, { minutes("this week", "monday") })
      assert.same({ 48 * 60, 1, "Week of Sun 29 Nov 2026" }, { minutes("this week", "sunday") })
      assert.same({ 0, 0 }, { minutes("last week", "sunday") })
      assert.same({ 36 * 60 + 52, 1, "Week of Tue 24 Nov 2026" }, { minutes("last week", "tuesday") })
      assert.same({ 11 * 60 + 8, 1, "Week of Tue 1 Dec 2026" }, { minutes("this week", "tuesday") })
    end)

    it("months: a 4 h entry across midnight bills 2 h in each month", function()
      local last = in_period({ NIGHT }, "last month", { rate = 100 })
      local this = in_period({ NIGHT }, "this month", { rate = 100 })
      assert.same({ 2, 200 }, { last.total.hours, last.total.amount })
      assert.same({ 2, 200 }, { this.total.hours, this.total.amount })
      -- a period as two ends works the same
      local ends = report.build({ NIGHT }, { period = { L(2026, 12, 1, 0), L(2027, 1, 1, 0) }, now = WED, rate = 100 })
      assert.equal(200, ends.total.amount)
    end)

    it("rounds the time inside the period, once per entry", function()
      -- 12h 52m inside last week: up to 13h; 35h 08m inside this week: up to 35h 15m
      assert.equal(13, in_period({ LONG }, "last week", { round = "15m" }).total.billed_hours)
      local this = in_period({ LONG }, "this week", { round = "15m", rate = 100 })
      assert.same({ 35.25, 3525 }, { this.total.billed_hours, this.total.amount })
      -- shared by the two days in proportion: 24h -> 24.08, 11h 08m -> 11.17
      assert.same({ 24.08, 11.17 }, { this.groups[1].billed_hours, this.groups[2].billed_hours })
      assert.same({ 2408, 1117 }, { this.groups[1].amount, this.groups[2].amount })
    end)

    it("refuses a bad period", function()
      assert.has_error(function() report.build({}, { period = { 5, 1 } }) end)
      assert.has_error(function() report.build({}, { range = "someday" }) end)
      assert.has_error(function() report.build({}, { range = "today", period = { 1, 2 } }) end)
    end)
  end)

  describe("filters", function()
    local function total(filter)
      local r = report.build(fixture(), { filter = filter, now = NOW })
      return r.total.ms / MIN, r.total.count
    end

    it("billable", function()
      assert.same({ 172, 3 }, { total{ billable = true } })
      assert.same({ 172, 2 }, { total{ billable = false } })
    end)

    it("tags: any of them, case-insensitive", function()
      assert.same({ 127, 2 }, { total{ tags = { "DOCS", "nothing" } } })
      assert.same({ 165, 2 }, { total{ tags = "dev" } })
      assert.same({ 0, 0 }, { total{ tags = {} } })
    end)

    it("tasks: by id or custom id", function()
      assert.same({ 67, 2 }, { total{ tasks = { "t2" } } })
      assert.same({ 127, 2 }, { total{ tasks = { "CU-1" } } })
      assert.same({ 127, 2 }, { total{ tasks = { "cu-1" } } })
      assert.same({ 194, 4 }, { total{ tasks = { "t1", "t2" } } })
    end)

    it("users: by id (number or string) or username (case-insensitive)", function()
      assert.same({ 157, 2 }, { total{ users = { 2 } } })
      assert.same({ 157, 2 }, { total{ users = { "2" } } })
      assert.same({ 187, 3 }, { total{ users = { "ANN" } } })
      assert.same({ 344, 5 }, { total{ users = { "ann", 2 } } })
    end)

    it("text: a plain substring of the description, case-insensitive", function()
      assert.same({ 120, 1 }, { total{ text = "REPORT" } })
      assert.same({ 67, 2 }, { total{ text = "review" } })
      assert.same({ 0, 0 }, { total{ text = "." } })       -- plain, not a pattern
    end)

    it("combine, and apply before grouping", function()
      assert.same({ 165, 2 }, { total{ billable = true, users = { "ann" } } })
      -- e1 and e4 have docs; e1 also counts under dev
      local r = report.build(fixture(), { by = "tag", filter = { tags = { "docs" } }, now = NOW })
      assert.same({ { "docs", 127, 2 }, { "dev", 120, 1 } }, shape(r.groups))
      -- the day chart follows the filter too
      assert.same({ "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28",
                    "2026-11-29" }, keys(r.days))
    end)
  end)

  describe("rounding", function()
    local function entries(specs)
      local out, t = {}, L(2026, 11, 23, 8)
      for i, s in ipairs(specs) do
        out[i] = { id = "x" .. i, start = t, ["end"] = t + s[1], task = { id = s[2], name = s[2] },
                   tags = s[3] and { { name = s[3] }, s[4] and { name = s[4] } or nil } or nil }
        t = t + 2 * HOUR
      end
      return out
    end
    local Q = 15 * MIN

    it("round_ms: up, down, nearest (halves up); up when no mode is given", function()
      local cases = {
        { 0, 0, 0, 0 }, { 7 * MIN, 15, 0, 0 }, { 7.5 * MIN, 15, 0, 15 }, { 15 * MIN, 15, 15, 15 },
        { 15 * MIN + 1, 30, 15, 15 }, { 22 * MIN, 30, 15, 15 }, { 22.5 * MIN, 30, 15, 30 },
        { 22.5 * MIN - 1, 30, 15, 15 }, { 23 * MIN, 30, 15, 30 }, { 30 * MIN, 30, 30, 30 },
      }
      for _, c in ipairs(cases) do
        assert.equal(c[2] * MIN, report.round_ms(c[1], { increment = Q, mode = "up" }))
        assert.equal(c[2] * MIN, report.round_ms(c[1], { increment = Q }))
        assert.equal(c[3] * MIN, report.round_ms(c[1], { increment = Q, mode = "down" }))
        assert.equal(c[4] * MIN, report.round_ms(c[1], { increment = Q, mode = "nearest" }))
      end
    end)

    -- X: 7 + 22 minutes, Y: 23 minutes
    local XY = { { 7 * MIN, "X" }, { 22 * MIN, "X" }, { 23 * MIN, "Y" } }
    local function rounded(mode, per, by)
      local r = report.build(entries(XY), { by = by, now = NOW, round = { increment = Q, mode = mode, per = per } })
      local out = { r.total.rounded_ms / MIN }
      for _, g in ipairs(r.groups) do out[#out + 1] = g.rounded_ms / MIN end
      assert.equal(52 * MIN, r.total.ms)
      return out
    end

    it("per entry: every entry rounded, groups and total sum them", function()
      assert.same({ 75, 45, 30 }, rounded("up", "entry", "task"))
      assert.same({ 45, 15, 30 }, rounded("nearest", "entry", "task"))
      assert.same({ 30, 15, 15 }, rounded("down", "entry", "task"))
      assert.same({ 75 }, rounded("up", nil, nil))               -- per defaults to entry
      assert.same({ 75 }, rounded(nil, nil, nil))                -- and the mode to up
    end)

    it("a 7-minute entry is never 0 unless asked", function()
      local seven = entries{ { 7 * MIN, "X" } }
      assert.equal(0.25, report.build(seven, { now = NOW, round = "15m" }).total.billed_hours)
      assert.equal(0.25, report.build(seven, { now = NOW, round = { increment = "15m" } }).total.billed_hours)
      assert.equal(0, report.build(seven, { now = NOW, round = "15m:nearest" }).total.billed_hours)
      assert.equal(0, report.build(seven, { now = NOW, round = "15m:down" }).total.billed_hours)
      assert.equal(0.12, report.build(seven, { now = NOW }).total.billed_hours)   -- no rounding unless asked
    end)

    it("per group: leaf groups rounded, the total sums them", function()
      -- X 29 min, Y 23 min
      assert.same({ 60, 30, 30 }, rounded("up", "group", "task"))
      assert.same({ 60, 30, 30 }, rounded("nearest", "group", "task"))
      assert.same({ 30, 15, 15 }, rounded("down", "group", "task"))
      -- without a grouping the total (52 min) is the leaf
      assert.same({ 60 }, rounded("up", "group", nil))
      assert.same({ 45 }, rounded("nearest", "group", nil))
      assert.same({ 45 }, rounded("down", "group", nil))
    end)

    it("per group, nested: parents sum their children's rounded totals", function()
      local r = report.build(entries(XY), { by = { "day", "task" }, now = NOW,
                                            round = { increment = Q, mode = "up", per = "group" } })
      assert.equal(60 * MIN, r.groups[1].rounded_ms)
      assert.equal(52 * MIN, r.groups[1].ms)
      assert.equal(60 * MIN, r.total.rounded_ms)
      assert.equal(1, r.total.billed_hours)
    end)

    it("per group cannot go with tag groups, which overlap; per entry can", function()
      local e = entries{ { 7 * MIN, "X", "a" }, { 22 * MIN, "X", "a", "b" }, { 23 * MIN, "Y", "b" } }
      assert.has_error(function()
        report.build(e, { by = "tag", now = NOW, round = { increment = Q, per = "group" } })
      end, "clickup.time.report: round per group cannot go with by tag (an entry counts in each of its tags): "
           .. "round per entry")
      local r = report.build(e, { by = "tag", now = NOW, round = { increment = Q, mode = "up" } })
      assert.same({ { "b", 45, 2 }, { "a", 29, 2 } }, shape(r.groups))
      assert.equal(60 * MIN, r.groups[1].rounded_ms)           -- 30 + 30
      assert.equal(45 * MIN, r.groups[2].rounded_ms)           -- 15 + 30
      assert.equal(75 * MIN, r.total.rounded_ms)               -- each entry once
    end)

    it("an entry split at midnight is rounded once; its pieces share the rounded time", function()
      local e = { { id = "n", start = L(2026, 11, 23, 23, 55), ["end"] = L(2026, 11, 24, 0, 5) } }
      local round = { increment = Q, mode = "up" }
      local r = report.build(e, { by = "day", now = NOW, round = round, rate = 100 })
      assert.same({ 7.5 * MIN, 7.5 * MIN }, { r.groups[1].rounded_ms, r.groups[2].rounded_ms })
      assert.same({ 0.13, 0.12 }, { r.groups[1].billed_hours, r.groups[2].billed_hours })
      assert.same({ 13, 12 }, { r.groups[1].amount, r.groups[2].amount })
      assert.same({ 15 * MIN, 0.25, 25 }, { r.total.rounded_ms, r.total.billed_hours, r.total.amount })
      -- the same bill by task (the issue: 25.00, not 50.00)
      local by_task = report.build(e, { by = "task", now = NOW, round = round, rate = 100 })
      assert.same({ 15 * MIN, 0.25, 25 }, { by_task.total.rounded_ms, by_task.total.billed_hours,
                                            by_task.total.amount })
    end)

    it("rounded equals exact without rounding; settings as text; bad settings are refused", function()
      local r = report.build(entries(XY), { by = "task", now = NOW })
      assert.equal(r.groups[1].ms, r.groups[1].rounded_ms)
      assert.is_nil(r.round)
      r = report.build(entries(XY), { now = NOW, round = { increment = "15m" } })
      assert.same({ increment = Q, mode = "up", per = "entry" }, r.round)
      assert.same({ increment = 6 * MIN, mode = "nearest", per = "entry" },
                  report.build({}, { round = "6m:nearest" }).round)
      assert.same({ increment = Q }, report.parse_round("15m"))
      assert.same({ nil, "the mode is up, down or nearest, not sideways" }, { report.parse_round("15m:sideways") })
      assert.has_error(function() report.build({}, { round = { increment = 0 } }) end)
      assert.has_error(function() report.build({}, { round = { increment = Q, mode = "sideways" } }) end)
      assert.has_error(function() report.build({}, { round = { increment = Q, per = "day" } }) end)
      assert.has_error(function() report.build({}, { round = "forever" }) end)
    end)
  end)

  describe("amounts", function()
    it("are nil without a rate", function()
      local r = report.build(fixture(), { by = "task", now = NOW })
      assert.is_nil(r.total.amount)
      assert.is_nil(r.groups[1].amount)
      assert.is_nil(r.groups[1].rate)
    end)

    it("one rate: the rate x each entry's hundredths of an hour", function()
      local r = report.build(fixture(), { by = "task", now = NOW, rate = 120 })
      -- (no task) 2.50 h, Write report 2.00 + 0.12, Review 0.75 + 0.37
      assert.same({ 300, 254.4, 134.4 }, { r.groups[1].amount, r.groups[2].amount, r.groups[3].amount })
      assert.same({ 2.5, 2.12, 1.12 }, { r.groups[1].hours, r.groups[2].hours, r.groups[3].hours })
      assert.same({ 688.8, 68880, 120 }, { r.total.amount, r.total.cents, r.total.rate })
      -- hours x rate = amount on every row, and the rows add up to the total
      local sum = 0
      for _, g in ipairs(r.groups) do
        assert.equal(math.floor(g.billed_hours * 100 + 0.5) * 120, g.cents)
        sum = sum + g.cents
      end
      assert.equal(r.total.cents, sum)
    end)

    it("the issue's rows: three 10-minute entries are 0.17 h each, 17.00 each, 0.51 h and 51.00", function()
      local e = {}
      for i = 1, 3 do
        e[i] = { id = "e" .. i, start = L(2026, 11, 23, 8 + i), ["end"] = L(2026, 11, 23, 8 + i, 10),
                 task = { id = "t" .. i, name = "T" .. i } }
      end
      local r = report.build(e, { by = "task", now = NOW, rate = 100 })
      for _, g in ipairs(r.groups) do assert.same({ 0.17, 17 }, { g.hours, g.amount }) end
      assert.same({ 0.51, 51 }, { r.total.hours, r.total.amount })
      assert.same({ 0.51, 51 }, { report.build(e, { now = NOW, rate = 100 }).total.hours,
                                  report.build(e, { now = NOW, rate = 100 }).total.amount })
    end)

    it("one rate on rounded time", function()
      local r = report.build(fixture(), { now = NOW, rate = 120, round = { increment = 15 * MIN, mode = "up" } })
      -- 120 + 150 + 45 + 15 (7) + 30 (22) minutes
      assert.equal(360 * MIN, r.total.rounded_ms)
      assert.equal(6, r.total.billed_hours)
      assert.equal(720, r.total.amount)
    end)

    local RATES = { default = 100, users = { [2] = 80 }, tasks = { t2 = 150 }, tags = { docs = 200, dev = 120 } }

    it("task, then the highest tag, then user, then default", function()
      -- e1 docs 200 (2.00 h) 400; e2 bob 80 (2.50 h) 200; e3 t2 150 (0.75 h) 112.50;
      -- e4 docs 200 (0.12 h) 24; e5 t2 150 (0.37 h) 55.50
      local r = report.build(fixture(), { by = "user", now = NOW, rate = RATES })
      assert.equal(792, r.total.amount)
      assert.is_nil(r.total.rate)                              -- mixed
      assert.same({ 568, 224 }, { r.groups[1].amount, r.groups[2].amount })
      local by_task = report.build(fixture(), { by = "task", now = NOW, rate = RATES })
      assert.same({ 200, 424, 168 }, { by_task.groups[1].amount, by_task.groups[2].amount,
                                       by_task.groups[3].amount })
      assert.same({ 80, 200, 150 }, { by_task.groups[1].rate, by_task.groups[2].rate, by_task.groups[3].rate })
      -- the default, and a username key, in any case
      local other = { { start = 0, ["end"] = HOUR, user = { id = 3, username = "Cy" } } }
      assert.equal(100, report.build(other, { now = NOW, rate = RATES }).total.amount)
      assert.equal(70, report.build(other, { now = NOW, rate = { users = { cy = 70 } } }).total.amount)
      assert.equal(70, report.build(other, { now = NOW, rate = { users = { CY = 70 } } }).total.amount)
      assert.equal(70, report.build(other, { now = NOW, rate = { users = { ["3"] = 70 } } }).total.amount)
      assert.equal(0, report.build(other, { now = NOW, rate = { users = { [2] = 70 } } }).total.amount)
    end)

    it("refuses negative and non-numeric rates and unknown kinds", function()
      assert.has_error(function() report.build({}, { rate = -1 }) end)
      assert.has_error(function() report.build({}, { rate = { users = { ann = "lots" } } }) end)
      assert.has_error(function() report.build({}, { rate = { people = { ann = 1 } } }) end,
                       "clickup.time.report: unknown rate kind people (default, users, tasks, tags)")
      assert.has_error(function() report.build({}, { rate = 0 / 0 }) end)
    end)

    it("per group: each leaf's rounded hundredths shared by its pieces, each priced at its rate", function()
      local r = report.build(fixture(), { by = "user", now = NOW, rate = RATES,
                                          round = { increment = 15 * MIN, mode = "up", per = "group" } })
      -- ann 187 -> 195 min (3.25 h: e1 2.09, e3 0.78, e5 0.38); bob 157 -> 165 min (2.75 h: e2 2.63, e4 0.12)
      assert.same({ 195 * MIN, 165 * MIN }, { r.groups[1].rounded_ms, r.groups[2].rounded_ms })
      assert.same({ 3.25, 2.75 }, { r.groups[1].billed_hours, r.groups[2].billed_hours })
      assert.same({ 592, 234.4 }, { r.groups[1].amount, r.groups[2].amount })
      assert.equal(360 * MIN, r.total.rounded_ms)
      assert.equal(826.4, r.total.amount)
    end)

    it("per entry with mixed rates: each entry rounded and priced", function()
      local r = report.build(fixture(), { by = "user", now = NOW, rate = RATES,
                                          round = { increment = 15 * MIN, mode = "up" } })
      -- e4 7 -> 15 min at 200 = 50; e5 22 -> 30 min at 150 = 75
      assert.same({ 587.5, 250 }, { r.groups[1].amount, r.groups[2].amount })
      assert.equal(837.5, r.total.amount)
    end)
  end)

  describe("the same bill whatever the grouping (property, random entry sets)", function()
    local GROUPINGS = { {}, { "task" }, { "user" }, { "billable" }, { "list" }, { "day" }, { "week" },
                        { "month" }, { "day", "task" }, { "user", "week" }, { "task", "day", "user" },
                        { "tag" }, { "tag", "day" } }
    local ROUNDS = { false, "6m", "15m", "15m:nearest", "30m:down", "1h" }
    local START = L(2026, 10, 26)

    local function random_entries(rnd)
      local out = {}
      for i = 1, rnd(1, 14) do
        local s = START + rnd(0, 40 * 24 * 60) * MIN + rnd(0, 59999)
        local len = ({ rnd(0, 90) * MIN, rnd(0, 600) * MIN, rnd(0, 60 * 60) * MIN, rnd(0, 59) * 1000 })[rnd(1, 4)]
        local tags = {}
        for _, name in ipairs{ "a", "b", "c" } do
          if rnd(1, 3) == 1 then tags[#tags + 1] = { name = name } end
        end
        local t = rnd(0, 3)
        out[i] = { id = "r" .. i, start = s, ["end"] = rnd(1, 12) > 1 and s + len or nil,
                   billable = rnd(1, 2) == 1, tags = tags,
                   task = t > 0 and { id = "t" .. t, name = "Task " .. t } or nil,
                   task_location = t > 0 and { list_id = "l" .. (t % 2) } or nil,
                   user = { id = rnd(1, 3), username = ({ "ann", "bob", "cy" })[rnd(1, 3)] } }
      end
      return out
    end

    -- every row: children add up to it; single-rate rows: billed hours x rate = amount
    local function check_rows(groups, parent, whole_rates, by, depth)
      local sums = { ms = 0, rounded_ms = 0, h = 0, bh = 0, cents = 0 }
      for _, g in ipairs(groups) do
        local bh = math.floor(g.billed_hours * 100 + 0.5)
        if g.rate and whole_rates then assert.equal(bh * g.rate, g.cents) end
        sums.ms, sums.rounded_ms = sums.ms + g.ms, sums.rounded_ms + g.rounded_ms
        sums.h, sums.bh = sums.h + math.floor(g.hours * 100 + 0.5), sums.bh + bh
        sums.cents = sums.cents + (g.cents or 0)
        if g.groups then check_rows(g.groups, g, whole_rates, by, depth + 1) end
      end
      if #groups > 0 and by[depth] ~= "tag" then
        assert.same({ parent.ms, parent.rounded_ms, math.floor(parent.hours * 100 + 0.5),
                      math.floor(parent.billed_hours * 100 + 0.5), parent.cents or 0 },
                    { sums.ms, sums.rounded_ms, sums.h, sums.bh, sums.cents })
      end
    end

    it("over 300 random sets: totals equal for every by, rows add up, hours x rate = amount", function()
      local seed = 20261201
      local function rnd(a, b)
        seed = (seed * 16807) % 2147483647
        return a + seed % (b - a + 1)
      end
      local checked = 0
      for _ = 1, 300 do
        local entries = random_entries(rnd)
        local whole = rnd(1, 4) > 1
        local rate = { default = rnd(0, 200), users = { ann = rnd(50, 150) }, tags = { b = rnd(100, 300) } }
        if not whole then rate.default = rate.default + 0.5; rate.users.ann = rate.users.ann + 0.25 end
        local round = ROUNDS[rnd(1, #ROUNDS)]
        local from = START + rnd(0, 30) * 24 * HOUR
        local opts = { now = START + 45 * 24 * HOUR, rate = rate, round = round or nil,
                       period = rnd(1, 4) > 1 and { from, from + rnd(1, 20) * 24 * HOUR } or nil,
                       week_start = ({ "monday", "sunday", "wednesday" })[rnd(1, 3)] }
        local first
        for _, by in ipairs(GROUPINGS) do
          opts.by = by
          local r = report.build(entries, opts)
          local t = r.total
          local figures = { t.ms, t.rounded_ms, t.hours, t.billed_hours, t.cents, t.count }
          if first then assert.same(first, figures) else first = figures end
          check_rows(r.groups, r.total, whole, by, 1)
          -- the pieces add up to the total too, whatever the grouping
          local ph, pc = 0, 0
          for _, p in ipairs(r.pieces) do ph, pc = ph + math.floor(p.billed_hours * 100 + 0.5), pc + p.cents end
          assert.same({ math.floor(t.billed_hours * 100 + 0.5), t.cents }, { ph, pc })
          checked = checked + 1
        end
      end
      assert.equal(300 * #GROUPINGS, checked)
    end)
  end)

  describe("csv", function()
    -- RFC 4180: records end with CRLF; fields quoted with "" for a quote.
    local function parse_csv(text)
      local rows, row, field, i, n = {}, {}, {}, 1, #text
      local quoted = false
      while i <= n do
        local c = text:sub(i, i)
        if quoted then
          if c == '"' then
            if text:sub(i + 1, i + 1) == '"' then
              field[#field + 1] = '"'
              i = i + 1
            else
              quoted = false
            end
          else
            field[#field + 1] = c
          end
        elseif c == '"' then
          assert(#field == 0, "a quote inside an unquoted field at " .. i)
          quoted = true
        elseif c == "," then
          row[#row + 1] = table.concat(field)
          field = {}
        elseif c == "\r" then
          assert(text:sub(i + 1, i + 1) == "\n", "a CR without LF at " .. i)
          row[#row + 1] = table.concat(field)
          rows[#rows + 1] = row
          row, field = {}, {}
          i = i + 1
        else
          assert(c ~= "\n", "a bare LF outside quotes at " .. i)
          field[#field + 1] = c
        end
        i = i + 1
      end
      assert(not quoted, "unterminated quote")
      assert(#row == 0 and #field == 0, "the last record has no CRLF")
      return rows
    end

    it("a row per piece of an entry: local dates and times, ids, decimal hours", function()
      local r = report.build(fixture(), { by = "task", now = NOW, rate = 120,
                                          round = { increment = 15 * MIN, mode = "up" } })
      local rows = parse_csv(report.csv(r))
      assert.same({ "date", "start", "end_date", "end", "entry_id", "part", "task", "task_id", "task_name",
                    "user_id", "user_name", "billable", "description", "hours", "billed_hours", "rate",
                    "amount" }, rows[1])
      assert.same({ "2026-11-23", "09:00:00", "2026-11-23", "11:00:00", "e1", "1/1", "Write report", "t1",
                    "Write report", "1", "ann", "true", "Write the report", "2.00", "2.00", "120", "240.00" },
                  rows[2])
      assert.same({ "2026-11-23", "23:00:00", "2026-11-24", "00:00:00", "e2", "1/2", "(no task)", "", "",
                    "2", "bob", "false", "Night deploy", "1.00", "1.00", "120", "120.00" }, rows[3])
      assert.same({ "2026-11-24", "00:00:00", "2026-11-24", "01:30:00", "e2", "2/2" }, { unpack(rows[4], 1, 6) })
      assert.same({ "0.12", "0.25", "120", "30.00" }, { unpack(rows[6], 14, 17) })
      -- the columns add up to the report's total
      local hours, billed, cents = 0, 0, 0
      for i = 2, #rows do
        hours = hours + math.floor(rows[i][14] * 100 + 0.5)
        billed = billed + math.floor(rows[i][15] * 100 + 0.5)
        cents = cents + math.floor(rows[i][17] * 100 + 0.5)
      end
      assert.same({ 574, 600, 72000 }, { hours, billed, cents })
      assert.equal(7, #rows)
    end)

    it("a row per leaf group with the path of labels (rows = groups)", function()
      local r = report.build(fixture(), { by = { "day", "task" }, now = NOW, rate = 120,
                                          round = { increment = 15 * MIN, mode = "up" } })
      local text = report.csv(r, { rows = "groups" })
      assert.equal("day,task,hours,billed_hours,rate,amount\r\n", text:sub(1, 41))
      assert.same({
        { "day", "task", "hours", "billed_hours", "rate", "amount" },
        { "Mon 23 Nov 2026", "Write report", "2.00", "2.00", "120", "240.00" },
        { "Mon 23 Nov 2026", "(no task)", "1.00", "1.00", "120", "120.00" },
        { "Tue 24 Nov 2026", "(no task)", "1.50", "1.50", "120", "180.00" },
        { "Wed 25 Nov 2026", "Review", "0.75", "0.75", "120", "90.00" },
        { "Sun 29 Nov 2026", "Write report", "0.12", "0.25", "120", "30.00" },
        { "Tue 1 Dec 2026", "Review", "0.37", "0.50", "120", "60.00" },
      }, parse_csv(text))
      assert.has_error(function() report.csv(r, { rows = "lines" }) end)
    end)

    it("quotes commas, quotes and line breaks", function()
      local e = {
        { start = 0, ["end"] = HOUR, task = { id = "a", name = 'Fix "quoted", stuff' } },
        { start = 0, ["end"] = 30 * MIN, task = { id = "b", name = "Line 1\nLine 2\r\nLine 3" } },
        { start = 0, ["end"] = 15 * MIN, task = { id = "c", name = "plain" } },
      }
      local text = report.csv(report.build(e, { by = "task", now = NOW }), { rows = "groups" })
      local head = 'task,hours,billed_hours,rate,amount\r\n"Fix ""quoted"", stuff",1.00,1.00,,\r\n'
      assert.equal(head, text:sub(1, #head))
      local second = '"Line 1\nLine 2\r\nLine 3",0.50,0.50,,\r\n'
      assert.equal(second, text:sub(#head + 1, #head + #second))
      assert.same({
        { "task", "hours", "billed_hours", "rate", "amount" },
        { 'Fix "quoted", stuff', "1.00", "1.00", "", "" },
        { "Line 1\nLine 2\r\nLine 3", "0.50", "0.50", "", "" },
        { "plain", "0.25", "0.25", "", "" },
      }, parse_csv(text))
    end)

    it("without a grouping: the total as the one group row; mixed rates say so", function()
      local r = report.build(fixture(), { now = NOW })
      assert.equal("hours,billed_hours,rate,amount\r\n5.74,5.74,,\r\n", report.csv(r, { rows = "groups" }))
      r = report.build(fixture(), { now = NOW, rate = { default = 100, users = { bob = 50 } } })
      assert.equal("hours,billed_hours,rate,amount\r\n5.74,5.74,mixed,443.00\r\n", report.csv(r, { rows = "groups" }))
    end)
  end)

  describe("json", function()
    it("parses back with cjson", function()
      local r = report.build(fixture(), { by = { "billable", "user" }, now = NOW, rate = 120 })
      local doc = cjson.decode(report.json(r))
      assert.same({ "billable", "user" }, doc.by)
      assert.same({ ms = 344 * MIN, rounded_ms = 344 * MIN, hours = 5.74, billed_hours = 5.74, count = 5,
                    amount = 688.8, cents = 68880, rate = 120 }, doc.total)
      assert.equal(NOW, doc.now)
      assert.equal("monday", doc.week_start)
      assert.equal(120, doc.rate)
      assert.equal(2, #doc.groups)
      local b = doc.groups[1]
      assert.same({ true, "billable", 172 * MIN, 3, 344.4 }, { b.key, b.label, b.ms, b.count, b.amount })
      assert.same({
        { key = 1, label = "ann", ms = 165 * MIN, rounded_ms = 165 * MIN, hours = 2.75, billed_hours = 2.75,
          count = 2, amount = 330, cents = 33000, rate = 120 },
        { key = 2, label = "bob", ms = 7 * MIN, rounded_ms = 7 * MIN, hours = 0.12, billed_hours = 0.12,
          count = 1, amount = 14.4, cents = 1440, rate = 120 },
      }, b.groups)
      assert.equal(false, doc.groups[2].key)
      assert.equal(9, #doc.days)
      assert.same({ key = "2026-11-26", label = "Thu 11-26", ms = 0, parts = {} }, doc.days[4])
      assert.equal(6, #doc.pieces)
      assert.same({ entry_id = "e2", part = 2, parts = 2, from = L(2026, 11, 24, 0), to = L(2026, 11, 24, 1, 30),
                    date = "2026-11-24", ms = 90 * MIN, rounded_ms = 90 * MIN, hours = 1.5, billed_hours = 1.5,
                    rate = 120, amount = 180, cents = 18000, labels = { "non-billable", "bob" }, user_id = 2 },
                  doc.pieces[3])
    end)

    it("a period, and empty lists as arrays", function()
      local text = report.json(report.build({}, { now = 0 }))
      assert.equal('{"by":[],"days":[],"groups":[],"now":0,"pieces":[],"total":{"billed_hours":0,"count":0,'
                   .. '"hours":0,"ms":0,"rounded_ms":0},"week_start":"monday"}', text)
      local doc = cjson.decode(report.json(report.build({}, { now = NOW, range = "today", filter = { tags = {} } })))
      assert.same({ from = L(2026, 11, 25, 0), to = L(2026, 11, 26, 0) }, doc.period)
      assert.equal("[]", report.json(report.build({}, { filter = { tags = {} } })):match('"tags":(%b[])'))
    end)
  end)

  describe("markdown", function()
    it("a table with subtotals and a total row", function()
      local e = fixture()
      local r = report.build({ e[1], e[2] }, { by = { "day", "task" }, now = NOW })
      assert.equal(table.concat({
        "| Day | Task | Hours |",
        "| --- | --- | ---: |",
        "| **Mon 23 Nov 2026** | | **3.00** |",
        "| | Write report | 2.00 |",
        "| | (no task) | 1.00 |",
        "| **Tue 24 Nov 2026** | | **1.50** |",
        "| | (no task) | 1.50 |",
        "| **Total** | | **4.50** |",
        "",
      }, "\n"), report.markdown(r))
    end)

    it("rounded, rate (when rates differ) and amount columns, escaped labels", function()
      local e = {
        { start = 0, ["end"] = 50 * MIN, task = { id = "a", name = "a|b *c*" } },
        { start = 0, ["end"] = 7 * MIN, task = { id = "b", name = "two\nlines" } },
      }
      local r = report.build(e, { by = "task", now = NOW, rate = { default = 90, tasks = { b = 60 } },
                                  round = { increment = 15 * MIN, mode = "up" } })
      assert.equal(table.concat({
        "| Task | Hours | Rounded | Rate | Amount |",
        "| --- | ---: | ---: | ---: | ---: |",
        "| a\\|b \\*c\\* | 0.83 | 1.00 | 90 | 90.00 |",
        "| two lines | 0.12 | 0.25 | 60 | 15.00 |",
        "| **Total** | **0.95** | **1.25** | **mixed** | **105.00** |",
        "",
      }, "\n"), report.markdown(r))
    end)
  end)

  describe("terminal table and chart", function()
    local function lines(text)
      local out = {}
      for line in (text):gmatch("([^\n]*)\n") do out[#out + 1] = line end
      return out
    end
    local B = "█"

    it("aligned, with subtotals, a total and the chart (color = false)", function()
      local r = report.build(fixture(), { by = { "day", "task" }, now = NOW, rate = 120,
                                          round = { increment = 15 * MIN, mode = "up" } })
      local text = report.table(r, { color = false })
      assert.is_nil(text:find("\27", 1, true))
      assert.same({
        "Day / Task       Hours  Rounded  Amount",
        "Mon 23 Nov 2026   3.00     3.00  360.00",
        "  Write report    2.00     2.00  240.00",
        "  (no task)       1.00     1.00  120.00",
        "Tue 24 Nov 2026   1.50     1.50  180.00",
        "  (no task)       1.50     1.50  180.00",
        "Wed 25 Nov 2026   0.75     0.75   90.00",
        "  Review          0.75     0.75   90.00",
        "Sun 29 Nov 2026   0.12     0.25   30.00",
        "  Write report    0.12     0.25   30.00",
        "Tue 1 Dec 2026    0.37     0.50   60.00",
        "  Review          0.37     0.50   60.00",
        "---------------------------------------",
        "Total             5.74     6.00  720.00",
        "",
        "Mon 11-23 " .. B:rep(40) .. " 3h 00m",
        "Tue 11-24 " .. B:rep(20) .. (" "):rep(20) .. " 1h 30m",
        "Wed 11-25 " .. B:rep(10) .. (" "):rep(30) .. "    45m",
        "Thu 11-26 " .. (" "):rep(40) .. "     0m",
        "Fri 11-27 " .. (" "):rep(40) .. "     0m",
        "Sat 11-28 " .. (" "):rep(40) .. "     0m",
        "Sun 11-29 " .. B .. "▌" .. (" "):rep(38) .. "     7m",
        "Mon 11-30 " .. (" "):rep(40) .. "     0m",
        "Tue 12-01 " .. B:rep(4) .. "▉" .. (" "):rep(35) .. "    22m",
      }, lines(text))
    end)

    it("without a chart, labels cut to the width", function()
      local e = fixture()
      e[1].task.name = "A rather long task name that will not fit"
      local r = report.build(e, { by = "task", now = NOW })
      assert.same({
        "Task         Hours",
        "(no task)     2.50",
        "A rather l…   2.12",
        "Review        1.12",
        "------------------",
        "Total         5.74",
      }, lines(report.table(r, { width = 18, chart = false })))
    end)

    it("color = true adds ANSI escapes around the same text", function()
      local r = report.build(fixture(), { by = "task", now = NOW })
      local plain = report.table(r, { color = false })
      local colored = report.table(r, { color = true })
      assert.truthy(colored:find("\27[1m", 1, true))
      assert.truthy(colored:find("\27[32m" .. B:rep(40) .. "\27[0m", 1, true))
      assert.equal(plain, (colored:gsub("\27%[%d+m", "")))
      assert.equal("\27[1mTotal          5.74\27[0m", lines(colored)[6])
    end)

    it("chart of entries or of a report, bar_width", function()
      local e = fixture()
      local chart = report.chart({ e[1], e[2], e[4] }, { now = NOW, bar_width = 8 })
      assert.same({
        "Mon 11-23 " .. B:rep(8) .. " 3h 00m",
        "Tue 11-24 " .. B:rep(4) .. "     1h 30m",
        "Wed 11-25 " .. (" "):rep(8) .. "     0m",
        "Thu 11-26 " .. (" "):rep(8) .. "     0m",
        "Fri 11-27 " .. (" "):rep(8) .. "     0m",
        "Sat 11-28 " .. (" "):rep(8) .. "     0m",
        "Sun 11-29 " .. "▎" .. (" "):rep(7) .. "     7m",   -- 7/180*64 = 2.49: 2 eighths
      }, lines(chart))
      local r = report.build(fixture(), { by = "task", now = NOW })
      assert.equal(report.chart(r, { width = 40 }), report.chart(fixture(), { now = NOW, width = 40 }))
      -- width 40: bars of 40 - 9 - 6 - 2 = 23
      assert.equal("Mon 11-23 " .. B:rep(23) .. " 3h 00m", lines(report.chart(r, { width = 40 }))[1])
      assert.equal("", report.chart({}, { now = NOW }))
    end)
  end)

  describe("html", function()
    it("one page, nothing outside it, the totals, the table and a stacked day chart", function()
      local r = report.build(fixture(), { by = { "task", "day" }, now = NOW, rate = 120, round = "15m",
                                          range = "2026-11-23..2026-12-01" })
      local page = report.html(r, { title = "Invoice <ACME>" })
      assert.matches("^<!DOCTYPE html>", page)
      assert.is_nil(page:find("https?://"))
      assert.is_nil(page:find("<script", 1, true))
      assert.is_nil(page:find("<link", 1, true))
      assert.truthy(page:find("<h1>Invoice &lt;ACME&gt;</h1>", 1, true))
      assert.truthy(page:find('id="total-hours" data-value="5.74"', 1, true))
      assert.truthy(page:find('id="total-billed-hours" data-value="6.00"', 1, true))
      assert.truthy(page:find('id="total-amount" data-value="720.00"', 1, true))
      assert.truthy(page:find('id="total-count" data-value="5"', 1, true))
      assert.truthy(page:find("Mon 23 Nov 2026 – Tue 01 Dec 2026", 1, true))
      -- a rect per day and group: Mon 23 holds Write report and (no task)
      local rects = 0
      for _ in page:gmatch("<rect ") do rects = rects + 1 end
      assert.equal(6, rects)
      assert.truthy(page:find('<td class="num" data-col="amount">240.00</td>', 1, true))
    end)
  end)
end)

describe("clickup.time.json", function()
  local encode = json.encode

  it("scalars", function()
    assert.equal("null", encode(nil))
    assert.equal("null", encode(json.null))
    assert.equal("true", encode(true))
    assert.equal("false", encode(false))
    assert.equal("3", encode(3))
    assert.equal("3", encode(3.0))
    assert.equal("-42", encode(-42))
    assert.equal("0", encode(-0.0))
    assert.equal("1795603500000", encode(1795603500000))
    assert.equal("0.1", encode(0.1))
    assert.equal("2.5", encode(2.5))
    assert.equal("0.33333333333333", encode(1 / 3))
    assert.equal("1e+20", encode(1e20))
    assert.equal("1.5e-07", encode(1.5e-7))
  end)

  it("refuses NaN, infinities and what JSON has no form for", function()
    assert.has_error(function() encode(0 / 0) end, "json: cannot encode NaN")
    assert.has_error(function() encode(math.huge) end, "json: cannot encode an infinite number")
    assert.has_error(function() encode({ -math.huge }) end, "json: cannot encode an infinite number")
    assert.has_error(function() encode(print) end, "json: cannot encode a value of type function")
    assert.has_error(function() encode({ [true] = 1 }) end, "json: cannot encode a table key of type boolean")
    local t = {}
    t.self = t
    assert.has_error(function() encode(t) end, "json: cannot encode a table that contains itself")
  end)

  it("strings: quotes, backslashes and control characters escaped, UTF-8 as is", function()
    assert.equal([["a\"b\\c"]], encode('a"b\\c'))
    assert.equal([["\u0000\u0001\u0009\u000a\u000d\u001f x"]], encode("\0\1\t\n\r\31 x"))
    assert.equal('"é ✓ █ \127"', encode("é ✓ █ \127"))
    assert.equal("ü", cjson.decode(encode("ü")))
  end)

  it("arrays, objects with sorted keys, the empty array marker", function()
    assert.equal("[1,2,[3,\"x\"]]", encode{ 1, 2, { 3, "x" } })
    assert.equal('{"a":1,"b":{"c":[true,false]},"z":null}', encode{ z = json.null, b = { c = { true, false } }, a = 1 })
    assert.equal("{}", encode{})
    assert.equal("[]", encode(json.array()))
    local t = json.array{}
    assert.equal(t, json.array(t))
    assert.is_true(json.is_array(t))
    assert.equal("[]", encode{ t }:sub(2, -2))
    assert.equal('{"1":"a","3":"c"}', encode{ [1] = "a", [3] = "c" })  -- not 1..n: an object
    assert.equal('{"1":"a","x":1}', encode{ "a", x = 1 })
    local nested = { list = json.array{}, n = 1 }
    assert.same({ list = {}, n = 1 }, cjson.decode(encode(nested)))
    assert.equal('{"list":[],"n":1}', encode(nested))
  end)
end)
