--- clickup.time.report.html: a report as one self-contained HTML page.
--
--   local html = report.html(r, { title = "Time report", generated = "clickup-time 0.1.0" })
--
-- One file that needs nothing else: inline CSS, an inline SVG chart, no
-- script, no font, no image and no link to anything outside the page (it
-- opens offline and prints as it shows). It holds:
--   * the title and the period (local dates), the rounding and the rate;
--   * the totals: hours, billed hours (with rounding), amount (with a rate),
--     entries; each in an element with an id (total-hours, total-billed-hours,
--     total-amount, total-count) and its value in data-value;
--   * a bar chart of hours per local day, each bar stacked by the first
--     grouping (one colour per group, a legend below; by tag, a piece with
--     several tags is drawn in each of them);
--   * the table of the terminal report: a row per group (subtotals in bold),
--     Hours, Rounded, Rate (when rates differ), Amount, and the Total row.
-- The numbers are those of report.json and report.table (the same text).

local format = require "clickup.time.report.format"

local ipairs, tostring, floor, max = ipairs, tostring, math.floor, math.max
local os_date, concat = os.date, table.concat

local M = {}

local COLOURS = { "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
                  "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6" }
local NONE_COLOUR = "#bab0ac"

local function esc(s)
  return (tostring(s):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                          ['"'] = "&quot;", ["'"] = "&#39;" }))
end

local function local_day(ms) return os_date("%a %d %b %Y", floor(ms / 1000)) end

local function period_text(r)
  if not r.period then return "all the entries given" end
  local from, to = r.period[1], r.period[2]
  local first, last = local_day(from), local_day(to - 1)
  if first == last then return first end
  return first .. " – " .. last
end

local function round_text(r)
  local round = r.round
  if not round then return nil end
  local inc = require("clickup.time.duration").format(round.increment)
  return ("rounded %s to %s per %s"):format(round.mode, inc, round.per)
end

local CSS = [[
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
.period { color: #555; margin: 0 0 1.2em; }
.totals { display: flex; flex-wrap: wrap; gap: 1em; margin: 0 0 1.5em; }
.totals div { border: 1px solid #ddd; border-radius: 6px; padding: .6em 1em; min-width: 8em; }
.totals .label { display: block; color: #666; font-size: .85em; }
.totals .value { font-size: 1.5em; font-variant-numeric: tabular-nums; }
svg { display: block; max-width: 100%; height: auto; margin: 0 0 .5em; }
svg text { font: 11px system-ui, sans-serif; fill: #444; }
.legend { display: flex; flex-wrap: wrap; gap: .4em 1.2em; margin: 0 0 1.5em; padding: 0; list-style: none;
          font-size: .9em; }
.legend span { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .35em;
               vertical-align: -.1em; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .3em .6em; border-bottom: 1px solid #eee; text-align: left; }
th.num, td.num { text-align: right; }
thead th { border-bottom: 2px solid #ccc; }
tr.parent td { font-weight: 600; }
tfoot td { font-weight: 700; border-top: 2px solid #ccc; border-bottom: none; }
footer { color: #888; font-size: .8em; margin-top: 2em; }
@media print { body { margin: 0; } }
]]

-- The SVG chart: a bar per day, stacked by the first grouping; and the legend.
local function chart(r, colour_of)
  local days = r.days or {}
  if #days == 0 then return "", "" end
  local top = 0
  for _, d in ipairs(days) do top = max(top, d.ms) end
  local step = 3600000
  while top / step > 8 do step = step * 2 end
  local axis = step * math.ceil(top / step)
  if axis == 0 then axis = step end
  local bar, gap, left, height, bottom = 22, 8, 40, 180, 34
  local w = left + #days * (bar + gap) + 10
  local out = { ('<svg width="%d" height="%d" viewBox="0 0 %d %d"'
                 .. ' role="img" aria-label="Hours per day">'):format(w, height + bottom + 10, w,
                                                                       height + bottom + 10) }
  local function y(ms) return 10 + height - height * ms / axis end
  for t = 0, axis, step do
    out[#out + 1] = ('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e5e5e5"/>'):format(left - 4, w - 10,
                                                                                       y(t), y(t))
    out[#out + 1] = ('<text x="%d" y="%.1f" text-anchor="end">%dh</text>'):format(left - 8, y(t) + 4,
                                                                                 floor(t / 3600000 + 0.5))
  end
  for i, d in ipairs(days) do
    local x = left + (i - 1) * (bar + gap)
    local base = 0
    local parts = d.parts or {}
    if #parts == 0 and d.ms > 0 then parts = { { key = "", label = "", ms = d.ms } } end
    for _, p in ipairs(parts) do
      out[#out + 1] = ('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>')
        :format(x, y(base + p.ms), bar, y(base) - y(base + p.ms), colour_of(p.key), esc(d.label), esc(p.label),
                esc(require("clickup.time.duration").format(p.ms)))
      base = base + p.ms
    end
    out[#out + 1] = ('<text x="%d" y="%d" text-anchor="middle">%s</text>'):format(x + bar / 2, height + 26,
                                                                                 esc(d.label:sub(5)))
    out[#out + 1] = ('<text x="%d" y="%d" text-anchor="middle">%s</text>'):format(x + bar / 2, height + 40,
                                                                                 esc(d.label:sub(1, 3)))
  end
  out[#out + 1] = "</svg>"
  local legend = {}
  if #r.by > 0 then
    legend[1] = '<ul class="legend">'
    for _, g in ipairs(r.groups) do
      legend[#legend + 1] = ('<li><span style="background:%s"></span>%s</li>'):format(colour_of(g.key),
                                                                                    esc(g.label))
    end
    legend[#legend + 1] = "</ul>"
  end
  return concat(out, "\n"), concat(legend, "\n")
end

--- The page (a string). opts.title ("Time report"), opts.generated (a line for the footer).
function M.page(r, opts)
  opts = opts or {}
  local colours, n = {}, 0
  for _, g in ipairs(r.groups) do
    local key = tostring(g.key)
    if g.key == "" then
      colours[key] = NONE_COLOUR
    else
      n = n + 1
      colours[key] = COLOURS[(n - 1) % #COLOURS + 1]
    end
  end
  local function colour_of(key) return colours[tostring(key)] or COLOURS[1] end

  local cols = format.columns(r)
  local title = opts.title or "Time report"
  local sub = { esc(period_text(r)) }
  if r.round then sub[#sub + 1] = esc(round_text(r)) end
  if r.rate and r.total.rate then sub[#sub + 1] = esc(format.rate_text(r.total.rate)) .. " an hour" end

  local out = {
    "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>" .. esc(title .. ": " .. period_text(r)) .. "</title>",
    "<style>" .. CSS .. "</style>", "</head>", "<body>",
    "<h1>" .. esc(title) .. "</h1>",
    '<p class="period">' .. concat(sub, " · ") .. "</p>",
    '<section class="totals">',
  }
  local function total(id, label, value)
    out[#out + 1] = ('<div><span class="label">%s</span><span class="value" id="%s" data-value="%s">%s</span></div>')
      :format(esc(label), id, esc(value), esc(value))
  end
  total("total-hours", "Hours", format.two(r.total.hours))
  if r.round then total("total-billed-hours", "Billed hours", format.two(r.total.billed_hours)) end
  if r.rate then total("total-amount", "Amount", format.two(r.total.amount or 0)) end
  total("total-count", "Entries", tostring(r.total.count))
  out[#out + 1] = "</section>"

  local svg, legend = chart(r, colour_of)
  out[#out + 1] = svg
  out[#out + 1] = legend

  local levels = #r.by > 0 and r.by or { "group" }
  out[#out + 1] = '<table id="report">'
  local head = {}
  for i, level in ipairs(levels) do head[i] = "<th>" .. esc(level:sub(1, 1):upper() .. level:sub(2)) .. "</th>" end
  for _, c in ipairs(cols) do head[#head + 1] = '<th class="num">' .. esc(c[1]) .. "</th>" end
  out[#out + 1] = "<thead><tr>" .. concat(head) .. "</tr></thead>"
  out[#out + 1] = "<tbody>"
  local function row(depth, label, g, class, tag)
    local cells = {}
    for i = 1, #levels do cells[i] = "<" .. tag .. ">" .. (i == depth and esc(format.one_line(label)) or "")
                                      .. "</" .. tag .. ">" end
    for _, c in ipairs(cols) do
      cells[#cells + 1] = ('<%s class="num" data-col="%s">%s</%s>'):format(tag, c[3], esc(c[2](g)), tag)
    end
    return ("<tr%s>%s</tr>"):format(class and (' class="' .. class .. '"') or "", concat(cells))
  end
  for _, item in ipairs(format.walk(r.groups, 1, {})) do
    out[#out + 1] = row(item.depth, item.g.label, item.g, item.parent and "parent" or nil, "td")
  end
  out[#out + 1] = "</tbody>"
  out[#out + 1] = "<tfoot>" .. row(1, "Total", r.total, "total", "td") .. "</tfoot>"
  out[#out + 1] = "</table>"
  out[#out + 1] = "<footer>" .. esc(opts.generated or "clickup-time") .. "</footer>"
  out[#out + 1] = "</body>"
  out[#out + 1] = "</html>"
  return concat(out, "\n") .. "\n"
end

return M
