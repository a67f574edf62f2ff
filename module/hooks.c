// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks: every TCP segment at LOCAL_OUT, LOCAL_IN and FORWARD,
 * IPv4 and IPv6, in every namespace. They only look: every packet is
 * accepted unchanged, whatever tcpsm makes of it.
 *
 * Observation model. At LOCAL_OUT the local sender moves; at LOCAL_IN the
 * local receiver moves; a remote endpoint moves when a segment it sent, or
 * one sent to it, is seen. Over loopback both endpoints are local, so each
 * moves exactly once, at its own hook: loopback, a VRF's master device or
 * any local route (tcpsm_peer_local()). FORWARD moves both (two remotes).
 * The hooks run last in their chains: a segment a firewall drops on the way
 * in never reached the local socket, and is not seen.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/addrconf.h>
#include <net/dst_metadata.h>
#include <net/ip6_fib.h>
#include <net/l3mdev.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

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
 * other end of this hop is this namespace too (tcpsm_peer_local()).
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

/*
 * Is the other end of this hop a socket of this namespace? At LOCAL_OUT the
 * route says so (a local route, over loopback or a VRF's master device). At
 * LOCAL_IN a segment from loopback is; one through a VRF's master device
 * (remote ones cross it too) is when it still carries the output route it
 * was sent with (IPv4), or the packet's source is an address of the VRF's
 * (IPv6, whose routes do not say which way they were looked up; the master
 * device makes ipv6_chk_addr() look in that VRF, not the default one).
 */
static bool tcpsm_peer_local(const struct sk_buff *skb, const struct nf_hook_state *state)
{
	bool dst = skb_valid_dst(skb);

	switch (state->hook) {
	case NF_INET_LOCAL_OUT:
		if (state->out && (state->out->flags & IFF_LOOPBACK))
			return true;
		if (!dst)
			return false;
		if (state->pf == NFPROTO_IPV4)
			return skb_rtable(skb)->rt_type == RTN_LOCAL;
		return container_of(skb_dst(skb), struct rt6_info, dst)->rt6i_flags & RTF_LOCAL;
	case NF_INET_LOCAL_IN:
		if (!state->in)
			return false;
		if (state->in->flags & IFF_LOOPBACK)
			return true;
		if (!netif_is_l3_master(state->in))
			return false;
		if (state->pf == NFPROTO_IPV4)
			return dst && !rt_is_input_route(skb_rtable(skb));
#if IS_ENABLED(CONFIG_IPV6)
		return ipv6_chk_addr(state->net, &ipv6_hdr(skb)->saddr, state->in, 0);
#else
		return false;
#endif
	default:
		return false;
	}
}

/* fe80::/10, without a call per segment */
static bool tcpsm_ll(const struct in6_addr *a)
{
	return (a->s6_addr32[0] & htonl(0xffc00000)) == htonl(0xfe800000);
}

/*
 * The zone of the segment's addresses (struct tcpsm_pkt): an IPv6
 * link-local pair is scoped by the interface it crossed (the slave's, not
 * a VRF master's a receive was moved to), everything else by the VRF.
 */
static u32 tcpsm_zone(const struct sk_buff *skb, const struct nf_hook_state *state,
		      const struct tcpsm_pkt *p)
{
	const struct net_device *dev;

	dev = state->hook == NF_INET_LOCAL_OUT ? state->out : state->in;
	if (!dev)
		return 0;
	if (p->family == AF_INET6 &&
	    (tcpsm_ll(&p->saddr.in6) || tcpsm_ll(&p->daddr.in6))) {
		if (state->hook == NF_INET_LOCAL_IN && netif_is_l3_master(dev))
			return IP6CB(skb)->iif;
		return dev->ifindex;
	}
	return l3mdev_master_ifindex_rcu(dev);
}

/*
 * A segment a local socket sends in a VRF crosses LOCAL_OUT twice: once on
 * the VRF's master device, with conntrack kept off by a placeholder, and
 * again on the device its route chose. The second is the one that counts.
 */
static bool tcpsm_vrf_first_pass(const struct sk_buff *skb, const struct nf_hook_state *state)
{
	return state->hook == NF_INET_LOCAL_OUT && state->out &&
	       netif_is_l3_master(state->out) && skb_get_nfct(skb) == IP_CT_UNTRACKED;
}

/*
 * NAT on the host's own connections: key a segment as the local socket sees
 * it. Where conntrack translated addresses, a segment at LOCAL_OUT may
 * already carry the OUTPUT chain's DNAT (the hooks run last); conntrack
 * took its tuple for that direction before any translation there, which
 * is the sending socket's view. At LOCAL_IN the receiver's view is the
 * packet as it is. When both ends are local (a REDIRECT or a DNAT to a
 * local address), the two sockets see different addresses; the entry
 * takes the client's, the original direction's tuple, for both.
 * The connection's own conntrack entry is only read here: no symbol of
 * nf_conntrack is used, and without it nothing changes.
 */
static void tcpsm_socket_view(const struct sk_buff *skb, unsigned int hook, bool peer_local,
			      struct tcpsm_pkt *p)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	const struct nf_conntrack_tuple *t;
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;
	enum ip_conntrack_dir dir;
	bool reply = false;

	if (hook != NF_INET_LOCAL_OUT && !(hook == NF_INET_LOCAL_IN && peer_local))
		return;
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || !(READ_ONCE(ct->status) & IPS_NAT_MASK))
		return;
	dir = CTINFO2DIR(ctinfo);
	if (peer_local) {
		t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
		reply = dir == IP_CT_DIR_REPLY;
	} else {
		t = &ct->tuplehash[dir].tuple;
	}
	if (t->dst.protonum != IPPROTO_TCP || t->src.l3num != p->family)
		return;
	BUILD_BUG_ON(sizeof(t->src.u3) != sizeof(p->saddr));
	memcpy(reply ? &p->daddr : &p->saddr, &t->src.u3, sizeof(p->saddr));
	memcpy(reply ? &p->saddr : &p->daddr, &t->dst.u3, sizeof(p->daddr));
	if (reply) {
		p->dport = t->src.u.tcp.port;
		p->sport = t->dst.u.tcp.port;
	} else {
		p->sport = t->src.u.tcp.port;
		p->dport = t->dst.u.tcp.port;
	}
#endif
}

static unsigned int tcpsm_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	enum tcpsm_parse_result res;
	struct tcpsm_net *tn;
	struct tcpsm_pkt p;
	bool peer_local;

	if (state->pf == NFPROTO_IPV4)
		res = tcpsm_parse_ipv4(skb, &p);
	else
		res = tcpsm_parse_ipv6(skb, &p);
	if (likely(res == TCPSM_PARSE_NOT_TCP) || tcpsm_vrf_first_pass(skb, state))
		return NF_ACCEPT;
	tn = tcpsm_pernet(state->net);
	peer_local = tcpsm_peer_local(skb, state);
	p.zone = tcpsm_zone(skb, state, &p);
	if (unlikely(res == TCPSM_PARSE_ICMP)) {
		tcpsm_track_icmp(tn, &p, state->hook, peer_local);
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
	tcpsm_socket_view(skb, state->hook, peer_local, &p);
	tcpsm_track(tn, &p, state->hook, peer_local);
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
