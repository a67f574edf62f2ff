// SPDX-License-Identifier: GPL-2.0
/*
 * From an sk_buff to a struct tcpsm_pkt (see parse.h), and from that to the
 * key of its connection.
 *
 * Runs in the netfilter hooks, in atomic context, for every packet: it never
 * sleeps, allocates or writes to the skb, and reads every header through
 * skb_header_pointer() from skb_network_offset(), so paged and cloned skbs
 * are read as they are. A linear IPv4 or IPv6 TCP segment costs two header
 * reads (three for a SYN with options); everything else is a cold path.
 *
 * The checks run in this order, and the first that fails gives the result:
 *   1. the fixed IP header is readable and of the right version, else
 *      TRUNC_IP;
 *   2. the packet carries TCP (or ICMP), else NOT_TCP whatever else is wrong with it
 *      (IPv6: the extension header chain is walked to find out; a chain that
 *      cannot be walked is BAD_EXTHDR);
 *   3. the IP length fields agree with the skb, else TRUNC_IP. Bytes beyond
 *      the IP length (link-layer padding) are ignored;
 *   4. the packet is not a fragment, else FRAGMENT: the payload length of a
 *      fragment says nothing about the segment, so even a first fragment
 *      with a complete TCP header is not parsed;
 *   4a. an ICMP or ICMPv6 error (not a fragment) quoting a TCP segment
 *      is ICMP, with the quoted segment's addresses, ports and sequence
 *      number, or BAD_ICMP if fewer than 8 bytes of its TCP header are
 *      quoted; any other ICMP is NOT_TCP;
 *   5. the TCP header fits (TRUNC_TCP), its data offset is sane (BAD_DOFF)
 *      and, on a SYN only, its options are well-formed (BAD_OPT).
 *
 * On any result but TCPSM_PARSE_OK, @p is partly written and meaningless.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/minmax.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "parse.h"

/* TCP option kinds and lengths (RFC 9293 3.2, RFC 7323 2.2) */
#define TCPSM_OPT_EOL		0
#define TCPSM_OPT_NOP		1
#define TCPSM_OPT_WSCALE	3
#define TCPSM_OPTLEN_WSCALE	3
#define TCPSM_OPT_TS		8
#define TCPSM_OPTLEN_TS		10
#define TCPSM_OPT_FASTOPEN	34
/* the experimental option Linux still accepts: kind 254, magic 0xf989 */
#define TCPSM_OPT_EXP		254
#define TCPSM_EXP_FASTOPEN	0xf989
/* NOP, NOP, timestamp: the layout Linux and most stacks send (RFC 7323 A) */
#define TCPSM_TS_ALIGNED	((TCPSM_OPT_NOP << 24) | (TCPSM_OPT_NOP << 16) | \
				 (TCPSM_OPT_TS << 8) | TCPSM_OPTLEN_TS)
#define TCPSM_OPT_SPACE		40	/* 15 * 4 - sizeof(struct tcphdr) */

/* The flags byte of the TCP header, as fsm.h's TCPSM_FIN ... TCPSM_URG */
#define TCPSM_FLAGS_BYTE	13
#define TCPSM_FLAGS_MASK	(TCPSM_FIN | TCPSM_SYN | TCPSM_RST | \
				 TCPSM_PSH | TCPSM_ACK | TCPSM_URG)

enum tcpsm_parse_result tcpsm_parse_options(const u8 *opt, unsigned int len,
					    struct tcpsm_seg *seg)
{
	u8 wscale = TCPSM_NO_WSCALE;
	unsigned int i = 0;

	seg->wscale = TCPSM_NO_WSCALE;
	seg->opts &= ~(TCPSM_SEG_TS | TCPSM_SEG_FASTOPEN);
	while (i < len) {
		unsigned int olen;

		if (opt[i] == TCPSM_OPT_EOL)
			break;
		if (opt[i] == TCPSM_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return TCPSM_PARSE_BAD_OPT;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return TCPSM_PARSE_BAD_OPT;
		/* RFC 7323 2.3: a shift above 14 is used as 14 */
		if (opt[i] == TCPSM_OPT_WSCALE && olen == TCPSM_OPTLEN_WSCALE)
			wscale = min_t(u8, opt[i + 2], TCPSM_MAX_WSCALE);
		if (opt[i] == TCPSM_OPT_TS && olen == TCPSM_OPTLEN_TS) {
			seg->tsval = (u32)opt[i + 2] << 24 | (u32)opt[i + 3] << 16 |
				     (u32)opt[i + 4] << 8 | opt[i + 5];
			seg->opts |= TCPSM_SEG_TS;
		}
		if (opt[i] == TCPSM_OPT_FASTOPEN ||
		    (opt[i] == TCPSM_OPT_EXP && olen >= 4 &&
		     (opt[i + 2] << 8 | opt[i + 3]) == TCPSM_EXP_FASTOPEN))
			seg->opts |= TCPSM_SEG_FASTOPEN;
		i += olen;
	}
	seg->wscale = wscale;
	return TCPSM_PARSE_OK;
}

/*
 * The TCP header at @thoff, in an IP payload that ends at @end (offsets from
 * skb->data). Fills p->sport, p->dport and p->seg.
 */
static enum tcpsm_parse_result tcpsm_parse_tcp(const struct sk_buff *skb,
					       int thoff, int end,
					       struct tcpsm_pkt *p)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	int thlen, optlen;
	u8 flags;

	if (unlikely(end - thoff < (int)sizeof(_th)))
		return TCPSM_PARSE_TRUNC_TCP;
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (unlikely(!th))
		return TCPSM_PARSE_TRUNC_TCP;
	thlen = th->doff * 4;
	if (unlikely(thlen < (int)sizeof(_th) || thlen > end - thoff))
		return TCPSM_PARSE_BAD_DOFF;

	flags = ((const u8 *)th)[TCPSM_FLAGS_BYTE] & TCPSM_FLAGS_MASK;
	p->sport = th->source;
	p->dport = th->dest;
	p->seg.seq = ntohl(th->seq);
	p->seg.ack = ntohl(th->ack_seq);
	p->seg.len = end - thoff - thlen;
	p->seg.win = ntohs(th->window);
	p->seg.flags = flags;
	p->seg.wscale = TCPSM_NO_WSCALE;
	p->seg.from = 0;
	p->seg.move = 0;
	p->seg.opts = 0;
	p->icmp = TCPSM_ICMP_NONE;

	/*
	 * A SYN's options are walked in full: they carry the window scale.
	 * Other segments' timestamp is read where Linux's fast path reads
	 * it, first and aligned; elsewhere it is not looked for.
	 */
	optlen = thlen - sizeof(_th);
	if (unlikely(flags & TCPSM_SYN) && optlen) {
		u8 _opt[TCPSM_OPT_SPACE];
		const u8 *opt;

		opt = skb_header_pointer(skb, thoff + sizeof(_th), optlen, _opt);
		if (unlikely(!opt))
			return TCPSM_PARSE_TRUNC_TCP;
		return tcpsm_parse_options(opt, optlen, &p->seg);
	}
	if (optlen >= TCPSM_OPTLEN_TS + 2) {
		__be32 _ts[2];
		const __be32 *ts;

		ts = skb_header_pointer(skb, thoff + sizeof(_th), sizeof(_ts), _ts);
		if (likely(ts) && ts[0] == htonl(TCPSM_TS_ALIGNED)) {
			p->seg.tsval = ntohl(ts[1]);
			p->seg.opts = TCPSM_SEG_TS;
		}
	}
	return TCPSM_PARSE_OK;
}

static void tcpsm_addr_set_ip(union tcpsm_addr *a, __be32 ip)
{
	a->all[0] = ip;
	a->all[1] = 0;
	a->all[2] = 0;
	a->all[3] = 0;
}

/*
 * The first 8 bytes of the TCP header an ICMP error quotes at @off, before
 * @end: ports and sequence number, all RFC 792 promises and all TCP's error
 * handlers read.
 */
static enum tcpsm_parse_result tcpsm_parse_quoted_tcp(const struct sk_buff *skb, int off,
						      int end, struct tcpsm_pkt *p)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	if (end - off < 8)
		return TCPSM_PARSE_BAD_ICMP;
	th = skb_header_pointer(skb, off, 8, &_th);
	if (!th)
		return TCPSM_PARSE_BAD_ICMP;
	p->sport = th->source;
	p->dport = th->dest;
	p->seg = (struct tcpsm_seg){ .seq = ntohl(th->seq), .wscale = TCPSM_NO_WSCALE };
	return TCPSM_PARSE_ICMP;
}

/* tcp_v4_err(): which ICMP errors TCP acts on, and how. */
static u8 tcpsm_icmp_class(u8 type, u8 code)
{
	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH || code == ICMP_FRAG_NEEDED)
			return TCPSM_ICMP_NONE;	/* path MTU, not an error */
		return code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH ?
		       TCPSM_ICMP_FATAL : TCPSM_ICMP_ERROR;
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return TCPSM_ICMP_FATAL;
	default:
		return TCPSM_ICMP_NONE;	/* source quench, redirect, queries */
	}
}

/* The ICMP message at @off, in an IPv4 packet (not a fragment) ending at @end. */
static enum tcpsm_parse_result tcpsm_parse_icmp(const struct sk_buff *skb, int off,
						int end, struct tcpsm_pkt *p)
{
	const struct icmphdr *ih;
	const struct iphdr *qh;
	struct icmphdr _ih;
	struct iphdr _qh;

	if (end - off < (int)sizeof(_ih))
		return TCPSM_PARSE_NOT_TCP;
	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih)
		return TCPSM_PARSE_NOT_TCP;
	p->icmp = tcpsm_icmp_class(ih->type, ih->code);
	if (p->icmp == TCPSM_ICMP_NONE)
		return TCPSM_PARSE_NOT_TCP;
	off += sizeof(_ih);
	if (end - off < (int)sizeof(_qh))
		return TCPSM_PARSE_NOT_TCP;
	qh = skb_header_pointer(skb, off, sizeof(_qh), &_qh);
	if (!qh || qh->version != 4 || qh->ihl < 5 || qh->protocol != IPPROTO_TCP ||
	    (qh->frag_off & htons(IP_OFFSET)))
		return TCPSM_PARSE_NOT_TCP;
	p->family = AF_INET;
	tcpsm_addr_set_ip(&p->saddr, qh->saddr);
	tcpsm_addr_set_ip(&p->daddr, qh->daddr);
	return tcpsm_parse_quoted_tcp(skb, off + qh->ihl * 4, end, p);
}

enum tcpsm_parse_result tcpsm_parse_ipv4(const struct sk_buff *skb,
					 struct tcpsm_pkt *p)
{
	int noff = skb_network_offset(skb);
	int avail = (int)skb->len - noff;
	const struct iphdr *iph;
	struct iphdr _iph;
	int ihl, totlen;

	iph = skb_header_pointer(skb, noff, sizeof(_iph), &_iph);
	if (unlikely(!iph || iph->version != 4))
		return TCPSM_PARSE_TRUNC_IP;
	if (unlikely(iph->protocol != IPPROTO_TCP) && iph->protocol != IPPROTO_ICMP)
		return TCPSM_PARSE_NOT_TCP;

	ihl = iph->ihl * 4;
	totlen = ntohs(iph->tot_len);
	/*
	 * BIG TCP (Linux 6.3+) sends TCP GSO packets longer than 64 KiB with
	 * a zero tot_len: the packet is then the whole skb, as iph_totlen()
	 * says.
	 */
	if (unlikely(!totlen) && skb_is_gso(skb) && skb_is_gso_tcp(skb))
		totlen = avail;
	if (unlikely(ihl < (int)sizeof(_iph) || totlen < ihl || totlen > avail))
		return TCPSM_PARSE_TRUNC_IP;
	if (unlikely(iph->frag_off & htons(IP_MF | IP_OFFSET)))
		return iph->protocol == IPPROTO_TCP ? TCPSM_PARSE_FRAGMENT : TCPSM_PARSE_NOT_TCP;
	if (unlikely(iph->protocol == IPPROTO_ICMP))
		return tcpsm_parse_icmp(skb, noff + ihl, noff + totlen, p);

	p->family = AF_INET;
	tcpsm_addr_set_ip(&p->saddr, iph->saddr);
	tcpsm_addr_set_ip(&p->daddr, iph->daddr);
	return tcpsm_parse_tcp(skb, noff + ihl, noff + totlen, p);
}

/*
 * Walk the IPv6 extension headers from *@off, whose type is @nexthdr. On
 * TCPSM_PARSE_OK, *@off is the TCP header's offset and *@frag_off the
 * fragment header's offset and M flag (zero if there is none, or if it is an
 * atomic fragment, RFC 6946). A later fragment stops the walk at its
 * fragment header, whose next-header field says whether it may be TCP.
 *
 * "No next header" (59) is NOT_TCP as the first header, but BAD_EXTHDR
 * after extension headers, as ipv6_skip_exthdr() does not tell it apart.
 * ICMPv6 (not a later fragment) is TCPSM_PARSE_ICMP, for the caller to read.
 */
static enum tcpsm_parse_result tcpsm_ipv6_walk(const struct sk_buff *skb,
					       u8 nexthdr, int *off,
					       __be16 *frag_off)
{
	const struct frag_hdr *fh;
	struct frag_hdr _fh;
	int start;

	if (nexthdr == NEXTHDR_NONE)
		return TCPSM_PARSE_NOT_TCP;
	start = ipv6_skip_exthdr(skb, *off, &nexthdr, frag_off);
	if (start < 0)
		return TCPSM_PARSE_BAD_EXTHDR;
	*off = start;
	*frag_off &= htons(IP6_OFFSET | IP6_MF);
	if (!(*frag_off & htons(IP6_OFFSET)))
		return nexthdr == IPPROTO_TCP ? TCPSM_PARSE_OK :
		       nexthdr == IPPROTO_ICMPV6 ? TCPSM_PARSE_ICMP : TCPSM_PARSE_NOT_TCP;

	fh = skb_header_pointer(skb, start, sizeof(_fh), &_fh);
	if (!fh)
		return TCPSM_PARSE_BAD_EXTHDR;
	if (fh->nexthdr != IPPROTO_TCP && !ipv6_ext_hdr(fh->nexthdr))
		return TCPSM_PARSE_NOT_TCP;
	return TCPSM_PARSE_OK;
}

/* tcp_v6_err() and icmpv6_err_convert(): which errors TCP acts on, and how. */
static u8 tcpsm_icmpv6_class(u8 type, u8 code)
{
	switch (type) {
	case ICMPV6_DEST_UNREACH:
		return code == ICMPV6_ADM_PROHIBITED || code == ICMPV6_PORT_UNREACH ||
		       code == ICMPV6_POLICY_FAIL || code == ICMPV6_REJECT_ROUTE ?
		       TCPSM_ICMP_FATAL : TCPSM_ICMP_ERROR;
	case ICMPV6_PARAMPROB:
		return TCPSM_ICMP_FATAL;
	case ICMPV6_TIME_EXCEED:
		return TCPSM_ICMP_ERROR;
	default:
		return TCPSM_ICMP_NONE;	/* packet too big, redirect, queries */
	}
}

/* The ICMPv6 message at @off, in a packet ending at @end. */
static enum tcpsm_parse_result tcpsm_parse_icmpv6(const struct sk_buff *skb, int off,
						  int end, struct tcpsm_pkt *p)
{
	const struct ipv6hdr *qh;
	const struct icmp6hdr *ih;
	struct icmp6hdr _ih;
	struct ipv6hdr _qh;
	__be16 frag_off = 0;
	int qoff;

	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || end - off < (int)sizeof(_ih))
		return TCPSM_PARSE_NOT_TCP;
	p->icmp = tcpsm_icmpv6_class(ih->icmp6_type, ih->icmp6_code);
	if (p->icmp == TCPSM_ICMP_NONE)
		return TCPSM_PARSE_NOT_TCP;
	off += sizeof(_ih);
	qh = skb_header_pointer(skb, off, sizeof(_qh), &_qh);
	if (!qh || end - off < (int)sizeof(_qh) || qh->version != 6)
		return TCPSM_PARSE_NOT_TCP;
	qoff = off + sizeof(_qh);
	if (qh->nexthdr != IPPROTO_TCP &&
	    (tcpsm_ipv6_walk(skb, qh->nexthdr, &qoff, &frag_off) != TCPSM_PARSE_OK ||
	     (frag_off & htons(IP6_OFFSET)) || qoff > end))
		return TCPSM_PARSE_NOT_TCP;
	p->family = AF_INET6;
	p->saddr.in6 = qh->saddr;
	p->daddr.in6 = qh->daddr;
	return tcpsm_parse_quoted_tcp(skb, qoff, end, p);
}

enum tcpsm_parse_result tcpsm_parse_ipv6(const struct sk_buff *skb,
					 struct tcpsm_pkt *p)
{
	int noff = skb_network_offset(skb);
	int avail = (int)skb->len - noff;
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	enum tcpsm_parse_result r;
	int thoff, end;
	__be16 frag_off = 0;

	ip6h = skb_header_pointer(skb, noff, sizeof(_ip6h), &_ip6h);
	if (unlikely(!ip6h || ip6h->version != 6))
		return TCPSM_PARSE_TRUNC_IP;

	thoff = noff + sizeof(_ip6h);
	if (unlikely(ip6h->nexthdr != IPPROTO_TCP)) {
		r = tcpsm_ipv6_walk(skb, ip6h->nexthdr, &thoff, &frag_off);
		if (r == TCPSM_PARSE_ICMP)
			return frag_off ? TCPSM_PARSE_NOT_TCP :
			       tcpsm_parse_icmpv6(skb, thoff, noff + avail, p);
		if (r != TCPSM_PARSE_OK)
			return r;
	}

	/*
	 * A zero payload length is a jumbogram (RFC 2675; ip6_rcv_core() has
	 * checked its option and trimmed the skb) or a BIG TCP GSO packet
	 * (Linux 6.3+): either way the packet is the whole skb.
	 */
	end = ntohs(ip6h->payload_len);
	if (unlikely(!end))
		end = avail;
	else
		end += sizeof(_ip6h);
	if (unlikely(end > avail))
		return TCPSM_PARSE_TRUNC_IP;
	end += noff;
	if (unlikely(thoff > end))
		return TCPSM_PARSE_BAD_EXTHDR;
	if (unlikely(frag_off))
		return TCPSM_PARSE_FRAGMENT;

	p->family = AF_INET6;
	p->saddr.in6 = ip6h->saddr;
	p->daddr.in6 = ip6h->daddr;
	return tcpsm_parse_tcp(skb, thoff, end, p);
}

const char *tcpsm_parse_result_name(enum tcpsm_parse_result r)
{
	static const char * const names[] = {
		[TCPSM_PARSE_OK]		= "ok",
		[TCPSM_PARSE_NOT_TCP]		= "not_tcp",
		[TCPSM_PARSE_FRAGMENT]		= "fragment",
		[TCPSM_PARSE_TRUNC_IP]		= "trunc_ip",
		[TCPSM_PARSE_TRUNC_TCP]		= "trunc_tcp",
		[TCPSM_PARSE_BAD_DOFF]		= "bad_doff",
		[TCPSM_PARSE_BAD_OPT]		= "bad_opt",
		[TCPSM_PARSE_BAD_EXTHDR]	= "bad_exthdr",
		[TCPSM_PARSE_BAD_ICMP]		= "bad_icmp",
		[TCPSM_PARSE_ICMP]		= "icmp",
	};

	BUILD_BUG_ON(ARRAY_SIZE(names) != __TCPSM_PARSE_MAX);
	if ((unsigned int)r >= ARRAY_SIZE(names))
		return "?";
	return names[r];
}

/*
 * Lower (address, port) first: both directions of a connection build the
 * same key. *src_idx says which half is the packet's source.
 */
void tcpsm_key_make(struct tcpsm_key *key, const struct tcpsm_pkt *p, u8 *src_idx)
{
	int cmp = memcmp(&p->saddr, &p->daddr, sizeof(p->saddr));

	if (!cmp)
		cmp = ntohs(p->sport) < ntohs(p->dport) ? -1 :
		      ntohs(p->sport) > ntohs(p->dport);
	*src_idx = cmp > 0;
	key->addr[*src_idx] = p->saddr;
	key->port[*src_idx] = p->sport;
	key->addr[!*src_idx] = p->daddr;
	key->port[!*src_idx] = p->dport;
	key->family = p->family;
	memset(key->pad, 0, sizeof(key->pad));
	key->zone = p->zone;
}
