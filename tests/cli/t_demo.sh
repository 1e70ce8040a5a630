#!/usr/bin/env bash
# agentcost demo (what `make demo` runs): generates, ingests and analyses a
# small workload, and every step's figures agree with the generator's truth.
. "$(dirname "$0")/lib.sh"
expect_rc "demo" 0 ac demo -o "$T/demo" --days 10 --tasks-per-day 60
for section in "1. generate" "2. ingest" "3. what the store holds" "4. cost per task" \
               "5. the costs nobody budgets for" "6. daily spend" "7. runaway tasks" "8. model selection" \
               "9. who spent it" "9b. by the team" "10. what the router"; do
  expect_grep "section $section" "^== $section" "$T/out"
done
# the speed is of the JSON read (the truth's bytes_json), not of the .zst file
mb=$(jq -r '.output.bytes_json / 1e6 * 10 | round / 10' "$T/demo/truth.json")
zmb=$(awk -v b="$(stat -c %s "$T/demo/traces.jsonl.zst")" 'BEGIN { printf "%.1f", b / 1e6 }')
expect_grep "MB/s of JSON read" "^read $mb MB of OTLP JSON \\($zmb MB as zstd\\) in [0-9.]+ s: [0-9.]+ MB/s of JSON$" "$T/out"
line=$(grep "MB/s of JSON" "$T/out")
# MB / s within the rounding of the printed MB (0.05), seconds (0.005 s) and MB/s (0.05)
expect_close "MB/s = MB / s" "$(echo "$line" | awk '{ printf "%.3f", $2 / $(NF - 5) }')" \
  "$(echo "$line" | awk '{ print $(NF - 3) }')" "$(echo "$line" | awk '{ print ($2 + 0.05) / ($(NF - 5) - 0.005) - $2 / $(NF - 5) + 0.06 }')"
expect_no_grep "no MB/s of the compressed file" "^ingested .*MB/s" "$T/out"
expect_eq "store written" 1 "$([ -s "$T/demo/agentcost.db" ] && echo 1)"
export AGENTCOST_DB="$T/demo/agentcost.db"
expect_eq "spans as the truth says" "$(jq .spans "$T/demo/truth.json")" "$(ac summary --format json | jq .spans)"
expect_close "cost as the truth says" "$(jq .cost.total "$T/demo/truth.json")" "$(ac summary --format json | jq .cost_total)" 1e-6
# who spent it: the users' production costs add up to the truth's production cost
# (gen --users 2000: every task has a user or (none))
expect_close "top user: total = the truth's production cost" "$(jq .cost.prod "$T/demo/truth.json")" \
  "$(ac top user --format json | jq .total_cost)" 1e-6
# a second run starts from a fresh store
expect_rc "demo again" 0 ac demo -o "$T/demo" --days 10 --tasks-per-day 60
expect_eq "no double counting" "$(jq .spans "$T/demo/truth.json")" "$(ac summary --format json | jq .spans)"
finish
