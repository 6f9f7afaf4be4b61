# N-grams, collocations and keyness (issue 6). Goals: trigram counting 10x
# faster than Python's Counter(zip(...)) over pre-split words, memory shown;
# collocates of WORD (about 100,000 hits), window 5/5, under a second with the
# index; keyness of the Bible against the rest of the corpus under a second.
# The index comes from rows/kwic.sh when it ran first (it does: files run in
# name order); the lexis option names here are a guess until issue 6 lands.

task "ngrams en-100M" en-100M.txt
lexis ngrams    "lexis ngrams -n 3"   '"$LEXIS" ngrams -n 3 "$FILE"'
peer  trigrams  "Python Counter(zip)" '"$PY" "$PEERS/trigrams.py" "$FILE"' self vs=ngrams needs=$PY

task "collocates en-100M" en-100M.txt
lexis coll      "lexis collocates WORD"       '"$LEXIS" collocates "$WORD" "$FILE"'
lexis coll-idx  "lexis collocates WORD INDEX" '"$LEXIS" collocates "$WORD" "$SCRATCH/en-100M.lexis"' bytes=- after=index

task "keywords kjv" kjv.txt
warm "$DATA/en-rest.txt"
lexis keywords  "lexis keywords KJV --ref REST" '"$LEXIS" keywords "$FILE" --ref "$DATA/en-rest.txt"'
