#!/usr/bin/env bash
# Reads while writes land (issue 19): two replicas over one database; wrk
# reads a Q1/Q2 mix from the first at 32 connections, first alone and then
# while `examples/write_load.rs` writes 10 releases/s (alternately new and
# edited, every fifth a deletion) through the service's write path and
# times how long each takes to show on the second replica. Also reports the
# first replica's start-up to ready and its time to apply changes from the
# log (its debug log of each update). A write counts as visible when the
# second replica's list of the release's day (answered from its release
# index) shows it.
#
#   bench/writes.sh DATABASE_URL [SECONDS] [RATE]
#
# Caches off (every read computed), as bench/graphql-load.sh. Needs wrk and
# python3; run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="$1"
SECS="${2:-30}"
RATE="${3:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet --bin osce-api --example write_load
BIN="$CARGO_TARGET_DIR/release/osce-api"
WRITER="$CARGO_TARGET_DIR/release/examples/write_load"
WORK="$(mktemp -d)"
trap 'kill $A $B 2>/dev/null || true; rm -rf "$WORK"' EXIT
export OSCE_GRAPHQL_CACHE_BYTES=0 OSCE_SEARCH_CACHE_MATCHES=0

wait_ready() {
  for _ in $(seq 1 2400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.25; done
  echo "replica on $1 never ready" >&2; exit 1
}
STARTED=$(date +%s.%N)
RUST_LOG=warn,osce_api::service::index=debug "$BIN" --database-url "$URL" serve --listen 127.0.0.1:18081 2>"$WORK/a.log" &
A=$!
wait_ready 18081
echo "replica A ready after $(python3 -c "print(round($(date +%s.%N) - $STARTED, 1))") s (start-up: migrations, reference data check, first release index)"
RUST_LOG=warn "$BIN" --database-url "$URL" serve --listen 127.0.0.1:18082 2>"$WORK/b.log" &
B=$!
wait_ready 18082

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
"$WRITER" --database-url "$URL" --replica http://127.0.0.1:18082 --rate "$RATE" --seconds "$SECS" >"$WORK/writer.txt" &
W=$!
echo "reads while $RATE writes/s land:"
wrk -t2 -c32 -d"${SECS}s" --latency -s "$WORK/mix.lua" http://127.0.0.1:18081 >"$WORK/writes.txt"
report "$WORK/writes.txt"
wait $W
sed 's/^/  /' "$WORK/writer.txt"
python3 - "$WORK/a.log" <<'PY'
import re, sys, statistics
text = re.sub(r"\x1b\[[0-9;]*m", "", open(sys.argv[1]).read())
us = [int(m.group(1)) for line in text.splitlines() if "release index updated" in line for m in [re.search(r"elapsed_us=(\d+)", line)] if m]
if us:
    us.sort()
    print(f"  replica A applied {len(us)} updates from the log: median {statistics.median(us)/1000:.2f} ms, p99 {us[int((len(us)-1)*0.99)]/1000:.2f} ms, max {us[-1]/1000:.2f} ms")
else:
    print("  no update of replica A logged")
PY
