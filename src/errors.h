/*
** errors.h: how a pure C core says what went wrong, so every binding can
** turn it into the one Lua contract (src/bind/bind.h: misuse raises, an
** environmental failure returns nil, "path: reason", errno).
**
** A core function returns 0, or a positive errno value, and writes the
** message into a caller's buffer as "path: reason" (the path first, so the
** user learns which file). The values a core may return beyond what the
** system calls give it:
**   ENOMEM     out of memory (bindings raise Lua's memory error)
**   ECANCELED  stopped by its lx_progress: a failing hook or Ctrl-C
**   EBADMSG    a damaged file: an index that fails its checks
**   EINVAL     input the core cannot take (a range too short, a bad pattern)
** A core with an older convention of its own (sentences.c's LX_STREAM_*)
** maps to these at its binding.
*/
#ifndef LEXIS_ERRORS_H
#define LEXIS_ERRORS_H

#include <errno.h>

/* The words for code where strerror's are not what a lexis user needs
** ("interrupted", "out of memory", "damaged"); strerror(code) otherwise. */
const char *lx_strerror(int code);

#endif
