/* SPDX-License-Identifier: GPL-2.0 */
/* min_t() as the kernel's, for the user-space fuzzer. */
#ifndef _TCPSM_SHIM_MINMAX_H
#define _TCPSM_SHIM_MINMAX_H

#define min_t(type, a, b) ({		\
	type __a = (a);			\
	type __b = (b);			\
	__a < __b ? __a : __b;		\
})

#endif /* _TCPSM_SHIM_MINMAX_H */
