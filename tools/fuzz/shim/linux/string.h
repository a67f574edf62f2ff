/* SPDX-License-Identifier: GPL-2.0 */
/* memcmp(), memset() ... as the kernel's, from the C library. */
#ifndef _TCPSM_SHIM_STRING_H
#define _TCPSM_SHIM_STRING_H

#include <string.h>

#endif /* _TCPSM_SHIM_STRING_H */
