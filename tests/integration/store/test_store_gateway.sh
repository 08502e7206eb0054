#!/usr/bin/env bash
# End to end through the real `fleetwatch` binary (--sink=redis, rules off: the gateway and the
# Redis sink) under fleetwatch-sim load, with Redis stopped and restarted in the middle;
# afterwards Redis holds at least as many positions as the simulator got acks for, none failed
# (the store counters fleetwatch logs at exit), and the spool is empty. fleetwatch's stderr says
# so as it happens: the lost connection and the spooling at warn, the failing reconnects at
# warn (rate-limited), the recovery at info with the replayed spool's records and bytes.
# Usage: test_store_gateway.sh path/to/fleetwatch path/to/fleetwatch-sim
source "$(dirname "$0")/redis_test_lib.sh"
fleetwatch=$1 sim=$2
rt_start
terminals=200
rt_registry "$terminals" 141 E bus
start_fleetwatch() {
  "$fleetwatch" --sink=redis --rules=0 --listen="127.0.0.1:$port" --workers=2 \
    --registry_path="$RT_DIR/registry.json" --log_level=info \
    --max_frame_rate=0 --max_connections=1000 --redis_port="$RT_PORT" \
    --spool_dir="$RT_DIR/spool" --node=e2e --reconnect_max_ms=300 2>"$RT_DIR/fleetwatch.log" &
  fw=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$fw" 2>/dev/null || return 1 # e.g. the port is taken: try another
    sleep 0.05
  done
  return 1
}
fw= simpid=
trap '[ -n "$simpid" ] && kill "$simpid" 2>/dev/null; [ -n "$fw" ] && kill "$fw" 2>/dev/null; rt_cleanup' EXIT
for _ in 1 2 3 4 5; do
  port=$(rt_random_port)
  start_fleetwatch && break
done
fleetwatch_failed() { echo "fleetwatch died: $1"; cat "$RT_DIR/fleetwatch.log" "$RT_DIR/sim.err"; exit 1; }
kill -0 "$fw" 2>/dev/null || fleetwatch_failed "at start"

"$sim" -s "127.0.0.1:$port" --registry "$RT_DIR/registry.json" -n "$terminals" --progress 0 \
  --report-s 0 -k 4 -d 6 >"$RT_DIR/sim.out" 2>"$RT_DIR/sim.err" &
simpid=$!
sleep 2.5
rt_stop
sleep 2
rt_restart
wait "$simpid"
simpid=
spool_bytes() { cat "$RT_DIR"/spool/spool-*.fws 2>/dev/null | wc -c; }
for _ in $(seq 1 200); do [ "$(spool_bytes)" -eq 0 ] && break; sleep 0.1; done # the replay
kill "$fw" 2>/dev/null || fleetwatch_failed "under load"
wait "$fw" || fleetwatch_failed "at stop"
fw=
result=$(grep '^result ' "$RT_DIR/sim.out")
acked=$(grep -o ' acked_locations=[0-9]*' <<<"$result" | cut -d= -f2)
acked=${acked:-$(grep -o ' acks=[0-9]*' <<<"$result" | cut -d= -f2)}
store=$(grep ' store: stored ' "$RT_DIR/fleetwatch.log")
echo "sim: $result"
echo "fleetwatch: $store"
stored=0
for i in $(seq 0 $((terminals - 1))); do
  phone=$(printf '141%08d' "$i")
  n=$(redis-cli -p "$RT_PORT" EVAL "return redis.call('XLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2])" \
      2 "fw:track:$phone" "fw:track:$phone:late")
  stored=$((stored + n))
done
spool=$(spool_bytes)
echo "acked $acked, positions in Redis $stored, spool bytes left $spool"
[ "${acked:-0}" -gt 1000 ] || { echo "too few acks"; cat "$RT_DIR/sim.err" "$RT_DIR/fleetwatch.log"; exit 1; }
grep -Eq 'spooled [1-9]' <<<"$store" || { echo "the outage did not reach the spool"; exit 1; }
grep -q 'failed 0 ' <<<"$store" || { echo "failed stores"; exit 1; }
[ "$stored" -ge "$acked" ] || { echo "acked positions missing from Redis"; exit 1; }
[ "$spool" -eq 0 ] || { echo "spool not drained"; exit 1; }
log_has() { grep -Eq "$1" "$RT_DIR/fleetwatch.log" || { echo "not logged: $1"; cat "$RT_DIR/fleetwatch.log"; exit 1; }; }
log_has "Z warn  store worker [01]: Redis 127.0.0.1:$RT_PORT connection lost; unconfirmed records go to the spool"
log_has "Z warn  store worker [01]: spooling to $RT_DIR/spool: Redis is (not connected|behind)"
log_has "Z warn  store: Redis 127.0.0.1:$RT_PORT unreachable: "
log_has "Z info  store worker [01]: Redis 127.0.0.1:$RT_PORT ready, spool: [1-9][0-9]* bytes to replay"
log_has "Z info  store worker [01]: Redis has caught up: spool of [1-9][0-9]* records \\([1-9][0-9]* bytes\\) replayed"
grep -Eq 'redis_lost 2 ' <<<"$store" || { echo "redis_lost not counted"; exit 1; }
