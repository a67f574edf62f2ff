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

/* A hook's clock may have been read just before the entry was made. */
static u32 entry_ms(const struct tcpsm_entry *e, unsigned long now)
{
	return tcpsm_time_before(now, e->created) ? 0 : tcpsm_ticks_to_ms(now - e->created);
}

/*
 * Who sent the first FIN: one entering FIN_WAIT_1 sent it unprovoked, and
 * so did one entering CLOSING from elsewhere (a router saw the peer's FIN
 * first and took it to CLOSE_WAIT, but its own FIN crossed it).
 */
static void closer_update(struct tcpsm_entry *e, u8 role)
{
	u8 me = role == TCPSM_ROLE_CLIENT ? TCPSM_CLOSER_CLIENT : TCPSM_CLOSER_SERVER;

	if (e->closer == TCPSM_CLOSER_NONE)
		e->closer = me;
	else if (e->closer != me)
		e->closer = TCPSM_CLOSER_BOTH;
}

static void set_ended(struct tcpsm_entry *e, u8 how)
{
	if (e->ended == TCPSM_ENDED_NONE)
		e->ended = how;
}

/*
 * Each role in @entered left @old[role] at @ms: its clock in the new state
 * starts, its move is counted in the graph; a FIN acknowledged both ways is
 * a normal close, a timer running out elsewhere than in TIME_WAIT a timeout.
 */
static void states_entered(struct tcpsm_entry *e, const u8 *old, unsigned int entered,
			   u8 what, u32 ms, const struct tcpsm_entry_ops *ops)
{
	u8 now;
	int r;

	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		if (!(entered & BIT(r)))
			continue;
		now = e->fsm.end[r].state;
		e->prev_ms[r] = ms - e->state_ms[r];
		e->state_ms[r] = ms;
		if (ops->moved)
			ops->moved(ops->ctx, r, old[r], now, what);
		if (now == TCPSM_FIN_WAIT_1 ||
		    (now == TCPSM_CLOSING && old[r] != TCPSM_FIN_WAIT_1))
			closer_update(e, r);
		if (now == TCPSM_TIME_WAIT || (old[r] == TCPSM_LAST_ACK && now == TCPSM_CLOSED))
			set_ended(e, TCPSM_ENDED_CLOSED);
		if (what == TCPSM_H_TIMEOUT && old[r] != TCPSM_TIME_WAIT &&
		    e->ended == TCPSM_ENDED_NONE) {
			e->ended = TCPSM_ENDED_TIMEOUT;
			e->end_state = r << 4 | old[r];
		}
	}
}

static void hist_record(struct tcpsm_entry *e, u8 what, u8 role, u8 flags, const u8 *old,
			u32 ms, bool pending)
{
	struct tcpsm_hist_ev *ev = tcpsm_hist_add(&e->hist);
	int r;

	ev->ms = ms;
	ev->what = what | (role == TCPSM_ROLE_SERVER ? TCPSM_HIST_SERVER : 0) |
		   (pending ? TCPSM_HIST_PENDING : 0);
	ev->flags = flags;
	for (r = 0; r < __TCPSM_ROLE_MAX; r++)
		ev->states[r] = tcpsm_hist_states(old[r], e->fsm.end[r].state);
}

/*
 * What a segment adds to the history, -1 for nothing: a segment that moved
 * a state by its flags; else, if notable, what made it so; else the first
 * payload each way.
 */
static int hist_what(struct tcpsm_entry *e, const struct tcpsm_seg *seg,
		     const struct tcpsm_verdict *v, unsigned int entered)
{
	static const struct {
		u16 ev;
		u8 what;
	} notable[] = {
		{ TCPSM_EV_RST_ACCEPTED, TCPSM_H_RST },
		{ TCPSM_EV_TW_RESTART | TCPSM_EV_TW_ACK, TCPSM_H_TW_RESTART },
		{ TCPSM_EV_RST_CHALLENGE, TCPSM_H_CHALLENGE },
		{ TCPSM_EV_KA_PROBE, TCPSM_H_KA_PROBE },
		{ TCPSM_EV_KA_ANSWERED, TCPSM_H_KA_ANSWER },
		{ TCPSM_EV_ZW_PROBE, TCPSM_H_ZW_PROBE },
		{ TCPSM_EV_RETRANS, TCPSM_H_RETRANS },
	};
	u8 data = TCPSM_F_DATA << seg->from;
	unsigned int i;

	/* a raw socket's segment seen leaving over loopback: judged at arrival */
	if (!(seg->move & TCPSM_MOVE_BOTH))
		return -1;
	if (entered) {
		if (seg->flags & TCPSM_RST)
			return TCPSM_H_RST;
		if (seg->flags & TCPSM_SYN)
			return seg->flags & TCPSM_ACK ? TCPSM_H_SYNACK : TCPSM_H_SYN;
		if (seg->flags & TCPSM_FIN)
			return TCPSM_H_FIN;
		return seg->len ? TCPSM_H_DATA : TCPSM_H_ACK;
	}
	if (v->invalid && (seg->move & TCPSM_MOVE_RECEIVER))
		return TCPSM_H_BAD;
	for (i = 0; i < ARRAY_SIZE(notable); i++)
		if (v->events & notable[i].ev)
			return notable[i].what;
	if (seg->len && !(e->flags & data)) {
		e->flags |= data;
		return TCPSM_H_DATA;
	}
	return -1;
}

/*
 * Over loopback a segment is seen twice, leaving its sender, then reaching
 * its receiver: one event for both, the receiver's move added to the first.
 * Segments may cross between the two sightings (a simultaneous close): the
 * first is looked for among the last few events.
 */
#define HIST_MERGE_BACK	3

static bool hist_merge(struct tcpsm_entry *e, const struct tcpsm_seg *seg, u8 what,
		       const u8 *old)
{
	unsigned int kept = tcpsm_hist_kept(&e->hist), i;
	u8 mine = what | TCPSM_HIST_PENDING |
		  (seg->from == TCPSM_ROLE_SERVER ? TCPSM_HIST_SERVER : 0);
	struct tcpsm_hist_ev *ev;
	u8 r = !seg->from;

	for (i = kept; i > 0 && i + HIST_MERGE_BACK > kept; i--) {
		ev = (struct tcpsm_hist_ev *)tcpsm_hist_at(&e->hist, i - 1);
		if (ev->what != mine || ev->flags != seg->flags)
			continue;
		ev->what &= ~TCPSM_HIST_PENDING;
		ev->states[r] = tcpsm_hist_states(old[r], e->fsm.end[r].state);
		return true;
	}
	return false;
}

/* Most segments add nothing: their clock is read only for one that does. */
static void hist_step(struct tcpsm_entry *e, const struct tcpsm_seg *seg,
		      const struct tcpsm_verdict *v, unsigned int entered, unsigned long now,
		      const struct tcpsm_entry_ops *ops)
{
	int what = hist_what(e, seg, v, entered);
	bool merged;
	u32 ms;

	if (what < 0)
		return;
	ms = entry_ms(e, now);
	merged = !(seg->move & TCPSM_MOVE_SENDER) && hist_merge(e, seg, what, v->old_state);
	states_entered(e, v->old_state, entered, what, ms, ops);
	if (!merged)
		hist_record(e, what, seg->from, seg->flags, v->old_state, ms,
			    (seg->move & TCPSM_MOVE_BOTH) == TCPSM_MOVE_SENDER);
}

/* An event of one endpoint's, no segment: a timer, an ICMP error, keepalive's end. */
static void hist_own(struct tcpsm_entry *e, u8 what, u8 role, const u8 *old,
		     unsigned int entered, u32 ms, const struct tcpsm_entry_ops *ops)
{
	states_entered(e, old, entered, what, ms, ops);
	hist_record(e, what, role, 0, old, ms, false);
}

static void ended_by_rst(struct tcpsm_entry *e, const struct tcpsm_seg *seg,
			 const struct tcpsm_verdict *v)
{
	if (v->events & TCPSM_EV_REFUSED)
		set_ended(e, TCPSM_ENDED_REFUSED);
	else if (v->events & TCPSM_EV_RST_ACCEPTED)
		set_ended(e, seg->from == TCPSM_ROLE_CLIENT ? TCPSM_ENDED_RESET_CLIENT :
			  TCPSM_ENDED_RESET_SERVER);
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
	static const u8 closed[__TCPSM_ROLE_MAX];

	seg->from = tcpsm_entry_role(e, src_idx);
	tcpsm_fsm_pickup(&e->fsm, seg);
	e->flags |= TCPSM_F_PICKUP;
	hist_own(e, TCPSM_H_PICKUP, seg->from, closed, BIT(TCPSM_ROLE_CLIENT) |
		 BIT(TCPSM_ROLE_SERVER), 0, ops);
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

/* The prober of a peer found dead (ka_dead is 1 + the dead one's role). */
static void ka_dead_record(struct tcpsm_entry *e, unsigned long now,
			   const struct tcpsm_entry_ops *ops)
{
	u8 old[__TCPSM_ROLE_MAX] = { e->fsm.end[0].state, e->fsm.end[1].state };

	hist_own(e, TCPSM_H_KA_DEAD, !(e->ka_dead - 1), old, 0, entry_ms(e, now), ops);
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
		ka_dead_record(e, now, ops);
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
		if (v.events & TCPSM_EV_RETRANS)
			e->retrans[seg->from]++;
	}
	e->last_seen = now;
	ended_by_rst(e, seg, &v);
	hist_step(e, seg, &v, entered, now, ops);
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
	if (res == TCPSM_ICMP_ABORTED) {
		e->destroy_reason = TCPSM_DESTROY_ICMP;
		set_ended(e, TCPSM_ENDED_ICMP);
	}
	entered = changed(&v);
	if (res != TCPSM_ICMP_IGNORED)
		hist_own(e, TCPSM_H_ICMP, who, v.old_state, entered, entry_ms(e, now), ops);
	if (res != TCPSM_ICMP_IGNORED && ops->wanted(ops->ctx))
		tcpsm_emit_simple(ops->event, ops->ctx, TCPSM_EVENT_TYPE_ICMP, who);
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
	ka_dead_record(e, now, ops);
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
	unsigned long due[__TCPSM_ROLE_MAX] = { e->deadline[0], e->deadline[1] };
	u8 old[__TCPSM_ROLE_MAX] = {};
	unsigned int entered;
	int r;

	entered = tcpsm_deadline_expire(&e->fsm, e->deadline, cfg, now, old);
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		u8 was[__TCPSM_ROLE_MAX] = { e->fsm.end[0].state, e->fsm.end[1].state };

		if (!(entered & BIT(r)))
			continue;
		was[r] = old[r];	/* at its deadline, however late noticed */
		hist_own(e, TCPSM_H_TIMEOUT, r, was, BIT(r), entry_ms(e, due[r]), ops);
	}
	if (entered) {
		ops->set_class(ops->ctx);
		if (ops->wanted(ops->ctx))
			tcpsm_expire_events(&e->fsm, entered, old, ops->event, ops->ctx);
	}
	return tcpsm_deadline_lingered(&e->fsm, e->deadline, now);
}

void tcpsm_entry_gone(struct tcpsm_entry *e, enum tcpsm_destroy_reason why)
{
	static const u8 how[] = {
		[TCPSM_DESTROY_EXPIRED] = TCPSM_ENDED_TIMEOUT,
		[TCPSM_DESTROY_EVICTED] = TCPSM_ENDED_EVICTED,
		[TCPSM_DESTROY_FLUSHED] = TCPSM_ENDED_FLUSHED,
		[TCPSM_DESTROY_REPLACED] = TCPSM_ENDED_REPLACED,
		[TCPSM_DESTROY_ICMP] = TCPSM_ENDED_ICMP,
	};

	/* a RST's end was set when it was accepted */
	if (e->ended != TCPSM_ENDED_NONE || why >= ARRAY_SIZE(how) || !how[why])
		return;
	e->ended = how[why];
	e->end_state = e->fsm.end[TCPSM_ROLE_CLIENT].state;
}

bool tcpsm_entry_rtt(const struct tcpsm_entry *e, u32 *syn_ms, u32 *ack_ms)
{
	unsigned int i, kept = tcpsm_hist_kept(&e->hist), step = 0;
	const struct tcpsm_hist_ev *ev;
	u32 t[3];
	u8 what;

	/* the client's SYN, the server's SYN+ACK, the server established */
	for (i = 0; i < kept && step < 3; i++) {
		ev = tcpsm_hist_at(&e->hist, i);
		what = ev->what & ~TCPSM_HIST_PENDING;
		if ((step == 0 && what == TCPSM_H_SYN) ||
		    (step == 1 && what == (TCPSM_H_SYNACK | TCPSM_HIST_SERVER)) ||
		    (step == 2 && ev->states[TCPSM_ROLE_SERVER] ==
		     tcpsm_hist_states(TCPSM_SYN_RCVD, TCPSM_ESTABLISHED)))
			t[step++] = ev->ms;
	}
	if (step < 3)
		return false;
	*syn_ms = t[1] - t[0];
	*ack_ms = t[2] - t[1];
	return true;
}
