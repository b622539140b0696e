#!/usr/bin/env bats
# compat-parse.bats - configs that runc accepts run under berth too:
# unknown or malformed capability names (a warning, then skipped), an
# absent process.user or user.gid (0), a process.json for exec without a
# user, device access strings with letters runc ignores, a config without
# a mount namespace (and no mount left on the host when it fails). Each
# case runs the same bundle under runc when it is installed and compares.
# The places where berth stays stricter are listed in docs/strictness.md.

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

# runc_run ID: runc run of $BUNDLE (own state root), output in $output
runc_run() {
	run runc --root "$RUNC_ROOT" run "$1" </dev/null
}

# cap_lines: the Cap* lines of $output, one line
cap_lines() {
	echo "$output" | grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' | tr '\n' ' '
}

@test "capabilities: unknown and malformed names are warned about and skipped, as runc" {
	update_config '
caps = c["process"]["capabilities"]
caps["bounding"] += ["UNKNOWN_CAP", "cap_kill", "CAP_NO_SUCH_CAP", ""]
caps["effective"] += ["UNKNOWN_CAP"]
caps["permitted"] += ["CAP_"]
c["process"]["args"] = ["grep", "^Cap", "/proc/self/status"]'
	run berth run "$(ct_id)"
	echo "$output"
	[ "$status" -eq 0 ]
	# the three named ones (AUDIT_WRITE, KILL, NET_BIND_SERVICE), nothing more
	[[ "$output" == *"CapBnd:	0000000020000420"* ]]
	[[ "$output" == *"CapEff:	0000000020000420"* ]]
	[[ "$output" == *'level=warning msg="process.capabilities.bounding[3]: unknown capability '*UNKNOWN_CAP*' ignored'* ]]
	[[ "$output" == *'bounding[4]: unknown capability '*cap_kill*' ignored'* ]]
	local ours
	ours=$(cap_lines)
	if have_runc; then
		runc_run "$(ct_id)-runc"
		echo "runc: $output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"ignoring unknown or unavailable capabilities"* ]]
		[ "$(cap_lines)" = "$ours" ]
	fi
}

@test "process.user: an absent user object or gid means 0, as runc" {
	set_args sh -c 'echo "ids $(id -u) $(id -g)"'
	update_config 'c["process"]["user"] = {"uid": 1000}'
	run berth run "$(ct_id a)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "ids 1000 0" ]
	if have_runc; then
		runc_run "$(ct_id a-runc)"
		[ "$output" = "ids 1000 0" ]
	fi
	update_config 'del c["process"]["user"]'
	run berth run "$(ct_id b)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "ids 0 0" ]
	if have_runc; then
		runc_run "$(ct_id b-runc)"
		[ "$output" = "ids 0 0" ]
	fi
}

@test "process.user: a user object without uid stays an error (docs/strictness.md)" {
	update_config 'c["process"]["user"] = {"gid": 1000}'
	run berth run "$(ct_id)"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.user.uid: required field is missing"* ]]
	assert_no_leftovers "$(ct_id)"
}

@test "exec -p: a process.json without a user runs as uid 0 gid 0, as runc" {
	local id
	id=$(ct_id)
	set_args sleep 1000
	detached run -d "$id"
	cat >"$BERTH_TEST_DIR/process.json" <<'EOF'
{"args": ["sh", "-c", "echo ids $(id -u) $(id -g)"], "cwd": "/", "env": ["PATH=/bin:/usr/bin"]}
EOF
	run berth exec -p "$BERTH_TEST_DIR/process.json" "$id"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "ids 0 0" ]
	if have_runc; then
		runc --root "$RUNC_ROOT" run -d "$id-runc" </dev/null >/dev/null 2>&1
		run runc --root "$RUNC_ROOT" exec -p "$BERTH_TEST_DIR/process.json" "$id-runc"
		[ "$output" = "ids 0 0" ]
	fi
}

@test "devices: access letters other than r, w and m are ignored, as runc" {
	# 240 is a "local/experimental" major no driver has here: an open the
	# cgroup allows fails with ENXIO, one it denies with EPERM.
	grep -q '^ *240 ' /proc/devices && skip "char major 240 is in use on this host"
	# a bind-mounted node: only the rule under test decides (linux.devices
	# adds none, as in runc)
	mknod -m 666 "$BERTH_TEST_DIR/dev240" c 240 0
	update_config "
c['mounts'].append({'destination': '/dev/berth-test', 'type': 'bind', 'source': '$BERTH_TEST_DIR/dev240', 'options': ['bind']})
c['linux']['resources']['devices'].append({'allow': True, 'type': 'c', 'major': 240, 'minor': 0, 'access': 'rX x'})"
	set_sh '(exec 3</dev/berth-test) 2>&1; (exec 3>/dev/berth-test) 2>&1; true'
	local want="sh: can't open /dev/berth-test: No such device or address
sh: can't create /dev/berth-test: Operation not permitted"
	run berth run "$(ct_id)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	if have_runc; then
		runc_run "$(ct_id)-runc"
		echo "runc: $output"
		[ "$output" = "$want" ]
	fi
}

@test "devices: an access string with none of r, w and m is refused before anything is made" {
	update_config 'c["linux"]["resources"]["devices"].append({"allow": True, "type": "c", "major": 1, "minor": 11, "access": "RWM"})'
	run berth run "$(ct_id)"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.resources.devices[1].access: "RWM" names none of r, w and m'* ]]
	assert_no_leftovers "$(ct_id)"
}

# no_mountns: the config without a mount namespace and without what needs
# one (maskedPaths, readonlyPaths), as runc accepts it
no_mountns() {
	update_config '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "mount"]
c["linux"].pop("maskedPaths", None)
c["linux"].pop("readonlyPaths", None)'
}

@test "no mount namespace: runs as runc runs it, and leaves no mount on the host" {
	no_mountns
	set_sh 'test -x /bin/busybox && echo in-rootfs; readlink /proc/self/ns/mnt; grep -c " / /proc " /proc/self/mountinfo'
	run berth run "$(ct_id)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = in-rootfs ]
	# the host's mount namespace, with the container's /proc mounted in it
	[ "${lines[1]}" = "$(readlink /proc/self/ns/mnt)" ]
	[ -z "$(mounts_under "$BERTH_TEST_DIR")" ]
	if have_runc; then
		# runc leaves its mounts behind: in a namespace of its own here
		run unshare -m --propagation private sh -c \
			'runc --root "$1" run "$2" </dev/null | head -1; grep -c " $3" /proc/self/mountinfo' \
			_ "$RUNC_ROOT" "$(ct_id)-runc" "$ROOTFS"
		echo "runc: $output"
		[ "${lines[0]}" = in-rootfs ]
		[ "${lines[1]}" -gt 0 ]
	fi
}

@test "no mount namespace: a container that fails to start leaves no mount (runc 1.1.5 leaves its rootfs bind)" {
	local id
	id=$(ct_id)
	no_mountns
	update_config 'c["mounts"].append({"destination": "/bogus", "type": "no-such-fs", "source": "none"})'
	run berth run "$id"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"no-such-fs"* ]]
	assert_no_leftovers "$id"
	if have_runc; then
		run unshare -m --propagation private sh -c \
			'runc --root "$1" run "$2" </dev/null >/dev/null 2>&1; grep -c " $3 " /proc/self/mountinfo' \
			_ "$RUNC_ROOT" "$id-runc" "$ROOTFS"
		echo "runc leaves: $output"
		[ "$output" -gt 0 ]
	fi
}

@test "no mount namespace: a created container's mounts go at delete -f" {
	local id
	id=$(ct_id)
	no_mountns
	set_args sleep 1000
	detached create "$id"
	[ -n "$(mounts_under "$ROOTFS")" ]
	berth delete -f "$id"
	assert_no_leftovers "$id"
}

@test "no mount namespace: maskedPaths are refused in runc's words, nothing made" {
	local id
	id=$(ct_id)
	update_config 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "mount"]'
	run berth run "$id"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to restrict sys entries without a private MNT namespace"* ]]
	assert_no_leftovers "$id"
	if have_runc; then
		run runc --root "$RUNC_ROOT" run "$id-runc" </dev/null
		[[ "$output" == *"unable to restrict sys entries without a private MNT namespace"* ]]
	fi
}

@test "sysctl: keys with slashes (sysctl(8)'s other form) are read as runc reads them" {
	local host_msgmax
	host_msgmax=$(cat /proc/sys/kernel/msgmax)
	update_config 'c["linux"]["sysctl"] = {"kernel/msgmax": "8193", "net/ipv4/conf/lo/forwarding": "1"}'
	set_sh 'cat /proc/sys/kernel/msgmax /proc/sys/net/ipv4/conf/lo/forwarding'
	run berth run "$(ct_id)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "8193
1" ]
	# written in the container's ipc namespace, not the host's
	[ "$(cat /proc/sys/kernel/msgmax)" = "$host_msgmax" ]
	if have_runc; then
		runc_run "$(ct_id)-runc"
		echo "runc: $output"
		[ "$output" = "8193
1" ]
	fi
}

@test "exec --cap: an unknown name is warned about and skipped, the known ones given (as runc)" {
	local id
	id=$(ct_id)
	set_args sleep 1000
	detached run -d "$id"
	run berth exec --cap NO_SUCH_CAP --cap CAP_SYS_ADMIN "$id" grep ^CapEff /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"--cap NO_SUCH_CAP: unknown capability ignored"* ]]
	# once: the re-execution from a sealed copy (exeseal) parses the flags
	# again but does not repeat what the first image said
	[ "$(grep -c 'NO_SUCH_CAP: unknown capability ignored' <<<"$output")" -eq 1 ]
	# the config's three and CAP_SYS_ADMIN
	[[ "$output" == *"CapEff:	0000000020200420"* ]]
	if have_runc; then
		runc --root "$RUNC_ROOT" run -d "$id-runc" </dev/null >/dev/null 2>&1
		run runc --root "$RUNC_ROOT" exec --cap NO_SUCH_CAP --cap CAP_SYS_ADMIN "$id-runc" grep ^CapEff /proc/self/status
		echo "runc: $output"
		[[ "$output" == *"CapEff:	0000000020200420"* ]]
	fi
}
