#!/usr/bin/env bats
# crash-points.bats - SIGKILL after every step of create, start, exec, run
# and delete, then `delete -f`, then the leftover check (cgroups in every
# hierarchy, processes, mounts, the state dir): nothing, in every loop.
#
# Needs the test build with crash points (not the release binary):
#   meson setup build-crash -Dcrash_points=true && ninja -C build-crash
# BERTH_CRASH names its binary (default: build-crash/cmd/berth); run-all.sh's
# "crash" stage builds it and runs this file. The steps are not listed here:
# one traced run asks the binary which ones the operation passes
# (tests/crash/crash_loop.py --points).

load ../integration/helpers
load ../integration/ct_helpers

BERTH_CRASH=${BERTH_CRASH:-$REPO/build-crash/cmd/berth}

setup() {
	require_root
	[ -x "$BERTH_CRASH" ] || skip "no crash-point build at $BERTH_CRASH (meson setup build-crash -Dcrash_points=true)"
	setup_bundle default
	set_args sleep 31337
}

teardown() {
	teardown_bundle
}

crash_loop() {
	run "$REPO/tests/crash/crash_loop.py" --runtime "$BERTH_CRASH" --bundle "$BUNDLE" \
		--points --prefix "$(ct_id)" "$@"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" with leftovers "* ]]
	[[ "$output" == *", 0 with leftovers (cgroups 0, processes 0, state 0, mounts 0), 0 failed deletes"* ]]
}

@test "the release build has no crash points" {
	[ -x "$BERTH" ] || skip "no release build at $BERTH"
	! grep -q BERTH_CRASH_AT "$BERTH"
	grep -q BERTH_CRASH_AT "$BERTH_CRASH"
}

@test "create killed after each of its steps, then delete -f: nothing left" {
	crash_loop --op create
	# the steps that matter most were among them
	[[ "$output" == *create.cgroup-recorded*create.cloned*create.init-recorded*create.ready*create.saved* ]]
}

@test "create with a user namespace and hooks, killed after each step: nothing left" {
	update_config 'c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["hooks"] = {"prestart": [{"path": "/bin/true"}], "createRuntime": [{"path": "/bin/true"}]}'
	# the userns root is "others" on the way to the rootfs
	chmod 711 "$BERTH_TEST_DIR" "$BUNDLE"
	crash_loop --op create
	[[ "$output" == *create.maps-written*create.hooks-requested*create.hooks-done* ]]
}

@test "start killed after each of its steps, then delete -f: nothing left" {
	crash_loop --op start
}

@test "exec killed after each of its steps, then delete -f: nothing left" {
	crash_loop --op exec
	[[ "$output" == *exec.cloned*exec.go-sent* ]]
}

@test "run -d killed after each of its steps, then delete -f: nothing left" {
	crash_loop --op run
}

@test "delete -f killed after each of its steps, then delete -f again: nothing left" {
	crash_loop --op delete
	[[ "$output" == *delete.killed*delete.cgroup-destroyed*delete.state-file-removed* ]]
}
