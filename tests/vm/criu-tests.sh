#!/bin/sh
# criu-tests.sh - checkpoint and restore with CRIU, berth and runc side by
# side: runs INSIDE the test VM (tests/vm/run.sh), whose 6.1 kernel CRIU
# 3.17 supports. For each runtime: a counter checkpointed and restored
# continues from where it was (with and without --leave-running, and under
# a new ID), its memory and pids limits hold after restore, a TCP
# connection from outside into the container survives --tcp-established,
# a pre-dump followed by a dump with --parent-path restores, and bad input
# (no image dir, a created container, a restore onto an existing ID) fails
# clearly and leaves nothing behind.
#
# Deliberate differences from runc, checked as such: berth dumps and
# restores a network namespace it made (runc 1.1.5 always passes
# --empty-ns network); berth's restore puts the tree into the restored
# container's own cgroup (CRIU's cgroup root), runc's leaves it where the
# images say.
#
# CRIU 3.17 remounts cgroup2 without nsdelegate at its first dump, so this
# script runs in a VM boot of its own (tests/run-all.sh stage vm-criu).
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
# Must never: leave a container, cgroup or mount behind.
#
# berth-vm-binaries: criu runc ip tar iptables iptables-restore iptables-save
# berth-vm-binaries: ip6tables-restore ip6tables-save iptables-legacy-save ip6tables-legacy-save
# berth-vm-binaries: @build/tests/helpers/recvtty
# berth-vm-files: /usr/lib/x86_64-linux-gnu/xtables
# berth-vm-modules: nf_tables nft_compat xt_mark nf_conntrack_netlink
# berth-vm-modules: unix_diag inet_diag tcp_diag udp_diag raw_diag af_packet_diag netlink_diag

. "${0%/*}/checks.sh"

if ! criu check >/tmp/criu-check.log 2>&1; then
	cat /tmp/criu-check.log
	echo "SKIP all: criu check fails on this kernel"
	exit 1
fi

W=/tmp/criu
mkdir -p "$W"
# The counter writes "<token> <n>": a token drawn at its start, so that a
# restarted process (new token) can't pass for a restored one.
COUNTER='t=$RANDOM$RANDOM; i=0; while :; do echo "$t $i" > /out/count; i=$((i+1)); usleep 100000; done'
NS_NOHOSTNET='[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]'

# bundle DIR CGROUPS_PATH NAMESPACES ARGS...: a bundle with DIR/out bound at /out
bundle() {
	dir=$1 cg=$2 ns=$3
	shift 3
	mkdir -p "$dir/out"
	mkbundle "$dir" -c "$cg" -n "$ns" -r '{"memory":{"limit":67108864},"pids":{"limit":20}}' -- "$@" ||
		fail "mkbundle $dir"
	sed -i "s|\"mounts\": \\[|\"mounts\": [ {\"destination\": \"/out\", \"type\": \"bind\", \"source\": \"$dir/out\", \"options\": [\"rbind\", \"rw\"]},|" \
		"$dir/config.json"
}

# The counter rewrites its file (truncate, then write): a read can find it
# empty, so read again until it holds "<token> <n>".
line() {
	_ln=20
	while [ "$_ln" -gt 0 ]; do
		_l=$(cat "$1/out/count" 2>/dev/null)
		[ -n "$_l" ] && break
		usleep 20000
		_ln=$((_ln - 1))
	done
	echo "$_l"
}
count() { set -- $(line "$1") -1 -1; echo "$2"; }
token() { set -- $(line "$1") -1; echo "$1"; }
count_gt() { [ "$(count "$1")" -gt "$2" ]; }
pid_of() { "$RT" --root "$ROOT" state "$1" 2>/dev/null | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p'; }
status_of() { "$RT" --root "$ROOT" state "$1" 2>/dev/null | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'; }
is_gone() { ! "$RT" --root "$ROOT" state "$1" >/dev/null 2>&1 && [ ! -e "$ROOT/$1" ]; }
rt() { "$RT" --root "$ROOT" "$@"; }
# centiseconds since boot, for the TIME lines (busybox date has no %N)
now_cs() { sed 's/ .*//; s/\.//' /proc/uptime; }
is_running() { [ "$(status_of "$1")" = running ]; }
show_log() { # the end of CRIU's log when a step failed
	[ -f "$1" ] && grep -E 'Error|Warn' "$1" | tail -n 5
	true
}

scenario_counter() { # with and without --leave-running, new ID
	B=$W/$RT_NAME-counter
	CG=/criu-$RT_NAME-counter
	bundle "$B" "$CG" "$(cat /usr/share/berth-vm/default.namespaces)" sh -c "$COUNTER"
	rt run -d --bundle "$B" c1 </dev/null >/dev/null 2>&1 || fail "$RT_NAME counter run"
	wait_for 100 count_gt "$B" 9
	t0=$(now_cs)
	rt checkpoint --image-path "$W/$RT_NAME-img1" c1 2>"$W/err" || {
		fail "$RT_NAME checkpoint" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-img1/dump.log"
	}
	t_ck=$(($(now_cs) - t0))
	v1=$(count "$B") t1=$(token "$B")
	check "$RT_NAME checkpoint without --leave-running: the container is gone" is_gone c1
	check "$RT_NAME checkpoint: its cgroup is gone" test ! -d "/sys/fs/cgroup$CG"
	check "$RT_NAME checkpoint: descriptors.json written" test -s "$W/$RT_NAME-img1/descriptors.json"
	usleep 500000
	check "$RT_NAME checkpoint: the counter stopped at $v1" test "$(count "$B")" = "$v1"
	t0=$(now_cs)
	rt restore -d --image-path "$W/$RT_NAME-img1" --bundle "$B" c1 </dev/null >/dev/null 2>"$W/err" || {
		fail "$RT_NAME restore" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-img1/restore.log"
	}
	echo "TIME $RT_NAME checkpoint ${t_ck}0 ms, restore -d $(($(now_cs) - t0))0 ms (tcg VM)"
	check "$RT_NAME restore: running" test "$(status_of c1)" = running
	sleep 1
	v2=$(count "$B")
	# Restarted, it would count from 0 again: it went on from v1.
	check "$RT_NAME restore: the same process went on from $v1 (now $v2)" \
		sh -c "[ $v2 -gt $v1 ] && [ $(token "$B") = $t1 ]"
	pid=$(pid_of c1)
	cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup" 2>/dev/null)
	check "$RT_NAME restore: memory limit in force ($cg)" test "$(cat "/sys/fs/cgroup$cg/memory.max" 2>/dev/null)" = 67108864
	check "$RT_NAME restore: pids limit in force ($cg)" test "$(cat "/sys/fs/cgroup$cg/pids.max" 2>/dev/null)" = 20
	check "$RT_NAME restore: the init is in that cgroup" grep -qx "$pid" "/sys/fs/cgroup$cg/cgroup.procs"

	# --leave-running: the container goes on; its image restores under a new ID.
	rt checkpoint --leave-running --image-path "$W/$RT_NAME-img2" c1 2>"$W/err" ||
		fail "$RT_NAME checkpoint --leave-running" "$(cat "$W/err")"
	v3=$(count "$B")
	check "$RT_NAME --leave-running: still running" test "$(status_of c1)" = running
	sleep 2
	v4=$(count "$B")
	check "$RT_NAME --leave-running: the counter goes on ($v3 -> $v4)" test "$v4" -gt "$v3"
	rt delete -f c1 >/dev/null 2>&1
	rt restore -d --image-path "$W/$RT_NAME-img2" --bundle "$B" c2 </dev/null >/dev/null 2>"$W/err" || {
		fail "$RT_NAME restore under a new ID" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-img2/restore.log"
	}
	check "$RT_NAME restore under a new ID: c2 running" test "$(status_of c2)" = running
	check "$RT_NAME restore under a new ID: c2 in list" sh -c "$RT --root $ROOT list -q | grep -qx c2"
	sleep 1
	v5=$(count "$B")
	check "$RT_NAME restore under a new ID: the same process counts on from $v3 (now $v5)" \
		sh -c "[ $v5 -gt $v3 ] && [ $(token "$B") = $t1 ]"
	rt delete -f c2 >/dev/null 2>&1
	if [ "$RT_NAME" = berth ]; then
		# berth only (runc leaves the tree in the cgroup the images name): a
		# bundle with another cgroupsPath gets the tree in that cgroup.
		mkdir -p "$B-moved"
		ln -sfn "$B/rootfs" "$B-moved/rootfs"
		sed "s|\"cgroupsPath\": \"$CG\"|\"cgroupsPath\": \"$CG-moved\"|" "$B/config.json" >"$B-moved/config.json"
		rt restore -d --image-path "$W/$RT_NAME-img2" --bundle "$B-moved" c3 </dev/null >/dev/null 2>"$W/err" ||
			fail "$RT_NAME restore with another cgroupsPath" "$(cat "$W/err")"
		pid=$(pid_of c3)
		check "$RT_NAME restore with another cgroupsPath: the tree is in $CG-moved" \
			grep -qx "0::$CG-moved" "/proc/$pid/cgroup"
		check "$RT_NAME restore with another cgroupsPath: its limit holds there" \
			test "$(cat "/sys/fs/cgroup$CG-moved/memory.max" 2>/dev/null)" = 67108864
		rt delete -f c3 >/dev/null 2>&1
		check "$RT_NAME restore with another cgroupsPath: delete removes it" test ! -d "/sys/fs/cgroup$CG-moved"
	fi
	check "$RT_NAME counter: nothing left" sh -c "[ ! -d /sys/fs/cgroup$CG ] && [ -z \"\$($RT --root $ROOT list -q)\" ]"
}

scenario_tcp() { # a client outside, the server in the container (host network)
	B=$W/$RT_NAME-tcp
	bundle "$B" "/criu-$RT_NAME-tcp" "$NS_NOHOSTNET" nc -ll -p 5001 -e cat
	rt run -d --bundle "$B" t1 </dev/null >/dev/null 2>&1 || fail "$RT_NAME tcp run"
	usleep 500000
	(while :; do
		echo ping
		usleep 200000
	done) | nc 127.0.0.1 5001 >"$W/$RT_NAME-tcp.out" &
	client=$!
	wait_for 50 test -s "$W/$RT_NAME-tcp.out"
	if rt checkpoint --image-path "$W/$RT_NAME-tcp-no" t1 2>"$W/err"; then
		fail "$RT_NAME tcp: checkpoint without --tcp-established refused"
	else
		pass "$RT_NAME tcp: checkpoint without --tcp-established refused ($(head -n 1 "$W/err"))"
	fi
	check "$RT_NAME tcp: after the refused dump the container still runs" test "$(status_of t1)" = running
	rt checkpoint --tcp-established --image-path "$W/$RT_NAME-tcp" t1 2>"$W/err" || {
		fail "$RT_NAME tcp: checkpoint --tcp-established" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-tcp/dump.log"
	}
	n1=$(wc -l <"$W/$RT_NAME-tcp.out")
	rt restore -d --tcp-established --image-path "$W/$RT_NAME-tcp" --bundle "$B" t1 </dev/null >/dev/null 2>"$W/err" || {
		fail "$RT_NAME tcp: restore --tcp-established" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-tcp/restore.log"
	}
	sleep 2
	n2=$(wc -l <"$W/$RT_NAME-tcp.out")
	check "$RT_NAME tcp: the connection survived (echoes $n1 -> $n2)" test "$n2" -gt "$n1"
	check "$RT_NAME tcp: the client is still connected" kill -0 "$client"
	kill "$client" 2>/dev/null
	rt delete -f t1 >/dev/null 2>&1
}

scenario_predump() {
	B=$W/$RT_NAME-pre
	bundle "$B" "/criu-$RT_NAME-pre" "$(cat /usr/share/berth-vm/default.namespaces)" sh -c "$COUNTER"
	rt run -d --bundle "$B" p1 </dev/null >/dev/null 2>&1 || fail "$RT_NAME pre-dump run"
	sleep 1
	rt checkpoint --pre-dump --image-path "$W/$RT_NAME-pre/img/pre" p1 2>"$W/err" ||
		fail "$RT_NAME pre-dump" "$(cat "$W/err")"
	check "$RT_NAME pre-dump: still running" test "$(status_of p1)" = running
	rt checkpoint --parent-path ../pre --image-path "$W/$RT_NAME-pre/img/final" p1 2>"$W/err" || {
		fail "$RT_NAME dump with --parent-path" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-pre/img/final/dump.log"
	}
	v1=$(count "$B") t1=$(token "$B")
	check "$RT_NAME dump with --parent-path: the images point at the parent" test -L "$W/$RT_NAME-pre/img/final/parent"
	rt restore -d --image-path "$W/$RT_NAME-pre/img/final" --bundle "$B" p1 </dev/null >/dev/null 2>"$W/err" || {
		fail "$RT_NAME restore after pre-dump" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-pre/img/final/restore.log"
	}
	sleep 1
	v2=$(count "$B")
	check "$RT_NAME restore after pre-dump: the same process went on ($v1 -> $v2)" \
		sh -c "[ $v2 -gt $v1 ] && [ $(token "$B") = $t1 ]"
	rt delete -f p1 >/dev/null 2>&1
}

# --page-server: the memory (pagemap and pages images) goes to a `criu
# page-server` on 127.0.0.1, the rest of the images to --image-path; the
# restore reads both together.
scenario_pageserver() {
	B=$W/$RT_NAME-ps
	PS=$W/$RT_NAME-ps-pages
	port=$((27000 + ${#RT_NAME}))
	mkdir -p "$PS"
	bundle "$B" "/criu-$RT_NAME-ps" "$(cat /usr/share/berth-vm/default.namespaces)" sh -c "$COUNTER"
	rt run -d --bundle "$B" g1 </dev/null >/dev/null 2>&1 || fail "$RT_NAME page-server run"
	wait_for 100 count_gt "$B" 5
	# -d: criu returns once it listens; the server ends with the dump.
	criu page-server -d --images-dir "$PS" --address 127.0.0.1 --port "$port" \
		--log-file ps.log -v4 --pidfile "$PS/ps.pid" 2>"$W/err" ||
		fail "$RT_NAME criu page-server" "$(cat "$W/err")"
	rt checkpoint --page-server "127.0.0.1:$port" --image-path "$W/$RT_NAME-ps-img" g1 2>"$W/err" || {
		fail "$RT_NAME checkpoint --page-server" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-ps-img/dump.log"
		show_log "$PS/ps.log"
	}
	v1=$(count "$B") t1=$(token "$B")
	check "$RT_NAME --page-server: the pages went to the server" \
		sh -c "ls '$PS'/pages-*.img '$PS'/pagemap-*.img >/dev/null 2>&1"
	check "$RT_NAME --page-server: none in the image dir" \
		sh -c "! ls '$W/$RT_NAME-ps-img'/pages-*.img '$W/$RT_NAME-ps-img'/pagemap-*.img >/dev/null 2>&1"
	check "$RT_NAME --page-server: the container is gone" is_gone g1
	wait_for 50 sh -c "! kill -0 \$(cat '$PS/ps.pid') 2>/dev/null"
	check "$RT_NAME --page-server: the server ended with the dump" sh -c "! kill -0 \$(cat '$PS/ps.pid') 2>/dev/null"
	# the server holds the pagemap and pages images; the rest is in the image dir
	cp "$PS"/pagemap-*.img "$PS"/pages-*.img "$W/$RT_NAME-ps-img/" 2>/dev/null
	rt restore -d --image-path "$W/$RT_NAME-ps-img" --bundle "$B" g1 </dev/null >/dev/null 2>"$W/err" || {
		fail "$RT_NAME restore of a --page-server dump" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-ps-img/restore.log"
	}
	sleep 1
	v2=$(count "$B")
	check "$RT_NAME restore of a --page-server dump: the same process went on ($v1 -> $v2)" \
		sh -c "[ $v2 -gt $v1 ] && [ $(token "$B") = $t1 ]"
	rt delete -f g1 >/dev/null 2>&1
}

# --lazy-pages: the dump leaves the pages behind a page server of its own
# (--page-server) and says so on --status-fd; `criu lazy-pages` fetches
# them from there for the restore, which starts before they have all come;
# the checkpoint ends once they have.
scenario_lazy() {
	if ! criu check --feature uffd-noncoop >/dev/null 2>&1; then
		echo "SKIP $RT_NAME --lazy-pages: no userfaultfd in this kernel"
		return
	fi
	B=$W/$RT_NAME-lazy
	I=$W/$RT_NAME-lazy-img
	port=$((27100 + ${#RT_NAME}))
	mkdir -p "$I"
	bundle "$B" "/criu-$RT_NAME-lazy" "$(cat /usr/share/berth-vm/default.namespaces)" sh -c "$COUNTER"
	rt run -d --bundle "$B" z1 </dev/null >/dev/null 2>&1 || fail "$RT_NAME lazy run"
	wait_for 100 count_gt "$B" 5
	: >"$W/lazy-status"
	rt checkpoint --lazy-pages --page-server "127.0.0.1:$port" --status-fd 9 \
		--image-path "$I" z1 9>"$W/lazy-status" 2>"$W/lazy-err" &
	ck=$!
	wait_for 300 test -s "$W/lazy-status"
	check "$RT_NAME --lazy-pages: the status fd says the page server is ready" test -s "$W/lazy-status"
	v1=$(count "$B") t1=$(token "$B")
	criu lazy-pages --page-server --address 127.0.0.1 --port "$port" --images-dir "$I" \
		--log-file lazy.log -v4 >/dev/null 2>&1 &
	lz=$!
	wait_for 50 test -S "$I/lazy-pages.socket"
	# z1 and its cgroup stay until the pages are fetched: the restore is
	# z2, from a bundle with a cgroup of its own and the same /out.
	bundle "$B-2" "/criu-$RT_NAME-lazy2" "$(cat /usr/share/berth-vm/default.namespaces)" sh -c "$COUNTER"
	sed -i "s|\"source\": \"$B-2/out\"|\"source\": \"$B/out\"|" "$B-2/config.json"
	rt restore -d --lazy-pages --image-path "$I" --bundle "$B-2" z2 </dev/null >/dev/null 2>"$W/err" || {
		fail "$RT_NAME restore --lazy-pages" "$(cat "$W/err")"
		show_log "$I/restore.log"
		show_log "$I/lazy.log"
	}
	wait_for 300 sh -c "! kill -0 $ck 2>/dev/null"
	wait "$ck"
	rc=$?
	check "$RT_NAME --lazy-pages: the checkpoint ended once the pages were fetched (rc $rc)" test "$rc" = 0
	[ "$rc" = 0 ] || { cat "$W/lazy-err"; show_log "$I/dump.log"; }
	sleep 1
	v2=$(count "$B")
	check "$RT_NAME restore --lazy-pages: the same process went on ($v1 -> $v2)" \
		sh -c "[ $v2 -gt $v1 ] && [ $(token "$B") = $t1 ]"
	check "$RT_NAME --lazy-pages: z1 is gone once the pages are fetched" is_gone z1
	rt delete -f z2 >/dev/null 2>&1
	rt delete -f z1 >/dev/null 2>&1
	kill "$lz" 2>/dev/null
	wait "$lz" 2>/dev/null
}

scenario_errors() {
	B=$W/$RT_NAME-err
	bundle "$B" "/criu-$RT_NAME-err" "$(cat /usr/share/berth-vm/default.namespaces)" sleep 1000
	rt restore -d --image-path "$W/nothere" --bundle "$B" e1 </dev/null >/dev/null 2>"$W/err" &&
		fail "$RT_NAME restore from a missing image dir fails"
	check "$RT_NAME restore from a missing image dir: says so ($(head -n 1 "$W/err"))" grep -q "nothere" "$W/err"
	check "$RT_NAME restore from a missing image dir: nothing left" sh -c "[ ! -e $ROOT/e1 ] && [ ! -d /sys/fs/cgroup/criu-$RT_NAME-err ]"
	rt create --bundle "$B" e1 </dev/null >/dev/null 2>&1
	rt checkpoint --image-path "$W/$RT_NAME-err-img" e1 2>"$W/err" && fail "$RT_NAME checkpoint of a created container fails"
	check "$RT_NAME checkpoint of a created container: says so ($(head -n 1 "$W/err"))" grep -q "cannot be checkpointed in created state" "$W/err"
	check "$RT_NAME checkpoint of a created container: it is untouched" test "$(status_of e1)" = created
	rt start e1
	# An image of this very container, restored onto its (existing) ID.
	rt checkpoint --leave-running --image-path "$W/$RT_NAME-err-img" e1 2>"$W/err" ||
		fail "$RT_NAME checkpoint for the clash" "$(cat "$W/err")"
	pid=$(pid_of e1)
	rt restore -d --image-path "$W/$RT_NAME-err-img" --bundle "$B" e1 </dev/null >/dev/null 2>"$W/err" &&
		fail "$RT_NAME restore onto an existing ID fails"
	check "$RT_NAME restore onto an existing ID: says so ($(head -n 1 "$W/err"))" grep -qi "exists" "$W/err"
	check "$RT_NAME restore onto an existing ID: the container is untouched" sh -c "[ \"\$($RT --root $ROOT state e1 | sed -n 's/.*\"pid\": *\([0-9]*\).*/\1/p')\" = $pid ]"
	rt delete -f e1 >/dev/null 2>&1
	check "$RT_NAME errors: nothing left" sh -c "[ ! -d /sys/fs/cgroup/criu-$RT_NAME-err ] && [ -z \"\$($RT --root $ROOT list -q)\" ]"
}

# Hooks on restore as runc runs them: each hook appends "<kind> <pid>"
# (the pid from the state on its stdin) to DIR/hooks.log; berth's sequence
# of kinds must be runc's.
scenario_hooks() {
	B=$W/$RT_NAME-hooks
	bundle "$B" "/criu-$RT_NAME-hooks" "$(cat /usr/share/berth-vm/default.namespaces)" sh -c "$COUNTER"
	cat >"$B/hook.sh" <<-'EOH'
		#!/bin/sh
		pid=$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
		echo "$1 $pid" >>"$(dirname "$0")/hooks.log"
	EOH
	chmod +x "$B/hook.sh"
	hooks=""
	for k in prestart createRuntime poststart poststop; do
		hooks="$hooks${hooks:+, }\"$k\": [{\"path\": \"$B/hook.sh\", \"args\": [\"hook.sh\", \"$k\"]}]"
	done
	sed -i "s|\"mounts\": \\[|\"hooks\": {$hooks}, \"mounts\": [|" "$B/config.json"
	rt run -d --bundle "$B" h1 </dev/null >/dev/null 2>&1 || fail "$RT_NAME hooks run"
	rt checkpoint --image-path "$W/$RT_NAME-hooks-img" h1 2>"$W/err" || fail "$RT_NAME hooks checkpoint" "$(cat "$W/err")"
	mv "$B/hooks.log" "$B/hooks.run"
	rt restore -d --image-path "$W/$RT_NAME-hooks-img" --bundle "$B" h1 </dev/null >/dev/null 2>"$W/err" ||
		fail "$RT_NAME hooks restore" "$(cat "$W/err")"
	pid=$(pid_of h1)
	mv "$B/hooks.log" "$B/hooks.restore" 2>/dev/null || : >"$B/hooks.restore"
	rt delete -f h1 >/dev/null 2>&1
	cut -d' ' -f1 "$B/hooks.run" | paste -sd, >"$W/$RT_NAME-hooks.kinds"
	cut -d' ' -f1 "$B/hooks.restore" | paste -sd, >>"$W/$RT_NAME-hooks.kinds"
	cut -d' ' -f1 "$B/hooks.log" | paste -sd, >>"$W/$RT_NAME-hooks.kinds"
	echo "$RT_NAME hooks (run+checkpoint / restore / delete): $(paste -sd' ' "$W/$RT_NAME-hooks.kinds")"
	check "$RT_NAME hooks: prestart and createRuntime ran on restore with the restored pid $pid" \
		sh -c "grep -qx 'prestart $pid' $B/hooks.restore && grep -qx 'createRuntime $pid' $B/hooks.restore"
	if [ "$RT_NAME" = runc ] && [ -f "$W/berth-hooks.kinds" ]; then
		check "hooks: berth runs the same hooks as runc at run, checkpoint, restore, delete" \
			cmp -s "$W/berth-hooks.kinds" "$W/runc-hooks.kinds"
	fi
}

# restore without --detach waits for the container, returns its status and
# deletes it.
scenario_foreground() {
	B=$W/$RT_NAME-fg
	bundle "$B" "/criu-$RT_NAME-fg" "$(cat /usr/share/berth-vm/default.namespaces)" sh -c "$COUNTER"
	rt run -d --bundle "$B" f1 </dev/null >/dev/null 2>&1 || fail "$RT_NAME foreground run"
	rt checkpoint --image-path "$W/$RT_NAME-fg-img" f1 2>"$W/err" || fail "$RT_NAME foreground checkpoint" "$(cat "$W/err")"
	rt restore --image-path "$W/$RT_NAME-fg-img" --bundle "$B" f1 </dev/null >/dev/null 2>"$W/err" &
	fg=$!
	wait_for 150 is_running f1
	check "$RT_NAME restore in the foreground: running" test "$(status_of f1)" = running
	check "$RT_NAME restore in the foreground: still waiting" kill -0 "$fg"
	rt kill f1 KILL
	wait "$fg"
	rc=$?
	check "$RT_NAME restore in the foreground: returns the status, 137 ($rc)" test "$rc" = 137
	check "$RT_NAME restore in the foreground: the container is deleted after" is_gone f1
}

# A container on a terminal: the restored tree gets a new pty whose master
# goes to the --console-socket of restore (CRIU's orphan-pts-master).
scenario_terminal() {
	B=$W/$RT_NAME-tty
	bundle "$B" "/criu-$RT_NAME-tty" "$(cat /usr/share/berth-vm/default.namespaces)" \
		sh -c 'i=0; while :; do echo "tick $i"; i=$((i+1)); usleep 200000; done'
	sed -i 's/"terminal": false/"terminal": true/' "$B/config.json"
	recvtty -o "$W/$RT_NAME-tty1.out" "$W/$RT_NAME-tty1.sock" &
	wait_for 50 test -S "$W/$RT_NAME-tty1.sock"
	rt run -d --console-socket "$W/$RT_NAME-tty1.sock" --bundle "$B" y1 </dev/null >/dev/null 2>"$W/err" ||
		fail "$RT_NAME terminal run" "$(cat "$W/err")"
	wait_for 50 grep -q "tick 5" "$W/$RT_NAME-tty1.out"
	rt checkpoint --image-path "$W/$RT_NAME-tty-img" y1 2>"$W/err" || {
		fail "$RT_NAME terminal checkpoint" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-tty-img/dump.log"
	}
	last=$(tail -n 1 "$W/$RT_NAME-tty1.out" | tr -dc '0-9')
	recvtty -o "$W/$RT_NAME-tty2.out" "$W/$RT_NAME-tty2.sock" &
	wait_for 50 test -S "$W/$RT_NAME-tty2.sock"
	rt restore -d --console-socket "$W/$RT_NAME-tty2.sock" --image-path "$W/$RT_NAME-tty-img" \
		--bundle "$B" y1 </dev/null >/dev/null 2>"$W/err" || {
		fail "$RT_NAME terminal restore" "$(cat "$W/err")"
		show_log "$W/$RT_NAME-tty-img/restore.log"
	}
	wait_for 50 test -s "$W/$RT_NAME-tty2.out"
	first=$(head -n 1 "$W/$RT_NAME-tty2.out" | tr -dc '0-9')
	check "$RT_NAME terminal: the restored tree writes to the new console, on from tick $last (${first:-nothing})" \
		sh -c "[ -n '$first' ] && [ '$first' -gt '${last:-0}' ]"
	rt delete -f y1 >/dev/null 2>&1
}

for RT in berth runc; do
	ROOT=/run/criu-$RT
	case $RT in berth) RT=$BERTH ;; esac
	command -v "$RT" >/dev/null || {
		echo "SKIP $RT: not in the VM"
		continue
	}
	RT_NAME=$(basename "$RT")
	echo "--- $RT_NAME"
	scenario_counter
	scenario_tcp
	scenario_predump
	scenario_pageserver
	scenario_lazy
	scenario_errors
	scenario_hooks
	scenario_foreground
	command -v recvtty >/dev/null && scenario_terminal
	for id in $("$RT" --root "$ROOT" list -q 2>/dev/null); do
		"$RT" --root "$ROOT" delete -f "$id" >/dev/null 2>&1
	done
done

leftover=$(grep -c "$W\|criu-root" /proc/self/mountinfo)
check "no mount left behind" test "$leftover" = 0
[ "$fails" -eq 0 ] || {
	echo "criu-tests: $fails failed"
	exit 1
}
echo "criu-tests: all passed"
