#!/usr/bin/env bats
# compat-cli.bats - output and messages that scripts and engines match,
# compared with runc where it is installed: `list --format json` field
# order, `kill` of a stopped container (an error) and `kill -a` of one (not
# an error), `kill ID 0` (an existence check), an unknown command with -h,
# and `--debug --log FILE exec` writing its debug lines to FILE.

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	RUNC_ROOT=$BERTH_TEST_DIR/runc-state
}

teardown() {
	teardown_runc
	teardown_bundle
}

have_runc() {
	command -v runc >/dev/null
}

# json_keys: the keys of each object of the JSON array on stdin, in order
json_keys() {
	python3 -c 'import json, sys
for o in json.load(sys.stdin): print(",".join(o))'
}

@test "list --format json: runc's field order" {
	local id
	id=$(ct_id)
	set_args sleep 1000
	detached run -d "$id"
	run berth list --format json
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | json_keys)" = "ociVersion,id,pid,status,bundle,rootfs,created,owner" ]
	if have_runc; then
		runc --root "$RUNC_ROOT" run -d "$id-runc" </dev/null >/dev/null 2>&1
		run runc --root "$RUNC_ROOT" list --format json
		[ "$(echo "$output" | json_keys)" = "ociVersion,id,pid,status,bundle,rootfs,created,owner" ]
	fi
}

# stopped ID: run -d a short container and wait until it is stopped
stopped() {
	set_args true
	detached run -d "$1"
	wait_status "$1" stopped
}

@test "kill: a stopped container fails with 'container not running', kill -a succeeds (as runc)" {
	local id
	id=$(ct_id)
	stopped "$id"
	run berth kill "$id" KILL
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not running"* ]]
	run berth kill -a "$id" KILL
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(state_field "$id" status)" = stopped ]
	if have_runc; then
		runc --root "$RUNC_ROOT" run -d "$id-runc" </dev/null >/dev/null 2>&1
		local tries=50
		while [ "$tries" -gt 0 ] && runc --root "$RUNC_ROOT" state "$id-runc" | grep -q running; do
			sleep 0.1
			tries=$((tries - 1))
		done
		run runc --root "$RUNC_ROOT" kill "$id-runc" KILL
		[ "$status" -eq 1 ]
		[[ "$output" == *"container not running"* ]]
		run runc --root "$RUNC_ROOT" kill -a "$id-runc" KILL
		[ "$status" -eq 0 ]
	fi
}

@test "an unknown command, with or without -h: runc's 'No help topic' line and exit code 3" {
	local want="level=error msg=\"No help topic for 'foo'\\n\""
	for args in "foo -h" "foo" "foo --help" "help foo"; do
		# shellcheck disable=SC2086
		run "$BERTH" $args
		echo "berth $args: $status $output"
		[ "$status" -eq 3 ]
		[[ "$output" == *"$want" ]]
		[ "${#lines[@]}" -eq 1 ]
		if have_runc; then
			# shellcheck disable=SC2086
			run runc $args
			[ "$status" -eq 3 ]
			[[ "$output" == *"$want" ]]
		fi
	done
}

@test "--debug --log FILE exec: the debug lines go to FILE, none to stderr" {
	local id
	id=$(ct_id)
	set_args sleep 1000
	detached run -d "$id"
	"$BERTH" --root "$BERTH_ROOT" --debug --log "$BERTH_TEST_DIR/exec.log" exec "$id" true \
		2>"$BERTH_TEST_DIR/exec.err"
	cat "$BERTH_TEST_DIR/exec.log"
	[ ! -s "$BERTH_TEST_DIR/exec.err" ]
	grep -q "level=debug msg=\"exec in container $id" "$BERTH_TEST_DIR/exec.log"
	grep -q 'level=debug msg="exec process pid [0-9]* exited: status 0"' "$BERTH_TEST_DIR/exec.log"
	# without --debug: nothing
	"$BERTH" --root "$BERTH_ROOT" --log "$BERTH_TEST_DIR/quiet.log" exec "$id" true
	[ ! -s "$BERTH_TEST_DIR/quiet.log" ]
}

@test "kill ID 0: an existence check, as runc (0 when running, 'container not running' once stopped)" {
	local id
	id=$(ct_id)
	set_args sleep 1000
	detached run -d "$id"
	run berth kill "$id" 0
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(state_field "$id" status)" = running ]
	berth kill "$id" KILL
	wait_status "$id" stopped
	run berth kill "$id" 0
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not running"* ]]
	if have_runc; then
		runc --root "$RUNC_ROOT" run -d "$id-runc" </dev/null >/dev/null 2>&1
		run runc --root "$RUNC_ROOT" kill "$id-runc" 0
		[ "$status" -eq 0 ]
	fi
}

@test "exec into a paused container, and exec with no command: the flag to use is named, as runc names it" {
	local id
	id=$(ct_id)
	set_args sleep 1000
	berth run -d "$id" </dev/null >/dev/null 2>&1
	berth pause "$id"
	run berth exec "$id" true
	echo "$output"
	[ "$status" -ne 0 ]
	[ "$output" = "berth: cannot exec in a paused container (use --ignore-paused to override)" ]
	berth resume "$id"
	run berth exec "$id"
	echo "$output"
	[ "$status" -ne 0 ]
	[ "$output" = "berth: exec: no command given (args or --process)" ]
	berth delete -f "$id"
	if have_runc; then
		runc --root "$RUNC_ROOT" run -d "$id-runc" </dev/null >/dev/null 2>&1
		runc --root "$RUNC_ROOT" pause "$id-runc"
		run runc --root "$RUNC_ROOT" exec "$id-runc" true
		echo "$output"
		[[ "$output" == *"cannot exec in a paused container (use --ignore-paused to override)"* ]]
		runc --root "$RUNC_ROOT" resume "$id-runc"
	fi
}
