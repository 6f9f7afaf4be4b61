/*
** partial.h: counts in a mergeable form, so a corpus counted in pieces
** (GNU parallel, other hosts, Hadoop streaming) sums to exactly the counts
** of the whole. `lexis freq --partial` and `lexis ngrams --partial` write
** it; `lexis merge` reads it (docs/stats.md, "Partial counts").
**
**   #lexis-partial 2 KIND tokens=N docs=D
**   #first TAB DOC TAB PIECE TAB open|closed TAB space|glued [TAB WORD]...
**   #last TAB DOC TAB PIECE TAB open|closed TAB space|glued [TAB WORD]...
**   #run
**   COUNT TAB RANGE TAB ITEM
**   ...
**
** KIND is "freq" or "ngrams-N"; tokens the words read (the base of per
** million figures); docs the texts read; RANGE the texts an item occurs in
** (0 when unknown). Items hold no tab or newline (tokens never do). Rows
** are in no order.
**
** #first and #last are there when the part's first (last) text is a piece
** of document DOC (`--doc DOC`): a piece cut out of a longer text, whose
** neighbours are the parts before and after it with the same DOC, in the
** order merge reads them; PIECE is the name of the file it was read from
** ("-": not known), and the names of one document's pieces must come in
** version order (strverscmp: split's names, piece9 before piece10). open: the text's first (last) sentence runs on
** across the cut (always, counting across sentences); glued: no white space
** at the cut on this side; the WORDs: the first (last) n-1 words of that
** sentence, from which merge makes the n-grams that span the cut. #run: no
** sentence ends inside the part, so the words before it run on through it.
** A piece counts as one document with its neighbours: in a part of several
** documents whose first or last is a piece, RANGE ends in "f" when the item
** occurs in the first document, "l" in the last, "fl" in both (a part of
** one document has all its items in it). Version 1 (no edges) is read too.
** Pure C: no Lua here.
*/
#ifndef LEXIS_PARTIAL_H
#define LEXIS_PARTIAL_H

#include <stdint.h>
#include <stdio.h>

#include "counts.h"

#define LX_PARTIAL_VERSION 2
#define LX_EDGE_WORDS 8          /* n-1 words at most (LX_NGRAM_MAX - 1), with room */

typedef struct lx_partial_info {
  char kind[32];           /* "freq", "ngrams-3", ...; "list" for a plain word list */
  uint64_t tokens;         /* from the header; for a word list, the sum of its counts */
  uint64_t docs;
} lx_partial_info;

/* One side of a part that is a piece of a document (#first or #last). */
typedef struct lx_edge {
  const char *doc;         /* the document; NULL: the part's texts are whole documents */
  const char *piece;       /* the file the piece was read from, or "-" */
  int open;                /* its sentence runs on across the cut */
  int glued;               /* no white space at the cut on this side */
  int n;                   /* words */
  const char *w[LX_EDGE_WORDS];
  size_t len[LX_EDGE_WORDS];
} lx_edge;

void lx_partial_header(FILE *f, const char *kind, uint64_t tokens, uint64_t docs);
/* The edge lines of a part of one document (first and last may be NULL). */
void lx_partial_edges(FILE *f, const lx_edge *first, const lx_edge *last, int run);
void lx_partial_row(FILE *f, const char *item, size_t len, uint64_t count, uint64_t range);

/* Writes a whole table: the header, the edges (of a piece of a document,
** or NULL), then a row per word with a count. */
int lx_partial_write_counts(FILE *f, const lx_counts *c, const lx_counts *range, const char *kind,
                            uint64_t docs, const lx_edge *first, const lx_edge *last);

/*
** Adds the rows of a partial file to counts (and ranges to range, if not
** NULL), taking no notice of edges. A file without the header line is read
** as a word list instead: WORD TAB COUNT per line, further columns ignored,
** a first line without a number in its second column taken as a header.
** Returns 0, or -1 with "name:line: reason" in err (a malformed line, no
** memory, a read error).
*/
int lx_partial_read(FILE *f, const char *name, lx_counts *counts, lx_counts *range,
                    lx_partial_info *info, char *err, size_t errlen);

/*
** Merging parts in order: lexis merge. Each part's counts are added to
** counts and range; where a part continues the document the part before it
** ended with (the same DOC), the n-grams across the cut are counted from
** the edge words, and the pieces count as one document in ranges and docs.
** Pieces of one document must come one after the other.
*/
typedef struct lx_merge lx_merge;
lx_merge *lx_merge_new(lx_counts *counts, lx_counts *range);   /* NULL: no memory */
void lx_merge_free(lx_merge *m);
/* Reads the next part. 0, or -1 with "name[:line]: reason" in err (not
** partial counts, another kind than the parts before, a piece out of
** order, a malformed line, no memory). warn gets a warning or "": a cut
** that may fall inside a word (no white space on either side of it). */
int lx_merge_read(lx_merge *m, FILE *f, const char *name, char *warn, size_t warnlen, char *err,
                  size_t errlen);
const char *lx_merge_kind(const lx_merge *m);   /* "" before any part */
uint64_t lx_merge_tokens(const lx_merge *m);
uint64_t lx_merge_docs(const lx_merge *m);      /* pieces of one document count once */
/* Writes the sum as a part again (edges kept, to merge in stages). 0 or an errno value. */
int lx_merge_write(const lx_merge *m, FILE *f);

/* ---------------------------------------------------------------- list output */

/*
** A list of items with counts and ranges, as `lexis ngrams` and `lexis
** merge` print it: rank, COLUMN, count, range, per_million, in the format
** fmt (enum lx_fmt of encode.h: text, tsv, csv, json), the same bytes as
** lexis.report writes for the same rows. The source hands out item i (in
** the order to print) through callbacks.
*/
typedef struct lx_listsrc {
  size_t n;
  const char *column;                      /* the item column's name: "ngram" */
  double tokens;                           /* base of per_million */
  void *ctx;
  /* copies item i's bytes into buf (at most cap) and returns its length */
  size_t (*item)(void *ctx, size_t i, char *buf, size_t cap);
  uint64_t (*count)(void *ctx, size_t i);
  uint64_t (*range)(void *ctx, size_t i);
} lx_listsrc;
int lx_list_write(FILE *f, const lx_listsrc *src, int fmt, int header);

/*
** Prints merged counts (a table read by lx_partial_read, its ranges in
** range) as a list: count >= min, at most limit (0: all), by count then
** bytes. 0, or an errno value.
*/
int lx_partial_write_list(FILE *f, const lx_counts *c, const lx_counts *range, const char *column,
                          int format, uint64_t min, size_t limit, int header);

#endif
