// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of /proc/net/tcpsm/stats: per CPU, so the hook never shares a
 * cache line to count, summed when read.
 */
#include <linux/percpu.h>

#include "tcpsm.h"

u64 tcpsm_stat_read(struct tcpsm_net *tn, enum tcpsm_stat s)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(tn->stats, cpu)->v[s];
	return sum;
}
