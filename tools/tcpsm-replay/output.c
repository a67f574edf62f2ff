// SPDX-License-Identifier: GPL-2.0
/*
 * What the replay prints, in the module's words: events as tcpsmctl watch
 * shows them (tcpsmctl's show.c), the table as /proc/net/tcpsm/conns shows
 * it (the module's view.c) and the counters as /proc/net/tcpsm/stats, at
 * capture time r->now.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>

#include "hist.h"
#include "replay.h"
#include "show.h"
#include "view.h"

/* Endpoint @idx of @c's key as "addr:port" in @out, the address in @addr_s. */
static void endpoint_of(const struct rconn *c, int idx, char *out, size_t len, char *addr_s)
{
	endpoint_str(out, len, addr_s, c->key.family, (const unsigned char *)&c->key.addr[idx],
		     ntohs(c->key.port[idx]));
}

/* A connection as the module shows it (view.c), endpoints included. */
static void view_of(const struct replay *r, const struct rconn *c, struct tcpsm_view *v)
{
	char a[48];

	v->family = c->key.family;
	v->zone = c->key.zone;
	endpoint_of(c, c->e.client, v->client, sizeof(v->client), a);
	endpoint_of(c, !c->e.client, v->server, sizeof(v->server), a);
	tcpsm_view_fill(v, &c->e, &r->cfg, r->now);
}

/* The same as tcpsmctl has it from netlink (netlink.c fills it from the view). */
static void conn_view(const struct replay *r, const struct rconn *c, struct conn *v)
{
	struct tcpsm_view w;
	int i;

	view_of(r, c, &w);
	memset(v, 0, sizeof(*v));
	v->family = c->key.family;
	memcpy(v->caddr, &c->key.addr[c->e.client], 16);
	memcpy(v->saddr, &c->key.addr[!c->e.client], 16);
	v->cport = ntohs(c->key.port[c->e.client]);
	v->sport = ntohs(c->key.port[!c->e.client]);
	endpoint_of(c, c->e.client, v->client, sizeof(v->client), v->caddr_s);
	endpoint_of(c, !c->e.client, v->server, sizeof(v->server), v->saddr_s);
	v->local = w.local;
	v->cstate = w.cstate;
	v->sstate = w.sstate;
	v->timer = w.timer;
	v->timer_ms = w.timer_ms;
	v->tw_restarts = w.tw_restarts;
	v->tw_ack_restarts = w.tw_ack_restarts;
	for (i = 0; i < __TCPSM_ROLE_MAX; i++) {
		v->ka_probes[i] = w.ka_probes[i];
		v->ka_unanswered[i] = w.ka_unanswered[i];
		v->ka_next_ms[i] = w.ka_next_ms[i];
		v->ka_next_absent[i] = !tcpsm_view_ka_next_shown(&w, i);
		v->zw_probes[i] = w.zw_probes[i];
		v->pkts[i] = w.pkts[i];
		v->bytes[i] = w.bytes[i];
		v->state_ms[i] = w.state_ms[i];
		v->retrans[i] = w.retrans[i];
	}
	v->has_end = 1;
	v->has_syn_rtt = w.rtt;
	v->has_ack_rtt = w.rtt;
	v->syn_rtt_ms = w.syn_rtt_ms;
	v->ack_rtt_ms = w.ack_rtt_ms;
	v->closer = w.closer;
	v->end = w.ended;
	v->has_end_detail = w.ended == TCPSM_ENDED_TIMEOUT;
	v->end_role = w.end_role;
	v->end_state = w.end_state;
	v->history_lost = w.hist_lost;
	snprintf(v->history, sizeof(v->history), "%s", w.history);
	v->ka_idle_ms = w.ka_idle_ms;
	v->ka_dead = w.ka_dead;
	v->pickup = w.pickup;
	v->replaced = w.replaced;
	v->icmp_errors = w.icmp_errors;
	v->confirmed = w.confirmed;
	v->zone = w.zone;
	v->age_ms = w.age_ms;
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

/* The history's keys in JSON, as tcpsmctl prints them (no events' list). */
void replay_json_more(FILE *f, const struct conn *c)
{
	conn_hist_json(f, c, NULL);
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

static void file_pr(void *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

/* The table at r->now, timeouts due by then applied, as a reader of /proc would. */
void print_table(struct replay *r)
{
	struct rconn *c, *next;
	struct tcpsm_view w;
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
		if (r->json) {
			/* as tcpsmctl list --json */
			conn_view(r, c, &v);
			fputs(first ? "" : ",\n", r->out);
			conn_json(r->out, &v);
		} else {
			view_of(r, c, &w);
			tcpsm_view_line(&w, file_pr, r->out);
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
