#!/usr/bin/env bats
# process-compat.bats - the container process as runc 1.1.5 makes it, for
# bundles that no one here wrote: a cwd only root can search (entered while
# still privileged), the environment (duplicates, HOME from /etc/passwd,
# what startContainer hooks get) and the first line of a failed execve,
# for `run` and for `exec`. Each case runs under runc too when it is
# installed, and the outputs are compared.

load helpers
load ct_helpers

PATHV=PATH=/usr/bin:/bin

setup() {
	require_root
	setup_bundle default
	chmod 0755 "$ROOTFS"
	chmod 0700 "$ROOTFS/root"
	RUNC_ROOT=$BERTH_TEST_DIR/runc
}

teardown() {
	teardown_runc
	teardown_bundle
}

runc_() {
	runc --root "$RUNC_ROOT" "$@"
}

has_runc() {
	command -v runc >/dev/null
}

# both_run ID: `run` under berth (b_out/b_rc) and runc (r_out/r_rc, when
# installed); stdin closed, stderr with stdout.
both_run() {
	b_out=$(berth run "$1" </dev/null 2>&1) && b_rc=0 || b_rc=$?
	echo "berth (rc=$b_rc):"$'\n'"$b_out"
	has_runc || return 0
	r_out=$(runc_ run "$1-r" </dev/null 2>&1) && r_rc=0 || r_rc=$?
	echo "runc (rc=$r_rc):"$'\n'"$r_out"
}

# both_exec ID EXEC-ARGS...: a container running `sleep` under each
# runtime, then exec EXEC-ARGS in it (b_/r_ as both_run).
both_exec() {
	local id=$1
	shift
	set_args sleep 1000
	detached run -d "$id"
	b_out=$(berth exec "$@" </dev/null 2>&1) && b_rc=0 || b_rc=$?
	echo "berth (rc=$b_rc):"$'\n'"$b_out"
	has_runc || return 0
	runc_ run -d "$id-r" </dev/null >/dev/null 2>&1
	local args=("$@") i
	for i in "${!args[@]}"; do
		[ "${args[$i]}" = "$id" ] && args[$i]="$id-r"
	done
	r_out=$(runc_ exec "${args[@]}" </dev/null 2>&1) && r_rc=0 || r_rc=$?
	echo "runc (rc=$r_rc):"$'\n'"$r_out"
}

# ---- cwd ----

@test "cwd: /root (0700) with a non-root user: entered while still root, as runc" {
	set_sh 'pwd; id -u'
	update_config "c['process']['user'] = {'uid': 1000, 'gid': 1000}; c['process']['cwd'] = '/root'"
	both_run "pc-cwd-$$"
	[ "$b_rc" -eq 0 ]
	[ "$b_out" = $'/root\n1000' ]
	! has_runc || [ "$r_out" = "$b_out" ]
}

@test "cwd: exec --user 1000 --cwd /root, and the config's HOME /root as cwd" {
	update_config "c['process']['env'] = ['$PATHV', 'HOME=/root']; c['process']['cwd'] = '/root'"
	both_exec "pc-excwd-$$" --user 1000 --cwd /root "pc-excwd-$$" sh -c 'pwd; id -u'
	[ "$b_rc" -eq 0 ]
	[ "$b_out" = $'/root\n1000' ]
	! has_runc || [ "$r_out" = "$b_out" ]
	# without --cwd: the config's cwd (/root), HOME /root
	b_out=$(berth exec --user 1000:1000 "pc-excwd-$$" sh -c 'pwd; echo $HOME' 2>&1)
	[ "$b_out" = $'/root\n/root' ]
}

@test "cwd: a directory root may not search but the user may is entered after the identity change" {
	# In a user namespace, root's capabilities don't reach a directory
	# whose owner is unmapped; the group (mapped: the container's 1000)
	# still may search it.
	mkdir "$ROOTFS/grp"
	chown 5:101000 "$ROOTFS/grp"
	chmod 0050 "$ROOTFS/grp"
	chown -R 100000:100000 "$ROOTFS/tmp"
	chmod 0755 "$BERTH_TEST_DIR" "$BUNDLE"
	update_config "
c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['process']['cwd'] = '/grp'
c['process']['args'] = ['sh', '-c', 'pwd; id -u']
"
	both_run "pc-grp-$$"
	[ "$b_rc" -eq 0 ]
	[ "$b_out" = $'/grp\n1000' ]
	! has_runc || [ "$r_out" = "$b_out" ]
}

# ---- environment ----

@test "env: a duplicate variable appears once, with its last value at its first place (run and exec)" {
	set_args env
	update_config "c['process']['env'] = ['$PATHV', 'ONE=two', 'A=1', 'ONE=three', 'HOME=/h']"
	both_run "pc-dup-$$"
	[ "$b_rc" -eq 0 ]
	[ "$b_out" = "$PATHV"$'\nONE=three\nA=1\nHOME=/h' ]
	! has_runc || [ "$r_out" = "$b_out" ]
	both_exec "pc-dupx-$$" -e ONE=four -e B=2 -e B=3 "pc-dupx-$$" env
	[ "$b_rc" -eq 0 ]
	[ "$b_out" = "$PATHV"$'\nONE=four\nA=1\nHOME=/h\nB=3' ]
	! has_runc || [ "$r_out" = "$b_out" ]
}

@test "env: HOME missing or empty comes from the user's passwd entry (run, exec, exec -p without env)" {
	set_args env
	update_config "c['process']['env'] = ['HOME=', '$PATHV']; c['process']['user'] = {'uid': 1000, 'gid': 1000}"
	both_run "pc-home-$$"
	[ "$b_rc" -eq 0 ]
	[ "$b_out" = $'HOME=/home/user\n'"$PATHV" ]
	! has_runc || [ "$r_out" = "$b_out" ]

	update_config "c['process']['user'] = {'uid': 0, 'gid': 0}"
	both_exec "pc-homex-$$" --user 1000 "pc-homex-$$" env
	[ "$b_rc" -eq 0 ]
	[ "$b_out" = $'HOME=/home/user\n'"$PATHV" ]
	! has_runc || [ "$r_out" = "$b_out" ]

	# a process.json with no env at all: HOME alone
	cat >"$BERTH_TEST_DIR/p.json" <<'EOF'
{"user": {"uid": 1000, "gid": 1000}, "args": ["/usr/bin/env"], "cwd": "/"}
EOF
	b_out=$(berth exec -p "$BERTH_TEST_DIR/p.json" "pc-homex-$$" 2>&1)
	echo "exec -p: $b_out"
	[ "$b_out" = HOME=/home/user ]
	if has_runc; then
		r_out=$(runc_ exec -p "$BERTH_TEST_DIR/p.json" "pc-homex-$$-r" 2>&1)
		[ "$r_out" = "$b_out" ]
	fi
}

@test "env: a startContainer hook without env gets the process's environment, as runc runs it" {
	cat >"$ROOTFS/hook.sh" <<'EOF'
#!/bin/sh
env | grep -v -e ^PWD= -e ^SHLVL= -e ^_= | sort >"/tmp/hook-env.$1"
EOF
	chmod 0755 "$ROOTFS/hook.sh"
	set_args true
	update_config "
c['root']['readonly'] = False
c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['process']['env'] = ['$PATHV', 'ONE=two', 'ONE=three']
c['hooks'] = {'startContainer': [
    {'path': '/hook.sh', 'args': ['hook.sh', 'none']},
    {'path': '/hook.sh', 'args': ['hook.sh', 'own'], 'env': ['X=1']}]}
"
	b_out=$(berth run "pc-hook-$$" </dev/null 2>&1)
	echo "$b_out"
	[ "$(cat "$ROOTFS/tmp/hook-env.none")" = $'HOME=/home/user\nONE=three\n'"$PATHV" ]
	# its own env when it has one (the shell adds a default PATH)
	[ "$(grep -c -e ^X=1 -e ^ONE= "$ROOTFS/tmp/hook-env.own")" -eq 1 ]
	if has_runc; then
		mv "$ROOTFS/tmp/hook-env.none" "$BERTH_TEST_DIR/berth-none"
		mv "$ROOTFS/tmp/hook-env.own" "$BERTH_TEST_DIR/berth-own"
		runc_ run "pc-hook-$$-r" </dev/null
		diff "$BERTH_TEST_DIR/berth-none" "$ROOTFS/tmp/hook-env.none"
		diff "$BERTH_TEST_DIR/berth-own" "$ROOTFS/tmp/hook-env.own"
	fi
}

# ---- a failed execve ----

@test "execve failure: the first line is runc's 'exec /run.sh: no such file or directory' (run and exec)" {
	# exists, but its interpreter doesn't: execve itself fails with ENOENT
	printf '#!/no/such/interpreter\necho never\n' >"$ROOTFS/run.sh"
	chmod 0755 "$ROOTFS/run.sh"
	set_args /run.sh
	both_run "pc-exe-$$"
	[ "$b_rc" -ne 0 ]
	[ "$(head -n1 <<<"$b_out")" = "exec /run.sh: no such file or directory" ]
	! has_runc || [ "$(head -n1 <<<"$r_out")" = "$(head -n1 <<<"$b_out")" ]

	both_exec "pc-exex-$$" "pc-exex-$$" /run.sh
	[ "$b_rc" -ne 0 ]
	[ "$(head -n1 <<<"$b_out")" = "exec /run.sh: no such file or directory" ]
	! has_runc || [ "$(head -n1 <<<"$r_out")" = "$(head -n1 <<<"$b_out")" ]
}

@test "execve failure: a missing file is runc's 'exec: \"/run.sh\": stat /run.sh: no such file or directory'" {
	set_args /run.sh
	both_run "pc-exm-$$"
	[ "$b_rc" -ne 0 ]
	[[ "$b_out" == *'exec: "/run.sh": stat /run.sh: no such file or directory'* ]]
	# (runc's logrus line escapes the quotes)
	! has_runc || [[ "$r_out" == *'exec: \"/run.sh\": stat /run.sh: no such file or directory'* ]]
}
