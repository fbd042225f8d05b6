--- clickup.time.paths: where the command's files live (the XDG base
-- directories: $XDG_CONFIG_HOME, else ~/.config; $XDG_STATE_HOME, else
-- ~/.local/state).

local M = {}

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

--- The journal: $XDG_STATE_HOME/clickup-time/journal.
function M.journal(getenv) return M.under(getenv, "XDG_STATE_HOME", ".local/state", "clickup-time/journal") end

return M
