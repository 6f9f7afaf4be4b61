/*
** kwic.c: the concordance object and its documents. Hits and documents are
** added here; a file's text is read (or mapped) when it is scanned and let
** go when memory is short, read again when a hit in it is shown.
** Scanning is in kwic_scan.c, order in kwic_order.c, output in kwic_write.c.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistr.h>

#include "alloc.h"
#include "input.h"
#include "mapguard.h"
#include "kwic_private.h"

/* ================================================================ objects */

/*
** Big arrays (hits, sort records) in 2 MB pages where the kernel allows it:
** an indexed query of 100,000 hits otherwise spends more time on page
** faults for its own arrays than on the index.
*/
void *lx_conc_big_alloc(size_t bytes) {
  const size_t huge = (size_t)1 << 21;
  if (bytes < huge / 2) return lx_malloc(bytes ? bytes : 1);
  size_t size = (bytes + huge - 1) & ~(huge - 1);
  void *p = lx_aligned_alloc(huge, size);
  if (p) madvise(p, size, MADV_HUGEPAGE);
  return p;
}

lx_conc *lx_conc_new(unsigned left, unsigned right) {
  lx_conc *c = lx_calloc(1, sizeof *c);
  if (!c) return NULL;
  c->left = left;
  c->right = right;
  lx_lex_init(&c->keys);
  return c;
}

void lx_conc_free(lx_conc *c) {
  if (!c) return;
  for (uint32_t d = 0; d < c->ndocs; d++) {
    free(c->docs[d].name);
    lx_guard_remove(c->docs[d].guard);
    if (c->docs[d].map) munmap(c->docs[d].map, c->docs[d].maplen);
    free(c->docs[d].own);
    free(c->docs[d].filled);
  }
  free(c->docs);
  free(c->hits);
  free(c->rank);
  lx_lex_free(&c->keys);
  for (int i = 0; i < 4; i++) free(c->buf[i]);
  free(c->cl);
  lx_tok_free(c->tok);
  if (c->src.release) c->src.release(c->src.ctx);
  free(c);
}

int lx_conc_add_doc(lx_conc *c, const char *name, size_t namelen, const char *text, size_t len) {
  if (c->ndocs == c->dcap) {
    uint32_t cap = c->dcap ? c->dcap * 2 : 8;
    lx_cdoc *d = lx_realloc(c->docs, cap * sizeof *d);
    if (!d) return -1;
    c->docs = d;
    c->dcap = cap;
  }
  char *nm = lx_malloc(namelen + 1);
  if (!nm) return -1;
  memcpy(nm, name, namelen);
  nm[namelen] = '\0';
  memset(&c->docs[c->ndocs], 0, sizeof c->docs[c->ndocs]);
  c->docs[c->ndocs].name = nm;
  c->docs[c->ndocs].text = text;
  c->docs[c->ndocs].len = len;
  return (int)c->ndocs++;
}

int lx_conc_add_file(lx_conc *c, const char *path) {
  int std = strcmp(path, "-") == 0;
  if (std) path = "(stdin)";
  int d = lx_conc_add_doc(c, path, strlen(path), NULL, 0);
  if (d < 0) {
    snprintf(c->err, sizeof c->err, "out of memory");
    return -1;
  }
  c->docs[d].file = std ? 2 : 1;
  return d;
}

void lx_conc_unload(lx_conc *c, uint32_t d) {
  lx_cdoc *doc = &c->docs[d];
  if (!doc->file || (!doc->own && !doc->map)) return;
  if (!doc->reread) return;      /* a pipe cannot be read again: keep it */
  free(doc->own);
  lx_guard_remove(doc->guard);
  doc->guard = 0;
  if (doc->map) munmap(doc->map, doc->maplen);
  doc->own = NULL;
  doc->map = NULL;
  doc->maplen = 0;
  doc->text = NULL;
  c->resident -= doc->len;
}

/* Lets go of texts used longest ago (in document order from a clock hand,
** a cheap stand-in) until `len` more bytes fit, never of document keep. */
static void make_room(lx_conc *c, uint32_t keep, size_t len) {
  for (uint32_t tries = 0; c->resident + len > LX_CONC_RESIDENT && tries < c->ndocs; tries++) {
    uint32_t d = c->clock++ % c->ndocs;
    if (d != keep && (c->docs[d].own || (c->docs[d].file && c->docs[d].map)) && c->docs[d].reread)
      lx_conc_unload(c, d);
  }
}

int lx_conc_load(lx_conc *c, uint32_t d) {
  lx_cdoc *doc = &c->docs[d];
  if (doc->text || !doc->file) return 0;
  lx_input in;
  int code;
  int r = lx_input_open(&in, doc->file == 2 ? "-" : doc->name, c->err, sizeof c->err, &code);
  if (r != 0) {
    lx_input_close(&in);
    if (r > 0 && !doc->seen) {         /* skipped: an empty document from now on */
      doc->seen = 1;
      doc->text = "";
      doc->len = 0;
      return 1;
    }
    if (r > 0) snprintf(c->err, sizeof c->err, "%s: changed since it was read", doc->name);
    return -1;
  }
  if (doc->seen && (in.size != doc->fsize || in.mtime != doc->fmtime)) {
    lx_input_close(&in);
    snprintf(c->err, sizeof c->err, "%s: changed since it was read; run the query again", doc->name);
    return -1;
  }
  char *text = NULL;
  size_t len = 0;
  void *map = NULL;
  if (in.regular && in.size >= LX_CONC_MAP_MIN) {
    /* a big file is mapped, as before: no copy, and pages the kernel can
    ** drop; the budget below unmaps it when others need the room */
    len = (size_t)in.size;
    map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, in.fd, 0);
    if (map == MAP_FAILED) {
      snprintf(c->err, sizeof c->err, "%s: %s", in.name, strerror(errno));
      lx_input_close(&in);
      return -1;
    }
    madvise(map, len, MADV_SEQUENTIAL);
    text = map;
  } else if (lx_input_slurp(&in, &text, &len, c->err, sizeof c->err)) {
    lx_input_close(&in);
    return -1;
  }
  lx_input_close(&in);
  if (doc->seen && len != doc->len) {
    if (map) munmap(map, len); else free(text);
    snprintf(c->err, sizeof c->err, "%s: changed since it was read; run the query again", doc->name);
    return -1;
  }
  if (!doc->seen) {
    doc->seen = 1;
    doc->reread = in.regular && doc->file != 2;   /* standard input is read once, even from a file */
    doc->fsize = in.size;
    doc->fmtime = in.mtime;
  }
  make_room(c, d, len);
  doc->own = map ? NULL : text;
  doc->map = map;
  doc->maplen = map ? len : 0;
  /* a mapped file that shrinks under the scan is named by the binary's
  ** SIGBUS handler (src/mapguard.h), not a crash */
  if (map) doc->guard = lx_guard_add(map, len, doc->name);
  doc->text = text ? text : "";
  doc->len = len;
  if (text) c->resident += len;
  return 0;
}

int lx_conc_push(lx_conc *c, const lx_hit *h) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 256;
    lx_hit *p = lx_realloc(c->hits, cap * sizeof *p);
    if (!p) return -1;
    c->hits = p;
    c->cap = cap;
  }
  c->hits[c->n++] = *h;
  return 0;
}

int lx_conc_invalid(lx_conc *c, uint32_t d, uint64_t *count, uint64_t *first) {
  *count = 0;
  *first = 0;
  int ld = lx_conc_load(c, d);
  if (ld) return ld > 0 ? 0 : -1;
  const uint8_t *s = (const uint8_t *)c->docs[d].text, *e = s + c->docs[d].len, *p = s;
  while (p < e && (p = u8_check(p, (size_t)(e - p))) != NULL) {
    if (!*count) *first = (uint64_t)(p - s) + 1;
    (*count)++;
    p++;
  }
  lx_conc_unload(c, d);
  return 0;
}

int lx_conc_reserve(lx_conc *c, size_t n) {
  if (n <= c->cap) return 0;
  lx_hit *p = lx_conc_big_alloc(n * sizeof *p);
  if (!p) return -1;
  if (c->n) memcpy(p, c->hits, c->n * sizeof *p);
  free(c->hits);
  c->hits = p;
  c->cap = n;
  return 0;
}
