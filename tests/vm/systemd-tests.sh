#!/bin/bash
# systemd-tests.sh - the systemd cgroup driver under real systemd (run in the
# VM by tests/vm/systemd-run.sh). Every scenario runs with berth and with
# runc, so a failure that both share is the scenario's, not berth's.
#
# Prints PASS/FAIL/SKIP lines; exits 1 when anything failed.
set -u
BERTH=${BERTH:-/usr/local/sbin/berth}
RUNC=$(command -v runc || true)
T=/opt/berth-test
fails=0
pass() { echo "PASS $*"; }
fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}
skip() { echo "SKIP $*"; }
# Parts to run (driver podman ctr cri systemd rootless); all unless BERTH_VM_ONLY said.
ONLY=$(cat "$T/only" 2>/dev/null || true)
want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }
# The runtimes a part runs with: berth, and runc unless BERTH_VM_COMPARE
# (all by default) leaves the part out (CI keeps the slowest to berth).
COMPARE=$(cat "$T/compare" 2>/dev/null || echo all)
runtimes() {
	echo "$BERTH"
	if [ -n "$RUNC" ] && { [ "$COMPARE" = all ] || [[ " $COMPARE " == *" $1 "* ]]; }; then
		echo "$RUNC"
	fi
}

# The system must be up enough for D-Bus calls to systemd.
for _ in $(seq 60); do
	case "$(systemctl is-system-running 2>/dev/null)" in running | degraded) break ;; esac
	sleep 0.5
done
echo "systemd: $(systemctl is-system-running 2>&1); $(systemctl --version | head -n 1)"
systemctl --failed --plain --no-legend | sed 's/^/failed unit: /'

sh "$T/spec-examples/make-rootfs.sh" /var/tmp/rootfs >/dev/null || {
	echo "FAIL make-rootfs"
	exit 1
}

# bundle DIR CGROUPS_PATH RESOURCES_JSON [ANNOTATIONS_JSON] -- ARGS
bundle() {
	local dir=$1 cgp=$2 res=$3 ann=${4:-"{}"}
	shift 4
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && "$BERTH" spec)
	jq --arg cgp "$cgp" --argjson res "$res" --argjson ann "$ann" --args \
		'.process.terminal = false | .process.args = $ARGS.positional |
		 .linux.cgroupsPath = $cgp | .linux.resources = (.linux.resources + $res) |
		 .annotations = $ann | .root = {"path": "/var/tmp/rootfs", "readonly": true}' \
		"$@" <"$dir/config.json" >"$dir/c.json" && mv "$dir/c.json" "$dir/config.json"
}

show() { systemctl show -P "$2" "$1" 2>/dev/null; }
unit_gone() { ! systemctl list-units --all --plain --no-legend "$1" | grep -q .; }

expect_eq() { # name got want
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}

driver_scenario() { # RT NAME
	local rt=$1 n=$2 id=sd-$2 unit=bt-sd-$2.scope dir cg pid out
	dir=/var/tmp/b-$n
	cg=/sys/fs/cgroup/system.slice/$unit
	bundle "$dir" "system.slice:bt:sd-$n" \
		'{"memory":{"limit":67108864},"pids":{"limit":42},"cpu":{"shares":1024,"quota":50000,"period":100000,"cpus":"0"}}' \
		'{"org.systemd.property.CollectMode":"'"'inactive-or-failed'"'","org.systemd.property.TimeoutStopUSec":"uint64 7000000"}' \
		-- sleep 300
	# the container keeps create's stdio: a file, not a pipe we'd wait on
	if ! "$rt" --systemd-cgroup create --bundle "$dir" "$id" >"$dir/create.out" 2>&1; then
		fail "$n: create: $(cat "$dir/create.out")"
		return
	fi
	"$rt" start "$id"
	expect_eq "$n: unit active" "$(show "$unit" ActiveState)" active
	expect_eq "$n: Delegate" "$(show "$unit" Delegate)" yes
	expect_eq "$n: MemoryMax (systemctl)" "$(show "$unit" MemoryMax)" 67108864
	expect_eq "$n: TasksMax (systemctl)" "$(show "$unit" TasksMax)" 42
	expect_eq "$n: CPUQuotaPerSecUSec (systemctl)" "$(show "$unit" CPUQuotaPerSecUSec)" 500ms
	expect_eq "$n: CPUWeight (systemctl)" "$(show "$unit" CPUWeight)" 39
	expect_eq "$n: AllowedCPUs (systemctl)" "$(show "$unit" AllowedCPUs)" 0
	expect_eq "$n: CollectMode annotation" "$(show "$unit" CollectMode)" inactive-or-failed
	expect_eq "$n: TimeoutStopUSec annotation" "$(show "$unit" TimeoutStopUSec)" 7s
	expect_eq "$n: memory.max" "$(cat "$cg/memory.max" 2>&1)" 67108864
	expect_eq "$n: pids.max" "$(cat "$cg/pids.max" 2>&1)" 42
	expect_eq "$n: cpu.max" "$(cat "$cg/cpu.max" 2>&1)" "50000 100000"
	expect_eq "$n: cpuset.cpus" "$(cat "$cg/cpuset.cpus" 2>&1)" 0
	pid=$("$rt" state "$id" | jq -r .pid)
	expect_eq "$n: init in the scope" "$(cut -d: -f3 "/proc/$pid/cgroup")" "/system.slice/$unit"
	out=$("$rt" exec "$id" cat /proc/self/cgroup 2>&1)
	expect_eq "$n: exec joins (cgroupns root)" "$out" "0::/"
	if "$rt" ps "$id" 2>&1 | grep -q "sleep"; then pass "$n: ps"; else fail "$n: ps: $("$rt" ps "$id" 2>&1)"; fi
	"$rt" update --memory 134217728 --pids-limit 50 "$id" 2>&1 || fail "$n: update failed"
	expect_eq "$n: update memory.max" "$(cat "$cg/memory.max")" 134217728
	expect_eq "$n: update MemoryMax (systemctl)" "$(show "$unit" MemoryMax)" 134217728
	expect_eq "$n: update TasksMax (systemctl)" "$(show "$unit" TasksMax)" 50
	"$rt" pause "$id"
	expect_eq "$n: pause" "$(grep frozen "$cg/cgroup.events")" "frozen 1"
	expect_eq "$n: paused state" "$("$rt" state "$id" | jq -r .status)" paused
	"$rt" resume "$id"
	expect_eq "$n: resume" "$(grep frozen "$cg/cgroup.events")" "frozen 0"
	out=$("$rt" events --stats "$id" 2>&1)
	if echo "$out" | jq -e '.data.memory.usage.usage > 0 and .data.pids.current >= 1' >/dev/null 2>&1; then
		pass "$n: events --stats"
	else
		fail "$n: events --stats: $out"
	fi
	"$rt" kill --all "$id" KILL 2>/dev/null || "$rt" kill "$id" KILL
	sleep 0.5
	"$rt" delete -f "$id" 2>&1 || fail "$n: delete"
	if unit_gone "$unit"; then pass "$n: unit gone after delete"; else fail "$n: unit left: $(systemctl status "$unit" 2>&1 | head -n 3)"; fi
	if [ ! -e "$cg" ]; then pass "$n: cgroup gone"; else fail "$n: $cg left"; fi
}

bad_paths() { # RT NAME
	local rt=$1 n=$2 dir=/var/tmp/bad-$2 out p
	for p in /not/a/slice system:bt:x "sys/tem.slice:bt:x" "a:b:c:d"; do
		bundle "$dir" "$p" '{}' '{}' -- true
		if out=$("$rt" --systemd-cgroup run --bundle "$dir" "bad-$n" 2>&1); then
			fail "$n: cgroupsPath $p accepted"
			"$rt" delete -f "bad-$n" >/dev/null 2>&1
		elif echo "$out" | grep -qiE 'slice|cgroupsPath|cgroup path'; then
			pass "$n: cgroupsPath $p refused (${out:0:140})"
		else
			fail "$n: cgroupsPath $p refused for another reason: $out"
		fi
	done
	"$rt" delete -f "bad-$n" >/dev/null 2>&1 || true
}

# restore makes the unit from the same config as create, annotations and
# all (runc does too). A property name systemd cannot have is refused before
# CRIU runs, so this needs no CRIU in the image; berth only: runc would
# stop at its missing CRIU, a different step.
restore_annotations() { # RT NAME
	local rt=$1 n=$2 dir=/var/tmp/rann-$2 out
	bundle "$dir" system.slice:bt:rann-$n '{}' '{"org.systemd.property.Bad.Name": "true"}' -- true
	mkdir -p "$dir/img"
	echo '["/dev/null","/dev/null","/dev/null"]' >"$dir/img/descriptors.json"
	out=$(cd "$dir" && "$rt" --systemd-cgroup restore -d --image-path "$dir/img" "rann-$n" 2>&1)
	if [[ "$out" == *"annotations.org.systemd.property.Bad.Name: not a systemd property name"* ]] &&
		! "$rt" state "rann-$n" >/dev/null 2>&1 && unit_gone "bt-rann-$n.scope"; then
		pass "$n: restore reads org.systemd.property.* annotations"
	else
		fail "$n: restore ignored the annotations: $out"
	fi
	"$rt" delete -f "rann-$n" >/dev/null 2>&1 || true
	rm -rf "$dir"
}

# A create killed after it started the unit (SIGKILL during a hook) leaves
# a unit; delete -f must find and stop it.
killed_create() { # RT NAME
	local rt=$1 n=$2 id=kc-$2 unit=bt-kc-$2.scope dir=/var/tmp/kc-$2 cpid
	bundle "$dir" "system.slice:bt:kc-$n" '{}' '{}' -- sleep 300
	jq '.hooks.createRuntime = [{"path":"/bin/sleep","args":["sleep","30"]}]' "$dir/config.json" >"$dir/c.json" && mv "$dir/c.json" "$dir/config.json"
	"$rt" --systemd-cgroup create --bundle "$dir" "$id" >/dev/null 2>&1 &
	cpid=$!
	for _ in $(seq 100); do
		systemctl list-units --plain --no-legend "$unit" | grep -q . && break
		sleep 0.1
	done
	if ! systemctl list-units --plain --no-legend "$unit" | grep -q .; then
		fail "$n: killed create: the unit never appeared"
	fi
	sleep 0.5
	kill -KILL "$cpid"
	wait "$cpid" 2>/dev/null
	pkill -KILL -f "^/bin/sleep 30$" 2>/dev/null || true
	"$rt" --systemd-cgroup delete -f "$id" >/dev/null 2>&1
	if unit_gone "$unit"; then
		pass "$n: killed create: delete -f stopped the unit"
	else
		fail "$n: killed create: $unit left behind"
		systemctl stop "$unit" 2>/dev/null
	fi
}

start_s=$(date +%s)
want driver && for bin in $(runtimes driver); do
	rt=$(basename "$bin")
	driver_scenario "$bin" "$rt"
	bad_paths "$bin" "$rt"
	killed_create "$bin" "$rt"
	[ "$bin" = "$BERTH" ] && restore_annotations "$bin" "$rt"
	echo "($rt driver scenarios done at +$(($(date +%s) - start_s)) s)"
done


# ---- podman with its systemd defaults (cgroup_manager = "systemd") ----

podman_image() {
	podman image exists localhost/bbox:sd && return 0
	tar -C /var/tmp/rootfs -c . | podman import --change 'CMD ["/bin/sh"]' - localhost/bbox:sd >/dev/null
}

podman_scenario() { # RT NAME
	local rt=$1 n=$2 c=pm-$2 cid unit cg out
	local pm=(podman --runtime "$rt")
	expect_eq "$n: podman cgroup manager" "$(podman info --format '{{.Host.CgroupManager}}')" systemd
	out=$("${pm[@]}" run --rm --network none localhost/bbox:sd echo hello-podman 2>&1)
	expect_eq "$n: podman run --rm" "$out" hello-podman
	if ! out=$("${pm[@]}" run -d --name "$c" --network none --memory 64m --pids-limit 42 \
		--cpus 0.5 localhost/bbox:sd sleep 300 2>&1); then
		fail "$n: podman run -d: $out"
		return
	fi
	cid=$(podman inspect -f '{{.Id}}' "$c")
	unit=libpod-$cid.scope
	cg=/sys/fs/cgroup/machine.slice/$unit
	expect_eq "$n: podman unit active" "$(show "$unit" ActiveState)" active
	expect_eq "$n: podman --memory (systemctl)" "$(show "$unit" MemoryMax)" 67108864
	expect_eq "$n: podman --pids-limit (systemctl)" "$(show "$unit" TasksMax)" 42
	expect_eq "$n: podman --memory (file)" "$(cat "$cg/memory.max" 2>&1)" 67108864
	expect_eq "$n: podman --pids-limit (file)" "$(cat "$cg/pids.max" 2>&1)" 42
	expect_eq "$n: podman --cpus (file)" "$(cat "$cg/cpu.max" 2>&1)" "50000 100000"
	out=$("${pm[@]}" exec "$c" sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/memory.max' 2>&1)
	expect_eq "$n: podman exec" "$(echo "$out" | tr '\n' ' ')" "0::/ 67108864 "
	"${pm[@]}" pause "$c" >/dev/null 2>&1
	expect_eq "$n: podman pause" "$(podman inspect -f '{{.State.Status}}' "$c")/$(grep frozen "$cg/cgroup.events")" "paused/frozen 1"
	"${pm[@]}" unpause "$c" >/dev/null 2>&1
	expect_eq "$n: podman unpause" "$(podman inspect -f '{{.State.Status}}' "$c")/$(grep frozen "$cg/cgroup.events")" "running/frozen 0"
	"${pm[@]}" stop -t 1 "$c" >/dev/null 2>&1
	expect_eq "$n: podman stop" "$(podman inspect -f '{{.State.Status}}' "$c")" exited
	"${pm[@]}" rm "$c" >/dev/null 2>&1 || fail "$n: podman rm"
	if unit_gone "$unit"; then pass "$n: podman: unit gone after rm"; else fail "$n: podman: $unit left"; fi
	if [ ! -e "$cg" ]; then pass "$n: podman: cgroup gone"; else fail "$n: podman: $cg left"; fi
	"${pm[@]}" rm -f "$c" >/dev/null 2>&1 || true
}

# ---- containerd with SystemdCgroup through ctr ----

ctr_scenario() { # RT NAME
	local rt=$1 n=$2 c=ctr-$2 unit cg out
	local ctr=(ctr -n berth-sd)
	local run=("${ctr[@]}" run --runc-binary "$rt" --runc-systemd-cgroup --cgroup "system.slice:ctr:$c")
	# ctr's default spec has no cgroup namespace: the host's path shows
	out=$("${run[@]}" --rm --memory-limit 67108864 localhost/bbox:sd "$c-1" cat /proc/self/cgroup 2>&1)
	expect_eq "$n: ctr run --rm (in its scope)" "$out" "0::/system.slice/ctr-$c.scope"
	if ! out=$("${run[@]}" -d --memory-limit 67108864 localhost/bbox:sd "$c" sleep 300 2>&1); then
		fail "$n: ctr run -d: $out"
		return
	fi
	unit=ctr-$c.scope
	cg=/sys/fs/cgroup/system.slice/$unit
	expect_eq "$n: ctr unit active" "$(show "$unit" ActiveState)" active
	expect_eq "$n: ctr memory (systemctl)" "$(show "$unit" MemoryMax)" 67108864
	expect_eq "$n: ctr memory (file)" "$(cat "$cg/memory.max" 2>&1)" 67108864
	out=$("${ctr[@]}" task exec --exec-id e1 "$c" cat /proc/self/cgroup 2>&1)
	expect_eq "$n: ctr task exec" "$out" "0::/system.slice/$unit"
	"${ctr[@]}" task pause "$c" >/dev/null 2>&1
	expect_eq "$n: ctr pause" "$(grep frozen "$cg/cgroup.events")" "frozen 1"
	"${ctr[@]}" task resume "$c" >/dev/null 2>&1
	"${ctr[@]}" task kill -s SIGKILL "$c" >/dev/null 2>&1
	for _ in $(seq 50); do
		[ "$("${ctr[@]}" task ls | awk -v c="$c" '$1 == c { print $3 }')" = STOPPED ] && break
		sleep 0.2
	done
	"${ctr[@]}" task rm "$c" >/dev/null 2>&1 || fail "$n: ctr task rm"
	"${ctr[@]}" container rm "$c" >/dev/null 2>&1
	if unit_gone "$unit"; then pass "$n: ctr: unit gone after task rm"; else fail "$n: ctr: $unit left"; fi
}

ctr_image() {
	local tar=/var/tmp/bbox-oci.tar
	[ -f "$tar" ] || podman save --format oci-archive -o "$tar" localhost/bbox:sd >/dev/null 2>&1 || return 1
	systemctl start containerd >/dev/null 2>&1
	ctr -n berth-sd images import --base-name localhost/bbox "$tar" >/dev/null 2>&1 &&
		ctr -n berth-sd images tag localhost/bbox:sd localhost/bbox:sd >/dev/null 2>&1
	ctr -n berth-sd images ls -q | grep -q 'localhost/bbox:sd'
}

if ! want podman && ! want ctr; then
	:
elif ! podman_image; then
	fail "podman: cannot import the busybox image"
else
	want podman && for rt in $(runtimes podman); do
		n=$(basename "$rt")
		podman_scenario "$rt" "$n"
		echo "(podman $n done at +$(($(date +%s) - start_s)) s)"
	done
	if ! want ctr; then
		:
	elif ! ctr_image; then
		fail "ctr: cannot import the busybox image: $(ctr -n berth-sd images ls 2>&1 | tail -n 2)"
	else
		for rt in $(runtimes ctr); do
			n=$(basename "$rt")
			ctr_scenario "$rt" "$n"
			echo "(ctr $n done at +$(($(date +%s) - start_s)) s)"
		done
	fi
fi

# ---- containerd's CRI plugin with SystemdCgroup = true (cri-systemd.py) ----

cri_scenarios() {
	local d=/var/tmp/cri rt h rc
	mkdir -p "$d"
	{
		echo 'version = 2'
		echo "root = \"$d/root\""
		echo "state = \"$d/state\""
		echo "[grpc]"
		echo "  address = \"$d/containerd.sock\""
		echo "[ttrpc]"
		echo "  address = \"$d/containerd.sock.ttrpc\""
		echo '[plugins."io.containerd.grpc.v1.cri"]'
		echo '  sandbox_image = "localhost/pause:sd"'
		echo '  [plugins."io.containerd.grpc.v1.cri".containerd]'
		echo '    snapshotter = "native"'
		for rt in $(runtimes cri); do
			h=$(basename "$rt")
			echo "    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.$h]"
			echo '      runtime_type = "io.containerd.runc.v2"'
			echo "      [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.$h.options]"
			echo "        BinaryName = \"$rt\""
			echo '        SystemdCgroup = true'
		done
	} >"$d/config.toml"
	containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
	local cpid=$!
	for _ in $(seq 100); do
		ctr --address "$d/containerd.sock" version >/dev/null 2>&1 && break
		sleep 0.2
	done
	# the sandbox's pause process: busybox sleeping
	if ! podman image exists localhost/pause:sd; then
		tar -C /var/tmp/rootfs -c . | podman import --change 'CMD ["/bin/sleep", "2147483647"]' - localhost/pause:sd >/dev/null &&
			podman save --format oci-archive -o /var/tmp/pause-oci.tar localhost/pause:sd >/dev/null 2>&1
	fi
	if ! ctr --address "$d/containerd.sock" -n k8s.io images import --snapshotter native \
		--base-name localhost/bbox /var/tmp/bbox-oci.tar >/dev/null 2>&1 ||
		! ctr --address "$d/containerd.sock" -n k8s.io images import --snapshotter native \
			--base-name localhost/pause /var/tmp/pause-oci.tar >/dev/null 2>&1; then
		fail "cri: containerd with SystemdCgroup did not come up: $(tail -n 3 "$d/containerd.log")"
	else
		for rt in $(runtimes cri); do
			h=$(basename "$rt")
			rc=0
			out=$(python3 "$T/cri-systemd.py" --address "$d/containerd.sock" --tmp "$d" \
				--handler "$h" --image localhost/bbox:sd 2>&1) || rc=$?
			if [ "$rc" = 0 ]; then
				pass "$h: cri (SystemdCgroup): $(echo "$out" | grep -c '^ok:') checks"
			else
				fail "$h: cri (SystemdCgroup): $(echo "$out" | grep -E 'FAIL-REASON|Error' | head -n 3)"
			fi
			echo "(cri $h done at +$(($(date +%s) - start_s)) s)"
		done
	fi
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
}

if want cri; then
	if podman_image && ctr_image; then
		cri_scenarios
	else
		fail "cri: no busybox image"
	fi
fi

# ---- systemd inside a container (spec-examples/systemd) ----

# The rootfs is this VM's own Debian tree through an overlay (upper on a
# tmpfs), with the test unit and the engines' services left out.
systemd_container() { # RT NAME
	local rt=$1 n=$2 id=sdc-$2 dir=/var/tmp/sdc-$2 r t0 st out i
	r=$dir/rootfs
	mkdir -p "$dir"
	mount -t tmpfs tmpfs "$dir" && mkdir -p "$dir/upper" "$dir/work" "$r" &&
		mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$r" || {
		fail "$n: systemd container: overlay rootfs"
		return
	}
	rm -f "$r/etc/systemd/system/multi-user.target.wants/berth-test.service"
	for u in containerd podman podman-restart podman-auto-update; do
		ln -sf /dev/null "$r/etc/systemd/system/$u.service"
	done
	jq --arg r "$r" '.root.path = $r' "$T/spec-examples/systemd/config.json" >"$dir/config.json"
	t0=$(date +%s)
	if ! "$rt" --systemd-cgroup create --bundle "$dir" "$id" >"$dir/out" 2>&1 || ! "$rt" start "$id"; then
		fail "$n: systemd container: create/start: $(cat "$dir/out")"
	else
		for i in $(seq 120); do
			st=$("$rt" exec "$id" systemctl is-system-running 2>/dev/null)
			case "$st" in running | degraded) break ;; esac
			sleep 0.5
		done
		case "$st" in
		running) pass "$n: systemd container boots to running in $(($(date +%s) - t0)) s" ;;
		degraded) pass "$n: systemd container boots to degraded in $(($(date +%s) - t0)) s (failed: $("$rt" exec "$id" systemctl --failed --plain --no-legend 2>&1 | awk '{print $1}' | tr '\n' ' '))" ;;
		*) fail "$n: systemd container: state '$st' after $(($(date +%s) - t0)) s" ;;
		esac
		out=$("$rt" exec "$id" sh -c 'echo $container; systemctl is-active systemd-journald; cat /proc/1/comm' 2>&1 | tr '\n' ' ')
		expect_eq "$n: systemd container: exec systemctl, container=, PID 1" "$out" "berth active systemd "
		"$rt" kill "$id" "$(kill -l RTMIN+3)"
		t0=$(date +%s)
		for i in $(seq 120); do
			[ "$("$rt" state "$id" 2>/dev/null | jq -r .status)" = stopped ] && break
			sleep 0.5
		done
		if [ "$("$rt" state "$id" 2>/dev/null | jq -r .status)" = stopped ]; then
			pass "$n: systemd container: SIGRTMIN+3 shuts it down in $(($(date +%s) - t0)) s"
		else
			fail "$n: systemd container: still $("$rt" state "$id" 2>/dev/null | jq -r .status) after SIGRTMIN+3"
		fi
	fi
	"$rt" delete -f "$id" >/dev/null 2>&1
	if unit_gone "berth-$id.scope" && unit_gone "runc-$id.scope"; then
		pass "$n: systemd container: unit gone"
	else
		fail "$n: systemd container: unit left"
	fi
	umount "$r" "$dir" 2>/dev/null || umount -l "$r" "$dir"
}

if want systemd; then
	for rt in $(runtimes systemd); do
		systemd_container "$rt" "$(basename "$rt")"
		echo "(systemd container $(basename "$rt") done at +$(($(date +%s) - start_s)) s)"
	done
fi

# ---- rootless podman: a lingering user's own systemd on the user bus ----

rootless_setup() {
	id tester >/dev/null 2>&1 || useradd -m -s /bin/bash tester || return 1
	grep -q '^tester:' /etc/subuid || usermod --add-subuids 200000-265535 --add-subgids 200000-265535 tester || return 1
	loginctl enable-linger tester || return 1
	RL_UID=$(id -u tester)
	for _ in $(seq 120); do
		[ -S "/run/user/$RL_UID/bus" ] && break
		sleep 0.5
	done
	[ -S "/run/user/$RL_UID/bus" ] || return 1
	tar -C /var/tmp/rootfs -c . >/var/tmp/rootfs.tar && chmod 0644 /var/tmp/rootfs.tar
	as_tester podman import --change 'CMD ["/bin/sh"]' /var/tmp/rootfs.tar localhost/bbox:sd >/dev/null
}

as_tester() {
	(cd /tmp && runuser -u tester -- env XDG_RUNTIME_DIR="/run/user/$RL_UID" \
		DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$RL_UID/bus" HOME=/home/tester "$@")
}

rootless_scenario() { # RT NAME
	local rt=$1 n=$2 c=rl-$2 cid unit cg out
	local pm=(podman --runtime "$rt")
	expect_eq "$n: rootless podman cgroup manager" "$(as_tester podman info --format '{{.Host.CgroupManager}}' 2>&1)" systemd
	out=$(as_tester "${pm[@]}" run --rm --network none localhost/bbox:sd id -u 2>&1)
	expect_eq "$n: rootless podman run --rm" "$out" 0
	if ! out=$(as_tester "${pm[@]}" run -d --name "$c" --network none --memory 64m --pids-limit 42 \
		localhost/bbox:sd sleep 300 2>&1); then
		fail "$n: rootless podman run -d: $out"
		return
	fi
	cid=$(as_tester podman inspect -f '{{.Id}}' "$c")
	unit=libpod-$cid.scope
	out=$(as_tester systemctl --user show -P ActiveState "$unit" 2>&1)
	expect_eq "$n: rootless: unit in the user's manager" "$out" active
	cg=$(as_tester systemctl --user show -P ControlGroup "$unit" 2>/dev/null)
	expect_eq "$n: rootless --memory (file)" "$(cat "/sys/fs/cgroup$cg/memory.max" 2>&1)" 67108864
	expect_eq "$n: rootless --pids-limit (file)" "$(cat "/sys/fs/cgroup$cg/pids.max" 2>&1)" 42
	out=$(as_tester "${pm[@]}" exec "$c" cat /proc/self/cgroup 2>&1)
	expect_eq "$n: rootless podman exec" "$out" "0::/"
	as_tester "${pm[@]}" pause "$c" >/dev/null 2>&1
	expect_eq "$n: rootless podman pause" "$(as_tester podman inspect -f '{{.State.Status}}' "$c")" paused
	as_tester "${pm[@]}" unpause "$c" >/dev/null 2>&1
	as_tester "${pm[@]}" rm -f -t 0 "$c" >/dev/null 2>&1 || fail "$n: rootless podman rm -f"
	if ! as_tester systemctl --user list-units --all --plain --no-legend "$unit" | grep -q .; then
		pass "$n: rootless: unit gone after rm"
	else
		fail "$n: rootless: $unit left"
	fi
}

if want rootless; then
	if ! rootless_setup; then
		fail "rootless: no user session for tester"
	else
		for rt in $(runtimes rootless); do
			rootless_scenario "$rt" "$(basename "$rt")"
			echo "(rootless podman $(basename "$rt") done at +$(($(date +%s) - start_s)) s)"
		done
	fi
fi

echo "systemd-tests: $fails failed"
[ "$fails" = 0 ]
