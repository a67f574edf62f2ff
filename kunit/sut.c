// SPDX-License-Identifier: GPL-2.0
/*
 * The system under test: tcpsm_kunit.ko compiles the module's sources that
 * its suites exercise here, once, rather than sharing objects with tcpsm.ko.
 * main.c, tcpsm.ko's module init, parameters and namespace operations,
 * stays out.
 */

#include <linux/inet.h>
#include <linux/module.h>

#include "../module/fsm.c"
#include "../module/names.c"
#include "../module/parse.c"
#include "../module/conn.c"
#include "../module/timeout.c"
#include "../module/history.c"
#include "../module/entry.c"
#include "../module/timer.c"
#include "../module/hooks.c"
#include "../module/tunables.c"
#include "../module/config.c"
#include "../module/stats.c"
#include "../module/report.c"
#include "../module/view.c"
#include "../module/netlink.c"

#include "sut.h"

unsigned int tcpsm_net_id;	/* main.c's; tcpsm_pernet() is never called here */

int tcpsm_test_suite_init(struct kunit_suite *suite)
{
	return tcpsm_cache_init();
}

/* After rcu_barrier(): every entry the suite freed by call_rcu() is gone. */
void tcpsm_test_suite_exit(struct kunit_suite *suite)
{
	tcpsm_cache_destroy();
}

static void net_free(struct tcpsm_net *tn)
{
	tcpsm_gc_end_pass(tn);	/* a case that failed in the middle of a pass */
	tcpsm_table_destroy(tn);
	free_percpu(tn->stats);
}

/*
 * tn->net stays NULL: the table, the timers and tcpsm_track() never use it
 * (only the hook, /proc and sysctls do, and none of them runs here).
 */
static struct tcpsm_net *net_new(struct kunit *test)
{
	struct tcpsm_net *tn;

	tn = kunit_kzalloc(test, sizeof(*tn), GFP_KERNEL);
	if (!tn)
		return NULL;
	tn->cfg = tcpsm_defaults;
	tn->stats = alloc_percpu(struct tcpsm_stats);
	if (!tn->stats)
		return NULL;
	if (tcpsm_table_init(tn)) {
		free_percpu(tn->stats);
		return NULL;
	}
	return tn;
}

int tcpsm_test_net_init(struct kunit *test)
{
	/* a case may have lowered it: the cases share this module's globals */
	tcpsm_max_conns_global = TCPSM_MAX_CONNS_GLOBAL;
	test->priv = net_new(test);
	return test->priv ? 0 : -ENOMEM;
}

void tcpsm_test_net_exit(struct kunit *test)
{
	if (test->priv)
		net_free(test->priv);
}

static void net_free_action(void *tn)
{
	net_free(tn);
}

struct tcpsm_net *tcpsm_test_net_other(struct kunit *test, struct tcpsm_net *parent)
{
	struct tcpsm_net *tn = net_new(test);

	KUNIT_ASSERT_NOT_NULL(test, tn);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, net_free_action, tn), 0);
	tn->parent = parent;
	return tn;
}

void tcpsm_test_pkt(struct kunit *test, struct tcpsm_pkt *p, const char *saddr,
		    u16 sport, const char *daddr, u16 dport)
{
	bool v6 = !!strchr(saddr, ':');

	memset(p, 0, sizeof(*p));
	p->family = v6 ? AF_INET6 : AF_INET;
	if (v6) {
		KUNIT_ASSERT_TRUE(test, in6_pton(saddr, -1, p->saddr.in6.s6_addr, -1, NULL));
		KUNIT_ASSERT_TRUE(test, in6_pton(daddr, -1, p->daddr.in6.s6_addr, -1, NULL));
	} else {
		KUNIT_ASSERT_TRUE(test, in4_pton(saddr, -1, (u8 *)&p->saddr.ip, -1, NULL));
		KUNIT_ASSERT_TRUE(test, in4_pton(daddr, -1, (u8 *)&p->daddr.ip, -1, NULL));
	}
	p->sport = htons(sport);
	p->dport = htons(dport);
	p->seg.wscale = TCPSM_NO_WSCALE;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for tcpsm");
