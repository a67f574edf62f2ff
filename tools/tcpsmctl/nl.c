// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsmctl's netlink plumbing, independent of tcpsm's own attributes: the
 * socket, the generic netlink family and mcast group look-up, requests and
 * dumps run to the end, and kernel errors with their extack message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "tcpsmctl.h"

/* Set by the callbacks, read once a request is over. */
static char extack_msg[256];
static int dump_interrupted;
static const struct nlmsghdr *sent;	/* the request being run */
static int bad_attr;			/* its attribute the kernel blamed, or -1 */

int nl_setns(const char *name)
{
	char path[512];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tcpsmctl: network namespace %s: %s: %s%s\n", name, path,
			strerror(errno),
			errno == ENOENT ? ": 'ip netns list' shows the names" : "");
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "tcpsmctl: setns into %s: %s%s\n", path, strerror(errno),
			errno == EPERM ? ": run as root (it needs CAP_SYS_ADMIN)" : "");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int nl_open(struct nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		fprintf(stderr, "tcpsmctl: netlink socket: %s\n", strerror(errno));
		return -1;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "tcpsmctl: netlink bind: %s\n", strerror(errno));
		mnl_socket_close(nl->sock);
		return -1;
	}
	/* Error messages from the kernel; no copy of our request in errors. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *nl_genl_msg(struct nl *nl, char *buf, __u16 type, __u8 cmd,
			     __u16 flags, __u8 version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

const char *nl_extack(void)
{
	return extack_msg;
}

int nl_bad_attr(void)
{
	return bad_attr;
}

int nl_dump_interrupted(void)
{
	return dump_interrupted;
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *a;
	__u32 off;

	(void)data;
	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(extack_msg, sizeof(extack_msg), "%s", mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		/* Offset of the bad attribute from the start of our request. */
		if (mnl_attr_validate(attr, MNL_TYPE_U32) || !sent)
			break;
		off = mnl_attr_get_u32(attr);
		if (off < MNL_NLMSG_HDRLEN || off + sizeof(*a) > sent->nlmsg_len)
			break;
		a = (const struct nlattr *)((const char *)sent + off);
		bad_attr = mnl_attr_get_type(a);
		break;
	}
	return MNL_CB_OK;
}

/*
 * The TLVs after an error (or after a dump's DONE): where they start
 * depends on whether the kernel capped the copy of our request.
 */
static void parse_extack(const struct nlmsghdr *nlh, size_t off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(off))
		return;
	mnl_attr_parse(nlh, off, extack_attr_cb, NULL);
}

static int cb_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off;

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		off = sizeof(*err);
	else
		off = sizeof(err->error) + err->msg.nlmsg_len;
	parse_extack(nlh, off);
	if (!err->error)
		return MNL_CB_STOP;	/* the ACK */
	errno = err->error < 0 ? -err->error : err->error;
	return MNL_CB_ERROR;
}

static int cb_done(const struct nlmsghdr *nlh, void *data)
{
	int err = 0;

	(void)data;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dump_interrupted = 1;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		err = *(int *)mnl_nlmsg_get_payload(nlh);
		parse_extack(nlh, sizeof(int));
	}
	if (err < 0) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int cb_noop(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = cb_noop,
	[NLMSG_ERROR] = cb_error,
	[NLMSG_DONE] = cb_done,
	[NLMSG_OVERRUN] = cb_noop,
};

struct data_wrap {
	mnl_cb_t cb;
	void *data;
};

static int cb_data(const struct nlmsghdr *nlh, void *data)
{
	struct data_wrap *w = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dump_interrupted = 1;
	return w->cb ? w->cb(nlh, w->data) : MNL_CB_OK;
}

int nl_run(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[NL_RECV_SIZE];
	struct data_wrap w = { cb, data };
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	extack_msg[0] = '\0';
	dump_interrupted = 0;
	bad_attr = -1;
	sent = nlh;
	/* Ask for an ACK on requests that are not dumps: errors come with it. */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -1;
		ret = mnl_cb_run2(buf, n, seq, nl->portid, cb_data, &w, ctl_cbs,
				  NLMSG_MIN_TYPE);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -1 : 0;
	}
}

static const char lost_msg[] =
	"tcpsmctl: events lost: socket buffer overrun (ENOBUFS): filter the events, or\n"
	"tcpsmctl: raise net.core.rmem_max\n";

/* Wait no longer than the deadline: 0 if it has passed. */
static int wait_until(struct nl *nl)
{
	struct timespec now;
	struct timeval tv;
	long long ms;

	if (!nl->deadline.tv_sec && !nl->deadline.tv_nsec)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (nl->deadline.tv_sec - now.tv_sec) * 1000LL +
	     (nl->deadline.tv_nsec - now.tv_nsec) / 1000000;
	if (ms <= 0)
		return 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = ms % 1000 * 1000;
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 1;
}

int nl_listen(struct nl *nl, mnl_cb_t cb, void *data)
{
	char buf[NL_RECV_SIZE];
	struct data_wrap w = { cb, data };
	ssize_t n;
	int ret;

	while (wait_until(nl)) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0) {
			if (errno == ENOBUFS) {
				fputs(lost_msg, stderr);
				continue;
			}
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			return -1;
		}
		ret = mnl_cb_run2(buf, n, 0, 0, cb_data, &w, ctl_cbs, NLMSG_MIN_TYPE);
		if (ret < 0)
			return -1;
		if (ret == MNL_CB_STOP)
			return 0;
	}
	return 0;
}

struct family_req {
	__u16 id;
	const char *group;
	__u32 group_id;
	int group_found;
};

static int mcgrp_cb(const struct nlattr *grp, struct family_req *req)
{
	const struct nlattr *a;
	const char *name = NULL;
	__u32 id = 0;
	int have_id = 0;

	mnl_attr_for_each_nested(a, grp) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				name = mnl_attr_get_str(a);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
				id = mnl_attr_get_u32(a);
				have_id = 1;
			}
			break;
		}
	}
	if (name && have_id && req->group && !strcmp(name, req->group)) {
		req->group_id = id;
		req->group_found = 1;
	}
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct family_req *req = data;
	const struct nlattr *grp;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
			req->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr)
			mcgrp_cb(grp, req);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, data);
}

static int not_loaded(const char *family)
{
	fprintf(stderr, "tcpsmctl: tcpsm is not loaded (no genetlink family %s): modprobe tcpsm\n",
		family);
	return -1;
}

int nl_resolve(struct nl *nl, const char *family, const char *group)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct family_req req = { .group = group };
	struct nlmsghdr *nlh;

	nlh = nl_genl_msg(nl, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	if (nl_run(nl, nlh, family_cb, &req) < 0) {
		if (errno == ENOENT)
			return not_loaded(family);
		nl_perror("resolving the genetlink family");
		return -1;
	}
	if (!req.id)
		return not_loaded(family);
	nl->family = req.id;
	if (group) {
		if (!req.group_found) {
			fprintf(stderr, "tcpsmctl: genetlink family %s has no multicast group %s:\n"
				"tcpsmctl: load a tcpsm as new as this tcpsmctl\n", family, group);
			return -1;
		}
		nl->group = req.group_id;
	}
	return 0;
}

int nl_join(struct nl *nl)
{
	int grp = nl->group;

	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		nl_perror("joining the events group");
		return -1;
	}
	return 0;
}

/* "tcpsmctl: WHAT: REASON[: kernel's message]", with a hint for EPERM. */
void nl_perror(const char *what)
{
	int e = errno;

	if (e == EPERM || e == EACCES)
		fprintf(stderr, "tcpsmctl: %s: permission denied: %s", what,
			"run as root (it needs CAP_NET_ADMIN in the namespace)");
	else
		fprintf(stderr, "tcpsmctl: %s: %s", what, strerror(e));
	if (extack_msg[0])
		fprintf(stderr, ": %s", extack_msg);
	fputc('\n', stderr);
	errno = e;
}
