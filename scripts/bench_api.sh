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

token=bench-police-token-$RANDOM$RANDOM
echo "police $token bench" > "$work/tokens"
"$build/fleetwatch-api" --api_listen=127.0.0.1:0 --redis_port="$FW_REDIS_PORT" \
  --api_token_file="$work/tokens" > "$work/api.out" 2> "$work/api.err" &
api_pid=$!
bg_pids=()
cleanup() {
  kill "$api_pid" "${bg_pids[@]}" 2>/dev/null || true
  wait "$api_pid" "${bg_pids[@]}" 2>/dev/null || true
  fw_stop_redis
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 50); do grep -q listening "$work/api.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '{print $3}' "$work/api.out")

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

cpu_ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo $t; }

# run MODE RATE LABEL (RATE 0: back to back)
run() {
  local mode=$1 rate=$2 label=$3 t0 t1 out hz
  hz=$(getconf CLK_TCK)
  export API_BENCH_MODE=$mode API_BENCH_TOKEN=$token API_BENCH_VEHICLES=$vehicles \
    API_BENCH_RATE=$rate API_BENCH_THREADS=2 API_BENCH_CONNS=$conns
  wrk -t2 -c"$conns" -d2s -s "$fw_root/scripts/bench/api/mix.lua" "http://127.0.0.1:$port" \
    > /dev/null # warm-up
  t0="$(cpu_ticks "$api_pid") $(cpu_ticks "$FW_REDIS_PID") $(cpu_ticks "${bg_pids[@]}")"
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$fw_root/scripts/bench/api/mix.lua" \
    "http://127.0.0.1:$port")
  t1="$(cpu_ticks "$api_pid") $(cpu_ticks "$FW_REDIS_PID") $(cpu_ticks "${bg_pids[@]}")"
  echo "$out" | awk -v label="$label" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v secs="$secs" '
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /^Requests\/sec/ {rps=$2}
    /Non-2xx/ {bad=$NF} /Socket errors/ {err=$0}
    END {split(t0, a, " "); split(t1, b, " ");
         for (i = 1; i <= 3; i++) cpu[i] = (b[i] - a[i]) * 100 / hz / secs;
         printf "%-26s %8s req/s  p50 %7s  p99 %7s  cpu%%: api %3d redis %3d ingest %3d%s%s\n",
                label, rps, p50, p99, cpu[1], cpu[2], cpu[3],
                bad ? "  NON-2XX " bad : "", err ? "  " err : ""}'
}

echo "fleet: $vehicles vehicles, $violations violations over $days days; wrk -t2 -c$conns," \
  "${secs}s per run; paced runs aim at $rate requests/s"
run violations "$rate" "violations list, paced"
run vehicle "$rate" "vehicle state, paced"
run violations 0 "violations list, unpaced"
run vehicle 0 "vehicle state, unpaced"
if [ "$ingest" = gateway ]; then
  kill -INT "${bg_pids[1]}" 2>/dev/null && sleep 4
  echo "simulator: $(grep '^result ' "$work/sim.out" || tail -1 "$work/sim.out")"
fi
