#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Arguments: BENCH_OBJ SIZES RUNS REAL_SECS [BASE_OBJ]. The benchmark's half
# that runs in the VM (bench.sh boots it). BENCH_OBJ holds tcpsm_bench.ko and
# loadgen, TCPSM_OBJ tcpsm.ko. SIZES is a comma list of table sizes; REAL_SECS
# 0 skips the real traffic and the events. Every figure is printed on a line
# starting with "BENCH " (the synthetic ones come from the module's kernel log
# lines); report.py turns them into the table. A failed check ends the run
# with an error. BASE_OBJ holds a baseline's tcpsm_bench.ko (bench.sh
# --baseline): then each synthetic run is one load of each module, in turn,
# the order swapped every run, each load warmed up first, and the baseline's
# lines read "BENCH base_...".
set -euo pipefail

bobj=$1 sizes=$2 runs=$3 secs=$4 base=${5:-}
lg=$bobj/loadgen
fail() { echo "BENCH FAILED $*"; exit 1; }

# The real traffic: namespaces c and s over veth, namespace l over loopback.
topo_up() {
	ip netns add c && ip netns add s && ip netns add l
	for n in c s l; do ip -n $n link set lo up; done
	ip link add v0 netns c type veth peer name v1 netns s
	ip -n c addr add 10.1.0.1/24 dev v0 && ip -n c link set v0 up
	ip -n s addr add 10.1.0.2/24 dev v1 && ip -n s link set v1 up
	# both ends on vCPU 0 (see loadgen.c)
	ip netns exec s taskset -c 0 "$lg" server 8000 >/dev/null &
	ip netns exec l taskset -c 0 "$lg" server 8000 >/dev/null &
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

created() {	# created NS: tcpsm's conns_created there
	ip netns exec "$1" awk '$1 == "conns_created" { print $2 }' /proc/net/tcpsm/stats
}

invalid() {	# invalid NS: the sum of tcpsm's invalid_* stats there
	ip netns exec "$1" awk '$1 ~ /^invalid_/ { n += $2 } END { print n + 0 }' \
		/proc/net/tcpsm/stats
}

real_run() {	# real_run TRACKERS ROUND
	local trk=$1 round=$2 topo wl ns addr out before after opened conns bad
	for topo in veth loopback; do
		for wl in rr crr; do
			if [ $topo = veth ]; then ns=c addr=10.1.0.2; else ns=l addr=127.0.0.1; fi
			conns=4
			[ $wl = crr ] && conns=2
			case $trk in tcpsm | both) before=$(created $ns) bad=$(invalid $ns) ;; esac
			out=$(ip netns exec $ns taskset -c 0 "$lg" $wl $addr 8000 "$secs" $conns) ||
				fail "loadgen $wl over $topo"
			echo "BENCH real topo=$topo load=$wl trackers=$trk round=$round $out"
			case $trk in tcpsm | both)
				after=$(created $ns)
				opened=${out##*opened=}
				# every connection the load opened, and no other, was tracked
				[ $((after - before)) -eq "$opened" ] ||
					fail "tcpsm saw $((after - before)) of $opened ($topo $wl)"
				# honest traffic: no segment judged unacceptable
				[ "$(invalid $ns)" -eq "$bad" ] ||
					fail "invalid_* rose by $(($(invalid $ns) - bad)) ($topo $wl)"
				;;
			esac
		done
	done
}

if [ "$secs" != 0 ]; then
	topo_up
	for round in $(seq 1 "$runs"); do
		for trk in none tcpsm conntrack both; do
			case $trk in tcpsm | both) insmod "$TCPSM_OBJ/tcpsm.ko" ;; esac
			case $trk in conntrack | both) ct_on ;; esac
			real_run $trk "$round"
			case $trk in tcpsm | both) rmmod tcpsm ;; esac
			case $trk in conntrack | both) ct_off ;; esac
		done
	done
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
grep -E '^(tcpsm_conn|nf_conntrack) ' /proc/slabinfo |
	awk '{ print "BENCH slab cache=" $1 " objsize=" $4 " active=" $2 }'

if [ "$secs" != 0 ]; then
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
