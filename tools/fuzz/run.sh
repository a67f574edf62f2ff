#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the libFuzzer targets (Makefile) and run each for a fixed time:
# run.sh SECONDS (in all, split between the targets; default 60). Seeds come
# from corpus/ (in the repo; seeds.py writes it); what the fuzzers add goes
# to a scratch directory, so the repo's corpus stays as it is. libFuzzer's
# seed is fixed (TCPSM_FUZZ_SEED, default 1) and printed; a failing input is
# kept (its path and base64 are printed) and the script fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
total=${1:-60}
seed=${TCPSM_FUZZ_SEED:-1}
targets=(fuzz-fsm fuzz-parse)
declare -A max_len=([fuzz-fsm]=4800 [fuzz-parse]=2048)

cd "$here" || exit 1
make -s all || exit 1
[ -d corpus/fsm ] && [ -d corpus/parse ] || python3 seeds.py || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/tcpsm-fuzz.XXXXXX")
per=$((total / ${#targets[@]}))
rc=0
for t in "${targets[@]}"; do
	c=corpus/${t#fuzz-}
	mkdir -p "$work/$t"
	printf 'fuzz: %s for %d s, seed %d, %d seed inputs in %s\n' \
		"$t" "$per" "$seed" "$(find "$c" -type f | wc -l)" "tools/fuzz/$c"
	./"$t" -seed="$seed" -max_total_time="$per" -max_len="${max_len[$t]}" \
		-print_final_stats=1 -artifact_prefix="$work/$t-" \
		"$work/$t" "$c" >"$work/$t.log" 2>&1
	r=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log")
	last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED) +cov:' "$work/$t.log" | tail -n1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/\1 edges, \2 features, corpus \3 inputs/p' <<<"$last")
	if [ $r -ne 0 ] || [ -z "$runs" ]; then
		rc=1
		grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' "$work/$t.log" | tail -n 40
		for a in "$work/$t"-*; do
			[ -f "$a" ] || continue
			printf 'fuzz: %s FAILED on %s (base64 %s); reproduce: tools/fuzz/%s %s\n' \
				"$t" "$a" "$(base64 -w0 "$a")" "$t" "$a"
		done
		printf 'fuzz: %s FAILED (exit %d) after %s executions\n' "$t" $r "${runs:-?}"
	else
		printf 'fuzz: %s: %s executions in %d s (%s/s), coverage %s\n' \
			"$t" "$runs" "$per" "$rate" "$cov"
	fi
done
[ $rc -eq 0 ] && rm -rf "$work"
exit $rc
