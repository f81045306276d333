#!/usr/bin/env bash
# Benchmark: an expensive search under load must not take the service down
# with it (issue 24, defect 2). Runs, against a database that already holds
# a corpus (e.g. bench/outside_corpus.py's, where "ceasefire monitoring"
# matches over 100,000 releases):
#   1. the search at 32 connections with the default settings (the search
#      cache on: the first request ranks, identical waiting ones share it);
#   2. the same with the GraphQL response cache off (the search cache on);
#   3. the same search with every cache off (each request ranks all its
#      matches) at 32 connections, while a list query runs beside it at 8:
#      searches beyond the bound get a fast 503 with Retry-After, and the
#      list must answer with no error at all.
#
#   bench/search-shedding.sh DATABASE_URL [SECONDS]
#
# Needs wrk and python3. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="$1"
SECS="${2:-30}"
PORT="${BENCH_PORT:-18081}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
BIN="${BENCH_BIN:-}"
if [[ -z "$BIN" ]]; then
  cargo build --release --quiet
  BIN="$CARGO_TARGET_DIR/release/osce-api"
fi
WORK="$(mktemp -d)"
SERVER=""
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

lua() { # lua NAME QUERY
  python3 - "$WORK/$1.lua" "$2" <<'PY'
import json, sys
body = json.dumps({"query": sys.argv[2]})
open(sys.argv[1], "w").write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' % json.dumps(body))
PY
}
lua search '{ pressReleases(search: "ceasefire monitoring", first: 20) { totalCount edges { snippet node { title date } } } }'
lua list '{ pressReleases(first: 20, filter: { fieldsOfWork: ["human-rights"] }) { totalCount nodes { title date source { name } } } }'

start() {
  RUST_LOG=warn "$BIN" --database-url "$URL" serve --listen "127.0.0.1:$PORT" &
  SERVER=$!
  for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && return; sleep 0.5; done
  echo "the server did not become ready"; exit 1
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
# wrk's summary: requests/s, p50 and p99 in ms, non-2xx answers, socket errors.
summary() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    m = re.match(r"[\d.]+", v)
    if not m:
        return float("nan")
    n = float(m.group())
    return n / 1000 if v.endswith("us") else n if v.endswith("ms") else n * 1000
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
def pct(label):
    m = re.search(label + r"\s+(\S+)", text)
    return ms(m.group(1)) if m else float("nan")
p50, p99 = pct("50%"), pct("99%")
total = re.search(r"(\d+) requests in", text).group(1)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: (.*)", text)
print(f"{rps:>9} req/s  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  requests {total}  non-2xx {non2xx.group(1) if non2xx else 0}  socket errors {sock.group(1) if sock else 'none'}")
PY
}

echo "1. search, default settings, 32 connections, ${SECS} s"
start
curl -sf "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' --data @<(python3 -c 'import json,sys; print(json.dumps({"query": "{ pressReleases(search: \"ceasefire monitoring\", first: 1) { totalCount } }"}))') >"$WORK/count.json"
echo "   matches: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["pressReleases"]["totalCount"])' "$WORK/count.json")"
stop
start  # a fresh server: the first requests rank, the rest share or hit the cache
wrk -t2 -c32 -d"${SECS}s" --timeout 30s --latency -s "$WORK/search.lua" "http://127.0.0.1:$PORT/graphql" >"$WORK/1.txt"
echo "   search: $(summary "$WORK/1.txt")"
stop

echo "2. the GraphQL response cache off (each request builds its page and snippets from the cached matches), 32 connections, ${SECS} s"
OSCE_GRAPHQL_CACHE_BYTES=0 start
wrk -t2 -c32 -d"${SECS}s" --timeout 30s --latency -s "$WORK/search.lua" "http://127.0.0.1:$PORT/graphql" >"$WORK/2.txt"
echo "   search: $(summary "$WORK/2.txt")"
stop

echo "3. caches off: search at 32 connections and a list at 8, together, ${SECS} s"
OSCE_GRAPHQL_CACHE_BYTES=0 OSCE_SEARCH_CACHE_MATCHES=0 start
wrk -t1 -c32 -d"${SECS}s" --timeout 30s --latency -s "$WORK/search.lua" "http://127.0.0.1:$PORT/graphql" >"$WORK/3s.txt" &
SEARCH_LOAD=$!
wrk -t1 -c8 -d"${SECS}s" --timeout 30s --latency -s "$WORK/list.lua" "http://127.0.0.1:$PORT/graphql" >"$WORK/3l.txt"
wait "$SEARCH_LOAD"
echo "   search: $(summary "$WORK/3s.txt")   (non-2xx: 503 SEARCH_BUSY with Retry-After)"
echo "   list:   $(summary "$WORK/3l.txt")"
echo "   server peak RSS: $(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status") MB"
stop
