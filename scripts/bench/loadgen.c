// SPDX-License-Identifier: GPL-2.0
/*
 * loadgen: the real-traffic half of tcpsm's benchmark.
 *
 *   loadgen [-n NETNS] [-c CPU] server PORT
 *	answers every 64-byte request with 64 bytes, on any number of
 *	connections (epoll), until killed;
 *   loadgen rr ADDR PORT TRANSACTIONS CONNS
 *	request/response over CONNS persistent connections, all in flight;
 *   loadgen crr ADDR PORT TRANSACTIONS CONNS
 *	connect, one request/response, close, on CONNS connections at once.
 *
 * A client stops once TRANSACTIONS have completed (and those in flight then,
 * at most CONNS more), so every configuration of a comparison does the same
 * work. It prints "transactions=N seconds=S tps=T opened=C": C is the
 * number of connections opened, so the caller can check what a tracker saw.
 *
 * -n joins the named network namespace (ip netns's /run/netns/NETNS) and -c
 * pins the process to one CPU: what ip netns exec and taskset would do,
 * without two more programs to start for every figure (under TCG each start
 * costs about 0.1 s, as long as a tenth of a figure).
 *
 * bench-vm.sh runs both ends on one vCPU: under QEMU TCG an idle vCPU wakes at
 * its next timer tick, and two ends on two vCPUs measure that, not the cost of
 * a segment. On one, a process is always runnable while a transaction is in
 * flight, and the segments' softirq work runs as the sender returns.
 */
#define _GNU_SOURCE	/* setns(), sched_setaffinity() */
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
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG	64
#define MAXC	256
#define MAXFD	65536

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned char pending[MAXFD];	/* bytes of a request read so far */

static int serve(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct epoll_event ev, evs[64];
	char buf[4096], out[MSG] = { 0 };
	int ls, ep, one = 1;

	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1024))
		die("bind/listen");
	ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	ev.events = EPOLLIN;
	ev.data.fd = ls;
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	printf("listening on %d\n", port);
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(ep, evs, 64, -1), i;

		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			ssize_t r;

			if (fd == ls) {
				int c = accept(ls, NULL, NULL);

				if (c < 0 || c >= MAXFD) {
					if (c >= 0)
						close(c);
					continue;
				}
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				pending[c] = 0;
				ev.events = EPOLLIN;
				ev.data.fd = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				continue;
			}
			r = read(fd, buf, sizeof(buf));
			if (r <= 0) {
				close(fd);
				continue;
			}
			r += pending[fd];
			for (; r >= MSG; r -= MSG)
				if (write(fd, out, MSG) != MSG)
					break;
			pending[fd] = r;
		}
	}
	return 0;
}

static int dial(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		die("connect");
	return fd;
}

static int client(int crr, const char *addr, int port, unsigned long want, int conns)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct pollfd pfd[MAXC];
	size_t got[MAXC];
	char buf[MSG] = { 0 };
	unsigned long tx = 0, opened = 0;
	double t0, t;
	int i;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1 || conns < 1 || conns > MAXC ||
	    !want)
		return 2;
	t0 = now();
	if (crr) {
		/* conns at once: each slot does its whole life, then the next */
		while (tx < want) {
			for (i = 0; i < conns; i++) {
				pfd[i].fd = dial(&sa);
				opened++;
				if (write(pfd[i].fd, buf, MSG) != MSG)
					die("write");
			}
			for (i = 0; i < conns; i++) {
				got[i] = 0;
				while (got[i] < MSG) {
					ssize_t r = read(pfd[i].fd, buf, MSG - got[i]);

					if (r <= 0)
						die("read");
					got[i] += r;
				}
				close(pfd[i].fd);
				tx++;
			}
		}
	} else {
		for (i = 0; i < conns; i++) {
			pfd[i].fd = dial(&sa);
			pfd[i].events = POLLIN;
			opened++;
			got[i] = 0;
			if (write(pfd[i].fd, buf, MSG) != MSG)
				die("write");
		}
		while (tx < want) {
			if (poll(pfd, conns, 1000) < 0)
				die("poll");
			for (i = 0; i < conns; i++) {
				ssize_t r;

				if (!(pfd[i].revents & POLLIN))
					continue;
				r = read(pfd[i].fd, buf, MSG - got[i]);
				if (r <= 0)
					die("read");
				got[i] += r;
				if (got[i] < MSG)
					continue;
				got[i] = 0;
				tx++;
				if (write(pfd[i].fd, buf, MSG) != MSG)
					die("write");
			}
		}
		/*
		 * Drain the last answers, so the connections close cleanly; they
		 * are counted, as their time is.
		 */
		for (i = 0; i < conns; i++) {
			while (got[i] < MSG) {
				ssize_t r = read(pfd[i].fd, buf, MSG - got[i]);

				if (r <= 0)
					break;
				got[i] += r;
			}
			tx += got[i] == MSG;
			close(pfd[i].fd);
		}
	}
	t = now() - t0;
	printf("transactions=%lu seconds=%.3f tps=%.1f opened=%lu\n", tx, t, tx / t, opened);
	return 0;
}

/* -n NETNS: join it; -c CPU: run there. Returns the index of the mode word. */
static int options(int argc, char **argv)
{
	char path[256];
	cpu_set_t cpus;
	int o, fd;

	while ((o = getopt(argc, argv, "+n:c:")) != -1) {
		switch (o) {
		case 'n':
			snprintf(path, sizeof(path), "/run/netns/%s", optarg);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || setns(fd, CLONE_NEWNET))
				die(path);
			close(fd);
			break;
		case 'c':
			CPU_ZERO(&cpus);
			CPU_SET(atoi(optarg), &cpus);
			if (sched_setaffinity(0, sizeof(cpus), &cpus))
				die("sched_setaffinity");
			break;
		default:
			exit(2);
		}
	}
	return optind;
}

int main(int argc, char **argv)
{
	int i = options(argc, argv);

	argc -= i;
	argv += i;
	if (argc == 2 && !strcmp(argv[0], "server"))
		return serve(atoi(argv[1]));
	if (argc == 5 && (!strcmp(argv[0], "rr") || !strcmp(argv[0], "crr")))
		return client(!strcmp(argv[0], "crr"), argv[1], atoi(argv[2]),
			      strtoul(argv[3], NULL, 10), atoi(argv[4]));
	fputs("usage: loadgen [-n NETNS] [-c CPU] server PORT\n", stderr);
	fputs("       loadgen [-n NETNS] [-c CPU] rr|crr ADDR PORT TRANSACTIONS CONNS\n", stderr);
	return 2;
}
