#!/usr/bin/env bash
# The writer killed with SIGKILL under load, twice (once while Redis is up, once while Redis is
# down and it is spooling), then restarted: every position acked by any run is in Redis once.
# Usage: test_store_sigkill.sh path/to/fw-store-load
source "$(dirname "$0")/redis_test_lib.sh"
load=$1
rt_start
spool=$RT_DIR/spool acked=$RT_DIR/acked
t0=$(( $(date +%s) - 86400 ))

"$load" write "$RT_PORT" "$spool" "$acked" "$t0" 30 0 500 >/dev/null &
pid=$!
sleep 2
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
echo "killed under load with Redis up: $(wc -l <"$acked") acked"

"$load" write "$RT_PORT" "$spool" "$acked" $(( t0 + 10000 )) 30 20000 500 >/dev/null &
pid=$!
sleep 1
rt_stop
sleep 1.5
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
echo "killed while spooling: $(wc -l <"$acked") acked, spool $(stat -c %s "$spool/spool-0.fws") bytes"
[ "$(stat -c %s "$spool/spool-0.fws")" -gt 0 ] || { echo "nothing was spooled"; exit 1; }

rt_restart
"$load" write "$RT_PORT" "$spool" "$acked" $(( t0 + 20000 )) 1 1000 500
"$load" verify "$RT_PORT" "$acked"
