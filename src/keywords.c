/*
** keywords.c: every word of either table scored against the other, split
** by direction, filtered and sorted. Words of the target are looked up in
** the reference; words only in the reference come second, with a = 0.
*/
#include <stdlib.h>
#include <string.h>

#include "keywords.h"
#include "alloc.h"

const char *const lx_keyby_names[] = { "g2", "chi2", "log_ratio", "pdiff", "simple",
                                       "g2_williams", "bic", "fisher", NULL };

static double keyval(const lx_keyword *w, int by) {
  switch (by) {
  case LX_KEY_CHI2: return w->k.chi2;
  case LX_KEY_LOG_RATIO: return w->k.log_ratio;
  case LX_KEY_PDIFF: return w->k.pdiff;
  case LX_KEY_SIMPLE: return w->k.simple;
  case LX_KEY_G2_WILLIAMS: return w->k.g2_williams;
  case LX_KEY_BIC: return w->k.bic;
  /* positive keywords sort largest first, negative ones smallest first:
  ** -ln p and ln p of each one's own one-sided test */
  case LX_KEY_FISHER: return w->dir > 0 ? -w->k.fisher_log : w->fisher_rarer_log;
  default: return w->k.g2;
  }
}

static int cmp_keywords(const void *pa, const void *pb, void *ctx) {
  int by = *(const int *)ctx;
  const lx_keyword *x = pa, *y = pb;
  if (x->dir != y->dir) return x->dir > y->dir ? -1 : 1;
  double vx = keyval(x, by), vy = keyval(y, by);
  if (vx != vy) return (x->dir > 0) == (vx > vy) ? -1 : 1;
  uint64_t cx = x->dir > 0 ? x->a : x->b, cy = y->dir > 0 ? y->a : y->b;
  if (cx != cy) return cx > cy ? -1 : 1;
  int c = memcmp(x->word, y->word, x->len < y->len ? x->len : y->len);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

/* Scores a word and keeps it if it passes the filters. */
static void consider(lx_keyword *out, size_t *k, const char *w, size_t len, uint64_t a,
                     uint64_t b, double n1, double n2, const lx_keyopts *o) {
  lx_keyword kw = { .word = w, .len = len, .a = a, .b = b, .fisher_rarer_log = 0 };
  lx_keyness_all((double)a, n1, (double)b, n2, o->smooth, &kw.k);
  kw.dir = kw.k.g2 > 0 ? 1 : kw.k.g2 < 0 ? -1 : 0;
  if (kw.dir == 0) return;                              /* exactly as expected */
  if (kw.dir > 0 && (!o->positive || a < o->min)) return;
  if (kw.dir < 0 && (!o->negative || b < o->min)) return;
  if (kw.k.p_g2 > o->max_p) return;
  if (o->by == LX_KEY_FISHER && kw.dir < 0) {   /* the reference as the sample */
    lx_ctab rarer = lx_ctab_keyness((double)b, n2, (double)a, n1);
    kw.fisher_rarer_log = lx_fisher_log(&rarer);
  }
  out[(*k)++] = kw;
}

lx_keyword *lx_keywords(const lx_counts *target, const lx_counts *ref, double n1, double n2,
                        const lx_keyopts *opts, size_t *n, int *oom) {
  *n = 0, *oom = 0;
  size_t cap = lx_counts_types(target) + lx_counts_types(ref);
  if (cap == 0) return NULL;
  lx_keyword *list = lx_malloc(cap * sizeof *list);
  if (!list) {
    *oom = 1;
    return NULL;
  }
  size_t k = 0;
  for (size_t i = 0, size = lx_counts_size(target); i < size; i++) {
    const char *w;
    size_t len;
    uint64_t a = lx_counts_entry(target, i, &w, &len);
    if (!w || a == 0) continue;
    consider(list, &k, w, len, a, lx_counts_get(ref, w, len), n1, n2, opts);
  }
  for (size_t i = 0, size = lx_counts_size(ref); i < size; i++) {
    const char *w;
    size_t len;
    uint64_t b = lx_counts_entry(ref, i, &w, &len);
    if (!w || b == 0 || lx_counts_get(target, w, len) > 0) continue;
    consider(list, &k, w, len, 0, b, n1, n2, opts);
  }
  int by = opts->by;
  qsort_r(list, k, sizeof *list, cmp_keywords, &by);
  if (opts->limit) {   /* keep the first `limit` of each direction */
    size_t pos = 0, npos = 0, nneg = 0;
    for (size_t i = 0; i < k; i++) {
      if (list[i].dir > 0 ? npos++ < opts->limit : nneg++ < opts->limit) list[pos++] = list[i];
    }
    k = pos;
  }
  if (k == 0) {
    free(list);
    return NULL;
  }
  *n = k;
  return list;
}
