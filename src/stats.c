/*
** stats.c: association, keyness and dispersion measures. docs/stats.md
** gives each formula, its source and its rule for zeros; this file follows
** it line by line. No function returns NaN or an infinity.
*/
#include <math.h>
#include <stdlib.h>

#include "stats.h"

/* A count that stands in for zero where a logarithm or a ratio needs a
** positive number (Hardie 2014's rule for log ratio, used for all of them). */
#define ZERO_AS 0.5

/* x if finite, else 0: the last guard, so no NaN or inf reaches output. */
static double real(double x) {
  return isfinite(x) ? x + 0.0 : 0.0;   /* + 0.0 also turns -0 into 0 */
}

static double nonneg(double x) {
  return x > 0 ? x : 0.0;
}

/* ------------------------------------------------------------- tables */

lx_ctab lx_ctab_keyness(double a, double n1, double b, double n2) {
  a = nonneg(a), b = nonneg(b), n1 = nonneg(n1), n2 = nonneg(n2);
  if (a > n1) a = n1;
  if (b > n2) b = n2;
  return (lx_ctab){ a, n1 - a, b, n2 - b };
}

lx_ctab lx_ctab_colloc(double o11, double r1, double c1, double n) {
  o11 = nonneg(o11), r1 = nonneg(r1), c1 = nonneg(c1), n = nonneg(n);
  /* No repair: windows counted as their union (collocates.c) give
  ** o11 <= r1, o11 <= c1 and r1 + c1 - o11 <= n by construction; figures
  ** that break them are the caller's mistake (lx_ctab_colloc_ok). */
  return (lx_ctab){ o11, r1 - o11, c1 - o11, n - r1 - c1 + o11 };
}

int lx_ctab_colloc_ok(double o11, double r1, double c1, double n) {
  return o11 >= 0 && o11 <= r1 && o11 <= c1 && r1 <= n && c1 <= n && r1 + c1 - o11 <= n;
}

static double total(const lx_ctab *t) {
  return t->o11 + t->o12 + t->o21 + t->o22;
}

/* The four expected counts under independence: E_ij = R_i C_j / N. */
static void expected4(const lx_ctab *t, double e[4]) {
  double n = total(t);
  double r1 = t->o11 + t->o12, r2 = t->o21 + t->o22;
  double c1 = t->o11 + t->o21, c2 = t->o12 + t->o22;
  if (n <= 0) {
    e[0] = e[1] = e[2] = e[3] = 0;
    return;
  }
  e[0] = r1 * c1 / n, e[1] = r1 * c2 / n;
  e[2] = r2 * c1 / n, e[3] = r2 * c2 / n;
}

double lx_expected(const lx_ctab *t) {
  double e[4];
  expected4(t, e);
  return e[0];
}

int lx_direction(const lx_ctab *t) {
  double e = lx_expected(t);
  return t->o11 > e ? 1 : t->o11 < e ? -1 : 0;
}

/* ------------------------------------------------------------- association */

/*
** MI and MI3 take logarithms of O11 and E11: a zero O11 counts as 1/2
** (the word never seen with the node scores below every word seen once),
** and an empty table scores 0.
*/
double lx_mi(const lx_ctab *t) {
  double e = lx_expected(t);
  if (e <= 0) return 0;
  double o = t->o11 > 0 ? t->o11 : ZERO_AS;
  return real(log2(o / e));
}

/* log2(O11^k / E11), zero taken as 1/2 as MI takes it: MI2 and MI3. */
static double mi_power(const lx_ctab *t, double k) {
  double e = lx_expected(t);
  if (e <= 0) return 0;
  double o = t->o11 > 0 ? t->o11 : ZERO_AS;
  return real(k * log2(o) - log2(e));
}

double lx_mi3(const lx_ctab *t) { return mi_power(t, 3); }

/* t-score divides by sqrt(O11): with O11 = 0 it is -sqrt(E11) (the limit
** of the variant that divides by sqrt(max(O11, E11)), which it equals there). */
double lx_tscore(const lx_ctab *t) {
  double e = lx_expected(t);
  if (t->o11 <= 0) return real(-sqrt(e));
  return real((t->o11 - e) / sqrt(t->o11));
}

double lx_zscore(const lx_ctab *t) {
  double e = lx_expected(t);
  if (e <= 0) return 0;
  return real((t->o11 - e) / sqrt(e));
}

/* O ln(O/E), with 0 ln 0 = 0 (its limit). */
static double oln(double o, double e) {
  return o > 0 && e > 0 ? o * log(o / e) : 0.0;
}

double lx_g2(const lx_ctab *t) {
  double e[4];
  expected4(t, e);
  double g = 2 * (oln(t->o11, e[0]) + oln(t->o12, e[1]) + oln(t->o21, e[2]) + oln(t->o22, e[3]));
  return real(nonneg(g));   /* rounding can give -1e-15 for a perfect fit */
}

/* A cell with E = 0 has O = 0 too (its row or column is empty): it adds
** nothing. |O - E| below 1/2 adds nothing either (the correction cannot
** overshoot). */
double lx_chi2_yates(const lx_ctab *t) {
  double e[4], o[4] = { t->o11, t->o12, t->o21, t->o22 };
  expected4(t, e);
  double x = 0;
  for (int i = 0; i < 4; i++) {
    if (e[i] <= 0) continue;
    double d = nonneg(fabs(o[i] - e[i]) - 0.5);
    x += d * d / e[i];
  }
  return real(x);
}

double lx_log_ratio(const lx_ctab *t) {
  double r1 = t->o11 + t->o12, r2 = t->o21 + t->o22;
  if (r1 <= 0 || r2 <= 0) return 0;
  if (t->o11 <= 0 && t->o21 <= 0) return 0;
  double a = t->o11 > 0 ? t->o11 : ZERO_AS;
  double b = t->o21 > 0 ? t->o21 : ZERO_AS;
  return real(log2((a / r1) / (b / r2)));
}

double lx_dice(double fxy, double fx, double fy) {
  if (fx + fy <= 0) return 0;
  return real(2 * nonneg(fxy) / (fx + fy));
}

/* logDice of a pair never seen: fxy counts as 1/2, so it stays finite
** and below any pair seen once. */
double lx_logdice(double fxy, double fx, double fy) {
  if (fx + fy <= 0) return 0;
  double f = fxy > 0 ? fxy : ZERO_AS;
  return real(14 + log2(2 * f / (fx + fy)));
}

/* Delta P: a row (or column) with no tokens gives its probability as 0. */
static double share(double part, double whole) {
  return whole > 0 ? part / whole : 0.0;
}

double lx_delta_p(const lx_ctab *t) {
  return real(share(t->o11, t->o11 + t->o12) - share(t->o21, t->o21 + t->o22));
}

double lx_delta_p_rev(const lx_ctab *t) {
  return real(share(t->o11, t->o11 + t->o21) - share(t->o12, t->o12 + t->o22));
}

double lx_mi2(const lx_ctab *t) { return mi_power(t, 2); }

double lx_min_sensitivity(const lx_ctab *t) {
  double a = share(t->o11, t->o11 + t->o12), b = share(t->o11, t->o11 + t->o21);
  return real(a < b ? a : b);
}

/* O11 = 0 gives 0, the limit of x ln x. */
double lx_poisson_stirling(const lx_ctab *t) {
  double e = lx_expected(t);
  if (e <= 0 || t->o11 <= 0) return 0;
  return real(t->o11 * (log(t->o11) - log(e) - 1));
}

double lx_jaccard(const lx_ctab *t) {
  return real(share(t->o11, t->o11 + t->o12 + t->o21));
}

/* ln of the binomial coefficient (a choose b), 0 <= b <= a. */
static double lchoose(double a, double b) {
  return lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1);
}

/* Tail terms relative to the first fall below this share of the sum: the
** rest cannot change a double. */
#define FISHER_STOP 1e-17

/*
** With margins r1, c1 and total n, X = o11 is hypergeometric on
** [max(0, r1 + c1 - n), min(r1, c1)]. Each term is the one before times a
** ratio, so only the first takes logarithms, and the terms summed always
** fall away from the mode: the right tail from o11 when o11 is above the
** mode (then it is the smaller tail), else the left tail below o11, and
** p = 1 - that.
*/
double lx_fisher_log(const lx_ctab *t) {
  if (t->o11 < 0 || t->o12 < 0 || t->o21 < 0 || t->o22 < 0) return 0;
  double r1 = t->o11 + t->o12, c1 = t->o11 + t->o21, n = total(t);
  double lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0, hi = r1 < c1 ? r1 : c1;
  double k = t->o11, d = n - r1 - c1;   /* o22 = d + k */
  if (k <= lo) return 0;
  double mode = floor((r1 + 1) * (c1 + 1) / (n + 2));
  double lnorm = lchoose(n, r1);
  if (k > mode) {
    double sum = 1, term = 1;
    for (double j = k; j < hi; j++) {
      term *= (c1 - j) * (r1 - j) / ((j + 1) * (d + j + 1));
      sum += term;
      if (term < FISHER_STOP * sum) break;
    }
    double lp = lchoose(c1, k) + lchoose(n - c1, r1 - k) - lnorm + log(sum);
    return real(lp < 0 ? lp : 0);
  }
  double j = k - 1;
  double sum = 1, term = 1;
  for (; j > lo; j--) {
    term *= j * (d + j) / ((c1 - j + 1) * (r1 - j + 1));
    sum += term;
    if (term < FISHER_STOP * sum) break;
  }
  double left = exp(lchoose(c1, k - 1) + lchoose(n - c1, r1 - k + 1) - lnorm) * sum;
  if (!(left < 1)) left = 1 - 1e-16;   /* rounding: the term at o11 is left */
  return real(log1p(-left));
}

double lx_fisher(const lx_ctab *t) {
  return real(exp(lx_fisher_log(t)));
}

/* ------------------------------------------------------------- keyness */

static double per_million(double f, double n) {
  return n > 0 ? f * 1e6 / n : 0;
}

/* %DIFF of a word absent from the reference: its reference count is taken
** as 1/2 (as for log ratio); absent from both: 0. */
double lx_pdiff(const lx_ctab *t) {
  double n1 = t->o11 + t->o12, n2 = t->o21 + t->o22;
  if (n1 <= 0 || n2 <= 0) return 0;
  if (t->o11 <= 0 && t->o21 <= 0) return 0;
  double nf1 = per_million(t->o11, n1);
  double nf2 = per_million(t->o21 > 0 ? t->o21 : ZERO_AS, n2);
  return real(100 * (nf1 - nf2) / nf2);
}

/* quanteda's rule: no correction (q = 1) when a cell is 0. */
double lx_williams_q(const lx_ctab *t) {
  if (t->o11 <= 0 || t->o12 <= 0 || t->o21 <= 0 || t->o22 <= 0) return 1;
  double n = total(t);
  double rows = n / (t->o11 + t->o12) + n / (t->o21 + t->o22) - 1;
  double cols = n / (t->o11 + t->o21) + n / (t->o12 + t->o22) - 1;
  return real(1 + rows * cols / (6 * n));
}

double lx_simple_maths(const lx_ctab *t, double smooth) {
  if (!(smooth > 0)) smooth = 1;
  double n1 = t->o11 + t->o12, n2 = t->o21 + t->o22;
  return real((per_million(t->o11, n1) + smooth) / (per_million(t->o21, n2) + smooth));
}

/* ------------------------------------------------------------- p-values */

/* For one degree of freedom, chi2 = Z^2 with Z standard normal, so
** P(X > x) = P(|Z| > sqrt x) = erfc(sqrt(x / 2)). */
double lx_p_chi2_1df(double x) {
  if (!(x > 0)) return 1;
  return real(erfc(sqrt(x / 2)));
}

/* ------------------------------------------------------------- dispersion */

void lx_parts_init(lx_parts *p, const double *size, size_t k) {
  p->size = size, p->k = k, p->kk = 0, p->ntot = 0, p->smin = 1;
  for (size_t i = 0; i < k; i++) {
    p->ntot += nonneg(size[i]);
    if (size[i] > 0) p->kk++;
  }
  for (size_t i = 0; i < k && p->ntot > 0; i++) {
    double s = nonneg(size[i]) / p->ntot;
    if (s < p->smin) p->smin = s;
  }
}

static double clamp01(double x) {
  return real(x < 0 ? 0 : x > 1 ? 1 : x);
}

static int cmp_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/*
** Every measure from the parts that hold the word: fj[j] its frequency in
** the j-th of them, sj[j] that part's size (j < m). The parts without it
** add nothing to the sums of D, D2, S, AF and KLD (a zero rate, a zero
** share), their whole share s_i to DP's (|0 - s_i| = s_i), and zeros below
** every rate to D_A's sorted list, so they are never visited. Parts with no
** tokens are left out of D, D2, D_A and KLD (a rate needs a size).
** Conventions: a word that never occurs has D = D2 = S = AF = U = D_A = 0,
** DP = DPnorm = dkl = 1, kld = 0 (nothing to spread); one part gives D =
** D2 = D_A = 1 and DP = 0. rates: m doubles of scratch.
*/
static void measure(const lx_parts *p, const double *fj, const double *sj, size_t m,
                    double *rates, lx_disp *out) {
  double ftot = 0;
  out->range = 0;
  for (size_t j = 0; j < m; j++) {
    ftot += nonneg(fj[j]);
    if (fj[j] > 0) out->range++;
  }
  if (ftot <= 0 || p->ntot <= 0) {
    *out = (lx_disp){ .dp = 1, .dp_norm = 1, .dkl = 1, .range = out->range };
    return;
  }
  double sum = 0, sum2 = 0, dp = 0, shares = 0, root = 0, kld = 0;
  size_t nr = 0;
  for (size_t j = 0; j < m; j++) {
    double f = nonneg(fj[j]), size = nonneg(sj[j]);
    if (f <= 0) continue;
    double w = size / p->ntot, t = f / ftot;
    dp += fabs(t - w);
    shares += w;
    root += sqrt(w * f);
    if (size <= 0) continue;
    double v = f / size;
    sum += v, sum2 += v * v;
    rates[nr++] = v;
    kld += t * log2(t / w);
  }
  out->dp = real((dp + nonneg(1 - shares)) / 2);
  out->dp_norm = p->smin < 1 ? clamp01(out->dp / (1 - p->smin)) : 0;
  out->rosengren_af = real(root * root);
  out->rosengren_s = real(out->rosengren_af / ftot);
  out->kld = real(nonneg(kld));           /* rounding can give -1e-17 for a perfect fit */
  out->dkl = clamp01(1 - exp(-out->kld));
  /* Carroll's D2: the entropy of r_i = v_i / sum v, over log2 of the parts. */
  double h = 0;
  for (size_t j = 0; j < nr && sum > 0; j++) {
    double r = rates[j] / sum;
    if (r > 0) h -= r * log2(r);
  }
  /* D_A: the mean absolute difference of the rates over all pairs of the kk
  ** parts, by twice their mean. Sorted ascending, the i-th of kk values
  ** (from 1) is subtracted by the i - 1 below it and subtracts itself from
  ** the kk - i above it: sum over pairs = sum (2i - kk - 1) x_(i); the
  ** kk - nr zeros come first and add nothing. O(m log m), not O(kk^2). */
  double kk = (double)p->kk, pairs = 0;
  qsort(rates, nr, sizeof *rates, cmp_doubles);
  for (size_t j = 0; j < nr; j++) pairs += (2 * (kk - (double)nr + (double)j + 1) - kk - 1) * rates[j];
  double d = 1, d2 = 1, da = 1;
  if (p->kk >= 2) {
    double mean = sum / kk;
    double var = nonneg(sum2 / kk - mean * mean);
    d = mean > 0 ? 1 - (sqrt(var) / mean) / sqrt(kk - 1) : 0;
    d2 = h / log2(kk);
    da = mean > 0 ? 1 - (pairs / (kk * (kk - 1) / 2)) / (2 * mean) : 0;
  }
  if (p->k < 2) out->dp = 0, out->dp_norm = 0;
  out->juilland_d = clamp01(d);
  out->juilland_u = real(out->juilland_d * ftot);
  out->carroll_d2 = clamp01(d2);
  out->da = clamp01(da);
}

/* The full vector: its non-zero parts are gathered into scratch. */
void lx_dispersion(const double *f, const double *size, size_t k, double *scratch, lx_disp *out) {
  lx_parts p;
  lx_parts_init(&p, size, k);
  double *fj = scratch, *sj = scratch + k, *rates = scratch + 2 * k;
  size_t m = 0;
  for (size_t i = 0; i < k; i++) {
    if (!(f[i] > 0)) continue;
    fj[m] = f[i], sj[m] = size[i], m++;
  }
  measure(&p, fj, sj, m, rates, out);
}

void lx_dispersion_sparse(const lx_parts *p, const uint32_t *part, const double *f, size_t m,
                          double *scratch, lx_disp *out) {
  double *sj = scratch, *rates = scratch + m;
  for (size_t j = 0; j < m; j++) sj[j] = p->size[part[j]];
  measure(p, f, sj, m, rates, out);
}

/* ------------------------------------------------------------- distances */

void lx_gaps_add(lx_gaps *g, double pos, double v) {
  if (g->seen++ == 0) {
    g->first = g->last = pos;
    return;
  }
  double d = pos - g->last;
  g->reduced += d < v ? d : v;
  g->dlogd += d > 0 ? d * log(d) : 0;
  g->last = pos;
}

/* The gap round the end closes the circle. No occurrence: 0 and 0. */
void lx_gaps_result(const lx_gaps *g, double n, double *arf, double *aldf) {
  *arf = *aldf = 0;
  if (g->seen == 0 || n <= 0) return;
  double f = (double)g->seen, v = n / f;
  double d = g->first + n - g->last;
  double reduced = g->reduced + (d < v ? d : v);
  double dlogd = g->dlogd + (d > 0 ? d * log(d) : 0);
  *arf = real(reduced / v);
  *aldf = real(n * exp(-dlogd / n));
}

void lx_arf_aldf(const double *pos, size_t f, double n, double *arf, double *aldf) {
  lx_gaps g = { 0 };
  double v = f ? n / (double)f : 0;
  for (size_t i = 0; i < f; i++) lx_gaps_add(&g, pos[i], v);
  lx_gaps_result(&g, n, arf, aldf);
}

/* ------------------------------------------------------------- all at once */

void lx_assoc_fisher(double o11, double r1, double fy, double n, lx_assoc *out) {
  lx_ctab t = lx_ctab_colloc(o11, r1, fy, n);
  out->fisher_log = lx_fisher_log(&t);
  out->fisher = real(exp(out->fisher_log));
}

void lx_assoc_all(double o11, double r1, double fx, double fy, double n, lx_assoc *out) {
  lx_assoc_all_but_fisher(o11, r1, fx, fy, n, out);
  lx_assoc_fisher(o11, r1, fy, n, out);
}

/*
** A table with a negative cell (o11 > r1: a collocate seen in the windows
** more often than the node occurs, when the sample row is the node's
** occurrences, Sketch Engine's convention) has no probabilities: the
** measures that need its four cells (G2 and its p, chi2, log ratio, Delta
** P, MS, Jaccard; Fisher's p is 1) are 0 for it. Those of O11 and E11
** alone (MI, MI2, MI3, t, z, Poisson-Stirling) and of the frequencies
** (Dice, logDice) stay.
*/
/* Measure f of a table (one home for each measure's sign and for the
** measures a table without probabilities lacks). */
static double assoc_field(int f, const lx_ctab *t, int dir, int cells, double o11, double fx, double fy) {
  switch (f) {
  case LX_A_OBSERVED: return t->o11;
  case LX_A_EXPECTED: return real(lx_expected(t));
  case LX_A_MI: return lx_mi(t);
  case LX_A_MI3: return lx_mi3(t);
  case LX_A_T: return lx_tscore(t);
  case LX_A_Z: return lx_zscore(t);
  case LX_A_G2: return !cells ? 0 : dir < 0 ? -lx_g2(t) : lx_g2(t);
  case LX_A_P: return !cells ? 1 : lx_p_chi2_1df(lx_g2(t));
  case LX_A_DICE: return lx_dice(o11, fx, fy);
  case LX_A_LOGDICE: return lx_logdice(o11, fx, fy);
  case LX_A_LOG_RATIO: return !cells ? 0 : lx_log_ratio(t);
  case LX_A_CHI2: return !cells ? 0 : dir < 0 ? -lx_chi2_yates(t) : lx_chi2_yates(t);
  case LX_A_DELTA_P: return !cells ? 0 : lx_delta_p(t);
  case LX_A_DELTA_P_REV: return !cells ? 0 : lx_delta_p_rev(t);
  case LX_A_MI2: return lx_mi2(t);
  case LX_A_MS: return !cells ? 0 : lx_min_sensitivity(t);
  case LX_A_POISSON_STIRLING: return lx_poisson_stirling(t);
  case LX_A_JACCARD: return !cells ? 0 : lx_jaccard(t);
  default: return 0;
  }
}

double lx_assoc_one(int f, double o11, double r1, double fx, double fy, double n) {
  lx_ctab t = lx_ctab_colloc(o11, r1, fy, n);
  return assoc_field(f, &t, lx_direction(&t), t.o12 >= 0 && t.o21 >= 0 && t.o22 >= 0, o11, fx, fy);
}

void lx_assoc_all_but_fisher(double o11, double r1, double fx, double fy, double n,
                             lx_assoc *out) {
  lx_ctab t = lx_ctab_colloc(o11, r1, fy, n);
  int dir = lx_direction(&t);
  int cells = t.o12 >= 0 && t.o21 >= 0 && t.o22 >= 0;
#define FIELD(f) assoc_field(f, &t, dir, cells, o11, fx, fy)
  out->observed = FIELD(LX_A_OBSERVED);
  out->expected = FIELD(LX_A_EXPECTED);
  out->mi = FIELD(LX_A_MI);
  out->mi3 = FIELD(LX_A_MI3);
  out->t = FIELD(LX_A_T);
  out->z = FIELD(LX_A_Z);
  out->g2 = FIELD(LX_A_G2);
  out->p = FIELD(LX_A_P);
  out->dice = FIELD(LX_A_DICE);
  out->logdice = FIELD(LX_A_LOGDICE);
  out->log_ratio = FIELD(LX_A_LOG_RATIO);
  out->chi2 = FIELD(LX_A_CHI2);
  out->delta_p = FIELD(LX_A_DELTA_P);
  out->delta_p_rev = FIELD(LX_A_DELTA_P_REV);
  out->mi2 = FIELD(LX_A_MI2);
  out->ms = FIELD(LX_A_MS);
  out->poisson_stirling = FIELD(LX_A_POISSON_STIRLING);
  out->jaccard = FIELD(LX_A_JACCARD);
#undef FIELD
  out->fisher = 1, out->fisher_log = 0;   /* lx_assoc_fisher's */
}

void lx_keyness_all(double a, double n1, double b, double n2, double smooth, lx_keyfig *out) {
  lx_ctab t = lx_ctab_keyness(a, n1, b, n2);
  int dir = lx_direction(&t);
  double g = lx_g2(&t), x = lx_chi2_yates(&t);
  out->g2 = dir < 0 ? -g : g;
  out->p_g2 = lx_p_chi2_1df(g);
  out->chi2 = dir < 0 ? -x : x;
  out->p_chi2 = lx_p_chi2_1df(x);
  out->log_ratio = lx_log_ratio(&t);
  out->pdiff = lx_pdiff(&t);
  out->simple = lx_simple_maths(&t, smooth);
  out->fpm1 = real(per_million(t.o11, t.o11 + t.o12));
  out->fpm2 = real(per_million(t.o21, t.o21 + t.o22));
  double q = lx_williams_q(&t), n = total(&t);
  out->g2_williams = real(out->g2 / q);
  out->bic = real((dir < 0 ? -1 : 1) * (g - (n > 0 ? log(n) : 0)));
  out->fisher_log = lx_fisher_log(&t);
  out->fisher = real(exp(out->fisher_log));
}
