/*
** corpus_meta.c: the document metadata of a plain-text index (lexis index
** --meta, after quanteda's docvars): named fields, a string value per
** document, in one small section (S_DMETA) read whole at open. The table
** they come from is read and matched to the documents in Lua
** (lua/lexis/metatable.lua); the CQL view shows each field as text_FIELD
** (corpus_attrs.c). An annotated index keeps its text_* annotations as
** structural attributes instead.
** Pure C: no Lua here.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "corpus_internal.h"

uint32_t lx_builder_ndocs(const lx_builder *b) { return (uint32_t)(b->docs.n / sizeof(lx_docrec)); }

int lx_builder_set_meta(lx_builder *b, size_t nfields, size_t ndocs, const char *const *strs,
                        const size_t *lens, char *err, size_t errlen) {
  if (b->ann) {
    snprintf(err, errlen, "metadata: annotated files (.vrt, .conllu) carry theirs in their tags");
    return EINVAL;
  }
  if (nfields == 0 || nfields > 4096 || ndocs != lx_builder_ndocs(b)) {
    snprintf(err, errlen, "metadata: %zu fields for %zu documents, the index has %u", nfields, ndocs,
             (unsigned)lx_builder_ndocs(b));
    return EINVAL;
  }
  size_t n = nfields * (ndocs + 1);
  uint64_t bytes = 0;
  for (size_t i = 0; i < n; i++) {
    if (memchr(strs[i], 0, lens[i])) {
      snprintf(err, errlen, "metadata: a NUL byte in \"%.40s\"", strs[i]);
      return EINVAL;
    }
    bytes += lens[i];
  }
  gbuf g = { 0 };
  uint64_t head[2] = { nfields, ndocs }, at = 0;
  if (gb_reserve(&g, 16 + (n + 1) * 8 + bytes)) goto oom;
  gb_put(&g, head, 16);
  for (size_t i = 0; i < n; i++) {
    gb_put(&g, &at, 8);
    at += lens[i];
  }
  gb_put(&g, &at, 8);
  for (size_t i = 0; i < n; i++) gb_put(&g, strs[i], lens[i]);
  gb_free(&b->dmeta);
  b->dmeta = g;
  return 0;
oom:
  gb_free(&g);
  snprintf(err, errlen, "out of memory");
  return ENOMEM;
}

int lx_meta_bind(lx_corpus *c) {
  const lx_section *s = &c->sec[S_DMETA];
  c->nfields = 0;
  if (s->size == 0) return 0;
  const uint64_t *h = s->data;
  if (s->size < 24 || c->annotated) return -1;
  uint64_t nf = h[0], nd = h[1], room = (s->size - 16) / 8;
  /* every count bounded before it is multiplied */
  if (nf == 0 || nf > 4096 || nd != c->ndocs || nd + 1 > room / nf || nf * (nd + 1) + 1 > room) return -1;
  uint64_t n = nf * (nd + 1);
  const uint64_t *off = h + 2;
  uint64_t strsize = s->size - 16 - (n + 1) * 8;
  if (off[0] != 0 || off[n] != strsize) return -1;
  for (uint64_t i = 0; i < n; i++)
    if (off[i] > off[i + 1]) return -1;
  c->nfields = nf;
  c->dmoff = off;
  c->dmstr = (const char *)(off + n + 1);
  return 0;
}

size_t lx_corpus_nfields(const lx_corpus *c) { return (size_t)c->nfields; }

static const char *meta_str(const lx_corpus *c, uint64_t i, size_t *len) {
  *len = (size_t)(c->dmoff[i + 1] - c->dmoff[i]);
  return c->dmstr + c->dmoff[i];
}

const char *lx_corpus_field(const lx_corpus *c, size_t f, size_t *len) {
  if (f >= c->nfields) { *len = 0; return NULL; }
  return meta_str(c, f, len);
}

const char *lx_corpus_docmeta(const lx_corpus *c, uint32_t d, size_t f, size_t *len) {
  if (f >= c->nfields || d >= c->ndocs) { *len = 0; return NULL; }
  return meta_str(c, c->nfields * ((uint64_t)d + 1) + f, len);
}
