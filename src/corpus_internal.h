/*
** corpus_internal.h: what the four files of the corpus core share, and no
** one else sees: the sections of an index file, the builder and the corpus
** as structs, the check every read of a mapped section goes through, and
** the few functions one file lends another. corpus.h is the contract.
**
**   corpus_build.c    documents into a builder: tokens, sentences, two
**                     threads per big file, documents copied from an old index
**   corpus_finish.c   a builder into an index: postings, checkpoints, hash,
**                     ranks; in memory or written to a file as they are made
**   corpus_read.c     opening an index and checking its sections, verify,
**                     staleness, the counts
**   corpus_query.c    queries, the hits' keys and bytes, raw access
**   corpus_annot.c    annotated files (.vrt, .conllu) into a builder, and
**                     their attributes into the sections ATTRS and ADATA
**   corpus_attrs.c    those sections read back, and the CQL evaluator's
**                     view (cqlview.h) of any index
**   corpus_meta.c     a plain-text index's document metadata (S_DMETA)
**   corpus_text.c     the documents' text kept in the index (S_TEXT): written
**                     in zstd blocks, read a block at a time
** Pure C: no Lua here.
*/
#ifndef LEXIS_CORPUS_INTERNAL_H
#define LEXIS_CORPUS_INTERNAL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "corpus.h"
#include "index.h"
#include "lexicon.h"
#include "tokenize.h"

/* What one file of the core lends another: hidden, so lexis.so does not
** export it and the compiler may inline it as it did a static function
** (-fPIC makes an exported one interposable). */
#define LX_CORPUS_PRIVATE __attribute__((visibility("hidden")))

/* The sections of an index file, in file order. */
enum {
  S_META,      /* u64[8]: tokens, documents, types, folded types, hash slots, block shift,
               ** LX_CORPUS_* options (0 before there were any), 1 if annotated else 0 */
  S_DOCS,      /* lx_docrec per document */
  S_NAMES,     /* document paths, each NUL-terminated */
  S_LEXOFF,    /* u64[types + 1]: exact form i is LEX[off[i] .. off[i+1]) */
  S_LEX,       /* exact forms, back to back */
  S_FOLD,      /* u32[types]: the folded type of each exact form */
  S_FLEXOFF,   /* u64[folded types + 1] */
  S_FLEX,      /* folded forms, back to back */
  S_FRANK,     /* u32[folded types]: place in byte order, for sorting */
  S_FHASH,     /* u32[slots]: folded id + 1 by XXH3, linear probing */
  S_POSTOFF,   /* u64[folded types + 1]: each type's postings in POST */
  S_FREQ,      /* u64[folded types]: occurrences */
  S_POST,      /* positions, delta-coded varints, per folded type */
  S_IDS,       /* u32[tokens]: exact form id of each token */
  S_BLOCKS,    /* per 64 tokens: u64 first token's byte offset, u64 offset in TOKOFF */
  S_TOKOFF,    /* per token: varint(len << 2 | min(gap, 3)), varint(gap - 3) if gap >= 3 */
  S_XRANK,     /* u32[types]: the sort rank of each exact form's folded type */
  S_SENTS,     /* where sentences start: u64 count, u64 blocks, per 64 a checkpoint
               ** { u64 position, u64 offset }, then delta varints; empty if not split */
  S_ATTRS,     /* the directory of the attributes beyond word (corpus_annot.c); empty
               ** for a plain-text index */
  S_ADATA,     /* their lexicons, ids, postings, regions and values, in parts */
  S_DMETA,     /* document metadata (lexis index --meta, corpus_meta.c): u64 fields,
               ** u64 documents, u64 offsets[fields * (documents + 1) + 1] into the
               ** strings that follow (the field names, then each document's values);
               ** empty without metadata, and absent from a version 4 file */
  S_TEXT,      /* the documents' text (lexis index --store-text, corpus_text.c), back to
               ** back, in zstd frames of TEXT_BLOCK bytes each: the frames, then u64
               ** offsets[blocks + 1] of each frame in the section, then u64 text bytes,
               ** u64 block size, u64 blocks, u64 zstd level; empty when the text is not
               ** stored, absent before version 6 */
  NSEC
};

/* The sections a file of each older version has (the later ones read empty). */
#define NSEC_V4 (S_DMETA)
#define NSEC_V5 (S_TEXT)

#define BSHIFT 6                       /* 64 tokens per offset block */
#define BSIZE (1u << BSHIFT)

/* ---------------------------------------------------------------- buffers */

typedef struct gbuf {
  unsigned char *p;
  size_t n, cap;
} gbuf;

static inline int gb_reserve(gbuf *g, size_t more) {
  if (g->n + more <= g->cap) return 0;
  size_t cap = g->cap ? g->cap : 4096;
  while (cap < g->n + more) cap *= 2;
  unsigned char *p = lx_realloc(g->p, cap);
  if (!p) return -1;
  g->p = p;
  g->cap = cap;
  return 0;
}

static inline void gb_free(gbuf *g) {
  free(g->p);
  memset(g, 0, sizeof *g);
}

static inline int gb_put(gbuf *g, const void *s, size_t n) {
  if (gb_reserve(g, n)) return -1;
  memcpy(g->p + g->n, s, n);
  g->n += n;
  return 0;
}

/* ---------------------------------------------------------------- builder */

#define CACHE_BITS 16                  /* 64K entries of a short-token cache */

/* Bytes s[0..len) (len <= 16) as two integers, zero beyond len; `end` is
** where s's buffer ends: 16 bytes can be read from s when it is that far. */
static inline void short_key(const char *s, uint32_t len, const char *end, uint64_t key[2]) {
  key[0] = key[1] = 0;
  if (end - s >= 16) {
    uint64_t a, z;
    memcpy(&a, s, 8);
    memcpy(&z, s + 8, 8);
    if (len < 8) { key[0] = a & ((1ULL << (8 * len)) - 1); return; }
    key[0] = a;
    key[1] = len < 16 ? z & ((1ULL << (8 * (len - 8))) - 1) : z;
    return;
  }
  memcpy(key, s, len);
}

static inline size_t cache_slot(const uint64_t key[2], uint32_t len) {
  return ((key[0] ^ (key[1] * 0xFF51AFD7ED558CCDULL) ^ len) * 0x9E3779B97F4A7C15ULL) >> (64 - CACHE_BITS);
}



typedef struct lx_annot lx_annot;      /* corpus_annot.c: attributes being built */

struct lx_builder {
  lx_tokenizer *t;        /* folds case (NFC) for the folded lexicon */
  lx_lex lex, flex;       /* exact and folded forms */
  gbuf fold;              /* u32 per exact form */
  gbuf ids;               /* u32 per token */
  gbuf blocks;            /* u64 pairs per 64 tokens */
  gbuf tokoff;            /* varints per token */
  gbuf docs;              /* lx_docrec */
  gbuf names;             /* paths */
  uint64_t ntok, bytes;
  uint64_t prev_end;      /* end of the previous token of this document */
  const lx_splitter *sp;  /* sentences: where each starts goes to `sents`; or NULL */
  gbuf sents;             /* u64 token position per sentence start */
  gbuf senc;              /* the same, encoded for the index by finish */
  uint64_t rsrc;          /* the serial of the index documents are copied from, or 0 */
  uint32_t *rmap;         /* its exact form ids: ours + 1, or 0 if not met yet */
  size_t doc_tokoff;      /* where this document's token offsets begin in tokoff */
  struct small { uint64_t key[2]; uint32_t len, id; } *cache;  /* short tokens' ids, see add_token */
  lx_progress *progress;  /* bytes tokenized go here too; or NULL */
  unsigned opts;          /* LX_CORPUS_*: how the tokenizer cuts words */
  lx_annot *ann;          /* annotated input's other attributes, or NULL (plain text) */
  gbuf adir, adata;       /* S_ATTRS and S_ADATA, when made in memory */
  gbuf dmeta;             /* S_DMETA, encoded by lx_builder_set_meta; or empty */
  struct lx_store *store; /* the text being kept (S_TEXT, corpus_text.c), or NULL */
  lx_section tsec;        /* S_TEXT once made (its bytes are the store's) */
  /* made by finish */
  uint64_t meta[8];
  uint32_t *frank, *fhash, *xrank;
  uint64_t *postoff, *freq;
  unsigned char *post;
  uint64_t postlen, nslots;
};

/* The XXH3 of a whole file, read in 1 MB chunks (the page cache has it):
** run by the builder on its second core, and by the staleness check. */
typedef struct lx_hashjob {
  int fd;
  uint64_t size, hash;
  int rc;
} lx_hashjob;
LX_CORPUS_PRIVATE void *lx_hashjob_run(void *arg);

/* ---------------------------------------------------------------- corpus */

/* A positional attribute beyond word, as read from S_ATTRS: every pointer
** is into S_ADATA, its extent checked at open, its bytes as they are read. */
typedef struct lx_apattr {
  const char *name;
  uint32_t nlex;                 /* lexicon size */
  const uint64_t *lexoff;        /* u64[nlex + 1] into lex */
  const char *lex;
  uint64_t lexsize;
  const uint32_t *hash;          /* u32[nslots]: id + 1 by lx_hash, linear probing */
  uint64_t nslots;               /* a power of two */
  const unsigned char *ids;      /* width bytes a token */
  unsigned width;                /* 1, 2 or 4 */
  const uint64_t *postoff;       /* u64[nlex + 1] into post */
  const unsigned char *post;     /* delta varints per id, the first coded whole */
  uint64_t postsize;
  const uint64_t *freq;          /* u64[nlex] */
} lx_apattr;

/* A structural attribute: its regions (maybe shared with the attribute it
** annotates: text_year has text's) and, when it has values, their strings. */
typedef struct lx_asattr {
  const char *name;
  uint64_t nreg;
  const uint64_t *reg;           /* u64[2 * nreg]: start, end, sorted, not overlapping */
  int has_values;
  uint32_t nvals;
  const uint64_t *voff;          /* u64[nvals + 1] into vlex */
  const char *vlex;
  uint64_t vsize;
  const uint32_t *vids;          /* u32[nreg] */
} lx_asattr;

struct lx_corpus {
  lx_file file;               /* the mapping, when opened from a file */
  lx_builder *b;              /* the memory, when built here */
  char *path;                 /* the index file, for messages; or NULL */
  lx_section sec[NSEC];
  uint64_t ntok, ndocs, ntypes, nftypes, nslots, nblocks, nsents, nsblocks;
  const uint64_t *sblocks;         /* checkpoints of the sentence starts */
  const unsigned char *sdelta, *send;
  const lx_docrec *docs;
  const char *names;
  const uint64_t *lexoff, *flexoff, *postoff, *freq, *blocks;
  const char *lex, *flex;
  const uint32_t *fold, *frank, *fhash, *ids, *xrank;
  const unsigned char *post, *tokoff;
  /* memory of a mapped index in use (see hold) */
  const char *held[16];       /* the last regions touched, or NULL */
  unsigned next;              /* the slot to reuse */
  uint64_t filled;            /* hits filled one at a time, for corpus_trim */
  uint64_t serial;            /* distinct for every corpus made, from 1 */
  unsigned opts;              /* LX_CORPUS_*, from meta */
  int annotated;              /* from .vrt or .conllu: no token offsets, no source text */
  lx_apattr *pa;              /* the positional attributes beyond word */
  lx_asattr *sa;              /* the structural attributes */
  size_t npa, nsa;
  uint64_t nfields;           /* document metadata: fields (0: none), */
  const uint64_t *dmoff;      /* their offsets into dmstr (checked at open), */
  const char *dmstr;          /* names, then each document's values */
  /* the stored text (S_TEXT), when tblocks > 0 (corpus_text.c) */
  uint64_t tbytes, tblock, tblocks, ttable;   /* ttable: where the offsets start */
  const uint64_t *toff;       /* u64[tblocks + 1]: each frame's offset in the section */
  uint64_t *tdoc;             /* per document, where its text starts (malloced) */
  struct lx_tcache *tcache;   /* a few decoded blocks, for reads outside a concordance */
};

/*
** Whether n bytes at p, in section sec of a mapped index, are as they were
** written (lx_file_check: each 128-byte block is hashed the first time it
** is touched). Every read of a section that was not checked whole at open
** goes through it, so damage anywhere ends in an error, never in a wrong
** answer. A corpus built here is always sound.
*/
#define SOUND(c, si, p, n) \
  (lx_file_check(&(c)->file, (si), (uint64_t)((const char *)(p) - (const char *)(c)->sec[si].data), (n)) == 0)
#define DAMAGED (UINT32_MAX - 1)        /* not an id: ids stay below UINT32_MAX - 1 */

/* Checks the bytes a decoder reading forward from p is about to read (up to
** `need`, within [p, e)), once p passes *ok, the end of what was checked. */
static inline int sound_ahead(const lx_corpus *c, int sec, const unsigned char *p,
                              const unsigned char *e, size_t need, const unsigned char **ok) {
  if (p + need <= *ok || p >= e) return 1;
  const unsigned char *z = (size_t)(e - p) < need ? e : p + need;
  const unsigned char *from = p > *ok ? p : *ok;
  if (!SOUND(c, sec, from, (uint64_t)(z - from))) return 0;
  *ok = z;
  return 1;
}

/* A folded form by id, or NULL if the offsets are damaged. */
static inline const char *fstr(const lx_corpus *c, uint64_t f, size_t *len) {
  if (!SOUND(c, S_FLEXOFF, &c->flexoff[f], 16)) return NULL;
  uint64_t a = c->flexoff[f], b = c->flexoff[f + 1];
  if (a > b || b > c->sec[S_FLEX].size || !SOUND(c, S_FLEX, c->flex + a, b - a)) return NULL;
  *len = (size_t)(b - a);
  return c->flex + a;
}

/* An exact form by id, likewise. */
static inline const char *xstr(const lx_corpus *c, uint64_t id, size_t *len) {
  if (!SOUND(c, S_LEXOFF, &c->lexoff[id], 16)) return NULL;
  uint64_t a = c->lexoff[id], b = c->lexoff[id + 1];
  if (a > b || b > c->sec[S_LEX].size || !SOUND(c, S_LEX, c->lex + a, b - a)) return NULL;
  *len = (size_t)(b - a);
  return c->lex + a;
}

/* A fresh serial for a corpus (a builder that copies from one keeps its
** serial, not its address, which a later corpus could reuse). */
LX_CORPUS_PRIVATE uint64_t lx_corpus_next_serial(void);
/* Points c's fields into its sections and checks what can be checked
** without reading the big ones. 0, or -1 with "path: damaged (...)". */
LX_CORPUS_PRIVATE int lx_corpus_bind(lx_corpus *c, char *err, size_t errlen);
/* Sentence i's first token; how many sentences start at or before token
** p. UINT64_MAX if the sentence section is damaged. */
LX_CORPUS_PRIVATE uint64_t lx_corpus_sent_at(const lx_corpus *c, uint64_t i);
LX_CORPUS_PRIVATE uint64_t lx_corpus_sents_upto(const lx_corpus *c, uint64_t p);
/* The annotation's tables (hash, postings: lx_annot_tables, or else by
** lx_annot_make), then its sections into the builder's gbufs or the
** writer w (corpus_annot.c); 0 or -1 out of memory. lx_annot_free is
** NULL-safe. */
LX_CORPUS_PRIVATE int lx_builder_mixed(const char *path, char *err, size_t errlen);
LX_CORPUS_PRIVATE int lx_annot_tables(lx_builder *b);
LX_CORPUS_PRIVATE int lx_annot_make(lx_builder *b, lx_writer *w);
LX_CORPUS_PRIVATE void lx_annot_free(lx_annot *a);
/* Reads S_ATTRS into c->pa, c->sa (corpus_attrs.c); 0, or -1 with the name
** of what is damaged in *why. lx_attrs_free undoes it. */
LX_CORPUS_PRIVATE int lx_attrs_bind(lx_corpus *c, const char **why);
LX_CORPUS_PRIVATE void lx_attrs_free(lx_corpus *c);
/* Checks S_DMETA (read whole at open) and points c->dmoff, c->dmstr into
** it; 0, or -1 (the section is damaged). */
LX_CORPUS_PRIVATE int lx_meta_bind(lx_corpus *c);
/* The stored text (corpus_text.c). lx_store_new starts keeping the text of
** the documents added; lx_store_put adds bytes of it, lx_store_fd the bytes
** [0, size) of a file; lx_store_end makes the section (its bytes stay the
** store's, freed by lx_store_free, which is NULL-safe). 0, or -1 out of
** memory (or, for lx_store_fd, a read error: errno). */
LX_CORPUS_PRIVATE struct lx_store *lx_store_new(int level);
LX_CORPUS_PRIVATE int lx_store_put(struct lx_store *s, const char *p, size_t n);
LX_CORPUS_PRIVATE int lx_store_fd(struct lx_store *s, int fd, uint64_t size);
LX_CORPUS_PRIVATE int lx_store_end(struct lx_store *s, lx_section *sec);
LX_CORPUS_PRIVATE void lx_store_free(struct lx_store *s);
/* Checks S_TEXT against the documents and points c's fields into it; 0,
** or -1 (damaged; ENOMEM in errno when out of memory). lx_text_free undoes it. */
LX_CORPUS_PRIVATE int lx_text_bind(lx_corpus *c);
LX_CORPUS_PRIVATE void lx_text_free(lx_corpus *c);
/* Bytes [at, at + n) of document d's stored text into out: 0, -1 out of
** memory, -2 damaged. */
LX_CORPUS_PRIVATE int lx_text_read(const lx_corpus *c, uint32_t d, uint64_t at, uint64_t n, char *out);
/* The concordance's hooks for a stored text (lx_conc_source text, need). */
LX_CORPUS_PRIVATE int lx_text_open(const lx_corpus *c, uint32_t d, lx_cdoc *doc, char *err, size_t errlen);
LX_CORPUS_PRIVATE int lx_text_need(void *ctx, uint32_t d, lx_cdoc *doc, uint64_t a, uint64_t b);

#endif
