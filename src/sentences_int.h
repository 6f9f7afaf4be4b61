/*
** sentences_int.h: what the parts of the sentence splitter share: the
** splitter's insides, the characters the rules and the learner read, and the
** candidate scan. Not a contract: sentences.h is.
**
**   sentences.c        the splitter (its word lists and options) and the
**                      candidate scan: bytes where a sentence may end
**   sentences_rules.c  the rules that decide at each candidate; lx_split
**   sentences_stream.c splitting a stream, in parallel; white space collapsed
**   sentences_learn.c  learning a text's own abbreviations
*/
#ifndef LEXIS_SENTENCES_INT_H
#define LEXIS_SENTENCES_INT_H

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1 /* compiled for AVX2 with a target attribute, used if the CPU has it */
#endif

#include "sentences.h"

/* Sentence_Break values, in the order src/gen/sentences.lua writes them. */
enum {
  SB_Other, SB_CR, SB_LF, SB_Extend, SB_Sep, SB_Format, SB_Sp, SB_Lower, SB_Upper,
  SB_OLetter, SB_Numeric, SB_ATerm, SB_SContinue, SB_STerm, SB_Close
};
#include "sentences_tables.h"

#define QUOTE_MAX 1000  /* bytes a quotation may hold sentence ends back */
#define MAX_DEPTH 16    /* nested quotations and brackets tracked */
#define MAX_PENDING 64  /* sentence ends held back inside one quotation */
#define MIN_SPANS LX_SPLIT_MIN_SPANS /* room before each decision */
_Static_assert(LX_SPLIT_MIN_SPANS >= MAX_PENDING + 2, "a decision may release MAX_PENDING ends");
#define WORD_MAX 64     /* longest word looked up, in bytes */

/* ====================================================================
** Characters
** ==================================================================== */

static inline int sb_nonascii(uint32_t cp) {
  size_t lo = 0, hi = sizeof sb_ranges / sizeof sb_ranges[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < sb_ranges[mid].lo)
      hi = mid;
    else if (cp > sb_ranges[mid].hi)
      lo = mid + 1;
    else
      return sb_ranges[mid].sb;
  }
  return SB_Other;
}

static inline int sb_of(uint32_t cp) {
  if (cp >= 0x80)
    return sb_nonascii(cp);
  if (cp >= 'a' && cp <= 'z') return SB_Lower;
  if (cp >= 'A' && cp <= 'Z') return SB_Upper;
  if (cp >= '0' && cp <= '9') return SB_Numeric;
  switch (cp) {
  case ' ': case '\t': case '\f': case '\v': return SB_Sp;
  case '\n': return SB_LF;
  case '\r': return SB_CR;
  case '.': return SB_ATerm;
  case '!': case '?': return SB_STerm;
  case ',': case '-': case ':': case ';': return SB_SContinue;
  case '"': case '\'': case '(': case ')': case '[': case ']': case '{': case '}': return SB_Close;
  default: return SB_Other;
  }
}

/*
** Decodes the character at s[i] (i < len); *n is its length. Malformed
** bytes decode one at a time as U+FFFD, so the scan always advances.
*/
static inline uint32_t decode(const uint8_t *s, size_t i, size_t len, size_t *n) {
  uint32_t c = s[i];
  *n = 1;
  if (c < 0x80)
    return c;
  size_t need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
  if (need == 0 || c > 0xF4 || need >= len - i)
    return 0xFFFD;
  uint32_t cp = c & (0x3F >> need);
  for (size_t k = 1; k <= need; k++) {
    uint8_t b = s[i + k];
    if ((b & 0xC0) != 0x80)
      return 0xFFFD;
    cp = (cp << 6) | (b & 0x3F);
  }
  *n = need + 1;
  return cp;
}

/* The start of the character that ends just before s[i] (i > floor). */
static inline size_t char_before(const uint8_t *s, size_t i, size_t floor) {
  size_t j = i - 1;
  while (j > floor && (s[j] & 0xC0) == 0x80 && i - j < 4) j--;
  return j;
}

static inline int is_letter_sb(int sb) { return sb == SB_Lower || sb == SB_Upper || sb == SB_OLetter; }

/*
** Quotation marks and brackets. opener_of gives, for a mark that can open,
** the mark that closes it; 0 if it cannot open. Marks that open and close
** alike (" ' » ›) are decided by context in the scanner.
*/
static inline uint32_t closer_of(uint32_t cp) {
  if (cp < 0x80)
    return cp == '(' ? ')' : 0;
  switch (cp) {
  case '(': return ')';
  case 0x201C: return 0x201D; /* “ ” */
  case 0x201E: return 0x201C; /* „ “ (German; ” also accepted) */
  case 0x2018: return 0x2019; /* ‘ ’ */
  case 0x201A: return 0x2018; /* ‚ ‘ */
  case 0x00AB: return 0x00BB; /* « » */
  case 0x00BB: return 0x00AB; /* » « (Danish, German) */
  case 0x2039: return 0x203A; /* ‹ › */
  case 0x203A: return 0x2039;
  case 0x300C: return 0x300D; /* 「 」 */
  case 0x300E: return 0x300F; /* 『 』 */
  case 0x3008: return 0x3009; case 0x300A: return 0x300B; case 0x3010: return 0x3011;
  case 0x3014: return 0x3015; case 0x3016: return 0x3017;
  case 0xFF08: return 0xFF09; case 0xFF3B: return 0xFF3D; case 0xFF5B: return 0xFF5D;
  case 0xFF62: return 0xFF63;
  default: return 0;
  }
}

/* Marks that only close (or close first): they are kept after a terminal. */
static inline int is_closing(uint32_t cp) {
  if (cp < 0x80)
    return cp == ')' || cp == ']' || cp == '}' || cp == '"' || cp == '\'';
  switch (cp) {
  case ')': case ']': case '}': case '"': case '\'':
  case 0x201D: case 0x2019: case 0x00BB: case 0x203A: case 0x300D: case 0x300F:
  case 0x3009: case 0x300B: case 0x3011: case 0x3015: case 0x3017:
  case 0xFF09: case 0xFF3D: case 0xFF5D: case 0xFF63:
    return 1;
  default:
    return 0;
  }
}

/* Opening punctuation that may come before the first letter of a sentence. */
static inline int is_leading_punct(uint32_t cp) {
  if (cp < 0x80)
    return cp == '"' || cp == '\'' || cp == '(';
  return cp == 0xBF || cp == 0xA1 || closer_of(cp) != 0;
}

static inline int ascii_space(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* ====================================================================
** The splitter: a hash set of words (abbreviations and starters)
** ==================================================================== */

typedef struct word {
  uint32_t hash; /* 0: empty slot */
  uint32_t off;  /* the folded word in the pool */
  uint16_t len;
  uint8_t abbrev; /* enum lx_abbrev_kind, 0 if none */
  uint8_t starter; /* a sentence starter */
} word;

struct lx_splitter {
  word *slots;        /* open addressing, a power of two of them */
  size_t nslots, count;
  char *pool;         /* folded words, back to back */
  size_t pool_len, pool_cap;
  size_t max_abbrev;  /* longest abbreviation, folded: longer words are no abbreviation */
  uint32_t filter[16]; /* bit (first byte & 31) of filter[len & 15]: some word may match */
  int newlines;       /* enum lx_newlines */
  int ordinals;       /* "3." is an ordinal number */
  size_t max_sentence;
};

/*
** Case folding good enough for lookups: ASCII, Latin-1, Greek and Cyrillic
** capitals. Returns the folded length, or 0 if the word is too long.
*/
static inline size_t fold(const uint8_t *s, size_t len, uint8_t *out) {
  if (len == 0 || len > WORD_MAX)
    return 0;
  for (size_t i = 0; i < len; i++) {
    uint8_t c = s[i];
    if (c >= 'A' && c <= 'Z') {
      out[i] = c + 32;
    } else if (i + 1 < len && c == 0xC3 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E && s[i + 1] != 0x97) {
      out[i] = c; out[i + 1] = s[i + 1] + 0x20; i++;
    } else if (i + 1 < len && c == 0xD0 && s[i + 1] >= 0x80 && s[i + 1] <= 0xAF) {
      uint8_t b = s[i + 1]; /* Ѐ-Џ -> ѐ-џ, А-П -> а-п, Р-Я -> р-я */
      if (b < 0x90) { out[i] = 0xD1; out[i + 1] = b + 0x10; }
      else if (b < 0xA0) { out[i] = 0xD0; out[i + 1] = b + 0x20; }
      else { out[i] = 0xD1; out[i + 1] = b - 0x20; }
      i++;
    } else if (i + 1 < len && c == 0xCE && s[i + 1] >= 0x91 && s[i + 1] <= 0xA9) {
      uint8_t b = s[i + 1];
      if (b < 0xA0) { out[i] = 0xCE; out[i + 1] = b + 0x20; }
      else { out[i] = 0xCF; out[i + 1] = b - 0x20; }
      i++;
    } else {
      out[i] = c;
    }
  }
  return len;
}

static inline uint32_t hash_bytes(const uint8_t *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ s[i]) * 16777619u;
  return h ? h : 1;
}

static inline word *find_slot(const lx_splitter *sp, const uint8_t *key, size_t len, uint32_t h) {
  size_t mask = sp->nslots - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    word *w = &sp->slots[i];
    if (w->hash == 0 || (w->hash == h && w->len == len && memcmp(sp->pool + w->off, key, len) == 0))
      return w;
  }
}

/* The filter bit of a word: its length and first byte, case folded. */
static inline uint32_t filter_bit(const uint8_t *s, size_t len, size_t *row) {
  uint8_t first[2] = { s[0], 0 };
  *row = len & 15;
  if (s[0] < 0x80)
    first[0] = s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32 : s[0];
  else
    fold(s, len < 2 ? len : 2, first); /* Р (D0 A0) folds to р (D1 80) */
  return 1u << (first[0] & 31);
}

/* ====================================================================
** The candidate scan (sentences.c)
** ==================================================================== */

/*
** Candidates come sixteen bytes at a time: cands holds the mask of one
** block and hands out its bits in order; the main loop skips those a
** handler has already passed. With `lines` 0 newlines are no candidates
** (policy ignore); with 1 a newline followed by an ASCII letter is none
** either (policy paragraph: such a line just goes on, as on_newline's
** first test would decide); with 2 every newline is one.
*/
typedef struct cands {
  size_t base;    /* the block's first byte */
  uint32_t mask;  /* its candidates not handed out yet */
  int fresh;      /* no block yet: start at the position asked for */
  int lines;
  int avx2;       /* the CPU has AVX2: 32-byte blocks while 33 bytes remain */
  size_t width;   /* bytes in the current block */
#if defined(__SSE2__)
  __m128i dot, bang, ques, nl, dq, sq, par, one, lo_a, lo_z, x20, nl_keep, nl_on, ones;
#endif
} cands;

void lx_cands_init(cands *c, int lines);
/* The first candidate at or after pos and before end; end if none. */
size_t lx_cands_next(cands *c, const uint8_t *s, size_t pos, size_t end);

/* ====================================================================
** The rules (sentences_rules.c)
** ==================================================================== */

/*
** lx_split, and for the parallel splitter a stop: at stop_at (a restart
** point: the newline of a blank line, or any newline under policy "line")
** the text is cut as that newline would cut it, and nothing after it is
** looked at but as lookahead.
*/
size_t lx_split_until(const lx_splitter *sp, lx_split_state *st, const char *text, size_t len,
                      int eof, size_t stop_at, lx_span *spans, size_t cap, size_t *settled);

#endif
