#!/usr/bin/env bash
# Every benchmark of docs/performance.md in one go: codec, rule engine, gateway with the null
# sink, end to end with Redis, 100,000 connections, police API. Each is its own script under
# scripts/ (this one only calls them, with the durations of the chosen mode); their whole
# output goes to BUILD_DIR/bench-logs/<name>.log and is echoed. At the end ONE table: benchmark,
# figure, unit, target, met/missed, and the command that produced it.
#
# Figures come from the scripts' "summary: KEY VALUE UNIT" lines (bench_gateway.sh,
# bench_100k.sh) or are read from their normal output (the others), by the parsers below.
#
# Usage: scripts/bench_all.sh [full|quick]
#   full   (default) the durations of the recorded report; about 20 minutes on 2 cores
#   quick  one short run of each, about 5 minutes: to check that everything runs
# Env:   BUILD_DIR (build-bench): one Release build shared by the scripts that take BUILD_DIR
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
mode=${1:-full}
export BUILD_DIR=${BUILD_DIR:-$fw_root/build-bench}
logs=$BUILD_DIR/bench-logs
mkdir -p "$logs"

# name | quick command | full command (run from the repository root)
benchmarks=(
  "codec|scripts/bench_codec.sh 1|scripts/bench_codec.sh 5"
  "rules|scripts/bench_rules.sh 1000 200|scripts/bench_rules.sh"
  "gateway|FW_BENCH_HELD_S=10 scripts/bench_gateway.sh 3 1|scripts/bench_gateway.sh 10 3"
  "e2e|FW_BENCH_QUEUE_MAX=262144 scripts/bench_store.sh e2e 3 1|FW_BENCH_QUEUE_MAX=262144 scripts/bench_store.sh e2e 10 3"
  "100k|scripts/bench_100k.sh 40 30|scripts/bench_100k.sh 180 30"
  "api|INGEST=gateway scripts/bench_api.sh 5|INGEST=gateway scripts/bench_api.sh 15"
)

# key | benchmark | figure | comparison | target | unit
targets=(
  "codec_mfps|codec|0x0200 decode, one core|>=|10|M frames/s"
  "rules_mpps|rules|7 rules, 10k zones + 1k routes, one core|>=|2|M points/s"
  "gateway_k1_vs_floor|gateway|null sink, rules on, 1 in flight, vs floor server|>=|85|%"
  "gateway_k32_vs_floor|gateway|null sink, rules on, 32 in flight, vs floor server|>=|85|%"
  "gateway_held_p99|gateway|18,000 terminals every 2 s, ack p99|<|5|ms"
  "gateway_held_bytes_per_conn|gateway|18,000 terminals, memory per connection|<=|4096|B"
  "e2e_k32_redis|e2e|Redis sink, 32 in flight, stored and acked|>=|200000|positions/s"
  "e2e_k32_vs_null|e2e|Redis sink vs null sink, 32 in flight|>=|60|%"
  "e2e_k1_vs_null|e2e|Redis sink vs null sink, 1 in flight|>=|80|%"
  "c100k_held|100k|authenticated connections held|>=|100000|connections"
  "c100k_stored_vs_offered|100k|positions stored / offered (every 30 s each)|>=|95|%"
  "c100k_ack_p99|100k|ack p99|none||ms"
  "c100k_errors|100k|errors (simulator + server)|==|0|errors"
  "c100k_bytes_per_conn|100k|fleetwatch RSS growth per connection|<=|4096|B"
  "api_violations_p99|api|violations list at ~5,000 req/s, ingesting, p99|<|20|ms"
  "api_vehicle_p99|api|vehicle state at ~5,000 req/s, ingesting, p99|<|20|ms"
)

# ---- parsers: a benchmark's output on stdin -> "summary: KEY VALUE UNIT" lines ------------
parse_codec() {
  sed -n 's/^median of .* = \([0-9.]*\) M frames\/s per core.*/summary: codec_mfps \1 M/p'
}
parse_rules() {
  awk '/^points\/s per core:/ { printf "summary: rules_mpps %.2f M\n", $4 / 1e6 }'
}
parse_e2e() { # the two tables: in flight | sink | acks/s | ... | stored/s (bench_store.sh e2e)
  # Redis rows count what was both stored and acked: acks/s when Redis stored at least every
  # acked position (stored >= acked), else the smaller of acks/s and stored/s (acks ran ahead
  # of Redis while the spool took the overflow; stored/s spans the whole run, ramp included)
  awk '$1 ~ /^[0-9]+$/ && $2 == "null" { a[$1 ",null"] = $3 }
       $1 ~ /^[0-9]+$/ && $2 == "redis" { a[$1 ",redis"] = $8 >= $9 || $11 >= $3 ? $3 : $11 }
       END {
         if (a["32,redis"] != "") printf "summary: e2e_k32_redis %d positions/s\n", a["32,redis"]
         if (a["32,null"] > 0) printf "summary: e2e_k32_vs_null %.0f %%\n", 100 * a["32,redis"] / a["32,null"]
         if (a["1,null"] > 0) printf "summary: e2e_k1_vs_null %.0f %%\n", 100 * a["1,redis"] / a["1,null"] }'
}
parse_api() { # "<label> N req/s  p50 X  p99 Y ..." with wrk's units (us, ms, s)
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
       /paced/ && !/unpaced/ {
         for (i = 1; i <= NF; i++) if ($i == "p99") p99 = ms($(i + 1))
         key = /^violations/ ? "api_violations_p99" : "api_vehicle_p99"
         printf "summary: %s %.1f ms\n", key, p99 }'
}
parse_gateway() { grep '^summary: '; }
parse_100k() {
  awk '/^summary: / { print; v[$2] = $3 }
       END { if (v["c100k_offered_per_s"] > 0)
               printf "summary: c100k_stored_vs_offered %.0f %%\n",
                      100 * v["c100k_stored_per_s"] / v["c100k_offered_per_s"] }'
}

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')," \
       "kernel $(uname -r), memory $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)," \
       "open files $(ulimit -n) per process"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$fw_root" rev-parse --short HEAD 2>/dev/null || echo "(no git)");" \
       "$(date -u +%Y-%m-%dT%H:%MZ); mode $mode; logs in $logs"
}

run_all() {
  local entry name quick full cmd
  : >"$logs/summary.txt"
  for entry in "${benchmarks[@]}"; do
    IFS='|' read -r name quick full <<<"$entry"
    cmd=$([ "$mode" = quick ] && echo "$quick" || echo "$full")
    echo "=== $name: $cmd"
    (cd "$fw_root" && bash -c "$cmd") 2>&1 | tee "$logs/$name.log"
    echo "command $name $cmd" >>"$logs/summary.txt"
    "parse_$name" <"$logs/$name.log" >>"$logs/summary.txt" || true
  done
}

# verdict VALUE OP TARGET -> met | missed | -
verdict() {
  [ "$2" = none ] && { echo "-"; return; }
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = (op == ">=" && v >= t) || (op == "<=" && v <= t) || (op == "<" && v < t) ||
         (op == "==" && v == t)
    print ok ? "met" : "MISSED" }'
}

print_table() {
  local entry key bench figure op target unit value cmd
  echo
  machine
  printf '| %-8s | %-52s | %12s | %-11s | %-12s | %-6s | %s |\n' benchmark figure value unit target result command
  printf '|%s|%s|%s|%s|%s|%s|%s|\n' ---------- ------------------------------------------------------ \
    -------------- ------------- -------------- -------- ---------
  for entry in "${targets[@]}"; do
    IFS='|' read -r key bench figure op target unit <<<"$entry"
    value=$(awk -v k="$key" '$1 == "summary:" && $2 == k { v = $3 } END { print v }' "$logs/summary.txt")
    cmd=$(awk -v b="$bench" '$1 == "command" && $2 == b { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' \
          "$logs/summary.txt")
    local result="-"
    if [ -z "$value" ]; then value="no figure"; result="FAILED (see $bench.log)"
    else result=$(verdict "$value" "$op" "$target"); fi
    [ "$op" = none ] && target="none" || target="$op $target"
    printf '| %-8s | %-52s | %12s | %-11s | %-12s | %-6s | `%s` |\n' "$bench" "$figure" "$value" \
      "$unit" "$target" "$result" "$cmd"
  done
}

case $mode in
  quick | full) ;;
  *) echo "usage: $0 [full|quick]" >&2; exit 2 ;;
esac
machine
run_all
print_table
