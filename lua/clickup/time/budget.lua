--- clickup.time.budget: the rate-limit budget of a token.
--
-- ClickUp counts requests per token per minute and says how many remain in
-- x-ratelimit-* headers (reset in epoch seconds, on the server's clock).
-- Every client built from the same token in one Lua state shares one
-- budget, so that together they wait for the reset instead of spending
-- requests on 429s.

local setmetatable = setmetatable

local M = {}

local MARGIN_MS = 1000          -- the reset is in whole seconds of another clock

-- token -> budget; a budget lives as long as a client of that token does
local budgets = setmetatable({}, { __mode = "v" })

--- The budget shared by every client of `token`.
function M.of(token)
  local b = budgets[token]
  if b == nil then
    b = { offset = nil }         -- limit, remaining, reset (server seconds), offset (ms)
    budgets[token] = b
  end
  return b
end

--- Forget what is known of `token`'s budget (its clients start afresh).
function M.forget(token)
  local b = budgets[token]
  if b then
    b.limit, b.remaining, b.reset = nil, nil, nil
  end
end

--- Take in what an answer's headers said (core client:meta(): nil where
-- they said nothing). `now_ms` is the local clock when the answer arrived.
function M.update(b, now_ms, limit, remaining, reset, date)
  if date then b.offset = date * 1000 - now_ms end
  if limit then b.limit = limit end
  if remaining then b.remaining = remaining end
  if reset then b.reset = reset end
end

--- The local clock shifted to the server's, as well as we know it.
function M.server_ms(b, now_ms)
  return now_ms + (b.offset or 0)
end

--- Milliseconds to wait before the next request may be sent (0: go).
function M.wait_ms(b, now_ms)
  if b.remaining ~= 0 or b.reset == nil then return 0 end
  local wait = b.reset * 1000 - M.server_ms(b, now_ms) + MARGIN_MS
  if wait <= 0 then
    b.remaining = nil            -- a new window: unknown until the next answer
    return 0
  end
  return wait
end

--- Milliseconds to wait after a 429 that said retry_after seconds.
function M.retry_ms(retry_after)
  return (retry_after or 0) * 1000 + MARGIN_MS
end

--- A request is about to be sent.
function M.spend(b)
  if b.remaining and b.remaining > 0 then b.remaining = b.remaining - 1 end
end

--- After a wait: the window is new, the count unknown.
function M.refresh(b)
  b.remaining = nil
end

return M
