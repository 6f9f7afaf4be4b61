# bench/peers/counter.py FILE: the word list as a Python user writes it (issue 3),
# collections.Counter(re.findall(r"\w+", text.lower())); timed as a whole process.
import collections
import re
import sys

with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    text = f.read()
counts = collections.Counter(re.findall(r"\w+", text.lower()))
print(len(counts), "types", sum(counts.values()), "tokens")
