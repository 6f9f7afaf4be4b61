/*
** cqlrun_int.h: what the two halves of the CQL evaluator share: cqlrun.c
** compiles and evaluates token tests and tags; cqlrun_walk.c finds the
** candidate starts, walks the automaton and weeds the hits as CQP does.
*/
#ifndef LEXIS_CQLRUN_INT_H
#define LEXIS_CQLRUN_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cql.h"
#include "cqlrun.h"


typedef struct matcher {
  pcre2_code *re;
  pcre2_match_data *md;
  int flags;                      /* CQL_FLAG_* */
  int plain;                      /* matches its own bytes only (is_plain_string) */
} matcher;

/* A side of a comparison, resolved against the view. */
typedef enum { OP_PATTR, OP_SATTR, OP_VALUE } op_kind;
typedef struct operand {
  op_kind kind;
  int attr;                       /* PATTR: handle; SATTR: handle (with values) */
  int slot;                       /* where: -1 the current token, else a label slot */
  matcher m;                      /* VALUE */
  uint64_t *bits;                 /* VALUE against a PATTR side: its ids */
  uint64_t memo_region;           /* VALUE against an SATTR side: the last region tested, */
  int memo_hit;                   /* + 1, and whether its value matched (hits come in order) */
} operand;

typedef enum { T_TRUE, T_CMP, T_NOT, T_AND, T_OR, T_IMPLIES } test_kind;
typedef struct test {
  test_kind kind;
  int negated;
  operand l, r;                   /* CMP */
  struct test *a, *b;
} test;

/* Label slots: 0 .. nlabels-1 the query's labels, then these. */
enum { SLOT_TARGET = 0, SLOT_KEYWORD, SLOT_MATCH, SLOT_MATCHEND, NSPECIAL };

typedef struct tagc {             /* a compiled region tag */
  int rdat;                       /* its region slot (StrictRegions, below), or -1 */
  int sattr;
  int has_value, negated;
  uint64_t *ok;                   /* with a value: regions whose value matches */
} tagc;

typedef struct thread {
  int state;
  uint64_t cpos;
  size_t lab;                     /* its label slots in the pool */
} thread;

typedef struct tlist {
  thread *t;
  size_t n, cap;
  int64_t *lab;                   /* nslots per thread */
  size_t nlab, labcap;
} tlist;

typedef struct ev {
  const lx_cview *v;
  cql_query *q;
  cql_program *prog;
  char *err;
  size_t errlen;
  int failed;
  test **tests;                   /* by token index */
  tagc *tags;                     /* by tag index */
  test *global;
  size_t nslots;                  /* nlabels + NSPECIAL + nrdat */
  /* CQP's StrictRegions: each region name with an open tag in the query
  ** has a slot holding the last token of the region that tag entered; a
  ** close tag of that name after it (in the query's text) must end that
  ** very region, and while such a pair exists no path may pass the slot's
  ** position (<s> []* </s> stays in one s). */
  size_t rdat0, nrdat;            /* the slots rdat0 .. rdat0 + nrdat - 1 */
  char *rdat_used;                /* by slot - rdat0: a close tag checks it */
  int within_sattr;
  /* the walk */
  tlist cur, nxt;
  uint64_t *hkeys;                /* (state, cpos) reached in this walk */
  size_t hcap, hn;
  size_t *hused;                  /* the slots taken, to clear them alone */
  uint64_t *hval;                 /* by slot: step << 32 | its thread in that step */
  uint64_t step;                  /* steps walked, all walks together */
  int *stack, *visit;
  int stamp;
  int *sym;                       /* closure output: symbol states */
  size_t nsym;
  int64_t *scratch;               /* label slots of a thread being made */
  char *buf;                      /* diacritic stripping */
  size_t bufcap;
  /* the hits */
  lx_cql_hit *hits;
  int64_t *hlabels;
  size_t nhits, hcap_hits, max_hits;
} ev;

typedef struct hitrec {
  lx_cql_hit h;
  size_t lab;                       /* its label row */
} hitrec;

typedef struct run {
  hitrec *r;
  size_t n, cap;
  int64_t *lab;                     /* nlabels a row */
  size_t nlab, labcap;
} run;

int cqlr_fail(ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cqlr_nomem(ev *e);
int cqlr_view_fail(ev *e);
/* The names of the positional (structural 0) or structural attributes, "word, lemma, pos". */
void cqlr_names_of(const lx_cview *v, int structural, char *b, size_t bn);
test *cqlr_compile_test(ev *e, const cql_bool *b);
void cqlr_free_test(test *t);
/* Compiles every token test and tag under n into e->tests and e->tags. */
int cqlr_compile_tags(ev *e, const cql_node *n);
/* 1 true, 0 false, -1 error: t at token pos, with the labels lab. */
int cqlr_eval_test(ev *e, const test *t, uint64_t pos, const int64_t *lab);
/* Whether tag n holds at position cpos (a close tag: cpos - 1 ends a
** region, the one its open tag entered when it has one, lab[rdat]); for an
** open tag *last gets the region's last token. */
int cqlr_tag_holds(ev *e, const cql_node *n, uint64_t cpos, const int64_t *lab, int64_t *last);
/* Every candidate start of every first symbol, walked, into rn. */
int cqlr_run_all(ev *e, run *rn);
int cqlr_cmp_hit(const void *a, const void *b);
/* CQP's clean-up of the sorted hits for strategy s. */
void cqlr_weed(run *rn, cql_strategy s);

/* s[0..n) without its diacritics (NFD without its marks), as %d matches,
** into *buf (grown to *cap); 0 or ENOMEM. */
int cqlr_strip_marks(const char *s, size_t n, char **buf, size_t *cap, size_t *outn);

/* A growing byte string, NUL-ended, for what the evaluator's writers and
** breakdowns build (cqlrun_write.c, cqlcount.c). */
typedef struct cqlr_buf {
  char *p;
  size_t n, cap;
} cqlr_buf;
/* Appends s[0..n): 0, or ENOMEM (b unchanged). */
int cqlr_put(cqlr_buf *b, const void *s, size_t n);

/* The view's last failure as "cql: why" in err: EIO (the one wording, for
** the evaluator's cqlr_view_fail and for breakdowns and collocates). */
int cqlr_view_error(const lx_cview *v, char *err, size_t errlen);
/* Hits by start, then end (qsort); r's hits in that order, malloced
** (a sorted result is back in corpus order), or NULL out of memory. */
int cqlr_cmp_range(const void *pa, const void *pb);
lx_cql_hit *cqlr_in_order(const lx_cql_result *r);

#endif
