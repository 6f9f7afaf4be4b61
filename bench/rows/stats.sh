# N-grams, collocations and keyness (issue 6). Goals: trigram counting 10x
# faster than Python's Counter(zip(...)) over pre-split words, memory shown;
# collocates of WORD (about 100,000 hits), window 5/5, under a second with the
# index, and of "the" (1.3 million hits) with 10/10 windows within 2x of that; keyness of the Bible against the rest of the corpus under a second.
# Python counts trigrams across the whole text and prints nothing, so lexis
# does the same (--across-sentences, --top 10) on both cores (--threads 0).

task "ngrams en-100M" en-100M.txt
lexis ngrams    "lexis ngrams -n 3"   '"$LEXIS" ngrams -n 3 --across-sentences --threads 0 --top 10 "$FILE"'
peer  trigrams  "Python Counter(zip)" '"$PY" "$PEERS/trigrams.py" "$FILE"' self vs=ngrams needs=$PY

task "collocates en-100M" en-100M.txt
lexis coll      "lexis collocates WORD (reads the text)" '"$LEXIS" collocates --top 20 "$WORD" "$FILE"'
lexis coll-index "lexis index (for the row below)" '"$LEXIS" index -q "$FILE" -o "$SCRATCH/coll-100M.lexis"' runs=1 size="$SCRATCH/coll-100M.lexis"
lexis coll-idx  "lexis collocates WORD INDEX" '"$LEXIS" collocates --top 20 "$WORD" "$SCRATCH/coll-100M.lexis"' bytes=- after=coll-index
lexis coll-the  "lexis collocates the --left 10 --right 10 INDEX" '"$LEXIS" collocates --top 20 --left 10 --right 10 the "$SCRATCH/coll-100M.lexis"' bytes=- after=coll-index

task "keywords kjv" kjv.txt
warm "$DATA/en-rest.txt"
lexis keywords  "lexis keywords KJV --ref REST" '"$LEXIS" keywords --lower --top 20 --ref "$DATA/en-rest.txt" -- "$FILE"'
