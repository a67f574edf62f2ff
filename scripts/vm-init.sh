#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test VM (busybox, from the initramfs vm-run.sh builds): mount
# the host's root read-only over 9p, give it writable tmpfs where programs
# write, run the job's command chrooted into it, and leave its exit status,
# dmesg and a kmemleak scan in the job folder (a read-write 9p share).

export PATH=/bin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

say() { echo "tcpsm-vm: $*" >/dev/console; }

# The stock kernel reaches 9p through modules, the test kernel has it built in.
for m in $(cat /modules/order 2>/dev/null); do
	insmod "/modules/$m" || say "insmod $m failed"
done

r=/newroot
mkdir -p $r
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose root $r ||
	{ say "cannot mount the host root"; reboot -f; }
for d in tmp run var/tmp var/lib/nftables lib/modules; do
	[ -d $r/$d ] && mount -t tmpfs -o mode=1777 tmpfs $r/$d
done
mount -t proc proc $r/proc
mount -t sysfs sys $r/sys
mount -t devtmpfs dev $r/dev
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts devpts $r/dev/pts
mount -t tmpfs tmpfs $r/dev/shm
mount -t debugfs debugfs $r/sys/kernel/debug 2>/dev/null
job=$r/run/tcpsm-job
mkdir -p $job
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 job $job ||
	{ say "cannot mount the job folder"; reboot -f; }

# Folders handed in at their own paths (the tree may be under /tmp).
i=0
while read -r d; do
	mkdir -p "$r$d" 2>/dev/null
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share$i "$r$d" ||
		say "cannot mount $d"
	i=$((i + 1))
done <$job/shares

# The stock kernel's own modules (veth, nf_tables ...) for modprobe.
rel=$(uname -r)
if [ -f $job/moddir ]; then
	mkdir -p $r/lib/modules/$rel
	mount --bind "$r$(cat $job/moddir)" $r/lib/modules/$rel
fi

# The kernel runs modprobe from PID 1's root, this initramfs: hand over.
printf '#!/bin/busybox sh\nexec chroot %s /sbin/modprobe "$@"\n' $r >/bin/modprobe-chroot
chmod 0755 /bin/modprobe-chroot
echo /bin/modprobe-chroot >/proc/sys/kernel/modprobe

hostname tcpsm-vm
: >$job/started	# for vm-run.sh: the boot is over, the command starts
# The command gets its own mount namespace whose root is $r, moved onto "/"
# as switch_root does, rather than a chroot: the kernel refuses user
# namespaces to a chrooted process (the isolation tests need them).
unshare -m /bin/sh -c "mount --make-rprivate / && cd $r && mount --move . / &&
	exec chroot . /bin/sh -c 'ip link set lo up; exec /bin/sh /run/tcpsm-job/cmd.sh'" \
	</dev/console >/dev/console 2>&1
echo $? >$job/rc

if [ -w $r/sys/kernel/debug/kmemleak ]; then
	# Objects younger than 5 s are never reported, and an object is reported
	# only once a second scan finds it unchanged: age them, scan twice.
	sleep 6
	echo scan >$r/sys/kernel/debug/kmemleak
	echo scan >$r/sys/kernel/debug/kmemleak
	cat $r/sys/kernel/debug/kmemleak >$job/kmemleak
fi
cat /proc/sys/kernel/tainted >$job/tainted
dmesg >$job/dmesg
sync
umount $job
reboot -f
