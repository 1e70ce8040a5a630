# Shared helpers for the CLI tests (git's test-lib idea, much smaller).
# Each test script: `. "$(dirname "$0")/lib.sh"`, then checks, then `finish`.
# Environment (set by CTest): AGENTCOST (the binary), SRC (source dir), SHARED.
set -u
: "${AGENTCOST:?AGENTCOST must name the built binary}"
: "${SRC:?SRC must name the source directory}"
SHARED=${SHARED:-$SRC/../shared}
T=$(mktemp -d "${TMPDIR:-/tmp}/agentcost-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export AGENTCOST_DB="$T/store.db"
export CI=1   # no progress line
PASS=0
FAIL=0

ac() { "$AGENTCOST" "$@"; }

ok()   { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then ok; else fail "$1: expected [$2], got [$3]"; fi
}

# expect_close NAME EXPECTED ACTUAL [ABS_TOL]: numbers equal within a tolerance
expect_close() {
  local tol=${4:-1e-9}
  if awk -v e="$2" -v a="$3" -v t="$tol" 'BEGIN { d = e - a; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; then
    ok
  else
    fail "$1: expected $2 (±$tol), got [$3]"
  fi
}

# expect_grep NAME PATTERN FILE: the file has a line matching the extended regex
expect_grep() {
  if grep -Eq -- "$2" "$3"; then ok; else fail "$1: no line matching /$2/ in $3:"; sed 's/^/    /' "$3" >&2; fi
}

expect_no_grep() {
  if grep -Eq -- "$2" "$3"; then fail "$1: unexpected line matching /$2/ in $3"; else ok; fi
}

# expect_rc NAME EXPECTED_RC COMMAND...: run, keeping stdout/stderr in $T/out, $T/err
expect_rc() {
  local name=$1 want=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" = "$want" ]; then ok; else
    fail "$name: exit $rc, expected $want"
    sed 's/^/    stdout: /' "$T/out" >&2
    sed 's/^/    stderr: /' "$T/err" >&2
  fi
}

# jget FILTER: read JSON on stdin, print the jq result raw
jget() { jq -r "$1"; }

# sql QUERY: run against the test store
sql() { sqlite3 "$AGENTCOST_DB" "$1"; }

finish() {
  echo "$(basename "$0"): $PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}

# calls_sql DB SQL: run SQL on DB with the router's call groups (table
# task_calls, packed per task) as a temporary table task_call of one row per
# group, read back through `agentcost calls`.
calls_sql() {
  ac --db "$1" calls >"$T/calls.csv" || return 1
  sqlite3 "$1" "CREATE TEMP TABLE task_call (task INTEGER, complexity INTEGER, model INTEGER,
      day INTEGER, grp INTEGER, calls INTEGER, tokens_in INTEGER, tokens_out INTEGER,
      tokens_cache_read INTEGER, tokens_cache_write INTEGER, tokens_reasoning INTEGER,
      cost_usd REAL)" ".import --csv --skip 1 --schema temp $T/calls.csv task_call" "$2"
}
