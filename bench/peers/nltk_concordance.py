# bench/peers/nltk_concordance.py FILE WORD: a concordance of every WORD in
# FILE with NLTK, Text(tokens).concordance(WORD), as its book shows (issue 5).
#
# Tokens come from wordpunct_tokenize (word_tokenize needs a downloaded model);
# the clock covers tokenizing, Text() and printing all the lines (to nowhere),
# not start-up or reading. Last line: TIME SECONDS BYTES.
import contextlib
import io
import sys
import time

from nltk.text import Text
from nltk.tokenize import wordpunct_tokenize

path, word = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    data = f.read()
text = data.decode("utf-8", errors="replace")

t0 = time.perf_counter()
sink = io.StringIO()
with contextlib.redirect_stdout(sink):
    Text(wordpunct_tokenize(text)).concordance(word, width=80, lines=sys.maxsize)
secs = time.perf_counter() - t0

print(sink.getvalue().count("\n") - 1, "lines")
print("TIME", f"{secs:.6f}", len(data))
