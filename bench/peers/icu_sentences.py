# bench/peers/icu_sentences.py FILE: ICU's sentence BreakIterator (PyICU, Debian
# python3-icu) over FILE (issue 4); times the segmentation alone.
#
# Start-up, reading, UTF-8 decoding and the copy into ICU's UTF-16 string are
# outside the clock. Bad bytes decode to U+FFFD. Last line: TIME SECONDS BYTES.
import sys
import time

import icu

path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
ustr = icu.UnicodeString(data.decode("utf-8", errors="replace"))
bi = icu.BreakIterator.createSentenceInstance(icu.Locale("en_US"))

t0 = time.perf_counter()
bi.setText(ustr)
n = 0
for _ in bi:
    n += 1
secs = time.perf_counter() - t0

print(n, "sentences")
print("TIME", f"{secs:.6f}", len(data))
