#!/usr/bin/env bash
# agentcost spc: daily (and hourly) spend, the trailing band, alerts and the
# Western Electric run rules (src/analysis/spc.h). Every expectation by hand.
#
# testdata/spc/prices.csv prices unit-model at 1.00 USD per million input
# tokens, so a span of N million input tokens costs N USD. In
# testdata/spc/spend.jsonl each span is its own trace (its own task), except
# where said; days are 2025-03-01 (d0), 03-02 (d1), ...
#   flat      d0..d7 1 each (d0's span at 03-01T23:59:59.999999999Z, d1's at
#             03-02T00:00:00Z, d7's at 03-08T23:59:59.999999999Z), d8 (03-09)
#             3 = a root span of 2 at 00:00:00 + a child span of 1 at 00:00:01
#             sent by service "helper" (it counts for flat, its task's system),
#             d9 no span (counts 0), d10 1 from an eval task (eval counts).
#   eight     2,0,2,0,2,0,2,0,2,0 (the 0s: no span), then 1.2 x 8 (d10..d17)
#   twothree  3,1,3,1,3,1,3,1,3,1, 6, 2, 6
#   fourfive  3,1,3,1,3,1,3,1,3,1, 3.5, 3.5, 3.5, 3.5
#   storm     3,1,3,1,3,1,3,1, 10, 20, 40, 80
#   hourly    on 2025-03-01: 1 in each hour 00..07 (at HH:30), none in 08, 5 in 09
# Sample sd uses n - 1. Fractions are exact; decimals rounded to 10 places.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/spc

expect_rc "import prices" 0 ac prices import "$D/prices.csv"
expect_rc "ingest" 0 ac ingest "$D/spend.jsonl"

# line N (1-based, header = 1) of a CSV
csvline() { sed -n "${2}p" "$1"; }

# ---- flat, default --window 30 --min-history 7 --sigma 2 ----------------
# d0..d6: fewer than 7 days of history: mean, sd, ucl null, no alert.
# d7 = 1: history 1 x 7: mean 1, sd 0, ucl 1; 1 is not above 1: no alert.
# d8 = 3: history 1 x 8: mean 1, sd 0, ucl 1: alert.
# d9 = 0: history 1 x 8, 3: mean 11/9; ss = 8 (2/9)^2 + (16/9)^2 = 288/81,
#   var = 288/81/8 = 4/9, sd = 2/3; ucl = 11/9 + 4/3 = 23/9 = 2.5555555556.
# d10 = 1: history 1 x 8, 3, 0: mean 1.1; ss = 8 (0.01) + 1.9^2 + 1.1^2 = 4.9,
#   sd = sqrt(4.9/9) = 0.7378647874; ucl = 1.1 + 1.4757295747 = 2.5757295747.
expect_rc "flat csv" 0 ac spc --system flat --format csv
cp "$T/out" "$T/flat.csv"
expect_eq "csv header" "day,cost,mean,sd,ucl,alert,rules" "$(csvline "$T/flat.csv" 1)"
expect_eq "11 days, the empty one included" 12 "$(wc -l <"$T/flat.csv")"
expect_eq "d0: no history yet" "2025-03-01,1,,,,false," "$(csvline "$T/flat.csv" 2)"
expect_eq "d6: 6 days of history, still null" "2025-03-07,1,,,,false," "$(csvline "$T/flat.csv" 8)"
expect_eq "d7: sd 0, equal to ucl: no alert" "2025-03-08,1,1,0,1,false," "$(csvline "$T/flat.csv" 9)"
expect_eq "d8: helper's span counts for flat; above ucl 1: alert" "2025-03-09,3,1,0,1,true," "$(csvline "$T/flat.csv" 10)"
expect_eq "d9: a day without spend counts 0" "2025-03-10,0" "$(csvline "$T/flat.csv" 11 | cut -d, -f1,2)"
ac spc --system flat --format json >"$T/flat.json"
fj() { jq -r ".days[$1] | $2" "$T/flat.json"; }
expect_eq "json top-level keys" "window,sigma,days" "$(jq -r 'keys_unsorted | join(",")' "$T/flat.json")"
expect_eq "json window, sigma" "30|2" "$(jq -r '"\(.window)|\(.sigma)"' "$T/flat.json")"
expect_eq "json day keys" "day,cost,mean,sd,ucl,alert,rules" "$(fj 0 'keys_unsorted | join(",")')"
expect_eq "json d0 nulls" "null|null|null|false|0" "$(fj 0 '"\(.mean)|\(.sd)|\(.ucl)|\(.alert)|\(.rules | length)"')"
expect_eq "json d8 exactly" '{"day":"2025-03-09","cost":3,"mean":1,"sd":0,"ucl":1,"alert":true,"rules":[]}' \
  "$(grep '"2025-03-09"' "$T/flat.json" | sed 's/,$//')"
expect_close "d9 mean 11/9" 1.2222222222 "$(fj 9 .mean)" 1e-9
expect_close "d9 sd 2/3" 0.6666666667 "$(fj 9 .sd)" 1e-9
expect_close "d9 ucl 23/9" 2.5555555556 "$(fj 9 .ucl)" 1e-9
expect_eq "d9 no alert" false "$(fj 9 .alert)"
expect_eq "d10: eval spend counts" 1 "$(fj 10 .cost)"
expect_close "d10 mean" 1.1 "$(fj 10 .mean)" 1e-12
expect_close "d10 sd" 0.7378647874 "$(fj 10 .sd)" 1e-9
expect_close "d10 ucl" 2.5757295747 "$(fj 10 .ucl)" 1e-9
expect_rc "table" 0 ac spc --system flat
expect_grep "table header" "^day +cost +mean +sd +ucl +alert +rules" "$T/out"
expect_grep "table alert row" "^2025-03-09 +3\.0000 +1\.0000 +0\.0000 +1\.0000 +true" "$T/out"
expect_grep "table null row" "^2025-03-01 +1\.0000 +- +- +- +false" "$T/out"

# ---- --window 3 --min-history 2 --sigma 1 on flat -----------------------
# d0, d1: fewer than 2 days: null. d2..d7: history of 1s: mean 1, sd 0, ucl 1.
# d8 = 3: history d5..d7 = 1,1,1: ucl 1: alert.
# d9 = 0: history d6..d8 = 1,1,3: mean 5/3; ss = 2 (2/3)^2 + (4/3)^2 = 24/9,
#   var = 4/3, sd = 1.1547005384; ucl = 5/3 + 1 sd = 2.8213672050.
# d10 = 1: history d7..d9 = 1,3,0: mean 4/3; ss = (1 + 25 + 16)/9 = 42/9,
#   var = 7/3, sd = 1.5275252317; ucl = 4/3 + sd = 2.8608585650.
ac spc --system flat --window 3 --min-history 2 --sigma 1 --format json >"$T/w3.json"
wj() { jq -r ".days[$1] | $2" "$T/w3.json"; }
expect_eq "w3: window and sigma echoed" "3|1" "$(jq -r '"\(.window)|\(.sigma)"' "$T/w3.json")"
expect_eq "w3: d1 null" null "$(wj 1 .mean)"
expect_eq "w3: d2 band from 2 days" "1|0|1|false" "$(wj 2 '"\(.mean)|\(.sd)|\(.ucl)|\(.alert)"')"
expect_eq "w3: d8 alert" true "$(wj 8 .alert)"
expect_close "w3: d9 mean 5/3" 1.6666666667 "$(wj 9 .mean)" 1e-9
expect_close "w3: d9 sd" 1.1547005384 "$(wj 9 .sd)" 1e-9
expect_close "w3: d9 ucl (1 sigma)" 2.8213672050 "$(wj 9 .ucl)" 1e-9
expect_close "w3: d10 mean 4/3 (only the last 3 days)" 1.3333333333 "$(wj 10 .mean)" 1e-9
expect_close "w3: d10 sd" 1.5275252317 "$(wj 10 .sd)" 1e-9
expect_close "w3: d10 ucl" 2.8608585650 "$(wj 10 .ucl)" 1e-9
expect_eq "w3: no rules anywhere" 0 "$(jq '[.days[].rules[]] | length' "$T/w3.json")"
# --window 5 alone lowers the history needed to 5: d4 null, d5 mean 1
ac spc --system flat --window 5 --format json >"$T/w5.json"
expect_eq "--window 5: d4 null, d5 band" "null|1" "$(jq -r '"\(.days[4].mean)|\(.days[5].mean)"' "$T/w5.json")"
# --min-history 9: d8 (8 days of history) null, so no alert; d9 band from 9 days (11/9)
ac spc --system flat --min-history 9 --format json >"$T/m9.json"
expect_eq "--min-history 9: d8 null, no alert" "null|false" "$(jq -r '"\(.days[8].ucl)|\(.days[8].alert)"' "$T/m9.json")"
expect_close "--min-history 9: d9 mean 11/9" 1.2222222222 "$(jq -r '.days[9].mean' "$T/m9.json")" 1e-9

# ---- the Western Electric rules ------------------------------------------
# twothree: d10 = 6: history 3,1 x 5: mean 2, sd sqrt(10/9) = 1.0540925534,
#   mean + 2 sd = 4.1081851068 < 6: beyond 2 sigma, alert; d8, d9 are not.
# d11 = 2 < mean 26/11. d12 = 6: history sum 28, mean 7/3; ss = 5 (2/3)^2 +
#   5 (4/3)^2 + (11/3)^2 + (1/3)^2 = 222/9, sd = sqrt(222/99) = 1.4974726;
#   mean + 2 sd = 5.3282785 < 6: beyond; d10 and d12 of d10..d12: we2of3.
#   Last five d8..d12 beyond 1 sigma: d10, d12 only: no we4of5.
ac spc --system twothree --format csv >"$T/23.csv"
expect_eq "twothree d10 alert, no rule" "2025-03-11,6,2,1.05409255339,4.10818510678,true," "$(csvline "$T/23.csv" 12)"
expect_eq "twothree d12 we2of3" "true,we2of3" "$(csvline "$T/23.csv" 14 | cut -d, -f6,7)"
expect_eq "twothree: one rule in all" 1 "$(grep -c 'we' "$T/23.csv")"
# --sigma 3: d12's ucl = 7/3 + 3 x 1.4974726 = 6.8257511 > 6: no alert, yet
# we2of3 (always 2 sigma) still fires: the rules are separate signals
ac spc --system twothree --sigma 3 --format csv >"$T/23s3.csv"
expect_eq "--sigma 3: d12 no alert, we2of3 stays" "false,we2of3" "$(csvline "$T/23s3.csv" 14 | cut -d, -f6,7)"
expect_close "--sigma 3: d10 ucl 2 + 3 x 1.0540925534" 5.1622776602 "$(csvline "$T/23s3.csv" 12 | cut -d, -f5)" 1e-9
# fourfive: 3.5 on d10..d13; 1-sigma limits 2 + 1.0540925534 = 3.0540925534,
#   23.5/11 + 1.0975178607 = 3.2338815, 2.25 + 1.1180339887 = 3.3680340,
#   30.5/13 + 1.1251780486 = 3.4713319: all beyond; 2-sigma limits (4.108,
#   4.331, 4.486, 4.597) never. d8 = 3 is within 2 + sqrt(8/7) = 3.069.
#   d13: d10..d13 of d9..d13 beyond 1 sigma: we4of5; d12: only 3 of d8..d12.
ac spc --system fourfive --format csv >"$T/45.csv"
expect_eq "fourfive: we4of5 on d13 only" "2025-03-14,3.5" "$(grep we4of5 "$T/45.csv" | cut -d, -f1,2)"
expect_eq "fourfive: no alert, no other rule" "0|1" "$(grep -c ',true,' "$T/45.csv")|$(grep -c 'we' "$T/45.csv")"
expect_close "fourfive d13 sd" 1.1251780486 "$(grep we4of5 "$T/45.csv" | cut -d, -f4)" 1e-9
# eight: every 1.2 day is above its mean (a mean of 2s, 0s and 1.2s with the
#   base's mean 1 is < 1.2) and below mean + sd; d17 = 8th in a row: we8above.
#   d17: mean 18.4/17 = 1.0823529412, ss = 5 (0.9176470588)^2 + 5 (1.0823529412)^2
#   + 7 (0.1176470588)^2 = 10.1647058824, sd = sqrt(ss/16) = 0.7970533970.
ac spc --system eight --format csv >"$T/8.csv"
expect_eq "eight: 18 days" 19 "$(wc -l <"$T/8.csv")"
expect_eq "eight: we8above on d17 only, no alert" "2025-03-18,1.2,false,we8above|1|0" \
  "$(grep we "$T/8.csv" | cut -d, -f1,2,6,7)|$(grep -c we "$T/8.csv")|$(grep -c ',true,' "$T/8.csv")"
expect_close "eight d17 mean" 1.0823529412 "$(csvline "$T/8.csv" 19 | cut -d, -f3)" 1e-9
expect_close "eight d17 sd" 0.7970533970 "$(csvline "$T/8.csv" 19 | cut -d, -f4)" 1e-9
# storm: 10, 20, 40, 80 after 3,1 x 4. d8: limit 2 + 2 sqrt(8/7) = 4.138: alert.
#   d9 = 20: mean 26/9, ss = 4 (1/9)^2 + 4 (17/9)^2 + (64/9)^2 = 5256/81,
#   sd = sqrt(5256/648) = 2.8480012484, limit 8.5848913858: we2of3 (d8, d9).
#   d11 = 80: mean 86/11 = 7.8181818182, sd 12.1146042595, 2-sigma limit 32.05;
#   1-sigma limits of d8..d11 (3.07, 5.74, 10.64, 19.93) all exceeded: of
#   d7..d11 four beyond 1 sigma: we4of5, and we2of3: joined with ';'.
ac spc --system storm --format csv >"$T/st.csv"
expect_eq "storm d9 we2of3" "2025-03-10,20,true,we2of3" "$(csvline "$T/st.csv" 11 | cut -d, -f1,2,6,7)"
expect_close "storm d9 sd" 2.8480012484 "$(csvline "$T/st.csv" 11 | cut -d, -f4)" 1e-9
expect_eq "storm d11: two rules" "2025-03-12,80,true,we2of3;we4of5" "$(csvline "$T/st.csv" 13 | cut -d, -f1,2,6,7)"
ac spc --system storm --format json >"$T/st.json"
expect_eq "json rules array" '["we2of3","we4of5"]' "$(jq -c '.days[11].rules' "$T/st.json")"

# ---- --hourly: window and history count hours ------------------------------
# h0..h6 null; h7 = 1: mean 1, sd 0, ucl 1, no alert; h8 = 0 (no span):
# history 1 x 8: no alert; h9 = 5: history 1 x 8, 0: mean 8/9, ss = 8/81 + 64/81,
# var = 1/9, sd = 1/3, ucl = 8/9 + 2/3 = 14/9 = 1.5555555556: alert.
ac spc --system hourly --hourly --format json >"$T/h.json"
expect_eq "hourly keys" "window,sigma,hours" "$(jq -r 'keys_unsorted | join(",")' "$T/h.json")"
expect_eq "hourly: 10 hours" 10 "$(jq '.hours | length' "$T/h.json")"
expect_eq "hourly: first" '{"hour":"2025-03-01T00:00Z","cost":1,"mean":null,"sd":null,"ucl":null,"alert":false,"rules":[]}' \
  "$(jq -c '.hours[0]' "$T/h.json")"
expect_eq "hourly: h8 empty hour counts 0, band 1/0" '{"hour":"2025-03-01T08:00Z","cost":0,"mean":1,"sd":0,"ucl":1,"alert":false,"rules":[]}' \
  "$(jq -c '.hours[8]' "$T/h.json")"
expect_close "hourly: h9 mean 8/9" 0.8888888889 "$(jq -r '.hours[9].mean' "$T/h.json")" 1e-9
expect_close "hourly: h9 sd 1/3" 0.3333333333 "$(jq -r '.hours[9].sd' "$T/h.json")" 1e-9
expect_close "hourly: h9 ucl 14/9" 1.5555555556 "$(jq -r '.hours[9].ucl' "$T/h.json")" 1e-9
expect_eq "hourly: h9 alert" true "$(jq -r '.hours[9].alert' "$T/h.json")"
ac spc --system hourly --hourly --format csv >"$T/h.csv"
expect_eq "hourly csv header" "hour,cost,mean,sd,ucl,alert,rules" "$(csvline "$T/h.csv" 1)"
# daily, the same system is one day of 8 x 1 + 5 = 13
expect_eq "hourly system daily: one day of 13" "2025-03-01,13,,,,false," "$(ac spc --system hourly --format csv | sed -n 2p)"

# ---- --by system: a band per system, spans by their task's system ----------
ac spc --by system --format json >"$T/by.json"
expect_eq "by system: keys" "window,sigma,systems" "$(jq -r 'keys_unsorted | join(",")' "$T/by.json")"
expect_eq "by system: systems by name, no helper" "eight,flat,fourfive,hourly,storm,twothree" \
  "$(jq -r '[.systems[].system] | join(",")' "$T/by.json")"
expect_eq "by system: days per system" "18,11,14,1,12,13" "$(jq -r '[.systems[].days | length] | join(",")' "$T/by.json")"
expect_eq "by system: flat same as --system flat" "$(jq -c .days "$T/flat.json")" \
  "$(jq -c '.systems[] | select(.system == "flat") | .days' "$T/by.json")"
ac spc --by system --format csv >"$T/by.csv"
expect_eq "by system csv header" "system,day,cost,mean,sd,ucl,alert,rules" "$(csvline "$T/by.csv" 1)"
expect_eq "by system csv rows" 70 "$(wc -l <"$T/by.csv")"
expect_eq "by system csv flat d8" "flat,2025-03-09,3,1,0,1,true," "$(grep '^flat,2025-03-09,' "$T/by.csv")"
expect_eq "by system hourly" "hours" "$(ac spc --by system --hourly --format json | jq -r '.systems[0] | keys_unsorted[1]')"

# ---- all systems together ------------------------------------------------
# 03-01: flat 1 + eight 2 + twothree 3 + fourfive 3 + storm 3 + hourly 13 = 25;
# 03-12: eight 1.2 + twothree 2 + fourfive 3.5 + storm 80 = 86.7; last day
# 03-18 (eight's d17): 18 days
ac spc --format csv >"$T/all.csv"
expect_eq "all: 18 days" 19 "$(wc -l <"$T/all.csv")"
expect_eq "all: 03-01" "2025-03-01,25" "$(csvline "$T/all.csv" 2 | cut -d, -f1,2)"
expect_close "all: 03-12" 86.7 "$(grep '^2025-03-12,' "$T/all.csv" | cut -d, -f2)" 1e-9

# ---- --since / --until: span start, since inclusive, until's whole day ------
# --since 03-02 drops d0 (03-01T23:59:59.999999999) and keeps d1 (03-02T00:00:00);
# --until 03-08 keeps d7 (03-08T23:59:59.999999999) and drops d8 (03-09T00:00:00):
# 7 days of 1 listed; the band still comes from the days before each, d0
# (03-01) too although --since leaves it out of the listing: 03-02..03-07
# have 1..6 days of history (null); 03-08 has 03-01..03-07 = 1 x 7: mean 1,
# sd 0, ucl 1, and 1 is not above it
ac spc --system flat --since 2025-03-02 --until 2025-03-08 --format csv >"$T/b.csv"
expect_eq "bounded: 7 days 03-02..03-08" "8|2025-03-02|2025-03-08" \
  "$(wc -l <"$T/b.csv")|$(csvline "$T/b.csv" 2 | cut -d, -f1)|$(csvline "$T/b.csv" 8 | cut -d, -f1)"
expect_eq "bounded: costs 1, no band before 7 days of history" "6" "$(grep -c ',1,,,,false,$' "$T/b.csv")"
expect_eq "bounded: 03-08's band from 03-01..03-07, before --since" "2025-03-08,1,1,0,1,false," \
  "$(csvline "$T/b.csv" 8)"
# the same day's band with and without --since (the window does not cut
# history): d10 = 1 on 03-11, its band computed above (mean 1.1, sd 0.7378...)
expect_eq "bounded: 03-11 is d10 of the unbounded listing" "2025-03-11,1,1.1,0.7378647" \
  "$(grep '^2025-03-11,' "$T/flat.csv" | cut -c1-26)"
expect_eq "bounded: 03-11 alone has the same band" "$(grep '^2025-03-11,' "$T/flat.csv")" \
  "$(ac spc --system flat --since 2025-03-11 --format csv | tail -n +2)"
# the same through the dimensions (--by task_type: one series per value, the
# values of the tasks before --since read too): flat's tasks are all of type
# "chat unit-model" (their root span's name)
expect_eq "bounded --by task_type: 03-11 has its band" \
  "chat unit-model,2025-03-11,1,1.1,0.737864787373,2.57572957475,false," \
  "$(ac spc --system flat --by task_type --since 2025-03-11 --format csv | tail -n +2)"
# an ISO time inside a day selects the whole day (a control chart compares
# whole periods): --since 03-09T00:00:00.5 --until 03-09T00:00:00.8 is d8,
# both its spans (3), its band from 03-01..03-08 = 1 x 8: ucl 1, alert;
# --until 03-08T12:00 keeps d7 (its span at 23:59:59.999999999)
expect_eq "a time inside a day: the whole day" "2025-03-09,3,1,0,1,true," \
  "$(ac spc --system flat --since 2025-03-09T00:00:00.500Z --until 2025-03-09T00:00:00.800Z --format csv | tail -n +2)"
expect_eq "--until inside a day: the whole day" "2025-03-08,1,1,0,1,false," \
  "$(ac spc --system flat --until 2025-03-08T12:00:00Z --format csv | tail -1)"
# --until 03-09 brings d8 (both its spans, 00:00:00 and 00:00:01): history
# 03-01..03-08 = 1 x 8: mean 1, sd 0, ucl 1: alert
expect_eq "bounded to 03-09: d8 alert on 7 days of history" "2025-03-09,3,1,0,1,true," \
  "$(ac spc --system flat --since 2025-03-02 --until 2025-03-09 --format csv | tail -1)"

# ---- nothing, and bad options ---------------------------------------------
expect_eq "no spend: empty days" '{"window":30,"sigma":2,"days":[]}' "$(ac spc --system nosuch --format json)"
expect_eq "no spend by system" '{"window":30,"sigma":2,"systems":[]}' "$(ac spc --system nosuch --by system --format json)"
expect_eq "no spend csv: header only" "day,cost,mean,sd,ucl,alert,rules" "$(ac spc --system nosuch --format csv)"
expect_rc "--window 1" 2 ac spc --window 1
expect_rc "--window 0" 2 ac spc --window 0
expect_rc "--window 2.5" 2 ac spc --window 2.5
expect_rc "--min-history 1" 2 ac spc --min-history 1
expect_rc "--min-history above --window" 2 ac spc --window 5 --min-history 6
expect_rc "--sigma -1" 2 ac spc --sigma -1
expect_rc "--sigma abc" 2 ac spc --sigma abc
expect_rc "--by task" 2 ac spc --by task
expect_rc "unknown option" 2 ac spc --bogus
expect_rc "--window=3 --min-history=2 form" 0 ac spc --system flat --window=3 --min-history=2 --format csv
expect_eq "--window=3 form same as --window 3" "$(ac spc --system flat --window 3 --min-history 2 --format csv)" "$(cat "$T/out")"
finish
