#!/usr/bin/env bash
# A differential run of lexis's CQL evaluator against cqp (CWB 3.4.33):
# COUNT random queries (tests/tools/cql-random.py) over VRT, each through
# both; prints every query whose hits differ (match, matchend, and target
# with --target). cqp refusing a query prints as ERR (a loop over tags
# alone: cqp's "infinite loop detected"; lexis runs it).
#   tests/tools/cql-random.sh tests/data/cql/small.vrt SEED COUNT [--target]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VRT=$1 SEED=$2 COUNT=$3 T=${4:-}
CWB=${CWB:-/opt/cwb/bin}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/data" "$W/reg"
"$CWB/cwb-encode" -x -c utf8 -d "$W/data" -f "$VRT" -R "$W/reg/d" -P lemma -P pos -S text:0+id+year -S p:0 -S s:1 2>/dev/null
"$CWB/cwb-makeall" -r "$W/reg" -V D >/dev/null
python3 "$ROOT/tests/tools/cql-random.py" "$SEED" "$COUNT" $T > "$W/q"
cat > "$W/l.lua" <<'L'
local core = require "lexis.core"
local v = assert(core.cql_view(arg[1], { p = { "lemma", "pos" }, s = { "text:0+id+year", "p:0", "s:1" } }))
for q in io.lines(arg[2]) do
  local r = core.cql_run(v, q)
  local rows = {}
  if not r then rows[1] = "ERR" else
    for _, h in ipairs(r:hits()) do
      rows[#rows + 1] = h.start .. " " .. (h["end"] - 1) .. (arg[3] == "--target" and " " .. (h.target or -1) or "")
    end
  end
  print(table.concat(rows, ","))
end
L
"$ROOT/lexis" "$W/l.lua" "$VRT" "$W/q" "$T" > "$W/lexis.out" 2>/dev/null
cols="match, matchend"; [ -n "$T" ] && cols="match, matchend, target"
n=0 diffs=0
while IFS= read -r q; do
  n=$((n + 1))
  c=$(printf 'set PrettyPrint off;\nD;\nA = %s;\ntabulate A %s;\n' "$q" "$cols" | "$CWB/cqp" -c -r "$W/reg" 2>&1)
  if echo "$c" | grep -q "CQP Error\|syntax error\|Warning"; then c=ERR
  else c=$(echo "$c" | awk -F'\t' '$1 ~ /^[0-9]+$/ { s = $1 " " $2; if (NF >= 3) s = s " " $3; print s }' | paste -sd, -); fi
  l=$(sed -n "${n}p" "$W/lexis.out")
  if [ "$c" != "$l" ]; then
    diffs=$((diffs + 1))
    printf 'DIFF: %s\n  cqp:   %.200s\n  lexis: %.200s\n' "$q" "$c" "$l"
  fi
done < "$W/q"
echo "$n queries, $diffs differ"
