/*
** keywords.h: keyness of every word of a target frequency table against a
** reference table (stats.h's measures), as positive keywords (commoner in
** the target than in the reference) and negative ones. Pure C: no Lua here.
*/
#ifndef LEXIS_KEYWORDS_H
#define LEXIS_KEYWORDS_H

#include <stddef.h>
#include <stdint.h>

#include "counts.h"
#include "stats.h"

enum lx_keyby { LX_KEY_G2, LX_KEY_CHI2, LX_KEY_LOG_RATIO, LX_KEY_PDIFF, LX_KEY_SIMPLE,
                LX_KEY_G2_WILLIAMS, LX_KEY_BIC, LX_KEY_FISHER, LX_KEY_NBY };
/* "g2", "chi2", "log_ratio", "pdiff", "simple", "g2_williams", "bic", "fisher", NULL */
extern const char *const lx_keyby_names[];

typedef struct lx_keyword {
  const char *word;        /* points into the table it came from */
  size_t len;
  uint64_t a, b;           /* count in target, in reference */
  int dir;                 /* +1 positive, -1 negative */
  lx_keyfig k;
  double fisher_rarer_log; /* sorting by fisher: ln P(count in target <= a), the
                           ** one-sided p of a negative keyword (0 otherwise) */
} lx_keyword;

typedef struct lx_keyopts {
  int by;                  /* enum lx_keyby */
  double smooth;           /* simple maths' N (> 0) */
  uint64_t min;            /* count in the corpus where the word is key: target for
                           ** positive, reference for negative */
  double max_p;            /* only p(G2) <= max_p (1: all) */
  size_t limit;            /* at most this many of each direction (0: all) */
  int positive, negative;  /* which to list */
} lx_keyopts;

/*
** The keywords: positive ones first, strongest first by opts->by (the
** largest value), then negative ones, strongest first (the smallest value);
** ties by count, then word bytes. n1 and n2 are the corpus sizes (normally
** lx_counts_total of each). Malloced (free it); NULL with *n = 0 if none
** or out of memory (*oom set then).
*/
lx_keyword *lx_keywords(const lx_counts *target, const lx_counts *ref, double n1, double n2,
                        const lx_keyopts *opts, size_t *n, int *oom);

#endif
