/*
** atomicfile.h: write an output file so that it appears whole or not at all.
**
** Output goes to a temporary file beside the target ("PATH.tmp-XXXXXX");
** commit flushes, syncs and renames it over the target; abort (or an error,
** a full disk, Ctrl-C, SIGTERM) removes it. What the user had at PATH is
** untouched until the new file is complete. A target that exists and is
** no regular file (/dev/full, /dev/stdout, a FIFO) is written directly.
** Pure C: no Lua here.
*/
#ifndef LEXIS_ATOMICFILE_H
#define LEXIS_ATOMICFILE_H

#include <stdio.h>

typedef struct lx_atomic lx_atomic;

/*
** Creates the temporary file for path. Returns NULL with errno set when it
** cannot (a missing directory: ENOENT; no permission: EACCES).
*/
lx_atomic *lx_atomic_open(const char *path);

/*
** Skips the fsync at commit, for outputs that can be rebuilt (an index): the
** rename still replaces the target whole, but after a power cut the new data
** may not be on disk yet. Saves a second per few hundred MB written.
*/
void lx_atomic_nosync(lx_atomic *a);

/* The stream to write to; valid until commit or abort. */
FILE *lx_atomic_stream(lx_atomic *a);

/* The final path, for messages. */
const char *lx_atomic_path(const lx_atomic *a);

/*
** Flushes, syncs, closes and renames the temporary file over the target;
** frees a. Returns 0, or an errno value (the temporary file is removed and
** the target left as it was).
*/
int lx_atomic_commit(lx_atomic *a);

/* Removes the temporary file and frees a. Safe on NULL. */
void lx_atomic_abort(lx_atomic *a);

#endif
