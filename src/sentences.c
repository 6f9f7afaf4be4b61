/*
** sentences.c: sentence boundaries in UTF-8 text. See sentences.h; the
** parts of the splitter are listed in sentences_int.h.
**
** Here: the splitter (a hash set of abbreviations and sentence starters, and
** its options), and the candidate scan that finds the bytes where the rules
** (sentences_rules.c) have something to decide.
*/
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "sentences_int.h"

/* ====================================================================
** The splitter: a hash set of words (abbreviations and starters)
** ==================================================================== */

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

void lx_cands_init(cands *c, int lines) {
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

size_t lx_cands_next(cands *c, const uint8_t *s, size_t pos, size_t end) {
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

/* ====================================================================
** Cut edges: a text that is a piece of a longer one (split(1) cut it)
** ==================================================================== */

/* A sentence starter of the splitter, capitalized, to stand for "a new
** sentence follows": "The" when it is one (English), else the first ASCII
** starter found, else "The" still. */
static size_t probe_starter(const lx_splitter *sp, char *out, size_t cap) {
  const word *pick = NULL;
  uint8_t the[3] = { 't', 'h', 'e' };
  const word *w = find_slot(sp, the, 3, hash_bytes(the, 3));
  if (w->hash && w->starter) pick = w;
  for (size_t i = 0; !pick && i < sp->nslots; i++) {
    const word *x = &sp->slots[i];
    if (!x->hash || !x->starter || (size_t)x->len + 1 > cap) continue;
    size_t k = 0;
    while (k < x->len && sp->pool[x->off + k] >= 'a' && sp->pool[x->off + k] <= 'z') k++;
    if (k == x->len) pick = x;
  }
  if (!pick) {
    memcpy(out, "The", 3);
    return 3;
  }
  memcpy(out, sp->pool + pick->off, pick->len);
  out[0] = (char)(out[0] - 32);
  return pick->len;
}

/* The first and last sentence of a[0, na) followed by b[0, nb) as one
** text (eof as given, state st0): *first and *last, {0, 0} when none.
** 0, or -1 when out of memory. */
static int outer_spans(const lx_splitter *sp, const lx_split_state *st0, const char *a, size_t na,
                       const char *b, size_t nb, int eof, lx_span *first, lx_span *last) {
  char *text = lx_malloc(na + nb + 1);
  if (text == NULL)
    return -1;
  memcpy(text, a, na);
  memcpy(text + na, b, nb);
  lx_split_state st = *st0;
  lx_span spans[LX_SPLIT_MIN_SPANS];
  size_t off = 0, len = na + nb, settled, seen = 0;
  *first = *last = (lx_span){ 0, 0 };
  while (off < len) {
    size_t k = lx_split(sp, &st, text + off, len - off, eof, spans, LX_SPLIT_MIN_SPANS, &settled);
    for (size_t i = 0; i < k; i++, seen++) {
      lx_span s = { off + spans[i].start, off + spans[i].stop };
      if (seen == 0)
        *first = s;
      *last = s;
    }
    if (k == 0 && settled == 0)
      break;
    off += settled;
  }
  free(text);
  return 0;
}

int lx_split_open_end(const lx_splitter *sp, const lx_split_state *st, const char *text, size_t len) {
  char probe[WORD_MAX + 2];
  size_t n = 0;
  if (len > 0 && !ascii_space((uint8_t)text[len - 1]))
    probe[n++] = ' ';
  n += probe_starter(sp, probe + n, sizeof probe - n);
  lx_span first, last;
  if (outer_spans(sp, st, text, len, probe, n, 1, &first, &last) != 0)
    return -1;
  return last.stop > last.start && last.start < len;
}

int lx_split_open_start(const lx_splitter *sp, const char *text, size_t len) {
  static const char probe[] = "and\n";
  size_t n = sizeof probe - 1;
  lx_split_state st;
  memset(&st, 0, sizeof st);
  lx_span first, last;
  if (outer_spans(sp, &st, probe, n, text, len, 1, &first, &last) != 0)
    return -1;
  return first.stop == first.start || first.stop > n - 1;
}
