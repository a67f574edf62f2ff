// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for parse.c: crafted IPv4 and IPv6 packets, well-formed and
 * broken, in linear and paged skbs, through tcpsm_parse_ipv4() and
 * tcpsm_parse_ipv6(); TCP option areas through tcpsm_parse_options(); ICMP
 * and ICMPv6 errors and what they quote.
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "parse.h"

#define TP_SPORT	40000
#define TP_DPORT	443
#define TP_SEQ		0x01020304
#define TP_ACK		0xa0b0c0d0
#define TP_WIN		0xfaf0
#define TP_V4_SRC	0xc0000201	/* 192.0.2.1 */
#define TP_V4_DST	0xc6336402	/* 198.51.100.2 */
#define TP_BUF		512		/* bytes for the largest crafted packet */
#define TP_FLAGS	0x3f		/* FIN SYN RST PSH ACK URG */
#define TP_OPTMAX	40		/* bytes of TCP options, at most */

static const struct in6_addr tp_v6_src = {
	.in6_u.u6_addr8 = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }	/* 2001:db8::1 */
};

static const struct in6_addr tp_v6_dst = {
	.in6_u.u6_addr8 = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }	/* 2001:db8::2 */
};

/* IPv6 extension headers, put in this order between the header and TCP */
#define TP_HBH		BIT(0)	/* hop-by-hop options, 8 bytes */
#define TP_RT		BIT(1)	/* routing (segment routing), 24 bytes */
#define TP_FRAG		BIT(2)	/* fragment, 8 bytes, frag_off from the spec */
#define TP_DST		BIT(3)	/* destination options, 16 bytes */

/* An expected window scale: TP_WS(n); 0 in a spec means TCPSM_NO_WSCALE */
#define TP_WS(n)	(0x100 | (n))
/* A TCP data offset: TP_DOFF(n); 0 in a spec means 5 + optlen / 4 */
#define TP_DOFF(n)	(0x100 | (n))

/* What Linux puts on a SYN: MSS, SACK permitted, timestamps, NOP, wscale */
#define TP_OPT_LINUX(ws)	{ 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, \
				  0, 0, 0, 0, 1, 3, 3, (ws) }

/*
 * A packet to craft, and what parsing it must give. Zero fields mean a
 * well-formed TCP segment with no options, no payload and no IP options.
 */
struct tp_spec {
	const char *desc;
	u8 family;		/* AF_INET or AF_INET6 */
	u8 flags;		/* the TCP flags byte */
	u8 opt[TP_OPTMAX];	/* TCP options */
	u8 optlen;		/* bytes of them, a multiple of 4 */
	u16 doff;		/* TCP data offset, TP_DOFF(n) or 0 */
	u16 data;		/* payload bytes */
	u8 ipopt;		/* IPv4 option bytes (NOPs), a multiple of 4 */
	u8 ihl;			/* IPv4 header length, 0: 5 + ipopt / 4 */
	u8 version;		/* IP version, 0: the family's */
	u8 proto;		/* upper-layer protocol, 0: TCP */
	u8 ext;			/* IPv6 extension headers, TP_HBH ... */
	u16 frag;		/* IPv4 or IPv6 fragment header frag_off */
	s16 iplen;		/* added to tot_len or payload_len */
	bool iplen0;		/* tot_len or payload_len zero */
	u8 cut;			/* bytes cut off the end, IP length included */
	u8 pad;			/* zero bytes after the IP packet */
	u8 mac;			/* bytes before the network header */
	bool gso;		/* a TCP GSO skb */
	enum tcpsm_parse_result res;	/* expected result */
	u32 len;		/* expected seg.len, when res is OK */
	u16 ws;			/* expected seg.wscale, TP_WS(n) or 0 */
};

/* Write @s's packet to @buf (TP_BUF bytes, zeroed); returns its length. */
static unsigned int tp_build(const struct tp_spec *s, u8 *buf)
{
	unsigned int off = s->mac, iplen;
	u8 proto = s->proto ? s->proto : IPPROTO_TCP;
	struct iphdr *iph = NULL;
	struct ipv6hdr *ip6h = NULL;
	struct tcphdr *th;

	memset(buf, 0xee, s->mac);
	if (s->family == AF_INET) {
		iph = (struct iphdr *)(buf + off);
		iph->version = s->version ? s->version : 4;
		iph->ihl = s->ihl ? s->ihl : 5 + s->ipopt / 4;
		iph->id = htons(0x1234);
		iph->frag_off = htons(s->frag);
		iph->ttl = 64;
		iph->protocol = proto;
		iph->saddr = htonl(TP_V4_SRC);
		iph->daddr = htonl(TP_V4_DST);
		off += sizeof(*iph);
		memset(buf + off, IPOPT_NOOP, s->ipopt);
		off += s->ipopt;
	} else {
		u8 *nexthdr;

		ip6h = (struct ipv6hdr *)(buf + off);
		ip6h->version = s->version ? s->version : 6;
		ip6h->hop_limit = 64;
		ip6h->saddr = tp_v6_src;
		ip6h->daddr = tp_v6_dst;
		nexthdr = &ip6h->nexthdr;
		off += sizeof(*ip6h);
		if (s->ext & TP_HBH) {
			*nexthdr = NEXTHDR_HOP;
			nexthdr = buf + off;
			buf[off + 2] = IPV6_TLV_PADN;
			buf[off + 3] = 4;
			off += 8;
		}
		if (s->ext & TP_RT) {
			*nexthdr = NEXTHDR_ROUTING;
			nexthdr = buf + off;
			buf[off + 1] = 2;
			buf[off + 2] = IPV6_SRCRT_TYPE_4;
			off += 24;
		}
		if (s->ext & TP_FRAG) {
			struct frag_hdr *fh = (struct frag_hdr *)(buf + off);

			*nexthdr = NEXTHDR_FRAGMENT;
			nexthdr = &fh->nexthdr;
			fh->frag_off = htons(s->frag);
			fh->identification = htonl(0x12345678);
			off += sizeof(*fh);
		}
		if (s->ext & TP_DST) {
			*nexthdr = NEXTHDR_DEST;
			nexthdr = buf + off;
			buf[off + 1] = 1;
			buf[off + 2] = IPV6_TLV_PADN;
			buf[off + 3] = 12;
			off += 16;
		}
		*nexthdr = proto;
	}

	th = (struct tcphdr *)(buf + off);
	th->source = htons(TP_SPORT);
	th->dest = htons(TP_DPORT);
	th->seq = htonl(TP_SEQ);
	th->ack_seq = htonl(TP_ACK);
	th->doff = s->doff ? s->doff & 0xf : 5 + s->optlen / 4;
	((u8 *)th)[13] = s->flags;
	th->window = htons(TP_WIN);
	off += sizeof(*th);
	memcpy(buf + off, s->opt, s->optlen);
	off += s->optlen;
	for (iplen = 0; iplen < s->data; iplen++)
		buf[off++] = iplen;

	off -= s->cut;
	iplen = s->iplen0 ? 0 : off - s->mac + s->iplen;
	if (iph)
		iph->tot_len = htons(iplen);
	else if (iplen)
		ip6h->payload_len = htons(iplen - sizeof(*ip6h));
	memset(buf + off, 0, s->pad);
	return off + s->pad;
}

KUNIT_DEFINE_ACTION_WRAPPER(tp_kfree_skb, kfree_skb, struct sk_buff *);

/*
 * An skb holding the @len bytes of @pkt: the first @linear in its head, the
 * rest in a page frag. Freed when the test ends.
 */
static struct sk_buff *tp_skb(struct kunit *test, const struct tp_spec *s,
			      const u8 *pkt, unsigned int len,
			      unsigned int linear)
{
	struct sk_buff *skb;
	struct page *page;

	skb = alloc_skb(max(linear, 1U), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tp_kfree_skb, skb), 0);
	skb_put_data(skb, pkt, linear);
	if (len > linear) {
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), pkt + linear, len - linear);
		skb_add_rx_frag(skb, 0, page, 0, len - linear, PAGE_SIZE);
	}
	skb_set_network_header(skb, s->mac);
	if (s->gso) {
		skb_shinfo(skb)->gso_size = 1000;
		skb_shinfo(skb)->gso_type = s->family == AF_INET ?
					    SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
	}
	return skb;
}

/* Parse into @p, first filled with garbage so that every field is checked */
static enum tcpsm_parse_result tp_parse(const struct sk_buff *skb, u8 family,
					struct tcpsm_pkt *p)
{
	memset(p, 0xa5, sizeof(*p));
	if (family == AF_INET)
		return tcpsm_parse_ipv4(skb, p);
	return tcpsm_parse_ipv6(skb, p);
}

static void tp_expect_result(struct kunit *test, enum tcpsm_parse_result got,
			     enum tcpsm_parse_result want)
{
	KUNIT_EXPECT_STREQ(test, tcpsm_parse_result_name(got),
			   tcpsm_parse_result_name(want));
}

/* The parser must leave the skb's bytes as they were */
static void tp_expect_unchanged(struct kunit *test, const struct sk_buff *skb,
				const u8 *pkt, unsigned int len)
{
	u8 *now = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, now);
	KUNIT_ASSERT_EQ(test, skb->len, len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, now, len), 0);
	KUNIT_EXPECT_MEMEQ(test, now, pkt, len);
	kunit_kfree(test, now);
}

/* The fields every crafted segment has, whatever the spec */
static void tp_expect_common(struct kunit *test, const struct tp_spec *s,
			     const struct tcpsm_pkt *p)
{
	KUNIT_EXPECT_EQ(test, p->family, s->family);
	KUNIT_EXPECT_EQ(test, ntohs(p->sport), TP_SPORT);
	KUNIT_EXPECT_EQ(test, ntohs(p->dport), TP_DPORT);
	KUNIT_EXPECT_EQ(test, p->seg.seq, TP_SEQ);
	KUNIT_EXPECT_EQ(test, p->seg.ack, TP_ACK);
	KUNIT_EXPECT_EQ(test, p->seg.win, TP_WIN);
	KUNIT_EXPECT_EQ(test, p->seg.flags, s->flags & TP_FLAGS);
	KUNIT_EXPECT_EQ(test, p->seg.from, 0);
	KUNIT_EXPECT_EQ(test, p->seg.move, 0);
}

static void tp_check_spec(struct kunit *test, const struct tp_spec *s)
{
	u8 *pkt = kunit_kzalloc(test, TP_BUF, GFP_KERNEL);
	enum tcpsm_parse_result r;
	struct sk_buff *skb;
	struct tcpsm_pkt p;
	unsigned int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pkt);
	len = tp_build(s, pkt);
	skb = tp_skb(test, s, pkt, len, len);
	r = tp_parse(skb, s->family, &p);
	tp_expect_result(test, r, s->res);
	tp_expect_unchanged(test, skb, pkt, len);
	if (r != TCPSM_PARSE_OK || s->res != TCPSM_PARSE_OK)
		return;
	tp_expect_common(test, s, &p);
	KUNIT_EXPECT_EQ(test, p.seg.len, s->len);
	KUNIT_EXPECT_EQ(test, p.seg.wscale, s->ws ? (u8)s->ws : TCPSM_NO_WSCALE);
}

static const struct tp_spec tp_ipv4_specs[] = {
	{ .desc = "syn with linux options, wscale read",
	  .flags = TCPSM_SYN, .opt = TP_OPT_LINUX(7), .optlen = 20,
	  .ws = TP_WS(7) },
	{ .desc = "synack with wscale 0",
	  .flags = TCPSM_SYN | TCPSM_ACK, .opt = { 1, 3, 3, 0 }, .optlen = 4,
	  .ws = TP_WS(0) },
	{ .desc = "syn wscale 14 kept",
	  .flags = TCPSM_SYN, .opt = { 1, 3, 3, 14 }, .optlen = 4,
	  .ws = TP_WS(14) },
	{ .desc = "syn wscale 15 clamped to 14",
	  .flags = TCPSM_SYN, .opt = { 1, 3, 3, 15 }, .optlen = 4,
	  .ws = TP_WS(14) },
	{ .desc = "syn wscale 255 clamped to 14",
	  .flags = TCPSM_SYN, .opt = { 1, 3, 3, 255 }, .optlen = 4,
	  .ws = TP_WS(14) },
	{ .desc = "syn with zero-length options area",
	  .flags = TCPSM_SYN },
	{ .desc = "syn with 40 bytes of options, wscale last",
	  .flags = TCPSM_SYN, .opt = { [0 ... 36] = 1, 3, 3, 9 }, .optlen = 40,
	  .ws = TP_WS(9) },
	{ .desc = "syn with 40 bytes of nops",
	  .flags = TCPSM_SYN, .opt = { [0 ... 39] = 1 }, .optlen = 40 },
	{ .desc = "ack options not read",
	  .flags = TCPSM_ACK, .opt = { 1, 3, 3, 7 }, .optlen = 4 },
	{ .desc = "ack bad options not read",
	  .flags = TCPSM_ACK, .opt = { 1, 1, 8, 0 }, .optlen = 4 },
	{ .desc = "ack with 100 bytes of data",
	  .flags = TCPSM_ACK | TCPSM_PSH, .data = 100, .len = 100 },
	{ .desc = "ack with timestamps and data",
	  .flags = TCPSM_ACK, .opt = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8 },
	  .optlen = 12, .data = 50, .len = 50 },
	{ .desc = "doff 15 covering the whole payload",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(15), .data = 40 },
	{ .desc = "flags byte 0xff, low six bits kept",
	  .flags = 0xff },
	{ .desc = "ip options, ihl 6",
	  .flags = TCPSM_ACK, .ipopt = 4, .data = 10, .len = 10 },
	{ .desc = "ip options, ihl 15",
	  .flags = TCPSM_SYN, .ipopt = 40, .opt = { 1, 3, 3, 2 }, .optlen = 4,
	  .data = 10, .len = 10, .ws = TP_WS(2) },
	{ .desc = "trailing padding after tot_len",
	  .flags = TCPSM_ACK, .pad = 6 },
	{ .desc = "tot_len short of the skb, data cut",
	  .flags = TCPSM_ACK, .data = 10, .iplen = -4, .len = 6 },
	{ .desc = "network header not at skb data",
	  .flags = TCPSM_ACK, .mac = 14, .data = 10, .len = 10 },
	{ .desc = "dont fragment set",
	  .flags = TCPSM_ACK, .frag = IP_DF },
	{ .desc = "tot_len 0 on a tcp gso skb",
	  .flags = TCPSM_ACK, .data = 100, .iplen0 = true, .gso = true,
	  .len = 100 },
	{ .desc = "tot_len 0 without gso",
	  .flags = TCPSM_ACK, .data = 100, .iplen0 = true,
	  .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "ip header truncated",
	  .flags = TCPSM_ACK, .cut = 21, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "ihl 4",
	  .flags = TCPSM_ACK, .ihl = 4, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "ihl past tot_len",
	  .flags = TCPSM_ACK, .ihl = 15, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "version 6 in the header",
	  .flags = TCPSM_ACK, .version = 6, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "tot_len beyond the skb",
	  .flags = TCPSM_ACK, .iplen = 1, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "tcp header truncated",
	  .flags = TCPSM_ACK, .cut = 1, .res = TCPSM_PARSE_TRUNC_TCP },
	{ .desc = "no tcp header",
	  .flags = TCPSM_ACK, .cut = 20, .res = TCPSM_PARSE_TRUNC_TCP },
	{ .desc = "tcp header in the padding only",
	  .flags = TCPSM_ACK, .iplen = -20, .res = TCPSM_PARSE_TRUNC_TCP },
	{ .desc = "doff 0",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(0), .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "doff 4",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(4), .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "doff past the end",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(6), .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "doff 15 past the end of the data",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(15), .data = 39,
	  .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "doff past tot_len into the padding",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(6), .pad = 4,
	  .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "syn option length 0",
	  .flags = TCPSM_SYN, .opt = { 8, 0, 1, 1 }, .optlen = 4,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "syn option length 1",
	  .flags = TCPSM_SYN, .opt = { 8, 1, 1, 1 }, .optlen = 4,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "syn option past the end",
	  .flags = TCPSM_SYN, .opt = { 1, 1, 8, 10 }, .optlen = 4,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "syn option without its length byte",
	  .flags = TCPSM_SYN, .opt = { 1, 1, 1, 8 }, .optlen = 4,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "first fragment",
	  .flags = TCPSM_ACK, .data = 16, .frag = IP_MF,
	  .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "middle fragment",
	  .flags = TCPSM_ACK, .frag = IP_MF | 185,
	  .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "last fragment",
	  .flags = TCPSM_ACK, .frag = 185, .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "udp",
	  .proto = IPPROTO_UDP, .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "udp fragment",
	  .proto = IPPROTO_UDP, .frag = 185, .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "udp with tot_len beyond the skb",
	  .proto = IPPROTO_UDP, .iplen = 1, .res = TCPSM_PARSE_NOT_TCP },
};

static const struct tp_spec tp_ipv6_specs[] = {
	{ .desc = "syn with linux options, wscale read",
	  .flags = TCPSM_SYN, .opt = TP_OPT_LINUX(7), .optlen = 20,
	  .ws = TP_WS(7) },
	{ .desc = "synack wscale 15 clamped to 14",
	  .flags = TCPSM_SYN | TCPSM_ACK, .opt = TP_OPT_LINUX(15),
	  .optlen = 20, .ws = TP_WS(14) },
	{ .desc = "syn with zero-length options area",
	  .flags = TCPSM_SYN },
	{ .desc = "ack with 100 bytes of data",
	  .flags = TCPSM_ACK | TCPSM_PSH, .data = 100, .len = 100 },
	{ .desc = "hop-by-hop, routing and destination options",
	  .flags = TCPSM_ACK, .ext = TP_HBH | TP_RT | TP_DST, .data = 20,
	  .len = 20 },
	{ .desc = "extension headers and a syn with options",
	  .flags = TCPSM_SYN, .ext = TP_HBH | TP_RT | TP_DST,
	  .opt = TP_OPT_LINUX(5), .optlen = 20, .ws = TP_WS(5) },
	{ .desc = "destination options only",
	  .flags = TCPSM_ACK, .ext = TP_DST, .data = 1, .len = 1 },
	{ .desc = "atomic fragment",
	  .flags = TCPSM_ACK, .ext = TP_FRAG, .data = 8, .len = 8 },
	{ .desc = "trailing padding after payload_len",
	  .flags = TCPSM_ACK, .pad = 6 },
	{ .desc = "payload_len short of the skb, data cut",
	  .flags = TCPSM_ACK, .data = 10, .iplen = -4, .len = 6 },
	{ .desc = "network header not at skb data",
	  .flags = TCPSM_ACK, .mac = 14, .ext = TP_HBH, .data = 10,
	  .len = 10 },
	{ .desc = "payload_len 0 on a tcp gso skb",
	  .flags = TCPSM_ACK, .data = 100, .iplen0 = true, .gso = true,
	  .len = 100 },
	{ .desc = "payload_len 0 without gso, as a jumbogram",
	  .flags = TCPSM_ACK, .ext = TP_HBH, .data = 100, .iplen0 = true,
	  .len = 100 },
	{ .desc = "ipv6 header truncated",
	  .flags = TCPSM_ACK, .cut = 21, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "version 4 in the header",
	  .flags = TCPSM_ACK, .version = 4, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "payload_len beyond the skb",
	  .flags = TCPSM_ACK, .iplen = 1, .res = TCPSM_PARSE_TRUNC_IP },
	{ .desc = "tcp header truncated",
	  .flags = TCPSM_ACK, .cut = 1, .res = TCPSM_PARSE_TRUNC_TCP },
	{ .desc = "tcp header in the padding only",
	  .flags = TCPSM_ACK, .ext = TP_HBH, .iplen = -20,
	  .res = TCPSM_PARSE_TRUNC_TCP },
	{ .desc = "doff 4",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(4), .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "doff past the end",
	  .flags = TCPSM_ACK, .doff = TP_DOFF(6), .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "syn option length 0",
	  .flags = TCPSM_SYN, .opt = { 8, 0, 1, 1 }, .optlen = 4,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "first fragment",
	  .flags = TCPSM_ACK, .ext = TP_FRAG, .frag = IP6_MF, .data = 16,
	  .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "middle fragment",
	  .flags = TCPSM_ACK, .ext = TP_FRAG, .frag = 185 << 3 | IP6_MF,
	  .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "last fragment",
	  .flags = TCPSM_ACK, .ext = TP_FRAG, .frag = 185 << 3,
	  .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "fragment after hop-by-hop and routing",
	  .flags = TCPSM_ACK, .ext = TP_HBH | TP_RT | TP_FRAG, .frag = IP6_MF,
	  .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "later fragment, destination options next",
	  .flags = TCPSM_ACK, .ext = TP_FRAG | TP_DST, .frag = 185 << 3,
	  .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "udp",
	  .proto = IPPROTO_UDP, .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "icmpv6",
	  .proto = IPPROTO_ICMPV6, .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "udp after extension headers",
	  .proto = IPPROTO_UDP, .ext = TP_HBH | TP_RT | TP_DST,
	  .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "udp first fragment",
	  .proto = IPPROTO_UDP, .ext = TP_FRAG, .frag = IP6_MF,
	  .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "udp later fragment",
	  .proto = IPPROTO_UDP, .ext = TP_FRAG, .frag = 185 << 3,
	  .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "no next header",
	  .proto = NEXTHDR_NONE, .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "no next header after hop-by-hop",
	  .proto = NEXTHDR_NONE, .ext = TP_HBH,
	  .res = TCPSM_PARSE_BAD_EXTHDR },
	{ .desc = "extension header cut inside its length byte",
	  .flags = TCPSM_ACK, .ext = TP_HBH | TP_RT | TP_DST, .cut = 35,
	  .res = TCPSM_PARSE_BAD_EXTHDR },
	{ .desc = "extension header longer than the packet",
	  .flags = TCPSM_ACK, .ext = TP_HBH | TP_RT | TP_DST, .cut = 32,
	  .res = TCPSM_PARSE_BAD_EXTHDR },
	{ .desc = "extension header past payload_len",
	  .flags = TCPSM_ACK, .ext = TP_HBH | TP_RT | TP_DST, .iplen = -32,
	  .res = TCPSM_PARSE_BAD_EXTHDR },
};

KUNIT_ARRAY_PARAM_DESC(tp_ipv4, tp_ipv4_specs, desc);
KUNIT_ARRAY_PARAM_DESC(tp_ipv6, tp_ipv6_specs, desc);

static void tcpsm_parse_ipv4_packet(struct kunit *test)
{
	const struct tp_spec *s = test->param_value;
	struct tp_spec v4 = *s;

	v4.family = AF_INET;
	tp_check_spec(test, &v4);
}

static void tcpsm_parse_ipv6_packet(struct kunit *test)
{
	const struct tp_spec *s = test->param_value;
	struct tp_spec v6 = *s;

	v6.family = AF_INET6;
	tp_check_spec(test, &v6);
}

/* Every field of a linear IPv4 SYN, and the rest of the addresses zeroed */
static void tcpsm_parse_ipv4_fields(struct kunit *test)
{
	static const struct tp_spec s = {
		.family = AF_INET, .flags = TCPSM_SYN,
		.opt = TP_OPT_LINUX(7), .optlen = 20,
	};
	u8 *pkt = kunit_kzalloc(test, TP_BUF, GFP_KERNEL);
	struct sk_buff *skb;
	struct tcpsm_pkt p;
	unsigned int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pkt);
	len = tp_build(&s, pkt);
	skb = tp_skb(test, &s, pkt, len, len);
	tp_expect_result(test, tp_parse(skb, AF_INET, &p), TCPSM_PARSE_OK);
	tp_expect_common(test, &s, &p);
	KUNIT_EXPECT_EQ(test, p.family, AF_INET);
	KUNIT_EXPECT_EQ(test, ntohl(p.saddr.ip), TP_V4_SRC);
	KUNIT_EXPECT_EQ(test, ntohl(p.daddr.ip), TP_V4_DST);
	KUNIT_EXPECT_EQ(test, p.saddr.all[1] | p.saddr.all[2] | p.saddr.all[3], 0);
	KUNIT_EXPECT_EQ(test, p.daddr.all[1] | p.daddr.all[2] | p.daddr.all[3], 0);
	KUNIT_EXPECT_EQ(test, p.seg.flags, TCPSM_SYN);
	KUNIT_EXPECT_EQ(test, p.seg.len, 0);
	KUNIT_EXPECT_EQ(test, p.seg.wscale, 7);
}

/* Every field of a linear IPv6 SYN */
static void tcpsm_parse_ipv6_fields(struct kunit *test)
{
	static const struct tp_spec s = {
		.family = AF_INET6, .flags = TCPSM_SYN | TCPSM_ACK,
		.opt = TP_OPT_LINUX(3), .optlen = 20, .data = 5,
	};
	u8 *pkt = kunit_kzalloc(test, TP_BUF, GFP_KERNEL);
	struct sk_buff *skb;
	struct tcpsm_pkt p;
	unsigned int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pkt);
	len = tp_build(&s, pkt);
	skb = tp_skb(test, &s, pkt, len, len);
	tp_expect_result(test, tp_parse(skb, AF_INET6, &p), TCPSM_PARSE_OK);
	tp_expect_common(test, &s, &p);
	KUNIT_EXPECT_EQ(test, p.family, AF_INET6);
	KUNIT_EXPECT_MEMEQ(test, &p.saddr.in6, &tp_v6_src, sizeof(tp_v6_src));
	KUNIT_EXPECT_MEMEQ(test, &p.daddr.in6, &tp_v6_dst, sizeof(tp_v6_dst));
	KUNIT_EXPECT_EQ(test, p.seg.flags, TCPSM_SYN | TCPSM_ACK);
	KUNIT_EXPECT_EQ(test, p.seg.len, 5);
	KUNIT_EXPECT_EQ(test, p.seg.wscale, 3);
}

static const struct tp_spec tp_paged_specs[] = {
	{ .desc = "ipv4 syn, ip and tcp options, data",
	  .family = AF_INET, .flags = TCPSM_SYN, .ipopt = 8,
	  .opt = TP_OPT_LINUX(7), .optlen = 20, .data = 30 },
	{ .desc = "ipv4 ack behind a mac header",
	  .family = AF_INET, .flags = TCPSM_ACK, .mac = 14, .data = 100 },
	{ .desc = "ipv4 syn with an option past the end",
	  .family = AF_INET, .flags = TCPSM_SYN,
	  .opt = { [0 ... 35] = 1, 1, 1, 8, 10 }, .optlen = 40,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "ipv4 doff past the end",
	  .family = AF_INET, .flags = TCPSM_ACK, .doff = TP_DOFF(15),
	  .data = 39, .res = TCPSM_PARSE_BAD_DOFF },
	{ .desc = "ipv6 syn after extension headers",
	  .family = AF_INET6, .flags = TCPSM_SYN, .ext = TP_HBH | TP_RT | TP_DST,
	  .opt = TP_OPT_LINUX(7), .optlen = 20, .data = 30 },
	{ .desc = "ipv6 later fragment",
	  .family = AF_INET6, .flags = TCPSM_ACK, .ext = TP_HBH | TP_FRAG,
	  .frag = 185 << 3, .data = 16, .res = TCPSM_PARSE_FRAGMENT },
	{ .desc = "ipv6 udp after extension headers",
	  .family = AF_INET6, .proto = IPPROTO_UDP, .ext = TP_HBH | TP_DST,
	  .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "ipv6 extension header past payload_len",
	  .family = AF_INET6, .flags = TCPSM_ACK, .ext = TP_HBH | TP_RT | TP_DST,
	  .iplen = -32, .res = TCPSM_PARSE_BAD_EXTHDR },
};

KUNIT_ARRAY_PARAM_DESC(tp_paged, tp_paged_specs, desc);

/*
 * Split the packet at every byte between the skb's head and a page frag: the
 * result and every field must be the linear skb's.
 */
static void tcpsm_parse_paged_same_as_linear(struct kunit *test)
{
	const struct tp_spec *s = test->param_value;
	u8 *pkt = kunit_kzalloc(test, TP_BUF, GFP_KERNEL);
	enum tcpsm_parse_result want, got;
	struct tcpsm_pkt lin, pg;
	struct sk_buff *skb;
	unsigned int len, k;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pkt);
	len = tp_build(s, pkt);
	skb = tp_skb(test, s, pkt, len, len);
	want = tp_parse(skb, s->family, &lin);
	tp_expect_result(test, want, s->res);

	for (k = 0; k < len; k++) {
		skb = tp_skb(test, s, pkt, len, k);
		KUNIT_ASSERT_TRUE(test, skb_is_nonlinear(skb));
		got = tp_parse(skb, s->family, &pg);
		tp_expect_unchanged(test, skb, pkt, len);
		kunit_release_action(test, tp_kfree_skb, skb);
		KUNIT_EXPECT_EQ_MSG(test, got, want, "split at %u", k);
		if (got != TCPSM_PARSE_OK || want != TCPSM_PARSE_OK)
			continue;
		KUNIT_EXPECT_MEMEQ_MSG(test, &pg.saddr, &lin.saddr,
				       sizeof(lin.saddr), "split at %u", k);
		KUNIT_EXPECT_MEMEQ_MSG(test, &pg.daddr, &lin.daddr,
				       sizeof(lin.daddr), "split at %u", k);
		KUNIT_EXPECT_EQ_MSG(test, pg.sport, lin.sport, "split at %u", k);
		KUNIT_EXPECT_EQ_MSG(test, pg.dport, lin.dport, "split at %u", k);
		KUNIT_EXPECT_EQ_MSG(test, pg.family, lin.family, "split at %u", k);
		KUNIT_EXPECT_MEMEQ_MSG(test, &pg.seg, &lin.seg, sizeof(lin.seg),
				       "split at %u", k);
	}
}

struct tp_opt_spec {
	const char *desc;
	u8 opt[TP_OPTMAX];
	u8 len;
	enum tcpsm_parse_result res;
	u16 ws;			/* expected seg.wscale, TP_WS(n) or 0 */
	u8 opts;		/* expected TCPSM_SEG_FASTOPEN */
};

static const struct tp_opt_spec tp_opt_specs[] = {
	{ .desc = "empty" },
	{ .desc = "end of options only", .opt = { 0 }, .len = 1 },
	{ .desc = "nops only", .opt = { 1, 1, 1, 1 }, .len = 4 },
	{ .desc = "wscale 7", .opt = { 3, 3, 7 }, .len = 3, .ws = TP_WS(7) },
	{ .desc = "wscale 0", .opt = { 3, 3, 0 }, .len = 3, .ws = TP_WS(0) },
	{ .desc = "wscale 14", .opt = { 3, 3, 14 }, .len = 3, .ws = TP_WS(14) },
	{ .desc = "wscale 15 clamped to 14", .opt = { 3, 3, 15 }, .len = 3,
	  .ws = TP_WS(14) },
	{ .desc = "wscale 255 clamped to 14", .opt = { 3, 3, 255 }, .len = 3,
	  .ws = TP_WS(14) },
	{ .desc = "linux syn options", .opt = TP_OPT_LINUX(9), .len = 20,
	  .ws = TP_WS(9) },
	{ .desc = "wscale with length 4 ignored", .opt = { 3, 4, 7, 0 },
	  .len = 4 },
	{ .desc = "wscale with length 2 ignored", .opt = { 3, 2 }, .len = 2 },
	{ .desc = "unknown kind skipped", .opt = { 253, 4, 0xf9, 0x89, 3, 3, 5 },
	  .len = 7, .ws = TP_WS(5) },
	{ .desc = "fast open cookie request", .opt = { 34, 2 }, .len = 2,
	  .opts = TCPSM_SEG_FASTOPEN },
	{ .desc = "fast open cookie", .opt = { 1, 1, 34, 10, [4 ... 11] = 0xab },
	  .len = 12, .opts = TCPSM_SEG_FASTOPEN },
	{ .desc = "experimental fast open", .opt = { 254, 4, 0xf9, 0x89, 3, 3, 5 },
	  .len = 7, .ws = TP_WS(5), .opts = TCPSM_SEG_FASTOPEN },
	{ .desc = "experimental option of another magic", .opt = { 254, 4, 0xf9, 0x88 },
	  .len = 4 },
	{ .desc = "wscale after end of options ignored",
	  .opt = { 0, 3, 3, 7 }, .len = 4 },
	{ .desc = "garbage after end of options ignored",
	  .opt = { 1, 0, 8, 0 }, .len = 4 },
	{ .desc = "40 bytes, wscale last", .opt = { [0 ... 36] = 1, 3, 3, 6 },
	  .len = 40, .ws = TP_WS(6) },
	{ .desc = "40 nops", .opt = { [0 ... 39] = 1 }, .len = 40 },
	{ .desc = "length 0", .opt = { 8, 0 }, .len = 2,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "length 1", .opt = { 8, 1, 0, 0 }, .len = 4,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "length past the end", .opt = { 8, 10, 0, 0 }, .len = 4,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "kind without its length byte", .opt = { 1, 8 }, .len = 2,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "wscale cut short", .opt = { 1, 3, 3 }, .len = 3,
	  .res = TCPSM_PARSE_BAD_OPT },
	{ .desc = "bad option after a wscale", .opt = { 3, 3, 7, 8, 0 },
	  .len = 5, .res = TCPSM_PARSE_BAD_OPT },
};

KUNIT_ARRAY_PARAM_DESC(tp_opt, tp_opt_specs, desc);

/*
 * The options are copied to a buffer of exactly their length, so that KASAN
 * reports a read past it.
 */
static void tcpsm_parse_options_walk(struct kunit *test)
{
	const struct tp_opt_spec *s = test->param_value;
	struct tcpsm_seg seg = { .wscale = 0x42 };
	enum tcpsm_parse_result r;
	u8 *opt;

	opt = kunit_kmalloc(test, s->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, opt);
	memcpy(opt, s->opt, s->len);
	r = tcpsm_parse_options(opt, s->len, &seg);
	tp_expect_result(test, r, s->res);
	KUNIT_EXPECT_EQ(test, seg.wscale, s->ws ? (u8)s->ws : TCPSM_NO_WSCALE);
	KUNIT_EXPECT_EQ(test, seg.opts & TCPSM_SEG_FASTOPEN, s->opts);
}

/*
 * ICMP errors: an outer header from the router (TP_V4_DST's side), the ICMP
 * header, and the quoted packet: the segment TP_V4_SRC sent, with @quoted
 * bytes of its TCP header.
 */
struct tp_icmp_spec {
	const char *desc;
	u8 family;
	u8 type;
	u8 code;
	u8 proto;		/* the quoted packet's, 0: TCP */
	u8 quoted;		/* bytes of its TCP header, 0: 20 */
	enum tcpsm_parse_result res;
	u8 icmp;		/* enum tcpsm_icmp_class, when res is ICMP */
};

#define TP_ICMP(d, f, t, c, r, cl) { .desc = d, .family = f, .type = t, .code = c, \
	.res = TCPSM_PARSE_##r, .icmp = TCPSM_ICMP_##cl }

static const struct tp_icmp_spec tp_icmp_specs[] = {
	TP_ICMP("host unreachable", AF_INET, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, ICMP, FATAL),
	TP_ICMP("net unreachable", AF_INET, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, ICMP, FATAL),
	TP_ICMP("port unreachable", AF_INET, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, ICMP, ERROR),
	TP_ICMP("admin prohibited", AF_INET, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, ICMP, ERROR),
	TP_ICMP("fragmentation needed", AF_INET, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, NOT_TCP,
		NONE),
	TP_ICMP("unreachable, unknown code", AF_INET, ICMP_DEST_UNREACH, NR_ICMP_UNREACH + 1,
		NOT_TCP, NONE),
	TP_ICMP("time exceeded", AF_INET, ICMP_TIME_EXCEEDED, 0, ICMP, FATAL),
	TP_ICMP("parameter problem", AF_INET, ICMP_PARAMETERPROB, 0, ICMP, FATAL),
	TP_ICMP("source quench", AF_INET, ICMP_SOURCE_QUENCH, 0, NOT_TCP, NONE),
	TP_ICMP("echo reply", AF_INET, ICMP_ECHOREPLY, 0, NOT_TCP, NONE),
	{ .desc = "unreachable quoting UDP", .family = AF_INET, .type = ICMP_DEST_UNREACH,
	  .code = ICMP_HOST_UNREACH, .proto = IPPROTO_UDP, .res = TCPSM_PARSE_NOT_TCP },
	{ .desc = "unreachable quoting 4 bytes of TCP", .family = AF_INET,
	  .type = ICMP_DEST_UNREACH, .code = ICMP_HOST_UNREACH, .quoted = 4,
	  .res = TCPSM_PARSE_BAD_ICMP },
	{ .desc = "unreachable quoting 8 bytes of TCP", .family = AF_INET,
	  .type = ICMP_DEST_UNREACH, .code = ICMP_HOST_UNREACH, .quoted = 8,
	  .res = TCPSM_PARSE_ICMP, .icmp = TCPSM_ICMP_FATAL },
	TP_ICMP("v6 no route", AF_INET6, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE, ICMP, ERROR),
	TP_ICMP("v6 address unreachable", AF_INET6, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH,
		ICMP, ERROR),
	TP_ICMP("v6 port unreachable", AF_INET6, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH,
		ICMP, FATAL),
	TP_ICMP("v6 admin prohibited", AF_INET6, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED,
		ICMP, FATAL),
	TP_ICMP("v6 time exceeded", AF_INET6, ICMPV6_TIME_EXCEED, 0, ICMP, ERROR),
	TP_ICMP("v6 parameter problem", AF_INET6, ICMPV6_PARAMPROB, 0, ICMP, FATAL),
	TP_ICMP("v6 packet too big", AF_INET6, ICMPV6_PKT_TOOBIG, 0, NOT_TCP, NONE),
	TP_ICMP("v6 echo request", AF_INET6, ICMPV6_ECHO_REQUEST, 0, NOT_TCP, NONE),
	{ .desc = "v6 unreachable quoting 4 bytes of TCP", .family = AF_INET6,
	  .type = ICMPV6_DEST_UNREACH, .code = ICMPV6_NOROUTE, .quoted = 4,
	  .res = TCPSM_PARSE_BAD_ICMP },
};

static void tp_icmp_desc(const struct tp_icmp_spec *s, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", s->desc);
}

KUNIT_ARRAY_PARAM(tp_icmp, tp_icmp_specs, tp_icmp_desc);

/* Write @s's packet to @buf (TP_BUF bytes, zeroed); returns its length. */
static unsigned int tp_icmp_build(const struct tp_icmp_spec *s, u8 *buf)
{
	unsigned int off, qlen = s->quoted ? s->quoted : sizeof(struct tcphdr);
	u8 proto = s->proto ? s->proto : IPPROTO_TCP;
	struct tcphdr th = {
		.source = htons(TP_SPORT), .dest = htons(TP_DPORT), .seq = htonl(TP_SEQ),
		.doff = 5, .ack = 1,
	};

	if (s->family == AF_INET) {
		struct iphdr *o = (struct iphdr *)buf, *q;

		o->version = 4;
		o->ihl = 5;
		o->ttl = 64;
		o->protocol = IPPROTO_ICMP;
		o->saddr = htonl(TP_V4_DST);
		o->daddr = htonl(TP_V4_SRC);
		buf[20] = s->type;
		buf[21] = s->code;
		q = (struct iphdr *)(buf + 28);
		q->version = 4;
		q->ihl = 5;
		q->ttl = 64;
		q->protocol = proto;
		q->saddr = htonl(TP_V4_SRC);
		q->daddr = htonl(TP_V4_DST);
		off = 48;
		q->tot_len = htons(20 + sizeof(th));
		memcpy(buf + off, &th, qlen);
		o->tot_len = htons(off + qlen);
		return off + qlen;
	}
	{
		struct ipv6hdr *o = (struct ipv6hdr *)buf, *q;

		o->version = 6;
		o->hop_limit = 64;
		o->nexthdr = IPPROTO_ICMPV6;
		o->saddr = tp_v6_dst;
		o->daddr = tp_v6_src;
		buf[40] = s->type;
		buf[41] = s->code;
		q = (struct ipv6hdr *)(buf + 48);
		q->version = 6;
		q->hop_limit = 64;
		q->nexthdr = proto;
		q->saddr = tp_v6_src;
		q->daddr = tp_v6_dst;
		q->payload_len = htons(sizeof(th));
		off = 88;
		memcpy(buf + off, &th, qlen);
		o->payload_len = htons(off + qlen - 40);
		return off + qlen;
	}
}

static void tcpsm_parse_icmp_error(struct kunit *test)
{
	const struct tp_icmp_spec *s = test->param_value;
	const struct tp_spec shape = { .family = s->family };
	enum tcpsm_parse_result r;
	struct sk_buff *skb;
	struct tcpsm_pkt p;
	unsigned int len;
	u8 *buf;

	buf = kunit_kzalloc(test, TP_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = tp_icmp_build(s, buf);
	skb = tp_skb(test, &shape, buf, len, len);
	r = tp_parse(skb, s->family, &p);
	KUNIT_EXPECT_EQ_MSG(test, r, s->res, "%s, expected %s", tcpsm_parse_result_name(r),
			    tcpsm_parse_result_name(s->res));
	if (r != TCPSM_PARSE_ICMP || s->res != TCPSM_PARSE_ICMP)
		return;
	/* the quoted segment, its sender first */
	KUNIT_EXPECT_EQ(test, p.icmp, s->icmp);
	KUNIT_EXPECT_EQ(test, p.family, s->family);
	KUNIT_EXPECT_EQ(test, ntohs(p.sport), TP_SPORT);
	KUNIT_EXPECT_EQ(test, ntohs(p.dport), TP_DPORT);
	KUNIT_EXPECT_EQ(test, p.seg.seq, TP_SEQ);
	if (s->family == AF_INET) {
		KUNIT_EXPECT_EQ(test, ntohl(p.saddr.ip), TP_V4_SRC);
		KUNIT_EXPECT_EQ(test, ntohl(p.daddr.ip), TP_V4_DST);
	} else {
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&p.saddr.in6, &tp_v6_src));
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&p.daddr.in6, &tp_v6_dst));
	}
}

/* A TCP segment parses as no ICMP error. */
static void tcpsm_parse_tcp_is_no_icmp(struct kunit *test)
{
	const struct tp_spec spec = { .family = AF_INET, .flags = TCPSM_ACK };
	struct sk_buff *skb;
	struct tcpsm_pkt p;
	unsigned int len;
	u8 *buf;

	buf = kunit_kzalloc(test, TP_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = tp_build(&spec, buf);
	skb = tp_skb(test, &spec, buf, len, len);
	KUNIT_ASSERT_EQ(test, tp_parse(skb, AF_INET, &p), TCPSM_PARSE_OK);
	KUNIT_EXPECT_EQ(test, p.icmp, TCPSM_ICMP_NONE);
}

static void tcpsm_parse_result_name_each(struct kunit *test)
{
	static const char * const want[] = {
		[TCPSM_PARSE_OK] = "ok",
		[TCPSM_PARSE_NOT_TCP] = "not_tcp",
		[TCPSM_PARSE_FRAGMENT] = "fragment",
		[TCPSM_PARSE_TRUNC_IP] = "trunc_ip",
		[TCPSM_PARSE_TRUNC_TCP] = "trunc_tcp",
		[TCPSM_PARSE_BAD_DOFF] = "bad_doff",
		[TCPSM_PARSE_BAD_OPT] = "bad_opt",
		[TCPSM_PARSE_BAD_EXTHDR] = "bad_exthdr",
		[TCPSM_PARSE_BAD_ICMP] = "bad_icmp",
		[TCPSM_PARSE_ICMP] = "icmp",
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(want), __TCPSM_PARSE_MAX);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_STREQ(test, tcpsm_parse_result_name(i), want[i]);
}

static void tcpsm_parse_result_name_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, tcpsm_parse_result_name(__TCPSM_PARSE_MAX), "?");
	KUNIT_EXPECT_STREQ(test, tcpsm_parse_result_name(-1), "?");
}

static struct kunit_case tcpsm_parse_test_cases[] = {
	KUNIT_CASE(tcpsm_parse_ipv4_fields),
	KUNIT_CASE(tcpsm_parse_ipv6_fields),
	KUNIT_CASE_PARAM(tcpsm_parse_ipv4_packet, tp_ipv4_gen_params),
	KUNIT_CASE_PARAM(tcpsm_parse_ipv6_packet, tp_ipv6_gen_params),
	KUNIT_CASE_PARAM(tcpsm_parse_paged_same_as_linear, tp_paged_gen_params),
	KUNIT_CASE_PARAM(tcpsm_parse_options_walk, tp_opt_gen_params),
	KUNIT_CASE_PARAM(tcpsm_parse_icmp_error, tp_icmp_gen_params),
	KUNIT_CASE(tcpsm_parse_tcp_is_no_icmp),
	KUNIT_CASE(tcpsm_parse_result_name_each),
	KUNIT_CASE(tcpsm_parse_result_name_out_of_range),
	{}
};

static struct kunit_suite tcpsm_parse_test_suite = {
	.name = "tcpsm_parse",
	.test_cases = tcpsm_parse_test_cases,
};

kunit_test_suite(tcpsm_parse_test_suite);
