#!/usr/bin/env bash
# Benchmark of the streamed REST exports (loopback only): a full CSV export,
# then a full JSON Lines export, of a generated corpus, through the running
# service. Reports rows/s and the server's resident memory: before the
# export (index built), its peak during the export (sampled every 0.1 s),
# and the growth. Run on an idle machine.
#
#   bench/rest-export.sh [RELEASES] [sqlite|postgres]   (default: 1000000 postgres)
#
# BENCH_FORMATS="csv csv" repeats an export (a second run that does not
# grow the peak shows memory is reused, not accumulated).
# The corpus and the loaded database are kept under $BENCH_DIR (default
# /var/tmp/osce-bench) and reused by later runs with the same size. For
# PostgreSQL it needs a server at $BENCH_PG_URL (default
# postgres://postgres@127.0.0.1:5432/test) and creates the database
# osce_bench_rest there (BENCH_DB names another), reached without TLS as on
# loopback. BENCH_BIN runs another build of osce-api.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
BACKEND="${2:-postgres}"
PORT="${BENCH_PORT:-18090}"
WORK="${BENCH_DIR:-/var/tmp/osce-bench}"
PG_ADMIN="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
if [[ -z "${BENCH_BIN:-}" ]]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
  cargo build --release --quiet
  BENCH_BIN="$CARGO_TARGET_DIR/release/osce-api"
fi
export RUST_LOG=warn
mkdir -p "$WORK"

corpus="$WORK/corpus-$N.jsonl"
[[ -s "$corpus" ]] || "$BENCH_BIN" generate --releases "$N" --seed 1 --output "$corpus"
if [[ "$BACKEND" == sqlite ]]; then
  url="sqlite://$WORK/rest-$N.db?mode=rwc"
  loaded="$WORK/rest-$N.db.loaded"
else
  db="${BENCH_DB:-osce_bench_rest}"
  url="${PG_ADMIN%/*}/$db?sslmode=disable"
  marker="$WORK/$db.loaded"
  [[ "$db" == osce_bench_rest ]] && marker="$WORK/rest-postgres.loaded"
  loaded="$marker-$N"
fi
if [[ ! -e "$loaded" ]]; then
  echo "loading $N releases into $BACKEND"
  if [[ "$BACKEND" == sqlite ]]; then
    rm -f "$WORK/rest-$N.db"*
  else
    rm -f "$marker"-*
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  fi
  "$BENCH_BIN" --database-url "$url" import "$corpus"
  touch "$loaded"
fi

if [[ "$BACKEND" == postgres ]]; then
  # The figures depend on it (docs/deployment.md, "PostgreSQL settings").
  echo "PostgreSQL shared_buffers: $(psql "$PG_ADMIN" -Atc 'SHOW shared_buffers')"
fi
"$BENCH_BIN" --database-url "$url" serve --listen "127.0.0.1:$PORT" &
SERVER=$!
SAMPLER=""
trap 'kill "$SERVER" $SAMPLER 2>/dev/null || true' EXIT
# The server builds the release index before it listens: allow minutes.
for _ in $(seq 1 1200); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { echo "the server exited"; exit 1; }
  sleep 0.5
done

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }

printf "%-8s %-9s %-6s %9s %10s %10s %9s %11s %9s\n" \
  backend releases format seconds rows rows/s rss_MB peak_rss_MB growth_MB
for format in ${BENCH_FORMATS:-csv jsonl}; do
  before=$(rss_kb)
  echo "$before" >"$WORK/rss.txt"
  ( while kill -0 "$SERVER" 2>/dev/null; do rss_kb >>"$WORK/rss.txt" || true; sleep 0.1; done ) &
  SAMPLER=$!
  read -r code secs < <(curl -s -o /dev/null -D "$WORK/headers.txt" -w '%{http_code} %{time_total}\n' \
    "http://127.0.0.1:$PORT/api/v1/press-releases.$format")
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
  [[ "$code" == 200 ]] || { echo "export failed: HTTP $code"; exit 1; }
  rows=$(awk 'tolower($1) == "x-total-count:" {print $2+0}' "$WORK/headers.txt")
  peak=$(sort -n "$WORK/rss.txt" | tail -n 1)
  printf "%-8s %-9s %-6s %9.1f %10s %10.0f %9d %11d %9d\n" "$BACKEND" "$N" "$format" "$secs" "$rows" \
    "$(echo "$rows / $secs" | bc -l)" $((before / 1024)) $((peak / 1024)) $(((peak - before) / 1024))
done
