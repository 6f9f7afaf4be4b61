# A corpus of several indexes built apart (issue 14, "Beyond one machine"):
# en-1G cut into four files by lines (split -n l/4), each indexed alone, two
# at a time (xargs -P 2, as GNU parallel would spread them over machines),
# then queried as one corpus. The rows beside them in kwic.sh (kwic1g-idx)
# are the same queries of one index of the whole file. Not with --quick:
# the four builds take a minute.
task "shards en-1G" en-1G.txt full
lexis shards-index "split -n l/4; lexis index each (xargs -P 2)" \
	'split -n l/4 -d "$FILE" "$SCRATCH/en1g-" && ls "$SCRATCH"/en1g-0? | xargs -P 2 -I{} "$LEXIS" index -q {} -o {}.lexis' \
	runs=1
lexis shards-count "lexis kwic WORD 4 SHARDS --count" \
	'"$LEXIS" kwic "$WORD" "$SCRATCH"/en1g-0?.lexis --count' bytes=- runs=3 after=shards-index
lexis shards-sort  "lexis kwic WORD 4 SHARDS --limit 1000 --sort R1" \
	'"$LEXIS" kwic "$WORD" "$SCRATCH"/en1g-0?.lexis --limit 1000 --sort R1' bytes=- runs=3 after=shards-index
lexis shards-colloc "lexis collocates WORD 4 SHARDS --top 50" \
	'"$LEXIS" collocates "$WORD" "$SCRATCH"/en1g-0?.lexis --top 50' bytes=- runs=3 after=shards-index
