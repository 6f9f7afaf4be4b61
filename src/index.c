/*
** index.c: the index file container: header, section table, block
** checksums, writing (whole, or a section at a time), mapping, checking.
** What the sections hold is the corpus core's business (corpus_*.c).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "alloc.h"
#include "atomicfile.h"
#include "index.h"
#include "mapguard.h"

/*
** Layout (little-endian, as written by this machine):
**   0  magic "LEXISIDX"            8  u32 version, u32 nsec
**  16  u64 file size              24  u64 offset of the block checksums
**  32  nsec x { u64 offset, u64 size, u64 XXH3 of the section's block checksums }
**   …  u64 XXH3 of everything above, then the sections, each 8-aligned,
**      then the block checksums: per section, per 128 bytes of it, 32 bits
**      of its XXH3 mixed with the block's offset in the file (so a block
**      moved elsewhere does not pass).
** The block checksums need no checksum of their own: one damaged reads as
** its block damaged, which it is as far as anyone can tell.
*/
#define HDR_FIXED 32
#define HDR_SIZE(n) (HDR_FIXED + (size_t)(n) * 24 + 8)
#define ALIGN8(x) (((x) + 7) & ~(uint64_t)7)
#define BLOCK ((uint64_t)1 << LX_BLOCK_SHIFT)
#define NBLOCKS(size) (((size) + BLOCK - 1) >> LX_BLOCK_SHIFT)

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static uint64_t get64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* (Seeding XXH3 would derive a secret from the seed on every call over
** 240 bytes, the cost of the hash itself; the offset is mixed in after.) */
static uint32_t block_sum(const unsigned char *p, uint64_t n, uint64_t at) {
  uint64_t h = XXH3_64bits(p, n) ^ (at * 0x9E3779B97F4A7C15u);
  return (uint32_t)(h ^ (h >> 32));
}

/* The block checksums of data[0..size), which goes at file offset `at`:
** malloced, NBLOCKS(size) of them (at least one slot), or NULL. */
static uint32_t *block_sums(const void *data, uint64_t size, uint64_t at) {
  uint64_t n = NBLOCKS(size);
  uint32_t *v = lx_malloc((n ? n : 1) * sizeof *v);
  if (!v) return NULL;
  const unsigned char *p = data;
  for (uint64_t k = 0; k < n; k++) {
    uint64_t len = size - k * BLOCK < BLOCK ? size - k * BLOCK : BLOCK;
    v[k] = block_sum(p + k * BLOCK, len, at + k * BLOCK);
  }
  return v;
}

/*
** A writer puts sections one at a time, in any order, each as soon as it is
** made, so a builder can free it: the block checksums and the header are
** written last, the header over the room kept for it at the start.
*/
struct lx_writer {
  lx_atomic *a;
  FILE *f;
  uint32_t nsec;
  uint64_t at;                          /* bytes written */
  int failed;                           /* errno of the first failure, or 0 */
  unsigned char put[LX_FILE_MAXSEC];    /* section i is written */
  uint32_t *sums[LX_FILE_MAXSEC];       /* its block checksums */
  uint64_t size[LX_FILE_MAXSEC];        /* its bytes */
  int open;                             /* the section being written in parts + 1, or 0 */
  uint64_t nsums;                       /* its block checksums so far */
  unsigned char hdr[HDR_SIZE(LX_FILE_MAXSEC)];
};

static const char zeros[8];
static const char zeros8k[BLOCK];

static void w_write(lx_writer *w, const void *p, uint64_t n) {
  if (w->failed || n == 0) return;
  if (fwrite(p, 1, n, w->f) != n) w->failed = errno ? errno : EIO;
  w->at += n;
}

static void w_free(lx_writer *w) {
  for (uint32_t i = 0; i < LX_FILE_MAXSEC; i++) free(w->sums[i]);
  free(w);
}

lx_writer *lx_writer_open(const char *path, uint32_t nsec, char *err, size_t errlen) {
  lx_writer *w = lx_calloc(1, sizeof *w);
  if (!w || nsec > LX_FILE_MAXSEC) {
    snprintf(err, errlen, "%s: %s", path, w ? "too many sections" : strerror(ENOMEM));
    free(w);
    return NULL;
  }
  /* Through a temporary file (src/atomicfile.c): a full disk, an error or
  ** Ctrl-C leaves no partial index, and what was at path stays. */
  w->a = lx_atomic_open(path);
  if (!w->a) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); free(w); return NULL; }
  lx_atomic_nosync(w->a);               /* an index can always be rebuilt */
  w->f = lx_atomic_stream(w->a);
  w->nsec = nsec;
  memcpy(w->hdr, LX_FILE_MAGIC, 8);
  put32(w->hdr + 8, LX_FILE_VERSION);
  put32(w->hdr + 12, nsec);
  w_write(w, w->hdr, HDR_SIZE(nsec));   /* room for the header, filled at commit */
  return w;
}

void lx_writer_put(lx_writer *w, uint32_t i, const void *data, uint64_t size) {
  if (i >= w->nsec || w->put[i]) { if (!w->failed) w->failed = EINVAL; return; }
  w_write(w, zeros, ALIGN8(w->at) - w->at);
  unsigned char *e = w->hdr + HDR_FIXED + i * 24;
  put64(e, w->at);
  put64(e + 8, size);
  w->sums[i] = block_sums(data, size, w->at);
  if (!w->sums[i] && !w->failed) w->failed = ENOMEM;
  w->size[i] = size;
  w->put[i] = 1;
  w_write(w, data, size);
}

void lx_writer_begin(lx_writer *w, uint32_t i) {
  if (i >= w->nsec || w->put[i] || w->open) { if (!w->failed) w->failed = EINVAL; return; }
  w_write(w, zeros, ALIGN8(w->at) - w->at);
  put64(w->hdr + HDR_FIXED + i * 24, w->at);
  w->open = (int)i + 1;
  w->nsums = 0;
  w->size[i] = 0;
  w->put[i] = 1;
}

uint64_t lx_writer_part(lx_writer *w, const void *data, uint64_t size) {
  uint32_t i = (uint32_t)w->open - 1;
  if (!w->open) { if (!w->failed) w->failed = EINVAL; return 0; }
  uint64_t at = w->size[i];                         /* a multiple of BLOCK */
  uint64_t n = NBLOCKS(size), base = w->at;         /* the part's file offset */
  uint32_t *v = lx_realloc(w->sums[i], (w->nsums + n + 1) * sizeof *v);
  if (!v) { if (!w->failed) w->failed = ENOMEM; return at; }
  w->sums[i] = v;
  const unsigned char *p = data;
  uint64_t full = size / BLOCK;
  for (uint64_t k = 0; k < full; k++) v[w->nsums++] = block_sum(p + k * BLOCK, BLOCK, base + k * BLOCK);
  w_write(w, data, size);
  if (size % BLOCK) {                               /* the last block, zeros after the data */
    unsigned char tail[BLOCK];
    memset(tail, 0, sizeof tail);
    memcpy(tail, p + full * BLOCK, size % BLOCK);
    v[w->nsums++] = block_sum(tail, BLOCK, base + full * BLOCK);
    w_write(w, zeros8k, BLOCK - size % BLOCK);
  }
  w->size[i] += n * BLOCK;
  return at;
}

void lx_writer_end(lx_writer *w) {
  if (!w->open) { if (!w->failed) w->failed = EINVAL; return; }
  put64(w->hdr + HDR_FIXED + (w->open - 1) * 24 + 8, w->size[w->open - 1]);
  w->open = 0;
}

void lx_writer_abort(lx_writer *w) {
  if (!w) return;
  lx_atomic_abort(w->a);
  w_free(w);
}

int lx_writer_commit(lx_writer *w, char *err, size_t errlen) {
  const char *path = lx_atomic_path(w->a);
  for (uint32_t i = 0; i < w->nsec; i++)
    if (!w->put[i] && !w->failed) w->failed = EINVAL;
  if (w->open && !w->failed) w->failed = EINVAL;
  w_write(w, zeros, ALIGN8(w->at) - w->at);
  put64(w->hdr + 24, w->at);
  for (uint32_t i = 0; i < w->nsec && !w->failed; i++) {
    uint64_t n = NBLOCKS(w->size[i]) * 4;
    put64(w->hdr + HDR_FIXED + i * 24 + 16, XXH3_64bits(w->sums[i], n));
    w_write(w, w->sums[i], n);
  }
  w_write(w, zeros, ALIGN8(w->at) - w->at);
  put64(w->hdr + 16, w->at);
  put64(w->hdr + HDR_FIXED + w->nsec * 24, XXH3_64bits(w->hdr, HDR_FIXED + w->nsec * 24));
  if (!w->failed && (fflush(w->f) != 0 || fseek(w->f, 0, SEEK_SET) != 0)) w->failed = errno ? errno : EIO;
  if (!w->failed && fwrite(w->hdr, 1, HDR_SIZE(w->nsec), w->f) != HDR_SIZE(w->nsec)) w->failed = errno ? errno : EIO;
  int e = w->failed;
  /* the message is made before commit or abort frees the path */
  char *name = lx_strdup(path);
  if (e) lx_atomic_abort(w->a);
  else e = lx_atomic_commit(w->a);
  if (e) snprintf(err, errlen, "%s: %s", name ? name : "index", strerror(e));
  free(name);
  w_free(w);
  return e ? -1 : 0;
}

int lx_file_write(const char *path, const lx_section *sec, uint32_t nsec, char *err, size_t errlen) {
  if (nsec > LX_FILE_MAXSEC) { snprintf(err, errlen, "%s: too many sections", path); return -1; }
  unsigned char hdr[HDR_SIZE(LX_FILE_MAXSEC)];
  uint32_t *sums[LX_FILE_MAXSEC] = { 0 };
  memset(hdr, 0, sizeof hdr);
  memcpy(hdr, LX_FILE_MAGIC, 8);
  put32(hdr + 8, LX_FILE_VERSION);
  put32(hdr + 12, nsec);
  uint64_t off = ALIGN8(HDR_SIZE(nsec));
  int ok = 1;
  for (uint32_t i = 0; i < nsec; i++) {
    unsigned char *e = hdr + HDR_FIXED + i * 24;
    put64(e, off);
    put64(e + 8, sec[i].size);
    if (!(sums[i] = block_sums(sec[i].data, sec[i].size, off))) ok = 0;
    else put64(e + 16, XXH3_64bits(sums[i], NBLOCKS(sec[i].size) * 4));
    off = ALIGN8(off + sec[i].size);
  }
  put64(hdr + 24, off);
  for (uint32_t i = 0; i < nsec; i++) off += NBLOCKS(sec[i].size) * 4;
  put64(hdr + 16, ALIGN8(off));
  put64(hdr + HDR_FIXED + nsec * 24, XXH3_64bits(hdr, HDR_FIXED + nsec * 24));

  lx_atomic *a = ok ? lx_atomic_open(path) : NULL;
  if (!a) {
    int e = ok ? errno : ENOMEM;
    for (uint32_t i = 0; i < nsec; i++) free(sums[i]);
    snprintf(err, errlen, "%s: %s", path, strerror(e));
    return -1;
  }
  lx_atomic_nosync(a);
  FILE *f = lx_atomic_stream(a);
  ok = fwrite(hdr, 1, HDR_SIZE(nsec), f) == HDR_SIZE(nsec);
  uint64_t at = HDR_SIZE(nsec);
  for (uint32_t i = 0; ok && i < nsec; i++) {
    ok = fwrite(zeros, 1, ALIGN8(at) - at, f) == ALIGN8(at) - at;
    at = ALIGN8(at);
    if (ok && sec[i].size) ok = fwrite(sec[i].data, 1, sec[i].size, f) == sec[i].size;
    at += sec[i].size;
  }
  if (ok) ok = fwrite(zeros, 1, ALIGN8(at) - at, f) == ALIGN8(at) - at;
  at = ALIGN8(at);
  for (uint32_t i = 0; ok && i < nsec; i++) {
    uint64_t n = NBLOCKS(sec[i].size) * 4;
    if (n) ok = fwrite(sums[i], 1, n, f) == n;
    at += n;
  }
  if (ok) ok = fwrite(zeros, 1, ALIGN8(at) - at, f) == ALIGN8(at) - at;
  int e = errno;
  for (uint32_t i = 0; i < nsec; i++) free(sums[i]);
  if (!ok) lx_atomic_abort(a);
  else if ((e = lx_atomic_commit(a)) != 0) ok = 0;
  if (!ok) snprintf(err, errlen, "%s: %s", path, strerror(e ? e : EIO));
  return ok ? 0 : -1;
}

void lx_file_close(lx_file *f) {
  lx_guard_remove(f->guard);
  if (f->map) munmap(f->map, f->maplen);
  free(f->seen);
  memset(f, 0, sizeof *f);
}

/*
** What the first bytes of a file say it is: 1 an index, 0 something else,
** -1 an index whose magic is damaged (the header's checksum holds once the
** magic is put back), which must be refused, not read as text.
*/
int lx_file_sniff(const void *head, size_t n) {
  const unsigned char *p = head;
  if (n >= 8 && memcmp(p, LX_FILE_MAGIC, 8) == 0) return 1;
  if (n < HDR_SIZE(0)) return 0;
  uint32_t nsec = get32(p + 12);
  if (nsec > LX_FILE_MAXSEC || HDR_SIZE(nsec) > n) return 0;
  unsigned char h[HDR_SIZE(LX_FILE_MAXSEC)];
  memcpy(h, p, HDR_SIZE(nsec));
  memcpy(h, LX_FILE_MAGIC, 8);
  return get64(h + HDR_FIXED + nsec * 24) == XXH3_64bits(h, HDR_FIXED + nsec * 24) ? -1 : 0;
}

int lx_file_open(lx_file *f, const char *path, char *err, size_t errlen) {
  memset(f, 0, sizeof *f);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return -1; }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    return -1;
  }
  const char *why = NULL;
  size_t size = (size_t)st.st_size;
  if (!S_ISREG(st.st_mode)) why = "not a regular file (an index is mapped)";
  else if (size < HDR_SIZE(0)) why = "too short to be a lexis index";
  void *map = NULL;
  if (!why) {
    map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
      snprintf(err, errlen, "%s: %s", path, strerror(errno));
      close(fd);
      return -1;
    }
  }
  close(fd);
  const unsigned char *p = map;
  uint32_t nsec = 0;
  if (!why) {
    int kind = lx_file_sniff(p, size < HDR_SIZE(LX_FILE_MAXSEC) ? size : HDR_SIZE(LX_FILE_MAXSEC));
    if (kind == -1) why = "damaged header (its magic number)";
    else if (kind == 0) why = "not a lexis index";
  }
  uint32_t version = why ? 0 : get32(p + 8);
  if (!why && (version < LX_FILE_OLDEST || version > LX_FILE_VERSION)) why = "made by another version of lexis";
  if (!why) {
    nsec = get32(p + 12);
    if (nsec > LX_FILE_MAXSEC || HDR_SIZE(nsec) > size) why = "damaged header";
  }
  if (!why && get64(p + HDR_FIXED + nsec * 24) != XXH3_64bits(p, HDR_FIXED + nsec * 24))
    why = "damaged header (checksum mismatch)";
  if (!why && get64(p + 16) != size) why = "truncated or extended (size differs from its header)";
  uint64_t sums = why ? 0 : get64(p + 24), nblk = 0;
  if (!why && (sums > size || sums % 8)) why = "damaged header";
  for (uint32_t i = 0; !why && i < nsec; i++) {
    const unsigned char *e = p + HDR_FIXED + i * 24;
    uint64_t off = get64(e), len = get64(e + 8);
    if (off > size || len > size - off || off % 8) { why = "damaged section table"; break; }
    f->sec[i].data = p + off;
    f->sec[i].size = len;
    f->sum[i] = get64(e + 16);
    f->blk0[i] = nblk;
    nblk += NBLOCKS(len);
  }
  /* (each count is bounded by the file's size, so the product cannot wrap) */
  if (!why && nblk > (size - sums) / 4) why = "damaged section table (block checksums)";
  if (!why) {
    for (uint32_t i = 0; i < nsec; i++) f->bsum[i] = (const uint32_t *)(p + sums) + f->blk0[i];
    if (!(f->seen = lx_calloc(nblk / 8 + 1, 1))) { snprintf(err, errlen, "out of memory"); munmap(map, size); return -1; }
  }
  if (why) {
    snprintf(err, errlen, "%s: %s; rebuild it with 'lexis index'", path, why);
    if (map) munmap(map, size);
    memset(f, 0, sizeof *f);
    return -1;
  }
  f->map = map;
  f->maplen = size;
  f->nsec = nsec;
  f->version = version;
  f->guard = lx_guard_add(map, size, path);   /* a SIGBUS in it names the file */
  return 0;
}

/* Keeps the first damage found, for the message (a race between two
** threads keeps one of theirs: either is true). */
static void note_bad(lx_file *m, uint32_t i, uint64_t at) {
  if (__atomic_load_n(&m->bad_sec, __ATOMIC_RELAXED)) return;
  __atomic_store_n(&m->bad_at, at, __ATOMIC_RELAXED);
  __atomic_store_n(&m->bad_sec, (int)i + 1, __ATOMIC_RELAXED);
}

int lx_file_check_blocks(const lx_file *f, uint32_t i, uint64_t a, uint64_t z) {
  if (!f->seen) return 0;
  lx_file *m = (lx_file *)f;          /* allocated mutable: only the bitmap and the record change */
  uint64_t size = i < f->nsec ? f->sec[i].size : 0;
  for (uint64_t k = a; k <= z; k++) {
    if (k >= NBLOCKS(size)) {       /* a reader asking past the end is following damage */
      note_bad(m, i, size);
      return -1;
    }
    uint64_t g = f->blk0[i] + k;
    if ((__atomic_load_n(&m->seen[g >> 3], __ATOMIC_RELAXED) >> (g & 7)) & 1) continue;
    const unsigned char *p = (const unsigned char *)f->sec[i].data + k * BLOCK;
    uint64_t len = size - k * BLOCK < BLOCK ? size - k * BLOCK : BLOCK;
    uint32_t want;
    memcpy(&want, &f->bsum[i][k], 4);
    if (block_sum(p, len, (uint64_t)(p - (const unsigned char *)f->map)) != want) {
      note_bad(m, i, k * BLOCK);
      return -1;
    }
    __atomic_fetch_or(&m->seen[g >> 3], (unsigned char)(1u << (g & 7)), __ATOMIC_RELAXED);
  }
  return 0;
}

int lx_file_damage(const lx_file *f, uint32_t *sec, uint64_t *at) {
  int s = __atomic_load_n(&f->bad_sec, __ATOMIC_RELAXED);
  if (!s) return 0;
  *sec = (uint32_t)s - 1;
  *at = __atomic_load_n(&f->bad_at, __ATOMIC_RELAXED);
  return 1;
}

/*
** The kernel maps a file's pages in runs as large as the folios in its page
** cache (up to 2 MB each here), not page by page: a few hundred scattered
** reads of a big index would make the whole of it resident in the reader.
** Dropping the mapped pages of what a query has finished with keeps its
** memory to what it is using; they stay in the page cache, shared, and
** come back on the next touch at the cost of a minor fault.
*/
void lx_file_release(const lx_file *f, const void *p, size_t n) {
  static _Atomic long page;          /* atomic: shards release their own maps from two threads */
  if (!f->map || n == 0) return;
  long pg = page;
  if (!pg) page = pg = sysconf(_SC_PAGESIZE);
  const char *m = f->map, *a = p, *z = a + n;
  if (a < m || z > m + f->maplen) return;
  uintptr_t lo = (uintptr_t)a & ~(uintptr_t)(pg - 1);
  uintptr_t hi = ((uintptr_t)z + (uintptr_t)pg - 1) & ~(uintptr_t)(pg - 1);
  madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/*
** Every block, a few MB at a time, each piece given back once read (so a
** check of a big index does not leave it all in memory); and each
** section's list of block checksums against the header.
*/
int lx_file_verify(const lx_file *f) {
  if (!f->map) return 0;
  lx_file *m = (lx_file *)f;
  for (uint32_t i = 0; i < f->nsec; i++) {
    uint64_t n = NBLOCKS(f->sec[i].size), step = (uint64_t)1 << 14;   /* 4 MB */
    if (XXH3_64bits(f->bsum[i], n * 4) != f->sum[i]) {
      note_bad(m, i, 0);
      return -1;
    }
    for (uint64_t k = 0; k < n; k += step) {
      uint64_t z = n - k < step ? n : k + step;
      if (lx_file_check_blocks(f, i, k, z - 1)) return -1;
      uint64_t end = z * BLOCK < f->sec[i].size ? z * BLOCK : f->sec[i].size;
      lx_file_release(f, (const char *)f->sec[i].data + k * BLOCK, end - k * BLOCK);
    }
  }
  return 0;
}
