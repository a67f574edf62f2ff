/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How tcpsmctl shows a connection and an event, for tcpsmctl and for
 * tcpsm-replay, which prints its events and table in the same words: one
 * connection as struct conn, whatever it came from (netlink, a replay).
 */
#ifndef TCPSMCTL_SHOW_H
#define TCPSMCTL_SHOW_H

#include <stdio.h>
#include <time.h>
#include <linux/types.h>

#include "names.h"

struct conn {
	int family;			/* AF_INET, AF_INET6 */
	unsigned char caddr[16], saddr[16];
	__u16 cport, sport;
	char client[64], server[64];	/* "addr:port", "[addr]:port" */
	char caddr_s[48], saddr_s[48];
	__u32 local, cstate, sstate, timer, timer_ms, tw_restarts, tw_ack_restarts;
	__u32 ka_probes[2], ka_unanswered[2], ka_next_ms[2], zw_probes[2];
	__u32 ka_idle_ms, ka_dead, pickup, replaced, icmp_errors, confirmed, pkts[2], age_ms;
	__u32 zone;	/* 0: none */
	/* the source left the keepalive due time out: it means nothing now */
	__u8 ka_next_absent[2];
	__u64 bytes[2];
	/* issue 14's fields; has_end: the source gave them (else all 0) */
	__u8 has_end, has_syn_rtt, has_ack_rtt, has_end_detail;
	__u32 state_ms[2], retrans[2], syn_rtt_ms, ack_rtt_ms;
	__u32 closer, end, end_role, end_state, history_lost;
	char history[64];	/* /proc's letters, "" if none */
};

/* One event as watch shows it; a negative field is not in the event. */
struct watch_event {
	__u32 type;
	int role;
	int old_state;
	int new_state;
	int kind;
	int reason;
	int invalid;
};

/* A name from a table, or "?N" (in @buf, 16 bytes) for a number not known. */
const char *name_of(const struct tcpsm_names *t, __u32 v, char *buf);
/* c->client (c->caddr_s) from the address and port, "[addr]:port" for IPv6. */
void endpoint_str(char *out, size_t outlen, char *addr_s, int family,
		  const unsigned char *addr, __u16 port);
/* 0 if ka_next_ms[@role] is absent: "-" in text, left out of JSON. */
int ka_next_shown(const struct conn *c, int role);
void conn_json(FILE *f, const struct conn *c);
/*
 * More keys for conn_json, each as ",\"key\":value", printed before its
 * closing brace: tcpsmctl's history fields; NULL (none) in tcpsm-replay.
 */
extern void (*conn_json_more)(FILE *f, const struct conn *c);
const char *fmt_left(__u32 ms, char *buf, size_t len);
void timer_str(const struct conn *c, char *out, size_t len);
/* One event line of tcpsmctl watch, text or JSON, stamped @ts. */
void watch_print(FILE *f, const struct timespec *ts, const struct watch_event *e,
		 const struct conn *c, int json);

#endif /* TCPSMCTL_SHOW_H */
