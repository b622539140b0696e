#!/usr/bin/env bash
# check-format.sh - fail when a C source or header is not formatted as the
# repo's .clang-format says.
#
#   tests/lib/check-format.sh        # check; list the unformatted files
#   tests/lib/check-format.sh --fix  # rewrite them in place (clang-format -i)
#
# Files: every *.c and *.h under cmd/ runtime/ libcontainer/ tests/ that git
# knows (tracked, or untracked and not ignored, so a new file is checked
# before it is committed); outside a git work tree, the same dirs by find,
# build dirs excluded. Uses clang-format (Debian 12: version 14) or
# $CLANG_FORMAT.
#
# Never: change a file unless --fix is given.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

fix=false
case "${1:-}" in
'') ;;
--fix) fix=true ;;
*)
	echo "usage: $0 [--fix]" >&2
	exit 2
	;;
esac

clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null; then
	echo "check-format: $clang_format not found (apt-get install clang-format)" >&2
	exit 2
fi
[ -f .clang-format ] || {
	echo "check-format: no .clang-format in $repo" >&2
	exit 2
}

dirs=(cmd runtime libcontainer tests)
files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	while IFS= read -r -d '' f; do
		[ -f "$f" ] && files+=("$f")
	done < <(git ls-files -z -c -o --exclude-standard -- "${dirs[@]/%//*.c}" "${dirs[@]/%//*.h}" |
		sort -zu)
else
	while IFS= read -r -d '' f; do
		files+=("${f#./}")
	done < <(find "${dirs[@]}" -path '*/build*' -prune -o -type f \( -name '*.c' -o -name '*.h' \) \
		-print0 2>/dev/null | sort -z)
fi

if [ ${#files[@]} -eq 0 ]; then
	echo "check-format: no C files found under ${dirs[*]}" >&2
	exit 1
fi

if $fix; then
	"$clang_format" -i --style=file "${files[@]}"
	echo "check-format: formatted ${#files[@]} files"
	exit 0
fi

# One run over everything (fast); only on a failure, one run per file to
# name the culprits reliably.
bad=()
if ! "$clang_format" --style=file --dry-run --Werror "${files[@]}" >/dev/null 2>&1; then
	for f in "${files[@]}"; do
		if ! "$clang_format" --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
			bad+=("$f")
		fi
	done
	if [ ${#bad[@]} -eq 0 ]; then
		echo "check-format: $clang_format failed on the file list:" >&2
		"$clang_format" --style=file --dry-run --Werror "${files[@]}" 2>&1 | head -20 >&2 || true
		exit 1
	fi
fi

if [ ${#bad[@]} -ne 0 ]; then
	echo "check-format: ${#bad[@]} of ${#files[@]} files are not clang-formatted:"
	printf '  %s\n' "${bad[@]}"
	echo "check-format: fix with: clang-format -i ${bad[*]}"
	echo "check-format: first differences:"
	for f in "${bad[@]:0:3}"; do
		"$clang_format" --style=file "$f" | diff -u "$f" - | head -20 || true
	done
	exit 1
fi
echo "check-format: ${#files[@]} files clang-formatted ($("$clang_format" --version | head -1))"
