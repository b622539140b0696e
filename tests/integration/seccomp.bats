#!/usr/bin/env bats
# seccomp.bats - linux.seccomp, process.capabilities and the LSM fields on
# real containers: effects seen from inside (errnos, SIGSYS, what
# /proc/self/status says), the compiled-filter cache seen through --debug,
# and a seccomp agent answering syscalls for the container.

load helpers

LISTENER=${SECCOMP_LISTENER:-$(dirname "$BERTH")/../tests/helpers/seccomp_listener}

setup() {
	require_root
	setup_bundle seccomp
}

teardown() {
	teardown_bundle
}

# A small deny-list profile replacing podman's: set_profile 'PY-LIST' where
# the list is the "syscalls" entries (Python literals).
set_profile() {
	update_config "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': $1}"
}

# Container IDs name host-wide cgroups: keep them unique per test run.
cid() {
	echo "seccomp-$1-$$"
}

args() {
	local py="c['process']['args'] = ["
	local a
	for a in "$@"; do
		py+="$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$a"),"
	done
	update_config "$py]"
}

@test "podman's default profile: allowed syscalls work, others get its errnos" {
	args sh -c 'mkdir /tmp/d && echo mkdir-ok; linux32 true && echo linux32-ok; grep ^Seccomp: /proc/self/status; swapoff /nonexistent 2>&1; nsenter -t 1 -n true 2>&1; true'
	run berth run -b "$BUNDLE" "$(cid podman-profile)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *mkdir-ok* ]]
	# personality(PER_LINUX32) is one of the values the profile allows.
	[[ "$output" == *linux32-ok* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
	# setns is an explicit EPERM without CAP_SYS_ADMIN.
	[[ "$output" == *"nsenter"*"Operation not permitted"* ]]
}

@test "SCMP_ACT_ERRNO with errnoRet: the container sees that errno" {
	set_profile "[{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 18}]"
	args sh -c 'mkdir /tmp/d; test -d /tmp/d && echo exists || echo absent'
	run berth run -b "$BUNDLE" "$(cid errno)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Invalid cross-device link"* ]]
	[[ "$output" == *absent* ]]
}

@test "defaultErrnoRet applies to syscalls outside an allow-list" {
	# podman's allow-list without mkdir, and EOPNOTSUPP instead of ENOSYS.
	update_config '
s = c["linux"]["seccomp"]
s["defaultErrnoRet"] = 95
for e in s["syscalls"]:
    e["names"] = [n for n in e["names"] if n not in ("mkdir", "mkdirat")]
'
	args sh -c 'mkdir /tmp/d 2>&1; echo done'
	run berth run -b "$BUNDLE" "$(cid default-errno)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Not supported"* || "$output" == *"Operation not supported"* ]]
	[[ "$output" == *done* ]]
}

@test "SCMP_ACT_KILL_PROCESS: the process dies of SIGSYS" {
	set_profile "[{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_KILL_PROCESS'}]"
	args mkdir /tmp/d
	run berth run -b "$BUNDLE" "$(cid kill)"
	echo "$output"
	# 128 + SIGSYS (31)
	[ "$status" -eq 159 ]
}

@test "argument conditions: personality refused only for PER_LINUX32" {
	set_profile "[{'names': ['personality'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 8, 'op': 'SCMP_CMP_EQ'}]}]"
	args sh -c 'linux64 true && echo linux64-ok; linux32 true 2>&1; echo rc=$?'
	run berth run -b "$BUNDLE" "$(cid args)"
	echo "$output"
	[[ "$output" == *linux64-ok* ]]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *rc=1* ]]
}

@test "SCMP_CMP_MASKED_EQ: unshare with CLONE_NEWUSER refused, other flags allowed" {
	# (flags & CLONE_NEWUSER) == CLONE_NEWUSER; CAP_SYS_ADMIN so that only
	# seccomp can refuse.
	set_profile "[{'names': ['unshare'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13, 'args': [{'index': 0, 'value': 0x10000000, 'valueTwo': 0x10000000, 'op': 'SCMP_CMP_MASKED_EQ'}]}]"
	update_config '
for k in ("bounding", "effective", "permitted"):
    c["process"]["capabilities"][k].append("CAP_SYS_ADMIN")
'
	args sh -c 'unshare -U true 2>&1; unshare -U -u true 2>&1; unshare -u true && echo uts-ok'
	run berth run -b "$BUNDLE" "$(cid masked)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"unshare(0x10000000): Permission denied"* ]]
	[[ "$output" == *"unshare(0x14000000): Permission denied"* ]]
	[[ "$output" == *uts-ok* ]]
}

@test "unknown syscall names are skipped; flags LOG and SPEC_ALLOW are accepted" {
	set_profile "[{'names': ['no_such_syscall_berth', 'mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 18}]"
	update_config 'c["linux"]["seccomp"]["flags"] = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]'
	args sh -c 'mkdir /tmp/d 2>&1; grep ^Seccomp_filters: /proc/self/status'
	run berth run -b "$BUNDLE" "$(cid unknown)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Invalid cross-device link"* ]]
	[[ "$output" == *"Seccomp_filters:	1"* ]]
}

@test "compiled filters are cached under the state root: the second start hits" {
	args true
	run berth --debug run -b "$BUNDLE" "$(cid cache1)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"seccomp: compiled"* ]]
	run berth --debug run -b "$BUNDLE" "$(cid cache2)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"seccomp: cache hit"* ]]
	[[ "$output" != *"seccomp: compiled"* ]]
	local f
	f=$(find "$BERTH_ROOT" -name '*.bpf')
	[ "$(echo "$f" | wc -l)" -eq 1 ]
	[ "$(basename "$(dirname "$f")")" = seccomp ]
	[ "$(stat -c %a "$f")" = 600 ]
	[ "$(stat -c %a "$(dirname "$f")")" = 700 ]
	# A tampered entry is not used.
	chmod 0644 "$f"
	run berth --debug run -b "$BUNDLE" "$(cid cache3)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"rejected"* ]]
	[[ "$output" == *"seccomp: compiled"* ]]
}

@test "SCMP_ACT_NOTIFY: the listener gets the state and answers mkdir" {
	[ -x "$LISTENER" ] || skip "seccomp_listener not built at $LISTENER"
	local sock=$BERTH_TEST_DIR/agent.sock
	"$LISTENER" -d -o "$BERTH_TEST_DIR/agent-state.json" -l "$BERTH_TEST_DIR/agent.log" -r 0 "$sock"
	set_profile "[{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_NOTIFY'}]"
	update_config "c['linux']['seccomp']['listenerPath'] = '$sock'; c['linux']['seccomp']['listenerMetadata'] = 'berth-bats'"
	# The agent answers "success" without making anything.
	args sh -c 'mkdir /tmp/fake && echo mkdir-returned-0; test -d /tmp/fake || echo absent'
	run berth run -b "$BUNDLE" "$(cid notify)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *mkdir-returned-0* ]]
	[[ "$output" == *absent* ]]
	grep -q '"fds":\["seccompFd"\]' "$BERTH_TEST_DIR/agent-state.json"
	grep -q '"metadata":"berth-bats"' "$BERTH_TEST_DIR/agent-state.json"
	grep -q "\"id\":\"$(cid notify)\"" "$BERTH_TEST_DIR/agent-state.json"
	grep -q '^syscall=83 ' "$BERTH_TEST_DIR/agent.log" || grep -q '^syscall=258 ' "$BERTH_TEST_DIR/agent.log"
}

@test "SCMP_ACT_NOTIFY as the default action is refused" {
	update_config 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/nonexistent.sock"}'
	run berth run -b "$BUNDLE" "$(cid notify-default)"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.seccomp.defaultAction"* ]]
}

@test "capabilities: the container has exactly the configured sets" {
	update_config '
p = c["process"]
p["capabilities"]["inheritable"] = ["CAP_NET_BIND_SERVICE"]
p["capabilities"]["ambient"] = ["CAP_NET_BIND_SERVICE"]
p["capabilities"]["bounding"].append("CAP_NO_SUCH_CAP")
'
	args grep ^Cap /proc/self/status
	run berth run -b "$BUNDLE" "$(cid caps)"
	echo "$output"
	[ "$status" -eq 0 ]
	# podman's defaults: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID
	# SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP
	[[ "$output" == *"CapPrm:	00000000800405fb"* ]]
	[[ "$output" == *"CapEff:	00000000800405fb"* ]]
	[[ "$output" == *"CapBnd:	00000000800405fb"* ]]
	[[ "$output" == *"CapInh:	0000000000000400"* ]]
	[[ "$output" == *"CapAmb:	0000000000000400"* ]]
	# The unknown name was a warning, not a failure.
	[[ "$output" == *"unknown capability"* ]]
}

@test "capabilities survive a switch to a non-root user only as ambient" {
	update_config '
p = c["process"]
p["user"] = {"uid": 1000, "gid": 1000}
p["capabilities"]["inheritable"] = ["CAP_NET_BIND_SERVICE"]
p["capabilities"]["ambient"] = ["CAP_NET_BIND_SERVICE"]
'
	# uid 1000 must be able to walk the rootfs (the cached copy may be 0700).
	chmod 0755 "$ROOTFS"
	args grep ^Cap /proc/self/status
	run berth run -b "$BUNDLE" "$(cid caps-user)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapEff:	0000000000000400"* ]]
	[[ "$output" == *"CapAmb:	0000000000000400"* ]]
}

@test "without noNewPrivileges the filter still goes in (before the caps drop)" {
	update_config 'c["process"]["noNewPrivileges"] = False'
	args sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
	run berth run -b "$BUNDLE" "$(cid no-nnp)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *"NoNewPrivs:	0"* ]]
}

@test "an AppArmor profile on a host without AppArmor is an error" {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && skip "AppArmor is enabled here"
	update_config 'c["process"]["apparmorProfile"] = "berth-test"'
	args true
	run berth run -b "$BUNDLE" "$(cid apparmor)"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.apparmorProfile"*"AppArmor is not enabled"* ]]
}

@test "features reports seccomp, capabilities and LSMs" {
	run berth features
	[ "$status" -eq 0 ]
	echo "$output" >"$BERTH_TEST_DIR/features.json"
	python3 - "$BERTH_TEST_DIR/features.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["linux"]
s = d["seccomp"]
assert s["enabled"] is True, s
assert "SCMP_ACT_NOTIFY" in s["actions"] and "SCMP_CMP_MASKED_EQ" in s["operators"], s
assert "SCMP_ARCH_X86_64" in s["archs"], s
assert set(s["supportedFlags"]) <= set(s["knownFlags"]), s
assert "SECCOMP_FILTER_FLAG_TSYNC" in s["supportedFlags"], s
assert "CAP_KILL" in d["capabilities"], d["capabilities"]
assert isinstance(d["apparmor"]["enabled"], bool) and isinstance(d["selinux"]["enabled"], bool)
EOF
}
