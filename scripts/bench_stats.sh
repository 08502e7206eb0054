#!/usr/bin/env bash
# /v1/stats benchmark: p99 of /v1/stats over every violation, at SMALL and then at LARGE
# violations in the same go (same Redis, same fleetwatch-api; the second fill adds to the
# first through the real store, bench_api_populate), and the ratio of the two p99s. The
# target (issue 12): p99 at 100,000 within 2x of p99 at 1,000, i.e. the cost of an answer does
# not grow with the violations kept.
#
# Usage: scripts/bench_stats.sh [seconds per run]
# Environment: SMALL (1000) LARGE (100000) VEHICLES (1000) DAYS (30) RATE (1000) CONNS (50)
#   BUILD_DIR (build-api-bench)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/api_bench.sh"
secs=${1:-15}
small=${SMALL:-1000} large=${LARGE:-100000}
vehicles=${VEHICLES:-1000} days=${DAYS:-30} rate=${RATE:-1000} conns=${CONNS:-50}
build=${BUILD_DIR:-$fw_root/build-api-bench}
work=$(mktemp -d /tmp/fw_bench_stats.XXXXXX)
bg_pids=()

cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target fleetwatch-api bench_api_populate >/dev/null
fw_start_redis "$work/redis"
api_pid=
cleanup() {
  [ -z "$api_pid" ] || { kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null || true; }
  fw_stop_redis
  rm -rf "$work"
}
trap cleanup EXIT
"$build/bench_api_populate" "$FW_REDIS_PORT" "$vehicles" "$small" "$days"
api_bench_start "$build" "$work"

echo "/v1/stats over every violation ($days days); wrk -t2 -c$conns, ${secs}s per run," \
  "paced at $rate requests/s"
api_bench_run stats "$rate" "stats, $small violations"
p99_small=$api_bench_p99_ms
"$build/bench_api_populate" "$FW_REDIS_PORT" "$vehicles" $((large - small)) "$days" "$small"
stored=$(redis-cli -p "$FW_REDIS_PORT" ZCARD fw:vio:by_time)
[ "$stored" = "$large" ] || { echo "expected $large violations in Redis, found $stored" >&2; exit 1; }
api_bench_run stats "$rate" "stats, $large violations"
p99_large=$api_bench_p99_ms
awk -v s="$p99_small" -v l="$p99_large" -v ns="$small" -v nl="$large" 'BEGIN {
  r = l / s
  printf "p99 ratio %d / %d violations: %.2f (target <= 2: %s)\n", nl, ns, r, r <= 2 ? "met" : "NOT met" }'
