// SPDX-License-Identifier: GPL-2.0
/*
 * The tcpsm generic netlink family (docs/netlink/tcpsm.yaml): connections,
 * counters and tunables of the caller's namespace, flush, and the events
 * multicast group. The policies and the operation table are generated into
 * netlink-gen.c, compiled here so its static tables (multicast groups,
 * policies) are in reach.
 *
 * Events are built in softirq with the entry's lock held: GFP_ATOMIC, and
 * only when someone listens (tcpsm_events_wanted()). A message a listener's
 * full buffer refuses is counted as events_lost; netlink tells the listener
 * with ENOBUFS.
 */
#include <linux/capability.h>
#include <linux/jump_label.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "tcpsm.h"
#include "netlink-gen.c"

DEFINE_STATIC_KEY_FALSE(tcpsm_nl_live);

/* Attributes of one connection, under c->lock. */
static int conn_put_addr(struct sk_buff *skb, const struct tcpsm_conn *c, int idx,
			 int addr_attr, int port_attr)
{
	int len = c->key.family == AF_INET ? 4 : 16;

	if (nla_put(skb, addr_attr, len, &c->key.addr[idx]) ||
	    nla_put_be16(skb, port_attr, c->key.port[idx]))
		return -EMSGSIZE;
	return 0;
}

static int hist_put(struct sk_buff *skb, const struct tcpsm_hist_ev *ev)
{
	struct nlattr *nest = nla_nest_start(skb, TCPSM_A_CONN_HISTORY);

	if (!nest ||
	    nla_put_u32(skb, TCPSM_A_HIST_EVENT_MS, ev->ms) ||
	    nla_put_u32(skb, TCPSM_A_HIST_EVENT_WHAT, ev->what & TCPSM_HIST_WHAT) ||
	    nla_put_u32(skb, TCPSM_A_HIST_EVENT_ROLE, tcpsm_hist_role(ev)) ||
	    nla_put_u8(skb, TCPSM_A_HIST_EVENT_FLAGS, ev->flags) ||
	    nla_put_u32(skb, TCPSM_A_HIST_EVENT_CLIENT_OLD, ev->states[0] >> 4) ||
	    nla_put_u32(skb, TCPSM_A_HIST_EVENT_CLIENT_NEW, ev->states[0] & 0xf) ||
	    nla_put_u32(skb, TCPSM_A_HIST_EVENT_SERVER_OLD, ev->states[1] >> 4) ||
	    nla_put_u32(skb, TCPSM_A_HIST_EVENT_SERVER_NEW, ev->states[1] & 0xf))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A connection's life so far: how long in its states, its history, its end;
 * all the history's events if @events, else the latest only (each is 60
 * bytes, and an event's message says what just happened).
 */
static int conn_put_life(struct sk_buff *skb, const struct tcpsm_view *v,
			 const struct tcpsm_hist *h, bool events)
{
	unsigned int i, kept;

	if (nla_put_u32(skb, TCPSM_A_CONN_CLIENT_STATE_MS, v->state_ms[TCPSM_ROLE_CLIENT]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_SERVER_STATE_MS, v->state_ms[TCPSM_ROLE_SERVER]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_RETRANS_CLIENT, v->retrans[TCPSM_ROLE_CLIENT]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_RETRANS_SERVER, v->retrans[TCPSM_ROLE_SERVER]) ||
	    (v->rtt && (nla_put_u32(skb, TCPSM_A_CONN_SYN_RTT_MS, v->syn_rtt_ms) ||
			nla_put_u32(skb, TCPSM_A_CONN_ACK_RTT_MS, v->ack_rtt_ms))) ||
	    nla_put_u32(skb, TCPSM_A_CONN_CLOSER, v->closer) ||
	    nla_put_u32(skb, TCPSM_A_CONN_END, v->ended) ||
	    (v->ended == TCPSM_ENDED_TIMEOUT &&
	     (nla_put_u32(skb, TCPSM_A_CONN_END_ROLE, v->end_role) ||
	      nla_put_u32(skb, TCPSM_A_CONN_END_STATE, v->end_state))) ||
	    nla_put_u32(skb, TCPSM_A_CONN_HISTORY_LOST, v->hist_lost) ||
	    nla_put_string(skb, TCPSM_A_CONN_HISTORY_TEXT, v->history))
		return -EMSGSIZE;
	kept = tcpsm_hist_kept(h);
	for (i = events || !kept ? 0 : kept - 1; i < kept; i++)
		if (hist_put(skb, tcpsm_hist_at(h, i)))
			return -EMSGSIZE;
	return 0;
}

int tcpsm_nl_conn_fill(struct sk_buff *skb, const struct tcpsm_conn *c, unsigned long now,
		       bool events)
{
	struct tcpsm_view v;

	/* the spec spells the count out: it must follow the states */
	BUILD_BUG_ON(TCPSM_TIME_WAIT + 1 != __TCPSM_STATE_MAX);
	tcpsm_view_fill(&v, &c->e, &c->tn->cfg, now);
	if (nla_put_u8(skb, TCPSM_A_CONN_FAMILY, c->key.family) ||
	    conn_put_addr(skb, c, c->e.client, TCPSM_A_CONN_CLIENT_ADDR,
			  TCPSM_A_CONN_CLIENT_PORT) ||
	    conn_put_addr(skb, c, !c->e.client, TCPSM_A_CONN_SERVER_ADDR,
			  TCPSM_A_CONN_SERVER_PORT) ||
	    nla_put_u32(skb, TCPSM_A_CONN_LOCAL, v.local) ||
	    nla_put_u32(skb, TCPSM_A_CONN_CLIENT_STATE, v.cstate) ||
	    nla_put_u32(skb, TCPSM_A_CONN_SERVER_STATE, v.sstate) ||
	    nla_put_u32(skb, TCPSM_A_CONN_TIMER, v.timer) ||
	    nla_put_u32(skb, TCPSM_A_CONN_TIMER_MS, v.timer_ms) ||
	    nla_put_u32(skb, TCPSM_A_CONN_TW_RESTARTS, v.tw_restarts) ||
	    nla_put_u32(skb, TCPSM_A_CONN_KA_PROBES_CLIENT, v.ka_probes[TCPSM_ROLE_CLIENT]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_KA_UNANSWERED_CLIENT,
			v.ka_unanswered[TCPSM_ROLE_CLIENT]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_KA_PROBES_SERVER, v.ka_probes[TCPSM_ROLE_SERVER]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_KA_UNANSWERED_SERVER,
			v.ka_unanswered[TCPSM_ROLE_SERVER]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_KA_IDLE_MS, v.ka_idle_ms) ||
	    (tcpsm_view_ka_next_shown(&v, TCPSM_ROLE_CLIENT) &&
	     nla_put_u32(skb, TCPSM_A_CONN_KA_NEXT_CLIENT_MS, v.ka_next_ms[TCPSM_ROLE_CLIENT])) ||
	    (tcpsm_view_ka_next_shown(&v, TCPSM_ROLE_SERVER) &&
	     nla_put_u32(skb, TCPSM_A_CONN_KA_NEXT_SERVER_MS, v.ka_next_ms[TCPSM_ROLE_SERVER])) ||
	    nla_put_u32(skb, TCPSM_A_CONN_KA_DEAD, v.ka_dead) ||
	    nla_put_u32(skb, TCPSM_A_CONN_ZW_PROBES_CLIENT, v.zw_probes[TCPSM_ROLE_CLIENT]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_ZW_PROBES_SERVER, v.zw_probes[TCPSM_ROLE_SERVER]) ||
	    nla_put_u8(skb, TCPSM_A_CONN_PICKUP, v.pickup) ||
	    nla_put_u32(skb, TCPSM_A_CONN_PKTS_CLIENT, v.pkts[TCPSM_ROLE_CLIENT]) ||
	    nla_put_u32(skb, TCPSM_A_CONN_PKTS_SERVER, v.pkts[TCPSM_ROLE_SERVER]) ||
	    nla_put_u64_64bit(skb, TCPSM_A_CONN_BYTES_CLIENT, v.bytes[TCPSM_ROLE_CLIENT],
			      TCPSM_A_CONN_PAD) ||
	    nla_put_u64_64bit(skb, TCPSM_A_CONN_BYTES_SERVER, v.bytes[TCPSM_ROLE_SERVER],
			      TCPSM_A_CONN_PAD) ||
	    nla_put_u32(skb, TCPSM_A_CONN_AGE_MS, v.age_ms) ||
	    nla_put_u32(skb, TCPSM_A_CONN_TW_ACK_RESTARTS, v.tw_ack_restarts) ||
	    nla_put_u8(skb, TCPSM_A_CONN_REPLACED, v.replaced) ||
	    nla_put_u32(skb, TCPSM_A_CONN_ICMP_ERRORS, v.icmp_errors) ||
	    nla_put_u8(skb, TCPSM_A_CONN_CONFIRMED, v.confirmed) ||
	    (c->key.zone && nla_put_u32(skb, TCPSM_A_CONN_ZONE, c->key.zone)))
		return -EMSGSIZE;
	return conn_put_life(skb, &v, &c->e.hist, events);
}

/*
 * A dump walks the table with an rhashtable walker kept across the calls:
 * each call resumes at the entry the last one could not fit (the walker
 * finds it again if it is still there), so entries that stay put are
 * neither skipped nor repeated. Inserts and removes bump tn->gen; a change
 * between two messages, or a walker restart after a resize, marks the
 * message NLM_F_DUMP_INTR.
 */
struct tcpsm_dump_ctx {
	struct rhashtable_iter *iter;
	u32 restarts;		/* walker restarts (table resized) */
	__be16 port;
	u8 family;
	u8 state;
	u8 local;
	u8 filters;		/* TCPSM_DUMP_F_* */
	bool done;
};

static struct tcpsm_dump_ctx *dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tcpsm_dump_ctx) > sizeof(cb->ctx));
	return (struct tcpsm_dump_ctx *)cb->ctx;
}

/*
 * One conn-get message for @c, under c->lock and caught up with the clock:
 * -ENOENT if it timed out, or if it does not match the filters of the dump
 * @cb (NULL: a get).
 */
static int conn_msg(struct sk_buff *skb, struct tcpsm_conn *c, u32 portid, u32 seq,
		    int flags, struct netlink_callback *cb)
{
	const struct tcpsm_dump_ctx *ctx = cb ? dump_ctx(cb) : NULL;
	unsigned long now = jiffies;
	int err = -ENOENT;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &tcpsm_nl_family, flags, TCPSM_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	spin_lock_bh(&c->lock);
	if (tcpsm_conn_catch_up(c, now) &&
	    (!ctx || tcpsm_nl_dump_match(c, ctx->filters, ctx->family, ctx->state,
					 ctx->port, ctx->local)))
		err = tcpsm_nl_conn_fill(skb, c, now, true);
	spin_unlock_bh(&c->lock);
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	/* on a message that stays: a cancelled one would take NLM_F_DUMP_INTR along */
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	genlmsg_end(skb, hdr);
	return 0;
}

static int addr_get(struct genl_info *info, int attr, u8 family, union tcpsm_addr *a)
{
	struct nlattr *nla = info->attrs[attr];
	int len = family == AF_INET ? 4 : 16;

	if (nla_len(nla) != len) {
		NL_SET_ERR_MSG_ATTR(info->extack, nla, "address length does not match the family");
		return -EINVAL;
	}
	memset(a, 0, sizeof(*a));
	memcpy(a, nla_data(nla), len);
	return 0;
}

int tcpsm_nl_conn_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpsm_net *tn = tcpsm_pernet(genl_info_net(info));
	struct tcpsm_key key;
	struct tcpsm_conn *c;
	struct tcpsm_pkt p;
	struct sk_buff *msg;
	u8 idx;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TCPSM_A_CONN_FAMILY) ||
	    GENL_REQ_ATTR_CHECK(info, TCPSM_A_CONN_CLIENT_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, TCPSM_A_CONN_CLIENT_PORT) ||
	    GENL_REQ_ATTR_CHECK(info, TCPSM_A_CONN_SERVER_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, TCPSM_A_CONN_SERVER_PORT))
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	p.family = nla_get_u8(info->attrs[TCPSM_A_CONN_FAMILY]);
	if (p.family != AF_INET && p.family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPSM_A_CONN_FAMILY],
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	err = addr_get(info, TCPSM_A_CONN_CLIENT_ADDR, p.family, &p.saddr);
	if (err)
		return err;
	err = addr_get(info, TCPSM_A_CONN_SERVER_ADDR, p.family, &p.daddr);
	if (err)
		return err;
	p.sport = nla_get_be16(info->attrs[TCPSM_A_CONN_CLIENT_PORT]);
	p.dport = nla_get_be16(info->attrs[TCPSM_A_CONN_SERVER_PORT]);
	if (info->attrs[TCPSM_A_CONN_ZONE])
		p.zone = nla_get_u32(info->attrs[TCPSM_A_CONN_ZONE]);
	tcpsm_key_make(&key, &p, &idx);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	c = tcpsm_conn_lookup(tn, &key);
	err = c ? conn_msg(msg, c, info->snd_portid, info->snd_seq, 0, NULL) : -ENOENT;
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		if (err == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "no such connection");
		return err;
	}
	return genlmsg_reply(msg, info);
}

static struct nlattr **dump_attrs(struct netlink_callback *cb)
{
#ifdef TCPSM_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* Does @c pass the dump's filters? Under c->lock or not: a snapshot will do. */
bool tcpsm_nl_dump_match(const struct tcpsm_conn *c, u8 filters, u8 family, u8 state,
			 __be16 port, u8 local)
{
	u8 cs = READ_ONCE(c->e.fsm.end[TCPSM_ROLE_CLIENT].state);
	u8 ss = READ_ONCE(c->e.fsm.end[TCPSM_ROLE_SERVER].state);
	u8 l = READ_ONCE(c->e.local) & TCPSM_LOCAL_BOTH;

	if ((filters & TCPSM_DUMP_F_FAMILY) && c->key.family != family)
		return false;
	if ((filters & TCPSM_DUMP_F_STATE) && cs != state && ss != state)
		return false;
	if ((filters & TCPSM_DUMP_F_PORT) && c->key.port[0] != port && c->key.port[1] != port)
		return false;
	if (filters & TCPSM_DUMP_F_LOCAL) {
		/* none: no local end; client, server: that one; both: both */
		if (local == TCPSM_LOCAL_NONE ? l != 0 : (l & local) != local)
			return false;
	}
	return true;
}

int tcpsm_nl_conn_get_dump_start(struct netlink_callback *cb)
{
	struct tcpsm_net *tn = tcpsm_pernet(sock_net(cb->skb->sk));
	struct tcpsm_dump_ctx *ctx = dump_ctx(cb);
	struct nlattr **tb = dump_attrs(cb);

	memset(ctx, 0, sizeof(*ctx));
	if (tb[TCPSM_A_CONN_FAMILY]) {
		ctx->filters |= TCPSM_DUMP_F_FAMILY;
		ctx->family = nla_get_u8(tb[TCPSM_A_CONN_FAMILY]);
	}
	if (tb[TCPSM_A_CONN_STATE]) {
		ctx->filters |= TCPSM_DUMP_F_STATE;
		ctx->state = nla_get_u32(tb[TCPSM_A_CONN_STATE]);
	}
	if (tb[TCPSM_A_CONN_PORT]) {
		ctx->filters |= TCPSM_DUMP_F_PORT;
		ctx->port = nla_get_be16(tb[TCPSM_A_CONN_PORT]);
	}
	if (tb[TCPSM_A_CONN_LOCAL]) {
		ctx->filters |= TCPSM_DUMP_F_LOCAL;
		ctx->local = nla_get_u32(tb[TCPSM_A_CONN_LOCAL]);
	}
	ctx->iter = kmalloc(sizeof(*ctx->iter), GFP_KERNEL);
	if (!ctx->iter)
		return -ENOMEM;
	rhashtable_walk_enter(&tn->table, ctx->iter);
	return 0;
}

int tcpsm_nl_conn_get_dump_done(struct netlink_callback *cb)
{
	struct tcpsm_dump_ctx *ctx = dump_ctx(cb);

	if (ctx->iter) {
		rhashtable_walk_exit(ctx->iter);
		kfree(ctx->iter);
		ctx->iter = NULL;
	}
	return 0;
}

/* never 0: genl_dump_check_consistent() ignores a zero sequence */
static u32 dump_seq(struct tcpsm_net *tn, const struct tcpsm_dump_ctx *ctx)
{
	return ((u32)atomic_read(&tn->gen) << 8 | (ctx->restarts & 0xff)) | 1u << 31;
}

int tcpsm_nl_conn_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpsm_net *tn = tcpsm_pernet(sock_net(skb->sk));
	struct tcpsm_dump_ctx *ctx = dump_ctx(cb);
	struct tcpsm_conn *c;
	int err = 0;

	if (ctx->done)
		return 0;
	if (tcpsm_walk_start(ctx->iter))
		ctx->restarts++;
	/*
	 * Before any entry too: when none is left (a flush emptied the table),
	 * NLMSG_DONE is the message that must say the dump was interrupted.
	 */
	cb->seq = dump_seq(tn, ctx);
	/* peek: the entry the last call could not fit, or the first */
	for (c = rhashtable_walk_peek(ctx->iter); c; c = rhashtable_walk_next(ctx->iter)) {
		if (IS_ERR(c)) {
			if (PTR_ERR(c) == -EAGAIN)
				ctx->restarts++;
			continue;
		}
		cb->seq = dump_seq(tn, ctx);
		err = conn_msg(skb, c, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			       NLM_F_MULTI, cb);
		if (err == -ENOENT) {	/* timed out or filtered out */
			err = 0;
			continue;
		}
		if (err)
			break;
	}
	if (!c)
		ctx->done = true;
	rhashtable_walk_stop(ctx->iter);
	return skb->len ? skb->len : err;
}

/* genlmsg_iput() is 6.2 on */
static void *reply_put(struct sk_buff *msg, struct genl_info *info)
{
	return genlmsg_put(msg, info->snd_portid, info->snd_seq, &tcpsm_nl_family, 0,
			   info->genlhdr->cmd);
}

int tcpsm_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpsm_net *tn = tcpsm_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int s;

	BUILD_BUG_ON(TCPSM_A_STATS_SEGMENTS + __TCPSM_STAT_MAX != TCPSM_A_STATS_PAD);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = reply_put(msg, info);
	if (!hdr)
		goto nospace;
	if (nla_put_u32(msg, TCPSM_A_STATS_ACTIVE, atomic_read(&tn->count)))
		goto nospace;
	for (s = 0; s < __TCPSM_STAT_MAX; s++)
		if (nla_put_u64_64bit(msg, TCPSM_A_STATS_SEGMENTS + s, tcpsm_stat_read(tn, s),
				      TCPSM_A_STATS_PAD))
			goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int config_reply(struct tcpsm_net *tn, struct genl_info *info)
{
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = reply_put(msg, info);
	if (!hdr)
		goto nospace;
	for (i = 0; i < TCPSM_NR_TUNABLES; i++)
		if (nla_put_u32(msg, TCPSM_A_CONFIG_MSL + i, tcpsm_config_get(&tn->cfg, i)))
			goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int tcpsm_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return config_reply(tcpsm_pernet(genl_info_net(info)), info);
}

/*
 * What GENL_UNS_ADMIN_PERM checks: CAP_NET_ADMIN in the user namespace that
 * owns the network namespace. The spec's flags only express GENL_ADMIN_PERM
 * (the initial user namespace), hence the check here.
 */
static int admin_check(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_ns_capable(skb, genl_info_net(info)->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack, "needs CAP_NET_ADMIN in the namespace's user namespace");
	return -EPERM;
}

/*
 * The policy checked every value against its range, this the namespace's
 * own ceiling: all are set, or, on error, none.
 */
int tcpsm_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpsm_net *tn = tcpsm_pernet(genl_info_net(info));
	const struct nlattr *attr;
	unsigned int i;
	int err;

	err = admin_check(skb, info);
	if (err)
		return err;
	for (i = 0; i < TCPSM_NR_TUNABLES; i++) {
		attr = info->attrs[TCPSM_A_CONFIG_MSL + i];
		if (attr && nla_get_u32(attr) > tcpsm_config_max(tn, i)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "above the initial namespace's max_conns");
			return -ERANGE;
		}
	}
	for (i = 0; i < TCPSM_NR_TUNABLES; i++)
		if (info->attrs[TCPSM_A_CONFIG_MSL + i])
			tcpsm_config_set(&tn->cfg, i,
					 nla_get_u32(info->attrs[TCPSM_A_CONFIG_MSL + i]));
	return config_reply(tn, info);
}

int tcpsm_nl_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	err = admin_check(skb, info);
	if (err)
		return err;
	tcpsm_table_flush(tcpsm_pernet(genl_info_net(info)));
	return 0;
}

/* The state graph: an edge per non-zero counter, resumed at cb->args[0]. */
static int graph_msg(struct sk_buff *skb, struct netlink_callback *cb, unsigned int i,
		     u64 count)
{
	struct tcpsm_graph_edge e;
	void *hdr;

	tcpsm_graph_edge(i, &e);
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tcpsm_nl_family, NLM_F_MULTI, TCPSM_CMD_GRAPH_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPSM_A_GRAPH_ROLE, e.role) ||
	    nla_put_u32(skb, TCPSM_A_GRAPH_OLD_STATE, e.old) ||
	    nla_put_u32(skb, TCPSM_A_GRAPH_NEW_STATE, e.new) ||
	    nla_put_u32(skb, TCPSM_A_GRAPH_WHAT, e.what) ||
	    nla_put_u64_64bit(skb, TCPSM_A_GRAPH_COUNT, count, TCPSM_A_GRAPH_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int tcpsm_nl_graph_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpsm_net *tn = tcpsm_pernet(sock_net(skb->sk));
	unsigned long i;
	u64 n;

	for (i = cb->args[0]; i < TCPSM_GRAPH_EDGES; i++) {
		n = atomic64_read(&tn->graph[i]);
		if (n && graph_msg(skb, cb, i, n))
			break;
	}
	cb->args[0] = i;
	return skb->len;
}

/* Events */

int tcpsm_nl_event_fill(struct sk_buff *skb, const struct tcpsm_conn *c,
			enum tcpsm_event_type type, int role, int old_state, int new_state,
			int kind, int invalid, unsigned long now)
{
	struct nlattr *nest;

	if (nla_put_u32(skb, TCPSM_A_EVENT_TYPE, type) ||
	    (role >= 0 && nla_put_u32(skb, TCPSM_A_EVENT_ROLE, role)) ||
	    (old_state >= 0 && nla_put_u32(skb, TCPSM_A_EVENT_OLD_STATE, old_state)) ||
	    (new_state >= 0 && nla_put_u32(skb, TCPSM_A_EVENT_NEW_STATE, new_state)) ||
	    (kind >= 0 && nla_put_u32(skb, TCPSM_A_EVENT_KIND, kind)) ||
	    (invalid >= 0 && nla_put_u32(skb, TCPSM_A_EVENT_INVALID, invalid)) ||
	    (type == TCPSM_EVENT_TYPE_DESTROY &&
	     nla_put_u32(skb, TCPSM_A_EVENT_REASON, c->e.destroy_reason)) ||
	    (type == TCPSM_EVENT_TYPE_STATE && role >= 0 &&
	     nla_put_u32(skb, TCPSM_A_EVENT_OLD_STATE_MS, c->e.prev_ms[role])))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, TCPSM_A_EVENT_CONN);
	/* all the history's events in the last one; the latest in the others */
	if (!nest || tcpsm_nl_conn_fill(skb, c, now, type == TCPSM_EVENT_TYPE_DESTROY))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * One event about @c, whose lock the caller holds (softirq, or BHs off).
 * A negative @role, @old_state, @new_state, @kind or @invalid leaves it out.
 */
void tcpsm_nl_notify(struct tcpsm_conn *c, enum tcpsm_event_type type, int role,
		     int old_state, int new_state, int kind, int invalid)
{
	struct tcpsm_net *tn = c->tn;
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!skb)
		goto lost;
	hdr = genlmsg_put(skb, 0, 0, &tcpsm_nl_family, 0, TCPSM_CMD_EVENT);
	if (!hdr ||
	    tcpsm_nl_event_fill(skb, c, type, role, old_state, new_state, kind, invalid,
				jiffies)) {
		nlmsg_free(skb);
		goto lost;
	}
	genlmsg_end(skb, hdr);
	err = genlmsg_multicast_netns(&tcpsm_nl_family, tn->net, skb, 0,
				      TCPSM_NLGRP_EVENTS, GFP_ATOMIC);
	/*
	 * 0: some listener got it. A listener whose buffer is full gets
	 * ENOBUFS on its next read, but the sender hears of it (-ENOBUFS)
	 * only if that listener set NETLINK_BROADCAST_ERROR; -ESRCH says no
	 * listener took it, and there was one a moment ago: count both.
	 */
	if (!err)
		return;
lost:
	tcpsm_stat_inc(tn, TCPSM_STAT_EVENTS_LOST);
}

/* An event that report.c's rules produced for the entry @conn, under its lock. */
void tcpsm_nl_notify_event(void *conn, const struct tcpsm_event *ev)
{
	tcpsm_nl_notify(conn, ev->type, ev->role, ev->old_state, ev->new_state, ev->kind,
			ev->invalid);
}

/* Registration */

#ifdef TCPSM_HAVE_GENL_SPLIT_OPS
struct genl_family tcpsm_nl_family __ro_after_init = {
	.name		= TCPSM_FAMILY_NAME,
	.version	= TCPSM_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= tcpsm_nl_ops,
	.n_split_ops	= ARRAY_SIZE(tcpsm_nl_ops),
	.mcgrps		= tcpsm_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(tcpsm_nl_mcgrps),
};

static int tcpsm_nl_ops_merge(void)
{
	return 0;
}

static void tcpsm_nl_ops_free(void)
{
}
#else
/*
 * Before split operations (6.1), one struct genl_ops per command carries
 * both halves, with one policy: the do and dump policies of a command are
 * merged into one (each attribute has the same type in both).
 */
static struct genl_ops tcpsm_nl_ops_merged[ARRAY_SIZE(tcpsm_nl_ops)];
static struct nla_policy *tcpsm_nl_policies[ARRAY_SIZE(tcpsm_nl_ops)];

struct genl_family tcpsm_nl_family __ro_after_init = {
	.name		= TCPSM_FAMILY_NAME,
	.version	= TCPSM_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= tcpsm_nl_ops_merged,
	.mcgrps		= tcpsm_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(tcpsm_nl_mcgrps),
};

static void tcpsm_nl_ops_free(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpsm_nl_policies); i++) {
		kfree(tcpsm_nl_policies[i]);
		tcpsm_nl_policies[i] = NULL;
	}
}

static int tcpsm_nl_policy_merge(struct genl_ops *op, unsigned int n,
				 const struct genl_split_ops *half)
{
	unsigned int max = max(op->maxattr, half->maxattr), a;
	struct nla_policy *pol;

	if (!op->policy) {
		op->policy = half->policy;
		op->maxattr = half->maxattr;
		return 0;
	}
	pol = kcalloc(max + 1, sizeof(*pol), GFP_KERNEL);
	if (!pol)
		return -ENOMEM;
	for (a = 0; a <= max; a++) {
		/* memcpy: some members of struct nla_policy are const there */
		if (a <= op->maxattr && op->policy[a].type)
			memcpy(&pol[a], &op->policy[a], sizeof(*pol));
		else if (a <= half->maxattr)
			memcpy(&pol[a], &half->policy[a], sizeof(*pol));
	}
	tcpsm_nl_policies[n] = pol;
	op->policy = pol;
	op->maxattr = max;
	return 0;
}

static int tcpsm_nl_ops_merge(void)
{
	const struct genl_split_ops *s;
	unsigned int n = 0, i;
	struct genl_ops *op;

	for (s = tcpsm_nl_ops; s < tcpsm_nl_ops + ARRAY_SIZE(tcpsm_nl_ops); s++) {
		for (i = 0; i < n && tcpsm_nl_ops_merged[i].cmd != s->cmd; i++)
			;
		op = &tcpsm_nl_ops_merged[i];
		if (i == n) {
			n++;
			op->cmd = s->cmd;
		}
		op->flags |= s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
		if (s->flags & GENL_CMD_CAP_DO)
			op->doit = s->doit;
		if (s->flags & GENL_CMD_CAP_DUMP) {
			op->start = s->start;
			op->dumpit = s->dumpit;
			op->done = s->done;
		}
		if (s->policy && tcpsm_nl_policy_merge(op, i, s)) {
			tcpsm_nl_ops_free();
			return -ENOMEM;
		}
	}
	tcpsm_nl_family.n_ops = n;
	return 0;
}
#endif

int tcpsm_netlink_init(void)
{
	int err;

	err = tcpsm_nl_ops_merge();
	if (err)
		return err;
	err = genl_register_family(&tcpsm_nl_family);
	if (err) {
		tcpsm_nl_ops_free();
		return err;
	}
	static_branch_enable(&tcpsm_nl_live);
	return 0;
}

/* After this, no event is built; senders already past the test finish first. */
void tcpsm_netlink_exit(void)
{
	static_branch_disable(&tcpsm_nl_live);
	synchronize_net();
	genl_unregister_family(&tcpsm_nl_family);
	tcpsm_nl_ops_free();
}
