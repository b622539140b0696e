#!/usr/bin/env bash
# run-default.sh - build berth and run the default example container.
#
#   sudo ./run-default.sh
#
# Installs the build dependencies when missing (tests/lib/install-deps.sh
# --minimal), builds berth in build/, makes a bundle in a temp dir from
# spec-examples/default/config.json with a busybox rootfs
# (spec-examples/make-rootfs.sh), runs it with `berth run` and a state root
# of its own, and exits with the container's exit status. The container
# prints "hello from berth" and its Uid and CapEff lines of /proc/self/status.
#
# Never: leave the container, its state or the temp dir behind.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$repo"

if [ "$(id -u)" -ne 0 ]; then
	echo "run-default.sh: needs root: sudo ./run-default.sh" >&2
	echo "run-default.sh: (rootless containers: see \"Rootless quick start\" in README.md)" >&2
	exit 1
fi

tests/lib/install-deps.sh --minimal

if [ -f build/build.ninja ]; then
	ninja -C build >/dev/null || ninja -C build
else
	meson setup build >/dev/null
	ninja -C build >/dev/null
fi
berth=$repo/build/cmd/berth
echo "run-default.sh: built $("$berth" --version | head -n1)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/berth-default.XXXXXX")
id=demo-$$
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	"$berth" --root "$tmp/state" delete --force "$id" >/dev/null 2>&1 || true
	# --one-file-system: never follow a mount that might be left in there.
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/bundle" "$tmp/state"
cp spec-examples/default/config.json "$tmp/bundle/config.json"
spec-examples/make-rootfs.sh "$tmp/bundle/rootfs"

echo "run-default.sh: berth run $id (bundle $tmp/bundle)"
echo "----"
rc=0
(cd "$tmp/bundle" && "$berth" --root "$tmp/state" run "$id") || rc=$?
echo "----"
echo "run-default.sh: container exited with status $rc"
exit "$rc"
