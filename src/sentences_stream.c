/*
** sentences_stream.c: splitting a stream into sentences, in parallel, and
** white space collapsed for output (lx_split_stream, lx_collapse_space in
** sentences.h).
*/
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "chunks.h"
#include "sentences_int.h"

/* ====================================================================
** Collapsing white space for output
** ==================================================================== */

/*
** The work of lx_collapse_space. src[0, avail) may be read (avail >= len),
** and dst has 16 bytes of room past len: blocks of sixteen bytes are then
** handled whole even at the end of the text, where bits past len are masked.
*/
static size_t collapse(char *dst, const uint8_t *s, size_t len, size_t avail) {
  size_t i = 0, o = 0;
  while (i < len) {
#if defined(__SSE2__)
    /* Sixteen bytes at a time while there is no tab, newline or double space. */
    const __m128i sp = _mm_set1_epi8(' '), nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
    while (i + 17 <= avail) {
      __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
      __m128i w = _mm_loadu_si128((const __m128i *)(s + i + 1));
      __m128i t = _mm_sub_epi8(v, nine), tw = _mm_sub_epi8(w, nine);
      __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(t, four), t);   /* \t..\r */
      __m128i ctlw = _mm_cmpeq_epi8(_mm_min_epu8(tw, four), tw);
      __m128i spv = _mm_cmpeq_epi8(v, sp), spw = _mm_cmpeq_epi8(w, sp);
      __m128i bad = _mm_or_si128(ctl, _mm_and_si128(spv, _mm_or_si128(spw, ctlw)));
      unsigned mask = (unsigned)_mm_movemask_epi8(bad);
      size_t left = len - i;
      if (left < 16)
        mask &= (1u << left) - 1;
      _mm_storeu_si128((__m128i *)(dst + o), v);
      if (mask) {
        size_t k = (size_t)__builtin_ctz(mask);
        o += k;
        i += k;
        break;
      }
      if (left <= 16)
        return o + left;
      o += 16;
      i += 16;
    }
    if (i >= len)
      break;
#endif
    uint8_t c = s[i];
    if (ascii_space(c)) {
      dst[o++] = ' ';
      while (i < len && ascii_space(s[i])) i++;
    } else {
      dst[o++] = (char)c;
      i++;
    }
  }
  return o;
}

size_t lx_collapse_space(char *dst, const char *src, size_t len) {
  const uint8_t *s = (const uint8_t *)src;
  size_t o = 0;
  /* the last 32 bytes one at a time: dst has no room past len */
  size_t head = len > 32 ? len - 32 : 0;
  while (head > 0 && ascii_space(s[head - 1])) head--; /* no run split in two */
  if (head > 0)
    o = collapse(dst, s, head, len);
  char tail[64];
  size_t n = collapse(tail, s + head, len - head, len - head);
  if (o > 0 && n > 0 && dst[o - 1] == ' ' && tail[0] == ' ')
    n--, memmove(tail, tail + 1, n);
  memcpy(dst + o, tail, n);
  return o + n;
}

/* ====================================================================
** Splitting a stream, in parallel
** ==================================================================== */

#define STREAM_CHUNK (4u << 20) /* bytes per thread and round */
#define FILL_STEP (1u << 20)    /* bytes per fread */
#define STREAM_BATCH 256        /* spans per lx_split call */

/* One thread's part of the buffer, and what it makes of it. */
typedef struct part {
  const lx_splitter *sp;
  const lx_stream_opts *opts;
  const char *text;     /* the buffer */
  size_t from, to, len; /* the part is text[from, to); the buffer ends at len */
  int last;             /* the last part: streams on (eof says if the input ended) */
  int eof;
  uint64_t base;        /* the stream offset of text[0] */
  lx_split_state st;    /* in: the state at from; out: at settled (the last part) */
  size_t settled;       /* the last part: where the next round starts */
  char *out;            /* the formatted sentences */
  size_t olen, ocap;
  uint64_t count;
  int nomem;
} part;

static char *put_number(char *o, uint64_t v) {
  char digits[24];
  int n = 0;
  do digits[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n > 0) *o++ = digits[--n];
  return o;
}

static int put_span(part *pt, size_t a, size_t b) {
  pt->count++;
  if (pt->opts->mode == LX_OUT_COUNT)
    return 0;
  size_t need = pt->olen + (b - a) + pt->opts->prefix_len + 64; /* collapse writes 16 past */
  if (need > pt->ocap) {
    size_t cap = pt->ocap * 2 > need ? pt->ocap * 2 : need + (1u << 16);
    char *o = lx_realloc(pt->out, cap);
    if (o == NULL) {
      pt->nomem = 1;
      return -1;
    }
    pt->out = o;
    pt->ocap = cap;
  }
  char *o = pt->out + pt->olen;
  if (pt->opts->prefix) {
    memcpy(o, pt->opts->prefix, pt->opts->prefix_len);
    o += pt->opts->prefix_len;
    *o++ = ':';
  }
  if (pt->opts->mode == LX_OUT_OFFSETS) {
    o = put_number(o, pt->base + a + 1);
    *o++ = '\t';
    o = put_number(o, pt->base + b);
    *o++ = '\t';
  }
  o += collapse(o, (const uint8_t *)pt->text + a, b - a, pt->len - a);
  *o++ = '\n';
  pt->olen = (size_t)(o - pt->out);
  return 0;
}

/*
** Splits text[pos, end) (eof as given) to its settled point, or to `stop`
** (a restart point) if that comes first; returns where it got.
*/
static size_t split_run(part *pt, size_t pos, size_t end, int eof, size_t stop) {
  lx_span spans[STREAM_BATCH];
  for (;;) {
    size_t settled;
    size_t n = lx_split_until(pt->sp, &pt->st, pt->text + pos, end - pos, eof,
                          stop == (size_t)-1 ? stop : stop - pos, spans, STREAM_BATCH, &settled);
    for (size_t i = 0; i < n; i++)
      if (put_span(pt, pos + spans[i].start, pos + spans[i].stop) != 0)
        return pos;
    pos += settled;
    if (settled == 0 || pos >= end || pos >= stop)
      return pos;
  }
}

/*
** A part that ends at a restart point `to` is split with the lookahead the
** stream gives it, and cut at `to` as the newline there cuts it. (Should a
** lookahead need more than LX_SPLIT_LOOKAHEAD bytes, which takes that many
** spaces in a row, the rest is split as a text of its own.) The last part
** streams on like lx_split's caller would.
*/
static void *part_run(void *arg) {
  part *pt = arg;
  if (pt->last) {
    pt->settled = split_run(pt, pt->from, pt->len, pt->eof, (size_t)-1);
    return NULL;
  }
  size_t end = pt->to + LX_SPLIT_LOOKAHEAD;
  size_t pos = split_run(pt, pt->from, end, 0, pt->to);
  if (pos < pt->to && !pt->nomem)
    split_run(pt, pos, pt->to, 1, (size_t)-1);
  return NULL;
}

/*
** The first restart point at or after i, far enough from the end: a newline
** that starts a blank line (policy paragraph) or any newline (line).
** Returns 0 if there is none.
*/
static size_t restart_point(const lx_splitter *sp, const char *text, size_t i, size_t len) {
  const char *s = text;
  while (i + LX_SPLIT_LOOKAHEAD + 1 < len) {
    const char *nl = memchr(s + i, '\n', len - LX_SPLIT_LOOKAHEAD - 1 - i);
    if (nl == NULL)
      return 0;
    size_t p = (size_t)(nl - s), j = p + 1;
    if (sp->newlines == LX_NL_LINE)
      return p;
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\f' || s[j] == '\v')) j++;
    if (j < len && s[j] == '\n')
      return p;
    i = j;
  }
  return 0;
}

static int cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* A stream between rounds: the chunk reader (chunks.h) hands each round's
** text to take_round. */
typedef struct stream {
  const lx_splitter *sp;
  const lx_stream_opts *opts;
  FILE *out;
  lx_stream_result *res;
  int threads;
  part parts[8];
  lx_split_state st;    /* the state where the next round starts */
  uint64_t base;        /* and its stream offset */
  int failed;           /* LX_STREAM_NOMEM or LX_STREAM_WRITE, once a round failed */
} stream;

/*
** One round: text[0, len) cut into parts at restart points near equal
** shares, split on threads, the parts' sentences written in order. Returns
** where the next round starts.
*/
static size_t split_round(stream *s, const char *text, size_t len, int eof) {
  int threads = s->threads, np = 0;
  part *parts = s->parts;
  size_t from = 0;
  for (int k = 1; k < threads && len >= (size_t)threads * (1u << 16); k++) {
    size_t r = restart_point(s->sp, text, from > len / threads * k ? from : len / threads * k, len);
    if (r <= from)
      break;
    parts[np].from = from;
    parts[np].to = r;
    parts[np].last = 0;
    np++;
    from = r;
  }
  parts[np].from = from;
  parts[np].to = len;
  parts[np].last = 1;
  np++;
  pthread_t tid[8];
  int started[8] = { 0 };
  for (int k = 0; k < np; k++) {
    part *pt = &parts[k];
    pt->sp = s->sp;
    pt->opts = s->opts;
    pt->text = text;
    pt->len = len;
    pt->eof = eof;
    pt->base = s->base;
    pt->olen = 0;
    pt->count = 0;
    pt->nomem = 0;
    /* a part after a restart point starts from what a blank line leaves: nothing */
    memset(&pt->st, 0, sizeof pt->st);
    if (k == 0)
      pt->st = s->st;
    if (k > 0 && pthread_create(&tid[k], NULL, part_run, pt) == 0)
      started[k] = 1;
  }
  for (int k = 0; k < np; k++) {
    if (k == 0 || !started[k])
      part_run(&parts[k]);
    else
      pthread_join(tid[k], NULL);
  }
  for (int k = 0; k < np; k++) {
    part *pt = &parts[k];
    if (pt->nomem) {
      s->failed = LX_STREAM_NOMEM;
      return 0;
    }
    s->res->sentences += pt->count;
    if (pt->olen > 0 && fwrite(pt->out, 1, pt->olen, s->out) != pt->olen) {
      s->res->error = errno;
      s->failed = LX_STREAM_WRITE;
      return 0;
    }
  }
  part *last = &parts[np - 1];
  s->st = last->st;
  return last->settled;
}

/* The chunk reader's hand-over: a round (a round is threads x STREAM_CHUNK
** bytes: a few tens of milliseconds), and at the end rounds until all is out. */
static int take_round(void *ud, const char *text, size_t len, int final, size_t *used) {
  stream *s = ud;
  size_t off = 0;
  for (;;) {
    size_t settled = split_round(s, text + off, len - off, final);
    if (s->failed)
      return s->failed == LX_STREAM_NOMEM ? ENOMEM : EIO;
    off += settled;
    s->base += settled;
    if (!final || off >= len)
      break;
    if (s->opts->progress && lx_progress_step(s->opts->progress, 0))
      return ECANCELED;
  }
  *used = off;
  return 0;
}

int lx_split_stream(const lx_splitter *sp, FILE *in, FILE *out, const lx_stream_opts *opts,
                    lx_stream_result *res) {
  memset(res, 0, sizeof *res);
  int threads = opts->threads > 0 ? opts->threads : cpu_count();
  if (threads > 8) threads = 8;
  if (sp->newlines == LX_NL_IGNORE)
    threads = 1; /* no restart points */
  size_t chunk = opts->chunk > 0 && opts->chunk < STREAM_CHUNK ? opts->chunk : STREAM_CHUNK;
  size_t cap = (size_t)threads * STREAM_CHUNK + sp->max_sentence + LX_SPLIT_LOOKAHEAD;
  stream s;
  memset(&s, 0, sizeof s);
  s.sp = sp, s.opts = opts, s.out = out, s.res = res, s.threads = threads;
  /* The buffer is filled (opts->chunk per round: tests use tiny ones) at
  ** most a megabyte a call: a slow pipe then still sees Ctrl-C soon. */
  lx_chunks c = { .in = opts->input, .fd = -1, .to = UINT64_MAX,
                  .chunk = opts->chunk > 0 ? opts->chunk : SIZE_MAX, .max = cap,
                  .progress = opts->progress, .take = take_round, .ud = &s, .cap = cap,
                  .file = opts->input ? NULL : in, .fill = 1,
                  .step = chunk < FILL_STEP ? chunk : FILL_STEP };
  int rc = lx_chunks_read(&c);
  res->bytes = c.bytes;
  for (int k = 0; k < 8; k++)
    free(s.parts[k].out);
  free(c.buf);
  if (rc == 0)
    return LX_STREAM_OK;
  if (s.failed)
    return s.failed;
  if (rc == ECANCELED)
    return LX_STREAM_CANCEL;
  if (rc == ENOMEM)
    return LX_STREAM_NOMEM;
  res->error = rc;
  return LX_STREAM_READ;
}
