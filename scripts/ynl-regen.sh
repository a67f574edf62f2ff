#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate, from the netlink spec docs/netlink/tcpsm.yaml, with the 6.12
# tree's ynl-gen-c.py:
#   module/uapi/linux/tcpsm.h   the uAPI header (--mode uapi)
#   module/netlink-gen.h        kernel policies and ops, declarations
#   module/netlink-gen.c        and definitions (--mode kernel)
# Usage: ynl-regen.sh [OUTDIR]  (default: the tree itself; OUTDIR gets the
# same relative paths, for scripts/ynl-check.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:-$TCPSM_TOP}
need_pkgs python3-yaml python3-jsonschema
"$TCPSM_TOP/scripts/build-test-kernel.sh" --unpack-only >/dev/null
src=$(ls -d "$TCPSM_CACHE"/src/linux-source-*/ | tail -n1)

# ynl-gen-c.py names the spec by its path below the directory holding
# MAINTAINERS, and validates it against ../<protocol>.yaml: give it a tree
# of that shape, so the files say docs/netlink/tcpsm.yaml.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/docs/netlink"
touch "$work/MAINTAINERS"
cp "$TCPSM_TOP/docs/netlink/tcpsm.yaml" "$work/docs/netlink/"
cp "$src"/Documentation/netlink/genetlink*.yaml "$work/docs/"

gen() {
	mkdir -p "$(dirname "$out/$3")"
	python3 "$src/tools/net/ynl/ynl-gen-c.py" --mode "$1" "$2" \
		--spec "$work/docs/netlink/tcpsm.yaml" -o "$out/$3"
}
gen uapi --header module/uapi/linux/tcpsm.h
gen kernel --header module/netlink-gen.h
gen kernel --source module/netlink-gen.c

# ynl-gen-c.py validates a multicast group's flags but does not emit them.
# A group's admin-perm is GENL_MCAST_CAP_NET_ADMIN: CAP_NET_ADMIN over the
# user namespace that owns the network namespace.
python3 - "$work/docs/netlink/tcpsm.yaml" "$out/module/netlink-gen.c" <<'EOF'
import re
import sys
import yaml

spec = yaml.safe_load(open(sys.argv[1]))
cap = {'admin-perm': 'GENL_MCAST_CAP_NET_ADMIN'}
src = open(sys.argv[2]).read()
for grp in spec.get('mcast-groups', {}).get('list', []):
    if grp.get('flags'):
        flags = ' | '.join(cap[f] for f in grp['flags'])
        src, n = re.subn(r'(\] = \{ "%s", )\},' % re.escape(grp['name']),
                         r'\1.flags = %s, },' % flags, src)
        assert n == 1, 'group %s not found in the generated source' % grp['name']
open(sys.argv[2], 'w').write(src)
EOF
