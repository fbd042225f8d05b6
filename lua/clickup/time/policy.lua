--- clickup.time.policy: what to do after a failure.
--
-- Idempotent requests (GET, PUT, DELETE) are simply sent again after a
-- transient failure. Requests that create or change state by POST are sent
-- again only when ClickUp certainly never saw them (nothing was sent, the
-- connection was refused, the name did not resolve, or a 429 refused it);
-- after any other failure their outcome is unknown and the client
-- reconciles: it reads what ClickUp holds (clickup.time.reconcile).

local min, random = math.min, math.random

local M = {}

local TRANSIENT_STATUS = { [500] = true, [502] = true, [503] = true, [504] = true }
local IDEMPOTENT = { GET = true, PUT = true, DELETE = true, HEAD = true }

--- One of:
--   "rate"       a 429: wait for the reset, then send again
--   "retry"      send again after a backoff
--   "reconcile"  the outcome is unknown: read the state
--   "fail"       return the error
function M.classify(method, err)
  local idempotent = IDEMPOTENT[method]
  if err.kind == "api" then
    if err.status == 429 then return "rate" end
    if TRANSIENT_STATUS[err.status] then return idempotent and "retry" or "reconcile" end
    return "fail"
  elseif err.kind == "transport" then
    if err.code == "tls" then return "fail" end
    if err.sent == false or err.code == "connect" or err.code == "resolve" then return "retry" end
    return idempotent and "retry" or "reconcile"
  end
  -- decode: ClickUp answered 2xx, so a POST took effect; its answer is unreadable
  if err.code ~= "too_large" and not idempotent then return "reconcile" end
  return "fail"
end

--- Why, in a word, for on_retry: "429", "status_503", "timeout", ...
function M.reason(err)
  if err.kind == "api" then
    if err.status == 429 then return "429" end
    return "status_" .. tostring(err.status)
  end
  return err.code
end

--- Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
function M.backoff(attempt, base, cap)
  return random() * min(cap, base * 2 ^ (attempt - 1))
end

return M
