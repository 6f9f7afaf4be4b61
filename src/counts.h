/*
** counts.h: a frequency table, byte strings to 64-bit counts.
**
** Open addressing over XXH3 hashes; the keys live in one arena, so memory
** grows with the vocabulary, never with the number of tokens counted.
** Pure C: no Lua here.
*/
#ifndef LEXIS_COUNTS_H
#define LEXIS_COUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "encode.h"

typedef struct lx_counts lx_counts;

lx_counts *lx_counts_new(void);
void lx_counts_free(lx_counts *c);

/* Adds n to key's count (n may be 0: the key then exists with count 0 until
** more is added). Returns 0, or -1 when out of memory (nothing changed). */
int lx_counts_add(lx_counts *c, const char *key, size_t len, uint64_t n);
/* Adds 1 to each of n keys: the same as n calls, but the cache misses of a
** large table overlap. Each key must be readable for 16 bytes, zero after
** its length (the caller pads its copies). -1 if out of memory (the keys
** before stay counted). */
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
/* Adds every count of src to dst (and src's total to dst's). -1 if out of memory. */
int lx_counts_merge(lx_counts *dst, const lx_counts *src);

uint64_t lx_counts_total(const lx_counts *c);   /* tokens counted */
size_t lx_counts_types(const lx_counts *c);     /* keys with a count > 0 */
/* Sets the total, e.g. after counting elsewhere; normally kept by add. */
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
  int format;          /* enum lx_fmt of encode.h: text, tsv, csv, json */
  size_t limit;        /* at most this many rows; 0 = all */
  uint64_t min;        /* only counts >= min */
  int header;          /* column names first (text, tsv, csv) */
} lx_listopts;
/* Writes the sorted list to f. Returns 0, or an errno value. */
int lx_counts_write(const lx_counts *c, FILE *f, const lx_listopts *o);

#endif
