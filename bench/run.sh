#!/usr/bin/env bash
# make bench: agentcost's speed, measured beside what users would use instead,
# in the same run, on a workload generated here (agentcost gen: the published
# document-analysis scale, 12,000 tasks/day). Prints a Markdown table and
# writes it to bench/results/bench-<date>.md (not committed; the README quotes it).
# The ingest file is written in both layouts of `agentcost gen` (collector:
# spans as the Collector's batch processor sends them; trace: whole traces a
# record) and ingested in the same run; DuckDB (npm @duckdb/node-api, installed
# into BENCH_NODE_DIR on first use; skipped with a message without npm) loads
# the same files as a baseline.
#
#   BENCH_DAYS=6      days in the ingest file (~300 MB of OTLP JSON a day in
#                     the collector layout, ~230 MB in the trace layout)
#   BENCH_NODE_DIR=build/bench-node  where npm installs @duckdb/node-api
#   BENCH_SCALES="0.01 0.1"  fractions of a year for the analysis stores
#                     (1 = 365 days, ~60 GB of JSON streamed, ~13 GB store)
#   BENCH_RUNS=3      runs of each layout's agentcost ingest row (the median is shown)
#   BENCH_VARIANT_RUNS=1  runs of the other ingest rows (.zst, --no-raw, 2 files)
#   BENCH_KEEP=1      keep the stores in BENCH_DIR
#   BENCH_DIR=bench/data
#   BENCH_HOURS=24    hourly appends of the growing-file part
#   BENCH_SKIP_YEAR=1 skip the analysis part
#   BENCH_COLD=1      time the analyses without reading the store once first
set -uo pipefail
cd "$(dirname "$0")/.."
AC=${1:-build/agentcost}
AC=$(realpath "$AC")
DIR=${BENCH_DIR:-bench/data}
DAYS=${BENCH_DAYS:-6}
SCALES=${BENCH_SCALES:-0.01 0.1}
RUNS=${BENCH_RUNS:-3}
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
# The same workload in both layouts of `agentcost gen`: collector (spans as
# the Collector's batch processor sends them, a trace over several records;
# the default) and trace (a few whole traces a record).
IN=$DIR/in.jsonl
IN_T=$DIR/in-trace.jsonl
KEY="$DAYS collector+trace"
if [ ! -s "$IN" ] || [ ! -s "$IN_T" ] || [ "$(cat "$DIR/in.days" 2>/dev/null)" != "$KEY" ]; then
  "$AC" gen -q --days "$DAYS" --tasks-per-day 12000 --layout collector -o "$IN" --truth "$DIR/in.truth.json"
  "$AC" gen -q --days "$DAYS" --tasks-per-day 12000 --layout trace -o "$IN_T" --truth "$DIR/in-trace.truth.json"
  zstd -q -f -3 -T2 "$IN" -o "$IN.zst"
  echo "$KEY" >"$DIR/in.days"
fi
mbof() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
MB=$(mbof "$IN")
MB_T=$(mbof "$IN_T")
ZMB=$(mbof "$IN.zst")
SPANS=$(jq -r .spans "$DIR/in.truth.json")
RECS=$(jq -r .output.records "$DIR/in.truth.json")
RECS_T=$(jq -r .output.records "$DIR/in-trace.truth.json")
cat "$IN" "$IN_T" "$IN.zst" >/dev/null  # page cache

row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" | tee -a "$OUT"; }
{
echo "## Ingest: $SPANS spans as OTLP JSON lines, collector layout $MB MB ($RECS records; $ZMB MB as .zst), trace layout $MB_T MB ($RECS_T records)"
echo
echo "| what | seconds | MB/s of OTLP JSON | notes |"
echo "|---|---|---|---|"
} | tee -a "$OUT"

t0=$(now); cat "$IN" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1"); row "read (cat > /dev/null)" "$s" "$(rate "$MB" "$s")" "ceiling"
t0=$(now); wc -l "$IN" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1"); row "wc -l" "$s" "$(rate "$MB" "$s")" "ceiling"
t0=$(now); zstd -d -q -c "$IN.zst" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1"); row "zstd -d" "$s" "$(rate "$MB" "$s")" "ceiling (output MB/s)"

# baselines on a 100 MB sample of the collector layout (they are slow), scaled to MB/s
SAMPLE=$DIR/sample.jsonl
head -c 100000000 "$IN" | head -n -1 >"$SAMPLE"
SMB=$(mbof "$SAMPLE")
t0=$(now); jq -r -f bench/baselines/extract.jq "$SAMPLE" >/dev/null; t1=$(now); s=$(secs "$t0" "$t1")
JQ=$(rate "$SMB" "$s"); row "jq, extracting the same fields (sample)" "$s" "$JQ" "$SMB MB sample"
rm -f "$DIR/py.db"
t0=$(now); python3 bench/baselines/py_ingest.py "$SAMPLE" "$DIR/py.db"; t1=$(now); s=$(secs "$t0" "$t1")
PY=$(rate "$SMB" "$s"); row "Python json + sqlite3 (sample)" "$s" "$PY" "$SMB MB sample"

# DuckDB (read_json + unnest into a table, bench/baselines/duckdb_extract.sql),
# 2 threads, on the whole files; the engine is the npm package @duckdb/node-api,
# installed once under BENCH_NODE_DIR (not committed)
NODE_DIR=${BENCH_NODE_DIR:-build/bench-node}
DUCK=""
DUCK_T=""
duck_ready() {
  [ -d "$NODE_DIR/node_modules/@duckdb/node-api" ] && return 0
  command -v node >/dev/null && command -v npm >/dev/null || { DUCK_WHY="node or npm not found"; return 1; }
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --silent @duckdb/node-api >"$DIR/npm.log" 2>&1 ||
    { DUCK_WHY="npm install @duckdb/node-api failed: $(tail -1 "$DIR/npm.log")"; return 1; }
  [ -d "$NODE_DIR/node_modules/@duckdb/node-api" ] || { DUCK_WHY="@duckdb/node-api not installed"; return 1; }
}
duck() { # FILE MB LAYOUT: prints MB/s (empty on failure)
  local out kb
  if /usr/bin/time -v node bench/baselines/duckdb_load.mjs "$(realpath "$NODE_DIR/node_modules")" "$(realpath "$1")" \
      "$DIR/duck.db" 2 >"$DIR/duck.out" 2>"$DIR/duck.time"; then
    read -r s n <"$DIR/duck.out"
    kb=$(peak_kb "$DIR/duck.time")
    row "DuckDB read_json + unnest into a table, 2 threads ($3 layout)" "$s" "$(rate "$2" "$s")" \
      "$n rows, peak RSS $((kb / 1024)) MB; $(node -p "require('$(realpath "$NODE_DIR")/node_modules/@duckdb/node-api/package.json').version" 2>/dev/null)"
    echo "$(rate "$2" "$s")" >"$DIR/duck.rate"
    echo "$s" >"$DIR/duck.$3.secs"
  else
    row "DuckDB ($3 layout)" "-" "-" "failed: $(tail -1 "$DIR/duck.time")"
    echo "" >"$DIR/duck.rate"
  fi
  rm -f "$DIR/duck.db" "$DIR/duck.db.wal"
}
DUCK_WHY=""
rm -f "$DIR"/duck.*.secs
if duck_ready; then
  duck "$IN" "$MB" collector; DUCK=$(cat "$DIR/duck.rate")
  duck "$IN_T" "$MB_T" trace; DUCK_T=$(cat "$DIR/duck.rate")
else
  row "DuckDB" "-" "-" "skipped: $DUCK_WHY"
fi

times_of() { printf '%s\n' "$@" | sort -n; }
ingest() { # NAME FILE MB DUCKDB_MB/S RUNS [options]: the median of RUNS runs (each into a new store)
  local name=$1 file=$2 mb=$3 dk=$4 runs=$5
  shift 5
  local times=() kbs=() i
  for ((i = 0; i < runs; i++)); do
    rm -f "$DIR"/ac.db*
    t0=$(now)
    /usr/bin/time -v "$AC" --db "$DIR/ac.db" ingest "$@" "$file" >"$DIR/ingest.out" 2>"$DIR/time.txt"
    t1=$(now)
    times+=("$(secs "$t0" "$t1")")
    kbs+=("$(peak_kb "$DIR/time.txt")")
  done
  s=$(times_of "${times[@]}" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  local all; all=$(times_of "${times[@]}" | paste -sd/ -)
  local r; r=$(rate "$mb" "$s")
  local kb; kb=$(printf '%s\n' "${kbs[@]}" | sort -n | tail -1)
  local bytes; bytes=$(( $(stat -c %s "$DIR/ac.db") + $(stat -c %s "$DIR/ac.db-wal" 2>/dev/null || echo 0) ))
  local raw; raw=$(sqlite3 "$DIR/ac.db" "SELECT coalesce(sum(length(z)), 0) FROM raw_block")
  local sps; sps=$(awk -v n="$SPANS" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
  local vs="×$(awk -v a="$r" -v b="$JQ" 'BEGIN { printf "%.0f", a / b }') jq, ×$(awk -v a="$r" -v b="$PY" 'BEGIN { printf "%.0f", a / b }') Python"
  [ -n "$dk" ] && vs="$vs, ×$(awk -v a="$r" -v b="$dk" 'BEGIN { printf "%.1f", a / b }') DuckDB"
  LAST_RAW_BPS=$(awk -v b="$raw" -v n="$SPANS" 'BEGIN { printf "%.0f", b / n }')
  row "agentcost ingest $name" "$s" "$r" "median of $runs runs ($all s), $sps spans/s, peak RSS $((kb / 1024)) MB, store $(awk -v b="$bytes" -v n="$SPANS" 'BEGIN { printf "%.0f", b / n }') B/span ($LAST_RAW_BPS B/span of it compressed originals); $vs"
  LAST_RATE=$r
  LAST_SPS=$sps
}
VRUNS=${BENCH_VARIANT_RUNS:-1}
ingest "(plain, collector layout)" "$IN" "$MB" "$DUCK" "$RUNS"
C_RATE=$LAST_RATE C_SPS=$LAST_SPS C_RAW_BPS=$LAST_RAW_BPS
ingest "(plain, trace layout)" "$IN_T" "$MB_T" "$DUCK_T" "$RUNS"
T_RATE=$LAST_RATE T_SPS=$LAST_SPS
ingest "(.zst, collector layout)" "$IN.zst" "$MB" "" "$VRUNS"
ingest "(plain, --no-raw, collector layout)" "$IN" "$MB" "" "$VRUNS" --no-raw
split -n l/2 -d "$IN" "$DIR/part."
ingest "(the same lines as 2 files, one command)" "$DIR/part.00" "$MB" "" "$VRUNS" "$DIR/part.01"
rm -f "$DIR"/part.0*
{
echo
echo "Collector layout / trace layout: $(awk -v a="$C_SPS" -v b="$T_SPS" 'BEGIN { printf "%.2f", a / b }') of the spans/s ($C_SPS / $T_SPS), $(awk -v a="$C_RATE" -v b="$T_RATE" 'BEGIN { printf "%.2f", a / b }') of the MB/s ($C_RATE / $T_RATE)."
if [ -n "$DUCK" ] && [ -n "$DUCK_T" ]; then
  echo
  echo "agentcost / DuckDB on the same file: ×$(awk -v a="$C_RATE" -v b="$DUCK" 'BEGIN { printf "%.1f", a / b }') (collector layout), ×$(awk -v a="$T_RATE" -v b="$DUCK_T" 'BEGIN { printf "%.1f", a / b }') (trace layout)."
fi
} | tee -a "$OUT"
echo | tee -a "$OUT"

# ---- what 5x DuckDB would have to fit in ----------------------------------
# The store's floor (bench/store_floor.c): what the collector-layout ingest
# leaves in the store -- its span rows; a trace, a task and a call-group row
# for every PER_TASK spans (the file's spans a task); its compressed
# originals' bytes a span, in blocks of 2,048 spans -- written with nothing
# read, parsed, priced, derived or compressed, through ingest's own store
# calls and statements, on one thread (SQLite has one writer). Beside it the
# tokenizer alone over the collector file (bench/json_parse.c, CPU time, best
# of 2). No ingest into this store can take less wall time than the floor,
# nor less than half the floor plus the tokenizer on two cores.
FLOOR_BIN=$(dirname "$AC")/bench_store_floor
JP_BIN=$(dirname "$AC")/bench_json_parse
cmake --build "$(dirname "$AC")" --target bench_store_floor bench_json_parse >/dev/null 2>&1
if [ -x "$FLOOR_BIN" ] && [ -x "$JP_BIN" ]; then
  PER_TASK=$(awk -v s="$SPANS" -v t="$(jq -r .tasks.all "$DIR/in.truth.json")" 'BEGIN { printf "%.0f", s / t }')
  read -r FLOOR _ < <("$FLOOR_BIN" "$DIR/floor.db" "$SPANS" "$PER_TASK" "$C_RAW_BPS")
  rm -f "$DIR"/floor.db*
  TOK=$("$JP_BIN" "$IN" 2 | awk '/ac_json_parse/ { print $3; exit }')
  {
  echo "## What 5× DuckDB would have to fit in (collector layout, same run)"
  echo
  echo "| what | seconds |"
  echo "|---|---|"
  echo "| the store's floor: $SPANS span rows, a task and a call-group row every $PER_TASK spans, $C_RAW_BPS bytes of originals a span, into a new store, one thread, nothing else (\`bench_store_floor\`) | $FLOOR |"
  echo "| the tokenizer alone over the $MB MB file, CPU time (\`bench_json_parse\`) | $TOK |"
  echo "| lower bound of any ingest on 2 cores: max(floor, (floor + tokenizer) / 2) | $(awk -v f="$FLOOR" -v t="$TOK" 'BEGIN { b = (f + t) / 2; printf "%.2f", (f > b ? f : b) }') |"
  if [ -n "$DUCK" ] && [ -s "$DIR/duck.collector.secs" ]; then
    echo "| 5× DuckDB: DuckDB's seconds / 5 | $(awk -v d="$(cat "$DIR/duck.collector.secs")" 'BEGIN { printf "%.2f", d / 5 }') |"
  fi
  echo
  } | tee -a "$OUT"
else
  echo "bench_store_floor or bench_json_parse did not build: the floor is not measured" | tee -a "$OUT"
fi

# ---- a file that grows: hourly runs -----------------------------------------
# The collector-layout file of one day (its first 24th of the bench file's
# lines a day, about), written hour by hour as an exporter appends it; after
# each hour `agentcost ingest` of the same path reads what was appended, beside
# a full read of the whole file at that point (--force into a fresh store), in
# the same run. Cost of an hourly run ∝ new bytes: the ratio of the last hour's
# incremental run to a full read of 24 hours.
HOURS=${BENCH_HOURS:-24}
GROW=$DIR/grow.jsonl
HDB=$DIR/hourly.db
rm -f "$GROW" "$HDB"*
NL=$(wc -l <"$IN")
PER=$((NL / DAYS / HOURS))
{
echo "## A growing file: $HOURS hourly appends of $PER records (collector layout), each followed by \`agentcost ingest\` of the same path"
echo
echo "| hour | file MB | incremental run: s | MB read | full read of the file: s |"
echo "|---|---|---|---|---|"
} | tee -a "$OUT"
INC_LAST= FULL_LAST=
for h in $(seq 1 "$HOURS"); do
  sed -n "$(((h - 1) * PER + 1)),$((h * PER))p" "$IN" >>"$GROW"
  t0=$(now)
  "$AC" --db "$HDB" ingest --no-progress "$GROW" >/dev/null 2>"$DIR/hourly.err"
  t1=$(now)
  read_mb=$(awk -v b="$(sqlite3 "$HDB" 'SELECT size - read_from FROM file ORDER BY id DESC LIMIT 1')" 'BEGIN { printf "%.1f", b / 1e6 }')
  rm -f "$DIR/full.db"*
  t2=$(now)
  "$AC" --db "$DIR/full.db" ingest --no-progress "$GROW" >/dev/null 2>&1
  t3=$(now)
  INC_LAST=$(secs "$t0" "$t1") FULL_LAST=$(secs "$t2" "$t3")
  case $h in 1 | 2 | 6 | 12 | 18 | "$HOURS")
    printf '| %s | %s | %s | %s | %s |\n' "$h" "$(mbof "$GROW")" "$INC_LAST" "$read_mb" "$FULL_LAST" | tee -a "$OUT" ;;
  esac
done
{
echo
echo "Hour $HOURS: the incremental run took $INC_LAST s, a full read of the same file $FULL_LAST s ($(awk -v a="$INC_LAST" -v b="$FULL_LAST" 'BEGIN { printf "%.3f", a / b }') of it)."
echo
} | tee -a "$OUT"
rm -f "$GROW" "$HDB"* "$DIR/full.db"*

[ "${BENCH_SKIP_YEAR:-0}" = 1 ] && exit 0

# ---- analysis on stores of SCALES of a year --------------------------------
# Each scale is built with `gen | ingest -` (no file on disk), then every
# analysis runs on it, beside a bare SELECT count(*) in the same run.
printf 'complexity,model\nsimple,gpt-4o-mini\nmoderate,claude-3-5-haiku\ncomplex,claude-3-5-sonnet\n' >"$DIR/map.csv"
CMDS=("summary" "tasks" "hidden" "spc" "outliers" "models" "simulate --map $DIR/map.csv"
      "recommend" "report weekly --week LASTWEEK -o $DIR/report")
LABELS=("summary" "tasks" "hidden" "spc" "outliers" "models" "simulate (one map)"
        "recommend" "report weekly (one week)")
declare -A T_CMD T_COUNT
SC_ROWS=()
LAST=""
for sc in $SCALES; do
  YDAYS=$(awk -v s="$sc" 'BEGIN { d = int(365 * s + 0.5); print (d < 1 ? 1 : d) }')
  Y=$DIR/year-$sc.db
  rm -f "$Y"*
  t0=$(now)
  /usr/bin/time -v -o "$DIR/ytime.txt" bash -c "\"$AC\" gen -q --days $YDAYS --tasks-per-day 12000 --start 2025-01-01 -o - | tee >(wc -c >\"$DIR/ybytes\") | \"$AC\" --db \"$Y\" ingest - >/dev/null"
  t1=$(now)
  ys=$(secs "$t0" "$t1")
  sleep 1
  ybytes=$(cat "$DIR/ybytes")
  yspans=$(sqlite3 "$Y" "SELECT count(*) FROM span")
  ysize=$(( $(stat -c %s "$Y") + $(stat -c %s "$Y-wal" 2>/dev/null || echo 0) ))
  yraw=$(sqlite3 "$Y" "SELECT coalesce(sum(length(z)), 0) FROM raw_block")
  # the originals' locators in the span rows (raw_block, raw_off, raw_len:
  # their record bytes, a header byte each), which --no-raw does not store
  sz() { echo "CASE WHEN $1 IS NULL OR $1 IN (0, 1) THEN 0 WHEN $1 < 128 THEN 1
    WHEN $1 < 32768 THEN 2 WHEN $1 < 8388608 THEN 3 WHEN $1 < 2147483648 THEN 4
    WHEN $1 < 140737488355328 THEN 6 ELSE 8 END"; }
  yloc=$(sqlite3 "$Y" "SELECT coalesce(sum(3 + $(sz raw_block) + $(sz raw_off) + $(sz raw_len)), 0)
    FROM span")
  lastweek=$(date -u -d "2025-01-01 + $((YDAYS - 7)) days" +%G-W%V)
  # the store read once, as a store in use sits in the page cache (streaming
  # 60 GB through gen | ingest leaves a part of it out); BENCH_COLD=1 skips this
  # and the ingest's dirty pages written back first (sync), so the kernel's
  # write-back of gigabytes does not run beside the timed commands
  sync
  [ "${BENCH_COLD:-0}" = 1 ] || cat "$Y" >/dev/null
  SC_ROWS+=("| $sc | $YDAYS | $yspans | $(awk -v b="$ybytes" 'BEGIN { printf "%.1f", b / 1e9 }') | $ys | $(awk -v b="$ybytes" -v s="$ys" 'BEGIN { printf "%.0f", b / 1e6 / s }') | $(awk -v b="$ysize" 'BEGIN { printf "%.2f", b / 1e9 }') | $(awk -v b="$ysize" -v r="$yraw" -v l="$yloc" -v n="$yspans" 'BEGIN { printf "%.0f + %.0f + %.0f", (b - r - l) / n, l / n, r / n }') | $(( $(peak_kb "$DIR/ytime.txt") / 1024 )) |")
  for i in "${!CMDS[@]}"; do
    c=${CMDS[$i]//LASTWEEK/$lastweek}
    rm -rf "$DIR/report"
    t0=$(now); "$AC" --db "$Y" $c >/dev/null 2>&1; t1=$(now)
    T_CMD[$sc,$i]=$(secs "$t0" "$t1")
    t0=$(now); sqlite3 "$Y" "SELECT count(*) FROM span" >/dev/null; t1=$(now)
    T_COUNT[$sc,$i]=$(secs "$t0" "$t1")
  done
  LAST=$sc
done
{
echo
echo "## Stores built with \`agentcost gen | agentcost ingest -\` at 12,000 tasks/day"
echo
echo "| fraction of a year | days | spans | GB of OTLP JSON | gen \| ingest seconds | MB/s | store GB | bytes/span: store + originals' locators + compressed originals | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${SC_ROWS[@]}"
echo
echo "## Analysis seconds on those stores (SELECT count(*) FROM span of the same store, same run, in brackets)"
echo
printf '| command |'; for sc in $SCALES; do printf ' %s of a year |' "$sc"; done; echo
printf '|---|'; for sc in $SCALES; do printf -- '---|'; done; echo
for i in "${!CMDS[@]}"; do
  printf '| %s |' "${LABELS[$i]}"
  for sc in $SCALES; do printf ' %s (%s) |' "${T_CMD[$sc,$i]}" "${T_COUNT[$sc,$i]}"; done
  echo
done
} | tee -a "$OUT"

# ---- incremental: one more day into the largest store ----------------------
YDAYS=$(awk -v s="$LAST" 'BEGIN { d = int(365 * s + 0.5); print (d < 1 ? 1 : d) }')
Y=$DIR/year-$LAST.db
"$AC" gen -q --days 1 --tasks-per-day 12000 --seed 2 --start "$(date -u -d "2025-01-01 + $YDAYS days" +%Y-%m-%d)" -o "$DIR/day.jsonl"
t0=$(now); "$AC" --db "$Y" ingest "$DIR/day.jsonl" >/dev/null; t1=$(now); big=$(secs "$t0" "$t1")
rm -f "$DIR"/empty.db*
t0=$(now); "$AC" --db "$DIR/empty.db" ingest "$DIR/day.jsonl" >/dev/null; t1=$(now); small=$(secs "$t0" "$t1")
t0=$(now); "$AC" --db "$Y" hidden >/dev/null; t1=$(now); after=$(secs "$t0" "$t1")
{
echo
echo "## Incremental: one more day ($(( $(stat -c %s "$DIR/day.jsonl") / 1000000 )) MB) into the $YDAYS-day store"
echo
echo "| into | seconds |"
echo "|---|---|"
echo "| the $YDAYS-day store | $big |"
echo "| an empty store | $small |"
echo "| then \`hidden\` on the grown store | $after |"
} | tee -a "$OUT"
rm -f "$DIR/empty.db"*
[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$DIR"/year-*.db*
echo
echo "results: $OUT"
