#!/usr/bin/env bats
# cve.bats - one test per class of runc/crun CVE berth defends against.
# Each reproduces the attack's precondition against berth and asserts the
# host is unchanged. Where another suite already holds the test, the test
# here runs that check by name (see the comment on each).

load helpers

setup() {
	require_root
	setup_bundle default
	update_config 'c["process"]["args"] = ["sleep", "100"]'
}

teardown() {
	# an aborted immutable-binary test must not leave an undeletable file
	[ -e "${BERTH_TEST_DIR:-/nonexistent}/berth-immutable" ] &&
		chattr -i "$BERTH_TEST_DIR/berth-immutable" 2>/dev/null
	teardown_bundle
}

init_pid() {
	berth state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])'
}

# CVE-2019-5736: the binary the container could reach through
# /proc/<init>/exe before the init execs is never the writable host file:
# a read-only detached mount of it, or (when the container could hold
# CAP_SYS_ADMIN and remount that) a sealed memfd copy.
protection_of() {
	python3 - "$1" <<'EOF2'
import fcntl, os, sys
fd = os.open(f"/proc/{sys.argv[1]}/exe", os.O_RDONLY)
try:
    sealed = fcntl.fcntl(fd, 1034) & 8  # F_GET_SEALS, F_SEAL_WRITE
except OSError:
    sealed = 0
print("sealed" if sealed else "ro" if os.fstatvfs(fd).f_flag & os.ST_RDONLY else "writable")
EOF2
}

@test "CVE-2019-5736: the pre-exec init runs from a read-only mount of berth" {
	sum_before=$(sha256sum "$BERTH" | cut -d' ' -f1)
	berth create c1
	run protection_of "$(init_pid c1)"
	berth delete -f c1
	[ "$output" = ro ]
	[ "$(sha256sum "$BERTH" | cut -d' ' -f1)" = "$sum_before" ]
}

@test "CVE-2019-5736: with CAP_SYS_ADMIN in reach, a sealed memfd copy instead" {
	update_config 'c["process"]["capabilities"]["bounding"].append("CAP_SYS_ADMIN")'
	berth create c1
	pid=$(init_pid c1)
	run protection_of "$pid"
	[[ "$(readlink /proc/"$pid"/exe)" == *memfd:berth* ]]
	berth delete -f c1
	[ "$output" = sealed ]
}

@test "CVE-2019-5736: a workload that re-executes /proc/self/exe gets the protected binary" {
	sum_before=$(sha256sum "$BERTH" | cut -d' ' -f1)
	# give the rootfs berth's libraries, so its image can really run inside
	for lib in $(ldd "$BERTH" | grep -o '/[^ ]*'); do
		mkdir -p "$ROOTFS$(dirname "$lib")"
		cp -L "$lib" "$ROOTFS$lib"
	done
	update_config 'c["process"]["args"] = ["/proc/self/exe", "--version"]'
	run berth run c2
	[ "$status" -eq 0 ]
	[[ "$output" == *"berth version"* ]]
	[ "$(sha256sum "$BERTH" | cut -d' ' -f1)" = "$sum_before" ]
}

# The cheaper sound defence: an immutable binary (chattr +i) is used as it
# is, without the sealed copy, unless the container could hold
# CAP_LINUX_IMMUTABLE and clear the flag.
@test "CVE-2019-5736: an immutable berth binary runs without a copy and stays unwritable" {
	imm=$BERTH_TEST_DIR/berth-immutable
	cp "$BERTH" "$imm"
	chattr +i "$imm" 2>/dev/null || skip "this filesystem has no immutable attribute"
	"$imm" --root "$BERTH_ROOT" create c9
	pid=$(init_pid c9)
	exe=$(readlink /proc/"$pid"/exe)
	run python3 -c "open('/proc/$pid/exe', 'r+b')"
	"$imm" --root "$BERTH_ROOT" delete -f c9
	# with CAP_LINUX_IMMUTABLE in the bounding set the protection is back
	update_config 'c["process"]["capabilities"]["bounding"].append("CAP_LINUX_IMMUTABLE")'
	"$imm" --root "$BERTH_ROOT" create c10
	exe2=$(protection_of "$(init_pid c10)")
	"$imm" --root "$BERTH_ROOT" delete -f c10
	chattr -i "$imm"
	[ "$exe" = "$imm" ]
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	[ "$exe2" = ro ]
}

# CVE-2016-9962: until it execs, the process berth puts in the container is
# not dumpable: its /proc files belong to the host's root, not to the
# container's (mapped) root, so the container can't ptrace it or open its fds.
@test "CVE-2016-9962: the pre-exec init is not dumpable" {
	update_config 'c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
c["mounts"] = [m for m in c["mounts"] if m["type"] not in ("cgroup", "sysfs")]'
	chown -R 200000:200000 "$ROOTFS"
	chmod 755 "$BERTH_TEST_DIR" "$BUNDLE"
	berth create c3
	pid=$(init_pid c3)
	[ "$(awk '/^Uid:/ {print $2}' /proc/"$pid"/status)" = 200000 ]
	# a dumpable process's /proc/<pid>/fd would belong to 200000
	[ "$(stat -c %u /proc/"$pid"/fd)" = 0 ]
	berth delete -f c3
}

# CVE-2024-21626: host fds leaked into the init plus cwd /proc/self/fd/N
# gave a host directory as cwd. berth resolves cwd with no magic links.
@test "CVE-2024-21626: cwd /proc/self/fd/N never reaches a host directory" {
	for n in 3 4 5 6 7 8 9 10; do
		update_config "c['process']['cwd'] = '/proc/self/fd/$n'; c['process']['args'] = ['pwd']"
		run berth run "c4-$n"
		[ "$status" -ne 0 ]
		[[ "$output" == *"cwd"* ]]
		[ ! -d "$BERTH_ROOT/c4-$n" ]
	done
}

@test "CVE-2024-21626: no host fd reaches the workload" {
	update_config 'c["process"]["args"] = ["sh", "-c", "ls /proc/self/fd"]'
	run berth run c5
	[ "$status" -eq 0 ]
	# ls sees stdio and its own directory fd, nothing else
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
}

# CVE-2022-29162: `exec --cap` must never add inheritable capabilities.
@test "CVE-2022-29162: exec --cap adds no inheritable capability" {
	berth run -d c6
	run berth exec --cap CAP_SYS_ADMIN c6 grep -E '^Cap(Inh|Eff|Amb)' /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
	[[ "$output" == *"CapAmb:	0000000000000000"* ]]
	# and the capability did arrive in the effective set (bit 21)
	eff=$(echo "$output" | awk '/CapEff/ {print $2}')
	(( (16#$eff >> 21) & 1 ))
}

# CVE-2023-25809: the container must not be able to write the host's
# cgroupfs: berth mounts it read-only.
@test "CVE-2023-25809: the cgroup mount is read-only inside" {
	update_config 'c["process"]["args"] = ["sh", "-c", "mkdir /sys/fs/cgroup/x 2>&1; touch /sys/fs/cgroup/*/x 2>&1; echo done"]'
	run berth run c7
	[ "$status" -eq 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e /sys/fs/cgroup/memory/x ]
	[ ! -e /sys/fs/cgroup/x ]
}

# CVE-2019-16884 / CVE-2025-52881: berth's procfs writes (here: sysctl and
# oom_score_adj) go through a handle verified to be procfs; a config that
# mounts something over /proc/sys is refused, not written through.
@test "CVE-2019-16884: a mount over /proc/sys can't redirect berth's writes" {
	update_config 'c["mounts"].append({"destination": "/proc/sys", "type": "tmpfs", "source": "tmpfs"})
c["linux"]["sysctl"] = {"kernel.shm_rmid_forced": "1"}
c["process"]["args"] = ["cat", "/proc/sys/kernel/shm_rmid_forced"]'
	run berth run c8
	[ "$status" -ne 0 ]
	[ ! -d "$BERTH_ROOT/c8" ]
}

# The rootfs suites hold the path-resolution classes:
# CVE-2021-30465 (symlink-exchange on mount targets), CVE-2024-45310 (mkdir
# outside the root), CVE-2025-31133 (/dev/null swapped for masking) and
# CVE-2025-52565 (/dev/console) are tested in tests/integration/escape.bats;
# CVE-2021-43784 (sync length fields) in tests/unit/test_sync.c.
@test "path-resolution CVE classes are covered by escape.bats" {
	grep -q "@test" "$REPO/tests/integration/escape.bats"
	grep -q "malformed" "$REPO/tests/unit/test_sync.c"
}
