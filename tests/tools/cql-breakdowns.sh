#!/usr/bin/env bash
# Regenerates what cqp (CWB 3.4.33) gives for the breakdowns and sorts of
# tests/data/cql/breakdowns.txt (on small.vrt, nested.vrt, synth.vrt) and
# tests/data/cql/kjv.breakdowns (on bench/data/kjv.vrt, its first 100 rows),
# kept as data so that `make test` needs no CWB (tests/count_spec.lua
# compares lexis count and kwic --sort with them row for row).
#
#   tests/tools/cql-breakdowns.sh      (needs cwb-encode, cwb-makeall, cqp:
#                                       bash ../shared/peers/cwb/build.sh)
#
# Writes tests/data/cql/expected/NAME.breakdowns.tsv: for each case a line
# "C<TAB>what<TAB>query<TAB>cqp command<TAB>keys<TAB>rows", then its rows:
#   count   string<TAB>freq            (cqp's count by, without its first-line column)
#   group   value[<TAB>value]<TAB>freq (cqp's own order of columns)
#   sort    match<TAB>matchend         (cqp's positions; matchend is the last token)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/data/cql
CWB=${CWB:-/opt/cwb/bin}
for t in cwb-encode cwb-makeall cqp; do
  [ -x "$CWB/$t" ] || { echo "cql-breakdowns.sh: $CWB/$t missing (build CWB first)" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/reg" "$HERE/expected"

# one VRT NAME CASES MAX: encode VRT as corpus NAME, run every case of CASES
# (MAX: keep the first MAX rows, 0 all)
one() {
  local vrt=$1 name=$2 cases=$3 max=$4
  local id lower pattrs popts=""
  id=$(echo "$name" | tr 'a-z-' 'A-Z_')
  lower=$(echo "$id" | tr 'A-Z' 'a-z')
  mkdir -p "$WORK/data/$lower"
  pattrs=$(sed -n '1s/.*positional-attributes: *\(.*\) *-->.*/\1/p' "$vrt")
  for a in $pattrs; do [ "$a" = word ] || popts="$popts -P $a"; done
  # shellcheck disable=SC2086  # flags are words
  "$CWB/cwb-encode" -x -c utf8 -d "$WORK/data/$lower" -f "$vrt" -R "$WORK/reg/$lower" \
    $popts -S text:0+id+year -S p:0 -S s:1 2>"$WORK/encode.log" || { cat "$WORK/encode.log" >&2; exit 1; }
  "$CWB/cwb-makeall" -r "$WORK/reg" -V "$id" >/dev/null
  local out="$HERE/expected/$name.breakdowns.tsv"
  : > "$out.tmp"
  while IFS=$'\t' read -r what q cmd keys || [ -n "$what" ]; do
    case "$what" in ''|'#'*) continue ;; esac
    local script range=""
    [ "$max" -gt 0 ] && range="0 $((max - 1)) "
    case "$what" in
      sort) script="sort A $cmd; tabulate A ${range}match, matchend;" ;;
      *) script="$what A $cmd;" ;;
    esac
    res=$(printf 'set PrettyPrint off;\n%s;\nA = %s;\n%s\n' "$id" "$q" "$script" \
          | "$CWB/cqp" -c -r "$WORK/reg" 2>&1 | grep -v '^CQP version' || true)
    if echo "$res" | grep -q 'CQP Error\|syntax error\|^Warning\|CQP Syntax'; then
      echo "cql-breakdowns.sh: $name: cqp refuses: $what $q $cmd: $res" >&2
      exit 1
    fi
    case "$what" in
      count) rows=$(printf '%s\n' "$res" | awk -F'\t' 'NF == 3 { print $3 "\t" $1 }') ;;
      *) rows=$(printf '%s\n' "$res" | grep . || true) ;;
    esac
    [ "$max" -gt 0 ] && rows=$(printf "%s\n" "$rows" | awk -v m="$max" "NR <= m")
    n=$(printf '%s' "$rows" | grep -c '' || true)
    printf 'C\t%s\t%s\t%s\t%s\t%s\n' "$what" "$q" "$cmd" "$keys" "$n" >> "$out.tmp"
    [ -n "$rows" ] && printf '%s\n' "$rows" >> "$out.tmp"
  done < "$cases"
  mv "$out.tmp" "$out"
  echo "$out: $(grep -c '^C	[a-z]*	' "$out") cases"
}

for name in small nested synth; do
  one "$HERE/$name.vrt" "$name" "$HERE/breakdowns.txt" 0
done
KJV=${KJV:-$ROOT/bench/data/kjv.vrt}
if [ -f "$KJV" ]; then
  one "$KJV" kjv "$HERE/kjv.breakdowns" 100
else
  echo "cql-breakdowns.sh: no $KJV (bench/apertium2vrt.lua makes it): the KJV cases kept as they were" >&2
fi
