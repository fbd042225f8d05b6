--- clickup.time.taskref: which words name a ClickUp task.
--
-- The Time Tracking API takes a task by its id (`tid`), or by its custom id
-- with `custom_task_ids = true`. People write both, and also the forms
-- ClickUp shows and its Git integration puts in branch names. One rule,
-- used by the Neovim plugin and the `clickup-time` command alike:
--
--   86c7mc19h, 1d20c7t   a task id: `min_id_length` (6) or more lowercase
--                        letters and digits, at least one of them a digit
--   #86c7mc19h           the same, as ClickUp shows it
--   CU-86c7mc19h         the same, as ClickUp's Git integration writes it
--   DEV-42               a custom id: matches `custom_pattern`
--                        (default "^[A-Z][A-Z0-9]*%-%d+$"); sent with
--                        custom_task_ids = true
--
-- A word is never a task just because it has a digit: "v2", "2fa" and
-- "h264" are description words. The rule is configurable:
--   opts = { id_pattern = "^[%l%d]+$", min_id_length = 6,
--            custom_pattern = "^[A-Z][A-Z0-9]*%-%d+$" (false: no custom ids),
--            is_task = function(word) -> ref | false | nil (nil: use the rule) }
--
--   local taskref = require "clickup.time.taskref"
--   taskref.parse("DEV-42")                --> { id = "DEV-42", custom = true }
--   taskref.split{ "v2", "migration" }     --> nil, "v2 migration"
--   taskref.from_branch("feature/CU-86c7mc19h-fix-login")  --> { id = "86c7mc19h", custom = false }
--   taskref.fields(ref)                    --> { tid = "86c7mc19h" } / { tid = "DEV-42", custom_task_ids = true }

local type, concat, open, getenv = type, table.concat, io.open, os.getenv

local M = {}

M.ID_PATTERN = "^[%l%d]+$"
M.MIN_ID_LENGTH = 6
M.CUSTOM_PATTERN = "^[A-Z][A-Z0-9]*%-%d+$"

local NONE = {}

local function is_id(word, opts)
  local pattern = opts.id_pattern or M.ID_PATTERN
  return #word >= (opts.min_id_length or M.MIN_ID_LENGTH) and word:find("%d") ~= nil
     and word:find(pattern) ~= nil
end

local function is_custom(word, opts)
  local pattern = opts.custom_pattern
  if pattern == nil then pattern = M.CUSTOM_PATTERN end
  return pattern and word:find(pattern) ~= nil or false
end

--- The task a word names, or nil: { id =, custom = boolean }.
function M.parse(word, opts)
  opts = opts or NONE
  if type(word) ~= "string" or word == "" then return nil end
  if opts.is_task then
    local r = opts.is_task(word)
    if r ~= nil then return r or nil end
  end
  local bare = word:match("^#(.+)$") or word:match("^CU%-(.+)$")
  if bare then
    if is_id(bare, opts) then return { id = bare, custom = false } end
    if word:sub(1, 1) == "#" then return nil end
  end
  if is_id(word, opts) then return { id = word, custom = false } end
  if is_custom(word, opts) then return { id = word, custom = true } end
  return nil
end

--- Words -> the task (when the first word names one) and the description
-- (the other words, or nil when there are none).
function M.split(words, opts)
  words = words or NONE
  local ref = M.parse(words[1], opts)
  local first = ref and 2 or 1
  local rest = concat(words, " ", first)
  return ref, rest ~= "" and rest or nil
end

--- The request fields for a task reference: tid, and custom_task_ids for a custom id.
function M.fields(ref)
  if not ref then return {} end
  return { tid = ref.id, custom_task_ids = ref.custom or nil }
end

-- the longest prefix of a branch segment, cut at "-" or "_", that is a custom id
local function custom_prefix(segment, opts)
  local best
  local i = 1
  while true do
    local j = segment:find("[-_]", i)
    local prefix = segment:sub(1, (j or #segment + 1) - 1)
    if is_custom(prefix, opts) then best = prefix end
    if not j then break end
    i = j + 1
  end
  return best
end

--- The task a Git branch names, the way ClickUp's Git integration names
-- branches: "CU-86c7mc19h-fix-login", "CU-86c7mc19h_fix", "feature/CU-86c7mc19h",
-- or a custom id first in a segment, "DEV-42-fix-login". nil when none.
function M.from_branch(branch, opts)
  opts = opts or NONE
  if type(branch) ~= "string" then return nil end
  for segment in branch:gmatch("[^/]+") do
    local id = segment:match("^[Cc][Uu]%-([%w]+)")
    if id and is_id(id, opts) then return { id = id, custom = false } end
    local custom = custom_prefix(segment, opts)
    if custom then return { id = custom, custom = true } end
  end
  return nil
end

local function read_line(path)
  local f = open(path, "r")
  if not f then return nil end
  local line = f:read("*l")
  f:close()
  return line
end

--- The current Git branch of the repository that holds `dir` (an absolute
-- path; default $PWD), read from .git/HEAD without running git; nil when
-- detached or not in a repository. Follows worktrees and submodules (a
-- .git file "gitdir: ...").
function M.git_branch(dir)
  dir = dir or getenv("PWD")
  if type(dir) ~= "string" or dir:sub(1, 1) ~= "/" then return nil end
  dir = dir:gsub("/+$", "")
  while true do
    local git = (dir == "" and "" or dir) .. "/.git"
    local head = read_line(git .. "/HEAD")
    if not head then
      local gitdir = (read_line(git) or ""):match("^gitdir:%s*(.-)%s*$")
      if gitdir then
        if gitdir:sub(1, 1) ~= "/" then gitdir = dir .. "/" .. gitdir end
        head = read_line(gitdir .. "/HEAD")
      end
    end
    if head then return head:match("^ref:%s*refs/heads/(.-)%s*$") end
    if dir == "" then return nil end
    dir = dir:match("^(.*)/[^/]*$")
  end
end

return M
