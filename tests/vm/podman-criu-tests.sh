#!/bin/bash
# podman-criu-tests.sh - podman's checkpoint and restore on top of berth, and
# on top of runc for comparison: runs INSIDE the Debian 12 systemd VM
# (tests/vm/systemd-run.sh, which adds the packages and modules below to
# its image and initramfs). For each runtime: a counter checkpointed and
# restored in place, then exported (--export), removed, and imported
# (--import) as a new container, each time going on from where it was
# (its log proves it: the same process, no second "tick 0"); then
# containerd's ctr: a task checkpointed into an image and restored --live.
#
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
# Must never: leave a container behind (it removes what it made).
#
# berth-vm-packages: criu iptables tar
# berth-vm-modules: nft_compat xt_mark nf_conntrack_netlink unix_diag inet_diag tcp_diag
# berth-vm-modules: udp_diag raw_diag af_packet_diag netlink_diag

set -u
. "${0%/*}/checks.sh"

if ! criu check >/tmp/criu-check.log 2>&1; then
	cat /tmp/criu-check.log
	echo "FAIL criu check fails in the VM"
	exit 1
fi

BERTH=${BERTH:-/usr/local/sbin/berth}
W=$(mktemp -d /tmp/podman-criu.XXXXXX)
sh /opt/berth-test/spec-examples/make-rootfs.sh "$W/rootfs" >/dev/null 2>&1 ||
	{ echo "FAIL make-rootfs"; exit 1; }
tar -C "$W/rootfs" -c . | podman import --change 'CMD ["/bin/sh"]' - localhost/bbox:criu >/dev/null ||
	{ echo "FAIL podman import"; exit 1; }
COUNTER='i=0; while :; do echo "tick $i"; i=$((i+1)); sleep 0.2; done'

last_tick() { podman logs "$1" 2>/dev/null | tail -n 1 | tr -dc '0-9'; }
zeros() { podman logs "$1" 2>/dev/null | grep -c '^tick 0$'; }
state() { podman inspect -f '{{.State.Status}}' "$1" 2>/dev/null; }

for rt in "$BERTH" runc; do
	n=$(basename "$rt")
	P=(podman --runtime "$rt")
	c=ck-$n
	echo "--- $n"
	"${P[@]}" run -d --log-driver k8s-file --name "$c" localhost/bbox:criu sh -c "$COUNTER" >/dev/null ||
		fail "$n podman run"
	sleep 2
	if ! out=$("${P[@]}" container checkpoint "$c" 2>&1); then
		fail "$n podman container checkpoint" "$out"
	fi
	check "$n checkpoint: the container exited" test "$(state "$c")" = exited
	t1=$(last_tick "$c")
	if ! out=$("${P[@]}" container restore "$c" 2>&1); then
		fail "$n podman container restore" "$out"
	fi
	check "$n restore: running" test "$(state "$c")" = running
	sleep 2
	t2=$(last_tick "$c")
	check "$n restore: the same process went on (tick $t1 -> $t2, one tick 0)" \
		test "${t2:-0}" -gt "${t1:-0}" -a "$(zeros "$c")" = 1

	if ! out=$("${P[@]}" container checkpoint --export "$W/$n.tar.gz" "$c" 2>&1); then
		fail "$n podman container checkpoint --export" "$out"
	fi
	check "$n --export: an archive" test -s "$W/$n.tar.gz"
	t3=$(last_tick "$c")
	podman rm -f "$c" >/dev/null 2>&1
	if ! out=$("${P[@]}" container restore --import "$W/$n.tar.gz" --name "$c-2" 2>&1); then
		fail "$n podman container restore --import" "$out"
	fi
	check "$n --import: running as $c-2" test "$(state "$c-2")" = running
	sleep 2
	t4=$(last_tick "$c-2")
	check "$n --import: the same process went on (tick $t3 -> $t4)" test "${t4:-0}" -gt "${t3:-0}"
	podman rm -f "$c" "$c-2" >/dev/null 2>&1
done
# containerd (ctr, the runc shim with --runc-binary): a container's task
# checkpointed into an image, the container removed, restored --live from
# the image; a counter in a bind-mounted directory shows it went on.
ctr_scenario() {
	local rt=$1 n id out t1 t2
	n=$(basename "$rt")
	id=ctrck-$n
	mkdir -p "$W/ctr-$n"
	timeout 120 ctr run -d --runc-binary "$rt" \
		--mount "type=bind,src=$W/ctr-$n,dst=/out,options=rbind:rw" \
		localhost/bbox:criu "$id" sh -c 'i=0; while :; do echo "tick $i" >/out/count; i=$((i+1)); sleep 0.2; done' ||
		{ fail "$n ctr run"; return; }
	sleep 2
	if ! out=$(timeout 120 ctr containers checkpoint --task "$id" "localhost/ck-$n:1" 2>&1); then
		fail "$n ctr containers checkpoint --task" "$out"
		return
	fi
	timeout 120 ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1
	sleep 1
	timeout 120 ctr tasks rm -f "$id" >/dev/null 2>&1
	timeout 120 ctr containers rm "$id" >/dev/null 2>&1
	t1=$(tr -dc '0-9' <"$W/ctr-$n/count")
	if ! out=$(timeout 120 ctr containers restore --live "$id" "localhost/ck-$n:1" 2>&1); then
		fail "$n ctr containers restore --live" "$out"
	fi
	sleep 2
	t2=$(tr -dc '0-9' <"$W/ctr-$n/count")
	check "$n ctr: restored task running" sh -c "ctr tasks ls | grep -q '^$id .*RUNNING'"
	check "$n ctr: the counter went on from the checkpoint ($t1 -> $t2)" test "${t2:-0}" -gt "${t1:-0}"
	timeout 120 ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1
	sleep 1
	timeout 120 ctr tasks rm -f "$id" >/dev/null 2>&1
	timeout 120 ctr containers rm "$id" >/dev/null 2>&1
	timeout 120 ctr images rm "localhost/ck-$n:1" >/dev/null 2>&1
}
if command -v ctr >/dev/null && ctr version >/dev/null 2>&1 &&
	podman save --format oci-archive -o "$W/bbox-oci.tar" localhost/bbox:criu >/dev/null 2>&1 &&
	timeout 120 ctr images import --base-name localhost/bbox "$W/bbox-oci.tar" >/dev/null 2>&1; then
	echo "--- containerd"
	for rt in "$BERTH" /usr/sbin/runc; do ctr_scenario "$rt"; done
	timeout 120 ctr images rm localhost/bbox:criu >/dev/null 2>&1
else
	echo "SKIP containerd: no running containerd in the VM, or the image import failed"
fi
podman rmi -f localhost/bbox:criu >/dev/null 2>&1
rm -rf "$W"
[ "$fails" -eq 0 ] || {
	echo "podman-criu-tests: $fails failed"
	exit 1
}
echo "podman-criu-tests: all passed"
