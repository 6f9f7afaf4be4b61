/*
** collocates_index.c: collocates counted from an index (lx_colloc_count_corpus,
** collocates.h), the same counts as reading its files. The index's exact
** forms are mapped once to the reader's words; the node's positions come
** from the postings; the windows around them are walked in the id stream,
** in two halves at once when there are many, each position counted once.
*/
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collocates_int.h"
#include "alloc.h"
#include "corpus.h"
#include "progress.h"

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
  if (types > c->nwfreq || !c->wfreq) {   /* an earlier index's words (shards) stay counted */
    uint64_t *wf = lx_realloc(c->wfreq, (types + 1) * sizeof *wf);
    if (!wf) goto done;
    size_t had = c->wfreq ? c->nwfreq + 1 : 0;
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
  if (colloc_posset_fit(&k->counted, window_end(win) - window_first(win))) return -1;   /* punctuation can space words widely */
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
  if ((types > c->cap && colloc_grow_counts(c, types)) || colloc_check_new_words(c)) goto done;
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
