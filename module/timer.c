// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: each endpoint's state may time out (2MSL in TIME_WAIT, FIN_WAIT_2,
 * the embryonic states, idle ESTABLISHED ...); an entry whose endpoints are
 * both CLOSED lingers a little and goes.
 *
 * Each endpoint keeps a deadline, and no entry has a timer of its own, as
 * conntrack has done since Linux 4.7: starting or refreshing a timeout is a
 * store. A deadline is applied by whoever meets the entry first once it is
 * due: a segment (the hook), a reader (/proc, netlink), so that nothing
 * shows a state whose time ran out, or the namespace's garbage collector,
 * which walks the table once a second in slices and catches the entries
 * no one looks at, so that their events are sent and their memory freed
 * within about a second.
 */
#include <linux/jiffies.h>

#include "tcpsm.h"

/* Which timer an endpoint runs in each state, and whether activity refreshes it. */
static const struct {
	u8 kind;
	bool idle;
} state_timer[__TCPSM_STATE_MAX] = {
	[TCPSM_CLOSED]		= { TCPSM_TIMER_NONE, false },
	[TCPSM_LISTEN]		= { TCPSM_TIMER_SYN_RCVD, false },
	[TCPSM_SYN_SENT]	= { TCPSM_TIMER_SYN_SENT, false },
	[TCPSM_SYN_RCVD]	= { TCPSM_TIMER_SYN_RCVD, false },
	[TCPSM_ESTABLISHED]	= { TCPSM_TIMER_ESTABLISHED, true },
	[TCPSM_FIN_WAIT_1]	= { TCPSM_TIMER_FIN_WAIT_1, false },
	[TCPSM_FIN_WAIT_2]	= { TCPSM_TIMER_FIN_WAIT_2, true },
	[TCPSM_CLOSE_WAIT]	= { TCPSM_TIMER_CLOSE_WAIT, true },
	[TCPSM_CLOSING]		= { TCPSM_TIMER_CLOSING, false },
	[TCPSM_LAST_ACK]	= { TCPSM_TIMER_LAST_ACK, false },
	[TCPSM_TIME_WAIT]	= { TCPSM_TIMER_TIME_WAIT, false },
};

/* Seconds a timer of this kind runs, in this namespace. */
static int timer_secs(const struct tcpsm_config *cfg, enum tcpsm_timer_kind k)
{
	switch (k) {
	case TCPSM_TIMER_SYN_SENT:	return READ_ONCE(cfg->syn_sent_timeout);
	case TCPSM_TIMER_SYN_RCVD:	return READ_ONCE(cfg->syn_rcvd_timeout);
	case TCPSM_TIMER_ESTABLISHED:	return READ_ONCE(cfg->established_timeout);
	case TCPSM_TIMER_FIN_WAIT_1:	return READ_ONCE(cfg->fin_wait_1_timeout);
	case TCPSM_TIMER_FIN_WAIT_2:	return READ_ONCE(cfg->fin_wait_2_timeout);
	case TCPSM_TIMER_CLOSE_WAIT:	return READ_ONCE(cfg->close_wait_timeout);
	case TCPSM_TIMER_CLOSING:	return READ_ONCE(cfg->closing_timeout);
	case TCPSM_TIMER_LAST_ACK:	return READ_ONCE(cfg->last_ack_timeout);
	case TCPSM_TIMER_TIME_WAIT:	return 2 * READ_ONCE(cfg->msl);
	case TCPSM_TIMER_LINGER:	return READ_ONCE(cfg->close_linger);
	default:			return 0;
	}
}

/*
 * The same for @c's endpoints: an unconfirmed entry (a spoofed ACK's ghost,
 * perhaps) never waits longer than unconfirmed_timeout, so that a flood of
 * them drains in minutes rather than in established_timeout's days.
 */
static int conn_timer_secs(const struct tcpsm_conn *c, enum tcpsm_timer_kind k)
{
	int secs = timer_secs(&c->tn->cfg, k);

	if (c->class == TCPSM_CLASS_UNCONFIRMED)
		secs = min(secs, READ_ONCE(c->tn->cfg.unconfirmed_timeout));
	return secs;
}

static bool both_closed(const struct tcpsm_conn *c)
{
	return c->fsm.end[TCPSM_ROLE_CLIENT].state == TCPSM_CLOSED &&
	       c->fsm.end[TCPSM_ROLE_SERVER].state == TCPSM_CLOSED;
}

/* A deadline of 0 means none; jiffies that land on 0 move by one. */
static unsigned long deadline_in(unsigned long now, int secs)
{
	unsigned long d = now + (unsigned long)secs * HZ;

	return d ? d : 1;
}

/* The timer an entry runs next and when (jiffies); TCPSM_TIMER_NONE if none. */
enum tcpsm_timer_kind tcpsm_timer_next(const struct tcpsm_conn *c, unsigned long *when)
{
	enum tcpsm_timer_kind kind = TCPSM_TIMER_NONE;
	int r;

	if (both_closed(c)) {
		*when = c->deadline[TCPSM_ROLE_CLIENT];
		return *when ? TCPSM_TIMER_LINGER : TCPSM_TIMER_NONE;
	}
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		if (!c->deadline[r])
			continue;
		if (kind == TCPSM_TIMER_NONE || time_before(c->deadline[r], *when)) {
			*when = c->deadline[r];
			kind = state_timer[c->fsm.end[r].state].kind;
		}
	}
	return kind;
}

/*
 * After a segment, under c->lock: @entered has bit r set when role r changed
 * state. New states start their timer; idle timers restart on activity.
 */
void tcpsm_timer_update(struct tcpsm_conn *c, unsigned long now, unsigned int entered)
{
	const struct tcpsm_config *cfg = &c->tn->cfg;
	int r;

	if (both_closed(c)) {
		/* a first segment that moved neither end lingers too */
		if (entered || !c->deadline[TCPSM_ROLE_CLIENT])
			c->deadline[TCPSM_ROLE_CLIENT] =
				deadline_in(now, timer_secs(cfg, TCPSM_TIMER_LINGER));
		c->deadline[TCPSM_ROLE_SERVER] = 0;
		return;
	}
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		u8 st = c->fsm.end[r].state;

		if (state_timer[st].kind == TCPSM_TIMER_NONE)
			c->deadline[r] = 0;
		else if ((entered & BIT(r)) || state_timer[st].idle || !c->deadline[r])
			c->deadline[r] = deadline_in(now, conn_timer_secs(c, state_timer[st].kind));
	}
}

/* A retransmitted FIN reached an endpoint in TIME_WAIT: 2MSL starts again. */
void tcpsm_timer_restart(struct tcpsm_conn *c, enum tcpsm_role who, unsigned long now)
{
	c->deadline[who] = deadline_in(now, conn_timer_secs(c, TCPSM_TIMER_TIME_WAIT));
}

static bool lingered(const struct tcpsm_conn *c, unsigned long now)
{
	return c->deadline[TCPSM_ROLE_CLIENT] &&
	       time_after_eq(now, c->deadline[TCPSM_ROLE_CLIENT]);
}

/*
 * Expire what is due, under c->lock. Returns true when the entry should go
 * (it lingered long enough with both endpoints CLOSED).
 *
 * Whoever notices a deadline may do so late (the collector by up to a
 * pass): what follows runs from the deadline, not from @now, so the result
 * is the same however late, and the peer's idle timer is left alone (an
 * expiry is no activity).
 */
bool tcpsm_timer_expire(struct tcpsm_conn *c, unsigned long now)
{
	u8 old[__TCPSM_ROLE_MAX] = {};
	unsigned long last = 0;
	unsigned int entered = 0;
	int r;

	if (both_closed(c))
		return lingered(c, now);
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		unsigned long d = c->deadline[r];

		if (!d || time_before(now, d))
			continue;
		old[r] = c->fsm.end[r].state;
		tcpsm_fsm_expire(&c->fsm, r);	/* CLOSED: no timer */
		c->deadline[r] = 0;
		if (!entered || time_after(d, last))
			last = d;
		entered |= BIT(r);
	}
	if (!entered)
		return false;
	tcpsm_conn_set_class(c);
	if (both_closed(c))
		c->deadline[TCPSM_ROLE_CLIENT] =
			deadline_in(last, timer_secs(&c->tn->cfg, TCPSM_TIMER_LINGER));
	if (tcpsm_events_wanted(c->tn))
		tcpsm_nl_notify_expire(c, entered, old);
	return both_closed(c) && lingered(c, now);
}

/*
 * Under c->lock: tcp_keepalive_timer() gives up on a peer when, one interval
 * after its last probe, the probes out still number the limit; tcpsm
 * declares that peer dead at the same moment.
 */
void tcpsm_ka_catch_up(struct tcpsm_conn *c, unsigned long now)
{
	const struct tcpsm_config *cfg = &c->tn->cfg;
	int limit = READ_ONCE(cfg->keepalive_probes);
	unsigned long intvl = (unsigned long)READ_ONCE(cfg->keepalive_intvl) * HZ;
	int r;

	if (c->ka_dead)
		return;
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		const struct tcpsm_end *e = &c->fsm.end[r];

		if (e->ka_unanswered < limit || e->state == TCPSM_CLOSED ||
		    time_before(now, c->ka_last_probe[r] + intvl))
			continue;
		c->ka_dead = 1 + !r;
		tcpsm_stat_inc(c->tn, TCPSM_STAT_KA_DEAD);
		if (tcpsm_events_wanted(c->tn))
			tcpsm_nl_notify(c, TCPSM_EVENT_TYPE_KA_DEAD, r, -1, -1, -1, -1);
		return;
	}
}

/*
 * Under c->lock, before anyone uses or shows the entry: apply what is due by
 * @now. Returns false if the entry is gone (it lingered long enough with
 * both endpoints CLOSED and is destroyed now, or it was dead already).
 */
bool tcpsm_conn_catch_up(struct tcpsm_conn *c, unsigned long now)
{
	if (c->flags & TCPSM_F_DEAD)
		return false;
	tcpsm_ka_catch_up(c, now);
	if (!tcpsm_timer_expire(c, now))
		return true;
	tcpsm_conn_destroy_locked(c, c->destroy_reason);
	return false;
}

/* Time left until @when, in ms, 0 if past: for /proc and netlink. */
unsigned long tcpsm_ms_until(unsigned long when, unsigned long now)
{
	return time_after(when, now) ? jiffies_to_msecs(when - now) : 0;
}

/* When the next keepalive probe of @r is due, in ms, as Linux's prober would send it. */
unsigned long tcpsm_ka_next_ms(const struct tcpsm_conn *c, int r, unsigned long now)
{
	const struct tcpsm_config *cfg = &c->tn->cfg;
	unsigned long due;

	if (c->fsm.end[r].ka_unanswered)
		due = c->ka_last_probe[r] + READ_ONCE(cfg->keepalive_intvl) * HZ;
	else
		due = c->last_seen + READ_ONCE(cfg->keepalive_time) * HZ;
	return tcpsm_ms_until(due, now);
}

/*
 * The garbage collector. A pass over the table is cut in slices of
 * TCPSM_GC_SLICE entries, one per run, the next slice a tick later: the
 * work never holds the CPU for long, and a pass over 10^6 entries takes a
 * few seconds. A pass starts every TCPSM_GC_INTERVAL.
 */
#define TCPSM_GC_SLICE		1024
#define TCPSM_GC_INTERVAL	HZ

/* Leave the table's walkers, at the end of a pass or before the table goes. */
void tcpsm_gc_end_pass(struct tcpsm_net *tn)
{
	if (!tn->gc_walking)
		return;
	rhashtable_walk_exit(&tn->gc_iter);
	tn->gc_walking = false;
}

/*
 * Catch up with @now on up to @budget entries from where the last call
 * stopped. Returns true when the pass reached the end of the table. A
 * resize restarts the walk at the start of the new table.
 */
bool tcpsm_gc_scan(struct tcpsm_net *tn, unsigned long now, unsigned int budget)
{
	struct tcpsm_conn *c;
	bool done = false;

	if (!tn->gc_walking) {
		rhashtable_walk_enter(&tn->table, &tn->gc_iter);
		tn->gc_walking = true;
	}
	tcpsm_walk_start(&tn->gc_iter);
	while (budget--) {
		c = rhashtable_walk_next(&tn->gc_iter);
		if (IS_ERR(c))
			continue;	/* -EAGAIN: resized */
		if (!c) {
			done = true;
			break;
		}
		spin_lock_bh(&c->lock);
		tcpsm_conn_catch_up(c, now);
		spin_unlock_bh(&c->lock);
	}
	rhashtable_walk_stop(&tn->gc_iter);
	if (done)
		tcpsm_gc_end_pass(tn);
	return done;
}

static void tcpsm_gc_work(struct work_struct *work)
{
	struct tcpsm_net *tn = container_of(to_delayed_work(work), struct tcpsm_net, gc_work);
	bool done = tcpsm_gc_scan(tn, jiffies, TCPSM_GC_SLICE);

	queue_delayed_work(system_power_efficient_wq, &tn->gc_work,
			   done ? TCPSM_GC_INTERVAL : 1);
}

void tcpsm_gc_start(struct tcpsm_net *tn)
{
	INIT_DELAYED_WORK(&tn->gc_work, tcpsm_gc_work);
	queue_delayed_work(system_power_efficient_wq, &tn->gc_work, TCPSM_GC_INTERVAL);
}

/* Before the table goes: the work cannot queue itself again once cancelled. */
void tcpsm_gc_stop(struct tcpsm_net *tn)
{
	cancel_delayed_work_sync(&tn->gc_work);
	tcpsm_gc_end_pass(tn);
}
