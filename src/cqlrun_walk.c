/*
** cqlrun_walk.c: the CQL evaluator's search (src/cqlrun.c tells how a query
** runs): the candidate starts of each first symbol, the step-by-step walk
** of the automaton from each, and CQP's weeding of the hits.
*/
#include "cqlrun_int.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "progress.h"

/* ------------------------------------------------------------- the walk */

static int tl_reserve(ev *e, tlist *l) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    thread *t = lx_realloc(l->t, cap * sizeof *t);
    if (!t) return cqlr_nomem(e);
    l->t = t;
    l->cap = cap;
  }
  if (l->nlab + e->nslots > l->labcap) {
    size_t cap = l->labcap ? l->labcap * 2 : 64 * e->nslots;
    while (cap < l->nlab + e->nslots) cap *= 2;
    int64_t *m = lx_realloc(l->lab, cap * sizeof *m);
    if (!m) return cqlr_nomem(e);
    l->lab = m;
    l->labcap = cap;
  }
  return 0;
}

/*
** Adds (state, cpos) with labels lab to the next step, once. A later path
** of the same step that gets there gives it its labels (target, keyword):
** cqp's walk overwrites them so, and random queries with @ agree with cqp
** that way. A path that gets there after an earlier step did is dropped:
** the earlier one has already led to every match this one could (sooner,
** so they win under every strategy), and a loop over tags alone, which
** consumes nothing ((</p> "b"*)*), ends instead of cycling (cqp stops such
** a query with "infinite loop detected").
*/
static int push_next(ev *e, int state, uint64_t cpos, const int64_t *lab) {
  uint64_t key = (((uint64_t)state << 44) | cpos) + 1;
  if (e->hn * 2 >= e->hcap) {        /* grow and rehash */
    if (e->hn >= 4 * (size_t)LX_CQL_MAX_THREADS)
      return cqlr_fail(e, "cql: more than %d paths from one start (the query is too ambiguous; narrow it "
                       "or use within)", 4 * LX_CQL_MAX_THREADS);
    size_t cap = e->hcap ? e->hcap * 2 : 256;
    uint64_t *k = lx_calloc(cap, sizeof *k), *val = lx_malloc(cap * sizeof *val);
    size_t *used = lx_malloc(cap / 2 * sizeof *used);
    if (!k || !used || !val) {
      free(k);
      free(used);
      free(val);
      return cqlr_nomem(e);
    }
    for (size_t i = 0; i < e->hn; i++) {
      uint64_t old = e->hkeys[e->hused[i]];
      size_t h = (size_t)(old * 0x9E3779B97F4A7C15ull) & (cap - 1);
      while (k[h]) h = (h + 1) & (cap - 1);
      k[h] = old;
      val[h] = e->hval[e->hused[i]];
      used[i] = h;
    }
    free(e->hkeys);
    free(e->hused);
    free(e->hval);
    e->hkeys = k;
    e->hused = used;
    e->hval = val;
    e->hcap = cap;
  }
  size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (e->hcap - 1);
  while (e->hkeys[h]) {
    if (e->hkeys[h] == key) {
      if (e->hval[h] >> 32 == (e->step & 0xffffffff)) {   /* in this step: the later path's labels, as in cqp */
        thread *t = &e->nxt.t[e->hval[h] & 0xffffffff];
        memcpy(e->nxt.lab + t->lab, lab, e->nslots * sizeof *lab);
      }
      return 0;                         /* an earlier step got there first */
    }
    h = (h + 1) & (e->hcap - 1);
  }
  e->hkeys[h] = key;
  e->hval[h] = (e->step & 0xffffffff) << 32 | (uint64_t)e->nxt.n;
  e->hused[e->hn++] = h;
  if (e->nxt.n >= LX_CQL_MAX_THREADS)
    return cqlr_fail(e, "cql: more than %d paths alive at once (the query is too ambiguous; narrow it "
                "or use within)", LX_CQL_MAX_THREADS);
  if (tl_reserve(e, &e->nxt) < 0) return -1;
  thread *t = &e->nxt.t[e->nxt.n++];
  t->state = state;
  t->cpos = cpos;
  t->lab = e->nxt.nlab;
  memcpy(e->nxt.lab + e->nxt.nlab, lab, e->nslots * sizeof *lab);
  e->nxt.nlab += e->nslots;
  return 0;
}

static void clear_seen(ev *e) {
  for (size_t i = 0; i < e->hn; i++) e->hkeys[e->hused[i]] = 0;
  e->hn = 0;
}

/* The states that take a symbol reachable from s without one, into
** e->sym in the order of preference (out before out1); 1 when the
** accepting state is among them. */
static int closure(ev *e, int s) {
  const cql_state *st = e->prog->states;
  int accept = 0;
  size_t top = 0;
  e->nsym = 0;
  e->stamp++;
  if (s < 0) return 0;
  e->stack[top++] = s;
  e->visit[s] = e->stamp;
  while (top) {
    int k = e->stack[--top];
    switch (st[k].kind) {
    case CQL_S_ACCEPT: accept = 1; break;
    case CQL_S_TOKEN: case CQL_S_OPEN: case CQL_S_CLOSE: e->sym[e->nsym++] = k; break;
    case CQL_S_EPSILON:
      if (st[k].out >= 0 && e->visit[st[k].out] != e->stamp) {
        e->visit[st[k].out] = e->stamp;
        e->stack[top++] = st[k].out;
      }
      break;
    case CQL_S_SPLIT:   /* out1 below out on the stack: out is taken first */
      if (st[k].out1 >= 0 && e->visit[st[k].out1] != e->stamp) {
        e->visit[st[k].out1] = e->stamp;
        e->stack[top++] = st[k].out1;
      }
      if (st[k].out >= 0 && e->visit[st[k].out] != e->stamp) {
        e->visit[st[k].out] = e->stamp;
        e->stack[top++] = st[k].out;
      }
      break;
    }
  }
  return accept;
}

/* The symbol of a state: a token test by its index, a tag after them. */
static int symbol_of(ev *e, const cql_state *st) {
  return st->kind == CQL_S_TOKEN ? st->node->index : (int)e->q->ntokens + st->node->index;
}


static int add_hit(ev *e, run *rn, uint64_t start, uint64_t end, const int64_t *lab) {
  if (rn->n >= e->max_hits)
    return cqlr_fail(e, "cql: more than %zu hits (add cut N to the query, or narrow it)", e->max_hits);
  if (rn->n == rn->cap) {
    size_t cap = rn->cap ? rn->cap * 2 : 256;
    hitrec *m = lx_realloc(rn->r, cap * sizeof *m);
    if (!m) return cqlr_nomem(e);
    rn->r = m;
    rn->cap = cap;
  }
  size_t nl = e->q->nlabels;
  if (nl && rn->nlab + nl > rn->labcap) {
    size_t cap = rn->labcap ? rn->labcap * 2 : 256 * nl;
    int64_t *m = lx_realloc(rn->lab, cap * sizeof *m);
    if (!m) return cqlr_nomem(e);
    rn->lab = m;
    rn->labcap = cap;
  }
  hitrec *h = &rn->r[rn->n++];
  h->h.start = start;
  h->h.end = end;
  h->h.target = lab[nl + SLOT_TARGET];
  h->h.keyword = lab[nl + SLOT_KEYWORD];
  h->lab = rn->nlab;
  if (nl) memcpy(rn->lab + rn->nlab, lab, nl * sizeof *lab);
  rn->nlab += nl;
  return 0;
}

/* The last position a match starting at start may reach, or -1 when none
** may start there (outside every region of within). */
static int boundary_of(ev *e, uint64_t start, int64_t *bound) {
  uint64_t last = e->v->ntokens - 1;
  if (e->v->part_end) last = e->v->part_end(e->v->ctx, start) - 1;   /* a shard ends a text */
  if (e->within_sattr < 0) {
    uint64_t d = e->q->within_count > 0 ? (uint64_t)e->q->within_count : LX_CQL_HARD_BOUNDARY;
    *bound = (int64_t)(start + d < last ? start + d : last);
    return 0;
  }
  uint64_t i, s, t;
  if (e->v->region_at(e->v->ctx, e->within_sattr, start, &i) != 0) return cqlr_view_fail(e);
  if (i == UINT64_MAX) {
    *bound = -1;
    return 0;
  }
  uint64_t count = e->v->region_count(e->v->ctx, e->within_sattr);
  uint64_t d = e->q->within_count > 1 ? (uint64_t)e->q->within_count - 1 : 0;
  uint64_t r2 = i + d < count - 1 ? i + d : count - 1;
  if (e->v->region(e->v->ctx, e->within_sattr, r2, &s, &t) != 0) return cqlr_view_fail(e);
  *bound = (int64_t)(t - 1 < last ? t - 1 : last);
  return 0;
}

/* Walks the automaton from start, the first step taking symbol p only
** (known to hold at start when `holds`: its candidates were exact).
** 1 with a match added to rn, 0 without, -1 on error. */
static int walk(ev *e, run *rn, uint64_t start, int p, int holds, int64_t bound, int *label_slot) {
  const cql_state *st = e->prog->states;
  size_t ns = e->nslots, nl = e->q->nlabels;
  int longest = e->q->strategy == CQL_LONGEST;
  int64_t *lab = e->scratch, *win = e->scratch + ns;
  int64_t winner = -1;
  e->cur.n = e->cur.nlab = 0;
  e->nxt.n = e->nxt.nlab = 0;
  clear_seen(e);
  e->step++;
  for (size_t k = 0; k < ns; k++) lab[k] = -1;
  lab[nl + SLOT_MATCH] = (int64_t)start;
  closure(e, e->prog->start);
  for (size_t k = 0; k < e->nsym; k++)
    if (symbol_of(e, &st[e->sym[k]]) == p && push_next(e, e->sym[k], start, lab) < 0) return -1;
  int first = 1;                        /* the round of the threads on p at start */
  while (e->nxt.n) {
    tlist t = e->cur;
    e->cur = e->nxt;
    e->nxt = t;
    e->nxt.n = e->nxt.nlab = 0;
    e->step++;
    for (size_t k = 0; k < e->cur.n; k++) {
      const thread *th = &e->cur.t[k];
      const cql_state *s = &st[th->state];
      const cql_node *n = s->node;
      int token = s->kind == CQL_S_TOKEN;
      int64_t eff = s->kind == CQL_S_CLOSE ? (int64_t)th->cpos - 1 : (int64_t)th->cpos;
      if (eff > bound) continue;
      const int64_t *tl = e->cur.lab + th->lab;
      int inside = 1;                 /* StrictRegions: not past a region a tag entered */
      for (size_t r = 0; r < e->nrdat && inside; r++)
        if (e->rdat_used[r] && tl[e->rdat0 + r] >= 0 && eff > tl[e->rdat0 + r]) inside = 0;
      if (!inside) continue;
      int64_t last = -1;
      int ok = token && first && holds ? 1
             : token ? cqlr_eval_test(e, e->tests[n->index], th->cpos, tl) : cqlr_tag_holds(e, n, th->cpos, tl, &last);
      if (ok < 0) return -1;
      if (!ok) continue;
      memcpy(lab, tl, ns * sizeof *lab);
      if (!token && e->tags[n->index].rdat >= 0)   /* an open tag enters its region, a close tag leaves it */
        lab[e->tags[n->index].rdat] = s->kind == CQL_S_OPEN ? last : -1;
      if (token) {
        if (label_slot[n->index] >= 0) lab[label_slot[n->index]] = eff;
        if (n->mark == CQL_MARK_TARGET) lab[nl + SLOT_TARGET] = eff;
        if (n->mark == CQL_MARK_KEYWORD) lab[nl + SLOT_KEYWORD] = eff;
      }
      uint64_t next = token ? th->cpos + 1 : th->cpos;
      int accept = closure(e, s->out), won = 0;
      if (accept) {
        int64_t end = token ? (int64_t)th->cpos : (int64_t)th->cpos - 1;
        won = 1;
        if (e->global) {
          lab[nl + SLOT_MATCHEND] = end;
          won = cqlr_eval_test(e, e->global, 0, lab);
          lab[nl + SLOT_MATCHEND] = -1;
          if (won < 0) return -1;
        }
        if (won) {
          /* As cqp: a match of tags only ends before its start; at
          ** position 0 that end is -1, which cqp takes for no winner yet,
          ** elsewhere it stops the walk with no match. */
          winner = end;
          memcpy(win, lab, ns * sizeof *lab);
          if (!longest && winner >= 0) goto done;
        }
      }
      if (won && !longest) continue;    /* a winner's path goes no further */
      for (size_t j = 0; j < e->nsym; j++)
        if (push_next(e, e->sym[j], next, lab) < 0) return -1;
    }
    first = 0;
  }
done:
  if (winner < (int64_t)start) return 0;   /* none, or only tags: an empty match */
  if (add_hit(e, rn, start, (uint64_t)winner + 1, win) < 0) return -1;
  return 1;
}

/* ------------------------------------------------------------ candidates */

/*
** A set of positions: a bit a token when it may be dense, or a sorted
** list when its size is known to be small (a bitset of en-100M is 2.7 MB,
** every page of which a few thousand scattered hits would touch).
*/
typedef struct pset {
  uint64_t *bits;                 /* dense: ntokens / 64 + 1 words */
  uint64_t *pos;                  /* sparse: sorted and unique once settled */
  size_t n, cap;
  int nomem;
} pset;

static int pset_init(pset *p, uint64_t ntokens, uint64_t most) {
  memset(p, 0, sizeof *p);
  if (most < ntokens / 64) return 0;          /* the list is the smaller */
  p->bits = lx_calloc(ntokens / 64 + 1, sizeof *p->bits);
  return p->bits ? 0 : -1;
}

static void pset_free(pset *p) {
  free(p->bits);
  free(p->pos);
  memset(p, 0, sizeof *p);
}

static void pset_add(pset *p, uint64_t i) {
  if (p->bits) {
    p->bits[i / 64] |= (uint64_t)1 << (i % 64);
    return;
  }
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 1024;
    uint64_t *m = p->nomem ? NULL : lx_realloc(p->pos, cap * sizeof *m);
    if (!m) { p->nomem = 1; return; }
    p->pos = m;
    p->cap = cap;
  }
  p->pos[p->n++] = i;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* A list sorted and without repeats (the postings of several ids come one
** id after the other). */
static void pset_settle(pset *p) {
  if (p->bits || p->n < 2) return;
  size_t k = 1;
  for (size_t i = 1; i < p->n && k == i; i++)
    if (p->pos[i] > p->pos[i - 1]) k++;
  if (k == p->n) return;                      /* one id's: in order already */
  qsort(p->pos, p->n, sizeof *p->pos, cmp_u64);
  k = 1;
  for (size_t i = 1; i < p->n; i++)
    if (p->pos[i] != p->pos[k - 1]) p->pos[k++] = p->pos[i];
  p->n = k;
}

static int each_posting(void *arg, const uint64_t *pos, size_t n) {
  pset *p = arg;
  for (size_t i = 0; i < n; i++) pset_add(p, pos[i]);
  return 0;
}

/* The postings a test's candidates come from: their total length, or
** UINT64_MAX when the test needs a scan. */
static int plan_cost(ev *e, const test *t, uint64_t *cost) {
  *cost = UINT64_MAX;
  if (t->kind == T_CMP && !t->negated && t->l.kind == OP_PATTR && t->l.slot < 0 && t->r.kind == OP_VALUE) {
    uint32_t size = e->v->lexicon_size(e->v->ctx, t->l.attr);
    uint64_t sum = 0;
    for (uint32_t id = 0; id < size; id++) {
      if (!((t->r.bits[id / 64] >> (id % 64)) & 1)) continue;
      uint64_t f;
      int rc = e->v->frequency_bound ? e->v->frequency_bound(e->v->ctx, t->l.attr, id, &f)
                                     : e->v->frequency(e->v->ctx, t->l.attr, id, &f);
      if (rc != 0) return cqlr_view_fail(e);
      sum += f;
    }
    *cost = sum;
  } else if (t->kind == T_AND || t->kind == T_OR) {
    uint64_t a, b;
    if (plan_cost(e, t->a, &a) < 0 || plan_cost(e, t->b, &b) < 0) return -1;
    if (t->kind == T_AND) *cost = a < b ? a : b;
    else if (a != UINT64_MAX && b != UINT64_MAX) *cost = a + b;
  }
  return 0;
}

/* Whether plan_fill sets the bits of exactly the positions where t holds
** (a comparison of the token's attribute with a value, or an or of such):
** the walk need not test them again. */
static int plan_exact(const test *t) {
  if (t->kind == T_CMP)
    return !t->negated && t->l.kind == OP_PATTR && t->l.slot < 0 && t->r.kind == OP_VALUE;
  return t->kind == T_OR && plan_exact(t->a) && plan_exact(t->b);
}

/* Sets the bits of the positions where t may hold: a superset, from the
** quicker postings_bound, and *more = 1 if it may be larger than the set
** of positions where t holds. */
static int plan_fill(ev *e, const test *t, pset *bits, int *more) {
  if (t->kind == T_CMP) {
    uint32_t size = e->v->lexicon_size(e->v->ctx, t->l.attr);
    for (uint32_t id = 0; id < size; id++) {
      if (!((t->r.bits[id / 64] >> (id % 64)) & 1)) continue;
      if ((id & 0xfff) == 0 && lx_interrupted()) return cqlr_fail(e, "cql: interrupted");
      int rc = e->v->postings_bound ? e->v->postings_bound(e->v->ctx, t->l.attr, id, each_posting, bits, more)
                                    : e->v->postings(e->v->ctx, t->l.attr, id, each_posting, bits);
      if (rc != 0) return cqlr_view_fail(e);
    }
    if (!plan_exact(t)) *more = 1;
    return 0;
  }
  uint64_t a, b;
  if (plan_cost(e, t->a, &a) < 0 || plan_cost(e, t->b, &b) < 0) return -1;
  if (t->kind == T_OR) return plan_fill(e, t->a, bits, more) < 0 ? -1 : plan_fill(e, t->b, bits, more);
  *more = 1;
  return plan_fill(e, a <= b ? t->a : t->b, bits, more);
}

/*
** The states after s must hold at the position after s: the next one for a
** token, the same one for an open tag, which takes none. When they are all
** tokens whose candidates come from postings (`<s> [word="And"]`, `"of"
** "the"`), and those are not many more than s's own candidates (have, at
** most), s's
** starts are kept only where one of them may hold: a walk from each start
** (a random read for each test) is what this saves, at the price of
** decoding their postings.
*/
static int narrow_by_next(ev *e, const cql_state *s, pset *c, uint64_t have) {
  if (closure(e, s->out)) return 0;            /* s alone may match */
  uint64_t sum = 0, most = have > UINT64_MAX / 4 ? UINT64_MAX : have * 4;
  for (size_t k = 0; k < e->nsym; k++) {
    const cql_state *t = &e->prog->states[e->sym[k]];
    uint64_t cost;
    if (t->kind != CQL_S_TOKEN) return 0;
    if (plan_cost(e, e->tests[t->node->index], &cost) < 0) return -1;
    if (cost == UINT64_MAX || cost > most - sum) return 0;
    sum += cost;
  }
  size_t nsym = e->nsym;
  pset next;
  int *sym = lx_malloc(nsym * sizeof *sym);
  if (!sym || pset_init(&next, e->v->ntokens, sum) < 0) {
    free(sym);
    return cqlr_nomem(e);
  }
  memcpy(sym, e->sym, nsym * sizeof *sym);
  int rc = 0, more = 0;
  for (size_t k = 0; k < nsym && rc == 0; k++)
    rc = plan_fill(e, e->tests[e->prog->states[sym[k]].node->index], &next, &more);
  free(sym);
  if (rc == 0 && next.nomem) rc = cqlr_nomem(e);
  if (rc < 0) {
    pset_free(&next);
    return -1;
  }
  pset_settle(&next);
  uint64_t shift = s->kind == CQL_S_TOKEN;     /* start p needs the next at p + 1 */
  size_t nw = e->v->ntokens / 64 + 1;
  if (c->bits && next.bits) {
    for (size_t w = 0; w < nw; w++)
      c->bits[w] &= shift ? next.bits[w] >> 1 | (w + 1 < nw ? next.bits[w + 1] << 63 : 0) : next.bits[w];
  } else if (c->bits) {                        /* keep the bits the list names */
    uint64_t *keep = lx_calloc(nw, sizeof *keep);
    if (!keep) {
      pset_free(&next);
      return cqlr_nomem(e);
    }
    for (size_t i = 0; i < next.n; i++) {
      if (next.pos[i] < shift) continue;
      uint64_t q = next.pos[i] - shift;
      keep[q / 64] |= c->bits[q / 64] & (uint64_t)1 << (q % 64);
    }
    free(c->bits);
    c->bits = keep;
  } else {                                     /* a list: keep its members the next holds */
    size_t k = 0, j = 0;
    for (size_t i = 0; i < c->n; i++) {
      uint64_t q = c->pos[i] + shift;
      int in;
      if (next.bits) in = q / 64 < nw && ((next.bits[q / 64] >> (q % 64)) & 1);
      else {
        while (j < next.n && next.pos[j] < q) j++;
        in = j < next.n && next.pos[j] == q;
      }
      if (in) c->pos[k++] = c->pos[i];
    }
    c->n = k;
  }
  pset_free(&next);
  return 0;
}

/* The candidate starts of symbol state s, into c (made here); *exact when
** s is a token whose test holds at each of them. */
static int candidates(ev *e, const cql_state *s, pset *c, int *exact) {
  uint64_t nt = e->v->ntokens;
  *exact = 0;
  memset(c, 0, sizeof *c);
  if (s->kind == CQL_S_TOKEN) {
    uint64_t cost;
    const test *t = e->tests[s->node->index];
    if (plan_cost(e, t, &cost) < 0) return -1;
    if (pset_init(c, nt, cost) < 0) return cqlr_nomem(e);
    if (cost != UINT64_MAX) {
      int more = 0;
      if (plan_fill(e, t, c, &more) < 0) return -1;
      if (c->nomem) return cqlr_nomem(e);
      pset_settle(c);
      *exact = !more;
      return narrow_by_next(e, s, c, cost);
    }
    memset(c->bits, 0xff, (nt / 64 + 1) * sizeof *c->bits);   /* every position (the walk stops at nt) */
    return 0;
  }
  const tagc *tc = &e->tags[s->node->index];
  uint64_t count = e->v->region_count(e->v->ctx, tc->sattr);
  if (pset_init(c, nt, count) < 0) return cqlr_nomem(e);
  for (uint64_t i = 0; i < count; i++) {
    uint64_t a, b;
    if (e->v->region(e->v->ctx, tc->sattr, i, &a, &b) != 0) return cqlr_view_fail(e);
    if (s->kind == CQL_S_CLOSE) pset_add(c, b);
    else if (!tc->has_value || ((tc->ok[i / 64] >> (i % 64)) & 1)) pset_add(c, a);
  }
  if (c->nomem) return cqlr_nomem(e);
  pset_settle(c);
  return s->kind == CQL_S_OPEN ? narrow_by_next(e, s, c, count) : 0;
}

/* ------------------------------------------------------------- weeding */

int cqlr_cmp_hit(const void *a, const void *b) {
  const lx_cql_hit *x = &((const hitrec *)a)->h, *y = &((const hitrec *)b)->h;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  return 0;
}

/* A deleted hit reads as start -1, as in CQP: it is before everything,
** so the loops below run on over it as CQP's do. */
#define GONE UINT64_MAX
static int before_end(const hitrec *j, const hitrec *i) {   /* CQP's j.start <= i.matchend */
  return j->h.start == GONE || j->h.start < i->h.end;
}

static void reduce(run *rn) {
  size_t k = 0;
  for (size_t i = 0; i < rn->n; i++)
    if (rn->r[i].h.start != GONE) rn->r[k++] = rn->r[i];
  rn->n = k;
}

/*
** CQP's clean-up after the walks (cqp/ranges.c), on hits sorted by start
** then end; ends here are exclusive, so CQP's "j.start <= i.matchend" is
** j.start < i.end.
**   standard: of the hits with one start keep the shortest; then of those
**             with one end keep the one that starts first (an optional
**             beginning is matched);
**   shortest: drop every hit that contains another;
**   longest:  drop every hit contained in another;
**   traditional: keep all.
*/
void cqlr_weed(run *rn, cql_strategy s) {
  hitrec *r = rn->r;
  size_t n = rn->n;
  if (s == CQL_STANDARD) {
    for (size_t i = 0; i < n; i++) {
      if (r[i].h.start == GONE) continue;
      for (size_t j = i + 1; j < n && r[j].h.start == r[i].h.start; j++) r[j].h.start = GONE;
    }
    reduce(rn);
    n = rn->n;
    for (size_t i = 0; i < n; i++) {
      if (r[i].h.start == GONE) continue;
      for (size_t j = i + 1; j < n && before_end(&r[j], &r[i]); j++)
        if (r[j].h.end == r[i].h.end) r[j].h.start = GONE;
    }
  } else if (s == CQL_SHORTEST) {
    for (size_t i = 0; i < n; i++) {
      if (r[i].h.start == GONE) continue;
      uint64_t start = r[i].h.start;
      for (size_t j = i + 1; j < n && before_end(&r[j], &r[i]); j++) {
        if (r[j].h.end <= r[i].h.end) {    /* CQP does not skip a deleted j here */
          r[i].h.start = GONE;
          break;
        }
        if (r[j].h.start == start) r[j].h.start = GONE;
      }
    }
  } else if (s == CQL_LONGEST) {
    for (size_t i = 0; i < n; i++) {
      if (r[i].h.start == GONE) continue;
      uint64_t start = r[i].h.start;
      for (size_t j = i + 1; j < n && before_end(&r[j], &r[i]); j++) {
        if (r[j].h.start == GONE) continue;
        if (r[j].h.end <= r[i].h.end) r[j].h.start = GONE;
        else if (r[j].h.start == start) {
          r[i].h.start = GONE;
          break;
        }
      }
    }
  }
  reduce(rn);
}

static int set_label_slots(ev *e, const cql_node *n, int *slot) {
  if (n->kind == CQL_N_TOKEN) {
    slot[n->index] = -1;
    if (n->label)
      for (size_t i = 0; i < e->q->nlabels; i++)
        if (strcmp(e->q->labels[i], n->label) == 0) slot[n->index] = (int)i;
    return 0;
  }
  for (size_t i = 0; i < n->nkids; i++) set_label_slots(e, n->kids[i], slot);
  return 0;
}

int cqlr_run_all(ev *e, run *rn) {
  const lx_cview *v = e->v;
  size_t ns = e->prog->nstates;
  int *slot = lx_malloc((e->q->ntokens + 1) * sizeof *slot);
  int *firsts = lx_malloc(ns * sizeof *firsts);
  e->stack = lx_malloc(ns * sizeof *e->stack);
  e->visit = lx_calloc(ns, sizeof *e->visit);
  e->sym = lx_malloc(ns * sizeof *e->sym);
  e->scratch = lx_malloc(2 * e->nslots * sizeof *e->scratch);
  int rc = -1;
  if (!slot || !firsts || !e->stack || !e->visit || !e->sym || !e->scratch) {
    cqlr_nomem(e);
    goto out;
  }
  set_label_slots(e, e->q->root, slot);
  /* the symbols a match may begin with, each once, in the query's order */
  closure(e, e->prog->start);
  size_t nfirst = 0;
  for (size_t k = 0; k < e->nsym; k++) {
    int dup = 0;
    for (size_t j = 0; j < nfirst; j++)
      if (symbol_of(e, &e->prog->states[firsts[j]]) == symbol_of(e, &e->prog->states[e->sym[k]])) dup = 1;
    if (!dup) firsts[nfirst++] = e->sym[k];
  }
  for (size_t a = 1; a < nfirst; a++)        /* by offset in the query */
    for (size_t b = a; b > 0 && e->prog->states[firsts[b]].node->offset < e->prog->states[firsts[b - 1]].node->offset; b--) {
      int t = firsts[b];
      firsts[b] = firsts[b - 1];
      firsts[b - 1] = t;
    }
  for (size_t f = 0; f < nfirst; f++) {
    const cql_state *s = &e->prog->states[firsts[f]];
    int p = symbol_of(e, s);
    pset c;
    int exact;
    if (candidates(e, s, &c, &exact) < 0) {
      pset_free(&c);
      goto out;
    }
    long found = 0;
    uint64_t tick = 0, w = 0, word = c.bits ? c.bits[0] : 0;
    for (size_t i = 0;;) {                     /* each start, from the bits or the list */
      uint64_t start;
      if (c.bits) {
        while (!word && w < v->ntokens / 64) word = c.bits[++w];
        if (!word) break;
        start = w * 64 + (uint64_t)__builtin_ctzll(word);
        word &= word - 1;
      } else {
        if (i == c.n) break;
        start = c.pos[i++];
      }
      if (start >= v->ntokens) break;
      if ((++tick & 0xfff) == 0 && lx_interrupted()) {
        cqlr_fail(e, "cql: interrupted");
        pset_free(&c);
        goto out;
      }
      int64_t bound = -1;
      if (boundary_of(e, start, &bound) < 0) { pset_free(&c); goto out; }
      if (bound < (int64_t)start) continue;
      int k = walk(e, rn, start, p, exact, bound, slot);
      if (k < 0) { pset_free(&c); goto out; }
      found += k;
      if (e->q->cut > 0 && found >= e->q->cut) break;   /* CQP: cut N of every first symbol */
    }
    pset_free(&c);
  }
  rc = 0;
out:
  free(slot);
  free(firsts);
  return rc;
}
