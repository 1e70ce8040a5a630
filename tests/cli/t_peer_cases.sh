#!/usr/bin/env bash
# The peers' own cost tests as the external reference (issue #18,
# acceptance): each row of tests/pricing_cases/peer_cases.tsv is a case of
# LiteLLM's, Langfuse's or tokencost's tests (repository, file, test name),
# its usage, and the expected USD recomputed by hand from the peer's formula
# with the LiteLLM fixture's prices (prices "fixture") or the rates the test
# itself registers (prices "peer", tests/pricing_cases/peer_prices.csv); the
# arithmetic is in the row. Each row becomes one flat JSONL span (service
# peer-ID); a row with convention "excludes" gets
# `prices convention peer-ID excludes` first. Rows with verdict "agree" must
# give the expected cost to 1e-12 relative; rows with verdict "differs" are
# known disagreements (the note says why) and must give agentcost_usd (a
# number, "unpriced" or "refused") -- and not the peer's figure.
. "$(dirname "$0")/lib.sh"
CASES=$SRC/tests/pricing_cases
LITELLM=$SHARED/fixtures/third_party/litellm_model_prices.json
if [ ! -f "$LITELLM" ]; then
  echo "t_peer_cases.sh: skipped: no $LITELLM (the LiteLLM price table the cases use)"
  finish
  exit 0
fi

# rel_eq A B: A and B agree to 1e-12 relative (exactly, when B is 0)
rel_eq() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" ) exit 1; d = a - b; if (d < 0) d = -d;
    m = b < 0 ? -b : b; exit !(m == 0 ? d == 0 : d / m <= 1e-12) }'
}

# one flat span per row; span id = row number
awk -F'\t' 'NR > 1 {
  n = NR - 1
  printf "{\"trace_id\":\"%032x\",\"span_id\":\"%016x\",\"name\":\"chat %s\",", n, n, $1
  printf "\"start_time\":\"2025-06-01T00:00:00Z\",\"end_time\":\"2025-06-01T00:00:01Z\","
  printf "\"attributes\":{\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"%s\",", $6
  printf "\"gen_ai.usage.input_tokens\":%s,\"gen_ai.usage.output_tokens\":%s", $8, $9
  if ($10 > 0) printf ",\"gen_ai.usage.cache_read.input_tokens\":%s", $10
  if ($11 > 0) printf ",\"gen_ai.usage.cache_creation.input_tokens\":%s", $11
  if ($12 > 0) printf ",\"gen_ai.usage.reasoning.output_tokens\":%s", $12
  printf "},\"resource\":{\"service.name\":\"peer-%s\"}}\n", $1
}' "$CASES/peer_cases.tsv" >"$T/spans.jsonl"
rows=$(($(wc -l <"$CASES/peer_cases.tsv") - 1))
expect_eq "one span per case" "$rows" "$(wc -l <"$T/spans.jsonl")"
expect_eq "at least 15 cases" 1 "$((rows >= 15))"
for peer in litellm langfuse tokencost; do
  expect_eq "cases of $peer" 1 "$(awk -F'\t' -v p=$peer '$2 == p { n++ } END { print (n > 0) }' "$CASES/peer_cases.tsv")"
done

# the fixture has a duplicate entry (skipped with a warning: exit 3)
ac prices import "$LITELLM" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 0 ] || [ "$rc" = 3 ]; then ok; else fail "import the LiteLLM fixture: exit $rc"; cat "$T/err" >&2; fi
expect_rc "import the rates the peer tests register" 0 ac prices import "$CASES/peer_prices.csv"
while IFS=$'\t' read -r id conv; do
  expect_rc "convention of peer-$id" 0 ac prices convention "peer-$id" "$conv"
done < <(awk -F'\t' 'NR > 1 && $13 != "auto" { print $1 "\t" $13 }' "$CASES/peer_cases.tsv")
# a refused row (token count over the limit) makes the ingest exit 3
refused=$(awk -F'\t' 'NR > 1 && $17 == "refused" { n++ } END { print n + 0 }' "$CASES/peer_cases.tsv")
expect_rc "ingest the cases" "$([ "$refused" -gt 0 ] && echo 3 || echo 0)" ac ingest "$T/spans.jsonl"
[ "$refused" -gt 0 ] && expect_grep "the refused span is reported" "over 100000000" "$T/err"

n=0
while IFS=$'\t' read -r id peer repo file test model prices in out cr cw rs conv peer_usd want arith got_want verdict note; do
  n=$((n + 1))
  sid=$(printf '%016x' "$n")
  row=$(sql "SELECT coalesce(cost_usd, 'NULL') || '|' || cost_src FROM span WHERE span_id = x'$sid'")
  cost=${row%%|*}
  src=${row##*|}
  what="$id $peer $test ($model)"
  case "$verdict/$got_want" in
  agree/*)
    if [ "$src" = 1 ] && rel_eq "$cost" "$want"; then ok; else
      fail "$what: expected $want ($arith), agentcost gives [$row]"; fi ;;
  differs/refused)
    expect_eq "$what: refused at ingest" "" "$row" ;;
  differs/unpriced)
    expect_eq "$what: unpriced" "NULL|3" "$row" ;;
  differs/*)
    if [ "$src" = 1 ] && rel_eq "$cost" "$got_want" && ! rel_eq "$cost" "$want"; then ok; else
      fail "$what: known difference: agentcost should give $got_want (peer $want), gives [$row]"; fi ;;
  *)
    fail "$what: verdict must be agree or differs, not [$verdict]" ;;
  esac
done < <(tail -n +2 "$CASES/peer_cases.tsv")
expect_eq "every row checked" "$rows" "$n"
finish
