-- ClickUp unreachable: :ClickUp start, stop and log are recorded in the
-- journal and said so; back online, a focus (FocusGained) sends them.
local t = dofile(os.getenv("CT_SPEC") .. "/nvim/lib.lua")
t.run(function(out)
  local plugin = require "clickup.time.nvim"
  plugin.setup{ token = t.env("CT_TOKEN"), team_id = t.env("CT_TEAM"), base_url = t.env("CT_DOWN"),
                idle_minutes = false, retries = 0 }
  vim.cmd("ClickUp start 86c7mc19h on the train"); t.wait(1)
  out.statusline = plugin.statusline()
  vim.cmd("ClickUp stop"); t.wait(2)
  vim.cmd("ClickUp log 30m 86c7mc2ab written offline"); t.wait(3)
  local j = require("clickup.time.journal").open()
  out.intents = {}
  for _, v in ipairs(j:intents()) do out.intents[#out.intents + 1] = { op = v.op, at = v.at, start = v.args.start } end
  -- back online
  plugin.setup{ token = t.env("CT_TOKEN"), team_id = t.env("CT_TEAM"), base_url = t.env("CT_BASE_URL"),
                idle_minutes = false, retries = 0 }
  plugin.statusline()                                  -- the first use starts the plugin again
  t.wait(4)                                            -- it sends what waits at once
  vim.cmd("doautocmd FocusGained")
  vim.wait(300)
  out.left = #j:intents()
end)
