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

int lx_ngrams_write(lx_ngrams *g, FILE *f, int format, uint64_t min, size_t limit,
                    int header) {
  size_t n;
  size_t *idx;
  if (format == LX_NG_PARTIAL) {   /* every entry, unsorted: merging sorts */
    char kind[32];
    snprintf(kind, sizeof kind, "ngrams-%d", lx_ngrams_n(g));
    if (lx_ngrams_settle(g)) return ENOMEM;
    lx_partial_header(f, kind, lx_wreader_tokens(lx_ngrams_reader(g)), lx_wreader_docs(lx_ngrams_reader(g)));
    for (size_t e = 0; e < lx_ngrams_types(g); e++) {
      if ((e & 0xFFFF) == 0 && lx_interrupted()) return ECANCELED;   /* Ctrl-C: progress.h */
      fprintf(f, "%llu\t%lu\t", (unsigned long long)lx_ngrams_count(g, e),
              (unsigned long)lx_ngrams_range(g, e));
      put_ngram(f, g, e);
      putc('\n', f);
    }
    return ferror(f) ? (errno ? errno : EIO) : 0;   /* ENOSPC says more than EIO */
  }
  idx = lx_ngrams_sorted(g, min, limit, &n);
  if (n == LX_OOM) return lx_interrupted() ? ECANCELED : lx_ngrams_error(g) ? EINVAL : ENOMEM;
  ngsorted ns = { g, idx };
  lx_listsrc src = { n, "ngram", (double)lx_wreader_tokens(lx_ngrams_reader(g)), &ns, ns_item, ns_count, ns_range };
  int rc = lx_list_write(f, &src, format, header);
  free(idx);
  return rc;
}
