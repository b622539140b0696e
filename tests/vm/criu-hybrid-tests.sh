#!/bin/bash
# criu-hybrid-tests.sh - checkpoint and restore with CRIU on a cgroup v1 or
# hybrid host: runs INSIDE the Debian systemd VM (tests/vm/systemd-run.sh
# with BERTH_VM_CGROUP=hybrid or v1). For berth and for runc 1.1.5, with
# the cgroupfs driver and with --systemd-cgroup: a counter checkpointed and
# restored goes on from where it was (same token, higher count), its memory
# and pids limits hold after restore in the v1 hierarchies, and once the
# container is deleted no cgroup dir is left in any hierarchy and no unit.
#
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
# Must never: leave a container, cgroup or unit behind.
#
# The package list is podman-criu-tests.sh's, so both share one cached image.
# berth-vm-packages: criu iptables tar
# berth-vm-modules: nft_compat xt_mark nf_conntrack_netlink unix_diag inet_diag tcp_diag
# berth-vm-modules: udp_diag raw_diag af_packet_diag netlink_diag
set -u
BERTH=${BERTH:-/usr/local/sbin/berth}
T=/opt/berth-test
CG=/sys/fs/cgroup
ROOT=/run/criu-hybrid
W=/var/tmp/criu-hybrid
fails=0
pass() { echo "PASS $*"; }
fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}
check() { # name cmd...
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

for _ in $(seq 60); do
	case "$(systemctl is-system-running 2>/dev/null)" in running | degraded) break ;; esac
	sleep 0.5
done
if [ "$(stat -fc %T $CG)" = cgroup2fs ]; then
	fail "this host is cgroup v2: boot with BERTH_VM_CGROUP=hybrid or v1"
	exit 1
elif [ "$(stat -fc %T $CG/unified 2>/dev/null)" = cgroup2fs ]; then
	mode=hybrid
else
	mode=v1
fi
echo "cgroups: $mode; $(criu --version | head -n 1)"
if ! criu check >/tmp/criu-check.log 2>&1; then
	cat /tmp/criu-check.log
	echo "FAIL criu check fails in the VM"
	exit 1
fi
mkdir -p "$W"
sh "$T/spec-examples/make-rootfs.sh" "$W/rootfs" >/dev/null || {
	echo "FAIL make-rootfs"
	exit 1
}

COUNTER='t=$RANDOM$RANDOM; i=0; while :; do echo "$t $i" > /out/count; i=$((i+1)); usleep 100000; done'
# bundle DIR CGROUPS_PATH: the counter, /out bound to DIR/out, limits set
bundle() {
	local dir=$1 cgp=$2
	rm -rf "$dir"
	mkdir -p "$dir/out"
	(cd "$dir" && "$BERTH" spec)
	jq --arg cgp "$cgp" --arg out "$dir/out" --arg ctr "$COUNTER" --arg rootfs "$W/rootfs" \
		'.process.terminal = false | .process.args = ["sh", "-c", $ctr] |
		 .linux.cgroupsPath = $cgp |
		 .linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 20} |
		 .mounts += [{"destination": "/out", "type": "bind", "source": $out, "options": ["rbind", "rw"]}] |
		 .root = {"path": $rootfs, "readonly": true}' \
		<"$dir/config.json" >"$dir/c.json" && mv "$dir/c.json" "$dir/config.json"
}
# The counter rewrites its file (truncate, then write): a read can find it
# empty, so read again until it holds "<token> <n>".
line() {
	local l
	for _ in $(seq 20); do
		l=$(cat "$1/out/count" 2>/dev/null)
		[ -n "$l" ] && break
		sleep 0.02
	done
	echo "$l"
}
count() { set -- $(line "$1") -1 -1; echo "$2"; }
token() { set -- $(line "$1") -1; echo "$1"; }
wait_count() { # DIR MIN
	for _ in $(seq 100); do
		[ "$(count "$1")" -gt "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
status_of() { "$RT" --root "$ROOT" state "$1" 2>/dev/null | jq -r .status; }
pid_of() { "$RT" --root "$ROOT" state "$1" 2>/dev/null | jq -r .pid; }
# the pid's cgroup in the v1 hierarchy of CONTROLLER
v1_path() { awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup"; }
# every dir named NAME in any hierarchy (v1, unified, systemd's)
dirs_left() { find $CG -mindepth 2 -maxdepth 5 -type d -name "$1" 2>/dev/null | tr '\n' ' '; }
unit_gone() { ! systemctl list-units --all --plain --no-legend "$1" | grep -q .; }
show_log() { [ -f "$1" ] && grep -E 'Error|Warn' "$1" | tail -n 5; true; }

scenario() { # RT DRIVER(cgroupfs|systemd)
	RT=$1
	local drv=$2 n id b cgp leaf unit="" pid mem pids v1 t1 v2 t2 out
	n=$(basename "$RT")-$drv
	id=criuv1-$n
	b=$W/$n
	if [ "$drv" = systemd ]; then
		cgp=system.slice:bt:$id
		leaf=bt-$id.scope
		unit=$leaf
		set -- "$RT" --root "$ROOT" --systemd-cgroup
	else
		cgp=/criuv1-$n
		leaf=criuv1-$n
		set -- "$RT" --root "$ROOT"
	fi
	local R=("$@")
	echo "--- $n"
	bundle "$b" "$cgp"
	"${R[@]}" run -d --bundle "$b" "$id" </dev/null >/dev/null 2>&1 ||
		{ fail "$n run"; return; }
	wait_count "$b" 9 || fail "$n the counter did not start"
	if ! out=$("${R[@]}" checkpoint --image-path "$W/$n-img" "$id" 2>&1); then
		fail "$n checkpoint: $out"
		show_log "$W/$n-img/dump.log"
		"${R[@]}" delete -f "$id" >/dev/null 2>&1
		return
	fi
	read -r t1 v1 <<<"$(line "$b")"
	check "$n checkpoint: the container is gone" test -z "$(status_of "$id")"
	out=$(dirs_left "$leaf")
	check "$n checkpoint: no cgroup dir left ($out)" test -z "$out"
	[ -z "$unit" ] || check "$n checkpoint: no unit $unit left" unit_gone "$unit"
	sleep 0.5
	check "$n checkpoint: the counter stopped at $v1" test "$(count "$b")" = "$v1"
	if ! out=$("${R[@]}" restore -d --image-path "$W/$n-img" --bundle "$b" "$id" </dev/null 2>&1 >/dev/null); then
		fail "$n restore: $out"
		show_log "$W/$n-img/restore.log"
		"${R[@]}" delete -f "$id" >/dev/null 2>&1
		return
	fi
	check "$n restore: running" test "$(status_of "$id")" = running
	sleep 1
	read -r t2 v2 <<<"$(line "$b")"
	check "$n restore: the same process went on from $t1 $v1 (now $t2 $v2)" \
		test "${v2:-0}" -gt "$v1" -a "$t2" = "$t1"
	pid=$(pid_of "$id")
	mem=$(v1_path "$pid" memory)
	pids=$(v1_path "$pid" pids)
	check "$n restore: in its own memory cgroup ($mem)" test "${mem##*/}" = "$leaf"
	check "$n restore: in its own pids cgroup ($pids)" test "${pids##*/}" = "$leaf"
	check "$n restore: memory limit in force" \
		test "$(cat "$CG/memory$mem/memory.limit_in_bytes" 2>/dev/null)" = 67108864
	check "$n restore: pids limit in force" test "$(cat "$CG/pids$pids/pids.max" 2>/dev/null)" = 20
	if [ "$mode" = hybrid ]; then
		out=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
		check "$n restore: the unified hierarchy holds it in $out" test "${out##*/}" = "$leaf"
	fi
	[ -z "$unit" ] || check "$n restore: unit $unit active" \
		test "$(systemctl show -P ActiveState "$unit" 2>/dev/null)" = active
	"${R[@]}" delete -f "$id" >/dev/null 2>&1
	sleep 0.3
	check "$n delete: gone" test -z "$(status_of "$id")"
	out=$(dirs_left "$leaf")
	check "$n delete: no cgroup dir left ($out)" test -z "$out"
	[ -z "$unit" ] || check "$n delete: no unit $unit left" unit_gone "$unit"
}

for rt in "$BERTH" "$(command -v runc)"; do
	for drv in cgroupfs systemd; do
		scenario "$rt" "$drv"
	done
done
rm -rf "$W" "$ROOT"
[ "$fails" -eq 0 ] || {
	echo "criu-hybrid-tests ($mode): $fails failed"
	exit 1
}
echo "criu-hybrid-tests ($mode): all passed"
