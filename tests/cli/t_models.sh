#!/usr/bin/env bash
# agentcost models on testdata/models/models.jsonl; every expectation worked
# out by hand. Prices (USD per million tokens, in/out): gpt-4o-mini 0.15/0.60,
# claude-3-5-haiku 0.80/4.00, claude-3-5-sonnet 3.00/15.00.
#
# ISO week 2025-W23 = Mon 2025-06-02 00:00 .. Mon 2025-06-09 00:00 UTC (week 1 of
# 2025 starts Mon 2024-12-30, the week of 4 January; + 22 weeks = 2025-06-02).
# Production calls (service support-bot), one row per (task type, complexity, model):
#   support/simple/gpt-4o-mini: 1000 in + 500 out = 0.00015 + 0.0003 = 0.00045 a call;
#     W23: 06-02T00:00:00 (first instant), two on 06-04, 06-08T23:59:59 (Sunday) = 4
#     calls, 4000/2000 tokens, 0.0018. Out: 06-09T00:00:00 (Monday of W24).
#     One production call carries eval.score 0: production scores are ignored.
#     W22: 05-28 and 06-01T23:59:59 = 2 calls, 0.0009.
#   support/complex/claude-3-5-sonnet (complexity inherited from a subtask span):
#     1000 in + 1000 out = 0.003 + 0.015 = 0.018 a call; W23 2 calls 0.036; W22 1 call.
#   support/complex/gpt-4o-mini: W23 one call 2000/1000 = 0.0003 + 0.0006 = 0.0009.
#   research/""/claude-3-5-haiku (no complexity, no eval data): 2 calls of
#     1250/250 = 0.001 + 0.001 = 0.002, 0.004.
#   support/simple/claude-3-5-sonnet: W22 only, 1000 in = 0.003.
# W23 production LLM cost: 0.0018 + 0.036 + 0.0009 + 0.004 = 0.0427
#   shares 0.004/0.0427 = 0.0936768149883, 0.036/0.0427 = 0.843091334895,
#   0.0009/0.0427 = 0.0210772833724, 0.0018/0.0427 = 0.0421545667447
# Eval runs (deployment.environment.name = eval), scores by the eval call's own
# task type/complexity/model; their calls add nothing to production numbers:
#   support/simple/gpt-4o-mini W23: 1 1 1 0 1 (and one unscored call): 0/1 -> Wilson,
#     k = 4, n = 5, accuracy 0.8. W22: 1 0 -> 0.5. W24 (06-09T00:00): 0, out of W23.
#   support/complex/claude-3-5-sonnet W23: 0.6 0.8 0.7 0.7 -> t interval: mean 0.7,
#     s = sqrt(0.02 / 3) = 0.0816497, se = s / 2 = 0.0408248, t(0.975, 3) = 3.182
#     (published table; 3.1824463), half = 0.1299228 -> [0.5700772, 0.8299228]
#   support/complex/gpt-4o-mini W23: 0.6 0.8 -> mean 0.7, t(0.975, 1) = 12.706,
#     half = 12.706 x 0.1 = 1.27 -> clamped to [0, 1]
#   support/simple/claude-3-5-haiku W23: 1 0 -> Wilson k = 1, n = 2; no production calls
# Wilson bounds (z = 1.959963984540054), computed independently in python3:
#   p=k/n; d=1+z*z/n; c=(p+z*z/(2*n))/d; h=z*sqrt(p*(1-p)/n+z*z/(4*n*n))/d; c-h, c+h
#   k=4 n=5: 0.3755346297625255, 0.9637758913675698
#   k=1 n=2: 0.09453120573423074, 0.9054687942657693
#   k=5 n=8: 0.3057423946026274, 0.8631557141764026
# cost per success = cost per call / accuracy: 0.00045 / 0.8 = 0.0005625,
#   0.018 / 0.7 = 0.0257142857143, 0.0009 / 0.7 = 0.00128571428571
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/models

expect_rc "ingest" 0 ac ingest "$D/models.jsonl"

ac models --week 2025-W23 --format json >"$T/w.json"
expect_eq "rows ordered by task_type, complexity, model" \
  "research//claude-3-5-haiku support/complex/claude-3-5-sonnet support/complex/gpt-4o-mini support/simple/claude-3-5-haiku support/simple/gpt-4o-mini" \
  "$(jq -r '[.rows[] | "\(.task_type)/\(.complexity)/\(.model)"] | join(" ")' <"$T/w.json")"
r() { jq -r ".rows[] | select(.task_type == \"$1\" and .complexity == \"$2\" and .model == \"$3\") | .$4" <"$T/w.json"; }
MS="support simple gpt-4o-mini"
expect_eq "mini simple: calls (Sunday 23:59:59 in, Monday 00:00 out, eval calls out)" 4 "$(r $MS calls)"
expect_eq "mini simple: tokens" "4000 2000" "$(r $MS tokens_in) $(r $MS tokens_out)"
expect_close "mini simple: cost" 0.0018 "$(r $MS cost)" 1e-12
expect_close "mini simple: cost share" 0.0421545667447 "$(r $MS cost_share)" 1e-11
expect_close "mini simple: cost per call" 0.00045 "$(r $MS cost_per_call)" 1e-12
expect_close "mini simple: accuracy 4/5 (production score ignored)" 0.8 "$(r $MS accuracy)" 1e-12
expect_eq "mini simple: n" 5 "$(r $MS accuracy_n)"
expect_close "mini simple: Wilson lo" 0.3755346297625255 "$(r $MS accuracy_lo)" 1e-9
expect_close "mini simple: Wilson hi" 0.9637758913675698 "$(r $MS accuracy_hi)" 1e-9
expect_close "mini simple: cost per success" 0.0005625 "$(r $MS cost_per_success)" 1e-12
SC="support complex claude-3-5-sonnet"
expect_eq "sonnet complex: calls (complexity inherited)" 2 "$(r $SC calls)"
expect_close "sonnet complex: cost" 0.036 "$(r $SC cost)" 1e-12
expect_close "sonnet complex: share" 0.843091334895 "$(r $SC cost_share)" 1e-11
expect_close "sonnet complex: accuracy" 0.7 "$(r $SC accuracy)" 1e-12
expect_close "sonnet complex: t lo" 0.5700772 "$(r $SC accuracy_lo)" 1e-6
expect_close "sonnet complex: t hi" 0.8299228 "$(r $SC accuracy_hi)" 1e-6
expect_close "sonnet complex: cost per success" 0.0257142857143 "$(r $SC cost_per_success)" 1e-12
MC="support complex gpt-4o-mini"
expect_close "mini complex: cost" 0.0009 "$(r $MC cost)" 1e-12
expect_eq "mini complex: t interval with n=2 clamped" "0 1 2" "$(r $MC accuracy_lo) $(r $MC accuracy_hi) $(r $MC accuracy_n)"
expect_close "mini complex: cost per success" 0.00128571428571 "$(r $MC cost_per_success)" 1e-12
expect_eq "research haiku: complexity empty" "" "$(jq -r '.rows[0].complexity' <"$T/w.json")"
expect_eq "research haiku: no eval data" '{"calls":2,"tokens_in":2500,"tokens_out":500,"cost_per_call":0.002,"accuracy":null,"accuracy_n":0,"accuracy_lo":null,"accuracy_hi":null,"cost_per_success":null}' \
  "$(jq -c '.rows[0] | {calls, tokens_in, tokens_out, cost_per_call, accuracy, accuracy_n, accuracy_lo, accuracy_hi, cost_per_success}' <"$T/w.json")"
expect_close "research haiku: share" 0.0936768149883 "$(jq -r '.rows[0].cost_share' <"$T/w.json")" 1e-11
expect_eq "eval-only row: haiku simple" '{"calls":0,"cost":0,"cost_share":0,"cost_per_call":null,"accuracy":0.5,"accuracy_n":2,"cost_per_success":null}' \
  "$(jq -c '.rows[3] | {calls, cost, cost_share, cost_per_call, accuracy, accuracy_n, cost_per_success}' <"$T/w.json")"
expect_close "haiku simple: Wilson lo" 0.09453120573423074 "$(jq -r '.rows[3].accuracy_lo' <"$T/w.json")" 1e-9
expect_close "haiku simple: Wilson hi" 0.9054687942657693 "$(jq -r '.rows[3].accuracy_hi' <"$T/w.json")" 1e-9
expect_close "shares sum to 1" 1 "$(jq '[.rows[].cost_share] | add' <"$T/w.json")" 1e-12
expect_eq "JSON keys in order" "task_type,complexity,model,calls,tokens_in,tokens_out,cost,cost_share,cost_per_call,accuracy,accuracy_n,accuracy_lo,accuracy_hi,cost_per_success" \
  "$(jq -r '.rows[0] | keys_unsorted | join(",")' <"$T/w.json")"

# the same window given as dates; --week overrides --since/--until
expect_eq "--since/--until = --week" "$(jq -c . <"$T/w.json")" "$(ac models --since 2025-06-02 --until 2025-06-08 --format json | jq -c .)"
expect_eq "--week overrides" "$(jq -c . <"$T/w.json")" "$(ac models --since 2025-01-01 --until 2025-12-31 --week 2025-W23 --format json | jq -c .)"
# W24 starts with the Monday 00:00 call and the Monday 00:00 eval score 0
expect_eq "W24: Monday 00:00 is its first instant" "1 1 0" \
  "$(ac models --week 2025-W24 --format json | jq -r '.rows[] | select(.model == "gpt-4o-mini") | "\(.calls) \(.accuracy_n) \(.accuracy)"')"

# all time: mini simple 7 production calls (4 + W24 1 + W22 2), 0.00045 x 7 = 0.00315;
# scores 1 1 1 0 1, 1 0, 0 -> k = 5, n = 8, Wilson [0.3057423946, 0.8631557142]
ac models --format csv >"$T/all.csv"
expect_eq "csv header" "task_type,complexity,model,calls,tokens_in,tokens_out,cost,cost_share,cost_per_call,accuracy,accuracy_n,accuracy_lo,accuracy_hi,cost_per_success" "$(head -1 "$T/all.csv")"
expect_eq "all time: 6 rows" 7 "$(wc -l <"$T/all.csv")"
line=$(grep '^support,simple,gpt-4o-mini,' "$T/all.csv")
expect_eq "all time mini simple calls, n" "7 8" "$(echo "$line" | awk -F, '{print $4, $11}')"
expect_close "all time mini simple cost" 0.00315 "$(echo "$line" | cut -d, -f7)" 1e-12
expect_close "all time Wilson lo" 0.3057423946026274 "$(echo "$line" | cut -d, -f12)" 1e-9
expect_close "all time Wilson hi" 0.8631557141764026 "$(echo "$line" | cut -d, -f13)" 1e-9
# all-time LLM cost 0.004 + 0.054 + 0.0009 + 0.003 + 0.00315 = 0.06505; research 0.004 / 0.06505
line=$(grep '^research,' "$T/all.csv")
expect_eq "null accuracy is an empty CSV cell" "research,,claude-3-5-haiku,2,2500,500,0.004,0.002,,0,,," \
  "$(echo "$line" | cut -d, -f1-7,9-)"
expect_close "all time research share" 0.0614911606456572 "$(echo "$line" | cut -d, -f8)" 1e-11

# --compare-previous: W22 against W23
ac models --week 2025-W23 --compare-previous --format json >"$T/c.json"
expect_eq "compare: rows of either week" 6 "$(jget '.rows | length' <"$T/c.json")"
c() { jq -c ".rows[] | select(.task_type == \"$1\" and .complexity == \"$2\" and .model == \"$3\") | {prev_calls, prev_cost, prev_accuracy, calls_change, cost_change, accuracy_change}" <"$T/c.json"; }
expect_eq "compare mini simple: 2 -> 4 calls, 0.5 -> 0.8" '{"prev_calls":2,"prev_cost":0.0009,"prev_accuracy":0.5,"calls_change":2,"cost_change":0.0009,"accuracy_change":0.3}' "$(c support simple gpt-4o-mini)"
expect_eq "compare sonnet complex: no previous accuracy" '{"prev_calls":1,"prev_cost":0.018,"prev_accuracy":null,"calls_change":1,"cost_change":0.018,"accuracy_change":null}' "$(c support complex claude-3-5-sonnet)"
expect_eq "compare: model dropped since W22" '{"prev_calls":1,"prev_cost":0.003,"prev_accuracy":null,"calls_change":-1,"cost_change":-0.003,"accuracy_change":null}' "$(c support simple claude-3-5-sonnet)"
expect_eq "compare: dropped row has no current calls" "0 0 null" "$(jq -r '.rows[4] | "\(.calls) \(.cost_share) \(.accuracy)"' <"$T/c.json")"
expect_eq "compare: current columns unchanged" "$(jq -c '[.rows[] | select(.model != "claude-3-5-sonnet" or .complexity != "simple") | del(.prev_calls, .prev_cost, .prev_accuracy, .calls_change, .cost_change, .accuracy_change)]' <"$T/c.json")" "$(jq -c '.rows' <"$T/w.json")"
expect_eq "compare with dates: the window just before" "$(jq -c . <"$T/c.json")" \
  "$(ac models --since 2025-06-02 --until 2025-06-08 --compare-previous --format json | jq -c .)"
ac models --week 2025-W23 --compare-previous --format csv >"$T/c.csv"
expect_eq "compare csv header" "task_type,complexity,model,calls,tokens_in,tokens_out,cost,cost_share,cost_per_call,accuracy,accuracy_n,accuracy_lo,accuracy_hi,cost_per_success,prev_calls,prev_cost,prev_accuracy,calls_change,cost_change,accuracy_change" "$(head -1 "$T/c.csv")"

# --system: the task's system
expect_eq "system with no tasks: no rows" 0 "$(ac models --system nobody --format json | jq '.rows | length')"
expect_rc "table" 0 ac models --week 2025-W23
expect_grep "table row" "^support +simple +gpt-4o-mini +4 " "$T/out"

# bad options
expect_rc "week 54 refused" 2 ac models --week 2025-W54
expect_rc "2025 has no week 53" 2 ac models --week 2025-W53
expect_rc "week needs the W" 2 ac models --week 2025-23
expect_rc "compare needs a bounded window" 2 ac models --compare-previous
expect_rc "compare with --since alone" 2 ac models --since 2025-06-02 --compare-previous
expect_rc "unknown option" 2 ac models --bogus
finish
