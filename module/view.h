/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One connection as a reader sees it at a given time: the numbers that
 * /proc/net/tcpsm/conns, the netlink conn attributes and tcpsm-replay show,
 * computed once from the entry, and the /proc line they make. Pure C like
 * fsm.c, so the module and the replay cannot show different things.
 */
#ifndef _TCPSM_VIEW_H
#define _TCPSM_VIEW_H

#include "entry.h"

struct tcpsm_view {
	char client[56];	/* "addr:port", "[addr]:port": the caller's */
	char server[56];
	u8 family;		/* the caller's */
	u32 zone;		/* the caller's: the key's, 0 for none (shown only if set) */
	u32 local, cstate, sstate, timer, timer_ms, tw_restarts, tw_ack_restarts;
	u32 ka_probes[__TCPSM_ROLE_MAX], ka_unanswered[__TCPSM_ROLE_MAX];
	u32 ka_next_ms[__TCPSM_ROLE_MAX], zw_probes[__TCPSM_ROLE_MAX];
	u32 ka_idle_ms, ka_dead, pickup, replaced, icmp_errors, confirmed, age_ms;
	u32 pkts[__TCPSM_ROLE_MAX];
	u64 bytes[__TCPSM_ROLE_MAX];
	u32 state_ms[__TCPSM_ROLE_MAX];	/* time in the state it is in */
	u32 retrans[__TCPSM_ROLE_MAX];
	bool rtt;			/* syn_rtt_ms and ack_rtt_ms seen */
	u32 syn_rtt_ms, ack_rtt_ms;
	u32 closer, ended, end_role, end_state;	/* end_*: a timeout's */
	u32 hist_lost;
	char history[TCPSM_HIST_TEXT];
};

/*
 * Whether ka_next_ms[@role] means anything: an endpoint in TIME_WAIT or
 * CLOSED sends no keepalive probe, so /proc prints "-" and netlink leaves
 * the attribute out.
 */
bool tcpsm_view_ka_next_shown(const struct tcpsm_view *v, int role);

/* Everything but the endpoints, the family and the zone, of @e at @now. */
void tcpsm_view_fill(struct tcpsm_view *v, const struct tcpsm_entry *e,
		     const struct tcpsm_config *cfg, unsigned long now);

#ifdef __KERNEL__
#define TCPSM_VIEW_PRINTF __printf(2, 3)	/* the kernel's build checks the formats */
#else
#define TCPSM_VIEW_PRINTF
#endif
typedef void (*tcpsm_printf_fn)(void *ctx, const char *fmt, ...) TCPSM_VIEW_PRINTF;
/* The line of /proc/net/tcpsm/conns, newline included, through @pr. */
void tcpsm_view_line(const struct tcpsm_view *v, tcpsm_printf_fn pr, void *ctx);

#endif /* _TCPSM_VIEW_H */
