#!/usr/bin/env bash
# Benchmark: `osce-api import-pages` on 10,000 generated pages (half saved
# as text, half as HTML), rendered from a generated corpus by
# bench/render_pages.py. Prints the parser alone (pages/s, text and HTML
# apart), then the whole import on SQLite and PostgreSQL: a dry run (three
# rounds) and a commit, each as the command reports it. Run on an idle
# machine.
#
#   bench/import-pages.sh [PAGES]          (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet -p osce-api -p osce-api-pages --bins --examples
BIN="$CARGO_TARGET_DIR/release/osce-api"
PAGES="${1:-10000}"
WORK="${BENCH_DIR:-/var/tmp/osce-bench-pages}"
PG_ADMIN="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
export RUST_LOG=warn
mkdir -p "$WORK"
corpus="$WORK/corpus.jsonl"
[ -s "$corpus" ] || "$BIN" generate --releases "$PAGES" --seed 7 --output "$corpus"
rm -rf "$WORK/pages"
python3 bench/render_pages.py "$corpus" "$WORK/pages" "$PAGES"
# Everything but the releases: the pages create them.
grep -v '"type":"press_release"' "$corpus" > "$WORK/catalog.jsonl"

echo "parser alone:"
"$CARGO_TARGET_DIR/release/examples/parse_dir" "$WORK/pages" 5

for backend in ${BENCH_BACKENDS:-sqlite postgres}; do
  if [ "$backend" = sqlite ]; then
    rm -f "$WORK"/pages.db*
    url="sqlite://$WORK/pages.db?mode=rwc"
  else
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS osce_pages_bench" -c "CREATE DATABASE osce_pages_bench"
    url="${PG_ADMIN%/*}/osce_pages_bench"
  fi
  "$BIN" --database-url "$url" import "$WORK/catalog.jsonl" 2>/dev/null
  for round in 1 2 3; do
    printf "%s dry run %s: " "$backend" "$round"
    "$BIN" --database-url "$url" import-pages "$WORK/pages" 2>&1 >/dev/null | tail -n 1
  done
  printf "%s commit: " "$backend"
  "$BIN" --database-url "$url" import-pages --commit "$WORK/pages" 2>&1 >/dev/null | tail -n 1
  printf "%s again (all unchanged): " "$backend"
  "$BIN" --database-url "$url" import-pages --commit "$WORK/pages" 2>&1 >/dev/null | tail -n 1
done
