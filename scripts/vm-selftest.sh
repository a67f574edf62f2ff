#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-selftest.sh stock|test: prove the VM runner fails when it must. A clean
# run passes, a command's exit status comes back, a WARN fails the run and,
# on the test kernel, so does a leak kmemleak finds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:-stock}
case "$kernel" in
stock) kdir=$("$TCPSM_TOP/scripts/stock-kernel.sh" | sed -n 2p) ;;
test) kdir=$("$TCPSM_TOP/scripts/build-test-kernel.sh") ;;
*) die "usage: $0 stock|test" ;;
esac
obj=$TCPSM_CACHE/obj-selftest/$(echo "$kdir" | sha256sum | cut -c1-12)
mkdir -p "$obj"
cp "$TCPSM_TOP"/scripts/vm-selftest/{Kbuild,tcpsm_vm_selftest.c} "$obj/"
make -s -C "$kdir" M="$obj" W=1 modules >"$obj/build.log" 2>&1 ||
	{ cat "$obj/build.log" >&2; die "self-test module build failed"; }
ko=$obj/tcpsm_vm_selftest.ko

pass=0 failed=0
expect() {	# expect WHAT RC -- vm-run args
	local what=$1 want=$2 got=0
	shift 3
	"$TCPSM_TOP/scripts/vm-run.sh" --kernel "$kernel" --no-build "$@" >/dev/null 2>&1 || got=$?
	if { [ "$want" = fail ] && [ $got -ne 0 ]; } || [ "$want" = "$got" ]; then
		echo "ok   $kernel: $what (exit $got)"; pass=$((pass + 1))
	else
		echo "FAIL $kernel: $what: expected $want, got exit $got"; failed=$((failed + 1))
	fi
}

expect "clean run passes" 0 -- -- insmod "$ko" fault=none
expect "command status returned" 3 -- -- sh -c 'exit 3'
expect "WARN fails the run" fail -- -- insmod "$ko" fault=warn
if [ "$kernel" = test ]; then
	expect "kmemleak report fails the run" fail -- -- insmod "$ko" fault=leak
fi
echo "$pass passed, $failed failed"
[ $failed -eq 0 ]
