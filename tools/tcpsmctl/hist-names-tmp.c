// SPDX-License-Identifier: GPL-2.0
/*
 * TEMPORARY (issue 14): the names of enum tcpsm_hist, tcpsm_end and
 * tcpsm_closer, and the history letters, until module/names.c has them.
 * See hist-names-tmp.h.
 */
#include "hist-names-tmp.h"

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

static const char *const end[__TCPSM_ENDED_MAX] = {
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

const struct tcpsm_names tcpsm_names_hist = { hist, ARRAY_SIZE(hist) };
const struct tcpsm_names tcpsm_names_end = { end, ARRAY_SIZE(end) };
const struct tcpsm_names tcpsm_names_closer = { closer, ARRAY_SIZE(closer) };

static const char letters[__TCPSM_H_MAX + 1] = "SHADFRCBTWKYZIXLP";

char tcpsm_hist_letter(unsigned int what, unsigned int role)
{
	char c;

	if (what >= __TCPSM_H_MAX || role > TCPSM_ROLE_SERVER)
		return '?';
	c = letters[what];
	return role == TCPSM_ROLE_SERVER ? c - 'A' + 'a' : c;
}
