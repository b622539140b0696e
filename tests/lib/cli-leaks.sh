#!/bin/bash
# tests/lib/cli-leaks.sh BERTH - run an ASan build of berth through the
# command line's early exits (usage errors after flags were collected) and
# fail on any sanitizer report: every return path frees what it parsed.
# Touches nothing: each line fails before a container is looked up.
set -u
berth=$1
root=$(mktemp -d /tmp/berth-cli-leaks.XXXXXX)
trap 'rm -rf "$root"' EXIT
fail=0
while read -r line; do
	[ -n "$line" ] || continue
	# shellcheck disable=SC2086 # each line is an argv
	out=$("$berth" --root "$root" $line 2>&1)
	if grep -q "Sanitizer" <<<"$out"; then
		printf 'cli-leaks: FAIL: berth %s\n%s\n' "$line" "$out"
		fail=1
	fi
done <<'LINES'
exec -e A=1 -g 5 -c CAP_KILL --preserve-fds nan cli-leaks true
exec -e A=1 -g 5 -c CAP_KILL --no-such-flag cli-leaks true
exec -e A=1 -g 5 -c CAP_KILL
update --memory 1x cli-leaks
update --memory 12m --no-such-flag cli-leaks
checkpoint --image-path /nonexistent/img --parent-path /abs cli-leaks
checkpoint --manage-cgroups-mode bogus cli-leaks
restore -d --image-path /nonexistent/img --work-path /nonexistent/work cli-leaks
restore --empty-ns ipc cli-leaks
LINES
[ "$fail" = 0 ] && echo "cli-leaks: no sanitizer report on the command line's early exits"
exit "$fail"
