/*
** fuzz.h: what the libFuzzer harnesses share: taking option bytes off the
** front of the input, and stopping loudly when an invariant breaks (abort()
** makes libFuzzer save the input as a crash).
*/
#ifndef LEXIS_FUZZ_H
#define LEXIS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The input, read from the front: option bytes first, then the text. */
typedef struct fz_input {
  const uint8_t *p;
  size_t n;
} fz_input;

/* One option byte; 0 when the input has run out. */
static inline unsigned fz_byte(fz_input *in) {
  if (in->n == 0) return 0;
  in->n--;
  return *in->p++;
}

/* Fails the run with a message: libFuzzer keeps the input. */
#define FZ_CHECK(cond, ...) do { \
    if (!(cond)) { \
      fprintf(stderr, "fuzz: %s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__); \
      fputc('\n', stderr); \
      abort(); \
    } \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
