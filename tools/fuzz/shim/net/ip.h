/* SPDX-License-Identifier: GPL-2.0 */
/* The IPv4 fragment bits of the kernel's net/ip.h. */
#ifndef _TCPSM_SHIM_NET_IP_H
#define _TCPSM_SHIM_NET_IP_H

#define IP_CE		0x8000
#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFSET	0x1FFF

#endif /* _TCPSM_SHIM_NET_IP_H */
