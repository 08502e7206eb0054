#!/usr/bin/env bash
# Redis stopped for 10 s in the middle of a stream and started again: every position the sink
# acked (stored in Redis or fsync'd in the spool, then replayed) is in Redis exactly once.
# Usage: test_store_outage.sh path/to/fw-store-load
source "$(dirname "$0")/redis_test_lib.sh"
load=$1
rt_start
t0=$(( $(date +%s) - 86400 ))
"$load" write "$RT_PORT" "$RT_DIR/spool" "$RT_DIR/acked" "$t0" 16 3000 200 >"$RT_DIR/write.out" &
writer=$!
sleep 3
rt_stop
echo "redis stopped at $(date +%T)"
sleep 10
rt_restart
echo "redis started at $(date +%T)"
wait "$writer" || { echo "writer failed: $(cat "$RT_DIR/write.out")"; exit 1; }
cat "$RT_DIR/write.out"
grep -Eq 'spooled [1-9][0-9]* ' "$RT_DIR/write.out" || { echo "the spool was never used"; exit 1; }
"$load" verify "$RT_PORT" "$RT_DIR/acked"
