#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz/fuzz_*.c) for SECONDS each, starting from its seeds
# in tests/fuzz/seeds/<target without fuzz_>/. New inputs go to fuzz-out/<target>/ (git-ignored);
# a crash leaves its input there and fails the script. With JOBS > 1 libFuzzer runs that many
# processes in parallel (their logs: fuzz-out/<target>/fuzz-N.log).
#   usage: scripts/fuzz.sh SECONDS [BUILD_DIR] [JOBS]
#   BUILD_DIR defaults to build-fuzz, configured with clang and -DFW_FUZZ=ON.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:?usage: fuzz.sh SECONDS [BUILD_DIR] [JOBS]}
build=${2:-$fw_root/build-fuzz}
jobs=${3:-1}
if [ ! -d "$build" ]; then
  fw_build "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFW_FUZZ=ON
fi
status=0
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  out="$fw_root/fuzz-out/$name"
  mkdir -p "$out/corpus" "$out/artifacts"
  echo "fuzz: $name for ${seconds}s (jobs $jobs)"
  parallel=()
  [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
  if ! (cd "$out" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 "${parallel[@]}" -artifact_prefix="$out/artifacts/" \
      "$out/corpus" "$fw_root/tests/fuzz/seeds/${name#fuzz_}" >"$out/log.txt" 2>&1); then
    echo "fuzz: $name FOUND A CRASH; see $out/log.txt and $out/artifacts/" >&2
    tail -40 "$out/log.txt" >&2
    status=1
  else
    grep -E 'stat::number_of_executed_units|cov:' "$out/log.txt" | tail -2 || true
  fi
done
exit $status
