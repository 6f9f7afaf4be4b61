/*
** ngrams_write.c: an n-gram list written out, sorted through partial.h's
** list writer (every format), or whole and unsorted in the mergeable
** partial form. See lx_ngrams_write in ngrams.h.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ngrams.h"
#include "partial.h"

/* Writes n-gram e (its words, a space between) to f, for partial counts. */
static void put_ngram(FILE *f, const lx_ngrams *g, size_t e) {
  const lx_lex *lex = lx_wreader_lex(lx_ngrams_reader(g));
  uint32_t k[LX_NGRAM_MAX];
  lx_ngrams_key(g, e, k);
  for (int i = 0; i < lx_ngrams_n(g); i++) {
    size_t len;
    const char *s = lx_lex_str(lex, k[i], &len);
    if (i) putc(' ', f);
    fwrite(s, 1, len, f);
  }
}

/* The sorted entries as a list source for lx_list_write (partial.h). */
typedef struct ngsorted {
  const lx_ngrams *g;
  const size_t *idx;
} ngsorted;

static size_t ns_item(void *ctx, size_t i, char *buf, size_t cap) {
  const ngsorted *s = ctx;
  const lx_lex *lex = lx_wreader_lex(lx_ngrams_reader(s->g));
  uint32_t k[LX_NGRAM_MAX];
  lx_ngrams_key(s->g, s->idx[i], k);
  size_t at = 0;
  for (int j = 0; j < lx_ngrams_n(s->g); j++) {
    size_t len;
    const char *w = lx_lex_str(lex, k[j], &len);
    if (j) {
      if (at < cap) buf[at] = ' ';
      at++;
    }
    if (at < cap) memcpy(buf + at, w, at + len <= cap ? len : cap - at);
    at += len;
  }
  return at;
}

static uint64_t ns_count(void *ctx, size_t i) {
  const ngsorted *s = ctx;
  return lx_ngrams_count(s->g, s->idx[i]);
}

static uint64_t ns_range(void *ctx, size_t i) {
  const ngsorted *s = ctx;
  return lx_ngrams_range(s->g, s->idx[i]);
}

/* An edge of the text read as partial.h has it: ids as words. */
static void edge_of(const lx_ngrams *g, lx_edge *e, const char *doc, const char *piece, int open,
                    int glued, const uint32_t *ids, int n) {
  const lx_lex *lex = lx_wreader_lex(lx_ngrams_reader(g));
  *e = (lx_edge){ doc, piece, open, glued, n, { 0 }, { 0 } };
  for (int i = 0; i < n; i++) e->w[i] = lx_lex_str(lex, ids[i], &e->len[i]);
}

int lx_ngrams_write_partial(lx_ngrams *g, FILE *f, const char *doc, const char *piece) {
  char kind[32];
  snprintf(kind, sizeof kind, "ngrams-%d", lx_ngrams_n(g));
  if (lx_ngrams_settle(g)) return ENOMEM;
  const lx_wreader *r = lx_ngrams_reader(g);
  lx_partial_header(f, kind, lx_wreader_tokens(r), lx_wreader_docs(r));
  if (doc) {
    const uint32_t *head, *tail;
    int nhead, ntail;
    uint64_t segs = lx_ngrams_edges(g, &head, &nhead, &tail, &ntail);
    lx_wedges w = lx_wreader_edge(r);
    lx_edge first, last;
    edge_of(g, &first, doc, piece, w.open_start, w.glued_start, head, nhead);
    edge_of(g, &last, doc, piece, w.open_end, w.glued_end, tail, ntail);
    lx_partial_edges(f, &first, &last, segs <= 1);
  }
  for (size_t e = 0; e < lx_ngrams_types(g); e++) {
    if ((e & 0xFFFF) == 0 && lx_interrupted()) return ECANCELED;   /* Ctrl-C: progress.h */
    fprintf(f, "%llu\t%lu\t", (unsigned long long)lx_ngrams_count(g, e),
            (unsigned long)lx_ngrams_range(g, e));
    put_ngram(f, g, e);
    putc('\n', f);
  }
  return ferror(f) ? (errno ? errno : EIO) : 0;   /* ENOSPC says more than EIO */
}

int lx_ngrams_write(lx_ngrams *g, FILE *f, int format, uint64_t min, size_t limit,
                    int header) {
  size_t n;
  size_t *idx;
  if (format == LX_NG_PARTIAL) return lx_ngrams_write_partial(g, f, NULL, NULL);   /* every entry, unsorted */
  idx = lx_ngrams_sorted(g, min, limit, &n);
  if (n == LX_OOM) return lx_interrupted() ? ECANCELED : lx_ngrams_error(g) ? EINVAL : ENOMEM;
  ngsorted ns = { g, idx };
  lx_listsrc src = { n, "ngram", (double)lx_wreader_tokens(lx_ngrams_reader(g)), &ns, ns_item, ns_count, ns_range };
  int rc = lx_list_write(f, &src, format, header);
  free(idx);
  return rc;
}
