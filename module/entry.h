/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One tracked connection apart from the table that holds it, and what a
 * sighting of a segment, an ICMP error or the clock does to it: the steps
 * hooks.c and timer.c take around the state machine, in pure C like fsm.c,
 * so tcpsm-replay takes the same steps in the same order. Times are in
 * TCPSM_HZ ticks (timeout.h).
 */
#ifndef _TCPSM_ENTRY_H
#define _TCPSM_ENTRY_H

#include "fsm.h"
#include "history.h"
#include "parse.h"
#include "report.h"
#include "timeout.h"
#include "tunables.h"

#define TCPSM_F_PICKUP		0x01	/* first seen mid-stream */
#define TCPSM_F_DEAD		0x02	/* removed from the table */
#define TCPSM_F_REUSE		0x04	/* a new SYN claimed the tuple */
#define TCPSM_F_REPLACED	0x08	/* it replaced an older connection of its tuple */
#define TCPSM_F_CONFIRMED	0x10	/* both directions proven (tcpsm_fsm_confirmed()) */
#define TCPSM_F_DATA		0x20	/* BIT(role) << 5: that role's first payload recorded */

struct tcpsm_entry {
	u8 client;			/* key index (0/1) of the client */
	u8 local;			/* enum tcpsm_local */
	u8 flags;			/* TCPSM_F_* */
	u8 ka_dead;			/* 0, or 1 + role of the dead peer */
	u8 destroy_reason;		/* kept for the events and stats */
	u16 tw_restarts;		/* by a retransmitted FIN */
	u16 tw_ack_restarts;		/* by any other segment with ACK */
	u16 icmp_errors;		/* ICMP errors for it, each endpoint's in window */
	u8 closer;			/* enum tcpsm_closer */
	u8 ended;			/* enum tcpsm_ended, once known */
	u8 end_state;			/* a timeout's: role << 4 | state */
	struct tcpsm_fsm fsm;
	unsigned long deadline[__TCPSM_ROLE_MAX];	/* 0 = none */
	unsigned long created;
	unsigned long last_data;	/* a segment with payload */
	unsigned long last_seen;	/* any segment */
	unsigned long ka_last_probe[__TCPSM_ROLE_MAX];	/* each one's last probe */
	u32 pkts[__TCPSM_ROLE_MAX];	/* segments sent by each role */
	u64 bytes[__TCPSM_ROLE_MAX];	/* payload bytes sent by each role */
	u32 retrans[__TCPSM_ROLE_MAX];	/* segments each role sent again */
	u32 state_ms[__TCPSM_ROLE_MAX];	/* when each entered its state, ms after created */
	u32 prev_ms[__TCPSM_ROLE_MAX];	/* how long each spent in its state before */
	struct tcpsm_hist hist;
};

/*
 * What the holder of an entry does for it: count, send events (asked first
 * whether anyone listens, so nothing is built for no one), move it between
 * eviction classes after a state change, and count an endpoint's move in
 * the namespace's state graph (NULL: no graph). @ctx is the holder's,
 * passed back to each.
 */
struct tcpsm_entry_ops {
	tcpsm_stat_fn stat;
	tcpsm_event_fn event;
	bool (*wanted)(void *ctx);
	void (*set_class)(void *ctx);
	void (*moved)(void *ctx, u8 role, u8 old, u8 new, u8 what);
	void *ctx;
};

/* Where a segment is seen: the netfilter hook, or the replay's observer. */
enum tcpsm_sight {
	TCPSM_AT_FORWARD,	/* a router: both endpoints are remote */
	TCPSM_AT_LOCAL_OUT,	/* leaving its local sender */
	TCPSM_AT_LOCAL_IN,	/* reaching its local receiver */
};

/*
 * The TCPSM_MOVE_* of a sighting; @peer_local: loopback, both ends local;
 * @raw: at LOCAL_OUT, sent by a user's raw socket (its sender is not moved).
 */
u8 tcpsm_sight_move(enum tcpsm_sight at, bool peer_local, bool raw);
/* The local endpoints (enum tcpsm_local) a sighting of a segment @from reveals. */
u8 tcpsm_sight_local(enum tcpsm_sight at, u8 from);

/*
 * No entry for @p's tuple: the key half (0/1) of the client of a new entry,
 * or -1 if the segment starts none (counted as untracked).
 */
int tcpsm_start_client(const struct tcpsm_pkt *p, u8 src_idx, bool pickup);
/* Does a new entry started by @seg take it up mid-stream (tcpsm_entry_pickup())? */
bool tcpsm_start_midstream(const struct tcpsm_seg *seg);

void tcpsm_entry_init(struct tcpsm_entry *e, u8 client, unsigned long now);
/* The role of the sender whose key half is @src_idx. */
u8 tcpsm_entry_role(const struct tcpsm_entry *e, u8 src_idx);
/* Its eviction class (timeout.h), from its states and flags. */
enum tcpsm_class tcpsm_entry_class(const struct tcpsm_entry *e);
/*
 * After a step: mark the entry confirmed once the state machine says so.
 * Returns true when it just became so (its class and timers change).
 */
bool tcpsm_entry_confirm(struct tcpsm_entry *e);
void tcpsm_entry_pickup(struct tcpsm_entry *e, struct tcpsm_seg *seg, u8 src_idx,
			const struct tcpsm_entry_ops *ops);
/* One segment, seg->from and seg->move set. TCPSM_F_REUSE: the caller replaces it. */
void tcpsm_entry_apply(struct tcpsm_entry *e, struct tcpsm_seg *seg,
		       const struct tcpsm_config *cfg, unsigned long now,
		       const struct tcpsm_entry_ops *ops);
/* An ICMP error quoting @p, a segment the entry's key half @src_idx sent. */
enum tcpsm_icmp_verdict tcpsm_entry_icmp(struct tcpsm_entry *e, const struct tcpsm_pkt *p,
					 u8 src_idx, const struct tcpsm_config *cfg,
					 unsigned long now, const struct tcpsm_entry_ops *ops);

/* A TIME_WAIT endpoint's 2MSL starts again. */
void tcpsm_entry_tw_restart(struct tcpsm_entry *e, int who, const struct tcpsm_config *cfg,
			    unsigned long now);
/* A prober that gave up by @now declares its peer dead. */
void tcpsm_entry_ka_catch_up(struct tcpsm_entry *e, const struct tcpsm_config *cfg,
			     unsigned long now, const struct tcpsm_entry_ops *ops);
/* It leaves the table: how it ended, if nothing told before (enum tcpsm_ended). */
void tcpsm_entry_gone(struct tcpsm_entry *e, enum tcpsm_destroy_reason why);
/* Handshake times seen, ms: SYN to SYN+ACK, SYN+ACK to ACK; false if not seen. */
bool tcpsm_entry_rtt(const struct tcpsm_entry *e, u32 *syn_ms, u32 *ack_ms);
/* Expire what is due by @now; true when the entry should go (it lingered). */
bool tcpsm_entry_expire(struct tcpsm_entry *e, const struct tcpsm_config *cfg,
			unsigned long now, const struct tcpsm_entry_ops *ops);

#endif /* _TCPSM_ENTRY_H */
