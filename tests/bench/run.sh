#!/bin/sh
# tests/bench/run.sh - berth vs runc vs crun vs a C floor, one command:
#
#   sudo tests/bench/run.sh            # 30 interleaved rounds (a few minutes)
#   sudo tests/bench/run.sh --full     # 100 rounds, the numbers for the README
#   sudo tests/bench/run.sh --sections run,exec --runtimes berth,runc
#
# Builds berth in build-bench/ (release), the floor (base.c) and the
# measuring wrapper (measure.c), makes a busybox bundle offline, measures,
# and writes build-bench/bench-results/results.{md,json}. See bench.py -h.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/bench.py" "$@"
