/*
** lexicon.c: string interning (lexicon.h): an arena, offsets, and a hash
** table of ids whose slots keep the hash's high bits; and the byte order
** of the strings, for sorting.
*/
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "alloc.h"
#include "lexicon.h"

uint64_t lx_hash(const char *s, size_t len) {
  return XXH3_64bits(s, len);
}

void lx_lex_init(lx_lex *x) {
  memset(x, 0, sizeof *x);
}

void lx_lex_free(lx_lex *x) {
  free(x->arena);
  free(x->off);
  free(x->slots);
  lx_lex_init(x);
}

/*
** The slot of s: where it is, or the empty slot where it would go. The
** slot holds the hash's high bits, so a probe past another string touches
** nothing else; only a likely match reads the arena.
*/
static uint32_t find_slot(const lx_lex *x, const char *s, size_t len, uint64_t h) {
  uint32_t mask = x->nslots - 1, i = (uint32_t)(h >> 32) & mask;
  uint64_t tag = h & 0xFFFFFFFF00000000u;
  for (;;) {
    uint64_t v = x->slots[i];
    if (v == 0) return i;
    if ((v & 0xFFFFFFFF00000000u) == tag) {
      uint32_t id = (uint32_t)v - 1;
      uint64_t a = x->off[id];
      if (x->off[id + 1] - a == len && (len == 0 || memcmp(x->arena + a, s, len) == 0)) return i;
    }
    i = (i + 1) & mask;
  }
}

static int grow_slots(lx_lex *x) {
  uint32_t n = x->nslots ? x->nslots * 2 : 1024;
  uint64_t *slots = lx_zalloc(n, sizeof *slots);
  if (!slots) return -1;
  for (uint32_t k = 0; k < x->nslots; k++) {
    uint64_t v = x->slots[k];
    if (!v) continue;
    uint32_t i = (uint32_t)(v >> 32) & (n - 1);
    while (slots[i]) i = (i + 1) & (n - 1);
    slots[i] = v;
  }
  free(x->slots);
  x->slots = slots;
  x->nslots = n;
  return 0;
}

int lx_lex_reserve(lx_lex *x, uint32_t n) {
  while ((uint64_t)n * 2 > x->nslots)
    if (grow_slots(x)) return -1;
  return 0;
}

uint32_t lx_lex_intern(lx_lex *x, const char *s, size_t len) {
  if (x->nslots == 0 && grow_slots(x)) return LX_NOID;
  uint64_t h = lx_hash(s, len);
  uint32_t i = find_slot(x, s, len, h);
  if (x->slots[i]) return (uint32_t)x->slots[i] - 1;
  if (x->n + 2 >= x->cap) {
    uint32_t cap = x->cap ? x->cap * 2 : 1024;
    uint64_t *off = lx_realloc(x->off, (size_t)cap * sizeof *off);
    if (!off) return LX_NOID;
    x->off = off;
    x->cap = cap;
    if (x->n == 0) x->off[0] = 0;
  }
  if (x->alen + len > x->acap) {
    size_t cap = x->acap ? x->acap : 4096;
    while (cap < x->alen + len) cap *= 2;
    char *a = lx_realloc(x->arena, cap);
    if (!a) return LX_NOID;
    x->arena = a;
    x->acap = cap;
  }
  if (len) memcpy(x->arena + x->alen, s, len);   /* (an empty string may come before any arena) */
  x->alen += len;
  uint32_t id = x->n++;
  x->off[id + 1] = x->alen;
  x->slots[i] = (h & 0xFFFFFFFF00000000u) | (id + 1);
  if ((uint64_t)x->n * 2 > x->nslots && grow_slots(x)) { /* still findable: the table is only fuller */ }
  return id;
}

static const lx_lex *sort_lex;   /* qsort has no context argument in C11 */

static int cmp_ids(const void *a, const void *b) {
  return lx_lex_cmp(sort_lex, *(const uint32_t *)a, *(const uint32_t *)b);
}

uint32_t *lx_lex_ranks_of(const lx_lex *x, const uint32_t *ids, size_t n) {
  if (n >= x->n) return lx_lex_ranks(x);
  /* the distinct ids, marked in the rank array, then sorted by their bytes */
  uint32_t *rank = lx_calloc((size_t)x->n + 1, sizeof *rank);
  uint32_t *order = lx_malloc((n + 1) * sizeof *order);
  if (!order || !rank) { free(order); free(rank); return NULL; }
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (ids[i] < x->n && !rank[ids[i]]) rank[ids[i]] = 1, order[m++] = ids[i];
  sort_lex = x;
  qsort(order, m, sizeof *order, cmp_ids);
  for (size_t i = 0; i < m; i++) rank[order[i]] = (uint32_t)i;
  free(order);
  return rank;
}

uint32_t *lx_lex_ranks(const lx_lex *x) {
  uint32_t *order = lx_malloc(((size_t)x->n + 1) * sizeof *order);
  uint32_t *rank = lx_malloc(((size_t)x->n + 1) * sizeof *rank);
  if (!order || !rank) { free(order); free(rank); return NULL; }
  for (uint32_t i = 0; i < x->n; i++) order[i] = i;
  sort_lex = x;
  qsort(order, x->n, sizeof *order, cmp_ids);
  for (uint32_t i = 0; i < x->n; i++) rank[order[i]] = i;
  free(order);
  return rank;
}
