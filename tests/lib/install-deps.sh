#!/usr/bin/env bash
# install-deps.sh - install with apt-get the Debian packages berth's build
# and tests need, only those missing.
#
#   tests/lib/install-deps.sh            # everything tests/run-all.sh uses
#   tests/lib/install-deps.sh --minimal  # just enough to build berth and run
#                                        # the default example (run-default.sh)
#   tests/lib/install-deps.sh --list     # print the package list, install nothing
#
# Idempotent and fast when all is there: one dpkg-query, no network. When
# something is missing it runs `apt-get update` once, then one
# `apt-get install --no-install-recommends` of the missing packages.
# Targets Debian 12 (bookworm): clang 14, libclang-rt-14-dev for libFuzzer.
# Podman/containerd are not installed here: tests/clients installs what it
# needs itself (its tests/clients/install-deps.sh is run when present).
#
# Never: upgrade or remove a package, or touch anything but apt/dpkg.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

# Build berth and make a busybox rootfs.
minimal=(
	meson ninja-build pkg-config gcc libc6-dev
	libseccomp-dev libcap-dev libjansson-dev libsystemd-dev
	busybox-static
)
# Everything else tests/run-all.sh runs: unit tests (check), the format
# check, sanitizer and fuzzer builds (clang + compiler-rt, llvm-symbolizer
# for readable stacks), bats suites and the tools they call, comparisons
# with runc/crun, rootless helpers, and the qemu cgroup v2 VM.
full=(
	"${minimal[@]}"
	git check clang clang-format libclang-rt-14-dev llvm-14
	bats python3 python3-jsonschema
	runc crun uidmap iproute2 util-linux procps strace
	qemu-system-x86 xz-utils
	libprotobuf-c-dev protobuf-c-compiler criu iptables tar
	mmdebstrap e2fsprogs
)

mode=full
case "${1:-}" in
'') ;;
--minimal) mode=minimal ;;
--list) mode=list ;;
-h | --help)
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "usage: $0 [--minimal|--list]" >&2
	exit 2
	;;
esac

if [ "$mode" = minimal ]; then
	wanted=("${minimal[@]}")
else
	wanted=("${full[@]}")
fi
if [ "$mode" = list ]; then
	printf '%s\n' "${wanted[@]}"
	exit 0
fi

# A package counts as present only when fully installed ("ii"); a
# half-installed or unpacked one is handed to apt-get to finish.
missing=()
while read -r pkg status; do
	[ "$status" = ii ] || missing+=("$pkg")
done < <(for p in "${wanted[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	printf '%s %s\n' "$p" "${s// /}"
done)

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#wanted[@]} packages present"
else
	if [ "$(id -u)" -ne 0 ]; then
		echo "install-deps: missing packages: ${missing[*]}" >&2
		echo "install-deps: run as root (sudo) to install them" >&2
		exit 1
	fi
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Wait for a dpkg lock held by another apt run instead of failing.
	apt_opts=(-q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
	apt-get "${apt_opts[@]}" update
	apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"
fi

# tests/clients (podman, containerd) brings its own installer, if any.
clients_deps=$repo/tests/clients/install-deps.sh
if [ "$mode" = full ] && [ -x "$clients_deps" ]; then
	echo "install-deps: running tests/clients/install-deps.sh"
	"$clients_deps"
fi
