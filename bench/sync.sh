#!/usr/bin/env bash
# The changes feed and webhooks (issue 21), on one replica over DATABASE_URL:
#   1. feed throughput: a new mirror reads the whole feed from no cursor to
#      the head at 1000 changes a page (RUNS times; quote the median);
#   2. webhook latency: RATE corrections a second for SECONDS to releases
#      published first, a local receiver registered for press_release.updated;
#      p50/p99 from the write's answer to the webhook's arrival.
#
#   bench/sync.sh DATABASE_URL [SECONDS] [RATE] [RUNS]
#
# Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="$1"
SECS="${2:-60}"
RATE="${3:-10}"
RUNS="${4:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet --bin osce-api --example sync_bench
BIN="$CARGO_TARGET_DIR/release/osce-api"
BENCH="$CARGO_TARGET_DIR/release/examples/sync_bench"
WORK="$(mktemp -d)"
trap 'kill $A 2>/dev/null || true; rm -rf "$WORK"' EXIT
OSCE_WEBHOOK_ALLOW_LOOPBACK=true RUST_LOG=warn "$BIN" --database-url "$URL" serve --listen 127.0.0.1:18091 2>"$WORK/a.log" &
A=$!
for _ in $(seq 1 2400); do curl -sf http://127.0.0.1:18091/readyz >/dev/null && break; sleep 0.25; done
EDITOR="$("$BIN" --database-url "$URL" api-key create --name "bench-sync-editor-$$" --scopes read:drafts,write,publish 2>/dev/null)"
ADMIN="$("$BIN" --database-url "$URL" api-key create --name "bench-sync-admin-$$" --scopes admin 2>/dev/null)"
for run in $(seq 1 "$RUNS"); do
  echo -n "run $run: "
  "$BENCH" feed --base http://127.0.0.1:18091 --limit 1000
done
OSCE_API_KEY="$EDITOR" OSCE_ADMIN_KEY="$ADMIN" "$BENCH" webhooks --base http://127.0.0.1:18091 --rate "$RATE" --seconds "$SECS"
"$BIN" --database-url "$URL" api-key revoke "bench-sync-editor-$$" 2>/dev/null
"$BIN" --database-url "$URL" api-key revoke "bench-sync-admin-$$" 2>/dev/null
