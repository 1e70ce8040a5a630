#!/usr/bin/env bash
# prices import of the JSON kinds: LiteLLM (with the per-key report of the
# prices no column holds), OpenLIT pricing.json (USD per 1k tokens) and
# Langfuse model definitions (USD per token, startDate). Each kind is
# imported, listed, and prices a stored span; expected costs by hand (see
# each line). The real third-party tables come from ../shared when present.
. "$(dirname "$0")/lib.sh"
P=$SRC/testdata/prices
cost_of() { sql "SELECT coalesce(cost_usd, 'NULL') || '|' || cost_src FROM span WHERE span_id = x'$1'"; }

# One LLM span per line: span id, model, start (unix s), input, output, cache read, cache write
span() {
  printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"imp"}}]},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c8031%s","spanId":"00000000000000%s","name":"chat %s","kind":3,"startTimeUnixNano":"%s000000000","endTimeUnixNano":"%s500000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"%s"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.cache_creation.input_tokens","value":{"intValue":"%s"}}]}]}]}]}\n' \
    "$1" "$1" "$2" "$3" "$3" "$2" "$4" "$5" "$6" "$7"
}
{
  span 01 openai/lf-mini 1748736000 1000000 100000 200000 0   # 2025-06-01
  span 02 lf-mini        1748822400 1000000 100000 0 0        # 2025-06-02
  span 03 chat-q         1748822400 10000 500 2000 1000
  span 04 chat-a         1748822400 4000 1000 1000 0
  span 05 emb-small      1748822400 50000 0 0 0
  span 06 lf-tts         1748822400 100 10 0 0
  span 07 lf-mini-latest 1748822400 1000000 100000 0 0        # by lf-mini's matchPattern
  span 08 lf-davinci-x1  1748822400 1000 100 0 0              # its pattern uses \w: not used
} >"$T/spans.jsonl"
expect_rc "ingest" 0 ac ingest "$T/spans.jsonl"
expect_eq "unpriced before" "NULL|3" "$(cost_of 0000000000000001)"

# LiteLLM: the report after the summary line, keys sorted, on stdout; rc 0
expect_rc "import litellm small" 0 ac prices import "$P/litellm_small.json"
expect_grep "litellm summary" "^imported 2 price rows for 2 models from .*litellm_small.json \(litellm\); 0 rows skipped; re-priced 1 span$" "$T/out"
cat >"$T/want" <<'EOT'
input_cost_per_character: 1 entry not used
input_cost_per_pixel: 1 entry not used
input_cost_per_token: 1 entry not used
output_cost_per_image: 1 entry not used
tiered_pricing: 1 entry not used
4 entries lost at least one priced dimension
EOT
expect_eq "litellm unused report" "$(cat "$T/want")" "$(tail -n +2 "$T/out")"
expect_eq "litellm: nothing on stderr" "" "$(cat "$T/err")"
# chat-a 2 / 8 / cache read 0.5: (4000-1000)*2 + 1000*0.5 + 1000*8 = 14500 -> 0.0145
expect_eq "span priced from litellm" "0.0145|1" "$(cost_of 0000000000000004)"

# OpenLIT
expect_rc "import openlit small" 0 ac prices import "$P/openlit_small.json"
expect_grep "openlit summary" "^imported 5 price rows for 5 models from .*\(openlit\); 0 rows skipped; re-priced 2 spans$" "$T/out"
cat >"$T/want" <<'EOT'
audio: 1 entry not used
chat.batchPrice: 1 entry not used
chat.promptPrice: 1 entry not used
images: 1 entry not used
4 entries lost at least one priced dimension
EOT
expect_eq "openlit unused report" "$(cat "$T/want")" "$(tail -n +2 "$T/out")"
expect_rc "list openlit rows" 0 ac prices list --format csv
# per 1k x 1000: 0.003 0.015 0.0003 0.00375 -> 3 15 0.3 3.75
expect_grep "chat-q listed" "^chat-q,3,15,0.3,3.75,,,,,openlit_small.json$" "$T/out"
expect_grep "emb-small listed" "^emb-small,0.02,0,,,,,,,openlit_small.json$" "$T/out"
# chat-q: (10000-2000-1000)*3 + 2000*0.3 + 1000*3.75 + 500*15 = 21000+600+3750+7500 = 32850 -> 0.03285
expect_eq "span priced from openlit chat" "0.03285|1" "$(cost_of 0000000000000003)"
# emb-small: 50000 * 0.02 = 1000 -> 0.001
expect_eq "span priced from openlit embeddings" "0.001|1" "$(cost_of 0000000000000005)"

# Langfuse
expect_rc "import langfuse small" 0 ac prices import "$P/langfuse_models_small.json"
expect_grep "langfuse summary" "^imported 4 price rows for 3 models from .*\(langfuse\); 0 rows skipped; re-priced 3 spans$" "$T/out"
cat >"$T/want" <<'EOT'
matchPattern: 1 entry not used
prices.input: 1 entry not used
prices.input_audio_tokens: 1 entry not used
pricingTiers (not default): 1 entry not used
2 entries lost at least one priced dimension
EOT
expect_eq "langfuse unused report" "$(cat "$T/want")" "$(tail -n +2 "$T/out")"
expect_grep "refused pattern said per model" "langfuse_models_small.json:18: matchPattern of lf-davinci not used \(uses \\\\w, which POSIX ERE lacks\): matched by name only$" "$T/err"
expect_eq "patterns stored" "lf-mini|(?i)^(openai/)?(lf-mini)(-latest)?\$ lf-sonnet|(?i)^(anthropic/)?(lf-sonnet)\$" \
  "$(sql "SELECT model || '|' || pattern FROM price_pattern ORDER BY model" | tr '\n' ' ' | sed 's/ $//')"
expect_rc "list langfuse rows" 0 ac prices list --format csv
expect_grep "lf-mini undated" "^lf-mini,0.15,0.6,0.075,,,,,,langfuse_models_small.json$" "$T/out"
expect_grep "lf-mini from startDate" "^lf-mini,0.2,0.8,,,,,,2025-06-02,langfuse_models_small.json$" "$T/out"
expect_grep "total price is input and output" "^lf-davinci,20,20," "$T/out"
# 2025-06-01, "openai/" stripped, undated row: (1e6-2e5)*0.15 + 2e5*0.075 + 1e5*0.6
#   = 120000 + 15000 + 60000 = 195000 -> 0.195
expect_eq "span before startDate" "0.195|1" "$(cost_of 0000000000000001)"
# 2025-06-02, dated row: 1e6*0.2 + 1e5*0.8 = 280000 -> 0.28
expect_eq "span on startDate" "0.28|1" "$(cost_of 0000000000000002)"
# lf-mini-latest by lf-mini's pattern, the dated row: 1e6*0.2 + 1e5*0.8 -> 0.28
expect_eq "span priced by matchPattern" "0.28|1" "$(cost_of 0000000000000007)"
expect_eq "refused pattern: unpriced" "NULL|3" "$(cost_of 0000000000000008)"
# lf-tts is priced per character: no row, still unpriced
expect_eq "non-token unit not imported" "NULL|3" "$(cost_of 0000000000000006)"
# total: 0.195 + 0.28 + 0.03285 + 0.0145 + 0.001 + 0.28 = 0.80335
expect_close "total" 0.80335 "$(ac summary --format json | jget .cost_total)" 1e-12

# CSV imports print no report
expect_rc "csv import" 0 ac prices import "$P/override.csv"
expect_eq "csv: summary line only" 1 "$(wc -l <"$T/out" | tr -d ' ')"

# a bad entry is skipped with file:line, rc 3, the report still printed
printf '[{"modelName": "ok", "prices": {"input": 1e-06, "output": 2e-06}},\n {"modelName": "bad", "startDate": "soon", "prices": {"input": 1e-06, "output": 1e-06}}]\n' >"$T/lf_bad.json"
expect_rc "langfuse bad entry" 3 ac prices import "$T/lf_bad.json"
expect_grep "bad startDate located" "lf_bad.json:2: startDate of bad is not an ISO date" "$T/err"
expect_grep "report after skips" "^0 entries lost at least one priced dimension$" "$T/out"
before=$(sql "SELECT count(*) FROM price")
expect_rc "empty langfuse list refused" 1 ac prices import <(printf '[]')
expect_eq "nothing changed" "$before" "$(sql "SELECT count(*) FROM price")"

# ingest still refuses an OpenLIT price table as traces
if [ -f "$SHARED/fixtures/third_party/openlit_assets_pricing.json" ]; then
  expect_rc "ingest refuses openlit" 1 ac ingest "$SHARED/fixtures/third_party/openlit_assets_pricing.json"
  expect_grep "refusal names it" "OpenLIT price table" "$T/err"
  export AGENTCOST_DB="$T/openlit.db"
  expect_rc "import real openlit table" 0 ac prices import "$SHARED/fixtures/third_party/openlit_assets_pricing.json"
  # counts: see test_openlit_fixture in tests/unit/test_pricing_import.c
  expect_grep "openlit rows" "^imported 200 price rows for 200 models" "$T/out"
  expect_grep "openlit audio" "^audio: 15 entries not used$" "$T/out"
  expect_grep "openlit images" "^images: 12 entries not used$" "$T/out"
  expect_grep "openlit lost" "^27 entries lost at least one priced dimension$" "$T/out"
else
  echo "t_prices_import.sh: OpenLIT table checks skipped: no $SHARED/fixtures/third_party"
fi

# LiteLLM's real table. Expected lines, independently: tests/unit/litellm_unused.py
# (Python reading of the rules for used keys, pricing.h / import.c).
# -> 43 key lines and "414 entries lost at least one priced dimension"; some of them below.
L=$SHARED/fixtures/third_party/litellm_model_prices.json
if [ ! -f "$L" ]; then
  echo "t_prices_import.sh: LiteLLM table checks skipped: no $SHARED/fixtures/third_party"
  finish
  exit 0
fi
export AGENTCOST_DB="$T/litellm.db"
expect_rc "import LiteLLM table" 3 ac prices import "$L"
expect_eq "litellm report lines" 44 "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')"
expect_grep "first key" "^annotation_cost_per_page: 2 entries not used$" "$T/out"
expect_grep "image key" "^output_cost_per_image: 62 entries not used$" "$T/out"
expect_grep "per second" "^output_cost_per_second: 44 entries not used$" "$T/out"
expect_grep "batch requests" "^input_cost_per_token_batch_requests: 1 entry not used$" "$T/out"
expect_grep "one entry" "^cache_read_input_token_cost: 1 entry not used$" "$T/out"
expect_grep "tiers" "^tiered_pricing: 2 entries not used$" "$T/out"
expect_eq "last line" "414 entries lost at least one priced dimension" "$(tail -n 1 "$T/out")"
expect_eq "sorted" "$(tail -n +2 "$T/out" | head -n 43)" "$(tail -n +2 "$T/out" | head -n 43 | LC_ALL=C sort)"
finish
