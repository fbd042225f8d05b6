-- Run by spec/plugin_spec.lua in headless `nvim -u NONE`, with only a
-- fresh copy of the repository (built with `make nvim`) on the runtimepath:
-- the plugin as a plugin manager installs it, against the local server.
local t = dofile(os.getenv("CT_SPEC") .. "/nvim/lib.lua")
t.run(function(out)
  out.loaded_at_startup = package.loaded["clickup.time"] ~= nil or package.loaded["clickup.time.nvim"] ~= nil
  out.has_command = vim.fn.exists(":ClickUp") == 2 and vim.fn.exists(":ClickUpStart") == 2
  vim.g.clickup_time = { token = t.env("CT_TOKEN"), team_id = t.env("CT_TEAM"), base_url = t.env("CT_BASE_URL"),
                         idle_minutes = false }
  vim.cmd("ClickUp start 86c7mc19h Coding the plugin"); t.wait(1)
  vim.cmd("ClickUp status"); t.wait(2)
  vim.cmd("ClickUp start DEV-42 docs"); t.wait(3)
  vim.cmd("ClickUp start v2 migration"); t.wait(4)
  vim.cmd("cd " .. t.env("CT_REPO"))
  vim.cmd("ClickUp start"); t.wait(5)
  out.statusline = require("clickup.time.nvim").statusline()
  vim.cmd("ClickUp stop"); t.wait(6)
  vim.cmd("ClickUp log 1h30m 86c7mc2ab Review"); t.wait(7)
  out.core = package.loaded["clickup.time"].core.ABI
  vim.cmd("ClickUp report this week")
  assert(vim.wait(5000, function() return vim.bo.filetype == "clickup-time" end, 5), "no report buffer")
  out.report_name = vim.api.nvim_buf_get_name(0)
  out.report = t.lines()
  vim.cmd("close")
  vim.cmd("silent checkhealth clickup.time")
  out.health = t.lines()
  vim.cmd("helptags " .. t.env("CT_CLONE") .. "/doc")
  vim.cmd("help clickup-time")
  out.help_file = vim.fn.expand("%:t")
  out.help_line = vim.api.nvim_get_current_line()
  vim.cmd("help :ClickUp-start")
  out.help_start = vim.api.nvim_get_current_line()
end)
