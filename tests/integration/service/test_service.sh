#!/usr/bin/env bash
# The whole service end to end: a private redis-server, `fleetwatch` with the Redis sink, the
# rule engine on the demo geodata (tests/data/demo) and the police API, all from one config
# file; fleetwatch-sim plays the Lianyungang demo scenario, then (after a SIGHUP that reloads
# the registry and the geodata) the blind-area scenario. Checked in Redis and over HTTP:
# positions stored, speeding and forbidden-zone violations for the right vehicles, none for
# the clean one, a speeding found late in blind-area data, driver warnings received by the
# terminals, rule states saved periodically (while the terminals are connected) and at
# SIGTERM, a clean exit, a restart that continues from the saved states; then an overcrowded
# coach seen only through 0x1005 passenger flow, and rule states saved and vehicles marked
# offline when terminals disconnect.
# Usage: test_service.sh path/to/fleetwatch path/to/fleetwatch-sim
source "$(dirname "$0")/../store/redis_test_lib.sh"
fleetwatch=$1 sim=$2
data=$(cd "$(dirname "$0")/../../data" && pwd)
rt_start
port=$((RT_PORT + 1 > 65000 ? RT_PORT - 1 : RT_PORT + 1))
cp "$data/scenarios/lianyungang_demo.json" "$RT_DIR/registry.json"
cat >"$RT_DIR/fleetwatch.conf" <<CONF
listen = 127.0.0.1:$port
workers = 2
max_connections = 1000
registry_path = $RT_DIR/registry.json
redis_port = $RT_PORT
spool_dir = $RT_DIR/spool
load_item_id = 225
passenger_item_id = 226
rules_zones = $data/demo/zones.geojson
rules_routes = $data/demo/routes.geojson
rules_late_idle_ms = 500
rules_save_s = 2
api_listen = 127.0.0.1:0
api_token_file = $data/demo/api-tokens.txt
CONF
log=
fail() {
  echo "FAIL: $*"
  echo "--- fleetwatch log (tail)"; tail -30 "$log"
  exit 1
}
start_fleetwatch() { # log file; sets fw (pid) and api_port
  log=$1 api_port=
  "$fleetwatch" -c "$RT_DIR/fleetwatch.conf" 2>"$log" &
  fw=$!
  for _ in $(seq 1 100); do
    api_port=$(sed -n 's/.*police API listening on port \([0-9]*\).*/\1/p' "$log")
    [ -n "$api_port" ] && return 0
    kill -0 "$fw" 2>/dev/null || fail "fleetwatch did not start"
    sleep 0.05
  done
  fail "the API did not start"
}
stop_fleetwatch() {
  kill -TERM "$fw"
  wait "$fw" || fail "fleetwatch exited with $?"
  fw=
}
trap '[ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null; [ -n "${fw:-}" ] && kill "$fw" 2>/dev/null
      rt_cleanup' EXIT
start_fleetwatch "$RT_DIR/fleetwatch.log"

# GET path [token]: the HTTP response (status line, headers, body) over bash's /dev/tcp.
http_get() {
  local auth=
  [ -n "${2:-}" ] && auth="Authorization: Bearer $2"$'\r\n'
  exec 3<>"/dev/tcp/127.0.0.1/$api_port"
  printf 'GET %s HTTP/1.1\r\nHost: fleetwatch\r\n%sConnection: close\r\n\r\n' "$1" "$auth" >&3
  cat <&3
  exec 3<&-
}
police=demo-police-token-0001

play_start() { # scenario file, output name: plays in the background (sim_pid)
  "$sim" -s "127.0.0.1:$port" --scenario "$1" --compress 100 --progress 0 -v \
    >"$RT_DIR/$2.out" 2>&1 &
  sim_pid=$!
}
play_wait() { # output name
  wait "$sim_pid" || fail "fleetwatch-sim $1 exited with $?"
  sim_pid=
  grep -q ' errors=0 ' "$RT_DIR/$1.out" || fail "simulator errors: $(grep '^result' "$RT_DIR/$1.out")"
}
play() { play_start "$@" && play_wait "$2"; }
rcli() { redis-cli -p "$RT_PORT" "$@"; }

# Rule states are saved periodically (rules_save_s = 2), not only at disconnect: 13972200004's
# appears while the terminal is still reporting (its track grows after, and it never
# reconnected).
play_start "$data/scenarios/lianyungang_demo.json" demo
for _ in $(seq 1 50); do [ "$(rcli EXISTS fw:rstate:13972200004)" = 1 ] && break; sleep 0.1; done
[ "$(rcli EXISTS fw:rstate:13972200004)" = 1 ] || fail "rule states not saved periodically"
n=$(rcli XLEN fw:track:13972200004)
for _ in $(seq 1 50); do [ "$(rcli XLEN fw:track:13972200004)" -gt "$n" ] && break; sleep 0.1; done
[ "$(rcli XLEN fw:track:13972200004)" -gt "$n" ] ||
  fail "the rule state of 13972200004 appeared only once it had stopped reporting"
play_wait demo
grep -q ' reconnects=0 ' "$RT_DIR/demo.out" || fail "terminals reconnected during the demo"

# --- the demo scenario, in Redis --------------------------------------------------------------
for i in 1 2 3 4 5 6 7 8; do
  n=$(rcli XLEN "fw:track:1397220000$i")
  [ "$n" -gt 10 ] || fail "vehicle $i: $n positions stored"
done
violations_of() { # phone type: ids of that vehicle's violations of that type
  for id in $(rcli ZRANGE "fw:vio:by_vehicle:$1" 0 -1); do
    [ "$(rcli HGET "fw:vio:$id" type)" = "$2" ] && echo "$id"
  done
  return 0
}
[ -n "$(violations_of 13972200001 speeding)" ] || fail "no speeding for the tour coach 13972200001"
[ -n "$(violations_of 13972200004 forbidden_zone)" ] || fail "no forbidden_zone for 13972200004"
[ -n "$(violations_of 13972200008 forbidden_zone)" ] || fail "no forbidden_zone for 13972200008"
[ -z "$(violations_of 13972200001 forbidden_zone)" ] || fail "forbidden_zone for a tour coach"
[ "$(rcli ZCARD fw:vio:by_vehicle:13972200006)" = 0 ] || fail "the clean coach has violations"
[ "$(rcli ZCARD fw:vio:by_type:speeding)" = 1 ] || fail "speeding for other vehicles too"
grep -q '13972200001: text from the platform.*您已超速' "$RT_DIR/demo.out" ||
  fail "the speeding driver got no warning"
grep -q '13972200004: text from the platform.*禁行' "$RT_DIR/demo.out" ||
  fail "the forbidden-zone driver got no warning"


# --- the same through the police API ----------------------------------------------------------
out=$(http_get "/v1/violations?phone=13972200001&type=speeding" "$police")
grep -q '^HTTP/1.1 200' <<<"$out" || fail "API violations: $(head -1 <<<"$out")"
grep -q '"type":"speeding","severity":"minor"' <<<"$out" || fail "API speeding: $out"
out=$(http_get "/v1/violations?phone=13972200004" "$police")
grep -q '"type":"forbidden_zone".*"zone_id":"101"' <<<"$out" || fail "API forbidden zone: $out"
out=$(http_get "/v1/violations?phone=13972200006" "$police")
grep -q '"violations":\[\]' <<<"$out" || fail "API: the clean coach has violations: $out"
out=$(http_get "/v1/vehicles/13972200006" "$police")
grep -q '"plate":"苏G10006"' <<<"$out" || fail "API vehicle state: $out"
grep -q '^HTTP/1.1 401' <<<"$(http_get /v1/violations)" || fail "API without a token was not refused"
metrics=$(http_get /metrics)
grep -q '^fleetwatch_rules_points_total [1-9]' <<<"$metrics" ||
  fail "/metrics lacks the rule engine's counters"
grep -q '^fleetwatch_store_stored_total [1-9]' <<<"$metrics" &&
  grep -q '^fleetwatch_store_redis_connected 2$' <<<"$metrics" ||
  fail "/metrics lacks the store's counters (stored, both workers connected)"

# --- SIGHUP: another registry (the blind-area vehicles) and the geodata, then late data ------
cp "$data/scenarios/lianyungang_blind_area.json" "$RT_DIR/registry.json"
kill -HUP "$fw"
for _ in $(seq 1 100); do grep -q 'geodata reloaded' "$RT_DIR/fleetwatch.log" && break; sleep 0.05; done
grep -q 'geodata reloaded' "$RT_DIR/fleetwatch.log" || fail "SIGHUP did not reload the geodata"
play "$data/scenarios/lianyungang_blind_area.json" blind
sleep 1 # the late lane closes after rules_late_idle_ms
out=$(http_get "/v1/violations?phone=13972200201&type=speeding" "$police")
grep -q '"late":true' <<<"$out" || fail "no late speeding for 13972200201: $out"
[ "$(rcli ZCARD fw:vio:by_vehicle:13972200202)" = 0 ] || fail "the clean truck has violations"
[ "$(rcli ZCARD fw:track:13972200201:late)" -gt 0 ] || fail "no late positions stored"

# --- SIGTERM: states saved, clean exit; a restarted fleetwatch continues from them -----------
stop_fleetwatch
for phone in 13972200001 13972200004 13972200201; do
  [ "$(rcli EXISTS "fw:rstate:$phone")" = 1 ] || fail "no saved rule state for $phone"
done
grep -q 'store: stored [1-9][0-9]* .* failed 0 ' "$log" || fail "store counters at exit"
start_fleetwatch "$RT_DIR/fleetwatch2.log"
"$sim" -s "127.0.0.1:$port" --scenario "$data/scenarios/lianyungang_blind_area.json" -d 1 \
  --progress 0 >"$RT_DIR/restart.out" 2>&1 || fail "fleetwatch-sim after the restart"
grep -q '^fleetwatch_rules_states_loaded_total [1-9]' <<<"$(http_get /metrics)" ||
  fail "the restarted fleetwatch did not load the saved rule states"
stop_fleetwatch

# --- passengers from 0x1005 only, rule states saved at disconnect ------------------------------
# No passenger item in the rules: the overcrowded coach (60 on 53 seats) is seen only through
# the simulator's 0x1005 frames. The periodic save is out of the way: with 7200 entries saved
# every 3600 s it visits two entries a tick, so 5 s after the start the vehicles' entries (the
# first ones of each worker) are behind it.
total=$(rcli ZCARD fw:vio:by_time)
rcli FLUSHALL >/dev/null
sed -i -e '/^passenger_item_id = /d' -e 's|^rules_save_s = .*|rules_save_s = 3600|' \
  "$RT_DIR/fleetwatch.conf"
echo 'rules_vehicles = 7200' >>"$RT_DIR/fleetwatch.conf"
cp "$data/scenarios/lianyungang_demo.json" "$RT_DIR/registry.json"
start_fleetwatch "$RT_DIR/fleetwatch3.log"
sleep 5
play "$data/scenarios/lianyungang_demo.json" flow
[ -n "$(violations_of 13972200002 overload)" ] || fail "no overload from 0x1005 for 13972200002"
[ -z "$(violations_of 13972200006 overload)" ] || fail "overload for the clean coach"
for _ in $(seq 1 20); do [ "$(rcli EXISTS fw:rstate:13972200002)" = 1 ] && break; sleep 0.1; done
for phone in 13972200002 13972200004; do
  [ "$(rcli EXISTS "fw:rstate:$phone")" = 1 ] || fail "no rule state of $phone saved at disconnect"
  [ "$(rcli HGET "fw:veh:$phone" online)" = 0 ] || fail "$phone not marked offline at disconnect"
done
stop_fleetwatch
echo "ok: $((total + $(rcli ZCARD fw:vio:by_time))) violations, $(rcli DBSIZE) keys"
