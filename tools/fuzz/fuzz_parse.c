// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for module/parse.c, compiled unchanged against the shim
 * headers in shim/ (struct sk_buff, skb_header_pointer(), ipv6_skip_exthdr()).
 *
 * Input: byte 0 picks IPv4 or IPv6 (bit 0), the network header's offset
 * (bits 1-4, in 4-byte words) and a TCP GSO skb (bit 5); byte 1 how many bytes are linear
 * (the rest is read the way the kernel reads paged data); the rest is the
 * packet. Every read outside the packet is caught by ASan (the packet is a
 * heap copy of exactly its length); the result is checked against what the
 * packet says:
 *  - the result is a known one;
 *  - IPv4: the result is the one an independent reading of the headers
 *    gives, in the order parse.c documents;
 *  - a parsed segment: flags within the six TCP flags, a window scale only
 *    on a SYN and at most 14, and ports, sequence numbers, window and
 *    payload length as the TCP header at the end of the IP header says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/socket.h>
#include "parse.h"

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_parse.c:%d: invariant broken: %s\n", line, what);
	abort();
}

#define CHECK(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static unsigned int be16_at(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Window scale of well-formed options (RFC 9293 3.2), -1 if malformed. */
static int ref_options(const u8 *o, unsigned int n)
{
	int ws = TCPSM_NO_WSCALE;
	unsigned int i = 0;

	while (i < n && o[i] != 0) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
			return -1;
		if (o[i] == 3 && o[i + 1] == 3)
			ws = o[i + 2] > TCPSM_MAX_WSCALE ? TCPSM_MAX_WSCALE : o[i + 2];
		i += o[i + 1];
	}
	return ws;
}

/* Is the TCP header at @th, payload ending at @end, what @p reports? */
static bool tcp_matches(const u8 *th, const u8 *end, const struct tcpsm_pkt *p)
{
	unsigned int thlen = (th[12] >> 4) * 4;
	int ws;

	if (thlen < 20 || th + thlen > end || p->seg.len != (u32)(end - th - thlen))
		return false;
	if (ntohs(p->sport) != be16_at(th) || ntohs(p->dport) != be16_at(th + 2) ||
	    p->seg.seq != be32_at(th + 4) || p->seg.ack != be32_at(th + 8) ||
	    p->seg.win != be16_at(th + 14) || p->seg.flags != (th[13] & 0x3f))
		return false;
	ws = p->seg.flags & TCPSM_SYN ? ref_options(th + 20, thlen - 20) : TCPSM_NO_WSCALE;
	return ws == p->seg.wscale;
}

/* An ICMP message of @n bytes at @m: does it quote a TCP segment (parse.c 4a)? */
static enum tcpsm_parse_result ref_icmp4(const u8 *m, int n)
{
	const u8 *q = m + 8;
	bool fatal_or_error;

	if (n < 8)
		return TCPSM_PARSE_NOT_TCP;
	/* RFC 792 errors TCP acts on: unreachable (not "fragmentation needed"), time, parameter */
	fatal_or_error = (m[0] == 3 && m[1] <= 15 && m[1] != 4) || m[0] == 11 || m[0] == 12;
	if (!fatal_or_error || n - 8 < 20 || q[0] >> 4 != 4 || (q[0] & 15) < 5 || q[9] != 6 ||
	    (be16_at(q + 6) & 0x1fff))
		return TCPSM_PARSE_NOT_TCP;
	return n - 8 - (q[0] & 15) * 4 < 8 ? TCPSM_PARSE_BAD_ICMP : TCPSM_PARSE_ICMP;
}

/* IPv4, read independently in parse.c's documented order. */
static enum tcpsm_parse_result ref_ipv4(const struct sk_buff *skb)
{
	const u8 *ip = skb->data + skb->network_offset;
	int avail = skb->len - skb->network_offset;
	int ihl, tot, thlen;
	const u8 *th;

	if (avail < 20 || ip[0] >> 4 != 4)
		return TCPSM_PARSE_TRUNC_IP;
	if (ip[9] != 6 && ip[9] != 1)
		return TCPSM_PARSE_NOT_TCP;
	ihl = (ip[0] & 15) * 4;
	tot = be16_at(ip + 2);
	if (!tot && skb->gso_tcp)
		tot = avail;
	if (ihl < 20 || tot < ihl || tot > avail)
		return TCPSM_PARSE_TRUNC_IP;
	if (be16_at(ip + 6) & 0x3fff)
		return ip[9] == 6 ? TCPSM_PARSE_FRAGMENT : TCPSM_PARSE_NOT_TCP;
	if (ip[9] == 1)
		return ref_icmp4(ip + ihl, tot - ihl);
	if (tot - ihl < 20)
		return TCPSM_PARSE_TRUNC_TCP;
	th = ip + ihl;
	thlen = (th[12] >> 4) * 4;
	if (thlen < 20 || thlen > tot - ihl)
		return TCPSM_PARSE_BAD_DOFF;
	if ((th[13] & TCPSM_SYN) && thlen > 20 && ref_options(th + 20, thlen - 20) < 0)
		return TCPSM_PARSE_BAD_OPT;
	return TCPSM_PARSE_OK;
}

static bool verbose;

/* libFuzzer's entry points, under their names (asm labels: no CamelCase) */
int fuzz_init(int *argc, char ***argv) __asm__("LLVMFuzzerInitialize");
int fuzz_one(const uint8_t *data, size_t size) __asm__("LLVMFuzzerTestOneInput");

/* FUZZ_VERBOSE=1: print each input's result (to check a seed corpus) */
int fuzz_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE");
	return 0;
}

int fuzz_one(const uint8_t *data, size_t size)
{
	enum tcpsm_parse_result r;
	struct sk_buff skb = {};
	struct tcpsm_pkt p;
	bool v6;
	u8 *pkt;

	if (size < 2 || size > 65535 + 2)
		return 0;
	v6 = data[0] & 1;
	skb.network_offset = ((data[0] >> 1) & 15) * 4;	/* aligned, as NET_IP_ALIGN makes it */
	skb.gso_tcp = data[0] & 0x20;
	skb.len = size - 2;
	skb.headlen = data[1] < skb.len ? data[1] : skb.len;
	if ((unsigned int)skb.network_offset > skb.len)
		return 0;
	pkt = malloc(skb.len ? skb.len : 1);
	if (!pkt)
		return 0;
	memcpy(pkt, data + 2, skb.len);
	skb.data = pkt;
	memset(&p, 0xa5, sizeof(p));

	r = v6 ? tcpsm_parse_ipv6(&skb, &p) : tcpsm_parse_ipv4(&skb, &p);
	CHECK((unsigned int)r < __TCPSM_PARSE_MAX);
	CHECK(strcmp(tcpsm_parse_result_name(r), "?") != 0);
	if (verbose)
		fprintf(stderr, "result %s\n", tcpsm_parse_result_name(r));
	if (!v6)
		CHECK(r == ref_ipv4(&skb));
	if (r == TCPSM_PARSE_ICMP)
		CHECK(p.icmp == TCPSM_ICMP_ERROR || p.icmp == TCPSM_ICMP_FATAL);
	if (r == TCPSM_PARSE_OK) {
		const u8 *ip = pkt + skb.network_offset;
		const u8 *end;

		CHECK(p.family == (v6 ? AF_INET6 : AF_INET));
		CHECK(p.seg.wscale == TCPSM_NO_WSCALE ||
		      (p.seg.wscale <= TCPSM_MAX_WSCALE && (p.seg.flags & TCPSM_SYN)));
		if (!v6) {
			unsigned int tot = be16_at(ip + 2);

			end = ip + (tot ? tot : skb.len - skb.network_offset);
			CHECK(p.saddr.all[0] == *(const __be32 *)(ip + 12));
			CHECK(!p.saddr.all[1] && !p.daddr.all[3]);
			CHECK(tcp_matches(ip + (ip[0] & 15) * 4, end, &p));
		} else {
			unsigned int plen = be16_at(ip + 4), doff;
			bool found = false;

			end = plen ? ip + 40 + plen : pkt + skb.len;
			CHECK(!memcmp(&p.saddr.in6, ip + 8, 16));
			CHECK(!memcmp(&p.daddr.in6, ip + 24, 16));
			/* the TCP header is where its data offset and the length put it */
			for (doff = 5; doff <= 15 && !found; doff++) {
				const u8 *th = end - p.seg.len - doff * 4;

				found = th >= ip + 40 && tcp_matches(th, end, &p);
			}
			CHECK(found);
		}
	}

	/* the options parser alone, on the whole input */
	{
		struct tcpsm_seg seg;
		int ws = ref_options(data, size > 40 ? 40 : size);

		r = tcpsm_parse_options(data, size > 40 ? 40 : size, &seg);
		CHECK(r == (ws < 0 ? TCPSM_PARSE_BAD_OPT : TCPSM_PARSE_OK));
		CHECK(ws < 0 || seg.wscale == ws);
	}
	free(pkt);
	return 0;
}
