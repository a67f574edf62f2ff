#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: [--kernel stock|test] [--sizes N,N,..] [--runs R] [--rounds N]
#        [--figure-secs S] [--quick] [--baseline REF]
#
# tcpsm's benchmark (make bench): builds tcpsm_bench.ko and loadgen, boots the
# VM once (the stock kernel unless told: the targets are about it; the debug
# test kernel is 10 to 100 times slower), runs bench-vm.sh there and prints
# the tables report.py makes of its figures: medians of R runs (3) at each
# size (10^3, 10^5, 10^6 connections), with min and max, each target and
# whether it is met. And real traffic: N rounds (16), each the four
# configurations in turn (no tracking, tcpsm, nf_conntrack, both), every
# figure a fixed number of transactions, about S seconds (1) with no
# tracking; the report gives each overhead with a 95% confidence interval.
# --rounds 0 leaves out the real traffic and the events.
# --quick (make check): the test kernel unless told, 1000 connections, one
# run, no real traffic: the module builds, runs and passes its own checks,
# and no figure is judged.
# --baseline REF (a git commit-ish): also build tcpsm_bench.ko from REF's
# module sources (git archive into the cache; the working tree is not
# touched), with this tree's tcpsm_bench.c if it builds there W=1 clean, else
# with REF's own. In the same boot the synthetic runs then alternate between
# the two modules (they cannot be loaded together), and the report sets REF's
# figures beside the current ones.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

kernel='' sizes=1000,100000,1000000 runs=3 rounds=16 fsecs=1 quick=0 baseline=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--sizes) sizes=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--figure-secs) fsecs=$2; shift 2 ;;
	--quick) quick=1 sizes=1000 runs=1 rounds=0; shift ;;
	--baseline) baseline=$2; shift 2 ;;
	*) die "unknown option $1 (see the top of $0)" ;;
	esac
done
# --quick is make check's smoke run, on the kernel with the debug options
[ -n "$kernel" ] || kernel=$([ $quick -eq 1 ] && echo test || echo stock)
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--sizes is a comma list of numbers"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs is a number, at least 1"
[[ $rounds =~ ^[0-9]+$ ]] || die "--rounds is a number"
[[ $fsecs =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--figure-secs is a number of seconds"

case "$kernel" in
stock) kdir=$("$TCPSM_TOP/scripts/stock-kernel.sh" | sed -n 2p) ;;
test) kdir=$("$TCPSM_TOP/scripts/build-test-kernel.sh") ;;
*) die "--kernel is test or stock" ;;
esac
# build_bench OBJ SRC BENCH: tcpsm_bench.ko in OBJ, from the module sources of
# the tree SRC (its top-level Kbuild's flags, its include path pointed at SRC:
# see scripts/bench/Kbuild) and the benchmark sources in the folder BENCH.
# Fails, its log in OBJ/build.log, if the build fails or warns (W=1).
build_bench() {
	local obj=$1 src=$2 bsrc=$3
	mkdir -p "$obj"
	cp "$bsrc"/{Kbuild,tcpsm_bench.c} "$obj/"
	sed -n '/^ccflags-y/,/^obj-m/p' "$src/Kbuild" |
		sed -e '$d' -e 's|\$(src)/module|$(TCPSM_SRC)/module|' >"$obj/flags.mk"
	grep -q 'TCPSM_SRC' "$obj/flags.mk" || die "no compiler flags found in $src/Kbuild"
	make -C "$kdir" M="$obj" W=1 TCPSM_SRC="$src" modules >"$obj/build.log" 2>&1 &&
		! grep -qE 'warning:|WARNING:' "$obj/build.log"
}

obj=$(obj_dir obj-bench "$kdir")
log "building tcpsm_bench.ko against $kdir (W=1) and loadgen"
if ! build_bench "$obj" "$TCPSM_TOP" "$TCPSM_TOP/scripts/bench"; then
	cat "$obj/build.log" >&2
	die "benchmark module build failed or has warnings"
fi

base_obj=
if [ -n "$baseline" ]; then
	[ $quick -eq 0 ] || die "--baseline does not go with --quick"
	commit=$(git -C "$TCPSM_TOP" rev-parse --verify --quiet "$baseline^{commit}") ||
		die "--baseline $baseline: not a commit of $TCPSM_TOP"
	# REF's sources, once per commit: a commit's tree never changes.
	bsrc=$TCPSM_CACHE/baseline-src/$commit
	if [ ! -d "$bsrc" ]; then
		rm -rf "$bsrc.tmp"
		mkdir -p "$bsrc.tmp"
		git -C "$TCPSM_TOP" archive "$commit" module scripts/bench Kbuild |
			tar -x -C "$bsrc.tmp"
		mv "$bsrc.tmp" "$bsrc"
	fi
	base_obj=$(obj_dir obj-bench-base "$kdir")/${commit:0:12}
	log "building the baseline's tcpsm_bench.ko ($baseline, ${commit:0:12}) (W=1)"
	bench_src=current
	if ! build_bench "$base_obj" "$bsrc" "$TCPSM_TOP/scripts/bench"; then
		log "this tree's tcpsm_bench.c does not build W=1 clean against $baseline:" \
			"$baseline's own, then"
		grep -E 'error:|warning:' "$base_obj/build.log" | head -n 5 >&2 || :
		rm -rf "$base_obj"
		bench_src=baseline
		if ! build_bench "$base_obj" "$bsrc" "$bsrc/scripts/bench"; then
			cat "$base_obj/build.log" >&2
			die "the baseline's benchmark module build failed or has warnings"
		fi
	fi
	echo "ref=$baseline commit=$commit bench_source=$bench_src" >"$base_obj/baseline.txt"
fi
# static: the VM starts it from tmpfs for every figure, with no libraries to load
gcc -O2 -Wall -Wextra -Werror -static -o "$obj/loadgen" "$TCPSM_TOP/scripts/bench/loadgen.c"

console=$obj/console.log
# generous (a hung run still ends): the stock kernel takes about 2 minutes a
# run of 10^6 connections here; a round of real traffic is 16 figures, each
# up to 4 x FIGURE_SECS with both trackers, and 4 switches of configuration
limit=$((900 + ${sizes//,/+} * runs * 18 / 1000))
limit=$((limit + rounds * ${fsecs%.*} * 16 * 4 + rounds * 120))
[ -n "$base_obj" ] && limit=$((limit + ${sizes//,/+} * runs * 18 / 1000 + 60 * runs))
[ "$kernel" = test ] && limit=$((limit * 4))
log "VM: $kernel kernel, sizes $sizes, $runs runs, $rounds rounds of real traffic${baseline:+, baseline $baseline}"
"$TCPSM_TOP/scripts/vm-run.sh" --kernel "$kernel" --mem 4096 --timeout "$limit" \
	--log "$console" -- "$TCPSM_TOP/scripts/bench/bench-vm.sh" "$obj" "$sizes" "$runs" \
	"$rounds" "$fsecs" ${base_obj:+"$base_obj"} >/dev/null || {
	grep '^BENCH FAILED' "$console" >&2
	die "benchmark run failed (console: $console)"
}
args=(--kernel "$kernel")
[ $quick -eq 1 ] && args+=(--quick)
python3 "$TCPSM_TOP/scripts/bench/report.py" "${args[@]}" "$console"
