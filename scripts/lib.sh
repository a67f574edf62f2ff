# SPDX-License-Identifier: GPL-2.0
# Shared helpers for tcpsm's scripts: cache location, package installs,
# and where each kernel lives. Sourced, never run.

TCPSM_CACHE=${TCPSM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcpsm}
TCPSM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '[tcpsm] %s\n' "$*" >&2; }
die() { printf '[tcpsm] error: %s\n' "$*" >&2; exit 1; }

# need_pkgs PKG...: install the Debian packages that are missing, saying so.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing Debian packages: ${missing[*]}"
	[ "$(id -u)" -eq 0 ] || die "need root to apt-get install ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${missing[@]}" >"$TCPSM_CACHE/apt.log" 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get update >>"$TCPSM_CACHE/apt.log" 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			"${missing[@]}" >>"$TCPSM_CACHE/apt.log" 2>&1 ||
			die "apt-get install failed, see $TCPSM_CACHE/apt.log"
	fi
}

# vm_packages: the Debian packages the VM's userland needs (scripts/vm-packages).
vm_packages() {
	sed 's/#.*//' "$TCPSM_TOP/scripts/vm-packages" | awk 'NF { print $1 }'
}

# obj_dir KIND KDIR: where this tree builds KIND (obj, obj-bench ...) against
# the kernel tree KDIR: one place per kernel, so two kernels' objects never
# mix, and per tree, so two clones sharing the cache never build in the
# same place at once.
obj_dir() {
	echo "$TCPSM_CACHE/$1/$(echo "$TCPSM_TOP $2" | sha256sum | cut -c1-12)"
}

# stock_release stock|stock612: the release of one of Debian's stock kernels,
# from what its metapackage depends on today: stock is 6.1 (6.1.0-N-amd64,
# from linux-image-amd64), stock612 is 6.12 (6.12.N+deb12-amd64, from
# linux-image-6.12-amd64, the linux-6.12 that bookworm-security carries).
stock_release() {
	local meta pat dep
	case "${1:-stock}" in
	stock) meta=linux-image-amd64 pat='6\.1\.0-[0-9]*-amd64' ;;
	stock612) meta=linux-image-6.12-amd64 pat='6\.12\.[0-9]*+deb12-amd64' ;;
	*) die "no stock kernel called $1 (stock or stock612)" ;;
	esac
	dep=$(apt-cache depends "$meta" 2>/dev/null |
		sed -n "s/^ *Depends: linux-image-\($pat\)\$/\1/p" | head -n1)
	[ -n "$dep" ] || die "cannot resolve the $1 kernel from $meta's dependencies"
	echo "$dep"
}

mkdir -p "$TCPSM_CACHE"
