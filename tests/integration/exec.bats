#!/usr/bin/env bats
# exec.bats - `berth exec` into a running container: exit codes (0, 7, 137,
# 255 when exec itself fails), the joined namespaces and cgroup compared
# with the init's from /proc, process settings (config's by default, or
# --user/--cwd/--env/--cap/-p process.json), --detach with --pid-file, and
# the refusals (stopped, unknown container).

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	chmod 0755 "$ROOTFS"
	ID=$(ct_id)
	set_args sleep 1000
	detached run -d "$ID"
	PID=$(state_field "$ID" pid)
}

teardown() {
	teardown_bundle
}

@test "exec: exit codes 0 and 7 are exec's, with the process's output" {
	run berth exec "$ID" sh -c 'echo in-container; exit 0'
	[ "$status" -eq 0 ]
	[ "$output" = in-container ]
	run berth exec "$ID" sh -c 'echo seven; exit 7'
	[ "$status" -eq 7 ]
	[ "$output" = seven ]
}

@test "exec: a process killed by SIGKILL gives 137" {
	run berth exec "$ID" sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
}

@test "exec: a missing binary fails with 255 and runc's message, the container unharmed" {
	run berth exec "$ID" no-such-binary
	[ "$status" -eq 255 ]
	[[ "$output" == *'exec: "no-such-binary": executable file not found in $PATH'* ]]
	[ "$(state_field "$ID" status)" = running ]
	pid_alive "$PID"
	# the next exec still works
	run berth exec "$ID" true
	[ "$status" -eq 0 ]
}

@test "exec: a bad cwd fails with 255, nothing started" {
	run berth exec --cwd /no/such/dir "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == */no/such/dir* ]]
}

@test "exec: the process is in every namespace of the init" {
	run berth exec "$ID" sh -c 'for n in cgroup ipc mnt net pid uts user; do echo "$n $(readlink /proc/self/ns/$n)"; done'
	[ "$status" -eq 0 ]
	local n line
	for n in ipc mnt net pid uts user cgroup; do
		line=$(echo "$output" | awk -v n="$n" '$1 == n { print $2 }')
		[ "$line" = "$(readlink "/proc/$PID/ns/$n")" ] || {
			echo "$n: exec has $line, init has $(readlink "/proc/$PID/ns/$n")"
			false
		}
	done
	# pid namespace: not pid 1, but sees the init as pid 1
	run berth exec "$ID" sh -c 'echo $$; tr "\0" " " < /proc/1/cmdline'
	[ "${lines[0]}" -gt 1 ]
	[ "${lines[1]}" = "sleep 1000 " ]
}

@test "exec: the process is in the init's cgroups (seen from the host)" {
	berth exec -d --pid-file "$BERTH_TEST_DIR/exec.pid" "$ID" sleep 1000 </dev/null >/dev/null 2>&1
	local epid
	epid=$(cat "$BERTH_TEST_DIR/exec.pid")
	pid_alive "$epid"
	[ "$(cat "/proc/$epid/cgroup")" = "$(cat "/proc/$PID/cgroup")" ]
	# and in the container's pid namespace, a child of nobody outside
	[ "$(readlink "/proc/$epid/ns/pid")" = "$(readlink "/proc/$PID/ns/pid")" ]
}

@test "exec: the config's process settings apply by default (user, caps, env, cwd, nnp)" {
	berth delete -f "$ID"
	update_config 'c["process"]["user"] = {"uid": 1000, "gid": 1000, "additionalGids": [20]}
c["process"]["env"].append("FROM_CONFIG=yes")
c["process"]["cwd"] = "/tmp"'
	detached run -d "$ID"
	run berth exec "$ID" sh -c 'id -u; id -g; pwd; echo "$FROM_CONFIG"; grep -E "^(CapBnd|NoNewPrivs|Groups):" /proc/self/status'
	[ "$status" -eq 0 ]
	echo "$output"
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = /tmp ]
	[ "${lines[3]}" = yes ]
	[[ "$output" == *"CapBnd:	0000000020000420"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	[ "$(echo "$output" | awk '/^Groups:/ { print $2 }')" = 20 ]
}

@test "exec: --user, --additional-gids, --cwd and --env override the config" {
	run berth exec --user 1000:1000 --additional-gids 30 --cwd /usr --env FOO=bar --env PATH=/usr/bin "$ID" \
		sh -c 'id -u; id -g; pwd; echo "$FOO"; echo "$PATH"; grep ^Groups: /proc/self/status'
	[ "$status" -eq 0 ]
	echo "$output"
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = /usr ]
	[ "${lines[3]}" = bar ]
	[ "${lines[4]}" = /usr/bin ]
	[ "$(echo "${lines[5]}" | awk '{ print $2 }')" = 30 ]
}

@test "exec: --cap adds a capability to bounding, effective and permitted" {
	run berth exec --cap CAP_CHOWN "$ID" grep -E '^Cap(Bnd|Eff|Prm):' /proc/self/status
	[ "$status" -eq 0 ]
	echo "$output"
	# CAP_CHOWN is bit 0; the config's are 0x20000420
	[[ "$output" == *"CapPrm:	0000000020000421"* ]]
	[[ "$output" == *"CapEff:	0000000020000421"* ]]
	[[ "$output" == *"CapBnd:	0000000020000421"* ]]
}

@test "exec: --no-new-privs sets NoNewPrivs even when the config does not" {
	berth delete -f "$ID"
	update_config 'c["process"]["noNewPrivileges"] = False'
	detached run -d "$ID"
	run berth exec "$ID" grep ^NoNewPrivs: /proc/self/status
	[ "$output" = "NoNewPrivs:	0" ]
	run berth exec --no-new-privs "$ID" grep ^NoNewPrivs: /proc/self/status
	[ "$output" = "NoNewPrivs:	1" ]
}

@test "exec -p process.json: args, env, cwd, user and capabilities from the file" {
	cat >"$BERTH_TEST_DIR/process.json" <<'EOF'
{
	"terminal": false,
	"user": {"uid": 1000, "gid": 1000},
	"args": ["sh", "-c", "id -u; pwd; echo $P; grep ^CapAmb: /proc/self/status"],
	"env": ["PATH=/usr/bin:/bin", "P=from-process-json"],
	"cwd": "/etc",
	"capabilities": {
		"bounding": ["CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_NET_BIND_SERVICE"],
		"inheritable": ["CAP_NET_BIND_SERVICE"],
		"ambient": ["CAP_NET_BIND_SERVICE"]
	}
}
EOF
	run berth exec -p "$BERTH_TEST_DIR/process.json" "$ID"
	[ "$status" -eq 0 ]
	echo "$output"
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = /etc ]
	[ "${lines[2]}" = from-process-json ]
	[ "${lines[3]}" = "CapAmb:	0000000000000400" ]
}

@test "exec -p with a malformed process.json fails and names the problem" {
	echo '{"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": "not-an-array"}' >"$BERTH_TEST_DIR/process.json"
	run berth exec -p "$BERTH_TEST_DIR/process.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *args* ]]
}

@test "exec --detach --pid-file: the process runs on after exec returns" {
	berth exec -d --pid-file "$BERTH_TEST_DIR/exec.pid" "$ID" sleep 999 </dev/null >/dev/null 2>&1
	local epid
	epid=$(cat "$BERTH_TEST_DIR/exec.pid")
	pid_alive "$epid"
	[ "$(tr '\0' ' ' <"/proc/$epid/cmdline")" = "sleep 999 " ]
	# ps lists it with the init
	run berth ps --format json "$ID"
	[[ "$output" == *"$epid"* ]]
	[[ "$output" == *"$PID"* ]]
}

@test "exec: signals to a foreground exec are forwarded to its process" {
	local mark=$BERTH_TEST_DIR/mark
	berth delete -f "$ID"
	bind_dir "$mark" /mark
	detached run -d "$ID"
	"$BERTH" --root "$BERTH_ROOT" exec "$ID" sh -c 'trap "echo term > /mark/term; exit 5" TERM; echo ready > /mark/ready; while :; do sleep 0.1; done' &
	local epid=$!
	wait_file "$mark/ready"
	kill -TERM "$epid"
	local rc=0
	wait "$epid" || rc=$?
	[ "$rc" -eq 5 ]
	[ "$(cat "$mark/term")" = term ]
	# the container itself was not touched
	[ "$(state_field "$ID" status)" = running ]
}

@test "exec into a stopped container is refused" {
	berth kill "$ID" KILL
	wait_status "$ID" stopped
	run berth exec "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot exec in a stopped container"* ]]
}

@test "exec into an unknown container is refused" {
	run berth exec "nope-$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"container nope-$ID does not exist"* ]]
}

@test "exec: the init dying does not wait for an exec'd process (killed with the container)" {
	berth exec -d --pid-file "$BERTH_TEST_DIR/exec.pid" "$ID" sleep 1000 </dev/null >/dev/null 2>&1
	local epid
	epid=$(cat "$BERTH_TEST_DIR/exec.pid")
	pid_alive "$epid"
	berth kill "$ID" KILL
	wait_status "$ID" stopped
	# the pid namespace's init is gone: the kernel killed everything in it
	local tries=50
	while pid_alive "$epid" && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	pid_gone "$epid"
	berth delete "$ID"
	assert_no_leftovers "$ID"
}
