--- clickup.time.paths: where the command's files live (the XDG base
-- directories: $XDG_CONFIG_HOME, else ~/.config; $XDG_STATE_HOME, else
-- ~/.local/state; $XDG_CACHE_HOME, else ~/.cache), and where a module's
-- file is on a search path.

local M = {}

--- The first file of the path's templates that opens, as
-- package.searchpath looks for it: its name and the open file (the caller
-- reads and closes it), or nil.
function M.open_first(name, path)
  local file = name:gsub("%.", "/"):gsub("%%", "%%%%")
  for template in path:gmatch("[^;]+") do
    local candidate = template:gsub("%?", file)
    local f = io.open(candidate, "rb")
    if f then return candidate, f end
  end
  return nil
end

--- package.searchpath(name, path), which Lua 5.1 lacks: the first file of
--- the path's templates that opens, or nil.
M.searchpath = package.searchpath or function(name, path)
  local candidate, f = M.open_first(name, path)
  if f then f:close() end
  return candidate
end

--- base .. "/" .. tail, base being $VAR, else $HOME/home_sub; nil without a home.
function M.under(getenv, var, home_sub, tail)
  getenv = getenv or os.getenv
  local base = getenv(var)
  if not base or base == "" then
    local home = getenv("HOME")
    if not home or home == "" then return nil end
    base = home .. "/" .. home_sub
  end
  return base .. "/" .. tail
end

--- The config file: $XDG_CONFIG_HOME/clickup-time/config.
function M.config(getenv) return M.under(getenv, "XDG_CONFIG_HOME", ".config", "clickup-time/config") end

--- The command's compiled modules for this Lua (`which`): $XDG_CACHE_HOME/clickup-time/chunks/<which>.
function M.chunks(getenv, which) return M.under(getenv, "XDG_CACHE_HOME", ".cache", "clickup-time/chunks/" .. which) end

--- The journal: $XDG_STATE_HOME/clickup-time/journal.
function M.journal(getenv) return M.under(getenv, "XDG_STATE_HOME", ".local/state", "clickup-time/journal") end

return M
