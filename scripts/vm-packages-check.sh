#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-packages-check.sh [LIST]: every program the VM's scripts run must come
# from a package on scripts/vm-packages (or LIST), the one list vm-run.sh
# installs: a program that is on no line fails, and so does one whose file,
# found on the VM's PATH, dpkg -S does not give to its line's package.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

list=${1:-$TCPSM_TOP/scripts/vm-packages}
vm_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin	# vm-run.sh's

# owner FILE: the package dpkg says FILE belongs to, trying the path through
# /usr-merge's links and alternatives (/usr/sbin/iptables -> xtables-nft-multi)
owner() {
	local f=$1 real
	real=$(realpath "$f")
	for c in "$f" "${f#/usr}" "/usr$f" "$real" "${real#/usr}" "/usr$real"; do
		dpkg -S "$c" 2>/dev/null | grep -v '^diversion by' | sed -n '1s/:.*//p' | grep . &&
			return 0
	done
	return 1
}

declare -A pkg_of
bad=0
while read -r pkg progs; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		{ log "$pkg is not installed (vm-run.sh installs the list)"; bad=1; continue; }
	for p in $progs; do
		pkg_of[$p]=$pkg
		f=$(PATH=$vm_path command -v "$p") ||
			{ log "$p: not on the VM's PATH"; bad=1; continue; }
		got=$(owner "$f") || got="no package"
		[ "$got" = "$pkg" ] || { log "$p ($f) is $got's, listed as $pkg's"; bad=1; }
	done
done < <(sed 's/#.*//' "$list" | grep -v '^[[:space:]]*$')

n=0
while IFS=$'\t' read -r p where; do
	n=$((n + 1))
	[ -n "${pkg_of[${p##*/}]:-}" ] && continue
	log "$where runs $p, which no package on $list provides"
	bad=1
done < <(python3 "$TCPSM_TOP/scripts/vm-programs.py" "$TCPSM_TOP"/scripts/e2e/*.py \
	"$TCPSM_TOP/scripts/demo.py" "$TCPSM_TOP/scripts/vm-init.sh" | sort -u)
[ $bad -eq 0 ] || die "the VM's packages and the programs its scripts run disagree"
log "$n program uses in the VM's scripts, ${#pkg_of[@]} programs, all from listed packages (dpkg -S)"
