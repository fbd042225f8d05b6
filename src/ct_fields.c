/*
** ct_fields.c: what each known field of an answer is. One declarative set
** of tables, read by both decoders: the fused one (ct_decode.c), which
** parses JSON straight into typed tables, and the reference mapper
** (ct_map.c), which walks what a JSON library decoded.
**
** ClickUp sends the same field as a string in one endpoint and a number in
** another (notes, section 4.2): times and durations become integers, ids
** strings, flags booleans; a `task` that is not an object is dropped. A
** CT_V_ANY field is kept as it comes (listed so that the fused decoder
** reuses its interned name and sizes the table for it); fields that are not
** listed are kept too. The size of each object is what answers usually
** hold of it, nulls not counted (Lua rounds table sizes up to a power of
** 2): the fused decoder creates its tables at that size.
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

#define F(k, kind, sub) { CT_KEY_##k, CT_V_##kind, sub }
#define OBJ(name, entry, size, ...) \
  static const ct_field name##_fields[] = { __VA_ARGS__ }; \
  const ct_obj name = { name##_fields, sizeof name##_fields / sizeof name##_fields[0], entry, size }

OBJ(ct_obj_status, 0, 4,
  F(status, ANY, NULL), F(color, ANY, NULL), F(type, ANY, NULL), F(orderindex, INT, NULL),
  F(id, ID, NULL));
OBJ(ct_obj_task, 0, 4,
  F(id, ID, NULL), F(name, ANY, NULL), F(status, OBJ, &ct_obj_status), F(custom_id, ID, NULL),
  F(custom_type, INT, NULL));
OBJ(ct_obj_user, 0, 8,
  F(id, INT, NULL), F(username, ANY, NULL), F(email, ANY, NULL), F(color, ANY, NULL),
  F(initials, ANY, NULL), F(profilePicture, ANY, NULL));
OBJ(ct_obj_location, 0, 4,
  F(list_id, ID, NULL), F(folder_id, ID, NULL), F(space_id, ID, NULL), F(list_name, ANY, NULL),
  F(folder_name, ANY, NULL), F(space_name, ANY, NULL));
OBJ(ct_obj_tag, 0, 4,
  F(name, ANY, NULL), F(tag_fg, ANY, NULL), F(tag_bg, ANY, NULL), F(creator, INT, NULL));
/* "id" first: an entry must have one (ct_map.c, ct_decode.c) */
OBJ(ct_obj_entry, 1, 16,
  F(id, ID, NULL), F(task, TASK, &ct_obj_task), F(wid, ID, NULL), F(user, OBJ, &ct_obj_user),
  F(billable, BOOL, NULL), F(start, INT, NULL), F(end, INT, NULL), F(duration, INT, NULL),
  F(description, ANY, NULL), F(tags, LIST, &ct_obj_tag), F(source, ANY, NULL), F(at, INT, NULL),
  F(is_locked, BOOL, NULL), F(approval_id, ID, NULL), F(task_location, OBJ, &ct_obj_location),
  F(task_url, ANY, NULL), F(task_tags, LIST, &ct_obj_tag));
OBJ(ct_obj_interval, 0, 8,
  F(id, ID, NULL), F(start, INT, NULL), F(end, INT, NULL), F(time, INT, NULL),
  F(date_added, INT, NULL), F(billable, BOOL, NULL));
OBJ(ct_obj_usertime, 0, 4,
  F(user, OBJ, &ct_obj_user), F(time, INT, NULL), F(intervals, LIST, &ct_obj_interval));
OBJ(ct_obj_member_user, 0, 8,
  F(id, INT, NULL), F(role, INT, NULL), F(username, ANY, NULL), F(email, ANY, NULL),
  F(color, ANY, NULL), F(initials, ANY, NULL), F(profilePicture, ANY, NULL));
OBJ(ct_obj_member, 0, 1, F(user, OBJ, &ct_obj_member_user));
OBJ(ct_obj_team, 0, 4,
  F(id, ID, NULL), F(name, ANY, NULL), F(color, ANY, NULL), F(members, LIST, &ct_obj_member));


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


/* "data[3].user.id: <what>": the path, then what is wrong there */
void ct_path_why(const ct_path *p, const char *what, char *out, size_t outlen) {
  char where[160];
  size_t i, len = 0, n = p->n < CT_MAX_PATH ? p->n : CT_MAX_PATH;
  where[0] = '\0';
  for (i = 0; i < n && len < sizeof where; i++) {
    int w = p->step[i].key
      ? snprintf(where + len, sizeof where - len, "%s%.*s", i ? "." : "",
                 (int)(p->step[i].len > 40 ? 40 : p->step[i].len), p->step[i].key)
      : snprintf(where + len, sizeof where - len, "[%lu]", (unsigned long)p->step[i].index);
    if (w < 0) break;
    len += (size_t)w;
  }
  snprintf(out, outlen, "%s%s%s", where, where[0] ? ": " : "", what);
}
