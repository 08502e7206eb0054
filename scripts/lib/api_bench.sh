# api_bench.sh - shell helpers shared by the API benchmarks, scripts/bench_api.sh and
# scripts/bench_stats.sh (sourced after common.sh, not run).
#
#   api_bench_start BUILD WORK     start BUILD/fleetwatch-api on a free port against
#                                  $FW_REDIS_PORT with a police token (files in WORK); sets
#                                  api_pid, api_port, api_token
#   api_bench_run MODE RATE LABEL  wrk with scripts/bench/api/mix.lua in MODE (violations,
#                                  vehicle, stats) at RATE requests/s (0: back to back): a 2 s
#                                  warm-up, then $secs s measured; prints LABEL, requests/s,
#                                  p50, p99 and the CPU of the API, Redis and the pids in
#                                  bg_pids; sets api_bench_p99_ms. Reads secs, conns, vehicles,
#                                  days (defaults 15, 50, 10000, 30) and bg_pids.

cpu_ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo $t; }

api_bench_start() {
  local build=$1 work=$2
  api_token=bench-police-token-$RANDOM$RANDOM
  echo "police $api_token bench" > "$work/tokens"
  "$build/fleetwatch-api" --api_listen=127.0.0.1:0 --redis_port="$FW_REDIS_PORT" \
    --api_token_file="$work/tokens" > "$work/api.out" 2> "$work/api.err" &
  api_pid=$!
  for _ in $(seq 1 50); do grep -q listening "$work/api.out" 2>/dev/null && break; sleep 0.1; done
  api_port=$(awk '{print $3}' "$work/api.out")
}

api_bench_run() {
  local mode=$1 rate=$2 label=$3 t0 t1 out hz line
  local secs=${secs:-15} conns=${conns:-50}
  hz=$(getconf CLK_TCK)
  export API_BENCH_MODE=$mode API_BENCH_TOKEN=$api_token API_BENCH_VEHICLES=${vehicles:-10000} \
    API_BENCH_RATE=$rate API_BENCH_THREADS=2 API_BENCH_CONNS=$conns API_BENCH_DAYS=${days:-30}
  wrk -t2 -c"$conns" -d2s -s "$fw_root/scripts/bench/api/mix.lua" "http://127.0.0.1:$api_port" \
    > /dev/null # warm-up
  t0="$(cpu_ticks "$api_pid") $(cpu_ticks "$FW_REDIS_PID") $(cpu_ticks "${bg_pids[@]}")"
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$fw_root/scripts/bench/api/mix.lua" \
    "http://127.0.0.1:$api_port")
  t1="$(cpu_ticks "$api_pid") $(cpu_ticks "$FW_REDIS_PID") $(cpu_ticks "${bg_pids[@]}")"
  line=$(echo "$out" | awk -v label="$label" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v secs="$secs" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                     if (v ~ /s$/) return v * 1000; return v * 60000 }
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /^Requests\/sec/ {rps=$2}
    /Non-2xx/ {bad=$NF} /Socket errors/ {err=$0}
    END {split(t0, a, " "); split(t1, b, " ");
         for (i = 1; i <= 3; i++) cpu[i] = (b[i] - a[i]) * 100 / hz / secs;
         printf "%.3f %-26s %8s req/s  p50 %7s  p99 %7s  cpu%%: api %3d redis %3d ingest %3d%s%s\n",
                ms(p99), label, rps, p50, p99, cpu[1], cpu[2], cpu[3],
                bad ? "  NON-2XX " bad : "", err ? "  " err : ""}')
  api_bench_p99_ms=${line%% *}
  echo "${line#* }"
}
