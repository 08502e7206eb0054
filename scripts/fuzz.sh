#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz/fuzz_*.c) for SECONDS each, starting from its seeds
# in tests/fuzz/seeds/<target without fuzz_>/. New inputs go to fuzz-out/<target>/ (git-ignored);
# a crash leaves its input there and fails the script. With JOBS > 1 libFuzzer runs that many
# processes in parallel (their logs: fuzz-out/<target>/fuzz-N.log).
#   usage: scripts/fuzz.sh SECONDS [BUILD_DIR] [JOBS]
#   BUILD_DIR defaults to build-fuzz (clang, -DFW_FUZZ=ON); the fuzz targets are rebuilt first.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:?usage: fuzz.sh SECONDS [BUILD_DIR] [JOBS]}
build=${2:-$fw_root/build-fuzz}
jobs=${3:-1}
# (Re)build only the fuzz targets: the rest of the tree is not needed here.
targets=()
for src in "$fw_root"/tests/fuzz/fuzz_*.c; do targets+=("$(basename "$src" .c)"); done
cmake -S "$fw_root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFW_FUZZ=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" -- --no-print-directory >/dev/null
build=$(cd "$build" && pwd)
status=0
for name in "${targets[@]}"; do
  bin="$build/$name"
  out="$fw_root/fuzz-out/$name"
  mkdir -p "$out/corpus" "$out/artifacts"
  echo "fuzz: $name for ${seconds}s (jobs $jobs)"
  parallel=()
  [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
  if ! (cd "$out" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 "${parallel[@]}" -artifact_prefix="$out/artifacts/" \
      "$out/corpus" "$fw_root/tests/fuzz/seeds/${name#fuzz_}" >"$out/log.txt" 2>&1); then
    echo "fuzz: $name FAILED (a crash, or see the log); see $out/log.txt and $out/artifacts/" >&2
    tail -40 "$out/log.txt" >&2
    status=1
  else
    grep -E 'stat::number_of_executed_units|cov:' "$out/log.txt" | tail -2 || true
  fi
done
exit $status
