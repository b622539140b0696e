#!/bin/sh
# crash-tests.sh - killed at any moment, nothing is lost, on a pure cgroup
# v2 host (busybox sh, in the VM): the crash-point build of berth
# (meson -Dcrash_points=true; run.sh --berth build-crash/cmd/berth) kills
# itself after each step of create, start, exec and delete; then
# `delete -f`; then nothing may be left: no cgroup, no process, no state
# dir, no mount. And a truncated state.json does not make a container
# undeletable. tests/crash/crash-points.bats does the same on the host
# (hybrid there), with crash_loop.py.
#
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
# Must never: leave a container or a cgroup behind.

BERTH=${BERTH:-/usr/bin/berth}
ROOT=/run/crash-root
B=/tmp/crash-bundle
. "${0%/*}/checks.sh"

mkbundle "$B" -- sleep 31337

# A marker only this test's processes carry: the workload's argument, or
# (before the exec) the container id in a berth clone's command line.
procs_of() {
	for p in /proc/[0-9]*; do
		c=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) || continue
		case "$c" in
		*"sleep 31337"* | *" $1 "* | *" $1") echo "${p#/proc/} $c" ;;
		esac
	done
}

# leftovers ID: what is left of ID, one line per thing.
leftovers() {
	find /sys/fs/cgroup -type d -name "$1" 2>/dev/null | sed 's/^/cgroup /'
	procs_of "$1" | sed 's/^/process /'
	[ -e "$ROOT/$1" ] && echo "state $ROOT/$1"
	grep " $B" /proc/mounts | sed 's/^/mount /'
	true
}

# clean ID: remove what a failed check left, so the next try starts clean.
clean() {
	for d in $(find /sys/fs/cgroup -depth -type d -name "$1" 2>/dev/null); do
		echo 1 >"$d/cgroup.kill" 2>/dev/null
	done
	procs_of "$1" | while read -r p _; do kill -9 "$p" 2>/dev/null; done
	sleep 0.2
	find /sys/fs/cgroup -depth -type d -name "$1" -exec rmdir {} \; 2>/dev/null
	rm -rf "${ROOT:?}/$1"
}

ops="create start exec delete"
if ! grep -q BERTH_CRASH_AT "$(readlink -f "$BERTH")"; then
	echo "SKIP crash points: $BERTH is not a -Dcrash_points=true build"
	ops=
fi

# before OP ID: the lifecycle steps before the one that is killed.
before() {
	case "$1" in
	start | exec | delete) "$BERTH" --root "$ROOT" create --bundle "$B" "$2" </dev/null >/dev/null 2>&1 || return 1 ;;
	esac
	case "$1" in
	exec | delete) "$BERTH" --root "$ROOT" start "$2" || return 1 ;;
	esac
	return 0
}

# killed OP ID: the operation itself, in the background; its pid in $!.
killed() {
	case "$1" in
	create) "$BERTH" --root "$ROOT" create --bundle "$B" "$2" </dev/null >/dev/null 2>&1 & ;;
	start) "$BERTH" --root "$ROOT" start "$2" </dev/null >/dev/null 2>&1 & ;;
	exec) "$BERTH" --root "$ROOT" exec "$2" sleep 31337 </dev/null >/dev/null 2>&1 & ;;
	delete) "$BERTH" --root "$ROOT" delete -f "$2" </dev/null >/dev/null 2>&1 & ;;
	esac
}

for op in $ops; do
	# the steps the operation passes, from the binary
	trace=/tmp/crash-trace.$op
	: >"$trace"
	id=crash-$op-trace
	before "$op" "$id" || fail "$op: the steps before it" "they failed"
	BERTH_CRASH_TRACE=$trace killed "$op" "$id"
	pid=$!
	[ "$op" = exec ] && sleep 1 && kill -9 "$pid" 2>/dev/null
	wait "$pid"
	"$BERTH" --root "$ROOT" delete -f "$id" >/dev/null 2>&1
	clean "$id"
	points=$(awk '!seen[$0]++' "$trace")
	[ -n "$points" ] || fail "$op: crash points traced" "none"
	n=0
	for point in $points; do
		n=$((n + 1))
		id=crash-$op-$n
		if ! before "$op" "$id"; then
			fail "$op killed at $point" "the steps before it failed"
			clean "$id"
			continue
		fi
		BERTH_CRASH_AT=$point killed "$op" "$id"
		pid=$!
		wait "$pid"
		rc=$?
		msg=$("$BERTH" --root "$ROOT" delete -f "$id" 2>&1) || fail "$op killed at $point: delete -f" "$msg"
		sleep 0.1
		left=$(leftovers "$id")
		if [ "$rc" -ne 137 ]; then
			fail "$op killed at $point" "exit status $rc, not 137: the point was not reached"
		elif [ -n "$left" ]; then
			fail "$op killed at $point, then delete -f: nothing left" "$(echo "$left" | tr '\n' ';')"
		else
			pass "$op killed at $point, then delete -f: nothing left"
		fi
		clean "$id"
	done
done

# A truncated state.json: delete -f still kills the init and removes the
# cgroup and the state dir.
id=crash-corrupt
if "$BERTH" --root "$ROOT" create --bundle "$B" "$id" </dev/null >/dev/null 2>&1; then
	head -c 30 "$ROOT/$id/state.json" >"$ROOT/$id/state.json.cut"
	mv "$ROOT/$id/state.json.cut" "$ROOT/$id/state.json"
	msg=$("$BERTH" --root "$ROOT" delete -f "$id" 2>&1)
	rc=$?
	left=$(leftovers "$id")
	if [ "$rc" -eq 0 ] && [ -z "$left" ]; then
		pass "delete -f with a truncated state.json removes everything"
	else
		fail "delete -f with a truncated state.json removes everything" "exit $rc: $msg; left: $(echo "$left" | tr '\n' ';')"
	fi
	clean "$id"
else
	fail "delete -f with a truncated state.json removes everything" "create failed"
fi

rm -rf "$ROOT" "$B"
[ "$fails" -eq 0 ]
