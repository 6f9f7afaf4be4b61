/*
** corpus_annot.c: annotated files (.vrt, .conllu, read by src/vrt.h) into
** a builder. The word column becomes the index's words as a plain-text
** index holds them (lexicon, folded lexicon, ids, postings), so every word
** query keeps working; every other column becomes a positional attribute
** with a lexicon, an id stream and postings; every region name a
** structural attribute with its regions, and every key of its tags a
** structural attribute with values over the same regions (CWB's naming:
** text, text_id, text_year; s nested in s is s1, its id s_id1).
**
** What finish writes (corpus_internal.h has the section list):
**   S_ATTRS   u64 npattrs, u64 nsattrs, u64 0, u64 0, then per positional
**             attribute 16 u64 and per structural attribute 16 u64 (see
**             PA_* and SA_*): offsets into S_ADATA and counts
** and S_BLOCKS holds, per 64 tokens, the byte where the first starts in
** its document shown as words joined by one space (and 0), so that a
** concordance finds any token's bytes from its block; there is no TOKOFF.
**   S_ADATA   the parts, each at a multiple of 128 bytes (lx_writer_part):
**             names, then per positional attribute its lexicon offsets,
**             lexicon, hash, ids, posting offsets, frequencies, postings,
**             then per structural attribute its regions and values.
** Pure C: no Lua here.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "alloc.h"
#include "errors.h"
#include "progress.h"
#include "query.h"
#include "vrt.h"

#define MAX_SATTRS 4096                /* structural attributes, all names and keys */

/* ---------------------------------------------------------------- building */

typedef struct apat {          /* a positional attribute beyond word */
  char *name;
  lx_lex lex;
  gbuf ids;                    /* width bytes a token */
  unsigned width;              /* 1, 2 or 4: widened as the lexicon grows */
  struct small *cache;         /* short values' ids (intern_cached) */
  /* made by lx_annot_tables */
  uint32_t *hash;              /* id + 1 by lx_hash, linear probing */
  uint64_t nslots;
  uint64_t *freq, *off;        /* per id: occurrences; where its postings start (n + 1) */
  unsigned char *post;         /* delta varints */
  uint64_t postsize;
} apat;

typedef struct asat {          /* a structural attribute */
  char *name;
  size_t base;                 /* the attribute whose regions these are (itself for a region set) */
  gbuf reg;                    /* base: u64 start, end per region */
  uint64_t start;              /* base: the open region's start */
  int open;                    /* base: a region is open */
  int values;                  /* an annotation (text_id): it has vals and vids */
  lx_lex vals;                 /* value strings; id 0 is "" */
  gbuf vids;                   /* u32 per region of base */
  uint32_t cur;                /* the open region's value */
} asat;

struct lx_annot {
  apat *pa;
  size_t npa;
  asat *sa;
  size_t nsa, cap;
  int named;                   /* pa's names are known (from the first file) */
};

void lx_annot_free(lx_annot *a) {
  if (!a) return;
  for (size_t i = 0; i < a->npa; i++) {
    free(a->pa[i].name);
    free(a->pa[i].cache);
    free(a->pa[i].hash); free(a->pa[i].freq); free(a->pa[i].off); free(a->pa[i].post);
    lx_lex_free(&a->pa[i].lex);
    gb_free(&a->pa[i].ids);
  }
  for (size_t i = 0; i < a->nsa; i++) {
    free(a->sa[i].name);
    gb_free(&a->sa[i].reg);
    lx_lex_free(&a->sa[i].vals);
    gb_free(&a->sa[i].vids);
  }
  free(a->pa);
  free(a->sa);
  free(a);
}

/* The structural attribute called name, made if new (an annotation of
** base when values): its index, or -1 (out of memory, or too many). */
static long sattr_get(lx_annot *a, const char *name, size_t base, int values) {
  for (size_t i = 0; i < a->nsa; i++)
    if (strcmp(a->sa[i].name, name) == 0) return (long)i;
  if (a->nsa == MAX_SATTRS) return -2;
  if (a->nsa == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 16;
    asat *s = lx_realloc(a->sa, cap * sizeof *s);
    if (!s) return -1;
    a->sa = s;
    a->cap = cap;
  }
  asat *s = &a->sa[a->nsa];
  memset(s, 0, sizeof *s);
  lx_lex_init(&s->vals);
  if (!(s->name = lx_strdup(name))) return -1;
  s->base = values ? base : a->nsa;
  s->values = values;
  a->nsa++;
  if (values) {
    /* id 0 is the empty value; the regions of base before this key
    ** appeared get it */
    if (lx_lex_intern(&s->vals, "", 0) == LX_NOID) return -1;
    size_t n = a->sa[base].reg.n / 16;
    if (gb_reserve(&s->vids, n * 4)) return -1;
    if (n) memset(s->vids.p, 0, n * 4);
    s->vids.n = n * 4;
  }
  return (long)(a->nsa - 1);
}

/* Appends id to an id stream, first widening it when id needs more bytes. */
static int put_id(apat *p, uint32_t id, uint64_t ntok) {
  unsigned need = id < 256 ? 1 : id < 65536 ? 2 : 4;
  if (need > p->width) {
    if (gb_reserve(&p->ids, (size_t)ntok * (need - p->width) + 4)) return -1;
    unsigned char *q = p->ids.p;
    for (uint64_t i = ntok; i-- > 0;) {     /* backwards: the wider copy overlaps */
      uint32_t v = p->width == 1 ? q[i] : ((const uint16_t *)(const void *)q)[i];
      if (need == 2) ((uint16_t *)(void *)q)[i] = (uint16_t)v;
      else ((uint32_t *)(void *)q)[i] = v;
    }
    p->ids.n = (size_t)ntok * need;
    p->width = need;
  }
  if (gb_reserve(&p->ids, 4)) return -1;
  unsigned char *q = p->ids.p + p->ids.n;
  if (p->width == 1) *q = (unsigned char)id;
  else if (p->width == 2) { uint16_t v = (uint16_t)id; memcpy(q, &v, 2); }
  else memcpy(q, &id, 4);
  p->ids.n += p->width;
  return 0;
}

/* A cache of short strings' ids, every slot empty. */
static struct small *cache_new(void) {
  struct small *c = lx_malloc(((size_t)1 << CACHE_BITS) * sizeof *c);
  for (size_t i = 0; c && i < (size_t)1 << CACHE_BITS; i++) c[i].len = UINT32_MAX;
  return c;
}

/* The id of s in x, through a direct-mapped cache of strings of up to 16
** bytes (nearly all words and lemmas): one cache line instead of the
** lexicon's hash, probe and compare, a cache miss each. */
static uint32_t intern_cached(lx_lex *x, struct small *cache, const char *s, size_t len) {
  /* (a small lexicon, a tag set, is in the cache itself: faster without) */
  if (len > 16 || x->n < 4096) return lx_lex_intern(x, s, len);
  uint64_t key[2];
  short_key(s, (uint32_t)len, s + len, key);
  struct small *slot = &cache[cache_slot(key, (uint32_t)len)];
  if (slot->len == len && slot->key[0] == key[0] && slot->key[1] == key[1]) return slot->id;
  uint32_t id = lx_lex_intern(x, s, len);
  if (id == LX_NOID) return id;
  slot->key[0] = key[0];
  slot->key[1] = key[1];
  slot->len = (uint32_t)len;
  slot->id = id;
  return id;
}

/* The word of a token: interned, folded once when new, its id appended.
** A concordance shows an annotated document as its words joined by one
** space: each token's byte there is counted, and every 64th kept in
** BLOCKS, the checkpoints a plain index keeps of its files. */
static int add_word(lx_builder *b, const char *s, size_t len, uint64_t first) {
  uint64_t start = b->ntok == first ? 0 : b->prev_end + 1;
  b->prev_end = start + len;
  if ((b->ntok & (BSIZE - 1)) == 0) {
    uint64_t ck[2] = { start, 0 };
    if (gb_put(&b->blocks, ck, sizeof ck)) return -1;
  }
  uint32_t before = b->lex.n;
  uint32_t id = intern_cached(&b->lex, b->cache, s, len);
  if (id == LX_NOID) return -1;
  if (id == before) {
    size_t fl;
    char *f = lx_fold(s, len, &fl);
    if (!f) return -1;
    uint32_t fid = lx_lex_intern(&b->flex, f, fl);
    free(f);
    if (fid == LX_NOID || gb_put(&b->fold, &fid, 4)) return -1;
  }
  if (gb_put(&b->ids, &id, 4)) return -1;
  b->ntok++;
  return 0;
}

/* CWB's names: s, s1, s2 for nested levels; text_id, s_id1 for keys. */
static void sattr_name(char *out, size_t n, const char *region, int depth, const char *key, size_t klen) {
  char d[16] = "";
  if (depth > 0) snprintf(d, sizeof d, "%d", depth);
  if (key) snprintf(out, n, "%s_%.*s%s", region, (int)klen, key, d);
  else snprintf(out, n, "%s%s", region, d);
}

/* The event's region set, by the reader's structure and depth (smap
** caches it for the document): its index, or -1/-2 as sattr_get. */
static long region_set(lx_annot *a, lx_vrt *r, long *smap, const lx_vrt_event *ev) {
  long *slot = &smap[(size_t)ev->structure * (LX_VRT_MAX_DEPTH + 1) + (size_t)ev->depth];
  if (*slot >= 0) return *slot;
  char name[3 * LX_VRT_MAX_NAME + 32];
  sattr_name(name, sizeof name, lx_vrt_structure(r, (size_t)ev->structure), ev->depth, NULL, 0);
  return *slot = sattr_get(a, name, 0, 0);
}

static int region_open(lx_annot *a, lx_vrt *r, long *smap, const lx_vrt_event *ev, uint64_t base) {
  long bi = region_set(a, r, smap, ev);
  if (bi < 0) return (int)bi;
  asat *s = &a->sa[bi];
  s->start = base + ev->position;
  s->open = 1;
  for (size_t i = 0; i < a->nsa; i++)
    if (a->sa[i].values && a->sa[i].base == (size_t)bi) a->sa[i].cur = 0;
  for (size_t k = 0; k < ev->nattrs; k++) {
    char name[3 * LX_VRT_MAX_NAME + 32];
    sattr_name(name, sizeof name, lx_vrt_structure(r, (size_t)ev->structure), ev->depth,
               ev->key[k].p, ev->key[k].n);
    long vi = sattr_get(a, name, (size_t)bi, 1);
    if (vi < 0) return (int)vi;
    uint32_t id = lx_lex_intern(&a->sa[vi].vals, ev->val[k].p, ev->val[k].n);
    if (id == LX_NOID) return -1;
    a->sa[vi].cur = id;
  }
  return 0;
}

/* A region ends: kept when it holds a token (cwb-encode drops empty ones). */
static int region_close(lx_annot *a, lx_vrt *r, long *smap, const lx_vrt_event *ev, uint64_t base) {
  long bi = region_set(a, r, smap, ev);
  if (bi < 0) return (int)bi;
  asat *s = &a->sa[bi];
  uint64_t end = base + ev->position;
  if (!s->open) return 0;
  s->open = 0;
  if (end <= s->start) return 0;
  uint64_t pair[2] = { s->start, end };
  if (gb_put(&s->reg, pair, 16)) return -1;
  for (size_t i = 0; i < a->nsa; i++)
    if (a->sa[i].values && a->sa[i].base == (size_t)bi && gb_put(&a->sa[i].vids, &a->sa[i].cur, 4)) return -1;
  return 0;
}

/* The positional attributes of this file against the first file's. */
static int check_pattrs(lx_annot *a, lx_vrt *r, const char *path, char *err, size_t errlen) {
  size_t n = lx_vrt_npattrs(r);
  if (!a->named) {
    if (n > 1 && !(a->pa = lx_calloc(n - 1, sizeof *a->pa))) return -1;
    for (size_t i = 1; i < n; i++) {
      apat *p = &a->pa[i - 1];
      lx_lex_init(&p->lex);
      p->width = 1;
      a->npa = i;
      if (!(p->name = lx_strdup(lx_vrt_pattr(r, i))) || !(p->cache = cache_new())) return -1;
    }
    a->named = 1;
    return 0;
  }
  int same = n == a->npa + 1;
  for (size_t i = 1; same && i < n; i++) same = strcmp(a->pa[i - 1].name, lx_vrt_pattr(r, i)) == 0;
  if (same) return 0;
  size_t at = (size_t)snprintf(err, errlen, "%s: its positional attributes (", path);
  for (size_t i = 0; i < n && at < errlen; i++)
    at += (size_t)snprintf(err + at, errlen - at, "%s%s", i ? " " : "", lx_vrt_pattr(r, i));
  if (at < errlen) at += (size_t)snprintf(err + at, errlen - at, ") differ from the first file's (word");
  for (size_t i = 0; i < a->npa && at < errlen; i++)
    at += (size_t)snprintf(err + at, errlen - at, " %s", a->pa[i].name);
  if (at < errlen) snprintf(err + at, errlen - at, "): one index holds one set of columns");
  errno = EINVAL;
  return -2;
}

int lx_builder_add_annotated(lx_builder *b, const char *path, const lx_vrt_opts *opts,
                             void (*warn)(void *arg, const char *msg), void *arg,
                             char *err, size_t errlen) {
  if (b->docs.n > 0 && !b->ann) return lx_builder_mixed(path, err, errlen);
  if (!b->ann && !(b->ann = lx_calloc(1, sizeof *b->ann))) goto oom;
  lx_annot *a = b->ann;
  lx_vrt *r;
  int rc = lx_vrt_open(&r, path, opts, err, errlen);
  if (rc == LX_INPUT_SKIPPED) return -2;
  if (rc) { errno = rc; return -1; }
  long *smap = lx_malloc(sizeof *smap * LX_VRT_MAX_STRUCTS * (LX_VRT_MAX_DEPTH + 1));
  lx_docrec d;
  memset(&d, 0, sizeof d);
  d.first = b->ntok;
  d.name = b->names.n;
  if (!smap || gb_put(&b->names, path, strlen(path) + 1)) { free(smap); lx_vrt_close(r); goto oom; }
  for (size_t i = 0; i < (size_t)LX_VRT_MAX_STRUCTS * (LX_VRT_MAX_DEPTH + 1); i++) smap[i] = -1;
  uint64_t base = b->ntok, done = 0;
  int named = 0;
  lx_vrt_event ev;
  for (;;) {
    if ((rc = lx_vrt_next(r, &ev)) != 0) {
      snprintf(err, errlen, "%s", lx_vrt_error(r));
      break;
    }
    if (ev.kind == LX_VRT_END) break;
    if (ev.kind == LX_VRT_WARNING) { if (warn) warn(arg, ev.message); continue; }
    if (ev.kind == LX_VRT_TOKEN) {
      if (!named) {
        if ((rc = check_pattrs(a, r, path, err, errlen)) != 0) { rc = rc == -1 ? ENOMEM : EINVAL; break; }
        named = 1;
      }
      if (add_word(b, ev.value[0].p, ev.value[0].n, d.first)) { rc = ENOMEM; break; }
      for (size_t i = 0; i < a->npa; i++) {
        uint32_t id = intern_cached(&a->pa[i].lex, a->pa[i].cache, ev.value[i + 1].p, ev.value[i + 1].n);
        if (id == LX_NOID || put_id(&a->pa[i], id, b->ntok - 1)) { rc = ENOMEM; break; }
      }
      if (rc) break;
      if ((b->ntok & 0xFFFF) == 0) {
        uint64_t now = lx_vrt_bytes(r);
        int stop = b->progress ? lx_progress_step(b->progress, now - done) : lx_interrupted();
        done = now;
        if (stop) { rc = ECANCELED; snprintf(err, errlen, "%s: interrupted", path); break; }
      }
      continue;
    }
    int e = ev.kind == LX_VRT_OPEN ? region_open(a, r, smap, &ev, base) : region_close(a, r, smap, &ev, base);
    if (e == -2) {
      snprintf(err, errlen, "%s:%llu: more than %d structural attributes (region names and their keys)",
               path, (unsigned long long)ev.line, MAX_SATTRS);
      rc = EINVAL;
      break;
    }
    if (e) { rc = ENOMEM; break; }
  }
  uint64_t bytes = lx_vrt_bytes(r);
  if (b->progress && bytes > done) lx_progress_step(b->progress, bytes - done);
  lx_vrt_close(r);
  free(smap);
  if (rc == ENOMEM) goto oom;
  if (rc) { errno = rc; return -1; }
  d.ntok = b->ntok - d.first;
  d.size = bytes;
  /* size, time and content's hash, as for text, so that --verify and
  ** staleness speak of annotated files too (the file is in the page cache) */
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    lx_hashjob j = { fd, (uint64_t)st.st_size, 0, 0 };
    lx_hashjob_run(&j);
    d.size = (uint64_t)st.st_size;
    d.mtime = (int64_t)st.st_mtime;
    d.hash = j.hash;
  }
  if (fd >= 0) close(fd);
  if (gb_put(&b->docs, &d, sizeof d)) goto oom;
  b->bytes += bytes;
  return 0;
oom:
  snprintf(err, errlen, "%s: %s", path, lx_strerror(ENOMEM));
  errno = ENOMEM;
  return -1;
}

/* ---------------------------------------------------------------- finishing */

/* Positional and structural directory entries (u64 each). */
enum { PA_NAME, PA_NLEX, PA_LEXOFF, PA_LEX, PA_LEXSIZE, PA_HASH, PA_NSLOTS, PA_IDS, PA_WIDTH,
       PA_POSTOFF, PA_POST, PA_POSTSIZE, PA_FREQ, PA_N = 16 };
enum { SA_NAME, SA_BASE, SA_NREG, SA_REG, SA_VALUES, SA_NVALS, SA_VOFF, SA_VLEX, SA_VSIZE, SA_VIDS,
       SA_N = 16 };

/* Where parts go: the writer, or b->adata in memory (padded alike). */
typedef struct sink { lx_writer *w; gbuf *mem; int failed; } sink;

static uint64_t part(sink *k, const void *p, uint64_t n) {
  if (k->w) return lx_writer_part(k->w, p, n);
  uint64_t at = k->mem->n, pad = (LX_PART_ALIGN - n % LX_PART_ALIGN) % LX_PART_ALIGN;
  if (gb_reserve(k->mem, n + pad + 1)) { k->failed = 1; return at; }
  if (n) memcpy(k->mem->p + at, p, n);
  memset(k->mem->p + at + n, 0, pad);
  k->mem->n += n + pad;
  return at;
}

static uint32_t get_id(const apat *p, uint64_t t) {
  const unsigned char *q = p->ids.p;
  if (p->width == 1) return q[t];
  if (p->width == 2) { uint16_t v; memcpy(&v, q + 2 * t, 2); return v; }
  uint32_t v;
  memcpy(&v, q + 4 * t, 4);
  return v;
}

/* One positional attribute's hash and postings (two passes over its ids:
** bytes per id, then the deltas at their places). 0, or -1 out of memory. */
static int pattr_tables(apat *p, uint64_t ntok) {
  uint32_t n = p->lex.n;
  uint64_t slots = 16;
  while (slots < (uint64_t)n * 2) slots *= 2;
  p->nslots = slots;
  if (!(p->hash = lx_calloc(slots, 4))) return -1;
  for (uint32_t id = 0; id < n; id++) {
    size_t len;
    const char *s = lx_lex_str(&p->lex, id, &len);
    uint64_t i = (lx_hash(s, len) >> 32) & (slots - 1);
    while (p->hash[i]) i = (i + 1) & (slots - 1);
    p->hash[i] = id + 1;
  }
  free(p->cache);                             /* (no more values come) */
  p->cache = NULL;
  p->freq = lx_calloc((size_t)n + 1, 8);
  p->off = lx_calloc((size_t)n + 1, 8);
  uint64_t *last = lx_calloc((size_t)n + 1, 8);
  if (!p->freq || !p->off || !last) { free(last); return -1; }
  unsigned char tmp[10];
  for (uint64_t t = 0; t < ntok; t++) {
    uint32_t id = get_id(p, t);
    p->off[id] += lx_put_varint(tmp, p->freq[id] ? t - last[id] : t);
    p->freq[id]++;
    last[id] = t;
  }
  uint64_t sum = 0;
  for (uint32_t id = 0; id < n; id++) { uint64_t x = p->off[id]; p->off[id] = sum; sum += x; }
  p->off[n] = sum;
  p->postsize = sum;
  if (!(p->post = lx_malloc(sum ? sum : 1))) { free(last); return -1; }
  /* last now holds the bytes written per id; the positions are re-read */
  memset(last, 0, ((size_t)n + 1) * 8);
  uint64_t *prev = lx_calloc((size_t)n + 1, 8);
  if (!prev) { free(last); return -1; }
  for (uint64_t t = 0; t < ntok; t++) {
    uint32_t id = get_id(p, t);
    last[id] += lx_put_varint(p->post + p->off[id] + last[id], last[id] ? t - prev[id] : t);
    prev[id] = t;
  }
  free(prev);
  free(last);
  return 0;
}

/* The tables of every positional attribute beyond word: made while the
** words' lexicon tables are made on the other core (corpus_finish.c). */
int lx_annot_tables(lx_builder *b) {
  lx_annot *a = b->ann;
  for (size_t i = 0; a && i < a->npa; i++)
    if (lx_interrupted() || pattr_tables(&a->pa[i], b->ntok)) return -1;
  return 0;
}

/* One positional attribute's tables into parts, each freed once written. */
static void write_pattr(sink *k, apat *p, uint64_t *e) {
  uint32_t n = p->lex.n;
  static const uint64_t zero = 0;
  e[PA_NLEX] = n;
  e[PA_LEXOFF] = part(k, n ? p->lex.off : &zero, ((uint64_t)n + 1) * 8);
  e[PA_LEX] = part(k, p->lex.arena, p->lex.alen);
  e[PA_LEXSIZE] = p->lex.alen;
  lx_lex_free(&p->lex);
  e[PA_HASH] = part(k, p->hash, p->nslots * 4);
  e[PA_NSLOTS] = p->nslots;
  e[PA_IDS] = part(k, p->ids.p, p->ids.n);
  e[PA_WIDTH] = p->width;
  gb_free(&p->ids);
  e[PA_POSTOFF] = part(k, p->off, ((uint64_t)n + 1) * 8);
  e[PA_FREQ] = part(k, p->freq, (uint64_t)n * 8);
  e[PA_POST] = part(k, p->post, p->postsize);
  e[PA_POSTSIZE] = p->postsize;
  free(p->hash); free(p->off); free(p->freq); free(p->post);
  p->hash = NULL; p->off = p->freq = NULL; p->post = NULL;
}

int lx_annot_make(lx_builder *b, lx_writer *w) {
  lx_annot *a = b->ann;
  if (!a) {                                   /* plain text: both sections empty */
    if (w) { lx_writer_put(w, S_ATTRS, NULL, 0); lx_writer_put(w, S_ADATA, NULL, 0); }
    return 0;
  }
  sink k = { w, &b->adata, 0 };
  uint64_t head[4] = { a->npa, a->nsa, 0, 0 };
  if (gb_put(&b->adir, head, sizeof head) || gb_reserve(&b->adir, (a->npa * PA_N + a->nsa * SA_N) * 8))
    return -1;
  uint64_t *dir = (uint64_t *)(void *)(b->adir.p + sizeof head);
  memset(dir, 0, (a->npa * PA_N + a->nsa * SA_N) * 8);
  b->adir.n += (a->npa * PA_N + a->nsa * SA_N) * 8;
  /* names, each NUL-ended, in one part */
  gbuf names = { 0 };
  for (size_t i = 0; i < a->npa; i++) {
    dir[i * PA_N + PA_NAME] = names.n;
    if (gb_put(&names, a->pa[i].name, strlen(a->pa[i].name) + 1)) { gb_free(&names); return -1; }
  }
  for (size_t i = 0; i < a->nsa; i++) {
    dir[a->npa * PA_N + i * SA_N + SA_NAME] = names.n;
    if (gb_put(&names, a->sa[i].name, strlen(a->sa[i].name) + 1)) { gb_free(&names); return -1; }
  }
  if (w) lx_writer_begin(w, S_ADATA);
  uint64_t at = part(&k, names.p, names.n);
  gb_free(&names);
  for (size_t i = 0; i < a->npa; i++) dir[i * PA_N + PA_NAME] += at;
  for (size_t i = 0; i < a->nsa; i++) dir[a->npa * PA_N + i * SA_N + SA_NAME] += at;
  for (size_t i = 0; i < a->npa; i++) {
    if (lx_interrupted() || (!a->pa[i].hash && pattr_tables(&a->pa[i], b->ntok))) return -1;
    write_pattr(&k, &a->pa[i], &dir[i * PA_N]);
  }
  uint64_t *sdir = dir + a->npa * PA_N;
  for (size_t i = 0; i < a->nsa; i++) {        /* region sets first: annotations point at them */
    asat *s = &a->sa[i];
    if (s->values) continue;
    sdir[i * SA_N + SA_BASE] = i;
    sdir[i * SA_N + SA_NREG] = s->reg.n / 16;
    sdir[i * SA_N + SA_REG] = part(&k, s->reg.p, s->reg.n);
  }
  for (size_t i = 0; i < a->nsa; i++) {
    asat *s = &a->sa[i];
    if (!s->values) continue;
    uint64_t *e = &sdir[i * SA_N];
    e[SA_BASE] = s->base;
    e[SA_NREG] = sdir[s->base * SA_N + SA_NREG];
    e[SA_REG] = sdir[s->base * SA_N + SA_REG];
    e[SA_VALUES] = 1;
    e[SA_NVALS] = s->vals.n;
    e[SA_VOFF] = part(&k, s->vals.off, ((uint64_t)s->vals.n + 1) * 8);
    e[SA_VLEX] = part(&k, s->vals.arena, s->vals.alen);
    e[SA_VSIZE] = s->vals.alen;
    /* a key that appeared after the base's last region still has one vid each */
    size_t want = a->sa[s->base].reg.n / 16 * 4;
    if (s->vids.n < want) {
      if (gb_reserve(&s->vids, want - s->vids.n)) return -1;
      memset(s->vids.p + s->vids.n, 0, want - s->vids.n);
      s->vids.n = want;
    }
    e[SA_VIDS] = part(&k, s->vids.p, s->vids.n);
  }
  if (k.failed) return -1;
  if (w) {
    lx_writer_end(w);
    lx_writer_put(w, S_ATTRS, b->adir.p, b->adir.n);
  }
  return 0;
}
