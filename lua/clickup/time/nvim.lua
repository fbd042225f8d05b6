--- clickup.time.nvim: ClickUp time tracking inside Neovim, never blocking it.
--
-- plugin/clickup-time.lua defines :ClickUp and the older :ClickUpStart,
-- :ClickUpStop, :ClickUpStatus and :ClickUpLog; they load this module when
-- they first run. Configuration comes from vim.g.clickup_time, an optional
-- setup{} (which only records it), and the environment:
--
--     vim.g.clickup_time = { token_cmd = { "pass", "clickup" }, team_id = "9012345" }
--
-- Nothing raises at startup and no command shows a traceback: a missing
-- token or workspace is one vim.notify when a command runs, and a warning
-- in :checkhealth clickup.time. Every request is non-blocking (the client is
-- attached to Neovim's libuv loop); results reach the user with vim.notify,
-- through vim.schedule.
--
-- The statusline (statusline()) reads a cache, refreshed by at most one
-- request per refresh interval whatever happens; after a failure it backs
-- off, doubling up to 15 minutes, shows "⏱ ?" and notifies once.
--
-- The forgotten-timer guard: when a timer runs and the editor has been idle
-- longer than `idle_minutes`, the user is asked on return (vim.ui.select)
-- whether to keep the time, trim the entry back to when they went idle, or
-- discard it.
--
-- See :help clickup-time (doc/clickup-time.txt) for every command and option.

local taskref = require "clickup.time.taskref"

local vim = rawget(_G, "vim")
local type, pairs, ipairs, tostring, pcall, select = type, pairs, ipairs, tostring, pcall, select
local min, max, floor = math.min, math.max, math.floor
local concat = table.concat
local unpack = table.unpack or unpack

local M = {}

local MINUTE = 60000
local MAX_BACKOFF_MS = 15 * MINUTE

-- options of this module; the rest go to clickup.new
local PLUGIN_OPTIONS = {
  token_cmd = true, journal = true, idle_minutes = true, refresh_seconds = true, icon = true, git_branch = true,
  recent_days = true, custom_pattern = true, id_pattern = true, min_id_length = true, is_task = true,
  week_start = true,
}
local DEFAULTS = { idle_minutes = 15, refresh_seconds = 60, icon = "⏱ ", git_branch = true, recent_days = 30 }

local options = nil               -- what setup{} was given
local state = nil                 -- the running plugin: client, caches, guard
local broken = nil                -- { until_ms }: no client could be made; the statusline waits


-- {====== messages

local function notify(msg, level)
  vim.notify("ClickUp: " .. msg, level or vim.log.levels.INFO)
end

local function warn(msg) notify(msg, vim.log.levels.WARN) end

-- one line, without the library's prefix or a "file:line:" of ours
local function one_line(err)
  local s = tostring(err):gsub("^[^\n]-%.lua:%d+: ", ""):gsub("^clickup%.time: ", "")
  return (s:gsub("%s*\n.*$", ""))
end

local function fail(what, err)
  notify(what .. " failed: " .. one_line(err), vim.log.levels.ERROR)
end

local function label(e)
  if e.task and e.task.name then return e.task.name end
  if e.description and e.description ~= "" then return e.description end
  return "timer"
end

local function hm(ms) return require("clickup.time.duration").format(ms) end

-- }======


-- {====== configuration and the client

--- The configuration in effect: defaults, then vim.g.clickup_time, then setup{}.
function M.config()
  local cfg = {}
  for k, v in pairs(DEFAULTS) do cfg[k] = v end
  local g = vim and vim.g.clickup_time
  for _, layer in ipairs{ type(g) == "table" and g or {}, options or {} } do
    for k, v in pairs(layer) do cfg[k] = v end
  end
  return cfg
end

local function env(name)
  local v = os.getenv(name)
  if v ~= nil and v ~= "" then return v end
end

--- Where the token comes from: "setup", "vim.g.clickup_time", "CLICKUP_TOKEN",
-- "token_cmd" or nil. Never the token itself.
function M.token_source(cfg)
  cfg = cfg or M.config()
  if options and options.token then return "setup" end
  if cfg.token then return "vim.g.clickup_time" end
  if env("CLICKUP_TOKEN") then return "CLICKUP_TOKEN" end
  if cfg.token_cmd then return "token_cmd" end
  return nil
end

-- the token, or nil and why; token_cmd runs once per session (its output is
-- kept in memory only, never in a variable that shada could save)
local token_cache = nil
local function token_of(cfg)
  local t = cfg.token or env("CLICKUP_TOKEN")
  if t then return t end
  local cmd = cfg.token_cmd
  if not cmd then
    return nil, "no token: set $CLICKUP_TOKEN, or token / token_cmd in vim.g.clickup_time (:help clickup-time-config)"
  end
  if token_cache and token_cache.cmd == cmd then return token_cache.token end
  local ok, out = pcall(vim.fn.system, cmd)
  local code = vim.v.shell_error
  if not ok or code ~= 0 then
    return nil, ("token_cmd failed (exit status %s)"):format(ok and tostring(code) or "?")
  end
  local token = type(out) == "string" and out:match("^%s*(%S+)%s*$")
  if not token then return nil, "token_cmd printed no token" end
  token_cache = { cmd = cmd, token = token }
  return token
end

--- The taskref rule of the configuration.
function M.task_rule(cfg)
  cfg = cfg or M.config()
  return { custom_pattern = cfg.custom_pattern, id_pattern = cfg.id_pattern,
           min_id_length = cfg.min_id_length, is_task = cfg.is_task }
end

local function client_options(cfg, token, team_id)
  local o = {}
  for k, v in pairs(cfg) do
    if not PLUGIN_OPTIONS[k] then o[k] = v end
  end
  o.token, o.team_id = token, team_id
  return o
end

local start_guard

-- a client of the configuration attached to Neovim's loop, or nil and why
local function make_client(cfg, team_id)
  local token, why = token_of(cfg)
  if not token then return nil, why end
  local ok, clickup = pcall(require, "clickup.time")
  if not ok then return nil, one_line(clickup) end
  local made, client = pcall(clickup.new, client_options(cfg, token, team_id or cfg.team_id))
  if not made then return nil, (one_line(client):gsub("^clickup%.time%.new: ", "")) end
  local detach = require("clickup.time.uv").attach(client, { uv = vim.uv or vim.loop, schedule = vim.schedule })
  return client, detach
end

--- A client of the configuration that is not attached to the loop: its
-- calls block (for :checkhealth). Raises when there is no token.
function M.make_blocking_client(cfg)
  local token, why = token_of(cfg)
  if not token then error(why, 0) end
  return require("clickup.time").new(client_options(cfg, token, cfg.team_id))
end

local function new_state(cfg)
  local refresh_ms = (tonumber(cfg.refresh_seconds) or 60) * 1000
  return {
    cfg = cfg, rule = M.task_rule(cfg), icon = cfg.icon,
    -- statusline cache and its backoff
    cache = nil, refresh_ms = refresh_ms, next_refresh = 0, refreshing = false, failures = 0,
    failed = false, notified = false,
    -- the guard
    idle_ms = cfg.idle_minutes ~= false and (tonumber(cfg.idle_minutes) or 15) * MINUTE or nil,
    idle_since = nil, asking = false,
    -- recent tasks, for the picker and completion
    recent = nil, recent_at = -math.huge,
    waiting = nil,            -- callbacks waiting for the workspace
  }
end

--- The journal of the configuration (clickup.time.journal): `journal` a
-- path, or false (writes straight to ClickUp); default
-- $XDG_STATE_HOME/clickup-time/journal, shared with the clickup-time command.
function M.open_journal(cfg)
  local setting = cfg.journal
  if setting == false then return nil end
  local ok, journal = pcall(require, "clickup.time.journal")
  if not ok then return nil end
  local j = journal.open{ path = type(setting) == "string" and setting or nil, lock_wait = 0 }
  return j
end

--- The running state, made on first use: nil and why when there is no
-- client to be had (no token, a bad option).
local function get_state()
  if state and state.client then return state end
  local cfg = M.config()
  local client, detach = make_client(cfg)
  if not client then return nil, detach end
  state = new_state(cfg)
  state.client, state.detach = client, detach
  state.last_active = require("clickup.time").now_ms()
  state.journal = M.open_journal(cfg)
  start_guard(state)
  vim.schedule(function() M.sync() end)             -- what waits from an earlier session goes first
  return state
end

local function replace_client(st, team_id)
  local client, detach = make_client(st.cfg, team_id)
  if not client then return nil, detach end
  st.detach()
  st.client:close()
  st.client, st.detach = client, detach
  return true
end

-- Run k(st) once the client has a workspace: the configured one, or the
-- token's only workspace (GET /team). When there is none to be had, the
-- problem goes to on_problem(msg), or is notified; k is not run.
local function with_workspace(what, k, on_problem)
  local function problem(msg)
    if on_problem then on_problem(msg) else warn(msg) end
  end
  local st, why = get_state()
  if not st then return problem(why) end
  if st.client.team_id then return k(st) end
  local waiter = { k = k, problem = problem }
  if st.waiting then
    st.waiting[#st.waiting + 1] = waiter
    return
  end
  st.waiting = { waiter }
  st.client:teams(function(teams, err)
    local waiting = st.waiting
    st.waiting = nil
    local msg
    if not teams then
      msg = what .. " failed: " .. one_line(err)
    elseif #teams ~= 1 then
      local ids = {}
      for i, t in ipairs(teams) do ids[i] = t.id .. (t.name and (" (" .. t.name .. ")") or "") end
      msg = ("no workspace: the token has %d workspaces (%s): set team_id in vim.g.clickup_time or "
             .. "$CLICKUP_TEAM_ID"):format(#teams, concat(ids, ", "))
    else
      local ok, rerr = replace_client(st, teams[1].id)
      if not ok then msg = rerr end
    end
    for _, w in ipairs(waiting) do
      if msg then w.problem(msg) else w.k(st) end
    end
  end)
end

-- Run a command body: never a traceback; a mistake in it is one notice.
local function guarded(what, fn, ...)
  local ok, err = pcall(fn, ...)
  if not ok then fail(what, err) end
end

-- }======


-- {====== tasks

local function buffer_dir()
  local name = vim.api.nvim_buf_get_name(0)
  if name ~= "" and not name:find("^%a+://") then
    local dir = vim.fn.fnamemodify(name, ":p:h")
    if vim.fn.isdirectory(dir) == 1 then return dir end
  end
  return vim.fn.getcwd()
end

--- The task the current Git branch names (of the current buffer's folder,
-- else the working directory), or nil; and the branch.
function M.branch_task(cfg)
  cfg = cfg or M.config()
  local branch = taskref.git_branch(buffer_dir())
  return branch and taskref.from_branch(branch, M.task_rule(cfg)), branch
end

-- words -> request fields (tid, custom_task_ids, description) and where the task came from
local function task_fields(st, words)
  local ref, description = taskref.split(words, st.rule)
  local from
  if not ref and st.cfg.git_branch ~= false then
    local branch
    ref, branch = M.branch_task(st.cfg)
    if ref then from = branch end
  end
  local fields = taskref.fields(ref)
  fields.description = description
  return fields, from
end

-- flags among words: --billable, --tag=name (repeatable), --by=key ...; the rest are words
local function flags_of(words)
  local flags, rest = { tag = {}, by = {}, rate = {} }, {}
  for _, w in ipairs(words or {}) do
    local k, v = w:match("^%-%-([%w_-]+)=(.*)$")
    if k and type(flags[k]) == "table" then
      flags[k][#flags[k] + 1] = v
    elseif k then
      flags[k] = v
    elseif w:match("^%-%-[%w_-]+$") then
      flags[w:sub(3)] = true
    else
      rest[#rest + 1] = w
    end
  end
  return flags, rest
end
M.flags_of = flags_of

-- the recent tasks: one item per task of the last `recent_days` days of
-- entries, most recent first, with its total time
local function recent_tasks(list)
  local by, items = {}, {}
  for _, e in ipairs(list) do
    local t = e.task
    if t and t.id then
      local item = by[t.id]
      if not item then
        item = { id = t.id, custom_id = t.custom_id, name = t.name or t.id, ms = 0, last = e.start }
        by[t.id] = item
        items[#items + 1] = item
      end
      item.ms = item.ms + max(0, e:elapsed())
      if e.start > item.last then item.last = e.start end
    end
  end
  table.sort(items, function(a, b)
    if a.last ~= b.last then return a.last > b.last end
    return a.id < b.id
  end)
  return items
end

-- fetch the recent tasks (k(items) or k(nil, err))
local function fetch_recent(st, k)
  st.client:entries({ range = "last " .. (tonumber(st.cfg.recent_days) or 30) .. " days" }, function(list, err)
    if not list then return k(nil, err) end
    st.recent, st.recent_at = recent_tasks(list), require("clickup.time").now_ms()
    k(st.recent)
  end)
end

--- The task ids of recent entries as the last fetch saw them (for
-- completion; a fetch is started when they are older than 10 minutes).
function M.recent_ids()
  local st = state
  if not st or not st.client then return {} end
  if require("clickup.time").now_ms() - st.recent_at > 10 * MINUTE and not st.fetching_recent then
    st.fetching_recent = true
    with_workspace("tasks", function()
      fetch_recent(st, function() st.fetching_recent = false end)
    end, function() st.fetching_recent = false end)
  end
  local ids = {}
  for i, t in ipairs(st.recent or {}) do ids[i] = t.custom_id or t.id end
  return ids
end

-- }======


-- {====== commands

-- What a command learnt of the running timer; it outdates any statusline
-- refresh still in flight (its answer may predate the command's).
local function set_running(st, e)
  st.cache = e or nil
  st.failed, st.failures = false, 0
  st.generation = (st.generation or 0) + 1
  st.next_refresh = require("clickup.time").now_ms() + st.refresh_ms
end

-- Writes go one at a time (each sends what waits before it): fn(next) runs
-- when the one before has called its next().
local function serial(st, fn)
  st.queue = st.queue or {}
  st.queue[#st.queue + 1] = fn
  if st.busy then return end
  local function pump()
    local f = table.remove(st.queue, 1)
    if not f then st.busy = false return end
    st.busy = true
    local ok, err = pcall(f, function() vim.schedule(pump) end)
    if not ok then
      st.busy = false
      fail("write", err)
    end
  end
  pump()
end

-- A write through the journal (when it is on): k(result, err) when ClickUp
-- answered; the one line of a write that waits in the journal otherwise.
local function write(st, op, a, k)
  local j = st.journal
  if not j then                                     -- straight to ClickUp
    local direct = { start = "start", stop = "stop", log = "create" }
    if op == "cancel" then
      return st.client:stop(function(e, err)
        if not e then return k(e, err) end
        st.client:delete(e.id, function(r, derr) k(r and e, derr) end)
      end)
    end
    return st.client[direct[op]](st.client, a, k)
  end
  serial(st, function(next)
    local function done(r, err, view)
      next()
      if type(r) == "table" and r.queued then
        if op == "start" then set_running(st, j:status(st.client.team_id).running) end
        if op == "stop" or op == "cancel" then set_running(st, nil) end
        return notify(require("clickup.time.journal").queued_line(r))
      end
      if r == nil and view and view.status == "failed" then j:drop(view.id) end
      k(r, err)
    end
    if op == "start" then j:start(st.client, a, done)
    elseif op == "log" then j:log(st.client, a, done)
    else j[op](j, st.client, a or {}, done) end
  end)
end

--- Send what waits in the journal (on a timer, on focus): the sent and the
-- refused are notified.
function M.sync()
  local st = state
  if not (st and st.client and st.journal and st.client.team_id) then return end
  if not st.journal:has_intents() or st.syncing then return end
  st.syncing = true
  serial(st, function(next)
    st.journal:sync(st.client, function(sm)
      st.syncing = false
      next()
      local sent = 0
      for _, v in ipairs(sm.sent) do if v.outcome ~= "merged" then sent = sent + 1 end end
      if sent > 0 then
        notify(("sent %d change%s recorded while ClickUp was unreachable"):format(sent, sent == 1 and "" or "s"))
        st.next_refresh = 0                           -- the statusline asks again
      end
      for _, v in ipairs(sm.failed) do
        warn(("ClickUp refused a %s recorded offline: %s (:lua require'clickup.time.journal'.open():drop'%s')")
             :format(v.op, v.code or "?", v.id))
      end
      if sm.clock_skew_ms then
        warn(("this computer's clock is %d s off ClickUp's; times are taken from it")
             :format(floor(sm.clock_skew_ms / 1000 + 0.5)))
      end
    end)
  end)
end

--- :ClickUp start [task] [description] [--billable] [--tag=name]...
function M.start(words)
  with_workspace("start", function(st)
    local flags, rest = flags_of(words)
    local fields, from = task_fields(st, rest)
    fields.billable = flags.billable and true or nil
    if #flags.tag > 0 then fields.tags = flags.tag end
    local before = st.cache
    write(st, "start", fields, function(e, err)
      if not e then return fail("start", err) end
      set_running(st, e)
      local msg = "started " .. label(e)
      if from then msg = msg .. " (from branch " .. from .. ")" end
      if before and before.id ~= e.id then
        msg = msg .. (", stopped %s after %s"):format(label(before), hm(before:elapsed()))
      end
      notify(msg)
    end)
  end)
end

--- :ClickUp stop
function M.stop()
  with_workspace("stop", function(st)
    write(st, "stop", nil, function(e, err)
      if e == nil then return fail("stop", err) end
      set_running(st, nil)
      if not e then return notify("no timer was running") end
      notify(("stopped %s after %s"):format(label(e), hm(e:elapsed())))
    end)
  end)
end

--- :ClickUp status
function M.status()
  with_workspace("status", function(st)
    st.client:current(function(e, err)
      if e == nil then return fail("status", err) end
      set_running(st, e)
      if not e then return notify("no timer running") end
      notify(("%s: %s"):format(label(e), hm(e:elapsed())))
    end)
  end)
end

--- :ClickUp cancel: discard the running timer (stop it, then delete its entry).
function M.cancel()
  with_workspace("cancel", function(st)
    local before = st.cache
    write(st, "cancel", nil, function(e, err)
      if e == nil then return fail("cancel", err) end
      set_running(st, nil)
      if not e then return notify("no timer was running") end
      local gone = type(e) == "table" and e.id and e or before
      notify(("discarded %s (%s)"):format(gone and label(gone) or "the timer",
                                          gone and gone.start and hm(max(0, gone:elapsed())) or "?"))
    end)
  end)
end

--- :ClickUp log {duration} [task] [description]: a manual entry ending now.
function M.log(words)
  local flags, rest = flags_of(words)
  local duration = require "clickup.time.duration"
  local ms, why = duration.parse(rest[1] or "")
  if not ms or ms <= 0 then
    return warn("usage: :ClickUp log {duration like 1h30m} [task] [description]"
                .. (why and (" (" .. why .. ")") or ""))
  end
  with_workspace("log", function(st)
    local fields = task_fields(st, { select(2, unpack(rest)) })
    local now = require("clickup.time").now_ms()
    fields.start, fields.duration = now - ms, ms
    fields.billable = flags.billable and true or nil
    if #flags.tag > 0 then fields.tags = flags.tag end
    write(st, "log", fields, function(e, err)
      if not e then return fail("log", err) end
      notify(("logged %s on %s"):format(duration.format(e.duration), label(e)))
    end)
  end)
end

-- a scratch buffer in a split, named and filled with lines; q closes it
local function scratch(name, lines)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].buftype, vim.bo[buf].bufhidden, vim.bo[buf].swapfile = "nofile", "wipe", false
  vim.bo[buf].modifiable, vim.bo[buf].filetype = false, "clickup-time"
  pcall(vim.api.nvim_buf_set_name, buf, "clickup-time://" .. name)
  vim.cmd("botright split")
  vim.api.nvim_win_set_buf(0, buf)
  vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = buf, nowait = true, silent = true })
  return buf
end

local function lines_of(s)
  local lines = {}
  for line in (s:gsub("\n$", "") .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = line end
  return lines
end

--- :ClickUp entries [range]: the entries of a range (default today) in a scratch buffer.
function M.entries(words)
  local range = concat(words or {}, " ")
  if range == "" then range = "today" end
  with_workspace("entries", function(st)
    st.client:entries({ range = range }, function(list, err)
      if not list then return fail("entries", err) end
      local lines, total = { ("Entries, %s"):format(range), "" }, 0
      for _, e in ipairs(list) do
        local ms = max(0, e:elapsed())
        total = total + ms
        lines[#lines + 1] = ("%s  %s-%s  %8s  %-24s %s"):format(os.date("%a %m-%d", floor(e.start / 1000)),
          os.date("%H:%M", floor(e.start / 1000)), e["end"] and os.date("%H:%M", floor(e["end"] / 1000)) or "now  ",
          hm(ms), label(e), e.description or "")
      end
      lines[#lines + 1] = ""
      lines[#lines + 1] = ("%d entries, %s"):format(#list, hm(total))
      scratch("entries/" .. range, lines)
    end)
  end)
end

--- :ClickUp report [range] [--by=key]... [--round=15m[:mode]] [--rate=N|kind:KEY=N]...:
-- the report `clickup-time report` prints (clipped to the period, chart
-- included), in a scratch buffer. Default range: this week.
function M.report(words)
  local flags, rest = flags_of(words)
  local range = concat(rest, " ")
  if range == "" then range = "this week" end
  local report = require "clickup.time.report"
  local cfg = M.config()
  local ws = cfg.week_start or os.getenv("CLICKUP_WEEK_START")
  local now = require("clickup.time").now_ms()
  local from, to = require("clickup.time.when").range(range, { now = now, week_start = ws })
  if not from then return warn("report: " .. one_line(to)) end
  local round
  if flags.round then
    local r, why = report.parse_round(flags.round)
    if not r then return warn("report: --round=" .. flags.round .. ": " .. why) end
    round = { increment = r.increment, mode = r.mode or "up" }
  end
  local rate, rerr = report.parse_rates(flags.rate)
  if rerr then return warn("report: " .. rerr) end
  local opts = { by = #flags.by > 0 and flags.by or { "task" }, round = round, rate = rate,
                 period = { from, to }, week_start = ws, now = now }
  local ok, bad = pcall(report.build, {}, opts)         -- bad settings are found before any request
  if not ok then return warn("report: " .. one_line(bad)) end
  with_workspace("report", function(st)
    local params = report.fetch_params(opts)
    params.range, params.week_start = { from, to }, ws
    st.client:entries(params, function(list, err)
      if not list then return fail("report", err) end
      local r = report.build(list, opts)
      local width = max(60, min(100, vim.o.columns - 2))
      scratch("report/" .. range, lines_of(("Report, %s\n\n"):format(range) .. report.table(r, { width = width })))
    end)
  end)
end

--- :ClickUp tasks: pick one of the recent tasks (vim.ui.select: telescope,
-- fzf-lua and dressing show it their way) and start a timer on it.
function M.tasks()
  with_workspace("tasks", function(st)
    fetch_recent(st, function(items, err)
      if not items then return fail("tasks", err) end
      if #items == 0 then
        return notify(("no entries with a task in the last %d days"):format(tonumber(st.cfg.recent_days) or 30))
      end
      vim.ui.select(items, {
        prompt = "ClickUp: start a timer on",
        format_item = function(t)
          return ("%s  %s  (%s)"):format(t.custom_id or t.id, t.name, hm(t.ms))
        end,
      }, function(item)
        if item then M.start{ item.custom_id or item.id } end
      end)
    end)
  end)
end

local COMMANDS = {
  start = M.start, stop = M.stop, status = M.status, cancel = M.cancel, log = M.log,
  entries = M.entries, report = M.report, tasks = M.tasks,
}
M.SUBCOMMANDS = { "start", "stop", "status", "cancel", "log", "entries", "report", "tasks" }

local RANGES = { "today", "yesterday", "this week", "last week", "this month", "last month", "last 7 days" }
local BY = { "task", "list", "folder", "space", "tag", "user", "billable", "day", "week", "month" }
local DURATIONS = { "15m", "30m", "45m", "1h", "1h30m", "2h" }

local function matching(list, lead)
  local out = {}
  for _, v in ipairs(list) do
    if v:sub(1, #lead) == lead then out[#out + 1] = v end
  end
  return out
end

--- Completion of :ClickUp (the complete= of nvim_create_user_command):
-- subcommands, then per subcommand its flags, recent task ids, ranges or
-- durations.
function M.complete(lead, line)
  local words = {}
  for w in line:gmatch("%S+") do words[#words + 1] = w end
  local n = #words - (lead ~= "" and 1 or 0)    -- words before the one being completed
  if n <= 1 then return matching(M.SUBCOMMANDS, lead) end
  local sub = words[2]
  local candidates = {}
  local function add(list) for _, v in ipairs(list) do candidates[#candidates + 1] = v end end
  if sub == "start" then
    if n == 2 then add(M.recent_ids()) end
    add{ "--billable", "--tag=" }
  elseif sub == "log" then
    if n == 2 then add(DURATIONS) elseif n == 3 then add(M.recent_ids()) end
    add{ "--billable", "--tag=" }
  elseif sub == "entries" then
    add(RANGES)
  elseif sub == "report" then
    add(RANGES)
    for _, b in ipairs(BY) do candidates[#candidates + 1] = "--by=" .. b end
    add{ "--round=15m", "--round=6m", "--rate=" }
  end
  return matching(candidates, lead)
end

--- Run ":ClickUp {subcommand} [args]" (or an older command as its subcommand).
function M.command(name, args)
  local fn = COMMANDS[name or ""]
  if not fn then
    return warn(("unknown command '%s': %s"):format(tostring(name), concat(M.SUBCOMMANDS, ", ")))
  end
  guarded(name, fn, args or {})
end

-- }======


-- {====== the statusline

--- The running timer and its live elapsed time, for 'statusline' and
-- lualine: "⏱ Task 1 1h 05m"; "" when none runs; "⏱ ?" when ClickUp could
-- not be asked. Never blocks and never raises: it reads a cache that at
-- most one non-blocking request per `refresh_seconds` refreshes; after a
-- failure the interval doubles, up to 15 minutes, and the failure is
-- notified once.
function M.statusline()
  local ok, s = pcall(function()
    local now = require("clickup.time").now_ms()
    local st = state
    if not (st and st.client) then
      if broken and now < broken.until_ms then return "" end
      st = get_state()
      if not st then                                   -- no token, a bad option: look again later
        broken = { until_ms = now + 60000 }
        return ""
      end
    end
    broken = nil
    if not st.refreshing and now >= st.next_refresh then
      st.refreshing = true
      st.next_refresh = now + st.refresh_ms            -- one request per interval, whatever happens
      local function failed(msg)
        st.refreshing = false
        st.failures, st.failed = st.failures + 1, true
        st.next_refresh = require("clickup.time").now_ms() + min(MAX_BACKOFF_MS, st.refresh_ms * 2 ^ st.failures)
        if not st.notified then
          st.notified = true
          warn("statusline: " .. msg)
        end
      end
      with_workspace("statusline", function()
        local generation = st.generation
        st.client:current(function(e, err)
          if e == nil then return failed(one_line(err)) end
          st.refreshing = false
          st.notified = false
          if st.generation == generation then set_running(st, e) end
        end)
      end, failed)
    end
    local e = st.cache
    if st.failed then
      return e and (st.icon .. label(e) .. " " .. hm(e:elapsed(now)) .. " ?") or (st.icon .. "?")
    end
    if not e then return "" end
    return st.icon .. label(e) .. " " .. hm(e:elapsed(now))
  end)
  return ok and s or ""
end

-- }======


-- {====== the forgotten-timer guard

local CHOICES = { "Keep the time", "Trim the entry to when I went idle", "Discard the entry" }

-- Ask what to do with the timer that ran while the user was away from `since` to `now`.
local function ask(st, since, now)
  st.client:current(function(e, err)
    if not e then
      st.asking = false
      if e == nil then fail("status", err) end
      return
    end
    local away = hm(now - since)
    vim.ui.select(CHOICES, { prompt = ("ClickUp: %s kept running while you were away for %s"):format(label(e), away) },
                  function(_, choice)
      local function done(msg) st.asking = false; if msg then notify(msg) end end
      if choice == 2 then
        st.client:update(e.id, { start = e.start, ["end"] = max(e.start, since) }, function(r, uerr)
          if r == nil then st.asking = false; return fail("trim", uerr) end
          set_running(st, nil)
          done(("trimmed %s to %s"):format(label(e), hm(max(0, since - e.start))))
        end)
      elseif choice == 3 then
        st.client:delete(e.id, function(r, derr)
          if r == nil then st.asking = false; return fail("discard", derr) end
          set_running(st, nil)
          done("discarded " .. label(e))
        end)
      else
        done("kept " .. label(e))
      end
    end)
  end)
end

--- The editor saw the user (an autocmd); on return from an idle spell with a timer running, ask.
function M.activity(now)
  local st = state
  if not st or not st.client then return end
  now = now or require("clickup.time").now_ms()
  local since = st.idle_since
  if since and not st.asking then
    st.idle_since, st.asking = nil, true
    ask(st, since, now)
  end
  st.last_active = now
end

--- The guard's clock: past `idle_minutes` without activity while a timer runs, the user is away.
function M.check_idle(now)
  local st = state
  if not st or not st.client or not st.idle_ms then return end
  now = now or require("clickup.time").now_ms()
  if st.cache and not st.idle_since and now - st.last_active >= st.idle_ms then
    st.idle_since = st.last_active
  end
end

function start_guard(st)
  local group = vim.api.nvim_create_augroup("ClickUpTime", { clear = true })
  local uv = vim.uv or vim.loop
  local timer = uv.new_timer()
  local every = st.idle_ms and max(1000, min(30000, floor(st.idle_ms / 4))) or 30000
  local sync_every, since_sync = 60000, 0
  timer:start(every, every, vim.schedule_wrap(function()
    since_sync = since_sync + every
    if since_sync >= sync_every then
      since_sync = 0
      M.sync()
    end
    M.check_idle()
    if st.cache and state == st then pcall(vim.cmd, "redrawstatus") end   -- the elapsed time stays live
  end))
  vim.api.nvim_create_autocmd("FocusGained", { group = group, callback = function() M.sync() end })
  if st.idle_ms then
    vim.api.nvim_create_autocmd({ "CursorMoved", "CursorMovedI", "InsertEnter", "TextChanged",
                                  "TextChangedI", "FocusGained", "CmdlineEnter" },
                                { group = group, callback = function() M.activity() end })
  end
  st.stop_guard = function()
    timer:stop()
    timer:close()
    pcall(vim.api.nvim_del_augroup_by_id, group)
  end
end

-- }======


--- Record options (they are read when the plugin is first used): token,
-- token_cmd, team_id, base_url, idle_minutes (15; false turns the guard
-- off), refresh_seconds (60), icon ("⏱ "), git_branch (true),
-- recent_days (30), custom_pattern / id_pattern / min_id_length / is_task
-- (which words are tasks: clickup.time.taskref), and any option of
-- clickup.new. Never raises; calling it again applies the new options.
function M.setup(opts)
  if opts ~= nil and type(opts) ~= "table" then
    if vim then warn("setup: expected a table of options, got " .. type(opts)) end
    return M
  end
  options = opts or {}
  M.reset()
  return M
end

--- Forget the client and caches (the next use starts afresh with the configuration).
function M.reset()
  if state then
    if state.stop_guard then state.stop_guard() end
    if state.detach then state.detach() end
    if state.client then state.client:close() end
  end
  state, broken = nil, nil
  token_cache = nil
end

--- The client in use (for scripts and tests), made on first use; nil and why.
function M.client()
  local st, why = get_state()
  return st and st.client, why
end

return M
