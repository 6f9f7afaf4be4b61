#!/usr/bin/env bash
# Regenerates the hits cqp (CWB 3.4.33) gives for the CQL test queries, kept
# as data so that `make test` needs no CWB (tests/cqlrun_spec.lua compares
# lexis with them hit for hit).
#
#   tests/tools/cql-expected.sh            (needs cwb-encode, cwb-makeall, cqp:
#                                           bash ../shared/peers/cwb/build.sh)
#
# For every tests/data/cql/NAME.vrt: encoded with word, lemma, pos and the
# regions text (id, year), p and s (s nested one level: s, s1), then every
# query of tests/data/cql/queries.txt and of NAME.queries if there is one
# (one a line; # starts a comment) run
# through cqp. Writes tests/data/cql/expected/NAME.tsv: for each query a
# line "Q<TAB>query<TAB>hits" (hits "error" when cqp refuses the query),
# then one line a hit: match<TAB>matchend<TAB>target (cqp's positions:
# matchend is the last token, target -1 when none).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../data/cql" && pwd)
CWB=${CWB:-/opt/cwb/bin}
for t in cwb-encode cwb-makeall cqp; do
  [ -x "$CWB/$t" ] || { echo "cql-expected.sh: $CWB/$t missing (build CWB first)" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/reg" "$HERE/expected"
for vrt in "$HERE"/*.vrt; do
  name=$(basename "$vrt" .vrt)
  id=$(echo "$name" | tr 'a-z-' 'A-Z_')
  lower=$(echo "$id" | tr 'A-Z' 'a-z')
  mkdir -p "$WORK/data/$lower"
  "$CWB/cwb-encode" -x -c utf8 -d "$WORK/data/$lower" -f "$vrt" -R "$WORK/reg/$lower" \
    -P lemma -P pos -S text:0+id+year -S p:0 -S s:1 2>"$WORK/encode.log" \
    || { cat "$WORK/encode.log" >&2; exit 1; }
  "$CWB/cwb-makeall" -r "$WORK/reg" -V "$id" >/dev/null
  out="$HERE/expected/$name.tsv"
  : > "$out.tmp"
  while IFS= read -r q || [ -n "$q" ]; do
    case "$q" in ''|'#'*) continue ;; esac
    cols="match, matchend"
    case "$q" in *@*) cols="match, matchend, target" ;; esac
    res=$(printf 'set PrettyPrint off;\n%s;\nA = %s;\ntabulate A %s;\n' "$id" "$q" "$cols" \
          | "$CWB/cqp" -c -r "$WORK/reg" 2>&1 | grep -v '^CQP version' || true)
    if echo "$res" | grep -q 'CQP Error\|syntax error\|^Warning\|CQP Syntax'; then
      printf 'Q\t%s\terror\n' "$q" >> "$out.tmp"
      continue
    fi
    rows=$(echo "$res" | awk -F'\t' 'NF >= 2 && $1 ~ /^[0-9]+$/ { print $1 "\t" $2 "\t" (NF >= 3 ? $3 : -1) }')
    n=$(printf '%s' "$rows" | grep -c . || true)
    printf 'Q\t%s\t%s\n' "$q" "$n" >> "$out.tmp"
    [ -n "$rows" ] && printf '%s\n' "$rows" >> "$out.tmp"
  done < <(cat "$HERE/queries.txt" "$HERE/$name.queries" 2>/dev/null)
  mv "$out.tmp" "$out"
  echo "$out: $(grep -c '^Q' "$out") queries"
done
