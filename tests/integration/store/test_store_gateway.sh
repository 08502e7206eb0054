#!/usr/bin/env bash
# End to end through the real gateway: fw-store-gateway (fw_server + the Redis sink) under
# fleetwatch-sim load, with Redis stopped and restarted in the middle; afterwards Redis holds
# at least as many positions as the simulator got acks for, none failed, and the spool is empty.
# Usage: test_store_gateway.sh path/to/fw-store-gateway path/to/fleetwatch-sim
source "$(dirname "$0")/redis_test_lib.sh"
gateway=$1 sim=$2
rt_start
terminals=200
awk -v n="$terminals" 'BEGIN { printf "{\"vehicles\":[\n";
  for (i = 0; i < n; i++)
    printf "{\"phone\":\"141%08d\",\"plate\":\"E%06d\",\"class\":\"bus\"}%s\n", i, i, i + 1 < n ? "," : "";
  print "]}" }' >"$RT_DIR/registry.json"
start_gateway() {
  "$gateway" --listen="127.0.0.1:$port" --workers=2 --registry_path="$RT_DIR/registry.json" \
    --auth_secret=e2e --log_level=warn --max_frame_rate=0 --max_connections=1000 \
    --store.redis_port="$RT_PORT" --store.spool_dir="$RT_DIR/spool" --store.node=e2e \
    --store.reconnect_max_ms=300 >"$RT_DIR/gateway.out" 2>"$RT_DIR/gateway.err" &
  gw=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$gw" 2>/dev/null || return 1 # e.g. the port is taken: try another
    sleep 0.05
  done
  return 1
}
gw= simpid=
trap '[ -n "$simpid" ] && kill "$simpid" 2>/dev/null; [ -n "$gw" ] && kill "$gw" 2>/dev/null; rt_cleanup' EXIT
for _ in 1 2 3 4 5; do
  port=$(rt_random_port)
  start_gateway && break
done
gateway_failed() { echo "gateway died: $1"; cat "$RT_DIR/gateway.err" "$RT_DIR/sim.err"; exit 1; }
kill -0 "$gw" 2>/dev/null || gateway_failed "at start"

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
kill "$gw" 2>/dev/null || gateway_failed "under load"
wait "$gw" || gateway_failed "at stop"
gw=
result=$(grep '^result ' "$RT_DIR/sim.out")
acked=$(grep -o ' acked_locations=[0-9]*' <<<"$result" | cut -d= -f2)
acked=${acked:-$(grep -o ' acks=[0-9]*' <<<"$result" | cut -d= -f2)}
store=$(cat "$RT_DIR/gateway.out")
echo "sim: $result"
echo "gateway: $store"
stored=0
for i in $(seq 0 $((terminals - 1))); do
  phone=$(printf '141%08d' "$i")
  n=$(redis-cli -p "$RT_PORT" EVAL "return redis.call('XLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2])" \
      2 "fw:track:$phone" "fw:track:$phone:late")
  stored=$((stored + n))
done
spool=$(spool_bytes)
echo "acked $acked, positions in Redis $stored, spool bytes left $spool"
[ "${acked:-0}" -gt 1000 ] || { echo "too few acks"; cat "$RT_DIR/sim.err" "$RT_DIR/gateway.err"; exit 1; }
grep -Eq 'spooled [1-9]' <<<"$store" || { echo "the outage did not reach the spool"; exit 1; }
grep -q 'failed 0 ' <<<"$store" || { echo "failed stores"; exit 1; }
[ "$stored" -ge "$acked" ] || { echo "acked positions missing from Redis"; exit 1; }
[ "$spool" -eq 0 ] || { echo "spool not drained"; exit 1; }
