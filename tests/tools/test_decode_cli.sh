#!/usr/bin/env bash
# test_decode_cli.sh - end-to-end tests of the fleetwatch-decode command (src/tools/decode).
#
# Usage: test_decode_cli.sh <fleetwatch-decode binary> <tests/data dir>   (run by ctest)
#
# Feeds the decoder real frames from tests/data/jt808_corpus.tsv and frames built here or with
# the codec's encoders, and checks values, the strict/--lenient policy, the input modes (hex
# arguments, hex with spaces or without flags, stdin lines, --raw binary captures), garbage
# and oversize input, exit statuses, and that every corpus frame yields exactly one
# well-formed JSON line. Uses only bash, grep, sed and awk (no jq, no python, no xxd).
# Exits non-zero when any check fails.
set -u
export LC_ALL=C

decoder=${1:?usage: test_decode_cli.sh <fleetwatch-decode> <tests/data dir>}
corpus=${2:?usage: test_decode_cli.sh <fleetwatch-decode> <tests/data dir>}/jt808_corpus.tsv
work=$(mktemp -d /tmp/test_decode_cli.XXXXXX)
trap 'rm -rf "$work"' EXIT

failures=0
checks=0
fail() {
    echo "FAIL [$label]: $*" >&2
    failures=$((failures + 1))
}

# ---- helpers --------------------------------------------------------------------------

# The hex frame of the first corpus row whose line contains the given text.
corpus_frame() {
    local hex
    hex=$(awk -F'\t' -v p="$1" 'NR > 1 && index($0, p) { print $5; exit }' "$corpus")
    [ -n "$hex" ] || fail "no corpus row contains '$1'"
    echo "$hex"
}

# run_from FILE ARGS...: runs the decoder with FILE on stdin; sets out (stdout), err (stderr)
# and rc.
run_from() {
    local file=$1
    shift
    "$decoder" "$@" <"$file" >"$work/out" 2>"$work/err"
    rc=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}

# run ARGS...: the same with nothing on stdin.
run() {
    run_from /dev/null "$@"
}

# run_stdin TEXT ARGS...: the same with the line TEXT on stdin.
run_stdin() {
    local text=$1
    shift
    printf '%s\n' "$text" >"$work/stdin"
    run_from "$work/stdin" "$@"
}

expect_rc() {
    checks=$((checks + 1))
    [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1 (stderr: ${err:0:200})"
}

expect_out() {
    local want
    for want in "$@"; do
        checks=$((checks + 1))
        case $out in
        *"$want"*) ;;
        *) fail "output lacks '$want': ${out:0:400}" ;;
        esac
    done
}

expect_no_out() {
    checks=$((checks + 1))
    case $out in
    *"$1"*) fail "output unexpectedly has '$1': ${out:0:400}" ;;
    esac
}

expect_lines() {
    local n
    n=$(printf '%s' "$out" | grep -c '')
    checks=$((checks + 1))
    [ "$n" -eq "$1" ] || fail "$n output lines, expected $1"
}

# Every line of stdin must be one complete JSON object: braces, brackets and quotes balanced,
# no raw control characters in strings. Prints the numbers of the lines that are not.
bad_json_lines() {
    awk '
    {
        depth = 0; instr = 0; esc = 0; ok = (substr($0, 1, 1) == "{")
        n = length($0)
        for (i = 1; i <= n && ok; i++) {
            c = substr($0, i, 1)
            if (instr) {
                if (esc) esc = 0
                else if (c == "\\") esc = 1
                else if (c == "\"") instr = 0
                else if (c < " ") ok = 0
            } else if (c == "\"") {
                instr = 1
            } else if (c == "{" || c == "[") {
                stack[++depth] = c
            } else if (c == "}" || c == "]") {
                if (depth == 0 || (c == "}") != (stack[depth] == "{")) ok = 0
                depth--
                if (depth == 0 && i != n) ok = 0
            }
        }
        if (!ok || depth != 0 || instr) print NR
    }'
}

# check MESSAGE COMMAND...: one check that COMMAND succeeds; fails with MESSAGE otherwise.
check() {
    local message=$1
    shift
    checks=$((checks + 1))
    "$@" || fail "$message"
}

# expect_err TEXT: stderr of the last run contains TEXT.
expect_err() {
    checks=$((checks + 1))
    case $err in *"$1"*) ;; *) fail "stderr lacks '$1': ${err:0:200}" ;; esac
}

# A wire frame (flags, check code, escaping) around header+body hex.
make_frame() {
    local content=$1 check=0 i out=7e
    for ((i = 0; i < ${#content}; i += 2)); do
        check=$((check ^ 16#${content:i:2}))
    done
    content+=$(printf '%02x' "$check")
    for ((i = 0; i < ${#content}; i += 2)); do
        case ${content:i:2} in
        7e) out+=7d02 ;;
        7d) out+=7d01 ;;
        *) out+=${content:i:2} ;;
        esac
    done
    echo "${out}7e"
}

# Hex text to raw bytes on stdout.
hex_to_bytes() {
    printf '%b' "$(printf '%s' "$1" | sed 's/../\\x&/g')"
}

# ---- every corpus frame: one well-formed JSON line, no crash ---------------------------

label="corpus: one JSON line per frame"
awk -F'\t' 'NR > 1 { print $5 }' "$corpus" >"$work/frames.txt"
frame_count=$(grep -c '' "$work/frames.txt")
for mode in strict --lenient; do
    if [ "$mode" = strict ]; then run_stdin "$(cat "$work/frames.txt")"; else run_stdin "$(cat "$work/frames.txt")" --lenient; fi
    label="corpus ($mode): one JSON line per frame"
    [ "$rc" -le 1 ] || fail "exit status $rc (crash or I/O error)"
    expect_lines "$frame_count"
    bad=$(printf '%s\n' "$out" | bad_json_lines)
    checks=$((checks + 1))
    [ -z "$bad" ] || fail "malformed JSON on line(s) $bad"
    # Each document either decoded (has "body") or is an error object.
    odd=$(printf '%s\n' "$out" | grep -v -e '^{"error":"[a-z_]*","detail":' -e '"body":{' | head -1)
    checks=$((checks + 1))
    [ -z "$odd" ] || fail "neither body nor error: ${odd:0:200}"
done
strict_errors=$(printf '%s\n' "$("$decoder" <"$work/frames.txt")" | grep -c '^{"error"')
lenient_errors=$(printf '%s\n' "$("$decoder" --lenient <"$work/frames.txt")" | grep -c '^{"error"')
label="corpus: --lenient decodes the damaged frames"
check "lenient errors $lenient_errors, strict errors $strict_errors" \
    [ "$lenient_errors" -lt "$strict_errors" ]

# ---- values of decoded corpus frames ----------------------------------------------------

label="0x0200 SmallChi Test5: position, speed, time, alarms, items"
run "$(corpus_frame 'JT808_0x0200Test.cs#Test5	')"
expect_rc 0
expect_lines 1
expect_out '{"msg_id":"0x0200","msg_name":"location report","version":2013' \
    '"phone":"112233445566","serial":8888,"body_len":38' \
    '"lat":12.222222,"lon":132.444444' '"speed_kmh":6.0,"course":0,"altitude_m":40' \
    '"time":"2018-07-15T10:10:10+08:00","time_utc":1531620610' \
    '"alarm":1,"status":2,"alarms":["emergency"],"flags":["fixed"],"load":"empty"' \
    '{"id":"0x01","len":4,"name":"mileage","mileage_km":10.0}' \
    '{"id":"0x02","len":2,"name":"fuel","fuel_l":5.5}'
expect_no_out '"warnings"'

label="0x0200 with every standard item"
run "$(corpus_frame 'encoder test (Serialize == hex); items hold raw integer values')"
expect_rc 0
expect_out '"name":"overspeed","loc_type":1,"loc_type_name":"circle","area_id":1' \
    '"name":"area_in_out","loc_type":1,"loc_type_name":"circle","area_id":1,"direction":1,"direction_name":"out"' \
    '"name":"route_time","segment_id":2,"time_s":34,"result":1,"result_name":"too_long"' \
    '"name":"analog","ad0":242,"ad1":0' '"name":"satellites","satellites":5'

label="0x0201 with the west bit: signed longitude"
run "$(corpus_frame 'synthetic 0x0201 (copied from yezhihao beans')"
expect_rc 0
expect_out '"reply_serial":26722,"lat":0.041957,"lon":-0.056143,"lat_raw":41957,"lon_raw":56143' \
    '"speed_kmh":1000.1'

label="0x0200 latitude above 90: reported, flagged"
run "$(corpus_frame 'latitude raw 0x07203b7e contains 0x7e')"
expect_rc 0
expect_out '"lat":119.552894,"lon":40.058359' '"out_of_range":true' \
    '"time":"2024-10-01T23:59:59+08:00"'

label="0x0200 item of a known id with the wrong length"
run "$(corpus_frame '0x2B analog item of length 8')"
expect_rc 0
expect_out '{"id":"0x2b","len":8,"name":"analog","hex":"12a803dc00010000","error":"item_length"}'

label="0x0200 Jiangsu 0x64 ADAS item"
run "$(corpus_frame '(JSATL12) 0x64 ADAS alarm TLV (47 bytes)')"
expect_rc 0
expect_out '"id":"0x64","len":47,"name":"adas","alarm_id":31' \
    '"type":2,"type_name":"lane_departure","level":1,"front_speed_kmh":50,"front_distance_m":5.0' \
    '"lat":31.511562,"lon":121.531076' '"ident":{"terminal_id":"id00003"'

label="0x0704 batch"
run "$(corpus_frame 'batch of 2, type 0 (normal)')"
expect_rc 0
expect_out '"count":2,"type":"normal","locations":[{"lat":12.222222'

label="0x0704 blind-area batch of 3"
run "$(corpus_frame '2013; type 1 = blind-ar')"
expect_rc 0
expect_out '"count":3,"type":"blind_area","locations":[{' '"time":"2020-07-07T19:23:59+08:00"'
check "not 3 locations" \
    [ "$(printf '%s' "$out" | grep -o '"time_utc"' | grep -c '')" -eq 3 ]

label="0x0801 single packet: media head, base location, payload"
run "$(corpus_frame 'synthetic 0x0801 single packet; lat>90')"
expect_rc 0
expect_out '"media_id":123,"media_type":1,"media_type_name":"audio","format":2,"format_name":"mp3","event":1,"event_name":"timer","channel":2' \
    '"location":{"lat":116.307629,"lon":40.058359' '"data_len":'

label="0x0100 2013 registration: GBK plate"
run "$(corpus_frame '2013 registration, GBK plate')"
expect_rc 0
expect_out '"layout":2013,"province":40,"city":50,"maker":"1234","model":"smallchi123"' \
    '"terminal_id":"CHI123","plate_color":1,"plate":"粤A12345"'

label="0x0100 2011 layout under a 2013 header"
run "$(corpus_frame '2011-format registration body (maker 5B, model 8B, id 7B)')"
expect_rc 0
expect_out '"version":2013' '"layout":2011' '"model":"tk12345"' '"plate":"粤A12345"'

label="0x0100 2019 registration"
run "$(corpus_frame '2019 registration (maker 11B, model 30B, id 30B)')"
expect_rc 0
expect_out '"version":2019,"proto_version":1' '"layout":2019' '"plate":"粤A12345"'

label="0x0102 GBK auth code"
run "$(corpus_frame 'synthetic 2013 auth with GBK (Chinese) auth code')"
expect_rc 0
expect_out '"auth_code":"这是鉴权码111"'

label="2019 version bit on a 2013 header"
run "$(corpus_frame 'version bit 14 is SET but header is 2013 layout')"
expect_rc 0
expect_out '"version":2013' '"warnings":["v2019_bit_on_2013"]' '"phone":"10030000681"'

label="unescaped 0x7d before the end flag"
run "$(corpus_frame 'MALFORMED on purpose')"
expect_rc 0
expect_out '"warnings":["bad_escape"]' '"body":{}'

label="sub-package: header fields and fragment"
run "$(corpus_frame 'split in 2 packets; packet 1 of 2')"
expect_rc 0
expect_out '"msg_id":"0x1205"' '"pkg_total":2,"pkg_index":1' '"fragment_len":930,"fragment_hex":"015a'

label="encrypted body"
run "$(corpus_frame 'encryption bits = 001')"
expect_rc 1
expect_out '{"error":"encrypted","detail":' '"encryption":1' '"body_hex":"'

label="message id without a decoder"
run "$(corpus_frame 'synthetic 2019 0x0802')"
expect_rc 1
expect_out '{"error":"unsupported","detail":' '"msg_id":"0x0802"'

# ---- --reassemble: sub-packaged messages decoded whole -------------------------------------

corpus_frames() {
    awk -F'\t' -v p="$1" 'NR > 1 && index($0, p) { print $5 }' "$corpus"
}

label="--reassemble: 2019 registration in 3 packets"
mapfile -t packets < <(corpus_frames '2019 + subpackage (props 0x60xx) registration split in 3 packets')
check "${#packets[@]} packets in the corpus, expected 3" [ "${#packets[@]}" -eq 3 ]
run --reassemble "${packets[@]}"
expect_rc 0
expect_lines 4
expect_out '"pkg_total":3,"pkg_index":3,"body":{"fragment_len":14' \
    '"reassembled":{"packets":3,"first_serial":0,"last_serial":2},"body":{"layout":2019,"province":11,"city":2,"maker":"id987654321"' \
    '"plate":"甘J-123459"'

label="--reassemble: packets out of order"
run --reassemble "${packets[2]}" "${packets[0]}" "${packets[1]}"
expect_rc 0
expect_lines 4
expect_out '"reassembled":{"packets":3,"first_serial":0,"last_serial":1},"body":{"layout":2019'

label="--reassemble --lenient: 10-packet photo with bad check codes"
mapfile -t packets < <(corpus_frames 'real camera upload 0x0801 split into 10 packets')
run --reassemble --lenient "${packets[@]}"
expect_rc 0
expect_lines 11
expect_out '"reassembled":{"packets":10,"first_serial":8241,"last_serial":8252}' \
    '"media_id":10013' '"data_head_hex":"ffd8ffc4'

label="--reassemble: strict mode refuses the damaged packets, nothing completes"
run --reassemble "${packets[@]}"
expect_rc 1
expect_lines 10
expect_no_out '"reassembled"'
checks=$((checks + 1))
case $err in *"incomplete"*) fail "damaged packets were stored: $err" ;; esac

label="--reassemble: an incomplete message is reported on stderr"
run --lenient --reassemble "${packets[0]}"
expect_rc 0
expect_lines 1
expect_err "1 sub-packaged message(s) incomplete"

label="without --reassemble: one line per packet"
run --lenient "${packets[@]}"
expect_lines 10
expect_no_out '"reassembled"'

# ---- damaged frames: strict by default, --lenient decodes -------------------------------

label="negative: check code changed (strict)"
neg_check=$(corpus_frame 'check code changed 53->54')
run "$neg_check"
expect_rc 1
expect_lines 1
expect_out '{"error":"checksum","detail":"XOR check code does not match the frame: given 0x54, computed 0x53"' \
    '"msg_id":"0x0801"' '"warnings":["checksum"]'
expect_no_out '"body":'

label="negative: check code changed (--lenient)"
run --lenient "$neg_check"
expect_rc 0
expect_out '"warnings":["checksum"]' '"pkg_total":26,"pkg_index":2' '"body":{"fragment_len":5'
expect_no_out '"error"'

label="negative: body length (strict)"
neg_len=$(corpus_frame 'declared body length 5 but only 4 body bytes')
run "$neg_len"
expect_rc 1
expect_out '{"error":"length_mismatch","detail":"declared body length differs from the bytes present: declared 5, present 4"'

label="negative: body length (--lenient)"
run --lenient "$neg_len"
expect_rc 0
expect_out '"warnings":["length_mismatch"]' '"fragment_len":4'

label="negative: check code 0x7e escaped"
run "$(corpus_frame 'check code 0x7e (escaped 7d02) does not match')"
expect_rc 1
expect_out '{"error":"checksum"' 'given 0x7e, computed 0x7d'

label="real device frame, bad check code, --lenient: truncated vendor item"
run --lenient "$(corpus_frame 'last TLV 0xF6 declares 4 bytes but only 2 remain')"
expect_rc 0
expect_out '"warnings":["checksum"]' '"id":"0xf6","len":4' '"error":"item_overrun"'

label="one good and one bad frame: exit 1, two lines"
run "$(corpus_frame 'JT808_0x0200Test.cs#Test5	')" "$neg_check"
expect_rc 1
expect_lines 2

# ---- downlink and other messages (frames built with the codec's encoders) --------------

label="0x8300 text, GBK to UTF-8"
run 7e8300001101391234567800070cc7b0b7bdd3b5b6c2a3acc7ebc8c6d0d0eb7e
expect_rc 0
expect_out '"msg_id":"0x8300"' '"flags":12,"flag_names":["display","tts"],"text":"前方拥堵，请绕行"'

label="0x8600 2019 circle area"
run 7e8600402b01000000000139123456780007010100000001000b01dc89d0073d8aa5000001f4241127154230241127164230003c0a00300004cde2ccb2e57e
expect_rc 0
expect_out '"kind":"circle","set_type":1,"set_type_name":"append","count":1' \
    '"centre":{"lat":31.230416,"lon":121.473701' '"radius_m":500' \
    '"start":"2024-11-27T15:42:30+08:00"' '"max_speed_kmh":60,"overspeed_s":10,"night_max_speed_kmh":48,"name":"外滩"'

label="0x8606 2019 route"
run 7e8606403d010000000001391234567800070000000900200002000000010000000b01dc1300073c6ac032020050050040000000020000000c01dd99a0073df16032010384012c00064732bea9bba6307e
expect_rc 0
expect_out '"name":"G2京沪","point_count":2' '"width_m":50,"attr":2,"attr_names":["speed_limit"],"max_speed_kmh":80' \
    '"too_long_s":900,"too_short_s":300'

label="0x8003 2019 resend request (WORD count)"
run 7e800340080100000000013912345678000700640002000200059c7e
expect_rc 0
expect_out '"version":2019' '"body":{"first_serial":100,"count":2,"ids":[2,5]}'

label="0x8004 server time in UTC"
run 7e800400060139123456780007241127074230d27e
expect_rc 0
expect_out '"body":{"time":"2024-11-27T07:42:30Z","time_utc":1732693350}'

label="0x8100 registration response with GBK auth code"
run 7e8100000b0139123456780007000700c8cfd6a4c2eb4131967e
expect_rc 0
expect_out '"body":{"reply_serial":7,"result":0,"result_name":"ok","auth_code":"认证码A1"}'

label="0x8602 rectangle"
run 7e860200180139123456780007000100000002001001dd99a0073c6ac001dc1300073df160a97e
expect_rc 0
expect_out '"top_left":{"lat":31.300000,"lon":121.400000' '"bottom_right":{"lat":31.200000,"lon":121.500000'

label="0x1005 passenger flow"
run 7e100500100139123456780007241127153230241127154230000c00034d7e
expect_rc 0
expect_out '"start":"2024-11-27T15:32:30+08:00","end":"2024-11-27T15:42:30+08:00","start_utc":1732692750,"end_utc":1732693350,"boarded":12,"alighted":3'

label="0x0900 pass-through (escaped 0x7e in the check code)"
run 7e09000005013912345678000741010203047d027e
expect_rc 0
expect_out '"body":{"type":65,"data_len":4,"data_hex":"01020304"}'

label="0x8103 parameters"
run 7e8103001601391234567800070200000001040000001e0000001307312e322e332e34847e
expect_rc 0
expect_out '{"id":"0x0001","len":4,"value":30,"hex":"0000001e"}' '{"id":"0x0013","len":7,"hex":"312e322e332e34"}'

label="0x8103 parameters cut short: the whole entries, then the error"
run "$(make_frame 8103001201391234567800070200000001040000001e0000001307312e32)"
expect_rc 0
expect_out '"count":2,"params":[{"id":"0x0001","len":4,"value":30,"hex":"0000001e"}],"params_error":"truncated"}'

label="0x0702 driver identity"
run 7e070200320139123456780007012411271542300004d5c5c8fd33323031303231393830303130313132333400000cc4cfbea9cad0bdbbcda8bed620281231797e
expect_rc 0
expect_out '"state":1,"state_name":"inserted"' '"name":"张三","certificate":"320102198001011234","authority":"南京市交通局","valid_until":"2028-12-31"'

label="0x0107 attributes"
run 7e01070038013912345678000700035955544e475a4b363132324800000000000000000000000000543030303132338986040210209097700203312e3005322e332e310321267e
expect_rc 0
expect_out '"maker":"YUTNG","model":"ZK6122H","terminal_id":"T000123","iccid":"89860402102090977002"'

label="0x0200 south/west, full load, TPMS and BSD items"
run 7e0200007b0139123456780007000100010000030f0204cc140903454a003a028c010e24112715423066320000004d013c001401dc89d0073d8aa52411271542300001543030303132332411271542300102000100000400b4002d005067290000004e02023c001401dc89d0073d8aa5241127154230000154303030313233241127154230010200837e
expect_rc 0
expect_out '"lat":-33.868820,"lon":-151.209290' '"alarms":["emergency","tyre_pressure"]' \
    '"flags":["acc_on","fixed","south","west"],"load":"full"' \
    '"tyres":[{"position":0,"alarm":4,"alarms":["pressure_low"],"pressure_kpa":180,"temp_c":45,"battery_pct":80}]' \
    '"name":"bsd","alarm_id":78,"flag":2,"flag_name":"end","type":2,"type_name":"left_rear_approach"'

label="repeated item id: the value the codec kept is printed once, earlier copies as hex"
run "$(make_frame 0200002801391234567800010000000000000002000000000000000000000000000024112715423001040000000a010400000014)"
expect_rc 0
expect_out '"items":[{"id":"0x01","len":4,"name":"mileage","hex":"0000000a"},{"id":"0x01","len":4,"name":"mileage","mileage_km":2.0}]'

# ---- JSON string escaping and text errors ------------------------------------------------

label="control characters, quote and backslash escaped"
# 0x0102 auth code: a " b \ 0x01 0x1f
run "$(make_frame 0102000601391234567800016122625c011f)"
expect_rc 0
expect_out '"auth_code":"a\"b\\\u0001\u001f"'

label="invalid GBK text"
run "$(make_frame 01020003013912345678000141ff42)"
expect_rc 0
expect_out '"auth_code":{"hex":"41ff42","error":"bad_text"}'

# ---- input forms --------------------------------------------------------------------------

heartbeat=$(corpus_frame 'heartbeat whose check code is 0x7E')
run "$heartbeat"
reference=$out

label="hex with spaces"
run "$(printf '%s' "$heartbeat" | sed 's/../& /g')"
expect_rc 0
check "differs: $out" [ "$out" = "$reference" ]

label="hex without the 7e flags"
run "$(printf '%s' "$heartbeat" | sed 's/^7e//; s/7e$//')"
expect_rc 0
check "differs: $out" [ "$out" = "$reference" ]

label="stdin: comments, blank lines, spaces"
run_stdin "# a comment
$heartbeat

   $(printf '%s' "$heartbeat" | sed 's/../& /g')
# done"
expect_rc 0
expect_lines 2
check "lines differ from the reference" \
    [ "$(printf '%s\n' "$out" | sort -u)" = "$reference" ]

label="two flagged frames on one line"
run "$heartbeat$heartbeat"
expect_rc 0
expect_lines 2

label="--pretty"
run --pretty "$heartbeat"
expect_rc 0
expect_out '  "msg_id": "0x0002",' '  "body": {}'
check "first line is not '{'" [ "$(printf '%s\n' "$out" | head -1)" = "{" ]

# ---- binary captures ----------------------------------------------------------------------

label="--raw: garbage, two frames, garbage between"
hex_to_bytes "0102$heartbeat$(corpus_frame 'JT808_0x0200Test.cs#Test5	')" >"$work/capture.bin"
run --raw "$work/capture.bin"
expect_rc 0
expect_lines 2
expect_out '"msg_id":"0x0002"' '"lat":12.222222'
expect_err "2 bytes outside frames"

label="--raw from stdin, whole corpus concatenated"
hex_to_bytes "$(tr -d '\n' <"$work/frames.txt")" >"$work/corpus.bin"
run_from "$work/corpus.bin" --raw -
expect_rc 1
expect_lines "$frame_count"
check "malformed JSON" [ "$(printf '%s\n' "$out" | bad_json_lines)" = "" ]

label="--raw: capture ends inside a frame"
hex_to_bytes "${heartbeat}7e020000" >"$work/cut.bin"
run --raw "$work/cut.bin"
expect_rc 1
expect_lines 2
expect_out '{"error":"truncated","detail":"input ends inside a frame'

label="--raw: oversize frame resynchronised"
{
    printf '\176'
    head -c 5000 /dev/zero | tr '\0' '\1'
    hex_to_bytes "$heartbeat"
} >"$work/oversize.bin"
run --raw "$work/oversize.bin"
expect_rc 1
expect_out '{"error":"oversize"' '"msg_id":"0x0002"'

label="--raw: no frame at all"
printf 'garbage\001\002' >"$work/garbage.bin"
run --raw "$work/garbage.bin"
expect_rc 1
expect_lines 0
expect_err "no frame found"

# ---- garbage hex input ----------------------------------------------------------------------

label="not hex"
run "hello"
expect_rc 1
expect_out '{"error":"bad_hex","detail":"not a hex digit at column 1"}'

label="odd number of hex digits"
run "7e020"
expect_rc 1
expect_out '{"error":"bad_hex","detail":"odd number of hex digits"}'

label="empty frame"
run "7e7e"
expect_rc 1
expect_out '{"error":"too_short"'

label="too short for a header"
run "7e0200007e"
expect_rc 1
expect_out '{"error":"too_short"'

label="oversize hex"
run "$(head -c 4300 /dev/zero | tr '\0' '1')"
expect_rc 1
expect_out '{"error":"oversize"'

label="random bytes as a frame: an error, not a crash"
run "7e 7d 03 ff ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 12 34 7e"
expect_rc 1
expect_lines 1
expect_out '{"error":"'

# ---- usage ----------------------------------------------------------------------------------

label="--help"
run --help
expect_rc 0
expect_out '--lenient' '--raw FILE' 'Examples:'

label="--help examples with frames decode"
help_examples=0
while read -r example; do
    eval "run ${example#*fleetwatch-decode }"
    expect_rc 0
    expect_out '"msg_id":"0x0002"'
    help_examples=$((help_examples + 1))
done < <("$decoder" --help | grep -E "^  fleetwatch-decode '?7e")
check "$help_examples hex examples in --help, expected 2" [ "$help_examples" -eq 2 ]

label="unknown option"
run --bogus
expect_rc 2

label="--raw on a missing file"
run --raw "$work/does-not-exist"
expect_rc 2

label="--raw with hex arguments"
run --raw - "$heartbeat"
expect_rc 2

if [ "$failures" -ne 0 ]; then
    echo "test_decode_cli: $failures of $checks checks failed" >&2
    exit 1
fi
echo "test_decode_cli: all $checks checks passed"
