#!/usr/bin/env bash
# Compares lexis's CQL evaluator with cqp (CWB 3.4.33) on a tagged .vrt
# (default bench/data/kjv.vrt, made by bench/apertium2vrt.lua): every query of
# QUERIES (default: the list below) hit for hit (match, matchend, target), and
# the wall time of each (lexis: kwic --cql --count, the .vrt read into memory
# every time; cqp: the query on the encoded corpus, its start-up included).
#   bench/cql-kjv.sh [VRT]     (needs CWB: bash ../shared/peers/cwb/build.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VRT=${1:-$ROOT/bench/data/kjv.vrt}
CWB=${CWB:-/opt/cwb/bin}
LEXIS=${LEXIS:-$ROOT/lexis}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data" "$WORK/reg"
pattrs=$(sed -n '1s/.*positional-attributes: *\(.*\) *-->.*/\1/p' "$VRT")
popts=""
for a in $pattrs; do [ "$a" = word ] || popts="$popts -P $a"; done
"$CWB/cwb-encode" -x -c utf8 -d "$WORK/data" -f "$VRT" -R "$WORK/reg/q" $popts -S text:0+id+year -S s:0 2>/dev/null
"$CWB/cwb-makeall" -r "$WORK/reg" -V Q >/dev/null
QUERIES=${QUERIES:-$WORK/queries}
cat > "$WORK/queries" <<'Q'
"LORD"
[lemma="god"]
[pos="adj"]+ [pos="n"]
(?longest) [pos="adj"]+ [pos="n"]
(?shortest) [pos="adj"]* [pos="n"]
(?traditional) [pos="adj"]* [pos="n"]
"the" "LORD" | "our" "God"
<s> "And" [pos="det"]
[pos="n"] [lemma="of"] [pos="det"]? [pos="n"] within s
a:[pos="n"] "and" b:[pos="n"] :: a.lemma = b.lemma
"the" @[pos="adj"] [pos="n"]
[lemma="be"] []{0,3} [pos="vblex"] within s
[pos="n"] </s>
"lord" %c
[word="[A-Z].*" & pos!="np"] [pos="np"]+
"the" []* "LORD" within s
Q
cat > "$WORK/dump.lua" <<'L'
local h = assert(require("lexis").cql(arg[1], arg[2]))
local t = arg[3] == "1"
local out = {}
for _, x in ipairs(h) do out[#out + 1] = x.start .. "\t" .. (x["end"] - 1) .. "\t" .. (t and (x.target or -1) or -1) end
if #out > 0 then io.write(table.concat(out, "\n"), "\n") end
L
printf '%-60s %9s %9s %8s %8s\n' query cqp lexis cqp_s lexis_s
fail=0
while IFS= read -r q; do
  cols="match, matchend"
  case "$q" in *@*) cols="match, matchend, target" ;; esac
  t0=$(date +%s.%N)
  printf 'set PrettyPrint off;\nQ;\nA = %s;\ntabulate A %s;\n' "$q" "$cols" | "$CWB/cqp" -c -r "$WORK/reg" 2>/dev/null \
    | awk -F'\t' '$1 ~ /^[0-9]+$/ { print $1 "\t" $2 "\t" (NF >= 3 ? $3 : -1) }' > "$WORK/cqp.tsv"
  t1=$(date +%s.%N)
  "$LEXIS" "$WORK/dump.lua" "$q" "$VRT" "$(case "$q" in *@*) echo 1 ;; esac)" > "$WORK/lexis.tsv"
  t2=$(date +%s.%N)
  same=$(cmp -s "$WORK/cqp.tsv" "$WORK/lexis.tsv" && echo "" || echo " DIFFERENT")
  [ -z "$same" ] || fail=1
  printf '%-60s %9d %9d %8.2f %8.2f%s\n' "${q:0:60}" "$(wc -l < "$WORK/cqp.tsv")" "$(wc -l < "$WORK/lexis.tsv")" \
    "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$same"
done < "$QUERIES"
exit $fail
