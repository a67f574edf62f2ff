// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's history as tcpsmctl shows it (hist.h).
 *
 * A ladder line: the time (ms since the first segment), the client's new
 * state, the client's rail, the arrow, the server's rail, the server's new
 * state. A segment is an arrow from its sender to its receiver labelled
 * with its flags (and what it was, if it moved no state); a timer, an ICMP
 * error or a pick-up is a note on its endpoint's side, without an arrow.
 */
#include <stdio.h>
#include <string.h>
#include <linux/tcpsm.h>

#include "hist.h"

#define STATE_W	11	/* ESTABLISHED */
#define BODY_W	40	/* between the rails */

void flags_str(char *out, size_t len, int flags)
{
	static const struct {
		int bit;
		const char *name;
	} order[] = {
		{ HF_SYN, "SYN" }, { HF_FIN, "FIN" }, { HF_RST, "RST" },
		{ HF_PSH, "PSH" }, { HF_ACK, "ACK" }, { HF_URG, "URG" },
	};
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(order) && flags > 0; i++)
		if (flags & order[i].bit)
			n += snprintf(out + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
				      order[i].name);
}

void end_str(char *out, size_t len, const struct conn *c)
{
	char b[3][16];
	const char *end = name_of(&tcpsm_names_ended, c->end, b[0]);

	if (c->end == TCPSM_ENDED_TIMEOUT && c->has_end_detail)
		snprintf(out, len, "%s:%s:%s", end, name_of(&tcpsm_names_role, c->end_role, b[1]),
			 name_of(&tcpsm_names_state, c->end_state, b[2]));
	else
		snprintf(out, len, "%s", end);
}

/* What a segment that moved no state was; NULL for one that needs no word. */
static const char *annotation(int what)
{
	switch (what) {
	case TCPSM_H_DATA:
		return "data";
	case TCPSM_H_CHALLENGE:
		return "challenge ACK";
	case TCPSM_H_BAD:
		return "not accepted";
	case TCPSM_H_RETRANS:
		return "retransmitted";
	case TCPSM_H_TW_RESTART:
		return "2MSL restarted";
	case TCPSM_H_KA_PROBE:
		return "keepalive probe";
	case TCPSM_H_KA_ANSWER:
		return "keepalive answer";
	case TCPSM_H_ZW_PROBE:
		return "zero-window probe";
	}
	return NULL;
}

/* An event of one endpoint's own, shown on its side: no segment. */
static int is_note(int what)
{
	return what == TCPSM_H_ICMP || what == TCPSM_H_TIMEOUT || what == TCPSM_H_KA_DEAD ||
	       what == TCPSM_H_PICKUP;
}

static void note_str(char *out, size_t len, const struct hist_event *e)
{
	char b[16];
	int old = e->role == 0 || e->role == 1 ? e->state_old[e->role] : -1;

	switch (e->what) {
	case TCPSM_H_TIMEOUT:
		if (old == TCPSM_TIME_WAIT)
			snprintf(out, len, "2MSL expired");
		else if (old >= 0)
			snprintf(out, len, "timeout in %s", name_of(&tcpsm_names_state, old, b));
		else
			snprintf(out, len, "timeout");
		break;
	case TCPSM_H_KA_DEAD:
		snprintf(out, len, "keepalive: peer dead");
		break;
	case TCPSM_H_ICMP:
		snprintf(out, len, "ICMP error");
		break;
	default:
		snprintf(out, len, "picked up mid-stream");
	}
}

/* An arrow's label: the flags, and what the segment was if it says more. */
static void label_str(char *out, size_t len, const struct hist_event *e)
{
	const char *ann = annotation(e->what);
	char fl[32], b[16];

	flags_str(fl, sizeof(fl), e->flags);
	if (!fl[0] && e->what >= 0)
		snprintf(fl, sizeof(fl), "%s", name_of(&tcpsm_names_hist, e->what, b));
	if (!fl[0])
		snprintf(fl, sizeof(fl), "?");
	if (ann)
		snprintf(out, len, "%s (%s)", fl, ann);
	else
		snprintf(out, len, "%s", fl);
}

/* @body, BODY_W wide: "----- LABEL ---->", "<---- LABEL -----" or a note. */
static void body_str(char *body, const struct hist_event *e)
{
	char label[80];
	size_t n;
	int note = is_note(e->what), right = e->role != TCPSM_ROLE_SERVER;

	if (note)
		note_str(label, sizeof(label), e);
	else
		label_str(label, sizeof(label), e);
	n = strlen(label);
	if (n > BODY_W - 10)
		n = BODY_W - 10;
	memset(body, note ? ' ' : '-', BODY_W);
	body[BODY_W] = '\0';
	if (note) {
		memcpy(right ? body + 2 : body + BODY_W - 2 - n, label, n);
		return;
	}
	body[0] = right ? '-' : '<';
	body[BODY_W - 1] = right ? '>' : '-';
	body[6] = ' ';
	memcpy(body + 7, label, n);
	body[7 + n] = ' ';
}

/* The state an endpoint entered, "" if it stayed or the event does not say. */
static const char *entered(const struct hist_event *e, int role, char *buf)
{
	int old = e->state_old[role], now = e->state_new[role];

	if (now < 0 || (old >= 0 && old == now))
		return "";
	return name_of(&tcpsm_names_state, now, buf);
}

static void rtrim_put(FILE *f, char *line)
{
	size_t n = strlen(line);

	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(f, "%s\n", line);
}

void ladder_event(FILE *f, const char *prefix, const struct hist_event *e)
{
	char body[BODY_W + 1], b[2][16], line[256];

	body_str(body, e);
	snprintf(line, sizeof(line), "%s%8u  %-*s |%s| %s", prefix, e->ms, STATE_W,
		 entered(e, TCPSM_ROLE_CLIENT, b[0]), body, entered(e, TCPSM_ROLE_SERVER, b[1]));
	rtrim_put(f, line);
}

void ladder_lost(FILE *f, const char *prefix, __u32 lost)
{
	char body[BODY_W + 1], label[BODY_W];
	int n;

	n = snprintf(label, sizeof(label), "... %u events not kept ...", lost);
	if (n > BODY_W)
		n = BODY_W;
	memset(body, ' ', BODY_W);
	body[BODY_W] = '\0';
	memcpy(body + (BODY_W - n) / 2, label, n);
	fprintf(f, "%s%8s  %-*s |%s|\n", prefix, "", STATE_W, "", body);
}

void ladder_header(FILE *f, const char *prefix, const struct conn *c)
{
	char line[256];
	int n, rail = 8 + 2 + STATE_W + 1 + 1 + BODY_W;

	n = snprintf(line, sizeof(line), "%8s  client %s", "ms", c->client);
	if (n < rail)
		n += snprintf(line + n, sizeof(line) - n, "%*s", rail - n, "");
	else
		n += snprintf(line + n, sizeof(line) - n, "  ");
	snprintf(line + n, sizeof(line) - n, "server %s", c->server);
	fprintf(f, "%s%s\n", prefix, line);
}

void ladder_footer(FILE *f, const char *prefix, const struct conn *c)
{
	char end[64], b[16];

	if (!c->has_end)
		return;
	end_str(end, sizeof(end), c);
	fprintf(f, "%s%8s  history %s, end %s, closer %s\n", prefix, "",
		c->history[0] ? c->history : "-", end, name_of(&tcpsm_names_closer, c->closer, b));
}

void ladder_print(FILE *f, const struct conn *c, const struct hist *h)
{
	unsigned int i, head = h->n < HIST_HEAD ? h->n : HIST_HEAD;

	ladder_header(f, "", c);
	for (i = 0; i < h->n; i++) {
		if (h->lost && i == head)
			ladder_lost(f, "", h->lost);
		ladder_event(f, "", &h->ev[i]);
	}
	if (h->lost && h->n <= head)
		ladder_lost(f, "", h->lost);
	ladder_footer(f, "", c);
}

/* The segment a state event names, as a history event's flags and letter. */
static void kind_hist(int kind, int *what, int *flags)
{
	switch (kind) {
	case TCPSM_K_SYN:
		*what = TCPSM_H_SYN, *flags = HF_SYN;
		break;
	case TCPSM_K_SYNACK:
		*what = TCPSM_H_SYNACK, *flags = HF_SYN | HF_ACK;
		break;
	case TCPSM_K_FIN:
	case TCPSM_K_FINACK:
		*what = TCPSM_H_FIN, *flags = HF_FIN | HF_ACK;
		break;
	case TCPSM_K_ACK:
	case TCPSM_K_ACKSYN:
	case TCPSM_K_ACKFIN:
		*what = TCPSM_H_ACK, *flags = HF_ACK;
		break;
	case TCPSM_K_RST:
		*what = TCPSM_H_RST, *flags = HF_RST;
		break;
	default:
		*what = TCPSM_H_TIMEOUT, *flags = 0;
	}
}

void state_event_hist(struct hist_event *e, __u32 ms, int role, int old_state,
		      int new_state, int kind)
{
	int sent = new_state == TCPSM_SYN_SENT || new_state == TCPSM_FIN_WAIT_1 ||
		   new_state == TCPSM_LAST_ACK;

	memset(e, 0xff, sizeof(*e));
	e->ms = ms;
	kind_hist(kind, &e->what, &e->flags);
	if (role != TCPSM_ROLE_CLIENT && role != TCPSM_ROLE_SERVER)
		return;
	e->state_old[role] = old_state;
	e->state_new[role] = new_state;
	/* a segment moves its sender into these states, its receiver elsewhere */
	if (e->what == TCPSM_H_TIMEOUT || sent)
		e->role = role;
	else
		e->role = !role;
}

void conn_hist_long(FILE *f, const struct conn *c)
{
	char end[64], b[16];

	if (!c->has_end)
		return;
	end_str(end, sizeof(end), c);
	fprintf(f, "history %s\nhistory_lost %u\nend %s\ncloser %s\n",
		c->history[0] ? c->history : "-", c->history_lost, end,
		name_of(&tcpsm_names_closer, c->closer, b));
	fprintf(f, "client_state_ms %u\nserver_state_ms %u\n", c->state_ms[0], c->state_ms[1]);
	fprintf(f, "retrans_client %u\nretrans_server %u\n", c->retrans[0], c->retrans[1]);
	if (c->has_syn_rtt)
		fprintf(f, "syn_rtt_ms %u\n", c->syn_rtt_ms);
	else
		fprintf(f, "syn_rtt_ms -\n");
	if (c->has_ack_rtt)
		fprintf(f, "ack_rtt_ms %u\n", c->ack_rtt_ms);
	else
		fprintf(f, "ack_rtt_ms -\n");
}

static void json_flags(FILE *f, int flags)
{
	char fl[40], *p, *save = NULL;
	int first = 1;

	flags_str(fl, sizeof(fl), flags);
	fputc('[', f);
	for (p = strtok_r(fl, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		fprintf(f, "%s\"%s\"", first ? "" : ",", p);
		first = 0;
	}
	fputc(']', f);
}

static void json_state(FILE *f, const char *key, int state)
{
	char b[16];

	if (state >= 0)
		fprintf(f, ",\"%s\":\"%s\"", key, name_of(&tcpsm_names_state, state, b));
}

static void json_event(FILE *f, const struct hist_event *e)
{
	char b[2][16], letter[2] = { '?', '\0' };

	if (e->what >= 0 && e->role >= 0)
		letter[0] = tcpsm_hist_letter(e->what, e->role);
	fprintf(f, "{\"ms\":%u,\"letter\":\"%s\"", e->ms, letter);
	if (e->what >= 0)
		fprintf(f, ",\"what\":\"%s\"", name_of(&tcpsm_names_hist, e->what, b[0]));
	if (e->role >= 0)
		fprintf(f, ",\"role\":\"%s\"", name_of(&tcpsm_names_role, e->role, b[1]));
	fputs(",\"flags\":", f);
	json_flags(f, e->flags);
	json_state(f, "client_old", e->state_old[0]);
	json_state(f, "client_new", e->state_new[0]);
	json_state(f, "server_old", e->state_old[1]);
	json_state(f, "server_new", e->state_new[1]);
	fputc('}', f);
}

void conn_hist_json(FILE *f, const struct conn *c, const struct hist *h)
{
	char b[3][16];
	unsigned int i;

	if (!c->has_end)
		return;
	/* in /proc's order */
	fprintf(f, ",\"client_state_ms\":%u,\"server_state_ms\":%u", c->state_ms[0],
		c->state_ms[1]);
	fprintf(f, ",\"retrans_client\":%u,\"retrans_server\":%u", c->retrans[0], c->retrans[1]);
	if (c->has_syn_rtt)
		fprintf(f, ",\"syn_rtt_ms\":%u", c->syn_rtt_ms);
	if (c->has_ack_rtt)
		fprintf(f, ",\"ack_rtt_ms\":%u", c->ack_rtt_ms);
	fprintf(f, ",\"closer\":\"%s\",\"end\":\"%s\"",
		name_of(&tcpsm_names_closer, c->closer, b[1]),
		name_of(&tcpsm_names_ended, c->end, b[0]));
	if (c->has_end_detail)
		fprintf(f, ",\"end_role\":\"%s\",\"end_state\":\"%s\"",
			name_of(&tcpsm_names_role, c->end_role, b[2]),
			name_of(&tcpsm_names_state, c->end_state, b[0]));
	fprintf(f, ",\"history\":\"%s\",\"history_lost\":%u", c->history, c->history_lost);
	if (!h)
		return;
	fputs(",\"history_events\":[", f);
	for (i = 0; i < h->n; i++) {
		fputs(i ? "," : "", f);
		json_event(f, &h->ev[i]);
	}
	fputc(']', f);
}
