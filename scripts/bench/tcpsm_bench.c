// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsm_bench.ko: per-segment cost of tcpsm beside nf_conntrack, on the same
 * synthetic segments. Like tcpsm_kunit.ko it compiles the module's sources
 * again, so tcpsm's hook entry is reachable; it never registers the hooks,
 * only calls them. It must not be loaded beside tcpsm.ko (both register the
 * generic netlink family "tcpsm", which the events runs need).
 *
 * A run is a write to /sys/kernel/debug/tcpsm_bench/run of
 * "CONNS RUNS WHAT" (WHAT: "both", or "tcpsm" for tcpsm alone), by a process
 * in a network namespace of its own: the benchmark uses the writer's
 * namespace, and leaves its tables empty. For each run it builds, for CONNS
 * connections, the nine segments of a short connection (handshake, one
 * request and its answer, close), as IPv4 sk_buffs, 64 connections at a
 * time, and times tcpsm_hook() at FORWARD on each batch (both endpoints move),
 * then nf_conntrack_in() + nf_conntrack_confirm() at PRE_ROUTING on the same
 * segments (a new entry costs conntrack its insertion at confirm), then tcpsm
 * again with the events' static branch off (no listener in any pass), as
 * if built without events. Phases run
 * one after the other over every connection, so the data segments find a
 * table of CONNS entries. Then min(CONNS, 10000) stray RSTs for tuples no one
 * tracks, and as many segments whose data offset is 3, at a table of CONNS.
 *
 * Every figure goes to the kernel log as "tcpsm_bench: result ..." lines.
 * Before any figure of a run is printed, the tables are checked: tcpsm must
 * hold CONNS entries, client TIME_WAIT and server CLOSED; conntrack CONNS
 * entries in TIME_WAIT. Otherwise "tcpsm_bench: check ... FAILED" and the
 * write fails with EIO.
 */
#define pr_fmt(fmt) "tcpsm_bench: " fmt

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/uaccess.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>

#include "fsm.c"
#include "names.c"
#include "parse.c"
#include "conn.c"
#include "timeout.c"
#include "history.c"
#include "entry.c"
#include "timer.c"
#include "hooks.c"
#include "tunables.c"
#include "config.c"
#include "stats.c"
#include "report.c"
#include "view.c"
#include "netlink.c"

unsigned int tcpsm_net_id;

#define BENCH_BATCH	64	/* connections per timed batch */
#define BENCH_SEGS	9	/* segments of one connection */
#define BENCH_PHASES	3
#define BENCH_PAYLOAD	100
#define BENCH_STRAY	10000	/* most stray and malformed segments per run */
#define BENCH_MAX_CONNS	2000000

/* TRK_TCPSM_QUIET: tcpsm with the events' static branch off, as if built without them */
enum { TRK_TCPSM, TRK_CT, TRK_TCPSM_QUIET, __TRK_MAX };
static const char *const trk_name[] = { "tcpsm", "nf_conntrack", "tcpsm_events_off" };
static const char *const phase_name[] = { "handshake", "data", "close" };

/* One segment of connection i: who sends, flags, seq/ack offsets, payload. */
struct bench_seg {
	bool from_server;
	u8 flags;
	u32 seq;	/* added to the sender's ISN */
	u32 ack;	/* added to the receiver's ISN */
	u16 len;
};

static const struct bench_seg bench_segs[BENCH_SEGS] = {
	/* handshake */
	{ false, TCPHDR_SYN, 0, 0, 0 },
	{ true, TCPHDR_SYN | TCPHDR_ACK, 0, 1, 0 },
	{ false, TCPHDR_ACK, 1, 1, 0 },
	/* data: a request and its answer */
	{ false, TCPHDR_PSH | TCPHDR_ACK, 1, 1, BENCH_PAYLOAD },
	{ true, TCPHDR_PSH | TCPHDR_ACK, 1, 1 + BENCH_PAYLOAD, BENCH_PAYLOAD },
	{ false, TCPHDR_ACK, 1 + BENCH_PAYLOAD, 1 + BENCH_PAYLOAD, 0 },
	/* close: the client first */
	{ false, TCPHDR_FIN | TCPHDR_ACK, 1 + BENCH_PAYLOAD, 1 + BENCH_PAYLOAD, 0 },
	{ true, TCPHDR_FIN | TCPHDR_ACK, 1 + BENCH_PAYLOAD, 2 + BENCH_PAYLOAD, 0 },
	{ false, TCPHDR_ACK, 2 + BENCH_PAYLOAD, 2 + BENCH_PAYLOAD, 0 },
};

/* Connection i: client 10.(i >> 16).x.y:(1024 + i % 50000) to 10.255.0.1:80. */
static __be32 client_addr(u32 i)
{
	return htonl(0x0a000000 | ((i / 50000) & 0xffffff));
}

static __be16 client_port(u32 i)
{
	return htons(1024 + i % 50000);
}

#define SERVER_ADDR	htonl(0x0affff01)
#define SERVER_PORT	htons(80)

static u32 client_isn(u32 i)
{
	return i * 2654435761u;
}

static u32 server_isn(u32 i)
{
	return ~i * 40503u;
}

enum bench_kind { SEG_NORMAL, SEG_STRAY, SEG_MALFORMED };

/* Fill @skb (empty, with headroom) with segment @s of connection @i. */
static void bench_fill(struct sk_buff *skb, u32 i, unsigned int s, enum bench_kind kind)
{
	const struct bench_seg *bs = &bench_segs[s];
	bool srv = bs->from_server;
	struct tcphdr *th;
	struct iphdr *iph;
	unsigned int len = bs->len;

	skb->data = skb->head + MAX_TCP_HEADER;
	skb_reset_tail_pointer(skb);
	skb->len = 0;
	if (kind != SEG_NORMAL)
		len = 0;
	skb_reset_network_header(skb);
	iph = skb_put(skb, sizeof(*iph));
	skb_set_transport_header(skb, sizeof(*iph));
	th = skb_put_zero(skb, sizeof(*th) + len);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->tot_len = htons(sizeof(*iph) + sizeof(*th) + len);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = srv ? SERVER_ADDR : client_addr(i);
	iph->daddr = srv ? client_addr(i) : SERVER_ADDR;
	ip_send_check(iph);
	th->source = srv ? SERVER_PORT : client_port(i);
	th->dest = srv ? client_port(i) : SERVER_PORT;
	th->seq = htonl((srv ? server_isn(i) : client_isn(i)) + bs->seq);
	th->ack_seq = htonl((srv ? client_isn(i) : server_isn(i)) + bs->ack);
	th->doff = kind == SEG_MALFORMED ? 3 : 5;
	tcp_flag_byte(th) = bs->flags;
	if (kind == SEG_STRAY) {
		/* a reset for a tuple no one tracks: port 0 is never used above */
		th->source = 0;
		tcp_flag_byte(th) = TCPHDR_RST | TCPHDR_ACK;
	}
	th->window = htons(65535);
	skb->protocol = htons(ETH_P_IP);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
}

/*
 * Turn @skb, segment 0 of a connection as bench_fill() made it (an IPv4
 * SYN), into the same SYN over IPv6: 2001:db8::(client) to 2001:db8::1.
 */
static void bench_to_ipv6(struct sk_buff *skb)
{
	struct tcphdr th = *tcp_hdr(skb);
	struct ipv6hdr *ip6h;

	skb->data = skb->head + MAX_TCP_HEADER;
	skb_reset_tail_pointer(skb);
	skb->len = 0;
	skb_reset_network_header(skb);
	ip6h = skb_put_zero(skb, sizeof(*ip6h));
	skb_set_transport_header(skb, sizeof(*ip6h));
	skb_put_data(skb, &th, sizeof(th));
	ip6h->version = 6;
	ip6h->payload_len = htons(sizeof(th));
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->hop_limit = 64;
	ip6h->saddr.s6_addr32[0] = htonl(0x20010db8);
	ip6h->saddr.s6_addr32[3] = htonl(2);
	ip6h->daddr.s6_addr32[0] = htonl(0x20010db8);
	ip6h->daddr.s6_addr32[3] = htonl(1);
	skb->protocol = htons(ETH_P_IPV6);
}

struct bench_ctx {
	struct net *net;
	struct sk_buff *skb[BENCH_BATCH * BENCH_SEGS];
	u64 ns[__TRK_MAX][BENCH_PHASES + 2];
	u64 segs[BENCH_PHASES + 2];
	long mem[__TRK_MAX];	/* bytes of free memory the table took */
	size_t ct_ext;		/* bytes of conntrack's extension area */
};

static unsigned int run_tcpsm(struct bench_ctx *b, unsigned int n)
{
	struct nf_hook_state st = {
		.hook = NF_INET_FORWARD,
		.pf = NFPROTO_IPV4,
		.net = b->net,
	};
	unsigned int k;

	for (k = 0; k < n; k++)
		tcpsm_hook(NULL, b->skb[k], &st);
	return n;
}

static void run_ct(struct bench_ctx *b, unsigned int n, bool ext)
{
	struct nf_hook_state st = {
		.hook = NF_INET_PRE_ROUTING,
		.pf = NFPROTO_IPV4,
		.net = b->net,
	};
	enum ip_conntrack_info ctinfo;
	unsigned int k;

	for (k = 0; k < n; k++) {
		struct sk_buff *skb = b->skb[k];

		if (nf_conntrack_in(skb, &st) == NF_ACCEPT)
			nf_conntrack_confirm(skb);
		if (ext && !b->ct_ext && nf_ct_get(skb, &ctinfo) &&
		    nf_ct_get(skb, &ctinfo)->ext)
			b->ct_ext = ksize(nf_ct_get(skb, &ctinfo)->ext);
		nf_reset_ct(skb);
	}
}

static long free_bytes(void)
{
	return global_zone_page_state(NR_FREE_PAGES) * (long)PAGE_SIZE;
}

/* One tracker over every phase of @conns connections, then strays. */
static void bench_pass(struct bench_ctx *b, int trk, u32 conns)
{
	unsigned int p, s, k, n;
	long before = 0;
	u32 base;
	u64 t0;

	for (p = 0; p < BENCH_PHASES + 2; p++) {
		u32 lim = p < BENCH_PHASES ? conns : min(conns, BENCH_STRAY);

		if (p == 0)
			before = free_bytes();
		for (base = 0; base < lim; base += BENCH_BATCH) {
			n = 0;
			for (k = base; k < lim && k < base + BENCH_BATCH; k++) {
				if (p < BENCH_PHASES) {
					for (s = 3 * p; s < 3 * p + 3; s++)
						bench_fill(b->skb[n++], k, s, SEG_NORMAL);
				} else {
					bench_fill(b->skb[n++], k, 3, p == BENCH_PHASES ?
						   SEG_STRAY : SEG_MALFORMED);
				}
			}
			local_bh_disable();
			rcu_read_lock();
			t0 = ktime_get_ns();
			if (trk == TRK_CT)
				run_ct(b, n, p == 0);
			else
				run_tcpsm(b, n);
			b->ns[trk][p] += ktime_get_ns() - t0;
			rcu_read_unlock();
			local_bh_enable();
			if (trk == TRK_TCPSM)
				b->segs[p] += n;
			cond_resched();
		}
		if (p == 0)
			b->mem[trk] = before - free_bytes();
	}
}

/* tcpsm's table: CONNS entries, client TIME_WAIT, server CLOSED. Empties it. */
static int check_tcpsm(struct tcpsm_net *tn, u32 conns)
{
	struct rhashtable_iter iter;
	struct tcpsm_conn *c;
	u32 good = 0, bad = 0;

	rhashtable_walk_enter(&tn->table, &iter);
	rhashtable_walk_start(&iter);
	while ((c = rhashtable_walk_next(&iter))) {
		if (IS_ERR(c))
			continue;
		if (c->e.fsm.end[TCPSM_ROLE_CLIENT].state == TCPSM_TIME_WAIT &&
		    c->e.fsm.end[TCPSM_ROLE_SERVER].state == TCPSM_CLOSED &&
		    c->key.port[c->e.client] != SERVER_PORT)
			good++;
		else if (bad++ < 3)
			pr_info("check tcpsm: entry client %s server %s\n",
				tcpsm_state_name(c->e.fsm.end[TCPSM_ROLE_CLIENT].state),
				tcpsm_state_name(c->e.fsm.end[TCPSM_ROLE_SERVER].state));
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	while (atomic_read(&tn->count) > 0)
		tcpsm_table_flush(tn);
	rcu_barrier();	/* freed for real before the next fill is weighed */
	if (good != conns || bad || atomic_read(&tn->count)) {
		pr_info("check size=%u tracker=tcpsm FAILED: %u good, %u bad entries, %d left\n",
			conns, good, bad, atomic_read(&tn->count));
		return -EIO;
	}
	pr_info("check size=%u tracker=tcpsm ok: %u entries client TIME_WAIT server CLOSED\n",
		conns, good);
	return 0;
}

struct ct_count {
	u32 time_wait;
	u32 other;
};

static int ct_count_and_kill(struct nf_conn *ct, void *data)
{
	struct ct_count *cc = data;

	if (nf_ct_protonum(ct) == IPPROTO_TCP &&
	    ct->proto.tcp.state == TCP_CONNTRACK_TIME_WAIT)
		cc->time_wait++;
	else
		cc->other++;
	return 1;
}

static int check_ct(struct net *net, u32 conns)
{
	struct ct_count cc = {};
	struct nf_ct_iter_data d = { .net = net, .data = &cc };

	nf_ct_iterate_cleanup_net(ct_count_and_kill, &d);
	if (cc.time_wait != conns || cc.other) {
		pr_info("check size=%u tracker=nf_conntrack FAILED: %u TIME_WAIT, %u other\n",
			conns, cc.time_wait, cc.other);
		return -EIO;
	}
	pr_info("check size=%u tracker=nf_conntrack ok: %u entries TIME_WAIT\n",
		conns, cc.time_wait);
	return 0;
}

/*
 * One entry's bytes: ksize() and the bytes of conntrack's extension area,
 * then the slab cache it came from, whose object size /proc/slabinfo tells
 * (kmem_dump_obj() continues the line: " slab NAME ...").
 */
static void print_entry(u32 conns, const char *trk, const char *fam, void *obj,
			size_t ext)
{
	pr_info("result size=%u tracker=%s family=%s entry_bytes=%zu ext_bytes=%zu from",
		conns, trk, fam, ksize(obj), ext);
	if (!kmem_dump_obj(obj))	/* a record of its own ends the one above */
		pr_info("result size=%u tracker=%s family=%s: not a slab object\n",
			conns, trk, fam);
}

/*
 * The bytes one entry of each tracker takes, per address family: one SYN
 * through each into empty tables, then the entry it made. By the entry, not
 * by a cache's name: a family may get a cache of its own.
 */
static int bench_entries(struct bench_ctx *b, u32 conns, bool ct)
{
	struct tcpsm_net *tn = tcpsm_pernet(b->net);
	struct nf_hook_state st = { .hook = NF_INET_FORWARD, .net = b->net };
	struct sk_buff *skb = b->skb[0];
	enum ip_conntrack_info ctinfo;
	struct rhashtable_iter iter;
	struct tcpsm_conn *c, *found;
	struct nf_conn *nc;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		const char *fam = v6 ? "ipv6" : "ipv4";

		bench_fill(skb, 0, 0, SEG_NORMAL);
		if (v6)
			bench_to_ipv6(skb);
		st.pf = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		local_bh_disable();
		rcu_read_lock();
		tcpsm_hook(NULL, skb, &st);
		rcu_read_unlock();
		local_bh_enable();
		found = NULL;
		rhashtable_walk_enter(&tn->table, &iter);
		rhashtable_walk_start(&iter);
		while ((c = rhashtable_walk_next(&iter)))
			if (!IS_ERR(c) && c->key.family == (v6 ? AF_INET6 : AF_INET))
				found = c;
		rhashtable_walk_stop(&iter);
		rhashtable_walk_exit(&iter);
		/* nothing else runs in this namespace: it lives until the flush */
		if (found)
			print_entry(conns, "tcpsm", fam, found, 0);
		while (atomic_read(&tn->count) > 0)
			tcpsm_table_flush(tn);
		rcu_barrier();
		if (!found) {
			pr_info("check size=%u tracker=tcpsm FAILED: no %s entry from a SYN\n",
				conns, fam);
			return -EIO;
		}
		if (!ct)
			continue;
		/* the entry conntrack_in() made for the SYN, freed unconfirmed */
		st.hook = NF_INET_PRE_ROUTING;
		local_bh_disable();
		rcu_read_lock();
		nf_conntrack_in(skb, &st);
		nc = nf_ct_get(skb, &ctinfo);
		if (nc)
			print_entry(conns, "nf_conntrack", fam, nc,
				    nc->ext ? ksize(nc->ext) : 0);
		nf_reset_ct(skb);
		rcu_read_unlock();
		local_bh_enable();
		st.hook = NF_INET_FORWARD;
		if (!nc) {
			pr_info("check size=%u tracker=nf_conntrack FAILED: no %s entry from a SYN\n",
				conns, fam);
			return -EIO;
		}
	}
	return 0;
}

static const enum tcpsm_stat stray_stat[2] = {
	TCPSM_STAT_UNTRACKED, TCPSM_STAT_BAD_DOFF
};

static int bench_run(struct bench_ctx *b, u32 conns, u32 runs, bool ct)
{
	struct tcpsm_net *tn = tcpsm_pernet(b->net);
	u64 stray0[2], stray1[2];
	unsigned int r, p, t;
	int err = 0;

	if (ct) {
		err = nf_ct_netns_get(b->net, NFPROTO_INET);
		if (err)
			return err;
	}
	err = bench_entries(b, conns, ct);
	for (r = 0; r < runs && !err; r++) {
		memset(b->ns, 0, sizeof(b->ns));
		memset(b->segs, 0, sizeof(b->segs));
		for (t = 0; t < 2; t++)
			stray0[t] = tcpsm_stat_read(tn, stray_stat[t]);
		bench_pass(b, TRK_TCPSM, conns);
		for (t = 0; t < 2; t++)
			stray1[t] = tcpsm_stat_read(tn, stray_stat[t]);
		err = check_tcpsm(tn, conns);
		for (t = 0; t < 2 && !err; t++) {
			if (stray1[t] - stray0[t] != min(conns, BENCH_STRAY)) {
				pr_info("check size=%u tracker=tcpsm FAILED: %s %llu, not %u\n",
					conns, tcpsm_stat_name(stray_stat[t]),
					stray1[t] - stray0[t], min(conns, BENCH_STRAY));
				err = -EIO;
			}
		}
		if (!err && ct) {
			bench_pass(b, TRK_CT, conns);
			err = check_ct(b->net, conns);
		}
		if (!err && ct) {
			/* no listener either way: what the events cost when no one listens */
			static_branch_disable(&tcpsm_nl_live);
			bench_pass(b, TRK_TCPSM_QUIET, conns);
			static_branch_enable(&tcpsm_nl_live);
			err = check_tcpsm(tn, conns);
		}
		if (err)
			break;
		for (t = 0; t < (ct ? __TRK_MAX : 1); t++) {
			u64 all_ns = 0, all_segs = 0;

			for (p = 0; p < BENCH_PHASES + 2; p++) {
				pr_info("result size=%u run=%u tracker=%s phase=%s segs=%llu ns_per_seg=%llu\n",
					conns, r, trk_name[t],
					p < BENCH_PHASES ? phase_name[p] :
					p == BENCH_PHASES ? "no_conn" : "malformed",
					b->segs[p], div64_u64(b->ns[t][p], b->segs[p]));
				if (p < BENCH_PHASES) {
					all_ns += b->ns[t][p];
					all_segs += b->segs[p];
				}
			}
			pr_info("result size=%u run=%u tracker=%s phase=all segs=%llu ns_per_seg=%llu\n",
				conns, r, trk_name[t], all_segs, div64_u64(all_ns, all_segs));
			pr_info("result size=%u run=%u tracker=%s mem_bytes_per_conn=%ld\n",
				conns, r, trk_name[t], b->mem[t] / (long)conns);
		}
		if (r == 0) {
			pr_info("result size=%u tracker=tcpsm slab_object_size=%u\n",
				conns, kmem_cache_size(tcpsm_cache));
			if (ct)
				pr_info("result size=%u tracker=nf_conntrack ext_bytes=%zu\n",
					conns, b->ct_ext);
		}
		pr_info("result size=%u run=%u tracker=tcpsm events_lost=%llu\n",
			conns, r, tcpsm_stat_read(tn, TCPSM_STAT_EVENTS_LOST));
	}
	if (ct)
		nf_ct_netns_put(b->net, NFPROTO_INET);
	return err;
}

static DEFINE_MUTEX(bench_mutex);

static ssize_t bench_write(struct file *file, const char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	struct bench_ctx *b;
	char buf[64], what[16];
	u32 conns, runs;
	unsigned int i;
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sscanf(buf, "%u %u %15s", &conns, &runs, what) != 3 || !conns ||
	    conns > BENCH_MAX_CONNS || !runs ||
	    (strcmp(what, "both") && strcmp(what, "tcpsm")))
		return -EINVAL;
	b = kvzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->net = current->nsproxy->net_ns;
	for (i = 0; i < ARRAY_SIZE(b->skb); i++) {
		b->skb[i] = alloc_skb(MAX_TCP_HEADER + 64 + BENCH_PAYLOAD, GFP_KERNEL);
		if (!b->skb[i]) {
			err = -ENOMEM;
			goto out;
		}
	}
	mutex_lock(&bench_mutex);
	err = bench_run(b, conns, runs, !strcmp(what, "both"));
	mutex_unlock(&bench_mutex);
out:
	for (i = 0; i < ARRAY_SIZE(b->skb); i++)
		kfree_skb(b->skb[i]);
	kvfree(b);
	return err ? err : len;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.write = bench_write,
};

/* Like tcpsm.ko's namespaces, without hooks, /proc or sysctls. */
static int __net_init bench_net_init(struct net *net)
{
	struct tcpsm_net *tn = tcpsm_pernet(net);

	tn->net = net;
	tn->cfg = tcpsm_defaults;
	/* Room for the largest run; nothing times out during one. */
	tn->cfg.max_conns = BENCH_MAX_CONNS;
	tn->cfg.msl = 3600;
	tn->cfg.syn_sent_timeout = 3600;
	tn->cfg.syn_rcvd_timeout = 3600;
	tn->stats = alloc_percpu(struct tcpsm_stats);
	if (!tn->stats)
		return -ENOMEM;
	if (tcpsm_table_init(tn)) {
		free_percpu(tn->stats);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit bench_net_exit(struct net *net)
{
	struct tcpsm_net *tn = tcpsm_pernet(net);

	tcpsm_table_destroy(tn);
	free_percpu(tn->stats);
}

static struct pernet_operations bench_net_ops = {
	.init = bench_net_init,
	.exit = bench_net_exit,
	.id = &tcpsm_net_id,
	.size = sizeof(struct tcpsm_net),
};

static struct dentry *bench_dir;

static int __init bench_init(void)
{
	int err;

	err = tcpsm_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&bench_net_ops);
	if (err)
		goto err_cache;
	err = tcpsm_netlink_init();
	if (err)
		goto err_pernet;
	bench_dir = debugfs_create_dir("tcpsm_bench", NULL);
	debugfs_create_file("run", 0200, bench_dir, NULL, &bench_fops);
	pr_info("ready, entry size %zu bytes\n", sizeof(struct tcpsm_conn));
	return 0;

err_pernet:
	unregister_pernet_subsys(&bench_net_ops);
err_cache:
	tcpsm_cache_destroy();
	return err;
}

static void __exit bench_exit(void)
{
	debugfs_remove(bench_dir);
	tcpsm_netlink_exit();
	unregister_pernet_subsys(&bench_net_ops);
	tcpsm_cache_destroy();
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tcpsm benchmark: per-segment cost beside nf_conntrack");
