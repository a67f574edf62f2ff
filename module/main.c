// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm: watches every TCP segment crossing the host and keeps its own RFC 793
 * state machine for both endpoints of each connection, per network namespace.
 *
 * This file ties the parts together: module load and unload, and the
 * per-namespace state (table, counters, hooks, /proc, sysctls).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "tcpsm.h"

unsigned int tcpsm_net_id __read_mostly;

/* Set while the module's load initializes the namespaces that exist already. */
static bool tcpsm_loading;

/*
 * The memory cgroup that pays for a namespace's entries: its creator's, the
 * task that runs this at clone() or unshare(). Not the initial namespace's
 * (charged to no one, as conntrack), nor one that existed before the module
 * was loaded (its creator is unknown: the loader would pay).
 */
static struct mem_cgroup *creator_memcg(struct net *net)
{
	if (net_eq(net, &init_net) || tcpsm_loading)
		return NULL;
	return get_mem_cgroup_from_mm(current->mm);
}

static int __net_init tcpsm_net_init(struct net *net)
{
	struct tcpsm_net *tn = tcpsm_pernet(net);
	int err;

	tn->net = net;
	tn->cfg = tcpsm_defaults;
	if (!net_eq(net, &init_net))
		tn->parent = tcpsm_pernet(&init_net);
	tn->stats = alloc_percpu(struct tcpsm_stats);
	if (!tn->stats)
		return -ENOMEM;
	tn->memcg = creator_memcg(net);
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
	tcpsm_gc_start(tn);
	return 0;

err_proc:
	tcpsm_proc_exit(net);
err_sysctl:
	tcpsm_sysctl_exit(tn);
err_table:
	tcpsm_table_destroy(tn);
err_stats:
	mem_cgroup_put(tn->memcg);
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
	tcpsm_gc_stop(tn);
	tcpsm_table_destroy(tn);
	mem_cgroup_put(tn->memcg);	/* entries freed later keep their objcg */
	free_percpu(tn->stats);
}

/* Defaults for new namespaces; each has a net.tcpsm.* sysctl of the same name. */
module_param_named(msl, tcpsm_defaults.msl, int, 0444);
MODULE_PARM_DESC(msl, "Maximum segment lifetime, s; TIME_WAIT lasts 2 x msl (30)");
module_param_named(fin_wait_1_timeout, tcpsm_defaults.fin_wait_1_timeout, int, 0444);
MODULE_PARM_DESC(fin_wait_1_timeout, "FIN_WAIT_1 lifetime, s (120)");
module_param_named(fin_wait_2_timeout, tcpsm_defaults.fin_wait_2_timeout, int, 0444);
MODULE_PARM_DESC(fin_wait_2_timeout, "FIN_WAIT_2 lifetime, s (60)");
module_param_named(syn_sent_timeout, tcpsm_defaults.syn_sent_timeout, int, 0444);
MODULE_PARM_DESC(syn_sent_timeout, "SYN_SENT lifetime, s (120)");
module_param_named(syn_rcvd_timeout, tcpsm_defaults.syn_rcvd_timeout, int, 0444);
MODULE_PARM_DESC(syn_rcvd_timeout, "SYN_RCVD lifetime, s (60)");
module_param_named(close_wait_timeout, tcpsm_defaults.close_wait_timeout, int, 0444);
MODULE_PARM_DESC(close_wait_timeout, "CLOSE_WAIT lifetime, s (3600)");
module_param_named(last_ack_timeout, tcpsm_defaults.last_ack_timeout, int, 0444);
MODULE_PARM_DESC(last_ack_timeout, "LAST_ACK lifetime, s (30)");
module_param_named(closing_timeout, tcpsm_defaults.closing_timeout, int, 0444);
MODULE_PARM_DESC(closing_timeout, "CLOSING lifetime, s (30)");
module_param_named(established_timeout, tcpsm_defaults.established_timeout, int, 0444);
MODULE_PARM_DESC(established_timeout, "Idle ESTABLISHED lifetime, s (432000)");
module_param_named(close_linger, tcpsm_defaults.close_linger, int, 0444);
MODULE_PARM_DESC(close_linger, "How long a connection closed on both ends stays listed, s (10)");
module_param_named(keepalive_time, tcpsm_defaults.keepalive_time, int, 0444);
MODULE_PARM_DESC(keepalive_time, "Idle time before the first keepalive probe, s (7200)");
module_param_named(keepalive_intvl, tcpsm_defaults.keepalive_intvl, int, 0444);
MODULE_PARM_DESC(keepalive_intvl, "Time between keepalive probes, s (75)");
module_param_named(keepalive_probes, tcpsm_defaults.keepalive_probes, int, 0444);
MODULE_PARM_DESC(keepalive_probes, "Unanswered probes before the peer is dead (9)");
module_param_named(max_conns, tcpsm_defaults.max_conns, int, 0444);
MODULE_PARM_DESC(max_conns, "Most connections tracked per namespace (262144)");
module_param_named(pickup, tcpsm_defaults.pickup, int, 0444);
MODULE_PARM_DESC(pickup, "Track connections first seen mid-stream (1)");
module_param_named(unconfirmed_timeout, tcpsm_defaults.unconfirmed_timeout, int, 0444);
MODULE_PARM_DESC(unconfirmed_timeout,
		 "Longest timeout of a connection not confirmed both ways, s (120)");
/* and one for all namespaces, net.tcpsm.max_conns_global in the initial one */
module_param_named(max_conns_global, tcpsm_max_conns_global, int, 0444);
MODULE_PARM_DESC(max_conns_global, "Most connections tracked in all namespaces (1048576)");

static struct pernet_operations tcpsm_net_ops = {
	.init = tcpsm_net_init,
	.exit = tcpsm_net_exit,
	.id = &tcpsm_net_id,
	.size = sizeof(struct tcpsm_net),
};

static int __init tcpsm_init(void)
{
	int err;

	err = tcpsm_config_check(&tcpsm_defaults, "module parameter") ?: tcpsm_global_check();
	if (err)
		return err;
	err = tcpsm_cache_init();
	if (err)
		return err;
	tcpsm_loading = true;
	err = register_pernet_subsys(&tcpsm_net_ops);
	tcpsm_loading = false;
	if (err) {
		tcpsm_cache_destroy();
		return err;
	}
	err = tcpsm_netlink_init();
	if (err) {
		unregister_pernet_subsys(&tcpsm_net_ops);
		tcpsm_cache_destroy();
		return err;
	}
	pr_info("tracking TCP, entry size %zu bytes\n", sizeof(struct tcpsm_conn));
	return 0;
}

static void __exit tcpsm_exit(void)
{
	tcpsm_netlink_exit();
	unregister_pernet_subsys(&tcpsm_net_ops);
	tcpsm_cache_destroy();
}

module_init(tcpsm_init);
module_exit(tcpsm_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The tcpsm developers");
MODULE_DESCRIPTION("Per-endpoint RFC 793 TCP state tracking for every connection");
MODULE_VERSION("0.1");
