#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generated netlink files match docs/netlink/tcpsm.yaml: regenerate
# them into a scratch directory and compare with the tree's. Generating
# validates the spec against the 6.12 tree's genetlink-c schema too:
# ynl-gen-c.py runs jsonschema on it, with the schema ynl-regen.sh puts
# where it looks. Then the spec must document everything it defines, and
# the uapi header's kernel-doc, made from those docs, must be complete.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$TCPSM_TOP/scripts/ynl-regen.sh" "$tmp"
rc=0
for f in module/uapi/linux/tcpsm.h module/netlink-gen.h module/netlink-gen.c; do
	if ! diff -u "$TCPSM_TOP/$f" "$tmp/$f" >&2; then
		log "$f differs from what docs/netlink/tcpsm.yaml generates"
		rc=1
	fi
done
[ $rc -eq 0 ] || die "run scripts/ynl-regen.sh"
log "generated netlink files match docs/netlink/tcpsm.yaml"

# A subset's attributes are its parent set's, documented there.
python3 - "$TCPSM_TOP/docs/netlink/tcpsm.yaml" <<'EOF'
import sys
import yaml

spec = yaml.safe_load(open(sys.argv[1]))
bare = []
for d in spec.get('definitions', []):
    if not d.get('doc'):
        bare.append(f"definition {d['name']}")
    for e in d.get('entries', []):
        if not isinstance(e, dict) or not e.get('doc'):
            bare.append(f"value {e if isinstance(e, str) else e['name']} of {d['name']}")
for s in spec.get('attribute-sets', []):
    if not s.get('doc'):
        bare.append(f"attribute set {s['name']}")
    if 'subset-of' not in s:
        bare += [f"attribute {a['name']} of {s['name']}"
                 for a in s['attributes'] if not a.get('doc')]
bare += [f"operation {o['name']}" for o in spec['operations']['list'] if not o.get('doc')]
for b in bare:
    print(f'[tcpsm] no doc: {b}', file=sys.stderr)
sys.exit(1 if bare else 0)
EOF
log "every definition, value, attribute and operation of the spec has a doc"

src=$(ls -d "$TCPSM_CACHE"/src/linux-source-*/ | tail -n1)
kdoc=$(perl "$src/scripts/kernel-doc" -none -Wall "$TCPSM_TOP/module/uapi/linux/tcpsm.h" 2>&1)
[ -z "$kdoc" ] || die "kernel-doc on module/uapi/linux/tcpsm.h: $kdoc"
log "kernel-doc -Wall: module/uapi/linux/tcpsm.h clean"
