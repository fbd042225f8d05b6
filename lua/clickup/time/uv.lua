--- clickup.time.uv: drive a client's non-blocking calls from a libuv loop.
--
--     local uv = require "clickup.time.uv"
--     uv.attach(client)            -- vim.uv / vim.loop inside Neovim, else require "luv"
--
-- The loop then wakes only when there is work: the core says which sockets
-- libcurl waits on, for reading or writing, and when its next timeout is
-- (client:watch); a poll handle per socket and one timer follow that, and
-- tell the core what is ready (socket_action). A second timer serves the
-- client's own waits (rate limits, backoffs). Callbacks then run by
-- themselves, through vim.schedule inside Neovim (luv callbacks run in a
-- restricted context there).

local M = {}

local max, ceil = math.max, math.ceil

local function default_uv()
  local vim = rawget(_G, "vim")
  if vim then return vim.uv or vim.loop end
  return require "luv"
end

--- Attach `client` to a loop. opts.uv: the luv module (default as above);
-- opts.schedule: how user callbacks are run (default vim.schedule in
-- Neovim, else directly). Returns a function that detaches; as always with
-- libuv, its handles are closed on the loop's next turn.
function M.attach(client, opts)
  opts = opts or {}
  local uv = opts.uv or default_uv()
  local core = client._core
  if client._driver then error("clickup.time.uv: this client is attached already", 2) end
  if core:pending() > 0 then
    error("clickup.time.uv: attach the client before it starts non-blocking calls", 2)
  end
  local vim = rawget(_G, "vim")
  local schedule = opts.schedule or (vim and vim.schedule) or nil
  local polls = {}                      -- fd -> poll handle
  local curl_timer, lua_timer = uv.new_timer(), uv.new_timer()
  local now = require("clickup.time.core").now_ms
  local sync, closed

  local driver = { wakeups = 0 }       -- how often the loop woke us: a measure of idleness

  -- after libcurl moved: deliver answers and due timers, then follow what curl waits for
  local function after()
    if closed then return end
    driver.wakeups = driver.wakeups + 1
    local ok, err = pcall(client._dispatch, client)
    sync()
    if not ok then error(err, 0) end    -- a callback's error surfaces here, after the bookkeeping
  end

  local function on_curl_timer()
    core:socket_action()
    after()
  end

  local function on_socket(fd)
    return function(err, events)
      core:socket_action(fd, err and "e" or events)
      after()
    end
  end

  function sync()
    if closed then return end
    local changes, timeout = core:watch()
    for i = 1, #changes, 2 do
      local fd, what = changes[i], changes[i + 1]
      local p = polls[fd]
      if what == "remove" then
        if p then
          p:stop()
          p:close()
          polls[fd] = nil
        end
      elseif what ~= "none" then
        if not p then
          p = uv.new_socket_poll(fd)
          polls[fd] = p
        end
        p:start(what, on_socket(fd))
      end
    end
    if timeout then
      if timeout < 0 then curl_timer:stop() else curl_timer:start(timeout, 0, on_curl_timer) end
    end
    local due = client:_next_due()
    if due then
      lua_timer:start(max(0, ceil(due - now())), 0, after)
    else
      lua_timer:stop()
    end
  end

  client._schedule = schedule
  function driver.kick()                -- new work: look again on the next loop turn
    if not closed then lua_timer:start(0, 0, after) end
  end
  client._driver = driver
  core:watch()                          -- start recording what curl waits for

  return function()                     -- detach
    if closed then return end
    closed = true
    for fd, p in pairs(polls) do
      p:stop()
      p:close()
      polls[fd] = nil
    end
    curl_timer:stop()
    curl_timer:close()
    lua_timer:stop()
    lua_timer:close()
    client._driver, client._schedule = nil, nil
  end
end

return M
