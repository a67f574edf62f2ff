/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/tcpsm.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_TCPSM_GEN_H
#define _LINUX_TCPSM_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/tcpsm.h>

/* Ops table for tcpsm */
extern const struct genl_split_ops tcpsm_nl_ops[7];

int tcpsm_nl_conn_get_dump_start(struct netlink_callback *cb);
int tcpsm_nl_conn_get_dump_done(struct netlink_callback *cb);

int tcpsm_nl_conn_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpsm_nl_conn_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpsm_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpsm_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpsm_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int tcpsm_nl_flush_doit(struct sk_buff *skb, struct genl_info *info);
int tcpsm_nl_graph_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

enum {
	TCPSM_NLGRP_EVENTS,
};

#endif /* _LINUX_TCPSM_GEN_H */
