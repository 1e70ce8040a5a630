#!/usr/bin/env bash
# agentcost report weekly / incident: figures checked by hand on a small
# fixture, byte-identical reruns, the report without gnuplot, and hostile
# strings from traces kept out of HTML, Markdown, SVG and CSV as code.
#
# testdata/report/prices.csv prices unit-a at 1.00 USD per million input
# tokens, so a call of N million input tokens costs N USD. mystery-model has
# no price. testdata/report/weekly.jsonl (service "shop"; every task one trace):
#   upkeep    one task a day 2025-05-19 .. 2025-06-08 at 12:00, one call, $1
#   research  2025-05-28 10:00 (W22): "summarize history" $0.25 (summarize),
#             a call $0.75 (execute): $1
#   triage    2025-06-04 (W23) 02:00, 02:01, 02:02, 02:03: one call each,
#             $0.1, $0.2, $0.3, $0.4 (complexity simple);
#             02:04: an agent root, "plan step" $0.5, the tool fetch 6 times
#             in a row (free), three calls of $0.5: $2.0, 4 LLM calls
#   research  2025-06-06 10:00: summarize $0.5, agentcost.purpose=retry $0.25,
#             a call $0.25, one mystery-model call (unpriced): $1
#   eval      2025-06-06 11:00, deployment.environment eval, type research:
#             one call $0.5 scored 1
# ISO week 2025-W23 = Mon 2025-06-02 .. Sun 2025-06-08; W22 = 05-26 .. 06-01.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/report
# charts need gnuplot (the binary looks for $AGENTCOST_GNUPLOT, else PATH)
have_gnuplot=0
command -v "${AGENTCOST_GNUPLOT:-gnuplot}" >/dev/null 2>&1 && have_gnuplot=1
[ "$have_gnuplot" = 1 ] || echo "t_report.sh: no gnuplot: the checks of drawn charts are skipped" >&2

expect_rc "import prices" 0 ac prices import "$D/prices.csv"
expect_rc "ingest" 0 ac ingest "$D/weekly.jsonl"

# csv FILE KEY COL: column COL of the line whose first cell is KEY
csv() { awk -F, -v k="$2" -v c="$3" '$1 == k { print $c; exit }' "$1"; }

# ---- weekly, hand-checked ------------------------------------------------
expect_rc "weekly" 0 ac report weekly --week 2025-W23 --now 2025-06-10T09:00:00Z -o "$T/w1"
expect_grep "stdout names the week and the files" "^weekly report 2025-W23: .*/index.html, .*/report.md, 13 CSV tables" "$T/out"
W=$T/w1
for f in index.html report.md headline.csv task_types.csv hidden.csv daily.csv models.csv \
         frontier.csv recommendations.csv recommended_map.csv outliers.csv runaways.csv \
         histogram.csv unpriced_models.csv who.csv; do
  if [ -s "$W/$f" ]; then ok; else fail "weekly wrote no $f"; fi
done

# 1. headline. W23 spend: upkeep 7 x $1 + triage 0.1+0.2+0.3+0.4+2.0 = 3.0
#    + research 1.0 + eval 0.5 = 11.5 (the mystery-model call counts 0).
#    W22: upkeep 7 + research 1.0 = 8. Change 3.5 = 3.5/8 = 0.4375.
#    Production tasks W23: 7 + 5 + 1 = 13 (the eval task is not one); W22 7 + 1 = 8.
#    Cost per task W23 (7 + 3 + 1)/13 = 11/13 = 0.846153846154; W22 8/8 = 1.
#    LLM calls W23: 7 + (1+1+1+1+4) + 4 + 1 = 20; W22: 7 + 2 = 9.
#    Unpriced calls W23: 1 (mystery-model).
# Who spent it: no span of this fixture names a user, so every production
# task is (none): W23 13 tasks, 7 + 3 + 1 = 11; W22 8; change (11 - 8) / 8.
expect_eq "who: all (none)" "(none),13" "$(sed -n 2p "$W/who.csv" | cut -d, -f1,2)"
expect_close "who: (none) cost" 11 "$(csv "$W/who.csv" '(none)' 3)" 1e-9
expect_close "who: (none) change 3/8" 0.375 "$(csv "$W/who.csv" '(none)' 8)" 1e-9
H=$W/headline.csv
expect_eq "headline header" "metric,this_week,previous_week,change,change_share" "$(head -1 "$H")"
expect_close "spend this week" 11.5 "$(csv "$H" spend 2)" 1e-9
expect_close "spend previous week" 8 "$(csv "$H" spend 3)" 1e-9
expect_close "spend change" 3.5 "$(csv "$H" spend 4)" 1e-9
expect_close "spend change share 3.5/8" 0.4375 "$(csv "$H" spend 5)" 1e-9
expect_eq "production tasks" "13,8" "$(csv "$H" 'production tasks' 2),$(csv "$H" 'production tasks' 3)"
expect_close "cost per task 11/13" 0.846153846154 "$(csv "$H" 'cost per task' 2)" 1e-9
expect_close "cost per task previous 8/8" 1 "$(csv "$H" 'cost per task' 3)" 1e-9
expect_eq "LLM calls" "20,9" "$(csv "$H" 'LLM calls' 2),$(csv "$H" 'LLM calls' 3)"
expect_eq "unpriced calls" "1" "$(csv "$H" 'unpriced LLM calls' 2)"
expect_grep "headline sentence" 'In 2025-W23 the agents spent \$11\.50, up 43\.8% from \$8\.00 in 2025-W22' "$W/index.html"
expect_grep "unpriced: a warning box naming the model" '<div class="warn" role="alert">.*1 LLM call in 2025-W23 had no price: mystery-model \(1 call\)' "$W/index.html"
expect_grep "unpriced: the warning in Markdown too" '^> \*\*Warning:\*\* 1 LLM call in 2025-W23 had no price: mystery-model' "$W/report.md"
expect_grep "unpriced: the table" '^mystery-model,1,0$' "$W/unpriced_models.csv"

# 2. triage: costs sorted 0.1 0.2 0.3 0.4 2.0 (n = 5), total 3.0, mean 0.6.
#    type 7: p50 h = 4 x 0.5 = 2 -> 0.3; p90 h = 3.6 -> 0.4 + 0.6 x (2.0 - 0.4)
#    = 1.36; p99 h = 3.96 -> 0.4 + 0.96 x 1.6 = 1.936; max 2.0.
#    k = max(1, floor(5/10)) = 1: bottom mean 0.1, top mean 2.0, tail ratio 20;
#    top10 share 2.0/3.0 = 0.666666666667.
expect_eq "triage distribution row" "triage,5,3,0.6,0.3,1.36,1.936,2,0.1,2,20,0.666666666667," \
  "$(grep '^triage,' "$W/task_types.csv")"
expect_eq "upkeep: all equal" "upkeep,7,7,1,1,1,1,1,1,1,1,0.142857142857," "$(grep '^upkeep,' "$W/task_types.csv")"

# 3. hidden: W23 total 11.5: retry 0.25/11.5 = 0.0217391304348, summarize
#    0.5/11.5 = 0.0434782608696, eval 0.5/11.5 = 0.0434782608696. W22 total
#    8: summarize 0.25/8 = 0.03125, retry 0, eval 0. Summarize change
#    0.0434782608696 - 0.03125 = 0.0122282608696.
HD=$W/hidden.csv
expect_eq "hidden header" "purpose,cost,share,previous_cost,previous_share,share_change,cost_change" "$(head -1 "$HD")"
expect_close "retry share" 0.0217391304348 "$(csv "$HD" retry 3)" 1e-12
expect_close "summarize share" 0.0434782608696 "$(csv "$HD" summarize 3)" 1e-12
expect_close "summarize previous share 0.25/8" 0.03125 "$(csv "$HD" summarize 5)" 1e-12
expect_close "summarize change" 0.0122282608696 "$(csv "$HD" summarize 6)" 1e-12
expect_close "eval share" 0.0434782608696 "$(csv "$HD" eval 3)" 1e-12
expect_eq "rows: retry, summarize, eval" "retry summarize eval" "$(tail -n +2 "$HD" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"

# 4. daily band (window 30, min history 7, sigma 2). The series starts on the
#    first day with spend, 2025-05-19; every day costs 1 except 05-28 (2),
#    06-04 (1 + 3.0 = 4) and 06-06 (1 + 1.0 + 0.5 = 2.5).
#    06-04: history 05-19 .. 06-03, 16 days, fifteen 1s and one 2: mean
#      17/16 = 1.0625; ss = 15 x 0.0625^2 + 0.9375^2 = 0.9375, var 0.9375/15 =
#      0.0625, sd 0.25; ucl 1.0625 + 0.5 = 1.5625 < 4: alert.
#    06-03: history 15 days, fourteen 1s and one 2: mean 16/15, ss = 14/225 +
#      196/225 = 14/15, var 1/15, sd 0.2581988897; ucl 1.5830644462 > 1: no alert.
#    06-06: history 18 days (16 x 1, 2, 4): mean 22/18 = 1.2222222222; ss =
#      16 (2/9)^2 + (7/9)^2 + (25/9)^2 = (64 + 49 + 625)/81 = 738/81, var =
#      738/81/17 = 0.5359477124, sd 0.7320844981; ucl 2.6863912185 > 2.5: no alert.
#    05-28 (W22): history nine 1s: sd 0, ucl 1 < 2: alert (context, not the week).
DY=$W/daily.csv
expect_eq "daily header" "day,cost,mean,sd,ucl,alert,rules,report_week" "$(head -1 "$DY")"
expect_eq "06-04: the alerted day" "2025-06-04,4,1.0625,0.25,1.5625,yes,,yes" "$(grep '^2025-06-04,' "$DY")"
expect_eq "06-03: no alert" "" "$(csv "$DY" 2025-06-03 6)"
expect_close "06-03 ucl" 1.5830644462 "$(csv "$DY" 2025-06-03 5)" 1e-9
expect_close "06-06 ucl" 2.6863912185 "$(csv "$DY" 2025-06-06 5)" 1e-9
expect_eq "06-06: no alert" "" "$(csv "$DY" 2025-06-06 6)"
expect_eq "05-28: alert in the weeks before" "yes," "$(csv "$DY" 2025-05-28 6),$(csv "$DY" 2025-05-28 8)"
expect_eq "days shown: the series start 05-19 .. 06-08" "21" "$(tail -n +2 "$DY" | wc -l)"
expect_grep "the week's alerts, named" 'Alerts in 2025-W23: 2025-06-04: \$4\.00 above its UCL of \$1\.56' "$W/index.html"

# 5/6. models and the router's map (triage/simple served by unit-a; no eval
#    scores for it, so no move: the map keeps it)
expect_eq "models: triage simple" "triage,simple,unit-a,4,1" "$(grep '^triage,simple,' "$W/models.csv" | cut -d, -f1-5)"
expect_eq "map header and row" "task_type,complexity,model|triage,simple,unit-a" "$(tr '\n' '|' <"$W/recommended_map.csv" | sed 's/|$//')"
expect_grep "map inline in HTML" '<table id="t-recommended_map">' "$W/index.html"

# 7. outliers: triage median 0.3, threshold 0.9: the $2.0 task, savings 1.1.
#    Runaway: LLM calls sorted 1 1 1 1 4, p99.9 h = 3.996 -> 1 + 0.996 x 3 =
#    3.988 < 4; and fetch 6 times in a row > 5.
expect_eq "outlier row" "triage,2,4,0.3,0.9,1.1,unit-a,execute,fetch,6" "$(tail -n +2 "$W/outliers.csv" | cut -d, -f3-)"
expect_eq "runaway row" "triage,4,3.988,6,2,call_count;repeated_step" "$(tail -n +2 "$W/runaways.csv" | cut -d, -f3-)"
expect_grep "guardrail sentence" 'would have saved \$1\.10' "$W/index.html"

# the same week chosen without --week: --now in W24 -> the last complete week;
# no --now -> the week of the newest span (06-08 12:00, W23); --now at
# 06-08T23:59:59 -> W23 is not over: W22
expect_rc "week from --now" 0 ac report weekly --now 2025-06-10T09:00:00Z -o "$T/wn"
expect_grep "--now 06-10: W23" "^weekly report 2025-W23:" "$T/out"
expect_rc "week from the newest span" 0 ac report weekly -o "$T/wd"
expect_grep "no --now: W23" "^weekly report 2025-W23:" "$T/out"
expect_rc "week boundary" 0 ac report weekly --now 2025-06-08T23:59:59Z -o "$T/wb"
expect_grep "--now on Sunday night: W22" "^weekly report 2025-W22:" "$T/out"
expect_rc "monday midnight" 0 ac report weekly --now 2025-06-09T00:00:00Z -o "$T/wm"
expect_grep "--now on Monday 00:00: W23" "^weekly report 2025-W23:" "$T/out"

# ---- determinism: byte-identical, from any directory ---------------------
( cd / && "$AGENTCOST" report weekly --week 2025-W23 --now 2025-06-10T09:00:00Z -o "$T/w2" >/dev/null 2>&1 )
if diff -r "$T/w1" "$T/w2" >"$T/diff" 2>&1; then ok; else fail "weekly: two runs differ"; sed 's/^/    /' "$T/diff" | head -20 >&2; fi
if [ "$have_gnuplot" = 1 ]; then
  expect_eq "charts written" "ccdf.svg hidden_bars.svg histogram.svg spc_band.svg" "$(cd "$W" && ls *.svg | tr '\n' ' ' | sed 's/ $//')"
  expect_grep "inline SVG charts" '<figure class="chart" id="chart-spc_band">' "$W/index.html"
  expect_grep "Markdown links the chart files" '^!\[.*\]\(spc_band\.svg\)$' "$W/report.md"
fi

# ---- without gnuplot: still written, a note where each chart would be ------
AGENTCOST_GNUPLOT=/nonexistent expect_rc "no gnuplot (AGENTCOST_GNUPLOT)" 0 ac report weekly --week 2025-W23 --now 2025-06-10T09:00:00Z -o "$T/ng"
expect_grep "a note on stderr" "5 charts not drawn: gnuplot program '/nonexistent' not found" "$T/err"
expect_eq "no SVG files" "0" "$(ls "$T/ng" | grep -c '\.svg$')"
expect_eq "a note for each of the 5 charts (HTML)" 5 "$(grep -c '<div class="nochart">Chart not drawn' "$T/ng/index.html")"
expect_eq "a note for each of the 5 charts (Markdown)" 5 "$(grep -c '^> _Chart not drawn' "$T/ng/report.md")"
for f in headline hidden daily task_types outliers; do
  if cmp -s "$T/w1/$f.csv" "$T/ng/$f.csv"; then ok; else fail "no gnuplot: $f.csv differs"; fi
done
expect_rc "no gnuplot (PATH)" 0 env -u AGENTCOST_GNUPLOT PATH=/nonexistent "$AGENTCOST" report weekly --week 2025-W23 -o "$T/np"
expect_grep "PATH: the note" "gnuplot is not on PATH" "$T/err"
expect_eq "PATH: 5 notes" 5 "$(grep -c '<div class="nochart">' "$T/np/index.html")"

# ---- incident, hand-checked ---------------------------------------------
# 2025-06-04 00:00 .. 06:00, 6 hours: per minute, 360 of them. Spend: the
# triage tasks, 0.1 + 0.2 + 0.3 + 0.4 + 2.0 = 3.0 (upkeep runs at 12:00, so
# the same minutes of the 7 days before spent nothing).
expect_rc "incident" 0 ac report incident --from 2025-06-04T00:00:00Z --to 2025-06-04T06:00:00Z --now 2025-06-10T09:00:00Z -o "$T/i1"
I=$T/i1
expect_eq "360 minutes" 361 "$(wc -l <"$I/timeline.csv")"
expect_eq "minute 02:04: the dear task, $0.5 + 3 x $0.5" "2025-06-04T02:04,2,0,0,0,2" "$(grep '^2025-06-04T02:04,' "$I/timeline.csv")"
expect_grep "summary" '<p>In the window the agents spent \$3\.00; the same minutes of the 7 days before had no spend\.' "$I/index.html"
# top task: the $2.0 one, 2/3 of the window's spend
expect_eq "top task" "7e90000000000000000000000000001b,shop,triage,,2025-06-04T02:04:00.000Z,2,0.666666666667,2,4,6,6" "$(sed -n 2p "$I/top_tasks.csv")"
# its tree: the root, plan, fetch x 6, three answers: 11 spans, children at depth 1
expect_eq "tree rows" 12 "$(wc -l <"$I/tree_1.csv")"
expect_eq "tree root" "0,invoke_agent triage,agent" "$(sed -n 2p "$I/tree_1.csv" | cut -d, -f3-5)"
expect_eq "tree: six fetch calls under the root" 6 "$(grep -c ',1,· execute_tool fetch,tool,' "$I/tree_1.csv")"
# no triage task in the 7 days before: judged against its own (as weekly)
expect_eq "incident runaway" "triage,4,3.988,6,2,call_count;repeated_step" "$(tail -n +2 "$I/runaways.csv" | cut -d, -f3-)"
expect_eq "incident guardrail" "triage,2,4,0.3,0.9,1.1" "$(tail -n +2 "$I/outliers.csv" | cut -d, -f3-8)"
expect_grep "own reference said" "1 task type had no task in the 7 days before the window" "$I/index.html"
expect_eq "breakdown: model" "model,unit-a,3,0,3,8,0,0" "$(grep '^model,' "$I/breakdown.csv")"
expect_eq "breakdown: tool" "tool,fetch,0,0,0,6,0,0" "$(grep '^tool,' "$I/breakdown.csv")"
# hourly band of 06-04 02:00: the 30 hours before (06-02 20:00 .. 06-04 01:00)
# hold one $1 (upkeep 06-03 12:00): mean 1/30 = 0.0333333333; sd = sqrt((29/900
# + 841/900)/29) = sqrt(1/30) = 0.1825741858; ucl 0.0333333333 + 0.3651483717
# = 0.398481705. The hour spent 3.0: alert. Running spend 0.1 (02:00), 0.3
# (02:01), 0.6 (02:02) > 0.3985: the first moment is 02:02:00.
expect_eq "hourly band 02:00" "2025-06-04T02:00,3,0.0333333333333,0.182574185835,0.398481705003,yes,,yes" "$(grep '^2025-06-04T02:00,' "$I/hourly_band.csv")"
expect_grep "first alert moment" 'First alert: 2025-06-04T02:02:00\.000Z, when the running spend of the hour from 2025-06-04T02:00 passed its UCL of \$0\.3985' "$I/index.html"
( cd / && "$AGENTCOST" report incident --from 2025-06-04T00:00:00Z --to 2025-06-04T06:00:00Z --now 2025-06-10T09:00:00Z -o "$T/i2" >/dev/null 2>&1 )
if diff -r "$T/i1" "$T/i2" >"$T/diff" 2>&1; then ok; else fail "incident: two runs differ"; sed 's/^/    /' "$T/diff" | head -20 >&2; fi
# longer than 6 hours: per hour
expect_rc "incident by the hour" 0 ac report incident --from 2025-06-03T00:00:00Z --to 2025-06-05T00:00:00Z -o "$T/i3"
expect_eq "48 hours" 49 "$(wc -l <"$T/i3/timeline.csv")"
expect_eq "hour 02:00 of 06-04" "2025-06-04T02:00,3" "$(grep '^2025-06-04T02:00,' "$T/i3/timeline.csv" | cut -d, -f1-2)"

# ---- usage ---------------------------------------------------------------
expect_rc "no report named" 2 ac report
expect_rc "unknown report" 2 ac report monthly -o "$T/x"
expect_rc "no -o" 2 ac report weekly
expect_rc "bad week" 2 ac report weekly --week 2025-W54 -o "$T/x"
expect_rc "bad --now" 2 ac report weekly --now yesterday -o "$T/x"
expect_rc "incident without --to" 2 ac report incident --from 2025-06-04T00:00:00Z -o "$T/x"
expect_rc "incident backwards" 2 ac report incident --from 2025-06-04T06:00:00Z --to 2025-06-04T00:00:00Z -o "$T/x"
expect_rc "incident too long" 2 ac report incident --from 2025-01-01 --to 2025-06-01 -o "$T/x"
expect_rc "--format is not for reports" 2 ac report weekly --format json -o "$T/x"
expect_rc "--week is not for incidents" 2 ac report incident --week 2025-W23 -o "$T/x"
AGENTCOST_DB=$T/empty.db expect_rc "missing store" 1 ac report weekly -o "$T/x"

# ---- hostile strings -----------------------------------------------------
# testdata/report/hostile.jsonl (W23): span names, task types, services,
# complexity classes, models, tools and purposes carrying <script>, a broken
# out attribute with an onerror handler, spreadsheet formulas (=HYPERLINK,
# +cmd, @SUM, -cmd|... DDE), Markdown (| ` * [link](url)), a newline, quotes
# and &. Nothing of it may reach HTML, SVG or Markdown as markup, nor a CSV
# cell as a formula; labels reach gnuplot only as sanitised data.
export AGENTCOST_DB=$T/hostile.db
expect_rc "hostile: prices" 0 ac prices import "$D/prices.csv"
expect_rc "hostile: ingest" 0 ac ingest "$D/hostile.jsonl"
expect_rc "hostile: weekly" 0 ac report weekly --week 2025-W23 -o "$T/hw"
expect_rc "hostile: incident" 0 ac report incident --from 2025-06-04T00:00:00Z --to 2025-06-04T12:00:00Z -o "$T/hi"
for R in "$T/hw" "$T/hi"; do
  n=$(basename "$R")
  for f in "$R"/index.html "$R"/report.md "$R"/*.svg; do
    [ -e "$f" ] || continue
    b=$n/$(basename "$f")
    expect_no_grep "$b: no <script" '<[[:space:]]*[sS][cC][rR][iI][pP][tT]' "$f"
    expect_no_grep "$b: no <img" '<[[:space:]]*[iI][mM][gG]' "$f"
    expect_no_grep "$b: no event handler attribute" '<[^>]*[[:space:]]on[a-z]+[[:space:]]*=' "$f"
  done
  # HTML: only the tags the report writes, links only to anchors and CSV files
  tags=$(grep -o '<[a-zA-Z][a-zA-Z0-9]*' "$R/index.html" | sed 's/<//' | sort -u | tr '\n' ' ')
  bad=$(for t in $tags; do case " html head meta title style body header h1 h2 h3 p nav ol li a main section div table caption thead tbody tr th td figure figcaption footer svg g path rect circle ellipse line polyline polygon text tspan defs use clipPath filter feFlood feComposite " in *" $t "*) ;; *) echo "$t";; esac; done | tr '\n' ' ')
  expect_eq "$n: no tag but the report's own" "" "$bad"
  expect_eq "$n: links only to #anchors and CSV files" "" \
    "$(grep -o 'href="[^"]*"' "$R/index.html" | grep -v -E '^href="(#[a-zA-Z0-9_-]+|[a-z0-9_]+\.csv)"$' | head -3)"
  expect_no_grep "$n: no URL in an attribute" '(href|src|action|style|xlink:href)=["'"'"']?[^"'"'"'>]*(https?|javascript|data):' "$R/index.html"
  # CSV: no cell starts a formula (= + @, or - before a non-number)
  for f in "$R"/*.csv; do
    expect_no_grep "$n/$(basename "$f"): formula guard" '(^|,)"?([=+@]|-[^0-9.])' "$f"
  done
done
HW=$T/hw
expect_grep "escaped <script> shown as text" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$HW/index.html"
expect_grep "escaped attribute break-out shown as text" '&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;' "$HW/index.html"
expect_grep "quote and ampersand escaped" 'it&#39;s &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;' "$HW/index.html"
expect_grep "CSV: =HYPERLINK guarded" "\"'=HYPERLINK\(\"\"http://x\"\"\)\"" "$HW/task_types.csv"
expect_grep "CSV: +cmd guarded" "^'\+cmd," "$HW/task_types.csv"
expect_grep "CSV: @SUM guarded" "^'@SUM\(1\)," "$HW/task_types.csv"
expect_grep "CSV: DDE guarded (a tool)" "^tool,'-cmd\\|' /C calc'!A0," "$T/hi/breakdown.csv"
expect_grep "CSV: the newline kept inside a quoted cell" '^"two$' "$HW/task_types.csv"
# Markdown: | and ` escaped in cells, HTML escaped, a newline flattened, no link
expect_grep "md: pipe, backtick, emphasis and link escaped" '^\| a\\\|b \\`code\\` \\\*bold\\\* \\\[link\\\]\(http\\://evil\.example/\) \|' "$HW/report.md"
expect_grep "md: HTML escaped" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$HW/report.md"
expect_no_grep "md: no unescaped backtick" '(^|[^\\])`' "$HW/report.md"
expect_eq "md: every table row is one line" "" "$(grep '^|' "$HW/report.md" | grep -v '|$' | head -3)"
hdr=$(grep '^| task\\_type | tasks |' "$HW/report.md" | sed 's/\\|//g' | tr -cd '|' | wc -c)
row=$(grep '^| a\\|b' "$HW/report.md" | head -1 | sed 's/\\|//g' | tr -cd '|' | wc -c)
expect_eq "md: the pipe in a name does not add a column" "$hdr" "$row"
expect_grep "md: the newline flattened" '^\| two lines \|' "$HW/report.md"
if [ "$have_gnuplot" = 1 ]; then
  # labels reached gnuplot as data, reduced to letters, digits, space and ._-/:()+=
  expect_grep "svg: sanitised label" '<text>_script_alert\(1\)_/script_</text>' "$HW/ccdf.svg"
  expect_grep "svg: the formula label, quotes replaced" '<text>=HYPERLINK\(_http://x_\)</text>' "$HW/ccdf.svg"
  for f in "$HW"/*.svg "$T/hi"/*.svg; do
    expect_no_grep "$(basename "$f"): no reference out of the chart" '(xlink:)?href="[^#]' "$f"
    expect_eq "$(basename "$f"): the namespace is its only URL" "1" "$(grep -o 'http://www\.w3\.org' "$f" | wc -l | tr -d ' ')"
  done
  expect_no_grep "inline SVG: no namespace URL" 'xmlns' "$HW/index.html"
fi
# ---- a realistic workload (agentcost gen), when the generator is built ----
# 35 days from Mon 2025-06-02, 200 tasks a day, seed 1: its ground truth names
# the prompt-injection incident (a task type whose tasks ran away); the
# incident report's dearest tasks must be those, with their LLM calls and cost.
if "$AGENTCOST" gen --days 1 --tasks-per-day 1 -q -o "$T/probe.jsonl" >/dev/null 2>&1; then
  export AGENTCOST_DB=$T/gen.db
  expect_rc "gen" 0 ac gen --days 35 --tasks-per-day 200 -q -o "$T/gen.jsonl" --truth "$T/truth.json"
  expect_rc "gen: ingest" 0 ac ingest "$T/gen.jsonl"
  expect_rc "gen: weekly" 0 ac report weekly -o "$T/gw"
  expect_grep "gen: the newest span's week" "^weekly report 2025-W27:" "$T/out"
  expect_eq "gen: 4 weeks of days" 29 "$(wc -l <"$T/gw/daily.csv")"
  if [ "$(tail -n +2 "$T/gw/frontier.csv" | wc -l)" -gt 0 ]; then ok; else fail "gen: no frontier"; fi
  if [ "$(tail -n +2 "$T/gw/recommended_map.csv" | wc -l)" -gt 0 ]; then ok; else fail "gen: empty map"; fi
  if [ "$have_gnuplot" = 1 ]; then
    expect_eq "gen: 5 charts" 5 "$(ls "$T/gw"/*.svg | wc -l | tr -d ' ')"
  fi
  from=$(jq -r .incident.start "$T/truth.json")
  to=$(jq -r .incident.end "$T/truth.json")
  ttype=$(jq -r .incident.task_type "$T/truth.json")
  expect_rc "gen: incident" 0 ac report incident --from "$from" --to "$to" -o "$T/gi"
  n=$(jq -r .incident.tasks "$T/truth.json")
  expect_eq "gen: the dearest tasks are the incident's" "$(yes "$ttype" | head -n "$n" | tr '\n' ' ')" \
    "$(sed -n "2,$((n + 1))p" "$T/gi/top_tasks.csv" | cut -d, -f3 | tr '\n' ' ')"
  expect_eq "gen: their LLM calls" "$(jq -r .incident.llm_calls "$T/truth.json")" \
    "$(sed -n "2,$((n + 1))p" "$T/gi/top_tasks.csv" | awk -F, '{ s += $9 } END { print s }')"
  expect_close "gen: their cost" "$(jq -r .incident.cost "$T/truth.json")" \
    "$(sed -n "2,$((n + 1))p" "$T/gi/top_tasks.csv" | awk -F, '{ s += $8 } END { printf "%.9f", s }')" 1e-6
else
  echo "t_report.sh: agentcost gen is not built: the realistic workload checks are skipped" >&2
fi

# ---- terminal control sequences in the text output ---------------------------
# A service, task type, span name and (unpriced) model carrying ESC [2J (clear
# the screen), an OSC title with BEL, and CR: no listing's text output may pass
# ESC, BEL or CR to the terminal (they print as ?), including the lines written
# outside tables (summary's unpriced models, task's header, recommend's
# sentences); JSON keeps the text (escaped).
export AGENTCOST_DB=$T/esc.db
printf '%s\n' '{"trace_id":"000000000000000000000000000000c1","span_id":"c100000000000001","name":"x\u001b[2Jy","start_time_unix_nano":1751328000000000000,"end_time_unix_nano":1751328001000000000,"attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"evil\u001b]0;pwned\u0007m\r","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":0,"agentcost.task.type":"t\u001b[31mred"},"resource":{"service.name":"s\u001b[2Jvc"}}' >"$T/esc.jsonl"
expect_rc "esc: ingest" 0 ac ingest "$T/esc.jsonl"
nesc=0
for c in summary "summary --unpriced" tasks "tasks --each" models hidden outliers "top user" spc \
         "task 000000000000000000000000000000c1" "prices list" recommend; do
  # shellcheck disable=SC2086
  ac $c >"$T/esc.out" 2>&1
  if LC_ALL=C grep -q "$(printf '[\033\007\r]')" "$T/esc.out"; then
    fail "esc: $c writes a control character: $(LC_ALL=C grep -n "$(printf '[\033\007\r]')" "$T/esc.out" | head -1 | od -c | head -2 | tr -s ' ')"
  else nesc=$((nesc + 1)); fi
done
expect_eq "esc: 12 listings without control characters" 12 "$nesc"
expect_grep "esc: summary names the model, escaped" 'evil\?\]0;pwned\?m\?' "$(ac summary >"$T/esc.s" 2>&1; echo "$T/esc.s")"
expect_eq "esc: JSON keeps the text" 'evil\u001b]0;pwned\u0007m\r' \
  "$(ac summary --format json | jq -c '.unpriced_models[0]' | sed 's/^"//; s/"$//')"

# ---- incident: a store that begins less than 7 days before the window --------
# unit-model costs 1 USD per million input tokens (testdata/spc/prices.csv):
# 1.0 at 10:30 on 06-02 and 06-03, 3.0 at 10:30 on 06-04. The window
# 06-04 10:00-11:00 against the same minutes of the days before: the store
# begins on 06-02, so 2 days (a day before it is not known, not a day of no
# spend): mean (1 + 1) / 2 = 1, least 1, most 1, excess 3 - 1 = 2; over 7
# days (an earlier build) the mean was 2 / 7 = 0.2857.
export AGENTCOST_DB=$T/inc2.db
for d in 02:1000000 03:1000000 04:3000000; do
  day=${d%%:*}; tok=${d#*:}; ts=$(date -u -d "2025-06-${day}T10:30:00Z" +%s)
  printf '{"trace_id":"0000000000000000000000000000%04d","span_id":"00000000000000%02d","name":"chat","start_time_unix_nano":%s000000000,"end_time_unix_nano":%s000000000,"attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"unit-model","gen_ai.usage.input_tokens":%s,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"svc"}}\n' \
    "$day" "$day" "$ts" "$((ts + 1))" "$tok"
done >"$T/inc2.jsonl"
expect_rc "short store: prices" 0 ac prices import "$SRC/testdata/spc/prices.csv"
expect_rc "short store: ingest" 0 ac ingest "$T/inc2.jsonl"
expect_rc "short store: incident" 0 ac report incident --from 2025-06-04T10:00:00Z --to 2025-06-04T11:00:00Z -o "$T/inc2"
expect_eq "short store: 10:30 against 2 days (spend, mean, least, most, excess)" "2025-06-04T10:30,3,1,1,1,2" \
  "$(grep '^2025-06-04T10:30,' "$T/inc2/timeline.csv")"
expect_eq "short store: breakdown's baseline over 2 days" "model,unit-model,3,1,2,1,1,0" \
  "$(grep '^model,' "$T/inc2/breakdown.csv")"
expect_grep "short store: the report says how many days" "the 2 days before \(not 7: the store's first span" "$T/inc2/report.md"
finish
