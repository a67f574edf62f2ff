// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the netlink family (module/netlink.c and the generated
 * netlink-gen.c, compiled into this module by kunit/sut.c): a connection's
 * attributes written into an skb and parsed back against the generated
 * policies, the policies' ranges against config.c's table, event messages,
 * and the dump filters. No family is registered: nothing is sent.
 */
#include <kunit/test.h>
#include <linux/netfilter.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "sut.h"

#define CPORT	40000
#define SPORT	80
#define CISN	1000u
#define SISN	5000u

/* The generated policy of @cmd's do (or dump) half, from the ops table. */
static const struct nla_policy *gen_policy(u8 cmd, bool dump, unsigned int *maxattr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpsm_nl_ops); i++) {
		const struct genl_split_ops *op = &tcpsm_nl_ops[i];

		/* doit and dumpit share a union: the flags tell the halves apart */
		if (op->cmd == cmd && !!(op->flags & GENL_CMD_CAP_DUMP) == dump) {
			*maxattr = op->maxattr;
			return op->policy;
		}
	}
	return NULL;
}

/* What each conn attribute must be: type and, for binary, nothing more. */
static const struct nla_policy conn_types[TCPSM_A_CONN_MAX + 1] = {
	[TCPSM_A_CONN_FAMILY] = { .type = NLA_U8 },
	[TCPSM_A_CONN_CLIENT_ADDR] = { .type = NLA_BINARY },
	[TCPSM_A_CONN_CLIENT_PORT] = { .type = NLA_U16 },
	[TCPSM_A_CONN_SERVER_ADDR] = { .type = NLA_BINARY },
	[TCPSM_A_CONN_SERVER_PORT] = { .type = NLA_U16 },
	[TCPSM_A_CONN_LOCAL ... TCPSM_A_CONN_KA_UNANSWERED_SERVER] = { .type = NLA_U32 },
	[TCPSM_A_CONN_KA_IDLE_MS ... TCPSM_A_CONN_ZW_PROBES_SERVER] = { .type = NLA_U32 },
	[TCPSM_A_CONN_PICKUP] = { .type = NLA_U8 },
	[TCPSM_A_CONN_PKTS_CLIENT] = { .type = NLA_U32 },
	[TCPSM_A_CONN_PKTS_SERVER] = { .type = NLA_U32 },
	[TCPSM_A_CONN_BYTES_CLIENT] = { .type = NLA_U64 },
	[TCPSM_A_CONN_BYTES_SERVER] = { .type = NLA_U64 },
	[TCPSM_A_CONN_AGE_MS] = { .type = NLA_U32 },
	[TCPSM_A_CONN_TW_ACK_RESTARTS] = { .type = NLA_U32 },
	[TCPSM_A_CONN_REPLACED] = { .type = NLA_U8 },
	[TCPSM_A_CONN_ICMP_ERRORS] = { .type = NLA_U32 },
	[TCPSM_A_CONN_STATE] = { .type = NLA_U32 },
	[TCPSM_A_CONN_PORT] = { .type = NLA_U16 },
	[TCPSM_A_CONN_PAD] = { .type = NLA_UNSPEC },
	[TCPSM_A_CONN_CONFIRMED] = { .type = NLA_U8 },
	[TCPSM_A_CONN_ZONE] = { .type = NLA_U32 },
	[TCPSM_A_CONN_HISTORY] = { .type = NLA_NESTED },
	[TCPSM_A_CONN_HISTORY_LOST] = { .type = NLA_U32 },
	[TCPSM_A_CONN_HISTORY_TEXT] = { .type = NLA_NUL_STRING },
	[TCPSM_A_CONN_CLIENT_STATE_MS ... TCPSM_A_CONN_END_STATE] = { .type = NLA_U32 },
};

static const struct nla_policy hist_types[TCPSM_A_HIST_EVENT_MAX + 1] = {
	[TCPSM_A_HIST_EVENT_MS ... TCPSM_A_HIST_EVENT_ROLE] = { .type = NLA_U32 },
	[TCPSM_A_HIST_EVENT_FLAGS] = { .type = NLA_U8 },
	[TCPSM_A_HIST_EVENT_CLIENT_OLD ... TCPSM_A_HIST_EVENT_SERVER_NEW] = { .type = NLA_U32 },
};

static void seg(struct tcpsm_net *tn, struct tcpsm_pkt *p, unsigned int hook, u8 flags,
		u32 seq, u32 ack, u32 len)
{
	p->seg.seq = seq;
	p->seg.ack = ack;
	p->seg.len = len;
	p->seg.win = 1000;
	p->seg.flags = flags;
	rcu_read_lock();
	tcpsm_track(tn, p, hook, false);
	rcu_read_unlock();
}

/* A local client's connection, established, 10 bytes each way. */
static struct tcpsm_conn *conn_open(struct kunit *test, const char *caddr, u16 cport,
				    const char *saddr, u16 sport)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_pkt c2s, s2c;
	struct tcpsm_conn *c;
	struct tcpsm_key key;
	u8 idx;

	tcpsm_test_pkt(test, &c2s, caddr, cport, saddr, sport);
	tcpsm_test_pkt(test, &s2c, saddr, sport, caddr, cport);
	seg(tn, &c2s, NF_INET_LOCAL_OUT, TCPSM_SYN, CISN, 0, 0);
	seg(tn, &s2c, NF_INET_LOCAL_IN, TCPSM_SYN | TCPSM_ACK, SISN, CISN + 1, 0);
	seg(tn, &c2s, NF_INET_LOCAL_OUT, TCPSM_ACK, CISN + 1, SISN + 1, 0);
	seg(tn, &c2s, NF_INET_LOCAL_OUT, TCPSM_ACK, CISN + 1, SISN + 1, 10);
	seg(tn, &s2c, NF_INET_LOCAL_IN, TCPSM_ACK, SISN + 1, CISN + 11, 10);
	tcpsm_key_make(&key, &c2s, &idx);
	rcu_read_lock();
	c = tcpsm_conn_lookup(tn, &key);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, c);
	return c;
}

static struct sk_buff *conn_skb(struct kunit *test, struct tcpsm_conn *c)
{
	struct sk_buff *skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	spin_lock_bh(&c->lock);
	err = tcpsm_nl_conn_fill(skb, c, jiffies, true);
	spin_unlock_bh(&c->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	return skb;
}

static unsigned int hist_nests(const struct nlattr *conn)
{
	const struct nlattr *a;
	unsigned int n = 0;
	int rem;

	nla_for_each_nested(a, conn, rem)
		n += nla_type(a) == TCPSM_A_CONN_HISTORY;
	return n;
}

/* The history: a nest per event, oldest first, and the text /proc prints. */
static void tcpsm_nl_conn_history(struct kunit *test)
{
	struct tcpsm_conn *c = conn_open(test, "10.0.0.1", CPORT, "192.0.2.1", SPORT);
	static const u8 whats[] = { TCPSM_H_SYN, TCPSM_H_SYNACK, TCPSM_H_ACK, TCPSM_H_DATA,
				    TCPSM_H_DATA };
	static const u8 roles[] = { TCPSM_ROLE_CLIENT, TCPSM_ROLE_SERVER, TCPSM_ROLE_CLIENT,
				    TCPSM_ROLE_CLIENT, TCPSM_ROLE_SERVER };
	struct nlattr *tb[TCPSM_A_CONN_MAX + 1], *ev[TCPSM_A_HIST_EVENT_MAX + 1], *a;
	struct sk_buff *skb = conn_skb(test, c);
	unsigned int n = 0;
	int rem;

	KUNIT_ASSERT_EQ(test, nla_parse(tb, TCPSM_A_CONN_MAX, (struct nlattr *)skb->data,
					skb->len, conn_types, NULL), 0);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPSM_A_CONN_HISTORY_TEXT]), "ShADd");
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_HISTORY_LOST]), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_END]), TCPSM_ENDED_NONE);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_CLOSER]), TCPSM_CLOSER_NONE);
	KUNIT_EXPECT_NULL(test, tb[TCPSM_A_CONN_END_STATE]);	/* only for a timeout */
	KUNIT_EXPECT_NOT_NULL(test, tb[TCPSM_A_CONN_SYN_RTT_MS]);
	nla_for_each_attr(a, (struct nlattr *)skb->data, skb->len, rem) {
		if (nla_type(a) != TCPSM_A_CONN_HISTORY)
			continue;
		KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(whats));
		KUNIT_ASSERT_EQ(test, nla_parse_nested(ev, TCPSM_A_HIST_EVENT_MAX, a, hist_types,
						       NULL), 0);
		KUNIT_EXPECT_EQ_MSG(test, nla_get_u32(ev[TCPSM_A_HIST_EVENT_WHAT]), whats[n],
				    "event %u", n);
		KUNIT_EXPECT_EQ(test, nla_get_u32(ev[TCPSM_A_HIST_EVENT_ROLE]), roles[n]);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(whats));
	kfree_skb(skb);
}

static void tcpsm_nl_conn_attrs(struct kunit *test)
{
	struct tcpsm_conn *c = conn_open(test, "10.0.0.1", CPORT, "192.0.2.1", SPORT);
	struct nlattr *tb[TCPSM_A_CONN_MAX + 1];
	const struct nla_policy *pol;
	struct sk_buff *skb;
	unsigned int max;
	__be32 a;

	skb = conn_skb(test, c);
	/* every attribute has its type and size */
	KUNIT_ASSERT_EQ(test, nla_parse((struct nlattr **)tb, TCPSM_A_CONN_MAX,
					(struct nlattr *)skb->data, skb->len, conn_types,
					NULL), 0);
	/* the key, against the generated conn-get request policy */
	pol = gen_policy(TCPSM_CMD_CONN_GET, false, &max);
	KUNIT_ASSERT_NOT_NULL(test, pol);
	KUNIT_ASSERT_EQ(test, max, TCPSM_A_CONN_ZONE);	/* the key's last */
	KUNIT_ASSERT_EQ(test, nla_parse_deprecated(tb, max, (struct nlattr *)skb->data,
						   skb->len, pol, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPSM_A_CONN_FAMILY]), AF_INET);
	KUNIT_ASSERT_EQ(test, nla_len(tb[TCPSM_A_CONN_CLIENT_ADDR]), 4);
	a = nla_get_in_addr(tb[TCPSM_A_CONN_CLIENT_ADDR]);
	KUNIT_EXPECT_EQ(test, ntohl(a), 0x0a000001u);
	a = nla_get_in_addr(tb[TCPSM_A_CONN_SERVER_ADDR]);
	KUNIT_EXPECT_EQ(test, ntohl(a), 0xc0000201u);
	KUNIT_EXPECT_EQ(test, ntohs(nla_get_be16(tb[TCPSM_A_CONN_CLIENT_PORT])), CPORT);
	KUNIT_EXPECT_EQ(test, ntohs(nla_get_be16(tb[TCPSM_A_CONN_SERVER_PORT])), SPORT);

	KUNIT_ASSERT_EQ(test, nla_parse((struct nlattr **)tb, TCPSM_A_CONN_MAX,
					(struct nlattr *)skb->data, skb->len, conn_types,
					NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_LOCAL]), TCPSM_LOCAL_CLIENT);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_CLIENT_STATE]), TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_SERVER_STATE]), TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_TIMER]), TCPSM_TIMER_ESTABLISHED);
	KUNIT_EXPECT_GT(test, nla_get_u32(tb[TCPSM_A_CONN_TIMER_MS]), 0u);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_TW_RESTARTS]), 0u);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_KA_DEAD]), TCPSM_KA_DEAD_NONE);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPSM_A_CONN_PICKUP]), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPSM_A_CONN_CONFIRMED]), 1);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_PKTS_CLIENT]), 3u);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_CONN_PKTS_SERVER]), 2u);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPSM_A_CONN_BYTES_CLIENT]), 10ull);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPSM_A_CONN_BYTES_SERVER]), 10ull);
	KUNIT_EXPECT_NOT_NULL(test, tb[TCPSM_A_CONN_AGE_MS]);
	KUNIT_EXPECT_NOT_NULL(test, tb[TCPSM_A_CONN_KA_NEXT_CLIENT_MS]);
	KUNIT_EXPECT_NULL(test, tb[TCPSM_A_CONN_STATE]);	/* filters are requests only */
	KUNIT_EXPECT_NULL(test, tb[TCPSM_A_CONN_ZONE]);	/* only where addresses are scoped */
	KUNIT_EXPECT_NULL(test, tb[TCPSM_A_CONN_PORT]);
	kfree_skb(skb);
}

static void tcpsm_nl_conn_attrs_ipv6(struct kunit *test)
{
	struct tcpsm_conn *c = conn_open(test, "2001:db8::1", CPORT, "2001:db8::2", SPORT);
	struct nlattr *tb[TCPSM_A_CONN_MAX + 1];
	struct in6_addr a;
	struct sk_buff *skb;

	skb = conn_skb(test, c);
	KUNIT_ASSERT_EQ(test, nla_parse(tb, TCPSM_A_CONN_MAX, (struct nlattr *)skb->data,
					skb->len, conn_types, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPSM_A_CONN_FAMILY]), AF_INET6);
	KUNIT_ASSERT_EQ(test, nla_len(tb[TCPSM_A_CONN_SERVER_ADDR]), 16);
	a = nla_get_in6_addr(tb[TCPSM_A_CONN_SERVER_ADDR]);
	KUNIT_EXPECT_EQ(test, a.s6_addr[15], 2);
	KUNIT_EXPECT_EQ(test, ntohs(a.s6_addr16[0]), 0x2001);
	kfree_skb(skb);
}

/* An event: its own attributes, and the connection nested in it. */
static void tcpsm_nl_event_attrs(struct kunit *test)
{
	struct tcpsm_conn *c = conn_open(test, "10.0.0.1", CPORT, "192.0.2.1", SPORT);
	struct nlattr *tb[TCPSM_A_EVENT_MAX + 1], *ctb[TCPSM_A_CONN_MAX + 1];
	struct sk_buff *skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	spin_lock_bh(&c->lock);
	err = tcpsm_nl_event_fill(skb, c, TCPSM_EVENT_TYPE_STATE, TCPSM_ROLE_SERVER,
				  TCPSM_SYN_RCVD, TCPSM_ESTABLISHED, TCPSM_K_ACKSYN, -1, jiffies);
	spin_unlock_bh(&c->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, nla_parse_deprecated(tb, TCPSM_A_EVENT_MAX,
						   (struct nlattr *)skb->data, skb->len,
						   NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_TYPE]), TCPSM_EVENT_TYPE_STATE);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_ROLE]), TCPSM_ROLE_SERVER);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_OLD_STATE]), TCPSM_SYN_RCVD);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_NEW_STATE]), TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_KIND]), TCPSM_K_ACKSYN);
	/* how long the server spent in the state it left, as the entry keeps it */
	KUNIT_ASSERT_NOT_NULL(test, tb[TCPSM_A_EVENT_OLD_STATE_MS]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_OLD_STATE_MS]),
			c->e.prev_ms[TCPSM_ROLE_SERVER]);
	KUNIT_EXPECT_NULL(test, tb[TCPSM_A_EVENT_REASON]);
	KUNIT_EXPECT_NULL(test, tb[TCPSM_A_EVENT_INVALID]);
	KUNIT_ASSERT_NOT_NULL(test, tb[TCPSM_A_EVENT_CONN]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(ctb, TCPSM_A_CONN_MAX, tb[TCPSM_A_EVENT_CONN],
					       conn_types, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ctb[TCPSM_A_CONN_CLIENT_STATE]), TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, ntohs(nla_get_be16(ctb[TCPSM_A_CONN_SERVER_PORT])), SPORT);
	/* of the history's five events, the latest only */
	KUNIT_EXPECT_EQ(test, hist_nests(tb[TCPSM_A_EVENT_CONN]), 1);
	kfree_skb(skb);
}

/* An invalid segment's event: its sender, its kind and why. */
static void tcpsm_nl_event_invalid(struct kunit *test)
{
	struct tcpsm_conn *c = conn_open(test, "10.0.0.1", CPORT, "192.0.2.1", SPORT);
	struct nlattr *tb[TCPSM_A_EVENT_MAX + 1];
	struct sk_buff *skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	spin_lock_bh(&c->lock);
	err = tcpsm_nl_event_fill(skb, c, TCPSM_EVENT_TYPE_INVALID, TCPSM_ROLE_CLIENT, -1, -1,
				  TCPSM_K_FIN, TCPSM_INV_SEQ, jiffies);
	spin_unlock_bh(&c->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, nla_parse_deprecated(tb, TCPSM_A_EVENT_MAX,
						   (struct nlattr *)skb->data, skb->len,
						   NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_TYPE]), TCPSM_EVENT_TYPE_INVALID);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_KIND]), TCPSM_K_FIN);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPSM_A_EVENT_INVALID]), TCPSM_INV_SEQ);
	KUNIT_EXPECT_NULL(test, tb[TCPSM_A_EVENT_OLD_STATE]);
	kfree_skb(skb);
}

/* Parse one u32 attribute against a policy; 0 or the error. */
static int parse_u32(struct kunit *test, const struct nla_policy *pol, unsigned int max,
		     int type, u32 v)
{
	struct nlattr *tb[TCPSM_A_CONN_MAX + TCPSM_A_CONFIG_MAX + 1];
	struct {
		struct nlattr nla;
		u32 v;
	} buf = { { .nla_len = nla_attr_size(sizeof(u32)), .nla_type = type }, v };

	return nla_parse(tb, max, &buf.nla, sizeof(buf), pol, NULL);
}

/* The config-set policy holds config.c's ranges, and so the sysctls'. */
static void tcpsm_nl_config_policy(struct kunit *test)
{
	const struct nla_policy *pol;
	unsigned int max, i;
	int lo, hi;

	pol = gen_policy(TCPSM_CMD_CONFIG_SET, false, &max);
	KUNIT_ASSERT_NOT_NULL(test, pol);
	KUNIT_ASSERT_EQ(test, max, TCPSM_A_CONFIG_MAX);
	for (i = 0; i < TCPSM_NR_TUNABLES; i++) {
		int type = TCPSM_A_CONFIG_MSL + i;

		tcpsm_config_range(i, &lo, &hi);
		KUNIT_EXPECT_EQ_MSG(test, parse_u32(test, pol, max, type, lo), 0, "tunable %u", i);
		KUNIT_EXPECT_EQ_MSG(test, parse_u32(test, pol, max, type, hi), 0, "tunable %u", i);
		KUNIT_EXPECT_NE_MSG(test, parse_u32(test, pol, max, type, hi + 1), 0,
				    "tunable %u", i);
		if (lo > 0)
			KUNIT_EXPECT_NE_MSG(test, parse_u32(test, pol, max, type, lo - 1), 0,
					    "tunable %u", i);
	}
}

/* The dump request: filters in range only. */
static void tcpsm_nl_dump_policy(struct kunit *test)
{
	const struct nla_policy *pol;
	unsigned int max;

	pol = gen_policy(TCPSM_CMD_CONN_GET, true, &max);
	KUNIT_ASSERT_NOT_NULL(test, pol);
	KUNIT_EXPECT_EQ(test, parse_u32(test, pol, max, TCPSM_A_CONN_STATE, TCPSM_TIME_WAIT), 0);
	KUNIT_EXPECT_NE(test, parse_u32(test, pol, max, TCPSM_A_CONN_STATE, __TCPSM_STATE_MAX), 0);
	KUNIT_EXPECT_EQ(test, parse_u32(test, pol, max, TCPSM_A_CONN_LOCAL, TCPSM_LOCAL_BOTH), 0);
	KUNIT_EXPECT_NE(test, parse_u32(test, pol, max, TCPSM_A_CONN_LOCAL, 4), 0);
	/* a reply-only attribute is refused in a dump request */
	KUNIT_EXPECT_NE(test, parse_u32(test, pol, max, TCPSM_A_CONN_CLIENT_STATE, 0), 0);
}

#define F_FAMILY	TCPSM_DUMP_F_FAMILY
#define F_STATE		TCPSM_DUMP_F_STATE
#define F_PORT		TCPSM_DUMP_F_PORT
#define F_LOCAL		TCPSM_DUMP_F_LOCAL

static void tcpsm_nl_dump_filters(struct kunit *test)
{
	struct tcpsm_conn *c4 = conn_open(test, "10.0.0.1", CPORT, "192.0.2.1", SPORT);
	struct tcpsm_conn *c6 = conn_open(test, "2001:db8::1", CPORT + 1, "2001:db8::2", 443);
	__be16 p80 = htons(SPORT), pc = htons(CPORT), p443 = htons(443);

	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c4, 0, 0, 0, 0, 0));
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c4, F_FAMILY, AF_INET, 0, 0, 0));
	KUNIT_EXPECT_FALSE(test, tcpsm_nl_dump_match(c6, F_FAMILY, AF_INET, 0, 0, 0));
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c6, F_FAMILY, AF_INET6, 0, 0, 0));
	/* either endpoint's state, either port */
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c4, F_STATE, 0, TCPSM_ESTABLISHED, 0, 0));
	KUNIT_EXPECT_FALSE(test, tcpsm_nl_dump_match(c4, F_STATE, 0, TCPSM_TIME_WAIT, 0, 0));
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c4, F_PORT, 0, 0, p80, 0));
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c4, F_PORT, 0, 0, pc, 0));
	KUNIT_EXPECT_FALSE(test, tcpsm_nl_dump_match(c4, F_PORT, 0, 0, p443, 0));
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c6, F_PORT, 0, 0, p443, 0));
	/* local: the client is local here, the server is not */
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c4, F_LOCAL, 0, 0, 0, TCPSM_LOCAL_CLIENT));
	KUNIT_EXPECT_FALSE(test, tcpsm_nl_dump_match(c4, F_LOCAL, 0, 0, 0, TCPSM_LOCAL_SERVER));
	KUNIT_EXPECT_FALSE(test, tcpsm_nl_dump_match(c4, F_LOCAL, 0, 0, 0, TCPSM_LOCAL_BOTH));
	KUNIT_EXPECT_FALSE(test, tcpsm_nl_dump_match(c4, F_LOCAL, 0, 0, 0, TCPSM_LOCAL_NONE));
	/* all filters must hold */
	KUNIT_EXPECT_TRUE(test, tcpsm_nl_dump_match(c4, F_FAMILY | F_STATE | F_PORT | F_LOCAL,
						    AF_INET, TCPSM_ESTABLISHED, p80,
						    TCPSM_LOCAL_CLIENT));
	KUNIT_EXPECT_FALSE(test, tcpsm_nl_dump_match(c4, F_FAMILY | F_PORT, AF_INET6, 0, p80, 0));
}

static struct kunit_case tcpsm_netlink_cases[] = {
	KUNIT_CASE(tcpsm_nl_conn_history),
	KUNIT_CASE(tcpsm_nl_conn_attrs),
	KUNIT_CASE(tcpsm_nl_conn_attrs_ipv6),
	KUNIT_CASE(tcpsm_nl_event_attrs),
	KUNIT_CASE(tcpsm_nl_event_invalid),
	KUNIT_CASE(tcpsm_nl_config_policy),
	KUNIT_CASE(tcpsm_nl_dump_policy),
	KUNIT_CASE(tcpsm_nl_dump_filters),
	{}
};

static struct kunit_suite tcpsm_netlink_suite = {
	.name = "tcpsm_netlink",
	.suite_init = tcpsm_test_suite_init,
	.suite_exit = tcpsm_test_suite_exit,
	.init = tcpsm_test_net_init,
	.exit = tcpsm_test_net_exit,
	.test_cases = tcpsm_netlink_cases,
};

kunit_test_suite(tcpsm_netlink_suite);
