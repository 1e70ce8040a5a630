#!/usr/bin/env bash
# agentcost demo (what `make demo` runs): generates, ingests and analyses a
# small workload, and every step's figures agree with the generator's truth.
. "$(dirname "$0")/lib.sh"
expect_rc "demo" 0 ac demo -o "$T/demo" --days 10 --tasks-per-day 60
for section in "1. generate" "2. ingest" "3. what the store holds" "4. cost per task" \
               "5. the costs nobody budgets for" "6. daily spend" "7. runaway tasks" "8. model selection"; do
  expect_grep "section $section" "^== $section" "$T/out"
done
expect_eq "store written" 1 "$([ -s "$T/demo/agentcost.db" ] && echo 1)"
export AGENTCOST_DB="$T/demo/agentcost.db"
expect_eq "spans as the truth says" "$(jq .spans "$T/demo/truth.json")" "$(ac summary --format json | jq .spans)"
expect_close "cost as the truth says" "$(jq .cost.total "$T/demo/truth.json")" "$(ac summary --format json | jq .cost_total)" 1e-6
# a second run starts from a fresh store
expect_rc "demo again" 0 ac demo -o "$T/demo" --days 10 --tasks-per-day 60
expect_eq "no double counting" "$(jq .spans "$T/demo/truth.json")" "$(ac summary --format json | jq .spans)"
finish
