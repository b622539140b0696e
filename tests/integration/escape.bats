#!/usr/bin/env bats
# escape.bats - hostile rootfs layouts and mount lists must not make berth
# touch the host: each test runs a container (or fails to), then checks the
# host's mount table and the paths the layout aimed at are unchanged.
#
# Containers run with `berth run` when the CLI has it; ROOTFS_DRIVER=1 (or a
# berth without `run`) uses build/tests/unit/rootfs-driver.

load helpers

DRIVER=${ROOTFS_DRIVER_BIN:-$(dirname "$BERTH")/../tests/unit/rootfs-driver}

setup() {
	require_root
	setup_bundle default
	update_config 'c["root"]["readonly"] = False'
	TARGET=/tmp/berth-escape-target-$$-$BATS_TEST_NUMBER
	mkdir -p "$TARGET"
	echo original > "$TARGET/file"
	snapshot_host > "$BERTH_TEST_DIR/host.before"
}

teardown() {
	rm -rf "$TARGET"
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

# The ID names the container's cgroup: $$ keeps a run beside this one apart.
run_ct() {
	if use_driver; then
		[ -x "$DRIVER" ] || skip "no berth run and no rootfs-driver at $DRIVER"
		run "$DRIVER" "$BUNDLE"
	else
		run timeout 60 "$BERTH" --root "$BERTH_ROOT" run -b "$BUNDLE" "esc-$BATS_TEST_NUMBER-$$"
	fi
}

# The host as the escapes would change it: its mounts (but those under /tmp
# other than the target, and /run/netns: tests and engines running beside
# this one mount there), the target directory (in full), the names in /,
# /etc and /dev, and /proc/sys/kernel/core_pattern. (Not mtimes of shared
# dirs: other processes on the host change those.)
snapshot_host() {
	awk -v t="$TARGET" -v d="$BERTH_TEST_DIR/" '$5 == t || index($5, t "/") == 1 ||
		(index($5, d) != 1 && index($5, "/tmp/") != 1 && index($5, "/run/netns/") != 1) {
		print $4, $5, $6, $9, $10 }' /proc/self/mountinfo | sort
	ls -A1 / /etc /dev
	ls -lAR --time-style=+%s "$TARGET"
	cat "$TARGET/file" /proc/sys/kernel/core_pattern
}

assert_host_unchanged() {
	snapshot_host > "$BERTH_TEST_DIR/host.after"
	diff -u "$BERTH_TEST_DIR/host.before" "$BERTH_TEST_DIR/host.after"
}

@test "/proc symlinked to / in the image: the proc mount is refused" {
	rm -rf "$ROOTFS/proc"
	ln -s / "$ROOTFS/proc"
	update_config 'c["process"]["args"] = ["true"]'
	run_ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"/proc"* ]]
	assert_host_unchanged
}

@test "/dev symlinked to a host path: /dev is made inside the rootfs" {
	rm -rf "$ROOTFS/dev"
	ln -s "$TARGET/dev" "$ROOTFS/dev"
	update_config 'c["process"]["args"] = ["sh", "-c", "stat -c %t:%T /dev/null; grep -c \" - tmpfs \" /proc/self/mountinfo"]'
	run_ct
	[ "$status" -eq 0 ]
	[[ "$output" == *"1:3"* ]]
	[ ! -e "$TARGET/dev" ]
	[ -d "$ROOTFS$TARGET/dev" ]
	assert_host_unchanged
}

@test "a mount destination that is a symlink to /etc lands on the container's /etc" {
	ln -s /etc "$ROOTFS/data"
	mkdir -p "$BERTH_TEST_DIR/src"
	echo from-src > "$BERTH_TEST_DIR/src/marker"
	update_config "c['mounts'].append({'destination': '/data', 'type': 'bind', 'source': '$BERTH_TEST_DIR/src', 'options': ['bind']}); c['process']['args'] = ['cat', '/etc/marker']"
	run_ct
	[ "$status" -eq 0 ]
	[[ "$output" == *"from-src"* ]]
	[ ! -e /etc/marker ]
	assert_host_unchanged
}

@test "destinations with .. and absolute symlinks to the host target stay inside" {
	ln -s "$TARGET" "$ROOTFS/abs"
	ln -s ../../../../../../.. "$ROOTFS/up"
	update_config "c['mounts'] += [
	 {'destination': '/../../../../..$TARGET/t1', 'type': 'tmpfs', 'source': 'tmpfs'},
	 {'destination': '/abs/t2', 'type': 'tmpfs', 'source': 'tmpfs'},
	 {'destination': '/up$TARGET/t3', 'type': 'tmpfs', 'source': 'tmpfs'},
	 {'destination': '/abs/file', 'type': 'bind', 'source': '/etc/hostname', 'options': ['bind']}]"
	update_config "c['linux']['devices'] = [{'path': '/dev/../../../..$TARGET/dev0', 'type': 'c', 'major': 1, 'minor': 3}]"
	update_config "c['process']['args'] = ['sh', '-c', 'grep -c $TARGET /proc/self/mountinfo']"
	run_ct
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" -eq 4 ]
	for n in t1 t2 t3 dev0; do
		[ ! -e "$TARGET/$n" ]
		[ -e "$ROOTFS$TARGET/$n" ]
	done
	[ "$(cat "$TARGET/file")" = original ]
	assert_host_unchanged
}

@test "a mount over a /proc file is refused" {
	update_config "c['mounts'].append({'destination': '/proc/sys/kernel/core_pattern', 'type': 'bind', 'source': '$TARGET/file', 'options': ['bind']}); c['process']['args'] = ['true']"
	run_ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"inside /proc"* ]]
	assert_host_unchanged
}

@test "a /dev/null that is not the null device is not used to mask" {
	# no /dev tmpfs: the image's /dev is used; its null is a symlink to a file
	update_config 'c["mounts"] = [m for m in c["mounts"] if not m["destination"].startswith("/dev")]; c["linux"]["maskedPaths"] = ["/proc/keys"]; c["process"]["args"] = ["true"]'
	mkdir -p "$ROOTFS/dev"
	ln -sf "$TARGET/file" "$ROOTFS/dev/null"
	run_ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"null"* ]]
	assert_host_unchanged
}

@test "maskedPaths and readonlyPaths through symlinks resolve inside the rootfs" {
	ln -s "$TARGET/file" "$ROOTFS/maskme"
	ln -s "$TARGET" "$ROOTFS/rodir"
	mkdir -p "$ROOTFS$TARGET"
	echo inside > "$ROOTFS$TARGET/file"
	update_config 'c["linux"]["maskedPaths"] = ["/maskme"]; c["linux"]["readonlyPaths"] = ["/rodir"]; c["process"]["args"] = ["sh", "-c", "wc -c < /maskme; touch /rodir/x; echo rc=$?"]'
	run_ct
	[ "$status" -eq 0 ]
	[[ "$output" == *"0"* ]]
	[[ "$output" == *"rc=1"* ]]
	[ "$(cat "$TARGET/file")" = original ]
	[ "$(cat "$ROOTFS$TARGET/file")" = inside ]
	assert_host_unchanged
}
