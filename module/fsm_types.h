/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The integer types fsm.c needs, from the kernel or, for the user-space
 * fuzzer, from the C library: fsm.c itself stays free of either.
 */
#ifndef _TCPSM_FSM_TYPES_H
#define _TCPSM_FSM_TYPES_H

#ifdef __KERNEL__
#include <linux/build_bug.h>	/* static_assert */
#include <linux/kernel.h>	/* ARRAY_SIZE */
#include <linux/types.h>
#else
#include <assert.h>	/* static_assert */
#include <stdbool.h>
#include <stddef.h>
/* The sizes every Linux ABI gives these C types. */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
/* One thread in user space: plain loads and stores. */
#define READ_ONCE(x) (x)
#define WRITE_ONCE(x, v) ((x) = (v))
#endif

#endif /* _TCPSM_FSM_TYPES_H */
