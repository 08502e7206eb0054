#!/usr/bin/env bash
# Codec benchmark: builds Release (-O2) and runs bench_codec pinned to one core, 5 times;
# prints each run and the median of the medians. Usage: scripts/bench_codec.sh [runs]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
runs=${1:-5}
fw_build "$fw_root/build"
results=()
for i in $(seq 1 "$runs"); do
  out=$(taskset -c 0 "$fw_root/build/bench_codec" 8192 15)
  echo "run $i: $(echo "$out" | grep '^decode' )"
  results+=("$(echo "$out" | sed -n 's/^decode: median \([0-9.]*\) ns.*/\1/p')")
done
echo "$out" | head -1
printf '%s\n' "${results[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "median of %d runs: %.1f ns/frame = %.2f M frames/s per core\n", NR, m, 1000/m}'
