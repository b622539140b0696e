#!/usr/bin/env bats
# rootless.bats - berth as an ordinary user: a throwaway user with subuid
# and subgid ranges runs, execs, lists and kills its own containers, and
# can't see or touch anyone else's. The user is created and removed here.

load helpers

RL_USER=berth-rl
RL_OTHER=berth-rl2
LISTENER=${SECCOMP_LISTENER:-$(dirname "$BERTH")/../tests/helpers/seccomp_listener}

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create the test users"
	for u in $RL_USER $RL_OTHER; do
		id "$u" >/dev/null 2>&1 || useradd -m -s /bin/sh "$u"
	done
	grep -q "^$RL_USER:" /etc/subuid || echo "$RL_USER:300000:65536" >>/etc/subuid
	grep -q "^$RL_USER:" /etc/subgid || echo "$RL_USER:300000:65536" >>/etc/subgid
}

teardown_file() {
	local uid
	for u in $RL_USER $RL_OTHER; do
		pkill -KILL -u "$u" 2>/dev/null || true
		# the state root berth makes without XDG_RUNTIME_DIR
		uid=$(id -u "$u" 2>/dev/null) &&
			[ "$(stat -c %u "/tmp/berth-$uid" 2>/dev/null)" = "$uid" ] &&
			rm -rf "/tmp/berth-$uid"
		id "$u" >/dev/null 2>&1 && userdel -r "$u" >/dev/null 2>&1
		sed -i "/^$u:/d" /etc/subuid /etc/subgid
	done
	true
}

setup() {
	require_root
	setup_bundle rootless
	chmod 755 "$BERTH_TEST_DIR"
	chown -R "$RL_USER:$RL_USER" "$BUNDLE"
	RL_UID=$(id -u $RL_USER)
	RL_GID=$(id -g $RL_USER)
	# the range useradd (or setup_file) gave the user
	RL_SUB=$(awk -F: -v u=$RL_USER '$1 == u {print $2; exit}' /etc/subuid)
	update_config "c['process']['terminal'] = False
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $RL_UID, 'size': 1}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $RL_GID, 'size': 1}]"
	chown "$RL_USER" "$BUNDLE/config.json"
}

teardown() {
	as_user "berth delete -f r1 >/dev/null 2>&1; berth delete -f r2 >/dev/null 2>&1; true"
	teardown_bundle
}

# Run a shell snippet as the test user in the bundle, berth on PATH as `berth`.
as_user() {
	su -s /bin/sh "$RL_USER" -c "cd '$BUNDLE' && berth() { '$BERTH' \"\$@\"; } && $1"
}

@test "rootless run: root inside, the caller's uid outside" {
	update_config 'c["process"]["args"] = ["sh", "-c", "id -u; cat /proc/self/uid_map"]'
	run as_user "berth run r1"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ *0\ +$RL_UID\ +1$ ]]
}

@test "rootless spec --rootless maps the caller and runs" {
	run as_user "rm config.json && berth spec --rootless && sed -i 's/\"terminal\": true/\"terminal\": false/; s/\"sh\"$/\"true\"/' config.json && berth run r1 && echo ran"
	[ "$status" -eq 0 ]
	[[ "$output" == *ran* ]]
}

@test "rootless state lives under the user's own root" {
	update_config 'c["process"]["args"] = ["sleep", "30"]'
	run as_user "unset XDG_RUNTIME_DIR; berth run -d r2 </dev/null >/dev/null 2>&1; berth list -q"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = r2 ]
	[ "$(stat -c %U /tmp/berth-"$RL_UID")" = "$RL_USER" ]
	[ "$(stat -c %a /tmp/berth-"$RL_UID")" = 711 ]
	# exec joins it; kill and delete work
	run as_user "unset XDG_RUNTIME_DIR; berth exec r2 sh -c 'id -u; readlink /proc/self/ns/user'"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/user)" ]
	run as_user "unset XDG_RUNTIME_DIR; berth kill r2 KILL; sleep 0.3; berth delete r2 && berth list -q"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "rootless: another user's containers are invisible and untouchable" {
	update_config 'c["process"]["args"] = ["sleep", "30"]'
	run as_user "unset XDG_RUNTIME_DIR; berth run -d r2 </dev/null >/dev/null 2>&1"
	[ "$status" -eq 0 ]
	run su -s /bin/sh $RL_OTHER -c "unset XDG_RUNTIME_DIR; '$BERTH' list -q"
	[ -z "$output" ]
	run su -s /bin/sh $RL_OTHER -c "'$BERTH' --root /tmp/berth-$RL_UID kill r2 KILL"
	[ "$status" -ne 0 ]
	run su -s /bin/sh $RL_OTHER -c "'$BERTH' --root /tmp/berth-$RL_UID delete -f r2"
	[ "$status" -ne 0 ]
	run as_user "unset XDG_RUNTIME_DIR; berth state r2"
	[[ "$output" == *running* ]]
}

@test "rootless: a state root another user could write is refused" {
	mkdir -p "$BERTH_TEST_DIR/shared-root"
	chmod 777 "$BERTH_TEST_DIR/shared-root"
	update_config 'c["process"]["args"] = ["true"]'
	run as_user "berth --root $BERTH_TEST_DIR/shared-root run r1"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not writable by others"* ]]
}

@test "rootless multi-range mapping through newuidmap/newgidmap" {
	command -v newuidmap >/dev/null || skip "uidmap (newuidmap) is not installed"
	update_config "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $RL_UID, 'size': 1}, {'containerID': 1, 'hostID': $RL_SUB, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $RL_GID, 'size': 1}, {'containerID': 1, 'hostID': $RL_SUB, 'size': 65536}]
c['process']['args'] = ['sh', '-c', 'cat /proc/self/uid_map; su -s /bin/sh nobody -c \"id -u\" 2>&1 || true']"
	run as_user "berth run r1"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ 0\ +$RL_UID\ +1 ]]
	[[ "$output" =~ 1\ +$RL_SUB\ +65536 ]]
}

@test "rootless: a range without newuidmap fails with a clear error and leaves nothing" {
	update_config "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $RL_UID, 'size': 1}, {'containerID': 1, 'hostID': 300000, 'size': 65536}]
c['process']['args'] = ['true']"
	run as_user "PATH=/nonexistent; unset XDG_RUNTIME_DIR; berth run r1"
	[ "$status" -ne 0 ]
	[[ "$output" == *"newuidmap not found"* ]]
	[ ! -e "/tmp/berth-$RL_UID/r1" ]
}

@test "rootless: a range the caller doesn't own is refused by newuidmap" {
	command -v newuidmap >/dev/null || skip "uidmap (newuidmap) is not installed"
	update_config "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $RL_UID, 'size': 1}, {'containerID': 1, 'hostID': 500000, 'size': 10}]
c['process']['args'] = ['true']"
	run as_user "unset XDG_RUNTIME_DIR; berth run r1"
	[ "$status" -ne 0 ]
	[[ "$output" == *"newuidmap failed"* ]]
	[ ! -e "/tmp/berth-$RL_UID/r1" ]
}

@test "rootless exec: the seccomp agent on a host path gets the exec'd process's notify fd" {
	[ -x "$LISTENER" ] || skip "seccomp_listener not built at $LISTENER"
	local sock=$BUNDLE/agent.sock
	update_config "c['process']['args'] = ['sleep', '1000']
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$sock',
    'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_NOTIFY'}]}"
	# one agent per filter: the init's, then the exec'd process's
	as_user "'$LISTENER' -d -o '$BUNDLE/init-state.json' -r 0 '$sock'"
	as_user "berth run -d r1 </dev/null >/dev/null 2>&1"
	grep -q '"fds":\["seccompFd"\]' "$BUNDLE/init-state.json"
	as_user "'$LISTENER' -d -o '$BUNDLE/exec-state.json' -l '$BUNDLE/exec-agent.log' -r 0 '$sock'"
	# exec joins the container for good here (no way back to the host's
	# mount namespace): it must have reached the agent before that.
	run as_user "berth exec r1 sh -c 'mkdir /tmp/fake && echo mkdir-returned-0; test -d /tmp/fake || echo absent'"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *mkdir-returned-0* ]]
	[[ "$output" == *absent* ]]
	grep -q '"fds":\["seccompFd"\]' "$BUNDLE/exec-state.json"
	grep -Eq '^syscall=(83|258) ' "$BUNDLE/exec-agent.log"
}
