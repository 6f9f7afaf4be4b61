/*
** query.c: parsing queries and matching one token against a pattern.
** The index resolves a pattern against its lexicon once; the scanner of
** kwic.c memoises per type; either way this is the only matcher.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include "query.h"
#include "alloc.h"
#include "dictseg.h"
#include "tokenize.h"

char *lx_fold(const char *s, size_t len, size_t *outlen) {
  size_t n = 0;
  uint8_t *r = u8_casefold((const uint8_t *)s, len, NULL, UNINORM_NFC, NULL, &n);
  if (!r) return NULL;
  char *out = lx_malloc(n + 1);   /* our own block, NUL-terminated for PCRE2 and printing */
  if (out) { memcpy(out, r, n); out[n] = '\0'; }
  free(r);
  *outlen = n;
  return out;
}

static char *dup_bytes(const char *s, size_t len) {
  char *p = lx_malloc(len + 1);
  if (p) { memcpy(p, s, len); p[len] = '\0'; }
  return p;
}

void lx_query_free(lx_query *q) {
  if (!q) return;
  for (size_t i = 0; i < q->n; i++) {
    free(q->pos[i].text);
    if (q->pos[i].md) pcre2_match_data_free(q->pos[i].md);
    if (q->pos[i].re) pcre2_code_free(q->pos[i].re);
  }
  free(q);
}

/* A glob is a pattern with an unescaped * or ?; a literal loses its escapes. */
static int unescape_glob(char *s, size_t *len) {
  int glob = 0;
  size_t j = 0;
  for (size_t i = 0; i < *len; i++) {
    if (s[i] == '\\' && i + 1 < *len) { s[j++] = s[i++]; s[j++] = s[i]; continue; }
    if (s[i] == '*' || s[i] == '?') glob = 1;
    s[j++] = s[i];
  }
  if (glob) return 1;
  j = 0;                          /* a literal: drop the backslashes */
  for (size_t i = 0; i < *len; i++) {
    if (s[i] == '\\' && i + 1 < *len) i++;
    s[j++] = s[i];
  }
  *len = j;
  s[j] = '\0';
  return 0;
}

static int compile_re(lx_pat *p, int flags, char *err, size_t errlen) {
  int code;
  PCRE2_SIZE off;
  uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED;
  if (!(flags & LX_Q_CASE)) opts |= PCRE2_CASELESS;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)p->text, p->len, opts, &code, &off, NULL);
  if (!re) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(code, msg, sizeof msg);
    int shown = p->len > 60 ? 60 : (int)p->len;   /* a long one would push the reason out */
    snprintf(err, errlen, "bad regular expression '%.*s%s' at offset %zu: %s", shown, p->text,
             (size_t)shown < p->len ? "..." : "", (size_t)off, msg);
    return -1;
  }
  pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);   /* best effort: the interpreter is the fallback */
  p->re = re;
  p->md = pcre2_match_data_create_from_pattern(re, NULL);
  if (!p->md) { snprintf(err, errlen, "out of memory"); return -1; }
  return 0;
}

/* The next position of q; NULL with the message if q has all it can hold. */
static lx_pat *new_pos(lx_query *q, char *err, size_t errlen) {
  if (q->n < LX_QUERY_MAX) return &q->pos[q->n++];
  snprintf(err, errlen, "a query has at most %d positions", LX_QUERY_MAX);
  return NULL;
}

/* A word or glob position from w[0..n). */
static int add_plain(lx_query *q, const char *w, size_t n, int flags, char *err, size_t errlen) {
  lx_pat *p = new_pos(q, err, errlen);
  if (!p) return -1;
  p->text = (flags & LX_Q_CASE) ? dup_bytes(w, n) : lx_fold(w, n, &n);
  if (!p->text) { snprintf(err, errlen, "out of memory"); return -1; }
  p->len = n;
  p->kind = unescape_glob(p->text, &p->len) ? LX_PAT_GLOB : LX_PAT_LITERAL;
  return 0;
}

/* The bytes of the apostrophe at w[0..n) (' or U+2019), or 0. */
static size_t apostrophe_len(const char *w, size_t n) {
  if (w[0] == '\'') return 1;
  return n >= 3 && memcmp(w, "\xE2\x80\x99", 3) == 0 ? 3 : 0;
}

/* The positions of the word or glob w[0..n): one, or with LX_Q_SPLIT_APOS
** the pieces between apostrophes and each apostrophe (an escaped one, \',
** stays in its piece). */
static int add_words(lx_query *q, const char *w, size_t n, int flags, char *err, size_t errlen) {
  if (!(flags & LX_Q_SPLIT_APOS)) return add_plain(q, w, n, flags, err, errlen);
  size_t a = 0;
  for (size_t k = 0; k < n;) {
    if (w[k] == '\\' && k + 1 < n) { k += 2; continue; }
    size_t al = apostrophe_len(w + k, n - k);
    if (!al) { k++; continue; }
    if (k > a && add_plain(q, w + a, k - a, flags, err, errlen)) return -1;
    if (add_plain(q, w + k, al, flags, err, errlen)) return -1;
    a = k += al;
  }
  return a < n ? add_plain(q, w + a, n - a, flags, err, errlen) : 0;
}

int lx_query_dict_word(const char *w, size_t n) {
  if (memchr(w, '*', n) || memchr(w, '?', n) || memchr(w, '\\', n)) return 0;
  const uint8_t *s = (const uint8_t *)w;
  for (size_t k = 0; k < n;) {
    ucs4_t cp;
    k += (size_t)u8_mbtouc(&cp, s + k, n - k);
    if (lx_dict_script(cp)) return 1;
  }
  return 0;
}

/* A literal word in a script written without spaces: its words, each a
** position, as the tokenizer cuts the text (東京に: 東京 に; without the
** dictionaries, as UAX #29 does: 東 京 に). */
static int add_dict_words(lx_query *q, const char *w, size_t n, int flags, char *err,
                          size_t errlen) {
  lx_tokopts o;
  memset(&o, 0, sizeof o);
  o.kinds = LX_KINDS_ALL & ~LX_KIND_BIT(LX_SPACE);
  o.split_apostrophes = (flags & LX_Q_SPLIT_APOS) != 0;
  o.no_dictionary = (flags & LX_Q_NO_DICT) != 0;
  lx_tokenizer *t = lx_tok_new(&o, err, errlen);
  if (!t) return -1;
  lx_token tok[LX_QUERY_MAX + 1];
  size_t used, k = lx_tokenize(t, w, n, 1, tok, LX_QUERY_MAX + 1, &used);
  lx_tok_free(t);
  int rc = 0;
  for (size_t i = 0; i < k && !rc; i++) rc = add_words(q, w + tok[i].start, tok[i].len, flags, err, errlen);
  return rc;
}

lx_query *lx_query_parse(const char *s, size_t len, int flags, char *err, size_t errlen) {
  lx_query *q = lx_calloc(1, sizeof *q);
  if (!q) { snprintf(err, errlen, "out of memory"); return NULL; }
  q->flags = flags;
  size_t i = 0;
  while (i < len) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    if (i == len) break;
    size_t b = i;
    if (s[i] == '/' && !(flags & LX_Q_REGEX)) {   /* /re/ may hold spaces */
      size_t e = i + 1;
      while (e < len && s[e] != '/') e += (s[e] == '\\' && e + 1 < len) ? 2 : 1;
      if (e < len && e > i + 1) i = e + 1;
    }
    while (i < len && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    const char *w = s + b;
    size_t n = i - b;
    int re = (flags & LX_Q_REGEX) != 0;
    if (!re && n >= 3 && w[0] == '/' && w[n - 1] == '/') { re = 1; w++; n -= 2; }
    if (!re) {
      int dict = lx_query_dict_word(w, n);
      if ((dict ? add_dict_words : add_words)(q, w, n, flags, err, errlen)) goto fail;
      continue;
    }
    lx_pat *p = new_pos(q, err, errlen);
    if (!p) goto fail;
    p->kind = LX_PAT_REGEX;
    p->text = dup_bytes(w, n);
    p->len = n;
    if (!p->text) { snprintf(err, errlen, "out of memory"); goto fail; }
    if (compile_re(p, flags, err, errlen)) goto fail;
  }
  if (q->n == 0) { snprintf(err, errlen, "empty query"); goto fail; }
  return q;
fail:
  lx_query_free(q);
  return NULL;
}

/* The length of the UTF-8 character at s[0..n): 1 for a stray byte. */
static size_t char_len(const unsigned char *s, size_t n) {
  size_t k = *s < 0xC0 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
  if (k > n) return 1;
  for (size_t i = 1; i < k; i++) if ((s[i] & 0xC0) != 0x80) return 1;
  return k;
}

/*
** Glob matching with one backtrack point (the last *): linear for patterns
** without *, and O(n*m) at worst, which a token's length keeps small.
*/
static int glob_match(const char *pat, size_t pn, const char *str, size_t sn) {
  const unsigned char *p = (const unsigned char *)pat, *s = (const unsigned char *)str;
  size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
  while (j < sn) {
    if (i < pn && p[i] == '*') { star = ++i; mark = j; continue; }
    if (i < pn && p[i] == '?') { i++; j += char_len(s + j, sn - j); continue; }
    if (i < pn) {
      size_t pi = i;
      if (p[pi] == '\\' && pi + 1 < pn) pi++;
      if (p[pi] == s[j]) { i = pi + 1; j++; continue; }
    }
    if (star == (size_t)-1) return 0;
    mark += char_len(s + mark, sn - mark);   /* let the * eat one more character */
    j = mark;
    i = star;
  }
  while (i < pn && p[i] == '*') i++;
  return i == pn;
}

int lx_pat_match(const lx_pat *p, const char *t, size_t n) {
  switch (p->kind) {
  case LX_PAT_LITERAL:
    return n == p->len && memcmp(t, p->text, n) == 0;
  case LX_PAT_GLOB:
    return glob_match(p->text, p->len, t, n);
  default: {
    int rc = pcre2_match(p->re, (PCRE2_SPTR)t, n, 0, 0, p->md, NULL);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
  }
  }
}

void lx_regex_failure(int rc, const char *pat, size_t patlen, char *buf, size_t len) {
  char why[160];
  switch (rc) {
  case PCRE2_ERROR_MATCHLIMIT: snprintf(why, sizeof why, "hit PCRE2's match limit"); break;
  case PCRE2_ERROR_DEPTHLIMIT: snprintf(why, sizeof why, "hit PCRE2's depth limit"); break;
  case PCRE2_ERROR_HEAPLIMIT: snprintf(why, sizeof why, "hit PCRE2's heap limit"); break;
  case PCRE2_ERROR_JIT_STACKLIMIT: snprintf(why, sizeof why, "ran out of PCRE2's JIT stack"); break;
  default: {
    PCRE2_UCHAR m[120];
    if (pcre2_get_error_message(rc, m, sizeof m) < 0) snprintf((char *)m, sizeof m, "error %d", rc);
    snprintf(why, sizeof why, "failed in PCRE2 (%s)", (const char *)m);
  }
  }
  /* a long pattern is cut as a bad one is (60 bytes), so the reason stays */
  int cut = patlen > 60;
  snprintf(buf, len, "pattern '%.*s%s' %s", (int)(cut ? 60 : patlen), pat, cut ? "..." : "", why);
}

void lx_word_failure(const lx_query *q, size_t i, int rc, const char *w, size_t wlen, char *buf, size_t len) {
  char msg[160];
  lx_regex_failure(rc, q->pos[i].text, q->pos[i].len, msg, sizeof msg);
  snprintf(buf, len, "%s on the word '%.*s'", msg, (int)(wlen > 60 ? 60 : wlen), w);
}

int lx_query_word(const lx_query *q, size_t i, const char *w, size_t n) {
  const lx_pat *p = &q->pos[i];
  if (q->flags & LX_Q_CASE) return lx_pat_match(p, w, n);
  /* ASCII words (most of them) fold by byte on the stack */
  char buf[128];
  int ascii = n <= sizeof buf;
  for (size_t k = 0; k < n && ascii; k++) ascii = (unsigned char)w[k] < 0x80;
  if (ascii) {
    for (size_t k = 0; k < n; k++) buf[k] = (char)((w[k] >= 'A' && w[k] <= 'Z') ? w[k] + 32 : w[k]);
    return lx_pat_match(p, buf, n);
  }
  size_t fn;
  char *f = lx_fold(w, n, &fn);
  if (!f) return -1;
  int r = lx_pat_match(p, f, fn);
  free(f);
  return r;
}

lx_query *lx_query_clone(const lx_query *q) {
  lx_query *r = lx_calloc(1, sizeof *r);
  if (!r) return NULL;
  r->flags = q->flags;
  for (size_t i = 0; i < q->n; i++) {
    const lx_pat *p = &q->pos[i];
    lx_pat *d = &r->pos[r->n++];
    d->kind = p->kind;
    d->len = p->len;
    d->text = dup_bytes(p->text, p->len);
    if (!d->text) goto fail;
    if (p->re) {
      d->re = pcre2_code_copy(p->re);
      if (!d->re) goto fail;
      pcre2_jit_compile(d->re, PCRE2_JIT_COMPLETE);
      d->md = pcre2_match_data_create_from_pattern(d->re, NULL);
      if (!d->md) goto fail;
    }
  }
  return r;
fail:
  lx_query_free(r);
  return NULL;
}
