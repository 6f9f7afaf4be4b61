/*
** stem.h: Snowball stemming (libstemmer): "connection", "connected" and
** "connecting" all become "connect", so a word list counts a word's forms
** as one.
**
** libstemmer (Debian libstemmer0d) is loaded with dlopen the first time a
** stemmer is asked for, so a process that never stems never loads it and
** the binary needs no -dev package to build. The algorithms expect lower-
** case UTF-8: the tokenizer lower-cases a word before it stems it
** (tokenize.h, lx_tokopts.stem). Pure C, no Lua.
*/
#ifndef LEXIS_STEM_H
#define LEXIS_STEM_H

#include <stddef.h>

/* The longest language name kept ("portuguese" and its ISO codes fit). */
#define LX_STEM_LANG_MAX 32

typedef struct lx_stemmer lx_stemmer;

/*
** A stemmer for one language: libstemmer's name ("english") or code ("en",
** "eng"). One per thread (libstemmer's stemmers keep state). NULL with the
** reason in err: the library is missing (naming the Debian package), the
** language is unknown (listing the algorithms libstemmer has), or memory
** ran out; errno says which: ELIBACC, EINVAL, ENOMEM.
*/
lx_stemmer *lx_stem_new(const char *lang, char *err, size_t errlen);
void lx_stem_free(lx_stemmer *st);

/* The language the stemmer was made for, as it was asked for. */
const char *lx_stem_lang(const lx_stemmer *st);

/*
** The stem of s[0..len) (lower-case UTF-8). Returns a buffer owned by st,
** valid until its next call, with the length in *outlen; NULL if memory
** ran out. A word too long for libstemmer's int length is returned as it is.
*/
const char *lx_stem(lx_stemmer *st, const char *s, size_t len, size_t *outlen);

#endif
