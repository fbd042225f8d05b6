-- Run inside headless Neovim by spec/nvim_spec.lua: with lua-cjson not
-- installed, the library decodes with vim.json, and vim.NIL never reaches
-- a result.
local root = assert(os.getenv("CT_ROOT"))
package.preload.cjson = function() error("lua-cjson is not installed") end

local out = {}
local ok, err = pcall(function()
  local clickup = require "clickup.time"
  out.has_json = clickup.core.has_json()
  local f = assert(io.open(root .. "/spec/fixtures/stop.json"))
  local e, derr = clickup.core.decode("stop", f:read("*a"))
  f:close()
  assert(e, tostring(derr))
  out.id, out.start, out.duration = e.id, e.start, e.duration
  out.approval_id_absent = e.approval_id == nil
  out.custom_type_absent = e.task.custom_type == nil
  out.picture_absent = e.user.profilePicture == nil
  out.current_false = clickup.core.decode("current", '{"data":null}') == false
end)
out.ok, out.err = ok, err and tostring(err)
local fh = assert(io.open(os.getenv("CT_OUT"), "w"))
fh:write(vim.json.encode(out))
fh:close()
vim.cmd("qa!")
