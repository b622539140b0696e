#!/usr/bin/env bats
# checkpoint.bats - checkpoint and restore on this host: what does not need
# a working CRIU (the host kernel may be newer than CRIU supports; the
# dumps and restores themselves run in tests/vm/criu-tests.sh): runc's
# flags and refusals, nothing left behind by a refused restore, features,
# and the two init behaviours CRIU needs (a session of its own, stdio that
# was the host's /dev/null reopened inside), each compared with runc.

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	chmod 0755 "$ROOTFS"
	ID=$(ct_id)
	IMG=$BERTH_TEST_DIR/img
}

teardown() {
	runc --root "$BERTH_TEST_DIR/runc" delete -f "$ID" >/dev/null 2>&1 || true
	teardown_bundle
}

runc_() { runc --root "$BERTH_TEST_DIR/runc" "$@"; }

# runc's error line without its logrus decoration
runc_msg() { sed -n 's/.*msg="\(.*\)"$/\1/p' <<<"$1" | tail -n 1; }

@test "checkpoint of a created container: runc's refusal, the container untouched" {
	set_args sleep 1000
	berth create "$ID" </dev/null >/dev/null 2>&1
	run berth checkpoint --image-path "$IMG" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == "berth: Container cannot be checkpointed in created state" ]]
	[ "$(state_field "$ID" status)" = created ]
	runc_ create "$ID" </dev/null >/dev/null 2>&1
	run runc_ checkpoint --image-path "$IMG-runc" "$ID"
	[ "$(runc_msg "$output")" = "Container cannot be checkpointed in created state" ]
}

@test "checkpoint of a missing container: container does not exist" {
	run berth checkpoint --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container $ID does not exist"* ]]
}

@test "checkpoint --parent-path: absolute or missing is refused in runc's words" {
	set_args sleep 1000
	detached run -d "$ID"
	runc_ run -d "$ID" </dev/null >/dev/null 2>&1
	run berth checkpoint --image-path "$IMG" --parent-path /abs "$ID"
	[ "$status" -ne 0 ]
	[ "$output" = "berth: --parent-path must be relative" ]
	run runc_ checkpoint --image-path "$IMG" --parent-path /abs "$ID"
	[ "$(runc_msg "$output")" = "--parent-path must be relative" ]
	run berth checkpoint --image-path "$IMG" --parent-path nothere "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == "berth: invalid --parent-path: stat $IMG/nothere: no such file or directory" ]]
	run runc_ checkpoint --image-path "$IMG" --parent-path nothere "$ID"
	# runc prints Go's lower-case strerror; the rest is the same.
	[ "$(runc_msg "$output")" = "invalid --parent-path: stat $IMG/nothere: no such file or directory" ]
	[ "$(state_field "$ID" status)" = running ]
}

@test "checkpoint/restore: bad --manage-cgroups-mode and --empty-ns are refused" {
	run berth checkpoint --manage-cgroups-mode bogus "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Invalid manage cgroups mode"* ]]
	run berth restore --empty-ns ipc "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *'namespace "ipc" is not supported'* ]]
	assert_no_leftovers "$ID"
}

# runc parses --page-server after it has decided to destroy the container
# (a checkpoint without --leave-running), so a bad value also removes the
# runc container; berth refuses it before touching the container, as it
# does a bad --manage-cgroups-mode. The messages are runc's.
@test "checkpoint --page-server: a bad ADDRESS:PORT is refused in runc's words" {
	set_args sleep 1000
	detached run -d "$ID"
	local v want
	for v in nohost :123 1.2.3.4: a:b:1 [::1]x '[::1]:' 1.2.3.4:abc 1.2.3.4:1x '1.2.3.4: 1'; do
		case $v in *:abc | *:1x | *': 1') want="Invalid port number" ;;
		*) want="Use --page-server ADDRESS:PORT to specify page server" ;;
		esac
		run berth checkpoint --image-path "$IMG" --page-server "$v" "$ID"
		[ "$status" -ne 0 ]
		[ "$output" = "berth: $want" ] || { echo "berth $v: $output"; return 1; }
		runc_ run -d "$ID" </dev/null >/dev/null 2>&1
		run runc_ checkpoint --image-path "$IMG-runc" --page-server "$v" "$ID"
		[ "$(runc_msg "$output")" = "$want" ] || { echo "runc $v: $output"; return 1; }
		runc_ delete -f "$ID" >/dev/null 2>&1 || true
	done
	[ "$(state_field "$ID" status)" = running ]
	[ ! -e "$IMG" ]
}

@test "restore from a missing image dir: runc's message, nothing left behind" {
	set_args sleep 1000
	run berth restore -d --image-path "$BERTH_TEST_DIR/nothere" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[ "$output" = "berth: open $BERTH_TEST_DIR/nothere/descriptors.json: no such file or directory" ]
	assert_no_leftovers "$ID"
	run runc_ restore -d --image-path "$BERTH_TEST_DIR/nothere" "$ID"
	[[ "$(runc_msg "$output")" == "open $BERTH_TEST_DIR/nothere/descriptors.json: no such file"* ]]
}

@test "restore onto an existing ID is refused and the container is untouched" {
	set_args sleep 1000
	detached run -d "$ID"
	local pid
	pid=$(state_field "$ID" pid)
	mkdir -p "$IMG"
	echo '["/dev/null","/dev/null","/dev/null"]' >"$IMG/descriptors.json"
	run berth restore -d --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container with id exists: $ID"* ]]
	[ "$(state_field "$ID" status)" = running ]
	[ "$(state_field "$ID" pid)" = "$pid" ]
	mountpoint -q "$BERTH_ROOT/$ID/criu-root" && return 1
	[ ! -e "$BERTH_ROOT/$ID/criu-root" ]
}

@test "features: checkpoint enabled exactly when criu check passes" {
	run berth features
	[ "$status" -eq 0 ]
	local want=false
	if command -v criu >/dev/null && criu check >/dev/null 2>&1; then want=true; fi
	grep -q "\"io.berth.checkpoint.enabled\": \"$want\"" <<<"$output"
}

@test "checkpoint --help and restore --help list runc's flags" {
	run berth checkpoint --help
	for f in image-path work-path parent-path leave-running tcp-established ext-unix-sk \
		shell-job lazy-pages status-fd page-server file-locks pre-dump manage-cgroups-mode empty-ns auto-dedup; do
		grep -q -- "--$f" <<<"$output" || { echo "checkpoint: no --$f"; return 1; }
	done
	run berth restore --help
	for f in image-path work-path bundle detach pid-file console-socket no-subreaper no-pivot \
		tcp-established ext-unix-sk shell-job file-locks manage-cgroups-mode empty-ns \
		auto-dedup lsm-profile lsm-mount-context; do
		grep -q -- "--$f" <<<"$output" || { echo "restore: no --$f"; return 1; }
	done
}

@test "the init leads its own session, as runc's does (CRIU needs the leader inside)" {
	set_sh 'set -- $(cat /proc/1/stat); echo "sid=$6"'
	run berth run "$ID" </dev/null
	echo "$output"
	[ "$output" = "sid=1" ]
	run runc_ run "$ID" </dev/null
	[ "$output" = "sid=1" ]
}

@test "stdio that is the host's /dev/null is the container's own /dev/null, as with runc -d" {
	set_sh '[ "$(stat -L -c %d /proc/self/fd/0)" = "$(stat -c %d /dev/null)" ] && echo inside >/out/r || echo host >/out/r'
	mkdir -p "$BERTH_TEST_DIR/out"
	bind_dir "$BERTH_TEST_DIR/out" /out
	berth run -d "$ID" </dev/null >/dev/null 2>&1
	wait_file "$BERTH_TEST_DIR/out/r"
	[ "$(cat "$BERTH_TEST_DIR/out/r")" = inside ]
	rm "$BERTH_TEST_DIR/out/r"
	runc_ run -d "$ID" </dev/null >/dev/null 2>&1
	wait_file "$BERTH_TEST_DIR/out/r"
	[ "$(cat "$BERTH_TEST_DIR/out/r")" = inside ]
}
