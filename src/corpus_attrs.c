/*
** corpus_attrs.c: the attributes of an index read back, and the view the
** CQL evaluator reads any index through (src/cqlview.h). An annotated
** index's directory (S_ATTRS, written by corpus_annot.c) is checked at
** open: every count against the bytes that hold it, every table inside
** S_ADATA; each byte read later goes through SOUND, so damage ends in an
** error. A plain-text index shows word, s (its sentences) and text /
** text_id (its documents) through the same view.
** Pure C: no Lua here.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_internal.h"
#include "alloc.h"
#include "progress.h"
#include "query.h"

enum { PA_NAME, PA_NLEX, PA_LEXOFF, PA_LEX, PA_LEXSIZE, PA_HASH, PA_NSLOTS, PA_IDS, PA_WIDTH,
       PA_POSTOFF, PA_POST, PA_POSTSIZE, PA_FREQ, PA_N = 16 };
enum { SA_NAME, SA_BASE, SA_NREG, SA_REG, SA_VALUES, SA_NVALS, SA_VOFF, SA_VLEX, SA_VSIZE, SA_VIDS,
       SA_N = 16 };
#define MAX_NAME 256

/* ================================================================ reading */

void lx_attrs_free(lx_corpus *c) {
  free(c->pa);
  free(c->sa);
  c->pa = NULL;
  c->sa = NULL;
  c->npa = c->nsa = 0;
}

/* Whether count items of width bytes at `at` lie inside S_ADATA, aligned. */
static int inside(const lx_corpus *c, uint64_t at, uint64_t count, uint64_t width) {
  uint64_t size = c->sec[S_ADATA].size;
  return at <= size && at % (width < 8 ? width : 8) == 0 && count <= (size - at) / width;
}

/* A NUL-ended name at `at`, checked, or NULL. */
static const char *name_at(const lx_corpus *c, uint64_t at) {
  uint64_t size = c->sec[S_ADATA].size;
  if (at >= size) return NULL;
  const char *p = (const char *)c->sec[S_ADATA].data + at;
  size_t n = size - at < MAX_NAME ? (size_t)(size - at) : MAX_NAME;
  if (!SOUND(c, S_ADATA, p, n)) return NULL;
  return memchr(p, 0, n) && p[0] ? p : NULL;
}

/* The last entry of an offset table is the size of what it indexes. */
static int ends_at(const lx_corpus *c, const uint64_t *off, uint64_t n, uint64_t size) {
  return SOUND(c, S_ADATA, &off[n], 8) && off[n] == size;
}

static int bind_pattr(lx_corpus *c, const uint64_t *e, lx_apattr *p) {
  const char *base = c->sec[S_ADATA].data;
  uint64_t slots = 16;
  p->name = name_at(c, e[PA_NAME]);
  if (!p->name || e[PA_NLEX] > UINT32_MAX - 1 || e[PA_NLEX] > c->ntok) return -1;
  p->nlex = (uint32_t)e[PA_NLEX];
  while (slots < (uint64_t)p->nlex * 2) slots *= 2;
  p->width = (unsigned)e[PA_WIDTH];
  if ((p->width != 1 && p->width != 2 && p->width != 4) ||
      (p->width == 1 && p->nlex > 256) || (p->width == 2 && p->nlex > 65536) ||
      e[PA_NSLOTS] != slots ||
      !inside(c, e[PA_LEXOFF], (uint64_t)p->nlex + 1, 8) || !inside(c, e[PA_LEX], e[PA_LEXSIZE], 1) ||
      !inside(c, e[PA_HASH], slots, 4) || !inside(c, e[PA_IDS], c->ntok, p->width) ||
      !inside(c, e[PA_POSTOFF], (uint64_t)p->nlex + 1, 8) || !inside(c, e[PA_FREQ], p->nlex, 8) ||
      !inside(c, e[PA_POST], e[PA_POSTSIZE], 1))
    return -1;
  p->lexoff = (const uint64_t *)(const void *)(base + e[PA_LEXOFF]);
  p->lex = base + e[PA_LEX];
  p->lexsize = e[PA_LEXSIZE];
  p->hash = (const uint32_t *)(const void *)(base + e[PA_HASH]);
  p->nslots = slots;
  p->ids = (const unsigned char *)base + e[PA_IDS];
  p->postoff = (const uint64_t *)(const void *)(base + e[PA_POSTOFF]);
  p->post = (const unsigned char *)base + e[PA_POST];
  p->postsize = e[PA_POSTSIZE];
  p->freq = (const uint64_t *)(const void *)(base + e[PA_FREQ]);
  return ends_at(c, p->lexoff, p->nlex, p->lexsize) && ends_at(c, p->postoff, p->nlex, p->postsize) ? 0 : -1;
}

static int bind_sattr(lx_corpus *c, const uint64_t *e, lx_asattr *s) {
  const char *base = c->sec[S_ADATA].data;
  s->name = name_at(c, e[SA_NAME]);
  if (!s->name || e[SA_NREG] > c->ntok || !inside(c, e[SA_REG], e[SA_NREG] * 2, 8) || e[SA_VALUES] > 1)
    return -1;
  s->nreg = e[SA_NREG];
  s->reg = (const uint64_t *)(const void *)(base + e[SA_REG]);
  s->has_values = (int)e[SA_VALUES];
  if (!s->has_values) return 0;
  if (e[SA_NVALS] == 0 || e[SA_NVALS] > UINT32_MAX - 1 || e[SA_NVALS] > e[SA_VSIZE] + 1 ||
      !inside(c, e[SA_VOFF], e[SA_NVALS] + 1, 8) || !inside(c, e[SA_VLEX], e[SA_VSIZE], 1) ||
      !inside(c, e[SA_VIDS], s->nreg, 4))
    return -1;
  s->nvals = (uint32_t)e[SA_NVALS];
  s->voff = (const uint64_t *)(const void *)(base + e[SA_VOFF]);
  s->vlex = base + e[SA_VLEX];
  s->vsize = e[SA_VSIZE];
  s->vids = (const uint32_t *)(const void *)(base + e[SA_VIDS]);
  return ends_at(c, s->voff, s->nvals, s->vsize) ? 0 : -1;
}

int lx_attrs_bind(lx_corpus *c, const char **why) {
  const lx_section *d = &c->sec[S_ATTRS];
  const uint64_t *h = d->data;
  *why = "attribute directory";
  if (d->size < 32 || d->size % 8) return -1;
  uint64_t room = (d->size - 32) / 8;
  if (h[0] > room / PA_N || h[1] > room / SA_N || (h[0] * PA_N + h[1] * SA_N) != room ||
      h[0] >= 1024 || h[1] > 4096)
    return -1;
  c->npa = (size_t)h[0];
  c->nsa = (size_t)h[1];
  c->pa = lx_calloc(c->npa + 1, sizeof *c->pa);
  c->sa = lx_calloc(c->nsa + 1, sizeof *c->sa);
  if (!c->pa || !c->sa) { lx_attrs_free(c); *why = NULL; return -1; }
  *why = "attributes";
  for (size_t i = 0; i < c->npa; i++)
    if (bind_pattr(c, h + 4 + i * PA_N, &c->pa[i])) { lx_attrs_free(c); return -1; }
  for (size_t i = 0; i < c->nsa; i++)
    if (bind_sattr(c, h + 4 + c->npa * PA_N + i * SA_N, &c->sa[i])) { lx_attrs_free(c); return -1; }
  *why = NULL;
  return 0;
}

int lx_corpus_annotated(const lx_corpus *c) { return c->annotated; }

/* ================================================================ the view */

/* Plain-text indexes' region sets. */
enum { PLAIN_S, PLAIN_TEXT, PLAIN_TEXT_ID };

typedef struct view {
  lx_corpus *c;
  char err[512];
  int plain[3];              /* a plain index's region sets, by handle */
  size_t nplain;
  uint32_t *docs;            /* a plain index: its documents that hold tokens */
  uint64_t ndocs;
  char **fnames;             /* a plain index: "text_" and each metadata field's name */
  size_t nfnames;            /* (kept here: the view may be freed after the corpus) */
} view;

static int damaged(view *v) {
  lx_corpus_damage(v->c, v->err, sizeof v->err);
  return -1;
}

static int fail(view *v, const char *what) {
  snprintf(v->err, sizeof v->err, "%s: %s", lx_corpus_path(v->c) ? lx_corpus_path(v->c) : "corpus", what);
  return -1;
}

static int nomem(view *v) {
  snprintf(v->err, sizeof v->err, "out of memory");
  return -1;
}

static const char *v_error(void *ctx) { return ((view *)ctx)->err; }

/* ---------------------------------------------------------------- positional */

static const char *const WORD = "word";

static int v_pattr(void *ctx, const char *name) {
  view *v = ctx;
  if (strcmp(name, WORD) == 0) return 0;
  for (size_t i = 0; i < v->c->npa; i++)
    if (strcmp(v->c->pa[i].name, name) == 0) return (int)i + 1;
  return -1;
}

static size_t v_npattrs(void *ctx) { return ((view *)ctx)->c->npa + 1; }

static const char *v_pattr_name(void *ctx, int a) {
  view *v = ctx;
  if (a == 0) return WORD;
  return a > 0 && (size_t)a <= v->c->npa ? v->c->pa[a - 1].name : NULL;
}

/* (a handle the view did not give has no lexicon: every id is out of range) */
static uint32_t v_lexicon_size(void *ctx, int a) {
  view *v = ctx;
  if (a < 0 || (size_t)a > v->c->npa) return 0;
  return a == 0 ? (uint32_t)v->c->ntypes : v->c->pa[a - 1].nlex;
}

static const char *pa_str(const lx_corpus *c, const lx_apattr *p, uint64_t id, size_t *len) {
  if (!SOUND(c, S_ADATA, &p->lexoff[id], 16)) return NULL;
  uint64_t a = p->lexoff[id], b = p->lexoff[id + 1];
  if (a > b || b > p->lexsize || !SOUND(c, S_ADATA, p->lex + a, b - a)) return NULL;
  *len = (size_t)(b - a);
  return p->lex + a;
}

static int v_lexicon_str(void *ctx, int a, uint32_t id, const char **s, size_t *len) {
  view *v = ctx;
  if (id >= v_lexicon_size(ctx, a)) return fail(v, "no such lexicon id");
  *s = a == 0 ? xstr(v->c, id, len) : pa_str(v->c, &v->c->pa[a - 1], id, len);
  return *s ? 0 : damaged(v);
}

static int v_lexicon_find(void *ctx, int a, const char *s, size_t len, uint32_t *id, int *found) {
  view *v = ctx;
  const lx_corpus *c = v->c;
  *found = 0;
  if (a == 0) {
    uint32_t id0 = lx_corpus_find_form(c, s, len);
    if (id0 == UINT32_MAX - 2) return nomem(v);
    if (id0 == DAMAGED) return damaged(v);
    if (id0 != LX_NOID) { *id = id0; *found = 1; }
    return 0;
  }
  const lx_apattr *p = &c->pa[a - 1];
  uint64_t mask = p->nslots - 1, i = (lx_hash(s, len) >> 32) & mask;
  for (uint64_t probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
    if (!SOUND(c, S_ADATA, &p->hash[i], 4)) return damaged(v);
    uint32_t e = p->hash[i];
    if (e == 0) return 0;
    if (e > v_lexicon_size(ctx, a)) return damaged(v);
    size_t l;
    const char *t = pa_str(c, p, e - 1, &l);
    if (!t) return damaged(v);
    if (l == len && memcmp(t, s, len) == 0) { *id = e - 1; *found = 1; return 0; }
  }
  return 0;
}

enum { BATCH = 4096 };

/* The word's postings: its folded type's, kept where the id is this form. */
static int word_postings(view *v, uint32_t id, lx_cview_each each, void *arg, uint64_t *count) {
  const lx_corpus *c = v->c;
  if (!SOUND(c, S_FOLD, &c->fold[id], 4) || c->fold[id] >= c->nftypes) return damaged(v);
  uint32_t f = c->fold[id];
  uint64_t *pos, n;
  int rc = lx_corpus_postings(c, &f, 1, &pos, &n);
  if (rc == -1) return nomem(v);
  if (rc) return damaged(v);
  uint64_t k = 0, out = 0;
  for (uint64_t i = 0; i < n; i++) {
    uint32_t x = lx_corpus_id(c, pos[i]);
    if (x == LX_NOID) { free(pos); return damaged(v); }
    if (x != id) continue;
    pos[k++] = pos[i];                   /* compacted in place: k <= i */
  }
  for (uint64_t i = 0; each && i < k; i += BATCH) {
    if (lx_interrupted()) { free(pos); return fail(v, "interrupted"); }
    if (each(arg, pos + i, k - i < BATCH ? (size_t)(k - i) : BATCH)) break;
  }
  out = k;
  free(pos);
  if (count) *count = out;
  return 0;
}

static int v_frequency(void *ctx, int a, uint32_t id, uint64_t *f) {
  view *v = ctx;
  if (id >= v_lexicon_size(ctx, a)) return fail(v, "no such lexicon id");
  if (a == 0) return word_postings(v, id, NULL, NULL, f);
  const lx_apattr *p = &v->c->pa[a - 1];
  if (!SOUND(v->c, S_ADATA, &p->freq[id], 8) || p->freq[id] > v->c->ntok) return damaged(v);
  *f = p->freq[id];
  return 0;
}

/* The folded type's postings, unfiltered (v_frequency_bound's). */
static int word_postings_bound(view *v, uint32_t id, lx_cview_each each, void *arg) {
  const lx_corpus *c = v->c;
  uint32_t f = lx_corpus_fold_of(c, id);
  if (f == LX_NOID) return damaged(v);
  uint64_t *pos, n;
  int rc = lx_corpus_postings(c, &f, 1, &pos, &n);
  if (rc == -1) return nomem(v);
  if (rc) return damaged(v);
  for (uint64_t i = 0; i < n; i += BATCH) {
    if (lx_interrupted()) { free(pos); return fail(v, "interrupted"); }
    if (each(arg, pos + i, n - i < BATCH ? (size_t)(n - i) : BATCH)) break;
  }
  free(pos);
  return 0;
}

static int v_frequency_bound(void *ctx, int a, uint32_t id, uint64_t *f) {
  view *v = ctx;
  if (a != 0) return v_frequency(ctx, a, id, f);
  if (id >= v_lexicon_size(ctx, a)) return fail(v, "no such lexicon id");
  uint64_t n = lx_corpus_ffreq(v->c, lx_corpus_fold_of(v->c, id));
  if (n == UINT64_MAX) return damaged(v);
  *f = n;
  return 0;
}

static int v_ids(void *ctx, int a, uint64_t from, size_t n, uint32_t *ids) {
  view *v = ctx;
  const lx_corpus *c = v->c;
  if (from > c->ntok || n > c->ntok - from) return fail(v, "position out of range");
  if (a < 0 || (size_t)a > c->npa) return fail(v, "no such attribute");
  if (n == 0) return 0;
  if (a == 0) {
    if (!SOUND(c, S_IDS, c->ids + from, n * 4)) return damaged(v);
    for (size_t i = 0; i < n; i++)
      if ((ids[i] = c->ids[from + i]) >= c->ntypes) return damaged(v);
    return 0;
  }
  const lx_apattr *p = &c->pa[a - 1];
  const unsigned char *q = p->ids + from * p->width;
  if (!SOUND(c, S_ADATA, q, n * p->width)) return damaged(v);
  if (p->width == 1) for (size_t i = 0; i < n; i++) ids[i] = q[i];
  else if (p->width == 2) for (size_t i = 0; i < n; i++) { uint16_t x; memcpy(&x, q + 2 * i, 2); ids[i] = x; }
  else memcpy(ids, q, n * 4);
  for (size_t i = 0; i < n; i++)
    if (ids[i] >= p->nlex) return damaged(v);
  return 0;
}

static int v_postings_bound(void *ctx, int a, uint32_t id, lx_cview_each each, void *arg, int *more);

static int v_postings(void *ctx, int a, uint32_t id, lx_cview_each each, void *arg) {
  view *v = ctx;
  const lx_corpus *c = v->c;
  if (id >= v_lexicon_size(ctx, a)) return fail(v, "no such lexicon id");
  if (a == 0) return word_postings(v, id, each, arg, NULL);
  const lx_apattr *p = &c->pa[a - 1];
  if (!SOUND(c, S_ADATA, &p->postoff[id], 16) || !SOUND(c, S_ADATA, &p->freq[id], 8)) return damaged(v);
  uint64_t lo = p->postoff[id], hi = p->postoff[id + 1], left = p->freq[id];
  if (lo > hi || hi > p->postsize || left > c->ntok) return damaged(v);
  const unsigned char *q = p->post + lo, *e = p->post + hi, *ok = q;
  uint64_t buf[BATCH], pos = 0;
  size_t k = 0;
  for (uint64_t i = 0; i < left; i++) {
    uint64_t d;
    if (!sound_ahead(c, S_ADATA, q, e, 10, &ok) || !lx_get_varint(&q, e, &d)) return damaged(v);
    pos = i ? pos + d : d;
    if (pos >= c->ntok || (i && d == 0)) return damaged(v);
    buf[k++] = pos;
    if (k == BATCH) {
      if (lx_interrupted()) return fail(v, "interrupted");
      if (each(arg, buf, k)) return 0;
      k = 0;
    }
  }
  if (k) each(arg, buf, k);
  return 0;
}

static int v_postings_bound(void *ctx, int a, uint32_t id, lx_cview_each each, void *arg, int *more) {
  view *v = ctx;
  if (a != 0) return v_postings(ctx, a, id, each, arg);
  if (id >= v_lexicon_size(ctx, a)) return fail(v, "no such lexicon id");
  *more = 1;
  return word_postings_bound(v, id, each, arg);
}

/* ---------------------------------------------------------------- structural */

/* Handles: an annotated index's own sets by number; a plain index's
** s, text, text_id as it has them, then text_FIELD for each field of its
** document metadata (regions of text, a value each). */
static const char *const PLAIN_NAMES[] = { "s", "text", "text_id" };

static int v_sattr(void *ctx, const char *name, int *has_values) {
  view *v = ctx;
  *has_values = 0;
  if (v->c->annotated) {
    for (size_t i = 0; i < v->c->nsa; i++)
      if (strcmp(v->c->sa[i].name, name) == 0) { *has_values = v->c->sa[i].has_values; return (int)i; }
    return -1;
  }
  for (size_t i = 0; i < v->nplain; i++)
    if (strcmp(PLAIN_NAMES[v->plain[i]], name) == 0) { *has_values = v->plain[i] == PLAIN_TEXT_ID; return (int)i; }
  for (size_t f = 0; f < v->c->nfields; f++)
    if (strcmp(v->fnames[f], name) == 0) { *has_values = 1; return (int)(v->nplain + f); }
  return -1;
}

static size_t v_nsattrs(void *ctx) {
  view *v = ctx;
  return v->c->annotated ? v->c->nsa : v->nplain + v->c->nfields;
}

static const char *v_sattr_name(void *ctx, int s) {
  view *v = ctx;
  if (s < 0 || (size_t)s >= v_nsattrs(ctx)) return NULL;
  if (v->c->annotated) return v->c->sa[s].name;
  return (size_t)s < v->nplain ? PLAIN_NAMES[v->plain[s]] : v->fnames[(size_t)s - v->nplain];
}

/* A plain index's region set: one of PLAIN_*, or a metadata field's
** (text's regions). */
static int plain_kind(const view *v, int s) {
  return (size_t)s < v->nplain ? v->plain[s] : PLAIN_TEXT;
}

static uint64_t v_region_count(void *ctx, int s) {
  view *v = ctx;
  if (s < 0 || (size_t)s >= v_nsattrs(ctx)) return 0;
  if (v->c->annotated) return v->c->sa[s].nreg;
  return plain_kind(v, s) == PLAIN_S ? v->c->nsents : v->ndocs;
}

/* Sentence i of a plain index: from its start to the next one's, or to the
** end of its document. */
static int plain_sentence(view *v, uint64_t i, uint64_t *start, uint64_t *end) {
  const lx_corpus *c = v->c;
  uint64_t a = lx_corpus_sent_at(c, i);
  uint64_t z = i + 1 < c->nsents ? lx_corpus_sent_at(c, i + 1) : c->ntok;
  if (a == UINT64_MAX || z == UINT64_MAX || a >= z || z > c->ntok) return damaged(v);
  uint64_t lo = 0, hi = c->ndocs;           /* the document holding a */
  while (hi - lo > 1) {
    uint64_t mid = (lo + hi) / 2;
    if (c->docs[mid].first <= a) lo = mid; else hi = mid;
  }
  uint64_t dend = c->docs[lo].first + c->docs[lo].ntok;
  *start = a;
  *end = dend < z && dend > a ? dend : z;
  return 0;
}

static int v_region(void *ctx, int s, uint64_t i, uint64_t *start, uint64_t *end) {
  view *v = ctx;
  const lx_corpus *c = v->c;
  if (i >= v_region_count(ctx, s)) return fail(v, "no such region");
  if (!c->annotated) {
    if (plain_kind(v, s) == PLAIN_S) return plain_sentence(v, i, start, end);
    const lx_docrec *r = &c->docs[v->docs[i]];
    *start = r->first;
    *end = r->first + r->ntok;
    return 0;
  }
  const lx_asattr *a = &c->sa[s];
  if (!SOUND(c, S_ADATA, &a->reg[2 * i], 16)) return damaged(v);
  *start = a->reg[2 * i];
  *end = a->reg[2 * i + 1];
  if (*start >= *end || *end > c->ntok) return damaged(v);
  return 0;
}

static int v_region_at(void *ctx, int s, uint64_t pos, uint64_t *out) {
  view *v = ctx;
  const lx_corpus *c = v->c;
  *out = UINT64_MAX;
  if (pos >= c->ntok) return 0;
  uint64_t n = v_region_count(ctx, s), i;
  if (n == 0) return 0;
  if (!c->annotated && plain_kind(v, s) == PLAIN_S) {
    uint64_t k = lx_corpus_sents_upto(c, pos);
    if (k == UINT64_MAX || k > n) return damaged(v);
    if (k == 0) return 0;
    i = k - 1;
  } else {
    uint64_t lo = 0, hi = n;                  /* the last region starting at or before pos */
    while (hi - lo > 1) {
      uint64_t mid = lo + (hi - lo) / 2, st;
      if (c->annotated) {
        if (!SOUND(c, S_ADATA, &c->sa[s].reg[2 * mid], 8)) return damaged(v);
        st = c->sa[s].reg[2 * mid];
      } else {
        st = c->docs[v->docs[mid]].first;
      }
      if (st <= pos) lo = mid; else hi = mid;
    }
    i = lo;
  }
  uint64_t a, z;
  if (v_region(ctx, s, i, &a, &z)) return -1;
  if (a <= pos && pos < z) *out = i;
  return 0;
}

static int v_region_value(void *ctx, int s, uint64_t i, const char **val, size_t *len) {
  view *v = ctx;
  const lx_corpus *c = v->c;
  if (i >= v_region_count(ctx, s)) return fail(v, "no such region");
  if (!c->annotated) {
    if ((size_t)s >= v->nplain) {
      *val = lx_corpus_docmeta(c, v->docs[i], (size_t)s - v->nplain, len);
      return 0;
    }
    if (v->plain[s] != PLAIN_TEXT_ID) return fail(v, "the regions have no values");
    *val = c->names + c->docs[v->docs[i]].name;
    *len = strlen(*val);
    return 0;
  }
  const lx_asattr *a = &c->sa[s];
  if (!a->has_values) return fail(v, "the regions have no values");
  if (!SOUND(c, S_ADATA, &a->vids[i], 4) || a->vids[i] >= a->nvals) return damaged(v);
  uint32_t id = a->vids[i];
  if (!SOUND(c, S_ADATA, &a->voff[id], 16)) return damaged(v);
  uint64_t x = a->voff[id], y = a->voff[id + 1];
  if (x > y || y > a->vsize || !SOUND(c, S_ADATA, a->vlex + x, y - x)) return damaged(v);
  *val = a->vlex + x;
  *len = (size_t)(y - x);
  return 0;
}

/* ---------------------------------------------------------------- making one */

int lx_corpus_view(lx_corpus *c, lx_cview *out) {
  memset(out, 0, sizeof *out);
  view *v = lx_calloc(1, sizeof *v);
  if (!v) return ENOMEM;
  v->c = c;
  if (!c->annotated) {
    if (c->nsents) v->plain[v->nplain++] = PLAIN_S;
    v->plain[v->nplain++] = PLAIN_TEXT;
    v->plain[v->nplain++] = PLAIN_TEXT_ID;
    v->docs = lx_malloc((c->ndocs + 1) * sizeof *v->docs);
    if (!v->docs) { free(v); return ENOMEM; }
    for (uint64_t d = 0; d < c->ndocs; d++)       /* documents without tokens hold no region */
      if (c->docs[d].ntok) v->docs[v->ndocs++] = (uint32_t)d;
    if (c->nfields && !(v->fnames = lx_calloc(c->nfields, sizeof *v->fnames))) goto oom;
    v->nfnames = c->nfields;
    for (size_t f = 0; f < c->nfields; f++) {
      size_t len;
      const char *name = lx_corpus_field(c, f, &len);
      if (!(v->fnames[f] = lx_malloc(len + 6))) goto oom;
      memcpy(v->fnames[f], "text_", 5);
      memcpy(v->fnames[f] + 5, name, len);
      v->fnames[f][len + 5] = 0;
    }
  }
  *out = (lx_cview){
    .ctx = v, .ntokens = c->ntok,
    .pattr = v_pattr, .npattrs = v_npattrs, .pattr_name = v_pattr_name,
    .lexicon_size = v_lexicon_size, .lexicon_str = v_lexicon_str, .lexicon_find = v_lexicon_find,
    .frequency = v_frequency, .frequency_bound = v_frequency_bound, .ids = v_ids,
    .postings = v_postings, .postings_bound = v_postings_bound,
    .sattr = v_sattr, .nsattrs = v_nsattrs, .sattr_name = v_sattr_name,
    .region_count = v_region_count, .region = v_region, .region_at = v_region_at,
    .region_value = v_region_value, .error = v_error,
  };
  return 0;
oom:
  lx_corpus_view_free(&(lx_cview){ .ctx = v });
  return ENOMEM;
}

void lx_corpus_view_free(lx_cview *out) {
  view *v = out->ctx;
  if (v) {
    for (size_t f = 0; v->fnames && f < v->nfnames; f++) free(v->fnames[f]);
    free(v->fnames);
    free(v->docs);
    free(v);
  }
  memset(out, 0, sizeof *out);
}
