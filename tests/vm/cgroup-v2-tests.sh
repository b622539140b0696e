#!/bin/sh
# cgroup-v2-tests.sh - berth's cgroup v2 driver on a pure cgroup v2 host: runs
# INSIDE the test VM (busybox sh, berth on PATH, a busybox bundle at /bundle,
# `mkbundle` to make variants). Checks that limits land in the v2 files
# (memory.max, pids.max, cpu.max, cpu.weight, memory.high via unified) and
# that the kernel enforces them (OOM kill, fork bomb, throttling), that the
# device eBPF program denies what the config denies, that pause/resume freeze
# through cgroup.freeze, that update and events work (events --stats compared
# with runc's for the same bundle), and that delete leaves no cgroup
# directory.
#
# berth-vm-binaries: runc
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
# Must never: leave a container or a cgroup behind.

BERTH=${BERTH:-/usr/bin/berth}
. "${0%/*}/checks.sh"

work=/tmp/cg2
mkdir -p "$work"
n=0

# new_ct RESOURCES ARGS...: a fresh bundle and ID; sets ID CG B OUT
new_ct() {
	n=$((n + 1))
	ID=cg2-$n
	CG=/sys/fs/cgroup/berth-cg2-$n
	B=$work/b$n
	OUT=$work/out$n
	res=$1
	shift
	mkbundle "$B" -c "/berth-cg2-$n" -r "$res" -- "$@" || fail "mkbundle $ID"
}

start_detached() {
	"$BERTH" run -d --bundle "$B" "$ID" </dev/null >"$OUT" 2>&1
}

# wait_for TENTHS COMMAND...

out_has() { grep -q "$1" "$OUT"; }
keyed_gt0() { awk -v k="$2" '$1 == k && $2 > 0 { f = 1 } END { exit !f }' "$1" 2>/dev/null; }
status_is() { "$BERTH" state "$ID" 2>/dev/null | grep -q "\"status\": *\"$1\""; }

finish_ct() {
	"$BERTH" delete -f "$ID" >/dev/null 2>&1
	if [ -e "$CG" ]; then
		fail "$ID: cgroup removed by delete" "$CG still exists"
		rmdir "$CG" 2>/dev/null
	fi
	rm -rf "$B" "$OUT"
}

# --- the host is pure v2 ------------------------------------------------------
if [ "$(stat -f -c %t /sys/fs/cgroup)" != 63677270 ]; then
	fail "pure cgroup v2 host" "/sys/fs/cgroup is not cgroup2"
	exit 1
fi

# --- limits written and read back -------------------------------------------------
new_ct '{"devices":[{"allow":false,"access":"rwm"}],"memory":{"limit":33554432,"reservation":16777216,"swap":67108864},"cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0"},"pids":{"limit":50},"unified":{"memory.high":"30000000"}}' sleep 1000
if start_detached; then
	check "memory.max from memory.limit" file_is "$CG/memory.max" 33554432
	check "memory.low from memory.reservation" file_is "$CG/memory.low" 16777216
	check "memory.swap.max is swap - limit" file_is "$CG/memory.swap.max" 33554432
	check "cpu.weight from shares 512" file_is "$CG/cpu.weight" 20
	check "cpu.max from quota/period" file_is "$CG/cpu.max" "50000 100000"
	check "cpuset.cpus" file_is "$CG/cpuset.cpus" 0
	check "pids.max" file_is "$CG/pids.max" 50
	check "unified memory.high" file_is "$CG/memory.high" 29999104
	check "init is in the cgroup" wait_for 20 grep -q . "$CG/cgroup.procs"
	# events --stats in runc's shape
	ev=$("$BERTH" events --stats "$ID" 2>&1)
	case "$ev" in
	*'"type":"stats"'*'"limit":33554432'*) pass "events --stats" ;;
	*) fail "events --stats" "$ev" ;;
	esac
	# update
	if "$BERTH" update --memory 64m --pids-limit 30 --cpu-quota 20000 "$ID" 2>"$work/upd"; then
		check "update memory.max" file_is "$CG/memory.max" 67108864
		check "update pids.max" file_is "$CG/pids.max" 30
		check "update cpu.max" file_is "$CG/cpu.max" "20000 100000"
	else
		fail "update" "$(cat "$work/upd")"
	fi
else
	fail "start limits container" "$(cat "$OUT")"
fi
finish_ct
check "delete leaves no cgroup" [ ! -e "$CG" ]

# --- OOM kill under memory.max ----------------------------------------------------------
new_ct '{"memory":{"limit":16777216,"swap":16777216}}' sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd-status=$?; sleep 1000'
if start_detached && wait_for 200 out_has dd-status=; then
	check "OOM kill: dd killed" out_has dd-status=137
	check "OOM kill: memory.events oom_kill" keyed_gt0 "$CG/memory.events" oom_kill
else
	fail "OOM kill" "$(cat "$OUT")"
fi
finish_ct

# --- fork bomb at pids.max ---------------------------------------------------------------
new_ct '{"pids":{"limit":10}}' sh -c '(i=0; while [ $i -lt 40 ]; do sleep 1000 & i=$((i+1)); done); echo spawned; exec sleep 1000'
if start_detached && wait_for 200 out_has spawned; then
	check "fork bomb: fork fails" grep -Eq "can't fork|Resource temporarily unavailable" "$OUT"
	check "fork bomb: pids.current <= 10" [ "$(cat "$CG/pids.current")" -le 10 ]
	check "fork bomb: pids.events max" keyed_gt0 "$CG/pids.events" max
else
	fail "fork bomb" "$(cat "$OUT")"
fi
finish_ct

# --- cpu.max throttles ---------------------------------------------------------------------
new_ct '{"cpu":{"quota":10000,"period":100000}}' sh -c 'while :; do :; done'
if start_detached; then
	sleep 2
	check "cpu.max throttles (nr_throttled > 0)" keyed_gt0 "$CG/cpu.stat" nr_throttled
else
	fail "cpu throttling" "$(cat "$OUT")"
fi
finish_ct

# --- device eBPF program ---------------------------------------------------------------------
# c 1:11 (kmsg) as a node in the rootfs: only the device program guards it;
# a write-only open needs no CAP_SYSLOG.
new_ct '{"devices":[{"allow":false,"access":"rwm"}]}' sh -c 'exec 3>/kmsg && echo opened'
mknod "$B/rootfs/kmsg" c 1 11
out=$("$BERTH" run --bundle "$B" "$ID" 2>&1 </dev/null)
case "$out" in
*"Operation not permitted"*) pass "device eBPF: denied device gives EPERM" ;;
*) fail "device eBPF: denied device gives EPERM" "$out" ;;
esac
finish_ct
new_ct '{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":11,"access":"w"}]}' sh -c 'exec 3>/kmsg && echo opened'
mknod "$B/rootfs/kmsg" c 1 11
out=$("$BERTH" run --bundle "$B" "$ID" 2>&1 </dev/null)
case "$out" in
*opened*) pass "device eBPF: allowed device opens" ;;
*) fail "device eBPF: allowed device opens" "$out" ;;
esac
finish_ct

# access letters other than r, w and m are ignored, as runc's parser does:
# "wX q" allows the write, "rX" does not
new_ct '{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":11,"access":"wX q"}]}' sh -c 'exec 3>/kmsg && echo opened'
mknod "$B/rootfs/kmsg" c 1 11
out=$("$BERTH" run --bundle "$B" "$ID" 2>&1 </dev/null)
case "$out" in
*opened*) pass "device eBPF: unknown access letters ignored (w kept)" ;;
*) fail "device eBPF: unknown access letters ignored (w kept)" "$out" ;;
esac
finish_ct
new_ct '{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":11,"access":"rX"}]}' sh -c 'exec 3>/kmsg && echo opened'
mknod "$B/rootfs/kmsg" c 1 11
out=$("$BERTH" run --bundle "$B" "$ID" 2>&1 </dev/null)
case "$out" in
*"Operation not permitted"*) pass "device eBPF: unknown access letters ignored (no w)" ;;
*) fail "device eBPF: unknown access letters ignored (no w)" "$out" ;;
esac
finish_ct

# linux.devices only makes nodes: /dev/kmsg listed there stays denied by
# linux.resources.devices, also after an update (runc: EPERM too)
new_ct '{"devices":[{"allow":false,"access":"rwm"}]}' sh -c 'test -c /dev/kmsg && echo node; exec 3>/dev/kmsg && echo opened'
sed -i 's|"cgroupsPath": \(.*\),$|"cgroupsPath": \1, "devices": [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11}],|' "$B/config.json"
out=$("$BERTH" run --bundle "$B" "$ID" 2>&1 </dev/null)
case "$out" in
*node*"Operation not permitted"*) pass "device eBPF: linux.devices node made but not allowed" ;;
*) fail "device eBPF: linux.devices node made but not allowed" "$out" ;;
esac
"$BERTH" delete -f "$ID" >/dev/null 2>&1
sed -i 's|"args": \[.*\]|"args": ["sleep", "1000"]|' "$B/config.json"
if start_detached && "$BERTH" update --memory 64m "$ID"; then
	out=$("$BERTH" exec "$ID" sh -c 'exec 3>/dev/kmsg && echo opened' 2>&1 </dev/null)
	case "$out" in
	*"Operation not permitted"*) pass "device eBPF: linux.devices not allowed after update" ;;
	*) fail "device eBPF: linux.devices not allowed after update" "$out" ;;
	esac
else
	fail "device eBPF: start and update" "$(cat "$OUT")"
fi
finish_ct

# --- exec into a container with a cgroup namespace (nsdelegate) ----------------------
# cgroup2 is mounted with nsdelegate here (init.sh), as systemd does: the
# exec'd process must be born in the container's cgroup before it joins
# the container's cgroup namespace.
if grep -q ' /sys/fs/cgroup cgroup2 .*nsdelegate' /proc/mounts; then
	new_ct '{}' sleep 1000
	mkbundle "$B" -c "/berth-cg2-$n" -r '{}' \
		-n '[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}]' \
		-- sleep 1000
	if start_detached; then
		out=$("$BERTH" exec "$ID" cat /proc/self/cgroup 2>&1 </dev/null)
		check "exec with a cgroup namespace: /proc/self/cgroup is 0::/" [ "$out" = "0::/" ]
		[ "$out" = "0::/" ] || echo "  exec said: $out"
		"$BERTH" exec -d --pid-file "$work/exec.pid" "$ID" sleep 1000 </dev/null >/dev/null 2>&1
		pid=$(cat "$work/exec.pid" 2>/dev/null)
		check "exec with a cgroup namespace: born in the container's cgroup" grep -qx "$pid" "$CG/cgroup.procs"
	else
		fail "exec with a cgroup namespace: start" "$(cat "$OUT")"
	fi
	finish_ct
else
	echo "SKIP exec with a cgroup namespace: cgroup2 not mounted with nsdelegate"
fi

# --- freeze via cgroup.freeze ---------------------------------------------------------------
new_ct '{}' sh -c 'while :; do echo tick; usleep 50000; done'
if start_detached && wait_for 100 out_has tick; then
	if "$BERTH" pause "$ID"; then
		check "pause: status paused" status_is paused
		check "pause: cgroup.events frozen 1" grep -q '^frozen 1$' "$CG/cgroup.events"
		a=$(wc -l <"$OUT")
		sleep 1
		b=$(wc -l <"$OUT")
		check "pause: counter stopped" [ "$a" -eq "$b" ]
		"$BERTH" resume "$ID"
		check "resume: status running" status_is running
		sleep 1
		c=$(wc -l <"$OUT")
		check "resume: counter runs again" [ "$c" -gt "$b" ]
	else
		fail "pause"
	fi
else
	fail "freeze container" "$(cat "$OUT")"
fi
finish_ct

# --- an existing frozen cgroup is refused, never joined ------------------------------
new_ct '{}' echo ran
mkdir "$CG" && echo 1 >"$CG/cgroup.freeze"
timeout -s KILL 15 "$BERTH" run --bundle "$B" "$ID" </dev/null >"$OUT" 2>&1
echo 0 >"$CG/cgroup.freeze"
[ -e "$CG/cgroup.kill" ] && echo 1 >"$CG/cgroup.kill"
wait_for 50 rmdir "$CG"
check "a frozen cgroup is refused in runc's words" out_has "container's cgroup unexpectedly frozen"
out_has ran && fail "a frozen cgroup is never joined" "$(cat "$OUT")"
finish_ct

# --- delete kills what a host-pid-namespace container left ---------------------------
new_ct '{}' sh -c 'sleep 777 & echo started'
mkbundle "$B" -c "/berth-cg2-$n" -r '{}' \
	-n '[{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]' \
	-- sh -c 'sleep 777 & echo started'
if start_detached && wait_for 50 status_is stopped; then
	check "host pid namespace: the sleep outlives the init" grep -q . "$CG/cgroup.procs"
	"$BERTH" delete "$ID" >/dev/null 2>&1
	check "host pid namespace: delete kills what is left" wait_for 30 sh -c '! ps | grep -q "[s]leep 777"'
else
	fail "host pid namespace container" "$(cat "$OUT")"
fi
finish_ct

# --- kill of a stopped container ------------------------------------------------------------
# runc's answers: a plain kill fails ("container not running"), kill -a
# signals what is left in the cgroup (nothing) and succeeds
new_ct '{}' true
if start_detached && wait_for 100 status_is stopped; then
	out=$("$BERTH" kill "$ID" KILL 2>&1)
	case "$out" in
	*"container not running"*) pass "kill of a stopped container: container not running" ;;
	*) fail "kill of a stopped container: container not running" "$out" ;;
	esac
	check "kill -a of a stopped container succeeds" "$BERTH" kill -a "$ID" KILL
else
	fail "kill of a stopped container" "$(cat "$OUT")"
fi
finish_ct

# --- 256 KiB memory limit ---------------------------------------------------------------
new_ct '{"memory":{"limit":262144}}' echo started
out=$("$BERTH" run --bundle "$B" "$ID" 2>&1 </dev/null)
case "$out" in
*started*) pass "container starts under a 256 KiB memory limit" ;;
*) fail "container starts under a 256 KiB memory limit" "$out" ;;
esac
finish_ct

# --- errors name the resource and leave nothing ---------------------------------------
new_ct '{"cpu":{"realtimeRuntime":1000,"realtimePeriod":100000}}' true
out=$("$BERTH" run --bundle "$B" "$ID" 2>&1 </dev/null)
case "$out" in
*linux.resources.cpu.realtime*) pass "realtime on v2 is a named error" ;;
*) fail "realtime on v2 is a named error" "$out" ;;
esac
check "failed create leaves no cgroup" [ ! -e "$CG" ]
finish_ct

rm -rf "$work"
# --- events --stats: runc's document -------------------------------------------------
# The same bundle under berth and runc (limits, none; running, paused). The
# shape must be equal: the line with its ID out, each number N, a list [N],
# and the omitempty members that follow a counter differing between two
# containers (usage, max, total, throttling, cache, current) taken out of
# both; berth must not print those as 0 (runc leaves a zero out). The limits
# must be equal, an unlimited one printed as 18446744073709551615.
# Deliberately different (values only): a v2 failcnt is memory.events'
# "max" count in berth, always 0 in runc 1.1.5.
stats_shape() {
	sed -E -e 's/"id":"[^"]*"/"id":ID/' -e 's/(:|\[|,)-?[0-9]+/\1N/g' \
		-e 's/\[N(,N)*\]/[N]/g' \
		-e 's/"(usage|max|total|periods|throttledPeriods|throttledTime|cache|current)":N,?//g' \
		-e 's/,}/}/g'
}
no_zero_omitempty() { ! grep -Eq '"(usage|max|total|periods|throttledPeriods|throttledTime|cache|current)":0[,}]' "$1"; }
limits() { grep -Eo '"limit":[0-9]+' "$1" | tr '\n' ' '; }

# compare_stats WHAT: events --stats of $ID (berth) and $RID (runc)
compare_stats() {
	"$BERTH" events --stats "$ID" >"$work/ev.berth" 2>&1
	runc events --stats "$RID" >"$work/ev.runc" 2>&1
	if [ "$(stats_shape <"$work/ev.berth")" = "$(stats_shape <"$work/ev.runc")" ]; then
		pass "events --stats $1: runc's keys, order and omitted fields"
	else
		fail "events --stats $1: runc's keys, order and omitted fields" \
			"berth $(cat "$work/ev.berth") runc $(cat "$work/ev.runc")"
	fi
	check "events --stats $1: no zero where runc omits it" no_zero_omitempty "$work/ev.berth"
	check "events --stats $1: limits as runc's ($(limits "$work/ev.runc"))" \
		[ "$(limits "$work/ev.berth")" = "$(limits "$work/ev.runc")" ]
}

if command -v runc >/dev/null; then
	for what in limits none; do
		res='{}'
		[ "$what" = none ] ||
			res='{"memory":{"limit":33554432,"swap":67108864},"pids":{"limit":50},"cpu":{"shares":512,"quota":50000,"period":100000}}'
		new_ct "$res" sleep 1000
		RID=$ID-runc
		mkbundle "$B-runc" -c "/berth-cg2-$n-runc" -r "$res" -- sleep 1000 || fail "mkbundle $RID"
		if start_detached && runc run -d --bundle "$B-runc" "$RID" </dev/null >"$OUT.runc" 2>&1; then
			compare_stats "$what, running"
			[ "$what" != none ] || check "events --stats: an unlimited limit in full" \
				grep -q '"usage":{"limit":18446744073709551615' "$work/ev.berth"
			"$BERTH" pause "$ID" && runc pause "$RID" && compare_stats "$what, paused"
			"$BERTH" resume "$ID"
			runc resume "$RID"
		else
			fail "events --stats: start both" "$(cat "$OUT" "$OUT.runc")"
		fi
		runc delete -f "$RID" >/dev/null 2>&1
		rmdir "/sys/fs/cgroup/berth-cg2-$n-runc" 2>/dev/null
		rm -rf "$B-runc" "$OUT.runc"
		finish_ct
	done
else
	echo "SKIP events --stats compared with runc: no runc in the VM"
fi

echo "cgroup-v2-tests: $fails failure(s)"
[ "$fails" -eq 0 ]
