/*
** counts.c: the frequency table behind lexis.count and `lexis freq`.
**
** One 32-byte slot per key, open addressing with linear probing over XXH3
** hashes. A key of up to 16 bytes (nearly every word) lives inside its slot
** with its count, so counting a token touches one cache line; longer keys
** go to an arena and the slot keeps their offset. Counting a corpus is
** mostly lookups of keys already there, and the table is the part of the
** data that does not fit in cache: that is why the slot holds everything.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uniwidth.h>
#include <unistr.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "counts.h"

#define INLINE_MAX 16

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

typedef struct slot {
  uint64_t count;        /* 0 once dropped (the key stays) */
  uint32_t tag;          /* the hash's top 32 bits: most mismatches stop here */
  uint32_t lenp1;        /* key length + 1; 0 = empty slot */
  union {
    uint64_t w[2];       /* a short key, zero-padded */
    uint64_t off;        /* a long key's offset in the arena */
  } k;
} slot;

struct lx_counts {
  slot *slot;
  size_t mask;           /* slots - 1 (a power of two) */
  size_t used;           /* slots holding a key */
  char *arena;           /* keys longer than INLINE_MAX */
  size_t alen, acap;
  uint64_t total;        /* tokens counted, dropped keys included */
  size_t types;          /* keys with count > 0 */
};

lx_counts *lx_counts_new(void) {
  lx_counts *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->mask = 1023;
  c->slot = calloc(c->mask + 1, sizeof *c->slot);
  if (!c->slot) {
    free(c);
    return NULL;
  }
  return c;
}

void lx_counts_free(lx_counts *c) {
  if (!c) return;
  free(c->slot);
  free(c->arena);
  free(c);
}

static inline const char *slot_key(const lx_counts *c, const slot *s) {
  return s->lenp1 - 1 <= INLINE_MAX ? (const char *)s->k.w : c->arena + s->k.off;
}

static inline uint64_t hash(const char *key, size_t len) {
  return XXH3_64bits(key, len);
}

/* Doubles the slot array; keys are rehashed from their bytes. */
static int grow(lx_counts *c) {
  size_t nmask = c->mask * 2 + 1;
  slot *ns = calloc(nmask + 1, sizeof *ns);
  if (!ns) return -1;
  for (size_t k = 0; k <= c->mask; k++) {
    const slot *s = &c->slot[k];
    if (!s->lenp1) continue;
    size_t i = (size_t)hash(slot_key(c, s), s->lenp1 - 1) & nmask;
    while (ns[i].lenp1) i = (i + 1) & nmask;
    ns[i] = *s;
  }
  free(c->slot);
  c->slot = ns;
  c->mask = nmask;
  return 0;
}

/*
** The slot holding key, or the empty slot where it would go. w is the key
** zero-padded to 16 bytes when it is short, so a compare is two loads.
*/
static inline slot *find(const lx_counts *c, const char *key, size_t len, uint64_t h,
                         const uint64_t w[2]) {
  uint32_t tag = (uint32_t)(h >> 32), lenp1 = (uint32_t)len + 1;
  size_t i = (size_t)h & c->mask;
  for (;;) {
    slot *s = &c->slot[i];
    if (!s->lenp1) return s;
    if (s->tag == tag && s->lenp1 == lenp1) {
      if (len <= INLINE_MAX ? (s->k.w[0] == w[0] && s->k.w[1] == w[1])
                            : memcmp(c->arena + s->k.off, key, len) == 0)
        return s;
    }
    i = (i + 1) & c->mask;
  }
}

static inline void pad(const char *key, size_t len, uint64_t w[2]) {
  w[0] = w[1] = 0;
  if (len <= INLINE_MAX) memcpy(w, key, len);
}

static int add_hashed(lx_counts *c, const char *key, size_t len, uint64_t h, uint64_t n) {
  uint64_t w[2];
  if (len >= UINT32_MAX) return -1;
  pad(key, len, w);
  slot *s = find(c, key, len, h, w);
  if (!s->lenp1) {
    /* a new key: make room first, so that failure leaves the table as it was */
    if (len > INLINE_MAX && c->alen + len > c->acap) {
      size_t cap = c->acap ? c->acap : 65536;
      while (cap < c->alen + len) cap *= 2;
      char *na = realloc(c->arena, cap);
      if (!na) return -1;
      c->arena = na;
      c->acap = cap;
    }
    if ((c->used + 1) * 10 > (c->mask + 1) * 7) {     /* keep the load under 0.7 */
      if (grow(c) != 0) return -1;
      s = find(c, key, len, h, w);
    }
    s->tag = (uint32_t)(h >> 32);
    s->lenp1 = (uint32_t)len + 1;
    if (len <= INLINE_MAX) {
      s->k.w[0] = w[0];
      s->k.w[1] = w[1];
    } else {
      memcpy(c->arena + c->alen, key, len);
      s->k.off = c->alen;
      c->alen += len;
    }
    c->used++;
  }
  if (s->count == 0 && n > 0) c->types++;
  s->count += n;
  c->total += n;
  return 0;
}

int lx_counts_add(lx_counts *c, const char *key, size_t len, uint64_t n) {
  return add_hashed(c, key, len, hash(key, len), n);
}

/*
** Most lookups of a large vocabulary miss the cache: hash a batch first and
** prefetch each key's slot a few keys ahead, so that the misses overlap
** instead of queueing one after another. The keys come zero-padded to 16
** bytes, so a short key is two loads, not a copy.
*/
int lx_counts_add_padded(lx_counts *c, const char *const *keys, const size_t *lens, size_t n) {
  enum { AHEAD = 12, BATCH = 256 };
  uint64_t h[BATCH];
  for (size_t b = 0; b < n; b += BATCH) {
    size_t m = n - b < BATCH ? n - b : BATCH;
    for (size_t k = 0; k < m; k++) {
      h[k] = hash(keys[b + k], lens[b + k]);
      if (k < AHEAD) PREFETCH(&c->slot[(size_t)h[k] & c->mask]);
    }
    for (size_t k = 0; k < m; k++) {
      if (k + AHEAD < m) PREFETCH(&c->slot[(size_t)h[k + AHEAD] & c->mask]);
      const char *key = keys[b + k];
      size_t len = lens[b + k];
      if (len > INLINE_MAX) {
        if (add_hashed(c, key, len, h[k], 1) != 0) return -1;
        continue;
      }
      uint64_t w[2];
      memcpy(w, key, 16);     /* a fixed-size copy: two loads */
      slot *s = find(c, key, len, h[k], w);
      if (s->lenp1 && s->count) {   /* the common case: a word seen before */
        s->count++;
        c->total++;
      } else if (add_hashed(c, key, len, h[k], 1) != 0) {
        return -1;
      }
    }
  }
  return 0;
}

uint64_t lx_counts_get(const lx_counts *c, const char *key, size_t len) {
  uint64_t w[2];
  if (len >= UINT32_MAX) return 0;
  pad(key, len, w);
  return find(c, key, len, hash(key, len), w)->count;
}

uint64_t lx_counts_drop(lx_counts *c, const char *key, size_t len) {
  uint64_t w[2];
  if (len >= UINT32_MAX) return 0;
  pad(key, len, w);
  slot *s = find(c, key, len, hash(key, len), w);
  uint64_t n = s->count;
  if (n) c->types--;
  s->count = 0;
  return n;
}

int lx_counts_merge(lx_counts *dst, const lx_counts *src) {
  for (size_t k = 0; k <= src->mask; k++) {
    const slot *s = &src->slot[k];
    if (s->count && lx_counts_add(dst, slot_key(src, s), s->lenp1 - 1, s->count) != 0)
      return -1;
  }
  /* the adds counted the kept keys; dropped ones still count in the total */
  uint64_t kept = 0;
  for (size_t k = 0; k <= src->mask; k++) kept += src->slot[k].count;
  dst->total += src->total - kept;
  return 0;
}

uint64_t lx_counts_total(const lx_counts *c) { return c->total; }
size_t lx_counts_types(const lx_counts *c) { return c->types; }
void lx_counts_set_total(lx_counts *c, uint64_t total) { c->total = total; }
size_t lx_counts_size(const lx_counts *c) { return c->mask + 1; }

uint64_t lx_counts_entry(const lx_counts *c, size_t i, const char **key, size_t *len) {
  const slot *s = &c->slot[i];
  if (!s->lenp1) {
    *key = NULL;
    *len = 0;
    return 0;
  }
  *key = slot_key(c, s);
  *len = s->lenp1 - 1;
  return s->count;
}

/* ------------------------------------------------------------ sorting */

/* What the sort compares, gathered so that it touches no other memory. */
typedef struct sortkey {
  uint64_t count;
  const char *key;
  size_t len;
  size_t index;
} sortkey;

/* Negative if a ranks before b: higher count, then smaller key bytes. */
static int rank_cmp(const sortkey *a, const sortkey *b) {
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  size_t m = a->len < b->len ? a->len : b->len;
  int r = memcmp(a->key, b->key, m);
  if (r) return r;
  return (a->len > b->len) - (a->len < b->len);
}

static int qsort_cmp(const void *a, const void *b) {
  return rank_cmp(a, b);
}

/* Heap of the best `limit` so far, the worst at the root. */
static void sift_down(sortkey *h, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, worst = i;
    if (l < n && rank_cmp(&h[l], &h[worst]) > 0) worst = l;
    if (l + 1 < n && rank_cmp(&h[l + 1], &h[worst]) > 0) worst = l + 1;
    if (worst == i) return;
    sortkey t = h[i];
    h[i] = h[worst];
    h[worst] = t;
    i = worst;
  }
}

size_t *lx_counts_sorted(const lx_counts *c, size_t limit, uint64_t min, size_t *n) {
  if (min < 1) min = 1;
  size_t m = 0;
  for (size_t k = 0; k <= c->mask; k++) m += c->slot[k].count >= min;
  *n = 0;
  if (m == 0) return NULL;
  size_t keep = limit && limit < m ? limit : m;
  /* a small top-N takes a heap of N; a long list a full sort */
  size_t cap = keep < m / 4 ? keep : m;
  sortkey *a = malloc(cap * sizeof *a);
  size_t *out = malloc(keep * sizeof *out);
  if (!a || !out) {
    free(a);
    free(out);
    return NULL;
  }
  size_t na = 0;
  for (size_t k = 0; k <= c->mask; k++) {
    const slot *e = &c->slot[k];
    if (e->count < min) continue;
    sortkey sk = { e->count, slot_key(c, e), e->lenp1 - 1, k };
    if (cap == m) {
      a[na++] = sk;
    } else if (na < cap) {
      a[na++] = sk;
      if (na == cap)
        for (size_t i = cap / 2 + 1; i-- > 0;) sift_down(a, cap, i);
    } else if (rank_cmp(&sk, &a[0]) < 0) {
      a[0] = sk;
      sift_down(a, cap, 0);
    }
  }
  qsort(a, na, sizeof *a, qsort_cmp);
  for (size_t k = 0; k < keep; k++) out[k] = a[k].index;
  free(a);
  *n = keep;
  return out;
}

/* ------------------------------------------------------------ output */

/* Columns a key takes on a terminal; its byte length if it is not UTF-8. */
static size_t width(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && (unsigned char)s[i] < 0x80) i++;
  if (i == len) return len;
  if (u8_check((const uint8_t *)s, len) != NULL) return len;
  int w = u8_width((const uint8_t *)s, len, "UTF-8");
  return w < 0 ? len : (size_t)w;
}

static void put_csv(FILE *f, const char *s, size_t len) {
  if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
      !memchr(s, '\r', len)) {
    fwrite(s, 1, len, f);
    return;
  }
  putc('"', f);
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '"') putc('"', f);
    putc(s[i], f);
  }
  putc('"', f);
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void put_json(FILE *f, const char *s, size_t len) {
  const uint8_t *p = (const uint8_t *)s, *end = p + len;
  putc('"', f);
  while (p < end) {
    ucs4_t cp;
    int l = u8_mbtouc(&cp, p, (size_t)(end - p));
    if (cp == 0xFFFD && !(l == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD)) {
      fputs("\\ufffd", f);
    } else if (cp == '"' || cp == '\\') {
      putc('\\', f);
      putc((int)cp, f);
    } else if (cp < 0x20) {
      fprintf(f, "\\u%04x", (unsigned)cp);
    } else {
      fwrite(p, 1, (size_t)l, f);
    }
    p += l;
  }
  putc('"', f);
}

int lx_counts_write(const lx_counts *c, FILE *f, const lx_listopts *o) {
  size_t n;
  size_t *idx = lx_counts_sorted(c, o->limit, o->min, &n);
  if (!idx && n == 0) {
    /* either nothing qualifies or no memory: tell them apart */
    size_t m = 0;
    for (size_t k = 0; k <= c->mask; k++) m += c->slot[k].count >= (o->min ? o->min : 1);
    if (m) return ENOMEM;
  }
  double per = c->total ? 1e6 / (double)c->total : 0;
  int wrank = 4, wword = 4, wcount = 5;
  if (o->format == LX_FMT_TEXT && n) {
    wrank = snprintf(NULL, 0, "%zu", n);
    wcount = snprintf(NULL, 0, "%llu", (unsigned long long)c->slot[idx[0]].count);
    for (size_t k = 0; k < n; k++) {
      const slot *e = &c->slot[idx[k]];
      size_t w = width(slot_key(c, e), e->lenp1 - 1);
      if (w > (size_t)wword) wword = w > 30 ? 30 : (int)w;
    }
    if (wrank < 4) wrank = 4;
    if (wcount < 5) wcount = 5;
  }
  if (o->header) {
    switch (o->format) {
    case LX_FMT_TEXT:
      fprintf(f, "%*s  %-*s  %*s  %s\n", wrank, "rank", wword, "word", wcount, "count", "per_million");
      break;
    case LX_FMT_TSV: fputs("rank\tword\tcount\tper_million\n", f); break;
    case LX_FMT_CSV: fputs("rank,word,count,per_million\n", f); break;
    default: break;
    }
  }
  if (o->format == LX_FMT_JSON) fputs(n ? "[\n" : "[", f);
  for (size_t k = 0; k < n; k++) {
    const slot *e = &c->slot[idx[k]];
    const char *key = slot_key(c, e);
    size_t klen = e->lenp1 - 1;
    unsigned long long cnt = (unsigned long long)e->count;
    double pm = (double)e->count * per;
    switch (o->format) {
    case LX_FMT_TEXT: {
      size_t w = width(key, klen);
      fprintf(f, "%*zu  ", wrank, k + 1);
      fwrite(key, 1, klen, f);
      if (w < (size_t)wword) fwrite("                              ", 1, (size_t)wword - w, f);
      fprintf(f, "  %*llu  %11.2f\n", wcount, cnt, pm);
      break;
    }
    case LX_FMT_TSV:
      fprintf(f, "%zu\t", k + 1);
      fwrite(key, 1, klen, f);
      fprintf(f, "\t%llu\t%.2f\n", cnt, pm);
      break;
    case LX_FMT_CSV:
      fprintf(f, "%zu,", k + 1);
      put_csv(f, key, klen);
      fprintf(f, ",%llu,%.2f\n", cnt, pm);
      break;
    default:
      fprintf(f, "{\"rank\":%zu,\"word\":", k + 1);
      put_json(f, key, klen);
      fprintf(f, ",\"count\":%llu,\"per_million\":%.2f}%s\n", cnt, pm, k + 1 < n ? "," : "");
      break;
    }
  }
  if (o->format == LX_FMT_JSON) fputs("]\n", f);
  free(idx);
  return ferror(f) ? (errno ? errno : EIO) : 0;
}
