#!/usr/bin/env bats
# events-compat.bats - `events --stats` (and the stats lines of streaming
# `events`) against runc 1.1.5's for the same bundle: one container with
# memory, pids and cpu limits and one without, running and paused.
#
# Compared: the set of keys and their order at every level (runc's Go
# struct order; memory.stat and hugetlb sizes sorted, as Go sorts map keys),
# the members runc tags omitempty left out when 0 or empty, the number
# forms (a v1 "no limit" of 9223372036854771712, a v2 one of
# 18446744073709551615, never -1), and the values both must agree on: the
# limits, pids.limit, the cpuset flags and lists, the hierarchical limits in
# memory.stat, intel_rdt and network_interfaces.
#
# Not compared, on purpose: counters (cpu time, memory usage, page faults)
# differ between two containers, and so does whether a counter runc tags
# omitempty is 0 (memory usage/max of swap and kmem, throttling, cache,
# pids.current, blkio lists): their presence is not compared, but berth
# must never print them as 0. The "id" differs (two containers). Where
# berth differs from runc deliberately: on a cgroup v2 host a memory or swap
# failcnt is the "max" count of memory(.swap).events in berth (runc 1.1.5
# always prints 0): equal here, where no limit is hit.
#
# Needs root and runc (skipped without it: runc is the oracle). Each
# container gets its own absolute cgroupsPath; teardown removes both
# runtimes' containers and any cgroup directory left.

load helpers

setup() {
	require_root
	command -v runc >/dev/null || skip "runc (the oracle) is not installed"
	setup_bundle
	RUNC_ROOT=$BERTH_TEST_DIR/runc-state
	CGNAME=berth-evc-${BERTH_TEST_DIR##*.}
	ID=$CGNAME
	RID=$CGNAME-runc
	RBUNDLE=$BERTH_TEST_DIR/runc-bundle
	mkdir -p "$RBUNDLE"
	update_config "c['process']['terminal'] = False; c['process']['args'] = ['sleep', '1000']"
}

teardown() {
	teardown_runc
	teardown_bundle
	local d
	for d in /sys/fs/cgroup/$CGNAME* /sys/fs/cgroup/*/$CGNAME*; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	true
}

# start_both RESOURCES: the bundle with RESOURCES under berth ($ID) and
# under runc ($RID, the same rootfs, its own cgroup)
start_both() {
	update_config "c['linux']['resources'] = json.loads('''$1''')"
	update_config "c['linux']['cgroupsPath'] = '/$CGNAME'"
	cp "$BUNDLE/config.json" "$RBUNDLE/config.json"
	update_config "c['root']['path'] = '$ROOTFS'; c['linux']['cgroupsPath'] = '/$RID'" \
		"$RBUNDLE/config.json"
	berth run -d "$ID" </dev/null
	runc --root "$RUNC_ROOT" run -d --bundle "$RBUNDLE" "$RID" </dev/null
}

# compare BERTH_LINE_FILE RUNC_LINE_FILE: prints each difference, fails on any
compare() {
	python3 - "$1" "$2" <<'EOF'
import json, re, sys

# omitempty members whose presence follows a counter (not compared)
VARYING = {"usage", "max", "total", "periods", "throttledPeriods", "throttledTime",
           "cache", "current"}
btext, rtext = open(sys.argv[1]).read(), open(sys.argv[2]).read()
b, r = json.loads(btext), json.loads(rtext)
bad = []

def shape(v, path, out):
    """(path, kind) in document order; lists as their first element."""
    if isinstance(v, dict):
        out.append((path, "{}"))
        for k, x in v.items():
            p = path + "/" + k
            if path.endswith("/blkio") or (k in VARYING and isinstance(x, int)
                                          and not path.endswith("/raw")):
                continue
            shape(x, p, out)
    elif isinstance(v, list):
        out.append((path, "[]"))
        if v:
            shape(v[0], path + "/0", out)
    else:
        out.append((path, type(v).__name__))
    return out

def zeros(v, path):
    """what runc would have left out: omitempty members at 0, empty lists"""
    if isinstance(v, dict):
        for k, x in v.items():
            p = path + "/" + k
            in_blkio_entry = "/blkio/" in p and p.count("/") > 4
            if x == 0 and not isinstance(x, bool) and not path.endswith("/raw") and (
                    k in VARYING or in_blkio_entry):
                bad.append(f"berth prints {p} = 0 (runc omits it)")
            if x == [] and k not in ("network_interfaces",):
                bad.append(f"berth prints {p} = [] (runc omits it)")
            zeros(x, p)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            zeros(x, f"{path}/{i}")

if list(b) != list(r):
    bad.append(f"event keys: berth {list(b)} runc {list(r)}")
sb, sr = shape(b.get("data"), "", []), shape(r.get("data"), "", [])
if sb != sr:
    for x in sb:
        if x not in sr:
            bad.append(f"berth only: {x}")
    for x in sr:
        if x not in sb:
            bad.append(f"runc only: {x}")
    if not bad:
        bad.append("same keys, another order: berth %s runc %s" % (sb, sr))
zeros(b.get("data"), "")

bd, rd = b["data"], r["data"]
def pick(d):
    m = d.get("memory", {})
    raw = m.get("raw", {})
    entries = ("usage", "swap", "kernel", "kernelTCP")
    return {
        "limits": {e: m.get(e, {}).get("limit") for e in entries},
        "failcnt": {e: m.get(e, {}).get("failcnt") for e in entries},
        "pids.limit": d.get("pids", {}).get("limit"),
        "cpuset": d.get("cpuset", "(none)"),
        "hierarchical": {k: v for k, v in raw.items() if k.startswith("hierarchical_")},
        "hugetlb sizes": sorted(d.get("hugetlb", {})),
        "intel_rdt": d.get("intel_rdt", "(none)"),
        "network_interfaces": d.get("network_interfaces", "(none)"),
    }
pb, pr = pick(bd), pick(rd)
for k in pb:
    if pb[k] != pr[k]:
        bad.append(f"{k}: berth {pb[k]} runc {pr[k]}")
# the number forms as printed (jansson printed 2^64-1 as -1)
lim = re.compile(r'"limit":(-?\d+)')
if lim.findall(btext) != lim.findall(rtext):
    bad.append(f"limits as text: berth {lim.findall(btext)} runc {lim.findall(rtext)}")
for line in bad:
    print(line)
sys.exit(1 if bad else 0)
EOF
}

# stats_both WHAT: events --stats of both, compared
stats_both() {
	berth events --stats "$ID" >"$BERTH_TEST_DIR/ev.berth"
	runc --root "$RUNC_ROOT" events --stats "$RID" >"$BERTH_TEST_DIR/ev.runc"
	echo "$1"
	echo "berth: $(cat "$BERTH_TEST_DIR/ev.berth")"
	echo "runc:  $(cat "$BERTH_TEST_DIR/ev.runc")"
	compare "$BERTH_TEST_DIR/ev.berth" "$BERTH_TEST_DIR/ev.runc"
}

# both_states RESOURCES: compared running, then paused
both_states() {
	start_both "$1"
	stats_both "running"
	berth pause "$ID"
	runc --root "$RUNC_ROOT" pause "$RID"
	stats_both "paused"
	berth resume "$ID"
	runc --root "$RUNC_ROOT" resume "$RID"
}

@test "events --stats: runc's document for a container with memory, pids and cpu limits" {
	both_states '{"memory": {"limit": 67108864}, "pids": {"limit": 64}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}'
	grep -q '"limit":67108864' "$BERTH_TEST_DIR/ev.berth"
	grep -q '"pids":{"current":1,"limit":64}' "$BERTH_TEST_DIR/ev.berth"
}

@test "events --stats: runc's document for a container without limits (no limit printed in full, not -1)" {
	both_states '{}'
	run grep -c '"limit":-1' "$BERTH_TEST_DIR/ev.berth"
	[ "$output" = 0 ]
	# no pids limit: left out, as runc leaves a zero limit out
	grep -q '"pids":{"current":1}' "$BERTH_TEST_DIR/ev.berth"
}

@test "events: the streaming stats line is the same document as events --stats" {
	start_both '{"memory": {"limit": 67108864}}'
	timeout 10 "$BERTH" --root "$BERTH_ROOT" events --interval 100ms "$ID" | head -n 1 \
		>"$BERTH_TEST_DIR/ev.berth"
	timeout 10 runc --root "$RUNC_ROOT" events --interval 100ms "$RID" | head -n 1 \
		>"$BERTH_TEST_DIR/ev.runc"
	cat "$BERTH_TEST_DIR/ev.berth" "$BERTH_TEST_DIR/ev.runc"
	compare "$BERTH_TEST_DIR/ev.berth" "$BERTH_TEST_DIR/ev.runc"
}
