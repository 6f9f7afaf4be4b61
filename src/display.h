/*
** display.h: how wide text is on a terminal, and cutting it to a width.
** Widths are counted per grapheme cluster (libunistring): wide East Asian
** characters take two columns, combining marks none, and a cut never
** splits "e" + U+0301 or a flag. The KWIC layout, every text table (C
** writers and lexis.report) and the plots use these. Pure C: no Lua here.
*/
#ifndef LEXIS_DISPLAY_H
#define LEXIS_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

/* Display width of UTF-8 text s[0..n). */
size_t lx_display_width(const char *s, size_t n);
/* The width of one grapheme cluster s[0..e): its characters' widths. */
size_t lx_cluster_width(const uint8_t *s, const uint8_t *e);
/* The end of the grapheme cluster that starts at p (at least one byte on,
** so invalid UTF-8 still advances). */
const uint8_t *lx_cluster_end(const uint8_t *p, const uint8_t *e);
/* The longest head of s[0..n) that fits in cols columns: its bytes (its
** width in *w). */
size_t lx_display_head(const char *s, size_t n, size_t cols, size_t *w);
/* The offset of the longest tail of s[0..n) that fits in cols columns. */
size_t lx_display_tail(const char *s, size_t n, size_t cols);
/* How much of a[0..upto) is directories (up to a '/') that b[0..blen)
** shares: names in a column shown past what all of them share. */
size_t lx_shared_dirs(const char *a, size_t upto, const char *b, size_t blen);
#define LX_DOC_COLS 24   /* a text view's document column at its widest (the name's end) */
/* A document name in a text view's column of cols: the offset of the end
** shown (0: all of it) and *ellipsis 1 when it is cut (an "…" goes first,
** one column); *w gets the columns taken, the ellipsis included. */
size_t lx_display_name_cut(const char *s, size_t n, size_t cols, int *ellipsis, size_t *w);

#endif
