/*
** ct_json.c: the JSON of request bodies.
**
** Responses are decoded by lua-cjson (a private cjson.new() instance, see
** ct_core.c). Request bodies are written here instead: they are flat,
** typed by the endpoint table, and need two things lua-cjson 2.1 cannot
** give: exact 64-bit integers (it prints numbers with %.14g) and "[]" for
** an empty list (it writes an empty table as "{}").
*/
#include <string.h>

#include "ct_private.h"


/* a JSON string literal; bytes >= 0x80 pass through (UTF-8) */
int ct_json_string(ct_buf *b, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  size_t i;
  if (!ct_buf_reserve(b, len + 2))
    return 0;
  b->data[b->len++] = '"';
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      if (!ct_buf_addc(b, (char)c)) return 0;
      continue;
    }
    switch (c) {
      case '"':  if (!ct_buf_add(b, "\\\"", 2)) return 0; break;
      case '\\': if (!ct_buf_add(b, "\\\\", 2)) return 0; break;
      case '\n': if (!ct_buf_add(b, "\\n", 2)) return 0; break;
      case '\r': if (!ct_buf_add(b, "\\r", 2)) return 0; break;
      case '\t': if (!ct_buf_add(b, "\\t", 2)) return 0; break;
      default: {
        char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (!ct_buf_add(b, u, 6)) return 0;
      }
    }
  }
  return ct_buf_addc(b, '"');
}


static int add_lstring(lua_State *L, ct_buf *b, int idx) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  return ct_json_string(b, s, len);
}


static int add_field(lua_State *L, ct_buf *b, int t, const char *key, int *first) {
  int ok = 1;
  lua_getfield(L, t, key);                          /* value */
  if (lua_type(L, -1) == LUA_TSTRING) {
    ok = ct_buf_adds(b, *first ? "\"" : ",\"") && ct_buf_adds(b, key)
      && ct_buf_add(b, "\":", 2) && add_lstring(L, b, lua_gettop(L));
    *first = 0;
  }
  lua_pop(L, 1);
  return ok;
}


/* a tag: a name alone, or {name=, tag_bg=, tag_fg=} */
static int add_tag(lua_State *L, ct_buf *b, int idx) {
  int first = 1;
  if (lua_type(L, idx) == LUA_TSTRING)
    return ct_buf_add(b, "{\"name\":", 8) && add_lstring(L, b, idx) && ct_buf_addc(b, '}');
  return ct_buf_addc(b, '{') && add_field(L, b, idx, "name", &first)
    && add_field(L, b, idx, "tag_bg", &first) && add_field(L, b, idx, "tag_fg", &first)
    && ct_buf_addc(b, '}');
}


static int add_list(lua_State *L, ct_buf *b, int idx, int (*item)(lua_State *, ct_buf *, int)) {
  size_t i, n;
  int ok;
  if (lua_type(L, idx) != LUA_TTABLE)               /* a single item */
    return ct_buf_addc(b, '[') && item(L, b, idx) && ct_buf_addc(b, ']');
  n = ct_rawlen(L, idx);
  ok = ct_buf_addc(b, '[');
  for (i = 1; ok && i <= n; i++) {
    lua_rawgeti(L, idx, (int)i);                    /* item */
    ok = (i == 1 || ct_buf_addc(b, ',')) && item(L, b, lua_gettop(L));
    lua_pop(L, 1);
  }
  return ok && ct_buf_addc(b, ']');
}


static int add_number(lua_State *L, ct_buf *b, int idx) {
  long long v;
#if LUA_VERSION_NUM >= 503
  if (lua_isinteger(L, idx))
    v = (long long)lua_tointeger(L, idx);
  else
#endif
    v = (long long)lua_tonumber(L, idx);            /* checked integral before */
  return ct_buf_addint(b, v);
}


static int add_scalar(lua_State *L, ct_buf *b, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN: return ct_buf_adds(b, lua_toboolean(L, idx) ? "true" : "false");
    case LUA_TNUMBER:  return add_number(L, b, idx);
    default:           return add_lstring(L, b, idx);
  }
}


/*
** The body: one JSON object of the call's body parameters, in the order of
** the endpoint row. Values were checked by ct_request_check.
*/
int ct_json_body(lua_State *L, ct_request *rq, ct_buf *b) {
  int i, first = 1, ok = ct_buf_addc(b, '{');
  for (i = 0; ok && i < rq->nslots; i++) {
    const ct_slot *s = &rq->slots[i];
    if (s->p->where != CT_W_BODY)
      continue;
    ok = ct_buf_adds(b, first ? "\"" : ",\"") && ct_buf_adds(b, s->p->name)
      && ct_buf_add(b, "\":", 2);
    first = 0;
    if (!ok)
      break;
    switch ((ct_type)s->p->type) {
      case CT_T_TAGS:   ok = add_list(L, b, s->idx, add_tag); break;
      case CT_T_IDLIST: ok = add_list(L, b, s->idx, add_scalar); break;
      default:          ok = add_scalar(L, b, s->idx); break;
    }
  }
  return ok && ct_buf_addc(b, '}');
}
