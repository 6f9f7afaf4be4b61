/*
** tokenize.c: UAX #29 word boundaries over UTF-8, with an ASCII fast path.
**
** The boundary rules are implemented here over our own property table
** (tokenize_tables.h, generated from the Unicode 15.0 data by
** src/gen/wordbreak.lua), so that no code point costs a library call and the
** rules match the WordBreakTest.txt that Debian ships. libunistring is used
** only for case mapping and normalisation of a token's text.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>
/* The counting kernel's blocks: SSE2 (every x86-64) and GCC's bit builtins. */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define LX_SIMD 1
#include <emmintrin.h>
#endif

#include "query.h"
#include "alloc.h"
#include "dictseg.h"
#include "stem.h"
#include "tokenize.h"
#include "tokenize_tables.h"

/* Word_Break values, in the order of src/gen/wordbreak.lua. */
enum {
  WB_Other, WB_CR, WB_LF, WB_Newline, WB_Extend, WB_ZWJ, WB_RI, WB_Format,
  WB_Katakana, WB_Hebrew, WB_ALetter, WB_SQ, WB_DQ, WB_MidNumLet, WB_MidLetter,
  WB_MidNum, WB_Numeric, WB_ENL, WB_WSegSpace,
  WB_EOT = 31            /* end of text, for look-ahead */
};
#define P_WB(v) ((v) & 31u)
#define P_PICT 32u       /* Extended_Pictographic */
#define P_CLASS(v) ((v) >> 6)

/* Coarse classes that decide a token's kind. */
enum { CL_OTHER, CL_LETTER, CL_NUMBER, CL_PUNCT, CL_SPACE };

#define IS_AHL(w) ((w) == WB_ALetter || (w) == WB_Hebrew)
#define IS_IGNORED(w) ((w) == WB_Extend || (w) == WB_Format || (w) == WB_ZWJ)
#define IS_MIDLETQ(w) ((w) == WB_MidLetter || (w) == WB_MidNumLet || (w) == WB_SQ)
#define IS_MIDNUMQ(w) ((w) == WB_MidNum || (w) == WB_MidNumLet || (w) == WB_SQ)

struct lx_tokenizer {
  lx_tokopts o;
  char *pattern;               /* our copy of o.pattern */
  unsigned keep;               /* kinds to emit */
  int override;                /* an option changes some code points' Word_Break */
  uint16_t ascii[128];         /* ASCII properties after the options */
  uint8_t start[256];          /* counting kernel: K_* of a byte that starts a segment */
  uint8_t after[256];          /* counting kernel: A_* of the byte after a letter-digit run */
  int simd;                    /* the kernel's 16-byte classifier agrees with start[] */
  pcre2_code *re;              /* pattern mode */
  pcre2_match_data *md;
  int rerr;                    /* the last call's pcre2_match failure (< -1), or 0 */
  size_t rerr_at;              /* ... at this offset of that call's text */
  char *scratch;               /* lx_tok_text's result buffer */
  size_t scratchcap;
  lx_stemmer *stemmer;         /* o.stem's Snowball stemmer (o.stem points at its name) */
  lx_dictseg *dict;            /* ICU's dictionary segmenter, made when a run first needs it */
  int dict_failed;             /* ICU could not be had: runs keep the UAX #29 cut */
  struct {                     /* the last run of dictionary-script text cut (seg_dict) */
    const unsigned char *a, *e;   /* where it lay */
    unsigned char *copy;          /* its bytes, to tell a later buffer at the same address */
    uint32_t *ends;               /* its words' ends, from a */
    size_t n, cap;
    int capped;                   /* cut at LX_DICT_RUN_MAX, not by what follows */
  } run;
};

/* The fast path must be inlined into its loops (lx_tokenize, lx_tok_count):
** as a call, with its result through memory, tokens --count loses 12%. */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define ALWAYS_INLINE inline
#define NOINLINE
#endif

static inline unsigned prop_of(uint32_t cp) {
  return tt_stage2[((unsigned)tt_stage1[cp >> TT_SHIFT] << TT_SHIFT) | (cp & (TT_BLOCK - 1))];
}

/* The options that retune the rules: hyphens become MidLetter (so that
** letter-letter joins by WB6/7), apostrophes become Other (never join). */
static unsigned override_prop(const lx_tokenizer *t, uint32_t cp, unsigned v) {
  if (t->o.join_hyphens && (cp == '-' || cp == 0x2010 || cp == 0x2011))
    return (v & ~31u) | WB_MidLetter;
  if (t->o.split_apostrophes && (cp == '\'' || cp == 0x2019))
    return (v & ~31u) | WB_Other;
  return v;
}

static inline unsigned tprop(const lx_tokenizer *t, uint32_t cp) {
  if (cp < 128) return t->ascii[cp];
  unsigned v = prop_of(cp);
  return t->override ? override_prop(t, cp, v) : v;
}

/*
** Decodes the code point at s[i]. Returns its length (1 to 4); 0 if s[i] is
** an invalid byte; -1 if s[i..n) is the valid start of a sequence cut off by
** the end of the buffer (invalid if the text ends there). Strict UTF-8: no
** overlongs, no surrogates, nothing past U+10FFFF.
*/
static inline int decode(const unsigned char *s, size_t i, size_t n, uint32_t *cp) {
  unsigned c = s[i], lo = 0x80, hi = 0xBF;
  size_t avail = n - i;
  if (c < 0x80) { *cp = c; return 1; }
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    if (avail < 2) return -1;
    if ((s[i + 1] & 0xC0) != 0x80) return 0;
    *cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    if (avail < 2) return -1;
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    if (avail < 3) return -1;
    if ((s[i + 2] & 0xC0) != 0x80) return 0;
    *cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
    return 3;
  }
  if (c < 0xF5) {
    if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (avail < 2) return -1;
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    if (avail < 3) return -1;
    if ((s[i + 2] & 0xC0) != 0x80) return 0;
    if (avail < 4) return -1;
    if ((s[i + 3] & 0xC0) != 0x80) return 0;
    *cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
          (s[i + 3] & 0x3Fu);
    return 4;
  }
  return 0;
}

static int kind_of(unsigned mask, unsigned first) {
  if (mask & (1u << CL_LETTER)) return LX_WORD;
  if (mask & (1u << CL_NUMBER)) return LX_NUMBER;
  if (first == CL_PUNCT) return LX_PUNCT;
  if (first == CL_SPACE) return LX_SPACE;
  return LX_SYMBOL;
}

/* Result of scanning one segment. */
enum { SEG_NEED, SEG_OK, SEG_SLOW };

typedef struct seg {
  size_t end;
  int kind;
  int ascii;
} seg;

/*
** The Word_Break value of the first code point at or after j that WB4 does
** not ignore; WB_EOT at the end of the text, WB_Other for an invalid byte,
** -1 if the answer lies past the end of a non-final buffer.
*/
static int peek(const lx_tokenizer *t, const unsigned char *s, size_t n, size_t j, int final) {
  for (;;) {
    uint32_t cp;
    if (j >= n) return final ? WB_EOT : -1;
    int l = decode(s, j, n, &cp);
    if (l < 0) return final ? WB_Other : -1;
    if (l == 0) return WB_Other;
    unsigned w = P_WB(tprop(t, cp));
    if (!IS_IGNORED(w)) return (int)w;
    j += (size_t)l;
  }
}

static void classify(const unsigned char *s, size_t a, size_t b, seg *out);

/* The word of the cached run that starts at s + i, if s + i is one of its
** boundaries, the bytes from there to the run's end are still the ones cut
** and the run still ends there (the buffer may be another at the same
** address): its end, else 0. */
static size_t run_word_end(const lx_tokenizer *t, const unsigned char *s, size_t n, size_t i,
                           int final) {
  const unsigned char *p = s + i;
  if (!t->run.n || p < t->run.a || p >= t->run.e) return 0;
  size_t off = (size_t)(p - t->run.a), left = (size_t)(t->run.e - p);
  if (left > n - i || memcmp(p, t->run.copy + off, left) != 0) return 0;
  if (!t->run.capped) {                 /* what ended the run ends it still */
    size_t j = i + left;
    uint32_t cp;
    int l = j < n ? decode(s, j, n, &cp) : -1;
    if (l < 0 ? !final : l > 0 && (lx_dict_script(cp) || IS_IGNORED(P_WB(tprop(t, cp)))))
      return 0;
  }
  size_t lo = 0, hi = t->run.n;            /* the first end past off */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t->run.ends[mid] <= off) lo = mid + 1; else hi = mid;
  }
  if (lo == t->run.n || (off && (lo == 0 || t->run.ends[lo - 1] != off))) return 0;
  return i + (t->run.ends[lo] - off);
}

/*
** A segment at i, which holds a code point of a script written without
** spaces (dictseg.h): the run of such text from i (with the marks WB4
** attaches) is cut by ICU's dictionary, once, and its words are handed out
** one a call. SEG_NEED while the run may go on past a non-final buffer;
** SEG_SLOW when UAX #29 decides (a single code point, no ICU, no memory).
*/
static NOINLINE int seg_dict(lx_tokenizer *t, const unsigned char *s, size_t n, size_t i,
                             int final, seg *out) {
  size_t end = run_word_end(t, s, n, i, final);
  if (end) {
    classify(s, i, end, out);
    return SEG_OK;
  }
  size_t j = i, cps = 0;
  int capped = 0;
  for (;;) {
    uint32_t cp;
    if (j >= n) {
      if (!final) return SEG_NEED;
      break;
    }
    int l = decode(s, j, n, &cp);
    if (l < 0) {
      if (!final) return SEG_NEED;
      break;
    }
    if (l == 0) break;
    if (j - i + (size_t)l > LX_DICT_RUN_MAX) {          /* cut in pieces */
      capped = 1;
      break;
    }
    if (!lx_dict_script(cp) && !IS_IGNORED(P_WB(tprop(t, cp)))) break;
    cps += lx_dict_script(cp) != 0;
    j += (size_t)l;
  }
  if (cps < 2 || t->dict_failed) return SEG_SLOW;
  if (!t->dict && !(t->dict = lx_dictseg_new())) {
    t->dict_failed = 1;
    return SEG_SLOW;
  }
  size_t len = j - i;
  if (len > t->run.cap) {
    unsigned char *c = lx_realloc(t->run.copy, len);
    if (!c) return SEG_SLOW;
    t->run.copy = c;
    uint32_t *e = lx_realloc(t->run.ends, len * sizeof *e);
    if (!e) return SEG_SLOW;
    t->run.ends = e;
    t->run.cap = len;
  }
  t->run.n = 0;
  if (lx_dictseg_cut(t->dict, (const char *)s + i, len, t->run.ends, &t->run.n)) {
    t->run.n = 0;
    return SEG_SLOW;
  }
  memcpy(t->run.copy, s + i, len);
  t->run.a = s + i;
  t->run.e = s + j;
  t->run.capped = capped;
  classify(s, i, i + t->run.ends[0], out);
  return SEG_OK;
}

/*
** The general path: one code point at a time through the UAX #29 rules.
** A segment starts at i, which holds a valid code point (the caller checks).
** Boundaries only look back within the current segment, so starting afresh
** at a boundary gives the same result as scanning from the start of the text.
*/
static NOINLINE int seg_general(const lx_tokenizer *t, const unsigned char *s, size_t n, size_t i,
                                int final, seg *out) {
  uint32_t cp;
  int l = decode(s, i, n, &cp);
  if (!t->o.no_dictionary && lx_dict_script(cp)) {
    /* a tokenizer is allocated mutable: the run cache is its own scratch */
    int r = seg_dict((lx_tokenizer *)t, s, n, i, final, out);
    if (r != SEG_SLOW) return r;
  }
  unsigned v = tprop(t, cp), w = P_WB(v);
  unsigned first = P_CLASS(v), mask = 1u << first, hi = (unsigned)(l > 1);
  size_t j = i + (size_t)l;
  unsigned last = w, raw = w, ri = (w == WB_RI);
  int join = 0;   /* the look-ahead of WB6, WB7b or WB12 promised the next one joins */

  if (w == WB_CR) {                                  /* WB3 */
    if (j < n) j += (s[j] == '\n');
    else if (!final) return SEG_NEED;
    goto done;
  }
  if (w == WB_LF || w == WB_Newline) goto done;      /* WB3a */
  for (;;) {
    if (j >= n) {
      if (!final) return SEG_NEED;
      break;
    }
    l = decode(s, j, n, &cp);
    if (l < 0) {
      if (!final) return SEG_NEED;
      break;
    }
    if (l == 0) break;                               /* an invalid byte stands alone */
    v = tprop(t, cp);
    w = P_WB(v);
    if (w == WB_CR || w == WB_LF || w == WB_Newline) break;   /* WB3b */
    if (raw == WB_ZWJ && (v & P_PICT)) goto joined;           /* WB3c */
    if (raw == WB_WSegSpace && w == WB_WSegSpace) goto joined; /* WB3d */
    if (IS_IGNORED(w)) {                                       /* WB4 */
      raw = w;
      mask |= 1u << P_CLASS(v);
      hi |= (unsigned)(l > 1);
      j += (size_t)l;
      continue;
    }
    if (join) goto joined;                           /* WB7, WB7c, WB11 */
    if (IS_AHL(last)) {
      if (IS_AHL(w) || w == WB_Numeric || w == WB_ENL) goto joined;  /* WB5, WB9, WB13a */
      if (IS_MIDLETQ(w) || (last == WB_Hebrew && w == WB_DQ)) {      /* WB6, WB7b */
        int p = peek(t, s, n, j + (size_t)l, final);
        if (p < 0) return SEG_NEED;
        if (w == WB_DQ ? p == WB_Hebrew : IS_AHL(p)) {
          join = 2;
          goto joined;
        }
      }
      if (last == WB_Hebrew && w == WB_SQ) goto joined;              /* WB7a */
      break;
    }
    if (last == WB_Numeric) {
      if (w == WB_Numeric || IS_AHL(w) || w == WB_ENL) goto joined;  /* WB8, WB10, WB13a */
      if (IS_MIDNUMQ(w)) {                                           /* WB12 */
        int p = peek(t, s, n, j + (size_t)l, final);
        if (p < 0) return SEG_NEED;
        if (p == WB_Numeric) {
          join = 2;
          goto joined;
        }
      }
      break;
    }
    if (last == WB_Katakana) {
      if (w == WB_Katakana || w == WB_ENL) goto joined;              /* WB13, WB13a */
      break;
    }
    if (last == WB_ENL) {
      if (w == WB_ENL || IS_AHL(w) || w == WB_Numeric || w == WB_Katakana)
        goto joined;                                                 /* WB13a, WB13b */
      break;
    }
    if (last == WB_RI && w == WB_RI && (ri & 1)) goto joined;        /* WB15, WB16 */
    break;
  joined:
    if (join) join--;      /* 2 while on the Mid, 1 on the letter after it */
    last = raw = w;
    ri = (w == WB_RI) ? ri + 1 : 0;
    mask |= 1u << P_CLASS(v);
    hi |= (unsigned)(l > 1);
    j += (size_t)l;
  }
done:
  out->end = j;
  out->kind = kind_of(mask, first);
  out->ascii = !hi;
  return SEG_OK;
}

/*
** Whether an ASCII segment surely ends before the non-ASCII code point at
** s[j], so that the fast path need not hand the segment to the general one
** (text in other scripts after ASCII spaces, digits or words). These say
** yes only where no rule could join: after a letter or digit, anything but
** the letters, digits, Mid and ExtendNumLet characters (WB5 to WB13a) and
** the characters WB4 ignores; after a space run or another single character,
** anything but those WB4 ignores (and, after spaces, more spaces: WB3d). An
** invalid byte always ends the segment; a sequence cut off by the end of
** the buffer says no.
*/
static inline int ends_before(const lx_tokenizer *t, const unsigned char *s, size_t n, size_t j,
                              int space) {
  uint32_t cp;
  int l = decode(s, j, n, &cp);
  if (l == 0) return 1;
  if (l < 0) return 0;
  unsigned w = P_WB(tprop(t, cp));
  return !IS_IGNORED(w) && !(space && w == WB_WSegSpace);
}

static inline int ends_after_alnum(const lx_tokenizer *t, const unsigned char *s, size_t n, size_t j) {
  uint32_t cp;
  int l = decode(s, j, n, &cp);
  if (l == 0) return 1;
  if (l < 0) return 0;
  unsigned w = P_WB(tprop(t, cp));
  return !(IS_IGNORED(w) || IS_AHL(w) || w == WB_Numeric || w == WB_ENL || IS_MIDLETQ(w) ||
           IS_MIDNUMQ(w) || w == WB_Katakana);
}

/*
** The fast path for a segment that starts with an ASCII byte. It decides
** alone whenever the byte after the run is ASCII; anything that might need
** the full rules (a byte >= 0x80 that could be Extend, '_', a Mid character
** with something non-ASCII after it) returns SEG_SLOW, and the general path
** redoes the segment from its start.
*/
static ALWAYS_INLINE int seg_fast(const lx_tokenizer *t, const unsigned char *s, size_t n,
                                  size_t i, int final, seg *out) {
  unsigned c = s[i], f = tt_fast[c];
  size_t j = i + 1;
  if (f) {                                   /* letters and digits: WB5, WB8, WB9, WB10 */
    unsigned mask = f;
    for (;;) {
      unsigned g;
      while (j < n && (g = tt_fast[s[j]]) != 0) {
        mask |= g;
        j++;
      }
      if (j >= n) {
        if (!final) return SEG_NEED;
        break;
      }
      c = s[j];
      if (c >= 0x80) {
        if (!ends_after_alnum(t, s, n, j)) return SEG_SLOW;
        break;
      }
      unsigned w = P_WB(t->ascii[c]);
      if (w == WB_ENL) return SEG_SLOW;
      unsigned lastf = tt_fast[s[j - 1]];    /* 1 letter, 2 digit */
      if (lastf == 1 ? IS_MIDLETQ(w) : IS_MIDNUMQ(w)) {   /* WB6/7, WB11/12 */
        if (j + 1 >= n) {
          if (!final) return SEG_NEED;
          break;
        }
        unsigned c2 = s[j + 1];
        if (c2 >= 0x80) return SEG_SLOW;
        if (tt_fast[c2] == lastf) {
          j += 2;
          continue;
        }
      }
      break;
    }
    out->end = j;
    out->kind = (mask & 1) ? LX_WORD : LX_NUMBER;
    out->ascii = 1;
    return SEG_OK;
  }
  if (c == '\n') {
    out->end = j;
    out->kind = LX_SPACE;
    out->ascii = 1;
    return SEG_OK;
  }
  if (c == ' ') {
    while (j < n && s[j] == ' ') j++;
  } else if (c == '\r') {
    if (j >= n) {
      if (!final) return SEG_NEED;
    } else {
      j += (s[j] == '\n');
    }
    out->end = j;
    out->kind = LX_SPACE;
    out->ascii = 1;
    return SEG_OK;
  } else {
    unsigned w = P_WB(t->ascii[c]);
    if (w == WB_ENL || w == WB_LF || w == WB_Newline) return SEG_SLOW;
  }
  /* a space run or a single other character: only Extend & co. could follow */
  if (j >= n) {
    if (!final) return SEG_NEED;
  } else if (s[j] >= 0x80 && !ends_before(t, s, n, j, c == ' ')) {
    return SEG_SLOW;
  }
  out->end = j;
  out->kind = kind_of(0, P_CLASS(t->ascii[c]));
  out->ascii = 1;
  return SEG_OK;
}

/* One segment at i: an invalid byte, or the fast or general rules. */
static ALWAYS_INLINE int segment(const lx_tokenizer *t, const unsigned char *s, size_t n,
                                 size_t i, int final, seg *out) {
  if (s[i] < 0x80) {
    if (!t->o.general) {
      int r = seg_fast(t, s, n, i, final, out);
      if (r != SEG_SLOW) return r;
    }
  } else {
    uint32_t cp;
    int l = decode(s, i, n, &cp);
    if (l < 0 && !final) return SEG_NEED;
    if (l <= 0) {
      out->end = i + 1;
      out->kind = LX_INVALID;
      out->ascii = 0;
      return SEG_OK;
    }
  }
  return seg_general(t, s, n, i, final, out);
}

/* Kind of arbitrary valid text (a pattern match), by the same rule as segments. */
static void classify(const unsigned char *s, size_t a, size_t b, seg *out) {
  unsigned mask = 0, first = CL_OTHER, hi = 0;
  size_t j = a;
  while (j < b) {
    uint32_t cp;
    int l = decode(s, j, b, &cp);
    if (l <= 0) l = 1, cp = 0xFFFD;
    unsigned cl = P_CLASS(prop_of(cp));
    if (j == a) first = cl;
    mask |= 1u << cl;
    hi |= (unsigned)(l > 1);
    j += (size_t)l;
  }
  out->end = b;
  out->kind = kind_of(mask, first);
  out->ascii = !hi;
}

/* ---------------------------------------------------------------- pattern mode */

/*
** Emits the invalid bytes of the unmatched text s[i..e) as tokens. Returns
** where it stopped: e, or earlier if out filled up or a cut-off sequence
** at the end of a non-final buffer has to wait for more bytes.
*/
static size_t gap_invalid(const lx_tokenizer *t, const unsigned char *s, size_t n, size_t i,
                          size_t e, int final, lx_token *out, size_t cap, size_t *nout) {
  while (i < e) {
    uint32_t cp;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    int l = decode(s, i, n, &cp);
    if (l < 0 && !final) return i;
    if (l > 0) {
      i += (size_t)l;
      continue;
    }
    if (t->keep & LX_KIND_BIT(LX_INVALID)) {
      if (*nout == cap) return i;
      out[(*nout)++] = (lx_token){ i, 1, LX_INVALID, 0 };
    }
    i++;
  }
  return e;
}

static size_t tokenize_re(lx_tokenizer *t, const unsigned char *s, size_t n, int final,
                          lx_token *out, size_t cap, size_t *used) {
  size_t i = 0, nout = 0;
  uint32_t mopts = final ? 0 : PCRE2_PARTIAL_HARD;
  t->rerr = 0;
  if (!final) {   /* a character cut by the end is not invalid yet: PCRE2 must not see it */
    for (size_t k = n > 3 ? n - 3 : 0; k < n; k++) {
      uint32_t cp;
      if (s[k] >= 0xC2 && decode(s, k, n, &cp) < 0) { n = k; break; }
    }
  }
  while (i < n && nout < cap) {
    int rc = pcre2_match(t->re, s, n, i, mopts, t->md, NULL);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
    size_t ms, me;
    if (rc == PCRE2_ERROR_NOMATCH) {
      ms = me = n;
    } else if (rc == PCRE2_ERROR_PARTIAL) {
      size_t g = gap_invalid(t, s, n, i, ov[0], final, out, cap, &nout);
      i = g;
      break;      /* wait for more text */
    } else if (rc < 0) {
      /* match limit and the like: stop here and keep why (lx_tok_failed) */
      t->rerr = rc;
      t->rerr_at = i;
      break;
    } else {
      ms = ov[0];
      me = ov[1];
    }
    size_t g = gap_invalid(t, s, n, i, ms, final, out, cap, &nout);
    if (g < ms) {
      i = g;
      break;
    }
    i = ms;
    if (ms == n) break;
    if (me == ms) {            /* an empty match: step over one character */
      uint32_t cp;
      int l = decode(s, i, n, &cp);
      i += (size_t)(l > 0 ? l : 1);
      continue;
    }
    if (nout == cap) break;
    seg sg;
    classify(s, ms, me, &sg);
    if (t->keep & LX_KIND_BIT(sg.kind))
      out[nout++] = (lx_token){ ms, me - ms, (uint8_t)sg.kind, (uint8_t)sg.ascii };
    i = me;
  }
  *used = i;
  return nout;
}

/* ---------------------------------------------------------------- public */

size_t lx_tokenize(lx_tokenizer *t, const char *text, size_t n, int final, lx_token *out,
                   size_t cap, size_t *used) {
  const unsigned char *s = (const unsigned char *)text;
  if (t->re) return tokenize_re(t, s, n, final, out, cap, used);
  size_t i = 0, nout = 0;
  unsigned keep = t->keep;
  while (i < n && nout < cap) {
    seg sg;
    if (segment(t, s, n, i, final, &sg) == SEG_NEED) break;
    if (keep & LX_KIND_BIT(sg.kind))
      out[nout++] = (lx_token){ i, sg.end - i, (uint8_t)sg.kind, (uint8_t)sg.ascii };
    i = sg.end;
  }
  *used = i;
  return nout;
}

/* ---------------------------------------------------------------- counting kernel */

/*
** What a byte does at the start of a segment, for the counting kernel. K_SKIP
** bytes make a segment of their own (or join a run of spaces) that is not a
** word, provided an ASCII byte follows (a byte >= 0x80 could be Extend and
** join it); K_NL bytes never join anything after them that could be a word
** (CR LF is one segment, but not a word either). Everything else goes
** through segment().
*/
enum { K_GEN, K_ALNUM, K_SKIP, K_NL };

/*
** The byte after a run of ASCII letters and digits: A_END ends the word;
** bits 1 and 2 (tt_fast's letter and digit) say it can join a run of letters
** or of digits to the same on its other side (WB6/7, WB11/12); A_SLOW is a
** byte >= 0x80 or '_', for the full rules.
*/
enum { A_END = 0, A_MIDLET = 1, A_MIDNUM = 2, A_SLOW = 4 };

/*
** The ASCII bytes that can be Mid characters under some option: : . ' , ;
** and '-' (hyphens). kernel_tables checks that no other byte can be.
*/
#define MAYBE_MID(c) ((c) == ':' || (c) == '.' || (c) == '\'' || (c) == ',' || (c) == ';' || (c) == '-')

static void kernel_tables(lx_tokenizer *t) {
  for (unsigned c = 0; c < 256; c++) {
    if (c >= 0x80) {
      t->start[c] = K_GEN;
      t->after[c] = A_SLOW;
      continue;
    }
    unsigned w = P_WB(t->ascii[c]);
    if (tt_fast[c]) t->start[c] = K_ALNUM;
    else if (c == '\n' || c == '\r') t->start[c] = K_NL;
    else if (w == WB_ENL || w == WB_LF || w == WB_CR || w == WB_Newline) t->start[c] = K_GEN;
    else t->start[c] = K_SKIP;
    if (tt_fast[c] || w == WB_ENL) t->after[c] = A_SLOW;
    else t->after[c] = (uint8_t)((IS_MIDLETQ(w) ? A_MIDLET : 0) | (IS_MIDNUMQ(w) ? A_MIDNUM : 0));
  }
  /* classify16 takes '_', '\v' and '\f' for the only ASCII K_GEN bytes, and
  ** no Mid characters but those of MAYBE_MID */
  t->simd = 1;
  for (unsigned c = 0; c < 128; c++) {
    if ((t->start[c] == K_GEN) != (c == '_' || c == '\v' || c == '\f')) t->simd = 0;
    if (!tt_fast[c] && (t->after[c] & (A_MIDLET | A_MIDNUM)) && !MAYBE_MID(c)) t->simd = 0;
    /* and ' ', '\t' .. '\r' for the only white space (punct counts the rest) */
    if ((P_CLASS(t->ascii[c]) == CL_SPACE) != (c == ' ' || (c >= '\t' && c <= '\r'))) t->simd = 0;
  }
}

int lx_tok_countable(const lx_tokenizer *t) {
  unsigned other = LX_KIND_BIT(LX_PUNCT) | LX_KIND_BIT(LX_SYMBOL) | LX_KIND_BIT(LX_SPACE);
  return !t->re && !t->o.general && !(t->keep & other);
}

int lx_tok_countable_only(const lx_tokenizer *t) {
  unsigned ps = t->keep & (LX_KIND_BIT(LX_PUNCT) | LX_KIND_BIT(LX_SYMBOL));
  return !t->re && !t->o.general && !(t->keep & LX_KIND_BIT(LX_SPACE)) &&
         (ps == 0 || ps == (LX_KIND_BIT(LX_PUNCT) | LX_KIND_BIT(LX_SYMBOL)));
}

/* A short ASCII token as a key: copied into zeros, lower-cased if asked. */
static inline void make_key(lx_shortkey *k, const unsigned char *s, size_t len, int lower) {
  unsigned char b[LX_KEY_MAX] = { 0 };
  for (size_t q = 0; q < len; q++) {
    unsigned c = s[q];
    b[q] = (unsigned char)(lower && c - 'A' < 26u ? c + 32 : c);
  }
  memcpy(k->w, b, sizeof b);
  k->len = len;
}

#if defined(LX_SIMD)
/* 16 bytes of 0xFF then 16 of zero: a load at 16 - len keeps the first len bytes */
static const unsigned char prefix_mask[32] = {
  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* 16 bytes classified at once: letters, digits, and where skipping stops. */
typedef struct block {
  __m128i v, letter;
  unsigned lm, dm;         /* bit k: byte k is an ASCII letter, a digit */
  unsigned stop;           /* bit k: byte k is not K_SKIP or K_NL (alnum, >= 0x80, K_GEN) */
  unsigned check;          /* bit k: byte k, after a word, might not end it (see below) */
  unsigned punct;          /* bit k: byte k is ASCII, no letter, digit or white space */
} block;

static inline void classify16(const unsigned char *p, block *b) {
  const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  const __m128i lc = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lc, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(lc, _mm_set1_epi8('z' + 1)));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i gen = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\v')),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))));
  const __m128i mid = _mm_or_si128(
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))),
                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), _mm_cmpeq_epi8(v, _mm_set1_epi8(',')))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(';')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
  unsigned hi = (unsigned)_mm_movemask_epi8(v);
  b->v = v;
  b->letter = letter;
  b->lm = (unsigned)_mm_movemask_epi8(letter);
  b->dm = (unsigned)_mm_movemask_epi8(digit);
  unsigned alnum = b->lm | b->dm, other = hi | (unsigned)_mm_movemask_epi8(gen);
  b->stop = alnum | other;
  const __m128i spc = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                   _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('\t' - 1)),
                                                 _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1))));
  b->punct = ~(alnum | hi | (unsigned)_mm_movemask_epi8(spc)) & 0xFFFFu;
  /* A word ends at the byte after it for sure unless that byte is >= 0x80,
  ** '_', '\v' or '\f', or a possible Mid character with a letter, digit or
  ** byte >= 0x80 after it (bit 15 cannot see past the block: always check) */
  b->check = other | ((unsigned)_mm_movemask_epi8(mid) & (((alnum | hi) >> 1) | 0x8000u));
}

/*
** Where the scan goes after skippable bytes starting at bit k of a block at
** s[i]: to the first stop byte, or to the byte before it if that one is
** >= 0x80 (it might extend the skipped one: segment() decides); to the last
** byte of the block if all are skippable.
*/
static inline size_t skip16(const unsigned char *s, size_t i, unsigned stop, unsigned k) {
  unsigned rest = stop >> k;
  if (!rest) return i + 15;
  size_t p = i + k + (unsigned)__builtin_ctz(rest);
  return s[p] < 0x80 ? p : p - 1;
}

/*
** A word of at most 15 ASCII letters and digits at s[i], with 16 bytes
** readable there: one load classifies them all, the key is those bytes
** lower-cased and masked, and the same load skips the spaces and
** punctuation after the word. Returns where to go on, with the key in *key,
** the word's kind in *kind and whether a letter or digit is there in *more;
** 0 when the rules need more than the byte after the run (a longer run, a
** byte >= 0x80 or '_' after it, a Mid character that might join): segment()
** then does the segment.
*/
static inline size_t word16(const lx_tokenizer *t, const unsigned char *s, size_t n, size_t i,
                            int lower, lx_shortkey *key, int *kind, size_t *np) {
  block b;
  classify16(s + i, &b);
  unsigned len = (unsigned)__builtin_ctz(~(b.lm | b.dm));   /* bit 16 and up are set in ~ */
  if (len == 16) return 0;
  if (b.check >> len & 1) {       /* the exact test, as seg_fast makes it */
    unsigned a = t->after[s[i + len]];
    if (a & A_SLOW) return 0;
    unsigned lastf = tt_fast[s[i + len - 1]];
    if (a & lastf) {
      if (i + len + 1 >= n) return 0;
      unsigned c2 = s[i + len + 1];
      if (c2 >= 0x80 || tt_fast[c2] == lastf) return 0;
    }
  }
  __m128i k = b.v;
  if (lower) {   /* letters without 0x20 are upper case */
    const __m128i upper = _mm_andnot_si128(_mm_cmpeq_epi8(b.v, _mm_or_si128(b.v, _mm_set1_epi8(0x20))),
                                           b.letter);
    k = _mm_or_si128(b.v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
  }
  k = _mm_and_si128(k, _mm_loadu_si128((const __m128i *)(const void *)(prefix_mask + 16 - len)));
  _mm_storeu_si128((__m128i *)(void *)key->w, k);
  key->len = len;
  *kind = (b.lm & ((1u << len) - 1)) ? LX_WORD : LX_NUMBER;
  unsigned rest = b.stop >> len, to;
  if (rest & 1) {                 /* '\v', '\f', >= 0x80 right after */
    to = len;
  } else if (!rest) {
    to = 15;
  } else {
    unsigned p = len + (unsigned)__builtin_ctz(rest);
    to = s[i + p] < 0x80 ? p : p - 1;
  }
  *np += (unsigned)__builtin_popcount(b.punct & ((1u << to) - 1));   /* skipped punctuation */
  return i + to;
}
#endif

#if defined(LX_SIMD)
/*
** 64 bytes at once, for runs of plain words: every word of the block is
** found from bit masks (a start is a letter or digit after something else,
** an end the byte after the last one), so that the words are independent of
** each other instead of each waiting for the scan of the one before. The
** first byte that needs care stops the run: a byte >= 0x80, '_', '\v' or
** '\f' (the general rules), the end of a word that takes the exact test (see
** classify16's check), a word of 16 bytes or more, a word at the block's
** end. Returns where the scan goes on (a word's start, or as skip16 says);
** i itself when the first word needs care. s[i] is a letter or digit at the
** start of a segment, and 80 bytes are readable there.
*/
static ALWAYS_INLINE size_t words64(const lx_tokenizer *t, const unsigned char *s, size_t i,
                                    int lower, unsigned keep, lx_shortkey *keys, size_t *nk,
                                    size_t *np, const int punct) {
  uint64_t alnum = 0, letter = 0, hi = 0, other = 0, mid = 0, space = 0;
  unsigned char low[80];    /* the block, upper-case ASCII letters lowered, and 16 bytes more */
  for (int q = 0; q < 5; q++) {
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16 * q));
    const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
    const __m128i lw = lower ? _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))) : v;
    _mm_storeu_si128((__m128i *)(void *)(low + 16 * q), lw);
    if (q == 4) break;
    const __m128i lc = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const __m128i let = _mm_and_si128(_mm_cmpgt_epi8(lc, _mm_set1_epi8('a' - 1)),
                                      _mm_cmplt_epi8(lc, _mm_set1_epi8('z' + 1)));
    const __m128i dig = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i gen = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\v')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))));
    const __m128i md = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), _mm_cmpeq_epi8(v, _mm_set1_epi8(',')))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(';')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
    if (punct) {
      const __m128i spc = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                       _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('\t' - 1)),
                                                     _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1))));
      space |= (uint64_t)(unsigned)_mm_movemask_epi8(spc) << (16 * q);
    }
    uint64_t lm = (unsigned)_mm_movemask_epi8(let), dm = (unsigned)_mm_movemask_epi8(dig);
    uint64_t hm = (unsigned)_mm_movemask_epi8(v), gm = (unsigned)_mm_movemask_epi8(gen);
    letter |= lm << (16 * q);
    alnum |= (lm | dm) << (16 * q);
    hi |= hm << (16 * q);
    other |= (hm | gm) << (16 * q);
    mid |= (uint64_t)(unsigned)_mm_movemask_epi8(md) << (16 * q);
  }
  uint64_t starts = alnum & ~(alnum << 1);          /* bit 0 is a start: s[i] is alnum */
  uint64_t ends = ~alnum & (alnum << 1);
  uint64_t check = other | (mid & ((alnum | hi) >> 1 | (uint64_t)1 << 63));
  uint64_t bad = (check & ends) | other;
  unsigned limit = bad ? (unsigned)__builtin_ctzll(bad) : 64;
  const int both = (keep & LX_KINDS_WORDS) == LX_KINDS_WORDS;
  size_t k = *nk, stop = SIZE_MAX;
  for (;;) {
    if (!starts) break;
    unsigned a = (unsigned)__builtin_ctzll(starts);
    if (a >= limit) break;
    unsigned e = ends ? (unsigned)__builtin_ctzll(ends) : 64, len = e - a;
    if (e > limit || e == 64 || len >= 16 || (e == limit && (other >> e & 1))) {
      stop = i + a;      /* runs to the end of the block, is long, or needs the full rules */
      break;
    }
    if (e == limit) {    /* a Mid character might join: the exact test, as seg_fast makes it */
      unsigned am = t->after[s[i + e]], lastf = tt_fast[s[i + e - 1]];
      if (am & lastf) {
        unsigned c2 = s[i + e + 1];
        if (c2 >= 0x80 || tt_fast[c2] == lastf) {
          stop = i + a;
          break;
        }
      }
      bad &= bad - 1;
      limit = bad ? (unsigned)__builtin_ctzll(bad) : 64;
    }
    __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(low + a));
    w = _mm_and_si128(w, _mm_loadu_si128((const __m128i *)(const void *)(prefix_mask + 16 - len)));
    _mm_storeu_si128((__m128i *)(void *)keys[k].w, w);
    keys[k].len = len;
    if (both) k++;
    else k += (keep >> ((letter >> a) & ((1u << len) - 1) ? LX_WORD : LX_NUMBER)) & 1u;
    starts &= starts - 1;
    ends &= ends - 1;
  }
  *nk = k;
  size_t to;
  if (stop != SIZE_MAX) to = stop - i;
  else if (limit == 64) to = 63;          /* past the last word: skippable bytes up to limit */
  else to = (hi >> limit & 1) ? limit - 1 : limit;
  /* the punctuation and symbols skipped on the way: single-byte tokens */
  if (punct) *np += (size_t)__builtin_popcountll(~(alnum | hi | space) & (((uint64_t)1 << to) - 1));
  return i + to;
}
#endif

/* lx_tok_count and lx_tok_count_seq; with markers, each token stored in out
** also leaves an empty key (len 0) in its place among the keys. */
static ALWAYS_INLINE size_t count_tokens(lx_tokenizer *t, const char *text, size_t n, int final,
                                         lx_shortkey *keys, size_t kcap, size_t *nkeys,
                                         lx_token *out, size_t cap, size_t *used, size_t *nother,
                                         const int markers) {
  const unsigned char *s = (const unsigned char *)text;
  const unsigned keep = t->keep;
  const int lower = t->o.casing != LX_CASE_KEEP;
  size_t i = 0, nk = 0, nout = 0, np = 0;
  while (i < n && nk < kcap && nout < cap) {
    unsigned c = s[i];
    switch (t->start[c]) {
    case K_SKIP:
#if defined(LX_SIMD)
      if (t->simd && n - i >= 16) {
        block b;
        classify16(s + i, &b);
        size_t j = skip16(s, i, b.stop, 1);
        if (j > i) {
          np += (unsigned)__builtin_popcount(b.punct & ((1u << (j - i)) - 1));
          i = j;
          continue;
        }
      }
#endif
      if (i + 1 < n ? s[i + 1] < 0x80 : final) {
        np += P_CLASS(t->ascii[c]) != CL_SPACE;
        i++;
        continue;
      }
      break;
    case K_NL:
      i++;
      continue;
#if defined(LX_SIMD)
    case K_ALNUM:
      if (t->simd) {
        if (n - i >= 80 && kcap - nk >= 64) {
          /* two copies: without punctuation to count, no white-space mask */
          size_t j = nother ? words64(t, s, i, lower, keep, keys, &nk, &np, 1)
                            : words64(t, s, i, lower, keep, keys, &nk, &np, 0);
          if (j != i) {
            i = j;
            continue;
          }
        }
        /* one word by itself, near the end of the text or where words64 stopped */
        int kind;
        size_t j;
        if (n - i >= 16 && (j = word16(t, s, n, i, lower, &keys[nk], &kind, &np)) != 0) {
          nk += (keep >> kind) & 1u;
          i = j;
          continue;
        }
      }
      break;
#endif
    default:
      break;
    }
    seg sg;
    if (segment(t, s, n, i, final, &sg) == SEG_NEED) break;
    size_t len = sg.end - i;
    if (keep & LX_KIND_BIT(sg.kind)) {
      if (sg.ascii && len <= LX_KEY_MAX && sg.kind != LX_INVALID)
        make_key(&keys[nk++], s + i, len, lower);
      else {
        out[nout++] = (lx_token){ i, (uint32_t)len, (uint8_t)sg.kind, (uint8_t)sg.ascii };
        if (markers) keys[nk++] = (lx_shortkey){ { 0, 0 }, 0 };
      }
    }
    i = sg.end;
  }
  *nkeys = nk;
  *used = i;
  if (nother) *nother = np;
  return nout;
}

size_t lx_tok_count(lx_tokenizer *t, const char *text, size_t n, int final, lx_shortkey *keys,
                    size_t kcap, size_t *nkeys, lx_token *out, size_t cap, size_t *used,
                    size_t *nother) {
  return count_tokens(t, text, n, final, keys, kcap, nkeys, out, cap, used, nother, 0);
}

size_t lx_tok_count_seq(lx_tokenizer *t, const char *text, size_t n, int final,
                        lx_shortkey *keys, size_t kcap, size_t *nkeys, lx_token *out, size_t cap,
                        size_t *used) {
  return count_tokens(t, text, n, final, keys, kcap, nkeys, out, cap, used, NULL, 1);
}

static int compile(lx_tokenizer *t, char *err, size_t errlen) {
  int code;
  PCRE2_SIZE off;
  t->re = pcre2_compile((PCRE2_SPTR)t->pattern, t->o.patlen,
                        PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
  if (!t->re) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(code, msg, sizeof msg);
    if (err) snprintf(err, errlen, "bad pattern at offset %zu: %s", (size_t)off, (char *)msg);
    return -1;
  }
  /* JIT is a speed-up only: if it is unavailable, the interpreter matches the same */
  pcre2_jit_compile(t->re, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
  t->md = pcre2_match_data_create_from_pattern(t->re, NULL);
  if (!t->md) {
    if (err) snprintf(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

lx_tokenizer *lx_tok_new(const lx_tokopts *o, char *err, size_t errlen) {
  lx_tokenizer *t = lx_calloc(1, sizeof *t);
  if (!t) {
    if (err) snprintf(err, errlen, "out of memory");
    return NULL;
  }
  t->o = *o;
  t->o.pattern = NULL;
  if (o->stem) {
    if (!(t->stemmer = lx_stem_new(o->stem, err, errlen))) {
      free(t);
      return NULL;
    }
    t->o.stem = lx_stem_lang(t->stemmer);
    if (t->o.casing == LX_CASE_KEEP) t->o.casing = LX_CASE_LOWER;
  }
  t->keep = o->kinds ? o->kinds : LX_KINDS_ALL;
  t->override = o->join_hyphens || o->split_apostrophes;
  for (uint32_t c = 0; c < 128; c++) t->ascii[c] = (uint16_t)override_prop(t, c, prop_of(c));
  kernel_tables(t);
  if (o->pattern) {
    t->pattern = lx_malloc(o->patlen + 1);
    if (!t->pattern) {
      lx_tok_free(t);
      if (err) snprintf(err, errlen, "out of memory");
      return NULL;
    }
    memcpy(t->pattern, o->pattern, o->patlen);
    t->pattern[o->patlen] = '\0';
    t->o.pattern = t->pattern;
    if (compile(t, err, errlen) != 0) {
      lx_tok_free(t);
      return NULL;
    }
  }
  return t;
}

lx_tokenizer *lx_tok_clone(const lx_tokenizer *t) {
  return lx_tok_new(&t->o, NULL, 0);
}

void lx_tok_free(lx_tokenizer *t) {
  if (!t) return;
  pcre2_match_data_free(t->md);
  pcre2_code_free(t->re);
  free(t->pattern);
  free(t->scratch);
  lx_stem_free(t->stemmer);
  lx_dictseg_free(t->dict);
  free(t->run.copy);
  free(t->run.ends);
  free(t);
}

const lx_tokopts *lx_tok_opts(const lx_tokenizer *t) {
  return &t->o;
}

int lx_tok_failed(const lx_tokenizer *t, size_t *at, char *msg, size_t msglen) {
  if (!t->rerr) return 0;
  if (at) *at = t->rerr_at;
  if (msg) lx_regex_failure(t->rerr, t->pattern, t->o.patlen, msg, msglen);
  return t->rerr;
}

static char *scratch(lx_tokenizer *t, size_t n) {
  if (n > t->scratchcap) {
    size_t cap = t->scratchcap ? t->scratchcap : 64;
    while (cap < n) cap *= 2;
    char *p = lx_realloc(t->scratch, cap);
    if (!p) return NULL;
    t->scratch = p;
    t->scratchcap = cap;
  }
  return t->scratch;
}

/* lx_tok_text's case and normal-form part. */
static const char *map_case(lx_tokenizer *t, const char *s, size_t len, int kind, size_t *outlen) {
  *outlen = len;
  if (kind == LX_INVALID || (t->o.casing == LX_CASE_KEEP && t->o.norm == LX_NORM_NONE))
    return s;
  size_t k = 0;
  int upper = 0;
  for (; k < len && (unsigned char)s[k] < 0x80; k++) upper |= (s[k] >= 'A' && s[k] <= 'Z');
  if (k == len) {                    /* ASCII: normal forms change nothing */
    if (!upper || t->o.casing == LX_CASE_KEEP) return s;
    char *d = scratch(t, len);
    if (!d) return NULL;
    for (k = 0; k < len; k++) d[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
    return d;
  }
  uninorm_t nf = t->o.norm == LX_NORM_NFC ? UNINORM_NFC
               : t->o.norm == LX_NORM_NFKC ? UNINORM_NFKC : NULL;
  const uint8_t *in = (const uint8_t *)s;
  uint8_t *buf = (uint8_t *)scratch(t, len * 3 + 16);
  if (!buf) return NULL;
  size_t rlen = t->scratchcap;
  uint8_t *r;
  if (t->o.casing == LX_CASE_LOWER) r = u8_tolower(in, len, NULL, nf, buf, &rlen);
  else if (t->o.casing == LX_CASE_FOLD) r = u8_casefold(in, len, NULL, nf, buf, &rlen);
  else r = u8_normalize(nf, in, len, buf, &rlen);
  if (!r) return NULL;
  if (r != buf) {                    /* libunistring allocated: adopt its buffer */
    free(t->scratch);
    t->scratch = (char *)r;
    t->scratchcap = rlen;
  }
  *outlen = rlen;
  return (const char *)r;
}

const char *lx_tok_text(lx_tokenizer *t, const char *s, size_t len, int kind, size_t *outlen) {
  const char *r = map_case(t, s, len, kind, outlen);
  if (!r || !t->stemmer || kind != LX_WORD) return r;
  return lx_stem(t->stemmer, r, *outlen, outlen);
}

static const char *const kind_names[LX_NKINDS] = {
  "word", "number", "punct", "symbol", "space", "invalid"
};

const char *lx_kind_name(int kind) {
  return kind >= 0 && kind < LX_NKINDS ? kind_names[kind] : "?";
}

int lx_kind_parse(const char *name, size_t len) {
  for (int k = 0; k < LX_NKINDS; k++)
    if (strlen(kind_names[k]) == len && memcmp(kind_names[k], name, len) == 0) return k;
  return -1;
}
