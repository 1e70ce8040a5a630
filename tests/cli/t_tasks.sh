#!/usr/bin/env bash
# Task derivation and step purposes on testdata/tasks/tasks.jsonl, every
# expectation worked out by hand from the rules (src/tasks/tasks.h):
#   T1 aaaa..1: gpt-4o-mini spans: 1000/100 -> 0.00021, 2000/100 -> 0.00036,
#      5000/500 -> 0.00105; total 0.00021+0.00036+0.00021+0.00105+0.00021 = 0.00204.
#      search fails at 10 s and 12 s, succeeds at 13 s: the episode [10 s, 13 s)
#      holds the two failures and the LLM call at 11 s (retry); attempts = 2.
#   T2 bbbb..2: environment "evaluation" -> eval task, every span purpose eval.
#   job-42: two traces grouped by agentcost.task.id: 0.00021 + 0.00042 = 0.00063.
#   T4 eeee..5: OpenInference EVALUATOR span -> eval task; type = root name "judge".
#   T5 ffff..6: parent links in a cycle: derived, root = earliest span "loop a".
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/tasks

expect_rc "ingest" 0 ac ingest "$D/tasks.jsonl"
ac tasks --each --format csv >"$T/each.csv"
expect_eq "csv header" "task_id,system,task_type,start,end,spans,llm_calls,tool_calls,tokens_in,tokens_out,cost,unpriced_calls,eval" "$(head -1 "$T/each.csv")"
expect_eq "five tasks" 6 "$(wc -l <"$T/each.csv")"
row() { grep "^$1," "$T/each.csv"; }
expect_eq "T1 row" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1,doc-agent,classify,2025-06-01T12:00:00.000Z,2025-06-01T12:01:00.000Z,11,5,4,10000,900,0.00204,0,0" "$(row aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1)"
expect_eq "T2 eval" "1" "$(row bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2 | awk -F, '{print $13}')"
expect_eq "job-42 grouped" "job-42,research-agent,research,2025-06-01T12:03:20.000Z,2025-06-01T12:05:10.000Z,4,2,0,3000,300,0.00063,0,0" "$(row job-42)"
expect_eq "T4 evaluator -> eval, type from root name" "support-agent,judge" "$(row eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee5 | awk -F, '{print $2 "," $3}')"
expect_eq "T4 eval flag" "1" "$(row eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee5 | awk -F, '{print $13}')"
expect_eq "T5 cycle root" "loop a" "$(row fffffffffffffffffffffffffffffff6 | awk -F, '{print $3}')"

purpose() { sql "SELECT p.name FROM span s JOIN label p ON p.id = s.purpose_eff WHERE s.span_id = x'$1'"; }
expect_eq "explicit plan" plan "$(purpose 1000000000000003)"
expect_eq "failed call: retry" retry "$(purpose 1000000000000004)"
expect_eq "LLM call inside the episode: retry" retry "$(purpose 1000000000000005)"
expect_eq "failed re-invocation: retry" retry "$(purpose 1000000000000006)"
expect_eq "successful re-invocation: not retry" tool "$(purpose 1000000000000007)"
expect_eq "after the episode: execute" execute "$(purpose 1000000000000008)"
expect_eq "other tool: tool" tool "$(purpose 1000000000000009)"
expect_eq "name contains summar: summarize" summarize "$(purpose 100000000000000a)"
expect_eq "explicit aggregate" aggregate "$(purpose 100000000000000b)"
expect_eq "agent span: other" other "$(purpose 1000000000000001)"
expect_eq "eval task span" eval "$(purpose 2000000000000002)"
expect_eq "evaluator task span" eval "$(purpose 5000000000000002)"
cx() { sql "SELECT c.name FROM span s JOIN label c ON c.id = s.complexity_eff WHERE s.span_id = x'$1'"; }
expect_eq "complexity inherited from the subtask span" moderate "$(cx 1000000000000003)"
expect_eq "no complexity outside the subtask" "" "$(cx 1000000000000005)"
expect_eq "T1 episode counts (failures|episodes|attempts)" "2|1|2" \
  "$(sql "SELECT tool_failures || '|' || retry_episodes || '|' || retry_attempts FROM task WHERE task_id = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1'")"

# the task as a tree (agentcost task): every span once, parents before
# children, children in start order, depths from the parent links
ac task aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1 --format csv >"$T/tree.csv"
expect_eq "tree: one row per span" 12 "$(wc -l <"$T/tree.csv")"
expect_eq "tree: depth-first order and depths" \
  "1000000000000001:0 1000000000000002:1 1000000000000003:2 1000000000000004:1 1000000000000005:1 1000000000000006:1 1000000000000007:1 1000000000000008:1 1000000000000009:1 100000000000000a:1 100000000000000b:1" \
  "$(tail -n +2 "$T/tree.csv" | awk -F, '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $1, $3 }')"
expect_eq "tree: purposes shown" "retry" "$(awk -F, '$1 == "1000000000000005" { print $6 }' "$T/tree.csv")"
ac task fffffffffffffffffffffffffffffff6 --format csv >"$T/cycle.csv"
expect_eq "tree of a parent cycle: cut above the earliest span" "6000000000000001:0 6000000000000002:1" \
  "$(tail -n +2 "$T/cycle.csv" | awk -F, '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $1, $3 }')"
expect_eq "task by agentcost.task.id spans both traces" 5 "$(ac task job-42 --format csv | wc -l)"
# a trace id in upper case finds its task (by key, not by scanning task_id)
expect_eq "task id in upper case" 12 "$(ac task AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1 --format csv | wc -l)"
expect_rc "32 characters that are not hex" 1 ac task gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1
expect_rc "unknown task" 1 ac task 0123
expect_grep "unknown task message" "no task 0123" "$T/err"

ac summary --format json >"$T/s.json"
expect_eq "summary tasks (eval included)" 5 "$(jget .tasks <"$T/s.json")"
expect_eq "summary eval tasks" 2 "$(jget .eval_tasks <"$T/s.json")"

# distributions leave eval tasks out unless asked
expect_eq "classify without eval: 1 task" 1 "$(ac tasks --format json | jq '.groups[] | select(.task_type == "classify") | .tasks')"
expect_eq "classify with eval: 2 tasks" 2 "$(ac tasks --include-eval --format json | jq '.groups[] | select(.task_type == "classify") | .tasks')"

# order independence: every span in its own file, in reverse order, gives the same tasks and purposes
export AGENTCOST_DB="$T/rev.db"
i=0
tac "$D/tasks.jsonl" | while IFS= read -r line; do i=$((i + 1)); printf '%s\n' "$line" >"$T/part$(printf %02d $i).jsonl"; done
for f in "$T"/part*.jsonl; do ac ingest "$f" >/dev/null 2>&1; done
ac tasks --each --format csv >"$T/each-rev.csv"
expect_eq "same tasks whatever the arrival order" "$(cat "$T/each.csv")" "$(cat "$T/each-rev.csv")"
expect_eq "same purposes whatever the arrival order" \
  "$(AGENTCOST_DB="$T/store.db" sql "SELECT group_concat(x, ' ') FROM (SELECT lower(hex(s.span_id)) || '=' || p.name AS x FROM span s JOIN label p ON p.id = s.purpose_eff ORDER BY 1)")" \
  "$(sql "SELECT group_concat(x, ' ') FROM (SELECT lower(hex(s.span_id)) || '=' || p.name AS x FROM span s JOIN label p ON p.id = s.purpose_eff ORDER BY 1)")"
expect_eq "no dirty traces left" 0 "$(sql 'SELECT count(*) FROM dirty_trace')"
finish
