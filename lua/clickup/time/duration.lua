--- clickup.time.duration: durations as people write them.
--
--   parse("1h30m") == parse("90m") == parse("1.5h") == parse("1:30") == 5400000
--   parse("45s") == 45000;  parse("2:15") is 2 h 15 min;  parse("2:15:30") adds seconds
--   format(5400000) == "1h 30m";  hours(5400000) == 1.5
--
-- parse reads, case-insensitively and ignoring spaces:
--   a sequence of number + unit: "1h30m", "1h 30m", "1.5h", "90m", "45s", "250ms", "2d"
--     units: ms; s, sec, secs, second, seconds; m, min, mins, minute, minutes;
--            h, hr, hrs, hour, hours; d, day, days (24 hours)
--   a number after a unit without one of its own is the next smaller unit: "1h30" is 1h30m
--   "h:mm" and "h:mm:ss" ("2:15", "2:15:30"; minutes and seconds up to 59)
--   a bare number is minutes: "90" is 90m
-- Integers are milliseconds and pass through parse unchanged. The result is
-- rounded to whole milliseconds.

local floor, tonumber, type = math.floor, tonumber, type

local M = {}

local UNIT = { d = 86400000, h = 3600000, m = 60000, s = 1000, ms = 1 }
local ALIAS = {
  sec = "s", secs = "s", second = "s", seconds = "s",
  min = "m", mins = "m", minute = "m", minutes = "m",
  hr = "h", hrs = "h", hour = "h", hours = "h",
  day = "d", days = "d",
}
local SMALLER = { d = "h", h = "m", m = "s" }

local function round(x) return floor(x + 0.5) end

--- Milliseconds, or nil and a message for something that is not a duration.
function M.parse(s)
  if type(s) == "number" then
    if s >= 0 and s == floor(s) and s < math.huge then return s end
    return nil, "a duration in milliseconds is a non-negative integer"
  end
  if type(s) ~= "string" then return nil, "a duration is a string like 1h30m, or milliseconds" end
  local text = s:lower():gsub("%s+", "")
  if text == "" then return nil, "empty duration" end
  -- h:mm or h:mm:ss
  local h, m, sec = text:match("^(%d+):(%d%d?)$")
  if not h then h, m, sec = text:match("^(%d+):(%d%d?):(%d%d?)$") end
  if h then
    local minutes = tonumber(m)
    local seconds = tonumber(sec) or 0
    if minutes >= 60 or seconds >= 60 then return nil, "minutes and seconds go up to 59 in " .. s end
    return tonumber(h) * UNIT.h + minutes * UNIT.m + seconds * UNIT.s
  end
  -- a sequence of number+unit: 1h30m, 1.5h, 90m, 45s, 2h5s
  local total, pos, last = 0, 1, nil
  while pos <= #text do
    local num, unit, stop = text:match("^(%d*%.?%d*)(%a*)()", pos)
    if not num or not tonumber(num) then return nil, "not a duration: " .. s end
    if unit == "" then
      if stop <= #text then return nil, "not a duration: " .. s end
      if last then                                -- "1h30" is 1h30m
        unit = SMALLER[last]
        if not unit then return nil, "a unit is missing in " .. s end
      else
        unit = "m"                                -- a bare number is minutes: "90" is 90m
      end
    end
    unit = ALIAS[unit] or unit
    if not UNIT[unit] then return nil, "unknown unit in " .. s end
    total = total + tonumber(num) * UNIT[unit]
    last, pos = unit, stop
  end
  return round(total)
end

--- "1h 30m", "45m", "2h 05m", "30s" for less than a minute.
function M.format(ms)
  ms = floor(ms or 0)
  local neg = ms < 0 and "-" or ""
  if ms < 0 then ms = -ms end
  if round(ms / 1000) < 60 then return neg .. round(ms / 1000) .. "s" end
  local minutes = round(ms / UNIT.m)
  local h, m = floor(minutes / 60), minutes % 60
  if h == 0 then return neg .. m .. "m" end
  return ("%s%dh %02dm"):format(neg, h, m)
end

--- Decimal hours, for invoices (2 decimals by default).
function M.hours(ms, decimals)
  local scale = 10 ^ (decimals or 2)
  return floor(ms / UNIT.h * scale + 0.5) / scale
end

return M
