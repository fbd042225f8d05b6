/*
** ct_buf.h: a growable byte buffer (cjson strbuf style). Buffers are owned
** by a client and reused between requests, so a steady state allocates
** nothing per request.
*/
#ifndef CT_BUF_H
#define CT_BUF_H

#include <stddef.h>

typedef struct ct_buf {
  char *data;     /* NUL-terminated when data != NULL */
  size_t len;
  size_t cap;
} ct_buf;

int  ct_buf_reserve(ct_buf *b, size_t extra);   /* 0 on allocation failure */
int  ct_buf_add(ct_buf *b, const char *s, size_t n);
int  ct_buf_adds(ct_buf *b, const char *s);
int  ct_buf_addc(ct_buf *b, char c);
int  ct_buf_addint(ct_buf *b, long long v);
void ct_buf_reset(ct_buf *b);                    /* keeps the memory */
void ct_buf_free(ct_buf *b);                     /* idempotent */

#endif
