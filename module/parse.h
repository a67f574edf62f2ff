/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From an sk_buff to a struct tcpsm_pkt: the addresses and ports that key the
 * table, and the segment summary the state machine reads. Read-only on the
 * skb (skb_header_pointer), so non-linear and cloned skbs are fine and the
 * packet is never changed.
 */
#ifndef _TCPSM_PARSE_H
#define _TCPSM_PARSE_H

#include <linux/in6.h>
#include <linux/skbuff.h>
#include "fsm.h"

union tcpsm_addr {
	__be32 ip;
	struct in6_addr in6;
	__be32 all[4];	/* IPv4: all[0], the rest zero */
};

/*
 * An ICMP or ICMPv6 error quoting a TCP segment: what TCP makes of it
 * (tcp_v4_err(), tcp_v6_err()). Every error aborts a connection still in
 * SYN_SENT; only a fatal one also drops a request socket in SYN_RCVD; in
 * the synchronized states it is a soft error.
 */
enum tcpsm_icmp_class {
	TCPSM_ICMP_NONE,	/* not an ICMP error: a TCP segment */
	TCPSM_ICMP_ERROR,
	TCPSM_ICMP_FATAL,
};

/*
 * A TCP segment, or the segment an ICMP error quotes (@icmp set): then the
 * addresses and ports are the quoted segment's, its sender first, and only
 * seg.seq of the segment is known.
 */
struct tcpsm_pkt {
	union tcpsm_addr saddr;
	union tcpsm_addr daddr;
	__be16 sport;
	__be16 dport;
	u8 family;		/* AF_INET or AF_INET6 */
	u8 icmp;		/* enum tcpsm_icmp_class */
	bool raw;		/* the caller's: sent by a user's raw socket */
	/*
	 * The caller's: where the kernel's socket lookup scopes these
	 * addresses, 0 for everywhere: the interface of an IPv6 link-local
	 * address, else the VRF (L3 master device), as its ifindex.
	 */
	u32 zone;
	struct tcpsm_seg seg;	/* from and move are left for the caller */
};

/* Why a packet could not be read as a TCP segment, counted by kind. */
enum tcpsm_parse_result {
	TCPSM_PARSE_OK,
	TCPSM_PARSE_NOT_TCP,	/* another protocol: not ours, not counted */
	TCPSM_PARSE_FRAGMENT,	/* IP fragment (a later one, or a first one too short) */
	TCPSM_PARSE_TRUNC_IP,	/* IP header truncated or its length field wrong */
	TCPSM_PARSE_TRUNC_TCP,	/* TCP header does not fit in the packet */
	TCPSM_PARSE_BAD_DOFF,	/* data offset below 5 or past the packet's end */
	TCPSM_PARSE_BAD_OPT,	/* TCP option with a bad length */
	TCPSM_PARSE_BAD_EXTHDR,	/* IPv6 extension header chain unreadable */
	TCPSM_PARSE_BAD_ICMP,	/* ICMP error quoting too little of a TCP segment */
	TCPSM_PARSE_ICMP,	/* an ICMP error quoting a TCP segment: @p says which */
	__TCPSM_PARSE_MAX,
};

/*
 * Parse the IPv4 or IPv6 packet at skb_network_offset(@skb). Returns
 * TCPSM_PARSE_OK and fills @p, or the reason it could not.
 */
enum tcpsm_parse_result tcpsm_parse_ipv4(const struct sk_buff *skb,
					 struct tcpsm_pkt *p);
enum tcpsm_parse_result tcpsm_parse_ipv6(const struct sk_buff *skb,
					 struct tcpsm_pkt *p);

/*
 * The TCP options that matter (window scale; only on a SYN, and only when
 * well-formed). @opt points at @len bytes of options; returns TCPSM_PARSE_OK
 * or TCPSM_PARSE_BAD_OPT. Exposed for KUnit and the fuzzer.
 */
enum tcpsm_parse_result tcpsm_parse_options(const u8 *opt, unsigned int len,
					    struct tcpsm_seg *seg);

const char *tcpsm_parse_result_name(enum tcpsm_parse_result r);

/*
 * The key: the two (address, port) ends in a canonical order (lower first),
 * so both directions of a connection find the entry with one lookup, and
 * the zone the addresses mean something in (struct tcpsm_pkt).
 */
struct tcpsm_key {
	union tcpsm_addr addr[2];
	__be16 port[2];
	u8 family;
	u8 pad[3];
	u32 zone;
};

/* The key of @p's connection; *@src_idx: which half is @p's source. */
void tcpsm_key_make(struct tcpsm_key *key, const struct tcpsm_pkt *p, u8 *src_idx);

#endif /* _TCPSM_PARSE_H */
