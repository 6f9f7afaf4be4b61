/*
** chunks.c: chunked reading with carry-over, and cut points for threads.
** See chunks.h.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "chunks.h"

int lx_chunks_read(lx_chunks *c) {
  if (!c->buf && !(c->buf = lx_malloc(c->cap))) return ENOMEM;
  size_t have = 0;
  uint64_t off = c->from;
  int seq = c->to == UINT64_MAX, eof = 0, rc;
  for (;;) {
    if (have == c->cap) {     /* one tail as long as the buffer */
      if (c->cap >= c->max) {
        /* cut it here, as if the text ended, so memory stays bounded */
        size_t used;
        if ((rc = c->take(c->ud, c->buf, have, 1, &used)) != 0) return rc;
        memmove(c->buf, c->buf + used, have - used);
        have -= used;
        if (have == c->cap) have = 0;   /* cannot happen: final takes all */
      } else {
        char *b = lx_realloc(c->buf, c->cap * 2);
        if (!b) return ENOMEM;
        c->buf = b;
        c->cap *= 2;
      }
    }
    size_t want = c->cap - have < c->chunk ? c->cap - have : c->chunk;
    uint64_t fresh = 0;       /* bytes read this round */
    while (fresh < want) {
      size_t ask = want - (size_t)fresh;
      if (!seq && ask > c->to - off) ask = (size_t)(c->to - off);
      if (c->step) {
        if (ask > c->step) ask = c->step;
        if (c->progress && lx_progress_step(c->progress, 0)) return ECANCELED;
      }
      int short_read = 0;
      ssize_t got;
      if (ask == 0) {
        got = 0;
      } else if (!seq) {
        got = pread(c->fd, c->buf + have, ask, (off_t)off);
      } else if (c->in) {
        got = lx_input_read(c->in, c->buf + have, ask);
      } else if (c->file) {
        got = (ssize_t)fread(c->buf + have, 1, ask, c->file);
        if ((size_t)got < ask) {
          if (ferror(c->file)) return errno ? errno : EIO;
          short_read = 1;     /* the end: no second read, a terminal would wait for more */
        }
      } else {
        got = read(c->fd, c->buf + have, ask);
      }
      if (got < 0) {
        if (errno == EINTR) continue;
        return errno;
      }
      if (got == 0) {
        eof = 1;
        break;
      }
      have += (size_t)got;
      off += (uint64_t)got;
      fresh += (uint64_t)got;
      if (short_read) {
        eof = 1;
        break;
      }
      if (seq && !c->fill) break;   /* a pipe: use what came, do not wait for a full chunk */
    }
    c->bytes += fresh;
    size_t used;
    if ((rc = c->take(c->ud, c->buf, have, eof, &used)) != 0) return rc;
    if (c->progress && lx_progress_step(c->progress, fresh)) return ECANCELED;
    if (eof) return 0;
    memmove(c->buf, c->buf + used, have - used);
    have -= used;
  }
}

uint64_t lx_input_cut(int fd, uint64_t at, uint64_t end, size_t window,
                      size_t (*boundary)(const char *s, size_t n)) {
  char *buf = lx_malloc(window);
  if (!buf) return 0;
  ssize_t got = pread(fd, buf, window, (off_t)at);
  size_t k = got > 0 ? boundary(buf, (size_t)got) : 0;
  free(buf);
  return k && at + k < end ? at + k : 0;
}
