/*
** counts.h: a frequency table, byte strings to 64-bit counts.
**
** Open addressing over XXH3 hashes; the keys live in one arena, so memory
** grows with the vocabulary, never with the number of tokens counted.
** Pure C: no Lua here.
*/
#ifndef LEXIS_COUNTS_H
#define LEXIS_COUNTS_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "encode.h"

typedef struct lx_counts lx_counts;

/*
** A count or total never passes LX_COUNT_MAX (2^63 - 1): every count is
** then a Lua integer, exact in every output. An add or merge that would
** pass it fails with LX_COUNTS_OVERFLOW and changes nothing.
*/
#define LX_COUNT_MAX ((uint64_t)INT64_MAX)
enum { LX_COUNTS_NOMEM = -1, LX_COUNTS_OVERFLOW = -2, LX_COUNTS_INTERRUPTED = -3 };

/* The errno value for an error code above (0 for 0). */
static inline int lx_counts_errno(int rc) {
  return rc == 0 ? 0 : rc == LX_COUNTS_OVERFLOW ? EOVERFLOW : rc == LX_COUNTS_INTERRUPTED ? ECANCELED : ENOMEM;
}

lx_counts *lx_counts_new(void);
void lx_counts_free(lx_counts *c);

/* Adds n to key's count (n may be 0: the key then exists with count 0 until
** more is added). Returns 0, LX_COUNTS_NOMEM or LX_COUNTS_OVERFLOW (the
** key's count or the total would pass LX_COUNT_MAX); nothing changed then. */
int lx_counts_add(lx_counts *c, const char *key, size_t len, uint64_t n);
/* Adds 1 to each of n keys: the same as n calls, but the cache misses of a
** large table overlap. Each key must be readable for 16 bytes, zero after
** its length (the caller pads its copies). An error code as lx_counts_add
** gives (the keys before stay counted). */
int lx_counts_add_padded(lx_counts *c, const char *const *keys, const size_t *lens, size_t n);
/* Adds 1 to each of n short keys from the counting kernel (lx_tok_count). */
struct lx_shortkey;
int lx_counts_add_keys(lx_counts *c, const struct lx_shortkey *keys, size_t n);
/* key's count, 0 if absent. */
uint64_t lx_counts_get(const lx_counts *c, const char *key, size_t len);
/* Forgets key's count (a stop word): it leaves the list, types and top-N,
** but the total still counts its tokens, so per-million figures keep the
** whole text as their base. Returns the count it had. */
uint64_t lx_counts_drop(lx_counts *c, const char *key, size_t len);
/* Adds every count of src to dst (and src's total to dst's). Returns 0,
** LX_COUNTS_NOMEM or LX_COUNTS_OVERFLOW, and then dst is as it was; on
** overflow *bad is the key whose count would pass the limit (NULL: the
** total), if bad is not NULL. Time linear in the sizes of both. Ctrl-C
** (lx_interrupted) stops it with LX_COUNTS_INTERRUPTED, and then dst may
** hold part of src: a job that stops frees it. */
int lx_counts_merge(lx_counts *dst, const lx_counts *src, const char **bad, size_t *badlen);

uint64_t lx_counts_total(const lx_counts *c);   /* tokens counted */
size_t lx_counts_types(const lx_counts *c);     /* keys with a count > 0 */
/* Sets the total, e.g. after counting elsewhere; normally kept by add.
** At most LX_COUNT_MAX (the caller checks). */
void lx_counts_set_total(lx_counts *c, uint64_t total);

/* Slots by index 0 .. lx_counts_size()-1, in no particular order: empty
** slots give key NULL and count 0, dropped keys count 0. */
size_t lx_counts_size(const lx_counts *c);
uint64_t lx_counts_entry(const lx_counts *c, size_t i, const char **key, size_t *len);

/*
** Indices of the entries with count >= max(min, 1), by count descending then
** key bytes ascending, at most limit of them (0: all). Returns a malloced
** array (free it) and its length in *n; NULL with *n = 0 if out of memory
** or nothing qualifies.
*/
size_t *lx_counts_sorted(const lx_counts *c, size_t limit, uint64_t min, size_t *n);

/* Output of a word list: rank, word, count, per million of the total. */
typedef struct lx_listopts {
  int format;          /* enum lx_fmt of encode.h: any of them */
  size_t limit;        /* at most this many rows; 0 = all */
  uint64_t min;        /* only counts >= min */
  int header;          /* column names first (text, tsv, csv, html) */
  const char *title;   /* html: the table's caption; NULL: none */
} lx_listopts;
/* Writes the sorted list to f. Returns 0, or an errno value. */
int lx_counts_write(const lx_counts *c, FILE *f, const lx_listopts *o);

#endif
