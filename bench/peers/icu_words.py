# bench/peers/icu_words.py FILE: ICU's word BreakIterator (PyICU, Debian
# python3-icu) over FILE, the segmenter lexis uses for Chinese, Japanese,
# Thai ... (src/dictseg.c); times the segmentation alone.
#
# Start-up, reading, UTF-8 decoding and the copy into ICU's UTF-16 string are
# outside the clock; counting the segments is inside. Bad bytes decode to
# U+FFFD. Last line: TIME SECONDS BYTES.
import sys
import time

import icu

path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
ustr = icu.UnicodeString(data.decode("utf-8", errors="replace"))
bi = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())

t0 = time.perf_counter()
bi.setText(ustr)
n = 0
for _ in bi:
    n += 1
secs = time.perf_counter() - t0

print(n, "segments")
print("TIME", f"{secs:.6f}", len(data))
