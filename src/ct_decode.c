/*
** ct_decode.c: the fused decoder. It parses an answer's JSON straight into
** the typed tables the methods return, in one pass: no intermediate table
** of a JSON library, no second walk. Times become integers from the digits
** of their strings (no Lua string is made for them), ids strings, nulls are
** never stored, the members of an answer that its endpoint does not return
** are only checked, tables are created at the size their fields need, and
** known field names are pushed from a table of interned strings instead of
** being hashed again.
**
** Its results are exactly those of lua-cjson followed by the reference
** mapper (ct_map.c): the same integer/float choices, the same drops, the
** same anomalies and errors of shape, in the same words (the fuzzer
** compares the two on every input). Where it does not take an answer (not
** JSON, a shape it does not accept, a number it would have to round
** differently), ct_answer.c asks the reference path, so a caller never
** sees the difference; without lua-cjson (a Neovim with only vim.json),
** its own error is the answer.
**
** A value of the wrong type in a descriptive field is parsed as anything
** (the raw value) and recorded as an anomaly (ct_fields.c); only then, off
** the path of a well-typed answer, is anything spent on it.
**
** The body must be followed by a NUL byte (Lua strings and ct_buf are);
** a NUL inside the JSON ends it, and is an error.
*/
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_private.h"

#define MAX_NEST    100                     /* arrays and objects in one another */

/* The string scan is where most of a large answer's time goes, and its
   speed moved by 5% with where the linker happened to put it: it starts on
   a 64-byte line, whatever comes before it. */
#if defined(__GNUC__)
#define HOT_LINE __attribute__((aligned(64)))
#else
#define HOT_LINE
#endif
#define GC_PAUSE_AT (64 * 1024)             /* bodies from this size decode with the GC paused */

/* what a value parser did: failed, pushed one value, or pushed nothing */
#define FAIL    0
#define PUSHED  1
#define DROPPED 2

typedef struct dec {
  lua_State *L;
  const char *p;            /* the next byte to read */
  const char *start, *end;  /* the body; *end == '\0' */
  int keys;                 /* stack index of the interned field names */
  int entry_mt;             /* stack index of the Entry metatable */
  int depth;
  ct_buf tmp;               /* a string with escapes, unescaped */
  int shape;                /* the failure is of shape (bad_shape), not of JSON (bad_json) */
  int dup;                  /* a known member came twice after an anomaly: it may be stale */
  int filled;               /* the last object() stored: 0 nothing, 1 something, 2 maybe */
  ct_anomalies an;          /* the answer's anomalies; an.slot is a stack index */
  ct_path path;             /* where we are, for errors */
  char why[200];
} dec;


/* {====== errors */

static int syntax(dec *d, const char *what) {
  const char *p = d->p < d->end ? d->p : d->end;
  d->shape = 0;
  if (*p == '\0' && p < d->end)
    what = "a NUL byte";
  snprintf(d->why, sizeof d->why, "%s at character %lu", what, (unsigned long)(p - d->start) + 1);
  return FAIL;
}


static int wrong(dec *d, const char *what) {
  d->shape = 1;
  ct_path_why(&d->path, what, d->why, sizeof d->why);
  return FAIL;
}

/* }====== */


/* {====== lexical: whitespace, literals, strings, numbers */

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
    p++;
  return p;
}


/* true, false or null at d->p: 1 if it is `word`, and d->p moved past it */
static int literal(dec *d, const char *word, size_t len) {
  if (strncmp(d->p, word, len) != 0)
    return syntax(d, "invalid token");
  d->p += len;
  return 1;
}


/* true or false at d->p (its first letter checked), pushed when `out` */
static int boolean(dec *d, int out) {
  int yes = *d->p == 't';
  if (!(yes ? literal(d, "true", 4) : literal(d, "false", 5)))
    return FAIL;
  if (out)
    lua_pushboolean(d->L, yes);
  return PUSHED;
}


/* the bytes that end the quick scan of a string */
static const unsigned char str_stop[256] = { ['"'] = 1, ['\\'] = 1, ['\0'] = 1 };

/* whether the 8 bytes at q hold one of them: a word at a time, the
   bytewise scan then finds which (any byte order) */
#define BYTES(c) (0x0101010101010101ULL * (unsigned char)(c))
static int has_stop(const unsigned char *q) {
  uint64_t v, x, y;
  memcpy(&v, q, 8);
  x = v ^ BYTES('"');
  y = v ^ BYTES('\\');
  return (((v - BYTES(1)) & ~v) | ((x - BYTES(1)) & ~x) | ((y - BYTES(1)) & ~y)) & BYTES(0x80) ? 1 : 0;
}


static int hex4(const char *s) {
  int i, v = 0;
  for (i = 0; i < 4; i++) {
    int c = (unsigned char)s[i], x;
    if (c >= '0' && c <= '9') x = c - '0';
    else if (c >= 'a' && c <= 'f') x = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') x = c - 'A' + 10;
    else return -1;
    v = v << 4 | x;
  }
  return v;
}


static size_t utf8(char *out, unsigned long c) {
  if (c < 0x80) { out[0] = (char)c; return 1; }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6)); out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12)); out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (c >> 18)); out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3F)); out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}


/*
** The escapes of the string s..e (between its quotes), as lua-cjson takes
** them: \" \\ \/ \b \f \n \r \t and \uXXXX, UTF-16 surrogates in pairs.
** Written to d->tmp when out is set, else only checked.
*/
static int unescape(dec *d, const char *s, const char *e, int out) {
  if (out)
    ct_buf_reset(&d->tmp);
  if (out && !ct_buf_reserve(&d->tmp, (size_t)(e - s)))
    return syntax(d, "out of memory");
  while (s < e) {
    const char *q = s;
    char buf[4];
    size_t n = 1;
    while (q < e && *q != '\\') q++;
    if (out && q > s)
      ct_buf_add(&d->tmp, s, (size_t)(q - s));
    if (q == e)
      break;
    switch (q[1]) {
      case '"': case '\\': case '/': buf[0] = q[1]; s = q + 2; break;
      case 'b': buf[0] = '\b'; s = q + 2; break;
      case 'f': buf[0] = '\f'; s = q + 2; break;
      case 'n': buf[0] = '\n'; s = q + 2; break;
      case 'r': buf[0] = '\r'; s = q + 2; break;
      case 't': buf[0] = '\t'; s = q + 2; break;
      case 'u': {
        long c = e - q >= 6 ? hex4(q + 2) : -1;
        s = q + 6;
        if (c >= 0 && (c & 0xF800) == 0xD800) {        /* a surrogate: a high one, then a low */
          long lo = (c & 0x400) == 0 && e - q >= 12 && q[6] == '\\' && q[7] == 'u' ? hex4(q + 8) : -1;
          c = lo >= 0 && (lo & 0xFC00) == 0xDC00 ? (((c & 0x3FF) << 10) | (lo & 0x3FF)) + 0x10000 : -1;
          s = q + 12;
        }
        if (c < 0) {
          d->p = q;
          return syntax(d, "invalid unicode escape in a string");
        }
        n = utf8(buf, (unsigned long)c);
        break;
      }
      default:
        d->p = q;
        return syntax(d, "invalid escape in a string");
    }
    if (out)
      ct_buf_add(&d->tmp, buf, n);
  }
  return 1;
}


/*
** The string at d->p (its opening quote): *s and *len are its bytes,
** unescaped into d->tmp when it has escapes (when `out`), d->p past it.
*/
static HOT_LINE int string(dec *d, const char **s, size_t *len, int out) {
  const unsigned char *q = (const unsigned char *)d->p + 1;
  const unsigned char *end = (const unsigned char *)d->end;
  const char *b = (const char *)q;
  int esc = 0;
  for (;;) {
    while (end - q >= 8 && !has_stop(q)) q += 8;   /* 8 bytes that are all the body's */
    while (!str_stop[*q]) q++;
    if (*q == '"')
      break;
    if (*q == '\0' || q[1] == '\0') {
      d->p = (const char *)q;
      return syntax(d, "unterminated string");
    }
    esc = 1;
    q += 2;
  }
  d->p = (const char *)q + 1;
  if (esc) {
    const char *after = d->p;
    if (!unescape(d, b, (const char *)q, out))
      return FAIL;
    d->p = after;
    if (out) {
      *s = d->tmp.data;
      *len = d->tmp.len;
      return 1;
    }
  }
  *s = b;
  *len = (size_t)((const char *)q - b);
  return 1;
}


/* a JSON number at d->p */
typedef struct number {
  double v;                 /* what lua-cjson makes of it (strtod) */
  const char *s;            /* its text */
  size_t len;
} number;

static int scan_number(dec *d, number *n) {
  const char *p = d->p, *s = p;
  int digits = 0, plain = 1;
  long long iv = 0;
  if (*p == '-') p++;
  if (*p == '0') {
    p++;
    digits = 1;
  } else if (*p >= '1' && *p <= '9') {
    for (; *p >= '0' && *p <= '9'; p++, digits++)
      iv = digits < 18 ? iv * 10 + (*p - '0') : iv;
  } else {
    return syntax(d, "invalid token");
  }
  if (*p == '.') {
    plain = 0;
    if (!(*++p >= '0' && *p <= '9')) { d->p = p; return syntax(d, "invalid number"); }
    while (*p >= '0' && *p <= '9') p++;
  }
  if (*p == 'e' || *p == 'E') {
    plain = 0;
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!(*p >= '0' && *p <= '9')) { d->p = p; return syntax(d, "invalid number"); }
    while (*p >= '0' && *p <= '9') p++;
  }
  n->s = s;
  n->len = (size_t)(p - s);
  d->p = p;
  if (plain && digits <= 18 && !(iv == 0 && *s == '-')) {
    /* exact in a long long; converting it rounds as strtod does */
    n->v = (double)(*s == '-' ? -iv : iv);
  } else {
    char buf[64], *e;
    const char *point = localeconv()->decimal_point;
    size_t i;
    if (n->len >= sizeof buf)
      return syntax(d, "number too long");
    memcpy(buf, s, n->len);
    buf[n->len] = '\0';
    if (point[0] != '.' && point[0] != '\0' && point[1] == '\0')   /* strtod reads the C locale's */
      for (i = 0; i < n->len; i++)
        if (buf[i] == '.') buf[i] = point[0];
    n->v = strtod(buf, &e);
    if (e != buf + n->len)
      return syntax(d, "invalid number");
  }
  return 1;
}


/* }====== */


/* {====== values */

static int value(dec *d, const ct_field *f);
static int any(dec *d);


/* does a JSON value start at d->p? (else what follows is a syntax error) */
static int at_value(const dec *d) {
  return *d->p != '\0' && strchr("{[\"tfn-0123456789", *d->p) != NULL;
}


/* what the value at d->p is (at_value): [] is an object, as to lua-cjson */
static ct_jtype jtype_at(const dec *d) {
  switch (*d->p) {
    case '{': return CT_J_OBJECT;
    case '[': return *skip_ws(d->p + 1) == ']' ? CT_J_OBJECT : CT_J_ARRAY;
    case '"': return CT_J_STRING;
    case 't': case 'f': return CT_J_BOOLEAN;
    case 'n': return CT_J_NULL;
    default: return CT_J_NUMBER;
  }
}


/* "expected <what>, got <the value at d->p>": a shape the answer must have */
static int expected(dec *d, const char *what) {
  char msg[100];
  if (!at_value(d))
    return syntax(d, *d->p == '\0' && d->p == d->end ? "unexpected end of the JSON" : "invalid token");
  snprintf(msg, sizeof msg, "expected %s, got %s", what, ct_jtype_phrase(jtype_at(d)));
  return wrong(d, msg);
}


/*
** A value of field f that is not what f says (got, why): it fails an
** essential field, or any field in strict mode; otherwise it is an
** anomaly, and 1 says to keep the value as it came.
*/
static int odd(dec *d, const ct_field *f, ct_jtype got, ct_odd why) {
  char what[100];
  if ((f->flags & CT_FIELD_ESSENTIAL) || d->an.strict) {
    ct_mistyped(what, sizeof what, (ct_kind)f->kind, got, why);
    return wrong(d, what);
  }
  ct_anomaly(d->L, &d->an, &d->path, (ct_kind)f->kind, got);
  return 1;
}


/* the value at d->p, of another JSON type than f says: kept as anything, or a failure */
static int other(dec *d, const ct_field *f) {
  if (!at_value(d))
    return expected(d, "a value");                  /* the syntax error */
  if (!odd(d, f, jtype_at(d), CT_ODD_TYPE))
    return FAIL;
  return any(d);
}


static int open_nest(dec *d, int slots) {
  if (++d->depth > MAX_NEST)
    return syntax(d, "nested too deeply");
  if (!lua_checkstack(d->L, slots))
    return syntax(d, "nested too deeply");
  d->p = skip_ws(d->p + 1);
  return 1;
}


/* after a member or an element: 1 at the next one, 2 at the end, 0 on error */
static int next_item(dec *d, char close) {
  const char *p = skip_ws(d->p);
  if (*p == ',') {
    d->p = skip_ws(p + 1);
    return 1;
  }
  d->p = p;
  if (*p == close) {
    d->p++;
    d->depth--;
    return 2;
  }
  return syntax(d, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
}


/* right after an opening bracket: 1 when the array or object is empty (and passed) */
static int at_close(dec *d, char close) {
  if (*d->p != close)
    return 0;
  d->p++;
  d->depth--;
  return 1;
}


/* `[]` or `{}` at d->p: passed, and an empty table pushed (what lua-cjson makes of both) */
static int empty(dec *d) {
  d->p = skip_ws(d->p + 1) + 1;
  lua_newtable(d->L);
  return PUSHED;
}


/* `"key" :` at d->p: *k and *klen are the key (unescaped when `out`), d->p at its value */
static int member_key(dec *d, const char **k, size_t *klen, int out) {
  if (*d->p != '"')
    return syntax(d, "expected a string key");
  if (!string(d, k, klen, out))
    return FAIL;
  d->p = skip_ws(d->p);
  if (*d->p != ':')
    return syntax(d, "expected ':'");
  d->p = skip_ws(d->p + 1);
  return 1;
}


/*
** `"name" :` at d->p, the known name `key`: its length, d->p at the
** value; else 0 and d->p unmoved. A name has no NUL: the comparison stops
** at the body's, and reads no byte past it.
*/
static int at_key(dec *d, int key) {
  const char *p = d->p, *name = ct_key_name[key];
  size_t len = ct_key_len[key], i;
  if (*p != '"')
    return 0;
  for (i = 0; i < len; i++)
    if (p[i + 1] != name[i]) return 0;
  if (p[len + 1] != '"')
    return 0;
  p = skip_ws(p + len + 2);
  if (*p != ':')
    return 0;
  d->p = skip_ws(p + 1);
  return (int)len;
}


/* skip the value at d->p, checking that it is JSON (members of no interest) */
static int skip(dec *d) {
  const char *s;
  size_t len;
  number n;
  switch (*d->p) {
    case '"': return string(d, &s, &len, 0);
    case 't': case 'f': return boolean(d, 0);
    case 'n': return literal(d, "null", 4);
    case '{': case '[': {
      char close = *d->p == '{' ? '}' : ']';
      int r;
      if (!open_nest(d, 1))
        return FAIL;
      if (at_close(d, close))
        return 1;
      do {
        if (close == '}' && !member_key(d, &s, &len, 0)) return FAIL;
        if (!skip(d)) return FAIL;
      } while ((r = next_item(d, close)) == 1);
      return r;
    }
    default:
      return scan_number(d, &n);
  }
}


/* a scanned number of no known type: an integer when integral and exact, as the mapper makes it */
static void push_scanned(dec *d, const number *n) {
#if LUA_VERSION_NUM >= 503
  if (ct_exact_int(n->v)) {
    lua_pushinteger(d->L, (lua_Integer)n->v);
    return;
  }
#endif
  lua_pushnumber(d->L, n->v);
}


static int push_number(dec *d) {
  number n;
  if (!scan_number(d, &n))
    return FAIL;
  push_scanned(d, &n);
  return PUSHED;
}


static int is_number_start(const dec *d) {
  return *d->p == '-' || (*d->p >= '0' && *d->p <= '9');
}


static int to_int(dec *d, const ct_field *f) {
  if (*d->p == '"') {
    const char *s;
    size_t len;
    long long x;
    if (!string(d, &s, &len, 1))
      return FAIL;
    if (!ct_parse_int(s, len, &x)) {
      if (!odd(d, f, CT_J_STRING, CT_ODD_NOT_INT)) return FAIL;
      lua_pushlstring(d->L, s, len);
      return PUSHED;
    }
#if LUA_VERSION_NUM < 503
    if (x > 9007199254740992LL || x < -9007199254740992LL) {
      if (!odd(d, f, CT_J_STRING, CT_ODD_BEYOND)) return FAIL;
      lua_pushlstring(d->L, s, len);
      return PUSHED;
    }
#endif
    ct_pushint(d->L, x);
    return PUSHED;
  }
  if (is_number_start(d)) {
    number n;
    if (!scan_number(d, &n))
      return FAIL;
    if (!ct_exact_int(n.v)) {
      if (!odd(d, f, CT_J_NUMBER, CT_ODD_INEXACT)) return FAIL;
      lua_pushnumber(d->L, n.v);
      return PUSHED;
    }
    ct_pushint(d->L, (long long)n.v);
    return PUSHED;
  }
  return other(d, f);
}


static int to_id(dec *d, const ct_field *f) {
  if (*d->p == '"') {
    const char *s;
    size_t len;
    if (!string(d, &s, &len, 1))
      return FAIL;
    lua_pushlstring(d->L, s, len);
    return PUSHED;
  }
  if (is_number_start(d)) {
    number n;
    char tmp[32];
    if (!scan_number(d, &n))
      return FAIL;
    if (!ct_exact_int(n.v)) {
      if (!odd(d, f, CT_J_NUMBER, CT_ODD_LOST)) return FAIL;
      lua_pushnumber(d->L, n.v);
      return PUSHED;
    }
    snprintf(tmp, sizeof tmp, "%lld", (long long)n.v);
    lua_pushstring(d->L, tmp);
    return PUSHED;
  }
  return other(d, f);
}


/* true, false, or the strings "true" and "false" */
static int to_bool(dec *d, const ct_field *f) {
  const char *s;
  size_t len;
  if (*d->p == 't' || *d->p == 'f')
    return boolean(d, 1);
  if (*d->p != '"')
    return other(d, f);
  if (!string(d, &s, &len, 1))
    return FAIL;
  if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 5 && memcmp(s, "false", 5) == 0)) {
    lua_pushboolean(d->L, len == 4);
    return PUSHED;
  }
  if (!odd(d, f, CT_J_STRING, CT_ODD_TYPE))
    return FAIL;
  lua_pushlstring(d->L, s, len);
  return PUSHED;
}


static int to_str(dec *d, const ct_field *f) {
  const char *s;
  size_t len;
  if (*d->p != '"')
    return other(d, f);
  if (!string(d, &s, &len, 1))
    return FAIL;
  lua_pushlstring(d->L, s, len);
  return PUSHED;
}


/* a string, or a number that is an exact integer (custom_type) */
static int to_strint(dec *d, const ct_field *f) {
  number n;
  if (*d->p == '"')
    return to_str(d, f);
  if (!is_number_start(d))
    return other(d, f);
  if (!scan_number(d, &n))
    return FAIL;
  if (!ct_exact_int(n.v)) {
    if (!odd(d, f, CT_J_NUMBER, CT_ODD_TYPE)) return FAIL;
    lua_pushnumber(d->L, n.v);
    return PUSHED;
  }
  ct_pushint(d->L, (long long)n.v);
  return PUSHED;
}


/* {name = the string at d->p}: a tag given by its name */
static int named(dec *d) {
  const char *s;
  size_t len;
  if (!string(d, &s, &len, 1))
    return FAIL;
  lua_createtable(d->L, 0, 1);
  lua_rawgeti(d->L, d->keys, CT_KEY_name + 1);
  lua_pushlstring(d->L, s, len);
  lua_rawset(d->L, -3);
  return PUSHED;
}


/*
** An object of `o` (NULL: of no known fields) into a new table. A member
** whose value is dropped removes an earlier one of the same name (the last
** of duplicate names wins, as in lua-cjson).
*/
static int object(dec *d, const ct_obj *o) {
  lua_State *L = d->L;
  unsigned long long has = 0;                       /* known fields stored */
  const ct_field *next = o != NULL ? o->fields : NULL;
  size_t npath = d->path.n;
  int t, unknown = 0;                               /* unknown members stored (maybe removed again) */
  if (!open_nest(d, 6))
    return FAIL;
  lua_createtable(L, 0, o ? o->size : 4);
  t = lua_gettop(L);
  if (!at_close(d, '}')) {
    for (;;) {
      const char *k;
      size_t klen;
      const ct_field *f;
      int r;
      /* a server sends the members of an object in the same order every
         time: the field after the last one found is tried first, on the
         body's bytes, before any scan of the key (a known name has no
         escape, so its bytes between quotes are the key) */
      if (o != NULL && next < o->fields + o->n && (klen = at_key(d, next->key)) != 0) {
        f = next;
        k = ct_key_name[f->key];
      } else {                                      /* another member, or a key written with escapes */
        if (!member_key(d, &k, &klen, 1))
          return FAIL;
        f = ct_field_find(o, k, klen);
      }
      if (f != NULL) {
        next = f + 1;
        if ((has >> (f - o->fields)) & 1 && d->an.n > 0)
          d->dup = 1;                               /* lua-cjson keeps only the last */
        lua_rawgeti(L, d->keys, f->key + 1);        /* key */
        ct_path_key(&d->path, ct_key_name[f->key], klen);
      } else {
        lua_pushlstring(L, k, klen);
        ct_path_key(&d->path, lua_tostring(L, -1), klen);   /* k may be d->tmp's, reused */
      }
      r = value(d, f);                              /* key value | key */
      if (r == FAIL)
        return FAIL;
      d->path.n = npath;
      if (r == PUSHED) {
        lua_rawset(L, t);
        if (f != NULL) has |= 1ULL << (f - o->fields);
        else unknown = 1;
      } else if (f != NULL ? (has >> (f - o->fields)) & 1 : 1) {
        lua_pushvalue(L, -1);
        lua_rawget(L, t);                           /* key old */
        if (lua_isnil(L, -1)) {
          lua_pop(L, 2);
        } else {
          lua_pop(L, 1);
          lua_pushnil(L);
          lua_rawset(L, t);                         /* an earlier member of that name goes */
        }
        if (f != NULL) has &= ~(1ULL << (f - o->fields));
      } else {
        lua_pop(L, 1);
      }
      r = next_item(d, '}');
      if (r == FAIL) return FAIL;
      if (r == 2) break;
    }
  }
  if (o != NULL && o->entry) {
    if (!(has & 1))
      return wrong(d, "entry without an id");
    lua_pushvalue(L, d->entry_mt);
    lua_setmetatable(L, t);
  }
  d->filled = has ? 1 : unknown ? 2 : 0;
  return PUSHED;
}


/* an item of a list of `o` that the answer's shape needs: an object (or its name) */
static int shape_item(dec *d, const ct_obj *o) {
  if (*d->p == '{')
    return object(d, o);
  if (jtype_at(d) == CT_J_OBJECT) {                 /* [] is {} */
    empty(d);
    return o->entry ? wrong(d, "entry without an id") : PUSHED;
  }
  if (*d->p == '"' && o->named)
    return named(d);
  return expected(d, "an object");
}


/* an item of a list field of `o`: an object, its name, or anything else as an anomaly */
static int field_item(dec *d, const ct_obj *o) {
  static const ct_field item_of_list = { 0, CT_V_OBJ, 0, NULL };
  if (*d->p == '{')
    return object(d, o);
  if (jtype_at(d) == CT_J_OBJECT)
    return empty(d);
  if (*d->p == '"' && o->named)
    return named(d);
  return other(d, &item_of_list);
}


/*
** An array of objects of `o` (NULL: of anything) into a sequence, nulls
** dropped and the rest closed up; f is the list's field (NULL: the
** answer's own list, whose items the shape needs), expects what to say
** of a value that is no list. An empty object is taken as an empty list.
*/
static int list(dec *d, const ct_obj *o, const ct_field *f, const char *expects) {
  lua_State *L = d->L;
  size_t npath = d->path.n;
  int t, i = 0, j = 0;
  if (*d->p != '[') {
    if (*d->p == '{' && *skip_ws(d->p + 1) == '}')
      return empty(d);
    if (f != NULL)
      return other(d, f);
    return expected(d, expects);
  }
  if (!open_nest(d, 4))
    return FAIL;
  lua_createtable(L, *d->p == ']' ? 0 : 4, 0);   /* tags: 1 to 3; longer lists grow */
  t = lua_gettop(L);
  if (at_close(d, ']'))
    return PUSHED;
  for (;;) {
    int r;
    i++;
    if (*d->p == 'n') {
      if (!literal(d, "null", 4)) return FAIL;
    } else {
      ct_path_index(&d->path, (size_t)i);
      r = o == NULL ? any(d) : f != NULL ? field_item(d, o) : shape_item(d, o);
      if (r == FAIL) return FAIL;
      d->path.n = npath;
      lua_rawseti(L, t, ++j);
    }
    r = next_item(d, ']');
    if (r == FAIL) return FAIL;
    if (r == 2) break;
  }
  return PUSHED;
}


/* anything: nulls dropped, integral numbers integers */
static int any(dec *d) {
  const char *s;
  size_t len;
  switch (*d->p) {
    case '{': return object(d, NULL);
    case '[': return list(d, NULL, NULL, NULL);
    case '"':
      if (!string(d, &s, &len, 1)) return FAIL;
      lua_pushlstring(d->L, s, len);
      return PUSHED;
    case 't': case 'f':
      return boolean(d, 1);
    case 'n':
      return literal(d, "null", 4) ? DROPPED : FAIL;
    default:
      return push_number(d);
  }
}


/* a task: an object with something in it, else absent (ClickUp sends "0", and junk) */
static int task(dec *d, const ct_field *f) {
  if (*d->p != '{')
    return skip(d) ? DROPPED : FAIL;
  if (!object(d, f->sub))
    return FAIL;
  if (d->filled == 1)
    return PUSHED;
  if (d->filled == 2) {                             /* unknown members, maybe all removed by nulls */
    lua_pushnil(d->L);
    if (lua_next(d->L, -2)) {
      lua_pop(d->L, 2);
      return PUSHED;
    }
  }
  lua_pop(d->L, 1);
  return DROPPED;
}


/* the value of a member of field f (NULL: unknown) */
static int value(dec *d, const ct_field *f) {
  if (*d->p == 'n')
    return literal(d, "null", 4) ? DROPPED : FAIL;
  if (f == NULL)
    return any(d);
  switch ((ct_kind)f->kind) {
    case CT_V_ANY:
      return any(d);
    case CT_V_INT:
      return to_int(d, f);
    case CT_V_ID:
      return to_id(d, f);
    case CT_V_BOOL:
      return to_bool(d, f);
    case CT_V_STR:
      return to_str(d, f);
    case CT_V_STRINT:
      return to_strint(d, f);
    case CT_V_TASK:
      return task(d, f);
    case CT_V_OBJ:
      if (*d->p == '{')
        return object(d, f->sub);
      if (jtype_at(d) == CT_J_OBJECT)
        return empty(d);
      return other(d, f);
    case CT_V_LIST:
      return list(d, f->sub, f, NULL);
  }
  return any(d);
}

/* }====== */


/* {====== answers */

/* `data` as one entry (ENTRY, MAYBE, UPDATED): an object or a one-item array */
static int single(dec *d) {
  const char *p;
  size_t npath = d->path.n;
  int r;
  if (*d->p != '{' && *d->p != '[')
    return expected(d, "an entry");
  p = skip_ws(d->p + 1);
  if (*d->p == '{')
    return *p == '}' ? (d->p = p + 1, DROPPED) : object(d, &ct_obj_entry);
  if (*p == ']') {
    d->p = p + 1;
    return DROPPED;                                 /* [] as {}: no entry */
  }
  if (!open_nest(d, 4))
    return FAIL;
  ct_path_index(&d->path, 1);
  if (!shape_item(d, &ct_obj_entry))
    return FAIL;
  d->path.n = npath;
  r = next_item(d, ']');
  if (r == 1)
    return wrong(d, "expected one entry, got several");
  return r == FAIL ? FAIL : PUSHED;
}


/* the id of a legacy track-time answer: the result itself, so essential */
static const ct_field answer_id = { CT_KEY_id, CT_V_ID, CT_FIELD_ESSENTIAL, NULL };


/* the member of the answer that holds the result, by the endpoint's shape */
static int member(dec *d, ct_shape shape) {
  lua_State *L = d->L;
  if (*d->p == 'n')
    return literal(d, "null", 4) ? DROPPED : FAIL;  /* as if absent */
  switch (shape) {
    case CT_S_ENTRIES: return list(d, &ct_obj_entry, NULL, ct_shape_expects(shape));
    case CT_S_TAGS:    return list(d, &ct_obj_tag, NULL, ct_shape_expects(shape));
    case CT_S_TASKTIME: return list(d, &ct_obj_usertime, NULL, ct_shape_expects(shape));
    case CT_S_TEAMS:   return list(d, &ct_obj_team, NULL, ct_shape_expects(shape));
    case CT_S_ID:      return to_id(d, &answer_id);
    case CT_S_ENTRY: case CT_S_MAYBE: case CT_S_UPDATED:
      return single(d);
    case CT_S_DELETED:
      if (*d->p == '{' && *skip_ws(d->p + 1) != '}') {   /* a single object: wrap it */
        lua_createtable(L, 1, 0);
        if (!object(d, &ct_obj_entry))
          return FAIL;
        lua_rawseti(L, -2, 1);
        return PUSHED;
      }
      return list(d, &ct_obj_entry, NULL, ct_shape_expects(shape));
    case CT_S_DATA:                                 /* history(): not a member */
    case CT_S_OK:
      break;
  }
  return skip(d) ? DROPPED : FAIL;
}


/* the result from what the member gave (nil when absent or dropped) */
static int result(dec *d, ct_shape shape, int v) {
  lua_State *L = d->L;
  char msg[100];
  int none = lua_isnil(L, v);
  switch (shape) {
    case CT_S_OK:
      lua_pushboolean(L, 1);
      return PUSHED;
    case CT_S_DATA:                                 /* history() */
      break;
    case CT_S_ENTRIES: case CT_S_TAGS: case CT_S_TASKTIME: case CT_S_TEAMS:
      if (none) {
        snprintf(msg, sizeof msg, "expected %s, got nothing", ct_shape_expects(shape));
        return wrong(d, msg);
      }
      break;
    case CT_S_DELETED:
      if (none) {
        lua_newtable(L);
        return PUSHED;
      }
      break;
    case CT_S_ENTRY:
      if (none)
        return wrong(d, "no entry in the answer");
      break;
    case CT_S_MAYBE: case CT_S_UPDATED:
      if (none) {
        lua_pushboolean(L, shape == CT_S_UPDATED);
        return PUSHED;
      }
      break;
    case CT_S_ID:
      if (none)
        return wrong(d, "no id in the answer");
      lua_createtable(L, 0, 1);                     /* {id = "..."} */
      lua_rawgeti(L, d->keys, CT_KEY_id + 1);
      lua_pushvalue(L, v);
      lua_rawset(L, -3);
      return PUSHED;
  }
  lua_pushvalue(L, v);
  return PUSHED;
}


/* the member that holds an endpoint's result: "data", "teams", "id" or none */
static const char *target(ct_shape shape, size_t *len) {
  const char *t = shape == CT_S_OK ? NULL : shape == CT_S_ID ? "id" : shape == CT_S_TEAMS ? "teams" : "data";
  *len = t ? strlen(t) : 0;
  return t;
}


/* the end of the JSON value: nothing but whitespace after it */
static int at_end(dec *d) {
  d->p = skip_ws(d->p);
  if (d->p != d->end)
    return syntax(d, "trailing characters after the JSON value");
  return 1;
}


/*
** The history's answer (CT_S_DATA): its payload is undocumented, so the
** whole object is decoded as anything; the result is its `data`, or the
** whole object when it has none.
*/
static int history(dec *d) {
  if (*d->p == '[' && *skip_ws(d->p + 1) != ']')
    return wrong(d, "expected a JSON object, got an array");
  if (*d->p == '[')
    empty(d);
  else if (*d->p != '{')
    return expected(d, "a JSON object");
  else if (!object(d, NULL))
    return FAIL;
  if (!at_end(d))
    return FAIL;
  lua_rawgeti(d->L, d->keys, CT_KEY_data + 1);      /* payload "data" */
  lua_rawget(d->L, -2);                             /* payload data|nil */
  if (lua_isnil(d->L, -1))
    lua_pop(d->L, 1);
  return PUSHED;
}


/* a whole answer of the endpoint: its top-level object */
static int answer(dec *d, ct_shape shape) {
  lua_State *L = d->L;
  size_t tlen;
  const char *tname = target(shape, &tlen);
  int v;
  d->p = skip_ws(d->p);
  if (shape == CT_S_DATA)
    return history(d);
  lua_pushnil(L);                                   /* what the target member gave */
  v = lua_gettop(L);
  if (*d->p == '[') {                               /* [] is {} to a JSON library */
    const char *p = skip_ws(d->p + 1);
    if (*p != ']')
      return wrong(d, "expected a JSON object, got an array");
    d->p = p + 1;
  } else if (*d->p != '{') {
    return expected(d, "a JSON object");
  } else {
    if (!open_nest(d, 4))
      return FAIL;
    if (!at_close(d, '}')) {
      for (;;) {
        const char *k;
        size_t klen;
        int r;
        if (!member_key(d, &k, &klen, 1))
          return FAIL;
        if (tname != NULL && klen == tlen && memcmp(k, tname, tlen) == 0) {
          if (d->an.n > 0)
            d->dup = 1;                             /* a second one: the first's anomalies are stale */
          d->path.n = 0;
          ct_path_key(&d->path, tname, tlen);
          r = member(d, shape);
          if (r == FAIL)
            return FAIL;
          if (r == DROPPED)
            lua_pushnil(L);
          lua_replace(L, v);                        /* the last of duplicates wins */
        } else if (!skip(d)) {
          return FAIL;
        }
        r = next_item(d, '}');
        if (r == FAIL) return FAIL;
        if (r == 2) break;
      }
    }
  }
  if (!at_end(d))
    return FAIL;
  d->path.n = 0;
  if (tname != NULL)
    ct_path_key(&d->path, tname, tlen);
  return result(d, shape, v);
}


/* a whole JSON value, mapped as anything (error answers) */
static int whole(dec *d) {
  int r;
  d->p = skip_ws(d->p);
  r = any(d);
  if (r == FAIL)
    return FAIL;
  if (r == DROPPED)
    lua_pushnil(d->L);
  return at_end(d) ? PUSHED : FAIL;
}


typedef struct job {
  dec d;
  const ct_endpoint *ep;    /* NULL: a whole value */
  int ok;
} job;


/* job entry_mt keys nil -> result anomalies|nil */
static int run(lua_State *L) {
  job *j = (job *)lua_touserdata(L, 1);
  j->d.L = L;
  j->d.entry_mt = 2;
  j->d.keys = 3;
  j->d.an.slot = 4;
  j->ok = j->ep != NULL ? answer(&j->d, (ct_shape)j->ep->shape) : whole(&j->d);
  if (!j->ok)
    return 0;
  ct_anomalies_done(L, &j->d.an);
  lua_pushvalue(L, 4);                              /* result anomalies */
  return 2;
}


/*
** Decode body (len bytes, followed by a NUL) as the answer of ep, or as
** any JSON value when ep is NULL. Pushes the result and its anomalies (a
** list, or nil when there are none) and returns 1, or 2 when a member name
** came twice after an anomaly (lua-cjson keeps only the last member, so the
** list may hold one of a member that is gone: the reference path knows);
** or pushes nothing, returns 0 and says why (*shape: of shape, not syntax).
** With strict, an anomaly is a failure of shape. Runs in a protected call,
** with the collector paused for a large body: all it makes is kept, so a
** collection during it would only walk it.
*/
int ct_decode(lua_State *L, const ct_endpoint *ep, const char *body, size_t len, int strict,
              char *why, size_t whylen, int *shape) {
  job j;
  int status, paused = 0;
  j.d.p = j.d.start = body;
  j.d.end = body + len;
  j.d.depth = 0;
  j.d.path.n = 0;
  j.d.shape = 0;
  j.d.dup = 0;
  j.d.an.n = 0;
  j.d.an.strict = strict;
  j.d.why[0] = '\0';
  j.d.tmp.data = NULL;
  j.d.tmp.len = j.d.tmp.cap = 0;
  j.ep = ep;
  j.ok = 0;
  lua_pushcfunction(L, run);
  lua_pushlightuserdata(L, &j);
  lua_pushvalue(L, CT_UV_ENTRY);
  lua_pushvalue(L, CT_UV_KEYS);
  lua_pushnil(L);                                   /* the anomalies, once there is one */
#ifdef LUA_GCISRUNNING
  if (len >= GC_PAUSE_AT && lua_gc(L, LUA_GCISRUNNING, 0)) {
    lua_gc(L, LUA_GCSTOP, 0);
    paused = 1;
  }
#endif
  status = lua_pcall(L, 4, 2, 0);
  if (paused)
    lua_gc(L, LUA_GCRESTART, 0);
  ct_buf_free(&j.d.tmp);
  if (status != 0)
    lua_error(L);                                   /* out of memory: as Lua itself would */
  if (!j.ok) {
    lua_pop(L, 2);
    snprintf(why, whylen, "%s", j.d.why);
    *shape = j.d.shape;
    return 0;
  }
  return j.d.dup && !lua_isnil(L, -1) ? 2 : 1;
}


/* the table of interned field names, indexed by ct_key + 1: an upvalue of the module */
void ct_decode_open(lua_State *L) {
  int i;
  lua_createtable(L, CT_KEY__N, 0);
  for (i = 0; i < CT_KEY__N; i++) {
    lua_pushlstring(L, ct_key_name[i], ct_key_len[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

/* }====== */
