// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for tcpsm_track() (module/hooks.c, compiled into this module
 * by kunit/sut.c): segments written by hand, seen at the hooks a route
 * gives them, in a tcpsm_net of its own. Over loopback each segment is seen
 * twice, at LOCAL_OUT then LOCAL_IN; with one end remote, once, at LOCAL_OUT
 * or LOCAL_IN; forwarded, once, at FORWARD.
 *
 * Entries arm their real timers at jiffies plus the default timeouts (10 s
 * at the least): none runs out while a case runs, so the pointers the
 * helpers return stay valid after they leave their RCU section.
 */
#include <kunit/test.h>
#include <linux/netfilter.h>

#include "sut.h"

#define CLIENT	TCPSM_ROLE_CLIENT
#define SERVER	TCPSM_ROLE_SERVER

#define CPORT	40000
#define SPORT	80
#define CISN	1000u
#define SISN	5000u
#define WIN	1000

#define FL_S	TCPSM_SYN
#define FL_SA	(TCPSM_SYN | TCPSM_ACK)
#define FL_A	TCPSM_ACK
#define FL_FA	(TCPSM_FIN | TCPSM_ACK)
#define FL_R	TCPSM_RST
#define FL_RA	(TCPSM_RST | TCPSM_ACK)

#define OUT	NF_INET_LOCAL_OUT
#define IN	NF_INET_LOCAL_IN
#define FWD	NF_INET_FORWARD

/* Where the segments of a connection are seen. */
struct route {
	const char *desc;
	const char *client;	/* address */
	const char *server;
	int n;			/* sightings of each segment */
	unsigned int c2s[2];	/* the hooks that see a client's segment, in order */
	unsigned int s2c[2];	/* and a server's */
	bool peer_local;
	u8 local;		/* TCPSM_LOCAL_*: the local endpoints */
	int transitions;	/* sightings that move an endpoint in the handshake */
};

enum { LOOP4, LOOP6, LOCAL_CLIENT, LOCAL_SERVER, FORWARDED };

static const struct route routes[] = {
	[LOOP4] = { "loopback IPv4", "127.0.0.1", "127.0.0.1", 2, { OUT, IN }, { OUT, IN },
		    true, TCPSM_LOCAL_CLIENT | TCPSM_LOCAL_SERVER, 4 },
	[LOOP6] = { "loopback IPv6", "::1", "::1", 2, { OUT, IN }, { OUT, IN },
		    true, TCPSM_LOCAL_CLIENT | TCPSM_LOCAL_SERVER, 4 },
	[LOCAL_CLIENT] = { "local client", "10.0.0.1", "192.0.2.1", 1, { OUT }, { IN },
			   false, TCPSM_LOCAL_CLIENT, 3 },
	[LOCAL_SERVER] = { "local server IPv6", "2001:db8::1", "2001:db8::2", 1, { IN },
			   { OUT }, false, TCPSM_LOCAL_SERVER, 3 },
	[FORWARDED] = { "forwarded", "10.0.0.1", "192.0.2.1", 1, { FWD }, { FWD },
			false, 0, 3 },
};

KUNIT_ARRAY_PARAM_DESC(routes, routes, desc);

struct flow {
	struct tcpsm_net *tn;
	const struct route *rt;
	struct tcpsm_pkt c2s;	/* the client's segments, addresses and ports */
	struct tcpsm_pkt s2c;
};

static void flow_init(struct kunit *test, struct flow *f, const struct route *rt, u16 cport)
{
	f->tn = test->priv;
	f->rt = rt;
	tcpsm_test_pkt(test, &f->c2s, rt->client, cport, rt->server, SPORT);
	tcpsm_test_pkt(test, &f->s2c, rt->server, SPORT, rt->client, cport);
}

/* One sighting of a segment @from one end, at @hook. */
static void sight(struct flow *f, u8 from, unsigned int hook, u8 flags, u32 seq, u32 ack,
		  u32 len)
{
	struct tcpsm_pkt p = from == CLIENT ? f->c2s : f->s2c;

	p.seg.seq = seq;
	p.seg.ack = ack;
	p.seg.len = len;
	p.seg.win = WIN;
	p.seg.flags = flags;
	rcu_read_lock();
	tcpsm_track(f->tn, &p, hook, f->rt->peer_local);
	rcu_read_unlock();
}

/* A segment, at every hook of the route, in order. */
static void deliver(struct flow *f, u8 from, u8 flags, u32 seq, u32 ack, u32 len)
{
	const unsigned int *hooks = from == CLIENT ? f->rt->c2s : f->rt->s2c;
	int i;

	for (i = 0; i < f->rt->n; i++)
		sight(f, from, hooks[i], flags, seq, ack, len);
}

static struct tcpsm_conn *flow_conn(struct flow *f)
{
	struct tcpsm_conn *c;
	struct tcpsm_key key;
	u8 idx;

	tcpsm_key_make(&key, &f->c2s, &idx);
	rcu_read_lock();
	c = tcpsm_conn_lookup(f->tn, &key);
	rcu_read_unlock();
	return c;
}

static void handshake(struct flow *f)
{
	deliver(f, CLIENT, FL_S, CISN, 0, 0);
	deliver(f, SERVER, FL_SA, SISN, CISN + 1, 0);
	deliver(f, CLIENT, FL_A, CISN + 1, SISN + 1, 0);
}

/* The client closes first: it ends in TIME_WAIT, the server in LAST_ACK or CLOSED. */
static void active_close(struct flow *f, bool last_ack)
{
	deliver(f, CLIENT, FL_FA, CISN + 1, SISN + 1, 0);
	deliver(f, SERVER, FL_A, SISN + 1, CISN + 2, 0);
	deliver(f, SERVER, FL_FA, SISN + 1, CISN + 2, 0);
	if (last_ack)
		deliver(f, CLIENT, FL_A, CISN + 2, SISN + 2, 0);
}

/* A keepalive probe from the client: one byte before its next, no data. */
static void ka_probe(struct flow *f)
{
	deliver(f, CLIENT, FL_A, CISN, SISN + 1, 0);
}

static u64 stat_of(struct flow *f, enum tcpsm_stat s)
{
	return tcpsm_stat_read(f->tn, s);
}

static void expect_states(struct kunit *test, const struct tcpsm_conn *c, u8 client,
			  u8 server)
{
	KUNIT_EXPECT_EQ_MSG(test, c->e.fsm.end[CLIENT].state, client, "client %s, expected %s",
			    tcpsm_state_name(c->e.fsm.end[CLIENT].state),
			    tcpsm_state_name(client));
	KUNIT_EXPECT_EQ_MSG(test, c->e.fsm.end[SERVER].state, server, "server %s, expected %s",
			    tcpsm_state_name(c->e.fsm.end[SERVER].state),
			    tcpsm_state_name(server));
}

/* ---- observation model -------------------------------------------------- */

static void tcpsm_track_handshake(struct kunit *test)
{
	const struct route *rt = test->param_value;
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, rt, CPORT);
	handshake(&f);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	expect_states(test, c, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, c->e.local, rt->local);
	KUNIT_EXPECT_EQ(test, c->e.flags, TCPSM_F_CONFIRMED);
	KUNIT_EXPECT_EQ(test, c->class, TCPSM_CLASS_OTHER);
	KUNIT_EXPECT_EQ(test, atomic_read(&f.tn->count), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_CREATED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_TRANSITIONS), rt->transitions);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_INVALID_STATE), 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_INVALID_ACK), 0);
}

static void tcpsm_track_counts_each_segment_once(struct kunit *test)
{
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, test->param_value, CPORT);
	handshake(&f);
	deliver(&f, CLIENT, FL_A | TCPSM_PSH, CISN + 1, SISN + 1, 100);
	deliver(&f, SERVER, FL_A | TCPSM_PSH, SISN + 1, CISN + 101, 50);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->e.pkts[CLIENT], 3);
	KUNIT_EXPECT_EQ(test, c->e.pkts[SERVER], 2);
	KUNIT_EXPECT_EQ(test, c->e.bytes[CLIENT], 100);
	KUNIT_EXPECT_EQ(test, c->e.bytes[SERVER], 50);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_RETRANS), 0);
}

/* Over loopback, each sighting moves one endpoint: the sender's, then the receiver's. */
static void tcpsm_track_loopback_moves_one_end_per_sighting(struct kunit *test)
{
	static const struct {
		u8 from;
		unsigned int hook;
		u8 flags;
		u32 seq;
		u32 ack;
		u8 client;	/* states after */
		u8 server;
	} steps[] = {
		{ CLIENT, OUT, FL_S, CISN, 0, TCPSM_SYN_SENT, TCPSM_CLOSED },
		/* a local listener has its request socket from here */
		{ CLIENT, IN, FL_S, CISN, 0, TCPSM_SYN_SENT, TCPSM_SYN_RCVD },
		{ SERVER, OUT, FL_SA, SISN, CISN + 1, TCPSM_SYN_SENT, TCPSM_SYN_RCVD },
		{ SERVER, IN, FL_SA, SISN, CISN + 1, TCPSM_ESTABLISHED, TCPSM_SYN_RCVD },
		{ CLIENT, OUT, FL_A, CISN + 1, SISN + 1, TCPSM_ESTABLISHED, TCPSM_SYN_RCVD },
		{ CLIENT, IN, FL_A, CISN + 1, SISN + 1, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED },
	};
	struct tcpsm_conn *c;
	unsigned int i;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		sight(&f, steps[i].from, steps[i].hook, steps[i].flags, steps[i].seq,
		      steps[i].ack, 0);
		c = flow_conn(&f);
		KUNIT_ASSERT_NOT_NULL(test, c);
		KUNIT_EXPECT_EQ_MSG(test, c->e.fsm.end[CLIENT].state, steps[i].client,
				    "step %u: client %s", i,
				    tcpsm_state_name(c->e.fsm.end[CLIENT].state));
		KUNIT_EXPECT_EQ_MSG(test, c->e.fsm.end[SERVER].state, steps[i].server,
				    "step %u: server %s", i,
				    tcpsm_state_name(c->e.fsm.end[SERVER].state));
	}
}

/*
 * The first sighting of a SYN: over loopback, at LOCAL_OUT, it moves only its
 * sender; otherwise the one sighting moves both ends, a local server to
 * SYN_RCVD (its request socket), a remote one to LISTEN (a SYN received,
 * not seen answered).
 */
static void tcpsm_track_first_sighting(struct kunit *test)
{
	const struct route *rt = test->param_value;
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, rt, CPORT);
	sight(&f, CLIENT, rt->c2s[0], FL_S, CISN, 0, 0);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	expect_states(test, c, TCPSM_SYN_SENT, rt->n > 1 ? TCPSM_CLOSED :
		      rt->c2s[0] == IN ? TCPSM_SYN_RCVD : TCPSM_LISTEN);
	KUNIT_EXPECT_EQ(test, c->e.pkts[CLIENT], 1);
}

/* ---- TIME_WAIT ---------------------------------------------------------- */

static void tcpsm_track_tw_reuse_replaces(struct kunit *test)
{
	struct tcpsm_conn *old, *c;
	bool replaced;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	active_close(&f, true);
	rcu_read_lock();	/* old is freed after a grace period */
	old = flow_conn(&f);
	deliver(&f, CLIENT, FL_S, CISN + 100000, 0, 0);
	c = flow_conn(&f);
	replaced = old && c && c != old;
	rcu_read_unlock();

	KUNIT_EXPECT_TRUE(test, replaced);
	KUNIT_ASSERT_NOT_NULL(test, c);
	expect_states(test, c, TCPSM_SYN_SENT, TCPSM_SYN_RCVD);
	KUNIT_EXPECT_EQ(test, c->e.fsm.end[CLIENT].isn, CISN + 100000);
	KUNIT_EXPECT_EQ(test, c->e.pkts[CLIENT], 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f.tn->count), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_DESTROY_REPLACED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_TW_REUSE), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_CREATED), 2);
}

/* A SYN with a sequence number the old connection used is an old duplicate. */
/* The server closes first: it ends in TIME_WAIT, the client CLOSED. */
static void passive_close(struct flow *f)
{
	deliver(f, SERVER, FL_FA, SISN + 1, CISN + 1, 0);
	deliver(f, CLIENT, FL_A, CISN + 1, SISN + 2, 0);
	deliver(f, CLIENT, FL_FA, CISN + 1, SISN + 2, 0);
	deliver(f, SERVER, FL_A, SISN + 2, CISN + 2, 0);
}

/* An old SYN (below the TIME_WAIT end's rcv_nxt) is a duplicate: kept. */
static void tcpsm_track_tw_old_syn_kept(struct kunit *test)
{
	struct tcpsm_conn *old, *c;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	passive_close(&f);
	old = flow_conn(&f);
	deliver(&f, CLIENT, FL_S, CISN, 0, 0);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, c, old);
	expect_states(test, c, TCPSM_CLOSED, TCPSM_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_DESTROY_REPLACED), 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_TW_REUSE), 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_INVALID_SEQ), 1);
}

/* A SYN to a tuple whose server was reset opens anew: the entry says so. */
static void tcpsm_track_reopen_replaces(struct kunit *test)
{
	struct tcpsm_conn *old, *c;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	deliver(&f, SERVER, FL_RA, SISN + 1, CISN + 1, 0);
	old = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, old);
	expect_states(test, old, TCPSM_CLOSED, TCPSM_CLOSED);
	KUNIT_EXPECT_FALSE(test, old->e.flags & TCPSM_F_REPLACED);
	deliver(&f, CLIENT, FL_S, CISN + 99999, 0, 0);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_NE(test, c, old);
	KUNIT_EXPECT_TRUE(test, c->e.flags & TCPSM_F_REPLACED);
	expect_states(test, c, TCPSM_SYN_SENT, TCPSM_SYN_RCVD);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_DESTROY_REPLACED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_REOPENED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_TW_REUSE), 0);
}

struct tw_case {
	const char *desc;
	int route;
	bool last_ack;	/* the server's FIN comes again after the client's last ACK */
	u8 server;	/* the server's state after */
};

static const struct tw_case tw_cases[] = {
	{ "loopback FIN again", LOOP4, false, TCPSM_LAST_ACK },
	{ "remote last ACK lost", LOCAL_CLIENT, true, TCPSM_LAST_ACK },
};

KUNIT_ARRAY_PARAM_DESC(tw_cases, tw_cases, desc);

static void tcpsm_track_tw_restart(struct kunit *test)
{
	const struct tw_case *tc = test->param_value;
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c;
	unsigned long now;
	struct flow f;

	flow_init(test, &f, &routes[tc->route], CPORT);
	handshake(&f);
	active_close(&f, tc->last_ack);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	/* TIME_WAIT nearly over: the FIN must start it again */
	spin_lock_bh(&c->lock);
	c->e.deadline[CLIENT] = jiffies + HZ;
	spin_unlock_bh(&c->lock);
	now = jiffies;
	deliver(&f, SERVER, FL_FA, SISN + 1, CISN + 2, 0);

	expect_states(test, c, TCPSM_TIME_WAIT, tc->server);
	KUNIT_EXPECT_EQ(test, c->e.tw_restarts, 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_TW_RESTARTS), 1);
	KUNIT_EXPECT_TRUE(test, time_after_eq(c->e.deadline[CLIENT],
					      now + 2 * tn->cfg.msl * HZ));
}

/* ---- pickup ------------------------------------------------------------- */

struct pickup_case {
	const char *desc;
	u8 from;	/* the sender of the first segment seen */
};

static const struct pickup_case pickup_cases[] = {
	{ "from the client", CLIENT },
	{ "from the server", SERVER },
};

KUNIT_ARRAY_PARAM_DESC(pickup_cases, pickup_cases, desc);

/* The roles are guessed from the ports: the lower is the server's. */
static void tcpsm_track_pickup_midstream(struct kunit *test)
{
	const struct pickup_case *pc = test->param_value;
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[FORWARDED], CPORT);
	deliver(&f, pc->from, FL_A, 70000, 90000, 100);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, c->e.flags & TCPSM_F_PICKUP);
	expect_states(test, c, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, ntohs(c->key.port[c->e.client]), CPORT);
	KUNIT_EXPECT_EQ(test, c->e.pkts[pc->from], 1);
	KUNIT_EXPECT_EQ(test, c->e.bytes[pc->from], 100);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_PICKED_UP), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_CREATED), 1);
}

/* ---- confirmation ------------------------------------------------------- */

/* Where each end's sequence numbers are in a connection picked up mid-stream. */
#define PU_SEQ(from)	((from) == CLIENT ? 70000u : 90000u)

/* Its first segment seen: 100 bytes from @from. */
static void pickup(struct flow *f, u8 from)
{
	deliver(f, from, FL_A, PU_SEQ(from), PU_SEQ(!from), 100);
}

/* The other end answers: its data acks the pickup's, and is in the window. */
static void pickup_answer(struct flow *f, u8 from)
{
	deliver(f, !from, FL_A, PU_SEQ(!from), PU_SEQ(from) + 100, 10);
}

static void tcpsm_track_handshake_confirms(struct kunit *test)
{
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, test->param_value, CPORT);
	deliver(&f, CLIENT, FL_S, CISN, 0, 0);
	deliver(&f, SERVER, FL_SA, SISN, CISN + 1, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_FALSE(test, c->e.flags & TCPSM_F_CONFIRMED);

	deliver(&f, CLIENT, FL_A, CISN + 1, SISN + 1, 0);
	KUNIT_EXPECT_TRUE(test, c->e.flags & TCPSM_F_CONFIRMED);
	KUNIT_EXPECT_EQ(test, c->class, TCPSM_CLASS_OTHER);
}

struct confirm_case {
	const char *desc;
	u8 from;	/* the sender of the segment picked up */
	bool answered;	/* and the other end's answer seen */
};

static const struct confirm_case confirm_cases[] = {
	{ "from the client", CLIENT, false },
	{ "from the server", SERVER, false },
	{ "from the client, answered", CLIENT, true },
	{ "from the server, answered", SERVER, true },
};

KUNIT_ARRAY_PARAM_DESC(confirm_cases, confirm_cases, desc);

static void tcpsm_track_pickup_confirmed_when_answered(struct kunit *test)
{
	const struct confirm_case *cc = test->param_value;
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[FORWARDED], CPORT);
	pickup(&f, cc->from);
	if (cc->answered)
		pickup_answer(&f, cc->from);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, !!(c->e.flags & TCPSM_F_CONFIRMED), cc->answered);
	KUNIT_EXPECT_EQ(test, c->class,
			cc->answered ? TCPSM_CLASS_OTHER : TCPSM_CLASS_UNCONFIRMED);
}

/* However many, segments one way prove nothing of the other. */
static void tcpsm_track_stray_acks_never_confirm(struct kunit *test)
{
	const struct route *rt = test->param_value;
	struct tcpsm_conn *c;
	struct flow f;
	u32 i;

	flow_init(test, &f, rt, CPORT);
	for (i = 0; i < 3; i++)
		deliver(&f, SERVER, FL_A, SISN + i * 100, CISN, 100);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_FALSE(test, c->e.flags & TCPSM_F_CONFIRMED);
	KUNIT_EXPECT_EQ(test, c->class, TCPSM_CLASS_UNCONFIRMED);
}

static void tcpsm_track_unconfirmed_expires_fast(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	unsigned long end;
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[FORWARDED], CPORT);
	pickup(&f, CLIENT);
	end = jiffies + tn->cfg.unconfirmed_timeout * HZ;
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_NE(test, c->e.deadline[CLIENT], 0);
	KUNIT_EXPECT_TRUE(test, time_before_eq(c->e.deadline[CLIENT], end));
	KUNIT_EXPECT_NE(test, c->e.deadline[SERVER], 0);
	KUNIT_EXPECT_TRUE(test, time_before_eq(c->e.deadline[SERVER], end));
}

static void tcpsm_track_confirmed_gets_established_timeout(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	unsigned long start = jiffies;
	struct tcpsm_conn *c;
	struct flow f;
	int r;

	flow_init(test, &f, &routes[FORWARDED], CPORT);
	pickup(&f, CLIENT);
	pickup_answer(&f, CLIENT);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (r = 0; r < __TCPSM_ROLE_MAX; r++)
		KUNIT_EXPECT_TRUE_MSG(test, time_after_eq(c->e.deadline[r], start +
					tn->cfg.established_timeout * HZ), "role %d", r);
}

/*
 * A table full of an unconfirmed pickup still takes a new handshake; once
 * answered, the pickup is a real connection, never evicted.
 */
static void tcpsm_track_pickup_evicted_unless_confirmed(struct kunit *test)
{
	const struct confirm_case *cc = test->param_value;
	struct tcpsm_net *tn = test->priv;
	struct flow a, b;

	tn->cfg.max_conns = 1;
	flow_init(test, &a, &routes[FORWARDED], CPORT);
	flow_init(test, &b, &routes[FORWARDED], CPORT + 1);
	pickup(&a, cc->from);
	if (cc->answered)
		pickup_answer(&a, cc->from);
	deliver(&b, CLIENT, FL_S, CISN, 0, 0);

	KUNIT_EXPECT_EQ(test, !!flow_conn(&a), cc->answered);
	KUNIT_EXPECT_EQ(test, !flow_conn(&b), cc->answered);
	KUNIT_EXPECT_EQ(test, stat_of(&a, TCPSM_STAT_TABLE_FULL), cc->answered);
	KUNIT_EXPECT_EQ(test, stat_of(&a, TCPSM_STAT_EVICTED), !cc->answered);
}

static const u8 midstream_flags[] = { FL_A, FL_A | TCPSM_PSH, FL_FA, FL_SA };

static void flags_desc(const u8 *flags, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "flags %#04x", *flags);
}

KUNIT_ARRAY_PARAM(midstream_flags, midstream_flags, flags_desc);

static void tcpsm_track_pickup_off_untracked(struct kunit *test)
{
	const u8 *flags = test->param_value;
	struct tcpsm_net *tn = test->priv;
	struct flow f;

	tn->cfg.pickup = 0;
	flow_init(test, &f, &routes[FORWARDED], CPORT);
	deliver(&f, CLIENT, *flags, 70000, 90000, 0);

	KUNIT_EXPECT_NULL(test, flow_conn(&f));
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_UNTRACKED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_CREATED), 0);
}

static const u8 rst_flags[] = { FL_R, FL_RA };

KUNIT_ARRAY_PARAM(rst_flags, rst_flags, flags_desc);

static void tcpsm_track_rst_unknown_untracked(struct kunit *test)
{
	const u8 *flags = test->param_value;
	struct tcpsm_net *tn = test->priv;
	struct flow f;

	flow_init(test, &f, &routes[FORWARDED], CPORT);
	deliver(&f, CLIENT, *flags, 70000, 90000, 0);

	KUNIT_EXPECT_NULL(test, flow_conn(&f));
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_UNTRACKED), 1);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_CREATED), 0);
}

struct invalid_case {
	u8 flags;
	int pickup;
};

static const struct invalid_case invalid_cases[] = {
	{ TCPSM_SYN | TCPSM_FIN, 0 },
	{ TCPSM_SYN | TCPSM_FIN, 1 },
	{ TCPSM_FIN, 1 },
	{ 0, 1 },
	{ TCPSM_FIN | TCPSM_PSH | TCPSM_URG, 1 },
};

static void invalid_case_desc(const struct invalid_case *ic, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "flags %#04x pickup %d", ic->flags, ic->pickup);
}

KUNIT_ARRAY_PARAM(invalid_cases, invalid_cases, invalid_case_desc);

/*
 * A first segment with impossible flags (scans send them) moves neither
 * end: the entry it makes, both CLOSED, lingers and goes.
 */
static void tcpsm_track_invalid_first_segment_lingers(struct kunit *test)
{
	const struct invalid_case *ic = test->param_value;
	struct tcpsm_net *tn = test->priv;
	unsigned long when = 0;
	enum tcpsm_timer_kind k;
	struct tcpsm_conn *c;
	struct flow f;
	bool gone;

	tn->cfg.pickup = ic->pickup;
	flow_init(test, &f, &routes[FORWARDED], CPORT);
	deliver(&f, CLIENT, ic->flags, 70000, 90000, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	spin_lock_bh(&c->lock);
	k = tcpsm_timer_next(c, &when);
	gone = k == TCPSM_TIMER_LINGER && tcpsm_timer_expire(c, when);
	spin_unlock_bh(&c->lock);

	expect_states(test, c, TCPSM_CLOSED, TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, k, TCPSM_TIMER_LINGER);
	KUNIT_EXPECT_TRUE(test, gone);
	KUNIT_EXPECT_GT(test, stat_of(&f, TCPSM_STAT_INVALID_FLAGS), 0);
}

/* ---- RST and keepalive -------------------------------------------------- */

static void tcpsm_track_rst_resets(struct kunit *test)
{
	enum tcpsm_timer_kind k;
	struct tcpsm_conn *c;
	unsigned long when;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	deliver(&f, CLIENT, FL_R, CISN + 1, 0, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	spin_lock_bh(&c->lock);
	k = tcpsm_timer_next(c, &when);
	spin_unlock_bh(&c->lock);

	expect_states(test, c, TCPSM_CLOSED, TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, c->e.destroy_reason, TCPSM_DESTROY_RESET);
	KUNIT_EXPECT_EQ(test, k, TCPSM_TIMER_LINGER);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_RST_ACCEPTED), 1);
}

static void tcpsm_track_keepalive_probes_counted(struct kunit *test)
{
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	ka_probe(&f);
	ka_probe(&f);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_KA_PROBES), 2);
	KUNIT_EXPECT_EQ(test, c->e.fsm.end[CLIENT].ka_probes, 2);
	KUNIT_EXPECT_EQ(test, c->e.fsm.end[CLIENT].ka_unanswered, 2);
	KUNIT_EXPECT_EQ(test, c->e.pkts[CLIENT], 4);
	KUNIT_EXPECT_EQ(test, c->e.ka_dead, 0);
	expect_states(test, c, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
}

/*
 * tcp_keepalive_timer(): the peer is dead one interval after the last
 * allowed probe, if that probe too went unanswered.
 */
static void tcpsm_track_keepalive_dead_after_interval(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	unsigned long due;
	struct tcpsm_conn *c;
	struct flow f;

	tn->cfg.keepalive_probes = 3;
	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	ka_probe(&f);
	ka_probe(&f);
	ka_probe(&f);
	KUNIT_EXPECT_EQ(test, c->e.ka_dead, 0);
	spin_lock_bh(&c->lock);
	due = c->e.ka_last_probe[CLIENT] + tn->cfg.keepalive_intvl * HZ;
	tcpsm_ka_catch_up(c, due - 1);
	KUNIT_EXPECT_EQ(test, c->e.ka_dead, 0);
	tcpsm_ka_catch_up(c, due);
	KUNIT_EXPECT_EQ(test, c->e.ka_dead, 1 + SERVER);
	tcpsm_ka_catch_up(c, due + HZ);
	spin_unlock_bh(&c->lock);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_KA_DEAD), 1);
}

/* The last allowed probe answered in time: alive. */
static void tcpsm_track_keepalive_answered_in_time(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c;
	struct flow f;

	tn->cfg.keepalive_probes = 3;
	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	ka_probe(&f);
	ka_probe(&f);
	ka_probe(&f);
	deliver(&f, SERVER, FL_A, SISN + 1, CISN + 1, 0);
	spin_lock_bh(&c->lock);
	tcpsm_ka_catch_up(c, c->e.ka_last_probe[CLIENT] + 10 * tn->cfg.keepalive_intvl * HZ);
	spin_unlock_bh(&c->lock);
	KUNIT_EXPECT_EQ(test, c->e.ka_dead, 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_KA_DEAD), 0);
}

/* A 1-byte write sent again while unacknowledged is no keepalive probe. */
static void tcpsm_track_one_byte_retransmission(struct kunit *test)
{
	struct tcpsm_conn *c;
	struct flow f;
	int i;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	for (i = 0; i < 9; i++)
		deliver(&f, CLIENT, FL_A, CISN + 1, SISN + 1, 1);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->e.fsm.end[CLIENT].ka_probes, 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_RETRANS), 8);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_KA_PROBES), 0);
	KUNIT_EXPECT_EQ(test, c->e.ka_dead, 0);
}

static void tcpsm_track_keepalive_answered(struct kunit *test)
{
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	ka_probe(&f);
	ka_probe(&f);
	deliver(&f, SERVER, FL_A, SISN + 1, CISN + 1, 0);
	c = flow_conn(&f);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->e.fsm.end[CLIENT].ka_unanswered, 0);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_KA_ANSWERED), 1);
	KUNIT_EXPECT_EQ(test, c->e.ka_dead, 0);
}

/*
 * A host unreachable for the client's SYN, back at its host: the client
 * gives up (tcp_v4_err()), the server it never reached is forgotten, and
 * the entry will go as ended by ICMP.
 */
static void tcpsm_track_icmp_syn_sent(struct kunit *test)
{
	struct tcpsm_conn *c;
	struct tcpsm_pkt p;
	struct flow f;

	flow_init(test, &f, &routes[LOCAL_CLIENT], CPORT);
	deliver(&f, CLIENT, FL_S, CISN, 0, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	expect_states(test, c, TCPSM_SYN_SENT, TCPSM_LISTEN);
	/* one quoting a sequence number the client never sent changes nothing */
	p = f.c2s;
	p.icmp = TCPSM_ICMP_FATAL;
	p.seg.seq = CISN + 5000;
	rcu_read_lock();
	tcpsm_track_icmp(f.tn, &p, NF_INET_LOCAL_IN, false);
	rcu_read_unlock();
	expect_states(test, c, TCPSM_SYN_SENT, TCPSM_LISTEN);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_ICMP_IGNORED), 1);
	p.seg.seq = CISN;
	rcu_read_lock();
	tcpsm_track_icmp(f.tn, &p, NF_INET_LOCAL_IN, false);
	rcu_read_unlock();
	expect_states(test, c, TCPSM_CLOSED, TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_ICMP_ABORTS), 1);
	KUNIT_EXPECT_EQ(test, c->e.destroy_reason, TCPSM_DESTROY_ICMP);
	KUNIT_EXPECT_EQ(test, c->e.icmp_errors, 1);
}

/* Established, an error is soft: counted, nothing moves. */
static void tcpsm_track_icmp_soft(struct kunit *test)
{
	struct tcpsm_conn *c;
	struct tcpsm_pkt p;
	struct flow f;

	flow_init(test, &f, &routes[LOCAL_CLIENT], CPORT);
	handshake(&f);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	p = f.c2s;
	p.icmp = TCPSM_ICMP_FATAL;
	p.seg.seq = CISN + 1;
	rcu_read_lock();
	tcpsm_track_icmp(f.tn, &p, NF_INET_LOCAL_IN, false);
	rcu_read_unlock();
	expect_states(test, c, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, stat_of(&f, TCPSM_STAT_ICMP_SOFT), 1);
	KUNIT_EXPECT_EQ(test, c->e.icmp_errors, 1);
}

/* ---- history, end, state graph ----------------------------------------- */

static void hist_text(struct tcpsm_conn *c, char *buf)
{
	spin_lock_bh(&c->lock);
	tcpsm_hist_text(&c->e.hist, buf, TCPSM_HIST_TEXT);
	spin_unlock_bh(&c->lock);
}

/* An event per segment, whichever hooks see it: loopback's two sightings merge. */
static void tcpsm_track_history_of_a_close(struct kunit *test)
{
	const struct tcpsm_hist_ev *ev;
	char text[TCPSM_HIST_TEXT];
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, test->param_value, CPORT);
	handshake(&f);
	active_close(&f, true);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	hist_text(c, text);
	KUNIT_EXPECT_STREQ(test, text, "ShAFafA");
	ev = tcpsm_hist_at(&c->e.hist, 0);
	KUNIT_EXPECT_EQ(test, ev->states[CLIENT], tcpsm_hist_states(TCPSM_CLOSED, TCPSM_SYN_SENT));
	KUNIT_EXPECT_EQ(test, ev->states[SERVER] >> 4, TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, ev->flags, FL_S);
	ev = tcpsm_hist_last(&c->e.hist);
	KUNIT_EXPECT_EQ(test, ev->states[SERVER], tcpsm_hist_states(TCPSM_LAST_ACK, TCPSM_CLOSED));
	KUNIT_EXPECT_EQ(test, c->e.closer, TCPSM_CLOSER_CLIENT);
	KUNIT_EXPECT_EQ(test, c->e.ended, TCPSM_ENDED_CLOSED);
}

/* FINs crossing on loopback: both closed first, each FIN one event. */
static void tcpsm_track_history_simultaneous_close(struct kunit *test)
{
	char text[TCPSM_HIST_TEXT];
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	sight(&f, CLIENT, OUT, FL_FA, CISN + 1, SISN + 1, 0);
	sight(&f, SERVER, OUT, FL_FA, SISN + 1, CISN + 1, 0);
	sight(&f, CLIENT, IN, FL_FA, CISN + 1, SISN + 1, 0);
	sight(&f, SERVER, IN, FL_FA, SISN + 1, CISN + 1, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	expect_states(test, c, TCPSM_CLOSING, TCPSM_CLOSING);
	hist_text(c, text);
	KUNIT_EXPECT_STREQ(test, text, "ShAFf");
	KUNIT_EXPECT_EQ(test, c->e.closer, TCPSM_CLOSER_BOTH);
	KUNIT_EXPECT_EQ(test, c->e.ended, TCPSM_ENDED_NONE);
}

/*
 * The same on a router: the client's FIN, seen first, takes the server to
 * CLOSE_WAIT; the server's, which crossed it (it acks no FIN), to CLOSING.
 */
static void tcpsm_track_history_crossing_fins_forwarded(struct kunit *test)
{
	char text[TCPSM_HIST_TEXT];
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[FORWARDED], CPORT);
	handshake(&f);
	deliver(&f, CLIENT, FL_FA, CISN + 1, SISN + 1, 0);
	deliver(&f, SERVER, FL_FA, SISN + 1, CISN + 1, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	expect_states(test, c, TCPSM_CLOSING, TCPSM_CLOSING);
	hist_text(c, text);
	KUNIT_EXPECT_STREQ(test, text, "ShAFf");
	KUNIT_EXPECT_EQ(test, c->e.closer, TCPSM_CLOSER_BOTH);
}

struct end_case {
	const char *desc;
	u8 flags;		/* the segment after the handshake, 0: none */
	u8 from;
	bool syn_only;		/* refused: the SYN alone, then the RST */
	int destroy;		/* then destroyed for this reason, -1: not */
	u8 ended;
};

static const struct end_case end_cases[] = {
	{ "reset by the client", FL_R, CLIENT, false, -1, TCPSM_ENDED_RESET_CLIENT },
	{ "reset by the server", FL_R, SERVER, false, -1, TCPSM_ENDED_RESET_SERVER },
	{ "refused", FL_RA, SERVER, true, -1, TCPSM_ENDED_REFUSED },
	{ "flushed", 0, CLIENT, false, TCPSM_DESTROY_FLUSHED, TCPSM_ENDED_FLUSHED },
	{ "evicted", 0, CLIENT, false, TCPSM_DESTROY_EVICTED, TCPSM_ENDED_EVICTED },
	{ "reset, then flushed", FL_R, CLIENT, false, TCPSM_DESTROY_FLUSHED,
	  TCPSM_ENDED_RESET_CLIENT },
	{ "going on", 0, CLIENT, false, -1, TCPSM_ENDED_NONE },
};

KUNIT_ARRAY_PARAM_DESC(end_cases, end_cases, desc);

/* The end code: set when known, kept on the way out. */
static void tcpsm_track_end_code(struct kunit *test)
{
	const struct end_case *ec = test->param_value;
	struct tcpsm_conn *c;
	struct flow f;
	u32 seq;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	if (ec->syn_only)
		deliver(&f, CLIENT, FL_S, CISN, 0, 0);
	else
		handshake(&f);
	seq = ec->from == CLIENT ? CISN + 1 : SISN + 1;
	if (ec->flags)
		deliver(&f, ec->from, ec->flags, ec->syn_only ? 0 : seq, CISN + 1, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	rcu_read_lock();	/* keeps it readable once destroyed */
	if (ec->destroy >= 0)
		tcpsm_conn_destroy(c, ec->destroy);
	KUNIT_EXPECT_EQ_MSG(test, c->e.ended, ec->ended, "%s",
			    tcpsm_name(&tcpsm_names_ended, c->e.ended));
	rcu_read_unlock();
}

/* A timer running out ends it as a timeout, in the state it ran out in. */
static void tcpsm_track_end_timeout(struct kunit *test)
{
	char text[TCPSM_HIST_TEXT];
	struct tcpsm_conn *c;
	struct flow f;

	flow_init(test, &f, &routes[LOOP4], CPORT);
	deliver(&f, CLIENT, FL_S, CISN, 0, 0);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	rcu_read_lock();
	spin_lock_bh(&c->lock);
	tcpsm_timer_expire(c, jiffies + 86400 * HZ);
	spin_unlock_bh(&c->lock);
	KUNIT_EXPECT_EQ(test, c->e.ended, TCPSM_ENDED_TIMEOUT);
	KUNIT_EXPECT_EQ(test, c->e.end_state, CLIENT << 4 | TCPSM_SYN_SENT);
	hist_text(c, text);
	KUNIT_EXPECT_STREQ(test, text, "SXx");
	rcu_read_unlock();
}

/* The graph counts each endpoint's move once, by what moved it. */
static u64 edge(struct tcpsm_net *tn, u8 role, u8 old, u8 new, u8 what)
{
	return atomic64_read(&tn->graph[tcpsm_graph_index(role, old, new, what)]);
}

static void tcpsm_track_graph_counts_moves(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct flow f;
	int i;

	for (i = 0; i < 3; i++) {
		flow_init(test, &f, test->param_value, CPORT + i);
		handshake(&f);
		active_close(&f, true);
	}
	KUNIT_EXPECT_EQ(test, edge(tn, CLIENT, TCPSM_CLOSED, TCPSM_SYN_SENT, TCPSM_H_SYN), 3);
	KUNIT_EXPECT_EQ(test, edge(tn, CLIENT, TCPSM_SYN_SENT, TCPSM_ESTABLISHED, TCPSM_H_SYNACK),
			3);
	KUNIT_EXPECT_EQ(test, edge(tn, CLIENT, TCPSM_FIN_WAIT_2, TCPSM_TIME_WAIT, TCPSM_H_FIN), 3);
	KUNIT_EXPECT_EQ(test, edge(tn, SERVER, TCPSM_LAST_ACK, TCPSM_CLOSED, TCPSM_H_ACK), 3);
	KUNIT_EXPECT_EQ(test, edge(tn, SERVER, TCPSM_LAST_ACK, TCPSM_CLOSED, TCPSM_H_FIN), 0);
}

/* Keepalive probes, then the prober giving up on its peer, in the history. */
static void tcpsm_track_keepalive_history(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	char text[TCPSM_HIST_TEXT];
	struct tcpsm_conn *c;
	unsigned long due;
	struct flow f;

	tn->cfg.keepalive_probes = 2;
	flow_init(test, &f, &routes[LOOP4], CPORT);
	handshake(&f);
	c = flow_conn(&f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	ka_probe(&f);
	ka_probe(&f);
	spin_lock_bh(&c->lock);
	due = c->e.ka_last_probe[CLIENT] + tn->cfg.keepalive_intvl * HZ;
	tcpsm_ka_catch_up(c, due);
	spin_unlock_bh(&c->lock);
	hist_text(c, text);
	KUNIT_EXPECT_STREQ(test, text, "ShAKKL");
}

static struct kunit_case tcpsm_track_cases[] = {
	KUNIT_CASE_PARAM(tcpsm_track_handshake, routes_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_counts_each_segment_once, routes_gen_params),
	KUNIT_CASE(tcpsm_track_loopback_moves_one_end_per_sighting),
	KUNIT_CASE_PARAM(tcpsm_track_first_sighting, routes_gen_params),
	KUNIT_CASE(tcpsm_track_tw_reuse_replaces),
	KUNIT_CASE(tcpsm_track_tw_old_syn_kept),
	KUNIT_CASE(tcpsm_track_reopen_replaces),
	KUNIT_CASE_PARAM(tcpsm_track_tw_restart, tw_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_pickup_midstream, pickup_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_handshake_confirms, routes_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_pickup_confirmed_when_answered, confirm_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_stray_acks_never_confirm, routes_gen_params),
	KUNIT_CASE(tcpsm_track_unconfirmed_expires_fast),
	KUNIT_CASE(tcpsm_track_confirmed_gets_established_timeout),
	KUNIT_CASE_PARAM(tcpsm_track_pickup_evicted_unless_confirmed, confirm_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_pickup_off_untracked, midstream_flags_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_rst_unknown_untracked, rst_flags_gen_params),
	KUNIT_CASE_PARAM(tcpsm_track_invalid_first_segment_lingers, invalid_cases_gen_params),
	KUNIT_CASE(tcpsm_track_rst_resets),
	KUNIT_CASE(tcpsm_track_keepalive_probes_counted),
	KUNIT_CASE(tcpsm_track_keepalive_dead_after_interval),
	KUNIT_CASE(tcpsm_track_keepalive_answered_in_time),
	KUNIT_CASE(tcpsm_track_one_byte_retransmission),
	KUNIT_CASE(tcpsm_track_icmp_syn_sent),
	KUNIT_CASE(tcpsm_track_icmp_soft),
	KUNIT_CASE(tcpsm_track_keepalive_answered),
	KUNIT_CASE_PARAM(tcpsm_track_history_of_a_close, routes_gen_params),
	KUNIT_CASE(tcpsm_track_history_simultaneous_close),
	KUNIT_CASE(tcpsm_track_history_crossing_fins_forwarded),
	KUNIT_CASE_PARAM(tcpsm_track_end_code, end_cases_gen_params),
	KUNIT_CASE(tcpsm_track_end_timeout),
	KUNIT_CASE_PARAM(tcpsm_track_graph_counts_moves, routes_gen_params),
	KUNIT_CASE(tcpsm_track_keepalive_history),
	{}
};

static struct kunit_suite tcpsm_track_suite = {
	.name = "tcpsm_track",
	.suite_init = tcpsm_test_suite_init,
	.suite_exit = tcpsm_test_suite_exit,
	.init = tcpsm_test_net_init,
	.exit = tcpsm_test_net_exit,
	.test_cases = tcpsm_track_cases,
};

kunit_test_suite(tcpsm_track_suite);
