/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of the kernel's sk_buff API that module/parse.c uses, for the
 * user-space fuzzer and tcpsm-replay: a packet of @len bytes whose first @headlen are linear
 * (returned in place by skb_header_pointer()) and the rest "paged" (copied
 * into the caller's buffer), as the kernel's skb_header_pointer() does.
 */
#ifndef _TCPSM_SHIM_SKBUFF_H
#define _TCPSM_SHIM_SKBUFF_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include "fsm_types.h"

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

/* the C library's <arpa/inet.h> may have them already */
#ifndef htons
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define htons(x)	((__u16)__builtin_bswap16((__u16)(x)))
#define htonl(x)	((__u32)__builtin_bswap32((__u32)(x)))
#else
#define htons(x)	((__u16)(x))
#define htonl(x)	((__u32)(x))
#endif
#define ntohs(x)	htons(x)
#define ntohl(x)	htonl(x)
#endif

struct sk_buff {
	const unsigned char *data;
	unsigned int len;	/* bytes in all */
	unsigned int headlen;	/* of which linear */
	int network_offset;
	bool gso_tcp;		/* a TCP GSO packet (BIG TCP may zero the length) */
	/*
	 * tcpsm-replay: a capture whose snap length kept only @snap bytes
	 * (0: all of them). A read past them gets NULL and sets *@cut.
	 */
	unsigned int snap;
	bool *cut;
};

void *skb_header_pointer(const struct sk_buff *skb, int offset, int len,
			 void *buffer);

static inline int skb_network_offset(const struct sk_buff *skb)
{
	return skb->network_offset;
}

static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb->gso_tcp;
}

static inline bool skb_is_gso_tcp(const struct sk_buff *skb)
{
	return skb->gso_tcp;
}

#endif /* _TCPSM_SHIM_SKBUFF_H */
