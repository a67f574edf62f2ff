/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpsm-replay: a capture file through the module's own state machine and
 * timer rules (module/fsm.c, timeout.c, report.c, parse.c through the
 * fuzzers' shim), with the capture's timestamps as the clock.
 */
#ifndef TCPSM_REPLAY_H
#define TCPSM_REPLAY_H

#include <stdio.h>

#include "entry.h"
#include "names.h"
#include "parse.h"
#include "report.h"
#include "timeout.h"
#include "tunables.h"

/* Exit codes, as tcpsmctl's. */
#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

/* One connection: the module's struct tcpsm_conn, its kernel parts replaced. */
struct rconn {
	struct rconn *hnext;		/* hash chain */
	struct rconn *prev, *next;	/* the walk: creation order */
	struct rconn *cprev, *cnext;	/* its eviction class's list, oldest first */
	struct tcpsm_key key;
	u8 class;			/* enum tcpsm_class */
	struct tcpsm_entry e;		/* times in us of capture time */
};

/* Filters as tcpsmctl list has them. */
struct rfilter {
	int family;		/* 0: any */
	int state;		/* -1: any */
	int port;		/* -1: any */
	union tcpsm_addr addr;	/* either end's address */
	u8 addr_family;		/* 0: any address */
};

struct replay {
	struct tcpsm_config cfg;
	bool rfc1337;
	/* the observer: the local addresses (none: a router) */
	union tcpsm_addr *local;
	u8 *local_family;
	unsigned int n_local;
	/* the table */
	struct rconn **bucket;
	unsigned int n_bucket;	/* a power of two */
	unsigned int count;
	struct rconn *first, *last;
	struct rconn *class_first[__TCPSM_CLASS_MAX], *class_last[__TCPSM_CLASS_MAX];
	u64 stats[__TCPSM_STAT_MAX];
	/* the clock: capture time in microseconds, never going back */
	unsigned long now;
	unsigned long next_sweep;
	/* output */
	bool events;
	bool json;
	struct rfilter filter;
	FILE *out;
	bool quiet;		/* no messages on stderr (the fuzzer) */
};

/* table.c */
int table_init(struct replay *r);
void table_free(struct replay *r);
struct rconn *conn_lookup(struct replay *r, const struct tcpsm_key *key);
struct rconn *conn_create(struct replay *r, const struct tcpsm_key *key, u8 client);
void conn_destroy(struct replay *r, struct rconn *c, enum tcpsm_destroy_reason why);
void conn_set_class(struct replay *r, struct rconn *c);
bool conn_catch_up(struct replay *r, struct rconn *c);
void table_sweep(struct replay *r);
void stat_inc(void *r, enum tcpsm_stat s);
/* What entry.c's steps call back into: a struct ev_ctx for @c. */
struct ev_ctx {
	struct replay *r;
	struct rconn *c;
};

void conn_ops(struct ev_ctx *x, struct tcpsm_entry_ops *ops, struct replay *r,
	      struct rconn *c);

/* track.c: hooks.c's tcpsm_track() and tcpsm_track_icmp() */
void track_packet(struct replay *r, struct tcpsm_pkt *p);

/* output.c */
void emit_event(struct replay *r, struct rconn *c, const struct tcpsm_event *ev);
struct conn;
/* show.c's conn_json_more: the history's keys */
void replay_json_more(FILE *f, const struct conn *c);
void print_table(struct replay *r);
void print_stats(struct replay *r);
bool filter_match(const struct rfilter *f, const struct rconn *c);

/* capture.c */
struct at_spec {
	bool set;
	bool relative;	/* from the first frame's time */
	double secs;
};

int replay_stream(struct replay *r, const char *path, FILE *f, const struct at_spec *at);

#endif /* TCPSM_REPLAY_H */
