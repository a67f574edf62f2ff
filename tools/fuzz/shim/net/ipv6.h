/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What module/parse.c takes from the kernel's net/ipv6.h: extension header
 * numbers, the fragment header, ipv6_ext_hdr() and ipv6_skip_exthdr()
 * (implemented in shim.c with the kernel's documented behaviour).
 */
#ifndef _TCPSM_SHIM_NET_IPV6_H
#define _TCPSM_SHIM_NET_IPV6_H

#include <linux/ipv6.h>
#include <linux/skbuff.h>

#define NEXTHDR_HOP		0
#define NEXTHDR_TCP		6
#define NEXTHDR_ROUTING		43
#define NEXTHDR_FRAGMENT	44
#define NEXTHDR_AUTH		51
#define NEXTHDR_NONE		59
#define NEXTHDR_DEST		60

#define IP6_MF		0x0001
#define IP6_OFFSET	0xFFF8

struct frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 identification;
};

bool ipv6_ext_hdr(u8 nexthdr);
int ipv6_skip_exthdr(const struct sk_buff *skb, int start, u8 *nexthdrp,
		     __be16 *frag_offp);

#endif /* _TCPSM_SHIM_NET_IPV6_H */
