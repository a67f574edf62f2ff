// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for tcpsm's TCP state machine (module/fsm.c, compiled into
 * this module by kunit/sut.c), through its API only:
 *
 *  tcpsm_fsm_table     every state and kind of segment, for the segment's
 *                      sender and for its receiver, against expectations
 *                      written here from RFC 793 and RFC 5961;
 *  tcpsm_fsm_scenario  connections as sequences of segments, each observed
 *                      over loopback (stepped twice: sender, then receiver)
 *                      and remotely (stepped once, moving both);
 *  tcpsm_fsm           the rest: sequence arithmetic, probes, pickup,
 *                      invalid segments, reachability;
 *  tcpsm_fsm_accept    acceptability: each segment judged against its
 *                      receiver's rcv_nxt and window, RSTs at each offset
 *                      in each state, holes before a FIN, new ISNs.
 */
#include <kunit/test.h>
#include "fsm.h"
#include "names.h"

#define C2S	TCPSM_ROLE_CLIENT	/* the client sends */
#define S2C	TCPSM_ROLE_SERVER	/* the server sends */

#define FL_S	TCPSM_SYN
#define FL_SA	(TCPSM_SYN | TCPSM_ACK)
#define FL_A	TCPSM_ACK
#define FL_FA	(TCPSM_FIN | TCPSM_ACK)
#define FL_R	TCPSM_RST
#define FL_RA	(TCPSM_RST | TCPSM_ACK)

#define CISN	1000u		/* default client ISN */
#define SISN	5000u		/* default server ISN */
#define WIN	1000u		/* default raw window */

/* Events that one segment reports once, however many times it is seen. */
#define EV_ONCE	(TCPSM_EV_RETRANS | TCPSM_EV_KA_PROBE | TCPSM_EV_KA_ANSWERED | \
		 TCPSM_EV_ZW_PROBE | TCPSM_EV_RST_ACCEPTED | TCPSM_EV_RST_CHALLENGE | \
		 TCPSM_EV_RST_IGNORED | TCPSM_EV_TW_RESTART | TCPSM_EV_REFUSED)

enum obs_mode {
	OBS_LOOPBACK,	/* LOCAL_OUT moves the (local) sender, LOCAL_IN the receiver */
	OBS_REMOTE,	/* one sighting moves both */
};

static const char *const obs_names[] = {
	[OBS_LOOPBACK] = "loopback",
	[OBS_REMOTE] = "remote",
};

/* What the sightings of one segment reported. */
struct obs_result {
	u16 events;		/* union of the sightings' events */
	u8 invalid;		/* last reason given, if any */
	u8 kind;		/* as the last sighting classified it */
	u8 count[16];		/* sightings reporting each event bit */
};

static struct tcpsm_seg mkseg(u8 from, u8 flags, u32 seq, u32 ack, u32 len)
{
	struct tcpsm_seg seg = {
		.seq = seq,
		.ack = flags & TCPSM_ACK ? ack : 0,
		.len = len,
		.win = WIN,
		.flags = flags,
		.wscale = TCPSM_NO_WSCALE,
		.from = from,
	};

	return seg;
}

static void observe(struct tcpsm_fsm *fsm, struct tcpsm_seg seg, u8 obs,
		    struct obs_result *res)
{
	struct tcpsm_verdict v;
	int i, b;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < (obs == OBS_LOOPBACK ? 2 : 1); i++) {
		if (obs == OBS_REMOTE)
			seg.move = TCPSM_MOVE_BOTH;
		else
			seg.move = i ? TCPSM_MOVE_RECEIVER :
				   TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL;
		tcpsm_fsm_step(fsm, &seg, &v);
		res->events |= v.events;
		if (v.invalid != TCPSM_INV_NONE)
			res->invalid = v.invalid;
		res->kind = v.kind;
		for (b = 0; b < 16; b++)
			if (v.events & (1u << b))
				res->count[b]++;
	}
}

/* How many sightings reported @ev (a single TCPSM_EV_* bit). */
static u8 sightings(const struct obs_result *res, u16 ev)
{
	int b;

	for (b = 0; b < 16; b++)
		if (ev == 1u << b)
			return res->count[b];
	return 0;
}

static u8 step1(struct tcpsm_fsm *fsm, u8 from, u8 flags, u32 seq, u32 ack, u32 len,
		u8 move, struct tcpsm_verdict *v)
{
	struct tcpsm_seg seg = mkseg(from, flags, seq, ack, len);

	seg.move = move;
	tcpsm_fsm_step(fsm, &seg, v);
	return v->events;
}

/* A connection through the three-way handshake, client CISN, server SISN. */
static void established(struct tcpsm_fsm *fsm, u8 obs)
{
	struct obs_result res;

	tcpsm_fsm_init(fsm);
	observe(fsm, mkseg(C2S, FL_S, CISN, 0, 0), obs, &res);
	observe(fsm, mkseg(S2C, FL_SA, SISN, CISN + 1, 0), obs, &res);
	observe(fsm, mkseg(C2S, FL_A, CISN + 1, SISN + 1, 0), obs, &res);
}

static void expect_states(struct kunit *test, const struct tcpsm_fsm *fsm, u8 client,
			  u8 server)
{
	KUNIT_EXPECT_EQ_MSG(test, fsm->end[TCPSM_ROLE_CLIENT].state, client,
			    "client %s, expected %s",
			    tcpsm_state_name(fsm->end[TCPSM_ROLE_CLIENT].state),
			    tcpsm_state_name(client));
	KUNIT_EXPECT_EQ_MSG(test, fsm->end[TCPSM_ROLE_SERVER].state, server,
			    "server %s, expected %s",
			    tcpsm_state_name(fsm->end[TCPSM_ROLE_SERVER].state),
			    tcpsm_state_name(server));
}

/* ---- tcpsm_fsm_table ---------------------------------------------------- */

struct walk_case {
	u8 kind;	/* the kind of segment, as its receiver should see it */
	u8 state;	/* of the walked endpoint */
	u8 expect;	/* its state after */
	u8 expect_kind;	/* the verdict's kind */
	u16 events;	/* all but TCPSM_EV_TRANSITION */
	u8 invalid;
};

#define WALK(k, s, e, ek, ev, inv) {						\
	.kind = TCPSM_K_##k, .state = TCPSM_##s, .expect = TCPSM_##e,		\
	.expect_kind = TCPSM_K_##ek, .events = (ev), .invalid = TCPSM_INV_##inv }
#define RTX	TCPSM_EV_RETRANS
#define IVE	TCPSM_EV_INVALID
#define ABT	TCPSM_EV_ABORT
#define TWA	TCPSM_EV_TW_ACK

/*
 * An endpoint in @state, having sent what that state implies: nothing in
 * CLOSED and LISTEN; its SYN in SYN_SENT; its SYN+ACK in SYN_RCVD and after;
 * 100 bytes of data once ESTABLISHED; then its FIN, if the state has one.
 */
static void put_end(struct tcpsm_end *e, u8 state, u32 isn)
{
	memset(e, 0, sizeof(*e));
	e->state = state;
	e->isn = isn;
	e->wscale = TCPSM_NO_WSCALE;
	if (state == TCPSM_CLOSED || state == TCPSM_LISTEN)
		return;
	e->flags = TCPSM_END_SEEN | TCPSM_END_ISN;
	e->snd_nxt = isn + 1;
	e->snd_una = isn + 1;
	e->win = WIN;
	e->max_win = WIN;
	if (state == TCPSM_SYN_SENT)
		return;
	e->flags |= TCPSM_END_SYNACK;
	if (state == TCPSM_SYN_RCVD)
		return;
	e->snd_nxt += 100;
	if (state == TCPSM_ESTABLISHED || state == TCPSM_CLOSE_WAIT)
		return;
	e->fin_seq = e->snd_nxt++;
	e->flags |= TCPSM_END_FIN_SENT;
}

/*
 * What @e has received of what @peer sent, as their states say: @peer's SYN
 * once @e is past SYN_SENT, its data, and its FIN in the states that follow
 * one (in flight otherwise).
 */
static void put_rcv(struct tcpsm_end *e, const struct tcpsm_end *peer)
{
	switch (e->state) {
	case TCPSM_CLOSED:
	case TCPSM_SYN_SENT:
		return;
	case TCPSM_LISTEN:
		e->rcv_nxt = peer->isn + 1;
		break;
	case TCPSM_CLOSE_WAIT:
	case TCPSM_CLOSING:
	case TCPSM_LAST_ACK:
	case TCPSM_TIME_WAIT:
		e->rcv_nxt = peer->snd_nxt;
		if (peer->flags & TCPSM_END_FIN_SENT)
			e->flags |= TCPSM_END_FIN_RCVD;
		break;
	default:
		e->rcv_nxt = peer->flags & TCPSM_END_FIN_SENT ? peer->fin_seq : peer->snd_nxt;
	}
	e->rcv_wup = e->rcv_nxt;
	e->flags |= TCPSM_END_RCV;
}

static void put_ends(struct tcpsm_fsm *fsm)
{
	put_rcv(&fsm->end[TCPSM_ROLE_CLIENT], &fsm->end[TCPSM_ROLE_SERVER]);
	put_rcv(&fsm->end[TCPSM_ROLE_SERVER], &fsm->end[TCPSM_ROLE_CLIENT]);
}

/*
 * What sending a segment does to its sender, the server; the client is in a
 * state where the segment means what its kind says (snd_partner[]). Each
 * segment is the sender's next one, or its SYN or FIN again if it sent them.
 */
static const u8 snd_partner[__TCPSM_K_MAX] = {
	[TCPSM_K_SYN] = TCPSM_SYN_SENT,		/* simultaneous open */
	[TCPSM_K_SYNACK] = TCPSM_SYN_SENT,
	[TCPSM_K_FIN] = TCPSM_ESTABLISHED,
	[TCPSM_K_FINACK] = TCPSM_FIN_WAIT_1,
	[TCPSM_K_ACK] = TCPSM_ESTABLISHED,
	[TCPSM_K_ACKSYN] = TCPSM_SYN_RCVD,
	[TCPSM_K_ACKFIN] = TCPSM_FIN_WAIT_1,
	[TCPSM_K_RST] = TCPSM_ESTABLISHED,
	[TCPSM_K_NONE] = TCPSM_ESTABLISHED,
};

static const struct walk_case snd_cases[] = {
	/* RFC 793 p. 54 OPEN; a LISTEN that sends a SYN has one received. */
	WALK(SYN, CLOSED, SYN_SENT, SYN, 0, NONE),
	WALK(SYN, LISTEN, SYN_RCVD, SYN, 0, NONE),
	WALK(SYN, SYN_SENT, SYN_SENT, SYN, RTX, NONE),
	WALK(SYN, SYN_RCVD, SYN_RCVD, SYN, RTX, NONE),
	/* a new ISN from a synchronized local socket: it lost its state, opens again */
	WALK(SYN, ESTABLISHED, SYN_SENT, SYN, 0, NONE),
	WALK(SYN, FIN_WAIT_1, SYN_SENT, SYN, 0, NONE),
	WALK(SYN, FIN_WAIT_2, SYN_SENT, SYN, 0, NONE),
	WALK(SYN, CLOSE_WAIT, SYN_SENT, SYN, 0, NONE),
	WALK(SYN, CLOSING, SYN_SENT, SYN, 0, NONE),
	WALK(SYN, LAST_ACK, SYN_SENT, SYN, 0, NONE),
	/* its port reused (tcp_tw_reuse) */
	WALK(SYN, TIME_WAIT, SYN_SENT, SYN, 0, NONE),
	/* a SYN+ACK answers a received SYN */
	WALK(SYNACK, CLOSED, CLOSED, SYNACK, IVE, STATE),
	WALK(SYNACK, LISTEN, SYN_RCVD, SYNACK, 0, NONE),
	WALK(SYNACK, SYN_SENT, SYN_RCVD, SYNACK, 0, NONE),
	WALK(SYNACK, SYN_RCVD, SYN_RCVD, SYNACK, RTX, NONE),
	WALK(SYNACK, ESTABLISHED, ESTABLISHED, SYNACK, RTX, NONE),
	WALK(SYNACK, FIN_WAIT_1, FIN_WAIT_1, SYNACK, IVE, STATE),
	WALK(SYNACK, FIN_WAIT_2, FIN_WAIT_2, SYNACK, IVE, STATE),
	WALK(SYNACK, CLOSE_WAIT, CLOSE_WAIT, SYNACK, IVE, STATE),
	WALK(SYNACK, CLOSING, CLOSING, SYNACK, IVE, STATE),
	WALK(SYNACK, LAST_ACK, LAST_ACK, SYNACK, IVE, STATE),
	WALK(SYNACK, TIME_WAIT, TIME_WAIT, SYNACK, IVE, STATE),
	/* RFC 793 p. 60 CLOSE */
	WALK(FIN, CLOSED, CLOSED, FIN, IVE, STATE),
	WALK(FIN, LISTEN, LISTEN, FIN, IVE, STATE),
	WALK(FIN, SYN_SENT, SYN_SENT, FIN, IVE, STATE),
	WALK(FIN, SYN_RCVD, FIN_WAIT_1, FIN, 0, NONE),
	WALK(FIN, ESTABLISHED, FIN_WAIT_1, FIN, 0, NONE),
	WALK(FIN, FIN_WAIT_1, FIN_WAIT_1, FIN, RTX, NONE),
	WALK(FIN, FIN_WAIT_2, FIN_WAIT_2, FIN, RTX, NONE),
	/* a FIN not acking the peer's: it crossed the peer's FIN (Linux: CLOSING) */
	WALK(FIN, CLOSE_WAIT, CLOSING, FIN, 0, NONE),
	WALK(FIN, CLOSING, CLOSING, FIN, RTX, NONE),
	WALK(FIN, LAST_ACK, LAST_ACK, FIN, RTX, NONE),
	WALK(FIN, TIME_WAIT, TIME_WAIT, FIN, RTX, NONE),
	/* acking the peer's FIN: only after receiving it */
	WALK(FINACK, CLOSED, CLOSED, FINACK, IVE, STATE),
	WALK(FINACK, LISTEN, LISTEN, FINACK, IVE, STATE),
	WALK(FINACK, SYN_SENT, SYN_SENT, FINACK, IVE, STATE),
	WALK(FINACK, SYN_RCVD, SYN_RCVD, FINACK, IVE, STATE),
	/* its ACK covers the peer's FIN: it has it, tcpsm missed the arrival */
	WALK(FINACK, ESTABLISHED, LAST_ACK, FINACK, 0, NONE),
	WALK(FINACK, FIN_WAIT_1, CLOSING, FINACK, RTX, NONE),
	WALK(FINACK, FIN_WAIT_2, TIME_WAIT, FINACK, RTX, NONE),
	WALK(FINACK, CLOSE_WAIT, LAST_ACK, FINACK, 0, NONE),
	WALK(FINACK, CLOSING, CLOSING, FINACK, RTX, NONE),
	WALK(FINACK, LAST_ACK, LAST_ACK, FINACK, RTX, NONE),
	WALK(FINACK, TIME_WAIT, TIME_WAIT, FINACK, RTX, NONE),
	/* ACKs never move their sender; nothing to ack before a SYN arrives */
	WALK(ACK, CLOSED, CLOSED, ACK, 0, NONE),
	WALK(ACK, LISTEN, LISTEN, ACK, IVE, STATE),
	WALK(ACK, SYN_SENT, SYN_SENT, ACK, IVE, STATE),
	WALK(ACK, SYN_RCVD, SYN_RCVD, ACK, 0, NONE),
	WALK(ACK, ESTABLISHED, ESTABLISHED, ACK, 0, NONE),
	WALK(ACK, FIN_WAIT_1, FIN_WAIT_1, ACK, 0, NONE),
	WALK(ACK, FIN_WAIT_2, FIN_WAIT_2, ACK, 0, NONE),
	WALK(ACK, CLOSE_WAIT, CLOSE_WAIT, ACK, 0, NONE),
	WALK(ACK, CLOSING, CLOSING, ACK, 0, NONE),
	WALK(ACK, LAST_ACK, LAST_ACK, ACK, 0, NONE),
	WALK(ACK, TIME_WAIT, TIME_WAIT, ACK, 0, NONE),
	WALK(ACKSYN, CLOSED, CLOSED, ACKSYN, 0, NONE),
	WALK(ACKSYN, LISTEN, LISTEN, ACKSYN, IVE, STATE),
	WALK(ACKSYN, SYN_SENT, SYN_SENT, ACKSYN, IVE, STATE),
	WALK(ACKSYN, SYN_RCVD, SYN_RCVD, ACKSYN, 0, NONE),
	WALK(ACKSYN, ESTABLISHED, ESTABLISHED, ACKSYN, 0, NONE),
	WALK(ACKSYN, FIN_WAIT_1, FIN_WAIT_1, ACKSYN, 0, NONE),
	WALK(ACKSYN, FIN_WAIT_2, FIN_WAIT_2, ACKSYN, 0, NONE),
	WALK(ACKSYN, CLOSE_WAIT, CLOSE_WAIT, ACKSYN, 0, NONE),
	WALK(ACKSYN, CLOSING, CLOSING, ACKSYN, 0, NONE),
	WALK(ACKSYN, LAST_ACK, LAST_ACK, ACKSYN, 0, NONE),
	WALK(ACKSYN, TIME_WAIT, TIME_WAIT, ACKSYN, 0, NONE),
	/* acking the peer's FIN: only after receiving it */
	WALK(ACKFIN, CLOSED, CLOSED, ACKFIN, 0, NONE),
	WALK(ACKFIN, LISTEN, LISTEN, ACKFIN, IVE, STATE),
	WALK(ACKFIN, SYN_SENT, SYN_SENT, ACKFIN, IVE, STATE),
	WALK(ACKFIN, SYN_RCVD, SYN_RCVD, ACKFIN, IVE, STATE),
	WALK(ACKFIN, ESTABLISHED, CLOSE_WAIT, ACKFIN, 0, NONE),
	WALK(ACKFIN, FIN_WAIT_1, CLOSING, ACKFIN, 0, NONE),
	WALK(ACKFIN, FIN_WAIT_2, TIME_WAIT, ACKFIN, 0, NONE),
	WALK(ACKFIN, CLOSE_WAIT, CLOSE_WAIT, ACKFIN, 0, NONE),
	WALK(ACKFIN, CLOSING, CLOSING, ACKFIN, 0, NONE),
	WALK(ACKFIN, LAST_ACK, LAST_ACK, ACKFIN, 0, NONE),
	WALK(ACKFIN, TIME_WAIT, TIME_WAIT, ACKFIN, 0, NONE),
	/*
	 * RFC 793 p. 62 ABORT, at snd_nxt from a local socket: gone. SYN_SENT
	 * never aborts with a RST (tcpsm_rst_closes()).
	 */
	WALK(RST, CLOSED, CLOSED, RST, 0, NONE),
	/* a refusal, once the client takes it (scenario refused) */
	WALK(RST, LISTEN, LISTEN, RST, 0, NONE),
	WALK(RST, SYN_SENT, SYN_SENT, RST, 0, NONE),
	WALK(RST, SYN_RCVD, CLOSED, RST, ABT, NONE),
	WALK(RST, ESTABLISHED, CLOSED, RST, ABT, NONE),
	WALK(RST, FIN_WAIT_1, CLOSED, RST, ABT, NONE),
	WALK(RST, FIN_WAIT_2, CLOSED, RST, ABT, NONE),
	WALK(RST, CLOSE_WAIT, CLOSED, RST, ABT, NONE),
	WALK(RST, CLOSING, CLOSED, RST, ABT, NONE),
	WALK(RST, LAST_ACK, CLOSED, RST, ABT, NONE),
	WALK(RST, TIME_WAIT, CLOSED, RST, ABT, NONE),
	/* SYN+FIN */
	WALK(NONE, CLOSED, CLOSED, NONE, IVE, FLAGS),
	WALK(NONE, LISTEN, LISTEN, NONE, IVE, FLAGS),
	WALK(NONE, SYN_SENT, SYN_SENT, NONE, IVE, FLAGS),
	WALK(NONE, SYN_RCVD, SYN_RCVD, NONE, IVE, FLAGS),
	WALK(NONE, ESTABLISHED, ESTABLISHED, NONE, IVE, FLAGS),
	WALK(NONE, FIN_WAIT_1, FIN_WAIT_1, NONE, IVE, FLAGS),
	WALK(NONE, FIN_WAIT_2, FIN_WAIT_2, NONE, IVE, FLAGS),
	WALK(NONE, CLOSE_WAIT, CLOSE_WAIT, NONE, IVE, FLAGS),
	WALK(NONE, CLOSING, CLOSING, NONE, IVE, FLAGS),
	WALK(NONE, LAST_ACK, LAST_ACK, NONE, IVE, FLAGS),
	WALK(NONE, TIME_WAIT, TIME_WAIT, NONE, IVE, FLAGS),
};

/*
 * What receiving a segment does to its receiver, the server, from a client
 * that has sent it (rcv_partner[]: already moved by it, so it stays). The
 * segment acks what its kind says when the server's state allows it, else
 * what the server sent last; its kind then says what it is.
 */
static const u8 rcv_partner[__TCPSM_K_MAX] = {
	[TCPSM_K_SYN] = TCPSM_SYN_SENT,
	[TCPSM_K_SYNACK] = TCPSM_SYN_RCVD,	/* simultaneous open */
	[TCPSM_K_FIN] = TCPSM_FIN_WAIT_1,
	[TCPSM_K_FINACK] = TCPSM_LAST_ACK,
	[TCPSM_K_ACK] = TCPSM_ESTABLISHED,
	[TCPSM_K_ACKSYN] = TCPSM_ESTABLISHED,
	[TCPSM_K_ACKFIN] = TCPSM_CLOSE_WAIT,
	[TCPSM_K_RST] = TCPSM_ESTABLISHED,
	[TCPSM_K_NONE] = TCPSM_ESTABLISHED,
};

#define RSTOK	TCPSM_EV_RST_ACCEPTED

static const struct walk_case rcv_cases[] = {
	/* RFC 793 p. 65-66; RFC 5961 4: a SYN once synchronized is ignored */
	WALK(SYN, CLOSED, LISTEN, SYN, 0, NONE),
	WALK(SYN, LISTEN, LISTEN, SYN, 0, NONE),
	WALK(SYN, SYN_SENT, SYN_RCVD, SYN, 0, NONE),
	WALK(SYN, SYN_RCVD, SYN_RCVD, SYN, 0, NONE),
	WALK(SYN, ESTABLISHED, ESTABLISHED, SYN, 0, NONE),
	WALK(SYN, FIN_WAIT_1, FIN_WAIT_1, SYN, 0, NONE),
	WALK(SYN, FIN_WAIT_2, FIN_WAIT_2, SYN, 0, NONE),
	WALK(SYN, CLOSE_WAIT, CLOSE_WAIT, SYN, 0, NONE),
	WALK(SYN, CLOSING, CLOSING, SYN, 0, NONE),
	WALK(SYN, LAST_ACK, LAST_ACK, SYN, 0, NONE),
	WALK(SYN, TIME_WAIT, TIME_WAIT, SYN, TCPSM_EV_INVALID, SEQ),
	/* RFC 793 p. 66-68 (and Figure 8, simultaneous open) */
	WALK(SYNACK, CLOSED, CLOSED, SYNACK, 0, NONE),
	WALK(SYNACK, LISTEN, LISTEN, SYNACK, IVE, STATE),
	WALK(SYNACK, SYN_SENT, ESTABLISHED, SYNACK, 0, NONE),
	WALK(SYNACK, SYN_RCVD, ESTABLISHED, SYNACK, 0, NONE),
	WALK(SYNACK, ESTABLISHED, ESTABLISHED, SYNACK, 0, NONE),
	WALK(SYNACK, FIN_WAIT_1, FIN_WAIT_1, SYNACK, 0, NONE),
	WALK(SYNACK, FIN_WAIT_2, FIN_WAIT_2, SYNACK, 0, NONE),
	WALK(SYNACK, CLOSE_WAIT, CLOSE_WAIT, SYNACK, 0, NONE),
	WALK(SYNACK, CLOSING, CLOSING, SYNACK, 0, NONE),
	WALK(SYNACK, LAST_ACK, LAST_ACK, SYNACK, 0, NONE),
	WALK(SYNACK, TIME_WAIT, TIME_WAIT, SYNACK, TWA, NONE),
	/* RFC 793 p. 75, eighth, check the FIN bit */
	WALK(FIN, CLOSED, CLOSED, FIN, 0, NONE),
	WALK(FIN, LISTEN, LISTEN, FIN, IVE, STATE),
	WALK(FIN, SYN_SENT, SYN_SENT, FIN, 0, NONE),
	WALK(FIN, SYN_RCVD, CLOSE_WAIT, FIN, 0, NONE),
	WALK(FIN, ESTABLISHED, CLOSE_WAIT, FIN, 0, NONE),
	WALK(FIN, FIN_WAIT_1, CLOSING, FIN, 0, NONE),
	WALK(FIN, FIN_WAIT_2, TIME_WAIT, FIN, 0, NONE),
	WALK(FIN, CLOSE_WAIT, CLOSE_WAIT, FIN, 0, NONE),
	WALK(FIN, CLOSING, CLOSING, FIN, 0, NONE),
	WALK(FIN, LAST_ACK, LAST_ACK, FIN, 0, NONE),
	WALK(FIN, TIME_WAIT, TIME_WAIT, FIN, TCPSM_EV_TW_RESTART, NONE),
	/* FIN and the ACK of our FIN together; a fin where we sent none */
	WALK(FINACK, CLOSED, CLOSED, FIN, 0, NONE),
	WALK(FINACK, LISTEN, LISTEN, FIN, IVE, STATE),
	WALK(FINACK, SYN_SENT, SYN_SENT, FIN, 0, NONE),
	WALK(FINACK, SYN_RCVD, CLOSE_WAIT, FIN, 0, NONE),
	WALK(FINACK, ESTABLISHED, CLOSE_WAIT, FIN, 0, NONE),
	WALK(FINACK, FIN_WAIT_1, TIME_WAIT, FINACK, 0, NONE),
	WALK(FINACK, FIN_WAIT_2, TIME_WAIT, FINACK, 0, NONE),
	WALK(FINACK, CLOSE_WAIT, CLOSE_WAIT, FIN, 0, NONE),
	WALK(FINACK, CLOSING, TIME_WAIT, FINACK, 0, NONE),
	WALK(FINACK, LAST_ACK, CLOSED, FINACK, 0, NONE),
	WALK(FINACK, TIME_WAIT, TIME_WAIT, FINACK, TCPSM_EV_TW_RESTART, NONE),
	/* an ACK of nothing new moves nobody (FIN_WAIT_1 waits for its FIN's) */
	WALK(ACK, CLOSED, CLOSED, ACK, 0, NONE),
	WALK(ACK, LISTEN, LISTEN, ACK, IVE, STATE),
	WALK(ACK, SYN_SENT, SYN_SENT, ACK, 0, NONE),
	WALK(ACK, SYN_RCVD, SYN_RCVD, ACK, 0, NONE),
	WALK(ACK, ESTABLISHED, ESTABLISHED, ACK, 0, NONE),
	WALK(ACK, FIN_WAIT_1, FIN_WAIT_1, ACK, 0, NONE),
	WALK(ACK, FIN_WAIT_2, FIN_WAIT_2, ACK, 0, NONE),
	WALK(ACK, CLOSE_WAIT, CLOSE_WAIT, ACK, 0, NONE),
	WALK(ACK, CLOSING, CLOSING, ACK, 0, NONE),
	WALK(ACK, LAST_ACK, LAST_ACK, ACK, 0, NONE),
	WALK(ACK, TIME_WAIT, TIME_WAIT, ACK, TWA, NONE),
	/* RFC 793 p. 72, fifth: SYN_RCVD established; SYN_SENT drops it */
	WALK(ACKSYN, CLOSED, CLOSED, ACK, 0, NONE),
	WALK(ACKSYN, LISTEN, LISTEN, ACK, IVE, STATE),
	WALK(ACKSYN, SYN_SENT, SYN_SENT, ACKSYN, 0, NONE),
	WALK(ACKSYN, SYN_RCVD, ESTABLISHED, ACKSYN, 0, NONE),
	WALK(ACKSYN, ESTABLISHED, ESTABLISHED, ACK, 0, NONE),
	WALK(ACKSYN, FIN_WAIT_1, FIN_WAIT_1, ACK, 0, NONE),
	WALK(ACKSYN, FIN_WAIT_2, FIN_WAIT_2, ACK, 0, NONE),
	WALK(ACKSYN, CLOSE_WAIT, CLOSE_WAIT, ACK, 0, NONE),
	WALK(ACKSYN, CLOSING, CLOSING, ACK, 0, NONE),
	WALK(ACKSYN, LAST_ACK, LAST_ACK, ACK, 0, NONE),
	WALK(ACKSYN, TIME_WAIT, TIME_WAIT, ACK, TWA, NONE),
	/* RFC 793 p. 73: the ACK of our FIN */
	WALK(ACKFIN, CLOSED, CLOSED, ACK, 0, NONE),
	WALK(ACKFIN, LISTEN, LISTEN, ACK, IVE, STATE),
	WALK(ACKFIN, SYN_SENT, SYN_SENT, ACKSYN, 0, NONE),
	WALK(ACKFIN, SYN_RCVD, ESTABLISHED, ACKSYN, 0, NONE),
	WALK(ACKFIN, ESTABLISHED, ESTABLISHED, ACK, 0, NONE),
	WALK(ACKFIN, FIN_WAIT_1, FIN_WAIT_2, ACKFIN, 0, NONE),
	WALK(ACKFIN, FIN_WAIT_2, FIN_WAIT_2, ACKFIN, 0, NONE),
	WALK(ACKFIN, CLOSE_WAIT, CLOSE_WAIT, ACK, 0, NONE),
	WALK(ACKFIN, CLOSING, TIME_WAIT, ACKFIN, 0, NONE),
	WALK(ACKFIN, LAST_ACK, CLOSED, ACKFIN, 0, NONE),
	WALK(ACKFIN, TIME_WAIT, TIME_WAIT, ACKFIN, TWA, NONE),
	/* RFC 793 p. 66, 70; RFC 5961 3.2: a RST at exactly rcv_nxt */
	WALK(RST, CLOSED, CLOSED, RST, TCPSM_EV_RST_IGNORED, NONE),
	WALK(RST, LISTEN, LISTEN, RST, TCPSM_EV_RST_IGNORED, NONE),
	WALK(RST, SYN_SENT, CLOSED, RST, TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED, NONE),
	WALK(RST, SYN_RCVD, CLOSED, RST, RSTOK, NONE),
	WALK(RST, ESTABLISHED, CLOSED, RST, RSTOK, NONE),
	WALK(RST, FIN_WAIT_1, CLOSED, RST, RSTOK, NONE),
	WALK(RST, FIN_WAIT_2, CLOSED, RST, RSTOK, NONE),
	WALK(RST, CLOSE_WAIT, CLOSED, RST, RSTOK, NONE),
	WALK(RST, CLOSING, CLOSED, RST, RSTOK, NONE),
	WALK(RST, LAST_ACK, CLOSED, RST, RSTOK, NONE),
	WALK(RST, TIME_WAIT, CLOSED, RST, RSTOK, NONE),
	/* no flags at all */
	WALK(NONE, CLOSED, CLOSED, NONE, IVE, FLAGS),
	WALK(NONE, LISTEN, LISTEN, NONE, IVE, FLAGS),
	WALK(NONE, SYN_SENT, SYN_SENT, NONE, IVE, FLAGS),
	WALK(NONE, SYN_RCVD, SYN_RCVD, NONE, IVE, FLAGS),
	WALK(NONE, ESTABLISHED, ESTABLISHED, NONE, IVE, FLAGS),
	WALK(NONE, FIN_WAIT_1, FIN_WAIT_1, NONE, IVE, FLAGS),
	WALK(NONE, FIN_WAIT_2, FIN_WAIT_2, NONE, IVE, FLAGS),
	WALK(NONE, CLOSE_WAIT, CLOSE_WAIT, NONE, IVE, FLAGS),
	WALK(NONE, CLOSING, CLOSING, NONE, IVE, FLAGS),
	WALK(NONE, LAST_ACK, LAST_ACK, NONE, IVE, FLAGS),
	WALK(NONE, TIME_WAIT, TIME_WAIT, NONE, IVE, FLAGS),
};

static void snd_case_desc(const struct walk_case *wc, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s sent in %s", tcpsm_kind_name(wc->kind),
		 tcpsm_state_name(wc->state));
}

static void rcv_case_desc(const struct walk_case *wc, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s received in %s", tcpsm_kind_name(wc->kind),
		 tcpsm_state_name(wc->state));
}

KUNIT_ARRAY_PARAM(snd_cases, snd_cases, snd_case_desc);
KUNIT_ARRAY_PARAM(rcv_cases, rcv_cases, rcv_case_desc);

static void expect_walk(struct kunit *test, const struct walk_case *wc, u8 state,
			const struct tcpsm_verdict *v)
{
	KUNIT_EXPECT_EQ_MSG(test, state, wc->expect, "%s, expected %s", tcpsm_state_name(state),
			    tcpsm_state_name(wc->expect));
	KUNIT_EXPECT_EQ_MSG(test, v->kind, wc->expect_kind, "kind %s, expected %s",
			    tcpsm_kind_name(v->kind), tcpsm_kind_name(wc->expect_kind));
	KUNIT_EXPECT_EQ(test, v->events & ~TCPSM_EV_TRANSITION, wc->events);
	KUNIT_EXPECT_EQ(test, v->invalid, wc->invalid);
	KUNIT_EXPECT_EQ(test, !!(v->events & TCPSM_EV_TRANSITION), wc->expect != wc->state);
}

static void tcpsm_fsm_sender_table(struct kunit *test)
{
	const struct walk_case *wc = test->param_value;
	struct tcpsm_fsm fsm;
	struct tcpsm_end *s = &fsm.end[TCPSM_ROLE_SERVER];
	struct tcpsm_end *r = &fsm.end[TCPSM_ROLE_CLIENT];
	u32 next, ack = 0, seq;
	struct tcpsm_verdict v;
	u8 flags = FL_A;

	put_end(s, wc->state, SISN);
	put_end(r, snd_partner[wc->kind], CISN);
	put_ends(&fsm);
	next = s->flags & TCPSM_END_FIN_SENT ? s->fin_seq : s->snd_nxt;
	seq = s->snd_nxt;
	switch (wc->kind) {
	case TCPSM_K_SYN:
		flags = FL_S;
		/* once synchronized, a SYN is a new connection's, a new ISN */
		seq = wc->state <= TCPSM_SYN_RCVD ? s->isn : s->snd_nxt + 100000;
		break;
	case TCPSM_K_SYNACK:
		flags = FL_SA;
		seq = s->isn;
		ack = r->isn + 1;
		break;
	case TCPSM_K_FIN:
		flags = FL_FA;
		seq = next;
		ack = r->snd_nxt;
		break;
	case TCPSM_K_FINACK:
		flags = FL_FA;
		seq = next;
		ack = r->fin_seq + 1;
		break;
	case TCPSM_K_ACK:
		ack = r->snd_nxt;
		break;
	case TCPSM_K_ACKSYN:
		ack = r->isn + 1;
		break;
	case TCPSM_K_ACKFIN:
		ack = r->fin_seq + 1;
		break;
	case TCPSM_K_RST:
		flags = FL_RA;
		ack = r->snd_nxt;
		break;
	default:
		flags = TCPSM_SYN | TCPSM_FIN;
		break;
	}
	step1(&fsm, S2C, flags, seq, ack, 0, TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL, &v);
	expect_walk(test, wc, s->state, &v);
	KUNIT_EXPECT_EQ(test, r->state, snd_partner[wc->kind]);
}

static void tcpsm_fsm_receiver_table(struct kunit *test)
{
	const struct walk_case *wc = test->param_value;
	struct tcpsm_fsm fsm;
	struct tcpsm_end *s = &fsm.end[TCPSM_ROLE_CLIENT];
	struct tcpsm_end *r = &fsm.end[TCPSM_ROLE_SERVER];
	bool fin = false;
	struct tcpsm_verdict v;
	u32 seq, ack = 0;
	u8 flags = FL_A;

	put_end(s, rcv_partner[wc->kind], CISN);
	if (wc->kind == TCPSM_K_RST)
		s->state = TCPSM_CLOSED;	/* it sent the RST */
	put_end(r, wc->state, SISN);
	put_ends(&fsm);
	fin = r->flags & TCPSM_END_FIN_SENT;
	seq = s->snd_nxt;
	switch (wc->kind) {
	case TCPSM_K_SYN:
		flags = FL_S;
		seq = s->isn;
		break;
	case TCPSM_K_SYNACK:
		flags = FL_SA;
		seq = s->isn;
		ack = r->isn + 1;
		break;
	case TCPSM_K_FIN:
		flags = FL_FA;
		seq = s->fin_seq;
		ack = fin ? r->fin_seq : r->snd_nxt;
		break;
	case TCPSM_K_FINACK:
		flags = FL_FA;
		seq = s->fin_seq;
		ack = fin ? r->fin_seq + 1 : r->snd_nxt;
		break;
	case TCPSM_K_ACK:
		ack = r->snd_nxt - 1;
		break;
	case TCPSM_K_ACKSYN:
		ack = r->isn + 1;
		break;
	case TCPSM_K_ACKFIN:
		ack = fin ? r->fin_seq + 1 : r->snd_nxt;
		break;
	case TCPSM_K_RST:
		flags = FL_RA;
		ack = r->snd_nxt;
		break;
	default:
		flags = 0;
		break;
	}
	step1(&fsm, C2S, flags, seq, ack, 0, TCPSM_MOVE_RECEIVER, &v);
	expect_walk(test, wc, r->state, &v);
}

static struct kunit_case tcpsm_fsm_table_cases[] = {
	KUNIT_CASE_PARAM(tcpsm_fsm_sender_table, snd_cases_gen_params),
	KUNIT_CASE_PARAM(tcpsm_fsm_receiver_table, rcv_cases_gen_params),
	{}
};

static struct kunit_suite tcpsm_fsm_table_suite = {
	.name = "tcpsm_fsm_table",
	.test_cases = tcpsm_fsm_table_cases,
};

/* ---- tcpsm_fsm_scenario ------------------------------------------------- */

struct sc_step {
	u8 from;
	u8 flags;
	u32 seq;	/* relative to the sender's ISN */
	u32 ack;	/* relative to the receiver's ISN */
	u32 len;
	u32 win;	/* raw window; 0 for WIN, WIN_ZERO for zero */
	u8 ws;		/* window scale option + 1; 0 for none */
	u8 client;	/* states after the segment */
	u8 server;
	u16 events;	/* all but TCPSM_EV_TRANSITION */
	u8 invalid;
};

#define WIN_ZERO	0x10000u
#define WS(n)		((n) + 1)

#define STEP(f, fl, sq, ak, ln, c, s, ev)					\
	{ .from = f, .flags = fl, .seq = sq, .ack = ak, .len = ln,		\
	  .client = TCPSM_##c, .server = TCPSM_##s, .events = ev }
#define STEPW(f, fl, sq, ak, ln, w, sc, c, s, ev, inv)				\
	{ .from = f, .flags = fl, .seq = sq, .ack = ak, .len = ln, .win = w,	\
	  .ws = sc, .client = TCPSM_##c, .server = TCPSM_##s, .events = ev,	\
	  .invalid = TCPSM_INV_##inv }

struct scenario {
	const char *name;
	u32 isn[__TCPSM_ROLE_MAX];
	bool handshake;		/* handshake_steps first */
	const struct sc_step *steps;
	unsigned int n;
};

#define SCENARIO(id, cisn, sisn, hs) {					\
	.name = #id, .isn = { cisn, sisn }, .handshake = hs,		\
	.steps = id##_steps, .n = ARRAY_SIZE(id##_steps) }

static const struct sc_step handshake_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEP(S2C, FL_SA, 0, 1, 0, ESTABLISHED, SYN_RCVD, 0),
	STEP(C2S, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
};

/* RFC 793 Figure 8, each SYN received before the other is sent. */
static const struct sc_step simultaneous_open_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEP(S2C, FL_S, 0, 0, 0, SYN_RCVD, SYN_RCVD, 0),
	STEP(C2S, FL_SA, 0, 1, 0, SYN_RCVD, ESTABLISHED, 0),
	STEP(S2C, FL_SA, 0, 1, 0, ESTABLISHED, ESTABLISHED, 0),
};

static const struct sc_step close_client_first_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_A, 1, 2, 0, FIN_WAIT_2, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(C2S, FL_A, 2, 2, 0, TIME_WAIT, CLOSED, 0),
};

static const struct sc_step close_server_first_steps[] = {
	STEP(S2C, FL_FA, 1, 1, 0, CLOSE_WAIT, FIN_WAIT_1, 0),
	STEP(C2S, FL_A, 1, 2, 0, CLOSE_WAIT, FIN_WAIT_2, 0),
	STEP(C2S, FL_FA, 1, 2, 0, LAST_ACK, TIME_WAIT, 0),
	STEP(S2C, FL_A, 2, 2, 0, CLOSED, TIME_WAIT, 0),
};

/* The server's FIN acks the client's: FIN_WAIT_1 straight to TIME_WAIT. */
static const struct sc_step close_finack_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(C2S, FL_A, 2, 2, 0, TIME_WAIT, CLOSED, 0),
};

/*
 * Crossing FINs seen one after the other (each observation moves the
 * receiver at once): the server's FIN does not ack the client's, so the
 * server had not received it when it closed: CLOSING on both, then
 * TIME_WAIT on both, as the truth suite sees Linux do (not LAST_ACK).
 */
static const struct sc_step fins_crossing_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 1, 1, 0, CLOSING, CLOSING, 0),
	STEP(C2S, FL_A, 2, 2, 0, CLOSING, TIME_WAIT, 0),
	STEP(S2C, FL_A, 2, 2, 0, TIME_WAIT, TIME_WAIT, 0),
};

/* The client closes, the server keeps sending, the client keeps acking. */
static const struct sc_step half_close_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_A, 1, 2, 100, FIN_WAIT_2, CLOSE_WAIT, 0),
	STEP(S2C, FL_A, 101, 2, 100, FIN_WAIT_2, CLOSE_WAIT, 0),
	STEP(C2S, FL_A, 2, 201, 0, FIN_WAIT_2, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 201, 2, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(C2S, FL_A, 2, 202, 0, TIME_WAIT, CLOSED, 0),
};

/* An ACK of the data before the FIN is no ACK of the FIN. */
static const struct sc_step fin_wait_1_partial_ack_steps[] = {
	STEP(C2S, FL_A, 1, 1, 100, ESTABLISHED, ESTABLISHED, 0),
	STEP(C2S, FL_FA, 101, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_A, 1, 101, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_A, 1, 102, 0, FIN_WAIT_2, CLOSE_WAIT, 0),
};

/* An abort at snd_nxt, taken by its receiver: both gone. */
static const struct sc_step rst_exact_steps[] = {
	STEP(C2S, FL_RA, 1, 1, 0, CLOSED, CLOSED, TCPSM_EV_RST_ACCEPTED | TCPSM_EV_ABORT),
};

/*
 * RFC 5961 3.2: in the window but not exact, challenged. Not at its
 * sender's snd_nxt either: no abort of a socket, and nobody moves.
 */
static const struct sc_step rst_in_window_steps[] = {
	STEP(C2S, FL_R, 1 + 500, 0, 0, ESTABLISHED, ESTABLISHED, TCPSM_EV_RST_CHALLENGE),
};

/* Blind RSTs outside the window: ignored, and their senders stay. */
static const struct sc_step rst_outside_window_steps[] = {
	STEPW(C2S, FL_R, 1 + 5000, 0, 0, 0, 0, ESTABLISHED, ESTABLISHED,
	      TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID, SEQ),
	STEPW(S2C, FL_R, 1 - 2000, 0, 0, 0, 0, ESTABLISHED, ESTABLISHED,
	      TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID, SEQ),
};

/* SYN answered by RST+ACK (RFC 793 p. 66-67): connection refused. */
static const struct sc_step refused_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEP(S2C, FL_RA, 0, 1, 0, CLOSED, CLOSED,
	     TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED | TCPSM_EV_ABORT),
};

/*
 * In SYN_SENT, a RST that does not ack the SYN is not acceptable, and
 * refuses nothing: the server's side stays as it was.
 */
static const struct sc_step rst_syn_sent_no_ack_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEPW(S2C, FL_RA, 0, 5, 0, 0, 0, SYN_SENT, LISTEN,
	      TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID, ACK),
	STEPW(S2C, FL_R, 0, 0, 0, 0, 0, SYN_SENT, LISTEN,
	      TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID, ACK),
	STEP(S2C, FL_RA, 0, 1, 0, CLOSED, CLOSED,
	     TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED | TCPSM_EV_ABORT),
};

/* Each segment sent again: counted, nobody moves. */
static const struct sc_step retransmissions_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, TCPSM_EV_RETRANS),
	STEP(S2C, FL_SA, 0, 1, 0, ESTABLISHED, SYN_RCVD, 0),
	STEP(S2C, FL_SA, 0, 1, 0, ESTABLISHED, SYN_RCVD, TCPSM_EV_RETRANS),
	STEP(C2S, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
	STEP(C2S, FL_A, 1, 1, 100, ESTABLISHED, ESTABLISHED, 0),
	STEP(C2S, FL_A, 1, 1, 100, ESTABLISHED, ESTABLISHED, TCPSM_EV_RETRANS),
	STEP(C2S, FL_A, 51, 1, 100, ESTABLISHED, ESTABLISHED, TCPSM_EV_RETRANS),
	STEP(C2S, FL_FA, 151, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(C2S, FL_FA, 151, 1, 0, FIN_WAIT_1, CLOSE_WAIT, TCPSM_EV_RETRANS),
	STEP(C2S, FL_FA, 101, 1, 50, FIN_WAIT_1, CLOSE_WAIT, TCPSM_EV_RETRANS),
	STEP(S2C, FL_A, 1, 152, 0, FIN_WAIT_2, CLOSE_WAIT, 0),
};

/* Sequence numbers wrap during the connection. */
static const struct sc_step wrap_steps[] = {
	STEP(C2S, FL_A, 1, 1, 100, ESTABLISHED, ESTABLISHED, 0),
	STEP(S2C, FL_A, 1, 101, 0, ESTABLISHED, ESTABLISHED, 0),
	STEP(C2S, FL_A, 1, 1, 100, ESTABLISHED, ESTABLISHED, TCPSM_EV_RETRANS),
	STEP(C2S, FL_FA, 101, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEPW(S2C, FL_A, 1, 500, 0, 0, 0, FIN_WAIT_1, CLOSE_WAIT, TCPSM_EV_INVALID, ACK),
	STEP(S2C, FL_FA, 1, 102, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(C2S, FL_A, 102, 2, 0, TIME_WAIT, CLOSED, 0),
};

/*
 * RFC 7323: both SYNs carry the option, so the server's window (1000 << 7)
 * holds a RST 50000 bytes ahead: challenged, not ignored.
 */
static const struct sc_step wscale_rst_in_window_steps[] = {
	STEPW(C2S, FL_S, 0, 0, 0, 0, WS(7), SYN_SENT, LISTEN, 0, NONE),
	STEPW(S2C, FL_SA, 0, 1, 0, 0, WS(7), ESTABLISHED, SYN_RCVD, 0, NONE),
	STEP(C2S, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
	STEP(S2C, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
	STEP(C2S, FL_R, 1 + 50000, 0, 0, ESTABLISHED, ESTABLISHED, TCPSM_EV_RST_CHALLENGE),
};

/* Without the option on the client's SYN, nothing is scaled. */
static const struct sc_step wscale_one_sided_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEPW(S2C, FL_SA, 0, 1, 0, 0, WS(7), ESTABLISHED, SYN_RCVD, 0, NONE),
	STEP(C2S, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
	STEP(S2C, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
	STEPW(C2S, FL_R, 1 + 50000, 0, 0, 0, 0, ESTABLISHED, ESTABLISHED,
	      TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID, SEQ),
};

/* The window of a SYN+ACK is never scaled. */
static const struct sc_step wscale_not_on_syn_steps[] = {
	STEPW(C2S, FL_S, 0, 0, 0, 0, WS(7), SYN_SENT, LISTEN, 0, NONE),
	STEPW(S2C, FL_SA, 0, 1, 0, 0, WS(7), ESTABLISHED, SYN_RCVD, 0, NONE),
	STEP(C2S, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
	STEPW(C2S, FL_R, 1 + 50000, 0, 0, 0, 0, ESTABLISHED, ESTABLISHED,
	      TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID, SEQ),
};

/* TCP Fast Open: data on the SYN, acked with it. */
static const struct sc_step tfo_steps[] = {
	STEP(C2S, FL_S, 0, 0, 100, SYN_SENT, LISTEN, 0),
	STEP(C2S, FL_S, 0, 0, 100, SYN_SENT, LISTEN, TCPSM_EV_RETRANS),
	STEP(S2C, FL_SA, 0, 101, 0, ESTABLISHED, SYN_RCVD, 0),
	STEP(C2S, FL_A, 101, 1, 0, ESTABLISHED, ESTABLISHED, 0),
	STEP(C2S, FL_FA, 101, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
};

/* TCP Fast Open refused: the SYN+ACK acks the SYN only, data sent again. */
static const struct sc_step tfo_data_refused_steps[] = {
	STEP(C2S, FL_S, 0, 0, 100, SYN_SENT, LISTEN, 0),
	STEP(S2C, FL_SA, 0, 1, 0, ESTABLISHED, SYN_RCVD, 0),
	STEP(C2S, FL_A, 1, 1, 100, ESTABLISHED, ESTABLISHED, TCPSM_EV_RETRANS),
	STEP(S2C, FL_A, 1, 101, 0, ESTABLISHED, ESTABLISHED, 0),
};

/*
 * The client in TIME_WAIT opens again from the same port (tcp_tw_reuse):
 * its server has closed, nothing is left to defend, whatever the ISN.
 */
static const struct sc_step time_wait_reuse_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(C2S, FL_A, 2, 2, 0, TIME_WAIT, CLOSED, 0),
	STEP(C2S, FL_S, 0, 0, 0, TIME_WAIT, CLOSED, TCPSM_EV_REUSE),
	STEP(C2S, FL_S, 100000, 0, 0, TIME_WAIT, CLOSED, TCPSM_EV_REUSE),
};

/*
 * The server in TIME_WAIT takes a SYN past its rcv_nxt as a new connection
 * (RFC 6191, tcp_timewait_state_process()); an older one is an old
 * duplicate, dropped. The same when the client is CLOSED too.
 */
static const struct sc_step time_wait_reuse_server_steps[] = {
	STEP(S2C, FL_FA, 1, 1, 0, CLOSE_WAIT, FIN_WAIT_1, 0),
	STEP(C2S, FL_FA, 1, 2, 0, LAST_ACK, TIME_WAIT, 0),
	STEPW(C2S, FL_S, 0, 0, 0, 0, 0, LAST_ACK, TIME_WAIT, TCPSM_EV_INVALID, SEQ),
	STEPW(C2S, FL_S, 2, 0, 0, 0, 0, LAST_ACK, TIME_WAIT, TCPSM_EV_INVALID, SEQ),
	STEP(C2S, FL_S, 100000, 0, 0, LAST_ACK, TIME_WAIT, TCPSM_EV_REUSE),
	STEP(S2C, FL_A, 2, 2, 0, CLOSED, TIME_WAIT, 0),
	STEP(C2S, FL_S, 100000, 0, 0, CLOSED, TIME_WAIT, TCPSM_EV_REUSE),
};

/* Refused, then a new SYN from the same port: a new connection. */
static const struct sc_step refused_reuse_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEP(S2C, FL_RA, 0, 1, 0, CLOSED, CLOSED,
	     TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED | TCPSM_EV_ABORT),
	STEP(C2S, FL_S, 100000, 0, 0, CLOSED, CLOSED, TCPSM_EV_REOPEN),
};

/* The last ACK is lost: the FIN comes again, TIME_WAIT starts over. */
static const struct sc_step time_wait_fin_again_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK,
	     TCPSM_EV_RETRANS | TCPSM_EV_TW_RESTART),
	STEP(C2S, FL_A, 2, 2, 0, TIME_WAIT, CLOSED, 0),
};

/*
 * The last ACK was seen leaving but lost on the way: the FIN comes again
 * from an endpoint taken for CLOSED, which is in LAST_ACK after all.
 */
static const struct sc_step last_ack_lost_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_A, 1, 2, 0, FIN_WAIT_2, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(C2S, FL_A, 2, 2, 0, TIME_WAIT, CLOSED, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK,
	     TCPSM_EV_RETRANS | TCPSM_EV_TW_RESTART),
	STEP(C2S, FL_A, 2, 2, 0, TIME_WAIT, CLOSED, 0),
};

/*
 * As above, but the FIN that comes again acks what was never sent: invalid,
 * so its sender stays CLOSED (found by tools/fuzz); then the real one.
 */
static const struct sc_step last_ack_lost_bad_ack_steps[] = {
	STEP(C2S, FL_FA, 1, 1, 0, FIN_WAIT_1, CLOSE_WAIT, 0),
	STEP(S2C, FL_A, 1, 2, 0, FIN_WAIT_2, CLOSE_WAIT, 0),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK, 0),
	STEP(C2S, FL_A, 2, 2, 0, TIME_WAIT, CLOSED, 0),
	/* tcp_timewait_state_process() restarts 2MSL on any ACK, even this one */
	STEPW(S2C, FL_FA, 1, 1000, 0, 0, 0, TIME_WAIT, CLOSED,
	      TCPSM_EV_INVALID | TCPSM_EV_TW_RESTART, ACK),
	STEP(S2C, FL_FA, 1, 2, 0, TIME_WAIT, LAST_ACK,
	     TCPSM_EV_RETRANS | TCPSM_EV_TW_RESTART),
};

/* Acks of what was never sent, a SYN+ACK not acking the SYN. */
static const struct sc_step bad_acks_steps[] = {
	STEP(C2S, FL_S, 0, 0, 0, SYN_SENT, LISTEN, 0),
	STEPW(S2C, FL_SA, 0, 2, 0, 0, 0, SYN_SENT, LISTEN, TCPSM_EV_INVALID, ACK),
	STEPW(S2C, FL_SA, 0, 0, 0, 0, 0, SYN_SENT, LISTEN, TCPSM_EV_INVALID, ACK),
	STEP(S2C, FL_SA, 0, 1, 0, ESTABLISHED, SYN_RCVD, 0),
	STEPW(C2S, FL_A, 1, 2, 0, 0, 0, ESTABLISHED, SYN_RCVD, TCPSM_EV_INVALID, ACK),
	STEPW(C2S, FL_FA, 1, 2, 0, 0, 0, ESTABLISHED, SYN_RCVD, TCPSM_EV_INVALID, ACK),
	STEP(C2S, FL_A, 1, 1, 0, ESTABLISHED, ESTABLISHED, 0),
};

/* Only the client opens: the server's SYN needs one from the client. */
static const struct sc_step server_cannot_open_steps[] = {
	STEPW(S2C, FL_S, 0, 0, 0, 0, 0, CLOSED, CLOSED, TCPSM_EV_INVALID, STATE),
	STEPW(S2C, FL_A, 0, 0, 0, 0, 0, CLOSED, CLOSED, 0, NONE),
	STEPW(S2C, FL_FA, 0, 0, 0, 0, 0, CLOSED, CLOSED, TCPSM_EV_INVALID, STATE),
};

static const struct scenario scenarios[] = {
	SCENARIO(handshake, CISN, SISN, false),
	SCENARIO(simultaneous_open, CISN, SISN, false),
	SCENARIO(close_client_first, CISN, SISN, true),
	SCENARIO(close_server_first, CISN, SISN, true),
	SCENARIO(close_finack, CISN, SISN, true),
	SCENARIO(fins_crossing, CISN, SISN, true),
	SCENARIO(half_close, CISN, SISN, true),
	SCENARIO(fin_wait_1_partial_ack, CISN, SISN, true),
	SCENARIO(rst_exact, CISN, SISN, true),
	SCENARIO(rst_in_window, CISN, SISN, true),
	SCENARIO(rst_outside_window, CISN, SISN, true),
	SCENARIO(refused, CISN, SISN, false),
	SCENARIO(rst_syn_sent_no_ack, CISN, SISN, false),
	SCENARIO(retransmissions, CISN, SISN, false),
	SCENARIO(wrap, 0xffffffc0u, 0xffffffffu, true),
	SCENARIO(wscale_rst_in_window, CISN, SISN, false),
	SCENARIO(wscale_one_sided, CISN, SISN, false),
	SCENARIO(wscale_not_on_syn, CISN, SISN, false),
	SCENARIO(tfo, CISN, SISN, false),
	SCENARIO(tfo_data_refused, CISN, SISN, false),
	SCENARIO(time_wait_reuse, CISN, SISN, true),
	SCENARIO(time_wait_reuse_server, CISN, SISN, true),
	SCENARIO(refused_reuse, CISN, SISN, false),
	SCENARIO(time_wait_fin_again, CISN, SISN, true),
	SCENARIO(last_ack_lost, CISN, SISN, true),
	SCENARIO(server_cannot_open, CISN, SISN, false),
};

/*
 * Invalid segments from a remote sender: they move nobody. (From a local
 * socket the sender moves: tcpsm_fsm_local_sender_invalid.)
 */
static const struct scenario remote_scenarios[] = {
	SCENARIO(last_ack_lost_bad_ack, CISN, SISN, true),
	SCENARIO(bad_acks, CISN, SISN, false),
};

static void scenario_desc(const struct scenario *sc, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", sc->name);
}

KUNIT_ARRAY_PARAM(scenario, scenarios, scenario_desc);
KUNIT_ARRAY_PARAM(remote_scenario, remote_scenarios, scenario_desc);

static void run_steps(struct kunit *test, struct tcpsm_fsm *fsm, const struct scenario *sc,
		      const struct sc_step *steps, unsigned int n, u8 obs)
{
	struct obs_result res;
	unsigned int i;
	int b;

	for (i = 0; i < n; i++) {
		const struct sc_step *st = &steps[i];
		struct tcpsm_seg seg = mkseg(st->from, st->flags, sc->isn[st->from] + st->seq,
					     sc->isn[!st->from] + st->ack, st->len);

		if (st->win)
			seg.win = st->win == WIN_ZERO ? 0 : st->win;
		if (st->ws)
			seg.wscale = st->ws - 1;
		observe(fsm, seg, obs, &res);
		KUNIT_EXPECT_EQ_MSG(test, fsm->end[TCPSM_ROLE_CLIENT].state, st->client,
				    "step %u: client %s, expected %s", i,
				    tcpsm_state_name(fsm->end[TCPSM_ROLE_CLIENT].state),
				    tcpsm_state_name(st->client));
		KUNIT_EXPECT_EQ_MSG(test, fsm->end[TCPSM_ROLE_SERVER].state, st->server,
				    "step %u: server %s, expected %s", i,
				    tcpsm_state_name(fsm->end[TCPSM_ROLE_SERVER].state),
				    tcpsm_state_name(st->server));
		KUNIT_EXPECT_EQ_MSG(test, res.events & ~TCPSM_EV_TRANSITION, st->events,
				    "step %u: events", i);
		KUNIT_EXPECT_EQ_MSG(test, res.invalid, st->invalid, "step %u: invalid", i);
		for (b = 0; b < 16; b++)
			if ((EV_ONCE & st->events) & (1u << b))
				KUNIT_EXPECT_EQ_MSG(test, sightings(&res, 1u << b), 1,
						    "step %u: event %#x not reported once",
						    i, 1u << b);
		KUNIT_EXPECT_TRUE_MSG(test, tcpsm_fsm_reachable(st->client, st->server),
				      "step %u: unreachable", i);
	}
}

static void run_scenario(struct kunit *test, u8 obs)
{
	const struct scenario *sc = test->param_value;
	struct tcpsm_fsm fsm;

	tcpsm_fsm_init(&fsm);
	if (sc->handshake)
		run_steps(test, &fsm, sc, handshake_steps, ARRAY_SIZE(handshake_steps), obs);
	run_steps(test, &fsm, sc, sc->steps, sc->n, obs);
}

/* Each segment stepped twice: LOCAL_OUT moves its sender, LOCAL_IN its receiver. */
static void tcpsm_fsm_scenario_loopback(struct kunit *test)
{
	run_scenario(test, OBS_LOOPBACK);
}

/* Each segment stepped once, moving both. */
static void tcpsm_fsm_scenario_remote(struct kunit *test)
{
	run_scenario(test, OBS_REMOTE);
}

static void tcpsm_fsm_scenario_remote_invalid(struct kunit *test)
{
	run_scenario(test, OBS_REMOTE);
}

/*
 * A segment its receiver rejects, seen leaving a local socket (LOCAL_OUT):
 * the sender moves, since its stack sent it, and learns nothing from an ACK
 * of what was never sent; the receiver, at LOCAL_IN, stays.
 */
static void tcpsm_fsm_local_sender_invalid(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	established(&fsm, OBS_LOOPBACK);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 500, 0,
	      TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_ACK);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].rcv_nxt, SISN + 1);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 500, 0, TCPSM_MOVE_RECEIVER, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_ACK);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED);
}

/*
 * Over loopback both SYNs leave before either arrives (LOCAL_OUT, LOCAL_OUT,
 * LOCAL_IN, LOCAL_IN), then both SYN+ACKs.
 */
static void tcpsm_fsm_simultaneous_open_crossing(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	tcpsm_fsm_init(&fsm);
	step1(&fsm, C2S, FL_S, CISN, 0, 0, TCPSM_MOVE_SENDER, &v);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_CLOSED);
	step1(&fsm, S2C, FL_S, SISN, 0, 0, TCPSM_MOVE_SENDER, &v);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_SYN_SENT);
	step1(&fsm, C2S, FL_S, CISN, 0, 0, TCPSM_MOVE_RECEIVER, &v);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_SYN_RCVD);
	step1(&fsm, S2C, FL_S, SISN, 0, 0, TCPSM_MOVE_RECEIVER, &v);
	expect_states(test, &fsm, TCPSM_SYN_RCVD, TCPSM_SYN_RCVD);
	step1(&fsm, C2S, FL_SA, CISN, SISN + 1, 0, TCPSM_MOVE_SENDER, &v);
	step1(&fsm, S2C, FL_SA, SISN, CISN + 1, 0, TCPSM_MOVE_SENDER, &v);
	KUNIT_EXPECT_FALSE(test, v.events & TCPSM_EV_RETRANS);
	expect_states(test, &fsm, TCPSM_SYN_RCVD, TCPSM_SYN_RCVD);
	step1(&fsm, C2S, FL_SA, CISN, SISN + 1, 0, TCPSM_MOVE_RECEIVER, &v);
	expect_states(test, &fsm, TCPSM_SYN_RCVD, TCPSM_ESTABLISHED);
	step1(&fsm, S2C, FL_SA, SISN, CISN + 1, 0, TCPSM_MOVE_RECEIVER, &v);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
}

/* Over loopback both FINs leave before either arrives: CLOSING, CLOSING. */
static void tcpsm_fsm_simultaneous_close(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;
	struct obs_result res;

	established(&fsm, OBS_LOOPBACK);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 1, 0, TCPSM_MOVE_SENDER, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED);
	step1(&fsm, S2C, FL_FA, SISN + 1, CISN + 1, 0, TCPSM_MOVE_SENDER, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_FIN_WAIT_1);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 1, 0, TCPSM_MOVE_RECEIVER, &v);
	KUNIT_EXPECT_EQ(test, v.kind, TCPSM_K_FIN);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_CLOSING);
	step1(&fsm, S2C, FL_FA, SISN + 1, CISN + 1, 0, TCPSM_MOVE_RECEIVER, &v);
	expect_states(test, &fsm, TCPSM_CLOSING, TCPSM_CLOSING);
	observe(&fsm, mkseg(C2S, FL_A, CISN + 2, SISN + 2, 0), OBS_LOOPBACK, &res);
	KUNIT_EXPECT_EQ(test, res.kind, TCPSM_K_ACKFIN);
	expect_states(test, &fsm, TCPSM_CLOSING, TCPSM_TIME_WAIT);
	observe(&fsm, mkseg(S2C, FL_A, SISN + 2, CISN + 2, 0), OBS_LOOPBACK, &res);
	expect_states(test, &fsm, TCPSM_TIME_WAIT, TCPSM_TIME_WAIT);
}

/* Between LOCAL_OUT and LOCAL_IN the segment is in flight. */
static void tcpsm_fsm_loopback_in_flight(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	established(&fsm, OBS_LOOPBACK);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 1, 0, TCPSM_MOVE_SENDER, &v);
	KUNIT_EXPECT_EQ(test, v.old_state[TCPSM_ROLE_CLIENT], TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, v.new_state[TCPSM_ROLE_CLIENT], TCPSM_FIN_WAIT_1);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_TRANSITION);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 1, 0, TCPSM_MOVE_RECEIVER, &v);
	KUNIT_EXPECT_EQ(test, v.old_state[TCPSM_ROLE_SERVER], TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, v.new_state[TCPSM_ROLE_SERVER], TCPSM_CLOSE_WAIT);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].fin_seq, CISN + 1);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].snd_nxt, CISN + 2);
}

/*
 * A receiver's sighting of a segment its sender was not seen sending (over
 * loopback: one injected at LOCAL_IN, never through the sender's LOCAL_OUT)
 * moves its receiver if it takes it, and never its sender: the local socket
 * did not send it.
 */
static void tcpsm_fsm_receiver_sighting_leaves_sender(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	established(&fsm, OBS_REMOTE);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 1, 0, TCPSM_MOVE_RECEIVER, &v);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].snd_nxt, CISN + 1);
	KUNIT_EXPECT_FALSE(test, fsm.end[TCPSM_ROLE_CLIENT].flags & TCPSM_END_FIN_SENT);
	/* and a sighting that moves nobody changes nothing */
	step1(&fsm, S2C, FL_FA, SISN + 1, CISN + 1, 0, 0, &v);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_CLOSE_WAIT);
}

static struct kunit_case tcpsm_fsm_scenario_cases[] = {
	KUNIT_CASE_PARAM(tcpsm_fsm_scenario_loopback, scenario_gen_params),
	KUNIT_CASE_PARAM(tcpsm_fsm_scenario_remote, scenario_gen_params),
	KUNIT_CASE_PARAM(tcpsm_fsm_scenario_remote_invalid, remote_scenario_gen_params),
	KUNIT_CASE(tcpsm_fsm_local_sender_invalid),
	KUNIT_CASE(tcpsm_fsm_simultaneous_open_crossing),
	KUNIT_CASE(tcpsm_fsm_simultaneous_close),
	KUNIT_CASE(tcpsm_fsm_loopback_in_flight),
	KUNIT_CASE(tcpsm_fsm_receiver_sighting_leaves_sender),
	{}
};

static struct kunit_suite tcpsm_fsm_scenario_suite = {
	.name = "tcpsm_fsm_scenario",
	.test_cases = tcpsm_fsm_scenario_cases,
};

/* ---- tcpsm_fsm ---------------------------------------------------------- */

static const u8 obs_modes[] = { OBS_LOOPBACK, OBS_REMOTE };

static void obs_desc(const u8 *obs, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", obs_names[*obs]);
}

KUNIT_ARRAY_PARAM(obs, obs_modes, obs_desc);

static void tcpsm_fsm_seq_arithmetic(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_before(2, 2));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_before(3, 2));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_before(0xffffffffu, 0));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_before(0xfffffff0u, 0x10));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_after(0, 0xffffffffu));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_after(0xffffffffu, 0));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_after(7, 7));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_after(0x80000000u, 1));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_after(0x80000002u, 1));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_in(5, 5, 6));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_in(6, 5, 6));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_in(4, 5, 6));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_in(5, 5, 5));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_in(0xfffffff0u, 0xfffffff0u, 0x10));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_in(0, 0xfffffff0u, 0x10));
	KUNIT_EXPECT_TRUE(test, tcpsm_seq_in(0xf, 0xfffffff0u, 0x10));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_in(0x10, 0xfffffff0u, 0x10));
	KUNIT_EXPECT_FALSE(test, tcpsm_seq_in(0xffffffefu, 0xfffffff0u, 0x10));
}

static void tcpsm_fsm_state_names(struct kunit *test)
{
	static const char *const names[] = {
		"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
		"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
	};
	static const char *const kinds[] = {
		"syn", "synack", "fin", "finack", "ack", "acksyn", "ackfin", "rst", "none",
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(names), __TCPSM_STATE_MAX);
	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(kinds), __TCPSM_K_MAX);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_STREQ(test, tcpsm_state_name(i), names[i]);
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		KUNIT_EXPECT_STREQ(test, tcpsm_kind_name(i), kinds[i]);
	KUNIT_EXPECT_STREQ(test, tcpsm_state_name(__TCPSM_STATE_MAX), "?");
	KUNIT_EXPECT_STREQ(test, tcpsm_state_name(255), "?");
	KUNIT_EXPECT_STREQ(test, tcpsm_kind_name(__TCPSM_K_MAX), "?");
}

static void tcpsm_fsm_init_closed(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	int i;

	memset(&fsm, 0xa5, sizeof(fsm));
	tcpsm_fsm_init(&fsm);
	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		KUNIT_EXPECT_EQ(test, fsm.end[i].state, TCPSM_CLOSED);
		KUNIT_EXPECT_EQ(test, fsm.end[i].flags, 0);
		KUNIT_EXPECT_EQ(test, fsm.end[i].wscale, TCPSM_NO_WSCALE);
		KUNIT_EXPECT_EQ(test, fsm.end[i].ka_unanswered, 0);
		KUNIT_EXPECT_EQ(test, fsm.end[i].ka_probes, 0);
		KUNIT_EXPECT_EQ(test, fsm.end[i].zw_probes, 0);
	}
}

static void tcpsm_fsm_expire_closes(struct kunit *test)
{
	struct tcpsm_fsm fsm;

	established(&fsm, OBS_REMOTE);
	tcpsm_fsm_expire(&fsm, TCPSM_ROLE_SERVER);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_CLOSED);
	tcpsm_fsm_expire(&fsm, __TCPSM_ROLE_MAX);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_CLOSED);
	tcpsm_fsm_expire(&fsm, TCPSM_ROLE_CLIENT);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_CLOSED);
}

/* Impossible flags: invalid, and the machine is left exactly as it was. */
static void tcpsm_fsm_invalid_flags(struct kunit *test)
{
	static const u8 bad[] = {
		TCPSM_SYN | TCPSM_FIN, TCPSM_SYN | TCPSM_RST, TCPSM_SYN | TCPSM_FIN | TCPSM_RST,
		TCPSM_SYN | TCPSM_RST | TCPSM_ACK, 0, TCPSM_FIN, TCPSM_PSH, TCPSM_URG,
		TCPSM_FIN | TCPSM_PSH | TCPSM_URG,
	};
	struct tcpsm_fsm fsm, before;
	struct tcpsm_verdict v;
	unsigned int i;

	established(&fsm, OBS_REMOTE);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		before = fsm;
		step1(&fsm, C2S, bad[i], CISN + 1, SISN + 1, 10, TCPSM_MOVE_BOTH, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.events, TCPSM_EV_INVALID, "flags %#x", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, v.invalid, TCPSM_INV_FLAGS, "flags %#x", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, v.kind, TCPSM_K_NONE, "flags %#x", bad[i]);
		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(&fsm, &before, sizeof(fsm)),
				      "flags %#x changed the machine", bad[i]);
	}
}

/* Any invalid segment leaves the machine as it was. */
static void tcpsm_fsm_invalid_changes_nothing(struct kunit *test)
{
	struct tcpsm_fsm fsm, before;
	struct tcpsm_verdict v;

	established(&fsm, OBS_REMOTE);
	before = fsm;
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 500, 100, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_ACK);
	KUNIT_EXPECT_TRUE(test, !memcmp(&fsm, &before, sizeof(fsm)));
	step1(&fsm, S2C, FL_S, SISN, 0, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_STATE);
	KUNIT_EXPECT_TRUE(test, !memcmp(&fsm, &before, sizeof(fsm)));
}

/*
 * Keepalive (tcp_xmit_probe_skb(): snd_una - 1, no data): counted once per
 * probe, unanswered until an ACK of all the prober sent reaches it.
 */
static void tcpsm_fsm_keepalive(struct kunit *test)
{
	const u8 *obs = test->param_value;
	struct tcpsm_end *c;
	struct tcpsm_fsm fsm;
	struct obs_result res;

	established(&fsm, *obs);
	c = &fsm.end[TCPSM_ROLE_CLIENT];
	/* at snd_una - 1: a duplicate to its receiver, which acks it */
	observe(&fsm, mkseg(C2S, FL_A, CISN, SISN + 1, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_KA_PROBE | TCPSM_EV_OLD);
	KUNIT_EXPECT_EQ(test, sightings(&res, TCPSM_EV_KA_PROBE), 1);
	KUNIT_EXPECT_EQ(test, c->ka_probes, 1);
	KUNIT_EXPECT_EQ(test, c->ka_unanswered, 1);
	/* one byte of old data is a probe too, and no retransmission */
	observe(&fsm, mkseg(C2S, FL_A, CISN, SISN + 1, 1), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_KA_PROBE);
	KUNIT_EXPECT_EQ(test, c->ka_probes, 2);
	KUNIT_EXPECT_EQ(test, c->ka_unanswered, 2);
	/* an old ACK from the peer answers nothing */
	observe(&fsm, mkseg(S2C, FL_A, SISN + 1, CISN, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, 0);
	KUNIT_EXPECT_EQ(test, c->ka_unanswered, 2);
	observe(&fsm, mkseg(S2C, FL_A, SISN + 1, CISN + 1, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_KA_ANSWERED);
	KUNIT_EXPECT_EQ(test, c->ka_unanswered, 0);
	KUNIT_EXPECT_EQ(test, c->ka_probes, 2);
	KUNIT_EXPECT_EQ(test, c->zw_probes, 0);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
}

/* Like icsk_probes_out, the count drops when the answer reaches the prober. */
static void tcpsm_fsm_keepalive_answered_on_arrival(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;
	struct obs_result res;

	established(&fsm, OBS_LOOPBACK);
	observe(&fsm, mkseg(C2S, FL_A, CISN, SISN + 1, 0), OBS_LOOPBACK, &res);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].ka_unanswered, 1);
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 1, 0, TCPSM_MOVE_SENDER, &v);
	KUNIT_EXPECT_EQ(test, v.events, 0);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].ka_unanswered, 1);
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 1, 0, TCPSM_MOVE_RECEIVER, &v);
	KUNIT_EXPECT_EQ(test, v.events, TCPSM_EV_KA_ANSWERED);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].ka_unanswered, 0);
}

/* The same probe against a zero window is a zero-window probe. */
static void tcpsm_fsm_zero_window_probe(struct kunit *test)
{
	const u8 *obs = test->param_value;
	struct tcpsm_seg seg;
	struct tcpsm_end *c;
	struct tcpsm_fsm fsm;
	struct obs_result res;

	established(&fsm, *obs);
	c = &fsm.end[TCPSM_ROLE_CLIENT];
	observe(&fsm, mkseg(C2S, FL_A, CISN + 1, SISN + 1, 100), *obs, &res);
	seg = mkseg(S2C, FL_A, SISN + 1, CISN + 101, 0);
	seg.win = 0;
	observe(&fsm, seg, *obs, &res);
	observe(&fsm, mkseg(C2S, FL_A, CISN + 100, SISN + 1, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_ZW_PROBE | TCPSM_EV_OLD);
	observe(&fsm, mkseg(C2S, FL_A, CISN + 100, SISN + 1, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_ZW_PROBE | TCPSM_EV_OLD);
	KUNIT_EXPECT_EQ(test, sightings(&res, TCPSM_EV_ZW_PROBE), 1);
	KUNIT_EXPECT_EQ(test, c->zw_probes, 2);
	KUNIT_EXPECT_EQ(test, c->ka_probes, 0);
	KUNIT_EXPECT_EQ(test, c->ka_unanswered, 0);
	/* the window opens: the same shape is a keepalive again */
	seg.win = WIN;
	observe(&fsm, seg, *obs, &res);
	observe(&fsm, mkseg(C2S, FL_A, CISN + 100, SISN + 1, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_KA_PROBE | TCPSM_EV_OLD);
	KUNIT_EXPECT_EQ(test, c->zw_probes, 2);
	KUNIT_EXPECT_EQ(test, c->ka_probes, 1);
}

/* First seen mid-stream: both ESTABLISHED, lenient about what was missed. */
static void tcpsm_fsm_pickup_established(struct kunit *test)
{
	const u8 *obs = test->param_value;
	struct tcpsm_seg seg = mkseg(C2S, FL_A, 70000, 90000, 100);
	struct tcpsm_fsm fsm;
	struct obs_result res;

	tcpsm_fsm_pickup(&fsm, &seg);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	observe(&fsm, seg, *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, 0);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].snd_nxt, 70100);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_SERVER].snd_nxt, 90000);
	/* data the server sent before we looked is acked: no invalid ack */
	observe(&fsm, mkseg(C2S, FL_A, 70100, 95000, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, 0);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_SERVER].snd_nxt, 95000);
	/* earlier data again is a retransmission */
	observe(&fsm, mkseg(C2S, FL_A, 70000, 95000, 100), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_RETRANS);
	/* a RST at the server's next sequence number resets the client */
	observe(&fsm, mkseg(S2C, FL_R, 95000, 0, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events & ~TCPSM_EV_TRANSITION,
			TCPSM_EV_RST_ACCEPTED | TCPSM_EV_ABORT);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_CLOSED);
}

/* Picked up on a FIN: established, then the FIN applies. */
static void tcpsm_fsm_pickup_fin(struct kunit *test)
{
	const u8 *obs = test->param_value;
	struct tcpsm_seg seg = mkseg(S2C, FL_FA, 70000, 90000, 0);
	struct tcpsm_fsm fsm;
	struct obs_result res;

	tcpsm_fsm_pickup(&fsm, &seg);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	observe(&fsm, seg, *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_TRANSITION);
	expect_states(test, &fsm, TCPSM_CLOSE_WAIT, TCPSM_FIN_WAIT_1);
	observe(&fsm, mkseg(C2S, FL_FA, 90000, 70001, 0), *obs, &res);
	expect_states(test, &fsm, TCPSM_LAST_ACK, TCPSM_TIME_WAIT);
	observe(&fsm, mkseg(S2C, FL_A, 70001, 90001, 0), *obs, &res);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_TIME_WAIT);
}

/* Picked up on a SYN+ACK: the client's SYN is inferred, the handshake ends. */
static void tcpsm_fsm_pickup_synack(struct kunit *test)
{
	const u8 *obs = test->param_value;
	struct tcpsm_seg seg = mkseg(S2C, FL_SA, SISN, CISN + 1, 0);
	struct tcpsm_fsm fsm;
	struct obs_result res;

	tcpsm_fsm_pickup(&fsm, &seg);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_LISTEN);
	observe(&fsm, seg, *obs, &res);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_SYN_RCVD);
	observe(&fsm, mkseg(C2S, FL_A, CISN + 1, SISN + 1, 0), *obs, &res);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_TRANSITION);
}

/* Picked up on a RST or a bare SYN: nothing to infer, both CLOSED. */
static void tcpsm_fsm_pickup_nothing(struct kunit *test)
{
	struct tcpsm_seg rst = mkseg(C2S, FL_RA, 70000, 90000, 0);
	struct tcpsm_seg syn = mkseg(C2S, FL_S, CISN, 0, 0);
	struct tcpsm_fsm fsm;
	struct obs_result res;

	tcpsm_fsm_pickup(&fsm, &rst);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_CLOSED);
	observe(&fsm, rst, OBS_REMOTE, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_RST_IGNORED);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_CLOSED);
	tcpsm_fsm_pickup(&fsm, &syn);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_CLOSED);
	observe(&fsm, syn, OBS_REMOTE, &res);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_LISTEN);
}

/* An idle connection picked up on a keepalive: probes found once answered. */
static void tcpsm_fsm_pickup_keepalive(struct kunit *test)
{
	const u8 *obs = test->param_value;
	struct tcpsm_seg probe = mkseg(C2S, FL_A, 69999, 90000, 0);
	struct tcpsm_fsm fsm;
	struct obs_result res;

	tcpsm_fsm_pickup(&fsm, &probe);
	observe(&fsm, probe, *obs, &res);
	observe(&fsm, mkseg(S2C, FL_A, 90000, 70000, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, 0);
	observe(&fsm, probe, *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_KA_PROBE | TCPSM_EV_OLD);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].ka_unanswered, 1);
	observe(&fsm, mkseg(S2C, FL_A, 90000, 70000, 0), *obs, &res);
	KUNIT_EXPECT_EQ(test, res.events, TCPSM_EV_KA_ANSWERED);
}

static void tcpsm_fsm_reachable_pairs(struct kunit *test)
{
	u8 s;

	for (s = 0; s < __TCPSM_STATE_MAX; s++)
		KUNIT_EXPECT_FALSE_MSG(test, tcpsm_fsm_reachable(TCPSM_LISTEN, s),
				       "client LISTEN with %s", tcpsm_state_name(s));
	for (s = 0; s < __TCPSM_STATE_MAX; s++) {
		if (s != TCPSM_LISTEN)
			KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(s, TCPSM_CLOSED));
		KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_CLOSED, s));
	}
	KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_SYN_SENT, TCPSM_LISTEN));
	KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_ESTABLISHED, TCPSM_SYN_RCVD));
	KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_ESTABLISHED, TCPSM_ESTABLISHED));
	KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED));
	KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_FIN_WAIT_2, TCPSM_CLOSE_WAIT));
	KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_TIME_WAIT, TCPSM_LAST_ACK));
	KUNIT_EXPECT_TRUE(test, tcpsm_fsm_reachable(TCPSM_CLOSING, TCPSM_CLOSING));
	KUNIT_EXPECT_FALSE(test, tcpsm_fsm_reachable(TCPSM_TIME_WAIT, TCPSM_SYN_SENT));
	KUNIT_EXPECT_FALSE(test, tcpsm_fsm_reachable(TCPSM_TIME_WAIT, TCPSM_ESTABLISHED));
	KUNIT_EXPECT_FALSE(test, tcpsm_fsm_reachable(TCPSM_ESTABLISHED, TCPSM_TIME_WAIT));
	KUNIT_EXPECT_FALSE(test, tcpsm_fsm_reachable(TCPSM_ESTABLISHED, TCPSM_CLOSE_WAIT));
	KUNIT_EXPECT_FALSE(test, tcpsm_fsm_reachable(TCPSM_SYN_SENT, TCPSM_TIME_WAIT));
	KUNIT_EXPECT_FALSE(test, tcpsm_fsm_reachable(__TCPSM_STATE_MAX, TCPSM_CLOSED));
	KUNIT_EXPECT_FALSE(test, tcpsm_fsm_reachable(TCPSM_CLOSED, 255));
}

struct prng {
	u32 x;
};

static u32 prng_next(struct prng *p)
{
	p->x ^= p->x << 13;
	p->x ^= p->x >> 17;
	p->x ^= p->x << 5;
	return p->x;
}

/*
 * Random segments, of every kind and observed every way, with sequence
 * numbers near what the endpoints sent and acked, and random timer expiries:
 * every step must leave the endpoints in a reachable pair of states.
 */
static void tcpsm_fsm_random_walks_stay_reachable(struct kunit *test)
{
	static const u8 flags[] = {
		FL_S, FL_SA, FL_A, FL_A | TCPSM_PSH, FL_FA, FL_R, FL_RA, TCPSM_FIN,
		TCPSM_SYN | TCPSM_FIN, 0,
	};
	static const u32 lens[] = { 0, 0, 1, 100 };
	static const u16 wins[] = { 0, 1000, 65535 };
	static const u8 wscales[] = { TCPSM_NO_WSCALE, 0, 7, 14 };
	struct prng p = { .x = 0x2545f491 };
	unsigned int walk, n, steps;

	for (walk = 0; walk < 4000; walk++) {
		struct tcpsm_fsm fsm;
		u32 base = prng_next(&p) % 3 ? prng_next(&p) : 0xfffffff0u;

		tcpsm_fsm_init(&fsm);
		steps = 1 + prng_next(&p) % 40;
		for (n = 0; n < steps; n++) {
			u8 from = prng_next(&p) & 1;
			const struct tcpsm_end *s = &fsm.end[from], *r = &fsm.end[!from];
			const u32 seqs[] = {
				s->snd_nxt, s->snd_nxt - 1, s->isn, s->fin_seq, s->snd_nxt + 1000,
				base, base + 1, prng_next(&p),
			};
			const u32 acks[] = {
				r->snd_nxt, r->isn + 1, r->fin_seq + 1, r->fin_seq, r->snd_una,
				base + 1, prng_next(&p),
			};
			struct tcpsm_seg seg;
			struct tcpsm_verdict v;
			u8 c, sv;

			seg = mkseg(from, flags[prng_next(&p) % ARRAY_SIZE(flags)],
				    seqs[prng_next(&p) % ARRAY_SIZE(seqs)], 0,
				    lens[prng_next(&p) % ARRAY_SIZE(lens)]);
			/* with or without ACK, the field holds something */
			seg.ack = acks[prng_next(&p) % ARRAY_SIZE(acks)];
			seg.win = wins[prng_next(&p) % ARRAY_SIZE(wins)];
			seg.wscale = wscales[prng_next(&p) % ARRAY_SIZE(wscales)];
			seg.move = 1 + prng_next(&p) % 3;
			if (prng_next(&p) % 16 == 0)
				tcpsm_fsm_expire(&fsm, prng_next(&p) & 1);
			else if (n == 0 && prng_next(&p) % 4 == 0)
				tcpsm_fsm_pickup(&fsm, &seg);
			c = fsm.end[TCPSM_ROLE_CLIENT].state;
			sv = fsm.end[TCPSM_ROLE_SERVER].state;
			/* a receiver's sighting follows its sender's, as over loopback */
			if (seg.move == TCPSM_MOVE_RECEIVER) {
				struct tcpsm_seg out = seg;

				out.move = TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL;
				tcpsm_fsm_step(&fsm, &out, &v);
			}
			tcpsm_fsm_step(&fsm, &seg, &v);
			KUNIT_ASSERT_LT(test, fsm.end[0].state, __TCPSM_STATE_MAX);
			KUNIT_ASSERT_LT(test, fsm.end[1].state, __TCPSM_STATE_MAX);
			if (!tcpsm_fsm_reachable(fsm.end[0].state, fsm.end[1].state)) {
				KUNIT_FAIL(test,
					   "walk %u step %u: %s/%s -> %s/%s by %s from %s, move %u",
					   walk, n, tcpsm_state_name(c), tcpsm_state_name(sv),
					   tcpsm_state_name(fsm.end[0].state),
					   tcpsm_state_name(fsm.end[1].state),
					   tcpsm_kind_name(v.kind), from ? "server" : "client",
					   seg.move);
				return;
			}
		}
	}
}

static struct kunit_case tcpsm_fsm_cases[] = {
	KUNIT_CASE(tcpsm_fsm_seq_arithmetic),
	KUNIT_CASE(tcpsm_fsm_state_names),
	KUNIT_CASE(tcpsm_fsm_init_closed),
	KUNIT_CASE(tcpsm_fsm_expire_closes),
	KUNIT_CASE(tcpsm_fsm_invalid_flags),
	KUNIT_CASE(tcpsm_fsm_invalid_changes_nothing),
	KUNIT_CASE_PARAM(tcpsm_fsm_keepalive, obs_gen_params),
	KUNIT_CASE(tcpsm_fsm_keepalive_answered_on_arrival),
	KUNIT_CASE_PARAM(tcpsm_fsm_zero_window_probe, obs_gen_params),
	KUNIT_CASE_PARAM(tcpsm_fsm_pickup_established, obs_gen_params),
	KUNIT_CASE_PARAM(tcpsm_fsm_pickup_fin, obs_gen_params),
	KUNIT_CASE_PARAM(tcpsm_fsm_pickup_synack, obs_gen_params),
	KUNIT_CASE(tcpsm_fsm_pickup_nothing),
	KUNIT_CASE_PARAM(tcpsm_fsm_pickup_keepalive, obs_gen_params),
	KUNIT_CASE(tcpsm_fsm_reachable_pairs),
	KUNIT_CASE(tcpsm_fsm_random_walks_stay_reachable),
	{}
};

static struct kunit_suite tcpsm_fsm_suite = {
	.name = "tcpsm_fsm",
	.test_cases = tcpsm_fsm_cases,
};

/* ---- tcpsm_fsm_accept --------------------------------------------------- */

/*
 * Acceptability: each segment judged as its receiving TCP judges it (RFC
 * 9293 3.10.7.4, RFC 5961, Linux's tcp_sequence(), tcp_validate_incoming(),
 * tcp_timewait_state_process()). One segment each, seen remotely (moving
 * both endpoints), on a connection set up by the case.
 */

enum accept_setup {
	AS_ESTABLISHED,	/* handshake, windows of 1000, nothing sent */
	AS_DATA,	/* and 100 bytes from the client, acked */
	AS_UNACKED,	/* and 1 more byte from the client, not acked */
	AS_WSCALE,	/* handshake with window scale 7 both ways */
	AS_ZERO_WIN,	/* AS_DATA, then the server's window closed */
};

struct accept_case {
	const char *name;
	u8 setup;
	u8 flags;	/* the client's segment */
	s32 seq;	/* relative to the server's rcv_nxt */
	u32 len;
	u8 server;	/* its state after */
	u16 events;	/* set among TCPSM_EV_RETRANS ... TCPSM_EV_OLD */
	u8 invalid;
	s32 rcv_adv;	/* how far the server's rcv_nxt moved */
};

#define ACCEPT_EVENTS	(TCPSM_EV_RETRANS | TCPSM_EV_KA_PROBE | TCPSM_EV_ZW_PROBE | \
			 TCPSM_EV_INVALID | TCPSM_EV_OLD)

#define ACC(n, st, fl, sq, ln, srv, ev, inv, adv) {				\
	.name = n, .setup = AS_##st, .flags = fl, .seq = sq, .len = ln,		\
	.server = TCPSM_##srv, .events = ev, .invalid = TCPSM_INV_##inv,	\
	.rcv_adv = adv }

static const struct accept_case accept_cases[] = {
	ACC("data at rcv_nxt taken", ESTABLISHED, FL_A, 0, 100, ESTABLISHED, 0, NONE, 100),
	ACC("data beyond a hole held", ESTABLISHED, FL_A, 500, 100, ESTABLISHED, 0, NONE, 0),
	ACC("data at the window's edge taken", ESTABLISHED, FL_A, 1000, 1, ESTABLISHED,
	    0, NONE, 0),
	ACC("data right of the window invalid", ESTABLISHED, FL_A, 1001, 100, ESTABLISHED,
	    TCPSM_EV_INVALID, SEQ, 0),
	ACC("data a window left of rcv_nxt invalid", DATA, FL_A, -70000, 100, ESTABLISHED,
	    TCPSM_EV_INVALID, SEQ, 0),
	ACC("retransmission up to rcv_nxt, ACK taken", DATA, FL_A, -100, 100, ESTABLISHED,
	    TCPSM_EV_RETRANS, NONE, 0),
	ACC("retransmission below what was acked old", DATA, FL_A, -150, 100, ESTABLISHED,
	    TCPSM_EV_RETRANS | TCPSM_EV_OLD, NONE, 0),
	ACC("retransmission overlapping rcv_nxt taken", DATA, FL_A, -50, 100, ESTABLISHED,
	    TCPSM_EV_RETRANS, NONE, 50),
	ACC("50000 ahead in a window scaled by 7", WSCALE, FL_A, 50000, 10, ESTABLISHED,
	    0, NONE, 0),
	ACC("50000 ahead in an unscaled window invalid", ESTABLISHED, FL_A, 50000, 10,
	    ESTABLISHED, TCPSM_EV_INVALID, SEQ, 0),
	ACC("probe into a zero window taken", ZERO_WIN, FL_A, 0, 1, ESTABLISHED, 0, NONE, 1),
	ACC("zero-window probe at snd_una - 1", ZERO_WIN, FL_A, -1, 0, ESTABLISHED,
	    TCPSM_EV_ZW_PROBE | TCPSM_EV_OLD, NONE, 0),
	ACC("keepalive at snd_nxt - 1, all acked", DATA, FL_A, -1, 0, ESTABLISHED,
	    TCPSM_EV_KA_PROBE | TCPSM_EV_OLD, NONE, 0),
	ACC("1-byte keepalive at snd_nxt - 1, all acked", DATA, FL_A, -1, 1, ESTABLISHED,
	    TCPSM_EV_KA_PROBE, NONE, 0),
	ACC("same shape, a byte unacked: retransmission", UNACKED, FL_A, -1, 1, ESTABLISHED,
	    TCPSM_EV_RETRANS, NONE, 0),
	ACC("FIN in order", DATA, FL_FA, 0, 0, CLOSE_WAIT, 0, NONE, 1),
	ACC("FIN after a hole waits", DATA, FL_FA, 100, 0, ESTABLISHED, 0, NONE, 0),
	ACC("FIN right of the window invalid", DATA, FL_FA, 0x40000000, 0, ESTABLISHED,
	    TCPSM_EV_INVALID, SEQ, 0),
	ACC("FIN left of the window invalid", DATA, FL_FA, -0x40000000, 0, ESTABLISHED,
	    TCPSM_EV_INVALID, SEQ, 0),
};

static void accept_desc(const struct accept_case *ac, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", ac->name);
}

KUNIT_ARRAY_PARAM(accept, accept_cases, accept_desc);

/* A connection set up as @setup says, seen remotely. */
static void accept_setup(struct tcpsm_fsm *fsm, u8 setup)
{
	struct tcpsm_seg seg;
	struct tcpsm_verdict v;

	tcpsm_fsm_init(fsm);
	seg = mkseg(C2S, FL_S, CISN, 0, 0);
	if (setup == AS_WSCALE)
		seg.wscale = 7;
	seg.move = TCPSM_MOVE_BOTH;
	tcpsm_fsm_step(fsm, &seg, &v);
	seg = mkseg(S2C, FL_SA, SISN, CISN + 1, 0);
	if (setup == AS_WSCALE)
		seg.wscale = 7;
	seg.move = TCPSM_MOVE_BOTH;
	tcpsm_fsm_step(fsm, &seg, &v);
	step1(fsm, C2S, FL_A, CISN + 1, SISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	step1(fsm, S2C, FL_A, SISN + 1, CISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	if (setup == AS_ESTABLISHED || setup == AS_WSCALE)
		return;
	step1(fsm, C2S, FL_A, CISN + 1, SISN + 1, 100, TCPSM_MOVE_BOTH, &v);
	seg = mkseg(S2C, FL_A, SISN + 1, CISN + 101, 0);
	if (setup == AS_ZERO_WIN)
		seg.win = 0;
	seg.move = TCPSM_MOVE_BOTH;
	tcpsm_fsm_step(fsm, &seg, &v);
	if (setup == AS_UNACKED)
		step1(fsm, C2S, FL_A, CISN + 101, SISN + 1, 1, TCPSM_MOVE_BOTH, &v);
}

static void tcpsm_fsm_acceptability(struct kunit *test)
{
	const struct accept_case *ac = test->param_value;
	struct tcpsm_fsm fsm, before;
	struct tcpsm_end *srv = &fsm.end[TCPSM_ROLE_SERVER];
	struct tcpsm_verdict v;
	u32 rcv_nxt;

	accept_setup(&fsm, ac->setup);
	before = fsm;
	rcv_nxt = srv->rcv_nxt;
	step1(&fsm, C2S, ac->flags, rcv_nxt + ac->seq, srv->snd_nxt, ac->len,
	      TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_EQ_MSG(test, srv->state, ac->server, "server %s, expected %s",
			    tcpsm_state_name(srv->state), tcpsm_state_name(ac->server));
	KUNIT_EXPECT_EQ(test, v.events & ACCEPT_EVENTS, ac->events);
	KUNIT_EXPECT_EQ(test, v.invalid, ac->invalid);
	KUNIT_EXPECT_EQ(test, (s32)(srv->rcv_nxt - rcv_nxt), ac->rcv_adv);
	if (ac->invalid)
		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(&fsm, &before, sizeof(fsm)),
				      "a rejected segment changed the machine");
}

/* A RST at each offset from rcv_nxt, to a receiver in each state. */
enum rst_offset { RST_EXACT, RST_BELOW, RST_IN_WINDOW, RST_BEYOND, __RST_OFFSETS };

static const char *const rst_offset_names[] = {
	[RST_EXACT] = "at rcv_nxt", [RST_BELOW] = "at rcv_nxt - 1",
	[RST_IN_WINDOW] = "in the window", [RST_BEYOND] = "beyond the window",
};

/* What the receiver does: accept (reset), challenge, ignore (and why). */
#define R_ACC	TCPSM_EV_RST_ACCEPTED
#define R_CHL	TCPSM_EV_RST_CHALLENGE
#define R_IGN	TCPSM_EV_RST_IGNORED
#define R_BAD	(TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID)

struct rst_case {
	u8 state;
	bool rfc1337;
	u16 result[__RST_OFFSETS];
};

static const struct rst_case rst_cases[] = {
	/* a request socket: anywhere in the window (tcp_check_req()) */
	{ TCPSM_SYN_RCVD, false, { R_ACC, R_BAD, R_ACC, R_BAD } },
	/* RFC 5961 3.2 */
	{ TCPSM_ESTABLISHED, false, { R_ACC, R_BAD, R_CHL, R_BAD } },
	{ TCPSM_FIN_WAIT_1, false, { R_ACC, R_BAD, R_CHL, R_BAD } },
	/* orphaned, a timewait socket: anywhere in the window */
	{ TCPSM_FIN_WAIT_2, false, { R_ACC, R_BAD, R_ACC, R_BAD } },
	/* tcp_reset_check(): the peer's FIN took rcv_nxt one further */
	{ TCPSM_CLOSE_WAIT, false, { R_ACC, R_ACC, R_CHL, R_BAD } },
	{ TCPSM_CLOSING, false, { R_ACC, R_ACC, R_CHL, R_BAD } },
	{ TCPSM_LAST_ACK, false, { R_ACC, R_ACC, R_CHL, R_BAD } },
	/* TIME_WAIT: exact kills it, unless tcp_rfc1337; nothing is challenged */
	{ TCPSM_TIME_WAIT, false, { R_ACC, R_BAD, R_IGN, R_BAD } },
	{ TCPSM_TIME_WAIT, true, { R_IGN, R_BAD, R_IGN, R_BAD } },
};

struct rst_param {
	const struct rst_case *rc;
	u8 offset;
};

static struct rst_param rst_params[ARRAY_SIZE(rst_cases) * __RST_OFFSETS];

static void rst_param_desc(const struct rst_param *rp, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "RST %s to %s%s",
		 rst_offset_names[rp->offset], tcpsm_state_name(rp->rc->state),
		 rp->rc->rfc1337 ? ", tcp_rfc1337" : "");
}

static const void *rst_gen_params(const void *prev, char *desc)
{
	const struct rst_param *rp = prev ? (const struct rst_param *)prev + 1 : rst_params;
	unsigned int i;

	if (!prev)
		for (i = 0; i < ARRAY_SIZE(rst_params); i++) {
			rst_params[i].rc = &rst_cases[i / __RST_OFFSETS];
			rst_params[i].offset = i % __RST_OFFSETS;
		}
	if (rp >= rst_params + ARRAY_SIZE(rst_params))
		return NULL;
	rst_param_desc(rp, desc);
	return rp;
}

/* The client that sends it is in the state the server's implies. */
static const u8 rst_partner[__TCPSM_STATE_MAX] = {
	[TCPSM_SYN_RCVD] = TCPSM_ESTABLISHED,
	[TCPSM_ESTABLISHED] = TCPSM_ESTABLISHED,
	[TCPSM_FIN_WAIT_1] = TCPSM_ESTABLISHED,
	[TCPSM_FIN_WAIT_2] = TCPSM_CLOSE_WAIT,
	[TCPSM_CLOSE_WAIT] = TCPSM_FIN_WAIT_2,
	[TCPSM_CLOSING] = TCPSM_CLOSING,
	[TCPSM_LAST_ACK] = TCPSM_FIN_WAIT_2,
	[TCPSM_TIME_WAIT] = TCPSM_LAST_ACK,
};

static void tcpsm_fsm_rst_acceptance(struct kunit *test)
{
	const struct rst_param *rp = test->param_value;
	u16 want = rp->rc->result[rp->offset];
	const s32 offset[__RST_OFFSETS] = { 0, -1, WIN / 2, WIN + 1 };
	struct tcpsm_fsm fsm;
	struct tcpsm_end *srv = &fsm.end[TCPSM_ROLE_SERVER];
	struct tcpsm_seg seg;
	struct tcpsm_verdict v;

	put_end(srv, rp->rc->state, SISN);
	put_end(&fsm.end[TCPSM_ROLE_CLIENT], rst_partner[rp->rc->state], CISN);
	put_ends(&fsm);
	seg = mkseg(C2S, FL_R, srv->rcv_nxt + offset[rp->offset], 0, 0);
	seg.move = TCPSM_MOVE_RECEIVER;
	if (rp->rc->rfc1337)
		seg.opts = TCPSM_SEG_RFC1337;
	tcpsm_fsm_step(&fsm, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.events & (R_ACC | R_CHL | R_BAD), want);
	KUNIT_EXPECT_EQ(test, srv->state, want == R_ACC ? TCPSM_CLOSED : rp->rc->state);
}

/* The hole before a FIN fills: the FIN takes effect then, as Linux's queue. */
static void tcpsm_fsm_fin_after_hole_filled(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	accept_setup(&fsm, AS_ESTABLISHED);
	/* 100 bytes lost, the FIN after them arrives */
	step1(&fsm, C2S, FL_FA, CISN + 101, SISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED);
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED);
	/* the data comes again: the hole is filled, the FIN is in order */
	step1(&fsm, C2S, FL_A, CISN + 1, SISN + 1, 100, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_SERVER].rcv_nxt, CISN + 102);
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 102, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_2, TCPSM_CLOSE_WAIT);
}

/* The receiver's ACK covers a FIN whose filling data tcpsm never saw. */
static void tcpsm_fsm_fin_taken_when_acked(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	accept_setup(&fsm, AS_ESTABLISHED);
	step1(&fsm, C2S, FL_FA, CISN + 101, SISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_ESTABLISHED);
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 102, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_2, TCPSM_CLOSE_WAIT);
}

/* A forged FIN far out teaches nothing: the real one still closes. */
static void tcpsm_fsm_forged_fin_teaches_nothing(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	accept_setup(&fsm, AS_ESTABLISHED);
	step1(&fsm, C2S, FL_FA, 0x80000000u, SISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_SEQ);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].snd_nxt, CISN + 1);
	step1(&fsm, C2S, FL_A, CISN + 1, SISN + 1, 10, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_FALSE(test, v.events & TCPSM_EV_RETRANS);
	step1(&fsm, C2S, FL_FA, CISN + 11, SISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_FIN_WAIT_1, TCPSM_CLOSE_WAIT);
}

/* A SYN with a new ISN restarts a handshake that did not finish. */
static void tcpsm_fsm_syn_new_isn(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	tcpsm_fsm_init(&fsm);
	step1(&fsm, C2S, FL_S, CISN, 0, 0, TCPSM_MOVE_BOTH, &v);
	step1(&fsm, C2S, FL_S, CISN + 77777, 0, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_REOPEN);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_LISTEN);
	/* the caller starts a new connection: there, it is a first SYN */
	tcpsm_fsm_init(&fsm);
	step1(&fsm, C2S, FL_S, CISN + 77777, 0, 0, TCPSM_MOVE_BOTH, &v);
	step1(&fsm, S2C, FL_SA, SISN, CISN + 77778, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_NONE);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_SYN_RCVD);
}

/*
 * Half-open after a client reboot: the new SYN is challenged, the client's
 * RST (at the challenge's ACK, the server's rcv_nxt) resets the server, and
 * the SYN sent again opens a new connection on the tuple.
 */
static void tcpsm_fsm_half_open_reboot(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	accept_setup(&fsm, AS_DATA);
	step1(&fsm, C2S, FL_S, 0x12345678u, 0, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_FALSE(test, v.events & (TCPSM_EV_REOPEN | TCPSM_EV_INVALID));
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	/* the challenge ACK, and the RST it draws */
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 101, 0, TCPSM_MOVE_BOTH, &v);
	step1(&fsm, C2S, FL_R, CISN + 101, 0, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_RST_ACCEPTED);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_SERVER].state, TCPSM_CLOSED);
	step1(&fsm, C2S, FL_S, 0x12345678u, 0, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_REOPEN);
}

/* The same seen on the client's host: its new SYN leaves a local socket. */
static void tcpsm_fsm_half_open_reboot_local(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	accept_setup(&fsm, AS_DATA);
	step1(&fsm, C2S, FL_S, 0x12345678u, 0, 0,
	      TCPSM_MOVE_BOTH | TCPSM_FROM_LOCAL, &v);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_ESTABLISHED);
	step1(&fsm, S2C, FL_A, SISN + 1, CISN + 101, 0, TCPSM_MOVE_BOTH, &v);
	/* the RST answers the challenge: the client stays SYN_SENT */
	step1(&fsm, C2S, FL_R, CISN + 101, 0, 0, TCPSM_MOVE_BOTH | TCPSM_FROM_LOCAL, &v);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_CLOSED);
	step1(&fsm, C2S, FL_S, 0x12345678u, 0, 0, TCPSM_MOVE_BOTH | TCPSM_FROM_LOCAL, &v);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_REOPEN);
}

/* TIME_WAIT: a SYN below rcv_nxt with a newer timestamp is a new one (PAWS). */
static void tcpsm_fsm_time_wait_newer_timestamp(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_seg seg;
	struct tcpsm_verdict v;

	accept_setup(&fsm, AS_ESTABLISHED);
	seg = mkseg(S2C, FL_FA, SISN + 1, CISN + 1, 0);
	seg.move = TCPSM_MOVE_BOTH;
	seg.opts = TCPSM_SEG_TS;
	seg.tsval = 1000;
	tcpsm_fsm_step(&fsm, &seg, &v);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 2, 0, TCPSM_MOVE_BOTH, &v);
	step1(&fsm, S2C, FL_A, SISN + 2, CISN + 2, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_TIME_WAIT);
	/* the client's new SYN, an ISN below the old rcv_nxt */
	seg = mkseg(C2S, FL_S, CISN - 5000, 0, 0);
	seg.move = TCPSM_MOVE_BOTH;
	tcpsm_fsm_step(&fsm, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_SEQ);
	seg.opts = TCPSM_SEG_TS;
	seg.tsval = 999;
	fsm.end[TCPSM_ROLE_CLIENT].ts_val = 1000;
	fsm.end[TCPSM_ROLE_CLIENT].flags |= TCPSM_END_TS;
	tcpsm_fsm_step(&fsm, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_SEQ);
	seg.tsval = 1001;
	tcpsm_fsm_step(&fsm, &seg, &v);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_REUSE);
}

/* TIME_WAIT restarts 2MSL on a retransmitted FIN and on any other ACK. */
static void tcpsm_fsm_time_wait_restarts(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	accept_setup(&fsm, AS_ESTABLISHED);
	step1(&fsm, C2S, FL_FA, CISN + 1, SISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	step1(&fsm, S2C, FL_FA, SISN + 1, CISN + 2, 0, TCPSM_MOVE_BOTH, &v);
	step1(&fsm, C2S, FL_A, CISN + 2, SISN + 2, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_TIME_WAIT, TCPSM_CLOSED);
	step1(&fsm, S2C, FL_A, SISN + 2, CISN + 2, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_TW_ACK);
	KUNIT_EXPECT_FALSE(test, v.events & TCPSM_EV_TW_RESTART);
	step1(&fsm, S2C, FL_A, SISN + 90000, CISN + 2, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_TRUE(test, v.events & TCPSM_EV_TW_ACK);
	step1(&fsm, S2C, FL_R, SISN + 90000, 0, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_FALSE(test, v.events & (TCPSM_EV_TW_ACK | TCPSM_EV_TW_RESTART));
	expect_states(test, &fsm, TCPSM_TIME_WAIT, TCPSM_CLOSED);
}

/*
 * A SYN+ACK that carries data and a FIN: a Fast Open client (its SYN had the
 * option or data) takes both and is in CLOSE_WAIT; any other client drops
 * them, is ESTABLISHED, and takes the FIN when it comes again.
 */
struct synack_fin_case {
	const char *name;
	u8 opts;	/* of the client's SYN */
	u32 len;	/* of the client's SYN */
	u8 state;	/* the client's, after the SYN+ACK */
	u32 rcv_nxt;	/* the client's, after the SYN+ACK, from SISN */
};

static const struct synack_fin_case synack_fin_cases[] = {
	{ "fastopen_option_takes_data_and_fin", TCPSM_SEG_FASTOPEN, 0, TCPSM_CLOSE_WAIT, 12 },
	{ "fastopen_data_takes_data_and_fin", 0, 40, TCPSM_CLOSE_WAIT, 12 },
	{ "plain_client_drops_data_and_fin", 0, 0, TCPSM_ESTABLISHED, 1 },
};

KUNIT_ARRAY_PARAM_DESC(synack_fin, synack_fin_cases, name);

static void tcpsm_fsm_synack_fin(struct kunit *test)
{
	const struct synack_fin_case *c = test->param_value;
	struct tcpsm_fsm fsm;
	struct obs_result res;
	struct tcpsm_seg syn = mkseg(C2S, FL_S, CISN, 0, c->len);

	syn.opts = c->opts;
	tcpsm_fsm_init(&fsm);
	observe(&fsm, syn, OBS_LOOPBACK, &res);
	observe(&fsm, mkseg(S2C, FL_SA | TCPSM_FIN, SISN, CISN + 1, 10), OBS_LOOPBACK, &res);
	KUNIT_EXPECT_EQ(test, res.invalid, TCPSM_INV_NONE);
	expect_states(test, &fsm, c->state, TCPSM_FIN_WAIT_1);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].rcv_nxt, SISN + c->rcv_nxt);
	/* the server sends its data and FIN again until they are acked */
	observe(&fsm, mkseg(S2C, FL_FA, SISN + 1, CISN + 1, 10), OBS_LOOPBACK, &res);
	observe(&fsm, mkseg(C2S, FL_A, CISN + 1, SISN + 12, 0), OBS_LOOPBACK, &res);
	expect_states(test, &fsm, TCPSM_CLOSE_WAIT, TCPSM_FIN_WAIT_2);
}

/*
 * Fast Open data the server did not take (its SYN+ACK acks the SYN only):
 * the client's RST at isn + 1, after it, is its abort and is taken.
 */
static void tcpsm_fsm_tfo_refused_then_rst(struct kunit *test)
{
	struct tcpsm_fsm fsm;
	struct obs_result res;

	tcpsm_fsm_init(&fsm);
	observe(&fsm, mkseg(C2S, FL_S, CISN, 0, 40), OBS_LOOPBACK, &res);
	observe(&fsm, mkseg(S2C, FL_SA, SISN, CISN + 1, 0), OBS_LOOPBACK, &res);
	observe(&fsm, mkseg(C2S, FL_A, CISN + 1, SISN + 1, 0), OBS_LOOPBACK, &res);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_ESTABLISHED);
	observe(&fsm, mkseg(C2S, FL_FA, CISN + 1, SISN + 1, 0), OBS_LOOPBACK, &res);
	observe(&fsm, mkseg(C2S, FL_RA, CISN + 1, SISN + 1, 0), OBS_LOOPBACK, &res);
	KUNIT_EXPECT_TRUE(test, res.events & TCPSM_EV_RST_ACCEPTED);
	expect_states(test, &fsm, TCPSM_CLOSED, TCPSM_CLOSED);
}

/*
 * In SYN_SENT Linux answers a SYN+ACK that acks the wrong thing with a RST
 * at that ACK and stays; the next, good SYN+ACK establishes it. Seen on the
 * client's host: its segments leave a local socket, the server is remote.
 */
static void tcpsm_fsm_bad_synack_rst_rejects(struct kunit *test)
{
	const u8 local = TCPSM_MOVE_BOTH | TCPSM_FROM_LOCAL;
	struct tcpsm_fsm fsm;
	struct tcpsm_verdict v;

	tcpsm_fsm_init(&fsm);
	step1(&fsm, C2S, FL_S, CISN, 0, 0, local, &v);
	step1(&fsm, S2C, FL_SA, SISN, CISN + 50, 0, TCPSM_MOVE_BOTH, &v);
	KUNIT_EXPECT_EQ(test, v.invalid, TCPSM_INV_ACK);
	step1(&fsm, C2S, FL_R, CISN + 50, 0, 0, local, &v);
	KUNIT_EXPECT_FALSE(test, v.events & TCPSM_EV_ABORT);
	expect_states(test, &fsm, TCPSM_SYN_SENT, TCPSM_LISTEN);
	step1(&fsm, S2C, FL_SA, SISN, CISN + 1, 0, TCPSM_MOVE_BOTH, &v);
	expect_states(test, &fsm, TCPSM_ESTABLISHED, TCPSM_SYN_RCVD);
}

/* ICMP errors: what each does to the endpoint whose segment it quotes. */
struct icmp_case {
	const char *name;
	u8 state;	/* the server's, put_end() */
	bool tfo_child;	/* it took a Fast Open SYN's data */
	s32 seq;	/* quoted, relative to the server's ISN */
	bool fatal;
	u8 verdict;	/* enum tcpsm_icmp_verdict */
	u8 after;	/* its state after */
};

static const struct icmp_case icmp_cases[] = {
	{ "request socket, fatal, its ISN", TCPSM_SYN_RCVD, false, 0, true,
	  TCPSM_ICMP_ABORTED, TCPSM_CLOSED },
	{ "request socket, not fatal", TCPSM_SYN_RCVD, false, 0, false,
	  TCPSM_ICMP_SOFT, TCPSM_SYN_RCVD },
	{ "request socket, fatal, not its ISN", TCPSM_SYN_RCVD, false, 1, true,
	  TCPSM_ICMP_IGNORED, TCPSM_SYN_RCVD },
	{ "Fast Open child, not fatal", TCPSM_SYN_RCVD, true, 0, false,
	  TCPSM_ICMP_ABORTED, TCPSM_CLOSED },
	{ "SYN_SENT, its SYN", TCPSM_SYN_SENT, false, 0, false,
	  TCPSM_ICMP_ABORTED, TCPSM_CLOSED },
	{ "SYN_SENT, before its SYN", TCPSM_SYN_SENT, false, -1, true,
	  TCPSM_ICMP_IGNORED, TCPSM_SYN_SENT },
	{ "established, in flight", TCPSM_ESTABLISHED, false, 50, true,
	  TCPSM_ICMP_SOFT, TCPSM_ESTABLISHED },
	{ "established, beyond snd_nxt", TCPSM_ESTABLISHED, false, 500, true,
	  TCPSM_ICMP_IGNORED, TCPSM_ESTABLISHED },
	{ "CLOSED", TCPSM_CLOSED, false, 0, true, TCPSM_ICMP_IGNORED, TCPSM_CLOSED },
};

static void icmp_case_desc(const struct icmp_case *ic, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", ic->name);
}

KUNIT_ARRAY_PARAM(icmp, icmp_cases, icmp_case_desc);

static void tcpsm_fsm_icmp_error(struct kunit *test)
{
	const struct icmp_case *ic = test->param_value;
	struct tcpsm_fsm fsm;
	struct tcpsm_end *srv = &fsm.end[TCPSM_ROLE_SERVER];
	struct tcpsm_verdict v;
	u8 ret, client;

	/* the client as far as the server's state implies */
	client = ic->state == TCPSM_SYN_RCVD ? TCPSM_SYN_SENT :
		 ic->state == TCPSM_ESTABLISHED ? TCPSM_ESTABLISHED : TCPSM_CLOSED;
	put_end(srv, ic->state, SISN);
	put_end(&fsm.end[TCPSM_ROLE_CLIENT], client, CISN);
	put_ends(&fsm);
	srv->snd_una = SISN;	/* nothing of it acked yet */
	if (ic->tfo_child)
		srv->rcv_nxt = CISN + 41;
	ret = tcpsm_fsm_icmp(&fsm, TCPSM_ROLE_SERVER, SISN + ic->seq, ic->fatal, &v);
	KUNIT_EXPECT_EQ(test, ret, ic->verdict);
	KUNIT_EXPECT_EQ_MSG(test, srv->state, ic->after, "%s, expected %s",
			    tcpsm_state_name(srv->state), tcpsm_state_name(ic->after));
	KUNIT_EXPECT_EQ(test, !!(v.events & TCPSM_EV_TRANSITION), ic->after != ic->state);
	KUNIT_EXPECT_EQ(test, fsm.end[TCPSM_ROLE_CLIENT].state, client);
}

static struct kunit_case tcpsm_fsm_accept_cases[] = {
	KUNIT_CASE_PARAM(tcpsm_fsm_acceptability, accept_gen_params),
	KUNIT_CASE_PARAM(tcpsm_fsm_rst_acceptance, rst_gen_params),
	KUNIT_CASE(tcpsm_fsm_fin_after_hole_filled),
	KUNIT_CASE(tcpsm_fsm_fin_taken_when_acked),
	KUNIT_CASE(tcpsm_fsm_forged_fin_teaches_nothing),
	KUNIT_CASE(tcpsm_fsm_syn_new_isn),
	KUNIT_CASE(tcpsm_fsm_half_open_reboot),
	KUNIT_CASE(tcpsm_fsm_half_open_reboot_local),
	KUNIT_CASE(tcpsm_fsm_time_wait_newer_timestamp),
	KUNIT_CASE(tcpsm_fsm_time_wait_restarts),
	KUNIT_CASE_PARAM(tcpsm_fsm_synack_fin, synack_fin_gen_params),
	KUNIT_CASE(tcpsm_fsm_tfo_refused_then_rst),
	KUNIT_CASE(tcpsm_fsm_bad_synack_rst_rejects),
	KUNIT_CASE_PARAM(tcpsm_fsm_icmp_error, icmp_gen_params),
	{}
};

static struct kunit_suite tcpsm_fsm_accept_suite = {
	.name = "tcpsm_fsm_accept",
	.test_cases = tcpsm_fsm_accept_cases,
};

kunit_test_suites(&tcpsm_fsm_table_suite, &tcpsm_fsm_scenario_suite, &tcpsm_fsm_suite,
		  &tcpsm_fsm_accept_suite);
