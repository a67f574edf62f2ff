#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh [stock|stock612...]: what a user's `dkms add` and `dkms build`
# do with the tree as it is, against each of Debian's stock kernels' headers
# (default both), in a scratch DKMS tree so the host's /var/lib/dkms and
# /usr/src are never touched. First, module/main.c's MODULE_VERSION must be
# dkms.conf's PACKAGE_VERSION; then each build must leave tcpsm.ko (and no
# KUnit module), its modinfo version that same PACKAGE_VERSION.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs dkms openssl

conf_version() {	# PACKAGE_VERSION from dkms.conf
	sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$TCPSM_TOP/dkms.conf"
}
src_version() {	# MODULE_VERSION("...") from the module's sources
	sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$TCPSM_TOP"/module/*.c
}

version=$(conf_version)
[ -n "$version" ] || die "dkms.conf has no PACKAGE_VERSION"
[ "$(src_version)" = "$version" ] ||
	die "MODULE_VERSION in module/ is '$(src_version | tr '\n' ' ')', dkms.conf's PACKAGE_VERSION $version"
log "MODULE_VERSION and dkms.conf's PACKAGE_VERSION agree: $version"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The source as a user puts it in /usr/src: the whole tree, no git metadata.
src=$work/src/tcpsm-$version
mkdir -p "$src" "$work/tree" "$work/keys"
rsync -a --exclude .git "$TCPSM_TOP/" "$src/"
opts=(--sourcetree "$work/src" --dkmstree "$work/tree" --installtree "$work/install")
# dkms signs what it builds, making its key under /var/lib/dkms unless told
export mok_signing_key=$work/keys/mok.key mok_certificate=$work/keys/mok.pub
dkms add -m tcpsm -v "$version" "${opts[@]}" >"$work/add.log" 2>&1 ||
	{ cat "$work/add.log" >&2; die "dkms add failed"; }

kernels=("$@")
[ $# -gt 0 ] || kernels=(stock stock612)
bad=0
for kernel in "${kernels[@]}"; do
	{ read -r rel; read -r kdir; read -r _; } < <("$TCPSM_TOP/scripts/stock-kernel.sh" "$kernel")
	log "dkms build against $kernel ($rel)"
	if ! sign_file=$kdir/scripts/sign-file dkms build -m tcpsm -v "$version" -k "$rel" \
		--kernelsourcedir "$kdir" "${opts[@]}" >"$work/build-$rel.log" 2>&1; then
		cat "$work/build-$rel.log" "$work/tree/tcpsm/$version/build/make.log" >&2 2>/dev/null
		log "dkms build against $rel failed"
		bad=1
		continue
	fi
	mods=$(find "$work/tree/tcpsm/$version/$rel" -name '*.ko*' -printf '%f\n' | sort | tr '\n' ' ')
	ko=$(find "$work/tree/tcpsm/$version/$rel" -name 'tcpsm.ko*' | head -n1)
	got=$(modinfo -F version "$ko" 2>/dev/null || true)
	if [ "$mods" != "tcpsm.ko " ] && [ "$mods" != "tcpsm.ko.xz " ]; then
		log "dkms built '$mods' against $rel, not tcpsm.ko alone"
		bad=1
	elif [ "$got" != "$version" ]; then
		log "the module dkms built against $rel says version '$got', dkms.conf $version"
		bad=1
	else
		log "dkms build against $rel: $mods(version $got)"
	fi
done
[ $bad -eq 0 ] || die "dkms build failed"
