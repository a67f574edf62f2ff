// SPDX-License-Identifier: GPL-2.0
/*
 * The names of tcpsm's uapi values, as /proc and tcpsmctl print them. Built
 * into the module and into tcpsmctl from this one file, so the two never
 * disagree on a name.
 */
#include "names.h"

static const char *const state[__TCPSM_STATE_MAX] = {
	[TCPSM_CLOSED]		= "CLOSED",
	[TCPSM_LISTEN]		= "LISTEN",
	[TCPSM_SYN_SENT]	= "SYN_SENT",
	[TCPSM_SYN_RCVD]	= "SYN_RCVD",
	[TCPSM_ESTABLISHED]	= "ESTABLISHED",
	[TCPSM_FIN_WAIT_1]	= "FIN_WAIT_1",
	[TCPSM_FIN_WAIT_2]	= "FIN_WAIT_2",
	[TCPSM_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCPSM_CLOSING]		= "CLOSING",
	[TCPSM_LAST_ACK]	= "LAST_ACK",
	[TCPSM_TIME_WAIT]	= "TIME_WAIT",
};

static const char *const kind[__TCPSM_K_MAX] = {
	[TCPSM_K_SYN]		= "syn",
	[TCPSM_K_SYNACK]	= "synack",
	[TCPSM_K_FIN]		= "fin",
	[TCPSM_K_FINACK]	= "finack",
	[TCPSM_K_ACK]		= "ack",
	[TCPSM_K_ACKSYN]	= "acksyn",
	[TCPSM_K_ACKFIN]	= "ackfin",
	[TCPSM_K_RST]		= "rst",
	[TCPSM_K_NONE]		= "none",
};

static const char *const timer[__TCPSM_TIMER_MAX] = {
	[TCPSM_TIMER_NONE]		= "none",
	[TCPSM_TIMER_SYN_SENT]		= "syn_sent",
	[TCPSM_TIMER_SYN_RCVD]		= "syn_rcvd",
	[TCPSM_TIMER_ESTABLISHED]	= "established",
	[TCPSM_TIMER_FIN_WAIT_1]	= "fin_wait_1",
	[TCPSM_TIMER_FIN_WAIT_2]	= "fin_wait_2",
	[TCPSM_TIMER_CLOSE_WAIT]	= "close_wait",
	[TCPSM_TIMER_CLOSING]		= "closing",
	[TCPSM_TIMER_LAST_ACK]		= "last_ack",
	[TCPSM_TIMER_TIME_WAIT]		= "time_wait",
	[TCPSM_TIMER_LINGER]		= "linger",
};

static const char *const role[__TCPSM_ROLE_MAX] = {
	[TCPSM_ROLE_CLIENT]	= "client",
	[TCPSM_ROLE_SERVER]	= "server",
};

static const char *const hist[__TCPSM_H_MAX] = {
	[TCPSM_H_SYN]		= "syn",
	[TCPSM_H_SYNACK]	= "synack",
	[TCPSM_H_ACK]		= "ack",
	[TCPSM_H_DATA]		= "data",
	[TCPSM_H_FIN]		= "fin",
	[TCPSM_H_RST]		= "rst",
	[TCPSM_H_CHALLENGE]	= "challenge",
	[TCPSM_H_BAD]		= "bad",
	[TCPSM_H_RETRANS]	= "retrans",
	[TCPSM_H_TW_RESTART]	= "tw_restart",
	[TCPSM_H_KA_PROBE]	= "ka_probe",
	[TCPSM_H_KA_ANSWER]	= "ka_answer",
	[TCPSM_H_ZW_PROBE]	= "zw_probe",
	[TCPSM_H_ICMP]		= "icmp",
	[TCPSM_H_TIMEOUT]	= "timeout",
	[TCPSM_H_KA_DEAD]	= "ka_dead",
	[TCPSM_H_PICKUP]	= "pickup",
};

static const char *const ended[__TCPSM_ENDED_MAX] = {
	[TCPSM_ENDED_NONE]		= "none",
	[TCPSM_ENDED_CLOSED]		= "closed",
	[TCPSM_ENDED_RESET_CLIENT]	= "reset_client",
	[TCPSM_ENDED_RESET_SERVER]	= "reset_server",
	[TCPSM_ENDED_REFUSED]		= "refused",
	[TCPSM_ENDED_TIMEOUT]		= "timeout",
	[TCPSM_ENDED_ICMP]		= "icmp",
	[TCPSM_ENDED_EVICTED]		= "evicted",
	[TCPSM_ENDED_FLUSHED]		= "flushed",
	[TCPSM_ENDED_REPLACED]		= "replaced",
};

static const char *const closer[TCPSM_CLOSER_BOTH + 1] = {
	[TCPSM_CLOSER_NONE]	= "none",
	[TCPSM_CLOSER_CLIENT]	= "client",
	[TCPSM_CLOSER_SERVER]	= "server",
	[TCPSM_CLOSER_BOTH]	= "both",
};

static const char *const local[TCPSM_LOCAL_BOTH + 1] = {
	[TCPSM_LOCAL_NONE]	= "none",
	[TCPSM_LOCAL_CLIENT]	= "client",
	[TCPSM_LOCAL_SERVER]	= "server",
	[TCPSM_LOCAL_BOTH]	= "both",
};

static const char *const ka_dead[TCPSM_KA_DEAD_SERVER + 1] = {
	[TCPSM_KA_DEAD_NONE]	= "none",
	[TCPSM_KA_DEAD_CLIENT]	= "client",
	[TCPSM_KA_DEAD_SERVER]	= "server",
};

static const char *const reason[__TCPSM_DESTROY_MAX] = {
	[TCPSM_DESTROY_EXPIRED]		= "expired",
	[TCPSM_DESTROY_RESET]		= "reset",
	[TCPSM_DESTROY_EVICTED]		= "evicted",
	[TCPSM_DESTROY_FLUSHED]		= "flushed",
	[TCPSM_DESTROY_REPLACED]	= "replaced",
	[TCPSM_DESTROY_ICMP]		= "icmp",
};

static const char *const event[__TCPSM_EVENT_TYPE_MAX] = {
	[TCPSM_EVENT_TYPE_NEW]		= "new",
	[TCPSM_EVENT_TYPE_STATE]	= "state",
	[TCPSM_EVENT_TYPE_TW_START]	= "tw_start",
	[TCPSM_EVENT_TYPE_TW_RESTART]	= "tw_restart",
	[TCPSM_EVENT_TYPE_TW_EXPIRE]	= "tw_expire",
	[TCPSM_EVENT_TYPE_KA_PROBE]	= "ka_probe",
	[TCPSM_EVENT_TYPE_KA_ANSWERED]	= "ka_answered",
	[TCPSM_EVENT_TYPE_KA_DEAD]	= "ka_dead",
	[TCPSM_EVENT_TYPE_DESTROY]	= "destroy",
	[TCPSM_EVENT_TYPE_INVALID]	= "invalid",
	[TCPSM_EVENT_TYPE_ICMP]		= "icmp",
};

static const char *const invalid[__TCPSM_INV_MAX] = {
	[TCPSM_INV_NONE]	= "none",
	[TCPSM_INV_FLAGS]	= "flags",
	[TCPSM_INV_STATE]	= "state",
	[TCPSM_INV_SEQ]		= "seq",
	[TCPSM_INV_ACK]		= "ack",
};

static const char *const stats[__TCPSM_A_STATS_MAX] = {
	[TCPSM_A_STATS_ACTIVE] = "active",
	[TCPSM_A_STATS_SEGMENTS] = "segments",
	[TCPSM_A_STATS_CONNS_CREATED] = "conns_created",
	[TCPSM_A_STATS_CONNS_PICKED_UP] = "conns_picked_up",
	[TCPSM_A_STATS_UNTRACKED_MIDSTREAM] = "untracked_midstream",
	[TCPSM_A_STATS_TABLE_FULL] = "table_full",
	[TCPSM_A_STATS_INSERT_FAILED] = "insert_failed",
	[TCPSM_A_STATS_EVICTIONS] = "evictions",
	[TCPSM_A_STATS_DESTROYED_EXPIRED] = "destroyed_expired",
	[TCPSM_A_STATS_DESTROYED_RESET] = "destroyed_reset",
	[TCPSM_A_STATS_DESTROYED_EVICTED] = "destroyed_evicted",
	[TCPSM_A_STATS_DESTROYED_FLUSHED] = "destroyed_flushed",
	[TCPSM_A_STATS_DESTROYED_REPLACED] = "destroyed_replaced",
	[TCPSM_A_STATS_DESTROYED_ICMP] = "destroyed_icmp",
	[TCPSM_A_STATS_TRANSITIONS] = "transitions",
	[TCPSM_A_STATS_RETRANSMISSIONS] = "retransmissions",
	[TCPSM_A_STATS_TW_RESTARTS] = "tw_restarts",
	[TCPSM_A_STATS_TW_ACK_RESTARTS] = "tw_ack_restarts",
	[TCPSM_A_STATS_TW_REUSE] = "tw_reuse",
	[TCPSM_A_STATS_REOPENED] = "reopened",
	[TCPSM_A_STATS_REFUSED] = "refused",
	[TCPSM_A_STATS_RST_ACCEPTED] = "rst_accepted",
	[TCPSM_A_STATS_RST_CHALLENGE_ACK] = "rst_challenge_ack",
	[TCPSM_A_STATS_RST_IGNORED] = "rst_ignored",
	[TCPSM_A_STATS_KEEPALIVE_PROBES] = "keepalive_probes",
	[TCPSM_A_STATS_KEEPALIVE_ANSWERED] = "keepalive_answered",
	[TCPSM_A_STATS_KEEPALIVE_DEAD_PEERS] = "keepalive_dead_peers",
	[TCPSM_A_STATS_ZERO_WINDOW_PROBES] = "zero_window_probes",
	[TCPSM_A_STATS_INVALID_FLAGS] = "invalid_flags",
	[TCPSM_A_STATS_INVALID_STATE] = "invalid_state",
	[TCPSM_A_STATS_INVALID_SEQ] = "invalid_seq",
	[TCPSM_A_STATS_INVALID_ACK] = "invalid_ack",
	[TCPSM_A_STATS_OLD_DUPLICATES] = "old_duplicates",
	[TCPSM_A_STATS_ICMP_ABORTS] = "icmp_aborts",
	[TCPSM_A_STATS_ICMP_SOFT_ERRORS] = "icmp_soft_errors",
	[TCPSM_A_STATS_ICMP_IGNORED] = "icmp_ignored",
	[TCPSM_A_STATS_BAD_FRAGMENT] = "bad_fragment",
	[TCPSM_A_STATS_BAD_TRUNCATED_IP] = "bad_truncated_ip",
	[TCPSM_A_STATS_BAD_TRUNCATED_TCP] = "bad_truncated_tcp",
	[TCPSM_A_STATS_BAD_DATA_OFFSET] = "bad_data_offset",
	[TCPSM_A_STATS_BAD_OPTION] = "bad_option",
	[TCPSM_A_STATS_BAD_IPV6_EXTHDR] = "bad_ipv6_exthdr",
	[TCPSM_A_STATS_BAD_ICMP] = "bad_icmp",
	[TCPSM_A_STATS_EVENTS_LOST] = "events_lost",
};

const struct tcpsm_names tcpsm_names_state = { state, ARRAY_SIZE(state) };
const struct tcpsm_names tcpsm_names_kind = { kind, ARRAY_SIZE(kind) };
const struct tcpsm_names tcpsm_names_timer = { timer, ARRAY_SIZE(timer) };
const struct tcpsm_names tcpsm_names_role = { role, ARRAY_SIZE(role) };
const struct tcpsm_names tcpsm_names_local = { local, ARRAY_SIZE(local) };
const struct tcpsm_names tcpsm_names_ka_dead = { ka_dead, ARRAY_SIZE(ka_dead) };
const struct tcpsm_names tcpsm_names_reason = { reason, ARRAY_SIZE(reason) };
const struct tcpsm_names tcpsm_names_event = { event, ARRAY_SIZE(event) };
const struct tcpsm_names tcpsm_names_invalid = { invalid, ARRAY_SIZE(invalid) };
const struct tcpsm_names tcpsm_names_stats = { stats, ARRAY_SIZE(stats) };
const struct tcpsm_names tcpsm_names_hist = { hist, ARRAY_SIZE(hist) };
const struct tcpsm_names tcpsm_names_ended = { ended, ARRAY_SIZE(ended) };
const struct tcpsm_names tcpsm_names_closer = { closer, ARRAY_SIZE(closer) };

const char *tcpsm_name(const struct tcpsm_names *t, unsigned int v)
{
	return v < t->n ? t->name[v] : NULL;
}

static const char *or_unknown(const char *name)
{
	return name ? name : "?";
}

const char *tcpsm_state_name(unsigned int state)
{
	return or_unknown(tcpsm_name(&tcpsm_names_state, state));
}

const char *tcpsm_kind_name(unsigned int kind)
{
	return or_unknown(tcpsm_name(&tcpsm_names_kind, kind));
}

const char *tcpsm_timer_name(unsigned int kind)
{
	return or_unknown(tcpsm_name(&tcpsm_names_timer, kind));
}
