/*
** ct_fields.c: what each known field of an answer is. One declarative set
** of tables, read by both decoders: the fused one (ct_decode.c), which
** parses JSON straight into typed tables, and the reference mapper
** (ct_map.c), which walks what a JSON library decoded.
**
** ClickUp sends the same field as a string in one endpoint and a number in
** another (notes, section 4.2): times and durations become integers, ids
** strings, flags booleans (from "true"/"false" too); a `task` that is not
** an object, or is an empty one, is absent; tags sent as names become
** {name = ...}. Those are ClickUp's real forms. A value of any other type
** is kept as it came (strings stay strings, objects and arrays tables,
** nulls absent) and is an anomaly of the answer (ct_anomaly.c), except in
** an essential field (an entry's id and start, a tag's name, an interval's
** id), where it fails the call: a result never holds a wrong value of ours. A CT_V_ANY
** field is kept as it comes; fields that are not listed are kept too. The
** size of each object is what answers usually hold of it, nulls not
** counted (Lua rounds table sizes up to a power of 2): the fused decoder
** creates its tables at that size.
*/
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
