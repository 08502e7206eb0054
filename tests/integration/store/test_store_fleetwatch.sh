#!/usr/bin/env bash
# Through the real `fleetwatch` binary (--sink=redis, rules on): fleetwatch-sim load, Redis
# stopped (fleetwatch spools), fleetwatch killed with SIGKILL under that load, Redis and
# fleetwatch started again (the spool is replayed at start, the simulator reconnects). Every
# location the simulator got an ack for is in Redis, by identity: the simulator logs each acked
# (phone, GNSS ms) (--ack-log) and scripts/check_acked.sh looks each one up in fw:track:<phone>
# and its late set; it fails on a single lost or duplicated position.
# Usage: test_store_fleetwatch.sh path/to/fleetwatch path/to/fleetwatch-sim
source "$(dirname "$0")/redis_test_lib.sh"
fleetwatch=$1 sim=$2
check_acked=$(dirname "$0")/../../../scripts/check_acked.sh
rt_start
terminals=200
rt_registry "$terminals" 143 K bus

fw= simpid=
trap '[ -n "$simpid" ] && kill "$simpid" 2>/dev/null; [ -n "$fw" ] && kill "$fw" 2>/dev/null; rt_cleanup' EXIT
start_fleetwatch() {
  "$fleetwatch" --sink=redis --listen="127.0.0.1:$port" --workers=2 \
    --registry_path="$RT_DIR/registry.json" --log_level=warn \
    --max_frame_rate=0 --redis_port="$RT_PORT" --spool_dir="$RT_DIR/spool" \
    --reconnect_max_ms=300 --future_tolerance_s=3600 >>"$RT_DIR/fleetwatch.log" 2>&1 &
  fw=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$fw" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
for _ in 1 2 3 4 5; do
  port=$(rt_random_port)
  start_fleetwatch && break
done
kill -0 "$fw" 2>/dev/null || { echo "fleetwatch did not start"; cat "$RT_DIR/fleetwatch.log"; exit 1; }

# A report per GNSS second at 50x: 50 a second per terminal, GNSS seconds unique per phone.
# The simulated clock runs ahead of the real one (about 7 minutes in 8 s), hence the
# future_tolerance_s above: here those are the vehicles' real positions.
"$sim" -s "127.0.0.1:$port" --registry "$RT_DIR/registry.json" -n "$terminals" --progress 0 \
  --report-s 1 --compress 50 -k 4 -d 8 --ack-log "$RT_DIR/acked.log" \
  >"$RT_DIR/sim.out" 2>"$RT_DIR/sim.err" &
simpid=$!
sleep 2
rt_stop
sleep 1.5
kill -KILL "$fw"; wait "$fw" 2>/dev/null || true
spool_bytes() { cat "$RT_DIR"/spool/spool-*.fws 2>/dev/null | wc -c; }
echo "fleetwatch killed while spooling: $(spool_bytes) spool bytes"
[ "$(spool_bytes)" -gt 0 ] || { echo "nothing was spooled"; cat "$RT_DIR/fleetwatch.log"; exit 1; }
rt_restart
start_fleetwatch || { echo "fleetwatch did not restart"; cat "$RT_DIR/fleetwatch.log"; exit 1; }
wait "$simpid"
simpid=
for _ in $(seq 1 200); do [ "$(spool_bytes)" -eq 0 ] && break; sleep 0.1; done
kill "$fw"; wait "$fw" || { echo "fleetwatch failed at stop"; cat "$RT_DIR/fleetwatch.log"; exit 1; }
fw=

result=$(grep '^result ' "$RT_DIR/sim.out")
acked=$(grep -o ' acked_locations=[0-9]*' <<<"$result" | cut -d= -f2)
nacked=$(grep -o ' err_nack=[0-9]*' <<<"$result" | cut -d= -f2)
echo "sim: $result"
echo "spool bytes left $(spool_bytes)"
[ "${acked:-0}" -gt 1000 ] || { echo "too few acks"; cat "$RT_DIR/sim.err"; exit 1; }
[ "$(wc -l <"$RT_DIR/acked.log")" -eq $((acked - nacked)) ] || { echo "the ack log misses acks"; exit 1; }
[ "$(spool_bytes)" -eq 0 ] || { echo "spool not drained"; exit 1; }
"$check_acked" -p "$RT_PORT" "$RT_DIR/acked.log" || { echo "acked positions lost or duplicated"; exit 1; }
