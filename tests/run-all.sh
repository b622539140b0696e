#!/usr/bin/env bash
# run-all.sh - every test berth has, in one command: the CI entry point.
#
#   sudo tests/run-all.sh                         # everything (what CI runs)
#   sudo BERTH_SKIP_STAGES="vm fuzz" tests/run-all.sh   # locally, leave stages out
#   sudo tests/run-all.sh --stage unit            # one stage alone
#   tests/run-all.sh --list                       # the stages, in order
#
# Runs as root from anywhere (the repo is found from this file's place).
# Stages, in order: deps (tests/lib/install-deps.sh), format
# (tests/lib/check-format.sh), build (build/, -Dwerror=true), unit (meson
# test), asan (build-asan/ with ASan+UBSan: unit tests, CLI early exits), fuzz
# (tests/fuzz/run.sh for FUZZ_SECONDS, default 60), crash (build-crash/ with
# test-only crash points, tests/crash/crash-points.bats and
# tests/vm/crash-tests.sh), one stage per
# tests/integration/*.bats and tests/security/*.bats file (bats, with
# BERTH=build/cmd/berth), clients (tests/clients/run.sh, when present), vm
# (tests/vm/run.sh: a pure cgroup v2 kernel under qemu), and host: a snapshot
# of the host (tests/lib/host-snapshot.sh) taken after deps is compared with
# the host at the end, so a test that leaks a mount, a cgroup, a process, a
# state dir, a user or a device change fails the run.
#
# Each stage prints a header and PASS/FAIL with its duration and has a time
# limit; a failing stage doesn't stop the run (one run shows everything).
# The last line is the summary, e.g.
#   berth tests: 16 stages, 16 passed, 0 failed
# and the exit status is non-zero when any stage failed.
#
# BERTH_SKIP_STAGES: stage names (or groups: "integration", "security") to
# leave out, for local runs only; ignored when CI=true, since CI runs everything.
# FUZZ_SECONDS, BERTH_VM_TIMEOUT (default 900) tune the two slow stages.
# BERTH_TEST_BUDGET (seconds, default 4800) bounds the whole run: a stage
# gets at most what is left of it (less a reserve for the host check), and
# stages that find it used up fail as "not run", so a hanging test still
# ends in a summary well inside CI's 90 minutes.
#
# Never: leave anything behind on the host but build dirs in the repo and
# caches the stages document (the VM kernel in /var/cache/berth-vm).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
self=$here/run-all.sh
cd "$repo" || exit 2

# The Debian tools install-deps.sh installs come first in PATH: a python3
# from pyenv (without jsonschema) or a stray meson must not shadow them.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}
umask 022

export BERTH=$repo/build/cmd/berth
BUILD=$repo/build
BUILD_ASAN=$repo/build-asan
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
BERTH_VM_TIMEOUT=${BERTH_VM_TIMEOUT:-900}
BERTH_TEST_BUDGET=${BERTH_TEST_BUDGET:-4800}
export FUZZ_SECONDS BERTH_VM_TIMEOUT

# Sanitizers: any report fails the test. LeakSanitizer needs ptrace of the
# test's own threads; where that is refused, ASAN_LEAKS=0 turns it off.
asan_options() {
	# no abort_on_error or detect_stack_use_after_return: the seccomp tests'
	# filtered children can't mmap or take signals, and ASan hangs there
	echo "detect_leaks=${ASAN_LEAKS:-1}:halt_on_error=1:print_summary=1"
}
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1

say() { printf '%s\n' "$*"; }

# ---------------------------------------------------------------------------
# Stages. Each runs in its own process (run-all.sh --stage NAME) under
# `timeout`, with set -e, so a failure anywhere in it fails the stage.

stage_deps() {
	"$repo/tests/lib/install-deps.sh"
}

stage_format() {
	"$repo/tests/lib/check-format.sh"
}

# meson setup DIR ARGS...: configure a fresh dir, or reconfigure an existing
# one with these options; a dir meson can't reconfigure is wiped and set up.
meson_setup() {
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ] || [ -d "$dir/meson-private" ]; then
		meson setup --reconfigure "$@" "$dir" ||
			meson setup --wipe "$@" "$dir"
	else
		rm -rf --one-file-system "$dir"
		meson setup "$@" "$dir"
	fi
}

stage_build() {
	meson_setup "$BUILD" -Dwerror=true
	ninja -C "$BUILD"
	[ -x "$BERTH" ] || {
		say "build: $BERTH was not built"
		return 1
	}
	"$BERTH" --version
}

# meson test with a check that there are tests at all: without the check
# library meson would build none and pass.
unit_tests_in() {
	local dir=$1 n
	n=$(meson introspect "$dir" --tests |
		python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
	if [ "$n" -eq 0 ]; then
		say "unit: no unit tests defined in $dir (is the check library installed?)"
		return 1
	fi
	say "unit: $n unit test programs"
	meson test -C "$dir" --print-errorlogs --num-processes 2
}

# The layering of docs/ARCHITECTURE.md: includes and the objects' calls.
stage_layers() {
	python3 "$repo/tests/lib/check-layers.py" --build "$BUILD"
}

stage_unit() {
	unit_tests_in "$BUILD"
}

stage_asan() {
	meson_setup "$BUILD_ASAN" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C "$BUILD_ASAN"
	ASAN_OPTIONS=$(asan_options)
	export ASAN_OPTIONS
	say "asan: ASAN_OPTIONS=$ASAN_OPTIONS"
	unit_tests_in "$BUILD_ASAN"
	"$repo/tests/lib/cli-leaks.sh" "$BUILD_ASAN/cmd/berth"
}

# A second build with test-only crash points (-Dcrash_points=true; the
# release build in build/ has none), killed after each step of create,
# start, exec, run and delete by tests/crash/crash-points.bats.
# The same on a pure cgroup v2 host: tests/vm/crash-tests.sh in the VM
# (~1.5 min under tcg).
stage_crash() {
	local rc=0
	meson_setup "$repo/build-crash" -Dwerror=true -Dcrash_points=true
	ninja -C "$repo/build-crash" cmd/berth
	BERTH_CRASH=$repo/build-crash/cmd/berth stage_bats "$repo/tests/crash/crash-points.bats" || rc=$?
	"$repo/tests/vm/run.sh" --berth "$repo/build-crash/cmd/berth" --timeout 420 \
		"$repo/tests/vm/crash-tests.sh" || rc=$?
	return "$rc"
}

# libFuzzer prints a line per new input (thousands a minute): the log keeps
# the rest (setup, periodic pulses, the final stats, any crash report).
stage_fuzz() {
	local rc=0
	"$repo/tests/fuzz/run.sh" 2>&1 |
		{ grep --line-buffered -Ev '^#[0-9]+[[:space:]]+(NEW|REDUCE)[[:space:]]|^".*" # Uses: [0-9]+$' || true; } ||
		rc=$?
	return "$rc"
}

# One bats file. Its TAP output is kept in the run's work dir, where the
# runner counts the results even when the stage was killed by its timeout.
stage_bats() {
	local file=$1 tap rc=0
	if [ -n "${BERTH_RUN_DIR:-}" ]; then
		tap=$BERTH_RUN_DIR/$STAGE.tap
	else
		tap=$(mktemp "${TMPDIR:-/tmp}/run-all-tap.XXXXXX")
		trap "rm -f '$tap'" EXIT # expanded now: tap is local
	fi
	bats --tap --timing --print-output-on-failure "$file" | tee "$tap" || rc=$?
	if [ "$rc" -eq 0 ] && ! grep -Eq '^(not )?ok [0-9]+' "$tap"; then
		say "bats: $file ran no tests"
		return 1
	fi
	[ -n "${BERTH_RUN_DIR:-}" ] || say "bats: $(bats_counts "$tap")"
	return "$rc"
}

# "N passed, N failed, N skipped" from a bats stage's TAP output, and which
# test was running when it was cut off.
bats_counts() {
	local tap=$1 plan ok skipped notok
	[ -f "$tap" ] || return 0
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n1)
	ok=$(grep -Ec '^ok [0-9]+' "$tap")
	skipped=$(grep -Ec '^ok [0-9]+ .*# [s]kip' "$tap")
	notok=$(grep -Ec '^not ok [0-9]+' "$tap")
	printf '%s passed, %s failed, %s skipped' "$((ok - skipped))" "$notok" "$skipped"
	if [ -n "$plan" ] && [ $((ok + notok)) -lt "$plan" ]; then
		printf '; stopped in test %s of %s' "$((ok + notok + 1))" "$plan"
	fi
}

stage_clients() {
	"$repo/tests/clients/run.sh"
}

stage_vm() {
	local rc=0
	"$repo/tests/vm/run.sh" --berth "$BERTH" --timeout "$BERTH_VM_TIMEOUT" || rc=$?
	# Rootless with a delegated subtree: a second boot, so that its user and
	# cgroups start from a clean VM; ~5 s, 240 s at most (the stage limit
	# leaves 300 s beyond the first boot's).
	"$repo/tests/vm/run.sh" --berth "$BERTH" --timeout 240 \
		"$repo/tests/vm/rootless-v2-tests.sh" || rc=$?
	return "$rc"
}

# systemd as PID 1 (Debian 12 image from tests/vm/mkimage.sh, cached in
# /var/cache/berth-vm; ~70 s to build once): the systemd cgroup driver,
# podman (rootful, rootless) and containerd (ctr, CRI) with their systemd
# defaults, a systemd container. runc repeats the quicker parts; podman's (slow under
# tcg) are compared by a manual run: BERTH_VM_COMPARE=all (the default).
stage_vm-systemd() {
	BERTH_VM_COMPARE=${BERTH_VM_COMPARE:-driver ctr cri systemd} \
		"$repo/tests/vm/systemd-run.sh" --berth "$BERTH" --timeout 900
}

# The systemd cgroup driver on systemd hosts with cgroup v1 (legacy) and
# hybrid cgroups (tests/vm/systemd-v1-tests.sh), berth and runc: one boot
# each, ~90 s and ~115 s under tcg on 2 cores.
stage_vm-systemd-v1() {
	local rc=0 mode
	for mode in hybrid v1; do
		BERTH_VM_CGROUP=$mode "$repo/tests/vm/systemd-run.sh" --berth "$BERTH" \
			--timeout 420 "$repo/tests/vm/systemd-v1-tests.sh" || rc=$?
	done
	return "$rc"
}

# Checkpoint/restore with CRIU, berth and runc (tests/vm/criu-tests.sh): a
# boot of its own, since CRIU's first dump changes the VM's cgroup2 mount.
# ~5 min under tcg on 2 cores, ~1 min with kvm.
stage_vm-criu() {
	"$repo/tests/vm/run.sh" --berth "$BERTH" --timeout 600 "$repo/tests/vm/criu-tests.sh"
}

# Checkpoint/restore on systemd hosts with hybrid and v1 cgroups
# (tests/vm/criu-hybrid-tests.sh), cgroupfs and systemd drivers, berth and
# runc: podman-criu's image, one boot each, ~75 s under tcg on 2 cores.
stage_vm-criu-hybrid() {
	local rc=0 mode
	for mode in hybrid v1; do
		BERTH_VM_CGROUP=$mode "$repo/tests/vm/systemd-run.sh" --berth "$BERTH" \
			--timeout 420 "$repo/tests/vm/criu-hybrid-tests.sh" || rc=$?
	done
	return "$rc"
}

# podman's checkpoint/restore (--export/--import) on berth and on runc, in
# the systemd VM with criu added to its image (~4 min; the image, cached
# by package list, takes ~4 min more to build once).
stage_vm-podman-criu() {
	"$repo/tests/vm/systemd-run.sh" --berth "$BERTH" --timeout 900 "$repo/tests/vm/podman-criu-tests.sh"
}

stage_host() {
	"$repo/tests/lib/host-snapshot.sh" compare "$SNAPSHOT"
}

run_stage_body() {
	STAGE=$1
	set -e
	case "$STAGE" in
	integration:* | security:*)
		stage_bats "$repo/tests/${STAGE%%:*}/${STAGE#*:}.bats"
		;;
	*)
		declare -F "stage_$STAGE" >/dev/null || {
			say "no stage $STAGE"
			exit 2
		}
		"stage_$STAGE"
		;;
	esac
}

# ---------------------------------------------------------------------------
# The runner.

# name|time limit (s)|needs the build|what it does
plan() {
	local f
	echo "deps|1800|no|install missing Debian packages (tests/lib/install-deps.sh)"
	echo "format|300|no|clang-format check of cmd/ runtime/ libcontainer/ tests/ (tests/lib/check-format.sh)"
	echo "build|900|no|meson setup build -Dwerror=true && ninja -C build"
	echo "layers|120|yes|cmd -> runtime -> libcontainer, no cycle between folders or files (tests/lib/check-layers.py)"
	echo "unit|900|yes|meson test -C build (check unit tests)"
	echo "asan|1200|no|unit tests and the CLI's early exits built with -Db_sanitize=address,undefined in build-asan"
	echo "crash|1200|yes|SIGKILL after each step of create/start/exec/delete, then delete -f: nothing left (build-crash, tests/crash/, tests/vm/crash-tests.sh)"
	echo "fuzz|$((FUZZ_SECONDS + 600))|no|config parser fuzzer for ${FUZZ_SECONDS}s (tests/fuzz/run.sh)"
	for f in "$repo"/tests/integration/*.bats "$repo"/tests/security/*.bats; do
		[ -f "$f" ] || continue
		f=${f#"$repo"/tests/}
		echo "${f%%/*}:$(basename "$f" .bats)|600|yes|bats tests/$f"
	done
	echo "clients|1800|yes|podman and containerd with berth (tests/clients/run.sh)"
	echo "vm|$((BERTH_VM_TIMEOUT + 300))|yes|cgroup v2 tests in a qemu VM (tests/vm/run.sh)"
	echo "vm-systemd|1200|yes|systemd host tests in a qemu VM (tests/vm/systemd-run.sh)"
	echo "vm-systemd-v1|900|yes|the systemd cgroup driver on cgroup v1 and hybrid systemd hosts in a qemu VM (tests/vm/systemd-v1-tests.sh)"
	echo "vm-criu|660|yes|checkpoint/restore with CRIU in a qemu VM, berth and runc (tests/vm/criu-tests.sh)"
	echo "vm-criu-hybrid|900|yes|checkpoint/restore on cgroup v1 and hybrid systemd hosts in a qemu VM, berth and runc (tests/vm/criu-hybrid-tests.sh)"
	echo "vm-podman-criu|1500|yes|podman checkpoint/restore --export/--import on berth and runc (tests/vm/podman-criu-tests.sh)"
	echo "host|300|no|host unchanged since the start (tests/lib/host-snapshot.sh)"
}

# Why a stage can't run here ("" when it can).
absent_reason() {
	case "$1" in
	clients) [ -x "$repo/tests/clients/run.sh" ] || echo "tests/clients/run.sh not present" ;;
	vm) [ -x "$repo/tests/vm/run.sh" ] || echo "tests/vm/run.sh not present" ;;
	vm-criu) command -v criu >/dev/null || echo "criu not installed" ;;
	vm-podman-criu)
		[ -x "$(dirname "$BERTH")/../libexec/berth-systemd" ] ||
			echo "no libexec/berth-systemd in the build (libsystemd-dev missing)"
		;;
	fuzz) [ -x "$repo/tests/fuzz/run.sh" ] || echo "tests/fuzz/run.sh not present" ;;
	esac
}

skipped_by_user() {
	local s
	for s in ${BERTH_SKIP_STAGES:-}; do
		[ "$s" = "$1" ] || [ "$s" = "${1%%:*}" ] && return 0
	done
	return 1
}

fmt_secs() {
	local s=$1
	if [ "$s" -ge 60 ]; then
		printf '%dm%02ds' $((s / 60)) $((s % 60))
	else
		printf '%ds' "$s"
	fi
}

main() {
	if [ "$(id -u)" -ne 0 ]; then
		say "run-all: needs root (sudo tests/run-all.sh): containers, cgroups and packages"
		exit 2
	fi
	if [ "${CI:-}" = true ] && [ -n "${BERTH_SKIP_STAGES:-}" ]; then
		say "run-all: CI=true: ignoring BERTH_SKIP_STAGES=\"$BERTH_SKIP_STAGES\" (CI runs everything)"
		BERTH_SKIP_STAGES=
	fi

	# Global: the EXIT trap runs after main's locals are gone.
	work=$(mktemp -d "${TMPDIR:-/tmp}/run-all.XXXXXX")
	export BERTH_RUN_DIR=$work SNAPSHOT=$work/host-before.txt
	trap 'rm -rf --one-file-system "$work"' EXIT

	say "berth tests in $repo"
	say "host: $(uname -srm), $(nproc) cpus, cgroup: $(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" \
		"$([ -d /sys/fs/cgroup/unified ] && echo '+ unified (hybrid)')"
	say "commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo none)," \
		"CI=${CI:-}, FUZZ_SECONDS=$FUZZ_SECONDS"

	local -a names results durs notes
	local line name limit needs desc total=0 i=0 n rc t0 dt reason result
	local build_ok=true passed=0 failed=0 skipped=0 t_start=$SECONDS left
	# Kept back for the host check and the summary.
	local reserve=180
	mapfile -t lines < <(plan)
	n=${#lines[@]}
	for line in "${lines[@]}"; do
		IFS='|' read -r name limit needs desc <<<"$line"
		i=$((i + 1))
		say ""
		say "==== [$i/$n] $name: $desc"
		t0=$SECONDS
		reason=$(absent_reason "$name")
		if skipped_by_user "$name"; then
			reason="skipped by BERTH_SKIP_STAGES"
		elif [ -z "$reason" ] && [ "$needs" = yes ] && ! $build_ok; then
			reason="not run: the build failed"
		fi
		left=$((BERTH_TEST_BUDGET - (SECONDS - t_start)))
		[ "$name" = host ] || left=$((left - reserve))
		if [ -z "$reason" ] && [ "$left" -lt "$limit" ]; then
			if [ "$left" -lt 30 ]; then
				reason="not run: the time budget (BERTH_TEST_BUDGET=${BERTH_TEST_BUDGET}s) is used up"
			else
				limit=$left
			fi
		fi
		if [ -n "$reason" ]; then
			case "$reason" in
			"not run"*) result=FAIL ;;
			*) result=SKIP ;;
			esac
		else
			timeout -k 30 "$limit" "$BASH" "$self" --stage "$name" </dev/null 2>&1
			rc=$?
			if [ "$rc" -eq 0 ]; then
				result=PASS
			else
				result=FAIL
				if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
					reason="timed out after $(fmt_secs "$limit")"
				else
					reason="exit status $rc"
				fi
			fi
		fi
		dt=$((SECONDS - t0))
		if [ -f "$work/$name.tap" ]; then
			reason="$(bats_counts "$work/$name.tap")${reason:+; $reason}"
		fi
		case "$result" in
		PASS) passed=$((passed + 1)) ;;
		FAIL) failed=$((failed + 1)) ;;
		SKIP) skipped=$((skipped + 1)) ;;
		esac
		[ "$name" = build ] && [ "$result" = FAIL ] && build_ok=false
		say "---- $name: $result ($(fmt_secs "$dt"))${reason:+ - $reason}"
		names+=("$name")
		results+=("$result")
		durs+=("$dt")
		notes+=("$reason")

		# The host's state before the tests touch it: right after deps,
		# whose package installs may add users or groups legitimately.
		if [ "$name" = deps ]; then
			"$repo/tests/lib/host-snapshot.sh" take "$SNAPSHOT" ||
				say "run-all: host snapshot failed; the host stage will fail"
		fi
	done

	total=$((SECONDS - t_start))
	say ""
	say "==== summary ($(fmt_secs "$total") in all)"
	for i in "${!names[@]}"; do
		printf '  %-28s %-4s %7s  %s\n' "${names[$i]}" "${results[$i]}" \
			"$(fmt_secs "${durs[$i]}")" "${notes[$i]}"
	done
	local summary="berth tests: $n stages, $passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && summary+=", $skipped skipped"
	say "$summary"
	[ "$failed" -eq 0 ]
}

case "${1:-}" in
--stage)
	[ $# -eq 2 ] || {
		say "usage: $0 --stage NAME"
		exit 2
	}
	if [ -z "${SNAPSHOT:-}" ] && [ "$2" = host ]; then
		say "host: the host stage compares with the snapshot taken by a full run"
		exit 2
	fi
	# /run/netns and /run/berth, made by the first `ip netns add`, podman
	# run or seccomp container: removed again when this stage made them.
	first_use=$(mktemp "${TMPDIR:-/tmp}/run-all-first-use.XXXXXX")
	"$repo/tests/lib/first-use-dirs.sh" note "$first_use"
	rc=0
	(run_stage_body "$2") || rc=$?
	"$repo/tests/lib/first-use-dirs.sh" restore "$first_use" || true
	rm -f "$first_use"
	exit "$rc"
	;;
--list)
	plan | cut -d'|' -f1,4 | tr '|' '\t'
	;;
'')
	main
	;;
-h | --help)
	sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	say "usage: $0 [--stage NAME | --list]"
	exit 2
	;;
esac
