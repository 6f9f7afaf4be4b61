#!/usr/bin/env bash
# bench/serve_load.sh INDEX TEXT CLIENTS MODE SECONDS: one load row of
# bench/rows/serve.sh. Starts `$LEXIS serve INDEX` on a free loopback port
# (after building INDEX from TEXT when it is missing), lets wrk's CLIENTS
# connections ask it for SECONDS (bench/serve_load.lua says what, by MODE),
# stops it with SIGTERM, and prints for bench/run
#   NOTE N req/s; p50 X ms; p99 Y ms; R requests, 0 failed
#   TIME P99_SECONDS 0
# A failed request (an error, a status other than 200, a timeout) fails the
# row, its figures on stderr. MODE same runs a second first, to fill the
# cache of every worker. LEXIS_SERVE_ARGS: more options for the server, to
# try one by hand (e.g. --threads 8).
set -u
index=$1 text=$2 clients=$3 mode=$4 secs=$5
here=$(cd "$(dirname "$0")" && pwd)
LEXIS=${LEXIS:?LEXIS: the binary to measure}

if [ ! -e "$index" ]; then
	"$LEXIS" index -q "$text" -o "$index" || { echo "serve_load: cannot index $text" >&2; exit 1; }
fi
err=$(mktemp)
"$LEXIS" serve "$index" --port 0 ${LEXIS_SERVE_ARGS:-} 2> "$err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$err"' EXIT
url=
for _ in $(seq 300); do
	url=$(grep -o 'http://[^ ]*' "$err" | head -n 1)
	[ -n "$url" ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
[ -n "$url" ] || { echo "serve_load: the server did not start: $(cat "$err")" >&2; exit 1; }

threads=$((clients < 2 ? clients : 2))
load() {
	wrk -t "$threads" -c "$clients" -d "$1" --timeout 30s -s "$here/serve_load.lua" "$url" \
		-- "${DATA:-$here/data}/en-100M.top" "$mode" "$threads"
}
[ "$mode" = same ] && { load 1s > /dev/null || exit 1; }
out=$(load "${secs}s") || { echo "serve_load: wrk failed: $out" >&2; exit 1; }
read -r _ n took failed p50 p99 <<< "$(grep '^LOAD ' <<< "$out")"
[ -n "${p99:-}" ] || { echo "serve_load: no figures from wrk: $out" >&2; exit 1; }
kill -TERM $pid
wait $pid
rc=$?
trap 'rm -f "$err"' EXIT
figures=$(awk -v n="$n" -v t="$took" -v f="$failed" -v a="$p50" -v b="$p99" \
	'BEGIN { printf "%.1f req/s; p50 %.1f ms; p99 %.1f ms; %d requests, %d failed", n / t, a, b, n, f }')
if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then
	echo "serve_load: $figures; the server exited $rc: $(tail -n 3 "$err")" >&2
	exit 1
fi
echo "NOTE $figures"
awk -v b="$p99" 'BEGIN { printf "TIME %.6f 0\n", b / 1000 }'
