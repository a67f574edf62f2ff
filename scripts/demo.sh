#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: build tcpsm for Debian's stock kernel, boot it in QEMU, load
# the module, and watch one TCP connection live through /proc/net/tcpsm
# and tcpsmctl watch. KERNEL=stock (6.1, the default), stock612 (6.12) or
# test (the debug kernel) picks the kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# tcpsmctl's build; what the VM runs, vm-run.sh installs (scripts/vm-packages)
need_pkgs build-essential rsync libmnl-dev pkg-config
make -s -C "$TCPSM_TOP/tools/tcpsmctl"
exec "$TCPSM_TOP/scripts/vm-run.sh" --kernel "${KERNEL:-stock}" -- \
	python3 "$TCPSM_TOP/scripts/demo.py"
