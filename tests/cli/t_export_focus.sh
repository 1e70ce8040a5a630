#!/usr/bin/env bash
# agentcost export focus: the window's cost as a FinOps FOCUS 1.2
# cost-and-usage CSV (src/analysis/focus.h). Checked here:
#   - the header holds FOCUS 1.2's Mandatory columns, listed below from the
#     specification (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag v1.2,
#     specification/columns/*.md with "Feature level | Mandatory"), not from
#     the code;
#   - every row of a hand-made store (testdata/focus/spans.jsonl, prices
#     testdata/focus/prices.csv and testdata/prices/tools.csv), each figure
#     computed by hand below; UTC day boundaries; the formula guard;
#   - BilledCost sums to summary's cost_total to the cent, on that store and
#     windows of it, and on a generated store (gen --price-dimensions);
#   - the token quantities against sqlite3 sums over the spans;
#   - a call whose stored cost today's prices do not give: one model/usage row;
#   - -o, --by errors (--by itself: t_dims.sh), errors.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/focus

# python3's csv module reads the export (an independent CSV parser):
# FIELDS: comma-separated column names; prints them '|'-joined, one row a line
cols() {
  python3 -c '
import csv, sys
names = sys.argv[1].split(",")
for r in csv.DictReader(open(sys.argv[2], newline="")):
    print("|".join(r[n] for n in names))' "$1" "$2"
}
# the sum of BilledCost (exact decimal addition of the cells)
billed_sum() {
  python3 -c '
import csv, sys
from decimal import Decimal
s = sum((Decimal(r["BilledCost"]) for r in csv.DictReader(open(sys.argv[1], newline=""))), Decimal(0))
print("{:f}".format(s.normalize()))' "$1"
}
# to the cent: "same" when |a - b| < 0.005 and both round to the same cent
same_cent() {
  python3 -c '
import sys
from decimal import Decimal, ROUND_HALF_EVEN
a, b = Decimal(sys.argv[1]), Decimal(sys.argv[2])
c = Decimal("0.01")
print("same" if abs(a - b) < Decimal("0.000001") and a.quantize(c) == b.quantize(c) else "differ: %s %s" % (a, b))' "$1" "$2"
}

# --- header ------------------------------------------------------------------
# FOCUS 1.2's Mandatory columns (21), in the specification's order
# (columns.mdpp includes them alphabetically):
MANDATORY="BilledCost BillingAccountId BillingAccountName BillingCurrency BillingPeriodEnd
BillingPeriodStart ChargeCategory ChargeClass ChargeDescription ChargePeriodEnd ChargePeriodStart
ContractedCost EffectiveCost InvoiceIssuerName ListCost PricingQuantity PricingUnit ProviderName
PublisherName ServiceCategory ServiceName"
# the Conditional / Recommended ones the export writes, and its custom column
EXTRA="ChargeFrequency ConsumedQuantity ConsumedUnit ListUnitPrice ServiceSubcategory SkuId
SkuMeter SkuPriceId Tags x_ServiceTier"

ac prices import "$D/prices.csv" >/dev/null && ac prices import "$SRC/testdata/prices/tools.csv" >/dev/null
expect_rc "ingest the fixture" 0 ac ingest "$D/spans.jsonl"
expect_rc "export focus" 0 ac export focus
cp "$T/out" "$T/all.csv"
expect_eq "nothing on stderr" "" "$(cat "$T/err")"
head -1 "$T/all.csv" | tr -d '\r' | tr ',' '\n' >"$T/header"
expect_eq "31 columns" 31 "$(wc -l <"$T/header")"
expect_eq "no column twice" 31 "$(sort -u "$T/header" | wc -l)"
for c in $MANDATORY; do
  grep -qx "$c" "$T/header" && ok || fail "header: no mandatory column $c"
done
# the header less the extras is the Mandatory list, in its order
expect_eq "the Mandatory columns, in the spec's order" "$(echo $MANDATORY)" \
  "$(grep -vxF -f <(echo $EXTRA | tr ' ' '\n') "$T/header" | tr '\n' ' ' | sed 's/ $//')"
# and every column is the spec's (alphabetical) order, x_ custom ones last
expect_eq "columns in the spec's order" "$(grep -v '^x_' "$T/header" | LC_ALL=C sort | tr '\n' ' ')" \
  "$(grep -v '^x_' "$T/header" | tr '\n' ' ')"
expect_eq "x_ServiceTier last" "x_ServiceTier" "$(tail -1 "$T/header")"

# --- the rows, by hand ---------------------------------------------------------
# Prices (USD per million tokens): gpt-4o-mini input 0.15, output 0.60, cache
# read 0.075; its flex tier input 0.075, output 0.30; claude-3-5-haiku-20241022
# input 0.80, output 4.00, cache read 0.08, cache write 1.00; web_search $0.005
# a call. Spans:
#  a..02 2025-03-31T10:00Z gpt-4o-mini (openai) in 10000 incl. cache read 4000,
#        out 500: fresh input 10000-4000 = 6000 x 0.15 = 900e-6 = 0.0009;
#        cache read 4000 x 0.075 = 0.0003; output 500 x 0.60 = 0.0003
#        (call 0.0015)
#  a..03 2025-03-31T10:00:05Z web_search: 0.005
#  a..04 2025-04-01T01:30:00+02:00 = 2025-03-31T23:30Z (a March 31 row),
#        gpt-4o-mini flex, in 2000, out 1000: 2000 x 0.075 = 0.00015,
#        1000 x 0.30 = 0.0003 (call 0.00045)
#  a..05 2025-03-31T23:59:59.999Z (still March 31) claude-3-5-haiku-20241022
#        (anthropic), in 1000, cache read 2000, cache write 3000, out 200:
#        input below the cache, so it excludes it: fresh 1000 x 0.80 = 0.0008;
#        2000 x 0.08 = 0.00016; 3000 x 1.00 = 0.003; 200 x 4.00 = 0.0008
#        (call 0.00476)
#  b..02 2025-04-01T00:00:00Z (April 1) gpt-4o-mini, in 1000, out 100 of which
#        reasoning 40: 1000 x 0.15 = 0.00015; output 60 x 0.60 = 0.000036;
#        reasoning 40 at the output price (no reasoning price) = 0.000024
#        (call 0.00021)
#  b..03 2025-04-01T07:00Z model "=cmd|' /C calc'!A0" (openai), unpriced, the
#        producer's cost 0.0123: a model/usage row, 1 call, no list price
#  b..04, b..05 web_search: 2 calls x 0.005 = 0.01
#  b..06 calculator (no price), b..07 mystery-model (no price, no producer
#        cost): no cost, no row.
# Tool calls have no provider attribute: "(unknown)", which sorts first
# (rows: day, provider, name, what, tier, token kind in the formula's order).
# Total 0.0015 + 0.005 + 0.00045 + 0.00476 + 0.00021 + 0.0123 + 0.01 = 0.03422
F=ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart,BillingPeriodEnd,ProviderName,ServiceName,SkuId,SkuPriceId,SkuMeter,ConsumedQuantity,ConsumedUnit,PricingQuantity,PricingUnit,ListUnitPrice,BilledCost,x_ServiceTier
cols "$F" "$T/all.csv" >"$T/rows"
M="2025-03-01T00:00:00Z|2025-04-01T00:00:00Z"
A="2025-04-01T00:00:00Z|2025-05-01T00:00:00Z"
D1="2025-03-31T00:00:00Z|2025-04-01T00:00:00Z|$M"
D2="2025-04-01T00:00:00Z|2025-04-02T00:00:00Z|$A"
H=claude-3-5-haiku-20241022
cat >"$T/expected" <<EOF
$D1|(unknown)|web_search|web_search|web_search|Calls|1|Calls|1|Calls|0.005|0.005|
$D1|anthropic|$H|$H/input|$H/input|Input Tokens|1000|Tokens|0.001|1000000 Tokens|0.8|0.0008|standard
$D1|anthropic|$H|$H/cache_read|$H/cache_read|Cache Read Tokens|2000|Tokens|0.002|1000000 Tokens|0.08|0.00016|standard
$D1|anthropic|$H|$H/cache_write|$H/cache_write|Cache Write Tokens|3000|Tokens|0.003|1000000 Tokens|1|0.003|standard
$D1|anthropic|$H|$H/output|$H/output|Output Tokens|200|Tokens|0.0002|1000000 Tokens|4|0.0008|standard
$D1|openai|gpt-4o-mini|gpt-4o-mini/input|gpt-4o-mini/input|Input Tokens|6000|Tokens|0.006|1000000 Tokens|0.15|0.0009|standard
$D1|openai|gpt-4o-mini|gpt-4o-mini/cache_read|gpt-4o-mini/cache_read|Cache Read Tokens|4000|Tokens|0.004|1000000 Tokens|0.075|0.0003|standard
$D1|openai|gpt-4o-mini|gpt-4o-mini/output|gpt-4o-mini/output|Output Tokens|500|Tokens|0.0005|1000000 Tokens|0.6|0.0003|standard
$D1|openai|gpt-4o-mini|gpt-4o-mini/input|gpt-4o-mini/input/flex|Input Tokens|2000|Tokens|0.002|1000000 Tokens|0.075|0.00015|flex
$D1|openai|gpt-4o-mini|gpt-4o-mini/output|gpt-4o-mini/output/flex|Output Tokens|1000|Tokens|0.001|1000000 Tokens|0.3|0.0003|flex
$D2|(unknown)|web_search|web_search|web_search|Calls|2|Calls|2|Calls|0.005|0.01|
$D2|openai|'=cmd|' /C calc'!A0|'=cmd|' /C calc'!A0/usage|'=cmd|' /C calc'!A0/usage|Usage|1|Calls|1|Calls||0.0123|standard
$D2|openai|gpt-4o-mini|gpt-4o-mini/input|gpt-4o-mini/input|Input Tokens|1000|Tokens|0.001|1000000 Tokens|0.15|0.00015|standard
$D2|openai|gpt-4o-mini|gpt-4o-mini/output|gpt-4o-mini/output|Output Tokens|60|Tokens|0.00006|1000000 Tokens|0.6|0.000036|standard
$D2|openai|gpt-4o-mini|gpt-4o-mini/reasoning|gpt-4o-mini/reasoning|Reasoning Tokens|40|Tokens|0.00004|1000000 Tokens|0.6|0.000024|standard
EOF
# (the formula guard puts ' before a text cell starting with = + - @:
# ServiceName, SkuId and SkuPriceId start with the injected model's '=')
if diff "$T/expected" "$T/rows" >"$T/diff"; then ok; else fail "rows differ from the hand-computed ones:"; cat "$T/diff" >&2; fi
expect_eq "BilledCost sums to 0.03422 (by hand)" "0.03422" "$(billed_sum "$T/all.csv")"
ac summary --format json >"$T/sum.json"
expect_eq "summary's total is the same" "0.03422" "$(jget .cost_total <"$T/sum.json")"

# every row: the constant columns, the costs equal, ListUnitPrice x
# PricingQuantity = ListCost, dates in FOCUS's format, FOCUS's non-null
# columns not empty, Tags {} (no --by), no cell a spreadsheet would run
python3 - "$T/all.csv" >"$T/check" <<'PY'
import csv, re, sys
from decimal import Decimal
date = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
must = ["BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
        "ChargeCategory", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost",
        "InvoiceIssuerName", "ListCost", "ProviderName", "PublisherName", "ServiceCategory",
        "ServiceName", "PricingQuantity", "PricingUnit", "SkuId", "SkuPriceId", "ConsumedQuantity",
        "ConsumedUnit", "ChargeFrequency", "ServiceSubcategory"]
bad = []
for n, r in enumerate(csv.DictReader(open(sys.argv[1], newline="")), 2):
    fixed = (r["BillingCurrency"], r["ChargeCategory"], r["ChargeClass"], r["ServiceCategory"],
             r["ChargeFrequency"], r["Tags"], r["BillingAccountName"])
    if fixed != ("USD", "Usage", "", "AI and Machine Learning", "Usage-Based", "{}", ""):
        bad.append("%d: constant columns %s" % (n, fixed))
    if not r["BilledCost"] == r["EffectiveCost"] == r["ListCost"] == r["ContractedCost"]:
        bad.append("%d: costs differ" % n)
    if r["ListUnitPrice"] and abs(Decimal(r["ListUnitPrice"]) * Decimal(r["PricingQuantity"]) - Decimal(r["ListCost"])) > Decimal("1e-12"):
        bad.append("%d: ListUnitPrice x PricingQuantity != ListCost" % n)
    for c in ("BillingPeriodEnd", "BillingPeriodStart", "ChargePeriodEnd", "ChargePeriodStart"):
        if not date.match(r[c]):
            bad.append("%d: %s %r" % (n, c, r[c]))
    for c in must:
        if r[c] == "":
            bad.append("%d: %s empty" % (n, c))
    if r["ProviderName"] != r["PublisherName"] or r["ProviderName"] != r["InvoiceIssuerName"] or r["ProviderName"] != r["BillingAccountId"]:
        bad.append("%d: provider columns differ" % n)
    for c, v in r.items():
        if v[:1] in ("=", "+", "@") or (v[:1] == "-" and not re.match(r"^-\d", v)):
            bad.append("%d: %s starts a formula: %r" % (n, c, v))
print("\n".join(bad) if bad else "ok")
PY
expect_eq "every row's columns" "ok" "$(cat "$T/check")"
expect_grep "the injected model's row is guarded" "^0\.0123,openai,,USD,.*,'=cmd\|' /C calc'!A0/usage," "$T/all.csv"

# --- windows: the same spans as summary ------------------------------------
# April 1 only: 0.00021 + 0.0123 + 0.01 = 0.02251; March 31 only: 0.0015 +
# 0.005 + 0.00045 + 0.00476 = 0.01171; system beta (the b spans, all April
# 1): 0.02251; system alpha: 0.01171
check_window() { # NAME EXPECTED ARGS...: export's sum = EXPECTED = summary's
  local name=$1 want=$2
  shift 2
  ac export focus "$@" >"$T/w.csv" 2>"$T/err" || fail "$name: export failed: $(cat "$T/err")"
  expect_eq "$name: BilledCost sum" "$want" "$(billed_sum "$T/w.csv")"
  expect_eq "$name: summary" "$want" "$(ac summary --format json "$@" | jget .cost_total)"
}
check_window "--since 2025-04-01" 0.02251 --since 2025-04-01
check_window "--until 2025-03-31" 0.01171 --until 2025-03-31
check_window "--system beta" 0.02251 --system beta
check_window "--system alpha" 0.01171 --system alpha
check_window "--since 2025-04-02" 0 --since 2025-04-02
expect_eq "an empty window: the header only" 1 "$(wc -l <"$T/w.csv")"
# a window on times: [2025-03-31T23:45Z, 2025-04-01T06:00Z) holds a..05 (0.00476)
# and b..02 (0.00021) = 0.00497; the charge periods are clipped to it
check_window "a window of times" 0.00497 --since 2025-03-31T23:45:00Z --until 2025-04-01T06:00:00Z
cols ChargePeriodStart,ChargePeriodEnd "$T/w.csv" | sort -u >"$T/periods"
expect_eq "charge periods clipped to the window" \
  "2025-03-31T23:45:00Z|2025-04-01T00:00:00Z
2025-04-01T00:00:00Z|2025-04-01T06:00:00Z" "$(cat "$T/periods")"

# --- -o, errors, --by -----------------------------------------------------------
expect_rc "-o FILE" 0 ac export focus -o "$T/o.csv"
expect_eq "-o: nothing on stdout" "" "$(cat "$T/out")"
cmp -s "$T/o.csv" "$T/all.csv" && ok || fail "-o FILE differs from standard output"
expect_rc "--output=FILE" 0 ac export focus --output="$T/o2.csv"
cmp -s "$T/o2.csv" "$T/all.csv" && ok || fail "--output=FILE differs"
expect_rc "-o into a missing directory" 1 ac export focus -o "$T/no/such/dir.csv"
expect_grep "-o error names the file" "^agentcost: error: export focus: $T/no/such/dir.csv: " "$T/err"
# --by itself: tests/cli/t_dims.sh (Tags per user on its fixture)
expect_rc "--by an unknown dimension" 2 ac export focus --by color
expect_grep "--by: the dimensions named" "one of user, session" "$T/err"
expect_eq "--by: no output" "" "$(cat "$T/out")"
expect_rc "--by three dimensions" 2 ac export focus --by user,session,agent
expect_rc "--by without a value" 2 ac export focus --by
expect_grep "--by needs a value" "export focus: option --by needs a value" "$T/err"
expect_rc "no export named" 2 ac export
expect_rc "an unknown export" 2 ac export csv
expect_grep "unknown export named" "unknown export 'csv'" "$T/err"
expect_rc "an unknown option" 2 ac export focus --bogus
expect_grep "unknown option named" "export focus: unexpected '--bogus'" "$T/err"
expect_rc "--format json refused" 2 ac export focus --format json
expect_rc "no store" 1 ac --db "$T/none.db" export focus

# --- a stored cost today's prices do not give ------------------------------------
# b..02's cost set to 0.001 behind agentcost's back (as a store priced by an
# older price table): its stored cost is kept whole, as one row
# gpt-4o-mini/usage of April 1 (1 call, 0.001, no list price), and its tokens
# leave the token rows; the total is 0.03422 - 0.00021 + 0.001 = 0.03501
# (summary reads the spans: AGENTCOST_NO_ROLLUP, the rollup has the old cost)
cp "$AGENTCOST_DB" "$T/stale.db"
sqlite3 "$T/stale.db" "UPDATE span SET cost_usd = 0.001 WHERE span_id = x'b000000000000002'"
AGENTCOST_NO_ROLLUP=1 ac --db "$T/stale.db" export focus >"$T/stale.csv"
cols ChargePeriodStart,SkuId,SkuPriceId,ConsumedQuantity,ConsumedUnit,ListUnitPrice,BilledCost "$T/stale.csv" |
  grep '^2025-04-01.*gpt-4o-mini' >"$T/stale_rows"
expect_eq "a stale cost: one usage row" "2025-04-01T00:00:00Z|gpt-4o-mini/usage|gpt-4o-mini/usage|1|Calls||0.001" \
  "$(cat "$T/stale_rows")"
expect_grep "its description says why" "Calls of gpt-4o-mini at their stored cost" "$T/stale.csv"
expect_eq "a stale cost: the total" 0.03501 "$(billed_sum "$T/stale.csv")"
expect_eq "a stale cost: summary's total" 0.03501 \
  "$(AGENTCOST_NO_ROLLUP=1 ac --db "$T/stale.db" summary --format json | jget .cost_total)"

# --- a service tier agentcost does not know: priced as standard ------------------
# gpt-4o-mini of tier "turbo", in 1000 out 100: 1000 x 0.15 + 100 x 0.60 =
# 150 + 60 = 210e-6; rows of the standard tier (x_ServiceTier standard,
# SkuPriceId without a tier)
U=$T/tier.db
ac --db "$U" prices import "$D/prices.csv" >/dev/null
printf '%s\n' '{"trace_id":"cccccccccccccccccccccccccccccccc","span_id":"c000000000000001","parent_span_id":null,"name":"chat","start_time":"2025-05-05T12:00:00Z","end_time":"2025-05-05T12:00:01Z","status":"UNSET","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.provider.name":"openai","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":100,"openai.response.service_tier":"turbo"},"resource":{"service.name":"gamma"}}' >"$T/tier.jsonl"
ac --db "$U" ingest "$T/tier.jsonl" >/dev/null 2>&1
expect_rc "an unknown tier" 0 ac --db "$U" export focus -o "$T/tier.csv"
expect_eq "an unknown tier: standard rows" "gpt-4o-mini/input|1000|0.15|0.00015|standard
gpt-4o-mini/output|100|0.6|0.00006|standard" "$(cols SkuPriceId,ConsumedQuantity,ListUnitPrice,BilledCost,x_ServiceTier "$T/tier.csv")"

# --- a generated store: the sum to the cent, the tokens against sqlite3 ----------
G=$T/gen.db
ac gen --days 3 --tasks-per-day 40 --price-dimensions -q -o "$T/gen.jsonl"
ac --db "$G" ingest "$T/gen.jsonl" >/dev/null 2>&1
ac --db "$G" prices import "$SRC/testdata/prices/tools.csv" >/dev/null
for w in "" "--since 2025-06-03 --until 2025-06-03" "--system $(sqlite3 "$G" 'SELECT name FROM service ORDER BY id LIMIT 1')"; do
  # shellcheck disable=SC2086
  ac --db "$G" export focus $w >"$T/g.csv"
  # shellcheck disable=SC2086
  s=$(ac --db "$G" summary --format json $w | jget .cost_total)
  expect_eq "generated store [$w]: BilledCost = summary to the cent" same "$(same_cent "$(billed_sum "$T/g.csv")" "$s")"
  # shellcheck disable=SC2086
  s=$(AGENTCOST_NO_ROLLUP=1 ac --db "$G" summary --format json $w | jget .cost_total)
  expect_eq "generated store [$w]: = summary from the spans" same "$(same_cent "$(billed_sum "$T/g.csv")" "$s")"
done
ac --db "$G" export focus >"$T/g.csv"
expect_eq "generated store: the total is not trivial" 1 "$(awk -v s="$(billed_sum "$T/g.csv")" 'BEGIN { print (s > 1) }')"
expect_no_grep "generated store: every table-priced call split" "/usage," "$T/g.csv"
expect_grep "generated store: tool rows" ",web_search,Calls,web_search," "$T/g.csv"
expect_grep "generated store: a tier row" "/input/flex," "$T/g.csv"
expect_grep "generated store: a context tier row" "/above-200k," "$T/g.csv"
# token sums per kind against the spans (sqlite3), for the LLM calls priced
# from the table (cost_src 1): cache read, reasoning and audio output as
# stored; output + reasoning + audio output = tokens_out
kind_sum() { # METER: ConsumedQuantity summed over the rows of that SkuMeter
  python3 -c '
import csv, sys
print(int(sum(float(r["ConsumedQuantity"]) for r in csv.DictReader(open(sys.argv[1], newline="")) if r["SkuMeter"] == sys.argv[2])))' "$T/g.csv" "$1"
}
q() { sqlite3 "$G" "SELECT coalesce(sum($1), 0) FROM span WHERE step = 1 AND cost_src = 1"; }
expect_eq "cache read tokens" "$(q tokens_cache_read)" "$(kind_sum 'Cache Read Tokens')"
expect_eq "reasoning tokens" "$(q tokens_reasoning)" "$(kind_sum 'Reasoning Tokens')"
expect_eq "audio output tokens" "$(q tokens_audio_out)" "$(kind_sum 'Audio Output Tokens')"
expect_eq "1-hour cache write tokens" "$(q tokens_cache_write_1h)" "$(kind_sum 'Cache Write 1h Tokens')"
expect_eq "output tokens, all kinds" "$(q tokens_out)" \
  "$(( $(kind_sum 'Output Tokens') + $(kind_sum 'Reasoning Tokens') + $(kind_sum 'Audio Output Tokens') ))"
expect_eq "tool calls" "$(sqlite3 "$G" "SELECT count(*) FROM span WHERE step = 2 AND cost_src = 1")" "$(kind_sum Calls)"

finish
