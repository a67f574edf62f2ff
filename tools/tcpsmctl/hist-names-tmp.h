/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TEMPORARY: the declarations module/names.h is to get for issue 14 (the
 * history letters and names, the end codes, the closer). Delete this file
 * and hist-names-tmp.c once module/names.c has them: nothing else changes
 * (hist.h includes this file only while it exists; the Makefile builds
 * hist-names-tmp.c only while it exists).
 */
#ifndef TCPSMCTL_HIST_NAMES_TMP_H
#define TCPSMCTL_HIST_NAMES_TMP_H

#include "names.h"

extern const struct tcpsm_names tcpsm_names_hist;	/* "tw_restart" */
extern const struct tcpsm_names tcpsm_names_end;	/* "reset_client" */
extern const struct tcpsm_names tcpsm_names_closer;	/* "both" */
/* /proc's letter of a history event: upper case for the client; '?' if unknown */
char tcpsm_hist_letter(unsigned int what, unsigned int role);

#endif /* TCPSMCTL_HIST_NAMES_TMP_H */
