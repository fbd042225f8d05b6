-- No token anywhere: startup is quiet, a command gives one notice, the
-- statusline stays empty and silent.
local t = dofile(os.getenv("CT_SPEC") .. "/nvim/lib.lua")
t.run(function(out)
  out.errmsg_at_startup = vim.v.errmsg
  out.statusline = require("clickup.time.nvim").statusline()
  out.messages_after_statusline = #t.messages
  require("clickup.time.nvim").setup{}              -- a setup{} without a token does not raise
  vim.cmd("ClickUp status")
  t.wait(1)
  vim.wait(200)
  vim.cmd("ClickUp bogus")
  t.wait(2)
end)
