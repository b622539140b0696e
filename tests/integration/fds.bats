#!/usr/bin/env bats
# fds.bats - which file descriptors reach the workload: stdio (passed
# through when there is no terminal), --preserve-fds N (fds 3..3+N-1, the
# same open files), systemd socket activation (LISTEN_FDS/LISTEN_PID for
# berth itself -> LISTEN_FDS=n, LISTEN_PID=1 and the fds inside), and no
# other fd of the caller's.

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	echo "contents of the preserved file" >"$BERTH_TEST_DIR/preserved"
	echo "second file" >"$BERTH_TEST_DIR/second"
}

teardown() {
	teardown_bundle
}

# fds of the container's pid 1 (the shell), one number a line, listed by a
# child (ls) so that the shell opens nothing for it
list_init_fds='echo fds; ls -1 /proc/1/fd; echo end'

# init_fds: those numbers from $output, on one line
init_fds() {
	echo "$output" | sed -n '/^fds$/,/^end$/p' | sed '1d;$d' | sort -n | tr '\n' ' '
}

@test "stdio without a terminal: stdin, stdout and stderr are the caller's" {
	set_sh 'read line; echo "out:$line"; echo "err:$line" >&2'
	berth run "$(ct_id)" <<<"from-stdin" >"$BERTH_TEST_DIR/stdout" 2>"$BERTH_TEST_DIR/stderr"
	[ "$(cat "$BERTH_TEST_DIR/stdout")" = "out:from-stdin" ]
	[ "$(cat "$BERTH_TEST_DIR/stderr")" = "err:from-stdin" ]
}

@test "no fd of the caller's but stdio reaches the workload" {
	set_sh "$list_init_fds"
	# bats' own fd 3 is open here, and these two as well
	run berth run "$(ct_id)" 5<"$BERTH_TEST_DIR/preserved" 7<"$BERTH_TEST_DIR/second"
	[ "$status" -eq 0 ]
	echo "$output"
	[ "$(init_fds)" = "0 1 2 " ]
}

@test "--preserve-fds 1: fd 3 is the caller's open file, readable inside" {
	set_sh "$list_init_fds; readlink /proc/1/fd/3; cat <&3"
	run berth run --preserve-fds 1 "$(ct_id)" 3<"$BERTH_TEST_DIR/preserved" 5<"$BERTH_TEST_DIR/second"
	[ "$status" -eq 0 ]
	echo "$output"
	[ "$(init_fds)" = "0 1 2 3 " ]
	# the link names the host file (outside the container's root)
	[[ "${lines[6]}" == */preserved ]]
	[ "${lines[7]}" = "contents of the preserved file" ]
}

@test "--preserve-fds 2: fds 3 and 4, in order" {
	set_sh 'cat <&3; cat <&4'
	run berth run --preserve-fds 2 "$(ct_id)" 3<"$BERTH_TEST_DIR/preserved" 4<"$BERTH_TEST_DIR/second"
	[ "$status" -eq 0 ]
	[ "$output" = "contents of the preserved file
second file" ]
}

@test "--preserve-fds with create/start: the fd survives until start" {
	local id
	id=$(ct_id)
	local mark=$BERTH_TEST_DIR/mark
	bind_dir "$mark" /mark
	set_sh 'cat <&3 > /mark/got'
	berth create --preserve-fds 1 "$id" 3<"$BERTH_TEST_DIR/preserved" </dev/null >/dev/null 2>&1
	berth start "$id"
	wait_file "$mark/got"
	[ "$(cat "$mark/got")" = "contents of the preserved file" ]
}

@test "--preserve-fds for a writable fd: the container writes into the caller's file" {
	set_sh 'echo written-through-fd3 >&3'
	: >"$BERTH_TEST_DIR/out"
	run berth run --preserve-fds 1 "$(ct_id)" 3>>"$BERTH_TEST_DIR/out"
	[ "$status" -eq 0 ]
	[ "$(cat "$BERTH_TEST_DIR/out")" = written-through-fd3 ]
}

@test "--preserve-fds N with fewer open fds fails, leaves nothing" {
	local id
	id=$(ct_id)
	set_args true
	run berth run --preserve-fds 5 "$id" 3<&- 4<&- 5<&- 6<&- 7<&-
	[ "$status" -ne 0 ]
	[[ "$output" == *preserve-fds* ]]
	assert_no_leftovers "$id"
}

# berth_activated N ARGS...: berth ARGS as systemd would start it: its own
# pid in LISTEN_PID (hence the exec), LISTEN_FDS=N
berth_activated() {
	local n=$1
	shift
	LISTEN_FDS=$n bash -c 'export LISTEN_PID=$$; exec "$@"' _ "$BERTH" --root "$BERTH_ROOT" "$@"
}

@test "LISTEN_FDS: the container sees LISTEN_FDS=1, LISTEN_PID=1 and fd 3" {
	set_sh 'echo "fds=$LISTEN_FDS pid=$LISTEN_PID"; cat <&3'
	run berth_activated 1 run "$(ct_id)" 3<"$BERTH_TEST_DIR/preserved"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "fds=1 pid=1" ]
	[ "${lines[1]}" = "contents of the preserved file" ]
}

@test "LISTEN_FDS plus --preserve-fds: the activation fds first, then the preserved ones" {
	set_sh 'echo "fds=$LISTEN_FDS"; cat <&3; cat <&4'
	run berth_activated 1 run --preserve-fds 1 "$(ct_id)" 3<"$BERTH_TEST_DIR/preserved" 4<"$BERTH_TEST_DIR/second"
	[ "$status" -eq 0 ]
	[ "$output" = "fds=1
contents of the preserved file
second file" ]
}

@test "LISTEN_FDS meant for another process (LISTEN_PID not berth's) is not passed on" {
	set_sh "echo \"fds=\$LISTEN_FDS\"; $list_init_fds"
	LISTEN_FDS=1 LISTEN_PID=1 run berth run "$(ct_id)" 3<"$BERTH_TEST_DIR/preserved"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "fds=" ]
	[ "$(init_fds)" = "0 1 2 " ]
}

@test "exec --preserve-fds 1: the exec'd process gets fd 3" {
	local id
	id=$(ct_id)
	set_args sleep 1000
	detached run -d "$id"
	run berth exec --preserve-fds 1 "$id" sh -c 'cat <&3; ls /proc/self/fd | wc -l' 3<"$BERTH_TEST_DIR/preserved"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "contents of the preserved file" ]
	# 0 1 2 3 and ls's own directory fd
	[ "${lines[1]}" -eq 5 ]
	run berth exec "$id" sh -c 'ls /proc/self/fd | wc -l' 3<"$BERTH_TEST_DIR/preserved"
	[ "${lines[0]}" -eq 4 ]
}

# created_init_fds ID: "FD:TARGET" for each fd of the created init, seen
# from the host, one line, sorted by fd; exec.fifo (at whatever number the
# state dir's open gave it) as "N:exec.fifo"
created_init_fds() {
	local pid fd target
	pid=$(state_field "$1" pid)
	for fd in $(ls -1 "/proc/$pid/fd" | sort -n); do
		target=$(readlink "/proc/$pid/fd/$fd")
		[ "$target" = "$BERTH_ROOT/$1/exec.fifo" ] && fd=N target=exec.fifo
		printf '%s:%s ' "$fd" "$target"
	done
}

@test "a created init holds no fd of its caller's: only stdio and exec.fifo" {
	local id fds
	id=$(ct_id)
	set_args true
	# a host file at 4 and a /dev/null at 10, as a shell or engine may leave them
	berth create "$id" 4>"$BERTH_TEST_DIR/host-file" 10</dev/null </dev/null >/dev/null 2>&1
	fds=$(created_init_fds "$id")
	echo "$fds"
	[ "$fds" = "0:/dev/null 1:/dev/null 2:/dev/null N:exec.fifo " ]
	# runc 1.1.5 holds more here (its log pipe and an epoll fd): not compared
	berth start "$id"
}

@test "a created init with --preserve-fds 1 and LISTEN_FDS=1: those, stdio and exec.fifo" {
	local id fds
	id=$(ct_id)
	set_args true
	berth_activated 1 create --preserve-fds 1 "$id" 3<"$BERTH_TEST_DIR/preserved" \
		4<"$BERTH_TEST_DIR/second" 6>"$BERTH_TEST_DIR/host-file" </dev/null >/dev/null 2>&1
	fds=$(created_init_fds "$id")
	echo "$fds"
	[ "$fds" = "0:/dev/null 1:/dev/null 2:/dev/null 3:$BERTH_TEST_DIR/preserved 4:$BERTH_TEST_DIR/second N:exec.fifo " ]
	berth start "$id"
}

@test "a created init holds no fd of the --log file engines pass (--log FILE --log-format json)" {
	local id fds
	id=$(ct_id)
	set_args true
	berth --log "$BERTH_TEST_DIR/log.json" --log-format json --debug create "$id" </dev/null >/dev/null 2>&1
	fds=$(created_init_fds "$id")
	echo "$fds"
	[ "$fds" = "0:/dev/null 1:/dev/null 2:/dev/null N:exec.fifo " ]
	# the init did log there before it let go of the file
	grep -q '"level":"debug"' "$BERTH_TEST_DIR/log.json"
	berth start "$id"
}
