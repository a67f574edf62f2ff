/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A connection's history: what happened to its two endpoints, an event per
 * segment that moved a state or was notable, per timer that ran out, per
 * ICMP error taken. A fixed ring in the entry, so the hook never allocates
 * for it: the first TCPSM_HIST_HEAD events (the opening) are always kept,
 * then the latest ones; what falls between is counted. Pure C like fsm.c,
 * shared by the module and tcpsm-replay.
 */
#ifndef _TCPSM_HISTORY_H
#define _TCPSM_HISTORY_H

#include "fsm_types.h"
#include "uapi/linux/tcpsm.h"

#define TCPSM_HIST_LEN		12	/* events kept */
#define TCPSM_HIST_HEAD		4	/* of which the first ones, never overwritten */

/* struct tcpsm_hist_ev.what: enum tcpsm_hist_what, and these bits */
#define TCPSM_HIST_WHAT		0x1f
#define TCPSM_HIST_PENDING	0x40	/* seen leaving its sender only: its receiver may follow */
#define TCPSM_HIST_SERVER	0x80	/* the server's (its segment, timer, probe, error) */

struct tcpsm_hist_ev {
	u32 ms;			/* since the first segment, saturated */
	u8 what;		/* enum tcpsm_hist_what | TCPSM_HIST_* */
	u8 flags;		/* the segment's TCPSM_FIN ..., 0 for a timer */
	u8 states[2];		/* per role: old state << 4 | new state */
};

struct tcpsm_hist {
	struct tcpsm_hist_ev ev[TCPSM_HIST_LEN];
	u32 n;			/* events recorded in all */
};

static inline u8 tcpsm_hist_states(u8 old, u8 new)
{
	return old << 4 | new;
}

static inline unsigned int tcpsm_hist_role(const struct tcpsm_hist_ev *ev)
{
	return !!(ev->what & TCPSM_HIST_SERVER);
}

/* The slot of the next event, where a caller fills it in. */
struct tcpsm_hist_ev *tcpsm_hist_add(struct tcpsm_hist *h);
/* The latest event, NULL if none. */
struct tcpsm_hist_ev *tcpsm_hist_last(struct tcpsm_hist *h);
/* Events kept, those lost between the first ones and the latest. */
unsigned int tcpsm_hist_kept(const struct tcpsm_hist *h);
u32 tcpsm_hist_lost(const struct tcpsm_hist *h);
/* The @i-th oldest event kept, @i < tcpsm_hist_kept(). */
const struct tcpsm_hist_ev *tcpsm_hist_at(const struct tcpsm_hist *h, unsigned int i);

/* The letter of an event: enum tcpsm_hist_what's, lower case for the server's. */
char tcpsm_hist_letter(unsigned int what, unsigned int role);
/*
 * The history as a string of letters, '~' where events were lost, in @buf
 * of @len bytes (TCPSM_HIST_TEXT is enough), NUL-terminated.
 */
#define TCPSM_HIST_TEXT		(TCPSM_HIST_LEN + 2)
void tcpsm_hist_text(const struct tcpsm_hist *h, char *buf, unsigned int len);

#endif /* _TCPSM_HISTORY_H */
