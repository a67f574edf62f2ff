// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm's tunables as net.tcpsm.* sysctls, one copy per namespace; their
 * table (names, ranges, defaults) is tunables.c's. Module parameters
 * (main.c) set the defaults for new namespaces, checked here at load.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "tcpsm.h"

/* 0 if every value is in range, else -EINVAL, saying which and why. */
int tcpsm_config_check(const struct tcpsm_config *cfg, const char *what)
{
	int i = tcpsm_config_bad(cfg);

	if (i < 0)
		return 0;
	pr_err("tcpsm: %s %s=%d is out of range [%d, %d]\n", what, tcpsm_tunables[i].name,
	       *tcpsm_tunable_ptr(cfg, i), tcpsm_tunables[i].min, tcpsm_tunables[i].max);
	return -EINVAL;
}

/*
 * The most tunable @i may be set to in @tn's namespace: its range's, and
 * for max_conns outside the initial namespace no more than the initial
 * namespace's max_conns. More is refused (EINVAL from the sysctl, ERANGE
 * over netlink, as any value out of range), not clamped: the writer learns
 * it did not get what it asked. tcpsm_max_conns() clamps as well, for an
 * initial namespace that lowers its own afterwards.
 */
int tcpsm_config_max(const struct tcpsm_net *tn, unsigned int i)
{
	const struct tcpsm_tunable *t = &tcpsm_tunables[i];

	if (t->offset == offsetof(struct tcpsm_config, max_conns) && tn->parent)
		return min(t->max, READ_ONCE(tn->parent->cfg.max_conns));
	return t->max;
}

/* max_conns_global's range: 2^28 entries are tens of GB. */
static const int global_min = 1, global_max = 1 << 28;

int tcpsm_global_check(void)
{
	if (tcpsm_max_conns_global >= global_min && tcpsm_max_conns_global <= global_max)
		return 0;
	pr_err("tcpsm: module parameter max_conns_global=%d is out of range [%d, %d]\n",
	       tcpsm_max_conns_global, global_min, global_max);
	return -EINVAL;
}

#ifdef TCPSM_HAVE_CONST_CTL_TABLE
#define TCPSM_CTL_CONST const	/* 6.11 on: proc handlers take a const table */
#else
#define TCPSM_CTL_CONST
#endif

/*
 * A write needs CAP_NET_ADMIN in the user namespace that owns the network
 * namespace, as config-set and flush do over netlink: the file's mode alone
 * lets uid 0 write whatever user namespace it is root of. The table's extra1
 * is the namespace's tcpsm_net, extra2 the tunable (its range).
 */
static int tcpsm_sysctl_handler(TCPSM_CTL_CONST struct ctl_table *table, int write, void *buffer,
				size_t *lenp, loff_t *ppos)
{
	const struct tcpsm_tunable *t = table->extra2;
	struct tcpsm_net *tn = table->extra1;
	struct ctl_table tmp = *table;
	int max = tcpsm_config_max(tn, t - tcpsm_tunables);

	if (write && !ns_capable(tn->net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	tmp.extra1 = (void *)&t->min;
	tmp.extra2 = &max;
	return proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
}

/*
 * max_conns_global, in the initial namespace alone: only CAP_NET_ADMIN in
 * the initial user namespace changes it, as nf_conntrack_max.
 */
static int tcpsm_global_handler(TCPSM_CTL_CONST struct ctl_table *table, int write,
				void *buffer, size_t *lenp, loff_t *ppos)
{
	if (write && !capable(CAP_NET_ADMIN))
		return -EPERM;
	return proc_dointvec_minmax(table, write, buffer, lenp, ppos);
}

/*
 * Kernels with register_net_sysctl_sz() (6.6 on) size sysctl tables by count
 * and no longer want the empty sentinel; older ones need it. The table has
 * @n + 1 slots. Kbuild probes the kernel's headers for it.
 */
static struct ctl_table_header *register_table(struct net *net, struct ctl_table *table,
					       unsigned int n)
{
#ifdef TCPSM_HAVE_SYSCTL_SZ
	return register_net_sysctl_sz(net, "net/tcpsm", table, n);
#else
	return register_net_sysctl(net, "net/tcpsm", table);
#endif
}

int tcpsm_sysctl_init(struct tcpsm_net *tn)
{
	unsigned int i, n = TCPSM_NR_TUNABLES + !tn->parent;	/* + max_conns_global */
	struct ctl_table *table;

	table = kcalloc(n + 1, sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	if (!tn->parent) {
		table[TCPSM_NR_TUNABLES].procname = "max_conns_global";
		table[TCPSM_NR_TUNABLES].data = &tcpsm_max_conns_global;
		table[TCPSM_NR_TUNABLES].maxlen = sizeof(int);
		table[TCPSM_NR_TUNABLES].mode = 0644;
		table[TCPSM_NR_TUNABLES].proc_handler = tcpsm_global_handler;
		table[TCPSM_NR_TUNABLES].extra1 = (void *)&global_min;
		table[TCPSM_NR_TUNABLES].extra2 = (void *)&global_max;
	}
	for (i = 0; i < TCPSM_NR_TUNABLES; i++) {
		const struct tcpsm_tunable *t = &tcpsm_tunables[i];

		table[i].procname = t->name;
		table[i].data = tcpsm_tunable_ptr(&tn->cfg, i);
		table[i].maxlen = sizeof(int);
		table[i].mode = 0644;
		table[i].proc_handler = tcpsm_sysctl_handler;
		table[i].extra1 = tn;
		table[i].extra2 = (void *)t;
	}
	tn->sysctl = register_table(tn->net, table, n);
	if (!tn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	tn->sysctl_table = table;
	return 0;
}

void tcpsm_sysctl_exit(struct tcpsm_net *tn)
{
	unregister_net_sysctl_table(tn->sysctl);
	kfree(tn->sysctl_table);
}
