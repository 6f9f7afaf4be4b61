/*
** cql_nfa.c: the Thompson construction of a parsed CQL query (src/cql.h),
** its printout, and a reference walk over an abstract text for tests.
**
** A fragment is a start state and an end state whose out edge is still
** open; joining two fragments sets that edge. A token, an open tag or a
** close tag is its own start and end; alternations and repetitions add
** SPLIT states and one EPSILON joint. Bounded repetition copies its
** fragment (a{2,4}: a a (a (a)?)?), so the state cap is checked as states
** are made: {1000} inside {1000} stops at CQL_MAX_STATES, not in memory.
*/
#include "cql.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

typedef struct frag {
  int start, end;
} frag;

typedef struct builder {
  cql_state *s;
  size_t n, cap;
  char *err;
  size_t errlen;
  jmp_buf fail;
} builder;

static int add_state(builder *b, cql_state_kind kind, const cql_node *node) {
  if (b->n >= CQL_MAX_STATES) {
    snprintf(b->err, b->errlen, "cql: the query needs more than %d automaton states "
             "(nested repetitions multiply: {1000} inside {1000} is a million)", CQL_MAX_STATES);
    longjmp(b->fail, 1);
  }
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 16;
    cql_state *m = lx_realloc(b->s, cap * sizeof *m);
    if (!m) {
      snprintf(b->err, b->errlen, "cql: out of memory");
      longjmp(b->fail, 1);
    }
    b->s = m;
    b->cap = cap;
  }
  cql_state *st = &b->s[b->n];
  st->kind = kind;
  st->out = st->out1 = -1;
  st->node = node;
  return (int)b->n++;
}

static int split(builder *b, int out, int out1) {
  int s = add_state(b, CQL_S_SPLIT, NULL);
  b->s[s].out = out;
  b->s[s].out1 = out1;
  return s;
}

static frag build(builder *b, const cql_node *n);

/* a{min,max}: min copies in a row, then max - min optional ones nested
** (each may skip to the joint), or for max -1 a loop on the last copy. */
static frag repeat(builder *b, const cql_node *n) {
  const cql_node *kid = n->kids[0];
  frag whole = { -1, -1 };
  int last_start = -1;
  for (int i = 0; i < n->min; i++) {
    frag c = build(b, kid);
    last_start = c.start;
    if (whole.start < 0) whole = c;
    else {
      b->s[whole.end].out = c.start;
      whole.end = c.end;
    }
  }
  int joint = add_state(b, CQL_S_EPSILON, NULL);
  int entry;
  if (n->max < 0 && n->min > 0) {
    entry = split(b, last_start, joint);   /* a+: back over the last copy, or on */
    b->s[whole.end].out = entry;
    return (frag){ whole.start, joint };
  }
  if (n->max < 0) {                         /* a*: a loop that may be skipped */
    frag c = build(b, kid);
    entry = split(b, c.start, joint);
    b->s[c.end].out = entry;
  } else if (n->max == n->min) {
    entry = joint;
  } else {                                  /* each optional copy may skip to the joint */
    int pending = -1;
    entry = -1;
    for (int i = n->min; i < n->max; i++) {
      frag c = build(b, kid);
      int s = split(b, c.start, joint);
      if (pending >= 0) b->s[pending].out = s;
      else entry = s;
      pending = c.end;
    }
    b->s[pending].out = joint;
  }
  if (whole.start < 0) return (frag){ entry, joint };
  b->s[whole.end].out = entry;
  return (frag){ whole.start, joint };
}

static frag build(builder *b, const cql_node *n) {
  switch (n->kind) {
  case CQL_N_TOKEN: {
    int s = add_state(b, CQL_S_TOKEN, n);
    return (frag){ s, s };
  }
  case CQL_N_OPEN:
  case CQL_N_CLOSE: {
    int s = add_state(b, n->kind == CQL_N_OPEN ? CQL_S_OPEN : CQL_S_CLOSE, n);
    return (frag){ s, s };
  }
  case CQL_N_SEQ: {
    frag f = build(b, n->kids[0]);
    for (size_t i = 1; i < n->nkids; i++) {
      frag c = build(b, n->kids[i]);
      b->s[f.end].out = c.start;
      f.end = c.end;
    }
    return f;
  }
  case CQL_N_ALT: {
    int joint = add_state(b, CQL_S_EPSILON, NULL);
    int first = -1, prev = -1;
    for (size_t i = 0; i < n->nkids; i++) {
      frag c = build(b, n->kids[i]);
      b->s[c.end].out = joint;
      int s = i + 1 < n->nkids ? split(b, c.start, -1) : c.start;
      if (prev >= 0) b->s[prev].out1 = s;
      else first = s;
      prev = i + 1 < n->nkids ? s : -1;
    }
    return (frag){ first, joint };
  }
  case CQL_N_REPEAT:
    return repeat(b, n);
  }
  return (frag){ -1, -1 };
}

static int nullable(const cql_node *n) {
  switch (n->kind) {
  case CQL_N_TOKEN: return 0;
  case CQL_N_OPEN:
  case CQL_N_CLOSE: return 1;
  case CQL_N_SEQ:
    for (size_t i = 0; i < n->nkids; i++)
      if (!nullable(n->kids[i])) return 0;
    return 1;
  case CQL_N_ALT:
    for (size_t i = 0; i < n->nkids; i++)
      if (nullable(n->kids[i])) return 1;
    return 0;
  case CQL_N_REPEAT: return n->min == 0 || nullable(n->kids[0]);
  }
  return 0;
}

cql_program *cql_compile(const cql_query *query, char *err, size_t errlen) {
  char dummy[1];
  if (!err || errlen == 0) err = dummy, errlen = sizeof dummy;
  err[0] = '\0';
  cql_program *prog = lx_malloc(sizeof *prog);
  if (!prog) {
    snprintf(err, errlen, "cql: out of memory");
    return NULL;
  }
  builder b;
  memset(&b, 0, sizeof b);
  b.err = err;
  b.errlen = errlen;
  if (setjmp(b.fail)) {
    free(b.s);
    free(prog);
    return NULL;
  }
  frag f = build(&b, query->root);
  int accept = add_state(&b, CQL_S_ACCEPT, NULL);
  b.s[f.end].out = accept;
  prog->states = b.s;
  prog->nstates = b.n;
  prog->start = f.start;
  prog->nullable = nullable(query->root);
  prog->query = query;
  return prog;
}

void cql_program_free(cql_program *prog) {
  if (!prog) return;
  free(prog->states);
  free(prog);
}

/* ---------------------------------------------------------------------
** The printout
** ------------------------------------------------------------------- */

char *cql_program_dump(const cql_program *prog, size_t *len) {
  size_t cap = 64 + prog->nstates * 80, used = 0;
  char *s = lx_malloc(cap);
  if (!s) return NULL;
  used += (size_t)snprintf(s, cap, "start %d\n", prog->start);
  for (size_t i = 0; i < prog->nstates; i++) {
    const cql_state *st = &prog->states[i];
    const cql_node *n = st->node;
    int k = 0;
    switch (st->kind) {
    case CQL_S_EPSILON: k = snprintf(s + used, cap - used, "%zu epsilon -> %d\n", i, st->out); break;
    case CQL_S_SPLIT: k = snprintf(s + used, cap - used, "%zu split -> %d, %d\n", i, st->out, st->out1); break;
    case CQL_S_ACCEPT: k = snprintf(s + used, cap - used, "%zu accept\n", i); break;
    case CQL_S_TOKEN:
      k = snprintf(s + used, cap - used, "%zu token #%d%s%.20s%s -> %d\n", i, n->index,
                   n->label ? " " : "", n->label ? n->label : "",
                   n->mark == CQL_MARK_TARGET ? " @" : n->mark == CQL_MARK_KEYWORD ? " @1" : "", st->out);
      break;
    case CQL_S_OPEN:
    case CQL_S_CLOSE:
      k = snprintf(s + used, cap - used, "%zu %s #%d %.20s -> %d\n", i, st->kind == CQL_S_OPEN ? "open" : "close",
                   n->index, n->region, st->out);
      break;
    }
    if (k < 0 || (size_t)k >= cap - used) break;   /* cannot happen: 80 bytes a state */
    used += (size_t)k;
  }
  if (len) *len = used;
  return s;
}

/* ---------------------------------------------------------------------
** The reference walk: a set of states per position (Thompson's
** simulation), so every path is followed at once and no input makes it
** exponential.
** ------------------------------------------------------------------- */

typedef struct walk {
  const cql_program *prog;
  int *seen;         /* seen[state] == gen: already in the set being built */
  int *stack;
  int gen;
} walk;

static int bit(const uint64_t *masks, size_t i, int index) {
  return index >= 0 && index < 64 && ((masks[i] >> index) & 1);
}

/* Adds state s and everything reachable from it without a token at
** position i to set (*nset states), once each. Returns 1 if ACCEPT is
** among them. */
static int closure(walk *w, int s, size_t i, const uint64_t *opens, const uint64_t *closes, int *set,
                   size_t *nset) {
  int accept = 0;
  size_t top = 0;
  if (s < 0 || w->seen[s] == w->gen) return 0;
  w->seen[s] = w->gen;
  w->stack[top++] = s;
  while (top) {
    const cql_state *st = &w->prog->states[w->stack[--top]];
    int next[2] = { -1, -1 };
    switch (st->kind) {
    case CQL_S_ACCEPT: accept = 1; break;
    case CQL_S_TOKEN: set[(*nset)++] = (int)(st - w->prog->states); break;
    case CQL_S_EPSILON: next[0] = st->out; break;
    case CQL_S_SPLIT: next[0] = st->out; next[1] = st->out1; break;
    case CQL_S_OPEN: if (bit(opens, i, st->node->index)) next[0] = st->out; break;
    case CQL_S_CLOSE: if (bit(closes, i, st->node->index)) next[0] = st->out; break;
    }
    for (int k = 0; k < 2; k++)
      if (next[k] >= 0 && w->seen[next[k]] != w->gen) {
        w->seen[next[k]] = w->gen;
        w->stack[top++] = next[k];
      }
  }
  return accept;
}

int cql_program_longest(const cql_program *prog, const uint64_t *pass, const uint64_t *opens,
                        const uint64_t *closes, size_t n, size_t *end) {
  size_t ns = prog->nstates;
  walk w = { prog, lx_calloc(ns, sizeof(int)), lx_malloc(ns * sizeof(int)), 0 };
  int *cur = lx_malloc(ns * sizeof(int)), *nxt = lx_malloc(ns * sizeof(int));
  int found = -1;
  if (!w.seen || !w.stack || !cur || !nxt) goto done;
  found = 0;
  size_t ncur = 0;
  w.gen = 1;
  if (closure(&w, prog->start, 0, opens, closes, cur, &ncur)) found = 1, *end = 0;
  for (size_t i = 0; i < n && ncur; i++) {
    size_t nn = 0;
    int accept = 0;
    w.gen++;
    for (size_t k = 0; k < ncur; k++) {
      const cql_state *st = &prog->states[cur[k]];
      if (bit(pass, i, st->node->index)) accept |= closure(&w, st->out, i + 1, opens, closes, nxt, &nn);
    }
    if (accept) found = 1, *end = i + 1;
    int *t = cur;
    cur = nxt;
    nxt = t;
    ncur = nn;
  }
done:
  free(w.seen);
  free(w.stack);
  free(cur);
  free(nxt);
  return found;
}
