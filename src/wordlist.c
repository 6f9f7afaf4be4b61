/*
** wordlist.c: per-part counts, kept as (word, part, count) triples.
**
** While a part is read its counts sit in a dense array indexed by word id,
** with the list of ids it touched; when the part ends, the touched ids
** become triples and the array is zeroed through that list. So memory is
** the sum over parts of the words each part holds, and a word's parts come
** out together after one sort.
**
** ARF and ALDF need where each word stands, not how often a part holds
** it: when asked for (lx_wordlist_track), the word ids are kept in reading
** order (4 bytes a word), and once the frequencies are known one pass over
** them gives each group its gaps (stats.h, lx_gaps); then they are freed.
*/
#include <stdlib.h>
#include <string.h>

#include "wordlist.h"
#include "alloc.h"
#include "progress.h"

typedef struct triple {
  uint32_t id;             /* word id, then group after lx_wordlist_finish */
  uint32_t part;
  uint64_t count;
} triple;

struct lx_wordlist {
  lx_wreader *r;
  uint32_t k;              /* parts; 0 = documents */
  uint64_t total;          /* words, for k equal parts */
  uint64_t pos;            /* words seen */
  uint32_t part;           /* the part being read */
  uint32_t *cur;           /* per word id: count in the current part */
  size_t ccap;
  uint32_t *touched;       /* ids with cur[id] > 0 */
  size_t ntouched, tcap;
  triple *t;
  size_t nt, tcap2;
  double *size;            /* words per part */
  size_t nparts, scap;
  uint32_t ngroups;
  uint64_t *gfreq;         /* per group, after finish */
  size_t *gfirst;          /* first triple of each group (ngroups + 1) */
  int track;               /* keep the ids for the distance measures */
  uint32_t *ids;           /* every word id read, in order, while tracking */
  size_t nids, icap;
  lx_gaps *gaps;           /* per group, after finish, when tracking */
  int oom;
};

static int grow_zeroed(void **p, size_t *cap, size_t need, size_t item) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : 1024;
  while (n < need) n *= 2;
  char *q = lx_realloc(*p, n * item);
  if (!q) return -1;
  memset(q + *cap * item, 0, (n - *cap) * item);
  *p = q;
  *cap = n;
  return 0;
}

/* The current part's counts become triples. */
static int flush_part(lx_wordlist *w) {
  if (grow_zeroed((void **)&w->t, &w->tcap2, w->nt + w->ntouched, sizeof *w->t)) return -1;
  for (size_t i = 0; i < w->ntouched; i++) {
    uint32_t id = w->touched[i];
    w->t[w->nt++] = (triple){ id, w->part, w->cur[id] };
    w->cur[id] = 0;
  }
  w->ntouched = 0;
  return 0;
}

/* Makes part p current (parts in between exist, empty). */
static int set_part(lx_wordlist *w, uint32_t p) {
  if (p == w->part && w->nparts > p) return 0;
  if (flush_part(w)) return -1;
  w->part = p;
  if (grow_zeroed((void **)&w->size, &w->scap, (size_t)p + 1, sizeof *w->size)) return -1;
  if (w->nparts < (size_t)p + 1) w->nparts = (size_t)p + 1;
  return 0;
}

static int wl_words(void *ud, const uint32_t *ids, size_t n) {
  lx_wordlist *w = ud;
  if (grow_zeroed((void **)&w->cur, &w->ccap, lx_wreader_types(w->r), sizeof *w->cur)) goto oom;
  for (size_t j = 0; j < n; j++) {
    if (w->k) {
      uint64_t p = w->total ? (uint64_t)((unsigned __int128)w->pos * w->k / w->total) : 0;
      if (p >= w->k) p = w->k - 1;
      if (set_part(w, (uint32_t)p)) goto oom;
    }
    uint32_t id = ids[j];
    if (w->cur[id]++ == 0) {
      if (grow_zeroed((void **)&w->touched, &w->tcap, w->ntouched + 1, sizeof *w->touched)) goto oom;
      w->touched[w->ntouched++] = id;
    }
    w->size[w->part]++;
    w->pos++;
  }
  if (w->track) {
    if (grow_zeroed((void **)&w->ids, &w->icap, w->nids + n, sizeof *w->ids)) goto oom;
    memcpy(w->ids + w->nids, ids, n * sizeof *ids);
    w->nids += n;
  }
  return 0;
oom:
  w->oom = 1;
  return -1;
}

static void wl_end(void *ud) {
  (void)ud;
}

static void wl_doc(void *ud, uint32_t doc) {
  lx_wordlist *w = ud;
  if (!w->k && set_part(w, doc)) w->oom = 1;
}

lx_wordlist *lx_wordlist_new(lx_wreader *r, uint32_t parts, uint64_t total) {
  lx_wordlist *w = lx_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->r = r, w->k = parts, w->total = total;
  if (grow_zeroed((void **)&w->size, &w->scap, parts ? parts : 1, sizeof *w->size)) {
    lx_wordlist_free(w);
    return NULL;
  }
  w->nparts = parts;   /* k equal parts all exist, even empty ones */
  return w;
}

void lx_wordlist_free(lx_wordlist *w) {
  if (!w) return;
  free(w->cur);
  free(w->touched);
  free(w->t);
  free(w->size);
  free(w->gfreq);
  free(w->gfirst);
  free(w->ids);
  free(w->gaps);
  free(w);
}

void lx_wordlist_track(lx_wordlist *w) {
  w->track = 1;
}

lx_wsink lx_wordlist_sink(lx_wordlist *w) {
  return (lx_wsink){ wl_words, wl_end, wl_doc, w };
}

uint32_t lx_wordlist_parts(const lx_wordlist *w) { return (uint32_t)w->nparts; }
uint64_t lx_wordlist_tokens(const lx_wordlist *w) { return w->pos; }

static int cmp_triples(const void *a, const void *b) {
  const triple *x = a, *y = b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return x->part < y->part ? -1 : x->part > y->part;
}

/* Each group's gaps, from the ids in reading order: a lemma's positions
** are those of all its words. The ids go once used. Ctrl-C stops it
** (-2: a billion-word text takes seconds). */
static int track_gaps(lx_wordlist *w, const uint32_t *group) {
  free(w->gaps);
  w->gaps = lx_calloc((size_t)w->ngroups + 1, sizeof *w->gaps);
  if (!w->gaps) return -1;
  double n = (double)w->nids;
  for (size_t i = 0; i < w->nids; i++) {
    if ((i & 0xFFFFF) == 0 && lx_interrupted()) return -2;
    uint32_t g = group ? group[w->ids[i]] : w->ids[i];
    lx_gaps_add(&w->gaps[g], (double)i, n / (double)w->gfreq[g]);
  }
  free(w->ids);
  w->ids = NULL, w->nids = w->icap = 0;
  return 0;
}

int lx_wordlist_finish(lx_wordlist *w, const uint32_t *group, uint32_t ngroups) {
  if (flush_part(w)) return -1;
  if (!group) ngroups = lx_wreader_types(w->r);
  for (size_t i = 0; i < w->nt; i++)
    if (group) w->t[i].id = group[w->t[i].id];
  if (w->nt) qsort(w->t, w->nt, sizeof *w->t, cmp_triples);
  /* Triples of one group and part (two words, one lemma) become one. */
  size_t m = 0;
  for (size_t i = 0; i < w->nt; i++) {
    if (m && w->t[m - 1].id == w->t[i].id && w->t[m - 1].part == w->t[i].part) w->t[m - 1].count += w->t[i].count;
    else w->t[m++] = w->t[i];
  }
  w->nt = m;
  free(w->gfreq);
  free(w->gfirst);
  w->gfreq = lx_calloc((size_t)ngroups + 1, sizeof *w->gfreq);
  w->gfirst = lx_calloc((size_t)ngroups + 2, sizeof *w->gfirst);
  if (!w->gfreq || !w->gfirst) return -1;
  w->ngroups = ngroups;
  for (size_t i = 0; i < m; i++) {
    w->gfreq[w->t[i].id] += w->t[i].count;
    w->gfirst[w->t[i].id + 1]++;
  }
  for (uint32_t g = 0; g < ngroups; g++) w->gfirst[g + 1] += w->gfirst[g];
  if (w->track) return track_gaps(w, group);
  return 0;
}

typedef struct sortctx {
  const lx_wordlist *w;
  const uint32_t *rank;
} sortctx;

static int cmp_rows(const void *a, const void *b, void *ctx) {
  const sortctx *c = ctx;
  const lx_wlrow *x = a, *y = b;
  if (x->freq != y->freq) return x->freq > y->freq ? -1 : 1;
  uint32_t rx = c->rank ? c->rank[x->group] : x->group, ry = c->rank ? c->rank[y->group] : y->group;
  return rx < ry ? -1 : rx > ry;
}

lx_wlrow *lx_wordlist_rows(const lx_wordlist *w, const uint8_t *drop, const uint32_t *rank,
                           uint64_t min, size_t limit, size_t *n) {
  *n = 0;
  if (min < 1) min = 1;
  size_t k = 0;
  for (uint32_t g = 0; g < w->ngroups; g++) k += w->gfreq[g] >= min && !(drop && drop[g]);
  if (k == 0) return NULL;
  lx_wlrow *rows = lx_malloc(k * sizeof *rows);
  uint32_t *part = lx_malloc((w->nparts ? w->nparts : 1) * sizeof *part);
  double *f = lx_malloc((w->nparts ? w->nparts : 1) * 3 * sizeof *f);
  if (!rows || !part || !f) {
    free(rows), free(part), free(f);
    *n = LX_OOM;
    return NULL;
  }
  lx_parts parts;
  lx_parts_init(&parts, w->size, w->nparts);
  k = 0;
  for (uint32_t g = 0; g < w->ngroups; g++) {
    if (w->gfreq[g] < min || (drop && drop[g])) continue;
    size_t m = 0;
    for (size_t i = w->gfirst[g]; i < w->gfirst[g + 1]; i++, m++) {
      part[m] = w->t[i].part;
      f[m] = (double)w->t[i].count;
    }
    rows[k].group = g;
    rows[k].freq = w->gfreq[g];
    lx_dispersion_sparse(&parts, part, f, m, f + m, &rows[k].disp);
    rows[k].arf = rows[k].aldf = 0;
    if (w->gaps) lx_gaps_result(&w->gaps[g], (double)w->pos, &rows[k].arf, &rows[k].aldf);
    k++;
  }
  free(part), free(f);
  sortctx ctx = { w, rank };
  qsort_r(rows, k, sizeof *rows, cmp_rows, &ctx);
  if (limit && k > limit) k = limit;
  *n = k;
  return rows;
}
