/*
** recode.h: the input layer's converter from another encoding to UTF-8
** (iconv from glibc), streaming: a few kilobytes of state whatever the
** file's size.
**
** Its bytes come from the head the input layer already holds, then from a
** decompressing reader (decompress.h) or a descriptor. A byte sequence that
** is not valid in the named encoding (the wrong --encoding, most often)
** ends the text with EILSEQ and lx_recode_why says where; the converter
** never guesses past it. Pure C: no Lua here.
*/
#ifndef LEXIS_RECODE_H
#define LEXIS_RECODE_H

#include <stddef.h>

struct lx_decomp;
typedef struct lx_recode lx_recode;

/* 1 if iconv converts from `name` to UTF-8, else 0. */
int lx_recode_known(const char *name);
/* 1 if iconv converts all of s[0..n) from `name` to UTF-8 (a character
** cut by the end aside), else 0: a detected encoding is tried on the head
** before a file is read in it. */
int lx_recode_fits(const char *name, const char *s, size_t n);

/*
** A converter from `from` (an iconv name) of head[0..nhead) (copied) and
** then of what dec gives (when not NULL) or fd gives (fd < 0: nothing
** more). NULL when out of memory or `from` is unknown (errno says which).
*/
lx_recode *lx_recode_new(const char *from, const char *head, size_t nhead, int fd, struct lx_decomp *dec);
/* Up to n bytes of UTF-8; 0 at the end; -1 with errno (EILSEQ: not that
** encoding; a read's or the decoder's errno otherwise). */
long lx_recode_read(lx_recode *r, char *buf, size_t n);
/* After -1: e.g. "not valid LATIN2 at byte 1234 (0x81)"; "" before. */
const char *lx_recode_why(const lx_recode *r);
void lx_recode_free(lx_recode *r);

#endif
