// SPDX-License-Identifier: GPL-2.0
/*
 * What the replay prints, in the module's words: events as tcpsmctl watch
 * shows them (tcpsmctl's show.c), the table as /proc/net/tcpsm/conns and the
 * counters as /proc/net/tcpsm/stats, at capture time r->now.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "replay.h"
#include "show.h"

/* A connection as tcpsmctl sees it over netlink (netlink.c's conn fill). */
static void conn_view(const struct replay *r, const struct rconn *c, struct conn *v)
{
	const struct tcpsm_end *ce = &c->e.fsm.end[TCPSM_ROLE_CLIENT];
	const struct tcpsm_end *se = &c->e.fsm.end[TCPSM_ROLE_SERVER];
	unsigned long when = 0;
	int i;

	memset(v, 0, sizeof(*v));
	v->family = c->key.family;
	memcpy(v->caddr, &c->key.addr[c->e.client], 16);
	memcpy(v->saddr, &c->key.addr[!c->e.client], 16);
	v->cport = ntohs(c->key.port[c->e.client]);
	v->sport = ntohs(c->key.port[!c->e.client]);
	endpoint_str(v->client, sizeof(v->client), v->caddr_s, v->family, v->caddr, v->cport);
	endpoint_str(v->server, sizeof(v->server), v->saddr_s, v->family, v->saddr, v->sport);
	v->local = c->e.local & TCPSM_LOCAL_BOTH;
	v->cstate = ce->state;
	v->sstate = se->state;
	v->timer = tcpsm_deadline_next(&c->e.fsm, c->e.deadline, &when);
	v->timer_ms = v->timer == TCPSM_TIMER_NONE ? 0 : tcpsm_ms_until(when, r->now);
	v->tw_restarts = c->e.tw_restarts;
	v->tw_ack_restarts = c->e.tw_ack_restarts;
	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		v->ka_probes[i] = c->e.fsm.end[i].ka_probes;
		v->ka_unanswered[i] = c->e.fsm.end[i].ka_unanswered;
		v->ka_next_ms[i] = tcpsm_ms_until(tcpsm_ka_due(&c->e.fsm, c->e.ka_last_probe,
							       c->e.last_seen, &r->cfg, i), r->now);
		v->zw_probes[i] = c->e.fsm.end[i].zw_probes;
		v->pkts[i] = c->e.pkts[i];
		v->bytes[i] = c->e.bytes[i];
	}
	v->ka_idle_ms = tcpsm_ticks_to_ms(r->now - c->e.last_data);
	v->ka_dead = c->e.ka_dead;
	v->pickup = !!(c->e.flags & TCPSM_F_PICKUP);
	v->replaced = !!(c->e.flags & TCPSM_F_REPLACED);
	v->icmp_errors = c->e.icmp_errors;
	v->age_ms = tcpsm_ticks_to_ms(r->now - c->e.created);
}

static bool addr_match(const struct rfilter *f, const struct rconn *c)
{
	if (!f->addr_family)
		return true;
	return c->key.family == f->addr_family &&
	       (!memcmp(&c->key.addr[0], &f->addr, sizeof(f->addr)) ||
		!memcmp(&c->key.addr[1], &f->addr, sizeof(f->addr)));
}

/* tcpsmctl list's filters (state: either end in it), and an address. */
bool filter_match(const struct rfilter *f, const struct rconn *c)
{
	if (f->family && c->key.family != f->family)
		return false;
	if (f->state >= 0 && c->e.fsm.end[0].state != f->state && c->e.fsm.end[1].state != f->state)
		return false;
	if (f->port >= 0 && ntohs(c->key.port[0]) != f->port &&
	    ntohs(c->key.port[1]) != f->port)
		return false;
	return addr_match(f, c);
}

/* Events pass the filters but the state one: a connection's events tell its states. */
static bool event_match(const struct rfilter *f, const struct rconn *c)
{
	struct rfilter g = *f;

	g.state = -1;
	return filter_match(&g, c);
}

void emit_event(struct replay *r, struct rconn *c, const struct tcpsm_event *ev)
{
	struct watch_event w = {
		.type = ev->type, .role = ev->role, .old_state = ev->old_state,
		.new_state = ev->new_state, .kind = ev->kind, .invalid = ev->invalid,
		.reason = ev->type == TCPSM_EVENT_TYPE_DESTROY ? c->e.destroy_reason : -1,
	};
	struct timespec ts = { r->now / TCPSM_HZ, r->now % TCPSM_HZ * 1000 };
	struct conn v;

	if (!r->events || !event_match(&r->filter, c))
		return;
	conn_view(r, c, &v);
	watch_print(r->out, &ts, &w, &v, r->json);
}

/* One line of /proc/net/tcpsm/conns (proc.c's conns_show()). */
static void conn_line(FILE *f, const struct conn *v)
{
	char b[4][16];

	fprintf(f, "%s client=%s server=%s", v->family == AF_INET ? "ipv4" : "ipv6",
		v->client, v->server);
	fprintf(f, " local=%s client_state=%s server_state=%s timer=%s timer_ms=%u",
		name_of(&tcpsm_names_local, v->local, b[0]),
		name_of(&tcpsm_names_state, v->cstate, b[1]),
		name_of(&tcpsm_names_state, v->sstate, b[2]),
		name_of(&tcpsm_names_timer, v->timer, b[3]), v->timer_ms);
	fprintf(f, " tw_restarts=%u tw_ack_restarts=%u", v->tw_restarts, v->tw_ack_restarts);
	fprintf(f, " ka_probes_client=%u ka_unanswered_client=%u", v->ka_probes[0],
		v->ka_unanswered[0]);
	fprintf(f, " ka_probes_server=%u ka_unanswered_server=%u", v->ka_probes[1],
		v->ka_unanswered[1]);
	fprintf(f, " ka_idle_ms=%u ka_next_client_ms=%u ka_next_server_ms=%u ka_dead=%s",
		v->ka_idle_ms, v->ka_next_ms[0], v->ka_next_ms[1],
		name_of(&tcpsm_names_ka_dead, v->ka_dead, b[0]));
	fprintf(f, " zw_probes_client=%u zw_probes_server=%u pickup=%u replaced=%u",
		v->zw_probes[0], v->zw_probes[1], v->pickup, v->replaced);
	fprintf(f, " icmp_errors=%u", v->icmp_errors);
	fprintf(f, " pkts_client=%u pkts_server=%u bytes_client=%llu bytes_server=%llu age_ms=%u\n",
		v->pkts[0], v->pkts[1], (unsigned long long)v->bytes[0],
		(unsigned long long)v->bytes[1], v->age_ms);
}

/* The table at r->now, timeouts due by then applied, as a reader of /proc would. */
void print_table(struct replay *r)
{
	struct rconn *c, *next;
	bool first = true;
	struct conn v;

	for (c = r->first; c; c = next) {
		next = c->next;
		conn_catch_up(r, c);
	}
	if (r->json)
		fputc('[', r->out);
	for (c = r->first; c; c = c->next) {
		if (!filter_match(&r->filter, c))
			continue;
		conn_view(r, c, &v);
		if (r->json) {
			/* as tcpsmctl list --json */
			fputs(first ? "" : ",\n", r->out);
			conn_json(r->out, &v);
		} else {
			conn_line(r->out, &v);
		}
		first = false;
	}
	if (r->json)
		fputs("]\n", r->out);
}

/* The counters of /proc/net/tcpsm/stats, or tcpsmctl stats --json's object. */
void print_stats(struct replay *r)
{
	const char *fmt = r->json ? ",\"%s\":%llu" : "%s %llu\n";
	int s;

	fprintf(r->out, r->json ? "{\"active\":%u" : "active %u\n", r->count);
	for (s = 0; s < __TCPSM_STAT_MAX; s++)
		fprintf(r->out, fmt, tcpsm_stat_name(s), (unsigned long long)r->stats[s]);
	if (r->json)
		fputs("}\n", r->out);
}
