#!/usr/bin/env bash
# Redis store benchmark, against a private redis-server on this machine (AOF off by default).
#
#   scripts/bench_store.sh sink [seconds=10] [runs=3] [window=2048]
#     The Redis sink driven directly (tests/integration/store/store_load.c, one worker on one
#     libevent loop), 10,000 phones, `window` positions in flight. Per run: positions/s stored
#     (over the run's whole time, until the spool is drained) and acked (over the `seconds` of
#     submitting), ack latency p50/p99, writer CPU, Redis CPU (/proc/<pid>/stat), EVALSHA per
#     position and the Redis commands the script runs per position (INFO commandstats).
#   scripts/bench_store.sh e2e [seconds=10] [runs=3]
#     The real `fleetwatch` (2 workers, rules on) under fleetwatch-sim with 10,000 terminals
#     back to back, 1 and 32 frames in flight per connection, --sink=redis next to
#     --sink=null in the same run: acks/s, ack p50/p99 (at the terminals), fleetwatch and Redis
#     CPU, positions stored (XADD calls in Redis during the run) and acked, the machine's busy
#     share (/proc/stat, both cores) and its CPU time per acked position; then, per in-flight
#     setting, the CPU per position the Redis sink may add to the null sink's for 60% and 80%
#     of its rate, next to what it adds.
#   scripts/bench_store.sh floor [positions=300000] [runs=3]
#     What Redis alone spends per position on the least a position must write, sent as plain
#     pipelined commands by redis-cli --pipe (no script, no gateway): XADD alone ("xadd"); XADD
#     + HSET of the 6 fw:veh fields that change with every point (lat, lon, speed, course,
#     gnss and receive time) + one GEOADD per 64 positions ("lean"); the same with all 12 of
#     the fields a position writes ("full").
#
# Env: FW_BENCH_PHONES (10000), FW_BENCH_QUEUE_MAX (16384), FW_BENCH_AOF (no|everysec),
#      BUILD_DIR (build-bench-store)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
mode=${1:-sink}
seconds=${2:-10}
runs=${3:-3}
window=${4:-2048}
phones=${FW_BENCH_PHONES:-10000}
queue_max=${FW_BENCH_QUEUE_MAX:-16384}
build=${BUILD_DIR:-$fw_root/build-bench-store}
work=$(mktemp -d /tmp/fleetwatch-bench-store.XXXXXX)
trap 'fw_stop_redis; rm -rf "$work"' EXIT

cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFW_SANITIZE=OFF >/dev/null
cmake --build "$build" --target fw-store-load fleetwatch fleetwatch-sim -j "$(nproc)" \
  -- --no-print-directory >/dev/null
# the newest build of a program (its place in the build tree has moved before)
binary() { find "$build" -name "$1" -type f -perm -u+x -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-; }
load=$(binary fw-store-load)
fw_start_redis "$work/redis"
redis-cli -p "$FW_REDIS_PORT" CONFIG SET appendonly "${FW_BENCH_AOF:-no}" >/dev/null
hz=$(getconf CLK_TCK)

redis_ticks() { awk '{print $14 + $15}' "/proc/$FW_REDIS_PID/stat"; }
# "busy total" ticks of the whole machine, all cores
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
# Sum of "calls" in INFO commandstats, for commands matching $1 (a regex on the name); the
# bench's own and the connection's housekeeping commands are never counted.
redis_calls() {
  redis-cli -p "$FW_REDIS_PORT" INFO commandstats |
    awk -F'[_:,=]' -v pat="$1" '/^cmdstat_/ && $2 ~ pat &&
      $2 !~ /^(info|config|flushall|ping|select|auth|client|hello|script)$/ {s += $4}
      END {print s + 0}'
}
field() { sed -E "s/.* $1 ([^ ]+).*/\1/" <<<"$2"; }

median() { printf '%s\n' "${results[@]}" | awk -v c="$1" '{print $c}' | sort -n |
           awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

sink_bench() {
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
    line=$(awk -v st="$stored" -v w="$(field seconds "$out")" \
      -v ack="$(field acked_per_s "$out")" \
      -v p50="$(field lat_p50_ms "$out")" -v p99="$(field lat_p99_ms "$out")" \
      -v cw="$(field cpu_s "$out")" -v t="$((ticks1 - ticks0))" -v hz="$hz" -v e="$evalsha" \
      -v i="$inner" -v run="$run" 'BEGIN {
        printf "%-4s %10.0f %10.0f %8.2f %8.2f %8.0f %9.0f %9.4f %9.2f\n", run, st / w, ack, p50,
               p99, 100 * cw / w, 100 * t / hz / w, e / st, i / st }')
    echo "$line"
    [ "$spooled" = 0 ] || echo "     ($spooled positions went through the spool: queue over its bound)"
    results+=("$line")
  done
  echo "median: $(median 2) positions/s stored, $(median 3) acked/s, p99 $(median 5) ms," \
       "redis cpu $(median 7)%, $(median 8) EVALSHA and $(median 9) script calls per position"
}

# e2e_run SINK K -> "acks_per_s p50_ms p99_ms fleetwatch_cpu% redis_cpu% stored acked cmds/pos
#                     stored_per_s machine_busy% cpu_us_per_acked_position"
# (stored: XADD calls in Redis during the run, i.e. track entries plus the few violations,
# stored_per_s: that over the run's wall time, from fleetwatch's start to its exit; cmds/pos:
# every command Redis executed, script calls included, per stored position)
e2e_run() {
  local sink=$1 k=$2 port fw c0 r0 t0 c1 r1 t1 out t_start m0 m1
  redis-cli -p "$FW_REDIS_PORT" FLUSHALL >/dev/null
  redis-cli -p "$FW_REDIS_PORT" CONFIG RESETSTAT >/dev/null
  rm -rf "$work/spool"
  port=$(fw_free_port)
  t_start=$(date +%s%N)
  "$fleetwatch" --sink="$sink" --listen="127.0.0.1:$port" --workers=2 \
    --registry_path="$work/registry.json" --log_level=warn \
    --max_frame_rate=0 --max_connections=19500 --redis_port="$FW_REDIS_PORT" \
    --spool_dir="$work/spool" --queue_max="$queue_max" >"$work/fleetwatch.log" 2>&1 &
  fw=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
  kill -0 "$fw" 2>/dev/null || { echo "fleetwatch did not start:" >&2; cat "$work/fleetwatch.log" >&2; exit 1; }
  c0=$(awk '{print $14 + $15}' "/proc/$fw/stat"); r0=$(redis_ticks); t0=$(date +%s%N)
  m0=$(machine_ticks)
  out=$("$sim" -s "127.0.0.1:$port" --registry "$work/registry.json" -n "$phones" --progress 0 \
        --report-s 0 -k "$k" -d "$seconds" 2>"$work/sim.err" | grep '^result ' || true)
  c1=$(awk '{print $14 + $15}' "/proc/$fw/stat"); r1=$(redis_ticks); t1=$(date +%s%N)
  m1=$(machine_ticks)
  kill "$fw"; wait "$fw" || true
  local t2; t2=$(date +%s%N)
  [ -n "$out" ] || { echo "fleetwatch-sim gave no result" >&2; cat "$work/sim.err" >&2; exit 1; }
  awk -v c="$((c1 - c0))" -v r="$((r1 - r0))" -v ns="$((t1 - t0))" -v hz="$hz" \
      -v a="$(grep -o ' acks_per_s=[0-9]*' <<<"$out" | cut -d= -f2)" \
      -v p50="$(grep -o ' p50_us=[0-9]*' <<<"$out" | cut -d= -f2)" \
      -v p99="$(grep -o ' p99_us=[0-9]*' <<<"$out" | cut -d= -f2)" \
      -v st="$(redis_calls '^xadd$')" \
      -v ack="$(grep -o ' acked_locations=[0-9]*' <<<"$out" | cut -d= -f2)" \
      -v all="$(redis_calls '^[a-z]+$')" \
      -v wall="$((t2 - t_start))" -v m0="$m0" -v m1="$m1" \
      'BEGIN { split(m0, x, " "); split(m1, y, " "); busy = y[1] - x[1]; total = y[2] - x[2]
               printf "%s %.1f %.1f %.0f %.0f %s %s %.2f %.0f %.0f %.2f\n", a, p50 / 1000,
               p99 / 1000, 100 * c / hz / (ns / 1e9), 100 * r / hz / (ns / 1e9), st, ack,
               st ? all / st : 0, st / (wall / 1e9), 100 * busy / total, 1e6 * busy / hz / ack }'
  [ -z "${FW_BENCH_CMDSTATS:-}" ] || redis-cli -p "$FW_REDIS_PORT" INFO commandstats >&2
}

e2e_bench() {
  fleetwatch=$(binary fleetwatch)
  sim=$(binary fleetwatch-sim)
  # plate_color 2 and terminal_id (the last 7 digits of the phone): what fleetwatch-sim sends
  awk -v n="$phones" 'BEGIN { printf "{\"vehicles\":[\n";
    for (i = 0; i < n; i++)
      printf "{\"phone\":\"142%08d\",\"plate\":\"B%06d\",\"plate_color\":2,\"terminal_id\":\"%07d\",\"class\":\"bus\"}%s\n",
             i, i, i % 10000000, i + 1 < n ? "," : "";
    print "]}" }' >"$work/registry.json"
  echo "e2e bench: fleetwatch (2 workers, rules on) + fleetwatch-sim, $phones terminals back to back," \
       "${seconds}s x $runs runs; machine load $(cut -d' ' -f1-3 /proc/loadavg)"
  local format='%-10s %-5s %10s %8s %8s %7s %7s %10s %10s %9s %9s %9s %8s\n'
  local -A us
  for k in 1 32; do
    printf "$format" "in flight" sink acks/s p50_ms p99_ms fw_cpu% redis% stored acked cmds/pos \
           stored/s machine% us/pos
    for sink in null redis; do
      results=()
      for _ in $(seq 1 "$runs"); do results+=("$(e2e_run "$sink" "$k")"); done
      printf "$format" "$k" "$sink" "$(median 1)" "$(median 2)" "$(median 3)" "$(median 4)" \
             "$(median 5)" "$(median 6)" "$(median 7)" "$(median 8)" "$(median 9)" \
             "$(median 10)" "$(median 11)"
      us[$sink]=$(median 11)
    done
    # With the machine saturated, a rate of r x the null sink's leaves each position
    # null_us / r of CPU: the Redis sink (Redis, writer, replies) may add null_us * (1/r - 1).
    awk -v n="${us[null]}" -v r="${us[redis]}" -v k="$k" 'BEGIN {
      printf "  %s in flight: the Redis sink adds %.2f us of CPU per position to the null sink'"'"'s %.2f;" \
             " 80%% of its rate allows %.2f, 60%% allows %.2f\n", k, r - n, n, n / 4, n * 2 / 3 }'
  done
}

# floor_run VARIANT -> Redis CPU us per position for `positions` positions of VARIANT
# (xadd | full), generated as RESP into a file first so that only redis-cli reads it meanwhile
floor_run() {
  local variant=$1 r0 r1
  LC_ALL=C awk -v n="$positions" -v phones="$phones" -v variant="$variant" '
    function emit(argc, a,   s, i) {
      s = "*" argc "\r\n"
      for (i = 1; i <= argc; i++) s = s "$" length(a[i]) "\r\n" a[i] "\r\n"
      printf "%s", s
    }
    BEGIN {
      pb = sprintf("%064d", 0); geo_n = 0
      split("lat lon speed_kmh course gnss_time recv_time altitude_m alarm status mileage_km load_kg passengers", f, " ")
      for (i = 0; i < n; i++) {
        phone = sprintf("142%08d", i % phones); t = 1700000000 + int(i / phones)
        lat = sprintf("%.6f", 34.5 + (i % 977) / 1e4); lon = sprintf("%.6f", 119.1 + (i % 991) / 1e4)
        split("XADD fw:track:" phone " " t "000-* pb " pb, a, " "); emit(5, a)
        if (variant == "xadd") continue
        split(lat " " lon " 62.5 180 " t " " t " 12 0 3 12345.6 0 31", v, " ")
        a[1] = "HSET"; a[2] = "fw:veh:" phone
        fields = variant == "lean" ? 6 : 12 # lean: only what changes with every point
        for (j = 1; j <= fields; j++) { a[2 * j + 1] = f[j]; a[2 * j + 2] = v[j] }
        emit(2 + 2 * fields, a)
        g[++geo_n] = lon; g[++geo_n] = lat; g[++geo_n] = phone
        if (geo_n == 192 || i == n - 1) {
          a[1] = "GEOADD"; a[2] = "fw:geo"
          for (j = 1; j <= geo_n; j++) a[j + 2] = g[j]
          emit(geo_n + 2, a); geo_n = 0
        }
      }
    }' >"$work/floor.resp"
  redis-cli -p "$FW_REDIS_PORT" FLUSHALL >/dev/null
  r0=$(redis_ticks)
  redis-cli -p "$FW_REDIS_PORT" --pipe <"$work/floor.resp" >/dev/null
  r1=$(redis_ticks)
  awk -v t="$((r1 - r0))" -v hz="$hz" -v n="$positions" 'BEGIN { printf "%.2f\n", 1e6 * t / hz / n }'
}

floor_bench() {
  positions=$seconds
  echo "Redis floor: $positions positions over $phones phones as plain pipelined commands," \
       "$runs runs; machine load $(cut -d' ' -f1-3 /proc/loadavg)"
  for variant in xadd lean full; do
    results=()
    for _ in $(seq 1 "$runs"); do results+=("$(floor_run "$variant")"); done
    echo "$variant: ${results[*]} -> median $(median 1) us of Redis CPU per position"
  done
}

case $mode in
  sink) sink_bench ;;
  e2e) e2e_bench ;;
  floor) [ -n "${2:-}" ] || seconds=300000; floor_bench ;;
  *) echo "usage: $0 sink|e2e|floor [seconds|positions] [runs] [window]" >&2; exit 2 ;;
esac
