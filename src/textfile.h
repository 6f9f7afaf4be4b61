/*
** textfile.h: run the tokenizer over files and buffers, in chunks of
** bounded size, counting words or tokens or writing tokens out. Large
** regular files are split at line ends and scanned by several threads,
** one count table each, merged at the end. Pure C: no Lua here.
*/
#ifndef LEXIS_TEXTFILE_H
#define LEXIS_TEXTFILE_H

#include <stdint.h>
#include <stdio.h>

#include "counts.h"
#include "progress.h"
#include "tokenize.h"

#define LX_CHUNK_DEFAULT (1u << 20)       /* bytes per read */
#define LX_TOKEN_MAX (16u << 20)          /* a longer token is cut: memory stays bounded */
#define LX_PARALLEL_MIN (8u << 20)        /* files smaller than this use one thread */

/* Token output flags for lx_scan.out. */
enum { LX_OUT_OFFSETS = 1 };

/* One pass of the tokenizer: what to do with the tokens, and what it saw. */
typedef struct lx_scan {
  /* what to do (set by the caller) */
  lx_tokopts opts;         /* tokenizer options; opts.kinds = the kinds that count */
  lx_counts *counts;       /* add each token's text (after case/normalisation), or NULL */
  FILE *out;               /* write each token on a line, or NULL */
  int outflags;            /* LX_OUT_* */
  size_t chunk;            /* bytes per read; 0 = LX_CHUNK_DEFAULT (tests use tiny ones) */
  int threads;             /* 0 = one per CPU; 1 = none */
  lx_progress *progress;   /* bytes done, per chunk of every thread; NULL: none */
  /* what happened (added up over calls; reset them between files if you like) */
  uint64_t bytes;          /* input bytes */
  uint64_t tokens;         /* tokens of the kept kinds */
  uint64_t invalid;        /* invalid UTF-8 bytes, kept or not */
  uint64_t first_invalid;  /* offset of the first in the last file or buffer; UINT64_MAX: none */
  int skipped;             /* lx_scan_file: the input layer skipped the file (binary, an index) */
} lx_scan;

/* Sets the defaults: word and number tokens, no counts, no output. */
void lx_scan_init(lx_scan *sc);

/*
** Scans a file ("-" = standard input). Returns 0, or an errno value with a
** message in err ("path: reason"). Tokens of the kept kinds go to counts and
** out; invalid bytes are always tallied in sc->invalid. ECANCELED if
** sc->progress asked to stop. The file is opened and sniffed by the input
** layer (input.h): a file it refuses is an error (EILSEQ); one it skips
** returns 0 with sc->skipped set and the reason in err.
*/
int lx_scan_file(lx_scan *sc, const char *path, char *err, size_t errlen);
/* The same over a buffer (one thread, no chunks). */
int lx_scan_buffer(lx_scan *sc, const char *s, size_t n, char *err, size_t errlen);

#endif
