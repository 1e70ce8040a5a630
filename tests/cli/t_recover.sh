#!/usr/bin/env bash
# The analyses recover the figures of a generated workload. agentcost gen
# records what it drew (its ground truth, with its own pricing); every figure
# below is read back through a user-facing command and compared with it.
# The truth counts exactly what was written, so most comparisons are exact
# (to float rounding); the published figures themselves are checked by
# tests/unit/test_gen.c and tests/cli/t_gen.sh.
. "$(dirname "$0")/lib.sh"
ac gen -q --days 21 --tasks-per-day 200 --seed 7 --incident-usd 80 -o "$T/w.jsonl" --truth "$T/truth.json" || fail "gen"
expect_rc "ingest" 0 ac ingest "$T/w.jsonl"
t() { jq -r "$1" "$T/truth.json"; }

# what the store holds
ac summary --format json >"$T/summary.json"
expect_eq "spans" "$(t .spans)" "$(jq .spans "$T/summary.json")"
expect_eq "tasks" "$(t .tasks.all)" "$(jq .tasks "$T/summary.json")"
expect_eq "eval tasks" "$(t .tasks.eval)" "$(jq .eval_tasks "$T/summary.json")"
expect_eq "LLM calls" "$(t .llm_calls)" "$(jq .llm_calls "$T/summary.json")"
expect_eq "tool calls" "$(t .tool_calls)" "$(jq .tool_calls "$T/summary.json")"
expect_close "total cost" "$(t .cost.total)" "$(jq .cost_total "$T/summary.json")" 1e-6

# the fat tail of the document system (production tasks, eval left out)
ac tasks --by system --format json | jq '.groups[] | select(.system == "doc-agent")' >"$T/doc.json"
expect_eq "doc tasks" "$(t .doc_tasks.n)" "$(jq .tasks "$T/doc.json")"
expect_close "doc mean" "$(t .doc_tasks.mean_cost)" "$(jq .mean "$T/doc.json")" 1e-9
expect_close "cheapest tenth" "$(t .doc_tasks.bottom10_mean)" "$(jq .bottom10_mean "$T/doc.json")" 1e-9
expect_close "dearest tenth" "$(t .doc_tasks.top10_mean)" "$(jq .top10_mean "$T/doc.json")" 1e-9
expect_close "tail ratio" "$(t .doc_tasks.tail_ratio)" "$(jq .tail_ratio "$T/doc.json")" 1e-6

# hidden costs: retries from the trace structure alone, summarization, eval
ac hidden --format json >"$T/hidden.json"
expect_close "retry cost" "$(t .retries.cost)" "$(jq .retry.cost "$T/hidden.json")" 1e-6
expect_close "retry share of spend" "$(t .retries.cost_share)" "$(jq .retry.share "$T/hidden.json")" 1e-9
expect_close "retry share of tokens" "$(t .retries.token_share)" "$(jq .retry.token_share "$T/hidden.json")" 1e-9
expect_close "tool failure rate" "$(t .tools.failure_rate)" "$(jq .tool_failure_rate "$T/hidden.json")" 1e-9
expect_close "retries per failure" "$(t .retries.retries_per_failure)" "$(jq .retries_per_failure "$T/hidden.json")" 1e-9
expect_close "eval share of spend" "$(t .eval.share_of_spend)" "$(jq .eval.share "$T/hidden.json")" 1e-9
expect_close "summarization share of the research agent" "$(t .summarize.share_of_research)" \
  "$(jq '.systems[] | select(.system == "research-agent") | .summarize.share' "$T/hidden.json")" 1e-9

# the incident day breaks the control band
day=$(t .incident.day)
expect_eq "incident day alerts" true "$(ac spc --format json | jq --arg d "$day" '.days[] | select(.day == $d) | .alert')"
# its looping tasks are runaways
incident_types=$(ac outliers --runaways --format json | jq --arg tt "$(t .incident.task_type)" '[.runaways[] | select(.task_type == $tt)] | length')
expect_eq "incident tasks are runaways" 1 "$([ "$incident_types" -ge "$(t .incident.tasks)" ] && echo 1)"

# accuracy per (task type, complexity, model) = the scores the generator drew
ac models --system doc-agent --format json >"$T/models.json"
n=$(t '.accuracy | length')
bad=0
for i in $(seq 0 $((n - 1))); do
  read -r tt cx model scored correct <<<"$(t ".accuracy[$i] | \"\(.task_type) \(.complexity) \(.model) \(.scored) \(.correct)\"")"
  got=$(jq -r --arg tt "$tt" --arg cx "$cx" --arg m "$model" \
    '[.rows[] | select(.task_type == $tt and .complexity == $cx and (.model | startswith($m)) and .accuracy_n > 0)] | map("\(.accuracy_n) \(.accuracy)") | first' "$T/models.json")
  want="$scored $(awk -v c="$correct" -v s="$scored" 'BEGIN { printf "%.6f", c / s }')"
  got=$(awk -v g="$got" 'BEGIN { split(g, a, " "); printf "%s %.6f", a[1], a[2] }')
  [ "$got" = "$want" ] || { bad=$((bad + 1)); echo "accuracy $tt/$cx/$model: want $want, got $got" >&2; }
done
expect_eq "every accuracy cell recovered ($n cells)" 0 "$bad"
finish
