// SPDX-License-Identifier: GPL-2.0
/*
 * One parsed packet through the table, as module/hooks.c takes it at its
 * hooks: where the observer stands decides the hook (FORWARD for a router,
 * LOCAL_OUT and LOCAL_IN for a host). What a sighting does to an entry is
 * the module's own entry.c; here is only the walk of the table around it.
 */
#include <string.h>

#include "replay.h"

/* hooks.c's conn_start(): a SYN starts an entry, else a pickup if allowed. */
static struct rconn *conn_start(struct replay *r, const struct tcpsm_key *key,
				struct tcpsm_pkt *p, u8 src_idx)
{
	int client = tcpsm_start_client(p, src_idx, r->cfg.pickup);
	struct tcpsm_entry_ops ops;
	struct ev_ctx x;
	struct rconn *c;

	if (client < 0) {
		stat_inc(r, TCPSM_STAT_UNTRACKED);
		return NULL;
	}
	c = conn_create(r, key, client);
	if (!c || !tcpsm_start_midstream(&p->seg))
		return c;
	conn_ops(&x, &ops, r, c);
	tcpsm_entry_pickup(&c->e, &p->seg, src_idx, &ops);
	return c;
}

/* hooks.c's tcpsm_track() for one sighting @at. */
static void track_seg(struct replay *r, struct tcpsm_pkt *p, enum tcpsm_sight at,
		      bool peer_local)
{
	struct tcpsm_seg *seg = &p->seg;
	struct tcpsm_entry_ops ops;
	bool replaced = false;
	struct tcpsm_key key;
	struct ev_ctx x;
	struct rconn *c;
	u8 src_idx;
	int tries;

	/* a capture shows no socket: nothing is known to come from a raw one */
	seg->move = tcpsm_sight_move(at, peer_local, false);
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
		seg->from = tcpsm_entry_role(&c->e, src_idx);
		if (replaced)
			c->e.flags |= TCPSM_F_REPLACED;
		c->e.local |= tcpsm_sight_local(at, seg->from);
		conn_ops(&x, &ops, r, c);
		tcpsm_entry_apply(&c->e, seg, &r->cfg, r->now, &ops);
		if (!(c->e.flags & TCPSM_F_REUSE))
			return;
		/* A SYN opened a new connection on this tuple: replace the old. */
		conn_destroy(r, c, TCPSM_DESTROY_REPLACED);
		replaced = true;
	}
}

/* hooks.c's tcpsm_track_icmp(): each error is taken once, wherever seen. */
static void track_icmp(struct replay *r, struct tcpsm_pkt *p)
{
	enum tcpsm_icmp_verdict res = TCPSM_ICMP_IGNORED;
	struct tcpsm_entry_ops ops;
	struct tcpsm_key key;
	struct ev_ctx x;
	struct rconn *c;
	u8 src_idx;

	tcpsm_key_make(&key, p, &src_idx);
	c = conn_lookup(r, &key);
	if (c && conn_catch_up(r, c)) {
		conn_ops(&x, &ops, r, c);
		res = tcpsm_entry_icmp(&c->e, p, src_idx, &r->cfg, r->now, &ops);
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
 * loopback, each hook then moving only its own endpoint. The module counts
 * a segment at each hook it passes.
 */
void track_packet(struct replay *r, struct tcpsm_pkt *p)
{
	bool from = is_local(r, &p->saddr, p->family);
	bool to = is_local(r, &p->daddr, p->family);
	struct tcpsm_pkt in;

	/*
	 * A capture does not say which VRF or interface scoped its addresses
	 * (hooks.c's tcpsm_zone()): every tuple is one connection, as in the
	 * module's default zone.
	 */
	p->zone = 0;
	if (p->icmp != TCPSM_ICMP_NONE) {
		track_icmp(r, p);
		return;
	}
	if (r->rfc1337)
		p->seg.opts |= TCPSM_SEG_RFC1337;
	if (!from && !to) {
		stat_inc(r, TCPSM_STAT_SEGMENTS);
		track_seg(r, p, TCPSM_AT_FORWARD, false);
		return;
	}
	in = *p;	/* a sighting writes seg.from, seg.move and seg.opts */
	if (from) {
		stat_inc(r, TCPSM_STAT_SEGMENTS);
		track_seg(r, p, TCPSM_AT_LOCAL_OUT, to);
	}
	if (to) {
		stat_inc(r, TCPSM_STAT_SEGMENTS);
		track_seg(r, &in, TCPSM_AT_LOCAL_IN, from);
	}
}
