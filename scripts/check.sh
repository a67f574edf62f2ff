#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every test, in the order a failure is cheapest to find: builds against the
# three kernels with W=1, checkpatch, DKMS, make install's files, the VM's
# packages, the VM runner's self-test, KUnit, then the end-to-end tests in
# the VM. Runs every step, reports each, and fails if any failed.
# TCPSM_FULL=1 (make check-full) runs the long ones (docs/testing.md says
# which step runs where).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs build-essential rsync python3 bc kmod iproute2 nftables util-linux \
	libmnl-dev libpcap-dev pkg-config python3-yaml python3-jsonschema python3-prometheus-client \
	clang libclang-rt-14-dev iptables conntrack tcpdump

steps_ok=0 steps_failed=0 failed_names=()
step() {	# step NAME COMMAND...
	local name=$1 t0 rc
	shift
	printf '\n=== %s\n' "$name"
	t0=$(date +%s)
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		steps_ok=$((steps_ok + 1))
		printf '=== %s: ok (%d s)\n' "$name" $(($(date +%s) - t0))
	else
		steps_failed=$((steps_failed + 1))
		failed_names+=("$name")
		printf '=== %s: FAILED, exit %d (%d s)\n' "$name" $rc $(($(date +%s) - t0))
	fi
}

t_start=$(date +%s)
full=$([ "${TCPSM_FULL:-0}" = 1 ] && echo 1 || echo 0)
cd "$TCPSM_TOP" || exit 1
step "build, stock kernel (W=1)" scripts/build-module.sh stock
step "build, Debian's 6.12 (stock612, W=1)" scripts/build-module.sh stock612
step "build, test kernel (W=1)" scripts/build-module.sh test
step "checkpatch --strict" scripts/checkpatch.sh
step "netlink spec: valid (genetlink-c schema), documented, code generated from it" scripts/ynl-check.sh
step "DKMS: MODULE_VERSION is dkms.conf's; dkms build against 6.1's and 6.12's headers" \
	scripts/dkms-check.sh
step "make install: the module, the uapi header, tcpsmctl, tcpsm-replay, nothing else" \
	scripts/install-check.sh
step "the VM's packages (scripts/vm-packages) provide every program its scripts run" \
	scripts/vm-packages-check.sh
step "build tcpsmctl (-Werror), its ladder drawn from hand-made histories" \
	make -C tools/tcpsmctl all check
step "build tcpsm-inject (-Werror)" make -C tools/tcpsm-inject
step "build tcpsm-scenario (-Werror, static)" make -C tools/tcpsm-scenario
step "tcpsm-replay: build (-Werror) and its tests on hand-made captures" \
	make -C tools/tcpsm-replay check
step "VM runner self-test, stock kernel" scripts/vm-selftest.sh stock
# the runner's logic is the same on both; the debug kernel's boots are slow
[ $full = 1 ] && step "VM runner self-test, test kernel" scripts/vm-selftest.sh test
step "KUnit, test kernel" scripts/kunit-run.sh
step "benchmark module, one run of 1000 connections, test kernel" scripts/bench/bench.sh --quick
fuzz_secs=$([ "${TCPSM_FULL:-0}" = 1 ] && echo 600 || echo 30)
step "libFuzzer: state machine and parser, $fuzz_secs s" tools/fuzz/run.sh "$fuzz_secs"
step "libFuzzer: tcpsm-replay's reader, $((fuzz_secs / 2)) s" \
	make -C tools/tcpsm-replay fuzz SECONDS=$((fuzz_secs / 2))
step "build packetdrill (shared/vendor/packetdrill)" scripts/packetdrill-build.sh
# The debug kernel runs everything ten times slower: make check gives it the
# tests that reach the most code under KASAN, lockdep and kmemleak (KUnit,
# the tracker, and the reliability steps below: malformed packets, floods,
# reloads, concurrency); make check-full runs every suite on both kernels.
DEBUG_SUBSET="tracker_test"
for k in stock test; do
	for t in scripts/e2e/*_test.py; do
		[ "$t" = scripts/e2e/packetdrill_test.py ] && continue
		[ "$k" = test ] && [ $full = 0 ] &&
			! [[ " $DEBUG_SUBSET " = *" $(basename "$t" .py) "* ]] && continue
		step "end to end $(basename "$t" .py), $k kernel" \
			scripts/vm-run.sh --kernel "$k" --timeout 1800 -- python3 "$t"
	done
	# docs/testing.md: a subset of the scripts on the stock kernel, every
	# one on both kernels with TCPSM_FULL (the debug kernel takes twice as
	# long, and make check must stay well inside CI's 90 minutes)
	[ "$k" = test ] && [ $full = 0 ] && continue
	step "packetdrill with tcpsm watching, $([ $full = 1 ] && echo all || echo subset), $k kernel" \
		scripts/vm-run.sh --kernel "$k" --timeout $((full ? 7200 : 1800)) -- \
		python3 scripts/e2e/packetdrill_test.py
done

# Issue 7, reliability (scripts/e2e/robust.py): the debug test kernel, the
# concurrency case on 4 vCPUs; malformed traffic and the SYN flood on the
# stock kernel too, where the big counts run fast (TCPSM_FULL: 120,000
# crafted segments and 10^6 SYNs; on the debug kernel 100,000 and 10^6, for
# about two hours).
# make check leaves the user namespace, spoof and isolation cases to the
# stock kernel (below), where they take seconds; make check-full runs them
# on the debug kernel too.
debug_robust="malformed flood reload"
[ $full = 1 ] && debug_robust="malformed flood userns spoof isolation reload"
step "reliability: $debug_robust; test kernel" \
	scripts/vm-run.sh --kernel test --timeout $((full ? 14400 : 2400)) -- \
	python3 scripts/e2e/robust.py $debug_robust
step "reliability: concurrency, test kernel, 4 vCPUs" \
	scripts/vm-run.sh --kernel test --smp 4 --timeout 1800 -- \
	python3 scripts/e2e/robust.py concurrency
step "reliability: malformed traffic, floods, spoofed ACKs, isolation; stock kernel" \
	scripts/vm-run.sh --kernel stock --timeout 1800 -- \
	python3 scripts/e2e/robust.py malformed flood userns spoof isolation

# Debian's 6.12 (stock612): the tracker, tcpsmctl and the truth suite (its make check
# subset; the replay's agreement, the same user-space code on any kernel, is
# compared on 6.1), and the demo, which doubles as its smoke test. make
# check-full runs every suite there too.
for t in scripts/e2e/*_test.py; do
	case "$(basename "$t" .py)" in
	tracker_test | truth_test | tcpsmctl_test) ;;
	*) [ $full = 1 ] || continue ;;
	esac
	step "end to end $(basename "$t" .py), stock612 kernel" \
		scripts/vm-run.sh --kernel stock612 --timeout $((full ? 7200 : 1800)) -- \
		env TRUTH_AGREE=$full python3 "$t"
done
step "make demo, stock612 kernel" make demo KERNEL=stock612

printf '\ncheck: %d s in all\n' $(($(date +%s) - t_start))
for n in "${failed_names[@]}"; do
	printf 'failed: %s\n' "$n"
done
printf 'steps: %d passed, %d failed\n' "$steps_ok" "$steps_failed"
[ "$steps_failed" -eq 0 ]
