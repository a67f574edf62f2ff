// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks: every TCP segment at LOCAL_OUT, LOCAL_IN and FORWARD,
 * IPv4 and IPv6, in every namespace. They only look: every packet is
 * accepted unchanged, whatever tcpsm makes of it.
 *
 * Observation model. At LOCAL_OUT the local sender moves; at LOCAL_IN the
 * local receiver moves; a remote endpoint moves when a segment it sent, or
 * one sent to it, is seen. Over loopback both endpoints are local, so each
 * moves exactly once, at its own hook. FORWARD moves both (two remotes).
 * The hooks run last in their chains: a segment a firewall drops on the way
 * in never reached the local socket, and is not seen.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "tcpsm.h"

static void stat_inc(void *tn, enum tcpsm_stat s)
{
	tcpsm_stat_inc(tn, s);
}

/* Keepalive bookkeeping after a step (timeout.c's rule), under c->lock. */
static void keepalive_update(struct tcpsm_conn *c, const struct tcpsm_seg *seg,
			     const struct tcpsm_verdict *v, unsigned long now)
{
	u8 dead = tcpsm_ka_after_step(&c->fsm, seg, v, c->ka_last_probe, &c->last_data,
				      c->ka_dead, now);

	if (dead != c->ka_dead) {
		c->ka_dead = dead;
		tcpsm_stat_inc(c->tn, TCPSM_STAT_KA_DEAD);
	}
}

/* Apply one segment to a live entry, under c->lock. */
static void conn_apply(struct tcpsm_conn *c, struct tcpsm_seg *seg, unsigned long now)
{
	struct tcpsm_verdict v;
	unsigned int entered = 0;
	u8 ka_dead = c->ka_dead;
	int r;

	if (tcpsm_ka_idle(c->last_data, &c->tn->cfg, now))
		seg->opts |= TCPSM_SEG_IDLE;
	tcpsm_fsm_step(&c->fsm, seg, &v);
	if (v.events & (TCPSM_EV_REUSE | TCPSM_EV_REOPEN)) {
		c->flags |= TCPSM_F_REUSE;	/* the caller replaces the entry */
		tcpsm_stat_inc(c->tn, v.events & TCPSM_EV_REUSE ? TCPSM_STAT_TW_REUSE :
			       TCPSM_STAT_REOPENED);
		return;
	}
	tcpsm_step_stats(seg, &v, stat_inc, c->tn);
	for (r = 0; r < __TCPSM_ROLE_MAX; r++)
		if (v.old_state[r] != v.new_state[r])
			entered |= BIT(r);
	if (seg->move & TCPSM_MOVE_SENDER) {	/* count each segment once */
		c->pkts[seg->from]++;
		c->bytes[seg->from] += seg->len;
	}
	c->last_seen = now;
	keepalive_update(c, seg, &v, now);
	if (v.events & TCPSM_EV_RST_ACCEPTED || v.events & TCPSM_EV_REFUSED)
		c->destroy_reason = TCPSM_DESTROY_RESET;
	if (v.events & (TCPSM_EV_TW_RESTART | TCPSM_EV_TW_ACK)) {
		if (v.events & TCPSM_EV_TW_RESTART)
			c->tw_restarts++;
		else
			c->tw_ack_restarts++;
		tcpsm_timer_restart(c, !seg->from, now);
	}
	if (entered)
		tcpsm_conn_set_class(c);
	tcpsm_timer_update(c, now, entered);
	if (tcpsm_events_wanted(c->tn))
		tcpsm_step_events(seg, &v, ka_dead, c->ka_dead, tcpsm_nl_notify_event, c);
}

/*
 * The segment opens nothing we track: a SYN starts a connection, anything
 * else is picked up mid-stream when allowed. Returns the new entry or NULL.
 */
static struct tcpsm_conn *conn_start(struct tcpsm_net *tn, const struct tcpsm_key *key,
				     struct tcpsm_pkt *p, u8 src_idx)
{
	struct tcpsm_seg *seg = &p->seg;
	struct tcpsm_conn *c;
	u8 client;

	if ((seg->flags & (TCPSM_SYN | TCPSM_ACK | TCPSM_RST)) == TCPSM_SYN) {
		client = src_idx;
	} else if (!READ_ONCE(tn->cfg.pickup) || (seg->flags & TCPSM_RST)) {
		tcpsm_stat_inc(tn, TCPSM_STAT_UNTRACKED);
		return NULL;
	} else if (seg->flags & TCPSM_SYN) {
		client = !src_idx;	/* SYN+ACK: the sender is the server */
	} else {
		/* Mid-stream: guess that the lower port is the server's. */
		client = ntohs(p->sport) > ntohs(p->dport) ? src_idx : !src_idx;
	}
	c = tcpsm_conn_create(tn, key, client);
	if (!c || (seg->flags & (TCPSM_SYN | TCPSM_ACK)) == TCPSM_SYN)
		return c;
	spin_lock_bh(&c->lock);
	if (!(c->flags & TCPSM_F_DEAD) && !c->fsm.end[0].flags && !c->fsm.end[1].flags) {
		seg->from = src_idx == c->client ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER;
		tcpsm_fsm_pickup(&c->fsm, seg);
		tcpsm_conn_set_class(c);	/* the step may move neither end */
		c->flags |= TCPSM_F_PICKUP;
		tcpsm_stat_inc(tn, TCPSM_STAT_PICKED_UP);
	}
	spin_unlock_bh(&c->lock);
	return c;
}

/*
 * Track one parsed segment. @hook is where it was seen; @peer_local says the
 * other end of this hop is this namespace too (loopback).
 */
void tcpsm_track(struct tcpsm_net *tn, struct tcpsm_pkt *p, unsigned int hook,
		 bool peer_local)
{
	bool replaced = false;
	struct tcpsm_seg *seg = &p->seg;
	unsigned long now = jiffies;
	struct tcpsm_key key;
	struct tcpsm_conn *c;
	u8 src_idx, local = 0;
	int tries;

	switch (hook) {
	case NF_INET_LOCAL_OUT:
		seg->move = TCPSM_MOVE_SENDER | TCPSM_FROM_LOCAL |
			    (peer_local ? 0 : TCPSM_MOVE_RECEIVER);
		break;
	case NF_INET_LOCAL_IN:
		seg->move = TCPSM_MOVE_RECEIVER | TCPSM_TO_LOCAL |
			    (peer_local ? 0 : TCPSM_MOVE_SENDER);
		break;
	default:
		seg->move = TCPSM_MOVE_BOTH;
	}
	tcpsm_key_make(&key, p, &src_idx);

	for (tries = 0; tries < 2; tries++) {
		c = tcpsm_conn_lookup(tn, &key);
		if (!c) {
			c = conn_start(tn, &key, p, src_idx);
			if (!c)
				return;
		}
		spin_lock_bh(&c->lock);
		if (!tcpsm_conn_catch_up(c, now)) {
			/* it timed out, now or on another CPU: look again */
			spin_unlock_bh(&c->lock);
			continue;
		}
		seg->from = src_idx == c->client ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER;
		if (replaced)
			c->flags |= TCPSM_F_REPLACED;
		if (hook == NF_INET_LOCAL_OUT)
			local = BIT(seg->from);
		else if (hook == NF_INET_LOCAL_IN)
			local = BIT(!seg->from);
		c->local |= local;
		conn_apply(c, seg, now);
		if (!(c->flags & TCPSM_F_REUSE)) {
			spin_unlock_bh(&c->lock);
			return;
		}
		/* A SYN opened a new connection on this tuple: replace the old. */
		tcpsm_conn_destroy_locked(c, TCPSM_DESTROY_REPLACED);
		spin_unlock_bh(&c->lock);
		replaced = true;
	}
}

/*
 * An ICMP error quoting a segment of a tracked connection reaches the
 * segment's sender: it moves that endpoint where it arrives (LOCAL_IN), where
 * it is forwarded to it, or where it leaves for a remote one (LOCAL_OUT).
 * A sighting at LOCAL_OUT of an error for a local sender is left to LOCAL_IN.
 */
void tcpsm_track_icmp(struct tcpsm_net *tn, struct tcpsm_pkt *p, unsigned int hook,
		      bool peer_local)
{
	enum tcpsm_icmp_verdict res = TCPSM_ICMP_IGNORED;
	unsigned long now = jiffies;
	struct tcpsm_verdict v;
	struct tcpsm_key key;
	struct tcpsm_conn *c;
	unsigned int entered = 0;
	u8 src_idx, who;
	int r;

	if (hook == NF_INET_LOCAL_OUT && peer_local)
		return;
	tcpsm_key_make(&key, p, &src_idx);
	c = tcpsm_conn_lookup(tn, &key);
	if (c) {
		spin_lock_bh(&c->lock);
		if (tcpsm_conn_catch_up(c, now)) {
			who = src_idx == c->client ? TCPSM_ROLE_CLIENT : TCPSM_ROLE_SERVER;
			res = tcpsm_fsm_icmp(&c->fsm, who, p->seg.seq,
					     p->icmp == TCPSM_ICMP_FATAL, &v);
			if (res != TCPSM_ICMP_IGNORED && c->icmp_errors < U16_MAX)
				c->icmp_errors++;
			if (res == TCPSM_ICMP_ABORTED)
				c->destroy_reason = TCPSM_DESTROY_ICMP;
			if (res != TCPSM_ICMP_IGNORED && tcpsm_events_wanted(tn))
				tcpsm_nl_notify(c, TCPSM_EVENT_TYPE_ICMP, who, -1, -1, -1, -1);
			for (r = 0; r < __TCPSM_ROLE_MAX; r++)
				if (v.old_state[r] != v.new_state[r])
					entered |= BIT(r);
			if (entered) {
				tcpsm_stat_inc(tn, TCPSM_STAT_TRANSITIONS);
				tcpsm_conn_set_class(c);
				tcpsm_timer_update(c, now, entered);
				if (tcpsm_events_wanted(tn))
					tcpsm_expire_events(&c->fsm, entered, v.old_state,
							    tcpsm_nl_notify_event, c);
			}
		}
		spin_unlock_bh(&c->lock);
	}
	tcpsm_stat_inc(tn, tcpsm_icmp_stat(res));
}

static unsigned int tcpsm_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	const struct net_device *dev;
	enum tcpsm_parse_result res;
	struct tcpsm_net *tn;
	struct tcpsm_pkt p;

	if (state->pf == NFPROTO_IPV4)
		res = tcpsm_parse_ipv4(skb, &p);
	else
		res = tcpsm_parse_ipv6(skb, &p);
	if (likely(res == TCPSM_PARSE_NOT_TCP))
		return NF_ACCEPT;
	tn = tcpsm_pernet(state->net);
	dev = state->hook == NF_INET_LOCAL_OUT ? state->out : state->in;
	if (unlikely(res == TCPSM_PARSE_ICMP)) {
		tcpsm_track_icmp(tn, &p, state->hook, dev && (dev->flags & IFF_LOOPBACK));
		return NF_ACCEPT;
	}
	tcpsm_stat_inc(tn, TCPSM_STAT_SEGMENTS);
	if (unlikely(res != TCPSM_PARSE_OK)) {
		tcpsm_stat_inc(tn, tcpsm_parse_stat(res));
		return NF_ACCEPT;
	}
	/*
	 * The rule for a RST in TIME_WAIT: a local receiver's own; a remote
	 * one is taken to follow this namespace's (a router set like its hosts).
	 */
	if (READ_ONCE(state->net->ipv4.sysctl_tcp_rfc1337))
		p.seg.opts |= TCPSM_SEG_RFC1337;
	tcpsm_track(tn, &p, state->hook, dev && (dev->flags & IFF_LOOPBACK));
	return NF_ACCEPT;
}

#define TCPSM_HOOK(_pf, _hook, _prio) \
	{ .hook = tcpsm_hook, .pf = _pf, .hooknum = _hook, .priority = _prio }

static const struct nf_hook_ops tcpsm_hook_ops[] = {
	TCPSM_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT, NF_IP_PRI_LAST),
	TCPSM_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, NF_IP_PRI_LAST),
	TCPSM_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, NF_IP_PRI_LAST),
	TCPSM_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, NF_IP6_PRI_LAST),
	TCPSM_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_IN, NF_IP6_PRI_LAST),
	TCPSM_HOOK(NFPROTO_IPV6, NF_INET_FORWARD, NF_IP6_PRI_LAST),
};

int tcpsm_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, tcpsm_hook_ops, ARRAY_SIZE(tcpsm_hook_ops));
}

void tcpsm_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, tcpsm_hook_ops, ARRAY_SIZE(tcpsm_hook_ops));
}
