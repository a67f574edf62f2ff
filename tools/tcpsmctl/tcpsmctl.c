// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsmctl: list, watch and tune tcpsm through its generic netlink family.
 * Every number comes from <linux/tcpsm.h>, the family's generated header.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/tcpsm.h>

#include "names.h"
#include "filter.h"
#include "hist.h"
#include "show.h"
#include "tcpsmctl.h"

static int opt_json, opt_extended, opt_prometheus, opt_ladder, opt_dot;
static unsigned long opt_count, opt_timeout;	/* watch, log: 0 = no limit */
static int connect_nl(struct nl *nl, int events);

/* Parse a name back to its index in a table; -1 if none. */
static int index_of(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcasecmp(names[i], s))
			return i;
	return -1;
}

/* ---- attributes ---- */

struct attrs {
	const struct nlattr **tb;
	unsigned int max;
};

static int attrs_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= a->max)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

static __u64 attr_uint(const struct nlattr *attr)
{
	if (!attr)
		return 0;
	switch (mnl_attr_get_payload_len(attr)) {
	case 1:
		return mnl_attr_get_u8(attr);
	case 2:
		return mnl_attr_get_u16(attr);
	case 4:
		return mnl_attr_get_u32(attr);
	case 8:
		return mnl_attr_get_u64(attr);
	}
	return 0;
}

static __u16 attr_be16(const struct nlattr *attr)
{
	if (!attr || mnl_attr_get_payload_len(attr) != 2)
		return 0;
	return ntohs(mnl_attr_get_u16(attr));
}

/* ---- one connection ---- */

static void addr_copy(unsigned char *dst, const struct nlattr *attr, int family)
{
	size_t len = family == AF_INET ? 4 : 16;

	memset(dst, 0, 16);
	if (attr && mnl_attr_get_payload_len(attr) == len)
		memcpy(dst, mnl_attr_get_payload(attr), len);
}

/* Issue 14's fields; has_end says the module sends them (end is always there). */
static void conn_parse_hist(const struct nlattr **tb, struct conn *c)
{
	const struct nlattr *text = tb[TCPSM_A_CONN_HISTORY_TEXT];

	c->has_end = !!tb[TCPSM_A_CONN_END];
	c->end = attr_uint(tb[TCPSM_A_CONN_END]);
	c->closer = attr_uint(tb[TCPSM_A_CONN_CLOSER]);
	c->has_end_detail = tb[TCPSM_A_CONN_END_ROLE] && tb[TCPSM_A_CONN_END_STATE];
	c->end_role = attr_uint(tb[TCPSM_A_CONN_END_ROLE]);
	c->end_state = attr_uint(tb[TCPSM_A_CONN_END_STATE]);
	c->history_lost = attr_uint(tb[TCPSM_A_CONN_HISTORY_LOST]);
	if (text && mnl_attr_validate(text, MNL_TYPE_NUL_STRING) == 0)
		snprintf(c->history, sizeof(c->history), "%s", mnl_attr_get_str(text));
	c->state_ms[0] = attr_uint(tb[TCPSM_A_CONN_CLIENT_STATE_MS]);
	c->state_ms[1] = attr_uint(tb[TCPSM_A_CONN_SERVER_STATE_MS]);
	c->retrans[0] = attr_uint(tb[TCPSM_A_CONN_RETRANS_CLIENT]);
	c->retrans[1] = attr_uint(tb[TCPSM_A_CONN_RETRANS_SERVER]);
	c->has_syn_rtt = !!tb[TCPSM_A_CONN_SYN_RTT_MS];
	c->syn_rtt_ms = attr_uint(tb[TCPSM_A_CONN_SYN_RTT_MS]);
	c->has_ack_rtt = !!tb[TCPSM_A_CONN_ACK_RTT_MS];
	c->ack_rtt_ms = attr_uint(tb[TCPSM_A_CONN_ACK_RTT_MS]);
}

static int hist_int(const struct nlattr **tb, int type)
{
	return tb[type] ? (int)attr_uint(tb[type]) : -1;
}

/* One history nest (hist-event) into the next slot of @data, a struct hist. */
static int hist_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[TCPSM_A_HIST_EVENT_MAX + 1] = {};
	struct attrs a = { tb, TCPSM_A_HIST_EVENT_MAX };
	struct hist *h = data;
	struct hist_event *e;

	if (mnl_attr_get_type(attr) != TCPSM_A_CONN_HISTORY || h->n == HIST_MAX)
		return MNL_CB_OK;
	if (mnl_attr_parse_nested(attr, attrs_cb, &a) < 0)
		return MNL_CB_OK;
	e = &h->ev[h->n++];
	e->ms = attr_uint(tb[TCPSM_A_HIST_EVENT_MS]);
	e->what = hist_int(tb, TCPSM_A_HIST_EVENT_WHAT);
	e->role = hist_int(tb, TCPSM_A_HIST_EVENT_ROLE);
	e->flags = hist_int(tb, TCPSM_A_HIST_EVENT_FLAGS);
	e->state_old[0] = hist_int(tb, TCPSM_A_HIST_EVENT_CLIENT_OLD);
	e->state_new[0] = hist_int(tb, TCPSM_A_HIST_EVENT_CLIENT_NEW);
	e->state_old[1] = hist_int(tb, TCPSM_A_HIST_EVENT_SERVER_OLD);
	e->state_new[1] = hist_int(tb, TCPSM_A_HIST_EVENT_SERVER_NEW);
	return MNL_CB_OK;
}

/* The history events of a connection (multi-attr: every one, in order). */
static void hist_parse(const struct nlattr *start, const struct nlmsghdr *nlh,
		       const struct conn *c, struct hist *h)
{
	h->n = 0;
	h->lost = c->history_lost;
	if (start)
		mnl_attr_parse_nested(start, hist_attr_cb, h);
	else
		mnl_attr_parse(nlh, GENL_HDRLEN, hist_attr_cb, h);
}

static int conn_parse(const struct nlattr *start, const struct nlmsghdr *nlh,
		      struct conn *c)
{
	const struct nlattr *tb[TCPSM_A_CONN_MAX + 1] = {};
	struct attrs a = { tb, TCPSM_A_CONN_MAX };

	if (start)
		mnl_attr_parse_nested(start, attrs_cb, &a);
	else
		mnl_attr_parse(nlh, GENL_HDRLEN, attrs_cb, &a);
	memset(c, 0, sizeof(*c));
	c->family = attr_uint(tb[TCPSM_A_CONN_FAMILY]);
	if (c->family != AF_INET && c->family != AF_INET6)
		return -1;
	addr_copy(c->caddr, tb[TCPSM_A_CONN_CLIENT_ADDR], c->family);
	addr_copy(c->saddr, tb[TCPSM_A_CONN_SERVER_ADDR], c->family);
	c->cport = attr_be16(tb[TCPSM_A_CONN_CLIENT_PORT]);
	c->sport = attr_be16(tb[TCPSM_A_CONN_SERVER_PORT]);
	endpoint_str(c->client, sizeof(c->client), c->caddr_s, c->family, c->caddr, c->cport);
	endpoint_str(c->server, sizeof(c->server), c->saddr_s, c->family, c->saddr, c->sport);
	c->local = attr_uint(tb[TCPSM_A_CONN_LOCAL]);
	c->cstate = attr_uint(tb[TCPSM_A_CONN_CLIENT_STATE]);
	c->sstate = attr_uint(tb[TCPSM_A_CONN_SERVER_STATE]);
	c->timer = attr_uint(tb[TCPSM_A_CONN_TIMER]);
	c->timer_ms = attr_uint(tb[TCPSM_A_CONN_TIMER_MS]);
	c->tw_restarts = attr_uint(tb[TCPSM_A_CONN_TW_RESTARTS]);
	c->ka_probes[0] = attr_uint(tb[TCPSM_A_CONN_KA_PROBES_CLIENT]);
	c->ka_unanswered[0] = attr_uint(tb[TCPSM_A_CONN_KA_UNANSWERED_CLIENT]);
	c->ka_probes[1] = attr_uint(tb[TCPSM_A_CONN_KA_PROBES_SERVER]);
	c->ka_unanswered[1] = attr_uint(tb[TCPSM_A_CONN_KA_UNANSWERED_SERVER]);
	c->ka_idle_ms = attr_uint(tb[TCPSM_A_CONN_KA_IDLE_MS]);
	c->ka_next_ms[0] = attr_uint(tb[TCPSM_A_CONN_KA_NEXT_CLIENT_MS]);
	c->ka_next_ms[1] = attr_uint(tb[TCPSM_A_CONN_KA_NEXT_SERVER_MS]);
	c->ka_next_absent[0] = !tb[TCPSM_A_CONN_KA_NEXT_CLIENT_MS];
	c->ka_next_absent[1] = !tb[TCPSM_A_CONN_KA_NEXT_SERVER_MS];
	c->ka_dead = attr_uint(tb[TCPSM_A_CONN_KA_DEAD]);
	c->zw_probes[0] = attr_uint(tb[TCPSM_A_CONN_ZW_PROBES_CLIENT]);
	c->zw_probes[1] = attr_uint(tb[TCPSM_A_CONN_ZW_PROBES_SERVER]);
	c->pickup = attr_uint(tb[TCPSM_A_CONN_PICKUP]);
	c->pkts[0] = attr_uint(tb[TCPSM_A_CONN_PKTS_CLIENT]);
	c->pkts[1] = attr_uint(tb[TCPSM_A_CONN_PKTS_SERVER]);
	c->bytes[0] = attr_uint(tb[TCPSM_A_CONN_BYTES_CLIENT]);
	c->bytes[1] = attr_uint(tb[TCPSM_A_CONN_BYTES_SERVER]);
	c->age_ms = attr_uint(tb[TCPSM_A_CONN_AGE_MS]);
	c->tw_ack_restarts = attr_uint(tb[TCPSM_A_CONN_TW_ACK_RESTARTS]);
	c->replaced = attr_uint(tb[TCPSM_A_CONN_REPLACED]);
	c->icmp_errors = attr_uint(tb[TCPSM_A_CONN_ICMP_ERRORS]);
	c->confirmed = attr_uint(tb[TCPSM_A_CONN_CONFIRMED]);
	c->zone = attr_uint(tb[TCPSM_A_CONN_ZONE]);
	conn_parse_hist(tb, c);
	return 0;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tcpsmctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'tcpsmctl --help'.\n", stderr);
	return EXIT_USAGE;
}

int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

#define TABLE_FMT "%-4s  %-*s  %-*s  %-6s  %-11s  %-11s  %-18s  %-3s  %-7s  %-7s  %-6s"
#define WIDE_FMT "  %-8s  %-*s  %-*s  %s"

/* A pair of counts as the PKTS and BYTES columns show it: client/server. */
static void pair_str(char *out, size_t len, unsigned long long a, unsigned long long b)
{
	snprintf(out, len, "%llu/%llu", a, b);
}

/* The columns of issue 14 in list -e: in-state, retrans, RTT, closer, end, history. */
#define EXT_COLS 6
static const char *const ext_head[EXT_COLS] = {
	"IN-STATE", "RTX", "RTT", "CLOSER", "END", "HISTORY"
};

/* A number the source may leave out: "-" then. */
static void opt_u32(char *out, size_t len, int have, __u32 v)
{
	if (have)
		snprintf(out, len, "%u", v);
	else
		snprintf(out, len, "-");
}

static void ext_cells(const struct conn *c, char cell[EXT_COLS][64])
{
	char t[2][32], r[2][16];
	int i;

	if (!c->has_end) {
		for (i = 0; i < EXT_COLS; i++)
			snprintf(cell[i], 64, "-");
		return;
	}
	snprintf(cell[0], 64, "%s/%s", fmt_left(c->state_ms[0], t[0], sizeof(t[0])),
		 fmt_left(c->state_ms[1], t[1], sizeof(t[1])));
	pair_str(cell[1], 64, c->retrans[0], c->retrans[1]);
	opt_u32(r[0], sizeof(r[0]), c->has_syn_rtt, c->syn_rtt_ms);
	opt_u32(r[1], sizeof(r[1]), c->has_ack_rtt, c->ack_rtt_ms);
	snprintf(cell[2], 64, "%s/%s", r[0], r[1]);
	snprintf(cell[3], 64, "%s", name_of(&tcpsm_names_closer, c->closer, t[0]));
	end_str(cell[4], 64, c);
	snprintf(cell[5], 64, "%s", c->history[0] ? c->history : "-");
}

static void ext_widths(const struct conn *rows, size_t n, int w[EXT_COLS])
{
	char cell[EXT_COLS][64];
	size_t i;
	int j;

	for (j = 0; j < EXT_COLS; j++)
		w[j] = strlen(ext_head[j]);
	for (i = 0; i < n; i++) {
		ext_cells(&rows[i], cell);
		for (j = 0; j < EXT_COLS; j++)
			if ((int)strlen(cell[j]) > w[j])
				w[j] = strlen(cell[j]);
	}
}

/* The cells of a row (or the header, @c NULL), the last one unpadded. */
static void ext_print(const struct conn *c, const int w[EXT_COLS])
{
	char cell[EXT_COLS][64];
	int j;

	if (c)
		ext_cells(c, cell);
	for (j = 0; j < EXT_COLS; j++)
		printf("  %-*s", j + 1 < EXT_COLS ? w[j] : 0, c ? cell[j] : ext_head[j]);
}

static void conn_table(const struct conn *rows, size_t n)
{
	int cw = 6, sw = 6, pw = 4, bw = 5, ew[EXT_COLS];
	char b[5][16], timer[64], kac[24], kas[24], tw[16], age[32], pk[48], by[48];
	size_t i;

	for (i = 0; i < n; i++) {
		if ((int)strlen(rows[i].client) > cw)
			cw = strlen(rows[i].client);
		if ((int)strlen(rows[i].server) > sw)
			sw = strlen(rows[i].server);
		pair_str(pk, sizeof(pk), rows[i].pkts[0], rows[i].pkts[1]);
		pair_str(by, sizeof(by), rows[i].bytes[0], rows[i].bytes[1]);
		if ((int)strlen(pk) > pw)
			pw = strlen(pk);
		if ((int)strlen(by) > bw)
			bw = strlen(by);
	}
	ext_widths(rows, n, ew);
	printf(TABLE_FMT, "FAM", cw, "CLIENT", sw, "SERVER", "LOCAL", "CLIENT-ST",
	       "SERVER-ST", "TIMER", "TW", "KA-CLI", "KA-SRV", "DEAD");
	if (opt_extended) {
		printf(WIDE_FMT, "AGE", pw, "PKTS", bw, "BYTES", "PICKUP");
		ext_print(NULL, ew);
	}
	putchar('\n');
	for (i = 0; i < n; i++) {
		const struct conn *c = &rows[i];

		timer_str(c, timer, sizeof(timer));
		snprintf(tw, sizeof(tw), "%u", c->tw_restarts);
		snprintf(kac, sizeof(kac), "%u/%u", c->ka_probes[0], c->ka_unanswered[0]);
		snprintf(kas, sizeof(kas), "%u/%u", c->ka_probes[1], c->ka_unanswered[1]);
		printf(TABLE_FMT, c->family == AF_INET ? "ipv4" : "ipv6", cw, c->client,
		       sw, c->server, name_of(&tcpsm_names_local, c->local, b[0]),
		       name_of(&tcpsm_names_state, c->cstate, b[1]),
		       name_of(&tcpsm_names_state, c->sstate, b[2]), timer, tw, kac, kas,
		       name_of(&tcpsm_names_ka_dead, c->ka_dead, b[3]));
		if (opt_extended) {
			pair_str(pk, sizeof(pk), c->pkts[0], c->pkts[1]);
			pair_str(by, sizeof(by), c->bytes[0], c->bytes[1]);
			printf(WIDE_FMT, fmt_left(c->age_ms, age, sizeof(age)), pw, pk, bw, by,
			       c->pickup ? "yes" : "no");
			ext_print(c, ew);
		}
		putchar('\n');
	}
}

/* get: every field, one per line; "-" for a due time with no meaning. */
static void conn_long(const struct conn *c)
{
	char b[6][16], t[32], next[2][16];
	int r;

	printf("family %s\nclient %s\nserver %s\nlocal %s\n",
	       c->family == AF_INET ? "ipv4" : "ipv6", c->client, c->server,
	       name_of(&tcpsm_names_local, c->local, b[0]));
	printf("client_state %s\nserver_state %s\n",
	       name_of(&tcpsm_names_state, c->cstate, b[1]),
	       name_of(&tcpsm_names_state, c->sstate, b[2]));
	printf("timer %s\ntimer_ms %u (%s)\ntw_restarts %u\ntw_ack_restarts %u\n",
	       name_of(&tcpsm_names_timer, c->timer, b[3]), c->timer_ms,
	       fmt_left(c->timer_ms, t, sizeof(t)), c->tw_restarts, c->tw_ack_restarts);
	printf("ka_probes_client %u\nka_unanswered_client %u\n", c->ka_probes[0],
	       c->ka_unanswered[0]);
	printf("ka_probes_server %u\nka_unanswered_server %u\n", c->ka_probes[1],
	       c->ka_unanswered[1]);
	for (r = 0; r < 2; r++) {
		if (ka_next_shown(c, r))
			snprintf(next[r], sizeof(next[r]), "%u", c->ka_next_ms[r]);
		else
			snprintf(next[r], sizeof(next[r]), "-");
	}
	printf("ka_idle_ms %u\nka_next_client_ms %s\nka_next_server_ms %s\nka_dead %s\n",
	       c->ka_idle_ms, next[0], next[1], name_of(&tcpsm_names_ka_dead, c->ka_dead, b[4]));
	printf("zw_probes_client %u\nzw_probes_server %u\npickup %u\n", c->zw_probes[0],
	       c->zw_probes[1], c->pickup);
	printf("replaced %u\nicmp_errors %u\nconfirmed %u\n", c->replaced, c->icmp_errors,
	       c->confirmed);
	if (c->zone)
		printf("zone %u\n", c->zone);
	printf("pkts_client %u\npkts_server %u\nbytes_client %llu\nbytes_server %llu\nage_ms %u\n",
	       c->pkts[0], c->pkts[1], (unsigned long long)c->bytes[0],
	       (unsigned long long)c->bytes[1], c->age_ms);
	conn_hist_long(stdout, c);
}

/* ---- list, count ---- */

static const char dump_intr_msg[] =
	"tcpsmctl: dump interrupted (NLM_F_DUMP_INTR): connections came or went\n"
	"tcpsmctl: meanwhile; some may be missing or counted twice: run it again\n";

struct rows {
	struct conn *v;
	size_t n, cap;
	const struct filter *f;
	int keep;		/* 0: count only */
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rows *r = data;
	struct conn c;

	if (conn_parse(NULL, nlh, &c) < 0 || !filter_match(r->f, &c))
		return MNL_CB_OK;
	if (r->keep && r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct conn *v = realloc(r->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		r->v = v;
		r->cap = cap;
	}
	if (r->keep)
		r->v[r->n] = c;
	r->n++;
	return MNL_CB_OK;
}

/*
 * Dump the table through @f into @r. The kernel filters on what it can
 * (one family, one state on either endpoint, one port, local); everything
 * is matched again here, so the answer does not depend on what it could.
 */
static int dump_conns(struct nl *nl, const char *what, const struct filter *f, struct rows *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int state = filter_kernel_state(f);

	r->f = f;
	nlh = nl_genl_msg(nl, buf, nl->family, TCPSM_CMD_CONN_GET, NLM_F_DUMP,
			  TCPSM_FAMILY_VERSION);
	if (f->family)
		mnl_attr_put_u8(nlh, TCPSM_A_CONN_FAMILY, f->family);
	if (state >= 0)
		mnl_attr_put_u32(nlh, TCPSM_A_CONN_STATE, state);
	if (f->port >= 0)
		mnl_attr_put_u16(nlh, TCPSM_A_CONN_PORT, htons(f->port));
	if (f->local >= 0)
		mnl_attr_put_u32(nlh, TCPSM_A_CONN_LOCAL, f->local);
	if (nl_run(nl, nlh, list_cb, r) < 0) {
		nl_perror(what);
		return -1;
	}
	if (nl_dump_interrupted())
		fputs(dump_intr_msg, stderr);
	return 0;
}

static int cmd_list(struct nl *nl, int argc, char **argv)
{
	struct filter f;
	struct rows r = { .keep = 1 };
	size_t i;
	int ret;

	ret = filter_parse("list", argc, argv, &f, 0);
	if (ret)
		return ret;
	if (connect_nl(nl, 0))
		return EXIT_ERR;
	if (dump_conns(nl, "list", &f, &r) < 0) {
		free(r.v);
		return EXIT_ERR;
	}
	if (opt_json) {
		putchar('[');
		for (i = 0; i < r.n; i++) {
			fputs(i ? ",\n" : "", stdout);
			conn_json(stdout, &r.v[i]);
		}
		puts("]");
	} else {
		conn_table(r.v, r.n);
	}
	free(r.v);
	return EXIT_OK;
}

static int cmd_count(struct nl *nl, int argc, char **argv)
{
	struct filter f;
	struct rows r = { .keep = 0 };
	int ret;

	ret = filter_parse("count", argc, argv, &f, 0);
	if (ret)
		return ret;
	if (connect_nl(nl, 0) || dump_conns(nl, "count", &f, &r) < 0)
		return EXIT_ERR;
	if (opt_json)
		printf("{\"count\":%zu}\n", r.n);
	else
		printf("%zu\n", r.n);
	return EXIT_OK;
}

/* ---- get ---- */

static int parse_endpoint(const char *addr, const char *port, int *family,
			  unsigned char *a, __u16 *p)
{
	char host[64];
	size_t len = strlen(addr);
	unsigned long v;

	if (len >= sizeof(host))
		return usage_error("get: bad address '%s'", addr);
	/* "[::1]" as well as "::1" */
	if (addr[0] == '[' && len > 2 && addr[len - 1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int)len - 2, addr + 1);
	else
		snprintf(host, sizeof(host), "%s", addr);
	if (inet_pton(AF_INET, host, a) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, host, a) == 1)
		*family = AF_INET6;
	else
		return usage_error("get: bad address '%s'", addr);
	if (parse_uint(port, 65535, &v))
		return usage_error("get: bad port '%s'", port);
	*p = v;
	return 0;
}

struct got {
	struct conn c;
	struct hist h;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct got *g = data;

	if (conn_parse(NULL, nlh, &g->c) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	hist_parse(NULL, nlh, &g->c, &g->h);
	return MNL_CB_OK;
}

/* conn_json's hook: the fields of issue 14, and get's history events. */
static const struct hist *json_hist;

static void json_more(FILE *f, const struct conn *c)
{
	conn_hist_json(f, c, json_hist);
}

static void get_print(const struct got *g)
{
	if (opt_ladder && !g->c.has_end)
		fputs("tcpsmctl: get: this tcpsm sends no history: load a tcpsm as new as\n"
		      "tcpsmctl: this tcpsmctl for --ladder\n", stderr);
	if (opt_ladder && !opt_json) {
		ladder_print(stdout, &g->c, &g->h);
		return;
	}
	if (opt_json) {
		json_hist = &g->h;
		conn_json(stdout, &g->c);
		json_hist = NULL;
		putchar('\n');
		return;
	}
	conn_long(&g->c);
}

static int get_reply(struct nl *nl, struct nlmsghdr *nlh, struct got *g)
{
	if (nl_run(nl, nlh, get_cb, g) < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "tcpsmctl: get: no such connection%s%s: %s\n",
				nl_extack()[0] ? ": " : "", nl_extack(),
				"'tcpsmctl list' shows the connections");
		else
			nl_perror("get");
		return EXIT_ERR;
	}
	if (!g->c.family) {
		fprintf(stderr, "tcpsmctl: get: no connection in the reply\n");
		return EXIT_ERR;
	}
	return EXIT_OK;
}

static int cmd_get(struct nl *nl, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned char ca[16], sa[16];
	int cf, sf, ret;
	__u16 cp, sp;
	struct nlmsghdr *nlh;
	struct got *g;

	if (argc != 4)
		return usage_error("%s", "get: CLIENT_ADDR CLIENT_PORT SERVER_ADDR SERVER_PORT");
	ret = parse_endpoint(argv[0], argv[1], &cf, ca, &cp);
	if (!ret)
		ret = parse_endpoint(argv[2], argv[3], &sf, sa, &sp);
	if (ret)
		return ret;
	if (cf != sf)
		return usage_error("%s", "get: the two addresses are not of one family");
	if (connect_nl(nl, 0))
		return EXIT_ERR;
	nlh = nl_genl_msg(nl, buf, nl->family, TCPSM_CMD_CONN_GET, 0, TCPSM_FAMILY_VERSION);
	mnl_attr_put_u8(nlh, TCPSM_A_CONN_FAMILY, cf);
	mnl_attr_put(nlh, TCPSM_A_CONN_CLIENT_ADDR, cf == AF_INET ? 4 : 16, ca);
	mnl_attr_put_u16(nlh, TCPSM_A_CONN_CLIENT_PORT, htons(cp));
	mnl_attr_put(nlh, TCPSM_A_CONN_SERVER_ADDR, cf == AF_INET ? 4 : 16, sa);
	mnl_attr_put_u16(nlh, TCPSM_A_CONN_SERVER_PORT, htons(sp));
	g = calloc(1, sizeof(*g));
	if (!g) {
		perror("tcpsmctl: get");
		return EXIT_ERR;
	}
	ret = get_reply(nl, nlh, g);
	if (!ret)
		get_print(g);
	free(g);
	return ret;
}

/* ---- stats ---- */

static const char *const config_names[__TCPSM_A_CONFIG_MAX] = {
	[TCPSM_A_CONFIG_MSL] = "msl",
	[TCPSM_A_CONFIG_FIN_WAIT_1_TIMEOUT] = "fin_wait_1_timeout",
	[TCPSM_A_CONFIG_FIN_WAIT_2_TIMEOUT] = "fin_wait_2_timeout",
	[TCPSM_A_CONFIG_SYN_SENT_TIMEOUT] = "syn_sent_timeout",
	[TCPSM_A_CONFIG_SYN_RCVD_TIMEOUT] = "syn_rcvd_timeout",
	[TCPSM_A_CONFIG_CLOSE_WAIT_TIMEOUT] = "close_wait_timeout",
	[TCPSM_A_CONFIG_LAST_ACK_TIMEOUT] = "last_ack_timeout",
	[TCPSM_A_CONFIG_CLOSING_TIMEOUT] = "closing_timeout",
	[TCPSM_A_CONFIG_ESTABLISHED_TIMEOUT] = "established_timeout",
	[TCPSM_A_CONFIG_CLOSE_LINGER] = "close_linger",
	[TCPSM_A_CONFIG_KEEPALIVE_TIME] = "keepalive_time",
	[TCPSM_A_CONFIG_KEEPALIVE_INTVL] = "keepalive_intvl",
	[TCPSM_A_CONFIG_KEEPALIVE_PROBES] = "keepalive_probes",
	[TCPSM_A_CONFIG_MAX_CONNS] = "max_conns",
	[TCPSM_A_CONFIG_PICKUP] = "pickup",
	[TCPSM_A_CONFIG_UNCONFIRMED_TIMEOUT] = "unconfirmed_timeout",
};

struct kv {
	const char *const *names;
	size_t n;
};

/* A reply's attributes as numbers: @vals[type], @have[type] for those present. */
struct u64s {
	__u64 *vals;
	char *have;
	size_t n;
};

static int u64s_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct u64s *u = data;
	const struct nlattr *tb[64] = {};
	struct attrs a = { tb, u->n - 1 };
	size_t i;

	mnl_attr_parse(nlh, GENL_HDRLEN, attrs_cb, &a);
	for (i = 0; i < u->n; i++) {
		u->have[i] = !!tb[i];
		u->vals[i] = attr_uint(tb[i]);
	}
	return MNL_CB_OK;
}

/* Run a get (stats-get, config-get) into @vals; -1 after saying why. */
static int get_u64s(struct nl *nl, __u8 cmd, const char *what, __u64 *vals, char *have,
		    size_t n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct u64s u = { vals, have, n };
	struct nlmsghdr *nlh;

	nlh = nl_genl_msg(nl, buf, nl->family, cmd, 0, TCPSM_FAMILY_VERSION);
	if (nl_run(nl, nlh, u64s_cb, &u) < 0) {
		nl_perror(what);
		return -1;
	}
	return 0;
}

/* "name value" lines, or one JSON object, in the header's order. */
static void kv_print(const struct kv *kv, const __u64 *vals, const char *have)
{
	size_t i;
	int first = 1;

	if (opt_json)
		putchar('{');
	for (i = 0; i < kv->n; i++) {
		if (!kv->names[i] || !have[i])
			continue;
		if (opt_json)
			printf("%s\"%s\":%llu", first ? "" : ",", kv->names[i],
			       (unsigned long long)vals[i]);
		else
			printf("%s %llu\n", kv->names[i], (unsigned long long)vals[i]);
		first = 0;
	}
	if (opt_json)
		puts("}");
}

/* Prometheus names: counters end in _total; "active" is a gauge. */
static void prom_counters(const __u64 *vals, const char *have)
{
	size_t i;

	for (i = 0; i < tcpsm_names_stats.n && i < 64; i++) {
		const char *name = tcpsm_names_stats.name[i];

		if (!name || !have[i])
			continue;
		if (!strcmp(name, "active")) {
			printf("# HELP tcpsm_active_connections Connections in tcpsm's table now.\n"
			       "# TYPE tcpsm_active_connections gauge\n"
			       "tcpsm_active_connections %llu\n", (unsigned long long)vals[i]);
			continue;
		}
		printf("# HELP tcpsm_%s_total tcpsm's counter %s, as in /proc/net/tcpsm/stats.\n"
		       "# TYPE tcpsm_%s_total counter\n"
		       "tcpsm_%s_total %llu\n", name, name, name, name,
		       (unsigned long long)vals[i]);
	}
}

static void prom_states(const struct rows *r)
{
	static const char *const endpoint[2] = { "client", "server" };
	unsigned long n[2][__TCPSM_STATE_MAX] = {};
	char label[32];
	size_t i, j;
	int e;

	for (i = 0; i < r->n; i++) {
		if (r->v[i].cstate < __TCPSM_STATE_MAX)
			n[0][r->v[i].cstate]++;
		if (r->v[i].sstate < __TCPSM_STATE_MAX)
			n[1][r->v[i].sstate]++;
	}
	puts("# HELP tcpsm_connections Connections by endpoint and the state tcpsm gives it.\n"
	     "# TYPE tcpsm_connections gauge");
	for (e = 0; e < 2; e++)
		for (i = 0; i < __TCPSM_STATE_MAX; i++) {
			const char *s = tcpsm_name(&tcpsm_names_state, i);

			if (!s)
				continue;
			/* label values in lower case, as the metric names */
			for (j = 0; s[j] && j + 1 < sizeof(label); j++)
				label[j] = s[j] >= 'A' && s[j] <= 'Z' ? s[j] + 32 : s[j];
			label[j] = '\0';
			printf("tcpsm_connections{endpoint=\"%s\",state=\"%s\"} %lu\n",
			       endpoint[e], label, n[e][i]);
		}
}

static int cmd_stats(struct nl *nl, int argc, char **argv)
{
	struct kv kv = { tcpsm_names_stats.name, tcpsm_names_stats.n };
	__u64 vals[64];
	char have[64];

	if (argc)
		return usage_error("stats: unexpected argument '%s'", argv[0]);
	if (opt_prometheus && opt_json)
		return usage_error("stats: --prometheus and --json: choose one");
	if (connect_nl(nl, 0))
		return EXIT_ERR;
	if (get_u64s(nl, TCPSM_CMD_STATS_GET, "stats", vals, have, 64) < 0)
		return EXIT_ERR;
	if (opt_prometheus) {
		struct filter f;
		struct rows r = { .keep = 1 };

		filter_parse("stats", 0, NULL, &f, 0);
		if (dump_conns(nl, "stats", &f, &r) < 0) {
			free(r.v);
			return EXIT_ERR;
		}
		prom_counters(vals, have);
		prom_states(&r);
		free(r.v);
		return EXIT_OK;
	}
	kv_print(&kv, vals, have);
	return EXIT_OK;
}

/* ---- config ---- */

static int config_key(const char *k)
{
	char name[64];
	size_t i;

	for (i = 0; k[i] && i < sizeof(name) - 1; i++)
		name[i] = k[i] == '-' ? '_' : k[i];
	name[i] = '\0';
	return index_of(config_names, ARRAY_SIZE(config_names), name);
}

static int cmd_config(struct nl *nl, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct kv kv = { config_names, ARRAY_SIZE(config_names) };
	struct nlmsghdr *nlh;
	unsigned long v, vals[__TCPSM_A_CONFIG_MAX] = {};
	__u64 old[__TCPSM_A_CONFIG_MAX], now[__TCPSM_A_CONFIG_MAX];
	char set[__TCPSM_A_CONFIG_MAX] = {}, have[__TCPSM_A_CONFIG_MAX];
	struct u64s u = { now, have, __TCPSM_A_CONFIG_MAX };
	int i, key;

	if (!argc) {
		if (connect_nl(nl, 0))
			return EXIT_ERR;
		if (get_u64s(nl, TCPSM_CMD_CONFIG_GET, "config", now, have,
			     __TCPSM_A_CONFIG_MAX) < 0)
			return EXIT_ERR;
		kv_print(&kv, now, have);
		return EXIT_OK;
	}
	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i])
			return usage_error("config: '%s' is not key=value", argv[i]);
		*eq = '\0';
		key = config_key(argv[i]);
		if (key < 0)
			return usage_error("config: unknown key '%s' (tcpsmctl config lists them)",
					   argv[i]);
		if (parse_uint(eq + 1, 0xffffffffUL, &v))
			return usage_error("config: '%s' is not a number", eq + 1);
		vals[key] = v;
		set[key] = 1;
	}
	if (connect_nl(nl, 0))
		return EXIT_ERR;
	if (get_u64s(nl, TCPSM_CMD_CONFIG_GET, "config", old, have, __TCPSM_A_CONFIG_MAX) < 0)
		return EXIT_ERR;
	nlh = nl_genl_msg(nl, buf, nl->family, TCPSM_CMD_CONFIG_SET, 0, TCPSM_FAMILY_VERSION);
	for (key = 0; key < __TCPSM_A_CONFIG_MAX; key++)
		if (set[key])
			mnl_attr_put_u32(nlh, key, vals[key]);
	/* The reply holds every tunable as it now is: the "new" of each line. */
	if (nl_run(nl, nlh, u64s_cb, &u) < 0) {
		char what[80] = "config";

		/* Name the key the kernel blamed, from the extack's offset. */
		key = nl_bad_attr();
		if (key > 0 && key < __TCPSM_A_CONFIG_MAX && config_names[key])
			snprintf(what, sizeof(what), "config %s=%lu", config_names[key], vals[key]);
		nl_perror(what);
		return EXIT_ERR;
	}
	for (key = 0; key < __TCPSM_A_CONFIG_MAX; key++)
		if (set[key])
			printf("%s %llu -> %llu\n", config_names[key], (unsigned long long)old[key],
			       (unsigned long long)(have[key] ? now[key] : vals[key]));
	return EXIT_OK;
}

static int cmd_flush(struct nl *nl, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	__u64 before[64], after[64];
	char have[64];
	struct nlmsghdr *nlh;

	if (argc) {
		struct filter f;
		int ret = filter_parse("flush", argc, argv, &f, 0);

		if (ret)
			return ret;
		/*
		 * The family's flush forgets the whole table and it has no op
		 * to forget one entry: a filtered flush cannot be honoured.
		 */
		fputs("tcpsmctl: flush: filters are not supported: the kernel's flush forgets\n"
		      "tcpsmctl: every connection of the namespace; run 'tcpsmctl flush' alone\n",
		      stderr);
		return EXIT_USAGE;
	}
	if (connect_nl(nl, 0))
		return EXIT_ERR;
	/* How many went: destroyed_flushed counts flushes only. */
	if (get_u64s(nl, TCPSM_CMD_STATS_GET, "flush", before, have, 64) < 0)
		return EXIT_ERR;
	nlh = nl_genl_msg(nl, buf, nl->family, TCPSM_CMD_FLUSH, 0, TCPSM_FAMILY_VERSION);
	if (nl_run(nl, nlh, NULL, NULL) < 0) {
		nl_perror("flush");
		return EXIT_ERR;
	}
	if (get_u64s(nl, TCPSM_CMD_STATS_GET, "flush", after, have, 64) < 0)
		return EXIT_ERR;
	printf("flushed %llu connections\n",
	       (unsigned long long)(after[TCPSM_A_STATS_DESTROYED_FLUSHED] -
				    before[TCPSM_A_STATS_DESTROYED_FLUSHED]));
	return EXIT_OK;
}

/* ---- watch, log ---- */

/* One connection of a live ladder. */
struct live {
	char client[64], server[64];
	unsigned int id;
	int by_history;		/* its events carry the history: print from it */
	__u32 printed;		/* history events printed (an index over all of them) */
	struct timespec first;	/* for the times of a ladder without history */
};

struct watch;
/* What to do with an event that passed the filters: 1 if it printed a line. */
typedef int (*watch_show_t)(struct watch *w, const struct watch_event *ev,
			    const struct conn *c, const struct nlattr *conn_attr);

struct watch {
	__u16 family;
	const struct filter *f;
	watch_show_t show;
	unsigned long shown;
	struct live *live;
	size_t nlive, cap;
	unsigned int next_id;
	struct hist h;
};

/* Event attribute TYPE's value, -1 if the message has none. */
static int attr_int(const struct nlattr **tb, int type)
{
	return tb[type] ? (int)attr_uint(tb[type]) : -1;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct watch *w = data;
	const struct nlattr *tb[TCPSM_A_EVENT_MAX + 1] = {};
	struct attrs a = { tb, TCPSM_A_EVENT_MAX };
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct watch_event ev;
	struct conn c;

	if (nlh->nlmsg_type != w->family || g->cmd != TCPSM_CMD_EVENT)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, GENL_HDRLEN, attrs_cb, &a);
	if (!tb[TCPSM_A_EVENT_TYPE] || !tb[TCPSM_A_EVENT_CONN] ||
	    conn_parse(tb[TCPSM_A_EVENT_CONN], NULL, &c) < 0)
		return MNL_CB_OK;
	ev.type = attr_uint(tb[TCPSM_A_EVENT_TYPE]);
	if (!filter_match(w->f, &c))
		return MNL_CB_OK;
	if (w->f->events && (ev.type >= 32 || !(w->f->events & (1u << ev.type))))
		return MNL_CB_OK;
	ev.role = attr_int(tb, TCPSM_A_EVENT_ROLE);
	ev.old_state = attr_int(tb, TCPSM_A_EVENT_OLD_STATE);
	ev.new_state = attr_int(tb, TCPSM_A_EVENT_NEW_STATE);
	ev.kind = attr_int(tb, TCPSM_A_EVENT_KIND);
	ev.reason = attr_int(tb, TCPSM_A_EVENT_REASON);
	ev.invalid = attr_int(tb, TCPSM_A_EVENT_INVALID);
	w->shown += w->show(w, &ev, &c, tb[TCPSM_A_EVENT_CONN]);
	fflush(stdout);
	if (opt_count && w->shown >= opt_count)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

static int show_line(struct watch *w, const struct watch_event *ev, const struct conn *c,
		     const struct nlattr *conn_attr)
{
	struct timespec ts;

	(void)w;
	(void)conn_attr;
	clock_gettime(CLOCK_REALTIME, &ts);
	watch_print(stdout, &ts, ev, c, opt_json);
	return 1;
}

/* The live ladder of @c, made when first seen (its header printed); NULL if no memory. */
static struct live *live_of(struct watch *w, const struct conn *c, int *fresh)
{
	struct live *l;
	size_t i;

	*fresh = 0;
	for (i = 0; i < w->nlive; i++)
		if (!strcmp(w->live[i].client, c->client) && !strcmp(w->live[i].server, c->server))
			return &w->live[i];
	if (w->nlive == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;

		l = realloc(w->live, cap * sizeof(*l));
		if (!l)
			return NULL;
		w->live = l;
		w->cap = cap;
	}
	l = &w->live[w->nlive++];
	memset(l, 0, sizeof(*l));
	snprintf(l->client, sizeof(l->client), "%s", c->client);
	snprintf(l->server, sizeof(l->server), "%s", c->server);
	l->id = ++w->next_id;
	clock_gettime(CLOCK_MONOTONIC, &l->first);
	*fresh = 1;
	return l;
}

/*
 * The history events not printed yet, with the lost events' marker where
 * they fell. A destroy event carries every event kept, the others the
 * latest only: the message's events are the last h->n of those kept.
 */
static int live_history(struct live *l, const struct hist *h, const struct conn *c,
			const char *prefix)
{
	unsigned int kept = strlen(c->history) - !!strchr(c->history, '~');
	unsigned int i, k, first = h->n < kept ? kept - h->n : 0;
	int n = 0;

	for (i = 0; i < h->n; i++) {
		__u32 at;

		k = first + i;	/* among the events kept */
		at = h->lost && k >= HIST_HEAD ? k + h->lost : k;

		if (at < l->printed)
			continue;
		if (at > l->printed)
			ladder_lost(stdout, prefix, at - l->printed);
		ladder_event(stdout, prefix, &h->ev[i]);
		l->printed = at + 1;
		n++;
	}
	return n;
}

/* A state event drawn as it comes, for events that carry no history. */
static int live_state(const struct live *l, const struct watch_event *ev, const char *prefix)
{
	struct hist_event e;
	struct timespec now;
	__u32 ms;

	if (ev->type != TCPSM_EVENT_TYPE_STATE || ev->role < 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - l->first.tv_sec) * 1000 + (now.tv_nsec - l->first.tv_nsec) / 1000000;
	state_event_hist(&e, ms, ev->role, ev->old_state, ev->new_state, ev->kind);
	ladder_event(stdout, prefix, &e);
	return 1;
}

static void live_forget(struct watch *w, struct live *l)
{
	*l = w->live[--w->nlive];
}

static int show_ladder(struct watch *w, const struct watch_event *ev, const struct conn *c,
		       const struct nlattr *conn_attr)
{
	char prefix[16], end[64], b[16];
	struct live *l;
	int fresh, n;

	l = live_of(w, c, &fresh);
	if (!l)
		return 0;
	snprintf(prefix, sizeof(prefix), "#%-3u ", l->id);
	hist_parse(conn_attr, NULL, c, &w->h);
	if (fresh) {
		l->by_history = w->h.n > 0;
		ladder_header(stdout, prefix, c);
	}
	n = l->by_history ? live_history(l, &w->h, c, prefix) : live_state(l, ev, prefix);
	if (ev->type != TCPSM_EVENT_TYPE_DESTROY)
		return n > 0;
	end_str(end, sizeof(end), c);
	printf("%s%8s  destroyed (%s)%s%s\n", prefix, "",
	       name_of(&tcpsm_names_reason, ev->reason, b), c->has_end ? ", end " : "",
	       c->has_end ? end : "");
	live_forget(w, l);
	return 1;
}

/* A time as ISO 8601 in UTC, to the millisecond: 2026-05-01T12:00:00.123Z. */
static void iso_utc(char *out, size_t len, const struct timespec *ts)
{
	char day[32];
	struct tm tm;

	gmtime_r(&ts->tv_sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, len, "%s.%03ldZ", day, ts->tv_nsec / 1000000);
}

/* log's columns, TSV's header and JSON's keys; numbers unquoted in JSON. */
enum { LOG_COLS = 17 };
static const struct {
	const char *name;
	int number;
} log_cols[LOG_COLS] = {
	{ "start", 0 }, { "duration_ms", 1 }, { "family", 0 }, { "client", 0 }, { "server", 0 },
	{ "pkts_client", 1 }, { "pkts_server", 1 }, { "bytes_client", 1 },
	{ "bytes_server", 1 }, { "retrans_client", 1 }, { "retrans_server", 1 },
	{ "client_state", 0 }, { "server_state", 0 }, { "closer", 0 }, { "end", 0 },
	{ "reason", 0 }, { "history", 0 },
};

static void log_cells(char cell[LOG_COLS][64], const char *start, const char *reason,
		      const struct conn *c)
{
	char b[3][16];
	int i = 0;

	snprintf(cell[i++], 64, "%s", start);
	snprintf(cell[i++], 64, "%u", c->age_ms);
	snprintf(cell[i++], 64, "%s", c->family == AF_INET ? "ipv4" : "ipv6");
	snprintf(cell[i++], 64, "%s", c->client);
	snprintf(cell[i++], 64, "%s", c->server);
	snprintf(cell[i++], 64, "%u", c->pkts[0]);
	snprintf(cell[i++], 64, "%u", c->pkts[1]);
	snprintf(cell[i++], 64, "%llu", (unsigned long long)c->bytes[0]);
	snprintf(cell[i++], 64, "%llu", (unsigned long long)c->bytes[1]);
	snprintf(cell[i++], 64, "%u", c->retrans[0]);
	snprintf(cell[i++], 64, "%u", c->retrans[1]);
	snprintf(cell[i++], 64, "%s", name_of(&tcpsm_names_state, c->cstate, b[0]));
	snprintf(cell[i++], 64, "%s", name_of(&tcpsm_names_state, c->sstate, b[1]));
	snprintf(cell[i++], 64, "%s", c->has_end ? name_of(&tcpsm_names_closer, c->closer, b[2])
						: "-");
	if (c->has_end)
		end_str(cell[i++], 64, c);
	else
		snprintf(cell[i++], 64, "-");
	snprintf(cell[i++], 64, "%s", reason);
	snprintf(cell[i++], 64, "%s", c->history[0] ? c->history : "-");
}

/* One line: tab-separated cells (or the header, @cell NULL), or a JSON object. */
static void log_line(char cell[LOG_COLS][64])
{
	int i;

	if (opt_json && cell)
		putchar('{');
	for (i = 0; i < LOG_COLS; i++) {
		const char *sep = i ? (opt_json ? "," : "\t") : "";

		if (!cell)
			printf("%s%s", sep, log_cols[i].name);
		else if (!opt_json)
			printf("%s%s", sep, cell[i]);
		else if (log_cols[i].number)
			printf("%s\"%s\":%s", sep, log_cols[i].name, cell[i]);
		else
			printf("%s\"%s\":\"%s\"", sep, log_cols[i].name, cell[i]);
	}
	puts(opt_json && cell ? "}" : "");
}

/* log: a destroyed connection, started its age ago. */
static int show_log(struct watch *w, const struct watch_event *ev, const struct conn *c,
		    const struct nlattr *conn_attr)
{
	char start[48], b[16], cell[LOG_COLS][64];
	const char *reason = ev->reason >= 0 ? name_of(&tcpsm_names_reason, ev->reason, b) : "-";
	struct timespec ts;

	(void)w;
	(void)conn_attr;
	if (ev->type != TCPSM_EVENT_TYPE_DESTROY)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec -= c->age_ms / 1000;
	ts.tv_nsec -= (long)(c->age_ms % 1000) * 1000000;
	if (ts.tv_nsec < 0) {
		ts.tv_nsec += 1000000000;
		ts.tv_sec--;
	}
	iso_utc(start, sizeof(start), &ts);
	log_cells(cell, start, reason, c);
	log_line(cell);
	return 1;
}

/* Listen to the events group, each event through @w->show, until -c or --timeout. */
static int listen_events(struct nl *nl, const char *what, struct watch *w)
{
	int ret = EXIT_OK;

	if (connect_nl(nl, 1))
		return EXIT_ERR;
	w->family = nl->family;
	if (opt_timeout) {
		clock_gettime(CLOCK_MONOTONIC, &nl->deadline);
		nl->deadline.tv_sec += opt_timeout;
	}
	if (nl_join(nl) < 0)
		return EXIT_ERR;
	if (w->show == show_log && !opt_json) {
		log_line(NULL);
		fflush(stdout);
	}
	if (nl_listen(nl, event_cb, w) < 0) {
		nl_perror(what);
		ret = EXIT_ERR;
	}
	free(w->live);
	return ret;
}

/* watch and log: their filters, then the events through @show. */
static int cmd_events(struct nl *nl, const char *cmd, int argc, char **argv, int events,
		      watch_show_t show)
{
	struct filter f;
	struct watch *w;
	int ret;

	ret = filter_parse(cmd, argc, argv, &f, events);
	if (ret)
		return ret;
	w = calloc(1, sizeof(*w));
	if (!w) {
		perror("tcpsmctl");
		return EXIT_ERR;
	}
	w->f = &f;
	w->show = show;
	ret = listen_events(nl, cmd, w);
	free(w);
	return ret;
}

static int cmd_watch(struct nl *nl, int argc, char **argv)
{
	if (opt_ladder && opt_json)
		return usage_error("watch: --ladder and --json: choose one");
	return cmd_events(nl, "watch", argc, argv, 1, opt_ladder ? show_ladder : show_line);
}

/* log: the destroy events only, whatever the filters. */
static int cmd_log(struct nl *nl, int argc, char **argv)
{
	return cmd_events(nl, "log", argc, argv, 0, show_log);
}

/* ---- graph ---- */

struct edge {
	__u32 role, from, to, what;
	__u64 count;
};

struct edges {
	struct edge *v;
	size_t n, cap;
};

static int graph_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCPSM_A_GRAPH_MAX + 1] = {};
	struct attrs a = { tb, TCPSM_A_GRAPH_MAX };
	struct edges *g = data;
	struct edge *e;

	mnl_attr_parse(nlh, GENL_HDRLEN, attrs_cb, &a);
	if (!tb[TCPSM_A_GRAPH_OLD_STATE] || !tb[TCPSM_A_GRAPH_NEW_STATE])
		return MNL_CB_OK;
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;

		e = realloc(g->v, cap * sizeof(*e));
		if (!e) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		g->v = e;
		g->cap = cap;
	}
	e = &g->v[g->n++];
	e->role = attr_uint(tb[TCPSM_A_GRAPH_ROLE]);
	e->from = attr_uint(tb[TCPSM_A_GRAPH_OLD_STATE]);
	e->to = attr_uint(tb[TCPSM_A_GRAPH_NEW_STATE]);
	e->what = attr_uint(tb[TCPSM_A_GRAPH_WHAT]);
	e->count = attr_uint(tb[TCPSM_A_GRAPH_COUNT]);
	return MNL_CB_OK;
}

/* By role, then the most travelled first, then by states and what. */
static int edge_cmp(const void *pa, const void *pb)
{
	const struct edge *a = pa, *b = pb;

	if (a->role != b->role)
		return a->role < b->role ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return a->what < b->what ? -1 : a->what > b->what;
}

static void edge_names(const struct edge *e, char b[4][16], const char **n)
{
	n[0] = name_of(&tcpsm_names_role, e->role, b[0]);
	n[1] = name_of(&tcpsm_names_state, e->from, b[1]);
	n[2] = name_of(&tcpsm_names_state, e->to, b[2]);
	n[3] = name_of(&tcpsm_names_hist, e->what, b[3]);
}

static void graph_table(const struct edges *g)
{
	char b[4][16];
	const char *n[4];
	size_t i;

	printf("%-6s  %-11s  %-11s  %-10s  %s\n", "ROLE", "FROM", "TO", "WHAT", "COUNT");
	for (i = 0; i < g->n; i++) {
		edge_names(&g->v[i], b, n);
		printf("%-6s  %-11s  %-11s  %-10s  %llu\n", n[0], n[1], n[2], n[3],
		       (unsigned long long)g->v[i].count);
	}
}

static void graph_json(const struct edges *g)
{
	char b[4][16];
	const char *n[4];
	size_t i;

	putchar('[');
	for (i = 0; i < g->n; i++) {
		edge_names(&g->v[i], b, n);
		printf("%s{\"role\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",", i ? ",\n" : "",
		       n[0], n[1], n[2]);
		printf("\"what\":\"%s\",\"count\":%llu}", n[3], (unsigned long long)g->v[i].count);
	}
	puts("]");
}

/* 1 + log10(count), in tenths: 1.0 for once, 2.0 for ten times, 3.0 for a hundred. */
static unsigned int pen_tenths(__u64 count)
{
	static const unsigned char lead[10] = { 0, 0, 3, 5, 6, 7, 8, 8, 9, 9 };
	unsigned int t = 10;

	for (; count >= 10 && t < 100; count /= 10)
		t += 10;
	return t + lead[count < 10 ? count : 9];
}

static void graph_dot(const struct edges *g)
{
	static const char *const colour[2] = { "blue", "red" };
	char b[4][16];
	const char *n[4];
	unsigned int r, pw;
	size_t i;

	puts("digraph tcpsm {\n\trankdir=TB;\n\tnode [shape=box, style=rounded];");
	for (r = 0; r < 2; r++) {
		printf("\tsubgraph cluster_%s {\n\t\tlabel=\"%s\";\n\t\tcolor=%s;\n",
		       tcpsm_names_role.name[r], tcpsm_names_role.name[r], colour[r]);
		for (i = 0; i < g->n; i++) {
			if (g->v[i].role != r)
				continue;
			edge_names(&g->v[i], b, n);
			pw = pen_tenths(g->v[i].count);
			printf("\t\t\"%s %s\" -> \"%s %s\" ", n[0], n[1], n[0], n[2]);
			printf("[label=\"%s x%llu\", penwidth=%u.%u, color=%s];\n", n[3],
			       (unsigned long long)g->v[i].count, pw / 10, pw % 10, colour[r]);
		}
		puts("\t}");
	}
	puts("}");
}

static int cmd_graph(struct nl *nl, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct edges g = { NULL, 0, 0 };
	struct nlmsghdr *nlh;

	if (argc)
		return usage_error("graph: unexpected argument '%s'", argv[0]);
	if (opt_dot && opt_json)
		return usage_error("graph: --dot and --json: choose one");
	if (connect_nl(nl, 0))
		return EXIT_ERR;
	nlh = nl_genl_msg(nl, buf, nl->family, TCPSM_CMD_GRAPH_GET, NLM_F_DUMP,
			  TCPSM_FAMILY_VERSION);
	if (nl_run(nl, nlh, graph_cb, &g) < 0) {
		nl_perror(errno == EOPNOTSUPP ? "graph (load a tcpsm as new as this tcpsmctl)" :
			  "graph");
		free(g.v);
		return EXIT_ERR;
	}
	qsort(g.v, g.n, sizeof(*g.v), edge_cmp);
	if (opt_dot)
		graph_dot(&g);
	else if (opt_json)
		graph_json(&g);
	else
		graph_table(&g);
	free(g.v);
	return EXIT_OK;
}

/* ---- main ---- */

/* Open the socket and find the family, once the arguments are known good. */
static int connect_nl(struct nl *nl, int events)
{
	if (nl_open(nl) < 0)
		return -1;
	return nl_resolve(nl, TCPSM_FAMILY_NAME, events ? TCPSM_MCGRP_EVENTS : NULL);
}

static void print_help(FILE *f)
{
	fputs("Usage: tcpsmctl [OPTIONS] COMMAND [ARGS]   (options anywhere on the line)\n"
	      "\n"
	      "Commands:\n"
	      "  list [FILTER ...]   the connections of the namespace, one per line\n"
	      "  count [FILTER ...]  how many connections match\n"
	      "  get CLIENT_ADDR CLIENT_PORT SERVER_ADDR SERVER_PORT [--ladder]\n"
	      "                      one connection, every field; --ladder: its history\n"
	      "                      as a sequence diagram, client and server\n"
	      "  watch [FILTER ...] [event TYPE ...] [--ladder] [-c N] [--timeout S]\n"
	      "                      events as they happen, one line each; --ladder:\n"
	      "                      as arrows, each connection's under its number\n"
	      "  log [FILTER ...] [-c N] [--timeout S]\n"
	      "                      a line per connection as it leaves the table (TSV,\n"
	      "                      or JSON lines): start (UTC), duration, counts, end.\n"
	      "                      Follows as conntrack -E does: until interrupted,\n"
	      "                      N lines or S seconds (-f, --follow: the default)\n"
	      "  graph [--dot]       the state graph the namespace's connections took:\n"
	      "                      role, from, to, what moved it, how many times\n"
	      "  stats [--prometheus]\n"
	      "                      the counters (and per-state gauges for Prometheus)\n"
	      "  config [KEY=VALUE ...]\n"
	      "                      show the tunables, or set some (all or none)\n"
	      "  flush               forget every connection of the namespace\n"
	      "\n"
	      "Filters (all must hold; several states on one endpoint are alternatives):\n"
	      "  state [client|server] STATE   a state or group, on either endpoint or one\n"
	      "  src PREFIX, dst PREFIX        the client's, the server's address:\n"
	      "                                10.0.0.0/8, fd00::/64, [::1]\n"
	      "  sport N, dport N, port N      the client's, the server's, either port\n"
	      "  family ipv4|ipv6, local client|server|both|none\n"
	      "\n"
	      "States, as ss(8) or RFC 793 names them, any case:\n"
	      "  closed listen syn-sent syn-recv (SYN_RCVD) established fin-wait-1\n"
	      "  fin-wait-2 close-wait closing last-ack time-wait\n"
	      "Groups, as in ss(8): all, connected (not listen or closed), synchronized\n"
	      "  (connected, not syn-sent), bucket (syn-recv, time-wait), big (not bucket)\n"
	      "Events: new state tw_start tw_restart tw_expire ka_probe ka_answered ka_dead\n"
	      "  destroy invalid icmp\n"
	      "History letters (upper case: the client's; lower: the server's):\n"
	      "  S syn  H synack  A ack  D data  F fin  R rst  C challenged rst  B bad\n"
	      "  T retransmitted  W 2MSL restart  K keepalive probe  Y keepalive answer\n"
	      "  Z zero-window probe  I icmp  X timeout  L keepalive dead  P picked up\n"
	      "Ends: closed reset_client reset_server refused timeout[:ROLE:STATE] icmp\n"
	      "  evicted flushed replaced (none while it goes on)\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json, -o json JSON output (watch: one object per line)\n"
	      "  -e, -o extended     list: add age, packets, bytes, pickup, time in state,\n"
	      "                      retransmissions, RTT, closer, end and history columns\n"
	      "      --prometheus    stats: the Prometheus text format\n"
	      "      --ladder        get, watch: a sequence diagram\n"
	      "      --dot           graph: Graphviz dot\n"
	      "  -c, --count N       watch, log: stop after N lines\n"
	      "      --timeout S     watch, log: stop after S seconds\n"
	      "  -n, --netns NETNS   work in network namespace /run/netns/NETNS\n"
	      "  -V, --version       the version\n"
	      "  -h, --help          this text\n"
	      "\n"
	      "Exit status: 0 ok, 1 error, 2 usage. See tcpsmctl(8).\n", f);
}

static const struct {
	const char *name;
	int (*fn)(struct nl *nl, int argc, char **argv);
} commands[] = {
	{ "list", cmd_list },
	{ "count", cmd_count },
	{ "get", cmd_get },
	{ "watch", cmd_watch },
	{ "stats", cmd_stats },
	{ "config", cmd_config },
	{ "flush", cmd_flush },
	{ "log", cmd_log },
	{ "graph", cmd_graph },
};

/*
 * Take the options out of argv wherever they are (tcpsmctl list -n web
 * state time-wait), leaving the command and its words in order. No word of
 * a command starts with '-', so anything that does is an option.
 */
static int take_options(int *argc, char **argv, const char **netns)
{
	int i, n = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i], *val = i + 1 < *argc ? argv[i + 1] : NULL;

		if (a[0] != '-' || !a[1]) {
			argv[n++] = argv[i];
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			opt_json = 1;
		} else if (!strcmp(a, "-e") || !strcmp(a, "--extended")) {
			opt_extended = 1;
		} else if (!strcmp(a, "--prometheus")) {
			opt_prometheus = 1;
		} else if (!strcmp(a, "--ladder")) {
			opt_ladder = 1;
		} else if (!strcmp(a, "--dot")) {
			opt_dot = 1;
		} else if (!strcmp(a, "-f") || !strcmp(a, "--follow")) {
			/* log always follows: there is no record of the past */
		} else if (!strcmp(a, "-c") || !strcmp(a, "--count") ||
			   !strcmp(a, "--timeout")) {
			if (!val)
				return usage_error("option '%s' needs a value", a);
			unsigned long *v = a[2] == 't' ? &opt_timeout : &opt_count;

			if (parse_uint(val, 0xffffffffUL, v) || !*v)
				return usage_error("option '%s' takes a number above 0, not '%s'",
						   a, val);
			i++;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout);
			exit(EXIT_OK);
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("tcpsmctl %s\n", TCPSM_VERSION);
			exit(EXIT_OK);
		} else if (!strcmp(a, "-n") || !strcmp(a, "--netns")) {
			if (!val)
				return usage_error("option '%s' needs a value", a);
			*netns = argv[++i];
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (!val)
				return usage_error("option '%s' needs a value", a);
			i++;
			if (!strcmp(val, "extended"))
				opt_extended = 1;
			else if (!strcmp(val, "json"))
				opt_json = 1;
			else
				return usage_error("-o takes extended or json, not '%s'", val);
		} else if (!strncmp(a, "--netns=", 8)) {
			*netns = a + 8;
		} else if (!strncmp(a, "-n", 2)) {
			*netns = a + 2;
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

/* An option given to a command that has no use for it is a usage error. */
static int options_fit(int (*fn)(struct nl *nl, int argc, char **argv))
{
	if (opt_prometheus && fn != cmd_stats)
		return usage_error("--prometheus is for stats only");
	if (opt_ladder && fn != cmd_get && fn != cmd_watch)
		return usage_error("--ladder is for get and watch only");
	if (opt_dot && fn != cmd_graph)
		return usage_error("--dot is for graph only");
	if ((opt_count || opt_timeout) && fn != cmd_watch && fn != cmd_log)
		return usage_error("-c and --timeout are for watch and log only");
	return 0;
}

int main(int argc, char **argv)
{
	const char *netns = NULL;
	struct nl nl;
	size_t i;
	int ret;

	ret = take_options(&argc, argv, &netns);
	if (ret)
		return ret;
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			break;
	if (i == ARRAY_SIZE(commands))
		return usage_error("unknown command '%s'", argv[1]);
	ret = options_fit(commands[i].fn);
	if (ret)
		return ret;
	if (netns && nl_setns(netns) < 0)
		return EXIT_ERR;
	memset(&nl, 0, sizeof(nl));
	conn_json_more = json_more;
	ret = commands[i].fn(&nl, argc - 2, argv + 2);
	nl_close(&nl);
	return ret;
}
