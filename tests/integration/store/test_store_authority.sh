#!/usr/bin/env bash
# A private redis-server for itest_authority (auth codes in fw:auth:<phone>: hashed, shared by
# two nodes, revoked over the API, refused in time when Redis hangs), which runs the real
# `fleetwatch` against it.
# Usage: test_store_authority.sh path/to/itest_authority path/to/fleetwatch TOKEN_FILE
source "$(dirname "$0")/redis_test_lib.sh"
rt_start
mkdir -p "$RT_DIR/spool"
"$1" "$2" "$RT_PORT" "$RT_DIR/spool" "$3"
