/*
** ct_request.c: checks a call's arguments against its endpoint row and
** builds the request (path, query string, JSON body) from them.
**
** Every mistake a programmer can make here raises an error that names the
** method and the argument; nothing is sent. Values never change the shape
** of the request: path segments and query values are percent-encoded, and
** names come only from the endpoint table.
*/
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "ct_private.h"


/*
** Raise "<where>clickup.time: <method>: <message>", where <where> is the
** user's line (the first Lua frame outside this library).
*/
void ct_argfail(lua_State *L, const ct_endpoint *ep, const char *fmt, ...) {
  va_list ap;
  ct_where(L);                                        /* where */
  lua_pushfstring(L, "clickup.time: %s: ", ep->name); /* where prefix */
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);                       /* where prefix msg */
  va_end(ap);
  lua_concat(L, 3);
  lua_error(L);
}


/* {====== values */

/*
** An integer at idx: an integer subtype, or a float with an exact integral
** value (below 2^53, where every double is exact).
*/
static int get_int(lua_State *L, int idx, long long *out) {
  lua_Number n;
  if (lua_type(L, idx) != LUA_TNUMBER)
    return 0;
#if LUA_VERSION_NUM >= 503
  if (lua_isinteger(L, idx)) {
    *out = (long long)lua_tointeger(L, idx);
    return 1;
  }
#endif
  n = lua_tonumber(L, idx);
  if (!ct_exact_int(n))
    return 0;
  *out = (long long)n;
  return 1;
}


static int is_nonempty_string(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TSTRING && ct_rawlen(L, idx) > 0;
}


/* a non-empty sequence whose items all pass the test */
static int is_list_of(lua_State *L, int idx, int (*item)(lua_State *, int)) {
  size_t i, n;
  int ok = 1;
  if (lua_type(L, idx) != LUA_TTABLE || (n = ct_rawlen(L, idx)) == 0)
    return 0;
  for (i = 1; ok && i <= n; i++) {
    lua_rawgeti(L, idx, (int)i);                    /* item */
    ok = item(L, lua_gettop(L));
    lua_pop(L, 1);
  }
  return ok;
}


static int is_int(lua_State *L, int idx) {
  long long v;
  return get_int(L, idx, &v);
}


static int is_tag(lua_State *L, int idx) {
  if (is_nonempty_string(L, idx))
    return 1;
  if (lua_type(L, idx) != LUA_TTABLE)
    return 0;
  lua_getfield(L, idx, "name");                     /* name */
  if (!is_nonempty_string(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, idx)) {                        /* key value */
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    if ((strcmp(k, "name") && strcmp(k, "tag_bg") && strcmp(k, "tag_fg"))
        || lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 2);
      return 0;
    }
    lua_pop(L, 1);
  }
  return 1;
}


/*
** NULL when the value at idx fits the parameter, else what was expected
** (a string pushed on the stack, about to be raised).
*/
static const char *bad_value(lua_State *L, const ct_param *p, int idx) {
  const char *expected = NULL;
  const char *hint = "";
  switch ((ct_type)p->type) {
    case CT_T_ID:
      if (is_nonempty_string(L, idx)) return NULL;
      expected = "non-empty string";
      if (lua_type(L, idx) == LUA_TNUMBER)
        hint = ": ids are strings, a 19-digit id does not survive a number";
      break;
    case CT_T_IDNUM:
      if (is_nonempty_string(L, idx) || is_int(L, idx)) return NULL;
      expected = "string or integer";
      break;
    case CT_T_IDLIST:
      if (is_nonempty_string(L, idx) || is_list_of(L, idx, is_nonempty_string))
        return NULL;
      expected = "id string or non-empty list of id strings";
      if (lua_type(L, idx) == LUA_TNUMBER)
        hint = ": ids are strings, a 19-digit id does not survive a number";
      break;
    case CT_T_MS:
      if (is_int(L, idx)) return NULL;
      expected = "integer milliseconds";
      break;
    case CT_T_INT:
      if (is_int(L, idx)) return NULL;
      expected = "integer";
      break;
    case CT_T_BOOL:
      if (lua_type(L, idx) == LUA_TBOOLEAN) return NULL;
      expected = "boolean";
      break;
    case CT_T_STR:
      if (lua_type(L, idx) == LUA_TSTRING) return NULL;
      expected = "string";
      break;
    case CT_T_TAGACTION:
      if (lua_type(L, idx) == LUA_TSTRING) {
        const char *s = lua_tostring(L, idx);
        if (!strcmp(s, "replace") || !strcmp(s, "add") || !strcmp(s, "remove"))
          return NULL;
      }
      expected = "\"replace\", \"add\" or \"remove\"";
      break;
    case CT_T_ASSIGNEE:
      if (is_int(L, idx) || is_nonempty_string(L, idx) || is_list_of(L, idx, is_int))
        return NULL;
      expected = "user id, list of user ids, or string";
      break;
    case CT_T_TAGS:
      if (lua_type(L, idx) == LUA_TTABLE) {
        if (ct_rawlen(L, idx) > 0) {
          if (is_list_of(L, idx, is_tag)) return NULL;
        } else if (!(p->flags & CT_F_REQUIRED) && ct_is_empty(L, idx)) {
          return NULL;                              /* [] clears, with tag_action "replace" */
        }
      }
      expected = (p->flags & CT_F_REQUIRED)
        ? "non-empty list of tag names or of {name=, tag_bg=, tag_fg=} tables"
        : "list of tag names or of {name=, tag_bg=, tag_fg=} tables";
      break;
  }
  return lua_pushfstring(L, "%s expected, got %s%s", expected, luaL_typename(L, idx), hint);
}

/* }====== */


/* {====== checking a call */

static const ct_param *find_param(const ct_param *list, const char *name) {
  for (; list->name != NULL; list++)
    if (strcmp(list->name, name) == 0)
      return list;
  return NULL;
}


/* edit distance, bounded: enough to suggest a name for a typo */
static int distance(const char *a, const char *b) {
  int row[64], i, j, la = (int)strlen(a), lb = (int)strlen(b);
  if (la >= 63 || lb >= 63)
    return 99;
  for (j = 0; j <= lb; j++)
    row[j] = j;
  for (i = 1; i <= la; i++) {
    int prev = row[0];
    row[0] = i;
    for (j = 1; j <= lb; j++) {
      int cur = row[j];
      int best = prev + (a[i - 1] != b[j - 1]);
      if (row[j] + 1 < best) best = row[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      prev = cur;
    }
  }
  return row[lb];
}


static void unknown_key(lua_State *L, const ct_endpoint *ep, int keyidx) {
  const ct_param *p, *best = NULL;
  int bestd = 3;
  const char *k;
  if (lua_type(L, keyidx) != LUA_TSTRING)
    ct_argfail(L, ep, "parameter names are strings, got %s", luaL_typename(L, keyidx));
  k = lua_tostring(L, keyidx);
  for (p = ep->opts; p->name != NULL; p++) {
    int d = distance(k, p->name);
    if (d < bestd) { bestd = d; best = p; }
  }
  if (best != NULL)
    ct_argfail(L, ep, "unknown parameter '%s' (did you mean '%s'?)", k, best->name);
  ct_argfail(L, ep, "unknown parameter '%s'", k);
}


static void add_slot(lua_State *L, ct_request *rq, const ct_param *p, int idx) {
  if (rq->nslots >= CT_MAX_SLOTS)
    ct_argfail(L, rq->ep, "too many parameters");
  rq->slots[rq->nslots].p = p;
  rq->slots[rq->nslots].idx = idx;
  rq->nslots++;
}


static const ct_slot *find_slot(const ct_request *rq, const char *name, size_t len) {
  int i;
  for (i = 0; i < rq->nslots; i++)
    if (strncmp(rq->slots[i].p->name, name, len) == 0 && rq->slots[i].p->name[len] == '\0')
      return &rq->slots[i];
  return NULL;
}


/* "a,b,c": how many of the named parameters were given */
static int count_given(const ct_request *rq, const char *names, int *total) {
  int given = 0;
  *total = 0;
  while (*names) {
    size_t len = strcspn(names, ",");
    (*total)++;
    if (find_slot(rq, names, len) != NULL)
      given++;
    names += len + (names[len] == ',');
  }
  return given;
}


static void check_rules(lua_State *L, const ct_request *rq) {
  const ct_endpoint *ep = rq->ep;
  int total, given;
  if (ep->one_of != NULL && count_given(rq, ep->one_of, &total) == 0)
    ct_argfail(L, ep, "missing field: one of '%s' is required", ep->one_of);
  if (ep->together != NULL) {
    given = count_given(rq, ep->together, &total);
    if (given > 0 && given < total)
      ct_argfail(L, ep, "fields '%s' must be given together", ep->together);
  }
}


/*
** The fields of the table at t, in one pass over what was given (not one
** lookup per parameter the endpoint has: ~14 for entries): an unknown
** name raises at once; each value stays on the stack, and its slot is
** then put in the order of the endpoint's table (the query's order), where
** values are checked and required fields looked for, as before.
*/
static void check_opts(lua_State *L, ct_request *rq, int t, int argn) {
  const ct_endpoint *ep = rq->ep;
  const ct_param *p;
  const char *bad;
  int first = rq->nslots, i, j;
  lua_pushnil(L);
  while (lua_next(L, t)) {                          /* ... key value */
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (k != NULL && (p = find_param(ep->opts, k)) != NULL) {
      lua_insert(L, -2);                            /* ... value key: the value stays */
      add_slot(L, rq, p, lua_gettop(L) - 1);
    } else if (k != NULL && strcmp(k, "team_id") == 0) {
      lua_insert(L, -2);
      rq->team_idx = lua_gettop(L) - 1;
    } else {
      unknown_key(L, ep, lua_gettop(L) - 1);
    }
  }
  for (i = first + 1; i < rq->nslots; i++) {        /* in the table's order: few, nearly sorted */
    ct_slot s = rq->slots[i];
    for (j = i; j > first && rq->slots[j - 1].p > s.p; j--)
      rq->slots[j] = rq->slots[j - 1];
    rq->slots[j] = s;
  }
  for (p = ep->opts, i = first; p->name != NULL; p++) {
    if (i < rq->nslots && rq->slots[i].p == p) {
      int idx = rq->slots[i++].idx;
      if ((bad = bad_value(L, p, idx)) != NULL)
        ct_argfail(L, ep, "bad field '%s' (%s)", p->name, bad);
      if (strcmp(p->name, "custom_task_ids") == 0 && lua_toboolean(L, idx))
        rq->custom_ids = 1;
    } else if (p->flags & CT_F_REQUIRED) {
      ct_argfail(L, ep, "missing field '%s' in argument #%d", p->name, argn);
    }
  }
  if (rq->team_idx && (bad = bad_value(L, &ct_param_team_id, rq->team_idx)) != NULL)
    ct_argfail(L, ep, "bad field 'team_id' (%s)", bad);
}


/*
** Check the arguments at 2..nargs+1 (1 is the client) and record where each
** value is; values taken from the trailing table are left on the stack.
*/
void ct_request_check(lua_State *L, ct_request *rq, int nargs) {
  const ct_endpoint *ep = rq->ep;
  const ct_param *p;
  const char *bad;
  int npos = 0, i;
  for (p = ep->args; p->name != NULL; p++)
    npos++;
  if (nargs > npos + 1)
    ct_argfail(L, ep, "too many arguments (%d given, at most %d)", nargs, npos + 1);
  luaL_checkstack(L, CT_MAX_SLOTS + 8, "clickup.time: stack");
  for (i = 0; i < npos; i++) {
    int idx = 2 + i;
    p = &ep->args[i];
    if (lua_isnoneornil(L, idx))
      ct_argfail(L, ep, "missing argument #%d '%s'", i + 1, p->name);
    if ((bad = bad_value(L, p, idx)) != NULL)
      ct_argfail(L, ep, "bad argument #%d '%s' (%s)", i + 1, p->name, bad);
    add_slot(L, rq, p, idx);
  }
  i = 2 + npos;
  if (lua_isnoneornil(L, i)) {
    if (ep->flags & CT_E_NEEDOPTS)
      ct_argfail(L, ep, "missing argument #%d (a table of fields)", npos + 1);
    for (p = ep->opts; p->name != NULL; p++)
      if (p->flags & CT_F_REQUIRED)
        ct_argfail(L, ep, "missing field '%s'", p->name);
  } else if (lua_type(L, i) != LUA_TTABLE) {
    ct_argfail(L, ep, "bad argument #%d (table expected, got %s)", npos + 1, luaL_typename(L, i));
  } else {
    check_opts(L, rq, i, npos + 1);
  }
  check_rules(L, rq);
  for (p = ep->args; p->name != NULL; p++)
    if (p->where == CT_W_BODY) rq->has_body = 1;
  for (p = ep->opts; p->name != NULL; p++)
    if (p->where == CT_W_BODY) rq->has_body = 1;
}

/* }====== */


/* {====== building */

static int add_encoded(ct_buf *b, const char *s, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  size_t i;
  if (!ct_buf_reserve(b, len * 3))
    return 0;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~') {
      b->data[b->len++] = (char)c;
    } else {
      b->data[b->len++] = '%';
      b->data[b->len++] = hex[c >> 4];
      b->data[b->len++] = hex[c & 15];
    }
  }
  b->data[b->len] = '\0';
  return 1;
}


/* a scalar (string or integer) or a list of them, each item encoded, joined by "," */
static int add_value(lua_State *L, ct_buf *b, int idx) {
  long long v;
  size_t len, i, n;
  const char *s;
  int ok = 1;
  switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
      return ct_buf_adds(b, lua_toboolean(L, idx) ? "true" : "false");
    case LUA_TNUMBER:
      return get_int(L, idx, &v) && ct_buf_addint(b, v);
    case LUA_TSTRING:
      s = lua_tolstring(L, idx, &len);
      return add_encoded(b, s, len);
    case LUA_TTABLE:
      n = ct_rawlen(L, idx);
      for (i = 1; ok && i <= n; i++) {
        lua_rawgeti(L, idx, (int)i);                /* item */
        ok = (i == 1 || ct_buf_addc(b, ',')) && add_value(L, b, lua_gettop(L));
        lua_pop(L, 1);
      }
      return ok;
    default:
      return 0;
  }
}


static int add_team(lua_State *L, ct_request *rq, const ct_client *cl, ct_buf *b) {
  if (rq->team_idx)
    return add_value(L, b, rq->team_idx);
  return add_encoded(b, cl->team_id, strlen(cl->team_id));
}


static int build_path(lua_State *L, ct_request *rq, const ct_client *cl, ct_buf *b) {
  const char *t = rq->ep->path;
  ct_buf_reset(b);
  while (*t) {
    const char *open = strchr(t, '{');
    const ct_slot *s;
    size_t len;
    int optional;
    if (open == NULL)
      return ct_buf_adds(b, t);
    if (!ct_buf_add(b, t, (size_t)(open - t)))
      return 0;
    optional = open[1] == '/';
    t = open + 1 + optional;
    len = strcspn(t, "}");
    if (len == 7 && strncmp(t, "team_id", 7) == 0) {
      if (!add_team(L, rq, cl, b)) return 0;
    } else if ((s = find_slot(rq, t, len)) != NULL) {
      if (optional && !ct_buf_addc(b, '/')) return 0;
      if (!add_value(L, b, s->idx)) return 0;
    }
    t += len + (t[len] == '}');
  }
  return 1;
}


static int build_query(lua_State *L, ct_request *rq, const ct_client *cl, ct_buf *b) {
  int i, first = 1;
  for (i = 0; i < rq->nslots; i++) {
    const ct_slot *s = &rq->slots[i];
    if (s->p->where != CT_W_QUERY)
      continue;
    if (!ct_buf_addc(b, first ? '?' : '&') || !ct_buf_adds(b, s->p->name)
        || !ct_buf_addc(b, '=') || !add_value(L, b, s->idx))
      return 0;
    first = 0;
  }
  /* ClickUp wants the workspace as a query parameter with custom task ids */
  if (rq->custom_ids)
    return ct_buf_adds(b, first ? "?team_id=" : "&team_id=") && add_team(L, rq, cl, b);
  return 1;
}


/* Raise when the call needs a workspace and there is none. */
void ct_request_team(lua_State *L, const ct_request *rq, const ct_client *cl) {
  if (((rq->ep->flags & CT_E_TEAM) || rq->custom_ids) && !rq->team_idx && cl->team_id == NULL)
    ct_argfail(L, rq->ep, "no workspace: pass team_id to clickup.new, or set CLICKUP_TEAM_ID");
}


/*
** Build the request's URL, its path (for errors) and its JSON body; the
** arguments were checked (ct_request_check, ct_request_team), nothing here
** raises. Returns 0 only when memory ran out.
*/
int ct_request_build(lua_State *L, ct_request *rq, const ct_client *cl, ct_req *req) {
  req->ep = rq->ep;
  req->has_body = rq->has_body;
  ct_buf_reset(&req->url);
  ct_buf_reset(&req->path);
  ct_buf_reset(&req->body);
  if (!build_path(L, rq, cl, &req->path)
      || !ct_buf_adds(&req->url, cl->base_url)
      || !ct_buf_add(&req->url, req->path.data, req->path.len)
      || !build_query(L, rq, cl, &req->url))
    return 0;
  if (rq->has_body)
    return ct_json_body(L, rq, &req->body);
  return 1;
}

/* }====== */
