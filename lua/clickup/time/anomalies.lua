--- clickup.time.anomalies: the anomalies of a call.
--
-- The core reports, with each answer that had any, the descriptive fields
-- of an unexpected type it kept as they came: a list of
-- { path = "data[501].task.custom_type", expected = "integer", got = "string" },
-- at most KEEP of them, and `more`, the count of the rest. A call made of
-- several requests (retries, reconciliation reads, windows of a long
-- range, the tag operations of an update) has the anomalies of all of them.
-- Nothing here runs when an answer has none.
--
-- While a call made of several requests runs, client._collect is the
-- table whose `anomalies` gather those of every request made on its
-- behalf (clickup.time.runner adds them; the scheduler keeps it per task).

local ipairs = ipairs

local M = {}

M.KEEP = 100

--- a and b as one list (neither is changed; either may be nil): at most
-- KEEP kept, in order, the rest counted in `more`.
function M.merge(a, b)
  if a == nil then return b end
  if b == nil then return a end
  local out = { more = a.more + b.more }
  for _, list in ipairs{ a, b } do
    for i = 1, #list do
      if #out < M.KEEP then out[#out + 1] = list[i] else out.more = out.more + 1 end
    end
  end
  return out
end

--- Add a request's anomalies to the call that is collecting them, if any.
function M.collect(client, a)
  local into = client._collect
  if into then into.anomalies = M.merge(into.anomalies, a) end
end

--- What client:anomalies() returns: the list, or an empty one.
function M.list(a)
  return a or { more = 0 }
end

return M
