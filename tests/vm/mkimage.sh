#!/bin/bash
# mkimage.sh - a Debian 12 root filesystem with systemd as an ext4 image,
# built offline from Debian packages with mmdebstrap and cached by its
# package list, for VMs that need a real distribution (systemd-run.sh).
#
# Usage: tests/vm/mkimage.sh PACKAGE[,PACKAGE...]   -> prints the image path
#
# The image is $cache/debian-<hash>.ext4 where <hash> covers the package
# list and this script, so another list (e.g. one with criu) gets an image
# of its own and an edit here rebuilds. Inside: a fixed machine-id, root
# without password, gettys masked, a volatile journal, the network left
# alone. Built in a temporary directory and renamed into place, under a lock,
# so concurrent callers wait for one build. Needs root, mmdebstrap and the
# apt mirror of /etc/apt/sources.list.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() {
	echo "berth-vm-image: error: $*" >&2
	exit 2
}
say() { echo "berth-vm-image: $*" >&2; }

[ $# = 1 ] && [ -n "$1" ] || die "usage: $0 PACKAGE[,PACKAGE...]"
pkgs=$(echo "$1" | tr ', ' '\n\n' | sed '/^$/d' | LC_ALL=C sort -u | paste -sd, -)
[ "$(id -u)" = 0 ] || die "must run as root"
command -v mmdebstrap >/dev/null || die "mmdebstrap is needed (apt-get install mmdebstrap)"
command -v mke2fs >/dev/null || die "mke2fs is needed (e2fsprogs)"

cache=${BERTH_VM_CACHE:-/var/cache/berth-vm}
key=$( (echo "$pkgs"; cat "$here/mkimage.sh") | sha256sum | cut -c1-16)
img=$cache/debian-$key.ext4
mkdir -p "$cache"
exec 8>"$cache/.image.lock"
flock 8
if [ -s "$img" ]; then
	echo "$img"
	exit 0
fi

work=$(mktemp -d "$cache/.image.XXXXXX")
trap 'rm -rf "$work"' EXIT
say "building a Debian 12 image with $pkgs (mmdebstrap; ~1-3 min)"
start=$(date +%s)
# --customize-hook runs with the tree at $1; what a quiet, fast test boot
# needs: no gettys, no journal on disk, no network waits, a fixed identity.
mmdebstrap --variant=minbase --mode=root --format=directory \
	--include="$pkgs" \
	--customize-hook='echo 0123456789abcdef0123456789abcdef >"$1/etc/machine-id"' \
	--customize-hook='echo berth-vm >"$1/etc/hostname"' \
	--customize-hook='chroot "$1" passwd -d root >/dev/null' \
	--customize-hook='for u in getty@ serial-getty@ console-getty systemd-timesyncd apt-daily apt-daily-upgrade man-db e2scrub_all e2scrub_reap fstrim systemd-networkd-wait-online networking; do ln -sf /dev/null "$1/etc/systemd/system/$u.service"; ln -sf /dev/null "$1/etc/systemd/system/$u.timer"; done' \
	--customize-hook='mkdir -p "$1/etc/systemd/journald.conf.d" && printf "[Journal]\nStorage=volatile\nForwardToConsole=no\n" >"$1/etc/systemd/journald.conf.d/berth-vm.conf"' \
	--customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
	bookworm "$work/root" >&2 || die "mmdebstrap failed"
size_mb=$(($(du -sm "$work/root" | cut -f1) * 13 / 10 + 512))
mke2fs -q -t ext4 -L berth-root -d "$work/root" "$work/image.ext4" "${size_mb}M" >&2 ||
	die "mke2fs -d failed"
mv "$work/image.ext4" "$img"
say "image $img (${size_mb} MiB) built in $(($(date +%s) - start)) s"
echo "$img"
