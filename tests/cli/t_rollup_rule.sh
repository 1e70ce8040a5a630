#!/usr/bin/env bash
# Count a call once: the Vercel AI SDK's outer functions (ai.generateText, ...)
# are chains and their do* provider calls are the LLM calls; an LLM span whose
# input and output tokens are exactly the sums over the LLM spans nearest below
# it is a rollup, not a call (src/tasks/tasks.c); one whose counts differ stays
# a call.
# Expected figures are computed by hand in testdata/ingest/rollup.costs.md.
# The rule is checked on every derivation path: derived before the insert
# (one file), inserted then derived (AGENTCOST_NO_EARLY=1), and the calls
# arriving in a later file than the span above them (rewritten on the stored
# row, its rollup sums moved); each must give the same figures, and the kept
# rollup must match plain SQL over the spans.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/ingest/rollup.flat.jsonl

check() { # LABEL
  local s
  s=$(ac summary --format json)
  expect_eq "$1: spans" 15 "$(echo "$s" | jget .spans)"
  expect_eq "$1: llm calls" 10 "$(echo "$s" | jget .llm_calls)"
  expect_eq "$1: tool calls" 1 "$(echo "$s" | jget .tool_calls)"
  expect_close "$1: cost" 0.015242 "$(echo "$s" | jget .cost_total)"
  expect_eq "$1: rollup spans rewritten as chains, cost 0" \
    "a100000000000001:4:0.0:0 a200000000000001:4:0.0:0 b300000000000001:4:0.0:0 b300000000000003:4:0.0:0" \
    "$(sql "SELECT group_concat(x, ' ') FROM (SELECT lower(hex(span_id)) || ':' || step || ':' || cost_usd
            || ':' || cost_src AS x FROM span WHERE lower(hex(span_id)) IN ('a100000000000001',
            'a200000000000001', 'b300000000000001', 'b300000000000003') ORDER BY 1)")"
  expect_eq "$1: tool span" "a100000000000003:2:weather" \
    "$(sql "SELECT lower(hex(s.span_id)) || ':' || s.step || ':' || t.name FROM span s JOIN tool t ON t.id = s.tool")"
  expect_eq "$1: tasks (calls, tokens in, out)" "2:3000:700 2:50000:0 2:3000:600 2:1500:300 2:200:20" \
    "$(sql "SELECT group_concat(llm_calls || ':' || tokens_in || ':' || tokens_out, ' ') FROM (SELECT * FROM task ORDER BY start_ns)")"
  expect_eq "$1: task costs" "0.000795 0.001 0.013 0.000405 4.2e-05" \
    "$(sql "SELECT group_concat(printf('%.6g', cost_usd), ' ') FROM (SELECT * FROM task ORDER BY start_ns)")"
  expect_close "$1: producer cost kept on the rollup span" 0.0135 \
    "$(sql "SELECT producer_cost_usd FROM span WHERE lower(hex(span_id)) = 'b300000000000001'")"
  expect_eq "$1: model tokens count the calls" \
    "gpt-4o-mini-2024-07-18:1:1000:200 gpt-4o-mini:5:3700:820 gpt-4o:2:3000:600 text-embedding-3-small:2:50000:0" \
    "$(ac models --format csv | awk -F, 'NR > 1 { k = $3; c[k] += $4; i[k] += $5; o[k] += $6 }
        END { for (k in c) print k ":" c[k] ":" i[k] ":" o[k] }' | LC_ALL=C sort | paste -sd' ')"
  # the kept rollup against the spans (the same comparison as t_rollup.sh)
  expect_eq "$1: rollup matches the spans" 0 "$(sql "
    WITH want AS (SELECT start_ns / 3600000000000 AS hour, rollup_key AS key, count(*) AS n,
                         total(cost_usd) AS cost, coalesce(sum(tokens_in), 0) AS tin,
                         coalesce(sum(tokens_out), 0) AS tout FROM span GROUP BY 1, 2)
    SELECT (SELECT count(*) FROM want w LEFT JOIN rollup r ON r.hour = w.hour AND r.key = w.key
            WHERE r.spans IS NOT w.n OR abs(r.cost_usd - w.cost) > 1e-12 OR r.tokens_in <> w.tin
               OR r.tokens_out <> w.tout)
         + (SELECT count(*) FROM rollup) - (SELECT count(*) FROM want)")"
  expect_eq "$1: rollup keys say chain for the rollups" 4 \
    "$(sql "SELECT count(*) FROM span s JOIN rollup_key k ON k.id = s.rollup_key WHERE k.step = 4 AND k.cost_src = 0 AND s.model IS NOT NULL")"
}

# 1. one file: each trace derived before its insert
export AGENTCOST_DB="$T/one.db"
expect_rc "one file ingests" 0 ac ingest "$D"
check "one file"
# re-ingesting changes nothing
expect_rc "again" 0 ac ingest "$D"
check "again"

# 2. inserted with placeholders, then derived
export AGENTCOST_DB="$T/late.db"
AGENTCOST_NO_EARLY=1 expect_rc "no early derivation" 0 ac ingest "$D"
check "no early"

# 3. the roots and b300000000000003 first, the other spans in a later file:
# b300000000000001 and b300000000000003 are calls until the spans below them
# arrive (the sums differ), then their stored rows are rewritten and their
# rollup sums moved; c400000000000001 stays a call
export AGENTCOST_DB="$T/split.db"
grep -E '"parent_span_id":null|"span_id":"b300000000000003"' "$D" >"$T/parents.jsonl"
grep -vE '"parent_span_id":null|"span_id":"b300000000000003"' "$D" >"$T/children.jsonl"
expect_rc "parents ingest" 0 ac ingest "$T/parents.jsonl"
# alone (rollup.costs.md): 3 calls, 0.0135 + 0.009 + 0.000135 = 0.022635
expect_eq "parents alone: llm calls" 3 "$(ac summary --format json | jget .llm_calls)"
expect_close "parents alone: cost" 0.022635 "$(ac summary --format json | jget .cost_total)"
expect_rc "children ingest" 0 ac ingest "$T/children.jsonl"
check "split"
finish
