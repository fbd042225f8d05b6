--- clickup.time.cli.man: the man page and the shell completions of the
-- `clickup-time` command, made from its argparse parser (so that they never
-- disagree with --help).
--
--   local man = require "clickup.time.cli.man"
--   man.page(parser, { date = "2026-12-01" })    --> clickup-time.1 (roff)
--   man.completion(parser, "bash" | "zsh" | "fish")
--
--   man.install(dir)                              --> writes dir/man/man1/clickup-time.1,
--                                                     dir/completions/clickup-time.bash, _clickup-time,
--                                                     clickup-time.fish
-- `make` writes them under build/, and the rock under its own folder
-- (luarocks show --rock-dir clickup-time).

local ipairs, tostring = ipairs, tostring
local concat = table.concat

local M = {}

-- roff text: backslashes doubled, a leading dot or quote escaped, dashes as \-
local function roff(s)
  s = tostring(s):gsub("\\", "\\\\"):gsub("%-", "\\-")
  return (s:gsub("\n([.'])", "\n\\&%1"):gsub("^([.'])", "\\&%1"))
end

-- a help text (argparse's get_help) as a preformatted block
local function block(text)
  return ".nf\n" .. roff(text) .. "\n.fi\n"
end

local EXIT = {
  { "0", "Success (for status: a timer runs); a change recorded in the journal while ClickUp could not "
         .. "be reached, to be sent later, is a success too." },
  { "1", "No timer runs (status; stop and cancel when there was none)." },
  { "2", "A usage or configuration error: a bad flag or value, a config file error, no token, a token "
         .. "ClickUp refuses, an id or a task that does not exist." },
  { "3", "ClickUp could not be asked (connection refused, no answer within \\-\\-timeout, TLS, the rate "
         .. "limit) or failed, or the outcome of a change is unknown." },
  { "130", "Interrupted (Ctrl\\-C)." },
}

local ENVIRONMENT = {
  { "CLICKUP_TOKEN", "The API token (pk_... or an OAuth token)." },
  { "CLICKUP_TEAM_ID", "The workspace id." },
  { "CLICKUP_BASE_URL", "The API base URL (default https://api.clickup.com/api/v2)." },
  { "CLICKUP_WEEK_START", "The first day of a week (monday, sunday, ...)." },
  { "NO_COLOR", "No colour, even on a terminal." },
  { "XDG_CONFIG_HOME", "Where the config file is (default ~/.config)." },
  { "XDG_STATE_HOME", "Where the journal is (default ~/.local/state)." },
  { "CLICKUP_JOURNAL", "Another journal file, or off: the changes then go straight to ClickUp." },
}

--- The man page of the parser, in roff. opts.date (default today), opts.version.
function M.page(p, opts)
  opts = opts or {}
  local version = opts.version or require("clickup.time").VERSION
  local out = {
    ('.TH CLICKUP\\-TIME 1 "%s" "clickup\\-time %s" "User Commands"'):format(opts.date or os.date("%Y-%m-%d"),
                                                                          version),
    ".SH NAME",
    "clickup\\-time \\- " .. roff(p._description:gsub("%.$", ""):gsub("^%u", string.lower)),
    ".SH SYNOPSIS",
    block(p:get_usage():gsub("^Usage: ", "")),
    ".SH DESCRIPTION",
    roff("Track time on ClickUp tasks: start and stop timers, log time spent, list, edit and delete "
         .. "entries, and reports for invoices (rounded, with rates, as a table, CSV, JSON, Markdown or an "
         .. "HTML page). Times are read as people write them (9:30, yesterday 14:00, 10 min ago) in the "
         .. "local time zone; @1 names the most recent entry, @2 the one before."),
    ".SH OPTIONS",
    block(p:get_help():match("\nOptions:\n(.-)\n\nCommands:") or ""),
    ".SH COMMANDS",
  }
  for _, cmd in ipairs(p._commands) do
    out[#out + 1] = ".SS " .. roff(cmd._name)
    out[#out + 1] = block(cmd:get_help())
  end
  out[#out + 1] = ".SH EXIT STATUS"
  for _, e in ipairs(EXIT) do
    out[#out + 1] = ".TP\n.B " .. e[1] .. "\n" .. e[2]
  end
  out[#out + 1] = ".SH ENVIRONMENT"
  for _, e in ipairs(ENVIRONMENT) do
    out[#out + 1] = ".TP\n.B " .. e[1] .. "\n" .. roff(e[2])
  end
  out[#out + 1] = ".SH FILES"
  out[#out + 1] = ".TP\n.I ~/.config/clickup\\-time/config\n"
    .. roff("key = value lines: token, team (or team_id), base-url, week-start, timeout, custom_pattern, "
            .. "min_id_length, journal; # starts a comment. Refused when it holds a token and others can "
            .. "read it.")
  out[#out + 1] = ".TP\n.I ~/.local/state/clickup\\-time/journal\n"
    .. roff("Every change (start, stop, log, edit, delete, cancel) is written here and flushed to the disk "
            .. "before it is sent; when ClickUp cannot be reached it waits here, and the next command (or "
            .. "clickup-time sync) sends it, once, with the times it was made.")
  out[#out + 1] = ".SH EXAMPLES"
  out[#out + 1] = block(concat({
    "clickup-time start DEV-42 fixing the login --at '10 min ago'",
    "clickup-time stop --at 17:30",
    "clickup-time log 9:00-10:30 86c7mc19h review",
    "clickup-time edit @1 --tag +billing --untag draft",
    "clickup-time report 'last month' --by task --round 15m --rate 120 --html invoice.html",
    "eval \"$(clickup-time completion bash)\"",
  }, "\n"))
  out[#out + 1] = ".SH SEE ALSO"
  out[#out + 1] = "The README of clickup\\-time, and :help clickup\\-time in Neovim."
  return concat(out, "\n") .. "\n"
end

--- The completion script for a shell ("bash", "zsh" or "fish").
function M.completion(p, shell)
  if shell == "bash" then return p:get_bash_complete() end
  if shell == "zsh" then return p:get_zsh_complete() end
  if shell == "fish" then return p:get_fish_complete() end
  error("clickup.time.cli.man: completion: bash, zsh or fish, not " .. tostring(shell), 2)
end

-- the files install writes, under its folder
M.FILES = {
  { "man/man1/clickup-time.1", "page" },
  { "completions/clickup-time.bash", "bash" },
  { "completions/_clickup-time", "zsh" },
  { "completions/clickup-time.fish", "fish" },
}

--- Write the man page and the completions under dir (M.FILES); returns their paths.
function M.install(dir, p)
  p = p or require("clickup.time.cli").parser()
  local written = {}
  for _, f in ipairs(M.FILES) do
    local path = dir .. "/" .. f[1]
    local folder = path:match("^(.*)/[^/]*$")
    assert(os.execute("mkdir -p '" .. folder:gsub("'", "'\\''") .. "'"))
    local text = f[2] == "page" and M.page(p) or M.completion(p, f[2])
    local out = assert(io.open(path, "w"))
    out:write(text)
    out:close()
    written[#written + 1] = path
  end
  return written
end

return M
