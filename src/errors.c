/*
** errors.c: the words for the cores' error codes (see errors.h).
*/
#include <string.h>

#include "errors.h"

const char *lx_strerror(int code) {
  switch (code) {
  case ENOMEM: return "out of memory";
  case ECANCELED: return "interrupted";
  case EBADMSG: return "damaged";
  default: return strerror(code);
  }
}
