/* SPDX-License-Identifier: GPL-2.0 */
/* Link-layer headers of the capture's link types (link.c). */
#ifndef TCPSM_REPLAY_LINK_H
#define TCPSM_REPLAY_LINK_H

#include <stdbool.h>

enum {
	LINK_IPV4,
	LINK_IPV6,
	LINK_OTHER,	/* not IP (ARP ...): not for tcpsm */
	LINK_TRUNCATED,	/* the frame ends inside its link-layer header */
};

bool link_known(int dlt);
/* What frame @f of @len captured bytes carries, and where (*@l3) its IP header starts. */
int link_parse(int dlt, const unsigned char *f, unsigned int len, unsigned int *l3);

#endif /* TCPSM_REPLAY_LINK_H */
