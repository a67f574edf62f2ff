// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: one rhashtable per namespace, looked up under RCU
 * without locks; each entry has its own spinlock for updates, so CPUs only
 * meet when they handle the same connection.
 *
 * An entry leaves the table in exactly one place, tcpsm_conn_destroy(),
 * under its own lock, and is freed after an RCU grace period: readers that
 * found it (hooks, /proc) may keep using it until they leave their RCU
 * section, and whoever takes its lock after the removal (a hook, a reader,
 * the garbage collector) sees TCPSM_F_DEAD and leaves it alone.
 */
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "tcpsm.h"

static struct kmem_cache *tcpsm_cache __read_mostly;

/* Entries in every namespace, against max_conns_global. */
static atomic_t tcpsm_global_count = ATOMIC_INIT(0);
int tcpsm_max_conns_global __read_mostly = TCPSM_MAX_CONNS_GLOBAL;

/* Every namespace's table, for eviction at the global limit (RCU to read). */
static LIST_HEAD(tcpsm_tables);
static DEFINE_SPINLOCK(tcpsm_tables_lock);

static const struct rhashtable_params tcpsm_rht_params = {
	.head_offset = offsetof(struct tcpsm_conn, node),
	.key_offset = offsetof(struct tcpsm_conn, key),
	.key_len = sizeof(struct tcpsm_key),
	.automatic_shrinking = true,
};

int tcpsm_cache_init(void)
{
	tcpsm_cache = KMEM_CACHE(tcpsm_conn, 0);
	return tcpsm_cache ? 0 : -ENOMEM;
}

void tcpsm_cache_destroy(void)
{
	rcu_barrier();	/* the last call_rcu() frees */
	kmem_cache_destroy(tcpsm_cache);
}

int tcpsm_table_init(struct tcpsm_net *tn)
{
	int i, err;

	atomic_set(&tn->count, 0);
	spin_lock_init(&tn->class_lock);
	for (i = 0; i < __TCPSM_CLASS_MAX; i++)
		INIT_LIST_HEAD(&tn->class_list[i]);
	/* the state graph's counters, with the table: its entries count in it */
	tn->graph = kvcalloc(TCPSM_GRAPH_EDGES, sizeof(*tn->graph), GFP_KERNEL_ACCOUNT);
	if (!tn->graph)
		return -ENOMEM;
	err = rhashtable_init(&tn->table, &tcpsm_rht_params);
	if (err) {
		kvfree(tn->graph);
		return err;
	}
	spin_lock(&tcpsm_tables_lock);
	list_add_tail_rcu(&tn->tables_node, &tcpsm_tables);
	spin_unlock(&tcpsm_tables_lock);
	return 0;
}

/*
 * The most entries @tn may hold: its own max_conns, never more than the
 * initial namespace's (which may have been lowered since this one set its
 * own), as nf_conntrack_max caps every namespace.
 */
int tcpsm_max_conns(const struct tcpsm_net *tn)
{
	int max = READ_ONCE(tn->cfg.max_conns);

	if (tn->parent)
		max = min(max, READ_ONCE(tn->parent->cfg.max_conns));
	return max;
}

/*
 * (Re)start a walk of the table kept across calls (a dump, the collector).
 * Returns true if a resize since the last call started it over: the entry
 * the last call stopped at may be freed by then, and some kernels (6.12
 * does not) leave iter->p on it for the next peek or next to read.
 */
bool tcpsm_walk_start(struct rhashtable_iter *iter)
{
	if (rhashtable_walk_start_check(iter) != -EAGAIN)
		return false;
	iter->p = NULL;
	return true;
}

/* Caller holds rcu_read_lock(). */
struct tcpsm_conn *tcpsm_conn_lookup(struct tcpsm_net *tn, const struct tcpsm_key *key)
{
	return rhashtable_lookup(&tn->table, key, tcpsm_rht_params);
}

/* After a state change, under c->lock: keep the eviction lists right. */
void tcpsm_conn_set_class(struct tcpsm_conn *c)
{
	enum tcpsm_class cl = tcpsm_entry_class(&c->e);
	struct tcpsm_net *tn = c->tn;

	if (cl == c->class)
		return;
	spin_lock(&tn->class_lock);
	list_move_tail(&c->class_node, &tn->class_list[cl]);
	spin_unlock(&tn->class_lock);
	c->class = cl;
}

static void ops_stat(void *c, enum tcpsm_stat s)
{
	tcpsm_stat_inc(((struct tcpsm_conn *)c)->tn, s);
}

static bool ops_wanted(void *c)
{
	return tcpsm_events_wanted(((struct tcpsm_conn *)c)->tn);
}

static void ops_set_class(void *c)
{
	tcpsm_conn_set_class(c);
}

static void ops_moved(void *c, u8 role, u8 old, u8 new, u8 what)
{
	struct tcpsm_net *tn = ((struct tcpsm_conn *)c)->tn;

	atomic64_inc(&tn->graph[tcpsm_graph_index(role, old, new, what)]);
}

void tcpsm_conn_ops(struct tcpsm_conn *c, struct tcpsm_entry_ops *ops)
{
	ops->stat = ops_stat;
	ops->event = tcpsm_nl_notify_event;
	ops->wanted = ops_wanted;
	ops->set_class = ops_set_class;
	ops->moved = ops_moved;
	ops->ctx = c;
}

static void conn_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(tcpsm_cache, container_of(head, struct tcpsm_conn, rcu));
}

/*
 * Remove, under its lock, and free after a grace period. Idempotent: false
 * if it was gone already.
 */
static bool conn_destroy_locked(struct tcpsm_conn *c, enum tcpsm_destroy_reason why)
{
	struct tcpsm_net *tn = c->tn;

	lockdep_assert_held(&c->lock);
	if (c->e.flags & TCPSM_F_DEAD)
		return false;
	c->e.flags |= TCPSM_F_DEAD;
	c->e.destroy_reason = why;
	tcpsm_entry_gone(&c->e, why);
	rhashtable_remove_fast(&tn->table, &c->node, tcpsm_rht_params);
	atomic_inc(&tn->gen);
	spin_lock(&tn->class_lock);
	list_del_init(&c->class_node);
	spin_unlock(&tn->class_lock);
	atomic_dec(&tn->count);
	atomic_dec(&tcpsm_global_count);
	tcpsm_stat_inc(tn, tcpsm_destroy_stat(why));
	if (tcpsm_events_wanted(tn))
		tcpsm_nl_notify(c, TCPSM_EVENT_TYPE_DESTROY, -1, -1, -1, -1, -1);
	call_rcu(&c->rcu, conn_free_rcu);
	return true;
}

void tcpsm_conn_destroy(struct tcpsm_conn *c, enum tcpsm_destroy_reason why)
{
	spin_lock_bh(&c->lock);
	conn_destroy_locked(c, why);
	spin_unlock_bh(&c->lock);
}

void tcpsm_conn_destroy_locked(struct tcpsm_conn *c, enum tcpsm_destroy_reason why)
{
	conn_destroy_locked(c, why);
}

/* The least useful entry of @tn and its class (*cl), NULL if none may go. */
static struct tcpsm_conn *evict_candidate(struct tcpsm_net *tn, int *cl)
{
	struct tcpsm_conn *victim = NULL;

	spin_lock_bh(&tn->class_lock);
	for (*cl = TCPSM_CLASS_CLOSED; *cl < TCPSM_CLASS_OTHER; (*cl)++) {
		victim = list_first_entry_or_null(&tn->class_list[*cl],
						  struct tcpsm_conn, class_node);
		if (victim)
			break;
	}
	spin_unlock_bh(&tn->class_lock);
	return victim;
}

/* Unless @victim died meanwhile (it is still RCU-protected). */
static void conn_evict(struct tcpsm_conn *victim)
{
	bool gone;

	spin_lock_bh(&victim->lock);
	gone = conn_destroy_locked(victim, TCPSM_DESTROY_EVICTED);
	spin_unlock_bh(&victim->lock);
	if (gone)
		tcpsm_stat_inc(victim->tn, TCPSM_STAT_EVICTED);
}

/* The namespace holding the most entries. Caller holds rcu_read_lock(). */
static struct tcpsm_net *largest_table(void)
{
	struct tcpsm_net *t, *big = NULL;
	int n, most = 0;

	list_for_each_entry_rcu(t, &tcpsm_tables, tables_node) {
		n = atomic_read(&t->count);
		if (n > most) {
			most = n;
			big = t;
		}
	}
	return big;
}

/*
 * The entry to evict for room in @tn: at its own limit (@own) one of its
 * own. At the global limit the victim is the least useful of two: @tn's own
 * and that of the namespace holding the most entries, which goes on a tie:
 * a namespace that floods the table pays with its own entries whoever
 * inserts, and a small one is not emptied for it. Finding the largest is a
 * walk of the namespaces, only while the global limit is reached.
 */
static struct tcpsm_conn *conn_victim(struct tcpsm_net *tn, bool own)
{
	struct tcpsm_conn *victim, *theirs = NULL;
	int cl, their_cl = TCPSM_CLASS_OTHER;
	struct tcpsm_net *big;

	victim = evict_candidate(tn, &cl);
	if (own)
		return victim;
	big = largest_table();
	if (big && big != tn)
		theirs = evict_candidate(big, &their_cl);
	return theirs && their_cl <= cl ? theirs : victim;
}

/* @v + 1, unless that passes @limit. */
static bool atomic_inc_within(atomic_t *v, int limit)
{
	int old = atomic_read(v);

	do {
		if (old >= limit)
			return false;
	} while (!atomic_try_cmpxchg(v, &old, old + 1));
	return true;
}

/*
 * Reserve room for one more entry of @tn in both counts, evicting while a
 * limit is reached; false (nothing reserved) if no entry may go. The counts
 * never pass their limits, even with CPUs inserting at once: each evicts,
 * then reserves, and one that another CPU's insertion beat to the room it
 * made evicts again.
 */
static bool conn_reserve(struct tcpsm_net *tn)
{
	struct tcpsm_conn *victim;
	int tries;
	bool own;

	for (tries = 0; tries < 4; tries++) {
		own = !atomic_inc_within(&tn->count, tcpsm_max_conns(tn));
		if (!own) {
			if (atomic_inc_within(&tcpsm_global_count,
					      READ_ONCE(tcpsm_max_conns_global)))
				return true;
			atomic_dec(&tn->count);
		}
		victim = conn_victim(tn, own);
		if (!victim)
			return false;
		conn_evict(victim);	/* or it died meanwhile: room all the same */
	}
	return false;
}

static void conn_unreserve(struct tcpsm_net *tn)
{
	atomic_dec(&tn->count);
	atomic_dec(&tcpsm_global_count);
}

/*
 * Allocate an entry, charged to the memory cgroup that created @tn's
 * namespace, whatever context the hook runs in: in softirq nothing is
 * charged to the interrupted task (the kernel charges no one there), in a
 * task it would be the sender's. set_active_memcg() names the cgroup, as
 * bpf maps do. That cgroup's limit holds: no __GFP_HIGH (which lets an
 * atomic charge go over it), so a namespace over its limit tracks no more
 * (insert_failed) rather than push its cgroup to OOM. The initial
 * namespace's entries are charged to no one, as conntrack's.
 */
static struct tcpsm_conn *conn_alloc(struct tcpsm_net *tn)
{
	struct mem_cgroup *old;
	struct tcpsm_conn *c;

	if (!tn->memcg)
		return kmem_cache_zalloc(tcpsm_cache, GFP_ATOMIC);
	old = set_active_memcg(tn->memcg);
	c = kmem_cache_zalloc(tcpsm_cache, GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT);
	set_active_memcg(old);
	return c;
}

/*
 * A new entry for @key, both endpoints CLOSED; @client is the key half that
 * sent the first SYN. Returns the entry already there if another CPU won the
 * race, NULL if the table is full of established connections. Caller holds
 * rcu_read_lock().
 */
struct tcpsm_conn *tcpsm_conn_create(struct tcpsm_net *tn, const struct tcpsm_key *key,
				     u8 client)
{
	struct tcpsm_conn *c, *old;
	unsigned long now = jiffies;

	if (!conn_reserve(tn)) {
		tcpsm_stat_inc(tn, TCPSM_STAT_TABLE_FULL);
		return NULL;
	}
	c = conn_alloc(tn);
	if (!c) {
		conn_unreserve(tn);
		tcpsm_stat_inc(tn, TCPSM_STAT_INSERT_FAILED);
		return NULL;
	}
	c->key = *key;
	c->tn = tn;
	c->class = TCPSM_CLASS_CLOSED;
	INIT_LIST_HEAD(&c->class_node);
	spin_lock_init(&c->lock);
	tcpsm_entry_init(&c->e, client, now);

	old = rhashtable_lookup_get_insert_fast(&tn->table, &c->node, tcpsm_rht_params);
	if (old) {
		conn_unreserve(tn);
		kmem_cache_free(tcpsm_cache, c);
		if (IS_ERR(old)) {
			tcpsm_stat_inc(tn, TCPSM_STAT_INSERT_FAILED);
			return NULL;
		}
		return old;
	}
	atomic_inc(&tn->gen);
	/* Visible now: join the eviction list under the lock, unless gone. */
	spin_lock_bh(&c->lock);
	if (!(c->e.flags & TCPSM_F_DEAD)) {
		spin_lock(&tn->class_lock);
		if (list_empty(&c->class_node))
			list_add_tail(&c->class_node, &tn->class_list[c->class]);
		spin_unlock(&tn->class_lock);
		if (tcpsm_events_wanted(tn))
			tcpsm_nl_notify(c, TCPSM_EVENT_TYPE_NEW, -1, -1, -1, -1, -1);
	}
	spin_unlock_bh(&c->lock);
	tcpsm_stat_inc(tn, TCPSM_STAT_CREATED);
	return c;
}

/* Forget every connection of the namespace. */
void tcpsm_table_flush(struct tcpsm_net *tn)
{
	struct rhashtable_iter iter;
	struct tcpsm_conn *c;

	rhashtable_walk_enter(&tn->table, &iter);
	rhashtable_walk_start(&iter);
	while ((c = rhashtable_walk_next(&iter))) {
		if (IS_ERR(c))
			continue;	/* -EAGAIN: a resize, keep walking */
		tcpsm_conn_destroy(c, TCPSM_DESTROY_FLUSHED);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

/*
 * Namespace exit, hooks and garbage collector already gone: flush until
 * empty (a walk can miss entries across a resize), then wait for readers.
 */
void tcpsm_table_destroy(struct tcpsm_net *tn)
{
	spin_lock(&tcpsm_tables_lock);
	list_del_rcu(&tn->tables_node);
	spin_unlock(&tcpsm_tables_lock);
	/* the synchronize_rcu() below waits for evictors that found it */
	while (atomic_read(&tn->count) > 0)
		tcpsm_table_flush(tn);
	synchronize_rcu();
	rhashtable_destroy(&tn->table);
	kvfree(tn->graph);
}
