--- clickup.time.report: time reports from time entries, for invoices and reviews.
--
--   local report = require "clickup.time.report"
--   local entries = client:entries{ range = "last month", week_start = "monday",
--                                   include_location_names = true }   -- see report.fetch_params
--   local r = report.build(entries, {
--     range = "last month",             -- the period: a range (clickup.time.when), or
--     period = { from_ms, to_ms },      --   its two ends (to exclusive); without either,
--                                       --   every entry counts whole
--     by = { "day", "task" },           -- nested groupings (or one key: by = "task")
--     now = ms,                         -- running timers count up to now (default: the clock)
--     week_start = "monday",            -- first day of a week (default monday)
--     filter = { billable = true, tags = { "a", "b" }, tasks = { ids }, users = { ids or names },
--                text = "substring" },
--     round = { increment = 15 * 60000 or "15m", mode = "up" | "down" | "nearest", per = "entry" | "group" }
--             or "15m" or "15m:nearest",
--     rate = 120 | { default = 120, users = { [id or name] = 150 }, tasks = { [id or custom id] = 90 },
--                    tags = { [name] = 200 } },
--   })
--   r.total  --> { ms =, rounded_ms =, hours =, billed_hours =, amount =, cents =, rate =, count = }
--   r.groups --> { { key =, label =, <the same figures>, groups = {...} | nil }, ... }
--   r.pieces --> { { entry =, id =, part =, parts =, from =, to =, date =, <figures>, labels = {...} }, ... }
--   r.days   --> { { key = "2026-11-23", label = "Mon 11-23", ms =, parts = { { key =, label =, ms = } } }, ... }
--   r.by, r.period ({ from, to } or nil), r.now, r.week_start ("monday"), r.round (defaults
--   filled in), r.rate, r.filter
--   report.table(r, { color =, width = })  report.markdown(r)  report.json(r)
--   report.csv(r [, { rows = "pieces" | "groups" }])  report.html(r [, { title = }])
--   report.chart(r_or_entries, opts)       report.fetch_params(opts)
--
-- Entries are the tables the library returns (plain tables work as well):
-- start and end in ms since the epoch, end absent while the timer runs. An
-- entry's time is end - start, or now - start while it runs. Entries without
-- a numeric start are skipped; an end before the start counts as 0.
--
-- THE PERIOD. With range or period, only the part of each entry inside
-- [from, to) counts: an entry from Sunday 11:08 lasting 48 h counts 12h 52m in
-- the week that ends on Sunday night and 35h 08m in the next. Entries that
-- do not overlap the period are left out. client:entries{ range = } fetches
-- what a period needs (entries that started up to margin_days before it).
--
-- PIECES. Every counted entry is cut at local midnights (os.time, so a day is
-- 23 or 25 hours across a DST change) into pieces, one per local day, whatever
-- the grouping: days, weeks and months are made of whole days, so a piece
-- belongs to exactly one day, week and month. r.pieces lists them (part i of
-- parts: of the whole entry's local days, so a piece of an entry that the
-- period cuts says where it lies in it; with from and to); the exports say
-- which part of which entry each row is.
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
--             "(no space)", key "". ClickUp sends the names only when asked
--             (include_location_names = true: report.fetch_params says so)
--   tag       a piece with several tags counts in each of its tags' groups, so
--             tag groups may add up to more than their parent or the total (which
--             count each piece once); "(no tag)", key ""
--   user      key user.id, label user.username (else the id); "(no user)", key ""
--   billable  key true / false, label "billable" / "non-billable"
--   day       key "2026-11-23", label "Mon 23 Nov 2026"
--   week      key the date of the week's first day, label "Week of Mon 23 Nov 2026"
--   month     key "2026-11", label "Nov 2026"
-- Order: day/week/month groups chronologically; the others by descending
-- time, then label. count: the number of distinct entries with time in the group.
--
-- ROUNDING (none unless asked). round = { increment =, mode =, per = }; mode
-- defaults to "up" (the invoicing habit: a 7-minute entry is never 0 unless
-- the mode is "down" or "nearest"), per to "entry". "nearest" takes halves up
-- (22 min -> 15 and 22 min 30 s -> 30).
--   per = "entry"  each entry's time INSIDE THE PERIOD is rounded, once; its
--                  pieces share the rounded time in proportion to their exact
--                  time, so that they add up to it exactly (a 10-minute entry
--                  across midnight rounded up to 15 minutes: 7.5 + 7.5).
--   per = "group"  each leaf group (the total, without a grouping) rounds its
--                  exact time; its pieces share the result the same way. Totals
--                  then depend on the grouping, by design. Not with by tag
--                  (tag groups overlap): that raises an error.
-- rounded_ms is the billed time; without rounding it equals ms.
--
-- HOURS AND MONEY: ONE RULE, EXACT.
--   1. Each entry's exact and billed time inside the period are counted in
--      hundredths of an hour (36 s), halves up: 10 min -> 0.17 h.
--   2. Its pieces share those hundredths in proportion to their time
--      (cumulative rounding: earlier pieces take an odd hundredth first).
--   3. Each entry earns billed hundredths x its rate, rounded half up to the
--      cent; its pieces share the cents the same way.
--   4. A row (group) has the sums of its pieces: hours, billed_hours, cents;
--      the total has the sums of all pieces.
-- So: every total is the same for every grouping (the pieces do not depend on
-- it; per = "group" rounding aside); every row and the total add up exactly
-- (tag groups aside, which overlap); and with a whole-number rate a row's
-- amount is exactly its billed hours x rate as printed (6.17 h x 100 =
-- 617.00). A rate with cents (87.50) rounds each entry's amount to the cent,
-- so a row of several entries may differ from hours x rate by the rounding.
-- hours and billed_hours are numbers with two decimals, amount with two and
-- cents the same amount as an integer; rate is the row's rate when all its
-- time has one, else nil (amount, cents and rate are nil without a rate).
--
-- Rates (rate, per hour): an entry's rate is the first that applies of
-- rate.tasks[task.id or task.custom_id], the highest of rate.tags[name] over
-- its tags, rate.users[user.id or username] (names case-insensitive, like the
-- filters), rate.default (a number rate is the default); else 0. A rate is a
-- number >= 0.
--
-- Output: report.table (terminal), markdown, json, csv, html (report.html:
-- clickup.time.report.html); the details are in clickup.time.report.format.
--
-- Arguments that make no sense (an unknown grouping, a bad rounding, a bad
-- rate or period) raise errors.

local duration = require "clickup.time.duration"

local type, ipairs, pairs, tostring, tonumber, error = type, ipairs, pairs, tostring, tonumber, error
local floor, ceil, huge = math.floor, math.ceil, math.huge
local os_date, os_time = os.date, os.time
local sort = table.sort

local M = {}

local KEYS = {
  task = true, list = true, folder = true, space = true, tag = true,
  user = true, billable = true, day = true, week = true, month = true,
}
local TIME = { day = true, week = true, month = true }
local LOCATION = { list = true, folder = true, space = true }
local WEEKDAYS = { "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday" }
local DAY_ABBR = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" }
local MONTH_ABBR = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }
local HUNDREDTH = 36000                       -- ms in 0.01 h

M.KEYS = { "task", "list", "folder", "space", "tag", "user", "billable", "day", "week", "month" }

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

-- The local midnight after ms.
local function next_midnight(ms)
  local t = local_date(ms)
  local m = midnight(t.year, t.month, t.day + 1)
  if m <= ms then m = midnight(t.year, t.month, t.day + 2) end   -- never stuck
  return m
end

-- The pieces of [s, e) cut at local midnights: { {from, to}, ... }, at least one.
local function days_of_span(s, e)
  local out = {}
  while true do
    local cut = next_midnight(s)
    if cut >= e then
      out[#out + 1] = { s, e }
      return out
    end
    out[#out + 1] = { s, cut }
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

--- A rounding from its text, "15m", "6m:up", "30m:nearest": { increment =, mode = },
-- or nil and a message.
function M.parse_round(text)
  if type(text) ~= "string" then return nil, "a rounding is a text like 15m or 6m:nearest" end
  local inc, mode = text:match("^%s*([^:]-)%s*:%s*(%a+)%s*$")
  if not inc then inc = text end
  local ms = duration.parse(inc)
  if not ms or ms <= 0 then
    return nil, "the increment is a duration like 15m or 6m, not " .. ("%q"):format(inc)
  end
  if mode ~= nil and mode ~= "up" and mode ~= "down" and mode ~= "nearest" then
    return nil, "the mode is up, down or nearest, not " .. mode
  end
  return { increment = ms, mode = mode }
end

--- Rates from their texts, as `clickup-time report --rate` takes them: "120"
-- (the default), "user:NAME=150", "task:ID=90", "tag:NAME=200" -> the rate
-- report.build takes (a number, or { default =, users =, tasks =, tags = }),
-- nil for none; or nil and a message that names the bad text.
function M.parse_rates(specs)
  if #specs == 0 then return nil end
  local r = {}
  local MAPS = { user = "users", task = "tasks", tag = "tags" }
  local hint = ": 120, or user:NAME=150, task:ID=90, tag:NAME=200 (a number, 0 or more)"
  for _, s in ipairs(specs) do
    local n = tonumber(s)
    if n then
      if n < 0 or n ~= n or n == math.huge then return nil, "--rate " .. s .. ": a rate is 0 or more" end
      r.default = n
    else
      local kind, key, v = s:match("^(%a+):(.-)=(.*)$")
      if not kind then return nil, "--rate " .. s .. hint end
      if not MAPS[kind] then
        return nil, "--rate " .. s .. ": unknown kind '" .. kind .. "' (user, task or tag)"
      end
      local x = tonumber(v)
      if key == "" then return nil, "--rate " .. s .. ": which " .. kind .. "?" end
      if not x or x < 0 or x ~= x or x == math.huge then
        return nil, "--rate " .. s .. ": the rate '" .. v .. "' is not a number, 0 or more"
      end
      r[MAPS[kind]] = r[MAPS[kind]] or {}
      r[MAPS[kind]][key] = x
    end
  end
  if r.users == nil and r.tasks == nil and r.tags == nil then return r.default end
  return r
end


local function round_of(round)
  if round == nil or round == false then return nil end
  if type(round) == "string" then
    local r, why = M.parse_round(round)
    if not r then fail("round: " .. why) end
    round = r
  end
  if type(round) ~= "table" then fail("round is a table { increment =, mode =, per = } or a text like 15m") end
  local inc = round.increment
  if type(inc) == "string" then inc = duration.parse(inc) end
  if type(inc) ~= "number" or inc <= 0 or inc ~= inc or inc == huge then
    fail("round.increment is a positive number of ms")
  end
  local mode, per = round.mode or "up", round.per or "entry"
  if mode ~= "up" and mode ~= "down" and mode ~= "nearest" then
    fail("round.mode is up, down or nearest, not " .. tostring(mode))
  end
  if per ~= "entry" and per ~= "group" then fail("round.per is entry or group, not " .. tostring(per)) end
  return { increment = inc, mode = mode, per = per }
end

--- ms rounded to round.increment with round.mode ("up" by default, "down", "nearest": halves up).
local function round_ms(ms, round)
  local q = ms / round.increment
  local mode = round.mode or "up"
  if mode == "up" then q = ceil(q - 1e-9)
  elseif mode == "down" then q = floor(q + 1e-9)
  else q = floor(q + 0.5) end
  return q * round.increment
end
M.round_ms = round_ms

local function check_amount(v, what)
  if type(v) ~= "number" or v ~= v or v < 0 or v == huge then
    fail(what .. " is a number, 0 or more, not " .. tostring(v))
  end
  return v
end

local function lower(s) return tostring(s):lower() end

-- The rate in a form entry_rate reads: number, or { default, users, tasks, tags } with lower-case keys.
local function rate_of(rate)
  if rate == nil or rate == false then return nil end
  if type(rate) == "number" then return check_amount(rate, "rate") end
  if type(rate) ~= "table" then fail("rate is a number or { default =, users =, tasks =, tags = }") end
  local out = { default = rate.default ~= nil and check_amount(rate.default, "rate.default") or nil }
  for k in pairs(rate) do
    if k ~= "default" and k ~= "users" and k ~= "tasks" and k ~= "tags" then
      fail("unknown rate kind " .. tostring(k) .. " (default, users, tasks, tags)")
    end
  end
  for _, kind in ipairs{ "users", "tasks", "tags" } do
    local map = rate[kind]
    if map ~= nil then
      if type(map) ~= "table" then fail("rate." .. kind .. " is a table") end
      local m = {}
      for k, v in pairs(map) do m[lower(k)] = check_amount(v, "rate." .. kind .. "[" .. tostring(k) .. "]") end
      out[kind] = m
    end
  end
  return out
end

local function list_of(v)
  if v == nil then return nil end
  if type(v) ~= "table" then return { v } end
  return v
end

local function period_of(opts, now, ws)
  if opts.period ~= nil and opts.range ~= nil then fail("give period or range, not both") end
  if opts.range ~= nil then
    local from, to = require("clickup.time.when").range(opts.range, { now = now, week_start = ws })
    if not from then fail("range: " .. tostring(to)) end
    return { from, to }
  end
  local p = opts.period
  if p == nil then return nil end
  local from, to = type(p) == "table" and (p[1] or p.from), type(p) == "table" and (p[2] or p.to)
  if type(from) ~= "number" or type(to) ~= "number" or to <= from then
    fail("period is { from_ms, to_ms } with from < to")
  end
  return { from, to }
end

-- Filters ----------------------------------------------------------------

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
    for _, id in ipairs(list_of(f.tasks)) do tasks[tostring(id)] = true; tasks[lower(id)] = true end
  end
  if f.users ~= nil then
    users = {}
    for _, u in ipairs(list_of(f.users)) do users[lower(u)] = true end
  end
  local text = f.text ~= nil and lower(f.text) or nil
  return function(entry)
    if f.billable ~= nil and (entry.billable == true) ~= (f.billable and true or false) then return false end
    if tags and not has_tag(entry, tags) then return false end
    if tasks then
      local task = entry.task
      if type(task) ~= "table" then return false end
      if not ((task.id ~= nil and (tasks[tostring(task.id)] or tasks[lower(task.id)]))
              or (task.custom_id ~= nil and tasks[lower(task.custom_id)])) then
        return false
      end
    end
    if users then
      local user = entry.user
      if type(user) ~= "table" then return false end
      if not ((user.id ~= nil and users[lower(user.id)])
              or (user.username ~= nil and users[lower(user.username)])) then
        return false
      end
    end
    if text and not lower(entry.description or ""):find(text, 1, true) then return false end
    return true
  end
end

--- The predicate of a filter (see the header): function(entry) -> boolean.
M.filter = make_filter

-- Rates ------------------------------------------------------------------

local function entry_rate(entry, rate)
  if type(rate) == "number" then return rate end
  local task = type(entry.task) == "table" and entry.task or nil
  if rate.tasks and task then
    local r = (task.id ~= nil and rate.tasks[lower(task.id)])
              or (task.custom_id ~= nil and rate.tasks[lower(task.custom_id)])
    if r then return r end
  end
  if rate.tags and type(entry.tags) == "table" then
    local best
    for _, tag in ipairs(entry.tags) do
      local name = type(tag) == "table" and tag.name or tag
      local r = name ~= nil and rate.tags[lower(name)]
      if r and (best == nil or r > best) then best = r end
    end
    if best then return best end
  end
  local user = type(entry.user) == "table" and entry.user or nil
  if rate.users and user then
    local r = (user.id ~= nil and rate.users[lower(user.id)])
              or (user.username ~= nil and rate.users[lower(user.username)])
    if r then return r end
  end
  return rate.default or 0
end

-- Sharing ------------------------------------------------------------------

-- Integer x shared among weights (cumulative rounding, halves up): the shares
-- add up to x exactly, each near x * w / sum. Equal shares for zero weights.
local function share(x, weights)
  local n = #weights
  local total = 0
  for i = 1, n do total = total + weights[i] end
  local out, before, acc = {}, 0, 0
  for i = 1, n do
    local upto
    if i == n then
      upto = x
    else
      acc = acc + (total > 0 and weights[i] or 1)
      upto = half_up(x * (acc / (total > 0 and total or n)))
    end
    out[i] = upto - before
    before = upto
  end
  return out
end
M.share = share

local function hundredths(ms) return half_up(ms / HUNDREDTH) end

-- Group keys ----------------------------------------------------------------

-- The { key, label } pairs of a piece for one grouping.
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
  if not level then
    node.leaf = true
    return
  end
  for _, kl in ipairs(keys_of(level, piece.entry, piece.from, ws)) do
    local child = node.children[kl[1]]
    if not child then
      child = new_node(kl[1], kl[2])
      node.children[kl[1]] = child
      node.list[#node.list + 1] = child
    elseif child.label == tostring(child.key) and kl[2] ~= child.label then
      child.label = kl[2]                       -- a name seen later beats the bare id
    end
    if depth == 1 then
      piece.top = piece.top or {}
      piece.top[#piece.top + 1] = child
    end
    insert(child, piece, depth + 1, levels, ws)
  end
end

local function leaves(node, out)
  if node.leaf then
    out[#out + 1] = node
  else
    for _, child in ipairs(node.list) do leaves(child, out) end
  end
  return out
end

-- The figures of a set of pieces: { ms, rounded_ms, hours, billed_hours, cents, amount, rate, count }.
local function figures(pieces, with_rate)
  local ms, rounded, h, bh, cents, count, seen = 0, 0, 0, 0, 0, 0, {}
  local one_rate, mixed
  for _, p in ipairs(pieces) do
    ms, rounded, h, bh = ms + p.ms, rounded + p.rounded_ms, h + p.h, bh + p.bh
    if with_rate then
      cents = cents + p.cents
      if one_rate == nil then one_rate = p.rate elseif one_rate ~= p.rate then mixed = true end
    end
    if not seen[p.entry] then seen[p.entry] = true; count = count + 1 end
  end
  local g = { ms = ms, rounded_ms = rounded, hours = h / 100, billed_hours = bh / 100, count = count,
              _h = h, _bh = bh }
  if with_rate then
    g.cents, g.amount = cents, cents / 100
    if not mixed then g.rate = one_rate end
  end
  return g
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

-- The public group table of a node.
local function finish(node, depth, levels, with_rate)
  local g = figures(node.pieces, with_rate)
  g.key, g.label = node.key, node.label
  local level = levels[depth]
  if level then
    local groups = {}
    for i, child in ipairs(node.list) do groups[i] = finish(child, depth + 1, levels, with_rate) end
    order(groups, level)
    for i, child in ipairs(groups) do child._node.rank = i end
    g.groups = groups
  end
  g._node = node
  return g
end

-- Days for the charts ----------------------------------------------------------

local function days_of(pieces, top_groups)
  local by_key, first, last = {}, nil, nil
  local parts = {}                        -- day key -> top group -> ms
  for _, p in ipairs(pieces) do
    by_key[p.date] = (by_key[p.date] or 0) + p.ms
    if not first or p.from < first then first = p.from end
    if not last or p.from > last then last = p.from end
    if p.top then
      local d = parts[p.date] or {}
      parts[p.date] = d
      for _, node in ipairs(p.top) do d[node] = (d[node] or 0) + p.ms end
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
    local d = { key = key, ms = by_key[key] or 0, parts = {},
                label = ("%s %02d-%02d"):format(DAY_ABBR[day.wday], day.month, day.day) }
    for _, g in ipairs(top_groups) do
      local ms = parts[key] and parts[key][g.node]
      if ms then d.parts[#d.parts + 1] = { key = g.key, label = g.label, ms = ms } end
    end
    days[#days + 1] = d
    i = i + 1
  end
  return days
end

-- Build ----------------------------------------------------------------------

--- The request parameters client:entries needs for a report with these opts
-- (include_location_names when grouping by list, folder or space).
function M.fetch_params(opts)
  local p = {}
  for _, level in ipairs(levels_of(opts and opts.by)) do
    if LOCATION[level] then p.include_location_names = true end
  end
  return p
end

local function strip(g)
  g._h, g._bh, g._node = nil, nil, nil
  for _, child in ipairs(g.groups or {}) do strip(child) end
  return g
end

--- A report of entries (see the module header). Returns r = { total =, groups =,
-- pieces =, by =, days =, period =, now =, week_start =, round =, rate =, filter = }.
function M.build(entries, opts)
  opts = opts or {}
  if type(entries) ~= "table" then fail("entries is a list of time entries") end
  local levels = levels_of(opts.by)
  local ws = week_start(opts.week_start)
  local round = round_of(opts.round)
  local rate = rate_of(opts.rate)
  local keep = make_filter(opts.filter)
  local now = opts.now
  if now == nil then now = os_time() * 1000 end
  if type(now) ~= "number" then fail("now is a time in ms") end
  local period = period_of(opts, now, WEEKDAYS[ws])
  if round and round.per == "group" then
    for _, level in ipairs(levels) do
      if level == "tag" then
        fail("round per group cannot go with by tag (an entry counts in each of its tags): round per entry")
      end
    end
  end

  -- the pieces of every counted entry, with the entry's own figures shared out
  local pieces, per_entry = {}, {}
  for _, entry in ipairs(entries) do
    local s = type(entry) == "table" and tonumber(entry.start) or nil
    if s and keep(entry) then
      local e = entry["end"]
      e = e ~= nil and tonumber(e) or now
      if e < s then e = s end
      local cs, ce = s, e
      if period then
        if cs < period[1] then cs = period[1] end
        if ce > period[2] then ce = period[2] end
      end
      if ce > cs or (ce == cs and s == e and (not period or (s >= period[1] and s < period[2]))) then
        local spans = days_of_span(cs, ce)
        -- part i of parts: the local days of the whole entry, the period's aside
        local before, parts = 0, #spans
        if cs > s or ce < e then
          local whole = days_of_span(s, e)
          parts = #whole
          while whole[before + 1] and whole[before + 1][2] <= cs do before = before + 1 end
        end
        local weights, list = {}, {}
        for i, span in ipairs(spans) do
          weights[i] = span[2] - span[1]
          list[i] = { entry = entry, id = entry.id, part = before + i, parts = parts, from = span[1], to = span[2],
                      ms = span[2] - span[1], date = date_key(local_date(span[1])),
                      rate = rate and entry_rate(entry, rate) or nil }
          pieces[#pieces + 1] = list[i]
        end
        local exact = ce - cs
        local h = share(hundredths(exact), weights)
        for i, p in ipairs(list) do p.h = h[i] end
        if not (round and round.per == "group") then
          local billed = round and round_ms(exact, round) or exact
          local b, bh = share(billed, weights), share(hundredths(billed), weights)
          for i, p in ipairs(list) do p.rounded_ms, p.bh = b[i], bh[i] end
        end
        per_entry[#per_entry + 1] = list
      end
    end
  end

  local root = new_node(nil, "Total")
  for _, p in ipairs(pieces) do insert(root, p, 1, levels, ws) end

  if round and round.per == "group" then             -- each leaf rounds its own time
    for _, leaf in ipairs(leaves(root, {})) do
      local weights, exact = {}, 0
      for i, p in ipairs(leaf.pieces) do weights[i] = p.ms; exact = exact + p.ms end
      local billed = round_ms(exact, round)
      local b, bh = share(billed, weights), share(hundredths(billed), weights)
      for i, p in ipairs(leaf.pieces) do p.rounded_ms, p.bh = b[i], bh[i] end
    end
  end

  if rate then                                       -- each entry's cents, shared by its pieces
    for _, list in ipairs(per_entry) do
      local bh, weights = 0, {}
      for i, p in ipairs(list) do bh = bh + p.bh; weights[i] = p.bh end
      local c = share(half_up(bh * list[1].rate), weights)
      for i, p in ipairs(list) do p.cents, p.amount = c[i], c[i] / 100 end
    end
  end
  for _, p in ipairs(pieces) do p.hours, p.billed_hours = p.h / 100, p.bh / 100 end

  local total = figures(pieces, rate ~= nil)
  local tree = finish(root, 1, levels, rate ~= nil)
  local groups = tree.groups or {}

  -- the labels of each piece along `by` (tags joined), for the exports
  for _, p in ipairs(pieces) do
    local labels = {}
    for i, level in ipairs(levels) do
      local names = {}
      for j, kl in ipairs(keys_of(level, p.entry, p.from, ws)) do names[j] = kl[2] end
      labels[i] = table.concat(names, ", ")
    end
    p.labels = labels
  end
  local top = {}
  for i, child in ipairs(root.list) do top[i] = { node = child, key = child.key, label = child.label } end
  sort(top, function(a, b) return a.node.rank < b.node.rank end)
  local days = days_of(pieces, top)
  for _, p in ipairs(pieces) do p.top, p.h, p.bh = nil, nil, nil end
  for _, g in ipairs(groups) do strip(g) end
  strip(total)

  local by = {}
  for i, level in ipairs(levels) do by[i] = level end
  return {
    total = total, groups = groups, pieces = pieces, by = by, days = days, now = now, period = period,
    week_start = WEEKDAYS[ws], round = round, rate = opts.rate, filter = opts.filter,
  }
end

-- Output -------------------------------------------------------------------------

local format = require "clickup.time.report.format"
M.format = format

--- An aligned terminal table and the chart: opts.color (false), opts.width (80), opts.chart (true).
function M.table(r, opts) return format.table(r, opts) end

--- A Markdown table.
function M.markdown(r, opts) return format.markdown(r, opts) end

--- JSON text of the report (clickup.time.json).
function M.json(r) return format.json(r) end

--- RFC 4180 CSV (CRLF line ends): opts.rows = "pieces" (default: a row per
-- piece of an entry, with its dates and ids) or "groups" (a row per leaf group).
function M.csv(r, opts) return format.csv(r, opts) end

--- One self-contained HTML page (clickup.time.report.html).
function M.html(r, opts) return require("clickup.time.report.html").page(r, opts) end

--- The bar chart of hours per day, of a report or of entries (built with opts).
-- opts.color (false), opts.width (80), opts.bar_width (default: what fits, at most 40).
function M.chart(r_or_entries, opts)
  local r = r_or_entries
  if type(r) ~= "table" then fail("chart takes a report or a list of entries") end
  if r.days == nil or r.total == nil then r = M.build(r, opts) end
  return format.chart(r.days, opts)
end

return M
