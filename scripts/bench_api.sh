#!/usr/bin/env bash
# API benchmark: the two main queries (violations list, vehicle state) with wrk against a
# Release fleetwatch-api reading a private redis-server filled by bench_api_populate.
#
# For each query: a paced run holding about RATE requests/s (each of CONNS connections pauses
# between requests, see scripts/bench/api/mix.lua; wrk reports the rate it reached) and an unpaced run (back to back); each
# prints requests/s, p50/p99 latency and the CPU the API and Redis used.
#
# Usage: scripts/bench_api.sh [seconds per run]
# Environment: VEHICLES (10000) VIOLATIONS (200000) DAYS (30) RATE (5000) CONNS (50)
#   BUILD_DIR (build-api-bench)
#   INGEST_CMD: a command run in the background during the runs (e.g. the gateway and the
#   simulator writing to the same Redis: $FW_REDIS_PORT is exported to it); none by default.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-15}
vehicles=${VEHICLES:-10000} violations=${VIOLATIONS:-200000} days=${DAYS:-30}
rate=${RATE:-5000} conns=${CONNS:-50}
build=${BUILD_DIR:-$fw_root/build-api-bench}
work=$(mktemp -d /tmp/fw_bench_api.XXXXXX)

cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target fleetwatch-api bench_api_populate >/dev/null
fw_start_redis "$work/redis"
"$build/bench_api_populate" "$FW_REDIS_PORT" "$vehicles" "$violations" "$days"

token=bench-police-token-$RANDOM$RANDOM
echo "police $token bench" > "$work/tokens"
"$build/fleetwatch-api" --api_listen=127.0.0.1:0 --redis_port="$FW_REDIS_PORT" \
  --api_token_file="$work/tokens" > "$work/api.out" 2> "$work/api.err" &
api_pid=$!
ingest_pid=
cleanup() {
  kill "$api_pid" 2>/dev/null || true
  [ -n "$ingest_pid" ] && kill "$ingest_pid" 2>/dev/null || true
  wait "$api_pid" $ingest_pid 2>/dev/null || true
  fw_stop_redis
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 50); do grep -q listening "$work/api.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '{print $3}' "$work/api.out")
if [ -n "${INGEST_CMD:-}" ]; then
  export FW_REDIS_PORT
  bash -c "$INGEST_CMD" > "$work/ingest.log" 2>&1 &
  ingest_pid=$!
  echo "ingesting in the background: $INGEST_CMD"
else
  echo "no ingestion during the runs (INGEST_CMD unset)"
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run MODE RATE LABEL (RATE 0: back to back)
run() {
  local mode=$1 rate=$2 label=$3 a0 r0 a1 r1 out hz
  hz=$(getconf CLK_TCK)
  export API_BENCH_MODE=$mode API_BENCH_TOKEN=$token API_BENCH_VEHICLES=$vehicles \
    API_BENCH_RATE=$rate API_BENCH_THREADS=2 API_BENCH_CONNS=$conns
  wrk -t2 -c"$conns" -d2s -s "$fw_root/scripts/bench/api/mix.lua" "http://127.0.0.1:$port" \
    > /dev/null # warm-up
  a0=$(cpu_ticks "$api_pid"); r0=$(cpu_ticks "$FW_REDIS_PID")
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$fw_root/scripts/bench/api/mix.lua" \
    "http://127.0.0.1:$port")
  a1=$(cpu_ticks "$api_pid"); r1=$(cpu_ticks "$FW_REDIS_PID")
  echo "$out" | awk -v label="$label" -v api=$(( (a1 - a0) * 100 / hz / secs )) \
    -v redis=$(( (r1 - r0) * 100 / hz / secs )) '
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /^Requests\/sec/ {rps=$2}
    /Non-2xx/ {bad=$NF} /Socket errors/ {err=$0}
    END {printf "%-34s %9s req/s  p50 %8s  p99 %8s  api cpu %3d%%  redis cpu %3d%%%s%s\n",
                label, rps, p50, p99, api, redis, bad ? "  NON-2XX " bad : "", err ? "  " err : ""}'
}

echo "fleet: $vehicles vehicles, $violations violations over $days days; wrk -t2 -c$conns," \
  "${secs}s per run; paced runs aim at $rate requests/s"
run violations "$rate" "violations list, paced"
run vehicle "$rate" "vehicle state, paced"
run violations 0 "violations list, unpaced"
run vehicle 0 "vehicle state, unpaced"
