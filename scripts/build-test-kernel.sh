#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test kernel (KUnit + KASAN + lockdep + kmemleak ...) from Debian's
# linux-source-6.12 and scripts/test-kernel.config, cached under
# $TCPSM_CACHE/test-<version>-<config hash>. Prints the build directory (a
# KDIR for out-of-tree modules, with arch/x86/boot/bzImage in it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs linux-source-6.12 build-essential flex bison bc libelf-dev libssl-dev cpio xz-utils python3

fragment=$TCPSM_TOP/scripts/test-kernel.config
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$(sha256sum <"$fragment" | cut -c1-12)
src=$TCPSM_CACHE/src/linux-source-$srcver
out=$TCPSM_CACHE/test-$srcver-$key

unpack_only=0
[ "${1:-}" = --unpack-only ] && unpack_only=1

if [ $unpack_only -eq 0 ] && [ -f "$out/.tcpsm-built" ]; then
	echo "$out"
	exit 0
fi

# One build at a time: a second caller waits, then finds it built.
exec 9>"$TCPSM_CACHE/test-kernel.lock"
flock 9
if [ $unpack_only -eq 0 ] && [ -f "$out/.tcpsm-built" ]; then
	echo "$out"
	exit 0
fi

if [ ! -f "$src/.tcpsm-unpacked" ]; then
	log "unpacking linux-source-6.12 ($srcver)"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf /usr/src/linux-source-6.12.tar.xz
	mv "$src.tmp" "$src"
	touch "$src/.tcpsm-unpacked"
fi
if [ $unpack_only -eq 1 ]; then
	echo "$src"
	exit 0
fi

log "building test kernel in $out (config $key)"
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
make -s -C "$src" O="$out" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >/dev/null
make -s -C "$src" O="$out" olddefconfig >/dev/null

# Kconfig drops what it cannot satisfy without a word: check every request.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n)
		opt=${line%=n}
		if grep -q "^$opt=" "$out/.config"; then
			log "config: $opt should be unset"; bad=1
		fi ;;
	CONFIG_*)
		grep -qx "$line" "$out/.config" || { log "config: $line did not stick"; bad=1; } ;;
	esac
done <"$fragment"
[ $bad -eq 0 ] || die "test kernel config is not what scripts/test-kernel.config asks for"

if ! make -C "$src" O="$out" -j"$(nproc)" >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	die "test kernel build failed (log: $out/build.log)"
fi
end=$(date +%s)
echo "$((end - start))" >"$out/.tcpsm-build-seconds"
log "test kernel built in $((end - start)) s"
touch "$out/.tcpsm-built"
echo "$out"
