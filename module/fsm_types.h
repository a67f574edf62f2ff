/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The integer types fsm.c needs, from the kernel or, for the user-space
 * fuzzer, from the C library: fsm.c itself stays free of either.
 */
#ifndef _TCPSM_FSM_TYPES_H
#define _TCPSM_FSM_TYPES_H

#ifdef __KERNEL__
#include <linux/kernel.h>	/* ARRAY_SIZE */
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* _TCPSM_FSM_TYPES_H */
