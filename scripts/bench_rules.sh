#!/usr/bin/env bash
# Rule engine benchmark: builds Release (-O2) into BUILD_DIR (default build-bench-rules) and
# runs bench_rules pinned to one core: 10,000 zones and 1,000 routes (one of 10,000 vertices)
# around Jiangsu, N vehicles' 1 Hz tracks through all seven rules, median of 5 runs.
# Usage: scripts/bench_rules.sh [vehicles=1000] [seconds=1000] [zones=10000] [routes=1000]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
build=${BUILD_DIR:-$fw_root/build-bench-rules}
cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFW_SANITIZE=OFF >/dev/null
cmake --build "$build" --target bench_rules -j "$(nproc)" -- --no-print-directory >/dev/null
taskset -c 0 "$build/bench_rules" "${1:-1000}" "${2:-1000}" "${3:-10000}" "${4:-1000}"
