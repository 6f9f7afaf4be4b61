/*
** wordlist.h: a word list with range and dispersion: each word's frequency
** in every part of the text (its documents, or k parts of equal size) kept
** sparsely, then the dispersion measures of stats.h (Juilland's D, Gries'
** DP, ..., and on request ARF and ALDF from the words' positions) per word,
** or per lemma when words are grouped. Pure C: no Lua here.
*/
#ifndef LEXIS_WORDLIST_H
#define LEXIS_WORDLIST_H

#include <stddef.h>
#include <stdint.h>

#include "ngrams.h"
#include "stats.h"

typedef struct lx_wordlist lx_wordlist;

/* parts = 0: each text read is a part (documents); parts = k: the words
** read cut into k runs of equal size, which needs their number, total, in
** advance (a first pass). */
lx_wordlist *lx_wordlist_new(lx_wreader *r, uint32_t parts, uint64_t total);
void lx_wordlist_free(lx_wordlist *w);
lx_wsink lx_wordlist_sink(lx_wordlist *w);
/* Keep where the words stand, for ARF and ALDF (4 bytes a word until
** lx_wordlist_finish); call before reading. */
void lx_wordlist_track(lx_wordlist *w);

/*
** Ends counting and adds the words up by group: group[id] is the group of
** word id (NULL: each word its own group, ngroups = the reader's types).
** 0, or -1 when out of memory, -2 when interrupted (lx_interrupted).
*/
int lx_wordlist_finish(lx_wordlist *w, const uint32_t *group, uint32_t ngroups);

typedef struct lx_wlrow {
  uint32_t group;
  uint64_t freq;
  lx_disp disp;
  double arf, aldf;        /* 0 unless tracked (lx_wordlist_track) */
} lx_wlrow;

/*
** The groups with freq >= min and not dropped (drop[g] != 0; drop may be
** NULL), commonest first, ties by rank[g] (the byte order of their names),
** at most limit (0: all). Malloced; NULL with *n = 0 if none, with *n =
** LX_OOM (ngrams.h) if out of memory.
*/
lx_wlrow *lx_wordlist_rows(const lx_wordlist *w, const uint8_t *drop, const uint32_t *rank,
                           uint64_t min, size_t limit, size_t *n);
uint32_t lx_wordlist_parts(const lx_wordlist *w);
uint64_t lx_wordlist_tokens(const lx_wordlist *w);

#endif
