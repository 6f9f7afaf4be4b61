/*
** bench/peers/wordbreaks.c: libunistring's u8_wordbreaks (UAX #29) over a
** file, the reference lexis's tokenizer is measured against (issue 3).
**
**   wordbreaks FILE   prints the number of segments between word boundaries
**
** The file is read in 1 MiB chunks cut after the last newline, so no word
** straddles two calls (a newline is always a boundary); a line longer than
** the buffer grows it. Invalid UTF-8 goes to libunistring as it is.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uniwbrk.h>

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: wordbreaks FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) { perror(argv[1]); return 1; }

	size_t cap = 1 << 20, len = 0;          /* buffer size, bytes held */
	uint8_t *buf = malloc(cap);             /* text not yet segmented */
	char *brk = malloc(cap);                /* u8_wordbreaks' output */
	unsigned long long segments = 0;
	int eof = 0;
	if (!buf || !brk) { perror("malloc"); return 1; }

	while (!eof || len > 0) {
		if (!eof) {
			size_t got = fread(buf + len, 1, cap - len, f);
			len += got;
			eof = got == 0 || feof(f);
		}
		/* Segment up to the last newline; all of it at the end of the file. */
		size_t n = len;
		if (!eof) {
			while (n > 0 && buf[n - 1] != '\n') n--;
			if (n == 0) {                   /* one line fills the buffer */
				cap *= 2;
				buf = realloc(buf, cap);
				brk = realloc(brk, cap);
				if (!buf || !brk) { perror("realloc"); return 1; }
				continue;
			}
		}
		if (n == 0) break;
		u8_wordbreaks(buf, n, brk);
		segments++;                         /* the chunk's first segment */
		for (size_t i = 1; i < n; i++) segments += brk[i] != 0;
		memmove(buf, buf + n, len - n);
		len -= n;
	}
	if (ferror(f)) { perror(argv[1]); return 1; }
	printf("%llu\n", segments);
	return 0;
}
