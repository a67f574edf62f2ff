// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tcpsm/: what a person with `cat` sees.
 *   conns: one line per connection of this namespace, "key=value" pairs
 *   stats: "name value" per line, per-CPU counters summed
 *   graph: the state graph travelled, "role old new what count" per edge
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "tcpsm.h"

/*
 * A reader's walk of the table, kept from one read() to the next so a
 * `cat` of a large table neither skips nor repeats entries when others
 * come and go between its reads (only a resize starts it over, as for the
 * netlink dump). pos is the position of the entry the walker stands at.
 */
struct conns_iter {
	struct tcpsm_net *tn;
	struct rhashtable_iter iter;
	loff_t pos;
};

static struct tcpsm_conn *conns_advance(struct conns_iter *it)
{
	struct tcpsm_conn *c;

	do {
		c = rhashtable_walk_next(&it->iter);
	} while (IS_ERR(c));	/* -EAGAIN: resized, started over */
	it->pos++;
	return c;
}

static void *conns_start(struct seq_file *seq, loff_t *pos)
{
	struct conns_iter *it = seq->private;
	struct tcpsm_conn *c;

	if (*pos != it->pos) {
		/* lseek() or pread(): walk again from the start */
		rhashtable_walk_exit(&it->iter);
		rhashtable_walk_enter(&it->tn->table, &it->iter);
		it->pos = 0;
	}
	tcpsm_walk_start(&it->iter);
	/* peek: the entry the last read() could not fit, or the first */
	c = rhashtable_walk_peek(&it->iter);
	if (IS_ERR(c))
		c = conns_advance(it);
	while (c && it->pos < *pos)
		c = conns_advance(it);
	if (c)
		*pos = it->pos;	/* past *pos only if a resize started it over */
	return c;
}

static void *conns_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct conns_iter *it = seq->private;
	struct tcpsm_conn *c = conns_advance(it);

	*pos = it->pos;
	return c;
}

static void conns_stop(struct seq_file *seq, void *v)
{
	struct conns_iter *it = seq->private;

	rhashtable_walk_stop(&it->iter);
}

static void show_end(char *out, size_t len, const struct tcpsm_conn *c, int idx)
{
	const union tcpsm_addr *a = &c->key.addr[idx];
	u16 port = ntohs(c->key.port[idx]);

	if (c->key.family == AF_INET)
		snprintf(out, len, "%pI4:%u", &a->ip, port);
	else
		snprintf(out, len, "[%pI6c]:%u", &a->in6, port);
}

static __printf(2, 3) void seq_pr(void *seq, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(seq, fmt, ap);
	va_end(ap);
}

static int conns_show(struct seq_file *seq, void *v)
{
	struct tcpsm_conn *c = v;
	unsigned long now = jiffies;
	struct tcpsm_view view;

	/*
	 * Timeouts due by now are applied, but an entry due to go is only
	 * hidden: removing it needs the walk stopped. The hook or the
	 * collector removes it.
	 */
	spin_lock_bh(&c->lock);
	if (!(c->e.flags & TCPSM_F_DEAD))
		tcpsm_ka_catch_up(c, now);
	if ((c->e.flags & TCPSM_F_DEAD) || tcpsm_timer_expire(c, now)) {
		spin_unlock_bh(&c->lock);
		return SEQ_SKIP;
	}
	view.family = c->key.family;
	view.zone = c->key.zone;
	show_end(view.client, sizeof(view.client), c, c->e.client);
	show_end(view.server, sizeof(view.server), c, !c->e.client);
	tcpsm_view_fill(&view, &c->e, &c->tn->cfg, now);
	spin_unlock_bh(&c->lock);
	tcpsm_view_line(&view, seq_pr, seq);
	return 0;
}

static const struct seq_operations conns_seq_ops = {
	.start = conns_start,
	.next = conns_next,
	.stop = conns_stop,
	.show = conns_show,
};

static int conns_open(struct inode *inode, struct file *file)
{
	struct conns_iter *it;

	it = __seq_open_private(file, &conns_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->tn = pde_data(inode);
	rhashtable_walk_enter(&it->tn->table, &it->iter);
	return 0;
}

/* Also called by proc_remove() for a file still open at netns exit. */
static int conns_release(struct inode *inode, struct file *file)
{
	struct seq_file *seq = file->private_data;
	struct conns_iter *it = seq->private;

	rhashtable_walk_exit(&it->iter);
	return seq_release_private(inode, file);
}

static const struct proc_ops conns_proc_ops = {
	.proc_open = conns_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = conns_release,
};

static int stats_show(struct seq_file *seq, void *v)
{
	struct tcpsm_net *tn = tcpsm_pernet(seq_file_single_net(seq));
	int s;

	seq_printf(seq, "active %d\n", atomic_read(&tn->count));
	for (s = 0; s < __TCPSM_STAT_MAX; s++)
		seq_printf(seq, "%s %llu\n", tcpsm_stat_name(s), tcpsm_stat_read(tn, s));
	return 0;
}

static int graph_show(struct seq_file *seq, void *v)
{
	struct tcpsm_net *tn = tcpsm_pernet(seq_file_single_net(seq));
	struct tcpsm_graph_edge e;
	unsigned int i;
	s64 n;

	for (i = 0; i < TCPSM_GRAPH_EDGES; i++) {
		n = atomic64_read(&tn->graph[i]);
		if (!n)
			continue;
		tcpsm_graph_edge(i, &e);
		seq_printf(seq, "%s %s %s %s %lld\n", tcpsm_name(&tcpsm_names_role, e.role),
			   tcpsm_state_name(e.old), tcpsm_state_name(e.new),
			   tcpsm_name(&tcpsm_names_hist, e.what), n);
	}
	return 0;
}

int tcpsm_proc_init(struct net *net)
{
	struct tcpsm_net *tn = tcpsm_pernet(net);

	tn->proc = proc_net_mkdir(net, "tcpsm", net->proc_net);
	if (!tn->proc)
		return -ENOMEM;
	if (!proc_create_data("conns", 0444, tn->proc, &conns_proc_ops, tn) ||
	    !proc_create_net_single("stats", 0444, tn->proc, stats_show, NULL) ||
	    !proc_create_net_single("graph", 0444, tn->proc, graph_show, NULL)) {
		remove_proc_subtree("tcpsm", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void tcpsm_proc_exit(struct net *net)
{
	remove_proc_subtree("tcpsm", net->proc_net);
}
