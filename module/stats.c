// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of /proc/net/tcpsm/stats: per CPU, so the hook never shares a
 * cache line to count, summed when read.
 */
#include <linux/percpu.h>

#include "tcpsm.h"

static const char *const tcpsm_stat_names[__TCPSM_STAT_MAX] = {
	[TCPSM_STAT_SEGMENTS] = "segments",
	[TCPSM_STAT_CREATED] = "conns_created",
	[TCPSM_STAT_PICKED_UP] = "conns_picked_up",
	[TCPSM_STAT_UNTRACKED] = "untracked_midstream",
	[TCPSM_STAT_TABLE_FULL] = "table_full",
	[TCPSM_STAT_INSERT_FAILED] = "insert_failed",
	[TCPSM_STAT_EVICTED] = "evictions",
	[TCPSM_STAT_DESTROY_EXPIRED] = "destroyed_expired",
	[TCPSM_STAT_DESTROY_RESET] = "destroyed_reset",
	[TCPSM_STAT_DESTROY_EVICTED] = "destroyed_evicted",
	[TCPSM_STAT_DESTROY_FLUSHED] = "destroyed_flushed",
	[TCPSM_STAT_DESTROY_REPLACED] = "destroyed_replaced",
	[TCPSM_STAT_DESTROY_ICMP] = "destroyed_icmp",
	[TCPSM_STAT_TRANSITIONS] = "transitions",
	[TCPSM_STAT_RETRANS] = "retransmissions",
	[TCPSM_STAT_TW_RESTARTS] = "tw_restarts",
	[TCPSM_STAT_TW_ACK_RESTARTS] = "tw_ack_restarts",
	[TCPSM_STAT_TW_REUSE] = "tw_reuse",
	[TCPSM_STAT_REOPENED] = "reopened",
	[TCPSM_STAT_REFUSED] = "refused",
	[TCPSM_STAT_RST_ACCEPTED] = "rst_accepted",
	[TCPSM_STAT_RST_CHALLENGE] = "rst_challenge_ack",
	[TCPSM_STAT_RST_IGNORED] = "rst_ignored",
	[TCPSM_STAT_KA_PROBES] = "keepalive_probes",
	[TCPSM_STAT_KA_ANSWERED] = "keepalive_answered",
	[TCPSM_STAT_KA_DEAD] = "keepalive_dead_peers",
	[TCPSM_STAT_ZW_PROBES] = "zero_window_probes",
	[TCPSM_STAT_INVALID_FLAGS] = "invalid_flags",
	[TCPSM_STAT_INVALID_STATE] = "invalid_state",
	[TCPSM_STAT_INVALID_SEQ] = "invalid_seq",
	[TCPSM_STAT_INVALID_ACK] = "invalid_ack",
	[TCPSM_STAT_OLD_DUPLICATES] = "old_duplicates",
	[TCPSM_STAT_ICMP_ABORTS] = "icmp_aborts",
	[TCPSM_STAT_ICMP_SOFT] = "icmp_soft_errors",
	[TCPSM_STAT_ICMP_IGNORED] = "icmp_ignored",
	[TCPSM_STAT_BAD_FRAGMENT] = "bad_fragment",
	[TCPSM_STAT_BAD_TRUNC_IP] = "bad_truncated_ip",
	[TCPSM_STAT_BAD_TRUNC_TCP] = "bad_truncated_tcp",
	[TCPSM_STAT_BAD_DOFF] = "bad_data_offset",
	[TCPSM_STAT_BAD_OPT] = "bad_option",
	[TCPSM_STAT_BAD_EXTHDR] = "bad_ipv6_exthdr",
	[TCPSM_STAT_BAD_ICMP] = "bad_icmp",
	[TCPSM_STAT_EVENTS_LOST] = "events_lost",
};

const char *tcpsm_stat_name(enum tcpsm_stat s)
{
	return s < __TCPSM_STAT_MAX ? tcpsm_stat_names[s] : "?";
}

u64 tcpsm_stat_read(struct tcpsm_net *tn, enum tcpsm_stat s)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(tn->stats, cpu)->v[s];
	return sum;
}
