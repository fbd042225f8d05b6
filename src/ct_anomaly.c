/*
** ct_anomaly.c: what both decoders say when a value is not what its field
** says, in the same words (the fuzzer and spec/decode_spec.lua compare
** them): where it is (a path such as "data[501].task.custom_type"), what
** the field expects and what came; and the anomalies of an answer, the
** descriptive fields of another type that were kept as they came. An
** answer without any makes no table and formats nothing.
*/
#include <stdio.h>
#include <string.h>

#include "ct_private.h"


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
