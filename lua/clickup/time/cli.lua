--- clickup.time.cli: the `clickup-time` command (bin/clickup-time).
--
--   clickup-time start [task] [description...] [-m text] [--at when] [--billable] [--tag name]... [--custom]
--   clickup-time stop [--at when] | cancel | status [--json] | tags
--   clickup-time continue [id|@n] [--at when]
--   clickup-time log <duration|FROM-TO> [task] [description...] [--at when] [-m text] [--billable] [--tag name]...
--   clickup-time entries [range] [--everyone] [--json|--csv] [--tag ..] [--billable] [--task ..] [--user ..]
--                        [--grep ..]
--   clickup-time edit <id|@n> [-m ...] [--start when] [--end when] [--duration d] [--task id] [--tag [+|-]name]...
--   clickup-time delete <id|@n>... [--yes]
--   clickup-time report [range] [--by key]... [--round 15m[:up|down|nearest]] [--rate ...]...
--                       [--csv|--csv-groups|--json|--md|--html FILE]
--   clickup-time completion bash|zsh|fish | help [command] | --version
--   clickup-time serve-fake [--port N] [--realistic]
--
-- Settings come from the flags, then the environment (CLICKUP_TOKEN,
-- CLICKUP_TEAM_ID, CLICKUP_BASE_URL, CLICKUP_WEEK_START), then the config
-- file (clickup.time.cli.config).
--
-- M.main(argv, opts) returns the exit status (clickup.time.cli.errors: 0, 1
-- no timer, 2 usage or configuration, 3 ClickUp unavailable or the outcome
-- unknown, 130 interrupted). Errors are one line, never a stack trace;
-- colour only on a terminal; progress and rate-limit waits on stderr, only
-- on a terminal.
--
-- The shape of a command, for the local journal (clickup.time.journal): each
-- command parses its arguments, makes the reads it needs (ctx.get), then ONE
-- write, ctx.call(op, ...), the only place the command changes anything,
-- and prints from the result. The writes are the journal's operations, with
-- its arguments: start(fields with at), stop{ at }, cancel{}, log(fields),
-- edit(id, fields, { add_tags, remove_tags }), delete(ids); here `Write`
-- makes each straight on ClickUp (a journal's methods take their place).

local clickup = require "clickup.time"
local duration = require "clickup.time.duration"
local lazy = require "clickup.time.lazy"           -- what only some commands need
local when = lazy "clickup.time.when"
local taskref = lazy "clickup.time.taskref"
local json = require "clickup.time.json"
local config = require "clickup.time.cli.config"
local errors = require "clickup.time.cli.errors"
local call = require "clickup.time.cli.call"
local cjournal = require "clickup.time.cli.journal"

local type, tostring, tonumber, ipairs, pairs, pcall = type, tostring, tonumber, ipairs, pairs, pcall
local floor, max = math.floor, math.max
local concat, sort = table.concat, table.sort

local M = {}

local DAY = 86400000
local RECENT_DAYS = 30
M.DAY = DAY
M.TIMEOUT, M.LONG_TIMEOUT = 20, 60

-- {====== the parser (clickup.time.cli.parser)

--- The argparse parser of the command. `state.early` is set by --help,
-- --version (which end the parse at once); the man page and the
-- completions are made from the same parser.
function M.parser(state)
  return require("clickup.time.cli.parser")(state)
end

-- }======


-- {====== output helpers

local function hm(ms) return duration.format(ms) end

local function clock(ms) return os.date("%H:%M", floor(ms / 1000)) end
local function day_of(ms) return os.date("%a %m-%d", floor(ms / 1000)) end
local function date_of(ms) return os.date("%Y-%m-%d", floor(ms / 1000)) end

local function label(e)
  if type(e.task) == "table" and (e.task.name or e.task.id) then return e.task.name or e.task.id end
  return "(no task)"
end

local Write = lazy "clickup.time.write"
local function tag_names(e) return Write.tag_names(e) end

-- "Tue 12-01 09:00-10:30", "... 09:00-now", "Sun 11-29 11:08-Tue 12-01 11:08"; paint (optional)
-- colours "now"
local function span(e, paint)
  local stop = e["end"]
  if not stop then return day_of(e.start) .. " " .. clock(e.start) .. "-" .. (paint and paint("now", "32") or "now") end
  if date_of(stop) ~= date_of(e.start) then
    return day_of(e.start) .. " " .. clock(e.start) .. "-" .. day_of(stop) .. " " .. clock(stop)
  end
  return day_of(e.start) .. " " .. clock(e.start) .. "-" .. clock(stop)
end

local function elapsed(e, now)
  if e["end"] == nil then return (now or clickup.now_ms()) - e.start end
  return e["end"] - e.start
end

-- the summary of an entry in a line: "Task 1: description"
local function what(e)
  local d = e.description
  return label(e) .. ((d and d ~= "") and (": " .. d) or "")
end

local textual = lazy "clickup.time.report.format"        -- display widths of UTF-8 text
local function width(s) return textual.width(s) end
local function rpad(s, w) return textual.rpad(s, w) end
local function lpad(s, w) return textual.lpad(s, w) end

local LISTS = { tags = true, task_tags = true }

-- an entry as plain data for JSON: empty lists are [], the metatable is gone
local function plain(v, key)
  if type(v) ~= "table" then return v end
  local out = {}
  local n = 0
  while v[n + 1] ~= nil do n = n + 1 end
  if n > 0 or LISTS[key] then out = json.array() end
  for k, x in pairs(v) do out[k] = plain(x, k) end
  return out
end

-- }======


-- {====== the parts of commands

-- A moment from a flag, or nil and a usage message.
local function moment(ctx, text, flag)
  local t, why = when.parse(text, { now = ctx.now })
  if not t then return nil, flag .. ": " .. errors.plain(why) end
  return t
end

-- --at as a time in the past: ms; nil without --at; or nil and a usage message.
local function past_at(ctx, a)
  if not a.at then return nil end
  local at, err = moment(ctx, a.at, "--at")
  if not at then return nil, err end
  if at > ctx.now then return nil, "--at: " .. a.at .. " is in the future" end
  return at
end

-- "Stopped ..." for the timer a start stopped
local function say_stopped(ctx, running, e)
  if running and running.id ~= e.id then
    ctx.out(("Stopped %s after %s (%s-%s)"):format(what(running), hm(max(0, e.start - running.start)),
                                                 clock(running.start), clock(e.start)))
  end
end

-- The task of the words (taskref, or the first word forced as a custom id), and the description.
local function task_and_text(ctx, words, custom)
  if custom then
    if not words[1] then return nil, nil, "--custom: which task? (clickup-time start DEV-42 ...)" end
    local rest = concat(words, " ", 2)
    return { id = words[1], custom = true }, rest ~= "" and rest or nil
  end
  local ref, text = taskref.split(words, ctx.taskref)
  return ref, text
end

-- the request fields of a task reference
local function task_fields(fields, ref)
  local f = taskref.fields(ref)
  fields.tid, fields.custom_task_ids = f.tid, f.custom_task_ids
  return fields
end

local function tag_list(names)
  if not names or #names == 0 then return nil end
  local out = {}
  for i, n in ipairs(names) do out[i] = n end
  return out
end

-- The entries of the last 30 days, most recent first: @1, @2, ...
local function recent(ctx)
  if ctx.recent then return ctx.recent end
  local now = ctx.now
  local list, err = ctx.get("entries", { start_date = now - RECENT_DAYS * DAY, end_date = now })
  if not list then return nil, err end
  local copy = {}
  for i, e in ipairs(list) do copy[i] = e end
  sort(copy, function(a, b)
    if a.start ~= b.start then return a.start > b.start end
    return a.id > b.id
  end)
  ctx.recent = copy
  return copy
end

-- id -> "@n" among the recent entries
local function ref_names(list)
  local names = {}
  for i, e in ipairs(list or {}) do names[e.id] = "@" .. i end
  return names
end

-- The entry id a word names: an id, or @n. Returns id, or nil, message, status.
local function resolve(ctx, word)
  local n = type(word) == "string" and word:match("^@(%d+)$")
  if not n then
    if type(word) ~= "string" or word == "" or word:find("%s") then
      return nil, "not an entry id: " .. tostring(word), errors.USAGE
    end
    return word
  end
  n = tonumber(n)
  local list, err = recent(ctx)
  if not list then return nil, err end
  if n < 1 or not list[n] then
    return nil, ("no entry %s: the last %d days hold %d"):format(word, RECENT_DAYS, #list), errors.USAGE
  end
  return list[n].id
end

-- A read that a write can do without when ClickUp cannot be reached and the
-- journal records the write: the result; or nil, err, true when the command
-- may go on without it (err is why); or nil, err (fail).
local function optional(ctx, name, ...)
  local r, err = ctx.get(name, ...)
  if r ~= nil then return r end
  if ctx.journal and require("clickup.time.journal").classify(err) == "unreachable" then
    return nil, err, true
  end
  return nil, err
end

-- the running timer as the journal last knew it (offline), or nil
local function journal_running(ctx)
  if not ctx.journal then return nil end
  local r = ctx.journal:status(ctx.team).running
  if r and not r["local"] then return r end
end

-- "120" or "user:NAME=150", "task:ID=90", "tag:NAME=200" -> report rates, or nil and a message
local function rates(specs) return require("clickup.time.report").parse_rates(specs) end

-- The period of a range text: { from, to }, or nil and a message.
local function period(ctx, text)
  local from, to = when.range(text, { now = ctx.now, week_start = ctx.week_start })
  if not from then return nil, errors.plain(to) end
  return { from, to }
end

local function filter_of(a, ctx)
  local f = {}
  if a.billable then f.billable = true elseif a.not_billable then f.billable = false end
  if #a.tag > 0 then f.tags = a.tag end
  if #a.task > 0 then
    f.tasks = {}
    for i, t in ipairs(a.task) do
      local ref = taskref.parse(t, ctx.taskref)
      f.tasks[i] = ref and ref.id or t
    end
  end
  if #a.user > 0 then f.users = a.user end
  if a.grep then f.text = a.grep end
  return next(f) and f or nil
end

-- the entries of a period (with progress on stderr, on a terminal, for long fetches)
local function fetch(ctx, p, everyone, extra)
  local params = { range = p }
  for k, v in pairs(extra or {}) do params[k] = v end
  if everyone then params.assignee = "all" end
  if ctx.terminal.stderr then
    params.progress = function(done, total)
      if total > 1 then ctx.err(("\rfetching %d/%d"):format(done, total) .. (done == total and "\n" or "")) end
    end
  end
  return ctx.get("entries", params)
end

-- Ask on the terminal; true for y/yes. The answer is read by a shell, so that
-- Ctrl-C at the prompt ends the command at once.
local function confirm(ctx, question)
  ctx.err(question .. " [y/N] ")
  local answer = ctx.ask()
  return answer ~= nil and (answer:lower() == "y" or answer:lower() == "yes")
end

-- }======


-- {====== the writes, straight on ClickUp (the journal off): clickup.time.write

M.Write = Write

-- }======


local Cmd = {}

-- the commands that write (their --json is the write's)
local WRITES = { start = true, stop = true, cancel = true, continue = true, log = true, edit = true, delete = true }

-- start [task] [words...] [--at when]
function Cmd.start(ctx, a)
  -- parse
  local ref, text, why = task_and_text(ctx, a.words, a.custom)
  if why then return ctx.usage(why) end
  local from_branch
  if not ref and not a.no_branch then
    local branch = taskref.git_branch(ctx.cwd)
    ref = branch and taskref.from_branch(branch, ctx.taskref)
    if ref then from_branch = branch end
  end
  local fields = task_fields({ description = a.message or text, billable = a.billable or nil,
                               tags = tag_list(a.tag) }, ref)
  local at, bad_at = past_at(ctx, a)
  if bad_at then return ctx.usage(bad_at) end
  -- the reads: the running timer, which this start stops (offline: as the journal knows it)
  local running, rerr, offline = optional(ctx, "current")
  if running == nil and not offline then return ctx.fail(rerr) end
  if offline then running = journal_running(ctx) or false end
  if at and running and not offline then
    return ctx.usage(("a timer runs (%s since %s): stop it first, e.g. clickup-time stop --at '%s'")
                     :format(what(running), clock(running.start), a.at))
  end
  -- the call
  fields.at = at
  local e, err = ctx.call("start", fields)
  if not e then return ctx.fail(err, { task = fields.tid, write = true }) end
  -- print
  say_stopped(ctx, running, e)
  if from_branch then ctx.out(("Task %s from the branch %s"):format(ref.id, from_branch)) end
  ctx.out(("Started %s at %s%s (entry %s)"):format(label(e), clock(e.start),
          (e.description or "") ~= "" and (": " .. e.description) or "", e.id))
  return 0
end

-- stop [--at when]
function Cmd.stop(ctx, a)
  local at, why = past_at(ctx, a)
  if why then return ctx.usage(why) end
  local running
  if at then
    local rerr, offline
    running, rerr, offline = optional(ctx, "current")
    if running == nil and not offline then return ctx.fail(rerr) end
    if running and at < running.start then
      return ctx.usage(("--at: %s is before the timer started (%s)"):format(a.at, clock(running.start)))
    end
  end
  local e, err = ctx.call("stop", { at = at, target = running })
  if e == false then
    ctx.out("No timer was running.")
    return errors.NO_TIMER
  end
  if not e then return ctx.fail(err, { write = true }) end
  ctx.out(("Stopped %s after %s (%s-%s)"):format(what(e), hm(elapsed(e)), clock(e.start), clock(e["end"])))
  return 0
end

-- cancel: the running timer's entry is deleted
function Cmd.cancel(ctx)
  local running, rerr, offline = optional(ctx, "current")
  if running == nil and not offline then return ctx.fail(rerr) end
  if offline then running = journal_running(ctx) or nil end
  if not running and not offline then
    ctx.out("No timer running.")
    return errors.NO_TIMER
  end
  local r, err = ctx.call("cancel", { target = running })
  if r == false then
    ctx.out("No timer running.")
    return errors.NO_TIMER
  end
  if not r then return ctx.fail(err, { id = running and running.id, write = true }) end
  running = running or r
  ctx.out(("Cancelled %s, running since %s (%s discarded)"):format(what(running), clock(running.start),
          hm(elapsed(running, ctx.now))))
  return 0
end

-- continue [id|@n] [--at when]
function Cmd.continue(ctx, a)
  local at, bad_at = past_at(ctx, a)
  if bad_at then return ctx.usage(bad_at) end
  local running, rerr = ctx.get("current")
  if running == nil then return ctx.fail(rerr) end
  local base
  if a.entry then
    local id, why, status = resolve(ctx, a.entry)
    if not id then return ctx.fail(why, nil, status) end
    local e, err = ctx.get("entry", id)
    if not e then return ctx.fail(err, { id = id }) end
    base = e
  else
    local list, err = recent(ctx)
    if not list then return ctx.fail(err) end
    base = list[1]
    if not base then return ctx.usage("no entry in the last " .. RECENT_DAYS .. " days to continue") end
    if base["end"] == nil then
      return ctx.usage(("a timer runs already: %s since %s"):format(what(base), clock(base.start)))
    end
  end
  local fields = { description = base.description ~= "" and base.description or nil,
                   billable = base.billable or nil, tags = tag_list(tag_names(base)) }
  if type(base.task) == "table" and base.task.id then fields.tid = base.task.id end
  if at and running then
    return ctx.usage(("a timer runs (%s since %s): stop it first"):format(what(running), clock(running.start)))
  end
  fields.at = at
  local e, err = ctx.call("start", fields)
  if not e then return ctx.fail(err, { task = fields.tid, write = true }) end
  say_stopped(ctx, running, e)
  ctx.out(("Continued %s at %s (entry %s)"):format(what(e), clock(e.start), e.id))
  return 0
end

-- What status says of e (the running entry, false: none, nil: unknown),
-- learnt from `source`: "clickup", or "journal" (ClickUp unreachable, or
-- --cached). The journal's waiting and refused changes are told too.
local function say_status(ctx, a, e, source, st)
  local ms = e and ((e.duration and e.duration < 0 and source == "clickup") and -e.duration or elapsed(e, ctx.now))
  local waiting, refused = st and #st.pending or 0, st and #st.failed or 0
  if a.json then
    local doc = { running = e and true or false, source = source }
    if e == nil then doc.running = json.null end
    if e then
      doc.id, doc.description, doc.billable = e.id, e.description or "", e.billable == true
      doc.start, doc.elapsed_ms, doc.elapsed = e.start, ms, hm(ms)
      doc.start_local = os.date("%Y-%m-%dT%H:%M:%S", floor(e.start / 1000))
      doc.tags = json.array(tag_names(e))
      if type(e.task) == "table" then
        doc.task = { id = e.task.id, name = e.task.name, custom_id = e.task.custom_id }
      end
      if e["local"] then doc.queued = true end
    end
    if st then doc.waiting, doc.refused = waiting, refused end
    ctx.out(json.encode(doc))
  elseif e == nil then
    ctx.out(a.cached and "Not known: the journal has not seen a timer yet."
            or "Not known: ClickUp unreachable, and the journal has not seen a timer yet.")
  elseif not e then
    ctx.out("No timer running." .. (source == "journal" and (a.cached and " (from the journal)"
                                     or " (from the journal: ClickUp unreachable)") or ""))
  else
    ctx.out(("Running: %s%s, since %s (%s)%s"):format(ctx.paint(label(e), "1"),
            (e.description or "") ~= "" and (": " .. e.description) or "", clock(e.start), hm(ms),
            e["local"] and " (started while ClickUp was unreachable; it will be sent)"
            or (source == "journal" and (a.cached and " (from the journal)"
                                         or " (from the journal: ClickUp unreachable)") or "")))
  end
  if not a.json and waiting > 0 then
    ctx.out(("%d change%s wait%s to be sent (clickup-time sync)"):format(waiting, waiting == 1 and "" or "s",
            waiting == 1 and "s" or ""))
  end
  if not a.json and refused > 0 then
    for _, v in ipairs(st.failed) do
      ctx.out(("ClickUp refused a %s of %s: %s (clickup-time sync --drop %s)"):format(v.op,
              os.date("%a %m-%d %H:%M", floor(v.at / 1000)), v.code or "?", v.id))
    end
  end
  if e == nil then return errors.UNAVAILABLE end
  if e then return 0 end
  -- "none", from the journal because ClickUp could not be asked, is not ClickUp's word
  return (source == "journal" and not a.cached) and errors.UNAVAILABLE or errors.NO_TIMER
end
M.say_status = say_status

-- status [--json] [--cached]
function Cmd.status(ctx, a)
  local j = ctx.journal
  if a.cached then
    if not j then return ctx.usage("status --cached: the journal is off") end
    local st = j:status(ctx.team)
    return say_status(ctx, a, st.running, "journal", st)
  end
  local e, err = ctx.get("current")
  if e == nil then
    if j and require("clickup.time.journal").classify(err) == "unreachable" then
      local st = j:status(ctx.team)
      ctx.err("clickup-time: " .. errors.describe(err, { base_url = ctx.base_url }) .. "\n")
      return say_status(ctx, a, st.running, "journal", st)
    end
    return ctx.fail(err)
  end
  local st
  if j then
    j:note_running(e, ctx.team)
    local known = j:status(ctx.team)
    st = j:has_intents() and known or nil
    if st and e == false and st.running and st.running["local"] then e = st.running end
    if e and known.gap and known.gap.start and known.running and known.running.id == e.id then
      local shown = {}                              -- a timer started in the past: its gap entry's start
      for k, v in pairs(e) do shown[k] = v end
      shown.start, shown.duration = known.gap.start, nil
      e = setmetatable(shown, getmetatable(e))
    end
  end
  return say_status(ctx, a, e, "clickup", st)
end

-- sync [--drop ID]
function Cmd.sync(ctx, a)
  local j = ctx.journal
  if not j then return ctx.usage("sync: the journal is off (journal = off)") end
  if a.drop then
    local ok, why = j:drop(a.drop)
    if not ok then return ctx.usage("sync --drop: " .. why) end
    ctx.out("Dropped " .. a.drop)
    return 0
  end
  local sm = j:sync(ctx.client)
  local lines, all = cjournal.sync_lines(sm)
  for _, l in ipairs(lines) do ctx.out(l) end
  if #lines == 0 then ctx.out("Nothing to send.") end
  if sm.error and not all then
    ctx.err("clickup-time: " .. errors.describe(sm.error, { base_url = ctx.base_url }) .. "\n")
  end
  return all and 0 or errors.UNAVAILABLE
end

-- FROM-TO: two moments, the second a time of day on the first's day (the next
-- day when it is earlier), or a moment of its own. nil when text is not one.
local function from_to(ctx, text)
  local i = 0
  while true do
    i = text:find("-", i + 1, true)
    if not i then return nil end
    local left, right = text:sub(1, i - 1), text:sub(i + 1)
    local t1 = left:match("%S") and right:match("%S") and when.parse(left, { now = ctx.now })
    if t1 then
      local t2 = when.parse(date_of(t1) .. " " .. right:match("^%s*(.-)%s*$"), { now = ctx.now })
      if t2 and t2 <= t1 then
        local d = os.date("*t", floor(t1 / 1000))
        local next_day = os.date("%Y-%m-%d", os.time{ year = d.year, month = d.month, day = d.day + 1, hour = 12 })
        t2 = when.parse(next_day .. " " .. right:match("^%s*(.-)%s*$"), { now = ctx.now })
      elseif not t2 then
        t2 = when.parse(right, { now = ctx.now })
      end
      if t2 then return t1, t2 end
    end
  end
end

-- log <duration|FROM-TO> [task] [words...]
function Cmd.log(ctx, a)
  local ref, text, why = task_and_text(ctx, a.words, a.custom)
  if why then return ctx.usage(why) end
  local fields = task_fields({ description = a.message or text, billable = a.billable or nil,
                               tags = tag_list(a.tag) }, ref)
  local ms = duration.parse(a.time)
  if ms and ms > 0 then
    fields.start, fields.duration = ctx.now - ms, ms
    if a.at then
      local t, err = moment(ctx, a.at, "--at")
      if not t then return ctx.usage(err) end
      fields.start = t
    end
  else
    local t1, t2 = from_to(ctx, a.time)
    if not t1 then
      return ctx.usage(("not a duration or a FROM-TO time: %s (try 1h30m, 45m, 9:00-10:30, "
                        .. "'yesterday 14:00-15:15')"):format(a.time))
    end
    if a.at then return ctx.usage("--at goes with a duration; put the day in FROM: 'yesterday 9:00-10:30'") end
    if t2 <= t1 then return ctx.usage(a.time .. " ends before it starts") end
    fields.start, fields["end"] = t1, t2
  end
  local e, err = ctx.call("log", fields)
  if not e then return ctx.fail(err, { task = fields.tid, write = true }) end
  local stop = e["end"] or (e.start + (e.duration or 0))
  ctx.out(("Logged %s on %s, %s %s-%s (entry %s)"):format(hm(stop - e.start), label(e),
          os.date("%a %Y-%m-%d", floor(e.start / 1000)), clock(e.start), clock(stop), e.id))
  return 0
end

-- entries [range] [filters] [--json|--csv]
function Cmd.entries(ctx, a)
  local report = require "clickup.time.report"
  local p, why = period(ctx, a.range or "this week")
  if not p then return ctx.usage(why) end
  local keep = report.filter(filter_of(a, ctx))
  local all, err = fetch(ctx, p, a.everyone)
  if not all then return ctx.fail(err) end
  local list = {}
  for _, e in ipairs(all) do if keep(e) then list[#list + 1] = e end end
  -- the @n names: from the period's own list when it covers the last 30 days
  local names
  if p[1] <= ctx.now - RECENT_DAYS * DAY and p[2] >= ctx.now and not a.everyone then
    local r = {}
    for _, e in ipairs(all) do if e.start >= ctx.now - RECENT_DAYS * DAY then r[#r + 1] = e end end
    sort(r, function(x, y) if x.start ~= y.start then return x.start > y.start end return x.id > y.id end)
    ctx.recent = r
    names = ref_names(r)
  elseif p[2] > ctx.now - RECENT_DAYS * DAY then
    local r, rerr = recent(ctx)
    if not r then return ctx.fail(rerr) end
    names = ref_names(r)
  else
    names = {}
  end
  local built = report.build(list, { period = p, now = ctx.now })
  local inside = {}
  for _, piece in ipairs(built.pieces) do inside[piece.entry] = (inside[piece.entry] or 0) + piece.ms end
  local format = require "clickup.time.report.format"
  if a.json then
    local rows = json.array()
    for i, e in ipairs(list) do
      local row = plain(e)
      row.ref, row.ms_in_range = names[e.id], inside[e] or 0
      rows[i] = row
    end
    ctx.out(json.encode(rows))
    return 0
  end
  if a.csv then
    local rows = { { "ref", "id", "date", "start", "end_date", "end", "hours", "hours_in_range", "task_id",
                     "task_custom_id", "task_name", "user_id", "user_name", "billable", "tags", "description",
                     "start_ms", "end_ms" } }
    for _, e in ipairs(list) do
      local task = type(e.task) == "table" and e.task or {}
      local user = type(e.user) == "table" and e.user or {}
      local stop = e["end"]
      rows[#rows + 1] = {
        names[e.id] or "", e.id, date_of(e.start), os.date("%H:%M:%S", floor(e.start / 1000)),
        stop and date_of(stop) or "", stop and os.date("%H:%M:%S", floor(stop / 1000)) or "",
        format.two(floor(elapsed(e, ctx.now) / 36000 + 0.5) / 100),
        format.two(floor((inside[e] or 0) / 36000 + 0.5) / 100),
        task.id or "", task.custom_id or "", task.name or "", user.id or "", user.username or "",
        e.billable == true and "true" or "false", concat(tag_names(e), ","), e.description or "",
        string.format("%.0f", e.start), stop and string.format("%.0f", stop) or "",
      }
    end
    ctx.write(format.csv_rows(rows))
    return 0
  end
  if #list == 0 then
    ctx.out("No entries.")
    return 0
  end
  -- a table: @n, id, when, time, (user,) task, billable, tags, description
  local rows, w = {}, {}
  for i, e in ipairs(list) do
    local tags = tag_names(e)
    for j, t in ipairs(tags) do tags[j] = "#" .. t end
    rows[i] = { names[e.id] or "", e.id, span(e), hm(elapsed(e, ctx.now)),
                a.everyone and (type(e.user) == "table" and e.user.username or "") or nil,
                label(e), e.billable and "$" or "", concat(tags, " "), e.description or "" }
  end
  for _, row in ipairs(rows) do
    for j = 1, 9 do if row[j] then w[j] = max(w[j] or 0, width(row[j])) end end
  end
  for i, row in ipairs(rows) do
    local cells = { rpad(row[1], w[1]), row[2], rpad(row[3], w[3]), lpad(row[4], w[4]) }
    if row[5] then cells[#cells + 1] = rpad(row[5], w[5]) end
    cells[#cells + 1] = rpad(row[6], w[6])
    if w[7] > 0 then cells[#cells + 1] = rpad(row[7], w[7]) end
    if w[8] > 0 then cells[#cells + 1] = rpad(row[8], w[8]) end
    cells[#cells + 1] = row[9]
    local line = concat(cells, "  "):gsub("%s+$", "")
    if list[i]["end"] == nil then line = line:gsub("%-now", "-" .. ctx.paint("now", "32"), 1) end
    ctx.out(line)
  end
  ctx.out(("%d %s, %s within %s"):format(#list, #list == 1 and "entry" or "entries",
          ctx.paint(hm(built.total.ms), "1"), a.range or "this week"))
  return 0
end

-- the tag changes of edit: { replace = {...} } | { add = {...} } | { remove = {...} } | mixed
local function tag_changes(a)
  local replace, add, remove = {}, {}, {}
  for _, t in ipairs(a.tag) do
    local op, name = t:match("^([+-])(.+)$")
    if op == "+" then add[#add + 1] = name
    elseif op == "-" then remove[#remove + 1] = name
    else replace[#replace + 1] = t end
  end
  for _, t in ipairs(a.untag) do remove[#remove + 1] = t end
  return replace, add, remove
end

-- edit <id|@n> [changes]
function Cmd.edit(ctx, a)
  -- parse
  local fields = { description = a.message }
  if a.billable then fields.billable = true elseif a.not_billable then fields.billable = false end
  if a.task then
    local ref = a.custom and { id = a.task, custom = true } or taskref.parse(a.task, ctx.taskref)
                or { id = a.task, custom = false }
    task_fields(fields, ref)
  end
  local start, stop, dur
  if a.start then
    local err
    start, err = moment(ctx, a.start, "--start")
    if not start then return ctx.usage(err) end
  end
  if a["end"] then
    local err
    stop, err = moment(ctx, a["end"], "--end")
    if not stop then return ctx.usage(err) end
  end
  if a.duration then
    dur = duration.parse(a.duration)
    if not dur then return ctx.usage("--duration: not a duration: " .. a.duration) end
    if start or stop then return ctx.usage("give --duration, or --start and --end, not both") end
  end
  local replace, add, remove = tag_changes(a)
  local kinds = (#replace > 0 and 1 or 0) + (#add > 0 and 1 or 0) + (#remove > 0 and 1 or 0)
  if next(fields) == nil and not (start or stop or dur) and kinds == 0 then
    return ctx.usage("edit: nothing to change")
  end
  local id, why, st = resolve(ctx, a.entry)
  if not id then return ctx.fail(why, nil, st) end
  -- the reads: the entry, when the change depends on what it holds
  local e
  if start or stop or dur then
    local err
    e, err = ctx.get("entry", id)
    if not e then return ctx.fail(err, { id = id }) end
  end
  if e and e["end"] == nil then
    if dur then
      return ctx.usage(("entry %s is a running timer: --duration would stop it; stop it first "
                        .. "(clickup-time stop, or stop --at)"):format(id))
    elseif start and not stop then
      return ctx.usage(("entry %s is a running timer: ClickUp moves its start only with an end; "
                        .. "stop it first, or give --end too"):format(id))
    end
  end
  if start or stop then
    fields.start, fields["end"] = start or e.start, stop or e["end"]
    if fields["end"] < fields.start then
      return ctx.usage(("the entry would end (%s %s) before it starts (%s %s)"):format(
        day_of(fields["end"]), clock(fields["end"]), day_of(fields.start), clock(fields.start)))
    end
  elseif dur then
    fields.duration = dur
  end
  if #replace > 0 then fields.tags = replace end
  -- the call
  local r, err = ctx.call("edit", id, fields, { add_tags = #add > 0 and add or nil,
                                                remove_tags = #remove > 0 and remove or nil })
  if r == nil then return ctx.fail(err, { id = id, task = fields.tid, write = true }) end
  -- print (an answer without the entry: the entry as it now is)
  if r == true then
    local now_e = ctx.get("entry", id)
    if type(now_e) ~= "table" then
      ctx.out("Updated " .. id)
      return 0
    end
    r = now_e
  end
  local tags = tag_names(r)
  ctx.out(("Updated %s: %s, %s (%s)%s%s"):format(r.id, what(r), span(r, ctx.paint), hm(elapsed(r, ctx.now)),
          r.billable and ", billable" or "", #tags > 0 and (", #" .. concat(tags, " #")) or ""))
  return 0
end

-- delete <id|@n>... [--yes]
function Cmd.delete(ctx, a)
  local ids, seen = {}, {}
  for _, word in ipairs(a.entry) do
    local id, why, st = resolve(ctx, word)
    if not id then return ctx.fail(why, nil, st) end
    if not seen[id] then
      seen[id] = true
      ids[#ids + 1] = id
    end
  end
  -- the reads: what is to be deleted, and which ids do not exist
  local calls = {}
  for i, id in ipairs(ids) do calls[i] = { "entry", id } end
  local results, errs = ctx.get("parallel", calls)
  local missing, found = {}, {}
  local journal_ = ctx.journal and require("clickup.time.journal")
  for i, id in ipairs(ids) do
    local e, err = results and results[i], errs and errs[i]
    if e then
      found[#found + 1] = e
    elseif err and err.kind == "api" and (err.code == "OAUTH_018" or err.code == "OAUTH_023" or err.status == 404) then
      missing[#missing + 1] = id
    elseif journal_ and journal_.classify(err or errs) == "unreachable" then
      found[#found + 1] = { id = id, start = ctx.now, ["end"] = ctx.now }   -- not known now: the journal sends it
    else
      return ctx.fail(err or errs, { id = id })
    end
  end
  if #missing > 0 then
    return ctx.usage(("no such time entr%s: %s (nothing deleted)"):format(#missing == 1 and "y" or "ies",
                     concat(missing, ", ")))
  end
  if not a.yes and ctx.terminal.stdin and ctx.terminal.stderr then
    ctx.err(("Delete %d %s?\n"):format(#found, #found == 1 and "entry" or "entries"))
    for _, e in ipairs(found) do
      ctx.err(("  %s  %s  %s  %s\n"):format(e.id, span(e),
              hm(elapsed(e, ctx.now)), what(e)))
    end
    if not confirm(ctx, "Delete?") then
      ctx.out("Nothing deleted.")
      return 0
    end
  end
  -- the call
  local list, err = ctx.call("delete", ids)   -- the write
  if not list then return ctx.fail(err, { id = #ids == 1 and ids[1] or nil, write = true }) end
  local read = {}
  for _, e in ipairs(found) do read[e.id] = e end
  for _, e in ipairs(list) do
    local known = e.start and e or read[e.id]              -- an empty answer gives only the ids
    if known and known.start then
      ctx.out(("Deleted %s (%s, %s)"):format(e.id, what(known), hm(elapsed(known, ctx.now))))
    else
      ctx.out("Deleted " .. e.id)
    end
  end
  return 0
end

function Cmd.tags(ctx)
  local tags, err = ctx.get("tags")
  if not tags then return ctx.fail(err) end
  for _, t in ipairs(tags) do ctx.out(t.name) end
  return 0
end

-- report [range] [--by]... [--round] [--rate]... [filters] [formats]
function Cmd.report(ctx, a)
  local report = require "clickup.time.report"
  local rate, rerr = rates(a.rate)
  if rerr then return ctx.usage(rerr) end
  local round
  if a.round then
    local r, why = report.parse_round(a.round)
    if not r then return ctx.usage("--round " .. a.round .. ": " .. why) end
    round = { increment = r.increment, mode = r.mode or "up", per = a.round_per or "entry" }
  elseif a.round_per then
    return ctx.usage("--round-per goes with --round")
  end
  local by = #a.by > 0 and a.by or { "task" }
  local p, why = period(ctx, a.range or "this week")
  if not p then return ctx.usage(why) end
  local opts = { by = by, round = round, rate = rate, filter = filter_of(a, ctx), period = p,
                 week_start = ctx.week_start, now = ctx.now }
  local ok, bad = pcall(report.build, {}, opts)         -- bad settings are found before any request
  if not ok then return ctx.usage(errors.plain(bad)) end
  local list, err = fetch(ctx, p, a.everyone, report.fetch_params(opts))
  if not list then return ctx.fail(err) end
  local r = report.build(list, opts)
  if a.csv then ctx.write(report.csv(r))
  elseif a.csv_groups then ctx.write(report.csv(r, { rows = "groups" }))
  elseif a.json then ctx.out(report.json(r))
  elseif a.md then ctx.write(report.markdown(r))
  elseif a.html then
    local page = report.html(r, { title = "Time report", generated = "clickup-time " .. clickup.VERSION
                                  .. ", " .. os.date("%Y-%m-%d %H:%M", floor(ctx.now / 1000)) })
    if a.html == "-" then
      ctx.write(page)
    else
      local f, ferr = io.open(a.html, "w")
      if not f then return ctx.usage("--html: " .. tostring(ferr)) end
      f:write(page)
      f:close()
      ctx.out(("Wrote %s: %s h%s, %d %s"):format(a.html, report.format.two(r.total.hours),
              r.total.amount and (", " .. report.format.two(r.total.amount)) or "", r.total.count,
              r.total.count == 1 and "entry" or "entries"))
    end
  else
    ctx.write(report.table(r, { color = ctx.color }))         -- with its chart of hours per day
  end
  return 0
end

function Cmd.serve_fake(ctx, a)
  local socket = require "socket"
  local port = a.port or 0
  local probe, perr = socket.bind("127.0.0.1", port)
  if not probe then return ctx.usage(("serve-fake: port %d: %s"):format(port, tostring(perr))) end
  if port == 0 then
    local _, p = probe:getsockname()
    port = tonumber(p)
  end
  probe:close()
  local info = require("clickup.time.fake.control").info()
  local url = ("http://127.0.0.1:%d/api/v2"):format(port)
  ctx.out("Serving a local ClickUp-compatible server; stop it with Ctrl-C.")
  ctx.out("  base URL      " .. url)
  ctx.out("  workspace id  " .. info.team_id)
  ctx.out("  token         " .. info.token .. "  (an admin)")
  ctx.out("  member token  " .. info.member_token)
  ctx.out("Paste this into a shell to use it:")
  ctx.out(("  export CLICKUP_BASE_URL=%s CLICKUP_TEAM_ID=%s CLICKUP_TOKEN=%s"):format(url, info.team_id, info.token))
  ctx.flush()
  local ok, err = pcall(require("clickup.time.fake").serve,
                        { port = port, realistic = a.realistic, on_listen = function() end })
  if not ok then
    if errors.interrupted(err) then return 0 end             -- Ctrl-C: a quiet stop
    return ctx.usage("serve-fake: " .. errors.plain(err))
  end
  return 0
end

-- }====== commands


-- {====== status --cached: the journal alone, without argparse, the core or the network

--- `status --cached`: what the journal knows, in a few milliseconds (for
-- prompts and statuslines); the same output and exit statuses as status.
-- `a`: the arguments, as M.plain_status makes them.
function M.cached_status(a, opts, getenv, stdout, stderr)
  local path = opts.config or config.path(getenv)
  local conf = config.read(path)
  if not conf then conf = {} end
  local j = cjournal.open(getenv, conf, nil, true)
  if not j then
    stderr:write("clickup-time: status --cached: the journal is off\n")
    return errors.USAGE
  end
  local team = getenv("CLICKUP_TEAM_ID")
  if team == nil or team == "" then team = conf.team_id end
  local ctx = {
    now = os.time() * 1000, color = false,
    out = function(s) stdout:write(s, "\n") end,
    paint = function(s) return s end,
  }
  local st = j:status(team, { plain = true })
  return M.say_status(ctx, a, st.running, "journal", st)
end

-- }======


--- `status` with --json and --cached, in any order (as often as given),
-- the command of prompts and bars, run many times a minute: what argparse
-- makes of them, without building the parser (argparse and the
-- definitions of every command: ~3 ms of a process that lives ~20).
-- Anything else (another flag, a global option) goes through the parser.
-- Returns the parsed arguments, or nil.
local STATUS_FLAGS = { ["--json"] = "json", ["--cached"] = "cached" }

function M.plain_status(argv)
  if not argv or argv[1] ~= "status" then return nil end
  local a = { command = "status", status = true }
  for i = 2, #argv do
    local flag = STATUS_FLAGS[argv[i]]
    if not flag then return nil end
    a[flag] = true
  end
  return a
end


--- Run the command; returns the exit status. opts: getenv (for os.getenv),
-- stdout, stderr (files), color, terminal = { stdin =, stdout =, stderr = }
-- (booleans: what is a terminal), ask (a function that reads a line),
-- cwd (for the Git branch), config (the config file's path).
function M.main(argv, opts)
  opts = opts or {}
  local getenv = opts.getenv or os.getenv
  local stdout, stderr = opts.stdout or io.stdout, opts.stderr or io.stderr
  local a, p = M.plain_status(argv), nil
  if a and a.cached then return M.cached_status(a, opts, getenv, stdout, stderr) end
  if not a then
    local state = {}
    p = M.parser(state)
    local parsed, ok, pa = pcall(p.pparse, p, argv)
    a = pa
    if state.early then
      local kind, value = state.early[1], state.early[2]
      if kind == "version" then
        stdout:write(("clickup-time %s (%s, %s)\n"):format(clickup.VERSION,
          rawget(_G, "jit") and rawget(_G, "jit").version or _VERSION, tostring(clickup.core.curl_version or "")))
      else
        stdout:write(value:get_help(), "\n")
      end
      return 0
    end
    if not parsed then
      stderr:write("clickup-time: ", errors.plain(ok), "\n")
      return errors.USAGE
    end
    if not ok then                                -- one line: "unknown option '-5'; did you mean '-h'?"
      local msg = a:gsub("\nDid you mean", "; did you mean"):gsub("\n", "; ")
      stderr:write("clickup-time: ", msg, " (clickup-time --help for usage)\n")
      return errors.USAGE
    end
  end

  -- what is a terminal: asked of the core (isatty), once, when first needed
  local FDS = { stdin = 0, stdout = 1, stderr = 2 }
  local term = opts.terminal or setmetatable({}, { __index = function(t, k)
    if not FDS[k] then return nil end
    local yes = clickup.core.isatty(FDS[k])
    rawset(t, k, yes)
    return yes
  end })
  local color = opts.color
  if color == nil then color = term.stdout and not getenv("NO_COLOR") end
  local ctx = {
    color = color, terminal = term, cwd = opts.cwd or getenv("PWD"),
    out = function(s) stdout:write(s, "\n") end,
    write = function(s) stdout:write(s) end,
    err = function(s) stderr:write(s) end,
    flush = function() stdout:flush() end,
    paint = function(s, code) return color and ("\27[" .. code .. "m" .. s .. "\27[0m") or s end,
    ask = opts.ask or function()
      local sh = io.popen("sh -c 'IFS= read -r a && printf %s \"$a\"'", "r")
      local line = sh and sh:read("*a")
      if sh then sh:close() end
      return line
    end,
  }
  ctx.usage = function(msg)
    stderr:write("clickup-time: ", errors.plain(msg), "\n")
    return errors.USAGE
  end
  local name = a.command:gsub("%-", "_")
  if name == "help" then
    if not a.name then stdout:write(p:get_help(), "\n") return 0 end
    for _, cmd in ipairs(p._commands) do
      if cmd._name == a.name then stdout:write(cmd:get_help(), "\n") return 0 end
    end
    return ctx.usage("help: unknown command '" .. a.name .. "'")
  elseif name == "completion" then
    stdout:write(require("clickup.time.cli.man").completion(p, a.shell))
    return 0
  elseif name == "serve_fake" then
    local sok, status = pcall(Cmd.serve_fake, ctx, a)
    if sok then return status end
    if errors.interrupted(status) then return 0 end
    return ctx.usage(status)
  end

  -- settings: flags, then the environment, then the config file
  local path = opts.config or config.path(getenv)
  local conf, warnings = config.read(path)
  if not conf then return ctx.usage(warnings) end
  for _, w in ipairs(warnings) do stderr:write("clickup-time: warning: ", w, "\n") end
  local function setting(flag, env, key)
    local v = flag
    if (v == nil or v == "") and env then v = getenv(env) end
    if v == nil or v == "" then v = conf[key] end
    if v ~= "" then return v end
  end
  local ws = setting(a.week_start, "CLICKUP_WEEK_START", "week_start")
  if ws and not when.range("today", { week_start = ws }) then
    local from = (a.week_start and "--week-start")
                 or ((getenv("CLICKUP_WEEK_START") or "") ~= "" and "CLICKUP_WEEK_START")
                 or ("week_start in " .. tostring(path))
    return ctx.usage(("%s: '%s' is not a weekday (monday, sunday, ..., mon, sun, or 1..7 with 1 = Sunday)")
                     :format(from, ws))
  end
  local long = name == "entries" or name == "report"
  local timeout = setting(a.timeout, nil, "timeout")
  if timeout then
    timeout = tonumber(timeout)
    if not timeout or timeout <= 0 or timeout > 86400 then
      return ctx.usage("--timeout: seconds, a number above 0 (" .. tostring(setting(a.timeout, nil, "timeout")) .. ")")
    end
  else
    timeout = long and M.LONG_TIMEOUT or M.TIMEOUT
  end
  local pattern = conf.custom_pattern
  ctx.taskref = { custom_pattern = (pattern == "off" or pattern == "none") and false or pattern,
                  min_id_length = tonumber(conf.min_id_length) }
  ctx.week_start = ws
  ctx.now = clickup.now_ms()
  local token = setting(a.token, "CLICKUP_TOKEN", "token")
  if not token then
    return ctx.usage("no token: set CLICKUP_TOKEN, pass --token, or put token = pk_... in "
                     .. tostring(path))
  end
  local base_url = setting(a.base_url, "CLICKUP_BASE_URL", "base_url") or clickup.DEFAULT_BASE_URL
  local team = setting(a.team, "CLICKUP_TEAM_ID", "team_id")
  local driver = call.new{ timeout = timeout, on_wait = function(seconds)
    if term.stderr then stderr:write(("rate limit: waiting %d s\n"):format(math.ceil(seconds))) end
  end }
  local made, client = pcall(clickup.new, {
    token = token, team_id = team, base_url = base_url, on_retry = driver.on_retry,
    timeout = timeout, connect_timeout = math.min(timeout, 10),
  })
  if not made then return ctx.usage(client) end
  driver.client = client
  local about = { base_url = base_url, config = path, team = team }
  ctx.fail = function(err, more, status)
    local what_about = {}
    for k, v in pairs(about) do what_about[k] = v end
    for k, v in pairs(more or {}) do what_about[k] = v end
    local msg, st = errors.describe(err, what_about)
    stderr:write("clickup-time: ", msg, "\n")
    return status or st
  end
  local function get(method, ...) return driver:run(method, ...) end
  ctx.get = get
  ctx.client, ctx.team, ctx.base_url = client, client.team_id, base_url
  -- THE write: every change goes through here; through the journal when it is on
  local j, jerr = cjournal.open(getenv, conf, driver)
  if jerr then stderr:write("clickup-time: warning: the journal: ", errors.plain(jerr), "\n") end
  ctx.journal = j
  local write
  if j then
    write = function(op, ...) return cjournal.call(j, client, op, ...) end
  else
    write = function(op, ...) return Write[op](get, ...) end
  end
  local json_out = a.json and WRITES[name]
  ctx.call = function(op, ...)
    local r, err = write(op, ...)
    ctx.written = r
    return r, err
  end
  if json_out then ctx.out, ctx.write = function() end, function() end end   -- the JSON says it all

  local run_ok, status = pcall(function()
    -- what waits in the journal goes first, in order (sync and status --cached do it their way)
    if j and name ~= "sync" and not a.cached and client.team_id and j:has_intents() then
      local sm = j:sync(client)
      local sent = 0
      for _, v in ipairs(sm.sent) do if v.outcome ~= "merged" then sent = sent + 1 end end
      if sent > 0 then
        stderr:write(("clickup-time: sent %d change%s recorded while ClickUp was unreachable\n")
                     :format(sent, sent == 1 and "" or "s"))
      end
      for _, line in ipairs((cjournal.sync_lines{ failed = sm.failed })) do
        stderr:write("clickup-time: ", line, "\n")
      end
      if sm.clock_skew_ms then
        stderr:write(("clickup-time: this computer's clock is %d s off ClickUp's; times are taken from it\n")
                     :format(math.floor(sm.clock_skew_ms / 1000 + 0.5)))
      end
    end
    return Cmd[name](ctx, a)
  end)
  local in_flight = driver.in_flight
  pcall(client.close, client)
  if not run_ok and cjournal.is_queued(status) then
    if json_out then
      local v = status.intent
      stdout:write(json.encode{ queued = true, id = v.id, op = v.op, at = v.at,
                                message = tostring(status) }, "\n")
    else
      stdout:write(tostring(status), "\n")
    end
    return errors.OK
  end
  if run_ok and json_out and status == 0 then
    local r = ctx.written
    local doc = { queued = false }
    if type(r) == "table" and r.id then doc.entry = plain(r)
    elseif type(r) == "table" then doc.entries = plain(r) end
    stdout:write(json.encode(doc), "\n")
  end
  if run_ok then return status end
  if errors.interrupted(status) then
    local ep = in_flight and clickup.endpoint[in_flight]
    if ep and ep.method ~= "GET" and j then
      stderr:write("clickup-time: interrupted: the change is recorded in the journal; it will be checked ",
                   "with ClickUp and sent once (clickup-time sync)\n")
    elseif ep and ep.method ~= "GET" then
      stderr:write("clickup-time: interrupted: ", errors.UNKNOWN_OUTCOME, "\n")
    else
      stderr:write("clickup-time: interrupted\n")
    end
    return errors.INTERRUPTED
  end
  return ctx.usage(status)
end

return M
