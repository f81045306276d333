#!/usr/bin/env bash
# Fault benchmark (loopback only): a wrk load run against the service over
# a private PostgreSQL cluster (its own data folder under a temporary
# directory and its own port; the shared server on 5432 is never touched),
# during which that cluster is stopped and started again. Prints, second by
# second, the answers by status and the error rate, then how long after the
# database was back the errors stopped, and any error outside the outage.
# The service is not restarted.
#
#   bench/fault.sh [BEFORE_SECONDS] [OUTAGE_SECONDS] [AFTER_SECONDS]
#
# Defaults: 10 s of load, 10 s without the database, 15 s after it is back.
# Needs PostgreSQL's server binaries (initdb, pg_ctl), wrk and python3; run
# as root it runs the cluster as the `postgres` user. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE="${1:-10}"
OUTAGE="${2:-10}"
AFTER="${3:-15}"
PORT="${BENCH_PORT:-18095}"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT="${BENCH_PG_PORT:-$(free_port)}"
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/osce-api-release}"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/osce-api"

WORK="$(mktemp -d)"
PGDATA="$WORK/pg"
mkdir "$PGDATA"
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$WORK"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
pg() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" "$@" >/dev/null; }
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  pg -m immediate stop 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust >/dev/null
pg -w -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off" start
URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"

"$BIN" generate --releases "${BENCH_RELEASES:-5000}" --seed 1 --output "$WORK/corpus.jsonl" 2>/dev/null
"$BIN" --database-url "$URL" import "$WORK/corpus.jsonl" 2>/dev/null
# Warnings would be one line per failed request during the outage.
RUST_LOG=error "$BIN" --database-url "$URL" serve --listen "127.0.0.1:$PORT" 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "the service did not start"; cat "$WORK/server.log"; exit 1; }

# Requests rotate over GraphQL, REST and a feed; wrk's threads count the
# answers per wall-clock second and status (flat tables: wrk crashes copying
# nested ones between threads), merged and written at the end.
cat >"$WORK/fault.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  ok, unavailable, other = {}, {}, {}
  n = 0
  local query = '{"query":"{ pressReleases(first: 10) { totalCount nodes { slug title date source { name } } } }"}'
  kinds = {
    wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, query),
    wrk.format("GET", "/api/v1/press-releases?limit=10&fields=slug,date,title"),
    wrk.format("GET", "/feeds/press-releases.atom?limit=10"),
  }
end
function request()
  n = n + 1
  return kinds[n % #kinds + 1]
end
function response(status, headers, body)
  local second = os.time()
  local counts = other
  if status == 200 then
    counts = ok
  elseif status == 503 then
    counts = unavailable
  end
  counts[second] = (counts[second] or 0) + 1
end
function done(summary, latency, reqs)
  local total = {}
  for _, thread in ipairs(threads) do
    for column, name in ipairs({ "ok", "unavailable", "other" }) do
      for second, count in pairs(thread:get(name)) do
        local row = total[second] or { 0, 0, 0 }
        row[column] = row[column] + count
        total[second] = row
      end
    end
  end
  local out = io.open(os.getenv("FAULT_COUNTS"), "w")
  for second, row in pairs(total) do
    out:write(string.format("%d %d %d %d\n", second, row[1], row[2], row[3]))
  end
  out:close()
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
LUA

(
  sleep "$BEFORE"
  date +%s >"$WORK/stopping"
  pg -m fast stop
  sleep "$OUTAGE"
  pg -w -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off" start
  date +%s >"$WORK/back"
) &
OUTAGE_PID=$!
START=$(date +%s)
FAULT_COUNTS="$WORK/counts" wrk -t2 -c32 -d"$((BEFORE + OUTAGE + AFTER))s" --timeout 10s \
  -s "$WORK/fault.lua" "http://127.0.0.1:$PORT" | grep -E "Requests/sec|socket errors|Non-2xx"
wait "$OUTAGE_PID"

python3 - "$WORK/counts" "$START" "$(cat "$WORK/stopping")" "$(cat "$WORK/back")" <<'PY'
import sys
path, start, stopping, back = sys.argv[1], *map(int, sys.argv[2:])
counted = {row[0]: row for row in (tuple(map(int, line.split())) for line in open(path))}
# Seconds in which no answer arrived (every request waiting) show as zeros.
rows = [counted.get(t, (t, 0, 0, 0)) for t in range(min(counted), max(counted) + 1)]
print(f"{'t':>4} {'200':>7} {'503':>6} {'other':>6} {'errors':>7}")
last_error = None
outside = 0
for second, ok, unavailable, other in rows:
    errors = unavailable + other
    mark = "  <- database stopped" if second == stopping else "  <- database back" if second == back else ""
    rate = f"{100 * errors / (ok + errors):6.1f}%" if ok + errors else "      -"
    print(f"{second - start:>4} {ok:>7} {unavailable:>6} {other:>6} {rate}{mark}")
    if errors:
        last_error = second
    if errors and not stopping <= second <= back + 10:
        outside += errors
    if other:
        print(f"     {other} answers were neither 200 nor 503")
print(f"database stopped at t={stopping - start} s, back at t={back - start} s")
if last_error is None:
    print("no errors at all (the outage was not seen)")
elif last_error < back:
    print("no errors once the database was back (requests waiting for a connection then were answered)")
else:
    print(f"errors stopped within {last_error - back + 1} s of the database's return")
print(f"errors outside the outage window (stop .. back + 10 s): {outside}")
PY
echo "server RSS at the end: $(awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status") MB"
