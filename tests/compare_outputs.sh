#!/usr/bin/env bash
# compare_outputs.sh OLD_BIN NEW_BIN [WORKDIR]
#
# A refactor's safety net (issue #15): builds the same stores with each binary
# (the demo workload from `agentcost gen` with a fixed seed, a workload with
# price dimensions, and the hand-written stores of testdata/), runs every read
# command in every --format against copies of the first binary's stores, and
# compares stdout, stderr, the exit code and every written file (reports,
# routing maps) byte for byte; the ingest's output too, less its speed.
#
# Both binaries run in turn in the same directory ($WORKDIR/run), so paths in
# messages and reports are the same. Prints a summary; exits 1 on any
# difference, 2 on a usage error.
#
#   git worktree add /tmp/base $(git merge-base HEAD main)
#   cmake -S /tmp/base -B /tmp/base/build && cmake --build /tmp/base/build
#   tests/compare_outputs.sh /tmp/base/build/agentcost build/agentcost
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 OLD_BIN NEW_BIN [WORKDIR]" >&2
  exit 2
fi
OLD=$(readlink -f "$1")
NEW=$(readlink -f "$2")
SRC=$(cd "$(dirname "$0")/.." && pwd)
D=$SRC/testdata
if [ $# -ge 3 ]; then W=$3; mkdir -p "$W"; KEEP=1; else W=$(mktemp -d "${TMPDIR:-/tmp}/ac-compare.XXXXXX"); KEEP=0; fi
W=$(readlink -f "$W")
for b in "$OLD" "$NEW"; do
  [ -x "$b" ] || { echo "$0: not an executable: $b" >&2; exit 2; }
done
export CI=1                 # no progress line
unset AGENTCOST_DB AGENTCOST_NO_ROLLUP AGENTCOST_GNUPLOT
export TZ=UTC LC_ALL=C

N=0     # runs of the current phase
RES=    # the current phase's result directory
BIN=

# run NAME ARGS...: one command run; keeps stdout, stderr and the exit code
run() {
  local name=$1
  shift
  N=$((N + 1))
  local f
  f=$(printf '%s/%04d' "$RES" "$N")
  printf '%s\n' "$name: agentcost $*" >"$f.cmd"
  "$BIN" "$@" >"$f.out" 2>"$f.err"
  echo $? >"$f.rc"
}

# formats NAME ARGS...: the run in table, csv and json
formats() {
  local name=$1 fmt
  shift
  for fmt in table csv json; do run "$name [$fmt]" "$@" --format "$fmt"; done
}

# first_ids DB COUNT: task ids from `tasks --each`, the first COUNT
task_ids() { "$BIN" --db "$1" tasks --each --format csv 2>/dev/null | awk -F, 'NR > 1 && NR <= 1 + n { print $1 }' n="$2"; }

# span_ids DB COUNT: span ids as `show` takes them
span_ids() { sqlite3 "$1" "SELECT lower(hex(span_id)) FROM span ORDER BY id LIMIT $2" 2>/dev/null; }

# week_of DB: the ISO weeks the store's tasks fall in, from the daily spend
weeks_of() {
  "$BIN" --db "$1" spc --format csv 2>/dev/null | awk -F, 'NR > 1 { print $1 }' |
    while read -r day; do date -u -d "$day" +%G-W%V; done | sort -u
}

# days_of DB: first and last day with spend
days_of() { "$BIN" --db "$1" spc --format csv 2>/dev/null | awk -F, 'NR > 1 { print $1 }' | sed -n '1p;$p'; }

# reads DB NAME: every read command against one store
reads() {
  local db=$1 s=$2 id w f d1 d2 sys
  local c=(--db "$db")
  formats "$s summary" "${c[@]}" summary
  formats "$s summary --unpriced" "${c[@]}" summary --unpriced
  formats "$s tasks" "${c[@]}" tasks
  formats "$s tasks --each" "${c[@]}" tasks --each
  formats "$s tasks --histogram" "${c[@]}" tasks --histogram
  formats "$s tasks --include-eval" "${c[@]}" tasks --include-eval
  for by in system task_type both; do
    formats "$s tasks --by $by" "${c[@]}" tasks --by "$by"
    formats "$s tasks --by $by --histogram" "${c[@]}" tasks --by "$by" --histogram
  done
  formats "$s tasks --each --by both" "${c[@]}" tasks --each --by both
  for id in $(task_ids "$db" 3); do formats "$s task $id" "${c[@]}" task "$id"; done
  run "$s task nonexistent" "${c[@]}" task no-such-task
  for id in $(span_ids "$db" 3); do run "$s show $id" "${c[@]}" show "$id"; done
  run "$s calls" "${c[@]}" calls
  formats "$s outliers" "${c[@]}" outliers
  formats "$s outliers --factor 2" "${c[@]}" outliers --factor 2
  formats "$s outliers --runaways" "${c[@]}" outliers --runaways
  formats "$s outliers --runaways --repeat 3" "${c[@]}" outliers --runaways --repeat 3
  formats "$s models" "${c[@]}" models
  formats "$s models --compare-previous" "${c[@]}" models --compare-previous
  for w in $(weeks_of "$db"); do
    formats "$s models --week $w" "${c[@]}" models --week "$w"
    formats "$s models --week $w --compare-previous" "${c[@]}" models --week "$w" --compare-previous
  done
  formats "$s hidden" "${c[@]}" hidden
  formats "$s spc" "${c[@]}" spc
  formats "$s spc --hourly" "${c[@]}" spc --hourly
  formats "$s spc --by system" "${c[@]}" spc --by system
  formats "$s spc --alerts-only" "${c[@]}" spc --alerts-only
  formats "$s spc --window 3 --min-history 3 --sigma 2" "${c[@]}" spc --window 3 --min-history 3 --sigma 2
  formats "$s spc --hourly --by system --alerts-only" "${c[@]}" spc --hourly --by system --alerts-only
  for f in "$D"/router/map_*.csv; do
    formats "$s simulate $(basename "$f")" "${c[@]}" simulate --map "$f"
  done
  formats "$s simulate two maps" "${c[@]}" simulate --map "$D/router/map_cheap.csv" --map "$D/router/map_types.csv"
  formats "$s simulate ratio" "${c[@]}" simulate --map "$D/router/map_cheap.csv" --output-ratio measured
  formats "$s simulate cascade" "${c[@]}" simulate --map "$D/router/map_cheap.csv" \
    --cascade 'simple=gpt-4o-mini>claude-3-5-sonnet'
  formats "$s recommend" "${c[@]}" recommend
  formats "$s recommend --frontier" "${c[@]}" recommend --frontier
  formats "$s recommend --accuracy-floor 0.8" "${c[@]}" recommend --accuracy-floor 0.8
  formats "$s recommend --tolerance 0.05 --min-samples 5" "${c[@]}" recommend --tolerance 0.05 --min-samples 5
  run "$s recommend --write-map" "${c[@]}" recommend --write-map "run/out/map-$N.csv"
  for f in "$D"/reconcile/*.csv; do
    formats "$s reconcile $(basename "$f")" "${c[@]}" reconcile "$f"
  done
  formats "$s prices list" "${c[@]}" prices list
  for f in --tools --aliases --tiers; do formats "$s prices list $f" "${c[@]}" prices list "$f"; done
  read -r d1 d2 < <(days_of "$db" | tr '\n' ' ')
  if [ -n "${d1:-}" ]; then
    for cmd in summary tasks hidden models spc outliers "tasks --each" "outliers --runaways"; do
      # shellcheck disable=SC2086
      formats "$s $cmd window" "${c[@]}" $cmd --since "$d1" --until "$d1"
      # shellcheck disable=SC2086
      formats "$s $cmd from" "${c[@]}" $cmd --since "$d2"
    done
    formats "$s simulate window" "${c[@]}" simulate --map "$D/router/map_cheap.csv" --since "$d1" --until "$d2"
    formats "$s recommend window" "${c[@]}" recommend --since "$d2"
  fi
  for sys in $(sqlite3 "$db" "SELECT name FROM service ORDER BY name LIMIT 2" 2>/dev/null); do
    for cmd in summary tasks "tasks --each" hidden models spc outliers "outliers --runaways" recommend; do
      # shellcheck disable=SC2086
      formats "$s $cmd --system $sys" "${c[@]}" $cmd --system "$sys"
    done
    formats "$s simulate --system $sys" "${c[@]}" simulate --map "$D/router/map_cheap.csv" --system "$sys"
  done
  for w in $(weeks_of "$db"); do
    run "$s report weekly $w" "${c[@]}" report weekly --week "$w" --now 2026-01-05T00:00:00Z -o "run/out/rep-$N"
  done
  run "$s report weekly default" "${c[@]}" report weekly --now 2026-01-05T00:00:00Z -o "run/out/rep-$N"
  if [ -n "${d1:-}" ]; then
    run "$s report incident first day" "${c[@]}" report incident --from "${d1}T00:00:00Z" --to "${d1}T12:00:00Z" \
      --now 2026-01-05T00:00:00Z -o "run/out/rep-$N"
    run "$s report incident all" "${c[@]}" report incident --from "${d1}T00:00:00Z" --to "${d2}T23:00:00Z" \
      --now 2026-01-05T00:00:00Z -o "run/out/rep-$N"
  fi
}

# build NAME SETUP...: a fresh store under run/NAME, made by SETUP (commands
# given as one string each, run with $BIN as `ac`), outputs compared too
build() {
  local name=$1 cmd
  shift
  mkdir -p "run/$name"
  for cmd in "$@"; do
    N=$((N + 1))
    local f
    f=$(printf '%s/%04d' "$RES" "$N")
    printf '%s\n' "build $name: $cmd" >"$f.cmd"
    (cd "run/$name" && eval "$cmd") >"$f.raw" 2>"$f.err"
    echo $? >"$f.rc"
    # the ingest's speed is not output to compare
    sed -E 's/ in [0-9.]+ s \([0-9.]+ [KMG]?B\/s\)/ in (time)/' "$f.raw" >"$f.out"
    rm -f "$f.raw"
  done
}

phase() {
  BIN=$1
  RES=$W/$2
  N=0
  rm -rf "$W/run" "$RES"
  mkdir -p "$W/run/out" "$RES"
  cd "$W" || exit 2
  ac() { "$BIN" --db store.db "$@"; }
  build demo "ac gen --seed 7 --days 10 --tasks-per-day 60 -q -o w.jsonl --truth truth.json" "ac ingest w.jsonl"
  build dims "ac gen --seed 11 --days 8 --tasks-per-day 40 --price-dimensions -q -o w.jsonl" "ac ingest w.jsonl"
  build ingest "ac ingest $D/ingest/basic.jsonl $D/ingest/calls.pb $D/ingest/basic.flat.jsonl $D/ingest/rollup.flat.jsonl"
  build ingestfmts "ac ingest $D/ingest/basic.langfuse.json $D/ingest/calls.tempo.json $D/ingest/calls.jaeger.json $D/ingest/calls.clickhouse.jsonl $D/ingest/calls.otelpy.json $D/ingest/calls.oteljs.json"
  build hidden "ac ingest $D/hidden/hidden.jsonl"
  build models "ac ingest $D/models/models.jsonl"
  build outliers "ac ingest $D/outliers/outliers.jsonl"
  build tasks "ac ingest $D/tasks/tasks.jsonl"
  build spc "ac prices import $D/spc/prices.csv" "ac ingest $D/spc/spend.jsonl"
  build router "ac prices import $D/router/prices.csv" "ac ingest $D/router/prod.jsonl $D/router/eval_small.jsonl"
  build recprod "ac prices import $D/router/prices.csv" "ac ingest $D/router/rec_prod.jsonl $D/router/tiers.flat.jsonl"
  build report "ac prices import $D/report/prices.csv" "ac ingest $D/report/weekly.jsonl"
  build hostile "ac prices import $D/report/prices.csv" "ac ingest $D/report/hostile.jsonl"
  build reconcile "ac ingest $D/reconcile/traces.jsonl"
  build prices "ac prices import $D/prices/litellm_small.json" "ac prices import $D/prices/tools.csv" \
    "ac prices import $D/prices/reasoning.csv" "ac ingest $D/router/prod.jsonl"
  # the reads run on copies of the first phase's stores: a multi-file ingest
  # may number tasks in another order from one run to the next
  if [ ! -d "$W/stores" ]; then
    cp -r "$W/run" "$W/stores"
  else
    (cd "$W/stores" && find . -name store.db) | while read -r f; do cp "$W/stores/$f" "$W/run/$f"; done
  fi
  for s in demo dims ingest ingestfmts hidden models outliers tasks spc router recprod report hostile reconcile prices; do
    reads "run/$s/store.db" "$s"
  done
  run "empty store summary" --db run/none.db summary
  run "no command" --db run/none.db
  mv "$W/run/out" "$RES/files"
}

rm -rf "$W/stores" "$W/old" "$W/new"
phase "$OLD" old
NOLD=$N
phase "$NEW" new
NNEW=$N
rm -rf "$W/run" "$W/stores"

echo "compare_outputs: $NOLD runs with $OLD, $NNEW with $NEW"
DIFFS=0
if [ "$NOLD" != "$NNEW" ]; then
  echo "compare_outputs: different number of runs" >&2
  DIFFS=1
fi
NFILES=$(cd "$W/old/files" && find . -type f | wc -l)
# every run's .cmd/.out/.err/.rc and every written file, in one pass
while read -r line; do
  DIFFS=$((DIFFS + 1))
  case $line in
  Files\ *)
    f=${line#Files "$W"/old/}
    f=${f%% and *}
    case $f in
    files/*) echo "DIFF (file): $f" ;;
    *) echo "DIFF (${f##*.}): $(cat "$W/old/${f%.*}.cmd")" ;;
    esac
    diff "$W/old/$f" "$W/new/$f" | head -10 | sed 's/^/    /'
    ;;
  *) echo "DIFF: $line" ;;
  esac
done < <(diff -rq "$W/old" "$W/new")
RC0=$(cat "$W"/old/*.rc | grep -c '^0$')
echo "compare_outputs: $NOLD command runs ($RC0 exit 0), $NFILES written files compared, $DIFFS differences"
[ "$KEEP" = 1 ] || rm -rf "$W"
[ "$DIFFS" -eq 0 ]
