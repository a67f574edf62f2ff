// SPDX-License-Identifier: GPL-2.0
/*
 * A module that misbehaves on request, so the VM runner's own checks can be
 * tested: loaded with fault=warn it WARNs, with fault=leak it leaks an
 * allocation kmemleak will report, with fault=none it does nothing.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "none, warn or leak");

static void *leaked;

static int __init selftest_init(void)
{
	if (!strcmp(fault, "warn")) {
		WARN(1, "tcpsm_vm_selftest: deliberate warning");
	} else if (!strcmp(fault, "leak")) {
		leaked = kmalloc(4096, GFP_KERNEL);
		leaked = NULL;	/* lose the only reference */
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
