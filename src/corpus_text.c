/*
** corpus_text.c: the documents' text kept in the index (lexis index
** --store-text), so an index shows its hits without its source files.
**
** The text of every document, back to back in the order of the documents,
** is cut into blocks of TEXT_BLOCK bytes, each compressed by zstd as a
** frame of its own: any byte range is read by decoding only the blocks it
** spans. A concordance gets an empty (anonymous, unreserved) mapping of a
** document's size, and the blocks around each hit are decoded into it when
** the hit is shown (lx_text_need; a bit per block says which are there),
** so a query that shows 1,000 hits of a 100 MB text decodes about 1,000
** blocks of 8 KB, and its memory grows with the hits shown, not the text.
** The section is checked by the index's block checksums as it is read,
** like every other: a damaged byte is an error naming the index.
**
** Why 8 KB blocks and level 5 (measured on en-100M, README): the sorted
** first 1,000 hits each decode a block, about 2 us a KB; 8 KB blocks keep
** that near 20 us a hit, and at level 5 they are 0.39 of the text (64 KB
** blocks: 0.35, but 4 times the decoding; level 9: 0.38, twice the build).
** Pure C: no Lua here.
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "corpus_internal.h"
#include "alloc.h"
#include "progress.h"

#define TEXT_BLOCK ((size_t)8 << 10)
#define TEXT_LEVEL 5
#define TRAILER 32                      /* text bytes, block size, blocks, level */

/* ================================================================ writing */

typedef struct lx_store {
  ZSTD_CCtx *zc;
  char *pend;                  /* the block being filled */
  size_t npend;
  gbuf sec;                    /* the frames, then (at the end) the offsets and trailer */
  gbuf off;                    /* u64 per frame: where it starts in sec */
  uint64_t bytes;
  int level;
} lx_store;

lx_store *lx_store_new(int level) {
  lx_store *s = lx_calloc(1, sizeof *s);
  if (!s) return NULL;
  s->level = level > 0 ? level : TEXT_LEVEL;
  s->pend = lx_malloc(TEXT_BLOCK);
  s->zc = ZSTD_createCCtx();
  if (!s->pend || !s->zc) { lx_store_free(s); return NULL; }
  return s;
}

void lx_store_free(lx_store *s) {
  if (!s) return;
  ZSTD_freeCCtx(s->zc);
  free(s->pend);
  gb_free(&s->sec);
  gb_free(&s->off);
  free(s);
}

/* Compresses the pending block into a frame of its own. */
static int flush_block(lx_store *s) {
  if (s->npend == 0) return 0;
  size_t bound = ZSTD_compressBound(s->npend);
  uint64_t at = s->sec.n;
  if (gb_put(&s->off, &at, 8) || gb_reserve(&s->sec, bound)) return -1;
  size_t z = ZSTD_compressCCtx(s->zc, s->sec.p + s->sec.n, bound, s->pend, s->npend, s->level);
  if (ZSTD_isError(z)) { errno = ENOMEM; return -1; }   /* (only a lack of memory can fail it) */
  s->sec.n += z;
  s->npend = 0;
  return 0;
}

int lx_store_put(lx_store *s, const char *p, size_t n) {
  while (n) {
    size_t k = TEXT_BLOCK - s->npend < n ? TEXT_BLOCK - s->npend : n;
    memcpy(s->pend + s->npend, p, k);
    s->npend += k;
    s->bytes += k;
    p += k;
    n -= k;
    if (s->npend == TEXT_BLOCK && flush_block(s)) return -1;
  }
  return 0;
}

int lx_store_fd(lx_store *s, int fd, uint64_t size) {
  enum { CHUNK = 1 << 20 };
  char *buf = lx_malloc(CHUNK);
  if (!buf) return -1;
  for (uint64_t at = 0; at < size;) {
    size_t want = size - at < CHUNK ? (size_t)(size - at) : CHUNK;
    ssize_t got = pread(fd, buf, want, (off_t)at);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0 || lx_interrupted()) {       /* shorter than it was: it changed under us */
      if (got == 0) errno = ESTALE;
      if (lx_interrupted()) errno = ECANCELED;
      free(buf);
      return -1;
    }
    if (lx_store_put(s, buf, (size_t)got)) { free(buf); return -1; }
    at += (uint64_t)got;
  }
  free(buf);
  return 0;
}

int lx_store_end(lx_store *s, lx_section *sec) {
  if (flush_block(s)) return -1;
  uint64_t end = s->sec.n, blocks = s->off.n / 8;
  uint64_t tail[4] = { s->bytes, TEXT_BLOCK, blocks, (uint64_t)s->level };
  static const char zeros[8];         /* the offsets start at a multiple of 8 */
  if (gb_put(&s->sec, zeros, (8 - end % 8) % 8) || gb_put(&s->sec, s->off.p, s->off.n) || gb_put(&s->sec, &end, 8) || gb_put(&s->sec, tail, sizeof tail))
    return -1;
  gb_free(&s->off);
  sec->data = s->sec.p;
  sec->size = s->sec.n;
  return 0;
}

/* ================================================================ reading */

enum { SLOTS = 4 };

typedef struct lx_tcache {       /* a few decoded blocks, for reads of a range */
  pthread_mutex_t lock;
  ZSTD_DCtx *dc;
  uint64_t block[SLOTS];         /* which block each slot holds, UINT64_MAX none */
  uint64_t used[SLOTS], clock;
  char *buf;                     /* SLOTS blocks */
} lx_tcache;

void lx_text_free(lx_corpus *c) {
  free(c->tdoc);
  c->tdoc = NULL;
  if (c->tcache) {
    pthread_mutex_destroy(&c->tcache->lock);
    ZSTD_freeDCtx(c->tcache->dc);
    free(c->tcache->buf);
    free(c->tcache);
    c->tcache = NULL;
  }
}

int lx_text_bind(lx_corpus *c) {
  const lx_section *s = &c->sec[S_TEXT];
  errno = 0;
  if (s->size == 0) return 0;
  if (c->annotated || s->size < TRAILER + 8) return -1;
  const unsigned char *base = s->data;
  const uint64_t *t = (const uint64_t *)(base + s->size - TRAILER);
  if (!SOUND(c, S_TEXT, t, TRAILER)) return -1;
  uint64_t bytes = t[0], block = t[1], blocks = t[2];
  if (block < 1024 || block > ((uint64_t)1 << 24) || (block & (block - 1)) ||
      blocks != (bytes + block - 1) / block || blocks > (s->size - TRAILER) / 8 - 1)
    return -1;
  uint64_t table = s->size - TRAILER - (blocks + 1) * 8;
  if (table % 8) return -1;                      /* (the offsets are read in place) */
  const uint64_t *off = (const uint64_t *)(base + table);
  if (!SOUND(c, S_TEXT, &off[blocks], 8) || off[blocks] > table || table - off[blocks] >= 8) return -1;
  uint64_t sum = 0;
  for (uint64_t d = 0; d < c->ndocs; d++) {
    if (c->docs[d].size > bytes - sum) return -1;
    sum += c->docs[d].size;
  }
  if (sum != bytes) return -1;
  c->tdoc = lx_malloc((c->ndocs + 1) * sizeof *c->tdoc);
  lx_tcache *k = lx_calloc(1, sizeof *k);
  if (k) k->buf = lx_malloc(SLOTS * block);
  if (k) k->dc = ZSTD_createDCtx();
  if (!c->tdoc || !k || !k->buf || !k->dc || pthread_mutex_init(&k->lock, NULL)) {
    if (k) { ZSTD_freeDCtx(k->dc); free(k->buf); free(k); }
    free(c->tdoc);
    c->tdoc = NULL;
    errno = ENOMEM;
    return -1;
  }
  for (int i = 0; i < SLOTS; i++) k->block[i] = UINT64_MAX;
  c->tcache = k;
  sum = 0;
  for (uint64_t d = 0; d < c->ndocs; d++) {
    c->tdoc[d] = sum;
    sum += c->docs[d].size;
  }
  c->tdoc[c->ndocs] = sum;
  c->tbytes = bytes;
  c->tblock = block;
  c->tblocks = blocks;
  c->ttable = table;
  c->toff = off;
  return 0;
}

/* Decodes block k (all of it) into out, through dc. 0, or -1 damaged. */
static int decode(const lx_corpus *c, ZSTD_DCtx *dc, uint64_t k, char *out) {
  if (k >= c->tblocks || !SOUND(c, S_TEXT, &c->toff[k], 16)) return -1;
  uint64_t a = c->toff[k], z = c->toff[k + 1];
  const unsigned char *base = c->sec[S_TEXT].data;
  if (a > z || z > c->toff[c->tblocks] || !SOUND(c, S_TEXT, base + a, z - a)) return -1;
  uint64_t want = k + 1 < c->tblocks ? c->tblock : c->tbytes - k * c->tblock;
  size_t got = ZSTD_decompressDCtx(dc, out, (size_t)want, base + a, (size_t)(z - a));
  return ZSTD_isError(got) || got != want ? -1 : 0;
}

int lx_text_read(const lx_corpus *c, uint32_t d, uint64_t at, uint64_t n, char *out) {
  if (d >= c->ndocs || !c->tcache || at > c->docs[d].size || n > c->docs[d].size - at) return -2;
  lx_tcache *k = c->tcache;
  uint64_t g = c->tdoc[d] + at, end = g + n;
  int rc = 0;
  pthread_mutex_lock(&k->lock);
  while (g < end && rc == 0) {
    uint64_t b = g / c->tblock;
    int slot = -1;
    for (int i = 0; i < SLOTS; i++)
      if (k->block[i] == b) slot = i;
    if (slot < 0) {                      /* the one used longest ago */
      slot = 0;
      for (int i = 1; i < SLOTS; i++)
        if (k->used[i] < k->used[slot]) slot = i;
      k->block[slot] = UINT64_MAX;
      if (decode(c, k->dc, b, k->buf + (size_t)slot * c->tblock)) { rc = -2; break; }
      k->block[slot] = b;
    }
    k->used[slot] = ++k->clock;
    uint64_t from = g - b * c->tblock, take = c->tblock - from < end - g ? c->tblock - from : end - g;
    memcpy(out, k->buf + (size_t)slot * c->tblock + from, (size_t)take);
    out += take;
    g += take;
  }
  pthread_mutex_unlock(&k->lock);
  return rc;
}

/*
** The concordance's text hook for a stored text: an empty mapping the
** size of the document (untouched pages cost nothing), which lx_text_need
** fills block by block; doc->filled has a bit per block of the text that
** the document spans.
*/
int lx_text_open(const lx_corpus *c, uint32_t d, lx_cdoc *doc, char *err, size_t errlen) {
  uint64_t size = c->docs[d].size;
  if (size == 0) { doc->text = ""; doc->len = 0; return 0; }
  uint64_t first = c->tdoc[d] / c->tblock, last = (c->tdoc[d] + size - 1) / c->tblock;
  unsigned char *bits = lx_calloc((size_t)((last - first) / 8 + 1), 1);
  if (!bits) { snprintf(err, errlen, "out of memory"); return -1; }
  void *map = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map == MAP_FAILED) { free(bits); snprintf(err, errlen, "%s: %s", lx_corpus_path(c), strerror(errno)); return -1; }
  doc->text = map;
  doc->len = (size_t)size;
  doc->map = map;
  doc->maplen = (size_t)size;
  doc->filled = bits;
  return 0;
}

int lx_text_need(void *ctx, uint32_t d, lx_cdoc *doc, uint64_t a, uint64_t b) {
  const lx_corpus *c = ctx;
  if (!doc->filled) return 0;
  if (b > doc->len) b = doc->len;
  if (a >= b) return 0;
  uint64_t t0 = c->tdoc[d], first = t0 / c->tblock;
  char *text = doc->map;
  for (uint64_t k = (t0 + a) / c->tblock; k <= (t0 + b - 1) / c->tblock; k++) {
    uint64_t i = k - first;
    if ((doc->filled[i >> 3] >> (i & 7)) & 1) continue;
    /* the part of block k in this document */
    uint64_t g0 = k * c->tblock > t0 ? k * c->tblock : t0;
    uint64_t g1 = (k + 1) * c->tblock < t0 + doc->len ? (k + 1) * c->tblock : t0 + doc->len;
    if (g0 == k * c->tblock && g1 == (k + 1) * c->tblock) {     /* whole: decoded in place */
      pthread_mutex_lock(&c->tcache->lock);
      int rc = decode(c, c->tcache->dc, k, text + (g0 - t0));
      pthread_mutex_unlock(&c->tcache->lock);
      if (rc) return -1;
    } else if (lx_text_read(c, d, g0 - t0, g1 - g0, text + (g0 - t0))) {
      return -1;
    }
    doc->filled[i >> 3] |= (unsigned char)(1u << (i & 7));
  }
  return 0;
}
