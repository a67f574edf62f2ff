/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpsm-replay: a capture file through the module's own state machine and
 * timer rules (module/fsm.c, timeout.c, report.c, parse.c through the
 * fuzzers' shim), with the capture's timestamps as the clock.
 */
#ifndef TCPSM_REPLAY_H
#define TCPSM_REPLAY_H

#include <stdio.h>

#include "names.h"
#include "parse.h"
#include "report.h"
#include "timeout.h"
#include "tunables.h"

/* Exit codes, as tcpsmctl's. */
#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

/* One connection: the module's struct tcpsm_conn without the kernel's parts. */
struct rconn {
	struct rconn *hnext;		/* hash chain */
	struct rconn *prev, *next;	/* the walk: creation order */
	struct rconn *cprev, *cnext;	/* its eviction class's list, oldest first */
	struct tcpsm_key key;
	u8 client;			/* key index (0/1) of the client */
	u8 local;			/* enum tcpsm_local */
	u8 flags;			/* TCPSM_F_* below */
	u8 class;			/* enum tcpsm_class */
	u8 ka_dead;
	u8 destroy_reason;
	u16 tw_restarts;
	u16 tw_ack_restarts;
	u16 icmp_errors;
	struct tcpsm_fsm fsm;
	unsigned long deadline[__TCPSM_ROLE_MAX];
	unsigned long created;
	unsigned long last_data;
	unsigned long last_seen;
	unsigned long ka_last_probe[__TCPSM_ROLE_MAX];
	u32 pkts[__TCPSM_ROLE_MAX];
	u64 bytes[__TCPSM_ROLE_MAX];
};

/* As the module's TCPSM_F_* (tcpsm.h) */
#define RF_PICKUP	0x01
#define RF_DEAD		0x02
#define RF_REUSE	0x04
#define RF_REPLACED	0x08

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
};

/* table.c */
int table_init(struct replay *r);
void table_free(struct replay *r);
void key_make(struct tcpsm_key *key, const struct tcpsm_pkt *p, u8 *src_idx);
struct rconn *conn_lookup(struct replay *r, const struct tcpsm_key *key);
struct rconn *conn_create(struct replay *r, const struct tcpsm_key *key, u8 client);
void conn_destroy(struct replay *r, struct rconn *c, enum tcpsm_destroy_reason why);
void conn_set_class(struct replay *r, struct rconn *c);
bool conn_catch_up(struct replay *r, struct rconn *c);
void table_sweep(struct replay *r);
void stat_inc(void *r, enum tcpsm_stat s);
/* report.c's callbacks send events through this */
struct ev_ctx {
	struct replay *r;
	struct rconn *c;
};

void emit_cb(void *ctx, const struct tcpsm_event *ev);

/* track.c: hooks.c's tcpsm_track() and tcpsm_track_icmp() */
void track_packet(struct replay *r, struct tcpsm_pkt *p);

/* output.c */
void emit_event(struct replay *r, struct rconn *c, const struct tcpsm_event *ev);
void print_table(struct replay *r);
void print_stats(struct replay *r);
bool filter_match(const struct rfilter *f, const struct rconn *c);

/* capture.c */
struct at_spec {
	bool set;
	bool relative;	/* from the first frame's time */
	double secs;
};

int replay_file(struct replay *r, const char *path, const struct at_spec *at);

#endif /* TCPSM_REPLAY_H */
