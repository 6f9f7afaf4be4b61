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
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <uniwidth.h>
#include <unistr.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "counts.h"
#include "progress.h"
#include "alloc.h"
#include "display.h"
#include "encode.h"
#include "tokenize.h"

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

/* find() reads tag and lenp1 as one 64-bit word */
_Static_assert(offsetof(slot, lenp1) == offsetof(slot, tag) + 4, "tag, lenp1 adjacent");

struct lx_counts {
  slot *slot;
  size_t mask;           /* slots - 1 (a power of two) */
  size_t used;           /* slots holding a key */
  char *arena;           /* keys longer than INLINE_MAX */
  size_t alen, acap;
  uint64_t total;        /* tokens counted, dropped keys included */
  size_t types;          /* keys with count > 0 */
};

/*
** Slot arrays of 4 MiB and more are mapped on their own, 2 MiB-aligned and
** marked for transparent huge pages: lookups land anywhere in the array,
** and with 4 KiB pages a large vocabulary misses the TLB on nearly every
** rare word. Where huge pages are off this is plain zeroed memory.
*/
#define HUGE_MIN (4u << 20)
#define HUGE_ALIGN ((size_t)2 << 20)

static slot *slots_alloc(size_t n) {
  size_t bytes = n * sizeof(slot);
#if defined(MADV_HUGEPAGE)
  if (bytes >= HUGE_MIN) {
    size_t len = bytes + HUGE_ALIGN;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    size_t lead = (HUGE_ALIGN - (uintptr_t)p % HUGE_ALIGN) % HUGE_ALIGN;
    if (lead) munmap(p, lead);
    if (len - lead > bytes) munmap(p + lead + bytes, len - lead - bytes);
    madvise(p + lead, bytes, MADV_HUGEPAGE);
    return (slot *)(void *)(p + lead);
  }
#endif
  return lx_calloc(n, sizeof(slot));
}

static void slots_free(slot *s, size_t n) {
  if (!s) return;
#if defined(MADV_HUGEPAGE)
  if (n * sizeof(slot) >= HUGE_MIN) {
    munmap(s, n * sizeof(slot));
    return;
  }
#endif
  free(s);
}

lx_counts *lx_counts_new(void) {
  lx_counts *c = lx_calloc(1, sizeof *c);
  if (!c) return NULL;
  c->mask = 1023;
  c->slot = slots_alloc(c->mask + 1);
  if (!c->slot) {
    free(c);
    return NULL;
  }
  return c;
}

void lx_counts_free(lx_counts *c) {
  if (!c) return;
  slots_free(c->slot, c->mask + 1);
  free(c->arena);
  free(c);
}

static inline const char *slot_key(const lx_counts *c, const slot *s) {
  return s->lenp1 - 1 <= INLINE_MAX ? (const char *)s->k.w : c->arena + s->k.off;
}

/*
** A key of up to 16 bytes, zero-padded into two words, is hashed by one
** 64x64->128 multiply folded to 64 bits (as XXH3 and wyhash mix) and a final
** avalanche: a dozen instructions, where XXH3 branches on the length first.
** Longer keys take XXH3. The slot index is the low bits, the tag the high.
*/
static inline uint64_t hash16(uint64_t w0, uint64_t w1, uint64_t len) {
  uint64_t a = w0 ^ 0x243F6A8885A308D3ull, b = w1 ^ (0x13198A2E03707344ull + len);
#if defined(__SIZEOF_INT128__)
  unsigned __int128 m = (unsigned __int128)a * b;
  uint64_t h = (uint64_t)m ^ (uint64_t)(m >> 64);
#else
  XXH128_hash_t m = XXH_mult64to128(a, b);
  uint64_t h = m.low64 ^ m.high64;
#endif
  h ^= h >> 37;
  h *= 0x165667919E3779F9ull;
  return h ^ (h >> 32);
}

static inline uint64_t hash(const char *key, size_t len) {
  if (len <= INLINE_MAX) {
    uint64_t w[2] = { 0, 0 };
    memcpy(w, key, len);
    return hash16(w[0], w[1], len);
  }
  return XXH3_64bits(key, len);
}

/* Slots between two looks at Ctrl-C in a merge: a few milliseconds. */
#define MERGE_CHECK ((size_t)1 << 16)

/*
** Rehashes every key into an array of at least `want` slots (a power of
** two, larger than now). Inserting the old slots in order is safe here
** only because the new array is larger: slot k's keys land near k or
** k + old size, so no stretch of the new array is fuller than the old.
** With `stoppable`, Ctrl-C gives up the new array and returns 1: c is as it
** was.
*/
static int resize(lx_counts *c, size_t want, int stoppable) {
  size_t nmask = c->mask;
  while (nmask + 1 < want) nmask = nmask * 2 + 1;
  if (nmask == c->mask) return 0;
  slot *ns = slots_alloc(nmask + 1);
  if (!ns) return -1;
  for (size_t k = 0; k <= c->mask; k++) {
    const slot *s = &c->slot[k];
    if (stoppable && k % MERGE_CHECK == 0 && lx_interrupted()) {
      slots_free(ns, nmask + 1);
      return 1;
    }
    if (!s->lenp1) continue;
    size_t i = (size_t)hash(slot_key(c, s), s->lenp1 - 1) & nmask;
    while (ns[i].lenp1) i = (i + 1) & nmask;
    ns[i] = *s;
  }
  slots_free(c->slot, c->mask + 1);
  c->slot = ns;
  c->mask = nmask;
  return 0;
}

static int grow(lx_counts *c) { return resize(c, (c->mask + 1) * 2, 0); }

/* Makes room for `keys` keys in all under the load limit of 0.7 (a merge:
** Ctrl-C stops it, returning 1). */
static int reserve(lx_counts *c, size_t keys) {
  size_t want = c->mask + 1;
  while (keys > want / 10 * 7) {
    if (want > SIZE_MAX / 2 / sizeof(slot)) return -1;
    want *= 2;
  }
  return resize(c, want, 1);
}

/* Room in the arena for `more` bytes of long keys. */
static int arena_reserve(lx_counts *c, size_t more) {
  if (c->alen + more <= c->acap) return 0;
  if (more > SIZE_MAX / 2 - c->alen) return -1;
  size_t cap = c->acap ? c->acap : 65536;
  while (cap < c->alen + more) cap *= 2;
  char *na = lx_realloc(c->arena, cap);
  if (!na) return -1;
  c->arena = na;
  c->acap = cap;
  return 0;
}

/*
** The slot holding key, or the empty slot where it would go. w is the key
** zero-padded to 16 bytes when it is short, so a compare is two loads.
*/
static inline slot *find(const lx_counts *c, const char *key, size_t len, uint64_t h,
                         const uint64_t w[2]) {
  /* tag and lenp1 side by side: one 64-bit compare, zero only for an empty slot */
  const uint32_t want[2] = { (uint32_t)(h >> 32), (uint32_t)len + 1 };
  uint64_t meta;
  memcpy(&meta, want, 8);
  size_t i = (size_t)h & c->mask;
  if (len <= INLINE_MAX) {
    for (;;) {
      slot *s = &c->slot[i];
      uint64_t m;
      memcpy(&m, &s->tag, 8);
      if (m == meta && s->k.w[0] == w[0] && s->k.w[1] == w[1]) return s;
      if (!m) return s;
      i = (i + 1) & c->mask;
    }
  }
  for (;;) {
    slot *s = &c->slot[i];
    uint64_t m;
    memcpy(&m, &s->tag, 8);
    if (m == meta && memcmp(c->arena + s->k.off, key, len) == 0) return s;
    if (!m) return s;
    i = (i + 1) & c->mask;
  }
}

static inline void pad(const char *key, size_t len, uint64_t w[2]) {
  w[0] = w[1] = 0;
  if (len <= INLINE_MAX) memcpy(w, key, len);
}

/* Fills empty slot s with key (hash h); the caller has made room. */
static void put_key(lx_counts *c, slot *s, const char *key, size_t len, uint64_t h,
                    const uint64_t w[2]) {
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

/*
** Every check comes before the first change, so an error leaves the table
** as it was.
*/
static int add_hashed(lx_counts *c, const char *key, size_t len, uint64_t h, uint64_t n) {
  uint64_t w[2];
  if (len >= UINT32_MAX) return LX_COUNTS_NOMEM;
  pad(key, len, w);
  slot *s = find(c, key, len, h, w);
  if (n > LX_COUNT_MAX - s->count || n > LX_COUNT_MAX - c->total) return LX_COUNTS_OVERFLOW;
  if (!s->lenp1) {
    /* a new key: make room first, so that failure leaves the table as it was */
    if (len > INLINE_MAX && arena_reserve(c, len) != 0) return LX_COUNTS_NOMEM;
    if ((c->used + 1) * 10 > (c->mask + 1) * 7) {     /* keep the load under 0.7 */
      if (grow(c) != 0) return LX_COUNTS_NOMEM;
      s = find(c, key, len, h, w);
    }
    put_key(c, s, key, len, h, w);
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
  int rc;
  for (size_t b = 0; b < n; b += BATCH) {
    size_t m = n - b < BATCH ? n - b : BATCH;
    for (size_t k = 0; k < m; k++) {
      if (lens[b + k] <= INLINE_MAX) {
        uint64_t w[2];
        memcpy(w, keys[b + k], 16);
        h[k] = hash16(w[0], w[1], lens[b + k]);
      } else {
        h[k] = XXH3_64bits(keys[b + k], lens[b + k]);
      }
      if (k < AHEAD) PREFETCH(&c->slot[(size_t)h[k] & c->mask]);
    }
    for (size_t k = 0; k < m; k++) {
      if (k + AHEAD < m) PREFETCH(&c->slot[(size_t)h[k + AHEAD] & c->mask]);
      const char *key = keys[b + k];
      size_t len = lens[b + k];
      if (len > INLINE_MAX) {
        if ((rc = add_hashed(c, key, len, h[k], 1)) != 0) return rc;
        continue;
      }
      uint64_t w[2];
      memcpy(w, key, 16);     /* a fixed-size copy: two loads */
      slot *s = find(c, key, len, h[k], w);
      /* the common case: a word seen before (and far below the limit) */
      if (s->lenp1 && s->count && s->count < LX_COUNT_MAX && c->total < LX_COUNT_MAX) {
        s->count++;
        c->total++;
      } else if ((rc = add_hashed(c, key, len, h[k], 1)) != 0) {
        return rc;
      }
    }
  }
  return 0;
}

/* The same for the kernel's keys, which come padded and with their length. */
int lx_counts_add_keys(lx_counts *c, const lx_shortkey *keys, size_t n) {
  enum { AHEAD = 32, BATCH = 256 };
  uint64_t h[BATCH];
  for (size_t b = 0; b < n; b += BATCH) {
    size_t m = n - b < BATCH ? n - b : BATCH;
    const lx_shortkey *k = keys + b;
    for (size_t q = 0; q < m; q++) {
      h[q] = hash16(k[q].w[0], k[q].w[1], k[q].len);
      if (q < AHEAD) PREFETCH(&c->slot[(size_t)h[q] & c->mask]);
    }
    /* counted in a register: c->total could alias a slot's count for the compiler */
    uint64_t seen = 0;
    /* near the limit every key takes add_hashed, which checks it */
    int near = c->total > LX_COUNT_MAX - BATCH;
    slot *sl = c->slot;
    size_t mask = c->mask;
    for (size_t q = 0; q < m; q++) {
      if (q + AHEAD < m) PREFETCH(&sl[(size_t)h[q + AHEAD] & mask]);
      slot *s = find(c, (const char *)k[q].w, k[q].len, h[q], k[q].w);
      /* a word seen before (an empty slot counts 0), below the limit */
      if (s->count - 1 < LX_COUNT_MAX - 1 && !near) {
        s->count++;
        seen++;
        continue;
      }
      c->total += seen;
      seen = 0;
      int rc = add_hashed(c, (const char *)k[q].w, k[q].len, h[q], 1);
      if (rc) return rc;
      sl = c->slot;            /* it may have grown */
      mask = c->mask;
    }
    c->total += seen;
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

/*
** Two passes over src. The first finds what the merge needs (the new keys,
** their bytes, any count that would pass the limit) and touches nothing,
** so the merge happens whole or not at all; then dst grows once to its
** final size and the second pass adds.
**
** Growing first is what keeps the merge linear. src's slots in order are
** its keys in order of hash, and dst uses the same hash, so the adds sweep
** dst from one end to the other, filling each stretch at once. Were dst
** to grow only when its overall load passed 0.7, the stretch behind the
** sweep would fill past 1 long before that, and every add would walk one
** ever longer run of full slots (10 M distinct words merged from threads
** took minutes). Sized first, no stretch ends fuller than the final load.
*/
int lx_counts_merge(lx_counts *dst, const lx_counts *src, const char **bad, size_t *badlen) {
  size_t fresh = 0, bytes = 0;
  for (size_t k = 0; k <= src->mask; k++) {
    const slot *s = &src->slot[k];
    if (k % MERGE_CHECK == 0 && lx_interrupted()) return LX_COUNTS_INTERRUPTED;   /* dst untouched */
    if (!s->count) continue;
    const char *key = slot_key(src, s);
    size_t len = s->lenp1 - 1;
    uint64_t w[2];
    pad(key, len, w);
    const slot *d = find(dst, key, len, hash(key, len), w);
    if (s->count > LX_COUNT_MAX - d->count) {
      if (bad) *bad = key, *badlen = len;
      return LX_COUNTS_OVERFLOW;
    }
    if (!d->lenp1) {
      fresh++;
      if (len > INLINE_MAX) bytes += len;
    }
  }
  /* after the keys: a word is the more useful thing to name */
  if (src->total > LX_COUNT_MAX - dst->total) {
    if (bad) *bad = NULL, *badlen = 0;
    return LX_COUNTS_OVERFLOW;
  }
  int rr = reserve(dst, dst->used + fresh);
  if (rr > 0) return LX_COUNTS_INTERRUPTED;   /* dst untouched */
  if (rr != 0 || arena_reserve(dst, bytes) != 0)
    return LX_COUNTS_NOMEM;
  for (size_t k = 0; k <= src->mask; k++) {
    const slot *s = &src->slot[k];
    if (k % MERGE_CHECK == 0 && lx_interrupted()) return LX_COUNTS_INTERRUPTED;   /* dst partly merged */
    if (!s->count) continue;
    const char *key = slot_key(src, s);
    size_t len = s->lenp1 - 1;
    uint64_t w[2], h = hash(key, len);
    pad(key, len, w);
    slot *d = find(dst, key, len, h, w);
    if (!d->lenp1) put_key(dst, d, key, len, h, w);
    if (!d->count) dst->types++;
    d->count += s->count;
  }
  /* src's total, dropped keys included */
  dst->total += src->total;
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

/*
** What the sort compares, gathered so that sorting and printing touch no
** other memory: the first 16 bytes of the key as two big-endian numbers
** decide nearly every tie of count with two compares, no call to memcmp,
** and give the bytes of a short key back for printing.
*/
typedef struct sortkey {
  uint64_t count;
  uint64_t pre[2];       /* key bytes 0..15, big-endian, zero-padded */
  const char *key;       /* the key itself: read past byte 16 only */
  uint32_t len;
  uint32_t width;        /* columns on a terminal (see width()) */
  size_t index;          /* its slot */
} sortkey;

static inline uint64_t load_be(const unsigned char *b) {
  return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 |
         (uint64_t)b[3] << 32 | (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
         (uint64_t)b[6] << 8 | b[7];
}

/* Negative if a ranks before b: higher count, then smaller key bytes. */
static inline int rank_cmp(const sortkey *a, const sortkey *b) {
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  if (a->pre[0] != b->pre[0]) return a->pre[0] < b->pre[0] ? -1 : 1;
  if (a->pre[1] != b->pre[1]) return a->pre[1] < b->pre[1] ? -1 : 1;
  size_t m = a->len < b->len ? a->len : b->len;
  int r = m > 16 ? memcmp(a->key + 16, b->key + 16, m - 16) : 0;
  if (r) return r;
  return (a->len > b->len) - (a->len < b->len);
}

/* The bytes of a key, from its sort key when they are all there. */
static inline const char *sk_text(const sortkey *k, char buf[16]) {
  if (k->len > 16) return k->key;
  for (int i = 0; i < 16; i++) buf[i] = (char)(k->pre[i >> 3] >> (56 - 8 * (i & 7)));
  return buf;
}

static size_t width(const char *s, size_t len);

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

/*
** Sorts a[0..n) by rank_cmp: runs of 16 by insertion, then bottom-up merges
** through tmp (n entries). The comparison is inlined, where qsort would
** call through a pointer for each of the n log n compares.
*/
static void sort_keys(sortkey *a, sortkey *tmp, size_t n) {
  enum { RUN = 16 };
  for (size_t lo = 0; lo < n; lo += RUN) {
    size_t hi = lo + RUN < n ? lo + RUN : n;
    for (size_t i = lo + 1; i < hi; i++) {
      sortkey x = a[i];
      size_t j = i;
      while (j > lo && rank_cmp(&x, &a[j - 1]) < 0) {
        a[j] = a[j - 1];
        j--;
      }
      a[j] = x;
    }
  }
  sortkey *src = a, *dst = tmp;
  for (size_t w = RUN; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = rank_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    sortkey *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}

/*
** A long list sorts as small records by radix: the count (negated, so that
** ascending order is the ranking) and the first 8 key bytes make a 128-bit
** number, sorted a byte at a time from the lowest (a pass whose byte is the
** same everywhere, like the top bytes of every count, is skipped). No
** compare, no branch to mispredict. Records whose numbers tie (same count,
** same first 8 bytes) are put in order by rank_cmp afterwards: short runs.
*/
typedef struct ritem {
  uint64_t lo, hi;       /* key bytes 0..7 big-endian, ~count */
  size_t idx;            /* its sort key */
} ritem;

/* Sorts a[0..n) by rank_cmp, using tmp (room for n sort keys). 0, or -1 if out of memory. */
static int sort_long(sortkey *a, sortkey *tmp, size_t n) {
  ritem *r = lx_malloc(2 * n * sizeof *r);
  size_t (*hist)[256] = lx_calloc(16, sizeof *hist);
  if (!r || !hist) {
    free(r);
    free(hist);
    return -1;
  }
  for (size_t k = 0; k < n; k++) {
    r[k] = (ritem){ a[k].pre[0], ~a[k].count, k };
    for (int d = 0; d < 8; d++) {
      hist[d][(r[k].lo >> (8 * d)) & 255]++;
      hist[8 + d][(r[k].hi >> (8 * d)) & 255]++;
    }
  }
  ritem *src = r, *dst = r + n;
  for (int d = 0; d < 16; d++) {
    uint64_t first = d < 8 ? src[0].lo : src[0].hi;
    int shift = 8 * (d & 7);
    if (hist[d][(first >> shift) & 255] == n) continue;    /* one value: nothing to do */
    size_t off[256], sum = 0;
    for (int v = 0; v < 256; v++) {
      off[v] = sum;
      sum += hist[d][v];
    }
    for (size_t k = 0; k < n; k++) {
      uint64_t key = d < 8 ? src[k].lo : src[k].hi;
      dst[off[(key >> shift) & 255]++] = src[k];
    }
    ritem *t = src;
    src = dst;
    dst = t;
  }
  for (size_t k = 0; k < n; k++) tmp[k] = a[src[k].idx];
  /* ties of count and first 8 bytes: a run, sorted by the whole key */
  for (size_t lo = 0; lo < n;) {
    size_t hi = lo + 1;
    while (hi < n && src[hi].lo == src[lo].lo && src[hi].hi == src[lo].hi) hi++;
    for (size_t i = lo + 1; i < hi; i++) {
      sortkey x = tmp[i];
      size_t j = i;
      while (j > lo && rank_cmp(&x, &tmp[j - 1]) < 0) {
        tmp[j] = tmp[j - 1];
        j--;
      }
      tmp[j] = x;
    }
    lo = hi;
  }
  memcpy(a, tmp, n * sizeof *a);
  free(r);
  free(hist);
  return 0;
}

/*
** The entries with count >= max(min, 1), best first, at most limit of them
** (0: all), as a malloced array of *n sort keys; NULL with *n = 0 if out of
** memory or nothing qualifies.
*/
static sortkey *sorted(const lx_counts *c, size_t limit, uint64_t min, int widths, size_t *n) {
  if (min < 1) min = 1;
  size_t m = 0;
  for (size_t k = 0; k <= c->mask; k++) m += c->slot[k].count >= min;
  *n = 0;
  if (m == 0) return NULL;
  size_t keep = limit && limit < m ? limit : m;
  /* a small top-N takes a heap of N; a long list a full sort */
  size_t cap = keep < m / 4 ? keep : m;
  sortkey *a = lx_malloc(2 * cap * sizeof *a);
  if (!a) return NULL;
  size_t na = 0;
  for (size_t k = 0; k <= c->mask; k++) {
    const slot *e = &c->slot[k];
    if (e->count < min) continue;
    const char *key = slot_key(c, e);
    size_t len = e->lenp1 - 1;
    unsigned char b[16] = { 0 };
    memcpy(b, key, len < 16 ? len : 16);
    sortkey sk = { e->count, { load_be(b), load_be(b + 8) }, key, (uint32_t)len, (uint32_t)len, k };
    if (widths && (len > 16 || ((sk.pre[0] | sk.pre[1]) & 0x8080808080808080ull)))
      sk.width = (uint32_t)width(key, len);   /* not all ASCII */
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
  if (na < 4096 || sort_long(a, a + cap, na) != 0) sort_keys(a, a + cap, na);
  *n = keep;
  return a;
}

size_t *lx_counts_sorted(const lx_counts *c, size_t limit, uint64_t min, size_t *n) {
  sortkey *a = sorted(c, limit, min, 0, n);
  if (!a) return NULL;
  size_t *out = lx_malloc(*n * sizeof *out);
  if (out)
    for (size_t k = 0; k < *n; k++) out[k] = a[k].index;
  else
    *n = 0;
  free(a);
  return out;
}

/* ------------------------------------------------------------ output */

/* Columns a key takes on a terminal, as every text table counts them. */
static size_t width(const char *s, size_t len) {
  return lx_display_width(s, len);
}

#define CELL_MAX 40   /* a text cell's widest, as lexis.report cuts it */

/* The list in a format of lx_table (encode.h): tsv, csv, json, jsonl,
** markdown, html. */
static int write_table(const lx_counts *c, const sortkey *a, size_t n, lx_obuf *ob,
                       const lx_listopts *o) {
  static const char *const names[] = { "rank", "word", "count", "per_million" };
  double total = (double)c->total;
  lx_table t;
  lx_table_begin(&t, ob, o->format, 4, names, "isin", o->header, o->title);
  for (size_t k = 0; k < n; k++) {
    char kb[16];
    lx_table_uint(&t, k + 1);
    lx_table_str(&t, sk_text(&a[k], kb), a[k].len);
    lx_table_uint(&t, a[k].count);
    lx_table_num(&t, c->total ? (double)a[k].count * 1e6 / total : 0);
    lx_table_end_row(&t);
  }
  lx_table_end(&t);
  lx_ob_flush(ob);
  return ob->err;
}

/*
** The list as lexis.report writes the same counts (src/encode.c's rules,
** the same columns and widths), byte for byte: rank, word, count,
** per_million. Text: words wider than CELL_MAX columns cut with "…",
** control characters shown as spaces.
*/
int lx_counts_write(const lx_counts *c, FILE *f, const lx_listopts *o) {
  size_t n;
  int fmt = o->format;
  sortkey *a = sorted(c, o->limit, o->min, fmt == LX_FMT_TEXT, &n);
  if (!a && n == 0) {
    /* either nothing qualifies or no memory: tell them apart */
    size_t m = 0;
    for (size_t k = 0; k <= c->mask; k++) m += c->slot[k].count >= (o->min ? o->min : 1);
    if (m) return ENOMEM;
  }
  lx_obuf *ob = lx_malloc(sizeof *ob);
  if (!ob) {
    free(a);
    return ENOMEM;
  }
  ob->f = f;
  ob->n = 0;
  ob->err = 0;
  double total = (double)c->total;
  size_t wrank = 4, wword = 4, wcount = 5, wpm = 11;
  if (fmt == LX_FMT_TEXT && n) {
    char t[LX_NUM_MAX];
    wrank = lx_enc_uint(t, n) > wrank ? lx_enc_uint(t, n) : wrank;
    size_t k0 = lx_enc_uint(t, a[0].count);
    if (k0 > wcount) wcount = k0;
    uint64_t last = UINT64_MAX;           /* rows of one count share their figure */
    for (size_t k = 0; k < n; k++) {
      if (a[k].width > wword) wword = a[k].width > CELL_MAX ? CELL_MAX : a[k].width;
      if (a[k].count == last) continue;
      last = a[k].count;
      size_t l = lx_enc_num(fmt, t, c->total ? (double)a[k].count * 1e6 / total : 0);
      if (l > wpm) wpm = l;
    }
  }
  if (fmt != LX_FMT_TEXT) {
    int rc = write_table(c, a, n, ob, o);
    free(ob);
    free(a);
    return rc ? rc : ferror(f) ? (errno ? errno : EIO) : 0;
  }
  if (o->header) {
    const lx_tcell head[] = { { "rank", 4, 4, wrank, 0 }, { "word", 4, 4, wword, 1 },
                              { "count", 5, 5, wcount, 0 }, { "per_million", 11, 11, wpm, 0 } };
    lx_ob_text_row(ob, head, 4);
  }
  char pms[LX_NUM_MAX];                   /* the figure of the last count, formatted once */
  size_t pml = 0;
  uint64_t pmc = UINT64_MAX;
  for (size_t k = 0; k < n; k++) {
    char kb[16];
    const char *key = sk_text(&a[k], kb);
    size_t klen = a[k].len;
    uint64_t cnt = a[k].count;
    if (cnt != pmc) {
      pmc = cnt;
      pml = lx_enc_num(fmt, pms, c->total ? (double)cnt * 1e6 / total : 0);
    }
    char rk[24], cn[24];
    const lx_tcell row[] = { { rk, lx_enc_uint(rk, k + 1), 0, wrank, 0 }, { key, klen, a[k].width, wword, 1 },
                             { cn, lx_enc_uint(cn, cnt), 0, wcount, 0 }, { pms, pml, 0, wpm, 0 } };
    lx_ob_text_row(ob, row, 4);
  }
  lx_ob_flush(ob);
  int err = ob->err;
  free(ob);
  free(a);
  if (err) return err;
  return ferror(f) ? (errno ? errno : EIO) : 0;
}
