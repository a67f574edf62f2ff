// SPDX-License-Identifier: GPL-2.0
/*
 * Link-layer headers: where the IP header starts in a frame of each link
 * type tcpsm-replay reads, and which IP version the frame says it carries.
 */
#include <pcap/pcap.h>
#include <pcap/sll.h>

#include "link.h"

#define ETH_HLEN	14
#define VLAN_HLEN	4
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86dd
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8
#define ETH_P_QINQ1	0x9100	/* pre-802.1ad double tagging */
#define SLL2_HLEN	20
#define NULL_HLEN	4

static unsigned int be16(const unsigned char *p)
{
	return p[0] << 8 | p[1];
}

static int from_ethertype(unsigned int type)
{
	if (type == ETH_P_IP)
		return LINK_IPV4;
	if (type == ETH_P_IPV6)
		return LINK_IPV6;
	return LINK_OTHER;
}

/* An EtherType at @off, after any number of 802.1Q / 802.1ad tags. */
static int ethertype_at(const unsigned char *f, unsigned int len, unsigned int off,
			unsigned int *l3)
{
	unsigned int type;

	for (;;) {
		if (len < off + 2)
			return LINK_TRUNCATED;
		type = be16(f + off);
		if (type != ETH_P_8021Q && type != ETH_P_8021AD && type != ETH_P_QINQ1)
			break;
		off += VLAN_HLEN;
	}
	*l3 = off + 2;
	return from_ethertype(type);
}

/* The IP version nibble, for links that carry bare IP. */
static int ip_version(const unsigned char *f, unsigned int len, unsigned int off,
		      unsigned int *l3)
{
	if (len <= off)
		return LINK_TRUNCATED;
	*l3 = off;
	switch (f[off] >> 4) {
	case 4:
		return LINK_IPV4;
	case 6:
		return LINK_IPV6;
	}
	return LINK_OTHER;
}

/*
 * BSD loopback: the address family in the capturing host's byte order,
 * which the file does not say; AF_INET6 differs between systems.
 */
static int null_family(const unsigned char *f, unsigned int len, bool big_endian,
		       unsigned int *l3)
{
	unsigned int af;

	if (len < NULL_HLEN)
		return LINK_TRUNCATED;
	af = big_endian || !f[0] ? (unsigned int)f[0] << 24 | f[1] << 16 | f[2] << 8 | f[3] :
				   (unsigned int)f[3] << 24 | f[2] << 16 | f[1] << 8 | f[0];
	*l3 = NULL_HLEN;
	switch (af) {
	case 2:
		return LINK_IPV4;
	case 10: case 24: case 28: case 30:	/* Linux, NetBSD/OpenBSD, FreeBSD, macOS */
		return LINK_IPV6;
	}
	return LINK_OTHER;
}

bool link_known(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	}
	return false;
}

int link_parse(int dlt, const unsigned char *f, unsigned int len, unsigned int *l3)
{
	switch (dlt) {
	case DLT_EN10MB:
		return ethertype_at(f, len, ETH_HLEN - 2, l3);
	case DLT_LINUX_SLL:
		return ethertype_at(f, len, SLL_HDR_LEN - 2, l3);
	case DLT_LINUX_SLL2:
		/* the protocol comes first; the header is fixed, tags follow it */
		if (len < SLL2_HLEN)
			return LINK_TRUNCATED;
		if (be16(f) == ETH_P_8021Q || be16(f) == ETH_P_8021AD)
			return ethertype_at(f, len, SLL2_HLEN + 2, l3);
		*l3 = SLL2_HLEN;
		return from_ethertype(be16(f));
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return ip_version(f, len, 0, l3);
	case DLT_NULL:
		return null_family(f, len, false, l3);
	case DLT_LOOP:
		return null_family(f, len, true, l3);
	}
	return LINK_OTHER;
}
