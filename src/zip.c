/*
** zip.c: a zip archive's central directory and its members' bytes (zip.h).
** The layout is PKWARE's APPNOTE: an end-of-central-directory record at the
** end (after an archive comment of up to 65,535 bytes), pointing at one
** header per member, each pointing at the member's local header, after
** which its data lies.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "alloc.h"
#include "progress.h"
#include "zip.h"

#define EOCD_SIZE 22
#define CDH_SIZE 46
#define LOCAL_SIZE 30
#define CHUNK ((size_t)1 << 20)    /* inflated between two looks at Ctrl-C */

static unsigned le16(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (unsigned)u[0] | (unsigned)u[1] << 8;
}

static uint32_t le32(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

size_t lx_zip_member_max(void) {
  const char *t = getenv("LEXIS_TEST_ZIP_MAX");      /* the specs: a small cap, a small bomb */
  if (t && *t) {
    unsigned long long v = strtoull(t, NULL, 10);
    if (v > 0 && v < LX_ZIP_MEMBER_MAX) return (size_t)v;
  }
  return LX_ZIP_MEMBER_MAX;
}

int lx_zip_open(lx_zip *z, const char *data, size_t n, char *why, size_t whylen) {
  memset(z, 0, sizeof *z);
  z->data = data;
  z->n = n;
  /* the end record: searched backwards over at most a comment's length */
  size_t eocd = (size_t)-1;
  if (n >= EOCD_SIZE) {
    size_t lo = n - EOCD_SIZE > 65535 ? n - EOCD_SIZE - 65535 : 0;
    for (size_t i = n - EOCD_SIZE + 1; i-- > lo;) {
      if (memcmp(data + i, "PK\5\6", 4) == 0 && i + EOCD_SIZE + le16(data + i + 20) == n) {
        eocd = i;
        break;
      }
    }
  }
  if (eocd == (size_t)-1) {
    snprintf(why, whylen, "a zip archive without its central directory (truncated or damaged)");
    return EBADMSG;
  }
  const char *e = data + eocd;
  size_t count = le16(e + 10);
  uint32_t cdsize = le32(e + 12), cdoff = le32(e + 16);
  if (count == 0xFFFF || cdsize == 0xFFFFFFFFu || cdoff == 0xFFFFFFFFu) {
    snprintf(why, whylen, "a ZIP64 archive, which lexis does not read");
    return EBADMSG;
  }
  if (le16(e + 4) != 0 || le16(e + 8) != count) {
    snprintf(why, whylen, "a zip archive split over several files, which lexis does not read");
    return EBADMSG;
  }
  if ((uint64_t)cdoff + cdsize > eocd) {
    snprintf(why, whylen, "a zip archive whose central directory lies past its end (truncated or damaged)");
    return EBADMSG;
  }
  z->m = count ? lx_calloc(count, sizeof *z->m) : NULL;
  if (count && !z->m) {
    snprintf(why, whylen, "out of memory");
    return ENOMEM;
  }
  size_t p = cdoff, end = (size_t)cdoff + cdsize;
  for (size_t k = 0; k < count; k++) {
    if (end - p < CDH_SIZE || memcmp(data + p, "PK\1\2", 4) != 0) {
      snprintf(why, whylen, "a zip archive whose central directory is damaged (member %zu)", k + 1);
      lx_zip_close(z);
      return EBADMSG;
    }
    const char *h = data + p;
    size_t nlen = le16(h + 28), xlen = le16(h + 30), clen = le16(h + 32);
    if (end - p - CDH_SIZE < nlen + xlen + clen) {
      snprintf(why, whylen, "a zip archive whose central directory is damaged (member %zu)", k + 1);
      lx_zip_close(z);
      return EBADMSG;
    }
    lx_zip_member *m = &z->m[z->count++];
    m->flags = le16(h + 8);
    m->method = le16(h + 10);
    m->crc = le32(h + 16);
    m->csize = le32(h + 20);
    m->usize = le32(h + 24);
    m->local = le32(h + 42);
    m->name = h + CDH_SIZE;
    m->nlen = nlen;
    p += CDH_SIZE + nlen + xlen + clen;
  }
  return 0;
}

const lx_zip_member *lx_zip_find(const lx_zip *z, const char *name, size_t len) {
  for (size_t i = 0; i < z->count; i++)
    if (z->m[i].nlen == len && memcmp(z->m[i].name, name, len) == 0) return &z->m[i];
  return NULL;
}

/* The member's name for messages, cut to fit. */
static void said(const lx_zip_member *mb, char *s, size_t n) {
  size_t k = mb->nlen < n - 1 ? mb->nlen : n - 1;
  for (size_t i = 0; i < k; i++) s[i] = (unsigned char)mb->name[i] < 0x20 ? '?' : mb->name[i];
  s[k] = '\0';
}

int lx_zip_extract(const lx_zip *z, const lx_zip_member *mb, char **out, size_t *len, char *why, size_t whylen) {
  char name[120];
  said(mb, name, sizeof name);
  *out = NULL;
  *len = 0;
  size_t cap = lx_zip_member_max();
  if (mb->flags & 1) {
    snprintf(why, whylen, "its member %s is encrypted", name);
    return EBADMSG;
  }
  if (mb->method != 0 && mb->method != 8) {
    snprintf(why, whylen, "its member %s is compressed by method %u; lexis reads stored and deflated members",
             name, mb->method);
    return EBADMSG;
  }
  if (mb->usize > cap) {
    snprintf(why, whylen, "its member %s would inflate to %llu bytes, past the limit of %zu (a zip bomb?)",
             name, (unsigned long long)mb->usize, cap);
    return EFBIG;
  }
  if (mb->local > z->n || z->n - mb->local < LOCAL_SIZE || memcmp(z->data + mb->local, "PK\3\4", 4) != 0) {
    snprintf(why, whylen, "its member %s is damaged (no local header where the directory says)", name);
    return EBADMSG;
  }
  const char *lh = z->data + mb->local;
  uint64_t start = mb->local + LOCAL_SIZE + le16(lh + 26) + le16(lh + 28);
  if (start > z->n || z->n - start < mb->csize) {
    snprintf(why, whylen, "its member %s ends early (truncated)", name);
    return EBADMSG;
  }
  const char *src = z->data + start;
  size_t usize = (size_t)mb->usize;
  char *buf = lx_malloc(usize + 1);
  if (!buf) {
    snprintf(why, whylen, "out of memory");
    return ENOMEM;
  }
  int rc = 0;
  if (mb->method == 0) {
    if (mb->csize != mb->usize) {
      snprintf(why, whylen, "its member %s is damaged (stored with two sizes)", name);
      rc = EBADMSG;
    } else {
      memcpy(buf, src, usize);
    }
  } else {
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) {
      free(buf);
      snprintf(why, whylen, "out of memory");
      return ENOMEM;
    }
    /* fed in pieces that fit zlib's 32-bit counts; past the declared size
    ** the output room is one spare byte, so a member that inflates beyond
    ** what it declares is caught at its first extra byte */
    uint64_t fed = 0;
    char spare;
    size_t made = 0;
    for (;;) {
      if (lx_interrupted()) {
        snprintf(why, whylen, "interrupted");
        rc = ECANCELED;
        break;
      }
      if (s.avail_in == 0 && fed < mb->csize) {
        uint64_t k = mb->csize - fed < CHUNK ? mb->csize - fed : CHUNK;
        s.next_in = (Bytef *)(uintptr_t)(src + fed);
        s.avail_in = (uInt)k;
        fed += k;
      }
      size_t room = made < usize ? (usize - made < CHUNK ? usize - made : CHUNK) : 1;
      s.next_out = made < usize ? (Bytef *)buf + made : (Bytef *)&spare;
      s.avail_out = (uInt)room;
      int zr = inflate(&s, Z_NO_FLUSH);
      size_t got = room - s.avail_out;
      if (made >= usize && got) {
        snprintf(why, whylen, "its member %s inflates past its declared size of %zu bytes (a zip bomb, or damaged)",
                 name, usize);
        rc = EBADMSG;
        break;
      }
      made += got;
      if (zr == Z_STREAM_END) break;
      if (zr == Z_OK) continue;
      snprintf(why, whylen, "its member %s is damaged (%s)", name,
               zr == Z_BUF_ERROR ? "its data ends early: truncated" :
               zr == Z_MEM_ERROR ? "out of memory" : s.msg ? s.msg : "invalid deflate data");
      rc = zr == Z_MEM_ERROR ? ENOMEM : EBADMSG;
      break;
    }
    if (!rc && made != usize) {
      snprintf(why, whylen, "its member %s is damaged (%zu bytes where its header says %zu)", name, made, usize);
      rc = EBADMSG;
    }
    inflateEnd(&s);
  }
  if (!rc) {
    uLong c = crc32(0L, Z_NULL, 0);
    for (size_t off = 0; off < usize; off += CHUNK)
      c = crc32(c, (const Bytef *)buf + off, (uInt)(usize - off < CHUNK ? usize - off : CHUNK));
    if ((uint32_t)c != mb->crc) {
      snprintf(why, whylen, "its member %s is damaged (its CRC-32 does not match)", name);
      rc = EBADMSG;
    }
  }
  if (rc) {
    free(buf);
    return rc;
  }
  buf[usize] = '\0';
  *out = buf;
  *len = usize;
  return 0;
}

void lx_zip_close(lx_zip *z) {
  free(z->m);
  z->m = NULL;
  z->count = 0;
}
