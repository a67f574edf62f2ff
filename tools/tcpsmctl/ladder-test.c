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

/* the three-way handshake, which most of these histories begin with */
#define HANDSHAKE \
	EV(0, SYN, C, HF_SYN, CL, SS, CL, SR), \
	EV(1, SYNACK, S, SA, SS, ES, SR, SR), \
	EV(1, ACK, C, HF_ACK, ES, ES, SR, ES)

static const struct hist_event open_close[] = {
	HANDSHAKE,
	EV(2, DATA, C, PA, ES, ES, ES, ES),
	EV(3, DATA, S, PA, ES, ES, ES, ES),
	EV(205, FIN, C, FA, ES, F1, ES, CW),
	EV(205, ACK, S, HF_ACK, F1, F2, CW, CW),
	EV(410, FIN, S, FA, F2, TW, CW, LA),
	EV(410, ACK, C, HF_ACK, TW, TW, LA, CL),
	EV(60410, TIMEOUT, C, 0, TW, CL, CL, CL),
};

/* the server's FIN carries the ACK of the client's: FIN_WAIT_2 skipped */
static const struct hist_event fin_ack[] = {
	HANDSHAKE,
	EV(7, FIN, C, FA, ES, F1, ES, CW),
	EV(7, FIN, S, FA, F1, TW, CW, LA),
	EV(8, ACK, C, HF_ACK, TW, TW, LA, CL),
};

/* both FINs before either is acknowledged: CLOSING on both sides */
static const struct hist_event simultaneous[] = {
	HANDSHAKE,
	EV(50, FIN, C, FA, ES, F1, ES, ES),
	EV(50, FIN, S, FA, F1, CG, ES, F1),
	EV(51, ACK, S, HF_ACK, CG, TW, F1, CG),
	EV(51, ACK, C, HF_ACK, TW, TW, CG, TW),
};

/* TIME_WAIT restarted by the server's FIN sent again, then 2MSL */
static const struct hist_event tw_restart[] = {
	HANDSHAKE,
	EV(9, FIN, C, FA, ES, F1, ES, CW),
	EV(9, FIN, S, FA, F1, TW, CW, LA),
	EV(1209, RETRANS, S, FA, TW, TW, LA, LA),
	EV(1209, TW_RESTART, S, FA, TW, TW, LA, LA),
	EV(1210, ACK, C, HF_ACK, TW, TW, LA, CL),
	EV(61210, TIMEOUT, C, 0, TW, CL, CL, CL),
};

/* the client's keepalive unanswered until it gives the server up */
static const struct hist_event keepalive[] = {
	HANDSHAKE,
	EV(2000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(2000, KA_ANSWER, S, HF_ACK, ES, ES, ES, ES),
	EV(4000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(5000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(6000, KA_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(7000, KA_DEAD, C, 0, ES, CL, ES, ES),
};

/* a SYN refused; a connection whose middle is lost */
static const struct hist_event refused[] = {
	EV(0, SYN, C, HF_SYN, CL, SS, CL, SR),
	EV(0, RST, S, HF_RST | HF_ACK, SS, CL, SR, CL),
};

static const struct hist_event lost[] = {
	HANDSHAKE,
	EV(2, DATA, C, PA, ES, ES, ES, ES),
	EV(900, ZW_PROBE, C, HF_ACK, ES, ES, ES, ES),
	EV(950, BAD, S, HF_ACK, ES, ES, ES, ES),
	EV(990, CHALLENGE, C, HF_RST, ES, ES, ES, ES),
	EV(1000, RST, C, HF_RST, ES, CL, ES, CL),
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

static void ladder(FILE *f, const char *name, const struct hist_event *ev, unsigned int n,
		   __u32 lost_n, const struct conn *c)
{
	static struct hist h;

	memcpy(h.ev, ev, n * sizeof(*ev));
	h.n = n;
	h.lost = lost_n;
	fprintf(f, "== %s\n", name);
	ladder_print(f, c, &h);
}

#define LADDER(f, ev, lost, c) ladder(f, #ev, ev, ARRAY_SIZE(ev), lost, c)

static void ladders(FILE *f)
{
	struct conn c;

	conn_init(&c, TCPSM_ENDED_CLOSED, TCPSM_CLOSER_CLIENT, "ShADdFafAX");
	LADDER(f, open_close, 0, &c);
	conn_init(&c, TCPSM_ENDED_CLOSED, TCPSM_CLOSER_CLIENT, "ShAFfA");
	LADDER(f, fin_ack, 0, &c);
	conn_init(&c, TCPSM_ENDED_CLOSED, TCPSM_CLOSER_BOTH, "ShAFfaA");
	LADDER(f, simultaneous, 0, &c);
	conn_init(&c, TCPSM_ENDED_CLOSED, TCPSM_CLOSER_CLIENT, "ShAFftwAX");
	LADDER(f, tw_restart, 0, &c);
	conn_init(&c, TCPSM_ENDED_TIMEOUT, TCPSM_CLOSER_NONE, "ShAKyKKKL");
	c.has_end_detail = 1;
	c.end_role = C;
	c.end_state = ES;
	LADDER(f, keepalive, 0, &c);
	conn_init(&c, TCPSM_ENDED_REFUSED, TCPSM_CLOSER_NONE, "Sr");
	LADDER(f, refused, 0, &c);
	conn_init(&c, TCPSM_ENDED_RESET_CLIENT, TCPSM_CLOSER_NONE, "ShADZbCR");
	LADDER(f, lost, 5, &c);
	/* the marker after all the events when no more than the head is kept */
	LADDER(f, refused, 3, &c);
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

	fprintf(f, "== live, state events\n");
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

	fprintf(f, "== fields\n");
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
	h.n = ARRAY_SIZE(refused);
	conn_hist_json(f, &c, &h);
	fputc('\n', f);
}

int main(int argc, char **argv)
{
	char *got = NULL, want[16384];
	size_t len = 0, n;
	FILE *f = argc > 1 && !strcmp(argv[1], "--print") ? stdout : open_memstream(&got, &len);
	FILE *exp;

	ladders(f);
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
		printf("ladder-test: FAIL: made\n%s\nexpected (ladder-test.expected)\n%s", got, want);
		return 1;
	}
	printf("ladder-test: ok, %zu bytes as expected\n", len);
	free(got);
	return 0;
}
