-- Shared by the scripts that spec/*_spec.lua run inside headless Neovim:
-- notifications are recorded, waits are bounded, and the result goes to
-- $CT_OUT as JSON whatever happens (an error is recorded, never raised).
local M = { messages = {}, levels = {} }

function M.env(k) return assert(os.getenv(k), k) end

vim.notify = function(msg, level)
  M.messages[#M.messages + 1] = msg
  M.levels[#M.levels + 1] = level or vim.log.levels.INFO
end

--- Wait until n messages arrived (at most `ms`, 5 s).
function M.wait(n, ms)
  assert(vim.wait(ms or 5000, function() return #M.messages >= n end, 5),
         ("no message %d; got: %s"):format(n, table.concat(M.messages, " | ")))
end

--- The lines of buffer `buf` (default the current one).
function M.lines(buf)
  return vim.api.nvim_buf_get_lines(buf or 0, 0, -1, false)
end

--- Run fn(out), then write out (with ok, err, messages, levels, errmsg) and quit.
function M.run(fn)
  local out = {}
  local ok, err = pcall(fn, out)
  out.ok, out.err = ok, err and tostring(err)
  out.messages, out.levels = M.messages, M.levels
  out.errmsg = vim.v.errmsg
  local f = assert(io.open(M.env("CT_OUT"), "w"))
  f:write(vim.json.encode(out))
  f:close()
  vim.cmd("qa!")
end

return M
