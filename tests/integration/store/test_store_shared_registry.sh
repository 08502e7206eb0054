#!/usr/bin/env bash
# The registry and geodata shared through Redis by two `fleetwatch` nodes: the registry and
# one forbidden zone are loaded with scripts/fw-load-registry, two nodes (own ports, same
# Redis) start with registry_source=redis and geodata_source=redis; the same dangerous-goods
# terminals authenticate on both and each node detects their forbidden-zone violations. A
# vehicle not yet registered is refused; then the loader adds it and a second zone, and both
# nodes pick the change up without a restart (the vehicle authenticates and its violation in
# the new zone is detected on each). A bad registry published in between is refused by both
# nodes (logged, counted on /metrics) and the previous one stays in force. Both exit 0.
# Usage: test_store_shared_registry.sh path/to/fleetwatch path/to/fleetwatch-sim
source "$(dirname "$0")/redis_test_lib.sh"
fleetwatch=$1 sim=$2
loader=$(cd "$(dirname "$0")/../../../scripts" && pwd)/fw-load-registry
rt_start
d=$RT_DIR
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rt_cleanup' EXIT
fail() {
  echo "FAIL: $*"
  for n in 1 2; do echo "--- node$n log (tail)"; tail -20 "$d/node$n.log"; done
  exit 1
}

# --- data: phones 1397229000x, zone 101 (Haizhou centre), later zone 102 and vehicle 3 -------
vehicle() { # n: registry entry of dangerous-goods vehicle n, bound to the terminal the simulator
  # plays for it (plate colour 2, terminal id the last 7 digits of the phone)
  printf '{"phone": "1397229000%s", "plate": "苏G9000%s", "plate_color": 2, "terminal_id": "229000%s",
    "class": "dangerous_goods"}' "$1" "$1" "$1"
}
echo "{\"vehicles\": [$(vehicle 1), $(vehicle 2)]}" >"$d/registry1.json"
echo "{\"vehicles\": [$(vehicle 1), $(vehicle 2), $(vehicle 3)]}" >"$d/registry2.json"
echo '{"vehicles": [{"phone": "13972290001", "plate": "x", "class": "spaceship"}]}' >"$d/bad.json"
zone() { # id west east south north
  printf '{"type": "Feature", "properties": {"id": %s, "kind": "forbidden", "classes": ["dangerous_goods"]},
   "geometry": {"type": "Polygon", "coordinates": [[[%s, %s], [%s, %s], [%s, %s], [%s, %s], [%s, %s]]]}}' \
    "$1" "$2" "$4" "$3" "$4" "$3" "$5" "$2" "$5" "$2" "$4"
}
echo "{\"type\": \"FeatureCollection\", \"features\": [$(zone 101 119.170 119.200 34.590 34.610)]}" >"$d/zones1.json"
echo "{\"type\": \"FeatureCollection\", \"features\": [$(zone 102 119.300 119.330 34.640 34.660)]}" >"$d/zones2.json"
# Scenario: the vehicles park east of a zone, sit inside it from 10 s to 100 s (the episode opens
# after 30 s and closes 30 s after leaving), 200 scenario seconds at 40x. Each run starts 300 s
# of GNSS time after the previous one (from an hour ago), so that a vehicle's points are newer
# than the rule state the other node saved.
echo 0 >"$d/runs"
scenario_start() { # China time (UTC+8) of the next run (counted in a file: plays run in $(...))
  local run=$(($(cat "$d/runs") + 1))
  echo "$run" >"$d/runs"
  date -u -d "@$(($(date +%s) - 3600 + run * 300 + 8 * 3600))" +%Y-%m-%dT%H:%M:%S
}
scenario() { # file lon lat phone-digits...
  local file=$1 lon=$2 lat=$3 sep= n
  shift 3
  { printf '{"time_compression": 40, "report_s": 5, "duration_s": 200, "start": "%s", "vehicles": [' \
      "$(scenario_start)"
    for n in "$@"; do
      printf '%s{"phone": "1397229000%s", "plate": "苏G9000%s", "speed_kmh": 20,
        "path": [[%s, %s], [%s, %s]],
        "events": [{"type": "enter_zone", "at_s": 10, "until_s": 100, "lon": %s, "lat": %s,
                    "speed_kmh": 10}]}' "$sep" "$n" "$n" "$(echo "$lon + 0.04" | bc)" "$lat" \
        "$(echo "$lon + 0.041" | bc)" "$lat" "$lon" "$lat"
      sep=,
    done
    printf ']}\n'; } >"$file"
}

load() { "$loader" -p "$RT_PORT" "$@" >>"$d/loader.out" || fail "fw-load-registry $*"; }
load --registry "$d/registry1.json" --geojson "$d/zones1.json"

# --- two nodes ---------------------------------------------------------------------------------
# Vehicle 3 is refused a few times before the loader adds it (past auth_fail_limit_phone);
# the reload that makes it known forgets those failures, so it registers at once.
port=() api=()
start_node() { # n
  local n=$1 log=$d/node$1.log p
  for _ in 1 2 3 4 5; do
    p=$(rt_random_port)
    "$fleetwatch" --listen="127.0.0.1:$p" --workers=2 --node="node$n" \
      --registry_source=redis --geodata_source=redis --redis_port="$RT_PORT" \
      --spool_dir="$d/spool$n" --api_listen=127.0.0.1:0 --max_connections=1000 --log_level=info \
      2>"$log" &
    pids[n]=$!
    for _ in $(seq 1 200); do # ready once subscribed: the first reload from Redis is logged
      if grep -q 'registry reloaded' "$log"; then
        port[n]=$p api[n]=$(sed -n 's/.*police API listening on port \([0-9]*\).*/\1/p' "$log")
        return 0
      fi
      kill -0 "${pids[n]}" 2>/dev/null || break # e.g. the port is taken: try another
      sleep 0.05
    done
  done
  fail "node$n did not start"
}
start_node 1
start_node 2

play() { # node zone out: the result line of fleetwatch-sim against that node (vehicles 1 and 2
  # into zone 101, or vehicle 3 into zone 102)
  case $2 in
    101) scenario "$d/$3.json" 119.185 34.600 1 2 ;;
    102) scenario "$d/$3.json" 119.315 34.650 3 ;;
  esac
  "$sim" -s "127.0.0.1:${port[$1]}" --scenario "$d/$3.json" --progress 0 >"$d/$3.out" 2>&1 ||
    fail "fleetwatch-sim $3 exited with $?"
  grep '^result ' "$d/$3.out"
}
field() { grep -o " $1=[0-9]*" <<<"$2" | cut -d= -f2; }
opened() { # node phone: forbidden-zone violations that node opened for the phone
  grep -c "violation $2-forbidden_zone-[0-9TZ]* opened" "$d/node$1.log" || true
}
metric() { # node name{labels}: value on /metrics
  exec 3<>"/dev/tcp/127.0.0.1/${api[$1]}"
  printf 'GET /metrics HTTP/1.1\r\nHost: fleetwatch\r\nConnection: close\r\n\r\n' >&3
  grep -F "$2 " <&3 | awk '{ print $2 }'
  exec 3<&-
}
wait_log() { # node pattern count: until the node's log has count lines matching pattern
  for _ in $(seq 1 200); do
    [ "$(grep -c "$2" "$d/node$1.log")" -ge "$3" ] && return 0
    sleep 0.05
  done
  fail "node$1: no $3 x '$2' in the log"
}

# --- the shared registry and zone on both nodes --------------------------------------------------
for n in 1 2; do
  r=$(play "$n" 101 "zone101-node$n")
  echo "node$n, vehicles 1 and 2 in zone 101: $r"
  [ "$(field authenticated "$r")" = 2 ] && [ "$(field errors "$r")" = 0 ] ||
    fail "node$n: the registered vehicles did not authenticate"
  for v in 1 2; do
    [ "$(opened "$n" "1397229000$v")" -ge 1 ] || fail "node$n: no forbidden_zone for vehicle $v"
  done
done
[ "$(redis-cli -p "$RT_PORT" HGET fw:veh:13972290001 node)" = node2 ] || fail "fw:veh node"

# --- a vehicle not in the registry yet -------------------------------------------------------
r=$(play 1 102 unknown-node1)
echo "node1, vehicle 3 before it is registered: $r"
[ "$(field authenticated "$r")" = 0 ] && [ "$(field err_register_refused "$r")" -ge 1 ] ||
  fail "an unregistered vehicle was not refused"
grep -q 'shut out after repeated failures: phone 13972290003' "$d/node1.log" ||
  fail "vehicle 3 was not refused often enough to be shut out (the reload's forgiveness is untested)"

# --- the loader adds it and zone 102: both nodes reload ---------------------------------------
g1=$(grep -c 'geodata reloaded' "$d/node1.log") g2=$(grep -c 'geodata reloaded' "$d/node2.log")
load --registry "$d/registry2.json" --geojson "$d/zones1.json" --geojson "$d/zones2.json"
wait_log 1 'registry reloaded: 3 vehicles' 1
wait_log 2 'registry reloaded: 3 vehicles' 1
wait_log 1 'geodata reloaded' $((g1 + 2)) # after the registry, then after the geodata message
wait_log 2 'geodata reloaded' $((g2 + 2))
r=$(play 1 102 zone102-node1)
echo "node1, vehicle 3 in zone 102 after the load: $r"
[ "$(field authenticated "$r")" = 1 ] && [ "$(field errors "$r")" = 0 ] ||
  fail "node1: the new vehicle did not authenticate"
[ "$(opened 1 13972290003)" -ge 1 ] || fail "node1: no forbidden_zone in the new zone"

# --- a bad registry in Redis: refused by both, the previous one stays -----------------------
redis-cli -p "$RT_PORT" -x SET fw:registry <"$d/bad.json" >/dev/null
redis-cli -p "$RT_PORT" PUBLISH fw:changes "registry 99" >/dev/null
for n in 1 2; do
  wait_log "$n" 'registry change in Redis refused, keeping the old registry' 1
  refused=$(metric "$n" 'fleetwatch_source_reloads_total{source="registry",result="refused"}')
  [ "$refused" = 1 ] || fail "node$n: refused reloads on /metrics: '$refused'"
done
r=$(play 2 102 zone102-node2)
echo "node2, vehicle 3 in zone 102 after the bad version: $r"
[ "$(field authenticated "$r")" = 1 ] && [ "$(field errors "$r")" = 0 ] ||
  fail "node2: the new vehicle did not authenticate"
[ "$(opened 2 13972290003)" -ge 1 ] || fail "node2: no forbidden_zone in the new zone"
[ "$(redis-cli -p "$RT_PORT" HGET fw:veh:13972290003 node)" = node2 ] || fail "fw:veh node"

for n in 1 2; do
  kill -TERM "${pids[n]}"
  wait "${pids[n]}" || fail "node$n exited with $?"
  unset "pids[$n]"
done
echo "both nodes shared the registry and geodata from Redis and followed their changes"
