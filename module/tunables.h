/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpsm's tunables: their names, ranges and defaults, in one table that the
 * module's sysctls and netlink and tcpsm-replay's --set all read. Pure C
 * like fsm.c: it includes nothing but fsm_types.h and the uapi header.
 */
#ifndef _TCPSM_TUNABLES_H
#define _TCPSM_TUNABLES_H

#include "fsm_types.h"
#include "uapi/linux/tcpsm.h"

/* One set per namespace (net.tcpsm.*), defaults from module parameters. */
struct tcpsm_config {
	int msl;		/* s; TIME_WAIT lasts 2 x msl */
	int fin_wait_1_timeout;	/* s */
	int fin_wait_2_timeout;	/* s */
	int syn_sent_timeout;	/* s */
	int syn_rcvd_timeout;	/* s */
	int close_wait_timeout;	/* s */
	int last_ack_timeout;	/* s */
	int closing_timeout;	/* s */
	int established_timeout;	/* s, idle */
	int close_linger;	/* s, both endpoints CLOSED */
	int keepalive_time;	/* s */
	int keepalive_intvl;	/* s */
	int keepalive_probes;
	int max_conns;
	int pickup;		/* 0/1: track connections first seen mid-stream */
	int unconfirmed_timeout;	/* s, at most, for an unconfirmed entry's timers */
};

struct tcpsm_tunable {
	const char *name;
	size_t offset;
	int min;
	int max;
};

extern struct tcpsm_config tcpsm_defaults;

/* Tunable i is netlink attribute TCPSM_A_CONFIG_MSL + i. */
#define TCPSM_NR_TUNABLES TCPSM_A_CONFIG_MAX
extern const struct tcpsm_tunable tcpsm_tunables[TCPSM_NR_TUNABLES];

int *tcpsm_tunable_ptr(const struct tcpsm_config *cfg, unsigned int i);
/* The index of the first tunable out of its range, or -1 if none is. */
int tcpsm_config_bad(const struct tcpsm_config *cfg);
/* The index of the tunable called @name, or -1. */
int tcpsm_tunable_find(const char *name);
int tcpsm_config_get(const struct tcpsm_config *cfg, unsigned int i);
/* @v must be in range: the netlink policy or the caller checked it. */
void tcpsm_config_set(struct tcpsm_config *cfg, unsigned int i, int v);
void tcpsm_config_range(unsigned int i, int *min, int *max);

#endif /* _TCPSM_TUNABLES_H */
