# checks.sh - the PASS/FAIL helpers the VM test scripts share, sourced by
# them (run.sh and systemd-run.sh put it next to the script). POSIX sh, as
# busybox runs it.

fails=0
pass() { echo "PASS $1"; }
fail() {
	echo "FAIL $1${2:+: $2}"
	fails=$((fails + 1))
}
# check NAME COMMAND...: PASS when COMMAND succeeds
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$(echo "$*" | head -c 200)"; fi
}
# wait_for TENTHS COMMAND...: until COMMAND succeeds, at most TENTHS/10 s
wait_for() {
	t=$1
	shift
	while [ "$t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}
file_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
