--- clickup.time.fetch: client:entries over any range, for anyone.
--
-- On top of ClickUp's list endpoint (GET /team/{team_id}/time_entries):
--   range = "this week" (clickup.time.when, with week_start = "sunday" or
--     any weekday; default monday), or range = { from_ms, to_ms } (to
--     exclusive), instead of start_date/end_date: the list holds EVERY
--     entry that overlaps the period [from, to), whole (report.build clips):
--     ClickUp selects entries by their start, so the request starts
--     margin_days (default 7) before the period, and the entries that ended
--     before the period began are left out. An entry longer than the margin
--     that started before it is missed; raise margin_days for such;
--   a range always has explicit ends: ClickUp's silent default (the last 30
--     days, until now) is never relied on, the client sends both ends;
--   long ranges are split into windows (30 days; window_days = n) fetched
--     in parallel, merged by id and sorted by start;
--   assignee = "all": everyone in the workspace (its members, from GET /team,
--     fetched once per client), one request per user when ClickUp refuses
--     the list (403 TIMEENTRY_059, as it does for OAuth tokens);
--   progress = function(done, total), called as each request completes.
-- The same logic runs blocking, or with a callback through the scheduler.

local core = require "clickup.time.core"
local runner = require "clickup.time.runner"
local scheduler = require "clickup.time.scheduler"

local type, pairs, ipairs, tostring = type, pairs, ipairs, tostring
local floor, min = math.floor, math.min
local sort = table.sort

local M = {}

local DAY = 86400000
M.DEFAULT_DAYS = 30

M.MARGIN_DAYS = 7

-- the fields ClickUp never sees: a list (M.wants reads them by index, on
-- every entries call: no pairs loop) and the set of the same names
local LUA_ONLY_LIST = { "range", "progress", "window_days", "week_start", "margin_days" }
local LUA_ONLY = {}
for _, name in ipairs(LUA_ONLY_LIST) do LUA_ONLY[name] = true end
M.LUA_ONLY = LUA_ONLY

local function copy(t, except)
  local c = {}
  for k, v in pairs(t) do
    if not (except and except[k]) then c[k] = v end
  end
  return c
end

--- Does this call need more than one plain request (or Lua-only parameters)?
function M.wants(params)
  if type(params) ~= "table" then return false end
  for i = 1, #LUA_ONLY_LIST do
    if params[LUA_ONLY_LIST[i]] ~= nil then return true end
  end
  return params.assignee == "all" or params.start_date == nil or params.end_date == nil
      or type(params.start_date) == "string" or type(params.end_date) == "string"
end

-- The period [from, to) of params.range (a text or { from, to }), or nil and a message.
local function period_of(params, now)
  local range = params.range
  if type(range) == "table" then
    local from, to = range[1] or range.from, range[2] or range.to
    if type(from) ~= "number" or type(to) ~= "number" or from ~= floor(from) or to ~= floor(to) then
      return nil, "bad field 'range' ({ from_ms, to_ms }: integer milliseconds)"
    end
    if to <= from then return nil, "bad field 'range' (it ends before it starts)" end
    return { from, to }
  end
  local when = require "clickup.time.when"
  if params.week_start ~= nil then
    local ok, why = when.range("today", { now = now, week_start = params.week_start })
    if not ok then return nil, "bad field 'week_start' (" .. tostring(why) .. ")" end
  end
  local from, to = when.range(range, { now = now, week_start = params.week_start })
  if not from then return nil, "bad field 'range' (" .. tostring(to) .. ")" end
  return { from, to }
end

--- params with explicit ends and the period of a range (or nil), or nil and a message.
function M.ends(params, now)
  local p = copy(params, LUA_ONLY)
  local period
  if params.range ~= nil then
    if p.start_date ~= nil or p.end_date ~= nil then
      return nil, "give range, or start_date and end_date, not both"
    end
    local why
    period, why = period_of(params, now)
    if not period then return nil, why end
    local margin = params.margin_days
    if margin == nil then margin = M.MARGIN_DAYS end
    if type(margin) ~= "number" or margin < 0 or margin ~= margin or margin == math.huge then
      return nil, "bad field 'margin_days' (a number of days, 0 or more)"
    end
    p.start_date, p.end_date = period[1] - floor(margin * DAY), period[2] - 1   -- ClickUp's ends are inclusive
  elseif params.week_start ~= nil or params.margin_days ~= nil then
    return nil, "week_start and margin_days go with range"
  end
  if p.end_date == nil then p.end_date = now end
  if p.start_date == nil and type(p.end_date) == "number" then
    p.start_date = p.end_date - M.DEFAULT_DAYS * DAY
  end
  return p, period                                  -- wrong types are the core's to report
end

--- The entries of list that overlap period [from, to), in their order: an
-- entry counts when it starts before `to` and ends after `from` (a running
-- one has not ended; one of no length counts when it starts inside).
function M.overlapping(list, period)
  local from, to = period[1], period[2]
  local out = {}
  for _, e in ipairs(list) do
    local s, stop = e.start, e["end"]
    if type(s) == "number" and s < to and (stop == nil or stop > from or (s >= from and stop >= s)) then
      out[#out + 1] = e
    end
  end
  return out
end

--- Is one plain request enough (no window to split, no "all", no progress)?
function M.single(p, opts)
  local window = floor((opts.window_days or M.DEFAULT_DAYS) * DAY)
  return p.assignee ~= "all" and opts.progress == nil and type(p.start_date) == "number"
     and type(p.end_date) == "number" and p.end_date - p.start_date <= window
end

-- the requests: one per window (and per user, for the fallback)
local function plan(p, window, users)
  local calls = {}
  local from = p.start_date
  repeat
    local to = min(p.end_date, from + window)      -- both ends inclusive: 30 days fit one
    for _, user in ipairs(users or { false }) do
      local q = copy(p)
      q.start_date, q.end_date = from, to
      if user then q.assignee = user end
      calls[#calls + 1] = { "entries", q }
    end
    from = to + 1
  until from > p.end_date
  return calls
end

local function merge(results)
  if #results == 1 then return results[1] end      -- one request: ClickUp's order, as it is
  local seen, out = {}, {}
  for _, list in ipairs(results) do
    for _, e in ipairs(list) do
      if not seen[e.id] then
        seen[e.id] = true
        out[#out + 1] = e
      end
    end
  end
  sort(out, function(a, b)
    if a.start ~= b.start then return a.start < b.start end
    return a.id < b.id
  end)
  return out
end

local function refused_list(err)
  return err and err.status == 403 and err.code == "TIMEENTRY_059"
end

--- Run the fetch; `done(entries)` or `done(nil, err)`. `async` chooses the
-- scheduler's callback forms, else everything blocks.
function M.run(client, p, opts, async, done)
  local total, finished = 0, 0
  local window = floor((opts.window_days or M.DEFAULT_DAYS) * DAY)
  local function on_each()
    finished = finished + 1
    if opts.progress then opts.progress(finished, total) end
  end
  local function run_all(calls, k)
    total = total + #calls
    if not async and #calls == 1 then              -- one request: no need for the scheduler
      local r, err = runner.run(client, runner.blocking, runner.endpoints.entries, 1, { calls[1][2] })
      on_each(1, r, err)
      return k({ r }, { err })
    end
    if async then
      scheduler.parallel(client, calls, nil, k, on_each)
    else
      k(scheduler.parallel(client, calls, nil, nil, on_each))
    end
  end
  local function fetch(users, fallback)
    local calls = plan(p, window, fallback and users)
    if users and not fallback then
      for _, c in ipairs(calls) do c[2].assignee = users end
    end
    run_all(calls, function(results, errors)
      for i = 1, #calls do
        local err = errors[i]
        if err then
          if not fallback and users and #users > 1 and refused_list(err) then
            return fetch(users, true)              -- one request per user
          end
          return done(nil, err)
        end
      end
      done(merge(results))
    end)
  end
  if p.assignee ~= "all" then return fetch(nil) end
  local function with_teams(teams, err)
    if not teams then return done(nil, err) end
    local team = tostring(p.team_id or client.team_id)
    for _, t in ipairs(teams) do
      if t.id == team then
        local ids = {}
        for _, m in ipairs(t.members or {}) do
          if m.user and m.user.id then ids[#ids + 1] = m.user.id end
        end
        client._members = client._members or {}
        client._members[team] = ids
        return fetch(ids)
      end
    end
    done(nil, core.error("api", "TEAM_NOT_FOUND", "workspace " .. team .. " is not among the token's workspaces"))
  end
  local cached = client._members and client._members[tostring(p.team_id or client.team_id)]
  if cached then return fetch(cached) end
  if async then
    client:teams(with_teams)
  else
    with_teams(client:teams())
  end
end

return M
