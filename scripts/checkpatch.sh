#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict, from the 6.12 source tree, on every C source and
# header of the project. Any error, warning or check fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TCPSM_TOP/scripts/build-test-kernel.sh" --unpack-only >/dev/null
src=$(ls -d "$TCPSM_CACHE"/src/linux-source-*/ | tail -n1)
cd "$TCPSM_TOP"
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null ||
	find . -name '*.[ch]')
[ ${#files[@]} -gt 0 ] || die "no sources to check"
# ynl-gen-c.py writes a policy entry per line, as in the kernel's own
# generated files; the generated sources may not be edited (ynl-check.sh),
# so there, and only there, long lines are allowed.
generated=(module/netlink-gen.c module/netlink-gen.h)
hand=()
for f in "${files[@]}"; do
	[[ " ${generated[*]} " == *" $f "* ]] || hand+=("$f")
done
cp=("$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f)
if "${cp[@]}" "${hand[@]}" >"$TCPSM_CACHE/checkpatch.log" &&
	"${cp[@]}" --ignore LONG_LINE "${generated[@]}" >>"$TCPSM_CACHE/checkpatch.log"; then
	log "checkpatch --strict: ${#files[@]} files clean (${#generated[@]} generated: long lines allowed)"
else
	cat "$TCPSM_CACHE/checkpatch.log" >&2
	die "checkpatch --strict found problems"
fi
