// SPDX-License-Identifier: GPL-2.0
/*
 * The system under test: tcpsm_kunit.ko compiles the module's sources that
 * its suites exercise here, once, rather than sharing objects with tcpsm.ko.
 */
#include <linux/module.h>

#include "../module/fsm.c"
#include "../module/parse.c"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for tcpsm");
