// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm's tunables: one table names each one, its range and its default;
 * module parameters (main.c) set the defaults for new namespaces, checked
 * here at load, and each namespace gets its own copy as net.tcpsm.* sysctls.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "tcpsm.h"

struct tcpsm_config tcpsm_defaults = {
	.msl = 30,			/* 2MSL = 60 s, Linux's TCP_TIMEWAIT_LEN */
	.fin_wait_1_timeout = 120,	/* conntrack's FIN_WAIT; Linux retries the FIN ~100 s */
	.fin_wait_2_timeout = 60,	/* tcp_fin_timeout */
	.syn_sent_timeout = 120,	/* conntrack's SYN_SENT; Linux gives up after ~127 s */
	.syn_rcvd_timeout = 60,		/* conntrack's SYN_RECV */
	.close_wait_timeout = 3600,	/* an application may never close */
	.last_ack_timeout = 30,		/* conntrack's LAST_ACK */
	.closing_timeout = 30,
	.established_timeout = 432000,	/* 5 days, as conntrack */
	.close_linger = 10,
	.keepalive_time = 7200,		/* tcp_keepalive_time */
	.keepalive_intvl = 75,		/* tcp_keepalive_intvl */
	.keepalive_probes = 9,		/* tcp_keepalive_probes */
	.max_conns = 262144,
	.pickup = 1,
	.unconfirmed_timeout = 120,	/* a real connection confirms within an RTT or two */
};

struct tcpsm_tunable {
	const char *name;
	size_t offset;
	int min;
	int max;
};

#define TUNABLE(_name, _min, _max) \
	{ #_name, offsetof(struct tcpsm_config, _name), _min, _max }

static const struct tcpsm_tunable tcpsm_tunables[] = {
	TUNABLE(msl, 1, 3600),
	TUNABLE(fin_wait_1_timeout, 1, 86400),
	TUNABLE(fin_wait_2_timeout, 1, 86400),
	TUNABLE(syn_sent_timeout, 1, 86400),
	TUNABLE(syn_rcvd_timeout, 1, 86400),
	TUNABLE(close_wait_timeout, 1, 864000),
	TUNABLE(last_ack_timeout, 1, 86400),
	TUNABLE(closing_timeout, 1, 86400),
	TUNABLE(established_timeout, 1, 8640000),
	TUNABLE(close_linger, 0, 3600),
	TUNABLE(keepalive_time, 1, 32767),	/* MAX_TCP_KEEPIDLE */
	TUNABLE(keepalive_intvl, 1, 32767),	/* MAX_TCP_KEEPINTVL */
	TUNABLE(keepalive_probes, 1, 127),	/* MAX_TCP_KEEPCNT */
	TUNABLE(max_conns, 1, 16777216),
	TUNABLE(pickup, 0, 1),
	TUNABLE(unconfirmed_timeout, 1, 86400),
};

#define NR_TUNABLES ARRAY_SIZE(tcpsm_tunables)

static int *tunable_ptr(const struct tcpsm_config *cfg, const struct tcpsm_tunable *t)
{
	return (int *)((char *)cfg + t->offset);
}

/* 0 if every value is in range, else -EINVAL, saying which and why. */
int tcpsm_config_check(const struct tcpsm_config *cfg, const char *what)
{
	const struct tcpsm_tunable *t;
	int v;

	for (t = tcpsm_tunables; t < tcpsm_tunables + NR_TUNABLES; t++) {
		v = *tunable_ptr(cfg, t);
		if (v < t->min || v > t->max) {
			pr_err("tcpsm: %s %s=%d is out of range [%d, %d]\n",
			       what, t->name, v, t->min, t->max);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Tunable @i, in the table's order: netlink attribute TCPSM_A_CONFIG_MSL + i,
 * whose policy (generated from the spec) must hold the same range.
 */
int tcpsm_config_get(const struct tcpsm_config *cfg, unsigned int i)
{
	BUILD_BUG_ON(NR_TUNABLES != TCPSM_NR_TUNABLES);
	return READ_ONCE(*tunable_ptr(cfg, &tcpsm_tunables[i]));
}

/* @v must be in range: the netlink policy checked it. */
void tcpsm_config_set(struct tcpsm_config *cfg, unsigned int i, int v)
{
	WRITE_ONCE(*tunable_ptr(cfg, &tcpsm_tunables[i]), v);
}

void tcpsm_config_range(unsigned int i, int *min, int *max)
{
	*min = tcpsm_tunables[i].min;
	*max = tcpsm_tunables[i].max;
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
	unsigned int i, n = NR_TUNABLES + !tn->parent;	/* + max_conns_global */
	struct ctl_table *table;

	table = kcalloc(n + 1, sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	if (!tn->parent) {
		table[NR_TUNABLES].procname = "max_conns_global";
		table[NR_TUNABLES].data = &tcpsm_max_conns_global;
		table[NR_TUNABLES].maxlen = sizeof(int);
		table[NR_TUNABLES].mode = 0644;
		table[NR_TUNABLES].proc_handler = tcpsm_global_handler;
		table[NR_TUNABLES].extra1 = (void *)&global_min;
		table[NR_TUNABLES].extra2 = (void *)&global_max;
	}
	for (i = 0; i < NR_TUNABLES; i++) {
		const struct tcpsm_tunable *t = &tcpsm_tunables[i];

		table[i].procname = t->name;
		table[i].data = tunable_ptr(&tn->cfg, t);
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
