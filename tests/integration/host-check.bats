#!/usr/bin/env bats
# host-check.bats - the test run leaves a fresh host as it found it: the
# directories tools make on first use (/run/netns by `ip netns add` and
# podman, /run/berth by a seccomp container run without --root) are removed
# by the stage that made them (tests/lib/first-use-dirs.sh, around every
# run-all.sh stage), and kept when they were there before.
#
# Each test works in a private mount namespace with its own tmpfs on /run,
# so it sees a "fresh host" /run without touching the real one.

load helpers

FIRST_USE=$REPO/tests/lib/first-use-dirs.sh

setup() {
	require_root
	command -v ip >/dev/null || skip "ip(8) not installed"
	command -v unshare >/dev/null || skip "unshare(1) not installed"
	setup_bundle default
	update_config 'c["process"]["args"] = ["true"]
c["process"]["terminal"] = False
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO"}]}'
}

teardown() {
	teardown_bundle
}

# in_fresh_run SCRIPT: bash SCRIPT in a mount namespace whose /run is empty
# (the host's mounts below /run detached there first, so that none shows
# through in the mount table).
in_fresh_run() {
	unshare -m --propagation private bash -euc "
		findmnt -n -l -o TARGET | grep '^/run/' | sort -r | xargs -r -n1 umount -l
		mount -t tmpfs berth-fresh-run /run
		$1"
}

@test "a stage that made /run/netns and /run/berth removes them" {
	run in_fresh_run "
		'$FIRST_USE' note '$BERTH_TEST_DIR/first-use'
		ip netns add berth-hc-$$
		ip netns delete berth-hc-$$
		# the default root, /run/berth; the second run keeps its filter there
		cd '$BUNDLE' && '$BERTH' run hc-$$ && '$BERTH' run hc-$$
		ls -A /run/berth
		findmnt -n -o TARGET /run/netns
		'$FIRST_USE' restore '$BERTH_TEST_DIR/first-use'
		ls -A /run | grep -vx mount || true # util-linux's utab dir: umount's own
		findmnt -n -o TARGET /run/netns || echo 'no netns mount'"
	echo "$output"
	[ "$status" -eq 0 ]
	# made: the seccomp cache, the mount
	[ "${lines[0]}" = .cache ]
	[ "${lines[1]}" = /run/netns ]
	# gone: /run is empty again
	[ "${lines[2]}" = "no netns mount" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "a stage that found them keeps them, and never removes what is left inside" {
	run in_fresh_run "
		ip netns add berth-hc-old-$$
		mkdir -p /run/berth/.cache
		'$FIRST_USE' note '$BERTH_TEST_DIR/first-use'
		'$FIRST_USE' restore '$BERTH_TEST_DIR/first-use'
		ls -A /run/netns /run/berth
		ip netns delete berth-hc-old-$$"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *berth-hc-old-$$* ]]
	[[ "$output" == *.cache* ]]

	# made during the stage, but a container (a leak) is still in the root:
	# left for the host check to report
	run in_fresh_run "
		'$FIRST_USE' note '$BERTH_TEST_DIR/first-use'
		mkdir -p /run/berth/.cache /run/berth/leaked
		ip netns add berth-hc-leak-$$
		'$FIRST_USE' restore '$BERTH_TEST_DIR/first-use'
		ls -A /run/berth /run/netns
		ip netns delete berth-hc-leak-$$"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *leaked* ]]
	[[ "$output" == *berth-hc-leak-$$* ]]
}
