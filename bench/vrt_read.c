/*
** vrt_read.c: reads an annotated corpus with the reader of src/vrt.c and
** says how fast (bench/vrt.sh builds and runs it). Every event is pulled
** and every value's bytes summed, as an index builder would touch them.
**   vrt_read FILE [-P attr]... [-S decl]...
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vrt.h"

int main(int argc, char **argv) {
  const char *p[64], *s[64], *path = NULL;
  lx_vrt_opts o = { 0 };
  o.pattrs = p;
  o.sattrs = s;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-P") == 0 && i + 1 < argc && o.npattrs < 64) p[o.npattrs++] = argv[++i];
    else if (strcmp(argv[i], "-S") == 0 && i + 1 < argc && o.nsattrs < 64) s[o.nsattrs++] = argv[++i];
    else path = argv[i];
  }
  if (!path) {
    fprintf(stderr, "usage: vrt_read FILE [-P attr]... [-S decl]...\n");
    return 2;
  }
  struct timespec t0, t1, c0, c1;   /* wall and CPU time: a shared machine waits */
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  lx_vrt *r;
  char err[1024];
  if (lx_vrt_open(&r, path, &o, err, sizeof err) != 0) {
    fprintf(stderr, "vrt_read: %s\n", err);
    return 1;
  }
  unsigned long long tokens = 0, regions = 0, warnings = 0, sum = 0;
  lx_vrt_event ev;
  int rc;
  while ((rc = lx_vrt_next(r, &ev)) == 0 && ev.kind != LX_VRT_END) {
    if (ev.kind == LX_VRT_TOKEN) {
      tokens++;
      for (size_t i = 0; i < lx_vrt_npattrs(r); i++) sum += ev.value[i].n;
    } else if (ev.kind == LX_VRT_OPEN) {
      regions++;
      for (size_t i = 0; i < ev.nattrs; i++) sum += ev.val[i].n;
    } else if (ev.kind == LX_VRT_WARNING) {
      warnings++;
      fprintf(stderr, "vrt_read: %s\n", ev.message);
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  if (rc) {
    fprintf(stderr, "vrt_read: %s\n", lx_vrt_error(r));
    lx_vrt_close(r);
    return 1;
  }
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
  double mb = (double)lx_vrt_bytes(r) / 1e6;
  printf("%llu tokens, %llu regions, %llu warnings, %.1f MB: wall %.3f s (%.1f MB/s), CPU %.3f s (%.1f MB/s); value bytes %llu\n",
         tokens, regions, warnings, mb, secs, mb / secs, cpu, mb / cpu, sum);
  lx_vrt_close(r);
  return 0;
}
