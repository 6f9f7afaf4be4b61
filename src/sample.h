/*
** sample.h: a random k of n items, the same for the same seed everywhere,
** so that kwic --sample N --seed S picks the same hits from a scan, an
** index, a set of shards, or the CQL evaluator's hits of any of them.
** Pure C, no Lua.
*/
#ifndef LEXIS_SAMPLE_H
#define LEXIS_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

/* The numbers of k of the items 0 .. n - 1 (k < n), increasing, into a
** malloced array (*out); 0, or -1 out of memory. */
int lx_sample_pick(size_t n, size_t k, uint64_t seed, size_t **out);

#endif
