#!/usr/bin/env bash
# test_cli_options.sh - every program's --help and --version, made by the option engine
# (include/fw/base/options.h), and its refusals of bad options.
#
# Usage: test_cli_options.sh <version> <fleetwatch> <fleetwatch-api> <fleetwatch-sim>
#                            <fleetwatch-decode> <config/fleetwatch.conf.example>   (run by ctest)
#
# Checks: --help exits 0 with the usage and the program's options (for fleetwatch every option
# of the example config file, for fleetwatch-api its redis_* and api_* ones); --version prints
# "<program> <version>" and exits 0; an unknown option, a value out of bounds and a retired
# option exit 2 with a message naming them. Exits non-zero when any check fails.
set -u
export LC_ALL=C

version=${1:?usage: test_cli_options.sh <version> <4 programs> <example config>}
fleetwatch=$2
api=$3
sim=$4
decode=$5
example=$6
failures=0
checks=0
fail() {
    echo "FAIL [$label]: $*" >&2
    failures=$((failures + 1))
}

# run PROGRAM ARGS...: sets $out (stdout+stderr) and $rc.
run() {
    out=$("$@" 2>&1)
    rc=$?
    checks=$((checks + 1))
}

# expect TEXT: $out must contain TEXT.
expect() {
    checks=$((checks + 1))
    grep -qF -- "$1" <<<"$out" || fail "no '$1' in: ${out:0:400}"
}

for prog in "$fleetwatch" "$api" "$sim" "$decode"; do
    name=$(basename "$prog")
    label="$name --version"
    run "$prog" --version
    [ "$rc" -eq 0 ] || fail "exit $rc"
    [ "$out" = "$name $version" ] || fail "printed '$out'"
    label="$name --help"
    run "$prog" --help
    [ "$rc" -eq 0 ] || fail "exit $rc"
    expect "usage: $name"
    expect "--version"
    label="$name -h"
    run "$prog" -h
    [ "$rc" -eq 0 ] || fail "exit $rc"
    expect "usage: $name"
done

label="fleetwatch --help lists the example config's options"
run "$fleetwatch" --help
help=$out
for key in $(sed -nE 's/^#? ?([a-z_]+) *=.*/\1/p' "$example" | sort -u); do
    checks=$((checks + 1))
    grep -qE -- "--$key( |$)" <<<"$help" || fail "--help has no --$key"
done
for key in listen redis_port spool_dir api_listen sink rules_vehicles; do
    [ "$(grep -cE -- "^ +--$key( |$)" <<<"$help")" -eq 1 ] || fail "--$key not listed exactly once"
done
expect "-c, --config FILE"
expect "(default 180; 1..86400)"
expect "--damaged_frames reject|accept|drop"

label="fleetwatch-api --help"
run "$api" --help
for key in api_listen api_token_file redis_host redis_port redis_password audit_retention_days; do
    expect "--$key "
done
label="fleetwatch-sim --help"
run "$sim" --help
for flag in "-s, --server HOST:PORT" "-n, --terminals N" "--report-s S" "-k, --inflight N" \
    "--blind " "--ack-log FILE" "-v, --verbose" "examples:"; do
    expect "$flag"
done
label="fleetwatch-decode --help"
run "$decode" --help
for flag in "--lenient" "--pretty" "--reassemble" "--raw FILE" "Exit status"; do
    expect "$flag"
done

# refuses LABEL MESSAGE PROGRAM ARGS...: the program exits 2 and prints MESSAGE.
refuses() {
    label=$1
    local message=$2
    shift 2
    run "$@"
    [ "$rc" -eq 2 ] || fail "exit $rc"
    expect "$message"
}

# Refusals name the option, the value and what is allowed.
conf=$(mktemp /tmp/test_cli_options.XXXXXX)
trap 'rm -f "$conf"' EXIT
printf '# ok\nworkers = 2\nsink = maybe\n' >"$conf"
refuses "fleetwatch unknown option" "fleetwatch: unknown option 'colour'" \
    "$fleetwatch" --colour=red
refuses "fleetwatch value out of bounds" "idle_timeout_s: '0' is not a whole number in 1..86400" \
    "$fleetwatch" --idle_timeout_s 0
refuses "fleetwatch retired option" "option 'auth_secret' was removed: auth codes are now random" \
    "$fleetwatch" --auth_secret=x
refuses "fleetwatch bad line in a config file" \
    "$conf:3: sink: 'maybe' is not one of auto, redis, null" "$fleetwatch" -c "$conf"
refuses "fleetwatch-api option of another program" "fleetwatch-api: unknown option 'workers'" \
    "$api" --workers=2
refuses "fleetwatch-api value out of bounds" "redis_port: '70000' is not a whole number in 1..65535" \
    "$api" --redis_port 70000
refuses "fleetwatch-sim value out of bounds" "inflight: '0' is not a whole number in 1..256" \
    "$sim" -k 0
refuses "fleetwatch-decode unknown option" "fleetwatch-decode: unknown option 'bogus'" \
    "$decode" --bogus

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
