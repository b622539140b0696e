# ct_helpers.bash - what the lifecycle-side suites (lifecycle, namespaces,
# process, hooks, exec, console, fds, errors .bats) share on top of
# helpers.bash. Load both: `load helpers` then `load ct_helpers`.
#
#   HELPERS_BIN          built test helpers (recvtty): $BERTH_HELPERS_DIR,
#                        else build/tests/helpers beside $BERTH's build dir
#   RECVTTY              the console-socket receiver (tests/helpers/recvtty.c)
#   ct_id [SUFFIX]       a container id unique to this test and run, so its
#                        cgroup dirs can be looked for by name
#   set_args CMD...      process.args = CMD... (any characters)
#   set_sh 'SCRIPT'      process.args = ["sh", "-c", SCRIPT]
#   bind_dir HOSTDIR CTDIR
#                        adds a read-write bind mount (host files the
#                        container writes markers into; the rootfs is ro)
#   state_field ID KEY   a key of `berth state ID` (python3, no jq)
#   wait_status ID STATUS [TRIES]
#                        polls `berth state` (0.1 s steps, default 100)
#   wait_file FILE [TRIES]
#                        polls for FILE to exist and be non-empty
#   host_ns KIND         the host's namespace link, e.g. net:[4026531840]
#   ct_cgroup_dirs ID    cgroup dirs anywhere under /sys/fs/cgroup named ID
#   ct_procs_in ROOTFS   pids whose / is ROOTFS (the container's init and
#                        its children, seen from the host)
#   detached create|run -d ARGS...
#                        create or run -d with the container's stdio in a file
#   pid_alive PID        PID exists and is not a zombie
#   pid_gone PID         the opposite, as an assertion
#   assert_no_leftovers ID
#                        no state dir, no cgroup dir, no process rooted in
#                        $ROOTFS, no mount under the test dir: prints what
#                        is left and fails

HELPERS_BIN=${BERTH_HELPERS_DIR:-$(dirname "$BERTH")/../tests/helpers}
RECVTTY=$HELPERS_BIN/recvtty

ct_id() {
	echo "lc${BATS_TEST_NUMBER}-$$${1:+-$1}"
}

set_args() {
	printf '%s\0' "$@" >"$BERTH_TEST_DIR/args"
	update_config "c['process']['args'] = open('$BERTH_TEST_DIR/args').read().split(chr(0))[:-1]"
}

set_sh() {
	set_args sh -c "$1"
}

bind_dir() {
	mkdir -p "$1"
	update_config "c['mounts'].append({'destination': '$2', 'type': 'bind', 'source': '$1', 'options': ['rbind', 'rw']})"
}

state_field() {
	berth state "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$2"
}

wait_status() {
	local id=$1 want=$2 tries=${3:-100} got
	while [ "$tries" -gt 0 ]; do
		got=$(state_field "$id" status 2>/dev/null) || got=
		[ "$got" = "$want" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	echo "wait_status: $id is '$got', not '$want'" >&2
	return 1
}

wait_file() {
	local f=$1 tries=${2:-100}
	while [ "$tries" -gt 0 ]; do
		[ -s "$f" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	echo "wait_file: $f did not appear" >&2
	return 1
}

host_ns() {
	readlink "/proc/self/ns/$1"
}

ct_cgroup_dirs() {
	find /sys/fs/cgroup -maxdepth 8 -type d -name "$1" 2>/dev/null || true
}

ct_procs_in() {
	# /proc/PID/root reads "/" after pivot_root; the mount table of the
	# process still says which directory its "/" came from (field 4 is
	# relative to its filesystem, hence the suffix match).
	local p
	for p in /proc/[0-9]*; do
		awk -v r="$1" '$5 == "/" && $4 != "/" && substr(r, length(r) - length($4) + 1) == $4 { f = 1 }
			END { exit !f }' "$p/mountinfo" 2>/dev/null && echo "${p#/proc/}"
	done
	return 0
}

assert_no_leftovers() {
	local id=$1 left
	if [ -e "$BERTH_ROOT/$id" ]; then
		echo "leftover state dir: $BERTH_ROOT/$id" >&2
		return 1
	fi
	left=$(ct_cgroup_dirs "$id")
	if [ -n "$left" ]; then
		echo "leftover cgroup dirs: $left" >&2
		return 1
	fi
	left=$(ct_procs_in "$ROOTFS")
	if [ -n "$left" ]; then
		echo "leftover processes rooted in $ROOTFS: $left" >&2
		return 1
	fi
	left=$(mounts_under "$BERTH_TEST_DIR")
	if [ -n "$left" ]; then
		echo "leftover mounts: $left" >&2
		return 1
	fi
	return 0
}

# detached create|run -d ARGS...: berth create / run -d of a container
# without a terminal. Its init keeps the caller's stdio, so under bats'
# `run` (which reads to EOF) they would hang: stdio goes to
# $BERTH_TEST_DIR/detached.out instead, shown when berth fails.
detached() {
	local out=$BERTH_TEST_DIR/detached.out
	berth "$@" </dev/null >>"$out" 2>&1 || {
		local rc=$?
		cat "$out" >&2
		return $rc
	}
}

# pid_alive PID: the process exists and is not a zombie (this host's pid 1
# is slow to reap the orphans it inherits, so /proc/PID alone says little).
pid_alive() {
	local st
	st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# pid_gone PID: the opposite, usable as a bats assertion (`! cmd` never
# fails a bats test).
pid_gone() {
	if pid_alive "$1"; then
		echo "pid $1 is still alive" >&2
		return 1
	fi
}
