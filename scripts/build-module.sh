#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh stock|stock612|test|KDIR: build tcpsm.ko (and tcpsm_kunit.ko when the
# kernel has KUnit) with W=1, in a copy of the tree under $TCPSM_CACHE/obj/
# (see obj_dir). Any compiler or modpost warning fails the build. Prints the
# directory holding the .ko files.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:-stock}
case "$kernel" in
stock | stock612) kdir=$("$TCPSM_TOP/scripts/stock-kernel.sh" "$kernel" | sed -n 2p) ;;
test) kdir=$("$TCPSM_TOP/scripts/build-test-kernel.sh") ;;
*) kdir=$kernel ;;
esac
[ -f "$kdir/Makefile" ] || die "no kernel build tree at $kdir"

obj=$(obj_dir obj "$kdir")
mkdir -p "$obj"
rsync -a --delete --exclude .git --exclude '*.o' --exclude '*.ko' --exclude '*.cmd' \
	--exclude '*.mod*' --exclude modules.order --exclude Module.symvers \
	"$TCPSM_TOP/Kbuild" "$TCPSM_TOP/module" "$TCPSM_TOP/kunit" "$obj/"

# the KUnit module is built only on request (Kbuild), here where the kernel can run it
kunit=()
grep -qE '^CONFIG_KUNIT=[ym]$' "$kdir/.config" && kunit=(TCPSM_KUNIT=1)
log "building tcpsm against $kdir (W=1${kunit[*]:+, ${kunit[*]}})"
if ! make -C "$kdir" M="$obj" W=1 ${kunit[@]+"${kunit[@]}"} modules >"$obj/build.log" 2>&1; then
	cat "$obj/build.log" >&2
	die "module build failed against $kdir"
fi
if grep -E 'warning:|WARNING:' "$obj/build.log" >&2; then
	die "module build against $kdir has warnings"
fi
echo "$obj"
