/*
** display.c: display width and cuts by grapheme cluster (display.h).
*/
#include <string.h>
#include <unigbrk.h>
#include <unistr.h>
#include <uniwidth.h>

#include "display.h"

size_t lx_cluster_width(const uint8_t *s, const uint8_t *e) {
  size_t w = 0;
  while (s < e) {
    ucs4_t u;
    int k = u8_mbtouc(&u, s, (size_t)(e - s));
    int cw = uc_width(u, "UTF-8");
    if (cw > 0) w += (size_t)cw;
    s += k > 0 ? k : 1;
  }
  return w;
}

const uint8_t *lx_cluster_end(const uint8_t *p, const uint8_t *e) {
  const uint8_t *q = u8_grapheme_next(p, e);
  return (q == NULL || q <= p) ? p + 1 : q;
}

size_t lx_display_width(const char *s, size_t n) {
  /* ASCII eight bytes at a time: each byte before the first that is not
  ** ASCII, but the one just before it (a combining mark may follow it), is
  ** one column */
  size_t i = 0;
  for (uint64_t v; i + 8 <= n; i += 8) {
    memcpy(&v, s + i, 8);
    if (v & 0x8080808080808080u) break;
  }
  while (i < n && (unsigned char)s[i] < 0x80) i++;
  if (i == n) return n;
  if (i > 0) i--;
  const uint8_t *p = (const uint8_t *)s + i, *e = (const uint8_t *)s + n;
  size_t w = i;
  while (p < e) {
    if (*p < 0x80 && (p + 1 == e || p[1] < 0x80)) { p++; w++; continue; }
    const uint8_t *q = lx_cluster_end(p, e);
    w += lx_cluster_width(p, q);
    p = q;
  }
  return w;
}

size_t lx_display_head(const char *s, size_t n, size_t cols, size_t *w) {
  const uint8_t *p = (const uint8_t *)s, *e = p + n, *q = p;
  size_t used = 0;
  while (q < e) {
    const uint8_t *r = lx_cluster_end(q, e);
    size_t cw = lx_cluster_width(q, r);
    if (used + cw > cols) break;
    used += cw;
    q = r;
  }
  if (w) *w = used;
  return (size_t)(q - p);
}

size_t lx_display_tail(const char *s, size_t n, size_t cols) {
  const uint8_t *p = (const uint8_t *)s, *e = p + n, *q = p;
  size_t rest = lx_display_width(s, n);
  while (q < e && rest > cols) {
    const uint8_t *r = lx_cluster_end(q, e);
    rest -= lx_cluster_width(q, r);
    q = r;
  }
  return (size_t)(q - p);
}

size_t lx_display_name_cut(const char *s, size_t n, size_t cols, int *ellipsis, size_t *w) {
  size_t at = lx_display_tail(s, n, cols);
  if (at > 0 && cols > 0) at = lx_display_tail(s, n, cols - 1);
  *ellipsis = at > 0;
  *w = lx_display_width(s + at, n - at) + (size_t)*ellipsis;
  return at;
}

size_t lx_shared_dirs(const char *a, size_t upto, const char *b, size_t blen) {
  size_t k = 0;
  while (k < upto && k < blen && a[k] == b[k]) k++;
  while (k > 0 && a[k - 1] != '/') k--;
  return k;
}
