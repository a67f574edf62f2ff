/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpsm's TCP state machine: pure C, no sk_buff, no locks, no clock.
 *
 * Input is a summary of one observed segment (struct tcpsm_seg); the machine
 * keeps, for each of the two endpoints, its RFC 793 state and the few
 * sequence-space facts needed to interpret the next segment (struct
 * tcpsm_end). tcpsm_fsm_step() returns what happened (struct tcpsm_verdict);
 * timers, counters and the table are the caller's business.
 *
 * Built into tcpsm.ko, into the KUnit module and into the user-space fuzzer,
 * so it includes nothing but fsm_types.h and the uapi header.
 */
#ifndef _TCPSM_FSM_H
#define _TCPSM_FSM_H

#include "fsm_types.h"
#include "uapi/linux/tcpsm.h"

/* TCP header flag bits, as in the 14th byte of the header. */
#define TCPSM_FIN	0x01
#define TCPSM_SYN	0x02
#define TCPSM_RST	0x04
#define TCPSM_PSH	0x08
#define TCPSM_ACK	0x10
#define TCPSM_URG	0x20

#define TCPSM_NO_WSCALE	0xff	/* no window scale option on the SYN */
#define TCPSM_MAX_WSCALE	14	/* RFC 7323 2.3 */

/*
 * Which endpoints one observation of a segment moves (observation model),
 * and whether it was seen leaving its sender's own stack (LOCAL_OUT): then
 * its sender really sent it, whatever its receiver will make of it; or
 * reaching its receiver's (LOCAL_IN).
 */
#define TCPSM_MOVE_SENDER	0x01
#define TCPSM_MOVE_RECEIVER	0x02
#define TCPSM_MOVE_BOTH		(TCPSM_MOVE_SENDER | TCPSM_MOVE_RECEIVER)
#define TCPSM_FROM_LOCAL	0x04
#define TCPSM_TO_LOCAL		0x08	/* seen reaching its receiver's stack (LOCAL_IN) */

/* What the caller knows beyond the header (struct tcpsm_seg.opts). */
#define TCPSM_SEG_TS		0x01	/* tsval is the segment's TSval */
#define TCPSM_SEG_RFC1337	0x02	/* the receiver keeps TIME_WAIT on a RST */
#define TCPSM_SEG_IDLE		0x04	/* its sender was idle a keepalive time */
#define TCPSM_SEG_FASTOPEN	0x08	/* carries a Fast Open option (RFC 7413) */

/* One segment, as seen by a hook. */
struct tcpsm_seg {
	u32 seq;
	u32 ack;
	u32 len;	/* payload bytes (SYN and FIN not counted) */
	u32 tsval;	/* TCP timestamp value, if opts has TCPSM_SEG_TS */
	u16 win;	/* raw window field, not scaled */
	u8 flags;	/* TCPSM_FIN ... TCPSM_URG */
	u8 wscale;	/* window scale option (SYN only), or TCPSM_NO_WSCALE */
	u8 from;	/* enum tcpsm_role of the sender */
	u8 move;	/* TCPSM_MOVE_*, TCPSM_FROM_LOCAL */
	u8 opts;	/* TCPSM_SEG_* */
};

/* What the machine knows of one endpoint. */
#define TCPSM_END_SEEN		0x01	/* has sent at least one segment */
#define TCPSM_END_FIN_SENT	0x02	/* fin_seq is valid */
#define TCPSM_END_WSCALE	0x04	/* window scaling agreed (both SYNs had it) */
#define TCPSM_END_ISN		0x08	/* isn is its SYN's: snd_nxt is exact, not a guess */
#define TCPSM_END_SYNACK	0x10	/* has sent a SYN+ACK */
#define TCPSM_END_RCV		0x20	/* rcv_nxt is known */
#define TCPSM_END_FIN_RCVD	0x40	/* has received the peer's FIN, in order */
#define TCPSM_END_TS		0x80	/* ts_val is valid */
#define TCPSM_END_FASTOPEN	0x100	/* its SYN asked for Fast Open or carried data */
#define TCPSM_END_ACKED		0x200	/* its peer took a segment of its with an ACK */

struct tcpsm_end {
	u32 isn;	/* sequence number of its SYN (or first seen) */
	u32 snd_nxt;	/* highest sequence it sent, + 1 (SYN, FIN count) */
	u32 snd_una;	/* highest acknowledgment it received from the peer */
	u32 rcv_nxt;	/* next sequence it expects from the peer, in order */
	u32 rcv_wup;	/* the highest it acked: older segments are dropped */
	u32 max_win;	/* largest window it offered, scaled */
	u32 fin_seq;	/* sequence number of its FIN */
	u32 win;	/* last window it advertised, scaled */
	u32 ts_val;	/* last TSval it sent */
	u8 state;	/* enum tcpsm_state */
	u8 wscale;	/* its window scale, TCPSM_NO_WSCALE if none */
	u16 flags;	/* TCPSM_END_* */
	u8 ka_unanswered;	/* keepalive probes it sent, not yet answered */
	u32 ka_probes;	/* keepalive probes it sent, in total */
	u32 zw_probes;	/* zero-window probes it sent, in total */
};

struct tcpsm_fsm {
	struct tcpsm_end end[__TCPSM_ROLE_MAX];
};

/* What a segment was (enum tcpsm_kind) is in the uapi header: events carry it. */

/* Events: what else a segment did. Several may be set. */
#define TCPSM_EV_TRANSITION	0x0001	/* an endpoint changed state */
#define TCPSM_EV_RETRANS	0x0002	/* SYN, SYN+ACK, FIN or data sent again */
#define TCPSM_EV_KA_PROBE	0x0004	/* sender sent a keepalive probe */
#define TCPSM_EV_KA_ANSWERED	0x0008	/* sender's ACK answered the receiver's probes */
#define TCPSM_EV_ZW_PROBE	0x0010	/* sender sent a zero-window probe */
#define TCPSM_EV_RST_ACCEPTED	0x0020	/* RST accepted by its receiver: reset */
#define TCPSM_EV_RST_CHALLENGE	0x0040	/* RST in window, not exact: challenge ACK */
#define TCPSM_EV_RST_IGNORED	0x0080	/* RST out of window, or unacceptable in SYN_SENT */
#define TCPSM_EV_TW_RESTART	0x0100	/* FIN retransmitted to an endpoint in TIME_WAIT */
#define TCPSM_EV_REUSE		0x0200	/* SYN for the tuple of a TIME_WAIT connection */
#define TCPSM_EV_REFUSED	0x0400	/* SYN answered by RST */
#define TCPSM_EV_INVALID	0x0800	/* segment not acceptable; see verdict.invalid */
#define TCPSM_EV_TW_ACK		0x1000	/* another segment with ACK restarted TIME_WAIT */
#define TCPSM_EV_REOPEN		0x2000	/* SYN opening a new connection on a dead one */
#define TCPSM_EV_ABORT		0x4000	/* the sender aborted with its RST */
#define TCPSM_EV_OLD		0x8000	/* all before the receiver's rcv_nxt: a duplicate */

/* Why a segment was invalid (enum tcpsm_invalid) is in the uapi header: events carry it. */

struct tcpsm_verdict {
	u8 old_state[__TCPSM_ROLE_MAX];
	u8 new_state[__TCPSM_ROLE_MAX];
	u8 kind;	/* enum tcpsm_kind, as the receiver saw it */
	u8 invalid;	/* enum tcpsm_invalid */
	u16 events;	/* TCPSM_EV_* */
};

/* A new connection: both endpoints CLOSED, nothing seen. */
void tcpsm_fsm_init(struct tcpsm_fsm *fsm);

/*
 * A connection first seen mid-stream (module loaded after it opened): infer
 * the endpoints' states and sequence space from @seg, before stepping it.
 */
void tcpsm_fsm_pickup(struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg);

/*
 * Have both directions been seen in a way that proves a real connection
 * (conntrack's ASSURED)? Each endpoint sent a segment with an ACK that its
 * peer took: the SYN+ACK and the ACK of a handshake, or data or ACKs both
 * ways after a pickup. A forged segment proves nothing of the other
 * direction, however many are sent.
 */
bool tcpsm_fsm_confirmed(const struct tcpsm_fsm *fsm);

/* Apply one observed segment. Never fails; the verdict says what happened. */
void tcpsm_fsm_step(struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg,
		    struct tcpsm_verdict *v);

/* What an ICMP error did to the endpoint whose segment it quotes. */
enum tcpsm_icmp_verdict {
	TCPSM_ICMP_IGNORED,	/* nothing to hurt, or a sequence it never sent */
	TCPSM_ICMP_SOFT,	/* a soft error: the connection goes on */
	TCPSM_ICMP_ABORTED,	/* an embryonic endpoint gives up: CLOSED */
};

/*
 * An ICMP error quoting a segment that @who sent with sequence number @seq;
 * @fatal as tcp_v4_err() and tcp_v6_err() tell (it also drops a request
 * socket). @v says which states changed.
 */
enum tcpsm_icmp_verdict tcpsm_fsm_icmp(struct tcpsm_fsm *fsm, u8 who, u32 seq, bool fatal,
				       struct tcpsm_verdict *v);

/* An endpoint's timer ran out (2MSL, FIN_WAIT_2, embryonic ...): CLOSED. */
void tcpsm_fsm_expire(struct tcpsm_fsm *fsm, enum tcpsm_role who);

/* Can the two endpoints be in these states at once, in a real connection? */
bool tcpsm_fsm_reachable(u8 client, u8 server);

/* Sequence space arithmetic, modulo 2^32 (RFC 793 3.3). */
static inline bool tcpsm_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool tcpsm_seq_after(u32 a, u32 b)
{
	return tcpsm_seq_before(b, a);
}

/* a <= x < b, modulo 2^32 */
static inline bool tcpsm_seq_in(u32 x, u32 a, u32 b)
{
	return x - a < b - a;
}

#endif /* _TCPSM_FSM_H */
