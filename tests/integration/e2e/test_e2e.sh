#!/usr/bin/env bash
# End-to-end scenario test of every rule. fleetwatch-sim plays scenario.json (next to this file)
# over TCP to the real `fleetwatch` - Redis sink into a private redis-server, rule engine on the
# demo geodata (tests/data/demo), police API - and then every violation of expected.tsv is
# checked in Redis and over HTTP with curl: type, severity, phone and plate, closed, start and
# end, value, limit, unit and the late flag; the other vehicles must have none. The first
# violating report comes at most a report period (30 s) plus the terminal's start-up after the
# start of the violating stretch, the last one before its end: start within -10..+60 s of the
# table's, end within -60..+10 s.
# Usage: test_e2e.sh path/to/fleetwatch path/to/fleetwatch-sim MODE
#   MODE 2013 or 2019: every terminal speaks that version of the protocol (--proto);
#        blind: 2019, and each vehicle gets a blind area (its `e2e_blind_area`) covering its
#        violation, which then arrives late in 0x0704 type 1 and must be marked late.
#   E2E_EXPECTED=FILE checks another table (a wrong expectation must fail the test).
source "$(dirname "$0")/../store/redis_test_lib.sh"
fleetwatch=$1 sim=$2 mode=$3
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../../data" && pwd)
expected=${E2E_EXPECTED:-$here/expected.tsv}
early_s=10 late_s=60 # tolerance of the times, see above
token=demo-police-token-0001
for tool in jq curl redis-server; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

rt_start
scenario=$RT_DIR/scenario.json
case $mode in
  2013 | 2019) proto=$mode late=false; cp "$here/scenario.json" "$scenario" ;;
  blind)
    proto=2019 late=true
    jq '.vehicles |= map(if .e2e_blind_area then .events += [{type: "blind_area",
          at_s: .e2e_blind_area[0], until_s: .e2e_blind_area[1]}] else . end)' \
      "$here/scenario.json" >"$scenario" ;;
  *) echo "MODE must be 2013, 2019 or blind"; exit 2 ;;
esac

fw= log=$RT_DIR/fleetwatch.log
trap '[ -n "$fw" ] && kill "$fw" 2>/dev/null; rt_cleanup' EXIT
fail() {
  echo "FAIL ($mode): $*"
  echo "--- fleetwatch log (tail)"; tail -20 "$log"
  exit 1
}

# --- fleetwatch with the Redis sink, the rules and the API; the simulator plays the scenario ----
port=$((RT_PORT + 1 > 65000 ? RT_PORT - 1 : RT_PORT + 1))
"$fleetwatch" --listen="127.0.0.1:$port" --workers=2 --registry_path="$scenario" \
  --redis_port="$RT_PORT" --spool_dir="$RT_DIR/spool" --load_item_id=225 \
  --passenger_item_id=226 \
  --rules_zones="$data/demo/zones.geojson" --rules_routes="$data/demo/routes.geojson" \
  --rules_late_idle_ms=500 --api_listen=127.0.0.1:0 --max_connections=1000 \
  --api_token_file="$data/demo/api-tokens.txt" 2>"$log" &
fw=$!
api_port=
for _ in $(seq 1 100); do
  api_port=$(sed -n 's/.*police API listening on port \([0-9]*\).*/\1/p' "$log")
  [ -n "$api_port" ] && break
  kill -0 "$fw" 2>/dev/null || fail "fleetwatch did not start"
  sleep 0.05
done
[ -n "$api_port" ] || fail "the police API did not start"

"$sim" -s "127.0.0.1:$port" --scenario "$scenario" --proto "$proto" --progress 0 \
  >"$RT_DIR/sim.out" 2>&1 || fail "fleetwatch-sim exited with $?: $(tail -3 "$RT_DIR/sim.out")"
result=$(grep '^result' "$RT_DIR/sim.out")
grep -q ' errors=0 ' <<<"$result" || fail "simulator errors: $result"

api() { curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$api_port$1"; }
rows=$(grep -vc '^#' "$expected")
for _ in $(seq 1 100); do # late lanes close after rules_late_idle_ms, then the store writes
  closed=$(api '/v1/violations?limit=500' | jq '[.violations[] | select(.state == "closed")] | length')
  [ "$closed" -ge "$rows" ] && break
  sleep 0.1
done

# --- every expected violation, over HTTP and in Redis ------------------------------------------
problems=()
problem() { problems+=("$phone $type: $*"); }
epoch() { date -d "$1" +%s; }
within() { # what actual_iso expected_hh:mm:ss min_s max_s: actual - expected in [min_s, max_s]
  local d=$(($(epoch "$2") - $(epoch "2026-11-28T$3+08:00")))
  [ "$d" -ge "$4" ] && [ "$d" -le "$5" ] || problem "$1 $2, expected $3 ($4..$5 s)"
}
in_range() { # value lo..hi or exact; decimals allowed (speeds in km/h have one)
  local lo=${2%..*} hi=${2#*..}
  awk -v v="$1" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(v ~ /^-?[0-9.]+$/ && v + 0 >= lo + 0 && v + 0 <= hi + 0) }'
}
check_row() {
  local out n v plate
  out=$(api "/v1/violations?phone=$phone&type=$type") || { problem "API request failed"; return; }
  n=$(jq '.violations | length' <<<"$out")
  [ "$n" = 1 ] || { problem "$n violations, expected 1: $out"; return; }
  v=$(jq -c '.violations[0]' <<<"$out")
  get() { jq -r ".$1" <<<"$v"; }
  plate=$(jq -r --arg p "$phone" '.vehicles[] | select(.phone == $p) | .plate' "$scenario")
  [ "$(get phone)/$(get plate)" = "$phone/$plate" ] || problem "vehicle $(get phone)/$(get plate)"
  [ "$(get severity)" = "$severity" ] || problem "severity $(get severity), expected $severity"
  [ "$(get state)" = closed ] || problem "state $(get state), expected closed"
  [ "$(get late)" = "$late" ] || problem "late $(get late), expected $late"
  [ "$(get unit)" = "$unit" ] || problem "unit $(get unit), expected $unit"
  [ "$(get limit)" = "$limit" ] || problem "limit $(get limit), expected $limit"
  in_range "$(get value)" "$value" || problem "value $(get value), expected $value"
  within start "$(get start)" "$start" -$early_s $late_s
  within end "$(get end)" "$end" -$late_s $early_s
  [ "$(redis-cli -p "$RT_PORT" HGET "fw:vio:$(get id)" state)" = closed ] ||
    problem "fw:vio:$(get id) is not closed in Redis"
}
while IFS=$'\t' read -r phone type severity start end value limit unit _; do
  check_row
done < <(grep -v '^#' "$expected")

# --- nothing else: the clean vehicles have no violation ----------------------------------------
for phone in $(jq -r '.vehicles[].phone' "$scenario"); do
  grep -q "^$phone"$'\t' "$expected" && continue
  n=$(api "/v1/violations?phone=$phone" | jq '.violations | length')
  [ "$n" = 0 ] || problems+=("$phone (clean): $n violations")
done
total=$(api '/v1/violations?limit=500' | jq '.violations | length')
[ "$total" = "$rows" ] || problems+=("$total violations in all, expected $rows")
[ "$(redis-cli -p "$RT_PORT" ZCARD fw:vio:by_time)" = "$rows" ] ||
  problems+=("fw:vio:by_time does not hold $rows violations")
events=$(redis-cli -p "$RT_PORT" XLEN fw:violations)
[ "$events" -ge $((2 * rows)) ] || problems+=("$events events in fw:violations, expected opened and closed")

if [ ${#problems[@]} -gt 0 ]; then
  echo "FAIL ($mode): ${#problems[@]} problems"
  printf '  %s\n' "${problems[@]}"
  exit 1
fi
kill -TERM "$fw" && wait "$fw" || fail "fleetwatch exited with $?"
fw=
echo "ok ($mode): $rows violations as expected, none for the clean vehicles; $result"
