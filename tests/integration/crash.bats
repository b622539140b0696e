#!/usr/bin/env bats
# crash.bats - a runtime killed at any moment loses nothing: after SIGKILL
# of `berth create` (an engine's timeout does that) and `berth delete -f`,
# no cgroup (in any hierarchy), process, mount or state dir is left, and a
# corrupt state.json does not make a container undeletable.
#
# The release binary is killed by timing here; tests/crash/crash-points.bats
# kills a test build after each step of create, start, exec and delete.
# tests/crash/crash_loop.py does the killing and the counting (it is a child
# subreaper, so every process a try leaves comes back to it).

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	set_args sleep 31337
}

# What a failing delete -f left (a binary without these fixes): the
# processes in this test's cgroups killed, the cgroups removed, so that the
# run goes on and the host stays clean.
kill_leftover_cgroups() {
	local d
	for d in $(find /sys/fs/cgroup -depth -type d -name "lc${BATS_TEST_NUMBER}-$$*" 2>/dev/null); do
		xargs -r kill -KILL <"$d/cgroup.procs" 2>/dev/null || true
	done
	sleep 0.2
	find /sys/fs/cgroup -depth -type d -name "lc${BATS_TEST_NUMBER}-$$*" -exec rmdir {} \; 2>/dev/null || true
}

teardown() {
	kill_leftover_cgroups
	teardown_bundle
}

@test "create SIGKILLed at 20 moments, then delete -f: nothing left, every time" {
	# today's binary left cgroups (and an init) in about 1 try of 3
	run "$REPO/tests/crash/crash_loop.py" --runtime "$BERTH" --bundle "$BUNDLE" --op create \
		--timing 20 --prefix "$(ct_id)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"20 tries, 0 with leftovers"* ]]
}

@test "run -d SIGKILLed at 10 moments, then delete -f: nothing left" {
	run "$REPO/tests/crash/crash_loop.py" --runtime "$BERTH" --bundle "$BUNDLE" --op run \
		--timing 10 --prefix "$(ct_id)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"10 tries, 0 with leftovers"* ]]
}

# truncate_and_delete ID BYTES: state.json cut to BYTES (0: empty), then delete -f.
truncate_and_delete() {
	local id=$1 pid
	berth create "$id" </dev/null >/dev/null 2>&1
	pid=$(state_field "$id" pid)
	pid_alive "$pid"
	[ -n "$(ct_cgroup_dirs "$id")" ]
	truncate -s "$2" "$BERTH_ROOT/$id/state.json"
	run berth state "$id"
	[ "$status" -ne 0 ] # a corrupt state is reported, not guessed at
	run berth delete -f "$id"
	echo "$output"
	[ "$status" -eq 0 ]
	# runc says why it can't read the state and leaves everything; we say
	# it and remove everything
	[[ "$output" == *"read state of container $id"* ]]
	pid_gone "$pid"
	assert_no_leftovers "$id"
}

@test "delete -f of a container whose state.json is truncated kills the init, removes cgroups and state" {
	truncate_and_delete "$(ct_id a)" 40
	truncate_and_delete "$(ct_id b)" 0
}

@test "delete -f of a container whose state.json is garbage removes everything" {
	local id pid
	id=$(ct_id)
	berth create "$id" </dev/null >/dev/null 2>&1
	pid=$(state_field "$id" pid)
	printf '\x00\xff{{{' >"$BERTH_ROOT/$id/state.json"
	run berth delete -f "$id"
	[ "$status" -eq 0 ]
	pid_gone "$pid"
	assert_no_leftovers "$id"
}

@test "without -f a corrupt state.json is an error and nothing is touched" {
	local id pid
	id=$(ct_id)
	berth create "$id" </dev/null >/dev/null 2>&1
	pid=$(state_field "$id" pid)
	truncate -s 10 "$BERTH_ROOT/$id/state.json"
	run berth delete "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"read state of container $id"* ]]
	pid_alive "$pid"
	[ -n "$(ct_cgroup_dirs "$id")" ]
	berth delete -f "$id"
	assert_no_leftovers "$id"
}

@test "a container whose create was killed before state.json is 'creating' with its init's pid" {
	local id pid
	id=$(ct_id)
	berth create "$id" </dev/null >/dev/null 2>&1
	pid=$(state_field "$id" pid)
	# as if create had been killed after READY, before writing its state
	rm "$BERTH_ROOT/$id/state.json"
	[ "$(state_field "$id" status)" = creating ]
	[ "$(state_field "$id" pid)" = "$pid" ]
	run berth start "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"still being created"* ]]
	berth delete -f "$id"
	pid_gone "$pid"
	assert_no_leftovers "$id"
}
