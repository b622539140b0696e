#!/bin/bash
# run.sh - build the config parser fuzzer with clang and run it for a while.
#
#   FUZZ_SECONDS=60 tests/fuzz/run.sh     # default 60 s; exits non-zero on a crash
#
# Compiles the parser sources directly (no meson) with libFuzzer, ASan and
# UBSan, seeds the corpus from the OCI conformance documents and the repo's
# spec-examples, and uses the schema's keys and enum values as a dictionary.
# Work files go to $FUZZ_OUT (default build-fuzz/, git-ignored).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${BERTH_SHARED_DIR:-$root/../shared}
[ -d "$shared/oci-runtime-spec" ] || shared=/work/shared # the workplace copy when the clone has none beside it
out=${FUZZ_OUT:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
cc=${CC_FUZZ:-clang}

if ! command -v "$cc" >/dev/null; then
	echo "run.sh: $cc not found; install clang" >&2
	exit 2
fi
mkdir -p "$out/corpus" "$out/artifacts"

# shellcheck disable=SC2046 # pkg-config output is a word list on purpose
"$cc" -g -O1 -std=gnu11 -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$root" -I"$root/libcontainer" \
	"$here/fuzz_config.c" "$root"/libcontainer/config/config_*.c \
	"$root/libcontainer/error.c" "$root/libcontainer/log.c" \
	"$root/libcontainer/readall.c" \
	$(pkg-config --cflags --libs jansson) \
	-o "$out/fuzz_config"

# Seeds: valid and invalid conformance documents, then real bundles' configs.
seeds=0
for f in "$shared"/oci-runtime-spec/test/config/*/*.json; do
	[ -f "$f" ] || continue
	cp "$f" "$out/corpus/oci-$(basename "$(dirname "$f")")-$(basename "$f")"
	seeds=$((seeds + 1))
done
for f in "$root"/spec-examples/*/config.json; do
	[ -f "$f" ] || continue
	cp "$f" "$out/corpus/example-$(basename "$(dirname "$f")").json"
	seeds=$((seeds + 1))
done
echo "run.sh: $seeds seed documents"

# Dictionary: every quoted word of the schemas (field names, enum values).
dict="$out/config.dict"
cat "$shared"/oci-runtime-spec/*.json 2>/dev/null |
	grep -oE '"[A-Za-z_][A-Za-z0-9_]*"' | sort -u |
	sed 's/"/\\"/g; s/.*/"&"/' >"$dict" || true
printf '"18446744073709551615"\n"9223372036854775808"\n"-1"\n"\\\\u0000"\n' >>"$dict"

"$out/fuzz_config" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-dict="$dict" -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
	"$out/corpus"
