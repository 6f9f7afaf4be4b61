/*
** cql.h: the CQP query language (CQL) of the Corpus Workbench, parsed into
** one representation and compiled into an NFA over token positions.
**
** A pure core: no Lua, no corpus. cql_parse turns one query into an AST
** (cql_query); cql_format writes it back in a canonical form; cql_compile
** builds the Thompson NFA that an evaluator over an index of many
** attributes runs (states with epsilon edges, token tests and region
** boundary assertions). Nothing here reads a corpus or compiles a regular
** expression: the evaluator compiles each value against each attribute's
** lexicon, anchored at both ends (CQP matches a value whole).
**
** docs/cql.md gives the grammar as implemented and what CQP has that this
** parser does not take yet.
*/
#ifndef LEXIS_CQL_H
#define LEXIS_CQL_H

#include <stddef.h>
#include <stdint.h>

/* Caps that keep a hostile query from exhausting the stack or memory. */
enum {
  CQL_MAX_DEPTH = 64,        /* nested ( ) [ ] and ! in one query */
  CQL_MAX_REPEAT = 1000,     /* a bound in {n}, {n,}, {n,m}, {,m} */
  CQL_MAX_TERMS = 1000,      /* & | -> in one [ ] or global constraint */
  CQL_MAX_LABELS = 256,      /* distinct labels in one query */
  CQL_MAX_STATES = 100000,   /* NFA states cql_compile may build */
  CQL_MAX_QUERY = 1 << 20    /* bytes of query text */
};

/* Flags of a value, as CQP writes them after the string (%c %d %l). */
enum {
  CQL_FLAG_CASE = 1,         /* %c: case-insensitive */
  CQL_FLAG_DIACRITICS = 2,   /* %d: diacritic-insensitive */
  CQL_FLAG_LITERAL = 4       /* %l: the value is a literal string, not a regex */
};

/* The matching strategies of (?name) before a query; STANDARD by default. */
typedef enum {
  CQL_STANDARD = 0,
  CQL_SHORTEST,
  CQL_LONGEST,
  CQL_TRADITIONAL
} cql_strategy;

/* The anchors of a match a global constraint may refer to. */
typedef enum {
  CQL_ANCHOR_NONE = 0,
  CQL_ANCHOR_MATCH,
  CQL_ANCHOR_MATCHEND,
  CQL_ANCHOR_TARGET,
  CQL_ANCHOR_KEYWORD
} cql_anchor;

/* ---------------------------------------------------------------------
** Boolean expressions: the inside of [ ... ] and the global constraint
** after ::.
** ------------------------------------------------------------------- */

typedef enum {
  CQL_OPD_ATTR,    /* an attribute at the current token: name */
  CQL_OPD_REF,     /* label.attribute: label (or anchor) and attribute name */
  CQL_OPD_VALUE    /* a string: a regex matched against the whole value */
} cql_operand_kind;

typedef struct cql_operand {
  cql_operand_kind kind;
  char *name;          /* ATTR: attribute; REF: attribute after the dot */
  char *label;         /* REF: the label, or "match", "matchend", ... */
  cql_anchor anchor;   /* REF: the anchor the label names, or NONE */
  char *value;         /* VALUE: the string, quotes removed, NUL-ended */
  size_t len;          /* VALUE: its length (a NUL byte cannot occur) */
  int flags;           /* VALUE: CQL_FLAG_* */
  int anchored;        /* VALUE: 1: matched whole, as CQP does (always 1) */
} cql_operand;

typedef enum {
  CQL_B_TRUE,      /* [] : any token */
  CQL_B_CMP,       /* lhs = rhs, lhs != rhs */
  CQL_B_NOT,
  CQL_B_AND,
  CQL_B_OR,
  CQL_B_IMPLIES    /* a -> b, CQP's implication */
} cql_bool_kind;

typedef struct cql_bool {
  cql_bool_kind kind;
  int negated;               /* CMP: 1 for != */
  cql_operand lhs, rhs;      /* CMP */
  struct cql_bool *a, *b;    /* NOT: a; AND, OR, IMPLIES: a, b */
} cql_bool;

/* ---------------------------------------------------------------------
** Sequences: a regular expression over tokens and region boundaries.
** ------------------------------------------------------------------- */

typedef enum {
  CQL_N_TOKEN,     /* one token that passes test */
  CQL_N_OPEN,      /* <s>, <text_year="19.*">: a region starts here */
                   /* (text_year is CWB's name for the year of a text region:
                      the evaluator resolves it against the index, since a
                      region's own name may hold an underscore) */
  CQL_N_CLOSE,     /* </s>: the token before here ends a region */
  CQL_N_SEQ,       /* kids in order */
  CQL_N_ALT,       /* one of kids */
  CQL_N_REPEAT     /* kids[0] min..max times (max -1: no bound) */
} cql_node_kind;

typedef enum {
  CQL_MARK_NONE = 0,
  CQL_MARK_TARGET,    /* @ or @0 */
  CQL_MARK_KEYWORD    /* @1 */
} cql_mark;

typedef struct cql_node {
  cql_node_kind kind;
  size_t offset;             /* byte offset in the query, for messages */
  /* TOKEN */
  cql_bool *test;            /* never NULL; CQL_B_TRUE for [] */
  char *label;               /* a: before it, or NULL */
  cql_mark mark;             /* @ before it */
  int index;                 /* TOKEN: 0, 1, ... among the tokens, in query order;
                                OPEN, CLOSE: 0, 1, ... among the tags */
  /* OPEN, CLOSE */
  char *region;              /* the structural attribute as written: "s", "text_year" */
  int has_value;             /* OPEN: 1 for <text_year="..."> */
  cql_operand value;         /* OPEN with a value: the value (kind VALUE) */
  int negated;               /* OPEN with a value: != */
  /* SEQ, ALT: kids[0..nkids); REPEAT: kids[0] */
  struct cql_node **kids;
  size_t nkids;
  int min, max;              /* REPEAT */
} cql_node;

typedef struct cql_query {
  cql_strategy strategy;     /* (?longest) ... ; STANDARD when none */
  int strategy_given;        /* 1 when (?name) was written */
  cql_node *root;            /* the sequence */
  cql_bool *global;          /* after ::, or NULL */
  char *within;              /* within s: the region name, or NULL */
  long within_count;         /* within 3 s, within 10: the number; 0 when none */
  long cut;                  /* cut N: the number; 0 when none */
  size_t ntokens;            /* TOKEN nodes, numbered by their index */
  size_t ntags;              /* OPEN and CLOSE nodes, numbered by theirs */
  char **labels;             /* the labels defined, in order of first definition */
  size_t nlabels;
  struct cql_arena *arena;   /* owns every node and string above */
} cql_query;

/*
** Parses the query q[0..n). Returns the AST, or NULL with a message in
** err ("cql: 1:10: expected ']' after [word=\"a\"") when the query is
** malformed, too deep or too large, or when memory runs out ("cql: out of
** memory"). Never reads beyond q + n.
*/
cql_query *cql_parse(const char *q, size_t n, char *err, size_t errlen);
void cql_free(cql_query *query);

/*
** The canonical form of a parsed query: one space between elements,
** strings in double quotes, the default attribute written out
** ([word="a"] for "a"), {0,1} {0,} {1,} as ? * +, flags in the order
** c d l, parentheses only where they are needed. Parsing it again
** gives the same form. Returns a NUL-ended string the caller frees
** (free), or NULL when memory runs out; *len gets its length.
*/
char *cql_format(const cql_query *query, size_t *len);

/* ---------------------------------------------------------------------
** The NFA (Thompson construction). States are numbered from 0; an edge
** is a state number, -1 for none. An evaluator walks it from start over
** token positions; the epsilon closure must remember the states it has
** visited (a loop over something that can be empty, ("a"?)*, makes an
** epsilon cycle).
** ------------------------------------------------------------------- */

typedef enum {
  CQL_S_EPSILON,   /* go to out without consuming a token */
  CQL_S_SPLIT,     /* go to out and to out1 (out is preferred: greedy) */
  CQL_S_TOKEN,     /* consume one token that passes node->test, go to out */
  CQL_S_OPEN,      /* assert: a region node->region starts at this position */
  CQL_S_CLOSE,     /* assert: the token before this position ends one */
  CQL_S_ACCEPT     /* a match ends here */
} cql_state_kind;

typedef struct cql_state {
  cql_state_kind kind;
  int out, out1;
  const cql_node *node;      /* TOKEN, OPEN, CLOSE: the AST node (label, mark, test) */
} cql_state;

typedef struct cql_program {
  cql_state *states;
  size_t nstates;
  int start;
  int nullable;              /* 1: the query can match without a token */
  const cql_query *query;    /* the AST the states point into; not owned */
} cql_program;

/*
** Compiles a parsed query into its NFA. The program points into query,
** which must outlive it. Returns NULL with a message in err when the
** automaton would exceed CQL_MAX_STATES or memory runs out.
*/
cql_program *cql_compile(const cql_query *query, char *err, size_t errlen);
void cql_program_free(cql_program *prog);

/*
** One line a state ("3 token #1 -> 4", "2 split -> 3, 5"), for tests and
** debugging. Returns a string the caller frees, or NULL without memory.
*/
char *cql_program_dump(const cql_program *prog, size_t *len);

/*
** A reference walk of the NFA over an abstract text, for tests: position i
** (0..n) holds pass[i], a bit mask of the token tests (by node index,
** below 64) that token i passes, opens[i] and closes[i], bit masks of the
** OPEN and CLOSE nodes (by their order in the query, below 64) whose
** assertion holds at position i (closes[i]: the token before i ends the
** region). Writes to *end the end of the longest match starting at 0
** (exclusive) and returns 1, or returns 0 when none matches. Returns -1
** when memory runs out.
*/
int cql_program_longest(const cql_program *prog, const uint64_t *pass, const uint64_t *opens,
                        const uint64_t *closes, size_t n, size_t *end);

#endif
