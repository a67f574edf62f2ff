// SPDX-License-Identifier: GPL-2.0
/*
 * How tcpsmctl shows a connection and an event (show.h).
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/tcpsm.h>

#include "show.h"

/* A name from a table, or "?N" for a number this tool does not know. */
const char *name_of(const struct tcpsm_names *t, __u32 v, char *buf)
{
	const char *name = tcpsm_name(t, v);

	if (name)
		return name;
	sprintf(buf, "?%u", v);
	return buf;
}

void endpoint_str(char *out, size_t outlen, char *addr_s, int family,
		  const unsigned char *addr, __u16 port)
{
	inet_ntop(family, addr, addr_s, 48);
	if (family == AF_INET)
		snprintf(out, outlen, "%s:%u", addr_s, port);
	else
		snprintf(out, outlen, "[%s]:%u", addr_s, port);
}

/*
 * The module leaves the due time out where no probe can come (an endpoint
 * in TIME_WAIT or CLOSED: module/view.c); so does tcpsm-replay.
 */
int ka_next_shown(const struct conn *c, int role)
{
	return !c->ka_next_absent[role];
}

void (*conn_json_more)(FILE *f, const struct conn *c);

/*
 * The keys and formats of /proc/net/tcpsm/conns, numbers as JSON numbers,
 * flags as booleans; a keepalive due time with no meaning is left out.
 */
void conn_json(FILE *f, const struct conn *c)
{
	char b[8][16];

	fprintf(f, "{\"family\":\"%s\",\"client\":\"%s\",\"server\":\"%s\",",
		c->family == AF_INET ? "ipv4" : "ipv6", c->client, c->server);
	fprintf(f, "\"client_addr\":\"%s\",\"client_port\":%u,", c->caddr_s, c->cport);
	fprintf(f, "\"server_addr\":\"%s\",\"server_port\":%u,", c->saddr_s, c->sport);
	fprintf(f, "\"local\":\"%s\",\"client_state\":\"%s\",\"server_state\":\"%s\",",
		name_of(&tcpsm_names_local, c->local, b[0]),
		name_of(&tcpsm_names_state, c->cstate, b[1]),
		name_of(&tcpsm_names_state, c->sstate, b[2]));
	fprintf(f, "\"timer\":\"%s\",\"timer_ms\":%u,\"tw_restarts\":%u,\"tw_ack_restarts\":%u,",
		name_of(&tcpsm_names_timer, c->timer, b[3]), c->timer_ms, c->tw_restarts,
		c->tw_ack_restarts);
	fprintf(f, "\"ka_probes_client\":%u,\"ka_unanswered_client\":%u,",
		c->ka_probes[0], c->ka_unanswered[0]);
	fprintf(f, "\"ka_probes_server\":%u,\"ka_unanswered_server\":%u,",
		c->ka_probes[1], c->ka_unanswered[1]);
	fprintf(f, "\"ka_idle_ms\":%u,", c->ka_idle_ms);
	if (ka_next_shown(c, 0))
		fprintf(f, "\"ka_next_client_ms\":%u,", c->ka_next_ms[0]);
	if (ka_next_shown(c, 1))
		fprintf(f, "\"ka_next_server_ms\":%u,", c->ka_next_ms[1]);
	fprintf(f, "\"ka_dead\":\"%s\",\"zw_probes_client\":%u,\"zw_probes_server\":%u,",
		name_of(&tcpsm_names_ka_dead, c->ka_dead, b[4]), c->zw_probes[0], c->zw_probes[1]);
	fprintf(f, "\"pickup\":%s,\"replaced\":%u,\"icmp_errors\":%u,\"confirmed\":%s,",
		c->pickup ? "true" : "false", c->replaced, c->icmp_errors,
		c->confirmed ? "true" : "false");
	if (c->zone)
		fprintf(f, "\"zone\":%u,", c->zone);
	fprintf(f, "\"pkts_client\":%u,\"pkts_server\":%u,", c->pkts[0], c->pkts[1]);
	fprintf(f, "\"bytes_client\":%llu,\"bytes_server\":%llu,\"age_ms\":%u",
		(unsigned long long)c->bytes[0], (unsigned long long)c->bytes[1], c->age_ms);
	if (conn_json_more)
		conn_json_more(f, c);
	fputc('}', f);
}

/* Time left as people read it: 850ms, 57.3s, 59m58s, 4h59m, 4d23h. */
const char *fmt_left(__u32 ms, char *buf, size_t len)
{
	__u32 s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, len, "%ums", ms);
	else if (s < 60)
		snprintf(buf, len, "%u.%us", s, ms % 1000 / 100);
	else if (s < 3600)
		snprintf(buf, len, "%um%02us", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%uh%02um", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%ud%02uh", s / 86400, s % 86400 / 3600);
	return buf;
}

void timer_str(const struct conn *c, char *out, size_t len)
{
	char b[16], t[32];

	if (c->timer == TCPSM_TIMER_NONE)
		snprintf(out, len, "none");
	else
		snprintf(out, len, "%s:%s", name_of(&tcpsm_names_timer, c->timer, b),
			 fmt_left(c->timer_ms, t, sizeof(t)));
}

/* The optional fields of an event, in the order watch --json prints them. */
static const struct {
	const char *key;
	const struct tcpsm_names *names;
	size_t off;
} event_fields[] = {
	{ "role", &tcpsm_names_role, offsetof(struct watch_event, role) },
	{ "old_state", &tcpsm_names_state, offsetof(struct watch_event, old_state) },
	{ "new_state", &tcpsm_names_state, offsetof(struct watch_event, new_state) },
	{ "kind", &tcpsm_names_kind, offsetof(struct watch_event, kind) },
	{ "reason", &tcpsm_names_reason, offsetof(struct watch_event, reason) },
	{ "invalid", &tcpsm_names_invalid, offsetof(struct watch_event, invalid) },
};

static int field(const struct watch_event *e, unsigned int i)
{
	return *(const int *)((const char *)e + event_fields[i].off);
}

static const char *field_name(const struct watch_event *e, unsigned int i, char *buf)
{
	return name_of(event_fields[i].names, field(e, i), buf);
}

static void watch_json(FILE *f, const struct timespec *ts, const struct watch_event *e,
		       const struct conn *c)
{
	char b[16];
	unsigned int i;

	fprintf(f, "{\"time\":%lld.%06ld,\"event\":\"%s\"", (long long)ts->tv_sec,
		ts->tv_nsec / 1000, name_of(&tcpsm_names_event, e->type, b));
	for (i = 0; i < ARRAY_SIZE(event_fields); i++)
		if (field(e, i) >= 0)
			fprintf(f, ",\"%s\":\"%s\"", event_fields[i].key, field_name(e, i, b));
	fputs(",\"conn\":", f);
	conn_json(f, c);
	fputs("}\n", f);
}

void watch_print(FILE *f, const struct timespec *ts, const struct watch_event *e,
		 const struct conn *c, int json)
{
	char b[4][16], stamp[64], t[32];
	struct tm tm;

	if (json) {
		watch_json(f, ts, e, c);
		return;
	}
	localtime_r(&ts->tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s.%06ld %-12s %s %s -> %s", stamp, ts->tv_nsec / 1000,
		name_of(&tcpsm_names_event, e->type, b[0]), c->family == AF_INET ? "ipv4" : "ipv6",
		c->client, c->server);
	if (e->role >= 0)
		fprintf(f, " %s", name_of(&tcpsm_names_role, e->role, b[0]));
	if (e->old_state >= 0 && e->new_state >= 0)
		fprintf(f, " %s->%s", name_of(&tcpsm_names_state, e->old_state, b[0]),
			name_of(&tcpsm_names_state, e->new_state, b[1]));
	if (e->kind >= 0)
		fprintf(f, " on %s", name_of(&tcpsm_names_kind, e->kind, b[0]));
	if (e->reason >= 0)
		fprintf(f, " reason=%s", name_of(&tcpsm_names_reason, e->reason, b[0]));
	if (e->invalid >= 0)
		fprintf(f, " invalid=%s", name_of(&tcpsm_names_invalid, e->invalid, b[0]));
	timer_str(c, t, sizeof(t));
	fprintf(f, " [%s/%s timer=%s]\n", name_of(&tcpsm_names_state, c->cstate, b[2]),
		name_of(&tcpsm_names_state, c->sstate, b[3]), t);
}
