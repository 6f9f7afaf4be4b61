# Tokenizing and word lists (issue 3), on mixed English, the multilingual
# corpus and the Bible. Goals: `lexis freq --lower` no slower than wc -w and
# 10x faster than the pipeline and Python; `lexis tokens --count` 3x faster
# than u8_wordbreaks; freq's peak RSS on 1 GB under 64 MB more than on 100 MB.

for name in en-100M multi-20M kjv; do
	task "tokenize $name" "$name.txt"
	lexis tokens     "lexis tokens --count" '"$LEXIS" tokens --count "$FILE"'
	lexis freq       "lexis freq --lower"   '"$LEXIS" freq --lower "$FILE"'
	peer  wc         "wc -w"                'wc -w "$FILE"'                      vs=freq
	peer  wordbreaks "u8_wordbreaks"        '"$BUILD/wordbreaks" "$FILE"'        vs=tokens
	peer  pipeline   "tr|sort|uniq -c"      'LC_ALL=C tr -cs "[:alpha:]" "\n" < "$FILE" | tr A-Z a-z | sort | uniq -c | sort -rn' vs=freq
	peer  counter    "Python Counter"       '"$PY" "$PEERS/counter.py" "$FILE"' vs=freq needs=$PY
done

# Chinese and Japanese are cut into words by ICU's dictionaries (src/dictseg.c):
# lexis's whole run against ICU's word segmentation alone on the same file.
task "tokenize multi-20M (ICU)" multi-20M.txt
lexis tokens     "lexis tokens --count" '"$LEXIS" tokens --count "$FILE"'
peer  icu        "ICU word BreakIterator" '"$PY" "$PEERS/icu_words.py" "$FILE"' self vs=tokens needs=$PY

task "tokenize en-1G" en-1G.txt full
lexis freq       "lexis freq --lower"   '"$LEXIS" freq --lower "$FILE"'
peer  wc         "wc -w"                'wc -w "$FILE"'                      vs=freq
