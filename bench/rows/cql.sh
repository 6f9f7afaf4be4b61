# Frequency breakdowns of CQL hits (issue 14, "Speed and memory"): cqp's
# `count A by lemma` of a frequent query of the Apertium-tagged en-100M
# (bench/data/en-100M.vrt; `[pos="det"] [pos="n"]`: 851,654 hits), against
# `lexis count QUERY INDEX --by lemma`, each over its own index of the same
# .vrt with the same declarations (text:0+id+year, s). Goal: lexis 3x faster
# than cqp. The two index builds run once, for the queries after them (their
# times are a side result; bench/annidx.sh compares builds on its own data).

CWB_BIN=${CWB_BIN:-/opt/cwb/bin}
CQL_Q='[pos="det"] [pos="n"]'
export CQL_Q CWB_BIN

task "cql count en-100M (tagged)" en-100M.vrt
lexis cqlindex  "lexis index (tagged .vrt)" \
	'"$LEXIS" index -q "$FILE" -S text:0+id+year -S s:0 -o "$SCRATCH/en-100M-tagged.lexis"' runs=1 \
	size="$SCRATCH/en-100M-tagged.lexis"
lexis cqlcount  "lexis count '$CQL_Q' INDEX --by lemma" \
	'"$LEXIS" count "$CQL_Q" "$SCRATCH/en-100M-tagged.lexis" --by lemma' bytes=- after=cqlindex
peer  cwbindex  "cwb-encode + cwb-makeall" \
	'mkdir -p "$SCRATCH/cwb/data" "$SCRATCH/cwb/reg" && "$CWB_BIN/cwb-encode" -x -c utf8 -d "$SCRATCH/cwb/data" -f "$FILE" -R "$SCRATCH/cwb/reg/en" -P lemma -P pos -P tags -S text:0+id+year -S s:0 && "$CWB_BIN/cwb-makeall" -r "$SCRATCH/cwb/reg" -V EN >/dev/null' \
	runs=1 needs="$CWB_BIN/cqp" vs=cqlindex size="$SCRATCH/cwb/data"
peer  cqpcount  "cqp: count A by lemma" \
	'printf "set PrettyPrint off;\nEN;\nA = %s;\ncount A by lemma;\n" "$CQL_Q" | "$CWB_BIN/cqp" -c -r "$SCRATCH/cwb/reg"' \
	bytes=- needs="$CWB_BIN/cqp" after=cwbindex vs=cqlcount

# Queries of the same indexes (issue 14: at least cqp's speed; at least 5x
# on repetition or alternation, on region and metadata constraints, and on
# the first 1,000 hits sorted by an attribute). lexis counts with kwic --cql
# --count, cqp with `size`; the sort prints the first 1,000 (to /dev/null).
CQL_REP='[pos="adj"]+ [pos="n"]'
CQL_ALT='("of" "the" | "in" "a") [pos="n"]'
CQL_REG='<s> [word="And"]'
CQL_META='[lemma="say"] :: match.text_id="en-2"'
CQL_SORTQ='[lemma="go"]'
export CQL_REP CQL_ALT CQL_REG CQL_META CQL_SORTQ

task "cql queries en-100M (tagged)" en-100M.vrt
lexis cqlrep   "lexis: repetition, $CQL_REP" '"$LEXIS" kwic --cql "$CQL_REP" "$SCRATCH/en-100M-tagged.lexis" --count' bytes=- after=cqlindex
lexis cqlalt   "lexis: alternation, $CQL_ALT" '"$LEXIS" kwic --cql "$CQL_ALT" "$SCRATCH/en-100M-tagged.lexis" --count' bytes=- after=cqlindex
lexis cqlreg   "lexis: region, $CQL_REG" '"$LEXIS" kwic --cql "$CQL_REG" "$SCRATCH/en-100M-tagged.lexis" --count' bytes=- after=cqlindex
lexis cqlmeta  "lexis: metadata, $CQL_META" '"$LEXIS" kwic --cql "$CQL_META" "$SCRATCH/en-100M-tagged.lexis" --count' bytes=- after=cqlindex
lexis cqlsort  "lexis: first 1,000 of $CQL_SORTQ sorted by lemma@matchend[1]" '"$LEXIS" kwic --cql "$CQL_SORTQ" "$SCRATCH/en-100M-tagged.lexis" --sort "lemma@matchend[1]" --limit 1000 >/dev/null' bytes=- after=cqlindex
peer  cqprep   "cqp: size A (repetition)" 'printf "set PrettyPrint off;\nEN;\nA = %s;\nsize A;\n" "$CQL_REP" | "$CWB_BIN/cqp" -c -r "$SCRATCH/cwb/reg"' bytes=- needs="$CWB_BIN/cqp" after=cwbindex vs=cqlrep
peer  cqpalt   "cqp: size A (alternation)" 'printf "set PrettyPrint off;\nEN;\nA = %s;\nsize A;\n" "$CQL_ALT" | "$CWB_BIN/cqp" -c -r "$SCRATCH/cwb/reg"' bytes=- needs="$CWB_BIN/cqp" after=cwbindex vs=cqlalt
peer  cqpreg   "cqp: size A (region)" 'printf "set PrettyPrint off;\nEN;\nA = %s;\nsize A;\n" "$CQL_REG" | "$CWB_BIN/cqp" -c -r "$SCRATCH/cwb/reg"' bytes=- needs="$CWB_BIN/cqp" after=cwbindex vs=cqlreg
peer  cqpmeta  "cqp: size A (metadata)" 'printf "set PrettyPrint off;\nEN;\nA = %s;\nsize A;\n" "$CQL_META" | "$CWB_BIN/cqp" -c -r "$SCRATCH/cwb/reg"' bytes=- needs="$CWB_BIN/cqp" after=cwbindex vs=cqlmeta
peer  cqpsort  "cqp: sort A by lemma on matchend[1]; cat A 0 999" 'printf "set PrettyPrint off;\nEN;\nA = %s;\nsort A by lemma on matchend[1];\ncat A 0 999;\n" "$CQL_SORTQ" | "$CWB_BIN/cqp" -c -r "$SCRATCH/cwb/reg" >/dev/null' bytes=- needs="$CWB_BIN/cqp" after=cwbindex vs=cqlsort
