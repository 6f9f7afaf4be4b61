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

#endif
