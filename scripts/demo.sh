#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: build tcpsm for Debian's stock kernel, boot it in QEMU, load
# the module, and watch one TCP connection live through /proc/net/tcpsm
# and tcpsmctl watch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs build-essential rsync python3 iproute2 nftables libmnl-dev pkg-config
make -s -C "$TCPSM_TOP/tools/tcpsmctl"
exec "$TCPSM_TOP/scripts/vm-run.sh" --kernel "${KERNEL:-stock}" -- \
	python3 "$TCPSM_TOP/scripts/demo.py"
