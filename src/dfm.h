/*
** dfm.h: a document-feature matrix, as quanteda's dfm() and
** scikit-learn's CountVectorizer give it: how often each word (feature)
** occurs in each document, kept sparse (only the counts that are not 0).
**
** The words come from a word reader (ngrams.h: the tokenizer and case
** options every statistic uses), one document per text it reads. Written
** as three files: PREFIX.mtx in Matrix Market coordinate format (documents
** are rows, features columns, both from 1), PREFIX.features (one word a
** line, in column order) and PREFIX.docs (one name a line, in row order).
** Columns are the words in the order they first occur (quanteda's order).
** Memory grows with the non-zero counts (12 bytes each) and the
** vocabulary, not with the text. Pure C: no Lua here.
*/
#ifndef LEXIS_DFM_H
#define LEXIS_DFM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wordreader.h"

typedef struct lx_dfm lx_dfm;

/* A matrix fed by r (give it lx_dfm_sink). NULL if out of memory. */
lx_dfm *lx_dfm_new(lx_wreader *r);
void lx_dfm_free(lx_dfm *d);
lx_wsink lx_dfm_sink(lx_dfm *d);

/* Names the documents the reader began since the last call (a text read
** with lx_wreader_file or lx_wreader_buffer is one; a file skipped as
** binary is none): their rows in PREFIX.docs. 0, or ENOMEM (then, or if
** memory ran out while counting). */
int lx_dfm_name(lx_dfm *d, const char *name);

uint32_t lx_dfm_docs(const lx_dfm *d);
/*
** Sums documents into groups (quanteda's dfm_group): document i's row is
** added to group[i]'s (0 .. ngroups - 1, every group given a document),
** and the rows are named names[0 .. ngroups) instead. Call it after the
** last document and before lx_dfm_select (min_docs then counts groups).
** 0, EINVAL (a group out of range, or a call after select), or ENOMEM.
*/
int lx_dfm_group(lx_dfm *d, const uint32_t *group, uint32_t ngroups, const char *const *names);
/*
** Chooses the columns: the words whose total count is at least min_count
** and that occur in at least min_docs documents (0 or 1: every word).
** Returns how many; (size_t)-1 if out of memory. Call it after the last
** document and before the accessors below and lx_dfm_write.
*/
size_t lx_dfm_select(lx_dfm *d, uint64_t min_count, uint32_t min_docs);
/* Leaves out the columns j with drop[j] set (stop words), after select.
** Returns the columns left. */
size_t lx_dfm_drop(lx_dfm *d, const unsigned char *drop);
uint64_t lx_dfm_nonzero(const lx_dfm *d);  /* the counts kept (entries of the .mtx) */
/* Column j's word (from 0) and its total count. */
const char *lx_dfm_feature(const lx_dfm *d, size_t j, size_t *len, uint64_t *count);
const char *lx_dfm_docname(const lx_dfm *d, uint32_t doc);
/* The count of column j in document doc (0 if none): a binary search. */
uint32_t lx_dfm_get(const lx_dfm *d, uint32_t doc, size_t j);

/* The three files: 0, or an errno value (ENOSPC, EIO, ENOMEM). */
int lx_dfm_write_mtx(const lx_dfm *d, FILE *f);
int lx_dfm_write_features(const lx_dfm *d, FILE *f);
int lx_dfm_write_docs(const lx_dfm *d, FILE *f);

#endif
