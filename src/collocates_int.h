/*
** collocates_int.h: what the two halves of the collocates core share
** (collocates.c: counting from a word stream, the lists and measures;
** collocates_index.c: counting from an index). Not a public header.
*/
#ifndef LEXIS_COLLOCATES_INT_H
#define LEXIS_COLLOCATES_INT_H

#include <stdint.h>
#include <string.h>

#include "collocates.h"

#define RING 128             /* > LX_SPAN_MAX, a power of two */

typedef struct lx_sides { uint64_t left, right; } lx_sides;

/*
** The positions counted in some window, as a ring of tags: slot q & mask
** holds q once q is counted. Windows are counted in the order of their
** nodes, so a position is looked up only while no position counted since
** is more than the span of one window (its first to its last position)
** ahead of it; a ring wider than twice that span never loses one that is
** still looked up. It grows (keeping its tags) when a window is wider.
*/
typedef struct posset {
  uint64_t *tag;           /* UINT64_MAX: empty */
  uint64_t mask;
} posset;

/* Room for windows of span positions: 0, or -1 if out of memory. */
int colloc_posset_fit(posset *s, uint64_t span);

static inline void posset_clear(posset *s) {
  if (s->tag) memset(s->tag, 0xFF, (s->mask + 1) * sizeof *s->tag);
}

/* Counts q in: 1 if it was not counted yet. */
static inline int posset_add(posset *s, uint64_t q) {
  uint64_t *t = &s->tag[q & s->mask];
  if (*t == q) return 0;
  *t = q;
  return 1;
}

struct lx_colloc {
  lx_wreader *r;
  lx_query *alt[LX_NODE_ALTS];  /* the node: alternatives of one position, or one phrase */
  size_t nalt;
  int phlen;               /* the phrase's words, when the node is one; else 0 */
  uint8_t *isnode;         /* per word id: bit j set if it matches phrase word j (bit 0: the node) */
  size_t checked;          /* word ids below this have isnode set */
  int left, right;
  lx_sides *seen;          /* per word id: seen left, right of a node (one cache line) */
  size_t cap;
  uint32_t ring[RING];     /* the segment's last ids, by position & (RING-1) */
  uint64_t pos;            /* position in the segment of the next word */
  uint64_t gpos;           /* position in the whole stream of the next word */
  uint64_t open_until;     /* the last position of the open right windows ... */
  int open;                /* ... if one is open in this segment */
  posset counted;          /* stream positions (or index token positions) counted */
  uint64_t hits, window;
  int oom;                 /* a count stopped: memory ran out, or failure[] says why */
  char failure[256];       /* a pattern that failed on a word, or "" */
  uint64_t *wfreq;         /* per word id, when counted from an index (else the reader's) */
  size_t nwfreq;
  uint64_t wtokens;        /* the words of that index */
};

static inline int is_node(const lx_colloc *c, uint32_t id) {
  return c->isnode[id] & 1;
}

/* Does word id match word j of the phrase? */
static inline int in_phrase(const lx_colloc *c, uint32_t id, int j) {
  return (c->isnode[id] >> j) & 1;
}

/* Marks the word ids the reader added since the last call (which match
** the node or phrase words): 0, or -1 (memory, or failure[] says why). */
int colloc_check_new_words(lx_colloc *c);
/* Room for counts of need word ids: 0, or -1 if out of memory. */
int colloc_grow_counts(lx_colloc *c, size_t need);

#endif
