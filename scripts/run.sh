#!/usr/bin/env bash
# Runs the whole fleetwatch service on this machine with a demo fleet: installs missing Debian
# packages, builds (Release), starts a private redis-server (its own data folder under
# /tmp/fleetwatch-run.*, a free loopback port), starts `fleetwatch` - gateway, rule engine on
# the demo geodata (tests/data/demo), Redis store and police API (demo tokens) - and plays the
# Lianyungang demo fleet with `fleetwatch-sim`: 50 coaches and trucks on a night shift from
# 01:50 at 60x (about 2.5 minutes; docs/sim.md lists what each vehicle shows). Violations are
# printed as they are stored (read from the fw:violations stream). Ctrl-C stops everything it
# started.
#   FW_LISTEN      gateway address (default 127.0.0.1:8808)
#   FW_API         police API address (default 127.0.0.1:8080)
#   FW_SCENARIO    scenario file for the simulator (default
#                  tests/data/scenarios/lianyungang_fleet.json; it is also the registry, so
#                  each vehicle needs the plate_color and terminal_id the simulator sends:
#                  docs/sim.md)
#   FW_BUILD_DIR   build directory (default build)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
"$fw_root/scripts/install-deps.sh"
build=${FW_BUILD_DIR:-$fw_root/build}
echo "building (Release) in $build ..."
fw_build "$build"

listen=${FW_LISTEN:-127.0.0.1:8808}
api=${FW_API:-127.0.0.1:8080}
scenario=${FW_SCENARIO:-$fw_root/tests/data/scenarios/lianyungang_fleet.json}
demo=$fw_root/tests/data/demo
work=$(mktemp -d /tmp/fleetwatch-run.XXXXXX)
pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fw_stop_redis
  echo "stopped; logs are in $work"
  exit "${1:-0}"
}
trap 'stop_all 130' INT
trap 'stop_all 143' TERM
trap stop_all EXIT

fw_start_redis "$work/redis"
echo "redis-server on 127.0.0.1:$FW_REDIS_PORT (data in $work/redis)"

"$build/fleetwatch" --listen="$listen" --registry_path="$scenario" \
  --redis_port="$FW_REDIS_PORT" --spool_dir="$work/spool" --node=demo \
  --load_item_id=225 --passenger_item_id=226 \
  --rules_zones="$demo/zones.geojson" --rules_routes="$demo/routes.geojson" \
  --api_listen="$api" --api_token_file="$demo/api-tokens.txt" --max_connections=1000 \
  2>"$work/fleetwatch.log" &
pids+=($!)
sleep 0.5
kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/fleetwatch.log"; exit 1; }

# One line per violation event, as the store writes them (XREAD BLOCK on fw:violations; the
# stream entry is: type, state, phone, plate, severity, then the protobuf, which is skipped),
# with the GNSS time of the vehicle's latest position (China time, the scenario's clock).
watch_violations() {
  local last=0 lines f gnss_s
  while :; do
    mapfile -t lines < <(redis-cli -p "$FW_REDIS_PORT" --raw XREAD COUNT 1 BLOCK 0 \
      STREAMS fw:violations "$last" 2>/dev/null)
    [ "${#lines[@]}" -ge 12 ] || { sleep 1; continue; }
    last=${lines[1]}
    declare -A f=()
    for ((i = 2; i + 1 < ${#lines[@]} && i < 12; i += 2)); do f[${lines[i]}]=${lines[i + 1]}; done
    gnss_s=$(redis-cli -p "$FW_REDIS_PORT" --raw HGET "fw:veh:${f[phone]}" gnss_time 2>/dev/null)
    printf 'VIOLATION %s  %-15s %-7s %-8s %s (%s)\n' \
      "$(TZ=Asia/Shanghai date -d "@${gnss_s:-0}" +%T)" "${f[type]}" "${f[state]}" \
      "${f[severity]}" "${f[plate]}" "${f[phone]}"
  done
}
watch_violations &
pids+=($!)

token=demo-police-token-0001
cat <<INFO
fleetwatch gateway on $listen, police API on http://$api (log: $work/fleetwatch.log)
  try (police token from $demo/api-tokens.txt):
    curl -H 'Authorization: Bearer $token' 'http://$api/v1/violations?limit=5'
    curl -H 'Authorization: Bearer $token' 'http://$api/v1/violations?type=night_ban'
    curl -H 'Authorization: Bearer $token' 'http://$api/v1/violations?phone=13972250001&type=speeding'
    curl -H 'Authorization: Bearer $token' 'http://$api/v1/vehicles/%E8%8B%8FG50016'  # plate 苏G50016
    curl -H 'Authorization: Bearer $token' 'http://$api/v1/vehicles/13972250012/track?from=2026-11-28&limit=3'
    curl -H 'Authorization: Bearer $token' 'http://$api/v1/stats?from=2026-11-28&to=2026-11-29'
    curl 'http://$api/metrics'
  Redis keys (docs/redis-schema.md): redis-cli -p $FW_REDIS_PORT, e.g.
    redis-cli -p $FW_REDIS_PORT ZRANGE fw:vio:by_time 0 -1
    fw:violations (stream of events), fw:vio:<id>, fw:vio:by_vehicle:<phone>, fw:vio:by_type:<type>
    fw:veh:<phone> (latest state), fw:track:<phone> (track stream), fw:geo, fw:rstate:<phone>
INFO

echo "playing $(basename "$scenario") with fleetwatch-sim; Ctrl-C stops everything"
# The simulator runs in its own session: Ctrl-C reaches only this script (stop_all then stops
# the simulator), so the simulator ends by itself only when its scenario is over.
setsid "$build/fleetwatch-sim" --server "$listen" --scenario "$scenario" --progress 30 \
  >"$work/sim.log" 2>&1 &
pids+=($!)
sim_status=0
wait "${pids[2]}" || sim_status=$?
if [ "$sim_status" -eq 0 ]; then
  echo "scenario finished ($(grep '^result' "$work/sim.log" | grep -o 'acked_locations=[0-9]*'));" \
    "fleetwatch keeps running until Ctrl-C"
else
  echo "fleetwatch-sim stopped with status $sim_status (see $work/sim.log);" \
    "fleetwatch keeps running until Ctrl-C"
fi
wait "${pids[0]}" || true
