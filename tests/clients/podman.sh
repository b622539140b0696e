# tests/clients/podman.sh: scenarios where rootful podman (through conmon)
# drives the runtime under test. Sourced by run.sh (for the list) and by each
# scenario's own shell (for the function); uses pm() from setup.sh, which
# keeps podman on the test's private root, runroot and configuration.
#
# Each sc_* checks an effect inside the container or on the host.

PODMAN_SCENARIOS="run_rm exit_code detached_exec interactive memory_oom pids pause stats
readonly cap_drop user env_workdir bind_mounts tmpfs sysctl device ulimit seccomp
preserve_fds update pod"

IMG=localhost/bbox:test

# pm_cmdline: the pm() call as one quoted shell string (for script(1)).
pm_cmdline() {
	printf '%q ' podman --root "$CT_TMP/podman/root" --runroot "$CT_TMP/podman/runroot" \
		--tmpdir "$CT_TMP/podman/tmp" --runtime "$CT_RUNTIME_CALLED" \
		--cgroup-manager cgroupfs --events-backend file \
		--network-config-dir "$CT_TMP/podman/networks" "$@"
}

# pm_rm_checked NAME: remove a container and check the runtime left nothing.
pm_rm_checked() {
	local id
	id=$(pm inspect --format '{{.Id}}' "$1")
	run_ok pm rm -f -t 0 "$1"
	expect_removed "$id"
}

pm_state() { pm inspect --format '{{.State.Status}}' "$1" 2>/dev/null; }
pm_is() { [ "$(pm_state "$1")" = "$2" ]; }

sc_run_rm() {
	rm -f "$CT_TMP/rr.cid"
	expect_rc "run --rm" 0 pm run --rm --cidfile "$CT_TMP/rr.cid" --name rr $IMG echo hello-from-container
	expect_eq "output" "$OUT" "hello-from-container"
	local id
	id=$(cat "$CT_TMP/rr.cid")
	expect_eq "container listed after --rm" "$(pm ps -a -q --filter name=rr)" ""
	expect_removed "$id"
}

sc_exit_code() {
	expect_rc "exit 42 propagates" 42 pm run --rm $IMG sh -c 'exit 42'
	expect_rc "exit 0" 0 pm run --rm $IMG true
	expect_rc "missing executable" 127 pm run --rm $IMG /no/such/binary
	expect_match "message for missing executable" "$OUT" "no such file or directory|not found"
	expect_rc "non-executable file" 126 pm run --rm $IMG /etc/passwd
	expect_match "message for non-executable" "$OUT" "[Pp]ermission denied"
	expect_rc "command not in PATH" 127 pm run --rm $IMG no-such-command-anywhere
	expect_match "message for PATH lookup" "$OUT" "executable file not found in \\\$PATH|not found"
}

sc_detached_exec() {
	local id pid cg
	pm rm -f -t 0 det >/dev/null 2>&1 || true
	run_ok pm run -d --name det $IMG sh -c 'echo started; trap "echo got-term; exit 0" TERM; trap "echo got-usr1" USR1; while :; do sleep 0.2; done'
	id=$OUT
	wait_for "det running" 10 pm_is det running
	pid=$(pm inspect --format '{{.State.Pid}}' det)
	cg=$(cgroup_dir_of "$pid" memory)
	[ -d "$cg" ] || fail "no memory cgroup $cg for pid $pid"
	echo "ok: container pid $pid in $cg"
	wait_for "log line" 10 sh -c "$(pm_cmdline logs det) | grep -q started"

	run_ok pm exec det cat /proc/1/cmdline
	expect_match "exec sees pid 1" "$OUT" "^sh"
	run_ok pm exec -t det tty
	expect_match "exec -t gets a pty" "$OUT" "^/dev/pts/[0-9]+"
	run_ok pm exec --user 1000:1000 det id
	expect_match "exec --user" "$OUT" "uid=1000.*gid=1000"
	run_ok pm exec -w /home det pwd
	expect_eq "exec -w" "$OUT" "/home"
	run_ok pm exec -e EXEC_VAR=v1 det sh -c 'echo $EXEC_VAR'
	expect_eq "exec -e" "$OUT" "v1"
	expect_rc "exec exit code" 7 pm exec det sh -c 'exit 7'
	expect_rc "exec missing binary" 127 pm exec det /no/such/binary
	run_ok pm exec -d det sh -c 'echo detached-exec > /tmp/dexec'
	wait_for "detached exec wrote its file" 10 pm exec det test -s /tmp/dexec
	run_ok pm exec -i det sh -c 'cat'
	# stdin of exec -i is /dev/null here (the runner's stdin): empty is right.
	expect_eq "exec -i with empty stdin" "$OUT" ""

	# podman passes signals by number (kill ID 10).
	run_ok pm kill -s USR1 det
	wait_for "USR1 reached pid 1" 10 sh -c "$(pm_cmdline logs det) | grep -q got-usr1"
	expect_eq "still running after USR1" "$(pm_state det)" "running"

	run_ok pm stop -t 10 det
	expect_eq "state after stop" "$(pm_state det)" "exited"
	expect_eq "exit code after SIGTERM trap" "$(pm inspect --format '{{.State.ExitCode}}' det)" "0"
	expect_match "logs" "$(pm logs det 2>&1)" "started"
	expect_match "SIGTERM reached pid 1" "$(pm logs det 2>&1)" "got-term"

	run_ok pm start det
	wait_for "det running again" 10 pm_is det running
	run_ok pm kill det
	wait_for "det exited after kill" 10 pm_is det exited
	expect_eq "exit code after SIGKILL" "$(pm inspect --format '{{.State.ExitCode}}' det)" "137"
	run_ok pm rm det
	expect_removed "$id"
}

sc_interactive() {
	local out
	# podman attaches after start: output of a process that exits at once
	# can be lost (3 runs in 10 with runc too), hence the sleep.
	out=$(script -qec "$(pm_cmdline run -it --rm $IMG sh -c 'sleep 0.5; tty; [ -t 0 ] && echo stdin-is-tty')" /dev/null </dev/null 2>&1) ||
		fail "run -it failed: $out"
	echo "$out"
	expect_match "run -it has a pty" "$out" "/dev/pts/[0-9]+"
	expect_match "stdin is the tty" "$out" "stdin-is-tty"
	out=$(echo 'echo piped-$((40+2))' | pm run -i --rm $IMG sh 2>&1)
	expect_eq "run -i reads stdin" "$out" "piped-42"
}

sc_memory_oom() {
	run_ok pm run --rm -m 64m --memory-swap 64m $IMG cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	expect_eq "memory limit inside" "$OUT" "67108864"
	# tail keeps the last "line" of /dev/zero, which never ends: it grows
	# until the cgroup's limit kills it. (podman's OOMKilled flag stays
	# false here even with runc: conmon 2.1.6 on cgroup v1 never writes its
	# oom file, so the effect is read from the cgroup instead.)
	expect_rc "OOM-killed pid 1" 137 pm run --rm -m 32m --memory-swap 32m $IMG tail /dev/zero
	local pid cg
	pm rm -f -t 0 oom >/dev/null 2>&1 || true
	run_ok pm run -d --name oom -m 32m --memory-swap 32m $IMG sh -c 'tail /dev/zero; echo tail-status=$?; sleep 1000'
	wait_for "oom running" 10 pm_is oom running
	pid=$(pm inspect --format '{{.State.Pid}}' oom)
	cg=$(cgroup_dir_of "$pid" memory)
	wait_for "tail OOM-killed" 20 sh -c "$(pm_cmdline logs oom) | grep -q tail-status"
	expect_match "child reports SIGKILL" "$(pm logs oom 2>&1)" "tail-status=137"
	expect_match "cgroup counted the OOM kill" "$(cat "$cg/memory.oom_control")" "oom_kill [1-9]"
	pm_rm_checked oom
}

sc_pids() {
	# ash gives up (status 2) at the first failed fork: status not checked.
	OUT=$(pm run --rm --pids-limit 8 $IMG sh -c 'cat /sys/fs/cgroup/pids/pids.max; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done; wait' 2>&1) || true
	echo "$OUT"
	expect_match "pids.max inside" "$OUT" "^8"
	expect_match "fork refused past the limit" "$OUT" "can't fork|Resource temporarily unavailable"
}

sc_pause() {
	local pid
	pm rm -f -t 0 pz >/dev/null 2>&1 || true
	run_ok pm run -d --name pz $IMG sleep 1000
	wait_for "pz running" 10 pm_is pz running
	pid=$(pm inspect --format '{{.State.Pid}}' pz)
	run_ok pm pause pz
	expect_eq "state after pause" "$(pm_state pz)" "paused"
	expect_eq "frozen" "$(freezer_state "$pid")" "FROZEN"
	run_ok pm unpause pz
	expect_eq "state after unpause" "$(pm_state pz)" "running"
	expect_eq "thawed" "$(freezer_state "$pid")" "THAWED"
	run_ok pm exec pz echo alive
	expect_eq "exec after unpause" "$OUT" "alive"
	pm_rm_checked pz
}

sc_stats() {
	pm rm -f -t 0 st >/dev/null 2>&1 || true
	run_ok pm run -d --name st -m 64m $IMG sh -c 'sleep 1000 & sleep 1000'
	wait_for "st running" 10 pm_is st running
	run_ok pm stats --no-stream --format '{{.MemUsage}}|{{.PIDs}}' st
	expect_match "memory usage / limit" "$OUT" "[0-9.]+[kMG]?B / 67.1[0-9]*MB"
	expect_match "pids" "$OUT" "\\|[23]$"
	run_ok pm top st pid args
	expect_match "top lists the sleeps" "$OUT" "sleep 1000"
	pm_rm_checked st
}

sc_readonly() {
	run_ok pm run --rm --read-only $IMG sh -c 'touch /newfile 2>&1; touch /tmp/ok && echo tmp-writable; grep " / " /proc/mounts'
	expect_match "write to / refused" "$OUT" "Read-only file system"
	expect_match "/tmp stays writable" "$OUT" "tmp-writable"
	expect_match "/ mounted ro" "$OUT" " / [a-z0-9]+ ro[, ]"
}

sc_cap_drop() {
	run_ok pm run --rm $IMG grep CapEff /proc/self/status
	expect_nomatch "default caps" "$OUT" "0000000000000000"
	run_ok pm run --rm --cap-drop ALL $IMG sh -c 'grep -E "^Cap(Eff|Prm|Bnd)" /proc/self/status; chown 1000 /tmp 2>&1 || echo chown-denied'
	expect_match "CapEff empty" "$OUT" "CapEff:[[:space:]]+0000000000000000"
	expect_match "CapBnd empty" "$OUT" "CapBnd:[[:space:]]+0000000000000000"
	expect_match "chown refused" "$OUT" "chown-denied"
	run_ok pm run --rm --cap-drop ALL --cap-add NET_RAW $IMG grep CapEff /proc/self/status
	expect_match "only NET_RAW" "$OUT" "CapEff:[[:space:]]+0000000000002000"
}

sc_user() {
	run_ok pm run --rm --user 1000:1000 $IMG sh -c 'id; touch /home/user/f && echo home-writable; touch /root/f 2>&1 || true'
	expect_match "uid/gid" "$OUT" "uid=1000\\(user\\) gid=1000\\(user\\)"
	expect_match "own home writable" "$OUT" "home-writable"
	expect_match "root's dir refused" "$OUT" "Permission denied"
	run_ok pm run --rm --user user $IMG id -u
	expect_eq "user by name" "$OUT" "1000"
}

sc_env_workdir() {
	run_ok pm run --rm -e FOO=bar -e "SPACED=a b" -w /home/user --hostname berth-h $IMG sh -c 'echo "$FOO|$SPACED|$(pwd)|$(hostname)|$PATH"'
	expect_match "env, workdir, hostname" "$OUT" "^bar\\|a b\\|/home/user\\|berth-h\\|.*/bin"
}

sc_bind_mounts() {
	local d="$CT_TMP/bind"
	rm -rf "$d"
	mkdir -p "$d"
	echo from-host >"$d/in"
	run_ok pm run --rm -v "$d:/data" -v "$d:/ro:ro" $IMG sh -c 'cat /data/in; echo from-container > /data/out; echo x > /ro/denied 2>&1 || echo ro-refused'
	expect_match "host file visible" "$OUT" "from-host"
	expect_eq "container wrote to host" "$(cat "$d/out" 2>/dev/null)" "from-container"
	expect_match "ro mount refuses writes" "$OUT" "ro-refused"
	[ -e "$d/denied" ] && fail "write through the ro mount reached the host"
	echo "ok: nothing written through ro mount"
}

sc_tmpfs() {
	run_ok pm run --rm --tmpfs /scratch:rw,size=1m,mode=1770 $IMG sh -c 'grep " /scratch " /proc/mounts; stat -c %a /scratch; dd if=/dev/zero of=/scratch/f bs=1024 count=2048 2>&1 || echo full'
	expect_match "tmpfs mounted with size" "$OUT" "^tmpfs /scratch tmpfs rw.*size=1024k"
	expect_match "mode" "$OUT" "^1770$"
	expect_match "size enforced" "$OUT" "No space left on device"
}

sc_sysctl() {
	run_ok pm run --rm --sysctl net.ipv4.ip_forward=1 --sysctl kernel.msgmax=12345 $IMG sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax'
	expect_eq "sysctls inside" "$(echo $OUT)" "1 12345"
	[ "$(cat /proc/sys/kernel/msgmax)" = 12345 ] && fail "sysctl leaked to the host"
	echo "ok: host msgmax untouched ($(cat /proc/sys/kernel/msgmax))"
}

sc_device() {
	run_ok pm run --rm --device /dev/zero:/dev/myzero:rw $IMG sh -c 'ls -l /dev/myzero; head -c 4 /dev/myzero | od -An -tx1; mknod /dev/mymem c 1 1 && head -c 1 /dev/mymem 2>&1 || true'
	expect_match "device node" "$OUT" "^crw.* 1, +5 .*/dev/myzero"
	expect_match "device readable" "$OUT" "00 00 00 00"
	expect_match "unlisted device refused" "$OUT" "Operation not permitted"
}

sc_ulimit() {
	run_ok pm run --rm --ulimit nofile=512:1024 --ulimit nproc=100:200 $IMG cat /proc/self/limits
	expect_match "nofile" "$OUT" "Max open files +512 +1024"
	expect_match "nproc" "$OUT" "Max processes +100 +200"
}

sc_seccomp() {
	run_ok pm run --rm $IMG grep -E "^Seccomp" /proc/self/status
	expect_match "default profile loaded" "$OUT" "Seccomp:[[:space:]]+2"
	# The default profile refuses swapoff even with CAP_SYS_ADMIN (EPERM);
	# without the profile the kernel sees a file that is no swap (EINVAL).
	run_ok pm run --rm --cap-add SYS_ADMIN $IMG sh -c 'swapoff /etc/passwd 2>&1; true'
	expect_match "swapoff refused by the profile" "$OUT" "Operation not permitted"
	run_ok pm run --rm --cap-add SYS_ADMIN --security-opt seccomp=unconfined $IMG sh -c 'grep -E "^Seccomp:" /proc/self/status; swapoff /etc/passwd 2>&1; true'
	expect_match "unconfined" "$OUT" "Seccomp:[[:space:]]+0"
	expect_match "swapoff reaches the kernel unconfined" "$OUT" "Invalid argument"
	cat >"$CT_TMP/seccomp-mkdir.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
EOF
	run_ok pm run --rm --security-opt seccomp="$CT_TMP/seccomp-mkdir.json" $IMG sh -c 'mkdir /tmp/d 2>&1; touch /tmp/f && echo touch-ok'
	expect_match "custom profile: mkdir refused" "$OUT" "Operation not permitted"
	expect_match "custom profile: other calls allowed" "$OUT" "touch-ok"
}

sc_preserve_fds() {
	echo passed-fd-content >"$CT_TMP/fdfile"
	run_ok pm run --rm --preserve-fds 1 $IMG sh -c 'cat <&3; ls /proc/self/fd' 3<"$CT_TMP/fdfile"
	expect_match "fd 3 content" "$OUT" "passed-fd-content"
}

sc_update() {
	local pid cg
	pm rm -f -t 0 upd >/dev/null 2>&1 || true
	run_ok pm run -d --name upd -m 64m $IMG sleep 1000
	wait_for "upd running" 10 pm_is upd running
	run_ok pm update --memory 128m --memory-swap 256m --cpu-quota 50000 --cpu-period 100000 upd
	run_ok pm exec upd cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us
	expect_eq "limits after update" "$(echo $OUT)" "134217728 50000"
	pid=$(pm inspect --format '{{.State.Pid}}' upd)
	cg=$(cgroup_dir_of "$pid" memory)
	expect_eq "host sees memsw" "$(cat "$cg/memory.memsw.limit_in_bytes" 2>/dev/null || echo no-swap-accounting)" "$([ -e "$cg/memory.memsw.limit_in_bytes" ] && echo 268435456 || echo no-swap-accounting)"
	pm_rm_checked upd
}

# busybox readlink takes one file at a time.
NS_CMD='for n in net ipc uts; do printf "%s " $(readlink /proc/self/ns/$n); done'

sc_pod() {
	local infra ipid a
	pm pod rm -f -t 0 p1 >/dev/null 2>&1 || true
	# The infra container runs the pause image's CMD (containers.conf).
	run_ok pm pod create --name p1 --hostname podhost
	run_ok pm run -d --pod p1 --name p1a $IMG sleep 1000
	wait_for "p1a running" 10 pm_is p1a running
	infra=$(pm pod inspect --format '{{.InfraContainerID}}' p1)
	ipid=$(pm inspect --format '{{.State.Pid}}' "$infra")
	[ "$ipid" -gt 0 ] || fail "infra not running"
	a=$(readlink /proc/"$ipid"/ns/net /proc/"$ipid"/ns/ipc /proc/"$ipid"/ns/uts | tr '\n' ' ')
	run_ok pm exec p1a sh -c "$NS_CMD"
	expect_eq "p1a shares infra net/ipc/uts" "$OUT" "$a"
	run_ok pm run --rm --pod p1 $IMG sh -c "$NS_CMD; echo; readlink /proc/self/ns/pid"
	expect_eq "second container shares them" "$(echo "$OUT" | head -1)" "$a"
	[ "$(readlink /proc/"$ipid"/ns/pid)" = "$(echo "$OUT" | tail -1)" ] && fail "pid ns shared though not asked"
	run_ok pm exec p1a hostname
	expect_eq "pod hostname" "$OUT" "podhost"
	run_ok pm pod rm -f -t 0 p1
	expect_removed "$infra"
}
