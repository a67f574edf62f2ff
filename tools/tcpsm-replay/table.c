// SPDX-License-Identifier: GPL-2.0
/*
 * The replay's connection table: what module/conn.c and timer.c do with an
 * rhashtable, per-entry locks and a garbage collector, done single-threaded
 * with a chained hash, the same eviction classes and limit (max_conns), and
 * a sweep each second of capture time in place of the collector. The rules
 * (timeouts, keepalive, classes, counters, events) are the module's own.
 */
#include <stdlib.h>
#include <string.h>

#include "replay.h"

#define MIN_BUCKETS	1024

int table_init(struct replay *r)
{
	r->n_bucket = MIN_BUCKETS;
	r->bucket = calloc(r->n_bucket, sizeof(*r->bucket));
	return r->bucket ? 0 : -1;
}

void table_free(struct replay *r)
{
	struct rconn *c, *next;

	for (c = r->first; c; c = next) {
		next = c->next;
		free(c);
	}
	free(r->bucket);
	r->bucket = NULL;
}

void stat_inc(void *rp, enum tcpsm_stat s)
{
	struct replay *r = rp;

	r->stats[s]++;
}

/* FNV-1a over the key: no adversary to fear in a file one chose to read. */
static unsigned int key_hash(const struct tcpsm_key *key)
{
	const unsigned char *b = (const unsigned char *)key;
	unsigned int h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*key); i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* Keep about one entry per bucket; a failed grow only makes chains longer. */
static void table_grow(struct replay *r)
{
	unsigned int n = r->n_bucket * 2, i;
	struct rconn **b, *c;

	b = calloc(n, sizeof(*b));
	if (!b)
		return;
	for (c = r->first; c; c = c->next) {
		i = key_hash(&c->key) & (n - 1);
		c->hnext = b[i];
		b[i] = c;
	}
	free(r->bucket);
	r->bucket = b;
	r->n_bucket = n;
}

struct rconn *conn_lookup(struct replay *r, const struct tcpsm_key *key)
{
	struct rconn *c = r->bucket[key_hash(key) & (r->n_bucket - 1)];

	while (c && memcmp(&c->key, key, sizeof(*key)))
		c = c->hnext;
	return c;
}

static void class_del(struct replay *r, struct rconn *c)
{
	if (c->cprev)
		c->cprev->cnext = c->cnext;
	else
		r->class_first[c->class] = c->cnext;
	if (c->cnext)
		c->cnext->cprev = c->cprev;
	else
		r->class_last[c->class] = c->cprev;
	c->cprev = NULL;
	c->cnext = NULL;
}

static void class_add(struct replay *r, struct rconn *c)
{
	c->cprev = r->class_last[c->class];
	c->cnext = NULL;
	if (c->cprev)
		c->cprev->cnext = c;
	else
		r->class_first[c->class] = c;
	r->class_last[c->class] = c;
}

/* After a state change: keep the eviction lists right (conn.c). */
void conn_set_class(struct replay *r, struct rconn *c)
{
	enum tcpsm_class cl = tcpsm_entry_class(&c->e);

	if (cl == c->class)
		return;
	class_del(r, c);
	c->class = cl;
	class_add(r, c);
}

static void hash_del(struct replay *r, struct rconn *c)
{
	struct rconn **pp = &r->bucket[key_hash(&c->key) & (r->n_bucket - 1)];

	while (*pp != c)
		pp = &(*pp)->hnext;
	*pp = c->hnext;
}

static void walk_del(struct replay *r, struct rconn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		r->first = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		r->last = c->prev;
}

/* Remove and free, with its destroy event and counter (conn.c). */
void conn_destroy(struct replay *r, struct rconn *c, enum tcpsm_destroy_reason why)
{
	struct tcpsm_event ev = { TCPSM_EVENT_TYPE_DESTROY, -1, -1, -1, -1, -1 };

	c->e.flags |= TCPSM_F_DEAD;
	c->e.destroy_reason = why;
	tcpsm_entry_gone(&c->e, why);
	hash_del(r, c);
	walk_del(r, c);
	class_del(r, c);
	r->count--;
	stat_inc(r, tcpsm_destroy_stat(why));
	emit_event(r, c, &ev);
	free(c);
}

/* Make room by dropping the least useful entry; false if none may go. */
static bool conn_evict_one(struct replay *r)
{
	struct rconn *victim = NULL;
	int cl;

	for (cl = TCPSM_CLASS_CLOSED; cl < TCPSM_CLASS_OTHER && !victim; cl++)
		victim = r->class_first[cl];
	if (!victim)
		return false;
	conn_destroy(r, victim, TCPSM_DESTROY_EVICTED);
	stat_inc(r, TCPSM_STAT_EVICTED);
	return true;
}

/* A new entry for @key, both endpoints CLOSED; NULL if the table is full. */
struct rconn *conn_create(struct replay *r, const struct tcpsm_key *key, u8 client)
{
	struct tcpsm_event ev = { TCPSM_EVENT_TYPE_NEW, -1, -1, -1, -1, -1 };
	struct rconn *c;
	unsigned int i;

	if (r->count >= (unsigned int)r->cfg.max_conns && !conn_evict_one(r)) {
		stat_inc(r, TCPSM_STAT_TABLE_FULL);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		stat_inc(r, TCPSM_STAT_INSERT_FAILED);
		return NULL;
	}
	c->key = *key;
	c->class = TCPSM_CLASS_CLOSED;
	tcpsm_entry_init(&c->e, client, r->now);
	if (r->count >= r->n_bucket)
		table_grow(r);
	i = key_hash(key) & (r->n_bucket - 1);
	c->hnext = r->bucket[i];
	r->bucket[i] = c;
	c->prev = r->last;
	if (c->prev)
		c->prev->next = c;
	else
		r->first = c;
	r->last = c;
	class_add(r, c);
	r->count++;
	emit_event(r, c, &ev);
	stat_inc(r, TCPSM_STAT_CREATED);
	return c;
}

static void ops_stat(void *ctx, enum tcpsm_stat s)
{
	stat_inc(((struct ev_ctx *)ctx)->r, s);
}

static void ops_event(void *ctx, const struct tcpsm_event *ev)
{
	struct ev_ctx *x = ctx;

	emit_event(x->r, x->c, ev);
}

static bool ops_wanted(void *ctx)
{
	return ((struct ev_ctx *)ctx)->r->events;
}

static void ops_set_class(void *ctx)
{
	struct ev_ctx *x = ctx;

	conn_set_class(x->r, x->c);
}

void conn_ops(struct ev_ctx *x, struct tcpsm_entry_ops *ops, struct replay *r,
	      struct rconn *c)
{
	x->r = r;
	x->c = c;
	ops->stat = ops_stat;
	ops->event = ops_event;
	ops->wanted = ops_wanted;
	ops->set_class = ops_set_class;
	ops->moved = NULL;	/* no graph offline */
	ops->ctx = x;
}

/* timer.c's tcpsm_conn_catch_up(): false if the entry is gone. */
bool conn_catch_up(struct replay *r, struct rconn *c)
{
	struct tcpsm_entry_ops ops;
	struct ev_ctx x;

	conn_ops(&x, &ops, r, c);
	tcpsm_entry_ka_catch_up(&c->e, &r->cfg, r->now, &ops);
	if (!tcpsm_entry_expire(&c->e, &r->cfg, r->now, &ops))
		return true;
	conn_destroy(r, c, c->e.destroy_reason);
	return false;
}

/* The collector's pass (timer.c), once a second of capture time. */
void table_sweep(struct replay *r)
{
	struct rconn *c, *next;

	if (tcpsm_time_before(r->now, r->next_sweep))
		return;
	for (c = r->first; c; c = next) {
		next = c->next;
		conn_catch_up(r, c);
	}
	r->next_sweep = r->now + TCPSM_HZ;
}
