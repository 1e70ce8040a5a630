#!/usr/bin/env bash
# The holdout-style comparison of the two backends (issue #16): every read
# command, in every format and over several windows, run against a SQLite
# store and a ClickHouse store holding the same data; the outputs must be the
# same, numbers equal to 1e-9 relative (a sum's last digits depend on the
# order it was added in; a number printed rounded may differ by one unit in
# its last printed place when the unrounded values differ by less than 1e-9).
#
#   tests/clickhouse/compare.sh AGENTCOST SQLITE_DB CLICKHOUSE_URL [WORKDIR]
#
# Load the same files into both first (agentcost ingest --db each). Prints
# one line per command that differs or is not answered on ClickHouse, then
# a summary; exits 1 when any output differs, 0 otherwise. A command the
# ClickHouse store refuses as not available there is counted and listed,
# never taken as a pass of that command. Besides the windowed commands:
# `task ID` for a few tasks (in every format), `report incident` over half
# of the data's second day (its text files), and `calls`, whose ids are
# each store's own (its numbers are compared, as a sorted multiset).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
A=${1:?usage: compare.sh AGENTCOST SQLITE_DB CLICKHOUSE_URL [WORKDIR]}
DB=${2:?sqlite store}
CH=${3:?clickhouse://HOST:PORT/DB[?cluster=NAME]}
W=${4:-$(mktemp -d "${TMPDIR:-/tmp}/ac-compare.XXXXXX")}
mkdir -p "$W"
export CI=1

# The first and last day of the data, and its systems, from the SQLite store.
first=$("$A" summary --db "$DB" --format json | jq -r '.first_day // empty' | cut -c1-10)
last=$("$A" summary --db "$DB" --format json | jq -r '.last_day // empty' | cut -c1-10)
mid=$first
[ -n "$first" ] && mid=$(date -u -d "$first + 1 day" +%F 2>/dev/null || echo "$first")
systems=$("$A" tasks --by system --db "$DB" --format csv | tail -n +2 | cut -d, -f1 | head -3)

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# routing maps: one of the test data's, and the one recommend writes from the
# SQLite store with a loose rule (so that classes move)
"$A" recommend --db "$DB" --min-samples 3 --tolerance 0.3 --write-map "$W/rec.csv" >/dev/null 2>&1 ||
  printf 'complexity,model\nsimple,gpt-4o-mini\n' >"$W/rec.csv"
cheap=$SRC/testdata/router/map_cheap.csv

windows=("")
[ -n "$first" ] && windows+=("--since $mid" "--until $mid" "--since $first --until $mid")
for s in $systems; do windows+=("--system $s"); done
# COMPARE_QUICK=1 (the suite under ASan, where every run is several times
# slower): every command once per format over the whole store and one window
if [ "${COMPARE_QUICK:-0}" = 1 ]; then windows=("" "${windows[1]:-}"); fi

cmds=(
  "summary"
  "tasks"
  "tasks --include-eval"
  "tasks --each"
  "tasks --by system"
  "tasks --by task_type"
  "models"
  "hidden"
  "spc"
  "spc --by system"
  "spc --hourly"
  "outliers"
  "outliers --runaways"
  "outliers --factor 1.5 --repeat 3"
  "top user"
  "tasks --by user"
  "tasks --by user,task_type"
  "tasks --by model"
  "tasks --each --by user"
  "tasks --by system --where environment=prod"
  "summary --by user"
  "summary --by user,model"
  "models --by user"
  "models --by agent --where model=gpt-4o-2024-08-06"
  "hidden --by session"
  "hidden --by model,user"
  "spc --by user"
  "spc --by model --where user=u000001"
  "outliers --by user"
  "outliers --by model"
  "tasks --where user=u000001"
  "outliers --where user=u000001"
  "hidden --where environment=prod"
  "summary --where user=u000001"
  "summary --where model=gpt-4o-2024-08-06"
  "top session --where system=doc-agent"
  "top agent"
  "top environment --where task_type=summarization"
  "top model --where user=u000002"
  "tasks --approx"
  "tasks --by system --approx"
  "tasks --histogram --approx"
  "tasks --by user,task_type --approx"
  "tasks --by model --where environment=prod --approx"
  "top user --approx"
  "top model --approx --include-eval"
  "recommend"
  "recommend --min-samples 3 --tolerance 0.3"
  "recommend --min-samples 3 --frontier"
  "recommend --min-samples 3 --accuracy-floor 0.8"
  "recommend --min-samples 2 --accuracy-floor 0.8"
  "recommend --min-samples 2 --tolerance 0.3 --since $mid"
  "simulate --map $cheap"
  "simulate --map $W/rec.csv --output-ratio measured"
  "simulate --map $cheap --map $W/rec.csv"
  "simulate --map $W/rec.csv --cascade simple=gpt-4o-mini>claude-3-5-haiku"
  "export focus"
)

# numbers equal to 1e-9 relative, or one unit of the last printed place
cmp_num() { awk -v A="$1" -v B="$2" -f "$HERE/numcmp.awk"; }

n=0; differ=0; unavailable=0; i=0
for c in "${cmds[@]}"; do
  for w in "${windows[@]}"; do
    for f in table csv json; do
      i=$((i + 1))
      # shellcheck disable=SC2086
      "$A" $c $w --format $f --db "$DB" >"$W/$i.a" 2>"$W/$i.ae"; ra=$?
      # shellcheck disable=SC2086
      "$A" $c $w --format $f --db "$CH" >"$W/$i.b" 2>"$W/$i.be"; rb=$?
      if [ $rb -ne 0 ] && grep -q 'not answered on the ClickHouse backend' "$W/$i.be"; then
        unavailable=$((unavailable + 1))
        echo "not on clickhouse: $c $w --format $f: $(head -1 "$W/$i.be")"
        continue
      fi
      n=$((n + 1))
      if [ $ra -ne $rb ]; then
        differ=$((differ + 1)); echo "DIFFER (exit $ra vs $rb): $c $w --format $f"; continue
      fi
      if ! why=$(cmp_num "$W/$i.a" "$W/$i.b"); then
        differ=$((differ + 1)); echo "DIFFER: $c $w --format $f: $why"
      fi
    done
  done
done
# one_run LABEL ARGS...: a command run once on each store, compared as above
one_run() {
  local label=$1; shift
  i=$((i + 1))
  "$A" "$@" --db "$DB" >"$W/$i.a" 2>"$W/$i.ae"; ra=$?
  "$A" "$@" --db "$CH" >"$W/$i.b" 2>"$W/$i.be"; rb=$?
  if [ $rb -ne 0 ] && grep -q 'not answered on the ClickHouse backend' "$W/$i.be"; then
    unavailable=$((unavailable + 1))
    echo "not on clickhouse: $label: $(head -1 "$W/$i.be")"
    return
  fi
  n=$((n + 1))
  if [ $ra -ne $rb ]; then
    differ=$((differ + 1)); echo "DIFFER (exit $ra vs $rb): $label"; return
  fi
  if ! why=$(cmp_num "$W/$i.a" "$W/$i.b"); then
    differ=$((differ + 1)); echo "DIFFER: $label: $why"
  fi
}

# task ID: the first, a middle and the last task (evaluation runs too), one
# id in upper case, and an id no store holds
ids=$("$A" tasks --each --include-eval --db "$DB" --format csv | tail -n +2 | cut -d, -f1 |
      awk '{ v[NR] = $0 } END { if (NR) print v[1]; if (NR > 2) print v[int(NR / 2)]; if (NR > 1) print v[NR] }')
for id in $ids $(echo "$ids" | head -1 | tr a-f A-F) no-such-task; do
  for f in table csv json; do one_run "task $id --format $f" task "$id" --format "$f"; done
done

# report incident: its runaways and guardrail judge the window's tasks
# against the 7 days before it (ac_guard_run with a reference window, on
# ClickHouse in the server); a window on the data's second day, whose week
# before holds its first day only. Every text file alike, the same files.
report_run() {
  local label=$1; shift
  i=$((i + 1))
  rm -rf "$W/$i.ra" "$W/$i.rb"
  "$A" report "$@" --db "$DB" -o "$W/$i.ra" >"$W/$i.a" 2>&1; ra=$?
  "$A" report "$@" --db "$CH" -o "$W/$i.rb" >"$W/$i.b" 2>&1; rb=$?
  if [ $rb -ne 0 ] && grep -q 'not answered on the ClickHouse backend' "$W/$i.b"; then
    unavailable=$((unavailable + 1))
    echo "not on clickhouse: $label: $(head -1 "$W/$i.b")"
    return
  fi
  n=$((n + 1))
  if [ $ra -ne $rb ]; then
    differ=$((differ + 1)); echo "DIFFER (exit $ra vs $rb): $label"; return
  fi
  if [ "$(cd "$W/$i.ra" 2>/dev/null && find . -type f | sort)" != "$(cd "$W/$i.rb" 2>/dev/null && find . -type f | sort)" ]; then
    differ=$((differ + 1)); echo "DIFFER: $label: not the same files"; return
  fi
  local f
  for f in $(cd "$W/$i.ra" 2>/dev/null && find . -type f \( -name '*.html' -o -name '*.md' -o -name '*.csv' \)); do
    if ! why=$(cmp_num "$W/$i.ra/$f" "$W/$i.rb/$f"); then
      differ=$((differ + 1)); echo "DIFFER: $label: $f: $why"; return
    fi
  done
}
if [ -n "$first" ]; then
  report_run "report incident --from ${mid}T00:00:00Z --to ${mid}T12:00:00Z" \
    incident --from "${mid}T00:00:00Z" --to "${mid}T12:00:00Z"
fi

# calls: each store numbers tasks, classes, models and single calls its own
# way; the rest of each row must be there as often on both
i=$((i + 1))
"$A" calls --db "$DB" >"$W/$i.a" 2>"$W/$i.ae"; ra=$?
"$A" calls --db "$CH" >"$W/$i.b" 2>"$W/$i.be"; rb=$?
if [ $rb -ne 0 ] && grep -q 'not answered on the ClickHouse backend' "$W/$i.be"; then
  unavailable=$((unavailable + 1))
  echo "not on clickhouse: calls: $(head -1 "$W/$i.be")"
else
  n=$((n + 1))
  calls_rows() { awk -F, -v OFS=, 'NR > 1 { if ($5 >= 16777216) $5 = "single"; $1 = $2 = $3 = ""; print }' "$1" | sort; }
  calls_rows "$W/$i.a" >"$W/$i.an"; calls_rows "$W/$i.b" >"$W/$i.bn"
  if [ $ra -ne $rb ]; then
    differ=$((differ + 1)); echo "DIFFER (exit $ra vs $rb): calls"
  elif [ "$(head -1 "$W/$i.a")" != "$(head -1 "$W/$i.b")" ] ||
       [ "$(cut -d, -f1 "$W/$i.a" | sort -u | wc -l)" != "$(cut -d, -f1 "$W/$i.b" | sort -u | wc -l)" ]; then
    differ=$((differ + 1)); echo "DIFFER: calls: the header or the number of tasks"
  elif ! why=$(cmp_num "$W/$i.an" "$W/$i.bn"); then
    differ=$((differ + 1)); echo "DIFFER: calls: $why"
  fi
fi

echo "compared $n command runs: $differ differ; $unavailable not answered on ClickHouse"
[ $differ -eq 0 ]
