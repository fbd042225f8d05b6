--- clickup.time.demo: the main job, as `make demo` runs it.
--
-- A short scripted session of the `clickup-time` command against the local
-- ClickUp server: start a timer, look at it, stop it, log a manual entry,
-- and a week's report rounded for an invoice, with its chart. With
-- CLICKUP_TOKEN and CLICKUP_TEAM_ID set it talks to the real ClickUp and
-- only reads: the running timer and this week's report, changing nothing.

local clickup = require "clickup.time"

local M = {}

local MINUTE = 60000

-- "a 'b c' d" -> { "a", "b c", "d" }: the demo's command lines, shell-like
local function words(line)
  local out, pos = {}, 1
  while true do
    local _, e = line:find("^%s*", pos)
    pos = e + 1
    if pos > #line then break end
    if line:sub(pos, pos) == "'" then
      local close = assert(line:find("'", pos + 1, true), "unclosed quote")
      out[#out + 1] = line:sub(pos + 1, close - 1)
      pos = close + 1
    else
      local s
      s, e = line:find("^[^%s]+", pos)
      out[#out + 1] = line:sub(s, e)
      pos = e + 1
    end
  end
  return out
end

-- run `clickup-time args`, echoing the command and its output; in-process
-- (the same code as bin/clickup-time), so that the token never sits on a
-- command line
local function command(out, getenv, args)
  out:write("$ clickup-time ", args, "\n")
  local cli = require "clickup.time.cli"
  local buffer = { write = function(self, ...)
    for _, s in ipairs{ ... } do out:write(s) end
    return self
  end }
  cli.main(words(args), { getenv = getenv, stdout = buffer, stderr = buffer, color = false })
  out:write("\n")
end

--- Read-only look at the real ClickUp.
local function live(out)
  out:write("ClickUp workspace ", clickup.getenv("CLICKUP_TEAM_ID"), " (read only)\n\n")
  command(out, clickup.getenv, "status")
  command(out, clickup.getenv, "report 'this week' --round 15m:up")
end

--- The scripted session against the local server.
local function local_session(out)
  local fake = require "clickup.time.fake"
  local server = fake.spawn{}
  local ok, err = pcall(function()
    local vars = { CLICKUP_TOKEN = server.token, CLICKUP_TEAM_ID = server.team_id,
                   CLICKUP_BASE_URL = server.base_url }
    local function env(name)
      if vars[name] then return vars[name] end
      if name:match("^CLICKUP_") or name == "XDG_CONFIG_HOME" or name == "HOME" then return nil end
      return os.getenv(name)
    end
    out:write("Local ClickUp server at ", server.base_url, "\n\n")
    local now = clickup.now_ms()
    server:set_clock(now)
    command(out, env, "start 86c7mc19h -m 'Design review' --billable")
    server:set_clock(now + 25 * MINUTE)             -- the local server's clock moves on
    command(out, env, "status")
    command(out, env, "stop")
    server:set_clock(nil)
    command(out, env, "log 1h30m 86c7mc2ab --at 'today 09:00' -m 'API docs'")
    command(out, env, "report 'this week' --round 15m:up --rate 120")
  end)
  server:stop()
  if not ok then error(err, 0) end
end

--- Run the demo; output goes to `out` (default io.stdout).
function M.run(out)
  out = out or io.stdout
  if clickup.getenv("CLICKUP_TOKEN") and clickup.getenv("CLICKUP_TEAM_ID") then
    live(out)
  else
    local_session(out)
  end
end

return M
