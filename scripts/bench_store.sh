#!/usr/bin/env bash
# Redis store benchmark: the Redis sink driven directly (tests/integration/store/store_load.c,
# one worker on one libevent loop) against a private redis-server on this machine, until the
# gateway can load the sink and the end-to-end run (gateway + simulator + rules) replaces it.
# Prints, per run: positions/s stored and acked, ack latency p50/p99, the writer's CPU, Redis
# CPU (from /proc/<pid>/stat), EVALSHA commands per position and the Redis commands the script
# runs per position (INFO commandstats); then the medians.
#
# Usage: scripts/bench_store.sh [seconds=10] [runs=3] [window=2048]
# Env:   FW_BENCH_PHONES (10000), FW_BENCH_QUEUE_MAX (4096), FW_BENCH_AOF (no|everysec),
#        BUILD_DIR (build-bench-store)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:-10}
runs=${2:-3}
window=${3:-2048}
phones=${FW_BENCH_PHONES:-10000}
queue_max=${FW_BENCH_QUEUE_MAX:-4096}
build=${BUILD_DIR:-$fw_root/build-bench-store}
work=$(mktemp -d /tmp/fleetwatch-bench-store.XXXXXX)
trap 'fw_stop_redis; rm -rf "$work"' EXIT

cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFW_SANITIZE=OFF >/dev/null
cmake --build "$build" --target fw-store-load -j "$(nproc)" -- --no-print-directory >/dev/null
load=$build/fw-store-load
fw_start_redis "$work/redis"
redis-cli -p "$FW_REDIS_PORT" CONFIG SET appendonly "${FW_BENCH_AOF:-no}" >/dev/null
hz=$(getconf CLK_TCK)

redis_ticks() { awk '{print $14 + $15}' "/proc/$FW_REDIS_PID/stat"; }
# Sum of "calls" in INFO commandstats, for commands matching $1 (a regex on the name).
redis_calls() {
  redis-cli -p "$FW_REDIS_PORT" INFO commandstats |
    awk -F'[_:,=]' -v pat="$1" '/^cmdstat_/ && $2 ~ pat {s += $4} END {print s + 0}'
}
field() { sed -E "s/.* $1 ([^ ]+).*/\1/" <<<"$2"; }

echo "store bench: $phones phones, window $window in flight, queue_max $queue_max," \
     "${seconds}s x $runs runs, redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')"
printf '%-4s %10s %10s %8s %8s %8s %9s %9s %9s\n' run stored/s acked/s p50_ms p99_ms \
       cpu_w% cpu_redis% evalsha/p calls/p
results=()
for run in $(seq 1 "$runs"); do
  redis-cli -p "$FW_REDIS_PORT" FLUSHALL >/dev/null
  redis-cli -p "$FW_REDIS_PORT" CONFIG RESETSTAT >/dev/null
  rm -rf "$work/spool" "$work/acked"
  t0=$(( $(date +%s) - 86400 ))
  ticks0=$(redis_ticks)
  out=$("$load" write "$FW_REDIS_PORT" "$work/spool" /dev/null "$t0" "$seconds" 0 "$phones" \
        "$window" "$queue_max")
  ticks1=$(redis_ticks)
  stored=$(field stored "$out")
  spooled=$(field spooled "$out")
  evalsha=$(redis_calls '^evalsha$')
  inner=$(redis_calls '^(xadd|xrange|hset|geoadd|zadd|zremrangebyscore)$')
  line=$(awk -v st="$stored" -v w="$(field seconds "$out")" -v b="$(field busy_s "$out")" -v ack="$(field acked_per_s "$out")" \
    -v p50="$(field lat_p50_ms "$out")" -v p99="$(field lat_p99_ms "$out")" \
    -v cw="$(field cpu_s "$out")" -v t="$((ticks1 - ticks0))" -v hz="$hz" -v e="$evalsha" \
    -v i="$inner" -v run="$run" 'BEGIN {
      printf "%-4s %10.0f %10.0f %8.2f %8.2f %8.0f %9.0f %9.4f %9.2f\n", run, st / b, ack, p50,
             p99, 100 * cw / w, 100 * t / hz / w, e / st, i / st }')
  echo "$line"
  [ "$spooled" = 0 ] || echo "     ($spooled positions went through the spool: queue over its bound)"
  results+=("$line")
done
median() { printf '%s\n' "${results[@]}" | awk -v c="$1" '{print $c}' | sort -n |
           awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "median: $(median 2) positions/s stored, $(median 3) acked/s, p99 $(median 5) ms," \
     "redis cpu $(median 7)%, $(median 8) EVALSHA and $(median 9) script calls per position"
