#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stock-kernel.sh [stock|stock612]: fetch one of Debian's stock kernels, the
# one a user has on a test VM: stock is bookworm's 6.1, stock612 its 6.12
# (release resolved by stock_release). The image package is unpacked (dpkg
# -x, never installed) under $TCPSM_CACHE/stock-<rel>. The 6.1 headers
# package is installed (a KDIR); 6.12's is unpacked beside the image, since
# installing it would install its image on the host too (it depends on one).
#
# Prints three lines: the release, the headers (KDIR), the unpacked root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:-stock}
rel=$(stock_release "$kernel")
dir=$TCPSM_CACHE/stock-$rel
kdir=/usr/src/linux-headers-$rel
if [ "$kernel" = stock ]; then
	need_pkgs "linux-headers-$rel" kmod
else
	# what the headers' kbuild needs on the host (its package's dependencies)
	need_pkgs kmod gcc-12 dwarves libelf1 libssl3
	kdir=$dir/root$kdir
fi

# fetch_unpack DIR PKG...: apt-get download PKG... and dpkg -x them into DIR.
fetch_unpack() {
	local into=$1 debs d
	shift
	log "fetching $*"
	debs=$(mktemp -d)
	(cd "$debs" && apt-get download "$@" >/dev/null 2>&1) ||
		{ rm -rf "$debs"; die "apt-get download $* failed"; }
	for d in "$debs"/*.deb; do
		dpkg -x "$d" "$into"
	done
	rm -rf "$debs"
}

# the headers package and the two it depends on for a build: -common, kbuild
headers_pkgs() {
	echo "linux-headers-$rel"
	apt-cache depends "linux-headers-$rel" |
		sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[^ ]*\)$/\1/p'
}

if [ ! -f "$dir/.tcpsm-unpacked" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	fetch_unpack "$dir/root" "linux-image-$rel-unsigned"
	if [ "$kernel" != stock ]; then
		mapfile -t pkgs < <(headers_pkgs)
		fetch_unpack "$dir/root" "${pkgs[@]}"
		# its Makefile includes the -common tree's by absolute path
		sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$kdir/Makefile"
		[ -f "$(sed -n 's/^include //p' "$kdir/Makefile")" ] ||
			die "the unpacked headers' Makefile includes a file that is not there"
	fi
	depmod -b "$dir/root" "$rel"
	touch "$dir/.tcpsm-unpacked"
fi

echo "$rel"
echo "$kdir"
echo "$dir/root"
