#!/usr/bin/env bash
# make bench-dims: who spent it at a million distinct users (issue #17 item 4).
# Generates (bench/dims/users.py: OTLP JSON lines in the Collector's layout,
# 1,000,000 users each with at least one task, a team resource attribute)
# straight into `agentcost ingest -`, then times each dimension query and its
# peak RSS beside a baseline measured in the same run: `summary` (one pass
# over every span) and a plain SQLite GROUP BY of the stored user column
# (sqlite3, the lower bound of any per-user answer). Prints a Markdown table
# and writes it to bench/results/dims-<date>.md.
#   DIMS_USERS=1000000 DIMS_TASKS=1200000 DIMS_DIR=bench/data
set -uo pipefail
cd "$(dirname "$0")/.."
AC=$(realpath "${1:-build/agentcost}")
USERS=${DIMS_USERS:-1000000}
TASKS=${DIMS_TASKS:-1200000}
DIR=${DIMS_DIR:-bench/data}
mkdir -p "$DIR" bench/results
OUT=bench/results/dims-$(date -u +%Y-%m-%d).md
export CI=1
./scripts/deps.sh python3 sqlite3 time >/dev/null || exit 1
DB=$DIR/dims.db
rm -f "$DB" "$DB-wal" "$DB-shm"

row() { # NAME COMMAND...: time and peak RSS of one run
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$DIR/time.txt" "$@" >"$DIR/out.txt" 2>"$DIR/err.txt"
  local rc=$?
  t1=$(date +%s.%N)
  local kb
  kb=$(awk '/Maximum resident/ { print $6 }' "$DIR/time.txt")
  printf '| %s | %.2f | %d |%s\n' "$name" "$(echo "$t1 - $t0" | bc)" "$((kb / 1024))" \
    "$([ $rc = 0 ] || echo " exit $rc")" | tee -a "$OUT"
}

{
  echo "# agentcost dimensions at $USERS distinct users ($(date -u +%Y-%m-%d), $(nproc) cores)"
  echo
  echo "| step | seconds | peak RSS MB |"
  echo "|---|---:|---:|"
} >"$OUT"
cat "$OUT"
t0=$(date +%s.%N)
python3 bench/dims/users.py "$USERS" "$TASKS" | /usr/bin/time -v -o "$DIR/time.txt" "$AC" --db "$DB" ingest - >/dev/null 2>"$DIR/err.txt"
t1=$(date +%s.%N)
printf '| generate + ingest %s tasks (python generator piped in) | %.2f | %d |\n' "$TASKS" \
  "$(echo "$t1 - $t0" | bc)" "$(( $(awk '/Maximum resident/ { print $6 }' "$DIR/time.txt") / 1024 ))" | tee -a "$OUT"
distinct=$(sqlite3 "$DB" "SELECT count(DISTINCT user_v) FROM span")
row "baseline: summary (every span once)" "$AC" --db "$DB" summary
row "baseline: sqlite3 GROUP BY span.user_v, top 20" sqlite3 "$DB" \
  "SELECT user_v, total(cost_usd) c FROM span GROUP BY user_v ORDER BY c DESC LIMIT 20"
row "top user (top 20)" "$AC" --db "$DB" top user
row "top user --limit 0 (all $distinct values, CSV)" "$AC" --db "$DB" top user --limit 0 --format csv
if "$AC" --db "$DB" tasks --by user --format csv >/dev/null 2>&1; then
  row "tasks --by user (CSV, a row per user)" "$AC" --db "$DB" tasks --by user --format csv
fi
row "top attr:team (read from the originals)" "$AC" --db "$DB" top attr:team
row "dims add team (promote: fill from the originals)" "$AC" --db "$DB" dims add team
row "top attr:team (promoted)" "$AC" --db "$DB" top attr:team
echo | tee -a "$OUT"
echo "distinct users in the store: $distinct; spans: $(sqlite3 "$DB" 'SELECT count(*) FROM span'); store $(du -m "$DB" | cut -f1) MB" | tee -a "$OUT"
