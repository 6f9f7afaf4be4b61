# bench/peers/trigrams.py FILE: trigram counts in Python (issue 6),
# Counter(zip(w, w[1:], w[2:])) over words split beforehand.
#
# Only the counting is timed: reading, decoding and text.split() are outside
# the clock. Last line: TIME SECONDS BYTES.
import collections
import sys
import time

path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
w = data.decode("utf-8", errors="replace").split()

t0 = time.perf_counter()
counts = collections.Counter(zip(w, w[1:], w[2:]))
secs = time.perf_counter() - t0

print(len(counts), "trigram types")
print("TIME", f"{secs:.6f}", len(data))
