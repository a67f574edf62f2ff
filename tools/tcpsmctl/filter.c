// SPDX-License-Identifier: GPL-2.0
/*
 * The filters of list, count, watch and flush (filter.h). States take the
 * names ss(8) gives them as well as RFC 793's, and ss's groups, so that
 * what works with `ss state ...` works here.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <linux/tcpsm.h>

#include "filter.h"
#include "tcpsmctl.h"

#define SBIT(s) (1u << (s))
#define ALL_STATES (SBIT(__TCPSM_STATE_MAX) - 1)

/* Compared after lower-casing and turning '_' into '-'. */
static const struct {
	const char *name;
	int state;
} state_names[] = {
	{ "closed", TCPSM_CLOSED },
	{ "close", TCPSM_CLOSED },		/* ss */
	{ "unconnected", TCPSM_CLOSED },	/* ss */
	{ "listen", TCPSM_LISTEN },
	{ "listening", TCPSM_LISTEN },		/* ss */
	{ "syn-sent", TCPSM_SYN_SENT },
	{ "syn-rcvd", TCPSM_SYN_RCVD },
	{ "syn-recv", TCPSM_SYN_RCVD },		/* ss */
	{ "syn-rcv", TCPSM_SYN_RCVD },		/* ss */
	{ "established", TCPSM_ESTABLISHED },
	{ "fin-wait-1", TCPSM_FIN_WAIT_1 },
	{ "fin-wait-2", TCPSM_FIN_WAIT_2 },
	{ "close-wait", TCPSM_CLOSE_WAIT },
	{ "closing", TCPSM_CLOSING },
	{ "last-ack", TCPSM_LAST_ACK },
	{ "time-wait", TCPSM_TIME_WAIT },
};

static void normalise(char *out, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		out[i] = s[i] == '_' ? '-' : (s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[i] = '\0';
}

int state_from_name(const char *s)
{
	char n[32];
	size_t i;

	normalise(n, sizeof(n), s);
	for (i = 0; i < ARRAY_SIZE(state_names); i++)
		if (!strcmp(n, state_names[i].name))
			return state_names[i].state;
	return -1;
}

/* ss(8)'s groups, as its man page defines them. */
unsigned int state_group(const char *s)
{
	const unsigned int bucket = SBIT(TCPSM_TIME_WAIT) | SBIT(TCPSM_SYN_RCVD);
	const unsigned int connected = ALL_STATES & ~(SBIT(TCPSM_LISTEN) | SBIT(TCPSM_CLOSED));
	char n[32];

	normalise(n, sizeof(n), s);
	if (!strcmp(n, "all"))
		return ALL_STATES;
	if (!strcmp(n, "connected"))
		return connected;
	if (!strcmp(n, "synchronized"))
		return connected & ~SBIT(TCPSM_SYN_SENT);
	if (!strcmp(n, "bucket"))
		return bucket;
	if (!strcmp(n, "big"))
		return ALL_STATES & ~bucket;
	return 0;
}

/* "10.0.0.0/8", "fd00::/64", "[::1]", "[fd00::]/64", "::1" */
static int parse_prefix(const char *s, struct prefix *p)
{
	char host[64];
	const char *slash = strrchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long bits;
	unsigned int max;

	if (len >= sizeof(host) || !len)
		return -1;
	if (s[0] == '[' && len > 2 && s[len - 1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int)len - 2, s + 1);
	else
		snprintf(host, sizeof(host), "%.*s", (int)len, s);
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, host, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, host, p->addr) == 1)
		p->family = AF_INET6;
	else
		return -1;
	max = p->family == AF_INET ? 32 : 128;
	p->len = max;
	if (slash) {
		if (parse_uint(slash + 1, max, &bits))
			return -1;
		p->len = bits;
	}
	return 0;
}

static int prefix_match(const struct prefix *p, int family, const unsigned char *a)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (!p->family)
		return 1;
	if (family != p->family || memcmp(a, p->addr, full))
		return 0;
	return !rest || !((a[full] ^ p->addr[full]) & (0xff << (8 - rest)));
}

static int parse_port(const char *cmd, const char *k, const char *val, int *port)
{
	unsigned long v;

	if (*port >= 0)
		return usage_error("%s: '%s' given twice", cmd, k);
	if (parse_uint(val, 65535, &v))
		return usage_error("%s: bad port '%s' (0 to 65535)", cmd, val);
	*port = v;
	return 0;
}

static int parse_state(const char *cmd, int argc, char **argv, int *i, struct filter *f)
{
	unsigned int *set = &f->states_either, mask;
	const char *val;
	int s;

	if (*i + 1 < argc && !strcmp(argv[*i + 1], "client")) {
		set = &f->states_client;
		++*i;
	} else if (*i + 1 < argc && !strcmp(argv[*i + 1], "server")) {
		set = &f->states_server;
		++*i;
	}
	if (*i + 1 >= argc)
		return usage_error("%s: 'state' needs a state or a group, e.g. %s", cmd,
				    "state time-wait");
	val = argv[++*i];
	s = state_from_name(val);
	mask = s >= 0 ? SBIT(s) : state_group(val);
	if (!mask)
		return usage_error("%s: unknown state '%s' (tcpsmctl --help lists them)",
				     cmd, val);
	*set |= mask;
	return 0;
}

int filter_parse(const char *cmd, int argc, char **argv, struct filter *f, int events)
{
	int i, ret;

	memset(f, 0, sizeof(*f));
	f->port = -1;
	f->sport = -1;
	f->dport = -1;
	f->local = -1;
	for (i = 0; i < argc; i++) {
		const char *k = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		f->given = 1;
		if (!strcmp(k, "state")) {
			ret = parse_state(cmd, argc, argv, &i, f);
			if (ret)
				return ret;
			continue;
		}
		if (!val)
			return usage_error("%s: '%s' needs a value", cmd, k);
		i++;
		if (!strcmp(k, "family")) {
			if (!strcmp(val, "ipv4") || !strcmp(val, "inet") || !strcmp(val, "4"))
				f->family = AF_INET;
			else if (!strcmp(val, "ipv6") || !strcmp(val, "inet6") || !strcmp(val, "6"))
				f->family = AF_INET6;
			else
				return usage_error("%s: family is ipv4 or ipv6, not '%s'",
						   cmd, val);
		} else if (!strcmp(k, "port")) {
			ret = parse_port(cmd, k, val, &f->port);
		} else if (!strcmp(k, "sport")) {
			ret = parse_port(cmd, k, val, &f->sport);
		} else if (!strcmp(k, "dport")) {
			ret = parse_port(cmd, k, val, &f->dport);
		} else if (!strcmp(k, "src") || !strcmp(k, "dst")) {
			struct prefix *p = k[0] == 's' ? &f->src : &f->dst;

			if (p->family)
				return usage_error("%s: '%s' given twice", cmd, k);
			if (parse_prefix(val, p))
				return usage_error("%s: bad address or prefix '%s' (%s)", cmd, val,
						   "e.g. 10.0.0.0/8, fd00::/64, [::1]");
		} else if (!strcmp(k, "local")) {
			f->local = -1;
			for (ret = 0; ret <= TCPSM_LOCAL_BOTH; ret++)
				if (!strcmp(val, tcpsm_name(&tcpsm_names_local, ret)))
					f->local = ret;
			if (f->local < 0)
				return usage_error("%s: local is %s, not '%s'", cmd,
						   "client, server, both or none", val);
		} else if (events && !strcmp(k, "event")) {
			unsigned int e;

			for (e = 0; e < tcpsm_names_event.n; e++)
				if (tcpsm_names_event.name[e] &&
				    !strcasecmp(val, tcpsm_names_event.name[e]))
					break;
			if (e == tcpsm_names_event.n)
				return usage_error("%s: unknown event '%s' (%s)", cmd, val,
						   "tcpsmctl --help lists them");
			f->events |= SBIT(e);
		} else {
			return usage_error("%s: unknown filter '%s' (tcpsmctl --help lists them)",
					     cmd, k);
		}
		if (ret)
			return ret;
	}
	return 0;
}

int filter_match(const struct filter *f, const struct conn *c)
{
	unsigned int cs = SBIT(c->cstate), ss = SBIT(c->sstate);

	if (f->family && c->family != f->family)
		return 0;
	if (f->states_either && !((cs | ss) & f->states_either))
		return 0;
	if (f->states_client && !(cs & f->states_client))
		return 0;
	if (f->states_server && !(ss & f->states_server))
		return 0;
	if (f->port >= 0 && c->cport != f->port && c->sport != f->port)
		return 0;
	if (f->sport >= 0 && c->cport != f->sport)
		return 0;
	if (f->dport >= 0 && c->sport != f->dport)
		return 0;
	if (!prefix_match(&f->src, c->family, c->caddr) ||
	    !prefix_match(&f->dst, c->family, c->saddr))
		return 0;
	if (f->local == TCPSM_LOCAL_NONE || f->local == TCPSM_LOCAL_BOTH)
		return (int)c->local == f->local;
	if (f->local >= 0)
		return (c->local & f->local) != 0;
	return 1;
}

int filter_kernel_state(const struct filter *f)
{
	unsigned int m = f->states_either;

	/* The kernel matches one state on either endpoint: exactly that. */
	if (!m || (m & (m - 1)) || f->states_client || f->states_server)
		return -1;
	return __builtin_ctz(m);
}
