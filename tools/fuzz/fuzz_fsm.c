// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for module/fsm.c, the state machine, compiled unchanged.
 *
 * The input is a list of 12-byte operations on one connection, applied as
 * hooks.c applies them: a segment observed (from either end, moving its
 * sender, its receiver or both; its sequence and acknowledgment numbers
 * picked near what the endpoints sent and acked, or anywhere), an endpoint's
 * timer running out, the last segment seen again up to 255 times, and, as
 * the first operation only, a connection picked up mid-stream. A SYN that
 * opens a new connection on the tuple (TCPSM_EV_REUSE, TCPSM_EV_REOPEN)
 * replaces the connection, as hooks.c does: a fresh one, whose client is
 * the SYN's sender, steps it again.
 *
 * After every operation:
 *  - both states are valid, and the pair is one TCP can reach
 *    (tcpsm_fsm_reachable());
 *  - window scales are at most 14 or none;
 *  - the verdict agrees with the machine: old and new states, a known kind
 *    and reason, TCPSM_EV_INVALID exactly when a reason is given,
 *    TCPSM_EV_TRANSITION exactly when a state changed;
 *  - an invalid segment changes nothing, unless it was seen leaving a local
 *    socket (then its sender may move, its receiver never does): a segment
 *    the acceptability test rejects teaches the machine nothing;
 *  - counters never go backwards: the keepalive and zero-window probe counts
 *    rise by one exactly on their events, and the unanswered keepalive count
 *    rises by one on a probe and falls only to zero, when the probes are
 *    answered or the endpoint sends a new SYN; a timer changes no counter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsm.h"

static unsigned int op_no;
static const struct tcpsm_fsm *cur_fsm;
static const struct tcpsm_seg *cur_seg;

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_fsm.c:%d: operation %u: invariant broken: %s\n",
		line, op_no, what);
	if (cur_fsm && cur_seg)
		fprintf(stderr,
			"states %u/%u after a segment from %u: flags %#x seq %u ack %u len %u\n",
			cur_fsm->end[0].state, cur_fsm->end[1].state, cur_seg->from,
			cur_seg->flags, cur_seg->seq, cur_seg->ack, cur_seg->len);
	abort();
}

#define CHECK(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

#define OP_SIZE		12
#define OP_EXPIRE	5
#define OP_REPEAT	6
#define OP_PICKUP	7

static u32 raw32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* A segment from the operation @op, relative to the machine's state. */
static void make_seg(const struct tcpsm_fsm *fsm, const u8 *op, struct tcpsm_seg *seg)
{
	u8 from = (op[0] >> 3) & 1, move = (op[0] >> 4) & 3;
	u8 local = (op[0] >> 6) & 1;
	const struct tcpsm_end *s = &fsm->end[from], *r = &fsm->end[!from];
	u32 raw = raw32(op + 4);
	const u32 seqs[8] = {
		s->snd_nxt, s->snd_nxt - 1, s->isn, s->fin_seq, s->fin_seq + 1,
		r->snd_una, raw, s->snd_nxt + (raw & 0xffff),
	};
	const u32 acks[8] = {
		r->snd_nxt, r->isn + 1, r->fin_seq + 1, r->fin_seq, r->snd_una,
		s->snd_una, raw, r->snd_nxt + (raw >> 16),
	};
	const u16 wins[4] = { 0, 1000, 65535, (u16)raw };

	memset(seg, 0, sizeof(*seg));
	seg->from = from ? TCPSM_ROLE_SERVER : TCPSM_ROLE_CLIENT;
	seg->move = move ? move : TCPSM_MOVE_BOTH;
	if (local && (seg->move & TCPSM_MOVE_SENDER))
		seg->move |= TCPSM_FROM_LOCAL;
	if ((op[2] & 0x80) && (seg->move & TCPSM_MOVE_RECEIVER))
		seg->move |= TCPSM_TO_LOCAL;
	seg->flags = op[1] & 0x3f;
	seg->opts = (op[1] >> 6) | (op[0] >> 7 ? TCPSM_SEG_IDLE : 0) |
		    (op[3] & 0x80 ? TCPSM_SEG_FASTOPEN : 0);
	seg->tsval = raw ^ 0x80000000u;
	seg->seq = seqs[op[2] & 7] + (int8_t)op[8];
	seg->ack = acks[op[3] & 7] + (int8_t)op[9];
	seg->len = op[10] < 0xc0 ? op[10] % 3 : (op[10] - 0xc0) * 1000u;
	seg->win = wins[op[11] & 3];
	seg->wscale = op[11] >> 2 ? (op[11] >> 2) - 1 : TCPSM_NO_WSCALE;
}

static void check_machine(const struct tcpsm_fsm *fsm)
{
	int i;

	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		CHECK(fsm->end[i].state < __TCPSM_STATE_MAX);
		CHECK(fsm->end[i].wscale <= TCPSM_MAX_WSCALE ||
		      fsm->end[i].wscale == TCPSM_NO_WSCALE);
	}
	CHECK(tcpsm_fsm_reachable(fsm->end[TCPSM_ROLE_CLIENT].state,
				  fsm->end[TCPSM_ROLE_SERVER].state));
}

/* One step of @seg on @fsm, checked against the machine before it, @old. */
static void step_checked(struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg,
			 struct tcpsm_verdict *v)
{
	const struct tcpsm_fsm old = *fsm;
	u8 from = seg->from, to = !seg->from;
	int i;

	memset(v, 0x5a, sizeof(*v));
	cur_fsm = fsm;
	cur_seg = seg;
	tcpsm_fsm_step(fsm, seg, v);
	check_machine(fsm);
	CHECK(v->kind < __TCPSM_K_MAX);
	CHECK(v->invalid < __TCPSM_INV_MAX);
	CHECK(!(v->events & TCPSM_EV_INVALID) == !v->invalid);
	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		CHECK(v->old_state[i] == old.end[i].state);
		CHECK(v->new_state[i] == fsm->end[i].state);
	}
	CHECK(!(v->events & TCPSM_EV_TRANSITION) ==
	      (v->old_state[0] == v->new_state[0] && v->old_state[1] == v->new_state[1]));
	if (v->invalid && !(seg->move & TCPSM_FROM_LOCAL))
		CHECK(!memcmp(&old, fsm, sizeof(old)));
	if (v->invalid)
		CHECK(!memcmp(&old.end[to], &fsm->end[to], sizeof(old.end[to])));
	if (!(seg->move & TCPSM_MOVE_SENDER) &&
	    !(old.end[from].state == TCPSM_LISTEN && (v->events & TCPSM_EV_ABORT))) {
		/*
		 * a receiver's sighting teaches its sender nothing, but that it
		 * was answered (or, a refusal, that an inferred LISTEN is gone)
		 */
		struct tcpsm_end s = fsm->end[from];

		s.flags = (s.flags & ~TCPSM_END_ACKED) | (old.end[from].flags & TCPSM_END_ACKED);
		CHECK(!memcmp(&old.end[from], &s, sizeof(s)));
	}
	if (v->events & (TCPSM_EV_REUSE | TCPSM_EV_REOPEN))
		CHECK(!memcmp(&old, fsm, sizeof(old)));

	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		const struct tcpsm_end *o = &old.end[i], *n = &fsm->end[i];
		bool probe = i == from && (v->events & TCPSM_EV_KA_PROBE);

		CHECK(n->ka_probes == o->ka_probes + probe);
		CHECK(n->zw_probes == o->zw_probes +
		      (i == from && (v->events & TCPSM_EV_ZW_PROBE)));
		if (n->ka_unanswered > o->ka_unanswered)
			CHECK(probe && n->ka_unanswered == o->ka_unanswered + 1);
		if (n->ka_unanswered < o->ka_unanswered)
			CHECK(!n->ka_unanswered &&
			      ((i == to && (v->events & TCPSM_EV_KA_ANSWERED)) ||
			       (i == from && (seg->flags & TCPSM_SYN))));
		if (probe && o->ka_unanswered == 255)
			CHECK(n->ka_unanswered == 255);
	}
}

/*
 * @seg as the hooks see it: a receiver's sighting alone (LOCAL_IN over
 * loopback) follows its sender's (LOCAL_OUT), so that honest exchanges are
 * what the reachability invariant checks; a receiver's sighting alone is a
 * forgery, whose pairs the state machine's tests meet apart.
 */
static void step_seen(struct tcpsm_fsm *fsm, const struct tcpsm_seg *seg,
		      struct tcpsm_verdict *v)
{
	if ((seg->move & TCPSM_MOVE_BOTH) == TCPSM_MOVE_RECEIVER) {
		struct tcpsm_seg out = *seg;

		out.move = TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL;
		step_checked(fsm, &out, v);
		if (v->events & (TCPSM_EV_REUSE | TCPSM_EV_REOPEN))
			return;
	}
	step_checked(fsm, seg, v);
}

/* libFuzzer's entry point, under its name (asm label: no CamelCase here) */
int fuzz_one(const uint8_t *data, size_t size) __asm__("LLVMFuzzerTestOneInput");

int fuzz_one(const uint8_t *data, size_t size)
{
	struct tcpsm_seg seg = {}, last;
	struct tcpsm_verdict v;
	struct tcpsm_fsm fsm;
	bool have_last = false;
	size_t off;

	tcpsm_fsm_init(&fsm);
	check_machine(&fsm);
	for (off = 0, op_no = 0; off + OP_SIZE <= size; off += OP_SIZE, op_no++) {
		const u8 *op = data + off;
		unsigned int n = 1, k;

		switch (op[0] & 7) {
		case OP_EXPIRE: {
			const struct tcpsm_fsm old = fsm;
			u8 who = op[1] & 1;

			tcpsm_fsm_expire(&fsm, who);
			CHECK(fsm.end[who].state == TCPSM_CLOSED);
			fsm.end[who].state = old.end[who].state;
			CHECK(!memcmp(&old, &fsm, sizeof(old)));	/* nothing else */
			fsm.end[who].state = TCPSM_CLOSED;
			check_machine(&fsm);
			continue;
		}
		case OP_REPEAT:
			if (!have_last)
				continue;
			seg = last;
			n = op[1];
			break;
		case OP_PICKUP:
			make_seg(&fsm, op, &seg);
			if (op_no)
				break;
			tcpsm_fsm_pickup(&fsm, &seg);
			check_machine(&fsm);
			break;
		default:
			make_seg(&fsm, op, &seg);
		}
		for (k = 0; k < n; k++) {
			step_seen(&fsm, &seg, &v);
			if (v.events & (TCPSM_EV_REUSE | TCPSM_EV_REOPEN)) {
				/* hooks.c: a new entry, whose client sent the SYN */
				tcpsm_fsm_init(&fsm);
				seg.from = TCPSM_ROLE_CLIENT;
				step_checked(&fsm, &seg, &v);
				CHECK(!(v.events & (TCPSM_EV_REUSE | TCPSM_EV_REOPEN)));
			}
		}
		last = seg;
		have_last = true;
	}
	return 0;
}
