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

/*
 * The segment opens nothing we track: a SYN starts a connection, anything
 * else is picked up mid-stream when allowed. Returns the new entry or NULL.
 */
static struct tcpsm_conn *conn_start(struct tcpsm_net *tn, const struct tcpsm_key *key,
				     struct tcpsm_pkt *p, u8 src_idx)
{
	struct tcpsm_entry_ops ops;
	struct tcpsm_conn *c;
	int client = tcpsm_start_client(p, src_idx, READ_ONCE(tn->cfg.pickup));

	if (client < 0) {
		tcpsm_stat_inc(tn, TCPSM_STAT_UNTRACKED);
		return NULL;
	}
	c = tcpsm_conn_create(tn, key, client);
	if (!c || !tcpsm_start_midstream(&p->seg))
		return c;
	spin_lock_bh(&c->lock);
	/* unless another CPU's segment moved it first */
	if (!(c->e.flags & TCPSM_F_DEAD) && !c->e.fsm.end[0].flags && !c->e.fsm.end[1].flags) {
		tcpsm_conn_ops(c, &ops);
		tcpsm_entry_pickup(&c->e, &p->seg, src_idx, &ops);
	}
	spin_unlock_bh(&c->lock);
	return c;
}

static enum tcpsm_sight sight_of(unsigned int hook)
{
	switch (hook) {
	case NF_INET_LOCAL_OUT:
		return TCPSM_AT_LOCAL_OUT;
	case NF_INET_LOCAL_IN:
		return TCPSM_AT_LOCAL_IN;
	default:
		return TCPSM_AT_FORWARD;
	}
}

/*
 * Track one parsed segment. @hook is where it was seen; @peer_local says the
 * other end of this hop is this namespace too (loopback).
 */
void tcpsm_track(struct tcpsm_net *tn, struct tcpsm_pkt *p, unsigned int hook,
		 bool peer_local)
{
	enum tcpsm_sight at = sight_of(hook);
	struct tcpsm_seg *seg = &p->seg;
	unsigned long now = jiffies;
	struct tcpsm_entry_ops ops;
	bool replaced = false;
	struct tcpsm_key key;
	struct tcpsm_conn *c;
	u8 src_idx;
	int tries;

	/* p->raw: a user's raw socket forged it, its sender is not moved */
	seg->move = tcpsm_sight_move(at, peer_local, p->raw);
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
		seg->from = tcpsm_entry_role(&c->e, src_idx);
		if (replaced)
			c->e.flags |= TCPSM_F_REPLACED;
		c->e.local |= tcpsm_sight_local(at, seg->from);
		tcpsm_conn_ops(c, &ops);
		tcpsm_entry_apply(&c->e, seg, &tn->cfg, now, &ops);
		if (!(c->e.flags & TCPSM_F_REUSE)) {
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
	struct tcpsm_entry_ops ops;
	struct tcpsm_key key;
	struct tcpsm_conn *c;
	u8 src_idx;

	if (hook == NF_INET_LOCAL_OUT && peer_local)
		return;
	tcpsm_key_make(&key, p, &src_idx);
	c = tcpsm_conn_lookup(tn, &key);
	if (c) {
		spin_lock_bh(&c->lock);
		if (tcpsm_conn_catch_up(c, now)) {
			tcpsm_conn_ops(c, &ops);
			res = tcpsm_entry_icmp(&c->e, p, src_idx, &tn->cfg, now, &ops);
		}
		spin_unlock_bh(&c->lock);
	}
	tcpsm_stat_inc(tn, tcpsm_icmp_stat(res));
}

/*
 * A segment a user wrote on a raw socket (a test's forgery, a scanner) left
 * no TCP socket: the local endpoint it claims to come from did not send
 * it. TCP's own control sockets, which send RSTs and ACKs for no socket,
 * are raw too, but the kernel's.
 */
static bool tcpsm_user_raw(const struct sock *sk)
{
	return sk && sk_fullsock(sk) && sk->sk_type == SOCK_RAW && !sk->sk_kern_sock;
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
	p.raw = state->hook == NF_INET_LOCAL_OUT && tcpsm_user_raw(skb->sk);
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
