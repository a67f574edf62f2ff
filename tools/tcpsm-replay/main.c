// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm-replay: what tcpsm would have said of a capture. The options are
 * read here; the rest is capture.c (frames), track.c (the hooks), table.c
 * (the table and the clock) and output.c (the module's formats).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "replay.h"
#include "show.h"

static void print_help(FILE *f)
{
	fputs("Usage: tcpsm-replay [OPTIONS] FILE|-\n"
	      "\n"
	      "Replays a pcap or pcapng capture through tcpsm's state machine and timers,\n"
	      "the capture's timestamps as the clock. Prints events as tcpsmctl watch does.\n"
	      "\n"
	      "  -j, --json          JSON: events as tcpsmctl watch --json, table rows as list --json\n"
	      "      --table         the table at the end, as /proc/net/tcpsm/conns\n"
	      "      --at TIME       the table at TIME: seconds since the epoch, or +SECONDS\n"
	      "                      from the first frame\n"
	      "      --stats         the counters at the end, as /proc/net/tcpsm/stats\n"
	      "      --events        events too, with --table or --stats\n"
	      "      --local ADDR    ADDR is the observer's own address (repeatable): its\n"
	      "                      segments are seen at LOCAL_OUT and LOCAL_IN; default: a router\n"
	      "      --set NAME=VALUE\n"
	      "                      a tunable, as the net.tcpsm.* sysctls (msl, max_conns ...)\n"
	      "      --rfc1337       receivers keep TIME_WAIT on a RST (net.ipv4.tcp_rfc1337)\n"
	      "      --state STATE   only connections with an endpoint in STATE (table)\n"
	      "      --port N        only connections with an end on port N\n"
	      "      --addr ADDR     only connections with an end at ADDR\n"
	      "      --family ipv4|ipv6\n"
	      "  -h, --help          this text\n"
	      "\n"
	      "Exit status: 0 ok, 1 the capture could not be read in full, 2 usage.\n"
	      "See tcpsm-replay(1).\n", f);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("tcpsm-replay: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'tcpsm-replay --help'.\n", stderr);
	return EXIT_USAGE;
}

static int parse_int(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return !*s || *end || errno ? -1 : 0;
}

static int parse_addr(const char *s, union tcpsm_addr *a, u8 *family)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

/* --set NAME=VALUE: the sysctl's name and range (module/tunables.c). */
static int set_tunable(struct replay *r, char *arg)
{
	char *eq = strchr(arg, '=');
	int i, min, max;
	long v;

	if (!eq)
		return usage_error("--set takes NAME=VALUE, not '%s'", arg);
	*eq = '\0';
	i = tcpsm_tunable_find(arg);
	if (i < 0)
		return usage_error("--set: no tunable '%s'", arg);
	tcpsm_config_range(i, &min, &max);
	if (parse_int(eq + 1, &v) || v < min || v > max) {
		fprintf(stderr, "tcpsm-replay: --set: %s=%s is out of range [%d, %d]\n", arg,
			eq + 1, min, max);
		return EXIT_USAGE;
	}
	tcpsm_config_set(&r->cfg, i, v);
	return 0;
}

static int add_local(struct replay *r, const char *s)
{
	unsigned int n = r->n_local + 1;
	union tcpsm_addr *a = realloc(r->local, n * sizeof(*a));
	u8 *f;

	if (a)
		r->local = a;
	f = a ? realloc(r->local_family, n) : NULL;
	if (!f) {
		perror("tcpsm-replay");
		return EXIT_ERR;
	}
	r->local_family = f;
	if (parse_addr(s, &r->local[r->n_local], &r->local_family[r->n_local]))
		return usage_error("--local: bad address '%s'", s);
	r->n_local = n;
	return 0;
}

static int state_index(const char *s)
{
	unsigned int i;

	for (i = 0; i < tcpsm_names_state.n; i++)
		if (tcpsm_names_state.name[i] && !strcasecmp(tcpsm_names_state.name[i], s))
			return i;
	return -1;
}

static int parse_at(const char *s, struct at_spec *at)
{
	char *end;

	at->set = true;
	at->relative = *s == '+';
	errno = 0;
	at->secs = strtod(s + at->relative, &end);
	if (!s[at->relative] || *end || errno || at->secs < 0)
		return usage_error("--at: bad time '%s'", s);
	return 0;
}

enum { O_TABLE = 256, O_AT, O_STATS, O_EVENTS, O_LOCAL, O_SET, O_RFC1337, O_STATE,
	O_PORT, O_ADDR, O_FAMILY };

struct opts {
	bool table, stats, events;
	struct at_spec at;
};

static int one_option(struct replay *r, struct opts *o, int c, char *arg)
{
	long v;

	switch (c) {
	case 'j':
		r->json = true;
		return 0;
	case O_TABLE:
		o->table = true;
		return 0;
	case O_AT:
		o->table = true;
		return parse_at(arg, &o->at);
	case O_STATS:
		o->stats = true;
		return 0;
	case O_EVENTS:
		o->events = true;
		return 0;
	case O_LOCAL:
		return add_local(r, arg);
	case O_SET:
		return set_tunable(r, arg);
	case O_RFC1337:
		r->rfc1337 = true;
		return 0;
	case O_STATE:
		r->filter.state = state_index(arg);
		return r->filter.state < 0 ? usage_error("--state: unknown state '%s'", arg) : 0;
	case O_PORT:
		if (parse_int(arg, &v) || v < 0 || v > 65535)
			return usage_error("--port: bad port '%s'", arg);
		r->filter.port = v;
		return 0;
	case O_ADDR:
		return parse_addr(arg, &r->filter.addr, &r->filter.addr_family) ?
		       usage_error("--addr: bad address '%s'", arg) : 0;
	case O_FAMILY:
		if (strcmp(arg, "ipv4") && strcmp(arg, "ipv6"))
			return usage_error("--family is ipv4 or ipv6, not '%s'", arg);
		r->filter.family = arg[3] == '4' ? AF_INET : AF_INET6;
		return 0;
	case 'h':
		print_help(stdout);
		return -1;
	}
	fputs("Try 'tcpsm-replay --help'.\n", stderr);
	return EXIT_USAGE;
}

static int parse_options(struct replay *r, struct opts *o, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "table", no_argument, NULL, O_TABLE },
		{ "at", required_argument, NULL, O_AT },
		{ "stats", no_argument, NULL, O_STATS },
		{ "events", no_argument, NULL, O_EVENTS },
		{ "local", required_argument, NULL, O_LOCAL },
		{ "set", required_argument, NULL, O_SET },
		{ "rfc1337", no_argument, NULL, O_RFC1337 },
		{ "state", required_argument, NULL, O_STATE },
		{ "port", required_argument, NULL, O_PORT },
		{ "addr", required_argument, NULL, O_ADDR },
		{ "family", required_argument, NULL, O_FAMILY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	while ((c = getopt_long(argc, argv, "jh", lopts, NULL)) != -1) {
		ret = one_option(r, o, c, optarg);
		if (ret)
			return ret;
	}
	if (optind != argc - 1)
		return usage_error("%s", optind < argc ? "one capture file only" :
					 "which capture? (a file, or - for standard input)");
	return 0;
}

int main(int argc, char **argv)
{
	struct replay r = { .cfg = tcpsm_defaults, .out = stdout };
	struct opts o = { 0 };
	int ret;

	r.filter.state = -1;
	r.filter.port = -1;
	conn_json_more = replay_json_more;
	ret = parse_options(&r, &o, argc, argv);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	r.events = o.events || (!o.table && !o.stats);
	if (table_init(&r)) {
		perror("tcpsm-replay");
		return EXIT_ERR;
	}
	ret = replay_stream(&r, argv[optind], NULL, &o.at) ? EXIT_ERR : EXIT_OK;
	if (o.table)
		print_table(&r);
	if (o.stats)
		print_stats(&r);
	table_free(&r);
	free(r.local);
	free(r.local_family);
	return ret;
}
