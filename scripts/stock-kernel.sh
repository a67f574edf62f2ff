#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's stock kernel, the one a user has on a test VM: the image
# package unpacked (dpkg -x, never installed) under $TCPSM_CACHE/stock-<rel>,
# and the matching headers package installed (a KDIR). N in 6.1.0-N-amd64 is
# whatever linux-image-amd64 depends on today.
#
# Prints three lines: the release, the headers (KDIR), the unpacked root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rel=$(stock_release)
need_pkgs "linux-headers-$rel" kmod
dir=$TCPSM_CACHE/stock-$rel

if [ ! -f "$dir/.tcpsm-unpacked" ]; then
	log "fetching linux-image-$rel-unsigned"
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get download "linux-image-$rel-unsigned" >/dev/null 2>&1) ||
		die "apt-get download linux-image-$rel-unsigned failed"
	dpkg -x "$dir"/debs/linux-image-*.deb "$dir/root"
	rm -rf "$dir/debs"
	depmod -b "$dir/root" "$rel"
	touch "$dir/.tcpsm-unpacked"
fi

echo "$rel"
echo "/usr/src/linux-headers-$rel"
echo "$dir/root"
