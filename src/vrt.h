/*
** vrt.h: readers of annotated corpora, the input side of the index builder.
**
** Two formats (docs/formats.md says what each accepts, repairs and refuses):
**   VRT      the Corpus Workbench's vertical text: one token a line, its
**            positional attributes in tab-separated columns (word first),
**            XML-like tags on lines of their own for structural regions
**            (<text id="a">, <s>, </s>), declared as cwb-encode's -P and -S
**            options declare them, or discovered from the file.
**   CoNLL-U  Universal Dependencies' ten columns as positional attributes,
**            sentences as <s> regions, "# newdoc" as <text>, "# newpar" as
**            <p>, multiword-token ranges and empty nodes handled (see below).
**
** The reader streams: it reads through the input layer (lx_input, so pipes,
** FIFOs and the sniff behave as for text) one line at a time and hands out
** events; its memory is bounded by the caps below whatever the file's size.
** The byte spans of an event point into the reader and stay valid until the
** next call of lx_vrt_next. Pure C, no Lua.
*/
#ifndef LEXIS_VRT_H
#define LEXIS_VRT_H

#include <stddef.h>
#include <stdint.h>

#include "input.h"

/* The caps: input beyond them is an error naming the line, never a hang or
** unbounded memory. */
#define LX_VRT_MAX_LINE    (1u << 20)  /* bytes in one line */
#define LX_VRT_MAX_COLUMNS 64          /* positional attributes */
#define LX_VRT_MAX_STRUCTS 64          /* structural attributes (region names) */
#define LX_VRT_MAX_KEYS    64          /* attributes of one tag or one sentence */
#define LX_VRT_MAX_DEPTH   64          /* regions open at once, all names together */
#define LX_VRT_MAX_NAME    64          /* bytes in an attribute or region name */

enum lx_vrt_format {
  LX_VRT_AUTO = 0,       /* CoNLL-U when the path ends in .conllu, else VRT */
  LX_VRT_VRT,
  LX_VRT_CONLLU,
};

/* What to do with a token line whose column count differs from the
** positional attributes'. */
enum lx_vrt_columns {
  LX_VRT_COLUMNS_ERROR = 0,  /* stop with file and line */
  LX_VRT_COLUMNS_PAD,        /* missing columns empty, extra ones dropped; warned */
};

/* What to do with a tag whose name no -S declaration names (VRT). */
enum lx_vrt_undeclared {
  LX_VRT_TAG_TOKEN = 0,      /* a token line, as cwb-encode does by default; warned */
  LX_VRT_TAG_SKIP,           /* dropped, as cwb-encode -9 does; warned */
};

typedef struct lx_vrt_opts {
  int format;                /* enum lx_vrt_format */
  /* VRT positional attributes after word, as cwb-encode's -P ("lemma", "pos").
  ** None: taken from a "<!-- #vrt positional-attributes: word lemma pos -->"
  ** comment before the first token, else word, col2, col3 ... from the
  ** first token line's columns. Ignored for CoNLL-U. */
  const char *const *pattrs;
  size_t npattrs;
  /* VRT structural declarations, as cwb-encode's -S: "s", "text:0+id+year",
  ** "p:2". None: every well-formed tag is a region, flat, all its attributes
  ** kept (discovery). Ignored for CoNLL-U. */
  const char *const *sattrs;
  size_t nsattrs;
  int columns;               /* enum lx_vrt_columns */
  int undeclared;            /* enum lx_vrt_undeclared */
} lx_vrt_opts;

enum lx_vrt_kind {
  LX_VRT_END = 0,            /* the end of the document: every region closed */
  LX_VRT_TOKEN,
  LX_VRT_OPEN,
  LX_VRT_CLOSE,
  LX_VRT_WARNING,            /* a repair or a skip, said once per kind with its line */
};

/* A value: bytes in the reader's buffers, valid until the next event. */
typedef struct lx_vrt_span {
  const char *p;
  size_t n;
} lx_vrt_span;

typedef struct lx_vrt_event {
  int kind;                  /* enum lx_vrt_kind */
  uint64_t line;             /* the input line it comes from (1 = first) */
  uint64_t position;         /* tokens before it: a token's own position, where a
                                region opens, one past a region's last token */
  const lx_vrt_span *value;  /* TOKEN: one per positional attribute (lx_vrt_pattr) */
  int structure;             /* OPEN, CLOSE: its index (lx_vrt_structure) */
  int depth;                 /* OPEN, CLOSE: how many regions of the same name
                                enclose it (0 outermost) */
  size_t nattrs;             /* OPEN: its attributes, key[i] = val[i] */
  const lx_vrt_span *key, *val;
  const char *message;       /* WARNING: "path:line: what was done and why" */
} lx_vrt_event;

typedef struct lx_vrt lx_vrt;

/*
** Opens path ("-" is standard input) through the input layer. 0 with *out
** set; LX_INPUT_SKIPPED when the sniff skips the file (binary, an index),
** err says why; an errno value otherwise, with err "path: reason" (EINVAL
** for a bad declaration in opts, EILSEQ for a refused encoding, ENOMEM).
*/
int lx_vrt_open(lx_vrt **out, const char *path, const lx_vrt_opts *opts,
                char *err, size_t errlen);
/*
** The same over a document the caller opened with lx_input_open (it
** returned 0: text): the reader takes it over, reads it from where the
** sniff left it and closes it; in is left closed. The format comes from
** in->name's extension unless opts names it. 0, ENOMEM or EINVAL as above.
*/
int lx_vrt_open_input(lx_vrt **out, lx_input *in, const lx_vrt_opts *opts,
                      char *err, size_t errlen);
/*
** The next event into *ev. 0 (ev->kind LX_VRT_END once the document is
** done, and at every later call); or an errno value with the message in
** lx_vrt_error: EILSEQ malformed input ("path:line: what was expected"),
** ECANCELED Ctrl-C, EIO and the like from reading, ENOMEM. After an error
** every call returns it again.
*/
int lx_vrt_next(lx_vrt *r, lx_vrt_event *ev);
const char *lx_vrt_error(const lx_vrt *r);
/* The format being read (LX_VRT_VRT or LX_VRT_CONLLU). */
int lx_vrt_format(const lx_vrt *r);
/* The positional attributes, word first. Known once the first token event
** is out (VRT may discover them at its first token line). */
size_t lx_vrt_npattrs(const lx_vrt *r);
const char *lx_vrt_pattr(const lx_vrt *r, size_t i);
/* The structural attributes; discovery adds names as tags appear. */
size_t lx_vrt_nstructures(const lx_vrt *r);
const char *lx_vrt_structure(const lx_vrt *r, size_t i);
/* Bytes read so far (for progress and speed). */
uint64_t lx_vrt_bytes(const lx_vrt *r);
/* Idempotent on NULL. */
void lx_vrt_close(lx_vrt *r);

#endif
