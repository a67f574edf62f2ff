/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpsmctl: the pieces shared by its files.
 */
#ifndef TCPSMCTL_H
#define TCPSMCTL_H

#include <libmnl/libmnl.h>
#include <time.h>
#include <linux/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Room for one receive: what the kernel's dumps fill (libmnl >= 1.0.5 has it). */
#ifdef MNL_SOCKET_DUMP_SIZE
#define NL_RECV_SIZE MNL_SOCKET_DUMP_SIZE
#else
#define NL_RECV_SIZE 32768
#endif

/* Exit codes. */
#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	__u16 family;		/* genetlink family id */
	__u32 group;		/* events mcast group id */
	struct timespec deadline;	/* nl_listen stops then (CLOCK_MONOTONIC); 0: never */
};

int nl_setns(const char *name);
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);
int nl_resolve(struct nl *nl, const char *family, const char *group);
int nl_join(struct nl *nl);
struct nlmsghdr *nl_genl_msg(struct nl *nl, char *buf, __u16 type, __u8 cmd,
			     __u16 flags, __u8 version);
int nl_run(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
const char *nl_extack(void);
int nl_dump_interrupted(void);
int nl_bad_attr(void);
void nl_perror(const char *what);

/*
 * Listen on a socket already in a group: run @cb on each event until it
 * returns MNL_CB_STOP or the deadline passes (0), or an error (-1).
 */
int nl_listen(struct nl *nl, mnl_cb_t cb, void *data);
/* "tcpsmctl: MESSAGE" and a pointer to --help on stderr; EXIT_USAGE. */
int usage_error(const char *fmt, ...);
/* A decimal number in [0, max]; -1 if @s is not one. */
int parse_uint(const char *s, unsigned long max, unsigned long *v);

#endif /* TCPSMCTL_H */
