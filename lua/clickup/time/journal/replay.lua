--- clickup.time.journal.replay: what each intent does on ClickUp, so that
-- what arrives there is what the person did, at the times they did it,
-- exactly once, whenever it is sent and however often a sync is cut short.
--
-- An intent is replayed in steps. A step that may have an effect writes an
-- "attempt" record (synced) before its request, and a "step" record when it
-- is done: a step that is done is skipped; a step with an attempt and no
-- end looks for its effect on ClickUp first (same task, description and
-- start within a second) and sends only when it finds none.
--
--   start at T   ended by a later stop/start at T2 (both offline): one entry
--                T..T2 (create). Still running: first the timer ClickUp runs
--                since before T ends at T (the person's start stopped it);
--                then, when T is more than LIVE_SLACK ago, a manual entry for
--                T..now (the gap: ClickUp starts timers only now) and the
--                live timer; a later stop through the journal merges the two
--                into one entry T..stop. Cancelled before it was sent: nothing.
--   stop at T    the timer that ran at T ends at T: stopped, and its end set
--                to T when ClickUp's is later (a gap entry merged into it).
--                A timer started after T, elsewhere, is left alone.
--   log          create, once.
--   edit         update (and add_tags/remove_tags), idempotent.
--   delete       delete; an entry already gone is done.
--   cancel       the timer that ran at T is deleted (with its gap).
--
-- ctx: { call(name, ...) -> the result (a failure raises a control error
-- that ends the intent's turn), maybe(name, ...) -> the result, or nil when
-- ClickUp says the entry does not exist, pcall (one that lets the body yield
-- when the sync does not block), now(), skew(), attempt(it, step),
-- step_done(it, step, value), unsent(it, step), state = { set_running(e [,
-- gap]), gap_of(id) } }.

local ipairs, type, pairs, getmetatable, setmetatable = ipairs, type, pairs, getmetatable, setmetatable
local abs, max = math.abs, math.max

local M = {}

local unpack = table.unpack or unpack
local coroutine, select = coroutine, select

--- pcall that lets f yield to whoever runs the caller: a sync with a
-- callback runs as a coroutine, and Lua 5.1 cannot yield across pcall.
-- f runs in a coroutine of its own; its yields are passed on, outwards,
-- and what they are resumed with, inwards.
local function pack(...) return { n = select("#", ...), ... } end

function M.pcall(f, ...)
  local co = coroutine.create(f)
  local args = pack(...)
  while true do
    local res = pack(coroutine.resume(co, unpack(args, 1, args.n)))
    if not res[1] then return false, res[2] end
    if coroutine.status(co) == "dead" then return true, unpack(res, 2, res.n) end
    args = pack(coroutine.yield(unpack(res, 2, res.n)))
  end
end

M.LIVE_SLACK = 60000        -- ms: a start this recent is just started, without a gap entry
M.FRESH = 5000              -- ms: an intent this recent needs no look at ClickUp's state first
M.MATCH_MS = 1000           -- ms: "the same start" when looking for an effect

local function copy(t)
  local c = {}
  for k, v in pairs(t or {}) do c[k] = v end
  return c
end

-- the task fields of an intent, as the entry would show them
local function same_task(e, args)
  local tid = args.tid
  if tid == nil then return e.task == nil end
  return e.task ~= nil and (e.task.id == tid or e.task.custom_id == tid)
end

local function same_fields(e, args)
  return (e.description or "") == (args.description or "") and (e.billable == true) == (args.billable == true)
     and same_task(e, args)
end

-- Run a step once: done already, or fn(attempt) (attempt: the record of an
-- earlier try whose end is unknown, or nil).
local function step(ctx, it, name, fn)
  local done = it.steps[name]
  if done then return done.value end
  local value = fn(it.attempts[name])
  ctx.step_done(it, name, value)
  return value
end

-- A request of a step: when it certainly never left (refused, unresolved,
-- nothing sent), its attempt is taken back, so that the next sync sends it
-- without looking for an effect first.
local function send(ctx, it, name, method, ...)
  ctx.attempt(it, name)
  local ok, r = ctx.pcall(ctx.call, method, ...)
  if ok then return r end
  local err = type(r) == "table" and r.err
  if err and err.kind == "transport" and (err.sent == false or err.code == "connect" or err.code == "resolve") then
    ctx.unsent(it, name)
  end
  error(r, 0)
end
M.step = step

-- An entry with these fields and start, created since the attempt? (nil: none)
local function find_created(ctx, fields)
  local start = fields.start
  local list = ctx.call("entries", { start_date = start - M.MATCH_MS, end_date = start + M.MATCH_MS,
                                     team_id = fields.team_id })
  for _, e in ipairs(list) do
    local stop = fields["end"] or (fields.duration and start + fields.duration)
    if abs(e.start - start) <= M.MATCH_MS and same_fields(e, fields)
       and (stop == nil or (e["end"] and abs(e["end"] - stop) <= M.MATCH_MS)) then
      return e
    end
  end
end

--- create, once: an attempt is written before the request; after a crash, the
-- entry is looked for first.
function M.create_once(ctx, it, name, fields)
  return step(ctx, it, name, function(attempted)
    if attempted then
      local e = find_created(ctx, fields)
      if e then return e end
    end
    return send(ctx, it, name, "create", fields)
  end)
end

-- the running timer, if it is ours: started since the attempt, with these fields
local function start_once(ctx, it, name, fields)
  return step(ctx, it, name, function(attempted)
    if attempted then
      local cur = ctx.call("current", { team_id = fields.team_id })
      if cur and cur.start >= attempted.ts - ctx.skew() and same_fields(cur, fields) then return cur end
    end
    return send(ctx, it, name, "start", fields)
  end)
end

-- End entry e at T: stopped when it runs, its end set to T when ClickUp's is
-- later; a gap entry of it (state) is merged: the gap's end becomes T and e
-- goes. Returns the entry as it ends.
local function end_at(ctx, e, T, gap)
  if e:is_running() then
    local stopped = ctx.call("stop")
    if stopped then e = stopped end
  end
  -- an update may answer without the entry (an empty 200): the entry as it now is
  local function as_updated(r, id, start, stop)
    if type(r) == "table" and r.id then return r end
    local c = {}
    for k, v in pairs(e) do c[k] = v end
    c.id, c.start, c["end"], c.duration = id, start, stop, stop - start
    return setmetatable(c, getmetatable(e))
  end
  if gap and gap.id and gap.id ~= e.id then
    local stop = max(gap.start, T)
    local merged = ctx.call("update", gap.id, { start = gap.start, ["end"] = stop })
    ctx.maybe("delete", e.id)
    return as_updated(merged, gap.id, gap.start, stop)
  end
  if e["end"] and e["end"] > T + M.MATCH_MS and T >= e.start then
    return as_updated(ctx.call("update", e.id, { start = e.start, ["end"] = T }), e.id, e.start, T)
  end
  return e
end

-- the timer ClickUp runs now (false: none), asked once per sync
local function current(ctx)
  if ctx.cur == nil then ctx.cur = ctx.call("current") end
  return ctx.cur
end


local R = {}

function R.start(ctx, it)
  local ender = it.ended_by
  local fields = copy(it.args)
  if ender and ender.op == "cancel" and not it.attempts.live then
    return "cancelled"
  end
  if ender then                                     -- started and ended offline: one entry
    if it.attempts.live and not it.steps.create then  -- unless the start reached ClickUp after all
      local cur = current(ctx)
      if cur and cur.start >= it.attempts.live.ts - ctx.skew() and same_fields(cur, fields) then
        ctx.cur = false
        if ender.op == "cancel" then
          ctx.call("stop")
          ctx.maybe("delete", cur.id)
          return "cancelled"
        end
        return end_at(ctx, cur, ender.at)
      end
    end
    fields.start, fields["end"] = it.at, max(it.at, ender.at)
    return M.create_once(ctx, it, "create", fields)
  end
  local fresh = ctx.now() - it.at <= M.FRESH
  if not fresh then                                 -- the timer that ran at T ends at T
    step(ctx, it, "end_prev", function()
      local cur = current(ctx)
      if cur and cur.start < it.at and not (it.attempts.live and same_fields(cur, fields)) then
        end_at(ctx, cur, it.at, ctx.state.gap_of(cur.id))
        ctx.cur = false
      end
      return true
    end)
  end
  if ctx.now() - it.at > M.LIVE_SLACK then          -- ClickUp starts timers now only: a gap entry first
    local gap_fields = copy(fields)
    gap_fields.start, gap_fields["end"] = it.at, ctx.now()
    local gap = M.create_once(ctx, it, "gap", gap_fields)
    local live = start_once(ctx, it, "live", fields)
    ctx.state.set_running(live, { id = gap.id, start = it.at })
    ctx.cur = live
    return live
  end
  local live = start_once(ctx, it, "live", fields)
  ctx.state.set_running(live)
  ctx.cur = live
  return live
end

-- the entry the person meant to stop or cancel at T: the one running at T
local function target_at(ctx, it)
  local T = it.at
  local cur = current(ctx)
  if cur and cur.start <= T then return cur end
  local t = it.args.target
  if t and t.id then
    local e = ctx.maybe("entry", t.id)
    if e then return e end
  end
  return nil
end

function R.stop(ctx, it)
  if it.merged then return "merged" end
  local e
  if ctx.now() - it.at <= M.FRESH then              -- just now: stop what runs
    e = ctx.call("stop")
    if e and it.at < e.start then e = false end
    if e then e = end_at(ctx, e, it.at, ctx.state.gap_of(e.id)) end
  else
    e = target_at(ctx, it)
    if e then e = end_at(ctx, e, it.at, ctx.state.gap_of(e.id)) end
  end
  ctx.cur = false
  ctx.state.set_running(false)
  return e or false
end

function R.cancel(ctx, it)
  if it.merged then return "cancelled" end
  local e = target_at(ctx, it)
  if not e then
    ctx.state.set_running(false)
    return false
  end
  if e:is_running() then ctx.call("stop") end
  local gap = ctx.state.gap_of(e.id)
  if gap and gap.id then ctx.maybe("delete", gap.id) end
  ctx.maybe("delete", e.id)
  ctx.cur = false
  ctx.state.set_running(false)
  return e
end

function R.log(ctx, it)
  return M.create_once(ctx, it, "create", it.args)
end

-- an edit is idempotent (the same fields, the same tags): replayed as it is
function R.edit(ctx, it)
  local a = it.args
  return require("clickup.time.write").edit(ctx.call, a.target, a.fields or {},
                                            { add_tags = a.add_tags, remove_tags = a.remove_tags })
end

function R.delete(ctx, it)
  local out = {}
  for _, id in ipairs(it.args.targets) do
    local r = ctx.maybe("delete", id)
    if type(r) == "table" then
      for _, e in ipairs(r) do out[#out + 1] = e end
    end
  end
  return out
end

M.ops = R
return M
