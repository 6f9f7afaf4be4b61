/*
** corpus.h: a corpus and its index, after the IMS Corpus Workbench: the text
** is a stream of integer token ids, plus a lexicon, plus a reverse index.
**
**   lexicon      every distinct token as written ("The", "the", "THE"),
**                and each one's case-folded type ("the")
**   ids          the exact-form id of every token, 4 bytes a token, so the
**                tokens around a hit (sort keys, phrases) are one load away
**   postings     per folded type, its corpus positions as delta varints
**   offsets      where each token is in its file: per token one varint
**                (length and the gap before it), per 64 tokens a checkpoint
**   documents    path, size, modification time, first token, token count
**   sentences    the token position where each sentence starts (optional)
**
** Positions are 64-bit. The text itself is not stored unless the builder
** keeps it (lx_builder_store_text: zstd blocks, corpus_text.c): hits are
** shown by mapping the source files, which the index checks have not changed.
** Tokens are what the tokenizer gives, white space excepted.
**
** A corpus is built in memory (lx_builder: files are streamed in chunks, so
** the text is never held whole) and then used directly or saved; an index
** file opens by mmap, and a query touches only the pages it needs.
** The core is four files (corpus_internal.h says which holds what):
** corpus_build.c, corpus_finish.c, corpus_read.c, corpus_query.c.
** Pure C: no Lua here.
*/
#ifndef LEXIS_CORPUS_H
#define LEXIS_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "kwic.h"
#include "lexicon.h"
#include "progress.h"
#include "query.h"
#include "sentences.h"
#include "vrt.h"
#include "cqlview.h"

typedef struct lx_builder lx_builder;
typedef struct lx_corpus lx_corpus;

/* The record of one document in an index (section DOCS). */
typedef struct lx_docrec {
  uint64_t first;      /* its first token's corpus position */
  uint64_t ntok;       /* tokens */
  uint64_t size;       /* bytes of the file when indexed */
  int64_t mtime;       /* its modification time then (seconds) */
  uint64_t name;       /* offset of its path in section NAMES */
  uint64_t hash;       /* XXH3 of its bytes */
} lx_docrec;

/* How an index tokenizes where it may differ from the default (tokens are
** the tokenizer's, white space excepted): kept in the index (meta), so a
** query and a refresh cut words as the index did. */
enum {
  LX_CORPUS_SPLIT_APOSTROPHES = 1,   /* words split at ' and U+2019: Stalin ’ s */
  LX_CORPUS_NO_DICTIONARY = 2,       /* Chinese, Japanese, Thai ... cut by UAX #29 alone */
  LX_CORPUS_OPTIONS = 3              /* every option this version knows */
};

/* A builder that tokenizes with opts (LX_CORPUS_* bits). */
lx_builder *lx_builder_new(unsigned opts, char *err, size_t errlen);
void lx_builder_free(lx_builder *b);
/* Streams a file into the corpus. 0; -1 with "path: reason" in err; -2 if
** it looks binary (a NUL byte in its first 8 KB: skipped, nothing added). */
int lx_builder_add_file(lx_builder *b, const char *path, char *err, size_t errlen);
/* Adds text held in memory under a name (no file behind it: such a corpus
** cannot show hits after saving unless a file of that name exists). */
int lx_builder_add_text(lx_builder *b, const char *name, const char *text, size_t len,
                        char *err, size_t errlen);
/* Splits the documents added from now on into sentences with sp (which
** must outlive the builder's use): hits then carry sentence numbers. */
void lx_builder_set_splitter(lx_builder *b, const lx_splitter *sp);
/* Reports the bytes of the files added from now on to p (NULL: none); a
** stop makes lx_builder_add_file fail ("interrupted"). p must outlive the use. */
void lx_builder_set_progress(lx_builder *b, lx_progress *p);
uint64_t lx_builder_tokens(const lx_builder *b);
uint64_t lx_builder_bytes(const lx_builder *b);
/*
** Reads an annotated file (.vrt or .conllu, src/vrt.h, with opts) into the
** builder: its word column as the words of a plain-text index, its other
** columns as positional attributes, its regions and their keys as
** structural attributes (docs/formats.md). Such an index has no token
** offsets and needs no source text. A builder takes annotated files or
** text, not both; every annotated file must have the same columns. The
** reader's warnings go to warn. 0; -2 skipped (binary), err says why; -1
** with "path:line: reason" in err and errno set (EILSEQ malformed input).
*/
int lx_builder_add_annotated(lx_builder *b, const char *path, const lx_vrt_opts *opts,
                             void (*warn)(void *arg, const char *msg), void *arg,
                             char *err, size_t errlen);

/*
** Document metadata (lexis index --meta): nfields field names, then for
** each of the builder's documents, in the order they were added, nfields
** values; strs[i] is lens[i] bytes (any bytes but NUL). Values are
** strings, kept as given. Call it after the last document; a later call
** replaces it. 0; EINVAL (ndocs is not the builder's document count, a
** NUL in a string, no field) or ENOMEM, with a message in err.
*/
int lx_builder_set_meta(lx_builder *b, size_t nfields, size_t ndocs, const char *const *strs,
                        const size_t *lens, char *err, size_t errlen);
uint32_t lx_builder_ndocs(const lx_builder *b);

/* Appends document d of the index c (which must outlive the builder's use)
** as it was indexed, without reading its file: for refreshing an index of
** files of which only some changed. 0; -1 with a message in err; -2 if b
** splits sentences and c has none to copy, or c was tokenized with other
** options than b (add the file instead). */
int lx_builder_reuse(lx_builder *b, const lx_corpus *c, uint32_t d, char *err, size_t errlen);
/* Makes the index and hands the builder's memory to it (b is freed). */
lx_corpus *lx_builder_finish(lx_builder *b, char *err, size_t errlen);

/* Makes the index straight into a file at path and maps it (b is freed):
** sections are written and freed as they are made, so the build holds less
** than lx_builder_finish and lx_corpus_save. NULL with "path: reason". */
lx_corpus *lx_builder_save(lx_builder *b, const char *path, char *err, size_t errlen);

/* Maps an index file. NULL with "path: reason; rebuild it ..." in err. */
lx_corpus *lx_corpus_open(const char *path, char *err, size_t errlen);
void lx_corpus_free(lx_corpus *c);
int lx_corpus_save(const lx_corpus *c, const char *path, char *err, size_t errlen);
/* Reads every section against its checksum. 0, or -1 with a message. */
int lx_corpus_verify(const lx_corpus *c, char *err, size_t errlen);

uint64_t lx_corpus_tokens(const lx_corpus *c);
uint32_t lx_corpus_ndocs(const lx_corpus *c);
uint64_t lx_corpus_types(const lx_corpus *c);        /* distinct exact forms */
uint64_t lx_corpus_ftypes(const lx_corpus *c);       /* distinct folded forms */
uint64_t lx_corpus_sentences(const lx_corpus *c);    /* 0 if not split */
unsigned lx_corpus_options(const lx_corpus *c);      /* LX_CORPUS_* it was built with */
const lx_docrec *lx_corpus_doc(const lx_corpus *c, uint32_t d, const char **name);
/* 1 when c keeps its documents' text (lexis index --store-text): hits are
** shown from the index, and no source file is read or checked. */
int lx_corpus_stored(const lx_corpus *c);
/* Bytes [at, at + n) of document d's text into out (n <= its size - at),
** from the index when it keeps the text, else from the file, which must be
** as indexed (size and time). 0, or -1 with a message in err. */
int lx_corpus_text(const lx_corpus *c, uint32_t d, uint64_t at, uint64_t n, char *out,
                   char *err, size_t errlen);
/* Keeps the text of the documents added from now on in the index (zstd at
** level; 0 the default). 0, or -1 out of memory. */
int lx_builder_store_text(lx_builder *b, int level);
/* 1 if document d's file is missing or differs from when it was indexed:
** in size or time, or (deep) in content (its XXH3: the file is read). An
** index that keeps its text does not need the file (lx_corpus_stored), but
** --update still asks whether it changed. */
int lx_corpus_stale(const lx_corpus *c, uint32_t d, int deep);
/* How often a folded word occurs (0 if never) in *n. 0; -1 out of memory;
** -2 damaged (lx_corpus_damage says where). */
int lx_corpus_freq(const lx_corpus *c, const char *word, size_t len, uint64_t *n);
/* The message for damage met: "path: damaged (section, where); rebuild
** it with 'lexis index'". */
int lx_corpus_damage(const lx_corpus *c, char *err, size_t errlen);

/*
** Finds the hits of q and adds them to conc (which must be empty and gets
** the corpus's documents; it points into c, so c must outlive it). The
** hits know their position; byte ranges and sort keys come on demand.
** 0, or -1 with a message in err.
*/
int lx_corpus_query(lx_corpus *c, const lx_query *q, lx_conc *conc, size_t stop_after,
                    char *err, size_t errlen);
/* The concordance source of c's hits (kwic.h): what lx_corpus_query gives
** its concordance; a corpus of shards calls it through this. */
void lx_corpus_source(lx_corpus *c, lx_conc_source *src);

/*
** A corpus of several indexes (shards), built apart and queried as one:
** their documents one list in shard order, their hits in that order.
** lx_shards_check says why they cannot be one corpus (tokenized otherwise:
** --split-apostrophes, --no-dictionary; annotated among plain), naming
** the first shard that differs: 0, or -1 with the message in err.
** lx_shards_query finds q's hits in every shard (nq copies of q, one per
** thread: a query holds PCRE2 match data; up to two threads, one per shard
** at a time) and gives conc, which must be empty, every shard's documents
** and hits; the shards must outlive it. Sort keys of different shards are
** ranks in different lexicons: conc compares them as it does those of
** scanned text, through its own lexicon of the folded key strings
** (conc->keys), so one sort orders the hits as one index of all the files
** would. With stop_after, shards are queried one after another until
** that many. 0, or -1 with the message in err (a damaged shard names
** itself).
*/
int lx_shards_check(lx_corpus *const *x, size_t n, char *err, size_t errlen);
int lx_shards_query(lx_corpus *const *x, size_t n, lx_query *const *q, size_t nq, lx_conc *conc,
                    size_t stop_after, char *err, size_t errlen);

/*
** Raw access, for counters that walk the index themselves (collocates.c).
** Functions that can meet damage return -2 for it, -1 if out of memory;
** every read is checked against the index's block checksums.
*/
/* The exact form id of token p; LX_NOID if p is out of range or damaged. */
uint32_t lx_corpus_id(const lx_corpus *c, uint64_t p);
/* The ids of tokens [from, to) in place, their bytes checked once (NULL if
** the range is out of bounds or damaged); each is still to be compared
** with the number of types. For loops that read many neighbours. */
const uint32_t *lx_corpus_id_run(const lx_corpus *c, uint64_t from, uint64_t to);
/* Exact form id's bytes (NULL if out of range or damaged); its folded type
** (LX_NOID likewise). */
const char *lx_corpus_form(const lx_corpus *c, uint32_t id, size_t *len);
uint32_t lx_corpus_fold_of(const lx_corpus *c, uint32_t id);
/* The exact form id of the bytes s[0..len) as they are (case kept):
** LX_NOID when no token has that form, UINT32_MAX - 1 when the index is
** damaged, UINT32_MAX - 2 without memory. */
uint32_t lx_corpus_find_form(const lx_corpus *c, const char *s, size_t len);
/* Occurrences of folded type f; UINT64_MAX if f is out of range or damaged. */
uint64_t lx_corpus_ffreq(const lx_corpus *c, uint32_t f);
/* Folded type f's bytes (NULL if out of range or damaged); its place when
** the folded types are sorted bytewise (LX_NOID likewise). */
const char *lx_corpus_folded(const lx_corpus *c, uint32_t f, size_t *len);
uint32_t lx_corpus_frank(const lx_corpus *c, uint32_t f);
/* The positions of the folded types fids, ascending, malloced in *pos. */
int lx_corpus_postings(const lx_corpus *c, const uint32_t *fids, size_t nf, uint64_t **pos,
                       uint64_t *n);
/* counts[0 .. types): occurrences of each exact form (one pass over the ids). */
int lx_corpus_form_counts(const lx_corpus *c, uint64_t *counts);
/* Token ids [from, to) of a mapped index are not needed for now: their
** pages leave memory (a pass over the stream stays small). */
void lx_corpus_let_go(const lx_corpus *c, uint64_t from, uint64_t to);
/* The tokens [lo, hi) of the document holding p. */
int lx_corpus_doc_span(const lx_corpus *c, uint64_t p, uint64_t *lo, uint64_t *hi);

const char *lx_corpus_path(const lx_corpus *c);     /* the index file, for messages */
/* Its document metadata: how many fields (0: none); field f's name; the
** value of field f for document d (bytes, not NUL-ended; may be empty). */
size_t lx_corpus_nfields(const lx_corpus *c);
const char *lx_corpus_field(const lx_corpus *c, size_t f, size_t *len);
const char *lx_corpus_docmeta(const lx_corpus *c, uint32_t d, size_t f, size_t *len);
/* 1 when c was built from annotated files (no offsets, no source text). */
int lx_corpus_annotated(const lx_corpus *c);

/*
** The CQL evaluator's view of c (src/cqlview.h; c must outlive it): a
** plain-text index shows word, and s (its sentences, when split), text and
** text_id (its documents, the id their path) and text_FIELD for each field
** of its document metadata; an annotated one its own attributes. 0, or ENOMEM. lx_corpus_view_free is idempotent.
*/
int lx_corpus_view(lx_corpus *c, lx_cview *v);
void lx_corpus_view_free(lx_cview *v);

#endif
