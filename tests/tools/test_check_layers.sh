#!/usr/bin/env bash
# test_check_layers.sh - scripts/check-layers finds each kind of offence in a small tree made
# here, names the file and line, and passes a tree that keeps the layering.
# Usage: test_check_layers.sh CHECK_LAYERS
set -euo pipefail
check=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

mkdir -p "$t"/src/{codec,base,server,rules,store,api,pipeline,tools/sim} "$t"/include/fw/{codec,base,server}
printf '#include "fw/codec/jt_frame.h"\n' >"$t/include/fw/base/log.h"
printf '#include "priv.h"\n#include "fw/base/log.h"\n' >"$t/src/api/a.c"
: >"$t/src/api/priv.h"
printf '#include "fw/server/server.h"\n#include "fw/base/log.h"\n#include "fw/codec/x.h"\n' \
    >"$t/src/pipeline/p.c"
printf '#include "fw/pipeline/p.h"\n#include "fleetwatch.pb-c.h"\n' >"$t/src/tools/sim/s.c"
printf '#include "fleetwatch.pb-c.h"\n' >"$t/src/store/w.c"

out=$("$check" "$t") || { echo "FAIL: a clean tree was refused: $out"; exit 1; }

expect_offence() { # file, include line, expected text in the report
    printf '%s\n' "$2" >>"$t/$1"
    if out=$("$check" "$t" 2>&1); then
        echo "FAIL: $1 with $2 passed"
        exit 1
    fi
    grep -qF -- "$3" <<<"$out" || { echo "FAIL: expected '$3' in: $out"; exit 1; }
    sed -i '$d' "$t/$1"
}
expect_offence src/base/b.c '#include "fw/server/server.h"' \
    'src/base/b.c:1: base includes fw/server/server.h (base may use: codec)'
expect_offence include/fw/codec/f.h '#include "fw/base/log.h"' \
    'include/fw/codec/f.h:1: codec includes fw/base/log.h'
expect_offence src/store/w.c '#include "fw/rules/rules.h"' \
    'src/store/w.c:2: store includes fw/rules/rules.h'
expect_offence src/rules/r.c '#include "fw/pipeline/pipeline.h"' \
    'src/rules/r.c:1: rules includes fw/pipeline/pipeline.h'
expect_offence src/api/a.c '#include "../store/store_internal.h"' \
    'src/api/a.c:3: api includes "../store/store_internal.h"'
expect_offence src/rules/r.c '#include "priv.h"' \
    "src/rules/r.c:1: rules includes \"priv.h\", which is not a private header of its folder"
expect_offence src/base/b.c '#include "fleetwatch.pb-c.h"' \
    'base uses the generated protobuf code'
mkdir -p "$t/src/other"
expect_offence src/other/o.c '#include "fw/base/log.h"' 'not in a known part'
rm -f "$t/src/other/o.c"
"$check" "$t" >/dev/null || { echo "FAIL: the tree is not clean again"; exit 1; }
echo "check-layers: every offence found"
