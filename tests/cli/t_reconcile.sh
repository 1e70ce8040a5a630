#!/usr/bin/env bash
# agentcost reconcile: a provider's cost export against the traced cost per
# UTC day x model. Every expected figure is computed by hand in
# testdata/reconcile/README.md (trace costs from the built-in prices).
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/reconcile

expect_rc "ingest traces" 0 ac ingest "$D/traces.jsonl"

# row DAY MODEL FIELD: one field of one row of the JSON in $T/out
row() { jq -r --arg d "$1" --arg m "$2" ".rows[] | select(.day == \$d and .model == \$m) | .$3" "$T/out"; }
tot() { jq -r ".rows[] | select(.day == \"total\") | .$1" "$T/out"; }

# --- OpenAI costs export -----------------------------------------------------
expect_rc "openai: bad rows skipped -> 3" 3 ac reconcile "$D/openai_costs.csv" --format json
expect_grep "openai: bad amount named" "openai_costs.csv:10: cost is not a number \('1,5'\)" "$T/err"
expect_grep "openai: other currency named" "openai_costs.csv:11: currency is not usd \('eur'\)" "$T/err"
expect_eq "openai: 7 rows + total" 8 "$(jq '.rows | length' "$T/out")"
expect_eq "openai: keys" "day,model,billed,traced,difference,share_untraced" \
  "$(jq -r '.rows[0] | keys_unsorted | join(",")' "$T/out")"
# gpt-4o-mini 06-01: billed 0.04 + 0.03 (input + output line items) = 0.07,
# traced 0.027 (dated name) + 0.036 (undated) = 0.063
expect_close "openai: mini billed (line items added)" 0.07 "$(row 2025-06-01 gpt-4o-mini billed)"
expect_close "openai: mini traced (dated + undated)" 0.063 "$(row 2025-06-01 gpt-4o-mini traced)"
expect_close "openai: mini difference 0.07-0.063" 0.007 "$(row 2025-06-01 gpt-4o-mini difference)"
expect_close "openai: mini share 0.007/0.07" 0.1 "$(row 2025-06-01 gpt-4o-mini share_untraced)"
# traced more than billed: gpt-4o 06-02 billed 0.3, traced 0.35 -> -0.05, -1/6
expect_close "openai: gpt-4o difference negative" -0.05 "$(row 2025-06-02 gpt-4o difference)"
expect_close "openai: gpt-4o share -0.05/0.3" -0.166666666667 "$(row 2025-06-02 gpt-4o share_untraced)" 1e-11
# a5 (openai/gpt-4o-mini, 23:59:59) counts on 06-02: 0.015 against 0.02
expect_close "openai: prefixed name, day edge" 0.015 "$(row 2025-06-02 gpt-4o-mini traced)"
expect_close "openai: share 0.005/0.02" 0.25 "$(row 2025-06-02 gpt-4o-mini share_untraced)"
# untraced bill spend: traced 0, share 1
expect_eq "openai: untraced model traced 0" 0 "$(row 2025-06-02 text-embedding-3-small traced)"
expect_eq "openai: untraced share 1" 1 "$(row 2025-06-02 text-embedding-3-small share_untraced)"
# traced-only models: billed 0, share null
expect_eq "openai: traced-only billed 0" 0 "$(row 2025-06-02 claude-haiku-4-5 billed)"
expect_close "openai: traced-only traced" 0.15 "$(row 2025-06-02 claude-haiku-4-5 traced)"
expect_eq "openai: traced-only share null" null "$(row 2025-06-02 claude-haiku-4-5 share_untraced)"
# the empty 2025-05-31 bucket is no bill day; 06-03 is outside the bill's days
expect_eq "openai: no 05-31 row" 0 "$(jq '[.rows[] | select(.day == "2025-05-31")] | length' "$T/out")"
expect_eq "openai: no 06-03 row" 0 "$(jq '[.rows[] | select(.day == "2025-06-03")] | length' "$T/out")"
# totals: billed 0.401, traced 0.698, difference -0.297, share -0.297/0.401
expect_eq "openai: total model null" null "$(tot model)"
expect_close "openai: total billed" 0.401 "$(tot billed)"
expect_close "openai: total traced" 0.698 "$(tot traced)"
expect_close "openai: total difference" -0.297 "$(tot difference)"
expect_close "openai: total share" -0.740648379052 "$(tot share_untraced)" 1e-11

# CSV: same figures, the hostile line item "=1+2, input" guarded
expect_rc "openai csv" 3 ac reconcile "$D/openai_costs.csv" --format csv
expect_eq "csv header" "day,model,billed,traced,difference,share_untraced" "$(head -1 "$T/out")"
expect_grep "csv: formula guarded" "^2025-06-02,'=1\+2,0.001,0,0.001,1$" "$T/out"
expect_no_grep "csv: no bare formula" "^2025-06-02,=" "$T/out"
expect_grep "csv: mini row" "^2025-06-01,gpt-4o-mini,0.07,0.063,0.007,0.1$" "$T/out"
expect_grep "csv: traced-only share empty" "^2025-06-01,claude-3-5-haiku,0,0.12,-0.12,$" "$T/out"
expect_grep "csv: total row" "^total,,0.401,0.698,-0.297,-0.74064837905" "$T/out"

# window and system: --system bot drops a4 (batch); --until 2025-06-03 adds a6
expect_rc "openai --system --until" 3 ac reconcile "$D/openai_costs.csv" --system bot --until 2025-06-03 --format json
expect_eq "system: gpt-4o traced 0" 0 "$(row 2025-06-02 gpt-4o traced)"
expect_eq "system: gpt-4o share 1" 1 "$(row 2025-06-02 gpt-4o share_untraced)"
expect_close "until: 06-03 traced" 0.015 "$(row 2025-06-03 gpt-4o-mini traced)"
expect_close "system: total traced 0.363" 0.363 "$(tot traced)"
expect_close "system: total difference 0.038" 0.038 "$(tot difference)"
expect_close "system: total share 0.038/0.401" 0.0947630922693 "$(tot share_untraced)" 1e-11
expect_rc "openai --since" 3 ac reconcile "$D/openai_costs.csv" --since 2025-06-02 --format json
expect_eq "since: no 06-01 row" 0 "$(jq '[.rows[] | select(.day == "2025-06-01")] | length' "$T/out")"
expect_close "since: billed 0.331" 0.331 "$(tot billed)"
expect_close "since: traced 0.515" 0.515 "$(tot traced)"
expect_close "since: difference -0.184" -0.184 "$(tot difference)"
# a bill has days: a time inside 06-02 selects the whole of 06-02 on both
# sides (the bill's 06-02 rows and every trace of 06-02, a5 at 23:59:59 and
# the morning's alike), the same totals as --since 2025-06-02
expect_rc "openai --since inside a day" 3 ac reconcile "$D/openai_costs.csv" --since 2025-06-02T12:00:00Z --format json
expect_eq "since inside a day: billed, traced, difference as from the day's start" "0.331 0.515 -0.184" \
  "$(jq -r '.rows[] | select(.day == "total") | [.billed, .traced, .difference] | map(. * 1e9 | round / 1e9 | tostring) | join(" ")' "$T/out")"

# --- Anthropic cost export ---------------------------------------------------
expect_rc "anthropic: bad rows skipped -> 3" 3 ac reconcile "$D/anthropic_cost.csv" --format json
expect_grep "anthropic: bad cost named" 'anthropic_cost.csv:9: cost is not a number' "$T/err"
expect_grep "anthropic: bad date named" "anthropic_cost.csv:10: bad date \('June 2'\)" "$T/err"
# "Claude 3.5 Haiku": 0.08 + 0.05 = 0.13 against claude-3-5-haiku-20241022's 0.12
expect_close "anthropic: display name billed" 0.13 "$(row 2025-06-01 claude-3-5-haiku billed)"
expect_close "anthropic: display name traced" 0.12 "$(row 2025-06-01 claude-3-5-haiku traced)"
expect_close "anthropic: share 0.01/0.13" 0.0769230769231 "$(row 2025-06-01 claude-3-5-haiku share_untraced)" 1e-11
# "Claude Haiku 4.5": 0.1 + 0.05 + 0 = 0.15 = traced 0.15 -> exactly 0
expect_eq "anthropic: matching day difference 0" 0 "$(row 2025-06-02 claude-haiku-4-5 difference)"
expect_eq "anthropic: matching day share 0" 0 "$(row 2025-06-02 claude-haiku-4-5 share_untraced)"
expect_close "anthropic: sonnet untraced" 0.2 "$(row 2025-06-02 claude-sonnet-4 difference)"
expect_close "anthropic: web search unattributed" 0.01 "$(row 2025-06-02 '(unattributed)' billed)"
expect_close "anthropic: total billed" 0.49 "$(tot billed)"
expect_close "anthropic: total difference" -0.208 "$(tot difference)"
expect_close "anthropic: total share -0.208/0.49" -0.424489795918 "$(tot share_untraced)" 1e-11
expect_rc "anthropic csv" 3 ac reconcile "$D/anthropic_cost.csv" --format csv
expect_grep "anthropic csv: sonnet" "^2025-06-02,claude-sonnet-4,0.2,0,0.2,1$" "$T/out"
expect_grep "anthropic csv: total" "^total,,0.49,0.698,-0.208,-0.42448979591" "$T/out"

# --- generic day,model,cost_usd ----------------------------------------------
expect_rc "generic: bad rows skipped -> 3" 3 ac reconcile "$D/generic.csv" --format json
expect_grep "generic: negative refused" "generic.csv:7: negative cost" "$T/err"
expect_grep "generic: nan refused" "generic.csv:8: cost is not a number \('nan'\)" "$T/err"
expect_close "generic: unix seconds day" 0.2 "$(row 2025-06-02 claude-haiku-4-5 billed)"
expect_close "generic: +02:00 time on its UTC day" 0.35 "$(row 2025-06-02 gpt-4o billed)"
expect_close "generic: -01:00 time rolls to 06-02" 0.015 "$(row 2025-06-02 gpt-4o-mini billed)"
expect_close "generic: 06-01 mini billed (not +0.015)" 0.063 "$(row 2025-06-01 gpt-4o-mini billed)"
expect_close "generic: total billed 1.128" 1.128 "$(tot billed)"
expect_close "generic: total share 0.43/1.128" 0.381205673759 "$(tot share_untraced)" 1e-11
expect_rc "generic csv" 3 ac reconcile "$D/generic.csv" --format csv
expect_grep "generic csv: formula guarded" "^2025-06-01,'=sum\(a1\),0.5,0,0.5,1$" "$T/out"
expect_rc "generic table" 3 ac reconcile "$D/generic.csv"
expect_grep "table: header" "^day +model +billed +traced +difference +share_untraced" "$T/out"
expect_grep "table: total" "^total +- +1.1280 +0.6980 +0.4300" "$T/out"

# standard input: "-", messages name <stdin>
expect_rc "stdin" 3 sh -c '"$AGENTCOST" reconcile - --format csv <"$1"' sh "$D/generic.csv"
expect_grep "stdin: rows" "^2025-06-02,gpt-4o,0.35,0.35,0,0$" "$T/out"
expect_grep "stdin: named in messages" "^agentcost: warning: <stdin>:7: negative cost" "$T/err"

# a clean bill exits 0
printf 'day,model,cost_usd\n2025-06-01,gpt-4o-mini,0.07\n' >"$T/clean.csv"
expect_rc "clean bill" 0 ac reconcile "$T/clean.csv" --format json
expect_close "clean: share 0.007/0.07" 0.1 "$(row 2025-06-01 gpt-4o-mini share_untraced)"

# the hourly rollup (whole-day windows) and the span scan give the same rows
for args in "" "--system bot" "--since 2025-06-02 --until 2025-06-03"; do
  ac reconcile "$D/openai_costs.csv" $args --format csv >"$T/rollup.csv" 2>/dev/null
  AGENTCOST_NO_ROLLUP=1 ac reconcile "$D/openai_costs.csv" $args --format csv >"$T/scan.csv" 2>/dev/null
  expect_eq "rollup = scan ($args)" "$(cat "$T/scan.csv")" "$(cat "$T/rollup.csv")"
done
expect_grep "rollup run has rows" "^2025-06-03,gpt-4o-mini,0,0.015,-0.015,$" "$T/rollup.csv"

# --- refusals ----------------------------------------------------------------
printf 'date,amount,description\n2025-06-01,1.00,x\n' >"$T/unknown.csv"
expect_rc "unknown header refused" 1 ac reconcile "$T/unknown.csv"
expect_grep "refusal names the formats" "unknown.csv:1: not a cost export.*OpenAI.*Anthropic.*day,model,cost_usd" "$T/err"
printf 'usage_date_utc,model_version,api_key,workspace,usage_type,usage_input_tokens_no_cache,usage_output_tokens\n' >"$T/usage.csv"
expect_rc "anthropic usage export refused" 1 ac reconcile "$T/usage.csv"
expect_grep "usage export named" "usage export \(tokens, no cost\)" "$T/err"
expect_rc "missing file" 1 ac reconcile "$T/nope.csv"
expect_grep "missing file named" "cannot open .*nope.csv" "$T/err"
expect_rc "no file" 2 ac reconcile
expect_rc "help" 0 ac reconcile --help
expect_grep "help: usage" "usage: agentcost reconcile FILE" "$T/out"

finish
