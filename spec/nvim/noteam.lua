-- A token but no workspace id: the token's only workspace is used.
local t = dofile(os.getenv("CT_SPEC") .. "/nvim/lib.lua")
t.run(function(out)
  require("clickup.time.nvim").setup{ token = t.env("CT_TOKEN"), base_url = t.env("CT_BASE_URL"),
                                      idle_minutes = false }
  out.statusline = require("clickup.time.nvim").statusline()     -- starts the lookup, never raises
  vim.cmd("ClickUp start 86c7mc19h")
  t.wait(1)
  out.team = require("clickup.time.nvim").client().team_id
  assert(vim.wait(3000, function() return require("clickup.time.nvim").statusline() ~= "" end, 10))
  out.statusline_after = require("clickup.time.nvim").statusline()
  vim.cmd("ClickUp stop")
  t.wait(2)
end)
