/*
** ct_buf.c: growable byte buffer.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_private.h"


int ct_buf_reserve(ct_buf *b, size_t extra) {
  size_t need, cap;
  char *p;
  if (extra > (size_t)-1 - b->len - 1)
    return 0;
  need = b->len + extra + 1;
  if (need <= b->cap)
    return 1;
  cap = b->cap ? b->cap : 256;
  while (cap < need)
    cap = (cap > (size_t)-1 / 2) ? need : cap * 2;
  p = (char *)realloc(b->data, cap);
  if (p == NULL)
    return 0;
  b->data = p;
  b->cap = cap;
  return 1;
}


int ct_buf_add(ct_buf *b, const char *s, size_t n) {
  if (!ct_buf_reserve(b, n))
    return 0;
  if (n > 0)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 1;
}


int ct_buf_adds(ct_buf *b, const char *s) {
  return ct_buf_add(b, s, strlen(s));
}


int ct_buf_addc(ct_buf *b, char c) {
  return ct_buf_add(b, &c, 1);
}


/* v in decimal, as "%lld" writes it, without snprintf (~900 instructions
   a number: two of them in every ranged entries request) */
int ct_buf_addint(ct_buf *b, long long v) {
  char tmp[24], *p = tmp + sizeof tmp;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    *--p = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u != 0);
  if (v < 0)
    *--p = '-';
  return ct_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}


void ct_buf_reset(ct_buf *b) {
  b->len = 0;
  if (b->data != NULL)
    b->data[0] = '\0';
}


void ct_buf_free(ct_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
