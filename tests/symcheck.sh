#!/bin/sh
# Check that a freestanding archive needs nothing from the environment but
# memcpy, memmove, memset and memcmp: link every member into one relocatable
# object and list what is still undefined.
# usage: symcheck.sh ARCHIVE [CROSS_COMPILE]
set -eu
lib=$1
cross=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${cross}ld" -r --whole-archive "$lib" -o "$tmp/all.o"
undef=$("${cross}nm" -u "$tmp/all.o" | awk '{print $2}' |
	grep -v -x -e memcpy -e memmove -e memset -e memcmp || true)
if [ -n "$undef" ]; then
	echo "symcheck: $lib needs symbols a kernel does not provide:" >&2
	echo "$undef" >&2
	exit 1
fi
echo "symcheck: $lib needs only: $("${cross}nm" -u "$tmp/all.o" | awk '{print $2}' | tr '\n' ' ')"
