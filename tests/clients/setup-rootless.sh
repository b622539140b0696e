# tests/clients/setup-rootless.sh: a throwaway user for rootless podman.
#
# Sourced by run.sh and by the podman-rootless scenario shells. ct_rl_setup
# creates a user with its own subuid/subgid range (one that overlaps no
# other entry in /etc/subuid or /etc/subgid), a home, XDG_RUNTIME_DIR,
# podman storage, runroot and configuration, all under $CT_TMP/rl, and
# imports the busybox rootfs the rootful setup built. ct_rl_cleanup (called
# from run.sh's EXIT trap, so also on failure or Ctrl-C) kills that user's
# processes by PID, removes the user, its group and its subuid/subgid lines.
# It never touches the host's podman state or any other user's.

CT_RL_DIR=$CT_TMP/rl
# <= 32 characters (useradd's limit): 10 + a PID.
CT_RL_USER=berthpodrl$CT_RUN_ID
CT_RL_COUNT=65536
CT_RL_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ct_rl_load: the user's ids, written by ct_rl_setup (scenario shells read
# them here). Fails when the user was not set up.
ct_rl_load() {
	[ -f "$CT_RL_DIR/env" ] || return 1
	. "$CT_RL_DIR/env"
}

# The runtime as the user calls it: a wrapper of its own whose trace log
# sits in a directory the user can write (the rootful one is root's).
ct_rl_runtime() {
	if [ "$CT_RUNTIME_CALLED" = "$CT_RUNTIME" ]; then
		echo "$CT_RUNTIME"
	else
		echo "$CT_RL_DIR/bin/$CT_RUNTIME_NAME"
	fi
}

# pmr_argv ARGS...: the full command line of a podman call as the user, one
# word per line-free array element in PMR_ARGV. A clean environment: only
# what rootless podman needs, all pointing under $CT_RL_DIR.
pmr_argv() {
	PMR_ARGV=(runuser -u "$CT_RL_USER" -- env -i
		PATH="$CT_RL_PATH" HOME="$CT_RL_DIR/home" USER="$CT_RL_USER" LOGNAME="$CT_RL_USER"
		XDG_RUNTIME_DIR="$CT_RL_DIR/run" XDG_CONFIG_HOME="$CT_RL_DIR/home/.config"
		XDG_DATA_HOME="$CT_RL_DIR/home/.local/share"
		CONTAINERS_CONF="$CT_RL_DIR/conf/containers.conf"
		CONTAINERS_STORAGE_CONF="$CT_RL_DIR/conf/storage.conf"
		CONTAINERS_REGISTRIES_CONF="$CT_RL_DIR/conf/registries.conf"
		podman --root "$CT_RL_DIR/storage" --runroot "$CT_RL_DIR/runroot"
		--tmpdir "$CT_RL_DIR/tmp" --runtime "$(ct_rl_runtime)"
		--cgroup-manager cgroupfs --events-backend file --storage-driver vfs "$@")
}

# pmr ARGS...: podman as the throwaway user. The working directory is the
# user's home (root's may be unreadable to it).
pmr() {
	local PMR_ARGV
	pmr_argv "$@"
	(cd "$CT_RL_DIR/home" && "${PMR_ARGV[@]}")
}

# pmr_cmdline ARGS...: the same call as one quoted string (for script(1)).
pmr_cmdline() {
	local PMR_ARGV
	pmr_argv "$@"
	printf 'cd %q && ' "$CT_RL_DIR/home"
	printf '%q ' "${PMR_ARGV[@]}"
}

# ct_rl_range: a subordinate id base that overlaps no range in /etc/subuid
# or /etc/subgid: above the highest end there and at least 2000000 (away
# from useradd's automatic ranges), aligned to 65536.
ct_rl_range() {
	local top
	top=$(cat /etc/subuid /etc/subgid 2>/dev/null |
		awk -F: 'NF >= 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { e = $2 + $3; if (e > m) m = e } END { printf "%d\n", m }')
	[ "$top" -lt 2000000 ] && top=2000000
	echo $(((top + 65535) / 65536 * 65536))
}

# ct_rl_overlaps BASE: true when another user's subuid or subgid range
# overlaps [BASE, BASE + CT_RL_COUNT).
ct_rl_overlaps() {
	cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: -v u="$CT_RL_USER" -v lo="$1" -v n="$CT_RL_COUNT" '
		$1 != u && NF >= 3 && $2 + $3 > lo && $2 < lo + n { bad = 1 } END { exit !bad }'
}

# ct_rl_setup: returns 0 when ready, 2 to skip (reason printed), 1 on error.
ct_rl_setup() {
	local cmd base uid gid d=$CT_RL_DIR out i
	for cmd in useradd usermod userdel runuser newuidmap newgidmap podman script; do
		command -v "$cmd" >/dev/null 2>&1 || {
			echo "SKIP  podman-rootless: $cmd is not installed"
			return 2
		}
	done
	if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" = 0 ]; then
		echo "SKIP  podman-rootless: user namespaces are disabled (user.max_user_namespaces = 0)"
		return 2
	fi
	if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 0 ]; then
		echo "SKIP  podman-rootless: kernel.unprivileged_userns_clone = 0"
		return 2
	fi
	if id "$CT_RL_USER" >/dev/null 2>&1; then
		echo "user $CT_RL_USER exists already" >&2
		return 1
	fi
	base=$(ct_rl_range)
	mkdir -p "$d"
	chmod 755 "$d"
	# No automatic subordinate range: the one we pick is added explicitly
	# (usermod locks /etc/subuid, so concurrent useradds see it).
	useradd -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 -U -m -d "$d/home" -s /bin/sh "$CT_RL_USER" || return 1
	# From here on the cleanup has something to remove.
	echo "$CT_RL_USER" >"$d/user"
	# Another run may have picked the same range meanwhile: the cleanup
	# kills every process in ours, so it must be ours alone.
	for ((i = 0; ; i++)); do
		usermod --add-subuids "$base-$((base + CT_RL_COUNT - 1))" \
			--add-subgids "$base-$((base + CT_RL_COUNT - 1))" "$CT_RL_USER" || return 1
		ct_rl_overlaps "$base" || break
		usermod --del-subuids "$base-$((base + CT_RL_COUNT - 1))" \
			--del-subgids "$base-$((base + CT_RL_COUNT - 1))" "$CT_RL_USER" || return 1
		[ "$i" -lt 5 ] || {
			echo "no free subordinate id range for $CT_RL_USER" >&2
			return 1
		}
		sleep 0.$((RANDOM % 10))
		base=$(ct_rl_range)
	done
	uid=$(id -u "$CT_RL_USER")
	gid=$(id -g "$CT_RL_USER")
	cat >"$d/env" <<EOF
CT_RL_UID=$uid
CT_RL_GID=$gid
CT_RL_SUB=$base
EOF
	# Owned by the user: everything podman writes. Root's: config, wrapper.
	mkdir -p "$d/run" "$d/storage" "$d/runroot" "$d/tmp" "$d/trace" "$d/conf" "$d/bin"
	chown "$uid:$gid" "$d/run" "$d/storage" "$d/runroot" "$d/tmp" "$d/trace"
	chmod 700 "$d/run"
	if [ "$CT_RUNTIME_CALLED" != "$CT_RUNTIME" ]; then
		sed -e "s|@REAL@|$CT_RUNTIME|" -e "s|@LOG@|$d/trace/trace.log|" \
			"$CT_DIR/runtime-wrapper.sh" >"$d/bin/$CT_RUNTIME_NAME"
		chmod 755 "$d/bin/$CT_RUNTIME_NAME"
	fi
	# Mirrors ct_podman_config; rootless differences: the user's nproc
	# count is per uid on the host, and no infra image is needed.
	cat >"$d/conf/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024"]
netns = "none"
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/tmp/events.log"
# File locks under tmpdir: the default shm locks would leave
# /dev/shm/libpod_rootless_lock_<uid> behind.
lock_type = "file"
runtime_supports_json = ["crun", "runc", "kata", "runsc", "youki", "krun", "berth"]
conmon_path = ["/usr/bin/conmon"]
[network]
network_config_dir = "$d/tmp/networks"
EOF
	cat >"$d/conf/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$d/storage"
runroot = "$d/runroot"
EOF
	cat >"$d/conf/registries.conf" <<EOF
unqualified-search-registries = []
EOF
	chmod 644 "$d/conf/"*
	# The rootfs tarball the rootful setup made must be readable by the user.
	if ! runuser -u "$CT_RL_USER" -- test -r "$CT_TMP/image/rootfs.tar"; then
		echo "$CT_TMP/image/rootfs.tar is not readable by $CT_RL_USER" >&2
		return 1
	fi
	CT_RL_UID=$uid
	if ! out=$(pmr import --change 'CMD ["/bin/sh"]' "$CT_TMP/image/rootfs.tar" localhost/bbox:test 2>&1); then
		echo "rootless podman import failed: $out" >&2
		return 1
	fi
	return 0
}

# ct_rl_pids: PIDs whose real or effective uid is the user's or in its
# subordinate range (the user's podman, conmon, containers).
ct_rl_pids() {
	ct_rl_load || return 0
	ps -eo pid=,ruid=,euid= | awk -v u="$CT_RL_UID" -v lo="$CT_RL_SUB" -v n="$CT_RL_COUNT" -v self="$$" '
		function ours(x) { return x == u || (x >= lo && x < lo + n) }
		$1 != self && (ours($2) || ours($3)) { print $1 }'
}

# ct_rl_podman_clean: remove the user's containers through podman.
ct_rl_podman_clean() {
	ct_rl_load || return 0
	timeout -k 5 60 bash -c '. "$CT_DIR/setup-rootless.sh"; pmr rm -a -f -t 0' >/dev/null 2>&1
}

ct_rl_cleanup() {
	local i pids p
	[ -f "$CT_RL_DIR/user" ] || return 0
	ct_rl_podman_clean
	# Only the processes of the throwaway user and its range, by PID:
	# podman's rootless pause process holds the user namespace.
	for ((i = 0; i < 50; i++)); do
		pids=$(ct_rl_pids)
		[ -z "$pids" ] && break
		for p in $pids; do
			kill -KILL "$p" 2>/dev/null
		done
		sleep 0.1
	done
	if [ -n "${CT_KEEP:-}" ]; then
		userdel "$CT_RL_USER" >/dev/null 2>&1
	else
		userdel -r "$CT_RL_USER" >/dev/null 2>&1
	fi
	# userdel normally drops the ranges; make sure.
	sed -i "/^$CT_RL_USER:/d" /etc/subuid /etc/subgid
	rm -f "$CT_RL_DIR/user"
	[ -n "${CT_KEEP:-}" ] || rm -rf --one-file-system "$CT_RL_DIR"
}
