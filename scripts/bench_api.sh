#!/usr/bin/env bash
# API benchmark: the two main queries (violations list, vehicle state) with wrk against a
# Release fleetwatch-api reading a private redis-server filled by bench_api_populate (through
# the real store: the vehicles' positions and the violation events as fleetwatch writes them).
#
# For each query: a paced run holding about RATE requests/s (each of CONNS connections pauses
# between requests, see scripts/bench/api/mix.lua; wrk reports the rate it reached) and an unpaced run (back to back); each
# prints requests/s, p50/p99 latency and the CPU the API and Redis used.
#
# Usage: scripts/bench_api.sh [seconds per run]
# Environment: VEHICLES (10000) VIOLATIONS (200000) DAYS (30) RATE (5000) CONNS (50)
#   BUILD_DIR (build-api-bench)
#   INGEST: what else runs during the runs
#     none     nothing (default)
#     gateway  the real `fleetwatch` (Redis sink into the same Redis, rules on) with
#              INGEST_TERMINALS (10000) fleetwatch-sim terminals reporting every
#              INGEST_REPORT_S (1) seconds
#   INGEST_CMD: a further command run in the background ($FW_REDIS_PORT is exported to it).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/api_bench.sh"
secs=${1:-15}
vehicles=${VEHICLES:-10000} violations=${VIOLATIONS:-200000} days=${DAYS:-30}
rate=${RATE:-5000} conns=${CONNS:-50}
build=${BUILD_DIR:-$fw_root/build-api-bench}
work=$(mktemp -d /tmp/fw_bench_api.XXXXXX)

cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
ingest=${INGEST:-none} terminals=${INGEST_TERMINALS:-10000} report_s=${INGEST_REPORT_S:-1}
targets="fleetwatch-api bench_api_populate"
[ "$ingest" = gateway ] && targets="$targets fleetwatch fleetwatch-sim"
cmake --build "$build" -j2 --target $targets >/dev/null
fw_start_redis "$work/redis"
"$build/bench_api_populate" "$FW_REDIS_PORT" "$vehicles" "$violations" "$days"

api_bench_start "$build" "$work"
bg_pids=()
cleanup() {
  kill "$api_pid" "${bg_pids[@]}" 2>/dev/null || true
  wait "$api_pid" "${bg_pids[@]}" 2>/dev/null || true
  fw_stop_redis
  rm -rf "$work"
}
trap cleanup EXIT

start_gateway() {
  local gw_port gw_pid
  # terminal_id: what fleetwatch-sim sends in its 0x0100, the last 7 digits of the phone
  awk -v n="$terminals" 'BEGIN { printf "{\"vehicles\":[\n";
    for (i = 0; i < n; i++)
      printf "{\"phone\":\"140%08d\",\"plate\":\"T%06d\",\"plate_color\":1,\"terminal_id\":\"%07d\",\"class\":\"bus\"}%s\n",
             i, i, i % 10000000, i + 1 < n ? "," : "";
    printf "]}\n" }' > "$work/registry.json"
  for _ in 1 2 3 4 5; do # fw_free_port's port may be taken by the time fleetwatch binds it
    gw_port=$(fw_free_port)
    "$build/fleetwatch" --listen="127.0.0.1:$gw_port" --registry_path="$work/registry.json" \
      --log_level=warn --sink=redis --redis_port="$FW_REDIS_PORT" \
      --spool_dir="$work/spool" --max_connections=19500 2>> "$work/gateway.log" &
    gw_pid=$!
    sleep 0.5
    kill -0 "$gw_pid" 2>/dev/null && break
  done
  kill -0 "$gw_pid" 2>/dev/null || { echo "fleetwatch did not start"; cat "$work/gateway.log"; exit 1; }
  bg_pids+=("$gw_pid")
  "$build/fleetwatch-sim" -s "127.0.0.1:$gw_port" --registry "$work/registry.json" \
    -n "$terminals" --report-s "$report_s" --progress 0 > "$work/sim.out" 2>&1 &
  bg_pids+=($!)
  sleep 6 # connections ramp up at 2000/s
  echo "fleetwatch (Redis sink, rules on) with $terminals simulated terminals reporting every ${report_s}s"
}

case "$ingest" in
  none) echo "no ingestion during the runs" ;;
  gateway) start_gateway ;;
  *) echo "INGEST must be none or gateway" >&2; exit 2 ;;
esac
if [ -n "${INGEST_CMD:-}" ]; then
  export FW_REDIS_PORT
  bash -c "$INGEST_CMD" > "$work/ingest.log" 2>&1 &
  bg_pids+=($!)
  echo "also running: $INGEST_CMD"
fi

echo "fleet: $vehicles vehicles, $violations violations over $days days; wrk -t2 -c$conns," \
  "${secs}s per run; paced runs aim at $rate requests/s"
api_bench_run violations "$rate" "violations list, paced"
api_bench_run vehicle "$rate" "vehicle state, paced"
api_bench_run violations 0 "violations list, unpaced"
api_bench_run vehicle 0 "vehicle state, unpaced"
if [ "$ingest" = gateway ]; then
  kill -INT "${bg_pids[1]}" 2>/dev/null && sleep 4
  echo "simulator: $(grep '^result ' "$work/sim.out" || tail -1 "$work/sim.out")"
fi
