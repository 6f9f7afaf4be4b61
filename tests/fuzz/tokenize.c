/*
** tokenize.c: fuzzes the tokenizer (src/tokenize.c).
**
** Input: four option bytes, then the text. The options pick the kinds, case,
** normal form, hyphen and apostrophe rules, the general path, a PCRE2
** pattern from a small list, the chunk size and the token array's size.
** Checks: the tokens of the whole text equal those of the text fed in
** chunks (each chunk copied to a buffer of exactly its size, so AddressSanitizer
** sees a read past its end) the way src/textfile.c feeds them; tokens tile
** no more than the text; the counting kernel gives the same tokens; the
** text of every token can be made.
*/
#include <string.h>

#include "fuzz.h"
#include "tokenize.h"

/* Patterns with no look-behind, \b or ^: such a pattern can see what lies
** before a chunk and legitimately tokenize differently chunked. */
static const char *const patterns[] = {
  "\\w+", "[^ ]+", "\\p{L}+(?:'\\p{L}+)?", "[0-9]+|[a-z]+", "a*", "(?:ab|b)+c?", "\\X",
};
#define NPATTERNS (sizeof patterns / sizeof patterns[0])

static volatile unsigned sink;

typedef struct toks {
  lx_token *t;
  size_t n, cap;
} toks;

static void push(toks *v, const lx_token *t, size_t base) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 256;
    v->t = realloc(v->t, v->cap * sizeof *v->t);
    if (!v->t) abort();
  }
  v->t[v->n] = *t;
  v->t[v->n].start += base;
  v->n++;
}

/* The whole text in one final call, as many times as the array needs. */
static void whole(lx_tokenizer *t, const char *s, size_t n, size_t cap, toks *v) {
  lx_token *out = malloc(cap * sizeof *out);
  size_t pos = 0;
  for (;;) {
    size_t used;
    size_t k = lx_tokenize(t, s + pos, n - pos, 1, out, cap, &used);
    FZ_CHECK(used <= n - pos, "used %zu of %zu", used, n - pos);
    for (size_t i = 0; i < k; i++) {
      FZ_CHECK(out[i].start + out[i].len <= used, "token past used");
      push(v, &out[i], pos);
    }
    pos += used;
    if (pos == n) break;
    FZ_CHECK(used > 0, "a final call made no progress at %zu of %zu", pos, n);
  }
  free(out);
}

/* Chunks of `chunk` bytes: the unfinished tail is passed again with more. */
static void chunked(lx_tokenizer *t, const char *s, size_t n, size_t chunk, size_t cap, toks *v) {
  lx_token *out = malloc(cap * sizeof *out);
  size_t pos = 0, end = 0;
  while (pos < n) {
    if (end < pos + chunk) end = pos + chunk < n ? pos + chunk : n;
    size_t len = end - pos;
    char *buf = malloc(len ? len : 1);            /* exactly the window */
    memcpy(buf, s + pos, len);
    size_t used;
    int final = end == n;
    size_t k = lx_tokenize(t, buf, len, final, out, cap, &used);
    FZ_CHECK(used <= len, "used %zu of %zu", used, len);
    for (size_t i = 0; i < k; i++) {
      FZ_CHECK(out[i].start + out[i].len <= used, "token past used");
      push(v, &out[i], pos);
    }
    free(buf);
    FZ_CHECK(k == 0 || used > 0, "%zu tokens and no progress at %zu", k, pos);
    if (k == 0 && used == 0) {
      FZ_CHECK(!final, "a final call made no progress at %zu of %zu", pos, n);
      end = end + chunk < n ? end + chunk : n;    /* the token goes on: read more */
    }
    pos += used;
  }
  free(out);
}

/* The counting kernel against lx_tokenize: keys for short ASCII tokens, the
** rest as tokens, in the same order. */
static void kernel(lx_tokenizer *t, const char *s, size_t n, const toks *ref) {
  size_t kcap = 64, cap = 64, pos = 0, r = 0;
  lx_shortkey keys[64];
  lx_token out[64];
  int casing = lx_tok_opts(t)->casing;
  while (pos < n) {
    size_t nk, used;
    size_t k = lx_tok_count(t, s + pos, n - pos, 1, keys, kcap, &nk, out, cap, &used, NULL);
    FZ_CHECK(used <= n - pos, "kernel used too much");
    /* Tokens and keys interleave in the reference; walk it in order. */
    size_t ki = 0, ti = 0;
    while (ki < nk || ti < k) {
      FZ_CHECK(r < ref->n, "kernel gives more tokens than lx_tokenize");
      const lx_token *x = &ref->t[r++];
      const char *w = s + x->start;
      if (x->ascii && x->len <= LX_KEY_MAX && x->kind != LX_INVALID) {
        FZ_CHECK(ki < nk, "a short ASCII token at %zu is no key", (size_t)x->start);
        const lx_shortkey *key = &keys[ki++];
        FZ_CHECK(key->len == x->len, "key length %llu, token %u", (unsigned long long)key->len, x->len);
        char kb[16];
        memcpy(kb, key->w, 16);
        for (size_t i = 0; i < x->len; i++) {
          char c = w[i];
          if (casing != LX_CASE_KEEP && c >= 'A' && c <= 'Z') c = (char)(c + 32);
          FZ_CHECK(kb[i] == c, "key byte %zu differs", i);
        }
        for (size_t i = x->len; i < 16; i++) FZ_CHECK(kb[i] == 0, "key not zero-padded");
      } else {
        FZ_CHECK(ti < k, "kernel misses a token at %zu", (size_t)x->start);
        FZ_CHECK(out[ti].start + pos == x->start && out[ti].len == x->len && out[ti].kind == x->kind,
                 "kernel token %zu+%u differs from %zu+%u", (size_t)out[ti].start + pos,
                 out[ti].len, (size_t)x->start, x->len);
        ti++;
      }
    }
    pos += used;
    if (k < cap && nk < kcap) break;
  }
  FZ_CHECK(r == ref->n, "kernel gives %zu tokens, lx_tokenize %zu", r, ref->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input in = { data, size };
  unsigned a = fz_byte(&in), b = fz_byte(&in), c = fz_byte(&in), d = fz_byte(&in);
  lx_tokopts o;
  memset(&o, 0, sizeof o);
  o.kinds = a & LX_KINDS_ALL;                   /* 0 = all */
  o.casing = (int)(b % 3);
  o.norm = (int)(b / 3 % 3);
  o.join_hyphens = (b >> 4) & 1;
  o.split_apostrophes = (b >> 5) & 1;
  o.general = (b >> 6) & 1;
  if ((a >> 6) == 3) {
    o.pattern = patterns[(b >> 6 | (a & 4)) % NPATTERNS];
    o.patlen = strlen(o.pattern);
  }
  size_t chunk = 1 + c % 64;
  size_t cap = 1 + d % 32;
  const char *s = (const char *)in.p;
  size_t n = in.n;

  char err[256];
  lx_tokenizer *t = lx_tok_new(&o, err, sizeof err);
  FZ_CHECK(t != NULL, "lx_tok_new: %s", err);
  toks w = { 0 }, ch = { 0 };
  whole(t, s, n, 1024, &w);
  toks w2 = { 0 };
  whole(t, s, n, cap, &w2);
  chunked(t, s, n, chunk, cap, &ch);

  if (getenv("FUZZ_DEBUG")) {
    for (size_t i = 0; i < w.n; i++) fprintf(stderr, "whole %zu+%u k%d\n", (size_t)w.t[i].start, w.t[i].len, w.t[i].kind);
    for (size_t i = 0; i < ch.n; i++) fprintf(stderr, "chunk %zu+%u k%d\n", (size_t)ch.t[i].start, ch.t[i].len, ch.t[i].kind);
  }
  FZ_CHECK(w.n == w2.n, "array of %zu: %zu tokens, of 1024: %zu", cap, w2.n, w.n);
  FZ_CHECK(w.n == ch.n, "chunks of %zu: %zu tokens, whole: %zu", chunk, ch.n, w.n);
  size_t last = 0;
  for (size_t i = 0; i < w.n; i++) {
    const lx_token *x = &w.t[i], *y = &ch.t[i], *z = &w2.t[i];
    FZ_CHECK(x->start == y->start && x->len == y->len && x->kind == y->kind,
             "token %zu: whole %zu+%u kind %d, chunked %zu+%u kind %d", i, (size_t)x->start,
             x->len, x->kind, (size_t)y->start, y->len, y->kind);
    FZ_CHECK(x->start == z->start && x->len == z->len && x->kind == z->kind, "token %zu differs with a small array", i);
    FZ_CHECK(x->start >= last && x->start + x->len <= n, "token %zu out of order or past the end", i);
    FZ_CHECK(x->len > 0 || o.pattern, "empty token %zu", i);
    FZ_CHECK(o.kinds == 0 || (o.kinds & LX_KIND_BIT(x->kind)), "token %zu of a kind not kept", i);
    last = x->start + x->len;
    size_t tl;
    const char *tx = lx_tok_text(t, s + x->start, x->len, x->kind, &tl);
    FZ_CHECK(tx != NULL, "lx_tok_text failed");
    for (size_t j = 0; j < tl; j++) sink += (unsigned char)tx[j];  /* reads all of it */
  }
  if (lx_tok_countable(t)) kernel(t, s, n, &w);

  lx_tokenizer *t2 = lx_tok_clone(t);
  FZ_CHECK(t2 != NULL, "clone failed");
  lx_tok_free(t2);
  lx_tok_free(t);
  free(w.t);
  free(w2.t);
  free(ch.t);
  return 0;
}
