#!/bin/sh
# Boot a test kernel under QEMU and judge it by its serial log.
# usage: run.sh PASS|FAIL LOG EXIT_CODE|any QEMU ARGS...
# The kernel prints one "PASS ..." or "FAIL ..." line; x86_64 also ends
# QEMU with a status (isa-debug-exit), arm64 with PSCI SYSTEM_OFF (0).
# A kernel that hangs is killed after 60 s and counts as FAIL.
set -u
want=$1 log=$2 code=$3
shift 3
rm -f "$log"
timeout 60 "$@" -serial "file:$log"
status=$?
sed 's/\r$//' "$log" 2>/dev/null || true
got=$(sed -n 's/\r$//; s/^\(PASS\|FAIL\) .*/\1/p' "$log" 2>/dev/null | tail -1)
[ -n "$got" ] || got=FAIL
[ "$status" = 124 ] && echo "boot: timed out" && got=FAIL
if [ "$got" = PASS ] && [ "$code" != any ] && [ "$status" != "$code" ]; then
	echo "boot: QEMU exit status $status, expected $code"
	got=FAIL
fi
if [ "$got" != "$want" ]; then
	echo "boot: expected $want, got $got ($log)"
	exit 1
fi
echo "boot: $want as expected (QEMU status $status)"
