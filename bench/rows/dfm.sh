# The document-feature matrix (issue 17): lexis dfm over en-100M cut into
# 1,000 documents, against scikit-learn's CountVectorizer (python3-sklearn)
# over the tokens lexis finds in them (lexis tokens --lower, words and
# numbers, one file per document), with an identity analyzer: both count the
# same tokens, and the peer checks that the two matrices have the same shape,
# non-zero cells and total. The peer times fit_transform only (self-timed);
# lexis's time is the whole command, reading and tokenizing the text and
# writing the three files.
#
# The 1,000 documents (split -n l/1000, cut at line ends) and their token
# files are made here once, in /tmp (about 100 MB each), and remade when
# en-100M changes.

DFM_DOCS=/tmp/lexis-bench-dfm-1000
DFM_TOKENS=$DFM_DOCS.tokens
export DFM_DOCS DFM_TOKENS
dfm_src=$DATA/en-100M.txt
dfm_stamp="$(fsize "$dfm_src") 1000 recipe 1"
if [ "$(cat "$DFM_DOCS/.stamp" 2>/dev/null)" != "$dfm_stamp" ] ||
	[ "$(cat "$DFM_TOKENS/.stamp" 2>/dev/null)" != "$dfm_stamp" ]; then
	say "making $DFM_DOCS (en-100M in 1,000 documents) and their tokens"
	rm -rf "$DFM_DOCS" "$DFM_TOKENS" "$DFM_DOCS.tmp" "$DFM_TOKENS.tmp"
	mkdir -p "$DFM_DOCS.tmp" "$DFM_TOKENS.tmp"
	(cd "$DFM_DOCS.tmp" && split -n l/1000 -a 3 -d "$dfm_src" doc.) || die "dfm: split failed"
	for f in "$DFM_DOCS.tmp"/doc.*; do
		"$LEXIS" tokens --lower -k word,number "$f" > "$DFM_TOKENS.tmp/${f##*/}" ||
			die "dfm: lexis tokens $f failed"
	done
	echo "$dfm_stamp" > "$DFM_DOCS.tmp/.stamp"
	echo "$dfm_stamp" > "$DFM_TOKENS.tmp/.stamp"
	mv "$DFM_DOCS.tmp" "$DFM_DOCS" && mv "$DFM_TOKENS.tmp" "$DFM_TOKENS"
fi

task "dfm en-100M in 1,000 documents" en-100M.txt
warm "$DFM_DOCS"/doc.* "$DFM_TOKENS"/doc.*
lexis dfm       "lexis dfm --lower (1,000 files)" '"$LEXIS" dfm --lower -o "$SCRATCH/dfm-100M" "$DFM_DOCS"'
peer  countvec  "Python CountVectorizer over lexis tokens" '"$PY" "$PEERS/countvectorizer.py" "$DFM_TOKENS" "$BYTES" "$SCRATCH/dfm-100M.mtx"' self vs=dfm needs=$PY after=dfm
