#!/usr/bin/env bats
# process.bats - config.json's process object, read back from inside the
# container: user (uid, gid, additionalGids, umask), capabilities (all five
# sets, from /proc/self/status), rlimits, noNewPrivileges, oomScoreAdj, env,
# cwd and args.

load helpers
load ct_helpers

setup() {
	require_root
	setup_bundle default
	# a non-root workload must be able to enter its own "/" (the cached
	# rootfs is a mktemp dir, 0700)
	chmod 0755 "$ROOTFS"
}

teardown() {
	teardown_bundle
}

# status_line KEY: the value of KEY in a /proc/self/status dump in $output
status_line() {
	echo "$output" | awk -v k="$1:" '$1 == k { $1 = ""; sub(/^[ \t]+/, ""); print }'
}

# cap_mask NAME...: the /proc/self/status hex mask of those capabilities
cap_mask() {
	python3 - "$@" <<'EOF'
import sys
# linux/capability.h
names = ["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
         "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
         "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
         "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
         "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
         "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
         "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
         "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"]
m = 0
for n in sys.argv[1:]:
    m |= 1 << names.index(n.removeprefix("CAP_"))
print(f"{m:016x}")
EOF
}

@test "user: uid, gid and additionalGids are the process's ids" {
	update_config 'c["process"]["user"] = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20, 1000]}'
	set_sh 'id -u; id -g; grep -E "^(Uid|Gid|Groups):" /proc/self/status'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[ "$(status_line Uid | tr -s '\t ' ' ')" = "1000 1000 1000 1000" ]
	[ "$(status_line Gid | tr -s '\t ' ' ')" = "1000 1000 1000 1000" ]
	[ "$(status_line Groups | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')" = "10 20 1000 " ]
}

@test "user: root with no additionalGids has no supplementary groups" {
	set_sh 'grep "^Groups:" /proc/self/status'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$(status_line Groups)" = "" ]
}

@test "user: umask is the process's (0027), default 0022" {
	update_config 'c["process"]["user"]["umask"] = 23'
	set_sh 'umask; touch /tmp/f; stat -c %a /tmp/f'
	update_config 'c["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]})'
	run berth run "$(ct_id a)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0027 ]
	[ "${lines[1]}" = 640 ]

	update_config 'del c["process"]["user"]["umask"]'
	run berth run "$(ct_id b)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0022 ]
	[ "${lines[1]}" = 644 ]
}

@test "capabilities: each of the five sets is exactly the config's" {
	# for root, execve makes the effective set the permitted one (no file
	# capabilities, SECBIT_NOROOT unset): the config says the same for both
	update_config 'c["process"]["capabilities"] = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_ADMIN"],
		"effective": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
		"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
		"inheritable": ["CAP_NET_RAW"],
		"ambient": []}'
	set_sh 'grep ^Cap /proc/self/status'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	echo "$output"
	[ "$(status_line CapBnd)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_ADMIN)" ]
	[ "$(status_line CapEff)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW)" ]
	[ "$(status_line CapPrm)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW)" ]
	[ "$(status_line CapInh)" = "$(cap_mask CAP_NET_RAW)" ]
	[ "$(status_line CapAmb)" = 0000000000000000 ]
}

@test "capabilities: ambient ones survive a non-root exec" {
	update_config 'c["process"]["user"] = {"uid": 1000, "gid": 1000}'
	update_config 'c["process"]["capabilities"] = {
		"bounding": ["CAP_NET_BIND_SERVICE", "CAP_KILL"],
		"effective": ["CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_NET_BIND_SERVICE"],
		"inheritable": ["CAP_NET_BIND_SERVICE"],
		"ambient": ["CAP_NET_BIND_SERVICE"]}'
	set_sh 'grep ^Cap /proc/self/status'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	local nbs
	nbs=$(cap_mask CAP_NET_BIND_SERVICE)
	# uid 1000 after execve keeps exactly the ambient set
	[ "$(status_line CapAmb)" = "$nbs" ]
	[ "$(status_line CapEff)" = "$nbs" ]
	[ "$(status_line CapPrm)" = "$nbs" ]
	[ "$(status_line CapBnd)" = "$(cap_mask CAP_NET_BIND_SERVICE CAP_KILL)" ]
}

@test "capabilities: none at all for a non-root user without ambient" {
	update_config 'c["process"]["user"] = {"uid": 1000, "gid": 1000}'
	set_sh 'grep ^Cap /proc/self/status'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$(status_line CapEff)" = 0000000000000000 ]
	[ "$(status_line CapPrm)" = 0000000000000000 ]
	# the bounding set is still the config's
	[ "$(status_line CapBnd)" = "$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)" ]
}

@test "capabilities: a dropped one is really gone (chown fails without CAP_CHOWN)" {
	update_config 'c["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"})'
	set_sh 'touch /tmp/f && chown 1000 /tmp/f 2>/dev/null && echo chowned || echo refused'
	run berth run "$(ct_id a)"
	[ "$output" = refused ]
	update_config 'c["process"]["capabilities"]["effective"].append("CAP_CHOWN"); c["process"]["capabilities"]["permitted"].append("CAP_CHOWN"); c["process"]["capabilities"]["bounding"].append("CAP_CHOWN")'
	run berth run "$(ct_id b)"
	[ "$output" = chowned ]
}

@test "rlimits: soft and hard values, read with ulimit and /proc/self/limits" {
	update_config 'c["process"]["rlimits"] = [
		{"type": "RLIMIT_NOFILE", "soft": 1000, "hard": 2000},
		{"type": "RLIMIT_NPROC", "soft": 500, "hard": 600},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]'
	set_sh 'ulimit -n; ulimit -Hn; cat /proc/self/limits'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 2000 ]
	[ "$(echo "$output" | awk '/^Max open files/ { print $4, $5 }')" = "1000 2000" ]
	[ "$(echo "$output" | awk '/^Max processes/ { print $3, $4 }')" = "500 600" ]
	[ "$(echo "$output" | awk '/^Max core file size/ { print $5, $6 }')" = "0 0" ]
}

@test "rlimits: a soft value above the hard one is refused" {
	local id
	id=$(ct_id)
	update_config 'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 3000, "hard": 2000}]'
	set_args true
	run berth run "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"rlimits"*"3000"* ]]
	assert_no_leftovers "$id"
}

@test "noNewPrivileges: NoNewPrivs is 1 when set, 0 when not" {
	set_sh 'grep ^NoNewPrivs: /proc/self/status'
	run berth run "$(ct_id a)"
	[ "$status" -eq 0 ]
	[ "$(status_line NoNewPrivs)" = 1 ]
	update_config 'c["process"]["noNewPrivileges"] = False'
	run berth run "$(ct_id b)"
	[ "$status" -eq 0 ]
	[ "$(status_line NoNewPrivs)" = 0 ]
}

@test "oomScoreAdj is the process's oom_score_adj, and the host keeps its own" {
	local host
	host=$(cat /proc/self/oom_score_adj)
	update_config 'c["process"]["oomScoreAdj"] = 123'
	set_sh 'cat /proc/self/oom_score_adj'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$output" = 123 ]
	[ "$(cat /proc/self/oom_score_adj)" = "$host" ]
}

@test "env: exactly the config's variables, and PATH used to find args[0]" {
	update_config 'c["process"]["env"] = ["PATH=/usr/bin", "FOO=bar baz", "EMPTY=", "HOME=/home/user"]'
	# no shell in between: env is what execve got
	set_args env
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | sort | tr '\n' '|')" = "EMPTY=|FOO=bar baz|HOME=/home/user|PATH=/usr/bin|" ]
}

@test "env: HOME is set from the user's passwd entry when the config has none" {
	update_config 'c["process"]["env"] = ["PATH=/usr/bin:/bin"]'
	set_sh 'echo "home=$HOME"'
	run berth run "$(ct_id a)"
	[ "$status" -eq 0 ]
	[ "$output" = "home=/root" ]
	update_config 'c["process"]["user"] = {"uid": 1000, "gid": 1000}'
	run berth run "$(ct_id b)"
	[ "$status" -eq 0 ]
	[ "$output" = "home=$(awk -F: '$3 == 1000 { print $6 }' "$ROOTFS/etc/passwd")" ]
}

@test "cwd: the process starts in the config's directory" {
	update_config 'c["process"]["cwd"] = "/usr/bin"'
	set_sh 'pwd; readlink /proc/self/cwd'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /usr/bin ]
	[ "${lines[1]}" = /usr/bin ]
}

@test "cwd: a missing one is created in the rootfs (as runc does)" {
	update_config 'c["root"]["readonly"] = False'
	update_config 'c["process"]["cwd"] = "/work/dir"'
	set_sh 'pwd'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$output" = /work/dir ]
	[ -d "$ROOTFS/work/dir" ]
}

@test "args: each argument arrives intact (spaces, quotes, empty ones)" {
	set_args sh -c 'for a in "$@"; do echo "[$a]"; done' argv0 "a b" "" "'q'" '$HOME' "x
y"
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$output" = "[a b]
[]
['q']
[\$HOME]
[x
y]" ]
}

@test "args[0] with a slash is used as a path, not looked up" {
	set_args /usr/bin/busybox echo direct
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$output" = direct ]
}
