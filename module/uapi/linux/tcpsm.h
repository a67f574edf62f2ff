/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/tcpsm.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_TCPSM_H
#define _UAPI_LINUX_TCPSM_H

#define TCPSM_FAMILY_NAME	"tcpsm"
#define TCPSM_FAMILY_VERSION	1

/**
 * enum tcpsm_state - RFC 793 endpoint states, in the order of the RFC's state
 *   list.
 * @TCPSM_CLOSED: no connection, not yet or no longer
 * @TCPSM_LISTEN: a remote server that received a SYN and has not answered it
 *   yet (a local one is SYN_RCVD at once, as Linux's request socket)
 * @TCPSM_SYN_SENT: sent a SYN, waits for the SYN+ACK
 * @TCPSM_SYN_RCVD: received a SYN and answers it with a SYN+ACK, waits for the
 *   ACK
 * @TCPSM_ESTABLISHED: both SYNs acknowledged, data flows both ways
 * @TCPSM_FIN_WAIT_1: sent its FIN, not acknowledged yet
 * @TCPSM_FIN_WAIT_2: its FIN acknowledged, waits for the peer's FIN
 * @TCPSM_CLOSE_WAIT: received the peer's FIN, has not sent its own
 * @TCPSM_CLOSING: sent its FIN and received the peer's before the ACK of its
 *   own (simultaneous close)
 * @TCPSM_LAST_ACK: received the peer's FIN, then sent its own, waits for the
 *   ACK of it
 * @TCPSM_TIME_WAIT: both FINs acknowledged, the endpoint that closed first
 *   waits 2 x msl for stray segments
 */
enum tcpsm_state {
	TCPSM_CLOSED,
	TCPSM_LISTEN,
	TCPSM_SYN_SENT,
	TCPSM_SYN_RCVD,
	TCPSM_ESTABLISHED,
	TCPSM_FIN_WAIT_1,
	TCPSM_FIN_WAIT_2,
	TCPSM_CLOSE_WAIT,
	TCPSM_CLOSING,
	TCPSM_LAST_ACK,
	TCPSM_TIME_WAIT,
};

/**
 * enum tcpsm_state_count - The number of states, for arrays indexed by enum
 *   tcpsm_state.
 * @__TCPSM_STATE_MAX: one more than the last state, TIME_WAIT
 */
enum tcpsm_state_count {
	__TCPSM_STATE_MAX = 11,
};

/**
 * enum tcpsm_role - The two endpoints of a connection; the client sent the
 *   first SYN.
 * @TCPSM_ROLE_CLIENT: the endpoint that sent the first SYN (for a connection
 *   picked up mid-stream from a segment other than a SYN+ACK, a guess: the
 *   higher port)
 * @TCPSM_ROLE_SERVER: its peer, the endpoint the first SYN went to
 */
enum tcpsm_role {
	TCPSM_ROLE_CLIENT,
	TCPSM_ROLE_SERVER,

	/* private: */
	__TCPSM_ROLE_MAX,
	TCPSM_ROLE_MAX = (__TCPSM_ROLE_MAX - 1)
};

/**
 * enum tcpsm_local - Which endpoints of a connection have a socket in this
 *   namespace (a bit per role): none for forwarded traffic, both over
 *   loopback.
 * @TCPSM_LOCAL_NONE: neither, the connection crosses the namespace (forwarded)
 * @TCPSM_LOCAL_CLIENT: only the client's
 * @TCPSM_LOCAL_SERVER: only the server's
 * @TCPSM_LOCAL_BOTH: both, as over loopback or another local route
 */
enum tcpsm_local {
	TCPSM_LOCAL_NONE,
	TCPSM_LOCAL_CLIENT,
	TCPSM_LOCAL_SERVER,
	TCPSM_LOCAL_BOTH,
};

/**
 * enum tcpsm_ka_dead - Which endpoint's peer keepalive found dead, if any.
 * @TCPSM_KA_DEAD_NONE: no peer was found dead
 * @TCPSM_KA_DEAD_CLIENT: the client's keepalive found the server dead
 * @TCPSM_KA_DEAD_SERVER: the server's keepalive found the client dead
 */
enum tcpsm_ka_dead {
	TCPSM_KA_DEAD_NONE,
	TCPSM_KA_DEAD_CLIENT,
	TCPSM_KA_DEAD_SERVER,
};

/**
 * enum tcpsm_timer_kind - The timer an endpoint runs: one per state that times
 *   out, and linger for a connection whose endpoints are both CLOSED. An entry
 *   not yet confirmed runs none longer than unconfirmed-timeout.
 * @TCPSM_TIMER_NONE: no timer runs
 * @TCPSM_TIMER_SYN_SENT: an endpoint in SYN_SENT, syn-sent-timeout
 * @TCPSM_TIMER_SYN_RCVD: an endpoint in SYN_RCVD or LISTEN, syn-rcvd-timeout
 * @TCPSM_TIMER_ESTABLISHED: an idle endpoint in ESTABLISHED,
 *   established-timeout
 * @TCPSM_TIMER_FIN_WAIT_1: an endpoint in FIN_WAIT_1, fin-wait-1-timeout
 * @TCPSM_TIMER_FIN_WAIT_2: an idle endpoint in FIN_WAIT_2, fin-wait-2-timeout
 * @TCPSM_TIMER_CLOSE_WAIT: an idle endpoint in CLOSE_WAIT, close-wait-timeout
 * @TCPSM_TIMER_CLOSING: an endpoint in CLOSING, closing-timeout
 * @TCPSM_TIMER_LAST_ACK: an endpoint in LAST_ACK, last-ack-timeout
 * @TCPSM_TIMER_TIME_WAIT: an endpoint in TIME_WAIT, 2 x msl
 * @TCPSM_TIMER_LINGER: both endpoints CLOSED, the entry stays listed for
 *   close-linger
 */
enum tcpsm_timer_kind {
	TCPSM_TIMER_NONE,
	TCPSM_TIMER_SYN_SENT,
	TCPSM_TIMER_SYN_RCVD,
	TCPSM_TIMER_ESTABLISHED,
	TCPSM_TIMER_FIN_WAIT_1,
	TCPSM_TIMER_FIN_WAIT_2,
	TCPSM_TIMER_CLOSE_WAIT,
	TCPSM_TIMER_CLOSING,
	TCPSM_TIMER_LAST_ACK,
	TCPSM_TIMER_TIME_WAIT,
	TCPSM_TIMER_LINGER,

	/* private: */
	__TCPSM_TIMER_MAX,
	TCPSM_TIMER_MAX = (__TCPSM_TIMER_MAX - 1)
};

/**
 * enum tcpsm_destroy_reason - Why a connection left the table.
 * @TCPSM_DESTROY_EXPIRED: its timers ran out (both endpoints CLOSED and
 *   lingered)
 * @TCPSM_DESTROY_RESET: closed by a RST (accepted, or refusing a SYN), then
 *   lingered
 * @TCPSM_DESTROY_EVICTED: the table was full and it was the least useful entry
 * @TCPSM_DESTROY_FLUSHED: the flush command, or the namespace going away
 * @TCPSM_DESTROY_REPLACED: a new SYN opened a new connection on the tuple of
 *   this one
 * @TCPSM_DESTROY_ICMP: an ICMP error ended its embryonic endpoint, then it
 *   lingered
 */
enum tcpsm_destroy_reason {
	TCPSM_DESTROY_EXPIRED,
	TCPSM_DESTROY_RESET,
	TCPSM_DESTROY_EVICTED,
	TCPSM_DESTROY_FLUSHED,
	TCPSM_DESTROY_REPLACED,
	TCPSM_DESTROY_ICMP,

	/* private: */
	__TCPSM_DESTROY_MAX,
	TCPSM_DESTROY_MAX = (__TCPSM_DESTROY_MAX - 1)
};

/**
 * enum tcpsm_kind - What a segment was, as its receiver's state machine saw
 *   it.
 * @TCPSM_K_SYN: SYN without ACK
 * @TCPSM_K_SYNACK: SYN+ACK
 * @TCPSM_K_FIN: FIN that does not acknowledge the receiver's FIN
 * @TCPSM_K_FINACK: FIN that acknowledges the receiver's FIN
 * @TCPSM_K_ACK: ACK (with or without data), nothing special
 * @TCPSM_K_ACKSYN: ACK that acknowledges the receiver's SYN
 * @TCPSM_K_ACKFIN: ACK that acknowledges the receiver's FIN
 * @TCPSM_K_RST: RST, accepted or not
 * @TCPSM_K_NONE: no flag a state machine acts on
 */
enum tcpsm_kind {
	TCPSM_K_SYN,
	TCPSM_K_SYNACK,
	TCPSM_K_FIN,
	TCPSM_K_FINACK,
	TCPSM_K_ACK,
	TCPSM_K_ACKSYN,
	TCPSM_K_ACKFIN,
	TCPSM_K_RST,
	TCPSM_K_NONE,

	/* private: */
	__TCPSM_K_MAX,
	TCPSM_K_MAX = (__TCPSM_K_MAX - 1)
};

/**
 * enum tcpsm_event_type - What an event message reports.
 * @TCPSM_EVENT_TYPE_NEW: a connection entered the table
 * @TCPSM_EVENT_TYPE_STATE: an endpoint changed state (role, old-state,
 *   new-state; kind is the segment that moved it, absent when a timer did)
 * @TCPSM_EVENT_TYPE_TW_START: an endpoint entered TIME_WAIT (role)
 * @TCPSM_EVENT_TYPE_TW_RESTART: a retransmitted FIN restarted the 2MSL timer
 *   of an endpoint (role)
 * @TCPSM_EVENT_TYPE_TW_EXPIRE: the 2MSL timer of an endpoint ran out (role)
 * @TCPSM_EVENT_TYPE_KA_PROBE: an endpoint sent a keepalive probe (role)
 * @TCPSM_EVENT_TYPE_KA_ANSWERED: the peer answered an endpoint's keepalive
 *   probes (role is the prober)
 * @TCPSM_EVENT_TYPE_KA_DEAD: an endpoint's keepalive found its peer dead (role
 *   is the prober)
 * @TCPSM_EVENT_TYPE_DESTROY: the connection left the table (reason)
 * @TCPSM_EVENT_TYPE_INVALID: a segment its receiver would not take changed
 *   nothing (role is its sender; kind, invalid says why)
 * @TCPSM_EVENT_TYPE_ICMP: an ICMP error quoting an endpoint's segment (role)
 *   was taken: a soft error, or its end (a state event follows)
 */
enum tcpsm_event_type {
	TCPSM_EVENT_TYPE_NEW,
	TCPSM_EVENT_TYPE_STATE,
	TCPSM_EVENT_TYPE_TW_START,
	TCPSM_EVENT_TYPE_TW_RESTART,
	TCPSM_EVENT_TYPE_TW_EXPIRE,
	TCPSM_EVENT_TYPE_KA_PROBE,
	TCPSM_EVENT_TYPE_KA_ANSWERED,
	TCPSM_EVENT_TYPE_KA_DEAD,
	TCPSM_EVENT_TYPE_DESTROY,
	TCPSM_EVENT_TYPE_INVALID,
	TCPSM_EVENT_TYPE_ICMP,

	/* private: */
	__TCPSM_EVENT_TYPE_MAX,
	TCPSM_EVENT_TYPE_MAX = (__TCPSM_EVENT_TYPE_MAX - 1)
};

/**
 * enum tcpsm_invalid - Why a segment's receiver would not take it.
 * @TCPSM_INV_NONE: it would
 * @TCPSM_INV_FLAGS: an impossible combination of flags (SYN+RST, SYN+FIN
 *   without ACK, none)
 * @TCPSM_INV_STATE: nothing the endpoints' states allow
 * @TCPSM_INV_SEQ: outside the receiver's window
 * @TCPSM_INV_ACK: acknowledges what was never sent, or more than a window back
 */
enum tcpsm_invalid {
	TCPSM_INV_NONE,
	TCPSM_INV_FLAGS,
	TCPSM_INV_STATE,
	TCPSM_INV_SEQ,
	TCPSM_INV_ACK,

	/* private: */
	__TCPSM_INV_MAX,
	TCPSM_INV_MAX = (__TCPSM_INV_MAX - 1)
};

/**
 * enum tcpsm_hist_what - What one event of a connection's history was. The
 *   letter is the one /proc's history string prints: upper case when the
 *   client sent the segment (or it is the client's timer, probe or error),
 *   lower case for the server. A segment that moved a state is named by its
 *   flags (RST, SYN+ACK, SYN, FIN, data, ACK, in that order); one that moved
 *   nothing is recorded only if it was notable (the other letters).
 * @TCPSM_H_SYN: S, a SYN that moved a state
 * @TCPSM_H_SYNACK: H, a SYN+ACK that moved a state
 * @TCPSM_H_ACK: A, an ACK without payload that moved a state
 * @TCPSM_H_DATA: D, a segment with payload that moved a state, or the first
 *   one each way
 * @TCPSM_H_FIN: F, a FIN that moved a state
 * @TCPSM_H_RST: R, a RST its receiver accepted (a reset, or the refusal of a
 *   SYN)
 * @TCPSM_H_CHALLENGE: C, a RST in the window but not exact, answered by a
 *   challenge ACK
 * @TCPSM_H_BAD: B, a segment its receiver would not take (out of window, bad
 *   ACK, flags, state)
 * @TCPSM_H_RETRANS: T, a retransmitted SYN, SYN+ACK, FIN or data
 * @TCPSM_H_TW_RESTART: W, a segment that restarted its receiver's 2MSL timer
 *   in TIME_WAIT
 * @TCPSM_H_KA_PROBE: K, a keepalive probe
 * @TCPSM_H_KA_ANSWER: Y, the ACK that answered the peer's keepalive probes
 * @TCPSM_H_ZW_PROBE: Z, a zero-window probe
 * @TCPSM_H_ICMP: I, an ICMP error quoting the endpoint's segment, taken
 * @TCPSM_H_TIMEOUT: X, the endpoint's timer ran out (2MSL, FIN_WAIT_2, an
 *   embryonic or idle state)
 * @TCPSM_H_KA_DEAD: L, the endpoint's keepalive gave up, its peer lost
 * @TCPSM_H_PICKUP: P, the connection first seen mid-stream, its states
 *   inferred
 */
enum tcpsm_hist_what {
	TCPSM_H_SYN,
	TCPSM_H_SYNACK,
	TCPSM_H_ACK,
	TCPSM_H_DATA,
	TCPSM_H_FIN,
	TCPSM_H_RST,
	TCPSM_H_CHALLENGE,
	TCPSM_H_BAD,
	TCPSM_H_RETRANS,
	TCPSM_H_TW_RESTART,
	TCPSM_H_KA_PROBE,
	TCPSM_H_KA_ANSWER,
	TCPSM_H_ZW_PROBE,
	TCPSM_H_ICMP,
	TCPSM_H_TIMEOUT,
	TCPSM_H_KA_DEAD,
	TCPSM_H_PICKUP,

	/* private: */
	__TCPSM_H_MAX,
	TCPSM_H_MAX = (__TCPSM_H_MAX - 1)
};

/**
 * enum tcpsm_ended - How a connection ended, as Zeek's conn_state tells it;
 *   set as soon as it is known (a RST, the FINs of a close) and on its way out
 *   of the table.
 * @TCPSM_ENDED_NONE: not ended (yet)
 * @TCPSM_ENDED_CLOSED: closed normally: both FINs exchanged (an endpoint
 *   reached TIME_WAIT, or its FIN from LAST_ACK was acknowledged), whatever
 *   its last ACK met
 * @TCPSM_ENDED_RESET_CLIENT: reset by the client's RST
 * @TCPSM_ENDED_RESET_SERVER: reset by the server's RST
 * @TCPSM_ENDED_REFUSED: the SYN answered by a RST
 * @TCPSM_ENDED_TIMEOUT: an endpoint's timer ran out in end-state, outside
 *   TIME_WAIT
 * @TCPSM_ENDED_ICMP: an ICMP error ended its embryonic endpoint
 * @TCPSM_ENDED_EVICTED: evicted from a full table
 * @TCPSM_ENDED_FLUSHED: flushed, or its namespace or the module went away
 * @TCPSM_ENDED_REPLACED: a new SYN opened a new connection on its tuple
 */
enum tcpsm_ended {
	TCPSM_ENDED_NONE,
	TCPSM_ENDED_CLOSED,
	TCPSM_ENDED_RESET_CLIENT,
	TCPSM_ENDED_RESET_SERVER,
	TCPSM_ENDED_REFUSED,
	TCPSM_ENDED_TIMEOUT,
	TCPSM_ENDED_ICMP,
	TCPSM_ENDED_EVICTED,
	TCPSM_ENDED_FLUSHED,
	TCPSM_ENDED_REPLACED,

	/* private: */
	__TCPSM_ENDED_MAX,
	TCPSM_ENDED_MAX = (__TCPSM_ENDED_MAX - 1)
};

/**
 * enum tcpsm_closer - Which endpoint sent the first FIN.
 * @TCPSM_CLOSER_NONE: no FIN yet
 * @TCPSM_CLOSER_CLIENT: the client closed first
 * @TCPSM_CLOSER_SERVER: the server closed first
 * @TCPSM_CLOSER_BOTH: both sent a FIN before receiving the other's
 *   (simultaneous close)
 */
enum tcpsm_closer {
	TCPSM_CLOSER_NONE,
	TCPSM_CLOSER_CLIENT,
	TCPSM_CLOSER_SERVER,
	TCPSM_CLOSER_BOTH,
};

enum {
	TCPSM_A_CONN_FAMILY = 1,
	TCPSM_A_CONN_CLIENT_ADDR,
	TCPSM_A_CONN_CLIENT_PORT,
	TCPSM_A_CONN_SERVER_ADDR,
	TCPSM_A_CONN_SERVER_PORT,
	TCPSM_A_CONN_LOCAL,
	TCPSM_A_CONN_CLIENT_STATE,
	TCPSM_A_CONN_SERVER_STATE,
	TCPSM_A_CONN_TIMER,
	TCPSM_A_CONN_TIMER_MS,
	TCPSM_A_CONN_TW_RESTARTS,
	TCPSM_A_CONN_KA_PROBES_CLIENT,
	TCPSM_A_CONN_KA_UNANSWERED_CLIENT,
	TCPSM_A_CONN_KA_PROBES_SERVER,
	TCPSM_A_CONN_KA_UNANSWERED_SERVER,
	TCPSM_A_CONN_KA_IDLE_MS,
	TCPSM_A_CONN_KA_NEXT_CLIENT_MS,
	TCPSM_A_CONN_KA_NEXT_SERVER_MS,
	TCPSM_A_CONN_KA_DEAD,
	TCPSM_A_CONN_ZW_PROBES_CLIENT,
	TCPSM_A_CONN_ZW_PROBES_SERVER,
	TCPSM_A_CONN_PICKUP,
	TCPSM_A_CONN_PKTS_CLIENT,
	TCPSM_A_CONN_PKTS_SERVER,
	TCPSM_A_CONN_BYTES_CLIENT,
	TCPSM_A_CONN_BYTES_SERVER,
	TCPSM_A_CONN_AGE_MS,
	TCPSM_A_CONN_TW_ACK_RESTARTS,
	TCPSM_A_CONN_REPLACED,
	TCPSM_A_CONN_ICMP_ERRORS,
	TCPSM_A_CONN_STATE,
	TCPSM_A_CONN_PORT,
	TCPSM_A_CONN_PAD,
	TCPSM_A_CONN_CONFIRMED,
	TCPSM_A_CONN_ZONE,
	TCPSM_A_CONN_HISTORY,
	TCPSM_A_CONN_HISTORY_LOST,
	TCPSM_A_CONN_HISTORY_TEXT,
	TCPSM_A_CONN_CLIENT_STATE_MS,
	TCPSM_A_CONN_SERVER_STATE_MS,
	TCPSM_A_CONN_RETRANS_CLIENT,
	TCPSM_A_CONN_RETRANS_SERVER,
	TCPSM_A_CONN_SYN_RTT_MS,
	TCPSM_A_CONN_ACK_RTT_MS,
	TCPSM_A_CONN_CLOSER,
	TCPSM_A_CONN_END,
	TCPSM_A_CONN_END_ROLE,
	TCPSM_A_CONN_END_STATE,

	__TCPSM_A_CONN_MAX,
	TCPSM_A_CONN_MAX = (__TCPSM_A_CONN_MAX - 1)
};

enum {
	TCPSM_A_HIST_EVENT_MS = 1,
	TCPSM_A_HIST_EVENT_WHAT,
	TCPSM_A_HIST_EVENT_ROLE,
	TCPSM_A_HIST_EVENT_FLAGS,
	TCPSM_A_HIST_EVENT_CLIENT_OLD,
	TCPSM_A_HIST_EVENT_CLIENT_NEW,
	TCPSM_A_HIST_EVENT_SERVER_OLD,
	TCPSM_A_HIST_EVENT_SERVER_NEW,

	__TCPSM_A_HIST_EVENT_MAX,
	TCPSM_A_HIST_EVENT_MAX = (__TCPSM_A_HIST_EVENT_MAX - 1)
};

enum {
	TCPSM_A_GRAPH_ROLE = 1,
	TCPSM_A_GRAPH_OLD_STATE,
	TCPSM_A_GRAPH_NEW_STATE,
	TCPSM_A_GRAPH_WHAT,
	TCPSM_A_GRAPH_COUNT,
	TCPSM_A_GRAPH_PAD,

	__TCPSM_A_GRAPH_MAX,
	TCPSM_A_GRAPH_MAX = (__TCPSM_A_GRAPH_MAX - 1)
};

enum {
	TCPSM_A_STATS_ACTIVE = 1,
	TCPSM_A_STATS_SEGMENTS,
	TCPSM_A_STATS_CONNS_CREATED,
	TCPSM_A_STATS_CONNS_PICKED_UP,
	TCPSM_A_STATS_UNTRACKED_MIDSTREAM,
	TCPSM_A_STATS_TABLE_FULL,
	TCPSM_A_STATS_INSERT_FAILED,
	TCPSM_A_STATS_EVICTIONS,
	TCPSM_A_STATS_DESTROYED_EXPIRED,
	TCPSM_A_STATS_DESTROYED_RESET,
	TCPSM_A_STATS_DESTROYED_EVICTED,
	TCPSM_A_STATS_DESTROYED_FLUSHED,
	TCPSM_A_STATS_DESTROYED_REPLACED,
	TCPSM_A_STATS_DESTROYED_ICMP,
	TCPSM_A_STATS_TRANSITIONS,
	TCPSM_A_STATS_RETRANSMISSIONS,
	TCPSM_A_STATS_TW_RESTARTS,
	TCPSM_A_STATS_TW_ACK_RESTARTS,
	TCPSM_A_STATS_TW_REUSE,
	TCPSM_A_STATS_REOPENED,
	TCPSM_A_STATS_REFUSED,
	TCPSM_A_STATS_RST_ACCEPTED,
	TCPSM_A_STATS_RST_CHALLENGE_ACK,
	TCPSM_A_STATS_RST_IGNORED,
	TCPSM_A_STATS_KEEPALIVE_PROBES,
	TCPSM_A_STATS_KEEPALIVE_ANSWERED,
	TCPSM_A_STATS_KEEPALIVE_DEAD_PEERS,
	TCPSM_A_STATS_ZERO_WINDOW_PROBES,
	TCPSM_A_STATS_INVALID_FLAGS,
	TCPSM_A_STATS_INVALID_STATE,
	TCPSM_A_STATS_INVALID_SEQ,
	TCPSM_A_STATS_INVALID_ACK,
	TCPSM_A_STATS_OLD_DUPLICATES,
	TCPSM_A_STATS_ICMP_ABORTS,
	TCPSM_A_STATS_ICMP_SOFT_ERRORS,
	TCPSM_A_STATS_ICMP_IGNORED,
	TCPSM_A_STATS_BAD_FRAGMENT,
	TCPSM_A_STATS_BAD_TRUNCATED_IP,
	TCPSM_A_STATS_BAD_TRUNCATED_TCP,
	TCPSM_A_STATS_BAD_DATA_OFFSET,
	TCPSM_A_STATS_BAD_OPTION,
	TCPSM_A_STATS_BAD_IPV6_EXTHDR,
	TCPSM_A_STATS_BAD_ICMP,
	TCPSM_A_STATS_EVENTS_LOST,
	TCPSM_A_STATS_PAD,

	__TCPSM_A_STATS_MAX,
	TCPSM_A_STATS_MAX = (__TCPSM_A_STATS_MAX - 1)
};

enum {
	TCPSM_A_CONFIG_MSL = 1,
	TCPSM_A_CONFIG_FIN_WAIT_1_TIMEOUT,
	TCPSM_A_CONFIG_FIN_WAIT_2_TIMEOUT,
	TCPSM_A_CONFIG_SYN_SENT_TIMEOUT,
	TCPSM_A_CONFIG_SYN_RCVD_TIMEOUT,
	TCPSM_A_CONFIG_CLOSE_WAIT_TIMEOUT,
	TCPSM_A_CONFIG_LAST_ACK_TIMEOUT,
	TCPSM_A_CONFIG_CLOSING_TIMEOUT,
	TCPSM_A_CONFIG_ESTABLISHED_TIMEOUT,
	TCPSM_A_CONFIG_CLOSE_LINGER,
	TCPSM_A_CONFIG_KEEPALIVE_TIME,
	TCPSM_A_CONFIG_KEEPALIVE_INTVL,
	TCPSM_A_CONFIG_KEEPALIVE_PROBES,
	TCPSM_A_CONFIG_MAX_CONNS,
	TCPSM_A_CONFIG_PICKUP,
	TCPSM_A_CONFIG_UNCONFIRMED_TIMEOUT,

	__TCPSM_A_CONFIG_MAX,
	TCPSM_A_CONFIG_MAX = (__TCPSM_A_CONFIG_MAX - 1)
};

enum {
	TCPSM_A_EVENT_TYPE = 1,
	TCPSM_A_EVENT_CONN,
	TCPSM_A_EVENT_ROLE,
	TCPSM_A_EVENT_OLD_STATE,
	TCPSM_A_EVENT_NEW_STATE,
	TCPSM_A_EVENT_KIND,
	TCPSM_A_EVENT_REASON,
	TCPSM_A_EVENT_INVALID,
	TCPSM_A_EVENT_OLD_STATE_MS,

	__TCPSM_A_EVENT_MAX,
	TCPSM_A_EVENT_MAX = (__TCPSM_A_EVENT_MAX - 1)
};

enum {
	TCPSM_CMD_CONN_GET = 1,
	TCPSM_CMD_STATS_GET,
	TCPSM_CMD_CONFIG_GET,
	TCPSM_CMD_CONFIG_SET,
	TCPSM_CMD_FLUSH,
	TCPSM_CMD_EVENT,
	TCPSM_CMD_GRAPH_GET,

	__TCPSM_CMD_MAX,
	TCPSM_CMD_MAX = (__TCPSM_CMD_MAX - 1)
};

#define TCPSM_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_TCPSM_H */
