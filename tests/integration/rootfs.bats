#!/usr/bin/env bats
# rootfs.bats - the container's root filesystem: every kind of mount and
# option, /dev, devices, masked and read-only paths, pivot_root and
# --no-pivot, read from /proc/self/mountinfo and stat inside the container.
#
# Containers run with `berth run` when the CLI has it; ROOTFS_DRIVER=1 (or a
# berth without `run`) uses build/tests/unit/rootfs-driver, which calls
# rootfs_setup() alone with the same bundle.

load helpers

DRIVER=${ROOTFS_DRIVER_BIN:-$(dirname "$BERTH")/../tests/unit/rootfs-driver}

setup() {
	require_root
	setup_bundle default
	update_config 'c["root"]["readonly"] = False'
}

teardown() {
	# the bind test's submount, when the test stopped before unmounting it
	if [ -n "${BERTH_TEST_DIR:-}" ] && mountpoint -q "$BERTH_TEST_DIR/src/sub"; then
		umount "$BERTH_TEST_DIR/src/sub"
	fi
	teardown_bundle
}

# The driver until the CLI runs containers (its `run` said "not
# implemented" while it was a stub).
use_driver() {
	[ "${ROOTFS_DRIVER:-}" = 1 ] && return 0
	[ -x "$BERTH" ] || return 0
	"$BERTH" run --help >/dev/null 2>&1 || return 0
	"$BERTH" --root "$BERTH_TEST_DIR/probe" run -b /nonexistent probe 2>&1 | grep -q "not implemented"
}

# run_ct [DRIVER-FLAGS] -- CMD...: run CMD in a container of $BUNDLE.
run_ct() {
	local flags=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		flags+=("$1")
		shift
	done
	shift
	printf '%s\0' "$@" > "$BERTH_TEST_DIR/args"
	update_config "c['process']['args'] = open('$BERTH_TEST_DIR/args').read().split(chr(0))[:-1]"
	if use_driver; then
		[ -x "$DRIVER" ] || skip "no berth run and no rootfs-driver at $DRIVER"
		run "$DRIVER" "${flags[@]}" "$BUNDLE"
	else
		local bflags=()
		for f in "${flags[@]}"; do
			case $f in
			--no-pivot) bflags+=(--no-pivot) ;;
			*) skip "$f needs the rootfs driver" ;;
			esac
		done
		run timeout 60 "$BERTH" --root "$BERTH_ROOT" run "${bflags[@]}" -b "$BUNDLE" "ct-$BATS_TEST_NUMBER"
	fi
}

# mnt_opts MOUNTPOINT: the per-mount options of that mountpoint in $output
# (the container's mountinfo, printed by the test's command).
mnt_line() {
	echo "$output" | awk -v m="$1" '$5 == m { print }' | tail -1
}

@test "default config: proc, sysfs ro, /dev tmpfs, devpts, shm, mqueue, cgroup" {
	run_ct -- cat /proc/self/mountinfo
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /proc)" == *" - proc "* ]]
	[[ "$(mnt_line /sys)" == *" ro,nosuid,nodev,noexec"*" - sysfs "* ]]
	[[ "$(mnt_line /dev)" == *"nosuid"*" - tmpfs "*"size=65536k"* ]]
	[[ "$(mnt_line /dev/pts)" == *" - devpts "*"ptmxmode=666"* ]]
	[[ "$(mnt_line /dev/shm)" == *"nosuid,nodev,noexec"*" - tmpfs "* ]]
	[[ "$(mnt_line /dev/mqueue)" == *" - mqueue "* ]]
	[[ "$(mnt_line /sys/fs/cgroup)" == *" ro,"* ]]
	# the old root is gone: nothing of the host's tree is left
	! echo "$output" | awk '{print $5}' | grep -q '^/tmp'
}

@test "root.readonly makes / read-only but not the mounts on it" {
	update_config 'c["root"]["readonly"] = True'
	run_ct -- sh -c 'touch /x; echo rc=$?; touch /dev/shm/x && echo shm-ok'
	[[ "$output" == *"Read-only file system"* ]]
	[[ "$output" == *"rc=1"* ]]
	[[ "$output" == *"shm-ok"* ]]
}

@test "default devices, /dev symlinks and ptmx" {
	run_ct -- sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done; for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done; echo x > /dev/null && head -c 4 /dev/zero | od -An -tx1'
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/null character special file 1:3 666"* ]]
	[[ "$output" == *"/dev/zero character special file 1:5 666"* ]]
	[[ "$output" == *"/dev/full character special file 1:7 666"* ]]
	[[ "$output" == *"/dev/random character special file 1:8 666"* ]]
	[[ "$output" == *"/dev/urandom character special file 1:9 666"* ]]
	[[ "$output" == *"/dev/tty character special file 5:0 666"* ]]
	[[ "$output" == *"pts/ptmx"* ]]
	[[ "$output" == *"/proc/self/fd/2"* ]]
	[[ "$output" == *"00 00 00 00"* ]]
}

@test "linux.devices with mode, uid and gid" {
	update_config 'c["linux"]["devices"] = [{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 384, "uid": 1000, "gid": 1001}, {"path": "/dev/sub/myzero", "type": "c", "major": 1, "minor": 5}, {"path": "/dev/myfifo", "type": "p"}]'
	run_ct -- sh -c 'stat -c "%n %F %t:%T %a %u:%g" /dev/mynull /dev/sub/myzero /dev/myfifo'
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/mynull character special file 1:3 600 1000:1001"* ]]
	[[ "$output" == *"/dev/sub/myzero character special file 1:5 666 0:0"* ]]
	[[ "$output" == *"/dev/myfifo fifo"* ]]
}

@test "devices bound from the host where mknod is not allowed (in_userns path)" {
	update_config 'c["linux"]["devices"] = [{"path": "/dev/full", "type": "c", "major": 1, "minor": 7}]'
	run_ct --userns-devices -- cat /proc/self/mountinfo
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /dev/null)" == *"/null /dev/null "*" - devtmpfs "* ]]
	[[ "$(mnt_line /dev/full)" == *"/full /dev/full "* ]]
}

@test "bind mounts: rbind+ro keeps submounts writable, rro does not; file binds; locked flags" {
	mkdir -p "$BERTH_TEST_DIR/src/sub"
	mount -t tmpfs tmpfs "$BERTH_TEST_DIR/src/sub"
	echo hello > "$BERTH_TEST_DIR/file"
	update_config "c['mounts'] += [
	 {'destination': '/data', 'type': 'bind', 'source': '$BERTH_TEST_DIR/src', 'options': ['rbind', 'ro', 'nosuid', 'nodev']},
	 {'destination': '/rro', 'type': 'bind', 'source': '$BERTH_TEST_DIR/src', 'options': ['rbind', 'rro', 'rnosymfollow', 'rnoexec']},
	 {'destination': '/new/dir/file', 'source': '$BERTH_TEST_DIR/file', 'options': ['bind', 'ro']}]"
	run_ct -- sh -c 'cat /proc/self/mountinfo; touch /data/sub/a && echo sub-rw; touch /rro/sub/b; cat /new/dir/file'
	umount "$BERTH_TEST_DIR/src/sub"
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /data)" == *" ro,nosuid,nodev,"* ]]
	[[ "$(mnt_line /data/sub)" == *" rw,"* ]]
	[[ "$(mnt_line /rro)" == *" ro,"*"noexec"*"nosymfollow"* ]]
	[[ "$(mnt_line /rro/sub)" == *" ro,"*"noexec"*"nosymfollow"* ]]
	[[ "$(mnt_line /new/dir/file)" == *" ro,"* ]]
	[[ "$output" == *"sub-rw"* ]]
	[[ "$output" == *"/rro/sub/b: Read-only file system"* ]]
	[[ "$output" == *"hello"* ]]
}

@test "tmpfs data options, recursive atime/noexec, propagation, tmpcopyup" {
	update_config "c['mounts'] += [
	 {'destination': '/t', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m', 'mode=700', 'rnoexec', 'rnoatime', 'rshared']},
	 {'destination': '/etc', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['tmpcopyup', 'nodev', 'lazytime']},
	 {'destination': '/u', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['unbindable', 'strictatime', 'nosymfollow']}]"
	run_ct -- sh -c 'cat /proc/self/mountinfo; stat -c "%a" /t; head -1 /etc/passwd'
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /t)" == *" rw,noexec,noatime "*"shared:"*" - tmpfs "*"size=1024k,mode=700"* ]]
	[[ "$(mnt_line /etc)" == *"nodev"*" - tmpfs "* ]]
	[[ "$(mnt_line /u)" == *"nosymfollow"*"unbindable"* ]]
	[[ "$output" == *$'\n700\n'* ]]
	[[ "$output" == *"root:x:0:0"* ]]
}

@test "idmap bind mount shows on-disk IDs through the mount's mappings" {
	mkdir -p "$BERTH_TEST_DIR/ids"
	touch "$BERTH_TEST_DIR/ids/f"
	chown 0:0 "$BERTH_TEST_DIR/ids/f"
	update_config "c['mounts'] += [{'destination': '/id', 'type': 'bind', 'source': '$BERTH_TEST_DIR/ids', 'options': ['bind', 'idmap'],
	 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}], 'gidMappings': [{'containerID': 0, 'hostID': 2000, 'size': 10}]}]"
	run_ct -- sh -c 'grep " /id " /proc/self/mountinfo; stat -c "%u:%g" /id/f'
	[ "$status" -eq 0 ]
	[[ "$output" == *"idmapped"* ]]
	[[ "$output" == *"1000:2000"* ]]
}

@test "maskedPaths: files get the null device, directories an empty ro tmpfs; missing ones skipped" {
	update_config 'c["linux"]["maskedPaths"] = ["/proc/keys", "/proc/acpi", "/does/not/exist", "/etc/hostname"]; c["linux"]["readonlyPaths"] = ["/proc/sys", "/nope"]'
	run_ct -- sh -c 'cat /proc/self/mountinfo; wc -c < /etc/hostname; ls -A /proc/acpi | wc -l; echo 1 > /proc/sys/kernel/domainname; echo rc=$?'
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /proc/keys)" == *"/null /proc/keys "* ]]
	[[ "$(mnt_line /etc/hostname)" == *"/null /etc/hostname "* ]]
	[[ "$(mnt_line /proc/acpi)" == *" ro,"*" - tmpfs "* ]]
	[[ "$(mnt_line /proc/sys)" == *" ro,"*" - proc "* ]]
	[[ "$output" == *"rc=1"* ]]
}

@test "--no-pivot: MS_MOVE + chroot gives the same root" {
	run_ct --no-pivot -- sh -c 'cat /proc/self/mountinfo; ls /'
	[ "$status" -eq 0 ]
	[[ "$output" == *" / "*"ext4"* || "$output" == *" / "* ]]
	[[ "$output" == *"usr"* ]]
	[[ "$(mnt_line /proc)" == *" - proc "* ]]
}

@test "rootfsPropagation shared and private" {
	update_config 'c["linux"]["rootfsPropagation"] = "shared"'
	run_ct -- cat /proc/self/mountinfo
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /)" == *"shared:"* ]]
	update_config 'c["linux"]["rootfsPropagation"] = "rprivate"'
	run_ct -- cat /proc/self/mountinfo
	[ "$status" -eq 0 ]
	[ -n "$(mnt_line /)" ]
	[[ "$(mnt_line /)" != *"shared:"* ]]
}

@test "mountLabel without SELinux is ignored" {
	update_config 'c["linux"]["mountLabel"] = "system_u:object_r:container_file_t:s0:c1,c2"'
	run_ct -- sh -c 'grep " /dev " /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[[ "$output" != *"context="* ]]
}

@test "cgroup mount shows the container's own cgroup" {
	run_ct -- sh -c 'ls /sys/fs/cgroup; grep -x 1 /sys/fs/cgroup/memory/cgroup.procs /sys/fs/cgroup/cgroup.procs /sys/fs/cgroup/unified/cgroup.procs 2>/dev/null; true'
	[ "$status" -eq 0 ]
	[[ "$output" == *"cgroup.procs:1"* ]]
	update_config 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "cgroup"]'
	run_ct -- sh -c 'grep -x 1 /sys/fs/cgroup/memory/cgroup.procs /sys/fs/cgroup/cgroup.procs /sys/fs/cgroup/unified/cgroup.procs 2>/dev/null; touch /sys/fs/cgroup/x; echo rc=$?'
	[ "$status" -eq 0 ]
	[[ "$output" == *"cgroup.procs:1"* ]]
	[[ "$output" == *"rc=1"* ]]
}

@test "/dev/console is the pty slave of the container's devpts" {
	run_ct --console -- sh -c 'grep " /dev/console " /proc/self/mountinfo; stat -c "%t" /dev/console'
	[ "$status" -eq 0 ]
	[[ "$output" == *" - devpts "* ]]
	[[ "$output" == *$'\n88'* ]] # major 136 in hex
}
