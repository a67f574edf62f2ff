/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the suites of the table, the timers and the hooks share: a namespace's
 * tracker state (struct tcpsm_net) of their own, built as tcpsm_net_init()
 * builds it but without a namespace, hooks, /proc or sysctls, and segments
 * written by hand. Defined in kunit/sut.c.
 */
#ifndef _TCPSM_KUNIT_SUT_H
#define _TCPSM_KUNIT_SUT_H

#include <kunit/test.h>

#include "tcpsm.h"

/* suite_init, suite_exit: the entry cache, shared by every case of a suite */
int tcpsm_test_suite_init(struct kunit_suite *suite);
void tcpsm_test_suite_exit(struct kunit_suite *suite);

/* init, exit: a fresh tcpsm_net with the default configuration in test->priv */
int tcpsm_test_net_init(struct kunit *test);
void tcpsm_test_net_exit(struct kunit *test);

/*
 * Another namespace's tcpsm_net, freed at the end of the case; @parent
 * stands for the initial namespace's (NULL: it is the initial one).
 */
struct tcpsm_net *tcpsm_test_net_other(struct kunit *test, struct tcpsm_net *parent);

/* A packet from @saddr:@sport to @daddr:@dport; IPv6 if the addresses have a ':'. */
void tcpsm_test_pkt(struct kunit *test, struct tcpsm_pkt *p, const char *saddr,
		    u16 sport, const char *daddr, u16 dport);

#endif /* _TCPSM_KUNIT_SUT_H */
