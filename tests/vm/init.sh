#!/bin/busybox sh
# init.sh - /init of the berth test VM (runs as PID 1 inside qemu, busybox sh).
#
# Stage 1 (on the initramfs): copy the tree into a tmpfs and switch_root into
# it, because pivot_root(2) refuses to move an initramfs root and berth needs
# pivot_root to work. Stage 2 (on the tmpfs): mount the API filesystems with
# /sys/fs/cgroup as a pure cgroup2 mount, enable the controllers, load the
# modules that run.sh packed, run /test/script.sh and print
# BERTH-VM-EXIT=<code> on the console and in the kernel log, then power off.
#
# Must never: exit without printing the marker (except if it crashes), or
# leave the VM running (poweroff -f is the last thing it does).

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

if [ ! -e /.berth-vm-stage2 ]; then
	/bin/busybox mkdir -p /newroot /proc
	/bin/busybox mount -t tmpfs -o mode=0755 tmpfs /newroot || exec /bin/busybox sh
	for e in /* /.[!.]*; do
		case "$e" in
		/newroot | /proc | /sys | /dev | '/.[!.]*') ;;
		*) /bin/busybox cp -a "$e" /newroot/ ;;
		esac
	done
	/bin/busybox mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp
	/bin/busybox touch /newroot/.berth-vm-stage2
	# shellcheck disable=SC2093 # the lines after it only run if it fails
	exec /bin/busybox switch_root /newroot /init
	echo "berth-vm: switch_root failed" >&2
	exec /bin/busybox sh
fi

mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o mode=0755,nosuid devtmpfs /dev
exec </dev/null >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev,mode=1777 shm /dev/shm
mount -t mqueue mqueue /dev/mqueue 2>/dev/null
mount -t tmpfs -o nosuid,nodev,mode=0755 run /run
chmod 1777 /tmp
# The layout a systemd v2 host has: cgroup2 alone at /sys/fs/cgroup.
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup ||
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
hostname berth-vm
ip link set lo up 2>/dev/null

# Modules run.sh packed, already in dependency order.
if [ -s /lib/modules/berth-vm-load-order ]; then
	while read -r ko; do
		[ -n "$ko" ] || continue
		insmod "$ko" || echo "berth-vm: insmod $ko failed"
	done </lib/modules/berth-vm-load-order
fi

for c in cpu memory pids io cpuset; do
	echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control ||
		echo "berth-vm: could not enable cgroup controller $c"
done

echo "berth-vm: kernel $(uname -r), $(nproc) cpus, cgroup fs magic 0x$(stat -f -c %t /sys/fs/cgroup)"
echo "berth-vm: cgroup.controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
echo "berth-vm: cgroup.subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"

# /bundle/config.json: the template with its defaults (mkbundle also serves
# tests that want other args or resources).
mkbundle /bundle || echo "berth-vm: mkbundle /bundle failed"

timeout_s=$(cat /test/timeout 2>/dev/null)
case "$timeout_s" in '' | *[!0-9]*) timeout_s=540 ;; esac

echo "berth-vm: running /test/script.sh (timeout ${timeout_s}s)"
export BERTH=/usr/bin/berth BUNDLE=/bundle HOME=/root TERM=dumb
cd /test && timeout -s KILL "$timeout_s" sh /test/script.sh
rc=$?
cd /

sync
# On a line of its own even if the script's last line had no newline.
echo
echo "BERTH-VM-EXIT=$rc"
# Console output written just before power-off can be lost; the kernel log
# path is flushed by the kernel itself.
echo "<2>BERTH-VM-EXIT=$rc" >/dev/kmsg
sync
poweroff -f
