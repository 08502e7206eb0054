#!/usr/bin/env bash
# check_acked.sh - proves, position by position, that every location fleetwatch acked reached
# Redis: "0 acked positions lost" measured by identity, not by counts.
#
# Input: one or more fleetwatch-sim ack logs (--ack-log FILE: a line "phone gnss_time_ms" for
# every position acked with 0x8001 result 0; with it a terminal never reports a GNSS second
# twice, so the pair identifies a position, docs/sim.md). For every phone in them it reads the
# ids of fw:track:<phone> (XRANGE; an id is <gnss_ms>-<seq>) and the scores of
# fw:track:<phone>:late (ZRANGE WITHSCORES; score = GNSS ms), see docs/redis-schema.md, and
# prints:
#   acked N           distinct (phone, GNSS ms) in the logs
#   stored N          entries of those phones in Redis (streams + late sets)
#   lost N            acked, not in Redis
#   duplicates N      stored entries beyond the first of a (phone, GNSS ms)
#   stored_unacked N  in Redis, never acked (its ack was lost with the connection: allowed)
#   repeated_acks N   a (phone, GNSS ms) acked twice: the logs cannot identify positions
# then the first lost and duplicated ids. Exit status 0 when lost, duplicates and repeated_acks
# are all 0; 1 when one is not; 2 for bad usage or when Redis cannot be read.
#
# Usage: scripts/check_acked.sh [-h HOST] [-p PORT] ACK_LOG...   (default 127.0.0.1:6379)
set -euo pipefail
host=127.0.0.1 port=6379
while getopts "h:p:" opt; do
  case $opt in
    h) host=$OPTARG ;;
    p) port=$OPTARG ;;
    *) echo "usage: $0 [-h HOST] [-p PORT] ACK_LOG..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-h HOST] [-p PORT] ACK_LOG..." >&2; exit 2; }

work=$(mktemp -d /tmp/fw-check-acked.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Acked positions, phones without leading zeros (as in the key names).
awk 'NF == 2 { sub(/^0+/, "", $1); print $1, $2 }' "$@" >"$work/acked"

# "phone gnss_ms" per stored position of the phones given as arguments.
stored_lua="
local out = {}
for _, phone in ipairs(ARGV) do
  local key = 'fw:track:' .. phone
  for _, e in ipairs(redis.call('XRANGE', key, '-', '+')) do
    out[#out + 1] = phone .. ' ' .. string.match(e[1], '^(%d+)')
  end
  local late = redis.call('ZRANGE', key .. ':late', 0, -1, 'WITHSCORES')
  for i = 2, #late, 2 do out[#out + 1] = phone .. ' ' .. late[i] end
end
return table.concat(out, '\n')"
cut -d' ' -f1 "$work/acked" | sort -u >"$work/phones"
: >"$work/stored"
while read -r -a phones; do
  redis-cli -h "$host" -p "$port" --raw EVAL "$stored_lua" 0 "${phones[@]}" >>"$work/stored" ||
    { echo "check_acked: cannot read Redis at $host:$port" >&2; exit 2; }
done < <(xargs -n 500 <"$work/phones")
grep -q '^ERR' "$work/stored" && { grep -m1 '^ERR' "$work/stored" >&2; exit 2; }

awk 'FNR == 1 { file++ }
  NF != 2 { next }
  file == 1 { acked[$1 " " $2]++; next }
  { stored[$1 " " sprintf("%.0f", $2)]++ }
  END {
    for (k in acked) {
      n_acked++
      if (acked[k] > 1) repeated++
      if (!(k in stored) && lost++ < 5) first_lost = first_lost "  lost: " k "\n"
    }
    for (k in stored) {
      n_stored += stored[k]
      if (stored[k] > 1 && dup_keys++ < 5) first_dup = first_dup "  duplicate: " k " x" stored[k] "\n"
      if (stored[k] > 1) dups += stored[k] - 1
      if (!(k in acked)) unacked++
    }
    printf "acked %d\nstored %d\nlost %d\nduplicates %d\nstored_unacked %d\nrepeated_acks %d\n",
      n_acked, n_stored, lost, dups, unacked, repeated
    printf "%s%s", first_lost, first_dup
    exit (lost || dups || repeated) ? 1 : 0
  }' "$work/acked" "$work/stored"
