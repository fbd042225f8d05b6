/*
** ct_answer.c: what an answer means for its endpoint. Success statuses
** are decoded by the fused decoder (ct_decode.c) straight into the typed
** result; what it does not take goes the reference path, the private
** lua-cjson (or set_json's codec) and the mapper (ct_map.c), which gives
** the same results where both take an answer and the definitive error
** where neither does. Error statuses become "api" errors with ClickUp's
** ECODE; anything else that a server may send becomes a "decode" error.
** An empty success body is success for what does not promise an entry.
** Used for every request, and by core.decode for tests and the fuzzer.
**
** A result comes back as 1 value, or as result, nil, anomalies (3 values)
** when the answer had descriptive fields of an unexpected type; an error
** as nil, err (2 values).
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ct_private.h"


static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}


/* no content type (unknown), or one that says JSON: application/json, ...+json */
static int is_json_type(const char *ctype) {
  const char *p;
  if (ctype == NULL || ctype[0] == '\0')
    return 1;
  for (p = ctype; *p && *p != ';'; p++)
    if (strncasecmp(p, "json", 4) == 0)
      return 1;
  return 0;
}


/* decode a body with the private cjson: pushes the value, or nil and a message */
static int decode(lua_State *L, const char *body, size_t len) {
  if (len == 0) {
    lua_pushnil(L);
    lua_pushliteral(L, "empty body");
    return 0;
  }
  ct_codec_get(L, "decode");                        /* decode */
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_pushliteral(L, "no JSON codec: install lua-cjson, or give one to clickup.time.set_json");
    return 0;
  }
  lua_pushlstring(L, body, len);                    /* decode body */
  if (lua_pcall(L, 1, 1, 0) != 0) {                 /* value | msg */
    lua_pushnil(L);
    lua_insert(L, -2);                              /* nil msg */
    return 0;
  }
  return 1;
}


static int has_codec(lua_State *L) {
  int yes;
  ct_codec_get(L, "decode");
  yes = lua_isfunction(L, -1);
  lua_pop(L, 1);
  return yes;
}


/*
** The fused decoder on the body, as the answer's `how` says: 1 when it
** pushed the result (and its anomalies); 0 when it failed and its failure
** is the answer (why, *shape); -1 when the reference path is to decode
** instead: for what it does not take, and for anomalies it cannot be sure
** of (a member name twice).
*/
static int fused(lua_State *L, const ct_answer *a, const ct_endpoint *ep, char *why, size_t whylen,
                 int *shape) {
  int r;
  if (a->how == CT_D_REFERENCE)
    return -1;
  r = ct_decode(L, ep, a->body, a->len, a->strict, why, whylen, shape);
  if (r == 2) {
    if (a->how == CT_D_BOTH && !has_codec(L))
      return 1;                                     /* no one knows better */
    lua_pop(L, 2);
    if (a->how == CT_D_BOTH)
      return -1;
    snprintf(why, whylen, "a member name twice, after an anomaly: left to the reference path");
    *shape = 0;
    return 0;
  }
  if (r == 1)
    return 1;
  return a->how == CT_D_FUSED || !has_codec(L) ? 0 : -1;
}


/* any JSON value (an error answer's body): pushes it, or nil and a message */
static int decode_value(lua_State *L, const ct_answer *a) {
  char why[200];
  int shape, r = a->len > 0 ? fused(L, a, NULL, why, sizeof why, &shape) : -1;
  if (r >= 0) {
    if (r == 1)
      lua_pop(L, 1);                                /* a value has no anomalies */
    if (r == 0) {
      lua_pushnil(L);
      lua_pushstring(L, why);
    }
    return r;
  }
  return decode(L, a->body, a->len);
}


/* a "decode" error: bad_shape (JSON, but not what the endpoint answers) or bad_json */
static int fail_decode(lua_State *L, const ct_answer *a, int shape, const char *why) {
  const char *code = shape ? "bad_shape" : "bad_json";
  const char *msg = shape
    ? lua_pushfstring(L, "unexpected answer: %s", why)
    : lua_pushfstring(L, "the answer (HTTP %d%s%s) is not JSON: %s", (int)a->status,
                      a->ctype[0] ? ", " : "", a->ctype, why);
  lua_pushnil(L);
  ct_pusherror(L, "decode", code, msg, (int)a->status, a->req);
  return 2;
}


/*
** The ids of a DELETE's path (its last segment: ids percent-encoded, joined
** by ","), as { {id = "..."}, ... }: what a delete answered with an empty
** body returns. Without a request (core.decode), an empty list.
*/
static void push_deleted_ids(lua_State *L, const ct_req *req) {
  const char *p, *seg, *end;
  int n = 0;
  lua_newtable(L);                                  /* list */
  if (req == NULL || req->path.data == NULL)
    return;
  seg = strrchr(req->path.data, '/');
  seg = seg != NULL ? seg + 1 : req->path.data;
  for (p = seg; ; p = end + 1) {
    luaL_Buffer b;
    end = strchr(p, ',');
    if (end == NULL)
      end = p + strlen(p);
    luaL_buffinit(L, &b);
    for (; p < end; p++) {
      int hi, lo;
      if (*p == '%' && end - p >= 3 && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
        luaL_addchar(&b, (char)(hi << 4 | lo));
        p += 2;
      } else {
        luaL_addchar(&b, *p);
      }
    }
    luaL_pushresult(&b);                            /* list id */
    lua_createtable(L, 0, 1);                       /* list id item */
    lua_insert(L, -2);                              /* list item id */
    lua_setfield(L, -2, "id");                      /* list item */
    lua_rawseti(L, -2, ++n);                        /* list */
    if (*end == '\0')
      break;
  }
}


/*
** A 2xx with an empty body (or a 204): success for what does not promise
** an entry (update and legacy writes true, delete the ids it was given);
** for the POSTs that do (create, start, stop), a bad_json whose outcome is
** unknown, so that the client reads what ClickUp holds; for reads, bad_json.
*/
static int empty_body(lua_State *L, const ct_answer *a) {
  switch ((ct_shape)a->ep->shape) {
    case CT_S_OK: case CT_S_UPDATED: case CT_S_ID:
      lua_pushboolean(L, 1);
      return 1;
    case CT_S_DELETED:
      push_deleted_ids(L, a->req);
      return 1;
    default:
      break;
  }
  fail_decode(L, a, 0, "empty body");
  if (strcmp(a->ep->method, "POST") == 0) {
    lua_pushliteral(L, "unknown");
    lua_setfield(L, -2, "outcome");
  }
  return 2;
}


/* seconds until ClickUp takes requests again, after a 429; -1 unknown */
static long long retry_after(const ct_meta *m) {
  long long now;
  if (m == NULL)
    return -1;
  if (m->retry_after >= 0)
    return m->retry_after;
  if (m->reset < 0)
    return -1;
  now = m->date >= 0 ? m->date : (long long)time(NULL);   /* the reset is on the server's clock */
  return m->reset > now ? m->reset - now : 0;
}


static int fail_api(lua_State *L, const ct_answer *a, int ok) {
  const char *code = NULL, *message = NULL;
  int d = lua_gettop(L) - (ok ? 0 : 1);             /* the decoded value, or nil */
  long long wait;
  if (ok && lua_istable(L, d)) {
    lua_getfield(L, d, "ECODE");
    lua_getfield(L, d, "err");
    code = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  }
  if (code == NULL)
    code = lua_pushfstring(L, "HTTP_%d", (int)a->status);
  if (message == NULL)
    message = lua_pushfstring(L, "ClickUp answered HTTP %d without an error body%s%s%s",
                              (int)a->status, a->ctype[0] ? " (" : "", a->ctype,
                              a->ctype[0] ? ")" : "");
  lua_pushnil(L);
  ct_pusherror(L, "api", code, message, (int)a->status, a->req);
  if (a->status == 429 && (wait = retry_after(a->meta)) >= 0) {
    ct_pushint(L, wait);
    lua_setfield(L, -2, "retry_after");
  }
  return 2;
}


/* result anomalies|nil on the stack: 1 value when there are none, else result, nil, anomalies */
static int with_anomalies(lua_State *L) {
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_insert(L, -2);
  return 3;
}


/*
** Push the mapped result (1 value, or 3 with anomalies), or nil and an
** error (2 values): api for a non-2xx status, decode for a body that is
** not the JSON the endpoint answers with.
*/
int ct_answer_result(lua_State *L, const ct_answer *a) {
  int d, shape;
  char why[256];
  const char *msg;
  if (a->status >= 200 && a->status <= 299 && a->len > 0 && !is_json_type(a->ctype)) {
    msg = lua_pushfstring(L, "the answer (HTTP %d) is %s, not JSON", (int)a->status, a->ctype);
    lua_pushnil(L);
    ct_pusherror(L, "decode", "bad_json", msg, (int)a->status, a->req);
    return 2;
  }
  if (a->status < 200 || a->status > 299)
    return fail_api(L, a, decode_value(L, a));
  if (a->len == 0)
    return empty_body(L, a);
  switch (fused(L, a, a->ep, why, sizeof why, &shape)) {
    case 1: return with_anomalies(L);
    case 0: return fail_decode(L, a, shape, why);
  }
  if (!decode(L, a->body, a->len))
    return fail_decode(L, a, 0, lua_tostring(L, -1));
  d = lua_gettop(L);
  if (!ct_map_response(L, a->ep, d, a->strict, why, sizeof why))
    return fail_decode(L, a, 1, why);
  return with_anomalies(L);
}
