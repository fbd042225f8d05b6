--- clickup.time.reconcile: after a POST whose outcome is unknown, what
-- does ClickUp hold?
--
-- A create, start, stop, add_tags or add_task_time that timed out after
-- sending, lost its connection, got a 5xx or an unreadable answer may or
-- may not have happened. Sending it again could create an entry twice or
-- start a second timer, so the client reads the state instead. Each
-- function returns:
--   "done", result   it happened: result is what the call would have returned
--   "none"           the state shows it had no effect: it may be sent once more
--   "unknown", err   the state could not be read
--
-- ctx = { get = function(name, ...) (a read through the client, with its
-- retries), t0 = the attempt's time on the server's clock (ms), skew = how
-- far that may be off (ms), now = function() (server ms) }.

local ipairs, pairs, type = ipairs, pairs, type

local M = {}

local DAY = 86400000

local function same_task(e, tid)
  if tid == nil then return e.task == nil end
  return e.task ~= nil and (e.task.id == tid or e.task.custom_id == tid)
end

-- the fields a create or start sent, as the entry shows them
local function same_fields(e, f)
  return (e.description or "") == (f.description or "")
     and (e.billable == true) == (f.billable == true)
     and same_task(e, f.tid)
end

local function fresh(e, ctx)
  return e.at == nil or e.at >= ctx.t0 - ctx.skew
end

--- create: an entry with the same start, end and fields, changed since the attempt
-- (for a negative duration, a running timer with that start).
function M.create(ctx, fields)
  local start = fields.start
  local stop = fields["end"] or fields.stop
  local last = stop or (start + (fields.duration or 0))
  local q = { start_date = start, end_date = last > start and last or start,
              team_id = fields.team_id, assignee = fields.assignee }
  local list, err = ctx.get("entries", q)
  if not list then return "unknown", err end
  local running = not stop and (fields.duration or 0) < 0    -- a running timer from start
  for _, e in ipairs(list) do
    local same_time = stop and e["end"] == stop
                      or running and e["end"] == nil
                      or not stop and not running and e.duration == fields.duration
    if e.start == start and same_time and same_fields(e, fields) and fresh(e, ctx) then
      return "done", e
    end
  end
  return "none"
end

--- start: the running timer, if it started at or after the attempt with these fields.
function M.start(ctx, fields)
  fields = fields or {}
  local cur, err = ctx.get("current", { team_id = fields.team_id })
  if cur == nil then return "unknown", err end
  if cur and cur.start >= ctx.t0 - ctx.skew and same_fields(cur, fields) then
    return "done", cur
  end
  return "none"
end

--- stop: no timer runs any more; the stopped entry is the one that ended last, since the attempt.
function M.stop(ctx, opts)
  local team_id = opts and opts.team_id
  local cur, err = ctx.get("current", { team_id = team_id })
  if cur == nil then return "unknown", err end
  if cur then return "none" end                       -- still running: the stop had no effect
  local now = ctx.now()
  local list, lerr = ctx.get("entries", { start_date = now - 30 * DAY, end_date = now + ctx.skew,
                                          team_id = team_id })
  if not list then return "unknown", lerr end
  local best
  for _, e in ipairs(list) do
    local stop = e["end"]
    if stop and stop >= ctx.t0 - ctx.skew and (best == nil or stop > best["end"]) then best = e end
  end
  return "done", best or false                        -- false: nothing was running
end

local function names(tags)
  local set = {}
  for _, t in ipairs(tags or {}) do set[type(t) == "table" and t.name or t] = true end
  return set
end

--- add_tags: every entry carries every tag.
function M.add_tags(ctx, ids, tags, opts)
  if type(ids) ~= "table" then ids = { ids } end
  local want = names(tags)
  for _, id in ipairs(ids) do
    local e, err = ctx.get("entry", id, { team_id = opts and opts.team_id })
    if not e then return "unknown", err end
    local have = names(e.tags)
    for name in pairs(want) do
      if not have[name] then return "none" end
    end
  end
  return "done", true
end

--- add_task_time: an interval with these times, added since the attempt.
function M.add_task_time(ctx, task_id, fields)
  local groups, err = ctx.get("task_time", task_id,
                              { custom_task_ids = fields.custom_task_ids, team_id = fields.team_id })
  if not groups then return "unknown", err end
  for _, g in ipairs(groups) do
    for _, iv in ipairs(g.intervals or {}) do
      if (fields.start == nil or iv.start == fields.start)
         and (fields["end"] == nil or iv["end"] == fields["end"])
         and (fields.time == nil or iv.time == fields.time)
         and (iv.date_added == nil or iv.date_added >= ctx.t0 - ctx.skew) then
        return "done", { id = iv.id }
      end
    end
  end
  return "none"
end

return M
