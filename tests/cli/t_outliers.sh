#!/usr/bin/env bash
# agentcost outliers on testdata/outliers/outliers.jsonl; every expectation
# worked out by hand. Prices (USD per million tokens, in/out): gpt-4o-mini
# 0.15/0.60, claude-3-5-haiku 0.80/4.00, claude-3-5-sonnet 3.00/15.00.
# Each task is one trace grouped by agentcost.task.id (the task_id below).
#
# triage (support-bot, 2025-06-02), production:
#   o01 haiku 1250 in                 = 0.001
#   o02 haiku 2500 in                 = 0.002
#   o03 sonnet 1000 in                = 0.003
#   o04 haiku 5000 in = 0.004, then the tool "search" 7 times in a row: max_repeat 7
#   o05, o06: the same six LLM calls in the same order (so bit-identical sums):
#     sonnet "plan step" 2000 in (purpose plan) 0.006, sonnet 2000 in 0.006,
#     4 x haiku 2500 in 0.002 = 0.008; cost 0.02, 6 LLM calls
#     o05: second sonnet call has no purpose (execute): execute 0.006 + 0.008
#          = 0.014 > plan 0.006; tools search x3, fetch x1 -> search 3
#     o06: second sonnet call is purpose plan: plan 0.012 > execute 0.008;
#          tools search x2, fetch x2 -> tie, by name: fetch 2; o06 starts first
#   model shares in both: sonnet 0.012 > haiku 0.008
#   e01 (eval environment) 8 x sonnet 10000 in = 0.24, max_repeat 8: left out
#   costs sorted 0.001 0.002 0.003 0.004 0.02 0.02 (6, even): type-7 median =
#   (0.003 + 0.004) / 2 = 0.0035 (0.004 if e01 counted); threshold 3 x 0.0035 =
#   0.0105; o05, o06 savings 0.02 - 0.0105 = 0.0095 each, tied on cost -> by task_id
#   LLM calls sorted 1 1 1 1 6 6: p99.9 h = 5 x 0.999 = 4.995 -> 6 + 0.995 x 0 = 6
# research: r01 alone, sonnet 1000/1000 = 0.018; median = its own cost
# index (doc-bot): x01 alone, haiku 1250 in = 0.001
# lookup: k gpt-4o-mini calls of 1000 in (0.00015 each), each call its own span
#   name (max_repeat 1):
#   l01 k=1 at 2025-06-05T00:00:00, l02 k=2, l03 k=3, l04 k=4 at 2025-06-05T23:59:59,
#   l05 k=12 at 2025-06-06T00:00:00
#   costs 0.00015 x (1 2 3 4 12): median 0.00045, threshold 0.00135, l05 0.0018
#   saves 0.00045
#   calls p99.9: h = 4 x 0.999 = 3.996 -> 4 + 0.996 x (12 - 4) = 11.968 < 12: runaway
# Totals: stopped 3, savings 0.0095 + 0.0095 + 0.00045 = 0.01945; runaways
# l05 (call_count) and o04 (repeated_step, 7 > 5).
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/outliers

expect_rc "ingest" 0 ac ingest "$D/outliers.jsonl"

ac outliers --format json >"$T/o.json"
expect_eq "factor" 3 "$(jget .factor <"$T/o.json")"
expect_eq "outliers ranked by cost, ties by task_id" "o05 o06 l05" "$(jq -r '[.outliers[].task_id] | join(" ")' <"$T/o.json")"
expect_eq "o05 row" '{"task_id":"o05","system":"support-bot","task_type":"triage","llm_calls":6,"top_model":"claude-3-5-sonnet","top_purpose":"execute","repeated_tool":"search","repeated_tool_calls":3}' \
  "$(jq -c '.outliers[0] | {task_id, system, task_type, llm_calls, top_model, top_purpose, repeated_tool, repeated_tool_calls}' <"$T/o.json")"
o() { jq -r ".outliers[] | select(.task_id == \"$1\") | .$2" <"$T/o.json"; }
expect_close "o05 cost" 0.02 "$(o o05 cost)"
expect_close "triage median, even count" 0.0035 "$(o o05 median)" 1e-12
expect_close "triage threshold" 0.0105 "$(o o05 threshold)" 1e-12
expect_close "o05 guardrail savings" 0.0095 "$(o o05 guardrail_savings)" 1e-12
expect_eq "o06 top purpose" plan "$(o o06 top_purpose)"
expect_eq "o06 tool tie broken by name" "fetch 2" "$(o o06 repeated_tool) $(o o06 repeated_tool_calls)"
expect_close "lookup median" 0.00045 "$(o l05 median)" 1e-12
expect_close "lookup threshold" 0.00135 "$(o l05 threshold)" 1e-12
expect_close "l05 savings" 0.00045 "$(o l05 guardrail_savings)" 1e-12
expect_eq "l05 model" gpt-4o-mini "$(o l05 top_model)"
expect_eq "l05 no tool: null, 0" "null 0" "$(o l05 repeated_tool) $(o l05 repeated_tool_calls)"
expect_eq "tasks stopped" 3 "$(jget .totals.tasks_stopped <"$T/o.json")"
expect_close "total savings" 0.01945 "$(jget .totals.savings <"$T/o.json")" 1e-12
expect_eq "runaway count" 2 "$(jget .totals.runaways <"$T/o.json")"
expect_eq "runaways, by type then task_id" "l05 o04" "$(jq -r '[.runaways[].task_id] | join(" ")' <"$T/o.json")"
expect_eq "l05 runaway by call count" '{"task_id":"l05","task_type":"lookup","llm_calls":12,"max_repeat":1,"reasons":["call_count"]}' \
  "$(jq -c '.runaways[0] | del(.calls_p999)' <"$T/o.json")"
expect_close "lookup calls p99.9" 11.968 "$(jget '.runaways[0].calls_p999' <"$T/o.json")" 1e-9
expect_eq "o04 runaway by repeated tool" '{"task_id":"o04","task_type":"triage","llm_calls":1,"calls_p999":6,"max_repeat":7,"reasons":["repeated_step"]}' \
  "$(jq -c '.runaways[1]' <"$T/o.json")"
expect_no_grep "eval task e01 left out" '"e01"' "$T/o.json"
expect_eq "single-task types never flagged" "" "$(jq -r '.outliers[], .runaways[] | select(.task_type == "research" or .task_type == "index") | .task_id' <"$T/o.json")"

# CSV: the outlier rows, header = the JSON outlier keys in order
ac outliers --format csv >"$T/o.csv"
expect_eq "csv header" "task_id,system,task_type,cost,llm_calls,threshold,median,top_model,top_purpose,repeated_tool,repeated_tool_calls,guardrail_savings" "$(head -1 "$T/o.csv")"
expect_eq "csv rows" 4 "$(wc -l <"$T/o.csv")"
expect_eq "csv l05 row (null tool empty)" "l05,support-bot,lookup,0.0018,12,0.00135,0.00045,gpt-4o-mini,execute,,0,0.00045" "$(grep '^l05,' "$T/o.csv")"
ac outliers --runaways --format csv >"$T/r.csv"
expect_eq "runaways csv" "task_id,task_type,llm_calls,calls_p999,max_repeat,reasons
l05,lookup,12,11.968,1,call_count
o04,triage,1,6,7,repeated_step" "$(cat "$T/r.csv")"
expect_rc "table" 0 ac outliers
expect_grep "table totals line" "^3 tasks over 3 x the median" "$T/out"

# --factor 1: threshold = median. triage 0.0035: o04 0.004 saves 0.0005, o05/o06
# save 0.0165; lookup 0.00045: l04 0.0006 saves 0.00015, l05 saves 0.00135;
# r01 and x01 cost exactly their median: not over it.
# savings 0.0165 x 2 + 0.0005 + 0.00135 + 0.00015 = 0.035
ac outliers --factor 1 --format json >"$T/f1.json"
expect_eq "factor 1 outliers" "o05 o06 o04 l05 l04" "$(jq -r '[.outliers[].task_id] | join(" ")' <"$T/f1.json")"
expect_close "factor 1 savings" 0.035 "$(jget .totals.savings <"$T/f1.json")" 1e-12
expect_eq "factor 1 in JSON" 1 "$(jget .factor <"$T/f1.json")"
# --factor 10: thresholds 0.035 and 0.0045, nothing over; runaways do not depend on it
ac outliers --factor=10 --format json >"$T/f10.json"
expect_eq "factor 10: none stopped" "0 0 2" "$(jq -r '"\(.totals.tasks_stopped) \(.totals.savings) \(.totals.runaways)"' <"$T/f10.json")"
# --repeat 7: o04's run of 7 is not more than 7; --repeat 6 flags it again
expect_eq "repeat 7" "l05" "$(ac outliers --repeat 7 --format json | jq -r '[.runaways[].task_id] | join(" ")')"
expect_eq "repeat 6" "l05 o04" "$(ac outliers --repeat 6 --format json | jq -r '[.runaways[].task_id] | join(" ")')"

# window boundaries (tasks by start; --until is an inclusive day):
# 2025-06-05 alone holds l01 (00:00:00) .. l04 (23:59:59); l05 (06-06 00:00) is out.
# lookup costs 1 2 3 4 x 0.00015: median 2.5 units = 0.000375, threshold 0.001125,
# none over; calls p99.9 h = 2.997 -> 3 + 0.997 x 1 = 3.997 < 4: l04 is a runaway.
ac outliers --since 2025-06-05 --until 2025-06-05 --format json >"$T/w.json"
expect_eq "one day: no outliers" 0 "$(jget '.outliers | length' <"$T/w.json")"
expect_eq "one day: l04 runaway" "l04" "$(jq -r '[.runaways[].task_id] | join(" ")' <"$T/w.json")"
expect_close "one day: calls p99.9" 3.997 "$(jget '.runaways[0].calls_p999' <"$T/w.json")" 1e-9
# from 2025-06-05 on: l01 (at 00:00:00) is in, so the median is still 3 units
# (0.00045; without l01 it would be (3 + 4) / 2 units = 0.000525)
ac outliers --since 2025-06-05 --format json >"$T/s.json"
expect_eq "since: l05 only" "l05" "$(jq -r '[.outliers[].task_id] | join(" ")' <"$T/s.json")"
expect_close "since: median with l01" 0.00045 "$(jget '.outliers[0].median' <"$T/s.json")" 1e-12
# from 2025-06-06 on: l05 alone, a one-task type
expect_eq "since 06-06: nothing" "0 0" "$(ac outliers --since 2025-06-06 --format json | jq -r '"\(.totals.tasks_stopped) \(.totals.runaways)"')"
expect_eq "until 06-04: triage only" "o05 o06|o04" \
  "$(ac outliers --until 2025-06-04 --format json | jq -r '([.outliers[].task_id] | join(" ")) + "|" + ([.runaways[].task_id] | join(" "))')"

# --system
expect_eq "system doc-bot: nothing" "0 0" "$(ac outliers --system doc-bot --format json | jq -r '"\(.totals.tasks_stopped) \(.totals.runaways)"')"
expect_eq "system support-bot: same as all" "$(jq -c . <"$T/o.json")" "$(ac outliers --system support-bot --format json | jq -c .)"

# bad options
expect_rc "factor 0 refused" 2 ac outliers --factor 0
expect_rc "factor not a number" 2 ac outliers --factor x
expect_rc "repeat 0 refused" 2 ac outliers --repeat 0
expect_rc "unknown option" 2 ac outliers --bogus
finish
