/*
** cqlcoll.c: collocates of CQL hits over any positional attribute (lemma
** collocates of [pos="adj"] [lemma="man"], the pos of what follows "the"),
** counted as lexis collocates counts them (collocates.h): the windows of
** all the hits as one region, each position counted once however many
** windows cover it, so O11 <= f(collocate) and the window total <= N.
** Windows are tokens of the view (punctuation is a token of an annotated
** corpus), and stay inside the hit's text.
*/
#include "cqlrun_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "collocates.h"
#include "progress.h"

typedef struct ranker {
  const lx_cview *v;
  int attr;
} ranker;

/* ids compared by their strings' bytes (ties of a sort, as lexis collocates breaks them) */
static int cmp_id_bytes(const void *pa, const void *pb, void *arg) {
  const ranker *k = arg;
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  const char *sa = "", *sb = "";
  size_t la = 0, lb = 0;
  k->v->lexicon_str(k->v->ctx, k->attr, a, &sa, &la);
  k->v->lexicon_str(k->v->ctx, k->attr, b, &sb, &lb);
  int c = memcmp(sa, sb, la < lb ? la : lb);
  if (c) return c;
  return la < lb ? -1 : la > lb;
}

int lx_cql_collocates(const lx_cview *v, const lx_cql_result *r, const char *name, int left, int right, int by,
                      uint64_t min_cooc, size_t limit, lx_cql_colls *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  int attr = v->pattr(v->ctx, name);
  if (attr == -2) return cqlr_view_error(v, err, errlen);
  if (attr < 0) {
    char names[400];
    cqlr_names_of(v, 0, names, sizeof names);
    snprintf(err, errlen, "no attribute %s: the corpus has %s", name, names);
    return EINVAL;
  }
  uint32_t types = v->lexicon_size(v->ctx, attr);
  int hv, text = v->sattr(v->ctx, "text", &hv);
  lx_cql_hit *hits = cqlr_in_order(r);       /* a sorted result: in corpus order again */
  uint64_t (*seen)[2] = lx_calloc((size_t)types + 1, sizeof *seen);
  unsigned char *counted = lx_calloc(v->ntokens / 8 + 1, 1);   /* positions counted in some window */
  uint32_t *ids = lx_malloc((size_t)(left > right ? left : right) * sizeof *ids + 1), *cand = NULL,
           *rank = NULL;
  int rc = ENOMEM;
  if (!hits || !seen || !counted || !ids) goto nomem;
  uint64_t window = 0;
  for (size_t i = 0; i < r->n; i++) {
    if ((i & 0xffff) == 0 && lx_interrupted()) {
      snprintf(err, errlen, "cql: interrupted");
      rc = ECANCELED;
      goto out;
    }
    uint64_t lo = 0, hi = v->ntokens, ti;
    if (text >= 0) {                 /* the hit's text bounds its windows */
      if (v->region_at(v->ctx, text, hits[i].start, &ti) != 0) { rc = cqlr_view_error(v, err, errlen); goto out; }
      if (ti != UINT64_MAX && v->region(v->ctx, text, ti, &lo, &hi) != 0) { rc = cqlr_view_error(v, err, errlen); goto out; }
    }
    uint64_t s = hits[i].start, e = hits[i].end;
    uint64_t ls = s - lo > (uint64_t)left ? s - (uint64_t)left : lo;
    uint64_t re = hi > e && hi - e > (uint64_t)right ? e + (uint64_t)right : (hi > e ? hi : e);
    for (int side = 0; side < 2; side++) {
      uint64_t from = side ? e : ls, to = side ? re : s;
      if (from >= to) continue;
      if (v->ids(v->ctx, attr, from, (size_t)(to - from), ids) != 0) { rc = cqlr_view_error(v, err, errlen); goto out; }
      for (uint64_t q = from; q < to; q++) {
        if (counted[q >> 3] & (1u << (q & 7))) continue;
        counted[q >> 3] |= (unsigned char)(1u << (q & 7));
        uint32_t id = ids[q - from];
        if (id >= types) { snprintf(err, errlen, "cql: an id out of its lexicon at %llu", (unsigned long long)q); rc = EIO; goto out; }
        seen[id][side]++;
        window++;
      }
    }
  }
  /* the rows seen often enough, by the measure asked for; ties by observed, then bytes */
  size_t k = 0;
  for (uint32_t id = 0; id < types; id++) k += seen[id][0] + seen[id][1] >= min_cooc && seen[id][0] + seen[id][1] > 0;
  out->hits = r->n;
  out->window = window;
  out->tokens = v->ntokens;
  if (k == 0) { rc = 0; goto out; }
  cand = lx_malloc(k * sizeof *cand);
  rank = lx_malloc(((size_t)types + 1) * sizeof *rank);
  out->rows = lx_malloc(k * sizeof *out->rows);
  if (!cand || !rank || !out->rows) goto nomem;
  k = 0;
  for (uint32_t id = 0; id < types; id++)
    if (seen[id][0] + seen[id][1] >= min_cooc && seen[id][0] + seen[id][1] > 0) cand[k++] = id;
  ranker rk = { v, attr };
  qsort_r(cand, k, sizeof *cand, cmp_id_bytes, &rk);
  for (size_t j = 0; j < k; j++) {
    uint64_t f = 0;
    if (v->frequency(v->ctx, attr, cand[j], &f) != 0) { rc = cqlr_view_error(v, err, errlen); goto out; }
    rank[cand[j]] = (uint32_t)j;
    out->rows[j] = (lx_collocate){ .id = cand[j], .left = seen[cand[j]][0], .right = seen[cand[j]][1], .freq = f };
  }
  double fx = (double)r->n, r1 = (double)window, n = (double)v->ntokens;
  lx_colloc_measure(out->rows, k, fx, r1, n);
  if (by == LX_BY_FISHER) lx_colloc_fisher(out->rows, k, r1, n);
  lx_colloc_sort(out->rows, k, by, rank);
  if (limit && k > limit) k = limit;
  if (by != LX_BY_FISHER) lx_colloc_fisher(out->rows, k, r1, n);   /* the rows kept */
  out->n = k;
  rc = 0;
  goto out;
nomem:
  snprintf(err, errlen, "cql: out of memory");
  rc = ENOMEM;
out:
  if (rc) {
    free(out->rows);
    memset(out, 0, sizeof *out);
  }
  free(hits);
  free(seen);
  free(counted);
  free(ids);
  free(cand);
  free(rank);
  return rc;
}
