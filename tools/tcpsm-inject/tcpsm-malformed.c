// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm-malformed: crafted and malformed TCP segments, IPv4 and IPv6, sent
 * over raw sockets (IP_HDRINCL, IPPROTO_RAW) so that they cross the sender's
 * LOCAL_OUT hook exactly as built; and the capture that proves they all
 * left the other side of the link unchanged.
 *
 *   tcpsm-malformed send -s SRC4 -d DST4 -S SRC6 -D DST6 -n N [-r SEED]
 *   tcpsm-malformed capture -i IFNAME -d DST4 -D DST6 -n N [-w IDLE_MS]
 *
 * send: packet i is IPv4 when i is even, IPv6 when odd, of kind
 * (i / 2) % the family's number of kinds (see the tables below): truncated
 * TCP headers, data offsets below 5 or past the end, every combination of
 * SYN, FIN, RST, ACK and URG, SYN options from none to the maximum 40 bytes,
 * bad option lengths, IP options, IP fragments, IPv6 payload lengths past
 * the end, IPv6 extension header chains, good and broken. Ports, sequence
 * numbers and payload are random: segments of unknown connections. Prints
 * what was sent ("sent N", "bytes B", "hash H": the sum of each packet's
 * FNV-1a hash) and, as "expect_<stat> N", how many of them tcpsm must count
 * under each name of /proc/net/tcpsm/stats.
 *
 * capture: packet socket on IFNAME, counts the IPv4 and IPv6 frames for DST4
 * and DST6 (IPv6 frames too short to hold an address are counted too), and
 * prints "frames", "bytes", "hash" and "drops" the same way, once N frames
 * arrived or after IDLE_MS (default 10000) without one. Prints "ready" when
 * listening.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/types.h>

#define PKT_MAX		1500
#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PSH		0x08
#define TH_ACK		0x10
#define TH_URG		0x20

/* What tcpsm's parser must make of a packet: the counter it lands in. */
enum expect {
	E_OK,		/* a segment: "segments" only */
	E_NOT_TCP,	/* not counted at all */
	E_FRAGMENT,
	E_TRUNC_IP,
	E_TRUNC_TCP,
	E_BAD_DOFF,
	E_BAD_OPT,
	E_BAD_EXTHDR,
	E_MAX,
};

static const char *const expect_stat[E_MAX] = {
	[E_OK] = NULL,
	[E_NOT_TCP] = NULL,
	[E_FRAGMENT] = "bad_fragment",
	[E_TRUNC_IP] = "bad_truncated_ip",
	[E_TRUNC_TCP] = "bad_truncated_tcp",
	[E_BAD_DOFF] = "bad_data_offset",
	[E_BAD_OPT] = "bad_option",
	[E_BAD_EXTHDR] = "bad_ipv6_exthdr",
};

static __u64 rng_state = 0x9e3779b97f4a7c15ull;

static __u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (__u32)(rng_state >> 16);
}

static __u32 rnd_below(__u32 n)
{
	return n ? rnd() % n : 0;
}

static void rnd_fill(__u8 *p, size_t len)
{
	while (len--)
		*p++ = rnd();
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(__u8 *p, __u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static __u64 fnv1a(const __u8 *p, size_t len)
{
	__u64 h = 0xcbf29ce484222325ull;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static __u16 ip_csum(const __u8 *p, size_t len)
{
	__u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/*
 * A TCP header at @t: random ports (never an ephemeral one, so no real
 * connection is hit), sequence, acknowledgment and window; @doff in 32-bit
 * words, @flags. Returns 20.
 */
static size_t tcp_hdr(__u8 *t, unsigned int doff, __u8 flags)
{
	put16(t, 1024 + rnd_below(30000));
	put16(t + 2, 1 + rnd_below(30000));
	put32(t + 4, rnd());
	put32(t + 8, rnd());
	t[12] = doff << 4;
	t[13] = flags;
	put16(t + 14, rnd());
	put16(t + 16, 0);	/* nobody checks it on the way */
	put16(t + 18, flags & TH_URG ? rnd() : 0);
	return 20;
}

/* The five flags of the combinations, from a number 0..31, PSH at random. */
static __u8 combo_flags(unsigned int c)
{
	static const __u8 bit[] = { TH_SYN, TH_FIN, TH_RST, TH_ACK, TH_URG };
	__u8 f = rnd() & 1 ? TH_PSH : 0;
	unsigned int b;

	for (b = 0; b < sizeof(bit); b++)
		if (c & (1u << b))
			f |= bit[b];
	return f;
}

/* 40 bytes of well-formed SYN options, every kind Linux sends and more. */
static void max_options(__u8 *o)
{
	static const __u8 opts[40] = {
		2, 4, 0x05, 0xb4,			/* MSS 1460 */
		4, 2,					/* SACK permitted */
		8, 10, 1, 2, 3, 4, 5, 6, 7, 8,		/* timestamps */
		1, 3, 3, 14,				/* NOP, window scale 14 */
		30, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* MPTCP-sized, unknown */
		1, 1, 1, 1, 1, 1, 1, 0			/* NOPs, EOL */
	};

	memcpy(o, opts, sizeof(opts));
}

/* Options with one bad length: 4 * @words bytes at @o. */
static void bad_options(__u8 *o, unsigned int words)
{
	unsigned int len = 4 * words, at = 4 * rnd_below(words), i;

	for (i = 0; i < at; i++)
		o[i] = 1;	/* NOPs first, then the bad one */
	switch (rnd_below(4)) {
	case 0:	/* length 0 */
		o[at] = 2 + rnd_below(30);
		o[at + 1] = 0;
		break;
	case 1:	/* length 1 */
		o[at] = 2 + rnd_below(30);
		o[at + 1] = 1;
		break;
	case 2:	/* past the end */
		o[at] = 2 + rnd_below(30);
		o[at + 1] = len - at + 1 + rnd_below(200);
		break;
	default:	/* a kind in the last byte, no room for its length */
		for (i = at; i < len - 1; i++)
			o[i] = 1;
		o[len - 1] = 2 + rnd_below(30);
		return;
	}
	for (i = at + 2; i < len; i++)
		o[i] = rnd();
}

/*
 * The TCP part of a packet, of kind @k, at @t with room for PKT_MAX - 80
 * bytes. Returns its length and sets *@e.
 */
enum tcp_kind {
	T_COMBO,	/* every combination of the five flags, payload or not */
	T_SYN_MAXOPT,
	T_SYN_BADOPT,
	T_ACK_BADOPT,	/* a bad option on a non-SYN: ignored, a segment */
	T_TRUNC,
	T_DOFF_LOW,
	T_DOFF_PAST,
	T_MAX,
};

static size_t tcp_part(__u8 *t, enum tcp_kind k, unsigned int i, enum expect *e)
{
	unsigned int words, len;

	*e = E_OK;
	switch (k) {
	case T_COMBO:
		len = tcp_hdr(t, 5, combo_flags(i % 32));
		if (rnd() & 1) {
			words = rnd_below(1200);
			rnd_fill(t + len, words);
			len += words;
		}
		return len;
	case T_SYN_MAXOPT:
		len = tcp_hdr(t, 15, TH_SYN | (rnd() & 1 ? TH_ACK : 0));
		max_options(t + len);
		return len + 40;
	case T_SYN_BADOPT:
	case T_ACK_BADOPT:
		words = 1 + rnd_below(10);
		len = tcp_hdr(t, 5 + words, k == T_SYN_BADOPT ? TH_SYN : TH_ACK);
		bad_options(t + len, words);
		*e = k == T_SYN_BADOPT ? E_BAD_OPT : E_OK;
		return len + 4 * words;
	case T_TRUNC:
		len = rnd_below(20);
		rnd_fill(t, len);
		*e = E_TRUNC_TCP;
		return len;
	case T_DOFF_LOW:
		len = tcp_hdr(t, rnd_below(5), combo_flags(rnd_below(32)));
		words = 4 * rnd_below(3);
		rnd_fill(t + len, words);
		*e = E_BAD_DOFF;
		return len + words;
	default:	/* T_DOFF_PAST: 20 to 56 bytes, the offset past them */
		len = 20 + 4 * rnd_below(10);
		words = len / 4 + 1 + rnd_below(15 - len / 4);
		tcp_hdr(t, words, combo_flags(rnd_below(32)));
		rnd_fill(t + 20, len - 20);
		*e = E_BAD_DOFF;
		return len;
	}
}

/* IPv4 kinds: the TCP kinds, then these. */
enum v4_kind {
	V4_IPOPT = T_MAX,	/* IP options, a good segment behind them */
	V4_FRAG_FIRST,		/* MF set, offset 0: a whole TCP header, still a fragment */
	V4_FRAG_LATER,		/* offset > 0 */
	V4_UDP,			/* not TCP: not counted */
	V4_MAX,
};

static size_t build_v4(__u8 *p, unsigned int i, const __u8 *src,
		       const __u8 *dst, enum expect *e)
{
	unsigned int k = (i / 2) % V4_MAX, ihl = 5, frag = 0, proto = 6;
	size_t len;

	if (k == V4_IPOPT)
		ihl = 6 + rnd_below(10);
	memset(p, 0, 4 * ihl);
	for (len = 20; len < 4 * ihl; len++)
		p[len] = 1;	/* NOP options */
	if (k < T_MAX) {
		len = tcp_part(p + 4 * ihl, k, i / 2 / V4_MAX, e);
	} else {
		len = tcp_part(p + 4 * ihl, T_COMBO, i / 2 / V4_MAX, e);
		if (k == V4_FRAG_FIRST)
			frag = 0x2000;
		else if (k == V4_FRAG_LATER)
			frag = (rnd() & 0x2000) | (1 + rnd_below(0x1fff));
		if (k == V4_FRAG_FIRST || k == V4_FRAG_LATER)
			*e = E_FRAGMENT;
		if (k == V4_UDP) {
			proto = 17;
			*e = E_NOT_TCP;
		}
	}
	len += 4 * ihl;
	p[0] = 0x40 | ihl;
	put16(p + 2, len);
	put16(p + 4, 1 + rnd_below(65535));	/* non-zero: the kernel keeps it */
	put16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	put16(p + 10, ip_csum(p, 4 * ihl));	/* as the kernel would: it keeps it */
	return len;
}

/* IPv6 kinds: the TCP kinds, then these. */
enum v6_kind {
	V6_EXT_CHAIN = T_MAX,	/* 1 to 4 extension headers, then a good segment */
	V6_EXT_PAST,		/* an extension header longer than the packet */
	V6_EXT_CUT,		/* the packet ends inside an extension header */
	V6_EXT_NONE,		/* extension headers, then "no next header" */
	V6_FRAG,		/* fragment header, offset > 0 or M set */
	V6_ATOMIC_FRAG,		/* offset 0, M clear (RFC 6946): a segment */
	V6_PLEN_PAST,		/* payload length past the end */
	V6_UDP,			/* extension headers, then UDP: not counted */
	V6_MAX,
};

/* An extension header of type @type at @p (8 or 16 bytes); returns its length. */
static size_t ext_hdr(__u8 *p, __u8 next, unsigned int units)
{
	p[0] = next;
	p[1] = units;
	p[2] = 1;			/* PadN for options headers; routing: type */
	p[3] = 4 + 8 * units;
	memset(p + 4, 0, 4 + 8 * units);
	return 8 + 8 * units;
}

static size_t build_v6(__u8 *p, unsigned int i, const __u8 *src,
		       const __u8 *dst, enum expect *e)
{
	static const __u8 ext_types[] = { 0, 60, 43 };	/* HBH, DEST, ROUTING */
	unsigned int k = (i / 2) % V6_MAX, n, j, frag;
	__u8 *nh = p + 6;
	size_t off = 40, len, plen;

	memset(p, 0, 40);
	p[0] = 0x60;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	if (k < T_MAX) {
		*nh = 6;
		len = off + tcp_part(p + off, k, i / 2 / V6_MAX, e);
		put16(p + 4, len - 40);
		return len;
	}
	n = k == V6_EXT_CHAIN || k == V6_UDP ? 1 + rnd_below(4) : 1;
	for (j = 0; j < n; j++) {
		*nh = j ? ext_types[1 + rnd_below(2)] : ext_types[rnd_below(3)];
		nh = p + off;
		off += ext_hdr(p + off, 0, rnd_below(2));
	}
	switch (k) {
	case V6_EXT_CHAIN:
	case V6_PLEN_PAST:
		*nh = 6;
		len = off + tcp_part(p + off, T_COMBO, i, e);
		if (k == V6_PLEN_PAST) {
			put16(p + 4, len - 40 + 1 + rnd_below(1000));
			*e = E_TRUNC_IP;
			return len;
		}
		break;
	case V6_EXT_PAST:
		*nh = 60;
		nh = p + off;
		off += ext_hdr(p + off, 6, 1);
		nh[1] = 100 + rnd_below(156);	/* says 808 bytes or more, has 16 */
		len = off + tcp_hdr(p + off, 5, combo_flags(rnd_below(32)));
		*e = E_BAD_EXTHDR;
		break;
	case V6_EXT_CUT:
		*nh = 60;
		p[off] = 6;	/* one byte of an extension header, no length */
		len = off + 1;
		*e = E_BAD_EXTHDR;
		break;
	case V6_EXT_NONE:
		*nh = 59;
		len = off;
		*e = E_BAD_EXTHDR;
		break;
	case V6_FRAG:
	case V6_ATOMIC_FRAG:
		*nh = 44;
		p[off] = 6;
		p[off + 1] = 0;
		frag = k == V6_FRAG ? (1 + rnd_below(0x1fff)) << 3 | (rnd() & 1) : 0;
		if (k == V6_FRAG && rnd() & 1)
			frag = 1;	/* offset 0, M set: a first fragment */
		put16(p + off + 2, frag);
		put32(p + off + 4, rnd());
		off += 8;
		len = off + tcp_part(p + off, T_COMBO, i, e);
		if (k == V6_FRAG)
			*e = E_FRAGMENT;
		break;
	default:	/* V6_UDP */
		*nh = 17;
		len = off + 8;
		rnd_fill(p + off, 8);
		*e = E_NOT_TCP;
		break;
	}
	plen = len - 40;
	put16(p + 4, plen);
	return len;
}

static const char *prog = "tcpsm-malformed";

static void usage(void)
{
	fprintf(stderr,
		"%s send -s SRC4 -d DST4 -S SRC6 -D DST6 -n N [-r SEED]\n"
		"%s capture -i IFNAME -d DST4 -D DST6 -n N [-w IDLE_MS]\n", prog, prog);
	exit(2);
}

static int send_one(int fd, const __u8 *p, size_t len, const void *to, socklen_t tolen)
{
	for (;;) {
		if (sendto(fd, p, len, 0, to, tolen) == (ssize_t)len)
			return 0;
		if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
			continue;
		}
		return -1;
	}
}

static int do_send(unsigned long n, const __u8 *s4, const __u8 *d4,
		   const __u8 *s6, const __u8 *d6)
{
	static __u8 pkt[PKT_MAX];
	unsigned long count[E_MAX] = { 0 }, i, bytes = 0, segs;
	struct sockaddr_in to4 = { .sin_family = AF_INET };
	struct sockaddr_in6 to6 = { .sin6_family = AF_INET6 };
	__u64 hash = 0;
	int fd4, fd6, one = 1;
	unsigned int e;

	memcpy(&to4.sin_addr, d4, 4);
	memcpy(&to6.sin6_addr, d6, 16);
	fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	if (fd4 < 0 || fd6 < 0 ||
	    setsockopt(fd4, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		perror("tcpsm-malformed: raw socket");
		return 1;
	}
	for (i = 0; i < n; i++) {
		enum expect ex;
		size_t len;
		int r;

		if (i % 2 == 0) {
			len = build_v4(pkt, i, s4, d4, &ex);
			r = send_one(fd4, pkt, len, &to4, sizeof(to4));
		} else {
			len = build_v6(pkt, i, s6, d6, &ex);
			r = send_one(fd6, pkt, len, &to6, sizeof(to6));
		}
		if (r) {
			fprintf(stderr, "%s: packet %lu (IPv%d, kind %lu, %zu bytes): %s\n",
				prog, i, i % 2 ? 6 : 4, (i / 2) % (i % 2 ? V6_MAX : V4_MAX), len,
				strerror(errno));
			return 1;
		}
		count[ex]++;
		bytes += len;
		hash += fnv1a(pkt, len);
	}
	segs = n - count[E_NOT_TCP];
	printf("sent %lu\nbytes %lu\nhash %llu\nexpect_segments %lu\n", n, bytes,
	       (unsigned long long)hash, segs);
	for (e = 0; e < E_MAX; e++)
		if (expect_stat[e])
			printf("expect_%s %lu\n", expect_stat[e], count[e]);
	printf("ok_segments %lu\nnot_tcp %lu\n", count[E_OK], count[E_NOT_TCP]);
	return 0;
}

static int do_capture(const char *ifname, unsigned long n, int idle_ms,
		      const __u8 *d4, const __u8 *d6)
{
	static __u8 buf[65536];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long frames = 0, bytes = 0;
	struct tpacket_stats st;
	socklen_t stlen = sizeof(st);
	int fd, big = 16 << 20;
	__u64 hash = 0;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("tcpsm-malformed: packet socket");
		return 1;
	}
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("tcpsm-malformed: bind");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	printf("ready\n");
	fflush(stdout);
	while (frames < n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		__u16 proto;
		ssize_t r;

		if (poll(&pfd, 1, idle_ms) <= 0)
			break;
		r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (r < ETH_HLEN || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		proto = buf[12] << 8 | buf[13];
		r -= ETH_HLEN;
		if (proto == ETH_P_IP && r >= 20 && !memcmp(buf + ETH_HLEN + 16, d4, 4)) {
			/* ours */
		} else if (proto == ETH_P_IPV6 &&
			   (r < 40 || !memcmp(buf + ETH_HLEN + 24, d6, 16))) {
			/* ours */
		} else {
			continue;
		}
		frames++;
		bytes += r;
		hash += fnv1a(buf + ETH_HLEN, r);
	}
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen))
		st.tp_drops = 0;
	printf("frames %lu\nbytes %lu\nhash %llu\ndrops %u\n", frames, bytes,
	       (unsigned long long)hash, st.tp_drops);
	return 0;
}

int main(int argc, char **argv)
{
	__u8 s4[4] = { 0 }, d4[4] = { 0 }, s6[16] = { 0 }, d6[16] = { 0 };
	const char *mode, *ifname = NULL;
	unsigned long n = 0;
	int opt, idle = 10000;

	prog = argv[0];
	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "s:d:S:D:n:r:i:w:")) != -1) {
		switch (opt) {
		case 's':
			if (inet_pton(AF_INET, optarg, s4) != 1)
				usage();
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, d4) != 1)
				usage();
			break;
		case 'S':
			if (inet_pton(AF_INET6, optarg, s6) != 1)
				usage();
			break;
		case 'D':
			if (inet_pton(AF_INET6, optarg, d6) != 1)
				usage();
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rng_state = strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ull + 1;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'w':
			idle = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!n)
		usage();
	if (!strcmp(mode, "send"))
		return do_send(n, s4, d4, s6, d6);
	if (!strcmp(mode, "capture") && ifname)
		return do_capture(ifname, n, idle, d4, d6);
	usage();
	return 2;
}
