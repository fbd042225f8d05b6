--- clickup.time.nvim: ClickUp time tracking inside Neovim, never blocking it.
--
--     require("clickup.time.nvim").setup{ token = ..., team_id = ... }   -- or $CLICKUP_TOKEN ...
--
-- Commands :ClickUpStart [task_id] [description], :ClickUpStop,
-- :ClickUpStatus, :ClickUpLog {duration} [task_id] [description], and
-- statusline() for the running timer with its live elapsed time. Every
-- request is non-blocking (the client is attached to Neovim's libuv loop);
-- results and errors reach the user with vim.notify, from vim.schedule.
--
-- The forgotten-timer guard: when a timer runs and the editor has been idle
-- longer than `idle_minutes`, the user is asked on return whether to keep
-- the time, trim the entry back to when they went idle, or discard it.

local clickup = require "clickup.time"
local duration = require "clickup.time.duration"
local uv_driver = require "clickup.time.uv"

local M = {}

local unpack = table.unpack or unpack
local MINUTE = 60000

local state                       -- set by setup

local function vim_() return rawget(_G, "vim") end

local function notify(msg, level)
  local vim = vim_()
  vim.notify("ClickUp: " .. msg, level or vim.log.levels.INFO)
end

local function fail(what, err)
  notify(what .. " failed: " .. tostring(err), vim_().log.levels.ERROR)
end

local function label(e)
  if e.task and e.task.name then return e.task.name end
  if e.description and e.description ~= "" then return e.description end
  return "timer"
end

--- Words -> task id and description. The first word is a task id when it
-- has a digit (ClickUp ids like 86c7mc19h and custom ids like DEV-42 do).
function M.split(words)
  local first = words[1]
  if first and first:match("^[%w_%-]+$") and first:match("%d") then
    local rest = table.concat(words, " ", 2)
    return first, rest ~= "" and rest or nil
  end
  local all = table.concat(words, " ")
  return nil, all ~= "" and all or nil
end

local function set_running(e)
  state.cache = e or nil
  state.cache_at = clickup.now_ms()
end

--- :ClickUpStart [task_id] [description]
function M.start(words)
  local tid, description = M.split(words or {})
  state.client:start({ tid = tid, description = description }, function(e, err)
    if not e then return fail("start", err) end
    set_running(e)
    notify("started " .. label(e))
  end)
end

--- :ClickUpStop
function M.stop()
  state.client:stop(function(e, err)
    if e == nil then return fail("stop", err) end
    set_running(nil)
    if not e then return notify("no timer was running") end
    notify(("stopped %s after %s"):format(label(e), duration.format(e:elapsed())))
  end)
end

--- :ClickUpStatus
function M.status()
  state.client:current(function(e, err)
    if e == nil then return fail("status", err) end
    set_running(e)
    if not e then return notify("no timer running") end
    notify(("%s: %s"):format(label(e), duration.format(e:elapsed())))
  end)
end

--- :ClickUpLog {duration} [task_id] [description]: a manual entry ending now.
function M.log(words)
  words = words or {}
  local ms, why = duration.parse(words[1] or "")
  if not ms or ms <= 0 then
    return notify("usage: ClickUpLog {duration like 1h30m} [task_id] [description]" ..
                  (why and (" (" .. why .. ")") or ""), vim_().log.levels.WARN)
  end
  local tid, description = M.split({ unpack(words, 2) })
  state.client:create({ start = clickup.now_ms() - ms, duration = ms, tid = tid, description = description },
                      function(e, err)
    if not e then return fail("log", err) end
    notify(("logged %s on %s"):format(duration.format(e.duration), label(e)))
  end)
end

--- The running timer and its live elapsed time, for 'statusline': "⏱ Task 1 1h 05m".
-- Never blocks: it reads a cache that a non-blocking request refreshes at
-- most once per `refresh_seconds` (60: rate friendly).
function M.statusline()
  if not state then return "" end
  local now = clickup.now_ms()
  if not state.refreshing and now - state.cache_at >= state.refresh_ms then
    state.refreshing = true
    state.client:current(function(e)
      state.refreshing = false
      if e ~= nil then set_running(e) end
    end)
  end
  local e = state.cache
  if not e then return "" end
  return state.icon .. label(e) .. " " .. duration.format(e:elapsed(now))
end


-- {====== the forgotten-timer guard

local CHOICES = { "Keep the time", "Trim the entry to when I went idle", "Discard the entry" }

-- Ask what to do with the timer that ran while the user was away from `since` to `now`.
local function ask(since, now)
  local vim = vim_()
  state.client:current(function(e, err)
    if not e then
      state.asking = false
      if e == nil then fail("status", err) end
      return
    end
    local away = duration.format(now - since)
    vim.ui.select(CHOICES, { prompt = ("ClickUp: %s kept running while you were away for %s"):format(label(e), away) },
                  function(_, choice)
      local function done(msg) state.asking = false; if msg then notify(msg) end end
      if choice == 2 then
        state.client:update(e.id, { start = e.start, ["end"] = math.max(e.start, since) }, function(r, uerr)
          if r == nil then state.asking = false; return fail("trim", uerr) end
          set_running(nil)
          done(("trimmed %s to %s"):format(label(e), duration.format(math.max(0, since - e.start))))
        end)
      elseif choice == 3 then
        state.client:delete(e.id, function(r, derr)
          if r == nil then state.asking = false; return fail("discard", derr) end
          set_running(nil)
          done("discarded " .. label(e))
        end)
      else
        done("kept " .. label(e))
      end
    end)
  end)
end

--- The editor saw the user (an autocmd); on return from an idle spell with a timer running, ask.
function M.activity(now)
  now = now or clickup.now_ms()
  local since = state.idle_since
  if since and not state.asking then
    state.idle_since, state.asking = nil, true
    ask(since, now)
  end
  state.last_active = now
end

--- The guard's clock: past `idle_minutes` without activity while a timer runs, the user is away.
function M.check_idle(now)
  now = now or clickup.now_ms()
  if state.cache and not state.idle_since and now - state.last_active >= state.idle_ms then
    state.idle_since = state.last_active
  end
end

-- }======


--- Set up the commands, the statusline cache and the guard. Options:
-- token, team_id, base_url (default: $CLICKUP_*), idle_minutes (15; false
-- turns the guard off), refresh_seconds (60), icon ("⏱ "), and any option of
-- clickup.new.
function M.setup(opts)
  local vim = vim_()
  assert(vim, "clickup.time.nvim runs inside Neovim")
  opts = opts or {}
  local client_opts = {}
  for k, v in pairs(opts) do
    if k ~= "idle_minutes" and k ~= "refresh_seconds" and k ~= "icon" then client_opts[k] = v end
  end
  if state and state.detach then state.detach() end
  local client = clickup.new(client_opts)
  local now = clickup.now_ms()
  state = {
    client = client, cache = nil, cache_at = -math.huge, refreshing = false,
    refresh_ms = (opts.refresh_seconds or 60) * 1000, icon = opts.icon or "⏱ ",
    idle_ms = opts.idle_minutes ~= false and (opts.idle_minutes or 15) * MINUTE or nil,
    last_active = now, idle_since = nil, asking = false,
  }
  state.detach = uv_driver.attach(client, { uv = vim.uv or vim.loop, schedule = vim.schedule })

  local cmd = vim.api.nvim_create_user_command
  cmd("ClickUpStart", function(o) M.start(o.fargs) end, { nargs = "*", desc = "Start a ClickUp timer" })
  cmd("ClickUpStop", function() M.stop() end, { nargs = 0, desc = "Stop the running ClickUp timer" })
  cmd("ClickUpStatus", function() M.status() end, { nargs = 0, desc = "Show the running ClickUp timer" })
  cmd("ClickUpLog", function(o) M.log(o.fargs) end, { nargs = "+", desc = "Log time on ClickUp" })

  if state.idle_ms then
    local group = vim.api.nvim_create_augroup("ClickUpTimeGuard", { clear = true })
    vim.api.nvim_create_autocmd({ "CursorMoved", "CursorMovedI", "InsertEnter", "TextChanged",
                                  "TextChangedI", "FocusGained", "CmdlineEnter" },
                                { group = group, callback = function() M.activity() end })
    local timer = (vim.uv or vim.loop).new_timer()
    local every = math.max(1000, math.min(30000, math.floor(state.idle_ms / 4)))
    timer:start(every, every, vim.schedule_wrap(function() M.check_idle() end))
    local detach = state.detach
    state.detach = function()
      timer:stop()
      timer:close()
      detach()
    end
  end
  return M
end

--- The client setup made (for scripts and tests).
function M.client() return state and state.client end

return M
