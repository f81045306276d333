#!/usr/bin/env bash
# Load benchmark of the GraphQL API (loopback only): queries Q1–Q7 of the
# GraphQL issue and S1–S2 of the search issue against a running database,
# with wrk at 32 connections. Reports requests/s, p50, p99 and the server's
# RSS per query.
#
#   bench/graphql-load.sh DATABASE_URL [SECONDS]
#
# BENCH_QUERIES="S1 S2" runs only those queries. BENCH_CACHE=off (default)
# runs the server with its GraphQL response cache and search cache off, so
# every request is computed; BENCH_CACHE=on keeps the server's defaults.
#
# The database should already hold a corpus, e.g.
#   osce-api generate --releases 1000000 > c.jsonl && osce-api --database-url URL import c.jsonl
# Needs wrk (Debian package `wrk`) and python3. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="$1"
SECONDS_PER_QUERY="${2:-10}"
PORT="${BENCH_PORT:-18080}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/osce-api"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ "${BENCH_CACHE:-off}" = off ]; then
  export OSCE_GRAPHQL_CACHE_BYTES=0 OSCE_SEARCH_CACHE_MATCHES=0
fi
echo "caches: ${BENCH_CACHE:-off}"
RUST_LOG=warn "$BIN" --database-url "$URL" serve --listen "127.0.0.1:$PORT" &
SERVER=$!
# The server builds the release index before it listens: allow minutes on a big corpus.
STARTED=$(date +%s)
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
echo "server ready after $(( $(date +%s) - STARTED )) s (migrations, reference data check, release index)"

python3 - "$PORT" "$WORK" <<'PY'
import json, sys, urllib.request
port, work = sys.argv[1], sys.argv[2]
def gql(query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", body, {"Content-Type": "application/json"})
    out = json.load(urllib.request.urlopen(req, timeout=600))
    assert "errors" not in out, out
    return out["data"]
q1 = "query($after: String) { pressReleases(first: 20, after: $after) { pageInfo { endCursor } nodes { title date source { name } fieldsOfWork { name } countries { code } } } }"
gql(q1)  # builds the release index
after = None
for _ in range(49):
    after = gql(q1, {"after": after})["pressReleases"]["pageInfo"]["endCursor"]
slug = gql("{ pressReleases(first: 1, filter: { meetingKinds: [MINISTERIAL_COUNCIL] }) { nodes { slug } } }")["pressReleases"]["nodes"]
slug = slug[0]["slug"] if slug else "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25"
q2filter = '{ fieldsOfWork: ["human-rights"], countries: ["UA"], dateFrom: "2015-01-01", dateTo: "2020-12-31" }'
queries = {
    "Q1": (q1, {}),
    "Q2": ("{ pressReleases(first: 20, filter: %s) { totalCount nodes { title date source { name } } } }" % q2filter, {}),
    "Q3": ("query($slug: String!) { pressRelease(slug: $slug) { title bodyHtml translations { language title } people { person { name } role { title representing { code } } } meetings { title startDate } } }", {"slug": slug}),
    "Q4": ("{ orgUnits(filter: { topLevel: true }) { slug name kind children { slug name kind country { code } children { slug name kind closedOn } } } }", {}),
    "Q5": (q1, {"after": after}),
    "Q6": ("{ pressReleases(first: 20, filter: %s) { totalCount nodes { title date } facets { fieldsOfWork { fieldOfWork { slug } count } countries { country { code } count } sources { orgUnit { slug } count } years { year count } } } }" % q2filter, {}),
    "Q7": ('{ people(first: 20, filter: { roleTitles: ["Co-Chair"], orgUnits: ["minsk-group"], representing: ["RU"] }) { nodes { name roles { title from to representing { code } } } } }', {}),
    "S1": ('{ pressReleases(search: "ceasefire monitoring", first: 20) { totalCount edges { snippet node { title date } } } }', {}),
    "S2": ('{ pressReleases(search: "ceasefire monitoring", first: 20, filter: { fieldsOfWork: ["conflict-prevention-and-resolution"] }) { totalCount edges { snippet node { title date } } facets { fieldsOfWork { fieldOfWork { slug } count } countries { country { code } count } sources { orgUnit { slug } count } years { year count } } } }', {}),
}
for name, (query, variables) in queries.items():
    gql(query, variables)
    body = json.dumps({"query": query, "variables": variables})
    with open(f"{work}/{name}.lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' % json.dumps(body))
PY

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status"; }
printf "%-4s %10s %9s %9s %8s\n" query "req/s" "p50" "p99" "RSS_MB"
for q in ${BENCH_QUERIES:-Q1 Q2 Q3 Q4 Q5 Q6 Q7 S1 S2}; do
  out=$(wrk -t2 -c32 -d"${SECONDS_PER_QUERY}s" --timeout 30s --latency -s "$WORK/$q.lua" "http://127.0.0.1:$PORT/graphql")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
  printf "%-4s %10s %9s %9s %8s %s\n" "$q" "$rps" "$p50" "$p99" "$(rss)" "$errors"
done
echo "server peak RSS: $(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status") MB"
