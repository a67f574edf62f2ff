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
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netpacket/packet.h>
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
#define MAX_WORDS	16
#define FORGE_MAX	1024	/* payload bytes of a forged segment */
#define FORGE_MARK	0x7e57	/* SO_MARK of the raw socket: nft tells them apart */

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
	      "  xfer FROM TO BYTES          FROM sends, TO receives, both at once\n"
	      "  recv NAME BYTES            answers ok N (N < BYTES: end of stream)\n"
	      "  shutdown NAME wr|rd|rdwr\n"
	      "  close NAME [NAME...]       several close back to back (a few us)\n"
	      "  netns NAME                 later sockets in /run/netns/NAME\n"
	      "  addr NAME                  answers ok LADDR LPORT [PADDR PPORT]\n"
	      "  fan N ADDR PORT            N connections to ADDR:PORT\n"
	      "  fanaccept LISTENER N       accept N connections\n"
	      "  fanclose                   close every fan socket\n"
	      "  seqs NAME                  answers ok SND_NXT RCV_NXT SND_WND RCV_WND\n"
	      "                             RCV_WUP SND_WSCALE RCV_WSCALE TSVAL (read in\n"
	      "                             repair mode; SND_NXT is write_seq)\n"
	      "  vanish NAME                close in repair mode: no segment, no trace\n"
	      "  forge [wire IFNAME MAC] SRC SPORT DST DPORT FLAGS SEQ ACK WIN LEN [TSVAL TSECR]\n"
	      "                             one TCP segment from a raw socket of the\n"
	      "                             current namespace (wire: a packet socket on\n"
	      "                             IFNAME, to MAC); FLAGS of FSRPAU, '-' none;\n"
	      "                             from the raw socket, with mark 0x7e57\n"
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

/* One direction of a bulk transfer, without a buffer big enough for it. */
static void cmd_xfer(struct named *from, struct named *to, long n)
{
	static char buf[65536];
	struct pollfd p[2] = { { .fd = from->fd }, { .fd = to->fd } };
	long sent = 0, got = 0;
	ssize_t r;

	while (got < n) {
		p[0].events = sent < n ? POLLOUT : 0;
		p[1].events = POLLIN;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			reply_err("poll");
			return;
		}
		if (p[0].revents & POLLOUT) {
			r = send(from->fd, buf, n - sent < (long)sizeof(buf) ?
				 (size_t)(n - sent) : sizeof(buf), MSG_NOSIGNAL | MSG_DONTWAIT);
			if (r < 0 && errno != EAGAIN && errno != EINTR) {
				reply_err("send");
				return;
			}
			sent += r > 0 ? r : 0;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = recv(to->fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (r < 0 && errno != EAGAIN && errno != EINTR) {
				reply_err("recv");
				return;
			}
			if (r == 0)
				break;
			got += r > 0 ? r : 0;
		}
	}
	printf("ok %ld\n", got);
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

/*
 * The live sequence numbers and windows of a connection, so that a test can
 * forge segments at exact places: read in repair mode, which is left again
 * with TCP_REPAIR_OFF_NO_WP (TCP_REPAIR_OFF would send a window probe).
 * Repair mode forgets SO_REUSEADDR; it is put back.
 */
static void cmd_seqs(struct named *s)
{
	struct tcp_repair_window w;
	unsigned int snd = 0, rcv = 0, ts = 0;
	socklen_t len = sizeof(int);
	struct tcp_info ti;
	int reuse = 0, err = 0;

	if (getsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &reuse, &len) < 0 ||
	    set_int(s->fd, IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_ON) < 0) {
		reply_err("repair");
		return;
	}
	len = sizeof(snd);
	if (set_int(s->fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE) < 0 ||
	    getsockopt(s->fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &snd, &len) < 0)
		err = errno;
	len = sizeof(rcv);
	if (!err && (set_int(s->fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE) < 0 ||
		     getsockopt(s->fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &rcv, &len) < 0))
		err = errno;
	len = sizeof(w);
	if (!err && getsockopt(s->fd, IPPROTO_TCP, TCP_REPAIR_WINDOW, &w, &len) < 0)
		err = errno;
	if (set_int(s->fd, IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP) < 0 && !err)
		err = errno;
	if (reuse && set_int(s->fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0 && !err)
		err = errno;
	len = sizeof(ti);
	if (!err && getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		err = errno;
	len = sizeof(ts);
	if (!err && getsockopt(s->fd, IPPROTO_TCP, TCP_TIMESTAMP, &ts, &len) < 0)
		err = errno;
	if (err) {
		errno = err;
		reply_err("seqs");
		return;
	}
	printf("ok %u %u %u %u %u %u %u %u\n", snd, rcv, w.snd_wnd, w.rcv_wnd,
	       w.rcv_wup, ti.tcpi_snd_wscale, ti.tcpi_rcv_wscale, ts);
}

/* The socket disappears without a segment, as if its host had lost it. */
static void cmd_vanish(struct named *s)
{
	if (set_int(s->fd, IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_ON) < 0) {
		reply_err("repair");
		return;
	}
	close(s->fd);
	s->fd = -1;
	puts("ok");
}

static unsigned int csum_add(unsigned int sum, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (unsigned int)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (unsigned int)p[len - 1] << 8;
	return sum;
}

static unsigned short csum_fold(unsigned int sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

static void put32(unsigned char *p, unsigned long v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The link layer's own way out: no netfilter hook of this namespace sees it. */
static int send_wire(const char *ifname, const char *mac,
		     const struct sockaddr_storage *src,
		     const struct sockaddr_storage *dst,
		     const unsigned char *seg, unsigned int n)
{
	unsigned char pkt[40 + 20 + 12 + FORGE_MAX];
	struct sockaddr_ll ll;
	unsigned int m[6], hl, i, sum;
	ssize_t r;
	int fd;

	memset(&ll, 0, sizeof(ll));
	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 6) {
		errno = EINVAL;
		return -1;
	}
	ll.sll_family = AF_PACKET;
	ll.sll_ifindex = if_nametoindex(ifname);
	if (!ll.sll_ifindex)
		return -1;
	ll.sll_halen = 6;
	for (i = 0; i < 6; i++)
		ll.sll_addr[i] = m[i];
	memset(pkt, 0, 40);
	if (src->ss_family == AF_INET) {
		hl = 20;
		pkt[0] = 0x45;
		pkt[2] = (hl + n) >> 8;
		pkt[3] = hl + n;
		pkt[6] = 0x40;		/* DF */
		pkt[8] = 64;
		pkt[9] = IPPROTO_TCP;
		memcpy(pkt + 12, &((const struct sockaddr_in *)src)->sin_addr, 4);
		memcpy(pkt + 16, &((const struct sockaddr_in *)dst)->sin_addr, 4);
		sum = csum_fold(csum_add(0, pkt, hl));
		pkt[10] = sum >> 8;
		pkt[11] = sum;
		ll.sll_protocol = htons(ETHERTYPE_IP);
	} else {
		hl = 40;
		pkt[0] = 0x60;
		pkt[4] = n >> 8;
		pkt[5] = n;
		pkt[6] = IPPROTO_TCP;
		pkt[7] = 64;
		memcpy(pkt + 8, &((const struct sockaddr_in6 *)src)->sin6_addr, 16);
		memcpy(pkt + 24, &((const struct sockaddr_in6 *)dst)->sin6_addr, 16);
		ll.sll_protocol = htons(ETHERTYPE_IPV6);
	}
	memcpy(pkt + hl, seg, n);
	fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	r = sendto(fd, pkt, hl + n, 0, (struct sockaddr *)&ll, sizeof(ll));
	close(fd);
	return r < 0 ? -1 : 0;
}

/*
 * From a raw IP socket bound to SRC: out through this namespace's LOCAL_OUT,
 * marked FORGE_MARK so that a drop rule can let it through.
 */
static int send_raw(const struct sockaddr_storage *src, socklen_t slen,
		    const struct sockaddr_storage *dst, socklen_t dlen,
		    const unsigned char *seg, unsigned int n)
{
	ssize_t r;
	int fd;

	fd = socket(src->ss_family, SOCK_RAW, IPPROTO_TCP);
	if (fd < 0)
		return -1;
	if (set_int(fd, SOL_SOCKET, SO_MARK, FORGE_MARK) < 0 ||
	    bind(fd, (const struct sockaddr *)src, slen) < 0) {
		close(fd);
		return -1;
	}
	r = sendto(fd, seg, n, 0, (const struct sockaddr *)dst, dlen);
	close(fd);
	return r < 0 ? -1 : 0;
}

/*
 * forge [wire IFNAME MAC] SRC SPORT DST DPORT FLAGS SEQ ACK WIN LEN [TSVAL
 * TSECR]: a TCP segment written byte by byte (LEN bytes of payload, a
 * timestamp option when TSVAL and TSECR are given, WIN as written in the
 * header). Sent from a raw socket bound to SRC in the current namespace, it
 * leaves through the namespace's LOCAL_OUT like any segment of SRC; with
 * wire, it is put in an IP packet and handed to link IFNAME for MAC (a
 * packet socket): it appears on the link as if from elsewhere.
 */
static void cmd_forge(char **w, int nw)
{
	static const char letters[] = "FSRPAU";
	unsigned char seg[20 + 12 + FORGE_MAX], pseudo[40];
	const char *ifname = NULL, *mac = NULL;
	struct sockaddr_storage src, dst;
	unsigned int hl = 20, len, sum;
	socklen_t slen, dlen;
	unsigned char flags = 0;
	const char *f;
	int r;

	if (nw > 3 && !strcmp(w[1], "wire")) {
		ifname = w[2];
		mac = w[3];
		w += 3;
		nw -= 3;
	}
	if ((nw != 10 && nw != 12) ||
	    make_addr(w[1], "0", &src, &slen) < 0 || make_addr(w[3], "0", &dst, &dlen) < 0 ||
	    src.ss_family != dst.ss_family) {
		errno = EINVAL;
		reply_err("forge arguments");
		return;
	}
	len = strtoul(w[9], NULL, 0);
	if (len > FORGE_MAX) {
		errno = EMSGSIZE;
		reply_err("forge length");
		return;
	}
	for (f = w[5]; *f && *f != '-'; f++) {
		const char *l = strchr(letters, *f);

		if (!l) {
			errno = EINVAL;
			reply_err("forge flags");
			return;
		}
		flags |= 1 << (l - letters);
	}
	memset(seg, 0, sizeof(seg));
	seg[0] = strtoul(w[2], NULL, 0) >> 8;
	seg[1] = strtoul(w[2], NULL, 0);
	seg[2] = strtoul(w[4], NULL, 0) >> 8;
	seg[3] = strtoul(w[4], NULL, 0);
	put32(seg + 4, strtoul(w[6], NULL, 0));
	put32(seg + 8, strtoul(w[7], NULL, 0));
	seg[13] = flags;
	seg[14] = strtoul(w[8], NULL, 0) >> 8;
	seg[15] = strtoul(w[8], NULL, 0);
	if (nw == 12) {		/* NOP, NOP, timestamps */
		seg[20] = 1;
		seg[21] = 1;
		seg[22] = 8;
		seg[23] = 10;
		put32(seg + 24, strtoul(w[10], NULL, 0));
		put32(seg + 28, strtoul(w[11], NULL, 0));
		hl = 32;
	}
	seg[12] = (hl / 4) << 4;
	memset(seg + hl, 'x', len);

	/* the checksum over the pseudo header and the segment */
	memset(pseudo, 0, sizeof(pseudo));
	if (src.ss_family == AF_INET) {
		memcpy(pseudo, &((struct sockaddr_in *)&src)->sin_addr, 4);
		memcpy(pseudo + 4, &((struct sockaddr_in *)&dst)->sin_addr, 4);
		pseudo[9] = IPPROTO_TCP;
		pseudo[10] = (hl + len) >> 8;
		pseudo[11] = hl + len;
		sum = csum_add(0, pseudo, 12);
	} else {
		memcpy(pseudo, &((struct sockaddr_in6 *)&src)->sin6_addr, 16);
		memcpy(pseudo + 16, &((struct sockaddr_in6 *)&dst)->sin6_addr, 16);
		put32(pseudo + 32, hl + len);
		pseudo[39] = IPPROTO_TCP;
		sum = csum_add(0, pseudo, 40);
	}
	sum = csum_fold(csum_add(sum, seg, hl + len));
	seg[16] = sum >> 8;
	seg[17] = sum;

	if (ifname)
		r = send_wire(ifname, mac, &src, &dst, seg, hl + len);
	else
		r = send_raw(&src, slen, &dst, dlen, seg, hl + len);
	if (r < 0)
		reply_err("forge send");
	else
		printf("ok %u\n", hl + len);
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
	} else if (!strcmp(w[0], "seqs")) {
		cmd_seqs(s);
	} else if (!strcmp(w[0], "vanish")) {
		cmd_vanish(s);
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
	} else if (!strcmp(w[0], "forge")) {
		cmd_forge(w, nw);
	} else if (!strcmp(w[0], "xfer") && nw == 4) {
		s = need(w[1]);
		l = s ? need(w[2]) : NULL;
		if (l)
			cmd_xfer(s, l, atol(w[3]));
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
