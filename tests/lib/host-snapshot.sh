#!/usr/bin/env bash
# host-snapshot.sh - record what a test run must leave as it found it, and
# check later that it did.
#
#   tests/lib/host-snapshot.sh take FILE      # write a snapshot to FILE
#   tests/lib/host-snapshot.sh compare FILE   # take a new one, compare with
#                                             # FILE; exit 1 listing changes
#   tests/lib/host-snapshot.sh print          # a snapshot on stdout
#
# A snapshot is one "section: entry" line per thing:
#   mounts:   mount point and fs type of every mount (/proc/self/mountinfo)
#   cgroupfs: every cgroup and cgroup2 mount with its mount and superblock
#             options (nsdelegate, memory_recursiveprot: flags of the host)
#   devices:  type, major:minor, owner and mode of /dev/null, zero, full,
#             random, urandom, tty, ptmx
#   cgroups:  the directories of every cgroup hierarchy down to depth 2, and
#             down to depth 2 below the cgroup this script runs in
#   state:    entries of /run/berth (and $XDG_RUNTIME_DIR/berth)
#   tmp:      berth-* directories in ${TMPDIR:-/tmp} (test and VM work dirs)
#   shm:      entries of /dev/shm (engines' lock files: podman's libpod_lock)
#   repo:     untracked, not ignored files of this checkout (a tool that
#             writes into its working directory, as conmon's "oom" file did)
#   users, groups, subuid, subgid: /etc/passwd and /etc/group names,
#             /etc/subuid and /etc/subgid lines
#   links:    network interfaces of the host's network namespace
#   berth-procs:  processes running berth (argv[0] "berth*", or "berth" in
#             the command name, as in "memfd:berth" of a sealed copy)
#   container-procs: processes in another pid namespace than this script's
# For the two process sections only new processes count (one that ended is
# fine; zombies are left out), and for tmp only new dirs; everywhere else an
# entry added or removed is a change. The first 25 changes of each kind per
# section are listed (BERTH_SNAPSHOT_MAX_SHOWN).
#
# Cgroups that are siblings of this script's own cgroup (when it is at least
# two levels deep) are left out: a supervisor that runs each command in a
# cgroup of its own makes and removes those while the tests run.
# BERTH_SNAPSHOT_IGNORE, an extended regex matched against each line, leaves
# out more; by default, mounts that appear on their own (binfmt_misc
# automount) or that podman's storage keeps by design.
#
# Never: change anything on the host; it only reads.
set -euo pipefail

default_ignore='^mounts: (/proc/sys/fs/binfmt_misc|/var/lib/containers/storage/overlay) '
ignore=${BERTH_SNAPSHOT_IGNORE:-$default_ignore}

# Mount points are escaped by the kernel (\040 for a space), one per line.
snap_mounts() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break; print "mounts: " $5 " " $(i + 1) }' \
		/proc/self/mountinfo
}

snap_devices() {
	local d
	for d in /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/ptmx; do
		if [ -e "$d" ] || [ -L "$d" ]; then
			stat -c 'devices: %n %F %t:%T %U:%G %a' "$d"
		else
			echo "devices: $d missing"
		fi
	done
}

# For each cgroup mount: "<mount point> <controllers or empty for v2>".
cgroup_mounts() {
	awk '{
		for (i = 7; i <= NF; i++) if ($i == "-") break
		fstype = $(i + 1); opts = $(i + 3)
		if ($4 != "/" || (fstype != "cgroup" && fstype != "cgroup2")) next
		if (seen[$5]++) next
		print $5, (fstype == "cgroup2" ? "-" : opts)
	}' /proc/self/mountinfo
}

# The host's cgroup mounts with their mount and superblock options: a
# container that may mount cgroup2 in the host's cgroup namespace (systemd as
# PID 1 does) changes flags such as nsdelegate for the whole host.
snap_cgroupfs() {
	awk '{
		for (i = 7; i <= NF; i++) if ($i == "-") break
		fstype = $(i + 1)
		if ($4 != "/" || (fstype != "cgroup" && fstype != "cgroup2")) next
		print "cgroupfs: " $5, fstype, $6, $(i + 3)
	}' /proc/self/mountinfo
}

# Our own cgroup (relative, no leading slash) in the hierarchy mounted with
# super options $1 ("-" for cgroup2).
own_cgroup() {
	local opts=$1 id ctrls path c ok
	while IFS=: read -r id ctrls path; do
		if [ "$opts" = - ]; then
			[ "$id" = 0 ] || continue
		else
			if [ "$id" = 0 ] || [ -z "$ctrls" ]; then
				continue
			fi
			ok=1
			IFS=, read -ra cs <<<"$ctrls"
			for c in "${cs[@]}"; do
				case ",$opts," in *",$c,"*) ;; *) ok=0 ;; esac
			done
			[ "$ok" = 1 ] || continue
		fi
		path=${path#/}
		echo "$path"
		return 0
	done </proc/self/cgroup
	echo ""
}

snap_cgroups() {
	local mnt opts own parent rel
	while read -r mnt opts; do
		own=$(own_cgroup "$opts")
		parent=
		case "$own" in */*) parent=${own%/*} ;; esac
		{
			(cd "$mnt" && find . -mindepth 1 -maxdepth 2 -type d 2>/dev/null) || true
			if [ -n "$own" ] && [ -d "$mnt/$own" ]; then
				(cd "$mnt" && find "./$own" -mindepth 1 -maxdepth 2 -type d 2>/dev/null) || true
			fi
		} | sed 's|^\./||' | sort -u | while IFS= read -r rel; do
			if [ -n "$parent" ]; then
				case "$rel" in
				"$own"/*) ;;
				"$parent"/*) continue ;;
				esac
			fi
			echo "cgroups: $mnt/$rel"
		done
	done < <(cgroup_mounts)
}

snap_state() {
	local d
	for d in /run/berth ${XDG_RUNTIME_DIR:+"$XDG_RUNTIME_DIR/berth"}; do
		[ -d "$d" ] || continue
		find "$d" -mindepth 1 -maxdepth 1 -printf "state: $d/%f\n" 2>/dev/null || true
	done
}

snap_tmp() {
	find "${TMPDIR:-/tmp}" -mindepth 1 -maxdepth 1 -type d -name 'berth-*' -printf 'tmp: %p\n' \
		2>/dev/null || true
}

snap_shm() {
	find /dev/shm -mindepth 1 -maxdepth 1 -printf 'shm: %p\n' 2>/dev/null || true
}

snap_repo() {
	local top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	[ -d "$top/.git" ] || return 0
	git -C "$top" status --porcelain --untracked-files=all 2>/dev/null |
		sed -n 's/^?? /repo: /p' || true
}

snap_users() {
	[ -r /etc/passwd ] && cut -d: -f1 /etc/passwd | sed 's/^/users: /'
	[ -r /etc/group ] && cut -d: -f1 /etc/group | sed 's/^/groups: /'
	[ -r /etc/subuid ] && sed 's/^/subuid: /' /etc/subuid
	[ -r /etc/subgid ] && sed 's/^/subgid: /' /etc/subgid
	return 0
}

snap_links() {
	local l
	for l in /sys/class/net/*; do
		[ -e "$l" ] && echo "links: ${l##*/}"
	done
	return 0
}

# Processes: "<pid>:<start time> <cmdline>" in $line; the start time tells
# a reused pid from the process that had it before. Builtins only: a busy
# host has thousands of processes, and forks per process would take minutes.
proc_line() {
	local p=$1 stat rest
	local -a fields args
	line=
	read -r stat 2>/dev/null <"$p/stat" || return 1
	rest=${stat##*) }
	read -ra fields <<<"$rest"
	mapfile -d '' args 2>/dev/null <"$p/cmdline" || return 1
	line="${p#/proc/}:${fields[19]} ${args[*]}"
}

snap_procs() {
	local p comm argv0 line stat rest
	local -a args
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$BASHPID" ] && continue
		read -r comm 2>/dev/null <"$p/comm" || continue
		# A zombie holds nothing: only its parent can (and will) reap it.
		read -r stat 2>/dev/null <"$p/stat" || continue
		rest=${stat##*) }
		[ "${rest%% *}" = Z ] && continue
		args=()
		mapfile -d '' -n 1 args 2>/dev/null <"$p/cmdline" || continue
		argv0=${args[0]:-}
		if [[ $comm == *berth* || ${argv0##*/} == berth* ]]; then
			proc_line "$p" && echo "berth-procs: $line"
		fi
		# -ef compares the namespace inodes, without a readlink fork.
		if [ -e "$p/ns/pid" ] && ! [ "$p/ns/pid" -ef /proc/self/ns/pid ]; then
			proc_line "$p" && echo "container-procs: $line"
		fi
	done
	return 0
}

snapshot() {
	{
		snap_mounts
		snap_cgroupfs
		snap_devices
		snap_cgroups
		snap_state
		snap_tmp
		snap_shm
		snap_repo
		snap_users
		snap_links
		snap_procs
	} | { grep -Ev -- "$ignore" || true; } | LC_ALL=C sort
}

# show SIGN LINE...: the first $max_shown lines, then how many more.
max_shown=${BERTH_SNAPSHOT_MAX_SHOWN:-25}
show() {
	local sign=$1
	shift
	printf "  $sign %s\n" "${@:1:$max_shown}"
	[ $# -le "$max_shown" ] || echo "  $sign ... and $(($# - max_shown)) more like these"
}

# Compare snapshot files $1 (before) and $2 (after); print changes.
compare() {
	local before=$1 after=$2 changes=0 sec added removed
	local -a lines_added lines_removed
	for sec in mounts cgroupfs devices cgroups state tmp users groups subuid subgid links \
		berth-procs container-procs; do
		added=$(LC_ALL=C comm -13 <(grep "^$sec: " "$before" || true) \
			<(grep "^$sec: " "$after" || true))
		removed=$(LC_ALL=C comm -23 <(grep "^$sec: " "$before" || true) \
			<(grep "^$sec: " "$after" || true))
		case "$sec" in *-procs | tmp) removed= ;; esac
		mapfile -t lines_added <<<"$added"
		mapfile -t lines_removed <<<"$removed"
		if [ -n "$added" ]; then
			changes=$((changes + ${#lines_added[@]}))
			show '+' "${lines_added[@]}"
		fi
		if [ -n "$removed" ]; then
			changes=$((changes + ${#lines_removed[@]}))
			show '-' "${lines_removed[@]}"
		fi
	done
	if [ "$changes" -ne 0 ]; then
		echo "host-snapshot: $changes change(s) since the snapshot (+ new, - gone)"
		return 1
	fi
	echo "host-snapshot: host unchanged ($(wc -l <"$after") entries compared)"
}

case "${1:-}" in
take)
	[ $# -eq 2 ] || { echo "usage: $0 take FILE" >&2; exit 2; }
	snapshot >"$2"
	echo "host-snapshot: $(wc -l <"$2") entries recorded in $2"
	;;
compare)
	[ $# -eq 2 ] || { echo "usage: $0 compare FILE" >&2; exit 2; }
	[ -s "$2" ] || { echo "host-snapshot: no snapshot at $2" >&2; exit 2; }
	after=$(mktemp "${TMPDIR:-/tmp}/host-snapshot.XXXXXX")
	trap 'rm -f "$after"' EXIT
	snapshot >"$after"
	compare "$2" "$after"
	;;
print)
	snapshot
	;;
*)
	echo "usage: $0 take FILE | compare FILE | print" >&2
	exit 2
	;;
esac
