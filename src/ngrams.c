/*
** ngrams.c: the n-gram counter over a word reader's ids (wordreader.c).
**
** N-grams are counted by sorting packed keys while the ids fit in 64/n
** bits, in a hash table beyond (see "n-grams" below); a large file is
** counted on several threads (see "threads").
*/
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "chunks.h"
#include "ngrams.h"
#include "wordreader_int.h"

/* ================================================================ n-grams */

/*
** Two ways to count. While every word id fits in W = 64/n bits, an n-gram
** is one packed 64-bit key (the first word in the high bits, so numeric
** order is the words' order, whatever W) and counting is sorting: keys go
** to a buffer as they come, and a full buffer is radix-sorted, run-length
** counted and merged into one sorted run of distinct n-grams. Every access
** is sequential, so no cache miss waits per n-gram, and the runs of two
** threads merge in a linear pass. When an id outgrows W (long n-grams over a
** large vocabulary), the run moves into the hash table below and counting
** goes on there: a slot probe per n-gram, misses overlapped by prefetching.
*/

/* One distinct n-gram in the sorted run. */
typedef struct pkent {
  uint64_t key;            /* the packed word ids */
  uint64_t cnt;
  uint32_t range;          /* texts that hold it */
  uint32_t last;           /* the last of them */
} pkent;

/* Occurrences buffered before they are sorted into the run: as many as
** the run has entries (each merge rewrites the run, so its cost per key
** stays bounded), within these limits. 16 bytes each (the keys and the
** sort's scratch), 8 more when the buffer holds several texts. */
#define KEYS_MIN (1u << 23)
#define KEYS_MAX (1u << 24)
#define FIRST_HERE 0x80000000u  /* a fresh entry occurs in the buffer's first text */

struct lx_ngrams {
  lx_wreader *r;
  int n;
  uint32_t contains;       /* LX_NOID: every n-gram */
  int at;                  /* -1: anywhere */
  lx_query *filter;        /* or this: listed n-grams hold a word it matches (at `fat`) */
  int fat;                 /* -1: anywhere */
  uint8_t *want;           /* per word id: matches the filter (made by lx_ngrams_sorted) */
  char err[256];           /* why the filter failed (PCRE2's limits), or "" */
  uint32_t hist[LX_NGRAM_MAX];  /* the segment's last n-1 ids */
  int hlen;                /* how many of hist hold ids */
  uint32_t win[NIDS + LX_NGRAM_MAX];  /* hist and a batch of ids */
  uint64_t hh[NIDS];       /* hash of each wanted window */
  uint32_t pos[NIDS];      /* where each wanted window starts in win */
  uint32_t doc;            /* the text being read, for range */
  uint64_t total;
  int oom;
  /* packed counting (while packed): */
  int packed;
  int w;                   /* bits per id in a key */
  uint32_t idlimit;        /* ids below this fit (0: all) */
  uint64_t *bk, *bkt;      /* buffered keys, and the sort's scratch */
  uint32_t *bd, *bdt;      /* their texts, once the buffer holds two */
  size_t bn, bcap;
  uint32_t bdoc;           /* the text of the buffer's first key */
  int bmulti;
  int bsorted;             /* sorted and counted (pk_compress), not merged yet */
  size_t kmin, kmax;       /* bounds of the buffer (KEYS_MIN, KEYS_MAX) */
  pkent *run;              /* distinct n-grams, ascending keys */
  size_t nrun, runcap;
  /* hashed counting (once not packed): entries of `stride` bytes (ngent),
  ** so a probe that finds its key also finds its count */
  unsigned char *ents;
  size_t stride;
  size_t nent, cap;
  uint64_t *slots;         /* hash tag << 32 | entry + 1; 0 empty */
  size_t nslots;
  /* the first and last n-1 ids of the text, to join the counts of two
  ** ranges of one file (lx_ngrams_file) */
  uint32_t head[LX_NGRAM_MAX], tail[LX_NGRAM_MAX];
  int nhead, ntail, head_done;
  uint64_t segwords;       /* words in the segment being read */
  uint64_t nseg;           /* segments of the text that held words */
};

/* One distinct n-gram in the hash table. */
typedef struct ngent {
  uint64_t cnt;
  uint32_t last;           /* last text that counted it, + 1 */
  uint32_t range;          /* texts that hold it */
  uint32_t key[];          /* its n word ids */
} ngent;

static inline ngent *ent(const lx_ngrams *g, size_t e) {
  return (ngent *)(g->ents + e * g->stride);
}

/* ---------------------------------------------------------------- packed keys */

static inline uint64_t pack(const lx_ngrams *g, const uint32_t *ids) {
  uint64_t k = 0;
  for (int i = 0; i < g->n; i++) k = k << g->w | ids[i];
  return k;
}

static inline void unpack(const lx_ngrams *g, uint64_t k, uint32_t *ids) {
  uint64_t mask = g->w == 64 ? ~0ull : (1ull << g->w) - 1;
  for (int i = g->n - 1; i >= 0; i--, k >>= g->w) ids[i] = (uint32_t)(k & mask);
}

/*
** LSD radix sort of k[0..n) by 10-bit digits, carrying p (may be NULL)
** along; stable, so a key's texts stay in reading order. Digits above the
** highest bit in use, and digits that every key shares, take no pass.
** Returns 1 when the sorted data ended in the scratch arrays kt, pt.
*/
#define RADIX_BITS 10   /* 1024 buckets: measured faster than 11 or 8 bits per pass here */
#define RADIX (1u << RADIX_BITS)
static int radix_sort(uint64_t *k, uint64_t *kt, uint32_t *p, uint32_t *pt, size_t n) {
  uint64_t all = 0;
  for (size_t i = 0; i < n; i++) all |= k[i];
  int bits = all ? 64 - __builtin_clzll(all) : 0;
  int passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
  if (passes == 0 || n < 2) return 0;
  size_t (*cnt)[RADIX] = lx_calloc((size_t)passes, sizeof *cnt);
  if (!cnt) return -1;
  for (size_t i = 0; i < n; i++) {
    uint64_t x = k[i];
    for (int q = 0; q < passes; q++, x >>= RADIX_BITS) cnt[q][x & (RADIX - 1)]++;
  }
  int flipped = 0;
  for (int q = 0; q < passes; q++) {
    int shift = q * RADIX_BITS;
    size_t *c = cnt[q];
    if (c[(k[0] >> shift) & (RADIX - 1)] == n) continue;   /* one digit for all */
    size_t sum = 0;
    for (size_t d = 0; d < RADIX; d++) {
      size_t t = c[d];
      c[d] = sum;
      sum += t;
    }
    if (p) {
      for (size_t i = 0; i < n; i++) {
        size_t o = c[(k[i] >> shift) & (RADIX - 1)]++;
        kt[o] = k[i];
        pt[o] = p[i];
      }
      uint32_t *tp = p; p = pt; pt = tp;
    } else {
      for (size_t i = 0; i < n; i++) kt[c[(k[i] >> shift) & (RADIX - 1)]++] = k[i];
    }
    uint64_t *tk = k; k = kt; kt = tk;
    flipped ^= 1;
  }
  free(cnt);
  return flipped;
}

/*
** The big arrays (the key buffer, the run) are mappings of their own, grown
** by mremap, which moves page tables instead of copying bytes: with realloc,
** copying took a tenth of the time. (Huge pages were tried: with the
** kernel's direct compaction they cost more system time than they saved.)
** Sizes in bytes; 0 frees.
*/
static inline size_t page_round(size_t n) {
  return (n + 4095) & ~(size_t)4095;
}

/* ThreadSanitizer does not follow mremap: memory that moves keeps the
** shadow state of whoever had the addresses before, and shows up as races
** that are not. Under it, the big arrays are plain heap memory. */
#if defined(__SANITIZE_THREAD__)
#define BIG_HEAP 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BIG_HEAP 1
#endif
#endif

static void *big_resize(void *p, size_t old, size_t bytes) {
#ifdef BIG_HEAP
  (void)old;
  if (bytes == 0) {
    free(p);
    return NULL;
  }
  return lx_realloc(p, bytes);
#else
  old = page_round(old), bytes = page_round(bytes);
  if (bytes == 0) {
    if (p) munmap(p, old);
    return NULL;
  }
  void *q = p ? mremap(p, old, bytes, MREMAP_MAYMOVE)
              : mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (q == MAP_FAILED) return NULL;
  return q;
#endif
}

static int run_reserve(lx_ngrams *g, size_t more) {
  if (g->nrun + more <= g->runcap) return 0;
  size_t cap = g->runcap ? g->runcap : 1024;
  while (cap < g->nrun + more) cap *= 2;
  pkent *r = big_resize(g->run, g->runcap * sizeof *r, cap * sizeof *r);
  if (!r) return -1;
  g->run = r;
  g->runcap = cap;
  return 0;
}

/*
** Distinct n-grams to merge into the run, in ascending key order: either
** arrays (keys k, counts c, ranges rg marked FIRST_HERE, last texts ls; rg
** NULL: each in one text, `doc`; ls NULL: last text `doc`), or the run of
** another counter whose entries all lie in text `doc`.
*/
typedef struct pksrc {
  const uint64_t *k, *c;
  const uint32_t *rg, *ls;
  const pkent *run;
  uint32_t doc;
} pksrc;

static inline pkent src_get(const pksrc *s, size_t b) {
  if (s->run) {
    pkent e = s->run[b];
    e.range |= FIRST_HERE;
    return e;
  }
  return (pkent){ s->k[b], s->c[b], s->rg ? s->rg[b] : 1u | FIRST_HERE, s->ls ? s->ls[b] : s->doc };
}

static inline uint64_t src_key(const pksrc *s, size_t b) {
  return s->run ? s->run[b].key : s->k[b];
}

/*
** Merges m entries of src into the run, from the back so no second array is
** needed: a first pass counts the keys on both sides, so the run grows by
** exactly the new ones and the merge ends where the untouched head of the
** run begins (no pages touched beyond the result, nothing to move after).
** An n-gram counted in text d0 on both sides (the text in progress where
** one part of the count stopped and the other began) counts that text once
** in its range.
*/
static int run_merge(lx_ngrams *g, const pksrc *src, size_t m, uint32_t d0) {
  size_t both = 0;
  for (size_t i = 0, b = 0; i < g->nrun && b < m;) {
    uint64_t x = g->run[i].key, y = src_key(src, b);
    both += x == y;
    i += x <= y;
    b += y <= x;
  }
  if (run_reserve(g, m - both)) return -1;
  pkent *run = g->run;
  ptrdiff_t i = (ptrdiff_t)g->nrun - 1, b = (ptrdiff_t)m - 1, o = (ptrdiff_t)(g->nrun + m - both) - 1;
  while (b >= 0) {
    pkent x = src_get(src, (size_t)b);
    if (i >= 0 && run[i].key > x.key) {
      run[o--] = run[i--];
      continue;
    }
    uint32_t here = x.range & FIRST_HERE;
    x.range &= ~FIRST_HERE;
    if (i >= 0 && run[i].key == x.key) {
      const pkent *e = &run[i--];
      x.cnt += e->cnt;
      x.range += e->range - (e->last == d0 && here);
    }
    run[o--] = x;
    b--;
  }
  g->nrun += m - both;   /* o == i here: run[0..i] stayed where they were */
  return 0;
}

/*
** Sorts the buffer and counts each key's occurrences and texts, in place:
** distinct keys into bk, counts into bkt, ranges into bdt, last texts into
** bd (each written at or before where it is read). bn becomes the number of
** distinct keys, and the buffer waits, sorted, to be merged.
*/
static int pk_compress(lx_ngrams *g) {
  if (g->bsorted) return 0;
  int fl = radix_sort(g->bk, g->bkt, g->bmulti ? g->bd : NULL, g->bmulti ? g->bdt : NULL, g->bn);
  if (fl < 0) return -1;
  if (fl) {
    uint64_t *t = g->bk; g->bk = g->bkt; g->bkt = t;
    uint32_t *u = g->bd; g->bd = g->bdt; g->bdt = u;
  }
  const uint64_t *k = g->bk;
  uint64_t *ko = g->bk, *co = g->bkt;
  size_t m = 0;
  for (size_t i = 0; i < g->bn;) {
    uint64_t key = k[i];
    size_t j = i;
    if (g->bmulti) {
      uint32_t first = g->bd[i], last = first, range = 1;
      for (; j < g->bn && k[j] == key; j++)
        if (g->bd[j] != last) last = g->bd[j], range++;
      g->bdt[m] = range | (first == g->bdoc ? FIRST_HERE : 0);
      g->bd[m] = last;
    } else {
      while (j < g->bn && k[j] == key) j++;
    }
    ko[m] = key;
    co[m] = j - i;
    m++;
    i = j;
  }
  g->bn = m;
  g->bsorted = 1;
  return 0;
}

/* The sorted buffer as a source for run_merge. */
static pksrc buffer_src(const lx_ngrams *g) {
  return (pksrc){ g->bk, g->bkt, g->bmulti ? g->bdt : NULL, g->bmulti ? g->bd : NULL, NULL, g->bdoc };
}

/* Brings the buffer into the run. */
static int pk_settle(lx_ngrams *g) {
  if (g->bn == 0) return 0;
  if (pk_compress(g)) return -1;
  pksrc src = buffer_src(g);
  int rc = run_merge(g, &src, g->bn, g->bdoc);
  g->bn = 0;
  g->bmulti = g->bsorted = 0;
  return rc;
}

static int pk_push(lx_ngrams *g, uint64_t key) {
  if (g->bsorted && pk_settle(g)) return -1;
  if (g->bn == g->bcap) {
    size_t limit = g->nrun < g->kmin ? g->kmin : g->nrun > g->kmax ? g->kmax : g->nrun;
    if (g->bcap >= limit) {
      if (pk_settle(g)) return -1;
    } else {
      size_t cap = g->bcap ? g->bcap * 2 : 1u << 16;
      if (cap > limit) cap = limit;
      /* each array is either grown or left as it was */
      uint64_t *a = big_resize(g->bk, g->bcap * 8, cap * 8);
      if (!a) return -1;
      g->bk = a;
      uint64_t *b = big_resize(g->bkt, g->bcap * 8, cap * 8);
      if (!b) { g->bk = big_resize(a, cap * 8, g->bcap * 8); return -1; }
      g->bkt = b;
      if (g->bd) {
        uint32_t *c = big_resize(g->bd, g->bcap * 4, cap * 4);
        uint32_t *d = c ? big_resize(g->bdt, g->bcap * 4, cap * 4) : NULL;
        if (!c || !d) {   /* give everything back: the buffer is only full */
          if (c) g->bd = big_resize(c, cap * 4, g->bcap * 4);
          g->bk = big_resize(a, cap * 8, g->bcap * 8);
          g->bkt = big_resize(b, cap * 8, g->bcap * 8);
          return -1;
        }
        g->bd = c, g->bdt = d;
      }
      g->bcap = cap;
    }
  }
  if (g->bn == 0) g->bdoc = g->doc;
  if (g->doc != g->bdoc && !g->bmulti) {
    /* a second text in the buffer: from now on each key keeps its text */
    if (!g->bd) {
      g->bd = big_resize(NULL, 0, g->bcap * 4);
      g->bdt = g->bd ? big_resize(NULL, 0, g->bcap * 4) : NULL;
      if (!g->bd || !g->bdt) {
        g->bd = big_resize(g->bd, g->bcap * 4, 0);
        return -1;
      }
    }
    for (size_t i = 0; i < g->bn; i++) g->bd[i] = g->bdoc;
    g->bmulti = 1;
  }
  if (g->bmulti) g->bd[g->bn] = g->doc;
  g->bk[g->bn++] = key;
  return 0;
}

static void free_packed(lx_ngrams *g) {
  big_resize(g->run, g->runcap * sizeof *g->run, 0);
  big_resize(g->bk, g->bcap * 8, 0), big_resize(g->bkt, g->bcap * 8, 0);
  if (g->bd) big_resize(g->bd, g->bcap * 4, 0), big_resize(g->bdt, g->bcap * 4, 0);
  g->run = NULL, g->nrun = g->runcap = 0;
  g->bk = g->bkt = NULL, g->bd = g->bdt = NULL, g->bcap = g->bn = 0;
}

/* ---------------------------------------------------------------- hashed */

/* Hash of n ids: multiply-xorshift per id, finished by a murmur mix. */
static uint64_t hash_ids(const uint32_t *k, int n) {
  uint64_t h = 0x9E3779B97F4A7C15u * (uint64_t)(n + 1);
  for (int i = 0; i < n; i++) {
    h ^= k[i];
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 31;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDu;
  h ^= h >> 33;
  return h;
}

static int ng_grow_slots(lx_ngrams *g) {
  size_t n = g->nslots ? g->nslots * 4 : 1 << 16;
  uint64_t *s = lx_zalloc(n, sizeof *s);
  if (!s) return -1;
  /* Hashes run RH ahead of their stores, whose slots are prefetched. */
  enum { RH = 16 };
  uint64_t hs[RH];
  for (size_t e = 0; e < g->nent + RH; e++) {
    if (e >= RH) {
      uint64_t h = hs[e % RH];
      size_t i = (size_t)h & (n - 1);
      while (s[i]) i = (i + 1) & (n - 1);
      s[i] = (h & 0xFFFFFFFF00000000u) | (e - RH + 1);
    }
    if (e < g->nent) {
      hs[e % RH] = hash_ids(ent(g, e)->key, g->n);
      __builtin_prefetch(&s[hs[e % RH] & (n - 1)], 1);
    }
  }
  free(g->slots);
  g->slots = s;
  g->nslots = n;
  return 0;
}

static int ng_grow_entries(lx_ngrams *g) {
  size_t cap = g->cap ? g->cap * 2 : 4096;
  unsigned char *e = lx_realloc(g->ents, cap * g->stride);
  if (!e) return -1;
  g->ents = e;
  g->cap = cap;
  return 0;
}

/* The entry of key (hash h), made with count 0 if new (*fresh = 1); NULL
** if out of memory. */
static ngent *ng_find(lx_ngrams *g, const uint32_t *key, uint64_t h, int *fresh) {
  int n = g->n;
  uint64_t tag = h & 0xFFFFFFFF00000000u;
  size_t mask = g->nslots - 1, i = (size_t)h & mask;
  *fresh = 0;
  for (;;) {
    uint64_t v = g->slots[i];
    if (v == 0) break;
    if ((v & 0xFFFFFFFF00000000u) == tag) {
      ngent *x = ent(g, (uint32_t)v - 1);
      int same = 1;
      for (int q = 0; q < n; q++) same &= x->key[q] == key[q];
      if (same) return x;
    }
    i = (i + 1) & mask;
  }
  if (g->nent == g->cap && ng_grow_entries(g)) return NULL;
  if (g->nent >= UINT32_MAX - 1) return NULL;
  size_t e = g->nent++;
  ngent *x = ent(g, e);
  memcpy(x->key, key, (size_t)n * sizeof *key);
  x->cnt = 0;
  x->last = 0;
  x->range = 0;
  g->slots[i] = tag | (e + 1);
  *fresh = 1;
  if (g->nent * 2 > g->nslots) {
    if (ng_grow_slots(g)) return NULL;
    x = ent(g, e);
  }
  return x;
}

/* Counts the n-gram key whose hash is h. */
static int ng_add(lx_ngrams *g, const uint32_t *key, uint64_t h) {
  int fresh;
  ngent *x = ng_find(g, key, h, &fresh);
  if (!x) return -1;
  x->cnt++;
  if (x->last != g->doc + 1) x->last = g->doc + 1, x->range++;
  return 0;
}

/* Leaves packed counting: the run moves into the hash table. */
static int to_hashed(lx_ngrams *g) {
  if (!g->packed) return 0;
  if (pk_settle(g)) return -1;
  if ((!g->slots && ng_grow_slots(g)) || (!g->ents && ng_grow_entries(g))) return -1;
  uint32_t key[LX_NGRAM_MAX];
  for (size_t e = 0; e < g->nrun; e++) {
    const pkent *p = &g->run[e];
    unpack(g, p->key, key);
    int fresh;
    ngent *x = ng_find(g, key, hash_ids(key, g->n), &fresh);
    if (!x) return -1;
    x->cnt = p->cnt, x->range = p->range, x->last = p->last + 1;
  }
  free_packed(g);
  g->packed = 0;
  return 0;
}

/* Counts one n-gram, whichever way g counts. */
static int ng_count(lx_ngrams *g, const uint32_t *key) {
  if (g->packed) {
    int fits = 1;
    for (int q = 0; q < g->n; q++) fits &= !g->idlimit || key[q] < g->idlimit;
    if (fits) {
      g->total++;
      return pk_push(g, pack(g, key));
    }
    if (to_hashed(g)) return -1;
  }
  g->total++;
  return ng_add(g, key, hash_ids(key, g->n));
}

static int ng_wanted(const lx_ngrams *g, const uint32_t *key) {
  if (g->contains == LX_NOID) return 1;
  if (g->at >= 0) return key[g->at] == g->contains;
  for (int i = 0; i < g->n; i++)
    if (key[i] == g->contains) return 1;
  return 0;
}

#define AHEAD 12   /* n-grams between a slot's prefetch and its probe */

/*
** A batch of ids: the segment's last n-1 ids and the batch side by side in
** win. Packed, each wanted window's key goes to the buffer. Hashed, the hash
** of every window comes first, then the probes, each slot prefetched AHEAD
** windows early and the entry it names AHEAD/2 early, so the cache misses of
** a large table overlap instead of queueing.
*/
static int ng_batch(lx_ngrams *g, const uint32_t *ids, size_t count) {
  int n = g->n;
  g->segwords += count;
  for (size_t j = 0; !g->head_done && g->nhead < n - 1 && j < count; j++) g->head[g->nhead++] = ids[j];
  size_t w = (size_t)g->hlen;
  memcpy(g->win, g->hist, w * sizeof *g->win);
  memcpy(g->win + w, ids, count * sizeof *ids);
  w += count;
  size_t m = w >= (size_t)n ? w - (size_t)n + 1 : 0;   /* windows */
  if (g->packed && g->idlimit) {
    uint32_t top = 0;
    for (size_t j = 0; j < count; j++) top = ids[j] > top ? ids[j] : top;
    if (top >= g->idlimit && to_hashed(g)) goto oom;
  }
  if (g->packed) {
    for (size_t j = 0; j < m; j++) {
      if (!ng_wanted(g, g->win + j)) continue;
      g->total++;
      if (pk_push(g, pack(g, g->win + j))) goto oom;
    }
  } else {
    size_t q = 0;
    for (size_t j = 0; j < m; j++)
      if (ng_wanted(g, g->win + j)) g->pos[q] = (uint32_t)j, g->hh[q++] = hash_ids(g->win + j, n);
    for (size_t j = 0; j < q; j++) {
      if (j + AHEAD < q) __builtin_prefetch(&g->slots[g->hh[j + AHEAD] & (g->nslots - 1)]);
      if (j + AHEAD / 2 < q) {
        uint64_t v = g->slots[g->hh[j + AHEAD / 2] & (g->nslots - 1)];
        if (v) __builtin_prefetch(ent(g, (uint32_t)v - 1), 1);
      }
      g->total++;
      if (ng_add(g, g->win + g->pos[j], g->hh[j])) goto oom;
    }
  }
  /* Keep the last n-1 ids of the segment for the next batch. */
  size_t keep = w < (size_t)n - 1 ? w : (size_t)n - 1;
  memcpy(g->hist, g->win + w - keep, keep * sizeof *g->hist);
  g->hlen = (int)keep;
  return 0;
oom:
  g->oom = 1;
  return -1;
}

static int ng_words(void *ud, const uint32_t *ids, size_t count) {
  for (size_t done = 0; done < count; done += NIDS) {
    size_t k = count - done < NIDS ? count - done : NIDS;
    if (ng_batch(ud, ids + done, k)) return -1;
  }
  return 0;
}

/* A segment with no words (a text's end after its last sentence) leaves
** the head and tail as they are. */
static void ng_end(void *ud) {
  lx_ngrams *g = ud;
  if (g->segwords) {
    memcpy(g->tail, g->hist, (size_t)g->hlen * sizeof *g->hist);
    g->ntail = g->hlen;
    g->head_done = 1;
    g->nseg++;
  }
  g->segwords = 0;
  g->hlen = 0;
}

static void ng_doc(void *ud, uint32_t doc) {
  lx_ngrams *g = ud;
  g->doc = doc;
  g->hlen = 0;
  g->nhead = g->ntail = g->head_done = 0;
  g->segwords = g->nseg = 0;
}

lx_ngrams *lx_ngrams_new(lx_wreader *r, int n, uint32_t contains, int at) {
  if (n < 2 || n > LX_NGRAM_MAX) return NULL;
  lx_ngrams *g = lx_calloc(1, sizeof *g);
  if (!g) return NULL;
  g->r = r, g->n = n, g->contains = contains, g->at = at < n ? at : -1;
  g->stride = (sizeof(ngent) + (size_t)n * sizeof(uint32_t) + 7) & ~(size_t)7;
  g->packed = 1;
  g->w = 64 / n;
  g->idlimit = g->w >= 32 ? 0 : 1u << g->w;
  g->kmin = KEYS_MIN, g->kmax = KEYS_MAX;
  return g;
}

void lx_ngrams_buffer(lx_ngrams *g, size_t keys) {
  if (keys < 1) keys = 1;
  g->kmin = g->kmax = keys;
}

void lx_ngrams_free(lx_ngrams *g) {
  if (!g) return;
  free_packed(g);
  free(g->ents);
  free(g->slots);
  lx_query_free(g->filter);
  free(g->want);
  free(g);
}

int lx_ngrams_filter(lx_ngrams *g, lx_query *q, int at) {
  if (g->filter || q->n != 1) {
    lx_query_free(q);
    return -1;
  }
  g->filter = q;
  g->fat = at < g->n ? at : -1;
  return 0;
}

/* The filter's verdict on every word id, once the counts are complete. */
static int make_want(lx_ngrams *g) {
  const lx_lex *lex = lx_wreader_lex(g->r);
  free(g->want);
  if (!(g->want = lx_malloc((size_t)lex->n + 1))) return -1;
  for (uint32_t id = 0; id < lex->n; id++) {
    if ((id & 0xFFFF) == 0 && lx_interrupted()) return -1;   /* a regex over millions of words */
    size_t len;
    const char *w = lx_lex_str(lex, id, &len);
    int r = lx_query_word(g->filter, 0, w, len);
    if (r < -1) lx_word_failure(g->filter, 0, r, w, len, g->err, sizeof g->err);   /* PCRE2's limits: say so */
    if (r < 0) return -1;              /* -1: memory */
    g->want[id] = (uint8_t)r;
  }
  return 0;
}

/* Is entry e listed (no filter, or it holds a word the filter matches)? */
static int entry_wanted(const lx_ngrams *g, size_t e) {
  if (!g->filter) return 1;
  uint32_t key[LX_NGRAM_MAX];
  lx_ngrams_key(g, e, key);
  if (g->fat >= 0) return g->want[key[g->fat]];
  for (int i = 0; i < g->n; i++)
    if (g->want[key[i]]) return 1;
  return 0;
}

lx_wsink lx_ngrams_sink(lx_ngrams *g) {
  return (lx_wsink){ ng_words, ng_end, ng_doc, g };
}

int lx_ngrams_settle(lx_ngrams *g) {
  if (g->packed && pk_settle(g)) g->oom = 1;
  return g->oom ? -1 : 0;
}

const char *lx_ngrams_error(const lx_ngrams *g) { return g->err[0] ? g->err : NULL; }

size_t lx_ngrams_types(const lx_ngrams *g) { return g->packed ? g->nrun : g->nent; }
uint64_t lx_ngrams_total(const lx_ngrams *g) { return g->total; }
void lx_ngrams_key(const lx_ngrams *g, size_t i, uint32_t *ids) {
  if (g->packed) unpack(g, g->run[i].key, ids);
  else memcpy(ids, ent(g, i)->key, (size_t)g->n * sizeof *ids);
}
uint64_t lx_ngrams_count(const lx_ngrams *g, size_t i) {
  return g->packed ? g->run[i].cnt : ent(g, i)->cnt;
}
uint32_t lx_ngrams_range(const lx_ngrams *g, size_t i) {
  return g->packed ? g->run[i].range : ent(g, i)->range;
}
int lx_ngrams_n(const lx_ngrams *g) { return g->n; }
uint64_t lx_ngrams_edges(const lx_ngrams *g, const uint32_t **head, int *nhead,
                         const uint32_t **tail, int *ntail) {
  *head = g->head, *nhead = g->nhead, *tail = g->tail, *ntail = g->ntail;
  return g->nseg;
}
lx_wreader *lx_ngrams_reader(const lx_ngrams *g) { return g->r; }

/* ---------------------------------------------------------------- threads */

/*
** A large file is cut into ranges, each counted by its own reader and
** counter on its own thread; range 0 by g's own. The other counts are then
** merged into g (all readers number words in g's lexicon). Cuts fall after a
** blank line when counting within sentences (a blank line ends a sentence,
** so no sentence spans a cut), else after any newline (UAX #29 breaks after
** LF and looks back across none); then the n-grams that span a cut are
** made from the last n-1 ids before it and the first n-1 after it.
*/
#define PART_MIN (4u << 20)   /* bytes per range, at least */
#define MAXPARTS 16

typedef struct ngpart {
  lx_wreader *r;
  lx_ngrams *g;
  int fd;
  uint64_t from, to;
  int first;               /* the range of g itself */
  int rc;
} ngpart;

/* Reads a range and sorts its counts; merge_part merges them into g, whose
** own range (the first) is settled into its run first, as they follow it. */
static void *part_main(void *arg) {
  ngpart *p = arg;
  p->rc = lx_wreader_range(p->r, NULL, p->fd, p->from, p->to);
  if (!p->rc && p->g->packed && (p->first ? pk_settle(p->g) : pk_compress(p->g))) p->g->oom = 1;
  if (!p->rc && p->g->oom) p->rc = ENOMEM;
  return NULL;
}

/* Where a range may end: after a blank line (within sentences), or after
** any newline. */
static size_t after_blank_line(const char *s, size_t n) {
  for (size_t i = 0; i + 1 < n; i++)
    if (s[i] == '\n' && s[i + 1] == '\n') return i + 2;
  return 0;
}

static size_t after_newline(const char *s, size_t n) {
  for (size_t i = 0; i + 1 < n; i++)
    if (s[i] == '\n') return i + 1;
  return 0;
}

/* Adds the counts of another range of the text g is reading (in the same
** word ids) to g. */
static int merge_part(lx_ngrams *g, lx_ngrams *o) {
  if (g->packed && o->packed) {
    /* o's run (if its buffer filled up before), then its sorted buffer: no
    ** need to build o's run first */
    pksrc src = { NULL, NULL, NULL, NULL, o->run, g->doc };
    if (o->nrun && run_merge(g, &src, o->nrun, g->doc)) return -1;
    if (o->bn && pk_compress(o)) return -1;
    src = buffer_src(o);
    if (o->bn && run_merge(g, &src, o->bn, g->doc)) return -1;
    g->total += o->total;
    return 0;
  }
  if (to_hashed(g) || to_hashed(o)) return -1;
  for (size_t e = 0; e < o->nent; e++) {
    const ngent *x = ent(o, e);
    int fresh;
    ngent *y = ng_find(g, x->key, hash_ids(x->key, g->n), &fresh);
    if (!y) return -1;
    y->cnt += x->cnt;
    /* every entry of o lies in text g->doc */
    y->range += x->range - (y->last == g->doc + 1);
    y->last = g->doc + 1;
  }
  g->total += o->total;
  return 0;
}

int lx_ngrams_file(lx_ngrams *g, const char *path, int threads, char *err, size_t errlen) {
  lx_wreader *r = g->r;
  lx_input in;
  int rc0 = lx_wreader_open(&in, path, err, errlen);
  if (rc0) return rc0;
  int fd = in.fd;
  if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (threads > MAXPARTS) threads = MAXPARTS;
  if (!in.regular || threads < 2 || in.size < 2 * (uint64_t)PART_MIN) {
    rc0 = lx_wreader_input(r, &in, err, errlen);
    lx_input_close(&in);
    return rc0;
  }
  uint64_t size = in.size;
  int k = (int)(size / PART_MIN) < threads ? (int)(size / PART_MIN) : threads;
  ngpart part[MAXPARTS];
  memset(part, 0, sizeof part);
  int np = 0;
  uint64_t from = 0;
  for (int t = 1; t < k; t++) {
    uint64_t cut = lx_input_cut(fd, size / (uint64_t)k * (uint64_t)t, size, 1 << 20,
                                r->sp ? after_blank_line : after_newline);
    if (cut <= from) continue;
    part[np].from = from, part[np].to = cut, np++;
    from = cut;
  }
  part[np].from = from, part[np].to = size, np++;
  if (np < 2) {
    rc0 = lx_wreader_input(r, &in, err, errlen);   /* the head is still unread */
    lx_input_close(&in);
    return rc0;
  }
  /* The other ranges' readers and counters, numbering words in r's
  ** lexicon (under lock) and texts as r will. */
  int rc = 0;
  const lx_tokopts *o = lx_tok_opts(r->tok);
  /* adaptive: the lexicon is held for a few hundred nanoseconds, so a
  ** waiter spins a little before it sleeps (a futex call costs more) */
  pthread_mutex_t lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
  for (int t = 1; t < np && !rc; t++) {
    char e2[64];
    part[t].r = lx_wreader_new(o, r->sp, e2, sizeof e2);
    if (!part[t].r) { rc = ENOMEM; break; }
    part[t].r->docs = r->docs;
    part[t].r->lexowner = r, part[t].r->lexlock = &lock;
    part[t].r->progress = r->progress;
    part[t].r->edges = r->edges;
    part[t].g = lx_ngrams_new(part[t].r, g->n, g->contains, g->at);
    if (!part[t].g) { rc = ENOMEM; break; }
    part[t].g->kmin = g->kmin, part[t].g->kmax = g->kmax;
    lx_wsink sink = lx_ngrams_sink(part[t].g);
    lx_wreader_sink(part[t].r, &sink);
  }
  part[0].r = r, part[0].g = g, part[0].first = 1;
  pthread_t tid[MAXPARTS];
  int started[MAXPARTS] = { 0 };
  for (int t = 0; t < np; t++) part[t].fd = fd;
  r->lexowner = r, r->lexlock = &lock;
  for (int t = 1; t < np && !rc; t++)
    started[t] = pthread_create(&tid[t], NULL, part_main, &part[t]) == 0;
  if (!rc) part_main(&part[0]);
  for (int t = 1; t < np; t++) {
    if (started[t]) pthread_join(tid[t], NULL);
    else if (!rc) part_main(&part[t]);   /* no thread: count it here */
  }
  r->lexowner = NULL, r->lexlock = NULL;
  for (int t = 0; t < np && !rc; t++) rc = part[t].rc;
  /* Merge, then the n-grams across each cut. */
  uint32_t prev[2 * LX_NGRAM_MAX];
  int nprev = g->ntail;
  memcpy(prev, g->tail, (size_t)nprev * sizeof *prev);
  int n = g->n;
  for (int t = 1; t < np && !rc; t++) {
    lx_ngrams *pg = part[t].g;
    if (lx_interrupted()) { rc = ECANCELED; break; }   /* each merge walks the whole run */
    if (lx_wreader_merge(r, part[t].r) || merge_part(g, pg)) { rc = ENOMEM; break; }
    if (!r->sp) {
      /* prev: the last n-1 ids before the cut; then the first n-1 after. */
      uint32_t seq[2 * LX_NGRAM_MAX];
      int m = nprev;
      memcpy(seq, prev, (size_t)nprev * sizeof *seq);
      for (int q = 0; q < pg->nhead; q++) seq[m++] = pg->head[q];
      for (int j = nprev - (n - 1) > 0 ? nprev - (n - 1) : 0; j < nprev && j + n <= m; j++) {
        if (ng_wanted(g, seq + j) && ng_count(g, seq + j)) { rc = ENOMEM; break; }
      }
      /* A range shorter than n-1 words would make these wrong: refuse below. */
      if (pg->nhead < n - 1 || part[t].r->tokens < (uint64_t)n) rc = -1;
      nprev = pg->ntail;
      memcpy(prev, pg->tail, (size_t)nprev * sizeof *prev);
    }
  }
  /* The text ends where the last range ends; without sentences it is one
  ** segment however many ranges read it. */
  if (!rc) {
    lx_ngrams *last = part[np - 1].g;
    for (int t = 1; t < np; t++) g->nseg += part[t].g->nseg;
    if (!r->sp) g->nseg = g->nseg > 0;
    memcpy(g->tail, last->tail, (size_t)last->ntail * sizeof *g->tail);
    g->ntail = last->ntail;
    r->edge.open_end = part[np - 1].r->edge.open_end;
    r->edge.glued_end = part[np - 1].r->edge.glued_end;
  }
  for (int t = 1; t < np; t++) {
    lx_ngrams_free(part[t].g);
    lx_wreader_free(part[t].r);
  }
  lx_input_close(&in);
  if (rc == -1) rc = EINVAL;   /* cannot happen with PART_MIN ranges of text; say so if it does */
  if (rc) snprintf(err, errlen, "%s: %s", path, rc == EINVAL ? "a range too short to count in parallel" : strerror(rc));
  return rc;
}

/* ---------------------------------------------------------------- sorting */

typedef struct sortctx {
  const lx_ngrams *g;
  const uint32_t *rank;    /* word id -> place in byte order */
} sortctx;

static int cmp_entries(const void *a, const void *b, void *ctx) {
  const sortctx *c = ctx;
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  uint64_t ci = lx_ngrams_count(c->g, i), cj = lx_ngrams_count(c->g, j);
  if (ci != cj) return ci > cj ? -1 : 1;
  /* Words never hold a space, and a space sorts below every other byte
  ** of a word: comparing word by word gives the joined strings' order. */
  uint32_t ki[LX_NGRAM_MAX], kj[LX_NGRAM_MAX];
  lx_ngrams_key(c->g, i, ki);
  lx_ngrams_key(c->g, j, kj);
  for (int k = 0; k < c->g->n; k++) {
    if (ki[k] != kj[k]) return c->rank[ki[k]] < c->rank[kj[k]] ? -1 : 1;
  }
  return 0;
}

/*
** qsort_r by blocks, then merges of the sorted blocks in pairs, looking at
** lx_interrupted() between blocks and every 64K entries merged: a sort of
** millions of n-grams (seconds) stops at Ctrl-C. No two entries compare
** equal, so the order is the one a single qsort_r gives. 0, ENOMEM, or
** ECANCELED.
*/
#define SORT_BLOCK 65536
static int sort_entries(size_t *idx, size_t m, sortctx *ctx) {
  for (size_t a = 0; a < m; a += SORT_BLOCK) {
    if (lx_interrupted()) return ECANCELED;
    qsort_r(idx + a, m - a < SORT_BLOCK ? m - a : SORT_BLOCK, sizeof *idx, cmp_entries, ctx);
  }
  if (m <= SORT_BLOCK) return 0;
  size_t *tmp = lx_malloc(m * sizeof *tmp);
  if (!tmp) return ENOMEM;
  size_t *src = idx, *dst = tmp;
  for (size_t w = SORT_BLOCK; w < m; w *= 2) {
    for (size_t a = 0; a < m; a += 2 * w) {
      size_t mid = m - a > w ? a + w : m, end = m - a > 2 * w ? a + 2 * w : m;
      size_t i = a, j = mid, o = a;
      while (i < mid && j < end) {
        if ((o & 0xFFFF) == 0 && lx_interrupted()) {
          free(tmp);
          return ECANCELED;
        }
        dst[o++] = cmp_entries(&src[j], &src[i], ctx) < 0 ? src[j++] : src[i++];
      }
      memcpy(dst + o, src + i, (mid - i) * sizeof *dst);
      o += mid - i;
      memcpy(dst + o, src + j, (end - j) * sizeof *dst);
    }
    size_t *t = src; src = dst; dst = t;
  }
  if (src != idx) memcpy(idx, src, m * sizeof *idx);
  free(tmp);
  return 0;
}

/*
** With a limit, the entries are cut before sorting: a histogram of counts
** finds the smallest count that the top `limit` need, and only entries at
** or above it are sorted.
*/
size_t *lx_ngrams_sorted(lx_ngrams *g, uint64_t min, size_t limit, size_t *n) {
  *n = 0;
  if (lx_ngrams_settle(g)) {
    *n = LX_OOM;
    return NULL;
  }
  size_t types = lx_ngrams_types(g);
  if (min < 1) min = 1;
  uint64_t floor = min;
  if (g->filter && make_want(g)) {
    *n = LX_OOM;
    return NULL;
  }
  if (limit) {
    enum { NB = 4096 };
    size_t *hist = lx_calloc(NB, sizeof *hist);
    if (!hist) {
      *n = LX_OOM;
      return NULL;
    }
    for (size_t e = 0; e < types; e++) {
      uint64_t c = lx_ngrams_count(g, e);
      if (entry_wanted(g, e)) hist[c >= NB ? NB - 1 : c]++;
    }
    size_t seen = 0;
    for (size_t b = NB - 1; b >= 1; b--) {
      seen += hist[b];
      if (seen >= limit) {
        if (b > floor) floor = b;
        break;
      }
    }
    free(hist);
  }
  size_t m = 0;
  for (size_t e = 0; e < types; e++) m += lx_ngrams_count(g, e) >= floor && entry_wanted(g, e);
  if (m == 0) return NULL;
  size_t *idx = lx_malloc(m * sizeof *idx);
  uint32_t *ids = lx_malloc(m * (size_t)g->n * sizeof *ids), *rank = NULL;
  if (idx && ids) {
    m = 0;
    for (size_t e = 0; e < types; e++)
      if (lx_ngrams_count(g, e) >= floor && entry_wanted(g, e)) lx_ngrams_key(g, e, ids + m * (size_t)g->n), idx[m++] = e;
    /* only the words of these entries need ranks */
    rank = lx_lex_ranks_of(lx_wreader_lex(g->r), ids, m * (size_t)g->n);
  }
  free(ids);
  if (!idx || !rank) {
    free(idx);
    free(rank);
    *n = LX_OOM;
    return NULL;
  }
  sortctx ctx = { g, rank };
  int rc = sort_entries(idx, m, &ctx);
  free(rank);
  if (rc) {
    free(idx);
    *n = LX_OOM;
    return NULL;
  }
  if (limit && m > limit) m = limit;
  *n = m;
  return idx;
}
