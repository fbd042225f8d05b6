--- clickup.time.cli.parser: the argparse parser of `clickup-time`
-- (clickup.time.cli), apart so that a command that needs none (`status`,
-- `status --json`: prompts and bars) neither loads argparse nor compiles
-- the definitions of every command.
--
--   local p = require("clickup.time.cli.parser")(state)

local EARLY = "\0clickup-time early exit"

--- The argparse parser of the command. `state.early` is set by --help,
-- --version (which end the parse at once); the man page and the
-- completions are made from the same parser.
local function parser(state)
  state = state or {}
  local function early(kind, value)
    return function()
      state.early = { kind, value }
      error(EARLY, 0)
    end
  end
  local function help_flag(cmd)
    cmd:add_help(false)
    cmd:flag("-h --help", "Show this help and exit."):action(early("help", cmd))
  end
  local p = require("argparse")("clickup-time", "Track time on ClickUp tasks from the command line.")
    :epilog("Settings: --token/--team/--base-url/--week-start, else CLICKUP_TOKEN, CLICKUP_TEAM_ID, "
            .. "CLICKUP_BASE_URL, CLICKUP_WEEK_START, else ~/.config/clickup-time/config (key = value). "
            .. "Exit status: 0 success (status: a timer runs), 1 no timer runs, 2 usage or configuration "
            .. "error, 3 ClickUp could not be asked or the outcome is unknown, 130 interrupted.")
  p:help_max_width(80):help_description_margin(31)
  help_flag(p)
  p:flag("--version", "Show the version and exit."):action(early("version"))
  p:option("--token", "ClickUp API token (pk_... or OAuth).")
  p:option("--team", "Workspace id.")
  p:option("--base-url", "API base URL (the local server's, say).")
  p:option("--week-start", "First day of the week: monday (default), sunday, ...")
  p:option("--timeout", "Seconds to wait for ClickUp (default 20; entries and report 60)."):argname("<seconds>")
  p:command_target("command")
  p:require_command(true)
  local function task_flags(cmd)
    cmd:flag("--custom", "The task is a custom task id (DEV-42), whatever it looks like.")
  end
  local function entry_flags(cmd)
    cmd:option("-m --message", "Description."):argname("<text>")
    cmd:flag("--billable", "Billable time.")
    cmd:option("--tag", "Tag (repeat for several)."):count("*")
    task_flags(cmd)
  end

  local start = p:command("start", "Start a timer (the running one stops). The first word is the task when it "
                          .. "names one (86c7mc19h, #86c7mc19h, CU-86c7mc19h, DEV-42), else the task of the Git "
                          .. "branch; the other words are the description.")
    :summary("Start a timer (the running one stops).")
  start:argument("words", "[task] [description...]"):args("*")
  start:option("--at", "When it started: 10 min ago, 9:30, yesterday 17:00.")
  start:flag("--no-branch", "Do not take the task from the Git branch.")
  entry_flags(start)

  local stop = p:command("stop", "Stop the running timer.")
  stop:option("--at", "When it stopped: 17:30, 5 min ago.")
  local cancel = p:command("cancel", "Discard the running timer (its entry is deleted).")
  local cont = p:command("continue", "Start a timer on the task, description and tags of an entry "
                         .. "(default: the most recent).")
    :summary("Restart the task of an entry (default: the most recent).")
  cont:argument("entry", "Time entry id, or @1 (the most recent), @2, ..."):args("?")
  cont:option("--at", "When it started.")
  local status = p:command("status", "Show the running timer; exit status 0 while one runs, 1 when none.")
    :summary("Show the running timer (exit status 1: none).")
  status:flag("--json", "JSON output, for prompts and bars.")
  status:flag("--cached", "From the local journal alone, without asking ClickUp (a few milliseconds).")

  local sync = p:command("sync", "Send the changes recorded while ClickUp could not be reached; list what "
                         .. "ClickUp refused.")
    :summary("Send the changes recorded offline.")
  sync:option("--drop", "Discard a recorded change (a refused one) by its id."):argname("<id>")

  local log = p:command("log", "Log time already spent: a manual entry.")
  log:argument("time", "How long (1h30m, 90m, 1.5h, 2:15) or when (9:00-10:30, yesterday 14:00-15:15).")
  log:argument("words", "[task] [description...]"):args("*")
  log:option("--at", "With a duration: when it started (default: it ends now).")
  entry_flags(log)

  local entries = p:command("entries", "List time entries (@1 is the most recent).")
  entries:argument("range", "today, yesterday, this week (default), last month, 2026-11-01..2026-11-15, ...")
    :args("?")
  entries:flag("--everyone", "Everyone's entries (needs an admin token).")
  entries:mutex(entries:flag("--json", "JSON output."), entries:flag("--csv", "CSV output."))
  local function filters(cmd)
    cmd:mutex(cmd:flag("--billable", "Billable time only."), cmd:flag("--not-billable", "Non-billable time only."))
    cmd:option("--tag", "Only entries with this tag (repeat for several)."):count("*")
    cmd:option("--task", "Only this task (repeat)."):count("*")
    cmd:option("--user", "Only this user id or name (repeat)."):count("*")
    cmd:option("--grep", "Only entries whose description contains this.")
  end
  filters(entries)

  local edit = p:command("edit", "Change a time entry.")
  edit:argument("entry", "Time entry id, or @1, @2, ...")
  edit:option("-m --message", "Description."):argname("<text>")
  edit:option("--start", "New start (the end stays).")
  edit:option("--end", "New end (the start stays).")
  edit:option("--duration", "New duration (the start stays).")
  edit:option("--task", "Move it to this task.")
  task_flags(edit)
  edit:mutex(edit:flag("--billable", "Billable."), edit:flag("--not-billable", "Not billable."))
  edit:option("--tag", "name: replace the tags; +name: add one; --tag=-name: remove one (repeat)."):count("*")
  edit:option("--untag", "Remove this tag (repeat)."):count("*")

  local delete = p:command("delete", "Delete time entries (asks first on a terminal).")
  delete:argument("entry", "Time entry ids, or @1, @2, ..."):args("+")
  delete:flag("-y --yes", "Do not ask.")

  p:command("tags", "List the workspace's time-entry tags.")

  local report = p:command("report", "A report: totals by task, day, ..., rounded for invoices.")
  report:argument("range", "The period (default: this week)."):args("?")
  report:option("--by", "Group by task, list, folder, space, tag, user, billable, day, week, month "
                .. "(repeat to nest)."):count("*")
  report:option("--round", "Round each entry: 15m (up), 6m:up, 30m:nearest, 15m:down.")
  report:option("--round-per", "Round each entry (default) or each group."):choices{ "entry", "group" }
  report:option("--rate", "Hourly rate: 120, or user:NAME=150, task:ID=90, tag:NAME=200 (repeat)."):count("*")
  report:flag("--everyone", "Everyone's entries (needs an admin token).")
  filters(report)
  report:mutex(report:flag("--csv", "CSV: a row per piece of an entry (dates, times, ids)."),
               report:flag("--csv-groups", "CSV: a row per group."),
               report:flag("--json", "JSON output."), report:flag("--md", "Markdown output."),
               report:option("--html", "Write an HTML page to this file (- for stdout)."):argname("<file>"))

  local completion = p:command("completion", "Print the shell completion script: "
                               .. "eval \"$(clickup-time completion bash)\".")
    :summary("Print the completion script of a shell.")
  completion:argument("shell", "bash, zsh or fish."):choices{ "bash", "zsh", "fish" }
  local help = p:command("help", "Show the help of the command, or of a command.")
  help:argument("name", "A command."):args("?")

  local serve = p:command("serve-fake", "Run the local ClickUp-compatible server, for trying things out.")
    :summary("Run the local ClickUp-compatible server.")
  serve:option("--port", "Port (default: any free one)."):convert(tonumber)
  serve:flag("--realistic", "Send the oddities of real ClickUp answers (task \"0\", null ids, ...).")

  -- the writes say what they did in JSON too: the entry, or the change that waits ("queued": true)
  for _, cmd in ipairs{ start, stop, cancel, cont, log, edit, delete } do
    cmd:flag("--json", "JSON output: the entry, or {\"queued\": true, ...} when it waits in the journal.")
  end
  for _, cmd in ipairs(p._commands) do help_flag(cmd) end
  return p
end

return parser
