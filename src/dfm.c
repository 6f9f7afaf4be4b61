/*
** dfm.c: a document-feature matrix over a word reader's ids.
**
** While a document is read, each word id bumps a counter in a dense array
** (one per word type, reused by every document) and the first bump of an id
** notes it; at the document's end the noted ids, sorted, give its row of
** (id, count) entries and the counters go back to 0. So a document costs
** its tokens plus a sort of its distinct words, and memory is the entries.
*/
#include "dfm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "encode.h"

typedef struct entry {
  uint32_t doc, id, count;
} entry;

struct lx_dfm {
  lx_wreader *r;
  int64_t cur;              /* the document being read, -1 before the first */
  uint32_t *cnt;            /* per word id: its count in the current document */
  uint32_t *touched;        /* the ids counted in the current document */
  size_t ntouched, tcap, ncnt;
  entry *e;
  uint64_t ne, ecap;
  uint32_t *docfreq;        /* per word id: the documents it occurs in */
  uint64_t *total;          /* per word id: its count over all documents */
  size_t nfreq;
  char **names;             /* per document */
  uint32_t nnames, namecap;
  uint32_t *col;            /* per word id: its column, or UINT32_MAX (after select) */
  uint32_t *ids;            /* per column: its word id */
  size_t ncols;
  uint64_t nonzero;
  int oom;
};

static int grow(void *pp, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : 256;
  while (n < need) n *= 2;
  void *p = lx_realloc(*(void **)pp, n * size);
  if (!p) return -1;
  *(void **)pp = p;
  *cap = n;
  return 0;
}

/* Room for per-id arrays up to the reader's types, new ids at 0. */
static int fit_types(lx_dfm *d) {
  size_t types = lx_wreader_types(d->r);
  if (types <= d->ncnt) return 0;
  size_t n = d->ncnt ? d->ncnt : 1024;
  while (n < types) n *= 2;
  uint32_t *c = lx_realloc(d->cnt, n * sizeof *c);
  if (!c) return -1;
  memset(c + d->ncnt, 0, (n - d->ncnt) * sizeof *c);
  d->cnt = c;
  uint32_t *f = lx_realloc(d->docfreq, n * sizeof *f);
  if (!f) return -1;
  memset(f + d->ncnt, 0, (n - d->ncnt) * sizeof *f);
  d->docfreq = f;
  uint64_t *t = lx_realloc(d->total, n * sizeof *t);
  if (!t) return -1;
  memset(t + d->ncnt, 0, (n - d->ncnt) * sizeof *t);
  d->total = t;
  d->ncnt = d->nfreq = n;
  return 0;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* The current document's row, its counters back to 0. */
static int flush(lx_dfm *d) {
  if (d->cur < 0 || d->ntouched == 0) return 0;
  qsort(d->touched, d->ntouched, sizeof *d->touched, cmp_u32);
  size_t ecap = (size_t)d->ecap;
  if (grow(&d->e, &ecap, (size_t)(d->ne + d->ntouched), sizeof *d->e)) return -1;
  d->ecap = ecap;
  for (size_t i = 0; i < d->ntouched; i++) {
    uint32_t id = d->touched[i];
    d->e[d->ne++] = (entry){ (uint32_t)d->cur, id, d->cnt[id] };
    d->docfreq[id]++;
    d->total[id] += d->cnt[id];
    d->cnt[id] = 0;
  }
  d->ntouched = 0;
  return 0;
}

static int dfm_words(void *ud, const uint32_t *ids, size_t n) {
  lx_dfm *d = ud;
  if (d->oom || fit_types(d) ||
      grow(&d->touched, &d->tcap, d->ntouched + n, sizeof *d->touched)) {
    d->oom = 1;
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t id = ids[i];
    if (d->cnt[id]++ == 0) d->touched[d->ntouched++] = id;
    else if (d->cnt[id] == 0) d->cnt[id] = UINT32_MAX;   /* saturate: 4 G of one word in one text */
  }
  return 0;
}

static void dfm_end(void *ud) { (void)ud; }

static void dfm_doc(void *ud, uint32_t doc) {
  lx_dfm *d = ud;
  if (flush(d)) d->oom = 1;
  d->cur = doc;
}

lx_dfm *lx_dfm_new(lx_wreader *r) {
  lx_dfm *d = lx_calloc(1, sizeof *d);
  if (!d) return NULL;
  d->r = r;
  d->cur = -1;
  return d;
}

void lx_dfm_free(lx_dfm *d) {
  if (!d) return;
  free(d->cnt);
  free(d->touched);
  free(d->e);
  free(d->docfreq);
  free(d->total);
  for (uint32_t i = 0; i < d->nnames; i++) free(d->names[i]);
  free(d->names);
  free(d->col);
  free(d->ids);
  free(d);
}

lx_wsink lx_dfm_sink(lx_dfm *d) {
  return (lx_wsink){ dfm_words, dfm_end, dfm_doc, d };
}

int lx_dfm_name(lx_dfm *d, const char *name) {
  uint32_t docs = lx_wreader_docs(d->r);
  while (d->nnames < docs) {
    size_t cap = d->namecap;
    if (grow(&d->names, &cap, (size_t)d->nnames + 1, sizeof *d->names)) return ENOMEM;
    d->namecap = (uint32_t)cap;
    if (!(d->names[d->nnames] = lx_strdup(name))) return ENOMEM;
    d->nnames++;
  }
  return d->oom ? ENOMEM : 0;
}

uint32_t lx_dfm_docs(const lx_dfm *d) { return d->nnames; }

static int cmp_entry(const void *a, const void *b) {
  const entry *x = a, *y = b;
  if (x->doc != y->doc) return x->doc < y->doc ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

int lx_dfm_group(lx_dfm *d, const uint32_t *group, uint32_t ngroups, const char *const *names) {
  if (d->col) return EINVAL;
  if (d->oom || fit_types(d) || flush(d)) return ENOMEM;
  for (uint32_t i = 0; i < d->nnames; i++)
    if (group[i] >= ngroups) return EINVAL;
  char **nn = lx_calloc((size_t)ngroups + 1, sizeof *nn);
  if (!nn) return ENOMEM;
  for (uint32_t g = 0; g < ngroups; g++)
    if (!(nn[g] = lx_strdup(names[g]))) {
      for (uint32_t k = 0; k < g; k++) free(nn[k]);
      free(nn);
      return ENOMEM;
    }
  /* rows renumbered, sorted again by (group, id), equal cells summed */
  for (uint64_t i = 0; i < d->ne; i++) d->e[i].doc = group[d->e[i].doc];
  if (d->ne) qsort(d->e, (size_t)d->ne, sizeof *d->e, cmp_entry);
  memset(d->docfreq, 0, d->nfreq * sizeof *d->docfreq);
  uint64_t k = 0;
  for (uint64_t i = 0; i < d->ne; i++) {
    entry *e = &d->e[i];
    if (k && d->e[k - 1].doc == e->doc && d->e[k - 1].id == e->id) {
      uint32_t c = d->e[k - 1].count + e->count;
      d->e[k - 1].count = c < e->count ? UINT32_MAX : c;     /* saturate, as counting does */
      continue;
    }
    d->e[k++] = *e;
    d->docfreq[e->id]++;
  }
  d->ne = k;
  for (uint32_t i = 0; i < d->nnames; i++) free(d->names[i]);
  free(d->names);
  d->names = nn;
  d->nnames = d->namecap = ngroups;
  return 0;
}

static void count_nonzero(lx_dfm *d) {
  d->nonzero = 0;
  for (uint64_t i = 0; i < d->ne; i++) d->nonzero += d->col[d->e[i].id] != UINT32_MAX;
}

size_t lx_dfm_select(lx_dfm *d, uint64_t min_count, uint32_t min_docs) {
  if (d->oom || fit_types(d) || flush(d)) return (size_t)-1;
  size_t types = lx_wreader_types(d->r);
  free(d->col);
  free(d->ids);
  d->col = lx_malloc((types + 1) * sizeof *d->col);
  d->ids = lx_malloc((types + 1) * sizeof *d->ids);
  if (!d->col || !d->ids) return (size_t)-1;
  size_t k = 0;
  for (size_t id = 0; id < types; id++) {
    int keep = d->total[id] > 0 && d->total[id] >= min_count && d->docfreq[id] >= min_docs;
    d->col[id] = keep ? (uint32_t)k : UINT32_MAX;
    if (keep) d->ids[k++] = (uint32_t)id;
  }
  d->ncols = k;
  count_nonzero(d);
  return k;
}

size_t lx_dfm_drop(lx_dfm *d, const unsigned char *drop) {
  if (!d->ids) return 0;
  size_t k = 0;
  for (size_t j = 0; j < d->ncols; j++) {
    uint32_t id = d->ids[j];
    if (drop[j]) {
      d->col[id] = UINT32_MAX;
      continue;
    }
    d->col[id] = (uint32_t)k;
    d->ids[k++] = id;
  }
  d->ncols = k;
  count_nonzero(d);
  return k;
}

uint64_t lx_dfm_nonzero(const lx_dfm *d) { return d->nonzero; }

const char *lx_dfm_feature(const lx_dfm *d, size_t j, size_t *len, uint64_t *count) {
  if (!d->ids || j >= d->ncols) return NULL;
  uint32_t id = d->ids[j];
  if (count) *count = d->total[id];
  return lx_lex_str(lx_wreader_lex(d->r), id, len);
}

const char *lx_dfm_docname(const lx_dfm *d, uint32_t doc) {
  return doc < d->nnames ? d->names[doc] : NULL;
}

uint32_t lx_dfm_get(const lx_dfm *d, uint32_t doc, size_t j) {
  if (!d->ids || j >= d->ncols) return 0;
  uint32_t id = d->ids[j];
  /* entries are in (doc, id) order */
  uint64_t lo = 0, hi = d->ne;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    const entry *m = &d->e[mid];
    if (m->doc < doc || (m->doc == doc && m->id < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo < d->ne && d->e[lo].doc == doc && d->e[lo].id == id ? d->e[lo].count : 0;
}

static int finish(lx_obuf *ob, FILE *f) {
  lx_ob_flush(ob);
  int err = ob->err;
  free(ob);
  if (err) return err;
  return ferror(f) ? (errno ? errno : EIO) : 0;
}

static lx_obuf *obuf(FILE *f) {
  lx_obuf *ob = lx_malloc(sizeof *ob);
  if (ob) ob->f = f, ob->n = 0, ob->err = 0;
  return ob;
}

int lx_dfm_write_mtx(const lx_dfm *d, FILE *f) {
  lx_obuf *ob = obuf(f);
  if (!ob || !d->col) {
    free(ob);
    return ENOMEM;
  }
  lx_ob_str(ob, "%%MatrixMarket matrix coordinate integer general\n"
                "% lexis dfm: documents are rows, features (words) columns\n");
  lx_ob_uint(ob, d->nnames, 0);
  lx_ob_put(ob, " ", 1);
  lx_ob_uint(ob, d->ncols, 0);
  lx_ob_put(ob, " ", 1);
  lx_ob_uint(ob, d->nonzero, 0);
  lx_ob_put(ob, "\n", 1);
  for (uint64_t i = 0; i < d->ne; i++) {
    const entry *e = &d->e[i];
    uint32_t c = d->col[e->id];
    if (c == UINT32_MAX) continue;
    lx_ob_uint(ob, (uint64_t)e->doc + 1, 0);
    lx_ob_put(ob, " ", 1);
    lx_ob_uint(ob, (uint64_t)c + 1, 0);
    lx_ob_put(ob, " ", 1);
    lx_ob_uint(ob, e->count, 0);
    lx_ob_put(ob, "\n", 1);
  }
  return finish(ob, f);
}

/* One name a line: a line break inside one is written as a space (the
** files are line-based; names with them are rare and would shift rows). */
static void put_line(lx_obuf *ob, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char ch = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
    lx_ob_put(ob, &ch, 1);
  }
  lx_ob_put(ob, "\n", 1);
}

int lx_dfm_write_features(const lx_dfm *d, FILE *f) {
  lx_obuf *ob = obuf(f);
  if (!ob || !d->ids) {
    free(ob);
    return ENOMEM;
  }
  const lx_lex *lex = lx_wreader_lex(d->r);
  for (size_t j = 0; j < d->ncols; j++) {
    size_t len;
    const char *w = lx_lex_str(lex, d->ids[j], &len);
    put_line(ob, w, len);
  }
  return finish(ob, f);
}

int lx_dfm_write_docs(const lx_dfm *d, FILE *f) {
  lx_obuf *ob = obuf(f);
  if (!ob) return ENOMEM;
  for (uint32_t i = 0; i < d->nnames; i++) put_line(ob, d->names[i], strlen(d->names[i]));
  return finish(ob, f);
}
