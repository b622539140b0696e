#!/usr/bin/env bats
# errors.bats - every refused operation says why in runc's words and changes
# nothing: operations in the wrong state, unknown and clashing ids, and bad
# bundles (missing rootfs, args[0] not found, bad cwd, a user that can't be
# set, malformed or mistyped config.json), each leaving no state dir, no
# cgroup, no process and no mount. --log/--log-format json record the error.

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	chmod 0755 "$ROOTFS"
	ID=$(ct_id)
}

teardown() {
	teardown_bundle
}

# fails_cleanly MESSAGE berth-args...: berth fails, prints MESSAGE, leaves
# nothing of $ID behind
fails_cleanly() {
	local msg=$1
	shift
	run berth "$@"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$msg"* ]] || {
		echo "expected message: $msg"
		return 1
	}
	assert_no_leftovers "$ID"
}

@test "start of a running container: cannot start an already running container" {
	set_args sleep 1000
	detached run -d "$ID"
	local pid
	pid=$(state_field "$ID" pid)
	run berth start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot start an already running container"* ]]
	[ "$(state_field "$ID" status)" = running ]
	[ "$(state_field "$ID" pid)" = "$pid" ]
}

@test "start of a stopped container: cannot start a container that has stopped" {
	set_args true
	detached run -d "$ID"
	wait_status "$ID" stopped
	run berth start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot start a container that has stopped"* ]]
	[ "$(state_field "$ID" status)" = stopped ]
}

@test "delete of a running container without -f is refused and it keeps running" {
	set_args sleep 1000
	detached run -d "$ID"
	local pid
	pid=$(state_field "$ID" pid)
	run berth delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot delete container $ID that is not stopped"* ]]
	pid_alive "$pid"
	[ -d "$BERTH_ROOT/$ID" ]
	[ -n "$(ct_cgroup_dirs "$ID")" ]
}

@test "kill of a stopped container: container not running" {
	set_args true
	detached run -d "$ID"
	wait_status "$ID" stopped
	run berth kill "$ID" TERM
	[ "$status" -ne 0 ]
	[[ "$output" == *"container not running"* ]]
}

@test "kill with an unknown signal is refused and the container keeps running" {
	set_args sleep 1000
	detached run -d "$ID"
	run berth kill "$ID" SIGNOPE
	[ "$status" -ne 0 ]
	[[ "$output" == *SIGNOPE* ]]
	pid_alive "$(state_field "$ID" pid)"
}

@test "an unknown container: container X does not exist, for every operation" {
	local op
	for op in state start "kill" delete ps pause resume events; do
		run berth $op nope
		[ "$status" -ne 0 ]
		[[ "$output" == *"container nope does not exist"* ]] || {
			echo "$op: $output"
			false
		}
	done
	run berth exec nope true
	[[ "$output" == *"container nope does not exist"* ]]
	[ ! -e "$BERTH_ROOT/nope" ]
}

@test "a clashing id: container with id exists, the first one untouched" {
	set_args sleep 1000
	detached run -d "$ID"
	local pid
	pid=$(state_field "$ID" pid)
	run berth create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container with id exists: $ID"* ]]
	run berth run -d "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container with id exists: $ID"* ]]
	pid_alive "$pid"
	[ "$(state_field "$ID" status)" = running ]
	[ "$(state_field "$ID" pid)" = "$pid" ]
}

@test "an id that is a path is refused and nothing is made outside the root" {
	set_args true
	run berth create "../escape-$$"
	[ "$status" -ne 0 ]
	[ ! -e "$BERTH_TEST_DIR/escape-$$" ]
	run berth create "a/b"
	[ "$status" -ne 0 ]
	[ ! -e "$BERTH_ROOT/a" ]
	run berth create ""
	[ "$status" -ne 0 ]
}

@test "missing rootfs fails create, leaves nothing" {
	update_config 'c["root"]["path"] = "no-such-rootfs"'
	fails_cleanly "no-such-rootfs" create "$ID"
}

@test "args[0] not found: executable file not found in \$PATH, leaves nothing" {
	set_args no-such-program
	fails_cleanly 'exec: "no-such-program": executable file not found in $PATH' create "$ID"
	fails_cleanly 'exec: "no-such-program": executable file not found in $PATH' run "$ID"
}

@test "args[0] not executable: permission denied, leaves nothing" {
	set_args /etc/passwd
	fails_cleanly "permission denied" run "$ID"
}

@test "empty args fail create, leaves nothing" {
	update_config 'c["process"]["args"] = []'
	fails_cleanly "args" create "$ID"
}

@test "a cwd that is not a directory fails create, leaves nothing" {
	update_config 'c["process"]["cwd"] = "/etc/passwd"'
	set_args true
	fails_cleanly '/etc/passwd' create "$ID"
}

@test "a relative cwd is refused, leaves nothing" {
	update_config 'c["process"]["cwd"] = "tmp"'
	set_args true
	fails_cleanly 'cwd' create "$ID"
}

@test "a uid the user namespace does not map can't be set: create fails, leaves nothing" {
	update_config 'c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 1000}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 1000}]
c["mounts"] = [m for m in c["mounts"] if m["destination"] not in ("/sys", "/sys/fs/cgroup")]
c["process"]["user"] = {"uid": 5000, "gid": 0}'
	chown -R 100000:100000 "$ROOTFS"
	chmod 0755 "$BERTH_TEST_DIR" "$BUNDLE"
	set_args true
	fails_cleanly 'uid' create "$ID"
}

@test "additionalGids a user namespace can't set fail create, leaves nothing" {
	update_config 'c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 1000}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 1000}]
c["mounts"] = [m for m in c["mounts"] if m["destination"] not in ("/sys", "/sys/fs/cgroup")]
c["process"]["user"] = {"uid": 0, "gid": 0, "additionalGids": [5000]}'
	chown -R 100000:100000 "$ROOTFS"
	chmod 0755 "$BERTH_TEST_DIR" "$BUNDLE"
	set_args true
	fails_cleanly 'additionalGids' create "$ID"
}

@test "malformed config.json fails create with the position, leaves nothing" {
	printf '{"ociVersion": "1.0.0", "process": {' >"$BUNDLE/config.json"
	fails_cleanly "config.json" create "$ID"
	[[ "$output" == *"line 1"* ]]
}

@test "a wrongly typed value is named by its JSON path: linux.resources.memory.limit" {
	update_config 'c["linux"]["resources"]["memory"] = {"limit": "1G"}'
	fails_cleanly "linux.resources.memory.limit" create "$ID"
}

@test "an unknown namespace type is refused by name, leaves nothing" {
	update_config 'c["linux"]["namespaces"].append({"type": "bogus"})'
	fails_cleanly "bogus" create "$ID"
}

@test "a missing config.json or bundle fails create, leaves nothing" {
	rm "$BUNDLE/config.json"
	fails_cleanly "config.json" create "$ID"
	fails_cleanly "no-such-bundle" create -b "$BERTH_TEST_DIR/no-such-bundle" "$ID"
}

@test "--log FILE --log-format json: one JSON error line with level, msg and time" {
	set_args no-such-program
	run berth --log "$BERTH_TEST_DIR/log.json" --log-format json create "$ID"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$ID"
	cat "$BERTH_TEST_DIR/log.json"
	python3 - "$BERTH_TEST_DIR/log.json" <<'EOF'
import json, re, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.strip()]
docs = [json.loads(l) for l in lines]
errors = [d for d in docs if d.get("level") == "error"]
assert len(errors) == 1, docs
e = errors[0]
assert 'exec: "no-such-program": executable file not found in $PATH' in e["msg"], e
# RFC 3339, as runc's logrus writes it
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", e["time"]), e
EOF
}

@test "--log-format json: a message with control characters and bytes that are not UTF-8 is still one valid JSON line" {
	# The id is refused and echoed in the message. jansson wrote no line at
	# all for bytes that are not UTF-8; now they become U+FFFD, and the
	# control characters are escaped as jansson (and Go's encoder) do.
	run berth --log "$BERTH_TEST_DIR/log.json" --log-format json state "$(printf 'a\001b"\\c\td\377\303\251')"
	[ "$status" -ne 0 ]
	cat "$BERTH_TEST_DIR/log.json"
	grep -qF '"msg":"invalid container id format: a\u0001b\"\\c\td\ufffd' "$BERTH_TEST_DIR/log.json"
	python3 - "$BERTH_TEST_DIR/log.json" <<'EOF'
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l.strip()]
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["level"] == "error" and d["msg"].endswith('a\x01b"\\c\td\ufffd\u00e9'), d
EOF
}

@test "--log FILE (text): the error line has level=error and the message" {
	set_args true
	update_config 'c["root"]["path"] = "no-such-rootfs"'
	run berth --log "$BERTH_TEST_DIR/log.txt" create "$ID"
	[ "$status" -ne 0 ]
	grep 'level=error' "$BERTH_TEST_DIR/log.txt" | grep -q 'no-such-rootfs'
}

@test "create failing in the init (after clone) leaves no process, cgroup, state or mount" {
	# fails after the namespaces, cgroup and mounts exist: a sysctl that
	# is not there
	update_config 'c["linux"]["sysctl"] = {"net.ipv4.no_such_sysctl": "1"}'
	set_args true
	fails_cleanly "net.ipv4.no_such_sysctl" create "$ID"
}
