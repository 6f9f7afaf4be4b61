/*
** lexicon.h: lexicons, which intern byte strings as dense ids 0, 1, 2, ...
** (first-seen order): one arena of bytes, an offset per id, and an
** open-addressing table of ids. A corpus maps its words through two (exact
** and folded forms), the word reader of the statistics through one, and a
** concordance keeps its sort keys in one.
** Pure C: no Lua here.
*/
#ifndef LEXIS_LEXICON_H
#define LEXIS_LEXICON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct lx_lex {
  char *arena;          /* the strings, back to back, no separators */
  uint64_t *off;        /* string i is arena[off[i] .. off[i+1]) */
  uint64_t *slots;      /* hash's high 32 bits << 32 | id + 1; 0 for empty */
  size_t alen, acap;    /* arena bytes used, allocated */
  uint32_t n, cap;      /* ids, room in off */
  uint32_t nslots;      /* a power of two, kept at least twice n */
} lx_lex;

#define LX_NOID UINT32_MAX

void lx_lex_init(lx_lex *x);
void lx_lex_free(lx_lex *x);
/* XXH3 of s: the hash of lexicons, and of an index's word hash. */
uint64_t lx_hash(const char *s, size_t len);
/* The id of s, added if new; LX_NOID if out of memory. */
uint32_t lx_lex_intern(lx_lex *x, const char *s, size_t len);
static inline const char *lx_lex_str(const lx_lex *x, uint32_t id, size_t *len) {
  *len = (size_t)(x->off[id + 1] - x->off[id]);
  return x->arena + x->off[id];
}
/* Starts loading the slot where s is looked up: a loop that interns many
** strings names a few ahead, so that their cache misses overlap. */
static inline void lx_lex_prefetch(const lx_lex *x, const char *s, size_t len) {
  if (x->nslots) __builtin_prefetch(&x->slots[(uint32_t)(lx_hash(s, len) >> 32) & (x->nslots - 1)]);
}
/* Room for n strings without growing the table (growth rehashes them all). */
int lx_lex_reserve(lx_lex *x, uint32_t n);
/* The bytewise order of two ids' strings (a prefix first): <0, 0 or >0. */
static inline int lx_lex_cmp(const lx_lex *x, uint32_t i, uint32_t j) {
  size_t li, lj;
  const char *si = lx_lex_str(x, i, &li), *sj = lx_lex_str(x, j, &lj);
  int c = memcmp(si, sj, li < lj ? li : lj);
  if (c) return c;
  return li < lj ? -1 : li > lj;
}
/* rank[id] = the id's place when the strings are sorted bytewise; malloced. */
uint32_t *lx_lex_ranks(const lx_lex *x);
/* The same for the given ids only (duplicates allowed): the other ids' ranks
** are left undefined. Cheaper than ranking the whole lexicon for a few words. */
uint32_t *lx_lex_ranks_of(const lx_lex *x, const uint32_t *ids, size_t n);

#endif
