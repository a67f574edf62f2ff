/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tcpsm reports of a segment's verdict, an expiry or a parse failure:
 * which counters it bumps and which events it sends, in which order. Pure C
 * like fsm.c, shared by the module (hooks.c, netlink.c) and tcpsm-replay,
 * so both report the same things for the same verdict.
 */
#ifndef _TCPSM_REPORT_H
#define _TCPSM_REPORT_H

#include "fsm.h"

/* Counters of /proc/net/tcpsm/stats: names from the stats attributes. */
enum tcpsm_stat {
	TCPSM_STAT_SEGMENTS,
	TCPSM_STAT_CREATED,
	TCPSM_STAT_PICKED_UP,
	TCPSM_STAT_UNTRACKED,		/* mid-stream segment, pickup off */
	TCPSM_STAT_TABLE_FULL,		/* no room, nothing evictable */
	TCPSM_STAT_INSERT_FAILED,
	TCPSM_STAT_EVICTED,
	TCPSM_STAT_DESTROY_EXPIRED,
	TCPSM_STAT_DESTROY_RESET,
	TCPSM_STAT_DESTROY_EVICTED,
	TCPSM_STAT_DESTROY_FLUSHED,
	TCPSM_STAT_DESTROY_REPLACED,
	TCPSM_STAT_DESTROY_ICMP,
	TCPSM_STAT_TRANSITIONS,
	TCPSM_STAT_RETRANS,
	TCPSM_STAT_TW_RESTARTS,
	TCPSM_STAT_TW_ACK_RESTARTS,	/* 2MSL restarted by a segment other than a FIN */
	TCPSM_STAT_TW_REUSE,
	TCPSM_STAT_REOPENED,		/* a SYN opened a new connection on a dead one */
	TCPSM_STAT_REFUSED,
	TCPSM_STAT_RST_ACCEPTED,
	TCPSM_STAT_RST_CHALLENGE,
	TCPSM_STAT_RST_IGNORED,
	TCPSM_STAT_KA_PROBES,
	TCPSM_STAT_KA_ANSWERED,
	TCPSM_STAT_KA_DEAD,
	TCPSM_STAT_ZW_PROBES,
	TCPSM_STAT_INVALID_FLAGS,
	TCPSM_STAT_INVALID_STATE,
	TCPSM_STAT_INVALID_SEQ,
	TCPSM_STAT_INVALID_ACK,
	TCPSM_STAT_OLD_DUPLICATES,	/* wholly before rcv_nxt: acked, not taken */
	TCPSM_STAT_ICMP_ABORTS,		/* an ICMP error ended an embryonic endpoint */
	TCPSM_STAT_ICMP_SOFT,		/* soft errors, the connection going on */
	TCPSM_STAT_ICMP_IGNORED,	/* for no tracked endpoint, or out of window */
	TCPSM_STAT_BAD_FRAGMENT,
	TCPSM_STAT_BAD_TRUNC_IP,
	TCPSM_STAT_BAD_TRUNC_TCP,
	TCPSM_STAT_BAD_DOFF,
	TCPSM_STAT_BAD_OPT,
	TCPSM_STAT_BAD_EXTHDR,
	TCPSM_STAT_BAD_ICMP,
	TCPSM_STAT_EVENTS_LOST,		/* a listener's buffer was full */
	__TCPSM_STAT_MAX,
};

const char *tcpsm_stat_name(enum tcpsm_stat s);

/* The counter of a parse failure (enum tcpsm_parse_result), an ICMP verdict, a destroy. */
enum tcpsm_stat tcpsm_parse_stat(unsigned int res);
enum tcpsm_stat tcpsm_icmp_stat(enum tcpsm_icmp_verdict res);
enum tcpsm_stat tcpsm_destroy_stat(enum tcpsm_destroy_reason why);

/* One event; a negative field is left out of the message. */
struct tcpsm_event {
	enum tcpsm_event_type type;
	int role;
	int old_state;
	int new_state;
	int kind;
	int invalid;
};

typedef void (*tcpsm_stat_fn)(void *ctx, enum tcpsm_stat s);
typedef void (*tcpsm_event_fn)(void *ctx, const struct tcpsm_event *ev);

/* Counters of one applied segment. */
void tcpsm_step_stats(const struct tcpsm_seg *seg, const struct tcpsm_verdict *v,
		      tcpsm_stat_fn inc, void *ctx);
/* Events of one applied segment; @ka_dead before and after it. */
void tcpsm_step_events(const struct tcpsm_seg *seg, const struct tcpsm_verdict *v,
		       u8 ka_dead_before, u8 ka_dead, tcpsm_event_fn emit, void *ctx);
/* Endpoints whose timer ran out (bit per role in @expired), from @old to their state now. */
void tcpsm_expire_events(const struct tcpsm_fsm *fsm, unsigned int expired, const u8 *old,
			 tcpsm_event_fn emit, void *ctx);
/* An event with a type and a role only (-1: none). */
void tcpsm_emit_simple(tcpsm_event_fn emit, void *ctx, enum tcpsm_event_type type, int role);

#endif /* _TCPSM_REPORT_H */
