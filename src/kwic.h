/*
** kwic.h: concordances (keyword in context).
**
** A concordance is a list of hits over a list of documents. Hits come from
** scanning text (lx_conc_scan: tokenize, match, no index) or from a corpus
** index (corpus.c fills them through the source hooks, lazily: sort keys only
** for the keys a sort asks for, byte ranges only for hits that are shown).
** It sorts them (L3..R3, node, document, position; case-folded, stable),
** samples and cuts them, and lays them out: an aligned view whose node column
** lines up by display width (libunistring: uc_width per character, cut on
** grapheme cluster boundaries), TSV, CSV, JSON Lines or an HTML page.
** Pure C: no Lua here.
*/
#ifndef LEXIS_KWIC_H
#define LEXIS_KWIC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lexicon.h"
#include "progress.h"
#include "query.h"
#include "sentences.h"
#include "tokenize.h"

/* The sort keys: token slots around the node, then document and position. */
enum { LX_K_L3, LX_K_L2, LX_K_L1, LX_K_NODE, LX_K_R1, LX_K_R2, LX_K_R3, LX_K_DOC, LX_K_POS };
#define LX_NSLOTS 7
#define LX_KEYS_MAX 9

/* What a hit knows (lx_hit.have): each key slot, and its byte ranges. */
#define LX_HAVE_KEY(slot) (1u << (slot))
#define LX_HAVE_BYTES (1u << 8)
#define LX_HAVE_SENT (1u << 9)
#define LX_HAVE_POS (1u << 10)    /* pos is known (the literal fast path counts lazily) */
#define LX_HAVE_SNUM (1u << 11)   /* sent is known (LX_HAVE_SENT: its bytes too) */

typedef struct lx_hit {
  /* first what sorting reads, in one cache line for most hits */
  uint64_t cpos;       /* corpus-wide position (index), the position (scan), or the byte (fast path) */
  uint32_t doc;        /* document number */
  uint32_t ntok;       /* tokens in the node */
  uint32_t key[LX_NSLOTS]; /* L3 L2 L1 node R1 R2 R3: key ids + 1; 0 = no token */
  uint32_t have;       /* LX_HAVE_* bits */
  /* then what showing a hit needs */
  uint64_t pos;        /* the node's first token, counted from 0 in its document */
  uint64_t start, end; /* the node's bytes in its document */
  uint64_t lstart;     /* where the left token context starts (= start when none) */
  uint64_t rend;       /* where the right token context ends (= end when none) */
  uint64_t sent;       /* sentence number in its document, from 1; 0 = not counted */
  uint64_t sstart, sstop; /* the sentence's bytes (LX_HAVE_SENT) */
} lx_hit;

typedef struct lx_cdoc {
  char *name;          /* path or label; malloced */
  const char *text;    /* the text, or NULL until the source maps it or lx_conc_load reads it */
  size_t len;
  void *map;           /* our own mapping of a file (an index source, a big file), or NULL */
  size_t maplen;
  int guard;           /* the mapping's entry in src/mapguard.c, or 0 */
  /* a file the concordance reads itself (lx_conc_add_file), through the input layer: */
  char *own;           /* the text read (malloced), or NULL when not in memory */
  int file;            /* 1: text comes from the file `name`; 2: from standard input */
  int seen;            /* read once: fsize and fmtime say what it was */
  int reread;          /* a regular file: it can be read again after it is let go */
  uint64_t fsize;      /* size and time when first read: a changed file is an error */
  int64_t fmtime;
  unsigned char *filled;  /* a source that fills text on demand (need): its bits, or NULL */
} lx_cdoc;

/* Texts of scanned files kept in memory between uses; past this, the one
** used longest ago is let go and read again when a hit in it is shown. */
#define LX_CONC_RESIDENT ((size_t)256 << 20)
/* A regular file this big is mapped rather than read: a copy into fresh
** memory costs more than the scan from 1 MB (kjv.txt, 4.4 MB: 15 ms mapped,
** 23 ms read), while many small files mapped would run out of mappings
** (vm.max_map_count); the budget above keeps the big ones few. */
#define LX_CONC_MAP_MIN ((size_t)1 << 20)

/* An index behind the hits (see corpus.c); NULL hooks for scanned text. */
typedef struct lx_conc_source {
  void *ctx;
  /* Fills the LX_HAVE_* bits of `want` that hits h[0..n) lack (a batch, so
  ** the source can prefetch). 0, or -1 if damaged. */
  int (*fill)(void *ctx, lx_hit *h, size_t n, unsigned want, unsigned left, unsigned right);
  /* Maps document d's text into doc (text, len, and map/maplen for the
  ** concordance to unmap). 0, or -1 with a message. */
  int (*text)(void *ctx, uint32_t d, lx_cdoc *doc, char *err, size_t errlen);
  /* Whether doc's text (mapped by `text`) still holds, in h's window of
  ** left and right tokens, the tokens indexed there: 0 yes, 1 no (the file
  ** changed), -1 damaged. NULL: nothing to check. */
  int (*agrees)(void *ctx, const lx_hit *h, unsigned left, unsigned right, const lx_cdoc *doc);
  /* Makes doc->text[a, b) hold the document's bytes, for a source whose
  ** `text` gives a mapping it fills on demand (doc->filled set); the bytes
  ** stay. 0, or -1 if damaged. NULL: the text is all there. */
  int (*need)(void *ctx, uint32_t d, lx_cdoc *doc, uint64_t a, uint64_t b);
  /* Says what fill found damaged ("path: damaged (where); rebuild ..."). */
  int (*damage)(const void *ctx, char *err, size_t errlen);
  const uint32_t *rank;  /* rank of key id k-1 in sorted order */
  int ranked;            /* key ids are ranks + 1 already (rank unused) */
  /* Frees ctx with the concordance (a source made for it alone), or NULL. */
  void (*release)(void *ctx);
} lx_conc_source;

typedef struct lx_conc {
  lx_hit *hits;
  size_t n, cap;
  lx_cdoc *docs;
  uint32_t ndocs, dcap;
  unsigned left, right;   /* token context kept each side */
  size_t stop_after;      /* scanning stops after this many hits; 0 = never */
  int count_only;         /* scanning counts hits in `counted` and keeps none (kwic --count) */
  uint64_t counted;
  lx_progress *progress;  /* bytes scanned are counted here too; or NULL */
  lx_lex keys;            /* folded key strings of scanned hits */
  uint32_t *rank;         /* ranks of keys, made when sorting; malloced */
  lx_conc_source src;
  size_t resident;        /* bytes of file texts in memory (lx_cdoc.own) */
  uint32_t clock;         /* where the search for a text to let go starts */
  const lx_splitter *sp;  /* sentence ends, for numbers and cut context; or NULL */
  int split_early;        /* scanning splits each document at once (else on demand) */
  lx_tokenizer *tok;      /* ours: keys and positions of fast-path hits, on demand */
  char err[256];          /* what went wrong last */
  char *buf[4];           /* layout scratch: left, node, right, escaping */
  size_t bcap[4];
  size_t *cl;             /* layout scratch: grapheme cluster offsets and widths */
  size_t clcap;
  struct {                /* a sort with a limit, applied while scanning (lx_conc_keep_best) */
    int keys[LX_KEYS_MAX], desc[LX_KEYS_MAX];
    size_t nkeys, limit;  /* limit 0: every hit is kept */
    size_t bound;         /* the hits gathered before the best `limit` are picked */
  } best;
  uint64_t dropped;       /* hits found but let go as not among the best */
} lx_conc;

lx_conc *lx_conc_new(unsigned left, unsigned right);
void lx_conc_free(lx_conc *c);

/* Adds a document; text may be NULL (a source maps it later). Returns its
** number, or -1 if out of memory. The text must outlive the concordance. */
int lx_conc_add_doc(lx_conc *c, const char *name, size_t namelen, const char *text, size_t len);
/* Adds a file ("-": standard input, named "(stdin)") as a new document,
** read later, when it is scanned (lx_conc_load). Its number, or -1 if out
** of memory. */
int lx_conc_add_file(lx_conc *c, const char *path);
/* Makes sure document d's text is in memory: a file is opened, sniffed and
** read by the input layer (input.h), with read() (mapped from
** LX_CONC_MAP_MIN bytes), so the mappings stay few however many files. Texts of regular files
** are let go past LX_CONC_RESIDENT bytes (the one used longest ago) and read
** again on demand; a file changed since it was first read is an error.
** 0; 1 if the input layer skips it (binary: c->err says why; it stays
** empty); -1 with c->err. */
int lx_conc_load(lx_conc *c, uint32_t d);
/* Lets go of document d's text if it can be read again. */
void lx_conc_unload(lx_conc *c, uint32_t d);
/* The invalid UTF-8 bytes of document d: how many, and the first (from 1;
** a read file is read again for this). 0, or -1 with c->err. */
int lx_conc_invalid(lx_conc *c, uint32_t d, uint64_t *count, uint64_t *first);

/* Finds every hit of q in document d (tokens of t; t must fold case unless
** q has LX_Q_CASE). With c->sp and c->split_early set, the document is split
** into sentences first and each hit gets its sentence's number and bytes.
** 0, or -1 if out of memory. */
int lx_conc_scan(lx_conc *c, uint32_t d, const lx_query *q, lx_tokenizer *t);
/* Appends a hit (index sources). 0, or -1 if out of memory. */
int lx_conc_push(lx_conc *c, const lx_hit *h);
/* Makes room for n hits in all. 0, or -1 if out of memory. */
int lx_conc_reserve(lx_conc *c, size_t n);

/* Makes scanning keep only the hits that lx_conc_sort(c, keys, desc, nkeys,
** limit) would keep, so memory stays bounded by the limit rather than growing
** with the hits: whenever the hits gathered reach a bound, they are sorted and
** cut to the limit (ties resolve by the order found, as in one sort), and the
** texts of files left without hits are let go. The hits found in all are
** c->n + c->dropped. The caller still sorts and cuts after the scan. */
void lx_conc_keep_best(lx_conc *c, const int *keys, const int *desc, size_t nkeys, size_t limit);
/* For a source that pushes its hits itself (an index): once the hits reach
** the kept limit plus max(limit, batch), keeps only the best, as scanning
** does (nothing when lx_conc_keep_best was not asked). 0, or -1 (c->err). */
int lx_conc_pick(lx_conc *c, size_t batch);
/* The hits an index source should make room for, at most n, when it picks
** with that batch. */
size_t lx_conc_pick_room(const lx_conc *c, size_t batch, size_t n);
/* Sorts by up to LX_KEYS_MAX keys: keys[i] is LX_K_*, desc[i] reverses it.
** Ties keep their order. With a limit, only the first `limit` hits are
** kept. 0, or -1 (memory, damaged index: c->err). */
int lx_conc_sort(lx_conc *c, const int *keys, const int *desc, size_t nkeys, size_t limit);
/* Keeps a random k of the hits (seeded, so repeatable), in their order. */
int lx_conc_sample(lx_conc *c, size_t k, uint64_t seed);
void lx_conc_truncate(lx_conc *c, size_t k);
/* Keeps the hits whose keep[i] is nonzero. */
void lx_conc_select(lx_conc *c, const unsigned char *keep);
/* Makes sure hit i knows its byte ranges and its document's text. */
int lx_conc_resolve(lx_conc *c, size_t i);
/* Makes sure hit i knows its sentence number (and with bounds, its bytes)
** if its source can tell (an index split into sentences). 0, or -1. */
int lx_conc_sentence(lx_conc *c, size_t i, int bounds);
/* Makes sure every hit knows its token position. 0, or -1 (c->err). */
int lx_conc_positions(lx_conc *c);

/* ---------------------------------------------------------------- layout */

typedef struct lx_kwic_opts {
  int format;          /* LX_FMT_* (encode.h): text is the aligned view, the rest tables */
  int chars;           /* 1: context of `width` columns; 0: the token context */
  int sentence;        /* 1: cut the context at its sentence's ends; 2: the whole sentence */
  unsigned lwidth, rwidth; /* columns each side in chars mode */
  int color;           /* highlight the node with ANSI escapes (text) */
  int header;          /* column names first (tsv, csv, html; markdown always has them) */
  const char *title;   /* the HTML page's title and caption (NULL: "concordance") */
  int general;         /* 1: no ASCII fast path (tests compare the two) */
} lx_kwic_opts;

/* The three parts of hit i as display text (white space runs become one
** space; chars mode cuts on grapheme boundaries to the widths). Pointers into
** a buffer of c's, valid until the next call. 0, or -1 (c->err). */
int lx_conc_parts(lx_conc *c, size_t i, const lx_kwic_opts *o, const char **left, size_t *ll,
                  const char **node, size_t *nl, const char **right, size_t *rl);
/* Writes the concordance: text as the aligned view; tsv, csv, markdown and
** html as a table of doc, position, left, node, right; json and jsonl
** with start, end (bytes, 1-based, inclusive) and sentence after position.
** The tables are lexis.report's (encode.h lx_table), html a whole page.
** 0, or -1 with c->err. */
int lx_conc_write(lx_conc *c, FILE *f, const lx_kwic_opts *o);

#include "display.h"          /* lx_display_width: how the layout counts columns */
#include "encode.h"           /* LX_FMT_*: the formats */

#endif
