/*
** wordreader.h: texts as streams of word ids, the input of every statistic.
**
** A word reader (lx_wreader) runs the tokenizer over files and buffers,
** optionally within the sentences a splitter finds, and turns each kept
** token into a dense word id (its text after the case and normal-form
** options, interned once). It counts every word's frequency and hands the
** ids, a sentence or a batch at a time, to a sink: the n-gram counter of
** ngrams.h, the collocate counter of collocates.h. No string is made per
** token: a token is hashed as it stands in the buffer, and the case mapping
** runs once per distinct form.
**
** Pure C: no Lua here.
*/
#ifndef LEXIS_WORDREADER_H
#define LEXIS_WORDREADER_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"
#include "progress.h"
#include "query.h"
#include "sentences.h"
#include "tokenize.h"

/* Where the words go. words() may be called several times per segment; a
** segment (a sentence, or a whole text without a splitter) ends with end(). */
typedef struct lx_wsink {
  int (*words)(void *ud, const uint32_t *ids, size_t n);   /* 0, or -1: out of memory */
  void (*end)(void *ud);
  void (*doc)(void *ud, uint32_t doc);                      /* a new text starts; may be NULL */
  void *ud;
} lx_wsink;

typedef struct lx_wreader lx_wreader;

/* sp may be NULL (segments are whole texts); it must outlive the reader.
** NULL with a message in err if the tokenizer options are bad. */
lx_wreader *lx_wreader_new(const lx_tokopts *o, const lx_splitter *sp, char *err, size_t errlen);
void lx_wreader_free(lx_wreader *r);
void lx_wreader_sink(lx_wreader *r, const lx_wsink *sink);

/* Reads a file ("-": standard input) or a buffer as one more text. 0, or an
** errno value with "path: reason" in err; LX_INPUT_SKIPPED (input.h) when
** the input layer skips the file (binary), err saying why. */
int lx_wreader_file(lx_wreader *r, const char *path, char *err, size_t errlen);
int lx_wreader_buffer(lx_wreader *r, const char *s, size_t n, char *err, size_t errlen);
/* Reports the bytes of files read to p from now on (NULL: none); a stop
** makes the read fail with ECANCELED. p must outlive the reads. */
void lx_wreader_progress(lx_wreader *r, lx_progress *p);

/*
** How the last text read begins and ends, for joining the counts of pieces
** of one text cut at line ends (split -n l/K; partial.h): looked at only
** after lx_wreader_edges(r, 1). Without sentences both ends are open.
*/
typedef struct lx_wedges {
  int open_start;          /* its first sentence may run on from the piece before */
  int open_end;            /* its last sentence runs on into the piece after */
  int glued_start;         /* it starts with no white space: a cut there may fall in a word */
  int glued_end;           /* it ends with no white space */
} lx_wedges;
void lx_wreader_edges(lx_wreader *r, int on);
lx_wedges lx_wreader_edge(const lx_wreader *r);

/* The word lexicon: ids 0 .. lx_wreader_types()-1 and their frequencies. */
const lx_lex *lx_wreader_lex(const lx_wreader *r);
uint32_t lx_wreader_types(const lx_wreader *r);
int lx_wreader_casing(const lx_wreader *r);         /* enum lx_case of its words */
/* For a loop that maps many forms (lx_wreader_form): room for n more words,
** and the lookup of a form a few ahead started early. */
int lx_wreader_reserve(lx_wreader *r, uint32_t n);
void lx_wreader_prefetch(const lx_wreader *r, const char *s, size_t len);
uint64_t lx_wreader_freq(const lx_wreader *r, uint32_t id);
uint64_t lx_wreader_tokens(const lx_wreader *r);   /* words read, all texts */
uint64_t lx_wreader_invalid(const lx_wreader *r);  /* invalid UTF-8 bytes seen */
uint32_t lx_wreader_docs(const lx_wreader *r);     /* texts read */
/* The id of a word as the reader would map it (case, normal form), added
** if new (with frequency 0); LX_NOID if out of memory or not one token. */
uint32_t lx_wreader_word(lx_wreader *r, const char *w, size_t len);
/* The ids of the words of a phrase (added if new), at most cap: returns
** how many, cap + 1 if more, 0 if out of memory. */
size_t lx_wreader_phrase(lx_wreader *r, const char *s, size_t len, uint32_t *ids, size_t cap);
/* A token already cut (s[0..len) of the given kind, as an index stores it):
** its word id as the reader maps it, added if new (frequency 0); LX_NOID
** if out of memory. The caller decides whether the kind is kept. */
uint32_t lx_wreader_form(lx_wreader *r, const char *s, size_t len, int kind);
/* Under the stem option, each literal word of q (query.h) replaced by its
** stem, so a query matches the stems the reader counts ("connections" the
** word "connect"); globs and regexes are left to match stems as they are.
** 0, or -1 if out of memory. */
int lx_wreader_stem_query(lx_wreader *r, lx_query *q);
/* The kinds of token the reader keeps (LX_KIND_BIT set). */
unsigned lx_wreader_kinds(const lx_wreader *r);

#endif
