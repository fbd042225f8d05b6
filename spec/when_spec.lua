-- clickup.time.when: moments and ranges in the local time zone.
--
-- Lua cannot change its time zone in-process, so everything that depends on
-- it runs in a child interpreter (the one running this suite) with TZ set,
-- and the child prints its results. The expected numbers were checked with
-- `TZ=... date -d ... +%s`. In-process tests are the zone-independent ones:
-- offsets, relative moments, numbers, invalid input, and invariants.

local when = require "clickup.time.when"

local unpack = table.unpack or unpack

local LUA = rawget(_G, "jit") and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))

local HOUR, DAY = 3600000, 86400000

-- Evaluate each expression (a Lua expression over `when` and `opts`) in a child
-- with TZ = tz and opts.now = now; returns a table expression -> printed results,
-- numbers as integers and values separated by a space.
local function in_tz(tz, now, exprs)
  local chunk = {
    'package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path',
    'local when = require "clickup.time.when"',
    ("local NOW = %.0f"):format(now),
    "local function opts(t) t = t or {}; t.now = t.now or NOW; return t end",
    "local function out(...)",
    '  local t, n = { ... }, select("#", ...)',
    "  for i = 1, n do",
    '    t[i] = type(t[i]) == "number" and ("%.0f"):format(t[i]) or tostring(t[i])',
    "  end",
    '  io.write(table.concat(t, " ", 1, n), "\\n")',
    "end",
    "local _ = opts",
  }
  for _, e in ipairs(exprs) do chunk[#chunk + 1] = "out(" .. e .. ")" end
  local file = os.tmpname()
  local f = assert(io.open(file, "w"))
  f:write(table.concat(chunk, "\n"), "\n")
  f:close()
  local p = assert(io.popen("TZ=" .. tz .. " " .. LUA .. " " .. file .. " 2>&1", "r"))
  local text = p:read("*a")
  p:close()
  os.remove(file)
  local lines = {}
  for line in text:gmatch("[^\n]*") do if line ~= "" then lines[#lines + 1] = line end end
  assert(#lines == #exprs, "the child printed:\n" .. text)
  local r = {}
  for i, e in ipairs(exprs) do r[e] = lines[i] end
  return r
end

-- Expectations: { expression, "printed result" }; checks them all in one child.
local function check_tz(tz, now, cases)
  local exprs = {}
  for i, c in ipairs(cases) do exprs[i] = c[1] end
  local got = in_tz(tz, now, exprs)
  for _, c in ipairs(cases) do
    assert.are.equal(c[2], got[c[1]], tz .. ": " .. c[1])
  end
end

local function ms(...) -- numbers as the child prints them
  local t = { ... }
  for i = 1, #t do t[i] = ("%.0f"):format(t[i]) end
  return table.concat(t, " ")
end

describe("when, in UTC", function()
  -- now: 2026-11-28T14:30:00Z, a Saturday
  local NOW = 1795876200000
  local TODAY, YESTERDAY, TOMORROW = 1795824000000, 1795737600000, 1795910400000
  local MON = 1795392000000           -- 2026-11-23
  local SUN = 1795305600000           -- 2026-11-22

  it("reads every moment keyword", function()
    check_tz("UTC", NOW, {
      { 'when.parse("now", opts())', ms(NOW) },
      { 'when.parse("today", opts())', ms(TODAY) },
      { 'when.parse("yesterday", opts())', ms(YESTERDAY) },
      { 'when.parse("tomorrow", opts())', ms(TOMORROW) },
      { 'when.parse("monday", opts())', ms(MON) },
      { 'when.parse("mon", opts())', ms(MON) },
      { 'when.parse("Last Monday", opts())', ms(MON - 7 * DAY) },
      { 'when.parse("saturday", opts())', ms(TODAY) },          -- today is a Saturday
      { 'when.parse("last sat", opts())', ms(TODAY - 7 * DAY) },
      { 'when.parse("friday", opts())', ms(YESTERDAY) },
      { 'when.parse("sunday", opts())', ms(SUN) },
      { 'when.parse("tue", opts())', ms(MON + DAY) },
      { 'when.parse("wednesday", opts())', ms(MON + 2 * DAY) },
      { 'when.parse("thu", opts())', ms(MON + 3 * DAY) },
      { 'when.parse("yesterday 14:00", opts())', ms(YESTERDAY + 14 * HOUR) },
      { 'when.parse("monday 9:30", opts())', ms(MON + 9.5 * HOUR) },
      { 'when.parse("today 17", opts())', ms(TODAY + 17 * HOUR) },
      { 'when.parse("yesterday 2pm", opts())', ms(YESTERDAY + 14 * HOUR) },
      { 'when.parse("yesterday at 2:30 PM", opts())', ms(YESTERDAY + 14.5 * HOUR) },
      { 'when.parse("tomorrow 08:15:30", opts())', ms(TOMORROW + 8 * HOUR + 15 * 60000 + 30000) },
      { 'when.parse("14:00", opts())', ms(TODAY + 14 * HOUR) },
      { 'when.parse("  9:05:07.5 ", opts())', ms(TODAY + 9 * HOUR + 5 * 60000 + 7500) },
      { 'when.parse("12am", opts())', ms(TODAY) },
      { 'when.parse("12pm", opts())', ms(TODAY + 12 * HOUR) },
      { 'when.parse("2 p.m.", opts())', ms(TODAY + 14 * HOUR) },
      { 'when.parse("2026-11-28", opts())', ms(TODAY) },
      { 'when.parse("2026-11-28T14:30", opts())', ms(NOW) },
      { 'when.parse("2026-11-28 14:30", opts())', ms(NOW) },
      { 'when.parse("2026-11-28T14:30:15", opts())', ms(NOW + 15000) },
      { 'when.parse("2026-11-28t14:30:15.123", opts())', ms(NOW + 15123) },
      { 'when.parse("2026-11-28 2pm", opts())', ms(TODAY + 14 * HOUR) },
      { 'when.parse("2024-02-29", opts())', ms(1709164800000) },
      { 'when.parse("2026-11-28T14:30:00Z")', ms(1795876200000) },
    })
  end)

  it("reads every range keyword", function()
    check_tz("UTC", NOW, {
      { 'when.range("today", opts())', ms(TODAY, TOMORROW) },
      { 'when.range("yesterday", opts())', ms(YESTERDAY, TODAY) },
      { 'when.range("tomorrow", opts())', ms(TOMORROW, TOMORROW + DAY) },
      { 'when.range("monday", opts())', ms(MON, MON + DAY) },
      { 'when.range("last monday", opts())', ms(MON - 7 * DAY, MON - 6 * DAY) },
      { 'when.range("this week", opts())', ms(MON, MON + 7 * DAY) },
      { 'when.range("last week", opts())', ms(MON - 7 * DAY, MON) },
      { 'when.range("next week", opts())', ms(MON + 7 * DAY, MON + 14 * DAY) },
      { 'when.range("this week", opts{ week_start = "sunday" })', ms(SUN, SUN + 7 * DAY) },
      { 'when.range("this week", opts{ week_start = 1 })', ms(SUN, SUN + 7 * DAY) },
      { 'when.range("this week", opts{ week_start = "sat" })', ms(TODAY, TODAY + 7 * DAY) },
      { 'when.range("last week", opts{ week_start = "Sunday" })', ms(SUN - 7 * DAY, SUN) },
      { 'when.range("this month", opts())', ms(1793491200000, 1796083200000) },
      { 'when.range("last month", opts())', ms(1790812800000, 1793491200000) },
      { 'when.range("this year", opts())', ms(1767225600000, 1798761600000) },
      { 'when.range("last year", opts())', ms(1735689600000, 1767225600000) },
      { 'when.range("2026-11-28", opts())', ms(TODAY, TOMORROW) },
      { 'when.range("2026-11", opts())', ms(1793491200000, 1796083200000) },
      { 'when.range("2026-12", opts())', ms(1796083200000, 1798761600000) },
      { 'when.range("2026", opts())', ms(1767225600000, 1798761600000) },
      { 'when.range("2026-W48", opts())', ms(MON, MON + 7 * DAY) },
      { 'when.range("2026W01", opts())', ms(1766966400000, 1766966400000 + 7 * DAY) },   -- from 2025-12-29
      { 'when.range("2026-W53", opts())', ms(1798416000000, 1798416000000 + 7 * DAY) },  -- from 2026-12-28
      { 'when.range("last 7 days", opts())', ms(TODAY - 6 * DAY, TOMORROW) },
      { 'when.range("past 2 days", opts())', ms(YESTERDAY, TOMORROW) },
      { 'when.range("7d", opts())', ms(TODAY - 6 * DAY, TOMORROW) },
      { 'when.range("1d", opts())', ms(TODAY, TOMORROW) },
      { 'when.range("monday..today", opts())', ms(MON, TOMORROW) },
      { 'when.range("monday .. now", opts())', ms(MON, NOW) },
      { 'when.range("2026-11-02 to 2026-11-06", opts())', ms(1793577600000, 1794009600000) },
      { 'when.range("from 2026-01 to 2026-03", opts())', ms(1767225600000, 1775001600000) },
      { 'when.range("yesterday 14:00 to today 9:00", opts())', ms(YESTERDAY + 14 * HOUR, TODAY + 9 * HOUR) },
      { 'when.range("since monday", opts())', ms(MON, NOW) },
      { 'when.range("from yesterday", opts())', ms(YESTERDAY, NOW) },
      { 'when.range("monday..", opts())', ms(MON, NOW) },
      { 'when.range("yesterday 14:00", opts())', ms(YESTERDAY + 14 * HOUR, NOW) },
      { 'when.range("2h ago", opts())', ms(NOW - 2 * HOUR, NOW) },
      { 'when.range("2026-11-28T10:00Z", opts())', ms(TODAY + 10 * HOUR, NOW) },
    })
  end)

  it("crosses year ends", function()
    -- now: 2026-01-15T12:00Z, a Thursday
    check_tz("UTC", 1768478400000, {
      { 'when.range("last month", opts())', ms(1764547200000, 1767225600000) },
      { 'when.range("this month", opts())', ms(1767225600000, 1769904000000) },
      { 'when.range("last year", opts())', ms(1735689600000, 1767225600000) },
      { 'when.range("last week", opts())', ms(1768176000000 - 7 * DAY, 1768176000000) },
      { 'when.range("last 20 days", opts())', ms(1768435200000 - 19 * DAY, 1768435200000 + DAY) },
      { 'when.range("next month", { now = 1796169600000 })', ms(1798761600000, 1798761600000 + 31 * DAY) },
      { 'when.parse("last friday", opts())', ms(1767916800000 - 7 * DAY) },
    })
  end)

  it("gives local dates, week starts and bounds", function()
    check_tz("UTC", NOW, {
      { "when.day(NOW)", "2026-11-28" },
      { "when.day(1795823999999)", "2026-11-27" },
      { "when.week_start(NOW)", ms(MON) },
      { 'when.week_start(NOW, { week_start = "sunday" })', ms(SUN) },
      { 'when.week_start(NOW, { week_start = 7 })', ms(TODAY) },
      { 'when.bounds(NOW, "day")', ms(TODAY, TOMORROW) },
      { 'when.bounds(NOW, "week")', ms(MON, MON + 7 * DAY) },
      { 'when.bounds(NOW, "week", { week_start = "sunday" })', ms(SUN, SUN + 7 * DAY) },
      { 'when.bounds(NOW, "month")', ms(1793491200000, 1796083200000) },
      { 'when.bounds(NOW, "year")', ms(1767225600000, 1798761600000) },
    })
  end)
end)

describe("when, across daylight saving", function()
  it("Europe/Berlin: the spring day is 23 h, the autumn day 25 h", function()
    local now = 1774785600000          -- 2026-03-29T12:00Z: Sunday 14:00 CEST, the day of the change
    check_tz("Europe/Berlin", now, {
      { 'when.range("2026-03-29", opts())', ms(1774738800000, 1774821600000) },
      { 'select(2, when.range("2026-03-29", opts())) - when.range("2026-03-29", opts())', ms(82800000) },
      { 'select(2, when.range("2026-10-25", opts())) - when.range("2026-10-25", opts())', ms(90000000) },
      { 'when.range("2026-10-25", opts())', ms(1792879200000, 1792969200000) },
      { 'when.bounds(1792900000000, "day")', ms(1792879200000, 1792969200000) },
      { 'when.range("today", opts())', ms(1774738800000, 1774821600000) },
      { 'when.range("yesterday", opts())', ms(1774652400000, 1774738800000) },
      { 'when.parse("today", opts())', ms(1774738800000) },
      { 'when.parse("tomorrow", opts())', ms(1774821600000) },
      { 'when.parse("today 14:00", opts())', ms(now) },
      { 'when.parse("yesterday 23:00", opts())', ms(1774735200000) },
      { 'when.parse("yesterday 14:00", opts())', ms(1774702800000) },      -- CET: 13:00Z
      { 'when.parse("2026-03-29T14:00", opts())', ms(now) },               -- CEST: 12:00Z
      { 'when.parse("2026-03-29T14:00+02:00", opts())', ms(now) },
      { 'when.parse("2026-03-29T12:00:00Z", opts())', ms(now) },
      { 'when.parse("sunday", opts())', ms(1774738800000) },
      { 'when.parse("last sunday", opts())', ms(1774134000000) },
      { 'when.parse("monday", opts())', ms(1774220400000) },
      { 'when.parse("saturday", opts())', ms(1774652400000) },
      { 'when.parse("2h ago", opts())', ms(now - 2 * HOUR) },
      -- the week 23 to 30 March holds the change: 7 days less an hour
      { 'when.range("this week", opts())', ms(1774220400000, 1774821600000) },
      { 'when.range("2026-W13", opts())', ms(1774220400000, 1774821600000) },
      { 'when.range("this week", opts{ week_start = "sunday" })', ms(1774738800000, 1775340000000) },
      { 'when.week_start(NOW)', ms(1774220400000) },
      { 'when.week_start(NOW, { week_start = "sunday" })', ms(1774738800000) },
      { 'when.week_start(NOW, { week_start = "saturday" })', ms(1774652400000) },
      { 'when.range("last 7 days", opts())', ms(1774220400000, 1774821600000) },
      -- March holds the change: 31 days less an hour
      { 'when.range("this month", opts())', ms(1772319600000, 1774994400000) },
      { 'select(2, when.range("this month", opts())) - when.range("this month", opts())', ms(31 * DAY - HOUR) },
      { 'when.range("last month", opts())', ms(1769900400000, 1772319600000) },
      { 'when.range("2026-10", opts())', ms(1790805600000, 1793487600000) },
      { 'when.range("2026-10-19..2026-10-25", opts())', ms(1792360800000, 1792969200000) },
      { "when.day(1774738799000)", "2026-03-28" },
      { "when.day(1774738800000)", "2026-03-29" },
    })
  end)

  it("America/New_York: 2026-03-08 is 23 h, 2026-11-01 25 h", function()
    local now = 1793552400000          -- 2026-11-01T17:00Z: Sunday 12:00 EST, the day of the change
    check_tz("America/New_York", now, {
      { 'when.range("2026-03-08", opts())', ms(1772946000000, 1773028800000) },
      { 'select(2, when.range("2026-03-08", opts())) - when.range("2026-03-08", opts())', ms(23 * HOUR) },
      { 'when.range("today", opts())', ms(1793505600000, 1793595600000) },
      { 'select(2, when.range("today", opts())) - when.range("today", opts())', ms(25 * HOUR) },
      { 'when.bounds(NOW, "day")', ms(1793505600000, 1793595600000) },
      { 'when.parse("today 12:00", opts())', ms(now) },
      { 'when.parse("yesterday 12:00", opts())', ms(1793462400000) },      -- EDT: 16:00Z
      { 'when.parse("noon", opts())', "nil unknown day 'noon' in 'noon'; try now, today, yesterday 14:00, "
        .. "monday 9:30, 2026-11-28T14:30, 2h ago" },
      { 'when.range("yesterday..today", opts())', ms(1793419200000, 1793595600000) },
      { 'when.range("this week", opts())', ms(1792987200000, 1793595600000) },
      { 'when.range("this week", opts{ week_start = "sunday" })', ms(1793505600000, 1794114000000) },
      { 'when.range("this month", opts())', ms(1793505600000, 1796101200000) },
      { 'when.range("last month", opts())', ms(1790827200000, 1793505600000) },
      { 'when.parse("2026-11-01T01:30-04:00")', ms(1793511000000) },
      { 'when.parse("2026-11-01T01:30-0500")', ms(1793514600000) },
    })
  end)

  it("Asia/Kolkata: a local time is the +05:30 instant", function()
    check_tz("Asia/Kolkata", 1795876200000, {
      { 'when.parse("2026-11-28T14:30", opts())', ms(1795856400000) },
      { 'when.parse("2026-11-28T14:30+05:30", opts())', ms(1795856400000) },
      { 'when.parse("2026-11-28T14:30Z", opts())', ms(1795876200000) },
      { 'when.parse("today", opts())', ms(1795804200000) },              -- 2026-11-27T18:30Z
    })
  end)
end)

describe("when, in any time zone", function()
  local NOW = 1795876200000
  local o = { now = NOW }

  it("reads offsets as exact instants", function()
    assert.are.equal(1795876200000, when.parse("2026-11-28T14:30:00Z"))
    assert.are.equal(1795876200000, when.parse("2026-11-28T14:30Z"))
    assert.are.equal(1795876200000, when.parse(" 2026-11-28t14:30:00z "))
    assert.are.equal(1795876200123, when.parse("2026-11-28T14:30:00.123Z"))
    assert.are.equal(1795876200123, when.parse("2026-11-28T14:30:00,1234Z"))
    assert.are.equal(1795856400000, when.parse("2026-11-28T14:30+05:30"))
    assert.are.equal(1795856400000, when.parse("2026-11-28T14:30:00+0530"))
    assert.are.equal(1795905000000, when.parse("2026-11-28T14:30-0800"))
    assert.are.equal(1795905000000, when.parse("2026-11-28 14:30 -08:00"))
    assert.are.equal(1795872600000, when.parse("2026-11-28T14:30+01"))
    assert.are.equal(1795894200000, when.parse("2026-11-28T14:30-05"))
    assert.are.equal(1795876200000 - 14 * HOUR - 30 * 60000, when.parse("2026-11-28T00:00Z"))
    assert.are.equal(0, when.parse("1970-01-01T00:00:00Z"))
    assert.are.equal(951782400000, when.parse("2000-02-29T00:00Z"))
    assert.are.equal(-86400000, when.parse("1969-12-31T00:00Z"))
  end)

  it("returns integers", function()
    local v = when.parse("2026-11-28T14:30:00.123Z")
    assert.are.equal(v, math.floor(v))
    if math.type then
      assert.are.equal("integer", math.type(v))
      assert.are.equal("integer", math.type((when.range("today", o))))
      assert.are.equal("integer", math.type(when.parse("2h ago", o)))
    end
  end)

  it("passes integer milliseconds through", function()
    assert.are.equal(1795876200000, when.parse(1795876200000))
    assert.are.equal(0, when.parse(0))
    assert.is_nil(when.parse(1.5))
    assert.is_nil(when.parse(0 / 0))
    assert.is_nil(when.parse(math.huge))
  end)

  it("reads relative moments with clickup.time.duration", function()
    assert.are.equal(NOW, when.parse("now", o))
    assert.are.equal(NOW - 2 * HOUR, when.parse("-2h", o))
    assert.are.equal(NOW - 2 * HOUR, when.parse("2h ago", o))
    assert.are.equal(NOW - 2 * HOUR, when.parse("2H AGO", o))
    assert.are.equal(NOW - 90 * 60000, when.parse("90m ago", o))
    assert.are.equal(NOW - 90 * 60000, when.parse("1h 30m ago", o))
    assert.are.equal(NOW - 90 * 60000, when.parse("1:30 ago", o))
    assert.are.equal(NOW - 45 * 60000, when.parse("45 minutes ago", o))
    assert.are.equal(NOW - 2 * DAY, when.parse("2d ago", o))
    assert.are.equal(NOW + 2 * HOUR, when.parse("+2h", o))
    assert.are.equal(NOW + 2 * HOUR, when.parse("in 2h", o))
  end)

  it("agrees with itself", function()
    local from, to = when.range("today", o)
    assert.are.equal(when.parse("today", o), from)
    assert.are.equal(when.parse("tomorrow", o), to)
    assert.are.same({ from, to }, { when.bounds(NOW, "day") })
    assert.are.equal(from, select(2, when.range("yesterday", o)))
    assert.are.same({ when.range("this week", o) }, { when.bounds(NOW, "week") })
    assert.are.same({ when.range("this month", o) }, { when.bounds(NOW, "month") })
    assert.are.equal(when.week_start(NOW), (when.bounds(NOW, "week")))
    assert.are.equal(when.day(NOW), when.day(when.parse("today", o)))
    assert.are.same({ when.range("today", o) }, { when.range(when.day(NOW), o) })
    -- opts.now defaults to the clock
    local a, b = when.range("today")
    local clock = os.time() * 1000
    assert.is_true(a <= clock and clock < b)
    assert.is_true(math.abs(when.parse("now") - clock) <= 1000)
  end)

  local function fails(fn, s, pattern, opts)
    local v, err = fn(s, opts or o)
    assert.is_nil(v, tostring(s))
    assert.are.equal("string", type(err))
    if pattern then assert.matches(pattern, err, 1, true) end
  end

  it("rejects moments it does not understand, saying what", function()
    fails(when.parse, "2026-13-01", "months go from 01 to 12 in '2026-13-01'")
    fails(when.parse, "2026-00-10", "months go from 01 to 12")
    fails(when.parse, "2026-01-32", "2026-01 has 31 days, not day 32")
    fails(when.parse, "2026-02-30", "2026-02 has 28 days, not day 30")
    fails(when.parse, "2026-02-29", "2026-02 has 28 days, not day 29")
    fails(when.parse, "2026-04-31", "2026-04 has 30 days")
    fails(when.parse, "2026-11-28T25:00", "hours go from 0 to 23 in '25:00'")
    fails(when.parse, "2026-11-28T24:00", "hours go from 0 to 23")
    fails(when.parse, "2026-11-28T14:60", "minutes go from 0 to 59")
    fails(when.parse, "2026-11-28T14:30:61", "seconds go from 0 to 59")
    fails(when.parse, "2026-11-28T14:30+25:00", "not a UTC offset")
    fails(when.parse, "2026-11-28X", "after the date comes T or a space and a time, in '2026-11-28X'")
    fails(when.parse, "2026-11-28T", "after the date")
    fails(when.parse, "2026-11-28T14:30 CET", "not a time of day")
    fails(when.parse, "today 25:00", "hours go from 0 to 23 in '25:00' (in 'today 25:00')")
    fails(when.parse, "today 14:00Z", "not a time of day")
    fails(when.parse, "13pm", "with am/pm the hour is 1 to 12")
    fails(when.parse, "0am", "with am/pm the hour is 1 to 12")
    fails(when.parse, "17", "a number in a string is not a moment")
    fails(when.parse, "1795876200000", "pass milliseconds as a number")
    fails(when.parse, "9", "write a time like 9:00")
    fails(when.parse, "foo", "unknown day 'foo' in 'foo'")
    fails(when.parse, "Someday 14:00", "unknown day 'someday' in 'Someday 14:00'")
    fails(when.parse, "last foo", "unknown day 'foo' in 'last foo'")
    fails(when.parse, "monday 9:3x", "not a time of day")
    fails(when.parse, "yesterday morning", "not a time of day: 'morning'")
    fails(when.parse, "this week", "is a span of time, not a moment: when.range reads it")
    fails(when.parse, "monday..today", "is a span of time")
    fails(when.parse, "2h from now", "not a time of day")
    fails(when.parse, "x ago", "not a duration in 'x ago'")
    fails(when.parse, "-", "not a moment: '-'")
    fails(when.parse, "", "an empty string is not a moment")
    fails(when.parse, "   ", "an empty string is not a moment")
    fails(when.parse, "%%", "not a moment: '%%'")
    fails(when.parse, nil, "a moment is a string")
    fails(when.parse, {}, "a moment is a string")
    fails(when.parse, "now", "opts.now is integer milliseconds", { now = "soon" })
    fails(when.parse, "now", "opts.now is integer milliseconds", { now = 1.5 })
  end)

  it("rejects ranges it does not understand, saying what", function()
    fails(when.range, "this decade", "not a range: 'this decade'")
    fails(when.range, "foo", "not a range: 'foo'")
    fails(when.range, "", "an empty string is not a range")
    fails(when.range, "2026-13", "months go from 01 to 12")
    fails(when.range, "2026-02-30", "2026-02 has 28 days")
    fails(when.range, "2026-W54", "2026 has ISO weeks 01 to 53, not 54")
    fails(when.range, "2027-W53", "2027 has ISO weeks 01 to 52, not 53")
    fails(when.range, "2026-W00", "ISO weeks 01 to 53")
    fails(when.range, "last 0 days", "N >= 1")
    fails(when.range, "0d", "N >= 1")
    fails(when.range, "today..yesterday", "the range 'today..yesterday' is empty")
    fails(when.range, "today..2026-01-01", "ends before it starts")
    fails(when.range, "now", "is empty")
    fails(when.range, "tomorrow 9:00", "is in the future")
    fails(when.range, "in 2h", "is in the future")
    fails(when.range, "since tomorrow", "ends before it starts")
    fails(when.range, "foo..bar", "unknown day 'foo'")
    fails(when.range, "today..bar", "unknown day 'bar'")
    fails(when.range, "..today", "a side of the range '..today' is empty")
    fails(when.range, "from 2026-02-30 to today", "2026-02 has 28 days")
    fails(when.range, "today 25:00", "hours go from 0 to 23")
    fails(when.range, 42, "a range is a string")
    fails(when.range, "this week", "week_start is a weekday name", { now = NOW, week_start = "funday" })
    fails(when.range, "this week", "week_start is a weekday name", { now = NOW, week_start = 8 })
    fails(when.range, "this week", "week_start is a weekday name", { now = NOW, week_start = 0 })
  end)

  it("raises for bad arguments to day, week_start and bounds", function()
    assert.has_error(function() when.day("today") end)
    assert.has_error(function() when.week_start(nil) end)
    assert.has_error(function() when.week_start(NOW, { week_start = "funday" }) end)
    assert.has_error(function() when.bounds(NOW, "fortnight") end)
    assert.has_error(function() when.bounds(NOW, "week", { week_start = 9 }) end)
    assert.has_error(function() when.bounds(0 / 0, "day") end)
  end)

  it("accepts every weekday name and number as week_start", function()
    local names = { "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday" }
    for i, name in ipairs(names) do
      local start = when.week_start(NOW, { week_start = name })
      assert.are.equal(start, when.week_start(NOW, { week_start = i }))
      assert.are.equal(start, when.week_start(NOW, { week_start = name:sub(1, 3):upper() }))
      assert.are.equal(i, tonumber(os.date("*t", math.floor(start / 1000)).wday))
      assert.is_true(start <= NOW and NOW - start < 8 * DAY)
      local from, to = when.bounds(NOW, "week", { week_start = name })
      assert.are.equal(start, from)
      assert.is_true(NOW < to)
    end
    assert.are.same({ unpack({ when.range("this week", o) }) }, { when.range("this week", { now = NOW,
      week_start = "Monday" }) })
  end)
end)
