#!/bin/sh
# Builds Lua 5.4 from Debian's source package into OUT/liblua.a with the
# given compiler flags (the sanitizer build passes -fsanitize=... and
# -DLUA_USE_APICHECK, which only takes effect when Lua itself is compiled
# with it). Usage: tools/lua-from-source.sh OUT "CFLAGS"
# Exits 1, leaving nothing half-made, when the source cannot be fetched.
set -eu
out=$1
flags=$2
[ -f "$out/liblua.a" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$work/sources
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" > "$list"
chmod 755 "$work"    # apt's download user must reach it
apt_opts="-o Dir::Etc::SourceList=$list -o Dir::Etc::SourceParts=/dev/null -qq"
sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get $apt_opts update >/dev/null 2>&1 || true
(cd "$work" && apt-get $apt_opts source --download-only lua5.4 >/dev/null 2>&1) || {
  echo "lua-from-source: cannot fetch Debian's lua5.4 source" >&2; exit 1; }
tar -xzf "$work"/lua5.4_*.orig.tar.gz -C "$work"
src=$(find "$work" -maxdepth 3 -type d -name src -path '*lua*' | head -n 1)
mkdir -p "$work/obj"
for f in "$src"/*.c; do
  case $(basename "$f") in lua.c|luac.c) continue ;; esac
  ${CC:-cc} $flags -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -c -o "$work/obj/$(basename "$f" .c).o" "$f"
done
mkdir -p "$out/include"
ar rcs "$work/liblua.a" "$work"/obj/*.o
cp "$src"/lua.h "$src"/luaconf.h "$src"/lualib.h "$src"/lauxlib.h "$out/include/"
mv "$work/liblua.a" "$out/liblua.a"
echo "  LUA   $out/liblua.a (from Debian's source, with: $flags)"
