#!/bin/sh
# One fuzz target as a test: replay its seed corpus (every past crash is in
# it, so a regression fails here), then fuzz for SECONDS. New inputs go to
# WORK (in the build tree, kept between runs); a crash, leak or timeout is
# written beside it as crash-*/leak-*/timeout-* and fails the test.
#   run-fuzzer.sh EXE SEEDS WORK SECONDS [libFuzzer options…]
# SABAN_FUZZ_SECONDS overrides SECONDS (a longer local run). A finding exits
# 1, not libFuzzer's 77, which meson would take for a skipped test.
set -eu
exe=$1 seeds=$2 work=$3 seconds=${SABAN_FUZZ_SECONDS:-$4}
shift 4
mkdir -p "$work/corpus" "$work/artifacts"
set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -error_exitcode=1 \
  -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$seeds"
echo "+ $exe $*"
exec "$exe" "$@"
