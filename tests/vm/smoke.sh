#!/bin/sh
# smoke.sh - the default test run inside the berth VM (busybox sh) when
# tests/vm/cgroup-v2-tests.sh does not exist: checks the VM really is a pure
# cgroup v2 host and that berth runs a container there whose cgroup exists
# while it runs and is gone afterwards.
#
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
# Must never: leave a container or a cgroup behind.

BERTH=${BERTH:-/usr/bin/berth}
. "${0%/*}/checks.sh"

# --- the host is pure cgroup v2 ---------------------------------------------

# busybox stat names no cgroup2 type (%T says UNKNOWN): compare the magic,
# CGROUP2_SUPER_MAGIC 0x63677270.
fstype=$(stat -f -c %T /sys/fs/cgroup)
magic=$(stat -f -c %t /sys/fs/cgroup)
if [ "$fstype" = cgroup2fs ] || [ "$magic" = 63677270 ]; then
	pass "cgroup2 mounted at /sys/fs/cgroup"
else
	fail "cgroup2 mounted at /sys/fs/cgroup" "fs type $fstype, magic 0x$magic"
fi

if awk '$3 == "cgroup" { found = 1 } END { exit found }' /proc/mounts; then
	pass "no cgroup v1 hierarchy mounted"
else
	fail "no cgroup v1 hierarchy mounted" "$(awk '$3 == "cgroup"' /proc/mounts)"
fi

for c in cpu memory pids io cpuset; do
	if grep -qw "$c" /sys/fs/cgroup/cgroup.controllers && grep -qw "$c" /sys/fs/cgroup/cgroup.subtree_control; then
		pass "controller $c available and enabled"
	else
		fail "controller $c available and enabled" \
			"controllers: $(cat /sys/fs/cgroup/cgroup.controllers); subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
	fi
done

# --- berth ------------------------------------------------------------------

if v=$("$BERTH" --version 2>&1) && echo "$v" | grep -q '^berth version'; then
	pass "berth --version ($(echo "$v" | head -n 1))"
else
	fail "berth --version" "$v"
fi

id=berth-vm-smoke
cg=/sys/fs/cgroup/berth-vm-smoke
bundle=/tmp/smoke-bundle
out=/tmp/smoke-run.out
mkbundle "$bundle" -c /berth-vm-smoke \
	-r '{"devices":[{"allow":false,"access":"rwm"}],"pids":{"limit":64}}' \
	-- sh -c 'echo hello-from-container; cat /proc/self/cgroup; sleep 3'

# Bounded: a hung run must fail this test, not eat the VM's whole timeout
# (a container run under tcg takes a few seconds; 120 s is plenty).
timeout -s KILL 120 "$BERTH" run --bundle "$bundle" "$id" >"$out" 2>&1 &
run_pid=$!

# While the container sleeps, its cgroup must exist and hold its process;
# the limit may be written a moment after the process joined, so poll for
# both until the run ends.
seen_procs='' pids_max=''
i=0
while [ $i -lt 600 ] && kill -0 "$run_pid" 2>/dev/null; do
	# Not `test -s`: cgroupfs files have size 0.
	procs=$(cat "$cg/cgroup.procs" 2>/dev/null)
	if [ -n "$procs" ]; then
		seen_procs=$procs
		pids_max=$(cat "$cg/pids.max" 2>/dev/null)
		[ "$pids_max" != 64 ] || break
	fi
	usleep 50000
	i=$((i + 1))
done
wait "$run_pid"
run_rc=$?
echo "--- berth run output (exit $run_rc) ---"
cat "$out"
echo "---"

if [ "$run_rc" -eq 0 ] && grep -q '^hello-from-container$' "$out"; then
	pass "berth run prints from inside the container"
elif [ "$run_rc" -eq 137 ]; then
	fail "berth run prints from inside the container" "berth run still running after 120 s, killed"
	# What was left, for the log (busybox has no pgrep -a).
	# shellcheck disable=SC2009
	ps -o pid,ppid,stat,args | grep -v ' \['
else
	fail "berth run prints from inside the container" "exit $run_rc"
fi
if [ -n "$seen_procs" ]; then
	pass "container process in $cg while running (pids $(echo "$seen_procs" | tr '\n' ' ' | sed 's/ $//'))"
else
	fail "container process in $cg while running" "cgroup.procs never non-empty"
fi
if [ "$pids_max" = 64 ]; then
	pass "pids.max is 64 while running"
else
	fail "pids.max is 64 while running" "read '${pids_max}'"
fi
if [ ! -e "$cg" ]; then
	pass "container cgroup removed after run"
else
	fail "container cgroup removed after run" "$cg still exists"
fi
if timeout -s KILL 60 "$BERTH" state "$id" >/dev/null 2>&1; then
	fail "container gone after run" "berth state $id still succeeds"
else
	pass "container gone after run"
fi
# Clean up whatever a failure left: the container, its processes, its cgroup.
timeout -s KILL 60 "$BERTH" delete --force "$id" >/dev/null 2>&1
if [ -d "$cg" ]; then
	echo 1 >"$cg/cgroup.kill" 2>/dev/null
	usleep 200000
	rmdir "$cg" 2>/dev/null
fi
rm -rf "$bundle" "$out"

echo "smoke: $fails failure(s)"
[ "$fails" -eq 0 ]
