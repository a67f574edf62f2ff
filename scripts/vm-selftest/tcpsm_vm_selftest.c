// SPDX-License-Identifier: GPL-2.0
/*
 * A module that misbehaves on request, so the VM runner's own checks can be
 * tested: loaded with fault=warn it WARNs, with fault=leak it leaks an
 * allocation kmemleak will report, with fault=odebug it initialises a
 * pending timer again (a DEBUG_OBJECTS_TIMERS report), with fault=stall it
 * keeps another CPU from passing a quiescent state for stall_ms while it
 * waits for a grace period (an RCU CPU stall warning, once the stall timeout
 * is shorter), with fault=none it does nothing.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "none, warn, leak, odebug or stall");
static unsigned int stall_ms = 8000;
module_param(stall_ms, uint, 0444);
MODULE_PARM_DESC(stall_ms, "how long fault=stall spins");

static void *leaked;
static struct timer_list pending;
static struct work_struct spinner;
static DECLARE_COMPLETION(spinning);

static void pending_fn(struct timer_list *t)
{
}

/* No quiescent state for stall_ms: never schedules, preemption off. */
static void spin_fn(struct work_struct *w)
{
	unsigned long end = jiffies + msecs_to_jiffies(stall_ms);

	preempt_disable();
	complete(&spinning);
	while (time_before(jiffies, end))
		cpu_relax();
	preempt_enable();
}

static int __init selftest_init(void)
{
	if (!strcmp(fault, "warn")) {
		WARN(1, "tcpsm_vm_selftest: deliberate warning");
	} else if (!strcmp(fault, "leak")) {
		leaked = kmalloc(4096, GFP_KERNEL);
		leaked = NULL;	/* lose the only reference */
	} else if (!strcmp(fault, "odebug")) {
		timer_setup(&pending, pending_fn, 0);
		mod_timer(&pending, jiffies + 100 * HZ);
		timer_setup(&pending, pending_fn, 0);	/* "init active" */
		del_timer_sync(&pending);
	} else if (!strcmp(fault, "stall")) {
		/* spin on another CPU, wait for a grace period from this one */
		INIT_WORK(&spinner, spin_fn);
		schedule_work_on(cpumask_any_but(cpu_online_mask, raw_smp_processor_id()),
				 &spinner);
		/* a grace period must be waited for while it spins */
		wait_for_completion(&spinning);
		synchronize_rcu();
		flush_work(&spinner);
	} else if (strcmp(fault, "none")) {
		pr_err("tcpsm_vm_selftest: unknown fault=%s\n", fault);
		return -EINVAL;
	}
	return 0;
}

static void __exit selftest_exit(void)
{
}

module_init(selftest_init);
module_exit(selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Faults on request, to test tcpsm's VM runner");
