--- Per-token fixed-window rate limiter (clickup-api-notes.md §3).
-- A window opens at the first request after the previous one expired and
-- lasts `window` seconds; its reset (epoch seconds) is ceil(first + window).
-- Uses REAL time, not the server's frozen clock (our choice: freezing the
-- clock for entry data must not stall the limiter); tests shrink `window`.

local socket = require "socket"

local ceil, floor = math.ceil, math.floor

local M = {}

local Limiter = {}
Limiter.__index = Limiter

--- New limiter: `limit` requests per `window` seconds (defaults 100, 60).
function M.new(limit, window)
  return setmetatable({ limit = limit or 100, window = window or 60, windows = {},
                        clock = socket.gettime }, Limiter)
end

--- Forget all windows.
function Limiter:clear()
  self.windows = {}
end

--- Count one request for `key`. Returns allowed (bool) and the headers.
function Limiter:take(key)
  local now = self.clock()
  local w = self.windows[key]
  if not w or now >= w.reset then
    w = { reset = ceil(now + self.window), count = 0 }
    self.windows[key] = w
  end
  w.count = w.count + 1
  local remaining = self.limit - w.count
  if remaining < 0 then remaining = 0 end
  local headers = {
    ["x-ratelimit-limit"] = tostring(floor(self.limit)),
    ["x-ratelimit-remaining"] = tostring(floor(remaining)),
    ["x-ratelimit-reset"] = tostring(floor(w.reset)),
  }
  return w.count <= self.limit, headers
end

return M
