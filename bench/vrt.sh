#!/bin/sh
# bench/vrt.sh [OUT]: the KJV as an annotated corpus, and the speed of lexis's
# VRT reader (src/vrt.c) on it. Not run by `make bench` yet.
#
#   1. sentences: bench/data/kjv.txt without its verse references, one
#      sentence a line by lexis's own splitter (`lexis sentences`);
#   2. tags: Debian's Apertium English tagger (packages apertium and
#      apertium-eng-spa, installed when missing): apertium-destxt | lt-proc -w
#      eng-spa.automorf.bin | apertium-tagger -g -p eng-spa.prob | apertium-retxt;
#   3. VRT: bench/apertium2vrt.lua, columns word lemma pos tags, one <text
#      id="kjv">, an <s> a sentence -> OUT (default bench/data/kjv.vrt);
#   4. speed: bench/vrt_read.c, a small C driver over the reader, best of 5
#      (MB = 10^6 bytes, warm page cache).
# With --en it also makes bench/data/en-100M.vrt, the tagged en-100M: en-100M
# repeats a base text (bench/corpus.sh: the KJV and the rest of en-100M's
# sources), so the base is tagged once (about a minute a 60 MB) and its
# tagged copies, each its own <text id="en-K">, are laid end to end until
# they hold about as many bytes of text as en-100M; the last copy ends at the
# sentence where the text reaches that size.
set -eu

EN=0
if [ "${1:-}" = --en ]; then EN=1; shift; fi

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
LEXIS=${LEXIS:-$ROOT/lexis}
DATA=$HERE/data
OUT=${1:-$DATA/kjv.vrt}
APERTIUM=/usr/share/apertium/apertium-eng-spa

[ -f "$DATA/kjv.txt" ] || die "no $DATA/kjv.txt: run bench/corpus.sh first"
[ -x "$LEXIS" ] || die "no $LEXIS: run make first"
need_pkgs apertium apertium-eng-spa || die "cannot install apertium apertium-eng-spa"
[ -f "$APERTIUM/eng-spa.automorf.bin" ] || die "no $APERTIUM/eng-spa.automorf.bin"

# tag ID < TEXT > VRT: one sentence a line (lexis's splitter), Apertium's
# tagger, then the VRT columns (bench/apertium2vrt.lua). Bytes that are not
# UTF-8 are dropped first (iconv -c): the tagger reads the rest of its input
# after one as blank (en-100M's GCIDE has a few CP1252 quotes).
tag() {
	iconv -c -f UTF-8 -t UTF-8 | "$LEXIS" sentences - \
		| apertium-destxt \
		| lt-proc -w "$APERTIUM/eng-spa.automorf.bin" \
		| apertium-tagger -g -p "$APERTIUM/eng-spa.prob" \
		| apertium-retxt \
		| "$LEXIS" "$HERE/apertium2vrt.lua" "$1"
}

if [ ! -s "$OUT" ] || [ "$OUT" -ot "$DATA/kjv.txt" ] || [ "$OUT" -ot "$HERE/apertium2vrt.lua" ]; then
	say "bench: tagging the KJV with Apertium -> $OUT"
	start=$(date +%s)
	cut -d' ' -f2- "$DATA/kjv.txt" | tag kjv > "$OUT.tmp"
	mv "$OUT.tmp" "$OUT"
	say "bench: tagged in $(( $(date +%s) - start )) s"
fi

EN_OUT=$DATA/en-100M.vrt
if [ "$EN" = 1 ] && { [ ! -s "$EN_OUT" ] || [ "$EN_OUT" -ot "$DATA/en-100M.txt" ] ||
	[ "$EN_OUT" -ot "$HERE/apertium2vrt.lua" ]; }; then
	[ -f "$DATA/en-rest.txt" ] || die "no $DATA/en-rest.txt: run bench/corpus.sh first"
	say "bench: tagging en-100M's base text with Apertium -> $EN_OUT"
	start=$(date +%s)
	# the base as bench/corpus.sh makes it (catnl: each file ends its line)
	{ cat "$DATA/kjv.txt"; [ -z "$(tail -c1 "$DATA/kjv.txt")" ] || echo; cat "$DATA/en-rest.txt"; } |
		tag en > "$DATA/en-base.vrt.tmp"
	base_text=$(( $(wc -c < "$DATA/kjv.txt") + $(wc -c < "$DATA/en-rest.txt") ))
	want=$(wc -c < "$DATA/en-100M.txt")
	# copies of the body (between <text> and </text>), the last cut at the
	# </s> where its text (a word and the space after it a token) reaches
	# what is left of en-100M's size
	grep -v -e '^<text ' -e '^</text>' "$DATA/en-base.vrt.tmp" > "$DATA/en-body.vrt.tmp"
	full=$((want / base_text))
	rest=$((want - full * base_text))
	{
		k=1
		while [ "$k" -le "$full" ]; do
			printf '<text id="en-%d">\n' "$k"; cat "$DATA/en-body.vrt.tmp"; echo '</text>'
			k=$((k + 1))
		done
		if [ "$rest" -gt 0 ]; then
			printf '<text id="en-%d">\n' "$k"
			awk -v rest="$rest" '
				{ print }
				!/^</ { split($0, c, "\t"); got += length(c[1]) + 1 }
				got >= rest && $0 == "</s>" { exit }' "$DATA/en-body.vrt.tmp"
			echo '</text>'
		fi
	} > "$EN_OUT.tmp"
	rm -f "$DATA/en-body.vrt.tmp"
	rm -f "$DATA/en-base.vrt.tmp"
	mv "$EN_OUT.tmp" "$EN_OUT"
	say "bench: tagged and laid out in $(( $(date +%s) - start )) s"
fi

# The driver links the cores make built (no Lua).
DRIVER=$ROOT/build/vrt_read
# (only objects whose source is still there: a file split or renamed leaves
# its old object in build/)
objs=$(for o in "$ROOT"/build/src/*.o; do
	[ -f "$ROOT/src/$(basename "$o" .o).c" ] && echo "$o"
done | grep -v -e '/main\.o$' -e '/repl\.o$' -e '/lexis\.o$')
# shellcheck disable=SC2086  # a list of objects
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -I"$ROOT/src" -o "$DRIVER" "$HERE/vrt_read.c" $objs \
	-lpcre2-8 -lxxhash -lunistring -lpthread -lm

printf '%s: %s bytes, %s lines\n' "$OUT" "$(wc -c < "$OUT")" "$(wc -l < "$OUT")"
for _ in 1 2 3 4 5; do
	"$DRIVER" "$OUT" -S text+id -S s
done
