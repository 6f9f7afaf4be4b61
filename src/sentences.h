/*
** sentences.h: sentence boundaries in UTF-8 text, and a learner of a
** corpus's own abbreviations. Pure C, no Lua: src/bind/sentences.c binds it.
**
** A splitter (lx_splitter) is a compiled configuration: the abbreviations of
** a language sorted into four kinds, the words that typically start a
** sentence, and the layout options. It is read-only while splitting, so one
** splitter can serve any number of texts at once.
**
** lx_split() finds sentences in a buffer. It works on a whole text (eof set)
** or on a stream: it reports the sentences it is sure of and how many bytes
** are settled; the caller keeps the rest, appends more text and calls again
** with the same lx_split_state. Memory stays bounded because no sentence is
** longer than the splitter's max_sentence (a longer run is cut at a space).
*/
#ifndef LEXIS_SENTENCES_H
#define LEXIS_SENTENCES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "progress.h"

/* How line breaks count. */
enum lx_newlines {
  LX_NL_PARAGRAPH, /* a blank line ends a sentence; a single newline is a space */
  LX_NL_LINE,      /* every newline ends a sentence (one sentence or more per line) */
  LX_NL_IGNORE     /* newlines are spaces, blank lines too */
};

/* What an abbreviation says about the word after it. */
enum lx_abbrev_kind {
  LX_ABBR_OTHER = 1, /* either way: a sentence starts after it only before a starter word */
  LX_ABBR_PREFIX,    /* stands before a name or term (Mr., Dr., Mt., e.g.): never ends one */
  LX_ABBR_NUMBER,    /* stands before a number (No. 5, p. 55, Fig. 3): no end before a digit */
  LX_ABBR_SUFFIX     /* follows what it qualifies (etc., Inc., Jr.): a capital after it starts one */
};

typedef struct lx_splitter lx_splitter;

/* A sentence: bytes [start, stop) of the buffer, spaces at both ends trimmed. */
typedef struct lx_span {
  size_t start, stop;
} lx_span;

/* What carries from one call of lx_split to the next: zero it to begin. */
typedef struct lx_split_state {
  uint32_t list_next; /* the list marker expected next (1-based number or letter) */
  uint8_t list_kind;  /* 0 no list, 1 numbers, 2 lowercase letters */
} lx_split_state;

lx_splitter *lx_splitter_new(void); /* NULL when out of memory */
void lx_splitter_free(lx_splitter *sp);

/*
** Adds an abbreviation (without or with its final period: "Mr" or "Mr.",
** "e.g"), matched without regard to case. Adding it again changes its kind.
** Returns 0, or -1 when out of memory.
*/
int lx_splitter_add_abbrev(lx_splitter *sp, const char *word, size_t len, int kind);
/* Adds a sentence starter ("The", "He", "How"): a word that is capitalized
** mostly because a sentence begins with it. 0, or -1 when out of memory. */
int lx_splitter_add_starter(lx_splitter *sp, const char *word, size_t len);

void lx_splitter_set_newlines(lx_splitter *sp, int policy); /* enum lx_newlines */
/* Numbers with a period are ordinals ("3. Oktober"), as in German. */
void lx_splitter_set_ordinals(lx_splitter *sp, int on);
/* The longest sentence in bytes (at least 1024; default 1 MiB). */
void lx_splitter_set_max_sentence(lx_splitter *sp, size_t bytes);
size_t lx_splitter_max_sentence(const lx_splitter *sp);
size_t lx_splitter_count(const lx_splitter *sp); /* abbreviations and starters */

/* Lookahead: with eof unset, the last LX_SPLIT_LOOKAHEAD bytes are never settled. */
#define LX_SPLIT_LOOKAHEAD 512
/* lx_split needs room for this many spans to make progress. */
#define LX_SPLIT_MIN_SPANS 66

/*
** Finds the sentences of text[0, len). With eof set the text is complete and
** every byte is settled. Otherwise text is the start of more and only the
** sentences it is sure of are reported. Writes at most cap spans and
** returns how many; *settled is where the next call must start: the caller
** drops text[0, *settled) and passes the rest (plus more text) next time,
** offsets being relative to the new buffer. Loop until *settled == len with
** eof set. A call that reports nothing and settles nothing needs more text
** (with eof set, that never happens if cap >= LX_SPLIT_MIN_SPANS).
*/
size_t lx_split(const lx_splitter *sp, lx_split_state *st, const char *text, size_t len,
                int eof, lx_span *spans, size_t cap, size_t *settled);

/*
** Cut edges, for a text that is a piece of a longer one (split(1) cut it at
** a line end) and is split without seeing its neighbours. The decision at
** the cut is made against a stand-in for the other side:
** lx_split_open_end: does the last sentence of text[0, len) (the rest of a
**   text being split, with its state st) run on if a sentence starter
**   ("The") follows? 0 means the text ends with a sentence end (a terminal,
**   a blank line), 1 that only the text's end ended it.
** lx_split_open_start: does the first sentence of text[0, len) (its start:
**   a few KiB are enough) run on from a line that ends in a word ("and"),
**   or does one start there anyway (a blank line, a list item)? 1 runs on.
** Both return -1 when out of memory.
*/
int lx_split_open_end(const lx_splitter *sp, const lx_split_state *st, const char *text, size_t len);
int lx_split_open_start(const lx_splitter *sp, const char *text, size_t len);

/*
** Copies src[0, len) to dst collapsing every run of ASCII white space
** (space, tab, newline, CR, FF, VT) into one space. dst has room for len
** bytes. Returns the bytes written.
*/
size_t lx_collapse_space(char *dst, const char *src, size_t len);

/* ------------------------------------------------------------------------
** Splitting a stream into one sentence per line. Reads `in` to its end and
** writes each sentence with its inner white space collapsed; the work is
** shared by `threads` threads (0: one per CPU), each taking a part of a
** buffer that starts at a blank line (a newline with policy "line"), where
** the splitter holds no state; the output is the same as with one thread.
** Memory: about threads x 4 MiB + max_sentence for input, as much for output.
*/
enum lx_out_mode {
  LX_OUT_LINES,   /* sentence\n */
  LX_OUT_OFFSETS, /* start\tstop\tsentence\n: 1-based, inclusive byte offsets in the stream */
  LX_OUT_COUNT    /* nothing: only count */
};

typedef struct lx_stream_opts {
  int mode;             /* enum lx_out_mode */
  const char *prefix;   /* if not NULL, each line starts with prefix and ':' */
  size_t prefix_len;
  size_t chunk;         /* split after reading this much (0: fill the buffer); tests use tiny ones */
  int threads;          /* 0: one per CPU (at most 8) */
  struct lx_input *input; /* if not NULL, read from it (input.h: the sniffed head first), not `in` */
  lx_progress *progress; /* bytes read, told once per round (chunks.h); its stop (Ctrl-C)
                            ends the split with LX_STREAM_CANCEL; NULL: none */
} lx_stream_opts;

typedef struct lx_stream_result {
  uint64_t sentences;   /* sentences found */
  uint64_t bytes;       /* bytes read */
  int error;            /* 0, or the errno of a failed read (LX_STREAM_READ) or write */
} lx_stream_result;

enum { LX_STREAM_OK = 0, LX_STREAM_READ = -1, LX_STREAM_WRITE = -2, LX_STREAM_NOMEM = -3,
       LX_STREAM_CANCEL = -4 };

/* Returns LX_STREAM_OK or the failure; *res says how far it got. */
int lx_split_stream(const lx_splitter *sp, FILE *in, FILE *out, const lx_stream_opts *opts,
                    lx_stream_result *res);

/* ------------------------------------------------------------------------
** Learning abbreviations (the Punkt idea, Kiss & Strunk 2006): a token that
** ends in a period and is rarely followed by a sentence start, or is seldom
** seen without its period, is probably an abbreviation.
*/
typedef struct lx_learner lx_learner;

typedef struct lx_learned {
  const char *word;   /* the abbreviation without its final period (owned by the learner) */
  size_t len;
  uint32_t with_period; /* times seen with a final period followed by a space */
  uint32_t without;   /* times seen without a period */
  uint32_t lower_after; /* with a period, then a lowercase word, digit or comma */
  uint32_t upper_after; /* with a period, then a capitalized word */
  double score;       /* higher is likelier; the list is sorted by it */
} lx_learned;

lx_learner *lx_learner_new(void);
void lx_learner_free(lx_learner *ln);
/*
** Counts the tokens of text[0, len). Without eof, stops before the last
** token that may continue in the next chunk and returns the bytes consumed;
** the caller passes the rest again. Returns (size_t)-1 when out of memory.
*/
size_t lx_learner_feed(lx_learner *ln, const char *text, size_t len, int eof);
/*
** Scores what was fed and keeps the likely abbreviations (seen at least
** min_count times with a period, score at least min_score), best first.
** Returns how many, or (size_t)-1 when out of memory.
*/
size_t lx_learner_finish(lx_learner *ln, uint32_t min_count, double min_score);
const lx_learned *lx_learner_result(const lx_learner *ln, size_t i);

#endif
