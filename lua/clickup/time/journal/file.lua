--- clickup.time.journal.file: the journal on disk.
--
-- One JSON object a line, appended and flushed to the disk (fsync) before
-- anything is sent; the file and its folder are private (0600, 0700) and
-- hold no token. Records (format 1; `v` is the format):
--
--   {"t":"intent","v":1,"id":"…","ws":"<workspace>","op":"start|stop|log|edit|delete|cancel",
--    "at":<ms, when the person acted>,"args":{…}}
--   {"t":"attempt","v":1,"id":"…","step":"…","ts":<ms>[,"data":{…}]}   a request with an effect may be on its way
--   {"t":"unsent","v":1,"id":"…","step":"…"}                             that request certainly never left
--   {"t":"step","v":1,"id":"…","step":"…"[,"entry":{…}]}                 a part of an intent is done
--   {"t":"ack","v":1,"id":"…","outcome":"sent|failed|dropped|cancelled|local"[,"entry":{…}]
--    [,"code":…,"status":…,"message":…],"ts":<ms>}                       the intent is over
--   {"t":"amend","v":1,"id":"<intent>","args":{…}}                       an edit of an intent not sent yet
--
-- A torn line (a crash in the middle of a write) is not JSON: it is
-- ignored, and dropped at the next compaction; the next append starts on a
-- line of its own. Records of a later format, or of a type this version
-- does not know, are kept as they are, whatever is compacted. Compaction (an atomic rename)
-- keeps the intents that are not over or that failed, with their records.
--
-- Two locks (flock, released by the system if a process dies): `.lock`
-- around every read-modify-write of the file (short), and `.send` around
-- a sync, so that one process at a time sends.

local json = require "clickup.time.json"

-- the core holds the durable file operations (src/ct_fs.c); reading needs none of them
local core_
local function core()
  core_ = core_ or require("clickup.time").core
  return core_
end

local type, pairs, ipairs, pcall = type, pairs, ipairs, pcall
local floor = math.floor
local tointeger = math.tointeger
local concat = table.concat
local open = io.open

local M = {}

M.FORMAT = 1

--- $XDG_STATE_HOME/clickup-time/journal, else ~/.local/state/clickup-time/journal.
function M.default_path(getenv) return require("clickup.time.paths").journal(getenv) end


-- {====== JSON lines

local decode, null

local function codec()
  if decode then return end
  local ok, cjson = pcall(require, "cjson")
  if ok and type(cjson) == "table" then
    local inst = cjson.new and cjson.new() or cjson
    decode, null = inst.decode, cjson.null
    return
  end
  local vim = rawget(_G, "vim")
  if vim and vim.json then
    decode, null = vim.json.decode, vim.NIL
    return
  end
  error("clickup.time.journal: no JSON decoder (install lua-cjson)", 0)
end

-- nulls gone, integral numbers integers (cjson 2.1 gives floats)
local function normalize(v)
  if v == null then return nil end
  if type(v) == "number" and tointeger and v == floor(v) then return tointeger(v) or v end
  if type(v) == "table" then
    for k, x in pairs(v) do v[k] = normalize(x) end
  end
  return v
end

--- Is the line JSON at all?
function M.is_json(line)
  codec()
  return (pcall(decode, line))
end

--- A record from a line, or nil when the line is not a record.
function M.parse(line)
  codec()
  local ok, rec = pcall(decode, line)
  if not ok or type(rec) ~= "table" or type(rec.t) ~= "string" then return nil end
  return normalize(rec)
end

-- arrays stay arrays when empty
local ARRAYS = { tags = true, ids = true, targets = true, add_tags = true, remove_tags = true }
local function mark_arrays(v)
  if type(v) ~= "table" then return v end
  for k, x in pairs(v) do
    if ARRAYS[k] and type(x) == "table" then json.array(x) end
    mark_arrays(x)
  end
  return v
end

--- The line of a record (with its end of line).
function M.line(rec)
  rec.v = rec.v or M.FORMAT
  return json.encode(mark_arrays(rec)) .. "\n"
end

-- }======


local function read_all(path)
  local f = open(path, "rb")
  if not f then return "" end
  local s = f:read("*a") or ""
  f:close()
  return s
end

--- The records of the file: a list of { rec =, line = } (line without its
-- end); torn is true when the last line was cut off.
function M.read(path)
  local text = read_all(path)
  local out, torn = {}, false
  local pos, n = 1, #text
  while pos <= n do
    local nl = text:find("\n", pos, true)
    local line = text:sub(pos, (nl or n + 1) - 1)
    if line:find("%S") then
      local rec = nl and M.parse(line)
      if rec and nl then
        out[#out + 1] = { rec = rec, line = line }
      elseif rec == nil and M.is_json(line) then
        out[#out + 1] = { line = line }             -- JSON, but not ours to understand: kept
      else
        torn = true                                 -- a crash in the middle of a write: ignored
      end
    end
    if not nl then break end
    pos = nl + 1
  end
  return out, torn
end

-- does the file end in the middle of a line (a torn write)?
local function ends_torn(path)
  local f = open(path, "rb")
  if not f then return false end
  local size = f:seek("end")
  local last = size and size > 0 and f:seek("set", size - 1) and f:read(1)
  f:close()
  return type(last) == "string" and last ~= "\n"
end

--- Append records (one write, one fsync), on a line of their own. true,
-- or nil and a message.
function M.append(path, recs)
  local lines = {}
  if ends_torn(path) then lines[1] = "\n" end
  for _, rec in ipairs(recs) do lines[#lines + 1] = M.line(rec) end
  local ok, err = core().fs_append(path, concat(lines))
  if not ok then return nil, err end
  return true
end

--- Replace the file with these lines (atomically).
function M.replace(path, lines)
  local text = #lines > 0 and (concat(lines, "\n") .. "\n") or ""
  local ok, err = core().fs_replace(path, text)
  if not ok then return nil, err end
  return true
end

--- The folder of path, made (0700) when missing. true, or nil and a message.
function M.ensure_dir(path)
  local dir = path:match("^(.*)/[^/]*$")
  if not dir or dir == "" then return true end
  local ok, err = core().fs_mkdir(dir)
  if not ok then return nil, err end
  return true
end

--- Lock `path .. suffix`, waiting at most wait_ms: the lock, or nil and "busy" or a message.
function M.lock(path, suffix, wait_ms)
  return core().fs_lock(path .. suffix, wait_ms or 0)
end

--- A small JSON file (the journal's cache of ClickUp's state): its table, or nil.
function M.read_json(path)
  local text = read_all(path)
  if text == "" then return nil end
  codec()
  local ok, v = pcall(decode, text)
  return ok and type(v) == "table" and normalize(v) or nil
end

function M.write_json(path, t)
  local ok, err = core().fs_replace(path, json.encode(mark_arrays(t)) .. "\n")
  if not ok then return nil, err end
  return true
end

return M
