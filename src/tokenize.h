/*
** tokenize.h: UTF-8 text to tokens (byte offset, length, kind).
**
** The default rules are Unicode word boundaries (UAX #29, Unicode 15.0): a
** token is the text between two boundaries. ASCII runs take a fast path that
** gives the same tokens as the general path. A PCRE2 pattern can define the
** tokens instead. Pure C: no Lua here.
*/
#ifndef LEXIS_TOKENIZE_H
#define LEXIS_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

/* Token kinds. A token is a word if it holds a letter, else a number if it
** holds a digit, else the class of its first character decides. */
enum lx_kind {
  LX_WORD,     /* holds a letter (any script, ideographs included) */
  LX_NUMBER,   /* holds a digit and no letter: 42, 3.14, 1,000 */
  LX_PUNCT,    /* starts with punctuation (P*): . , " ( - */
  LX_SYMBOL,   /* anything else: symbols (S*), emoji, marks, controls */
  LX_SPACE,    /* starts with white space: a run of spaces, one newline */
  LX_INVALID,  /* one byte that is not part of valid UTF-8 */
  LX_NKINDS
};
#define LX_KIND_BIT(k) (1u << (k))
#define LX_KINDS_ALL ((1u << LX_NKINDS) - 1)
#define LX_KINDS_WORDS (LX_KIND_BIT(LX_WORD) | LX_KIND_BIT(LX_NUMBER))

enum lx_case { LX_CASE_KEEP, LX_CASE_LOWER, LX_CASE_FOLD };
enum lx_norm { LX_NORM_NONE, LX_NORM_NFC, LX_NORM_NFKC };

typedef struct lx_token {
  size_t start;            /* byte offset from the start of the buffer */
  uint32_t len;            /* bytes */
  uint8_t kind;            /* enum lx_kind */
  uint8_t ascii;           /* 1 if every byte is ASCII (lets callers skip Unicode work) */
} lx_token;

typedef struct lx_tokopts {
  unsigned kinds;          /* LX_KIND_BIT set of kinds to emit; 0 = all */
  int casing;              /* enum lx_case, applied by lx_tok_text */
  int norm;                /* enum lx_norm, applied by lx_tok_text */
  int join_hyphens;        /* word-word (ASCII -, U+2010, U+2011) is one word */
  int split_apostrophes;   /* split words at ' and U+2019 (UAX #29 keeps don't whole) */
  int general;             /* 1: no ASCII fast path (differential tests, timing) */
  int no_dictionary;       /* 1: Chinese, Japanese, Thai, Lao, Khmer, Myanmar cut by
                              UAX #29 alone (a token per ideograph), not by ICU's
                              dictionaries (dictseg.h) */
  const char *pattern;     /* PCRE2 pattern whose matches are the tokens, or NULL */
  size_t patlen;
  const char *stem;        /* a Snowball language ("en", "german": stem.h), or NULL: lx_tok_text
                              stems each word after the case options (a stemmer wants lower
                              case, so LX_CASE_KEEP acts as LX_CASE_LOWER) */
} lx_tokopts;

typedef struct lx_tokenizer lx_tokenizer;

/* Returns NULL on failure with a message in err (bad pattern, no memory, a
** stemming language libstemmer lacks, or libstemmer missing). */
lx_tokenizer *lx_tok_new(const lx_tokopts *o, char *err, size_t errlen);
/* A tokenizer is not thread-safe (pattern match data, scratch): one per thread. */
lx_tokenizer *lx_tok_clone(const lx_tokenizer *t);
void lx_tok_free(lx_tokenizer *t);
const lx_tokopts *lx_tok_opts(const lx_tokenizer *t);

/*
** Splits s[0..n) into at most cap tokens of the kept kinds, stored in out.
** Returns how many; *used is where scanning stopped: the next call starts
** there (tokens of other kinds before it were skipped). If final is 0, a token
** that could go on past n (or whose end depends on bytes past n) is left
** unscanned: carry s[*used..n) over to the front of the next chunk. With
** final 0, *used can be 0 even with n > 0: the caller must grow its buffer.
*/
size_t lx_tokenize(lx_tokenizer *t, const char *s, size_t n, int final,
                   lx_token *out, size_t cap, size_t *used);
/*
** Did the last lx_tokenize call stop because the pattern failed (PCRE2's
** match limit and the like)? Then its code (< 0), with *at the offset in
** that call's text where matching gave up (*used is there too) and the
** words in msg ("pattern 'P' hit PCRE2's match limit"); else 0. A caller
** must check it whenever a call ends short: the text after *at was not
** tokenized, and taking it for "no more tokens" is a silent wrong count.
*/
int lx_tok_failed(const lx_tokenizer *t, size_t *at, char *msg, size_t msglen);

/*
** Counting: a short ASCII token (at most 16 bytes, which is nearly every word)
** handed over as its text after the case options, zero-padded to 16 bytes,
** so a hash table can take it as two machine words without a copy.
*/
#define LX_KEY_MAX 16
typedef struct lx_shortkey {
  uint64_t w[2];           /* the bytes, then zeros */
  uint64_t len;            /* 1 .. LX_KEY_MAX */
} lx_shortkey;

/* 1 if lx_tok_count can serve t: UAX #29 rules (no pattern, not general),
** and no kinds kept but word, number and invalid. */
int lx_tok_countable(const lx_tokenizer *t);
/* 1 if lx_tok_count can count t's tokens when their text is not wanted
** (nother given): as above, but punct and symbol may be kept, both or neither. */
int lx_tok_countable_only(const lx_tokenizer *t);

/*
** The counting kernel: the tokens lx_tokenize would give for the same call,
** without storing them. Short ASCII tokens of the kept kinds go to keys
** (case options applied: ASCII lower-casing is all they need); every other
** kept token (non-ASCII, longer, invalid) goes to out as lx_tokenize would
** store it. Stops when either array is full, or where lx_tokenize would; sets
** *nkeys and *used as lx_tokenize sets *used, and returns the tokens in out.
** Only for a tokenizer for which lx_tok_countable says 1; or, when nother is
** not NULL, lx_tok_countable_only: then single-byte punctuation and symbol
** tokens are only counted, in *nother, and their keys are not given.
*/
size_t lx_tok_count(lx_tokenizer *t, const char *s, size_t n, int final, lx_shortkey *keys,
                    size_t kcap, size_t *nkeys, lx_token *out, size_t cap, size_t *used,
                    size_t *nother);

/*
** lx_tok_count keeping the order (nother NULL): each token that goes to out
** also leaves an empty key (len 0) among the keys where it stood, so walking
** the keys and taking the next out token at each empty one gives the tokens
** in text order (n-grams need it).
*/
size_t lx_tok_count_seq(lx_tokenizer *t, const char *s, size_t n, int final,
                        lx_shortkey *keys, size_t kcap, size_t *nkeys, lx_token *out, size_t cap,
                        size_t *used);
/*
** The text of a token after the case and normalisation options, and for a
** word the stem option (the one home of these rules). Returns s
** itself when nothing changes (always for ASCII without upper case), else a
** buffer owned by t and valid until the next call; NULL if out of memory.
*/
const char *lx_tok_text(lx_tokenizer *t, const char *s, size_t len, int kind,
                        size_t *outlen);

/* "word", "number", ... ; and back (returns -1 if unknown). */
const char *lx_kind_name(int kind);
int lx_kind_parse(const char *name, size_t len);

#endif
