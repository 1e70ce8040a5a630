#!/usr/bin/env bash
# agentcost recommend on testdata/router/rec_prod.jsonl plus eval scores generated
# here (evals below: N calls, the first K scored 1, the rest 0); every
# expectation worked out by hand. Built-in prices (USD per million tokens, in/out):
# gpt-4o-mini 0.15/0.60, claude-3-5-haiku 0.80/4.00, claude-3-5-sonnet 3.00/15.00.
#
# Production, system desk, window 2025-06-02 .. 2025-06-08 = 7 days:
#   4 triage tasks (06-02..06-05), each: sonnet simple 1000/100 = 3000 + 1500 -> 0.0045,
#     sonnet complex 2000/500 = 6000 + 7500 -> 0.0135, haiku moderate 1000/100 =
#     800 + 400 -> 0.0012; 1 triage task (06-06) with one sonnet complex call;
#   1 notes task (06-03): haiku simple 1000/100 -> 0.0012.
#   Classes: notes/simple (haiku, 1 call), triage/complex (sonnet, 5), triage/moderate
#   (haiku, 4), triage/simple (sonnet, 4). Per call under another model:
#     simple, moderate 1000/100: mini 150 + 60 -> 0.00021, haiku 0.0012, sonnet 0.0045
#     complex 2000/500: mini 300 + 300 -> 0.0006, haiku 1600 + 2000 -> 0.0036
# Eval (task type/class: model k of n), Wilson 95% bounds computed in python3 as in
# t_models.sh:
#   triage/simple:   sonnet 36/40 = 0.9 [0.7694822477, 0.9604204713]
#                    mini 97/100 = 0.97 [0.9154806357094724, 0.9897454759759611]
#                    haiku 97/100 = 0.97 (same bounds)
#   triage/complex:  sonnet 38/40 = 0.95 [0.8349612263, 0.9861793326]
#                    mini 70/100 = 0.70 [0.6041514536665332, 0.7810511471]; haiku 20/20
#   triage/moderate: haiku 45/50 = 0.9 [0.7863976856, 0.9565242351]; mini 10/10
#   notes/simple:    mini 40/40; none for haiku
# Tolerance 0.01, 30 samples:
#   triage/simple: need 0.9 - 0.01 = 0.89; mini (4 x 0.00021 = 0.00084, cheapest)
#     has lower bound 0.9155 >= 0.89 on n = 100 -> moved. Savings 4 x (0.0045 - 0.00021)
#     = 0.01716 a week, monthly 0.01716 x 30 / 7 = 0.07354285714285715
#   triage/complex: need 0.94; mini 0.6042 too low (clearly worse); haiku n = 20 < 30 -> kept
#   triage/moderate: mini n = 10 < 30 -> kept (too few samples)
#   notes/simple: no eval data for haiku -> kept
#   Tasks routed to sonnet: the 5 triage tasks; 4 of them have a triage/simple call -> 80%
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/router
W="--since 2025-06-02 --until 2025-06-08 --system desk"

# evals TRACE_NO TYPE CLASS MODEL K N: one eval task, N scored calls of which K score 1
evals() {
  local tid i
  tid=$(printf 'e%031x' "$1")
  printf '{"trace_id":"%s","span_id":"%016x","parent_span_id":null,"name":"eval","start_time":"2025-06-04T08:00:00Z","end_time":"2025-06-04T09:00:00Z","attributes":{"gen_ai.operation.name":"invoke_agent","agentcost.task.type":"%s"},"resource":{"service.name":"desk","deployment.environment.name":"eval"}}\n' "$tid" 1 "$2"
  for ((i = 0; i < $6; i++)); do
    printf '{"trace_id":"%s","span_id":"%016x","parent_span_id":"%016x","name":"chat","start_time":"2025-06-04T08:00:01Z","end_time":"2025-06-04T08:00:02Z","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"%s","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":100,"agentcost.complexity":"%s","agentcost.eval.score":%d},"resource":{"service.name":"desk","deployment.environment.name":"eval"}}\n' "$tid" $((i + 2)) 1 "$4" "$3" $((i < $5 ? 1 : 0))
  done
}
{ evals 1 triage simple claude-3-5-sonnet 36 40; evals 2 triage simple gpt-4o-mini 97 100
  evals 3 triage simple claude-3-5-haiku 97 100; evals 4 triage complex claude-3-5-sonnet 38 40
  evals 5 triage complex gpt-4o-mini 70 100; evals 6 triage complex claude-3-5-haiku 20 20
  evals 7 triage moderate claude-3-5-haiku 45 50; evals 8 triage moderate gpt-4o-mini 10 10
  evals 9 notes simple gpt-4o-mini 40 40; } >"$T/eval.jsonl"
expect_rc "ingest" 0 ac ingest "$D/rec_prod.jsonl" "$T/eval.jsonl"

ac recommend $W --write-map "$T/rec.csv" --format json >"$T/r.json"
expect_eq "JSON keys in order" "window_days,tolerance,min_samples,classes,monthly_savings,summary" \
  "$(jq -r 'keys_unsorted | join(",")' <"$T/r.json")"
expect_eq "class keys in order" "task_type,complexity,current_model,recommended_model,moved,reason,calls,current_accuracy,current_n,current_lo,current_hi,recommended_accuracy,recommended_n,recommended_lo,recommended_hi,monthly_savings" \
  "$(jq -r '.classes[0] | keys_unsorted | join(",")' <"$T/r.json")"
expect_eq "defaults" "7 0.01 30" "$(jq -r '"\(.window_days) \(.tolerance) \(.min_samples)"' <"$T/r.json")"
expect_eq "classes in order, moves" "notes/simple:false triage/complex:false triage/moderate:false triage/simple:true" \
  "$(jq -r '[.classes[] | "\(.task_type)/\(.complexity):\(.moved)"] | join(" ")' <"$T/r.json")"
k() { jq -r ".classes[] | select(.task_type == \"$1\" and .complexity == \"$2\") | $3" <"$T/r.json"; }
expect_eq "simple: sonnet -> mini, 4 calls moved" "claude-3-5-sonnet gpt-4o-mini 4" \
  "$(k triage simple '"\(.current_model) \(.recommended_model) \(.calls)"')"
expect_eq "simple: evidence n" "40 100" "$(k triage simple '"\(.current_n) \(.recommended_n)"')"
expect_close "simple: current accuracy" 0.9 "$(k triage simple .current_accuracy)" 1e-12
expect_close "simple: current lo" 0.7694822477247771 "$(k triage simple .current_lo)" 1e-9
expect_close "simple: recommended accuracy" 0.97 "$(k triage simple .recommended_accuracy)" 1e-12
expect_close "simple: recommended lo" 0.9154806357094724 "$(k triage simple .recommended_lo)" 1e-9
expect_close "simple: recommended hi" 0.9897454759759611 "$(k triage simple .recommended_hi)" 1e-9
expect_close "simple: monthly savings" 0.07354285714285715 "$(k triage simple .monthly_savings)" 1e-12
expect_eq "complex: kept, clearly worse and too few samples" \
  "claude-3-5-sonnet|accuracy too low: gpt-4o-mini lower bound 0.6042 < 0.9500 - 0.01; too few samples: claude-3-5-haiku n=20 < 30|0|0" \
  "$(k triage complex '"\(.recommended_model)|\(.reason)|\(.calls)|\(.monthly_savings)"')"
expect_close "complex: current lo" 0.8349612263085903 "$(k triage complex .current_lo)" 1e-9
expect_eq "moderate: kept, too few samples" "claude-3-5-haiku|too few samples: gpt-4o-mini n=10 < 30" \
  "$(k triage moderate '"\(.recommended_model)|\(.reason)"')"
expect_eq "notes: kept, no eval data for the current model" "claude-3-5-haiku|no eval data for claude-3-5-haiku|0|null" \
  "$(k notes simple '"\(.recommended_model)|\(.reason)|\(.current_n)|\(.current_accuracy)"')"
expect_close "total monthly savings" 0.07354285714285715 "$(jget .monthly_savings <"$T/r.json")" 1e-12
expect_eq "summary sentence" '["80% of the tasks now routed to claude-3-5-sonnet could go to gpt-4o-mini with no measurable accuracy loss, saving $0.07/month"]' \
  "$(jq -c .summary <"$T/r.json")"

# the written map, and the simulator on it: the same savings (one code path)
printf 'task_type,complexity,model\nnotes,simple,claude-3-5-haiku\ntriage,complex,claude-3-5-sonnet\ntriage,moderate,claude-3-5-haiku\ntriage,simple,gpt-4o-mini\n' >"$T/want.csv"
expect_eq "written map" "$(cat "$T/want.csv")" "$(cat "$T/rec.csv")"
ac simulate --map "$T/rec.csv" $W --format json >"$T/s.json"
expect_close "simulate of the written map: savings 0.018 - 0.00084" 0.01716 "$(jget .savings <"$T/s.json")" 1e-12
expect_eq "recommend and simulate agree to the cent" "$(printf '%.2f' "$(jget .monthly_savings <"$T/r.json")")" \
  "$(printf '%.2f' "$(jget .monthly_savings <"$T/s.json")")"
expect_close "recommend and simulate agree exactly" "$(jget .monthly_savings <"$T/r.json")" "$(jget .monthly_savings <"$T/s.json")" 1e-15

# the table adds the sentences
expect_rc "table" 0 ac recommend $W
expect_grep "table: moved row" "^triage +simple +claude-3-5-sonnet +gpt-4o-mini +yes +4 " "$T/out"
expect_grep "table: sentence" "^80% of the tasks now routed to claude-3-5-sonnet could go to gpt-4o-mini with no measurable accuracy loss, saving \\\$0.07/month$" "$T/out"
ac recommend $W --format csv >"$T/r.csv"
expect_eq "csv: header" "task_type,complexity,current_model,recommended_model,moved,calls,current_accuracy,current_n,current_lo,current_hi,recommended_accuracy,recommended_n,recommended_lo,recommended_hi,monthly_savings,reason" "$(head -1 "$T/r.csv")"
expect_eq "csv: 4 classes, no sentences" 5 "$(wc -l <"$T/r.csv")"

# --tolerance 0.35: complex needs 0.95 - 0.35 = 0.60 <= mini's 0.6042 -> moved too;
#   5 x (0.0135 - 0.0006) = 0.0645 more a week: monthly (0.01716 + 0.0645) x 30 / 7
ac recommend $W --tolerance 0.35 --format json >"$T/t.json"
expect_eq "tolerance 0.35: complex moves" "true gpt-4o-mini 5" \
  "$(jq -r '.classes[1] | "\(.moved) \(.recommended_model) \(.calls)"' <"$T/t.json")"
expect_close "tolerance 0.35: complex monthly 0.0645 x 30 / 7" 0.2764285714285714 "$(jq -r '.classes[1].monthly_savings' <"$T/t.json")" 1e-12
expect_close "tolerance 0.35: total" 0.34997142857142854 "$(jget .monthly_savings <"$T/t.json")" 1e-12
expect_eq "tolerance 0.35: one sentence per (M, M') pair, 5 of 5 tasks" '["100% of the tasks now routed to claude-3-5-sonnet could go to gpt-4o-mini with no measurable accuracy loss, saving $0.35/month"]' \
  "$(jq -c .summary <"$T/t.json")"
# --min-samples 10: moderate's mini (10/10, lower bound 0.7224672001371107 < 0.89) is now
# judged on accuracy
expect_eq "min-samples 10: moderate is accuracy-limited" "too low: gpt-4o-mini lower bound 0.7225 < 0.9000 - 0.01" \
  "$(ac recommend $W --min-samples 10 --format json | jq -r '.classes[2].reason | sub("^accuracy "; "")')"

# --accuracy-floor: the classes whose current model has >= 30 scores, weights = calls
#   simple (4): mini 0.97 $0.00084 (haiku 0.97 $0.0048 and sonnet 0.9 $0.018 dominated)
#   complex (5): mini 0.70 $0.003, sonnet 0.95 $0.0675 (haiku n = 20: out)
#   moderate (4): haiku 0.9 $0.0048 (mini n = 10: out); notes/simple stays out (no data)
#   now (4 x 0.9 + 5 x 0.95 + 4 x 0.9) / 13 = 11.95 / 13 = 0.9192307692307692
#   floor 0.9: complex must stay sonnet: (4 x 0.97 + 4.75 + 3.6) / 13 = 12.23 / 13 = 0.9407692307692308
#   floor 0.8: all cheap: (3.88 + 3.5 + 3.6) / 13 = 10.98 / 13 = 0.8446153846153847,
#     monthly (0.01716 + 0.0645) x 30 / 7 = 0.34997142857142854
#   floor 0.95: above 0.9408, the most any map reaches: an error
ac recommend $W --accuracy-floor 0.9 --format json >"$T/f9.json"
expect_eq "floor: keys" "window_days,tolerance,min_samples,accuracy_floor,current_accuracy,expected_accuracy,classes,monthly_savings,summary" \
  "$(jq -r 'keys_unsorted | join(",")' <"$T/f9.json")"
expect_close "floor 0.9: now" 0.9192307692307692 "$(jget .current_accuracy <"$T/f9.json")" 1e-12
expect_close "floor 0.9: expected" 0.9407692307692308 "$(jget .expected_accuracy <"$T/f9.json")" 1e-12
expect_eq "floor 0.9: map" "claude-3-5-haiku claude-3-5-sonnet claude-3-5-haiku gpt-4o-mini" \
  "$(jq -r '[.classes[].recommended_model] | join(" ")' <"$T/f9.json")"
expect_close "floor 0.9: monthly" 0.07354285714285715 "$(jget .monthly_savings <"$T/f9.json")" 1e-12
ac recommend $W --accuracy-floor 0.8 --write-map "$T/f8.csv" --format json >"$T/f8.json"
expect_close "floor 0.8: expected" 0.8446153846153847 "$(jget .expected_accuracy <"$T/f8.json")" 1e-12
expect_eq "floor 0.8: map" "claude-3-5-haiku gpt-4o-mini claude-3-5-haiku gpt-4o-mini" \
  "$(jq -r '[.classes[].recommended_model] | join(" ")' <"$T/f8.json")"
expect_close "floor 0.8: monthly" 0.34997142857142854 "$(jget .monthly_savings <"$T/f8.json")" 1e-12
expect_eq "floor 0.8: sentence" '["100% of the tasks now routed to claude-3-5-sonnet could go to gpt-4o-mini with the expected accuracy at or above 0.8, saving $0.35/month"]' \
  "$(jq -c .summary <"$T/f8.json")"
expect_close "floor 0.8: simulate agrees" 0.34997142857142854 \
  "$(ac simulate --map "$T/f8.csv" $W --format json | jget .monthly_savings)" 1e-12
expect_rc "floor 0.95: unreachable" 1 ac recommend $W --accuracy-floor 0.95
expect_grep "floor 0.95: says the best" "no map reaches an expected accuracy of 0.95: the most accurate one reaches 0.940769" "$T/err"

# --frontier: per class, models with >= 30 scores by cost, each more accurate than the cheaper
ac recommend $W --frontier --format json >"$T/fr.json"
expect_eq "frontier points" "notes/simple/gpt-4o-mini triage/complex/gpt-4o-mini triage/complex/claude-3-5-sonnet triage/moderate/claude-3-5-haiku triage/simple/gpt-4o-mini" \
  "$(jq -r '[.frontier[] | "\(.task_type)/\(.complexity)/\(.model)"] | join(" ")' <"$T/fr.json")"
expect_eq "frontier: complex sonnet" '{"current":1,"calls":5,"cost":0.0675,"accuracy":0.95,"accuracy_n":40}' \
  "$(jq -c '.frontier[2] | {current, calls, cost, accuracy, accuracy_n}' <"$T/fr.json")"
expect_close "frontier: complex mini cost 5 x 0.0006" 0.003 "$(jq -r '.frontier[1].cost' <"$T/fr.json")" 1e-12

# bad options
expect_rc "tolerance not a number" 2 ac recommend --tolerance x
expect_rc "tolerance above 1" 2 ac recommend --tolerance 2
expect_rc "floor above 1" 2 ac recommend --accuracy-floor 1.5
expect_rc "min-samples fractional" 2 ac recommend --min-samples 2.5
expect_rc "unknown option" 2 ac recommend --bogus
expect_rc "write-map into a missing directory" 1 ac recommend $W --write-map "$T/no/such/dir.csv"
# The weekly report's recommendations: the report week and the three before,
# but not before the store's first day (2025-06-02, the Monday of W23): the
# window is W23's 7 days, so the monthly savings are the 0.01716 a week above
# x 30 / 7, not x 30 / 28 (0.018385714 when days before the store counted)
expect_rc "weekly W23" 0 ac report weekly --week 2025-W23 -o "$T/wk"
expect_close "weekly W23: monthly savings over the store's 7 days" 0.07354285714285715 \
  "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "monthly_savings") c = i; next } { s += $c } END { printf "%.12f", s }' "$T/wk/recommendations.csv")" 1e-9
finish
