#!/usr/bin/env bats
# mounts-compat.bats - mount lists that runc runs (issue 14, "Mounts"), run
# by berth and, where runc is installed, by runc on the same bundle, with
# what each container sees compared. Where berth deliberately differs from
# runc 1.1.5 the test says so and why.

load helpers

setup() {
	require_root
	setup_bundle default
	update_config 'c["root"]["readonly"] = False'
	CT=mounts-$BATS_TEST_NUMBER-$$
	RUNC_ROOT=$BERTH_TEST_DIR/runc-state
}

teardown() {
	local m
	teardown_runc
	# the read-only and noatime bind sources of the implied-rw test
	for m in "${BERTH_TEST_DIR:-/nonexistent}"/src-*; do
		mountpoint -q "$m" && umount "$m"
	done
	[ -z "${DANGLE:-}" ] || rm -rf "$DANGLE"-*
	if [ -n "${RL_USER:-}" ] && id "$RL_USER" >/dev/null 2>&1; then
		su -s /bin/sh "$RL_USER" -c "'$BERTH' --root '$BERTH_TEST_DIR/rl-state' delete -f '$CT'" >/dev/null 2>&1
		userdel "$RL_USER" >/dev/null 2>&1 || true
	fi
	teardown_bundle
}

have_runc() {
	command -v runc >/dev/null
}

set_args() {
	printf '%s\0' "$@" >"$BERTH_TEST_DIR/args"
	update_config "c['process']['args'] = open('$BERTH_TEST_DIR/args').read().split(chr(0))[:-1]"
}

# run_in RUNTIME [-w WRAPPER] [RUN-FLAGS...] -- CMD...: run CMD in a
# container of $BUNDLE under berth or runc (WRAPPER: a command line the
# runtime runs under, e.g. "unshare -m --propagation shared").
run_in() {
	local rt=$1 wrap=() flags=()
	shift
	if [ "$1" = -w ]; then
		read -ra wrap <<<"$2"
		shift 2
	fi
	while [ "$1" != -- ]; do
		flags+=("$1")
		shift
	done
	shift
	set_args "$@"
	if [ "$rt" = runc ]; then
		run timeout 60 "${wrap[@]}" runc --root "$RUNC_ROOT" run "${flags[@]}" -b "$BUNDLE" "$CT-runc"
	else
		run timeout 60 "${wrap[@]}" "$BERTH" --root "$BERTH_ROOT" run "${flags[@]}" -b "$BUNDLE" "$CT"
	fi
}

# mount_field MOUNTPOINT N: field N of that mountpoint's line in $output
# (the container's /proc/self/mountinfo, printed by the test's command).
mount_field() {
	echo "$output" | awk -v m="$1" -v n="$2" '$5 == m { f = $n } END { print f }'
}

ROOT_TAGS='awk '"'"'$5 == "/" { t = ""; for (i = 7; $i != "-"; i++) t = t $i " "; print "tags=" t }'"'"' /proc/self/mountinfo'

# The propagation tags of / in $output, numbers dropped: "shared", "master",
# "unbindable" or "".
root_tags() {
	echo "$output" | sed -n 's/^tags=//p' | sed 's/:[0-9]*//g; s/ *$//'
}

@test "rootfsPropagation: every value, / as the container sees it, on a host whose mounts are shared" {
	local v want got
	# A mount namespace whose mounts are all shared, as on a systemd host.
	for v in shared slave private rshared rslave rprivate unbindable runbindable; do
		update_config "c['linux']['rootfsPropagation'] = '$v'"
		run_in berth -w "unshare -m --propagation shared" -- sh -c "$ROOT_TAGS"
		echo "berth $v: $output"
		[ "$status" -eq 0 ]
		got=$(root_tags)
		case $v in
		shared | rshared) want=shared ;;
		slave | rslave) want=master ;;
		private | rprivate) want= ;;
		unbindable | runbindable) want=unbindable ;;
		esac
		[ "$got" = "$want" ]
		have_runc || continue
		run_in runc -w "unshare -m --propagation shared" -- sh -c "$ROOT_TAGS"
		echo "runc $v: $output"
		case $v in
		# runc 1.1.5 binds the rootfs while / is unbindable and fails
		# (EINVAL); berth binds it first and makes it unbindable after
		# the pivot.
		unbindable | runbindable) [ "$status" -ne 0 ] ;;
		# runc 1.1.5 does not set the value on the new root after the
		# pivot, so / shows no tag; berth does, as runc 1.2 does.
		shared | rshared) [ "$status" -eq 0 ] && [ "$(root_tags)" = "" ] ;;
		*) [ "$status" -eq 0 ] && [ "$(root_tags)" = "$want" ] ;;
		esac
	done
}

@test "rootfsPropagation private or rprivate with --no-pivot is refused, as runc" {
	local v
	set_args true
	for v in private rprivate; do
		update_config "c['linux']['rootfsPropagation'] = '$v'"
		run_in berth --no-pivot -- true
		echo "$output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"rootfsPropagation of [r]private is not safe without pivot_root"* ]]
		if have_runc; then
			run_in runc --no-pivot -- true
			[[ "$output" == *"rootfsPropagation of [r]private is not safe without pivot_root"* ]]
		fi
	done
	# the others run
	update_config "c['linux']['rootfsPropagation'] = 'rslave'"
	run_in berth --no-pivot -- true
	[ "$status" -eq 0 ]
}

@test "rootfsPropagation non-recursive, rootfs on a shared mount: nothing reaches the caller's mount table" {
	local v
	# Inside a namespace whose mounts are shared, the rootfs lives on a
	# shared tmpfs of its own. A non-recursive value leaves that tmpfs
	# shared; the container's mounts must still not appear in it.
	cat >"$BERTH_TEST_DIR/leak.sh" <<-'EOF'
		set -e
		mount -t tmpfs -o size=64m tmpfs "$SHM"
		cp -a "$ROOTFS" "$SHM/rootfs"
		"$BERTH" --root "$BERTH_ROOT" run -d -b "$BUNDLE" "$CT"
		echo "seen=$(awk -v r="$SHM/rootfs" 'index($5, r) == 1' /proc/self/mountinfo | wc -l)"
		"$BERTH" --root "$BERTH_ROOT" delete -f "$CT"
	EOF
	mkdir "$BERTH_TEST_DIR/shm"
	update_config "c['root']['path'] = '$BERTH_TEST_DIR/shm/rootfs'"
	set_args sleep 10
	for v in shared slave private unbindable; do
		update_config "c['linux']['rootfsPropagation'] = '$v'"
		run env SHM="$BERTH_TEST_DIR/shm" ROOTFS="$ROOTFS" BERTH="$BERTH" BERTH_ROOT="$BERTH_ROOT" \
			BUNDLE="$BUNDLE" CT="$CT" timeout 60 unshare -m --propagation shared sh "$BERTH_TEST_DIR/leak.sh"
		echo "$v: $output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"seen=0"* ]]
	done
}

@test "a read-only /dev with mounts below it: ro after the submounts and devices, as runc" {
	update_config 'c["mounts"][1]["options"].append("ro")'
	local cmd='cat /proc/self/mountinfo; touch /dev/x 2>&1; [ -c /dev/null ] && echo null-ok; touch /dev/shm/x && echo shm-ok'
	run_in berth -- sh -c "$cmd"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mount_field /dev 6)" == ro,* ]]
	[ "$(mount_field /dev/pts 9)" = devpts ]
	[ "$(mount_field /dev/mqueue 9)" = mqueue ]
	[[ "$output" == *"/dev/x: Read-only file system"* ]]
	[[ "$output" == *null-ok* && "$output" == *shm-ok* ]]
	local berth_dev
	berth_dev="$(mount_field /dev 6) $(mount_field /dev 11)"
	have_runc || return 0
	run_in runc -- sh -c "$cmd"
	[ "$status" -eq 0 ]
	[ "$berth_dev" = "$(mount_field /dev 6) $(mount_field /dev 11)" ]
}

@test "a read-only tmpfs with a later mount below it gets its ro last" {
	update_config 'c["mounts"] += [{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["ro"]},
		{"destination": "/data/sub", "type": "tmpfs", "source": "tmpfs"}]'
	run_in berth -- sh -c 'cat /proc/self/mountinfo; touch /data/x 2>&1; touch /data/sub/y && echo sub-rw'
	[ "$status" -eq 0 ]
	[[ "$(mount_field /data 6)" == ro* ]]
	[[ "$output" == *"/data/x: Read-only file system"* && "$output" == *sub-rw* ]]
	# the same through mount(2), which the fallback uses
	BERTH_MOUNT_FALLBACK=1 run_in berth -- sh -c 'cat /proc/self/mountinfo; touch /data/x 2>&1; true'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mount_field /data 6)" == ro* ]]
}

@test "a tmpfs without mode= takes the mode of the image's directory, 1777 where berth makes it" {
	mkdir -m 0700 "$ROOTFS/d700"
	chmod 0755 "$ROOTFS/mnt"
	update_config 'c["mounts"] += [{"destination": "/newdir/t", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]},
		{"destination": "/d700", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/opt", "type": "tmpfs", "source": "tmpfs", "options": ["mode=1777"]}]'
	run_in berth -- stat -c '%n %a' /newdir/t /mnt /d700 /opt
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = $'/newdir/t 1777\n/mnt 755\n/d700 700\n/opt 1777' ]
	have_runc || return 0
	# runc 1.1.5 gives /opt the directory's 755 over the explicit mode=1777;
	# berth keeps what the config says. The rest must match.
	rm -rf "$ROOTFS/newdir"
	run_in runc -- stat -c '%n %a' /newdir/t /mnt /d700
	echo "runc: $output"
	[ "$output" = $'/newdir/t 1777\n/mnt 755\n/d700 700' ]
}

@test "mount order: a bind whose source an earlier entry mounted or created, idmapped too" {
	# (Passed before too; kept as a guard.)
	update_config "c['mounts'] += [
		{'destination': '/a', 'type': 'tmpfs', 'source': 'tmpfs'},
		{'destination': '/b', 'type': 'bind', 'source': '$ROOTFS/a', 'options': ['bind']},
		{'destination': '/c/d', 'type': 'tmpfs', 'source': 'tmpfs'},
		{'destination': '/e', 'type': 'bind', 'source': 'rootfs/c/d', 'options': ['rbind']}]"
	local cmd='touch /a/x /c/d/y; ls /b /e; grep -E " /(b|e) " /proc/self/mountinfo | cut -d" " -f9'
	run_in berth -- sh -c "$cmd"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = $'/b:\nx\n\n/e:\ny\ntmpfs\ntmpfs' ]
	local mine=$output
	if have_runc; then
		run_in runc -- sh -c "$cmd"
		[ "$output" = "$mine" ]
	fi
	# runc 1.1.5 has no idmapped mounts: berth alone
	update_config "c['mounts'] += [{'destination': '/f', 'type': 'bind', 'source': '$ROOTFS/a',
		'options': ['bind', 'idmap'], 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}],
		'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}]}]"
	run_in berth -- sh -c 'touch /a/z; ls -n /f; grep " /f " /proc/self/mountinfo'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" z"* && "$output" == *idmapped*" - tmpfs "* ]]
}

@test "bind destinations through dangling symlinks resolve inside the rootfs, never on the host" {
	# (Passed before too; a security regression guard.)
	DANGLE=/tmp/mounts-dangle-$$
	mkdir -p "$BERTH_TEST_DIR/src"
	echo hello >"$BERTH_TEST_DIR/src/f"
	ln -s "$DANGLE-comp" "$ROOTFS/lnk1"
	ln -s "../../../../../../..$DANGLE-last" "$ROOTFS/lnk2"
	ln -s "$DANGLE-file" "$ROOTFS/lnk3"
	update_config "c['mounts'] += [
		{'destination': '/lnk1/sub', 'type': 'bind', 'source': '$BERTH_TEST_DIR/src', 'options': ['bind']},
		{'destination': '/lnk2', 'type': 'bind', 'source': '$BERTH_TEST_DIR/src', 'options': ['bind']},
		{'destination': '/lnk3', 'type': 'bind', 'source': '$BERTH_TEST_DIR/src/f', 'options': ['bind']}]"
	local fb
	for fb in 0 1; do
		BERTH_SAFEPATH_FALLBACK=$fb run_in berth -- cat /lnk1/sub/f /lnk2/f /lnk3
		echo "fallback=$fb: $output"
		[ "$status" -eq 0 ]
		[ "$output" = $'hello\nhello\nhello' ]
		! ls -d "$DANGLE"-* 2>/dev/null
		[ -d "$ROOTFS$DANGLE-comp/sub" ] && [ -d "$ROOTFS$DANGLE-last" ] && [ -f "$ROOTFS$DANGLE-file" ]
		rm -rf "$ROOTFS$DANGLE"-*
	done
	have_runc || return 0
	run_in runc -- cat /lnk1/sub/f /lnk2/f /lnk3
	[ "$output" = $'hello\nhello\nhello' ]
	! ls -d "$DANGLE"-* 2>/dev/null
}

@test "bind of a read-only source: rw when flags are given without ro (runc's implied rw); atime as given" {
	local ro=$BERTH_TEST_DIR/src-ro at=$BERTH_TEST_DIR/src-at
	mkdir -p "$ro" "$at"
	mount -t tmpfs -o size=1m tmpfs "$ro"
	mount -o remount,bind,ro "$ro"
	mount -t tmpfs -o size=1m,noatime tmpfs "$at"
	update_config "c['mounts'] += [
		{'destination': '/ro1', 'type': 'bind', 'source': '$ro', 'options': ['bind']},
		{'destination': '/ro2', 'type': 'bind', 'source': '$ro', 'options': ['rbind', 'nosuid']},
		{'destination': '/ro3', 'type': 'bind', 'source': '$ro', 'options': ['rbind', 'nosuid', 'ro']},
		{'destination': '/ro4', 'type': 'bind', 'source': '$ro', 'options': ['bind', 'noatime']},
		{'destination': '/at1', 'type': 'bind', 'source': '$at', 'options': ['bind', 'relatime']},
		{'destination': '/at2', 'type': 'bind', 'source': '$at', 'options': ['bind', 'strictatime']},
		{'destination': '/at3', 'type': 'bind', 'source': '$at', 'options': ['bind', 'nodev']}]"
	local cmd='grep -E " /(ro|at)[0-9] " /proc/self/mountinfo | cut -d" " -f5,6'
	run_in berth -- sh -c "$cmd"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "/ro1 ro,relatime
/ro2 rw,nosuid,relatime
/ro3 ro,nosuid,relatime
/ro4 rw,noatime
/at1 rw,relatime
/at2 rw
/at3 rw,nodev,noatime" ]
	local mine=$output
	have_runc || return 0
	run_in runc -- sh -c "$cmd"
	[ "$output" = "$mine" ]
}

@test "an explicit rw bind of a read-only source is read-write (runc 1.1.5 ignores a lone rw)" {
	local ro=$BERTH_TEST_DIR/src-ro
	mkdir -p "$ro"
	mount -t tmpfs -o size=1m tmpfs "$ro"
	mount -o remount,bind,ro "$ro"
	update_config "c['mounts'] += [{'destination': '/ro', 'type': 'bind', 'source': '$ro', 'options': ['rbind', 'rw']}]"
	run_in berth -- sh -c 'touch /ro/x && echo written'
	[ "$status" -eq 0 ]
	[ "$output" = written ]
}

@test "/proc or /sys that is a symlink in the rootfs is refused with runc's words" {
	local fs
	for fs in proc sys; do
		rm -rf "${ROOTFS:?}/$fs"
		ln -s / "$ROOTFS/$fs"
		run_in berth -- true
		echo "$output"
		[ "$status" -ne 0 ]
		case $fs in
		proc) [[ "$output" == *'filesystem "proc" must be mounted on ordinary directory'* ]] ;;
		sys) [[ "$output" == *'filesystem "sysfs" must be mounted on ordinary directory'* ]] ;;
		esac
		if have_runc; then
			run_in runc -- true
			[ "$status" -ne 0 ]
			[[ "$output" == *"must be mounted on ordinary directory"* ]]
		fi
		rm "$ROOTFS/$fs"
		mkdir "$ROOTFS/$fs"
	done
}

@test "--no-pivot: no whole host procfs or sysfs stays in the namespace to unlock a fresh procfs" {
	# The container (in a user namespace, with CAP_SYS_ADMIN) makes a
	# nested user+mount+pid namespace and mounts a new procfs there. The
	# kernel allows that only while some whole, uncovered procfs is in the
	# mount namespace; the container's own /proc is masked, so only a
	# host procfs left behind by --no-pivot would allow it.
	cat >"$ROOTFS/nested.sh" <<-'EOF'
		mkdir -p /mnt/p /mnt/s
		unshare -Ump -f sh -c 'while [ ! -e /tmp/go ]; do sleep 0.05; done
			mount -t tmpfs t /mnt/s && echo TMPFS-MOUNTED
			mount -t proc proc /mnt/p && echo PROC-MOUNTED' &
		pid=$!
		sleep 0.3
		echo "0 0 1" >/proc/$pid/uid_map && echo "0 0 1" >/proc/$pid/gid_map
		touch /tmp/go
		wait
	EOF
	chmod 755 "$BERTH_TEST_DIR"
	chown -R 100000:100000 "$ROOTFS"
	update_config "c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['process']['noNewPrivileges'] = False
c['process']['capabilities'] = {k: ['CAP_SYS_ADMIN', 'CAP_SETUID', 'CAP_SETGID', 'CAP_SETFCAP', 'CAP_DAC_OVERRIDE']
	for k in ['bounding', 'effective', 'permitted']}
c['mounts'] = [m for m in c['mounts'] if m['type'] != 'cgroup']"
	run_in berth --no-pivot -- sh /nested.sh
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *TMPFS-MOUNTED* ]] || skip "no nested user namespace here: $output"
	[[ "$output" != *PROC-MOUNTED* ]]
	have_runc || return 0
	rm -f "$ROOTFS/tmp/go"
	run_in runc --no-pivot -- sh /nested.sh
	echo "runc: $output"
	[[ "$output" == *TMPFS-MOUNTED* && "$output" != *PROC-MOUNTED* ]]
}

@test "rootless: a read-only /dev with submounts, and --no-pivot covers the host's procfs it can't detach" {
	command -v useradd >/dev/null || skip "useradd is not installed"
	RL_USER=berth-mounts-rl
	id "$RL_USER" >/dev/null 2>&1 || useradd -M -s /bin/sh "$RL_USER"
	cp "$REPO/spec-examples/rootless/config.json" "$BUNDLE/config.json"
	cat >"$ROOTFS/nested.sh" <<-'EOF'
		grep " /dev " /proc/self/mountinfo
		mkdir -p /dev/shm/p /dev/shm/s
		unshare -Ump -f sh -c 'n=0; while [ ! -e /dev/shm/go ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n+1)); done
			mount -t tmpfs t /dev/shm/s && echo TMPFS-MOUNTED
			mount -t proc proc /dev/shm/p && echo PROC-MOUNTED' &
		pid=$!
		sleep 0.3
		echo "0 0 1" >/proc/$pid/uid_map && echo "0 0 1" >/proc/$pid/gid_map
		touch /dev/shm/go
		wait
	EOF
	update_config "c['process']['terminal'] = False
c['process']['args'] = ['sh', '/nested.sh']
c['process']['noNewPrivileges'] = False
c['process']['capabilities'] = {k: ['CAP_SYS_ADMIN', 'CAP_SETUID', 'CAP_SETGID', 'CAP_SETFCAP', 'CAP_DAC_OVERRIDE']
	for k in ['bounding', 'effective', 'permitted']}
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $(id -u $RL_USER), 'size': 1}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $(id -g $RL_USER), 'size': 1}]
[m['options'].append('ro') for m in c['mounts'] if m['destination'] == '/dev']"
	chmod 755 "$BERTH_TEST_DIR"
	mkdir "$BERTH_TEST_DIR/rl-state"
	chown -R "$RL_USER" "$BUNDLE" "$BERTH_TEST_DIR/rl-state"
	run su -s /bin/sh "$RL_USER" -c "cd '$BUNDLE' && XDG_RUNTIME_DIR= timeout 60 '$BERTH' --root '$BERTH_TEST_DIR/rl-state' run --no-pivot '$CT' </dev/null"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" /dev ro,"* ]]
	[[ "$output" == *TMPFS-MOUNTED* ]] || skip "no nested user namespace here"
	[[ "$output" != *PROC-MOUNTED* ]]
}
