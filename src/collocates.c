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
** The lists and their measures are here too; counting from an index is in
** collocates_index.c.
*/
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collocates_int.h"
#include "alloc.h"

int colloc_posset_fit(posset *s, uint64_t span) {
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
int colloc_check_new_words(lx_colloc *c) {
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

int colloc_grow_counts(lx_colloc *c, size_t need) {
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
  if ((types > c->cap && colloc_grow_counts(c, types)) || colloc_check_new_words(c)) {
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
  if (colloc_grow_counts(c, lx_wreader_types(r) + 1) ||
      colloc_posset_fit(&c->counted, (uint64_t)(left + right + LX_PHRASE_MAX))) {
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
  if (types > c->cap && colloc_grow_counts(c, types)) {
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
  if (colloc_check_new_words(c)) {
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
