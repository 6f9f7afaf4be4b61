/*
** partial.h: counts in a mergeable form, so a corpus counted in pieces
** (GNU parallel, other hosts, Hadoop streaming) sums to exactly the counts
** of the whole. `lexis freq --partial` and `lexis ngrams --partial` write
** it; `lexis merge` reads it.
**
**   #lexis-partial 1 KIND tokens=N docs=D
**   COUNT TAB RANGE TAB ITEM
**   ...
**
** KIND is "freq" or "ngrams-N"; tokens the words read (the base of per
** million figures); docs the texts read; RANGE the texts an item occurs in
** (0 when unknown). Items hold no tab or newline (tokens never do). Rows
** are in no order. Pure C: no Lua here.
*/
#ifndef LEXIS_PARTIAL_H
#define LEXIS_PARTIAL_H

#include <stdint.h>
#include <stdio.h>

#include "counts.h"

typedef struct lx_partial_info {
  char kind[32];           /* "freq", "ngrams-3", ...; "list" for a plain word list */
  uint64_t tokens;         /* from the header; for a word list, the sum of its counts */
  uint64_t docs;
} lx_partial_info;

void lx_partial_header(FILE *f, const char *kind, uint64_t tokens, uint64_t docs);
void lx_partial_row(FILE *f, const char *item, size_t len, uint64_t count, uint64_t range);

/* Writes a whole table: the header, then a row per word with a count. */
int lx_partial_write_counts(FILE *f, const lx_counts *c, const lx_counts *range, const char *kind,
                            uint64_t docs);

/*
** Adds the rows of a partial file to counts (and ranges to range, if not
** NULL). A file without the header line is read as a word list instead:
** WORD TAB COUNT per line, further columns ignored, a first line without a
** number in its second column taken as a header. Returns 0, or -1 with
** "name:line: reason" in err (a malformed line, no memory, a read error).
*/
int lx_partial_read(FILE *f, const char *name, lx_counts *counts, lx_counts *range,
                    lx_partial_info *info, char *err, size_t errlen);

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
