/*
** vrt_impl.h: the reader's insides, shared by src/vrt.c (lines, regions,
** VRT) and src/conllu.c (CoNLL-U). Not a contract: src/vrt.h is.
*/
#ifndef LEXIS_VRT_IMPL_H
#define LEXIS_VRT_IMPL_H

#include "vrt.h"

#define VRT_CHUNK  (64 * 1024)   /* bytes asked of the input layer per read */
#define VRT_QUEUE  16            /* events one line may give, with room to spare */
#define VRT_MSG    1024          /* bytes of one warning */

/* The kinds of repair and skip a warning reports (once, then counted). */
enum {
  W_UNDECLARED, W_ATTRS_NOT_KEPT, W_UNDECLARED_KEY, W_IMPLICIT_CLOSE,
  W_UNOPENED_CLOSE, W_TOO_DEEP, W_UNCLOSED, W_COLUMNS, W_ENTITY,
  W_EMPTY_NODE, W_CLOSE_ATTRS, W_EXTRA, W_NO_BLANK, W_NKINDS
};

/* A structural attribute: a region name and how its tags are read. */
typedef struct vrt_struct {
  char name[LX_VRT_MAX_NAME + 1];
  int max_depth;         /* -1 flat; N: nests N levels inside itself */
  int discovered;        /* found in the file: every attribute of its tags kept */
  int level;             /* recursive ones: opens minus closes, dropped ones too */
  size_t nkeys;          /* declared attributes ("text+id+year": id, year) */
  char keys[LX_VRT_MAX_KEYS][LX_VRT_MAX_NAME + 1];
} vrt_struct;

/* A region open now. */
typedef struct vrt_open_region {
  int structure;
  int depth;
  int empty_tag;         /* opened by <x/>: the next <x> closes it, unwarned */
} vrt_region;

struct lx_vrt {
  lx_input in;
  char name[512];        /* the path for messages ("stdin" for "-") */
  int format, columns, undeclared;
  int discover;          /* VRT with no -S declarations: tags declare regions */

  /* the line buffer: [pos, end) unread, scan where the '\n' search resumes */
  char *buf;
  size_t cap, pos, end, scan;
  int eof;
  char *cur;             /* the current line, without its end of line */
  size_t curlen;
  uint64_t line;         /* its number */
  uint64_t line_offset;  /* its first byte's offset in the file */
  uint64_t consumed;     /* bytes of the lines handed out */
  uint64_t bytes;        /* bytes read */

  uint64_t position;     /* tokens so far */
  size_t npattrs;
  char pattr[LX_VRT_MAX_COLUMNS][LX_VRT_MAX_NAME + 1];
  char pattr_list[256];  /* "word lemma pos" for messages */
  lx_vrt_span value[LX_VRT_MAX_COLUMNS];
  unsigned char amp[LX_VRT_MAX_COLUMNS];  /* value[k] holds a '&' */

  size_t nstructs;
  vrt_struct structs[LX_VRT_MAX_STRUCTS];
  size_t nopen;
  vrt_region open[LX_VRT_MAX_DEPTH];
  size_t ntag;           /* the attributes of the tag being read */
  lx_vrt_span tkey[LX_VRT_MAX_KEYS], tval[LX_VRT_MAX_KEYS];
  lx_vrt_span key[LX_VRT_MAX_KEYS], val[LX_VRT_MAX_KEYS];  /* an open event's */

  int in_comment;        /* inside a <!-- --> that spans lines */
  uint64_t comment_line;

  /* CoNLL-U (src/conllu.c) */
  int in_sentence;       /* a word line seen since the last blank line */
  uint64_t next_id;      /* the word id expected next */
  uint64_t mwt_end;      /* the last word of the multiword token being read */
  char *store;           /* the pending sentence's comment attributes */
  size_t store_len, store_cap;
  size_t npending;
  size_t pkey[LX_VRT_MAX_KEYS], pkeylen[LX_VRT_MAX_KEYS];
  size_t pval[LX_VRT_MAX_KEYS], pvallen[LX_VRT_MAX_KEYS];
  char *mwt;             /* the surface form of the multiword token */
  size_t mwt_len, mwt_cap;

  lx_vrt_event q[VRT_QUEUE];
  char qmsg[VRT_QUEUE][VRT_MSG];
  size_t qhead, qn;
  uint64_t warned[W_NKINDS];
  int summary;           /* the next warning kind whose count is said */
  int at_end, done;
  int failed;            /* the error, repeated by every later call */
  char err[1024];
};

/* Records an error "path:line: message"; returns code. */
int vrt_fail(lx_vrt *r, int code, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
/* A warning of a kind: an event the first time (with the line and the
** detail fmt gives), a count at the end. */
void vrt_warn(lx_vrt *r, int kind, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
int vrt_name_char(int c);
int vrt_add_structure(lx_vrt *r, const char *name, size_t n, int depth);
int vrt_find_structure(const lx_vrt *r, const char *name, size_t n);
/* Opens a region of structure si whose attributes are r->key/r->val[0..n). */
int vrt_open_region(lx_vrt *r, int si, int empty_tag, size_t nattrs);
void vrt_close_region(lx_vrt *r, int si);
int vrt_check_utf8(lx_vrt *r, const char *p, size_t n);
size_t vrt_decode_entities(lx_vrt *r, char *p, size_t n);
size_t vrt_split_columns(lx_vrt *r, char *p, size_t n);
/* Fits a token line of ncols columns to the want expected. */
int vrt_fit_columns(lx_vrt *r, size_t ncols, size_t want);
/* Emits the token whose values are r->value[0..npattrs). */
int vrt_token(lx_vrt *r);
int vrt_set_pattrs(lx_vrt *r, const char *const *names, const size_t *lens, size_t n);

/* src/conllu.c */
int vrt_conllu_declare(lx_vrt *r);
int vrt_conllu_line(lx_vrt *r);
int vrt_conllu_finish(lx_vrt *r);

#endif
