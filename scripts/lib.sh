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

# obj_dir KIND KDIR: where this tree builds KIND (obj, obj-bench ...) against
# the kernel tree KDIR: one place per kernel, so two kernels' objects never
# mix, and per tree, so two clones sharing the cache never build in the
# same place at once.
obj_dir() {
	echo "$TCPSM_CACHE/$1/$(echo "$TCPSM_TOP $2" | sha256sum | cut -c1-12)"
}

# The stock kernel's release (6.1.0-N-amd64), from what linux-image-amd64 depends on.
stock_release() {
	local dep
	dep=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n1)
	[ -n "$dep" ] || die "cannot resolve the stock kernel from linux-image-amd64's dependencies"
	echo "$dep"
}

mkdir -p "$TCPSM_CACHE"
