/*
** sentences_learn.c: learning a text's own abbreviations, the Punkt idea
** (lx_learner in sentences.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "sentences_int.h"

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
