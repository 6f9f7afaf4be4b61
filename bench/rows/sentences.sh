# Sentence splitting (issue 4) on mixed English. Goal: `lexis sentences`, as a
# whole process, at least twice as fast as ICU's segmentation alone. Punkt is
# timed on the first 10 MB (it runs near 8 MB/s); compare it by MB/s.

task "sentences en-100M" en-100M.txt
lexis sentences "lexis sentences"     '"$LEXIS" sentences "$FILE"'
peer  icu       "ICU BreakIterator"   '"$PY" "$PEERS/icu_sentences.py" "$FILE"'  self vs=sentences needs=$PY
peer  punkt     "NLTK Punkt, 10 MB"   '"$PY" "$PEERS/nltk_punkt.py" "$FILE"'     self vs=sentences needs=$PY
