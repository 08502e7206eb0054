#!/usr/bin/env bash
# Runs fleetwatch on this machine with a demo fleet: installs missing Debian packages,
# builds (Release), starts a private redis-server (its own data folder under
# /tmp/fleetwatch-run.*, a free loopback port), starts the `fleetwatch` gateway and plays the
# Lianyungang demo scenario with `fleetwatch-sim`. Ctrl-C stops everything it started.
#   FW_LISTEN      gateway address (default 127.0.0.1:8808)
#   FW_SCENARIO    scenario file for the simulator (default tests/data/scenarios/lianyungang_demo.json)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
"$fw_root/scripts/install-deps.sh"
echo "building (Release) ..."
fw_build "$fw_root/build"

listen=${FW_LISTEN:-127.0.0.1:8808}
scenario=${FW_SCENARIO:-$fw_root/tests/data/scenarios/lianyungang_demo.json}
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
trap stop_all EXIT # fw_start_redis set its own EXIT trap; ours stops Redis too
echo "redis-server on 127.0.0.1:$FW_REDIS_PORT (data in $work/redis)"

"$fw_root/build/fleetwatch" --listen="$listen" --registry_path="$scenario" \
  2>"$work/fleetwatch.log" &
pids+=($!)
sleep 0.5
kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/fleetwatch.log"; exit 1; }
echo "fleetwatch gateway on $listen (log: $work/fleetwatch.log)"

echo "playing $(basename "$scenario") with fleetwatch-sim; Ctrl-C stops everything"
"$fw_root/build/fleetwatch-sim" --server "$listen" --scenario "$scenario" --progress 10 &
pids+=($!)
wait "${pids[1]}" || true
echo "scenario finished; the gateway keeps running until Ctrl-C"
wait "${pids[0]}" || true
