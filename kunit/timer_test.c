// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for tcpsm's timers (module/timer.c, compiled into this module
 * by kunit/sut.c), on a fake clock: tcpsm_timer_update(), _restart(),
 * _expire(), _next(), tcpsm_conn_catch_up() and the garbage collector's
 * tcpsm_gc_scan() take the time as an argument, and the cases pass times of
 * their own, far enough ahead of jiffies that nothing is due by the real
 * clock while a case runs (and no collector runs here: the suite's
 * namespace state never starts one).
 *
 * Every timeout is configured to a different number of seconds, so a state
 * running another state's timer shows.
 */
#include <kunit/test.h>

#include "sut.h"

#define SYN_SENT_S	11
#define SYN_RCVD_S	12
#define ESTABLISHED_S	13
#define FIN_WAIT_1_S	14
#define FIN_WAIT_2_S	15
#define CLOSE_WAIT_S	16
#define CLOSING_S	17
#define LAST_ACK_S	18
#define MSL_S		19
#define LINGER_S	7

#define CLIENT	TCPSM_ROLE_CLIENT
#define SERVER	TCPSM_ROLE_SERVER

static int tcpsm_timer_test_init(struct kunit *test)
{
	struct tcpsm_config *cfg;
	int err;

	err = tcpsm_test_net_init(test);
	if (err)
		return err;
	cfg = &((struct tcpsm_net *)test->priv)->cfg;
	cfg->syn_sent_timeout = SYN_SENT_S;
	cfg->syn_rcvd_timeout = SYN_RCVD_S;
	cfg->established_timeout = ESTABLISHED_S;
	cfg->fin_wait_1_timeout = FIN_WAIT_1_S;
	cfg->fin_wait_2_timeout = FIN_WAIT_2_S;
	cfg->close_wait_timeout = CLOSE_WAIT_S;
	cfg->closing_timeout = CLOSING_S;
	cfg->last_ack_timeout = LAST_ACK_S;
	cfg->msl = MSL_S;
	cfg->close_linger = LINGER_S;
	return 0;
}

/* The fake clock's start: no deadline from it is due before the case ends. */
static unsigned long start(void)
{
	return jiffies + 1000 * HZ;
}

static struct tcpsm_conn *new_conn_port(struct kunit *test, u16 port)
{
	struct tcpsm_conn *c;
	struct tcpsm_key key;
	struct tcpsm_pkt p;
	u8 client;

	tcpsm_test_pkt(test, &p, "10.0.0.1", port, "10.0.0.2", 80);
	tcpsm_key_make(&key, &p, &client);
	rcu_read_lock();
	c = tcpsm_conn_create(test->priv, &key, client);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, c);
	return c;
}

static struct tcpsm_conn *new_conn(struct kunit *test)
{
	return new_conn_port(test, 40000);
}

/* @role enters @state at @now, as after a segment. */
static void enter(struct tcpsm_conn *c, u8 role, u8 state, unsigned long now)
{
	spin_lock_bh(&c->lock);
	c->e.fsm.end[role].state = state;
	tcpsm_conn_set_class(c);
	tcpsm_timer_update(c, now, BIT(role));
	spin_unlock_bh(&c->lock);
}

/* A segment at @now that changes no state. */
static void touch(struct tcpsm_conn *c, unsigned long now)
{
	spin_lock_bh(&c->lock);
	tcpsm_timer_update(c, now, 0);
	spin_unlock_bh(&c->lock);
}

static bool expire(struct tcpsm_conn *c, unsigned long now)
{
	bool gone;

	spin_lock_bh(&c->lock);
	gone = tcpsm_timer_expire(c, now);
	spin_unlock_bh(&c->lock);
	return gone;
}

static enum tcpsm_timer_kind next(struct tcpsm_conn *c, unsigned long *when)
{
	enum tcpsm_timer_kind k;

	spin_lock_bh(&c->lock);
	k = tcpsm_timer_next(c, when);
	spin_unlock_bh(&c->lock);
	return k;
}

static u8 state(const struct tcpsm_conn *c, u8 role)
{
	return c->e.fsm.end[role].state;
}

/* ---- each state's timer ------------------------------------------------- */

struct state_case {
	u8 state;
	u8 kind;	/* the timer it runs */
	int secs;	/* for so long */
	bool idle;	/* restarted by any segment */
};

static const struct state_case state_cases[] = {
	{ TCPSM_SYN_SENT, TCPSM_TIMER_SYN_SENT, SYN_SENT_S, false },
	{ TCPSM_SYN_RCVD, TCPSM_TIMER_SYN_RCVD, SYN_RCVD_S, false },
	{ TCPSM_LISTEN, TCPSM_TIMER_SYN_RCVD, SYN_RCVD_S, false },
	{ TCPSM_ESTABLISHED, TCPSM_TIMER_ESTABLISHED, ESTABLISHED_S, true },
	{ TCPSM_FIN_WAIT_1, TCPSM_TIMER_FIN_WAIT_1, FIN_WAIT_1_S, false },
	{ TCPSM_FIN_WAIT_2, TCPSM_TIMER_FIN_WAIT_2, FIN_WAIT_2_S, true },
	{ TCPSM_CLOSE_WAIT, TCPSM_TIMER_CLOSE_WAIT, CLOSE_WAIT_S, true },
	{ TCPSM_CLOSING, TCPSM_TIMER_CLOSING, CLOSING_S, false },
	{ TCPSM_LAST_ACK, TCPSM_TIMER_LAST_ACK, LAST_ACK_S, false },
	{ TCPSM_TIME_WAIT, TCPSM_TIMER_TIME_WAIT, 2 * MSL_S, false },
};

static void state_case_desc(const struct state_case *sc, char *desc)
{
	strscpy(desc, tcpsm_state_name(sc->state), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(state_cases, state_cases, state_case_desc);

static void tcpsm_timer_starts_on_entry(struct kunit *test)
{
	const struct state_case *sc = test->param_value;
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), when = 0;

	enter(c, CLIENT, sc->state, t);

	KUNIT_EXPECT_EQ(test, c->e.deadline[CLIENT], t + sc->secs * HZ);
	KUNIT_EXPECT_EQ(test, c->e.deadline[SERVER], 0);
	KUNIT_EXPECT_EQ(test, next(c, &when), sc->kind);
	KUNIT_EXPECT_EQ(test, when, t + sc->secs * HZ);
}

static void tcpsm_timer_activity_restarts_idle(struct kunit *test)
{
	const struct state_case *sc = test->param_value;
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start();

	enter(c, CLIENT, sc->state, t);
	touch(c, t + 5 * HZ);

	KUNIT_EXPECT_EQ(test, c->e.deadline[CLIENT],
			t + (sc->idle ? 5 : 0) * HZ + sc->secs * HZ);
}

static void tcpsm_timer_expire_not_before_deadline(struct kunit *test)
{
	const struct state_case *sc = test->param_value;
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start();

	enter(c, CLIENT, sc->state, t);

	KUNIT_EXPECT_FALSE(test, expire(c, t + sc->secs * HZ - 1));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), sc->state);
	KUNIT_EXPECT_EQ(test, c->e.deadline[CLIENT], t + sc->secs * HZ);
}

static void tcpsm_timer_expire_at_deadline(struct kunit *test)
{
	const struct state_case *sc = test->param_value;
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start();

	enter(c, CLIENT, sc->state, t);

	KUNIT_EXPECT_FALSE(test, expire(c, t + sc->secs * HZ));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, c->class, TCPSM_CLASS_CLOSED);
}

/* ---- two endpoints ------------------------------------------------------ */

struct next_case {
	const char *desc;
	u8 state[__TCPSM_ROLE_MAX];
	int at[__TCPSM_ROLE_MAX];	/* s after the start, when it entered */
	u8 kind;			/* the timer that runs next */
	u8 role;			/* whose */
};

static const struct next_case next_cases[] = {
	{ "client due first", { TCPSM_ESTABLISHED, TCPSM_FIN_WAIT_1 }, { 0, 0 },
	  TCPSM_TIMER_ESTABLISHED, CLIENT },
	{ "server due first", { TCPSM_TIME_WAIT, TCPSM_LAST_ACK }, { 0, 0 },
	  TCPSM_TIMER_LAST_ACK, SERVER },
	{ "due first though entered last", { TCPSM_FIN_WAIT_1, TCPSM_LAST_ACK }, { 2, 0 },
	  TCPSM_TIMER_FIN_WAIT_1, CLIENT },
	{ "client alone", { TCPSM_SYN_SENT, TCPSM_CLOSED }, { 0, 0 },
	  TCPSM_TIMER_SYN_SENT, CLIENT },
	{ "server alone", { TCPSM_CLOSED, TCPSM_CLOSE_WAIT }, { 0, 0 },
	  TCPSM_TIMER_CLOSE_WAIT, SERVER },
};

KUNIT_ARRAY_PARAM_DESC(next_cases, next_cases, desc);

static void tcpsm_timer_next_earliest(struct kunit *test)
{
	const struct next_case *nc = test->param_value;
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), when = 0;
	u8 first = nc->at[SERVER] < nc->at[CLIENT] ? SERVER : CLIENT;
	u8 r = nc->role;

	/* in the order they happened: a later update refreshes idle timers */
	if (nc->state[first] != TCPSM_CLOSED)
		enter(c, first, nc->state[first], t + nc->at[first] * HZ);
	if (nc->state[!first] != TCPSM_CLOSED)
		enter(c, !first, nc->state[!first], t + nc->at[!first] * HZ);

	KUNIT_EXPECT_EQ(test, next(c, &when), nc->kind);
	KUNIT_EXPECT_NE(test, c->e.deadline[r], 0);
	KUNIT_EXPECT_EQ(test, when, c->e.deadline[r]);
	KUNIT_EXPECT_TRUE(test, !c->e.deadline[!r] || time_after(c->e.deadline[!r], when));
}

/*
 * Deadlines on both sides of the wrap of jiffies: the earlier is the larger
 * number. The clock is absolute here, so all under the entry's lock, in case
 * the real timer is due (it then waits).
 */
static void tcpsm_timer_next_across_wrap(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = 0UL - 5 * HZ, when = 0;
	enum tcpsm_timer_kind k;

	spin_lock_bh(&c->lock);
	c->e.fsm.end[SERVER].state = TCPSM_LAST_ACK;
	tcpsm_timer_update(c, t - (LAST_ACK_S - 2) * HZ, BIT(SERVER));	/* t + 2 s */
	c->e.fsm.end[CLIENT].state = TCPSM_FIN_WAIT_1;
	tcpsm_timer_update(c, t, BIT(CLIENT));				/* t + 14 s */
	k = tcpsm_timer_next(c, &when);
	spin_unlock_bh(&c->lock);

	KUNIT_EXPECT_EQ(test, k, TCPSM_TIMER_LAST_ACK);
	KUNIT_EXPECT_EQ(test, when, t + 2 * HZ);
}

/* A deadline of 0 means none: one that lands on 0 is moved by a jiffy. */
static void tcpsm_timer_deadline_never_zero(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long when = 0;
	enum tcpsm_timer_kind k;

	spin_lock_bh(&c->lock);
	c->e.fsm.end[CLIENT].state = TCPSM_SYN_SENT;
	tcpsm_timer_update(c, 0UL - SYN_SENT_S * HZ, BIT(CLIENT));
	k = tcpsm_timer_next(c, &when);
	spin_unlock_bh(&c->lock);

	KUNIT_EXPECT_EQ(test, k, TCPSM_TIMER_SYN_SENT);
	KUNIT_EXPECT_EQ(test, when, 1);
}

static void tcpsm_timer_expire_closes_every_due_end(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start();

	enter(c, CLIENT, TCPSM_CLOSING, t);
	enter(c, SERVER, TCPSM_CLOSING, t);

	KUNIT_EXPECT_FALSE(test, expire(c, t + CLOSING_S * HZ));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, state(c, SERVER), TCPSM_CLOSED);
}

static void tcpsm_timer_closed_end_has_none(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), when = 0;

	enter(c, CLIENT, TCPSM_ESTABLISHED, t);
	enter(c, SERVER, TCPSM_ESTABLISHED, t);
	enter(c, SERVER, TCPSM_CLOSED, t + HZ);

	KUNIT_EXPECT_EQ(test, c->e.deadline[SERVER], 0);
	KUNIT_EXPECT_EQ(test, next(c, &when), TCPSM_TIMER_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, when, c->e.deadline[CLIENT]);
}

/* ---- TIME_WAIT ---------------------------------------------------------- */

static void tcpsm_timer_restart_time_wait(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), r = t + 10 * HZ;

	enter(c, CLIENT, TCPSM_TIME_WAIT, t);
	spin_lock_bh(&c->lock);
	tcpsm_timer_restart(c, CLIENT, r);
	spin_unlock_bh(&c->lock);

	KUNIT_EXPECT_EQ(test, c->e.deadline[CLIENT], r + 2 * MSL_S * HZ);
	KUNIT_EXPECT_FALSE(test, expire(c, t + 2 * MSL_S * HZ));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_TIME_WAIT);
	KUNIT_EXPECT_FALSE(test, expire(c, r + 2 * MSL_S * HZ));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_CLOSED);
}

static const int msl_cases[] = { 1, 30, 3600 };

static void msl_case_desc(const int *msl, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "msl %d", *msl);
}

KUNIT_ARRAY_PARAM(msl_cases, msl_cases, msl_case_desc);

static void tcpsm_timer_msl_sets_time_wait(struct kunit *test)
{
	const int *msl = test->param_value;
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), when = 0;

	tn->cfg.msl = *msl;
	enter(c, CLIENT, TCPSM_TIME_WAIT, t);

	KUNIT_EXPECT_EQ(test, next(c, &when), TCPSM_TIMER_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, when, t + 2 * *msl * HZ);
	KUNIT_EXPECT_FALSE(test, expire(c, when - 1));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_TIME_WAIT);
}

/* ---- both CLOSED: linger ------------------------------------------------ */

/* The client's TIME_WAIT runs out, the server long CLOSED: at the returned time. */
static unsigned long close_both(struct kunit *test, struct tcpsm_conn *c)
{
	unsigned long t = start();

	enter(c, CLIENT, TCPSM_TIME_WAIT, t);
	KUNIT_EXPECT_FALSE(test, expire(c, t + 2 * MSL_S * HZ));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_CLOSED);
	return t + 2 * MSL_S * HZ;
}

static void tcpsm_timer_linger_when_both_closed(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = close_both(test, c), when = 0;

	KUNIT_EXPECT_EQ(test, next(c, &when), TCPSM_TIMER_LINGER);
	KUNIT_EXPECT_EQ(test, when, t + LINGER_S * HZ);
	KUNIT_EXPECT_EQ(test, c->e.deadline[SERVER], 0);
}

static void tcpsm_timer_linger_expire_when_due(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = close_both(test, c);

	KUNIT_EXPECT_FALSE(test, expire(c, t + LINGER_S * HZ - 1));
	KUNIT_EXPECT_TRUE(test, expire(c, t + LINGER_S * HZ));
	KUNIT_EXPECT_TRUE(test, expire(c, t + LINGER_S * HZ + 1));
}

static void tcpsm_timer_linger_not_extended(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = close_both(test, c), when = 0;

	touch(c, t + 3 * HZ);

	KUNIT_EXPECT_EQ(test, next(c, &when), TCPSM_TIMER_LINGER);
	KUNIT_EXPECT_EQ(test, when, t + LINGER_S * HZ);
}

/*
 * An entry whose first segment moved neither endpoint (a SYN+FIN, say) is
 * both CLOSED without having entered it: it lingers too, or it would stay.
 */
static void tcpsm_timer_linger_without_transition(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), when = 0;

	touch(c, t);

	KUNIT_EXPECT_EQ(test, next(c, &when), TCPSM_TIMER_LINGER);
	KUNIT_EXPECT_EQ(test, when, t + LINGER_S * HZ);
	KUNIT_EXPECT_TRUE(test, expire(c, t + LINGER_S * HZ));
}

/* Noticed late (the collector runs up to a pass behind): linger from the deadline. */
static void tcpsm_timer_linger_runs_from_deadline(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), tw_end = t + 2 * MSL_S * HZ, when = 0;

	enter(c, CLIENT, TCPSM_TIME_WAIT, t);
	KUNIT_EXPECT_FALSE(test, expire(c, tw_end + 3 * HZ));

	KUNIT_EXPECT_EQ(test, next(c, &when), TCPSM_TIMER_LINGER);
	KUNIT_EXPECT_EQ(test, when, tw_end + LINGER_S * HZ);
}

/* Noticed after the linger would have ended too: gone in one step. */
static void tcpsm_timer_late_expiry_ends_linger(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start();

	enter(c, CLIENT, TCPSM_TIME_WAIT, t);

	KUNIT_EXPECT_TRUE(test, expire(c, t + (2 * MSL_S + LINGER_S) * HZ));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_CLOSED);
}

/* One endpoint's timeout is no activity: the other's idle timer keeps its deadline. */
static void tcpsm_timer_expiry_leaves_peer_idle_timer(struct kunit *test)
{
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), est;

	enter(c, CLIENT, TCPSM_ESTABLISHED, t);
	enter(c, SERVER, TCPSM_SYN_SENT, t);
	est = c->e.deadline[CLIENT];

	KUNIT_EXPECT_FALSE(test, expire(c, t + SYN_SENT_S * HZ));
	KUNIT_EXPECT_EQ(test, state(c, SERVER), TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, c->e.deadline[CLIENT], est);
}

/* ---- catching up: readers, segments and the garbage collector --------- */

static bool catch_up(struct tcpsm_conn *c, unsigned long now)
{
	bool alive;

	spin_lock_bh(&c->lock);
	alive = tcpsm_conn_catch_up(c, now);
	spin_unlock_bh(&c->lock);
	return alive;
}

static u64 expired(struct kunit *test)
{
	return tcpsm_stat_read(test->priv, TCPSM_STAT_DESTROY_EXPIRED);
}

/* Whoever looks first applies what is due: TIME_WAIT ends, then the entry. */
static void tcpsm_timer_catch_up_applies_due(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	struct tcpsm_conn *c = new_conn(test);
	unsigned long t = start(), tw_end = t + 2 * MSL_S * HZ;
	bool alive, dead, again;

	enter(c, CLIENT, TCPSM_TIME_WAIT, t);

	KUNIT_EXPECT_TRUE(test, catch_up(c, tw_end - 1));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_TIME_WAIT);
	KUNIT_EXPECT_TRUE(test, catch_up(c, tw_end));
	KUNIT_EXPECT_EQ(test, state(c, CLIENT), TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 1);

	rcu_read_lock();	/* keeps the entry readable once destroyed */
	alive = catch_up(c, tw_end + LINGER_S * HZ);
	dead = c->e.flags & TCPSM_F_DEAD;
	again = catch_up(c, tw_end + LINGER_S * HZ);	/* dead already */
	rcu_read_unlock();

	KUNIT_EXPECT_FALSE(test, alive);
	KUNIT_EXPECT_TRUE(test, dead);
	KUNIT_EXPECT_FALSE(test, again);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 0);
	KUNIT_EXPECT_EQ(test, expired(test), 1);	/* once */
}

/* A pass of the collector catches up with every entry, then ends. */
static void tcpsm_timer_gc_pass_catches_up_all(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	unsigned long t = start(), tw_end = t + 2 * MSL_S * HZ;
	struct tcpsm_conn *c[4];
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		c[i] = new_conn_port(test, 40000 + i);
		enter(c[i], CLIENT, TCPSM_TIME_WAIT, t);
	}
	/* one whose server is busy: its idle timer runs past both scans */
	enter(c[0], SERVER, TCPSM_ESTABLISHED, tw_end - HZ);

	KUNIT_EXPECT_TRUE(test, tcpsm_gc_scan(tn, tw_end, 100));
	for (i = 0; i < ARRAY_SIZE(c); i++)
		KUNIT_EXPECT_EQ(test, state(c[i], CLIENT), TCPSM_CLOSED);
	KUNIT_EXPECT_EQ(test, state(c[0], SERVER), TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 4);

	KUNIT_EXPECT_TRUE(test, tcpsm_gc_scan(tn, tw_end + LINGER_S * HZ, 100));
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->count), 1);
	KUNIT_EXPECT_EQ(test, expired(test), 3);
	KUNIT_EXPECT_FALSE(test, tn->gc_walking);
}

/* A budget smaller than the table: the pass goes on where it stopped. */
static void tcpsm_timer_gc_pass_in_slices(struct kunit *test)
{
	struct tcpsm_net *tn = test->priv;
	unsigned long t = start(), tw_end = t + 2 * MSL_S * HZ;
	struct tcpsm_conn *c[5];
	int i, calls = 0;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		c[i] = new_conn_port(test, 40000 + i);
		enter(c[i], CLIENT, TCPSM_TIME_WAIT, t);
	}

	while (!tcpsm_gc_scan(tn, tw_end, 2) && calls < 10)
		calls++;

	KUNIT_EXPECT_EQ(test, calls, 2);	/* 2 + 2, then 1 and the end */
	for (i = 0; i < ARRAY_SIZE(c); i++)
		KUNIT_EXPECT_EQ(test, state(c[i], CLIENT), TCPSM_CLOSED);
	KUNIT_EXPECT_FALSE(test, tn->gc_walking);
}

static void tcpsm_timer_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, tcpsm_timer_name(TCPSM_TIMER_NONE), "none");
	KUNIT_EXPECT_STREQ(test, tcpsm_timer_name(TCPSM_TIMER_SYN_RCVD), "syn_rcvd");
	KUNIT_EXPECT_STREQ(test, tcpsm_timer_name(TCPSM_TIMER_TIME_WAIT), "time_wait");
	KUNIT_EXPECT_STREQ(test, tcpsm_timer_name(TCPSM_TIMER_LINGER), "linger");
	KUNIT_EXPECT_STREQ(test, tcpsm_timer_name(__TCPSM_TIMER_MAX), "?");
}

static struct kunit_case tcpsm_timer_cases[] = {
	KUNIT_CASE_PARAM(tcpsm_timer_starts_on_entry, state_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_timer_activity_restarts_idle, state_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_timer_expire_not_before_deadline, state_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_timer_expire_at_deadline, state_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_timer_next_earliest, next_cases_gen_params),
	KUNIT_CASE(tcpsm_timer_next_across_wrap),
	KUNIT_CASE(tcpsm_timer_deadline_never_zero),
	KUNIT_CASE(tcpsm_timer_expire_closes_every_due_end),
	KUNIT_CASE(tcpsm_timer_closed_end_has_none),
	KUNIT_CASE(tcpsm_timer_restart_time_wait),
	KUNIT_CASE_PARAM(tcpsm_timer_msl_sets_time_wait, msl_cases_gen_params),
	KUNIT_CASE(tcpsm_timer_linger_when_both_closed),
	KUNIT_CASE(tcpsm_timer_linger_expire_when_due),
	KUNIT_CASE(tcpsm_timer_linger_not_extended),
	KUNIT_CASE(tcpsm_timer_linger_without_transition),
	KUNIT_CASE(tcpsm_timer_linger_runs_from_deadline),
	KUNIT_CASE(tcpsm_timer_late_expiry_ends_linger),
	KUNIT_CASE(tcpsm_timer_expiry_leaves_peer_idle_timer),
	KUNIT_CASE(tcpsm_timer_catch_up_applies_due),
	KUNIT_CASE(tcpsm_timer_gc_pass_catches_up_all),
	KUNIT_CASE(tcpsm_timer_gc_pass_in_slices),
	KUNIT_CASE(tcpsm_timer_names),
	{}
};

static struct kunit_suite tcpsm_timer_suite = {
	.name = "tcpsm_timer",
	.suite_init = tcpsm_test_suite_init,
	.suite_exit = tcpsm_test_suite_exit,
	.init = tcpsm_timer_test_init,
	.exit = tcpsm_test_net_exit,
	.test_cases = tcpsm_timer_cases,
};

kunit_test_suite(tcpsm_timer_suite);
