# bench/lib.sh: helpers shared by bench/corpus.sh and bench/run (sourced, POSIX sh).

# say MSG…: progress on stderr, so stdout stays the result.
say() { printf '%s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# have_pkg PKG: is the Debian package installed?
have_pkg() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' ok installed$'
}

# as_root CMD…: run CMD as root: directly when we are root, through sudo otherwise.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else say "bench: need root (or sudo) for: $*"; return 1
	fi
}

# apt_known PKG: does the archive have PKG? (apt-get update runs once if the
# package lists look stale, as they are on a fresh machine.)
APT_UPDATED=
apt_known() {
	if ! apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'; then
		[ -n "$APT_UPDATED" ] && return 1
		APT_UPDATED=1
		say "bench: apt-get update"
		as_root apt-get update -qq >&2 || return 1
		apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
	fi
}

# need_pkgs PKG…: install those of PKG… that are missing, in one apt-get call.
# A package the archive does not have is skipped with a note (callers pass
# only optional packages that may be absent, e.g. manpages-el); failure to
# install returns 1.
need_pkgs() {
	missing=
	for p in "$@"; do
		have_pkg "$p" && continue
		if apt_known "$p"; then missing="$missing $p"
		else say "bench: no Debian package $p here; skipping it"
		fi
	done
	[ -z "$missing" ] && return 0
	say "bench: installing$missing"
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $missing >&2 </dev/null
}

# fsize FILE: size in bytes.
fsize() { stat -Lc %s "$1"; }

# mb BYTES: bytes as decimal megabytes, one decimal.
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
