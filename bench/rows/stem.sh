# Snowball stemming (issue 15): `--stem en` against `--lower` on the same
# text. Each distinct word is stemmed once (src/textfile.c and the word
# reader map a word's forms once each), so the cost should stay a fraction
# of the count's, not grow with the tokens.

task "stem en-100M" en-100M.txt
lexis freq         "lexis freq --lower"     '"$LEXIS" freq --lower "$FILE"'
lexis stem         "lexis freq --stem en"   '"$LEXIS" freq --stem en "$FILE"'
lexis ngrams-lower "lexis ngrams --lower"   '"$LEXIS" ngrams -n 2 --lower --top 10 "$FILE"'
lexis ngrams       "lexis ngrams --stem en" '"$LEXIS" ngrams -n 2 --stem en --top 10 "$FILE"'
