/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tcpsm calls the values of its uapi enums, in one place for the
 * module (/proc, KUnit's messages) and tcpsmctl. Pure C like fsm.c: it
 * includes nothing but fsm_types.h and the uapi header.
 */
#ifndef _TCPSM_NAMES_H
#define _TCPSM_NAMES_H

#include "fsm_types.h"
#include "uapi/linux/tcpsm.h"

/* A table of names indexed by value; NULL where a value has none. */
struct tcpsm_names {
	const char *const *name;
	unsigned int n;
};

extern const struct tcpsm_names tcpsm_names_state;	/* "FIN_WAIT_2" */
extern const struct tcpsm_names tcpsm_names_kind;	/* "finack" */
extern const struct tcpsm_names tcpsm_names_timer;	/* "fin_wait_2" */
extern const struct tcpsm_names tcpsm_names_role;	/* "client" */
extern const struct tcpsm_names tcpsm_names_local;	/* "both" */
extern const struct tcpsm_names tcpsm_names_ka_dead;	/* "server" */
extern const struct tcpsm_names tcpsm_names_reason;	/* "evicted" */
extern const struct tcpsm_names tcpsm_names_event;	/* "tw_restart" */
extern const struct tcpsm_names tcpsm_names_invalid;	/* "seq" */
extern const struct tcpsm_names tcpsm_names_hist;	/* "tw_restart"; letters: history.h */
extern const struct tcpsm_names tcpsm_names_ended;	/* "reset_client" */
extern const struct tcpsm_names tcpsm_names_closer;	/* "both" */
/* by stats attribute (TCPSM_A_STATS_*): /proc/net/tcpsm/stats's names */
extern const struct tcpsm_names tcpsm_names_stats;	/* "invalid_seq" */

/* The name of V, or NULL for a value the table does not know (a newer module's). */
const char *tcpsm_name(const struct tcpsm_names *t, unsigned int v);

/* The same, "?" for NULL: for the module, which knows all its values. */
const char *tcpsm_state_name(unsigned int state);
const char *tcpsm_kind_name(unsigned int kind);
const char *tcpsm_timer_name(unsigned int kind);

#endif /* _TCPSM_NAMES_H */
