/*
** collocates.h: the words around a node word, counted over a word stream
** (ngrams.h's reader), with every association measure of stats.h.
**
** A window reaches `left` words before each occurrence of the node and
** `right` words after it, within the segment the reader gives (a sentence,
** or a whole text). The windows are counted as their union: a position
** several windows cover counts once, and the node itself counts when it
** stands in another occurrence's window (never in its own). The size of the
** union is the sample size R1 of the contingency table (docs/stats.md), so
** O11 <= C1 and R1 <= N. Pure C: no Lua here.
*/
#ifndef LEXIS_COLLOCATES_H
#define LEXIS_COLLOCATES_H

#include <stddef.h>
#include <stdint.h>

#include "ngrams.h"
#include "query.h"
#include "stats.h"

typedef struct lx_colloc lx_colloc;

/* Counts around a node (set by lx_colloc_node before counting) in windows
** of left and right words: 0 to LX_SPAN_MAX. NULL if out of memory or a
** span is out of range. */
#define LX_SPAN_MAX 100
lx_colloc *lx_colloc_new(lx_wreader *r, int left, int right);
/*
** The node, as queries of query.h (one parser for every command): up to
** LX_NODE_ALTS alternatives of one position each (a word, a glob, a
** /regex/; an occurrence of any is a node occurrence), or one query of 2 to
** LX_PHRASE_MAX positions, a phrase (windows lie before its first word and
** after its last). Words match as lx_query_word says: case-folded unless
** the query has LX_Q_CASE. c owns the queries from here, even on failure.
** 0, or -1 (bad count, a phrase among alternatives, or set twice).
*/
#define LX_NODE_ALTS 16
#define LX_PHRASE_MAX 8
int lx_colloc_node(lx_colloc *c, lx_query **alts, size_t n);
void lx_colloc_free(lx_colloc *c);
lx_wsink lx_colloc_sink(lx_colloc *c);
int lx_colloc_failed(const lx_colloc *c);
/* Why a count failed when it was not memory: "pattern 'P' hit PCRE2's
** match limit on the word 'W'" and the like; NULL otherwise. */
const char *lx_colloc_error(const lx_colloc *c);

uint64_t lx_colloc_hits(const lx_colloc *c);     /* node occurrences */
uint64_t lx_colloc_window(const lx_colloc *c);   /* R1: positions in the union of the windows */
uint64_t lx_colloc_tokens(const lx_colloc *c);   /* N: the reader's words, or the index's */

/*
** Counts from a stored stream of ids instead (an index): ids[0..ntok) the
** corpus's word ids (as c's reader numbers them), pos[0..npos) the node's
** positions, ascending; bounds[0..nb) the first positions of the documents
** (or sentences), ascending, bounds[0] = 0: no window crosses one. Adds to
** c's counts, hits and window as reading the text would. Touches only the
** tokens in the windows: the time goes with the hits, not the corpus.
*/
void lx_colloc_count_ids(lx_colloc *c, const uint32_t *ids, uint64_t ntok, const uint64_t *pos,
                         size_t npos, const uint64_t *bounds, size_t nb);

/*
** Counts from a corpus index (corpus.h) instead of text, as reading its
** files with c's reader would: each exact form of the index is mapped once
** to its word (or skipped, if its kind is not kept), the node's postings
** give its occurrences, and each window walks the token ids, stepping over
** what is no word here, within the document. (Not within sentences: the
** splitter can end one inside what the tokenizer reads as one token,
** "h.Cf", and a reader going sentence by sentence then reads two words
** where the index holds one.) Word frequencies and the corpus size come
** from the folded types' frequencies, and where a type's forms are
** different words (case kept: "The", "the"), from counting those forms.
** 0; -1 out of memory; -2 the index is damaged; -3 interrupted (Ctrl-C).
** The index's tokenizer is the default one: the caller keeps to readers
** without hyphens, split apostrophes, a pattern or a splitter.
** Called once for each of several indexes (shards of one corpus), it adds
** their counts, word frequencies and sizes: windows never cross a
** document, so the sums are what one index of all the files gives.
*/
typedef struct lx_corpus lx_corpus;
int lx_colloc_count_corpus(lx_colloc *c, const lx_corpus *x);

/*
** An id store: a sink that keeps every word id of what a reader reads (4
** bytes a word) and where its segments start, for lx_colloc_count_ids: a
** corpus in memory whose collocates take time with the hits, not the text.
*/
typedef struct lx_idstore {
  uint32_t *ids;
  uint64_t n, cap;
  uint64_t *bounds;        /* first position of each segment */
  size_t nb, bcap;
  int oom;
} lx_idstore;
lx_wsink lx_idstore_sink(lx_idstore *s);   /* s zeroed first */
void lx_idstore_free(lx_idstore *s);
/* The positions of c's nodes in s, ascending; malloced, NULL if none, or if
** memory ran out or a pattern failed (then lx_colloc_failed is set). */
uint64_t *lx_idstore_find(const lx_idstore *s, lx_colloc *c, size_t *n);

/* One collocate: its word id, where it stood, and its measures. */
typedef struct lx_collocate {
  uint32_t id;
  uint64_t left, right;    /* occurrences before and after the node */
  uint64_t freq;           /* its corpus frequency */
  lx_assoc m;              /* observed = left + right */
} lx_collocate;

/* The measures a list can be sorted by (field names of lx_assoc). */
enum lx_by { LX_BY_OBSERVED, LX_BY_EXPECTED, LX_BY_MI, LX_BY_MI3, LX_BY_T, LX_BY_Z, LX_BY_G2,
             LX_BY_DICE, LX_BY_LOGDICE, LX_BY_LOG_RATIO, LX_BY_CHI2, LX_BY_DELTA_P,
             LX_BY_DELTA_P_REV, LX_BY_MI2, LX_BY_MS, LX_BY_POISSON_STIRLING, LX_BY_JACCARD,
             LX_BY_FISHER, LX_BY_NMEASURES };
extern const char *const lx_by_names[];   /* "observed", "expected", "mi", ..., NULL */

/*
** What the table's sample row is (docs/stats.md, "Expected frequency"):
** LX_EXPECT_WINDOW, the positions in the node's windows (R1 = the window
** total, E11 = R1 C1 / N: Evert 2008's surface co-occurrence); or
** LX_EXPECT_SKETCH, the node's occurrences (R1 = f(node), E11 = f(node)
** f(collocate) / N, no window span: Sketch Engine's scores).
*/
enum lx_expect { LX_EXPECT_WINDOW, LX_EXPECT_SKETCH };
extern const char *const lx_expect_names[];   /* "window", "sketch", NULL */

/*
** The collocates seen at least min_cooc times whose own frequency is at
** least min_freq, by the measure `by` descending (ties: observed, then word
** bytes), at most limit (0: all). The node's frequency for Dice is the sum
** of the nodes' frequencies; n is the reader's token count; expect an
** enum lx_expect. Malloced (free it); NULL with *n = 0 if none, with *n =
** LX_OOM if out of memory.
*/
lx_collocate *lx_colloc_list(const lx_colloc *c, int by, uint64_t min_cooc, uint64_t min_freq,
                             size_t limit, int expect, size_t *n);

/*
** The same measures from counts made elsewhere (an index): cooc[i] with
** collocate frequency freq[i], fx the node's frequency, r1 the window
** tokens, n the corpus size. Fills out[i].m.
*/
void lx_colloc_measure(lx_collocate *list, size_t k, double fx, double r1, double n);
/* lx_colloc_measure fills every measure but Fisher's test, which costs as
** much as the rest; this adds it, for the rows that need it (all of them to
** sort by it, else only those kept). */
void lx_colloc_fisher(lx_collocate *list, size_t k, double r1, double n);
/* Sorts a list by a measure as lx_colloc_list does; rank[id] gives the
** byte order of the words for ties (NULL: by id). */
void lx_colloc_sort(lx_collocate *list, size_t k, int by, const uint32_t *rank);

#endif
