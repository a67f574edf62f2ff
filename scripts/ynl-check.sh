#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generated netlink files match docs/netlink/tcpsm.yaml: regenerate
# them into a scratch directory and compare with the tree's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$TCPSM_TOP/scripts/ynl-regen.sh" "$tmp"
rc=0
for f in module/uapi/linux/tcpsm.h module/netlink-gen.h module/netlink-gen.c; do
	if ! diff -u "$TCPSM_TOP/$f" "$tmp/$f" >&2; then
		log "$f differs from what docs/netlink/tcpsm.yaml generates"
		rc=1
	fi
done
[ $rc -eq 0 ] || die "run scripts/ynl-regen.sh"
log "generated netlink files match docs/netlink/tcpsm.yaml"
