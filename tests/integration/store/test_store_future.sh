#!/usr/bin/env bash
# A private redis-server for itest_future (a position dated 2098 is stored flagged and moves no
# live state, rules or lanes), which runs the real `fleetwatch` against it.
# Usage: test_store_future.sh path/to/itest_future path/to/fleetwatch
source "$(dirname "$0")/redis_test_lib.sh"
rt_start
"$1" "$2" "$RT_PORT" "$RT_DIR/spool"
