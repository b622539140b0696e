#!/usr/bin/env bats
# spec.bats - `berth spec`, `berth features` and the spec-examples fixtures
# against the OCI runtime-spec JSON schemas.

load helpers

setup() {
	[ -n "$OCI_SPEC_DIR" ] || skip "runtime-spec schemas not found (set BERTH_SHARED_DIR)"
	setup_berth_root
	WORK=$BERTH_TEST_DIR/work
	mkdir -p "$WORK"
	cd "$WORK"
}

teardown() {
	if [ -n "${NETNS_MADE:-}" ]; then
		ip netns delete berth-example
	fi
	teardown_bundle
}

# Print a field of a JSON file: json_get FILE 'python expression on d'
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2])))' "$1" "$2"
}

@test "spec writes runc's default config, valid against the schema" {
	run berth spec
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -f config.json ]
	validate_json config-schema.json config.json
	[ "$(json_get config.json 'd["process"]["args"]')" = '["sh"]' ]
	[ "$(json_get config.json 'd["process"]["terminal"]')" = true ]
	[ "$(json_get config.json 'd["hostname"]')" = '"berth"' ]
	[ "$(json_get config.json 'd["root"]')" = '{"path": "rootfs", "readonly": true}' ]
	[ "$(json_get config.json 'd["process"]["capabilities"]["bounding"]')" = '["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]' ]
	[ "$(json_get config.json 'd["process"]["rlimits"]')" = '[{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]' ]
	[ "$(json_get config.json '[n["type"] for n in d["linux"]["namespaces"] if n["type"] != "cgroup"]')" = '["pid", "network", "ipc", "uts", "mount"]' ]
	[ "$(json_get config.json '[m["destination"] for m in d["mounts"]]')" = '["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"]' ]
	[ "$(json_get config.json '"/proc/kcore" in d["linux"]["maskedPaths"] and "/proc/sys" in d["linux"]["readonlyPaths"]')" = true ]
	# tab-indented like runc's, ending with a newline
	grep -q "^	\"ociVersion\": \"1.3.0\",$" config.json
	[ "$(tail -c 1 config.json | od -An -c | tr -d ' ')" = '\n' ]
}

@test "spec matches runc spec but for hostname, version and the extra masked paths" {
	command -v runc >/dev/null || skip "runc not installed"
	mkdir r b
	(cd r && runc spec)
	berth spec -b b
	python3 - r/config.json b/config.json <<'EOF'
import json, sys
r, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (r, b):
    d.pop("ociVersion")
    d.pop("hostname")
    d["process"]["capabilities"].pop("ambient", None)  # runc < 1.2 adds ambient
    d["linux"]["maskedPaths"] = [p for p in d["linux"]["maskedPaths"]
                                 if not p.startswith("/sys/devices/virtual/")]
    d["linux"]["namespaces"] = [n for n in d["linux"]["namespaces"] if n["type"] != "cgroup"]
assert r == b, (r, b)
EOF
}

@test "spec --rootless maps the caller, drops netns and cgroup limits" {
	run berth spec --rootless
	[ "$status" -eq 0 ]
	validate_json config-schema.json config.json
	[ "$(json_get config.json 'd["linux"]["uidMappings"]')" = "[{\"containerID\": 0, \"hostID\": $(id -u), \"size\": 1}]" ]
	[ "$(json_get config.json 'd["linux"]["gidMappings"]')" = "[{\"containerID\": 0, \"hostID\": $(id -g), \"size\": 1}]" ]
	[ "$(json_get config.json '[n["type"] for n in d["linux"]["namespaces"] if n["type"] != "cgroup"]')" = '["pid", "ipc", "uts", "mount", "user"]' ]
	[ "$(json_get config.json '[m for m in d["mounts"] if m["destination"] == "/sys"]')" = '[{"destination": "/sys", "type": "none", "source": "/sys", "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]}]' ]
	[ "$(json_get config.json '[o for m in d["mounts"] for o in m.get("options", []) if o.startswith(("uid=", "gid="))]')" = '[]' ]
	[ "$(json_get config.json '"resources" in d["linux"]')" = false ]
}

@test "spec --rootless as an unprivileged user maps that user" {
	require_root
	command -v setpriv >/dev/null || skip "setpriv not installed"
	chmod 755 "$BERTH_TEST_DIR" "$WORK"
	mkdir u && chown 1000:1000 u
	setpriv --reuid 1000 --regid 1000 --clear-groups "$BERTH" spec --rootless -b u
	[ "$(json_get u/config.json 'd["linux"]["uidMappings"][0]["hostID"]')" = 1000 ]
	[ "$(json_get u/config.json 'd["linux"]["gidMappings"][0]["hostID"]')" = 1000 ]
}

@test "spec --bundle and -b write into that directory" {
	mkdir one two
	berth spec --bundle one
	berth spec -b two
	[ -f one/config.json ]
	[ -f two/config.json ]
	[ ! -e config.json ]
	cmp one/config.json two/config.json
}

@test "spec refuses to overwrite an existing config.json" {
	echo '{"mine": true}' >config.json
	run berth spec
	[ "$status" -eq 1 ]
	[[ "$output" == *"File config.json exists. Remove it first"* ]]
	[ "$(cat config.json)" = '{"mine": true}' ]
}

@test "spec fails on a missing bundle directory and on stray arguments" {
	run berth spec -b "$WORK/nonexistent"
	[ "$status" -eq 1 ]
	[[ "$output" == *"nonexistent/config.json"* ]]
	run berth spec extra
	[ "$status" -eq 1 ]
	[ ! -e config.json ]
}

@test "features is valid against features-schema.json and reports this host" {
	berth features >features.json
	validate_json features-schema.json features.json
	[ "$(json_get features.json 'd["ociVersionMin"]')" = '"1.0.0"' ]
	[ "$(json_get features.json 'd["ociVersionMax"]')" = '"1.3.0"' ]
	[ "$(json_get features.json 'd["hooks"]')" = '["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]' ]
	# mount options include the basics, sorted
	[ "$(json_get features.json 'all(o in d["mountOptions"] for o in ["bind", "rbind", "ro", "nosuid", "rprivate"])')" = true ]
	[ "$(json_get features.json 'd["mountOptions"] == sorted(d["mountOptions"])')" = true ]
	# every namespace this kernel has is listed
	for ns in ipc mnt net pid user uts cgroup; do
		[ -e /proc/self/ns/$ns ] || continue
		name=$ns
		[ $ns = mnt ] && name=mount
		[ $ns = net ] && name=network
		[ "$(json_get features.json "\"$name\" in d[\"linux\"][\"namespaces\"]")" = true ]
	done
	# cgroup versions as /proc/filesystems says
	v2=false
	grep -qw cgroup2 /proc/filesystems && v2=true
	[ "$(json_get features.json 'd["linux"]["cgroup"]["v2"]')" = "$v2" ]
}

@test "every spec-examples config is valid against config-schema.json" {
	local n=0
	for f in "$REPO"/spec-examples/*/config.json; do
		validate_json config-schema.json "$f"
		n=$((n + 1))
	done
	[ "$n" -ge 7 ]
}

@test "spec-examples/default is berth spec with only args and terminal changed" {
	berth spec
	python3 - config.json "$REPO/spec-examples/default/config.json" <<'EOF'
import json, sys
spec, example = (json.load(open(p)) for p in sys.argv[1:])
assert example["process"]["terminal"] is False
spec["process"]["terminal"] = False
spec["process"]["args"] = example["process"]["args"]
for d in (spec, example):  # berth adds a cgroup namespace on cgroup2-only hosts, as runc
    d["linux"]["namespaces"] = [n for n in d["linux"]["namespaces"] if n["type"] != "cgroup"]
assert spec == example, "spec-examples/default/config.json is out of date with `berth spec`: run spec-examples/regenerate.py"
EOF
}

@test "make-rootfs.sh makes a busybox rootfs with users and groups" {
	"$REPO/spec-examples/make-rootfs.sh" rootfs
	[ -x rootfs/usr/bin/busybox ]
	[ "$(readlink rootfs/bin)" = usr/bin ]
	[ -L rootfs/usr/bin/sh ]
	grep -q '^user:x:1000:1000:' rootfs/etc/passwd
	grep -q '^nobody:x:65534:' rootfs/etc/passwd
	grep -q '^tty:x:5:' rootfs/etc/group
	[ "$(cat rootfs/etc/hostname)" = berth ]
	[ "$(stat -c %a rootfs/tmp)" = 1777 ]
	# not a hard link of the host's busybox
	[ "$(stat -c %h rootfs/usr/bin/busybox)" = 1 ]
	if [ "$(id -u)" -eq 0 ]; then
		[ "$(chroot rootfs /bin/sh -c 'echo $((6 * 7)); id -u user; id -gn')" = "42
1000
root" ]
	fi
}

@test "setup_bundle gives a bundle with rootfs and the example's config" {
	setup_bundle hooks
	[ "$PWD" = "$BUNDLE" ]
	[ -x "$ROOTFS/usr/bin/busybox" ]
	cmp "$BUNDLE/config.json" "$REPO/spec-examples/hooks/config.json"
	update_config 'c["process"]["args"] = ["true"]; c["hostname"] = "edited"'
	[ "$(json_get config.json 'd["process"]["args"]')" = '["true"]' ]
	[ "$(json_get config.json 'd["hostname"]')" = '"edited"' ]
}

@test "the man page documents exactly the commands and flags berth has" {
	# berth.8 is generated from berth.8.md: they must not drift apart
	PYTHONDONTWRITEBYTECODE=1 python3 "$REPO/docs/md2man.py" "$REPO/docs/berth.8.md" >berth.8
	cmp berth.8 "$REPO/docs/berth.8" || {
		echo "docs/berth.8 is stale: run docs/md2man.py docs/berth.8.md > docs/berth.8"
		false
	}
	{
		echo "== global"
		"$BERTH" --help
		for cmd in $("$BERTH" --help | awk '/^COMMANDS:/{on=1; next} /^$/{on=0} on {print $1}'); do
			echo "== $cmd"
			"$BERTH" help "$cmd"
		done
	} >help.txt
	python3 - help.txt "$REPO/docs/berth.8.md" <<'EOF2'
import re, sys
help_text, md = (open(p).read() for p in sys.argv[1:])
flag = re.compile(r"--[a-z][a-z-]*")
# what berth --help / berth help CMD print
have = {}
for block in help_text.split("== ")[1:]:
    name, _, body = block.partition("\n")
    opts = body.split("OPTIONS:", 1)[1] if "OPTIONS:" in body else ""
    have[name] = set(flag.findall(opts))
# what the man page documents: "# GLOBAL OPTIONS" and one "## cmd[, cmd]" each
doc = {}
section = None
for line in md.splitlines():
    if line.startswith("# "):
        section = "global" if line == "# GLOBAL OPTIONS" else None
        if section:
            doc.setdefault(section, set())
    elif line.startswith("## "):
        section = line[3:].strip()
        doc.setdefault(section, set())
    elif section and line.startswith("**--"):
        doc[section] |= set(flag.findall(line))
problems = []
for name, flags in have.items():
    key = next((k for k in doc if name == k or name in [x.strip() for x in k.split(",")]), None)
    if key is None:
        problems.append(f"command {name} not documented")
        continue
    problems += [f"{name}: {f} not documented" for f in sorted(flags - doc[key])]
    if name != "global":
        problems += [f"{name}: documents {f}, which `berth help {name}` does not list"
                     for f in sorted(doc[key] - set().union(*(have.get(x.strip(), set()) for x in key.split(","))))]
assert not problems, "docs/berth.8.md is out of date:\n" + "\n".join(problems)
EOF2
}

# ---- the examples are working bundles ----

@test "example default: runs and prints its ids and capabilities" {
	require_root
	setup_bundle default
	run berth run ex-default
	[ "$status" -eq 0 ]
	[[ "$output" == *"hello from berth"* ]]
	[[ "$output" == *"Uid:	0	0	0	0"* ]]
	# CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10) only
	[[ "$output" == *"CapEff:	0000000020000420"* ]]
}

@test "example minimal: runs as PID 1 of its own pid namespace" {
	require_root
	setup_bundle minimal
	run berth run ex-minimal
	[ "$status" -eq 0 ]
	[[ "$output" == *"hello from a minimal berth container"* ]]
	[ "$(echo "$output" | awk '$1 == "1" && /sh -c/' | wc -l)" -eq 1 ]
}

@test "example hooks: every hook kind runs, in lifecycle order" {
	require_root
	setup_bundle hooks
	run berth run ex-hooks
	[ "$status" -eq 0 ]
	[ "$output" = "startContainer ran" ]
	[ "$(cat hooks.log)" = "prestart
createRuntime
createContainer
poststart
poststop" ]
}

@test "example resources: the container sees its limits" {
	require_root
	setup_bundle resources
	run berth run ex-resources
	echo "$output"
	[ "$status" -eq 0 ]
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		[[ "$output" == *"memory.max: 67108864"* ]]
		[[ "$output" == *"cpu.max: 50000 100000"* ]]
		[[ "$output" == *"pids.max: 64"* ]]
	else
		[[ "$output" == *"memory/memory.limit_in_bytes: 67108864"* ]]
		[[ "$output" == *"cpu/cpu.cfs_quota_us: 50000"* ]]
		[[ "$output" == *"cpu/cpu.shares: 512"* ]]
		[[ "$output" == *"pids/pids.max: 64"* ]]
	fi
}

@test "example tty: the process gets a terminal" {
	require_root
	command -v script >/dev/null || skip "script(1) not installed"
	setup_bundle tty
	run script -qec "$BERTH --root $BERTH_ROOT run ex-tty" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/pts/"* ]]
	[[ "$output" == *"stdin is a terminal"* ]]
}

@test "example join-namespaces: joins the named network namespace" {
	require_root
	command -v ip >/dev/null || skip "ip(8) not installed"
	[ ! -e /var/run/netns/berth-example ] || skip "/var/run/netns/berth-example exists already (not ours)"
	setup_bundle join-namespaces
	ip netns add berth-example
	NETNS_MADE=1 # for teardown
	# a link only that namespace has proves which one was joined
	ip -n berth-example link add berth-ex0 type dummy 2>/dev/null || ip -n berth-example link set lo up
	run berth run ex-join
	[ "$status" -eq 0 ]
	if ip -n berth-example link show berth-ex0 >/dev/null 2>&1; then
		[[ "$output" == *"berth-ex0"* ]]
	else
		[[ "$output" == *"lo: <LOOPBACK,UP"* ]]
	fi
	# only the namespace's links: lo and maybe the dummy
	[ "$(echo "$output" | grep -c ': <')" -le 2 ]
}
