#!/bin/sh
# rootless-v2-tests.sh - berth run by an unprivileged user on a pure cgroup v2
# host: runs INSIDE the test VM (busybox sh, as root, berth on PATH, a busybox
# rootfs at /bundle/rootfs). As root it makes user "dev" (uid 1000) and a
# cgroup subtree delegated to it the way systemd delegates user@.service
# (/sys/fs/cgroup/user-1000 and its cgroup.procs, cgroup.subtree_control,
# cgroup.threads owned by the user, +memory +pids enabled in it), puts the
# user's shells in a leaf of that subtree, and then, as the user, checks that:
#   - `berth run -d` of a rootless config (`berth spec --rootless`) asking for
#     memory and pids limits succeeds, the limits land in the container's
#     cgroup under the delegated subtree, the init runs in it, and delete
#     removes the cgroup;
#   - without delegation (cgroupsPath in a cgroup the user can't write) a
#     config asking for limits fails with an error naming the cgroup, and
#     leaves no state, while one without limits runs without a cgroup (runc's
#     rule).
#
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
# Must never: leave a container, a cgroup or the user's files behind (the VM
# is thrown away, but the script cleans up as the host tests do).

BERTH=${BERTH:-/usr/bin/berth}
. "${0%/*}/checks.sh"

CGROOT=/sys/fs/cgroup
DELEG=$CGROOT/user-1000 # the delegated subtree
SESSION=$DELEG/session  # leaf holding the user's shells (no internal processes)
NODELEG=$CGROOT/rl-nodeleg # root-owned: not delegated
work=/tmp/rl
STATE=/tmp/dev-berth

if [ "$(stat -f -c %t "$CGROOT")" != 63677270 ]; then
	fail "pure cgroup v2 host" "$CGROOT is not cgroup2"
	exit 1
fi

# --- as root: the user and the delegated subtree ---------------------------------
grep -q '^dev:' /etc/passwd || echo 'dev:x:1000:1000:dev:/tmp/rl:/bin/sh' >>/etc/passwd
grep -q '^dev:' /etc/group || echo 'dev:x:1000:' >>/etc/group
mkdir -p "$work" && chown 1000:1000 "$work"

mkdir "$DELEG" "$SESSION" "$NODELEG" || {
	fail "make cgroups" "mkdir $DELEG $SESSION $NODELEG"
	exit 1
}
# The files systemd hands over with Delegate=yes.
chown 1000:1000 "$DELEG" "$DELEG/cgroup.procs" "$DELEG/cgroup.subtree_control" \
	"$DELEG/cgroup.threads" "$SESSION" "$SESSION/cgroup.procs" "$SESSION/cgroup.threads"
echo "+memory +pids" >"$DELEG/cgroup.subtree_control"
check "delegated subtree enables memory and pids" grep -q 'memory.*pids' "$DELEG/cgroup.subtree_control"
# $NODELEG stays root's: a container cgroup can't be made under it.

# as_dev CMD: CMD as uid/gid 1000 by busybox su (root needs no password),
# from a shell first moved into the delegated session leaf: a rootless caller
# may only move processes between cgroups it can write, so it must itself be
# in the delegated subtree.
as_dev() {
	sh -c 'echo $$ >"$1/cgroup.procs" && exec su dev -c "$2"' as_dev "$SESSION" \
		"cd $work && BERTH=$BERTH && STATE=$STATE && $1"
}

check "user shell runs as uid 1000 in the session cgroup" \
	[ "$(as_dev 'id -u; cat /proc/self/cgroup' | tr '\n' ' ')" = "1000 0::/user-1000/session " ]

# mk_bundle DIR CGROUPS_PATH RESOURCES_JSON ARGS_JSON: a rootless bundle owned
# by the user, config from `berth spec --rootless` run as the user (so the
# mappings are 0 -> 1000, size 1), edited with sed (no JSON tool here).
mk_bundle() {
	d=$1 cgp=$2 res=$3 args=$4
	rm -rf "$d"
	mkdir -p "$d"
	cp -a /bundle/rootfs "$d/rootfs"
	chown -R 1000:1000 "$d"
	as_dev "cd $d && \$BERTH spec --rootless" || return 1
	lin="\"linux\": {"
	[ -z "$cgp" ] || lin="$lin \"cgroupsPath\": \"$cgp\","
	[ -z "$res" ] || lin="$lin \"resources\": $res,"
	sed -i -e 's/"terminal": true/"terminal": false/' \
		-e "s/^[[:space:]]*\"sh\"\$/$args/" \
		-e "s|\"linux\": {|$lin|" "$d/config.json"
}

# --- delegated: limits applied -------------------------------------------------------
B=$work/deleg
CG=$DELEG/rl-test
ID=rl-deleg
OUT=$work/deleg.out
if mk_bundle "$B" /user-1000/rl-test '{"memory":{"limit":33554432},"pids":{"limit":20}}' '"sleep", "1000"'; then
	if as_dev "\$BERTH --root \$STATE run -d --bundle $B $ID </dev/null >$OUT 2>&1"; then
		pass "rootless run -d with limits in a delegated cgroup"
		check "rootless: memory.max" file_is "$CG/memory.max" 33554432
		check "rootless: pids.max" file_is "$CG/pids.max" 20
		check "rootless: init is in the container cgroup" wait_for 20 grep -q . "$CG/cgroup.procs"
		pid=$(head -n 1 "$CG/cgroup.procs" 2>/dev/null)
		check "rootless: init runs as uid 1000 on the host" \
			[ "$(awk '/^Uid:/ { print $2 }' "/proc/${pid:-0}/status" 2>/dev/null)" = 1000 ]
		check "rootless: cgroup dir owned by the user" [ "$(stat -c %u "$CG")" = 1000 ]
		st=$(as_dev "\$BERTH --root \$STATE state $ID" 2>&1)
		case "$st" in
		*'"status": "running"'* | *'"status":"running"'*) pass "rootless: state running" ;;
		*) fail "rootless: state running" "$st" ;;
		esac
		as_dev "\$BERTH --root \$STATE kill $ID KILL" >/dev/null 2>&1
		wait_for 50 sh -c "! grep -q . $CG/cgroup.procs 2>/dev/null"
		if as_dev "\$BERTH --root \$STATE delete $ID" >"$work/del.out" 2>&1; then
			pass "rootless: delete"
		else
			fail "rootless: delete" "$(cat "$work/del.out")"
			as_dev "\$BERTH --root \$STATE delete -f $ID" >/dev/null 2>&1
		fi
		check "rootless: delete removes the cgroup" [ ! -e "$CG" ]
		check "rootless: delete removes the state" [ ! -e "$STATE/$ID" ]
	else
		fail "rootless run -d with limits in a delegated cgroup" "$(cat "$OUT")"
		as_dev "\$BERTH --root \$STATE delete -f $ID" >/dev/null 2>&1
	fi
else
	fail "make rootless bundle"
fi
[ ! -e "$CG" ] || rmdir "$CG" 2>/dev/null

# --- delegated: the kernel enforces the user's limits ---------------------------------
# A fork loop under pids.max 8 and a 64 MiB buffer under memory.max 16 MiB
# (the VM has no swap), in one container.
B=$work/enforce
CG=$DELEG/rl-enforce
ID=rl-enforce
OUT=$work/enforce.out
# process.args for mk_bundle's sed: "/" and "&" escaped.
# shellcheck disable=SC2016 # $i and $? expand in the container's shell
args='"sh", "-c", "(i=0; while [ $i -lt 30 ]; do sleep 1000 \& i=$((i+1)); done); echo spawned; dd if=\/dev\/zero of=\/dev\/null bs=64M count=1; echo dd-status=$?; exec sleep 1000"'
if mk_bundle "$B" /user-1000/rl-enforce '{"memory":{"limit":16777216},"pids":{"limit":8}}' "$args"; then
	if as_dev "\$BERTH --root \$STATE run -d --bundle $B $ID </dev/null >$OUT 2>&1" &&
		wait_for 300 grep -q dd-status= "$OUT"; then
		check "rootless enforce: fork fails at pids.max" grep -Eq "can't fork|Resource temporarily unavailable" "$OUT"
		check "rootless enforce: pids.current <= 8" [ "$(cat "$CG/pids.current")" -le 8 ]
		check "rootless enforce: dd OOM-killed" grep -q dd-status=137 "$OUT"
		# shellcheck disable=SC2016 # awk's fields
		check "rootless enforce: memory.events oom_kill" \
			awk '$1 == "oom_kill" && $2 > 0 { f = 1 } END { exit !f }' "$CG/memory.events"
	else
		fail "rootless enforce: container ran" "$(cat "$OUT")"
	fi
	as_dev "\$BERTH --root \$STATE delete -f $ID" >/dev/null 2>&1
	check "rootless enforce: delete -f removes the cgroup" [ ! -e "$CG" ]
else
	fail "make rootless bundle (enforce)"
fi
[ ! -e "$CG" ] || rmdir "$CG" 2>/dev/null

# --- not delegated: limits refused, no limits runs ---------------------------------
B=$work/nodeleg
ID=rl-nodeleg
OUT=$work/nodeleg.out
if mk_bundle "$B" /rl-nodeleg/rl-test '{"memory":{"limit":33554432},"pids":{"limit":20}}' '"echo", "ran"'; then
	if as_dev "\$BERTH --root \$STATE run --bundle $B $ID </dev/null >$OUT 2>&1"; then
		fail "no delegation: limits refused" "run succeeded: $(cat "$OUT")"
	else
		case "$(cat "$OUT")" in
		*rl-nodeleg*) pass "no delegation: limits refused with an error naming the cgroup" ;;
		*) fail "no delegation: limits refused with an error naming the cgroup" "$(cat "$OUT")" ;;
		esac
	fi
	echo "  error was: $(head -c 300 "$OUT")"
	check "no delegation: no cgroup made" [ ! -e "$NODELEG/rl-test" ]
	check "no delegation: no state left" [ ! -e "$STATE/$ID" ]
	as_dev "\$BERTH --root \$STATE delete -f $ID" >/dev/null 2>&1
else
	fail "make rootless bundle (no delegation, limits)"
fi

if mk_bundle "$B" /rl-nodeleg/rl-test '' '"echo", "ran"'; then
	if as_dev "\$BERTH --root \$STATE run --bundle $B $ID </dev/null >$OUT 2>&1" &&
		grep -q '^ran$' "$OUT"; then
		pass "no delegation: a config without limits runs without a cgroup"
	else
		fail "no delegation: a config without limits runs without a cgroup" "$(cat "$OUT")"
	fi
	check "no delegation, no limits: no cgroup made" [ ! -e "$NODELEG/rl-test" ]
	as_dev "\$BERTH --root \$STATE delete -f $ID" >/dev/null 2>&1
	check "no delegation, no limits: no state left" [ ! -e "$STATE/$ID" ]
else
	fail "make rootless bundle (no delegation, no limits)"
fi

# --- cleanup ------------------------------------------------------------------------
# The script's own shells leave the session leaf when they exit; move
# anything left (none expected) to the root before removing the dirs.
while read -r p; do echo "$p" >"$CGROOT/cgroup.procs"; done <"$SESSION/cgroup.procs"
rmdir "$SESSION" "$DELEG" "$NODELEG" 2>/dev/null
check "cleanup: delegated subtree removed" [ ! -e "$DELEG" ]
check "cleanup: non-delegated cgroup removed" [ ! -e "$NODELEG" ]
rm -rf "$work" "$STATE"

echo "rootless-v2-tests: $fails failure(s)"
[ "$fails" -eq 0 ]
