/*
** cql.c: fuzzes the CQL parser and compiler (src/cql.h).
**
** Input: the query up to the first newline, then an abstract text of up
** to 16 positions, three bytes each: the token tests (by index) the token
** passes, the open tags and the close tags (by index) that hold there.
** Checks: a failed parse says where and why ("cql: L:C: ..."); the
** canonical form parses again to itself and compiles to as many states;
** the NFA's longest match from position 0 is the one a direct reading of
** the AST finds (sets of end positions, no automaton); the nullable flag
** agrees with that reading on the empty text.
*/
#include <string.h>

#include "cql.h"
#include "fuzz.h"

enum { MAXPOS = 16 };

typedef struct text {
  size_t n;
  uint64_t pass[MAXPOS], opens[MAXPOS + 1], closes[MAXPOS + 1];
} text;

static int has(const uint64_t *m, size_t i, int index) {
  return index >= 0 && index < 64 && ((m[i] >> index) & 1);
}

/* The positions where n can end, starting at any position in from (bit i:
** position i). */
static uint32_t ends(const cql_node *n, uint32_t from, const text *t) {
  uint32_t to = 0;
  switch (n->kind) {
  case CQL_N_TOKEN:
    for (size_t i = 0; i < t->n; i++)
      if ((from >> i & 1) && has(t->pass, i, n->index)) to |= 1u << (i + 1);
    return to;
  case CQL_N_OPEN:
  case CQL_N_CLOSE:
    for (size_t i = 0; i <= t->n; i++)
      if ((from >> i & 1) && has(n->kind == CQL_N_OPEN ? t->opens : t->closes, i, n->index)) to |= 1u << i;
    return to;
  case CQL_N_SEQ:
    for (size_t k = 0; k < n->nkids && from; k++) from = ends(n->kids[k], from, t);
    return from;
  case CQL_N_ALT:
    for (size_t k = 0; k < n->nkids; k++) to |= ends(n->kids[k], from, t);
    return to;
  case CQL_N_REPEAT: {
    uint32_t cur = from;
    for (int k = 0; k < n->min && cur; k++) {
      uint32_t next = ends(n->kids[0], cur, t);
      if (next == cur) break;   /* a fixed point: more copies change nothing */
      cur = next;
    }
    to = cur;
    for (int k = n->min; (n->max < 0 || k < n->max) && cur; k++) {
      uint32_t next = ends(n->kids[0], cur, t);
      if ((next | to) == to && n->max < 0) break;
      if (next == cur) break;
      to |= next;
      cur = next;
    }
    return to;
  }
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  const char *nl = memchr(s, '\n', size);
  size_t qlen = nl ? (size_t)(nl - s) : size;
  char err[256];
  cql_query *q = cql_parse(s, qlen, err, sizeof err);
  if (!q) {
    size_t line, col;
    FZ_CHECK(sscanf(err, "cql: %zu:%zu: ", &line, &col) == 2 || strcmp(err, "cql: out of memory") == 0 ||
             strncmp(err, "cql: the query is", 17) == 0, "a failure without its place: %s", err);
    return 0;
  }
  size_t flen, flen2;
  char *f = cql_format(q, &flen);
  FZ_CHECK(f != NULL, "format");
  FZ_CHECK(strlen(f) == flen, "format length");
  cql_query *q2 = cql_parse(f, flen, err, sizeof err);
  FZ_CHECK(q2 != NULL, "the canonical form '%s' does not parse: %s", f, err);
  char *f2 = cql_format(q2, &flen2);
  FZ_CHECK(f2 && flen2 == flen && memcmp(f, f2, flen) == 0, "not canonical: '%s' then '%s'", f, f2);
  cql_program *p = cql_compile(q, err, sizeof err);
  cql_program *p2 = cql_compile(q2, err, sizeof err);
  FZ_CHECK((p == NULL) == (p2 == NULL), "the canonical form compiles differently: '%s'", f);
  if (p) {
    FZ_CHECK(p->nstates == p2->nstates, "%zu states, %zu for the canonical form", p->nstates, p2->nstates);
    FZ_CHECK(p->start >= 0 && (size_t)p->start < p->nstates, "start %d", p->start);
    for (size_t i = 0; i < p->nstates; i++) {
      const cql_state *st = &p->states[i];
      FZ_CHECK(st->out >= -1 && st->out < (int)p->nstates && st->out1 >= -1 && st->out1 < (int)p->nstates,
               "edge out of range");
      FZ_CHECK((st->out >= 0) == (st->kind != CQL_S_ACCEPT), "state %zu kind %d: out %d", i, st->kind, st->out);
      FZ_CHECK((st->out1 >= 0) == (st->kind == CQL_S_SPLIT), "state %zu: out1 %d", i, st->out1);
    }
    char *d = cql_program_dump(p, NULL);
    FZ_CHECK(d != NULL, "dump");
    free(d);

    /* the empty text with every assertion true: nullable */
    text t;
    memset(&t, 0, sizeof t);
    t.opens[0] = t.closes[0] = ~(uint64_t)0;
    size_t end;
    int r = cql_program_longest(p, t.pass, t.opens, t.closes, 0, &end);
    FZ_CHECK(r == p->nullable, "nullable %d, the walk says %d", p->nullable, r);
    FZ_CHECK(((ends(q->root, 1, &t) & 1) != 0) == p->nullable, "nullable %d, the AST says otherwise", p->nullable);

    /* the text after the query */
    if (nl) {
      const uint8_t *b = (const uint8_t *)nl + 1;
      size_t left = size - qlen - 1;
      memset(&t, 0, sizeof t);
      while (left >= 3 && t.n < MAXPOS) {
        t.pass[t.n] = b[0];
        t.opens[t.n] = b[1];
        t.closes[t.n] = b[2];
        t.n++;
        b += 3;
        left -= 3;
      }
      if (left >= 2) t.opens[t.n] = b[0], t.closes[t.n] = b[1];
      r = cql_program_longest(p, t.pass, t.opens, t.closes, t.n, &end);
      uint32_t e = ends(q->root, 1, &t);
      int want = e != 0;
      size_t want_end = 0;
      for (size_t i = 0; i <= t.n; i++)
        if (e >> i & 1) want_end = i;
      FZ_CHECK(r == want, "'%s': the walk says %d, the AST %d", f, r, want);
      if (r) FZ_CHECK(end == want_end, "'%s': the walk ends at %zu, the AST at %zu", f, end, want_end);
    }
  }
  cql_program_free(p);
  cql_program_free(p2);
  free(f);
  free(f2);
  cql_free(q2);
  cql_free(q);
  return 0;
}
