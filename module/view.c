// SPDX-License-Identifier: GPL-2.0
/*
 * One connection as a reader sees it (view.h).
 */
#include <linux/socket.h>

#include "names.h"
#include "view.h"

void tcpsm_view_fill(struct tcpsm_view *v, const struct tcpsm_entry *e,
		     const struct tcpsm_config *cfg, unsigned long now)
{
	unsigned long when = 0;
	int r;

	v->local = e->local & TCPSM_LOCAL_BOTH;
	v->cstate = e->fsm.end[TCPSM_ROLE_CLIENT].state;
	v->sstate = e->fsm.end[TCPSM_ROLE_SERVER].state;
	v->timer = tcpsm_deadline_next(&e->fsm, e->deadline, &when);
	v->timer_ms = v->timer == TCPSM_TIMER_NONE ? 0 : tcpsm_ms_until(when, now);
	v->tw_restarts = e->tw_restarts;
	v->tw_ack_restarts = e->tw_ack_restarts;
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		v->ka_probes[r] = e->fsm.end[r].ka_probes;
		v->ka_unanswered[r] = e->fsm.end[r].ka_unanswered;
		v->ka_next_ms[r] = tcpsm_ms_until(tcpsm_ka_due(&e->fsm, e->ka_last_probe,
							       e->last_seen, cfg, r), now);
		v->zw_probes[r] = e->fsm.end[r].zw_probes;
		v->pkts[r] = e->pkts[r];
		v->bytes[r] = e->bytes[r];
		v->retrans[r] = e->retrans[r];
	}
	v->ka_idle_ms = tcpsm_ticks_to_ms(now - e->last_data);
	v->ka_dead = e->ka_dead;
	v->pickup = !!(e->flags & TCPSM_F_PICKUP);
	v->replaced = !!(e->flags & TCPSM_F_REPLACED);
	v->icmp_errors = e->icmp_errors;
	v->confirmed = !!(e->flags & TCPSM_F_CONFIRMED);
	v->age_ms = tcpsm_ticks_to_ms(now - e->created);
	for (r = 0; r < __TCPSM_ROLE_MAX; r++)	/* a timer's may lie ahead of now */
		v->state_ms[r] = v->age_ms > e->state_ms[r] ? v->age_ms - e->state_ms[r] : 0;
	v->rtt = tcpsm_entry_rtt(e, &v->syn_rtt_ms, &v->ack_rtt_ms);
	v->closer = e->closer;
	v->ended = e->ended;
	v->end_role = e->end_state >> 4;
	v->end_state = e->end_state & 0xf;
	v->hist_lost = tcpsm_hist_lost(&e->hist);
	tcpsm_hist_text(&e->hist, v->history, sizeof(v->history));
}

bool tcpsm_view_ka_next_shown(const struct tcpsm_view *v, int role)
{
	u32 state = role == TCPSM_ROLE_CLIENT ? v->cstate : v->sstate;

	return state != TCPSM_TIME_WAIT && state != TCPSM_CLOSED;
}

static const char *name_or(const struct tcpsm_names *t, unsigned int v)
{
	const char *name = tcpsm_name(t, v);

	return name ? name : "?";
}

void tcpsm_view_line(const struct tcpsm_view *v, tcpsm_printf_fn pr, void *ctx)
{
	const u32 *kp = v->ka_probes, *ku = v->ka_unanswered;
	int r;

	pr(ctx, "%s client=%s server=%s", v->family == AF_INET ? "ipv4" : "ipv6", v->client,
	   v->server);
	pr(ctx, " local=%s client_state=%s server_state=%s timer=%s timer_ms=%u",
	   name_or(&tcpsm_names_local, v->local), tcpsm_state_name(v->cstate),
	   tcpsm_state_name(v->sstate), tcpsm_timer_name(v->timer), v->timer_ms);
	pr(ctx, " tw_restarts=%u tw_ack_restarts=%u", v->tw_restarts, v->tw_ack_restarts);
	pr(ctx, " ka_probes_client=%u ka_unanswered_client=%u", kp[0], ku[0]);
	pr(ctx, " ka_probes_server=%u ka_unanswered_server=%u", kp[1], ku[1]);
	pr(ctx, " ka_idle_ms=%u", v->ka_idle_ms);
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		if (tcpsm_view_ka_next_shown(v, r))
			pr(ctx, " ka_next_%s_ms=%u", tcpsm_name(&tcpsm_names_role, r),
			   v->ka_next_ms[r]);
		else
			pr(ctx, " ka_next_%s_ms=-", tcpsm_name(&tcpsm_names_role, r));
	}
	pr(ctx, " ka_dead=%s", name_or(&tcpsm_names_ka_dead, v->ka_dead));
	pr(ctx, " zw_probes_client=%u zw_probes_server=%u pickup=%u replaced=%u",
	   v->zw_probes[0], v->zw_probes[1], v->pickup, v->replaced);
	pr(ctx, " icmp_errors=%u confirmed=%u", v->icmp_errors, v->confirmed);
	if (v->zone)
		pr(ctx, " zone=%u", v->zone);
	pr(ctx, " pkts_client=%u pkts_server=%u bytes_client=%llu bytes_server=%llu age_ms=%u",
	   v->pkts[0], v->pkts[1], (unsigned long long)v->bytes[0],
	   (unsigned long long)v->bytes[1], v->age_ms);
	pr(ctx, " client_state_ms=%u server_state_ms=%u retrans_client=%u retrans_server=%u",
	   v->state_ms[0], v->state_ms[1], v->retrans[0], v->retrans[1]);
	if (v->rtt)
		pr(ctx, " syn_rtt_ms=%u ack_rtt_ms=%u", v->syn_rtt_ms, v->ack_rtt_ms);
	else
		pr(ctx, " syn_rtt_ms=- ack_rtt_ms=-");
	pr(ctx, " closer=%s end=%s", name_or(&tcpsm_names_closer, v->closer),
	   name_or(&tcpsm_names_ended, v->ended));
	if (v->ended == TCPSM_ENDED_TIMEOUT)
		pr(ctx, ":%s:%s", name_or(&tcpsm_names_role, v->end_role),
		   tcpsm_state_name(v->end_state));
	pr(ctx, " history=%s history_lost=%u\n", v->history[0] ? v->history : "-", v->hist_lost);
}
