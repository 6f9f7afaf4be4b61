/*
** cql_format.c: the canonical form of a parsed CQL query (src/cql.h), the
** one spelling of each query that tests compare and messages quote.
** Parsing the canonical form gives it again (the fuzzer checks it).
*/
#include "cql.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"

typedef struct buf {
  char *s;
  size_t len, cap;
  int failed;
} buf;

static void put(buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *m = lx_realloc(b->s, cap);
    if (!m) {
      b->failed = 1;
      return;
    }
    b->s = m;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void putf(buf *b, const char *fmt, long v) {
  char t[32];
  int k = snprintf(t, sizeof t, fmt, v);
  put(b, t, (size_t)k);
}

/* A value in double quotes: a bare " doubled, a backslash pair as it is. */
static void put_value(buf *b, const cql_operand *v) {
  put(b, "\"", 1);
  for (size_t i = 0; i < v->len; i++) {
    if (v->value[i] == '\\' && i + 1 < v->len) {
      put(b, v->value + i, 2);
      i++;
    } else if (v->value[i] == '"') put(b, "\"\"", 2);
    else put(b, v->value + i, 1);
  }
  put(b, "\"", 1);
  if (v->flags) {
    puts_(b, " %");
    if (v->flags & CQL_FLAG_CASE) puts_(b, "c");
    if (v->flags & CQL_FLAG_DIACRITICS) puts_(b, "d");
    if (v->flags & CQL_FLAG_LITERAL) puts_(b, "l");
  }
}

static void put_operand(buf *b, const cql_operand *o) {
  if (o->kind == CQL_OPD_VALUE) put_value(b, o);
  else if (o->kind == CQL_OPD_REF) {
    static const char *anchors[] = { NULL, "match", "matchend", "target", "keyword" };
    puts_(b, o->anchor ? anchors[o->anchor] : o->label);
    puts_(b, ".");
    puts_(b, o->name);
  } else puts_(b, o->name);
}

static int bool_prec(const cql_bool *e) {
  switch (e->kind) {
  case CQL_B_IMPLIES: return 1;
  case CQL_B_OR: return 2;
  case CQL_B_AND: return 3;
  case CQL_B_NOT: return 4;
  default: return 5;
  }
}

static void put_bool(buf *b, const cql_bool *e, int min_prec) {
  int prec = bool_prec(e), paren = prec < min_prec;
  if (paren) puts_(b, "(");
  switch (e->kind) {
  case CQL_B_TRUE: break;
  case CQL_B_CMP:
    put_operand(b, &e->lhs);
    puts_(b, e->negated ? "!=" : "=");
    put_operand(b, &e->rhs);
    break;
  case CQL_B_NOT:
    puts_(b, "!");
    put_bool(b, e->a, 4);
    break;
  default:
    /* left-associative: the right side needs parentheses at equal precedence */
    put_bool(b, e->a, prec);
    puts_(b, e->kind == CQL_B_AND ? " & " : e->kind == CQL_B_OR ? " | " : " -> ");
    put_bool(b, e->b, prec + 1);
  }
  if (paren) puts_(b, ")");
}

static void put_node(buf *b, const cql_node *n, int grouped);

static void put_token(buf *b, const cql_node *n) {
  if (n->mark == CQL_MARK_TARGET) puts_(b, "@");
  else if (n->mark == CQL_MARK_KEYWORD) puts_(b, "@1");
  if (n->label) {
    puts_(b, n->label);
    puts_(b, ":");
  }
  puts_(b, "[");
  if (n->test->kind != CQL_B_TRUE) put_bool(b, n->test, 0);
  puts_(b, "]");
}

/* grouped: the node stands where an atom is needed (under a repetition)
** or inside a sequence (an alternation needs parentheses there). */
static void put_node(buf *b, const cql_node *n, int grouped) {
  switch (n->kind) {
  case CQL_N_TOKEN:
    put_token(b, n);
    break;
  case CQL_N_OPEN:
    puts_(b, "<");
    puts_(b, n->region);
    if (n->has_value) {
      puts_(b, n->negated ? "!=" : "=");
      put_value(b, &n->value);
    }
    puts_(b, ">");
    break;
  case CQL_N_CLOSE:
    puts_(b, "</");
    puts_(b, n->region);
    puts_(b, ">");
    break;
  case CQL_N_SEQ:
  case CQL_N_ALT:
    if (grouped) puts_(b, "(");
    for (size_t i = 0; i < n->nkids; i++) {
      if (i) puts_(b, n->kind == CQL_N_SEQ ? " " : " | ");
      put_node(b, n->kids[i], n->kind == CQL_N_SEQ);
    }
    if (grouped) puts_(b, ")");
    break;
  case CQL_N_REPEAT:
    /* "a"+* is no query: a repetition of a repetition needs its group */
    if (n->kids[0]->kind == CQL_N_REPEAT) puts_(b, "(");
    put_node(b, n->kids[0], 1);
    if (n->kids[0]->kind == CQL_N_REPEAT) puts_(b, ")");
    if (n->min == 0 && n->max == 1) puts_(b, "?");
    else if (n->min == 0 && n->max < 0) puts_(b, "*");
    else if (n->min == 1 && n->max < 0) puts_(b, "+");
    else if (n->min == n->max) putf(b, "{%ld}", n->min);
    else if (n->max < 0) putf(b, "{%ld,}", n->min);
    else {
      putf(b, "{%ld,", n->min);
      putf(b, "%ld}", n->max);
    }
    break;
  }
}

char *cql_format(const cql_query *q, size_t *len) {
  static const char *names[] = { "standard", "shortest", "longest", "traditional" };
  buf b = { NULL, 0, 0, 0 };
  if (q->strategy_given) {
    puts_(&b, "(?");
    puts_(&b, names[q->strategy]);
    puts_(&b, ") ");
  }
  put_node(&b, q->root, 0);
  if (q->global) {
    puts_(&b, " :: ");
    put_bool(&b, q->global, 0);
  }
  if (q->within_count) {
    puts_(&b, " within");
    if (q->within_count != 1 || !q->within) putf(&b, " %ld", q->within_count);
    if (q->within) {
      puts_(&b, " ");
      puts_(&b, q->within);
    }
  }
  if (q->cut) putf(&b, " cut %ld", q->cut);
  put(&b, "", 0);
  if (b.failed) {
    free(b.s);
    return NULL;
  }
  if (len) *len = b.len;
  return b.s;
}
