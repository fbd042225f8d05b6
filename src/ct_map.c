/*
** ct_map.c: the reference mapper: a decoded JSON value (from lua-cjson,
** or the codec given to set_json) -> plain Lua tables with real types.
**
** The field tables of ct_fields.c say what each known field is; the mapper
** converts in place: times and durations to integers, ids to strings,
** flags to booleans, tag names to {name = ...}; a `task` that is not an
** object (or an empty one) is dropped; JSON null becomes absent
** everywhere; other integral numbers become integers. Unknown fields are
** kept. A value that cannot be what an essential field says is a
** "bad_shape" error, never a wrong value; in a descriptive field it is
** kept as it came and recorded as an anomaly (ct_fields.c).
**
** Answers are decoded by the fused decoder (ct_decode.c), which gives the
** same results in one pass; this mapper is what it falls back on for an
** answer it does not take, and what the fuzzer compares it with.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_private.h"

#define MAX_DEPTH   100
#define CHANGED     3           /* map_field: the value was replaced in place */

typedef struct mapper {
  lua_State *L;
  int null;                 /* stack index of the codec's null */
  ct_anomalies an;          /* the answer's anomalies; an.slot is a stack index */
  ct_path path;             /* where we are, for errors */
  int entry_id;             /* the entry being mapped has a string id */
  char why[256];
} mapper;


static int fail(mapper *m, const char *what) {
  ct_path_why(&m->path, what, m->why, sizeof m->why);
  return 0;
}


/* the codec's null (cjson.null, vim.NIL, ...), pushed once per answer at m->null */
static int is_null(const struct mapper *m, int idx) {
  return lua_rawequal(m->L, idx, m->null);
}


/* what the decoded value at idx was in the JSON ([] and {} are both an object) */
static ct_jtype jtype_of(const mapper *m, int idx) {
  switch (lua_type(m->L, idx)) {
    case LUA_TNIL: return CT_J_NOTHING;
    case LUA_TBOOLEAN: return CT_J_BOOLEAN;
    case LUA_TNUMBER: return CT_J_NUMBER;
    case LUA_TSTRING: return CT_J_STRING;
    case LUA_TTABLE: return ct_rawlen(m->L, idx) > 0 ? CT_J_ARRAY : CT_J_OBJECT;
    default: return is_null(m, idx) ? CT_J_NULL : CT_J_OTHER;
  }
}


/* "expected <what>, got <the value at idx>": a shape the answer must have */
static int expected(mapper *m, const char *what, int idx) {
  ct_jtype t = lua_isnil(m->L, idx) || is_null(m, idx) ? CT_J_NOTHING : jtype_of(m, idx);
  return fail(m, lua_pushfstring(m->L, "expected %s, got %s", what, ct_jtype_phrase(t)));
}


static int map_object(mapper *m, int t, const ct_obj *fields, int depth);
static int map_generic(mapper *m, int v, int depth);


/*
** The value at v of field f is not what f says (got, why): it fails an
** essential field, or any field in strict mode; otherwise it is an
** anomaly, and the value is kept as it came (1 or CHANGED), mapped as
** anything when keep is set.
*/
static int odd(mapper *m, const ct_field *f, int v, ct_jtype got, ct_odd why, int depth) {
  char what[100];
  if ((f->flags & CT_FIELD_ESSENTIAL) || m->an.strict) {
    ct_mistyped(what, sizeof what, (ct_kind)f->kind, got, why);
    return fail(m, what);
  }
  ct_anomaly(m->L, &m->an, &m->path, (ct_kind)f->kind, got);
  return map_generic(m, v, depth);
}


/* {====== scalars: each keeps the value at v, replaces it (CHANGED), or fails */

static int to_int(mapper *m, const ct_field *f, int v, int depth) {
  lua_State *L = m->L;
  long long x;
  if (lua_type(L, v) == LUA_TNUMBER) {
    lua_Number n;
    if (ct_isinteger(L, v))
      return 1;
    n = lua_tonumber(L, v);
    if (!ct_exact_int(n))
      return odd(m, f, v, CT_J_NUMBER, CT_ODD_INEXACT, depth);
    ct_pushint(L, (long long)n);
  } else if (lua_type(L, v) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, v, &len);
    if (!ct_parse_int(s, len, &x))
      return odd(m, f, v, CT_J_STRING, CT_ODD_NOT_INT, depth);
#if LUA_VERSION_NUM < 503
    if (x > 9007199254740992LL || x < -9007199254740992LL)
      return odd(m, f, v, CT_J_STRING, CT_ODD_BEYOND, depth);
#endif
    ct_pushint(L, x);
  } else {
    return odd(m, f, v, jtype_of(m, v), CT_ODD_TYPE, depth);
  }
  lua_replace(L, v);
  return CHANGED;
}


static int to_id(mapper *m, const ct_field *f, int v, int depth) {
  lua_State *L = m->L;
  char tmp[32];
  if (lua_type(L, v) == LUA_TSTRING)
    return 1;
  if (lua_type(L, v) == LUA_TNUMBER) {
    long long x;
#if LUA_VERSION_NUM >= 503
    if (lua_isinteger(L, v)) {
      x = (long long)lua_tointeger(L, v);
    } else
#endif
    {
      lua_Number n = lua_tonumber(L, v);
      if (!ct_exact_int(n))
        return odd(m, f, v, CT_J_NUMBER, CT_ODD_LOST, depth);
      x = (long long)n;
    }
    snprintf(tmp, sizeof tmp, "%lld", x);
    lua_pushstring(L, tmp);
    lua_replace(L, v);
    return CHANGED;
  }
  return odd(m, f, v, jtype_of(m, v), CT_ODD_TYPE, depth);
}


/* true, false, or the strings "true" and "false" */
static int to_bool(mapper *m, const ct_field *f, int v, int depth) {
  lua_State *L = m->L;
  if (lua_type(L, v) == LUA_TBOOLEAN)
    return 1;
  if (lua_type(L, v) == LUA_TSTRING) {
    const char *s = lua_tostring(L, v);
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
      lua_pushboolean(L, s[0] == 't');
      lua_replace(L, v);
      return CHANGED;
    }
  }
  return odd(m, f, v, jtype_of(m, v), CT_ODD_TYPE, depth);
}


/* a string, or a number that is an exact integer (custom_type) */
static int to_strint(mapper *m, const ct_field *f, int v, int depth) {
  lua_State *L = m->L;
  if (lua_type(L, v) == LUA_TSTRING || ct_isinteger(L, v))
    return 1;
  if (lua_type(L, v) == LUA_TNUMBER && ct_exact_int(lua_tonumber(L, v))) {
    ct_pushint(L, (long long)lua_tonumber(L, v));
    lua_replace(L, v);
    return CHANGED;
  }
  return odd(m, f, v, jtype_of(m, v), CT_ODD_TYPE, depth);
}

/* }====== */


/* a table with no key at all: {} and [] alike */
int ct_is_empty(lua_State *L, int t) {
  int empty;
  lua_pushnil(L);
  empty = !lua_next(L, t);
  if (!empty)
    lua_pop(L, 2);
  return empty;
}


/* {name = the string at v}: a tag given by its name */
static void named(lua_State *L, int v) {
  lua_createtable(L, 0, 1);                         /* tag */
  lua_pushvalue(L, v);
  lua_setfield(L, -2, "name");
  lua_replace(L, v);
}


/*
** An item of a list of `fields` at v: an object, or its name. In the
** answer's own list (field NULL) anything else fails; in a list field it
** is an anomaly, kept as it came.
*/
static int map_item(mapper *m, int v, const ct_obj *fields, const ct_field *field, int depth) {
  static const ct_field item_of_list = { 0, CT_V_OBJ, 0, NULL };
  lua_State *L = m->L;
  int saved, ok;
  if (lua_type(L, v) == LUA_TSTRING && fields->named) {
    named(L, v);
    return CHANGED;
  }
  if (lua_type(L, v) != LUA_TTABLE || ct_rawlen(L, v) > 0) {
    if (field == NULL)
      return expected(m, "an object", v);
    return odd(m, &item_of_list, v, jtype_of(m, v), CT_ODD_TYPE, depth);
  }
  saved = m->entry_id;                            /* items nest: tags inside an entry */
  m->entry_id = 0;
  ok = map_object(m, v, fields, depth);
  if (ok && fields->entry) {
    if (!m->entry_id) {
      ok = fail(m, "entry without an id");
    } else {
      lua_pushvalue(L, CT_UV_ENTRY);
      lua_setmetatable(L, v);
    }
  }
  m->entry_id = saved;
  return ok;
}


/*
** A sequence: nulls are dropped and the rest closed up; each item is an
** object of `fields`, or anything when fields is NULL. field is the list's
** field (NULL: the answer's own list), expects what to say of a non-list.
*/
static int map_list(mapper *m, int t, const ct_obj *fields, const ct_field *field,
                    const char *expects, int depth) {
  lua_State *L = m->L;
  size_t i, j = 0, n = 0;
  if (lua_type(L, t) != LUA_TTABLE || ((n = ct_rawlen(L, t)) == 0 && !ct_is_empty(L, t))) {
    if (field != NULL)
      return odd(m, field, t, jtype_of(m, t), CT_ODD_TYPE, depth);
    return expected(m, expects, t);
  }
  for (i = 1; i <= n; i++) {
    size_t old;
    int ok;
    lua_rawgeti(L, t, (int)i);                      /* item */
    if (is_null(m, -1)) {
      lua_pop(L, 1);
      continue;
    }
    old = ct_path_index(&m->path, i);
    ok = fields == NULL ? map_generic(m, lua_gettop(L), depth + 1)
                        : map_item(m, lua_gettop(L), fields, field, depth + 1);
    if (!ok)
      return 0;
    m->path.n = old;
    if (++j != i || ok == CHANGED)
      lua_rawseti(L, t, (int)j);                    /* closed up, or converted */
    else
      lua_pop(L, 1);
  }
  for (i = j + 1; i <= n; i++) {
    lua_pushnil(L);
    lua_rawseti(L, t, (int)i);
  }
  return 1;
}


/* anything: nulls dropped, integral numbers made integers, tables walked */
static int map_generic(mapper *m, int v, int depth) {
  lua_State *L = m->L;
  if (lua_type(L, v) == LUA_TTABLE) {
    if (depth > MAX_DEPTH)
      return fail(m, "nested too deeply");
    return ct_rawlen(L, v) > 0 ? map_list(m, v, NULL, NULL, NULL, depth)
                               : map_object(m, v, NULL, depth);
  }
#if LUA_VERSION_NUM >= 503
  if (lua_type(L, v) == LUA_TNUMBER && !lua_isinteger(L, v)) {
    lua_Number n = lua_tonumber(L, v);
    if (ct_exact_int(n)) {
      lua_pushinteger(L, (lua_Integer)n);
      lua_replace(L, v);
      return CHANGED;
    }
  }
#endif
  return 1;
}


/*
** The value at v belongs to field f (or to no known field when f is NULL).
** Returns 1 to keep it as it is (tables are mapped in place), CHANGED when
** the value at v was replaced, 2 to drop it, 0 on failure.
*/
static int map_field(mapper *m, const ct_field *f, int v, int depth) {
  lua_State *L = m->L;
  if (f == NULL)
    return map_generic(m, v, depth);
  switch ((ct_kind)f->kind) {
    case CT_V_ANY:
      return map_generic(m, v, depth);
    case CT_V_INT:
      return to_int(m, f, v, depth);
    case CT_V_ID:
      return to_id(m, f, v, depth);
    case CT_V_BOOL:
      return to_bool(m, f, v, depth);
    case CT_V_STR:
      if (lua_type(L, v) == LUA_TSTRING) return 1;
      return odd(m, f, v, jtype_of(m, v), CT_ODD_TYPE, depth);
    case CT_V_STRINT:
      return to_strint(m, f, v, depth);
    case CT_V_TASK:                                 /* ClickUp sometimes sends "0" */
      if (lua_type(L, v) != LUA_TTABLE || ct_rawlen(L, v) > 0) return 2;
      if (!map_object(m, v, f->sub, depth + 1)) return 0;
      return ct_is_empty(L, v) ? 2 : 1;
    case CT_V_OBJ:
      if (lua_type(L, v) != LUA_TTABLE || ct_rawlen(L, v) > 0)
        return odd(m, f, v, jtype_of(m, v), CT_ODD_TYPE, depth);
      return map_object(m, v, f->sub, depth + 1);
    case CT_V_LIST:
      return map_list(m, v, f->sub, f, NULL, depth + 1);
  }
  return 1;
}


static int map_object(mapper *m, int t, const ct_obj *fields, int depth) {
  lua_State *L = m->L;
  if (depth > MAX_DEPTH)
    return fail(m, "nested too deeply");
  luaL_checkstack(L, 8, "clickup.time: nested too deeply");
  lua_pushnil(L);
  while (lua_next(L, t)) {                          /* key value */
    int v = lua_gettop(L), r;
    const ct_field *f = NULL;
    size_t old = m->path.n;
    if (lua_type(L, v - 1) == LUA_TSTRING) {
      size_t klen;
      const char *k = lua_tolstring(L, v - 1, &klen);
      f = ct_field_find(fields, k, klen);
      old = ct_path_key(&m->path, k, klen);
    }
    r = is_null(m, v) ? 2 : map_field(m, f, v, depth);
    if (r == 0)
      return 0;
    if (fields != NULL && fields->entry && f == fields->fields && r != 2)  /* the id: a string */
      m->entry_id = 1;
    m->path.n = old;
    if (r != 1) {                                   /* only what changed is stored again */
      lua_pushvalue(L, v - 1);                      /* key value key */
      if (r == 2)
        lua_pushnil(L);                             /* key value key nil */
      else
        lua_pushvalue(L, v);                        /* key value key value' */
      lua_rawset(L, t);                             /* key value */
    }
    lua_settop(L, v - 1);                           /* key */
  }
  return 1;
}


/* {====== shapes */

/*
** `data` as a single entry: an object, or a one-element array. With
** `none` set, a null, absent or empty `data` pushes none (false or true).
*/
static int map_single(mapper *m, int d, int none) {
  lua_State *L = m->L;
  if (lua_isnil(L, d) || is_null(m, d)) {
    if (none < 0) return fail(m, "no entry in the answer");
    lua_pushboolean(L, none);
    return 1;
  }
  if (lua_type(L, d) != LUA_TTABLE)
    return expected(m, "an entry", d);
  if (ct_rawlen(L, d) > 0) {
    size_t old;
    if (ct_rawlen(L, d) != 1)
      return fail(m, "expected one entry, got several");
    old = ct_path_index(&m->path, 1);
    lua_rawgeti(L, d, 1);                           /* entry */
    if (!map_item(m, lua_gettop(L), &ct_obj_entry, NULL, 1))
      return 0;
    m->path.n = old;
    return 1;
  }
  if (ct_is_empty(L, d)) {                             /* {} or [] */
    if (none < 0) return fail(m, "no entry in the answer");
    lua_pushboolean(L, none);
    return 1;
  }
  lua_pushvalue(L, d);
  return map_item(m, lua_gettop(L), &ct_obj_entry, NULL, 1);
}


/* the answer's list at `data` (or `teams`) of objects of `fields`, pushed */
static int map_shape_list(mapper *m, int data, const ct_obj *fields, ct_shape shape) {
  int ok = map_list(m, data, fields, NULL, ct_shape_expects(shape), 1);
  lua_pushvalue(m->L, data);
  return ok;
}


/* history: the payload is undocumented, so all of it is mapped as anything; its data, or all */
static int map_history(mapper *m, int d) {
  lua_State *L = m->L;
  if (!map_generic(m, d, 1))
    return 0;
  lua_getfield(L, d, "data");                       /* data|nil */
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushvalue(L, d);
  }
  return 1;
}


/* the answer's `data` by the endpoint's shape: the result pushed, or 0 */
static int map_data(mapper *m, ct_shape shape, int data) {
  lua_State *L = m->L;
  switch (shape) {
    case CT_S_ENTRIES:
      return map_shape_list(m, data, &ct_obj_entry, shape);
    case CT_S_DELETED:
      if (lua_isnil(L, data) || is_null(m, data)) {
        lua_newtable(L);
        return 1;
      }
      if (lua_type(L, data) == LUA_TTABLE && ct_rawlen(L, data) == 0 && !ct_is_empty(L, data)) {
        int list, ok;
        lua_createtable(L, 1, 0);                   /* a single object: wrap it */
        list = lua_gettop(L);
        lua_pushvalue(L, data);
        ok = map_item(m, lua_gettop(L), &ct_obj_entry, NULL, 1);
        if (ok)                                     /* on failure the stack holds more */
          lua_rawseti(L, list, 1);
        return ok;
      }
      return map_shape_list(m, data, &ct_obj_entry, shape);
    case CT_S_ENTRY:   return map_single(m, data, -1);
    case CT_S_MAYBE:   return map_single(m, data, 0);
    case CT_S_UPDATED: return map_single(m, data, 1);
    case CT_S_TAGS:
      return map_shape_list(m, data, &ct_obj_tag, shape);
    case CT_S_TASKTIME:
      return map_shape_list(m, data, &ct_obj_usertime, shape);
    default:
      return fail(m, "unknown shape");
  }
}


/*
** Map the decoded answer at `d` by the endpoint's shape. On success the
** result and its anomalies (a list, or nil) are pushed and 1 returned;
** otherwise 0 and the reason in why. With strict, an anomaly is a failure.
*/
int ct_map_response(lua_State *L, const ct_endpoint *ep, int d, int strict, char *why, size_t whylen) {
  mapper m;
  int ok;
  m.L = L;
  lua_pushnil(L);                                   /* the anomalies, once there is one */
  m.an.slot = lua_gettop(L);
  m.an.strict = strict;
  m.an.n = 0;
  ct_codec_get(L, "null");                          /* null */
  m.null = lua_gettop(L);
  m.path.n = 0;
  m.entry_id = 0;
  m.why[0] = '\0';
  if (lua_type(L, d) != LUA_TTABLE || (ct_rawlen(L, d) > 0)) {
    ok = fail(&m, lua_pushfstring(L, "expected a JSON object, got %s", ct_jtype_phrase(jtype_of(&m, d))));
  } else if (ep->shape == CT_S_OK) {
    lua_pushboolean(L, 1);
    ok = 1;
  } else if (ep->shape == CT_S_DATA) {
    ok = map_history(&m, d);
  } else if (ep->shape == CT_S_ID) {              /* {"id": ...} -> exactly {id = "..."} */
    static const ct_field answer_id = { CT_KEY_id, CT_V_ID, CT_FIELD_ESSENTIAL, NULL };
    lua_getfield(L, d, "id");                       /* id */
    ok = !lua_isnil(L, -1) && !is_null(&m, -1) ? to_id(&m, &answer_id, lua_gettop(L), 1)
                                               : fail(&m, "no id in the answer");
    if (ok) {
      lua_createtable(L, 0, 1);                     /* id result */
      lua_insert(L, -2);                            /* result id */
      lua_setfield(L, -2, "id");                    /* result */
    }
  } else if (ep->shape == CT_S_TEAMS) {
    lua_getfield(L, d, "teams");                    /* teams */
    ct_path_key(&m.path, "teams", 5);
    ok = map_shape_list(&m, lua_gettop(L), &ct_obj_team, CT_S_TEAMS);
  } else {
    lua_getfield(L, d, "data");                     /* data */
    ct_path_key(&m.path, "data", 4);
    ok = map_data(&m, (ct_shape)ep->shape, lua_gettop(L));
  }
  if (!ok) {
    snprintf(why, whylen, "%s", m.why);
    return 0;
  }
  ct_anomalies_done(L, &m.an);
  lua_pushvalue(L, m.an.slot);                      /* result anomalies */
  return 1;
}

/* }====== */
