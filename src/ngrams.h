/*
** ngrams.h: n-gram counts over the word ids a word reader (wordreader.h)
** hands its sink.
**
** Pure C: no Lua here.
*/
#ifndef LEXIS_NGRAMS_H
#define LEXIS_NGRAMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "encode.h"
#include "query.h"
#include "wordreader.h"

/* ---------------------------------------------------------------- n-grams */

#define LX_NGRAM_MAX 8

typedef struct lx_ngrams lx_ngrams;

/* Counts n-grams (2 <= n <= LX_NGRAM_MAX) of the words r reads. If
** contains is not LX_NOID, only n-grams holding that word are counted
** (AntConc's clusters); at >= 0 puts it at that place (0-based) only. */
lx_ngrams *lx_ngrams_new(lx_wreader *r, int n, uint32_t contains, int at);
void lx_ngrams_free(lx_ngrams *g);
/*
** Lists only n-grams that hold a word q matches (one position of query.h:
** a word, glob or /regex/, case-folded unless LX_Q_CASE), at place `at`
** (0-based) or anywhere (-1). Unlike `contains`, every n-gram is counted
** and the filter applies when listing (lx_ngrams_sorted), because a
** pattern's words are known only once the text is read. g owns q from
** here, even on failure. 0, or -1 (q has more than one position).
*/
int lx_ngrams_filter(lx_ngrams *g, lx_query *q, int at);
/* Sorts buffered n-grams into the counts every `keys` occurrences instead
** of 8M to 16M: for tests, which must reach the merges with small texts. */
void lx_ngrams_buffer(lx_ngrams *g, size_t keys);
/* The sink to give the reader (lx_wreader_sink). */
lx_wsink lx_ngrams_sink(lx_ngrams *g);
/* Brings the counts up to date (they may wait in a buffer); call it before
** the accessors below. 0, or -1 if memory ran out. */
int lx_ngrams_settle(lx_ngrams *g);

/*
** Counts a file as lx_wreader_file(r, path) would, on up to `threads`
** threads (0: one per CPU) when it is a large regular file: cut into ranges
** at blank lines (within sentences) or line ends, each range counted by its
** own reader and table, the tables merged into g with the n-grams across
** each cut. The counts are the same as on one thread. 0, or an errno value
** with "path: reason" in err.
*/
int lx_ngrams_file(lx_ngrams *g, const char *path, int threads, char *err, size_t errlen);

size_t lx_ngrams_types(const lx_ngrams *g);        /* distinct n-grams */
uint64_t lx_ngrams_total(const lx_ngrams *g);      /* n-grams counted */
/* Entry i: its n word ids (into ids[n]), count, and range (texts that hold it). */
void lx_ngrams_key(const lx_ngrams *g, size_t i, uint32_t *ids);
uint64_t lx_ngrams_count(const lx_ngrams *g, size_t i);
uint32_t lx_ngrams_range(const lx_ngrams *g, size_t i);
int lx_ngrams_n(const lx_ngrams *g);
/* The edges of the last text read, to join partial counts of pieces of a
** text (partial.h): its first n-1 word ids (*nhead, fewer if its first
** segment is shorter) and its last n-1 (of its last segment). Returns how
** many segments (sentences, or the text without them) held words. */
uint64_t lx_ngrams_edges(const lx_ngrams *g, const uint32_t **head, int *nhead,
                         const uint32_t **tail, int *ntail);
lx_wreader *lx_ngrams_reader(const lx_ngrams *g);   /* the reader whose words g counts */

/*
** Entries with count >= min, by count descending, then the words' bytes
** ascending; at most limit (0: all). Malloced (free it); NULL with *n = 0 if
** none, NULL with *n = LX_OOM if out of memory or interrupted (Ctrl-C:
** lx_interrupted() in progress.h then says so).
*/
#define LX_OOM ((size_t)-1)
size_t *lx_ngrams_sorted(lx_ngrams *g, uint64_t min, size_t limit, size_t *n);
/* Why lx_ngrams_sorted failed when neither memory nor Ctrl-C did: the
** filter's regex hit one of PCRE2's limits ("pattern '...' hit PCRE2's
** match limit"); else NULL. */
const char *lx_ngrams_error(const lx_ngrams *g);

/* Output of an n-gram list: rank, ngram, count, range, per million words.
** LX_NG_PARTIAL is the mergeable form `lexis merge` reads (docs/stats.md). */
enum { LX_NG_TEXT = LX_FMT_TEXT, LX_NG_TSV = LX_FMT_TSV, LX_NG_CSV = LX_FMT_CSV,
       LX_NG_JSON = LX_FMT_JSON, LX_NG_PARTIAL = LX_FMT_COUNT };
/* 0, or an errno value (ECANCELED: interrupted). */
int lx_ngrams_write(lx_ngrams *g, FILE *f, int format, uint64_t min, size_t limit,
                    int header);
/* Every entry, unsorted, as partial counts; with doc, the text read (one,
** read with lx_wreader_edges on, from the file named piece) is a piece of
** document doc, and its edges are written for merge to join (partial.h).
** 0 or an errno value. */
int lx_ngrams_write_partial(lx_ngrams *g, FILE *f, const char *doc, const char *piece);

#endif
