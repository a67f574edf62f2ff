// SPDX-License-Identifier: GPL-2.0
/*
 * One parsed packet through the table, as module/hooks.c does at its hooks:
 * where the observer stands decides the hook (FORWARD for a router,
 * LOCAL_OUT and LOCAL_IN for a host), and so which endpoints a segment
 * moves. The steps are hooks.c's, in its order; every rule they apply is
 * the module's (fsm.c, timeout.c, report.c).
 */
#include <string.h>

#include "replay.h"

enum hook { HOOK_FORWARD, HOOK_LOCAL_OUT, HOOK_LOCAL_IN };

/* hooks.c's conn_apply(): one segment to a live entry. */
static void conn_apply(struct replay *r, struct rconn *c, struct tcpsm_seg *seg)
{
	struct ev_ctx e = { r, c };
	struct tcpsm_verdict v;
	unsigned int entered = 0;
	u8 ka_dead = c->ka_dead, dead;
	int i;

	if (tcpsm_ka_idle(c->last_data, &r->cfg, r->now))
		seg->opts |= TCPSM_SEG_IDLE;
	tcpsm_fsm_step(&c->fsm, seg, &v);
	if (v.events & (TCPSM_EV_REUSE | TCPSM_EV_REOPEN)) {
		c->flags |= RF_REUSE;	/* the caller replaces the entry */
		stat_inc(r, v.events & TCPSM_EV_REUSE ? TCPSM_STAT_TW_REUSE :
			 TCPSM_STAT_REOPENED);
		return;
	}
	tcpsm_step_stats(seg, &v, stat_inc, r);
	for (i = 0; i < __TCPSM_ROLE_MAX; i++)
		if (v.old_state[i] != v.new_state[i])
			entered |= BIT(i);
	if (seg->move & TCPSM_MOVE_SENDER) {	/* count each segment once */
		c->pkts[seg->from]++;
		c->bytes[seg->from] += seg->len;
	}
	c->last_seen = r->now;
	dead = tcpsm_ka_after_step(&c->fsm, seg, &v, c->ka_last_probe, &c->last_data,
				   c->ka_dead, r->now);
	if (dead != c->ka_dead) {
		c->ka_dead = dead;
		stat_inc(r, TCPSM_STAT_KA_DEAD);
	}
	if (v.events & (TCPSM_EV_RST_ACCEPTED | TCPSM_EV_REFUSED))
		c->destroy_reason = TCPSM_DESTROY_RESET;
	if (v.events & (TCPSM_EV_TW_RESTART | TCPSM_EV_TW_ACK)) {
		if (v.events & TCPSM_EV_TW_RESTART)
			c->tw_restarts++;
		else
			c->tw_ack_restarts++;
		c->deadline[!seg->from] =
			tcpsm_deadline_in(r->now, tcpsm_timer_secs(&r->cfg, TCPSM_TIMER_TIME_WAIT));
	}
	if (entered)
		conn_set_class(r, c);
	tcpsm_deadline_update(&c->fsm, c->deadline, &r->cfg, r->now, entered);
	tcpsm_step_events(seg, &v, ka_dead, c->ka_dead, emit_cb, &e);
}

/* hooks.c's conn_start(): a SYN starts an entry, else a pickup if allowed. */
static struct rconn *conn_start(struct replay *r, const struct tcpsm_key *key,
				struct tcpsm_pkt *p, u8 src_idx)
{
	struct tcpsm_seg *seg = &p->seg;
	struct rconn *c;
	u8 client;

	if ((seg->flags & (TCPSM_SYN | TCPSM_ACK | TCPSM_RST)) == TCPSM_SYN) {
		client = src_idx;
	} else if (!r->cfg.pickup || (seg->flags & TCPSM_RST)) {
		stat_inc(r, TCPSM_STAT_UNTRACKED);
		return NULL;
	} else if (seg->flags & TCPSM_SYN) {
		client = !src_idx;	/* SYN+ACK: the sender is the server */
	} else {
		/* Mid-stream: guess that the lower port is the server's. */
		client = ntohs(p->sport) > ntohs(p->dport) ? src_idx : !src_idx;
	}
	c = conn_create(r, key, client);
	if (!c || (seg->flags & (TCPSM_SYN | TCPSM_ACK)) == TCPSM_SYN)
		return c;
	seg->from = src_idx == c->client ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER;
	tcpsm_fsm_pickup(&c->fsm, seg);
	conn_set_class(r, c);
	c->flags |= RF_PICKUP;
	stat_inc(r, TCPSM_STAT_PICKED_UP);
	return c;
}

/* hooks.c's tcpsm_track() for one sighting at @hook. */
static void track_seg(struct replay *r, struct tcpsm_pkt *p, enum hook hook, bool peer_local)
{
	struct tcpsm_seg *seg = &p->seg;
	bool replaced = false;
	struct tcpsm_key key;
	struct rconn *c;
	u8 src_idx;
	int tries;

	if (hook == HOOK_LOCAL_OUT)
		seg->move = TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL |
			    (peer_local ? 0 : TCPSM_MOVE_RECEIVER);
	else if (hook == HOOK_LOCAL_IN)
		seg->move = TCPSM_MOVE_RECEIVER | TCPSM_TO_LOCAL |
			    (peer_local ? 0 : TCPSM_MOVE_SENDER);
	else
		seg->move = TCPSM_MOVE_BOTH;
	tcpsm_key_make(&key, p, &src_idx);
	for (tries = 0; tries < 2; tries++) {
		c = conn_lookup(r, &key);
		if (!c) {
			c = conn_start(r, &key, p, src_idx);
			if (!c)
				return;
		}
		if (!conn_catch_up(r, c))
			continue;	/* it timed out: look again */
		seg->from = src_idx == c->client ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER;
		if (replaced)
			c->flags |= RF_REPLACED;
		if (hook == HOOK_LOCAL_OUT)
			c->local |= BIT(seg->from);
		else if (hook == HOOK_LOCAL_IN)
			c->local |= BIT(!seg->from);
		conn_apply(r, c, seg);
		if (!(c->flags & RF_REUSE))
			return;
		/* A SYN opened a new connection on this tuple: replace the old. */
		conn_destroy(r, c, TCPSM_DESTROY_REPLACED);
		replaced = true;
	}
}

/* hooks.c's tcpsm_track_icmp(): an ICMP error reaches the quoted segment's sender. */
static void track_icmp(struct replay *r, struct tcpsm_pkt *p)
{
	enum tcpsm_icmp_verdict res = TCPSM_ICMP_IGNORED;
	struct tcpsm_verdict v;
	struct tcpsm_key key;
	struct rconn *c;
	unsigned int entered = 0;
	u8 src_idx, who;
	int i;

	tcpsm_key_make(&key, p, &src_idx);
	c = conn_lookup(r, &key);
	if (c && conn_catch_up(r, c)) {
		struct ev_ctx e = { r, c };

		who = src_idx == c->client ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER;
		res = tcpsm_fsm_icmp(&c->fsm, who, p->seg.seq, p->icmp == TCPSM_ICMP_FATAL, &v);
		if (res != TCPSM_ICMP_IGNORED && c->icmp_errors < 0xffff)
			c->icmp_errors++;
		if (res == TCPSM_ICMP_ABORTED)
			c->destroy_reason = TCPSM_DESTROY_ICMP;
		if (res != TCPSM_ICMP_IGNORED)
			tcpsm_emit_simple(emit_cb, &e, TCPSM_EVENT_TYPE_ICMP, who);
		for (i = 0; i < __TCPSM_ROLE_MAX; i++)
			if (v.old_state[i] != v.new_state[i])
				entered |= BIT(i);
		if (entered) {
			stat_inc(r, TCPSM_STAT_TRANSITIONS);
			conn_set_class(r, c);
			tcpsm_deadline_update(&c->fsm, c->deadline, &r->cfg, r->now, entered);
			tcpsm_expire_events(&c->fsm, entered, v.old_state, emit_cb, &e);
		}
	}
	stat_inc(r, tcpsm_icmp_stat(res));
}

static bool is_local(const struct replay *r, const union tcpsm_addr *a, u8 family)
{
	unsigned int i;

	for (i = 0; i < r->n_local; i++)
		if (r->local_family[i] == family && !memcmp(&r->local[i], a, sizeof(*a)))
			return true;
	return false;
}

/*
 * The hooks a packet passes where the observer stands: a router forwards
 * it; a host sends it (LOCAL_OUT), receives it (LOCAL_IN), or both over
 * loopback, each hook moving only its own endpoint.
 */
void track_packet(struct replay *r, struct tcpsm_pkt *p)
{
	bool from = is_local(r, &p->saddr, p->family);
	bool to = is_local(r, &p->daddr, p->family);
	struct tcpsm_pkt in;

	if (p->icmp != TCPSM_ICMP_NONE) {
		/* the quoted segment's sender is the one the error reaches */
		track_icmp(r, p);
		return;
	}
	stat_inc(r, TCPSM_STAT_SEGMENTS);
	if (r->rfc1337)
		p->seg.opts |= TCPSM_SEG_RFC1337;
	if (!from && !to) {
		track_seg(r, p, HOOK_FORWARD, false);
		return;
	}
	in = *p;	/* the step writes seg.from, seg.move and opts */
	if (from)
		track_seg(r, p, HOOK_LOCAL_OUT, to);
	if (to)
		track_seg(r, &in, HOOK_LOCAL_IN, from);
}
