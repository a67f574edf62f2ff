#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-check.sh [MAKE-ARGS...]: run make install from a scratch copy of the
# tree into a scratch DESTDIR, against the test kernel (it has KUnit, so a
# KUnit module would be built and installed if make install let it), and
# compare what lands with the list below: the module, the uapi header,
# tcpsmctl with its man page and bash completion, tcpsm-replay with its man
# page. A file not on the list, or a listed one missing, fails. MAKE-ARGS go
# to make install (TCPSM_KUNIT=1 must fail: it asks for the KUnit module).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Every file make install may write, as globs relative to DESTDIR; the
# modules' folder (extra or updates) is the kernel's choice.
wanted=(
	'lib/modules/*/*/tcpsm.ko'
	usr/include/linux/tcpsm.h
	usr/local/bin/tcpsmctl
	usr/local/share/man/man8/tcpsmctl.8
	usr/local/share/bash-completion/completions/tcpsmctl
	usr/local/bin/tcpsm-replay
	usr/local/share/man/man1/tcpsm-replay.1
)
# depmod's indexes, which modules_install writes beside the module
allowed='lib/modules/*/modules.*'

kdir=$("$TCPSM_TOP/scripts/build-test-kernel.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rsync -a --exclude .git "$TCPSM_TOP/" "$work/src/"
make -C "$work/src" KDIR="$kdir" DESTDIR="$work/root" "$@" install >"$work/log" 2>&1 ||
	{ cat "$work/log" >&2; die "make install failed"; }

bad=0
mapfile -t files < <(cd "$work/root" && find . ! -type d | sed 's|^\./||' | sort)
for f in "${files[@]}"; do
	ok=0
	# shellcheck disable=SC2053 # the list holds globs
	for w in "${wanted[@]}" "$allowed"; do
		[[ $f == $w ]] && ok=1
	done
	echo "installed: $f"
	[ $ok -eq 1 ] || { log "make install wrote $f, which is not on the list"; bad=1; }
done
for w in "${wanted[@]}"; do
	n=0
	for f in "${files[@]}"; do
		# shellcheck disable=SC2053
		[[ $f == $w ]] && n=$((n + 1))
	done
	[ $n -eq 1 ] || { log "make install wrote $n files matching $w, not one"; bad=1; }
done
[ $bad -eq 0 ] || die "make install's files differ from the list"
log "make install: ${#files[@]} files, all on the list (${#wanted[@]} wanted, depmod's indexes)"
