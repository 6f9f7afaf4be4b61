/*
** query.c: fuzzes the query parser and matcher (src/query.c).
**
** Input: one flag byte (case, regex), then the query up to the first
** newline, then tokens, one a line. Checks: parsing never crashes and a
** failure says why (a bad regex with its offset); every pattern has text;
** a glob or literal matches a token exactly when a plain recursive matcher
** says so; a clone of the query matches the same.
*/
#include <string.h>

#include "fuzz.h"
#include "query.h"

/* The length of the UTF-8 character at s[0..n), 1 for a stray byte: as query.c. */
static size_t clen(const unsigned char *s, size_t n) {
  size_t k = *s < 0xC0 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
  if (k > n) return 1;
  for (size_t i = 1; i < k; i++) if ((s[i] & 0xC0) != 0x80) return 1;
  return k;
}

/* 1 if every byte >= 0x80 is in a sequence clen takes whole. Only then do
** byte-wise literals and character-wise * and ? agree on where characters
** are, and the reference below is the meaning of the glob. */
static int whole_chars(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t k = clen(s + i, n - i);
    if (s[i] >= 0x80 && k == 1) return 0;
    i += k;
  }
  return 1;
}

/* The meaning of a glob, memoised: memo[i][j] is 0 unknown, 1 no, 2 yes. */
enum { MAXLEN = 64 };
static int ref_glob(const unsigned char *p, size_t pn, size_t i, const unsigned char *s, size_t sn,
                    size_t j, unsigned char memo[MAXLEN + 1][MAXLEN + 1]) {
  if (memo[i][j]) return memo[i][j] - 1;
  int r;
  if (i == pn) r = j == sn;
  else if (p[i] == '*')
    r = ref_glob(p, pn, i + 1, s, sn, j, memo) ||
        (j < sn && ref_glob(p, pn, i, s, sn, j + clen(s + j, sn - j), memo));
  else if (p[i] == '?') r = j < sn && ref_glob(p, pn, i + 1, s, sn, j + clen(s + j, sn - j), memo);
  else {
    size_t k = p[i] == '\\' && i + 1 < pn ? i + 1 : i;
    r = j < sn && s[j] == p[k] && ref_glob(p, pn, k + 1, s, sn, j + 1, memo);
  }
  memo[i][j] = (unsigned char)(r + 1);
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input in = { data, size };
  unsigned a = fz_byte(&in);
  int flags = (int)(a & (LX_Q_CASE | LX_Q_REGEX | LX_Q_SPLIT_APOS));
  const char *s = (const char *)in.p, *e = s + in.n;
  const char *nl = memchr(s, '\n', in.n);
  size_t qlen = nl ? (size_t)(nl - s) : in.n;
  char err[256];
  err[0] = '\0';
  lx_query *q = lx_query_parse(s, qlen, flags, err, sizeof err);
  if (!q) {
    FZ_CHECK(err[0] != '\0', "a failed parse says nothing");
    if (strstr(err, "regular expression"))
      FZ_CHECK(strstr(err, "offset") != NULL, "a bad regex without its offset: %s", err);
    return 0;
  }
  FZ_CHECK(q->n >= 1 && q->n <= LX_QUERY_MAX, "%zu positions", q->n);
  lx_query *c = lx_query_clone(q);
  FZ_CHECK(c != NULL && c->n == q->n, "clone");
  const char *t = nl ? nl + 1 : e;
  while (t < e) {
    const char *te = memchr(t, '\n', (size_t)(e - t));
    if (!te) te = e;
    size_t tn = (size_t)(te - t);
    char *tok = malloc(tn ? tn : 1);           /* exactly its size, no NUL after it */
    memcpy(tok, t, tn);
    for (size_t i = 0; i < q->n; i++) {
      const lx_pat *p = &q->pos[i];
      FZ_CHECK(p->text != NULL, "position %zu without text", i);
      int m = lx_pat_match(p, tok, tn);
      FZ_CHECK(m == lx_pat_match(&c->pos[i], tok, tn), "the clone matches differently");
      if (p->kind == LX_PAT_LITERAL)
        FZ_CHECK(m == (p->len == tn && memcmp(p->text, tok, tn) == 0), "literal match");
      else if (p->kind == LX_PAT_GLOB && p->len <= MAXLEN && tn <= MAXLEN &&
               whole_chars((const unsigned char *)p->text, p->len) &&
               whole_chars((const unsigned char *)tok, tn)) {
        static unsigned char memo[MAXLEN + 1][MAXLEN + 1];
        memset(memo, 0, sizeof memo);
        int r = ref_glob((const unsigned char *)p->text, p->len, 0, (const unsigned char *)tok, tn, 0, memo);
        FZ_CHECK(m == r, "glob '%.*s' on '%.*s': %d, expected %d", (int)p->len, p->text, (int)tn, tok, m, r);
      }
    }
    free(tok);
    t = te + 1;
  }
  size_t fl;
  char *f = lx_fold(s, qlen, &fl);
  FZ_CHECK(f != NULL, "fold");
  free(f);
  lx_query_free(c);
  lx_query_free(q);
  return 0;
}
