-- clickup-time for Neovim: the commands, defined lazily. Nothing is loaded
-- until a command runs (or completes): startup costs a few commands.
-- Configuration: vim.g.clickup_time = { ... } (:help clickup-time-config).
if vim.g.loaded_clickup_time then return end
vim.g.loaded_clickup_time = 1

local function plugin() return require("clickup.time.nvim") end
local cmd = vim.api.nvim_create_user_command

cmd("ClickUp", function(o)
  local args = o.fargs
  plugin().command(args[1], { unpack(args, 2) })
end, {
  nargs = "*",
  desc = "ClickUp time tracking: start, stop, status, cancel, log, entries, report, tasks",
  complete = function(lead, line) return plugin().complete(lead, line) end,
})

-- the older commands, each a subcommand
for name, sub in pairs{ ClickUpStart = "start", ClickUpStop = "stop", ClickUpStatus = "status",
                        ClickUpLog = "log" } do
  cmd(name, function(o) plugin().command(sub, o.fargs) end,
      { nargs = sub == "start" and "*" or sub == "log" and "+" or 0, desc = "ClickUp " .. sub })
end
