// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of tcpsm's timers (timeout.h), for the module's timer.c and for
 * tcpsm-replay: each endpoint keeps a deadline, applied by whoever meets the
 * entry once it is due, and what an expiry does runs from the deadline, not
 * from the moment it is noticed, so a late look gives the same result.
 */
#include "timeout.h"

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

int tcpsm_timer_secs(const struct tcpsm_config *cfg, enum tcpsm_timer_kind k)
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

bool tcpsm_both_closed(const struct tcpsm_fsm *fsm)
{
	return fsm->end[TCPSM_ROLE_CLIENT].state == TCPSM_CLOSED &&
	       fsm->end[TCPSM_ROLE_SERVER].state == TCPSM_CLOSED;
}

static enum tcpsm_class state_class(u8 a, u8 b)
{
	if (a == TCPSM_TIME_WAIT || b == TCPSM_TIME_WAIT)
		return TCPSM_CLASS_TIME_WAIT;
	if (a <= TCPSM_SYN_RCVD && b <= TCPSM_SYN_RCVD)
		return TCPSM_CLASS_EMBRYONIC;
	return TCPSM_CLASS_OTHER;
}

/*
 * A closed entry tracks nothing any more: it goes first. An unconfirmed one
 * may be a forged segment's ghost (a spoofed ACK picked up, a handshake
 * half seen): it goes before anything confirmed, and before the embryonic
 * entries whose SYN was at least seen.
 */
enum tcpsm_class tcpsm_class_of(const struct tcpsm_fsm *fsm, bool pickup, bool confirmed)
{
	u8 a = fsm->end[TCPSM_ROLE_CLIENT].state;
	u8 b = fsm->end[TCPSM_ROLE_SERVER].state;
	enum tcpsm_class cl;

	if (a == TCPSM_CLOSED && b == TCPSM_CLOSED)
		return TCPSM_CLASS_CLOSED;
	cl = state_class(a, b);
	if (!confirmed && (pickup || cl == TCPSM_CLASS_OTHER))
		return TCPSM_CLASS_UNCONFIRMED;
	return cl;
}

/*
 * An unconfirmed entry (a spoofed ACK's ghost, perhaps) never waits longer
 * than unconfirmed_timeout, so that a flood of them drains in minutes
 * rather than in established_timeout's days.
 */
int tcpsm_class_timer_secs(const struct tcpsm_config *cfg, enum tcpsm_class cl,
			   enum tcpsm_timer_kind k)
{
	int secs = tcpsm_timer_secs(cfg, k);
	int cap = READ_ONCE(cfg->unconfirmed_timeout);

	if (cl == TCPSM_CLASS_UNCONFIRMED && cap < secs)
		secs = cap;
	return secs;
}

/* A deadline of 0 means none; times that land on 0 move by one tick. */
unsigned long tcpsm_deadline_in(unsigned long now, int secs)
{
	unsigned long d = now + (unsigned long)secs * TCPSM_HZ;

	return d ? d : 1;
}

/* The timer an entry runs next and when; TCPSM_TIMER_NONE if none. */
enum tcpsm_timer_kind tcpsm_deadline_next(const struct tcpsm_fsm *fsm,
					  const unsigned long *deadline, unsigned long *when)
{
	enum tcpsm_timer_kind kind = TCPSM_TIMER_NONE;
	int r;

	if (tcpsm_both_closed(fsm)) {
		*when = deadline[TCPSM_ROLE_CLIENT];
		return *when ? TCPSM_TIMER_LINGER : TCPSM_TIMER_NONE;
	}
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		if (!deadline[r])
			continue;
		if (kind == TCPSM_TIMER_NONE || tcpsm_time_before(deadline[r], *when)) {
			*when = deadline[r];
			kind = state_timer[fsm->end[r].state].kind;
		}
	}
	return kind;
}

/*
 * After a segment: @entered has bit r set when role r changed state. New
 * states start their timer; idle timers restart on activity. @cl is the
 * entry's class, for the cap on an unconfirmed entry's timers.
 */
void tcpsm_deadline_update(const struct tcpsm_fsm *fsm, unsigned long *deadline,
			   const struct tcpsm_config *cfg, enum tcpsm_class cl,
			   unsigned long now, unsigned int entered)
{
	int r;

	if (tcpsm_both_closed(fsm)) {
		/* a first segment that moved neither end lingers too */
		if (entered || !deadline[TCPSM_ROLE_CLIENT])
			deadline[TCPSM_ROLE_CLIENT] =
				tcpsm_deadline_in(now, tcpsm_timer_secs(cfg, TCPSM_TIMER_LINGER));
		deadline[TCPSM_ROLE_SERVER] = 0;
		return;
	}
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		u8 st = fsm->end[r].state;
		enum tcpsm_timer_kind k = state_timer[st].kind;

		if (k == TCPSM_TIMER_NONE)
			deadline[r] = 0;
		else if ((entered & BIT(r)) || state_timer[st].idle || !deadline[r])
			deadline[r] = tcpsm_deadline_in(now, tcpsm_class_timer_secs(cfg, cl, k));
	}
}

/*
 * Expire the endpoints due by @now: CLOSED, their old states in @old.
 * Returns a bit per role that expired. The linger of an entry whose last
 * endpoint closed runs from that deadline, and the peer's idle timer is
 * left alone (an expiry is no activity).
 */
unsigned int tcpsm_deadline_expire(struct tcpsm_fsm *fsm, unsigned long *deadline,
				   const struct tcpsm_config *cfg, unsigned long now, u8 *old)
{
	unsigned long last = 0;
	unsigned int entered = 0;
	int r;

	if (tcpsm_both_closed(fsm))
		return 0;
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		unsigned long d = deadline[r];

		if (!d || tcpsm_time_before(now, d))
			continue;
		old[r] = fsm->end[r].state;
		tcpsm_fsm_expire(fsm, r);	/* CLOSED: no timer */
		deadline[r] = 0;
		if (!entered || tcpsm_time_before(last, d))
			last = d;
		entered |= BIT(r);
	}
	if (entered && tcpsm_both_closed(fsm))
		deadline[TCPSM_ROLE_CLIENT] =
			tcpsm_deadline_in(last, tcpsm_timer_secs(cfg, TCPSM_TIMER_LINGER));
	return entered;
}

/* Both endpoints CLOSED and the linger over: the entry goes. */
bool tcpsm_deadline_lingered(const struct tcpsm_fsm *fsm, const unsigned long *deadline,
			     unsigned long now)
{
	return tcpsm_both_closed(fsm) && deadline[TCPSM_ROLE_CLIENT] &&
	       !tcpsm_time_before(now, deadline[TCPSM_ROLE_CLIENT]);
}

/*
 * tcp_keepalive_timer() gives up on a peer when, one interval after its last
 * probe, the probes out still number the limit; tcpsm declares that peer
 * dead at the same moment.
 */
int tcpsm_ka_gave_up(const struct tcpsm_fsm *fsm, const unsigned long *last_probe,
		     const struct tcpsm_config *cfg, unsigned long now)
{
	int limit = READ_ONCE(cfg->keepalive_probes);
	unsigned long intvl = (unsigned long)READ_ONCE(cfg->keepalive_intvl) * TCPSM_HZ;
	int r;

	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		const struct tcpsm_end *e = &fsm->end[r];

		if (e->ka_unanswered < limit || e->state == TCPSM_CLOSED ||
		    tcpsm_time_before(now, last_probe[r] + intvl))
			continue;
		return r;
	}
	return -1;
}

/* When the next keepalive probe of @r is due, as Linux's prober would send it. */
unsigned long tcpsm_ka_due(const struct tcpsm_fsm *fsm, const unsigned long *last_probe,
			   unsigned long last_seen, const struct tcpsm_config *cfg, int r)
{
	if (fsm->end[r].ka_unanswered)
		return last_probe[r] + (unsigned long)READ_ONCE(cfg->keepalive_intvl) * TCPSM_HZ;
	return last_seen + (unsigned long)READ_ONCE(cfg->keepalive_time) * TCPSM_HZ;
}

/* Has the connection gone without data for a keepalive time (TCPSM_SEG_IDLE)? */
bool tcpsm_ka_idle(unsigned long last_data, const struct tcpsm_config *cfg,
		   unsigned long now)
{
	return now - last_data >= (unsigned long)READ_ONCE(cfg->keepalive_time) * TCPSM_HZ;
}

/*
 * Keepalive bookkeeping after a step. A peer is dead when its prober gives
 * up: the probe limit reached and one more interval gone unanswered
 * (tcpsm_ka_gave_up()), or the prober's own abort while its probes were
 * unanswered.
 */
u8 tcpsm_ka_after_step(const struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg,
		       const struct tcpsm_verdict *v, unsigned long *last_probe,
		       unsigned long *last_data, u8 ka_dead, unsigned long now)
{
	if (seg->len && !(v->events & (TCPSM_EV_KA_PROBE | TCPSM_EV_OLD)))
		*last_data = now;
	if (v->events & TCPSM_EV_KA_PROBE)
		last_probe[seg->from] = now;
	if (!ka_dead && fsm->end[seg->from].ka_unanswered && (v->events & TCPSM_EV_ABORT))
		return 1 + !seg->from;
	return ka_dead;
}

/* Time left until @when, in ms, 0 if past: for /proc, netlink and the replay. */
unsigned long tcpsm_ms_until(unsigned long when, unsigned long now)
{
	return tcpsm_time_before(now, when) ? tcpsm_ticks_to_ms(when - now) : 0;
}
