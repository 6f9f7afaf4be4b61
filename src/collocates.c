/*
** collocates.c: window counts around a node word over a word stream.
**
** The windows of all the node's occurrences are counted as one region, their
** union (Evert 2008, surface co-occurrence): a position that several windows
** cover counts once, so a collocate is never seen more often than it occurs
** and the window total is at most the corpus. The last LX_SPAN_MAX ids of the
** segment sit in a ring; a node's left window is read from it when the node
** arrives, counting the positions no window has counted yet, and each word
** that arrives while some node's right window is still open counts once. So
** a file is read once, in chunks, and memory is two counters per word type.
*/
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collocates.h"
#include "alloc.h"
#include "corpus.h"
#include "progress.h"

#define RING 128

typedef struct lx_sides { uint64_t left, right; } lx_sides;             /* > LX_SPAN_MAX, a power of two */

/*
** The positions counted in some window, as a ring of tags: slot q & mask
** holds q once q is counted. Windows are counted in the order of their
** nodes, so a position is looked up only while no position counted since
** is more than the span of one window (its first to its last position)
** ahead of it; a ring wider than twice that span never loses one that is
** still looked up. It grows (keeping its tags) when a window is wider.
*/
typedef struct posset {
  uint64_t *tag;           /* UINT64_MAX: empty */
  uint64_t mask;
} posset;

static int posset_fit(posset *s, uint64_t span) {
  uint64_t n = s->tag ? s->mask + 1 : 0;
  if (n > 2 * span && n) return 0;
  uint64_t m = n ? n : 1024;
  while (m <= 2 * span) m *= 2;
  uint64_t *t = lx_malloc(m * sizeof *t);
  if (!t) return -1;
  memset(t, 0xFF, m * sizeof *t);
  for (uint64_t i = 0; i < n; i++)     /* tags equal mod m are equal mod n: no two meet */
    if (s->tag[i] != UINT64_MAX) t[s->tag[i] & (m - 1)] = s->tag[i];
  free(s->tag);
  s->tag = t, s->mask = m - 1;
  return 0;
}

static void posset_clear(posset *s) {
  if (s->tag) memset(s->tag, 0xFF, (s->mask + 1) * sizeof *s->tag);
}

/* Counts q in: 1 if it was not counted yet. */
static inline int posset_add(posset *s, uint64_t q) {
  uint64_t *t = &s->tag[q & s->mask];
  if (*t == q) return 0;
  *t = q;
  return 1;
}

struct lx_colloc {
  lx_wreader *r;
  lx_query *alt[LX_NODE_ALTS];  /* the node: alternatives of one position, or one phrase */
  size_t nalt;
  int phlen;               /* the phrase's words, when the node is one; else 0 */
  uint8_t *isnode;         /* per word id: bit j set if it matches phrase word j (bit 0: the node) */
  size_t checked;          /* word ids below this have isnode set */
  int left, right;
  lx_sides *seen;          /* per word id: seen left, right of a node (one cache line) */
  size_t cap;
  uint32_t ring[RING];     /* the segment's last ids, by position & (RING-1) */
  uint64_t pos;            /* position in the segment of the next word */
  uint64_t gpos;           /* position in the whole stream of the next word */
  uint64_t open_until;     /* the last position of the open right windows ... */
  int open;                /* ... if one is open in this segment */
  posset counted;          /* stream positions (or index token positions) counted */
  uint64_t hits, window;
  int oom;                 /* a count stopped: memory ran out, or failure[] says why */
  char failure[256];       /* a pattern that failed on a word, or "" */
  uint64_t *wfreq;         /* per word id, when counted from an index (else the reader's) */
  size_t nwfreq;
  uint64_t wtokens;        /* the words of that index */
};

const char *const lx_by_names[] = { "observed", "expected", "mi", "mi3", "t", "z", "g2",
                                    "dice", "logdice", "log_ratio", "chi2", "delta_p",
                                    "delta_p_rev", "mi2", "ms", "poisson_stirling", "jaccard",
                                    "fisher", NULL };
const char *const lx_expect_names[] = { "window", "sketch", NULL };

/* A pattern that failed on a word (PCRE2's match limit ...; lx_query_word
** gives -1 for memory, below that pcre2_match's code): said in failure[],
** never taken for "no match". -1 either way. */
static int match_failed(lx_colloc *c, const lx_query *q, size_t i, int r, const char *w, size_t len) {
  if (r < -1) lx_word_failure(q, i, r, w, len, c->failure, sizeof c->failure);
  return -1;
}

/* Marks the word ids the reader added since the last call: which phrase
** words (or the node) each matches, by the query matcher, so a node is
** found as kwic finds it (case-folded unless the query keeps case). */
static int check_new_words(lx_colloc *c) {
  size_t types = lx_wreader_types(c->r);
  if (types <= c->checked) return 0;
  uint8_t *m = lx_realloc(c->isnode, types);
  if (!m) return -1;
  c->isnode = m;
  const lx_lex *lex = lx_wreader_lex(c->r);
  for (size_t id = c->checked; id < types; id++) {
    size_t len;
    const char *w = lx_lex_str(lex, (uint32_t)id, &len);
    unsigned bits = 0;
    if (c->phlen) {
      for (int j = 0; j < c->phlen; j++) {
        int r = lx_query_word(c->alt[0], (size_t)j, w, len);
        if (r < 0) return match_failed(c, c->alt[0], (size_t)j, r, w, len);
        bits |= (unsigned)r << j;
      }
    } else {
      for (size_t a = 0; a < c->nalt && !bits; a++) {
        int r = lx_query_word(c->alt[a], 0, w, len);
        if (r < 0) return match_failed(c, c->alt[a], 0, r, w, len);
        bits = (unsigned)r;
      }
    }
    m[id] = (uint8_t)bits;
  }
  c->checked = types;
  return 0;
}

static inline int is_node(const lx_colloc *c, uint32_t id) {
  return c->isnode[id] & 1;
}

/* Does word id match word j of the phrase? */
static inline int in_phrase(const lx_colloc *c, uint32_t id, int j) {
  return (c->isnode[id] >> j) & 1;
}

int lx_colloc_node(lx_colloc *c, lx_query **alts, size_t n) {
  int ok = n >= 1 && n <= LX_NODE_ALTS && !c->nalt && !c->checked;
  for (size_t i = 0; i < n && ok; i++)
    ok = alts[i]->n == 1 || (n == 1 && alts[i]->n <= LX_PHRASE_MAX);
  if (!ok) {
    for (size_t i = 0; i < n; i++) lx_query_free(alts[i]);
    return -1;
  }
  memcpy(c->alt, alts, n * sizeof *alts);
  c->nalt = n;
  c->phlen = alts[0]->n > 1 ? (int)alts[0]->n : 0;
  return 0;
}

/* Does the phrase end at segment position p (whose id is in the ring)? */
static int phrase_ends(const lx_colloc *c, uint64_t p) {
  int k = c->phlen;
  if (p + 1 < (uint64_t)k) return 0;
  for (int j = 0; j < k; j++)
    if (!in_phrase(c, c->ring[(p - (uint64_t)j) & (RING - 1)], k - 1 - j)) return 0;
  return 1;
}

static int grow_counts(lx_colloc *c, size_t need) {
  size_t n = c->cap ? c->cap : 4096;
  while (n < need) n *= 2;
  lx_sides *t = lx_realloc(c->seen, n * sizeof *t);
  if (!t) return -1;
  c->seen = t;
  memset(c->seen + c->cap, 0, (n - c->cap) * sizeof *t);
  c->cap = n;
  return 0;
}

static int co_words(void *ud, const uint32_t *ids, size_t n) {
  lx_colloc *c = ud;
  /* Every id of this batch is below the reader's type count. */
  size_t types = lx_wreader_types(c->r);
  if ((types > c->cap && grow_counts(c, types)) || check_new_words(c)) {
    c->oom = 1;
    return -1;
  }
  for (size_t j = 0; j < n; j++) {
    uint32_t id = ids[j];
    uint64_t p = c->pos, g = c->gpos;
    c->ring[p & (RING - 1)] = id;
    /* In an open right window: counted now, once however many are open. */
    if (c->open && p <= c->open_until) {
      posset_add(&c->counted, g);
      c->seen[id].right++;
      c->window++;
    }
    /* A node ends here: a word, or the last word of the phrase. Its left
    ** window ends where it starts; of it, what no window counted yet counts
    ** (a node occurrence in another's window too, not in its own). */
    if (c->phlen ? phrase_ends(c, p) : is_node(c, id)) {
      uint64_t len = c->phlen ? (uint64_t)c->phlen : 1, start = p + 1 - len;
      c->hits++;
      uint64_t k = start < (uint64_t)c->left ? start : (uint64_t)c->left;
      for (uint64_t q = 1; q <= k; q++) {
        if (!posset_add(&c->counted, g - (len - 1) - q)) continue;
        c->seen[c->ring[(start - q) & (RING - 1)]].left++;
        c->window++;
      }
      if (c->right > 0) c->open = 1, c->open_until = p + (uint64_t)c->right;
    }
    c->pos++;
    c->gpos++;
  }
  return 0;
}

static void co_end(void *ud) {
  lx_colloc *c = ud;
  c->pos = 0;
  c->open = 0;
}

lx_colloc *lx_colloc_new(lx_wreader *r, int left, int right) {
  if (left < 0 || right < 0 || left > LX_SPAN_MAX || right > LX_SPAN_MAX) return NULL;
  lx_colloc *c = lx_calloc(1, sizeof *c);
  if (!c) return NULL;
  c->r = r;
  c->left = left, c->right = right;
  /* a stream window spans at most left + phrase + right words */
  if (grow_counts(c, lx_wreader_types(r) + 1) ||
      posset_fit(&c->counted, (uint64_t)(left + right + LX_PHRASE_MAX))) {
    lx_colloc_free(c);
    return NULL;
  }
  return c;
}

void lx_colloc_free(lx_colloc *c) {
  if (!c) return;
  free(c->seen);
  free(c->isnode);
  free(c->wfreq);
  free(c->counted.tag);
  for (size_t i = 0; i < c->nalt; i++) lx_query_free(c->alt[i]);
  free(c);
}

lx_wsink lx_colloc_sink(lx_colloc *c) {
  return (lx_wsink){ co_words, co_end, NULL, c };
}

int lx_colloc_failed(const lx_colloc *c) { return c->oom; }
const char *lx_colloc_error(const lx_colloc *c) { return c->failure[0] ? c->failure : NULL; }
uint64_t lx_colloc_hits(const lx_colloc *c) { return c->hits; }
uint64_t lx_colloc_window(const lx_colloc *c) { return c->window; }

void lx_colloc_count_ids(lx_colloc *c, const uint32_t *ids, uint64_t ntok, const uint64_t *pos,
                         size_t npos, const uint64_t *bounds, size_t nb) {
  size_t types = lx_wreader_types(c->r);
  if (types > c->cap && grow_counts(c, types)) {
    c->oom = 1;
    return;
  }
  posset_clear(&c->counted);          /* positions of this stream, from 0 */
  size_t b = 0;
  for (size_t i = 0; i < npos; i++) {
    uint64_t p = pos[i], last = p + (uint64_t)(c->phlen ? c->phlen - 1 : 0);
    if (last >= ntok) break;
    while (b + 1 < nb && bounds[b + 1] <= p) b++;
    uint64_t lo = nb ? bounds[b] : 0, hi = b + 1 < nb ? bounds[b + 1] : ntok;
    uint64_t from = p - lo > (uint64_t)c->left ? p - (uint64_t)c->left : lo;
    uint64_t to = hi - last - 1 > (uint64_t)c->right ? last + (uint64_t)c->right : hi - 1;
    /* the windows of the nodes in order, each position once, as reading does */
    for (uint64_t q = from; q < p; q++)
      if (posset_add(&c->counted, q)) c->seen[ids[q]].left++, c->window++;
    for (uint64_t q = last + 1; q <= to; q++)
      if (posset_add(&c->counted, q)) c->seen[ids[q]].right++, c->window++;
    c->hits++;
  }
}

/* ---------------------------------------------------------------- id store */

static int st_mark(lx_idstore *s) {
  if (s->nb && s->bounds[s->nb - 1] == s->n) return 0;   /* an empty segment */
  if (s->nb == s->bcap) {
    size_t cap = s->bcap ? s->bcap * 2 : 1024;
    uint64_t *b = lx_realloc(s->bounds, cap * sizeof *b);
    if (!b) return -1;
    s->bounds = b, s->bcap = cap;
  }
  s->bounds[s->nb++] = s->n;
  return 0;
}

static int st_words(void *ud, const uint32_t *ids, size_t n) {
  lx_idstore *s = ud;
  if (s->nb == 0 && st_mark(s)) goto oom;
  if (s->n + n > s->cap) {
    uint64_t cap = s->cap ? s->cap : 1 << 16;
    while (cap < s->n + n) cap *= 2;
    uint32_t *p = lx_realloc(s->ids, cap * sizeof *p);
    if (!p) goto oom;
    s->ids = p, s->cap = cap;
  }
  memcpy(s->ids + s->n, ids, n * sizeof *ids);
  s->n += n;
  return 0;
oom:
  s->oom = 1;
  return -1;
}

static void st_end(void *ud) {
  lx_idstore *s = ud;
  if (st_mark(s)) s->oom = 1;
}

lx_wsink lx_idstore_sink(lx_idstore *s) {
  return (lx_wsink){ st_words, st_end, NULL, s };
}

void lx_idstore_free(lx_idstore *s) {
  free(s->ids);
  free(s->bounds);
  memset(s, 0, sizeof *s);
}

uint64_t *lx_idstore_find(const lx_idstore *s, lx_colloc *c, size_t *n) {
  size_t k = 0, cap = 0;
  uint64_t *pos = NULL;
  *n = 0;
  if (check_new_words(c)) {
    c->oom = 1;
    return NULL;
  }
  size_t b = 0;
  for (uint64_t p = 0; p < s->n; p++) {
    if (c->phlen) {   /* the whole phrase, within one segment */
      uint64_t len = (uint64_t)c->phlen;
      while (b < s->nb && s->bounds[b] <= p) b++;
      uint64_t end = b < s->nb ? s->bounds[b] : s->n;
      if (p + len > end) continue;
      uint64_t j = 0;
      while (j < len && in_phrase(c, s->ids[p + j], (int)j)) j++;
      if (j < len) continue;
    } else if (!is_node(c, s->ids[p])) {
      continue;
    }
    if (k == cap) {
      cap = cap ? cap * 2 : 1024;
      uint64_t *q = lx_realloc(pos, cap * sizeof *q);
      if (!q) {
        free(pos);
        *n = 0;
        c->oom = 1;
        return NULL;
      }
      pos = q;
    }
    pos[k++] = p;
  }
  *n = k;
  return pos;
}

/* ---------------------------------------------------------------- measures */

void lx_colloc_measure(lx_collocate *list, size_t k, double fx, double r1, double n) {
  for (size_t i = 0; i < k; i++)
    lx_assoc_all_but_fisher((double)(list[i].left + list[i].right), r1, fx, (double)list[i].freq,
                            n, &list[i].m);
}

void lx_colloc_fisher(lx_collocate *list, size_t k, double r1, double n) {
  for (size_t i = 0; i < k; i++)
    lx_assoc_fisher((double)(list[i].left + list[i].right), r1, (double)list[i].freq, n,
                    &list[i].m);
}

/* The field of m a sort by `by` reads, and its lx_assoc_one number. */
static double *measure_field(lx_assoc *m, int by, int *field) {
  switch (by) {
  case LX_BY_EXPECTED: *field = LX_A_EXPECTED; return &m->expected;
  case LX_BY_MI: *field = LX_A_MI; return &m->mi;
  case LX_BY_MI3: *field = LX_A_MI3; return &m->mi3;
  case LX_BY_T: *field = LX_A_T; return &m->t;
  case LX_BY_Z: *field = LX_A_Z; return &m->z;
  case LX_BY_G2: *field = LX_A_G2; return &m->g2;
  case LX_BY_DICE: *field = LX_A_DICE; return &m->dice;
  case LX_BY_LOGDICE: *field = LX_A_LOGDICE; return &m->logdice;
  case LX_BY_LOG_RATIO: *field = LX_A_LOG_RATIO; return &m->log_ratio;
  case LX_BY_CHI2: *field = LX_A_CHI2; return &m->chi2;
  case LX_BY_DELTA_P: *field = LX_A_DELTA_P; return &m->delta_p;
  case LX_BY_DELTA_P_REV: *field = LX_A_DELTA_P_REV; return &m->delta_p_rev;
  case LX_BY_MI2: *field = LX_A_MI2; return &m->mi2;
  case LX_BY_MS: *field = LX_A_MS; return &m->ms;
  case LX_BY_POISSON_STIRLING: *field = LX_A_POISSON_STIRLING; return &m->poisson_stirling;
  case LX_BY_JACCARD: *field = LX_A_JACCARD; return &m->jaccard;
  case LX_BY_FISHER: *field = -1; return &m->fisher_log;
  default: *field = LX_A_OBSERVED; return &m->observed;
  }
}

static double measure(const lx_assoc *m, int by) {
  int field;
  double v = *measure_field((lx_assoc *)m, by, &field);
  return by == LX_BY_FISHER ? -v : v;   /* the smallest p first, also below 1e-308 */
}

typedef struct sortctx {
  int by;
  const uint32_t *rank;   /* the words' byte order, or NULL: */
  const lx_lex *lex;      /* their bytes compared, or NULL: by id */
} sortctx;

static int cmp_collocates(const void *a, const void *b, void *ctx) {
  const sortctx *s = ctx;
  const lx_collocate *x = a, *y = b;
  double mx = measure(&x->m, s->by), my = measure(&y->m, s->by);
  if (mx != my) return mx > my ? -1 : 1;
  if (x->m.observed != y->m.observed) return x->m.observed > y->m.observed ? -1 : 1;
  if (s->rank) return s->rank[x->id] < s->rank[y->id] ? -1 : s->rank[x->id] > s->rank[y->id];
  if (s->lex) return lx_lex_cmp(s->lex, x->id, y->id);
  return x->id < y->id ? -1 : x->id > y->id;
}

void lx_colloc_sort(lx_collocate *list, size_t k, int by, const uint32_t *rank) {
  sortctx s = { by, rank, NULL };
  qsort_r(list, k, sizeof *list, cmp_collocates, &s);
}

/* A word's corpus frequency and the corpus's words: the index's, when
** counted from one, else the reader's. */
static uint64_t word_freq(const lx_colloc *c, uint32_t id) {
  if (c->wfreq) return id < c->nwfreq ? c->wfreq[id] : 0;
  return lx_wreader_freq(c->r, id);
}

static uint64_t word_tokens(const lx_colloc *c) {
  return c->wfreq ? c->wtokens : lx_wreader_tokens(c->r);
}

/* rank[id] for the k listed words: their byte order (ties in a sort). Only
** the list's words are ranked, not the whole lexicon (an index's can be
** large). */
static uint32_t *list_ranks(const lx_colloc *c, const lx_collocate *list, size_t k) {
  uint32_t *ids = lx_malloc((k + 1) * sizeof *ids);
  if (!ids) return NULL;
  for (size_t i = 0; i < k; i++) ids[i] = list[i].id;
  uint32_t *rank = lx_lex_ranks_of(lx_wreader_lex(c->r), ids, k);
  free(ids);
  return rank;
}

uint64_t lx_colloc_tokens(const lx_colloc *c) { return word_tokens(c); }

/* A candidate row: with every measure, or (some) only the one it is
** sorted by and observed, the rest left for the rows kept. */
static lx_collocate candidate(const lx_colloc *c, uint32_t id, uint64_t f, int by, int some, double fx,
                              double r1, double ntok) {
  lx_collocate row = { .id = id, .left = c->seen[id].left, .right = c->seen[id].right, .freq = f };
  int field;
  double *v = measure_field(&row.m, by, &field);
  if (some && field >= 0) {
    row.m.observed = (double)(row.left + row.right);
    *v = lx_assoc_one(field, row.m.observed, r1, fx, (double)f, ntok);
    return row;
  }
  lx_colloc_measure(&row, 1, fx, r1, ntok);
  if (by == LX_BY_FISHER) lx_colloc_fisher(&row, 1, r1, ntok);
  return row;
}

/* heap[0] is the kept row that sorts last: a candidate that sorts before
** it takes its place and sinks to where it belongs. */
static void heap_sink(lx_collocate *heap, size_t n, size_t i, sortctx *s) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, last = i;
    if (l < n && cmp_collocates(&heap[l], &heap[last], s) > 0) last = l;
    if (r < n && cmp_collocates(&heap[r], &heap[last], s) > 0) last = r;
    if (last == i) return;
    lx_collocate t = heap[i];
    heap[i] = heap[last], heap[last] = t;
    i = last;
  }
}

static void heap_rise(lx_collocate *heap, size_t i, sortctx *s) {
  while (i > 0 && cmp_collocates(&heap[i], &heap[(i - 1) / 2], s) > 0) {
    lx_collocate t = heap[i];
    heap[i] = heap[(i - 1) / 2], heap[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

lx_collocate *lx_colloc_list(const lx_colloc *c, int by, uint64_t min_cooc, uint64_t min_freq,
                             size_t limit, int expect, size_t *n) {
  *n = 0;
  if (min_cooc < 1) min_cooc = 1;
  size_t types = lx_wreader_types(c->r);
  if (types > c->cap) types = c->cap;
  size_t k = 0;
  for (size_t id = 0; id < types; id++)
    k += c->seen[id].left + c->seen[id].right >= min_cooc && word_freq(c, (uint32_t)id) >= min_freq;
  if (k == 0) return NULL;
  double fx = (double)c->hits;   /* the node's frequency: every occurrence is a hit */
  double r1 = expect == LX_EXPECT_SKETCH ? fx : (double)c->window, ntok = (double)word_tokens(c);
  /* A frequent node of a large index has hundreds of thousands of
  ** collocates: with a limit, the rows kept are chosen in one pass through a
  ** heap of that size, so memory and sorting grow with the limit. */
  int bounded = limit && limit < k;
  size_t cap = bounded ? limit : k;
  lx_collocate *list = lx_malloc(cap * sizeof *list);
  if (!list) {
    *n = LX_OOM;
    return NULL;
  }
  sortctx s = { by, NULL, lx_wreader_lex(c->r) };
  k = 0;
  for (size_t id = 0; id < types; id++) {
    uint64_t f = word_freq(c, (uint32_t)id);
    if (c->seen[id].left + c->seen[id].right < min_cooc || f < min_freq) continue;
    lx_collocate row = candidate(c, (uint32_t)id, f, by, bounded, fx, r1, ntok);
    if (k < cap) {
      list[k] = row;
      if (bounded) heap_rise(list, k, &s);
      k++;
    } else if (cmp_collocates(&row, &list[0], &s) < 0) {
      list[0] = row;
      heap_sink(list, k, 0, &s);
    }
  }
  if (bounded) {
    if (by != LX_BY_FISHER) lx_colloc_measure(list, k, fx, r1, ntok);   /* the rest, of the rows kept */
    qsort_r(list, k, sizeof *list, cmp_collocates, &s);
  } else {
    uint32_t *rank = list_ranks(c, list, k);   /* cheaper than bytes in a long sort */
    if (!rank) {
      free(list);
      *n = LX_OOM;
      return NULL;
    }
    lx_colloc_sort(list, k, by, rank);
    free(rank);
  }
  if (by != LX_BY_FISHER) lx_colloc_fisher(list, k, r1, ntok);   /* only the rows kept */
  *n = k;
  return list;
}

/* ---------------------------------------------------------------- index */

#define SKIP UINT32_MAX      /* an exact form that is no word here (its kind is not kept) */

/* The kind of a token stored whole: the rule of tokenize.h (a letter makes
** it a word, else a digit a number, else its first character decides) over
** the tokens it gives alone. */
static int form_kind(lx_tokenizer *t, const char *s, size_t len) {
  lx_token tk[8];
  size_t used, off = 0;
  int kind = -1, first = -1;
  while (off < len) {
    size_t k = lx_tokenize(t, s + off, len - off, 1, tk, 8, &used);
    for (size_t i = 0; i < k; i++) {
      if (first < 0) first = tk[i].kind;
      if (tk[i].kind == LX_WORD) kind = LX_WORD;
      else if (tk[i].kind == LX_NUMBER && kind < 0) kind = LX_NUMBER;
    }
    if (used == 0) break;
    off += used;
  }
  return kind >= 0 ? kind : first;
}

/*
** Each exact form of the index, once: its word id as c's reader maps it
** into wmap, or SKIP if its kind is not kept.
*/
static int map_forms(lx_colloc *c, const lx_corpus *x, uint32_t *wmap) {
  uint64_t ntypes = lx_corpus_types(x);
  lx_tokopts o;
  memset(&o, 0, sizeof o);
  lx_tokenizer *t = lx_tok_new(&o, NULL, 0);
  if (!t) return -1;
  unsigned keep = lx_wreader_kinds(c->r);
  int rc = 0;
  enum { AHEAD = 8 };                 /* forms whose lookups are started early */
  lx_wreader_reserve(c->r, (uint32_t)(ntypes < UINT32_MAX / 2 ? ntypes : 0));   /* (a hint) */
  for (uint64_t id = 0; id < ntypes && !rc; id++) {
    size_t len, alen;
    const char *ahead = id + AHEAD < ntypes ? lx_corpus_form(x, (uint32_t)(id + AHEAD), &alen) : NULL;
    if (ahead) lx_wreader_prefetch(c->r, ahead, alen);
    const char *s = lx_corpus_form(x, (uint32_t)id, &len);
    if (!s) { rc = -2; break; }
    int kind = form_kind(t, s, len);
    wmap[id] = SKIP;
    if (kind < 0 || !(keep & LX_KIND_BIT(kind))) continue;
    if ((wmap[id] = lx_wreader_form(c->r, s, len, kind)) == LX_NOID) rc = -1;
  }
  lx_tok_free(t);
  return rc;
}

#define UNSET (UINT32_MAX - 1)   /* a folded type with no form seen yet */
#define MIXED (UINT32_MAX - 2)   /* one whose forms are different words here */

/* The exact forms' counts (lx_corpus_form_counts), counted in a thread of
** their own while the forms are mapped, when word_freqs will want them. */
typedef struct formjob {
  const lx_corpus *x;
  uint64_t *counts;        /* the index's types + 1 */
  int rc;
} formjob;

static void *form_job(void *arg) {
  formjob *j = arg;
  j->rc = lx_corpus_form_counts(j->x, j->counts);
  return NULL;
}

/*
** The words' frequencies and N. A folded type of the index whose forms
** all map to one word (or all to none) gives its frequency whole; only the
** forms of the others need counting: from their postings when they are
** few (--fold, --lower: ß and the like), else in one pass over the token
** ids (with case kept nearly every common word has "the", "The", "THE").
*/
static int word_freqs(lx_colloc *c, const lx_corpus *x, const uint32_t *wmap, formjob *early) {
  uint64_t ntypes = lx_corpus_types(x), nft = lx_corpus_ftypes(x), ntok = lx_corpus_tokens(x);
  uint32_t *fw = lx_malloc((nft + 1) * sizeof *fw);
  uint64_t *xf = early ? early->counts : lx_calloc(ntypes + 1, sizeof *xf), *pos = NULL;
  size_t types = lx_wreader_types(c->r);
  int rc = -1;
  if (!fw || !xf) goto done;
  if (types + 1 > c->nwfreq + 1 || !c->wfreq) {   /* an earlier index's words (shards) stay counted */
    uint64_t *wf = lx_realloc(c->wfreq, (types + 1) * sizeof *wf);
    if (!wf) goto done;
    size_t had = c->wfreq ? c->nwfreq : 0;
    memset(wf + had, 0, (types + 1 - had) * sizeof *wf);
    c->wfreq = wf;
    c->nwfreq = types;
  }
  rc = -2;
  for (uint64_t f = 0; f < nft; f++) fw[f] = UNSET;
  for (uint64_t id = 0; id < ntypes; id++) {
    uint32_t f = lx_corpus_fold_of(x, (uint32_t)id);
    if (f == LX_NOID) goto done;
    if (fw[f] == UNSET) fw[f] = wmap[id];
    else if (fw[f] != wmap[id]) fw[f] = MIXED;
  }
  uint64_t total = 0, mixed = 0;
  for (uint64_t f = 0; f < nft; f++) {
    uint64_t n = lx_corpus_ffreq(x, (uint32_t)f);
    if (n > ntok - total) goto done;
    total += n;
    if (fw[f] == MIXED) mixed += n;
  }
  if (mixed > ntok / 32) {
    if ((rc = early ? early->rc : lx_corpus_form_counts(x, xf)) != 0) goto done;
  } else if (mixed) {
    if (early) memset(xf, 0, (ntypes + 1) * sizeof *xf);
    for (uint32_t f = 0; f < nft; f++) {
      if (fw[f] != MIXED) continue;
      uint64_t n;
      if ((rc = lx_corpus_postings(x, &f, 1, &pos, &n)) != 0) goto done;
      rc = -2;
      for (uint64_t k = 0; k < n; k++) {
        uint32_t id = lx_corpus_id(x, pos[k]);
        if (id >= ntypes) goto done;
        xf[id]++;
      }
      free(pos);
      pos = NULL;
    }
  }
  for (uint64_t f = 0; f < nft; f++) {
    if (fw[f] == MIXED || fw[f] == UNSET || fw[f] == SKIP) continue;
    uint64_t n = lx_corpus_ffreq(x, (uint32_t)f);
    c->wfreq[fw[f]] += n;
    c->wtokens += n;
  }
  for (uint64_t id = 0; id < ntypes; id++) {
    if (wmap[id] == SKIP || fw[lx_corpus_fold_of(x, (uint32_t)id)] != MIXED) continue;
    c->wfreq[wmap[id]] += xf[id];
    c->wtokens += xf[id];
  }
  rc = 0;
done:
  free(fw);
  if (!early) free(xf);
  free(pos);
  return rc;
}

/* Token ids read in checked runs of IDRUN (aligned), so the walks around
** the nodes read the mapped array directly instead of a call a token. */
#define IDRUN 4096

typedef struct idcursor {
  const lx_corpus *x;
  const uint32_t *ids;     /* ids + lo is token lo's id */
  uint64_t lo, hi;         /* the run checked: [lo, hi) */
  uint32_t ntypes;
} idcursor;

/* Token q's id, or LX_NOID if damaged (q < the corpus's tokens). */
static inline uint32_t id_at(idcursor *k, uint64_t q) {
  if (q < k->lo || q >= k->hi) {
    uint64_t lo = q & ~(uint64_t)(IDRUN - 1), ntok = lx_corpus_tokens(k->x);
    uint64_t hi = ntok - lo < IDRUN ? ntok : lo + IDRUN;
    const uint32_t *run = lx_corpus_id_run(k->x, lo, hi);
    if (!run) return LX_NOID;
    k->ids = run - lo, k->lo = lo, k->hi = hi;
  }
  uint32_t id = k->ids[q];
  return id < k->ntypes ? id : LX_NOID;
}

/* The next word at or after token q (dir +1) or at or before it (dir -1),
** within [lo, hi): its position (and its word id in *w), or UINT64_MAX;
** *bad is set if a token id read is damaged. */
static inline uint64_t next_word(idcursor *k, const uint32_t *wmap, uint64_t q, uint64_t lo,
                                 uint64_t hi, int dir, uint32_t *w, int *bad) {
  for (; q >= lo && q < hi; q += (uint64_t)(int64_t)dir) {
    uint32_t id = id_at(k, q);
    if (id == LX_NOID) { *bad = 1; return UINT64_MAX; }
    if ((*w = wmap[id]) != SKIP) return q;
  }
  return UINT64_MAX;
}

/* ------------------------------------------------------ walking the nodes */

/* What the walkers around the node occurrences share, read only. */
typedef struct nodewalk {
  const lx_colloc *c;
  const lx_corpus *x;
  const uint32_t *wmap;    /* exact form id -> word id, or SKIP */
  const uint64_t *pos;     /* the candidate positions, ascending */
  uint64_t npos;
  int anchor;              /* the phrase word the candidates hold */
  uint32_t ntypes;
} nodewalk;

/* One node occurrence's window: its words, left ones nearest first. */
typedef struct window {
  uint64_t start, last;    /* the node (a phrase: its first and last word) */
  int nl, nr;
  uint64_t wpos[2 * LX_SPAN_MAX];
  uint32_t wid[2 * LX_SPAN_MAX];
} window;

/* One worker: the candidates [from, to), counted into its own table. */
typedef struct walker {
  const nodewalk *nw;
  uint64_t from, to;
  idcursor ids;
  uint64_t lo, hi;         /* the document of the last candidate */
  uint64_t gone;           /* ids before this were let go */
  posset counted;
  uint32_t (*cnt)[2];      /* per word id: left, right; half the bytes of lx_sides, so
                              more of the table stays in cache ... */
  uint64_t pending;        /* ... added to seen before it could overflow */
  uint64_t flush_at;
  lx_sides *seen;
  size_t types;
  uint64_t hits, window;
  int rc;
} walker;

/* cnt added to seen (allocated when NULL), and cleared. */
static int flush_counts(walker *k) {
  if (!k->seen && !(k->seen = lx_calloc(k->types + 1, sizeof *k->seen))) return -1;
  for (size_t id = 0; id < k->types; id++)
    k->seen[id].left += k->cnt[id][0], k->seen[id].right += k->cnt[id][1];
  memset(k->cnt, 0, (k->types + 1) * sizeof *k->cnt);
  k->pending = 0;
  return 0;
}

/* The window of candidate i: 1 if it is a node occurrence, 0 if not, -2 if
** the index is damaged. */
static int window_at(walker *k, uint64_t i, window *win) {
  const nodewalk *nw = k->nw;
  const lx_colloc *c = nw->c;
  uint64_t p = nw->pos[i];
  if (p >= lx_corpus_tokens(nw->x)) return -2;
  uint32_t xid = id_at(&k->ids, p);
  if (xid == LX_NOID) return -2;
  uint32_t w = nw->wmap[xid];
  if (w == SKIP || !(c->phlen ? in_phrase(c, w, nw->anchor) : is_node(c, w))) return 0;
  if ((p < k->lo || p >= k->hi) && lx_corpus_doc_span(nw->x, p, &k->lo, &k->hi)) return -2;
  uint64_t lo = k->lo, hi = k->hi, start = p, last = p;
  uint32_t v;
  int ok = 1, bad = 0;
  for (int j = nw->anchor - 1; ok && j >= 0; j--) {
    start = start > lo ? next_word(&k->ids, nw->wmap, start - 1, lo, hi, -1, &v, &bad) : UINT64_MAX;
    ok = start != UINT64_MAX && in_phrase(c, v, j);
  }
  for (int j = nw->anchor + 1; ok && j < c->phlen; j++) {
    last = next_word(&k->ids, nw->wmap, last + 1, lo, hi, 1, &v, &bad);
    ok = last != UINT64_MAX && in_phrase(c, v, j);
  }
  if (bad) return -2;
  if (!ok) return 0;
  int nl = 0, nr = 0;
  uint64_t q = start;
  for (int j = 0; j < c->left && q > lo; j++) {
    if ((q = next_word(&k->ids, nw->wmap, q - 1, lo, hi, -1, &v, &bad)) == UINT64_MAX) break;
    win->wpos[nl] = q, win->wid[nl++] = v;
  }
  q = last;
  for (int j = 0; j < c->right; j++) {
    if ((q = next_word(&k->ids, nw->wmap, q + 1, lo, hi, 1, &v, &bad)) == UINT64_MAX) break;
    win->wpos[nl + nr] = q, win->wid[nl + nr++] = v;
  }
  if (bad) return -2;
  win->start = start, win->last = last, win->nl = nl, win->nr = nr;
  return 1;
}

static uint64_t window_first(const window *win) { return win->nl ? win->wpos[win->nl - 1] : win->start; }
static uint64_t window_end(const window *win) { return win->nr ? win->wpos[win->nl + win->nr - 1] : win->last; }

/* Each word of the window counted unless a window before counted its
** position; with count 0 the positions are only marked (a window another
** worker counts). -1 if out of memory. */
static int count_window(walker *k, const window *win, int count) {
  if (posset_fit(&k->counted, window_end(win) - window_first(win))) return -1;   /* punctuation can space words widely */
  if (k->pending > k->flush_at && flush_counts(k)) return -1;
  uint64_t before = k->window;
  for (int j = win->nl - 1; j >= 0; j--)
    if (posset_add(&k->counted, win->wpos[j]) && count) k->cnt[win->wid[j]][0]++, k->window++;
  for (int j = win->nl; j < win->nl + win->nr; j++)
    if (posset_add(&k->counted, win->wpos[j]) && count) k->cnt[win->wid[j]][1]++, k->window++;
  k->pending += k->window - before;
  return 0;
}

/* A worker that starts after the first candidate first marks the windows
** before it that reach its own (they end in order: a window ending before
** its first node's window begins has no later one that does not). */
static int replay_before(walker *k) {
  window win;
  uint64_t i = k->from, first = 0;
  int r = 0;
  for (; i < k->to && (r = window_at(k, i, &win)) == 0; i++) {}
  if (r < 0) return r;
  if (i == k->to) return 0;
  first = window_first(&win);
  uint64_t j = k->from;
  while (j > 0) {
    if ((r = window_at(k, j - 1, &win)) < 0) return r;
    if (r && window_end(&win) < first) break;
    j--;
  }
  for (; j < k->from; j++) {
    if ((r = window_at(k, j, &win)) < 0) return r;
    if (r && count_window(k, &win, 0)) return -1;
  }
  return 0;
}

static void *walk_nodes(void *arg) {
  walker *k = arg;
  window win;
  if (k->from > 0 && (k->rc = replay_before(k)) != 0) return NULL;
  for (uint64_t i = k->from; i < k->to; i++) {
    uint64_t p = k->nw->pos[i];
    if (p - k->gone >= ((uint64_t)1 << 20) + 1024 && p >= 1024) {   /* the windows behind are done with */
      lx_corpus_let_go(k->nw->x, k->gone, p - 1024);
      k->gone = p - 1024;
    }
    int r = window_at(k, i, &win);
    if (r < 0) { k->rc = r; return NULL; }
    if (r == 0) continue;
    if (count_window(k, &win, 1)) { k->rc = -1; return NULL; }
    k->hits++;
    if ((i & 0xFFFF) == 0 && lx_interrupted()) { k->rc = -3; return NULL; }
  }
  return NULL;
}

/* The candidates walked in two halves at once when there are many and a
** second processor: the second half's counts are added to the first's,
** so the result is the one walk's. LEXIS_TEST_WALK_SPLIT=N lowers the
** threshold, so the specs split small corpora at every node. */
#define WALK_SPLIT 200000

static uint64_t walk_split(void) {
  const char *v = getenv("LEXIS_TEST_WALK_SPLIT");
  return v && *v ? strtoull(v, NULL, 10) : WALK_SPLIT;
}

/* When a walker's 32-bit counts are added to the 64-bit ones:
** LEXIS_TEST_WALK_FLUSH=N makes it every N positions, for the specs. */
static uint64_t walk_flush_at(void) {
  const char *v = getenv("LEXIS_TEST_WALK_FLUSH");
  return v && *v ? strtoull(v, NULL, 10) : UINT32_MAX - 2 * LX_SPAN_MAX;
}

static int walk_all(const nodewalk *nw) {
  lx_colloc *c = (lx_colloc *)nw->c;
  size_t types = lx_wreader_types(c->r);
  walker one = { .nw = nw, .from = 0, .to = nw->npos, .seen = c->seen, .types = types,
                 .flush_at = walk_flush_at(),
                 .counted = c->counted, .ids = { nw->x, NULL, 0, 0, nw->ntypes } };
  posset_clear(&one.counted);
  walker two = one;
  two.counted = (posset){ NULL, 0 };
  two.seen = NULL;                  /* its counts are added to one's at the end */
  if (!(one.cnt = lx_calloc(types + 1, sizeof *one.cnt))) return -1;
  int split = nw->npos >= walk_split() && nw->npos >= 2 && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
              (two.cnt = lx_calloc(types + 1, sizeof *two.cnt)) != NULL;
  pthread_t th;
  if (split) {
    two.from = one.to = nw->npos / 2;
    two.gone = nw->pos[two.from] > 1024 ? nw->pos[two.from] - 1024 : 0;
    split = pthread_create(&th, NULL, walk_nodes, &two) == 0;
    if (!split) one.to = nw->npos;
  }
  walk_nodes(&one);
  c->counted = one.counted;          /* it may have grown */
  if (split) pthread_join(th, NULL);
  int rc = one.rc ? one.rc : split ? two.rc : 0;
  if (!rc && flush_counts(&one)) rc = -1;
  if (split && !rc) {
    for (size_t id = 0; id < types; id++)
      c->seen[id].left += two.cnt[id][0], c->seen[id].right += two.cnt[id][1];
    if (two.seen)
      for (size_t id = 0; id < types; id++)
        c->seen[id].left += two.seen[id].left, c->seen[id].right += two.seen[id].right;
  }
  c->hits += one.hits + (split ? two.hits : 0);
  c->window += one.window + (split ? two.window : 0);
  free(one.cnt);
  free(two.cnt);
  free(two.seen);
  free(two.counted.tag);
  return rc;
}

int lx_colloc_count_corpus(lx_colloc *c, const lx_corpus *x) {
  uint64_t ntypes = lx_corpus_types(x);
  uint32_t *wmap = lx_malloc((ntypes + 1) * sizeof *wmap), *fids = NULL;
  unsigned char *seen = NULL;
  uint64_t *pos = NULL, npos = 0;
  int rc = -1;
  /* A reader that keeps case meets forms of one folded type that are
  ** different words (the, The) in most of the text: their counts take a
  ** pass over the ids, made beside the mapping of the forms. */
  formjob early = { x, NULL, 0 };
  pthread_t fth;
  int counting = lx_wreader_casing(c->r) == LX_CASE_KEEP && lx_corpus_tokens(x) >= ((uint64_t)1 << 22) &&
                 sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
                 (early.counts = lx_calloc(ntypes + 1, sizeof *early.counts)) != NULL &&
                 pthread_create(&fth, NULL, form_job, &early) == 0;
  if (wmap) rc = map_forms(c, x, wmap);
  if (counting) pthread_join(fth, NULL);
  if (!wmap || rc != 0 || (rc = word_freqs(c, x, wmap, counting ? &early : NULL)) != 0) {
    free(early.counts);
    goto done;
  }
  free(early.counts);
  uint32_t nt = (uint32_t)ntypes;
  wmap[nt] = SKIP;
  rc = -1;
  size_t types = lx_wreader_types(c->r);
  if ((types > c->cap && grow_counts(c, types)) || check_new_words(c)) goto done;
  /* The node's exact forms give the folded types whose postings hold its
  ** occurrences; a phrase is found from its rarest word. */
  int anchor = 0;
  if (c->phlen) {
    uint64_t fj[LX_PHRASE_MAX] = { 0 };
    for (size_t w = 0; w < types && w < c->nwfreq; w++)
      for (int j = 0; j < c->phlen; j++) fj[j] += in_phrase(c, (uint32_t)w, j) ? c->wfreq[w] : 0;
    for (int j = 1; j < c->phlen; j++)
      if (fj[j] < fj[anchor]) anchor = j;
  }
  uint64_t nft = lx_corpus_ftypes(x);
  size_t nf = 0;
  seen = lx_calloc(nft / 8 + 1, 1);
  fids = lx_malloc(64 * sizeof *fids);
  size_t fcap = 64;
  if (!seen || !fids) goto done;
  for (uint64_t id = 0; id < ntypes; id++) {
    uint32_t w = wmap[id];
    if (w == SKIP || !(c->phlen ? in_phrase(c, w, anchor) : is_node(c, w))) continue;
    uint32_t f = lx_corpus_fold_of(x, (uint32_t)id);
    if (f == LX_NOID) { rc = -2; goto done; }
    if (seen[f >> 3] & (1u << (f & 7))) continue;
    seen[f >> 3] |= (unsigned char)(1u << (f & 7));
    if (nf == fcap) {
      uint32_t *q = lx_realloc(fids, (fcap *= 2) * sizeof *q);
      if (!q) goto done;
      fids = q;
    }
    fids[nf++] = f;
  }
  if (nf && (rc = lx_corpus_postings(x, fids, nf, &pos, &npos)) != 0) goto done;
  nodewalk nw = { c, x, wmap, pos, npos, anchor, nt };
  if ((rc = walk_all(&nw)) != 0) goto done;
  rc = 0;
done:
  if (rc == -1) c->oom = 1;
  free(wmap);
  free(fids);
  free(seen);
  free(pos);
  return rc;
}
