--- clickup.time.report: time reports from time entries, for invoices and reviews.
--
--   local report = require "clickup.time.report"
--   local r = report.build(entries, {
--     by = { "day", "task" },           -- nested groupings (or one key: by = "task")
--     now = ms,                         -- running timers count up to now (default: the clock)
--     week_start = "monday",            -- first day of a week (default monday)
--     filter = { billable = true, tags = { "a", "b" }, tasks = { ids }, users = { ids or names },
--                text = "substring" },
--     round = { increment = 15 * 60000, mode = "up" | "down" | "nearest", per = "entry" | "group" },
--     rate = 120 | { default = 120, users = { [id] = 150 }, tasks = { [task_id] = 90 },
--                    tags = { [name] = 200 } },
--   })
--   r.total  --> { ms =, rounded_ms =, amount =, count = }
--   r.groups --> { { key =, label =, ms =, rounded_ms =, amount =, count =, groups = {...} | nil }, ... }
--   r.days   --> { { key = "2026-11-23", label = "Mon 11-23", ms = }, ... } (for the chart)
--   r.by, r.now, r.week_start ("monday"), r.round (with defaults filled in), r.rate, r.filter
--   report.csv(r)  report.json(r)  report.markdown(r)  report.table(r, { color =, width = })
--   report.chart(r_or_entries, opts)
--
-- Entries are the tables the library returns (plain tables work as well):
-- start and end in ms since the epoch, end absent while the timer runs. An
-- entry's time is end - start, or now - start while it runs. Entries without
-- a numeric start are skipped; an end before the start counts as 0.
--
-- Filters (all optional, all must hold) apply before grouping:
--   billable  entry.billable == the value (an absent billable is false)
--   tags      the entry has any of these tags (names, case-insensitive)
--   tasks     task.id or task.custom_id is one of these
--   users     user.id (number or string) or user.username (case-insensitive) is one of these
--   text      the description contains this text (plain, case-insensitive)
-- A single string or number is accepted where a list is expected.
--
-- Groupings (by):
--   task      key task.id, label task.name (else the id); "(no task)", key ""
--   list, folder, space
--             from task_location: key the id, label the name when present (on
--             any of the group's entries), else the id; "(no list)", "(no folder)",
--             "(no space)", key ""
--   tag       an entry with several tags counts in each of its tags' groups, so
--             tag groups may add up to more than their parent or the total (which
--             count each piece of time once); "(no tag)", key ""
--   user      key user.id, label user.username (else the id); "(no user)", key ""
--   billable  key true / false, label "billable" / "non-billable"
--   day       key "2026-11-23", label "Mon 23 Nov 2026"
--   week      key the date of the week's first day, label "Week of Mon 23 Nov 2026"
--   month     key "2026-11", label "Nov 2026"
-- Days, weeks and months are LOCAL (os.date/os.time, DST-correct: boundaries
-- are local midnights from os.time). With a time grouping, an entry that
-- crosses a boundary of any time grouping in `by` is split there and each
-- piece counts in its own day/week/month. Without one, an entry is one piece.
-- Order: day/week/month groups chronologically; the others by descending
-- time, then label.
--
-- count: the number of distinct entries with time in the group.
--
-- Rounding (round = { increment = ms or "15m", mode =, per = }; mode defaults to
-- "nearest", per to "entry"): "up" rounds up to a multiple of the increment,
-- "down" down, "nearest" to the nearest multiple, halves up (7 min -> 15 with
-- "up"; 22 min -> 15 and 22 min 30 s -> 30 with "nearest").
--   per = "entry"  every counted piece is rounded (an entry split at midnight
--                  is rounded per piece), and every group (and the total) sums
--                  the rounded pieces it contains.
--   per = "group"  each leaf group rounds its exact total; a parent's rounded
--                  total is the sum of its children's, except when its
--                  children are tag groups (which overlap): then it rounds its
--                  own exact total like a leaf. The total is the parent of the
--                  top-level groups (so with no grouping it is rounded itself).
-- Both the exact (ms) and the rounded (rounded_ms) time are always reported;
-- without rounding, rounded_ms == ms.
--
-- Amounts (rate, per hour; amount is nil without a rate): each entry's rate is
-- the first that applies of: rate.tasks[task.id or custom_id], the highest of
-- rate.tags[name] over its tags, rate.users[user.id or username], rate.default
-- (a number rate is the default); else 0. Money is kept in whole cents, rounded
-- half up:
--   no rounding or per = "entry": each piece earns rate x its (rounded) hours,
--     rounded to cents; a group's amount is the sum of its pieces' cents.
--   per = "group": a leaf group earns its pieces' exact-time amounts scaled by
--     rounded_ms / ms (so mixed rates keep their weights), rounded to cents; a
--     parent sums its children (or, above tag groups, scales its own pieces).
-- So every amount is a whole number of cents and every total the sum of its
-- lines, except above tag groups (which overlap).
--
-- Output (details at the formats below):
--   csv       RFC 4180, CRLF, a header, one row per leaf group: the labels along
--             its path, hours, rounded_hours, amount (2 decimals, amount empty
--             without a rate). Tag rows may add up to more than the total.
--   json      { by, total, groups, days, now, week_start, round, rate, filter }
--   markdown  a table with a row per group (subtotals first, in bold) and a total row
--   table     an aligned terminal table (subtotals, total), then ALWAYS the chart
--             of hours per day below it (unless opts.chart == false); ANSI
--             colour only with color = true
--   chart     hours per local day, every day from the first to the last with
--             time: "Mon 11-23 ███████▌ 3h 45m"
--
-- Arguments that make no sense (an unknown grouping, a bad rounding) raise errors.

local duration = require "clickup.time.duration"
local json = require "clickup.time.json"

local type, ipairs, tostring, tonumber, error = type, ipairs, tostring, tonumber, error
local floor, ceil, huge, max = math.floor, math.ceil, math.huge, math.max
local os_date, os_time = os.date, os.time
local sort, concat = table.sort, table.concat

local M = {}

local KEYS = {
  task = true, list = true, folder = true, space = true, tag = true,
  user = true, billable = true, day = true, week = true, month = true,
}
local TIME = { day = true, week = true, month = true }
local WEEKDAYS = { "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday" }
local DAY_ABBR = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" }
local MONTH_ABBR = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }

local function fail(msg) error("clickup.time.report: " .. msg, 0) end

local function half_up(x) return floor(x + 0.5 + 1e-9) end

-- Local time ------------------------------------------------------------

local function local_date(ms) return os_date("*t", floor(ms / 1000)) end

-- The local midnight starting the day y-m-d (os.time normalises d and m).
local function midnight(y, m, d)
  return os_time{ year = y, month = m, day = d, hour = 0, min = 0, sec = 0 } * 1000
end

local function date_key(t) return ("%04d-%02d-%02d"):format(t.year, t.month, t.day) end
local function long_date(t)
  return ("%s %d %s %04d"):format(DAY_ABBR[t.wday], t.day, MONTH_ABBR[t.month], t.year)
end

-- The start of the next day/week/month after ms.
local NEXT = {
  day = function(ms)
    local t = local_date(ms)
    return midnight(t.year, t.month, t.day + 1)
  end,
  week = function(ms, ws)
    local t = local_date(ms)
    return midnight(t.year, t.month, t.day - (t.wday - ws) % 7 + 7)
  end,
  month = function(ms)
    local t = local_date(ms)
    return midnight(t.year, t.month + 1, 1)
  end,
}

-- The pieces of [s, e) cut at the boundaries of the time groupings in kinds.
local function split(s, e, kinds, ws)
  local pieces = {}
  if #kinds == 0 then
    pieces[1] = { s, e }
    return pieces
  end
  while true do
    local cut = huge
    for i = 1, #kinds do
      local b = NEXT[kinds[i]](s, ws)
      if b > s and b < cut then cut = b end
    end
    if cut >= e then
      pieces[#pieces + 1] = { s, e }
      return pieces
    end
    pieces[#pieces + 1] = { s, cut }
    s = cut
  end
end

-- Options ------------------------------------------------------------------

local function week_start(v)
  if v == nil then return 2 end
  if type(v) == "number" and v >= 1 and v <= 7 and v == floor(v) then return v end
  if type(v) == "string" then
    local s = v:lower()
    for i, name in ipairs(WEEKDAYS) do
      if s == name or (#s >= 3 and name:sub(1, #s) == s) then return i end
    end
  end
  fail("week_start is a weekday name (\"monday\") or 1..7 (1 = Sunday), not " .. tostring(v))
end

local function levels_of(by)
  if by == nil then return {} end
  if type(by) == "string" then by = { by } end
  if type(by) ~= "table" then fail("by is a grouping key or a list of them") end
  local levels, seen = {}, {}
  for i, key in ipairs(by) do
    if not KEYS[key] then fail("unknown grouping " .. tostring(key)) end
    if seen[key] then fail("grouping " .. key .. " appears twice") end
    seen[key] = true
    levels[i] = key
  end
  return levels
end

local function round_of(round)
  if round == nil or round == false then return nil end
  if type(round) ~= "table" then fail("round is a table { increment =, mode =, per = }") end
  local inc = round.increment
  if type(inc) == "string" then inc = duration.parse(inc) end
  if type(inc) ~= "number" or inc <= 0 or inc ~= inc then fail("round.increment is a positive number of ms") end
  local mode, per = round.mode or "nearest", round.per or "entry"
  if mode ~= "up" and mode ~= "down" and mode ~= "nearest" then
    fail("round.mode is up, down or nearest, not " .. tostring(mode))
  end
  if per ~= "entry" and per ~= "group" then fail("round.per is entry or group, not " .. tostring(per)) end
  return { increment = inc, mode = mode, per = per }
end

--- ms rounded to round.increment with round.mode ("up", "down", "nearest": halves up).
local function round_ms(ms, round)
  local q = ms / round.increment
  if round.mode == "up" then q = ceil(q)
  elseif round.mode == "down" then q = floor(q)
  else q = floor(q + 0.5) end
  return q * round.increment
end
M.round_ms = round_ms

local function check_rate(rate)
  if rate == nil or rate == false then return nil end
  if type(rate) == "number" then return rate end
  if type(rate) ~= "table" then fail("rate is a number or { default =, users =, tasks =, tags = }") end
  return rate
end

local function list_of(v)
  if v == nil then return nil end
  if type(v) ~= "table" then return { v } end
  return v
end

-- Filters ----------------------------------------------------------------

local function lower(s) return tostring(s):lower() end

local function has_tag(entry, names)
  if type(entry.tags) ~= "table" then return false end
  for _, tag in ipairs(entry.tags) do
    local name = type(tag) == "table" and tag.name or tag
    if name ~= nil and names[lower(name)] then return true end
  end
  return false
end

local function make_filter(f)
  if f == nil then return function() return true end end
  if type(f) ~= "table" then fail("filter is a table") end
  local tags, tasks, users
  if f.tags ~= nil then
    tags = {}
    for _, name in ipairs(list_of(f.tags)) do tags[lower(name)] = true end
  end
  if f.tasks ~= nil then
    tasks = {}
    for _, id in ipairs(list_of(f.tasks)) do tasks[tostring(id)] = true end
  end
  if f.users ~= nil then
    users = {}
    for _, u in ipairs(list_of(f.users)) do users[tostring(u)] = true; users[lower(u)] = true end
  end
  local text = f.text ~= nil and lower(f.text) or nil
  return function(entry)
    if f.billable ~= nil and (entry.billable == true) ~= (f.billable and true or false) then return false end
    if tags and not has_tag(entry, tags) then return false end
    if tasks then
      local task = entry.task
      if type(task) ~= "table" then return false end
      if not ((task.id ~= nil and tasks[tostring(task.id)])
              or (task.custom_id ~= nil and tasks[tostring(task.custom_id)])) then
        return false
      end
    end
    if users then
      local user = entry.user
      if type(user) ~= "table" then return false end
      if not ((user.id ~= nil and users[tostring(user.id)])
              or (user.username ~= nil and users[lower(user.username)])) then
        return false
      end
    end
    if text and not lower(entry.description or ""):find(text, 1, true) then return false end
    return true
  end
end

-- Rates ------------------------------------------------------------------

local function entry_rate(entry, rate)
  if type(rate) == "number" then return rate end
  local task = type(entry.task) == "table" and entry.task or nil
  if rate.tasks and task then
    local r = (task.id ~= nil and rate.tasks[task.id]) or (task.custom_id ~= nil and rate.tasks[task.custom_id])
    if r then return r end
  end
  if rate.tags and type(entry.tags) == "table" then
    local best
    for _, tag in ipairs(entry.tags) do
      local r = type(tag) == "table" and tag.name ~= nil and rate.tags[tag.name]
      if r and (best == nil or r > best) then best = r end
    end
    if best then return best end
  end
  local user = type(entry.user) == "table" and entry.user or nil
  if rate.users and user then
    local r = (user.id ~= nil and (rate.users[user.id] or rate.users[tostring(user.id)]))
              or (user.username ~= nil and rate.users[user.username])
    if r then return r end
  end
  return rate.default or 0
end

-- Group keys ----------------------------------------------------------------

local LOCATION = { list = "list", folder = "folder", space = "space" }

-- The { key, label } pairs of an entry's piece starting at s for one grouping.
local function keys_of(level, entry, s, ws)
  if level == "task" then
    local task = entry.task
    if type(task) == "table" and task.id ~= nil then
      local name = task.name
      if name == nil or name == "" then name = tostring(task.id) end
      return { { task.id, name } }
    end
    return { { "", "(no task)" } }
  elseif LOCATION[level] then
    local loc = entry.task_location
    local id = type(loc) == "table" and loc[level .. "_id"] or nil
    if id ~= nil and id ~= "" then
      local name = loc[level .. "_name"]
      if name == nil or name == "" then name = tostring(id) end
      return { { id, name } }
    end
    return { { "", "(no " .. level .. ")" } }
  elseif level == "tag" then
    local out, seen = {}, {}
    if type(entry.tags) == "table" then
      for _, tag in ipairs(entry.tags) do
        local name = type(tag) == "table" and tag.name or tag
        if name ~= nil and name ~= "" and not seen[name] then
          seen[name] = true
          out[#out + 1] = { name, tostring(name) }
        end
      end
    end
    if #out == 0 then out[1] = { "", "(no tag)" } end
    return out
  elseif level == "user" then
    local user = entry.user
    if type(user) == "table" and user.id ~= nil then
      local name = user.username
      if name == nil or name == "" then name = tostring(user.id) end
      return { { user.id, name } }
    end
    return { { "", "(no user)" } }
  elseif level == "billable" then
    if entry.billable == true then return { { true, "billable" } } end
    return { { false, "non-billable" } }
  elseif level == "day" then
    local t = local_date(s)
    return { { date_key(t), long_date(t) } }
  elseif level == "week" then
    local t = local_date(s)
    local first = local_date(midnight(t.year, t.month, t.day - (t.wday - ws) % 7))
    return { { date_key(first), "Week of " .. long_date(first) } }
  else -- month
    local t = local_date(s)
    return { { ("%04d-%02d"):format(t.year, t.month), MONTH_ABBR[t.month] .. " " .. t.year } }
  end
end

-- The tree ------------------------------------------------------------------

local function new_node(key, label)
  return { key = key, label = label, pieces = {}, children = {}, list = {} }
end

local function insert(node, piece, depth, levels, ws)
  node.pieces[#node.pieces + 1] = piece
  local level = levels[depth]
  if not level then return end
  for _, kl in ipairs(keys_of(level, piece.entry, piece.s, ws)) do
    local child = node.children[kl[1]]
    if not child then
      child = new_node(kl[1], kl[2])
      node.children[kl[1]] = child
      node.list[#node.list + 1] = child
    elseif child.label == tostring(child.key) and kl[2] ~= child.label then
      child.label = kl[2]                       -- a name seen later beats the bare id
    end
    insert(child, piece, depth + 1, levels, ws)
  end
end

local function order(list, level)
  if TIME[level] then
    sort(list, function(a, b) return a.key < b.key end)
  else
    sort(list, function(a, b)
      if a.ms ~= b.ms then return a.ms > b.ms end
      if a.label ~= b.label then return a.label < b.label end
      return tostring(a.key) < tostring(b.key)
    end)
  end
end

-- Computes the node's figures and returns the public group table.
local function finish(node, depth, levels, round, rate)
  local ms, rounded, cents, raw, entries, count = 0, 0, 0, 0, {}, 0
  for _, p in ipairs(node.pieces) do
    ms = ms + p.ms
    rounded = rounded + p.rounded
    cents = cents + p.cents
    raw = raw + p.raw
    if not entries[p.entry] then entries[p.entry] = true; count = count + 1 end
  end
  local level = levels[depth]
  local groups
  local sum_rounded, sum_cents = 0, 0
  if level then
    groups = {}
    for i, child in ipairs(node.list) do
      groups[i] = finish(child, depth + 1, levels, round, rate)
      sum_rounded = sum_rounded + groups[i].rounded_ms
      sum_cents = sum_cents + groups[i]._cents
    end
    order(groups, level)
  end
  if not round then
    rounded = ms
  elseif round.per == "group" then
    if level and level ~= "tag" then
      rounded, cents = sum_rounded, sum_cents
    else
      rounded = round_ms(ms, round)
      cents = ms > 0 and half_up(raw * rounded / ms) or 0
    end
  end
  local g = {
    key = node.key, label = node.label, ms = ms, rounded_ms = rounded, count = count,
    amount = rate and cents / 100 or nil, groups = groups, _cents = cents,
  }
  return g
end

local function strip(g)
  g._cents = nil
  if g.groups then
    for _, child in ipairs(g.groups) do strip(child) end
  end
  return g
end

-- Days for the chart ----------------------------------------------------------

local function days_of(spans)
  local by_key, first, last = {}, nil, nil
  for _, span in ipairs(spans) do
    for _, p in ipairs(split(span[1], span[2], { "day" })) do
      local key = date_key(local_date(p[1]))
      by_key[key] = (by_key[key] or 0) + (p[2] - p[1])
      if not first or p[1] < first then first = p[1] end
      if not last or p[1] > last then last = p[1] end
    end
  end
  local days = {}
  if not first then return days end
  local t = local_date(first)
  local last_key = date_key(local_date(last))
  local i = 0
  while true do
    local day = local_date(midnight(t.year, t.month, t.day + i))
    local key = date_key(day)
    if key > last_key then break end
    days[#days + 1] = {
      key = key, ms = by_key[key] or 0,
      label = ("%s %02d-%02d"):format(DAY_ABBR[day.wday], day.month, day.day),
    }
    i = i + 1
  end
  return days
end

-- Build ----------------------------------------------------------------------

--- A report of entries (see the module header). Returns r = { total =, groups =,
-- by =, days =, now =, week_start =, round =, rate =, filter = }.
function M.build(entries, opts)
  opts = opts or {}
  if type(entries) ~= "table" then fail("entries is a list of time entries") end
  local levels = levels_of(opts.by)
  local ws = week_start(opts.week_start)
  local round = round_of(opts.round)
  local rate = check_rate(opts.rate)
  local keep = make_filter(opts.filter)
  local now = opts.now
  if now == nil then now = os_time() * 1000 end
  if type(now) ~= "number" then fail("now is a time in ms") end

  local kinds = {}
  for _, level in ipairs(levels) do
    if TIME[level] then kinds[#kinds + 1] = level end
  end

  local root = new_node(nil, "Total")
  local spans = {}
  for _, entry in ipairs(entries) do
    local s = type(entry) == "table" and tonumber(entry.start) or nil
    if s and keep(entry) then
      local e = entry["end"]
      e = e ~= nil and tonumber(e) or now
      if e < s then e = s end
      spans[#spans + 1] = { s, e }
      local r = rate and entry_rate(entry, rate) or 0
      for _, span in ipairs(split(s, e, kinds, ws)) do
        local ms = span[2] - span[1]
        local piece = { entry = entry, s = span[1], ms = ms, rounded = ms, raw = r * ms / 36000 }
        if round and round.per == "entry" then piece.rounded = round_ms(ms, round) end
        piece.cents = half_up(r * piece.rounded / 36000)
        insert(root, piece, 1, levels, ws)
      end
    end
  end

  local total = strip(finish(root, 1, levels, round, rate))
  local groups = total.groups or {}
  total.groups, total.key, total.label = nil, nil, nil
  local by = {}
  for i, level in ipairs(levels) do by[i] = level end
  return {
    total = total, groups = groups, by = by, days = days_of(spans), now = now,
    week_start = WEEKDAYS[ws], round = round, rate = rate, filter = opts.filter,
  }
end

-- Output -------------------------------------------------------------------------

-- The formats. Numbers: hours are decimal with 2 decimals, halves up (duration.hours);
-- times in the tables are duration.format ("3h 45m"); amounts have 2 decimals.
-- The Rounded column appears when the report rounds, Amount when it has a rate
-- (CSV always has both columns: rounded_hours equals hours without rounding,
-- amount is empty without a rate).
--
-- csv(r, { decimals = 2 })
--   header: the grouping keys (e.g. day,task), then hours,rounded_hours,amount;
--   one row per leaf group, in report order, with the labels along its path.
--   RFC 4180: CRLF after every row (the last included), fields quoted when they
--   hold a comma, a quote, CR or LF, inner quotes doubled.
-- markdown(r)
--   | Day | Task | Time | Hours |, a row per group in tree order with each
--   label in its grouping's column; groups that have groups (subtotals) in bold,
--   then a bold Total row. | \ * _ ` in labels are escaped, line breaks become spaces.
-- table(r, { color = false, width = 80, chart = true })
--   a header (the grouping keys joined by " / "), a row per group indented two
--   spaces per level, a rule, the Total row; then a blank line and the chart
--   (always, unless chart = false or there is no time). Labels are cut with "…"
--   to fit width. color = true adds ANSI escapes: bold header, subtotals and
--   total, dim rule, green bars.
-- chart(days, { color = false, width = 80, bar_width = n })
--   one line per local day from the first to the last day with time:
--   "Mon 11-23 ███████▌         3h 45m": the longest day gets the full bar
--   (in eighths of a block), bars padded so that the times line up at the
--   right. Width: bar_width, else what fits in width, at most 40.

local format = {}

local BOLD, DIM, GREEN, RESET = "\27[1m", "\27[2m", "\27[32m", "\27[0m"
local PARTS = { "▏", "▎", "▍", "▌", "▋", "▊", "▉" }
local FULL = "█"

local function hours(ms) return ("%.2f"):format(duration.hours(ms, 2)) end
local function money(x) return ("%.2f"):format(x) end
local function time(ms) return duration.format(ms) end

local function capital(s) return s:sub(1, 1):upper() .. s:sub(2) end

-- Display width: code points of UTF-8 text (every one taken as one column).
local function width(s)
  local n = 0
  for i = 1, #s do
    local b = s:byte(i)
    if b < 0x80 or b >= 0xC0 then n = n + 1 end
  end
  return n
end

local function truncate(s, w)
  if width(s) <= w then return s end
  if w <= 0 then return "" end
  local n, i = 0, 1
  while i <= #s do
    local b = s:byte(i)
    if b < 0x80 or b >= 0xC0 then
      if n == w - 1 then break end
      n = n + 1
    end
    i = i + 1
  end
  return s:sub(1, i - 1) .. "…"
end

local function lpad(s, w) return (" "):rep(w - width(s)) .. s end
local function rpad(s, w) return s .. (" "):rep(w - width(s)) end

local function one_line(s) return (tostring(s):gsub("[\r\n\t]+", " ")) end

-- The groups of r in tree order: { depth =, g =, parent = bool }.
local function walk(groups, depth, out)
  for _, g in ipairs(groups) do
    out[#out + 1] = { depth = depth, g = g, parent = g.groups ~= nil }
    if g.groups then walk(g.groups, depth + 1, out) end
  end
  return out
end

-- The value columns: { title, function(g) -> text }.
local function columns(r)
  local cols = {
    { "Time", function(g) return time(g.ms) end },
    { "Hours", function(g) return hours(g.ms) end },
  }
  if r.round then cols[#cols + 1] = { "Rounded", function(g) return hours(g.rounded_ms) end } end
  if r.rate then cols[#cols + 1] = { "Amount", function(g) return money(g.amount or 0) end } end
  return cols
end

-- CSV ------------------------------------------------------------------------

local function csv_field(s)
  s = tostring(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

function format.csv(r, opts)
  local decimals = opts and opts.decimals or 2
  local fmt = "%." .. decimals .. "f"
  local function h(ms) return fmt:format(duration.hours(ms, decimals)) end
  local lines = {}
  local function row(fields)
    for i, f in ipairs(fields) do fields[i] = csv_field(f) end
    lines[#lines + 1] = concat(fields, ",") .. "\r\n"
  end
  local header = {}
  for i, level in ipairs(r.by) do header[i] = level end
  header[#header + 1] = "hours"
  header[#header + 1] = "rounded_hours"
  header[#header + 1] = "amount"
  row(header)
  local function leaf(g, path)
    local fields = {}
    for i, label in ipairs(path) do fields[i] = label end
    fields[#fields + 1] = h(g.ms)
    fields[#fields + 1] = h(g.rounded_ms)
    fields[#fields + 1] = g.amount and money(g.amount) or ""
    row(fields)
  end
  local function visit(groups, path)
    for _, g in ipairs(groups) do
      path[#path + 1] = g.label
      if g.groups then visit(g.groups, path) else leaf(g, path) end
      path[#path] = nil
    end
  end
  if #r.by == 0 then leaf(r.total, {}) else visit(r.groups, {}) end
  return concat(lines)
end

-- JSON -------------------------------------------------------------------------

local function json_group(g)
  local out = {
    key = g.key, label = g.label, ms = g.ms, rounded_ms = g.rounded_ms,
    amount = g.amount, count = g.count,
  }
  if g.groups then
    out.groups = json.array()
    for i, child in ipairs(g.groups) do out.groups[i] = json_group(child) end
  end
  return out
end

function format.json(r)
  local doc = {
    by = json.array(), groups = json.array(), days = json.array(),
    total = json_group(r.total), now = r.now, week_start = r.week_start,
    round = r.round, rate = r.rate, filter = r.filter,
  }
  for i, level in ipairs(r.by) do doc.by[i] = level end
  for i, g in ipairs(r.groups) do doc.groups[i] = json_group(g) end
  for i, d in ipairs(r.days or {}) do doc.days[i] = { key = d.key, label = d.label, ms = d.ms } end
  return json.encode(doc)
end

-- Markdown -------------------------------------------------------------------------

local function md_escape(s)
  return (one_line(s):gsub("[\\|*_`]", "\\%0"))
end

function format.markdown(r)
  local levels = #r.by > 0 and r.by or { "group" }
  local cols = columns(r)
  local head, rule = {}, {}
  for i, level in ipairs(levels) do head[i], rule[i] = capital(level), "---" end
  for _, c in ipairs(cols) do head[#head + 1], rule[#rule + 1] = c[1], "---:" end
  local lines = { "| " .. concat(head, " | ") .. " |", "| " .. concat(rule, " | ") .. " |" }
  local function row(depth, label, g, bold)
    local cells = {}
    for i = 1, #levels do cells[i] = "" end
    cells[depth] = bold and ("**" .. label .. "**") or label
    for _, c in ipairs(cols) do
      local v = c[2](g)
      cells[#cells + 1] = bold and ("**" .. v .. "**") or v
    end
    local text = { "|" }
    for _, cell in ipairs(cells) do text[#text + 1] = cell == "" and " |" or (" " .. cell .. " |") end
    lines[#lines + 1] = concat(text)
  end
  for _, item in ipairs(walk(r.groups, 1, {})) do
    row(item.depth, md_escape(item.g.label), item.g, item.parent)
  end
  row(1, "Total", r.total, true)
  return concat(lines, "\n") .. "\n"
end

-- Chart ------------------------------------------------------------------------------

function format.chart(days, opts)
  opts = opts or {}
  if not days or #days == 0 then return "" end
  local color = opts.color == true
  local top, dur_w = 0, 0
  local texts = {}
  for i, d in ipairs(days) do
    if d.ms > top then top = d.ms end
    texts[i] = d.ms > 0 and time(d.ms) or "0m"
    dur_w = max(dur_w, width(texts[i]))
  end
  local label_w = 0
  for _, d in ipairs(days) do label_w = max(label_w, width(d.label)) end
  local bar_w = opts.bar_width
  if not bar_w then
    bar_w = (opts.width or 80) - label_w - dur_w - 2
    if bar_w > 40 then bar_w = 40 end
  end
  if bar_w < 1 then bar_w = 1 end
  local lines = {}
  for i, d in ipairs(days) do
    local eighths = top > 0 and floor(d.ms / top * bar_w * 8 + 0.5) or 0
    if eighths == 0 and d.ms > 0 then eighths = 1 end
    local full, part = floor(eighths / 8), eighths % 8
    local bar = FULL:rep(full) .. (PARTS[part] or "")
    local shown = full + (part > 0 and 1 or 0)
    if color and shown > 0 then bar = GREEN .. bar .. RESET end
    lines[i] = rpad(d.label, label_w) .. " " .. bar .. (" "):rep(bar_w - shown) .. " " .. lpad(texts[i], dur_w)
  end
  return concat(lines, "\n") .. "\n"
end

-- Terminal table ------------------------------------------------------------------------

function format.table(r, opts)
  opts = opts or {}
  local color = opts.color == true
  local total_w = opts.width or 80
  local cols = columns(r)
  local items = walk(r.groups, 1, {})
  local labels = {}
  for i, item in ipairs(items) do
    labels[i] = ("  "):rep(item.depth - 1) .. one_line(item.g.label)
  end
  local header = {}
  for i, level in ipairs(r.by) do header[i] = capital(level) end
  local title = concat(header, " / ")

  -- widths
  local col_w = {}
  for j, c in ipairs(cols) do
    local w = width(c[1])
    for _, item in ipairs(items) do w = max(w, width(c[2](item.g))) end
    col_w[j] = max(w, width(c[2](r.total)))
  end
  local values_w = 0
  for _, w in ipairs(col_w) do values_w = values_w + 2 + w end
  local label_w = max(width(title), width("Total"))
  for _, l in ipairs(labels) do label_w = max(label_w, width(l)) end
  if label_w + values_w > total_w then label_w = max(10, total_w - values_w) end

  local function line(label, values, style)
    local parts = { rpad(truncate(label, label_w), label_w) }
    for j, v in ipairs(values) do parts[#parts + 1] = "  " .. lpad(v, col_w[j]) end
    local text = concat(parts)
    if color and style then text = style .. text .. RESET end
    return text
  end
  local function values(g)
    local out = {}
    for j, c in ipairs(cols) do out[j] = c[2](g) end
    return out
  end

  local titles = {}
  for j, c in ipairs(cols) do titles[j] = c[1] end
  local lines = { line(title, titles, BOLD) }
  for i, item in ipairs(items) do
    lines[#lines + 1] = line(labels[i], values(item.g), item.parent and BOLD or nil)
  end
  local rule = ("-"):rep(label_w + values_w)
  lines[#lines + 1] = color and (DIM .. rule .. RESET) or rule
  lines[#lines + 1] = line("Total", values(r.total), BOLD)
  local text = concat(lines, "\n") .. "\n"
  if opts.chart ~= false and r.days and #r.days > 0 then
    text = text .. "\n" .. format.chart(r.days, { color = color, width = total_w })
  end
  return text
end

-- The public output functions ---------------------------------------------------------

--- RFC 4180 CSV (CRLF line ends), see the header. opts.decimals (default 2).
function M.csv(r, opts) return format.csv(r, opts) end

--- JSON text of the report (clickup.time.json).
function M.json(r) return format.json(r) end

--- A Markdown table.
function M.markdown(r, opts) return format.markdown(r, opts) end

--- An aligned terminal table and the chart: opts.color (false), opts.width (80), opts.chart (true).
function M.table(r, opts) return format.table(r, opts) end

--- The bar chart of hours per day, of a report or of entries (built with opts).
-- opts.color (false), opts.width (80), opts.bar_width (default: what fits, at most 40).
function M.chart(r_or_entries, opts)
  local r = r_or_entries
  if type(r) ~= "table" then fail("chart takes a report or a list of entries") end
  if r.days == nil or r.total == nil then r = M.build(r, opts) end
  return format.chart(r.days, opts)
end

return M
