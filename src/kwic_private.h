/*
** kwic_private.h: what the files of the concordance core share and nobody
** else may use. kwic.h is the contract; this is the seam between kwic.c
** (objects, loading), kwic_scan.c (finding hits), kwic_order.c (sentences,
** sorting, sampling) and kwic_write.c (layout and writers).
*/
#ifndef LEXIS_KWIC_PRIVATE_H
#define LEXIS_KWIC_PRIVATE_H

#include "kwic.h"

/* An array of hits or sort records, in 2 MB pages when it is big (kwic.c). */
void *lx_conc_big_alloc(size_t bytes);
/* All the sentences of text[0..len), as a malloced array. 0, or -1 (kwic_scan.c). */
int lx_conc_split_all(const lx_splitter *sp, const char *text, size_t len, lx_span **out, size_t *n);
/* qsort_r order of hit indexes (arg: the hits) by document, then start byte (kwic_scan.c). */
int lx_conc_cmp_place(const void *a, const void *b, void *arg);
/* Sorts and cuts hits [0, settled) as lx_conc_keep_best asked, while
** scanning document `scanning`; the hits after them stay, after the best
** (kwic_order.c). 0, or -1 with c->err. */
int lx_conc_prune(lx_conc *c, uint32_t scanning, size_t settled);

#endif
