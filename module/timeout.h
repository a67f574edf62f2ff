/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules of tcpsm's timers, apart from any clock: which timer each state
 * runs and for how long, when a deadline is due and what it does, when a
 * keepalive prober gives up on its peer, and how evictable an entry is.
 * Pure C like fsm.c, so the module (timer.c, with jiffies) and tcpsm-replay
 * (with a capture's timestamps) apply the same rules.
 *
 * A time is an unsigned long in ticks of TCPSM_HZ a second: jiffies in the
 * kernel, microseconds in user space. Comparisons allow the wrap.
 */
#ifndef _TCPSM_TIMEOUT_H
#define _TCPSM_TIMEOUT_H

#include "fsm.h"
#include "tunables.h"

#ifdef __KERNEL__
#include <linux/jiffies.h>
#define TCPSM_HZ HZ
#define tcpsm_ticks_to_ms(t) jiffies_to_msecs(t)
#else
#define TCPSM_HZ 1000000UL
#define tcpsm_ticks_to_ms(t) ((unsigned int)((t) / (TCPSM_HZ / 1000)))
#endif

static inline bool tcpsm_time_before(unsigned long a, unsigned long b)
{
	return (long)(a - b) < 0;
}

/* Eviction classes, most evictable first. */
enum tcpsm_class {
	TCPSM_CLASS_CLOSED,	/* both endpoints CLOSED, lingering */
	TCPSM_CLASS_UNCONFIRMED,	/* picked up, or past the handshake, not confirmed */
	TCPSM_CLASS_TIME_WAIT,	/* an endpoint in TIME_WAIT */
	TCPSM_CLASS_EMBRYONIC,	/* handshake not finished */
	TCPSM_CLASS_OTHER,	/* confirmed, established and closing: never evicted */
	__TCPSM_CLASS_MAX,
};

/*
 * The class of an entry whose endpoints are in @fsm's states, picked up
 * mid-stream or not (TCPSM_F_PICKUP), confirmed or not (TCPSM_F_CONFIRMED,
 * tcpsm_fsm_confirmed()).
 */
enum tcpsm_class tcpsm_class_of(const struct tcpsm_fsm *fsm, bool pickup, bool confirmed);
bool tcpsm_both_closed(const struct tcpsm_fsm *fsm);

/* Seconds a timer of kind @k runs under @cfg. */
int tcpsm_timer_secs(const struct tcpsm_config *cfg, enum tcpsm_timer_kind k);
/* The same for an endpoint of an entry of class @cl: at most unconfirmed_timeout if UNCONFIRMED. */
int tcpsm_class_timer_secs(const struct tcpsm_config *cfg, enum tcpsm_class cl,
			   enum tcpsm_timer_kind k);
/* @secs from @now; never 0, which means no deadline. */
unsigned long tcpsm_deadline_in(unsigned long now, int secs);

/*
 * Each role's deadline (0: none); with both endpoints CLOSED, the client's
 * is the entry's linger deadline.
 */
enum tcpsm_timer_kind tcpsm_deadline_next(const struct tcpsm_fsm *fsm,
					  const unsigned long *deadline, unsigned long *when);
void tcpsm_deadline_update(const struct tcpsm_fsm *fsm, unsigned long *deadline,
			   const struct tcpsm_config *cfg, enum tcpsm_class cl,
			   unsigned long now, unsigned int entered);
unsigned int tcpsm_deadline_expire(struct tcpsm_fsm *fsm, unsigned long *deadline,
				   const struct tcpsm_config *cfg, unsigned long now, u8 *old);
bool tcpsm_deadline_lingered(const struct tcpsm_fsm *fsm, const unsigned long *deadline,
			     unsigned long now);

/*
 * Keepalive, from each role's last probe (@last_probe), the entry's last
 * segment with data and last segment of any kind. tcpsm_ka_gave_up(): the
 * role whose prober gives up on its peer by @now, or -1.
 */
int tcpsm_ka_gave_up(const struct tcpsm_fsm *fsm, const unsigned long *last_probe,
		     const struct tcpsm_config *cfg, unsigned long now);
unsigned long tcpsm_ka_due(const struct tcpsm_fsm *fsm, const unsigned long *last_probe,
			   unsigned long last_seen, const struct tcpsm_config *cfg, int r);
bool tcpsm_ka_idle(unsigned long last_data, const struct tcpsm_config *cfg,
		   unsigned long now);
/* After a step: the clocks it moves; returns ka_dead (0, or 1 + the dead peer's role). */
u8 tcpsm_ka_after_step(const struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg,
		       const struct tcpsm_verdict *v, unsigned long *last_probe,
		       unsigned long *last_data, u8 ka_dead, unsigned long now);
unsigned long tcpsm_ms_until(unsigned long when, unsigned long now);

#endif /* _TCPSM_TIMEOUT_H */
