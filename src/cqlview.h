/*
** cqlview.h: what the CQL evaluator needs to know about a corpus, and
** nothing more. One interface, several corpora behind it: an annotated
** index (many positional attributes, regions with annotations), a
** plain-text index (one attribute, word; regions s and text), a .vrt or
** .conllu file read into memory, a set of shards.
**
** A corpus is a sequence of tokens numbered 0 .. ntokens - 1. Each
** positional attribute gives every token an id in that attribute's
** lexicon (ids 0 .. lexicon_size - 1, each a distinct byte string); the
** postings of an id are the positions that hold it, in increasing order.
** A structural attribute is a list of regions [start, end) in increasing
** order of start that do not overlap each other (CWB's rule: nested
** regions of the same name are other attributes, s and s_1), each with a
** value when the attribute carries one. CWB spells an annotation of a
** region as its own structural attribute, text_year for the year of each
** text region; a view resolves such names itself (sattr("text_year")).
**
** Every function returns 0 on success, or -1 with a message the view keeps
** (error(ctx)): a damaged index block, Ctrl-C, out of memory. The
** evaluator stops at the first -1 and passes the message on.
** Pure C, no Lua.
*/
#ifndef LEXIS_CQLVIEW_H
#define LEXIS_CQLVIEW_H

#include <stddef.h>
#include <stdint.h>

/* Takes one batch of positions (increasing, and increasing across batches
** of one call). Returns 0 to go on, 1 to stop early (not an error). */
typedef int (*lx_cview_each)(void *arg, const uint64_t *pos, size_t n);

typedef struct lx_cview {
  void *ctx;
  uint64_t ntokens;

  /* -------------------------------------------- positional attributes */
  /* The attribute's handle (0, 1, ...), -1 when the corpus lacks it, or
  ** -2 when the view failed to make it ready (a set of shards making its
  ** lexicon: out of memory, Ctrl-C; error(ctx) says why). */
  int (*pattr)(void *ctx, const char *name);
  /* The names of them all, for "the corpus has word, lemma, pos". */
  size_t (*npattrs)(void *ctx);
  const char *(*pattr_name)(void *ctx, int attr);
  uint32_t (*lexicon_size)(void *ctx, int attr);
  /* The bytes of id (not NUL-ended), valid while the view is open. */
  int (*lexicon_str)(void *ctx, int attr, uint32_t id, const char **s, size_t *len);
  /* Id of the string s[0..len) in the lexicon; *found 0 when absent. */
  int (*lexicon_find)(void *ctx, int attr, const char *s, size_t len, uint32_t *id, int *found);
  /* How many tokens hold id (its postings' length). */
  int (*frequency)(void *ctx, int attr, uint32_t id, uint64_t *f);
  /* At least that many, found without reading the postings, for a plan's
  ** cost (an index's exact word forms are counted through their folded
  ** type's); NULL: frequency is that cheap. */
  int (*frequency_bound)(void *ctx, int attr, uint32_t id, uint64_t *f);
  /* The ids of positions [from, from + n) into ids[0..n). */
  int (*ids)(void *ctx, int attr, uint64_t from, size_t n, uint32_t *ids);
  /* The postings of id, in batches to each, in increasing order. */
  int (*postings)(void *ctx, int attr, uint32_t id, lx_cview_each each, void *arg);
  /* Positions that include id's postings, maybe more (then *more = 1), for
  ** a plan that needs only a superset (an index's exact word form: its
  ** folded type's, not each one read to see its case); NULL: postings. */
  int (*postings_bound)(void *ctx, int attr, uint32_t id, lx_cview_each each, void *arg, int *more);

  /* -------------------------------------------- structural attributes */
  /* The handle of a region set by CWB's name ("s", "text", "text_year"),
  ** or -1. *has_values 1 when its regions carry values (text_year). */
  int (*sattr)(void *ctx, const char *name, int *has_values);
  size_t (*nsattrs)(void *ctx);
  const char *(*sattr_name)(void *ctx, int s);
  uint64_t (*region_count)(void *ctx, int s);
  /* Region i: [*start, *end). */
  int (*region)(void *ctx, int s, uint64_t i, uint64_t *start, uint64_t *end);
  /* The region holding position pos: *i its number, or *i = UINT64_MAX
  ** when no region of s holds pos. */
  int (*region_at)(void *ctx, int s, uint64_t pos, uint64_t *i);
  /* The value of region i (sattr has values), valid while the view is
  ** open; empty for a region whose tag lacked it. */
  int (*region_value)(void *ctx, int s, uint64_t i, const char **v, size_t *len);

  /* -------------------------------------------- parts */
  /* One past the last token of the part holding pos: no match runs past
  ** it (a shard ends a text, src/cqlshards.c). NULL: one part, the whole
  ** corpus. */
  uint64_t (*part_end)(void *ctx, uint64_t pos);

  /* The message of the last -1. */
  const char *(*error)(void *ctx);
} lx_cview;

#endif
