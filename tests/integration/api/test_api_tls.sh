#!/usr/bin/env bash
# HTTPS on the police API: fleetwatch-api with a certificate this test makes (its own CA,
# openssl CLI) answers curl --cacert over TLS; plain HTTP to the TLS port gets no answer; a
# client trusting another CA refuses the server; a slowloris over TLS is closed at the header
# deadline. The open-file budget check of fleetwatch-api alone. And the plain-HTTP rule: without a certificate the API refuses to start on a
# non-loopback address unless api_plain_http = allow; half a certificate setting or a key that
# does not match is refused with a clear error.
# Usage: test_api_tls.sh path/to/fleetwatch-api
source "$(dirname "$0")/../store/redis_test_lib.sh"
api_bin=$1
rt_start
d=$RT_DIR
fail() {
  echo "FAIL: $*"
  [ -f "$d/api.err" ] && { echo "--- fleetwatch-api stderr"; tail -20 "$d/api.err"; }
  exit 1
}

# --- certificates: a CA, a server certificate for 127.0.0.1 signed by it, and a stranger CA --
ossl() { openssl "$@" >/dev/null 2>&1 || fail "openssl $1"; }
ossl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=fleetwatch test CA" \
  -keyout "$d/ca.key" -out "$d/ca.pem"
ossl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=stranger CA" \
  -keyout "$d/other.key" -out "$d/other.pem"
ossl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" \
  -out "$d/server.csr"
printf 'subjectAltName = IP:127.0.0.1\n' >"$d/san.ext"
ossl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
  -days 2 -extfile "$d/san.ext" -out "$d/server.pem"

api_pid=
trap '[ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null; rt_cleanup' EXIT
start_api() { # options...: sets api_pid and port
  "$api_bin" --redis_port="$RT_PORT" "$@" >"$d/api.out" 2>"$d/api.err" &
  api_pid=$!
  for _ in $(seq 1 100); do
    port=$(sed -n 's/^listening on //p' "$d/api.out")
    [ -n "$port" ] && return 0
    kill -0 "$api_pid" 2>/dev/null || fail "fleetwatch-api did not start"
    sleep 0.05
  done
  fail "fleetwatch-api printed no port"
}
# Start must fail with a message matching the pattern.
refused_start() { # pattern options...
  local pattern=$1
  shift
  if "$api_bin" --redis_port="$RT_PORT" "$@" >"$d/api.out" 2>"$d/api.err"; then
    fail "fleetwatch-api started with $*"
  fi
  grep -q "$pattern" "$d/api.err" || fail "no '$pattern' in: $(cat "$d/api.err")"
}

# --- HTTPS ------------------------------------------------------------------------------------
start_api --api_listen=127.0.0.1:0 --api_tls_cert="$d/server.pem" --api_tls_key="$d/server.key" \
  --api_header_timeout_s=1
url="https://127.0.0.1:$port"
body=$(curl -sS --max-time 5 --cacert "$d/ca.pem" "$url/healthz") || fail "HTTPS /healthz failed"
[ "$(jq -r .status <<<"$body")" = ok ] || fail "HTTPS /healthz: $body"
curl -sS --max-time 5 --cacert "$d/ca.pem" "$url/metrics" | grep -q '^fleetwatch_api_connections ' ||
  fail "no connection gauge on /metrics over HTTPS"

# Plain HTTP to the TLS port: no HTTP answer.
if out=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz"); then
  fail "plain HTTP to the TLS port succeeded ($out)"
fi
[ "${out:-000}" = 000 ] || fail "plain HTTP to the TLS port got status $out"

# A client that trusts another CA refuses the server (curl 60: peer certificate not trusted).
rc=0
curl -sS --max-time 5 --cacert "$d/other.pem" "$url/healthz" >/dev/null 2>&1 || rc=$?
[ "$rc" = 60 ] || fail "curl with a stranger CA: exit $rc, expected 60"

# Slowloris over TLS (handshake done, headers dripping) is closed at api_header_timeout_s.
start_s=$(date +%s%N)
{ printf 'GET /healthz HTTP/1.1\r\n'; for _ in $(seq 1 20); do sleep 0.2; printf 'X'; done; } |
  timeout 10 openssl s_client -quiet -connect "127.0.0.1:$port" -CAfile "$d/ca.pem" \
    >/dev/null 2>&1 || true
took_ms=$(( ($(date +%s%N) - start_s) / 1000000 ))
[ "$took_ms" -lt 3500 ] || fail "TLS slowloris held its connection ${took_ms} ms"
curl -sS --max-time 5 --cacert "$d/ca.pem" "$url/metrics" |
  grep -q '^fleetwatch_api_connections_timed_out_total{phase="headers"} [1-9]' ||
  fail "the TLS slowloris was not counted"
kill "$api_pid"
wait "$api_pid" || fail "fleetwatch-api exited with $?"
api_pid=

# --- the plain-HTTP rule and bad TLS settings ---------------------------------------------------
refused_start "not a loopback address" --api_listen=0.0.0.0:0
refused_start "api_tls_cert and api_tls_key go together" --api_listen=127.0.0.1:0 \
  --api_tls_cert="$d/server.pem"
refused_start "api_tls_key" --api_listen=127.0.0.1:0 --api_tls_cert="$d/server.pem" \
  --api_tls_key="$d/other.key"
refused_start "api_tls_cert $d/missing.pem" --api_listen=127.0.0.1:0 \
  --api_tls_cert="$d/missing.pem" --api_tls_key="$d/server.key"
refused_start "api_plain_http: expected loopback or allow" --api_listen=127.0.0.1:0 \
  --api_plain_http=yes
# fleetwatch-api alone checks its open-file budget too: 200 connections do not fit in 256 files.
if prlimit --nofile=256 "$api_bin" --redis_port="$RT_PORT" --api_listen=127.0.0.1:0 \
  --api_max_connections=200 >"$d/api.out" 2>"$d/api.err"; then
  fail "fleetwatch-api started with 256 open files for 200 connections"
fi
grep -q 'open-file limit (RLIMIT_NOFILE) 256 is below the 328 descriptors' "$d/api.err" ||
  fail "no budget error: $(cat "$d/api.err")"
start_api --api_listen=0.0.0.0:0 --api_plain_http=allow
[ "$(curl -s --max-time 5 "http://127.0.0.1:$port/healthz" | jq -r .status)" = ok ] ||
  fail "plain HTTP with api_plain_http=allow"
echo "PASS"
