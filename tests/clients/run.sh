#!/bin/bash
# tests/clients/run.sh: real container engines drive a runtime, end to end.
#
# podman (through conmon), containerd's runc shim (ctr) and containerd's CRI
# plugin (a small gRPC client) each run the scenarios in podman.sh, ctr.sh and
# cri.py with the runtime under test, and every scenario checks the effect
# inside the container or on the host, not only an exit code. Rootless
# podman runs podman-rootless.sh as a throwaway user (setup-rootless.sh).
#
# Usage: tests/clients/run.sh [--runtime PATH] [--only REGEX] [--keep] [--no-trace]
#   --runtime PATH  runtime binary (default: $BERTH, else build/cmd/berth;
#                   /usr/sbin/runc proves the scenarios fair)
#   --only REGEX    run only scenarios whose name (e.g. podman/run_rm) matches
#   --keep          keep the temp dir (logs, traces) for inspection
#   --no-trace      call the runtime directly instead of through the wrapper
#                   that records each call's argv and env (trace.log)
#
# Everything (podman root/runroot, containerd root/state/socket, images) lives
# in one temp dir that a trap removes, also on failure or Ctrl-C. Exits 0 only
# when every scenario passed. Must run as root (rootful podman, containerd).

set -u
CT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CT_DIR/../.." && pwd)

runtime=""
only=""
CT_KEEP=""
trace=1
while [ $# -gt 0 ]; do
	case "$1" in
	--runtime) runtime=$2; shift 2 ;;
	--runtime=*) runtime=${1#*=}; shift ;;
	--only) only=$2; shift 2 ;;
	--only=*) only=${1#*=}; shift ;;
	--keep) CT_KEEP=1; shift ;;
	--no-trace) trace=""; shift ;;
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown argument: $1" >&2; exit 2 ;;
	esac
done

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: tests/clients needs root (rootful podman and containerd)"
	exit 0
fi

# Default: $BERTH, else the repo's build/ (what tests/run-all.sh builds).
if [ -z "$runtime" ]; then
	runtime=${BERTH:-$REPO/build/cmd/berth}
fi
if [ -z "$runtime" ] || [ ! -x "$runtime" ]; then
	echo "no runtime binary: build berth or pass --runtime PATH" >&2
	exit 2
fi
runtime=$(readlink -f "$runtime")

. "$CT_DIR/lib.sh"
. "$CT_DIR/setup.sh"

CT_RUN_ID=$$
CT_TMP=$(mktemp -d /tmp/berth-clients.XXXXXX)
chmod 755 "$CT_TMP"
# conmon writes an "oom" file into its working directory when a container
# is OOM-killed (podman/memory_oom): keep that inside the temp dir.
mkdir -p "$CT_TMP/cwd"
cd "$CT_TMP/cwd" || exit 1
CT_RUNTIME=$runtime
CT_RUNTIME_NAME=$(basename "$runtime")
# Without --root, runc-compatible runtimes keep state in /run/<name>.
CT_RUNTIME_DEFAULT_ROOT=/run/$CT_RUNTIME_NAME
CT_RUNTIME_CALLED=$runtime
if [ -n "$trace" ]; then
	# The wrapper has the runtime's basename: podman decides JSON support
	# (runtime_supports_json) and the shim nothing else from it.
	mkdir -p "$CT_TMP/bin"
	sed -e "s|@REAL@|$runtime|" -e "s|@LOG@|$CT_TMP/trace.log|" \
		"$CT_DIR/runtime-wrapper.sh" >"$CT_TMP/bin/$CT_RUNTIME_NAME"
	chmod 755 "$CT_TMP/bin/$CT_RUNTIME_NAME"
	CT_RUNTIME_CALLED=$CT_TMP/bin/$CT_RUNTIME_NAME
fi
export CT_DIR CT_TMP CT_RUNTIME CT_RUNTIME_NAME CT_RUNTIME_DEFAULT_ROOT CT_RUNTIME_CALLED CT_RUN_ID CT_PY
# Needs CT_TMP and CT_RUN_ID (the throwaway user's name and directories).
. "$CT_DIR/setup-rootless.sh"

trap 'ct_rl_cleanup; ct_cleanup' EXIT
trap 'exit 130' INT TERM

echo "clients: runtime $CT_RUNTIME (called as $CT_RUNTIME_CALLED), temp $CT_TMP"
t0=$SECONDS
ct_cgroups_snapshot
ct_host_dirs_snapshot
ct_install_deps || { echo "FAIL: could not install $CT_DEBS"; exit 1; }
ct_podman_config
ct_make_images || { echo "FAIL: could not build the busybox images"; exit 1; }
mkdir -p "$CT_TMP/logs"

passed=0
failed=0
failed_names=()

# run_scenario NAME TIMEOUT CMD...: one scenario in its own process, its
# output in logs/NAME.log, shown when it fails.
run_scenario() {
	local name=$1 secs=$2 rc=0 start=$SECONDS log
	shift 2
	if [ -n "$only" ] && ! [[ "$name" =~ $only ]]; then
		return 0
	fi
	log="$CT_TMP/logs/${name//\//_}.log"
	timeout -k 5 "$secs" "$@" >"$log" 2>&1 </dev/null || rc=$?
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		printf 'PASS  %-28s %3ss\n' "$name" $((SECONDS - start))
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		[ "$rc" = 124 ] && echo "TIMEOUT after ${secs}s" >>"$log"
		printf 'FAIL  %-28s %3ss\n' "$name" $((SECONDS - start))
		sed 's/^/      | /' "$log" | tail -25
	fi
}

# Scenario functions are listed in each file's CT_SCENARIOS variable.
# Each runs in a fresh bash (timeout needs a command, and a scenario's
# failure must not end the runner): `bash -c "$SC_BOOT" _ FILE NAME`.
# The ERR trap names a command that failed outside the expect_* helpers.
SC_BOOT='. "$CT_DIR/lib.sh"; . "$CT_DIR/setup.sh"; . "$CT_DIR/$1"; set -eE
trap '"'"'echo "FAIL-REASON: status $? from: $BASH_COMMAND" >&2'"'"' ERR; "sc_$2"'

. "$CT_DIR/podman.sh"
for s in $PODMAN_SCENARIOS; do
	run_scenario "podman/$s" 120 bash -c "$SC_BOOT" _ podman.sh "$s"
done
ct_podman_clean
run_scenario "podman/no_leftovers" 30 bash -c "$SC_BOOT" _ lib.sh no_leftovers

# Rootless podman as a throwaway user (set up only when a scenario is wanted).
. "$CT_DIR/podman-rootless.sh"
rl_wanted=""
for s in $PODMAN_RL_SCENARIOS no_leftovers; do
	if [ -z "$only" ] || [[ "podman-rootless/$s" =~ $only ]]; then
		rl_wanted=1
	fi
done
if [ -n "$rl_wanted" ]; then
	rl_rc=0
	ct_rl_setup || rl_rc=$?
	if [ "$rl_rc" = 0 ]; then
		for s in $PODMAN_RL_SCENARIOS; do
			run_scenario "podman-rootless/$s" 120 bash -c "$SC_BOOT" _ podman-rootless.sh "rl_$s"
		done
		ct_rl_podman_clean
		run_scenario "podman-rootless/no_leftovers" 30 bash -c "$SC_BOOT" _ podman-rootless.sh rl_no_leftovers
	elif [ "$rl_rc" != 2 ]; then
		failed=$((failed + 1))
		failed_names+=("podman-rootless-setup")
		echo "FAIL  podman-rootless-setup (rootless scenarios not run)"
	fi
	ct_rl_cleanup
fi

if [ -z "$only" ] || [[ "ctr/ cri/" =~ $only ]] || [[ "$only" =~ ctr|cri ]]; then
	if ct_containerd_start; then
		. "$CT_DIR/ctr.sh"
		for s in $CTR_SCENARIOS; do
			run_scenario "ctr/$s" 120 bash -c "$SC_BOOT" _ ctr.sh "$s"
		done
		run_scenario "cri/lifecycle" 180 "$CT_PY" "$CT_DIR/cri.py" \
			--address "$CT_TMP/containerd/containerd.sock" --tmp "$CT_TMP/cri" \
			--runtime-root "$CT_TMP/ctr-runtime-root" --cgroup-parent "/berth-clients-$CT_RUN_ID-cri"
		run_scenario "containerd/no_leftovers" 30 bash -c "$SC_BOOT" _ lib.sh no_leftovers
	else
		failed=$((failed + 1))
		failed_names+=("containerd-start")
		echo "FAIL  containerd-start (ctr and cri scenarios not run)"
	fi
fi

echo
echo "clients with $CT_RUNTIME_NAME: $((SECONDS - t0))s"
[ "$failed" -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
