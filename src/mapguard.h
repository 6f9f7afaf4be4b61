/*
** mapguard.h: which file a mapped address belongs to, for a SIGBUS handler.
**
** A file mapped read-only can shrink under its reader (log rotation, an
** index rebuilt in place, a truncation): touching a page past its new end
** raises SIGBUS. Only a host that owns the process's signals (the lexis
** binary, src/main.c) installs a handler; it asks lx_guard_find which file
** the faulting address was in, names it and exits 1. lexis.so in someone
** else's lua5.4 installs nothing, so their signal handling is theirs.
** Pure C: no Lua here.
*/
#ifndef LEXIS_MAPGUARD_H
#define LEXIS_MAPGUARD_H

#include <stddef.h>

/* Notes that [addr, addr + len) maps path. A handle for lx_guard_remove, or
** 0 if the table is full (the mapping is then simply not named). */
int lx_guard_add(const void *addr, size_t len, const char *path);
void lx_guard_remove(int handle);
/* The path of the mapping holding addr, or NULL. Async-signal-safe. */
const char *lx_guard_find(const void *addr);

#endif
