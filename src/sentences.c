/*
** sentences.c: sentence boundaries in UTF-8 text. See sentences.h.
**
** The scan jumps from candidate to candidate: bytes that can end a
** sentence (. ! ? and every non-ASCII byte, among which the terminals of
** other scripts), open or close a quotation or bracket, or break a line.
** Everything else is skipped sixteen bytes at a time. At a terminal the
** splitter looks at the word before it and the token after it and decides
** by a handful of general rules:
**
**   - after ! ? and the terminals of other scripts, a sentence ends unless
**     a lowercase word or a comma-like continuation follows;
**   - after a period the word before it matters: an ordinary word ends the
**     sentence before any capital; an abbreviation does according to its
**     kind (see enum lx_abbrev_kind); initials and multi-period acronyms
**     ("I.N.", "U.S.") do only before a sentence starter ("The", "How");
**     a number does in English but not where "3." is an ordinal;
**   - a period not followed by a space (3.14, e.g, example.com, No.35) is
**     inside a token; closing quotes, brackets and footnote marks after a
**     terminal stay with the sentence they close;
**   - an ellipsis ends a sentence only as a four-dot "ellipsis + period" or
**     before a sentence starter; a period glued to a word and followed by a
**     spaced ellipsis ends the sentence, and the ellipsis opens the next;
**   - inside a quotation or bracket no sentence ends: the quotation is part
**     of the sentence around it. A quotation that does not close within
**     QUOTE_MAX bytes or before a blank line is taken for a stray mark, and
**     the sentence ends it held back are restored;
**   - list markers "1." "2)" "a." at a sentence start announce a list; the
**     next marker then starts a new item even without a period before it,
**     until the paragraph ends; a bullet after a space starts an item;
**   - layout: a blank line ends a sentence (so does a heading line before
**     one), a single newline does not, unless the newline policy says so or
**     the next line starts with a bullet or the next list marker.
*/
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1 /* compiled for AVX2 with a target attribute, used if the CPU has it */
#endif

#include "input.h"
#include "alloc.h"
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

static int sb_nonascii(uint32_t cp) {
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

static int sb_of(uint32_t cp) {
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
static uint32_t decode(const uint8_t *s, size_t i, size_t len, size_t *n) {
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
static size_t char_before(const uint8_t *s, size_t i, size_t floor) {
  size_t j = i - 1;
  while (j > floor && (s[j] & 0xC0) == 0x80 && i - j < 4) j--;
  return j;
}

static int is_letter_sb(int sb) { return sb == SB_Lower || sb == SB_Upper || sb == SB_OLetter; }
static int is_space_sb(int sb) { return sb == SB_Sp || sb == SB_LF || sb == SB_CR || sb == SB_Sep; }

static int is_bullet(uint32_t cp) {
  if (cp < 0x2000)
    return 0;
  switch (cp) {
  case 0x2022: case 0x2023: case 0x2043: case 0x25E6: case 0x25AA: case 0x25CF:
  case 0x25A0: case 0x25B8: case 0x25BA: case 0x2219: case 0x27A2:
    return 1;
  default:
    return 0;
  }
}

/*
** Quotation marks and brackets. opener_of gives, for a mark that can open,
** the mark that closes it; 0 if it cannot open. Marks that open and close
** alike (" ' » ›) are decided by context in the scanner.
*/
static uint32_t closer_of(uint32_t cp) {
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
static int is_closing(uint32_t cp) {
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

static int is_superscript_digit(uint32_t cp) {
  return cp == 0xB9 || cp == 0xB2 || cp == 0xB3 || cp == 0x2070 || (cp >= 0x2074 && cp <= 0x2079);
}

/* Opening punctuation that may come before the first letter of a sentence. */
static int is_leading_punct(uint32_t cp) {
  if (cp < 0x80)
    return cp == '"' || cp == '\'' || cp == '(';
  return cp == 0xBF || cp == 0xA1 || closer_of(cp) != 0;
}

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
static size_t fold(const uint8_t *s, size_t len, uint8_t *out) {
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

static uint32_t hash_bytes(const uint8_t *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ s[i]) * 16777619u;
  return h ? h : 1;
}

static word *find_slot(const lx_splitter *sp, const uint8_t *key, size_t len, uint32_t h) {
  size_t mask = sp->nslots - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    word *w = &sp->slots[i];
    if (w->hash == 0 || (w->hash == h && w->len == len && memcmp(sp->pool + w->off, key, len) == 0))
      return w;
  }
}

/* The filter bit of a word: its length and first byte, case folded. */
static uint32_t filter_bit(const uint8_t *s, size_t len, size_t *row) {
  uint8_t first[2] = { s[0], 0 };
  *row = len & 15;
  if (s[0] < 0x80)
    first[0] = s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32 : s[0];
  else
    fold(s, len < 2 ? len : 2, first); /* Р (D0 A0) folds to р (D1 80) */
  return 1u << (first[0] & 31);
}

static const word *lookup(const lx_splitter *sp, const uint8_t *s, size_t len) {
  size_t row;
  if (len == 0 || !(sp->filter[row = len & 15] & filter_bit(s, len, &row)))
    return NULL; /* the usual answer, without folding and hashing */
  uint8_t key[WORD_MAX];
  size_t n = fold(s, len, key);
  if (n == 0)
    return NULL;
  const word *w = find_slot(sp, key, n, hash_bytes(key, n));
  return w->hash ? w : NULL;
}

static int grow(lx_splitter *sp) {
  size_t n = sp->nslots * 2;
  word *slots = lx_calloc(n, sizeof *slots);
  if (slots == NULL)
    return -1;
  word *old = sp->slots;
  size_t oldn = sp->nslots;
  sp->slots = slots;
  sp->nslots = n;
  for (size_t i = 0; i < oldn; i++)
    if (old[i].hash)
      *find_slot(sp, (const uint8_t *)sp->pool + old[i].off, old[i].len, old[i].hash) = old[i];
  free(old);
  return 0;
}

static word *intern(lx_splitter *sp, const char *s, size_t len) {
  uint8_t key[WORD_MAX];
  while (len > 0 && s[len - 1] == '.') len--; /* "Mr." and "Mr" are one entry */
  size_t n = fold((const uint8_t *)s, len, key);
  if (n == 0)
    return NULL;
  if ((sp->count + 1) * 2 > sp->nslots && grow(sp) != 0)
    return NULL;
  uint32_t h = hash_bytes(key, n);
  word *w = find_slot(sp, key, n, h);
  if (w->hash)
    return w;
  if (sp->pool_len + n > sp->pool_cap) {
    size_t cap = sp->pool_cap * 2 + n;
    char *pool = lx_realloc(sp->pool, cap);
    if (pool == NULL)
      return NULL;
    sp->pool = pool;
    sp->pool_cap = cap;
  }
  memcpy(sp->pool + sp->pool_len, key, n);
  size_t row;
  uint32_t bit = filter_bit(key, n, &row);
  sp->filter[row] |= bit;
  w->hash = h;
  w->off = (uint32_t)sp->pool_len;
  w->len = (uint16_t)n;
  sp->pool_len += n;
  sp->count++;
  return w;
}

lx_splitter *lx_splitter_new(void) {
  lx_splitter *sp = lx_calloc(1, sizeof *sp);
  if (sp == NULL)
    return NULL;
  sp->nslots = 256;
  sp->slots = lx_calloc(sp->nslots, sizeof *sp->slots);
  if (sp->slots == NULL) {
    free(sp);
    return NULL;
  }
  sp->newlines = LX_NL_PARAGRAPH;
  sp->max_sentence = 1 << 20;
  return sp;
}

void lx_splitter_free(lx_splitter *sp) {
  if (sp == NULL)
    return;
  free(sp->slots);
  free(sp->pool);
  free(sp);
}

int lx_splitter_add_abbrev(lx_splitter *sp, const char *s, size_t len, int kind) {
  if (kind < LX_ABBR_OTHER || kind > LX_ABBR_SUFFIX)
    kind = LX_ABBR_OTHER;
  while (len > 0 && s[len - 1] == '.') len--;
  if (len == 0 || len > WORD_MAX)
    return 0; /* nothing a lookup could ever find */
  word *w = intern(sp, s, len);
  if (w == NULL)
    return -1;
  w->abbrev = (uint8_t)kind;
  if (w->len > sp->max_abbrev)
    sp->max_abbrev = w->len;
  return 0;
}

int lx_splitter_add_starter(lx_splitter *sp, const char *s, size_t len) {
  if (len == 0 || len > WORD_MAX)
    return 0;
  word *w = intern(sp, s, len);
  if (w == NULL)
    return -1;
  w->starter = 1;
  return 0;
}

void lx_splitter_set_newlines(lx_splitter *sp, int policy) {
  if (policy >= LX_NL_PARAGRAPH && policy <= LX_NL_IGNORE)
    sp->newlines = policy;
}

void lx_splitter_set_ordinals(lx_splitter *sp, int on) { sp->ordinals = on != 0; }

void lx_splitter_set_max_sentence(lx_splitter *sp, size_t bytes) {
  sp->max_sentence = bytes < 1024 ? 1024 : bytes;
}

size_t lx_splitter_max_sentence(const lx_splitter *sp) { return sp->max_sentence; }
size_t lx_splitter_count(const lx_splitter *sp) { return sp->count; }

/* ====================================================================
** The scanner
** ==================================================================== */

typedef struct scan {
  const lx_splitter *sp;
  const uint8_t *s;
  size_t len;
  int eof;
  size_t limit;       /* candidates at or after it wait for more text */
  int need_more;      /* a lookahead ran into the end of an unfinished text */
  lx_span *out;       /* sentences found */
  size_t cap, n;
  size_t start;       /* the current sentence began here (spaces included) */
  size_t floor;       /* look-back stops here: the start, or after a held-back end */
  size_t settled;     /* after the last sentence reported */
  lx_split_state st;  /* list state now */
  lx_split_state st_settled; /* and at `settled` */
  uint32_t stack[MAX_DEPTH]; /* the closing mark each open quotation or bracket expects */
  int depth;
  size_t open_at;     /* where the outermost open quotation began */
  size_t pend[MAX_PENDING]; /* sentence ends held back inside the quotation */
  int npend;
} scan;

/* The token after a terminal, as far as the decision needs it. */
enum { T_EOF, T_ATTACHED, T_LOWER, T_UPPER, T_DIGIT, T_ELLIPSIS, T_CONT, T_OTHER };

typedef struct next_tok {
  int cls;       /* T_* */
  size_t at;     /* its first character, after spaces and opening marks */
  int marker;    /* a list marker: 1 to 3 digits and "." or ")" */
} next_tok;

static int ascii_space(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int ascii_alnum(uint8_t c) {
  return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* The first byte of s[i, end) that is no ASCII space: indentation is long in some texts. */
static inline size_t skip_ascii_spaces(const uint8_t *s, size_t i, size_t end) {
  if (i < end && !ascii_space(s[i]))
    return i;
  if (i + 1 < end && !ascii_space(s[i + 1]))
    return i + 1; /* one space, the usual case */
#if defined(__SSE2__)
  const __m128i sp = _mm_set1_epi8(' '), nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
  while (i + 16 <= end) {
    __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
    __m128i t = _mm_sub_epi8(v, nine);
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(t, four), t), _mm_cmpeq_epi8(v, sp));
    unsigned mask = (unsigned)_mm_movemask_epi8(m);
    if (mask != 0xFFFF)
      return i + (size_t)__builtin_ctz(~mask);
    i += 16;
  }
#endif
  while (i < end && ascii_space(s[i])) i++;
  return i;
}

/* The first byte of s[i, end) that is no space or tab (CR, FF, VT): a newline stops it. */
static size_t skip_blanks(const uint8_t *s, size_t i, size_t end) {
#if defined(__SSE2__)
  const __m128i sp = _mm_set1_epi8(' '), nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
  const __m128i nl = _mm_set1_epi8('\n');
  while (i + 16 <= end && s[i] == ' ') {
    __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
    __m128i t = _mm_sub_epi8(v, nine);
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(t, four), t), _mm_cmpeq_epi8(v, sp));
    m = _mm_andnot_si128(_mm_cmpeq_epi8(v, nl), m);
    unsigned mask = (unsigned)_mm_movemask_epi8(m);
    if (mask != 0xFFFF)
      return i + (size_t)__builtin_ctz(~mask);
    i += 16;
  }
#endif
  while (i < end && s[i] != '\n' && ascii_space(s[i])) i++;
  return i;
}

/* Spaces: ASCII and Unicode (NBSP, ideographic space...). 0 if none at i. */
static inline size_t space_at(const scan *sc, size_t i) {
  uint8_t c = sc->s[i];
  if (c < 0x80)
    return ascii_space(c);
  size_t n;
  uint32_t cp = decode(sc->s, i, sc->len, &n);
  return is_space_sb(sb_of(cp)) ? n : 0;
}

static int space_before(const scan *sc, size_t i) {
  if (i <= sc->floor)
    return 1;
  size_t j = char_before(sc->s, i, sc->floor);
  return space_at(sc, j) != 0;
}

static uint32_t cp_before(const scan *sc, size_t i) {
  if (i <= sc->floor)
    return ' ';
  size_t n, j = char_before(sc->s, i, sc->floor);
  return decode(sc->s, j, sc->len, &n);
}

/* Does s[from, to) hold a letter or digit? A sentence must. */
static int has_content(const scan *sc, size_t from, size_t to) {
  for (size_t i = skip_ascii_spaces(sc->s, from, to); i < to;) {
    uint8_t c = sc->s[i];
    if (c < 0x80) {
      if ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))
        return 1;
      i++;
      continue;
    }
    size_t n;
    int sb = sb_of(decode(sc->s, i, sc->len, &n));
    if (is_letter_sb(sb) || sb == SB_Numeric)
      return 1;
    i += n;
  }
  return 0;
}

static void emit(scan *sc, size_t end, size_t next) {
  size_t a = skip_ascii_spaces(sc->s, sc->start, end), b = end, n;
  /* Leading spaces go, and so does a byte-order mark (U+FEFF): a file's
  ** first sentence must not start with an invisible character. */
  while (a < b) {
    n = space_at(sc, a);
    if (n == 0 && b - a >= 3 && memcmp(sc->s + a, "\xEF\xBB\xBF", 3) == 0)
      n = 3;
    if (n == 0)
      break;
    a = skip_ascii_spaces(sc->s, a + n, end);
  }
  while (b > a) {
    size_t j = char_before(sc->s, b, a);
    if (space_at(sc, j) == 0) break;
    b = j;
  }
  if (a < b && sc->n < sc->cap) {
    sc->out[sc->n].start = a;
    sc->out[sc->n].stop = b;
    sc->n++;
  }
  sc->start = sc->floor = next;
  sc->settled = next;
  sc->st_settled = sc->st;
}

/* Releases the sentence ends a stray quotation held back. */
static void flush_pending(scan *sc) {
  for (int i = 0; i < sc->npend; i++)
    emit(sc, sc->pend[i], sc->pend[i]);
  sc->npend = 0;
  sc->depth = 0;
}

/* Ends the sentence at `end`, or holds the end back inside a quotation. */
static void cut(scan *sc, size_t end) {
  if (sc->depth > 0) {
    if (sc->npend == MAX_PENDING)
      flush_pending(sc);
    else {
      sc->pend[sc->npend++] = end;
      sc->floor = end;
      return;
    }
  }
  emit(sc, end, end);
}

/* A terminal's end: only if the sentence so far says something. */
static void cut_terminal(scan *sc, size_t end) {
  if (has_content(sc, sc->floor, end))
    cut(sc, end);
}

/* A hard end (blank line, line policy, bullet line): quotations end too. */
static void cut_hard(scan *sc, size_t end) {
  flush_pending(sc);
  emit(sc, end, end);
}

static void push(scan *sc, uint32_t closer, size_t at) {
  if (sc->depth == 0)
    sc->open_at = at;
  if (sc->depth < MAX_DEPTH)
    sc->stack[sc->depth++] = closer;
}

/* Closes the innermost quotation that `cp` closes; 0 if none is open. */
static int pop(scan *sc, uint32_t cp) {
  for (int i = sc->depth - 1; i >= 0; i--) {
    uint32_t want = sc->stack[i];
    if (want == cp || (cp == 0x201D && want == 0x201C) || (cp == 0x2019 && want == 0x2018)) {
      sc->depth = i;
      if (i == 0) { /* the quotation closed: its sentences belong to this one */
        sc->npend = 0;
        sc->floor = sc->start;
      }
      return 1;
    }
  }
  return 0;
}

static int letter_at(const scan *sc, size_t i) {
  if (i >= sc->len)
    return 0;
  size_t n;
  return is_letter_sb(sb_of(decode(sc->s, i, sc->len, &n)));
}

/*
** A quotation mark or bracket at s[p] (code point cp, n bytes): opens,
** closes, or (an apostrophe) neither.
*/
static void quote_mark(scan *sc, size_t p, uint32_t cp, size_t n) {
  int after_space = space_before(sc, p) || is_leading_punct(cp_before(sc, p));
  int before_space = p + n >= sc->len || space_at(sc, p + n) != 0;
  switch (cp) {
  case '"':
    if (after_space && !before_space) push(sc, '"', p);
    else pop(sc, '"');
    return;
  case '\'':
    if (after_space && letter_at(sc, p + n)) push(sc, '\'', p);
    else if (!letter_at(sc, p + n) && sc->depth > 0 && sc->stack[sc->depth - 1] == '\'') pop(sc, '\'');
    return;
  case 0x2019: /* ’ is also the apostrophe */
    if (!letter_at(sc, p + n)) pop(sc, cp);
    return;
  case 0x201D: /* ” closes; in Swedish it also opens */
    if (!pop(sc, cp) && after_space && !before_space) push(sc, cp, p);
    return;
  case 0x201C: case 0x00AB: case 0x00BB: case 0x2039: case 0x203A: case 0x2018:
    if (!pop(sc, cp) && (after_space || (cp != 0x00BB && cp != 0x203A)))
      push(sc, closer_of(cp), p);
    return;
  default:
    if (closer_of(cp))
      push(sc, closer_of(cp), p);
    else
      pop(sc, cp);
  }
}

/*
** After a terminal at q: closing marks, footnote marks ([12], ¹) and
** further terminals stay with the sentence. Returns where they end.
*/
static size_t absorb_closers(scan *sc, size_t q) {
  while (q < sc->len) {
    uint8_t c = sc->s[q];
    if (ascii_alnum(c) || c == '\n' || (c == ' ' && sc->depth == 0 && (q + 1 >= sc->len || sc->s[q + 1] != '[')))
      break; /* the usual case: nothing to absorb */
    size_t n;
    uint32_t cp = decode(sc->s, q, sc->len, &n);
    if (is_closing(cp) || (sc->depth > 0 && sc->stack[sc->depth - 1] == cp)) {
      pop(sc, cp);
      q += n;
    } else if (cp == '[') { /* a footnote: [12] */
      size_t i = q + 1;
      while (i < sc->len && i - q <= 4 && sc->s[i] >= '0' && sc->s[i] <= '9') i++;
      if (i == q + 1 || i >= sc->len || sc->s[i] != ']')
        break;
      q = i + 1;
    } else if (cp == ' ' && q + 3 < sc->len && sc->s[q + 1] == '[' && sc->s[q + 2] >= '0' &&
               sc->s[q + 2] <= '9') { /* a footnote after a space, on the same line: ". [41]" */
      size_t i = q + 2;
      while (i < sc->len && i - q <= 6 && sc->s[i] >= '0' && sc->s[i] <= '9') i++;
      if (i >= sc->len || sc->s[i] != ']' || (i + 1 < sc->len && !space_at(sc, i + 1)))
        break;
      q = i + 1;
    } else if (is_superscript_digit(cp)) {
      q += n;
    } else if ((cp == ' ' || cp == 0xA0 || cp == 0x202F) && sc->depth > 0 && q + n < sc->len) {
      /* French spacing: "fin. »" */
      size_t m;
      uint32_t c2 = decode(sc->s, q + n, sc->len, &m);
      if (c2 != 0xBB || sc->stack[sc->depth - 1] != 0xBB)
        break;
      pop(sc, c2);
      q += n + m;
    } else if (cp == '.' || cp == '!' || cp == '?' ||
               (cp >= 0x80 && (sb_of(cp) == SB_STerm || sb_of(cp) == SB_ATerm))) {
      if (cp == '.' && q + 1 < sc->len && sc->s[q + 1] == '.')
        break; /* an ellipsis of its own */
      q += n;
    } else {
      break;
    }
  }
  return q;
}

/* Is s[a, b) a list marker's number or letter? Returns its kind, *value. */
static int marker_kind(const uint8_t *s, size_t a, size_t b, uint32_t *value) {
  if (b - a == 1 && s[a] >= 'a' && s[a] <= 'z') {
    *value = (uint32_t)(s[a] - 'a' + 1);
    return 2;
  }
  if (b - a < 1 || b - a > 3)
    return 0;
  uint32_t v = 0;
  for (size_t i = a; i < b; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    v = v * 10 + (uint32_t)(s[i] - '0');
  }
  *value = v;
  return 1;
}

/* Is there a numeric list marker ("12." "3)" "4.)") followed by a space at i? */
static int numeric_marker_at(const scan *sc, size_t i, uint32_t *value) {
  size_t j = i;
  while (j < sc->len && j - i < 4 && sc->s[j] >= '0' && sc->s[j] <= '9') j++;
  if (marker_kind(sc->s, i, j, value) != 1 || j >= sc->len)
    return 0;
  if (sc->s[j] == '.') j++;
  if (j < sc->len && sc->s[j] == ')') j++;
  if (j == i || (sc->s[j - 1] != '.' && sc->s[j - 1] != ')'))
    return 0;
  return j < sc->len && space_at(sc, j);
}

/*
** Classifies what follows a terminal that ends at q: nothing (end of text),
** a character glued to it, or after spaces and opening marks a lowercase
** or capitalized word, a digit, an ellipsis, a comma-like mark, or other.
*/
static next_tok next_token(scan *sc, size_t q) {
  next_tok t = { T_EOF, q, 0 };
  const uint8_t *s = sc->s;
  if (q >= sc->len) {
    if (!sc->eof) sc->need_more = 1;
    return t;
  }
  size_t n, i = q;
  if (space_at(sc, i) == 0) {
    t.cls = T_ATTACHED;
    return t;
  }
  do {
    i = skip_ascii_spaces(s, i, sc->len);
  } while (i < sc->len && (n = space_at(sc, i)) != 0 && (i += n));
  for (;;) {
    if (i >= sc->len) {
      if (!sc->eof) sc->need_more = 1;
      t.at = i;
      return t;
    }
    if (ascii_alnum(s[i]))
      break;
    uint32_t cp = decode(s, i, sc->len, &n);
    if (!is_leading_punct(cp) || (is_closing(cp) && cp != '"' && cp != '\'' && cp != 0xBB))
      break;
    i += n;
  }
  t.at = i;
  uint8_t c = s[i];
  if (c >= 'a' && c <= 'z') { t.cls = T_LOWER; return t; }
  if (c >= 'A' && c <= 'Z') { t.cls = T_UPPER; return t; }
  uint32_t cp = decode(s, i, sc->len, &n);
  if (cp == '.' || cp == 0x2026) { t.cls = T_ELLIPSIS; return t; }
  switch (sb_of(cp)) {
  case SB_Lower: t.cls = T_LOWER; return t;
  case SB_Numeric: {
    uint32_t v;
    t.cls = T_DIGIT;
    t.marker = numeric_marker_at(sc, i, &v);
    return t;
  }
  case SB_SContinue: t.cls = T_CONT; return t;
  case SB_Upper: case SB_OLetter: break;
  default: t.cls = T_OTHER; return t;
  }
  t.cls = T_UPPER;
  return t;
}

/* Is the capitalized word after a terminal a sentence starter ("The")? */
static int starter(scan *sc, const next_tok *t) {
  if (t->cls != T_UPPER)
    return 0;
  size_t n, i = t->at, j = i;
  while (j < sc->len && j - i <= WORD_MAX) { /* the word, up to an apostrophe: It's -> It */
    uint32_t c = decode(sc->s, j, sc->len, &n);
    if (!is_letter_sb(sb_of(c)))
      break;
    j += n;
  }
  if (j >= sc->len && !sc->eof) {
    sc->need_more = 1;
    return 0;
  }
  const word *w = lookup(sc->sp, sc->s + i, j - i);
  return w != NULL && w->starter;
}

/* What the word before a period is. */
enum { K_WORD, K_OTHER = LX_ABBR_OTHER, K_PREFIX, K_NUMBER, K_SUFFIX, K_NUM, K_ORDINAL,
       K_INITIAL, K_ACRONYM };

/*
** Classifies the word s[a, b) before a period: a listed abbreviation, a
** number, an initial, a multi-period acronym, or an ordinary word. *alpha
** says whether it is letters only.
*/
static int word_kind(const scan *sc, size_t a, size_t b, int *alpha) {
  const uint8_t *s = sc->s;
  *alpha = 0;
  if (a >= b)
    return K_WORD;
  if (b - a <= sc->sp->max_abbrev) {
    const word *w = lookup(sc->sp, s + a, b - a);
    if (w && w->abbrev)
      return w->abbrev;
  }
  int letters = 0, digits = 0, others = 0, periods = 0, seg = 0, maxseg = 0, chars = 0, upper = 0;
  int romans = 0;
  for (size_t i = a, n; i < b; i += n) {
    uint32_t cp = s[i];
    int sb;
    if (cp < 0x80) {
      n = 1;
      sb = ((cp | 32) >= 'a' && (cp | 32) <= 'z') ? (cp >= 'a' ? SB_Lower : SB_Upper)
         : (cp >= '0' && cp <= '9') ? SB_Numeric : SB_Other;
    } else {
      cp = decode(s, i, sc->len, &n);
      sb = sb_of(cp);
    }
    chars++;
    romans += cp == 'I' || cp == 'V' || cp == 'X' || cp == 'L' || cp == 'C' || cp == 'D' || cp == 'M';
    if (is_letter_sb(sb)) { letters++; seg++; upper += sb == SB_Upper; }
    else if (sb == SB_Numeric) digits++;
    else if (cp == '.') { periods++; if (seg > maxseg) maxseg = seg; seg = 0; }
    else if (cp == ',' || cp == ':' || cp == '/' || cp == '-') others += letters > 0;
    else others++;
    if (cp == '.' && digits + letters == 0) others++;
  }
  if (seg > maxseg) maxseg = seg;
  if (digits > 0 && letters == 0) /* 3.14, 24.11.2026, $100.00; 3. may be an ordinal */
    return digits <= 3 && chars == digits ? K_ORDINAL : K_NUM;
  *alpha = letters > 0 && digits == 0 && others == 0 && periods == 0;
  if (chars == 1 && letters == 1)
    return upper ? K_INITIAL : K_OTHER;
  if (chars >= 2 && romans == chars)
    return K_ORDINAL; /* Louis XIV., XII. Pluku */
  if (periods > 0 && digits == 0 && others == 0 && maxseg <= 3)
    return K_ACRONYM;
  return K_WORD;
}

/* Skips the bullets, spaces and opening marks a sentence may begin with. */
static size_t skip_lead(const scan *sc, size_t i, size_t to) {
  while (i < to) {
    if (ascii_alnum(sc->s[i]))
      break;
    size_t n;
    uint32_t cp = decode(sc->s, i, sc->len, &n);
    if (!(is_bullet(cp) || is_leading_punct(cp) || is_space_sb(sb_of(cp)) || cp == '-' || cp == '*'))
      break;
    i += n;
  }
  return i;
}

/*
** A list marker "w." or "w)" (w a number or a letter) whose token starts at
** ts. At a sentence start it opens or continues a list (returns 1: no end
** after it); mid-sentence, the marker the list expects next begins a new
** item (returns 1 after ending the sentence before it).
*/
static int list_marker(scan *sc, size_t ts, size_t a, size_t b) {
  uint32_t v;
  int kind = marker_kind(sc->s, a, b, &v);
  if (kind == 0 || sc->depth > 0 || sc->npend > 0)
    return 0;
  if (skip_lead(sc, sc->start, a) == a) {
    if (kind == 1 || v == 1 || (kind == sc->st.list_kind && v == sc->st.list_next)) {
      sc->st.list_kind = (uint8_t)kind;
      sc->st.list_next = v + 1;
      return 1;
    }
    return 0;
  }
  if (kind == sc->st.list_kind && v == sc->st.list_next && space_before(sc, ts)) {
    cut_hard(sc, ts);
    sc->st.list_next = v + 1;
    return 1;
  }
  return 0;
}

/* Where the token ending at p starts, and where its word starts (after marks). */
static size_t token_start(const scan *sc, size_t p) {
  size_t i = p;
  while (i > sc->floor) {
    uint8_t c = sc->s[i - 1];
    if (c < 0x80) {
      if (ascii_space(c)) break;
      i--;
      continue;
    }
    size_t j = char_before(sc->s, i, sc->floor);
    if (space_at(sc, j)) break;
    i = j;
  }
  return i;
}

static size_t word_start(const scan *sc, size_t ts, size_t p) {
  size_t i = ts;
  while (i < p) {
    if (ascii_alnum(sc->s[i]))
      break;
    size_t n;
    uint32_t cp = decode(sc->s, i, sc->len, &n);
    if (!(is_leading_punct(cp) || is_bullet(cp)))
      break;
    i += n;
  }
  return i;
}

/*
** ! ? and the terminals of other scripts, ending at q: a sentence ends
** unless a lowercase word or a comma-like mark follows. Terminals of
** scripts written without spaces (。！？) end it even when glued to the
** next word.
*/
static size_t on_terminal(scan *sc, size_t q, int wide) {
  size_t p0 = q;
  q = absorb_closers(sc, q);
  next_tok t = next_token(sc, q);
  if (sc->need_more)
    return q;
  switch (t.cls) {
  case T_ATTACHED: {
    if (!wide) return q;
    size_t n;
    int sb = sb_of(decode(sc->s, q, sc->len, &n));
    if (sb == SB_Lower || sb == SB_SContinue) return q;
    if (q > p0 && is_closing(cp_before(sc, q)) && is_letter_sb(sb))
      return q; /* 「行くよ。」と言った: the quotation is part of the sentence */
    cut_terminal(sc, q);
    return q;
  }
  case T_LOWER: case T_CONT: case T_EOF:
    return q;
  default:
    cut_terminal(sc, q);
    return q;
  }
}

/*
** An ellipsis of `dots` dots (… counts three) ending at e. It ends a
** sentence as "ellipsis + period" (four dots) before a capital, or before a
** sentence starter; otherwise the sentence goes on ("I mean... see").
*/
static size_t on_ellipsis(scan *sc, size_t e, int dots) {
  if (e < sc->len && (sc->s[e] == '!' || sc->s[e] == '?'))
    return on_terminal(sc, e + 1, 0);
  size_t q = absorb_closers(sc, e);
  next_tok t = next_token(sc, q);
  if (sc->need_more)
    return q;
  /* a quotation that ends with an ellipsis has ended: so may the sentence */
  /* (but a citation in parentheses after it still belongs to it: "..." (Smith 55).) */
  size_t k = skip_ascii_spaces(sc->s, q, sc->len);
  int quoted = q > e && is_closing(cp_before(sc, q)) && cp_before(sc, q) != ')' &&
               k < sc->len && sc->s[k] != '(';
  if (t.cls == T_UPPER && (dots >= 4 || quoted || starter(sc, &t)) && !sc->need_more)
    cut_terminal(sc, q);
  return q;
}

/* The dots of a spaced ellipsis ". . ." from p; 0 if there is none. */
static int spaced_dots(const scan *sc, size_t p, size_t *end) {
  int dots = 1;
  size_t i = p + 1;
  while (i + 1 < sc->len && sc->s[i] == ' ' && sc->s[i + 1] == '.') {
    dots++;
    i += 2;
  }
  *end = i;
  return dots >= 3 ? dots : 0;
}

/*
** "word.Next" with the space missing (common in scraped text): a period
** between a lowercase word of three letters or more and a capitalized
** word of two or more. Abbreviations, acronyms and names with dots
** (e.g.U, Node.Js) rarely look like that.
*/
static int missing_space(const scan *sc, size_t p, size_t q) {
  size_t n, i = p, letters = 0;
  while (i > sc->floor) {
    size_t j = char_before(sc->s, i, sc->floor);
    int sb = sb_of(decode(sc->s, j, sc->len, &n));
    if (sb != SB_Lower) {
      if (!space_at(sc, j) && !is_leading_punct(decode(sc->s, j, sc->len, &n)))
        return 0;
      break;
    }
    letters++;
    i = j;
  }
  if (letters < 3 || lookup(sc->sp, sc->s + i, p - i) != NULL)
    return 0;
  decode(sc->s, q, sc->len, &n);
  if (q + n >= sc->len)
    return 0;
  int sb2 = sb_of(decode(sc->s, q + n, sc->len, &n));
  return sb2 == SB_Lower || sb2 == SB_Upper;
}

/* Skips an ellipsis at i (dots, spaced dots or …); returns where it ends. */
static size_t skip_ellipsis(const scan *sc, size_t i) {
  for (;;) {
    if (i < sc->len && sc->s[i] == '.') i++;
    else if (i + 2 < sc->len && memcmp(sc->s + i, "\xE2\x80\xA6", 3) == 0) i += 3;
    else if (i + 1 < sc->len && sc->s[i] == ' ' && sc->s[i + 1] == '.') i += 2;
    else return i;
  }
}

/*
** A period at p (one byte, or a full-width one of n bytes): the heart of
** the matter. See the rules at the top of the file.
*/
static size_t on_period(scan *sc, size_t p, size_t n) {
  const uint8_t *s = sc->s;
  size_t q = p + n;
  if (q < sc->len && (ascii_alnum(s[q]) || s[q] == ',' || s[q] == '/' || s[q] == '_' || s[q] == '-')) {
    if (s[q] >= 'A' && s[q] <= 'Z' && missing_space(sc, p, q))
      cut_terminal(sc, q);
    return q; /* inside a token: 3.14, e.g, example.com, No.35 */
  }
  if (n == 1 && sc->depth == 0 && q + 2 < sc->len && (s[q] == ' ' || s[q] == '\n')) {
    /*
    ** The common cases, decided as the general rules below would: an
    ** ordinary lowercase word, then spaces and an ASCII letter.
    */
    size_t i = p, k = skip_ascii_spaces(s, q + 1, sc->len);
    if (k >= sc->len)
      k = q; /* the general rules will ask for more text */
    while (i > sc->floor && s[i - 1] >= 'a' && s[i - 1] <= 'z') i--;
    if (p - i >= 2 && (i == sc->floor || ascii_space(s[i - 1]))) {
      uint8_t c = s[k];
      if (c >= 'a' && c <= 'z')
        return q;
      if (c >= 'A' && c <= 'Z' && (p - i > sc->sp->max_abbrev || lookup(sc->sp, s + i, p - i) == NULL)) {
        cut_terminal(sc, q);
        return q;
      }
    }
  }
  if (n == 1) {
    size_t r = q;
    while (r < sc->len && s[r] == '.') r++;
    if (r - p >= 2)
      return on_ellipsis(sc, r, r - p == 2 ? 3 : (int)(r - p));
    size_t e;
    int dots = spaced_dots(sc, p, &e);
    if (dots && space_before(sc, p))
      return on_ellipsis(sc, e, dots);
    if (q + 2 < sc->len && memcmp(s + q, "\xE2\x80\xA6", 3) == 0)
      return on_ellipsis(sc, q + 3, 4);
  }
  if (q < sc->len && !space_at(sc, q)) {
    size_t m;
    uint32_t cp = decode(s, q, sc->len, &m);
    if (!(is_closing(cp) || cp == '[' || is_superscript_digit(cp) ||
          (sc->depth > 0 && sc->stack[sc->depth - 1] == cp))) {
      if (sb_of(cp) == SB_Upper && missing_space(sc, p, q))
        cut_terminal(sc, q);
      return q; /* inside a token: 3.14, e.g, example.com, No.35 */
    }
  }
  q = absorb_closers(sc, q);
  next_tok t = next_token(sc, q);
  if (sc->need_more || t.cls == T_ATTACHED || t.cls == T_EOF)
    return q;

  size_t ts = token_start(sc, p);
  size_t ws = word_start(sc, ts, p);
  if (p - ws <= 3 && list_marker(sc, ts, ws, p)) /* markers are short: 12. a. */
    return q;
  if (t.cls == T_LOWER || t.cls == T_CONT)
    return q; /* no rule ends a sentence before these */
  int alpha;
  int kind = word_kind(sc, ws, p, &alpha);
  int end = 0;
  switch (t.cls) {
  case T_UPPER:
    switch (kind) {
    case K_WORD: case K_NUMBER: case K_SUFFIX: end = 1; break;
    case K_NUM: end = 1; break;
    case K_ORDINAL: end = !sc->sp->ordinals || starter(sc, &t); break;
    case K_PREFIX: end = 0; break;
    default: end = starter(sc, &t); break; /* abbreviation, initial, acronym */
    }
    break;
  case T_DIGIT:
    end = kind == K_WORD && (t.marker || alpha);
    break;
  case T_OTHER:
    end = kind == K_WORD || kind == K_NUM || kind == K_ORDINAL || kind == K_SUFFIX ||
          kind == K_NUMBER;
    break;
  case T_ELLIPSIS:
    /* "compounds. . . . The": the period ends it, the ellipsis opens the next
    ** (unless the text ends with it: "abandoned. . . .") */
    if (kind == K_WORD) {
      size_t after = absorb_closers(sc, skip_ellipsis(sc, t.at));
      next_tok t2 = next_token(sc, after);
      if (sc->need_more)
        return q;
      end = t2.cls != T_EOF;
    }
    break;
  default:
    break;
  }
  if (end && !sc->need_more)
    cut_terminal(sc, q);
  return q;
}

/* A ")" with no "(" open may close a list marker: "1) The first item". */
static size_t on_close_paren(scan *sc, size_t p) {
  if (pop(sc, ')'))
    return p + 1;
  if (p + 1 < sc->len && space_at(sc, p + 1)) {
    size_t ts = token_start(sc, p);
    list_marker(sc, ts, word_start(sc, ts, p), p);
  }
  return p + 1;
}

/*
** A newline at p. Paragraph policy: a blank line ends the sentence (and
** any quotation), as does a next line that starts with a bullet or the
** list marker expected next. Line policy: every newline ends one.
*/
static size_t on_newline(scan *sc, size_t p) {
  if (sc->sp->newlines == LX_NL_IGNORE)
    return p + 1;
  if (sc->sp->newlines == LX_NL_LINE) {
    memset(&sc->st, 0, sizeof sc->st); /* a list ends with its line */
    cut_hard(sc, p);
    return p + 1;
  }
  const uint8_t *s = sc->s;
  size_t i = p + 1, n;
  if (i < sc->len && ascii_alnum(s[i]) && s[i] > '9')
    return i; /* the usual case: a line of text goes on */
  for (;;) { /* spaces, tabs, indentation, up to a newline (a blank line) or text */
    i = skip_blanks(s, i, sc->len);
    if (i >= sc->len || s[i] == '\n')
      break;
    if (s[i] > '9' && ascii_alnum(s[i]))
      return p + 1; /* an indented line of text */
    if ((n = space_at(sc, i)) == 0)
      break;
    i += n;
  }
  if (i >= sc->len) {
    if (!sc->eof) sc->need_more = 1;
    return p + 1;
  }
  if (s[i] == '\n') {
    memset(&sc->st, 0, sizeof sc->st); /* a list ends with its paragraph */
    cut_hard(sc, p);
    return i;
  }
  uint32_t cp = decode(s, i, sc->len, &n), v;
  int item = 0;
  if (is_bullet(cp) || cp == '-' || cp == '*' || cp == 0x2013 || cp == 0x2014)
    item = i + n < sc->len && (space_at(sc, i + n) || is_bullet(cp));
  else if (numeric_marker_at(sc, i, &v)) /* "1." opens a list, the next marker goes on */
    item = v == 1 || (sc->st.list_kind == 1 && v == sc->st.list_next);
  if (item)
    cut_hard(sc, p);
  return p + 1;
}

/* ====================================================================
** The candidate scan
** ==================================================================== */

/*
** Square brackets and braces are no candidates: sentences inside them are
** rare ([sic], [12], {markup}), and a "]" after a terminal is taken care of
** where closers are (absorb_closers).
*/
static const uint8_t candidate[256] = {
  ['.'] = 1, ['!'] = 1, ['?'] = 1, ['\n'] = 1, ['('] = 1, [')'] = 1, ['"'] = 1, ['\''] = 1,
#define X16(b) [b] = 1, [b + 1] = 1, [b + 2] = 1, [b + 3] = 1, [b + 4] = 1, [b + 5] = 1, \
  [b + 6] = 1, [b + 7] = 1, [b + 8] = 1, [b + 9] = 1, [b + 10] = 1, [b + 11] = 1, \
  [b + 12] = 1, [b + 13] = 1, [b + 14] = 1, [b + 15] = 1
  X16(0x80), X16(0x90), X16(0xA0), X16(0xB0), X16(0xC0), X16(0xD0), X16(0xE0), X16(0xF0)
#undef X16
};

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

static void cands_init(cands *c, int lines) {
  memset(c, 0, sizeof *c);
  c->fresh = 1;
  c->lines = lines;
#if HAVE_AVX2_PATH
  c->avx2 = __builtin_cpu_supports("avx2");
#endif
#if defined(__SSE2__)
  c->dot = _mm_set1_epi8('.'); c->bang = _mm_set1_epi8('!'); c->ques = _mm_set1_epi8('?');
  c->nl = _mm_set1_epi8('\n'); c->dq = _mm_set1_epi8('"'); c->sq = _mm_set1_epi8('\'');
  c->par = _mm_set1_epi8('(');
  c->one = _mm_set1_epi8(1);
  c->lo_a = _mm_set1_epi8('a' - 1); c->lo_z = _mm_set1_epi8('z' + 1); c->x20 = _mm_set1_epi8(0x20);
  c->ones = _mm_set1_epi8(-1);
  c->nl_keep = lines == 2 ? c->ones : _mm_setzero_si128();
  c->nl_on = lines ? c->ones : _mm_setzero_si128();
#endif
}

#if defined(__SSE2__)
/* The candidates among s[i, i + 16); reads s[i + 16] too. */
static inline uint32_t block_mask(const cands *c, const uint8_t *s) {
  __m128i v = _mm_loadu_si128((const __m128i *)s);
  __m128i v1 = _mm_sub_epi8(v, c->one); /* ( ) are 0x28 0x29 */
  __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, c->dot), _mm_cmpeq_epi8(v, c->bang));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(v, c->ques));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(v, c->dq));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(v, c->sq));
  m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, c->par), _mm_cmpeq_epi8(v1, c->par)));
  /* a newline counts unless the byte after it is a letter (policy paragraph) */
  __m128i after = _mm_or_si128(_mm_loadu_si128((const __m128i *)(s + 1)), c->x20);
  __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(after, c->lo_a), _mm_cmplt_epi8(after, c->lo_z));
  __m128i newline = _mm_and_si128(_mm_cmpeq_epi8(v, c->nl), c->nl_on);
  m = _mm_or_si128(m, _mm_and_si128(newline, _mm_or_si128(c->nl_keep, _mm_xor_si128(letter, c->ones))));
  return (uint32_t)_mm_movemask_epi8(_mm_or_si128(m, v)); /* v's high bit: non-ASCII */
}
#endif

#if HAVE_AVX2_PATH
/*
** The AVX2 scan: 32 bytes at a time, the candidate set found by two nibble
** lookups ("shufti"): a byte is a candidate when the bits its low and high
** nibbles select share one. Bit 1: \n; 2: ! " ' ( ) .; 4: ?.
** Returns the first block at or after i with a candidate (*mask its bits),
** or the first i where fewer than 33 bytes remain.
*/
__attribute__((target("avx2")))
static size_t scan_avx2(const uint8_t *s, size_t i, size_t end, int lines, uint32_t *mask) {
  const __m256i lo_tab = _mm256_setr_epi8(0, 2, 2, 0, 0, 0, 0, 2, 2, 2, 1, 0, 0, 0, 2, 4,
                                          0, 2, 2, 0, 0, 0, 0, 2, 2, 2, 1, 0, 0, 0, 2, 4);
  const __m256i hi_tab = _mm256_setr_epi8(1, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                          1, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i low4 = _mm256_set1_epi8(0x0F), nl = _mm256_set1_epi8('\n');
  const __m256i x20 = _mm256_set1_epi8(0x20), lo_a = _mm256_set1_epi8('a' - 1);
  const __m256i lo_z = _mm256_set1_epi8('z' + 1), zero = _mm256_setzero_si256();
  while (i + 33 <= end) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(s + i));
    __m256i lo = _mm256_shuffle_epi8(lo_tab, _mm256_and_si256(v, low4));
    __m256i hi = _mm256_shuffle_epi8(hi_tab, _mm256_and_si256(_mm256_srli_epi16(v, 4), low4));
    __m256i hit = _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), zero); /* 0xFF: no candidate */
    uint32_t m = ~(uint32_t)_mm256_movemask_epi8(hit) | (uint32_t)_mm256_movemask_epi8(v);
    if (lines != 2) {
      __m256i newline = _mm256_cmpeq_epi8(v, nl);
      if (lines == 1) { /* only newlines not followed by a letter */
        __m256i after = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(s + i + 1)), x20);
        __m256i letter = _mm256_and_si256(_mm256_cmpgt_epi8(after, lo_a), _mm256_cmpgt_epi8(lo_z, after));
        newline = _mm256_and_si256(newline, letter);
      }
      m &= ~(uint32_t)_mm256_movemask_epi8(newline);
    }
    if (m) {
      *mask = m;
      return i;
    }
    i += 32;
  }
  *mask = 0;
  return i;
}
#endif

/* The first candidate at or after pos and before end; end if none. */
static size_t next_candidate(cands *c, const uint8_t *s, size_t pos, size_t end) {
  for (;;) {
    while (c->mask) {
      size_t p = c->base + (size_t)__builtin_ctz(c->mask);
      c->mask &= c->mask - 1;
      if (p >= pos)
        return p < end ? p : end;
    }
    size_t i = c->fresh || pos > c->base + c->width ? pos : c->base + c->width;
    c->fresh = 0;
    if (i >= end)
      return end;
#if HAVE_AVX2_PATH
    if (c->avx2) {
      uint32_t m;
      i = scan_avx2(s, i, end, c->lines, &m);
      if (m) {
        c->base = i;
        c->mask = m;
        c->width = 32;
        continue;
      }
    }
#endif
#if defined(__SSE2__)
    while (i + 17 <= end) {
      uint32_t m = block_mask(c, s + i);
      if (m) {
        c->base = i;
        c->mask = m;
        c->width = 16;
        break;
      }
      i += 16;
    }
    if (c->mask)
      continue;
#endif
    /* the last bytes, one at a time */
    while (i < end && (!candidate[s[i]] || (s[i] == '\n' && c->lines == 0))) i++;
    c->base = i;
    c->fresh = 1; /* continue after it from wherever the handler leaves */
    return i;
  }
}

/* Handles the candidate at p; returns where the scan goes on. */
static size_t handle(scan *sc, size_t p) {
  uint8_t c = sc->s[p];
  switch (c) {
  case '.': return on_period(sc, p, 1);
  case '!': case '?': return on_terminal(sc, p + 1, 0);
  case '\n': return on_newline(sc, p);
  case ')': return on_close_paren(sc, p);
  case '(': push(sc, ')', p); return p + 1;
  case '\'':
    /* an apostrophe inside a word (don't) neither opens nor closes */
    if (p > sc->floor && p + 1 < sc->len && ascii_alnum(sc->s[p - 1]) && ascii_alnum(sc->s[p + 1]))
      return p + 1;
    quote_mark(sc, p, c, 1);
    return p + 1;
  case '"':
    /* between two letters or digits it is no quotation mark (res"in, 5"x7") */
    if (p > sc->floor && p + 1 < sc->len && ascii_alnum(sc->s[p - 1]) && ascii_alnum(sc->s[p + 1]))
      return p + 1;
    quote_mark(sc, p, c, 1);
    return p + 1;
  default:
    break;
  }
  if (c < 0x80)
    return p + 1;
  size_t n;
  uint32_t cp = decode(sc->s, p, sc->len, &n);
  if (cp == 0x2026) {
    size_t e = p + n;
    int dots = 3;
    while (e < sc->len && sc->s[e] == '.') { e++; dots++; }
    return on_ellipsis(sc, e, dots);
  }
  if (is_bullet(cp)) {
    if (space_before(sc, p) && sc->depth == 0)
      cut_hard(sc, p);
    return p + n;
  }
  int sb = sb_of(cp);
  if (sb == SB_STerm) {
    size_t q = p + n;
    while (q < sc->len) { /* a run of terminals: ?! ！？ */
      size_t m;
      int sb2 = sb_of(decode(sc->s, q, sc->len, &m));
      if (sb2 != SB_STerm && sc->s[q] != '!' && sc->s[q] != '?') break;
      q += m;
    }
    return on_terminal(sc, q, 1);
  }
  if (sb == SB_ATerm)
    return on_period(sc, p, n);
  if (sb == SB_Close || cp == 0x201C)
    quote_mark(sc, p, cp, n);
  return p + n;
}

/* No sentence runs past max_sentence: cut it at its last space before. */
static void force_cut(scan *sc, size_t hard) {
  flush_pending(sc);
  if (sc->start + sc->sp->max_sentence != hard)
    return; /* the held-back ends already shortened it */
  size_t i = hard;
  while (i > sc->start + 1 && !(sc->s[i - 1] == ' ' || sc->s[i - 1] == '\n' || sc->s[i - 1] == '\t')) i--;
  if (i <= sc->start + 1) {
    i = hard;
    while (i > sc->start && (sc->s[i] & 0xC0) == 0x80) i--;
  }
  emit(sc, i, i);
}

/*
** lx_split, and for the parallel splitter a stop: at stop_at (a restart
** point: the newline of a blank line, or any newline under policy "line")
** the text is cut as that newline would cut it, and nothing after it is
** looked at but as lookahead.
*/
static size_t split_impl(const lx_splitter *sp, lx_split_state *st, const char *text, size_t len,
                         int eof, size_t stop_at, lx_span *spans, size_t cap, size_t *settled) {
  scan sc;
  memset(&sc, 0, sizeof sc);
  sc.sp = sp;
  sc.s = (const uint8_t *)text;
  sc.len = len;
  sc.eof = eof;
  sc.limit = eof ? len : len > LX_SPLIT_LOOKAHEAD ? len - LX_SPLIT_LOOKAHEAD : 0;
  sc.out = spans;
  sc.cap = cap;
  sc.st = sc.st_settled = *st;
  int stopped = 0; /* by a full span array or a lookahead */
  cands cand;
  cands_init(&cand, sp->newlines == LX_NL_IGNORE ? 0 : sp->newlines == LX_NL_LINE ? 2 : 1);
  size_t pos = 0;
  for (;;) {
    if (sc.n + MIN_SPANS > sc.cap) { stopped = 1; break; }
    size_t hard = sc.start + sp->max_sentence;
    size_t stop = hard < sc.limit ? hard : sc.limit;
    if (stop_at < stop)
      stop = stop_at;
    size_t p = next_candidate(&cand, sc.s, pos, stop);
    if (p >= stop) {
      if (stop == stop_at && stop_at < hard) {
        memset(&sc.st, 0, sizeof sc.st); /* what on_newline does at a blank line */
        cut_hard(&sc, stop_at);
        break;
      }
      if (hard < sc.limit) {
        force_cut(&sc, hard);
        pos = sc.start;
        cand.mask = 0;
        cand.fresh = 1;
        continue;
      }
      break;
    }
    if (sc.depth > 0 && p > sc.open_at + QUOTE_MAX) {
      /*
      ** A stray quotation mark: release the ends it held back, and scan
      ** again from the last of them, as a caller resuming there would.
      */
      int released = sc.npend > 0;
      flush_pending(&sc);
      if (released) {
        pos = sc.start;
        cand.mask = 0;
        cand.fresh = 1;
        continue;
      }
    }
    pos = handle(&sc, p);
    if (sc.need_more) { stopped = 1; break; }
  }
  if (eof && !stopped) {
    flush_pending(&sc);
    emit(&sc, len, len);
  }
  *settled = sc.settled;
  *st = sc.st_settled;
  return sc.n;
}

size_t lx_split(const lx_splitter *sp, lx_split_state *st, const char *text, size_t len,
                int eof, lx_span *spans, size_t cap, size_t *settled) {
  return split_impl(sp, st, text, len, eof, (size_t)-1, spans, cap, settled);
}

/* ====================================================================
** Collapsing white space for output
** ==================================================================== */

/*
** The work of lx_collapse_space. src[0, avail) may be read (avail >= len),
** and dst has 16 bytes of room past len: blocks of sixteen bytes are then
** handled whole even at the end of the text, where bits past len are masked.
*/
static size_t collapse(char *dst, const uint8_t *s, size_t len, size_t avail) {
  size_t i = 0, o = 0;
  while (i < len) {
#if defined(__SSE2__)
    /* Sixteen bytes at a time while there is no tab, newline or double space. */
    const __m128i sp = _mm_set1_epi8(' '), nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
    while (i + 17 <= avail) {
      __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
      __m128i w = _mm_loadu_si128((const __m128i *)(s + i + 1));
      __m128i t = _mm_sub_epi8(v, nine), tw = _mm_sub_epi8(w, nine);
      __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(t, four), t);   /* \t..\r */
      __m128i ctlw = _mm_cmpeq_epi8(_mm_min_epu8(tw, four), tw);
      __m128i spv = _mm_cmpeq_epi8(v, sp), spw = _mm_cmpeq_epi8(w, sp);
      __m128i bad = _mm_or_si128(ctl, _mm_and_si128(spv, _mm_or_si128(spw, ctlw)));
      unsigned mask = (unsigned)_mm_movemask_epi8(bad);
      size_t left = len - i;
      if (left < 16)
        mask &= (1u << left) - 1;
      _mm_storeu_si128((__m128i *)(dst + o), v);
      if (mask) {
        size_t k = (size_t)__builtin_ctz(mask);
        o += k;
        i += k;
        break;
      }
      if (left <= 16)
        return o + left;
      o += 16;
      i += 16;
    }
    if (i >= len)
      break;
#endif
    uint8_t c = s[i];
    if (ascii_space(c)) {
      dst[o++] = ' ';
      while (i < len && ascii_space(s[i])) i++;
    } else {
      dst[o++] = (char)c;
      i++;
    }
  }
  return o;
}

size_t lx_collapse_space(char *dst, const char *src, size_t len) {
  const uint8_t *s = (const uint8_t *)src;
  size_t o = 0;
  /* the last 32 bytes one at a time: dst has no room past len */
  size_t head = len > 32 ? len - 32 : 0;
  while (head > 0 && ascii_space(s[head - 1])) head--; /* no run split in two */
  if (head > 0)
    o = collapse(dst, s, head, len);
  char tail[64];
  size_t n = collapse(tail, s + head, len - head, len - head);
  if (o > 0 && n > 0 && dst[o - 1] == ' ' && tail[0] == ' ')
    n--, memmove(tail, tail + 1, n);
  memcpy(dst + o, tail, n);
  return o + n;
}

/* ====================================================================
** Splitting a stream, in parallel
** ==================================================================== */

#define STREAM_CHUNK (4u << 20) /* bytes per thread and round */
#define FILL_STEP (1u << 20)    /* bytes per fread */
#define STREAM_BATCH 256        /* spans per lx_split call */

/* One thread's part of the buffer, and what it makes of it. */
typedef struct part {
  const lx_splitter *sp;
  const lx_stream_opts *opts;
  const char *text;     /* the buffer */
  size_t from, to, len; /* the part is text[from, to); the buffer ends at len */
  int last;             /* the last part: streams on (eof says if the input ended) */
  int eof;
  uint64_t base;        /* the stream offset of text[0] */
  lx_split_state st;    /* in: the state at from; out: at settled (the last part) */
  size_t settled;       /* the last part: where the next round starts */
  char *out;            /* the formatted sentences */
  size_t olen, ocap;
  uint64_t count;
  int nomem;
} part;

static char *put_number(char *o, uint64_t v) {
  char digits[24];
  int n = 0;
  do digits[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n > 0) *o++ = digits[--n];
  return o;
}

static int put_span(part *pt, size_t a, size_t b) {
  pt->count++;
  if (pt->opts->mode == LX_OUT_COUNT)
    return 0;
  size_t need = pt->olen + (b - a) + pt->opts->prefix_len + 64; /* collapse writes 16 past */
  if (need > pt->ocap) {
    size_t cap = pt->ocap * 2 > need ? pt->ocap * 2 : need + (1u << 16);
    char *o = lx_realloc(pt->out, cap);
    if (o == NULL) {
      pt->nomem = 1;
      return -1;
    }
    pt->out = o;
    pt->ocap = cap;
  }
  char *o = pt->out + pt->olen;
  if (pt->opts->prefix) {
    memcpy(o, pt->opts->prefix, pt->opts->prefix_len);
    o += pt->opts->prefix_len;
    *o++ = ':';
  }
  if (pt->opts->mode == LX_OUT_OFFSETS) {
    o = put_number(o, pt->base + a + 1);
    *o++ = '\t';
    o = put_number(o, pt->base + b);
    *o++ = '\t';
  }
  o += collapse(o, (const uint8_t *)pt->text + a, b - a, pt->len - a);
  *o++ = '\n';
  pt->olen = (size_t)(o - pt->out);
  return 0;
}

/*
** Splits text[pos, end) (eof as given) to its settled point, or to `stop`
** (a restart point) if that comes first; returns where it got.
*/
static size_t split_run(part *pt, size_t pos, size_t end, int eof, size_t stop) {
  lx_span spans[STREAM_BATCH];
  for (;;) {
    size_t settled;
    size_t n = split_impl(pt->sp, &pt->st, pt->text + pos, end - pos, eof,
                          stop == (size_t)-1 ? stop : stop - pos, spans, STREAM_BATCH, &settled);
    for (size_t i = 0; i < n; i++)
      if (put_span(pt, pos + spans[i].start, pos + spans[i].stop) != 0)
        return pos;
    pos += settled;
    if (settled == 0 || pos >= end || pos >= stop)
      return pos;
  }
}

/*
** A part that ends at a restart point `to` is split with the lookahead the
** stream gives it, and cut at `to` as the newline there cuts it. (Should a
** lookahead need more than LX_SPLIT_LOOKAHEAD bytes, which takes that many
** spaces in a row, the rest is split as a text of its own.) The last part
** streams on like lx_split's caller would.
*/
static void *part_run(void *arg) {
  part *pt = arg;
  if (pt->last) {
    pt->settled = split_run(pt, pt->from, pt->len, pt->eof, (size_t)-1);
    return NULL;
  }
  size_t end = pt->to + LX_SPLIT_LOOKAHEAD;
  size_t pos = split_run(pt, pt->from, end, 0, pt->to);
  if (pos < pt->to && !pt->nomem)
    split_run(pt, pos, pt->to, 1, (size_t)-1);
  return NULL;
}

/*
** The first restart point at or after i, far enough from the end: a newline
** that starts a blank line (policy paragraph) or any newline (line).
** Returns 0 if there is none.
*/
static size_t restart_point(const lx_splitter *sp, const char *text, size_t i, size_t len) {
  const char *s = text;
  while (i + LX_SPLIT_LOOKAHEAD + 1 < len) {
    const char *nl = memchr(s + i, '\n', len - LX_SPLIT_LOOKAHEAD - 1 - i);
    if (nl == NULL)
      return 0;
    size_t p = (size_t)(nl - s), j = p + 1;
    if (sp->newlines == LX_NL_LINE)
      return p;
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\f' || s[j] == '\v')) j++;
    if (j < len && s[j] == '\n')
      return p;
    i = j;
  }
  return 0;
}

static int cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

int lx_split_stream(const lx_splitter *sp, FILE *in, FILE *out, const lx_stream_opts *opts,
                    lx_stream_result *res) {
  memset(res, 0, sizeof *res);
  int threads = opts->threads > 0 ? opts->threads : cpu_count();
  if (threads > 8) threads = 8;
  if (sp->newlines == LX_NL_IGNORE)
    threads = 1; /* no restart points */
  size_t chunk = opts->chunk > 0 && opts->chunk < STREAM_CHUNK ? opts->chunk : STREAM_CHUNK;
  size_t cap = (size_t)threads * STREAM_CHUNK + sp->max_sentence + LX_SPLIT_LOOKAHEAD;
  char *buf = lx_malloc(cap);
  part parts[8];
  memset(parts, 0, sizeof parts);
  int rc = LX_STREAM_OK;
  if (buf == NULL)
    return LX_STREAM_NOMEM;
  lx_split_state st;
  memset(&st, 0, sizeof st);
  size_t len = 0;
  uint64_t base = 0;
  int eof = 0;
  for (;;) {
    size_t target = opts->chunk > 0 && len + opts->chunk < cap ? len + opts->chunk : cap;
    while (!eof && len < target) { /* fill the buffer (opts->chunk per round, tests use tiny ones) */
      /* at most a megabyte a call: a slow pipe then still sees Ctrl-C soon */
      size_t want = target - len < chunk ? target - len : chunk;
      if (want > FILL_STEP)
        want = FILL_STEP;
      if (opts->progress && lx_progress_step(opts->progress, 0)) {
        rc = LX_STREAM_CANCEL;
        goto done;
      }
      size_t got = 0;
      if (opts->input) {          /* full chunks, as fread gives them */
        while (got < want) {
          long r = lx_input_read(opts->input, buf + len + got, want - got);
          if (r < 0) {
            res->error = errno;
            rc = LX_STREAM_READ;
            goto done;
          }
          if (r == 0) break;
          got += (size_t)r;
        }
      } else {
        got = fread(buf + len, 1, want, in);
      }
      len += got;
      res->bytes += got;
      if (got < want) {
        if (!opts->input && ferror(in)) {
          res->error = errno;
          rc = LX_STREAM_READ;
          goto done;
        }
        eof = 1;
      }
    }
    /* Parts: the buffer cut at restart points near equal shares. */
    int np = 0;
    size_t from = 0;
    for (int k = 1; k < threads && len >= (size_t)threads * (1u << 16); k++) {
      size_t r = restart_point(sp, buf, from > len / threads * k ? from : len / threads * k, len);
      if (r <= from)
        break;
      parts[np].from = from;
      parts[np].to = r;
      parts[np].last = 0;
      np++;
      from = r;
    }
    parts[np].from = from;
    parts[np].to = len;
    parts[np].last = 1;
    np++;
    pthread_t tid[8];
    int started[8] = { 0 };
    for (int k = 0; k < np; k++) {
      part *pt = &parts[k];
      pt->sp = sp;
      pt->opts = opts;
      pt->text = buf;
      pt->len = len;
      pt->eof = eof;
      pt->base = base;
      pt->olen = 0;
      pt->count = 0;
      pt->nomem = 0;
      /* a part after a restart point starts from what a blank line leaves: nothing */
      memset(&pt->st, 0, sizeof pt->st);
      if (k == 0)
        pt->st = st;
      if (k > 0 && pthread_create(&tid[k], NULL, part_run, pt) == 0)
        started[k] = 1;
    }
    for (int k = 0; k < np; k++) {
      if (k == 0 || !started[k])
        part_run(&parts[k]);
      else
        pthread_join(tid[k], NULL);
    }
    for (int k = 0; k < np; k++) {
      part *pt = &parts[k];
      if (pt->nomem) {
        rc = LX_STREAM_NOMEM;
        goto done;
      }
      res->sentences += pt->count;
      if (pt->olen > 0 && fwrite(pt->out, 1, pt->olen, out) != pt->olen) {
        res->error = errno;
        rc = LX_STREAM_WRITE;
        goto done;
      }
    }
    part *last = &parts[np - 1];
    st = last->st;
    if (eof && last->settled >= len)
      break;
    size_t settled = last->settled;
    /* a round is threads x STREAM_CHUNK bytes: a few tens of milliseconds */
    if (opts->progress && lx_progress_step(opts->progress, settled)) {
      rc = LX_STREAM_CANCEL;
      goto done;
    }
    memmove(buf, buf + settled, len - settled);
    len -= settled;
    base += settled;
  }
done:
  for (int k = 0; k < 8; k++)
    free(parts[k].out);
  free(buf);
  return rc;
}

/* ====================================================================
** Learning abbreviations
** ==================================================================== */

typedef struct ltype {
  uint32_t hash;  /* 0: empty */
  uint32_t off, len; /* the folded type in the pool */
  uint32_t with_period, without, lower_after, upper_after;
} ltype;

struct lx_learner {
  ltype *slots;
  size_t nslots, count;
  char *pool;
  size_t pool_len, pool_cap;
  lx_learned *results;
  size_t nresults;
  size_t pending;  /* the type seen with a period just before, +1; 0 if none */
};

lx_learner *lx_learner_new(void) {
  lx_learner *ln = lx_calloc(1, sizeof *ln);
  if (ln == NULL)
    return NULL;
  ln->nslots = 1024;
  ln->slots = lx_calloc(ln->nslots, sizeof *ln->slots);
  if (ln->slots == NULL) {
    free(ln);
    return NULL;
  }
  return ln;
}

void lx_learner_free(lx_learner *ln) {
  if (ln == NULL)
    return;
  free(ln->slots);
  free(ln->pool);
  free(ln->results);
  free(ln);
}

static ltype *ltype_slot(lx_learner *ln, const uint8_t *key, size_t len, uint32_t h) {
  size_t mask = ln->nslots - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    ltype *t = &ln->slots[i];
    if (t->hash == 0 || (t->hash == h && t->len == len && memcmp(ln->pool + t->off, key, len) == 0))
      return t;
  }
}

static ltype *ltype_get(lx_learner *ln, const uint8_t *s, size_t len) {
  uint8_t key[WORD_MAX];
  size_t n = fold(s, len, key);
  if (n == 0)
    return NULL;
  if ((ln->count + 1) * 2 > ln->nslots) {
    size_t nn = ln->nslots * 2;
    ltype *slots = lx_calloc(nn, sizeof *slots), *old = ln->slots;
    if (slots == NULL)
      return (ltype *)-1;
    size_t oldn = ln->nslots;
    ln->slots = slots;
    ln->nslots = nn;
    for (size_t i = 0; i < oldn; i++)
      if (old[i].hash)
        *ltype_slot(ln, (const uint8_t *)ln->pool + old[i].off, old[i].len, old[i].hash) = old[i];
    free(old);
  }
  uint32_t h = hash_bytes(key, n);
  ltype *t = ltype_slot(ln, key, n, h);
  if (t->hash)
    return t;
  if (ln->pool_len + n > ln->pool_cap) {
    size_t cap = ln->pool_cap * 2 + n + 4096;
    char *pool = lx_realloc(ln->pool, cap);
    if (pool == NULL)
      return (ltype *)-1;
    ln->pool = pool;
    ln->pool_cap = cap;
  }
  memcpy(ln->pool + ln->pool_len, key, n);
  t->hash = h;
  t->off = (uint32_t)ln->pool_len;
  t->len = (uint32_t)n;
  ln->pool_len += n;
  ln->count++;
  return t;
}

/*
** One token s[a, b) (no spaces). Strips opening and closing marks; a token
** that ends in a single period counts "with period" and waits for the next
** token to say what follows it.
*/
static int learn_token(lx_learner *ln, const uint8_t *s, size_t a, size_t b) {
  size_t n;
  /* What follows the previous period-final token. */
  if (ln->pending) {
    ltype *prev = &ln->slots[ln->pending - 1];
    size_t i = a;
    while (i < b) {
      uint32_t cp = decode(s, i, b, &n);
      if (!is_leading_punct(cp)) break;
      i += n;
    }
    if (i < b) {
      int sb = sb_of(decode(s, i, b, &n));
      if (sb == SB_Lower || sb == SB_Numeric || sb == SB_SContinue) prev->lower_after++;
      else if (sb == SB_Upper) prev->upper_after++;
    }
    ln->pending = 0;
  }
  while (a < b) {
    uint32_t cp = decode(s, a, b, &n);
    if (!is_leading_punct(cp)) break;
    a += n;
  }
  while (b > a) {
    size_t j = char_before(s, b, a);
    uint32_t cp = decode(s, j, b, &n);
    if (!(is_closing(cp) || cp == ',' || cp == ';' || cp == ':' || cp == '!' || cp == '?'))
      break;
    b = j;
  }
  if (a >= b)
    return 0;
  int period = s[b - 1] == '.';
  if (period) {
    b--;
    if (b > a && s[b - 1] == '.')
      return 0; /* an ellipsis */
  }
  /* Letters, with inner periods allowed; no digits; a letter first. */
  if (!is_letter_sb(sb_of(decode(s, a, b, &n))))
    return 0;
  int letters = 0;
  for (size_t i = a; i < b; i += n) {
    int sb = sb_of(decode(s, i, b, &n));
    if (is_letter_sb(sb)) letters++;
    else if (s[i] != '.' && s[i] != '\'' && s[i] != '-') return 0;
  }
  if (letters == 0)
    return 0;
  ltype *t = ltype_get(ln, s + a, b - a);
  if (t == (ltype *)-1)
    return -1;
  if (t == NULL)
    return 0;
  if (period) {
    t->with_period++;
    ln->pending = (size_t)(t - ln->slots) + 1;
  } else {
    t->without++;
  }
  return 0;
}

size_t lx_learner_feed(lx_learner *ln, const char *text, size_t len, int eof) {
  const uint8_t *s = (const uint8_t *)text;
  size_t i = 0, end = len;
  if (!eof) { /* the last token may go on in the next chunk */
    while (end > 0 && !ascii_space(s[end - 1])) end--;
  }
  while (i < end) {
    while (i < end && ascii_space(s[i])) i++;
    size_t a = i;
    while (i < end && !ascii_space(s[i])) i++;
    if (i > a) {
      size_t b = i;
      if (ln->slots && learn_token(ln, s, a, b) != 0)
        return (size_t)-1;
    }
  }
  return end;
}

static int by_score(const void *x, const void *y) {
  const lx_learned *a = x, *b = y;
  if (a->score != b->score) return a->score < b->score ? 1 : -1;
  return a->with_period < b->with_period ? 1 : a->with_period > b->with_period ? -1 : 0;
}

/*
** The score (0..1) multiplies four pieces of evidence:
**   - how seldom the word is seen without its period (squared: the strongest);
**   - shortness: exp(-(letters - 1) / 6), since abbreviations are short;
**   - inner periods (U.S.A., e.g.): 1, none: 0.8;
**   - what follows: 0.4 when a capital always follows (titles do that too),
**     up to 1 when lowercase words, digits or commas do.
*/
size_t lx_learner_finish(lx_learner *ln, uint32_t min_count, double min_score) {
  free(ln->results);
  ln->results = NULL;
  ln->nresults = 0;
  size_t n = 0;
  for (size_t i = 0; i < ln->nslots; i++)
    if (ln->slots[i].hash && ln->slots[i].with_period >= min_count) n++;
  if (n == 0)
    return 0;
  ln->results = lx_malloc(n * sizeof *ln->results);
  if (ln->results == NULL)
    return (size_t)-1;
  for (size_t i = 0; i < ln->nslots; i++) {
    const ltype *t = &ln->slots[i];
    if (!t->hash || t->with_period < min_count)
      continue;
    const uint8_t *w = (const uint8_t *)ln->pool + t->off;
    int letters = 0, inner = 0;
    for (size_t k = 0, m; k < t->len; k += m) {
      uint32_t cp = decode(w, k, t->len, &m);
      if (cp == '.') inner++;
      else if (is_letter_sb(sb_of(cp))) letters++;
    }
    double ratio = (double)t->with_period / (t->with_period + t->without);
    double shortness = exp(-(letters - 1) / 6.0);
    double periods = inner > 0 ? 1.0 : 0.8;
    double low = (t->lower_after + 0.5) / (t->lower_after + t->upper_after + 1.0);
    double score = ratio * ratio * shortness * periods * (0.4 + 0.6 * low);
    if (score < min_score)
      continue;
    lx_learned *r = &ln->results[ln->nresults++];
    r->word = (const char *)w;
    r->len = t->len;
    r->with_period = t->with_period;
    r->without = t->without;
    r->lower_after = t->lower_after;
    r->upper_after = t->upper_after;
    r->score = score;
  }
  qsort(ln->results, ln->nresults, sizeof *ln->results, by_score);
  return ln->nresults;
}

const lx_learned *lx_learner_result(const lx_learner *ln, size_t i) {
  return i < ln->nresults ? &ln->results[i] : NULL;
}
