// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for tcpsm's connection table (module/conn.c, compiled into
 * this module by kunit/sut.c), in a tcpsm_net of its own: keys, insertion
 * and lookup, destruction and flush, the max_conns limit and eviction by
 * class, with the counters each of them moves.
 *
 * No state here goes through the timers and no garbage collector runs: an
 * entry lives until the case destroys it, and the pointers the helpers
 * return stay valid after they leave their RCU section.
 */
#include <kunit/test.h>

#include "sut.h"

/* client state, server state, entry flags: as a handshake left it (confirmed) or not */
#define ST(c, s)	{ TCPSM_##c, TCPSM_##s }
#define STC(c, s)	{ TCPSM_##c, TCPSM_##s, TCPSM_F_CONFIRMED }
#define STP(c, s)	{ TCPSM_##c, TCPSM_##s, TCPSM_F_PICKUP }

static u64 stat_of(struct kunit *test, enum tcpsm_stat s)
{
	return tcpsm_stat_read(test->priv, s);
}

/* Connection @n: 10.0.0.1:(1000 + @n), the client, to 10.0.0.2:80. */
static void conn_key(struct kunit *test, int n, struct tcpsm_key *key, u8 *client)
{
	struct tcpsm_pkt p;

	tcpsm_test_pkt(test, &p, "10.0.0.1", 1000 + n, "10.0.0.2", 80);
	tcpsm_key_make(key, &p, client);
}

static struct tcpsm_conn *conn_create_in(struct kunit *test, struct tcpsm_net *tn, int n)
{
	struct tcpsm_conn *c;
	struct tcpsm_key key;
	u8 client;

	conn_key(test, n, &key, &client);
	rcu_read_lock();
	c = tcpsm_conn_create(tn, &key, client);
	rcu_read_unlock();
	return c;
}

static struct tcpsm_conn *conn_create(struct kunit *test, int n)
{
	return conn_create_in(test, test->priv, n);
}

static struct tcpsm_conn *conn_find_in(struct kunit *test, struct tcpsm_net *tn, int n)
{
	struct tcpsm_conn *c;
	struct tcpsm_key key;
	u8 client;

	conn_key(test, n, &key, &client);
	rcu_read_lock();
	c = tcpsm_conn_lookup(tn, &key);
	rcu_read_unlock();
	return c;
}

static struct tcpsm_conn *conn_find(struct kunit *test, int n)
{
	return conn_find_in(test, test->priv, n);
}

/* Put the endpoints in these states, as segments or a timer would. */
static void conn_set(struct tcpsm_conn *c, u8 client, u8 server, u8 flags)
{
	spin_lock_bh(&c->lock);
	c->e.flags |= flags;
	c->e.fsm.end[TCPSM_ROLE_CLIENT].state = client;
	c->e.fsm.end[TCPSM_ROLE_SERVER].state = server;
	tcpsm_conn_set_class(c);
	spin_unlock_bh(&c->lock);
}

static struct tcpsm_conn *class_first(struct tcpsm_net *tn, enum tcpsm_class cl)
{
	struct tcpsm_conn *c;

	spin_lock_bh(&tn->class_lock);
	c = list_first_entry_or_null(&tn->class_list[cl], struct tcpsm_conn, class_node);
	spin_unlock_bh(&tn->class_lock);
	return c;
}

/* ---- keys --------------------------------------------------------------- */

struct key_case {
	const char *desc;
	const char *a;	/* the packet's source */
	u16 aport;
	const char *b;	/* its destination */
	u16 bport;
	u8 a_idx;	/* A's half of the key: 0 when (address, port) A is the lower */
	u32 zone;	/* the hook's: link-local interface or VRF */
};

static const struct key_case key_cases[] = {
	{ "IPv4 lower address first", "10.0.0.1", 40000, "10.0.0.2", 80, 0 },
	{ "IPv4 address before port", "192.168.0.1", 1, "10.0.0.2", 65535, 1 },
	{ "IPv4 address in network order", "10.0.1.0", 80, "10.0.0.255", 80, 1 },
	{ "IPv4 same address lower port first", "127.0.0.1", 40000, "127.0.0.1", 80, 1 },
	{ "IPv4 same address port in host order", "127.0.0.1", 1, "127.0.0.1", 256, 0 },
	{ "IPv6 lower address first", "2001:db8::2", 443, "2001:db8::1", 50000, 1 },
	{ "IPv6 address in network order", "2001:db8::1:0", 80, "2001:db8::ff", 80, 1 },
	{ "IPv6 same address port in host order", "::1", 256, "::1", 1, 1 },
	{ "IPv6 link-local with its interface", "fe80::1", 40000, "fe80::2", 22, 0, 3 },
	{ "IPv4 in a VRF", "10.0.0.2", 80, "10.0.0.1", 40000, 1, 0x80000001 },
};

KUNIT_ARRAY_PARAM_DESC(key_cases, key_cases, desc);

static void tcpsm_conn_key_same_both_ways(struct kunit *test)
{
	const struct key_case *kc = test->param_value;
	struct tcpsm_key ab, ba;
	struct tcpsm_pkt p, q;
	u8 ab_idx, ba_idx;

	tcpsm_test_pkt(test, &p, kc->a, kc->aport, kc->b, kc->bport);
	tcpsm_test_pkt(test, &q, kc->b, kc->bport, kc->a, kc->aport);
	p.zone = kc->zone;
	q.zone = kc->zone;
	/* Different garbage in each: every byte of the key must be written. */
	memset(&ab, 0xa5, sizeof(ab));
	memset(&ba, 0x5a, sizeof(ba));
	tcpsm_key_make(&ab, &p, &ab_idx);
	tcpsm_key_make(&ba, &q, &ba_idx);

	KUNIT_EXPECT_MEMEQ(test, &ab, &ba, sizeof(ab));
	KUNIT_EXPECT_EQ(test, ab_idx, kc->a_idx);
	KUNIT_EXPECT_EQ(test, ba_idx, !kc->a_idx);
	KUNIT_EXPECT_MEMEQ(test, &ab.addr[kc->a_idx], &p.saddr, sizeof(p.saddr));
	KUNIT_EXPECT_MEMEQ(test, &ab.addr[!kc->a_idx], &p.daddr, sizeof(p.daddr));
	KUNIT_EXPECT_EQ(test, ntohs(ab.port[kc->a_idx]), kc->aport);
	KUNIT_EXPECT_EQ(test, ntohs(ab.port[!kc->a_idx]), kc->bport);
	KUNIT_EXPECT_EQ(test, ab.family, p.family);
	KUNIT_EXPECT_EQ(test, ab.zone, kc->zone);
}

/* The same four-tuple in two zones (VRFs, interfaces): two keys, two entries. */
static void tcpsm_conn_key_zone_separates(struct kunit *test)
{
	const struct key_case *kc = test->param_value;
	struct tcpsm_conn *c0, *c1, *f0, *f1;
	struct tcpsm_key k0, k1;
	struct tcpsm_pkt p;
	u8 idx0, idx1;

	tcpsm_test_pkt(test, &p, kc->a, kc->aport, kc->b, kc->bport);
	p.zone = kc->zone;
	tcpsm_key_make(&k0, &p, &idx0);
	p.zone = kc->zone + 1;
	tcpsm_key_make(&k1, &p, &idx1);
	KUNIT_EXPECT_EQ(test, idx0, idx1);
	KUNIT_EXPECT_MEMNEQ(test, &k0, &k1, sizeof(k0));

	rcu_read_lock();
	c0 = tcpsm_conn_create(test->priv, &k0, idx0);
	c1 = tcpsm_conn_create(test->priv, &k1, idx1);
	f0 = tcpsm_conn_lookup(test->priv, &k0);
	f1 = tcpsm_conn_lookup(test->priv, &k1);
	rcu_read_unlock();

	KUNIT_ASSERT_NOT_NULL(test, c0);
	KUNIT_ASSERT_NOT_NULL(test, c1);
	KUNIT_EXPECT_PTR_NE(test, c0, c1);
	KUNIT_EXPECT_PTR_EQ(test, f0, c0);
	KUNIT_EXPECT_PTR_EQ(test, f1, c1);
	KUNIT_EXPECT_EQ(test, atomic_read(&((struct tcpsm_net *)test->priv)->count), 2);
}

/* ---- insertion and lookup ----------------------------------------------- */

static void tcpsm_conn_lookup_both_ways(struct kunit *test)
{
	const struct key_case *kc = test->param_value;
	struct tcpsm_conn *c, *fwd, *rev;
	struct tcpsm_key ab, ba;
	struct tcpsm_pkt p, q;
	u8 ab_idx, ba_idx;

	tcpsm_test_pkt(test, &p, kc->a, kc->aport, kc->b, kc->bport);
	tcpsm_test_pkt(test, &q, kc->b, kc->bport, kc->a, kc->aport);
	p.zone = kc->zone;
	q.zone = kc->zone;
	tcpsm_key_make(&ab, &p, &ab_idx);
	tcpsm_key_make(&ba, &q, &ba_idx);

	rcu_read_lock();
	c = tcpsm_conn_create(test->priv, &ab, ab_idx);
	fwd = tcpsm_conn_lookup(test->priv, &ab);
	rev = tcpsm_conn_lookup(test->priv, &ba);
	rcu_read_unlock();

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, fwd, c);
	KUNIT_EXPECT_PTR_EQ(test, rev, c);
	KUNIT_EXPECT_EQ(test, c->e.client, ab_idx);
}

static void tcpsm_conn_create_fresh_entry(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c = conn_create(test, 1);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->e.fsm.end[TCPSM_ROLE_CLIENT].state, TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, c->e.fsm.end[TCPSM_ROLE_SERVER].state, TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, c->e.flags, 0);
	KUNIT_EXPECT_PTR_EQ(test, c->tn, tn);
	KUNIT_EXPECT_EQ(test, c->class, TCPSM_CLASS_CLOSED);
	KUNIT_EXPECT_PTR_EQ(test, class_first(tn, TCPSM_CLASS_CLOSED), c);
	KUNIT_EXPECT_EQ(test, c->e.deadline[TCPSM_ROLE_CLIENT], 0);
	KUNIT_EXPECT_EQ(test, c->e.deadline[TCPSM_ROLE_SERVER], 0);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_CREATED), 1);
}

static void tcpsm_conn_create_twice_finds_existing(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c = conn_create(test, 1);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, conn_create(test, 1), c);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 1);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_CREATED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_INSERT_FAILED), 0);
}

static void tcpsm_conn_lookup_other_tuple_misses(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, conn_create(test, 1));
	KUNIT_EXPECT_NULL(test, conn_find(test, 2));
	KUNIT_EXPECT_NOT_NULL(test, conn_find(test, 1));
}

static void tcpsm_conn_count_up_and_down(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c[3];
	int i;

	for (i = 0; i < 3; i++) {
		c[i] = conn_create(test, i);
		KUNIT_ASSERT_NOT_NULL(test, c[i]);
		KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), i + 1);
	}
	for (i = 0; i < 3; i++) {
		tcpsm_conn_destroy(c[i], TCPSM_DESTROY_EXPIRED);
		KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 2 - i);
	}
}

/* ---- destruction -------------------------------------------------------- */

static void tcpsm_conn_destroy_unlinks(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c = conn_create(test, 1);
	bool dead, unlinked;

	KUNIT_ASSERT_NOT_NULL(test, c);
	rcu_read_lock();	/* c is freed after a grace period */
	tcpsm_conn_destroy(c, TCPSM_DESTROY_EXPIRED);
	dead = c->e.flags & TCPSM_F_DEAD;
	unlinked = list_empty(&c->class_node);
	rcu_read_unlock();

	KUNIT_EXPECT_TRUE(test, dead);
	KUNIT_EXPECT_TRUE(test, unlinked);
	KUNIT_EXPECT_NULL(test, conn_find(test, 1));
	KUNIT_EXPECT_NULL(test, class_first(tn, TCPSM_CLASS_CLOSED));
}

static void tcpsm_conn_destroy_idempotent(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c = conn_create(test, 1);
	u8 reason;

	KUNIT_ASSERT_NOT_NULL(test, conn_create(test, 2));
	KUNIT_ASSERT_NOT_NULL(test, c);
	rcu_read_lock();
	tcpsm_conn_destroy(c, TCPSM_DESTROY_EXPIRED);
	tcpsm_conn_destroy(c, TCPSM_DESTROY_RESET);
	spin_lock_bh(&c->lock);
	tcpsm_conn_destroy_locked(c, TCPSM_DESTROY_FLUSHED);
	spin_unlock_bh(&c->lock);
	reason = c->e.destroy_reason;
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 1);
	KUNIT_EXPECT_EQ(test, reason, TCPSM_DESTROY_EXPIRED);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_DESTROY_EXPIRED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_DESTROY_RESET), 0);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_DESTROY_FLUSHED), 0);
	KUNIT_EXPECT_NOT_NULL(test, conn_find(test, 2));
}

static const enum tcpsm_stat destroy_stats[] = {
	TCPSM_STAT_DESTROY_EXPIRED,
	TCPSM_STAT_DESTROY_RESET,
	TCPSM_STAT_DESTROY_EVICTED,
	TCPSM_STAT_DESTROY_FLUSHED,
	TCPSM_STAT_DESTROY_REPLACED,
};

struct reason_case {
	enum tcpsm_destroy_reason why;
	enum tcpsm_stat stat;
};

static const struct reason_case reason_cases[] = {
	{ TCPSM_DESTROY_EXPIRED, TCPSM_STAT_DESTROY_EXPIRED },
	{ TCPSM_DESTROY_RESET, TCPSM_STAT_DESTROY_RESET },
	{ TCPSM_DESTROY_EVICTED, TCPSM_STAT_DESTROY_EVICTED },
	{ TCPSM_DESTROY_FLUSHED, TCPSM_STAT_DESTROY_FLUSHED },
	{ TCPSM_DESTROY_REPLACED, TCPSM_STAT_DESTROY_REPLACED },
};

static void reason_case_desc(const struct reason_case *rc, char *desc)
{
	strscpy(desc, tcpsm_stat_name(rc->stat), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(reason_cases, reason_cases, reason_case_desc);

static void tcpsm_conn_destroy_counted_by_reason(struct kunit *test)
{
	const struct reason_case *rc = test->param_value;
	struct tcpsm_conn *c = conn_create(test, 1);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	tcpsm_conn_destroy(c, rc->why);
	for (i = 0; i < ARRAY_SIZE(destroy_stats); i++)
		KUNIT_EXPECT_EQ_MSG(test, stat_of(test, destroy_stats[i]),
				    destroy_stats[i] == rc->stat, "%s",
				    tcpsm_stat_name(destroy_stats[i]));
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_EVICTED), 0);
}

static void tcpsm_conn_flush_empties(struct kunit *test)
{
	static const u8 states[][3] = {
		ST(CLOSED, CLOSED), ST(SYN_SENT, LISTEN), STC(ESTABLISHED, ESTABLISHED),
		STP(ESTABLISHED, ESTABLISHED), STC(FIN_WAIT_2, CLOSE_WAIT), ST(TIME_WAIT, CLOSED),
	};
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c;
	unsigned int i;
	int cl;

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		c = conn_create(test, i);
		KUNIT_ASSERT_NOT_NULL(test, c);
		conn_set(c, states[i][0], states[i][1], states[i][2]);
	}
	tcpsm_table_flush(tn);

	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 0);
	for (i = 0; i < ARRAY_SIZE(states); i++)
		KUNIT_EXPECT_NULL(test, conn_find(test, i));
	for (cl = 0; cl < __TCPSM_CLASS_MAX; cl++)
		KUNIT_EXPECT_NULL(test, class_first(tn, cl));
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_DESTROY_FLUSHED), ARRAY_SIZE(states));
}

/* Enough entries for the table to grow a few times: all found, all flushed. */
static void tcpsm_conn_many_entries(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	int i, missing = 0;

	for (i = 0; i < 2000; i++)
		KUNIT_ASSERT_NOT_NULL(test, conn_create(test, i));
	for (i = 0; i < 2000; i++)
		missing += !conn_find(test, i);
	KUNIT_EXPECT_EQ(test, missing, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 2000);

	while (atomic_read(&tn->count) > 0)	/* as tcpsm_table_destroy() */
		tcpsm_table_flush(tn);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_DESTROY_FLUSHED), 2000);
	KUNIT_EXPECT_NULL(test, conn_find(test, 0));
	KUNIT_EXPECT_NULL(test, conn_find(test, 1999));
}

/* ---- classes, max_conns and eviction ------------------------------------ */

struct class_case {
	u8 client;
	u8 server;
	u8 flags;
	u8 class;
};

#define CONFIRMED	TCPSM_F_CONFIRMED
#define PICKUP		TCPSM_F_PICKUP

static const struct class_case class_cases[] = {
	{ TCPSM_CLOSED, TCPSM_CLOSED, 0, TCPSM_CLASS_CLOSED },
	{ TCPSM_CLOSED, TCPSM_CLOSED, PICKUP, TCPSM_CLASS_CLOSED },
	{ TCPSM_TIME_WAIT, TCPSM_CLOSED, 0, TCPSM_CLASS_TIME_WAIT },
	{ TCPSM_LAST_ACK, TCPSM_TIME_WAIT, CONFIRMED, TCPSM_CLASS_TIME_WAIT },
	{ TCPSM_CLOSING, TCPSM_TIME_WAIT, CONFIRMED, TCPSM_CLASS_TIME_WAIT },
	{ TCPSM_SYN_SENT, TCPSM_CLOSED, 0, TCPSM_CLASS_EMBRYONIC },
	{ TCPSM_SYN_SENT, TCPSM_LISTEN, 0, TCPSM_CLASS_EMBRYONIC },
	{ TCPSM_SYN_RCVD, TCPSM_SYN_RCVD, 0, TCPSM_CLASS_EMBRYONIC },
	{ TCPSM_ESTABLISHED, TCPSM_SYN_RCVD, CONFIRMED, TCPSM_CLASS_OTHER },
	{ TCPSM_ESTABLISHED, TCPSM_ESTABLISHED, CONFIRMED, TCPSM_CLASS_OTHER },
	{ TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED, CONFIRMED, TCPSM_CLASS_OTHER },
	{ TCPSM_FIN_WAIT_2, TCPSM_CLOSE_WAIT, CONFIRMED, TCPSM_CLASS_OTHER },
	{ TCPSM_CLOSED, TCPSM_ESTABLISHED, CONFIRMED, TCPSM_CLASS_OTHER },
	{ TCPSM_ESTABLISHED, TCPSM_ESTABLISHED, PICKUP | CONFIRMED, TCPSM_CLASS_OTHER },
	/* a handshake half seen, a pickup not answered: evicted first */
	{ TCPSM_ESTABLISHED, TCPSM_ESTABLISHED, 0, TCPSM_CLASS_UNCONFIRMED },
	{ TCPSM_ESTABLISHED, TCPSM_SYN_RCVD, 0, TCPSM_CLASS_UNCONFIRMED },
	{ TCPSM_ESTABLISHED, TCPSM_ESTABLISHED, PICKUP, TCPSM_CLASS_UNCONFIRMED },
	{ TCPSM_SYN_SENT, TCPSM_LISTEN, PICKUP, TCPSM_CLASS_UNCONFIRMED },
	{ TCPSM_FIN_WAIT_1, TCPSM_TIME_WAIT, PICKUP, TCPSM_CLASS_UNCONFIRMED },
};

static void class_case_desc(const struct class_case *cc, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s/%s%s%s", tcpsm_state_name(cc->client),
		 tcpsm_state_name(cc->server), cc->flags & PICKUP ? " picked up" : "",
		 cc->flags & CONFIRMED ? " confirmed" : "");
}

KUNIT_ARRAY_PARAM(class_cases, class_cases, class_case_desc);

static void tcpsm_conn_class_follows_states(struct kunit *test)
{
	const struct class_case *cc = test->param_value;
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c = conn_create(test, 1);
	int cl;

	KUNIT_ASSERT_NOT_NULL(test, c);
	conn_set(c, cc->client, cc->server, cc->flags);
	KUNIT_EXPECT_EQ(test, c->class, cc->class);
	for (cl = 0; cl < __TCPSM_CLASS_MAX; cl++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, class_first(tn, cl), cl == cc->class ? c : NULL,
					"class %d", cl);
}

static void tcpsm_conn_full_table_refuses(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c;
	int i;

	tn->cfg.max_conns = 3;
	for (i = 0; i < 3; i++) {
		c = conn_create(test, i);
		KUNIT_ASSERT_NOT_NULL(test, c);
		conn_set(c, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED, CONFIRMED);
	}
	KUNIT_EXPECT_NULL(test, conn_create(test, 3));
	KUNIT_EXPECT_NULL(test, conn_find(test, 3));
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 3);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_TABLE_FULL), 1);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_EVICTED), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NOT_NULL(test, conn_find(test, i));
}

static void tcpsm_conn_full_table_room_after_destroy(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c[2];
	int i;

	tn->cfg.max_conns = 2;
	for (i = 0; i < 2; i++) {
		c[i] = conn_create(test, i);
		KUNIT_ASSERT_NOT_NULL(test, c[i]);
		conn_set(c[i], TCPSM_ESTABLISHED, TCPSM_ESTABLISHED, CONFIRMED);
	}
	tcpsm_conn_destroy(c[0], TCPSM_DESTROY_EXPIRED);
	KUNIT_EXPECT_NOT_NULL(test, conn_create(test, 2));
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_TABLE_FULL), 0);
	KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_EVICTED), 0);
	KUNIT_EXPECT_NOT_NULL(test, conn_find(test, 1));
}

#define EVICT_MAX	4

struct evict_case {
	const char *desc;
	int n;				/* entries, created in this order: max_conns */
	u8 states[EVICT_MAX][3];	/* client, server, flags */
	int victim;			/* the one more entry evicts, -1: refused */
};

static const struct evict_case evict_cases[] = {
	{ "CLOSED first", 4,
	  { STC(ESTABLISHED, ESTABLISHED), STP(ESTABLISHED, ESTABLISHED), ST(TIME_WAIT, CLOSED),
	    ST(CLOSED, CLOSED) }, 3 },
	{ "unconfirmed pickup next", 4,
	  { STC(ESTABLISHED, ESTABLISHED), ST(SYN_SENT, LISTEN), ST(LAST_ACK, TIME_WAIT),
	    STP(ESTABLISHED, ESTABLISHED) }, 3 },
	{ "unconfirmed handshake next", 3,
	  { STC(ESTABLISHED, ESTABLISHED), ST(SYN_SENT, LISTEN), ST(ESTABLISHED, ESTABLISHED) },
	  2 },
	{ "TIME_WAIT next", 3,
	  { STC(ESTABLISHED, ESTABLISHED), ST(SYN_SENT, LISTEN), STC(LAST_ACK, TIME_WAIT) }, 2 },
	{ "embryonic next", 3,
	  { STC(ESTABLISHED, ESTABLISHED), STC(FIN_WAIT_1, CLOSE_WAIT), ST(SYN_SENT, SYN_RCVD) },
	  2 },
	{ "oldest of a class first", 2, { ST(TIME_WAIT, CLOSED), ST(TIME_WAIT, LAST_ACK) }, 0 },
	{ "oldest unconfirmed first", 2,
	  { STP(ESTABLISHED, ESTABLISHED), STP(FIN_WAIT_1, CLOSE_WAIT) }, 0 },
	{ "never confirmed established or closing", 4,
	  { STC(ESTABLISHED, ESTABLISHED), STC(FIN_WAIT_2, CLOSE_WAIT), STC(CLOSING, CLOSING),
	    { TCPSM_ESTABLISHED, TCPSM_ESTABLISHED, TCPSM_F_PICKUP | TCPSM_F_CONFIRMED } }, -1 },
};

KUNIT_ARRAY_PARAM_DESC(evict_cases, evict_cases, desc);

static void tcpsm_conn_full_table_evicts(struct kunit *test)
{
	const struct evict_case *ec = test->param_value;
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c;
	int i;

	tn->cfg.max_conns = ec->n;
	for (i = 0; i < ec->n; i++) {
		c = conn_create(test, i);
		KUNIT_ASSERT_NOT_NULL(test, c);
		conn_set(c, ec->states[i][0], ec->states[i][1], ec->states[i][2]);
	}
	c = conn_create(test, EVICT_MAX);

	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), ec->n);
	for (i = 0; i < ec->n; i++)
		KUNIT_EXPECT_EQ_MSG(test, !conn_find(test, i), i == ec->victim, "entry %d", i);
	if (ec->victim < 0) {
		KUNIT_EXPECT_NULL(test, c);
		KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_TABLE_FULL), 1);
		KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_EVICTED), 0);
		KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_DESTROY_EVICTED), 0);
	} else {
		KUNIT_EXPECT_NOT_NULL(test, c);
		KUNIT_EXPECT_PTR_EQ(test, conn_find(test, EVICT_MAX), c);
		KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_TABLE_FULL), 0);
		KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_EVICTED), 1);
		KUNIT_EXPECT_EQ(test, stat_of(test, TCPSM_STAT_DESTROY_EVICTED), 1);
	}
}

/* ---- limits across namespaces ------------------------------------------ */

struct ceiling_case {
	const char *desc;
	int own;	/* the namespace's max_conns */
	int init;	/* the initial namespace's, 0: it is the initial one */
	int max;	/* what it may hold */
	int set_max;	/* the most it may set its own to */
};

static const struct ceiling_case ceiling_cases[] = {
	{ "initial namespace, its own", 500000, 0, 500000, 16777216 },
	{ "below the initial namespace's", 1000, 262144, 1000, 262144 },
	{ "above the initial namespace's", 262144, 1000, 1000, 1000 },
	{ "equal", 4096, 4096, 4096, 4096 },
};

KUNIT_ARRAY_PARAM_DESC(ceiling_cases, ceiling_cases, desc);

static void tcpsm_conn_max_conns_capped_by_initial(struct kunit *test)
{
	const struct ceiling_case *cc = test->param_value;
	struct tcpsm_net *init = test->priv;
	struct tcpsm_net *tn = init;

	init->cfg.max_conns = cc->init ?: cc->own;
	if (cc->init) {
		tn = tcpsm_test_net_other(test, init);
		tn->cfg.max_conns = cc->own;
	}
	KUNIT_EXPECT_EQ(test, tcpsm_max_conns(tn), cc->max);
	KUNIT_EXPECT_EQ(test, tcpsm_config_max(tn, TCPSM_A_CONFIG_MAX_CONNS - TCPSM_A_CONFIG_MSL),
			cc->set_max);
}

/* The initial namespace's max_conns bounds only max_conns. */
static void tcpsm_conn_ceiling_only_max_conns(struct kunit *test)
{
	struct tcpsm_net *tn = tcpsm_test_net_other(test, test->priv);
	unsigned int i;
	int lo, hi;

	((struct tcpsm_net *)test->priv)->cfg.max_conns = 1;
	for (i = 0; i < TCPSM_NR_TUNABLES; i++) {
		if (i == TCPSM_A_CONFIG_MAX_CONNS - TCPSM_A_CONFIG_MSL)
			continue;
		tcpsm_config_range(i, &lo, &hi);
		KUNIT_EXPECT_EQ_MSG(test, tcpsm_config_max(tn, i), hi, "tunable %u", i);
	}
}

#define GLOBAL_MAX	4

/* Entries of the inserting namespace (A) and of another (B), in order. */
struct global_case {
	const char *desc;
	int na, nb;
	u8 a[GLOBAL_MAX][3];
	u8 b[GLOBAL_MAX][3];
	int victim;	/* index in A, or GLOBAL_MAX + index in B; -1: refused */
};

static const struct global_case global_cases[] = {
	{ "larger namespace's unconfirmed before own TIME_WAIT", 1, 3,
	  { ST(TIME_WAIT, CLOSED) },
	  { STP(ESTABLISHED, ESTABLISHED), STP(ESTABLISHED, ESTABLISHED),
	    STP(ESTABLISHED, ESTABLISHED) }, GLOBAL_MAX },
	{ "own CLOSED before larger namespace's unconfirmed", 1, 3,
	  { ST(CLOSED, CLOSED) },
	  { STP(ESTABLISHED, ESTABLISHED), STP(ESTABLISHED, ESTABLISHED),
	    STP(ESTABLISHED, ESTABLISHED) }, 0 },
	{ "larger namespace pays on a tie", 1, 3,
	  { ST(SYN_SENT, LISTEN) },
	  { STC(ESTABLISHED, ESTABLISHED), ST(SYN_SENT, LISTEN), ST(SYN_SENT, LISTEN) },
	  GLOBAL_MAX + 1 },
	{ "own when the larger has nothing to give", 1, 2,
	  { ST(SYN_SENT, LISTEN) },
	  { STC(ESTABLISHED, ESTABLISHED), STC(FIN_WAIT_1, CLOSE_WAIT) }, 0 },
	/* the smaller namespace's entries are not looked at */
	{ "own when it is the larger", 3, 1,
	  { STC(ESTABLISHED, ESTABLISHED), STP(ESTABLISHED, ESTABLISHED),
	    ST(SYN_SENT, LISTEN) },
	  { ST(CLOSED, CLOSED) }, 1 },
	{ "refused when all are confirmed", 2, 2,
	  { STC(ESTABLISHED, ESTABLISHED), STC(ESTABLISHED, ESTABLISHED) },
	  { STC(ESTABLISHED, ESTABLISHED), STC(CLOSE_WAIT, FIN_WAIT_2) }, -1 },
};

KUNIT_ARRAY_PARAM_DESC(global_cases, global_cases, desc);

static void tcpsm_conn_global_limit_evicts(struct kunit *test)
{
	const struct global_case *gc = test->param_value;
	struct tcpsm_net *a = test->priv;
	struct tcpsm_net *b = tcpsm_test_net_other(test, a);
	struct tcpsm_conn *c;
	int i;

	for (i = 0; i < gc->na; i++) {
		c = conn_create_in(test, a, i);
		KUNIT_ASSERT_NOT_NULL(test, c);
		conn_set(c, gc->a[i][0], gc->a[i][1], gc->a[i][2]);
	}
	for (i = 0; i < gc->nb; i++) {
		c = conn_create_in(test, b, i);
		KUNIT_ASSERT_NOT_NULL(test, c);
		conn_set(c, gc->b[i][0], gc->b[i][1], gc->b[i][2]);
	}
	tcpsm_max_conns_global = gc->na + gc->nb;
	c = conn_create_in(test, a, GLOBAL_MAX);

	KUNIT_EXPECT_EQ(test, atomic_read(&a->count) + atomic_read(&b->count),
			gc->na + gc->nb);
	for (i = 0; i < gc->na; i++)
		KUNIT_EXPECT_EQ_MSG(test, !conn_find_in(test, a, i), i == gc->victim, "A %d", i);
	for (i = 0; i < gc->nb; i++)
		KUNIT_EXPECT_EQ_MSG(test, !conn_find_in(test, b, i), GLOBAL_MAX + i == gc->victim,
				    "B %d", i);
	KUNIT_EXPECT_EQ(test, !c, gc->victim < 0);
	KUNIT_EXPECT_EQ(test, tcpsm_stat_read(a, TCPSM_STAT_TABLE_FULL), gc->victim < 0);
	KUNIT_EXPECT_EQ(test, tcpsm_stat_read(a, TCPSM_STAT_EVICTED) +
			tcpsm_stat_read(b, TCPSM_STAT_EVICTED), gc->victim >= 0);
	KUNIT_EXPECT_EQ(test, tcpsm_stat_read(b, TCPSM_STAT_EVICTED), gc->victim >= GLOBAL_MAX);
}

static struct kunit_case tcpsm_conn_cases[] = {
	KUNIT_CASE_PARAM(tcpsm_conn_key_same_both_ways, key_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_conn_lookup_both_ways, key_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_conn_key_zone_separates, key_cases_gen_params),
	KUNIT_CASE(tcpsm_conn_create_fresh_entry),
	KUNIT_CASE(tcpsm_conn_create_twice_finds_existing),
	KUNIT_CASE(tcpsm_conn_lookup_other_tuple_misses),
	KUNIT_CASE(tcpsm_conn_count_up_and_down),
	KUNIT_CASE(tcpsm_conn_destroy_unlinks),
	KUNIT_CASE(tcpsm_conn_destroy_idempotent),
	KUNIT_CASE_PARAM(tcpsm_conn_destroy_counted_by_reason, reason_cases_gen_params),
	KUNIT_CASE(tcpsm_conn_flush_empties),
	KUNIT_CASE(tcpsm_conn_many_entries),
	KUNIT_CASE_PARAM(tcpsm_conn_class_follows_states, class_cases_gen_params),
	KUNIT_CASE(tcpsm_conn_full_table_refuses),
	KUNIT_CASE(tcpsm_conn_full_table_room_after_destroy),
	KUNIT_CASE_PARAM(tcpsm_conn_full_table_evicts, evict_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_conn_max_conns_capped_by_initial, ceiling_cases_gen_params),
	KUNIT_CASE(tcpsm_conn_ceiling_only_max_conns),
	KUNIT_CASE_PARAM(tcpsm_conn_global_limit_evicts, global_cases_gen_params),
	{}
};

static struct kunit_suite tcpsm_conn_suite = {
	.name = "tcpsm_conn",
	.suite_init = tcpsm_test_suite_init,
	.suite_exit = tcpsm_test_suite_exit,
	.init = tcpsm_test_net_init,
	.exit = tcpsm_test_net_exit,
	.test_cases = tcpsm_conn_cases,
};

kunit_test_suite(tcpsm_conn_suite);
