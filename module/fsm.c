// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm's TCP state machine: the RFC 793 state of both endpoints of one
 * connection, driven by the segments a hook observes.
 *
 * Observation model. A hook sees a segment and says which endpoints this
 * sighting moves (seg->move). Over loopback every segment is seen twice:
 * at LOCAL_OUT with TCPSM_MOVE_SENDER (it has left its sender) and at
 * LOCAL_IN with TCPSM_MOVE_RECEIVER (it has reached its receiver); a segment
 * between remote hosts is seen once with TCPSM_MOVE_BOTH. Hence:
 *
 *  - Validity (flags, state, sequence, acknowledgment) is judged on every
 *    sighting; an invalid segment changes nothing (but an RST still closes
 *    its sender: it aborted).
 *  - The sender's sequence facts are updated on every sighting, as maxima,
 *    so a second sighting is harmless.
 *  - The sender table is applied on every sighting. Its rows are idempotent
 *    (applying a row to the state it produced changes nothing), so the
 *    receiver-side sighting of a segment whose sender already moved leaves
 *    the sender alone, while one whose sender-side sighting was missed still
 *    moves the sender: the segment proves it was sent.
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
/* syn */	{ S_SS, S_SR, S_IG, S_IG, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV, S_IV },
/*
 * active open; LISTEN answers with a SYN of its own (simultaneous open, the
 * peer's SYN already received); retransmissions; never once synchronized
 * (TIME_WAIT is handled as a reuse before the table).
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
/* whoever sends a RST has aborted. */
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

void tcpsm_fsm_expire(struct tcpsm_fsm *fsm, enum tcpsm_role who)
{
	if (who < __TCPSM_ROLE_MAX)
		fsm->end[who].state = TCPSM_CLOSED;
}

/*
 * Impossible flag combinations (as nf_conntrack's tcp_valid_flags, less
 * strict): SYN with FIN or RST, and a segment without any of SYN, ACK and
 * RST, which includes a FIN without ACK.
 */
static bool tcpsm_flags_valid(u8 flags)
{
	if ((flags & TCPSM_SYN) && (flags & (TCPSM_FIN | TCPSM_RST)))
		return false;
	return flags & (TCPSM_SYN | TCPSM_ACK | TCPSM_RST);
}

static bool tcpsm_in_handshake(const struct tcpsm_end *e)
{
	return e->state == TCPSM_SYN_SENT || e->state == TCPSM_SYN_RCVD;
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

/* What @seg is, as its receiver @r sees it. */
static u8 tcpsm_classify(const struct tcpsm_end *r, const struct tcpsm_seg *seg)
{
	if (!tcpsm_flags_valid(seg->flags))
		return TCPSM_K_NONE;
	if (seg->flags & TCPSM_RST)
		return TCPSM_K_RST;
	if (seg->flags & TCPSM_SYN)
		return seg->flags & TCPSM_ACK ? TCPSM_K_SYNACK : TCPSM_K_SYN;
	if (seg->flags & TCPSM_FIN)
		return tcpsm_acks_fin(r, seg) ? TCPSM_K_FINACK : TCPSM_K_FIN;
	if (tcpsm_acks_fin(r, seg))
		return TCPSM_K_ACKFIN;
	if (tcpsm_in_handshake(r) && tcpsm_acks_syn(r, seg->ack))
		return TCPSM_K_ACKSYN;
	return TCPSM_K_ACK;
}

/*
 * The receiver's window, for RST acceptance. Unknown (it sent nothing yet) or
 * of an unknown scale (picked up mid-stream: its SYN was never seen), it is
 * taken as the largest possible: lenient, a RST is then challenged rather
 * than ignored.
 */
static u32 tcpsm_rcv_wnd(const struct tcpsm_end *r)
{
	return tcpsm_exact(r) ? r->win : TCPSM_MAX_WIN;
}

/*
 * A bare SYN for the tuple of a finished connection: one endpoint in
 * TIME_WAIT, or both CLOSED after both sent something.
 */
static bool tcpsm_reuse_candidate(const struct tcpsm_end *s, const struct tcpsm_end *r)
{
	if (s->state == TCPSM_TIME_WAIT || r->state == TCPSM_TIME_WAIT)
		return true;
	return s->state == TCPSM_CLOSED && r->state == TCPSM_CLOSED &&
	       (s->flags & TCPSM_END_SEEN) && (r->flags & TCPSM_END_SEEN);
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
	/* Linux's tcp_xmit_probe_skb(): snd_una - 1, no data (or one byte). */
	if (!(f & TCPSM_FIN) && seg->len <= 1 && seg->seq == s->snd_nxt - 1) {
		if ((r->flags & TCPSM_END_SEEN) && r->win == 0) {
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

/* What @seg tells of its sender @s; every sighting, so only maxima. */
static void tcpsm_snd_learn(struct tcpsm_end *s, struct tcpsm_end *r,
			    const struct tcpsm_seg *seg)
{
	u32 end = seg->seq + seg->len;
	u8 f = seg->flags;
	bool scale;

	if (f & TCPSM_RST) {
		/* Sequence space of a RST means nothing, unless all we have. */
		if (!(s->flags & TCPSM_END_SEEN)) {
			s->isn = seg->seq;
			s->snd_nxt = seg->seq;
			s->snd_una = seg->ack;
			s->flags |= TCPSM_END_SEEN;
		}
		return;
	}
	if (f & TCPSM_SYN) {
		end++;	/* and the data of a TCP Fast Open SYN */
		if (s->state == TCPSM_CLOSED || s->state == TCPSM_LISTEN ||
		    !(s->flags & TCPSM_END_ISN)) {
			/* Its first SYN: whatever it sent before is history. */
			s->isn = seg->seq;
			s->snd_nxt = end;
			s->snd_una = seg->seq;
			s->ka_unanswered = 0;
			s->flags &= ~(TCPSM_END_FIN_SENT | TCPSM_END_SYNACK);
			s->flags |= TCPSM_END_ISN;
		}
		if (f & TCPSM_ACK)
			s->flags |= TCPSM_END_SYNACK;
		s->wscale = seg->wscale == TCPSM_NO_WSCALE ? TCPSM_NO_WSCALE :
			    seg->wscale > TCPSM_MAX_WSCALE ? TCPSM_MAX_WSCALE : seg->wscale;
		/* RFC 7323 2.2: scaling only if both SYNs carried the option. */
		scale = s->wscale != TCPSM_NO_WSCALE && r->wscale != TCPSM_NO_WSCALE &&
			(r->flags & TCPSM_END_ISN) && r->state != TCPSM_CLOSED &&
			r->state != TCPSM_LISTEN;
		if (scale) {
			s->flags |= TCPSM_END_WSCALE;
			r->flags |= TCPSM_END_WSCALE;
		} else {
			s->flags &= ~TCPSM_END_WSCALE;
			r->flags &= ~TCPSM_END_WSCALE;
		}
	}
	if (f & TCPSM_FIN) {
		if (!(s->flags & TCPSM_END_FIN_SENT)) {
			s->fin_seq = end;
			s->flags |= TCPSM_END_FIN_SENT;
		}
		end++;
	}
	if (!(s->flags & TCPSM_END_SEEN) || tcpsm_seq_after(end, s->snd_nxt))
		s->snd_nxt = end;
	s->flags |= TCPSM_END_SEEN;
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	s->win = seg->win;
	if (!(f & TCPSM_SYN) && (s->flags & TCPSM_END_WSCALE))
		s->win <<= s->wscale;
	/* Acked, so sent: a picked-up receiver's snd_nxt is only a floor. */
	if ((f & TCPSM_ACK) && (r->flags & TCPSM_END_SEEN) && !tcpsm_exact(r) &&
	    tcpsm_seq_after(seg->ack, r->snd_nxt))
		r->snd_nxt = seg->ack;
}

/*
 * A RST reaches @r from @s (RFC 793 3.4, RFC 5961 3.2). rcv_nxt, what @r
 * expects next from @s, is @s's snd_nxt; when @s never sent anything before,
 * it is the RST's own sequence number (exact, hence accepted).
 */
static void tcpsm_rcv_rst(struct tcpsm_end *r, const struct tcpsm_end *s,
			  const struct tcpsm_seg *seg, struct tcpsm_verdict *v)
{
	u32 rcv_nxt = s->snd_nxt;
	u32 wnd = tcpsm_rcv_wnd(r);
	bool exact = seg->seq == rcv_nxt;
	bool in_wnd = exact || tcpsm_seq_in(seg->seq, rcv_nxt, rcv_nxt + wnd);

	switch (r->state) {
	case TCPSM_CLOSED:
	case TCPSM_LISTEN:
		v->events |= TCPSM_EV_RST_IGNORED;
		return;
	case TCPSM_SYN_SENT:
		/* Acceptable only if it acks our SYN, whatever its sequence. */
		if ((seg->flags & TCPSM_ACK) && tcpsm_acks_syn(r, seg->ack)) {
			v->events |= TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED;
			r->state = TCPSM_CLOSED;
			return;
		}
		v->events |= TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID;
		v->invalid = TCPSM_INV_ACK;
		return;
	case TCPSM_SYN_RCVD:
		/* Not synchronized yet: anywhere in the window resets. */
		exact = in_wnd;
		break;
	case TCPSM_TIME_WAIT:
		/* tcp_timewait_state_process(), rfc1337 off: exact kills it. */
		if (!exact && in_wnd) {
			v->events |= TCPSM_EV_RST_IGNORED;
			return;
		}
		break;
	default:
		break;
	}
	if (exact) {
		v->events |= TCPSM_EV_RST_ACCEPTED;
		r->state = tcpsm_rcv_table[TCPSM_K_RST][r->state];
	} else if (in_wnd) {
		v->events |= TCPSM_EV_RST_CHALLENGE;
	} else {
		v->events |= TCPSM_EV_RST_IGNORED | TCPSM_EV_INVALID;
		v->invalid = TCPSM_INV_SEQ;
	}
}

static void tcpsm_invalid(struct tcpsm_verdict *v, u8 why)
{
	v->events |= TCPSM_EV_INVALID;
	v->invalid = why;
}

/*
 * Is @seg acceptable at all, with @ns and @nr the table entries for its
 * sender and its receiver @r? Returns the reason if not.
 */
static u8 tcpsm_check(const struct tcpsm_end *r, const struct tcpsm_seg *seg,
		      u8 kind, u8 ns, u8 nr)
{
	u8 f = seg->flags;

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
	if (!(f & TCPSM_ACK) || (f & TCPSM_RST))
		return TCPSM_INV_NONE;
	/* Acks what was never sent; unknown for a picked-up receiver. */
	if (tcpsm_exact(r) && tcpsm_seq_after(seg->ack, r->snd_nxt))
		return TCPSM_INV_ACK;
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

void tcpsm_fsm_step(struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg,
		    struct tcpsm_verdict *v)
{
	u8 from = seg->from ? TCPSM_ROLE_SERVER : TCPSM_ROLE_CLIENT;
	struct tcpsm_end *s = &fsm->end[from];
	struct tcpsm_end *r = &fsm->end[!from];
	u8 f = seg->flags;
	u8 ns, nr, why, s_state;
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
	/*
	 * RFC 6191 / tcp_timewait_state_process(): a SYN after all the old
	 * connection sent is a new connection, for the caller to start over;
	 * anything else is an old duplicate.
	 */
	if (v->kind == TCPSM_K_SYN && tcpsm_reuse_candidate(s, r)) {
		if (!(s->flags & TCPSM_END_SEEN) || tcpsm_seq_after(seg->seq, s->snd_nxt))
			v->events |= TCPSM_EV_REUSE;
		else
			tcpsm_invalid(v, TCPSM_INV_SEQ);
		goto out;
	}
	/* judged from LAST_ACK, but an invalid segment changes nothing */
	s_state = tcpsm_last_ack_lost(s, r, seg) ? TCPSM_LAST_ACK : s->state;
	ns = tcpsm_snd_table[v->kind][s_state];
	nr = tcpsm_rcv_table[v->kind][r->state];
	why = tcpsm_check(r, seg, v->kind, ns, nr);
	if (why != TCPSM_INV_NONE) {
		tcpsm_invalid(v, why);
		goto out;
	}
	s->state = s_state;
	if (!(seg->move & TCPSM_MOVE_BOTH))
		goto out;

	if (seg->move & TCPSM_MOVE_SENDER)
		v->events |= tcpsm_snd_events(s, r, seg);
	tcpsm_snd_learn(s, r, seg);
	if (ns != S_IG)
		s->state = ns;

	if (!(seg->move & TCPSM_MOVE_RECEIVER))
		goto out;
	if (f & TCPSM_RST) {
		tcpsm_rcv_rst(r, s, seg, v);
		goto out;
	}
	if ((f & TCPSM_ACK) && tcpsm_seq_after(seg->ack, r->snd_una))
		r->snd_una = seg->ack;
	/*
	 * Linux's tcp_ack() zeroes icsk_probes_out on any ACK that is not old;
	 * a keepalive's answer acks all the prober sent. Counted where the
	 * prober gets it.
	 */
	if ((f & TCPSM_ACK) && r->ka_unanswered && seg->ack == r->snd_nxt) {
		r->ka_unanswered = 0;
		v->events |= TCPSM_EV_KA_ANSWERED;
	}
	if (r->state == TCPSM_TIME_WAIT && (f & TCPSM_FIN))
		v->events |= TCPSM_EV_TW_RESTART;
	if (nr != S_IG)
		r->state = nr;
out:
	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		v->new_state[i] = fsm->end[i].state;
		if (v->new_state[i] != v->old_state[i])
			v->events |= TCPSM_EV_TRANSITION;
	}
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
 *    The sender has sent up to seq (step() adds the segment itself), the
 *    receiver up to ack. Neither SYN was seen: no isn (seq - 1 and ack - 1
 *    stand in), no window scale, so windows are taken as the largest
 *    possible, acks are not checked against what a receiver sent, and
 *    its snd_nxt rises with what the peer acks. A FIN is then stepped as
 *    from ESTABLISHED.
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
		return;
	}
	s->state = TCPSM_ESTABLISHED;
	s->isn = seg->seq - 1;
	s->snd_nxt = seg->seq;
	s->snd_una = seg->seq;
	s->win = TCPSM_MAX_WIN;
	s->flags = TCPSM_END_SEEN;
	r->state = TCPSM_ESTABLISHED;
	r->isn = seg->ack - 1;
	r->snd_nxt = seg->ack;
	r->snd_una = seg->ack;
	r->win = TCPSM_MAX_WIN;
	r->flags = TCPSM_END_SEEN;
}
