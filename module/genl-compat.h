/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the generated netlink-gen.[ch] need from kernels older than the YNL
 * generator (6.1): struct genl_split_ops, the do and dump halves of an
 * operation as separate entries. netlink.c merges them into struct genl_ops
 * at registration there. Kbuild probes the kernel's headers for it, and for
 * const range pointers in struct nla_policy.
 */
#ifndef _TCPSM_GENL_COMPAT_H
#define _TCPSM_GENL_COMPAT_H

#include <net/genetlink.h>

#ifndef TCPSM_HAVE_GENL_SPLIT_OPS
struct genl_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};
#endif

/*
 * The generated policies keep their ranges in const objects; before 6.2 the
 * policy points at them through a non-const pointer (and never writes).
 */
#ifndef TCPSM_HAVE_CONST_NLA_RANGE
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {			\
	.type = NLA_ENSURE_UINT_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,		\
	.range = (struct netlink_range_validation *)(_range),	\
}
#endif

#endif /* _TCPSM_GENL_COMPAT_H */
