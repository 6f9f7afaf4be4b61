/*
** input.c: names to documents, one descriptor per document, one policy.
** See input.h for the contract and the order of the checks.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "alloc.h"
#include "charset.h"
#include "decompress.h"
#include "markup.h"
#include "office.h"
#include "recode.h"
#include "input.h"
#include "progress.h"

/* ================================================================ policy */

/*
** UTF-16 or UTF-32: a byte-order mark decides; without one, NUL bytes at
** every other place of the first 4 KB (and only there) give UTF-16 away.
** *bom says which it was (iconv keeps or drops the mark accordingly).
*/
static const char *wide(const unsigned char *h, size_t n, int *bom) {
  *bom = 1;
  if (n >= 4 && memcmp(h, "\xFF\xFE\0\0", 4) == 0) return "UTF-32LE";
  if (n >= 4 && memcmp(h, "\0\0\xFE\xFF", 4) == 0) return "UTF-32BE";
  if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) return "UTF-16LE";
  if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) return "UTF-16BE";
  *bom = 0;
  if (n < 4) return NULL;
  size_t pairs = (n < 4096 ? n : 4096) / 2, le = 0, be = 0;
  for (size_t i = 0; i < pairs; i++) {
    unsigned char a = h[2 * i], b = h[2 * i + 1];
    if (a && !b) le++;
    else if (!a && b) be++;
  }
  if (le * 10 >= pairs * 6 && be == 0) return "UTF-16LE";
  if (be * 10 >= pairs * 6 && le == 0) return "UTF-16BE";
  return NULL;
}

/* The iconv name for a byte-order mark's encoding; iconv drops the mark. */
static const char *bom_encoding(const unsigned char *h, size_t n) {
  if (n >= 4 && (memcmp(h, "\xFF\xFE\0\0", 4) == 0 || memcmp(h, "\0\0\xFE\xFF", 4) == 0)) return "UTF-32";
  return "UTF-16";
}

/* What the policy found out about a text's encoding, besides its verdict. */
typedef struct sniffed {
  char from[48];         /* LX_SNIFF_ENCODED: the iconv name to convert from */
  int note;              /* msg is a note for stderr when the file is opened:
                         ** an encoding detected, or one not UTF-8 and unknown */
} sniffed;

/*
** lx_sniff's policy. detect is 0 under --encoding utf-8: the bytes are
** read as they are, and only a byte-order mark still converts them.
*/
static int sniff(const char *head, size_t n, const char *name, char *msg, size_t msglen, int detect, sniffed *sn) {
  const unsigned char *h = (const unsigned char *)head;
  sn->from[0] = '\0';
  sn->note = 0;
  /* a lexis index first: its header is binary, and one whose magic number
  ** is damaged must be reported, never read as text (index.h) */
  int ix = lx_file_sniff(head, n);
  if (ix > 0) {
    snprintf(msg, msglen, "%s: a lexis index, not text, skipped (give indexes without text files to kwic or collocates: several are shards of one corpus)", name);
    return LX_SNIFF_INDEX;
  }
  if (ix < 0) {
    snprintf(msg, msglen, "%s: damaged header (its magic number); rebuild it with 'lexis index'", name);
    return LX_SNIFF_BADINDEX;
  }
  int z = lx_codec_sniff(head, n);
  if (z) {
    snprintf(msg, msglen, "%s: %s-compressed (read through %s)", name, lx_codec_name(z), lx_codec_name(z));
    return LX_SNIFF_COMPRESSED;
  }
  int doc = lx_office_sniff(head, n);
  if (doc) {
    snprintf(msg, msglen, "%s: %s (its text is read)", name,
             doc == LX_OFFICE_PDF ? "a PDF document" : "a zip archive (a DOCX, ODT or EPUB document)");
    return LX_SNIFF_DOCUMENT;
  }
  int bom;
  const char *enc = wide(h, n, &bom);
  if (enc && bom) {
    snprintf(sn->from, sizeof sn->from, "%s", bom_encoding(h, n));
    snprintf(msg, msglen, "%s: %s text with a byte-order mark (converted to UTF-8)", name, enc);
    return LX_SNIFF_ENCODED;
  }
  if (enc && detect) {
    snprintf(sn->from, sizeof sn->from, "%s", enc);
    snprintf(msg, msglen, "%s: not UTF-8 (a NUL at every other byte of its first %zu: %s without a byte-order "
             "mark); read as %s (--encoding NAME to choose another)", name, n < 4096 ? n : (size_t)4096, enc, enc);
    sn->note = 1;
    return LX_SNIFF_ENCODED;
  }
  const char *nul = memchr(head, '\0', n < LX_SNIFF_BYTES ? n : LX_SNIFF_BYTES);
  if (nul) {
    snprintf(msg, msglen, "%s: a binary file, skipped (a NUL byte at byte %zu)", name,
             (size_t)(nul - head) + 1);
    return LX_SNIFF_BINARY;
  }
  int mk = lx_markup_sniff(head, n);
  if (mk) {     /* its encoding is libxml2's to read, from its declaration */
    snprintf(msg, msglen, "%s: %s (its text is read, without the markup)", name, lx_markup_name(mk));
    return mk == LX_MARKUP_HTML ? LX_SNIFF_HTML : LX_SNIFF_XML;
  }
  lx_utf8_tally t;
  if (!detect || !lx_utf8_judge(head, n, &t)) return LX_SNIFF_TEXT;   /* UTF-8, stray bytes and all */
  char how[600];
  int found = lx_charset_detect(head, n, &t, sn->from, sizeof sn->from, how, sizeof how);
  sn->note = 1;
  if (found) {
    snprintf(msg, msglen, "%s: not UTF-8 (%zu of the %zu non-ASCII bytes in its first %zu are invalid); read as "
             "%s (%s; --encoding NAME to choose another)", name, t.bad, t.nonascii, t.n, sn->from, how);
    return LX_SNIFF_ENCODED;
  }
  snprintf(msg, msglen, "%s: not UTF-8 (%zu of the %zu non-ASCII bytes in its first %zu are invalid), in an "
           "encoding not known (%s): read as UTF-8, its invalid bytes counted; give --encoding NAME", name,
           t.bad, t.nonascii, t.n, how);
  return LX_SNIFF_TEXT;
}

static int utf8_only;                /* --encoding utf-8: no detection */

int lx_sniff(const char *head, size_t n, const char *name, char *msg, size_t msglen) {
  return lx_sniff_from(head, n, name, msg, msglen, NULL, 0);
}

int lx_sniff_from(const char *head, size_t n, const char *name, char *msg, size_t msglen, char *from, size_t fromlen) {
  sniffed sn;
  int k = sniff(head, n, name, msg, msglen, !utf8_only, &sn);
  if (from && fromlen) snprintf(from, fromlen, "%s", k == LX_SNIFF_ENCODED ? sn.from : "");
  return k;
}

/* ================================================================ one document */

void lx_input_close(lx_input *in) {
  if (in->fd < 0) return;                 /* closed, or handed to another owner (vrt.c) */
  lx_office_free(in->doc);
  in->doc = NULL;
  lx_markup_free(in->mk);
  in->mk = NULL;
  lx_recode_free(in->rec);
  in->rec = NULL;
  lx_decomp_free(in->dec);
  in->dec = NULL;
  if (in->owned) close(in->fd);
  in->fd = -1;
}

/* read() that retries after a signal. */
static long read_some(int fd, char *buf, size_t n) {
  for (;;) {
    ssize_t r = read(fd, buf, n);
    if (r >= 0 || errno != EINTR) return (long)r;
  }
}

static long read_text(lx_input *in, char *buf, size_t n);

/* After a layer (decoder, converter) is put under in: the head filled
** again with what the layer gives, for the policy. 0, or -1 with err. */
static int refill_head(lx_input *in, char *err, size_t errlen, int *code) {
  in->regular = 0;
  in->size = 0;
  in->nhead = 0;
  while (in->nhead < LX_SNIFF_BYTES) {
    long r = read_text(in, in->head + in->nhead, LX_SNIFF_BYTES - in->nhead);
    if (r < 0) {
      *code = errno;
      snprintf(err, errlen, "%s: %s", in->name, in->why);
      return -1;
    }
    if (r == 0) break;
    in->nhead += (size_t)r;
  }
  return 0;
}

/*
** A compressed file: the decoder takes the raw head and the descriptor, and
** the head is filled again with the first bytes of the text, which the
** policy then judges as it would a plain file's. The text has no size and
** cannot be pread: not "regular" for the readers. 0, or -1 with err set.
*/
static int decompress(lx_input *in, char *err, size_t errlen, int *code) {
  in->codec = lx_codec_sniff(in->head, in->nhead);
  in->dec = lx_decomp_new(in->codec, in->head, in->nhead, in->fd, 1);
  if (!in->dec) in->dec = lx_decomp_new(in->codec, in->head, in->nhead, in->fd, 0);   /* no thread: inline */
  if (!in->dec) {
    *code = ENOMEM;
    snprintf(err, errlen, "%s: out of memory", in->name);
    return -1;
  }
  return refill_head(in, err, errlen, code);
}

/*
** An HTML or XML document: the markup reader takes the bytes so far (the
** head, then the converter, the decoder or the descriptor) and the head is
** filled again with the first bytes of its text. The text is UTF-8 for
** sure when a converter made it; otherwise the page's own charset counts.
** 0, or -1 with err set.
*/
static int extract(lx_input *in, char *err, size_t errlen, int *code) {
  in->markup = in->kind == LX_SNIFF_HTML ? LX_MARKUP_HTML : LX_MARKUP_XML;
  in->mk = lx_markup_new(in->markup, in->rec != NULL, in->head, in->nhead, in->rec || in->dec ? -1 : in->fd,
                         in->dec, in->rec);
  if (!in->mk) {
    *code = errno;
    if (errno == ENOENT)
      snprintf(err, errlen, "%s: %s, whose text lexis reads through libxml2, which could not be loaded (%s): "
               "install the Debian package libxml2", in->name, lx_markup_name(in->markup), lx_markup_missing());
    else
      snprintf(err, errlen, "%s: out of memory", in->name);
    return -1;
  }
  if (refill_head(in, err, errlen, code)) return -1;
  in->kind = LX_SNIFF_TEXT;
  return 0;
}

/* ---------------------------------------------------------------- encodings */

static char forced[64];              /* lx_input_set_encoding's name; "" for UTF-8 */
static void (*warn_hook)(const char *msg);

int lx_input_set_encoding(const char *name) {
  forced[0] = '\0';
  utf8_only = 0;
  if (!name || !*name) return 0;
  if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0) {
    utf8_only = 1;
    return 0;
  }
  if (strlen(name) >= sizeof forced || !lx_recode_known(name)) return EINVAL;
  snprintf(forced, sizeof forced, "%s", name);
  return 0;
}

void lx_input_set_warn(void (*warn)(const char *msg)) {
  warn_hook = warn;
}

/*
** A DOCX, ODT, EPUB or PDF document: read whole (its directory is at its
** end) from the layer below (the head, then the decoder or the
** descriptor), given to its reader (office.h), and the head filled again
** with the first bytes of its text. 0; 1 when it is a zip archive of
** another kind (skipped, the note in err); -1 with err set.
*/
static int document(lx_input *in, char *err, size_t errlen, int *code) {
  int kind = lx_office_sniff(in->head, in->nhead);
  if (in->regular && in->size > LX_OFFICE_MAX) {      /* said before any of it is read */
    *code = EFBIG;
    snprintf(err, errlen, "%s: a %s of %llu bytes, past the %zu that lexis reads whole: too big", in->name,
             kind == LX_OFFICE_PDF ? "PDF document" : "zip archive", (unsigned long long)in->size, LX_OFFICE_MAX);
    return -1;
  }
  size_t cap = in->regular && in->size >= in->nhead && in->size < LX_OFFICE_MAX ? (size_t)in->size + 1 : 1 << 20;
  size_t n = in->nhead;
  char *data = lx_malloc(cap > n ? cap : n + 1);
  if (!data) goto oom;
  memcpy(data, in->head, n);
  for (;;) {
    if (n == cap) {
      if (cap > LX_OFFICE_MAX) {
        free(data);
        *code = EFBIG;
        snprintf(err, errlen, "%s: a %s of more than %zu bytes, which lexis reads whole: too big", in->name,
                 kind == LX_OFFICE_PDF ? "PDF document" : "zip archive", LX_OFFICE_MAX);
        return -1;
      }
      char *nd = lx_realloc(data, cap * 2);
      if (!nd) goto oom;
      data = nd;
      cap *= 2;
    }
    if (lx_interrupted()) {
      free(data);
      *code = ECANCELED;
      snprintf(err, errlen, "%s: interrupted", in->name);
      return -1;
    }
    long r = in->dec ? lx_decomp_read(in->dec, data + n, cap - n) : read_some(in->fd, data + n, cap - n);
    if (r < 0) {
      *code = errno;
      snprintf(err, errlen, "%s: %s", in->name, in->dec && errno == EBADMSG ? lx_decomp_why(in->dec) : strerror(errno));
      free(data);
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  char why[600];
  in->doc = lx_office_new(kind, data, n, code, why, sizeof why);   /* owns data now */
  if (!in->doc && *code == EILSEQ) {   /* a zip of something else: skipped, as a binary file is */
    snprintf(err, errlen, "%s: %s, skipped", in->name, why);
    *code = 0;
    return 1;
  }
  if (!in->doc) {
    snprintf(err, errlen, "%s: %s", in->name, why);
    return -1;
  }
  return refill_head(in, err, errlen, code);
oom:
  free(data);
  *code = ENOMEM;
  snprintf(err, errlen, "%s: out of memory", in->name);
  return -1;
}

/*
** Text from another encoding: a converter over the bytes so far (the head,
** then the decoder or the descriptor), and the head filled again with
** UTF-8 for the policy. 0, or -1 with err set.
*/
static int convert(lx_input *in, const char *from, char *err, size_t errlen, int *code) {
  in->rec = lx_recode_new(from, in->head, in->nhead, in->dec ? -1 : in->fd, in->dec);
  if (!in->rec) {
    *code = errno;
    snprintf(err, errlen, "%s: %s", in->name, errno == ENOMEM ? "out of memory" : "an encoding iconv does not know");
    return -1;
  }
  return refill_head(in, err, errlen, code);
}

/*
** The head is read until it is full or the input ends, so the policy sees
** the same bytes from a pipe as from a file; a terminal gives what one read
** returns (a person typing should not have to fill 8 KB first).
*/
static int open_doc(lx_input *in, const char *path, int markup, char *err, size_t errlen, int *code) {
  int std = strcmp(path, "-") == 0;
  in->fd = -1;
  in->owned = !std;
  in->regular = 0;
  in->size = 0;
  in->mtime = 0;
  in->name = std ? "stdin" : path;
  in->nhead = in->hpos = 0;
  in->kind = LX_SNIFF_TEXT;
  in->dec = NULL;
  in->rec = NULL;
  in->mk = NULL;
  in->doc = NULL;
  in->markup = 0;
  in->codec = 0;
  in->why[0] = '\0';
  *code = 0;
  int fd = std ? 0 : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *code = errno;
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  in->fd = fd;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *code = errno;
    snprintf(err, errlen, "%s: %s", in->name, strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    *code = EISDIR;
    snprintf(err, errlen, "%s: is a directory", in->name);
    return -1;
  }
  in->regular = S_ISREG(st.st_mode);
  in->size = in->regular ? (uint64_t)st.st_size : 0;
  in->mtime = (int64_t)st.st_mtime;
  int tty = isatty(fd);
  while (in->nhead < LX_SNIFF_BYTES) {
    long r = read_some(fd, in->head + in->nhead, LX_SNIFF_BYTES - in->nhead);
    if (r < 0) {
      *code = errno;
      snprintf(err, errlen, "%s: %s", in->name, strerror(errno));
      return -1;
    }
    if (r == 0) break;
    in->nhead += (size_t)r;
    if (tty) break;
  }
  /* an annotated corpus is not detected: its reader takes UTF-8 only and
  ** says where it is not (--encoding still converts it) */
  int detect = !utf8_only && markup;
  sniffed sn;
  in->kind = sniff(in->head, in->nhead, in->name, err, errlen, detect, &sn);
  if (in->kind == LX_SNIFF_COMPRESSED) {
    if (decompress(in, err, errlen, code)) return -1;
    in->kind = sniff(in->head, in->nhead, in->name, err, errlen, detect, &sn);
    if (in->kind == LX_SNIFF_COMPRESSED) {       /* twice: say so rather than read it as bytes */
      snprintf(err, errlen, "%s: %s data inside %s data; lexis undoes one layer: decompress it once "
               "first, e.g. %s -dc %s > %s.once", in->name, lx_codec_name(lx_codec_sniff(in->head, in->nhead)),
               lx_codec_name(in->codec), lx_codec_name(in->codec), in->name, in->name);
      in->kind = LX_SNIFF_REFUSED;
    }
  }
  if (in->kind == LX_SNIFF_DOCUMENT) {
    /* its own container says how its text is encoded: --encoding does not apply */
    if (!markup) {                                /* an annotated corpus is a vertical file, not a document */
      snprintf(err, errlen, "%s: a %s, not a vertical file (VRT) or CoNLL-U, skipped", in->name,
               lx_office_sniff(in->head, in->nhead) == LX_OFFICE_PDF ? "PDF document" : "zip archive");
      in->kind = LX_SNIFF_BINARY;
    } else {
      int d = document(in, err, errlen, code);
      if (d < 0) return -1;
      in->kind = d ? LX_SNIFF_BINARY : LX_SNIFF_TEXT;
    }
  }
  int known = in->kind == LX_SNIFF_INDEX || in->kind == LX_SNIFF_BADINDEX || in->kind == LX_SNIFF_REFUSED;
  if ((forced[0] && in->kind != LX_SNIFF_INDEX && in->kind != LX_SNIFF_BADINDEX && !in->doc) ||
      (!known && in->kind == LX_SNIFF_ENCODED)) {
    if (!forced[0] && sn.note && warn_hook) warn_hook(err);      /* what was detected, and how */
    if (convert(in, forced[0] ? forced : sn.from, err, errlen, code)) return -1;
    /* UTF-8 now: judged again for what it holds (markup, NUL bytes), not for its encoding */
    in->kind = sniff(in->head, in->nhead, in->name, err, errlen, 0, &sn);
    if (in->kind == LX_SNIFF_ENCODED || in->kind == LX_SNIFF_COMPRESSED) in->kind = LX_SNIFF_BINARY;
  } else if (in->kind == LX_SNIFF_TEXT && !in->doc && sn.note && warn_hook) {
    warn_hook(err);                    /* not UTF-8, and no encoding fits: read as UTF-8 */
  }
  if (in->kind == LX_SNIFF_HTML || in->kind == LX_SNIFF_XML) {
    if (!markup) in->kind = LX_SNIFF_TEXT;
    else if (extract(in, err, errlen, code)) return -1;
  }
  if (in->kind == LX_SNIFF_REFUSED || in->kind == LX_SNIFF_BADINDEX) {
    *code = in->kind == LX_SNIFF_REFUSED ? EILSEQ : EINVAL;
    return -1;
  }
  return in->kind == LX_SNIFF_TEXT ? 0 : 1;
}

int lx_input_open(lx_input *in, const char *path, char *err, size_t errlen, int *code) {
  return open_doc(in, path, 1, err, errlen, code);
}

int lx_input_open_annotated(lx_input *in, const char *path, char *err, size_t errlen, int *code) {
  return open_doc(in, path, 0, err, errlen, code);
}

/* After a read r of a reader that keeps a note (warned once) and a reason
** for its failure: the note passed on, the reason kept in in->why. */
static long reader_said(lx_input *in, long r, const char *note, const char *why) {
  int e = errno;
  if (note && warn_hook) {
    char msg[600];
    snprintf(msg, sizeof msg, "%s: %s", in->name, note);
    warn_hook(msg);
  }
  if (r < 0) snprintf(in->why, sizeof in->why, "%s", why[0] ? why : strerror(e));
  errno = e;
  return r;
}

/* The text's bytes: the document's, the markup reader's, the converter's, the decoder's, or the descriptor's. */
static long read_text(lx_input *in, char *buf, size_t n) {
  if (in->doc) {
    long r = lx_office_read(in->doc, buf, n);
    return reader_said(in, r, lx_office_note(in->doc), lx_office_why(in->doc));
  }
  if (in->mk) {
    long r = lx_markup_read(in->mk, buf, n);
    return reader_said(in, r, lx_markup_note(in->mk), lx_markup_why(in->mk));
  }
  if (in->rec) {
    long r = lx_recode_read(in->rec, buf, n);
    if (r < 0) {
      int e = errno;
      snprintf(in->why, sizeof in->why, "%s", lx_recode_why(in->rec)[0] ? lx_recode_why(in->rec) : strerror(e));
      errno = e;
    }
    return r;
  }
  if (!in->dec) return read_some(in->fd, buf, n);
  long r = lx_decomp_read(in->dec, buf, n);
  if (r < 0) {
    int e = errno;
    snprintf(in->why, sizeof in->why, "%s", e == EBADMSG ? lx_decomp_why(in->dec) : strerror(e));
    errno = e;
  }
  return r;
}

long lx_input_read(lx_input *in, char *buf, size_t n) {
  if (in->hpos < in->nhead) {
    size_t k = in->nhead - in->hpos < n ? in->nhead - in->hpos : n;
    memcpy(buf, in->head + in->hpos, k);
    in->hpos += k;
    return (long)k;
  }
  return read_text(in, buf, n);
}

const char *lx_input_strerror(const lx_input *in, int e) {
  return in->why[0] ? in->why : strerror(e);
}

int lx_input_slurp(lx_input *in, char **text, size_t *len, char *err, size_t errlen) {
  size_t cap = in->regular && in->size > 0 ? (size_t)in->size + 1 : 65536, n = 0;
  char *buf = lx_malloc(cap);
  if (!buf) goto oom;
  for (;;) {
    if (n == cap) {
      char *nb = lx_realloc(buf, cap * 2);
      if (!nb) goto oom;
      buf = nb;
      cap *= 2;
    }
    if (lx_interrupted()) {           /* Ctrl-C: an endless pipe must not hold us */
      free(buf);
      snprintf(err, errlen, "interrupted");
      return ECANCELED;
    }
    size_t want = cap - n < ((size_t)1 << 20) ? cap - n : (size_t)1 << 20;
    long r = lx_input_read(in, buf + n, want);
    if (r < 0) {
      int e = errno;
      free(buf);
      snprintf(err, errlen, "%s: %s", in->name, lx_input_strerror(in, e));
      return e;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  if (n == 0) {
    free(buf);
    buf = NULL;
  }
  *text = buf;
  *len = n;
  return 0;
oom:
  free(buf);
  snprintf(err, errlen, "%s: out of memory", in->name);
  return ENOMEM;
}

/* ================================================================ names */

/* The directories and files a walk has met, by device and inode. */
typedef struct seen {
  struct { dev_t dev; ino_t ino; int used; } *slot;
  size_t cap, n;
} seen;

static size_t seen_hash(dev_t dev, ino_t ino, size_t cap) {
  uint64_t h = ((uint64_t)ino * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)dev * 0xC2B2AE3D27D4EB4Full);
  return (size_t)(h >> 17) & (cap - 1);
}

/* 1 if (dev, ino) was met before, 0 if it is new (now recorded), -1 if out of memory. */
static int seen_add(seen *s, dev_t dev, ino_t ino) {
  if (2 * (s->n + 1) > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    seen t = { lx_calloc(cap, sizeof *s->slot), cap, 0 };
    if (!t.slot) return -1;
    for (size_t i = 0; i < s->cap; i++)
      if (s->slot[i].used) seen_add(&t, s->slot[i].dev, s->slot[i].ino);
    free(s->slot);
    *s = t;
  }
  size_t i = seen_hash(dev, ino, s->cap);
  while (s->slot[i].used) {
    if (s->slot[i].dev == dev && s->slot[i].ino == ino) return 1;
    i = (i + 1) & (s->cap - 1);
  }
  s->slot[i].dev = dev;
  s->slot[i].ino = ino;
  s->slot[i].used = 1;
  s->n++;
  return 0;
}

static int push(char ***v, size_t *n, size_t *cap, char *s) {
  if (!s) return -1;
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 64;
    char **nv = lx_realloc(*v, c * sizeof *nv);
    if (!nv) { free(s); return -1; }
    *v = nv;
    *cap = c;
  }
  (*v)[(*n)++] = s;
  return 0;
}

static int add_path(lx_names *out, const char *p) {
  return push(&out->path, &out->n, &out->cap, lx_strdup(p));
}

static int warn(lx_names *out, const char *path, const char *why) {
  size_t len = strlen(path) + strlen(why) + 3;
  char *s = lx_malloc(len);
  if (s) snprintf(s, len, "%s: %s", path, why);
  return push(&out->warn, &out->nwarn, &out->wcap, s);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(lx_names *out, seen *s, const char *dir);

/* One entry met in a walk: a directory is walked, a regular file taken, once each. */
static int walk_entry(lx_names *out, seen *s, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) return warn(out, path, "a broken symbolic link, skipped");
    return warn(out, path, strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    int r = seen_add(s, st.st_dev, st.st_ino);
    if (r < 0) return -1;
    if (r) return warn(out, path, "a directory already read (through a symbolic link), skipped");
    return walk(out, s, path);
  }
  if (!S_ISREG(st.st_mode)) return warn(out, path, "not a regular file (a FIFO, socket or device), skipped");
  int r = seen_add(s, st.st_dev, st.st_ino);
  if (r < 0) return -1;
  if (r) return warn(out, path, "a file already read (through another link), skipped");
  return add_path(out, path);
}

static int walk(lx_names *out, seen *s, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return warn(out, dir, strerror(errno));
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  struct dirent *e;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;          /* ., .. and hidden entries */
    rc = push(&names, &n, &cap, lx_strdup(e->d_name));
  }
  closedir(d);
  if (rc == 0 && n > 1) qsort(names, n, sizeof *names, cmp_names);   /* names is NULL when n is 0 */
  size_t dl = strlen(dir);
  const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
  for (size_t i = 0; rc == 0 && i < n; i++) {
    size_t len = dl + strlen(names[i]) + 2;
    char *path = lx_malloc(len);
    if (!path) { rc = -1; break; }
    snprintf(path, len, "%s%s%s", dir, sep, names[i]);
    rc = walk_entry(out, s, path);
    free(path);
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  return rc;
}

/* A name given by the user (or a glob's match): a directory is walked, anything else kept. */
static int expand_one(lx_names *out, seen *s, const char *p) {
  struct stat st;
  if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
    int r = seen_add(s, st.st_dev, st.st_ino);
    if (r < 0) return -1;
    if (r) return warn(out, p, "a directory already read, skipped");
    size_t before = out->n;
    if (walk(out, s, p)) return -1;
    if (out->n == before) return warn(out, p, "no files in this directory");
    return 0;
  }
  return add_path(out, p);
}

int lx_input_expand(const char *const *names, size_t n, lx_names *out) {
  seen s = { NULL, 0, 0 };
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    const char *p = names[i];
    struct stat st;
    if (strpbrk(p, "*?[") && stat(p, &st) != 0) {
      glob_t g;
      if (glob(p, 0, NULL, &g) == 0) {
        for (size_t j = 0; rc == 0 && j < g.gl_pathc; j++) rc = expand_one(out, &s, g.gl_pathv[j]);
      } else {
        rc = warn(out, p, "no file matches");
      }
      globfree(&g);
    } else {
      rc = expand_one(out, &s, p);
    }
  }
  free(s.slot);
  return rc;
}

void lx_names_free(lx_names *out) {
  for (size_t i = 0; i < out->n; i++) free(out->path[i]);
  for (size_t i = 0; i < out->nwarn; i++) free(out->warn[i]);
  free(out->path);
  free(out->warn);
  memset(out, 0, sizeof *out);
}

const char *lx_path_shown(const char *path, const char *dir) {
  size_t n = dir ? strlen(dir) : 0;
  if (n == 0 || path[0] != '/' || strncmp(path, dir, n) != 0) return path;
  if (n == 1) return path[1] ? path + 1 : path;          /* dir is "/" */
  return path[n] == '/' && path[n + 1] ? path + n + 1 : path;
}
