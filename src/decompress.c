/*
** decompress.c: gzip, bzip2, xz and zstd streams read like files, decoded
** ahead by a thread. See decompress.h.
**
** One codec step (step()) turns the compressed bytes in `in` into text in
** an output buffer and says whether its stream ended. fill() calls it until
** the output buffer is full or the text ends, refilling `in` from the
** descriptor, starting the next concatenated stream, and telling a stream
** that stops early from one that ended. Threaded, a producer runs fill()
** into a ring of NSLOT buffers and the reader copies out of the oldest;
** unthreaded, the reader runs fill() itself.
*/
#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "alloc.h"
#include "decompress.h"

#define IN_BUF (128u << 10)     /* compressed bytes per read */
#define SLOT (512u << 10)       /* decoded bytes per buffer of the ring */
#define NSLOT 4                 /* the ring: 2 MB of text decoded ahead at most */

/*
** Does h[0..n) start with magic[0..len)? A whole file shorter than the
** magic that matches as far as it goes (at least `least` bytes) is a
** stream cut short: the decoder then says so, where reading it as text
** would count its bytes.
*/
static int starts(const unsigned char *h, size_t n, const char *magic, size_t len, size_t least) {
  if (n >= len) return memcmp(h, magic, len) == 0;
  return n >= least && memcmp(h, magic, n) == 0;
}

int lx_codec_sniff(const char *head, size_t n) {
  const unsigned char *h = (const unsigned char *)head;
  if (starts(h, n, "\x1f\x8b\x08", 3, 2)) return LX_CODEC_GZIP;
  if (starts(h, n, "\xFD" "7zXZ\0", 6, 3)) return LX_CODEC_XZ;
  if (starts(h, n, "\x28\xB5\x2F\xFD", 4, 3)) return LX_CODEC_ZSTD;
  /* bzip2: "BZh", the block size, then a block's magic or (empty) the end's */
  if (n >= 4 && memcmp(h, "BZh", 3) == 0 && h[3] >= '1' && h[3] <= '9' &&
      (starts(h + 4, n - 4, "\x31\x41\x59\x26\x53\x59", 6, n - 4) ||
       starts(h + 4, n - 4, "\x17\x72\x45\x38\x50\x90", 6, n - 4))) return LX_CODEC_BZIP2;
  return LX_CODEC_NONE;
}

const char *lx_codec_name(int codec) {
  static const char *const names[] = { "plain", "gzip", "bzip2", "xz", "zstd" };
  return codec >= 0 && codec <= LX_CODEC_ZSTD ? names[codec] : "unknown";
}

struct lx_decomp {
  int codec;
  int fd, pollable;        /* the rest of the stream; pollable: not a regular file */
  /* compressed bytes: in[ipos..ilen) not yet decoded */
  unsigned char *in;
  size_t ipos, ilen, icap;
  int src_end;             /* the descriptor has no more */
  uint64_t raw;            /* compressed bytes read so far (head included) */
  uint64_t text;           /* decoded bytes so far */
  int done;                /* the text is over (or failed: err) */
  int err;                 /* an errno value once failed */
  char why[256];
  /* the codecs' states; only one is live */
  z_stream z;
  bz_stream bz;
  lzma_stream xz;
  ZSTD_DStream *zs;
  int live;                /* its state is initialised */
  /* the ring (threaded) */
  int threaded;
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char *slot[NSLOT];
  size_t slen[NSLOT];
  int head, nfull, stop, finished;
  size_t rpos;             /* bytes of slot[head] handed out */
};

/* ------------------------------------------------------------ the codecs */

static void codec_end(lx_decomp *d) {
  if (!d->live) return;
  switch (d->codec) {
  case LX_CODEC_GZIP: inflateEnd(&d->z); break;
  case LX_CODEC_BZIP2: BZ2_bzDecompressEnd(&d->bz); break;
  case LX_CODEC_XZ: lzma_end(&d->xz); break;
  case LX_CODEC_ZSTD: ZSTD_freeDStream(d->zs); d->zs = NULL; break;
  }
  d->live = 0;
}

/* A fresh state for the next stream: 0, or ENOMEM. */
static int codec_begin(lx_decomp *d) {
  codec_end(d);
  int ok = 0;
  switch (d->codec) {
  case LX_CODEC_GZIP:
    memset(&d->z, 0, sizeof d->z);
    ok = inflateInit2(&d->z, 16 + MAX_WBITS) == Z_OK;          /* gzip wrapper only */
    break;
  case LX_CODEC_BZIP2:
    memset(&d->bz, 0, sizeof d->bz);
    ok = BZ2_bzDecompressInit(&d->bz, 0, 0) == BZ_OK;
    break;
  case LX_CODEC_XZ: {
    lzma_stream init = LZMA_STREAM_INIT;
    d->xz = init;
    /* liblzma reads concatenated streams and their padding itself */
    ok = lzma_stream_decoder(&d->xz, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
    break;
  }
  case LX_CODEC_ZSTD:
    /* frames follow one another in one state: it is made once */
    ok = (d->zs = ZSTD_createDStream()) != NULL && !ZSTD_isError(ZSTD_initDStream(d->zs));
    break;
  }
  d->live = ok;
  if (!ok && d->codec == LX_CODEC_ZSTD && d->zs) { ZSTD_freeDStream(d->zs); d->zs = NULL; }
  return ok ? 0 : ENOMEM;
}

enum { STEP_OK, STEP_END, STEP_BAD };

/*
** One call of the codec over in[ipos..ilen) into out[0..cap): *made bytes
** written, ipos moved on. STEP_END when the stream ended; STEP_BAD with
** d->why holding the codec's words (not yet where).
*/
static int step(lx_decomp *d, char *out, size_t cap, size_t *made) {
  size_t avail = d->ilen - d->ipos;
  const unsigned char *src = d->in + d->ipos;
  *made = 0;
  switch (d->codec) {
  case LX_CODEC_GZIP: {
    d->z.next_in = (unsigned char *)src;
    d->z.avail_in = (uInt)avail;
    d->z.next_out = (unsigned char *)out;
    d->z.avail_out = (uInt)cap;
    int r = inflate(&d->z, Z_NO_FLUSH);
    d->ipos += avail - d->z.avail_in;
    *made = cap - d->z.avail_out;
    if (r == Z_STREAM_END) return STEP_END;
    if (r == Z_OK || r == Z_BUF_ERROR) return STEP_OK;        /* Z_BUF_ERROR: no progress possible yet */
    snprintf(d->why, sizeof d->why, "%s", r == Z_MEM_ERROR ? "out of memory"
             : d->z.msg ? d->z.msg : "damaged data");
    return STEP_BAD;
  }
  case LX_CODEC_BZIP2: {
    d->bz.next_in = (char *)src;
    d->bz.avail_in = (unsigned)avail;
    d->bz.next_out = out;
    d->bz.avail_out = (unsigned)cap;
    int r = BZ2_bzDecompress(&d->bz);
    d->ipos += avail - d->bz.avail_in;
    *made = cap - d->bz.avail_out;
    if (r == BZ_STREAM_END) return STEP_END;
    if (r == BZ_OK) return STEP_OK;
    snprintf(d->why, sizeof d->why, "%s", r == BZ_MEM_ERROR ? "out of memory"
             : r == BZ_DATA_ERROR ? "a block fails its check" : "not bzip2 data");
    return STEP_BAD;
  }
  case LX_CODEC_XZ: {
    d->xz.next_in = src;
    d->xz.avail_in = avail;
    d->xz.next_out = (uint8_t *)out;
    d->xz.avail_out = cap;
    lzma_ret r = lzma_code(&d->xz, d->src_end ? LZMA_FINISH : LZMA_RUN);
    d->ipos += avail - d->xz.avail_in;
    *made = cap - d->xz.avail_out;
    if (r == LZMA_STREAM_END) return STEP_END;
    if (r == LZMA_OK || r == LZMA_BUF_ERROR) return STEP_OK;   /* no progress at the end: fill() says truncated */
    snprintf(d->why, sizeof d->why, "%s",
             r == LZMA_MEM_ERROR ? "out of memory" : r == LZMA_FORMAT_ERROR ? "not xz data"
             : r == LZMA_OPTIONS_ERROR ? "options this liblzma does not support"
             : r == LZMA_DATA_ERROR ? "damaged data" : "damaged data (a check fails)");
    return STEP_BAD;
  }
  case LX_CODEC_ZSTD: {
    ZSTD_inBuffer ib = { src, avail, 0 };
    ZSTD_outBuffer ob = { out, cap, 0 };
    size_t r = ZSTD_decompressStream(d->zs, &ob, &ib);
    d->ipos += ib.pos;
    *made = ob.pos;
    if (ZSTD_isError(r)) {
      snprintf(d->why, sizeof d->why, "%s", ZSTD_getErrorName(r));
      return STEP_BAD;
    }
    return r == 0 ? STEP_END : STEP_OK;      /* 0: a frame decoded and flushed whole */
  }
  }
  snprintf(d->why, sizeof d->why, "unknown codec");
  return STEP_BAD;
}

/* ------------------------------------------------------------ reading */

/* The failure: d->why gets what (the codec's words, or `what`) and where. */
static int fail(lx_decomp *d, int err, const char *what) {
  char words[200];
  if (what) snprintf(words, sizeof words, "%s", what);
  else snprintf(words, sizeof words, "damaged (%.160s) near", d->why);
  uint64_t at = d->raw - (d->ilen - d->ipos);       /* compressed bytes the codec took */
  if (err == EBADMSG)
    snprintf(d->why, sizeof d->why, "%s data %s compressed byte %llu, after %llu bytes of text",
             lx_codec_name(d->codec), words, (unsigned long long)at, (unsigned long long)d->text);
  else
    snprintf(d->why, sizeof d->why, "%s", strerror(err));
  d->err = err;
  d->done = 1;
  return -1;
}

/* Waits for the descriptor, waking now and then to see if it should stop. */
static int wait_readable(lx_decomp *d) {
  struct pollfd p = { d->fd, POLLIN, 0 };
  for (;;) {
    if (d->threaded) {
      pthread_mutex_lock(&d->mu);
      int stop = d->stop;
      pthread_mutex_unlock(&d->mu);
      if (stop) return ECANCELED;
    }
    int r = poll(&p, 1, 200);
    if (r > 0) return 0;
    if (r < 0 && errno != EINTR) return errno;
  }
}

/* More compressed bytes into `in` (what is left moves to the front). 0, or an errno value. */
static int refill(lx_decomp *d) {
  if (d->src_end) return 0;
  if (d->ipos > 0) {
    memmove(d->in, d->in + d->ipos, d->ilen - d->ipos);
    d->ilen -= d->ipos;
    d->ipos = 0;
  }
  if (d->fd < 0) {
    d->src_end = 1;
    return 0;
  }
  for (;;) {
    if (d->pollable) {
      int w = wait_readable(d);
      if (w) return w;
    }
    ssize_t r = read(d->fd, d->in + d->ilen, d->icap - d->ilen);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return errno;
    if (r == 0) d->src_end = 1;
    d->ilen += (size_t)r;
    d->raw += (uint64_t)r;
    return 0;
  }
}

/*
** After a stream's end: zero bytes are padding; another stream of the same
** codec goes on; anything else is damage. 0 (d->done set at the end), or -1.
*/
static int next_stream(lx_decomp *d) {
  for (;;) {
    while (d->ipos < d->ilen && d->in[d->ipos] == 0) d->ipos++;
    if (d->ipos < d->ilen) break;
    if (d->src_end) {
      d->done = 1;
      return 0;
    }
    int rc = refill(d);
    if (rc) return fail(d, rc, NULL);
  }
  /* a magic number needs up to 10 bytes */
  while (d->ilen - d->ipos < 10 && !d->src_end) {
    int rc = refill(d);
    if (rc) return fail(d, rc, NULL);
  }
  if (lx_codec_sniff((const char *)d->in + d->ipos, d->ilen - d->ipos) == d->codec)
    return codec_begin(d) ? fail(d, ENOMEM, NULL) : 0;
  return fail(d, EBADMSG, "ends, and bytes that are no stream follow at");
}

/* Decodes into out[0..cap) until it is full or the text ends: bytes made
** (0: the end), or -1. A failure after some bytes returns them first; the
** next call reports it. */
static long fill(lx_decomp *d, char *out, size_t cap) {
  size_t have = 0;
  while (have < cap && !d->done) {
    if (d->ipos == d->ilen && !d->src_end) {
      int rc = refill(d);
      if (rc) { fail(d, rc, NULL); break; }
    }
    size_t before = d->ipos, made;
    int s = step(d, out + have, cap - have, &made);
    have += made;
    d->text += made;
    if (s == STEP_BAD) {
      fail(d, EBADMSG, NULL);
      break;
    }
    if (s == STEP_END) {
      if (d->codec == LX_CODEC_XZ) {     /* liblzma has seen every stream and the padding */
        d->done = 1;
        break;
      }
      if (d->codec == LX_CODEC_ZSTD) {   /* another frame, if any, in the same state */
        if (d->ipos == d->ilen && !d->src_end) {
          int rc = refill(d);
          if (rc) { fail(d, rc, NULL); break; }
        }
        if (d->ipos == d->ilen && d->src_end) d->done = 1;
        continue;
      }
      if (next_stream(d)) break;
      continue;
    }
    if (made == 0 && d->ipos == before) {          /* no progress */
      if (d->ipos == d->ilen && d->src_end) {
        fail(d, EBADMSG, "ends early (truncated) at");
        break;
      }
      if (d->src_end || d->ilen - d->ipos == d->icap) {   /* the codecs take all they are given: never, but never a loop */
        fail(d, EBADMSG, "stops decoding (damaged) at");
        break;
      }
      int rc = refill(d);
      if (rc) { fail(d, rc, NULL); break; }
    }
  }
  return have ? (long)have : d->err ? -1 : 0;
}

/* ------------------------------------------------------------ the ring */

static void *producer(void *p) {
  lx_decomp *d = p;
  pthread_mutex_lock(&d->mu);
  int tail = 0;
  for (;;) {
    while (d->nfull == NSLOT && !d->stop) pthread_cond_wait(&d->cv, &d->mu);
    if (d->stop) break;
    pthread_mutex_unlock(&d->mu);
    long n = fill(d, d->slot[tail], SLOT);   /* a free slot: the reader is not in it */
    pthread_mutex_lock(&d->mu);
    if (n > 0) {
      d->slen[tail] = (size_t)n;
      tail = (tail + 1) % NSLOT;
      d->nfull++;
    }
    if (d->done) d->finished = 1;            /* the end, or a failure the reader meets after the good bytes */
    pthread_cond_broadcast(&d->cv);
    if (d->finished) break;
  }
  pthread_mutex_unlock(&d->mu);
  return NULL;
}

lx_decomp *lx_decomp_new(int codec, const char *head, size_t nhead, int fd, int threaded) {
  if (codec <= LX_CODEC_NONE || codec > LX_CODEC_ZSTD) return NULL;
  lx_decomp *d = lx_calloc(1, sizeof *d);
  if (!d) return NULL;
  d->codec = codec;
  d->fd = fd;
  struct stat st;
  d->pollable = fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode);
  size_t cap = nhead > IN_BUF ? nhead : IN_BUF;
  if (!(d->in = lx_malloc(cap)) || codec_begin(d)) {
    lx_decomp_free(d);
    return NULL;
  }
  d->icap = cap;
  memcpy(d->in, head, nhead);
  d->ilen = nhead;
  d->raw = nhead;
  if (!threaded) return d;
  for (int k = 0; k < NSLOT; k++)
    if (!(d->slot[k] = lx_malloc(SLOT))) {
      lx_decomp_free(d);
      return NULL;
    }
  pthread_mutex_init(&d->mu, NULL);
  pthread_cond_init(&d->cv, NULL);
  d->threaded = 1;
  if (pthread_create(&d->th, NULL, producer, d) != 0) {
    d->threaded = 0;                       /* say so: the caller may go on unthreaded */
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    lx_decomp_free(d);
    return NULL;
  }
  return d;
}

long lx_decomp_read(lx_decomp *d, char *buf, size_t n) {
  if (n == 0) return 0;
  if (!d->threaded) {
    if (d->done) {
      if (d->err) { errno = d->err; return -1; }
      return 0;
    }
    long r = fill(d, buf, n);
    if (r < 0) errno = d->err;
    return r;
  }
  pthread_mutex_lock(&d->mu);
  while (d->nfull == 0 && !d->finished) pthread_cond_wait(&d->cv, &d->mu);
  if (d->nfull == 0) {                     /* finished and every good byte handed out */
    int e = d->err;
    pthread_mutex_unlock(&d->mu);
    if (e) { errno = e; return -1; }
    return 0;
  }
  int h = d->head;
  pthread_mutex_unlock(&d->mu);
  size_t k = d->slen[h] - d->rpos < n ? d->slen[h] - d->rpos : n;
  memcpy(buf, d->slot[h] + d->rpos, k);
  d->rpos += k;
  if (d->rpos == d->slen[h]) {
    pthread_mutex_lock(&d->mu);
    d->head = (d->head + 1) % NSLOT;
    d->nfull--;
    d->rpos = 0;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
  }
  return (long)k;
}

const char *lx_decomp_why(const lx_decomp *d) {
  return d->err ? d->why : "";
}

void lx_decomp_free(lx_decomp *d) {
  if (!d) return;
  if (d->threaded) {
    pthread_mutex_lock(&d->mu);
    d->stop = 1;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->th, NULL);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
  }
  codec_end(d);
  for (int k = 0; k < NSLOT; k++) free(d->slot[k]);
  free(d->in);
  free(d);
}
