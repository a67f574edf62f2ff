// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm-inject: send N TCP SYNs with distinct source addresses and ports
 * over a raw IPv4 socket (IP_HDRINCL), in sendmmsg() batches, so that tcpsm
 * sees N new connections at LOCAL_OUT without a socket for any of them.
 *
 *   tcpsm-inject -s SRC -d DST [-p DPORT] [-n N] [-o FIRST] [-b BATCH] [-r SEED] [-A]
 *
 * SYN i (FIRST <= i < FIRST + N) leaves from SRC + i / 50000, port
 * 10000 + i % 50000, to DST:DPORT. With -r (a SYN flood), from a random
 * address of 100.64.0.0/10 and a random port instead (SRC is then only the
 * route's source check). -A sends bare ACKs instead, with made-up sequence
 * and acknowledgment numbers: what a spoofer sends to fill a table that
 * picks connections up mid-stream. Prints the number sent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#define PORTS_PER_ADDR	50000
#define FIRST_PORT	10000
#define MAX_BATCH	1024

struct syn {
	__u8 ver_ihl;
	__u8 tos;
	__u16 tot_len;
	__u16 id;
	__u16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__u16 check;
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 seq;
	__u32 ack_seq;
	__u8 doff;
	__u8 flags;
	__u16 window;
	__u16 tcheck;
	__u16 urg_ptr;
};

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __u32 csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (__u32)p[len - 1] << 8;
	return sum;
}

static void syn_fill(struct syn *s, __u32 saddr, __u16 sport, __u32 daddr,
		     __u16 dport, __u32 seq, bool ack)
{
	__u32 sum;
	__u8 pseudo[4];

	memset(s, 0, sizeof(*s));
	s->ver_ihl = 0x45;
	s->tot_len = htons(sizeof(*s));
	s->ttl = 64;
	s->protocol = IPPROTO_TCP;
	s->saddr = saddr;
	s->daddr = daddr;
	s->sport = htons(sport);
	s->dport = htons(dport);
	s->seq = htonl(seq);
	s->doff = 5 << 4;
	s->flags = ack ? 0x10 : 0x02;	/* ACK or SYN */
	if (ack)
		s->ack_seq = htonl(~seq);
	s->window = htons(64240);
	/* pseudo header: addresses, zero, protocol, TCP length */
	sum = csum_add(0, &s->saddr, 8);
	pseudo[0] = 0;
	pseudo[1] = IPPROTO_TCP;
	pseudo[2] = 0;
	pseudo[3] = 20;
	sum = csum_add(sum, pseudo, 4);
	sum = csum_add(sum, &s->sport, 20);
	s->tcheck = htons(csum_fold(sum));
	/* the kernel fills the IP checksum of an IP_HDRINCL packet */
}

static const char *prog = "tcpsm-inject";

static void usage(void)
{
	fprintf(stderr,
		"%s -s SRC -d DST [-p DPORT] [-n N] [-o FIRST] [-b BATCH] [-r SEED] [-A]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct syn pkts[MAX_BATCH];
	static struct mmsghdr msgs[MAX_BATCH];
	static struct iovec iovs[MAX_BATCH];
	unsigned long n = 1, first = 0, batch = MAX_BATCH, sent = 0, i;
	struct in_addr src = { 0 }, dst = { 0 };
	struct sockaddr_in to;
	unsigned int dport = 80;
	__u64 seed = 0;
	bool ack = false;
	int fd, one = 1, opt;

	/* an IPv4 and a TCP header, no padding: nothing to pack */
	if (sizeof(struct syn) != 40)
		return 2;
	prog = argv[0];
	while ((opt = getopt(argc, argv, "s:d:p:n:o:b:r:A")) != -1) {
		switch (opt) {
		case 's':
			if (inet_pton(AF_INET, optarg, &src) != 1)
				usage();
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &dst) != 1)
				usage();
			break;
		case 'p':
			dport = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'o':
			first = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			batch = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			seed = strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ull | 1;
			break;
		case 'A':
			ack = true;
			break;
		default:
			usage();
		}
	}
	if (!src.s_addr || !dst.s_addr || !dport || dport > 65535 || !batch ||
	    batch > MAX_BATCH)
		usage();

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		perror("tcpsm-inject: raw socket");
		return 1;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = dst;

	while (sent < n) {
		unsigned long k = n - sent < batch ? n - sent : batch;
		int r;

		for (i = 0; i < k; i++) {
			unsigned long idx = first + sent + i;
			__u32 a = ntohl(src.s_addr) + idx / PORTS_PER_ADDR;
			__u16 port = FIRST_PORT + idx % PORTS_PER_ADDR;

			if (seed) {	/* xorshift64 */
				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				a = 0x64400000u | (__u32)(seed >> 40 & 0x3fffff);
				port = 1024 + (__u32)(seed >> 8 & 0xffffff) % 64512;
			}
			syn_fill(&pkts[i], htonl(a), port, dst.s_addr, dport,
				 (__u32)(idx * 2654435761u), ack);
			iovs[i].iov_base = &pkts[i];
			iovs[i].iov_len = sizeof(pkts[i]);
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_name = &to;
			msgs[i].msg_hdr.msg_namelen = sizeof(to);
			msgs[i].msg_hdr.msg_iov = &iovs[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(fd, msgs, k, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				struct timespec ts = { 0, 1000000 };

				nanosleep(&ts, NULL);
				continue;
			}
			perror("tcpsm-inject: sendmmsg");
			fprintf(stderr, "tcpsm-inject: %lu sent\n", sent);
			return 1;
		}
		sent += r;
	}
	close(fd);
	printf("%lu\n", sent);
	return 0;
}
