/*
** ct_map.c: the reference mapper: a decoded JSON value (from lua-cjson,
** or the codec given to set_json) -> plain Lua tables with real types.
**
** The field tables of ct_fields.c say what each known field is; the mapper
** converts in place: times and durations to integers, ids to strings,
** flags to booleans; a `task` that is not an object is dropped; JSON null
** becomes absent everywhere; other integral numbers become integers.
** Unknown fields are kept. A value that cannot be what its field says is a
** "bad_shape" error, never a wrong value.
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


/* {====== scalars: each replaces the value at v, or fails */

static int to_int(mapper *m, int v) {
  lua_State *L = m->L;
  long long x;
  if (lua_type(L, v) == LUA_TNUMBER) {
    lua_Number n;
    if (ct_isinteger(L, v))
      return 1;
    n = lua_tonumber(L, v);
    if (!ct_exact_int(n))
      return fail(m, "expected an integer, got a non-integral or huge number");
    ct_pushint(L, (long long)n);
  } else if (lua_type(L, v) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, v, &len);
    if (!ct_parse_int(s, len, &x))
      return fail(m, "expected an integer, got a string that is not one");
#if LUA_VERSION_NUM < 503
    if (x > 9007199254740992LL || x < -9007199254740992LL)
      return fail(m, "integer beyond 2^53 cannot be exact in this Lua");
#endif
    ct_pushint(L, x);
  } else {
    return fail(m, lua_pushfstring(L, "expected an integer, got %s", luaL_typename(L, v)));
  }
  lua_replace(L, v);
  return CHANGED;
}


static int to_id(mapper *m, int v) {
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
        return fail(m, "expected an id, got a number that lost its digits");
      x = (long long)n;
    }
    snprintf(tmp, sizeof tmp, "%lld", x);
    lua_pushstring(L, tmp);
    lua_replace(L, v);
    return CHANGED;
  }
  return fail(m, lua_pushfstring(L, "expected an id, got %s", luaL_typename(L, v)));
}

/* }====== */


static int map_object(mapper *m, int t, const ct_obj *fields, int depth);
static int map_generic(mapper *m, int v, int depth);
static int map_item(mapper *m, int t, const ct_obj *fields, int depth);


/* a table with no key at all: {} and [] alike */
int ct_is_empty(lua_State *L, int t) {
  int empty;
  lua_pushnil(L);
  empty = !lua_next(L, t);
  if (!empty)
    lua_pop(L, 2);
  return empty;
}


/*
** A sequence: nulls are dropped and the rest closed up; each item is an
** object of `fields`, or anything when fields is NULL.
*/
static int map_list(mapper *m, int t, const ct_obj *fields, int depth) {
  lua_State *L = m->L;
  size_t i, j = 0, n = ct_rawlen(L, t);
  if (n == 0)
    return ct_is_empty(L, t) ? 1 : fail(m, "expected an array, got an object");
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
                        : map_item(m, lua_gettop(L), fields, depth + 1);
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
    return ct_rawlen(L, v) > 0 ? map_list(m, v, NULL, depth) : map_object(m, v, NULL, depth);
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
      return to_int(m, v);
    case CT_V_ID:
      return to_id(m, v);
    case CT_V_BOOL:
      if (lua_type(L, v) == LUA_TBOOLEAN) return 1;
      return fail(m, lua_pushfstring(L, "expected a boolean, got %s", luaL_typename(L, v)));
    case CT_V_TASK:                                    /* ClickUp sometimes sends "0" */
      if (lua_type(L, v) != LUA_TTABLE) return 2;
      return map_object(m, v, f->sub, depth + 1);
    case CT_V_OBJ:
      if (lua_type(L, v) != LUA_TTABLE)
        return fail(m, lua_pushfstring(L, "expected an object, got %s", luaL_typename(L, v)));
      return map_object(m, v, f->sub, depth + 1);
    case CT_V_LIST:
      if (lua_type(L, v) != LUA_TTABLE)
        return fail(m, lua_pushfstring(L, "expected an array, got %s", luaL_typename(L, v)));
      return map_list(m, v, f->sub, depth + 1);
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
    lua_pop(L, 1);                                  /* key */
  }
  return 1;
}


/* {====== shapes */

/* an object of `fields`; entries also get their metatable */
static int map_item(mapper *m, int t, const ct_obj *fields, int depth) {
  lua_State *L = m->L;
  int saved, ok;
  if (lua_type(L, t) != LUA_TTABLE)
    return fail(m, lua_pushfstring(L, "expected an object, got %s", luaL_typename(L, t)));
  saved = m->entry_id;                            /* items nest: tags inside an entry */
  m->entry_id = 0;
  ok = map_object(m, t, fields, depth);
  if (ok && fields->entry) {
    if (!m->entry_id) {
      ok = fail(m, "entry without an id");
    } else {
      lua_pushvalue(L, CT_UV_ENTRY);
      lua_setmetatable(L, t);
    }
  }
  m->entry_id = saved;
  return ok;
}


static int map_entries(mapper *m, int t) {
  lua_State *L = m->L;
  if (lua_type(L, t) != LUA_TTABLE)
    return fail(m, lua_pushfstring(L, "expected an array of entries, got %s", luaL_typename(L, t)));
  return map_list(m, t, &ct_obj_entry, 1);
}


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
    return fail(m, lua_pushfstring(L, "expected an entry, got %s", luaL_typename(L, d)));
  if (ct_rawlen(L, d) > 0) {
    size_t old;
    if (ct_rawlen(L, d) != 1)
      return fail(m, "expected one entry, got several");
    old = ct_path_index(&m->path, 1);
    lua_rawgeti(L, d, 1);                           /* entry */
    if (!map_item(m, lua_gettop(L), &ct_obj_entry, 1))
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
  return map_item(m, lua_gettop(L), &ct_obj_entry, 1);
}


/*
** Map the decoded answer at `d` by the endpoint's shape. On success the
** result is pushed and 1 returned; otherwise 0 and the reason in why.
*/
int ct_map_response(lua_State *L, const ct_endpoint *ep, int d, char *why, size_t whylen) {
  mapper m;
  int ok;
  m.L = L;
  lua_getfield(L, CT_UV_CODEC, "null");            /* null */
  m.null = lua_gettop(L);
  m.path.n = 0;
  m.why[0] = '\0';
  if (lua_type(L, d) != LUA_TTABLE || (ct_rawlen(L, d) > 0)) {
    ok = fail(&m, lua_pushfstring(L, "expected a JSON object, got %s",
                                  lua_type(L, d) == LUA_TTABLE ? "an array" : luaL_typename(L, d)));
  } else if (ep->shape == CT_S_OK) {
    lua_pushboolean(L, 1);
    ok = 1;
  } else if (ep->shape == CT_S_ID) {              /* {"id": ...} -> exactly {id = "..."} */
    lua_getfield(L, d, "id");                       /* id */
    ok = !lua_isnil(L, -1) && !is_null(&m, -1) ? to_id(&m, lua_gettop(L)) : fail(&m, "no id in the answer");
    if (ok) {
      lua_createtable(L, 0, 1);                     /* id result */
      lua_insert(L, -2);                            /* result id */
      lua_setfield(L, -2, "id");                    /* result */
    }
  } else if (ep->shape == CT_S_TEAMS) {
    lua_getfield(L, d, "teams");                    /* teams */
    ct_path_key(&m.path, "teams", 5);
    ok = lua_type(L, -1) == LUA_TTABLE
      ? map_list(&m, lua_gettop(L), &ct_obj_team, 1)
      : fail(&m, lua_pushfstring(L, "expected an array of workspaces, got %s", luaL_typename(L, -1)));
    if (ok) lua_pushvalue(L, -1);
  } else {
    int data;
    lua_getfield(L, d, "data");                     /* data */
    data = lua_gettop(L);
    ct_path_key(&m.path, "data", 4);
    switch ((ct_shape)ep->shape) {
      case CT_S_ENTRIES:
        ok = map_entries(&m, data);
        lua_pushvalue(L, data);
        break;
      case CT_S_DELETED:
        if (lua_isnil(L, data) || is_null(&m, data)) {
          lua_newtable(L);
          ok = 1;
        } else if (lua_type(L, data) == LUA_TTABLE && ct_rawlen(L, data) == 0
                   && !ct_is_empty(L, data)) {
          int list;
          lua_createtable(L, 1, 0);                 /* a single object: wrap it */
          list = lua_gettop(L);
          lua_pushvalue(L, data);
          ok = map_item(&m, lua_gettop(L), &ct_obj_entry, 1);
          if (ok)                                   /* on failure the stack holds more */
            lua_rawseti(L, list, 1);
        } else {
          ok = map_entries(&m, data);
          lua_pushvalue(L, data);
        }
        break;
      case CT_S_ENTRY:   ok = map_single(&m, data, -1); break;
      case CT_S_MAYBE:   ok = map_single(&m, data, 0); break;
      case CT_S_UPDATED: ok = map_single(&m, data, 1); break;
      case CT_S_DATA:
        if (lua_isnil(L, data) || is_null(&m, data)) {
          lua_newtable(L);
          ok = 1;
        } else {
          ok = map_generic(&m, data, 1);
          lua_pushvalue(L, data);
        }
        break;
      case CT_S_TAGS:
        ok = lua_type(L, data) == LUA_TTABLE
          ? map_list(&m, data, &ct_obj_tag, 1)
          : fail(&m, lua_pushfstring(L, "expected an array of tags, got %s", luaL_typename(L, data)));
        lua_pushvalue(L, data);
        break;
      case CT_S_TASKTIME:
        ok = lua_type(L, data) == LUA_TTABLE
          ? map_list(&m, data, &ct_obj_usertime, 1)
          : fail(&m, lua_pushfstring(L, "expected an array, got %s", luaL_typename(L, data)));
        lua_pushvalue(L, data);
        break;
      default:
        ok = fail(&m, "unknown shape");
    }
  }
  if (!ok) {
    snprintf(why, whylen, "%s", m.why);
    return 0;
  }
  return 1;
}

/* }====== */
