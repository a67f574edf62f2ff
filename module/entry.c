// SPDX-License-Identifier: GPL-2.0
/*
 * What a sighting or the clock does to one entry (entry.h): the steps
 * around the state machine, for the module's hooks and timers and for
 * tcpsm-replay. The caller holds whatever lock guards the entry.
 */
#include "entry.h"

u8 tcpsm_sight_move(enum tcpsm_sight at, bool peer_local, bool raw)
{
	switch (at) {
	case TCPSM_AT_LOCAL_OUT:
		/* forged by a raw socket: its sender is not moved, only judged */
		return (raw ? 0 : TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL) |
		       (peer_local ? 0 : TCPSM_MOVE_RECEIVER);
	case TCPSM_AT_LOCAL_IN:
		return TCPSM_MOVE_RECEIVER | TCPSM_TO_LOCAL |
		       (peer_local ? 0 : TCPSM_MOVE_SENDER);
	default:
		return TCPSM_MOVE_BOTH;
	}
}

u8 tcpsm_sight_local(enum tcpsm_sight at, u8 from)
{
	if (at == TCPSM_AT_LOCAL_OUT)
		return BIT(from);
	if (at == TCPSM_AT_LOCAL_IN)
		return BIT(!from);
	return 0;
}

/* A SYN starts a connection, anything else is picked up mid-stream when allowed. */
int tcpsm_start_client(const struct tcpsm_pkt *p, u8 src_idx, bool pickup)
{
	u8 f = p->seg.flags;

	if ((f & (TCPSM_SYN | TCPSM_ACK | TCPSM_RST)) == TCPSM_SYN)
		return src_idx;
	if (!pickup || (f & TCPSM_RST))
		return -1;
	if (f & TCPSM_SYN)
		return !src_idx;	/* SYN+ACK: the sender is the server */
	/* Mid-stream: guess that the lower port is the server's. */
	return ntohs(p->sport) > ntohs(p->dport) ? src_idx : !src_idx;
}

bool tcpsm_start_midstream(const struct tcpsm_seg *seg)
{
	return (seg->flags & (TCPSM_SYN | TCPSM_ACK)) != TCPSM_SYN;
}

void tcpsm_entry_init(struct tcpsm_entry *e, u8 client, unsigned long now)
{
	e->client = client;
	e->created = now;
	e->last_seen = now;
	e->last_data = now;
	tcpsm_fsm_init(&e->fsm);
}

u8 tcpsm_entry_role(const struct tcpsm_entry *e, u8 src_idx)
{
	return src_idx == e->client ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER;
}

enum tcpsm_class tcpsm_entry_class(const struct tcpsm_entry *e)
{
	return tcpsm_class_of(&e->fsm, e->flags & TCPSM_F_PICKUP, e->flags & TCPSM_F_CONFIRMED);
}

bool tcpsm_entry_confirm(struct tcpsm_entry *e)
{
	if ((e->flags & TCPSM_F_CONFIRMED) || !tcpsm_fsm_confirmed(&e->fsm))
		return false;
	e->flags |= TCPSM_F_CONFIRMED;
	return true;
}

void tcpsm_entry_pickup(struct tcpsm_entry *e, struct tcpsm_seg *seg, u8 src_idx,
			const struct tcpsm_entry_ops *ops)
{
	seg->from = tcpsm_entry_role(e, src_idx);
	tcpsm_fsm_pickup(&e->fsm, seg);
	e->flags |= TCPSM_F_PICKUP;
	ops->set_class(ops->ctx);	/* the step may move neither end */
	ops->stat(ops->ctx, TCPSM_STAT_PICKED_UP);
}

void tcpsm_entry_tw_restart(struct tcpsm_entry *e, int who, const struct tcpsm_config *cfg,
			    unsigned long now)
{
	e->deadline[who] = tcpsm_deadline_in(now, tcpsm_class_timer_secs(cfg, tcpsm_entry_class(e),
									 TCPSM_TIMER_TIME_WAIT));
}

static unsigned int changed(const struct tcpsm_verdict *v)
{
	unsigned int entered = 0;
	int r;

	for (r = 0; r < __TCPSM_ROLE_MAX; r++)
		if (v->old_state[r] != v->new_state[r])
			entered |= BIT(r);
	return entered;
}

/* Keepalive bookkeeping after a step (timeout.c's rule). */
static void keepalive_update(struct tcpsm_entry *e, const struct tcpsm_seg *seg,
			     const struct tcpsm_verdict *v, unsigned long now,
			     const struct tcpsm_entry_ops *ops)
{
	u8 dead = tcpsm_ka_after_step(&e->fsm, seg, v, e->ka_last_probe, &e->last_data,
				      e->ka_dead, now);

	if (dead != e->ka_dead) {
		e->ka_dead = dead;
		ops->stat(ops->ctx, TCPSM_STAT_KA_DEAD);
	}
}

static void tw_update(struct tcpsm_entry *e, const struct tcpsm_seg *seg,
		      const struct tcpsm_verdict *v, const struct tcpsm_config *cfg,
		      unsigned long now)
{
	if (!(v->events & (TCPSM_EV_TW_RESTART | TCPSM_EV_TW_ACK)))
		return;
	if (v->events & TCPSM_EV_TW_RESTART)
		e->tw_restarts++;
	else
		e->tw_ack_restarts++;
	tcpsm_entry_tw_restart(e, !seg->from, cfg, now);
}

void tcpsm_entry_apply(struct tcpsm_entry *e, struct tcpsm_seg *seg,
		       const struct tcpsm_config *cfg, unsigned long now,
		       const struct tcpsm_entry_ops *ops)
{
	struct tcpsm_verdict v;
	unsigned int entered;
	u8 ka_dead = e->ka_dead;

	if (tcpsm_ka_idle(e->last_data, cfg, now))
		seg->opts |= TCPSM_SEG_IDLE;
	tcpsm_fsm_step(&e->fsm, seg, &v);
	if (v.events & (TCPSM_EV_REUSE | TCPSM_EV_REOPEN)) {
		e->flags |= TCPSM_F_REUSE;	/* the caller replaces the entry */
		ops->stat(ops->ctx, v.events & TCPSM_EV_REUSE ? TCPSM_STAT_TW_REUSE :
			  TCPSM_STAT_REOPENED);
		return;
	}
	tcpsm_step_stats(seg, &v, ops->stat, ops->ctx);
	entered = changed(&v);
	if (seg->move & TCPSM_MOVE_SENDER) {	/* count each segment once */
		e->pkts[seg->from]++;
		e->bytes[seg->from] += seg->len;
	}
	e->last_seen = now;
	keepalive_update(e, seg, &v, now, ops);
	if (v.events & (TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED))
		e->destroy_reason = TCPSM_DESTROY_RESET;
	tw_update(e, seg, &v, cfg, now);
	/* confirmed: both ends leave the short leash of an unconfirmed entry */
	if (tcpsm_entry_confirm(e))
		entered |= BIT(TCPSM_ROLE_CLIENT) | BIT(TCPSM_ROLE_SERVER);
	if (entered)
		ops->set_class(ops->ctx);
	tcpsm_deadline_update(&e->fsm, e->deadline, cfg, tcpsm_entry_class(e), now, entered);
	if (ops->wanted(ops->ctx))
		tcpsm_step_events(seg, &v, ka_dead, e->ka_dead, ops->event, ops->ctx);
}

enum tcpsm_icmp_verdict tcpsm_entry_icmp(struct tcpsm_entry *e, const struct tcpsm_pkt *p,
					 u8 src_idx, const struct tcpsm_config *cfg,
					 unsigned long now, const struct tcpsm_entry_ops *ops)
{
	u8 who = tcpsm_entry_role(e, src_idx);
	enum tcpsm_icmp_verdict res;
	struct tcpsm_verdict v;
	unsigned int entered;

	res = tcpsm_fsm_icmp(&e->fsm, who, p->seg.seq, p->icmp == TCPSM_ICMP_FATAL, &v);
	if (res != TCPSM_ICMP_IGNORED && e->icmp_errors < 0xffff)
		e->icmp_errors++;
	if (res == TCPSM_ICMP_ABORTED)
		e->destroy_reason = TCPSM_DESTROY_ICMP;
	if (res != TCPSM_ICMP_IGNORED && ops->wanted(ops->ctx))
		tcpsm_emit_simple(ops->event, ops->ctx, TCPSM_EVENT_TYPE_ICMP, who);
	entered = changed(&v);
	if (entered) {
		ops->stat(ops->ctx, TCPSM_STAT_TRANSITIONS);
		ops->set_class(ops->ctx);
		tcpsm_deadline_update(&e->fsm, e->deadline, cfg, tcpsm_entry_class(e), now,
				      entered);
		if (ops->wanted(ops->ctx))
			tcpsm_expire_events(&e->fsm, entered, v.old_state, ops->event, ops->ctx);
	}
	return res;
}

void tcpsm_entry_ka_catch_up(struct tcpsm_entry *e, const struct tcpsm_config *cfg,
			     unsigned long now, const struct tcpsm_entry_ops *ops)
{
	int r;

	if (e->ka_dead)
		return;
	r = tcpsm_ka_gave_up(&e->fsm, e->ka_last_probe, cfg, now);
	if (r < 0)
		return;
	e->ka_dead = 1 + !r;
	ops->stat(ops->ctx, TCPSM_STAT_KA_DEAD);
	if (ops->wanted(ops->ctx))
		tcpsm_emit_simple(ops->event, ops->ctx, TCPSM_EVENT_TYPE_KA_DEAD, r);
}

/*
 * Whoever notices a deadline may do so late (the collector by up to a
 * pass): the rules run from the deadline, so the result is the same
 * however late.
 */
bool tcpsm_entry_expire(struct tcpsm_entry *e, const struct tcpsm_config *cfg,
			unsigned long now, const struct tcpsm_entry_ops *ops)
{
	u8 old[__TCPSM_ROLE_MAX] = {};
	unsigned int entered;

	entered = tcpsm_deadline_expire(&e->fsm, e->deadline, cfg, now, old);
	if (entered) {
		ops->set_class(ops->ctx);
		if (ops->wanted(ops->ctx))
			tcpsm_expire_events(&e->fsm, entered, old, ops->event, ops->ctx);
	}
	return tcpsm_deadline_lingered(&e->fsm, e->deadline, now);
}
