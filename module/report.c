// SPDX-License-Identifier: GPL-2.0
/*
 * What a verdict reports (report.h): counters and events, for the module
 * and tcpsm-replay alike.
 */
#include "parse.h"
#include "names.h"
#include "report.h"

/* A counter's name is its stats attribute's, from the netlink spec. */
const char *tcpsm_stat_name(enum tcpsm_stat s)
{
	BUILD_BUG_ON(TCPSM_A_STATS_SEGMENTS + __TCPSM_STAT_MAX != TCPSM_A_STATS_PAD);
	return s < __TCPSM_STAT_MAX ?
	       tcpsm_name(&tcpsm_names_stats, TCPSM_A_STATS_SEGMENTS + s) : "?";
}

static const enum tcpsm_stat parse_stat[__TCPSM_PARSE_MAX] = {
	[TCPSM_PARSE_FRAGMENT] = TCPSM_STAT_BAD_FRAGMENT,
	[TCPSM_PARSE_TRUNC_IP] = TCPSM_STAT_BAD_TRUNC_IP,
	[TCPSM_PARSE_TRUNC_TCP] = TCPSM_STAT_BAD_TRUNC_TCP,
	[TCPSM_PARSE_BAD_DOFF] = TCPSM_STAT_BAD_DOFF,
	[TCPSM_PARSE_BAD_OPT] = TCPSM_STAT_BAD_OPT,
	[TCPSM_PARSE_BAD_EXTHDR] = TCPSM_STAT_BAD_EXTHDR,
	[TCPSM_PARSE_BAD_ICMP] = TCPSM_STAT_BAD_ICMP,
};

enum tcpsm_stat tcpsm_parse_stat(unsigned int res)
{
	return parse_stat[res];
}

static const enum tcpsm_stat icmp_stat[] = {
	[TCPSM_ICMP_IGNORED] = TCPSM_STAT_ICMP_IGNORED,
	[TCPSM_ICMP_SOFT] = TCPSM_STAT_ICMP_SOFT,
	[TCPSM_ICMP_ABORTED] = TCPSM_STAT_ICMP_ABORTS,
};

enum tcpsm_stat tcpsm_icmp_stat(enum tcpsm_icmp_verdict res)
{
	return icmp_stat[res];
}

static const enum tcpsm_stat destroy_stat[] = {
	[TCPSM_DESTROY_EXPIRED] = TCPSM_STAT_DESTROY_EXPIRED,
	[TCPSM_DESTROY_RESET] = TCPSM_STAT_DESTROY_RESET,
	[TCPSM_DESTROY_EVICTED] = TCPSM_STAT_DESTROY_EVICTED,
	[TCPSM_DESTROY_FLUSHED] = TCPSM_STAT_DESTROY_FLUSHED,
	[TCPSM_DESTROY_REPLACED] = TCPSM_STAT_DESTROY_REPLACED,
	[TCPSM_DESTROY_ICMP] = TCPSM_STAT_DESTROY_ICMP,
};

enum tcpsm_stat tcpsm_destroy_stat(enum tcpsm_destroy_reason why)
{
	return destroy_stat[why];
}

static const enum tcpsm_stat invalid_stat[__TCPSM_INV_MAX] = {
	[TCPSM_INV_FLAGS] = TCPSM_STAT_INVALID_FLAGS,
	[TCPSM_INV_STATE] = TCPSM_STAT_INVALID_STATE,
	[TCPSM_INV_SEQ] = TCPSM_STAT_INVALID_SEQ,
	[TCPSM_INV_ACK] = TCPSM_STAT_INVALID_ACK,
};

/* Events that map one to one onto a counter. */
static const struct {
	u16 ev;
	u8 stat;
} event_stat[] = {
	{ TCPSM_EV_TRANSITION, TCPSM_STAT_TRANSITIONS },
	{ TCPSM_EV_RETRANS, TCPSM_STAT_RETRANS },
	{ TCPSM_EV_KA_PROBE, TCPSM_STAT_KA_PROBES },
	{ TCPSM_EV_KA_ANSWERED, TCPSM_STAT_KA_ANSWERED },
	{ TCPSM_EV_ZW_PROBE, TCPSM_STAT_ZW_PROBES },
	{ TCPSM_EV_RST_ACCEPTED, TCPSM_STAT_RST_ACCEPTED },
	{ TCPSM_EV_RST_CHALLENGE, TCPSM_STAT_RST_CHALLENGE },
	{ TCPSM_EV_RST_IGNORED, TCPSM_STAT_RST_IGNORED },
	{ TCPSM_EV_TW_RESTART, TCPSM_STAT_TW_RESTARTS },
	{ TCPSM_EV_TW_ACK, TCPSM_STAT_TW_ACK_RESTARTS },
	{ TCPSM_EV_OLD, TCPSM_STAT_OLD_DUPLICATES },
	{ TCPSM_EV_REFUSED, TCPSM_STAT_REFUSED },
};

void tcpsm_step_stats(const struct tcpsm_seg *seg, const struct tcpsm_verdict *v,
		      tcpsm_stat_fn inc, void *ctx)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(event_stat); i++)
		if (v->events & event_stat[i].ev)
			inc(ctx, event_stat[i].stat);
	/* Judged at every sighting; counted once, where it reaches its receiver. */
	if (v->invalid && (seg->move & TCPSM_MOVE_RECEIVER))
		inc(ctx, invalid_stat[v->invalid]);
}

static void emit_one(tcpsm_event_fn emit, void *ctx, enum tcpsm_event_type type, int role,
		     int old_state, int new_state, int kind, int invalid)
{
	struct tcpsm_event ev = { type, role, old_state, new_state, kind, invalid };

	emit(ctx, &ev);
}

void tcpsm_emit_simple(tcpsm_event_fn emit, void *ctx, enum tcpsm_event_type type, int role)
{
	emit_one(emit, ctx, type, role, -1, -1, -1, -1);
}

void tcpsm_step_events(const struct tcpsm_seg *seg, const struct tcpsm_verdict *v,
		       u8 ka_dead_before, u8 ka_dead, tcpsm_event_fn emit, void *ctx)
{
	int r;

	/* once, where it reaches its receiver, as the invalid_* counters */
	if (v->invalid && (seg->move & TCPSM_MOVE_RECEIVER))
		emit_one(emit, ctx, TCPSM_EVENT_TYPE_INVALID, seg->from, -1, -1, v->kind,
			 v->invalid);
	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		if (v->old_state[r] == v->new_state[r])
			continue;
		emit_one(emit, ctx, TCPSM_EVENT_TYPE_STATE, r, v->old_state[r],
			 v->new_state[r], v->kind, -1);
		if (v->new_state[r] == TCPSM_TIME_WAIT)
			tcpsm_emit_simple(emit, ctx, TCPSM_EVENT_TYPE_TW_START, r);
	}
	if (v->events & TCPSM_EV_TW_RESTART)
		tcpsm_emit_simple(emit, ctx, TCPSM_EVENT_TYPE_TW_RESTART, !seg->from);
	if (v->events & TCPSM_EV_KA_PROBE)
		tcpsm_emit_simple(emit, ctx, TCPSM_EVENT_TYPE_KA_PROBE, seg->from);
	if (v->events & TCPSM_EV_KA_ANSWERED)
		tcpsm_emit_simple(emit, ctx, TCPSM_EVENT_TYPE_KA_ANSWERED, !seg->from);
	/* ka_dead is 1 + the dead peer's role; the event names the prober */
	if (!ka_dead_before && ka_dead)
		tcpsm_emit_simple(emit, ctx, TCPSM_EVENT_TYPE_KA_DEAD, !(ka_dead - 1));
}

void tcpsm_expire_events(const struct tcpsm_fsm *fsm, unsigned int expired, const u8 *old,
			 tcpsm_event_fn emit, void *ctx)
{
	int r;

	for (r = 0; r < __TCPSM_ROLE_MAX; r++) {
		if (!(expired & BIT(r)))
			continue;
		if (old[r] == TCPSM_TIME_WAIT)
			tcpsm_emit_simple(emit, ctx, TCPSM_EVENT_TYPE_TW_EXPIRE, r);
		emit_one(emit, ctx, TCPSM_EVENT_TYPE_STATE, r, old[r], fsm->end[r].state, -1, -1);
	}
}
