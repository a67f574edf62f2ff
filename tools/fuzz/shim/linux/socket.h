/* SPDX-License-Identifier: GPL-2.0 */
/* The uapi header, and the address families the kernel's adds. */
#ifndef _TCPSM_SHIM_SOCKET_H
#define _TCPSM_SHIM_SOCKET_H

#include_next <linux/socket.h>

#define AF_INET		2
#define AF_INET6	10

#endif /* _TCPSM_SHIM_SOCKET_H */
