-- :checkhealth clickup.time with the configuration of the environment.
local t = dofile(os.getenv("CT_SPEC") .. "/nvim/lib.lua")
t.run(function(out)
  vim.g.clickup_time = { token = os.getenv("CT_TOKEN"), team_id = os.getenv("CT_TEAM"),
                         base_url = os.getenv("CT_BASE_URL") }
  vim.cmd("silent checkhealth clickup.time")
  out.health = t.lines()
end)
