# tests/clients/setup.sh: environment for the client scenarios (sourced by run.sh).
#
# Installs the engines from Debian when missing, builds the busybox images
# offline, writes podman's and containerd's private configuration under
# $CT_TMP and starts/stops a private containerd. Everything it creates lives
# under $CT_TMP or is recorded so ct_cleanup can remove it; it never touches
# the host's own podman/containerd state (/var/lib/containers,
# /run/containerd/containerd.sock, /etc/containers are only read).

CT_DEBS="podman containerd conmon python3-grpcio python3-protobuf protobuf-compiler"

# The python the CRI client runs under: Debian's, which has python3-grpcio
# (a pyenv python earlier in PATH would not see it).
CT_PY=/usr/bin/python3

ct_install_deps() {
	local missing="" cmd
	for cmd in podman containerd ctr conmon containerd-shim-runc-v2 protoc; do
		command -v "$cmd" >/dev/null 2>&1 || missing=yes
	done
	"$CT_PY" -c 'import grpc, google.protobuf' 2>/dev/null || missing=yes
	[ -z "$missing" ] && return 0
	echo "installing $CT_DEBS from Debian"
	apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $CT_DEBS >/dev/null
}

# podman wrapper: every podman call of the scenarios goes through this, so
# none of them can reach the host's podman state.
pm() {
	podman --root "$CT_TMP/podman/root" --runroot "$CT_TMP/podman/runroot" \
		--tmpdir "$CT_TMP/podman/tmp" --runtime "$CT_RUNTIME_CALLED" \
		--cgroup-manager cgroupfs --events-backend file \
		--network-config-dir "$CT_TMP/podman/networks" "$@"
}

# ctr wrapper bound to the private containerd.
cctr() {
	ctr --address "$CT_TMP/containerd/containerd.sock" --namespace "berth-clients-$CT_RUN_ID" "$@"
}

# Directories podman makes outside its --root/--runroot whatever the
# configuration says (the image blob-info cache, netavark's run dir): noted
# when absent before the run, removed at the end (only our cache file, then
# rmdir, which keeps anything someone else put there).
CT_HOST_DIRS="/var/lib/containers/cache /var/lib/containers /run/containers/networks /run/containers"

ct_host_dirs_snapshot() {
	local d
	: >"$CT_TMP/hostdirs.absent"
	for d in $CT_HOST_DIRS; do
		[ -e "$d" ] || echo "$d" >>"$CT_TMP/hostdirs.absent"
	done
}

ct_host_dirs_clean() {
	local d
	[ -f "$CT_TMP/hostdirs.absent" ] || return 0
	# Deepest first (the list is ordered that way); rmdir keeps non-empty ones.
	while read -r d; do
		# The cache podman's image code keeps for root, absent before us.
		[ "$d" = /var/lib/containers/cache ] && rm -f "$d/blob-info-cache-v1.boltdb"
		rmdir "$d" 2>/dev/null
	done <"$CT_TMP/hostdirs.absent"
}

ct_podman_config() {
	local d="$CT_TMP/podman"
	mkdir -p "$d/root" "$d/runroot" "$d/tmp" "$d/networks" "$d/conf"
	cat >"$d/conf/containers.conf" <<EOF
[containers]
# Root here lacks CAP_SYS_RESOURCE and the hard nofile limit is 20000:
# podman's defaults (nofile 1048576, nproc at the max) cannot be set.
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "none"
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
# File locks under tmpdir: the default shm locks would leave
# /dev/shm/libpod_lock behind (the host check lists /dev/shm).
lock_type = "file"
runtime_supports_json = ["crun", "runc", "kata", "runsc", "youki", "krun", "berth"]
infra_image = "localhost/pause:test"
conmon_path = ["/usr/bin/conmon"]
[network]
network_config_dir = "$d/networks"
EOF
	cat >"$d/conf/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$d/root"
runroot = "$d/runroot"
EOF
	cat >"$d/conf/registries.conf" <<EOF
unqualified-search-registries = []
EOF
	export CONTAINERS_CONF="$d/conf/containers.conf"
	export CONTAINERS_STORAGE_CONF="$d/conf/storage.conf"
	export CONTAINERS_REGISTRIES_CONF="$d/conf/registries.conf"
}

# A busybox rootfs from the host's busybox-static, with a user 1000.
ct_make_rootfs() {
	local r="$CT_TMP/image/rootfs" bb applet
	bb=$(command -v busybox) || {
		echo "busybox (busybox-static) is required" >&2
		return 1
	}
	mkdir -p "$r"/{bin,etc,tmp,proc,sys,dev,root,home/user,var,run}
	cp "$bb" "$r/bin/busybox"
	for applet in $("$r/bin/busybox" --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
	done
	chmod 1777 "$r/tmp"
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\n' >"$r/etc/group"
	chown 1000:1000 "$r/home/user"
	tar -C "$r" -cf "$CT_TMP/image/rootfs.tar" .
}

# Images for both engines: podman imports the tarball; containerd gets OCI
# archives saved by podman. The pause image serves as the CRI sandbox image
# and podman's pod infra image.
ct_make_images() {
	mkdir -p "$CT_TMP/image"
	ct_make_rootfs || return 1
	pm import --change 'CMD ["/bin/sh"]' "$CT_TMP/image/rootfs.tar" localhost/bbox:test >/dev/null 2>&1 &&
		pm import --change 'CMD ["/bin/sleep", "2147483647"]' "$CT_TMP/image/rootfs.tar" localhost/pause:test >/dev/null 2>&1 &&
		pm save --format oci-archive -o "$CT_TMP/image/bbox-oci.tar" localhost/bbox:test >/dev/null 2>&1 &&
		pm save --format oci-archive -o "$CT_TMP/image/pause-oci.tar" localhost/pause:test >/dev/null 2>&1
}

ct_containerd_start() {
	local d="$CT_TMP/containerd"
	mkdir -p "$d/root" "$d/state" "$d/cni/bin" "$d/cni/conf" "$CT_TMP/ctr-runtime-root"
	cat >"$d/config.toml" <<EOF
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = [
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing",
  "io.containerd.internal.v1.opt",
]
[grpc]
  address = "$d/containerd.sock"
[ttrpc]
  address = "$d/containerd.sock.ttrpc"
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/pause:test"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # Root here lacks CAP_SYS_RESOURCE: it cannot lower oom_score_adj, so
  # the sandbox's -998 must be clamped to containerd's own value.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "test"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.test]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.test.options]
        BinaryName = "$CT_RUNTIME_CALLED"
        Root = "$CT_TMP/ctr-runtime-root"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$d/cni/bin"
    conf_dir = "$d/cni/conf"
EOF
	# /run/containerd/s holds the shims' sockets (a fixed path in 1.6):
	# remember whether it existed so cleanup removes only what we made.
	[ -e /run/containerd ] || CT_MADE_RUN_CONTAINERD=1
	containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
	CT_CONTAINERD_PID=$!
	echo "$CT_CONTAINERD_PID" >"$d/containerd.pid"
	local i
	for ((i = 0; i < 100; i++)); do
		if [ -S "$d/containerd.sock" ] && cctr version >/dev/null 2>&1; then
			break
		fi
		sleep 0.1
	done
	cctr version >/dev/null 2>&1 || {
		echo "containerd did not come up; log:" >&2
		tail -20 "$d/containerd.log" >&2
		return 1
	}
	cctr images import --snapshotter native --base-name localhost/bbox \
		"$CT_TMP/image/bbox-oci.tar" >/dev/null &&
		ctr --address "$d/containerd.sock" --namespace k8s.io images import \
			--snapshotter native --base-name localhost/bbox "$CT_TMP/image/bbox-oci.tar" >/dev/null &&
		ctr --address "$d/containerd.sock" --namespace k8s.io images import \
			--snapshotter native --base-name localhost/pause "$CT_TMP/image/pause-oci.tar" >/dev/null
}

ct_containerd_stop() {
	[ -n "${CT_CONTAINERD_PID:-}" ] || return 0
	local ns c
	# Tasks and containers first, so the shims exit and their sockets go.
	for ns in "berth-clients-$CT_RUN_ID" k8s.io; do
		for c in $(ctr --address "$CT_TMP/containerd/containerd.sock" -n "$ns" tasks ls -q 2>/dev/null); do
			ctr --address "$CT_TMP/containerd/containerd.sock" -n "$ns" tasks kill -a -s SIGKILL "$c" >/dev/null 2>&1
			ctr --address "$CT_TMP/containerd/containerd.sock" -n "$ns" tasks rm -f "$c" >/dev/null 2>&1
		done
		for c in $(ctr --address "$CT_TMP/containerd/containerd.sock" -n "$ns" containers ls -q 2>/dev/null); do
			ctr --address "$CT_TMP/containerd/containerd.sock" -n "$ns" containers rm "$c" >/dev/null 2>&1
		done
	done
	kill "$CT_CONTAINERD_PID" 2>/dev/null
	local i
	for ((i = 0; i < 50; i++)); do
		kill -0 "$CT_CONTAINERD_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$CT_CONTAINERD_PID" 2>/dev/null
	wait "$CT_CONTAINERD_PID" 2>/dev/null
	CT_CONTAINERD_PID=
}

ct_podman_clean() {
	[ -d "$CT_TMP/podman/root" ] || return 0
	pm pod rm -a -f -t 0 >/dev/null 2>&1
	pm rm -a -f -t 0 >/dev/null 2>&1
}

# Cgroups the engines made: podman's libpod_parent (also as plain directories
# in the /sys/fs/cgroup tmpfs for controllers with no v1 mount here) and the
# parents named after this run. Only directories absent before the run go.
ct_cgroups_snapshot() {
	find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d 2>/dev/null | sort >"$CT_TMP/cgroups.before"
}

ct_cgroups_clean() {
	[ -f "$CT_TMP/cgroups.before" ] || return 0
	local d
	find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d 2>/dev/null | sort >"$CT_TMP/cgroups.after"
	comm -13 "$CT_TMP/cgroups.before" "$CT_TMP/cgroups.after" |
		grep -E "/(libpod_parent|berth-clients-${CT_RUN_ID}[^/]*)$" |
		while read -r d; do
			if mountpoint -q "$(dirname "$d")" || [ "$(dirname "$d")" = /sys/fs/cgroup ]; then
				# rmdir deepest first; in the tmpfs these are plain dirs.
				find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
			fi
		done
	# Plain directories podman made directly under /sys/fs/cgroup (the
	# tmpfs) for controllers that have no mount here.
	comm -13 "$CT_TMP/cgroups.before" "$CT_TMP/cgroups.after" |
		awk -F/ 'NF == 4' | while read -r d; do
		mountpoint -q "$d" || rm -rf --one-file-system "$d"
	done
}

ct_cleanup() {
	set +e
	ct_podman_clean
	ct_containerd_stop
	# Mounts left under the temp dir (podman shm, containerd rootfs).
	if [ -n "${CT_TMP:-}" ] && [ -d "$CT_TMP" ]; then
		awk -v t="$CT_TMP" '$5 ~ "^"t { print $5 }' /proc/self/mountinfo | sort -r |
			while read -r m; do umount -l "$m" 2>/dev/null; done
		ct_cgroups_clean
		ct_host_dirs_clean
		if [ -n "${CT_KEEP:-}" ]; then
			echo "kept $CT_TMP"
		else
			rm -rf --one-file-system "$CT_TMP"
		fi
	fi
	if [ -n "${CT_MADE_RUN_CONTAINERD:-}" ]; then
		rm -rf --one-file-system /run/containerd
	fi
}
