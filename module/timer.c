// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: each endpoint's state may time out (2MSL in TIME_WAIT, FIN_WAIT_2,
 * the embryonic states, idle ESTABLISHED ...); an entry whose endpoints are
 * both CLOSED lingers a little and goes. The rules are timeout.c's, shared
 * with tcpsm-replay; this file applies them to the table with jiffies.
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

/* The timer an entry runs next and when (jiffies); TCPSM_TIMER_NONE if none. */
enum tcpsm_timer_kind tcpsm_timer_next(const struct tcpsm_conn *c, unsigned long *when)
{
	return tcpsm_deadline_next(&c->e.fsm, c->e.deadline, when);
}

/*
 * After a segment, under c->lock: @entered has bit r set when role r changed
 * state. New states start their timer; idle timers restart on activity; an
 * unconfirmed entry's last at most unconfirmed_timeout.
 */
void tcpsm_timer_update(struct tcpsm_conn *c, unsigned long now, unsigned int entered)
{
	tcpsm_deadline_update(&c->e.fsm, c->e.deadline, &c->tn->cfg, tcpsm_entry_class(&c->e),
			      now, entered);
}

/* A retransmitted FIN reached an endpoint in TIME_WAIT: 2MSL starts again. */
void tcpsm_timer_restart(struct tcpsm_conn *c, enum tcpsm_role who, unsigned long now)
{
	tcpsm_entry_tw_restart(&c->e, who, &c->tn->cfg, now);
}

/*
 * Expire what is due, under c->lock. Returns true when the entry should go
 * (it lingered long enough with both endpoints CLOSED).
 */
bool tcpsm_timer_expire(struct tcpsm_conn *c, unsigned long now)
{
	struct tcpsm_entry_ops ops;

	tcpsm_conn_ops(c, &ops);
	return tcpsm_entry_expire(&c->e, &c->tn->cfg, now, &ops);
}

/* Under c->lock: a prober that gave up by @now declares its peer dead. */
void tcpsm_ka_catch_up(struct tcpsm_conn *c, unsigned long now)
{
	struct tcpsm_entry_ops ops;

	tcpsm_conn_ops(c, &ops);
	tcpsm_entry_ka_catch_up(&c->e, &c->tn->cfg, now, &ops);
}

/*
 * Under c->lock, before anyone uses or shows the entry: apply what is due by
 * @now. Returns false if the entry is gone (it lingered long enough with
 * both endpoints CLOSED and is destroyed now, or it was dead already).
 */
bool tcpsm_conn_catch_up(struct tcpsm_conn *c, unsigned long now)
{
	if (c->e.flags & TCPSM_F_DEAD)
		return false;
	tcpsm_ka_catch_up(c, now);
	if (!tcpsm_timer_expire(c, now))
		return true;
	tcpsm_conn_destroy_locked(c, c->e.destroy_reason);
	return false;
}

/* When the next keepalive probe of @r is due, in ms, as Linux's prober would send it. */
unsigned long tcpsm_ka_next_ms(const struct tcpsm_conn *c, int r, unsigned long now)
{
	return tcpsm_ms_until(tcpsm_ka_due(&c->e.fsm, c->e.ka_last_probe, c->e.last_seen,
					   &c->tn->cfg, r), now);
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
