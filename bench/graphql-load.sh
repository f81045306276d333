#!/usr/bin/env bash
# Load benchmark of the GraphQL API (loopback only): queries Q1–Q7 of the
# GraphQL issue and S1–S2 of the search issue against a running database,
# with wrk at 32 connections. Reports requests/s, p50, p99 and the server's
# RSS per query.
#
#   bench/graphql-load.sh DATABASE_URL [SECONDS]
#
# BENCH_QUERIES="S1 S2" runs only those queries (R1 R2 RN RS: in Russian;
# BENCH_RU_SEARCH sets RS's words). BENCH_ROUNDS=3 runs them
# all three times in turn and adds each query's medians. BENCH_CACHE=off (default)
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
if [[ "$URL" == postgres* ]]; then
  # The figures depend on it (docs/deployment.md, "PostgreSQL settings").
  echo "PostgreSQL shared_buffers: $(psql "${URL%%\?*}" -Atc 'SHOW shared_buffers')"
fi
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
    # In Russian (issue 22): every release once, in Russian where it has
    # a translation (else English); RN only those in Russian; RS searches
    # the served text, Russian stemmed.
    "R1": ('query($after: String) { pressReleases(first: 20, after: $after, locale: "ru") { pageInfo { endCursor } nodes { title summary servedLocale date source { name } fieldsOfWork { name } countries { code } } } }', {}),
    "R2": ('{ pressReleases(first: 20, locale: "ru", filter: %s) { totalCount nodes { title servedLocale date source { name } } } }' % q2filter, {}),
    "RN": ('{ pressReleases(first: 20, locale: "ru", fallback: []) { totalCount nodes { title servedLocale date } } }', {}),
    "RS": ('{ pressReleases(search: "%s", locale: "ru", first: 20) { totalCount edges { snippet node { title servedLocale date } } } }' % __import__("os").environ.get("BENCH_RU_SEARCH", "выборы"), {}),
    "S2": ('{ pressReleases(search: "ceasefire monitoring", first: 20, filter: { fieldsOfWork: ["conflict-prevention-and-resolution"] }) { totalCount edges { snippet node { title date } } facets { fieldsOfWork { fieldOfWork { slug } count } countries { country { code } count } sources { orgUnit { slug } count } years { year count } } } }', {}),
}
for name, (query, variables) in queries.items():
    gql(query, variables)
    body = json.dumps({"query": query, "variables": variables})
    with open(f"{work}/{name}.lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' % json.dumps(body))
PY

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status"; }
# wrk's latencies in milliseconds (it prints us, ms or s).
ms() { awk '{ v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[0-9]s$/ && $1 !~ /ms$/) v *= 1000; printf "%.2f", v }' <<<"$1"; }
ROUNDS="${BENCH_ROUNDS:-1}"
printf "%-5s %-4s %10s %9s %9s %8s\n" round query "req/s" "p50_ms" "p99_ms" "RSS_MB"
# Rounds run every query in turn, so that a slow minute of a shared machine
# spreads over the queries instead of landing on one.
for round in $(seq 1 "$ROUNDS"); do
  for q in ${BENCH_QUERIES:-Q1 Q2 Q3 Q4 Q5 Q6 Q7 S1 S2}; do
    out=$(wrk -t2 -c32 -d"${SECONDS_PER_QUERY}s" --timeout 30s --latency -s "$WORK/$q.lua" "http://127.0.0.1:$PORT/graphql")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
    printf "%-5s %-4s %10s %9s %9s %8s %s\n" "$round" "$q" "$rps" "$p50" "$p99" "$(rss)" "$errors"
    echo "$q $rps $p50 $p99" >>"$WORK/results"
  done
done
if ((ROUNDS > 1)); then
  echo "medians of $ROUNDS rounds:"
  for q in ${BENCH_QUERIES:-Q1 Q2 Q3 Q4 Q5 Q6 Q7 S1 S2}; do
    median() { awk -v q="$q" -v c="$1" '$1 == q {print $c}' "$WORK/results" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
    printf "%-5s %-4s %10s %9s %9s\n" median "$q" "$(median 2)" "$(median 3)" "$(median 4)"
  done
fi
echo "server peak RSS: $(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status") MB"
