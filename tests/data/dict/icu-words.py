# tests/data/dict/icu-words.py FILE > FILE.icu: ICU's word segments of each
# line of FILE (white space left out), one a line, an empty line after each
# input line. tests/dictionary_spec.lua compares lexis's tokens with them;
# run again (Debian's python3-icu) when a text changes.
import sys
import icu

words = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
for line in open(sys.argv[1], encoding="utf-8"):
    text = icu.UnicodeString(line.rstrip("\n"))
    words.setText(text)
    start = words.first()
    for end in words:
        piece = str(text[start:end])
        start = end
        if piece.strip():
            print(piece)
    print()
