#!/usr/bin/env bash
# Crash safety: an ingest killed with SIGKILL at random moments (50 trials per
# format, OTLP JSON lines and flat JSONL) leaves a store that passes
# PRAGMA integrity_check, and running the same ingest again reaches exactly
# the totals of a clean ingest: the same spans, tasks and cost to the cent.
# Expected totals by hand (tests/cli/gen_traces.awk): N traces x 4 spans,
# 2 LLM calls and 0.008445 USD each.
. "$(dirname "$0")/lib.sh"
N=${CRASH_TRACES:-4000}
TRIALS=${CRASH_TRIALS:-50}
export AGENTCOST_BUSY_TIMEOUT_MS=5000
RANDOM=4242   # reproducible kill times

totals() {
  ac summary --format json | jq -r '[.spans, .tasks, .llm_calls, .tool_calls, (.cost_total * 1000000 | round)] | @tsv'
  sql "SELECT count(*) || ' ' || total(cost_usd) || ' ' || total(tool_calls) FROM task"
}

for fmt in otlp flat; do
  awk -v n="$N" -v fmt="$fmt" -f "$SRC/tests/cli/gen_traces.awk" >"$T/in.$fmt"
  export AGENTCOST_DB="$T/clean-$fmt.db"
  start=$(date +%s%N)
  expect_rc "$fmt: clean ingest" 0 ac ingest --batch=400 "$T/in.$fmt"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  # the kill delays span the FASTEST of three clean runs: one run slowed by a
  # busy machine would put most kills after the ingest has ended
  for again in 1 2; do
    rm -f "$T/again.db"*
    start=$(date +%s%N)
    AGENTCOST_DB="$T/again.db" ac ingest --batch=400 "$T/in.$fmt" >/dev/null 2>&1
    t=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$t" -lt "$ms" ] && ms=$t
  done
  [ "$ms" -lt 20 ] && ms=20
  totals >"$T/clean.$fmt"
  want_cost=$(awk -v n="$N" 'BEGIN { printf "%.0f", n * 0.008445 * 1000000 }')
  expect_eq "$fmt: clean totals by hand" "$((4 * N))	$N	$((2 * N))	$N	$want_cost" "$(head -1 "$T/clean.$fmt")"

  killed=0
  for trial in $(seq 1 "$TRIALS"); do
    export AGENTCOST_DB="$T/crash.db"
    rm -f "$T"/crash.db*
    # kill anywhere from the first instant to the end of a clean run
    delay=$((RANDOM % ms))
    "$AGENTCOST" ingest --batch=400 "$T/in.$fmt" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    wait "$pid" 2>/dev/null
    if [ -f "$T/crash.db" ]; then
      ic=$(sqlite3 "$T/crash.db" 'PRAGMA integrity_check' 2>&1)
      expect_eq "$fmt trial $trial: integrity after kill at ${delay} ms" ok "$ic"
    fi
    ac ingest --batch=400 "$T/in.$fmt" >/dev/null 2>"$T/rerun.err"
    rc=$?
    if [ "$rc" != 0 ]; then fail "$fmt trial $trial: re-run exit $rc: $(cat "$T/rerun.err")"; continue; fi
    totals >"$T/after"
    if cmp -s "$T/after" "$T/clean.$fmt"; then ok; else
      fail "$fmt trial $trial (kill at ${delay} ms): totals differ: $(tr '\n' ' ' <"$T/after") vs $(tr '\n' ' ' <"$T/clean.$fmt")"
    fi
  done
  echo "$fmt: $killed of $TRIALS runs killed mid-ingest (clean run: $ms ms)"
  expect_eq "$fmt: most trials really killed an ingest" 1 "$((killed * 2 >= TRIALS))"
done
finish
