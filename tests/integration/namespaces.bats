#!/usr/bin/env bats
# namespaces.bats - each namespace in linux.namespaces is really new (its
# /proc/self/ns link inside differs from the host's), one not listed is the
# host's, one given by path is really joined (a named netns, another
# container's), and what lives in them: hostname, domainname, sysctls, pid 1.

load helpers
load ct_helpers

NS_KINDS="cgroup ipc mnt net pid uts"

setup() {
	require_root
	setup_bundle default
	NETNS=
	SHMID=
}

teardown() {
	teardown_bundle
	if [ -n "${SHMID:-}" ]; then
		ipcrm -m "$SHMID" 2>/dev/null || true
	fi
	if [ -n "$NETNS" ]; then
		ip netns delete "$NETNS" 2>/dev/null || true
	fi
}

# The links of the kinds in $NS_KINDS (plus user and time when the host
# has them), one "kind link" per line, from inside a container.
ns_script='for k in cgroup ipc mnt net pid uts user time; do [ -e /proc/self/ns/$k ] && echo "$k $(readlink /proc/self/ns/$k)"; done; true'

inside_ns() {
	echo "$output" | awk -v k="$1" '$1 == k { print $2 }'
}

@test "every listed namespace is new: pid, network, ipc, uts, mount, cgroup" {
	update_config 'c["linux"]["namespaces"].append({"type": "cgroup"})'
	set_sh "$ns_script"
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	echo "$output"
	local k
	for k in $NS_KINDS; do
		[ -n "$(inside_ns "$k")" ]
		[ "$(inside_ns "$k")" != "$(host_ns "$k")" ] || {
			echo "$k is the host's: $(host_ns "$k")"
			false
		}
	done
	# no user namespace was asked for: the host's
	[ "$(inside_ns user)" = "$(host_ns user)" ]
}

@test "a namespace not listed is the host's (no network, no uts)" {
	update_config 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] not in ("network", "uts")]'
	update_config 'del c["hostname"]'
	set_sh "$ns_script"
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "$(inside_ns net)" = "$(host_ns net)" ]
	[ "$(inside_ns uts)" = "$(host_ns uts)" ]
	[ "$(inside_ns pid)" != "$(host_ns pid)" ]
	[ "$(inside_ns mnt)" != "$(host_ns mnt)" ]
}

@test "pid namespace: the workload is pid 1 and sees only its own processes" {
	set_sh 'echo "me=$$"; ls -d /proc/[0-9]* | wc -l'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "me=1" ]
	# sh and ls (and maybe wc): nothing of the host's hundreds
	[ "${lines[1]}" -le 3 ]
}

@test "network namespace: only a loopback, down" {
	set_sh 'ls /sys/class/net; cat /sys/class/net/lo/flags'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = lo ]
	[ $((${lines[1]} & 1)) -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a named network namespace is joined by path" {
	command -v ip >/dev/null || skip "no ip(8) on this host"
	NETNS=berth-test-$$
	ip netns add "$NETNS"
	# a mark to know it inside: its loopback is up (a new netns' is down)
	ip -n "$NETNS" link set lo up
	local want
	want="net:[$(stat -L -c %i "/var/run/netns/$NETNS")]"
	update_config "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network'] + [{'type': 'network', 'path': '/var/run/netns/$NETNS'}]"
	set_sh 'readlink /proc/self/ns/net; cat /sys/class/net/lo/flags'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	echo "$output"
	[ "${lines[0]}" = "$want" ]
	[ "${lines[0]}" != "$(host_ns net)" ]
	# IFF_UP, set from outside in that netns
	[ $((${lines[1]} & 1)) -eq 1 ]
}

@test "a second container joins the first one's network and uts namespaces by /proc path" {
	local a pid
	a=$(ct_id a)
	update_config 'c["hostname"] = "first"'
	set_args sleep 1000
	detached run -d "$a"
	pid=$(state_field "$a" pid)

	update_config "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] not in ('network', 'uts')] + [{'type': 'network', 'path': '/proc/$pid/ns/net'}, {'type': 'uts', 'path': '/proc/$pid/ns/uts'}]"
	# a joined uts namespace keeps its hostname: none may be set
	update_config 'del c["hostname"]'
	set_sh 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts; hostname; readlink /proc/self/ns/pid'
	run berth run "$(ct_id b)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink "/proc/$pid/ns/net")" ]
	[ "${lines[1]}" = "$(readlink "/proc/$pid/ns/uts")" ]
	[ "${lines[2]}" = first ]
	# not joined: its own pid namespace
	[ "${lines[3]}" != "$(readlink "/proc/$pid/ns/pid")" ]
}

@test "joining a namespace path that does not exist fails and leaves nothing" {
	local id
	id=$(ct_id)
	update_config "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network'] + [{'type': 'network', 'path': '/var/run/netns/berth-no-such-$$'}]"
	set_args true
	run berth run "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"berth-no-such-$$"* ]]
	assert_no_leftovers "$id"
}

@test "hostname and domainname are set in the new uts namespace, not on the host" {
	local host_name host_domain
	host_name=$(hostname)
	host_domain=$(cat /proc/sys/kernel/domainname)
	update_config 'c["hostname"] = "berth-host"; c["domainname"] = "berth.example"'
	set_sh 'hostname; cat /proc/sys/kernel/hostname; cat /proc/sys/kernel/domainname'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = berth-host ]
	[ "${lines[1]}" = berth-host ]
	[ "${lines[2]}" = berth.example ]
	[ "$(hostname)" = "$host_name" ]
	[ "$(cat /proc/sys/kernel/domainname)" = "$host_domain" ]
}

@test "hostname without a new uts namespace is refused" {
	local id
	id=$(ct_id)
	update_config 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "uts"]'
	update_config 'c["hostname"] = "nope"'
	set_args true
	local before
	before=$(hostname)
	run berth run "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"hostname"* ]]
	[ "$(hostname)" = "$before" ]
	assert_no_leftovers "$id"
}

@test "sysctls are written in the container's namespaces, read back inside, host untouched" {
	local host_fwd host_shm
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_shm=$(cat /proc/sys/kernel/shm_rmid_forced)
	local want_fwd=$((1 - host_fwd)) want_shm=$((1 - host_shm))
	update_config "c['linux']['sysctl'] = {'net.ipv4.ip_forward': '$want_fwd', 'kernel.shm_rmid_forced': '$want_shm'}"
	set_sh 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$want_fwd" ]
	[ "${lines[1]}" = "$want_shm" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
	[ "$(cat /proc/sys/kernel/shm_rmid_forced)" = "$host_shm" ]
}

@test "a sysctl of a namespace the container does not own is refused" {
	local id
	id=$(ct_id)
	# no network namespace: net.* would be the host's
	update_config 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]'
	local before
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	# the host's own value: harmless should berth wrongly write it
	update_config "c['linux']['sysctl'] = {'net.ipv4.ip_forward': '$before'}"
	set_args true
	run berth run "$id"
	[ "$status" -ne 0 ]
	[[ "$output" == *"net.ipv4.ip_forward"* ]]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$before" ]
	assert_no_leftovers "$id"
}

@test "ipc namespace: a host SysV shm segment is not seen inside" {
	command -v ipcmk >/dev/null || skip "no ipcmk (util-linux) on this host"
	SHMID=$(ipcmk -M 4096 | awk '{ print $NF }')
	[ -n "$SHMID" ]
	awk -v id="$SHMID" '$2 == id { f = 1 } END { exit !f }' /proc/sysvipc/shm
	set_sh 'cat /proc/sysvipc/shm | wc -l'
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	# the header line only
	[ "$output" -eq 1 ]
}

@test "user namespace with mappings: root inside is the mapped uid outside" {
	grep -q . /proc/self/uid_map || skip "no user namespaces"
	update_config 'c["linux"]["namespaces"].append({"type": "user"})'
	update_config 'c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	update_config 'c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	# sysfs and the cgroup mount need the host's user namespace
	update_config 'c["mounts"] = [m for m in c["mounts"] if m["destination"] not in ("/sys", "/sys/fs/cgroup")]'
	chown -R 100000:100000 "$ROOTFS"
	# mktemp's 0700 would keep the mapped root out of its own rootfs
	chmod 0755 "$BERTH_TEST_DIR" "$BUNDLE"
	local id
	id=$(ct_id)
	set_sh 'readlink /proc/self/ns/user; cat /proc/self/uid_map; id -u; sleep 1000'
	detached run -d "$id"
	local pid
	pid=$(state_field "$id" pid)
	[ "$(readlink "/proc/$pid/ns/user")" != "$(host_ns user)" ]
	# seen from the host, the workload runs as uid 100000
	[ "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = 100000 ]
	[ "$(tr -s ' ' <"/proc/$pid/uid_map")" = " 0 100000 65536" ]
}

@test "time namespace with offsets: uptime inside is shifted" {
	[ -e /proc/self/ns/time ] || skip "kernel has no time namespaces"
	update_config 'c["linux"]["namespaces"].append({"type": "time"})'
	update_config 'c["linux"]["timeOffsets"] = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 86400, "nanosecs": 0}}'
	set_sh 'readlink /proc/self/ns/time; cut -d. -f1 /proc/uptime'
	local host_up
	host_up=$(cut -d. -f1 /proc/uptime)
	run berth run "$(ct_id)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(host_ns time)" ]
	# a day ahead (give or take the seconds the test took)
	[ "${lines[1]}" -ge $((host_up + 86400)) ]
	[ "${lines[1]}" -le $((host_up + 86400 + 30)) ]
}
