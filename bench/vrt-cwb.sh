#!/bin/sh
# bench/vrt-cwb.sh: what cwb-encode makes of the hand-written .vrt files of
# tests/data/vrt/, kept beside them as NAME.cwb (tokens, then regions with
# their positions and values), so tests/vrt_spec.lua checks the reader's
# events against CWB's without needing CWB. Run it again when a case or
# file changes. Needs CWB 3.4.33 (../shared/peers/cwb/build.sh installs it
# in /opt/cwb; CWB_BIN= elsewhere).
#
# A case: the file, cwb-encode's flags, and the options the reader needs to
# read it the same way (after "|"). cwb-encode writes __UNDEF__ for a
# missing value, which the reader gives as an empty one: the .cwb file
# says "". Regions are CWB's s-attributes: a nested level N of s is "sN",
# an attribute key of text is its own s-attribute "text_key".
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
DATA=$(cd "$HERE/../tests/data/vrt" && pwd)
CWB_BIN=${CWB_BIN:-/opt/cwb/bin}
[ -x "$CWB_BIN/cwb-encode" ] || die "no $CWB_BIN/cwb-encode: run ../shared/peers/cwb/build.sh"
export LC_ALL=C

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

one() {
	name=$1 flags=$2 lexis=$3
	rm -rf "$TMP/data" "$TMP/reg"
	mkdir -p "$TMP/data" "$TMP/reg"
	# shellcheck disable=SC2086  # flags are words
	"$CWB_BIN/cwb-encode" -q -c utf8 -d "$TMP/data" -f "$DATA/$name.vrt" -R "$TMP/reg/c" $flags
	out=$DATA/$name.cwb
	{
		printf '# cwb-encode %s\n' "$flags"
		printf '# lexis %s\n' "$lexis"
		pattrs=$(awk '$1 == "ATTRIBUTE" { printf " -P %s", $2 }' "$TMP/reg/c")
		# shellcheck disable=SC2086
		"$CWB_BIN/cwb-decode" -C -r "$TMP/reg" C $pattrs | sed 's/__UNDEF__//g; s/^/token\t/'
		for s in $(awk '$1 == "STRUCTURE" { print $2 }' "$TMP/reg/c" | sort); do
			"$CWB_BIN/cwb-s-decode" -r "$TMP/reg" C -S "$s" | sed "s/^/region\t$s\t/"
		done
	} > "$out"
	say "bench: $out: $(grep -c '^token' "$out") tokens, $(grep -c '^region' "$out") regions"
}

one nesting "-P pos -S text+id -S s:1 -S a -S b -S pb+n -S q" ""
one basic "-x -P lemma -P pos -S text+id+year -S s" ""
one undeclared "-P pos -S doc -S s" "columns=pad"
one quotes "-x -S text+id+title+src+k" ""
one emptytext "-S text+id+year" ""
