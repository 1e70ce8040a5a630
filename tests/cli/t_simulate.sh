#!/usr/bin/env bash
# agentcost simulate on testdata/router; every expectation worked out by hand.
#
# Prices (testdata/router/prices.csv, USD per million tokens):
#   gpt-4o-mini        0.15 in, 0.60 out, cache read 0.075, cache write = input 0.15
#   claude-3-5-haiku   0.80 / 4.00, cache 0.08 / 1.00; from 2025-06-05: 0.40 / 2.00, 0.04 / 0.50
#   claude-3-5-sonnet  3.00 / 15.00, cache read 0.30, cache write 3.75
#   reasoning has no price of its own: the output price.
# Cost = (in - cache_read - cache_write) x input + cache_read x cr + cache_write x cw
#        + (out - reasoning) x output + reasoning x reasoning price   (per 1e6)
#
# Production tasks of shop-agent (testdata/router/prod.jsonl), recorded cost:
#   T1 refund 06-02  a sonnet simple  in 10000 (cr 4000, cw 2000) out 1000 (reasoning 400):
#                      4000x3 + 4000x0.3 + 2000x3.75 + 600x15 + 400x15 = 35700 -> 0.0357
#                    b sonnet complex (class inherited from its subtask span) 20000/2000:
#                      60000 + 30000 -> 0.09;  a tool call (no cost)      T1 = 0.1257
#   T2 refund 06-06  c = a -> 0.0357; d haiku, no class, 5000/500 at the 06-05 price:
#                      2000 + 1000 -> 0.003                               T2 = 0.0387
#   T3 lookup 06-03  e, e2 sonnet simple 2000/200: 6000 + 3000 -> 0.009 each;
#                    f gpt-4o-mini simple 2000/200: 300 + 120 -> 0.00042  T3 = 0.01842
#   T4 lookup 06-08T23:00  g sonnet complex 4000/1000: 12000 + 15000     T4 = 0.027
#   T5 lookup 06-10 (after --until 2025-06-08), T6 refund of system other-bot: not replayed.
# Window 2025-06-02 .. 2025-06-08 inclusive = 7 days; baseline 0.20982 over 4 tasks.
#
# Eval (eval_small.jsonl, refund/simple): gpt-4o-mini 1 1 1 0 -> 0.75 (Wilson k=3 n=4:
# [0.30064184258240184, 0.9544127391902995]); claude-3-5-sonnet 1 1 1 1 0 -> 0.8
# (k=4 n=5: [0.37553462976252533, 0.9637758913675698]); Wilson bounds computed in
# python3 as in t_models.sh.
#
# map_cheap.csv: simple -> gpt-4o-mini, complex -> claude-3-5-haiku
#   a, c -> mini: 4000x0.15 + 4000x0.075 + 2000x0.15 + 600x0.6 + 400x0.6 = 1800 -> 0.0018
#   b -> haiku on 06-02 (old price): 20000x0.8 + 2000x4 = 24000 -> 0.024
#   e, e2 -> mini: 300 + 120 -> 0.00042; f already mini: keeps 0.00042
#   g -> haiku on 06-08 (new price): 4000x0.4 + 1000x2 = 3600 -> 0.0036 (0.0072 at the old)
#   d has no class: keeps 0.003
#   tasks after: 0.0258, 0.0048, 0.00126, 0.0036 = 0.03546; savings 0.17436,
#   share 0.17436 / 0.20982 = 0.8309979982842436, monthly 0.17436 x 30 / 7 = 0.7472571428571427
#   per task before (sorted 0.01842 0.027 0.0387 0.1257): mean 0.052455,
#     p50 (h = 1.5) 0.027 + 0.5 x 0.0117 = 0.03285, p99 (h = 2.97) 0.0387 + 0.97 x 0.087 = 0.12309
#   after (0.00126 0.0036 0.0048 0.0258): mean 0.008865, p50 0.0042, p99 0.0048 + 0.97 x 0.021 = 0.02517
# map_types.csv (columns in another order): default simple -> mini, refund/simple ->
#   sonnet (already: keeps), lookup/complex -> haiku; refund/complex not mapped
#   tasks after: 0.1257, 0.0387, 0.00126, 0.0036 = 0.16926; savings 0.04056,
#   share 0.1933085501858736, monthly 0.17382857142857142;
#   after sorted 0.00126 0.0036 0.0387 0.1257: mean 0.042315, p50 0.02115, p99 0.12309
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/router
W="--since 2025-06-02 --until 2025-06-08 --system shop-agent"

expect_rc "import prices" 0 ac prices import "$D/prices.csv"
expect_rc "ingest" 0 ac ingest "$D/prod.jsonl" "$D/eval_small.jsonl"

ac simulate --map "$D/map_cheap.csv" $W --format json >"$T/a.json"
expect_eq "JSON keys in order" "window_days,tasks,baseline_cost,simulated_cost,savings,savings_share,monthly_savings,per_task,by_class" \
  "$(jq -r 'keys_unsorted | join(",")' <"$T/a.json")"
expect_eq "by_class keys in order" "complexity,task_type,from_model,to_model,calls,baseline_cost,simulated_cost,accuracy_from,accuracy_to,accuracy_to_lo,accuracy_to_hi,accuracy_change" \
  "$(jq -r '.by_class[0] | keys_unsorted | join(",")' <"$T/a.json")"
expect_eq "window days, tasks" "7 4" "$(jq -r '"\(.window_days) \(.tasks)"' <"$T/a.json")"
expect_close "baseline" 0.20982 "$(jget .baseline_cost <"$T/a.json")" 1e-12
expect_close "simulated" 0.03546 "$(jget .simulated_cost <"$T/a.json")" 1e-12
expect_close "savings" 0.17436 "$(jget .savings <"$T/a.json")" 1e-12
expect_close "savings share" 0.8309979982842436 "$(jget .savings_share <"$T/a.json")" 1e-11
expect_close "monthly savings" 0.7472571428571427 "$(jget .monthly_savings <"$T/a.json")" 1e-11
expect_close "per task before: mean" 0.052455 "$(jget .per_task.baseline.mean <"$T/a.json")" 1e-12
expect_close "per task before: p50" 0.03285 "$(jget .per_task.baseline.p50 <"$T/a.json")" 1e-12
expect_close "per task before: p99" 0.12309 "$(jget .per_task.baseline.p99 <"$T/a.json")" 1e-12
expect_close "per task after: mean" 0.008865 "$(jget .per_task.simulated.mean <"$T/a.json")" 1e-12
expect_close "per task after: p50" 0.0042 "$(jget .per_task.simulated.p50 <"$T/a.json")" 1e-12
expect_close "per task after: p99 (the tail moves too)" 0.02517 "$(jget .per_task.simulated.p99 <"$T/a.json")" 1e-12
expect_eq "classes ordered by task type, class" "lookup/complex lookup/simple refund/complex refund/simple" \
  "$(jq -r '[.by_class[] | "\(.task_type)/\(.complexity)"] | join(" ")' <"$T/a.json")"
cls() { jq -r ".by_class[] | select(.task_type == \"$1\" and .complexity == \"$2\") | $3" <"$T/a.json"; }
expect_eq "lookup/simple: from the model of most calls (2 sonnet, 1 mini)" "claude-3-5-sonnet gpt-4o-mini 3" \
  "$(cls lookup simple '"\(.from_model) \(.to_model) \(.calls)"')"
expect_close "lookup/simple baseline 0.009 x 2 + 0.00042" 0.01842 "$(cls lookup simple .baseline_cost)" 1e-12
expect_close "lookup/simple simulated 0.00042 x 3" 0.00126 "$(cls lookup simple .simulated_cost)" 1e-12
expect_close "refund/complex at haiku's old price" 0.024 "$(cls refund complex .simulated_cost)" 1e-12
expect_close "lookup/complex at haiku's new price (06-05)" 0.0036 "$(cls lookup complex .simulated_cost)" 1e-12
expect_close "refund/simple with cache and reasoning tokens: 0.0018 x 2" 0.0036 "$(cls refund simple .simulated_cost)" 1e-12
expect_close "refund/simple baseline 0.0357 x 2" 0.0714 "$(cls refund simple .baseline_cost)" 1e-12
expect_eq "refund/simple accuracy: sonnet 0.8 -> mini 0.75" "0.8 0.75 -0.05" \
  "$(cls refund simple '"\(.accuracy_from) \(.accuracy_to) \(.accuracy_change)"')"
expect_close "mini Wilson lo" 0.30064184258240184 "$(cls refund simple .accuracy_to_lo)" 1e-9
expect_close "mini Wilson hi" 0.9544127391902995 "$(cls refund simple .accuracy_to_hi)" 1e-9
expect_eq "no eval data: null accuracy" "null null null" \
  "$(cls lookup complex '"\(.accuracy_from) \(.accuracy_to) \(.accuracy_change)"')"

# per-type overrides, columns in another order
ac simulate --map "$D/map_types.csv" $W --format json >"$T/b.json"
expect_close "types: simulated" 0.16926 "$(jget .simulated_cost <"$T/b.json")" 1e-12
expect_close "types: savings" 0.04056 "$(jget .savings <"$T/b.json")" 1e-12
expect_close "types: share" 0.1933085501858736 "$(jget .savings_share <"$T/b.json")" 1e-11
expect_close "types: monthly" 0.17382857142857142 "$(jget .monthly_savings <"$T/b.json")" 1e-11
expect_close "types: per task after mean" 0.042315 "$(jget .per_task.simulated.mean <"$T/b.json")" 1e-12
expect_close "types: per task after p50" 0.02115 "$(jget .per_task.simulated.p50 <"$T/b.json")" 1e-12
expect_close "types: p99 unchanged (T1 kept)" 0.12309 "$(jget .per_task.simulated.p99 <"$T/b.json")" 1e-12
expect_eq "types: refund/complex not mapped" '{"to_model":null,"baseline_cost":0.09,"simulated_cost":0.09,"accuracy_to":null}' \
  "$(jq -c '.by_class[] | select(.task_type == "refund" and .complexity == "complex") | {to_model, baseline_cost, simulated_cost, accuracy_to}' <"$T/b.json")"
expect_eq "types: refund/simple keeps sonnet (typed row beats default)" '{"to_model":"claude-3-5-sonnet","simulated_cost":0.0714,"accuracy_to":0.8,"accuracy_change":0}' \
  "$(jq -c '.by_class[] | select(.task_type == "refund" and .complexity == "simple") | {to_model, simulated_cost, accuracy_to, accuracy_change}' <"$T/b.json")"
expect_eq "types: lookup/simple takes the default row" "gpt-4o-mini" \
  "$(jq -r '.by_class[] | select(.task_type == "lookup" and .complexity == "simple") | .to_model' <"$T/b.json")"

# several maps side by side: each object is the single-map one plus "map"
ac simulate --map "$D/map_cheap.csv" --map "$D/map_types.csv" $W --format json >"$T/ab.json"
expect_eq "maps: two, in order" "$D/map_cheap.csv $D/map_types.csv" "$(jq -r '[.maps[].map] | join(" ")' <"$T/ab.json")"
expect_eq "maps: first = single run" "$(jq -c . <"$T/a.json")" "$(jq -c '.maps[0] | del(.map)' <"$T/ab.json")"
expect_eq "maps: second = single run" "$(jq -c . <"$T/b.json")" "$(jq -c '.maps[1] | del(.map)' <"$T/ab.json")"
ac simulate --map "$D/map_cheap.csv" --map "$D/map_types.csv" $W --format csv >"$T/ab.csv"
expect_eq "csv: class header with a map column" "map,complexity,task_type,from_model,to_model,calls,baseline_cost,simulated_cost,accuracy_from,accuracy_to,accuracy_to_lo,accuracy_to_hi,accuracy_change" "$(head -1 "$T/ab.csv")"
expect_eq "csv: 8 class rows, blank line, totals" "13" "$(wc -l <"$T/ab.csv")"
expect_eq "csv: totals header" "map,window_days,tasks,baseline_cost,simulated_cost,savings,savings_share,monthly_savings,task_mean_before,task_p50_before,task_p99_before,task_mean_after,task_p50_after,task_p99_after" "$(sed -n 11p "$T/ab.csv")"
expect_eq "csv: totals of map_types" "$D/map_types.csv,7,4,0.20982,0.16926,0.04056" "$(sed -n 13p "$T/ab.csv" | cut -d, -f1-6)"
ac simulate --map "$D/map_cheap.csv" $W --format csv >"$T/a.csv"
expect_eq "csv: one map, no map column" "complexity,task_type,from_model,to_model,calls,baseline_cost,simulated_cost,accuracy_from,accuracy_to,accuracy_to_lo,accuracy_to_hi,accuracy_change" "$(head -1 "$T/a.csv")"
expect_eq "csv: refund/simple row" "simple,refund,claude-3-5-sonnet,gpt-4o-mini,2,0.0714,0.0036,0.8,0.75" "$(grep '^simple,refund,' "$T/a.csv" | cut -d, -f1-9)"
expect_rc "table" 0 ac simulate --map "$D/map_cheap.csv" --map "$D/map_types.csv" $W
expect_grep "table: a class row" "map_cheap.csv +simple +refund +claude-3-5-sonnet +gpt-4o-mini +2 +0.0714 +0.0036" "$T/out"

# the window: without bounds, first to last task start day (06-02 .. 06-10 = 9 days);
# T5 adds sonnet simple 1000/100 = 0.0045 -> mini 150 + 60 = 0.00021
ac simulate --map "$D/map_cheap.csv" --system shop-agent --format json >"$T/all.json"
expect_eq "open window: 9 days, 5 tasks" "9 5" "$(jq -r '"\(.window_days) \(.tasks)"' <"$T/all.json")"
expect_close "open window: savings 0.17436 + 0.00429" 0.17865 "$(jget .savings <"$T/all.json")" 1e-12
expect_close "open window: monthly 0.17865 x 30 / 9" 0.5955 "$(jget .monthly_savings <"$T/all.json")" 1e-12
expect_eq "--system other-bot: its one task" "1 0.0045" \
  "$(ac simulate --map "$D/map_cheap.csv" --system other-bot --format json | jq -r '"\(.tasks) \(.baseline_cost)"')"
expect_eq "--since alone: 06-03 .. 06-10 = 8 days, 4 tasks" "8 4" \
  "$(ac simulate --map "$D/map_cheap.csv" --since 2025-06-03 --system shop-agent --format json | jq -r '"\(.window_days) \(.tasks)"')"
# --since 06-04 alone: the window is 06-04 .. the last task's day 06-10 = 7
# days although the first task in it starts 06-06 (T2, T4, T5). Savings: all
# 0.17865 less T1's (a 0.0357 - 0.0018 + b 0.09 - 0.024 = 0.0999) and T3's
# (e, e2: 2 x (0.009 - 0.00042) = 0.01716) = 0.06159; monthly x 30 / 7
expect_eq "--since alone: from the bound, not the first task" "7 3" \
  "$(ac simulate --map "$D/map_cheap.csv" --since 2025-06-04 --system shop-agent --format json | jq -r '"\(.window_days) \(.tasks)"')"
expect_close "--since alone: monthly 0.06159 x 30 / 7" 0.263957142857 \
  "$(ac simulate --map "$D/map_cheap.csv" --since 2025-06-04 --system shop-agent --format json | jget .monthly_savings)" 1e-9
# --until 06-07 alone (inclusive): the first task's day 06-02 .. 06-07 = 6 days
expect_eq "--until alone: from the first task to the bound" "6 3" \
  "$(ac simulate --map "$D/map_cheap.csv" --until 2025-06-07 --system shop-agent --format json | jq -r '"\(.window_days) \(.tasks)"')"

# --output-ratio: mini writes twice as much as sonnet (output and reasoning doubled)
#   a, c: 1200 (input side) + 2 x (600 x 0.6 + 400 x 0.6) = 2400 -> 0.0024
#   e, e2: 300 + 2 x 120 = 540 -> 0.00054; f is already mini: unchanged; haiku calls: ratio 1
#   simulated 0.03546 + 2 x 0.0006 + 2 x 0.00012 = 0.0369
ac simulate --map "$D/map_cheap.csv" $W --output-ratio claude-3-5-sonnet:gpt-4o-mini=2 --format json >"$T/r.json"
expect_close "ratio 2: simulated" 0.0369 "$(jget .simulated_cost <"$T/r.json")" 1e-12
expect_close "ratio 2: refund/simple" 0.0048 "$(jq -r '.by_class[3].simulated_cost' <"$T/r.json")" 1e-12
expect_close "ratio 2: lookup/simple 0.00054 x 2 + 0.00042" 0.0015 "$(jq -r '.by_class[1].simulated_cost' <"$T/r.json")" 1e-12
expect_close "ratio for another pair: no effect" 0.03546 \
  "$(ac simulate --map "$D/map_cheap.csv" $W --output-ratio gpt-4o-mini:claude-3-5-sonnet=3 --format json | jget .simulated_cost)" 1e-12
# `calls` dumps every task's call groups as CSV: a window, a system or JSON
# are refused, not silently ignored
expect_rc "calls: --since refused" 2 ac calls --since 2025-06-02
expect_rc "calls: --system refused" 2 ac calls --system shop-agent
expect_rc "calls: --format json refused" 2 ac calls --format json
expect_grep "calls: says what it takes" "it takes no --since, --until, --system or --format json" "$T/err"
expect_rc "calls: --format csv is what it writes" 0 ac calls --format csv
expect_rc "ratio: not a number" 2 ac simulate --map "$D/map_cheap.csv" --output-ratio claude-3-5-sonnet:gpt-4o-mini=x
expect_rc "ratio: zero" 2 ac simulate --map "$D/map_cheap.csv" --output-ratio claude-3-5-sonnet:gpt-4o-mini=0
expect_rc "ratio: no pair" 2 ac simulate --map "$D/map_cheap.csv" --output-ratio 2

# cascade (FrugalGPT): refund/simple tries mini (failure 1 - 0.75 = 0.25), then sonnet
#   a, c: 0.0018 + 0.25 x 0.0357 (sonnet is the recorded model: recorded cost) = 0.010725
#   class 0.02145; without a map: 0.20982 - 0.0714 + 0.02145 = 0.15987
#   expected accuracy 1 - 0.25 x 0.2 = 0.95, change 0.95 - 0.8 = 0.15; bounds from the
#   steps' bounds 1 - (1 - 0.30064184258240184)(1 - 0.37553462976252533) = 0.5632750492996215,
#   1 - (1 - 0.9544127391902995)(1 - 0.9637758913675698) = 0.9983486421121744
ac simulate --cascade 'refund/simple=gpt-4o-mini>claude-3-5-sonnet' $W --format json >"$T/c.json"
expect_close "cascade: simulated" 0.15987 "$(jget .simulated_cost <"$T/c.json")" 1e-12
c3() { jq -r ".by_class[3] | $1" <"$T/c.json"; }
expect_eq "cascade: class row" "refund simple gpt-4o-mini>claude-3-5-sonnet 2" "$(c3 '"\(.task_type) \(.complexity) \(.to_model) \(.calls)"')"
expect_close "cascade: class cost" 0.02145 "$(c3 .simulated_cost)" 1e-12
expect_close "cascade: expected accuracy" 0.95 "$(c3 .accuracy_to)" 1e-12
expect_close "cascade: change" 0.15 "$(c3 .accuracy_change)" 1e-12
expect_close "cascade: lo" 0.5632750492996215 "$(c3 .accuracy_to_lo)" 1e-9
expect_close "cascade: hi" 0.9983486421121744 "$(c3 .accuracy_to_hi)" 1e-9
expect_eq "cascade: other classes not mapped" "null null null" "$(jq -r '[.by_class[0,1,2].to_model] | map(tostring) | join(" ")' <"$T/c.json")"
# with map_cheap: the cascade replaces the map's refund/simple row: 0.03546 - 0.0036 + 0.02145
expect_close "cascade over a map" 0.05331 \
  "$(ac simulate --map "$D/map_cheap.csv" --cascade 'refund/simple=gpt-4o-mini>claude-3-5-sonnet' $W --format json | jget .simulated_cost)" 1e-12
expect_rc "cascade: no eval data for a step" 1 ac simulate --cascade 'simple=gpt-4o-mini>claude-3-5-haiku' $W
expect_grep "cascade: error says so" "^agentcost: error: simulate: cascade simple: no eval data for gpt-4o-mini on task type lookup, complexity simple" "$T/err"
expect_rc "cascade: haiku has no eval data on refund/simple" 1 ac simulate --cascade 'refund/simple=gpt-4o-mini>claude-3-5-haiku' $W
expect_grep "cascade: names the step" "no eval data for claude-3-5-haiku on task type refund" "$T/err"
expect_rc "cascade: one model" 2 ac simulate --cascade 'simple=gpt-4o-mini'
expect_rc "cascade: no class" 2 ac simulate --cascade '=gpt-4o-mini>claude-3-5-haiku'
expect_rc "cascade: twice the same class" 2 ac simulate --cascade 'simple=gpt-4o-mini>claude-3-5-haiku' --cascade 'simple=gpt-4o-mini>claude-3-5-sonnet'

# bad maps: errors as FILE:LINE: reason, nothing on standard output
expect_rc "unpriced target model" 1 ac simulate --map "$D/map_unpriced.csv" $W --format json
expect_grep "unpriced: names the model" "^agentcost: error: .*map_unpriced.csv:3: model acme-llm-9000 has no price in the price table" "$T/err"
expect_eq "unpriced: no \$0 result" "" "$(cat "$T/out")"
expect_rc "unknown column" 1 ac simulate --map "$D/map_unknown_column.csv"
expect_grep "unknown column: line 1" "map_unknown_column.csv:1: unknown column \"modle\"" "$T/err"
expect_rc "missing column" 1 ac simulate --map "$D/map_missing_column.csv"
expect_grep "missing column" "map_missing_column.csv:1: missing column model" "$T/err"
expect_rc "duplicate row" 1 ac simulate --map "$D/map_duplicate.csv"
expect_grep "duplicate row: both lines" "map_duplicate.csv:4: duplicate row for complexity simple, task type refund \(first on line 2\)" "$T/err"
expect_rc "formula cell" 1 ac simulate --map "$D/map_formula.csv"
expect_grep "formula cell" "map_formula.csv:3: cell \"=HYPERLINK.*looks like a spreadsheet formula" "$T/err"
expect_rc "missing map file" 1 ac simulate --map "$T/nope.csv"
expect_rc "empty map" 1 ac simulate --map /dev/null
expect_rc "no map" 2 ac simulate
expect_rc "unknown option" 2 ac simulate --map "$D/map_cheap.csv" --bogus

# --output-ratio measured, in a store of its own: eval calls on refund/simple,
# 30 of mini writing 300 tokens and 30 of sonnet writing 200 -> R = 300/200 = 1.5;
# on lookup/simple 30 of mini (500) but only 29 of sonnet (100): fewer than 30, R = 1.
#   a, c: 1200 + 1.5 x 600 = 2100 -> 0.0021; simulated 0.03546 + 2 x 0.0003 = 0.03606
# evals TRACE_NO TYPE CLASS MODEL N OUT: one eval task of N scored calls (score 1)
evals() {
  local tid span i
  tid=$(printf 'e%031x' "$1")
  printf '{"trace_id":"%s","span_id":"%016x","parent_span_id":null,"name":"eval","start_time":"2025-06-04T08:00:00Z","end_time":"2025-06-04T09:00:00Z","attributes":{"gen_ai.operation.name":"invoke_agent","agentcost.task.type":"%s"},"resource":{"service.name":"shop-agent","deployment.environment.name":"eval"}}\n' "$tid" 1 "$2"
  for ((i = 2; i < $5 + 2; i++)); do
    printf '{"trace_id":"%s","span_id":"%016x","parent_span_id":"%016x","name":"chat","start_time":"2025-06-04T08:00:01Z","end_time":"2025-06-04T08:00:02Z","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"%s","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":%d,"agentcost.complexity":"%s","agentcost.eval.score":1},"resource":{"service.name":"shop-agent","deployment.environment.name":"eval"}}\n' "$tid" "$i" 1 "$4" "$6" "$3"
  done
}
{ evals 1 refund simple gpt-4o-mini 30 300; evals 2 refund simple claude-3-5-sonnet 30 200
  evals 3 lookup simple gpt-4o-mini 30 500; evals 4 lookup simple claude-3-5-sonnet 29 100; } >"$T/verbose.jsonl"
M="$T/measured.db"
expect_rc "measured: import" 0 ac --db "$M" prices import "$D/prices.csv"
expect_rc "measured: ingest" 0 ac --db "$M" ingest "$D/prod.jsonl" "$T/verbose.jsonl"
ac --db "$M" simulate --map "$D/map_cheap.csv" $W --output-ratio measured --format json >"$T/m.json"
expect_close "measured: simulated" 0.03606 "$(jget .simulated_cost <"$T/m.json")" 1e-12
expect_close "measured: refund/simple 0.0021 x 2" 0.0042 "$(jq -r '.by_class[3].simulated_cost' <"$T/m.json")" 1e-12
expect_close "measured: lookup/simple (29 < 30 sonnet calls: R = 1)" 0.00126 "$(jq -r '.by_class[1].simulated_cost' <"$T/m.json")" 1e-12
expect_close "measured: an explicit ratio wins" 0.0369 \
  "$(ac --db "$M" simulate --map "$D/map_cheap.csv" $W --output-ratio measured --output-ratio claude-3-5-sonnet:gpt-4o-mini=2 --format json | jget .simulated_cost)" 1e-12

# on a generated workload (when `agentcost gen` is registered): routing every
# class to claude-3-5-sonnet against the generator's own map (simple -> mini,
# moderate -> haiku, complex -> sonnet), doc-agent tasks. The published study has
# $1.18 -> $0.115 a task (10.3x). Checked against the generator's ground truth,
# which prices every call itself: the baseline per-task mean is its
# doc_tasks.mean_cost, and the all-sonnet ratio is at most its
# all_sonnet_cost_ratio (which also re-prices the aggregation calls, made
# outside any complexity class, so the replay keeps them) and within 5% of it.
# The generator as calibrated gives about 4x (3.2x..4.2x over seeds and
# volumes), not 5x..20x: the order of magnitude of 10x is checked, 10^0.5..10^1.5.
if ac gen --help >/dev/null 2>&1; then
  G="$T/gen.db"
  printf 'complexity,model\nsimple,claude-3-5-sonnet\nmoderate,claude-3-5-sonnet\ncomplex,claude-3-5-sonnet\n' >"$T/sonnet.csv"
  printf 'complexity,model\nsimple,gpt-4o-mini\nmoderate,claude-3-5-haiku\ncomplex,claude-3-5-sonnet\n' >"$T/router.csv"
  expect_rc "gen" 0 ac gen --days 7 --tasks-per-day 300 --seed 7 -o "$T/gen.jsonl" --truth "$T/truth.json"
  expect_rc "gen: ingest" 0 ac --db "$G" ingest "$T/gen.jsonl"
  ac --db "$G" simulate --map "$T/sonnet.csv" --map "$T/router.csv" --system doc-agent --format json >"$T/g.json"
  expect_eq "gen: doc-agent tasks" "$(jq -r '.doc_tasks.n' <"$T/truth.json")" "$(jq -r '.maps[0].tasks' <"$T/g.json")"
  expect_close "gen: per-task mean = the truth's" "$(jq -r '.doc_tasks.mean_cost' <"$T/truth.json")" \
    "$(jq -r '.maps[0].per_task.baseline.mean' <"$T/g.json")" 1e-9
  expect_close "gen: the generator's map changes nothing" 0 "$(jq -r '.maps[1].savings' <"$T/g.json")" 1e-9
  ratio=$(jq -r '.maps[0].per_task.simulated.mean / .maps[1].per_task.simulated.mean' <"$T/g.json")
  truth=$(jq -r '.doc_tasks.all_sonnet_cost_ratio' <"$T/truth.json")
  if awk -v r="$ratio" -v t="$truth" 'BEGIN { exit !(r <= t * (1 + 1e-12) && r >= 0.95 * t) }'; then ok; else
    fail "gen: all-sonnet ratio $ratio, the truth's $truth"; fi
  if awk -v r="$ratio" 'BEGIN { exit !(r >= 3.1623 && r <= 31.623) }'; then ok; else
    fail "gen: all-sonnet / router per-task mean = $ratio, not within an order of magnitude of 10x"; fi
fi
# ---- price tiers and clamped calls in the replay's call groups --------------
# testdata/router/tiers.flat.jsonl: one qa task of "tierbot", every call
# simple (from the root). Recorded (gpt-4o-mini 0.15 / 0.60, cache 0.075):
#   long    300,000 in / 1,000 out: 45,000 + 600           = 0.0456
#   medium  100,000 in / 1,000 out: 15,000 + 600           = 0.0156
#   cached  1,000 in, 3,000 cache read (more than its input: input
#           excludes the cache, fresh input = 1,000, issue #18 item 7),
#           100 out: 150 + 3,000 x 0.075 + 60 = 150 + 225 + 60  = 0.000435
#   private my-private-llm, unpriced: 0                    -> 0.061635
# Replayed on claude-sonnet-4 (3 / 15, cache read 0.30, above 200k 6 / 22.5):
#   long    above 200k: 300,000 x 6 + 1,000 x 22.5         = 1.8225
#   medium  100,000 x 3 + 1,000 x 15                       = 0.315
#   cached  1,000 x 3 + 3,000 x 0.30 + 100 x 15            = 0.0054
#   private 1,000 x 3 + 100 x 15                           = 0.0045 -> 2.1474
# Summed into one group the two regular calls would cross 200k and cost
# 400,000 x 6 + 2,000 x 22.5 = 2.445; the cached call summed with them would
# be read as including its cache.
TDB=$T/tiers.db
expect_rc "tiers: ingest" 0 ac --db "$TDB" ingest "$D/tiers.flat.jsonl"
ac --db "$TDB" simulate --map "$D/map_sonnet4.csv" --format json >"$T/tiers.json"
expect_close "tiers: baseline" 0.061635 "$(jget .baseline_cost <"$T/tiers.json")" 1e-12
expect_close "tiers: simulated" 2.1474 "$(jget .simulated_cost <"$T/tiers.json")" 1e-12
expect_eq "tiers: 4 calls in the class" 4 "$(jget '.by_class[0].calls' <"$T/tiers.json")"
# --output-ratio to a model this store has no call of (claude-sonnet-4): the
# mini calls' output doubled: long + 1,000 x 22.5, medium + 1,000 x 15,
# cached + 100 x 15 (per 1e6) = + 0.039; the private model's call: ratio 1.
# 2.1474 + 0.039 = 2.1864 (an earlier build ignored a ratio whose model had
# no calls: 2.1474)
expect_close "tiers: a ratio to a model without calls" 2.1864 \
  "$(ac --db "$TDB" simulate --map "$D/map_sonnet4.csv" --output-ratio gpt-4o-mini:claude-sonnet-4=2 --format json | jget .simulated_cost)" 1e-12
expect_eq "tiers: call groups (regular, above 200k, the clamped call alone, the unpriced model)" \
  "1:1:100000 5:1:300000 irregular:1:1000 0:1:1000" \
  "$(calls_sql "$TDB" "SELECT group_concat(g, ' ') FROM (SELECT CASE WHEN grp >= 16777216 THEN 'irregular' ELSE grp END || ':' || calls || ':' || tokens_in AS g FROM task_call ORDER BY model, grp)")"

# packed call groups that were damaged (a cut blob, another format byte):
# the replay and `calls` refuse them by task, they never read past the blob
cp "$TDB" "$T/damaged.db"
sqlite3 "$T/damaged.db" "UPDATE task_calls SET groups = substr(groups, 1, length(groups) - 3)"
expect_rc "damaged call groups: simulate fails" 1 ac --db "$T/damaged.db" simulate --map "$D/map_sonnet4.csv"
expect_grep "damaged call groups: said" "damaged call groups in table task_calls" "$T/err"
expect_rc "damaged call groups: calls fails" 1 ac --db "$T/damaged.db" calls
expect_grep "damaged call groups: calls says so" "damaged call groups" "$T/err"
sqlite3 "$T/damaged.db" "UPDATE task_calls SET groups = x'03'"
expect_rc "call groups of another format: simulate fails" 1 ac --db "$T/damaged.db" simulate --map "$D/map_sonnet4.csv"

finish
