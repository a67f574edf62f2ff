/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcpsm: user-visible numbers. This header is the only definition of them in
 * the project; the module, its tests and the user-space tools include it.
 */
#ifndef _UAPI_LINUX_TCPSM_H
#define _UAPI_LINUX_TCPSM_H

/* RFC 793 endpoint states, in the order of the RFC's state list. */
enum tcpsm_state {
	TCPSM_CLOSED,
	TCPSM_LISTEN,
	TCPSM_SYN_SENT,
	TCPSM_SYN_RCVD,
	TCPSM_ESTABLISHED,
	TCPSM_FIN_WAIT_1,
	TCPSM_FIN_WAIT_2,
	TCPSM_CLOSE_WAIT,
	TCPSM_CLOSING,
	TCPSM_LAST_ACK,
	TCPSM_TIME_WAIT,
	__TCPSM_STATE_MAX,
};

/* The two endpoints of a connection: the client sent the first SYN. */
enum tcpsm_role {
	TCPSM_ROLE_CLIENT,
	TCPSM_ROLE_SERVER,
	__TCPSM_ROLE_MAX,
};

#endif /* _UAPI_LINUX_TCPSM_H */
