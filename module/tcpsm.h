/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpsm: what the module's files share: the per-namespace state, the
 * connection entry, configuration and counters.
 */
#ifndef _TCPSM_H
#define _TCPSM_H

#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "entry.h"
#include "fsm.h"
#include "genl-compat.h"
#include "names.h"
#include "netlink-gen.h"
#include "parse.h"
#include "report.h"
#include "timeout.h"
#include "tunables.h"
#include "view.h"

struct tcpsm_stats {
	u64 v[__TCPSM_STAT_MAX];
};

/*
 * Why an entry went away (enum tcpsm_destroy_reason), the timers
 * (enum tcpsm_timer_kind) and which endpoints are local (enum tcpsm_local,
 * a bit per role): in the uapi header, generated from the netlink spec.
 */

struct tcpsm_conn {
	struct rhash_head node;
	struct tcpsm_key key;
	spinlock_t lock;		/* everything below */
	u8 class;			/* enum tcpsm_class */
	struct tcpsm_entry e;		/* times in jiffies */
	struct list_head class_node;	/* tn->class_list[class], tn->class_lock */
	struct tcpsm_net *tn;
	struct rcu_head rcu;
};

/* The state graph's counters: [role][old state][new state][enum tcpsm_hist_what] */
#define TCPSM_GRAPH_EDGES \
	(__TCPSM_ROLE_MAX * __TCPSM_STATE_MAX * __TCPSM_STATE_MAX * __TCPSM_H_MAX)

static inline unsigned int tcpsm_graph_index(u8 role, u8 old, u8 new, u8 what)
{
	return ((role * __TCPSM_STATE_MAX + old) * __TCPSM_STATE_MAX + new) * __TCPSM_H_MAX +
	       what;
}

struct tcpsm_graph_edge {
	u8 role, old, new, what;
};

static inline void tcpsm_graph_edge(unsigned int i, struct tcpsm_graph_edge *e)
{
	e->what = i % __TCPSM_H_MAX;
	i /= __TCPSM_H_MAX;
	e->new = i % __TCPSM_STATE_MAX;
	i /= __TCPSM_STATE_MAX;
	e->old = i % __TCPSM_STATE_MAX;
	e->role = i / __TCPSM_STATE_MAX;
}

struct tcpsm_net {
	struct net *net;
	/* the initial namespace's, whose max_conns caps this one's; NULL there */
	const struct tcpsm_net *parent;
	struct mem_cgroup *memcg;	/* charged for the entries; NULL: no one */
	struct list_head tables_node;	/* conn.c's list of every namespace's */
	struct rhashtable table;
	atomic_t count;
	atomic_t gen;			/* bumped on insert and remove, for dumps */
	spinlock_t class_lock;		/* class_list[] and every entry's class_node */
	struct list_head class_list[__TCPSM_CLASS_MAX];
	struct tcpsm_config cfg;
	struct tcpsm_stats __percpu *stats;
	atomic64_t *graph;		/* TCPSM_GRAPH_EDGES, tcpsm_graph_index() */
	struct proc_dir_entry *proc;
	struct ctl_table_header *sysctl;
	struct ctl_table *sysctl_table;
	struct delayed_work gc_work;	/* timer.c: expires what no one looks at */
	struct rhashtable_iter gc_iter;	/* where the pass goes on, if gc_walking */
	bool gc_walking;
};

extern unsigned int tcpsm_net_id;

static inline struct tcpsm_net *tcpsm_pernet(const struct net *net)
{
	return net_generic(net, tcpsm_net_id);
}

static inline void tcpsm_stat_inc(struct tcpsm_net *tn, enum tcpsm_stat s)
{
	this_cpu_inc(tn->stats->v[s]);
}

static inline void tcpsm_stat_add(struct tcpsm_net *tn, enum tcpsm_stat s, u64 n)
{
	this_cpu_add(tn->stats->v[s], n);
}

/* stats.c */
u64 tcpsm_stat_read(struct tcpsm_net *tn, enum tcpsm_stat s);

/* config.c; the tunables' table is tunables.c's */
int tcpsm_config_check(const struct tcpsm_config *cfg, const char *what);
int tcpsm_config_max(const struct tcpsm_net *tn, unsigned int i);
int tcpsm_global_check(void);

/* conn.c: the table */
#define TCPSM_MAX_CONNS_GLOBAL	1048576	/* default, all namespaces together */
extern int tcpsm_max_conns_global;
int tcpsm_max_conns(const struct tcpsm_net *tn);
int tcpsm_table_init(struct tcpsm_net *tn);
void tcpsm_table_destroy(struct tcpsm_net *tn);
int tcpsm_cache_init(void);
void tcpsm_cache_destroy(void);
struct tcpsm_conn *tcpsm_conn_lookup(struct tcpsm_net *tn, const struct tcpsm_key *key);
struct tcpsm_conn *tcpsm_conn_create(struct tcpsm_net *tn, const struct tcpsm_key *key,
				     u8 client);
void tcpsm_conn_destroy(struct tcpsm_conn *c, enum tcpsm_destroy_reason why);
/* the same, with c->lock held (BHs off): from the hook and the timeouts */
void tcpsm_conn_destroy_locked(struct tcpsm_conn *c, enum tcpsm_destroy_reason why);
void tcpsm_conn_set_class(struct tcpsm_conn *c);
/* What entry.c's steps call back into for @c, under c->lock. */
void tcpsm_conn_ops(struct tcpsm_conn *c, struct tcpsm_entry_ops *ops);
void tcpsm_table_flush(struct tcpsm_net *tn);
bool tcpsm_walk_start(struct rhashtable_iter *iter);

/* timer.c */
void tcpsm_timer_update(struct tcpsm_conn *c, unsigned long now, unsigned int entered);
void tcpsm_timer_restart(struct tcpsm_conn *c, enum tcpsm_role who, unsigned long now);
bool tcpsm_timer_expire(struct tcpsm_conn *c, unsigned long now);
enum tcpsm_timer_kind tcpsm_timer_next(const struct tcpsm_conn *c, unsigned long *when);
bool tcpsm_conn_catch_up(struct tcpsm_conn *c, unsigned long now);
void tcpsm_ka_catch_up(struct tcpsm_conn *c, unsigned long now);
bool tcpsm_gc_scan(struct tcpsm_net *tn, unsigned long now, unsigned int budget);
void tcpsm_gc_end_pass(struct tcpsm_net *tn);
void tcpsm_gc_start(struct tcpsm_net *tn);
void tcpsm_gc_stop(struct tcpsm_net *tn);
unsigned long tcpsm_ka_next_ms(const struct tcpsm_conn *c, int r, unsigned long now);

/* hooks.c */
int tcpsm_hooks_register(struct net *net);
void tcpsm_hooks_unregister(struct net *net);
void tcpsm_track(struct tcpsm_net *tn, struct tcpsm_pkt *p, unsigned int hook,
		 bool peer_local);
void tcpsm_track_icmp(struct tcpsm_net *tn, struct tcpsm_pkt *p, unsigned int hook,
		      bool peer_local);

/* proc.c */
int tcpsm_proc_init(struct net *net);
void tcpsm_proc_exit(struct net *net);

/* netlink.c: the generic netlink family and its events */
int tcpsm_netlink_init(void);
void tcpsm_netlink_exit(void);
extern struct genl_family tcpsm_nl_family;
DECLARE_STATIC_KEY_FALSE(tcpsm_nl_live);
void tcpsm_nl_notify(struct tcpsm_conn *c, enum tcpsm_event_type type, int role,
		     int old_state, int new_state, int kind, int invalid);
void tcpsm_nl_notify_event(void *conn, const struct tcpsm_event *ev);
/* the parts KUnit checks */
/* @events: all the history's events (conn-get, a destroy event), else the latest */
int tcpsm_nl_conn_fill(struct sk_buff *skb, const struct tcpsm_conn *c, unsigned long now,
		       bool events);
int tcpsm_nl_event_fill(struct sk_buff *skb, const struct tcpsm_conn *c,
			enum tcpsm_event_type type, int role, int old_state, int new_state,
			int kind, int invalid, unsigned long now);
#define TCPSM_DUMP_F_FAMILY	0x01	/* dump filters in use */
#define TCPSM_DUMP_F_STATE	0x02
#define TCPSM_DUMP_F_PORT	0x04
#define TCPSM_DUMP_F_LOCAL	0x08
bool tcpsm_nl_dump_match(const struct tcpsm_conn *c, u8 filters, u8 family, u8 state,
			 __be16 port, u8 local);

/*
 * Events cost a static branch while the family is not registered, and a look
 * at the group's listeners when it is: nothing is built for no one.
 */
static inline bool tcpsm_events_wanted(const struct tcpsm_net *tn)
{
	return static_branch_unlikely(&tcpsm_nl_live) &&
	       genl_has_listeners(&tcpsm_nl_family, tn->net, TCPSM_NLGRP_EVENTS);
}

/* config.c: the net.tcpsm.* sysctls */
int tcpsm_sysctl_init(struct tcpsm_net *tn);
void tcpsm_sysctl_exit(struct tcpsm_net *tn);

#endif /* _TCPSM_H */
