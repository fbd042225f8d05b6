--- clickup.time.forms: the human forms every method takes.
--
-- Wherever a method takes a time or a duration, it takes integer
-- milliseconds or what people write: durations like "1h30m", "90m",
-- "1.5h", "45s", "2:15" (clickup.time.duration) and moments like "now",
-- "yesterday 14:00", "monday", "2026-11-28T09:00", "2h ago"
-- (clickup.time.when), in the local time zone. Fields are taken from the
-- endpoint table: parameters of type "ms" named duration or time are
-- durations, the others (start, end, stop, start_date, end_date) moments.

local duration = require "clickup.time.duration"

local type, pairs, ipairs, require = type, pairs, ipairs, require

local M = {}

local DURATION = { duration = true, time = true }

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- the ms parameters of each endpoint, computed once
local ms_params = setmetatable({}, { __mode = "k" })

local function ms_of(ep)
  local list = ms_params[ep]
  if list == nil then
    list = {}
    for _, p in ipairs(ep.params) do
      if p.type == "ms" then list[#list + 1] = p.name end
    end
    ms_params[ep] = list
  end
  return list
end

--- The table at args[i] with its human forms turned into milliseconds (a
-- copy when anything changed), or nil and a message for a form that is not
-- understood.
function M.convert(ep, t, now)
  local fields = ms_of(ep)
  if #fields == 0 or type(t) ~= "table" then return t end
  local out = t
  for _, name in ipairs(fields) do
    local v = t[name]
    if type(v) == "string" then
      local ms, why
      if DURATION[name] then
        ms, why = duration.parse(v)
      else
        ms, why = require("clickup.time.when").parse(v, { now = now })
      end
      if ms == nil then
        return nil, ("bad field '%s' (%s)"):format(name, why or "not understood")
      end
      if out == t then out = copy(t) end
      out[name] = ms
    end
  end
  return out
end

return M
