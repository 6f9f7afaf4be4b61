/*
** sentences_rules.c: where sentences end, decided at each candidate byte.
** See sentences.h; the parts of the splitter are listed in sentences_int.h.
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
#include <stdlib.h>
#include <string.h>

#include "sentences_int.h"

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

static int is_superscript_digit(uint32_t cp) {
  return cp == 0xB9 || cp == 0xB2 || cp == 0xB3 || cp == 0x2070 || (cp >= 0x2074 && cp <= 0x2079);
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

/* lx_split with a stop (sentences_int.h): the scan from candidate to candidate. */
size_t lx_split_until(const lx_splitter *sp, lx_split_state *st, const char *text, size_t len,
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
  lx_cands_init(&cand, sp->newlines == LX_NL_IGNORE ? 0 : sp->newlines == LX_NL_LINE ? 2 : 1);
  size_t pos = 0;
  for (;;) {
    if (sc.n + MIN_SPANS > sc.cap) { stopped = 1; break; }
    size_t hard = sc.start + sp->max_sentence;
    size_t stop = hard < sc.limit ? hard : sc.limit;
    if (stop_at < stop)
      stop = stop_at;
    size_t p = lx_cands_next(&cand, sc.s, pos, stop);
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
  return lx_split_until(sp, st, text, len, eof, (size_t)-1, spans, cap, settled);
}
