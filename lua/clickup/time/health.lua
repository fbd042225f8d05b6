--- :checkhealth clickup.time
--
-- What a user needs to know when the plugin does not work: the core loads
-- and for which Lua ABI it was built, libcurl and its TLS backend, the JSON
-- decoders, a token is configured (never shown) and where it comes from,
-- the workspace, and a live GET /team with a short timeout that names
-- ClickUp's error code when the token is refused.

local M = {}

local vim = rawget(_G, "vim")

-- vim.health.start/ok/... where they exist (0.10 deprecates report_*), else
-- the 0.7-0.9 require("health").report_*
local function reporter()
  local h = vim.health
  if h and h.start then return h end
  local old = require "health"
  return { start = old.report_start, ok = old.report_ok, warn = old.report_warn,
           error = old.report_error, info = old.report_info }
end

local function one_line(err)
  return (tostring(err):gsub("^[^\n]-%.lua:%d+: ", ""):gsub("^clickup%.time: ", ""):gsub("%s*\n.*$", ""))
end

function M.check()
  local h = reporter()
  local plugin = require "clickup.time.nvim"
  local cfg = plugin.config()

  h.start("clickup-time: the core")
  local ok, clickup = pcall(require, "clickup.time")
  if not ok then
    h.error(one_line(clickup), { "Run `make nvim` in the plugin's folder (lazy.nvim: build = \"make nvim\")",
                                 "or install the rock: luarocks --lua-version=5.1 install clickup-time" })
    return
  end
  local core = clickup.core
  local where = require("clickup.time.paths").searchpath("clickup.time.core", package.cpath)
      or vim.api.nvim_get_runtime_file("lua/clickup/time/core.so", false)[1]
  h.ok(("clickup.time %s, core built for %s%s"):format(clickup.VERSION, core.ABI or "?",
       where and (" (" .. where .. ")") or ""))
  h.ok(core.curl_version .. " (libcurl, and its TLS backend)")
  local has_cjson = pcall(require, "cjson")
  if has_cjson then
    h.ok("JSON: the core's own decoder, lua-cjson for the rare answer it does not take")
  elseif vim.json then
    h.ok("JSON: the core's own decoder, vim.json for the rare answer it does not take")
  else
    h.warn("JSON: neither lua-cjson nor vim.json: answers the core's decoder does not take will fail")
  end

  h.start("clickup-time: configuration")
  local source = plugin.token_source(cfg)
  if not source then
    h.warn("no token", { "Set $CLICKUP_TOKEN, or vim.g.clickup_time = { token_cmd = { \"pass\", \"clickup\" } }",
                         ":help clickup-time-config" })
    return
  end
  h.ok("a token is configured (from " .. source .. ")")
  local team = cfg.team_id or os.getenv("CLICKUP_TEAM_ID")
  if team == "" then team = nil end
  if team then
    h.ok("workspace " .. tostring(team))
  else
    h.info("no workspace configured: the token's only workspace is used, if it has one")
  end

  h.start("clickup-time: ClickUp")
  local made, client = pcall(function()
    local opts = { timeout = 5, connect_timeout = 3, retries = 0 }
    local o = {}
    for k, v in pairs(cfg) do o[k] = v end
    for k, v in pairs(opts) do o[k] = v end
    return plugin.make_blocking_client(o)
  end)
  if not made or not client then
    h.error(one_line(made and "no client" or client))
    return
  end
  local teams, err = client:teams()
  client:close()
  if not teams then
    local advice
    if err.code == "OAUTH_025" or err.code == "OAUTH_019" or err.code == "OAUTH_021" or err.code == "OAUTH_077" then
      advice = { "ClickUp refused the token: make a new one in ClickUp, Settings > Apps" }
    elseif err.kind == "transport" then
      advice = { "ClickUp could not be reached from here: check the network, a proxy (https_proxy) or base_url" }
    end
    h.error(("GET /team: %s"):format(one_line(err)), advice)
    return
  end
  local ids = {}
  for i, t in ipairs(teams) do ids[i] = t.id end
  h.ok(("GET /team: the token reaches %d workspace%s (%s)"):format(#teams, #teams == 1 and "" or "s",
       table.concat(ids, ", ")))
  if team then
    local found = false
    for _, t in ipairs(teams) do found = found or t.id == tostring(team) end
    if not found then h.error("workspace " .. tostring(team) .. " is not among the token's workspaces") end
  elseif #teams ~= 1 then
    h.warn("the token has several workspaces: set team_id in vim.g.clickup_time or $CLICKUP_TEAM_ID")
  end
end

return M
