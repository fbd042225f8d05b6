/*
** ct_private.h: types shared by the files of the C core, and their
** cross-file prototypes. Everything here is hidden: the only exported
** symbol is luaopen_clickup_time_core (LuaSocket's visibility approach).
*/
#ifndef CT_PRIVATE_H
#define CT_PRIVATE_H

#include <math.h>

#include <curl/curl.h>

#include "ct_compat.h"
#include "ct_buf.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* libcurl takes a URL already parsed (CURLOPT_CURLU) since 7.63.0 */
#if LIBCURL_VERSION_NUM >= 0x073f00
#define CT_HAVE_CURLU 1
#else
#define CT_HAVE_CURLU 0
typedef void CURLU;
#endif

#define CT_VERSION    "0.1.0"
#define CT_CLIENT_MT  "clickup.time.Client"
#define CT_MAX_SLOTS  32        /* more than any endpoint's parameters */

/* Upvalues shared by every function of the module (Lua-cURL's LCURL_PUSH_NUP). */
#define CT_UV_CODEC   lua_upvalueindex(1)   /* {decode=, null=}: a private cjson, or set_json's */
#define CT_UV_ENTRY   lua_upvalueindex(2)   /* metatable of entries */
#define CT_UV_ERROR   lua_upvalueindex(3)   /* metatable of errors */
#define CT_UV_KEYS    lua_upvalueindex(4)   /* the known field names, interned (ct_decode.c) */
#define CT_NUP        4
#define CT_UV_EP      lua_upvalueindex(5)   /* endpoint methods only: the row */


/* {====== the endpoint table (ct_endpoints.c) */

typedef enum ct_type {
  CT_T_ID,        /* opaque id: a string only (19-digit ids do not survive a double) */
  CT_T_IDNUM,     /* workspace/space/folder/list id: string or integer */
  CT_T_IDLIST,    /* one id string or a non-empty list of them */
  CT_T_MS,        /* integer milliseconds */
  CT_T_INT,       /* integer (a user id) */
  CT_T_BOOL,
  CT_T_STR,       /* any string */
  CT_T_TAGACTION, /* "replace" | "add" | "remove" */
  CT_T_ASSIGNEE,  /* integer, list of integers, or string */
  CT_T_TAGS       /* list of names or of {name=, tag_bg=, tag_fg=} */
} ct_type;

typedef enum ct_place { CT_W_PATH, CT_W_QUERY, CT_W_BODY } ct_place;

#define CT_F_REQUIRED 1

typedef struct ct_param {
  const char *name;
  unsigned char type;     /* ct_type */
  unsigned char where;    /* ct_place */
  unsigned char flags;
} ct_param;

typedef enum ct_shape {
  CT_S_ENTRIES,   /* data: [entry]               -> sequence of entries */
  CT_S_ENTRY,     /* data: entry | [entry]       -> entry */
  CT_S_MAYBE,     /* data: entry | null          -> entry or false (current, stop) */
  CT_S_UPDATED,   /* data: entry | [entry] | {}  -> entry or true */
  CT_S_DELETED,   /* data: [entry] | entry       -> sequence of entries */
  CT_S_DATA,      /* data: any                   -> the decoded data (history) */
  CT_S_TAGS,      /* data: [tag]                 -> sequence of tags */
  CT_S_OK,        /* {}                          -> true */
  CT_S_TASKTIME,  /* data: [{user, time, intervals}] (legacy) */
  CT_S_ID,        /* {"id": ...}                 -> {id = "..."} (legacy) */
  CT_S_TEAMS      /* {"teams": [team]}           -> sequence of workspaces with members */
} ct_shape;

#define CT_E_NEEDOPTS 1   /* the trailing table is required (create, update, ...) */
#define CT_E_TEAM     2   /* the path has {team_id} */

typedef struct ct_endpoint {
  const char *name;       /* the Lua method */
  const char *method;     /* HTTP method */
  const char *path;       /* template: {name} and optional {/name} */
  const ct_param *args;   /* positional arguments, in order */
  const ct_param *opts;   /* the trailing table's keys, in order */
  const char *one_of;     /* "a,b": at least one of them is given */
  const char *together;   /* "a,b": all or none of them */
  unsigned char shape;    /* ct_shape */
  unsigned char flags;    /* CT_E_* */
} ct_endpoint;

extern const ct_endpoint ct_endpoints[];
extern const ct_param ct_param_team_id;

/* }====== */


/* {====== what each known field of an answer is (ct_fields.c) */

#define CT_KEYS(X) \
  X(id) X(task) X(wid) X(user) X(billable) X(start) X(end) X(duration) X(description) \
  X(tags) X(source) X(at) X(is_locked) X(approval_id) X(task_location) X(task_url) \
  X(task_tags) X(name) X(status) X(custom_id) X(custom_type) X(color) X(type) \
  X(orderindex) X(username) X(email) X(initials) X(profilePicture) X(list_id) \
  X(folder_id) X(space_id) X(list_name) X(folder_name) X(space_name) X(tag_fg) \
  X(tag_bg) X(creator) X(time) X(date_added) X(intervals) X(role) X(members) \
  X(timezone) X(approval) X(avatar) X(data)

#define X(n) CT_KEY_##n,
typedef enum ct_key { CT_KEYS(X) CT_KEY__N } ct_key;
#undef X

typedef enum ct_kind {
  CT_V_ANY,       /* kept as it comes: nulls dropped, integral numbers integers */
  CT_V_INT,       /* integer, from a number or a string of digits */
  CT_V_ID,        /* string, from a string or an integral number */
  CT_V_BOOL,      /* boolean, from true/false or "true"/"false" */
  CT_V_STR,       /* string */
  CT_V_STRINT,    /* string or integer, as sent (custom_type) */
  CT_V_OBJ,       /* an object of sub (NULL: of any fields) */
  CT_V_TASK,      /* an object of sub; absent when it is not one, or empty (ClickUp sends "0") */
  CT_V_LIST       /* an array of objects of sub */
} ct_kind;

/*
** A field is essential when a result without it typed is wrong: an
** entry's id and start, a tag's name, an interval's id. Such a field of
** the wrong type fails the call (bad_shape); any other (descriptive)
** field of the wrong type is kept as it came, and is an anomaly.
*/
#define CT_FIELD_ESSENTIAL 1

typedef struct ct_obj ct_obj;

typedef struct ct_field {
  unsigned char key;      /* ct_key */
  unsigned char kind;     /* ct_kind */
  unsigned char flags;    /* CT_FIELD_* */
  const ct_obj *sub;
} ct_field;

struct ct_obj {
  const ct_field *fields;
  unsigned char n;
  unsigned char entry;    /* a time entry: fields[0] is its required id; gets the Entry metatable */
  unsigned char size;     /* the fields an answer usually has (not null): the table's size */
  unsigned char named;    /* a string where one is expected is its name: {name = s} (tags) */
};

extern const char *const ct_key_name[CT_KEY__N];
extern const unsigned char ct_key_len[CT_KEY__N];
extern const ct_obj ct_obj_entry, ct_obj_tag, ct_obj_usertime, ct_obj_team;

typedef struct ct_named_obj {
  const char *name;
  const ct_obj *obj;
} ct_named_obj;

extern const ct_named_obj ct_objects[];   /* NULL-terminated */

const ct_field *ct_field_find(const ct_obj *o, const char *name, size_t len);
int ct_parse_int(const char *s, size_t len, long long *out);


/* an integral double that is exact (below 2^53), so a Lua integer or an id */
static inline int ct_exact_int(double v) {
  return v >= -9007199254740992.0 && v <= 9007199254740992.0 && floor(v) == v;
}

/*
** Where in an answer a decoder is: keys and indexes, pushed and popped as
** it goes (n is restored to leave), formatted only when a shape is wrong.
** Keys point into Lua strings or the body, alive while their step is.
*/
#define CT_MAX_PATH 32

typedef struct ct_path {
  size_t n;
  struct { const char *key; size_t len, index; } step[CT_MAX_PATH];   /* key NULL: an index */
} ct_path;

static inline size_t ct_path_key(ct_path *p, const char *key, size_t len) {
  if (p->n < CT_MAX_PATH) {
    p->step[p->n].key = key;
    p->step[p->n].len = len;
  }
  return p->n++;
}

static inline size_t ct_path_index(ct_path *p, size_t i) {
  if (p->n < CT_MAX_PATH) {
    p->step[p->n].key = NULL;
    p->step[p->n].index = i;
  }
  return p->n++;
}

/* }====== */


/* {====== what both decoders say of an odd value, and anomalies (ct_anomaly.c) */

/* what a JSON value is, as both decoders name it ([] counts as an object:
   lua-cjson cannot tell an empty array from an empty object) */
typedef enum ct_jtype {
  CT_J_NOTHING, CT_J_NULL, CT_J_BOOLEAN, CT_J_NUMBER, CT_J_STRING, CT_J_OBJECT, CT_J_ARRAY,
  CT_J_OTHER
} ct_jtype;

/* why a value is not what its field says, beyond its JSON type */
typedef enum ct_odd {
  CT_ODD_TYPE,        /* of another JSON type */
  CT_ODD_NOT_INT,     /* a string that is not an integer */
  CT_ODD_INEXACT,     /* a number that is not an exact integer */
  CT_ODD_LOST,        /* a number (for an id) that lost its digits */
  CT_ODD_BEYOND       /* an integer beyond 2^53 in a Lua without integers */
} ct_odd;

const char *ct_kind_word(ct_kind k);
const char *ct_jtype_word(ct_jtype t);
const char *ct_jtype_phrase(ct_jtype t);
const char *ct_shape_expects(ct_shape shape);
void ct_mistyped(char *out, size_t outlen, ct_kind kind, ct_jtype got, ct_odd why);

void ct_path_why(const ct_path *p, const char *what, char *out, size_t outlen);

/*
** The anomalies of one answer: descriptive fields of an unexpected type,
** each { path =, expected =, got = }, the first CT_MAX_ANOMALIES of them
** kept in a list and the rest counted in its field `more`. The list is
** made at the first one, in a stack slot the decoder reserved (nil until
** then): an answer without anomalies costs nothing. In strict mode an
** anomaly is a bad_shape instead.
*/
#define CT_MAX_ANOMALIES 100

typedef struct ct_anomalies {
  int slot;               /* stack index of the list, nil until the first */
  int strict;
  size_t n;               /* every anomaly found, kept or not */
} ct_anomalies;

void ct_anomaly(lua_State *L, ct_anomalies *a, const ct_path *p, ct_kind expected, ct_jtype got);
void ct_anomalies_done(lua_State *L, ct_anomalies *a);

/* }====== */


/* {====== a request being built (ct_request.c) */

typedef struct ct_slot {
  const ct_param *p;
  int idx;                /* stack index of the value */
} ct_slot;

typedef struct ct_request {
  const ct_endpoint *ep;
  ct_slot slots[CT_MAX_SLOTS];
  int nslots;
  int team_idx;           /* stack index of a team_id override, or 0 */
  int custom_ids;         /* custom_task_ids = true */
  int has_body;
} ct_request;

/* }====== */


/* {====== the client and its transfers (ct_client.c, ct_transfer.c) */

/* what the headers of an answer said; -1 where they said nothing usable */
typedef struct ct_meta {
  long long limit, remaining, reset;  /* x-ratelimit-*, reset in epoch seconds */
  long long retry_after;              /* Retry-After, seconds */
  long long date;                     /* Date, epoch seconds: the server's clock */
  char content_type[64];
} ct_meta;

struct ct_client;

/*
** One HTTP exchange. Requests are owned by their client and pooled: the
** easy handle and the buffers are kept and reused, so a steady state
** allocates nothing per request. A request is on exactly one of the
** client's lists: active (in the multi handle), finished (waiting to be
** delivered) or pool.
*/
typedef struct ct_req {
  struct ct_req *next;
  struct ct_client *cl;
  CURL *easy;
  CURLU *uh;                      /* the URL, parsed (CURLOPT_CURLU); NULL when libcurl cannot */
  ct_buf origin;                  /* "scheme://host:port" uh holds alone, with the request target apart; "" none */
  const ct_endpoint *ep;
  long long id;
  ct_buf url, path, body, resp;
  ct_meta meta;
  CURLcode rc;                    /* the transfer's result, once finished */
  int has_body, too_large, blocking;
  int configured;                 /* the handle's unchanging options are set */
  int uh_failed;                  /* no CURLU could be made: CURLOPT_URL then */
  char errbuf[CURL_ERROR_SIZE];
} ct_req;

typedef struct ct_client {
  CURLM *multi;                   /* NULL once closed */
  CURLSH *share;                  /* the connection cache (and DNS, TLS sessions) of every handle */
  struct curl_slist *hdr_get;     /* Authorization, Accept */
  struct curl_slist *hdr_body;    /* ... plus Content-Type: application/json */
  char *base_url;                 /* without a trailing slash */
  char *team_id;                  /* may be NULL */
  char *token;                    /* kept only to scrub it from messages */
  char *ca_file, *ca_path;        /* may be NULL: libcurl's default bundle */
  char *proxy, *noproxy;          /* the environment's, read once ("": none) */
  long timeout_ms, connect_timeout_ms, stall_ms;
  size_t max_response;            /* bytes, after decompression */
  ct_req *active, *finished, *pool;
  int nactive;
  long long next_id;
  ct_meta meta;                   /* of the last answer delivered */
  int strict;                     /* anomalies are bad_shape (new{strict = true}) */
  int watching;                   /* a host loop watches the sockets */
  int poll_fd;                    /* ct_poller.c: the descriptor a host loop polls, or -1 */
  ct_buf changes;                 /* socket interest changes: pairs of int (fd, what) */
  long timer_ms;                  /* what curl last asked of the host's timer */
  int timer_changed;
  char date_raw[40];              /* the last Date header seen, and its value: */
  long long date_val;             /* answers of one second share it, parsed once */
} ct_client;

/* an answer to interpret (ct_answer.c) */
typedef struct ct_answer {
  const ct_endpoint *ep;
  long status;
  const char *body;
  size_t len;
  const char *ctype;        /* content type, "" when unknown */
  const ct_meta *meta;      /* NULL outside a request */
  const ct_req *req;        /* NULL outside a request */
  int how;                  /* CT_D_*: which decoder */
  int strict;               /* anomalies are bad_shape */
} ct_answer;

#define CT_D_BOTH      0    /* the fused decoder; the reference path for what it does not take */
#define CT_D_FUSED     1    /* the fused decoder only */
#define CT_D_REFERENCE 2    /* the codec (lua-cjson, set_json's) and the mapper only */

/* }====== */


/* ct_core.c */
void ct_where(lua_State *L);
void ct_codec_get(lua_State *L, const char *field);

/* ct_error.c */
void ct_error_open(lua_State *L);
void ct_pusherror(lua_State *L, const char *kind, const char *code,
                  const char *message, int status, const ct_req *req);
int  ct_error_new(lua_State *L);
const char *ct_curl_code(CURLcode rc);
const char *ct_curl_name(CURLcode rc);

/* ct_request.c */
void ct_request_check(lua_State *L, ct_request *rq, int nargs);
void ct_request_team(lua_State *L, const ct_request *rq, const ct_client *cl);
int  ct_request_build(lua_State *L, ct_request *rq, const ct_client *cl, ct_req *req);
void ct_argfail(lua_State *L, const ct_endpoint *ep, const char *fmt, ...);

/* ct_json.c */
int  ct_json_string(ct_buf *b, const char *s, size_t len);
int  ct_json_body(lua_State *L, ct_request *rq, ct_buf *b);

/* ct_decode.c */
int  ct_decode(lua_State *L, const ct_endpoint *ep, const char *body, size_t len, int strict,
               char *why, size_t whylen, int *shape);
void ct_decode_open(lua_State *L);

/* ct_map.c */
int  ct_is_empty(lua_State *L, int t);
int  ct_map_response(lua_State *L, const ct_endpoint *ep, int decoded, int strict,
                     char *why, size_t whylen);

/* ct_answer.c */
int  ct_answer_result(lua_State *L, const ct_answer *a);

/* ct_transfer.c */
ct_req *ct_req_acquire(ct_client *cl);
void ct_req_release(ct_req *req);
void ct_req_free(ct_req *req);
void ct_req_prepare(ct_req *req);
int  ct_req_start(ct_req *req);
void ct_req_unlink(ct_req **list, ct_req *req);
void ct_drain(ct_client *cl);
int  ct_req_result(lua_State *L, ct_req *req);
int  ct_multi_watch(ct_client *cl);
void ct_meta_reset(ct_meta *m);

/* ct_fs.c */
void ct_fs_open(lua_State *L);

/* ct_poller.c */
int  ct_poller_fd(ct_client *cl);
int  ct_poller_ready(ct_client *cl);
void ct_poller_close(ct_client *cl);

/* ct_client.c */
void ct_client_open(lua_State *L);
int  ct_client_new(lua_State *L);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
