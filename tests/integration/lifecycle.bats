#!/usr/bin/env bats
# lifecycle.bats - the OCI state machine seen from outside and inside:
# create -> running -> stopped with the state document validated against the
# runtime-spec schema at each step, run's exit codes and signal forwarding,
# --pid-file, list, ps, delete -f, run --keep, and many containers at once
# leaving nothing behind.

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	MARK=$BERTH_TEST_DIR/mark
	bind_dir "$MARK" /mark
}

teardown() {
	# a foreground `berth run` the test started in the background
	if [ -n "${RUN_PID:-}" ] && kill -0 "$RUN_PID" 2>/dev/null; then
		kill -KILL "$RUN_PID" 2>/dev/null || true
	fi
	teardown_runc
	teardown_bundle
}

@test "run: the workload runs and its exit code is run's (0 and 7)" {
	set_sh 'echo "inside pid $$"; echo ran > /mark/ran'
	run berth run "$(ct_id a)"
	[ "$status" -eq 0 ]
	[ "$output" = "inside pid 1" ]
	[ "$(cat "$MARK/ran")" = ran ]

	set_sh 'echo seven; exit 7'
	run berth run "$(ct_id b)"
	[ "$status" -eq 7 ]
	[ "$output" = seven ]
	# run deletes what it created
	assert_no_leftovers "$(ct_id a)"
	assert_no_leftovers "$(ct_id b)"
}

@test "run: init killed from outside with berth kill KILL -> 137, then deleted" {
	local id
	id=$(ct_id)
	set_sh 'echo $$ > /mark/pid; exec sleep 1000'
	berth run "$id" &
	RUN_PID=$!
	wait_status "$id" running
	wait_file "$MARK/pid"
	[ "$(cat "$MARK/pid")" = 1 ]
	local pid
	pid=$(state_field "$id" pid)
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 1000 " ]
	berth kill "$id" KILL
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 137 ]
	pid_gone "$pid"
	run berth state "$id"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$id"
}

@test "create -> running -> stopped: state validates against the schema at each step" {
	local id
	id=$(ct_id)
	set_sh 'echo started > /mark/started; exec sleep 1000'
	run detached create "$id"
	[ "$status" -eq 0 ]

	berth state "$id" >"$BERTH_TEST_DIR/created.json"
	validate_json state-schema.json "$BERTH_TEST_DIR/created.json"
	run python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["id"], d["status"], d["bundle"], d["ociVersion"] != "", d["pid"] > 0)' "$BERTH_TEST_DIR/created.json"
	[ "$output" = "$id created $BUNDLE True True" ]
	local pid
	pid=$(state_field "$id" pid)
	# created: the init exists in its own pid namespace but the workload has
	# not run yet
	pid_alive "$pid"
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(host_ns pid)" ]
	[ ! -e "$MARK/started" ]

	run berth start "$id"
	[ "$status" -eq 0 ]
	wait_file "$MARK/started"
	berth state "$id" >"$BERTH_TEST_DIR/running.json"
	validate_json state-schema.json "$BERTH_TEST_DIR/running.json"
	[ "$(state_field "$id" status)" = running ]
	[ "$(state_field "$id" pid)" = "$pid" ]
	# the init became the workload: same pid, now sleep
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 1000 " ]

	berth kill "$id" KILL
	wait_status "$id" stopped
	berth state "$id" >"$BERTH_TEST_DIR/stopped.json"
	validate_json state-schema.json "$BERTH_TEST_DIR/stopped.json"
	pid_gone "$pid"

	run berth delete "$id"
	[ "$status" -eq 0 ]
	run berth state "$id"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$id"
}

@test "the workload exiting by itself makes the container stopped" {
	local id
	id=$(ct_id)
	set_sh 'echo bye > /mark/bye'
	detached create "$id"
	berth start "$id"
	wait_file "$MARK/bye"
	wait_status "$id" stopped
	berth delete "$id"
	assert_no_leftovers "$id"
}

@test "delete of a created (never started) container kills its init" {
	local id pid
	id=$(ct_id)
	set_sh 'echo started > /mark/started'
	detached create "$id"
	pid=$(state_field "$id" pid)
	pid_alive "$pid"
	run berth delete "$id"
	[ "$status" -eq 0 ]
	pid_gone "$pid"
	[ ! -e "$MARK/started" ]
	assert_no_leftovers "$id"
}

@test "delete -f of a running container kills it and removes everything" {
	local id pid
	id=$(ct_id)
	set_sh 'trap "" TERM; exec sleep 1000'
	detached run -d "$id"
	pid=$(state_field "$id" pid)
	pid_alive "$pid"
	run berth delete -f "$id"
	[ "$status" -eq 0 ]
	pid_gone "$pid"
	assert_no_leftovers "$id"
}

@test "run --keep leaves a stopped container to inspect and delete" {
	local id
	id=$(ct_id)
	set_sh 'exit 3'
	run berth run --keep "$id"
	[ "$status" -eq 3 ]
	[ "$(state_field "$id" status)" = stopped ]
	berth delete "$id"
	assert_no_leftovers "$id"
}

@test "foreground run forwards SIGUSR1 and SIGTERM to the container's init" {
	local id
	id=$(ct_id)
	set_sh 'trap "echo usr1 >> /mark/sig" USR1; trap "echo term >> /mark/sig; exit 42" TERM; echo ready > /mark/ready; while :; do sleep 0.1; done'
	# berth itself, not the `berth` function's subshell, must get the signals
	"$BERTH" --root "$BERTH_ROOT" run "$id" &
	RUN_PID=$!
	wait_file "$MARK/ready"
	kill -USR1 "$RUN_PID"
	local tries=50
	until grep -q usr1 "$MARK/sig" 2>/dev/null || [ $tries -eq 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	[ "$(cat "$MARK/sig")" = usr1 ]
	# still running after USR1
	[ "$(state_field "$id" status)" = running ]
	kill -TERM "$RUN_PID"
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 42 ]
	[ "$(cat "$MARK/sig")" = "usr1
term" ]
	assert_no_leftovers "$id"
}

@test "--pid-file holds the init's pid, the same as state's (create and run -d)" {
	local id pid
	id=$(ct_id c)
	set_args sleep 1000
	detached create --pid-file "$BERTH_TEST_DIR/c.pid" "$id"
	pid=$(state_field "$id" pid)
	[ "$(cat "$BERTH_TEST_DIR/c.pid")" = "$pid" ]
	pid_alive "$pid"
	berth delete -f "$id"

	id=$(ct_id d)
	# a relative pid file is relative to berth's cwd
	detached run -d --pid-file d.pid "$id"
	pid=$(state_field "$id" pid)
	[ "$(cat "$BUNDLE/d.pid")" = "$pid" ]
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 1000 " ]
}

@test "list: table header, -q and --format json describe the live containers" {
	local a b
	a=$(ct_id a)
	b=$(ct_id b)
	set_args sleep 1000
	detached create "$a"
	detached run -d "$b"

	run berth list
	[ "$status" -eq 0 ]
	echo "$output"
	[ "$(echo "${lines[0]}" | tr -s ' ')" = "ID PID STATUS BUNDLE CREATED OWNER" ]
	echo "$output" | awk -v a="$a" -v b="$b" -v bundle="$BUNDLE" '
		$1 == a && $3 == "created" && $4 == bundle && $6 == "root" { fa = 1 }
		$1 == b && $3 == "running" && $4 == bundle && $6 == "root" { fb = 1 }
		END { exit !(fa && fb) }'

	run berth list -q
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$a" "$b" | sort | tr '\n' ' ')" ]

	run berth list --format json
	[ "$status" -eq 0 ]
	local pa pb
	pa=$(state_field "$a" pid)
	pb=$(state_field "$b" pid)
	echo "$output" | python3 -c '
import json, sys
a, b, pa, pb, bundle = sys.argv[1:]
got = {c["id"]: c for c in json.load(sys.stdin)}
assert set(got) == {a, b}, got
assert got[a]["status"] == "created" and got[a]["pid"] == int(pa), got[a]
assert got[b]["status"] == "running" and got[b]["pid"] == int(pb), got[b]
for c in got.values():
    assert c["bundle"] == bundle and c["owner"] == "root" and c["created"], c
' "$a" "$b" "$pa" "$pb" "$BUNDLE"
}

# The owner comes from the host's /etc/passwd (berth reads it itself: no
# NSS in a static binary). An empty password field is a field: the old
# lookup skipped it and took alice's gid 0 for her uid, listing "alice".
@test "list: the owner's passwd entry is found by its uid field, as runc finds it" {
	local id fake
	id=$(ct_id)
	fake=$BERTH_TEST_DIR/passwd
	printf 'alice::1000:0::/home/alice:/bin/sh\nroot:x:0:0:root:/root:/bin/sh\n' >"$fake"
	set_args sleep 1000
	# the fake file only in a mount namespace of this test's own
	list_owner() { # RUNTIME ROOT: create, list's owner, delete, under $fake
		unshare -m --propagation private sh -c '
			mount --bind "$1" /etc/passwd || exit 1
			"$2" --root "$3" create "$4" </dev/null >/dev/null 2>&1 || exit 1
			"$2" --root "$3" list --format json
			"$2" --root "$3" delete -f "$4" >/dev/null 2>&1' sh "$fake" "$1" "$2" "$id" |
			python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["owner"])'
	}
	[ "$(list_owner "$BERTH" "$BERTH_ROOT")" = root ]
	if command -v runc >/dev/null; then
		RUNC_ROOT=$BERTH_TEST_DIR/runc
		[ "$(list_owner "$(command -v runc)" "$RUNC_ROOT")" = root ]
	fi
}

@test "list on an empty root: header only, -q and json empty" {
	run berth list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	run berth list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run berth list --format json
	[ "$status" -eq 0 ]
	# runc prints null (an empty Go slice); [] says the same
	[[ "$output" == "null" || "$output" == "[]" ]]
}

@test "ps: lists the container's processes, table and json" {
	local id pid
	id=$(ct_id)
	set_sh 'sleep 1000 & echo $! > /mark/child; wait'
	detached run -d "$id"
	wait_file "$MARK/child"
	pid=$(state_field "$id" pid)

	run berth ps --format json "$id"
	[ "$status" -eq 0 ]
	# the init and its sleeping child, as host pids
	local child
	child=$(cat "/proc/$pid/task/$pid/children")
	child=${child% }
	[ -n "$child" ]
	[ "$(tr '\0' ' ' <"/proc/$child/cmdline")" = "sleep 1000 " ]
	echo "$output" | python3 -c '
import json, sys
pids = sorted(json.load(sys.stdin))
want = sorted(int(p) for p in sys.argv[1:])
assert pids == want, (pids, want)' "$pid" "$child"

	run berth ps "$id"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	echo "$output" | awk -v p="$pid" -v c="$child" '$2 == p { a = 1 } $2 == c { b = 1 } END { exit !(a && b) }'
}

@test "20 containers created and deleted concurrently leave nothing behind" {
	set_args sleep 1000
	local i pids=() rc=0
	for i in $(seq 1 20); do
		detached create "$(ct_id "$i")" >"$BERTH_TEST_DIR/create.$i.log" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	[ "$rc" -eq 0 ] || { cat "$BERTH_TEST_DIR"/create.*.log; false; }

	run berth list -q
	[ "${#lines[@]}" -eq 20 ]
	# 20 distinct inits, each in its own pid namespace
	local inits
	inits=$(for i in $(seq 1 20); do readlink "/proc/$(state_field "$(ct_id "$i")" pid)/ns/pid"; done | sort -u | wc -l)
	[ "$inits" -eq 20 ]

	pids=()
	for i in $(seq 1 20); do
		berth delete -f "$(ct_id "$i")" >"$BERTH_TEST_DIR/delete.$i.log" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	[ "$rc" -eq 0 ] || { cat "$BERTH_TEST_DIR"/delete.*.log; false; }

	run berth list -q
	[ -z "$output" ]
	for i in $(seq 1 20); do
		assert_no_leftovers "$(ct_id "$i")"
	done
}

@test "20 run -d racing 20 delete -f of the same ids leave nothing behind" {
	# A delete -f that comes while create is still making the container
	# waits for it (the state dir's lock) or finds nothing yet; one that
	# takes the lock of a just-made, empty dir removes it, and the create
	# makes it again instead of working in a dir that is gone.
	set_args sleep 1000
	local i round pids=() runs=() rc=0
	for round in 1 2 3; do
		pids=()
		runs=()
		for i in $(seq 1 20); do
			# a run whose container is deleted under it may fail: as
			# "does not exist", never with a half-made container
			berth run -d "$(ct_id "$i")" </dev/null >"$BERTH_TEST_DIR/run.$i.log" 2>&1 &
			runs+=($!)
			berth delete -f "$(ct_id "$i")" >"$BERTH_TEST_DIR/delete.$i.log" 2>&1 &
			pids+=($!)
		done
		for i in "${pids[@]}"; do wait "$i" || rc=1; done
		for i in "${runs[@]}"; do wait "$i" || true; done
		[ "$rc" -eq 0 ] || { cat "$BERTH_TEST_DIR"/delete.*.log; false; }
		! grep -v "does not exist" "$BERTH_TEST_DIR"/run.*.log
		# whatever won each race, one more delete -f leaves nothing
		for i in $(seq 1 20); do
			berth delete -f "$(ct_id "$i")"
		done
		run berth list -q
		[ -z "$output" ]
		for i in $(seq 1 20); do
			assert_no_leftovers "$(ct_id "$i")"
		done
	done
}

@test "10 concurrent creates of one id: exactly one wins, the others say it exists" {
	local id i pids=() ok=0
	id=$(ct_id)
	set_args sleep 1000
	for i in $(seq 1 10); do
		berth create "$id" </dev/null >"$BERTH_TEST_DIR/same.$i.log" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" && ok=$((ok + 1))
	done
	cat "$BERTH_TEST_DIR"/same.*.log
	[ "$ok" -eq 1 ]
	[ "$(grep -l "container with id exists: $id" "$BERTH_TEST_DIR"/same.*.log | wc -l)" -eq 9 ]
	# one init, the one state names
	local pid
	pid=$(state_field "$id" pid)
	pid_alive "$pid"
	[ "$(ct_procs_in "$ROOTFS" | wc -l)" -eq 1 ]
	berth delete -f "$id"
	assert_no_leftovers "$id"
}
