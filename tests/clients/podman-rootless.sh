# tests/clients/podman-rootless.sh: rootless podman (as a throwaway user,
# through conmon) drives the runtime under test. Sourced by run.sh (for the
# list) and by each scenario's own shell (for the function); pmr() from
# setup-rootless.sh runs podman as the user set up by ct_rl_setup, on its
# private storage, runroot, XDG_RUNTIME_DIR and configuration.
#
# On this host (cgroup v1 controllers) rootless podman uses no cgroups, so
# the runtime runs without one (runc's rule), inside podman's user
# namespace: root there is the user outside, ids 1.. are its subuid range.
# Each rl_* checks an effect inside the container or on the host.

. "$CT_DIR/setup-rootless.sh"

PODMAN_RL_SCENARIOS="run exit_code user keep_id detached_exec tty stop_rm"

IMG=localhost/bbox:test

pmr_state() { pmr inspect --format '{{.State.Status}}' "$1" 2>/dev/null; }
pmr_is() { [ "$(pmr_state "$1")" = "$2" ]; }
pmr_pid() { pmr inspect --format '{{.State.Pid}}' "$1"; }

# rl_state_dirs: where the runtime keeps rootless state: podman passes no
# --root, so runc-compatible runtimes use $XDG_RUNTIME_DIR/<name> (or
# /tmp/<name>-<uid> without XDG_RUNTIME_DIR).
rl_state_dirs() {
	echo "$CT_RL_DIR/run/$CT_RUNTIME_NAME" "/tmp/$CT_RUNTIME_NAME-$CT_RL_UID"
}

# rl_expect_removed ID: no runtime state and no cgroup left for ID.
rl_expect_removed() {
	local r left
	for r in $(rl_state_dirs); do
		[ -e "$r/$1" ] && fail "runtime state left: $r/$1"
	done
	left=$(cgroups_left "$1")
	[ -z "$left" ] || fail "cgroups left for $1: $(echo $left)"
	echo "ok: no runtime state and no cgroup left for ${1:0:12}"
}

# host_id_of ID MAP: the host id that container id ID maps to, from the
# lines of a /proc/PID/uid_map or gid_map read inside.
host_id_of() {
	printf '%s\n' "$2" | awk -v id="$1" 'NF == 3 && id >= $1 && id < $1 + $3 { print $2 + id - $1; found = 1; exit } END { if (!found) print "unmapped" }'
}

# status_ids PID Uid|Gid: the four ids of a process, as the host sees them.
status_ids() {
	awk -v k="$2:" '$1 == k { print $2, $3, $4, $5 }' "/proc/$1/status"
}

rl_prepare() {
	ct_rl_load || fail "the rootless user was not set up"
}

sc_rl_run() {
	local id pid map
	rl_prepare
	rm -f "$CT_RL_DIR/tmp/run.cid"
	expect_rc "run --rm" 0 pmr run --rm --cidfile "$CT_RL_DIR/tmp/run.cid" $IMG sh -c 'echo hello-rootless; id -u; echo uid_map; cat /proc/self/uid_map; echo gid_map; cat /proc/self/gid_map'
	printf '%s\n' "$OUT"
	expect_eq "output" "$(printf '%s\n' "$OUT" | head -1)" "hello-rootless"
	expect_eq "root inside" "$(printf '%s\n' "$OUT" | sed -n 2p)" "0"
	map=$(printf '%s\n' "$OUT" | sed -n '/^uid_map$/,/^gid_map$/p')
	expect_match "uid 0 is the user outside" "$map" "^ *0 +$CT_RL_UID +1$"
	expect_match "uids 1.. are its subuid range" "$map" "^ *1 +$CT_RL_SUB +$CT_RL_COUNT$"
	map=$(printf '%s\n' "$OUT" | sed -n '/^gid_map$/,$p')
	expect_match "gid 0 is the user's group outside" "$map" "^ *0 +$CT_RL_GID +1$"
	expect_match "gids 1.. are its subgid range" "$map" "^ *1 +$CT_RL_SUB +$CT_RL_COUNT$"
	id=$(cat "$CT_RL_DIR/tmp/run.cid")
	expect_eq "container listed after --rm" "$(pmr ps -a -q --no-trunc)" ""
	rl_expect_removed "$id"

	# From the host: the container's root is the unprivileged user.
	pmr rm -f -t 0 rlhost >/dev/null 2>&1 || true
	run_ok pmr run -d --name rlhost $IMG sleep 1000
	id=$OUT
	wait_for "rlhost running" 10 pmr_is rlhost running
	pid=$(pmr_pid rlhost)
	expect_eq "host Uid of the container process" "$(status_ids "$pid" Uid)" "$CT_RL_UID $CT_RL_UID $CT_RL_UID $CT_RL_UID"
	expect_eq "host Gid of the container process" "$(status_ids "$pid" Gid)" "$CT_RL_GID $CT_RL_GID $CT_RL_GID $CT_RL_GID"
	[ "$(readlink /proc/"$pid"/ns/user)" != "$(readlink /proc/self/ns/user)" ] ||
		fail "container process is in the host's user namespace"
	echo "ok: container pid $pid in user ns $(readlink /proc/"$pid"/ns/user)"
	run_ok pmr rm -f -t 0 rlhost
	[ -d "/proc/$pid" ] && fail "container process $pid survived rm -f"
	rl_expect_removed "$id"
}

sc_rl_exit_code() {
	local id
	rl_prepare
	expect_rc "exit 7 propagates" 7 pmr run --rm $IMG sh -c 'exit 7'
	expect_rc "exit 0" 0 pmr run --rm $IMG true
	expect_rc "missing executable" 127 pmr run --rm $IMG /no/such/binary
	expect_match "message for missing executable" "$OUT" "no such file or directory|not found"
	expect_rc "non-executable file" 126 pmr run --rm $IMG /etc/passwd
	expect_match "message for non-executable" "$OUT" "[Pp]ermission denied"
	pmr rm -f -t 0 rlkill >/dev/null 2>&1 || true
	run_ok pmr run -d --name rlkill $IMG sleep 1000
	id=$OUT
	wait_for "rlkill running" 10 pmr_is rlkill running
	run_ok pmr kill rlkill
	wait_for "rlkill exited after kill" 10 pmr_is rlkill exited
	expect_eq "exit code after podman kill" "$(pmr inspect --format '{{.State.ExitCode}}' rlkill)" "137"
	run_ok pmr rm rlkill
	rl_expect_removed "$id"
}

sc_rl_user() {
	local vol="$CT_RL_DIR/vol" map huid hgid pid id
	rl_prepare
	rm -rf "$vol"
	mkdir -p "$vol"
	# Container uid 1000 is a subuid outside: the directory must let it in.
	chown "$CT_RL_UID:$CT_RL_GID" "$vol"
	chmod 777 "$vol"
	run_ok pmr run --rm --user 1000:1000 -v "$vol:/data" $IMG sh -c 'id -u; id -g; touch /data/by-user && echo wrote; touch /root/f 2>&1 || true; echo uid_map; cat /proc/self/uid_map; echo gid_map; cat /proc/self/gid_map'
	printf '%s\n' "$OUT"
	expect_eq "id -u inside" "$(printf '%s\n' "$OUT" | sed -n 1p)" "1000"
	expect_eq "id -g inside" "$(printf '%s\n' "$OUT" | sed -n 2p)" "1000"
	expect_match "volume writable" "$OUT" "^wrote$"
	expect_match "root's dir refused" "$OUT" "Permission denied"
	huid=$(host_id_of 1000 "$(printf '%s\n' "$OUT" | sed -n '/^uid_map$/,/^gid_map$/p')")
	hgid=$(host_id_of 1000 "$(printf '%s\n' "$OUT" | sed -n '/^gid_map$/,$p')")
	expect_eq "uid 1000 maps to subuid base + 999" "$huid" "$((CT_RL_SUB + 999))"
	expect_eq "file owner on the host" "$(stat -c %u:%g "$vol/by-user")" "$huid:$hgid"
	run_ok pmr run --rm -v "$vol:/data" $IMG touch /data/by-root
	expect_eq "root's file is the user's on the host" "$(stat -c %u:%g "$vol/by-root")" "$CT_RL_UID:$CT_RL_GID"
	run_ok pmr run --rm --user user $IMG id -u
	expect_eq "user by name" "$OUT" "1000"

	pmr rm -f -t 0 rluser >/dev/null 2>&1 || true
	run_ok pmr run -d --name rluser --user 1000:1000 $IMG sleep 1000
	id=$OUT
	wait_for "rluser running" 10 pmr_is rluser running
	pid=$(pmr_pid rluser)
	expect_eq "host Uid of a --user 1000 process" "$(status_ids "$pid" Uid)" "$huid $huid $huid $huid"
	expect_eq "host Gid of a --user 1000 process" "$(status_ids "$pid" Gid)" "$hgid $hgid $hgid $hgid"
	run_ok pmr rm -f -t 0 rluser
	rl_expect_removed "$id"
	rm -rf "$vol"
}

# --userns keep-id: the runtime creates a nested user namespace (from inside
# podman's) with a multi-range map where the user keeps its own uid.
sc_rl_keep_id() {
	local vol="$CT_RL_DIR/vol-keep"
	rl_prepare
	rm -rf "$vol"
	mkdir -p "$vol"
	chown "$CT_RL_UID:$CT_RL_GID" "$vol"
	run_ok pmr run --rm --userns keep-id -v "$vol:/data" $IMG sh -c 'id -u; id -g; touch /data/kept && echo wrote; cat /proc/self/uid_map'
	printf '%s\n' "$OUT"
	expect_eq "id -u inside is the user's" "$(printf '%s\n' "$OUT" | sed -n 1p)" "$CT_RL_UID"
	expect_eq "id -g inside is the user's" "$(printf '%s\n' "$OUT" | sed -n 2p)" "$CT_RL_GID"
	expect_match "volume writable" "$OUT" "^wrote$"
	expect_eq "file owner on the host" "$(stat -c %u:%g "$vol/kept")" "$CT_RL_UID:$CT_RL_GID"
	rm -rf "$vol"
}

sc_rl_detached_exec() {
	local id pid epid i
	rl_prepare
	pmr rm -f -t 0 rlexec >/dev/null 2>&1 || true
	run_ok pmr run -d --name rlexec $IMG sleep 1000
	id=$OUT
	wait_for "rlexec running" 10 pmr_is rlexec running
	pid=$(pmr_pid rlexec)

	run_ok pmr exec rlexec sh -c 'echo exec-output; tr "\0" " " </proc/1/cmdline; echo; readlink /proc/self/ns/pid; readlink /proc/self/ns/user; readlink /proc/self/ns/mnt; id -u'
	printf '%s\n' "$OUT"
	expect_eq "exec output" "$(printf '%s\n' "$OUT" | sed -n 1p)" "exec-output"
	expect_match "exec sees pid 1 sleep" "$(printf '%s\n' "$OUT" | sed -n 2p)" "^sleep 1000"
	expect_eq "exec in the container's pid ns" "$(printf '%s\n' "$OUT" | sed -n 3p)" "$(readlink /proc/"$pid"/ns/pid)"
	expect_eq "exec in the container's user ns" "$(printf '%s\n' "$OUT" | sed -n 4p)" "$(readlink /proc/"$pid"/ns/user)"
	expect_eq "exec in the container's mount ns" "$(printf '%s\n' "$OUT" | sed -n 5p)" "$(readlink /proc/"$pid"/ns/mnt)"
	expect_eq "exec as root inside" "$(printf '%s\n' "$OUT" | sed -n 6p)" "0"
	run_ok pmr exec --user 1000:1000 rlexec id
	expect_match "exec --user" "$OUT" "uid=1000.*gid=1000"
	run_ok pmr exec -e EXEC_VAR=v1 -w /home rlexec sh -c 'echo $EXEC_VAR $(pwd)'
	expect_eq "exec -e -w" "$OUT" "v1 /home"
	expect_rc "exec exit code" 7 pmr exec rlexec sh -c 'exit 7'
	expect_rc "exec missing binary" 127 pmr exec rlexec /no/such/binary
	run_ok pmr exec -t rlexec tty
	expect_match "exec -t gets a pty" "$OUT" "^/dev/pts/[0-9]+"

	# A detached exec's process, seen from the host.
	run_ok pmr exec -d rlexec sleep 999
	epid=""
	for ((i = 0; i < 50; i++)); do
		epid=$(pgrep -x -f 'sleep 999' -U "$CT_RL_UID" | while read -r p; do
			[ "$(readlink /proc/"$p"/ns/pid)" = "$(readlink /proc/"$pid"/ns/pid)" ] && echo "$p"
		done | head -1)
		[ -n "$epid" ] && break
		sleep 0.1
	done
	[ -n "$epid" ] || fail "no 'sleep 999' of uid $CT_RL_UID in the container's pid namespace"
	echo "ok: exec'd process $epid shares the container's pid namespace"
	expect_eq "exec'd process Uid on the host" "$(status_ids "$epid" Uid)" "$CT_RL_UID $CT_RL_UID $CT_RL_UID $CT_RL_UID"
	run_ok pmr exec rlexec sh -c 'ps -o pid,args | grep -c "[s]leep 999"'
	expect_eq "container sees the exec'd process" "$OUT" "1"

	run_ok pmr rm -f -t 0 rlexec
	[ -d "/proc/$pid" ] && fail "pid 1 $pid survived rm -f"
	[ -d "/proc/$epid" ] && fail "exec'd process $epid survived rm -f"
	echo "ok: container and exec'd processes gone"
	rl_expect_removed "$id"
}

sc_rl_tty() {
	local out
	rl_prepare
	# podman attaches after start: output of a process that exits at once
	# can be lost (with runc too), hence the sleep.
	out=$(script -qec "$(pmr_cmdline run -it --rm $IMG sh -c 'sleep 0.5; tty; [ -t 0 ] && echo stdin-is-tty; [ -t 1 ] && echo stdout-is-tty')" /dev/null </dev/null 2>&1) ||
		fail "run -it failed: $out"
	echo "$out"
	expect_match "run -it has a pty" "$out" "/dev/pts/[0-9]+"
	expect_match "stdin is the tty" "$out" "stdin-is-tty"
	expect_match "stdout is the tty" "$out" "stdout-is-tty"
	out=$(echo 'echo piped-$((40+2)); [ -t 0 ] || echo stdin-not-tty' | pmr run -i --rm $IMG sh 2>&1)
	expect_eq "run -i reads stdin" "$out" "piped-42
stdin-not-tty"
}

sc_rl_stop_rm() {
	local id pid conmon
	rl_prepare
	pmr rm -f -t 0 rlstop >/dev/null 2>&1 || true
	run_ok pmr run -d --name rlstop $IMG sh -c 'echo started; trap "echo got-term; exit 0" TERM; while :; do sleep 0.2; done'
	id=$OUT
	wait_for "rlstop running" 10 pmr_is rlstop running
	pid=$(pmr_pid rlstop)
	conmon=$(pmr inspect --format '{{.State.ConmonPid}}' rlstop)
	expect_eq "conmon runs as the user" "$(status_ids "$conmon" Uid | cut -d' ' -f1)" "$CT_RL_UID"
	wait_for "log line" 10 sh -c "$(pmr_cmdline logs rlstop) | grep -q started"
	run_ok pmr stop -t 10 rlstop
	expect_eq "state after stop" "$(pmr_state rlstop)" "exited"
	expect_eq "exit code after SIGTERM trap" "$(pmr inspect --format '{{.State.ExitCode}}' rlstop)" "0"
	expect_match "SIGTERM reached pid 1" "$(pmr logs rlstop 2>&1)" "got-term"
	[ -d "/proc/$pid" ] && fail "container process $pid survived stop"
	echo "ok: container process $pid gone after stop"
	run_ok pmr rm rlstop
	expect_eq "container listed after rm" "$(pmr ps -a -q --filter name=rlstop)" ""
	rl_expect_removed "$id"
	wait_for "conmon $conmon exits" 10 sh -c "! [ -d /proc/$conmon ]"
	echo "ok: conmon $conmon gone"
}

# rl_no_leftovers: after every container was removed, nothing of the user's
# is left: no runtime state for any container the trace shows created, an
# empty runtime state root, no process but podman's rootless pause process
# (which holds the user namespace until cleanup), no cgroup, and nothing of
# the user's in /tmp, /run or /var/tmp made during the run.
sc_rl_no_leftovers() {
	local ids id n=0 bad="" pause pids p r new i
	rl_prepare
	if [ -f "$CT_RL_DIR/trace/trace.log" ]; then
		ids=$(grep '^argv:' "$CT_RL_DIR/trace/trace.log" | grep -w create | awk '{ print $NF }' | sort -u)
		for id in $ids; do
			n=$((n + 1))
			for r in $(rl_state_dirs); do
				[ -e "$r/$id" ] && bad="$bad state:$r/$id"
			done
			[ -n "$(cgroups_left "$id")" ] && bad="$bad cgroup:$id"
		done
	else
		echo "no trace (--no-trace): container ids not checked"
	fi
	# Container state only: berth keeps its seccomp cache in .cache there.
	for r in $(rl_state_dirs); do
		if [ -d "$r" ] && [ -n "$(ls "$r")" ]; then
			bad="$bad state-root-not-empty:$r:$(ls "$r" | tr '\n' ' ')"
		fi
	done
	pause=$(cat "$CT_RL_DIR/tmp/pause.pid" 2>/dev/null || true)
	# conmon and its exit command (podman container cleanup) end a moment
	# after the container is removed.
	for ((i = 0; i < 50; i++)); do
		pids=$(ct_rl_pids | grep -vx "${pause:-none}" || true)
		[ -z "$pids" ] && break
		sleep 0.2
	done
	for p in $pids; do
		[ "$p" = "$pause" ] && continue
		bad="$bad process:$p($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null))"
	done
	new=$(find /tmp /run /var/tmp /dev/shm -maxdepth 1 -user "$CT_RL_UID" -newer "$CT_RL_DIR/env" 2>/dev/null | grep -v "^$CT_TMP" || true)
	[ -z "$new" ] || bad="$bad host-files:$(echo $new)"
	bad=$(echo $bad)
	[ -z "$bad" ] || fail "left behind: $bad"
	echo "ok: $n containers created, none left behind; only the pause process ${pause:-none} remains"
}
