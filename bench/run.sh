#!/usr/bin/env bash
# make bench: agentcost's speed, measured beside what users would use instead,
# in the same run, on a workload generated here (agentcost gen: the published
# document-analysis scale, 12,000 tasks/day). Prints a Markdown table and
# writes it to bench/results/bench-<date>.md (not committed; the README quotes it).
#
#   BENCH_DAYS=6      days in the ingest file (~170 MB of OTLP JSON a day)
#   BENCH_SCALE=0.1   fraction of a year for the analysis store (1 = 365 days)
#   BENCH_DIR=bench/data
#   BENCH_SKIP_YEAR=1 skip the analysis part
set -uo pipefail
cd "$(dirname "$0")/.."
AC=${1:-build/agentcost}
AC=$(realpath "$AC")
DIR=${BENCH_DIR:-bench/data}
DAYS=${BENCH_DAYS:-6}
SCALE=${BENCH_SCALE:-0.1}
mkdir -p "$DIR" bench/results
OUT=bench/results/bench-$(date -u +%Y-%m-%d).md
export CI=1
./scripts/deps.sh jq python3 zstd time >/dev/null || exit 1

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v mb="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? mb / s : 0) }'; }
peak_kb() { awk '/Maximum resident/ { print $6 }' "$1"; }

{
echo "# agentcost benchmark, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1e6 }' /proc/meminfo), $(uname -sr); $(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'); load before start: $(cut -d' ' -f1 /proc/loadavg)"
echo
} | tee "$OUT"

# ---- the input ------------------------------------------------------------
IN=$DIR/in.jsonl
if [ ! -s "$IN" ] || [ "$(cat "$DIR/in.days" 2>/dev/null)" != "$DAYS" ]; then
  "$AC" gen -q --days "$DAYS" --tasks-per-day 12000 -o "$IN" --truth "$DIR/in.truth.json"
  zstd -q -f -3 "$IN" -o "$IN.zst"
  echo "$DAYS" >"$DIR/in.days"
fi
MB=$(awk -v b="$(stat -c %s "$IN")" 'BEGIN { printf "%.1f", b / 1e6 }')
ZMB=$(awk -v b="$(stat -c %s "$IN.zst")" 'BEGIN { printf "%.1f", b / 1e6 }')
SPANS=$(jq -r .spans "$DIR/in.truth.json")
cat "$IN" >/dev/null; cat "$IN.zst" >/dev/null  # page cache

row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" | tee -a "$OUT"; }
{
echo "## Ingest: $MB MB of OTLP JSON lines ($SPANS spans; $ZMB MB as .zst), one run each"
echo
echo "| what | seconds | MB/s of OTLP JSON | notes |"
echo "|---|---|---|---|"
} | tee -a "$OUT"

t0=$(now); cat "$IN" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1"); row "read (cat > /dev/null)" "$s" "$(rate "$MB" "$s")" "ceiling"
t0=$(now); wc -l "$IN" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1"); row "wc -l" "$s" "$(rate "$MB" "$s")" "ceiling"
t0=$(now); zstd -d -q -c "$IN.zst" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1"); row "zstd -d" "$s" "$(rate "$MB" "$s")" "ceiling (output MB/s)"

# baselines on a 100 MB sample (they are slow), scaled to MB/s
SAMPLE=$DIR/sample.jsonl
head -c 100000000 "$IN" | head -n -1 >"$SAMPLE"
SMB=$(awk -v b="$(stat -c %s "$SAMPLE")" 'BEGIN { printf "%.1f", b / 1e6 }')
t0=$(now); jq -r -f bench/baselines/extract.jq "$SAMPLE" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1")
JQ=$(rate "$SMB" "$s"); row "jq, extracting the same fields (sample)" "$s" "$JQ" "$SMB MB sample"
rm -f "$DIR/py.db"
t0=$(now); python3 bench/baselines/py_ingest.py "$SAMPLE" "$DIR/py.db"; t1=$(now); s=$(secs "$t0" "$t1")
PY=$(rate "$SMB" "$s"); row "Python json + sqlite3 (sample)" "$s" "$PY" "$SMB MB sample"

ingest() { # NAME FILE [options]
  local name=$1 file=$2
  shift 2
  rm -f "$DIR"/ac.db*
  t0=$(now)
  /usr/bin/time -v "$AC" --db "$DIR/ac.db" ingest "$@" "$file" >"$DIR/ingest.out" 2>"$DIR/time.txt"
  t1=$(now)
  s=$(secs "$t0" "$t1")
  local r; r=$(rate "$MB" "$s")
  local kb; kb=$(peak_kb "$DIR/time.txt")
  local bytes; bytes=$(( $(stat -c %s "$DIR/ac.db") + $(stat -c %s "$DIR/ac.db-wal" 2>/dev/null || echo 0) ))
  local raw; raw=$(sqlite3 "$DIR/ac.db" "SELECT coalesce(sum(length(z)), 0) FROM raw_block")
  local sps; sps=$(awk -v n="$SPANS" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
  row "agentcost ingest $name" "$s" "$r" "$sps spans/s, peak RSS $((kb / 1024)) MB, store $(awk -v b="$bytes" -v n="$SPANS" 'BEGIN { printf "%.0f", b / n }') B/span ($(awk -v b="$raw" -v n="$SPANS" 'BEGIN { printf "%.0f", b / n }') B/span of it compressed originals); ×$(awk -v a="$r" -v b="$JQ" 'BEGIN { printf "%.0f", a / b }') jq, ×$(awk -v a="$r" -v b="$PY" 'BEGIN { printf "%.0f", a / b }') Python"
}
ingest "(plain)" "$IN"
ingest "(.zst)" "$IN.zst"
ingest "(plain, --no-raw)" "$IN" --no-raw
echo | tee -a "$OUT"

[ "${BENCH_SKIP_YEAR:-0}" = 1 ] && exit 0

# ---- analysis on a store of SCALE of a year -------------------------------
YDAYS=$(awk -v s="$SCALE" 'BEGIN { d = int(365 * s + 0.5); print (d < 2 ? 2 : d) }')
Y=$DIR/year.db
if [ ! -s "$Y" ] || [ "$(cat "$DIR/year.days" 2>/dev/null)" != "$YDAYS" ]; then
  rm -f "$Y"*
  t0=$(now)
  "$AC" gen -q --days "$((YDAYS - 1))" --tasks-per-day 12000 --start 2025-01-01 -o - | "$AC" --db "$Y" ingest - >/dev/null
  t1=$(now)
  echo "$YDAYS" >"$DIR/year.days"
  echo "built the $((YDAYS - 1))-day store (gen | ingest -) in $(secs "$t0" "$t1") s" | tee -a "$OUT"
fi
YSPANS=$(sqlite3 "$Y" "SELECT count(*) FROM span")
{
echo
echo "## Analysis on $((YDAYS - 1)) days at 12,000 tasks/day ($YSPANS spans, $(( $(stat -c %s "$Y") / 1000000 )) MB store)"
echo
echo "| command | seconds | SELECT count(*) FROM span, same run |"
echo "|---|---|---|"
} | tee -a "$OUT"
timed() { # LABEL ARGS...
  local label=$1; shift
  t0=$(now); "$AC" --db "$Y" "$@" >/dev/null; t1=$(now); local s; s=$(secs "$t0" "$t1")
  t0=$(now); sqlite3 "$Y" "SELECT count(*) FROM span" >/dev/null; t1=$(now)
  printf '| %s | %s | %s |\n' "$label" "$s" "$(secs "$t0" "$t1")" | tee -a "$OUT"
}
printf 'complexity,model\nsimple,gpt-4o-mini\nmoderate,claude-3-5-haiku\ncomplex,claude-3-5-sonnet\n' >"$DIR/map.csv"
timed summary summary
timed tasks tasks
timed hidden hidden
timed spc spc
timed outliers outliers
timed models models
if "$AC" help | grep -q "simulate"; then timed "simulate (one map)" simulate --map "$DIR/map.csv"; fi

# ---- incremental: one more day -------------------------------------------
"$AC" gen -q --days 1 --tasks-per-day 12000 --start "$(date -u -d "2025-01-01 + $((YDAYS - 1)) days" +%Y-%m-%d)" -o "$DIR/day.jsonl"
cp "$Y" "$DIR/year-copy.db"
t0=$(now); "$AC" --db "$DIR/year-copy.db" ingest "$DIR/day.jsonl" >/dev/null; t1=$(now); big=$(secs "$t0" "$t1")
rm -f "$DIR"/empty.db*
t0=$(now); "$AC" --db "$DIR/empty.db" ingest "$DIR/day.jsonl" >/dev/null; t1=$(now); small=$(secs "$t0" "$t1")
{
echo
echo "## Incremental: one more day ($(( $(stat -c %s "$DIR/day.jsonl") / 1000000 )) MB)"
echo
echo "| into | seconds |"
echo "|---|---|"
echo "| the $((YDAYS - 1))-day store | $big |"
echo "| an empty store | $small |"
} | tee -a "$OUT"
rm -f "$DIR/year-copy.db"* "$DIR/empty.db"*
echo
echo "results: $OUT"
