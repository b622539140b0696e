#!/usr/bin/env bats
# systemd-container.bats - a container whose PID 1 is a distribution's
# systemd (spec-examples/systemd), on this host's cgroups (here: hybrid, no
# systemd on the host): it boots to running (or degraded), `exec systemctl`
# talks to it, SIGRTMIN+3 halts it and it exits 0. Once with a cgroup
# namespace (the example as shipped) and once as `podman --systemd=always`
# configures it on a cgroupfs host (no cgroup namespace, a read-only cgroup
# mount, the host's name=systemd hierarchy bound over it). Each case also
# with runc, the oracle.
#
# The rootfs is a Debian 12 tree with systemd from mmdebstrap, cached as a
# tarball in /var/cache/berth-vm (the first build takes 1-3 min and needs
# the Debian mirror; without mmdebstrap or the mirror the tests skip).

load helpers

SD_CACHE=/var/cache/berth-vm/systemd-container-bookworm.tar

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	command -v mmdebstrap >/dev/null || return 0
	mkdir -p /var/cache/berth-vm
	# one build for concurrent runs; a failed build leaves no tarball
	(
		flock 9
		[ -s "$SD_CACHE" ] && exit 0
		tmp=$(mktemp "$SD_CACHE.XXXXXX")
		if timeout 300 mmdebstrap --quiet --variant=minbase \
			--include=systemd,systemd-sysv,dbus bookworm "$tmp" >&2; then
			mv "$tmp" "$SD_CACHE"
		else
			rm -f "$tmp"
		fi
	) 9>/var/cache/berth-vm/.systemd-container.lock
}

setup() {
	require_root
	command -v mmdebstrap >/dev/null || skip "mmdebstrap not installed (the systemd rootfs is built with it)"
	[ -s "$SD_CACHE" ] || skip "no systemd rootfs: mmdebstrap could not build one (Debian mirror unreachable?)"
	command -v runc >/dev/null || skip "runc (the oracle) not installed"
	setup_berth_root
	BUNDLE=$BERTH_TEST_DIR/bundle
	ROOTFS=$BUNDLE/rootfs
	RUNC_ROOT=$BERTH_TEST_DIR/runc-state
	mkdir -p "$ROOTFS" "$RUNC_ROOT"
	tar -C "$ROOTFS" -xf "$SD_CACHE"
	cp "$REPO/spec-examples/systemd/config.json" "$BUNDLE/config.json"
	cd "$BUNDLE" || return 1
	CG=/sdhybrid-sdct-$$
	update_config "c['linux']['cgroupsPath'] = '$CG'"
	# Root here may lack capabilities the example keeps (CAP_SYS_RESOURCE):
	# keep only what the bounding set has, or capset fails.
	local bnd
	bnd=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
	update_config "
bnd = int('$bnd', 16)
names = {'CAP_AUDIT_CONTROL': 30, 'CAP_AUDIT_WRITE': 29, 'CAP_CHOWN': 0, 'CAP_DAC_OVERRIDE': 1,
 'CAP_DAC_READ_SEARCH': 2, 'CAP_FOWNER': 3, 'CAP_FSETID': 4, 'CAP_IPC_LOCK': 14, 'CAP_KILL': 5,
 'CAP_LINUX_IMMUTABLE': 9, 'CAP_MKNOD': 27, 'CAP_NET_ADMIN': 12, 'CAP_NET_BIND_SERVICE': 10,
 'CAP_NET_RAW': 13, 'CAP_SETFCAP': 31, 'CAP_SETGID': 6, 'CAP_SETPCAP': 8, 'CAP_SETUID': 7,
 'CAP_SYS_ADMIN': 21, 'CAP_SYS_CHROOT': 18, 'CAP_SYS_PTRACE': 19, 'CAP_SYS_RESOURCE': 24}
for k in c['process']['capabilities']:
    c['process']['capabilities'][k] = [n for n in c['process']['capabilities'][k] if bnd >> names[n] & 1]"
}

teardown() {
	cd / || true
	teardown_runc
	teardown_bundle
}

# podman --systemd=always on a cgroupfs v1/hybrid host: no cgroup
# namespace, /sys/fs/cgroup read-only, the host's name=systemd bound on top.
podman_shape() {
	update_config '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "cgroup"]
for m in c["mounts"]:
    if m["destination"] == "/sys/fs/cgroup":
        m["options"] = ["rprivate", "nosuid", "noexec", "nodev", "relatime", "ro"]
c["mounts"].append({"destination": "/sys/fs/cgroup/systemd", "type": "bind",
                    "source": "/sys/fs/cgroup/systemd", "options": ["bind", "rprivate"]})'
}

# The superblock options of the host's cgroup2 mount. Without a cgroup
# namespace, systemd in a privileged container mounts cgroup2 with
# nsdelegate in the host's cgroup namespace, and that flag belongs to the
# one cgroup2 superblock the whole host shares. Seen here under runc 1.1.5
# (podman's layout), not under berth, which mounts no unified hierarchy
# there. The test puts the host back as it found it, with a plain remount
# that names no option, and says so.
cg2_opts() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) == "cgroup2" && $4 == "/") { print $(i + 3); exit } }' /proc/self/mountinfo
}
cg2_put_back() {
	local before=$1 mnt
	[ "$(cg2_opts)" = "$before" ] && return 0
	echo "the container changed the host's cgroup2 options: '$before' -> '$(cg2_opts)'; put back"
	mnt=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) == "cgroup2" && $4 == "/") { print $5; exit } }' /proc/self/mountinfo)
	case $before in *nsdelegate*) return 0 ;; esac
	python3 -c 'import ctypes, sys
if ctypes.CDLL(None).mount(None, sys.argv[1].encode(), None, 32, b""):  # MS_REMOUNT
    sys.exit("remount " + sys.argv[1] + " failed")' "$mnt"
	[ "$(cg2_opts)" = "$before" ]
}

# boot_and_halt RUNTIME... : run the bundle under that runtime (its command
# line), wait for systemctl is-system-running, check exec and the cgroup,
# send SIGRTMIN+3 (37: runc 1.1 knows no RTMIN names) and wait for exit 0.
boot_and_halt() {
	local id=sdct-$$ state="" i rc start cg2_before
	cg2_before=$(cg2_opts)
	rm -f "$BERTH_TEST_DIR/rc"
	start=$SECONDS
	("$@" run --bundle "$BUNDLE" "$id" </dev/null >"$BERTH_TEST_DIR/out" 2>&1
	echo $? >"$BERTH_TEST_DIR/rc") 3>&- &
	for ((i = 0; i < 150; i++)); do
		state=$("$@" exec "$id" systemctl is-system-running 2>/dev/null) || true
		case $state in running | degraded) break ;; esac
		[ -e "$BERTH_TEST_DIR/rc" ] && break
		sleep 0.2
	done
	echo "$1: '$state' after $((SECONDS - start)) s"
	if [ "$state" = degraded ]; then
		"$@" exec "$id" systemctl --failed --no-legend
	fi
	[[ "$state" == running || "$state" == degraded ]] || {
		cat "$BERTH_TEST_DIR/out" "$BERTH_TEST_DIR/rc" 2>/dev/null
		return 1
	}
	# exec reaches systemd over its private bus; PID 1 runs in init.scope
	# below the container's own name=systemd cgroup
	"$@" exec "$id" systemctl show -p Version --value | grep -Eq '^[0-9]+'
	"$@" exec "$id" grep -Eq '^[0-9]+:name=systemd:(/.+)?/init.scope$' /proc/1/cgroup
	[ ! -e /sys/fs/cgroup/systemd/init.scope ] || {
		echo "init.scope at the host's name=systemd root"
		return 1
	}
	"$@" kill "$id" 37
	for ((i = 0; i < 150; i++)); do
		[ -e "$BERTH_TEST_DIR/rc" ] && break
		sleep 0.2
	done
	rc=$(cat "$BERTH_TEST_DIR/rc" 2>/dev/null) || rc=none
	echo "$1: halted, exit $rc"
	cg2_put_back "$cg2_before"
	[ "$rc" = 0 ]
	# run (not -d) deleted the container: nothing left in any hierarchy
	[ -z "$(ls -d /sys/fs/cgroup/*/"${CG#/}" 2>/dev/null)" ]
}

@test "systemd container boots, execs and halts (cgroup namespace), as with runc" {
	boot_and_halt runc --root "$RUNC_ROOT"
	boot_and_halt "$BERTH" --root "$BERTH_ROOT"
}

@test "systemd container as podman --systemd=always sets it up on cgroupfs, as with runc" {
	[ -d /sys/fs/cgroup/systemd ] && [ ! -e /sys/fs/cgroup/cgroup.controllers ] ||
		skip "needs a v1 or hybrid host with a name=systemd hierarchy (podman's v1 layout)"
	podman_shape
	boot_and_halt runc --root "$RUNC_ROOT"
	boot_and_halt "$BERTH" --root "$BERTH_ROOT"
}
