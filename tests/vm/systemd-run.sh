#!/bin/bash
# systemd-run.sh - boot a Debian 12 with systemd as PID 1 under qemu (pure
# cgroup v2) and run one test script in it as a systemd unit, so that the
# systemd cgroup driver and the engines' systemd defaults meet real systemd
# whatever the build host runs.
#
# Usage: tests/vm/systemd-run.sh [--berth PATH] [--log FILE] [--timeout SECS] [SCRIPT]
#
# BERTH_VM_CGROUP=v2 (default), hybrid or v1 picks how systemd mounts the
# cgroups: v2 only; v1 controllers plus cgroup2 at /sys/fs/cgroup/unified;
# v1 only (systemd's own tracking in the name=systemd hierarchy).
#
# The root filesystem is tests/vm/mkimage.sh's image for $BERTH_VM_PACKAGES
# (cached, opened with snapshot=on so no run changes it); the kernel is the
# cloud kernel run.sh caches. A small initramfs loads the virtio and other
# modules the image can't (it has no /lib/modules), mounts the image, copies
# the payload in (berth, its helper berth-systemd, SCRIPT, the repo's
# spec-examples/ and tests/clients/, a unit that runs SCRIPT and powers off)
# and switch_roots into /lib/systemd/systemd. Exit status: SCRIPT's, taken
# from the BERTH-VM-EXIT=<code> line; 3 when there is none (see the log).
#
# Must never: touch the host's cgroups or mounts, or signal any process but
# the qemu it started.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
die() {
	echo "berth-vm-systemd: error: $*" >&2
	exit 2
}
say() { echo "berth-vm-systemd: $*" >&2; }

BERTH_VM_PACKAGES=${BERTH_VM_PACKAGES:-systemd,systemd-sysv,dbus,dbus-user-session,libpam-systemd,kmod,podman,conmon,containerd,runc,crun,uidmap,iproute2,procps,util-linux,python3,python3-grpcio,python3-protobuf,protobuf-compiler,busybox-static,jq,psmisc}
berth=${BERTH_BIN:-}
log=
timeout_s=${BERTH_VM_TIMEOUT:-600}
script=$here/systemd-tests.sh
while [ $# -gt 0 ]; do
	case "$1" in
	--berth) berth=${2:?}; shift 2 ;;
	--log) log=${2:?}; shift 2 ;;
	--timeout) timeout_s=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) script=$1; shift ;;
	esac
done
[ "$(id -u)" = 0 ] || die "must run as root"
[ -f "$script" ] || die "test script $script: no such file"
berth=${berth:-$repo/build/cmd/berth}
[ -x "$berth" ] || die "no berth binary at $berth (build it, or pass --berth)"
helper=$(dirname "$berth")/../libexec/berth-systemd
[ -x "$helper" ] || die "no $helper next to $berth: build with libsystemd-dev installed (meson feature 'systemd')"
command -v busybox >/dev/null || die "busybox is needed on the host"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is needed"
log=${log:-${TMPDIR:-/tmp}/berth-vm-systemd-$(basename "$script" .sh).$$.log}
cache=${BERTH_VM_CACHE:-/var/cache/berth-vm}
case "${BERTH_VM_CGROUP:-v2}" in
v2) cgroup_args="systemd.unified_cgroup_hierarchy=1" ;;
hybrid) cgroup_args="systemd.unified_cgroup_hierarchy=0" ;;
v1) cgroup_args="systemd.unified_cgroup_hierarchy=0 systemd.legacy_systemd_cgroup_controller=1" ;;
*) die "BERTH_VM_CGROUP=$BERTH_VM_CGROUP: v2, hybrid or v1" ;;
esac

# The kernel run.sh caches; fetched by a short run.sh boot when missing.
kdir=$(find "$cache" -maxdepth 2 -name .complete -path '*/linux-image-*' -printf '%h\n' 2>/dev/null | sort | tail -n 1)
if [ -z "$kdir" ]; then
	say "no cached kernel: fetching it with tests/vm/run.sh"
	"$here/run.sh" --berth "$berth" --timeout 120 "$here/smoke.sh" >/dev/null 2>&1 || true
	kdir=$(find "$cache" -maxdepth 2 -name .complete -path '*/linux-image-*' -printf '%h\n' 2>/dev/null | sort | tail -n 1)
	[ -n "$kdir" ] || die "no kernel in $cache"
fi
vmlinuz=$(ls "$kdir"/boot/vmlinuz-* | head -n 1)
kver=${vmlinuz##*/vmlinuz-}
kmods=$kdir/lib/modules/$kver

# A script may ask for more packages and modules, as run.sh's scripts do:
#   # berth-vm-packages: criu iptables      # # berth-vm-modules: unix_diag
script_wants() { sed -n "s/^# berth-vm-$1:[[:space:]]*//p" "$script" | tr ' \n' ',,'; }
extra_pkgs=$(script_wants packages | tr -s ',' | sed 's/^,//; s/,$//')
image=$("$here/mkimage.sh" "$BERTH_VM_PACKAGES${extra_pkgs:+,$extra_pkgs}")

work=$(mktemp -d "${TMPDIR:-/tmp}/berth-vm-systemd.XXXXXX")
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	if [ -s "$work/qemu.pid" ]; then
		pid=$(cat "$work/qemu.pid")
		case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
		qemu-system-*) kill "$pid" 2>/dev/null || true ;;
		esac
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

root=$work/initrd
mkdir -p "$root"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$(readlink -f "$(command -v busybox)")" "$root/bin/busybox"
for a in sh mount umount insmod switch_root sleep cp mkdir ln cat chmod echo poweroff; do
	ln -s busybox "$root/bin/$a"
done

# Modules with their dependencies, in load order (the image has none).
declare -A done_mods=()
: >"$root/lib/modules/load-order"
add_module() {
	local name=${1//-/_} src deps d
	[ -n "${done_mods[$name]:-}" ] && return 0
	done_mods[$name]=1
	src=$(find "$kmods/kernel" \( -name "$name.ko" -o -name "${name//_/-}.ko" \) | head -n 1)
	if [ -z "$src" ]; then
		grep -qE "/${name//_/[-_]}\.ko" "$kmods/modules.builtin" && return 0
		die "kernel module $name not found"
	fi
	deps=$(tr '\0' '\n' <"$src" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' ')
	for d in $deps; do add_module "$d"; done
	cp "$src" "$root/lib/modules/$name.ko"
	echo "/lib/modules/$name.ko" >>"$root/lib/modules/load-order"
}
for m in virtio_pci virtio_blk autofs4 overlay veth bridge br_netfilter nf_tables nft_compat \
	nft_chain_nat xt_MASQUERADE xt_addrtype xt_conntrack nf_nat ip_tables iptable_nat \
	iptable_filter xt_comment $(script_wants modules | tr ',' ' '); do
	add_module "$m" 2>/dev/null || say "module $m: not available"
done

# The payload copied into the image's (snapshot) root before systemd starts.
p=$root/payload
mkdir -p "$p/usr/local/sbin" "$p/usr/local/libexec" "$p/opt/berth-test" \
	"$p/etc/systemd/system/multi-user.target.wants"
cp "$berth" "$p/usr/local/sbin/berth"
cp "$helper" "$p/usr/local/libexec/berth-systemd"
cp "$script" "$p/opt/berth-test/script.sh"
cp "$here/checks.sh" "$p/opt/berth-test/checks.sh"
# BERTH_VM_ONLY="podman ctr": the script may run only those parts
echo "${BERTH_VM_ONLY:-}" >"$p/opt/berth-test/only"
# BERTH_VM_COMPARE="driver ctr": repeat only those parts with runc (default all)
echo "${BERTH_VM_COMPARE:-all}" >"$p/opt/berth-test/compare"
cp -a "$repo/spec-examples" "$p/opt/berth-test/spec-examples"
cp -a "$repo/tests/clients" "$p/opt/berth-test/clients"
cp "$here/cri-systemd.py" "$p/opt/berth-test/cri-systemd.py"
echo $((timeout_s - (timeout_s / 10 > 30 ? timeout_s / 10 : 30) - 40)) >"$p/opt/berth-test/timeout"
cat >"$p/opt/berth-test/run" <<'EOS'
#!/bin/sh
# Run the test script, print its exit code as the marker, power off.
cd /opt/berth-test || exit 1
timeout -k 5 "$(cat timeout)" bash ./script.sh </dev/null
rc=$?
echo "BERTH-VM-EXIT=$rc"
sync
systemctl poweroff --force --force
EOS
chmod 0755 "$p/opt/berth-test/run"
cat >"$p/etc/systemd/system/berth-test.service" <<'EOS'
[Unit]
Description=berth tests
After=basic.target dbus.service systemd-logind.service

[Service]
Type=simple
ExecStart=/opt/berth-test/run
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
Environment=BERTH=/usr/local/sbin/berth PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOS
ln -s ../berth-test.service "$p/etc/systemd/system/multi-user.target.wants/berth-test.service"

cat >"$root/init" <<'EOS'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/load-order); do insmod "$m" 2>/dev/null; done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if ! mount -t ext4 /dev/vda /newroot; then
	echo "BERTH-VM-EXIT=99 (no root filesystem)"
	poweroff -f
fi
cp -a /payload/. /newroot/
umount /proc /sys /dev
exec switch_root /newroot /lib/systemd/systemd
EOS
chmod 0755 "$root/init"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 >"$work/initrd.gz"

# tcg unless asked: nested kvm fails here on MSR writes.
accel=${BERTH_VM_ACCEL:-tcg}
case "$accel" in
kvm) accel_args=(-accel kvm -cpu host) ;;
*) accel_args=(-accel "tcg,thread=multi" -cpu max) ;;
esac
say "booting $image (cgroup ${BERTH_VM_CGROUP:-v2}, accel $accel, timeout ${timeout_s}s); log: $log"
start=$(date +%s)
qemu_rc=0
timeout -k 10 "$timeout_s" qemu-system-x86_64 -pidfile "$work/qemu.pid" \
	-nodefaults -no-user-config -no-reboot "${accel_args[@]}" -smp 2 -m 2048 \
	-display none -monitor none -serial stdio \
	-drive "file=$image,format=raw,if=virtio,snapshot=on" \
	-kernel "$vmlinuz" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 rdinit=/init panic=-1 loglevel=4 $cgroup_args systemd.show_status=0 systemd.log_level=warning" \
	</dev/null 2>&1 | sed -u 's/\r$//' | tee "$work/console.log" >"$log" || qemu_rc=$?
elapsed=$(($(date +%s) - start))
grep -E '^(PASS|FAIL|SKIP)' "$work/console.log" || true
marker=$(grep -aoE 'BERTH-VM-EXIT=[0-9]+' "$work/console.log" | tail -n 1 || true)
if [ -z "$marker" ]; then
	echo "berth-vm-systemd: FAIL: no BERTH-VM-EXIT after ${elapsed}s (qemu exit $qemu_rc); see $log" >&2
	exit 3
fi
rc=${marker#BERTH-VM-EXIT=}
say "$(basename "$script") exited $rc inside the VM (boot + run: ${elapsed}s; log: $log)"
exit "$rc"
