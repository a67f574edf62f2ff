// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm: watches every TCP segment crossing the host and keeps its own RFC 793
 * state machine for both endpoints of each connection, per network namespace.
 *
 * This file ties the parts together: module load and unload, and the
 * per-namespace state (table, counters, hooks, /proc, sysctls).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "tcpsm.h"

unsigned int tcpsm_net_id __read_mostly;

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
	[TCPSM_STAT_TRANSITIONS] = "transitions",
	[TCPSM_STAT_RETRANS] = "retransmissions",
	[TCPSM_STAT_TW_RESTARTS] = "tw_restarts",
	[TCPSM_STAT_TW_REUSE] = "tw_reuse",
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
	[TCPSM_STAT_BAD_FRAGMENT] = "bad_fragment",
	[TCPSM_STAT_BAD_TRUNC_IP] = "bad_truncated_ip",
	[TCPSM_STAT_BAD_TRUNC_TCP] = "bad_truncated_tcp",
	[TCPSM_STAT_BAD_DOFF] = "bad_data_offset",
	[TCPSM_STAT_BAD_OPT] = "bad_option",
	[TCPSM_STAT_BAD_EXTHDR] = "bad_ipv6_exthdr",
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

static int __net_init tcpsm_net_init(struct net *net)
{
	struct tcpsm_net *tn = tcpsm_pernet(net);
	int err;

	tn->net = net;
	tn->cfg = tcpsm_defaults;
	tn->stats = alloc_percpu(struct tcpsm_stats);
	if (!tn->stats)
		return -ENOMEM;
	err = tcpsm_table_init(tn);
	if (err)
		goto err_stats;
	err = tcpsm_sysctl_init(tn);
	if (err)
		goto err_table;
	err = tcpsm_proc_init(net);
	if (err)
		goto err_sysctl;
	err = tcpsm_hooks_register(net);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	tcpsm_proc_exit(net);
err_sysctl:
	tcpsm_sysctl_exit(tn);
err_table:
	tcpsm_table_destroy(tn);
err_stats:
	free_percpu(tn->stats);
	return err;
}

/* Hooks first, so no segment finds the table while it is torn down. */
static void __net_exit tcpsm_net_exit(struct net *net)
{
	struct tcpsm_net *tn = tcpsm_pernet(net);

	tcpsm_hooks_unregister(net);
	tcpsm_proc_exit(net);
	tcpsm_sysctl_exit(tn);
	tcpsm_table_destroy(tn);
	free_percpu(tn->stats);
}

static struct pernet_operations tcpsm_net_ops = {
	.init = tcpsm_net_init,
	.exit = tcpsm_net_exit,
	.id = &tcpsm_net_id,
	.size = sizeof(struct tcpsm_net),
};

static int __init tcpsm_init(void)
{
	int err;

	err = tcpsm_config_check(&tcpsm_defaults, "module parameter");
	if (err)
		return err;
	err = tcpsm_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&tcpsm_net_ops);
	if (err) {
		tcpsm_cache_destroy();
		return err;
	}
	pr_info("tracking TCP, entry size %zu bytes\n", sizeof(struct tcpsm_conn));
	return 0;
}

static void __exit tcpsm_exit(void)
{
	unregister_pernet_subsys(&tcpsm_net_ops);
	tcpsm_cache_destroy();
}

module_init(tcpsm_init);
module_exit(tcpsm_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The tcpsm developers");
MODULE_DESCRIPTION("Per-endpoint RFC 793 TCP state tracking for every connection");
