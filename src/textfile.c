/*
** textfile.c: the tokenizer over files, in chunks, on every core.
**
** A worker owns a tokenizer, a token array and (in threads) a count table.
** It reads its byte range a chunk at a time; the tokenizer reports how far
** it got, and the unfinished tail moves to the front of the buffer before
** the next read, so a token cut by a chunk edge is seen whole. Memory is the
** chunk (grown only for a token longer than it, up to LX_TOKEN_MAX) plus
** the vocabulary.
**
** A large regular file is cut into one range per CPU just after a newline:
** UAX #29 always breaks after LF and no rule looks back across it, so each
** range tokenizes exactly as it would inside the whole file.
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "chunks.h"
#include "textfile.h"

#define NTOKENS 1024     /* tokens per lx_tokenize call */
#define NKEYS 1024       /* short words per lx_tok_count call */
#define XKEYS 256        /* short non-ASCII words per batch */
#define KEYBUF 65536     /* bytes of transformed token text waiting to be counted */
#define MAXTHREADS 16
#define PIECES 32        /* ranges per thread: a slow thread takes fewer, and the last is short */

/* The ranges of a file, handed out to the workers one at a time. */
typedef struct plan {
  uint64_t cut[MAXTHREADS * PIECES + 1];   /* range k is [cut[k], cut[k+1]) */
  int n;                   /* ranges */
  atomic_int next;         /* the next range to hand out */
} plan;

typedef struct worker {
  const lx_scan *sc;       /* what to do (shared, read-only) */
  plan *plan;              /* NULL: one range, set in from and to */
  lx_tokenizer *tok;
  lx_counts *counts;       /* sc->counts, or this thread's own table */
  lx_counts *raw;          /* non-ASCII words before case and normal form, or NULL */
  unsigned keep;           /* kinds that count */
  int fd;
  lx_input *in;            /* the sequential reader's input (its sniffed head first) */
  uint64_t from, to;       /* byte range; to = UINT64_MAX: read() until end of file */
  uint64_t base;           /* offset in the input of buf[0] */
  uint64_t bytes, tokens, invalid, first_invalid;
  int err;                 /* an errno value, 0 if all went well */
  char why[200];           /* with err EILSEQ: the pattern's failure and where */
  int kernel;              /* counting only, and lx_tok_count serves the options */
  int lower;               /* the case options lower ASCII */
  int mapped;              /* case or normal form may change a non-ASCII word */
  int stemmed;             /* the words are stemmed: all of them wait in raw */
  int only;                /* no table, punctuation kept: it is counted, not keyed */
  lx_token tk[NTOKENS];
  lx_shortkey kk[NKEYS];   /* short words from lx_tok_count */
  /* short non-ASCII words the kernel handed over as tokens, batched like kk:
  ** xk for counts, rk for raw (before case and normal form) */
  lx_shortkey xk[XKEYS], rk[XKEYS];
  size_t nxk, nrk;
  /* tokens waiting to be counted as one batch (lx_counts_add_many) */
  const char *keys[NTOKENS];
  size_t lens[NTOKENS];
  size_t nkeys, keyused;
  char keybuf[KEYBUF + 16]; /* their text, each copy zero-padded by 16 bytes */
} worker;

void lx_scan_init(lx_scan *sc) {
  memset(sc, 0, sizeof *sc);
  sc->opts.kinds = LX_KINDS_WORDS;
  sc->first_invalid = UINT64_MAX;
}

/* ------------------------------------------------------------ tokens out */

/* A token on one line: control characters, backslashes and bad bytes escaped. */
static void put_escaped(FILE *f, const char *s, size_t len, int kind) {
  if (kind == LX_WORD || kind == LX_NUMBER) {
    fwrite(s, 1, len, f);
    return;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\') fputs("\\\\", f);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c == '\r') fputs("\\r", f);
    else if (c < 0x20 || c == 0x7f || kind == LX_INVALID) fprintf(f, "\\x%02X", c);
    else putc(c, f);
  }
}

/* ------------------------------------------------------------ one chunk */

static int flush(worker *w) {
  int rc = lx_counts_add_padded(w->counts, w->keys, w->lens, w->nkeys);
  w->nkeys = w->keyused = 0;
  return lx_counts_errno(rc);
}

/*
** Queues a token's text (after the case and normal-form options) for
** counting: copied to keybuf, ASCII lower-cased on the way, and padded
** with 16 zero bytes for lx_counts_add_padded.
*/
static int count_token(worker *w, const char *s, const lx_token *t) {
  const char *text = s;
  size_t len = t->len;
  int lower = t->ascii && w->lower;
  if (t->kind != LX_INVALID && (w->stemmed || (!t->ascii && w->mapped))) {
    /* Case mapping through libunistring, and stemming, cost far more than
    ** counting: count the word as it is, and map each distinct word once
    ** at the end. */
    if (!w->raw && !(w->raw = lx_counts_new())) return ENOMEM;
    return lx_counts_errno(lx_counts_add(w->raw, s, t->len, 1));
  }
  size_t need = (len + 16 + 7) & ~(size_t)7;
  if (w->keyused + need > KEYBUF) {
    int rc = flush(w);
    if (rc) return rc;
    if (need > KEYBUF)       /* a very long token: count it alone */
      return lx_counts_errno(lx_counts_add(w->counts, text, len, 1));
  }
  char *d = w->keybuf + w->keyused;
  memset(d + (len & ~(size_t)7), 0, 24);
  if (lower) {
    for (size_t i = 0; i < len; i++) {
      unsigned char c = (unsigned char)text[i];
      d[i] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
    }
  } else {
    memcpy(d, text, len);
  }
  w->keyused += need;
  w->keys[w->nkeys] = d;
  w->lens[w->nkeys++] = len;
  return 0;
}

/* Counts the batched non-ASCII words. */
static int flush_x(worker *w) {
  int rc;
  if (w->nxk && (rc = lx_counts_add_keys(w->counts, w->xk, w->nxk)) != 0) return lx_counts_errno(rc);
  w->nxk = 0;
  if (w->nrk) {
    if (!w->raw && !(w->raw = lx_counts_new())) return ENOMEM;
    if ((rc = lx_counts_add_keys(w->raw, w->rk, w->nrk)) != 0) return lx_counts_errno(rc);
  }
  w->nrk = 0;
  return 0;
}

/*
** A token from the kernel's out array: a non-ASCII word of up to 16 bytes
** joins a batch (for raw when case or normal form will map it, else for
** counts: its bytes are its key); anything else goes through count_token.
*/
static inline int count_kernel_token(worker *w, const char *s, const lx_token *t, uint64_t off) {
  if (t->kind == LX_INVALID) {
    if (off < w->first_invalid) w->first_invalid = off;
    w->invalid++;
    if (!(w->keep & LX_KIND_BIT(LX_INVALID))) return 0;
  } else if (w->counts && !t->ascii && t->len <= LX_KEY_MAX) {
    lx_shortkey *k = w->mapped || w->stemmed ? &w->rk[w->nrk++] : &w->xk[w->nxk++];
    unsigned char b[LX_KEY_MAX] = { 0 };
    memcpy(b, s, t->len);
    memcpy(k->w, b, sizeof b);
    k->len = t->len;
    w->tokens++;
    return w->nrk == XKEYS || w->nxk == XKEYS ? flush_x(w) : 0;
  }
  w->tokens++;
  return w->counts ? count_token(w, s, t) : 0;
}

/*
** Counting without output: the kernel hands over short ASCII words as
** ready keys, which go to the table in batches; the rest (non-ASCII words,
** long ones, invalid bytes) takes the way of consume() below.
*/
static int consume_counting(worker *w, const char *buf, size_t n, int final, size_t *used) {
  size_t pos = 0;
  for (;;) {
    size_t u, nk, np = 0;
    size_t k = lx_tok_count(w->tok, buf + pos, n - pos, final, w->kk, NKEYS, &nk, w->tk, NTOKENS,
                            &u, w->only ? &np : NULL);
    int rc = 0;
    if (nk && w->counts) {          /* stemmed words are stemmed once each, at the end */
      if (w->stemmed && !w->raw && !(w->raw = lx_counts_new())) return ENOMEM;
      rc = lx_counts_add_keys(w->stemmed ? w->raw : w->counts, w->kk, nk);
    }
    if (rc) return lx_counts_errno(rc);
    w->tokens += nk + np;
    for (size_t q = 0; q < k; q++) {
      const lx_token *t = &w->tk[q];
      rc = count_kernel_token(w, buf + pos + t->start, t, w->base + pos + t->start);
      if (rc) return rc;
    }
    if (w->nkeys && (rc = flush(w)) != 0) return rc;
    pos += u;
    if (k < NTOKENS && nk < NKEYS) break;
  }
  *used = pos;
  return flush_x(w);
}

/* Tokenizes buf[0..n) and uses the tokens; *used = bytes finished with. */
static int consume(worker *w, const char *buf, size_t n, int final, size_t *used) {
  if (w->kernel) return consume_counting(w, buf, n, final, used);
  size_t pos = 0;
  FILE *out = w->sc->out;
  for (;;) {
    size_t u;
    size_t k = lx_tokenize(w->tok, buf + pos, n - pos, final, w->tk, NTOKENS, &u);
    size_t at;
    char msg[160];
    if (lx_tok_failed(w->tok, &at, msg, sizeof msg)) {   /* never a silent short count */
      snprintf(w->why, sizeof w->why, "%s at byte %llu", msg, (unsigned long long)(w->base + pos + at));
      return EILSEQ;
    }
    for (size_t q = 0; q < k; q++) {
      const lx_token *t = &w->tk[q];
      const char *s = buf + pos + t->start;
      if (t->kind == LX_INVALID) {
        if (w->base + pos + t->start < w->first_invalid) w->first_invalid = w->base + pos + t->start;
        w->invalid++;
        if (!(w->keep & LX_KIND_BIT(LX_INVALID))) continue;
      }
      w->tokens++;
      if (w->counts) {
        int rc = count_token(w, s, t);
        if (rc) return rc;
      }
      if (out) {
        size_t len;
        const char *text = lx_tok_text(w->tok, s, t->len, t->kind, &len);
        if (!text) return ENOMEM;
        put_escaped(out, text, len, t->kind);
        if (w->sc->outflags & LX_OUT_OFFSETS) {
          uint64_t off = w->base + pos + t->start;
          fprintf(out, "\t%llu\t%llu\t%s", (unsigned long long)off + 1,
                  (unsigned long long)(off + t->len), lx_kind_name(t->kind));
        }
        putc('\n', out);
      }
    }
    if (w->nkeys) {
      int rc = flush(w);
      if (rc) return rc;
    }
    pos += u;
    if (k < NTOKENS) break;
  }
  *used = pos;
  return 0;
}

/* ------------------------------------------------------------ one range */

/* The chunk reader's hand-over: consume, and move the offset of buf[0] on. */
static int take(void *ud, const char *s, size_t n, int final, size_t *used) {
  worker *w = ud;
  int rc = consume(w, s, n, final, used);
  if (rc == 0) w->base += *used;
  return rc;
}

/* Reads [w->from, w->to) (or to the end) in chunks and consumes it. */
static int run_range(worker *w) {
  lx_chunks c = { .in = w->in, .fd = w->fd, .from = w->from, .to = w->to, .chunk = SIZE_MAX,
                  .max = LX_TOKEN_MAX, .progress = w->sc->progress, .take = take, .ud = w,
                  .cap = w->sc->chunk ? w->sc->chunk : LX_CHUNK_DEFAULT };
  w->base = w->from;
  w->err = lx_chunks_read(&c);
  w->bytes += c.bytes;
  free(c.buf);
  return w->err;
}

/* Adds the words put aside in w->raw to w->counts, mapped once each. */
static int fold_raw(worker *w) {
  if (!w->raw) return 0;
  size_t n = lx_counts_size(w->raw);
  for (size_t i = 0; i < n; i++) {
    const char *key, *text;
    size_t len, tlen;
    uint64_t cnt = lx_counts_entry(w->raw, i, &key, &len);
    if (!cnt) continue;
    if (!(text = lx_tok_text(w->tok, key, len, LX_WORD, &tlen))) return w->err = ENOMEM;
    int rc = lx_counts_add(w->counts, text, tlen, cnt);
    if (rc) return w->err = lx_counts_errno(rc);
  }
  lx_counts_free(w->raw);
  w->raw = NULL;
  return 0;
}

/* Takes ranges from the plan until none is left. */
static void run_plan(worker *w) {
  if (!w->plan) {
    run_range(w);
  } else {
    int k;
    while (!w->err && (k = atomic_fetch_add(&w->plan->next, 1)) < w->plan->n) {
      w->from = w->plan->cut[k];
      w->to = w->plan->cut[k + 1];
      run_range(w);
    }
  }
  if (!w->err) fold_raw(w);
}

static void *run_thread(void *p) {
  run_plan(p);
  return NULL;
}

/* ------------------------------------------------------------ splitting */

/*
** Where to cut the file near a point: just after a newline, or failing that
** after a space followed by an ASCII byte other than space (no UAX #29 rule
** joins across that either).
*/
static size_t after_line_or_space(const char *s, size_t n) {
  if (n <= 1) return 0;
  const char *nl = memchr(s, '\n', n);
  if (nl) return (size_t)(nl - s) + 1;
  for (size_t i = 0; i + 1 < n; i++)
    if (s[i] == ' ' && s[i + 1] != ' ' && (unsigned char)s[i + 1] < 0x80) return i + 1;
  return 0;
}

static int ncpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAXTHREADS ? MAXTHREADS : (int)n;
}

/* ------------------------------------------------------------ public */

static void fold_in(lx_scan *sc, const worker *w) {
  sc->bytes += w->bytes;
  sc->tokens += w->tokens;
  sc->invalid += w->invalid;
  if (w->first_invalid < sc->first_invalid) sc->first_invalid = w->first_invalid;
}

static int init_worker(worker *w, const lx_scan *sc, lx_counts *counts) {
  lx_tokopts o = sc->opts;
  memset(w, 0, sizeof *w);
  w->sc = sc;
  w->keep = o.kinds ? o.kinds : LX_KINDS_ALL;
  o.kinds = w->keep | LX_KIND_BIT(LX_INVALID);    /* invalid bytes are always tallied */
  w->tok = lx_tok_new(&o, NULL, 0);
  w->counts = counts;
  w->first_invalid = UINT64_MAX;
  if (!w->tok) return -1;
  w->kernel = !sc->out && (counts ? lx_tok_countable(w->tok) : lx_tok_countable_only(w->tok));
  const lx_tokopts *to = lx_tok_opts(w->tok);     /* as the tokenizer took them (stem lowers) */
  w->lower = to->casing != LX_CASE_KEEP;
  w->mapped = w->lower || to->norm != LX_NORM_NONE;
  w->stemmed = to->stem != NULL;
  w->only = w->kernel && !counts && (w->keep & LX_KIND_BIT(LX_PUNCT));
  return 0;
}

/* The words for worker w's error rc. */
static void explain(const worker *w, int rc, char *err, size_t errlen) {
  if (rc == EILSEQ && w->why[0]) snprintf(err, errlen, "%s", w->why);
  else if (rc == EOVERFLOW) snprintf(err, errlen, "a count would pass 2^63-1");
  else if (w->in) snprintf(err, errlen, "%s", lx_input_strerror(w->in, rc));   /* damaged compressed data: where */
  else snprintf(err, errlen, "%s", strerror(rc));
}

/* Scans fd with up to nthreads workers; the first one runs here. */
static int scan_fd(lx_scan *sc, lx_input *in, int parallel, char *err, size_t errlen) {
  int fd = in->fd;
  struct stat st;
  err[0] = '\0';
  int nt = 1;
  plan *pl = NULL;
  if (parallel && !sc->out && in->regular && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (uint64_t)st.st_size >= LX_PARALLEL_MIN && (pl = lx_malloc(sizeof *pl)) != NULL) {
    uint64_t size = (uint64_t)st.st_size;
    nt = sc->threads ? sc->threads : ncpus();
    if (nt > MAXTHREADS) nt = MAXTHREADS;
    int want = nt * PIECES;
    pl->n = 0;
    pl->cut[0] = 0;
    for (int k = 1; k < want; k++) {
      uint64_t c = lx_input_cut(fd, size / (uint64_t)want * (uint64_t)k, size, 1 << 16, after_line_or_space);
      if (c > pl->cut[pl->n]) pl->cut[++pl->n] = c;
    }
    pl->cut[++pl->n] = size;
    atomic_init(&pl->next, 0);
    if (nt > pl->n) nt = pl->n;
  }
  worker *ws = lx_calloc((size_t)nt, sizeof *ws);
  if (!ws) {
    free(pl);
    snprintf(err, errlen, "out of memory");
    return ENOMEM;
  }
  pthread_t tid[MAXTHREADS];
  int started[MAXTHREADS] = { 0 }, rc = 0;
  for (int k = 0; k < nt; k++) {
    lx_counts *c = sc->counts;
    if (k > 0 && c && !(c = lx_counts_new())) {
      rc = ENOMEM;
      break;
    }
    if (init_worker(&ws[k], sc, c) != 0) {
      if (k > 0) lx_counts_free(c);
      ws[k].counts = NULL;
      rc = ENOMEM;
      break;
    }
    ws[k].fd = fd;
    ws[k].in = in;
    ws[k].plan = pl;
    ws[k].from = 0;
    ws[k].to = UINT64_MAX;
  }
  for (int k = 1; k < nt && rc == 0; k++)
    started[k] = pthread_create(&tid[k], NULL, run_thread, &ws[k]) == 0;
  if (rc == 0) run_plan(&ws[0]);     /* also takes the ranges of threads that did not start */
  for (int k = 1; k < nt; k++)
    if (started[k]) pthread_join(tid[k], NULL);
  for (int k = 0; k < nt; k++) {
    if (rc == 0 && (rc = ws[k].err) != 0) explain(&ws[k], rc, err, errlen);
    if (rc == 0) fold_in(sc, &ws[k]);
    if (k > 0 && ws[k].counts) {
      if (rc == 0) rc = lx_counts_errno(lx_counts_merge(sc->counts, ws[k].counts, NULL, NULL));
      lx_counts_free(ws[k].counts);
    }
    lx_counts_free(ws[k].raw);
    lx_tok_free(ws[k].tok);
  }
  free(ws);
  free(pl);
  if (rc && !err[0]) snprintf(err, errlen, "%s", strerror(rc));
  return rc;
}

int lx_scan_file(lx_scan *sc, const char *path, char *err, size_t errlen) {
  lx_input in;
  int code;
  sc->first_invalid = UINT64_MAX;
  sc->skipped = 0;
  int r = lx_input_open(&in, path, err, errlen, &code);
  if (r != 0) {
    lx_input_close(&in);
    if (r < 0) return code;
    sc->skipped = 1;              /* err says why */
    return 0;
  }
  char msg[200];
  int rc = scan_fd(sc, &in, sc->threads != 1, msg, sizeof msg);
  if (rc) snprintf(err, errlen, "%s: %s", in.name, msg);
  lx_input_close(&in);
  return rc;
}

int lx_scan_buffer(lx_scan *sc, const char *s, size_t n, char *err, size_t errlen) {
  sc->first_invalid = UINT64_MAX;
  worker *w = lx_malloc(sizeof *w);
  if (!w || init_worker(w, sc, sc->counts) != 0) {
    if (w) lx_tok_free(w->tok);
    free(w);
    snprintf(err, errlen, "out of memory");
    return ENOMEM;
  }
  size_t used;
  int rc = consume(w, s, n, 1, &used);
  if (rc == 0) rc = fold_raw(w);
  lx_counts_free(w->raw);
  w->bytes = n;
  if (rc == 0) fold_in(sc, w);
  else explain(w, rc, err, errlen);
  lx_tok_free(w->tok);
  free(w);
  return rc;
}
