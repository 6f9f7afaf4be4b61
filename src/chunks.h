/*
** chunks.h: the input layer's two ways of handing a document to a reader
** that works on pieces of it (input.h opens and sniffs it first).
**
**   lx_chunks_read  reads a document, or a byte range of a regular file, a
**                   chunk at a time; the reader says how far it got, and the
**                   unfinished tail (a token or a sentence cut by the chunk
**                   edge) stays at the front of the buffer for the next round.
**   lx_input_cut    a place to cut a regular file for threads: just after
**                   the first boundary, as a predicate finds it, past a point.
**
** Pure C: no Lua here.
*/
#ifndef LEXIS_CHUNKS_H
#define LEXIS_CHUNKS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "input.h"
#include "progress.h"

typedef struct lx_chunks {
  /* where from: the input to its end (through lx_input_read, the sniffed
  ** head first; in NULL: fread(file), or with file NULL read(fd)) when to
  ** is UINT64_MAX, else bytes [from, to) of fd by pread */
  lx_input *in;
  int fd;
  uint64_t from, to;
  size_t chunk;            /* bytes read per round, at most (SIZE_MAX: as many as fit) */
  size_t max;              /* a tail that fills a buffer this big is handed over as final */
  lx_progress *progress;   /* each round's bytes are stepped here (or NULL); a stop: ECANCELED */
  /* The reader: s[0..n) (the end of the text when final); *used = bytes it
  ** is done with (all of them when final). 0, or an errno value. */
  int (*take)(void *ud, const char *s, size_t n, int final, size_t *used);
  void *ud;
  char *buf;               /* the buffer (NULL: made), grown when one tail fills it; the caller frees it */
  size_t cap;              /* its size (at least 1) */
  uint64_t bytes;          /* out: bytes read */
  /* optional (zero: off) */
  FILE *file;              /* see `in` */
  int fill;                /* a pipe too fills the round's chunk (as fread does), not what came */
  size_t step;             /* bytes per read call, at most; before each call progress is
                           ** stepped by 0, so Ctrl-C stops a slow pipe within a step */
} lx_chunks;

/* Reads as c says until the end or an error: 0, or an errno value (the
** reader's, a read's, ENOMEM, ECANCELED). */
int lx_chunks_read(lx_chunks *c);

/*
** The first byte after a boundary in bytes [at, at + window) of fd, where
** boundary(s, n) returns the offset just after the first one in s[0..n)
** (0: none); 0 if none, or if it is not before end.
*/
uint64_t lx_input_cut(int fd, uint64_t at, uint64_t end, size_t window,
                      size_t (*boundary)(const char *s, size_t n));

#endif
