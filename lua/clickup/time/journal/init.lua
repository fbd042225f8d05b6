--- clickup.time.journal: never lose a tracked minute.
--
-- Every write (start, stop, log, edit, delete, cancel) is first an intent
-- in a local journal, flushed to the disk before any request goes out, then
-- sent to ClickUp exactly once, with the times the person acted. When
-- ClickUp cannot be reached (no connection, a timeout, a 5xx, a rate-limit
-- wait longer than max_wait, a captive portal's page), the write succeeds
-- locally and is sent by a later sync.
--
--   local journal = require "clickup.time.journal"
--   local j = journal.open{ path = ... }     -- default $XDG_STATE_HOME/clickup-time/journal
--   local e, err = j:stop(client)            -- the stopped entry; or the intent with queued = true
--   local summary = j:sync(client)           -- { sent =, failed =, pending =, busy =, error = }
--   local st = j:status()                    -- what the journal knows, without the network
--
-- Each write returns what the client's method returns when ClickUp
-- answered; the intent (a table with queued = true, id, op, at, args) when
-- it could not be reached; nil and ClickUp's error when ClickUp refused it
-- for good (a 4xx other than 429: the intent is kept, marked failed, never
-- sent again; drop(id) discards it). With a callback as the last argument
-- a write, or sync, does not block: callback(result, err).
--
-- A programmer's mistake (an unknown field, a bad type) raises, as the
-- client's methods do, and nothing is written.

local clickup = require "clickup.time"
local file = require "clickup.time.journal.file"
local replay = require("clickup.time.lazy")("clickup.time.journal.replay")  -- when there is something to send

local type, pairs, ipairs, error, pcall, setmetatable, tostring = type, pairs, ipairs, error, pcall,
  setmetatable, tostring
local select, next = select, next
local unpack = table.unpack or unpack
local coroutine = coroutine
local floor = math.floor

local M = {}

M.replay = replay

local Journal = {}
Journal.__index = Journal
M.Journal = Journal

local OPS = { start = true, stop = true, log = true, edit = true, delete = true, cancel = true }
local KNOWN = { intent = true, attempt = true, unsent = true, step = true, ack = true, amend = true }
local counter = 0

local function copy(t)
  local c = {}
  for k, v in pairs(t or {}) do c[k] = v end
  return c
end

--- Open (or create) a journal. opts.path (default file.default_path()),
-- opts.now (a clock in ms), opts.lock_wait (ms to wait for another process
-- that sends: 10000), opts.readonly (only read it: its folder is not made),
-- opts.call (function(client, name, ...): how a
-- blocking sync calls the client, default client[name](client, ...): the
-- command's deadline and Ctrl-C go there), opts.hook (function(point,
-- intent): tests stop a process at a point: "before", "intent", "attempt",
-- "sent", "ack").
function M.open(opts)
  opts = opts or {}
  local path = opts.path or file.default_path()
  if type(path) ~= "string" then
    error("clickup.time.journal.open: no path: pass path = ..., or set HOME or XDG_STATE_HOME", 2)
  end
  if not opts.readonly then
    local ok, err = file.ensure_dir(path)
    if not ok then return nil, err end
  end
  return setmetatable({
    path = path, state_path = path .. ".state",
    now = opts.now or function() return clickup.now_ms() end, lock_wait = opts.lock_wait or 10000, call = opts.call,
    hook = opts.hook or function() end, results = {}, warned = {},
  }, Journal)
end


-- {====== reading: the records folded into intents

-- An entry as the journal keeps it (what a person needs to see it again).
local function summary(e)
  if type(e) ~= "table" or not e.id then return nil end
  return setmetatable({
    id = e.id, start = e.start, ["end"] = e["end"], duration = e.duration, description = e.description,
    billable = e.billable, wid = e.wid,
    task = e.task and { id = e.task.id, name = e.task.name, custom_id = e.task.custom_id } or nil,
    user = e.user and { id = e.user.id, username = e.user.username } or nil,
  }, clickup.Entry)
end
M.summary = summary

local function as_entry(t)
  if type(t) == "table" and t.id and t.start then return setmetatable(t, clickup.Entry) end
  return t
end

-- the journal's records, folded: intents in order (with their attempts,
-- steps and end), and the lines to keep whatever happens
function Journal:_fold()
  local recs, torn = file.read(self.path)
  local list, by, foreign = {}, {}, {}
  for _, r in ipairs(recs) do
    local rec = r.rec
    if not rec or (rec.v or 1) > file.FORMAT then
      foreign[#foreign + 1] = r.line
    elseif rec.t == "intent" and OPS[rec.op] and rec.id and not by[rec.id] then
      local it = { id = rec.id, op = rec.op, ws = rec.ws, at = rec.at, args = rec.args or {},
                   status = "pending", attempts = {}, steps = {}, lines = { r.line } }
      list[#list + 1] = it
      by[rec.id] = it
    elseif rec.id and by[rec.id] then
      local it = by[rec.id]
      it.lines[#it.lines + 1] = r.line
      if rec.t == "attempt" then
        it.attempts[rec.step] = rec
      elseif rec.t == "unsent" then
        it.attempts[rec.step] = nil
      elseif rec.t == "step" then
        it.steps[rec.step] = { value = rec.entry or rec.value }
      elseif rec.t == "ack" then
        it.status = rec.outcome == "failed" and "failed" or "done"
        it.ack = rec
      elseif rec.t == "amend" and it.status == "pending" then
        for k, v in pairs(rec.args or {}) do it.args[k] = v end
      end
    elseif not KNOWN[rec.t] then
      foreign[#foreign + 1] = r.line
    end
  end
  -- a start still pending is ended by the next pending stop, start or cancel of its workspace
  for i, it in ipairs(list) do
    if it.op == "start" and it.status == "pending" then
      for k = i + 1, #list do
        local nx = list[k]
        if nx.ws == it.ws and (nx.op == "stop" or nx.op == "start" or nx.op == "cancel")
           and nx.status == "pending" then
          it.ended_by = nx
          if nx.op ~= "start" then nx.merged = it end
          break
        end
      end
    end
  end
  return list, by, foreign, torn
end

-- the view of an intent that callers see
local function view(it)
  local v = { id = it.id, op = it.op, at = it.at, ws = it.ws, args = it.args, status = it.status }
  if it.ack then
    v.entry, v.code, v.message, v.http_status = it.ack.entry, it.ack.code, it.ack.message, it.ack.status
    v.outcome = it.ack.outcome
  end
  if it.status == "pending" then v.queued = true end
  return v
end

--- Every intent the journal holds (views: id, op, at, args, status =
-- "pending" | "failed" | "done", queued, code, message).
function Journal:intents()
  local list = self:_fold()
  local out = {}
  for i, it in ipairs(list) do out[i] = view(it) end
  return out
end

--- Is anything pending, or failed? (cheap: an empty file says no at once)
function Journal:has_intents()
  local f = io.open(self.path, "rb")
  if not f then return false end
  local size = f:seek("end")
  f:close()
  return size ~= nil and size > 0
end

function Journal:pending()
  local out = {}
  for _, v in ipairs(self:intents()) do if v.status == "pending" then out[#out + 1] = v end end
  return out
end

function Journal:failed()
  local out = {}
  for _, v in ipairs(self:intents()) do if v.status == "failed" then out[#out + 1] = v end end
  return out
end

-- }======


-- {====== the cache of ClickUp's state: the running timer as last known

function Journal:_state()
  return file.read_json(self.state_path) or {}
end

-- `before`: the state as just read, when the caller has it (one read less)
function Journal:_set_state(st, before)
  if before == nil then before = file.read_json(self.state_path) end
  local same = before and before.ws == st.ws and ((before.running and before.running.id)
                                                   == (st.running and st.running.id))
               and ((before.gap and before.gap.id) == (st.gap and st.gap.id))
  if same then return end
  file.write_json(self.state_path, st)
end

--- Tell the journal what ClickUp says runs (false: nothing), as a status
-- command learns it: `status --cached` answers from it later.
function Journal:note_running(e, ws)
  local before = file.read_json(self.state_path)
  local st = before or {}
  local gap = st.running and e and st.running.id == e.id and st.gap or nil
  self:_set_state({ ws = ws or (e and e.wid) or st.ws, running = e and summary(e) or false, gap = gap,
                    at = self.now() }, before or false)
end

--- What the journal knows, without the network: { running = entry (with
-- local = true when it was started offline) | false | nil (unknown),
-- pending = { intents }, failed = { intents }, learnt_at = ms, gap = }.
-- opts.plain: entries without the Entry metatable (the core is not loaded).
function Journal:status(ws, opts)
  local plain = opts and opts.plain
  local entry_mt = not plain and clickup.Entry or nil
  local list = self:_fold()
  local st = self:_state()
  local running
  if st.running ~= nil and (ws == nil or st.ws == nil or st.ws == ws) then
    running = st.running and (plain and st.running or as_entry(st.running)) or false
  end
  local pending, failed = {}, {}
  for _, it in ipairs(list) do
    if ws == nil or it.ws == ws then
      if it.status == "pending" then
        pending[#pending + 1] = view(it)
        if it.op == "start" then
          running = setmetatable({ id = it.id, start = it.at, description = it.args.description,
                                   billable = it.args.billable, ["local"] = true,
                                   task = it.args.tid and { id = it.args.tid } or nil }, entry_mt)
        elseif it.op == "stop" or it.op == "cancel" then
          running = false
        end
      elseif it.status == "failed" then
        failed[#failed + 1] = view(it)
      end
    end
  end
  return { running = running, pending = pending, failed = failed, learnt_at = st.at,
           gap = (st.running and running and running.id == st.running.id) and st.gap or nil }
end

-- }======


-- {====== writing

-- the file's lock held while fn runs (short: no network inside)
function Journal:_locked(fn, ...)
  local lock, why = file.lock(self.path, ".lock", self.lock_wait)
  if not lock then error("clickup.time.journal: the journal is locked: " .. tostring(why), 0) end
  local ok, a, b = pcall(fn, ...)
  lock:unlock()
  if not ok then error(a, 0) end
  return a, b
end

function Journal:_append(recs)
  return self:_locked(function()
    local ok, err = file.append(self.path, recs)
    if not ok then error("clickup.time.journal: " .. tostring(err), 0) end
    return true
  end)
end

local function new_id(now)
  counter = counter + 1
  return ("%x-%x-%d"):format(now, clickup.core.getpid(), counter)
end

-- the time of an intent: now, or the time the caller gives (backdating)
local function when_of(self, at)
  if at == nil then return self.now() end
  if type(at) == "string" then
    local ms, why = require("clickup.time.when").parse(at, { now = self.now() })
    if not ms then error("clickup.time.journal: bad 'at' (" .. tostring(why) .. ")", 3) end
    return ms
  end
  if type(at) ~= "number" then error("clickup.time.journal: bad 'at' (ms or a moment expected)", 3) end
  return at
end

-- }======


-- {====== sync: the pending intents, in order, through the client

local Control = {}     -- errors that end an intent's turn: { control = "unreachable" | "refused", err = }

local function is_control(x) return type(x) == "table" and getmetatable(x) == Control end

local GONE_CODES = { OAUTH_018 = true, OAUTH_023 = true, ITEM_013 = true }

--- Could ClickUp not be reached (keep the intent for later), or did it refuse (for good)?
function M.classify(err)
  if type(err) ~= "table" then return "unreachable" end
  if err.kind == "api" and err.status and err.status >= 400 and err.status < 500 and err.status ~= 429 then
    return "refused"
  end
  return "unreachable"       -- transport, 5xx, 429 beyond max_wait, a 2xx that is not ClickUp's
end

local function gone(err)
  return type(err) == "table" and err.kind == "api" and (err.status == 404 or GONE_CODES[err.code])
end

-- The client's methods as plain calls for a sync's body: blocking, or run
-- in a coroutine that yields until each call's callback (which may come at
-- once, before the yield).
local function blocking_call(client, via)
  if via then return function(name, ...) return via(client, name, ...) end end
  return function(name, ...) return client[name](client, ...) end
end

local function run_async(client, body, done)
  local co
  local function step(...)
    local ok, r = coroutine.resume(co, ...)
    if not ok then return done(false, r) end
    if coroutine.status(co) == "dead" then return done(true, r) end
  end
  local function call(name, ...)
    local n = select("#", ...)
    local args = { ... }
    local early, waiting
    args[n + 1] = function(r, err)
      if waiting then step(r, err) else early = { r, err } end
    end
    client[name](client, unpack(args, 1, n + 1))
    if early then return early[1], early[2] end
    waiting = true
    return coroutine.yield()
  end
  co = coroutine.create(function() return body(call) end)
  step()
end

-- the steps' context for one sync
function Journal:_ctx(client, call, async)
  local j = self
  -- a pcall that lets the body yield (async, Lua 5.1); the plain one blocking, where
  -- the interpreter's Ctrl-C hook, set on the main thread, must see the calls
  local ctx = { cur = nil, pcall = async and replay.pcall or pcall }
  local function checked(may_be_gone, name, ...)
    local r, err = call(name, ...)
    if r == nil and err ~= nil then
      if may_be_gone and gone(err) then return nil end
      error(setmetatable({ control = M.classify(err), err = err }, Control), 0)
    end
    return r
  end
  function ctx.call(name, ...) return checked(false, name, ...) end
  function ctx.maybe(name, ...) return checked(true, name, ...) end
  ctx.now = self.now
  function ctx.skew()
    local b = client._budget
    return (b and b.offset) and 2000 or 300000
  end
  function ctx.attempt(it, name)
    j:_append{ { t = "attempt", id = it.id, step = name, ts = j.now() } }
    it.attempts[name] = { ts = j.now() }
    j.hook("attempt", it)
  end
  function ctx.unsent(it, name)
    j:_append{ { t = "unsent", id = it.id, step = name } }
    it.attempts[name] = nil
  end
  function ctx.step_done(it, name, value)
    j.hook("sent", it)
    local rec = { t = "step", id = it.id, step = name }
    if type(value) == "table" and value.id then rec.entry = summary(value) elseif value ~= nil then
      rec.value = value
    end
    j:_append{ rec }
    it.steps[name] = { value = value }
  end
  local st = self:_state()
  ctx.state = {
    set_running = function(e, gap)
      j:_set_state{ ws = client.team_id, running = e and summary(e) or false, gap = gap, at = j.now() }
      st = j:_state()
    end,
    gap_of = function(id)
      if st.running and st.running.id == id then return st.gap end
    end,
  }
  return ctx
end

-- the end of an intent: an ack record
function Journal:_ack(it, outcome, extra)
  local rec = { t = "ack", id = it.id, outcome = outcome, ts = self.now() }
  for k, v in pairs(extra or {}) do rec[k] = v end
  self:_append{ rec }
  it.status, it.ack = outcome == "failed" and "failed" or "done", rec
  self.hook("ack", it)
end

-- compaction: when nothing is pending, keep only what failed (and what we do not know)
function Journal:_compact()
  self:_locked(function()
    local list, _, foreign = self:_fold()
    local lines = {}
    for _, it in ipairs(list) do
      if it.status == "pending" then return end
      if it.status == "failed" then
        for _, l in ipairs(it.lines) do lines[#lines + 1] = l end
      end
    end
    for _, l in ipairs(foreign) do lines[#lines + 1] = l end
    file.replace(self.path, lines)
  end)
end

-- replay one intent: true when it is over, false when ClickUp could not be reached
function Journal:_replay_one(ctx, it)
  local ok, r = ctx.pcall(replay.ops[it.op], ctx, it)
  if ok then
    local result = r
    local extra = {}
    if type(result) == "table" and result.id then
      extra.entry = summary(result)
    elseif type(result) == "table" then
      local list = {}
      for i, e in ipairs(result) do list[i] = summary(e) end
      extra.entries = list
    end
    local outcome = (result == "cancelled" and "cancelled") or (result == "merged" and "merged") or "sent"
    self.results[it.id] = { result }
    self:_ack(it, outcome, extra)
    return true
  end
  if not is_control(r) then error(r, 0) end        -- a bug, or a programmer's mistake: raised
  if r.control == "refused" then
    local e = r.err
    self.results[it.id] = { nil, e }
    self:_ack(it, "failed", { code = e.code, status = e.status, message = e.message })
    return true
  end
  self.last_error = r.err
  return false
end

-- the sync's body: every pending intent of the client's workspace, in order
function Journal:_sync_body(client, call, async)
  local summary_ = { sent = {}, failed = {}, pending = 0 }
  local ws = client.team_id and tostring(client.team_id)
  local ctx                                  -- made for the first intent to send
  local done_ids = {}
  while true do
    local list = self:_fold()
    local todo
    for _, it in ipairs(list) do
      if it.status == "pending" and it.ws == ws and not done_ids[it.id] then
        todo = it
        break
      end
    end
    if not todo then break end
    done_ids[todo.id] = true
    ctx = ctx or self:_ctx(client, call, async)
    if not self:_replay_one(ctx, todo) then
      summary_.error = self.last_error
      break
    end
    local v = view(todo)
    if todo.status == "failed" then summary_.failed[#summary_.failed + 1] = v
    else summary_.sent[#summary_.sent + 1] = v end
    -- a start merged with its stop (or cancelled with it) ends both
    if todo.op == "start" and todo.ended_by and todo.ended_by.op ~= "start" then
      local other = todo.ended_by
      self:_ack(other, todo.status == "failed" and "failed" or "merged",
                todo.status == "failed" and { code = todo.ack.code, message = "its start failed" }
                or { entry = todo.ack.entry })
      self.results[other.id] = self.results[todo.id]
      done_ids[other.id] = true
      local ov = view(other)
      if other.status == "failed" then summary_.failed[#summary_.failed + 1] = ov
      else summary_.sent[#summary_.sent + 1] = ov end
    end
  end
  for _, it in ipairs(self:_fold()) do
    if it.status == "pending" and it.ws == ws then summary_.pending = summary_.pending + 1 end
  end
  if summary_.pending == 0 then self:_compact() end
  local b = client._budget
  if b and b.offset and math.abs(b.offset) > 60000 and not self.warned.clock then
    self.warned.clock = true
    summary_.clock_skew_ms = b.offset
  end
  return summary_
end

--- Send the pending intents of the client's workspace, in order. Returns
-- { sent = {…}, failed = {…}, pending = n, error = why it stopped, busy =
-- true when another process was sending (nothing was sent), clock_skew_ms
-- (once, when the local clock is more than a minute off ClickUp's) }.
-- With a callback, does not block (another process sending: busy at once):
-- callback(summary).
function Journal:sync(client, callback)
  if type(callback) == "function" then
    local lock = file.lock(self.path, ".send", 0)
    if not lock then
      return callback{ sent = {}, failed = {}, pending = #self:pending(), busy = true }
    end
    return run_async(client, function(call) return self:_sync_body(client, call, true) end, function(ok, r)
      lock:unlock()
      if not ok then error(r, 0) end
      callback(r)
    end)
  end
  local lock = file.lock(self.path, ".send", self.lock_wait)
  if not lock then return { sent = {}, failed = {}, pending = #self:pending(), busy = true } end
  local ok, r = pcall(self._sync_body, self, client, blocking_call(client, self.call))
  lock:unlock()
  if not ok then error(r, 0) end
  return r
end

-- }======


-- {====== what a person is told

M.VERB = { start = "start", stop = "stop", log = "log", edit = "change", delete = "delete", cancel = "cancel" }

--- What a person is told of an intent that waits: "ClickUp unreachable:
-- stop at 17:32 recorded, it will be sent" (the command and Neovim say it).
function M.queued_line(v)
  local what = M.VERB[v.op] or v.op
  if v.op == "log" and v.args and v.args.start then
    local stop = v.args["end"] or (v.args.duration and v.args.start + v.args.duration)
    what = ("log of %s-%s"):format(os.date("%H:%M", floor(v.args.start / 1000)),
                                   stop and os.date("%H:%M", floor(stop / 1000)) or "?")
  else
    what = what .. " at " .. os.date("%H:%M", floor(v.at / 1000))
  end
  if v.reason == "busy" then
    return ("another clickup-time is sending: %s recorded, it will be sent"):format(what)
  end
  if type(v.reason) == "table" and v.reason.outcome == "unknown" then
    return ("ClickUp did not answer: %s recorded; ClickUp may have it already, which is checked "
            .. "before it is sent again"):format(what)
  end
  return ("ClickUp unreachable: %s recorded, it will be sent"):format(what)
end

-- }======


-- {====== the writes

-- what a write returns once its intent is over, from the journal (when this
-- process did not send it, or a later process reads it)
local function result_of(v)
  if v.status == "failed" then
    return nil, clickup.error("api", v.code or "refused", v.message or "ClickUp refused it",
                              { status = v.http_status })
  end
  if v.entry then return as_entry(v.entry) end
  if v.outcome == "cancelled" then return false end
  if v.op == "stop" or v.op == "cancel" then return false end
  if v.op == "delete" then return (v.entries or {}) end
  return true
end

local function view_of(self, id)
  for _, v in ipairs(self:intents()) do if v.id == id then return v end end
end

-- Record an intent, flushed to the disk, then send what is pending in
-- order: what the call returns; or the intent, queued; or nil, ClickUp's
-- error and the intent (failed).
function Journal:_write(client, op, args, at, callback)
  local ws = client.team_id and tostring(client.team_id)
  if not ws then
    error("clickup.time.journal: " .. op .. ": no workspace: pass team_id to clickup.new", 3)
  end
  local rec = { t = "intent", id = new_id(at), ws = ws, op = op, at = at, args = args }
  self.hook("before", rec)
  self:_append{ rec }
  self.hook("intent", rec)
  local function outcome(sm)
    local mine = self.results[rec.id]
    self.results[rec.id] = nil
    if mine then
      if mine[1] == nil then return nil, mine[2], view_of(self, rec.id) end
      return mine[1], mine[2]
    end
    for _, v in ipairs(self:intents()) do
      if v.id == rec.id then
        if v.status ~= "pending" then return result_of(v) end
        v.reason = sm.busy and "busy" or sm.error
        return v
      end
    end
    -- compacted away by another process that sent it: it is over, its result unknown here
    return true
  end
  if callback then
    return self:sync(client, function(sm) callback(outcome(sm)) end)
  end
  return outcome(self:sync(client))
end

local function split_at(fields)
  local f = copy(fields)
  local at = f.at
  f.at = nil
  return f, at
end

--- Start a timer: fields as client:start takes them, and `at` (a time in
-- the past: the timer started then; see replay).
function Journal:start(client, fields, callback)
  if type(fields) == "function" then fields, callback = nil, fields end
  local f, at = split_at(fields)
  f = client:prepare("start", f)
  return self:_write(client, "start", f, when_of(self, at), callback)
end

-- what the journal believes runs: a pending start (its intent), or ClickUp's
-- last known timer; or the caller's entry (opts.target, what it just read)
function Journal:_running_target(ws, target)
  if type(target) == "table" and target.id and target.start then return { id = target.id, start = target.start } end
  local st = self:status(ws)
  local r = st.running
  if r and not r["local"] then return { id = r.id, start = r.start } end
  return nil
end

--- Stop the running timer; opts.at: when (default now); opts.target: the
-- running entry as the caller knows it (default: as the journal knows it).
function Journal:stop(client, opts, callback)
  if type(opts) == "function" then opts, callback = nil, opts end
  opts = opts or {}
  local at = when_of(self, opts.at)
  return self:_write(client, "stop", { target = self:_running_target(client.team_id, opts.target) }, at, callback)
end

--- Discard the running timer (opts.target as for stop).
function Journal:cancel(client, opts, callback)
  if type(opts) == "function" then opts, callback = nil, opts end
  opts = opts or {}
  return self:_write(client, "cancel", { target = self:_running_target(client.team_id, opts.target) },
                     when_of(self, opts.at), callback)
end

--- Log a manual entry: fields as client:create takes them.
function Journal:log(client, fields, callback)
  local f = client:prepare("create", fields)
  return self:_write(client, "log", f, self.now(), callback)
end

local function is_local(id) return type(id) == "string" and id:find("-", 1, true) ~= nil end

-- the pending intent of a local id (a log or a start not sent yet), or nil
function Journal:_local(id)
  local _, by = self:_fold()
  local it = by[id]
  if it and it.status == "pending" and (it.op == "log" or it.op == "start") then return it end
end

--- Change an entry: fields as client:update takes them; opts.add_tags,
-- opts.remove_tags (names). An entry that exists only in the journal (a
-- log or a start not sent yet) is changed in the journal.
function Journal:edit(client, id, fields, opts, callback)
  if type(opts) == "function" then opts, callback = nil, opts end
  opts = opts or {}
  if is_local(id) then
    local it = self:_local(id)
    if not it then error("clickup.time.journal: edit: no entry " .. tostring(id) .. " waits in the journal", 2) end
    local amend = copy(fields)
    amend.tag_action = nil
    self:_append{ { t = "amend", id = id, args = amend } }
    local v = view(self:_local(id))
    v["local"] = true
    if callback then return callback(v) end
    return v
  end
  local f = {}
  if fields and next(fields) ~= nil then f = select(2, client:prepare("update", id, fields)) end
  return self:_write(client, "edit", { target = id, fields = f, add_tags = opts.add_tags,
                                       remove_tags = opts.remove_tags }, self.now(), callback)
end

--- Delete entries (one id or a list): those that exist only in the journal
-- are dropped from it; the others go to ClickUp.
function Journal:delete(client, ids, callback)
  if type(ids) ~= "table" then ids = { ids } end
  local remote, dropped = {}, {}
  for _, id in ipairs(ids) do
    if is_local(id) then
      local it = self:_local(id)
      if not it then error("clickup.time.journal: delete: no entry " .. tostring(id) .. " waits in the journal", 2) end
      self:_ack(it, "dropped")
      dropped[#dropped + 1] = { id = id, ["local"] = true }
    else
      remote[#remote + 1] = id
    end
  end
  if #remote == 0 then
    if callback then return callback(dropped) end
    return dropped
  end
  client:prepare("delete", remote)
  local function merge(r, err)
    if type(r) == "table" and r.queued == nil then
      for _, d in ipairs(dropped) do r[#r + 1] = d end
    end
    return r, err
  end
  if callback then
    return self:_write(client, "delete", { targets = remote }, self.now(), function(r, e) callback(merge(r, e)) end)
  end
  return merge(self:_write(client, "delete", { targets = remote }, self.now()))
end

--- Forget an intent (a failed one, or one not sent yet): it is never sent.
function Journal:drop(id)
  local _, by = self:_fold()
  local it = by[id]
  if not it then return nil, "no intent " .. tostring(id) end
  if it.status == "done" then return nil, "intent " .. tostring(id) .. " was sent already" end
  self:_ack(it, "dropped")
  self:_compact()
  return true
end

-- }======


return M
