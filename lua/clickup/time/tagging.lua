--- clickup.time.tagging: the tag operations as ClickUp really does them
-- (clickup-api-notes.md 5.4, 5.11, 5.13), a few requests where one does not.
--
--   update(id, { tags =, tag_action = }): the PUT ignores tags, and answers
--     400 TIMEENTRY_060 when it has nothing else. So the tags go through the
--     label routes: "add" is add_tags, "remove" is remove_tags, "replace"
--     (the default) reads the entry and removes the tags it has that are not
--     wanted, then adds those wanted that it lacks; the other fields, if
--     any, are then sent with the PUT (whose answer then shows the tags).
--     Returns what the PUT returns, or true when there were only tags.
--   add_tags(ids, tags): every tag item needs its colours; a tag given
--     without them takes those of the workspace's label of that name (one
--     GET …/time_entries/tags first). A new label keeps what was given.
--   rename_tag(name, new_name [, colours]): the PUT needs both colours; the
--     missing ones are the label's own (one GET …/tags first).
--
-- Each is function(run, rows, client, io, n, args) -> result, err,
-- anomalies, with run the runner's request function (clickup.time.runner)
-- and rows the endpoint rows by name. A step that fails ends the call with
-- its error: steps before it have taken effect (each is safe to send again).

local anomalies = require("clickup.time.lazy")("clickup.time.anomalies")  -- for answers that had some

local type, pairs, ipairs, select = type, pairs, ipairs, select
local unpack = table.unpack or unpack

local M = {}

local function name_of(t)
  if type(t) == "table" then return t.name end
  return t
end

local function coloured(t)
  return type(t) == "table" and t.tag_bg ~= nil and t.tag_fg ~= nil
end

local function team(opts)
  if type(opts) == "table" and opts.team_id ~= nil then return { team_id = opts.team_id } end
  return nil
end

-- the workspace's labels by name, or nil, err, anomalies
local function labels(run, rows, client, io, opts)
  local t = team(opts)
  local list, err, a = run(client, io, rows.tags, t and 1 or 0, { t })
  if not list then return nil, err, a end
  local by = {}
  for _, tag in ipairs(list) do
    if type(tag) == "table" and type(tag.name) == "string" then by[tag.name] = tag end
  end
  return by, nil, a
end

-- a colour of the label: only a string (an odd value stays behind)
local function colour(label, key)
  local c = label and label[key]
  if type(c) == "string" then return c end
  return nil
end

--- add_tags(ids, tags [, opts]): colours from the workspace's labels where missing.
function M.add_tags(run, rows, client, io, n, args)
  local ids, tags, opts = args[1], args[2], args[3]
  rows.add_tags.check(client._core, unpack(args, 1, n))   -- a mistake raises before anything is sent
  local missing = false
  for _, t in ipairs(tags) do
    if not coloured(t) then missing = true end
  end
  if not missing then return run(client, io, rows.add_tags, n, args) end
  local by, err, a = labels(run, rows, client, io, opts)
  if not by then return nil, err, a end
  local filled = {}
  for i, t in ipairs(tags) do
    local label = by[name_of(t)]
    if label and not coloured(t) then
      local given = type(t) == "table" and t or {}
      filled[i] = { name = name_of(t), tag_bg = given.tag_bg or colour(label, "tag_bg"),
                    tag_fg = given.tag_fg or colour(label, "tag_fg") }
    else
      filled[i] = t
    end
  end
  local r, rerr, b = run(client, io, rows.add_tags, opts ~= nil and 3 or 2, { ids, filled, opts })
  return r, rerr, anomalies.merge(a, b)
end

--- rename_tag(name, new_name [, colours]): the colours not given are the label's.
function M.rename_tag(run, rows, client, io, n, args)
  local name, new_name, given = args[1], args[2], args[3]
  rows.rename_tag.check(client._core, unpack(args, 1, n))
  if coloured(given) then return run(client, io, rows.rename_tag, n, args) end
  local by, err, a = labels(run, rows, client, io, given)
  if not by then return nil, err, a end
  local label = by[name]
  if not label then                                 -- ClickUp says what is wrong with it
    local r, rerr, b = run(client, io, rows.rename_tag, n, args)
    return r, rerr, anomalies.merge(a, b)
  end
  given = given or {}
  local colours = { tag_bg = given.tag_bg or colour(label, "tag_bg"), tag_fg = given.tag_fg or colour(label, "tag_fg"),
                    team_id = given.team_id }
  local r, rerr, b = run(client, io, rows.rename_tag, 3, { name, new_name, colours })
  return r, rerr, anomalies.merge(a, b)
end

--- update(id, fields): tags through the label routes, the rest with the PUT.
function M.update(run, rows, client, io, n, args)
  local id, fields = args[1], args[2]
  if type(fields) ~= "table" or fields.tags == nil then return run(client, io, rows.update, n, args) end
  rows.update.check(client._core, unpack(args, 1, n))
  local rest, others = {}, false
  for k, v in pairs(fields) do
    if k ~= "tags" and k ~= "tag_action" then
      rest[k] = v
      if k ~= "custom_task_ids" and k ~= "team_id" then others = true end
    end
  end
  local opts, seen = team(fields), nil
  local function send(row, ...)                     -- one step: a request of another row
    local r, err, a = run(client, io, rows[row], select("#", ...), { ... })
    seen = anomalies.merge(seen, a)
    return r, err
  end
  local action = fields.tag_action or "replace"
  local add, remove = {}, {}
  if action == "add" then
    add = fields.tags
  elseif action == "remove" then
    for i, t in ipairs(fields.tags) do remove[i] = name_of(t) end
  else
    local e, err = send("entry", id, opts)
    if not e then return nil, err, seen end
    local have, want = {}, {}
    for _, t in ipairs(type(e.tags) == "table" and e.tags or {}) do
      if type(t) == "table" and type(t.name) == "string" then have[#have + 1] = t.name end
    end
    for _, t in ipairs(fields.tags) do want[name_of(t)] = true end
    local had = {}
    for _, h in ipairs(have) do
      had[h] = true
      if not want[h] then remove[#remove + 1] = h end
    end
    for _, t in ipairs(fields.tags) do
      if not had[name_of(t)] then add[#add + 1] = t end
    end
  end
  if #remove > 0 then
    local ok, err = send("remove_tags", id, remove, opts)
    if not ok then return nil, err, seen end
  end
  if #add > 0 then
    local ok, err, a = M.add_tags(run, rows, client, io, opts and 3 or 2, { id, add, opts })
    seen = anomalies.merge(seen, a)
    if not ok then return nil, err, seen end
  end
  if not others then return true, nil, seen end
  local r, err = send("update", id, rest)
  return r, err, seen
end

return M
