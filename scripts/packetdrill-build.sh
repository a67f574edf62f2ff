#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# packetdrill-build.sh [--check]: build packetdrill from the vendored,
# read-only source in ../shared/vendor/packetdrill (beside the tree; see
# its ../README.md) in a copy under $TCPSM_CACHE/packetdrill/, once per
# version of that source (keyed by a hash of its files), and print the
# binary's path. The vendored source is never written to.
#
# --check: build nothing; print the path if this source's binary is there,
# else fail (for the VM, where the cache is read-only). Where the source is
# out of sight (the VM covers /tmp, so a clone there does not see its
# ../shared), the binary last built for this tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check_only=0
case "${1:-}" in
--check) check_only=1 ;;
"") ;;
*) die "usage: $0 [--check]" ;;
esac

src=$TCPSM_TOP/../shared/vendor/packetdrill
tree=$TCPSM_CACHE/packetdrill/tree-$(echo "$TCPSM_TOP" | sha256sum | cut -c1-12)
if [ ! -f "$src/packetdrill.c" ] && [ $check_only -eq 1 ] && [ -x "$tree/packetdrill" ]; then
	echo "$tree/packetdrill"
	exit 0
fi
[ -f "$src/packetdrill.c" ] ||
	die "no packetdrill source at $src: the tests expect the shared/ folder (shared/vendor/packetdrill) beside the tree"
src=$(cd "$src" && pwd)

# The key: every file's name and contents, so an update of the vendored
# copy builds again and an unchanged one never does.
key=$(cd "$src" && find . -type f ! -path './.git/*' -print0 | LC_ALL=C sort -z |
	xargs -0 sha256sum | sha256sum | cut -c1-12)
dir=$TCPSM_CACHE/packetdrill/$key
bin=$dir/packetdrill

if [ -x "$bin" ]; then
	[ $check_only -eq 1 ] || ln -sfn "$dir" "$tree"
	echo "$bin"
	exit 0
fi
[ $check_only -eq 0 ] ||
	die "packetdrill is not built for $src (key $key): run scripts/packetdrill-build.sh on the host"

need_pkgs build-essential bison flex

mkdir -p "$TCPSM_CACHE/packetdrill"
exec 9>"$TCPSM_CACHE/packetdrill/lock"
flock 9
# Another build of the same source may have finished while we waited.
if [ -x "$bin" ]; then
	ln -sfn "$dir" "$tree"
	echo "$bin"
	exit 0
fi

work=$(mktemp -d "$TCPSM_CACHE/packetdrill/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
chmod -R u+w "$work"
log "building packetdrill from $src (key $key)"
if ! (cd "$work" && ./configure && make -j"$(nproc)" packetdrill) >"$work/build.log" 2>&1; then
	tail -n 40 "$work/build.log" >&2
	die "packetdrill build failed"
fi
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
ln -sfn "$dir" "$tree"
echo "$bin"
