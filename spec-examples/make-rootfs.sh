#!/bin/sh
# make-rootfs.sh DIR - make a small busybox root filesystem in DIR for the
# bundles in spec-examples/ (and for tests and benchmarks).
#
# Offline: it uses Debian's statically linked busybox (package
# busybox-static, installed with apt-get when missing). The layout is
# merged-/usr like Debian's: one copy of busybox in /usr/bin, every applet a
# symlink to it there, /bin and /sbin pointing at usr/bin. /etc has passwd
# and group with root, nobody and a user 1000, plus hostname and hosts.
#
# It runs in about a tenth of a second (one `busybox --install`, no loop of
# ln calls) and is used many times by the test suites; busybox is copied,
# never hard-linked, so a container writing to its /usr/bin/busybox can't
# change the host's binary.
set -eu

usage() {
	echo "usage: $0 DIR" >&2
	exit 2
}

[ $# -eq 1 ] || usage
dir=$1

busybox=${BUSYBOX:-/bin/busybox}
is_static() {
	# A dynamically linked busybox would need the host's libc inside.
	[ -x "$1" ] && ! LC_ALL=C ldd "$1" >/dev/null 2>&1
}
if ! is_static "$busybox"; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "$0: $busybox is not a static busybox; install busybox-static" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >/dev/null
	busybox=/bin/busybox
	is_static "$busybox" || { echo "$0: no static busybox after installing busybox-static" >&2; exit 1; }
fi

mkdir -p "$dir"
cd "$dir"

mkdir -p usr/bin etc proc sys dev tmp root var/tmp var/log run home/user mnt opt
chmod 1777 tmp var/tmp
chmod 0700 root
for l in bin sbin; do
	[ -L "$l" ] || { rm -rf "$l"; ln -s usr/bin "$l"; }
done
[ -L usr/sbin ] || { rm -rf usr/sbin; ln -s bin usr/sbin; }

cp --reflink=auto "$busybox" usr/bin/busybox
chmod 0755 usr/bin/busybox
# Symlinks to /usr/bin/busybox, which is this copy once inside the
# container. --install keeps existing names, so reruns are idempotent.
"$busybox" --install -s "$PWD/usr/bin" 2>/dev/null || true
# --install points at the path the running busybox has on the host
# (/bin/busybox or /usr/bin/busybox): both resolve to the copy inside,
# thanks to the /bin -> usr/bin link.
[ -e usr/bin/sh ] || ln -sf busybox usr/bin/sh

cat >etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >etc/group <<'EOF'
root:x:0:
tty:x:5:
user:x:1000:
nogroup:x:65534:
EOF
echo berth >etc/hostname
cat >etc/hosts <<'EOF'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
EOF
: >etc/resolv.conf
chown 1000:1000 home/user 2>/dev/null || true
