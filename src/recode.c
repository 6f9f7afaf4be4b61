/*
** recode.c: another encoding to UTF-8 through iconv, a buffer at a time.
** See recode.h.
*/
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "decompress.h"
#include "recode.h"

#define IN_BUF (64u << 10)

struct lx_recode {
  iconv_t cd;
  char from[64];
  int fd;
  struct lx_decomp *dec;
  char *in;
  size_t ipos, ilen;
  int src_end;
  uint64_t taken;          /* source bytes converted (offset of in[ipos]) */
  int err;
  char why[200];
  char out[8];             /* converted bytes waiting for a reader who asked for fewer */
  size_t opos, olen;
};

int lx_recode_known(const char *name) {
  iconv_t cd = iconv_open("UTF-8", name);
  if (cd == (iconv_t)-1) return 0;
  iconv_close(cd);
  return 1;
}

int lx_recode_fits(const char *name, const char *s, size_t n) {
  iconv_t cd = iconv_open("UTF-8", name);
  if (cd == (iconv_t)-1) return 0;
  char *src = (char *)s, out[4096];
  size_t left = n;
  int ok = 1;
  while (left > 0) {
    char *dst = out;
    size_t room = sizeof out;
    if (iconv(cd, &src, &left, &dst, &room) != (size_t)-1) continue;
    if (errno == E2BIG) continue;                 /* out is full: on with the rest */
    ok = errno == EINVAL;                         /* EINVAL: cut by the end, fine */
    break;
  }
  iconv_close(cd);
  return ok;
}

lx_recode *lx_recode_new(const char *from, const char *head, size_t nhead, int fd, struct lx_decomp *dec) {
  lx_recode *r = lx_calloc(1, sizeof *r);
  if (!r) return NULL;
  size_t cap = nhead > IN_BUF ? nhead : IN_BUF;
  r->cd = iconv_open("UTF-8", from);
  if (r->cd == (iconv_t)-1) {
    int e = errno;
    free(r);
    errno = e == EINVAL ? EINVAL : e;
    return NULL;
  }
  if (!(r->in = lx_malloc(cap))) {
    iconv_close(r->cd);
    free(r);
    errno = ENOMEM;
    return NULL;
  }
  snprintf(r->from, sizeof r->from, "%s", from);
  memcpy(r->in, head, nhead);
  r->ilen = nhead;
  r->fd = fd;
  r->dec = dec;
  return r;
}

/* More source bytes at the end of `in`: 0, or an errno value (r->why set). */
static int refill(lx_recode *r) {
  if (r->ipos > 0) {
    memmove(r->in, r->in + r->ipos, r->ilen - r->ipos);
    r->ilen -= r->ipos;
    r->ipos = 0;
  }
  size_t room = IN_BUF > r->ilen ? IN_BUF - r->ilen : 0;
  if (room == 0) return 0;
  for (;;) {
    long got;
    if (r->dec) got = lx_decomp_read(r->dec, r->in + r->ilen, room);
    else if (r->fd >= 0) got = (long)read(r->fd, r->in + r->ilen, room);
    else got = 0;
    if (got < 0 && errno == EINTR && !r->dec) continue;
    if (got < 0) {
      int e = errno;
      snprintf(r->why, sizeof r->why, "%s", r->dec && e == EBADMSG ? lx_decomp_why(r->dec) : strerror(e));
      return e;
    }
    if (got == 0) r->src_end = 1;
    r->ilen += (size_t)got;
    return 0;
  }
}

static long failed(lx_recode *r, int e) {
  r->err = e;
  errno = e;
  return -1;
}

static long convert(lx_recode *r, char *buf, size_t n);

/* A character is up to 4 bytes of UTF-8: a short read goes through `out`. */
long lx_recode_read(lx_recode *r, char *buf, size_t n) {
  if (r->opos == r->olen && n < sizeof r->out) {
    long k = convert(r, r->out, sizeof r->out);
    if (k <= 0) return k;
    r->opos = 0;
    r->olen = (size_t)k;
  }
  if (r->opos < r->olen) {
    size_t k = r->olen - r->opos < n ? r->olen - r->opos : n;
    memcpy(buf, r->out + r->opos, k);
    r->opos += k;
    return (long)k;
  }
  return convert(r, buf, n);
}

static long convert(lx_recode *r, char *buf, size_t n) {
  if (r->err) {
    errno = r->err;
    return -1;
  }
  size_t made = 0;
  while (made == 0 && n > 0) {
    if (r->ipos == r->ilen && r->src_end) return 0;
    if (!r->src_end && r->ilen - r->ipos < 16) {
      int e = refill(r);
      if (e) return failed(r, e);
      continue;
    }
    char *src = r->in + r->ipos, *dst = buf;
    size_t left = r->ilen - r->ipos, room = n;
    size_t k = iconv(r->cd, &src, &left, &dst, &room);
    size_t used = (size_t)(src - (r->in + r->ipos));
    r->ipos += used;
    r->taken += used;
    made = n - room;
    if (k != (size_t)-1) continue;                /* all converted: more on the next round */
    if (errno == E2BIG) {
      if (made == 0) return failed(r, EOVERFLOW);  /* n shorter than one character: the caller's bug */
      break;
    }
    if (errno == EINVAL) {                        /* a character cut by the buffer's end */
      if (!r->src_end) {
        if (made) break;
        int e = refill(r);
        if (e) return failed(r, e);
        continue;
      }
      if (made) break;
      snprintf(r->why, sizeof r->why, "ends inside a %s character (truncated) at byte %llu", r->from,
               (unsigned long long)r->taken);
      return failed(r, EILSEQ);
    }
    if (errno == EILSEQ) {
      if (made) break;                            /* the good bytes first */
      snprintf(r->why, sizeof r->why, "not valid %s at byte %llu (0x%02X): is --encoding right?", r->from,
               (unsigned long long)r->taken + 1, (unsigned char)r->in[r->ipos]);
      return failed(r, EILSEQ);
    }
    snprintf(r->why, sizeof r->why, "%s", strerror(errno));
    return failed(r, errno);
  }
  return (long)made;
}

const char *lx_recode_why(const lx_recode *r) {
  return r->err ? r->why : "";
}

void lx_recode_free(lx_recode *r) {
  if (!r) return;
  iconv_close(r->cd);
  free(r->in);
  free(r);
}
