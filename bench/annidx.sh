#!/bin/bash
# bench/annidx.sh [RUNS]: the build of an annotated index against the Corpus
# Workbench's (issue 14, "Speed and memory"). Not run by `make bench` yet.
#
#   1. data: bench/data/en-100M-ann.vrt, en-100M's tokens (lexis's
#      tokenizer, white space left out) with a fake lemma (the token in
#      lower case) and pos (a class from the token's length and first
#      character: a few dozen values), an <s> per line of the text and a
#      <text id="tN" year="…"> per 1,000 lines. Made once; never committed.
#   2. lexis index -P lemma -P pos -S text:0+id+year -S s, best of RUNS
#      (default 3): wall time and peak RSS (bench/timeit.c), index size.
#   3. when CWB is built (/opt/cwb, bash ../shared/peers/cwb/build.sh):
#      cwb-encode -x (entities decoded and comments skipped, as lexis does)
#      with the same declarations, then cwb-makeall, the same way
#      timed (the two added), and the size of CWB's data directory.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
LEXIS=${LEXIS:-$ROOT/lexis}
DATA=$HERE/data
RUNS=${1:-3}
VRT=$DATA/en-100M-ann.vrt
CWB=${CWB:-/opt/cwb}
TMP=${TMPDIR:-/tmp}/lexis-annidx.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

[ -f "$DATA/en-100M.txt" ] || die "no $DATA/en-100M.txt: run bench/corpus.sh first"
[ -x "$LEXIS" ] || die "no $LEXIS: run make first"
mkdir -p "$ROOT/build"
TIMEIT=$ROOT/build/timeit
[ "$TIMEIT" -nt "$HERE/timeit.c" ] || cc -std=c11 -O2 -o "$TIMEIT" "$HERE/timeit.c"

# -- 1. the data ------------------------------------------------------------
if [ ! -s "$VRT" ] || [ "$VRT" -ot "$DATA/en-100M.txt" ] || [ "$VRT" -ot "$0" ]; then
	say "bench: making $VRT"
	# `lexis tokens -k all,space` prints white space escaped (\n): a
	# token holding \n ends the line, so the <s> (and every 1,000 lines the
	# <text>); other white space is dropped.
	"$LEXIS" tokens -k all,space "$DATA/en-100M.txt" | LC_ALL=C awk '
		BEGIN { print "<!-- #vrt positional-attributes: word lemma pos -->"; intext = 0; ins = 0; lines = 0 }
		/^( |\\[ntr]|\\x[0-9A-F][0-9A-F])+$/ {
			if ($0 ~ /\\n/) {
				if (ins) { print "</s>"; ins = 0 }
				if (++lines % 1000 == 0 && intext) { print "</text>"; intext = 0 }
			}
			next
		}
		{
			if (!intext) { n++; printf "<text id=\"t%d\" year=\"%d\">\n", n, 1900 + n % 120; intext = 1 }
			if (!ins) { print "<s>"; ins = 1 }
			c = substr($0, 1, 1)
			k = c ~ /[A-Z]/ ? "U" : c ~ /[a-z]/ ? "L" : c ~ /[0-9]/ ? "D" : "P"
			printf "%s\t%s\t%s%d\n", $0, tolower($0), k, length($0) % 10
		}
		END { if (ins) print "</s>"; if (intext) print "</text>" }' > "$VRT.tmp"
	mv "$VRT.tmp" "$VRT"
fi
printf '%s: %s MB, %s lines\n' "$VRT" "$(mb "$(fsize "$VRT")")" "$(wc -l < "$VRT")"
cat "$VRT" > /dev/null                      # into the page cache

# best RUNS of a command: "seconds rss_mib"
best() {
	local b="" r
	for _ in $(seq "$RUNS"); do
		"$TIMEIT" "$TMP/t" "$1" > /dev/null 2>&1 || die "failed: $1"
		r=$(cat "$TMP/t")
		if [ -z "$b" ] || awk -v a="${r%% *}" -v z="${b%% *}" 'BEGIN { exit !(a < z) }'; then b=$r; fi
	done
	echo "$b" | awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }'
}

# -- 2. lexis ---------------------------------------------------------------
L=$(best "'$LEXIS' index -q -P lemma -P pos -S text:0+id+year -S s '$VRT' -o '$TMP/x.lexis'")
LSIZE=$(fsize "$TMP/x.lexis")
printf 'lexis index:            %s s, peak %s MiB, index %s MB\n' ${L% *} ${L#* } "$(mb "$LSIZE")"

# -- 3. CWB -----------------------------------------------------------------
if [ -x "$CWB/bin/cwb-encode" ]; then
	mkdir -p "$TMP/reg"
	ENC="rm -rf '$TMP/cwb' && mkdir '$TMP/cwb' && '$CWB/bin/cwb-encode' -x -c utf8 -d '$TMP/cwb' -f '$VRT' -R '$TMP/reg/annidx' -P lemma -P pos -S text:0+id+year -S s"
	# each makeall runs on a fresh encoding (it skips what exists)
	BEST=""
	for _ in $(seq "$RUNS"); do
		"$TIMEIT" "$TMP/e" "$ENC" > /dev/null 2>&1 || die "cwb-encode failed"
		"$TIMEIT" "$TMP/m" "'$CWB/bin/cwb-makeall' -r '$TMP/reg' ANNIDX" > /dev/null 2>&1 || die "cwb-makeall failed"
		R=$(awk '{ s += $1; if ($2 > r) r = $2; t[NR] = $1 } END { printf "%.2f %.0f %.2f %.2f\n", s, r / 1024, t[1], t[2] }' "$TMP/e" "$TMP/m")
		if [ -z "$BEST" ] || awk -v a="${R%% *}" -v z="${BEST%% *}" 'BEGIN { exit !(a < z) }'; then BEST=$R; fi
	done
	CSIZE=$(du -sb "$TMP/cwb" | cut -f1)
	set -- $BEST
	printf 'cwb-encode + makeall:   %s s (%s + %s), peak %s MiB, data %s MB\n' "$1" "$3" "$4" "$2" "$(mb "$CSIZE")"
	awk -v l="${L% *}" -v c="$1" 'BEGIN { printf "lexis against cwb-encode + cwb-makeall: %.2fx faster\n", c / l }'
else
	say "bench: no $CWB/bin/cwb-encode (bash ../shared/peers/cwb/build.sh builds it): lexis only"
fi
