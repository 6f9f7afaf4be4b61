/*
** corpus_shards.c: several indexes (shards), built apart, queried as one
** corpus. Each shard answers the query alone (lx_corpus_query, two shards
** at a time on two processors); their hits and documents then go into one
** concordance, in shard order, and its source hooks pass each hit to the
** shard it came from. A shard's sort keys are ranks in its own lexicon, so
** across shards they are made ids of the concordance's lexicon of folded
** key strings, which the sort ranks as it ranks the keys of scanned text:
** bytewise, as an index ranks its own, so the order is one index's.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "corpus.h"
#include "input.h"

int lx_shards_check(lx_corpus *const *x, size_t n, char *err, size_t errlen) {
  static const char *const what[] = { "words split at apostrophes (--split-apostrophes)",
                                      "Chinese, Japanese, Thai ... cut without dictionaries (--no-dictionary)" };
  for (size_t i = 1; i < n; i++) {
    if (lx_corpus_annotated(x[i]) != lx_corpus_annotated(x[0])) {
      snprintf(err, errlen, "%s: %s, but %s is %s: shards of one corpus must be built alike",
               lx_corpus_path(x[i]), lx_corpus_annotated(x[i]) ? "annotated (.vrt, .conllu)" : "plain text",
               lx_corpus_path(x[0]), lx_corpus_annotated(x[0]) ? "annotated" : "plain text");
      return -1;
    }
    unsigned a = lx_corpus_options(x[0]), b = lx_corpus_options(x[i]);
    for (unsigned k = 0; k < 2; k++) {
      unsigned bit = 1u << k;
      if ((a & bit) == (b & bit)) continue;
      snprintf(err, errlen, "%s: built with%s %s, but %s was%s: shards of one corpus must be built alike "
               "(queries are cut into tokens as each was)", lx_corpus_path(x[i]), b & bit ? "" : "out",
               what[k], lx_corpus_path(x[0]), b & bit ? " not" : "");
      return -1;
    }
  }
  return 0;
}

/* The concordance's source: the shards' own, and what maps their keys. */
typedef struct shardset {
  size_t n;
  lx_conc *conc;             /* whose lexicon the keys become ids of */
  lx_conc_source *src;       /* per shard: its own hooks */
  lx_corpus **x;
  uint32_t *doc0;            /* per shard: its first document here; doc0[n] = all */
  uint32_t **byrank;         /* per shard: folded type of each rank, made when a key is first mapped */
  uint32_t **key;            /* per shard: rank -> key id + 1 here (0: not yet) */
  size_t bad;                /* the shard whose hook failed last */
} shardset;

static void set_free(void *ctx) {
  shardset *s = ctx;
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) {
    if (s->byrank) free(s->byrank[i]);
    if (s->key) free(s->key[i]);
  }
  free(s->byrank);
  free(s->key);
  free(s->src);
  free(s->x);
  free(s->doc0);
  free(s);
}

static size_t shard_of(const shardset *s, uint32_t d) {
  size_t lo = 0, hi = s->n;                  /* the last shard whose doc0 <= d */
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (s->doc0[mid] <= d) lo = mid; else hi = mid;
  }
  return lo;
}

/* Shard i's key k (its rank + 1) as a key id + 1 of the concordance's
** lexicon; 0 stays 0 (no token). -1 damaged, -2 out of memory. */
static int64_t map_key(shardset *s, size_t i, uint32_t k) {
  if (k == 0) return 0;
  const lx_corpus *x = s->x[i];
  uint64_t nf = lx_corpus_ftypes(x);
  if (k > nf) return -1;
  if (!s->key[i]) {
    uint32_t *inv = lx_malloc((nf ? nf : 1) * sizeof *inv);
    uint32_t *key = lx_calloc(nf ? nf : 1, sizeof *key);
    if (!inv || !key) { free(inv); free(key); return -2; }
    for (uint64_t r = 0; r < nf; r++) inv[r] = LX_NOID;
    for (uint64_t f = 0; f < nf; f++) {
      uint32_t r = lx_corpus_frank(x, (uint32_t)f);
      if (r == LX_NOID || inv[r] != LX_NOID) { free(inv); free(key); return -1; }
      inv[r] = (uint32_t)f;
    }
    s->byrank[i] = inv, s->key[i] = key;
  }
  uint32_t *slot = &s->key[i][k - 1];
  if (!*slot) {
    size_t len;
    const char *w = lx_corpus_folded(x, s->byrank[i][k - 1], &len);
    if (!w) return -1;
    uint32_t id = lx_lex_intern(&s->conc->keys, w, len);
    if (id == LX_NOID) return -2;
    *slot = id + 1;
  }
  return *slot;
}

/* The key slots of hits h[0..n) of shard i that have, and had not: mapped. */
static int map_keys(shardset *s, size_t i, lx_hit *h, size_t n, const uint32_t *had) {
  for (size_t j = 0; j < n; j++) {
    uint32_t now = h[j].have & ~had[j];
    for (int k = 0; k < LX_NSLOTS; k++) {
      if (!(now & LX_HAVE_KEY(k))) continue;
      int64_t v = map_key(s, i, h[j].key[k]);
      if (v < 0) return (int)v;
      h[j].key[k] = (uint32_t)v;
    }
  }
  return 0;
}

/* The hook: each run of hits of one shard goes to that shard's own, their
** document numbers its own for the while. */
static int set_fill(void *ctx, lx_hit *h, size_t n, unsigned want, unsigned left, unsigned right) {
  shardset *s = ctx;
  enum { RUN = 256 };
  uint32_t had[RUN];
  for (size_t a = 0; a < n;) {
    size_t i = shard_of(s, h[a].doc), b = a + 1;
    uint32_t lo = s->doc0[i], hi = s->doc0[i + 1];
    while (b < n && b - a < RUN && h[b].doc >= lo && h[b].doc < hi) b++;
    for (size_t j = a; j < b; j++) had[j - a] = h[j].have, h[j].doc -= lo;
    int rc = s->src[i].fill(s->src[i].ctx, h + a, b - a, want, left, right);
    for (size_t j = a; j < b; j++) h[j].doc += lo;
    if (rc) { s->bad = i; return -1; }
    if ((rc = map_keys(s, i, h + a, b - a, had)) != 0) {
      if (rc == -2) snprintf(s->conc->err, sizeof s->conc->err, "out of memory");
      s->bad = i;
      return -1;
    }
    a = b;
  }
  return 0;
}

static int set_text(void *ctx, uint32_t d, lx_cdoc *doc, char *err, size_t errlen) {
  shardset *s = ctx;
  size_t i = shard_of(s, d);
  return s->src[i].text(s->src[i].ctx, d - s->doc0[i], doc, err, errlen);
}

/* A shard whose index keeps its text (lexis index --store-text) decodes the
** blocks a hit shows on demand; one that reads its files checks them. */
static int set_need(void *ctx, uint32_t d, lx_cdoc *doc, uint64_t a, uint64_t b) {
  shardset *s = ctx;
  size_t i = shard_of(s, d);
  if (!s->src[i].need) return 0;
  int rc = s->src[i].need(s->src[i].ctx, d - s->doc0[i], doc, a, b);
  if (rc) s->bad = i;
  return rc;
}

static int set_agrees(void *ctx, const lx_hit *h, unsigned left, unsigned right, const lx_cdoc *doc) {
  shardset *s = ctx;
  size_t i = shard_of(s, h->doc);
  if (!s->src[i].agrees) return 0;
  lx_hit own = *h;
  own.doc -= s->doc0[i];
  int rc = s->src[i].agrees(s->src[i].ctx, &own, left, right, doc);
  if (rc < 0) s->bad = i;
  return rc;
}

static int set_damage(const void *ctx, char *err, size_t errlen) {
  const shardset *s = ctx;
  return s->src[s->bad].damage(s->src[s->bad].ctx, err, errlen);
}

/* One shard's query, into a concordance of its own. */
typedef struct job {
  lx_corpus *x;
  const lx_query *q;
  lx_conc *part;
  size_t stop_after;
  int rc;
  char err[512];
} job;

typedef struct pool {
  job *jobs;
  size_t n, next;
  pthread_mutex_t lock;
} pool;

static void run_job(job *j) {
  j->rc = lx_corpus_query(j->x, j->q, j->part, j->stop_after, j->err, sizeof j->err);
}

typedef struct worker {
  pool *p;
  const lx_query *q;         /* this thread's copy */
} worker;

static void *work(void *arg) {
  worker *w = arg;
  for (;;) {
    pthread_mutex_lock(&w->p->lock);
    size_t i = w->p->next++;
    pthread_mutex_unlock(&w->p->lock);
    if (i >= w->p->n) return NULL;
    w->p->jobs[i].q = w->q;
    run_job(&w->p->jobs[i]);
    if (w->p->jobs[i].rc) return NULL;       /* the others stop at their next shard too */
  }
}

/* Part j's documents and hits appended to conc, their keys mapped. */
static int take_part(shardset *s, size_t i, lx_conc *part) {
  lx_conc *c = s->conc;
  s->doc0[i] = c->ndocs;
  for (uint32_t d = 0; d < part->ndocs; d++)
    if (lx_conc_add_doc(c, part->docs[d].name, strlen(part->docs[d].name), NULL, 0) < 0) return -2;
  if (part->ndocs == 0 && lx_corpus_ndocs(s->x[i]) > 0) {   /* not queried (a limit met): named alike */
    char *cwd = getcwd(NULL, 0);
    for (uint32_t d = 0; d < lx_corpus_ndocs(s->x[i]); d++) {
      const char *name;
      lx_corpus_doc(s->x[i], d, &name);
      name = lx_path_shown(name, cwd);
      if (lx_conc_add_doc(c, name, strlen(name), NULL, 0) < 0) { free(cwd); return -2; }
    }
    free(cwd);
  }
  s->doc0[i + 1] = c->ndocs;
  c->counted += part->counted;
  c->dropped += part->dropped;
  if (part->n && lx_conc_reserve(c, c->n + part->n)) return -2;
  enum { RUN = 256 };
  uint32_t had[RUN] = { 0 };
  for (size_t a = 0; a < part->n; a += RUN) {
    size_t b = part->n - a < RUN ? part->n : a + RUN;
    int rc = map_keys(s, i, part->hits + a, b - a, had);   /* keys taken while querying */
    if (rc) return rc;
  }
  for (size_t k = 0; k < part->n; k++) {
    lx_hit h = part->hits[k];
    h.doc += s->doc0[i];
    c->hits[c->n++] = h;
  }
  return 0;
}

int lx_shards_query(lx_corpus *const *x, size_t n, lx_query *const *q, size_t nq, lx_conc *conc,
                    size_t stop_after, char *err, size_t errlen) {
  if (lx_shards_check(x, n, err, errlen)) return -1;
  shardset *s = lx_calloc(1, sizeof *s);
  job *jobs = lx_calloc(n ? n : 1, sizeof *jobs);
  int rc = -1;
  if (!s || !jobs) goto oom;
  s->n = n;
  s->conc = conc;
  if (!(s->src = lx_calloc(n ? n : 1, sizeof *s->src)) || !(s->x = lx_calloc(n ? n : 1, sizeof *s->x)) ||
      !(s->doc0 = lx_calloc(n + 1, sizeof *s->doc0)) || !(s->byrank = lx_calloc(n ? n : 1, sizeof *s->byrank)) ||
      !(s->key = lx_calloc(n ? n : 1, sizeof *s->key)))
    goto oom;
  for (size_t i = 0; i < n; i++) {
    s->x[i] = x[i];
    lx_corpus_source(x[i], &s->src[i]);
    jobs[i].x = x[i];
    jobs[i].q = q[0];
    if (!(jobs[i].part = lx_conc_new(conc->left, conc->right))) goto oom;
    jobs[i].part->count_only = conc->count_only;
    jobs[i].part->best = conc->best;
  }
  conc->src = (lx_conc_source){ .ctx = s, .fill = set_fill, .text = set_text, .agrees = set_agrees,
                                .damage = set_damage, .release = set_free, .need = set_need };
  lx_conc *own = conc;                       /* the concordance frees s from here */
  s = NULL;
  shardset *set = own->src.ctx;
  if (stop_after || n < 2 || nq < 2 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
    /* one after another: a limit without a sort is met by the first shards */
    uint64_t found = 0;
    for (size_t i = 0; i < n; i++) {
      if (stop_after && found >= stop_after) continue;   /* no hit of theirs is kept */
      jobs[i].stop_after = stop_after ? stop_after - (size_t)found : 0;
      run_job(&jobs[i]);
      if (jobs[i].rc) break;
      found += jobs[i].part->n + jobs[i].part->counted;
    }
  } else {
    pool p = { jobs, n, 0, PTHREAD_MUTEX_INITIALIZER };
    worker w[2] = { { &p, q[0] }, { &p, q[1] } };
    pthread_t th;
    int two = pthread_create(&th, NULL, work, &w[1]) == 0;
    work(&w[0]);
    if (two) pthread_join(th, NULL);
  }
  for (size_t i = 0; i < n; i++) {
    if (jobs[i].rc) {                        /* the first shard's trouble, which names it */
      snprintf(err, errlen, "%s", jobs[i].err);
      goto done;
    }
  }
  for (size_t i = 0; i < n; i++) {
    int r = take_part(set, i, jobs[i].part);
    if (r == -2) goto oom;
    if (r) {
      set->bad = i;
      set_damage(set, err, errlen);
      goto done;
    }
  }
  rc = 0;
  goto done;
oom:
  snprintf(err, errlen, "out of memory");
done:
  set_free(s);
  for (size_t i = 0; jobs && i < n; i++) lx_conc_free(jobs[i].part);
  free(jobs);
  return rc;
}
