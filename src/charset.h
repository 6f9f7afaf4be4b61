/*
** charset.h: which encoding a text's first bytes are in, for the input
** layer (input.h), when they are clearly not UTF-8.
**
** "Clearly not UTF-8": at least one invalid byte, and half or more of the
** non-ASCII bytes of the head (the first LX_SNIFF_BYTES) invalid. A UTF-8
** file with a few stray bytes (the bench corpora have some) is not: it is
** read as UTF-8 and its invalid bytes counted, as before.
**
** Such a head goes to uchardet (Debian libuchardet0, loaded through dlopen
** on first use, as ICU is: five prototypes declared in charset.c, no -dev
** package); its answer is used when iconv knows it and converts the whole
** head. Without uchardet (or when its answer does not fit) the guess is
** Latin-1, or Windows-1252 when the head has bytes 0x80-0x9F, as long as
** none of them is one Windows-1252 leaves undefined. Pure C: no Lua here.
*/
#ifndef LEXIS_CHARSET_H
#define LEXIS_CHARSET_H

#include <stddef.h>

/* What a head holds, byte by byte, judged as UTF-8. */
typedef struct lx_utf8_tally {
  size_t n;              /* bytes looked at */
  size_t nonascii;       /* bytes >= 0x80 */
  size_t bad;            /* of those, the bytes of no valid UTF-8 sequence */
  size_t c1;             /* bad bytes 0x80-0x9F (Windows-1252 letters, Latin-1 controls) */
  size_t undefined;      /* bad bytes Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) */
} lx_utf8_tally;

/* Tallies h[0..n) (a sequence cut by the end is not counted) and returns
** 1 when it is clearly not UTF-8 (the rule above), else 0. */
int lx_utf8_judge(const char *h, size_t n, lx_utf8_tally *t);

/*
** The encoding of a head that is clearly not UTF-8: its iconv name in
** enc (encmax bytes) and 1, with how saying how it was found ("detected by
** uchardet", "a guess: uchardet could not be loaded (...)"); or 0 when
** nothing fits, with how saying why.
*/
int lx_charset_detect(const char *h, size_t n, const lx_utf8_tally *t, char *enc, size_t encmax,
                      char *how, size_t howlen);

#endif
