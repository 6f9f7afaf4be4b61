/*
** dictseg.h: words in the scripts written without spaces between words
** (Chinese, Japanese, Thai, Lao, Khmer, Myanmar), cut by ICU's word break
** iterator, which finds them with its dictionaries.
**
** UAX #29 leaves these scripts to "a dictionary or other means": its rules
** make each ideograph and kana (and each Thai letter with its marks) a
** token of its own. The tokenizer (tokenize.c) hands a run of such text to
** this file and takes ICU's boundaries inside the run; the rest of the
** text keeps the UAX #29 rules. ICU is a heavy library (its data is 30 MB):
** it is loaded (dlopen) the first time a run needs it, so a process that
** never meets these scripts never loads it. Without ICU on the machine, a
** run stays cut as UAX #29 cuts it and lx_dict_missing says why.
** Pure C, no Lua.
*/
#ifndef LEXIS_DICTSEG_H
#define LEXIS_DICTSEG_H

#include <stddef.h>
#include <stdint.h>

/* The longest run cut at once: a longer one is cut in pieces this long
** (at a code point), so memory and the tokenizer's look-ahead stay bounded. */
#define LX_DICT_RUN_MAX ((size_t)1 << 16)

/* 1 if cp belongs to a script ICU cuts with a dictionary: Han, Hiragana,
** Katakana, Thai, Lao, Khmer, Myanmar (and the marks that go with them
** are taken by the caller, as UAX #29's rule WB4 takes them). */
static inline int lx_dict_script(uint32_t cp) {
  if (cp < 0x0E00) return 0;
  if (cp < 0x0F00) return 1;                              /* Thai, Lao */
  if (cp < 0x1000) return 0;
  if (cp < 0x10A0) return 1;                              /* Myanmar */
  if (cp >= 0x1780 && cp < 0x1800) return 1;              /* Khmer */
  if (cp >= 0x19E0 && cp < 0x1A00) return 1;              /* Khmer symbols */
  if (cp < 0x2E80) return 0;
  if (cp < 0x2FE0) return 1;                              /* CJK and Kangxi radicals */
  if (cp == 0x3005 || cp == 0x3007 || (cp >= 0x3021 && cp <= 0x3029) ||
      (cp >= 0x3031 && cp <= 0x3035) || (cp >= 0x3038 && cp <= 0x303B)) return 1;
  if (cp >= 0x3041 && cp < 0x3100 && cp != 0x30A0 && cp != 0x30FB) return 1;  /* kana */
  if (cp >= 0x31F0 && cp < 0x3200) return 1;              /* small katakana */
  if (cp >= 0x3400 && cp < 0x4DC0) return 1;              /* CJK extension A */
  if (cp >= 0x4E00 && cp < 0xA000) return 1;              /* CJK unified ideographs */
  if (cp >= 0xA9E0 && cp < 0xAA80) return cp < 0xAA00 || cp >= 0xAA60;   /* Myanmar ext. */
  if (cp >= 0xF900 && cp < 0xFB00) return 1;              /* compatibility ideographs */
  if (cp >= 0xFF66 && cp < 0xFFA0) return 1;              /* halfwidth katakana */
  if (cp >= 0x1B000 && cp < 0x1B170) return 1;            /* kana supplement, extended */
  if (cp >= 0x20000 && cp < 0x32000) return 1;            /* CJK extensions B.. */
  return 0;
}

typedef struct lx_dictseg lx_dictseg;

/* A segmenter for one thread. NULL when ICU cannot be loaded (lx_dict_missing
** says why) or memory runs out. */
lx_dictseg *lx_dictseg_new(void);
void lx_dictseg_free(lx_dictseg *d);

/*
** Cuts s[0..n) (valid UTF-8, n <= LX_DICT_RUN_MAX) into words: ends[0..*count)
** get the end of each word, increasing, the last one n. ends must have room
** for n entries. 0, or -1 if ICU fails (the caller keeps the UAX #29 cut).
*/
int lx_dictseg_cut(lx_dictseg *d, const char *s, size_t n, uint32_t *ends, size_t *count);

/* Why ICU could not be loaded ("libicuuc.so.72: cannot open shared object
** file"), or NULL if it is loaded or was never asked for. */
const char *lx_dict_missing(void);

#endif
