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
set -eu

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

if [ ! -s "$OUT" ] || [ "$OUT" -ot "$DATA/kjv.txt" ] || [ "$OUT" -ot "$HERE/apertium2vrt.lua" ]; then
	say "bench: tagging the KJV with Apertium -> $OUT"
	start=$(date +%s)
	cut -d' ' -f2- "$DATA/kjv.txt" | "$LEXIS" sentences - \
		| apertium-destxt \
		| lt-proc -w "$APERTIUM/eng-spa.automorf.bin" \
		| apertium-tagger -g -p "$APERTIUM/eng-spa.prob" \
		| apertium-retxt \
		| "$LEXIS" "$HERE/apertium2vrt.lua" kjv > "$OUT.tmp"
	mv "$OUT.tmp" "$OUT"
	say "bench: tagged in $(( $(date +%s) - start )) s"
fi

# The driver links the cores make built (no Lua).
DRIVER=$ROOT/build/vrt_read
objs=$(ls "$ROOT"/build/src/*.o | grep -v -e '/main\.o$' -e '/repl\.o$' -e '/lexis\.o$')
# shellcheck disable=SC2086  # a list of objects
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -I"$ROOT/src" -o "$DRIVER" "$HERE/vrt_read.c" $objs \
	-lpcre2-8 -lxxhash -lunistring -lpthread -lm

printf '%s: %s bytes, %s lines\n' "$OUT" "$(wc -c < "$OUT")" "$(wc -l < "$OUT")"
for _ in 1 2 3 4 5; do
	"$DRIVER" "$OUT" -S text+id -S s
done
