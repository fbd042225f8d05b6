--- clickup.time.when: moments and ranges as people write them.
--
-- Times are integer milliseconds since the epoch (UTC), as everywhere in this
-- library. What people write is read in the LOCAL time zone (`TZ`, else the
-- system's), with os.time/os.date: a "day" is a local calendar day, which is
-- 23 or 25 hours long across a daylight-saving change. Local midnights and
-- times of day are always built from calendar fields (os.time normalises
-- day 0, day 32, month 13), never by adding 86400 seconds.
--
--   local when = require "clickup.time.when"
--   when.parse(s [, opts])         --> ms, or nil and a message          a moment
--   when.range(s [, opts])         --> from_ms, to_ms (to exclusive), or nil and a message
--   when.day(ms [, opts])          --> "YYYY-MM-DD", the local date of a moment
--   when.week_start(ms [, opts])   --> ms of the local midnight that starts ms's week
--   when.bounds(ms, unit [, opts]) --> from_ms, to_ms of the local "day" | "week" | "month" | "year" holding ms
--
--   opts.now         the current time in ms (default: os.time() * 1000)
--   opts.week_start  the first day of a week: "monday" (default), "sunday", any
--                    weekday name or 3-letter abbreviation, or 1..7 with
--                    1 = Sunday (os.date's wday)
--
-- parse and range return nil and a message for text they do not understand
-- (and for bad opts); day, week_start and bounds raise an error for bad
-- arguments. Input is case-insensitive; surrounding spaces are ignored.
--
-- Moments (when.parse):
--   1795876200000            a number: integer milliseconds, unchanged
--   now
--   today, yesterday, tomorrow          local midnight of that day
--   monday .. sunday, mon .. sun        the most recent such day at 00:00 (today if today is one)
--   last monday, last mon               the one 7 days before that
--   <any of those> <time>               that day at that local time; <time> is 14:00, 9:30,
--                                       14:00:15, 14:00:15.250, 17 (an hour), 2pm, 2:30 pm,
--                                       12am (00:00), 12pm (noon); "at" may come between:
--                                       "yesterday at 2pm", "monday 9:30", "today 17"
--   14:00, 9:30:15, 2pm                 a time alone (with ":" or am/pm) is today at that time
--   2026-11-28                          ISO 8601 date: local midnight
--   2026-11-28T14:30, 2026-11-28 14:30, 2026-11-28T14:30:15, 2026-11-28T14:30:15.123
--                                       ISO 8601 date and time: local time
--   ... with an offset: Z, +01:00, -0500, +01 (optionally after a space)
--                                       that exact instant, whatever the local zone
--   -2h, 2h ago, 90m ago, 1h 30m ago    now minus a duration (clickup.time.duration.parse;
--                                       also 2d, 45 minutes, 1:30)
--   +2h, in 2h                          now plus a duration
-- Fields are checked, not normalised: month 13, day 32, Feb 30, hour 24 or 25,
-- minute 60 are errors.
--
-- Ranges (when.range), each [from, to) with `to` exclusive:
--   today, yesterday, tomorrow          that local day (midnight to the next midnight)
--   monday .. sunday, last monday       that local day (the day parse names)
--   this week, last week, next week     local weeks starting on opts.week_start
--   this month, last month, next month  local midnight of the 1st to the 1st of the next month
--   this year, last year, next year     local 1 January to the next 1 January
--   2026-11-28                          that local day
--   2026-11                             that month
--   2026-W48                            that ISO 8601 week (always Monday to Monday, local midnights)
--   2026                                that year
--   last 7 days, past 7 days, 7d        the last 7 local days INCLUDING today: from local midnight
--                                       6 days ago to the end of today (the next local midnight),
--                                       so "1d" is the same as "today"; N >= 1
--   A..B, A to B, from A to B           A and B are any of the above or moments: a span (a day,
--                                       a week, ...) as A counts from its start, as B up to its
--                                       end ("monday..today" is through the end of today,
--                                       "2026-11-02..2026-11-06" through the end of the 6th,
--                                       "2026-01..2026-03" the first quarter); a moment as B is
--                                       the exclusive end ("yesterday 14:00 to today 9:00")
--   since A, from A, A..                from the start of A to now
--   <a moment>                          a moment alone (yesterday 14:00, 2h ago,
--                                       2026-11-28T14:30Z) is from that moment to now
-- A range that ends before it starts, or is empty, is an error.
--
-- Daylight saving: days, weeks, months and years run from local midnight to
-- local midnight, so a day holding a change is 23 or 25 hours long (Europe/Berlin
-- 2026-03-29: 82800000 ms; 2026-10-25: 90000000 ms), and so is a week or month
-- holding one one hour shorter or longer. A local time that does not exist (02:30
-- on a spring-forward day in Europe) or exists twice (02:30 on an autumn day) is
-- resolved by the C library's mktime (glibc: a time in the gap moves forward by
-- the gap, 02:30 reads as 03:30 summer time; of two, glibc takes one of them).
-- Where the clocks change at midnight (America/Santiago), a day starts at its
-- first local time (01:00 on the spring day). Offsets (Z, +01:00) bypass all this.

local os_time, os_date = os.time, os.date
local floor, tonumber, tostring, type, pcall = math.floor, tonumber, tostring, type, pcall
local format = string.format

local duration = require "clickup.time.duration"

local M = {}

local WEEKDAYS = {
  sunday = 1, monday = 2, tuesday = 3, wednesday = 4, thursday = 5, friday = 6, saturday = 7,
  sun = 1, mon = 2, tue = 3, wed = 4, thu = 5, fri = 6, sat = 7,
}

local HINT = "try now, today, yesterday 14:00, monday 9:30, 2026-11-28T14:30, 2h ago"
local SPAN = " is a span of time, not a moment: when.range reads it"
local RANGE_HINT = "try today, this week, last month, last 7 days, 2026-11, monday..today, "
  .. "2026-11-02 to 2026-11-06"

-- small helpers ----------------------------------------------------------------

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

local function quote(s) return "'" .. tostring(s) .. "'" end

local function is_leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end

local function days_in_month(y, m)
  if m == 2 then return is_leap(y) and 29 or 28 end
  if m == 4 or m == 6 or m == 9 or m == 11 then return 30 end
  return 31
end

-- Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- Day of the week of a day number, 1 = Sunday .. 7 = Saturday (1970-01-01 was a Thursday).
local function weekday_of(days) return (days + 4) % 7 + 1 end

-- The local calendar fields of a moment in ms.
local function fields(ms) return os_date("*t", floor(ms / 1000)) end

-- ms of a local time given as calendar fields; os.time normalises day/month overflow.
local function local_ms(y, mo, d, h, mi, s)
  local ok, t = pcall(os_time, { year = y, month = mo, day = d, hour = h or 0, min = mi or 0, sec = s or 0 })
  if not ok or not t then return nil, format("%04d-%02d-%02d is out of this system's time range", y, mo, d) end
  return floor(t * 1000)
end

-- ms of the local midnight `delta` days after the local date of `ms`.
local function midnight(ms, delta)
  local t = fields(ms)
  return local_ms(t.year, t.month, t.day + (delta or 0))
end

-- opts.week_start as a wday (1 = Sunday), or nil and a message.
local function week_start_day(opts)
  local ws = opts and opts.week_start
  if ws == nil then return 2 end
  if type(ws) == "number" then
    if ws >= 1 and ws <= 7 and ws == floor(ws) then return floor(ws) end
  elseif type(ws) == "string" then
    local d = WEEKDAYS[trim(ws):lower()]
    if d then return d end
  end
  return nil, "week_start is a weekday name (monday, sunday, ...) or 1..7 with 1 = Sunday, not " .. quote(ws)
end

-- opts.now in ms, or nil and a message.
local function now_of(opts)
  local now = opts and opts.now
  if now == nil then return floor(os_time() * 1000) end
  if type(now) ~= "number" or now ~= floor(now) or now == math.huge or now == -math.huge then
    return nil, "opts.now is integer milliseconds, not " .. quote(now)
  end
  return floor(now)
end

-- ms of the local midnight starting the week that holds ms.
local function week_from(ms, ws)
  local t = fields(ms)
  return local_ms(t.year, t.month, t.day - (t.wday - ws) % 7)
end

-- pieces of moments and ranges ---------------------------------------------------

-- A time of day: hours, minutes, seconds, milliseconds, or nil and a message.
-- `bare_hour` allows "17" alone (after a day: "today 17").
local function parse_clock(s, bare_hour)
  s = trim(s)
  local h, rest = s:match("^(%d%d?)(.*)$")
  if not h then return nil, "not a time of day: " .. quote(s) end
  local mi, sec, frac
  local m2, r2 = rest:match("^:(%d%d)(.*)$")
  if m2 then
    mi, rest = m2, r2
    local s2, r3 = rest:match("^:(%d%d)(.*)$")
    if s2 then
      sec, rest = s2, r3
      local f, r4 = rest:match("^[.,](%d+)(.*)$")
      if f then frac, rest = f, r4 end
    end
  end
  local ampm = trim(rest):match("^([ap])%.?m%.?$")
  if trim(rest) ~= "" and not ampm then return nil, "not a time of day: " .. quote(s) end
  local hour = tonumber(h)
  if ampm then
    if hour < 1 or hour > 12 then return nil, "with am/pm the hour is 1 to 12 in " .. quote(s) end
    hour = hour % 12 + (ampm == "p" and 12 or 0)
  elseif not mi and not bare_hour then
    return nil, "a time of day needs minutes or am/pm: write " .. h .. ":00 or " .. h .. "pm"
  end
  if hour > 23 then return nil, "hours go from 0 to 23 in " .. quote(s) end
  local minute, second = tonumber(mi or 0), tonumber(sec or 0)
  if minute > 59 then return nil, "minutes go from 0 to 59 in " .. quote(s) end
  if second > 59 then return nil, "seconds go from 0 to 59 in " .. quote(s) end
  local msec = frac and tonumber((frac .. "00"):sub(1, 3)) or 0
  return hour, minute, second, msec
end

-- "Z", "+01:00", "-0500", "+01" at the end of s: the text before it and the offset in
-- seconds east of UTC; or s and nil when there is none; or nil and a message.
local function split_offset(s)
  if s:sub(-1) == "z" then return trim(s:sub(1, -2)), 0 end
  local body, sign, oh, om = s:match("^(.-)%s*([+-])(%d%d):?(%d%d)$")
  if not body then body, sign, oh = s:match("^(.-)%s*([+-])(%d%d)$") end
  if not body then return s, nil end
  oh, om = tonumber(oh), tonumber(om or 0)
  if oh > 23 or om > 59 then return nil, "not a UTC offset in " .. quote(s) end
  local off = oh * 3600 + om * 60
  return body, sign == "-" and -off or off
end

-- Validate a calendar date; nil and a message when it does not exist.
local function check_date(y, m, d, s)
  if m < 1 or m > 12 then return nil, "months go from 01 to 12 in " .. quote(s) end
  if d < 1 or d > days_in_month(y, m) then
    return nil, format("%04d-%02d has %d days, not day %d in %s", y, m, days_in_month(y, m), d, quote(s))
  end
  return true
end

-- "2026-11-28" with an optional time and offset; nil and no message when s is not one.
local function parse_iso(s, original)
  local y, mo, d, rest = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)(.*)$")
  if not y then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  local ok, err = check_date(y, mo, d, original)
  if not ok then return nil, err end
  if rest == "" then return local_ms(y, mo, d) end
  local clock = rest:match("^t(.+)$") or rest:match("^%s+(.+)$")
  if not clock then return nil, "after the date comes T or a space and a time, in " .. quote(original) end
  local body, off = split_offset(clock)
  if not body then return nil, off end
  local h, mi, sec, msec = parse_clock(body, true)
  if not h then return nil, mi .. " (in " .. quote(original) .. ")" end
  if off then                                       -- an exact instant: no time zone involved
    return floor((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off) * 1000 + msec)
  end
  local base, e = local_ms(y, mo, d, h, mi, sec)
  if not base then return nil, e end
  return base + msec
end

-- A day word ("today", "monday", "last mon") at the start of s: the local midnight of
-- that day and the rest of s; nil when s does not start with one; nil, message on error.
local function parse_day_word(s, now)
  local w, rest = s:match("^(%a+)(.*)$")
  if not w then return nil end
  if w == "today" then return midnight(now, 0), rest end
  if w == "yesterday" then return midnight(now, -1), rest end
  if w == "tomorrow" then return midnight(now, 1), rest end
  local back = 0
  if w == "last" then
    local w2, rest2 = rest:match("^%s+(%a+)(.*)$")
    if not w2 or not WEEKDAYS[w2] then return nil end
    w, rest, back = w2, rest2, 7
  end
  local wd = WEEKDAYS[w]
  if not wd then return nil end
  local t = fields(now)
  return local_ms(t.year, t.month, t.day - (t.wday - wd) % 7 - back), rest
end

-- The local midnight `base` at a time of day: DST-correct through calendar fields.
local function at_time(base, h, mi, sec, msec)
  local t = fields(base)
  local ms, err = local_ms(t.year, t.month, t.day, h, mi, sec)
  if not ms then return nil, err end
  return ms + msec
end

-- A span of time named by s (trimmed, lower-case): from, to; nil when s names none;
-- nil, message when it does but is invalid.
local function period(s, now, ws)
  if s == "today" or s == "yesterday" or s == "tomorrow" then
    local delta = s == "today" and 0 or s == "yesterday" and -1 or 1
    return midnight(now, delta), midnight(now, delta + 1)
  end
  local w = s:match("^(%a+)")
  if WEEKDAYS[w or ""] or w == "last" then
    local from, rest = parse_day_word(s, now)
    if from and trim(rest) == "" then return from, midnight(from, 1) end
    if not from and rest then return nil, rest end
  end

  local which, unit = s:match("^(%a+)%s+(%a+)$")
  local shift = ({ this = 0, last = -1, next = 1 })[which or ""]
  if shift then
    local t = fields(now)
    if unit == "week" then
      local from = week_from(now, ws)
      local f = fields(from)
      return local_ms(f.year, f.month, f.day + 7 * shift), local_ms(f.year, f.month, f.day + 7 * (shift + 1))
    elseif unit == "month" then
      return local_ms(t.year, t.month + shift, 1), local_ms(t.year, t.month + shift + 1, 1)
    elseif unit == "year" then
      return local_ms(t.year + shift, 1, 1), local_ms(t.year + shift + 1, 1, 1)
    elseif unit == "day" then
      return midnight(now, shift), midnight(now, shift + 1)
    end
  end

  local n = s:match("^last%s+(%d+)%s*days?$") or s:match("^past%s+(%d+)%s*days?$") or s:match("^(%d+)%s*d$")
  if n then
    n = tonumber(n)
    if n < 1 then return nil, "the last N days needs N >= 1, not " .. n end
    return midnight(now, 1 - n), midnight(now, 1)
  end

  local y, mo = s:match("^(%d%d%d%d)%-(%d%d)$")
  if y then
    y, mo = tonumber(y), tonumber(mo)
    if mo < 1 or mo > 12 then return nil, "months go from 01 to 12 in " .. quote(s) end
    return local_ms(y, mo, 1), local_ms(y, mo + 1, 1)
  end

  local wy, wn = s:match("^(%d%d%d%d)%-?w(%d%d)$")
  if wy then
    wy, wn = tonumber(wy), tonumber(wn)
    local jan1 = weekday_of(days_from_civil(wy, 1, 1))
    local weeks = (jan1 == 5 or (jan1 == 4 and is_leap(wy))) and 53 or 52
    if wn < 1 or wn > weeks then return nil, format("%d has ISO weeks 01 to %d, not %02d", wy, weeks, wn) end
    -- the Monday of week 1 is the Monday on or before 4 January
    local monday = 4 - (weekday_of(days_from_civil(wy, 1, 4)) + 5) % 7 + 7 * (wn - 1)
    return local_ms(wy, 1, monday), local_ms(wy, 1, monday + 7)
  end

  local year = s:match("^(%d%d%d%d)$")
  if year then
    year = tonumber(year)
    return local_ms(year, 1, 1), local_ms(year + 1, 1, 1)
  end

  local iy, imo, id = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if iy then
    iy, imo, id = tonumber(iy), tonumber(imo), tonumber(id)
    local ok, err = check_date(iy, imo, id, s)
    if not ok then return nil, err end
    return local_ms(iy, imo, id), local_ms(iy, imo, id + 1)
  end
  return nil
end

-- a moment from text, already trimmed and lower-cased
local function moment(s, now, original)
  if s == "" then return nil, "an empty string is not a moment; " .. HINT end
  if s == "now" then return now end
  if s:find("..", 1, true) or s:find("%sto%s") or s:find("^since%s") or s:find("^from%s") then
    return nil, quote(original) .. SPAN
  end

  -- relative: -2h, 2h ago, +2h, in 2h
  local ago = s:match("^%-%s*(.+)$") or s:match("^(.-)%s*ago$")
  local ahead = s:match("^%+%s*(.+)$") or s:match("^in%s+(.+)$")
  if ago or ahead then
    local d, err = duration.parse(ago or ahead)
    if not d then return nil, "not a duration in " .. quote(original) .. ": " .. err end
    return ago and now - d or now + d
  end

  local iso, err = parse_iso(s, original)
  if iso then return iso end
  if err then return nil, err end

  if s:match("^%d+$") then
    return nil, "a number in a string is not a moment: pass milliseconds as a number, or write a time "
      .. "like " .. (#s <= 2 and s or "14") .. ":00, or a date like 2026-11-28"
  end

  local base, rest = parse_day_word(s, now)
  if base then
    rest = trim(rest):gsub("^at%s+", "")
    if rest == "" then return base end
    local h, mi, sec, msec = parse_clock(rest, true)
    if not h then return nil, mi .. " (in " .. quote(original) .. ")" end
    return at_time(base, h, mi, sec, msec)
  elseif rest then                                  -- a day word with an error
    return nil, rest
  end

  if s:match("^%d") then                            -- a time alone: today
    local h, mi, sec, msec = parse_clock(s, false)
    if not h then return nil, mi end
    return at_time(midnight(now, 0), h, mi, sec, msec)
  end

  if period(s, now, 2) then return nil, quote(original) .. SPAN end
  local word = s:match("^last%s+(%a+)") or s:match("^(%a+)")
  if word then return nil, "unknown day " .. quote(word) .. " in " .. quote(original) .. "; " .. HINT end
  return nil, "not a moment: " .. quote(original) .. "; " .. HINT
end

--- A moment: ms, or nil and a message.
function M.parse(s, opts)
  if type(s) == "number" then
    if s ~= s or s == math.huge or s == -math.huge or s ~= floor(s) then
      return nil, "a moment as a number is integer milliseconds, not " .. tostring(s)
    end
    return s
  end
  if type(s) ~= "string" then return nil, "a moment is a string like 'yesterday 14:00', or milliseconds" end
  local now, err = now_of(opts)
  if not now then return nil, err end
  return moment(trim(s):lower(), now, trim(s))
end

-- One side of "A..B": a span or a moment, as from (first) or to (not first).
local function side(s, now, ws, first, original)
  if s == "" then return nil, "a side of the range " .. quote(original) .. " is empty" end
  local from, to = period(s, now, ws)
  if from then return first and from or to end
  if to then return nil, to end                     -- period's message
  local ms, err = moment(s, now, s)
  if not ms then return nil, err .. " (in the range " .. quote(original) .. ")" end
  return ms
end

local function checked(from, to, original)
  if not from then return nil, to end
  if to < from then return nil, "the range " .. quote(original) .. " ends before it starts" end
  if to == from then return nil, "the range " .. quote(original) .. " is empty" end
  return from, to
end

--- A span: from_ms, to_ms (exclusive), or nil and a message.
function M.range(s, opts)
  if type(s) ~= "string" then return nil, "a range is a string like 'this week' or 'monday..today'" end
  local now, nerr = now_of(opts)
  if not now then return nil, nerr end
  local ws, werr = week_start_day(opts)
  if not ws then return nil, werr end
  local original = trim(s)
  local text = original:lower()
  if text == "" then return nil, "an empty string is not a range; " .. RANGE_HINT end

  -- A..B, from A to B, A to B
  local a, b = text:match("^from%s+(.-)%s+to%s+(.+)$")
  if not a then a, b = text:match("^(.-)%s*%.%.%s*(.*)$") end
  if not a then a, b = text:match("^(.-)%s+to%s+(.+)$") end
  if not a then
    a = text:match("^since%s+(.+)$") or text:match("^from%s+(.+)$")
    if a then b = "" end
  end
  if a then
    local from, err = side(a, now, ws, true, original)
    if not from then return nil, err end
    if b == "" then return checked(from, now, original) end
    local to, err2 = side(b, now, ws, false, original)
    if not to then return nil, err2 end
    return checked(from, to, original)
  end

  local from, to = period(text, now, ws)
  if from then return from, to end
  if to then return nil, to end

  local ms, err = moment(text, now, original)
  if not ms then
    if err:find("^unknown day") or err:find("^not a moment") or err:find("is a span of time") then
      return nil, "not a range: " .. quote(original) .. "; " .. RANGE_HINT
    end
    return nil, err
  end
  if ms > now then return nil, quote(original) .. " is in the future; a moment alone means from then until now" end
  return checked(ms, now, original)
end

-- calendar helpers ----------------------------------------------------------------

local function check_ms(ms, fn)
  if type(ms) ~= "number" or ms ~= ms or ms == math.huge or ms == -math.huge then
    error("when." .. fn .. ": milliseconds expected, got " .. tostring(ms), 3)
  end
end

--- "YYYY-MM-DD": the local date of a moment.
function M.day(ms, opts)
  local _ = opts
  check_ms(ms, "day")
  return os_date("%Y-%m-%d", floor(ms / 1000))
end

--- ms of the local midnight starting the week of ms (opts.week_start).
function M.week_start(ms, opts)
  check_ms(ms, "week_start")
  local ws, err = week_start_day(opts)
  if not ws then error("when.week_start: " .. err, 2) end
  return week_from(ms, ws)
end

--- from_ms, to_ms of the local day, week, month or year holding ms.
function M.bounds(ms, unit, opts)
  check_ms(ms, "bounds")
  local t = fields(ms)
  if unit == "day" then
    return local_ms(t.year, t.month, t.day), local_ms(t.year, t.month, t.day + 1)
  elseif unit == "week" then
    local ws, err = week_start_day(opts)
    if not ws then error("when.bounds: " .. err, 2) end
    local day = t.day - (t.wday - ws) % 7
    return local_ms(t.year, t.month, day), local_ms(t.year, t.month, day + 7)
  elseif unit == "month" then
    return local_ms(t.year, t.month, 1), local_ms(t.year, t.month + 1, 1)
  elseif unit == "year" then
    return local_ms(t.year, 1, 1), local_ms(t.year + 1, 1, 1)
  end
  error("when.bounds: unit is \"day\", \"week\", \"month\" or \"year\", not " .. tostring(unit), 2)
end

return M
