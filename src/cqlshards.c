/*
** cqlshards.c: several views (shards: indexes built apart) behind one
** lx_cview (src/cqlview.h), so that the CQL evaluator, its sort, its
** breakdowns, its collocates and its writer see one corpus and need not
** know of shards.
**
** Shard k's tokens follow shard k - 1's: a position of the set is the
** shard's own plus the tokens before it, and so are the regions' numbers.
** Each positional attribute gets one lexicon of the set when a query
** first names it (pattr, which can say it failed; lexicon_size cannot):
** every shard's strings, once each (in order of first appearance: the
** evaluator, the sort and the breakdowns compare strings, never ids), and
** per shard a table from its ids to the set's.
** A string's postings and frequency are asked of each shard that has it.
** part_end keeps a match inside one shard: a shard ends a text.
*/
#include "cqlrun.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lexicon.h"
#include "progress.h"

typedef struct pset {          /* one positional attribute of the set */
  char *name;
  int *h;                      /* per shard: its handle */
  lx_lex lex;                  /* every shard's strings, once */
  uint32_t **to_set;           /* per shard: its id -> the set's */
  int built;                   /* lex and to_set made */
} pset;

typedef struct sset {          /* one structural attribute of the set */
  char *name;
  int has_values;
  int *h;                      /* per shard: its handle */
  uint64_t *first;             /* per shard: the set's number of its first region; first[n] = all */
} sset;

struct lx_cqlshards {
  lx_cview view;
  size_t n;
  const lx_cview **part;
  char **name;                 /* per shard: its path, for messages */
  uint64_t *base;              /* per shard: its first position here; base[n] = ntokens */
  pset *pa;
  size_t npa;
  sset *sa;                    /* shard 0's listing first (nlisted), then other names asked for */
  size_t nsa, nlisted, sacap;
  char err[768];
};

static int fail(lx_cqlshards *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, sizeof s->err, fmt, ap);
  va_end(ap);
  return -1;
}

/* Shard k's trouble, named by its path. */
static int part_fail(lx_cqlshards *s, size_t k) {
  return fail(s, "%s: %s", s->name[k], s->part[k]->error(s->part[k]->ctx));
}

/* The last k with v[k] <= x, over v[0..n] increasing (empty shards repeat a
** value: the last of them is the one whose range holds x). */
static size_t last_at_or_below(const uint64_t *v, size_t n, uint64_t x) {
  size_t lo = 0, hi = n;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (v[mid] <= x) lo = mid; else hi = mid;
  }
  return lo;
}

static size_t shard_at(const lx_cqlshards *s, uint64_t pos) { return last_at_or_below(s->base, s->n, pos); }

/* ---------------------------------------------------- positional attributes */

/* The set's lexicon of attribute a, made once. 0, or -1 with the error
** (a later call tries again: interning is idempotent). */
static int build(lx_cqlshards *s, int a) {
  pset *p = &s->pa[a];
  if (p->built) return 0;
  if (!p->to_set && !(p->to_set = lx_calloc(s->n, sizeof *p->to_set))) return fail(s, "out of memory");
  for (size_t k = 0; k < s->n; k++) {
    const lx_cview *v = s->part[k];
    uint32_t size = v->lexicon_size(v->ctx, p->h[k]);
    free(p->to_set[k]);
    p->to_set[k] = NULL;
    if (!(p->to_set[k] = lx_malloc((size ? size : 1) * sizeof **p->to_set))) return fail(s, "out of memory");
    for (uint32_t id = 0; id < size; id++) {
      const char *str;
      size_t len;
      if ((id & 0xffff) == 0 && lx_interrupted()) return fail(s, "interrupted");
      if (v->lexicon_str(v->ctx, p->h[k], id, &str, &len) != 0) return part_fail(s, k);
      uint32_t g = lx_lex_intern(&p->lex, str, len);
      if (g == LX_NOID) return fail(s, "out of memory");
      p->to_set[k][id] = g;
    }
  }
  p->built = 1;
  return 0;
}

static int v_pattr(void *ctx, const char *name) {
  lx_cqlshards *s = ctx;
  for (size_t i = 0; i < s->npa; i++)
    if (strcmp(s->pa[i].name, name) == 0) return build(s, (int)i) ? -2 : (int)i;
  return -1;
}

static size_t v_npattrs(void *ctx) { return ((lx_cqlshards *)ctx)->npa; }

static const char *v_pattr_name(void *ctx, int a) {
  lx_cqlshards *s = ctx;
  return a >= 0 && (size_t)a < s->npa ? s->pa[a].name : NULL;
}

/* A handle the caller did not get from pattr (the writer's first column)
** is made ready here; a failure then reads as an empty lexicon, and the
** next call that needs it (ids, lexicon_str) fails with the reason. */
static uint32_t v_lexicon_size(void *ctx, int a) {
  lx_cqlshards *s = ctx;
  return build(s, a) ? 0 : s->pa[a].lex.n;
}

static int v_lexicon_str(void *ctx, int a, uint32_t id, const char **str, size_t *len) {
  lx_cqlshards *s = ctx;
  if (build(s, a)) return -1;
  if (id >= s->pa[a].lex.n) return fail(s, "no such id");
  *str = lx_lex_str(&s->pa[a].lex, id, len);
  return 0;
}

static int v_lexicon_find(void *ctx, int a, const char *str, size_t len, uint32_t *id, int *found) {
  lx_cqlshards *s = ctx;
  *found = 0;
  for (size_t k = 0; k < s->n; k++) {          /* no lexicon of the set made for one string */
    uint32_t own;
    int f;
    if (s->part[k]->lexicon_find(s->part[k]->ctx, s->pa[a].h[k], str, len, &own, &f) != 0) return part_fail(s, k);
    if (!f) continue;
    if (build(s, a)) return -1;
    *id = s->pa[a].to_set[k][own];
    *found = 1;
    return 0;
  }
  return 0;
}

/* The set's string id in shard k: *found 0 when the shard lacks it. */
static int own_id(lx_cqlshards *s, int a, size_t k, uint32_t id, uint32_t *own, int *found) {
  size_t len;
  const char *str;
  if (v_lexicon_str(s, a, id, &str, &len)) return -1;
  if (s->part[k]->lexicon_find(s->part[k]->ctx, s->pa[a].h[k], str, len, own, found) != 0) return part_fail(s, k);
  return 0;
}

static int v_frequency(void *ctx, int a, uint32_t id, uint64_t *f) {
  lx_cqlshards *s = ctx;
  *f = 0;
  for (size_t k = 0; k < s->n; k++) {
    uint32_t own;
    int found;
    uint64_t g;
    if (own_id(s, a, k, id, &own, &found)) return -1;
    if (!found) continue;
    if (s->part[k]->frequency(s->part[k]->ctx, s->pa[a].h[k], own, &g) != 0) return part_fail(s, k);
    *f += g;
  }
  return 0;
}

static int v_ids(void *ctx, int a, uint64_t from, size_t n, uint32_t *ids) {
  lx_cqlshards *s = ctx;
  if (n == 0) return 0;
  if (build(s, a)) return -1;
  if (from + n > s->view.ntokens) return fail(s, "positions past the end of the corpus");
  for (size_t k = shard_at(s, from), done = 0; done < n; k++) {
    uint64_t at = from + done, end = s->base[k + 1];
    if (at >= end) continue;
    size_t m = (size_t)(end - at < n - done ? end - at : n - done);
    const lx_cview *v = s->part[k];
    if (v->ids(v->ctx, s->pa[a].h[k], at - s->base[k], m, ids + done) != 0) return part_fail(s, k);
    for (size_t j = 0; j < m; j++) ids[done + j] = s->pa[a].to_set[k][ids[done + j]];
    done += m;
  }
  return 0;
}

/* A shard's postings passed on as the set's positions. */
typedef struct fwd {
  lx_cview_each each;
  void *arg;
  uint64_t base;
  int stopped;
  uint64_t buf[1024];
} fwd;

static int fwd_each(void *arg, const uint64_t *pos, size_t n) {
  fwd *f = arg;
  for (size_t a = 0; a < n;) {
    size_t m = n - a < 1024 ? n - a : 1024;
    for (size_t j = 0; j < m; j++) f->buf[j] = pos[a + j] + f->base;
    if (f->each(f->arg, f->buf, m)) {
      f->stopped = 1;
      return 1;
    }
    a += m;
  }
  return 0;
}

static int v_postings(void *ctx, int a, uint32_t id, lx_cview_each each, void *arg) {
  lx_cqlshards *s = ctx;
  fwd *f = lx_malloc(sizeof *f);
  if (!f) return fail(s, "out of memory");
  f->each = each, f->arg = arg, f->stopped = 0;
  int rc = 0;
  for (size_t k = 0; k < s->n && !f->stopped; k++) {
    uint32_t own;
    int found;
    if ((rc = own_id(s, a, k, id, &own, &found)) != 0) break;
    if (!found) continue;
    f->base = s->base[k];
    if (s->part[k]->postings(s->part[k]->ctx, s->pa[a].h[k], own, fwd_each, f) != 0) {
      rc = part_fail(s, k);
      break;
    }
  }
  free(f);
  return rc;
}

/* ---------------------------------------------------- structural attributes */

/* Resolves name in every shard into sa[*at]: 0; 1 when shard 0 lacks it;
** -1 with the error when another shard lacks it or it differs there. */
static int resolve(lx_cqlshards *s, const char *name, size_t *at) {
  for (size_t i = 0; i < s->nsa; i++)
    if (strcmp(s->sa[i].name, name) == 0) { *at = i; return 0; }
  int hv0;
  if (s->part[0]->sattr(s->part[0]->ctx, name, &hv0) < 0) return 1;
  if (s->nsa == s->sacap) {
    size_t cap = s->sacap ? 2 * s->sacap : 8;
    sset *sa = lx_realloc(s->sa, cap * sizeof *sa);
    if (!sa) return fail(s, "out of memory");
    s->sa = sa, s->sacap = cap;
  }
  sset *x = &s->sa[s->nsa];
  memset(x, 0, sizeof *x);
  x->has_values = hv0;
  if (!(x->name = lx_strdup(name)) || !(x->h = lx_calloc(s->n, sizeof *x->h)) ||
      !(x->first = lx_calloc(s->n + 1, sizeof *x->first))) {
    free(x->name), free(x->h), free(x->first);
    return fail(s, "out of memory");
  }
  for (size_t k = 0; k < s->n; k++) {
    const lx_cview *v = s->part[k];
    int hv;
    x->h[k] = v->sattr(v->ctx, name, &hv);
    if (x->h[k] < 0 || hv != hv0) {
      fail(s, "%s: %s %s, which %s has: shards of one corpus must have the same attributes", s->name[k],
           x->h[k] < 0 ? "no structural attribute" : hv ? "values on the regions of" : "no values on the regions of",
           name, s->name[0]);
      free(x->name), free(x->h), free(x->first);
      return -1;
    }
    x->first[k + 1] = x->first[k] + v->region_count(v->ctx, x->h[k]);
  }
  *at = s->nsa++;
  return 0;
}

static int v_sattr(void *ctx, const char *name, int *has_values) {
  lx_cqlshards *s = ctx;
  size_t at;
  *has_values = 0;
  if (resolve(s, name, &at) != 0) return -1;   /* a shard's difference was caught when the set was made */
  *has_values = s->sa[at].has_values;
  return (int)at;
}

static size_t v_nsattrs(void *ctx) { return ((lx_cqlshards *)ctx)->nlisted; }

static const char *v_sattr_name(void *ctx, int i) {
  lx_cqlshards *s = ctx;
  return i >= 0 && (size_t)i < s->nsa ? s->sa[i].name : NULL;
}

static uint64_t v_region_count(void *ctx, int i) {
  lx_cqlshards *s = ctx;
  return i >= 0 && (size_t)i < s->nsa ? s->sa[i].first[s->n] : 0;
}

static int v_region(void *ctx, int i, uint64_t r, uint64_t *start, uint64_t *end) {
  lx_cqlshards *s = ctx;
  const sset *x = &s->sa[i];
  if (r >= x->first[s->n]) return fail(s, "no such region");
  size_t k = last_at_or_below(x->first, s->n, r);
  if (s->part[k]->region(s->part[k]->ctx, x->h[k], r - x->first[k], start, end) != 0) return part_fail(s, k);
  *start += s->base[k];
  *end += s->base[k];
  return 0;
}

static int v_region_at(void *ctx, int i, uint64_t pos, uint64_t *r) {
  lx_cqlshards *s = ctx;
  const sset *x = &s->sa[i];
  *r = UINT64_MAX;
  if (pos >= s->view.ntokens) return 0;
  size_t k = shard_at(s, pos);
  uint64_t own;
  if (s->part[k]->region_at(s->part[k]->ctx, x->h[k], pos - s->base[k], &own) != 0) return part_fail(s, k);
  if (own != UINT64_MAX) *r = x->first[k] + own;
  return 0;
}

static int v_region_value(void *ctx, int i, uint64_t r, const char **val, size_t *len) {
  lx_cqlshards *s = ctx;
  const sset *x = &s->sa[i];
  if (r >= x->first[s->n]) return fail(s, "no such region");
  size_t k = last_at_or_below(x->first, s->n, r);
  if (s->part[k]->region_value(s->part[k]->ctx, x->h[k], r - x->first[k], val, len) != 0) return part_fail(s, k);
  return 0;
}

static uint64_t v_part_end(void *ctx, uint64_t pos) {
  lx_cqlshards *s = ctx;
  return pos >= s->view.ntokens ? s->view.ntokens : s->base[shard_at(s, pos) + 1];
}

static const char *v_error(void *ctx) { return ((lx_cqlshards *)ctx)->err; }

/* ---------------------------------------------------------------- the set */

/* The positional attributes: shard 0's, each found in every shard, and no
** shard with one more. 0, or EINVAL / ENOMEM with err. */
static int bind_pattrs(lx_cqlshards *s, char *err, size_t errlen) {
  const lx_cview *v0 = s->part[0];
  s->npa = v0->npattrs(v0->ctx);
  if (!(s->pa = lx_calloc(s->npa ? s->npa : 1, sizeof *s->pa))) return ENOMEM;
  for (size_t i = 0; i < s->npa; i++) {
    pset *p = &s->pa[i];
    lx_lex_init(&p->lex);
    if (!(p->name = lx_strdup(v0->pattr_name(v0->ctx, (int)i))) || !(p->h = lx_calloc(s->n, sizeof *p->h)))
      return ENOMEM;
    for (size_t k = 0; k < s->n; k++) {
      if ((p->h[k] = s->part[k]->pattr(s->part[k]->ctx, p->name)) >= 0) continue;
      snprintf(err, errlen, "%s: no attribute %s, which %s has: shards of one corpus must have the same attributes",
               s->name[k], p->name, s->name[0]);
      return EINVAL;
    }
  }
  for (size_t k = 1; k < s->n; k++) {
    const lx_cview *v = s->part[k];
    for (size_t i = 0, np = v->npattrs(v->ctx); i < np; i++) {
      const char *name = v->pattr_name(v->ctx, (int)i);
      if (v0->pattr(v0->ctx, name) >= 0) continue;
      snprintf(err, errlen, "%s: attribute %s, which %s lacks: shards of one corpus must have the same attributes",
               s->name[k], name, s->name[0]);
      return EINVAL;
    }
  }
  return 0;
}

/* The structural attributes: shard 0's listing, each resolved in every
** shard, and no shard listing one more. */
static int bind_sattrs(lx_cqlshards *s, char *err, size_t errlen) {
  const lx_cview *v0 = s->part[0];
  size_t n0 = v0->nsattrs(v0->ctx), at;
  for (size_t i = 0; i < n0; i++) {
    int rc = resolve(s, v0->sattr_name(v0->ctx, (int)i), &at);
    if (rc == 0) continue;
    snprintf(err, errlen, "%s", rc > 0 ? "the first shard does not resolve its own attribute" : s->err);
    return strstr(s->err, "out of memory") ? ENOMEM : EINVAL;
  }
  s->nlisted = s->nsa;
  for (size_t k = 1; k < s->n; k++) {
    const lx_cview *v = s->part[k];
    for (size_t i = 0, ns = v->nsattrs(v->ctx); i < ns; i++) {
      const char *name = v->sattr_name(v->ctx, (int)i);
      int hv;
      if (v0->sattr(v0->ctx, name, &hv) >= 0) continue;
      snprintf(err, errlen, "%s: structural attribute %s, which %s lacks: shards of one corpus must have the same "
               "attributes", s->name[k], name, s->name[0]);
      return EINVAL;
    }
  }
  return 0;
}

int lx_cqlshards_open(lx_cqlshards **out, const lx_cview *const *parts, const char *const *names, size_t n,
                      char *err, size_t errlen) {
  *out = NULL;
  if (n == 0) {
    snprintf(err, errlen, "no shards");
    return EINVAL;
  }
  lx_cqlshards *s = lx_calloc(1, sizeof *s);
  int rc = ENOMEM;
  if (!s) goto fail;
  s->n = n;
  if (!(s->part = lx_calloc(n, sizeof *s->part)) || !(s->name = lx_calloc(n, sizeof *s->name)) ||
      !(s->base = lx_calloc(n + 1, sizeof *s->base)))
    goto fail;
  for (size_t k = 0; k < n; k++) {
    s->part[k] = parts[k];
    if (!(s->name[k] = lx_strdup(names[k]))) goto fail;
    s->base[k + 1] = s->base[k] + parts[k]->ntokens;
  }
  s->view = (lx_cview){ .ctx = s, .ntokens = s->base[n],
    .pattr = v_pattr, .npattrs = v_npattrs, .pattr_name = v_pattr_name, .lexicon_size = v_lexicon_size,
    .lexicon_str = v_lexicon_str, .lexicon_find = v_lexicon_find, .frequency = v_frequency, .ids = v_ids,
    .postings = v_postings, .sattr = v_sattr, .nsattrs = v_nsattrs, .sattr_name = v_sattr_name,
    .region_count = v_region_count, .region = v_region, .region_at = v_region_at,
    .region_value = v_region_value, .part_end = v_part_end, .error = v_error };
  if ((rc = bind_pattrs(s, err, errlen)) != 0 || (rc = bind_sattrs(s, err, errlen)) != 0) goto fail;
  *out = s;
  return 0;
fail:
  if (rc == ENOMEM) snprintf(err, errlen, "out of memory");
  lx_cqlshards_close(s);
  return rc;
}

const lx_cview *lx_cqlshards_view(lx_cqlshards *s) { return &s->view; }

void lx_cqlshards_close(lx_cqlshards *s) {
  if (!s) return;
  for (size_t i = 0; s->pa && i < s->npa; i++) {
    pset *p = &s->pa[i];
    free(p->name);
    free(p->h);
    lx_lex_free(&p->lex);
    for (size_t k = 0; p->to_set && k < s->n; k++) free(p->to_set[k]);
    free(p->to_set);
  }
  free(s->pa);
  for (size_t i = 0; i < s->nsa; i++) free(s->sa[i].name), free(s->sa[i].h), free(s->sa[i].first);
  free(s->sa);
  for (size_t k = 0; s->name && k < s->n; k++) free(s->name[k]);
  free(s->name);
  free(s->part);
  free(s->base);
  free(s);
}
