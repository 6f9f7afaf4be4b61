# bench/peers/nltk_punkt.py FILE [MAXBYTES]: NLTK's Punkt sentence splitter,
# untrained (PunktSentenceTokenizer(), no downloaded model), over the first
# MAXBYTES of FILE (default 10,000,000, cut at a line end) (issue 4).
#
# Times the splitting alone (start-up, reading and decoding are outside the
# clock); compare it by MB/s. Last line: TIME SECONDS BYTES.
import sys
import time

from nltk.tokenize.punkt import PunktSentenceTokenizer

path = sys.argv[1]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
with open(path, "rb") as f:
    data = f.read(limit)
if len(data) == limit and b"\n" in data:
    data = data[: data.rindex(b"\n") + 1]
text = data.decode("utf-8", errors="replace")
punkt = PunktSentenceTokenizer()

t0 = time.perf_counter()
n = sum(1 for _ in punkt.span_tokenize(text))
secs = time.perf_counter() - t0

print(n, "sentences")
print("TIME", f"{secs:.6f}", len(data))
