#!/usr/bin/env bats
# races.bats - live race reproducers of the TOCTOU CVE classes.
#
# cve.bats and escape.bats show that a hostile *static* layout can't make
# berth touch the host. Here the layout changes while berth works: an
# attacker container (A) shares a host directory (the "volume", $VOL) with
# a victim container (B) that the test starts again and again, and A runs
# tests/helpers/race_swap, which exchanges a directory and a symlink in the
# volume with renameat2(RENAME_EXCHANGE) some 40,000 times a second (busybox
# `mv` in a shell loop manages about a thousand non-atomic renames a second,
# each leaving a moment with no name at all: not a real race). B's mounts go
# through the swapped name, so each start of B resolves it as a directory
# or as the symlink, at random and possibly mid-walk.
#
# Escapes are made visible on the host: $HOSTVIEW is a shared mount, B runs
# with rootfsPropagation "rshared", so a mount B's setup made on the host's
# $HOSTVIEW (instead of the one inside its rootfs) would propagate back to
# the host's mount table; a directory made outside the rootfs would be on the
# host's disk. Every test compares the host before and after (mount table,
# names in /, $HOSTVIEW in full, core_pattern) and checks, from inside B,
# that what B was promised is there. Each test also requires both outcomes
# of the race (the directory path and the symlink path) among B's runs, so a
# racer that never raced fails the test instead of passing it.
#
# Knobs: RACE_RUNS (starts of B per test, default 100), BERTH_TEST_HELPERS
# (where race_swap and exe_snoop are; default: the build dir's
# tests/helpers). Half the runs use BERTH_SAFEPATH_FALLBACK=1 (the
# openat2-less walk).

load helpers

HELPERS=${BERTH_TEST_HELPERS:-$(cd "$(dirname "$BERTH")/../tests/helpers" 2>/dev/null && pwd)}
RACE_RUNS=${RACE_RUNS:-100}

setup() {
	require_root
	[ -x "$HELPERS/race_swap" ] && [ -x "$HELPERS/exe_snoop" ] ||
		skip "no race_swap/exe_snoop in '$HELPERS' (built by tests/helpers when static linking works)"
	setup_bundle default
	T=$BERTH_TEST_DIR
	VOL=$T/vol
	HOSTVIEW=$T/hostview
	mkdir -p "$VOL" "$HOSTVIEW"
	echo host-secret > "$HOSTVIEW/file"
	# the host side of a would-be escape: shared, so a mount made on it in
	# B's namespace shows up here
	mount --bind "$HOSTVIEW" "$HOSTVIEW"
	mount --make-shared "$HOSTVIEW"
	update_config 'c["linux"]["rootfsPropagation"] = "rshared"'
}

teardown() {
	local id
	if [ -n "${BERTH_ROOT:-}" ] && [ -d "$BERTH_ROOT" ]; then
		for id in $("$BERTH" --root "$BERTH_ROOT" list -q 2>/dev/null); do
			"$BERTH" --root "$BERTH_ROOT" delete -f "$id" >/dev/null 2>&1 || true
		done
	fi
	if [ -n "${HOSTVIEW:-}" ]; then
		umount -R "$HOSTVIEW" 2>/dev/null || umount -l "$HOSTVIEW" 2>/dev/null || true
	fi
	teardown_bundle
}

# ---- the host as an escape would change it ----

# Mounts (outside other tests' temp dirs, which come and go), the names in
# /, $HOSTVIEW in full, the host file and core_pattern.
snapshot_host() {
	awk -v t="$T" '
		index($5, t) == 1 || !(index($5, "/tmp/") == 1 || index($5, "/run/netns/") == 1) {
			print $5, $9, $10
		}' /proc/self/mountinfo | sort
	ls -A1 /
	(cd "$HOSTVIEW" && find . -printf '%p %y %m %s\n' | sort)
	cat "$HOSTVIEW/file" /proc/sys/kernel/core_pattern
}

assert_host_unchanged() {
	snapshot_host > "$T/host.after"
	diff -u "$T/host.before" "$T/host.after"
	[ -z "$(grep -E ' - [^ ]+ race' /proc/self/mountinfo)" ]
	[ "$(cat "$HOSTVIEW/file")" = host-secret ]
}

# ---- the attacker ----

# start_racer SECONDS PAIR...: container A, the volume at /vol, swapping the
# given names (relative to the volume) until SECONDS have passed.
start_racer() {
	local seconds=$1 args="" n
	shift
	for n in "$@"; do
		args+="\"/vol/$n\", "
	done
	mkdir -p "$T/a"
	cp -a "$(cached_rootfs)" "$T/a/rootfs"
	cp "$HELPERS/race_swap" "$T/a/rootfs/race_swap"
	cp "$REPO/spec-examples/default/config.json" "$T/a/config.json"
	update_config "c['process']['args'] = ['/race_swap', '$seconds', ${args%, }]
c['mounts'].append({'destination': '/vol', 'type': 'bind', 'source': '$VOL', 'options': ['rbind']})" \
		"$T/a/config.json"
	"$BERTH" --root "$BERTH_ROOT" run -d -b "$T/a" racer > "$T/racer.log" 2>&1
	# racing once the first name has been seen as the second's type
	local first=$VOL/$1 i
	local was
	was=$(stat -c %F "$first")
	for i in $(seq 100); do
		[ "$(stat -c %F "$first")" != "$was" ] && return 0
		sleep 0.05
	done
	echo "the racer never swapped $first" >&2
	cat "$T/racer.log" >&2
	return 1
}

# The racer must still be racing when B's runs end (else the last runs
# raced nothing).
stop_racer() {
	"$BERTH" --root "$BERTH_ROOT" state racer | grep -q '"running"' || {
		echo "the racer stopped early:" >&2
		cat "$T/racer.log" >&2
		return 1
	}
	"$BERTH" --root "$BERTH_ROOT" delete -f racer
}

# Which of the volume's two raced names is the directory now (the racer
# stopped at random). Never a path through the symlink: that is the host.
vol_dir() {
	if [ -d "$VOL/mnt" ] && [ ! -L "$VOL/mnt" ]; then
		echo "$VOL/mnt"
	else
		echo "$VOL/link"
	fi
}

# ---- the victim ----

# race_victim: start B (the bundle) RACE_RUNS times, each run's output in
# $T/out/<n>; half of them with the openat2-less resolver. Then tally.
race_victim() {
	local i
	mkdir -p "$T/out"
	for i in $(seq "$RACE_RUNS"); do
		[ -f "$T/config.tmpl" ] && sed "s/@N@/$i/g" "$T/config.tmpl" > "$BUNDLE/config.json"
		if ((i % 2)); then
			BERTH_SAFEPATH_FALLBACK=1 timeout 20 "$BERTH" --root "$BERTH_ROOT" run -b "$BUNDLE" "b-$i" > "$T/out/$i" 2>&1 || true
		else
			timeout 20 "$BERTH" --root "$BERTH_ROOT" run -b "$BUNDLE" "b-$i" > "$T/out/$i" 2>&1 || true
		fi
	done
	STARTED=$(grep -l '^B-STARTED' "$T"/out/* | wc -l)
	REFUSED=$((RACE_RUNS - STARTED))
	echo "# B started $STARTED times, refused $REFUSED times" >&3
	started_lines | sed -E "s|$T|\$T|g; s/-[0-9]+/-N/g" | sort | uniq -c | head -12 | sed 's/^/#   /' >&3 || true
	grep -h '^berth' "$T"/out/* 2>/dev/null | sed 's/b-[0-9]*/b-N/g; s/new-[0-9]*/new-N/g' | sort | uniq -c | head -5 | sed 's/^/#   /' >&3 || true
}

# Outputs of the runs that started: the lines following "B-STARTED".
started_lines() {
	awk 'FNR == 1 { on = 0 } on { print } /^B-STARTED$/ { on = 1 }' "$T"/out/*
}

# none PATTERN...: no started run printed a line matching any PATTERN (grep -E)
none() {
	local args=() p bad
	for p in "$@"; do args+=(-e "$p"); done
	bad=$(started_lines | grep -E "${args[@]}" || true)
	[ -z "$bad" ] || {
		echo "unexpected output from B: $bad" >&2
		return 1
	}
}

# only PATTERN...: every line a started run printed matches one of them
only() {
	local args=() p bad
	for p in "$@"; do args+=(-e "$p"); done
	bad=$(started_lines | grep -v -E "${args[@]}" || true)
	[ -z "$bad" ] || {
		echo "unexpected output from B: $bad" >&2
		return 1
	}
}

# ---- 1. CVE-2021-30465 ----

@test "CVE-2021-30465: a mount target raced into a symlink to / stays inside the rootfs" {
	# B mounts a tmpfs on /vol/mnt$HOSTVIEW/target. Through the directory
	# that is the volume's copy; through the symlink "/" it is the rootfs's
	# copy; an escape would be the host's $HOSTVIEW/target (shared).
	mkdir -p "$VOL/mnt$HOSTVIEW/target" "$ROOTFS$HOSTVIEW/target" "$HOSTVIEW/target"
	ln -s / "$VOL/link"
	snapshot_host > "$T/host.before"
	update_config "c['mounts'] += [
	 {'destination': '/vol', 'type': 'bind', 'source': '$VOL', 'options': ['rbind']},
	 {'destination': '/vol/mnt$HOSTVIEW/target', 'type': 'tmpfs', 'source': 'racetmpfs'}]
c['process']['args'] = ['sh', '-c', 'echo B-STARTED; awk \'\$0 ~ / - tmpfs racetmpfs / { print \"MNT-AT\", \$5; n++ } END { if (!n) print \"MNT-MISSING\" }\' /proc/self/mountinfo']"
	start_racer 150 mnt link
	race_victim
	stop_racer
	assert_host_unchanged
	[ ! -e /target ]
	# every B that started has its tmpfs, at one of the two inside places
	[ "$STARTED" -gt 0 ]
	# (the volume's copy may have been renamed "link" since: the mount
	# stays on the directory it was made on)
	none MNT-MISSING
	only "^MNT-AT /vol/(mnt|link)$HOSTVIEW/target\$" "^MNT-AT $HOSTVIEW/target\$"
	# and the race really raced: both resolutions happened
	started_lines | grep -q "^MNT-AT /vol/"
	started_lines | grep -q "^MNT-AT $HOSTVIEW/target"
}

# Fails with berth as of this suite's writing: do_fs() (libcontainer/rootfs/mounts.c)
# mounts on the checked fd, then resolves the destination a second time to
# find the new mount for tmpcopyup/mount_setattr/propagation, accepting any
# mount other than the covered directory's. The race makes the second lookup
# land elsewhere (the rootfs's /cu, or the volume), so tmpcopyup copies the
# covered directory into a host directory. The new mount's own fd
# (fsopen/fsmount, then move_mount onto the checked fd) has no second lookup.
@test "CVE-2021-30465: tmpcopyup through a raced target copies the directory the tmpfs covers, nowhere else" {
	# The tmpfs (tmpcopyup) goes on /vol/mnt/cu: the volume's cu (holding
	# from-volume) through the directory, the rootfs's /cu (holding
	# from-rootfs) through the symlink "/". Whatever the race picks, the
	# copy must fill the new tmpfs from the directory under it, and write
	# nothing into the volume or the rootfs (host directories).
	mkdir -p "$VOL/mnt/cu" "$ROOTFS/cu"
	echo v > "$VOL/mnt/cu/from-volume"
	echo r > "$ROOTFS/cu/from-rootfs"
	ln -s / "$VOL/link"
	snapshot_host > "$T/host.before"
	# B lists the tmpfs from a cwd checked (by device) to be on it: its
	# paths are still being raced while it runs, so "ls $m" could list
	# whatever the name leads to at that instant
	cat > "$ROOTFS/check-cu.sh" <<'EOF'
echo B-STARTED
m=$(awk '$0 ~ / - tmpfs racetmpfs / { print $5 }' /proc/self/mountinfo)
dev=$(awk '$0 ~ / - tmpfs racetmpfs / { split($3, a, ":"); print a[1] * 256 + a[2] % 256 + int(a[2] / 256) * 1048576 }' /proc/self/mountinfo)
for i in $(seq 200); do
	for d in /cu /vol/mnt/cu /vol/link/cu; do
		if cd "$d" 2>/dev/null && [ "$(stat -c %d .)" = "$dev" ]; then
			echo "AT $m HAS" $(ls)
			exit 0
		fi
	done
done
echo "AT $m NOT-FOUND"
EOF
	update_config "c['mounts'] += [
	 {'destination': '/vol', 'type': 'bind', 'source': '$VOL', 'options': ['rbind']},
	 {'destination': '/vol/mnt/cu', 'type': 'tmpfs', 'source': 'racetmpfs', 'options': ['tmpcopyup']}]
c['process']['args'] = ['sh', '/check-cu.sh']"
	start_racer 150 mnt link
	race_victim
	stop_racer
	assert_host_unchanged
	vol_cu=$(vol_dir)/cu
	echo "# volume's cu: $(ls "$vol_cu" | tr '\n' ' '); rootfs's cu: $(ls "$ROOTFS/cu" | tr '\n' ' ')" >&3
	[ "$(ls "$vol_cu")" = from-volume ]
	[ "$(ls "$ROOTFS/cu")" = from-rootfs ]
	[ "$STARTED" -gt 0 ]
	only '^AT /vol/(mnt|link)/cu HAS from-volume$' '^AT /cu HAS from-rootfs$'
	started_lines | grep -q '^AT /vol/'
	started_lines | grep -q '^AT /cu '
}

# ---- 2. CVE-2024-45310 ----

@test "CVE-2024-45310: directories and files berth creates through a raced parent stay inside" {
	# B mounts a tmpfs on /vol/mnt/new-N/sub and binds a file on
	# /vol/mnt/newf-N, none of which exist: berth creates them. "mnt" is
	# raced with a symlink to the host's $HOSTVIEW; an escape would create
	# new-N or newf-N there.
	mkdir -p "$VOL/mnt"
	ln -s "$HOSTVIEW" "$VOL/link"
	echo bound > "$T/srcfile"
	snapshot_host > "$T/host.before"
	update_config "c['mounts'] += [
	 {'destination': '/vol', 'type': 'bind', 'source': '$VOL', 'options': ['rbind']},
	 {'destination': '/vol/mnt/new-@N@/sub', 'type': 'tmpfs', 'source': 'racetmpfs'},
	 {'destination': '/vol/mnt/newf-@N@', 'type': 'bind', 'source': '$T/srcfile', 'options': ['bind']}]
c['process']['args'] = ['sh', '-c', 'echo B-STARTED; awk \'\$0 ~ / - tmpfs racetmpfs / { print \"MNT-AT\", \$5; n++ } \$4 ~ /srcfile\$/ { print \"BIND-AT\", \$5; b++ } END { if (!n) print \"MNT-MISSING\"; if (!b) print \"BIND-MISSING\" }\' /proc/self/mountinfo']"
	mv "$BUNDLE/config.json" "$T/config.tmpl"
	start_racer 150 mnt link
	race_victim
	stop_racer
	assert_host_unchanged
	[ -z "$(ls -A "$HOSTVIEW" | grep new)" ]
	[ "$STARTED" -gt 0 ]
	none MISSING
	only "^MNT-AT (/vol/(mnt|link)|$HOSTVIEW)/new-[0-9]+/sub\$" "^BIND-AT (/vol/(mnt|link)|$HOSTVIEW)/newf-[0-9]+\$"
	# made in the volume and, through the symlink, in the rootfs
	started_lines | grep -q "^MNT-AT /vol/"
	started_lines | grep -q "^MNT-AT $HOSTVIEW/"
	[ -n "$(ls "$ROOTFS$HOSTVIEW" | grep new)" ]
	[ -n "$(ls "$(vol_dir)" | grep new)" ]
}

# ---- 3. CVE-2025-31133 ----

@test "CVE-2025-31133: a /dev/null raced with symlinks to host files is never used to mask" {
	# B's /dev is the volume; its "null" (a real 1:3 node) is exchanged with
	# a symlink to the host's $HOSTVIEW/file, and with one to
	# /proc/sys/kernel/core_pattern (the CVE's target: masking a path with
	# it would hand the container a writable core_pattern). berth checks the
	# node it opened, so B either refuses or masks with the real null.
	mknod -m 666 "$VOL/null" c 1 3
	ln -s "$HOSTVIEW/file" "$VOL/nl1"
	ln -s /proc/sys/kernel/core_pattern "$VOL/nl2"
	echo image-content > "$ROOTFS/masked-file"
	snapshot_host > "$T/host.before"
	update_config "c['mounts'] = [m for m in c['mounts'] if not m['destination'].startswith('/dev')]
c['mounts'].append({'destination': '/dev', 'type': 'bind', 'source': '$VOL', 'options': ['rbind']})
c['linux']['maskedPaths'] += ['/masked-file']
c['process']['args'] = ['sh', '-c', 'echo B-STARTED; for f in /proc/keys /masked-file; do echo \"MASK \$f \$(stat -c %t:%T \$f) [\$(head -c 64 \$f | tr -d \"\\\\n\")]\"; done']"
	start_racer 150 null nl1 null nl1 null nl2 null nl2
	race_victim
	stop_racer
	assert_host_unchanged
	[ "$STARTED" -gt 0 ]
	[ "$REFUSED" -gt 0 ]
	# every refusal is the null check, every start masked with the null device
	for f in "$T"/out/*; do
		grep -q '^B-STARTED' "$f" || grep -q 'not the null device' "$f" || {
			cat "$f" >&2
			return 1
		}
	done
	only '^MASK /proc/keys 1:3 \[\]$' '^MASK /masked-file 1:3 \[\]$'
	[ "$(started_lines | wc -l)" -eq $((2 * STARTED)) ]
}

# ---- 4. CVE-2019-16884 / CVE-2025-52881 ----

# A procfs look-alike: every file berth writes in /proc, holding a marker.
make_fake_proc() {
	local d=$1 sub f
	for sub in . self thread-self 1; do
		mkdir -p "$d/$sub/attr/apparmor"
		for f in oom_score_adj attr/exec attr/current attr/apparmor/exec; do
			echo fake-untouched > "$d/$sub/$f"
		done
	done
	mkdir -p "$d/sys/kernel"
	echo fake-untouched > "$d/sys/kernel/shm_rmid_forced"
	fake_listing "$d" > "$T/fake.before"
}

fake_listing() {
	(cd "$1" && find . -printf '%p %y %s %m\n' | sort && find . -type f -exec cat {} +)
}

assert_fake_untouched() {
	fake_listing "$1" > "$T/fake.after"
	diff -u "$T/fake.before" "$T/fake.after"
}

# What B checks of its /proc: berth's writes (oomScoreAdj 123, the sysctl)
# reached the real procfs.
PROC_CHECK='echo B-STARTED; echo "FS $(stat -f -c %T /proc/self/attr) $(stat -f -c %T /proc/sys)"; echo "OOM $(cat /proc/self/oom_score_adj)"; echo "SYSCTL $(cat /proc/sys/kernel/shm_rmid_forced)"'

# proc_config: B writes oomScoreAdj and a sysctl and runs PROC_CHECK plus $1
proc_config() {
	PROC_SCRIPT="$PROC_CHECK${1:+; $1}" update_config "import os
c['process']['oomScoreAdj'] = 123
c['linux']['sysctl'] = {'kernel.shm_rmid_forced': '1'}
c['process']['args'] = ['sh', '-c', os.environ['PROC_SCRIPT']]"
}

@test "CVE-2019-16884: fake procfs mounts are refused or covered, berth writes only the real procfs" {
	make_fake_proc "$T/fake"
	host_oom=$(cat /proc/1/oom_score_adj)
	snapshot_host > "$T/host.before"
	ln -s /proc "$ROOTFS/myproc"
	proc_config
	cp "$BUNDLE/config.json" "$T/base.json"
	F=$T/fake
	# name|python turning the base config's mounts into the case's
	cases=(
		"bind-attr|c['mounts'].append({'destination': '/proc/self/attr', 'type': 'bind', 'source': '$F/attr', 'options': ['rbind']})"
		"tmpfs-attr|c['mounts'].append({'destination': '/proc/self/attr', 'type': 'tmpfs', 'source': 'racefake'})"
		"bind-sys|c['mounts'].append({'destination': '/proc/sys', 'type': 'bind', 'source': '$F/sys', 'options': ['rbind']})"
		"tmpfs-sys|c['mounts'].append({'destination': '/proc/sys', 'type': 'tmpfs', 'source': 'racefake'})"
		"via-symlink|c['mounts'].append({'destination': '/myproc/self/attr', 'type': 'bind', 'source': '$F/attr', 'options': ['rbind']})"
		"fake-as-proc|c['mounts'][0] = {'destination': '/proc', 'type': 'bind', 'source': '$F', 'options': ['rbind']}"
		"procfs-subdir-as-proc|c['mounts'][0] = {'destination': '/proc', 'type': 'bind', 'source': '/proc/1', 'options': ['rbind']}"
		"fake-under-proc|c['mounts'].insert(0, {'destination': '/proc', 'type': 'bind', 'source': '$F', 'options': ['rbind']})"
	)
	for case in "${cases[@]}"; do
		name=${case%%|*}
		cp "$T/base.json" "$BUNDLE/config.json"
		update_config "${case#*|}"
		run timeout 20 "$BERTH" --root "$BERTH_ROOT" run -b "$BUNDLE" "p-$name"
		echo "# $name: status $status: $(echo "$output" | tr '\n' ' ')" >&3
		if [ "$status" -ne 0 ]; then
			# refused, naming /proc
			[[ "$output" == *proc* ]]
			[[ "$output" != *B-STARTED* ]]
		else
			# the real procfs is what the container sees and berth wrote
			[[ "$output" == *"FS proc proc"* ]]
			[[ "$output" == *"OOM 123"* ]]
			[[ "$output" == *"SYSCTL 1"* ]]
		fi
	done
	assert_fake_untouched "$T/fake"
	[ "$(cat /proc/1/oom_score_adj)" = "$host_oom" ]
	assert_host_unchanged
}

@test "CVE-2025-52881: a mount target raced into a symlink to /proc/self never covers procfs" {
	# B binds the fake attr directory on /vol/mnt/attr after /proc is
	# mounted; "mnt" is raced with a symlink to /proc/self, which would put
	# the fake over B's /proc/self/attr (where LSM labels are written).
	make_fake_proc "$T/fake"
	mkdir -p "$VOL/mnt/attr"
	ln -s /proc/self "$VOL/link"
	snapshot_host > "$T/host.before"
	update_config "c['mounts'] += [
 {'destination': '/vol', 'type': 'bind', 'source': '$VOL', 'options': ['rbind']},
 {'destination': '/vol/mnt/attr', 'type': 'bind', 'source': '$T/fake/attr', 'options': ['rbind']}]"
	proc_config "awk '\$4 ~ /fake\\/attr\$/ { print \"FAKE-AT\", \$5 }' /proc/self/mountinfo"
	start_racer 150 mnt link
	race_victim
	stop_racer
	assert_fake_untouched "$T/fake"
	assert_host_unchanged
	[ "$STARTED" -gt 0 ]
	[ "$REFUSED" -gt 0 ]
	for f in "$T"/out/*; do
		grep -q '^B-STARTED' "$f" || grep -q 'inside /proc: refusing' "$f" || {
			cat "$f" >&2
			return 1
		}
	done
	only '^FS proc proc$' '^OOM 123$' '^SYSCTL 1$' '^FAKE-AT /vol/(mnt|link)/attr$'
	[ "$(started_lines | grep -c FAKE-AT)" -eq "$STARTED" ]
}

# ---- 5. CVE-2019-5736 (and the exec'd process's other handles) ----

# snoop_execs [ptrace]: run exe_snoop as the container's init, `berth exec`
# into it RACE_RUNS/2 times, and leave its log in $LOG. With "ptrace" the
# container has CAP_SYS_PTRACE: the strongest attacker, it opens even a
# non-dumpable pid's /proc files.
# Everything runs a disposable copy of berth ($BCOPY): were the attack to
# work, exe_snoop would write "PWNED" into the copy, not into the build.
snoop_execs() {
	BCOPY=$T/berth-copy
	cp "$BERTH" "$BCOPY"
	SUM_COPY=$(sha256sum < "$BCOPY")
	SUM_BUILD=$(sha256sum < "$BERTH")
	local exe_dev exe_ino root_dev root_ino i runs
	read -r exe_dev exe_ino < <(stat -c '%d %i' "$BCOPY")
	read -r root_dev root_ino < <(stat -L -c '%d %i' /)
	mkdir -p "$T/log"
	LOG=$T/log/snoop.log
	cp "$HELPERS/exe_snoop" "$ROOTFS/exe_snoop"
	# the workload the classic exploit plants: a script whose interpreter
	# is the runtime itself; berth's libraries let that image really run
	printf '#!/proc/self/exe\n' > "$ROOTFS/evil"
	chmod 755 "$ROOTFS/evil"
	for lib in $(ldd "$BERTH" | grep -o '/[^ ]*'); do
		mkdir -p "$ROOTFS$(dirname "$lib")"
		cp -L "$lib" "$ROOTFS$lib"
	done
	if [ "${1:-}" = ptrace ]; then
		update_config "for s in ('bounding', 'effective', 'permitted'):
    c['process']['capabilities'][s].append('CAP_SYS_PTRACE')"
	fi
	update_config "c['mounts'].append({'destination': '/log', 'type': 'bind', 'source': '$T/log', 'options': ['rbind']})
c['process']['args'] = ['/exe_snoop', '120', '/log/snoop.log', '$exe_dev', '$exe_ino', '$root_dev', '$root_ino', '$HOSTVIEW/file']"
	"$BCOPY" --root "$BERTH_ROOT" run -d -b "$BUNDLE" snoop > "$T/snoop.out" 2>&1
	for i in $(seq 50); do
		grep -q READY "$LOG" 2>/dev/null && break
		sleep 0.1
	done
	grep -q READY "$LOG"
	runs=$((RACE_RUNS / 2))
	EXEC_FAILED=0
	for i in $(seq "$runs"); do
		if ((i % 2)); then
			timeout 20 "$BCOPY" --root "$BERTH_ROOT" exec snoop true || EXEC_FAILED=$((EXEC_FAILED + 1))
		else
			# berth's (sealed) image re-executed inside: it runs, prints
			# its usage error, and is one more pid to snoop on
			timeout 20 "$BCOPY" --root "$BERTH_ROOT" exec snoop /evil > /dev/null 2>&1 || true
		fi
	done
	# the handles kept from earlier pids get a last try once every berth
	# has exited (ETXTBSY gone)
	sleep 1
	touch "$LOG.stop"
	for i in $(seq 50); do
		grep -q SUMMARY "$LOG" && break
		sleep 0.1
	done
	"$BCOPY" --root "$BERTH_ROOT" delete -f snoop
	grep SUMMARY "$LOG" | sed 's/^/# /' >&3
	grep '^EXE' "$LOG" | cut -d' ' -f3- | sort | uniq -c | sed 's/^/#   exe: /' >&3
	grep -E '^(RDWR|WRITE|HOSTROOT|HOSTREAD)' "$LOG" | cut -d' ' -f1,3- | sort | uniq -c | sed 's/^/#   /' >&3 || true
	grep -q SUMMARY "$LOG"
}

@test "CVE-2019-5736: a container snooping every new pid's exe never gets berth's binary writable" {
	snoop_execs ptrace
	[ "$EXEC_FAILED" -eq 0 ]
	# the binary is intact, and no snooped handle ever reached it
	[ "$(sha256sum < "$BCOPY")" = "$SUM_COPY" ]
	[ "$(sha256sum < "$BERTH")" = "$SUM_BUILD" ]
	[ -z "$(grep -E '^RDWR [0-9]+ host|^WRITE [0-9]+ ok' "$LOG" | grep -v 'same byte' || true)" ]
	[ -z "$(grep -E '^RDWR [0-9]+ host' "$LOG" || true)" ]
	# the memfd copies a writable handle reached are sealed
	[ -z "$(grep -E '^WRITE [0-9]+ ok' "$LOG" || true)" ]
	# every berth the container could see ran from a protected binary: the
	# read-only detached mount (its path reads "/") or a sealed memfd
	[ -z "$(grep '^EXE' "$LOG" | grep -e "$BCOPY" -e "$BERTH" || true)" ]
	# the window was really there: the snoop saw berth's image before exec
	grep -qE '^EXE [0-9]+ (/memfd:berth|/$)' "$LOG"
}

# CVE-2016-9962 class: a process berth puts into a running container must
# not be visible there while it still holds host resources: runc joins every
# namespace (the mount namespace: root and cwd) before its process enters the
# container's pid namespace.
@test "CVE-2016-9962: a process berth execs is never seen in the container with the host's root (default caps)" {
	snoop_execs
	[ "$EXEC_FAILED" -eq 0 ]
	[ -z "$(grep -E '^HOSTROOT|^HOSTREAD' "$LOG" || true)" ]
}

# With CAP_SYS_PTRACE, non-dumpable is no barrier: what protects is that the
# exec'd process is born inside every namespace of the container
# (runtime/exec.c enters them for the clone and returns), so no container pid
# ever has the host's root or cwd.
@test "CVE-2016-9962: a process berth execs is never seen in the container with the host's root (CAP_SYS_PTRACE)" {
	snoop_execs ptrace
	[ "$EXEC_FAILED" -eq 0 ]
	grep -qE '^EXE [0-9]+ (/memfd:berth|/$)' "$LOG"
	[ -z "$(grep -E '^HOSTROOT|^HOSTREAD' "$LOG" || true)" ]
}
