# redis_test_lib.sh - helpers of the store's integration tests (sourced): a private
# redis-server with AOF in a temp dir on a free port, stopped with SIGTERM (data kept) and
# started again on the same port and directory.
#   rt_start            sets RT_DIR, RT_PORT, RT_PID; removes everything on EXIT
#   rt_stop / rt_restart
#   rt_random_port      a port in 20000..31999 to try
#   rt_registry N PHONE_PREFIX PLATE_PREFIX CLASS
#                       $RT_DIR/registry.json with N vehicles (phones and plates numbered),
#                       each bound to the terminal fleetwatch-sim plays for it: plate colour 2,
#                       terminal id the last 7 digits of the phone
set -euo pipefail

rt_spawn() {
  redis-server --bind 127.0.0.1 --port "$RT_PORT" --dir "$RT_DIR" --save '' --appendonly yes \
    --appendfsync no --daemonize no --logfile "$RT_DIR/redis.log" >/dev/null 2>&1 &
  RT_PID=$!
  for _ in $(seq 1 100); do
    if redis-cli -p "$RT_PORT" ping 2>/dev/null | grep -q PONG; then return 0; fi
    kill -0 "$RT_PID" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

rt_stop() {
  if [ -n "${RT_PID:-}" ] && kill -0 "$RT_PID" 2>/dev/null; then
    kill "$RT_PID"
    wait "$RT_PID" 2>/dev/null || true
  fi
  RT_PID=
}

rt_restart() { rt_spawn; }

rt_cleanup() {
  rt_stop
  [ -n "${RT_DIR:-}" ] && rm -rf "$RT_DIR"
}

# A port below the ephemeral range (load generators on this machine hold thousands of those).
rt_random_port() { echo $(( 20000 + RANDOM % 12000 )); }

rt_start() {
  RT_DIR=$(mktemp -d /tmp/fw-store-it.XXXXXX)
  trap rt_cleanup EXIT
  for _ in 1 2 3 4 5; do
    RT_PORT=$(rt_random_port)
    if rt_spawn; then return 0; fi
    rt_stop
  done
  echo "could not start redis-server" >&2
  return 1
}

rt_registry() {
  awk -v n="$1" -v phone="$2" -v plate="$3" -v class="$4" 'BEGIN {
    printf "{\"vehicles\":[\n";
    for (i = 0; i < n; i++)
      printf "{\"phone\":\"%s%08d\",\"plate\":\"%s%06d\",\"plate_color\":2,\"terminal_id\":\"%07d\",\"class\":\"%s\"}%s\n",
             phone, i, plate, i, i % 10000000, class, i + 1 < n ? "," : "";
    print "]}" }' >"$RT_DIR/registry.json"
}
