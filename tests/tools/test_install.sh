#!/usr/bin/env bash
# test_install.sh - `cmake --install` into a temporary prefix, then the service run as
# installed: the programs and operator scripts in P/bin, the example config in P/etc/fleetwatch
# naming files that exist under P, a reinstall that keeps an edited config, the systemd unit
# naming the installed binary and config (`systemd-analyze verify` when present); the installed
# fleetwatch started with the installed config (only the ports and the Redis overridden by
# flags) accepts the installed fleetwatch-sim's terminals from the installed registry, stores
# their positions in Redis, answers /healthz, reloads on SIGHUP and stops cleanly on SIGTERM;
# both services refuse to start when log_target=syslog finds no socket.
# Usage: test_install.sh CMAKE BUILD_DIR   (run by ctest; Redis on FW_REDIS_PORT, else its own)
set -euo pipefail
cmake=$1 build=$2
source "$(dirname "$0")/../../scripts/lib/common.sh"
work=$(mktemp -d /tmp/fw-install.XXXXXX)
fw_on_exit "rm -rf '$work'"
prefix=$work/prefix conf=$work/prefix/etc/fleetwatch
log=$work/fleetwatch.log fw=
fail() {
  echo "FAIL: $*"
  [ -s "$log" ] && { echo "--- fleetwatch log (tail)"; tail -20 "$log"; }
  exit 1
}
fw_on_exit '[ -n "$fw" ] && kill "$fw" 2>/dev/null; true'

"$cmake" --install "$build" --prefix "$prefix" >"$work/install.out" || fail "cmake --install"

# --- files --------------------------------------------------------------------------------------
for p in fleetwatch fleetwatch-api fleetwatch-sim fleetwatch-decode fw-load-registry \
         fw-rebuild-stats; do
  [ -x "$prefix/bin/$p" ] || fail "bin/$p not installed"
done
for f in fleetwatch.conf fleetwatch.conf.example registry.json zones.geojson routes.geojson \
         api-tokens; do
  [ -s "$conf/$f" ] || fail "etc/fleetwatch/$f not installed"
done
! grep -q @ "$conf/fleetwatch.conf" || fail "fleetwatch.conf has unsubstituted @VARS@"
for path in $(sed -n 's/^[a-z_]* = \(\/.*\)/\1/p' "$conf/fleetwatch.conf"); do
  case $path in "$prefix"/*) ;; *) fail "fleetwatch.conf names $path, outside the prefix" ;; esac
  [ -e "$path" ] || [ -d "$(dirname "$path")" ] || fail "fleetwatch.conf names $path: missing"
done
[ -d "$prefix/var/lib/fleetwatch" ] || fail "state folder var/lib/fleetwatch not made"
[ "$(stat -c %a "$conf/api-tokens")" = 640 ] || fail "api-tokens readable by everyone"

unit=$prefix/lib/systemd/system/fleetwatch.service
[ -s "$unit" ] || fail "fleetwatch.service not installed"
exec_start="ExecStart=$prefix/bin/fleetwatch -c $conf/fleetwatch.conf --log_target=syslog"
grep -qxF "$exec_start" "$unit" || fail "unit: $(grep ^ExecStart= "$unit") != $exec_start"
for line in 'ExecReload=/bin/kill -HUP $MAINPID' Restart=on-failure User=fleetwatch \
            NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes StandardError=journal \
            "ReadWritePaths=$prefix/var/lib/fleetwatch"; do
  grep -qxF "$line" "$unit" || fail "unit: no $line"
done
nofile=$(sed -n 's/^LimitNOFILE=//p' "$unit")
[ "${nofile:-0}" -ge 101200 ] || fail "unit: LimitNOFILE=$nofile is below 100000 connections"
grep -qx "u fleetwatch .*" "$prefix/lib/sysusers.d/fleetwatch.conf" || fail "no sysusers.d entry"
grep -qx "d $prefix/var/lib/fleetwatch 0750 fleetwatch fleetwatch -" \
  "$prefix/lib/tmpfiles.d/fleetwatch.conf" || fail "no tmpfiles.d entry for the state folder"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit" || fail "systemd-analyze verify"
fi

echo "# edited by the operator" >>"$conf/fleetwatch.conf"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install2.out" || fail "reinstall"
grep -q "edited by the operator" "$conf/fleetwatch.conf" || fail "reinstall replaced the config"

# --- the installed service ------------------------------------------------------------------------
[ -n "${FW_REDIS_PORT:-}" ] || fw_start_redis "$work/redis"
db=9 # the shared Redis: a database of its own
rcli() { redis-cli -p "$FW_REDIS_PORT" -n "$db" "$@"; }
for phone in 13900000001 13900000002; do rcli DEL "fw:track:$phone" "fw:veh:$phone" >/dev/null; done
gw=$(fw_free_port) api=$(fw_free_port)
"$prefix/bin/fleetwatch" -c "$conf/fleetwatch.conf" --listen="127.0.0.1:$gw" \
  --api_listen="127.0.0.1:$api" --redis_port="$FW_REDIS_PORT" --redis_db="$db" --workers=1 \
  --max_connections=100 2>"$log" &
fw=$!
for _ in $(seq 1 100); do
  grep -q "police API listening on port $api" "$log" && break
  kill -0 "$fw" 2>/dev/null || fail "the installed fleetwatch did not start"
  sleep 0.05
done
grep -q "listening on 127.0.0.1:$gw with 1 workers, 2 vehicles registered" "$log" ||
  fail "the gateway did not start with the installed registry"

"$prefix/bin/fleetwatch-sim" -s "127.0.0.1:$gw" --registry "$conf/registry.json" --frames 6 \
  --report-s 1 --progress 0 >"$work/sim.out" 2>&1 || fail "fleetwatch-sim: $(tail -3 "$work/sim.out")"
grep -q ' errors=0 ' "$work/sim.out" || fail "simulator errors: $(grep '^result' "$work/sim.out")"
for phone in 13900000001 13900000002; do
  for _ in $(seq 1 50); do [ "$(rcli XLEN "fw:track:$phone")" -gt 0 ] && break; sleep 0.1; done
  [ "$(rcli XLEN "fw:track:$phone")" -gt 0 ] || fail "no positions of $phone in Redis"
done

exec 3<>"/dev/tcp/127.0.0.1/$api"
printf 'GET /healthz HTTP/1.1\r\nHost: fleetwatch\r\nConnection: close\r\n\r\n' >&3
health=$(cat <&3)
exec 3<&-
grep -q '^HTTP/1.1 200' <<<"$health" || fail "/healthz: $health"
grep -q '"status":"ok","redis":"ok"' <<<"$health" || fail "/healthz: $health"

kill -HUP "$fw"
for _ in $(seq 1 50); do grep -q "registry reloaded" "$log" && break; sleep 0.1; done
grep -q "registry reloaded" "$log" || fail "SIGHUP did not reload the registry"
kill -TERM "$fw"
wait "$fw" || fail "fleetwatch exited with $?"
fw=

# --- log_target=syslog without a socket: a clear refusal at start ---------------------------------
none=$work/none.sock
rc=0
"$prefix/bin/fleetwatch" -c "$conf/fleetwatch.conf" --log_target=syslog \
  --log_syslog_socket="$none" --listen="127.0.0.1:$gw" 2>"$work/nosock.err" || rc=$?
[ "$rc" = 1 ] && grep -q "error log_syslog_socket $none: " "$work/nosock.err" ||
  fail "fleetwatch with a missing syslog socket: exit $rc, $(cat "$work/nosock.err")"
rc=0
"$prefix/bin/fleetwatch-api" --log_target=syslog --log_syslog_socket="$none" \
  --api_listen="127.0.0.1:$api" 2>"$work/nosock-api.err" || rc=$?
[ "$rc" = 1 ] && grep -q "error log_syslog_socket $none: " "$work/nosock-api.err" ||
  fail "fleetwatch-api with a missing syslog socket: exit $rc, $(cat "$work/nosock-api.err")"
echo "install: all checks passed"
