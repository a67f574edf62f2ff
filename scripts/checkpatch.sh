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
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]')
[ ${#files[@]} -gt 0 ] || die "no sources to check"
if "$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	-f "${files[@]}" >"$TCPSM_CACHE/checkpatch.log"; then
	log "checkpatch --strict: ${#files[@]} files clean"
else
	cat "$TCPSM_CACHE/checkpatch.log" >&2
	die "checkpatch --strict found problems"
fi
