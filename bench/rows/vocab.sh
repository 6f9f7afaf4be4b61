# A vocabulary of 10 M distinct words (issue 12 item 6): merging the threads'
# tables once took minutes here, against 3 s on one thread. Goal: lexis freq
# on every core within 1.5x of --threads 1. The text is made at bench time
# (w0 w1 ... w9999999, 16 a line, every fifth word past the 16 bytes a slot
# holds; about 150 MB in /tmp, made once). The --threads 1 row is entered as
# a peer only so that the table prints the ratio of the two.

VOCAB=/tmp/lexis-bench-vocab-10M.txt
if [ ! -s "$VOCAB" ]; then
	say "making $VOCAB"
	awk 'BEGIN { for (i = 0; i < 10000000; i++)
		printf "w%d%s%s", i, (i % 5 == 0 ? "_longer_than_a_slot" : ""), (i % 16 == 15 ? "\n" : " ") }' > "$VOCAB.tmp" &&
		mv "$VOCAB.tmp" "$VOCAB"
fi

task "freq 10M distinct words" "$VOCAB"
lexis vocab    "lexis freq (every core)"  '"$LEXIS" freq "$FILE"'
lexis vocab4   "lexis freq --threads 4"   '"$LEXIS" freq --threads 4 "$FILE"'
peer  vocab1   "lexis freq --threads 1"   '"$LEXIS" freq --threads 1 "$FILE"' vs=vocab,vocab4
