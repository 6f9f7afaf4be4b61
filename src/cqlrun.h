/*
** cqlrun.h: the CQL evaluator. Runs a query of the CQP query language
** (src/cql.h parses and compiles it) over any corpus behind an lx_cview
** (src/cqlview.h), with CQP's meaning of each element and of its matching
** strategies (docs/cql.md, "How a query runs").
**
** A hit is [start, end): the first token of the match and one past its
** last (half-open, as the view's regions are; cqp prints match and
** matchend, the last token itself: matchend = end - 1). target and keyword
** are token positions, or -1 when the query has no @ / @1 or the match did
** not pass the marked token. Positions count tokens from 0.
**
** Also here: the in-memory view of a .vrt or .conllu file (src/cqlmem.c),
** so a query needs no index, and the concordance writer (src/cqlrun_write.c).
** Pure C, no Lua.
*/
#ifndef LEXIS_CQLRUN_H
#define LEXIS_CQLRUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cqlview.h"
#include "vrt.h"

/* Caps, so that a query cannot exhaust memory without saying so. */
enum {
  LX_CQL_MAX_HITS = 50000000,     /* hits kept by one query (use cut N) */
  LX_CQL_MAX_THREADS = 1000000,   /* paths alive at once while matching one start */
  LX_CQL_HARD_BOUNDARY = 500      /* CQP's HardBoundary: without within, a match
                                     spans at most 501 tokens */
};

typedef struct lx_cql_hit {
  uint64_t start, end;            /* [start, end) */
  int64_t target, keyword;        /* a position, or -1 */
} lx_cql_hit;

typedef struct lx_cql_result {
  lx_cql_hit *hits;
  size_t n;
  /* The labels the query defines, and for hit i the position each named:
  ** labels[i * nlabels + k], -1 when the match did not pass label k. */
  size_t nlabels;
  char **label_names;
  int64_t *labels;
  int strategy;                   /* cql_strategy the query ran with */
} lx_cql_result;

typedef struct lx_cql_opts {
  size_t max_hits;                /* 0: LX_CQL_MAX_HITS */
} lx_cql_opts;

/*
** Runs query q[0..qlen) over v into *out (freed with lx_cql_result_free,
** also after a failure). Returns 0; or -1 with a message in err: a
** malformed query ("cql: 1:10: ..."), a bad regular expression, an
** attribute the corpus lacks ("cql: no attribute lemma: the corpus has
** word, pos"), a cap, Ctrl-C ("cql: interrupted"), the view's own error,
** out of memory ("cql: out of memory").
*/
int lx_cql_run(const lx_cview *v, const char *q, size_t qlen, const lx_cql_opts *opts,
               lx_cql_result *out, char *err, size_t errlen);
void lx_cql_result_free(lx_cql_result *r);

/*
** CQP's set operations on two results of one corpus, as its `A = B join C`,
** `inter` and `diff`: hits are ranges [start, end), compared whole.
** LX_CQL_UNION: every range of either, once (a range in both keeps a's
** target and keyword); LX_CQL_INTERSECT: a's ranges that b has too;
** LX_CQL_DIFFERENCE: a's that b lacks. The result is in corpus order and
** has no labels. 0, or ENOMEM (out untouched).
*/
enum lx_cql_setop { LX_CQL_UNION, LX_CQL_INTERSECT, LX_CQL_DIFFERENCE };
int lx_cql_setop(const lx_cql_result *a, const lx_cql_result *b, int op, lx_cql_result *out);

/* Keeps a random k of r's hits, in the order they had, the same for a seed
** as kwic --sample picks from a concordance (src/sample.h). 0 or ENOMEM. */
int lx_cql_sample(lx_cql_result *r, size_t k, uint64_t seed);

/*
** Collocates of r's hits over positional attribute attr of v (src/cqlcoll.c;
** an attribute v lacks is EINVAL, err naming those it has):
** the union of the windows of left tokens before each hit and right after
** it, inside the hit's text, each position counted once (as lexis
** collocates counts: docs/stats.md), the measures of collocates.h with R1
** the window total, N the corpus's tokens and f(node) the hits; rows seen
** at least min_cooc times, sorted by `by` (enum lx_by; ties: observed, then
** bytes), at most limit (0: all). 0, or an errno with err.
*/
struct lx_collocate;
typedef struct lx_cql_colls {
  struct lx_collocate *rows;      /* malloced: free(rows) */
  size_t n;
  uint64_t hits, window, tokens;
} lx_cql_colls;
int lx_cql_collocates(const lx_cview *v, const lx_cql_result *r, const char *attr, int left, int right, int by,
                      uint64_t min_cooc, size_t limit, lx_cql_colls *out, char *err, size_t errlen);

/* ----------------------------------------------------- the in-memory view */

typedef struct lx_cqlmem lx_cqlmem;

/*
** Reads path (.vrt, or .conllu) through lx_vrt_open into memory. 0 with
** *out; else an errno value (EILSEQ malformed input, ENOMEM, ECANCELED,
** LX_INPUT_SKIPPED...) with err "path:line: reason". warn, when not NULL,
** gets each warning of the reader ("path:line: what was repaired").
*/
int lx_cqlmem_open(lx_cqlmem **out, const char *path, const lx_vrt_opts *opts,
                   void (*warn)(void *arg, const char *msg), void *warn_arg,
                   char *err, size_t errlen);
/* The view over m, valid while m is open. */
const lx_cview *lx_cqlmem_view(lx_cqlmem *m);
const char *lx_cqlmem_path(const lx_cqlmem *m);
void lx_cqlmem_close(lx_cqlmem *m);

/* ------------------------------------------------ the view of several */

typedef struct lx_cqlshards lx_cqlshards;

/*
** One view over parts[0..n) (shards: indexes built apart, each a view),
** their tokens one after another in that order, so that every query,
** sort, breakdown and concordance runs over them as over one corpus
** (src/cqlshards.c); names[k] names part k in messages. The parts must
** have the same positional and structural attributes: else EINVAL with
** err naming the shard and the attribute. 0 with *out, or EINVAL or
** ENOMEM with err. The parts must outlive the set.
*/
int lx_cqlshards_open(lx_cqlshards **out, const lx_cview *const *parts, const char *const *names, size_t n,
                      char *err, size_t errlen);
const lx_cview *lx_cqlshards_view(lx_cqlshards *s);
void lx_cqlshards_close(lx_cqlshards *s);

/* ----------------------------------------------------- the concordance */

typedef struct lx_cql_write_opts {
  int format;                     /* enum lx_fmt */
  int header;                     /* column names (tsv, csv, html) */
  size_t left, right;             /* tokens of context each side */
  const char *doc;                /* the doc column's value (the file); NULL or "":
                                     the id of the hit's text (text_id), if any */
  const char *const *show;        /* attributes shown per token, word/lemma/pos; */
  size_t nshow;                   /* none: word */
  const char *title;              /* html caption, or NULL */
  const char *doc_attr;           /* the doc column is the value of this annotation of the
                                     hit's text (text_year), not doc or text_id; or NULL */
} lx_cql_write_opts;

/*
** Writes the hits as kwic does: doc, position, left context, match, right
** context (tokens joined by one space; with show, each token as its
** attributes joined by '/'). Text is aligned on the match. Returns 0, or
** an errno value with err (a write error, an unknown attribute in show,
** out of memory).
*/
int lx_cql_write(FILE *f, const lx_cview *v, const lx_cql_result *r, const lx_cql_write_opts *o,
                 char *err, size_t errlen);

/* ------------------------------------------------ breakdowns and sorting */

/*
** A key of a frequency breakdown or of a sort (src/cqlcount.c): an
** attribute at a place of each hit, written ATTR[%c|%d|%cd][@ANCHOR[[N]]]:
**   lemma                  the attribute over the whole match, its tokens'
**                          values joined by one space (cqp's count by lemma)
**   lemma%c                the same, case-folded (%d: diacritics stripped)
**   pos@matchend[1]        one token: the anchor (match, matchend, target,
**                          keyword) moved N tokens (cqp's matchend[1]); in
**                          a breakdown a place outside the corpus, or an
**                          anchor the hit lacks, gives the empty string; a
**                          sort moves it to the first or last token, as cqp
** For a sort also L3..L1 (word@match[-3..-1]), node (word), R1..R3
** (word@matchend[1..3]) and position (corpus order); -KEY reverses one.
*/
enum { LX_CQL_ON_SPAN, LX_CQL_ON_MATCH, LX_CQL_ON_MATCHEND, LX_CQL_ON_TARGET, LX_CQL_ON_KEYWORD,
       LX_CQL_ON_POSITION };
enum { LX_CQL_FOLD_CASE = 1, LX_CQL_FOLD_DIACRITICS = 2 };
enum { LX_CQL_MAX_KEYS = 8 };

typedef struct lx_cql_key {
  char name[96];                  /* the key as written (a column name) */
  char attr[64];                  /* the positional attribute */
  int fold;                       /* LX_CQL_FOLD_* */
  int anchor;                     /* LX_CQL_ON_* */
  int64_t offset;                 /* tokens from the anchor */
  int reverse;                    /* a sort key written -KEY */
  int handle;                     /* the attribute's handle in the view (lx_cql_keys_resolve) */
  int region;                     /* attr is a region's value (text_id, text_year): the key
                                     reads the region around its place, ids are region
                                     numbers and equal values count as one */
} lx_cql_key;

/*
** Parses spec, comma-separated keys, into keys[0..*n) (at most
** LX_CQL_MAX_KEYS). sort 1 takes the sort keys too (L1, R1, node,
** position, -KEY). 0, or EINVAL with err ("bad offset in ...").
*/
int lx_cql_keys_parse(const char *spec, int sort, lx_cql_key *keys, size_t *n, char *err, size_t errlen);
/* Finds each key's attribute in v: 0, or EINVAL with err naming those v has. */
int lx_cql_keys_resolve(const lx_cview *v, lx_cql_key *keys, size_t n, char *err, size_t errlen);

/*
** The frequency breakdown of r's hits by keys (resolved against v), as
** cqp's count by and group: a row for each distinct tuple of key strings,
** most frequent first, ties by the strings (bytes, key by key; as cqp's
** group orders them, signed, when every key is one token). Counted
** over id tuples; strings are made once per distinct tuple, then folded
** ones merged.
*/
typedef struct lx_cql_counts {
  size_t n, nkeys;
  char *text;                     /* every cell's bytes */
  size_t *cell;                   /* row i, key k: text + cell[2 * (i * nkeys + k)], length cell[... + 1] */
  uint64_t *freq;
  uint64_t hits;                  /* the hits counted */
  int group;                      /* every key one token (cqp's group): ties by the
                                     bytes as signed chars, as cqp's group orders them */
} lx_cql_counts;

int lx_cql_count(const lx_cview *v, const lx_cql_result *r, const lx_cql_key *keys, size_t nkeys,
                 lx_cql_counts *out, char *err, size_t errlen);
void lx_cql_counts_free(lx_cql_counts *c);
/* Adds from's rows to into's (the same keys; another file of one corpus),
** rows of the same strings made one, and sorts them again. 0 or ENOMEM
** (into then still holds its rows). */
int lx_cql_counts_merge(lx_cql_counts *into, const lx_cql_counts *from);
/* Writes rows [0, limit) (0: all): the keys' columns (named by the keys) and
** freq, in fmt (enum lx_fmt) through lx_table. 0 or an errno value. */
int lx_cql_counts_write(FILE *f, const lx_cql_counts *c, const lx_cql_key *keys, size_t limit, int fmt,
                        int header, const char *title);

/*
** Sorts r's hits by keys (resolved against v), as cqp's sort: strings as
** bytes, a folded key's ties by the strings as they are, then corpus order;
** keeps the first limit (0: all): with a limit below the hits only those
** are sorted, picked by a heap. 0, or -1 with err (out of memory, Ctrl-C,
** the view's error).
*/
int lx_cql_sort(const lx_cview *v, lx_cql_result *r, const lx_cql_key *keys, size_t nkeys, size_t limit,
                char *err, size_t errlen);

#endif
