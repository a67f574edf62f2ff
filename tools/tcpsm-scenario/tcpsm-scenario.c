// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm-scenario: plays either end of TCP connections, one command per line
 * on stdin, one answer per command on stdout ("ok ..." or "err ERRNO text"),
 * so a test can stop between any two steps and look at the sockets.
 * Usage: tcpsm-scenario [-h]; the commands are in usage() below.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SOCKS	64
#define NAME_LEN	32
#define MAX_WORDS	8

struct named {
	char name[NAME_LEN];
	int fd;
	int family;
};

static struct named socks[MAX_SOCKS];
static int *fan;		/* fds of the bulk commands */
static int fan_n, fan_cap;

static void print_usage(FILE *f)
{
	fputs("usage: tcpsm-scenario < commands\n"
	      "One command per line; answers 'ok [values]' or 'err ERRNO text'.\n"
	      "  sock NAME 4|6              new TCP socket NAME\n"
	      "  reuseaddr NAME             SO_REUSEADDR\n"
	      "  keepalive NAME IDLE INTVL CNT   SO_KEEPALIVE and TCP_KEEP*\n"
	      "  linger NAME ONOFF SECS     SO_LINGER (1 0: close aborts with RST)\n"
	      "  nodelay NAME               TCP_NODELAY\n"
	      "  bind NAME ADDR PORT        answers ok ADDR PORT (the bound one)\n"
	      "  listen NAME [BACKLOG]\n"
	      "  connect NAME ADDR PORT [nb]  nb: non-blocking, answers ok pending\n"
	      "  wait NAME MS               until a non-blocking connect completes\n"
	      "  accept NEW LISTENER        answers ok PEERADDR PEERPORT\n"
	      "  send NAME BYTES\n"
	      "  recv NAME BYTES            answers ok N (N < BYTES: end of stream)\n"
	      "  shutdown NAME wr|rd|rdwr\n"
	      "  close NAME [NAME...]       several close back to back (a few us)\n"
	      "  netns NAME                 later sockets in /run/netns/NAME\n"
	      "  addr NAME                  answers ok LADDR LPORT [PADDR PPORT]\n"
	      "  fan N ADDR PORT            N connections to ADDR:PORT\n"
	      "  fanaccept LISTENER N       accept N connections\n"
	      "  fanclose                   close every fan socket\n"
	      "  quit\n", f);
}

static void reply_err(const char *what)
{
	int e = errno;

	printf("err %d %s: %s\n", e, what, strerror(e));
}

static struct named *lookup(const char *name)
{
	int i;

	for (i = 0; i < MAX_SOCKS; i++)
		if (socks[i].fd >= 0 && !strcmp(socks[i].name, name))
			return &socks[i];
	return NULL;
}

static struct named *need(const char *name)
{
	struct named *n = lookup(name);

	if (!n)
		printf("err %d no socket named %s\n", ENOENT, name);
	return n;
}

static struct named *add(const char *name, int fd, int family)
{
	int i;

	for (i = 0; i < MAX_SOCKS; i++) {
		if (socks[i].fd < 0) {
			snprintf(socks[i].name, NAME_LEN, "%s", name);
			socks[i].fd = fd;
			socks[i].family = family;
			return &socks[i];
		}
	}
	return NULL;
}

/* ADDR PORT into a sockaddr of the family the address is written in. */
static int make_addr(const char *a, const char *p, struct sockaddr_storage *ss,
		     socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	int port = atoi(p);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

static void put_addr(char *buf, size_t len, const struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
	}
	snprintf(buf, len, "%s %d", host, port);
}

static int set_int(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

static int wait_connected(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;
	int r;

	r = poll(&p, 1, ms);
	if (r < 0)
		return -1;
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -1;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

static int fan_push(int fd)
{
	if (fan_n == fan_cap) {
		int cap = fan_cap ? 2 * fan_cap : 256;
		int *f = realloc(fan, cap * sizeof(*f));

		if (!f)
			return -1;
		fan = f;
		fan_cap = cap;
	}
	fan[fan_n++] = fd;
	return 0;
}

/* N non-blocking connects, then wait for all: they run in parallel. */
static void cmd_fan(int n, const char *a, const char *p)
{
	struct sockaddr_storage ss;
	int first = fan_n;
	socklen_t len;
	int i, fd;

	if (make_addr(a, p, &ss, &len) < 0) {
		reply_err("address");
		return;
	}
	for (i = 0; i < n; i++) {
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0 || fan_push(fd) < 0) {
			reply_err("socket");
			return;
		}
		if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
		    errno != EINPROGRESS) {
			reply_err("connect");
			return;
		}
	}
	for (i = first; i < fan_n; i++) {
		if (wait_connected(fan[i], 30000) < 0) {
			reply_err("connect");
			return;
		}
	}
	printf("ok %d\n", n);
}

static void cmd_fanaccept(struct named *l, int n)
{
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = accept(l->fd, NULL, NULL);
		if (fd < 0 || fan_push(fd) < 0) {
			reply_err("accept");
			return;
		}
	}
	printf("ok %d\n", n);
}

static void cmd_recv(struct named *s, long want)
{
	char buf[65536];
	long got = 0;
	ssize_t r;

	while (got < want) {
		size_t chunk = want - got < (long)sizeof(buf) ?
			       (size_t)(want - got) : sizeof(buf);

		r = recv(s->fd, buf, chunk, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			reply_err("recv");
			return;
		}
		if (r == 0)
			break;
		got += r;
	}
	printf("ok %ld\n", got);
}

static void cmd_send(struct named *s, long n)
{
	static const char buf[65536];
	long sent = 0;
	ssize_t r;

	while (sent < n) {
		size_t chunk = n - sent < (long)sizeof(buf) ?
			       (size_t)(n - sent) : sizeof(buf);

		r = send(s->fd, buf, chunk, MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			reply_err("send");
			return;
		}
		sent += r;
	}
	printf("ok %ld\n", sent);
}

static void cmd_addr(struct named *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char a[80], b[80] = "";

	if (getsockname(s->fd, (struct sockaddr *)&ss, &len) < 0) {
		reply_err("getsockname");
		return;
	}
	put_addr(a, sizeof(a), &ss);
	len = sizeof(ss);
	if (getpeername(s->fd, (struct sockaddr *)&ss, &len) == 0) {
		b[0] = ' ';
		put_addr(b + 1, sizeof(b) - 1, &ss);
	}
	printf("ok %s%s\n", a, b);
}

static void cmd_connect(struct named *s, char **w, int nw)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int nb = nw > 4 && !strcmp(w[4], "nb");

	if (make_addr(w[2], w[3], &ss, &len) < 0) {
		reply_err("address");
		return;
	}
	if (nb) {
		int fl = fcntl(s->fd, F_GETFL);

		fcntl(s->fd, F_SETFL, fl | O_NONBLOCK);
		if (connect(s->fd, (struct sockaddr *)&ss, len) < 0 &&
		    errno != EINPROGRESS) {
			reply_err("connect");
			return;
		}
		fcntl(s->fd, F_SETFL, fl);
		puts("ok pending");
		return;
	}
	if (connect(s->fd, (struct sockaddr *)&ss, len) < 0) {
		reply_err("connect");
		return;
	}
	puts("ok");
}

static void cmd_sock(char **w)
{
	int family = !strcmp(w[2], "6") ? AF_INET6 : AF_INET;
	int fd;

	if (lookup(w[1])) {
		printf("err %d %s exists\n", EEXIST, w[1]);
		return;
	}
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0) {
		reply_err("socket");
		return;
	}
	if (!add(w[1], fd, family)) {
		close(fd);
		printf("err %d too many sockets\n", EMFILE);
		return;
	}
	puts("ok");
}

static void cmd_opt(struct named *s, char **w, int nw)
{
	int r = -1;

	if (!strcmp(w[0], "reuseaddr")) {
		r = set_int(s->fd, SOL_SOCKET, SO_REUSEADDR, 1);
	} else if (!strcmp(w[0], "nodelay")) {
		r = set_int(s->fd, IPPROTO_TCP, TCP_NODELAY, 1);
	} else if (!strcmp(w[0], "keepalive") && nw == 5) {
		r = set_int(s->fd, SOL_SOCKET, SO_KEEPALIVE, 1);
		if (!r)
			r = set_int(s->fd, IPPROTO_TCP, TCP_KEEPIDLE, atoi(w[2]));
		if (!r)
			r = set_int(s->fd, IPPROTO_TCP, TCP_KEEPINTVL, atoi(w[3]));
		if (!r)
			r = set_int(s->fd, IPPROTO_TCP, TCP_KEEPCNT, atoi(w[4]));
	} else if (!strcmp(w[0], "linger") && nw == 4) {
		struct linger l = { .l_onoff = atoi(w[2]), .l_linger = atoi(w[3]) };

		r = setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	} else {
		errno = EINVAL;
	}
	if (r < 0)
		reply_err(w[0]);
	else
		puts("ok");
}

static void cmd_sockop(struct named *s, char **w, int nw)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (!strcmp(w[0], "bind") && nw == 4) {
		if (make_addr(w[2], w[3], &ss, &len) < 0 ||
		    bind(s->fd, (struct sockaddr *)&ss, len) < 0) {
			reply_err("bind");
			return;
		}
		cmd_addr(s);
	} else if (!strcmp(w[0], "listen")) {
		if (listen(s->fd, nw > 2 ? atoi(w[2]) : 128) < 0)
			reply_err("listen");
		else
			puts("ok");
	} else if (!strcmp(w[0], "connect") && nw >= 4) {
		cmd_connect(s, w, nw);
	} else if (!strcmp(w[0], "wait") && nw == 3) {
		if (wait_connected(s->fd, atoi(w[2])) < 0)
			reply_err("connect");
		else
			puts("ok");
	} else if (!strcmp(w[0], "send") && nw == 3) {
		cmd_send(s, atol(w[2]));
	} else if (!strcmp(w[0], "recv") && nw == 3) {
		cmd_recv(s, atol(w[2]));
	} else if (!strcmp(w[0], "shutdown") && nw == 3) {
		int how = !strcmp(w[2], "rd") ? SHUT_RD :
			  !strcmp(w[2], "rdwr") ? SHUT_RDWR : SHUT_WR;

		if (shutdown(s->fd, how) < 0)
			reply_err("shutdown");
		else
			puts("ok");
	} else if (!strcmp(w[0], "close")) {
		fd = s->fd;
		s->fd = -1;
		if (close(fd) < 0)
			reply_err("close");
		else
			puts("ok");
	} else if (!strcmp(w[0], "addr")) {
		cmd_addr(s);
	} else {
		cmd_opt(s, w, nw);
	}
}

/* A socket keeps the namespace it was created in: one process, many. */
static void cmd_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		reply_err(path);
		return;
	}
	if (setns(fd, CLONE_NEWNET) < 0)
		reply_err("setns");
	else
		puts("ok");
	close(fd);
}

/* Close several sockets in a row: their FINs leave in the same instant. */
static void cmd_closemany(char **w, int nw)
{
	struct named *s[MAX_WORDS];
	int i;

	for (i = 1; i < nw; i++) {
		s[i] = need(w[i]);
		if (!s[i])
			return;
	}
	for (i = 1; i < nw; i++) {
		close(s[i]->fd);
		s[i]->fd = -1;
	}
	puts("ok");
}

static void run_command(char *line)
{
	char *w[MAX_WORDS], *save = NULL, *t;
	struct named *s, *l;
	int nw = 0, i;

	for (t = strtok_r(line, " \t\r\n", &save); t && nw < MAX_WORDS;
	     t = strtok_r(NULL, " \t\r\n", &save))
		w[nw++] = t;
	if (!nw) {
		puts("err 22 empty command");
		return;
	}
	if (!strcmp(w[0], "sock") && nw == 3) {
		cmd_sock(w);
	} else if (!strcmp(w[0], "accept") && nw == 3) {
		int fd;

		l = need(w[2]);
		if (!l)
			return;
		fd = accept(l->fd, NULL, NULL);
		if (fd < 0) {
			reply_err("accept");
			return;
		}
		s = add(w[1], fd, l->family);
		if (!s) {
			close(fd);
			printf("err %d too many sockets\n", EMFILE);
			return;
		}
		cmd_addr(s);
	} else if (!strcmp(w[0], "fan") && nw == 4) {
		cmd_fan(atoi(w[1]), w[2], w[3]);
	} else if (!strcmp(w[0], "fanaccept") && nw == 3) {
		l = need(w[1]);
		if (l)
			cmd_fanaccept(l, atoi(w[2]));
	} else if (!strcmp(w[0], "netns") && nw == 2) {
		cmd_netns(w[1]);
	} else if (!strcmp(w[0], "close") && nw > 2) {
		cmd_closemany(w, nw);
	} else if (!strcmp(w[0], "fanclose")) {
		for (i = 0; i < fan_n; i++)
			close(fan[i]);
		printf("ok %d\n", fan_n);
		fan_n = 0;
	} else if (nw >= 2) {
		s = need(w[1]);
		if (s)
			cmd_sockop(s, w, nw);
	} else {
		printf("err %d unknown command %s\n", EINVAL, w[0]);
	}
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	char line[512];
	int i;

	if (argc > 1) {
		print_usage(strcmp(argv[1], "-h") ? stderr : stdout);
		return strcmp(argv[1], "-h") ? 2 : 0;
	}
	/* fan and fanaccept may hold a thousand descriptors or more */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 0; i < MAX_SOCKS; i++)
		socks[i].fd = -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "quit", 4))
			break;
		run_command(line);
	}
	return 0;
}
