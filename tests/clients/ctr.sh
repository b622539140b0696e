# tests/clients/ctr.sh: scenarios where containerd's runc shim
# (io.containerd.runc.v2, driven by ctr) calls the runtime under test.
# Sourced like podman.sh; cctr() (setup.sh) talks to the private containerd.
#
# The shim always passes --root/--log/--log-format json, runs
# `kill --all`, `ps --format json`, `delete` then `delete --force`, and leaves
# an unrelated socket on fd 3 that must not reach the container.

CTR_SCENARIOS="run_rm tty_env_cwd limits_seccomp detached_lifecycle"

CIMG=localhost/bbox:test

# ctr run with the runtime under test and a state root in the temp dir.
ctrr() {
	cctr run --runc-binary "$CT_RUNTIME_CALLED" --runc-root "$CT_TMP/ctr-runtime-root" \
		--snapshotter native "$@"
}

ctr_cmdline() {
	printf '%q ' ctr --address "$CT_TMP/containerd/containerd.sock" --namespace "berth-clients-$CT_RUN_ID" "$@"
}

ctr_status() { cctr task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'; }
ctr_is() { [ "$(ctr_status "$1")" = "$2" ]; }

# ctr_gone ID: no task, no container, no runtime state, no cgroup.
ctr_gone() {
	cctr containers ls -q | grep -qx "$1" && fail "container $1 still listed"
	expect_removed "$1"
}

sc_run_rm() {
	expect_rc "ctr run --rm" 0 ctrr --rm $CIMG c-hello echo hello-from-ctr
	expect_eq "output" "$OUT" "hello-from-ctr"
	ctr_gone c-hello
	expect_rc "exit status propagates" 3 ctrr --rm $CIMG c-rc sh -c 'exit 3'
	ctr_gone c-rc
	# The shim's own socket sits on fd 3 when it calls the runtime: the
	# container's process must only have its stdio.
	expect_rc "fd listing" 0 ctrr --rm $CIMG c-fds sh -c 'ls -l /proc/$$/fd'
	expect_nomatch "no socket leaked into the container" "$OUT" "socket:"
	expect_nomatch "no fd 3" "$OUT" " 3 -> "
	ctr_gone c-fds
}

sc_tty_env_cwd() {
	local out
	out=$(script -qec "$(ctr_cmdline run --runc-binary "$CT_RUNTIME_CALLED" --runc-root "$CT_TMP/ctr-runtime-root" --snapshotter native --rm -t $CIMG c-tty sh -c 'sleep 0.5; tty; [ -t 0 ] && echo stdin-is-tty')" /dev/null </dev/null 2>&1) ||
		fail "ctr run -t failed: $out"
	echo "$out"
	expect_match "ctr run -t has a pty" "$out" "/dev/pts/[0-9]+"
	expect_match "stdin is the tty" "$out" "stdin-is-tty"
	ctr_gone c-tty
	expect_rc "env, cwd, read-only" 0 ctrr --rm --read-only --env CT_VAR=ctr-value --cwd /home $CIMG c-env \
		sh -c 'echo "$CT_VAR|$(pwd)"; touch /newfile 2>&1 || true'
	expect_match "env and cwd" "$OUT" "^ctr-value\\|/home"
	expect_match "read-only rootfs" "$OUT" "Read-only file system"
	ctr_gone c-env
}

sc_limits_seccomp() {
	local pid cg
	cctr tasks rm -f c-lim >/dev/null 2>&1 || true
	cctr containers rm c-lim >/dev/null 2>&1 || true
	run_ok ctrr -d --memory-limit 67108864 --cpu-quota 50000 --cpu-period 100000 --seccomp $CIMG c-lim sleep 1000
	wait_for "c-lim running" 10 ctr_is c-lim RUNNING
	pid=$(cctr task ls | awk '$1 == "c-lim" { print $2 }')
	# ctr's default spec gives no per-controller view inside: read the host's.
	cg=$(cgroup_dir_of "$pid" memory)
	expect_eq "memory limit" "$(cat "$cg/memory.limit_in_bytes")" "67108864"
	cg=$(cgroup_dir_of "$pid" cpu)
	expect_eq "cpu quota" "$(cat "$cg/cpu.cfs_quota_us")" "50000"
	run_ok cctr task exec --exec-id e1 c-lim sh -c 'grep -E "^(Seccomp|CapEff):" /proc/self/status'
	expect_match "seccomp filter" "$OUT" "Seccomp:[[:space:]]+2"
	expect_match "default caps (not all)" "$OUT" "CapEff:[[:space:]]+00000000a80425fb"
	run_ok cctr task kill -s SIGKILL c-lim
	wait_for "c-lim stopped" 10 ctr_is c-lim STOPPED
	run_ok cctr task rm c-lim
	run_ok cctr containers rm c-lim
	ctr_gone c-lim
}

sc_detached_lifecycle() {
	local pid
	cctr tasks rm -f c-det >/dev/null 2>&1 || true
	cctr containers rm c-det >/dev/null 2>&1 || true
	run_ok ctrr -d $CIMG c-det sh -c 'sleep 1000 & exec sleep 1001'
	wait_for "c-det running" 10 ctr_is c-det RUNNING
	pid=$(cctr task ls | awk '$1 == "c-det" { print $2 }')
	echo "task pid $pid"

	expect_rc "exec exit status" 5 cctr task exec --exec-id e1 c-det sh -c 'echo in-exec; exit 5'
	expect_match "exec output" "$OUT" "in-exec"
	run_ok cctr task exec --exec-id e2 --user 1000:1000 --cwd /tmp c-det sh -c 'id -u; pwd'
	expect_eq "exec --user --cwd" "$(echo $OUT)" "1000 /tmp"
	local out
	out=$(script -qec "$(ctr_cmdline task exec -t --exec-id e3 c-det sh -c 'tty; sleep 0.5')" /dev/null </dev/null 2>&1) ||
		fail "exec -t failed: $out"
	expect_match "exec -t has a pty" "$out" "/dev/pts/[0-9]+"
	run_ok cctr task exec --exec-id e4 c-det ls -l /proc/1/fd
	expect_nomatch "pid 1 has no leaked socket" "$OUT" "socket:"
	expect_rc "exec of a missing binary fails" 1 cctr task exec --exec-id e5 c-det /no/such/binary
	expect_match "error reaches ctr" "$OUT" "no such file|not found"

	run_ok cctr task ps c-det
	expect_match "ps lists the init pid" "$OUT" "(^|[[:space:]])$pid([[:space:]]|$)"
	[ "$(echo "$OUT" | grep -cE '^[0-9]+')" -ge 2 ] || fail "ps lists fewer than 2 processes: $OUT"
	echo "ok: ps lists both processes"

	run_ok cctr task metrics c-det
	expect_match "metrics from the task's cgroup" "$OUT" "memory|pids"

	run_ok cctr task pause c-det
	expect_eq "status after pause" "$(ctr_status c-det)" "PAUSED"
	expect_eq "frozen" "$(freezer_state "$pid")" "FROZEN"
	run_ok cctr task resume c-det
	expect_eq "status after resume" "$(ctr_status c-det)" "RUNNING"
	expect_eq "thawed" "$(freezer_state "$pid")" "THAWED"

	run_ok cctr task kill --all -s SIGKILL c-det
	wait_for "c-det stopped" 10 ctr_is c-det STOPPED
	# The shim still asks the runtime to kill a stopped init and must be told
	# "container not running" (or similar) to report "already finished".
	expect_rc "kill of a stopped task" 1 cctr task kill -s SIGKILL c-det
	expect_match "shim recognised the runtime's error" "$OUT" "process already finished|not found"
	run_ok cctr task rm c-det
	run_ok cctr containers rm c-det
	ctr_gone c-det
}
