#!/usr/bin/env bash
# A graceful stop (SIGTERM) of the real `fleetwatch` (--sink=redis, rules on) while 2,000
# terminals are connected and reporting: what the stop writes last - every vehicle's rule state
# (fw:rstate:<phone>) and offline mark (fw:veh:<phone> online 0) - must reach Redis before the
# process exits, not wait in the spool for this node's next start (where a vehicle that moved to
# another node would miss its fatigue clock). Checked: the exit log's store counters (spooled
# 0, failed 0), empty spool files, and every vehicle's keys in Redis.
# Usage: test_store_stop.sh path/to/fleetwatch path/to/fleetwatch-sim
source "$(dirname "$0")/redis_test_lib.sh"
fleetwatch=$1 sim=$2
rt_start
terminals=2000
rt_registry "$terminals" 143 S dangerous_goods
fw= simpid=
trap '[ -n "$simpid" ] && kill "$simpid" 2>/dev/null; [ -n "$fw" ] && kill "$fw" 2>/dev/null; rt_cleanup' EXIT
fail() { echo "FAIL: $*"; tail -20 "$RT_DIR/fleetwatch.log"; exit 1; }
for _ in 1 2 3 4 5; do
  port=$(rt_random_port)
  "$fleetwatch" --sink=redis --rules=1 --listen="127.0.0.1:$port" --workers=2 \
    --registry_path="$RT_DIR/registry.json" --log_level=info \
    --max_frame_rate=0 --max_connections=5000 --redis_port="$RT_PORT" \
    --spool_dir="$RT_DIR/spool" --node=stop 2>"$RT_DIR/fleetwatch.log" &
  fw=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$fw" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$fw" 2>/dev/null && break # else the port was taken: try another
done
kill -0 "$fw" 2>/dev/null || fail "fleetwatch did not start"

"$sim" -s "127.0.0.1:$port" --registry "$RT_DIR/registry.json" -n "$terminals" --progress 0 \
  --report-s 1 -d 30 >"$RT_DIR/sim.out" 2>"$RT_DIR/sim.err" &
simpid=$!
for _ in $(seq 1 200); do # every terminal online and reporting
  [ "$(redis-cli -p "$RT_PORT" --raw EVAL "return #redis.call('KEYS', 'fw:veh:*')" 0)" = "$terminals" ] && break
  sleep 0.05
done
sleep 1

kill -TERM "$fw"
wait "$fw" || fail "fleetwatch exited with $?"
fw=
counters=$(grep 'store: stored' "$RT_DIR/fleetwatch.log" | tail -1)
echo "exit: $counters"
grep -q ' spooled 0 ' <<<"$counters" || fail "records went to the spool at the stop"
grep -q ' failed 0 ' <<<"$counters" || fail "records failed at the stop"
for f in "$RT_DIR"/spool/*.fws; do [ ! -s "$f" ] || fail "spool $f is not empty"; done
states=$(redis-cli -p "$RT_PORT" --raw EVAL "return #redis.call('KEYS', 'fw:rstate:*')" 0)
offline=$(redis-cli -p "$RT_PORT" --raw EVAL "local n = 0
  for _, k in ipairs(redis.call('KEYS', 'fw:veh:*')) do
    if redis.call('HGET', k, 'online') == '0' then n = n + 1 end
  end return n" 0)
echo "rule states $states, offline marks $offline of $terminals vehicles"
[ "$states" = "$terminals" ] || fail "$states rule states in Redis, expected $terminals"
[ "$offline" = "$terminals" ] || fail "$offline vehicles marked offline, expected $terminals"
echo "PASS"
