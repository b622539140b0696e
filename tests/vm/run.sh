#!/bin/bash
# run.sh - boot a pure cgroup v2 Linux under qemu and run one test script in
# it, so that berth's cgroup v2 code meets a real v2 host (cgroup2 alone at
# /sys/fs/cgroup, no v1 hierarchy) whatever the host's own cgroup layout is.
#
# Usage: tests/vm/run.sh [--berth PATH] [--log FILE] [--timeout SECS] [SCRIPT]
#
# It builds an initramfs (busybox-static, the berth binary and its shared
# libraries, a busybox bundle at /bundle, tests/vm/init.sh as /init, SCRIPT as
# /test/script.sh), boots Debian's cloud kernel (downloaded once with apt into
# ${BERTH_VM_CACHE:-/var/cache/berth-vm}), streams the serial console to
# stdout and to the log file, and exits with the exit code SCRIPT had inside
# the VM (taken from the BERTH-VM-EXIT=<code> marker init.sh prints).
#
# Must never: touch the host's cgroups or mounts, signal any process but the
# qemu it started, or need the network beyond Debian's apt mirror.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

die() {
	echo "berth-vm: error: $*" >&2
	exit 2
}
say() { echo "berth-vm: $*" >&2; }

usage() {
	cat <<EOF
usage: $0 [--berth PATH] [--log FILE] [--timeout SECS] [SCRIPT]

  --berth PATH     berth binary to test (default: \$BERTH_BIN, else
                   $repo/build/cmd/berth, else the newest build*/cmd/berth)
  --log FILE       console log (default: \${TMPDIR:-/tmp}/berth-vm-<script>.<pid>.log)
  --timeout SECS   kill the VM after SECS seconds (default: \${BERTH_VM_TIMEOUT:-600})
  SCRIPT           busybox sh script run inside the VM (default:
                   tests/vm/cgroup-v2-tests.sh if present, else tests/vm/smoke.sh)

Environment: BERTH_VM_CACHE (kernel cache dir, default /var/cache/berth-vm),
BERTH_VM_KERNEL_PKG (kernel package, default: what linux-image-cloud-amd64
depends on), BERTH_VM_MODULES (modules to load, default "overlay veth"),
BERTH_VM_ACCEL (qemu accelerator: kvm or tcg; default kvm when /dev/kvm
works, else tcg).
EOF
}

berth=${BERTH_BIN:-}
log=
timeout_s=${BERTH_VM_TIMEOUT:-600}
script=
while [ $# -gt 0 ]; do
	case "$1" in
	--berth) berth=${2:?--berth needs a path}; shift 2 ;;
	--berth=*) berth=${1#*=}; shift ;;
	--log) log=${2:?--log needs a path}; shift 2 ;;
	--log=*) log=${1#*=}; shift ;;
	--timeout) timeout_s=${2:?--timeout needs seconds}; shift 2 ;;
	--timeout=*) timeout_s=${1#*=}; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) [ -z "$script" ] || die "only one SCRIPT may be given"; script=$1; shift ;;
	esac
done
case "$timeout_s" in '' | *[!0-9]*) die "--timeout: expected whole seconds, got '$timeout_s'" ;; esac
[ "$timeout_s" -ge 60 ] || die "--timeout: at least 60 seconds (a boot alone takes ~10 s)"

if [ -z "$script" ]; then
	if [ -f "$here/cgroup-v2-tests.sh" ]; then
		script=$here/cgroup-v2-tests.sh
	else
		script=$here/smoke.sh
	fi
fi
[ -f "$script" ] || die "test script $script: no such file"

if [ -z "$berth" ]; then
	if [ -x "$repo/build/cmd/berth" ]; then
		berth=$repo/build/cmd/berth
	else
		# shellcheck disable=SC2012 # build dir names are ours
		berth=$(ls -td "$repo"/build*/cmd/berth 2>/dev/null | head -n 1 || true)
	fi
	[ -n "$berth" ] || die "no berth binary found; build one (meson setup build && ninja -C build) or pass --berth PATH"
fi
[ -x "$berth" ] || die "--berth $berth: not an executable file"
berth=$(cd "$(dirname "$berth")" && pwd)/$(basename "$berth")
"$berth" --version >/dev/null 2>&1 || die "$berth --version failed on the host; is it a berth binary?"

[ "$(id -u)" = 0 ] || die "must run as root (it may install packages, and builds device nodes)"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 hosts are supported"

script_name=$(basename "$script" .sh)
log=${log:-${TMPDIR:-/tmp}/berth-vm-$script_name.$$.log}
cache=${BERTH_VM_CACHE:-/var/cache/berth-vm}
modules_wanted=${BERTH_VM_MODULES:-overlay veth}

# --- host tools -------------------------------------------------------------

apt_install() {
	say "installing $* with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 ||
		{ apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; } ||
		die "apt-get install $* failed"
}

command -v qemu-system-x86_64 >/dev/null || apt_install qemu-system-x86
command -v busybox >/dev/null || apt_install busybox-static
command -v dpkg-deb >/dev/null || die "dpkg-deb is needed (Debian host)"
for t in gzip xz flock timeout ldd; do
	command -v "$t" >/dev/null || die "$t is needed on the host"
done
busybox_bin=$(readlink -f "$(command -v busybox)")

# --- kernel (cached) --------------------------------------------------------

resolve_kernel_pkg() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

fetch_kernel() { # $1 = versioned package; unpacks into $cache/$1
	local pkg=$1 dl
	dl=$(mktemp -d "$cache/.download.XXXXXX")
	say "downloading $pkg into $cache"
	if ! (cd "$dl" && apt-get -q -o APT::Sandbox::User=root download "$pkg" >&2); then
		# Stale package lists: refresh them; the versioned name may change.
		apt-get update >&2 || true
		[ -n "${BERTH_VM_KERNEL_PKG:-}" ] || pkg=$(resolve_kernel_pkg || true)
		[ -n "$pkg" ] || { rm -rf "$dl"; die "cannot resolve linux-image-cloud-amd64 with apt-cache"; }
		(cd "$dl" && apt-get -q -o APT::Sandbox::User=root download "$pkg" >&2) ||
			{ rm -rf "$dl"; die "apt-get download $pkg failed"; }
	fi
	mkdir "$dl/root"
	dpkg-deb -x "$dl"/*.deb "$dl/root"
	rm -rf "${cache:?}/$pkg"
	mv "$dl/root" "$cache/$pkg"
	touch "$cache/$pkg/.complete"
	rm -rf "$dl"
	kpkg=$pkg
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # one download at a time; concurrent runs wait here
kpkg=${BERTH_VM_KERNEL_PKG:-$(resolve_kernel_pkg || true)}
if [ -z "$kpkg" ] && [ -z "$(ls -d "$cache"/linux-image-*/.complete 2>/dev/null)" ]; then
	apt-get update >&2 || true
	kpkg=$(resolve_kernel_pkg || true)
fi
if [ -z "$kpkg" ]; then
	# Offline with a warm cache: use the newest kernel already there.
	# shellcheck disable=SC2012 # package names have no odd characters
	kpkg=$(ls -td "$cache"/linux-image-*/.complete 2>/dev/null | head -n 1 | xargs -r dirname | xargs -r basename || true)
	[ -n "$kpkg" ] || die "cannot resolve linux-image-cloud-amd64 with apt-cache and nothing is cached in $cache"
	say "apt-cache could not resolve the kernel; using cached $kpkg"
fi
[ -e "$cache/$kpkg/.complete" ] || fetch_kernel "$kpkg"
flock -u 9
exec 9>&-

kroot=$cache/$kpkg
# shellcheck disable=SC2012
vmlinuz=$(ls "$kroot"/boot/vmlinuz-* 2>/dev/null | head -n 1 || true)
[ -n "$vmlinuz" ] || die "$kroot has no boot/vmlinuz-*"
kver=${vmlinuz##*/vmlinuz-}
kmods=$kroot/lib/modules/$kver

# --- initramfs --------------------------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/berth-vm.XXXXXX")
qemu_pid=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local pid
	# Only the qemu this run started: the PID it wrote, if it still is a qemu.
	if [ -s "$work/qemu.pid" ]; then
		pid=$(cat "$work/qemu.pid")
		case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
		qemu-system-*) kill "$pid" 2>/dev/null || true ;;
		esac
	fi
	[ -z "$qemu_pid" ] || wait "$qemu_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

initrd_root=$work/root
mkdir -p "$initrd_root"/{bin,dev,etc,lib,proc,root,run,sys,tmp,usr/bin,usr/share/berth-vm,test,bundle}

# Copy an ELF with the shared libraries and the ELF interpreter it needs, at
# the paths ldd reports (so the dynamic loader finds them in the VM too).
copy_elf() { # $1 = binary, $2 = destination root, $3 = path inside the root
	local bin=$1 dst=$2 rel=$3 lib
	mkdir -p "$dst/$(dirname "$rel")"
	cp -L "$bin" "$dst/$rel"
	# A static binary makes ldd fail: no libraries then.
	for lib in $(ldd "$bin" 2>/dev/null | grep -oE '(^|[[:space:]])/[^[:space:]]+' || true); do
		[ -e "$dst$lib" ] && continue
		mkdir -p "$dst$(dirname "$lib")"
		cp -L "$lib" "$dst$lib"
	done
}

# Busybox with one symlink per applet at its usual path.
install_busybox() { # $1 = root
	local dst=$1 applet
	copy_elf "$busybox_bin" "$dst" bin/busybox
	"$busybox_bin" --list-full | while read -r applet; do
		[ -e "$dst/$applet" ] || [ -L "$dst/$applet" ] && continue
		mkdir -p "$dst/$(dirname "$applet")"
		ln -s /bin/busybox "$dst/$applet"
	done
}

install_busybox "$initrd_root"
# At its host path too, behind the /usr/bin/berth symlink, so that an
# $ORIGIN-relative RUNPATH of a build-tree binary still resolves.
copy_elf "$berth" "$initrd_root" "${berth#/}"
[ "$berth" = /usr/bin/berth ] || ln -sf "$berth" "$initrd_root/usr/bin/berth"
cp "$here/init.sh" "$initrd_root/init"
cp "$here/mkbundle.sh" "$initrd_root/usr/bin/mkbundle"
chmod 0755 "$initrd_root/init" "$initrd_root/usr/bin/mkbundle"
cp "$script" "$initrd_root/test/script.sh"
cp "$here/checks.sh" "$initrd_root/test/checks.sh"
# The script's own limit leaves time for boot and power-off, so a hanging
# script still ends with a marker (exit 137).
guest_margin=$((timeout_s / 10 > 30 ? timeout_s / 10 : 30))
echo $((timeout_s - guest_margin)) >"$initrd_root/test/timeout"
# The example bundles' configs, as fixtures for tests.
[ ! -d "$repo/spec-examples" ] || cp -a "$repo/spec-examples" "$initrd_root/spec-examples"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$initrd_root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnobody:x:65534:\n' >"$initrd_root/etc/group"
mknod -m 0600 "$initrd_root/dev/console" c 5 1
mknod -m 0666 "$initrd_root/dev/null" c 1 3

# The bundle's rootfs: spec-examples/make-rootfs.sh when it is there.
bundle_rootfs=$initrd_root/bundle/rootfs
if [ -f "$repo/spec-examples/make-rootfs.sh" ] && sh "$repo/spec-examples/make-rootfs.sh" "$bundle_rootfs" >&2; then
	say "bundle rootfs: from spec-examples/make-rootfs.sh"
else
	say "bundle rootfs: built-in (no working spec-examples/make-rootfs.sh)"
	rm -rf "$bundle_rootfs"
	mkdir -p "$bundle_rootfs"/{bin,dev,etc,proc,root,sys,tmp}
	install_busybox "$bundle_rootfs"
	chmod 1777 "$bundle_rootfs/tmp"
	cp "$initrd_root/etc/passwd" "$initrd_root/etc/group" "$bundle_rootfs/etc/"
fi

# The config template mkbundle fills: from `berth spec` when that works, with
# terminal off (the console is no tty for berth) and placeholders on lines of
# their own for what tests change.
share=$initrd_root/usr/share/berth-vm
spec_dir=$work/spec
mkdir -p "$spec_dir"
spec_json=
is_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; }
if command -v python3 >/dev/null && (cd "$spec_dir" && "$berth" spec >"$work/spec.out" 2>/dev/null); then
	# runc writes ./config.json; accept a config printed on stdout too.
	if is_json "$spec_dir/config.json"; then
		spec_json=$spec_dir/config.json
	elif is_json "$work/spec.out"; then
		spec_json=$work/spec.out
	fi
fi
if [ -n "$spec_json" ]; then
	say "bundle config: from '$berth spec'"
	python3 - "$spec_json" "$share" <<'EOF'
import json, sys
cfg = json.load(open(sys.argv[1]))
share = sys.argv[2]
proc = cfg.setdefault("process", {})
linux = cfg.setdefault("linux", {})
defaults = {
    "args": proc.get("args", ["sh"]),
    "resources": linux.get("resources", {}),
    "namespaces": linux.get("namespaces", []),
}
for k, v in defaults.items():
    with open(f"{share}/default.{k}", "w") as f:
        f.write(json.dumps(v) + "\n")
with open(f"{share}/default.cgroups_path", "w") as f:
    f.write(linux.get("cgroupsPath", "") + "\n")
proc["terminal"] = False
proc["args"] = "@BERTH_VM_ARGS@"
rest = {k: v for k, v in linux.items() if k not in ("cgroupsPath", "resources", "namespaces")}
cfg["linux"] = {"cgroupsPath": "@BERTH_VM_CGROUPS_PATH@", "resources": "@BERTH_VM_RESOURCES@",
                "namespaces": "@BERTH_VM_NAMESPACES@", **rest}
with open(f"{share}/config.template", "w") as f:
    f.write(json.dumps(cfg, indent=2) + "\n")
EOF
else
	say "bundle config: built-in (berth spec did not produce a config)"
	echo '["sh"]' >"$share/default.args"
	echo >"$share/default.cgroups_path"
	echo '{"devices":[{"allow":false,"access":"rwm"}]}' >"$share/default.resources"
	echo '[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}]' >"$share/default.namespaces"
	cat >"$share/config.template" <<'EOF'
{
  "ociVersion": "1.2.0",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": "@BERTH_VM_ARGS@",
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
    "cwd": "/",
    "capabilities": {
      "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    },
    "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024 }],
    "noNewPrivileges": true
  },
  "root": { "path": "rootfs", "readonly": true },
  "hostname": "berth",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
      "options": ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    { "destination": "/dev/pts", "type": "devpts", "source": "devpts",
      "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
    { "destination": "/dev/shm", "type": "tmpfs", "source": "shm",
      "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
    { "destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
      "options": ["nosuid", "noexec", "nodev"] },
    { "destination": "/sys", "type": "sysfs", "source": "sysfs",
      "options": ["nosuid", "noexec", "nodev", "ro"] },
    { "destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
      "options": ["nosuid", "noexec", "nodev", "relatime", "ro"] }
  ],
  "linux": {
    "cgroupsPath": "@BERTH_VM_CGROUPS_PATH@",
    "resources": "@BERTH_VM_RESOURCES@",
    "namespaces": "@BERTH_VM_NAMESPACES@",
    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
      "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger"]
  }
}
EOF
fi

# Kernel modules (overlay, veth, ...) with their dependencies, decompressed
# because busybox insmod may not read .ko.xz, listed in load order.
ko_path() { # $1 = module name -> path under $kmods, or nothing
	local alt=${1//_/-}
	find "$kmods/kernel" \( -name "$1.ko" -o -name "$1.ko.*" -o -name "$alt.ko" -o -name "$alt.ko.*" \) 2>/dev/null | head -n 1
}
ko_plain() { # $1 = .ko[.xz|.zst|.gz] -> uncompressed bytes on stdout
	case "$1" in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dc "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}
declare -A ko_done=()
load_order=$initrd_root/lib/modules/berth-vm-load-order
mkdir -p "$initrd_root/lib/modules"
: >"$load_order"
add_module() { # $1 = module name; adds its dependencies first
	local name=${1//-/_} src rel dst deps d
	[ -n "${ko_done[$name]:-}" ] && return 0
	ko_done[$name]=1
	src=$(ko_path "$name")
	if [ -z "$src" ]; then
		if grep -qE "/${name//_/[-_]}\.ko" "$kmods/modules.builtin" 2>/dev/null; then
			return 0 # built into this kernel
		fi
		die "kernel module $name not found under $kmods"
	fi
	rel=${src#"$kroot"/}
	rel=${rel%.ko*}.ko
	dst=$initrd_root/$rel
	mkdir -p "$(dirname "$dst")"
	ko_plain "$src" >"$dst"
	deps=$(tr '\0' '\n' <"$dst" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' ')
	for d in $deps; do add_module "$d"; done
	echo "/$rel" >>"$load_order"
}
# What SCRIPT asks for on lines of its own, e.g. (see README.md):
#   # berth-vm-binaries: criu ip tar iptables-restore
#   # berth-vm-files: /usr/lib/x86_64-linux-gnu/xtables
#   # berth-vm-modules: nf_tables unix_diag
script_wants() { # $1 = key -> the words of every "# berth-vm-<key>:" line
	sed -n "s/^# berth-vm-$1:[[:space:]]*//p" "$script" | tr '\n' ' '
}
build_dir=$(dirname "$(dirname "$berth")")
for b in $(script_wants binaries); do
	case "$b" in
	@build/*) # a test helper of berth's build tree, put on PATH as /usr/local/bin/NAME
		src=$build_dir/${b#@build/}
		[ -x "$src" ] || {
			say "$script wants $b: no $src (not built), left out"
			continue
		}
		copy_elf "$src" "$initrd_root" "usr/local/bin/$(basename "$src")"
		continue
		;;
	esac
	src=$(command -v "$b" || true)
	case "$src" in /*) ;; *) die "$script wants binary $b: not found on the host" ;; esac
	# Over busybox's applet link of the same name, not through it.
	rm -f "$initrd_root$src"
	copy_elf "$src" "$initrd_root" "${src#/}"
done
for f in $(script_wants files); do
	[ -e "$f" ] || die "$script wants $f: not found on the host"
	mkdir -p "$initrd_root$(dirname "$f")"
	cp -aL "$f" "$initrd_root$f"
	# Plugins (e.g. xtables extensions) need their libraries too.
	find "$f" -name '*.so*' -type f | while read -r so; do
		copy_elf "$so" "$initrd_root" "${so#/}"
	done
done
for m in $modules_wanted $(script_wants modules); do add_module "$m"; done

(cd "$initrd_root" && find . -mindepth 1 | LC_ALL=C sort | "$busybox_bin" cpio -o -H newc 2>/dev/null) |
	gzip -1 >"$work/initrd.gz"
say "initramfs: $(du -h "$work/initrd.gz" | cut -f1) (berth $berth, kernel $kver, script $script)"

# --- boot -------------------------------------------------------------------

# kvm when /dev/kvm is there (with a fallback to tcg when it cannot start a
# vCPU, as in nested VMs), else tcg: plain software emulation.
if [ -n "${BERTH_VM_ACCEL:-}" ]; then
	accels=$BERTH_VM_ACCEL
elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	accels="kvm tcg"
else
	accels=tcg
fi

mkdir -p "$(dirname "$log")"
mkfifo "$work/console"
for accel in $accels; do
	case "$accel" in
	tcg) accel_args=(-accel "tcg,thread=multi" -cpu max) ;;
	kvm) accel_args=(-accel kvm -cpu host) ;;
	*) accel_args=(-accel "$accel") ;;
	esac
	: >"$log"
	# The exit code is read from a private copy: another run may share $log.
	: >"$work/console.log"
	# sed -u, not tr: the console must stream line by line, not in 4 KiB blocks.
	sed -u 's/\r$//' <"$work/console" | tee "$work/console.log" "$log" &
	tee_pid=$!

	say "booting (accel $accel, 2 vCPUs, 1 GiB, timeout ${timeout_s}s); log: $log"
	start=$(date +%s)
	rm -f "$work/qemu.pid"
	# In a subshell writing to the console log so that bash's report of a
	# crashed qemu lands in the log too.
	(timeout -k 10 "$timeout_s" qemu-system-x86_64 -pidfile "$work/qemu.pid" \
		-nodefaults -no-user-config -no-reboot \
		"${accel_args[@]}" -smp 2 -m 1024 \
		-display none -monitor none -serial stdio \
		-kernel "$vmlinuz" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 cgroup_no_v1=all panic=-1 loglevel=4 rdinit=/init" \
		</dev/null || exit $?) >"$work/console" 2>&1 &
	qemu_pid=$!
	qemu_rc=0
	wait "$qemu_pid" || qemu_rc=$?
	qemu_pid=
	wait "$tee_pid" || true
	elapsed=$(($(date +%s) - start))
	# A qemu that failed before the kernel printed anything: try the next one.
	if [ "$qemu_rc" != 0 ] && ! grep -q 'Linux version' "$work/console.log"; then
		say "qemu with accel $accel failed (exit $qemu_rc) before the kernel started"
		continue
	fi
	break
done

marker=$(grep -aoE 'BERTH-VM-EXIT=[0-9]+' "$work/console.log" | tail -n 1 || true)
if [ -z "$marker" ]; then
	if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		echo "berth-vm: FAIL: the VM was killed after ${timeout_s}s without printing BERTH-VM-EXIT (log: $log)" >&2
	else
		echo "berth-vm: FAIL: the VM stopped (qemu exit $qemu_rc) after ${elapsed}s without printing BERTH-VM-EXIT; see $log" >&2
	fi
	exit 3
fi
rc=${marker#BERTH-VM-EXIT=}
say "$(basename "$script") exited $rc inside the VM (boot + run: ${elapsed}s; log: $log)"
exit "$rc"
