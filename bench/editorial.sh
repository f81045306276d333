#!/usr/bin/env bash
# Reads while editors write (issue 20): two replicas over one database; wrk
# reads a Q1/Q2 mix from the first at 32 connections, first alone and then
# while `examples/editorial_load.rs` sends RATE editorial writes a second to
# the second replica over HTTP (a third each: new drafts, publications of
# earlier drafts, corrections of published releases), with a key made by
# `osce-api api-key create`. Reports read throughput and p99 with and
# without writes, write latency (p50, p99 per kind) and errors.
#
#   bench/editorial.sh DATABASE_URL [SECONDS] [RATE]
#
# Caches off (every read computed), as bench/graphql-load.sh. Needs wrk and
# python3; run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="$1"
SECS="${2:-60}"
RATE="${3:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet --bin osce-api --example editorial_load
BIN="$CARGO_TARGET_DIR/release/osce-api"
WRITER="$CARGO_TARGET_DIR/release/examples/editorial_load"
WORK="$(mktemp -d)"
trap 'kill $A $B 2>/dev/null || true; rm -rf "$WORK"' EXIT
export OSCE_GRAPHQL_CACHE_BYTES=0 OSCE_SEARCH_CACHE_MATCHES=0

wait_ready() {
  for _ in $(seq 1 2400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.25; done
  echo "replica on $1 never ready" >&2; exit 1
}
RUST_LOG=warn "$BIN" --database-url "$URL" serve --listen 127.0.0.1:18081 2>"$WORK/a.log" &
A=$!
RUST_LOG=warn "$BIN" --database-url "$URL" serve --listen 127.0.0.1:18082 2>"$WORK/b.log" &
B=$!
wait_ready 18081
wait_ready 18082
KEY="$("$BIN" --database-url "$URL" api-key create --name "bench-editor-$$" --scopes read:drafts,write,publish 2>/dev/null)"

python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
q1 = "{ pressReleases(first: 20) { pageInfo { endCursor } nodes { title date source { name } fieldsOfWork { name } countries { code } } } }"
q2 = '{ pressReleases(first: 20, filter: { fieldsOfWork: ["human-rights"], countries: ["UA"], dateFrom: "2015-01-01", dateTo: "2020-12-31" }) { totalCount nodes { title date source { name } } } }'
bodies = [json.dumps({"query": q}) for q in (q1, q2)]
with open(f"{work}/mix.lua", "w") as f:
    f.write("local bodies = {%s}\nlocal i = 0\n" % ", ".join(json.dumps(b) for b in bodies))
    f.write('request = function()\n  i = i + 1\n  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, bodies[i % 2 + 1])\nend\n')
PY

report() {
  awk '/Requests\/sec/ {rps=$2} /99%/ {p99=$2} /50%/ {p50=$2} /Non-2xx/ {bad=$NF} /Socket errors/ {sock=$0}
       END {printf "  %s requests/s, p50 %s, p99 %s, non-2xx %s %s\n", rps, p50, p99, (bad==""?0:bad), sock}' "$1"
}
wrk -t2 -c32 -d5s -s "$WORK/mix.lua" http://127.0.0.1:18081 >/dev/null  # warm
echo "reads alone (Q1/Q2 mix, 32 connections, ${SECS} s):"
wrk -t2 -c32 -d"${SECS}s" --latency -s "$WORK/mix.lua" http://127.0.0.1:18081 >"$WORK/alone.txt"
report "$WORK/alone.txt"
OSCE_API_KEY="$KEY" "$WRITER" --base http://127.0.0.1:18082 --rate "$RATE" --seconds "$SECS" >"$WORK/writer.txt" &
W=$!
echo "reads while $RATE editorial writes/s land (on the other replica):"
wrk -t2 -c32 -d"${SECS}s" --latency -s "$WORK/mix.lua" http://127.0.0.1:18081 >"$WORK/writes.txt"
report "$WORK/writes.txt"
wait $W
sed 's/^/  /' "$WORK/writer.txt"
"$BIN" --database-url "$URL" api-key revoke "bench-editor-$$" 2>/dev/null
