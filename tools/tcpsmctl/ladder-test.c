// SPDX-License-Identifier: GPL-2.0
/*
 * make check: the ladder (tcpsmctl get --ladder, watch --ladder), the end
 * code and the history's JSON, from histories written here, each against
 * the text expected in ladder-test.expected. No kernel, no netlink.
 *
 * ./ladder-test          compare; exit 1 on a difference, with both texts
 * ./ladder-test --print  print what it makes (to write the expected file)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/tcpsm.h>

#include "hist.h"

#define C TCPSM_ROLE_CLIENT
#define S TCPSM_ROLE_SERVER
#define CL TCPSM_CLOSED
#define SS TCPSM_SYN_SENT
#define SR TCPSM_SYN_RCVD
#define ES TCPSM_ESTABLISHED
#define F1 TCPSM_FIN_WAIT_1
#define F2 TCPSM_FIN_WAIT_2
#define CW TCPSM_CLOSE_WAIT
#define CG TCPSM_CLOSING
#define LA TCPSM_LAST_ACK
#define TW TCPSM_TIME_WAIT
#define SA (HF_SYN | HF_ACK)
#define FA (HF_FIN | HF_ACK)
#define PA (HF_PSH | HF_ACK)

/* ms, what, sender (or owner), flags, client old -> new, server old -> new */
#define EV(ms, what, role, flags, co, cn, so, sn) \
	{ ms, TCPSM_H_##what, role, flags, { co, so }, { cn, sn } }

/* the end of a story's events */
#define EV_END { 0, -1, -1, -1, { -1, -1 }, { -1, -1 } }

/* the three-way handshake, which most of these histories begin with */
static const struct hist_event handshake[] = {
	EV(0, SYN, C, HF_SYN, CL, SS, CL, SR),
	EV(1, SYNACK, S, SA, SS, ES, SR, SR),
	EV(1, ACK, C, HF_ACK, ES, ES, SR, ES),
};

static const struct hist_event open_close[] = {
	EV(2, DATA, C, PA, ES, ES, ES, ES),
	EV(3, DATA, S, PA, ES, ES, ES, ES),
	EV(205, FIN, C, FA, ES, F1, ES, CW),
	EV(205, ACK, S, HF_ACK, F1, F2, CW, CW),
	EV(410, FIN, S, FA, F2, TW, CW, LA),
	EV(410, ACK, C, HF_ACK, TW, TW, LA, CL),
	EV(60410, TIMEOUT, C, 0, TW, CL, CL, CL),
	EV_END,
};

/* the server's FIN carries the ACK of the client's: FIN_WAIT_2 skipped */
static const struct hist_event fin_ack[] = {
	EV(7, FIN, C, FA, ES, F1, ES, CW),
	EV(7, FIN, S, FA, F1, TW, CW, LA),
	EV(8, ACK, C, HF_ACK, TW, TW, LA, CL),
	EV_END,
};

/* both FINs before either is acknowledged: CLOSING on both sides */
static const struct hist_event simultaneous[] = {
	EV(50, FIN, C, FA, ES, F1, ES, ES),
	EV(50, FIN, S, FA, F1, CG, ES, F1),
	EV(51, ACK, S, HF_ACK, CG, TW, F1, CG),
	EV(51, ACK, C, HF_ACK, TW, TW, CG, TW),
	EV_END,
};

/* TIME_WAIT restarted by the server's FIN sent again, then 2MSL */
static const struct hist_event tw_restart[] = {
	EV(9, FIN, C, FA, ES, F1, ES, CW),
	EV(9, FIN, S, FA, F1, TW, CW, LA),
	EV(1209, RETRANS, S, FA, TW, TW, LA, LA),
	EV(1209, TW_RESTART, S, FA, TW, TW, LA, LA),
	EV(1210, ACK, C, HF_ACK, TW, TW, LA, CL),
	EV(61210, TIMEOUT, C, 0, TW, CL, CL, CL),
	EV_END,
};

/* the client's keepalive unanswered until it gives the server up */
static const struct hist_event keepalive[] = {
	EV(2000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(2000, KA_ANSWER, S, HF_ACK, ES, ES, ES, ES),
	EV(4000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(5000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(6000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(7000, KA_DEAD, C, 0, ES, CL, ES, ES),
	EV_END,
};

/* a SYN refused; a connection whose middle is lost */
static const struct hist_event refused[] = {
	EV(0, SYN, C, HF_SYN, CL, SS, CL, SR),
	EV(0, RST, S, HF_RST | HF_ACK, SS, CL, SR, CL),
	EV_END,
};

static const struct hist_event lost[] = {
	EV(2, DATA, C, PA, ES, ES, ES, ES),
	EV(900, ZW_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(950, BAD, S, HF_ACK, ES, ES, ES, ES),
	EV(990, CHALLENGE, C, HF_RST, ES, ES, ES, ES),
	EV(1000, RST, C, HF_RST, ES, CL, ES, CL),
	EV_END,
};

static void conn_init(struct conn *c, int end, int closer, const char *text)
{
	memset(c, 0, sizeof(*c));
	c->family = AF_INET;
	snprintf(c->client, sizeof(c->client), "10.0.0.1:40000");
	snprintf(c->server, sizeof(c->server), "10.0.0.2:80");
	c->has_end = 1;
	c->end = end;
	c->closer = closer;
	snprintf(c->history, sizeof(c->history), "%s", text);
}

/* A history: after the handshake or not, its events, what the kernel lost. */
struct story {
	const char *name;
	int handshake;
	const struct hist_event *ev;	/* up to EV_END */
	__u32 lost;
	int end, closer, end_role, end_state;	/* end_role -1: no detail */
	const char *text;
};

#define STORY(name, hs, ev, lost, end, closer, role, state, text) \
	{ name, hs, ev, lost, TCPSM_ENDED_##end, TCPSM_CLOSER_##closer, \
	  role, state, text }

static const struct story stories[] = {
	STORY("four-way close", 1, open_close, 0, CLOSED, CLIENT, -1, 0, "ShADdFafAX"),
	STORY("FIN+ACK", 1, fin_ack, 0, CLOSED, CLIENT, -1, 0, "ShAFfA"),
	STORY("simultaneous close", 1, simultaneous, 0, CLOSED, BOTH, -1, 0, "ShAFfaA"),
	STORY("TIME_WAIT restarted", 1, tw_restart, 0, CLOSED, CLIENT, -1, 0, "ShAFftwAX"),
	STORY("keepalive dead", 1, keepalive, 0, TIMEOUT, NONE, C, ES, "ShAKyKKKL"),
	STORY("refused", 0, refused, 0, REFUSED, NONE, -1, 0, "Sr"),
	STORY("events lost", 1, lost, 5, RESET_CLIENT, NONE, -1, 0, "ShADZbCR"),
	/* the marker after all the events when no more than the head is kept */
	STORY("events lost, head only", 0, refused, 3, RESET_CLIENT, NONE, -1, 0, "Sr"),
};

static void ladder(FILE *f, const struct story *t)
{
	static struct hist h;
	struct conn c;
	unsigned int hs = t->handshake ? ARRAY_SIZE(handshake) : 0, n = 0;

	conn_init(&c, t->end, t->closer, t->text);
	c.has_end_detail = t->end_role >= 0;
	c.end_role = t->end_role;
	c.end_state = t->end_state;
	memcpy(h.ev, handshake, hs * sizeof(*h.ev));
	while (t->ev[n].what >= 0)
		n++;
	memcpy(h.ev + hs, t->ev, n * sizeof(*t->ev));
	h.n = hs + n;
	h.lost = t->lost;
	fprintf(f, "== %s\n", t->name);
	ladder_print(f, &c, &h);
}

/* A live ladder with no history: state events, the sender inferred. */
static void live(FILE *f)
{
	static const int ev[][4] = {
		{ C, CL, SS, TCPSM_K_SYN }, { S, CL, SR, TCPSM_K_SYN },
		{ C, SS, ES, TCPSM_K_SYNACK }, { S, SR, ES, TCPSM_K_ACKSYN },
		{ C, ES, F1, TCPSM_K_FIN }, { S, ES, CW, TCPSM_K_FIN },
		{ C, F1, F2, TCPSM_K_ACKFIN }, { S, CW, LA, TCPSM_K_FIN },
		{ C, F2, TW, TCPSM_K_FIN }, { S, LA, CL, TCPSM_K_ACKFIN },
		{ C, TW, CL, TCPSM_K_NONE },
	};
	struct hist_event e;
	unsigned int i;

	fprintf(f, "== state events, no history\n");
	for (i = 0; i < ARRAY_SIZE(ev); i++) {
		state_event_hist(&e, i, ev[i][0], ev[i][1], ev[i][2], ev[i][3]);
		ladder_event(f, "#1   ", &e);
	}
}

static void fields(FILE *f)
{
	static struct hist h;
	struct conn c;
	char s[64];

	fprintf(f, "== end, get, JSON\n");
	flags_str(s, sizeof(s), HF_FIN | HF_SYN | HF_RST | HF_PSH | HF_ACK | HF_URG);
	fprintf(f, "flags %s\n", s);
	conn_init(&c, TCPSM_ENDED_TIMEOUT, TCPSM_CLOSER_CLIENT, "ShAFaX");
	end_str(s, sizeof(s), &c);
	fprintf(f, "end %s\n", s);
	c.has_end_detail = 1;
	c.end_role = C;
	c.end_state = F2;
	c.has_syn_rtt = 1;
	c.syn_rtt_ms = 12;
	end_str(s, sizeof(s), &c);
	fprintf(f, "end %s\n", s);
	conn_hist_long(f, &c);
	memcpy(h.ev, refused, sizeof(refused));
	h.n = ARRAY_SIZE(refused) - 1;
	conn_hist_json(f, &c, &h);
	fputc('\n', f);
}

int main(int argc, char **argv)
{
	char *got = NULL, want[16384];
	size_t len = 0, n;
	int print = argc > 1 && !strcmp(argv[1], "--print");
	FILE *f = print ? stdout : open_memstream(&got, &len);
	FILE *exp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stories); i++)
		ladder(f, &stories[i]);
	live(f);
	fields(f);
	if (f == stdout)
		return 0;
	fclose(f);
	exp = fopen("ladder-test.expected", "r");
	if (!exp) {
		perror("ladder-test.expected");
		return 1;
	}
	n = fread(want, 1, sizeof(want) - 1, exp);
	want[n] = '\0';
	fclose(exp);
	if (strcmp(got, want)) {
		printf("ladder-test: FAIL: made\n%s\nexpected (ladder-test.expected)\n%s",
		       got, want);
		return 1;
	}
	printf("ladder-test: ok, %zu bytes as expected\n", len);
	free(got);
	return 0;
}
