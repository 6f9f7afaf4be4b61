# Snowball stemming (issue 15): `freq --stem en` against `freq --lower` on
# the same text. Each distinct word is stemmed once (src/textfile.c maps a
# word's forms at the end of the count), so the cost should stay a fraction
# of the count's, not grow with the tokens.

task "stem en-100M" en-100M.txt
lexis freq       "lexis freq --lower"    '"$LEXIS" freq --lower "$FILE"'
lexis stem       "lexis freq --stem en"  '"$LEXIS" freq --stem en "$FILE"'
lexis ngrams     "lexis ngrams --stem en" '"$LEXIS" ngrams -n 2 --stem en --top 10 "$FILE"'
