#!/usr/bin/env bash
# Benchmark: import and export of generated corpora on SQLite and PostgreSQL.
# Reports releases/s, peak RSS and database size. Run on an idle machine.
# BENCH_BACKENDS="sqlite" limits the run to one backend.
#
#   bench/import-export.sh [RELEASES...]          (default: 100000 1000000)
#
# Needs GNU time (/usr/bin/time) and, for PostgreSQL, a server reachable at
# $BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test); it creates
# and drops its own database there.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/osce-api"
WORK="${BENCH_DIR:-/var/tmp/osce-bench}"
PG_ADMIN="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PG_BASE="${PG_ADMIN%/*}"
mkdir -p "$WORK"
export RUST_LOG=warn

measure() { # label command...  → prints seconds and peak RSS (MB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt"; exit 1; }
  read -r secs kb < "$WORK/time.txt"
  echo "$label $secs $((kb / 1024))"
}

printf "%-8s %-9s %-7s %10s %12s %9s %10s\n" backend releases step seconds releases/s peak_MB db_MB
for n in ${@:-100000 1000000}; do
  corpus="$WORK/corpus-$n.jsonl"
  [ -s "$corpus" ] || "$BIN" generate --releases "$n" --seed 1 --output "$corpus"
  for backend in ${BENCH_BACKENDS:-sqlite postgres}; do
    if [ "$backend" = sqlite ]; then
      rm -f "$WORK"/bench.db*
      url="sqlite://$WORK/bench.db?mode=rwc"
    else
      psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS osce_bench" -c "CREATE DATABASE osce_bench"
      url="$PG_BASE/osce_bench"
    fi
    "$BIN" --database-url "$url" migrate up
    read -r _ secs mb < <(measure import "$BIN" --database-url "$url" import "$corpus")
    if [ "$backend" = sqlite ]; then
      size=$(( $(cat "$WORK"/bench.db* | wc -c) / 1048576 ))
    else
      size=$(psql "$PG_ADMIN" -Atc "SELECT pg_database_size('osce_bench') / 1048576")
    fi
    printf "%-8s %-9s %-7s %10s %12.0f %9s %10s\n" "$backend" "$n" import "$secs" "$(echo "$n / $secs" | bc -l)" "$mb" "$size"
    read -r _ secs mb < <(measure export "$BIN" --database-url "$url" export --output "$WORK/export.jsonl")
    printf "%-8s %-9s %-7s %10s %12.0f %9s %10s\n" "$backend" "$n" export "$secs" "$(echo "$n / $secs" | bc -l)" "$mb" "-"
  done
done
