-- 5 s of redraws against a failing server: the statusline asks at most
-- once per interval and backs off after the failure, notifies once, and
-- nothing reaches stderr.
local t = dofile(os.getenv("CT_SPEC") .. "/nvim/lib.lua")
t.run(function(out)
  vim.g.clickup_time = { token = t.env("CT_TOKEN"), team_id = t.env("CT_TEAM"), base_url = t.env("CT_BASE_URL"),
                         refresh_seconds = 1, idle_minutes = false, retries = 0 }
  vim.o.statusline = "%{v:lua.require'clickup.time.nvim'.statusline()}"
  vim.o.laststatus = 2
  local plugin = require "clickup.time.nvim"
  local seen = {}
  local deadline = vim.loop.now() + 5000
  while vim.loop.now() < deadline do
    vim.cmd("redrawstatus")
    seen[plugin.statusline()] = true
    vim.wait(50)
  end
  out.shown = vim.tbl_keys(seen)
  out.last = plugin.statusline()
end)
