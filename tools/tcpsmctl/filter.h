/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filters of list, count, watch and flush: parsed from the words after
 * the command, matched against a connection in user space.
 */
#ifndef TCPSMCTL_FILTER_H
#define TCPSMCTL_FILTER_H

#include "show.h"

struct prefix {
	int family;		/* 0: no filter */
	unsigned char addr[16];
	unsigned int len;	/* bits */
};

struct filter {
	int family;			/* 0: any */
	/* bit masks of states; 0: any. either: one endpoint is enough */
	unsigned int states_either, states_client, states_server;
	int port, sport, dport;		/* -1: any */
	int local;			/* -1: any */
	struct prefix src, dst;		/* the client's, the server's address */
	unsigned int events;		/* watch only: bit mask of event types; 0: any */
	int given;			/* any filter at all */
};

/*
 * Parse @argc words of command @cmd into @f; event filters only where
 * @events. 0, or EXIT_USAGE after printing what is wrong.
 */
int filter_parse(const char *cmd, int argc, char **argv, struct filter *f, int events);
int filter_match(const struct filter *f, const struct conn *c);
/* The one state the kernel's dump can filter on, or -1 if it cannot express @f's. */
int filter_kernel_state(const struct filter *f);
/* A state from its ss(8) or RFC 793 name, any case; -1 if none. */
int state_from_name(const char *s);
/* An ss(8) group of states ("connected", ...) as a bit mask; 0 if none. */
unsigned int state_group(const char *s);

#endif /* TCPSMCTL_FILTER_H */
