#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh [options] -- COMMAND [ARGS...]
#
# Boot a kernel in QEMU (TCG), with tcpsm built for it, run COMMAND as root
# inside, stream the console, and exit with COMMAND's exit status. The VM sees
# the host's whole filesystem read-only at the same paths (so the project, its
# tools and the host's ip, ss, nft and python3 are all there), with tmpfs on
# /tmp, /run and /var/tmp. Exits non-zero with a clear message on an oops,
# BUG, WARN, KASAN, lockdep or RCU report, hung task, kmemleak report, or
# timeout, whatever COMMAND returned.
#
# Options:
#   --kernel stock|stock612|test  which kernel (default stock: Debian's 6.1;
#                         stock612: Debian's 6.12; test: 6.12 built here with
#                         KUnit, KASAN, lockdep, kmemleak)
#   --timeout SECONDS     whole-run limit (default 900)
#   --smp N --mem MB      vCPUs (default 2) and memory (default 2048)
#   --log FILE            also write the console to FILE
#   --out DIR             keep the job folder (dmesg, rc, kmemleak) in DIR
#   --verbose             every kernel message on the console, not only warnings
#   --allow-splat         report splats but do not fail on them (runner self-test)
#   --no-build            do not build tcpsm for the kernel (TCPSM_OBJ is empty)
#   --share DIR           hand DIR in, read-write, at the same path (for a folder
#                         under /tmp, which the VM otherwise covers with tmpfs)
#
# Inside, COMMAND runs from the current directory with TCPSM_OBJ (the folder
# holding tcpsm.ko and, for the test kernel, tcpsm_kunit.ko), TCPSM_TOP and
# TCPSM_VM_KERNEL set.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=stock timeout=900 smp=2 mem=2048 logfile= outdir= loglevel=5 allow_splat=0 build=1
shares=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--log) logfile=$2; shift 2 ;;
	--out) outdir=$2; shift 2 ;;
	--verbose) loglevel=8; shift ;;
	--allow-splat) allow_splat=1; shift ;;
	--no-build) build=0; shift ;;
	--share) shares+=("$(realpath "$2")"); shift 2 ;;
	--) shift; break ;;
	*) die "unknown option $1 (see the top of $0)" ;;
	esac
done
[ $# -gt 0 ] || die "usage: $0 [options] -- COMMAND [ARGS...]"

need_pkgs qemu-system-x86 busybox-static cpio gzip xz-utils
# what the VM runs comes from the host's root: install it here, first
mapfile -t vm_pkgs < <(vm_packages)
need_pkgs "${vm_pkgs[@]}"

case "$kernel" in
stock | stock612)
	{ read -r rel; read -r _kdir; read -r sroot; } < <("$TCPSM_TOP/scripts/stock-kernel.sh" "$kernel")
	image=$sroot/boot/vmlinuz-$rel
	moddir=$sroot/lib/modules/$rel
	;;
test)
	tdir=$("$TCPSM_TOP/scripts/build-test-kernel.sh")
	image=$tdir/arch/x86/boot/bzImage
	moddir=
	;;
*) die "--kernel is stock, stock612 or test" ;;
esac
obj=
[ $build -eq 1 ] && obj=$("$TCPSM_TOP/scripts/build-module.sh" "$kernel")

# The initramfs: busybox, our init, and (stock) the modules that reach 9p.
initkey=$(cat "$TCPSM_TOP/scripts/vm-init.sh" /bin/busybox <(echo "$image") | sha256sum | cut -c1-12)
initrd=$TCPSM_CACHE/initramfs-$initkey.cpio.gz
if [ ! -f "$initrd" ]; then
	staging=$(mktemp -d)
	mkdir -p "$staging"/{bin,proc,sys,dev,newroot,modules}
	cp /bin/busybox "$staging/bin/busybox"
	install -m 0755 "$TCPSM_TOP/scripts/vm-init.sh" "$staging/init"
	if [ -n "$moddir" ]; then
		for m in virtio_pci 9pnet_virtio 9p; do
			modprobe -d "${moddir%/lib/modules/*}" -S "$rel" --show-depends "$m"
		done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' | while read -r ko; do
			# 6.12's modules are xz-compressed, and busybox's insmod
			# hands the kernel the file as it is
			b=$(basename "$ko" .xz)
			case "$ko" in *.xz) xz -dc "$ko" ;; *) cat "$ko" ;; esac >"$staging/modules/$b"
			echo "$b" >>"$staging/modules/order"
		done
	fi
	(cd "$staging" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$staging"
fi

job=$(mktemp -d "${TMPDIR:-/tmp}/tcpsm-vm.XXXXXX")
trap 'rm -rf "$job"' EXIT
[ -n "$moddir" ] && echo "$moddir" >"$job/moddir"
{
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	echo "export HOME=/tmp TERM=dumb LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1"
	printf 'export TCPSM_OBJ=%q TCPSM_TOP=%q TCPSM_VM_KERNEL=%q TCPSM_CACHE=%q\n' \
		"$obj" "$TCPSM_TOP" "$kernel" "$TCPSM_CACHE"
	[ -n "${TCPSM_FULL:-}" ] && printf 'export TCPSM_FULL=%q\n' "$TCPSM_FULL"
	printf 'cd %q || exit 125\n' "$PWD"
	printf 'exec'; printf ' %q' "$@"; echo
} >"$job/cmd.sh"

# The tree, the cache and the current folder may live under /tmp: hand them
# in again at their own paths, after the VM's tmpfs covers /tmp.
virtfs=()
i=0
add_share() {	# add_share DIR ro|rw
	grep -qxF "$1" "$job/shares" 2>/dev/null && return
	echo "$1" >>"$job/shares"
	virtfs+=(-virtfs "local,path=$1,mount_tag=share$i,security_model=none,multidevs=remap$([ "$2" = ro ] && echo ,readonly=on || :)")
	i=$((i + 1))
}
for d in ${shares[@]+"${shares[@]}"}; do
	add_share "$d" rw
done
for d in "$TCPSM_TOP" "$TCPSM_CACHE" "$PWD"; do
	add_share "$d" ro
done

append="console=ttyS0 rdinit=/init panic=-1 oops=panic panic_on_warn=1 loglevel=$loglevel"
append+=" sysctl.kernel.hung_task_timeout_secs=60 mitigations=off"
console=$job/console
splat='Oops|BUG:|WARNING:|cut here|Kernel panic|KASAN|UBSAN|general protection fault'
splat+='|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage'
splat+='|blocked for more than|soft lockup|rcu.*stall|ODEBUG|list_(add|del) corruption'
splat+='|refcount_t: |kernel BUG'
# KVM where the host offers it (make bench on a real machine), else TCG
accel=tcg,thread=multi
[ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo && accel=kvm
start=$(date +%s.%N)
for attempt in 1 2; do
	set +e
	timeout --kill-after=5 "$timeout" qemu-system-x86_64 \
		-nodefaults -no-reboot -display none -monitor none -serial stdio \
		-machine q35 -cpu max -accel "$accel" -smp "$smp" -m "$mem" \
		-kernel "$image" -initrd "$initrd" -append "$append" \
		-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$job",mount_tag=job,security_model=none,multidevs=remap \
		"${virtfs[@]}" \
		</dev/null 2>&1 | sed -u 's/\r$//' | tee "$console" ${logfile:+"$logfile"}
	qemu_rc=${PIPESTATUS[0]}
	set -e
	# A kernel that dies while booting, before the command (and before any
	# tcpsm code: the command loads the module) gets one more boot. The
	# debug test kernel panicked this way a few times on a loaded host
	# (README: the early-boot flake). Everything it printed is shown.
	[ -f "$job/started" ] || [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ] && break
	[ $attempt -eq 2 ] && break
	printf '[tcpsm-vm] the VM stopped while booting, before the command (qemu exit %s):\n' \
		"$qemu_rc" >&2
	{ grep -hE "$splat" "$console" || echo '(no report on the console)'; } |
		sort -u | head -n 20 | sed 's/^/    /' >&2
	printf '[tcpsm-vm] booting again, once\n' >&2
done
secs=$(echo "$(date +%s.%N) - $start" | bc)
[ -n "$outdir" ] && { mkdir -p "$outdir"; cp -a "$job"/. "$outdir"/; }

fail=0
report() { printf '[tcpsm-vm] FAIL: %s\n' "$*" >&2; fail=1; }

[ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ] && report "timeout after ${timeout}s"
hits=$(grep -hE "$splat" "$console" "$job/dmesg" 2>/dev/null | grep -v 'tcpsm-vm' | sort -u || true)
if [ -n "$hits" ]; then
	report "kernel reported:"
	echo "$hits" | head -n 20 | sed 's/^/    /' >&2
fi
if [ -s "$job/kmemleak" ]; then
	report "kmemleak: $(grep -c 'unreferenced object' "$job/kmemleak") leaked objects"
	head -n 40 "$job/kmemleak" | sed 's/^/    /' >&2
fi
if [ -f "$job/tainted" ]; then
	# B (bad page), D (died), W (warning), L (soft lockup)
	t=$(cat "$job/tainted")
	(( t & (1 << 5 | 1 << 7 | 1 << 9 | 1 << 14) )) && report "kernel tainted ($t)"
fi
if [ ! -f "$job/rc" ]; then
	report "the VM stopped before the command finished (qemu exit $qemu_rc)"
	rc=1
else
	rc=$(cat "$job/rc")
fi
printf '[tcpsm-vm] %s kernel, command exit %s, %.1f s\n' "$kernel" "$rc" "$secs" >&2
if [ $fail -ne 0 ] && [ $allow_splat -eq 0 ]; then
	exit $((rc ? rc : 1))
fi
exit "$rc"
