# lexis serve under load (issue 16), on the index of en-100M (the one the
# kwic rows build, or built here when missing): wrk's connections on the
# loopback address, each asking as soon as its last answer came
# (bench/serve_load.sh, bench/serve_load.lua). The seconds are the p99
# latency; the notes give requests/s, p50 and p99. Every uncached request
# of a row is a new one (another of the 2,000 commonest words, or another
# kind); each row starts its own server (2 worker threads, the default).
# Goals: at 8 clients, throughput at least 90% of what the requests give one
# at a time on two cores, p99 at most 4x the one-client figure; the same
# request repeated under 20 ms at p99.

task "serve en-100M" en-100M.txt
lexis serve-mix1  "lexis serve: 1 client, kwic/freq/collocates, p99" \
	'"$BENCH/serve_load.sh" "$SCRATCH/en-100M.lexis" "$FILE" 1 mix 10' self bytes=- runs=1 needs=wrk
lexis serve-mix8  "lexis serve: 8 clients, kwic/freq/collocates, p99" \
	'"$BENCH/serve_load.sh" "$SCRATCH/en-100M.lexis" "$FILE" 8 mix 20' self bytes=- runs=1 needs=wrk
lexis serve-kwic1 "lexis serve: 1 client, kwic R1 of a new word, p99" \
	'"$BENCH/serve_load.sh" "$SCRATCH/en-100M.lexis" "$FILE" 1 kwic 10' self bytes=- runs=1 needs=wrk
lexis serve-kwic8 "lexis serve: 8 clients, kwic R1 of a new word, p99" \
	'"$BENCH/serve_load.sh" "$SCRATCH/en-100M.lexis" "$FILE" 8 kwic 10' self bytes=- runs=1 needs=wrk
lexis serve-same8 "lexis serve: 8 clients, one kwic repeated (cached), p99" \
	'"$BENCH/serve_load.sh" "$SCRATCH/en-100M.lexis" "$FILE" 8 same 10' self bytes=- runs=1 needs=wrk
