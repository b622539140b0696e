#!/usr/bin/env bash
# first-use-dirs.sh - host directories that tools make the first time they
# run and never remove, put back as a stage found them.
#
#   tests/lib/first-use-dirs.sh note FILE     # which of them are absent now
#   tests/lib/first-use-dirs.sh restore FILE  # remove the ones absent at
#                                             # `note`, if they hold nothing else
#
# /run/netns   iproute2's `ip netns add` and podman's first run make it, a
#              shared bind mount of itself; unmounted and removed when no
#              named network namespace is left in it.
# /run/berth   berth's default state root: the first container with a
#              seccomp profile that an engine runs without --root leaves
#              the compiled-filter cache (.cache) there; removed with it
#              when no container directory is left in it.
# run-all.sh wraps every stage in note/restore, so a fresh host ends the run
# as it began (the host stage checks) and a host that had them keeps them.
# Anything else left inside is a leak for the host check to report: never
# removed here.
set -euo pipefail

dirs="/run/netns /run/berth"

restore_netns() {
	local d=/run/netns
	[ -z "$(ls -A "$d" 2>/dev/null)" ] || return 0
	while mountpoint -q "$d"; do
		umount "$d" 2>/dev/null || break
	done
	rmdir "$d" 2>/dev/null || true
}

restore_berth() {
	local d=/run/berth
	[ -d "$d/.cache" ] && rm -rf --one-file-system "$d/.cache"
	rmdir "$d" 2>/dev/null || true
}

case "${1:-}" in
note)
	[ $# -eq 2 ] || { echo "usage: $0 note FILE" >&2; exit 2; }
	: >"$2"
	for d in $dirs; do
		[ -e "$d" ] || echo "$d" >>"$2"
	done
	;;
restore)
	[ $# -eq 2 ] || { echo "usage: $0 restore FILE" >&2; exit 2; }
	[ -f "$2" ] || exit 0
	while read -r d; do
		[ -e "$d" ] || continue
		case "$d" in
		/run/netns) restore_netns ;;
		/run/berth) restore_berth ;;
		esac
	done <"$2"
	;;
*)
	echo "usage: $0 note FILE | restore FILE" >&2
	exit 2
	;;
esac
