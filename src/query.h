/*
** query.h: what a concordance looks for.
**
** A query is one pattern per token position: "left opposition" is two
** literal words, "the * of" a literal, a glob and a literal. A pattern is a
** literal word, a glob (* any run, ? one character, \ escapes) or a PCRE2
** regular expression (every position with LX_Q_REGEX, or one written /re/)
** that must match the whole token. Without LX_Q_CASE the patterns are
** case-folded here and tested against case-folded token text. Pure C.
*/
#ifndef LEXIS_QUERY_H
#define LEXIS_QUERY_H

#include <stddef.h>

enum lx_pat_kind { LX_PAT_LITERAL, LX_PAT_GLOB, LX_PAT_REGEX };
/* LX_Q_SPLIT_APOS: a word or glob is cut at apostrophes (' and U+2019),
** each apostrophe a position of its own, as text tokenized with
** split_apostrophes is: "Stalin’s" is then Stalin ’ s.
** A literal word holding Chinese, Japanese, Thai, Lao, Khmer or Myanmar is
** cut into words as the text is: by the tokenizer's dictionaries (東京に is
** 東京 に), or with LX_Q_NO_DICT, when the text was cut without them
** (no_dictionary), by UAX #29 alone (東 京 に). */
enum { LX_Q_CASE = 1, LX_Q_REGEX = 2, LX_Q_SPLIT_APOS = 4, LX_Q_NO_DICT = 8 };

#define LX_QUERY_MAX 32            /* positions in a phrase */

typedef struct lx_pat {
  int kind;                        /* enum lx_pat_kind */
  char *text;                      /* folded unless LX_Q_CASE; malloced */
  size_t len;
  void *re;                        /* pcre2_code for LX_PAT_REGEX */
  void *md;                        /* its pcre2_match_data */
} lx_pat;

typedef struct lx_query {
  int flags;                       /* LX_Q_* */
  size_t n;                        /* positions, 1 .. LX_QUERY_MAX */
  lx_pat pos[LX_QUERY_MAX];
} lx_query;

/* Whether the word w[0..n) is a literal (no glob, no escape) holding a code
** point of a script the dictionaries cut: the query cuts it into words
** itself, as the tokenizer cuts the text. */
int lx_query_dict_word(const char *w, size_t n);

/* Parses s[0..len). NULL with a message in err if the query is empty, too
** long, a regular expression does not compile, or memory runs out. */
lx_query *lx_query_parse(const char *s, size_t len, int flags, char *err, size_t errlen);
void lx_query_free(lx_query *q);
/* A copy with its own regex match data, for another thread. NULL if out of memory. */
lx_query *lx_query_clone(const lx_query *q);

/* Does pattern p match the whole token text t[0..n)? (t already folded
** unless the query has LX_Q_CASE.) 1 or 0; or, for a regular expression
** that fails (PCRE2's match, depth or heap limit, ...), pcre2_match's
** negative code: the caller must stop and say so (lx_regex_failure), never
** take it for "no match". A pattern is not thread-safe (regex match data):
** use one query per thread. */
int lx_pat_match(const lx_pat *p, const char *t, size_t n);

/*
** Does position i of q match the word w[0..n) as a whole word list holds it
** (not yet folded)? The word is folded first unless the query has LX_Q_CASE,
** so every user of a lexicon (collocates, n-grams, word lists) matches words
** the way kwic matches tokens. 1, 0, or -1 if memory ran out or the pattern
** failed (lx_pat_match < 0).
*/
int lx_query_word(const lx_query *q, size_t i, const char *w, size_t n);

/* The words for a pcre2_match result below -1 (PCRE2_ERROR_NOMATCH):
** "pattern 'P' hit PCRE2's match limit" and the like, into buf. The one
** wording of this failure, for the tokenizer's patterns and queries alike. */
void lx_regex_failure(int rc, const char *pat, size_t patlen, char *buf, size_t len);
/* The same for a word that position i of q failed on (rc < -1, as
** lx_query_word gives it): "pattern '...' hit PCRE2's match limit on the
** word '...'". */
void lx_word_failure(const lx_query *q, size_t i, int rc, const char *w, size_t wlen, char *buf, size_t len);

/* Case folding as the tokenizer does it with LX_CASE_FOLD and LX_NORM_NFC:
** a malloced copy, NULL if out of memory. */
char *lx_fold(const char *s, size_t len, size_t *outlen);

#endif
