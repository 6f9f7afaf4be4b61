/*
** cql.c: the lexer and the recursive-descent parser of the CQP query
** language (src/cql.h). The canonical printer is cql_format.c, the NFA
** cql_nfa.c.
**
** Every node and string of a query lives in one arena that cql_free
** releases whole, so a syntax error or a failed allocation anywhere in the
** descent simply jumps back to cql_parse (longjmp) and frees the arena:
** no path can leak a half-built tree.
*/
#include "cql.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

/* ---------------------------------------------------------------------
** The arena
** ------------------------------------------------------------------- */

typedef struct cql_arena {
  struct cql_arena *next;    /* the block filled before this one */
  size_t used, size;
  max_align_t data[];
} cql_arena;

enum { ARENA_BLOCK = 8192 };

/* size bytes from the arena at *a, zeroed; NULL without memory. */
static void *arena_alloc(cql_arena **a, size_t size) {
  size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  if (!*a || (*a)->size - (*a)->used < size) {
    size_t block = size > ARENA_BLOCK ? size : ARENA_BLOCK;
    cql_arena *b = lx_malloc(sizeof *b + block);
    if (!b) return NULL;
    b->next = *a;
    b->used = 0;
    b->size = block;
    *a = b;
  }
  void *p = (char *)(*a)->data + (*a)->used;
  (*a)->used += size;
  memset(p, 0, size);
  return p;
}

static void arena_free(cql_arena *a) {
  while (a) {
    cql_arena *next = a->next;
    free(a);
    a = next;
  }
}

/* ---------------------------------------------------------------------
** The lexer: CQP's tokens (cqp/parser.l), longest match first.
** ------------------------------------------------------------------- */

typedef enum {
  T_END,       /* the end of the query */
  T_STRING,    /* "..." or '...' */
  T_FLAG,      /* %cd */
  T_INT,       /* 12, -3 */
  T_ID,        /* word, within, s */
  T_QID,       /* a.lemma */
  T_LABEL,     /* a: */
  T_TAGSTART,  /* <s (the > comes as its own token) */
  T_TAGEND,    /* </s> */
  T_MATCHALL,  /* [] */
  T_GCDEL,     /* :: */
  T_NEQ,       /* != */
  T_IMPLIES,   /* -> */
  T_EXT,       /* (? */
  T_CHAR       /* any other single byte: [ ] ( ) { } , | & ! = @ : ? * + ; > */
} tkind;

typedef struct tok {
  tkind kind;
  size_t at, len;    /* the token's bytes in the query */
  int ch;            /* T_CHAR: the byte */
} tok;

typedef struct parser {
  const char *q;
  size_t n;
  size_t pos;        /* where the lexer reads on */
  tok t;             /* the current token */
  size_t prev_end;   /* the end of the token before it */
  int depth;         /* nesting of ( [ ! now */
  int terms;         /* & | -> in the boolean expression being read */
  cql_query *query;
  /* label references, checked against the definitions at the end */
  struct labref { const char *name; size_t at; } *refs;
  size_t nrefs, caprefs;
  int has_target;            /* some token carries @ */
  int has_keyword;           /* some token carries @1 */
  char *err;
  size_t errlen;
  jmp_buf fail;
} parser;

static int is_idstart(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_idchar(int c) { return is_idstart(c) || (c >= '0' && c <= '9') || c == '-'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

static void fail_at(parser *p, size_t at, const char *fmt, ...);

/* The length of the identifier at i, 0 if none starts there. */
static size_t id_len(const parser *p, size_t i) {
  if (i >= p->n || !is_idstart((unsigned char)p->q[i])) return 0;
  size_t j = i + 1;
  while (j < p->n && is_idchar((unsigned char)p->q[j])) j++;
  return j - i;
}

/* Reads the next token into p->t. */
static void next(parser *p) {
  const char *q = p->q;
  size_t n = p->n, i = p->pos;
  p->prev_end = p->t.at + p->t.len;
  for (;;) {   /* whitespace and # comments */
    while (i < n && (q[i] == ' ' || q[i] == '\t' || q[i] == '\r' || q[i] == '\n')) i++;
    if (i < n && q[i] == '#') {
      while (i < n && q[i] != '\n') i++;
      continue;
    }
    break;
  }
  tok t = { T_END, i, 0, 0 };
  if (i >= n) goto done;
  unsigned char c = (unsigned char)q[i];
  if (c == '\0') fail_at(p, i, "a NUL byte in the query");
  if (c == '"' || c == '\'') {
    size_t j = i + 1;
    for (;;) {
      if (j >= n || q[j] == '\n' || q[j] == '\r')
        fail_at(p, i, "unterminated string (a string ends on its line with %c)", c);
      if (q[j] == '\0') fail_at(p, j, "a NUL byte in the query");
      if (q[j] == '\\' && j + 1 < n && q[j + 1] != '\n' && q[j + 1] != '\r' && q[j + 1] != '\0') j += 2;
      else if ((unsigned char)q[j] == c && j + 1 < n && (unsigned char)q[j + 1] == c) j += 2;
      else if ((unsigned char)q[j] == c) break;
      else j++;
    }
    t.kind = T_STRING;
    t.len = j + 1 - i;
    goto done;
  }
  if (c == '%' && i + 1 < n && q[i + 1] >= 'a' && q[i + 1] <= 'z') {
    size_t j = i + 1;
    while (j < n && q[j] >= 'a' && q[j] <= 'z') j++;
    t.kind = T_FLAG;
    t.len = j - i;
    goto done;
  }
  if (is_digit(c) || ((c == '-' || c == '+') && i + 1 < n && is_digit((unsigned char)q[i + 1]))) {
    size_t j = i + 1;
    while (j < n && is_digit((unsigned char)q[j])) j++;
    t.kind = T_INT;
    t.len = j - i;
    goto done;
  }
  size_t k = id_len(p, i);
  if (k) {
    size_t j = i + k, k2;
    if (j < n && q[j] == '.' && (k2 = id_len(p, j + 1)) > 0) {
      t.kind = T_QID;
      t.len = k + 1 + k2;
    } else if (j < n && q[j] == ':') {
      t.kind = T_LABEL;
      t.len = k + 1;
    } else {
      t.kind = T_ID;
      t.len = k;
    }
    goto done;
  }
  if (c == '[') {
    size_t j = i + 1;
    while (j < n && (q[j] == ' ' || q[j] == '\t')) j++;
    if (j < n && q[j] == ']') {
      t.kind = T_MATCHALL;
      t.len = j + 1 - i;
      goto done;
    }
    if (i + 1 < n && q[i + 1] == ':')
      fail_at(p, i, "lookahead constraints [: ... :] are not supported yet");
  }
  if (c == '<') {
    if (i + 1 < n && q[i + 1] == '<') fail_at(p, i, "region elements <<s>> are not supported yet");
    if (i + 1 < n && q[i + 1] == '/' && (k = id_len(p, i + 2)) > 0) {
      if (i + 2 + k >= n || q[i + 2 + k] != '>') fail_at(p, i + 2 + k, "expected '>' after %.*s", (int)(k + 2), q + i);
      t.kind = T_TAGEND;
      t.len = k + 3;
      goto done;
    }
    if ((k = id_len(p, i + 1)) > 0) {
      t.kind = T_TAGSTART;
      t.len = k + 1;
      goto done;
    }
  }
  if (c == ':' && i + 1 < n && q[i + 1] == ':') {
    t.kind = T_GCDEL;
    t.len = 2;
    goto done;
  }
  if (c == '!' && i + 1 < n && q[i + 1] == '=') {
    t.kind = T_NEQ;
    t.len = 2;
    goto done;
  }
  if (c == '-' && i + 1 < n && q[i + 1] == '>') {
    t.kind = T_IMPLIES;
    t.len = 2;
    goto done;
  }
  if (c == '(' && i + 1 < n && q[i + 1] == '?') {
    t.kind = T_EXT;
    t.len = 2;
    goto done;
  }
  if (strchr("[](){},|&!=@:?*+;<>", c)) {
    t.kind = T_CHAR;
    t.len = 1;
    t.ch = c;
    goto done;
  }
  if (c == '$') fail_at(p, i, "variables ($name) are not supported yet");
  if (c >= 0x20 && c < 0x7f) fail_at(p, i, "unexpected '%c'", c);
  fail_at(p, i, "unexpected byte 0x%02X", c);
done:
  p->pos = t.at + t.len;
  p->t = t;
}

/* ---------------------------------------------------------------------
** Messages: "cql: LINE:COLUMN: what", with the text before the fault.
** ------------------------------------------------------------------- */

static void line_col(const parser *p, size_t at, size_t *line, size_t *col) {
  size_t l = 1, start = 0;
  for (size_t i = 0; i < at && i < p->n; i++)
    if (p->q[i] == '\n') l++, start = i + 1;
  *line = l;
  *col = at - start + 1;
}

/* Appends printf-like text to buf[0..cap) at *used, cut short when full. */
static void add(char *buf, size_t cap, size_t *used, const char *fmt, ...) {
  if (*used + 1 >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(buf + *used, cap - *used, fmt, ap);
  va_end(ap);
  if (k > 0) *used += (size_t)k < cap - *used ? (size_t)k : cap - *used - 1;
}

/* Writes what the query holds at [from, to) for a message: at most the
** last 32 bytes (cut at a character boundary), newlines as spaces. */
static void add_excerpt(const parser *p, char *buf, size_t cap, size_t *used, size_t from, size_t to) {
  if (to - from > 32) {
    from = to - 32;
    while (from < to && ((unsigned char)p->q[from] & 0xC0) == 0x80) from++;
    add(buf, cap, used, "...");
  }
  for (size_t i = from; i < to; i++) {
    char c = p->q[i];
    add(buf, cap, used, "%c", c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  }
}

static void fail_at(parser *p, size_t at, const char *fmt, ...) {
  size_t line, col, used = 0;
  line_col(p, at, &line, &col);
  add(p->err, p->errlen, &used, "cql: %zu:%zu: ", line, col);
  if (used + 1 < p->errlen) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(p->err + used, p->errlen - used, fmt, ap);
    va_end(ap);
    if (k > 0) used += (size_t)k < p->errlen - used ? (size_t)k : p->errlen - used - 1;
  }
  longjmp(p->fail, 1);
}

/* "expected WHAT after TEXT, found TOKEN" at the current token. */
static void expected(parser *p, const char *what) {
  size_t line, col, used = 0;
  line_col(p, p->t.at, &line, &col);
  char *e = p->err;
  size_t cap = p->errlen;
  add(e, cap, &used, "cql: %zu:%zu: expected %s", line, col, what);
  size_t end = p->prev_end;
  while (end > 0 && (p->q[end - 1] == ' ' || p->q[end - 1] == '\n' || p->q[end - 1] == '\t' || p->q[end - 1] == '\r')) end--;
  if (p->t.at == 0 || end == 0) add(e, cap, &used, " at the start of the query");
  else {
    add(e, cap, &used, " after ");
    add_excerpt(p, e, cap, &used, 0, end);
  }
  if (p->t.kind == T_END) add(e, cap, &used, ", found the end of the query");
  else {
    add(e, cap, &used, ", found ");
    size_t len = p->t.len > 16 ? 16 : p->t.len;
    add(e, cap, &used, "'");
    add_excerpt(p, e, cap, &used, p->t.at, p->t.at + len);
    add(e, cap, &used, p->t.len > 16 ? "...'" : "'");
  }
  longjmp(p->fail, 1);
}

static void out_of_memory(parser *p) {
  snprintf(p->err, p->errlen, "cql: out of memory");
  longjmp(p->fail, 1);
}

static void *alloc(parser *p, size_t size) {
  void *m = arena_alloc(&p->query->arena, size);
  if (!m) out_of_memory(p);
  return m;
}

static char *copy(parser *p, const char *s, size_t len) {
  char *d = alloc(p, len + 1);
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

static int is_char(const parser *p, int c) { return p->t.kind == T_CHAR && p->t.ch == c; }

static int is_word(const parser *p, const char *w) {
  return p->t.kind == T_ID && p->t.len == strlen(w) && memcmp(p->q + p->t.at, w, p->t.len) == 0;
}

static void expect_char(parser *p, int c, const char *what) {
  if (!is_char(p, c)) expected(p, what);
  next(p);
}

static void enter(parser *p) {
  if (++p->depth > CQL_MAX_DEPTH) fail_at(p, p->t.at, "nested deeper than %d levels", CQL_MAX_DEPTH);
}

/* A non-negative integer up to max, from the current T_INT token. */
static long number(parser *p, const char *what, long max) {
  if (p->t.kind != T_INT) expected(p, what);
  const char *s = p->q + p->t.at;
  size_t len = p->t.len;
  if (*s == '-' || *s == '+') {
    if (*s == '-') fail_at(p, p->t.at, "expected a non-negative number, found %.*s", (int)len, s);
    s++, len--;
  }
  long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (v > (max - (s[i] - '0')) / 10) fail_at(p, p->t.at, "%.*s is above the limit of %ld", (int)p->t.len, p->q + p->t.at, max);
    v = v * 10 + (s[i] - '0');
  }
  next(p);
  return v;
}

/* ---------------------------------------------------------------------
** Values, flags and operands
** ------------------------------------------------------------------- */

/* The current T_STRING as a value: quotes removed, a doubled quote made
** one; a backslash and the byte after it kept as they are (the regex
** engine reads them). */
static cql_operand string_value(parser *p) {
  cql_operand v;
  memset(&v, 0, sizeof v);
  const char *s = p->q + p->t.at;
  char qc = s[0];
  size_t n = p->t.len - 2;
  char *d = alloc(p, n + 1);
  size_t k = 0;
  for (size_t i = 1; i <= n; i++) {
    if (s[i] == '\\' && i + 1 <= n) {
      d[k++] = s[i++];
      d[k++] = s[i];
    } else if (s[i] == qc) {
      d[k++] = s[i++];   /* the first of a doubled quote */
    } else d[k++] = s[i];
  }
  d[k] = '\0';
  v.kind = CQL_OPD_VALUE;
  v.value = d;
  v.len = k;
  v.anchored = 1;
  next(p);
  if (p->t.kind == T_FLAG) {
    const char *f = p->q + p->t.at + 1;
    for (size_t i = 0; i + 1 < p->t.len; i++) {
      int bit = f[i] == 'c' ? CQL_FLAG_CASE : f[i] == 'd' ? CQL_FLAG_DIACRITICS : f[i] == 'l' ? CQL_FLAG_LITERAL : 0;
      if (!bit) fail_at(p, p->t.at + 1 + i, "unknown flag %%%c (CQL has %%c, %%d and %%l)", f[i]);
      v.flags |= bit;
    }
    if ((v.flags & CQL_FLAG_LITERAL) && v.flags != CQL_FLAG_LITERAL)
      fail_at(p, p->t.at, "%%l cannot be combined with %%c or %%d");
    next(p);
  }
  return v;
}

static cql_anchor anchor_named(const char *s, size_t len) {
  static const struct { const char *name; cql_anchor a; } names[] = {
    { "match", CQL_ANCHOR_MATCH }, { "matchend", CQL_ANCHOR_MATCHEND },
    { "target", CQL_ANCHOR_TARGET }, { "collocate", CQL_ANCHOR_TARGET },
    { "keyword", CQL_ANCHOR_KEYWORD } };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strlen(names[i].name) == len && memcmp(names[i].name, s, len) == 0) return names[i].a;
  return CQL_ANCHOR_NONE;
}

static void add_ref(parser *p, const char *name, size_t at) {
  if (p->nrefs == p->caprefs) {
    size_t cap = p->caprefs ? p->caprefs * 2 : 8;
    struct labref *r = alloc(p, cap * sizeof *r);
    if (p->nrefs) memcpy(r, p->refs, p->nrefs * sizeof *r);
    p->refs = r;
    p->caprefs = cap;
  }
  p->refs[p->nrefs].name = name;
  p->refs[p->nrefs++].at = at;
}

/* An attribute (ID) or label.attribute (QID) at the current token. */
static cql_operand reference(parser *p, int global) {
  cql_operand o;
  memset(&o, 0, sizeof o);
  const char *s = p->q + p->t.at;
  if (p->t.kind == T_QID) {
    size_t dot = (size_t)((const char *)memchr(s, '.', p->t.len) - s);
    o.kind = CQL_OPD_REF;
    o.label = copy(p, s, dot);
    o.name = copy(p, s + dot + 1, p->t.len - dot - 1);
    o.anchor = anchor_named(s, dot);
    if (o.anchor == CQL_ANCHOR_NONE) add_ref(p, o.label, p->t.at);
    else if (o.anchor == CQL_ANCHOR_TARGET) add_ref(p, "@", p->t.at);
    else if (o.anchor == CQL_ANCHOR_KEYWORD) add_ref(p, "@1", p->t.at);
  } else if (p->t.kind == T_ID && !global) {
    if (anchor_named(s, p->t.len) != CQL_ANCHOR_NONE)
      fail_at(p, p->t.at, "%.*s alone is not supported yet: name an attribute (%.*s.word)",
              (int)p->t.len, s, (int)p->t.len, s);
    o.kind = CQL_OPD_ATTR;
    o.name = copy(p, s, p->t.len);
  } else if (p->t.kind == T_ID) {
    fail_at(p, p->t.at, "expected label.attribute in a global constraint, found %.*s (a bare label is not supported yet)",
            (int)p->t.len, s);
  } else expected(p, global ? "label.attribute" : "an attribute or label.attribute");
  next(p);
  return o;
}

/* ---------------------------------------------------------------------
** Boolean expressions: -> below | below & below !, as CQP's grammar.
** ------------------------------------------------------------------- */

static cql_bool *bool_expr(parser *p, int global);

static cql_bool *new_bool(parser *p, cql_bool_kind kind, cql_bool *a, cql_bool *b) {
  cql_bool *e = alloc(p, sizeof *e);
  e->kind = kind;
  e->a = a;
  e->b = b;
  return e;
}

static cql_bool *relation(parser *p, int global) {
  if (is_char(p, '!')) {
    enter(p);
    next(p);
    cql_bool *e = new_bool(p, CQL_B_NOT, relation(p, global), NULL);
    p->depth--;
    return e;
  }
  if (is_char(p, '(')) {
    enter(p);
    next(p);
    cql_bool *e = bool_expr(p, global);
    expect_char(p, ')', "')'");
    p->depth--;
    return e;
  }
  if (p->t.kind != T_ID && p->t.kind != T_QID) {
    if (p->t.kind == T_STRING && !global)
      fail_at(p, p->t.at, "expected an attribute before the string inside [ ] (as in [word=\"...\"])");
    expected(p, global ? "label.attribute" : "an attribute");
  }
  cql_bool *e = new_bool(p, CQL_B_CMP, NULL, NULL);
  e->lhs = reference(p, global);
  if (p->t.kind == T_NEQ) e->negated = 1;
  else if (!is_char(p, '=')) {
    if (p->t.kind == T_ID && (is_word(p, "contains") || is_word(p, "matches") || is_word(p, "not")))
      fail_at(p, p->t.at, "feature-set operators (contains, matches) are not supported yet");
    if (is_char(p, '<') || is_char(p, '>'))
      fail_at(p, p->t.at, "numeric comparisons are not supported yet");
    expected(p, "'=' or '!='");
  }
  next(p);
  if (p->t.kind == T_STRING) e->rhs = string_value(p);
  else if (p->t.kind == T_ID || p->t.kind == T_QID) e->rhs = reference(p, global);
  else expected(p, "a string or an attribute");
  return e;
}

static void more_terms(parser *p) {
  if (++p->terms > CQL_MAX_TERMS)
    fail_at(p, p->t.at, "more than %d operators (& | ->) in one expression", CQL_MAX_TERMS);
}

static cql_bool *and_expr(parser *p, int global) {
  cql_bool *e = relation(p, global);
  while (is_char(p, '&')) {
    more_terms(p);
    next(p);
    e = new_bool(p, CQL_B_AND, e, relation(p, global));
  }
  return e;
}

static cql_bool *or_expr(parser *p, int global) {
  cql_bool *e = and_expr(p, global);
  while (is_char(p, '|')) {
    more_terms(p);
    next(p);
    e = new_bool(p, CQL_B_OR, e, and_expr(p, global));
  }
  return e;
}

static cql_bool *bool_expr(parser *p, int global) {
  cql_bool *e = or_expr(p, global);
  while (p->t.kind == T_IMPLIES) {
    more_terms(p);
    next(p);
    e = new_bool(p, CQL_B_IMPLIES, e, or_expr(p, global));
  }
  return e;
}

/* ---------------------------------------------------------------------
** Sequences
** ------------------------------------------------------------------- */

static cql_node *alternation(parser *p);

static cql_node *new_node(parser *p, cql_node_kind kind, size_t at) {
  cql_node *n = alloc(p, sizeof *n);
  n->kind = kind;
  n->offset = at;
  return n;
}

/* A growing list of kids, moved into the arena when full. A sequence in
** a sequence (or an alternation in an alternation) gives its kids: ("a"
** "b") "c" is "a" "b" "c", and has one canonical form. */
static void add_kid(parser *p, cql_node *n, cql_node *kid, size_t *cap) {
  if (kid->kind == n->kind && (n->kind == CQL_N_SEQ || n->kind == CQL_N_ALT)) {
    for (size_t i = 0; i < kid->nkids; i++) add_kid(p, n, kid->kids[i], cap);
    return;
  }
  if (n->nkids == *cap) {
    size_t c = *cap ? *cap * 2 : 4;
    cql_node **k = alloc(p, c * sizeof *k);
    if (n->nkids) memcpy(k, n->kids, n->nkids * sizeof *k);
    n->kids = k;
    *cap = c;
  }
  n->kids[n->nkids++] = kid;
}

static void define_label(parser *p, size_t at, size_t len) {
  const char *s = p->q + at;
  if (anchor_named(s, len) != CQL_ANCHOR_NONE)
    fail_at(p, at, "%.*s is an anchor, not a label (anchor tags are not supported yet)", (int)len, s);
  cql_query *q = p->query;
  for (size_t i = 0; i < q->nlabels; i++)
    if (strlen(q->labels[i]) == len && memcmp(q->labels[i], s, len) == 0) return;
  if (q->nlabels == CQL_MAX_LABELS) fail_at(p, at, "more than %d labels in one query", CQL_MAX_LABELS);
  if (q->nlabels == 0) q->labels = alloc(p, CQL_MAX_LABELS * sizeof *q->labels);
  q->labels[q->nlabels++] = copy(p, s, len);
}

/* A token pattern: [@[N][:]] [label:] ("re" [flags] | [] | [ bool ]). */
static cql_node *token(parser *p) {
  cql_node *n = new_node(p, CQL_N_TOKEN, p->t.at);
  if (is_char(p, '@')) {
    n->mark = CQL_MARK_TARGET;
    next(p);
    if (p->t.kind == T_INT) {
      long k = number(p, "a number", 9);
      if (k == 1) n->mark = CQL_MARK_KEYWORD;
      else if (k != 0) fail_at(p, p->prev_end - 1, "@%ld is not supported: @0 (or @) marks the target, @1 the keyword", k);
    }
    if (is_char(p, ':')) next(p);
    if (n->mark == CQL_MARK_TARGET) {
      if (p->has_target) fail_at(p, n->offset, "a second target marker @ (a query has one)");
      p->has_target = 1;
    } else {
      if (p->has_keyword) fail_at(p, n->offset, "a second keyword marker @1 (a query has one)");
      p->has_keyword = 1;
    }
  }
  if (p->t.kind == T_LABEL) {
    define_label(p, p->t.at, p->t.len - 1);
    n->label = copy(p, p->q + p->t.at, p->t.len - 1);
    next(p);
  }
  if (p->t.kind == T_STRING) {
    n->test = new_bool(p, CQL_B_CMP, NULL, NULL);
    n->test->lhs.kind = CQL_OPD_ATTR;
    n->test->lhs.name = copy(p, "word", 4);
    n->test->rhs = string_value(p);
  } else if (p->t.kind == T_MATCHALL) {
    n->test = new_bool(p, CQL_B_TRUE, NULL, NULL);
    next(p);
  } else if (is_char(p, '[')) {
    enter(p);
    next(p);
    p->terms = 0;
    n->test = bool_expr(p, 0);
    expect_char(p, ']', "']'");
    p->depth--;
  } else {
    expected(p, n->label || n->mark ? "a token ([...], [] or \"...\") after the label or @" : "a token, a tag or '('");
  }
  n->index = (int)p->query->ntokens++;
  return n;
}

/* <s>, <text_year="19.*" %c>, </s>. */
static cql_node *tag(parser *p) {
  size_t at = p->t.at;
  cql_node *n;
  if (p->t.kind == T_TAGEND) {
    n = new_node(p, CQL_N_CLOSE, at);
    n->region = copy(p, p->q + at + 2, p->t.len - 3);
    next(p);
  } else {
    const char *name = p->q + at + 1;
    size_t len = p->t.len - 1;
    if (anchor_named(name, len) != CQL_ANCHOR_NONE)
      fail_at(p, at, "anchor tags <%.*s> are not supported yet", (int)len, name);
    n = new_node(p, CQL_N_OPEN, at);
    next(p);
    if (is_char(p, '>')) {
      n->region = copy(p, name, len);
    } else {
      if (p->t.kind == T_NEQ) n->negated = 1, next(p);
      else if (is_char(p, '=')) next(p);
      if (p->t.kind != T_STRING) expected(p, "'>' or '=\"value\"'");
      n->region = copy(p, name, len);
      n->has_value = 1;
      n->value = string_value(p);
    }
    expect_char(p, '>', "'>'");
  }
  n->index = (int)p->query->ntags++;
  return n;
}

static cql_node *atom(parser *p) {
  if (is_char(p, '(')) {
    enter(p);
    next(p);
    cql_node *n = alternation(p);
    expect_char(p, ')', "')'");
    p->depth--;
    return n;
  }
  if (p->t.kind == T_TAGSTART || p->t.kind == T_TAGEND) return tag(p);
  return token(p);
}

/* An atom and its repetition: ? * + {n} {n,} {n,m} {,m}. */
static cql_node *factor(parser *p) {
  size_t at = p->t.at;
  cql_node *a = atom(p);
  int min, max;
  if (is_char(p, '?')) min = 0, max = 1;
  else if (is_char(p, '*')) min = 0, max = -1;
  else if (is_char(p, '+')) min = 1, max = -1;
  else if (is_char(p, '{')) {
    next(p);
    if (is_char(p, ',')) {
      next(p);
      min = 0;
      max = (int)number(p, "a number after '{,'", CQL_MAX_REPEAT);
    } else {
      min = max = (int)number(p, "a number after '{'", CQL_MAX_REPEAT);
      if (is_char(p, ',')) {
        next(p);
        max = p->t.kind == T_INT ? (int)number(p, "a number", CQL_MAX_REPEAT) : -1;
        if (max >= 0 && max < min) fail_at(p, p->prev_end - 1, "repetition {%d,%d}: the maximum is below the minimum", min, max);
      }
    }
    if (!is_char(p, '}')) expected(p, "'}'");
  } else return a;
  if (a->kind == CQL_N_OPEN || a->kind == CQL_N_CLOSE)
    fail_at(p, p->t.at, "a repetition on a tag (it matches no token; repeat a group instead)");
  next(p);
  cql_node *r = new_node(p, CQL_N_REPEAT, at);
  size_t cap = 0;
  add_kid(p, r, a, &cap);
  r->min = min;
  r->max = max;
  return r;
}

static int starts_factor(const parser *p) {
  return p->t.kind == T_STRING || p->t.kind == T_MATCHALL || p->t.kind == T_LABEL ||
         p->t.kind == T_TAGSTART || p->t.kind == T_TAGEND || is_char(p, '[') || is_char(p, '(') ||
         is_char(p, '@');
}

static cql_node *sequence(parser *p) {
  cql_node *first = factor(p);
  if (!starts_factor(p)) return first;
  cql_node *s = new_node(p, CQL_N_SEQ, first->offset);
  size_t cap = 0;
  add_kid(p, s, first, &cap);
  while (starts_factor(p)) add_kid(p, s, factor(p), &cap);
  return s;
}

static cql_node *alternation(parser *p) {
  cql_node *first = sequence(p);
  if (!is_char(p, '|')) return first;
  cql_node *a = new_node(p, CQL_N_ALT, first->offset);
  size_t cap = 0;
  add_kid(p, a, first, &cap);
  while (is_char(p, '|')) {
    more_terms(p);
    next(p);
    add_kid(p, a, sequence(p), &cap);
  }
  return a;
}

/* ---------------------------------------------------------------------
** The query
** ------------------------------------------------------------------- */

static void strategy(parser *p) {
  static const char *names[] = { "standard", "shortest", "longest", "traditional" };
  next(p);
  if (p->t.kind != T_ID) expected(p, "a matching strategy (longest, shortest, standard, traditional)");
  for (int i = 0; i < 4; i++) {
    if (strlen(names[i]) != p->t.len) continue;
    size_t k = 0;
    while (k < p->t.len && (p->q[p->t.at + k] | 0x20) == names[i][k]) k++;
    if (k == p->t.len) {
      p->query->strategy = (cql_strategy)i;
      p->query->strategy_given = 1;
      next(p);
      expect_char(p, ')', "')'");
      return;
    }
  }
  fail_at(p, p->t.at, "unknown matching strategy %.*s (CQP has longest, shortest, standard, traditional)",
          (int)p->t.len, p->q + p->t.at);
}

static void check_labels(parser *p) {
  cql_query *q = p->query;
  for (size_t i = 0; i < p->nrefs; i++) {
    const char *name = p->refs[i].name;
    int ok = 0;
    if (strcmp(name, "@") == 0) ok = p->has_target;
    else if (strcmp(name, "@1") == 0) ok = p->has_keyword;
    else
      for (size_t k = 0; k < q->nlabels && !ok; k++) ok = strcmp(q->labels[k], name) == 0;
    if (!ok) {
      if (name[0] == '@')
        fail_at(p, p->refs[i].at, "%s used but no token is marked with %s",
                name[1] ? "keyword" : "target", name);
      fail_at(p, p->refs[i].at, "label %s used but not defined (define it as %s:[...])", name, name);
    }
  }
}

static void parse_query(parser *p) {
  cql_query *q = p->query;
  next(p);
  if (p->t.kind == T_END) fail_at(p, p->t.at, "the query is empty");
  if (p->t.kind == T_EXT) strategy(p);
  if (!starts_factor(p)) expected(p, "a token, a tag or '('");
  q->root = alternation(p);
  if (p->t.kind == T_GCDEL) {
    next(p);
    p->terms = 0;
    q->global = bool_expr(p, 1);
  }
  if (is_word(p, "within")) {
    next(p);
    if (p->t.kind == T_INT) {
      q->within_count = number(p, "a number", INT_MAX);
      if (q->within_count == 0) fail_at(p, p->prev_end - 1, "within 0: the number must be at least 1");
      if (p->t.kind == T_ID && !is_word(p, "cut")) {
        q->within = copy(p, p->q + p->t.at, p->t.len);
        next(p);
      }
    } else if (p->t.kind == T_ID && !is_word(p, "cut")) {
      q->within_count = 1;
      q->within = copy(p, p->q + p->t.at, p->t.len);
      next(p);
    } else expected(p, "a region name (s, p, text) or a number of tokens");
  }
  if (is_word(p, "cut")) {
    next(p);
    q->cut = number(p, "a number after cut", LONG_MAX / 2);
    if (q->cut == 0) fail_at(p, p->prev_end - 1, "cut 0: the number must be at least 1");
  }
  if (is_char(p, ';')) next(p);
  if (p->t.kind != T_END) {
    if (is_char(p, ')')) fail_at(p, p->t.at, "unbalanced ')'");
    /* what could still follow, given what has been read */
    expected(p, q->cut ? "the end of the query"
                : q->within_count ? "cut or the end of the query"
                : q->global ? "'&', '|', '->', within, cut or the end of the query"
                : "a token, '|', '::', within, cut or the end of the query");
  }
  check_labels(p);
}

cql_query *cql_parse(const char *q, size_t n, char *err, size_t errlen) {
  char dummy[1];
  if (!err || errlen == 0) err = dummy, errlen = sizeof dummy;
  err[0] = '\0';
  if (n > CQL_MAX_QUERY) {
    snprintf(err, errlen, "cql: the query is %zu bytes, above the limit of %d", n, CQL_MAX_QUERY);
    return NULL;
  }
  cql_arena *arena = NULL;
  cql_query *query = arena_alloc(&arena, sizeof *query);
  if (!query) {
    snprintf(err, errlen, "cql: out of memory");
    return NULL;
  }
  query->arena = arena;
  parser p;
  memset(&p, 0, sizeof p);
  p.q = q;
  p.n = n;
  p.query = query;
  p.err = err;
  p.errlen = errlen;
  if (setjmp(p.fail)) {
    arena_free(query->arena);
    return NULL;
  }
  parse_query(&p);
  return query;
}

void cql_free(cql_query *query) {
  if (query) arena_free(query->arena);
}
