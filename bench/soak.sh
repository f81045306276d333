#!/usr/bin/env bash
# Soak benchmark (loopback only): a mixed workload at saturation for two
# minutes — GraphQL Q1–Q7 and a search over POST, a GraphQL GET, a REST page
# and a CSV page, an Atom feed and an embed page, round robin — with wrk at
# 32 connections. Reports requests/s, p50/p99, non-2xx responses (any 5xx
# among them), and the server's RSS every 10 s, so that growth shows.
#
#   bench/soak.sh DATABASE_URL [SECONDS]
#
# BENCH_CACHE=off (default) runs the server with its response and search
# caches off, so every request reaches the database; BENCH_CACHE=on keeps
# the defaults. Needs wrk (Debian package `wrk`), curl and python3, and a
# database that holds a corpus (see bench/graphql-load.sh). Run on an idle
# machine.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="$1"
DURATION="${2:-120}"
PORT="${BENCH_PORT:-18081}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/osce-api"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; kill "$SAMPLER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ "${BENCH_CACHE:-off}" = off ]; then
  export OSCE_GRAPHQL_CACHE_BYTES=0 OSCE_SEARCH_CACHE_MATCHES=0 OSCE_FEED_CACHE_ENTRIES=0
fi
RUST_LOG=warn "$BIN" --database-url "$URL" serve --listen "127.0.0.1:$PORT" &
SERVER=$!
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done

python3 - "$PORT" "$WORK" <<'PY'
import json, sys, urllib.parse, urllib.request
port, work = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
def gql(query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(f"{base}/graphql", body, {"Content-Type": "application/json"})
    out = json.load(urllib.request.urlopen(req, timeout=600))
    assert "errors" not in out, out
    return out["data"]
q1 = "query($after: String) { pressReleases(first: 20, after: $after) { pageInfo { endCursor } nodes { title date source { name } fieldsOfWork { name } countries { code } } } }"
after = None
for _ in range(49):
    after = gql(q1, {"after": after})["pressReleases"]["pageInfo"]["endCursor"]
slug = gql("{ pressReleases(first: 1, filter: { countries: [\"AM\"] }) { nodes { slug } } }")["pressReleases"]["nodes"][0]["slug"]
f = '{ fieldsOfWork: ["human-rights"], countries: ["UA"], dateFrom: "2015-01-01", dateTo: "2020-12-31" }'
posts = [
    (q1, {}),
    ("{ pressReleases(first: 20, filter: %s) { totalCount nodes { title date source { name } } } }" % f, {}),
    ("query($slug: String!) { pressRelease(slug: $slug) { title bodyHtml translations { language title } people { person { name } role { title representing { code } } } meetings { title startDate } } }", {"slug": slug}),
    ("{ orgUnits(filter: { topLevel: true }) { slug name kind children { slug name kind country { code } children { slug name kind closedOn } } } }", {}),
    (q1, {"after": after}),
    ("{ pressReleases(first: 20, filter: %s) { totalCount nodes { title date } facets { fieldsOfWork { fieldOfWork { slug } count } countries { country { code } count } sources { orgUnit { slug } count } years { year count } } } }" % f, {}),
    ('{ people(first: 20, filter: { roleTitles: ["Co-Chair"], orgUnits: ["minsk-group"], representing: ["RU"] }) { nodes { name roles { title from to representing { code } } } } }', {}),
    ('{ pressReleases(search: "ceasefire monitoring", first: 20) { totalCount edges { snippet node { title date } } } }', {}),
]
requests = []
for query, variables in posts:
    gql(query, variables)
    requests.append(("POST", "/graphql", json.dumps({"query": query, "variables": variables})))
gets = [
    "/graphql?" + urllib.parse.urlencode({"query": "{ pressReleases(first: 10, filter: { countries: [\"GE\"] }) { nodes { title date } } }"}),
    "/api/v1/press-releases?field_of_work=human-rights&limit=20",
    "/api/v1/press-releases.csv?country=AM&date_from=2025-01-01&fields=slug,title,date,countries",
    "/feeds/press-releases.atom?country=UA",
    "/embed/press-releases?field_of_work=human-rights",
]
for path in gets:
    urllib.request.urlopen(base + path, timeout=600).read()
    requests.append(("GET", path, ""))
with open(f"{work}/mix.lua", "w") as out:
    out.write("local requests = {\n")
    for method, path, body in requests:
        out.write("  {%s, %s, %s},\n" % (json.dumps(method), json.dumps(path), json.dumps(body)))
    out.write("}\n")
    out.write("""
local counter = 0
function init(args) counter = math.random(#requests) end
function request()
  counter = counter % #requests + 1
  local r = requests[counter]
  if r[1] == "POST" then
    return wrk.format("POST", r[2], {["Content-Type"] = "application/json"}, r[3])
  end
  return wrk.format("GET", r[2])
end
""")
print(f"{len(requests)} kinds of request, round robin")
PY

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status"; }
echo "RSS before: $(rss) MB"
( while sleep 10; do echo "$(date +%T) RSS $(rss) MB"; done ) &
SAMPLER=$!
wrk -t2 -c32 -d"${DURATION}s" --timeout 30s --latency -s "$WORK/mix.lua" "http://127.0.0.1:$PORT" | tee "$WORK/wrk.txt"
kill "$SAMPLER" 2>/dev/null || true
echo "RSS after: $(rss) MB; peak $(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status") MB"
# Any non-2xx would be listed by wrk; 5xx from the server's own counters:
curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^osce_http_requests_total/ && /status="5/ {n += $2} END {print "5xx answered:", n + 0}'
