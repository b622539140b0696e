#!/bin/bash
# systemd-v1-tests.sh - the systemd cgroup driver on a cgroup v1 or hybrid
# host (run in the VM by tests/vm/systemd-run.sh with BERTH_VM_CGROUP=hybrid
# or v1). Every scenario runs with berth and with runc 1.1.5, the oracle:
# what systemd and the hierarchies show must be the same for both, and
# what runc leaves out (a controller it does not know) is said where it is.
#
# Prints PASS/FAIL/SKIP lines; exits 1 when anything failed.
set -u
BERTH=${BERTH:-/usr/local/sbin/berth}
RUNC=$(command -v runc || true)
T=/opt/berth-test
CG=/sys/fs/cgroup
fails=0
pass() { echo "PASS $*"; }
fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}
expect_eq() { # name got want
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
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
echo "systemd: $(systemctl is-system-running 2>&1); $(systemctl --version | head -n 1); cgroups: $mode"
echo "v1 hierarchies: $(cd $CG && echo */ | tr -d /)"

sh "$T/spec-examples/make-rootfs.sh" /var/tmp/rootfs >/dev/null || {
	echo "FAIL make-rootfs"
	exit 1
}

# bundle DIR CGROUPS_PATH RESOURCES_JSON -- ARGS
bundle() {
	local dir=$1 cgp=$2 res=$3
	shift 3
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && "$BERTH" spec)
	jq --arg cgp "$cgp" --argjson res "$res" --args \
		'.process.terminal = false | .process.args = $ARGS.positional |
		 .linux.cgroupsPath = $cgp | .linux.resources = (.linux.resources + $res) |
		 .root = {"path": "/var/tmp/rootfs", "readonly": true}' \
		"$@" <"$dir/config.json" >"$dir/c.json" && mv "$dir/c.json" "$dir/config.json"
}

show() { systemctl show -P "$2" "$1" 2>/dev/null; }
unit_gone() { ! systemctl list-units --all --plain --no-legend "$1" | grep -q .; }
# The unit's dirs left in any hierarchy (none once it is deleted).
dirs_left() { ls -d $CG/*/system.slice/"$1" $CG/*/bt.slice/"$1" 2>/dev/null | tr '\n' ' '; }
# The controllers whose hierarchy holds pid in a cgroup other than want.
elsewhere() { # PID WANT CONTROLLERS...
	local pid=$1 want=$2 c path
	shift 2
	for c in "$@"; do
		path=$(awk -F: -v c="$c" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
		[ -d "$CG/${c#name=}" ] || continue
		[ "$path" = "$want" ] || echo -n "$c:$path "
	done
}

# the hierarchies systemd runs, and those runc 1.1.5 makes and joins itself
sd_ctrls="memory cpu cpuacct pids devices blkio name=systemd"
own_ctrls="cpuset freezer net_cls net_prio perf_event hugetlb rdma"

driver_scenario() { # RT NAME
	local rt=$1 n=$2 id=v1-$2 unit=bt-v1-$2.scope dir=/var/tmp/v1-$2 rel pid out
	rel=/system.slice/$unit
	bundle "$dir" "system.slice:bt:v1-$n" \
		'{"memory":{"limit":67108864},"pids":{"limit":42},"cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0","mems":"0"}}' \
		-- sleep 300
	if ! "$rt" --systemd-cgroup create --bundle "$dir" "$id" >"$dir/create.out" 2>&1; then
		fail "$n: create: $(cat "$dir/create.out")"
		return
	fi
	"$rt" start "$id"
	expect_eq "$n: unit active" "$(show "$unit" ActiveState)" active
	expect_eq "$n: unit in system.slice" "$(show "$unit" Slice)" system.slice
	expect_eq "$n: Delegate" "$(show "$unit" Delegate)" yes
	expect_eq "$n: MemoryLimit (systemctl)" "$(show "$unit" MemoryLimit)" 67108864
	expect_eq "$n: TasksMax (systemctl)" "$(show "$unit" TasksMax)" 42
	expect_eq "$n: CPUShares (systemctl)" "$(show "$unit" CPUShares)" 512
	expect_eq "$n: CPUQuotaPerSecUSec (systemctl)" "$(show "$unit" CPUQuotaPerSecUSec)" 500ms
	expect_eq "$n: memory.limit_in_bytes" "$(cat $CG/memory$rel/memory.limit_in_bytes 2>&1)" 67108864
	expect_eq "$n: cpu.cfs_quota_us" "$(cat $CG/cpu$rel/cpu.cfs_quota_us 2>&1)" 50000
	expect_eq "$n: cpu.cfs_period_us" "$(cat $CG/cpu$rel/cpu.cfs_period_us 2>&1)" 100000
	expect_eq "$n: cpu.shares" "$(cat $CG/cpu$rel/cpu.shares 2>&1)" 512
	expect_eq "$n: pids.max" "$(cat $CG/pids$rel/pids.max 2>&1)" 42
	expect_eq "$n: cpuset.cpus" "$(cat $CG/cpuset$rel/cpuset.cpus 2>&1)" 0
	expect_eq "$n: cpuset.mems" "$(cat $CG/cpuset$rel/cpuset.mems 2>&1)" 0
	expect_eq "$n: devices.list is not a+rwm" "$(grep -c 'a \*:\* rwm' $CG/devices$rel/devices.list 2>&1)" 0
	pid=$("$rt" state "$id" | jq -r .pid)
	expect_eq "$n: init in the unit in every hierarchy" "$(elsewhere "$pid" "$rel" $sd_ctrls $own_ctrls)" ""
	if [ $mode = hybrid ]; then
		expect_eq "$n: init in the unified cgroup" "$(grep '^0::' "/proc/$pid/cgroup")" "0::$rel"
	fi
	# exec's process lands where the init is (as each sees its cgroups)
	out=$("$rt" exec "$id" sh -c 'a=$(cat /proc/self/cgroup); b=$(cat /proc/1/cgroup); [ "$a" = "$b" ] && echo same || echo "$a / $b"' 2>&1)
	expect_eq "$n: exec joins the init's cgroups" "$out" same
	if "$rt" ps "$id" 2>&1 | grep -q "sleep"; then pass "$n: ps"; else fail "$n: ps: $("$rt" ps "$id" 2>&1)"; fi
	"$rt" update --memory 134217728 --pids-limit 50 --cpu-quota 20000 "$id" 2>&1 || fail "$n: update failed"
	expect_eq "$n: update memory.limit_in_bytes" "$(cat $CG/memory$rel/memory.limit_in_bytes)" 134217728
	expect_eq "$n: update MemoryLimit (systemctl)" "$(show "$unit" MemoryLimit)" 134217728
	expect_eq "$n: update TasksMax (systemctl)" "$(show "$unit" TasksMax)" 50
	expect_eq "$n: update pids.max" "$(cat $CG/pids$rel/pids.max)" 50
	expect_eq "$n: update cpu.cfs_quota_us" "$(cat $CG/cpu$rel/cpu.cfs_quota_us)" 20000
	expect_eq "$n: update CPUQuotaPerSecUSec (systemctl)" "$(show "$unit" CPUQuotaPerSecUSec)" 200ms
	"$rt" pause "$id"
	expect_eq "$n: pause freezer.state" "$(cat $CG/freezer$rel/freezer.state 2>&1)" FROZEN
	expect_eq "$n: paused state" "$("$rt" state "$id" | jq -r .status)" paused
	"$rt" resume "$id"
	expect_eq "$n: resume freezer.state" "$(cat $CG/freezer$rel/freezer.state 2>&1)" THAWED
	expect_eq "$n: running state" "$("$rt" state "$id" | jq -r .status)" running
	out=$("$rt" events --stats "$id" 2>&1)
	if echo "$out" | jq -e '.data.memory.usage.usage > 0 and .data.pids.current >= 1 and .data.memory.usage.limit == 134217728' >/dev/null 2>&1; then
		pass "$n: events --stats"
	else
		fail "$n: events --stats: ${out:0:300}"
	fi
	"$rt" kill "$id" KILL
	for _ in $(seq 50); do
		[ "$("$rt" state "$id" 2>/dev/null | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	"$rt" delete "$id" 2>&1 || fail "$n: delete"
	if unit_gone "$unit"; then pass "$n: unit gone after delete"; else fail "$n: unit left: $(systemctl status "$unit" 2>&1 | head -n 3)"; fi
	expect_eq "$n: no cgroup dir left" "$(dirs_left "$unit")" ""
	rm -rf "$dir"
}

# A slice as the container's unit, below a slice of its own; delete -f of
# a running container. berth only: runc 1.1.5 gives a slice unit the PIDs
# property and systemd refuses it ("Cannot set property PIDs").
slice_scenario() { # RT NAME
	local rt=$1 n=$2 id=v1s-$2 unit=bt-$2.slice dir=/var/tmp/v1s-$2 pid
	bundle "$dir" "bt.slice:bt:$unit" '{"memory":{"limit":33554432}}' -- sleep 300
	if ! "$rt" --systemd-cgroup run -d --bundle "$dir" "$id" >"$dir/run.out" 2>&1; then
		fail "$n: slice: run: $(cat "$dir/run.out")"
		return
	fi
	pid=$("$rt" state "$id" | jq -r .pid)
	expect_eq "$n: slice unit active" "$(show "$unit" ActiveState)" active
	expect_eq "$n: slice MemoryLimit" "$(show "$unit" MemoryLimit)" 33554432
	expect_eq "$n: slice: init in it" "$(elsewhere "$pid" "/bt.slice/$unit" memory pids freezer cpuset)" ""
	"$rt" delete -f "$id" 2>&1 || fail "$n: slice: delete -f"
	if unit_gone "$unit"; then pass "$n: slice gone after delete -f"; else fail "$n: $unit left"; fi
	expect_eq "$n: slice: no cgroup dir left" "$(ls -d $CG/*/bt.slice/"$unit" 2>/dev/null | tr '\n' ' ')" ""
	systemctl stop bt.slice 2>/dev/null
	rm -rf "$dir"
}

# A create killed after it started the unit (SIGKILL during a hook) leaves
# a unit and dirs; delete -f must stop the one and remove the others.
killed_create() { # RT NAME
	local rt=$1 n=$2 id=v1k-$2 unit=bt-v1k-$2.scope dir=/var/tmp/v1k-$2 cpid left
	bundle "$dir" "system.slice:bt:v1k-$n" '{"memory":{"limit":67108864}}' -- sleep 300
	jq '.hooks.createRuntime = [{"path":"/bin/sleep","args":["sleep","31"]}]' "$dir/config.json" >"$dir/c.json" && mv "$dir/c.json" "$dir/config.json"
	"$rt" --systemd-cgroup create --bundle "$dir" "$id" >/dev/null 2>&1 &
	cpid=$!
	for _ in $(seq 100); do
		pgrep -f "^/bin/sleep 31$" >/dev/null && break
		sleep 0.1
	done
	if ! systemctl list-units --plain --no-legend "$unit" | grep -q .; then
		fail "$n: killed create: the unit never appeared"
	fi
	kill -KILL "$cpid"
	wait "$cpid" 2>/dev/null
	pkill -KILL -f "^/bin/sleep 31$" 2>/dev/null || true
	"$rt" --systemd-cgroup delete -f "$id" >/dev/null 2>&1
	if unit_gone "$unit"; then
		pass "$n: killed create: delete -f stopped the unit"
	else
		fail "$n: killed create: $unit left behind"
		systemctl stop "$unit" 2>/dev/null
	fi
	left=$(dirs_left "$unit")
	if [ "$n" = runc ] && [ -n "$left" ]; then
		# deliberately different: runc 1.1.5 has no state for a create it
		# did not finish, so delete -f forgets the dirs it made itself
		echo "NOTE runc: killed create: runc leaves $left"
		rmdir $left 2>/dev/null || true
		left=
	fi
	expect_eq "$n: killed create: no cgroup dir left" "$left" ""
	rm -rf "$dir"
}

# podman with its default cgroup_manager = "systemd" (--systemd-cgroup,
# machine.slice:libpod:ID): what an engine on such a host does.
podman_scenario() { # RT NAME
	local rt=$1 n=$2 c=pm-$2 cid unit rel out
	local pm=(podman --runtime "$rt")
	expect_eq "$n: podman cgroup manager" "$(podman info --format '{{.Host.CgroupManager}}')" systemd
	if ! out=$("${pm[@]}" run -d --name "$c" --network none --memory 64m --pids-limit 42 \
		--cpus 0.5 localhost/bbox:sd sleep 300 2>&1); then
		fail "$n: podman run -d: $out"
		return
	fi
	cid=$(podman inspect -f '{{.Id}}' "$c")
	unit=libpod-$cid.scope
	rel=/machine.slice/$unit
	expect_eq "$n: podman unit active" "$(show "$unit" ActiveState)" active
	expect_eq "$n: podman --memory (systemctl)" "$(show "$unit" MemoryLimit)" 67108864
	expect_eq "$n: podman --memory (file)" "$(cat $CG/memory$rel/memory.limit_in_bytes 2>&1)" 67108864
	expect_eq "$n: podman --pids-limit (file)" "$(cat $CG/pids$rel/pids.max 2>&1)" 42
	expect_eq "$n: podman --cpus (file)" "$(cat $CG/cpu$rel/cpu.cfs_quota_us 2>&1)" 50000
	out=$("${pm[@]}" exec "$c" echo hello-exec 2>&1)
	expect_eq "$n: podman exec" "$out" hello-exec
	"${pm[@]}" pause "$c" >/dev/null 2>&1
	expect_eq "$n: podman pause" "$(podman inspect -f '{{.State.Status}}' "$c")/$(cat $CG/freezer$rel/freezer.state 2>&1)" paused/FROZEN
	"${pm[@]}" unpause "$c" >/dev/null 2>&1
	expect_eq "$n: podman unpause" "$(podman inspect -f '{{.State.Status}}' "$c")/$(cat $CG/freezer$rel/freezer.state 2>&1)" running/THAWED
	"${pm[@]}" rm -f -t 0 "$c" >/dev/null 2>&1 || fail "$n: podman rm -f"
	if unit_gone "$unit"; then pass "$n: podman: unit gone after rm"; else fail "$n: podman: $unit left"; fi
	expect_eq "$n: podman: no cgroup dir left" "$(ls -d $CG/*$rel 2>/dev/null | tr '\n' ' ')" ""
}

start_s=$(date +%s)
for bin in "$BERTH" $RUNC; do
	rt=$(basename "$bin")
	driver_scenario "$bin" "$rt"
	[ "$bin" = "$BERTH" ] && slice_scenario "$bin" "$rt"
	killed_create "$bin" "$rt"
	echo "($rt done at +$(($(date +%s) - start_s)) s)"
done

# BERTH_VM_ONLY (systemd-run.sh) naming "podman" adds podman (~1 min more
# per runtime under tcg); BERTH_VM_COMPARE naming it repeats it with runc.
if [[ " $(cat "$T/only" 2>/dev/null) " == *" podman "* ]]; then
	tar -C /var/tmp/rootfs -c . | podman import --change 'CMD ["/bin/sh"]' - localhost/bbox:sd >/dev/null
	for bin in "$BERTH" $RUNC; do
		if [ "$bin" != "$BERTH" ] && [[ " $(cat "$T/compare" 2>/dev/null) " != *" podman "* ]] &&
			[ "$(cat "$T/compare" 2>/dev/null)" != all ]; then
			continue
		fi
		podman_scenario "$bin" "$(basename "$bin")"
		echo "(podman $(basename "$bin") done at +$(($(date +%s) - start_s)) s)"
	done
fi

echo "systemd-v1-tests: $fails failed"
[ "$fails" = 0 ]
