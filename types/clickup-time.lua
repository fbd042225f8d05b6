---@meta clickup.time
-- LuaLS annotations for clickup-time. Installed with the rock under its
-- types/ folder; add that folder to the language server's
-- `workspace.library` (Neovim users: lua_ls settings) for completion and checks.
-- They list what the code accepts: spec/types_spec.lua checks every
-- method's parameters against the core's endpoint table.

---Milliseconds since the epoch (UTC), or a moment as people write it: "now",
---"yesterday 14:00", "monday", "2026-11-28T09:00", "2h ago" (clickup.time.when).
---@alias clickup.Moment integer|string

---Milliseconds, or a duration as people write it: "1h30m", "90m", "1.5h", "45s", "2:15".
---@alias clickup.Duration integer|string

---@class clickup.Task
---@field id string
---@field name? string
---@field custom_id? string
---@field custom_type? string|integer as ClickUp sent it
---@field status? { status?: string, color?: string, type?: string, orderindex?: integer, id?: string }

---@class clickup.User
---@field id integer
---@field username? string
---@field email? string
---@field color? string
---@field initials? string
---@field profilePicture? string
---@field timezone? string
---@field role? integer members of teams(): 1 owner, 2 admin, 3 member, 4 guest

---@class clickup.Tag
---@field name string
---@field tag_bg? string
---@field tag_fg? string
---@field creator? integer

---A tag as the methods take it: a name, or a table (with its colours, for a new label).
---@alias clickup.TagSpec string|{ name: string, tag_bg?: string, tag_fg?: string }

---@class clickup.Location
---@field list_id? string
---@field folder_id? string
---@field space_id? string
---@field list_name? string
---@field folder_name? string
---@field space_name? string

---A time entry: plain table, real types, whatever form ClickUp used. A
---descriptive field ClickUp sent with an unexpected type is kept as it came
---(see client:anomalies()); id and start are always typed.
---@class clickup.Entry
---@field id string 19-digit id, always a string
---@field wid? string workspace id
---@field task? clickup.Task absent when the entry has no (readable) task
---@field user? clickup.User
---@field billable? boolean
---@field start integer ms since the epoch (UTC)
---@field end? integer absent while the timer runs
---@field duration? integer ms; negative while running
---@field description? string
---@field tags? clickup.Tag[]
---@field task_tags? clickup.Tag[] with include_task_tags
---@field source? string
---@field at? integer last change, ms
---@field is_locked? boolean
---@field approval_id? string
---@field approval? table with include_approval_details or include_approval_history, as ClickUp sends it
---@field task_location? clickup.Location
---@field task_url? string
local Entry = {}

---True while the timer runs (no end yet).
---@return boolean
function Entry:is_running() end

---Milliseconds tracked; live (now - start) for a running timer.
---@param now_ms? integer
---@return integer
function Entry:elapsed(now_ms) end

---An interval of the legacy per-task time.
---@class clickup.Interval
---@field id string
---@field start? integer
---@field end? integer
---@field time? integer ms
---@field date_added? integer
---@field source? string
---@field billable? boolean

---@class clickup.UserTime
---@field user clickup.User
---@field time integer ms, the user's total
---@field intervals clickup.Interval[]

---@class clickup.Team
---@field id string
---@field name? string
---@field color? string
---@field avatar? string
---@field members? { user: clickup.User }[]

---A descriptive field of an answer that had an unexpected type, kept as it came.
---@class clickup.Anomaly
---@field path string "data[501].task.custom_type"
---@field expected string "integer", "id", "boolean", "string", "string or integer", "object" or "array"
---@field got string "string", "number", "boolean", "object" or "array"

---The anomalies of a call: at most 100 kept, in order; `more` counts the rest.
---@class clickup.Anomalies: { [integer]: clickup.Anomaly }
---@field more integer

---A failure of the world (never raised: returned as the second value).
---@class clickup.Error
---@field kind "api"|"transport"|"decode"
---@field code string ECODE ("OAUTH_025"...), "HTTP_<status>", "timeout", "connect", "resolve", "tls", "network", "cancelled", "bad_json", "bad_shape", "too_large"
---@field message string
---@field status? integer HTTP status
---@field method? string
---@field path? string no host, no query, never the token
---@field curl? string libcurl's name of a transport failure
---@field sent? boolean false: the request never left
---@field retry_after? integer seconds, after a 429
---@field outcome? "unknown"|"none" a POST whose answer was lost or empty

---@class clickup.RetryInfo
---@field name string
---@field method string
---@field attempt integer
---@field reason string "429", "rate_limit", "status_503", "timeout", "reconcile", "resend", ...
---@field delay number seconds
---@field error? clickup.Error

---@class clickup.Options
---@field token? string default $CLICKUP_TOKEN; pk_... sent bare, else Bearer
---@field team_id? string|integer default $CLICKUP_TEAM_ID
---@field base_url? string default $CLICKUP_BASE_URL or https://api.clickup.com/api/v2
---@field timeout? number seconds (30)
---@field connect_timeout? number seconds (10)
---@field stall_timeout? number seconds without a byte (15)
---@field max_response? integer bytes (64 MiB)
---@field ca_file? string
---@field ca_path? string
---@field allow_insecure_http? boolean
---@field retries? integer (3)
---@field backoff? number base seconds (0.5)
---@field max_wait? number seconds (60)
---@field on_retry? fun(info: clickup.RetryInfo)
---@field sleep? fun(seconds: number)
---@field strict? boolean anomalies are bad_shape errors (false)

---@class clickup.Handle
local Handle = {}
---Abandon the call: its callback gets nil and an error with code "cancelled".
---@return boolean
function Handle:cancel() end
---@return boolean
function Handle:done() end

---What a method's callback gets: what the blocking form returns, then the call's anomalies.
---@alias clickup.Callback fun(result: any, err: clickup.Error?, anomalies: clickup.Anomalies?)

---@alias clickup.EntriesParams { range?: string|integer[], week_start?: string|integer, margin_days?: number, progress?: fun(done: integer, total: integer), window_days?: number, start_date?: clickup.Moment, end_date?: clickup.Moment, assignee?: integer|integer[]|string|"all", include_task_tags?: boolean, include_location_names?: boolean, include_approval_history?: boolean, include_approval_details?: boolean, space_id?: string|integer, folder_id?: string|integer, list_id?: string|integer, task_id?: string, custom_task_ids?: boolean, is_billable?: boolean, team_id?: string|integer }
---@alias clickup.EntryParams { include_task_tags?: boolean, include_location_names?: boolean, include_approval_history?: boolean, include_approval_details?: boolean, team_id?: string|integer }
---@alias clickup.CreateFields { start: clickup.Moment, duration?: clickup.Duration, end?: clickup.Moment, stop?: clickup.Moment, description?: string, billable?: boolean, tags?: clickup.TagSpec[], assignee?: integer, tid?: string, custom_task_ids?: boolean, team_id?: string|integer }
---@alias clickup.UpdateFields { description?: string, tags?: clickup.TagSpec[], tag_action?: "replace"|"add"|"remove", start?: clickup.Moment, end?: clickup.Moment, tid?: string, billable?: boolean, duration?: clickup.Duration, custom_task_ids?: boolean, team_id?: string|integer }
---@alias clickup.StartFields { tid?: string, description?: string, billable?: boolean, tags?: clickup.TagSpec[], custom_task_ids?: boolean, timer_id?: string, team_id?: string|integer }
---@alias clickup.TrackFields { start?: clickup.Moment, end?: clickup.Moment, time?: clickup.Duration, custom_task_ids?: boolean }

---Every method blocks, or with a callback as its last argument returns a Handle at once.
---@class clickup.Client
---@field team_id? string
---@field base_url string
local Client = {}

---Without start_date/end_date: the last 30 days until now, sent explicitly. Long ranges are fetched in parallel windows.
---With range ("this week", or { from_ms, to_ms }): every entry overlapping the period, whole, fetched margin_days (7) early.
---@param params? clickup.EntriesParams
---@return clickup.Entry[]|nil entries
---@return clickup.Error? err
---@overload fun(self: clickup.Client, params: clickup.EntriesParams?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, callback: clickup.Callback): clickup.Handle
function Client:entries(params) end

---@param timer_id string
---@param params? clickup.EntryParams
---@return clickup.Entry|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, timer_id: string, params: clickup.EntryParams?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, timer_id: string, callback: clickup.Callback): clickup.Handle
function Client:entry(timer_id, params) end

---@param fields clickup.CreateFields
---@return clickup.Entry|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, fields: clickup.CreateFields, callback: clickup.Callback): clickup.Handle
function Client:create(fields) end

---Tags go through add_tags/remove_tags (ClickUp's PUT ignores them); the rest with the PUT.
---@param timer_id string
---@param fields clickup.UpdateFields
---@return clickup.Entry|true|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, timer_id: string, fields: clickup.UpdateFields, callback: clickup.Callback): clickup.Handle
function Client:update(timer_id, fields) end

---The deleted entries; just their ids ({ {id = "..."}, ... }) when ClickUp answers with no body.
---@param timer_id string|string[] one id or a list of them
---@param params? { team_id?: string|integer }
---@return clickup.Entry[]|{ id: string }[]|nil deleted
---@return clickup.Error? err
---@overload fun(self: clickup.Client, timer_id: string|string[], params: { team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, timer_id: string|string[], callback: clickup.Callback): clickup.Handle
function Client:delete(timer_id, params) end

---ClickUp's `data`, or the whole decoded answer when it has none (the shape is undocumented).
---@param timer_id string
---@param params? { team_id?: string|integer }
---@return table|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, timer_id: string, params: { team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, timer_id: string, callback: clickup.Callback): clickup.Handle
function Client:history(timer_id, params) end

---@param params? { assignee?: integer, team_id?: string|integer }
---@return clickup.Entry|false|nil running entry, or false when none runs
---@return clickup.Error? err
---@overload fun(self: clickup.Client, params: { assignee?: integer, team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, callback: clickup.Callback): clickup.Handle
function Client:current(params) end

---@param fields? clickup.StartFields
---@return clickup.Entry|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, fields: clickup.StartFields?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, callback: clickup.Callback): clickup.Handle
function Client:start(fields) end

---@param params? { team_id?: string|integer }
---@return clickup.Entry|false|nil stopped entry, or false when none ran
---@return clickup.Error? err
---@overload fun(self: clickup.Client, params: { team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, callback: clickup.Callback): clickup.Handle
function Client:stop(params) end

---@param params? { team_id?: string|integer }
---@return clickup.Tag[]|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, params: { team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, callback: clickup.Callback): clickup.Handle
function Client:tags(params) end

---Tags without colours take their label's (one GET of the labels first).
---@param time_entry_ids string|string[]
---@param tags clickup.TagSpec[]
---@param params? { team_id?: string|integer }
---@return true|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, time_entry_ids: string|string[], tags: clickup.TagSpec[], params: { team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, time_entry_ids: string|string[], tags: clickup.TagSpec[], callback: clickup.Callback): clickup.Handle
function Client:add_tags(time_entry_ids, tags, params) end

---@param time_entry_ids string|string[]
---@param tags clickup.TagSpec[]
---@param params? { team_id?: string|integer }
---@return true|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, time_entry_ids: string|string[], tags: clickup.TagSpec[], params: { team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, time_entry_ids: string|string[], tags: clickup.TagSpec[], callback: clickup.Callback): clickup.Handle
function Client:remove_tags(time_entry_ids, tags, params) end

---The colours not given are the label's own (one GET of the labels first).
---@param name string
---@param new_name string
---@param colours? { tag_bg?: string, tag_fg?: string, team_id?: string|integer }
---@return true|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, name: string, new_name: string, colours: { tag_bg?: string, tag_fg?: string, team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, name: string, new_name: string, callback: clickup.Callback): clickup.Handle
function Client:rename_tag(name, new_name, colours) end

---@param task_id string
---@param params? { custom_task_ids?: boolean, team_id?: string|integer }
---@return clickup.UserTime[]|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, task_id: string, params: { custom_task_ids?: boolean, team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, task_id: string, callback: clickup.Callback): clickup.Handle
function Client:task_time(task_id, params) end

---Give time, or both start and end. true when ClickUp answers with no body.
---@param task_id string
---@param fields clickup.TrackFields
---@return { id: string }|true|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, task_id: string, fields: clickup.TrackFields, callback: clickup.Callback): clickup.Handle
function Client:add_task_time(task_id, fields) end

---@param task_id string
---@param interval_id string
---@param fields clickup.TrackFields
---@return true|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, task_id: string, interval_id: string, fields: clickup.TrackFields, callback: clickup.Callback): clickup.Handle
function Client:update_task_time(task_id, interval_id, fields) end

---@param task_id string
---@param interval_id string
---@param params? { custom_task_ids?: boolean, team_id?: string|integer }
---@return true|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, task_id: string, interval_id: string, params: { custom_task_ids?: boolean, team_id?: string|integer }?, callback: clickup.Callback): clickup.Handle
---@overload fun(self: clickup.Client, task_id: string, interval_id: string, callback: clickup.Callback): clickup.Handle
function Client:delete_task_time(task_id, interval_id, params) end

---Get authorized workspaces (GET /team), with their members.
---@return clickup.Team[]|nil
---@return clickup.Error? err
---@overload fun(self: clickup.Client, callback: clickup.Callback): clickup.Handle
function Client:teams() end

---The anomalies of the last completed call (empty when it had none).
---@return clickup.Anomalies
function Client:anomalies() end

---@return { limit?: integer, remaining?: integer, reset?: integer }|nil
function Client:rate_limit() end

---Move non-blocking calls on, waiting at most timeout_ms (0); returns how many still run.
---@param timeout_ms? integer
---@return integer
function Client:poll(timeout_ms) end

---Run until no non-blocking call runs (or timeout_ms passed); returns how many still run.
---@param timeout_ms? integer
---@return integer
function Client:wait(timeout_ms) end

---Run calls concurrently: { {"entries", params}, {"entry", id}, ... }. Sequences aligned with calls.
---@param calls table[]
---@param max_concurrency? integer|{ concurrency?: integer, each?: fun(i: integer, result: any, err: clickup.Error?, anomalies: table?), keep?: boolean } (8); keep = false: results go to each only
---@param callback? fun(results: table, errors: table, anomalies: table)
---@return table results
---@return table errors
---@return table anomalies anomalies[i]: the anomalies of call i, when it had any
---@overload fun(self: clickup.Client, calls: table[], callback: fun(results: table, errors: table, anomalies: table))
function Client:parallel(calls, max_concurrency, callback) end

function Client:close() end

---The arguments of a call as the method would send them (human times made
---milliseconds), checked: a mistake raises. For layers that record a call
---before making it (clickup.time.journal).
---@param name string a method's name ("start", "create", ...)
---@return any ... the arguments, converted
function Client:prepare(name, ...) end

---@class clickup.time
---@field VERSION string
---@field Entry table
---@field Error table
local clickup = {}

---@param opts? clickup.Options
---@return clickup.Client
function clickup.new(opts) end

---@return integer ms since the epoch
function clickup.now_ms() end

---@param x any
---@param kind? string
---@return boolean
function clickup.is_error(x, kind) end

---@param kind "api"|"transport"|"decode"
---@param code string
---@param message string
---@param fields? table
---@return clickup.Error
function clickup.error(kind, code, message, fields) end

---@param codec { decode: fun(s: string): any, null: any }
function clickup.set_json(codec) end

return clickup
