/*
** ct_fields.c: what each known field of an answer is. One declarative set
** of tables, read by both decoders: the fused one (ct_decode.c), which
** parses JSON straight into typed tables, and the reference mapper
** (ct_map.c), which walks what a JSON library decoded. Also what both say
** when a value is not what its field says, in the same words.
**
** ClickUp sends the same field as a string in one endpoint and a number in
** another (notes, section 4.2): times and durations become integers, ids
** strings, flags booleans (from "true"/"false" too); a `task` that is not
** an object, or is an empty one, is absent; tags sent as names become
** {name = ...}. Those are ClickUp's real forms. A value of any other type
** is kept as it came (strings stay strings, objects and arrays tables,
** nulls absent) and is an anomaly of the answer, except in an essential
** field (an entry's id and start, a tag's name, an interval's id), where it
** fails the call: a result never holds a wrong value of ours. A CT_V_ANY
** field is kept as it comes; fields that are not listed are kept too. The
** size of each object is what answers usually hold of it, nulls not
** counted (Lua rounds table sizes up to a power of 2): the fused decoder
** creates its tables at that size.
*/
#include <stdio.h>
#include <string.h>

#include "ct_private.h"

#define X(n) #n,
const char *const ct_key_name[CT_KEY__N] = { CT_KEYS(X) };
#undef X

#define X(n) sizeof #n - 1,
const unsigned char ct_key_len[CT_KEY__N] = { CT_KEYS(X) };
#undef X

#define F(k, kind, sub) { CT_KEY_##k, CT_V_##kind, 0, sub }
#define E(k, kind) { CT_KEY_##k, CT_V_##kind, CT_FIELD_ESSENTIAL, NULL }
#define OBJ(name, entry, size, named, ...) \
  static const ct_field name##_fields[] = { __VA_ARGS__ }; \
  const ct_obj name = { name##_fields, sizeof name##_fields / sizeof name##_fields[0], entry, size, named }

OBJ(ct_obj_status, 0, 4, 0,
  F(status, STR, NULL), F(color, STR, NULL), F(type, STR, NULL), F(orderindex, INT, NULL),
  F(id, ID, NULL));
OBJ(ct_obj_task, 0, 4, 0,
  F(id, ID, NULL), F(name, STR, NULL), F(status, OBJ, &ct_obj_status), F(custom_id, ID, NULL),
  F(custom_type, STRINT, NULL));
OBJ(ct_obj_user, 0, 8, 0,
  F(id, INT, NULL), F(username, STR, NULL), F(email, STR, NULL), F(color, STR, NULL),
  F(initials, STR, NULL), F(profilePicture, STR, NULL), F(timezone, STR, NULL));
OBJ(ct_obj_location, 0, 4, 0,
  F(list_id, ID, NULL), F(folder_id, ID, NULL), F(space_id, ID, NULL), F(list_name, STR, NULL),
  F(folder_name, STR, NULL), F(space_name, STR, NULL));
OBJ(ct_obj_tag, 0, 4, 1,
  E(name, STR), F(tag_fg, STR, NULL), F(tag_bg, STR, NULL), F(creator, INT, NULL));
/* "id" first: an entry must have one (ct_map.c, ct_decode.c) */
OBJ(ct_obj_entry, 1, 16, 0,
  E(id, ID), F(task, TASK, &ct_obj_task), F(wid, ID, NULL), F(user, OBJ, &ct_obj_user),
  F(billable, BOOL, NULL), E(start, INT), F(end, INT, NULL), F(duration, INT, NULL),
  F(description, STR, NULL), F(tags, LIST, &ct_obj_tag), F(source, STR, NULL), F(at, INT, NULL),
  F(is_locked, BOOL, NULL), F(approval_id, ID, NULL), F(task_location, OBJ, &ct_obj_location),
  F(task_url, STR, NULL), F(task_tags, LIST, &ct_obj_tag), F(approval, OBJ, NULL));
OBJ(ct_obj_interval, 0, 8, 0,
  E(id, ID), F(start, INT, NULL), F(end, INT, NULL), F(time, INT, NULL),
  F(date_added, INT, NULL), F(billable, BOOL, NULL), F(source, STR, NULL));
OBJ(ct_obj_usertime, 0, 4, 0,
  F(user, OBJ, &ct_obj_user), F(time, INT, NULL), F(intervals, LIST, &ct_obj_interval));
OBJ(ct_obj_member_user, 0, 8, 0,
  F(id, INT, NULL), F(role, INT, NULL), F(username, STR, NULL), F(email, STR, NULL),
  F(color, STR, NULL), F(initials, STR, NULL), F(profilePicture, STR, NULL));
OBJ(ct_obj_member, 0, 1, 0, F(user, OBJ, &ct_obj_member_user));
OBJ(ct_obj_team, 0, 4, 0,
  F(id, ID, NULL), F(name, STR, NULL), F(color, STR, NULL), F(avatar, STR, NULL),
  F(members, LIST, &ct_obj_member));

/* every object, by name (core.fields) */
const ct_named_obj ct_objects[] = {
  { "entry", &ct_obj_entry }, { "task", &ct_obj_task }, { "status", &ct_obj_status },
  { "user", &ct_obj_user }, { "location", &ct_obj_location }, { "tag", &ct_obj_tag },
  { "usertime", &ct_obj_usertime }, { "interval", &ct_obj_interval }, { "team", &ct_obj_team },
  { "member", &ct_obj_member }, { "member_user", &ct_obj_member_user }, { NULL, NULL }
};


/* the field of `o` named by the len bytes at name, or NULL (o may be NULL) */
const ct_field *ct_field_find(const ct_obj *o, const char *name, size_t len) {
  const ct_field *f, *e;
  if (o == NULL || len == 0)
    return NULL;
  for (f = o->fields, e = f + o->n; f < e; f++)
    if (ct_key_len[f->key] == len && ct_key_name[f->key][0] == name[0]
        && memcmp(ct_key_name[f->key], name, len) == 0)
      return f;
  return NULL;
}


/* a time in a string: decimal digits with an optional minus, at most 18 of them (no overflow) */
int ct_parse_int(const char *s, size_t len, long long *out) {
  size_t i = s[0] == '-';
  long long v = 0;
  if (len <= i || len - i > 18)
    return 0;
  for (; i < len; i++) {
    unsigned d = (unsigned)((unsigned char)s[i] - '0');
    if (d > 9)
      return 0;
    v = v * 10 + (long long)d;
  }
  *out = s[0] == '-' ? -v : v;
  return 1;
}


/* "data[3].user.id": where the path is, into out */
static void path_format(const ct_path *p, char *out, size_t outlen) {
  size_t i, len = 0, n = p->n < CT_MAX_PATH ? p->n : CT_MAX_PATH;
  out[0] = '\0';
  for (i = 0; i < n && len < outlen; i++) {
    int w = p->step[i].key
      ? snprintf(out + len, outlen - len, "%s%.*s", i ? "." : "",
                 (int)(p->step[i].len > 40 ? 40 : p->step[i].len), p->step[i].key)
      : snprintf(out + len, outlen - len, "[%lu]", (unsigned long)p->step[i].index);
    if (w < 0) break;
    len += (size_t)w;
  }
}


/* "data[3].user.id: <what>": the path, then what is wrong there */
void ct_path_why(const ct_path *p, const char *what, char *out, size_t outlen) {
  char where[160];
  path_format(p, where, sizeof where);
  snprintf(out, outlen, "%s%s%s", where, where[0] ? ": " : "", what);
}


/* {====== what both decoders say */

static const char *const jtype_words[] = {
  "nothing", "null", "boolean", "number", "string", "object", "array", "other"
};
static const char *const jtype_phrases[] = {
  "nothing", "null", "a boolean", "a number", "a string", "an object", "an array", "something else"
};

/* what the field of a kind expects: the word of an anomaly, then the phrase of a message */
static const char *const kind_words[][2] = {
  { "any", "anything" }, { "integer", "an integer" }, { "id", "an id" },
  { "boolean", "a boolean" }, { "string", "a string" },
  { "string or integer", "a string or an integer" }, { "object", "an object" },
  { "object", "an object" }, { "array", "an array" }
};


/* "integer", "id", ...: what a field of the kind expects, as an anomaly's `expected` says it */
const char *ct_kind_word(ct_kind k) {
  return kind_words[k <= CT_V_LIST ? k : CT_V_ANY][0];
}


/* "string", "object", ...: the JSON type, as an anomaly's `got` says it */
const char *ct_jtype_word(ct_jtype t) {
  return jtype_words[t <= CT_J_OTHER ? t : CT_J_OTHER];
}


/* "a string", "an object", ...: the JSON type, as a message says it */
const char *ct_jtype_phrase(ct_jtype t) {
  return jtype_phrases[t <= CT_J_OTHER ? t : CT_J_OTHER];
}


/* what the member holding an endpoint's result must be, for a message */
const char *ct_shape_expects(ct_shape shape) {
  switch (shape) {
    case CT_S_ENTRIES: case CT_S_DELETED: return "an array of entries";
    case CT_S_TAGS: return "an array of tags";
    case CT_S_TEAMS: return "an array of workspaces";
    case CT_S_TASKTIME: return "an array";
    case CT_S_ENTRY: case CT_S_MAYBE: case CT_S_UPDATED: return "an entry";
    case CT_S_ID: return "an id";
    default: return "anything";
  }
}


/* "expected an integer, got a string that is not one", and the other cases */
void ct_mistyped(char *out, size_t outlen, ct_kind kind, ct_jtype got, ct_odd why) {
  const char *expected = kind_words[kind <= CT_V_LIST ? kind : CT_V_ANY][1];
  switch (why) {
    case CT_ODD_NOT_INT:
      snprintf(out, outlen, "expected %s, got a string that is not one", expected);
      break;
    case CT_ODD_INEXACT:
      snprintf(out, outlen, "expected %s, got a non-integral or huge number", expected);
      break;
    case CT_ODD_LOST:
      snprintf(out, outlen, "expected %s, got a number that lost its digits", expected);
      break;
    case CT_ODD_BEYOND:
      snprintf(out, outlen, "integer beyond 2^53 cannot be exact in this Lua");
      break;
    default:
      snprintf(out, outlen, "expected %s, got %s", expected, ct_jtype_phrase(got));
  }
}

/* }====== */


/* {====== anomalies */

/* record one: { path =, expected =, got = }, the list made at the first */
void ct_anomaly(lua_State *L, ct_anomalies *a, const ct_path *p, ct_kind expected, ct_jtype got) {
  char where[160];
  if (a->n++ >= CT_MAX_ANOMALIES)
    return;                                         /* counted in `more` */
  luaL_checkstack(L, 4, "clickup.time: anomalies");
  if (lua_isnil(L, a->slot)) {
    lua_createtable(L, 4, 1);                       /* list */
    lua_replace(L, a->slot);
  }
  path_format(p, where, sizeof where);
  lua_createtable(L, 0, 3);                         /* anomaly */
  lua_pushstring(L, where);
  lua_setfield(L, -2, "path");
  lua_pushstring(L, ct_kind_word(expected));
  lua_setfield(L, -2, "expected");
  lua_pushstring(L, ct_jtype_word(got));
  lua_setfield(L, -2, "got");
  lua_rawseti(L, a->slot, (int)a->n);               /* the n-th, n <= 100 */
}


/* the list's `more`: how many were found beyond those kept */
void ct_anomalies_done(lua_State *L, ct_anomalies *a) {
  if (a->n == 0)
    return;
  ct_pushint(L, (long long)(a->n > CT_MAX_ANOMALIES ? a->n - CT_MAX_ANOMALIES : 0));
  lua_setfield(L, a->slot, "more");
}

/* }====== */
