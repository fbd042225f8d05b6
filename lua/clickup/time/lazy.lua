--- clickup.time.lazy: a module that is loaded when first used.
--
--   local lazy = require "clickup.time.lazy"
--   local when = lazy "clickup.time.when"   -- nothing is loaded yet
--   when.parse(text)                         -- loads it; from then on, its fields
--
-- For modules that only some calls or commands need: a command that does
-- not use them does not pay for compiling them (a CLI command, an editor's
-- start). A field read goes through one __index until the module is there,
-- and straight to it afterwards.

local require, setmetatable = require, setmetatable

return function(name)
  return setmetatable({}, { __index = function(proxy, key)
    local m = require(name)
    setmetatable(proxy, { __index = m })
    return m[key]
  end })
end
