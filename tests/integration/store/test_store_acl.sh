#!/usr/bin/env bash
# Redis with an ACL user and the default user switched off: every Redis client of fleetwatch
# authenticates as redis_user / redis_password.
# 1. Right user and password: scripts/fw-load-registry loads the registry (and
#    scripts/fw-rebuild-stats runs, refused as the default user), fleetwatch reads it
#    from Redis (registry_source=redis: the fetch and the fw:changes subscription), stores the
#    simulator's positions (the store's writers) and the API serves them (its connection);
#    fw-store-load writes and verifies with the same credentials from its environment.
# 2. Wrong password: the operator rotates the user's password in Redis (and drops its
#    connections) while fleetwatch runs with the old one. The store's handshake is refused,
#    logged at warn at most once per 10 s (store and API), counted on /metrics
#    (fleetwatch_store_auth_failures_total, fleetwatch_api_redis_errors_total); the connected
#    terminals' positions are acked only once fsync'd in the spool; once the ACL accepts the
#    password again, the spool is replayed and every acked position is in Redis. (Terminals
#    register and authenticate before the rotation: a registration needs the authority in
#    Redis, docs/security.md.)
# Usage: test_store_acl.sh fleetwatch fleetwatch-sim fw-store-load path/to/fw-load-registry
source "$(dirname "$0")/redis_test_lib.sh"
fleetwatch=$1 sim=$2 load=$3 loader=$4
tokens="$(dirname "$0")/../../data/tokens_test.txt"
rt_start
terminals=20
rt_registry "$terminals" 145 A bus
fw= simpid=
trap '[ -n "$simpid" ] && kill "$simpid" 2>/dev/null; [ -n "$fw" ] && kill "$fw" 2>/dev/null; rt_cleanup' EXIT
fail() { echo "FAIL: $*"; tail -30 "$RT_DIR/fleetwatch.log"; exit 1; }
rcli_password=secret
rcli() { REDISCLI_AUTH=$rcli_password redis-cli --no-auth-warning --user fw -p "$RT_PORT" "$@"; }

redis-cli -p "$RT_PORT" ACL SETUSER fw on '>secret' '~fw:*' '&fw:changes' '+@all' >/dev/null
redis-cli -p "$RT_PORT" ACL SETUSER default off >/dev/null
redis-cli -p "$RT_PORT" GET fw:registry | grep -q NOAUTH || fail "the default user still works"
[ "$(rcli PING)" = PONG ] || fail "the ACL user cannot log in"

# --- 1. the right credentials ------------------------------------------------------------------
"$loader" -p "$RT_PORT" --user fw -a wrong --registry "$RT_DIR/registry.json" 2>/dev/null &&
  fail "fw-load-registry loaded with a wrong password"
"$loader" -p "$RT_PORT" --user fw -a secret --registry "$RT_DIR/registry.json" >/dev/null ||
  fail "fw-load-registry with the ACL user"
rebuild_stats="$(dirname "$loader")/fw-rebuild-stats"
"$rebuild_stats" -p "$RT_PORT" -a secret >/dev/null 2>&1 && fail "fw-rebuild-stats as the default user"
"$rebuild_stats" -p "$RT_PORT" --user fw -a secret | grep -q '^rebuilt 0 violations$' ||
  fail "fw-rebuild-stats with the ACL user"

# start_fleetwatch LOG ARGS...: on free ports ($port, $api_port); sets fw
start_fleetwatch() {
  local log=$1; shift
  for _ in 1 2 3 4 5; do
    port=$(rt_random_port) api_port=$(rt_random_port)
    "$fleetwatch" --sink=redis --rules=0 --listen="127.0.0.1:$port" --workers=2 \
      --log_level=info --max_connections=1000 --redis_port="$RT_PORT" --redis_user=fw \
      --spool_dir="$RT_DIR/spool" --node=acl --reconnect_max_ms=300 \
      --api_listen="127.0.0.1:$api_port" --api_token_file="$tokens" "$@" 2>"$log" &
    fw=$!
    for _ in $(seq 1 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
        (exec 3<>"/dev/tcp/127.0.0.1/$api_port") 2>/dev/null && return 0
      kill -0 "$fw" 2>/dev/null || break
      sleep 0.05
    done
    kill "$fw" 2>/dev/null; wait "$fw" 2>/dev/null; fw=
  done
  fail "fleetwatch did not start: $(cat "$log")"
}
stop_fleetwatch() { kill "$fw"; wait "$fw" || fail "fleetwatch exited with $?"; fw=; }
play() { # seconds: the simulator's terminals report back to back; prints its acked locations
  "$sim" -s "127.0.0.1:$port" --registry "$RT_DIR/registry.json" -n "$terminals" --progress 0 \
    --report-s 0 -k 2 -d "$1" >"$RT_DIR/sim.out" 2>"$RT_DIR/sim.err" || fail "fleetwatch-sim"
  local result acked
  result=$(grep '^result ' "$RT_DIR/sim.out")
  acked=$(grep -o ' acked_locations=[0-9]*' <<<"$result" | cut -d= -f2)
  echo "${acked:-$(grep -o ' acks=[0-9]*' <<<"$result" | cut -d= -f2)}"
}
metric() { curl -s "http://127.0.0.1:$api_port/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
positions() { # in Redis, all terminals
  local n=0 i
  for i in $(seq 0 $((terminals - 1))); do
    n=$((n + $(rcli XLEN "fw:track:$(printf '145%08d' "$i")")))
  done
  echo "$n"
}

start_fleetwatch "$RT_DIR/fleetwatch.log" --redis_password=secret --registry_source=redis
acked=$(play 2)
[ "$acked" -gt 100 ] || fail "only $acked positions acked with the right password"
stored=$(positions)
[ "$stored" -ge "$acked" ] || fail "acked $acked, stored $stored"
[ "$(metric fleetwatch_store_auth_failures_total)" = 0 ] || fail "auth failures with the right password"
[ "$(metric fleetwatch_store_redis_connected)" = 2 ] || fail "store not connected"
track=$(curl -s -H "Authorization: Bearer police-test-token-0001" \
  "http://127.0.0.1:$api_port/v1/vehicles/14500000000/track?limit=5")
grep -q '"count": *5' <<<"$track" || fail "the API does not serve the track: $track"
# A registry change reaches the node through its subscription to fw:changes (one reload when
# it subscribed, one for the change).
reloads() { metric 'fleetwatch_source_reloads_total{source="registry",result="done"}'; }
for _ in $(seq 1 50); do [ "$(reloads)" = 1 ] && break; sleep 0.1; done
[ "$(reloads)" = 1 ] || fail "registry reloads at subscription: $(reloads)"
"$loader" -p "$RT_PORT" --user fw -a secret --registry "$RT_DIR/registry.json" >/dev/null
for _ in $(seq 1 50); do [ "$(reloads)" = 2 ] && break; sleep 0.1; done
[ "$(reloads)" = 2 ] || fail "the registry change did not reach fleetwatch: $(reloads) reloads"
stop_fleetwatch
grep -Eq 'refused (AUTH|SELECT|SCRIPT)' "$RT_DIR/fleetwatch.log" && fail "a refusal with the right password"
echo "right password: acked $acked, stored $stored"

FW_REDIS_USER=fw FW_REDIS_PASSWORD=secret "$load" write "$RT_PORT" "$RT_DIR/load-spool" \
  "$RT_DIR/load-acked" "$(( $(date +%s) - 3600 ))" 2 500 10 >"$RT_DIR/load.out" ||
  fail "fw-store-load write: $(cat "$RT_DIR/load.out")"
grep -q ' spooled 0 ' "$RT_DIR/load.out" || fail "fw-store-load spooled: $(cat "$RT_DIR/load.out")"
FW_REDIS_USER=fw FW_REDIS_PASSWORD=secret "$load" verify "$RT_PORT" "$RT_DIR/load-acked" ||
  fail "fw-store-load verify"

# --- 2. a wrong password, corrected in the ACL while fleetwatch runs -------------------------
log2="$RT_DIR/fleetwatch-wrong.log"
start_fleetwatch "$log2" --redis_password=secret --registry_path="$RT_DIR/registry.json"
before=$(positions)
rotate() { # 1 s into the play: a new password, and the user's connections dropped
  sleep 1
  rcli ACL SETUSER fw resetpass '>rotated' >/dev/null
  rcli_password=rotated
  rcli CLIENT KILL USER fw >/dev/null
}
rotate &
rotator=$!
acked=$(play 5)
wait "$rotator"
rcli_password=rotated
direct=$(( $(positions) - before ))
spooled=$(metric fleetwatch_store_spooled_total)
[ "$spooled" -gt 0 ] || fail "nothing spooled after the password changed (acked $acked)"
[ "$acked" -le $((direct + spooled)) ] ||
  fail "acked $acked positions, only $direct in Redis and $spooled spooled"
sleep 1
[ "$(( $(positions) - before ))" = "$direct" ] || fail "positions reached Redis with a wrong password"
failures=$(metric fleetwatch_store_auth_failures_total)
[ "$failures" -gt 2 ] || fail "auth failures counted: $failures"
[ "$(metric fleetwatch_store_redis_connected)" = 0 ] || fail "store connected with a wrong password"
[ "$(metric fleetwatch_api_redis_errors_total)" -gt 0 ] || fail "the API's refusal is not counted"
refusals=$(grep -c 'Z warn  store: Redis 127.0.0.1:[0-9]* refused AUTH: WRONGPASS' "$log2" || true)
[ "$refusals" -ge 1 ] && [ "$refusals" -le 2 ] ||
  fail "$refusals store refusal lines for $failures refusals in 5 s (rate limit: 1 per 10 s)"
api_refusals=$(grep -c 'Z warn  api: redis 127.0.0.1:[0-9]* refused AUTH: WRONGPASS' "$log2" || true)
[ "$api_refusals" -ge 1 ] && [ "$api_refusals" -le 2 ] || fail "$api_refusals API refusal lines"
rcli ACL SETUSER fw '>secret' >/dev/null # the operator fixes the ACL: no restart needed
for _ in $(seq 1 100); do [ "$(positions)" -ge $((before + acked)) ] && break; sleep 0.1; done
[ "$(positions)" -ge $((before + acked)) ] || fail "acked $acked, in Redis $(( $(positions) - before ))"
grep -Eq 'Z info  store worker [01]: Redis has caught up: spool of [1-9][0-9]* records' "$log2" ||
  fail "no recovery line"
# The API retries every api_reconnect_ms (500): it may come back after the store (300 ms max).
for _ in $(seq 1 50); do
  track=$(curl -s -H "Authorization: Bearer police-test-token-0001" \
    "http://127.0.0.1:$api_port/v1/vehicles/14500000000/track?limit=5")
  grep -q '"count": *5' <<<"$track" && break
  sleep 0.1
done
grep -q '"count": *5' <<<"$track" || fail "the API did not reconnect within 5 s: $track"
stop_fleetwatch
echo "wrong password: acked $acked (spooled $spooled), $failures refusals in $refusals log lines, all stored once corrected"
