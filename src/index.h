/*
** index.h: the index file, a container of sections (what they hold is
** the corpus core's business, corpus_internal.h), and the varints its
** sections are coded in.
**
** An index file is a header, a table of sections, the sections and a
** checksum of every 128-byte block of every section. lx_file_open maps it
** read-only and checks what can be checked without reading the big
** sections (magic, version, sizes, the header's own checksum); a reader
** then calls lx_file_check on the bytes it is about to use, which checks
** each block the first time it is touched, so damage anywhere gives an
** error and a query still reads only what it needs; lx_file_verify reads
** them all.
** Pure C: no Lua here.
*/
#ifndef LEXIS_INDEX_H
#define LEXIS_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- varints */

static inline size_t lx_put_varint(unsigned char *p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) { p[n++] = (unsigned char)(v | 0x80); v >>= 7; }
  p[n++] = (unsigned char)v;
  return n;
}
/* Decodes at *p, never reading at or past end; returns 0 if cut off. */
static inline int lx_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v) {
  uint64_t r = 0;
  for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
    unsigned c = *(*p)++;
    r |= (uint64_t)(c & 0x7F) << shift;
    if (c < 0x80) { *v = r; return 1; }
  }
  return 0;
}

/* ---------------------------------------------------------------- files */

#define LX_FILE_MAGIC "LEXISIDX"
#define LX_FILE_VERSION 6             /* 5: document metadata; 6: the stored text (a section more each) */
#define LX_FILE_OLDEST 4              /* the oldest version still read */
#define LX_FILE_MAXSEC 24
#define LX_BLOCK_SHIFT 7               /* checksummed blocks of 128 bytes */

typedef struct lx_section {
  const void *data;     /* in the mapping (or in memory when built) */
  uint64_t size;        /* bytes */
} lx_section;

typedef struct lx_file {
  void *map;            /* the mapping, or NULL */
  size_t maplen;
  uint32_t nsec;
  uint32_t version;     /* LX_FILE_OLDEST .. LX_FILE_VERSION */
  lx_section sec[LX_FILE_MAXSEC];
  uint64_t sum[LX_FILE_MAXSEC];   /* the checksum of each section's block checksums */
  const uint32_t *bsum[LX_FILE_MAXSEC];   /* each section's block checksums, in the mapping */
  uint64_t blk0[LX_FILE_MAXSEC];  /* its first block's number among all the file's blocks */
  unsigned char *seen;  /* a bit per block: checked and found sound; NULL when not mapped */
  int bad_sec;          /* the first block found damaged: its section + 1, or 0 */
  uint64_t bad_at;      /* and its byte offset in that section */
  int guard;            /* its entry in src/mapguard.c, or 0 */
} lx_file;

/* Writes sections to path (through path.tmp and a rename, so a reader never
** sees half a file). Returns 0, or -1 with a message in err. */
int lx_file_write(const char *path, const lx_section *sec, uint32_t nsec,
                  char *err, size_t errlen);
/*
** Writes an index file a section at a time, in any order (through
** path.tmp-* and a rename, like lx_file_write): a builder frees each
** section once it is put. Only a file that can seek can be written so (the
** header goes last, at the start), not a pipe: use lx_file_write there.
** Errors are kept for commit, which returns 0, or -1 with "path: reason"
** in err; commit and abort free w.
*/
typedef struct lx_writer lx_writer;
lx_writer *lx_writer_open(const char *path, uint32_t nsec, char *err, size_t errlen);
void lx_writer_put(lx_writer *w, uint32_t i, const void *data, uint64_t size);
/*
** A section written in parts (an annotated index's attributes, each freed
** once written): begin, then each part, then end. Each part starts at a
** multiple of LX_PART_ALIGN bytes of the section, zeros before it, so the
** checksums of its blocks are its own; lx_writer_part returns that offset.
*/
#define LX_PART_ALIGN ((uint64_t)1 << LX_BLOCK_SHIFT)
void lx_writer_begin(lx_writer *w, uint32_t i);
uint64_t lx_writer_part(lx_writer *w, const void *data, uint64_t size);
void lx_writer_end(lx_writer *w);
int lx_writer_commit(lx_writer *w, char *err, size_t errlen);
void lx_writer_abort(lx_writer *w);

/* What the first n bytes of a file say it is: 1 an index, 0 something
** else, -1 an index whose magic number is damaged (refuse it, do not read
** it as text). LX_FILE_HEADMAX bytes hold any header. */
#define LX_FILE_HEADMAX 1024
int lx_file_sniff(const void *head, size_t n);
/* Maps path. Returns 0, or -1 with "path: reason" in err. */
int lx_file_open(lx_file *f, const char *path, char *err, size_t errlen);
/*
** 0 if bytes [at, at + n) of section i read as they were written, -1 if a
** block of them fails its checksum (lx_file_damage says which). Each block
** is hashed the first time it is touched and remembered; afterwards a check
** is a bit test. Safe from several threads. Always 0 when f is not mapped.
*/
int lx_file_check_blocks(const lx_file *f, uint32_t i, uint64_t a, uint64_t z);
static inline int lx_file_check(const lx_file *f, uint32_t i, uint64_t at, uint64_t n) {
  if (!f->seen || n == 0) return 0;
  uint64_t a = at >> LX_BLOCK_SHIFT, z = (at + n - 1) >> LX_BLOCK_SHIFT;
  if (a == z && i < f->nsec) {
    uint64_t g = f->blk0[i] + a;
    if ((__atomic_load_n(&f->seen[g >> 3], __ATOMIC_RELAXED) >> (g & 7)) & 1) return 0;
  }
  return lx_file_check_blocks(f, i, a, z);
}
/* Brings the check of byte `at` of section i into the cache ahead of
** lx_file_check (a reader that prefetches its data prefetches this too,
** or the checksum is a second cache miss per scattered read): the block's
** sum, its bit, and the block itself, whose other cache line the first
** check reads too. */
static inline void lx_file_prefetch(const lx_file *f, uint32_t i, uint64_t at) {
  if (!f->seen || i >= f->nsec) return;
  uint64_t k = at >> LX_BLOCK_SHIFT;
  __builtin_prefetch(&f->bsum[i][k]);
  __builtin_prefetch(&f->seen[(f->blk0[i] + k) >> 3]);
  const char *b = (const char *)f->sec[i].data + (k << LX_BLOCK_SHIFT);
  __builtin_prefetch(b);
  __builtin_prefetch(b + 64);
}
/* Where the first damaged block was found: 1 with its section and offset,
** or 0 if none was. */
int lx_file_damage(const lx_file *f, uint32_t *sec, uint64_t *at);
/* Unmaps the pages of p[0..n) (part of f's mapping) from this process; they
** read the same on the next touch. Nothing if f is not mapped. */
void lx_file_release(const lx_file *f, const void *p, size_t n);
/* Checks every block of every section. 0, or -1 (lx_file_damage says where). */
int lx_file_verify(const lx_file *f);
void lx_file_close(lx_file *f);

#endif
