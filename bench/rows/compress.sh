# Compressed input (issue 15): a .gz file is decompressed by a thread of
# lexis while the other counts. Goal: `lexis freq x.gz` at least as fast as
# `zcat x.gz | lexis freq`; the plain file beside them for scale. MB/s is
# of the text (100 MB) in every row, so the rows compare. The .gz is made
# here with gzip -6 (gzip's default) and thrown away with the scratch folder.

GZ=$SCRATCH/en-100M.txt.gz
[ -s "$GZ" ] || gzip -6 -c "$DATA/en-100M.txt" > "$GZ" || die "cannot gzip en-100M"
TEXT_BYTES=$(fsize "$DATA/en-100M.txt")
task "gzip en-100M" "$GZ"
lexis freq-gz    "lexis freq --lower x.gz"        '"$LEXIS" freq --lower "$FILE"'                      bytes="$TEXT_BYTES"
lexis freq-plain "lexis freq --lower x.txt"       '"$LEXIS" freq --lower "$DATA/en-100M.txt"'          bytes="$TEXT_BYTES"
peer  zcat-pipe  "zcat x.gz | lexis freq --lower" 'zcat "$FILE" | "$LEXIS" freq --lower'              bytes="$TEXT_BYTES" vs=freq-gz
peer  zcat       "zcat x.gz > /dev/null"          'zcat "$FILE"'                                       bytes="$TEXT_BYTES" vs=freq-gz
