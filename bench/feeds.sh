#!/usr/bin/env bash
# Load benchmark of the feeds (loopback only): a filtered Atom feed of 20
# items with wrk at 32 connections, cache hot and cache cold. Reports
# requests/s, p50, p99 and the server's RSS per mode.
#
#   bench/feeds.sh DATABASE_URL [SECONDS]
#
# Modes, each on a fresh server:
#   hot          the in-process feed cache on (default settings: the content
#                generation is re-read at most once a second)
#   hot-strict   the cache on, the generation re-read on every request
#                (OSCE_CONTENT_CHECK_INTERVAL_MS=0)
#   hot-304      as hot, every request revalidating with If-None-Match
#   cold         the cache off (OSCE_FEED_CACHE_ENTRIES=0): every request
#                reads the list and renders the feed
#
# The database should already hold a corpus, e.g.
#   osce-api generate --releases 1000000 > c.jsonl && osce-api --database-url URL import c.jsonl
# Needs wrk (Debian package `wrk`) and curl. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="$1"
DURATION="${2:-15}"
PORT="${BENCH_PORT:-18081}"
FEED="/feeds/press-releases.atom?field_of_work=human-rights&country=UA&limit=20"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/osce-api"
WORK="$(mktemp -d)"
SERVER=""
stop() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi; }
trap 'stop; rm -rf "$WORK"' EXIT

start() { # start ENV=VALUE...
  env "$@" RUST_LOG=warn OSCE_PUBLIC_URL="http://127.0.0.1:$PORT" \
    "$BIN" --database-url "$URL" serve --listen "127.0.0.1:$PORT" &
  SERVER=$!
  # The server builds the release index before it listens: allow minutes on a big corpus.
  for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && return; sleep 0.5; done
  echo "server did not start" >&2; exit 1
}

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status"; }

run() { # run MODE [wrk args...]
  local mode="$1"; shift
  curl -sf "http://127.0.0.1:$PORT$FEED" >/dev/null   # warm the index (and the cache)
  local out rps p50 p99 errors
  out=$(wrk -t2 -c32 -d"${DURATION}s" --latency "$@" "http://127.0.0.1:$PORT$FEED")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
  printf "%-11s %10s %9s %9s %8s %s\n" "$mode" "$rps" "$p50" "$p99" "$(rss)" "$errors"
}

start
items=$(curl -sf "http://127.0.0.1:$PORT$FEED" | grep -o "<entry>" | wc -l)
etag=$(curl -sfI "http://127.0.0.1:$PORT$FEED" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
echo "feed: $FEED ($items entries, ETag $etag)"
[ "$items" -eq 20 ] || echo "warning: the corpus gives $items entries, not 20" >&2
printf "%-11s %10s %9s %9s %8s\n" mode "req/s" "p50" "p99" "RSS_MB"
run hot
# wrk counts 304 as non-2xx; the line says how many, all of them expected.
cat > "$WORK/304.lua" <<LUA
wrk.headers["If-None-Match"] = '$etag'
LUA
run hot-304 -s "$WORK/304.lua"
stop
start OSCE_CONTENT_CHECK_INTERVAL_MS=0
run hot-strict
stop
start OSCE_FEED_CACHE_ENTRIES=0
run cold
echo "server peak RSS (cold run): $(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status") MB"
