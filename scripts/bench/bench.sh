#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: [--kernel test|stock] [--sizes N,N,..] [--runs R] [--secs S] [--quick]
#
# tcpsm's benchmark (make bench): builds tcpsm_bench.ko and loadgen, boots the
# VM once (the test kernel unless told), runs bench-vm.sh there and prints the
# table report.py makes of its figures: medians of R runs with min and max.
# --quick (make check): 1000 connections, one run, no real traffic: the module
# builds, runs and passes its own checks, and no figure is judged.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

kernel=test sizes=1000,100000,1000000 runs=3 secs=3 quick=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--sizes) sizes=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--secs) secs=$2; shift 2 ;;
	--quick) quick=1 sizes=1000 runs=1 secs=0; shift ;;
	*) die "unknown option $1 (see the top of $0)" ;;
	esac
done
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--sizes is a comma list of numbers"

case "$kernel" in
stock) kdir=$("$TCPSM_TOP/scripts/stock-kernel.sh" | sed -n 2p) ;;
test) kdir=$("$TCPSM_TOP/scripts/build-test-kernel.sh") ;;
*) die "--kernel is test or stock" ;;
esac
obj=$(obj_dir obj-bench "$kdir")
mkdir -p "$obj"
cp "$TCPSM_TOP"/scripts/bench/{Kbuild,tcpsm_bench.c} "$obj/"
# The top-level Kbuild's flags, its include path pointed at the tree (see Kbuild).
sed -n '/^ccflags-y/,/^obj-m/p' "$TCPSM_TOP/Kbuild" |
	sed -e '$d' -e 's|\$(src)/module|$(TCPSM_SRC)/module|' >"$obj/flags.mk"
grep -q 'TCPSM_SRC' "$obj/flags.mk" || die "no compiler flags found in $TCPSM_TOP/Kbuild"
log "building tcpsm_bench.ko against $kdir (W=1) and loadgen"
if ! make -C "$kdir" M="$obj" W=1 TCPSM_SRC="$TCPSM_TOP" modules >"$obj/build.log" 2>&1; then
	cat "$obj/build.log" >&2
	die "benchmark module build failed"
fi
grep -E 'warning:|WARNING:' "$obj/build.log" >&2 && die "benchmark module build has warnings"
gcc -O2 -Wall -Wextra -Werror -o "$obj/loadgen" "$TCPSM_TOP/scripts/bench/loadgen.c"

console=$obj/console.log
# generous: the test kernel pushes about 10^4 segments a second under TCG
limit=$((900 + ${sizes//,/+} * runs * 18 / 1000 + runs * secs * 16 * 4))
[ "$kernel" = test ] && limit=$((limit * 4))
log "VM: $kernel kernel, sizes $sizes, $runs runs, real traffic ${secs}s per figure"
"$TCPSM_TOP/scripts/vm-run.sh" --kernel "$kernel" --mem 4096 --timeout "$limit" \
	--log "$console" -- "$TCPSM_TOP/scripts/bench/bench-vm.sh" "$obj" "$sizes" "$runs" "$secs" \
	>/dev/null || {
	grep '^BENCH FAILED' "$console" >&2
	die "benchmark run failed (console: $console)"
}
args=(--kernel "$kernel")
[ $quick -eq 1 ] && args+=(--quick)
python3 "$TCPSM_TOP/scripts/bench/report.py" "${args[@]}" "$console"
