--- clickup.time.cli: the `clickup-time` command (bin/clickup-time).
--
--   clickup-time start [task] [-m description] [--billable] [--tag name]...
--   clickup-time stop | status | tags
--   clickup-time log <duration> [task] [--at when] [-m description] [--billable] [--tag name]...
--   clickup-time entries [range] [--everyone] [--json|--csv]
--   clickup-time edit <id> [-m ...] [--start when] [--end when] [--duration d] [--task id] ...
--   clickup-time delete <id>...
--   clickup-time report [range] [--by key]... [--round 15m[:up|down|nearest]] [--billable]
--                       [--rate 120 | --rate user:ID=150 | task:ID=90 | tag:NAME=200]... [--csv|--json|--md]
--   clickup-time serve-fake [--port N] [--realistic]
--
-- Settings come from the flags, then the environment (CLICKUP_TOKEN,
-- CLICKUP_TEAM_ID, CLICKUP_BASE_URL), then the config file
-- ($XDG_CONFIG_HOME/clickup-time/config, else ~/.config/clickup-time/config:
-- `key = value` lines: token, team_id, base_url, week_start), which is
-- refused when it holds a token and others can read it.
--
-- M.main(argv, io) returns the exit status: 0, 1 (status: no timer runs;
-- a ClickUp error) or 2 (a usage or setup problem). Errors are one line,
-- never a stack trace; colour only on a terminal; progress on stderr.

local argparse = require "argparse"
local clickup = require "clickup.time"
local duration = require "clickup.time.duration"

local M = {}

local DAY = 86400000

-- {====== settings

local function config_path(getenv)
  local base = getenv("XDG_CONFIG_HOME")
  if not base or base == "" then
    local home = getenv("HOME")
    if not home or home == "" then return nil end
    base = home .. "/.config"
  end
  return base .. "/clickup-time/config"
end

-- "rw-r-----" style permissions of a file, or nil
local function permissions(path)
  local ok, lfs = pcall(require, "lfs")
  if ok and lfs.attributes then return lfs.attributes(path, "permissions") end
  local p = io.popen("stat -c %A " .. ("%q"):format(path) .. " 2>/dev/null")
  if not p then return nil end
  local mode = p:read("*l")
  p:close()
  return mode and mode:sub(2)
end

--- The config file's settings, or nil and a message.
function M.read_config(path)
  local f = path and io.open(path, "r")
  if not f then return {} end
  local conf, n = {}, 0
  for line in f:lines() do
    n = n + 1
    if not line:match("^%s*#") and line:match("%S") then
      local k, v = line:match("^%s*([%w_]+)%s*=%s*(.-)%s*$")
      if not k then
        f:close()
        return nil, ("%s:%d: expected key = value"):format(path, n)
      end
      conf[k] = v:match('^"(.*)"$') or v
    end
  end
  f:close()
  if conf.token then
    local mode = permissions(path)
    if mode and (mode:sub(4, 6) ~= "---" or mode:sub(7, 9) ~= "---") then
      return nil, path .. " holds a token and others can read it (" .. mode .. "): chmod 600 " .. path
    end
  end
  return conf
end

-- }======


-- {====== output

local function on_terminal(getenv)
  if getenv("NO_COLOR") then return false end
  local ok = os.execute("test -t 1")
  return ok == true or ok == 0
end

local function hm(ms) return duration.format(ms) end

local function clock(ms) return os.date("%H:%M", math.floor(ms / 1000)) end

local function label(e)
  if e.task and e.task.name then return e.task.name end
  return "(no task)"
end

-- RFC 4180
local function csv_field(v)
  v = tostring(v == nil and "" or v)
  if v:find('[,"\r\n]') then return '"' .. v:gsub('"', '""') .. '"' end
  return v
end

local function csv(rows)
  local out = {}
  for _, row in ipairs(rows) do
    local f = {}
    for i, v in ipairs(row) do f[i] = csv_field(v) end
    out[#out + 1] = table.concat(f, ",")
  end
  return table.concat(out, "\r\n") .. "\r\n"
end

-- }======


local function parser()
  local p = argparse("clickup-time", "Track time on ClickUp tasks from the command line.")
    :epilog("Settings: --token/--team/--base-url, else CLICKUP_TOKEN, CLICKUP_TEAM_ID, CLICKUP_BASE_URL, "
            .. "else ~/.config/clickup-time/config (key = value).")
  p:option("--token", "ClickUp API token (pk_... or OAuth).")
  p:option("--team", "Workspace id.")
  p:option("--base-url", "API base URL (the local server's, say).")
  p:option("--week-start", "First day of the week.")
  p:command_target("command")
  p:require_command(true)

  local start = p:command("start", "Start a timer (a new one stops the running one).")
  start:argument("task", "Task id."):args("?")
  start:option("-m --message", "Description.")
  start:flag("--billable", "Billable time.")
  start:option("--tag", "Tag (repeat for several)."):count("*")

  p:command("stop", "Stop the running timer.")
  p:command("status", "Show the running timer; exit status 0 while one runs, 1 when none.")

  local log = p:command("log", "Log time already spent: a manual entry.")
  log:argument("duration", "How long: 1h30m, 90m, 1.5h, 45s, 2:15.")
  log:argument("task", "Task id."):args("?")
  log:option("--at", "When it started (yesterday 14:00, monday 9:00, 2026-11-28T09:00); default: ends now.")
  log:option("-m --message", "Description.")
  log:flag("--billable", "Billable time.")
  log:option("--tag", "Tag (repeat for several)."):count("*")

  local entries = p:command("entries", "List time entries.")
  entries:argument("range", "today, yesterday, this week, last month, 2026-11-01..2026-11-15, ..."):args("?")
  entries:flag("--everyone", "Everyone's entries (needs an admin token).")
  entries:mutex(entries:flag("--json", "JSON output."), entries:flag("--csv", "CSV output."))

  local edit = p:command("edit", "Change a time entry.")
  edit:argument("id", "Time entry id.")
  edit:option("-m --message", "Description.")
  edit:option("--start", "New start.")
  edit:option("--end", "New end (with --start).")
  edit:option("--duration", "New duration.")
  edit:option("--task", "Move it to this task.")
  edit:mutex(edit:flag("--billable", "Billable."), edit:flag("--not-billable", "Not billable."))
  edit:option("--tag", "Replace the tags (repeat for several)."):count("*")

  local delete = p:command("delete", "Delete time entries.")
  delete:argument("id", "Time entry ids."):args("+")

  p:command("tags", "List the workspace's time-entry tags.")

  local report = p:command("report", "A report: totals by task, day, ..., rounded for invoices.")
  report:argument("range", "The period (default: this week)."):args("?")
  report:option("--by", "Group by task, list, folder, space, tag, user, billable, day, week, month "
                .. "(repeat to nest)."):count("*")
  report:option("--round", "Round for invoices: 15m, 6m:up, 30m:nearest, ... (per entry).")
  report:option("--round-per", "entry or group."):choices{ "entry", "group" }
  report:flag("--billable", "Billable time only.")
  report:option("--tag", "Only entries with this tag (repeat for several)."):count("*")
  report:option("--task", "Only this task (repeat)."):count("*")
  report:option("--user", "Only this user id or name (repeat)."):count("*")
  report:option("--grep", "Only entries whose description contains this.")
  report:option("--rate", "Hourly rate: 120, or user:ID=150, task:ID=90, tag:NAME=200 (repeat)."):count("*")
  report:flag("--everyone", "Everyone's entries (needs an admin token).")
  report:mutex(report:flag("--csv", "CSV output."), report:flag("--json", "JSON output."),
               report:flag("--md", "Markdown output."))

  local serve = p:command("serve-fake", "Run the local ClickUp-compatible server, for trying things out.")
  serve:option("--port", "Port (default: any free one)."):convert(tonumber)
  serve:flag("--realistic", "Send the oddities of real ClickUp answers (task \"0\", null ids, ...).")
  return p
end


local Cmd = {}

function Cmd.start(ctx, a)
  local e, err = ctx.client:start{ tid = a.task, description = a.message,
                                   billable = a.billable or nil, tags = #a.tag > 0 and a.tag or nil }
  if not e then return ctx.fail(err) end
  ctx.out(("Started %s at %s%s (entry %s)"):format(label(e), clock(e.start),
          e.description ~= "" and (": " .. e.description) or "", e.id))
  return 0
end

function Cmd.stop(ctx)
  local e, err = ctx.client:stop()
  if e == nil then return ctx.fail(err) end
  if not e then
    ctx.out("No timer was running.")
    return 1
  end
  ctx.out(("Stopped %s after %s (%s-%s)"):format(label(e), hm(e:elapsed()), clock(e.start), clock(e["end"])))
  return 0
end

function Cmd.status(ctx)
  local e, err = ctx.client:current()
  if e == nil then return ctx.fail(err) end
  if not e then
    ctx.out("No timer running.")
    return 1
  end
  -- ClickUp's own count (minus the elapsed time, as it answered) when it gave one
  local ms = (e.duration and e.duration < 0) and -e.duration or e:elapsed()
  ctx.out(("Running: %s%s, since %s (%s)"):format(ctx.paint(label(e), "1"),
          e.description ~= "" and (": " .. e.description) or "", clock(e.start), hm(ms)))
  return 0
end

function Cmd.log(ctx, a)
  local ms, why = duration.parse(a.duration)
  if not ms or ms <= 0 then
    return ctx.usage(why or ("not a duration: " .. a.duration))
  end
  local start = clickup.now_ms() - ms
  if a.at then
    local t, werr = require("clickup.time.when").parse(a.at, ctx.when)
    if not t then return ctx.usage("--at: " .. tostring(werr)) end
    start = t
  end
  local e, err = ctx.client:create{ start = start, duration = ms, tid = a.task, description = a.message,
                                    billable = a.billable or nil, tags = #a.tag > 0 and a.tag or nil }
  if not e then return ctx.fail(err) end
  ctx.out(("Logged %s on %s, %s %s-%s (entry %s)"):format(hm(e.duration), label(e),
          os.date("%a %Y-%m-%d", math.floor(e.start / 1000)), clock(e.start), clock(e["end"]), e.id))
  return 0
end

-- the entries of a range, with progress on stderr for long fetches
local function fetch(ctx, range, everyone)
  local params = { range = range or "this week" }
  if everyone then params.assignee = "all" end
  params.progress = function(done, total)
    if total > 1 then ctx.err(("\rfetching %d/%d"):format(done, total) .. (done == total and "\n" or "")) end
  end
  return ctx.client:entries(params)
end

function Cmd.entries(ctx, a)
  local list, err = fetch(ctx, a.range, a.everyone)
  if not list then return ctx.fail(err) end
  if a.json then
    local rows = {}
    for i, e in ipairs(list) do rows[i] = setmetatable(e, nil) end
    ctx.out(require("clickup.time.json").encode(require("clickup.time.json").array(rows)))
    return 0
  end
  if a.csv then
    local rows = { { "id", "start", "end", "duration_ms", "task_id", "task", "user", "billable", "description" } }
    for _, e in ipairs(list) do
      rows[#rows + 1] = { e.id, e.start, e["end"] or "", e:elapsed(), e.task and e.task.id or "",
                          e.task and e.task.name or "", e.user and e.user.username or "",
                          tostring(e.billable == true), e.description or "" }
    end
    ctx.write(csv(rows))
    return 0
  end
  if #list == 0 then
    ctx.out("No entries.")
    return 0
  end
  local total = 0
  for _, e in ipairs(list) do
    local ms = e:elapsed()
    total = total + ms
    ctx.out(("%s  %s  %s-%s  %8s  %-24s %s"):format(e.id, os.date("%a %m-%d", math.floor(e.start / 1000)),
            clock(e.start), e["end"] and clock(e["end"]) or ctx.paint("now  ", "32"), hm(ms), label(e),
            e.description or ""))
  end
  ctx.out(("%d entries, %s"):format(#list, ctx.paint(hm(total), "1")))
  return 0
end

function Cmd.edit(ctx, a)
  local fields = { description = a.message, start = a.start, ["end"] = a["end"], duration = a.duration,
                   tid = a.task }
  if a.billable then fields.billable = true elseif a.not_billable then fields.billable = false end
  if #a.tag > 0 then fields.tags, fields.tag_action = a.tag, "replace" end
  if next(fields) == nil then return ctx.usage("edit: nothing to change") end
  local ok, r, err = pcall(ctx.client.update, ctx.client, a.id, fields)
  if not ok then return ctx.usage(r) end
  if r == nil then return ctx.fail(err) end
  if r == true then ctx.out("Updated " .. a.id) return 0 end
  ctx.out(("Updated %s: %s, %s-%s (%s)"):format(r.id, label(r), clock(r.start),
          r["end"] and clock(r["end"]) or "now", hm(r:elapsed())))
  return 0
end

function Cmd.delete(ctx, a)
  local list, err = ctx.client:delete(a.id)
  if not list then return ctx.fail(err) end
  for _, e in ipairs(list) do ctx.out(("Deleted %s (%s, %s)"):format(e.id, label(e), hm(e:elapsed()))) end
  return 0
end

function Cmd.tags(ctx)
  local tags, err = ctx.client:tags()
  if not tags then return ctx.fail(err) end
  for _, t in ipairs(tags) do ctx.out(t.name) end
  return 0
end

-- "120" or "user:ID=150", "task:ID=90", "tag:NAME=200"
local function rates(specs)
  if #specs == 0 then return nil end
  local r = { users = {}, tasks = {}, tags = {} }
  for _, s in ipairs(specs) do
    local n = tonumber(s)
    if n then
      r.default = n
    else
      local kind, key, v = s:match("^(%a+):(.-)=([%d.]+)$")
      local map = kind and ({ user = r.users, task = r.tasks, tag = r.tags })[kind]
      if not map or not tonumber(v) then
        return nil, "--rate " .. s .. ": 120, or user:ID=150, task:ID=90, tag:NAME=200"
      end
      map[kind == "user" and (tonumber(key) or key) or key] = tonumber(v)
    end
  end
  return r
end

-- "15m", "6m:up", "30m:nearest"
local function rounding(spec, per)
  if not spec then return nil end
  local inc, mode = spec:match("^([^:]+):?(%a*)$")
  local ms = inc and duration.parse(inc)
  if not ms or ms <= 0 then return nil, "--round " .. spec .. ": an increment like 15m, 6m:up, 30m:nearest" end
  mode = mode ~= "" and mode or "nearest"
  if mode ~= "up" and mode ~= "down" and mode ~= "nearest" then
    return nil, "--round " .. spec .. ": the mode is up, down or nearest"
  end
  return { increment = ms, mode = mode, per = per or "entry" }
end

function Cmd.report(ctx, a)
  local report = require "clickup.time.report"
  local rate, rerr = rates(a.rate)
  if rerr then return ctx.usage(rerr) end
  local round, oerr = rounding(a.round, a.round_per)
  if oerr then return ctx.usage(oerr) end
  local list, err = fetch(ctx, a.range, a.everyone)
  if not list then return ctx.fail(err) end
  local by = #a.by > 0 and a.by or { "task" }
  local filter = {}
  if a.billable then filter.billable = true end
  if #a.tag > 0 then filter.tags = a.tag end
  if #a.task > 0 then filter.tasks = a.task end
  if #a.user > 0 then filter.users = a.user end
  if a.grep then filter.text = a.grep end
  local ok, r = pcall(report.build, list, { by = by, round = round, rate = rate, filter = filter,
                                            week_start = ctx.when.week_start })
  if not ok then return ctx.usage(r) end
  if a.csv then ctx.write(report.csv(r))
  elseif a.json then ctx.out(report.json(r))
  elseif a.md then ctx.write(report.markdown(r))
  else
    ctx.write(report.table(r, { color = ctx.color }))         -- with its chart of hours per day
  end
  return 0
end

function Cmd.serve_fake(ctx, a)
  ctx.out("Serving a local ClickUp-compatible server; stop it with Ctrl-C.")
  require("clickup.time.fake").serve{ port = a.port, realistic = a.realistic }
  return 0
end


--- Run the command; returns the exit status. `env` replaces os.getenv,
-- `stdout`/`stderr` the files (for tests and embedding).
function M.main(argv, opts)
  opts = opts or {}
  local getenv = opts.getenv or os.getenv
  local stdout, stderr = opts.stdout or io.stdout, opts.stderr or io.stderr
  local ok, a = parser():pparse(argv)
  if not ok then
    if a:match("^Usage:") then stdout:write(a, "\n") return 0 end  -- --help
    stderr:write("clickup-time: ", a, "\n(clickup-time --help for usage)\n")
    return 2
  end
  local color = opts.color
  if color == nil then color = on_terminal(getenv) end
  local ctx = {
    color = color,
    out = function(s) stdout:write(s, "\n") end,
    write = function(s) stdout:write(s) end,
    err = function(s) stderr:write(s) end,
    paint = function(s, code) return color and ("\27[" .. code .. "m" .. s .. "\27[0m") or s end,
  }
  ctx.usage = function(msg)
    stderr:write("clickup-time: ", (tostring(msg):gsub("^[^:]*:%d+: ", "")), "\n")
    return 2
  end
  ctx.fail = function(err)
    stderr:write("clickup-time: ", (tostring(err):gsub("^clickup%.time: ", "")), "\n")
    return 1
  end
  local name = a.command:gsub("%-", "_")
  if name == "serve_fake" then return Cmd.serve_fake(ctx, a) end

  local conf, cerr = M.read_config(opts.config or config_path(getenv))
  if not conf then return ctx.usage(cerr) end
  local function setting(flag, env, key)
    local v = flag
    if v == nil or v == "" then v = getenv(env) end
    if v == nil or v == "" then v = conf[key] end
    if v ~= "" then return v end
  end
  ctx.when = { week_start = a.week_start or getenv("CLICKUP_WEEK_START") or conf.week_start }
  local made, client = pcall(clickup.new, {
    token = setting(a.token, "CLICKUP_TOKEN", "token"),
    team_id = setting(a.team, "CLICKUP_TEAM_ID", "team_id"),
    base_url = setting(a.base_url, "CLICKUP_BASE_URL", "base_url"),
  })
  if not made then
    return ctx.usage(tostring(client):gsub("clickup%.time%.new: ", "") ..
                     " (set CLICKUP_TOKEN, or token in " .. tostring(config_path(getenv)) .. ")")
  end
  ctx.client = client
  local run_ok, status = pcall(Cmd[name], ctx, a)
  client:close()
  if not run_ok then return ctx.usage(status) end
  return status
end

M.DAY = DAY
return M
