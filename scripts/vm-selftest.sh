#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-selftest.sh stock|stock612|test: prove the VM runner fails when it must. A clean
# run passes, a command's exit status comes back, a WARN fails the run and,
# on the test kernel, so do a leak kmemleak finds, a DEBUG_OBJECTS report
# (ODEBUG) and an RCU CPU stall; each failure must name its report. A VM
# that dies while booting gets one more boot, and fails if that dies too.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:-stock}
case "$kernel" in
stock | stock612) kdir=$("$TCPSM_TOP/scripts/stock-kernel.sh" "$kernel" | sed -n 2p) ;;
test) kdir=$("$TCPSM_TOP/scripts/build-test-kernel.sh") ;;
*) die "usage: $0 stock|stock612|test" ;;
esac
obj=$(obj_dir obj-selftest "$kdir")
mkdir -p "$obj"
cp "$TCPSM_TOP"/scripts/vm-selftest/{Kbuild,tcpsm_vm_selftest.c} "$obj/"
make -s -C "$kdir" M="$obj" W=1 modules >"$obj/build.log" 2>&1 ||
	{ cat "$obj/build.log" >&2; die "self-test module build failed"; }
ko=$obj/tcpsm_vm_selftest.ko

pass=0 failed=0
expect() {	# expect WHAT RC [PATTERN] -- vm-run args: PATTERN must be in the report
	local what=$1 want=$2 pat= got=0 out
	shift 2
	[ "$1" != -- ] && { pat=$1; shift; }
	shift
	out=$("$TCPSM_TOP/scripts/vm-run.sh" --kernel "$kernel" --no-build "$@" 2>&1) || got=$?
	if [ -n "$pat" ] && ! grep -qE "$pat" <<<"$(grep -A20 'tcpsm-vm\] FAIL' <<<"$out")"; then
		echo "FAIL $kernel: $what: the runner's report does not name /$pat/"
		grep -A20 'tcpsm-vm\] FAIL\|tcpsm-vm\] .*exit' <<<"$out" | sed 's/^/     /' || :
		failed=$((failed + 1))
	elif { [ "$want" = fail ] && [ $got -ne 0 ]; } || [ "$want" = "$got" ]; then
		echo "ok   $kernel: $what (exit $got)"; pass=$((pass + 1))
	else
		echo "FAIL $kernel: $what: expected $want, got exit $got"; failed=$((failed + 1))
	fi
}

expect "clean run passes" 0 -- -- insmod "$ko" fault=none
expect "command status returned" 3 -- -- sh -c 'exit 3'
expect "WARN fails the run" fail -- -- insmod "$ko" fault=warn
if [ "$kernel" = test ]; then
	expect "kmemleak report fails the run" fail kmemleak -- -- insmod "$ko" fault=leak
	expect "ODEBUG report fails the run" fail ODEBUG -- -- insmod "$ko" fault=odebug
	# the stall timeout (21 s) shortened to 3 s, a 20 s stall: a loaded
	# host slows the detection, an 8 s stall was missed once
	# (one line: the command reaches the VM through %q quoting)
	stall="echo 3 >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout"
	expect "RCU stall fails the run" fail 'rcu.*stall' -- -- sh -c \
		"$stall && insmod $ko fault=stall stall_ms=20000"
fi
# A kernel that dies while booting (16 MB is too little for it to reach
# the console) is booted once more, then the run fails.
got=0
out=$("$TCPSM_TOP/scripts/vm-run.sh" --kernel "$kernel" --no-build --mem 16 -- true 2>&1) || got=$?
if [ $got -ne 0 ] && [ "$(grep -c 'booting again, once' <<<"$out")" -eq 1 ] &&
	grep -q 'stopped before the command finished' <<<"$out"; then
	echo "ok   $kernel: a boot that fails is tried twice, then fails the run (exit $got)"
	pass=$((pass + 1))
else
	echo "FAIL $kernel: a boot that fails: exit $got, the runner said:"
	grep 'tcpsm-vm' <<<"$out" | sed 's/^/     /' || :
	failed=$((failed + 1))
fi
echo "$pass passed, $failed failed"
[ $failed -eq 0 ]
