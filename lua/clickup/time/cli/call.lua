--- clickup.time.cli.call: how the `clickup-time` command talks to ClickUp.
--
-- Every call is made in the callback form and driven from here, in Lua,
-- with client:poll(100): control comes back to Lua at least ten times a
-- second whatever is in flight, so the interpreter's SIGINT hook (lua.c
-- turns Ctrl-C into the error "interrupted!" the next time Lua runs) ends
-- the command at once, and a deadline can cancel the call:
--
--   local call = require "clickup.time.cli.call"
--   local driver = call.new{ timeout = 20, on_wait = function(seconds) ... end }
--   local client = clickup.new{ ..., on_retry = driver.on_retry }
--   driver.client = client
--   local entry, err = driver:run("start", { tid = "86c7mc19h" })
--
-- run(name, ...) returns what the method's callback got: result, or nil and
-- an error. It gives up:
--   * when `timeout` seconds pass without an answer (waits announced for the
--     rate limit do not count): nil and a transport error "timeout" whose
--     `deadline` is true; for a write (POST, PUT, DELETE) the error's
--     outcome is "unknown" (ClickUp may have done it);
--   * at once when the connection is refused, the host does not resolve, or
--     TLS fails (the library would retry those): that error.
-- Waits for the rate limit longer than a second call on_wait(seconds).

local clickup = require "clickup.time"

local unpack = table.unpack or unpack
local select, floor, min = select, math.floor, math.min

local M = {}

local Driver = {}
Driver.__index = Driver

local FAST = { connect = true, resolve = true, tls = true }
local WRITES = { POST = true, PUT = true, DELETE = true }

--- A driver: opts.timeout (seconds, default 20), opts.on_wait(seconds).
function M.new(opts)
  local self = setmetatable({ timeout = (opts and opts.timeout) or 20, on_wait = opts and opts.on_wait,
                              extra = 0 }, Driver)
  self.on_retry = function(info) self:_retry(info) end
  return self
end

function Driver:_retry(info)
  if FAST[info.reason] then
    self.fast = self.fast or info.error
  elseif (info.reason == "rate_limit" or info.reason == "429") and info.delay then
    self.extra = self.extra + info.delay * 1000          -- the deadline moves with the wait
    if info.delay > 1 and self.on_wait then self.on_wait(info.delay) end
  end
end

--- Run client[name](client, ...) to its end, the deadline or an interrupt.
function Driver:run(name, ...)
  local client = self.client
  local n = select("#", ...)
  local args = { ... }
  local done, result, err = false, nil, nil
  args[n + 1] = function(r, e) done, result, err = true, r, e end
  self.fast, self.extra = nil, 0
  self.in_flight = name
  local handle = client[name](client, unpack(args, 1, n + 1))
  local start = clickup.now_ms()
  while not done do
    if self.fast then
      if handle then handle:cancel() end
      self.in_flight = nil
      return nil, self.fast
    end
    local left = start + self.timeout * 1000 + self.extra - clickup.now_ms()
    if left <= 0 then
      if handle then handle:cancel() end
      self.in_flight = nil
      local ep = clickup.endpoint[name]
      local method = ep and ep.method or "GET"
      return nil, clickup.error("transport", "timeout",
        ("ClickUp did not answer within %s s"):format(floor(self.timeout) == self.timeout
          and ("%d"):format(self.timeout) or tostring(self.timeout)),
        { method = method, deadline = true, outcome = WRITES[method] and "unknown" or nil })
    end
    client:poll(min(100, left))
  end
  self.in_flight = nil
  return result, err
end

return M
