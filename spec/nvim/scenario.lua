-- Run inside headless Neovim by spec/nvim_spec.lua (the repository on the
-- runtimepath, its core built by make nvim): drives the plugin against the
-- local server and writes what happened, as JSON, to $CT_OUT.
local env = function(k) return assert(os.getenv(k), k) end

local out = {}
local ok, err = pcall(function()
  local clickup = require "clickup.time"
  out.core = vim.api.nvim_get_runtime_file("lua/clickup/time/core.so", false)[1]
  local messages = {}
  vim.notify = function(msg) messages[#messages + 1] = msg end
  local function wait_msgs(n)
    assert(vim.wait(5000, function() return #messages >= n end, 5), "no message " .. n)
  end

  local plugin = require("clickup.time.nvim").setup{
    token = env("CT_TOKEN"), team_id = env("CT_TEAM"), base_url = env("CT_BASE_URL"),
    idle_minutes = 1, retries = 0,
  }
  local client = plugin.client()

  -- a request to a deliberately slow endpoint, while a Neovim timer ticks
  local ticks, got = 0, nil
  local t = (vim.uv or vim.loop).new_timer()
  t:start(10, 10, vim.schedule_wrap(function() ticks = ticks + 1 end))
  client:entry(env("CT_ENTRY"), function(e) got = e; out.ticks_at_delivery = ticks end)
  out.returned_at_once = got == nil
  out.ticks_at_call = ticks
  assert(vim.wait(5000, function() return got ~= nil end, 5), "no entry")
  t:stop()
  t:close()
  out.entry_id = got.id
  out.entry_start_type = type(got.start)

  -- the commands and the statusline
  out.statusline_before = plugin.statusline()
  vim.cmd("ClickUpStatus"); wait_msgs(1)
  vim.cmd("ClickUpStart 86c7mc19h Coding the plugin"); wait_msgs(2)
  vim.cmd("ClickUpStatus"); wait_msgs(3)
  out.statusline = plugin.statusline()
  vim.cmd("ClickUpStop"); wait_msgs(4)
  out.statusline_after = plugin.statusline()
  vim.cmd("ClickUpLog 1h30m 86c7mc2ab Review"); wait_msgs(5)
  vim.cmd("ClickUpLog soon"); wait_msgs(6)

  -- the forgotten-timer guard: a timer runs, the editor idles, the user comes back and trims
  vim.cmd("ClickUpStart Deep work"); wait_msgs(7)
  local now = clickup.now_ms()
  local asked = 0
  vim.ui.select = function(items, opts, on_choice)
    asked = asked + 1
    out.prompt, out.choices = opts.prompt, items
    on_choice(items[2], 2)
  end
  plugin.activity(now)
  plugin.check_idle(now + 30000)                -- half a minute: not idle yet
  plugin.activity(now + 40000)                  -- back in time: nothing to ask
  out.asked_early = asked
  plugin.check_idle(now + 40000 + 2 * 60000)    -- two minutes without a key
  plugin.activity(now + 40000 + 3 * 60000)      -- back: asked once
  wait_msgs(8)
  out.asked = asked
  out.messages = messages
end)
out.ok, out.err = ok, err and tostring(err)
local f = assert(io.open(env("CT_OUT"), "w"))
f:write(vim.json.encode(out))
f:close()
vim.cmd("qa!")
