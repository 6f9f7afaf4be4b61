/*
** cqlmem.c: a .vrt or .conllu file read into memory behind an lx_cview
** (src/cqlview.h), so that a CQL query runs without an index.
**
** Each positional attribute gets a lexicon (ids in order of first
** appearance), an id stream and postings (counted, then filled). Regions
** are kept per name and depth under CWB's names: s for the outermost, s1,
** s2 for regions nested in their own kind (docs/formats.md), and each
** attribute of a tag as its own structural attribute with values over the
** same regions, text_year (s_id1 for the id of an s1 region). A region
** without tokens is dropped, as cwb-encode drops it.
*/
#include "cqlrun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "progress.h"

typedef struct lexicon {
  char *bytes;                /* the strings, one after another */
  size_t nbytes, bcap;
  uint64_t *off;              /* string id is bytes[off[id] .. off[id + 1]) */
  uint32_t n, cap;
  uint32_t *slots;            /* hash: id + 1, 0 empty */
  size_t nslots;
} lexicon;

typedef struct pattr {
  char *name;
  lexicon lex;
  uint32_t *ids;              /* by position */
  uint64_t *post_off;         /* postings of id: post[post_off[id] .. post_off[id + 1]) */
  uint64_t *post;
} pattr;

typedef struct rkey {
  char *name;                 /* text_year */
  char *key;                  /* year */
  uint64_t *voff;             /* value of region i: vals[voff[i] .. + vlen[i]) */
  uint32_t *vlen;
} rkey;

typedef struct rset {         /* the regions of one name at one depth */
  char *name;                 /* s, s1 */
  int structure, depth;
  uint64_t *start, *end;
  size_t n, cap;
  int open;                   /* 1 while region n - 1 is open */
  rkey *keys;
  size_t nkeys;
} rset;

typedef struct handle {       /* a structural attribute as the view names it */
  int set, key;               /* key -1: the regions themselves */
} handle;

struct lx_cqlmem {
  lx_cview view;
  char *path;
  pattr *p;
  size_t np;
  uint64_t ntokens, tcap;
  rset *r;
  size_t nr;
  handle *h;
  size_t nh;
  char *vals;                 /* region values */
  size_t nvals, vcap;
  char err[512];
};

static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  void *m = lx_realloc(*p, c * size);
  if (!m) return ENOMEM;
  *p = m;
  *cap = c;
  return 0;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static int lex_find(const lexicon *x, const char *s, size_t n, uint32_t *id) {
  if (!x->nslots) return 0;
  size_t h = (size_t)hash_bytes(s, n) & (x->nslots - 1);
  while (x->slots[h]) {
    uint32_t i = x->slots[h] - 1;
    if (x->off[i + 1] - x->off[i] == n && memcmp(x->bytes + x->off[i], s, n) == 0) {
      *id = i;
      return 1;
    }
    h = (h + 1) & (x->nslots - 1);
  }
  return 0;
}

static int lex_add(lexicon *x, const char *s, size_t n, uint32_t *id) {
  if (lex_find(x, s, n, id)) return 0;
  if (x->n == UINT32_MAX - 1) return EOVERFLOW;
  if ((size_t)(x->n + 1) * 2 >= x->nslots) {
    size_t ns = x->nslots ? x->nslots * 2 : 1024;
    uint32_t *sl = lx_calloc(ns, sizeof *sl);
    if (!sl) return ENOMEM;
    for (uint32_t i = 0; i < x->n; i++) {
      size_t h = (size_t)hash_bytes(x->bytes + x->off[i], x->off[i + 1] - x->off[i]) & (ns - 1);
      while (sl[h]) h = (h + 1) & (ns - 1);
      sl[h] = i + 1;
    }
    free(x->slots);
    x->slots = sl;
    x->nslots = ns;
  }
  size_t cap = x->cap;
  if (grow((void **)&x->off, &cap, (size_t)x->n + 2, sizeof *x->off)) return ENOMEM;
  x->cap = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
  if (grow((void **)&x->bytes, &x->bcap, x->nbytes + n + 1, 1)) return ENOMEM;
  if (x->n == 0) x->off[0] = 0;
  if (n) memcpy(x->bytes + x->nbytes, s, n);
  x->nbytes += n;
  x->off[x->n + 1] = x->nbytes;
  size_t h = (size_t)hash_bytes(s, n) & (x->nslots - 1);
  while (x->slots[h]) h = (h + 1) & (x->nslots - 1);
  x->slots[h] = x->n + 1;
  *id = x->n++;
  return 0;
}

/* ------------------------------------------------------------- the view */

#define M(ctx) ((lx_cqlmem *)(ctx))

static int v_pattr(void *ctx, const char *name) {
  for (size_t i = 0; i < M(ctx)->np; i++)
    if (strcmp(M(ctx)->p[i].name, name) == 0) return (int)i;
  return -1;
}
static size_t v_npattrs(void *ctx) { return M(ctx)->np; }
static const char *v_pattr_name(void *ctx, int a) { return M(ctx)->p[a].name; }
static uint32_t v_lexicon_size(void *ctx, int a) { return M(ctx)->p[a].lex.n; }
static int v_lexicon_str(void *ctx, int a, uint32_t id, const char **s, size_t *len) {
  const lexicon *x = &M(ctx)->p[a].lex;
  *s = x->bytes + x->off[id];
  *len = x->off[id + 1] - x->off[id];
  return 0;
}
static int v_lexicon_find(void *ctx, int a, const char *s, size_t len, uint32_t *id, int *found) {
  *found = lex_find(&M(ctx)->p[a].lex, s, len, id);
  return 0;
}
static int v_frequency(void *ctx, int a, uint32_t id, uint64_t *f) {
  const pattr *p = &M(ctx)->p[a];
  *f = p->post_off[id + 1] - p->post_off[id];
  return 0;
}
static int v_ids(void *ctx, int a, uint64_t from, size_t n, uint32_t *ids) {
  memcpy(ids, M(ctx)->p[a].ids + from, n * sizeof *ids);
  return 0;
}
static int v_postings(void *ctx, int a, uint32_t id, lx_cview_each each, void *arg) {
  const pattr *p = &M(ctx)->p[a];
  uint64_t n = p->post_off[id + 1] - p->post_off[id];
  if (n) each(arg, p->post + p->post_off[id], (size_t)n);
  return 0;
}

static int v_sattr(void *ctx, const char *name, int *has_values) {
  lx_cqlmem *m = M(ctx);
  for (size_t i = 0; i < m->nh; i++) {
    const handle *h = &m->h[i];
    const char *n = h->key < 0 ? m->r[h->set].name : m->r[h->set].keys[h->key].name;
    if (strcmp(n, name) == 0) {
      if (has_values) *has_values = h->key >= 0;
      return (int)i;
    }
  }
  return -1;
}
static size_t v_nsattrs(void *ctx) { return M(ctx)->nh; }
static const char *v_sattr_name(void *ctx, int s) {
  const handle *h = &M(ctx)->h[s];
  return h->key < 0 ? M(ctx)->r[h->set].name : M(ctx)->r[h->set].keys[h->key].name;
}
static uint64_t v_region_count(void *ctx, int s) { return M(ctx)->r[M(ctx)->h[s].set].n; }
static int v_region(void *ctx, int s, uint64_t i, uint64_t *start, uint64_t *end) {
  const rset *r = &M(ctx)->r[M(ctx)->h[s].set];
  *start = r->start[i];
  *end = r->end[i];
  return 0;
}
static int v_region_at(void *ctx, int s, uint64_t pos, uint64_t *i) {
  const rset *r = &M(ctx)->r[M(ctx)->h[s].set];
  size_t lo = 0, hi = r->n;            /* the last region starting at or before pos */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (r->start[mid] <= pos) lo = mid + 1;
    else hi = mid;
  }
  *i = lo > 0 && r->end[lo - 1] > pos ? (uint64_t)(lo - 1) : UINT64_MAX;
  return 0;
}
static int v_region_value(void *ctx, int s, uint64_t i, const char **v, size_t *len) {
  lx_cqlmem *m = M(ctx);
  const handle *h = &m->h[s];
  if (h->key < 0) {
    *v = "";
    *len = 0;
    return 0;
  }
  const rkey *k = &m->r[h->set].keys[h->key];
  *v = m->vals ? m->vals + k->voff[i] : "";
  *len = k->vlen[i];
  return 0;
}
static const char *v_error(void *ctx) { return M(ctx)->err; }

/* ------------------------------------------------------------- reading */

static char *name_of(const char *base, int depth, const char *key) {
  char b[LX_VRT_MAX_NAME * 2 + 24];
  if (key) snprintf(b, sizeof b, "%s_%s", base, key);
  else snprintf(b, sizeof b, "%s", base);
  if (depth > 0) snprintf(b + strlen(b), sizeof b - strlen(b), "%d", depth);
  return lx_strdup(b);
}

static int add_handle(lx_cqlmem *m, int set, int key) {
  size_t cap = m->nh;
  handle *h = lx_realloc(m->h, (cap + 1) * sizeof *h);
  if (!h) return ENOMEM;
  m->h = h;
  h[m->nh].set = set;
  h[m->nh].key = key;
  m->nh++;
  return 0;
}

static rset *set_for(lx_cqlmem *m, lx_vrt *rd, int structure, int depth, int *err) {
  for (size_t i = 0; i < m->nr; i++)
    if (m->r[i].structure == structure && m->r[i].depth == depth) return &m->r[i];
  rset *r = lx_realloc(m->r, (m->nr + 1) * sizeof *r);
  if (!r) goto nomem;
  m->r = r;
  r = &m->r[m->nr];
  memset(r, 0, sizeof *r);
  r->structure = structure;
  r->depth = depth;
  if (!(r->name = name_of(lx_vrt_structure(rd, (size_t)structure), depth, NULL))) goto nomem;
  m->nr++;
  if (add_handle(m, (int)m->nr - 1, -1)) goto nomem;
  return r;
nomem:
  *err = ENOMEM;
  return NULL;
}

static int put_value(lx_cqlmem *m, rkey *k, size_t region, const char *s, size_t n) {
  if (n > UINT32_MAX) n = UINT32_MAX;
  if (grow((void **)&m->vals, &m->vcap, m->nvals + n + 1, 1)) return ENOMEM;
  if (n) memcpy(m->vals + m->nvals, s, n);
  k->voff[region] = m->nvals;
  k->vlen[region] = (uint32_t)n;
  m->nvals += n;
  return 0;
}

static int on_open(lx_cqlmem *m, lx_vrt *rd, const lx_vrt_event *ev) {
  int err = 0;
  rset *r = set_for(m, rd, ev->structure, ev->depth, &err);
  if (!r) return err;
  size_t setno = (size_t)(r - m->r);
  if (grow((void **)&r->start, &r->cap, r->n + 1, sizeof *r->start)) return ENOMEM;
  uint64_t *e = lx_realloc(r->end, r->cap * sizeof *e);   /* end has start's capacity */
  if (!e) return ENOMEM;
  r->end = e;
  size_t i = r->n++;
  r->start[i] = ev->position;
  r->end[i] = ev->position;
  r->open = 1;
  for (size_t k = 0; k < r->nkeys; k++) {   /* room for this region's values, empty */
    uint64_t *vo = lx_realloc(r->keys[k].voff, r->cap * sizeof *vo);
    if (!vo) return ENOMEM;
    r->keys[k].voff = vo;
    uint32_t *vl = lx_realloc(r->keys[k].vlen, r->cap * sizeof *vl);
    if (!vl) return ENOMEM;
    r->keys[k].vlen = vl;
    vo[i] = 0;
    vl[i] = 0;
  }
  for (size_t a = 0; a < ev->nattrs; a++) {
    size_t k;
    for (k = 0; k < r->nkeys; k++)
      if (strlen(r->keys[k].key) == ev->key[a].n && memcmp(r->keys[k].key, ev->key[a].p, ev->key[a].n) == 0) break;
    if (k == r->nkeys) {                /* a new key: earlier regions had it empty */
      rkey *nk = lx_realloc(r->keys, (r->nkeys + 1) * sizeof *nk);
      if (!nk) return ENOMEM;
      r->keys = nk;
      rkey *x = &r->keys[r->nkeys];
      memset(x, 0, sizeof *x);
      char key[LX_VRT_MAX_NAME + 1];
      size_t kl = ev->key[a].n < LX_VRT_MAX_NAME ? ev->key[a].n : LX_VRT_MAX_NAME;
      memcpy(key, ev->key[a].p, kl);
      key[kl] = '\0';
      x->name = name_of(lx_vrt_structure(rd, (size_t)ev->structure), ev->depth, key);
      x->key = lx_strdup(key);
      x->voff = lx_calloc(r->cap, sizeof *x->voff);
      x->vlen = lx_calloc(r->cap, sizeof *x->vlen);
      r->nkeys++;
      if (!x->name || !x->key || !x->voff || !x->vlen) return ENOMEM;
      if (add_handle(m, (int)setno, (int)k)) return ENOMEM;
    }
    if (put_value(m, &r->keys[k], i, ev->val[a].p, ev->val[a].n)) return ENOMEM;
  }
  return 0;
}

static void on_close(lx_cqlmem *m, const lx_vrt_event *ev) {
  for (size_t i = 0; i < m->nr; i++) {
    rset *r = &m->r[i];
    if (r->structure != ev->structure || r->depth != ev->depth || !r->open) continue;
    r->open = 0;
    if (ev->position <= r->start[r->n - 1]) r->n--;   /* no tokens: dropped, as cwb-encode does */
    else r->end[r->n - 1] = ev->position;
    return;
  }
}

static int on_token(lx_cqlmem *m, lx_vrt *rd, const lx_vrt_event *ev) {
  if (m->np == 0) {
    size_t n = lx_vrt_npattrs(rd);
    m->p = lx_calloc(n ? n : 1, sizeof *m->p);
    if (!m->p) return ENOMEM;
    m->np = n;
    for (size_t i = 0; i < n; i++)
      if (!(m->p[i].name = lx_strdup(lx_vrt_pattr(rd, i)))) return ENOMEM;
  }
  if (m->ntokens == m->tcap) {
    size_t cap = m->tcap ? m->tcap * 2 : 1024;
    for (size_t i = 0; i < m->np; i++) {
      uint32_t *ids = lx_realloc(m->p[i].ids, cap * sizeof *ids);
      if (!ids) return ENOMEM;
      m->p[i].ids = ids;
    }
    m->tcap = cap;
  }
  for (size_t i = 0; i < m->np; i++) {
    uint32_t id;
    int rc = lex_add(&m->p[i].lex, ev->value[i].p, ev->value[i].n, &id);
    if (rc) return rc;
    m->p[i].ids[m->ntokens] = id;
  }
  m->ntokens++;
  return 0;
}

static int make_postings(lx_cqlmem *m) {
  for (size_t a = 0; a < m->np; a++) {
    pattr *p = &m->p[a];
    p->post_off = lx_calloc((size_t)p->lex.n + 2, sizeof *p->post_off);
    p->post = lx_malloc((m->ntokens ? m->ntokens : 1) * sizeof *p->post);
    if (!p->post_off || !p->post) return ENOMEM;
    for (uint64_t i = 0; i < m->ntokens; i++) p->post_off[p->ids[i] + 2]++;
    for (uint32_t id = 0; id < p->lex.n; id++) p->post_off[id + 2] += p->post_off[id + 1];
    for (uint64_t i = 0; i < m->ntokens; i++) p->post[p->post_off[p->ids[i] + 1]++] = i;
  }
  return 0;
}

int lx_cqlmem_open(lx_cqlmem **out, const char *path, const lx_vrt_opts *opts,
                   void (*warn)(void *arg, const char *msg), void *warn_arg,
                   char *err, size_t errlen) {
  *out = NULL;
  lx_cqlmem *m = lx_calloc(1, sizeof *m);
  if (!m || !(m->path = lx_strdup(path))) {
    free(m);
    snprintf(err, errlen, "%s: out of memory", path);
    return ENOMEM;
  }
  lx_vrt_opts none = { 0 };
  lx_vrt *rd = NULL;
  int rc = lx_vrt_open(&rd, path, opts ? opts : &none, err, errlen);
  if (rc) {
    lx_cqlmem_close(m);
    return rc;
  }
  for (;;) {
    lx_vrt_event ev;
    rc = lx_vrt_next(rd, &ev);
    if (rc) {
      snprintf(err, errlen, "%s", lx_vrt_error(rd));
      break;
    }
    if (ev.kind == LX_VRT_END) break;
    if (ev.kind == LX_VRT_WARNING) {
      if (warn) warn(warn_arg, ev.message);
      continue;
    }
    if (ev.kind == LX_VRT_TOKEN) rc = on_token(m, rd, &ev);
    else if (ev.kind == LX_VRT_OPEN) rc = on_open(m, rd, &ev);
    else if (ev.kind == LX_VRT_CLOSE) on_close(m, &ev);
    if (rc) {
      snprintf(err, errlen, "%s:%llu: %s", path, (unsigned long long)ev.line,
               rc == ENOMEM ? "out of memory" : "more than 4294967294 distinct values of one attribute");
      break;
    }
  }
  if (!rc && m->np == 0) {             /* no token: the attributes still have names */
    size_t n = lx_vrt_npattrs(rd);
    m->p = lx_calloc(n ? n : 1, sizeof *m->p);
    if (!m->p) rc = ENOMEM;
    else {
      m->np = n;
      for (size_t i = 0; i < n && !rc; i++)
        if (!(m->p[i].name = lx_strdup(lx_vrt_pattr(rd, i)))) rc = ENOMEM;
    }
    if (rc) snprintf(err, errlen, "%s: out of memory", path);
  }
  lx_vrt_close(rd);
  if (!rc && make_postings(m)) {
    rc = ENOMEM;
    snprintf(err, errlen, "%s: out of memory", path);
  }
  if (rc) {
    lx_cqlmem_close(m);
    return rc;
  }
  lx_cview *v = &m->view;
  v->ctx = m;
  v->ntokens = m->ntokens;
  v->pattr = v_pattr;
  v->npattrs = v_npattrs;
  v->pattr_name = v_pattr_name;
  v->lexicon_size = v_lexicon_size;
  v->lexicon_str = v_lexicon_str;
  v->lexicon_find = v_lexicon_find;
  v->frequency = v_frequency;
  v->ids = v_ids;
  v->postings = v_postings;
  v->sattr = v_sattr;
  v->nsattrs = v_nsattrs;
  v->sattr_name = v_sattr_name;
  v->region_count = v_region_count;
  v->region = v_region;
  v->region_at = v_region_at;
  v->region_value = v_region_value;
  v->error = v_error;
  *out = m;
  return 0;
}

const lx_cview *lx_cqlmem_view(lx_cqlmem *m) { return &m->view; }
const char *lx_cqlmem_path(const lx_cqlmem *m) { return m->path; }

void lx_cqlmem_close(lx_cqlmem *m) {
  if (!m) return;
  for (size_t i = 0; i < m->np; i++) {
    pattr *p = &m->p[i];
    free(p->name);
    free(p->lex.bytes);
    free(p->lex.off);
    free(p->lex.slots);
    free(p->ids);
    free(p->post_off);
    free(p->post);
  }
  free(m->p);
  for (size_t i = 0; i < m->nr; i++) {
    rset *r = &m->r[i];
    free(r->name);
    free(r->start);
    free(r->end);
    for (size_t k = 0; k < r->nkeys; k++) {
      free(r->keys[k].name);
      free(r->keys[k].key);
      free(r->keys[k].voff);
      free(r->keys[k].vlen);
    }
    free(r->keys);
  }
  free(m->r);
  free(m->h);
  free(m->vals);
  free(m->path);
  free(m);
}
