#!/usr/bin/env bash
# 100,000 terminals on one machine. The open-file limit is 20,000 per process and cannot be
# raised here, so the load is split: SERVERS `fleetwatch` processes (Redis sink, rules on with
# the demo zones and routes), one private redis-server, and SERVERS fleetwatch-sim processes,
# each from its own two 127.0.0.x source addresses. Every terminal registers, authenticates and
# reports one 0x0200 every REPORT_S seconds.
#
# As a fleet would be deployed: every process listens on the same port (SO_REUSEPORT: the
# kernel spreads the connections over them) with the whole registry (100,002 vehicles load in
# about 0.2 s), and shares the one Redis. Each simulator plays its own slice of the registry.
#
# Prints the authenticated sessions of each process while ramping (from /metrics: the spread),
# then for the measured window: connections held, positions/s stored (XADD calls Redis
# executed) and acked (at the terminals), ack p50/p99, errors, RSS per process and bytes per
# connection, CPU of fleetwatch and Redis; then "summary: KEY VALUE UNIT" lines for
# scripts/bench_all.sh.
#
# Usage: scripts/bench_100k.sh [seconds=180] [report_s=30]
# Env:   FW_100K_TERMINALS (100000), FW_100K_SERVERS (6 fleetwatch processes),
#        FW_100K_RAMP (2000 connections/s in all), FW_100K_WORKERS (2 per process),
#        BUILD_DIR (build-bench-100k)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:-180}
report_s=${2:-30}
terminals=${FW_100K_TERMINALS:-100000}
servers=${FW_100K_SERVERS:-6}
share=$(( (terminals + servers - 1) / servers ))
ramp=${FW_100K_RAMP:-2000}
workers=${FW_100K_WORKERS:-2}
build=${BUILD_DIR:-$fw_root/build-bench-100k}
demo=$fw_root/tests/data/demo
work=$(mktemp -d /tmp/fleetwatch-bench-100k.XXXXXX)
fw_pids=() sim_pids=()

cleanup() {
  for pid in "${sim_pids[@]}" "${fw_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${sim_pids[@]}" "${fw_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fw_stop_redis
  rm -rf "$work"
}
trap cleanup EXIT

cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFW_SANITIZE=OFF >/dev/null
cmake --build "$build" -j 2 --target fleetwatch fleetwatch-sim -- --no-print-directory >/dev/null
fleetwatch=$build/fleetwatch
sim=$build/fleetwatch-sim
"$sim" -n $((share * servers)) --phone-base 13800000000 --print-registry >"$work/registry.json"
for i in $(seq 0 $((servers - 1))); do # simulator i's slice: vehicles i * share ... (one a line)
  awk -v from=$((2 + i * share)) -v to=$((1 + (i + 1) * share)) '
    NR == from { print "{\"vehicles\": [" }
    NR >= from && NR <= to { sub(/,$/, ""); print $0 (NR < to ? "," : "") }
    END { print "]}" }' "$work/registry.json" >"$work/registry-$i.json"
done
fw_start_redis "$work/redis"
trap cleanup EXIT # fw_start_redis set its own EXIT trap; cleanup stops Redis too
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
field() { grep -o " $1=[0-9.]*" <<<"$2" | cut -d= -f2; }
xadd_calls() {
  redis-cli -p "$FW_REDIS_PORT" INFO commandstats | awk -F'[:=,]' '/^cmdstat_xadd:/ {print $3}'
}
# metric I NAME: one counter of process I's /metrics
metric() {
  curl -s --max-time 5 "http://127.0.0.1:${api_ports[$1]}/metrics" |
    awk -v m="$2" '$1 == m {print $2; found = 1} END {if (!found) print 0}'
}
sessions_each() { local i; for i in "${!fw_pids[@]}"; do printf '%s ' "$(metric "$i" fleetwatch_sessions_open)"; done; }
sum_words() { awk '{for (i = 1; i <= NF; i++) s += $i} END {print s + 0}' <<<"$1"; }

# start_server I PORT REGISTRY OPTS...: process I on PORT with its own API port (for
# /metrics), spool directory and node name; returns 1 when it exits or never answers.
start_server() {
  local i=$1 port=$2 registry=$3; shift 3
  api_ports[i]=$(fw_free_port)
  "$fleetwatch" --listen="127.0.0.1:$port" --workers="$workers" --registry_path="$registry" \
    --log_level=info --max_connections=19500 \
    --api_listen="127.0.0.1:${api_ports[i]}" --api_max_connections=64 \
    --redis_port="$FW_REDIS_PORT" "$@" \
    >>"$work/fw-$i.log" 2>&1 &
  fw_pids[i]=$!
  for _ in $(seq 1 300); do
    kill -0 "${fw_pids[i]}" 2>/dev/null || return 1
    curl -s --max-time 1 "http://127.0.0.1:${api_ports[i]}/metrics" >/dev/null && return 0
    sleep 0.1
  done
  return 1
}
stop_servers() {
  for pid in "${fw_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${fw_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fw_pids=()
}

# The measured setup: every process on one port with the whole registry, Redis sink, rules on.
start_measured() {
  local i
  for _ in 1 2 3 4 5; do
    port=$(fw_free_port)
    for i in $(seq 0 $((servers - 1))); do
      start_server "$i" "$port" "$work/registry.json" --sink=redis --spool_dir="$work/spool-$i" \
        --node="fw$i" --rules=1 --rules_zones="$demo/zones.geojson" \
        --rules_routes="$demo/routes.geojson" || break
    done
    [ "${#fw_pids[@]}" -eq "$servers" ] && kill -0 "${fw_pids[@]}" 2>/dev/null && return 0
    stop_servers
  done
  echo "could not start $servers fleetwatch processes on one port" >&2
  exit 1
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)," \
     "open-file limit $(ulimit -n) per process, load average $(cut -d' ' -f1-3 /proc/loadavg)"
start_measured
rss0=()
for i in "${!fw_pids[@]}"; do rss0[i]=$(rss_kib "${fw_pids[i]}"); done

echo "100k bench: $terminals terminals, one 0x0200 every ${report_s}s each, ${seconds}s measured;" \
     "$servers fleetwatch processes x $workers workers, all on 127.0.0.1:$port, Redis sink, rules on;" \
     "$servers fleetwatch-sim, each $share terminals from two of 127.0.0.2-127.0.0.$((1 + 2 * servers)), ramp $ramp/s in all"
for i in "${!fw_pids[@]}"; do
  "$sim" -s "127.0.0.1:$port" --registry "$work/registry-$i.json" -n "$share" --procs 1 \
    --src "127.0.0.$((2 + 2 * i)),127.0.0.$((3 + 2 * i))" --report-s "$report_s" -d "$seconds" \
    --ramp $((ramp / servers)) --progress 0 >"$work/sim-$i.out" 2>"$work/sim-$i.err" &
  sim_pids[i]=$!
done

# Ramp: wait until every terminal is authenticated (or the ramp is long over).
ramp_limit_s=$(( terminals / ramp + 60 ))
t_start=$(date +%s)
while :; do
  sleep 5
  each=$(sessions_each)
  held=$(sum_words "$each")
  echo "  t=$(( $(date +%s) - t_start ))s sessions per process: $each(total $held)"
  [ "$held" -ge "$terminals" ] && break
  [ $(( $(date +%s) - t_start )) -ge "$ramp_limit_s" ] && { echo "  ramp time over: $held held"; break; }
  kill -0 "${sim_pids[0]}" 2>/dev/null || { echo "fleetwatch-sim ended early"; cat "$work/sim-0.err"; exit 1; }
done

# The measured window: snapshots at its start and shortly before the simulator stops sending.
snapshot() {
  local i t=0
  for i in "${!fw_pids[@]}"; do t=$(( t + $(cpu_ticks "${fw_pids[i]}") )); done
  echo "$(date +%s.%N) $t $(cpu_ticks "$FW_REDIS_PID") $(xadd_calls)"
}
# The window is whole report periods (each terminal reports exactly once per period, at a
# phase set by when it connected), ending before the simulator stops sending.
window=$(( (seconds - 5) / report_s * report_s ))
[ "$window" -gt 0 ] || { echo "seconds must be at least report_s + 5" >&2; exit 2; }
read -r w0 fwc0 rc0 x0 <<<"$(snapshot)"
sleep "$window"
read -r w1 fwc1 rc1 x1 <<<"$(snapshot)"
each=$(sessions_each)
held=$(sum_words "$each")
rss1=()
for i in "${!fw_pids[@]}"; do rss1[i]=$(rss_kib "${fw_pids[i]}"); done
errors_each=""
for i in "${!fw_pids[@]}"; do
  errors_each+="$(( $(metric "$i" 'fleetwatch_errors_total{kind="sink_full"}') + \
                   $(metric "$i" 'fleetwatch_errors_total{kind="sink_failed"}') + \
                   $(metric "$i" 'fleetwatch_errors_total{kind="ack_slots_full"}') + \
                   $(metric "$i" 'fleetwatch_errors_total{kind="accept_failed"}') + \
                   $(metric "$i" 'fleetwatch_errors_total{kind="max_connections"}') )) "
done
for pid in "${sim_pids[@]}"; do wait "$pid" || true; done
sim_pids=()
stop_servers
cat "$work"/sim-*.out | grep '^result ' >"$work/results" || true
[ "$(wc -l <"$work/results")" -eq "$servers" ] || { echo "a fleetwatch-sim gave no result"; tail -5 "$work"/sim-*.err; exit 1; }
# One line for all simulators: counters and rates summed, latency percentiles the worst.
result="result $(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); k[i] = kv[1]
                        v[i] = kv[1] ~ /^(p[0-9]+_us|max_us|window_s|elapsed_s)$/ ? (kv[2] > v[i] ? kv[2] : v[i]) : v[i] + kv[2] } }
                    END { for (i = 2; i <= NF; i++) printf "%s=%s ", k[i], v[i] }' "$work/results")"

echo "== per fleetwatch process (sessions held at the end of the window)"
printf '  %-4s %9s %12s %12s %10s %13s\n' proc sessions rss_start_KiB rss_loaded_KiB bytes/conn server_errors
read -ra sessions <<<"$each"
read -ra errs <<<"$errors_each"
for i in "${!rss0[@]}"; do
  awk -v i="$i" -v s="${sessions[i]}" -v r0="${rss0[i]}" -v r1="${rss1[i]}" -v e="${errs[i]}" \
    'BEGIN { printf "  %-4s %9d %12d %12d %10.0f %13d\n", "fw" i, s, r0, r1,
             s ? (r1 - r0) * 1024 / s : 0, e }'
done
echo "  store counters at exit: $(grep -h 'store: stored' "$work"/fw-*.log | sed -E 's/.*store: //' |
  awk '{for (i = 1; i < NF; i += 2) s[$i] += $(i + 1)} END {for (k in s) printf "%s %d ", k, s[k]}')"
echo "== simulators (summed; percentiles: the worst of the $servers): $result"

rss_sum0=$(IFS=+; echo $(( ${rss0[*]} )))
rss_sum1=$(IFS=+; echo $(( ${rss1[*]} )))
awk -v n="$terminals" -v held="$held" -v r="$report_s" -v w="$(awk -v a="$w0" -v b="$w1" 'BEGIN {print b - a}')" \
  -v x="$((x1 - x0))" -v fwc="$((fwc1 - fwc0))" -v rc="$((rc1 - rc0))" -v hz="$hz" \
  -v acks="$(field acks_per_s "$result")" -v p50="$(field p50_us "$result")" \
  -v p99="$(field p99_us "$result")" -v err="$(field errors "$result")" \
  -v serr="$(sum_words "$errors_each")" -v r0="$rss_sum0" -v r1="$rss_sum1" \
  -v sent="$(field sent_locations "$result")" -v acked="$(field acked_locations "$result")" 'BEGIN {
  printf "== %d of %d terminals held; %.0f positions/s stored (offered %.0f/s), %s acks/s at the terminals\n",
         held, n, x / w, n / r, acks
  printf "   ack p50 %.2f ms, p99 %.2f ms; errors: simulator %d, server %d; locations sent %d, acked %d\n",
         p50 / 1000, p99 / 1000, err, serr, sent, acked
  printf "   fleetwatch CPU %.0f%% of a core (all processes), Redis %.0f%%; RSS %.1f MiB in all, %.0f bytes per connection\n",
         100 * fwc / hz / w, 100 * rc / hz / w, r1 / 1024, held ? (r1 - r0) * 1024 / held : 0
  printf "summary: c100k_held %d connections\n", held
  printf "summary: c100k_stored_per_s %.0f positions/s\n", x / w
  printf "summary: c100k_offered_per_s %.0f positions/s\n", n / r
  printf "summary: c100k_ack_p99 %.2f ms\n", p99 / 1000
  printf "summary: c100k_errors %d errors\n", err + serr
  printf "summary: c100k_bytes_per_conn %.0f B\n", held ? (r1 - r0) * 1024 / held : 0
}'
