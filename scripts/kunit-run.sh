#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run tcpsm's KUnit suites: build tcpsm_kunit.ko against the test kernel,
# load it in the test VM (the suites run on load and print KTAP), unload it,
# and summarise the KTAP. The last line is "N passed, N failed, N skipped".
# Fails on a failed case, a missing or empty suite, unparsable output, or any
# kernel splat or leak the VM runner catches.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$(mktemp -d "${TMPDIR:-/tmp}/tcpsm-kunit.XXXXXX")
trap 'rm -rf "$out"' EXIT

# Every suite the sources define must report.
mapfile -t suites < <(grep -h -A1 'struct kunit_suite .* = {' "$TCPSM_TOP"/kunit/*_test.c |
	sed -n 's/.*\.name = "\([a-z0-9_]*\)".*/\1/p')
[ ${#suites[@]} -gt 0 ] || die "no KUnit suites found in kunit/"

log "KUnit: ${#suites[@]} suites (${suites[*]})"
vm_rc=0
"$TCPSM_TOP/scripts/vm-run.sh" --kernel test --out "$out" "$@" -- \
	sh -c 'insmod "$TCPSM_OBJ/tcpsm_kunit.ko" && rmmod tcpsm_kunit' || vm_rc=$?
[ -f "$out/dmesg" ] || die "the VM left no kernel log (exit $vm_rc)"
python3 "$TCPSM_TOP/scripts/ktap-summary.py" "$out/dmesg" --expect "${suites[@]}" || exit 1
[ $vm_rc -eq 0 ] || die "the VM run failed (exit $vm_rc)"
