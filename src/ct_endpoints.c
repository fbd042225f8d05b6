/*
** ct_endpoints.c: every time-tracking endpoint, one row each.
**
** A row names the Lua method, the HTTP method, the path template, the
** positional arguments and the keys of the trailing table (each with its
** type and where it goes: path, query or JSON body), the cross-field rules
** and the shape of the answer. ct_request.c checks arguments and builds the
** request from a row; ct_map.c maps the answer by its shape. Adding an
** endpoint is adding a row.
**
** Sources: ClickUp's reference and recorded traffic, as summarised in
** shared/spec/clickup-api-notes.md (section numbers below).
*/
#include "ct_private.h"

#define REQ CT_F_REQUIRED
#define END {NULL, 0, 0, 0}

#define PATH(n, t)   {n, t, CT_W_PATH, REQ}
#define QUERY(n, t)  {n, t, CT_W_QUERY, 0}
#define BODY(n, t)   {n, t, CT_W_BODY, 0}

/* team_id overrides the client's workspace for one call; every row takes it */
const ct_param ct_param_team_id = {"team_id", CT_T_IDNUM, CT_W_PATH, 0};


/* {====== positional arguments */

static const ct_param a_none[] = { END };
static const ct_param a_timer[] = { PATH("timer_id", CT_T_ID), END };
static const ct_param a_timers[] = { PATH("timer_id", CT_T_IDLIST), END };
static const ct_param a_task[] = { PATH("task_id", CT_T_ID), END };
static const ct_param a_interval[] = {
  PATH("task_id", CT_T_ID), PATH("interval_id", CT_T_ID), END
};
static const ct_param a_tagging[] = {                   /* 5.11, 5.12 */
  {"time_entry_ids", CT_T_IDLIST, CT_W_BODY, REQ},
  {"tags", CT_T_TAGS, CT_W_BODY, REQ}, END
};
static const ct_param a_rename[] = {                    /* 5.13 */
  {"name", CT_T_STR, CT_W_BODY, REQ},
  {"new_name", CT_T_STR, CT_W_BODY, REQ}, END
};

/* }====== */


/* {====== the trailing table */

static const ct_param o_none[] = { END };

static const ct_param o_custom[] = { QUERY("custom_task_ids", CT_T_BOOL), END };

static const ct_param o_entries[] = {                   /* 5.1 */
  QUERY("start_date", CT_T_MS), QUERY("end_date", CT_T_MS),
  QUERY("assignee", CT_T_ASSIGNEE),
  QUERY("include_task_tags", CT_T_BOOL),
  QUERY("include_location_names", CT_T_BOOL),
  QUERY("include_approval_history", CT_T_BOOL),
  QUERY("include_approval_details", CT_T_BOOL),
  QUERY("space_id", CT_T_IDNUM), QUERY("folder_id", CT_T_IDNUM),
  QUERY("list_id", CT_T_IDNUM), QUERY("task_id", CT_T_ID),
  QUERY("custom_task_ids", CT_T_BOOL), QUERY("is_billable", CT_T_BOOL), END
};

static const ct_param o_entry[] = {                     /* 5.3 */
  QUERY("include_task_tags", CT_T_BOOL),
  QUERY("include_location_names", CT_T_BOOL),
  QUERY("include_approval_history", CT_T_BOOL),
  QUERY("include_approval_details", CT_T_BOOL), END
};

static const ct_param o_create[] = {                    /* 5.2 */
  {"start", CT_T_MS, CT_W_BODY, REQ},
  BODY("end", CT_T_MS), BODY("stop", CT_T_MS), BODY("duration", CT_T_MS),
  BODY("description", CT_T_STR), BODY("billable", CT_T_BOOL),
  BODY("tags", CT_T_TAGS), BODY("assignee", CT_T_INT), BODY("tid", CT_T_ID),
  QUERY("custom_task_ids", CT_T_BOOL), END
};

static const ct_param o_update[] = {                    /* 5.4 */
  BODY("description", CT_T_STR), BODY("tags", CT_T_TAGS),
  BODY("tag_action", CT_T_TAGACTION),
  BODY("start", CT_T_MS), BODY("end", CT_T_MS), BODY("tid", CT_T_ID),
  BODY("billable", CT_T_BOOL), BODY("duration", CT_T_MS),
  QUERY("custom_task_ids", CT_T_BOOL), END
};

static const ct_param o_current[] = {                   /* 5.7 */
  QUERY("assignee", CT_T_INT), END
};

static const ct_param o_start[] = {                     /* 5.8 */
  {"timer_id", CT_T_ID, CT_W_PATH, 0},                  /* the starting spec's /start/{timer_id} */
  BODY("tid", CT_T_ID), BODY("description", CT_T_STR),
  BODY("billable", CT_T_BOOL), BODY("tags", CT_T_TAGS),
  QUERY("custom_task_ids", CT_T_BOOL), END
};

static const ct_param o_colours[] = {                   /* 5.13 */
  BODY("tag_bg", CT_T_STR), BODY("tag_fg", CT_T_STR), END
};

static const ct_param o_tracktime[] = {                 /* 5.14 */
  BODY("start", CT_T_MS), BODY("end", CT_T_MS), BODY("time", CT_T_MS),
  QUERY("custom_task_ids", CT_T_BOOL), END
};

/* }====== */


#define TEAM CT_E_TEAM
#define NEED CT_E_NEEDOPTS
#define TE "/team/{team_id}/time_entries"

const ct_endpoint ct_endpoints[] = {
  /* name           method    path                      args        opts         one_of           together     shape          flags */
  {"entries",       "GET",    TE,                       a_none,     o_entries,   NULL,            NULL,        CT_S_ENTRIES,  TEAM},
  {"entry",         "GET",    TE "/{timer_id}",         a_timer,    o_entry,     NULL,            NULL,        CT_S_ENTRY,    TEAM},
  {"create",        "POST",   TE,                       a_none,     o_create,    "duration,end,stop", NULL,    CT_S_ENTRY,    TEAM|NEED},
  {"update",        "PUT",    TE "/{timer_id}",         a_timer,    o_update,    NULL,            "start,end", CT_S_UPDATED,  TEAM|NEED},
  {"delete",        "DELETE", TE "/{timer_id}",         a_timers,   o_none,      NULL,            NULL,        CT_S_DELETED,  TEAM},
  {"history",       "GET",    TE "/{timer_id}/history", a_timer,  o_none,      NULL,            NULL,        CT_S_DATA,     TEAM},
  {"current",       "GET",    TE "/current",            a_none,   o_current,   NULL,            NULL,        CT_S_MAYBE,    TEAM},
  {"start",         "POST",   TE "/start{/timer_id}",   a_none,   o_start,     NULL,            NULL,        CT_S_ENTRY,    TEAM},
  {"stop",          "POST",   TE "/stop",               a_none,   o_none,      NULL,            NULL,        CT_S_MAYBE,    TEAM},
  {"tags",          "GET",    TE "/tags",               a_none,   o_none,      NULL,            NULL,        CT_S_TAGS,     TEAM},
  {"add_tags",      "POST",   TE "/tags",               a_tagging, o_none,     NULL,            NULL,        CT_S_OK,       TEAM},
  {"remove_tags",   "DELETE", TE "/tags",               a_tagging, o_none,     NULL,            NULL,        CT_S_OK,       TEAM},
  {"rename_tag",    "PUT",    TE "/tags",               a_rename, o_colours,   NULL,            NULL,        CT_S_OK,       TEAM},
  {"task_time",     "GET",    "/task/{task_id}/time",   a_task,   o_custom,    NULL,            NULL,        CT_S_TASKTIME, 0},
  {"add_task_time", "POST",   "/task/{task_id}/time",   a_task,   o_tracktime, "time,start",    "start,end", CT_S_ID,       NEED},
  {"update_task_time", "PUT", "/task/{task_id}/time/{interval_id}", a_interval, o_tracktime, "time,start", "start,end", CT_S_OK, NEED},
  {"delete_task_time", "DELETE", "/task/{task_id}/time/{interval_id}", a_interval, o_custom, NULL, NULL,      CT_S_OK,       0},
  /* Get authorized workspaces (GET /team): their members, for assignee = "all" */
  {"teams",         "GET",    "/team",                  a_none,   o_none,      NULL,            NULL,        CT_S_TEAMS,    0},
  {NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0}
};
