--- clickup.time.uv: drive a client's non-blocking calls from a libuv loop.
--
--     local uv = require "clickup.time.uv"
--     uv.attach(client)            -- vim.uv / vim.loop inside Neovim, else require "luv"
--
-- The loop then wakes only when there is work. On Linux the core gives one
-- descriptor (client:poll_fd(), an epoll instance that follows libcurl's
-- sockets in C); one poll handle reads it and tells the core to act
-- (client:ready()). Elsewhere the core says which sockets libcurl waits
-- on, for reading or writing (client:watch()); a poll handle per socket
-- follows that (socket_action). Either way a timer follows libcurl's
-- timeout, and a second one the client's own waits (rate limits,
-- backoffs). Callbacks then run by themselves, through vim.schedule inside
-- Neovim (luv callbacks run in a restricted context there).

local M = {}

local max, ceil = math.max, math.ceil

local function default_uv()
  local vim = rawget(_G, "vim")
  if vim then return vim.uv or vim.loop end
  return require "luv"
end

--- Attach `client` to a loop. opts.uv: the luv module (default as above);
-- opts.schedule: how user callbacks are run (default vim.schedule in
-- Neovim, else directly); opts.sockets = true: a poll handle per socket
-- even where the core has a poll_fd (what other platforms do). Returns a function that detaches: it closes the
-- driver's handles (see below).
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
  local polls = {}                      -- fd -> poll handle (without a poll_fd)
  local curl_timer, lua_timer = uv.new_timer(), uv.new_timer()
  local poller                          -- the poll handle of core:poll_fd()
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

  -- A poll handle is stopped before libcurl's socket may be reused: within
  -- one batch of changes an fd may be removed (curl closed it) and opened
  -- again (a new socket with the same number), or opened and removed (a
  -- refused connection); only the last state of each fd is polled, on a
  -- fresh handle when the socket was replaced.
  local function close_poll(fd)
    local p = polls[fd]
    if p then
      polls[fd] = nil
      p:stop()
      p:close()
    end
  end

  local polling = false
  local function on_ready()
    core:ready()
    after()
  end

  function sync()
    if closed then return end
    local changes, timeout = core:watch()
    if poller then                      -- polled while requests are in flight, else the loop may end
      local busy = core:pending() > 0
      if busy ~= polling then
        polling = busy
        if busy then poller:start("r", on_ready) else poller:stop() end
      end
    end
    local last, replaced = {}, nil
    for i = 1, #changes, 2 do
      local fd, what = changes[i], changes[i + 1]
      if what == "remove" and polls[fd] then
        replaced = replaced or {}
        replaced[fd] = true
      end
      last[fd] = what
    end
    for fd in pairs(replaced or last) do
      if replaced and replaced[fd] then close_poll(fd) end
    end
    for fd, what in pairs(last) do
      if what == "remove" then
        close_poll(fd)
      elseif what ~= "none" then
        local p = polls[fd]
        if not p then
          p = uv.new_socket_poll(fd)      -- nil when the socket is gone already
          polls[fd] = p
        end
        if p and not p:start(what, on_socket(fd)) then close_poll(fd) end
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
  local pfd = not opts.sockets and core.poll_fd and core:poll_fd()
  if pfd then poller = uv.new_poll(pfd) end
  core:watch()                          -- start recording what curl waits for

  -- Detach: every handle this driver opened is stopped and closed. libuv
  -- completes a close on the loop's next turn; a handle whose close never
  -- completed crashes Debian's luv 1.44 at exit (its loop finalizer runs
  -- the close callbacks while the Lua state is being torn down). So, when
  -- the loop is not running (the usual `uv.run() ... detach()`), detach
  -- runs it once without blocking, until the closes are done. Inside
  -- Neovim, or from a callback of the running loop, the closes complete on
  -- that loop's next turn (luv's loop_mode() tells which case it is).
  function driver.detach()
    if closed then return end
    closed = true
    local closing = 0
    local function closed_one() closing = closing - 1 end
    local function close(h)
      if not h:is_closing() then
        closing = closing + 1
        h:stop()
        h:close(closed_one)
      end
    end
    for fd, p in pairs(polls) do
      polls[fd] = nil
      close(p)
    end
    if poller then close(poller) end
    close(curl_timer)
    close(lua_timer)
    client._driver, client._schedule = nil, nil
    -- uv.loop_mode() is nil when the loop is not running; never run it from inside itself
    if not vim and uv.loop_mode and uv.loop_mode() == nil then
      for _ = 1, 10 do
        if closing == 0 then break end
        uv.run("nowait")
      end
    end
  end
  return driver.detach
end

return M
