# tests/clients/lib.sh: shared helpers for the client end-to-end scenarios.
#
# Sourced by run.sh and by each scenario subshell. It only defines functions
# and reads variables that run.sh exported (CT_TMP, CT_RUNTIME, ...); it never
# starts a daemon or changes host state by itself.
#
# A scenario is a shell function `sc_<name>` that fails (non-zero) when an
# expected effect is missing. Helpers below print what they compared, so the
# per-scenario log explains a FAIL without rerunning.

# fail MSG: abort the scenario with a reason.
fail() {
	echo "FAIL-REASON: $*" >&2
	exit 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" != "$3" ]; then
		fail "$1: got [$2], want [$3]"
	fi
	echo "ok: $1 = [$2]"
}

# expect_match WHAT GOT REGEX (extended regex, whole output searched)
expect_match() {
	if ! printf '%s' "$2" | grep -Eq -- "$3"; then
		fail "$1: [$2] does not match /$3/"
	fi
	echo "ok: $1 matches /$3/"
}

# expect_nomatch WHAT GOT REGEX
expect_nomatch() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then
		fail "$1: [$2] unexpectedly matches /$3/"
	fi
	echo "ok: $1 does not match /$3/"
}

# expect_rc WHAT WANT CMD...: run CMD, check its exit status, keep its output
# in $OUT (stdout+stderr).
expect_rc() {
	local what=$1 want=$2 rc=0
	shift 2
	OUT=$("$@" 2>&1) || rc=$?
	if [ "$rc" != "$want" ]; then
		echo "--- output of: $*" >&2
		printf '%s\n' "$OUT" >&2
		fail "$what: exit status $rc, want $want"
	fi
	echo "ok: $what exit status $rc"
}

# run_ok CMD...: run CMD, fail the scenario on non-zero status; output in $OUT.
run_ok() {
	expect_rc "$*" 0 "$@"
}

# wait_for WHAT SECONDS CMD...: poll CMD (every 0.2 s) until it succeeds.
wait_for() {
	local what=$1 secs=$2 i
	shift 2
	for ((i = 0; i < secs * 5; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	fail "timed out after ${secs}s waiting for: $what"
}

# cgroup_dir_of PID CONTROLLER: host path of a process's v1 cgroup directory.
cgroup_dir_of() {
	local path
	path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
	[ -n "$path" ] || return 1
	echo "/sys/fs/cgroup/$2$path"
}

# runtime_state_left ID: true when the runtime still keeps state for ID under
# any root we know of (the default one and the test's own roots).
runtime_state_left() {
	local r
	for r in "$CT_RUNTIME_DEFAULT_ROOT" "$CT_TMP"/ctr-runtime-root/*; do
		[ -e "$r/$1" ] && return 0
	done
	return 1
}

# freezer_state PID: FROZEN or THAWED as the kernel sees the process's
# cgroup. On this hybrid host a runtime may freeze through the v1 freezer
# (freezer.state) or the v2 unified hierarchy (cgroup.events "frozen 1");
# either stops the processes, so either counts.
freezer_state() {
	local v1 v2
	v1=$(cgroup_dir_of "$1" freezer 2>/dev/null)
	if [ -n "$v1" ] && [ "$(cat "$v1/freezer.state" 2>/dev/null)" = FROZEN ]; then
		echo FROZEN
		return
	fi
	v2=$(awk -F: '$1 == "0" { print $3 }' "/proc/$1/cgroup")
	if [ -n "$v2" ] && grep -qx 'frozen 1' "/sys/fs/cgroup/unified$v2/cgroup.events" 2>/dev/null; then
		echo FROZEN
		return
	fi
	echo THAWED
}

# cgroups_left ID: cgroup directories named ID in any hierarchy (v1
# controllers, name=systemd, the unified v2 one) at depth <= 4; prints them.
cgroups_left() {
	# find fails when a cgroup vanishes under it (other tests run too).
	find /sys/fs/cgroup -mindepth 2 -maxdepth 4 -type d -name "$1" 2>/dev/null || true
}

# expect_removed ID: no runtime state and no cgroup left for container ID.
expect_removed() {
	local left
	runtime_state_left "$1" && fail "runtime state left for $1"
	left=$(cgroups_left "$1")
	[ -z "$left" ] || fail "cgroups left for $1: $(echo $left)"
	echo "ok: no runtime state and no cgroup left for $1"
}

# sc_no_leftovers: every container any engine created in this run (the IDs of
# the `create` calls in the trace) is gone: no runtime state, no cgroup in
# any hierarchy. Catches what --rm and rm -f hide.
sc_no_leftovers() {
	local ids id n=0 bad="" all
	[ -f "$CT_TMP/trace.log" ] || {
		echo "no trace (--no-trace): nothing to check"
		return 0
	}
	ids=$(grep '^argv:' "$CT_TMP/trace.log" | grep -w create | awk '{ print $NF }' | sort -u)
	# One walk of the hierarchies (they can hold thousands of cgroups).
	all=$(find /sys/fs/cgroup -mindepth 2 -maxdepth 4 -type d 2>/dev/null || true)
	for id in $ids; do
		n=$((n + 1))
		if runtime_state_left "$id"; then
			bad="$bad state:$id"
		fi
		bad="$bad $(printf '%s\n' "$all" | grep "/$id\$" | tr '\n' ' ')"
	done
	bad=$(echo $bad)
	[ -z "$bad" ] || fail "left behind: $bad"
	echo "ok: $n containers created, none left behind"
}
