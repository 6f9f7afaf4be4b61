/*
** walk.c: fuzzes the directory walk of the input layer (lx_input_expand in
** src/input.c) on trees the input builds: directories, files, hidden files
** and symbolic links to any directory of the tree (ancestors, itself,
** siblings), relative or absolute, and broken ones.
**
** Input: op bytes, two at a time (what, where). Checks: the walk ends; every
** document it gives is a regular file, named once, with an inode of its own;
** the documents are exactly the visible files made (each once, however many
** links lead to it); no hidden file is given.
*/
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "input.h"

#define MAXNODES 24

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st; (void)flag; (void)ftw;
  return remove(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input fz = { data, size };
  char root[64];
  snprintf(root, sizeof root, "/tmp/lexis-fuzz-walk-%d", (int)getpid());
  nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  if (mkdir(root, 0700) != 0) return 0;
  char dirs[MAXNODES][512];           /* the directories made, dirs[0] the root */
  int ndirs = 1;
  snprintf(dirs[0], sizeof dirs[0], "%s", root);
  ino_t files[64];                    /* the visible files made */
  int nfiles = 0;
  for (int k = 0; fz.n >= 2 && k < 48; k++) {
    unsigned what = fz_byte(&fz), where = fz_byte(&fz);
    const char *at = dirs[where % ndirs];
    char path[1024];
    snprintf(path, sizeof path, "%s/%c%d", at, (what & 0x80) ? '.' : 'n', k);
    switch (what % 5) {
    case 0:                           /* a directory (a hidden one is never read) */
      if (ndirs < MAXNODES && !(what & 0x80) && mkdir(path, 0700) == 0)
        snprintf(dirs[ndirs++], sizeof dirs[0], "%s", path);
      break;
    case 1: case 2: {                 /* a file */
      FILE *f = fopen(path, "w");
      if (!f) break;
      fputs("text\n", f);
      fclose(f);
      struct stat st;
      if (!(what & 0x80) && nfiles < 64 && stat(path, &st) == 0) files[nfiles++] = st.st_ino;
      break;
    }
    case 3: {                         /* a link to a directory of the tree, absolute or relative */
      const char *to = dirs[(what >> 3) % ndirs];
      if (what & 0x40) {
        int ok = symlink(to, path);
        (void)ok;
      } else {
        char rel[1024] = "";          /* up to the root, then down */
        for (const char *p = at + strlen(root); *p; p++)
          if (*p == '/') strcat(rel, "../");
        strcat(rel, ".");
        strcat(rel, to + strlen(root));
        int ok = symlink(rel, path);
        (void)ok;
      }
      break;
    }
    case 4: {                         /* a broken link */
      int ok = symlink("no-such-target", path);
      (void)ok;
      break;
    }
    }
  }
  const char *names[1] = { root };
  lx_names out = { 0 };
  FZ_CHECK(lx_input_expand(names, 1, &out) == 0, "out of memory");
  FZ_CHECK(out.n == (size_t)nfiles, "%zu documents for %d files", out.n, nfiles);
  for (size_t i = 0; i < out.n; i++) {
    struct stat st;
    FZ_CHECK(stat(out.path[i], &st) == 0 && S_ISREG(st.st_mode), "%s: not a regular file", out.path[i]);
    FZ_CHECK(strstr(out.path[i] + strlen(root), "/.") == NULL, "%s: hidden", out.path[i]);
    int made = 0;
    for (int j = 0; j < nfiles; j++) made += files[j] == st.st_ino;
    FZ_CHECK(made == 1, "%s: not a file made", out.path[i]);
    for (size_t j = 0; j < i; j++) {
      struct stat sj;
      FZ_CHECK(stat(out.path[j], &sj) == 0 && sj.st_ino != st.st_ino, "%s: given twice", out.path[i]);
    }
  }
  lx_names_free(&out);
  nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  return 0;
}
