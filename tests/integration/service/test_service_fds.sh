#!/usr/bin/env bash
# An API slowloris cannot starve the gateway: `fleetwatch` (gateway and police API in one
# process, one open-file limit) under an open-file limit of 256. First the budget check: with a
# limit too small for max_connections + api_max_connections + the reserve it refuses to start
# and says why. Then 200 HTTP connections (far past api_max_connections) drip header bytes at
# the API while 60 terminals connect and report: every terminal gets in with no error and no
# accept failure, the connections past the cap are refused at once, the slowloris ones are
# closed at the header deadline, and the API answers a normal request.
# Usage: test_service_fds.sh path/to/fleetwatch path/to/fleetwatch-sim
source "$(dirname "$0")/../store/redis_test_lib.sh"
fleetwatch=$1 sim=$2
rt_start
terminals=60
rt_registry "$terminals" 145 S bus
port=$((RT_PORT + 1 > 65000 ? RT_PORT - 1 : RT_PORT + 1))
opts=(--listen="127.0.0.1:$port" --workers=2 --registry_path="$RT_DIR/registry.json"
  --redis_port="$RT_PORT" --spool_dir="$RT_DIR/spool" --max_connections=80
  --api_listen=127.0.0.1:0 --api_max_connections=30 --api_header_timeout_s=3)
fw= drip= sim_pid=
trap 'for p in $fw $sim_pid $drip; do kill -KILL "$p" 2>/dev/null || true; done; rt_cleanup' EXIT
trap '' PIPE # writes to the slowloris sockets the API closed fail instead of killing the test
log=$RT_DIR/fleetwatch.log
fail() {
  echo "FAIL: $*"
  echo "--- fleetwatch log (tail)"; tail -20 "$log"
  exit 1
}

# --- the budget: 80 + 30 + the reserve do not fit in 128 descriptors --------------------------
if prlimit --nofile=128 "$fleetwatch" "${opts[@]}" 2>"$log"; then
  fail "fleetwatch started with 128 open files for 80 terminals and 30 API connections"
fi
grep -q 'open-file limit (RLIMIT_NOFILE) 128 is below' "$log" || fail "no budget error"

# --- under 256 ---------------------------------------------------------------------------------
prlimit --nofile=256 "$fleetwatch" "${opts[@]}" 2>"$log" &
fw=$!
api_port=
for _ in $(seq 1 100); do
  api_port=$(sed -n 's/.*police API listening on port \([0-9]*\).*/\1/p' "$log")
  [ -n "$api_port" ] && break
  kill -0 "$fw" 2>/dev/null || fail "fleetwatch did not start under 256 open files"
  sleep 0.05
done
[ -n "$api_port" ] || fail "the API did not start"

# The slowloris: 200 connections, each sending a header byte every half second.
slow=()
for _ in $(seq 1 200); do
  if exec {fd}<>"/dev/tcp/127.0.0.1/$api_port"; then
    slow+=("$fd")
    printf 'GET /healthz HTTP/1.1\r\n' >&"$fd" 2>/dev/null || true
  fi
done 2>/dev/null
attack_start=$(date +%s%N)
(for _ in $(seq 1 60); do
  sleep 0.5
  for fd in "${slow[@]}"; do printf 'X' >&"$fd" 2>/dev/null || true; done
done) &
drip=$!

# Meanwhile the terminals connect and report ...
"$sim" -s "127.0.0.1:$port" --registry "$RT_DIR/registry.json" -n "$terminals" --progress 0 \
  --report-s 1 --compress 5 -d 3 >"$RT_DIR/sim.out" 2>&1 &
sim_pid=$!
# ... and a normal request is answered (at the latest once the header deadline has closed the
# slowloris connections holding the cap).
status=
for _ in $(seq 1 40); do
  status=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/healthz") &&
    [ "$status" = 200 ] && break
  sleep 0.2
done
[ "$status" = 200 ] || fail "the API did not answer during the attack ($status)"
answered_ms=$(( ($(date +%s%N) - attack_start) / 1000000 ))
kill -0 "$drip" 2>/dev/null || fail "the slowloris stopped before the API answered"
echo "API answered ${answered_ms} ms into the attack"
wait "$sim_pid" || fail "fleetwatch-sim exited with $?"
sim_pid=
result=$(grep '^result ' "$RT_DIR/sim.out")
grep -q " online=$terminals " <<<"$result" || fail "not every terminal got in: $result"
grep -q ' errors=0 ' <<<"$result" || fail "terminal errors under the slowloris: $result"

metrics=$(curl -s --max-time 5 "http://127.0.0.1:$api_port/metrics")
metric() { awk -v k="$1" '$1 == k {print $2}' <<<"$metrics"; }
[ "$(metric fleetwatch_api_connections_refused_total)" -ge 150 ] ||
  fail "refused: $(metric fleetwatch_api_connections_refused_total), expected >= 150"
[ "$(metric 'fleetwatch_api_connections_timed_out_total{phase="headers"}')" -ge 30 ] ||
  fail "slowloris connections closed at the deadline: expected >= 30"
accept_failed=$(metric 'fleetwatch_errors_total{kind="accept_failed"}')
[ "${accept_failed:-0}" = 0 ] || fail "the gateway failed $accept_failed accepts"
kill "$drip" 2>/dev/null || true
drip=
kill -TERM "$fw"
wait "$fw" || fail "fleetwatch exited with $?"
fw=
echo "PASS"
