/*
** stats.h: association, keyness and dispersion measures over contingency
** tables, the figures collocation and keyword tools report. Every formula,
** with its source, is in docs/stats.md; the code follows that text.
**
** Every function returns a finite number for any non-negative input, zero
** counts and empty corpora included: a measure that would divide by zero or
** take the log of zero follows the rule docs/stats.md gives for it. Pure C:
** no Lua here.
*/
#ifndef LEXIS_STATS_H
#define LEXIS_STATS_H

#include <stddef.h>
#include <stdint.h>

/*
** A 2x2 contingency table (Evert 2008's notation):
**
**                 word w     other words
**   sample        o11        o12            r1 = o11 + o12
**   rest          o21        o22            r2 = o21 + o22
**                 c1         c2             n
**
** For keyness the sample is the target corpus and the rest the reference;
** for collocation the sample is the tokens in the node's windows and the
** rest every other token of the corpus.
*/
typedef struct lx_ctab {
  double o11, o12, o21, o22;
} lx_ctab;

/* The table of a word counted a times in a target of n1 tokens and b times
** in a reference of n2 tokens (a <= n1, b <= n2; larger counts are cut). */
lx_ctab lx_ctab_keyness(double a, double n1, double b, double n2);
/* The table of a collocate seen o11 times in windows of r1 tokens in all
** (their union: each position once), with corpus frequency c1 in a corpus
** of n tokens. */
lx_ctab lx_ctab_colloc(double o11, double r1, double c1, double n);
/* 1 if those figures can come from one corpus: o11 <= r1, o11 <= c1,
** r1 + c1 - o11 <= n (else a cell of the table is negative). */
int lx_ctab_colloc_ok(double o11, double r1, double c1, double n);

/* E11 = r1 * c1 / n (0 for an empty table). */
double lx_expected(const lx_ctab *t);

/* Association measures (docs/stats.md, "Collocation"). */
double lx_mi(const lx_ctab *t);          /* log2(O11 / E11) */
double lx_mi3(const lx_ctab *t);         /* log2(O11^3 / E11) */
double lx_tscore(const lx_ctab *t);      /* (O11 - E11) / sqrt(O11) */
double lx_zscore(const lx_ctab *t);      /* (O11 - E11) / sqrt(E11) */
double lx_g2(const lx_ctab *t);          /* 2 sum O ln(O/E), four cells, >= 0 */
double lx_chi2_yates(const lx_ctab *t);  /* sum (|O-E| - 1/2)^2 / E, four cells */
double lx_log_ratio(const lx_ctab *t);   /* log2((o11/r1) / (o21/r2)), zeros as 1/2 */
/* Dice and logDice compare the pair count with the two words' own
** frequencies: 2 f(x,y) / (f(x) + f(y)). */
double lx_dice(double fxy, double fx, double fy);
double lx_logdice(double fxy, double fx, double fy);   /* 14 + log2(Dice) */
/* Gries 2013's Delta P, both directions. lx_delta_p: P(collocate | node's
** windows) - P(collocate | elsewhere) = o11/r1 - o21/r2 (the node cues the
** collocate); lx_delta_p_rev: P(windows | collocate) - P(windows | other
** words) = o11/c1 - o12/c2 (the collocate cues the node). */
double lx_delta_p(const lx_ctab *t);
double lx_delta_p_rev(const lx_ctab *t);
double lx_mi2(const lx_ctab *t);         /* log2(O11^2 / E11) */
double lx_min_sensitivity(const lx_ctab *t);   /* min(o11/r1, o11/c1) */
double lx_poisson_stirling(const lx_ctab *t);  /* O11 (ln O11 - ln E11 - 1) */
double lx_jaccard(const lx_ctab *t);     /* o11 / (o11 + o12 + o21) */
/* Fisher's exact test, one-sided (right tail: attraction): the natural log
** of P(X >= o11) for X hypergeometric with the table's margins, so that a
** p below the smallest double still sorts. lx_fisher gives the p itself. */
double lx_fisher_log(const lx_ctab *t);
double lx_fisher(const lx_ctab *t);

/* Keyness measures over lx_ctab_keyness tables (docs/stats.md, "Keyness"). */
double lx_pdiff(const lx_ctab *t);       /* %DIFF: 100 (NF1 - NF2) / NF2 */
/* Sketch Engine's simple maths: (fpm1 + smooth) / (fpm2 + smooth), smooth > 0. */
double lx_simple_maths(const lx_ctab *t, double smooth);
/* +1 if the word is commoner in the sample than expected, -1 if rarer, 0 if neither. */
int lx_direction(const lx_ctab *t);
/* Williams's correction of G2 as quanteda applies it (1 when a cell is 0):
** q = 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / (6N). */
double lx_williams_q(const lx_ctab *t);

/* The upper tail of the chi-square distribution with one degree of
** freedom: the p-value of G2 or chi-square for a 2x2 table. */
double lx_p_chi2_1df(double x);

/*
** Dispersion of a word over k parts (documents or equal slices): f[i] is
** its frequency in part i, size[i] the part's tokens. Juilland's D is in
** [0, 1] (1: perfectly even); Gries' DP in [0, 1) (0: perfectly even);
** DPnorm rescales DP to [0, 1]. range is the parts that hold the word.
** docs/stats.md gives every formula and its source.
*/
typedef struct lx_disp {
  double juilland_d;
  double dp;
  double dp_norm;
  size_t range;
  double juilland_u;       /* Juilland's usage coefficient U = D * f */
  double carroll_d2;       /* entropy of the rates' shares / log2 k, in [0, 1], 1 even */
  double rosengren_s;      /* AF / f, in [1/k, 1] for equal parts, 1 even */
  double rosengren_af;     /* Rosengren's adjusted frequency (sum sqrt(w_i f_i))^2 */
  double kld;              /* Kullback-Leibler divergence of f_i/f from w_i, in bits */
  double dkl;              /* 1 - e^-kld (Gries 2021), in [0, 1), 0 even */
  double da;               /* Burch, Egbert & Biber's D_A, in [0, 1], 1 even */
} lx_disp;
/* scratch: 3k doubles of the caller's (D_A sorts the rates there). */
void lx_dispersion(const double *f, const double *size, size_t k, double *scratch, lx_disp *out);

/* The same over a word's non-zero parts only, for many parts (documents):
** lx_parts_init sums up the part sizes once; part[j] and f[j] (j < m) name
** the parts that hold the word and its frequency there. Gives what
** lx_dispersion gives for the full vector. scratch: 2m doubles. */
typedef struct lx_parts {
  const double *size;      /* tokens of each part (borrowed) */
  size_t k;                /* parts */
  size_t kk;               /* parts with tokens */
  double ntot, smin;       /* all tokens; the smallest part's share */
} lx_parts;
void lx_parts_init(lx_parts *p, const double *size, size_t k);
void lx_dispersion_sparse(const lx_parts *p, const uint32_t *part, const double *f, size_t m,
                          double *scratch, lx_disp *out);

/*
** Distance-based figures (Savicky & Hlavacova 2002, as Sketch Engine gives
** them) from a word's positions in a text of n tokens, the text read as a
** circle: the gaps d_1..d_f between an occurrence and the next, the last
** one reaching round to the first (d_f = p_1 + n - p_f).
**   ARF  = (1/v) sum min(d_i, v), v = n/f    (average reduced frequency)
**   ALDF = n 10^-(sum (d_i/n) log10 d_i)     (average logarithmic distance frequency)
** Both are f for a word spread evenly and fall toward 1 as it clusters.
** lx_gaps takes the positions one by one, ascending (v known in advance:
** the word's frequency is counted first), so no list of them is kept.
*/
typedef struct lx_gaps {
  double first, last;      /* positions of the first and the latest occurrence */
  double reduced;          /* sum of min(d, v) over the gaps so far */
  double dlogd;            /* sum of d ln d over the gaps so far */
  uint64_t seen;           /* occurrences so far */
} lx_gaps;
void lx_gaps_add(lx_gaps *g, double pos, double v);
void lx_gaps_result(const lx_gaps *g, double n, double *arf, double *aldf);
/* The same for a list: pos ascending, last - first < n. */
void lx_arf_aldf(const double *pos, size_t f, double n, double *arf, double *aldf);

/* ------------------------------------------------------------- all at once */

/* Every measure of a collocate, for sorting and printing. */
typedef struct lx_assoc {
  double observed, expected, mi, mi3, t, z, g2, dice, logdice, log_ratio, chi2, p;
  double delta_p, delta_p_rev, mi2, ms, poisson_stirling, jaccard;
  double fisher;       /* one-sided p (attraction) */
  double fisher_log;   /* ln of it, for sorting where p underflows to 0 */
} lx_assoc;
/* The collocate seen o11 times in windows of r1 tokens; fx the node's
** frequency, fy the collocate's, n the corpus's tokens. */
void lx_assoc_all(double o11, double r1, double fx, double fy, double n, lx_assoc *out);
/* The same in two steps, for long lists of which few are shown: Fisher's
** test costs as much as all the others together (a sum over the table's
** tail), so a caller can leave it for the rows it keeps. */
void lx_assoc_all_but_fisher(double o11, double r1, double fx, double fy, double n,
                             lx_assoc *out);
void lx_assoc_fisher(double o11, double r1, double fy, double n, lx_assoc *out);
/* One measure as lx_assoc_all_but_fisher gives it, for a caller that picks
** the best rows by it before it wants them all. */
enum lx_assoc_field { LX_A_OBSERVED, LX_A_EXPECTED, LX_A_MI, LX_A_MI3, LX_A_T, LX_A_Z, LX_A_G2, LX_A_P,
                      LX_A_DICE, LX_A_LOGDICE, LX_A_LOG_RATIO, LX_A_CHI2, LX_A_DELTA_P,
                      LX_A_DELTA_P_REV, LX_A_MI2, LX_A_MS, LX_A_POISSON_STIRLING, LX_A_JACCARD };
double lx_assoc_one(int field, double o11, double r1, double fx, double fy, double n);

/* Every keyness figure of a word (a of n1 in the target, b of n2 in the reference). */
typedef struct lx_keyfig {
  double g2;           /* signed: negative when the word is rarer in the target */
  double p_g2;
  double chi2;         /* Yates' correction, signed the same way */
  double p_chi2;
  double log_ratio;
  double pdiff;
  double simple;       /* simple maths with the smoothing given */
  double fpm1, fpm2;   /* frequencies per million in target and reference */
  double g2_williams;  /* g2 / Williams's q, signed as g2 */
  double bic;          /* Wilson 2013: |G2| - ln N, signed as g2 */
  double fisher;       /* one-sided p: the word commoner in the target */
  double fisher_log;   /* ln of it */
} lx_keyfig;
void lx_keyness_all(double a, double n1, double b, double n2, double smooth, lx_keyfig *out);

#endif
