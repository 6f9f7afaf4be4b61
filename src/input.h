/*
** input.h: the input layer. Every command and Lua function that reads text
** files goes through it, so each accepts the same names and treats a file
** the same way.
**
**   names -> documents   lx_input_expand: files as named, directories walked
**                        (sorted, hidden entries skipped, each directory and
**                        each file reached through a walk once, by device and
**                        inode, so symbolic link loops end), globs expanded.
**   one descriptor       lx_input_open: opens a document once and reads its
**                        first bytes into a buffer; lx_input_read hands that
**                        buffer out first, then reads on from the same
**                        descriptor. A pipe or FIFO loses nothing to the sniff.
**   one policy           lx_sniff, in this order: a lexis index (skipped),
**                        compressed-stream magic (gzip, bzip2, xz, zstd:
**                        decompressed, decompress.h), a document (`PK\3\4`
**                        a zip archive, DOCX, ODT or EPUB by its members;
**                        `%PDF-`: read whole, its text taken out,
**                        office.h; --encoding does not apply), UTF-16/32 with a
**                        byte-order mark (converted, recode.h), UTF-16
**                        without one (NUL at every other byte of the first
**                        4 KB: converted, with a note),
**                        a NUL byte in the first LX_SNIFF_BYTES (skipped as
**                        binary), then HTML or XML by its first markup
**                        after a byte-order mark, white space and comments
**                        (`<!DOCTYPE html`, `<html`, `<head`, `<body`: HTML;
**                        `<?xml` not followed by those: XML; markup.h): its
**                        text, without the markup, through libxml2 (which
**                        reads the declared charset), then text clearly not
**                        UTF-8 (half or more of the non-ASCII bytes of the
**                        first LX_SNIFF_BYTES invalid, charset.h): its
**                        encoding detected (uchardet, else a Latin-1 or
**                        Windows-1252 guess) and converted, with a note
**                        (not for lx_input_open_annotated: the VRT and
**                        CoNLL-U readers take UTF-8 only). A
**                        compressed file's text is sniffed again, from its
**                        first decoded bytes, by the same policy; so is
**                        converted text. With an encoding set
**                        (lx_input_set_encoding, --encoding) every text is
**                        converted from it and the policy sees UTF-8;
**                        with --encoding utf-8, nothing is detected (a
**                        byte-order mark still converts).
**
** The layers stack: raw bytes, decoder, converter, markup reader.
** A new input format (a decompressor, another encoding) plugs in at lx_sniff
** and lx_input_read. Pure C: no Lua here.
*/
#ifndef LEXIS_INPUT_H
#define LEXIS_INPUT_H

#include <stddef.h>
#include <stdint.h>

#define LX_SNIFF_BYTES 8192      /* the bytes the policy looks at */
#define LX_INPUT_SKIPPED (-2)    /* readers' return: the file was skipped, err says why */

/* What lx_sniff makes of an input's first bytes. */
enum lx_sniff_kind {
  LX_SNIFF_TEXT = 0,     /* read it */
  LX_SNIFF_BINARY,       /* skip it, saying why: a NUL byte */
  LX_SNIFF_INDEX,        /* a lexis index: skipped by the text readers */
  LX_SNIFF_REFUSED,      /* (lx_input_open only) compressed data inside compressed data: an error (exit 2) */
  LX_SNIFF_BADINDEX,     /* an index whose magic number is damaged: an error, never text */
  LX_SNIFF_COMPRESSED,   /* gzip, bzip2, xz or zstd: lx_input_open decodes it */
  LX_SNIFF_ENCODED,      /* UTF-16/32, or text clearly not UTF-8 (charset.h): lx_input_open converts it */
  LX_SNIFF_HTML,         /* an HTML page: lx_input_open reads its text (markup.h) */
  LX_SNIFF_XML,          /* an XML document: the same */
  LX_SNIFF_DOCUMENT,     /* a zip archive (DOCX, ODT, EPUB) or a PDF: lx_input_open reads its text (office.h) */
};

/*
** Classifies head[0..n) (the first bytes of the input `name`). For anything
** but LX_SNIFF_TEXT, msg gets "name: why" (and how to fix it).
*/
int lx_sniff(const char *head, size_t n, const char *name, char *msg, size_t msglen);
/* The same, and for LX_SNIFF_ENCODED the iconv name it is read in ("UTF-16",
** "UTF-16LE", "KOI8-R"...) in from; "" otherwise. */
int lx_sniff_from(const char *head, size_t n, const char *name, char *msg, size_t msglen, char *from, size_t fromlen);

struct lx_decomp;
struct lx_markup;
struct lx_office;

/*
** An open document: the descriptor and the bytes the sniff read from it.
** A compressed file's head holds the first bytes of its text, and its
** reads come from a decoder (a thread decoding ahead); it is not
** `regular` (its text has no size to cut and cannot be pread), so threaded
** readers read it as they read a pipe. The struct may be copied to a new
** owner who then closes it, if the old copy's fd is set to -1.
*/
typedef struct lx_input {
  int fd;                /* -1 when closed */
  int owned;             /* ours to close (not standard input) */
  int regular;           /* a regular file of plain text: pread and the size can be used */
  uint64_t size;         /* its size when regular, else 0 */
  int64_t mtime;         /* its modification time (seconds), from the same fstat */
  const char *name;      /* for messages: the path, or "stdin" (the caller's string) */
  size_t nhead, hpos;    /* bytes in head; how many lx_input_read handed out */
  int kind;              /* enum lx_sniff_kind */
  int codec;             /* enum lx_codec (decompress.h): 0 for plain text */
  struct lx_decomp *dec; /* the decoder the text comes from, or NULL */
  struct lx_recode *rec; /* the converter to UTF-8 it then goes through, or NULL */
  struct lx_markup *mk;  /* the HTML or XML reader that takes the text out of it, or NULL */
  int markup;            /* enum lx_markup_kind (markup.h): 0 for plain text */
  struct lx_office *doc; /* the DOCX, ODT, EPUB or PDF reader the text comes from, or NULL */
  char why[256];         /* a failed read in words ("gzip data ends early (truncated) at
                         ** compressed byte 1234, after 5678 bytes of text"), else "" */
  char head[LX_SNIFF_BYTES];
} lx_input;

/*
** Opens path ("-" is standard input) and sniffs it. Returns 0: text, read
** it with lx_input_read; 1: skip it, err says why (binary, an index); -1:
** an error in err ("path: reason"), its errno value in *code (EILSEQ when
** the policy refuses the file; ENOENT when an HTML or XML file needs
** libxml2 and it is not installed). Close it with lx_input_close in every case.
*/
int lx_input_open(lx_input *in, const char *path, char *err, size_t errlen, int *code);
/* The same for an annotated corpus (vrt.c): HTML and XML are read as they
** are, since a VRT file starts with `<?xml` and its reader parses its tags. */
int lx_input_open_annotated(lx_input *in, const char *path, char *err, size_t errlen, int *code);
/* Up to n bytes: the sniffed head first, then from the descriptor (or its
** decoder, converter, markup reader). 0 at the end, -1 with errno on an
** error: EBADMSG for damaged or truncated compressed data and for malformed
** XML, said in words by lx_input_strerror. */
long lx_input_read(lx_input *in, char *buf, size_t n);
/* The words for a failed read's errno e: in->why when set (what is damaged
** and where), else strerror(e). Readers put them after the name. */
const char *lx_input_strerror(const lx_input *in, int e);
/* The whole document in one malloced buffer (*text NULL for an empty one).
** 0, or an errno value with err set. */
int lx_input_slurp(lx_input *in, char **text, size_t *len, char *err, size_t errlen);
/* Idempotent. */
void lx_input_close(lx_input *in);

/*
** The encoding of the text files opened from now on: an iconv name
** ("latin1", "cp1252", "utf-16le", "koi8-r", "shift-jis"); NULL or "":
** none, so encodings are detected; "utf-8": UTF-8, the bytes as they are
** (no detection; a byte-order mark still counts). 0, or EINVAL when iconv does not know
** it. Converted text has offsets in the UTF-8 text, not in the file: not
** `regular`, like a compressed file's.
*/
int lx_input_set_encoding(const char *name);

/*
** Where the input layer's notes go (a binding prints them on stderr):
** "f.txt: not UTF-8 (2 of the 2 non-ASCII bytes in its first 27 are
** invalid); read as ISO-8859-1 (detected by uchardet; --encoding NAME to
** choose another)", said once per open when an encoding is detected, or
** when a file is clearly not UTF-8 and no encoding fits. NULL: none.
*/
void lx_input_set_warn(void (*warn)(const char *msg));

/* ---------------------------------------------------------------- names */

typedef struct lx_names {
  char **path;           /* the documents, in reading order; each malloced */
  size_t n, cap;
  char **warn;           /* what was skipped and why ("d/x: broken symbolic link, skipped") */
  size_t nwarn, wcap;
} lx_names;

/*
** Turns what the user named into documents, appended to out in this order:
** "-" and names that are no directory as they are (a missing one fails when
** opened); a directory walked recursively, entries sorted by bytes, names
** starting with "." skipped, symbolic links followed, each directory and each
** file met in a walk taken once (device and inode), other file types (FIFOs,
** sockets, devices) inside a directory skipped with a warning; a name with
** * ? [ that is no file, expanded by glob(3) (sorted), each match as above.
** 0, or -1 when out of memory.
*/
int lx_input_expand(const char *const *names, size_t n, lx_names *out);
void lx_names_free(lx_names *out);

/*
** How a stored absolute path is shown: relative to dir (the working
** directory, from getcwd) when it lies under it, else whole. An index keeps
** absolute names so its hits show from any directory; run from where it
** was built, it still names documents as the user typed them.
*/
const char *lx_path_shown(const char *path, const char *dir);

#endif
