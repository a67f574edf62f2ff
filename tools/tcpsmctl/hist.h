/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A connection's history (issue 14) as tcpsmctl shows it: the ladder (a
 * sequence diagram, two columns), the end code, the JSON keys. Pure: no
 * netlink here, so that `make check` feeds it histories of its own.
 */
#ifndef TCPSMCTL_HIST_H
#define TCPSMCTL_HIST_H

#include <stdio.h>
#include <linux/types.h>

#include "history.h"	/* the letters */
#include "names.h"
#include "show.h"

/* The kernel keeps the first HIST_HEAD events and the latest ones. */
#define HIST_HEAD	4
#define HIST_MAX	64

/* TCP flag bits of hist-event's flags */
#define HF_FIN	0x01
#define HF_SYN	0x02
#define HF_RST	0x04
#define HF_PSH	0x08
#define HF_ACK	0x10
#define HF_URG	0x20

/* One event; -1 for a field the message did not have. */
struct hist_event {
	__u32 ms;
	int what, role, flags;
	int state_old[2], state_new[2];	/* by role */
};

struct hist {
	struct hist_event ev[HIST_MAX];
	unsigned int n;
	__u32 lost;		/* events not kept, between the head and the rest */
};

/* "SYN,ACK", "FIN,PSH,ACK"; "" for none. */
void flags_str(char *out, size_t len, int flags);
/* "closed", "timeout:client:FIN_WAIT_2" (the role and state if known). */
void end_str(char *out, size_t len, const struct conn *c);

/* The ladder: the header, one line per event, the lost events' marker. */
void ladder_header(FILE *f, const char *prefix, const struct conn *c);
void ladder_event(FILE *f, const char *prefix, const struct hist_event *e);
void ladder_lost(FILE *f, const char *prefix, __u32 lost);
void ladder_footer(FILE *f, const char *prefix, const struct conn *c);
/* All of it, for get --ladder. */
void ladder_print(FILE *f, const struct conn *c, const struct hist *h);
/*
 * A state event as a ladder event, for a live ladder whose events carry no
 * history: who sent the segment is inferred from the transition.
 */
void state_event_hist(struct hist_event *e, __u32 ms, int role, int old_state,
		      int new_state, int kind);

/* get's lines for the fields of issue 14, "key value" as conn_long's. */
void conn_hist_long(FILE *f, const struct conn *c);
/* conn_json's extra keys; with @h, the events too ("history_events"). */
void conn_hist_json(FILE *f, const struct conn *c, const struct hist *h);

#endif /* TCPSMCTL_HIST_H */
