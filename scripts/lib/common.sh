# common.sh - shell helpers shared by scripts/run.sh and scripts/test.sh (sourced, not run).
#
#   fw_build DIR [cmake args...]   configure and build into DIR (incremental)
#   fw_start_redis DIR             start a private redis-server on a free loopback port with
#                                  its data in DIR; sets FW_REDIS_PORT and FW_REDIS_PID
#   fw_stop_redis                  stop it (fw_start_redis adds it to the EXIT trap, ahead of
#                                  what the caller had registered there, see fw_on_exit)
#   fw_on_exit CMD                 run CMD on EXIT, then the EXIT trap set before (chained)
#   fw_free_port                   print a loopback TCP port below the ephemeral range that no
#                                  socket uses now (the caller still checks that its bind worked)

fw_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

fw_build() {
  local dir=$1; shift
  cmake -S "$fw_root" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)" -- --no-print-directory >/dev/null
}

fw_free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
    # /proc/net/tcp* list local and remote addresses as HEXIP:HEXPORT
    if ! grep -qi "$(printf ':%04X ' "$port")" /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "fw_free_port: no free port found" >&2
  return 1
}

fw_on_exit() {
  local cmd=$1 previous=
  # trap -p prints "trap -- 'command' EXIT" with the command quoted for the shell
  if [ -n "$(trap -p EXIT)" ]; then eval "set -- $(trap -p EXIT)"; previous=$3; fi
  trap "$cmd${previous:+; $previous}" EXIT
}

fw_stop_redis() {
  if [ -n "${FW_REDIS_PID:-}" ] && kill -0 "$FW_REDIS_PID" 2>/dev/null; then
    kill "$FW_REDIS_PID" 2>/dev/null
    wait "$FW_REDIS_PID" 2>/dev/null || true
  fi
  FW_REDIS_PID=
}

fw_start_redis() {
  local dir=$1 port attempt
  mkdir -p "$dir"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
      --daemonize no --logfile "$dir/redis.log" &
    FW_REDIS_PID=$!
    for _ in $(seq 1 50); do
      if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
        export FW_REDIS_PORT=$port FW_REDIS_PID
        fw_on_exit fw_stop_redis
        return 0
      fi
      kill -0 "$FW_REDIS_PID" 2>/dev/null || break
      sleep 0.1
    done
    fw_stop_redis
  done
  echo "could not start redis-server (see $dir/redis.log)" >&2
  return 1
}
