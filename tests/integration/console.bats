#!/usr/bin/env bats
# console.bats - process.terminal: the pty master handed to a
# --console-socket (received by tests/helpers/recvtty, which copies what the
# container writes), the container's stdio being that terminal, consoleSize,
# exec -t, run's own pty proxy, and the refused combinations.

load helpers
load ct_helpers

setup() {
	require_root
	[ -x "$RECVTTY" ] || skip "recvtty helper not built at $RECVTTY"
	setup_bundle default
	update_config 'c["process"]["terminal"] = True'
	SOCK=$BERTH_TEST_DIR/console.sock
	TTYOUT=$BERTH_TEST_DIR/tty.out
	RECV_PID=
}

teardown() {
	if [ -n "$RECV_PID" ] && kill -0 "$RECV_PID" 2>/dev/null; then
		kill "$RECV_PID" 2>/dev/null || true
	fi
	teardown_bundle
}

# start_recvtty [RECVTTY-FLAGS]: listen on $SOCK, output to $TTYOUT
start_recvtty() {
	rm -f "$SOCK"
	# 3>&-: bats waits for its fd 3 to close before finishing the test
	"$RECVTTY" "$@" -o "$TTYOUT" -n "$BERTH_TEST_DIR/tty.name" "$SOCK" 3>&- &
	RECV_PID=$!
	local tries=100
	while [ ! -S "$SOCK" ] && [ $tries -gt 0 ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	[ -S "$SOCK" ]
}

# wait_recvtty: until the last slave closed; its exit status
wait_recvtty() {
	local rc=0
	wait "$RECV_PID" || rc=$?
	RECV_PID=
	return $rc
}

@test "create --console-socket: the workload's stdio is the pty whose master was received" {
	local id
	id=$(ct_id)
	set_sh 'tty; for f in 0 1 2; do [ -t $f ] && echo "fd$f-tty"; done; readlink /proc/self/fd/0'
	start_recvtty
	run berth create --console-socket "$SOCK" "$id"
	[ "$status" -eq 0 ]
	run berth start "$id"
	[ "$status" -eq 0 ]
	wait_recvtty
	local out
	out=$(tr -d '\r' <"$TTYOUT")
	echo "$out"
	[ "$(echo "$out" | sed -n 1p)" = /dev/pts/0 ]
	[ "$(echo "$out" | sed -n 2,4p | tr '\n' ' ')" = "fd0-tty fd1-tty fd2-tty " ]
	[ "$(echo "$out" | sed -n 5p)" = /dev/pts/0 ]
	# the message's payload names a pty too
	[[ "$(cat "$BERTH_TEST_DIR/tty.name")" == /dev/pts/* || "$(cat "$BERTH_TEST_DIR/tty.name")" == *ptmx* ]]
	wait_status "$id" stopped
}

@test "console: input written to the master reaches the workload" {
	local id
	id=$(ct_id)
	set_sh 'read line; echo "got:$line"'
	start_recvtty -i $'hello-pty\n'
	detached run -d --console-socket "$SOCK" "$id"
	wait_recvtty
	grep -q '^got:hello-pty' <(tr -d '\r' <"$TTYOUT")
}

@test "console: /dev/console inside is the container's terminal" {
	local id
	id=$(ct_id)
	set_sh 'stat -c "%t %T" /dev/console; stat -c "%t %T" "$(tty)"'
	start_recvtty
	detached run -d --console-socket "$SOCK" "$id"
	wait_recvtty
	local out
	out=$(tr -d '\r' <"$TTYOUT")
	echo "$out"
	# same device numbers as the pts, major 136
	[ "$(echo "$out" | sed -n 1p)" = "$(echo "$out" | sed -n 2p)" ]
	[ "$(echo "$out" | sed -n 1p | cut -d' ' -f1)" = 88 ]
}

@test "console: consoleSize sets the terminal's rows and columns" {
	local id
	id=$(ct_id)
	update_config 'c["process"]["consoleSize"] = {"height": 40, "width": 100}'
	set_sh 'stty size'
	start_recvtty
	detached run -d --console-socket "$SOCK" "$id"
	wait_recvtty
	[ "$(tr -d '\r' <"$TTYOUT")" = "40 100" ]
}

# runc's text says "if runc will detach"; berth names itself. No engine
# matches these texts: engines always hand a console socket over.
@test "create with terminal and no console socket fails with runc's message (naming berth), leaves nothing" {
	local id
	id=$(ct_id)
	set_args true
	run berth create "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot allocate tty if berth will detach without setting console socket"* ]]
	assert_no_leftovers "$id"
	run berth run -d "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot allocate tty if berth will detach without setting console socket"* ]]
	assert_no_leftovers "$id"
}

@test "a console socket without terminal is refused, leaves nothing" {
	local id
	id=$(ct_id)
	update_config 'c["process"]["terminal"] = False'
	set_args true
	start_recvtty
	run berth create --console-socket "$SOCK" "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot use console socket if berth will not detach or allocate tty"* ]]
	assert_no_leftovers "$id"
}

@test "a console socket nobody listens on fails create and leaves nothing" {
	local id
	id=$(ct_id)
	set_args true
	run berth create --console-socket "$BERTH_TEST_DIR/nobody.sock" "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *nobody.sock* ]]
	assert_no_leftovers "$id"
}

@test "exec -t --console-socket: the exec'd process gets its own pty" {
	local id
	id=$(ct_id)
	update_config 'c["process"]["terminal"] = False'
	set_args sleep 1000
	detached run -d "$id"
	start_recvtty
	run berth exec -t --console-socket "$SOCK" "$id" sh -c '[ -t 0 ] && [ -t 1 ] && echo exec-on-tty; tty'
	[ "$status" -eq 0 ]
	wait_recvtty
	local out
	out=$(tr -d '\r' <"$TTYOUT")
	echo "$out"
	[ "$(echo "$out" | sed -n 1p)" = exec-on-tty ]
	[[ "$(echo "$out" | sed -n 2p)" == /dev/pts/* ]]
}

@test "exec -t -d without a console socket is refused (naming berth)" {
	local id
	id=$(ct_id)
	update_config 'c["process"]["terminal"] = False'
	set_args sleep 1000
	detached run -d "$id"
	run berth exec -t -d "$id" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot allocate tty if berth will detach without setting console socket"* ]]
}

@test "foreground run with a terminal proxies the pty to berth's stdout" {
	local id
	id=$(ct_id)
	set_sh 'tty; echo via-proxy; exit 3'
	run berth run "$id" </dev/null
	[ "$status" -eq 3 ]
	local out
	out=$(echo "$output" | tr -d '\r')
	[[ "$out" == *"/dev/pts/0"* ]]
	[[ "$out" == *via-proxy* ]]
	assert_no_leftovers "$id"
}

# tty_of CMD...: CMD (a create/run -d/exec -d with --console-socket $SOCK)
# under a fresh recvtty; what the container wrote to its terminal, \r-less
tty_of() {
	start_recvtty
	"$@" </dev/null >/dev/null 2>&1
	wait_recvtty
	tr -d '\r' <"$TTYOUT"
}

pty_stat='stat -c "%a %u %g" "$(tty)"'

@test "console: a non-root user owns its pty, group tty, mode 0620 (as runc)" {
	local id out
	id=$(ct_id)
	update_config 'c["process"]["user"] = {"uid": 1000, "gid": 1000}'
	set_sh "$pty_stat"
	grep -q '^tty:x:5:' "$ROOTFS/etc/group"
	out=$(tty_of berth run -d --console-socket "$SOCK" "$id")
	echo "berth: $out"
	[ "$out" = "620 1000 5" ]
	if command -v runc >/dev/null; then
		out=$(tty_of runc --root "$BERTH_TEST_DIR/runc" run -d --console-socket "$SOCK" "$id-runc")
		runc --root "$BERTH_TEST_DIR/runc" delete -f "$id-runc" >/dev/null 2>&1 || true
		echo "runc: $out"
		[ "$out" = "620 1000 5" ]
	fi
}

@test "console: without a tty group in the container the pty's group is the user's" {
	local id out
	id=$(ct_id)
	sed -i '/^tty:/d' "$ROOTFS/etc/group"
	update_config 'c["process"]["user"] = {"uid": 1000, "gid": 1001}'
	set_sh "$pty_stat"
	out=$(tty_of berth run -d --console-socket "$SOCK" "$id")
	echo "$out"
	# runc leaves devpts' gid=5 here: a group the container does not know
	[ "$out" = "620 1000 1001" ]
}

@test "exec -t --user: the exec'd process owns its pty" {
	local id out
	id=$(ct_id)
	update_config 'c["process"]["terminal"] = False'
	set_args sleep 1000
	detached run -d "$id"
	out=$(tty_of berth exec -d -t --user 1000:1000 --console-socket "$SOCK" "$id" sh -c "$pty_stat")
	echo "$out"
	[ "$out" = "620 1000 5" ]
}

@test "exec -t -p process.json: consoleSize is honoured (a process.json with no user, as runc)" {
	local id out
	id=$(ct_id)
	update_config 'c["process"]["terminal"] = False'
	set_args sleep 1000
	detached run -d "$id"
	cat >"$BERTH_TEST_DIR/process.json" <<'JSON'
{"terminal": true, "consoleSize": {"height": 33, "width": 77}, "args": ["stty", "size"], "cwd": "/", "env": ["PATH=/bin:/usr/bin"]}
JSON
	out=$(tty_of berth exec -d -t -p "$BERTH_TEST_DIR/process.json" --console-socket "$SOCK" "$id")
	echo "berth: $out"
	[ "$out" = "33 77" ]
	if command -v runc >/dev/null; then
		runc --root "$BERTH_TEST_DIR/runc" run -d "$id-runc" </dev/null >/dev/null 2>&1
		out=$(tty_of runc --root "$BERTH_TEST_DIR/runc" exec -d -t -p "$BERTH_TEST_DIR/process.json" --console-socket "$SOCK" "$id-runc")
		runc --root "$BERTH_TEST_DIR/runc" delete -f "$id-runc" >/dev/null 2>&1 || true
		echo "runc: $out"
		[ "$out" = "33 77" ]
	fi
}

# in_tty 'CMD': CMD run by script(1) on a pty of 11 rows and 22 columns
# (the caller's terminal); what it printed, without \r, and without the
# "^@" the pty echoes when script(1) passes on the end of its stdin
in_tty() {
	script -qec "stty rows 11 cols 22; $1" /dev/null </dev/null | tr -d '\r' | sed 's/\^@//g; /^$/d'
}

@test "foreground exec -t: the pty starts at the caller's size, or at process.json's consoleSize" {
	command -v script >/dev/null || skip "script(1) not installed"
	local id b="$BERTH --root $BERTH_ROOT"
	id=$(ct_id)
	update_config 'c["process"]["terminal"] = False'
	set_args sleep 1000
	detached run -d "$id"
	# set before the process runs: no resize racing with its first look
	for i in 1 2 3; do
		[ "$(in_tty "$b exec -t $id stty size")" = "11 22" ]
	done
	cat >"$BERTH_TEST_DIR/process.json" <<'JSON'
{"terminal": true, "consoleSize": {"height": 33, "width": 77}, "args": ["stty", "size"], "cwd": "/"}
JSON
	for i in 1 2 3; do
		[ "$(in_tty "$b exec -t -p $BERTH_TEST_DIR/process.json $id")" = "33 77" ]
	done
}

@test "foreground run -t: the pty starts at the caller's size, or at consoleSize" {
	command -v script >/dev/null || skip "script(1) not installed"
	local b="$BERTH --root $BERTH_ROOT"
	set_args stty size
	local out
	out=$(in_tty "$b run $(ct_id a)")
	echo "run: $out"
	[ "$out" = "11 22" ]
	update_config 'c["process"]["consoleSize"] = {"height": 44, "width": 55}'
	[ "$(in_tty "$b run $(ct_id b)")" = "44 55" ]
}
