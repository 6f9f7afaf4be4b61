/*
** kwic_order.c: what a hit needs before it is shown (its bytes, its
** sentence), and the order of hits: sorting by context keys (radix sort of
** the first key, stable), sampling, cutting and filtering.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "kwic_private.h"
#include "sample.h"

/* ================================================================ order */

/*
** Sentences on demand, for hits that lack them (a scan without `sentence`,
** an index built without): each document with such hits is split once and
** its hits, in text order, walk along its sentences.
*/
static void conc_damaged(lx_conc *c);

static int sentences_on_demand(lx_conc *c) {
  size_t need = 0;
  for (size_t i = 0; i < c->n; i++) need += !(c->hits[i].have & LX_HAVE_SENT);
  if (!need) return 0;
  size_t *idx = lx_malloc(need * sizeof *idx);
  if (!idx) goto oom;
  size_t k = 0;
  for (size_t i = 0; i < c->n; i++)
    if (!(c->hits[i].have & LX_HAVE_SENT)) idx[k++] = i;
  for (size_t i = 0; i < need; i++)
    if (lx_conc_resolve(c, idx[i])) { free(idx); return -1; }
  qsort_r(idx, need, sizeof *idx, lx_conc_cmp_place, c->hits);
  for (size_t a = 0; a < need;) {
    uint32_t d = c->hits[idx[a]].doc;
    lx_span *sents = NULL;
    size_t nsents = 0, si = 0;
    if (lx_conc_load(c, d) < 0) { free(idx); return -1; }
    if (c->src.need && c->src.need(c->src.ctx, d, &c->docs[d], 0, c->docs[d].len)) {
      free(idx);
      conc_damaged(c);
      return -1;
    }
    if (lx_conc_split_all(c->sp, c->docs[d].text, c->docs[d].len, &sents, &nsents)) { free(idx); goto oom; }
    for (; a < need && c->hits[idx[a]].doc == d; a++) {
      lx_hit *h = &c->hits[idx[a]];
      while (si + 1 < nsents && sents[si + 1].start <= h->start) si++;
      h->sstart = h->start;
      h->sstop = h->end;
      if (nsents) {
        h->sent = si + 1;
        if (sents[si].start < h->sstart) h->sstart = sents[si].start;
        if (sents[si].stop > h->sstop) h->sstop = sents[si].stop;
      }
      h->have |= LX_HAVE_SENT | LX_HAVE_SNUM;
    }
    free(sents);
  }
  free(idx);
  return 0;
oom:
  snprintf(c->err, sizeof c->err, "out of memory");
  return -1;
}

/* The message for a fill that met damage: the source's own, naming the
** index file and where, if it has one. */
static void conc_damaged(lx_conc *c) {
  if (c->src.damage) c->src.damage(c->src.ctx, c->err, sizeof c->err);
  else snprintf(c->err, sizeof c->err, "the index is damaged; rebuild it with 'lexis index'");
}

int lx_conc_sentence(lx_conc *c, size_t i, int bounds) {
  lx_hit *h = &c->hits[i];
  unsigned want = bounds ? LX_HAVE_SENT : LX_HAVE_SNUM;
  if (h->have & (LX_HAVE_SENT | want)) return 0;
  if (c->src.fill && c->src.fill(c->src.ctx, h, 1, want, c->left, c->right)) {
    conc_damaged(c);
    return -1;
  }
  if (!(h->have & (LX_HAVE_SENT | want)) && c->sp) return sentences_on_demand(c);
  return 0;
}

int lx_conc_resolve(lx_conc *c, size_t i) {
  lx_hit *h = &c->hits[i];
  if (!(h->have & LX_HAVE_BYTES) && c->src.fill &&
      c->src.fill(c->src.ctx, h, 1, LX_HAVE_BYTES, c->left, c->right)) {
    conc_damaged(c);
    return -1;
  }
  lx_cdoc *d = &c->docs[h->doc];
  if (!d->text && c->src.text &&
      c->src.text(c->src.ctx, h->doc, d, c->err, sizeof c->err))
    return -1;
  if (!d->text && d->file && lx_conc_load(c, h->doc) < 0) return -1;
  if (!d->text) { d->text = ""; d->len = 0; }
  int agrees = 0;
  if (h->end > d->len || h->rend > d->len || h->lstart > h->start || h->start > h->end ||
      (c->src.agrees && (agrees = c->src.agrees(c->src.ctx, h, c->left, c->right, d)) > 0)) {
    snprintf(c->err, sizeof c->err, "%s: changed since it was indexed; rebuild the index with 'lexis index'", d->name);
    return -1;
  }
  if (agrees < 0) { conc_damaged(c); return -1; }
  return 0;
}

/* lx_lex_ranks sorts through a static of index.c (C11's qsort takes no
** context), and both threads of a big scan may pick their best at once. */
static pthread_mutex_t rank_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct sortrec {
  uint64_t k;        /* the first key, ready to compare */
  size_t i;          /* the hit */
} sortrec;

typedef struct sortctx {
  const lx_conc *c;
  const uint32_t *rank;
  const int *keys, *desc;
  size_t nkeys;
} sortctx;

static uint64_t key_value(const sortctx *x, const lx_hit *h, size_t j) {
  int key = x->keys[j];
  uint64_t v;
  if (key == LX_K_DOC) v = h->doc;
  else if (key == LX_K_POS) v = (uint64_t)h->doc << 40 | h->cpos;   /* document, then place */
  else if (!x->rank) v = h->key[key];          /* ranked already */
  else v = h->key[key] ? (uint64_t)x->rank[h->key[key] - 1] + 1 : 0;
  return x->desc[j] ? ~v : v;
}

static int cmp_rec(const void *a, const void *b, void *arg) {
  const sortrec *p = a, *q = b;
  if (p->k != q->k) return p->k < q->k ? -1 : 1;
  const sortctx *x = arg;
  const lx_hit *h = &x->c->hits[p->i], *g = &x->c->hits[q->i];
  for (size_t j = 1; j < x->nkeys; j++) {
    uint64_t u = key_value(x, h, j), v = key_value(x, g, j);
    if (u != v) return u < v ? -1 : 1;
  }
  return p->i < q->i ? -1 : p->i > q->i;   /* stable */
}


/* LSD radix sort of n 64-bit values, 8 bits a pass, skipping the passes
** whose byte is the same everywhere (the high bytes of small keys). */
static void radix_sort(uint64_t *a, uint64_t *tmp, size_t n) {
  uint64_t *src = a, *dst = tmp;
  for (unsigned shift = 0; shift < 64; shift += 8) {
    size_t count[256] = { 0 };
    for (size_t i = 0; i < n; i++) count[(src[i] >> shift) & 255]++;
    if (count[(src[0] >> shift) & 255] == n) continue;
    size_t sum = 0;
    for (int b = 0; b < 256; b++) { size_t t = count[b]; count[b] = sum; sum += t; }
    for (size_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 255]++] = src[i];
    uint64_t *t = src; src = dst; dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}

/* Moves the k smallest of the n distinct values of a to its front, in no
** order (quickselect: a few passes over a, where a sort takes eight). */
static void select_smallest(uint64_t *a, size_t n, size_t k) {
  size_t lo = 0, hi = n;                  /* the k-th smallest lies in [lo, hi) */
  while (hi - lo > 16) {
    uint64_t x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
    uint64_t pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    size_t i = lo, j = hi - 1;
    for (;;) {                            /* Hoare: [lo, i) <= pivot <= (j, hi) */
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      uint64_t t = a[i]; a[i] = a[j]; a[j] = t;
      i++, j--;
    }
    if (k <= j) hi = j + 1;               /* (j < hi - 1: each pass shrinks the range) */
    else lo = j + 1;
  }
  for (size_t i = lo + 1; i < hi; i++)    /* a short range: sorted outright */
    for (size_t m = i; m > lo && a[m - 1] > a[m]; m--) {
      uint64_t t = a[m]; a[m] = a[m - 1]; a[m - 1] = t;
    }
}

/*
** Sorting packs each hit's first key (key strings were ranked once, so no
** string is compared here) and its index into one integer and radix-sorts
** those; further keys break ties within runs of equal first keys, and the
** index keeps the sort stable. Index hits first get the key slots the sort
** needs, and no others, from the source. With a limit, only the hits kept
** are copied.
*/
static int sort_hits(lx_conc *c, const int *keys, const int *desc, size_t nkeys, size_t limit, int in_place) {
  if (nkeys == 0 || c->n < 2) return 0;
  unsigned want = 0;
  for (size_t j = 0; j < nkeys; j++)
    if (keys[j] < LX_NSLOTS) want |= LX_HAVE_KEY(keys[j]);
  c->err[0] = '\0';
  if (want && c->src.fill && c->src.fill(c->src.ctx, c->hits, c->n, want, c->left, c->right)) {
    if (!c->err[0]) conc_damaged(c);
    return -1;
  }
  const uint32_t *rank = c->src.rank;
  if (!rank && !c->src.ranked) {
    free(c->rank);
    pthread_mutex_lock(&rank_lock);
    c->rank = lx_lex_ranks(&c->keys);
    pthread_mutex_unlock(&rank_lock);
    if (!c->rank) goto oom;
    rank = c->rank;
  }
  sortctx x = { c, rank, keys, desc, nkeys };
  size_t n = c->n, keep = limit && limit < n ? limit : n;
  sortrec *r = NULL;
  lx_hit *out = lx_conc_big_alloc(keep * sizeof *out);
  uint64_t *packed = NULL;
  if (!out) goto oom_free;
  int small = n < ((size_t)1 << 32) && keys[0] != LX_K_POS;
  if (small) {              /* every first key but a position fits 32 bits */
    packed = lx_conc_big_alloc(2 * n * sizeof *packed);    /* and the radix sort's buffer */
    if (!packed) goto oom_free;
    for (size_t i = 0; i < n; i++) {
      uint64_t v = key_value(&x, &c->hits[i], 0);
      if (desc[0]) v = (uint32_t)v;   /* ~v of a 32-bit key: still 32 bits */
      packed[i] = v << 32 | i;
    }
    size_t m = n;           /* the hits the order is needed of */
    if (keep < n / 8) {     /* a few of many: the keep smallest first, and any the
                            ** other keys may put among them (a tie of the first key) */
      select_smallest(packed, n, keep);
      uint64_t last = packed[0];          /* the greatest kept: its first key is the edge */
      for (size_t i = 1; i < keep; i++)
        if (packed[i] > last) last = packed[i];
      m = keep;
      if (nkeys > 1)
        for (size_t i = keep; i < n; i++)
          if (packed[i] >> 32 == last >> 32) {
            uint64_t t = packed[m]; packed[m++] = packed[i]; packed[i] = t;
          }
    }
    radix_sort(packed, packed + n, m);
    if (nkeys == 1) {       /* the packed order is the answer */
      for (size_t i = 0; i < keep; i++) out[i] = c->hits[packed[i] & 0xFFFFFFFFu];
      goto swap;
    }
    r = lx_conc_big_alloc(m * sizeof *r);
    if (!r) goto oom_free;
    for (size_t i = 0; i < m; i++) r[i] = (sortrec){ packed[i] >> 32, (size_t)(packed[i] & 0xFFFFFFFFu) };
    if (nkeys > 1)          /* ties of the first key: the other keys decide */
      for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && r[j].k == r[i].k) j++;
        if (j - i > 1 && i < keep) qsort_r(r + i, j - i, sizeof *r, cmp_rec, &x);
        i = j;
      }
  } else {
    r = lx_conc_big_alloc(n * sizeof *r);
    if (!r) goto oom_free;
    for (size_t i = 0; i < n; i++) r[i] = (sortrec){ key_value(&x, &c->hits[i], 0), i };
    qsort_r(r, n, sizeof *r, cmp_rec, &x);
  }
  for (size_t i = 0; i < keep; i++) out[i] = c->hits[r[i].i];
swap:
  free(packed);
  free(r);
  if (in_place) {           /* the array keeps its room for the hits still to come */
    memcpy(c->hits, out, keep * sizeof *out);
    free(out);
    c->n = keep;
    return 0;
  }
  free(c->hits);
  c->hits = out;
  c->n = c->cap = keep;
  return 0;
oom_free:
  free(packed);
  free(r);
  free(out);
oom:
  snprintf(c->err, sizeof c->err, "out of memory");
  return -1;
}

int lx_conc_sort(lx_conc *c, const int *keys, const int *desc, size_t nkeys, size_t limit) {
  return sort_hits(c, keys, desc, nkeys, limit, 0);
}

/* Hits gathered past the limit before the best are picked again: each pick
** sorts limit + this many, so picks are few however many hits there are. */
#define BEST_BATCH ((size_t)1 << 16)

void lx_conc_keep_best(lx_conc *c, const int *keys, const int *desc, size_t nkeys, size_t limit) {
  if (nkeys > LX_KEYS_MAX) nkeys = LX_KEYS_MAX;
  memcpy(c->best.keys, keys, nkeys * sizeof *keys);
  memcpy(c->best.desc, desc, nkeys * sizeof *desc);
  c->best.nkeys = nkeys;
  c->best.limit = nkeys ? limit : 0;
  c->best.bound = limit + (limit > BEST_BATCH ? limit : BEST_BATCH);
}

/* Interns the key strings of the hits kept in a fresh lexicon, so the
** strings of hits let go do not pile up. 0, or -1 (the hits unchanged). */
static int rekey(lx_conc *c) {
  uint32_t *map = lx_calloc((size_t)c->keys.n + 1, sizeof *map);
  lx_lex keys;
  lx_lex_init(&keys);
  if (!map) return -1;
  for (size_t i = 0; i < c->n; i++)
    for (int s = 0; s < LX_NSLOTS; s++) {
      uint32_t k = c->hits[i].key[s];
      if (!k || map[k]) continue;
      size_t len;
      const char *str = lx_lex_str(&c->keys, k - 1, &len);
      uint32_t id = lx_lex_intern(&keys, str, len);
      if (id == LX_NOID) { lx_lex_free(&keys); free(map); return -1; }
      map[k] = id + 1;
    }
  for (size_t i = 0; i < c->n; i++)
    for (int s = 0; s < LX_NSLOTS; s++) c->hits[i].key[s] = map[c->hits[i].key[s]];
  lx_lex_free(&c->keys);
  c->keys = keys;
  free(c->rank);                      /* ranks of the old ids */
  c->rank = NULL;
  free(map);
  return 0;
}

/*
** Keeps the best c->best.limit of the hits [0, settled) (the sort the caller
** makes at the end, made now): the hits before them in one sort are the hits
** before them in the order found, so cutting early changes nothing. Hits
** [settled, n), still waiting for their right context, follow them as they
** are. Texts of files left without hits are let go, but not that of
** document `scanning`.
*/
int lx_conc_prune(lx_conc *c, uint32_t scanning, size_t settled) {
  size_t before = c->n, waiting = c->n - settled;
  lx_hit *wait = lx_malloc((waiting ? waiting : 1) * sizeof *wait);
  if (!wait) goto oom;
  memcpy(wait, c->hits + settled, waiting * sizeof *wait);
  c->n = settled;
  /* sorted in place: an array that shrank and grew again at every pick
  ** would leave the allocator's arenas ever more fragmented */
  if (sort_hits(c, c->best.keys, c->best.desc, c->best.nkeys, c->best.limit, 1)) {
    memcpy(c->hits + c->n, wait, waiting * sizeof *wait);   /* unsorted, as they were */
    c->n += waiting;
    free(wait);
    return -1;
  }
  if (lx_conc_reserve(c, c->n + waiting)) {
    free(wait);
    goto oom;
  }
  memcpy(c->hits + c->n, wait, waiting * sizeof *wait);
  c->n += waiting;
  free(wait);
  c->dropped += before - c->n;
  if (c->src.ranked) return 0;        /* an index's keys are its ranks, its texts not loaded */
  unsigned char *used = lx_calloc(c->ndocs ? c->ndocs : 1, 1);
  if (!used || rekey(c)) {
    free(used);
    goto oom;
  }
  for (size_t i = 0; i < c->n; i++)
    if (c->hits[i].doc < c->ndocs) used[c->hits[i].doc] = 1;
  for (uint32_t d = 0; d < c->ndocs; d++)
    if (!used[d] && d != scanning) lx_conc_unload(c, d);
  free(used);
  return 0;
oom:
  snprintf(c->err, sizeof c->err, "out of memory");
  return -1;
}

int lx_conc_sample(lx_conc *c, size_t k, uint64_t seed) {
  if (k >= c->n) return 0;
  size_t *idx;
  if (lx_sample_pick(c->n, k, seed, &idx)) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
  for (size_t i = 0; i < k; i++) c->hits[i] = c->hits[idx[i]];
  c->n = k;
  free(idx);
  return 0;
}

void lx_conc_truncate(lx_conc *c, size_t k) {
  if (k < c->n) c->n = k;
}

void lx_conc_select(lx_conc *c, const unsigned char *keep) {
  size_t j = 0;
  for (size_t i = 0; i < c->n; i++)
    if (keep[i]) c->hits[j++] = c->hits[i];
  c->n = j;
}

static size_t pick_bound(const lx_conc *c, size_t batch) {
  return c->best.limit + (c->best.limit > batch ? c->best.limit : batch);
}

int lx_conc_pick(lx_conc *c, size_t batch) {
  if (!c->best.limit || c->n < pick_bound(c, batch)) return 0;
  return lx_conc_prune(c, UINT32_MAX, c->n);
}

size_t lx_conc_pick_room(const lx_conc *c, size_t batch, size_t n) {
  if (!c->best.limit) return n;
  size_t b = pick_bound(c, batch);
  return n < b ? n : b;
}
