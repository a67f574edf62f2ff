// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/tcpsm.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/tcpsm.h>

/* Integer value ranges */
static const struct netlink_range_validation tcpsm_a_config_fin_wait_1_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

static const struct netlink_range_validation tcpsm_a_config_fin_wait_2_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

static const struct netlink_range_validation tcpsm_a_config_syn_sent_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

static const struct netlink_range_validation tcpsm_a_config_syn_rcvd_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

static const struct netlink_range_validation tcpsm_a_config_close_wait_timeout_range = {
	.min	= 1ULL,
	.max	= 864000ULL,
};

static const struct netlink_range_validation tcpsm_a_config_last_ack_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

static const struct netlink_range_validation tcpsm_a_config_closing_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

static const struct netlink_range_validation tcpsm_a_config_established_timeout_range = {
	.min	= 1ULL,
	.max	= 8640000ULL,
};

static const struct netlink_range_validation tcpsm_a_config_max_conns_range = {
	.min	= 1ULL,
	.max	= 16777216ULL,
};

static const struct netlink_range_validation tcpsm_a_config_unconfirmed_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

/* TCPSM_CMD_CONN_GET - do */
static const struct nla_policy tcpsm_conn_get_do_nl_policy[TCPSM_A_CONN_ZONE + 1] = {
	[TCPSM_A_CONN_FAMILY] = { .type = NLA_U8, },
	[TCPSM_A_CONN_CLIENT_ADDR] = { .type = NLA_BINARY, },
	[TCPSM_A_CONN_CLIENT_PORT] = { .type = NLA_U16, },
	[TCPSM_A_CONN_SERVER_ADDR] = { .type = NLA_BINARY, },
	[TCPSM_A_CONN_SERVER_PORT] = { .type = NLA_U16, },
	[TCPSM_A_CONN_ZONE] = { .type = NLA_U32, },
};

/* TCPSM_CMD_CONN_GET - dump */
static const struct nla_policy tcpsm_conn_get_dump_nl_policy[TCPSM_A_CONN_PORT + 1] = {
	[TCPSM_A_CONN_FAMILY] = { .type = NLA_U8, },
	[TCPSM_A_CONN_STATE] = NLA_POLICY_MAX(NLA_U32, 10),
	[TCPSM_A_CONN_PORT] = { .type = NLA_U16, },
	[TCPSM_A_CONN_LOCAL] = NLA_POLICY_MAX(NLA_U32, 3),
};

/* TCPSM_CMD_CONFIG_SET - do */
static const struct nla_policy tcpsm_config_set_nl_policy[TCPSM_A_CONFIG_UNCONFIRMED_TIMEOUT + 1] = {
	[TCPSM_A_CONFIG_MSL] = NLA_POLICY_RANGE(NLA_U32, 1, 3600),
	[TCPSM_A_CONFIG_FIN_WAIT_1_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_fin_wait_1_timeout_range),
	[TCPSM_A_CONFIG_FIN_WAIT_2_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_fin_wait_2_timeout_range),
	[TCPSM_A_CONFIG_SYN_SENT_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_syn_sent_timeout_range),
	[TCPSM_A_CONFIG_SYN_RCVD_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_syn_rcvd_timeout_range),
	[TCPSM_A_CONFIG_CLOSE_WAIT_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_close_wait_timeout_range),
	[TCPSM_A_CONFIG_LAST_ACK_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_last_ack_timeout_range),
	[TCPSM_A_CONFIG_CLOSING_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_closing_timeout_range),
	[TCPSM_A_CONFIG_ESTABLISHED_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_established_timeout_range),
	[TCPSM_A_CONFIG_CLOSE_LINGER] = NLA_POLICY_RANGE(NLA_U32, 0, 3600),
	[TCPSM_A_CONFIG_KEEPALIVE_TIME] = NLA_POLICY_RANGE(NLA_U32, 1, 32767),
	[TCPSM_A_CONFIG_KEEPALIVE_INTVL] = NLA_POLICY_RANGE(NLA_U32, 1, 32767),
	[TCPSM_A_CONFIG_KEEPALIVE_PROBES] = NLA_POLICY_RANGE(NLA_U32, 1, 127),
	[TCPSM_A_CONFIG_MAX_CONNS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_max_conns_range),
	[TCPSM_A_CONFIG_PICKUP] = NLA_POLICY_RANGE(NLA_U32, 0, 1),
	[TCPSM_A_CONFIG_UNCONFIRMED_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsm_a_config_unconfirmed_timeout_range),
};

/* Ops table for tcpsm */
const struct genl_split_ops tcpsm_nl_ops[7] = {
	{
		.cmd		= TCPSM_CMD_CONN_GET,
		.doit		= tcpsm_nl_conn_get_doit,
		.policy		= tcpsm_conn_get_do_nl_policy,
		.maxattr	= TCPSM_A_CONN_ZONE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= TCPSM_CMD_CONN_GET,
		.start		= tcpsm_nl_conn_get_dump_start,
		.dumpit		= tcpsm_nl_conn_get_dumpit,
		.done		= tcpsm_nl_conn_get_dump_done,
		.policy		= tcpsm_conn_get_dump_nl_policy,
		.maxattr	= TCPSM_A_CONN_PORT,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= TCPSM_CMD_STATS_GET,
		.doit	= tcpsm_nl_stats_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= TCPSM_CMD_CONFIG_GET,
		.doit	= tcpsm_nl_config_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= TCPSM_CMD_CONFIG_SET,
		.doit		= tcpsm_nl_config_set_doit,
		.policy		= tcpsm_config_set_nl_policy,
		.maxattr	= TCPSM_A_CONFIG_UNCONFIRMED_TIMEOUT,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= TCPSM_CMD_FLUSH,
		.doit	= tcpsm_nl_flush_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= TCPSM_CMD_GRAPH_GET,
		.dumpit	= tcpsm_nl_graph_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
};

static const struct genl_multicast_group tcpsm_nl_mcgrps[] = {
	[TCPSM_NLGRP_EVENTS] = { "events", .flags = GENL_MCAST_CAP_NET_ADMIN, },
};
