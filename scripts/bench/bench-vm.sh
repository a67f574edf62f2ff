#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Arguments: BENCH_OBJ SIZES RUNS ROUNDS FIGURE_SECS [BASE_OBJ]. The
# benchmark's half that runs in the VM (bench.sh boots it). BENCH_OBJ holds
# tcpsm_bench.ko and loadgen, TCPSM_OBJ tcpsm.ko. SIZES is a comma list of
# table sizes. ROUNDS rounds of real traffic, each figure about FIGURE_SECS
# long with no tracking; ROUNDS 0 skips the real traffic and the events.
# Every figure is printed on a line starting with "BENCH " (the synthetic
# ones come from the module's kernel log lines); report.py turns them into
# the tables. A failed check ends the run with an error. BASE_OBJ holds a
# baseline's tcpsm_bench.ko (bench.sh --baseline): then each synthetic run
# is one load of each module, in turn, the order swapped every run, each
# load warmed up first, and the baseline's lines read "BENCH base_...".
set -euo pipefail

bobj=$1 sizes=$2 runs=$3 rounds=$4 fsecs=$5 base=${6:-}
lg=/tmp/loadgen	# static, on tmpfs: started for every figure (see loadgen.c)
fail() { echo "BENCH FAILED $*"; exit 1; }

# The real traffic: namespaces c and s over veth, namespace l over loopback.
declare -A nspid	# NS -> a process in client namespace NS: /proc/PID/net is NS's
topo_up() {
	cp "$bobj/loadgen" "$lg"
	ip netns add c && ip netns add s && ip netns add l
	for n in c s l; do ip -n $n link set lo up; done
	ip link add v0 netns c type veth peer name v1 netns s
	ip -n c addr add 10.1.0.1/24 dev v0 && ip -n c link set v0 up
	ip -n s addr add 10.1.0.2/24 dev v1 && ip -n s link set v1 up
	# both ends on vCPU 0 (see loadgen.c)
	"$lg" -n s -c 0 server 8000 >/dev/null &
	"$lg" -n l -c 0 server 8000 >/dev/null &
	nspid[l]=$!
	ip netns exec c sleep infinity &
	nspid[c]=$!
	sleep 1
}

ct_on() {	# an nft table in every namespace whose rules use ct state
	local n
	for n in c s l; do
		ip netns exec $n nft -f - <<-'EOF'
		table inet bench {
			chain in {
				type filter hook input priority 0;
				ct state established,related counter accept
				ct state new counter accept
			}
			chain out {
				type filter hook output priority 0;
				ct state established,related,new counter accept
			}
		}
		EOF
	done
}

ct_off() {
	local n
	for n in c s l; do ip netns exec $n nft delete table inet bench; done
}

# stat_sum NS GLOB: into $sum, the sum of tcpsm's stats in NS whose names
# match GLOB; read by the shell itself, as starting a program takes ~0.1 s
stat_sum() {
	local k v
	sum=0
	while read -r k v; do
		# shellcheck disable=SC2053 # $2 is a glob
		[[ $k == $2 ]] && sum=$((sum + v))
	done <"/proc/${nspid[$1]}/net/tcpsm/stats"
	return 0
}

ns_of() {	# ns_of TOPO: the client's namespace
	if [ "$1" = veth ]; then echo c; else echo l; fi
}

load() {	# load TOPO LOAD TRANSACTIONS: loadgen's line
	local addr=127.0.0.1 ns=l conns=4
	[ "$1" = veth ] && addr=10.1.0.2 ns=c
	[ "$2" = crr ] && conns=2
	"$lg" -n $ns -c 0 "$2" $addr 8000 "$3" $conns || fail "loadgen $2 over $1"
}

uses() {	# uses TRACKERS TRACKER: whether the configuration TRACKERS has TRACKER
	case $1 in "$2" | both) return 0 ;; esac
	return 1
}

cur=none
switch_to() {	# switch_to TRACKERS: from $cur, only what differs is changed
	if uses "$cur" tcpsm && ! uses "$1" tcpsm; then rmmod tcpsm; fi
	if ! uses "$cur" tcpsm && uses "$1" tcpsm; then insmod "$TCPSM_OBJ/tcpsm.ko"; fi
	if uses "$cur" conntrack && ! uses "$1" conntrack; then ct_off; fi
	if ! uses "$cur" conntrack && uses "$1" conntrack; then ct_on; fi
	cur=$1
}

loads="veth:rr veth:crr loopback:rr loopback:crr"
declare -A want	# TOPO:LOAD -> transactions per figure

# Transactions per figure: what no tracking does in FIGURE_SECS, then the
# same for every configuration and round. Measured, not fixed, so a figure
# lasts about as long under KVM as under TCG.
calibrate() {
	local tl small out tps rates
	for tl in $loads; do
		small=$([ "${tl#*:}" = rr ] && echo 2000 || echo 200)
		load "${tl%:*}" "${tl#*:}" $((small / 10)) >/dev/null	# warm-up
		rates=()
		for _ in 1 2 3; do
			out=$(load "${tl%:*}" "${tl#*:}" "$small")
			tps=${out##*tps=}
			rates+=("${tps%% *}")
		done
		# the median of three: one run may meet another VM's burst
		want[$tl]=$(printf '%s\n' "${rates[@]}" | sort -g | sed -n 2p |
			awk -v s="$fsecs" '{ n = int($1 * s); print n < 100 ? 100 : n }')
		echo "BENCH real_tx topo=${tl%:*} load=${tl#*:} transactions=${want[$tl]}"
	done
}

figure() {	# figure ROUND TOPO LOAD: one figure of $cur, and tcpsm's checks
	local round=$1 topo=$2 wl=$3 ns out before=0 bad=0 opened
	ns=$(ns_of "$topo")
	if uses "$cur" tcpsm; then
		stat_sum "$ns" conns_created && before=$sum
		stat_sum "$ns" 'invalid_*' && bad=$sum
	fi
	out=$(load "$topo" "$wl" "${want[$topo:$wl]}")
	echo "BENCH real topo=$topo load=$wl trackers=$cur round=$round $out"
	uses "$cur" tcpsm || return 0
	opened=${out##*opened=}
	# every connection the load opened, and no other, was tracked
	stat_sum "$ns" conns_created
	[ $((sum - before)) -eq "$opened" ] ||
		fail "tcpsm saw $((sum - before)) of $opened ($topo $wl)"
	# honest traffic: no segment judged unacceptable
	stat_sum "$ns" 'invalid_*'
	[ "$sum" -eq "$bad" ] || fail "invalid_* rose by $((sum - bad)) ($topo $wl)"
}

# ROUNDS rounds, each every configuration in turn: none, tcpsm, both,
# conntrack, then the other way round (ABBA: a drift in the VM that is
# linear over two rounds hits all four alike), each step one change. Each
# round's figures are compared with that round's no tracking (report.py).
real_traffic() {
	local trks=(none tcpsm both conntrack) round k tl t0
	t0=$(date +%s)
	topo_up
	calibrate
	for round in $(seq 1 "$rounds"); do
		for k in 0 1 2 3; do
			[ $((round % 2)) -eq 0 ] && k=$((3 - k))
			switch_to "${trks[$k]}"
			# code just loaded is new to QEMU's translator: not timed
			load veth rr 200 >/dev/null
			load loopback rr 200 >/dev/null
			for tl in $loads; do
				figure "$round" "${tl%:*}" "${tl#*:}"
			done
		done
	done
	switch_to none
	echo "BENCH info real_traffic wall_seconds=$(($(date +%s) - t0))"
}

if [ "$rounds" != 0 ]; then
	real_traffic
fi

# The synthetic segments, through tcpsm_bench.ko, each size in a fresh namespace.
modprobe nf_conntrack 2>/dev/null || true
sysctl -qw net.netfilter.nf_conntrack_max=4000000
sysctl -qw net.netfilter.nf_conntrack_buckets=1048576
sysctl -qw net.core.rmem_max=67108864
# Nothing may time out during a run, however slow the machine.
ctsetup='for t in syn_sent syn_recv established fin_wait close_wait last_ack time_wait; do
	sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_$t=86400; done'

mark=0
synth() {	# synth N RUNS PREFIX [RUN]: RUNS runs of N, the loaded module's lines
	local n=$1 r=$2 pfx=$3 run=${4:-} warm=
	# RUN: one run of a module just loaded, whose code is new to QEMU's
	# translator: a warm-up of 1000 connections first, in the same
	# namespace, its lines left out (up to a mark in the kernel log).
	[ -n "$run" ] && warm="echo '1000 1 both' >/sys/kernel/debug/tcpsm_bench/run &&
		echo '<6>tcpsm_bench: warm-up over' >/dev/kmsg &&"
	# the kernel log from a mark of this call's own on
	mark=$((mark + 1))
	echo "<6>tcpsm_bench: bench-vm.sh mark $mark" >/dev/kmsg
	unshare -n sh -c "$ctsetup; $warm echo '$n $r both' >/sys/kernel/debug/tcpsm_bench/run" ||
		{ dmesg | sed -n "/tcpsm_bench: bench-vm.sh mark $mark\$/,\$p" |
			grep 'tcpsm_bench: check' | tail -n 4
		  fail "synthetic run, $n${pfx:+ ($pfx)}"; }
	dmesg | sed -n "/tcpsm_bench: bench-vm.sh mark $mark\$/,\$p" |
		if [ -n "$run" ]; then sed '0,/tcpsm_bench: warm-up over/d'; else cat; fi |
		sed -n "s/.*tcpsm_bench: \(\(result\|check\) size=$n .*\)/BENCH $pfx\1/p" |
		if [ -n "$run" ]; then sed "s/ run=0 / run=$run /"; else cat; fi
}

if [ -z "$base" ]; then
	insmod "$bobj/tcpsm_bench.ko"
	for n in ${sizes//,/ }; do
		t0=$(date +%s)
		synth "$n" "$runs" ""
		echo "BENCH info size=$n wall_seconds=$(($(date +%s) - t0))"
	done
else
	echo "BENCH baseline $(cat "$base/baseline.txt")"
	for n in ${sizes//,/ }; do
		t0=$(date +%s)
		for r in $(seq 0 $((runs - 1))); do
			order="$base $bobj"
			[ $((r % 2)) -eq 1 ] && order="$bobj $base"
			for o in $order; do
				insmod "$o/tcpsm_bench.ko"
				if [ "$o" = "$base" ]; then synth "$n" 1 base_ "$r"; else synth "$n" 1 "" "$r"; fi
				rmmod tcpsm_bench
			done
		done
		echo "BENCH info size=$n wall_seconds=$(($(date +%s) - t0))"
	done
	insmod "$bobj/tcpsm_bench.ko"
fi
# the caches the entries came from (report.py matches them by name)
grep -E '^(tcpsm|nf_conntrack|kmalloc)' /proc/slabinfo |
	awk '{ print "BENCH slab cache=" $1 " objsize=" $4 " active=" $2 }'

if [ "$rounds" != 0 ]; then
	# Events: a listener on the group, tcpsm alone, the smallest size.
	n=${sizes%%,*}
	unshare -n sh -c "
		python3 $TCPSM_TOP/scripts/bench/events_listen.py /tmp/ev.ready 33554432 \\
			>/tmp/ev.out &
		p=\$!
		while [ ! -e /tmp/ev.ready ]; do sleep 0.1; done
		echo '$n $runs tcpsm' >/sys/kernel/debug/tcpsm_bench/run || exit 1
		sleep 1
		kill -TERM \$p
		wait \$p
		echo \"BENCH events size=$n \$(cat /tmp/ev.out)\"
	" || fail "events run"
	pat="s/.*tcpsm_bench: result size=$n run=\([0-9]*\) tracker=tcpsm \(.*\)/"
	dmesg | sed -n "$pat""BENCH events_result size=$n run=\1 \2/p" | tail -n $((runs * 8))
fi
rmmod tcpsm_bench
echo "BENCH done"
