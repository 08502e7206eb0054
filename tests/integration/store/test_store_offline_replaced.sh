#!/usr/bin/env bash
# A private redis-server for itest_offline_replaced (a replaced connection writes no offline
# mark, a closed one does), which runs the real `fleetwatch` against it.
# Usage: test_store_offline_replaced.sh path/to/itest_offline_replaced path/to/fleetwatch
source "$(dirname "$0")/redis_test_lib.sh"
rt_start
"$1" "$2" "$RT_PORT" "$RT_DIR/spool"
