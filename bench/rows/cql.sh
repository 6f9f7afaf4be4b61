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
