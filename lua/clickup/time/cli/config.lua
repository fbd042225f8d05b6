--- clickup.time.cli.config: the config file of the `clickup-time` command.
--
-- $XDG_CONFIG_HOME/clickup-time/config, else ~/.config/clickup-time/config:
--
--   # my workspace
--   token = pk_12345_ABC          # a comment after a value
--   team = 9012345                # spelled like the flag (--team), or team_id
--   base-url = https://api.clickup.com/api/v2
--   week_start = sunday
--   timeout = 30
--   custom_pattern = ^[A-Z]+%-%d+$
--   journal = off
--
-- Lines are `key = value`; blank lines and lines starting with # are
-- ignored, and so is a # that follows a space (a value that holds " #" is
-- quoted: "..." or '...'). A key is spelled like its flag or with
-- underscores (base-url, base_url; team, team-id, team_id). An unknown key
-- is a warning that names the file and the line; a line that is not
-- `key = value` is an error that does too. A file that holds a token and
-- that others can read is refused.
--
--   local config = require "clickup.time.cli.config"
--   local conf, warnings = config.read(path)    -- or nil, message

local M = {}

--- The keys, as read (underscores), and what they hold.
M.KEYS = {
  token = "the API token", team_id = "the workspace id", base_url = "the API base URL",
  week_start = "the first day of a week", timeout = "seconds to wait for ClickUp",
  custom_pattern = "a Lua pattern for custom task ids (off: none)",
  min_id_length = "the shortest task id",
  journal = "the journal's file, or off (changes straight to ClickUp)",
}

local ALIASES = { team = "team_id" }

--- The file's path from the environment, or nil without a home.
function M.path(getenv) return require("clickup.time.paths").config(getenv) end

-- "rw-r-----" style permissions of a file, or nil
local function permissions(path)
  local ok, lfs = pcall(require, "lfs")
  if ok and lfs.attributes then return lfs.attributes(path, "permissions") end
  local p = io.popen("stat -c %A " .. ("'%s'"):format(path:gsub("'", "'\\''")) .. " 2>/dev/null")
  if not p then return nil end
  local mode = p:read("*l")
  p:close()
  return mode and mode:sub(2)
end

-- the closest known key to a misspelled one (at most 2 edits away), or nil
local function suggest(key)
  local best, best_d
  for known in pairs(M.KEYS) do
    local a, b = key, known
    local prev = {}
    for j = 0, #b do prev[j] = j end
    for i = 1, #a do
      local cur = { [0] = i }
      for j = 1, #b do
        local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
        cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      end
      prev = cur
    end
    local d = prev[#b]
    if d <= 2 and (not best_d or d < best_d) then best, best_d = known, d end
  end
  return best
end

--- One line: key, value; or nil for a blank line or a comment; or false and why.
function M.parse_line(line)
  local body = line:match("^%s*(.-)%s*$")
  if body == "" or body:sub(1, 1) == "#" then return nil end
  local key, rest = body:match("^([%w_%-]+)%s*=%s*(.*)$")
  if not key then return false, "expected key = value" end
  local value
  local q = rest:sub(1, 1)
  if q == '"' or q == "'" then
    local close = rest:find(q, 2, true)
    if not close then return false, "the quote " .. q .. " is not closed" end
    value = rest:sub(2, close - 1)
    local after = rest:sub(close + 1)
    if not (after:match("^%s*$") or after:match("^%s+#")) then
      return false, "text after the closing quote"
    end
  else
    value = rest:gsub("%s+#.*$", ""):match("^(.-)%s*$")
  end
  key = key:lower():gsub("%-", "_")
  return ALIASES[key] or key, value
end

--- The settings of the file at path: conf, warnings (a list of lines); {} when
-- there is no file; or nil and a message naming the file (and the line).
function M.read(path)
  local f = path and io.open(path, "r")
  if not f then return {}, {} end
  local conf, warnings, n = {}, {}, 0
  for line in f:lines() do
    n = n + 1
    local key, value = M.parse_line(line)
    if key == false then
      f:close()
      return nil, ("%s:%d: %s"):format(path, n, value)
    elseif key then
      if M.KEYS[key] then
        conf[key] = value
      else
        local near = suggest(key)
        warnings[#warnings + 1] = ("%s:%d: unknown key '%s' (ignored)%s"):format(path, n, key,
          near and ("; did you mean '" .. near .. "'?") or "")
      end
    end
  end
  f:close()
  if conf.token then
    local mode = permissions(path)
    if mode and (mode:sub(4, 6) ~= "---" or mode:sub(7, 9) ~= "---") then
      return nil, path .. " holds a token and others can read it (" .. mode .. "): chmod 600 " .. path
    end
  end
  return conf, warnings
end

return M
