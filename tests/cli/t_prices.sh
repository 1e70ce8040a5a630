#!/usr/bin/env bash
# Price import: replace semantics, name resolution (imported rows beat the
# built-in table at every step), effective dates, tool prices, re-pricing of
# stored spans, and refusals. Expected costs by hand (see each line).
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata
cost_of() { sql "SELECT coalesce(cost_usd, 'NULL') || '|' || cost_src FROM span WHERE span_id = x'$1'"; }

expect_rc "list without a store" 0 ac prices list --format csv
expect_grep "built-in gpt-4o-mini" "^gpt-4o-mini,0.15,0.6,0.075,,,,,,built-in" "$T/out"
expect_grep "built-in claude-3-5-haiku" "^claude-3-5-haiku,0.8,4,0.08,1,,,,,built-in" "$T/out"
expect_grep "built-in claude-3-5-sonnet" "^claude-3-5-sonnet,3,15,0.3,3.75,,,,,built-in" "$T/out"

expect_rc "ingest" 0 ac ingest "$D/ingest/basic.jsonl"
expect_eq "before: gpt-4o-mini (built-in 0.00027)" "0.00027|1" "$(cost_of 00f067aa0ba902b7)"

expect_rc "import override" 0 ac prices import "$D/prices/override.csv"
expect_grep "import summary" "imported 3 price rows for 2 models" "$T/out"
# gpt-4o-mini-2024-07-18 resolves to the imported gpt-4o-mini (date stripped)
# although the built-in table has gpt-4o-mini: 1000*1.00 + 200*2.00 = 1400 -> 0.0014
expect_eq "imported price wins after date strip" "0.0014|1" "$(cost_of 00f067aa0ba902b7)"
# haiku span starts 2025-06-02: the 2025-06-02 row is in force: 10000*0.5 + 2000*2 = 9000 -> 0.009
expect_eq "price in force on the span's day" "0.009|1" "$(cost_of 53995c3f42cd8ad9)"
# models the file does not name keep their prices: sonnet 0.008175, gpt-4o 0.02
expect_eq "unnamed model unchanged" "0.008175|1" "$(cost_of 00f067aa0ba902b8)"
expect_eq "unnamed model unchanged (gpt-4o)" "0.02|1" "$(cost_of 53995c3f42cd8ad8)"

# re-importing replaces every row of the models named: now haiku has one row
printf 'model,input_per_mtok,output_per_mtok\nclaude-3-5-haiku,1.00,5.00\n' >"$T/haiku.csv"
expect_rc "re-import haiku" 0 ac prices import "$T/haiku.csv"
# 10000*1 + 2000*5 = 20000 -> 0.02
expect_eq "replaced rows" "0.02|1" "$(cost_of 53995c3f42cd8ad9)"
expect_eq "one haiku row left" 1 "$(sql "SELECT count(*) FROM price WHERE model = 'claude-3-5-haiku'")"
expect_eq "gpt-4o-mini rows kept" 1 "$(sql "SELECT count(*) FROM price WHERE model = 'gpt-4o-mini'")"

# an unpriced model gets a price: producer's cost (2) gives way to ours (1)
# 500*2.00 + 100*8.00 = 1800 -> 0.0018
expect_rc "import reasoning prices" 0 ac prices import "$D/prices/reasoning.csv"
expect_eq "formerly unpriced now priced" "0.0018|1" "$(cost_of 53995c3f42cd8ada)"
expect_eq "summary: one unpriced left" 1 "$(ac summary --format json | jget .unpriced_spans)"

# paid tool
expect_rc "import tool prices" 0 ac prices import "$D/prices/tools.csv"
expect_eq "tool span priced per call" "0.005|1" "$(cost_of 00f067aa0ba902b9)"
expect_rc "list tools" 0 ac prices list --tools --format csv
expect_grep "tool price listed" "^web_search,0.005," "$T/out"

# total by hand: 0.0014 + 0.008175 + 0.005 + 0.02 + 0.02 + 0.0018 + 0 (mystery) = 0.056375
expect_close "total after imports" 0.056375 "$(ac summary --format json | jget .cost_total)" 1e-12

# refusals: formula cells are skipped with a warning, the valid row imported
expect_rc "formula injection rows skipped" 3 ac prices import "$D/prices/formula.csv"
expect_grep "formula warning has a line" "formula.csv:2:" "$T/err"
expect_grep "price formula warning" "formula.csv:3:" "$T/err"
expect_eq "valid gpt-4o row imported" "2.5" "$(sql "SELECT input_per_mtok FROM price WHERE model = 'gpt-4o'")"
expect_eq "no formula model stored" 0 "$(sql "SELECT count(*) FROM price WHERE model LIKE '=%'")"
before=$(sql "SELECT count(*) FROM price")
expect_rc "missing column refused" 1 ac prices import "$D/prices/missing_column.csv"
expect_grep "missing column named" "output_per_mtok" "$T/err"
expect_eq "nothing changed" "$before" "$(sql "SELECT count(*) FROM price")"
expect_rc "missing file" 1 ac prices import "$T/nope.csv"

# LiteLLM's table (1,800 models, USD per token), from ../shared when it is there
if [ ! -f "$SHARED/fixtures/third_party/litellm_model_prices.json" ]; then
  echo "t_prices.sh: LiteLLM table checks skipped: no $SHARED/fixtures/third_party"
  finish
  exit 0
fi
export AGENTCOST_DB="$T/litellm.db"
expect_rc "import LiteLLM table" 3 ac prices import "$SHARED/fixtures/third_party/litellm_model_prices.json"
expect_grep "litellm kind" "litellm" "$T/out"
expect_eq "gpt-4o-mini from LiteLLM" "0.15|0.6" \
  "$(sql "SELECT input_per_mtok || '|' || output_per_mtok FROM price WHERE model = 'gpt-4o-mini'")"
expect_eq "haiku dated entry from LiteLLM" "0.8|4.0|0.08|1.0" \
  "$(sql "SELECT input_per_mtok || '|' || output_per_mtok || '|' || cache_read_per_mtok || '|' || cache_write_per_mtok FROM price WHERE model = 'claude-3-5-haiku-20241022'")"
finish
