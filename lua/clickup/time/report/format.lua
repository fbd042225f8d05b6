--- clickup.time.report.format: the text forms of a report (clickup.time.report).
--
-- Numbers: hours are decimal with 2 decimals, exactly the report's hundredths
-- ("6.17"); amounts have 2 decimals, exactly the report's cents; rates are
-- written as given ("100", "87.50"). The columns: Hours (the exact time),
-- Rounded (the billed time, when the report rounds), Rate (when the rows'
-- rates differ: each row's, or "mixed"), Amount (with a rate). Every column
-- of every format adds up: a parent row is the sum of its children, the
-- Total the sum of the top rows (tag groups aside, which overlap).
--
-- csv(r, { rows = "pieces" | "groups" })
--   RFC 4180: CRLF after every record (the last included), fields quoted when
--   they hold a comma, a quote, CR or LF, inner quotes doubled.
--   rows = "pieces" (default): a row per piece of an entry (the part of it
--     inside the period on one local day), for spreadsheets:
--     date,start,end_date,end,entry_id,part,<the by keys>,task_id,task_name,user_id,
--     user_name,billable,description,hours,billed_hours,rate,amount
--     (local date and times; part "1/2"; for by tag, all the piece's tags;
--     hours and billed_hours decimal; rate and amount empty without a rate).
--     The columns hours, billed_hours and amount add up to the report's total.
--   rows = "groups": a row per leaf group: the labels along its path, then
--     hours,billed_hours,rate,amount.
-- json(r)
--   { by, period = { from, to } (ms, absent without one), now, week_start, round,
--     rate, filter, total, groups, pieces, days }; a group or the total is
--   { key, label, ms, rounded_ms, hours, billed_hours, rate, amount, cents, count,
--   groups }, a piece { entry_id, part, parts, from, to, date, ms, rounded_ms, hours,
--   billed_hours, rate, amount, cents, labels, task_id, user_id }. Empty lists are [].
-- markdown(r)
--   | Day | Task | Hours | ..., a row per group in tree order with each label in
--   its grouping's column; groups that have groups (subtotals) in bold, then a
--   bold Total row. | \ * _ ` in labels are escaped, line breaks become spaces.
-- table(r, { color = false, width = 80, chart = true })
--   a header (the grouping keys joined by " / "), a row per group indented two
--   spaces per level, a rule, the Total row; then a blank line and the chart
--   (always, unless chart = false or there is no time). Labels are cut with "…"
--   to fit width. color = true adds ANSI escapes: bold header, subtotals and
--   total, dim rule, green bars.
-- chart(days, { color = false, width = 80, bar_width = n })
--   one line per local day from the first to the last day with time:
--   "Mon 11-23 ███████▌ 3h 45m": the longest day gets the full bar (in
--   eighths of a block), bars padded so that the times line up at the right.
--   Width: bar_width, else what fits in width, at most 40.

local duration = require "clickup.time.duration"
local json = require "clickup.time.json"

local type, ipairs, pairs, tostring = type, ipairs, pairs, tostring
local floor, max = math.floor, math.max
local os_date = os.date
local concat = table.concat

local M = {}

local BOLD, DIM, GREEN, RESET = "\27[1m", "\27[2m", "\27[32m", "\27[0m"
local PARTS = { "▏", "▎", "▍", "▌", "▋", "▊", "▉" }
local FULL = "█"

-- 6.17 from 6.17 (a number of hundredths / 100): exact, no float formatting
local function two(x)
  local n = floor(x * 100 + 0.5)
  return ("%d.%02d"):format(floor(n / 100), n % 100)
end
M.two = two

--- A rate as written: "100", "87.50", "33.333".
local function rate_text(v)
  if v == floor(v) then return ("%d"):format(v) end
  local s = ("%.4f"):format(v):gsub("0+$", "")
  if s:match("%.%d$") then s = s .. "0" end
  return s
end
M.rate_text = rate_text

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
M.width, M.lpad, M.rpad = width, lpad, rpad

local function one_line(s) return (tostring(s):gsub("[\r\n\t]+", " ")) end
M.one_line = one_line

-- The groups of r in tree order: { depth =, g =, parent = bool }.
local function walk(groups, depth, out)
  for _, g in ipairs(groups) do
    out[#out + 1] = { depth = depth, g = g, parent = g.groups ~= nil }
    if g.groups then walk(g.groups, depth + 1, out) end
  end
  return out
end
M.walk = walk

--- The value columns of r: { { title, function(g) -> text, key } }.
function M.columns(r)
  local cols = { { "Hours", function(g) return two(g.hours) end, "hours" } }
  if r.round then cols[#cols + 1] = { "Rounded", function(g) return two(g.billed_hours) end, "billed_hours" } end
  if r.rate then
    if r.total.rate == nil and r.total.count > 0 then
      cols[#cols + 1] = { "Rate", function(g) return g.rate and rate_text(g.rate) or "mixed" end, "rate" }
    end
    cols[#cols + 1] = { "Amount", function(g) return two(g.amount or 0) end, "amount" }
  end
  return cols
end
local columns = M.columns

-- CSV ------------------------------------------------------------------------

local function csv_field(s)
  s = tostring(s == nil and "" or s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end
M.csv_field = csv_field

--- RFC 4180 text of rows (lists of values).
function M.csv_rows(rows)
  local lines = {}
  for i, row in ipairs(rows) do
    local fields = {}
    for j, v in ipairs(row) do fields[j] = csv_field(v) end
    lines[i] = concat(fields, ",") .. "\r\n"
  end
  return concat(lines)
end

local function clock(ms) return os_date("%H:%M:%S", floor(ms / 1000)) end
local function day(ms) return os_date("%Y-%m-%d", floor(ms / 1000)) end

local function piece_rows(r)
  local header = { "date", "start", "end_date", "end", "entry_id", "part" }
  for _, level in ipairs(r.by) do header[#header + 1] = level end
  for _, h in ipairs{ "task_id", "task_name", "user_id", "user_name", "billable", "description",
                      "hours", "billed_hours", "rate", "amount" } do
    header[#header + 1] = h
  end
  local rows = { header }
  for _, p in ipairs(r.pieces) do
    local e = p.entry
    local task = type(e.task) == "table" and e.task or {}
    local user = type(e.user) == "table" and e.user or {}
    local row = { p.date, clock(p.from), day(p.to), clock(p.to), e.id or "", p.part .. "/" .. p.parts }
    for _, label in ipairs(p.labels) do row[#row + 1] = label end
    for _, v in ipairs{ task.id or "", task.name or "", user.id or "", user.username or "",
                        e.billable == true and "true" or "false", e.description or "",
                        two(p.hours), two(p.billed_hours), p.rate and rate_text(p.rate) or "",
                        p.amount and two(p.amount) or "" } do
      row[#row + 1] = v
    end
    rows[#rows + 1] = row
  end
  return rows
end

local function group_rows(r)
  local header = {}
  for i, level in ipairs(r.by) do header[i] = level end
  for _, h in ipairs{ "hours", "billed_hours", "rate", "amount" } do header[#header + 1] = h end
  local rows = { header }
  local function leaf(g, path)
    local row = {}
    for i, label in ipairs(path) do row[i] = label end
    row[#row + 1] = two(g.hours)
    row[#row + 1] = two(g.billed_hours)
    row[#row + 1] = g.rate and rate_text(g.rate) or (g.amount and "mixed" or "")
    row[#row + 1] = g.amount and two(g.amount) or ""
    rows[#rows + 1] = row
  end
  local function visit(groups, path)
    for _, g in ipairs(groups) do
      path[#path + 1] = g.label
      if g.groups then visit(g.groups, path) else leaf(g, path) end
      path[#path] = nil
    end
  end
  if #r.by == 0 then leaf(r.total, {}) else visit(r.groups, {}) end
  return rows
end

function M.csv(r, opts)
  local kind = opts and opts.rows or "pieces"
  if kind ~= "pieces" and kind ~= "groups" then
    error("clickup.time.report: csv rows is \"pieces\" or \"groups\", not " .. tostring(kind), 0)
  end
  return M.csv_rows(kind == "pieces" and piece_rows(r) or group_rows(r))
end

-- JSON -------------------------------------------------------------------------

-- A copy of a plain value in which every list (empty ones included) is a JSON array.
local function plain(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return nil end
  seen[v] = true
  local n, count = 0, 0
  for _ in pairs(v) do count = count + 1 end
  while v[n + 1] ~= nil do n = n + 1 end
  local out
  if count == n then
    out = json.array()
    for i = 1, n do out[i] = plain(v[i], seen) end
  else
    out = {}
    for k, x in pairs(v) do
      if type(k) == "string" or type(k) == "number" then out[k] = plain(x, seen) end
    end
  end
  seen[v] = nil
  return out
end
M.plain = plain

local function json_group(g)
  local out = {
    key = g.key, label = g.label, ms = g.ms, rounded_ms = g.rounded_ms, hours = g.hours,
    billed_hours = g.billed_hours, rate = g.rate, amount = g.amount, cents = g.cents, count = g.count,
  }
  if g.groups then
    out.groups = json.array()
    for i, child in ipairs(g.groups) do out.groups[i] = json_group(child) end
  end
  return out
end

function M.json(r)
  local doc = {
    by = json.array(), groups = json.array(), days = json.array(), pieces = json.array(),
    total = json_group(r.total), now = r.now, week_start = r.week_start,
    period = r.period and { from = r.period[1], to = r.period[2] } or nil,
    round = r.round, rate = plain(r.rate), filter = plain(r.filter),
  }
  for i, level in ipairs(r.by) do doc.by[i] = level end
  for i, g in ipairs(r.groups) do doc.groups[i] = json_group(g) end
  for i, p in ipairs(r.pieces or {}) do
    local e = p.entry
    local labels = json.array()
    for j, l in ipairs(p.labels or {}) do labels[j] = l end
    doc.pieces[i] = {
      entry_id = e.id, part = p.part, parts = p.parts, from = p.from, to = p.to, date = p.date,
      ms = p.ms, rounded_ms = p.rounded_ms, hours = p.hours, billed_hours = p.billed_hours,
      rate = p.rate, amount = p.amount, cents = p.cents, labels = labels,
      task_id = type(e.task) == "table" and e.task.id or nil,
      user_id = type(e.user) == "table" and e.user.id or nil,
    }
  end
  for i, d in ipairs(r.days or {}) do
    local parts = json.array()
    for j, part in ipairs(d.parts or {}) do parts[j] = { key = part.key, label = part.label, ms = part.ms } end
    doc.days[i] = { key = d.key, label = d.label, ms = d.ms, parts = parts }
  end
  return json.encode(doc)
end

-- Markdown -------------------------------------------------------------------------

local function md_escape(s)
  return (one_line(s):gsub("[\\|*_`]", "\\%0"))
end

function M.markdown(r)
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

function M.chart(days, opts)
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

function M.table(r, opts)
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
    text = text .. "\n" .. M.chart(r.days, { color = color, width = total_w })
  end
  return text
end

return M
