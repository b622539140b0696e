# helpers.bash - what every tests/integration/*.bats file shares.
#
# Use it with `load helpers` at the top of a .bats file, then:
#
#   REPO                 the source tree (two levels above this file)
#   BERTH                absolute path of the berth binary under test:
#                        $BERTH if set, else $REPO/build/cmd/berth
#   OCI_SPEC_DIR         the runtime-spec schemas: $BERTH_SHARED_DIR (the
#                        schema folder itself or its parent), else
#                        $REPO/../shared/oci-runtime-spec, else
#                        /work/shared/oci-runtime-spec
#   setup_berth_root     makes BERTH_TEST_DIR (this test's temp dir) and
#                        BERTH_ROOT, a fresh state root inside it. Call it
#                        (or setup_bundle, which calls it) from setup().
#   berth ARGS...        runs "$BERTH --root $BERTH_ROOT ARGS..."; use it
#                        with bats' `run berth ...`.
#   setup_bundle [EX]    makes BUNDLE, a temp bundle dir holding rootfs/ (a
#                        busybox rootfs, copied from one built once per test
#                        run with spec-examples/make-rootfs.sh) and
#                        config.json from spec-examples/EX (default:
#                        "default"); cds into it. ROOTFS=$BUNDLE/rootfs.
#   update_config 'PY' [FILE]
#                        edits $BUNDLE/config.json (or FILE) with Python
#                        statements on `c`, the parsed document (no jq
#                        needed), e.g.
#                          update_config 'c["process"]["args"] = ["true"]'
#                          update_config 'c["linux"]["resources"] = {"pids": {"limit": 10}}'
#   teardown_bundle      deletes every container left in BERTH_ROOT
#                        (`berth delete -f` for each of `berth list -q`),
#                        checks that no mount under BUNDLE remains (a
#                        leftover one is unmounted and fails the test), and
#                        removes the temp dirs. Call it from teardown().
#   teardown_runc        delete -f every runc container in $RUNC_ROOT (tests
#                        that compare with runc); call it before
#                        teardown_bundle.
#   validate_json SCHEMA FILE...
#                        validates documents against a runtime-spec schema
#                        (config-schema.json, state-schema.json,
#                        features-schema.json); prints the first error.
#   require_root         skips the test when not running as root.
#
# Everything made here lives under one temp dir per test (BERTH_TEST_DIR),
# so tests can run in parallel (bats -j). A test that hangs (a container
# that never exits, a lost sync message) fails after BATS_TEST_TIMEOUT
# seconds (default 300 here) instead of stalling the whole run; teardown
# still cleans up.

: "${BATS_TEST_TIMEOUT:=300}"

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BERTH=${BERTH:-$REPO/build/cmd/berth}
case $BERTH in
/*) ;;
*) BERTH=$PWD/$BERTH ;;
esac

find_oci_spec_dir() {
	local d
	for d in ${BERTH_SHARED_DIR:+"$BERTH_SHARED_DIR" "$BERTH_SHARED_DIR/oci-runtime-spec"} \
		"$REPO/../shared/oci-runtime-spec" /work/shared/oci-runtime-spec; do
		if [ -f "$d/config-schema.json" ]; then
			(cd "$d" && pwd)
			return 0
		fi
	done
	return 1
}
OCI_SPEC_DIR=$(find_oci_spec_dir || true)

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# One temp dir per test holds the bundle and the state root.
setup_berth_root() {
	if [ -z "${BERTH_TEST_DIR:-}" ]; then
		BERTH_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/berth-test.XXXXXX")
		BERTH_ROOT=$BERTH_TEST_DIR/state
		mkdir -p "$BERTH_ROOT"
	fi
}

berth() {
	# `run berth` is a subshell: a root made here would be lost and leaked.
	[ -n "${BERTH_ROOT:-}" ] || {
		echo "berth: call setup_berth_root or setup_bundle in setup() first" >&2
		return 1
	}
	"$BERTH" --root "$BERTH_ROOT" "$@"
}

# The rootfs every bundle of this test run copies; built once (atomically,
# so parallel tests don't race) under bats' per-run temp dir.
cached_rootfs() {
	local cache=${BERTH_TEST_ROOTFS:-${BATS_RUN_TMPDIR:-${TMPDIR:-/tmp}/berth-test-rootfs-$(id -u)}/rootfs}
	if [ ! -e "$cache/usr/bin/busybox" ]; then
		local tmp
		mkdir -p "$(dirname "$cache")"
		tmp=$(mktemp -d "$cache.XXXXXX")
		# mktemp makes 0700: a non-root workload must be able to enter /
		chmod 0755 "$tmp"
		"$REPO/spec-examples/make-rootfs.sh" "$tmp" >&2
		mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp" # another test won the race
	fi
	echo "$cache"
}

setup_bundle() {
	local example=${1:-default}
	local config=$REPO/spec-examples/$example/config.json
	[ -f "$config" ] || {
		echo "setup_bundle: no such example: $example" >&2
		return 1
	}
	setup_berth_root
	BUNDLE=$BERTH_TEST_DIR/bundle
	ROOTFS=$BUNDLE/rootfs
	mkdir -p "$BUNDLE"
	# A copy, not hard links: a container writing to its rootfs must not
	# change the cache other tests use.
	cp -a "$(cached_rootfs)" "$ROOTFS"
	cp "$config" "$BUNDLE/config.json"
	cd "$BUNDLE" || return 1
}

update_config() {
	local file=${2:-$BUNDLE/config.json}
	python3 - "$file" "$1" <<'EOF'
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
exec(code, {"c": c, "json": json})
with open(path, "w") as f:
    json.dump(c, f, indent="\t")
    f.write("\n")
EOF
}

validate_json() {
	local schema=$1
	shift
	[ -n "$OCI_SPEC_DIR" ] || {
		echo "validate_json: runtime-spec schemas not found (set BERTH_SHARED_DIR)" >&2
		return 1
	}
	# RefResolver works from Debian 12's jsonschema 4.10 to current 4.x
	# (deprecated there, hence the silenced warning); the schemas' $refs
	# are relative to their folder.
	python3 - "$OCI_SPEC_DIR" "$schema" "$@" <<'EOF'
import json, sys, warnings
warnings.simplefilter("ignore")
import jsonschema
base, schema_name, files = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(f"{base}/{schema_name}") as f:
    schema = json.load(f)
resolver = jsonschema.RefResolver(base_uri=f"file://{base}/", referrer=schema)
validator = jsonschema.Draft4Validator(schema, resolver=resolver)
bad = 0
for name in files:
    with open(name) as f:
        doc = json.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:5]:
        print(f"{name}: {'/'.join(str(p) for p in e.path) or '(top)'}: {e.message}")
    bad += bool(errors)
sys.exit(1 if bad else 0)
EOF
}

# Mount points at or below $1, deepest first.
mounts_under() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# teardown_runc: delete -f every container the runc oracle left in
# $RUNC_ROOT (tests that compare with runc keep its state there).
teardown_runc() {
	local id
	command -v runc >/dev/null && [ -d "${RUNC_ROOT:-}" ] || return 0
	for id in $(runc --root "$RUNC_ROOT" list -q 2>/dev/null); do
		runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1 || true
	done
}

teardown_bundle() {
	local status=0 id leftover
	[ -n "${BERTH_TEST_DIR:-}" ] || return 0
	cd / || true
	if [ -d "$BERTH_ROOT" ]; then
		for id in $("$BERTH" --root "$BERTH_ROOT" list -q 2>/dev/null); do
			"$BERTH" --root "$BERTH_ROOT" delete -f "$id" >/dev/null 2>&1 || status=1
		done
	fi
	leftover=$(mounts_under "$BERTH_TEST_DIR")
	if [ -n "$leftover" ]; then
		echo "teardown_bundle: mounts left behind under $BERTH_TEST_DIR:" >&2
		echo "$leftover" >&2
		for m in $leftover; do umount -l "$m" 2>/dev/null || true; done
		status=1
	fi
	# Never recurse into a mount (a leaked bind of the host's /sys or /dev
	# must not be "cleaned").
	if [ -z "$(mounts_under "$BERTH_TEST_DIR")" ]; then
		rm -rf --one-file-system "$BERTH_TEST_DIR"
	else
		echo "teardown_bundle: $BERTH_TEST_DIR kept: still mounted" >&2
		status=1
	fi
	unset BERTH_TEST_DIR BERTH_ROOT BUNDLE ROOTFS
	return $status
}
