#!/usr/bin/env bash
# Gateway benchmark: fleetwatch (null sink, rules on by default) against the floor server
# (scripts/bench/floor_server.c: splits 0x7e frames, echoes a minimal ack, nothing else) under
# the same fleetwatch-sim load, in the same run, on this machine (server and load generator
# share its cores). Prints acks/s, ack latency p50/p99, server CPU and RSS, and the ratio.
#
#   1. back to back, 1 frame in flight per connection   (FW_BENCH_TERMINALS connections)
#   2. back to back, 32 frames in flight per connection
#   3. held load: FW_BENCH_HELD terminals each reporting every 2 s (fleetwatch only), with the
#      server's memory per connection
#
# Usage: scripts/bench_gateway.sh [seconds=10] [runs=3]
# Last, "summary: KEY VALUE UNIT" lines for scripts/bench_all.sh: gateway_k1_vs_floor,
# gateway_k32_vs_floor (%), gateway_held_p99 (ms), gateway_held_bytes_per_conn (B).
# Env:   FW_BENCH_TERMINALS (200), FW_BENCH_HELD (18000; 0 skips), FW_BENCH_HELD_S (60),
#        FW_BENCH_WORKERS (2), BUILD_DIR (build-bench-gw), FW_BENCH_RULES (1: rule engine on,
#        with the demo zones and routes of tests/data/demo; 0: off)
# The per-connection frame-rate cap is lifted (--max_frame_rate=0): back-to-back load sends
# hundreds of frames per second per connection, which the default cap (500/s) would throttle.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:-10}
runs=${2:-3}
terminals=${FW_BENCH_TERMINALS:-200}
held=${FW_BENCH_HELD:-18000}
held_s=${FW_BENCH_HELD_S:-60}
workers=${FW_BENCH_WORKERS:-2}
rules=${FW_BENCH_RULES:-1}
demo=$fw_root/tests/data/demo
rule_args=(--rules=0)
[ "$rules" = 1 ] && rule_args=(--rules=1 --rules_zones="$demo/zones.geojson" --rules_routes="$demo/routes.geojson")
build=${BUILD_DIR:-$fw_root/build-bench-gw}
work=$(mktemp -d /tmp/fleetwatch-bench-gw.XXXXXX)
server_pid=

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFW_SANITIZE=OFF >/dev/null
cmake --build "$build" -j 2 --target fleetwatch fleetwatch-sim -- --no-print-directory >/dev/null
cc -std=c11 -O2 -D_GNU_SOURCE -o "$work/floor_server" "$fw_root/scripts/bench/floor_server.c" \
  -levent -lpthread
# the newest build of a program (its place in the build tree has moved before)
binary() { find "$build" -name "$1" -type f -perm -u+x -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-; }
fleetwatch=$(binary fleetwatch)
sim=$(binary fleetwatch-sim)

vehicles=$(( held > terminals ? held : terminals ))
# terminal_id: what fleetwatch-sim sends in its 0x0100, the last 7 digits of the phone
awk -v n="$vehicles" 'BEGIN {
  printf "{\"vehicles\":[\n";
  for (i = 0; i < n; i++)
    printf "{\"phone\":\"140%08d\",\"plate\":\"T%06d\",\"plate_color\":1,\"terminal_id\":\"%07d\",\"class\":\"bus\"}%s\n",
           i, i, i % 10000000, i + 1 < n ? "," : "";
  printf "]}\n" }' > "$work/registry.json"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
field() { grep -o " $1=[0-9.]*" <<<"$2" | cut -d= -f2; }

# start_server floor|fleetwatch PORT
start_server() {
  if [ "$1" = floor ]; then
    "$work/floor_server" "$2" "$workers" & server_pid=$!
  else
    "$fleetwatch" --listen="127.0.0.1:$2" --workers="$workers" --registry_path="$work/registry.json" \
      --log_level=warn --max_frame_rate=0 --max_connections=19500 \
      --sink=null "${rule_args[@]}" \
      2>"$work/fleetwatch.log" & server_pid=$!
  fi
  for _ in $(seq 1 100); do
    kill -0 "$server_pid" 2>/dev/null || break # e.g. the port was taken meanwhile
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "server $1 did not start" >&2; exit 1
}

stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }

# run_load SERVER N SIM_ARGS... -> prints "acks_per_s p50_us p99_us cpu_pct rss_kib errors"
run_load() {
  local which=$1 n=$2; shift 2
  local port; port=$(fw_free_port)
  start_server "$which" "$port"
  local c0 t0 c1 t1 out
  c0=$(cpu_ticks "$server_pid"); t0=$(date +%s.%N)
  out=$("$sim" -s "127.0.0.1:$port" --registry "$work/registry.json" -n "$n" --progress 0 "$@" \
        2>"$work/sim.log" | grep '^result ' || true)
  [ -n "$out" ] || { echo "fleetwatch-sim gave no result (see below)" >&2; cat "$work/sim.log" >&2; exit 1; }
  c1=$(cpu_ticks "$server_pid"); t1=$(date +%s.%N)
  local rss; rss=$(rss_kib "$server_pid")
  stop_server
  local cpu; cpu=$(awk -v c="$((c1 - c0))" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" \
                   'BEGIN { printf "%.0f", 100 * c / hz / (t1 - t0) }')
  echo "$(field acks_per_s "$out") $(field p50_us "$out") $(field p99_us "$out") $cpu $rss $(field errors "$out")"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# compare LABEL SIM_ARGS...: both servers, alternately, `runs` times
compare() {
  local label=$1; shift
  local f="$work/floor.txt" g="$work/fleetwatch.txt"
  : >"$f"; : >"$g"
  for _ in $(seq 1 "$runs"); do
    run_load floor "$terminals" "$@" >>"$f"
    run_load fleetwatch "$terminals" "$@" >>"$g"
  done
  local fa ga
  fa=$(cut -d' ' -f1 "$f" | median); ga=$(cut -d' ' -f1 "$g" | median)
  printf '%s\n' "== $label: $terminals connections, median of $runs runs of ${seconds}s"
  printf '  %-10s %10s %8s %8s %6s %9s %6s\n' server acks/s p50_us p99_us cpu% rss_KiB errors
  for s in floor fleetwatch; do
    local file=$f; [ "$s" = fleetwatch ] && file=$g
    local a; a=$([ "$s" = floor ] && echo "$fa" || echo "$ga")
    local line; line=$(awk -v a="$a" '$1 == a { print; exit }' "$file")
    read -r acks p50 p99 cpu rss errors <<<"$line"
    printf '  %-10s %10s %8s %8s %6s %9s %6s\n' "$s" "$acks" "$p50" "$p99" "$cpu" "$rss" "$errors"
  done
  awk -v f="$fa" -v g="$ga" 'BEGIN { printf "  fleetwatch / floor: %.0f%%\n", 100 * g / f }'
  summary+=("$(awk -v key="$summary_key" -v f="$fa" -v g="$ga" \
                'BEGIN { printf "summary: %s %.0f %%", key, 100 * g / f }')")
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); workers=$workers"
echo "rules: $([ "$rules" = 1 ] && echo "on (demo zones and routes)" || echo off); sink: null"
summary=()
summary_key=gateway_k1_vs_floor compare "1 frame in flight" --report-s 0 -k 1 -d "$seconds"
summary_key=gateway_k32_vs_floor compare "32 frames in flight" --report-s 0 -k 32 -d "$seconds"

if [ "$held" -gt 0 ]; then
  port=$(fw_free_port)
  start_server fleetwatch "$port"
  sleep 0.5
  base_rss=$(rss_kib "$server_pid")
  c0=$(cpu_ticks "$server_pid"); t0=$(date +%s.%N)
  out=$("$sim" -s "127.0.0.1:$port" --registry "$work/registry.json" -n "$held" --progress 0 \
        --report-s 2 -d "$held_s" --ramp 2000 2>/dev/null | grep '^result ')
  c1=$(cpu_ticks "$server_pid"); t1=$(date +%s.%N)
  rss=$(rss_kib "$server_pid")
  stop_server
  echo "== held load: $held terminals, one 0x0200 every 2 s each, ${held_s}s measured (fleetwatch)"
  echo "  online=$(field online "$out") authenticated=$(field authenticated "$out") acks/s=$(field acks_per_s "$out") p50_us=$(field p50_us "$out") p99_us=$(field p99_us "$out") errors=$(field errors "$out")"
  awk -v c="$((c1 - c0))" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" -v r0="$base_rss" \
      -v r1="$rss" -v n="$held" 'BEGIN {
    printf "  server CPU %.0f%% (ramp included), RSS %d KiB at start, %d KiB loaded: %.0f bytes per connection\n",
           100 * c / hz / (t1 - t0), r0, r1, (r1 - r0) * 1024 / n }'
  summary+=("summary: gateway_held_p99 $(awk -v us="$(field p99_us "$out")" 'BEGIN { printf "%.2f", us / 1000 }') ms")
  summary+=("summary: gateway_held_bytes_per_conn $(awk -v r0="$base_rss" -v r1="$rss" -v n="$held" \
            'BEGIN { printf "%.0f", (r1 - r0) * 1024 / n }') B")
fi
printf '%s\n' "${summary[@]}"
