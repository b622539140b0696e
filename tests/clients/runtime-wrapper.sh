#!/bin/bash
# tests/clients/runtime-wrapper.sh: template (run.sh fills @REAL@ and @LOG@)
# for a wrapper the engines call instead of the runtime. It appends one record
# per call to the trace log (argv, the env vars engines set, the open fds and
# stdin when it is read via `-`), then execs the real runtime in the same
# process, so the engine sees no difference. It never alters a call.
real=@REAL@
log=@LOG@
{
	printf '=== %s pid %s ppid %s (%s)\n' "$(date +%T.%N)" "$$" "$PPID" "$(cat /proc/$PPID/comm 2>/dev/null)"
	printf 'argv:'
	printf ' %q' "$@"
	printf '\n'
	env | grep -E '^(_OCI|TTRPC|GOMAXPROCS|NOTIFY_SOCKET|XDG_RUNTIME_DIR|LISTEN_)' | sed 's/^/env: /'
	for fd in "/proc/$$/fd"/*; do
		n=${fd##*/}
		# 0-2 are stdio; bash keeps its saved stdout at 10+ during this block.
		[ "$n" -gt 2 ] && [ "$n" -lt 10 ] 2>/dev/null || continue
		printf 'fd %s -> %s\n' "$n" "$(readlink "$fd")"
	done
} >>"$log" 2>/dev/null
# Keep each create's config.json: engines delete the bundle on failure.
prev=""
for a in "$@"; do
	case "$prev" in
	--bundle | -b) cp "$a/config.json" "$log.config.$$.json" 2>/dev/null ;;
	esac
	case "$a" in
	--bundle=*) cp "${a#--bundle=}/config.json" "$log.config.$$.json" 2>/dev/null ;;
	esac
	prev=$a
done
for a in "$@"; do
	if [ "$a" = "-" ] || [ "$a" = "--resources=-" ]; then
		tmp=$log.stdin.$$
		cat >"$tmp"
		{ printf 'stdin: '; cat "$tmp"; printf '\n'; } >>"$log"
		exec "$real" "$@" <"$tmp"
	fi
done
exec "$real" "$@"
