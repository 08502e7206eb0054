#!/usr/bin/env bash
# Reliability run against the real binaries (Release build), the numbers behind
# docs/reliability.md:
#
#   1. bad clients: a `fleetwatch` with small limits gets garbage, an oversized frame, an HTTP
#      request, a silent connection, an idle terminal, a terminal that never reads its replies,
#      more connections than max_connections and a burst over max_frame_rate (bash /dev/tcp);
#      for each, what the server did and the /metrics counter that moved.
#   2. under load: `fleetwatch` (Redis sink, rules on, demo geodata) with TERMINALS
#      fleetwatch-sim terminals reporting every second, a private redis-server (AOF on):
#      Redis stopped for 10 s and started again, fleetwatch SIGKILLed with Redis up and
#      restarted, Redis stopped again, fleetwatch SIGKILLed while spooling, both restarted.
#      The simulator logs every (phone, GNSS ms) it got an ack for (--ack-log) and
#      scripts/check_acked.sh looks each one up in Redis: acked, stored, lost (acked, not in
#      Redis), duplicates (a position stored twice), by identity.
#   3. the store's own exact checks (tests/integration/store/test_store_outage.sh and
#      test_store_sigkill.sh): every position the sink acked, listed by id, looked up in Redis.
#
# Usage: scripts/reliability.sh [terminals=2000]
# Env:   BUILD_DIR (build-reliability)
set -euo pipefail
trap '' PIPE # writes to a connection the server closed fail with EPIPE instead of killing us
source "$(dirname "$0")/lib/common.sh"
terminals=${1:-2000}
build=${BUILD_DIR:-$fw_root/build-reliability}
demo=$fw_root/tests/data/demo
store_tests=$fw_root/tests/integration/store
cmake -S "$fw_root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFW_SANITIZE=OFF >/dev/null
cmake --build "$build" -j 2 --target fleetwatch fleetwatch-sim fw-store-load \
  -- --no-print-directory >/dev/null
fleetwatch=$build/fleetwatch
sim=$build/fleetwatch-sim

source "$store_tests/redis_test_lib.sh" # rt_start / rt_stop / rt_restart: Redis with AOF
rt_start
fw= simpid=
cleanup() {
  [ -n "$simpid" ] && kill "$simpid" 2>/dev/null
  [ -n "$fw" ] && kill "$fw" 2>/dev/null
  for pid in $simpid $fw; do wait "$pid" 2>/dev/null || true; done
  rt_cleanup
}
trap cleanup EXIT
"$sim" -n "$terminals" --print-registry >"$RT_DIR/registry.json"
PHONE=013800000000 # the first terminal of that registry, as 12 BCD digits

# jt_frame_hex MSGID PHONE12 SERIAL: a 2013-header frame with an empty body, escaped, as hex
jt_frame_hex() {
  local raw cs=0 i out=7e
  raw=$(printf '%s0000%s%04x' "$1" "$2" "$3")
  for ((i = 0; i < ${#raw}; i += 2)); do cs=$((cs ^ 16#${raw:i:2})); done
  raw+=$(printf '%02x' "$cs")
  for ((i = 0; i < ${#raw}; i += 2)); do
    case ${raw:i:2} in 7e) out+=7d02 ;; 7d) out+=7d01 ;; *) out+=${raw:i:2} ;; esac
  done
  echo "${out}7e"
}
heartbeats() { # heartbeats N FILE: N heartbeat frames (one serial: they are answered alike)
  head -n "$1" < <(yes "$(jt_frame_hex 0002 "$PHONE" 1)" 2>/dev/null) | xxd -r -p >"$2"
}

# start_fleetwatch PORT OPTS...: sets fw; returns 1 when it exits or never listens
start_fleetwatch() {
  local port=$1; shift
  "$fleetwatch" --listen="127.0.0.1:$port" --registry_path="$RT_DIR/registry.json" \
    --redis_port="$RT_PORT" "$@" >>"$RT_DIR/fleetwatch.log" 2>&1 &
  fw=$!
  for _ in $(seq 1 300); do
    kill -0 "$fw" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
stop_fleetwatch() { kill "$fw" 2>/dev/null; wait "$fw" 2>/dev/null || true; fw=; }

# ---- 1. bad clients ----------------------------------------------------------------------
metric() { # metric NAME: the probe server's counter
  curl -s --max-time 5 "http://127.0.0.1:$api_port/metrics" |
    awk -v m="$1" '$1 == m {print $2; found = 1} END {if (!found) print 0}'
}
closed() { metric "fleetwatch_connections_closed_total{reason=\"$1\"}"; }
errors() { metric "fleetwatch_errors_total{kind=\"$1\"}"; }
# seconds_until_closed FD: waits (up to 15 s) for the server to close the connection
seconds_until_closed() {
  local t0; t0=$(date +%s%N)
  timeout 15 cat <&"$1" >/dev/null 2>&1 || true
  awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'
}
report() { printf '  %-16s %s\n' "$1" "${*:2}"; }

probe_server() { # probe_server OPTS...: a fleetwatch (null sink, 1 worker) with its API
  api_port=$(fw_free_port)
  for _ in 1 2 3 4 5; do
    port=$(fw_free_port)
    start_fleetwatch "$port" --sink=null --workers=1 --rules=0 --log_level=warn \
      --max_connections=1000 --api_listen="127.0.0.1:$api_port" "$@" && return 0
  done
  echo "fleetwatch did not start"; cat "$RT_DIR/fleetwatch.log"; exit 1
}

bad_clients() {
  echo "== 1. bad clients (fleetwatch --idle_timeout_s=3 --first_frame_timeout_s=2" \
       "--max_bad_frames=8 --max_connections=8 --output_cap_bytes=1024 --sndbuf_bytes=4096)"
  probe_server --idle_timeout_s=3 --first_frame_timeout_s=2 --max_bad_frames=8 \
    --max_connections=8 --output_cap_bytes=1024 --sndbuf_bytes=4096 --max_frame_rate=0
  local fds=() i
  for i in $(seq 1 10); do exec {fd}<>"/dev/tcp/127.0.0.1/$port"; fds+=("$fd"); done
  sleep 0.5
  report "connections" "10 opened, limit 8: max_connections refusals $(errors max_connections)"
  for fd in "${fds[@]}"; do exec {fd}>&-; done
  sleep 0.5

  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  head -c 65536 /dev/urandom >&"$fd" 2>/dev/null || true # the server may close first
  report "garbage" "64 KiB random: closed after $(seconds_until_closed "$fd") s;" \
    "garbage_bytes $(errors garbage_bytes), closed bad_frames $(closed bad_frames)"
  exec {fd}>&-

  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  { printf '\x7e'; head -c 102400 /dev/zero | tr '\0' '\021'; } >&"$fd" 2>/dev/null || true
  heartbeats 1 "$RT_DIR/hb1"
  cat "$RT_DIR/hb1" >&"$fd" 2>/dev/null || true
  local ack; ack=$(timeout 3 head -c 64 <&"$fd" | xxd -p | tr -d '\n' | grep -o '7e8001[0-9a-f]*7e' || true)
  [ -n "$ack" ] && ack="answered (0x8001 $ack)" || ack="NOT answered"
  report "oversized" "100 KiB without an end flag, then a heartbeat: heartbeat $ack;" \
    "oversize $(errors oversize), closed bad_frames $(closed bad_frames)"
  exec {fd}>&-

  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd" 2>/dev/null || true
  report "http" "GET on the terminal port: closed after $(seconds_until_closed "$fd") s; closed http $(closed http)"
  exec {fd}>&-

  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  report "silent" "connects, sends nothing: closed after $(seconds_until_closed "$fd") s; closed no_valid_frame $(closed no_valid_frame)"
  exec {fd}>&-

  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  cat "$RT_DIR/hb1" >&"$fd" 2>/dev/null || true
  report "idle" "one heartbeat, then silence: closed after $(seconds_until_closed "$fd") s; closed idle $(closed idle)"
  exec {fd}>&-

  heartbeats 100000 "$RT_DIR/hb100k"
  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  cat "$RT_DIR/hb100k" >&"$fd" 2>/dev/null || true # mostly lands in the socket buffers
  local t0; t0=$(date +%s%N)
  for _ in $(seq 1 150); do [ "$(closed output_backlog)" -ge 1 ] && break; sleep 0.1; done
  local took; took=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  report "slow reader" "100,000 heartbeats (1.5 MB) sent, replies never read: cut after $took s;" \
    "closed output_backlog $(closed output_backlog); heartbeats read $(metric 'fleetwatch_frames_total{msg_id="0x0002"}')"
  exec {fd}>&-
  stop_fleetwatch

  probe_server --max_frame_rate=100
  heartbeats 300 "$RT_DIR/hb300"
  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  cat "$RT_DIR/hb300" >&"$fd" 2>/dev/null || true
  sleep 1
  local after1; after1=$(metric 'fleetwatch_frames_total{msg_id="0x0002"}')
  sleep 3
  report "frame rate" "300 heartbeats at once, --max_frame_rate=100: $after1 read after 1 s," \
    "$(metric 'fleetwatch_frames_total{msg_id="0x0002"}') after 4 s; rate_limited $(errors rate_limited); connection open: $(closed_state "$fd")"
  exec {fd}>&-
  stop_fleetwatch
}
closed_state() { (timeout 0.2 cat <&"$1" >/dev/null 2>&1) && echo no || echo yes; }

# ---- 2. Redis restart and SIGKILL under load -----------------------------------------------
load_fleetwatch() {
  start_fleetwatch "$port" --sink=redis --workers=2 --rules=1 --log_level=info \
    --rules_zones="$demo/zones.geojson" --rules_routes="$demo/routes.geojson" \
    --spool_dir="$RT_DIR/spool" --reconnect_max_ms=300 --max_connections=19500
}
spool_bytes() { cat "$RT_DIR"/spool/spool-*.fws 2>/dev/null | wc -c; }
at() { sleep "$(awk -v t="$1" -v t0="$load_t0" -v now="$(date +%s.%N)" 'BEGIN { d = t0 + t - now; print (d > 0 ? d : 0) }')"; }
say() { echo "  t=$1s $2"; }

under_load() {
  echo "== 2. under load: $terminals terminals, one 0x0200 per second each, fleetwatch" \
       "(Redis sink, rules on), redis-server with AOF"
  for _ in 1 2 3 4 5; do port=$(fw_free_port); load_fleetwatch && break; done
  "$sim" -s "127.0.0.1:$port" --registry "$RT_DIR/registry.json" -n "$terminals" --report-s 1 \
    -d 60 --ack-timeout 30 --progress 0 --ack-log "$RT_DIR/acked.log" \
    >"$RT_DIR/sim.out" 2>"$RT_DIR/sim.err" &
  simpid=$!
  load_t0=$(date +%s.%N)
  at 10; rt_stop; say 10 "Redis stopped"
  at 20; rt_restart; say 20 "Redis started again (spool bytes $(spool_bytes))"
  at 30; kill -KILL "$fw"; wait "$fw" 2>/dev/null || true; say 30 "fleetwatch SIGKILLed (Redis up)"
  load_fleetwatch; say 30 "fleetwatch restarted"
  at 40; rt_stop; say 40 "Redis stopped"
  at 44; say 44 "spool bytes $(spool_bytes)"; kill -KILL "$fw"; wait "$fw" 2>/dev/null || true
  say 44 "fleetwatch SIGKILLed while spooling"
  at 46; rt_restart; load_fleetwatch; say 46 "Redis and fleetwatch started again"
  wait "$simpid" || true
  simpid=
  for _ in $(seq 1 300); do [ "$(spool_bytes)" -eq 0 ] && break; sleep 0.1; done
  stop_fleetwatch
  local result sent acked check
  result=$(grep '^result ' "$RT_DIR/sim.out")
  sent=$(grep -o ' points=[0-9]*' <<<"$result" | cut -d= -f2)
  acked=$(wc -l <"$RT_DIR/acked.log")
  echo "  simulator: $result"
  echo "  store counters: $(grep -h 'store: stored' "$RT_DIR/fleetwatch.log" | sed -E 's/.*store: //' | tail -1) (last run)"
  echo "  positions sent $sent, acked $acked (lines of the ack log), spool bytes left $(spool_bytes)"
  echo "  scripts/check_acked.sh, every acked (phone, GNSS ms) looked up in Redis:"
  check=$("$fw_root/scripts/check_acked.sh" -p "$RT_PORT" "$RT_DIR/acked.log") || true
  sed 's/^/    /' <<<"$check"
  awk '$1 ~ /^(acked|stored|lost|duplicates)$/ { printf "summary: rel_%s %d positions\n", $1, $2 }' <<<"$check"
}

# ---- 3. the store's exact checks -----------------------------------------------------------
exact_checks() {
  echo "== 3. the Redis sink alone, every acked position checked by id (fw-store-load)"
  local t
  for t in test_store_outage test_store_sigkill; do
    echo "  -- $t.sh"
    bash "$store_tests/$t.sh" "$build/fw-store-load" 2>&1 | sed 's/^/     /'
  done
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')"
bad_clients
under_load
exact_checks
