/*
** wordreader_int.h: the word reader's insides, shared with the n-gram
** counter's threads (ngrams.c), which read ranges of one file with readers
** of their own that number words in the first reader's lexicon. Not a
** contract: wordreader.h is.
*/
#ifndef LEXIS_WORDREADER_INT_H
#define LEXIS_WORDREADER_INT_H

#include <pthread.h>

#include "input.h"
#include "wordreader.h"

#define NTOK 1024            /* tokens per lx_tokenize call */
#define NIDS 4096            /* ids handed to the sink at once */
#define NSPANS 256           /* sentences per lx_split call */

struct lx_wreader {
  lx_tokenizer *tok;
  const lx_splitter *sp;   /* NULL: no sentences */
  unsigned keep;           /* kinds of token that are words here */
  /* token bytes as written -> word id, in slots that hold a short token's
  ** bytes themselves (most words: one cache line per lookup), a long
  ** token's offset in rawtext */
  struct rawslot {
    uint64_t w;            /* len <= 8: the bytes, zero-padded; else offset in rawtext */
    uint32_t id1;          /* word id + 1; 0: empty */
    uint32_t lt;           /* len << 8 | the hash's top byte */
  } *rslots;
  size_t nrslots, nraw;
  char *rawtext;
  size_t rtlen, rtcap;
  /* short ASCII tokens as the counting kernel gives them (lx_tok_count_seq:
  ** 16 bytes, case options applied, so the text itself) -> word id */
  int fast;                /* the kernel serves this tokenizer */
  struct keyslot {
    uint64_t w[2];
    uint32_t id1;          /* word id + 1; 0: empty */
    uint32_t len;
  } *kslots;
  size_t nkslots, nkeys;
  lx_shortkey keys[NTOK];
  lx_lex lex;              /* words after case and normal form */
  /* while ranges of one file are read on several threads, every reader
  ** numbers words in the first reader's lexicon, under this lock, so their
  ** counts need no mapping afterwards */
  lx_wreader *lexowner;
  pthread_mutex_t *lexlock;
  uint64_t *freq;          /* per word id */
  size_t fcap;
  uint64_t tokens, bytes, invalid;
  uint32_t docs;
  lx_wsink sink;
  int oom;
  uint32_t ids[NIDS];      /* ids waiting for the sink */
  size_t nids;
  lx_token tk[NTOK];
  uint64_t th[NTOK];       /* their hashes */
  lx_span spans[NSPANS];
  char *buf;               /* file reading */
  size_t cap;
  lx_progress *progress;   /* bytes read go here too; or NULL */
  /* the edges of the text being read (lx_wreader_edges) */
  int edges;               /* look at them */
  int begun;               /* its first bytes were seen */
  int ink, nl;             /* a byte not white space seen; a newline seen before it */
  lx_wedges edge;
};

/* Opens and sniffs path (input.h). 0, an errno value, or LX_INPUT_SKIPPED
** with the reason in err; the input is closed unless 0. */
int lx_wreader_open(lx_input *in, const char *path, char *err, size_t errlen);
/* Reads an opened input as one text; 0, or an errno value with "path: reason" in err. */
int lx_wreader_input(lx_wreader *r, lx_input *in, char *err, size_t errlen);
/* Reads bytes [from, to) of fd as one text (to = UINT64_MAX: to the end,
** through in if not NULL). 0 or an errno value. */
int lx_wreader_range(lx_wreader *r, lx_input *in, int fd, uint64_t from, uint64_t to);
/* Adds reader o's word frequencies and totals to r's (same word ids). */
int lx_wreader_merge(lx_wreader *r, const lx_wreader *o);

#endif
