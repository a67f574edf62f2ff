// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel functions module/parse.c calls, for the user-space fuzzer and
 * tcpsm-replay, with the behaviour the kernel documents for them. A read
 * before the network header or of a negative length is a bug in the
 * caller: it traps.
 */
#include <string.h>
#include <net/ipv6.h>

void *skb_header_pointer(const struct sk_buff *skb, int offset, int len,
			 void *buffer)
{
	if (offset < 0 || len < 0)
		__builtin_trap();
	/* bytes a capture's snap length cut off: the caller's headers are cut */
	if (skb->snap && ((unsigned int)offset > skb->snap ||
			  (unsigned int)len > skb->snap - (unsigned int)offset)) {
		if (skb->cut)
			*skb->cut = true;
		return NULL;
	}
	/* in the linear part: a pointer into the packet itself */
	if ((unsigned int)offset <= skb->headlen &&
	    (unsigned int)len <= skb->headlen - (unsigned int)offset)
		return (void *)(skb->data + offset);
	/* else copied out, if the packet holds that many bytes (skb_copy_bits) */
	if ((unsigned int)offset > skb->len ||
	    (unsigned int)len > skb->len - (unsigned int)offset)
		return NULL;
	memcpy(buffer, skb->data + offset, len);
	return buffer;
}

bool ipv6_ext_hdr(u8 nexthdr)
{
	switch (nexthdr) {
	case NEXTHDR_HOP:
	case NEXTHDR_ROUTING:
	case NEXTHDR_FRAGMENT:
	case NEXTHDR_AUTH:
	case NEXTHDR_NONE:
	case NEXTHDR_DEST:
		return true;
	}
	return false;
}

/*
 * Walk the extension headers from @start, the first of type *@nexthdrp; stop
 * at the first header that is not one (its type in *@nexthdrp, its offset
 * returned) or at a fragment header with a non-zero offset (returned, its
 * type in *@nexthdrp). *@frag_offp: the last fragment header's offset field.
 * -1: "no next header", or a header not in the packet.
 */
int ipv6_skip_exthdr(const struct sk_buff *skb, int start, u8 *nexthdrp,
		     __be16 *frag_offp)
{
	u8 type = *nexthdrp;

	*frag_offp = 0;
	for (; ipv6_ext_hdr(type); ) {
		struct ipv6_opt_hdr _h;
		const struct ipv6_opt_hdr *h;
		int size;

		if (type == NEXTHDR_NONE)
			return -1;
		h = skb_header_pointer(skb, start, sizeof(_h), &_h);
		if (!h)
			return -1;
		switch (type) {
		case NEXTHDR_FRAGMENT: {
			__be16 _fo;
			const __be16 *fo;

			fo = skb_header_pointer(skb, start + offsetof(struct frag_hdr, frag_off),
						sizeof(_fo), &_fo);
			if (!fo)
				return -1;
			*frag_offp = *fo;
			if (ntohs(*fo) & ~0x7)	/* a later fragment: stop here */
				goto out;
			size = 8;
			break;
		}
		case NEXTHDR_AUTH:	/* RFC 4302: in 4-octet units, minus 2 */
			size = (h->hdrlen + 2) * 4;
			break;
		default:		/* RFC 8200: in 8-octet units, not counting the first */
			size = (h->hdrlen + 1) * 8;
			break;
		}
		type = h->nexthdr;
		start += size;
	}
out:
	*nexthdrp = type;
	return start;
}
