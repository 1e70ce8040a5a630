#!/usr/bin/env bash
# Langfuse exports (src/ingest/fmt_langfuse.c): the eight spans of
# testdata/ingest/basic.jsonl (costs by hand in basic.costs.md) written by hand
# as a Langfuse API export (basic.langfuse.json: two {trace, observations}
# documents, the first listing observations both at the top level and under
# trace.observations), as blob-storage JSONL rows and as CSV rows, must give
# t_formats.sh's totals in every shape and framing; then bad rows among good
# ones, refusals, and the two real Langfuse exports of ../shared counted by hand.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/ingest

check() { # NAME FILE [ingest options...]
  local name=$1 file=$2
  shift 2
  export AGENTCOST_DB="$T/$name.db"
  expect_rc "$name: ingest" 0 ac ingest "$@" "$file"
  ac summary --format json >"$T/$name.json"
  expect_eq "$name: spans" 8 "$(jget .spans <"$T/$name.json")"
  expect_eq "$name: llm calls" 6 "$(jget .llm_calls <"$T/$name.json")"
  expect_eq "$name: tool calls" 1 "$(jget .tool_calls <"$T/$name.json")"
  expect_close "$name: cost (hand: 0.048645)" 0.048645 "$(jget .cost_total <"$T/$name.json")" 1e-12
  expect_eq "$name: unpriced" 2 "$(jget .unpriced_spans <"$T/$name.json")"
  expect_eq "$name: error spans" 1 "$(sql 'SELECT count(*) FROM span WHERE status = 2')"
}

frame() { # IN OUT: the Collector's json+zstd framing, one line per frame
  : >"$2"
  while IFS= read -r line; do
    printf '%s' "$line" | zstd -q -c >"$T/frame"
    n=$(stat -c %s "$T/frame")
    printf "\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))" >>"$2"
    cat "$T/frame" >>"$2"
  done <"$1"
}

# --- the API export -----------------------------------------------------------
check api "$D/basic.langfuse.json"
expect_eq "api: format recorded" langfuse "$(sql 'SELECT format FROM file')"
# the tokens: gpt-4o-mini output 200 with reasoning 50 and total 1200 =
# 1000 + 200 (reasoning inside output: 200 stays); gpt-4o output 800 +
# reasoning 200 with total 5000 = 4000 + 800 + 200 (outside: 1000); sonnet
# input 500 + cache read 1000 + cache creation 500 = 2000
expect_eq "api: gpt-4o-mini out, reasoning" "200|50" \
  "$(sql "SELECT tokens_out, tokens_reasoning FROM span WHERE hex(span_id) = '00F067AA0BA902B7'")"
expect_eq "api: gpt-4o out, reasoning" "1000|200" \
  "$(sql "SELECT tokens_out, tokens_reasoning FROM span WHERE hex(span_id) = '53995C3F42CD8AD8'")"
expect_eq "api: sonnet in, read, write" "2000|1000|500" \
  "$(sql "SELECT tokens_in, tokens_cache_read, tokens_cache_write FROM span WHERE hex(span_id) = '00F067AA0BA902B8'")"
expect_eq "api: services from the metadata's resource" "doc-agent:4,support-bot:4" \
  "$(sql "SELECT group_concat(n || ':' || c) FROM (SELECT v.name n, count(*) c FROM span s JOIN service v ON v.id = s.service GROUP BY 1 ORDER BY 1)")"
# Langfuse's cost kept beside agentcost's: haiku 0.0159 (table 0.016), the
# finetune's 0.0042 used; mystery's totalCost 0 is "no price", not a cost
expect_eq "api: producer costs" "0.00027,0.0159,0.0042" \
  "$(sql "SELECT group_concat(producer_cost_usd) FROM (SELECT producer_cost_usd FROM span WHERE producer_cost_usd IS NOT NULL ORDER BY start_ns)")"
# the trace's user and session stay with each observation's original text
expect_rc "api: show" 0 ac show 0af7651916cd43dd8448eb211c80319c:00f067aa0ba902b9
expect_grep "api: original holds the user" '"userId":"user-17"' "$T/out"
expect_grep "api: original holds the session" '"sessionId":"session-doc-1"' "$T/out"

jq -s . "$D/basic.langfuse.json" >"$T/array.json"          # one JSON array of both
check api-array "$T/array.json"
jq -c . "$D/basic.langfuse.json" >"$T/api.jsonl"           # one document per line
check api-lines "$T/api.jsonl"
zstd -q -c "$D/basic.langfuse.json" >"$T/api.zst"
check api-zstd "$T/api.zst"
frame "$T/api.jsonl" "$T/api.framed"
check api-framed "$T/api.framed"
expect_eq "api-framed: container" zstd-framed "$(sql 'SELECT container FROM file')"

# --- JSONL rows -----------------------------------------------------------------
check rows "$D/basic.langfuse_rows.jsonl"
expect_eq "rows: format recorded" langfuse-rows "$(sql 'SELECT format FROM file')"
expect_eq "rows: gpt-4o out (800 + reasoning 200, no total: outside)" "1000|200" \
  "$(sql "SELECT tokens_out, tokens_reasoning FROM span WHERE hex(span_id) = '53995C3F42CD8AD8'")"
expect_eq "rows: env from environment, not 'default'" "prod:4" \
  "$(sql "SELECT group_concat(n || ':' || c) FROM (SELECT l.name n, count(*) c FROM span s JOIN label l ON l.id = s.env GROUP BY 1)")"
expect_eq "rows: finetune producer cost = cost_details input + output" 0.0042 \
  "$(sql "SELECT producer_cost_usd FROM span WHERE hex(span_id) = '53995C3F42CD8ADA'")"
zstd -q -c "$D/basic.langfuse_rows.jsonl" >"$T/rows.zst"
check rows-zstd "$T/rows.zst"
head -c 700 "$D/basic.langfuse_rows.jsonl" | zstd -q -c >"$T/rows-split.zst"
tail -c +701 "$D/basic.langfuse_rows.jsonl" | zstd -q -c >>"$T/rows-split.zst"
check rows-zstd-split "$T/rows-split.zst"
frame "$D/basic.langfuse_rows.jsonl" "$T/rows.framed"
check rows-framed "$T/rows.framed"
export AGENTCOST_DB="$T/rows-stdin.db"
expect_rc "rows: stdin zstd" 0 ac ingest - <"$T/rows.zst"
expect_close "rows: stdin cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12

# --- CSV rows ---------------------------------------------------------------------
check csv "$D/basic.langfuse_rows.csv"
expect_eq "csv: format recorded" langfuse-csv "$(sql 'SELECT format FROM file')"
expect_rc "csv: show the row with a quoted newline" 0 ac show 00f067aa0ba902b9
expect_grep "csv: the newline and quotes kept in one cell" '"status_message":"timeout\\nafter 30 s, \\"search\\" gave up"' "$T/out"
zstd -q -c "$D/basic.langfuse_rows.csv" >"$T/csv.zst"
check csv-zstd "$T/csv.zst"
sed 's/$/\r/' "$D/basic.langfuse_rows.csv" >"$T/crlf.csv"
check csv-crlf "$T/crlf.csv"
export AGENTCOST_DB="$T/csv-stdin.db"
expect_rc "csv: stdin" 0 ac ingest - <"$D/basic.langfuse_rows.csv"
expect_close "csv: stdin cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12

# --- re-ingest: the same spans never count twice ----------------------------------
export AGENTCOST_DB="$T/again.db"
expect_rc "rows twice" 0 ac ingest "$D/basic.langfuse_rows.jsonl" "$D/basic.langfuse_rows.jsonl"
expect_grep "rows twice: second adds nothing" "16 spans \(8 new\)" "$T/out"
# 16/32-hex Langfuse ids are the OTLP ids: the OTLP file, the export, the rows
# and the CSV are the same eight spans
export AGENTCOST_DB="$T/same.db"
expect_rc "otlp then langfuse" 0 ac ingest "$D/basic.jsonl" "$D/basic.langfuse.json" \
  "$D/basic.langfuse_rows.jsonl" "$D/basic.langfuse_rows.csv"
expect_grep "otlp then langfuse: only the first file adds" "32 spans \(8 new\)" "$T/out"
expect_eq "otlp then langfuse: 8 spans" 8 "$(sql 'SELECT count(*) FROM span')"
expect_close "otlp then langfuse: cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12

# --- bad rows among good ones -----------------------------------------------------
export AGENTCOST_DB="$T/bad.db"
{
  sed -n 1,2p "$D/basic.langfuse_rows.jsonl"
  sed -n 3p "$D/basic.langfuse_rows.jsonl" | sed 's/"input":500,/"input":-5,/'
  sed -n 4p "$D/basic.langfuse_rows.jsonl" | sed 's/"start_time":"[^"]*"/"start_time":"yesterday"/'
  sed -n 5,8p "$D/basic.langfuse_rows.jsonl"
} >"$T/bad.jsonl"
expect_rc "bad rows: ingest (exit 3: records skipped)" 3 ac ingest "$T/bad.jsonl"
expect_eq "bad rows: the 6 good kept" 6 "$(sql 'SELECT count(*) FROM span')"
expect_grep "bad rows: line 3 named" "bad.jsonl:3:.*usage input: token count is negative" "$T/err"
expect_grep "bad rows: line 4 named" "bad.jsonl:4:.*start time is not an ISO-8601 time" "$T/err"

# a CSV row with a cell missing (line 3), the others kept; lines count the
# quoted newline of the tool row (lines 5-6)
export AGENTCOST_DB="$T/badcsv.db"
{
  sed -n 1,2p "$D/basic.langfuse_rows.csv"
  sed -n 3p "$D/basic.langfuse_rows.csv" | sed 's/,session-doc-1$//'
  sed -n '4,$p' "$D/basic.langfuse_rows.csv"
  printf '%s\n' '53995c3f42cd8add,4bf92f3577b34da6a3ce929d0e0e4736,proj-1,GENERATION,,2025-06-02 12:00:09.000000,2025-06-02 12:00:10.000000,chat broken,"{""resourceAttributes"":{}}",DEFAULT,,mystery-model,"{""input"":1e9,""output"":1}",{},,prod,,'
} >"$T/bad.csv"
expect_rc "bad csv: ingest (exit 3: records skipped)" 3 ac ingest "$T/bad.csv"
expect_eq "bad csv: 7 good kept" 7 "$(sql 'SELECT count(*) FROM span')"
expect_grep "bad csv: the short row named" "bad.csv:3:.*csv row has 17 cells, the header names 18 columns" "$T/err"
expect_grep "bad csv: the absurd row named (line 11, after the 2-line row)" "bad.csv:11:.*absurd" "$T/err"

# a header without the Langfuse columns: refused, with what it is
printf 'model,input_price,output_price\ngpt-4o,2.5,10\n' >"$T/prices.csv"
export AGENTCOST_DB="$T/refused.db"
expect_rc "price csv refused" 1 ac ingest "$T/prices.csv"
expect_grep "price csv: message" "a CSV file, but not a Langfuse observations export" "$T/err"
# the header names id and type but no trace_id column
sed '1s/,trace_id,/,trace,/' "$D/basic.langfuse_rows.csv" >"$T/notrace.csv"
expect_rc "csv without trace_id refused" 1 ac ingest "$T/notrace.csv"
expect_grep "csv without trace_id: message" "not a Langfuse observations export" "$T/err"

# --- small files of LLM calls, expected values by hand in langfuse.costs.md -----
calls() { # FILE SPANS TRACES LLM TOOL TOKENS_IN TOKENS_OUT COST ERRORS PRODUCER_COSTS
  local f=$1
  export AGENTCOST_DB="$T/calls-$f.db"
  expect_rc "$f: ingest" 0 ac ingest "$D/$f"
  ac summary --format json >"$T/calls.json"
  expect_eq "$f: spans" "$2" "$(jget .spans <"$T/calls.json")"
  expect_eq "$f: traces" "$3" "$(jget .traces <"$T/calls.json")"
  expect_eq "$f: llm calls" "$4" "$(jget .llm_calls <"$T/calls.json")"
  expect_eq "$f: tool calls" "$5" "$(jget .tool_calls <"$T/calls.json")"
  expect_eq "$f: tokens in|out" "$6|$7" "$(sql 'SELECT sum(tokens_in), sum(tokens_out) FROM span WHERE step = 1')"
  expect_close "$f: cost" "$8" "$(jget .cost_total <"$T/calls.json")" 1e-9
  expect_eq "$f: every call priced from the table (dated names resolve)" "$4" \
    "$(sql 'SELECT count(*) FROM span WHERE step = 1 AND cost_src = 1')"
  expect_eq "$f: error spans" "$9" "$(sql 'SELECT count(*) FROM span WHERE status = 2')"
  expect_eq "$f: producer costs kept" "${10}" \
    "$(sql "SELECT group_concat(c) FROM (SELECT round(producer_cost_usd, 9) c FROM span WHERE producer_cost_usd IS NOT NULL ORDER BY start_ns)")"
}
# API export: gpt-4.1 0.0097 + o4-mini 0.01265 + claude-3-7-sonnet 0.0171
calls calls.langfuse.json 5 1 3 1 18000 3000 0.03945 1 "0.0097,0.0171"
expect_eq "calls api: UUID trace id" 9f2c4e1a5b3d4c6e8f70a1b2c3d4e5f6 "$(sql 'SELECT lower(hex(trace_id)) FROM trace')"
expect_eq "calls api: children of the UUID root resolve to it" 4 \
  "$(sql "SELECT count(*) FROM span c JOIN span p ON p.span_id = c.parent_span_id JOIN span_name n ON n.id = p.name WHERE n.name = 'research loop'")"
expect_eq "calls api: plan tokens (reasoning inside: total 4400 = 4000 + 400)" "4000|400|1000|100" \
  "$(sql "SELECT tokens_in, tokens_out, tokens_cache_read, tokens_reasoning FROM span WHERE span_id = x'a1b2c3d4e5f60001'")"
expect_eq "calls api: think tokens (reasoning outside: total 10000 = 8500 + 1500)" "8000|2000|6000|1500" \
  "$(sql "SELECT tokens_in, tokens_out, tokens_cache_read, tokens_reasoning FROM span WHERE span_id = x'a1b2c3d4e5f60002'")"
expect_eq "calls api: write answer tokens" "6000|600|4000|1200" \
  "$(sql "SELECT tokens_in, tokens_out, tokens_cache_read, tokens_cache_write FROM span WHERE span_id = x'a1b2c3d4e5f60004'")"
expect_eq "calls api: providedModelName beats model" claude-3-7-sonnet-20250219 \
  "$(sql "SELECT m.name FROM span s JOIN model m ON m.id = s.model WHERE s.span_id = x'a1b2c3d4e5f60004'")"
expect_eq "calls api: the error span is the tool" "a1b2c3d4e5f60003|2" \
  "$(sql 'SELECT lower(hex(span_id)), step FROM span WHERE status = 2')"
expect_eq "calls api: the SPAN is not a call" 0 "$(sql "SELECT step FROM span s JOIN span_name n ON n.id = s.name WHERE n.name = 'research loop'")"
expect_close "calls api: think cost" 0.01265 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'a1b2c3d4e5f60002'")" 1e-12
# blob-storage rows: gpt-4o-mini 0.00435 + o3 0.042 + claude-haiku-4-5 0.0073
calls calls.langfuse_rows.jsonl 6 1 3 1 37300 5900 0.05365 1 "0.00435,0.0068"
expect_eq "calls rows: 64-bit trace id padded" 00000000000000007e57da7a00c0ffee "$(sql 'SELECT lower(hex(trace_id)) FROM trace')"
expect_eq "calls rows: solve tokens (reasoning inside: total 9000 = 5000 + 4000)" "5000|4000|3000" \
  "$(sql "SELECT tokens_in, tokens_out, tokens_reasoning FROM span WHERE span_id = x'5eed000000000003'")"
expect_eq "calls rows: reply tokens (no total: reasoning outside)" "2300|900|2000|200" \
  "$(sql "SELECT tokens_in, tokens_out, tokens_cache_write, tokens_reasoning FROM span WHERE span_id = x'5eed000000000006'")"
expect_eq "calls rows: the error span is the o3 call, still billed" "5eed000000000003|1" \
  "$(sql 'SELECT lower(hex(span_id)), step FROM span WHERE status = 2')"
expect_close "calls rows: solve cost" 0.042 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'5eed000000000003'")" 1e-12
expect_close "calls rows: reply cost (agentcost's 0.0073, not Langfuse's 0.0068)" 0.0073 \
  "$(sql "SELECT cost_usd FROM span WHERE span_id = x'5eed000000000006'")" 1e-12
expect_eq "calls rows: env" "production:6" \
  "$(sql "SELECT group_concat(n || ':' || c) FROM (SELECT l.name n, count(*) c FROM span s JOIN label l ON l.id = s.env GROUP BY 1)")"
expect_eq "calls rows: start with microseconds" "1755698401250000000|1755698402000000000" \
  "$(sql "SELECT start_ns, end_ns FROM span WHERE span_id = x'5eed000000000002'")"

# --- the real exports of ../shared ----------------------------------------------
F=$SHARED/fixtures/third_party
if [ ! -d "$F" ]; then
  echo "t_formats_langfuse.sh: real exports skipped: no $F"
  finish
  exit $?
fi
real() { # FILE SPANS LLM TOOLS IN OUT MODEL COST: counted by hand in the file
  export AGENTCOST_DB="$T/real-$1.db"
  expect_rc "$1: ingest" 0 ac ingest "$F/$1"
  ac summary --format json >"$T/real.json"
  expect_eq "$1: spans" "$2" "$(jget .spans <"$T/real.json")"
  expect_eq "$1: llm calls" "$3" "$(jget .llm_calls <"$T/real.json")"
  expect_eq "$1: tool calls" "$4" "$(jget .tool_calls <"$T/real.json")"
  expect_eq "$1: llm tokens in|out" "$5|$6" "$(sql 'SELECT sum(tokens_in), sum(tokens_out) FROM span WHERE step = 1')"
  expect_eq "$1: llm model" "$7" "$(sql 'SELECT DISTINCT m.name FROM span s JOIN model m ON m.id = s.model WHERE s.step = 1')"
  expect_close "$1: cost" "$8" "$(jget .cost_total <"$T/real.json")" 1e-12
}
# claude-agent: 7 observations (trace.observations lists the same 7: read
# once); GENERATION usage input 5, 5, 5, 19 = 34, output 94, 56, 53, 29 = 232;
# 2 TOOL; claude-sonnet-4-5 at 3 / 15 USD per Mtok: 34 * 3 + 232 * 15 = 102 +
# 3480 = 3582 / 1e6 (Langfuse's own costDetails totals 0.001425 + 0.000855 +
# 0.00081 + 0.000492 say the same)
real langfuse_claude-agent-2025-12-22.trace.json 7 4 2 34 232 claude-sonnet-4-5-20250929 0.003582
expect_eq "claude: producer cost total" 0.003582 "$(sql 'SELECT round(sum(producer_cost_usd), 9) FROM span WHERE step = 1')"
# microsoft-agent: 4 observations; 2 GENERATION gpt-5-mini-2025-08-07 input
# 77 + 216 = 293, output 86 + 20 = 106; the AGENT (44 / 180 tokens) is not a
# call; 1 TOOL; gpt-5-mini at 0.25 / 2.00: 293 * 0.25 + 106 * 2 = 73.25 + 212 =
# 285.25 / 1e6
real langfuse_microsoft-agent-2025-12-17.trace.json 4 2 1 293 106 gpt-5-mini-2025-08-07 0.00028525
expect_eq "microsoft: tool from gen_ai.tool.name" get_weather \
  "$(sql 'SELECT t.name FROM span s JOIN tool t ON t.id = s.tool')"
expect_eq "microsoft: the agent span is an agent step" "3|44|180" \
  "$(sql "SELECT step, tokens_in, tokens_out FROM span WHERE hex(span_id) = '4CD6CAA32861956A'")"
# the counts above, read again from the files with jq
for f in langfuse_claude-agent-2025-12-22.trace.json langfuse_microsoft-agent-2025-12-17.trace.json; do
  expect_eq "$f: jq agrees" \
    "$(jq -r '[.observations[] | select(.type == "GENERATION") | .usageDetails] | "\(map(.input) | add)|\(map(.output) | add)"' "$F/$f")" \
    "$(sqlite3 "$T/real-$f.db" 'SELECT sum(tokens_in) || "|" || sum(tokens_out) FROM span WHERE step = 1')"
done
finish
