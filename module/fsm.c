// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm's TCP state machine: the RFC 793 state of both endpoints of one
 * connection, driven by the segments a hook observes, each judged as its
 * receiving TCP judges it.
 *
 * Observation model. A hook sees a segment and says which endpoints this
 * sighting moves (seg->move). Over loopback every segment is seen twice:
 * at LOCAL_OUT with TCPSM_MOVE_SENDER (it has left its sender) and at
 * LOCAL_IN with TCPSM_MOVE_RECEIVER (it has reached its receiver); a segment
 * between remote hosts is seen once with TCPSM_MOVE_BOTH. Hence:
 *
 *  - Acceptability (flags, state, sequence against the receiver's rcv_nxt
 *    and window, acknowledgment) is judged on every sighting, before
 *    anything is learned. A segment its receiver would not accept changes
 *    nothing and teaches nothing, unless it was seen leaving its sender's
 *    own stack (TCPSM_FROM_LOCAL): then the sender moves, since it sent it.
 *    One that lies wholly before rcv_nxt is an old duplicate: counted as a
 *    retransmission or probe, it moves no receiver.
 *  - The sender's sequence facts are updated on every sighting, as maxima,
 *    so a second sighting is harmless.
 *  - The sender table is applied on every sighting. Its rows are idempotent
 *    (applying a row to the state it produced changes nothing), so the
 *    receiver-side sighting of a segment whose sender already moved leaves
 *    the sender alone, while one whose sender-side sighting was missed still
 *    moves the sender: an accepted segment proves it was sent.
 *  - Each endpoint's rcv_nxt is what it acks, and grows with the data that
 *    reaches it in order. A FIN takes effect for its receiver only once all
 *    before it has arrived: at once, or when the hole fills, or when the
 *    receiver's ACK covers it.
 *  - Retransmissions and probes are counted only when TCPSM_MOVE_SENDER is
 *    set (once per segment); receiver-side effects (receiver table, RST
 *    acceptance, keepalive answered) only when TCPSM_MOVE_RECEIVER is set.
 *
 * The transitions are data: what sending a segment does to its sender, and
 * what receiving it does to its receiver, indexed by the kind of segment as
 * the receiver sees it (tcpsm_classify()) and the endpoint's state.
 */
#include "fsm.h"

#define S_CL	TCPSM_CLOSED
#define S_LI	TCPSM_LISTEN
#define S_SS	TCPSM_SYN_SENT
#define S_SR	TCPSM_SYN_RCVD
#define S_ES	TCPSM_ESTABLISHED
#define S_F1	TCPSM_FIN_WAIT_1
#define S_F2	TCPSM_FIN_WAIT_2
#define S_CW	TCPSM_CLOSE_WAIT
#define S_CG	TCPSM_CLOSING
#define S_LA	TCPSM_LAST_ACK
#define S_TW	TCPSM_TIME_WAIT
#define S_IV	__TCPSM_STATE_MAX		/* invalid: the segment is not acceptable */
#define S_IG	(__TCPSM_STATE_MAX + 1)	/* ignored: acceptable, no change */

/* The largest window a peer can advertise (RFC 7323): the lenient default. */
#define TCPSM_MAX_WIN	(65535U << TCPSM_MAX_WSCALE)

/*
 * The sender's table: what sending a segment of this kind does to its sender.
 * LISTEN is a server that has received a SYN and not answered it yet.
 */
static const u8 tcpsm_snd_table[__TCPSM_K_MAX][__TCPSM_STATE_MAX] = {
/*		  S_CL  S_LI  S_SS  S_SR  S_ES  S_F1  S_F2  S_CW  S_CG  S_LA  S_TW */
/* syn */	{ S_SS, S_SR, S_IG, S_IG, S_SS, S_SS, S_SS, S_SS, S_SS, S_SS, S_SS },
/*
 * active open; LISTEN answers with a SYN of its own (simultaneous open, the
 * peer's SYN already received); retransmissions. Once synchronized, a SYN
 * means its sender lost the connection and opens a new one (a reboot, a
 * port reused from TIME_WAIT): taken only from a local socket, since its
 * receiver answers it with a challenge ACK (RFC 5961 4).
 */
/* synack */	{ S_IV, S_SR, S_SR, S_IG, S_IG, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV },
/*
 * a SYN+ACK needs a SYN received: passive open, or simultaneous open from
 * SYN_SENT; retransmission in SYN_RCVD, late one in ESTABLISHED.
 */
/* fin */	{ S_IV, S_IV, S_IV, S_F1, S_F1, S_IG, S_IG, S_CG, S_IG, S_IG, S_IG },
/*
 * close: SYN_RCVD and ESTABLISHED to FIN_WAIT_1; the others have sent their
 * FIN already (retransmission); none before a SYN was received. A FIN that
 * does not ack the peer's FIN proves its sender had not received that FIN
 * yet, whatever a sighting of it inferred (CLOSE_WAIT): the FINs crossed
 * (or the peer's was lost), the sender was FIN_WAIT_1 and goes CLOSING
 * when the peer's FIN reaches it, as Linux does. A real CLOSE_WAIT sends
 * finack.
 */
/* finack */	{ S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_LA, S_IG, S_IG, S_IG },
/*
 * a FIN acking the peer's FIN: the sender has received that FIN, so it is
 * CLOSE_WAIT (closing now) or already past its own FIN.
 */
/* ack */	{ S_IG, S_IV, S_IV, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG },
/*
 * ACKs never move the sender; LISTEN and SYN_SENT have nothing to ack yet;
 * CLOSED may still ack (a timer of ours ran out before the stack's).
 */
/* acksyn */	{ S_IG, S_IV, S_IV, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG },
/* as ack: acking the peer's SYN requires having received it. */
/* ackfin */	{ S_IG, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IG, S_IG, S_IG, S_IG },
/*
 * acking the peer's FIN requires having received it: CLOSE_WAIT, CLOSING,
 * LAST_ACK, TIME_WAIT (or CLOSED, late).
 */
/* rst */	{ S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL },
/* a RST that aborts (tcpsm_rst_closes()) closes its sender. */
/* none */	{ S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV },
/* not reached: invalid flags are rejected before the tables. */
};

/*
 * The receiver's table: what receiving a segment of this kind does to its
 * receiver. The RST row is what an accepted RST does; whether it is
 * accepted is tcpsm_rcv_rst()'s business.
 */
static const u8 tcpsm_rcv_table[__TCPSM_K_MAX][__TCPSM_STATE_MAX] = {
/*		  S_CL  S_LI  S_SS  S_SR  S_ES  S_F1  S_F2  S_CW  S_CG  S_LA  S_TW */
/* syn */	{ S_LI, S_IG, S_SR, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG },
/*
 * a server receives the SYN (LISTEN); SYN_SENT: simultaneous open; duplicates
 * and, once synchronized, RFC 5961 4 challenge ACKs (TIME_WAIT: reuse).
 */
/* synack */	{ S_IG, S_IV, S_ES, S_ES, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG },
/*
 * acking our SYN (checked before): SYN_SENT, or SYN_RCVD in simultaneous
 * open, is established; late duplicates later; LISTEN sent no SYN to ack.
 */
/* fin */	{ S_IG, S_IV, S_IG, S_CW, S_CW, S_CG, S_TW, S_IG, S_IG, S_IG, S_IG },
/*
 * the peer closes: CLOSE_WAIT; FIN_WAIT_1 (our FIN not acked): CLOSING;
 * FIN_WAIT_2: TIME_WAIT; retransmissions later (TIME_WAIT restarts its
 * timer); SYN_SENT drops segments without SYN or RST.
 */
/* finack */	{ S_IG, S_IV, S_IV, S_IV, S_IV, S_TW, S_TW, S_IV, S_TW, S_CL, S_IG },
/*
 * FIN and ACK of our FIN in one: FIN_WAIT_1, FIN_WAIT_2 and CLOSING to
 * TIME_WAIT, LAST_ACK to CLOSED; impossible where we sent no FIN.
 */
/* ack */	{ S_IG, S_IV, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG },
/* nothing to act on (FIN_WAIT_1 waits for the ACK of its FIN). */
/* acksyn */	{ S_IG, S_IV, S_IG, S_ES, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG, S_IG },
/*
 * the three-way handshake completes in SYN_RCVD; SYN_SENT drops an ACK
 * without SYN (only these two states classify an ACK as acksyn).
 */
/* ackfin */	{ S_IG, S_IV, S_IV, S_IV, S_IV, S_F2, S_IG, S_IV, S_TW, S_CL, S_IG },
/*
 * our FIN is acked: FIN_WAIT_1 to FIN_WAIT_2, CLOSING to TIME_WAIT,
 * LAST_ACK to CLOSED; duplicates in FIN_WAIT_2 and TIME_WAIT.
 */
/* rst */	{ S_IG, S_IG, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL },
/* if accepted; CLOSED has nothing to reset, LISTEN ignores RSTs. */
/* none */	{ S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV },
/* not reached: invalid flags are rejected before the tables. */
};

/*
 * Which states the client (it sent the first SYN) and the server can be in at
 * the same time. Besides the states of a lossless exchange, a segment may be
 * in flight (sent, not received: FIN_WAIT_1 with ESTABLISHED), lost, or
 * reordered; either end may be CLOSED by a RST or by a timer at any time, and
 * a client that lost its state may open again with the same ports while the
 * server still holds the old connection (half-open, RFC 793 3.4: SYN_SENT with
 * anything but TIME_WAIT, which turns a new SYN into a reuse; SYN_RCVD with
 * LISTEN, a server that lost its state getting the client's SYN again).
 * The client is never in LISTEN; the server reaches SYN_SENT only in a
 * simultaneous open. FINs crossing, seen one after the other, give CLOSING
 * on both: the second FIN does not ack the first (see the sender's table).
 */
#define Y	true
#define N	false
static const bool tcpsm_reachable_table[__TCPSM_STATE_MAX][__TCPSM_STATE_MAX] = {
/* client\server  CL  LI  SS  SR  ES  F1  F2  CW  CG  LA  TW */
/* CLOSED */	{ Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y },
/* LISTEN */	{ N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N },
/* SYN_SENT */	{ Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  N },
/* SYN_RCVD */	{ Y,  Y,  Y,  Y,  Y,  Y,  N,  N,  N,  N,  N },
/* ESTAB. */	{ Y,  N,  N,  Y,  Y,  Y,  N,  N,  N,  N,  N },
/* FIN_W_1 */	{ Y,  N,  Y,  Y,  Y,  Y,  N,  Y,  Y,  Y,  N },
/* FIN_W_2 */	{ Y,  N,  N,  N,  N,  N,  N,  Y,  Y,  Y,  N },
/* CLOSE_W */	{ Y,  N,  N,  N,  N,  Y,  Y,  N,  N,  N,  N },
/* CLOSING */	{ Y,  N,  N,  N,  N,  Y,  Y,  N,  Y,  Y,  Y },
/* LAST_ACK */	{ Y,  N,  N,  N,  N,  Y,  Y,  N,  Y,  N,  Y },
/* TIME_W */	{ Y,  N,  N,  N,  N,  N,  N,  N,  Y,  Y,  Y },
};

#undef Y
#undef N

bool tcpsm_fsm_reachable(u8 client, u8 server)
{
	if (client >= __TCPSM_STATE_MAX || server >= __TCPSM_STATE_MAX)
		return false;
	return tcpsm_reachable_table[client][server];
}

static const struct tcpsm_end tcpsm_end_fresh = {
	.state = TCPSM_CLOSED,
	.wscale = TCPSM_NO_WSCALE,
};

void tcpsm_fsm_init(struct tcpsm_fsm *fsm)
{
	fsm->end[TCPSM_ROLE_CLIENT] = tcpsm_end_fresh;
	fsm->end[TCPSM_ROLE_SERVER] = tcpsm_end_fresh;
}

bool tcpsm_fsm_confirmed(const struct tcpsm_fsm *fsm)
{
	return fsm->end[TCPSM_ROLE_CLIENT].flags & fsm->end[TCPSM_ROLE_SERVER].flags &
	       TCPSM_END_ACKED;
}

void tcpsm_fsm_expire(struct tcpsm_fsm *fsm, enum tcpsm_role who)
{
	if (who < __TCPSM_ROLE_MAX)
		fsm->end[who].state = TCPSM_CLOSED;
}

/*
 * Impossible flag combinations (as nf_conntrack's tcp_valid_flags, less
 * strict): SYN with RST, SYN with FIN but no ACK (a listener drops it; a
 * client in SYN_SENT takes a SYN+ACK+FIN), and a segment without any of
 * SYN, ACK and RST, which includes a FIN without ACK.
 */
static bool tcpsm_flags_valid(u8 flags)
{
	if ((flags & TCPSM_SYN) && (flags & TCPSM_RST))
		return false;
	if ((flags & (TCPSM_SYN | TCPSM_FIN | TCPSM_ACK)) == (TCPSM_SYN | TCPSM_FIN))
		return false;
	return flags & (TCPSM_SYN | TCPSM_ACK | TCPSM_RST);
}

static bool tcpsm_in_handshake(const struct tcpsm_end *e)
{
	return e->state == TCPSM_SYN_SENT || e->state == TCPSM_SYN_RCVD;
}

/* Has it received the peer's SYN (its rcv_nxt means something)? */
static bool tcpsm_synchronized(const struct tcpsm_end *e)
{
	return e->state >= TCPSM_ESTABLISHED;
}

/* Both its SEEN and ISN: snd_nxt is known exactly, not from a pickup. */
static bool tcpsm_exact(const struct tcpsm_end *e)
{
	return (e->flags & (TCPSM_END_SEEN | TCPSM_END_ISN)) ==
	       (TCPSM_END_SEEN | TCPSM_END_ISN);
}

/* Does @ack acknowledge @e's SYN, and no more than it sent (RFC 793 p. 66)? */
static bool tcpsm_acks_syn(const struct tcpsm_end *e, u32 ack)
{
	return (e->flags & TCPSM_END_ISN) && tcpsm_seq_after(ack, e->isn) &&
	       !tcpsm_seq_after(ack, e->snd_nxt);
}

static bool tcpsm_acks_fin(const struct tcpsm_end *e, const struct tcpsm_seg *seg)
{
	return (seg->flags & TCPSM_ACK) && (e->flags & TCPSM_END_FIN_SENT) &&
	       seg->ack == e->fin_seq + 1;
}

/* What a segment with @flags is, as its receiver @r sees it. */
static u8 tcpsm_classify_flags(const struct tcpsm_end *r, const struct tcpsm_seg *seg,
			       u8 flags)
{
	if (!tcpsm_flags_valid(flags))
		return TCPSM_K_NONE;
	if (flags & TCPSM_RST)
		return TCPSM_K_RST;
	if (flags & TCPSM_SYN)
		return flags & TCPSM_ACK ? TCPSM_K_SYNACK : TCPSM_K_SYN;
	if (flags & TCPSM_FIN)
		return tcpsm_acks_fin(r, seg) ? TCPSM_K_FINACK : TCPSM_K_FIN;
	if (tcpsm_acks_fin(r, seg))
		return TCPSM_K_ACKFIN;
	if (tcpsm_in_handshake(r) && tcpsm_acks_syn(r, seg->ack))
		return TCPSM_K_ACKSYN;
	return TCPSM_K_ACK;
}

static u8 tcpsm_classify(const struct tcpsm_end *r, const struct tcpsm_seg *seg)
{
	return tcpsm_classify_flags(r, seg, seg->flags);
}

/*
 * The largest window @r offered: unknown (it sent nothing yet) or of an
 * unknown scale (picked up mid-stream: its SYN was never seen), it is taken
 * as the largest possible. Lenient: a segment is then rather accepted.
 */
static u32 tcpsm_max_win(const struct tcpsm_end *r)
{
	if (!tcpsm_exact(r))
		return TCPSM_MAX_WIN;
	return r->max_win > r->win ? r->max_win : r->win;
}

/* Where a segment lies against its receiver's window. */
enum tcpsm_seq_verdict {
	TCPSM_SEQ_IN,	/* acceptable: at rcv_nxt, in the window, or overlapping */
	TCPSM_SEQ_OLD,	/* all of it before rcv_nxt: a duplicate, acked and dropped */
	TCPSM_SEQ_BAD,	/* beyond the window, or older than a window back */
};

/* Sequence space a segment takes: its data, and its SYN and FIN. */
static u32 tcpsm_seg_end(const struct tcpsm_seg *seg)
{
	return seg->seq + seg->len + !!(seg->flags & TCPSM_SYN) + !!(seg->flags & TCPSM_FIN);
}

/*
 * RFC 9293 3.10.7.4, as lenient as nf_conntrack's tcp_in_window() must be
 * on real traffic: a segment must start no further than rcv_nxt plus the
 * largest window the receiver offered (so window probes and TSO or GSO
 * super-segments, seen before they are cut, pass), and end no earlier than
 * a window before rcv_nxt. One that ends before what the receiver last
 * acked (Linux's rcv_wup) is an old duplicate (a retransmission, a
 * keepalive at snd_una - 1): not invalid, but its receiver takes nothing
 * from it, not even its ACK (tcp_sequence()). One that ends later, even
 * all of it received already, has its ACK taken.
 */
static enum tcpsm_seq_verdict tcpsm_seq_check(const struct tcpsm_end *r,
					      const struct tcpsm_seg *seg)
{
	u32 win = tcpsm_max_win(r), back = win > 0xffff ? win : 0xffff;
	u32 end = tcpsm_seg_end(seg);

	if (!(r->flags & TCPSM_END_RCV))
		return TCPSM_SEQ_IN;
	if (tcpsm_seq_after(seg->seq, r->rcv_nxt + win))
		return TCPSM_SEQ_BAD;
	if (tcpsm_seq_before(end, r->rcv_nxt - back))
		return TCPSM_SEQ_BAD;
	if (tcpsm_seq_before(end, r->rcv_wup))
		return TCPSM_SEQ_OLD;
	return TCPSM_SEQ_IN;
}

/*
 * A bare SYN that opens a new connection on this tuple, for the caller to
 * start over: 0 if not, TCPSM_EV_REUSE or TCPSM_EV_REOPEN if so, or
 * TCPSM_EV_INVALID for an old duplicate a TIME_WAIT receiver drops.
 *  - A receiver in TIME_WAIT takes it by tcp_timewait_state_process()'s
 *    rules: a sequence number after its rcv_nxt, or a newer timestamp.
 *  - A receiver that was closed (by a RST or a timer) has no connection left
 *    to defend: any SYN is a new one (conntrack reopens from CLOSE too).
 *  - A SYN with a new ISN from an endpoint whose handshake did not finish,
 *    to a receiver that has not finished it either: that handshake restarts.
 */
static u16 tcpsm_syn_opens(const struct tcpsm_end *s, const struct tcpsm_end *r,
			   const struct tcpsm_seg *seg)
{
	u32 rcv_nxt = r->flags & TCPSM_END_RCV ? r->rcv_nxt : s->snd_nxt;

	if (r->state == TCPSM_TIME_WAIT) {
		if (tcpsm_seq_after(seg->seq, rcv_nxt) ||
		    ((seg->opts & TCPSM_SEG_TS) && (s->flags & TCPSM_END_TS) &&
		     tcpsm_seq_after(seg->tsval, s->ts_val)))
			return TCPSM_EV_REUSE;
		return TCPSM_EV_INVALID;
	}
	if (r->state == TCPSM_CLOSED && (r->flags & TCPSM_END_SEEN))
		return s->state == TCPSM_TIME_WAIT ? TCPSM_EV_REUSE : TCPSM_EV_REOPEN;
	if ((s->flags & TCPSM_END_ISN) && seg->seq != s->isn &&
	    (s->state == TCPSM_SYN_SENT || s->state == TCPSM_CLOSED) &&
	    (r->state == TCPSM_LISTEN || r->state == TCPSM_SYN_RCVD))
		return TCPSM_EV_REOPEN;
	return 0;
}

/* Retransmission, keepalive and zero-window probes, before @s learns @seg. */
static u16 tcpsm_snd_events(struct tcpsm_end *s, const struct tcpsm_end *r,
			    const struct tcpsm_seg *seg)
{
	u8 f = seg->flags;

	if (!(s->flags & TCPSM_END_SEEN) || (f & TCPSM_RST))
		return 0;
	if (f & TCPSM_SYN) {
		if (seg->seq != s->isn || !(s->flags & TCPSM_END_ISN))
			return 0;
		if (f & TCPSM_ACK)
			return s->flags & TCPSM_END_SYNACK ? TCPSM_EV_RETRANS : 0;
		return s->state != TCPSM_CLOSED && s->state != TCPSM_LISTEN ?
		       TCPSM_EV_RETRANS : 0;
	}
	/*
	 * tcp_xmit_probe_skb(): snd_una - 1, no data (or one byte, BSD), and
	 * only with nothing in flight: the same shape while data is
	 * unacknowledged is the retransmission of a 1-byte write.
	 */
	if (!(f & TCPSM_FIN) && seg->len <= 1 && seg->seq == s->snd_nxt - 1 &&
	    s->snd_una == s->snd_nxt) {
		if ((r->flags & TCPSM_END_SEEN) && r->win == 0 &&
		    !(seg->opts & TCPSM_SEG_IDLE)) {
			s->zw_probes++;
			return TCPSM_EV_ZW_PROBE;
		}
		s->ka_probes++;
		if (s->ka_unanswered < 255)
			s->ka_unanswered++;
		return TCPSM_EV_KA_PROBE;
	}
	if ((f & TCPSM_FIN) && (s->flags & TCPSM_END_FIN_SENT) &&
	    seg->seq + seg->len == s->fin_seq)
		return TCPSM_EV_RETRANS;
	if (seg->len && tcpsm_seq_before(seg->seq, s->snd_nxt))
		return TCPSM_EV_RETRANS;
	return 0;
}

/* @e receives its peer's FIN, in order: the receiver's row for a FIN. */
static void tcpsm_fin_arrives(struct tcpsm_end *e, const struct tcpsm_end *peer)
{
	u8 n = tcpsm_rcv_table[TCPSM_K_FIN][e->state];

	e->flags |= TCPSM_END_FIN_RCVD | TCPSM_END_RCV;
	e->rcv_nxt = peer->fin_seq + 1;
	if (n < __TCPSM_STATE_MAX)
		e->state = n;
}

/* Has @e all of @peer's stream up to its FIN, and not taken the FIN yet? */
static bool tcpsm_fin_due(const struct tcpsm_end *e, const struct tcpsm_end *peer)
{
	return (peer->flags & TCPSM_END_FIN_SENT) && !(e->flags & TCPSM_END_FIN_RCVD) &&
	       (e->flags & TCPSM_END_RCV) && e->rcv_nxt == peer->fin_seq &&
	       tcpsm_synchronized(e);
}

/* The window @s advertises in @seg, scaled as agreed. */
static void tcpsm_learn_window(struct tcpsm_end *s, const struct tcpsm_seg *seg)
{
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	s->win = seg->win;
	if (!(seg->flags & TCPSM_SYN) && (s->flags & TCPSM_END_WSCALE))
		s->win <<= s->wscale;
	if (s->win > s->max_win)
		s->max_win = s->win;
}

/* A SYN from @s with its ISN, which its receiver @r has taken already. */
static bool tcpsm_syn_had(const struct tcpsm_end *s, const struct tcpsm_end *r,
			  const struct tcpsm_seg *seg)
{
	return (s->flags & TCPSM_END_ISN) && seg->seq == s->isn &&
	       r->state >= TCPSM_SYN_SENT && (r->flags & TCPSM_END_RCV) &&
	       tcpsm_seq_after(r->rcv_nxt, s->isn);
}

/* A SYN: its ISN, its window scale, and whether scaling is now agreed. */
static void tcpsm_learn_syn(struct tcpsm_end *s, struct tcpsm_end *r,
			    const struct tcpsm_seg *seg, bool accepted)
{
	bool scale;

	if (s->state == TCPSM_CLOSED || s->state == TCPSM_LISTEN ||
	    !(s->flags & TCPSM_END_ISN) || seg->seq != s->isn ||
	    (!(seg->flags & TCPSM_ACK) && tcpsm_synchronized(s) && !tcpsm_syn_had(s, r, seg))) {
		/*
		 * Its first SYN, a new ISN, or a new SYN once synchronized:
		 * whatever it sent before is history.
		 */
		s->isn = seg->seq;
		s->snd_nxt = seg->seq;
		s->snd_una = seg->seq;
		s->max_win = 0;
		s->ka_unanswered = 0;
		s->flags &= ~(TCPSM_END_FIN_SENT | TCPSM_END_SYNACK | TCPSM_END_FIN_RCVD |
			      TCPSM_END_FASTOPEN);
		/* its own SYN answers the peer's it received, which it keeps */
		if (!(seg->flags & TCPSM_ACK))
			s->flags &= ~TCPSM_END_RCV;
		s->flags |= TCPSM_END_ISN;
	}
	if (seg->flags & TCPSM_ACK)
		s->flags |= TCPSM_END_SYNACK;
	else if ((seg->opts & TCPSM_SEG_FASTOPEN) || seg->len)
		s->flags |= TCPSM_END_FASTOPEN;
	s->wscale = seg->wscale == TCPSM_NO_WSCALE ? TCPSM_NO_WSCALE :
		    seg->wscale > TCPSM_MAX_WSCALE ? TCPSM_MAX_WSCALE : seg->wscale;
	/* RFC 7323 2.2: scaling only if both SYNs carried the option. */
	scale = s->wscale != TCPSM_NO_WSCALE && r->wscale != TCPSM_NO_WSCALE &&
		(r->flags & TCPSM_END_ISN) && r->state != TCPSM_CLOSED &&
		r->state != TCPSM_LISTEN;
	if (!accepted) {
		s->flags &= ~TCPSM_END_WSCALE;	/* no agreement: no peer SYN taken */
	} else if (scale) {
		s->flags |= TCPSM_END_WSCALE;
		r->flags |= TCPSM_END_WSCALE;
	} else {
		s->flags &= ~TCPSM_END_WSCALE;
		r->flags &= ~TCPSM_END_WSCALE;
	}
}

/*
 * What an accepted (or locally sent) @seg tells of its sender @s; every
 * sighting, so only maxima. Its ACK is its rcv_nxt: an ACK that covers the
 * peer's FIN says the FIN arrived, whether or not tcpsm saw it arrive. The
 * receiver @r learns from it only if it takes it (@accepted).
 */
static void tcpsm_snd_learn(struct tcpsm_end *s, struct tcpsm_end *r,
			    const struct tcpsm_seg *seg, bool accepted)
{
	u32 end = tcpsm_seg_end(seg);
	u8 f = seg->flags;

	if (f & TCPSM_SYN)
		tcpsm_learn_syn(s, r, seg, accepted);
	if ((f & TCPSM_FIN) && !(s->flags & TCPSM_END_FIN_SENT)) {
		s->fin_seq = end - 1;
		s->flags |= TCPSM_END_FIN_SENT;
	}
	if (!(s->flags & TCPSM_END_SEEN) || tcpsm_seq_after(end, s->snd_nxt))
		s->snd_nxt = end;
	s->flags |= TCPSM_END_SEEN;
	if (seg->opts & TCPSM_SEG_TS) {
		s->ts_val = seg->tsval;
		s->flags |= TCPSM_END_TS;
	}
	tcpsm_learn_window(s, seg);
	/* an ACK of what was never sent says nothing of what it received */
	if (!(f & TCPSM_ACK) || (!accepted && tcpsm_exact(r) &&
				 tcpsm_seq_after(seg->ack, r->snd_nxt)))
		return;
	if (!(s->flags & TCPSM_END_RCV) || tcpsm_seq_after(seg->ack, s->rcv_nxt)) {
		s->rcv_nxt = seg->ack;
		s->rcv_wup = seg->ack;
		s->flags |= TCPSM_END_RCV;
	} else if (tcpsm_seq_after(seg->ack, s->rcv_wup)) {
		s->rcv_wup = seg->ack;
	}
	if ((r->flags & TCPSM_END_FIN_SENT) && !(s->flags & TCPSM_END_FIN_RCVD) &&
	    tcpsm_seq_after(seg->ack, r->fin_seq) && tcpsm_synchronized(s))
		tcpsm_fin_arrives(s, r);
	/* Acked, so sent: a picked-up receiver's snd_nxt is only a floor. */
	if (accepted && (r->flags & TCPSM_END_SEEN) && !tcpsm_exact(r) &&
	    tcpsm_seq_after(seg->ack, r->snd_nxt))
		r->snd_nxt = seg->ack;
}

/* What @r expects next from @s: known, or the best guess there is. */
static u32 tcpsm_rcv_nxt(const struct tcpsm_end *r, const struct tcpsm_end *s,
			 const struct tcpsm_seg *seg)
{
	if (r->flags & TCPSM_END_RCV)
		return r->rcv_nxt;
	return s->flags & TCPSM_END_SEEN ? s->snd_nxt : seg->seq;
}

/*
 * Does @seg, a RST from @s, close @s: is it an abort of its connection (its
 * socket goes), and is that known (its receiver takes it, @accepted, or it
 * left a local socket, @local)? Linux aborts with tcp_send_active_reset(),
 * at snd_nxt (tcp_acceptable_seq(): at most back to snd_una); it answers a
 * segment it will not take with tcp_v4_send_reset() at that segment's ACK
 * number, and stays: in SYN_SENT, to a SYN+ACK that acks the wrong thing
 * (it never aborts from SYN_SENT: close() there sends nothing), or from a
 * request socket in SYN_RCVD. A LISTEN endpoint's RST refuses the SYN it
 * got, if the client takes it. An endpoint known only from a pickup is
 * taken at its word.
 */
static bool tcpsm_rst_closes(const struct tcpsm_end *s, const struct tcpsm_seg *seg,
			     bool accepted, bool local)
{
	switch (s->state) {
	case TCPSM_CLOSED:
	case TCPSM_SYN_SENT:
		return false;
	case TCPSM_LISTEN:
		return accepted;
	default:
		if (!accepted && !local)
			return false;
		if (!tcpsm_exact(s))
			return true;
		return tcpsm_seq_in(seg->seq, s->snd_una, s->snd_nxt + 1);
	}
}

/*
 * A RST reaches @r from @s (RFC 793 3.4, RFC 5961 3.2, and Linux's
 * tcp_validate_incoming(), tcp_reset_check(), tcp_timewait_state_process()
 * and tcp_check_req()). Returns true if @r accepts it: @r is reset.
 */
static bool tcpsm_rcv_rst(struct tcpsm_end *r, const struct tcpsm_end *s,
			  const struct tcpsm_seg *seg, struct tcpsm_verdict *v)
{
	u32 rcv_nxt = tcpsm_rcv_nxt(r, s, seg);
	u32 wnd = tcpsm_max_win(r);
	bool exact = seg->seq == rcv_nxt;
	bool in_wnd = exact || tcpsm_seq_in(seg->seq, rcv_nxt, rcv_nxt + wnd);

	switch (r->state) {
	case TCPSM_CLOSED:
	case TCPSM_LISTEN:
		v->events |= TCPSM_EV_RST_IGNORED;
		return false;
	case TCPSM_SYN_SENT:
		/* Acceptable only if it acks our SYN, whatever its sequence. */
		if ((seg->flags & TCPSM_ACK) && tcpsm_acks_syn(r, seg->ack)) {
			v->events |= TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED;
			r->state = TCPSM_CLOSED;
			return true;
		}
		v->events |= TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID;
		v->invalid = TCPSM_INV_ACK;
		return false;
	case TCPSM_SYN_RCVD:
	case TCPSM_FIN_WAIT_2:
		/*
		 * Not synchronized yet (a request socket), or an orphaned
		 * FIN_WAIT_2 (a timewait socket): anywhere in the window resets.
		 */
		exact = in_wnd;
		break;
	case TCPSM_CLOSE_WAIT:
	case TCPSM_LAST_ACK:
	case TCPSM_CLOSING:
		/* tcp_reset_check(): the peer's FIN took rcv_nxt one further. */
		exact = exact || seg->seq == rcv_nxt - 1;
		break;
	case TCPSM_TIME_WAIT:
		/* exact kills it, unless tcp_rfc1337; nothing else is answered */
		if (exact && (seg->opts & TCPSM_SEG_RFC1337)) {
			v->events |= TCPSM_EV_RST_IGNORED;
			return false;
		}
		if (!exact && in_wnd) {
			v->events |= TCPSM_EV_RST_IGNORED;
			return false;
		}
		break;
	default:
		break;
	}
	if (exact) {
		v->events |= TCPSM_EV_RST_ACCEPTED;
		r->state = tcpsm_rcv_table[TCPSM_K_RST][r->state];
		return true;
	}
	if (in_wnd) {
		v->events |= TCPSM_EV_RST_CHALLENGE;
	} else {
		v->events |= TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID;
		v->invalid = TCPSM_INV_SEQ;
	}
	return false;
}

/* A RST: its receiver judges it, then whether its sender is gone. */
static void tcpsm_step_rst(struct tcpsm_end *s, struct tcpsm_end *r,
			   const struct tcpsm_seg *seg, struct tcpsm_verdict *v)
{
	bool accepted = false;

	if (seg->move & TCPSM_MOVE_RECEIVER)
		accepted = tcpsm_rcv_rst(r, s, seg, v);
	/*
	 * A sender not seen sending moves only on a refusal: a RST that acks
	 * the SYN of a client in SYN_SENT ends the LISTEN tcpsm inferred.
	 */
	if (!(seg->move & TCPSM_MOVE_SENDER) && !(accepted && s->state == TCPSM_LISTEN))
		return;
	if (!(s->flags & TCPSM_END_SEEN) && !v->invalid) {
		/* Sequence space of a RST means nothing, unless all we have. */
		s->isn = seg->seq;
		s->snd_nxt = seg->seq;
		s->snd_una = seg->ack;
		s->flags |= TCPSM_END_SEEN;
	}
	if (tcpsm_rst_closes(s, seg, accepted, seg->move & TCPSM_FROM_LOCAL)) {
		s->state = TCPSM_CLOSED;
		v->events |= TCPSM_EV_ABORT;
	}
}

static void tcpsm_invalid(struct tcpsm_verdict *v, u8 why)
{
	v->events |= TCPSM_EV_INVALID;
	v->invalid = why;
}

/*
 * Is @seg acceptable at all, with @ns and @nr the table entries for its
 * sender @s and its receiver @r, and @sq where it lies in @r's window?
 * Returns the reason if not.
 */
static u8 tcpsm_check(const struct tcpsm_end *s, const struct tcpsm_end *r,
		      const struct tcpsm_seg *seg, u8 kind, u8 ns, u8 nr,
		      enum tcpsm_seq_verdict sq)
{
	u8 f = seg->flags;
	u32 back;

	/* Only the client opens; the server sends a SYN in simultaneous open. */
	if (kind == TCPSM_K_SYN && seg->from != TCPSM_ROLE_CLIENT &&
	    !tcpsm_in_handshake(r))
		return TCPSM_INV_STATE;
	if (ns == S_IV || nr == S_IV)
		return TCPSM_INV_STATE;
	/* A first SYN+ACK answers a SYN: its receiver sent one (or gave up). */
	if (kind == TCPSM_K_SYNACK && ns != S_IG && !tcpsm_in_handshake(r) &&
	    r->state != TCPSM_CLOSED)
		return TCPSM_INV_STATE;
	if (sq == TCPSM_SEQ_BAD)
		return TCPSM_INV_SEQ;
	if (!(f & TCPSM_ACK) || sq == TCPSM_SEQ_OLD)
		return TCPSM_INV_NONE;
	if (tcpsm_exact(r)) {
		/* Acks what was never sent (tcp_ack(): invalid_ack) ... */
		if (tcpsm_seq_after(seg->ack, r->snd_nxt))
			return TCPSM_INV_ACK;
		/* ... or older than the largest window its sender offered. */
		back = s->max_win > 0xffff ? s->max_win : 0xffff;
		if (tcpsm_synchronized(r) && tcpsm_seq_before(seg->ack, r->snd_una - back))
			return TCPSM_INV_ACK;
	}
	/* A SYN+ACK in the handshake must ack our SYN (RFC 793 p. 66). */
	if (kind == TCPSM_K_SYNACK && tcpsm_in_handshake(r) &&
	    !tcpsm_acks_syn(r, seg->ack))
		return TCPSM_INV_ACK;
	return TCPSM_INV_NONE;
}

/*
 * An endpoint we took for CLOSED, because we saw the last ACK go to it, sends
 * its FIN again while its peer is in TIME_WAIT: that ACK was lost on the way,
 * and it is still in LAST_ACK (RFC 793 p. 73). Only a remote endpoint can do
 * this; a local socket that is CLOSED sends nothing.
 */
static bool tcpsm_last_ack_lost(const struct tcpsm_end *s, const struct tcpsm_end *r,
				const struct tcpsm_seg *seg)
{
	return (seg->flags & TCPSM_FIN) && s->state == TCPSM_CLOSED &&
	       (s->flags & TCPSM_END_FIN_SENT) && seg->seq + seg->len == s->fin_seq &&
	       r->state == TCPSM_TIME_WAIT;
}

/*
 * The state @s sent @seg from, as far as the segment itself shows: in
 * LAST_ACK after all if its last ACK was lost (tcpsm_last_ack_lost()); past
 * the peer's FIN if its ACK covers that FIN, which tcpsm did not see arrive
 * (data before it was lost and sent again unseen, or tcpsm was loaded late).
 */
static u8 tcpsm_snd_state(const struct tcpsm_end *s, const struct tcpsm_end *r,
			  const struct tcpsm_seg *seg)
{
	u8 n;

	if (tcpsm_last_ack_lost(s, r, seg))
		return TCPSM_LAST_ACK;
	if ((seg->flags & TCPSM_ACK) && (r->flags & TCPSM_END_FIN_SENT) &&
	    !(s->flags & TCPSM_END_FIN_RCVD) && tcpsm_synchronized(s) &&
	    tcpsm_seq_after(seg->ack, r->fin_seq) &&
	    !tcpsm_seq_after(seg->ack, r->snd_nxt)) {
		n = tcpsm_rcv_table[TCPSM_K_FIN][s->state];
		if (n < __TCPSM_STATE_MAX)
			return n;
	}
	return s->state;
}

/*
 * The sender's row, idempotent: a SYN+ACK+FIN seen again while its first
 * sighting holds its sender in FIN_WAIT_1 moves it no further; nor does
 * a SYN its receiver has had already, from a sender past its handshake: a
 * retransmission arriving late (a new connection would have a new ISN).
 */
static u8 tcpsm_snd_row(const struct tcpsm_end *s, const struct tcpsm_end *r, u8 s_state,
			u8 kind, const struct tcpsm_seg *seg)
{
	if ((seg->flags & (TCPSM_SYN | TCPSM_FIN)) == (TCPSM_SYN | TCPSM_FIN) &&
	    s_state == TCPSM_FIN_WAIT_1 && (s->flags & TCPSM_END_FIN_SENT) &&
	    seg->seq == s->isn && s->fin_seq == seg->seq + 1 + seg->len)
		return S_IG;
	if (kind == TCPSM_K_SYN && tcpsm_synchronized(s) && tcpsm_syn_had(s, r, seg))
		return S_IG;
	return tcpsm_snd_table[kind][s_state];
}

/* The sender's row; a SYN+ACK+FIN is a SYN+ACK, then a FIN. */
static void tcpsm_snd_move(struct tcpsm_end *s, const struct tcpsm_seg *seg, u8 ns)
{
	if (ns != S_IG)
		s->state = ns;
	if ((seg->flags & (TCPSM_SYN | TCPSM_FIN)) == (TCPSM_SYN | TCPSM_FIN)) {
		ns = tcpsm_snd_table[TCPSM_K_FIN][s->state];
		if (ns < __TCPSM_STATE_MAX)
			s->state = ns;
	}
}

/*
 * An acceptable @seg reaches @r: its ACK, its data in order, its FIN once
 * all before it is there. @kind is what it is to @r, FIN included.
 */
static void tcpsm_rcv_apply(struct tcpsm_end *r, struct tcpsm_end *s,
			    const struct tcpsm_seg *seg, u8 kind, struct tcpsm_verdict *v)
{
	u32 start = seg->seq, end = seg->seq + seg->len + !!(seg->flags & TCPSM_SYN);
	u8 f = seg->flags, nr;
	bool fin;

	if (f & TCPSM_ACK) {
		/* tcp_ack() zeroes icsk_probes_out on any ACK that is not old. */
		if (r->ka_unanswered && !tcpsm_seq_before(seg->ack, r->snd_una)) {
			r->ka_unanswered = 0;
			v->events |= TCPSM_EV_KA_ANSWERED;
		}
		if (tcpsm_seq_after(seg->ack, r->snd_una))
			r->snd_una = seg->ack;
	}
	if (f & TCPSM_SYN) {
		/*
		 * Only the SYN+ACK's data is taken now; a Fast Open SYN's is
		 * once the SYN+ACK acks it (else it is sent again). A client
		 * that did not ask for Fast Open drops a SYN+ACK's data and
		 * FIN (tcp_rcv_fastopen_synack() is what queues them).
		 */
		if (!(f & TCPSM_ACK) || !(r->flags & TCPSM_END_FASTOPEN)) {
			end = start + 1;
			f &= ~TCPSM_FIN;
		}
		r->rcv_nxt = end;
		r->rcv_wup = end;
		r->flags |= TCPSM_END_RCV;
		r->flags &= ~TCPSM_END_FIN_RCVD;
	} else if (!(r->flags & TCPSM_END_RCV)) {
		r->rcv_nxt = end;
		r->rcv_wup = start;
		r->flags |= TCPSM_END_RCV;
	} else if (!tcpsm_seq_after(start, r->rcv_nxt) && tcpsm_seq_after(end, r->rcv_nxt)) {
		r->rcv_nxt = end;
	}
	fin = (f & TCPSM_FIN) && r->rcv_nxt == end && !(r->flags & TCPSM_END_FIN_RCVD);
	/* a FIN beyond a hole waits: until then the segment is its ACK */
	if ((f & TCPSM_FIN) && !fin && !(f & TCPSM_SYN) && !(r->flags & TCPSM_END_FIN_RCVD))
		kind = tcpsm_classify_flags(r, seg, f & ~TCPSM_FIN);
	v->kind = kind;
	nr = tcpsm_rcv_table[kind][r->state];
	/*
	 * A SYN reaching a local listener makes a request socket there at
	 * once (SYN_RCVD), before its SYN+ACK leaves; LISTEN stands for a
	 * remote server that received it and was not seen answering yet.
	 */
	if (nr == S_LI && (seg->move & TCPSM_TO_LOCAL))
		nr = S_SR;
	if (nr != S_IG)
		r->state = nr;
	if (fin && (kind == TCPSM_K_FIN || kind == TCPSM_K_FINACK)) {
		r->flags |= TCPSM_END_FIN_RCVD;
		r->rcv_nxt = end + 1;
	} else if (fin || tcpsm_fin_due(r, s)) {
		tcpsm_fin_arrives(r, s);
	}
}

void tcpsm_fsm_step(struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg,
		    struct tcpsm_verdict *v)
{
	u8 from = seg->from ? TCPSM_ROLE_SERVER : TCPSM_ROLE_CLIENT;
	struct tcpsm_end *s = &fsm->end[from];
	struct tcpsm_end *r = &fsm->end[!from];
	bool local = seg->move & TCPSM_FROM_LOCAL;
	enum tcpsm_seq_verdict sq;
	u8 f = seg->flags;
	u8 ns, nr, why, s_state;
	u16 opens;
	int i;

	for (i = 0; i < __TCPSM_ROLE_MAX; i++)
		v->old_state[i] = fsm->end[i].state;
	v->kind = tcpsm_classify(r, seg);
	v->invalid = TCPSM_INV_NONE;
	v->events = 0;

	if (v->kind == TCPSM_K_NONE) {
		tcpsm_invalid(v, TCPSM_INV_FLAGS);
		goto out;
	}
	if (!(seg->move & TCPSM_MOVE_BOTH))
		goto out;
	if (f & TCPSM_RST) {
		tcpsm_step_rst(s, r, seg, v);
		goto out;
	}
	if (v->kind == TCPSM_K_SYN) {
		opens = tcpsm_syn_opens(s, r, seg);
		if (opens == TCPSM_EV_INVALID)
			tcpsm_invalid(v, TCPSM_INV_SEQ);
		else
			v->events |= opens;
		if (opens)
			goto out;
	}
	/* tcp_timewait_state_process(): any segment with ACK restarts 2MSL. */
	if ((seg->move & TCPSM_MOVE_RECEIVER) && r->state == TCPSM_TIME_WAIT &&
	    (f & TCPSM_ACK))
		v->events |= f & TCPSM_FIN ? TCPSM_EV_TW_RESTART : TCPSM_EV_TW_ACK;

	/*
	 * A bare SYN is no data to place in a window: opening, or challenged
	 * by a synchronized receiver (RFC 5961 4), wherever it lies.
	 */
	if (v->kind == TCPSM_K_SYN || ((f & TCPSM_SYN) && !tcpsm_synchronized(r)))
		sq = TCPSM_SEQ_IN;
	else
		sq = tcpsm_seq_check(r, seg);
	s_state = tcpsm_snd_state(s, r, seg);
	ns = tcpsm_snd_row(s, r, s_state, v->kind, seg);
	nr = tcpsm_rcv_table[v->kind][r->state];
	why = tcpsm_check(s, r, seg, v->kind, ns, nr, sq);
	if (why != TCPSM_INV_NONE) {
		tcpsm_invalid(v, why);
		/*
		 * Its own stack sent it: the sender moved, whatever the peer
		 * will make of it (but a segment its state cannot send is not
		 * taken for what it seems).
		 */
		if (!local || (why != TCPSM_INV_SEQ && why != TCPSM_INV_ACK))
			goto out;
	} else if (v->kind == TCPSM_K_SYN && tcpsm_synchronized(r) && !local) {
		goto out;	/* challenged: proves nothing of its sender */
	}
	if (sq == TCPSM_SEQ_OLD)
		v->events |= TCPSM_EV_OLD;
	/* an old duplicate moves its sender only back to what it showed before */
	if (sq == TCPSM_SEQ_OLD && (f & TCPSM_FIN) && !local &&
	    !((s->flags & TCPSM_END_FIN_SENT) && seg->seq + seg->len == s->fin_seq))
		goto out;

	/*
	 * Only a sighting that may move the sender teaches it: a segment seen
	 * arriving from a local sender was taken at its LOCAL_OUT already, and
	 * one that never passed there (forged) is not the local socket's.
	 */
	if (seg->move & TCPSM_MOVE_SENDER) {
		s->state = s_state;
		v->events |= tcpsm_snd_events(s, r, seg);
		if (sq != TCPSM_SEQ_OLD || local)
			tcpsm_snd_learn(s, r, seg, why == TCPSM_INV_NONE);
		tcpsm_snd_move(s, seg, ns);
	}

	if (!(seg->move & TCPSM_MOVE_RECEIVER) || why != TCPSM_INV_NONE ||
	    sq == TCPSM_SEQ_OLD || (v->kind == TCPSM_K_SYN && tcpsm_synchronized(r)))
		goto out;
	/* taken by a receiver that sent something: an answer, not a stray */
	if ((f & TCPSM_ACK) && r->state >= TCPSM_SYN_SENT)
		s->flags |= TCPSM_END_ACKED;
	tcpsm_rcv_apply(r, s, seg, v->kind, v);
out:
	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		v->new_state[i] = fsm->end[i].state;
		if (v->new_state[i] != v->old_state[i])
			v->events |= TCPSM_EV_TRANSITION;
	}
}

/*
 * A server in SYN_RCVD is a request socket, unless it took the data of a
 * Fast Open SYN (acked past the SYN): then a child socket of its own.
 */
static bool tcpsm_request_sock(const struct tcpsm_end *e, const struct tcpsm_end *peer)
{
	return !(peer->flags & TCPSM_END_ISN) || !(e->flags & TCPSM_END_RCV) ||
	       !tcpsm_seq_after(e->rcv_nxt, peer->isn + 1);
}

/*
 * tcp_v4_err() and tcp_v6_err(): the quoted sequence number must be one the
 * endpoint sent and is not acked yet (a request socket's: its ISN), or the
 * error is forged or stale and ignored. An endpoint still in SYN_SENT gives
 * up on any error, a request socket on a fatal one, a Fast Open child on
 * any; later, errors are soft. A peer that never answered the SYN an error
 * killed never got it: its LISTEN, inferred, goes too.
 */
enum tcpsm_icmp_verdict tcpsm_fsm_icmp(struct tcpsm_fsm *fsm, u8 who, u32 seq, bool fatal,
				       struct tcpsm_verdict *v)
{
	struct tcpsm_end *e = &fsm->end[who ? TCPSM_ROLE_SERVER : TCPSM_ROLE_CLIENT];
	struct tcpsm_end *peer = &fsm->end[who ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER];
	enum tcpsm_icmp_verdict ret = TCPSM_ICMP_SOFT;
	bool req = e->state == TCPSM_SYN_RCVD && tcpsm_request_sock(e, peer);
	int i;

	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		v->old_state[i] = fsm->end[i].state;
		v->new_state[i] = fsm->end[i].state;
	}
	v->kind = TCPSM_K_NONE;
	v->invalid = TCPSM_INV_NONE;
	v->events = 0;
	if (e->state == TCPSM_CLOSED || e->state == TCPSM_LISTEN ||
	    !(e->flags & TCPSM_END_SEEN))
		return TCPSM_ICMP_IGNORED;
	if (tcpsm_exact(e) && (req ? seq != e->isn :
			       !tcpsm_seq_in(seq, e->snd_una, e->snd_nxt + 1)))
		return TCPSM_ICMP_IGNORED;
	if (e->state == TCPSM_SYN_SENT || (e->state == TCPSM_SYN_RCVD && (fatal || !req))) {
		e->state = TCPSM_CLOSED;
		if (peer->state == TCPSM_LISTEN)
			peer->state = TCPSM_CLOSED;
		ret = TCPSM_ICMP_ABORTED;
	}
	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		v->new_state[i] = fsm->end[i].state;
		if (v->new_state[i] != v->old_state[i])
			v->events |= TCPSM_EV_TRANSITION;
	}
	return ret;
}

/*
 * A connection first seen mid-stream. What @seg shows:
 *  - a bare SYN, a RST, invalid flags: nothing; both CLOSED as from init,
 *    and step() takes the SYN as an open (its sender must be the client) or
 *    the RST as the end of an unknown connection;
 *  - a SYN+ACK: its receiver sent a SYN, isn = ack - 1, and is SYN_SENT;
 *    its sender received it and is LISTEN (a server) or SYN_SENT (a client,
 *    simultaneous open); step() moves both on;
 *  - anything else (an ACK, with or without FIN or data): both ESTABLISHED.
 *    The sender has sent up to seq (step() adds the segment itself) and
 *    received up to ack, the receiver the other way round. Neither SYN was
 *    seen: no isn (seq - 1 and ack - 1 stand in), no window scale, so
 *    windows are taken as the largest possible, acks are not checked
 *    against what a receiver sent, and its snd_nxt rises with what the
 *    peer acks. A FIN is then stepped as from ESTABLISHED.
 */
void tcpsm_fsm_pickup(struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg)
{
	u8 from = seg->from ? TCPSM_ROLE_SERVER : TCPSM_ROLE_CLIENT;
	struct tcpsm_end *s = &fsm->end[from];
	struct tcpsm_end *r = &fsm->end[!from];

	tcpsm_fsm_init(fsm);
	if (!tcpsm_flags_valid(seg->flags) || !(seg->flags & TCPSM_ACK) ||
	    (seg->flags & TCPSM_RST))
		return;
	if (seg->flags & TCPSM_SYN) {
		r->state = TCPSM_SYN_SENT;
		r->isn = seg->ack - 1;
		r->snd_nxt = seg->ack;
		r->snd_una = r->isn;
		r->win = TCPSM_MAX_WIN;
		/* Its SYN had the option if the SYN+ACK has it; value unknown. */
		if (seg->wscale != TCPSM_NO_WSCALE)
			r->wscale = TCPSM_MAX_WSCALE;
		r->flags = TCPSM_END_ISN;
		s->state = from == TCPSM_ROLE_SERVER ? TCPSM_LISTEN : TCPSM_SYN_SENT;
		s->rcv_nxt = seg->ack;
		s->rcv_wup = seg->ack;
		s->flags = TCPSM_END_RCV;
		return;
	}
	s->state = TCPSM_ESTABLISHED;
	s->isn = seg->seq - 1;
	s->snd_nxt = seg->seq;
	s->snd_una = seg->seq;
	s->rcv_nxt = seg->ack;
	s->rcv_wup = seg->ack;
	s->win = TCPSM_MAX_WIN;
	s->flags = TCPSM_END_SEEN | TCPSM_END_RCV;
	r->state = TCPSM_ESTABLISHED;
	r->isn = seg->ack - 1;
	r->snd_nxt = seg->ack;
	r->snd_una = seg->ack;
	r->rcv_nxt = seg->seq;
	r->rcv_wup = seg->seq;
	r->win = TCPSM_MAX_WIN;
	r->flags = TCPSM_END_SEEN | TCPSM_END_RCV;
}
