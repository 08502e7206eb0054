#!/usr/bin/env bash
# Runs every fleetwatch test on this machine: installs missing Debian packages, starts a
# private redis-server on a free port, builds (Release, then ASan+UBSan) and runs ctest in
# both builds, then a short libFuzzer run over the codec; first it checks that every C file is
# formatted as .clang-format says. Exits non-zero on any failure.
#   FW_FUZZ_SECONDS   length of the fuzz run (default 60; 0 skips it)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
"$fw_root/scripts/install-deps.sh"

echo "== clang-format check"
(cd "$fw_root" && git ls-files -z '*.c' '*.h' | xargs -0 clang-format --dry-run -Werror)

work=$(mktemp -d /tmp/fleetwatch-test.XXXXXX)
fw_on_exit "rm -rf '$work'"
fw_start_redis "$work/redis"
echo "== redis-server on 127.0.0.1:$FW_REDIS_PORT"

echo "== Release build and tests"
fw_build "$fw_root/build"
ctest --test-dir "$fw_root/build" --output-on-failure -j "$(nproc)"

echo "== ASan+UBSan build and tests"
fw_build "$fw_root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFW_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir "$fw_root/build-asan" --output-on-failure -j "$(nproc)"

fuzz_seconds=${FW_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  echo "== libFuzzer: codec for ${fuzz_seconds}s"
  "$fw_root/scripts/fuzz.sh" "$fuzz_seconds" "$fw_root/build-fuzz"
fi
echo "== all tests passed"
