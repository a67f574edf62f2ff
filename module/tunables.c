// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm's tunables: one table names each one, its range and its default.
 * The module's parameters set the defaults for new namespaces and each
 * namespace gets its own copy as net.tcpsm.* sysctls (config.c); the replay
 * takes the same names and ranges from --set.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "tunables.h"

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

#define TUNABLE(_name, _min, _max) \
	{ #_name, offsetof(struct tcpsm_config, _name), _min, _max }

/*
 * In the order of the netlink attributes TCPSM_A_CONFIG_*: a count other
 * than the header's TCPSM_NR_TUNABLES is a conflicting definition.
 */
const struct tcpsm_tunable tcpsm_tunables[] = {
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

int *tcpsm_tunable_ptr(const struct tcpsm_config *cfg, unsigned int i)
{
	return (int *)((char *)cfg + tcpsm_tunables[i].offset);
}

int tcpsm_config_bad(const struct tcpsm_config *cfg)
{
	unsigned int i;
	int v;

	for (i = 0; i < TCPSM_NR_TUNABLES; i++) {
		v = *tcpsm_tunable_ptr(cfg, i);
		if (v < tcpsm_tunables[i].min || v > tcpsm_tunables[i].max)
			return i;
	}
	return -1;
}

int tcpsm_tunable_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < TCPSM_NR_TUNABLES; i++)
		if (!strcmp(tcpsm_tunables[i].name, name))
			return i;
	return -1;
}

int tcpsm_config_get(const struct tcpsm_config *cfg, unsigned int i)
{
	return READ_ONCE(*tcpsm_tunable_ptr(cfg, i));
}

void tcpsm_config_set(struct tcpsm_config *cfg, unsigned int i, int v)
{
	WRITE_ONCE(*tcpsm_tunable_ptr(cfg, i), v);
}

void tcpsm_config_range(unsigned int i, int *min, int *max)
{
	*min = tcpsm_tunables[i].min;
	*max = tcpsm_tunables[i].max;
}
