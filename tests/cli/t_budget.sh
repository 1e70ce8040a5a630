#!/usr/bin/env bash
# agentcost budget check FILE (issue #17 item 5; src/analysis/budget.h): the
# budget file, the periods (UTC day, ISO week from Monday, calendar month:
# month ends, leap days, a week across a year's end), spent (the calls
# starting in [period_start, --now), by their TASK's value; model: the
# call's own), the forecast (the past 4 weeks' weekday x hour shape scaled
# by this period's level; linear without history), the statuses, exit 4.
#
# Every expected figure below is worked out by hand from the fixtures'
# descriptions (testdata/budget/gen_shape.py's docstring, the edges table
# further down), never from agentcost's output. Prices (testdata/budget/
# prices.csv): unit-model $1 per million input tokens, other-model $2.
. "$(dirname "$0")/lib.sh"

D="$SRC/testdata/budget"
ac prices import "$D/prices.csv" >/dev/null || fail "prices import"
expect_rc "ingest shape.jsonl" 0 ac ingest "$D/shape.jsonl"

# one budget file, one run; row N of the output is budget line N+1 (or, for
# a * line, its values by spent)
run() { # NOW FORMAT: budget check of $T/b.csv into $T/out, exit status in $T/rc
  ac budget check "$T/b.csv" --now "$1" --format "${2:-json}" >"$T/out" 2>"$T/err"
  echo $? >"$T/rc"
}
field() { # ROW KEY: from the JSON in $T/out
  jq -r ".budgets[$1].$2" "$T/out"
}

# --- the week of 2025-06-02 (Mon) at --now 2025-06-04T12:00:00Z (Wed noon) ---
cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,ann,week,800
user,ann,day,200
user,ann,month,4000
EOF
run 2025-06-04T12:00:00Z
expect_eq "ok budgets: exit 0" 0 "$(cat "$T/rc")"
# ann, week. Base: weekdays $1 (00-11h) and $3 (12-23h), weekends $0.50/h.
# spent: Mon and Tue at x3 = 2 x 3 x (12 x 1 + 12 x 3) = 288, Wed 00-11h at
#   x3 = 3 x 12 = 36: 324 (the x30 calls from Wed 12:00 on are after --now).
# history: the 4 weeks before 2025-06-02 (x1, x2, x3, x2): each slot's mean
#   is 2 x base (the x10 week of 04-28 is outside it).
# baseline (elapsed slots Mon 00h .. Wed 11h): 2 x (48 + 48 + 12) = 216
# ratio = 324 / 216 = 1.5
# expected (Wed 12-23h, Thu, Fri, Sat, Sun): 2 x (36 + 48 + 48 + 12 + 12) = 312
# forecast = 324 + 1.5 x 312 = 792 (linear would say 324 x 168/60 = 907.2)
expect_eq "week: period_start" 2025-06-02 "$(field 0 period_start)"
expect_eq "week: scope, value, period" "user ann week" "$(jq -r '.budgets[0] | "\(.scope) \(.value) \(.period)"' "$T/out")"
expect_close "week: spent" 324 "$(field 0 spent)"
expect_close "week: limit" 800 "$(field 0 limit)"
expect_close "week: share 324/800" 0.405 "$(field 0 share)"
expect_close "week: forecast" 792 "$(field 0 forecast)" 1e-6
expect_eq "week: ok (324 < 640, 792 <= 800)" ok "$(field 0 status)"
# ann, day 2025-06-04: spent Wed 00-11h at x3 = 36; history [05-07, 06-04):
# Wednesdays 05-07 x1, 05-14 x2, 05-21 x3, 05-28 x2: mean 2 x base;
# baseline 2 x 12 = 24, ratio 36/24 = 1.5, expected 2 x 12 x 3 = 72;
# forecast = 36 + 1.5 x 72 = 144
expect_eq "day: period_start" 2025-06-04 "$(field 1 period_start)"
expect_close "day: spent" 36 "$(field 1 spent)"
expect_close "day: forecast" 144 "$(field 1 forecast)" 1e-6
# ann, month 2025-06-01 (a Sunday): spent Sun 06-01 (week of 05-26, x2) =
#   24 x 0.5 x 2 = 24, + 324 = 348.
# history [05-04, 06-01): Sundays 05-04 x10, 05-11 x1, 05-18 x2, 05-25 x3:
#   mean 4 x 0.5 = $2/h; every other slot mean 2 x base.
# baseline: Sun 24 x 2 = 48, Mon 96, Tue 96, Wed 00-11h 24: 264
# expected: Wed 12-23h 72, Thu 06-05 96, Fri 96, Sat 06-07 24, Sun 06-08 48,
#   three whole weeks 06-09..06-29 of 5 x 96 + 24 + 48 = 552 each (1656),
#   Mon 06-30 96: 2088
# forecast = 348 + 348 x 2088 / 264 = 348 x 2352 / 264 = 3100.363636...
expect_eq "month: period_start" 2025-06-01 "$(field 2 period_start)"
expect_close "month: spent" 348 "$(field 2 spent)"
expect_close "month: forecast" 3100.3636363636 "$(field 2 forecast)" 1e-6
expect_close "month: share 348/4000" 0.087 "$(field 2 share)"

# --now inside an hour: 12:30 counts half of the Wed 12h slot on each side.
# week: spent 324 + the Wed 12:00 call (x30 x 3 = 90) = 414;
#   baseline 216 + 0.5 x 6 = 219; expected 312 - 0.5 x 6 = 309;
#   forecast = 414 + 414 x 309/219 = 414 x 528/219 = 998.1369863...
# day: spent 36 + 90 = 126; baseline 24 + 3 = 27; expected 72 - 3 = 69;
#   forecast = 126 + 126 x 69/27 = 448
run 2025-06-04T12:30:00Z
expect_close "12:30: week spent" 414 "$(field 0 spent)"
expect_close "12:30: week forecast" 998.1369863014 "$(field 0 forecast)" 1e-6
expect_eq "12:30: week warn (forecast over 800)" warn "$(field 0 status)"
expect_close "12:30: day spent" 126 "$(field 1 spent)"
expect_close "12:30: day forecast" 448 "$(field 1 forecast)" 1e-6

# --- * expansion, task attribution, (none), all, model, attr:KEY -----------
cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,*,week,100
all,,week,1000
all,*,week,1000
model,*,week,1000
model,unit-model,week,1000
attr:team,search,week,1000
user,gus,week,1
user,nobody,week,1
user,(none),week,1
EOF
run 2025-06-04T12:00:00Z
# user,*: every user that spent in [06-02, 06-04 12:00), by spent:
#   ann 324; cal 6 (other-model, 3M tokens x $2); ivy 4; fay 2 (the task's
#   root says fay, its call says gus: the task's value wins); eve 1;
#   (none) 0.25 (a task without a user). gus spent nothing as a task value.
expect_eq "user,*: the values, by spent" "ann cal ivy fay eve (none)" \
  "$(jq -r '[.budgets[0:6][].value] | join(" ")' "$T/out")"
expect_eq "user,*: scope and period on every row" "user week user week" \
  "$(jq -r '[.budgets[1], .budgets[5]] | map("\(.scope) \(.period)") | join(" ")' "$T/out")"
expect_close "user,*: ann" 324 "$(field 0 spent)"
expect_eq "user,*: ann over 100" over "$(field 0 status)"
expect_close "user,*: cal" 6 "$(field 1 spent)"
# cal: no spend in the 4 weeks before: linear, 6 x 168h / 60h = 16.8
expect_close "user,*: cal forecast (linear)" 16.8 "$(field 1 forecast)" 1e-9
# ivy: history Mondays 10:00 $1 (mean 1); this Monday 10:00 $4:
#   baseline 1, ratio 4, expected 0 (no Monday 10:00 left): forecast 4
expect_close "user,*: ivy" 4 "$(field 2 spent)"
expect_close "user,*: ivy forecast" 4 "$(field 2 forecast)" 1e-9
expect_close "user,*: fay" 2 "$(field 3 spent)"
expect_close "user,*: fay forecast (linear 2 x 2.8)" 5.6 "$(field 3 forecast)" 1e-9
# eve: history Saturdays 10:00 $2 (mean 2), this Monday 05:00 $1:
#   baseline 0 (no Saturday elapsed) so ratio 1; expected 2: forecast 3
expect_close "user,*: eve" 1 "$(field 4 spent)"
expect_close "user,*: eve forecast (ratio 1)" 3 "$(field 4 forecast)" 1e-9
expect_close "user,*: (none)" 0.25 "$(field 5 spent)"
expect_close "user,*: (none) forecast (linear 0.25 x 2.8)" 0.7 "$(field 5 forecast)" 1e-9
expect_eq "user,*: others ok" "ok ok ok ok ok" "$(jq -r '[.budgets[1:6][].status] | join(" ")' "$T/out")"
# all: 324 + 6 + 4 + 2 + 1 + 0.25 = 337.25; baseline ann 216 + ivy 1 = 217,
#   expected ann 312 + eve 2 = 314; forecast = 337.25 x (217 + 314)/217
#   = 337.25 x 531 / 217 = 825.252304...
expect_eq "all (empty value): value *" "all *" "$(jq -r '.budgets[6] | "\(.scope) \(.value)"' "$T/out")"
expect_close "all: spent" 337.25 "$(field 6 spent)"
expect_close "all: forecast" 825.2523041475 "$(field 6 forecast)" 1e-6
expect_close "all,*: the same" 337.25 "$(field 7 spent)"
# model,*: each call's own model: unit-model 337.25 - 6 = 331.25, other-model
#   6 (the agent span without a model cost nothing: not listed)
expect_eq "model,*: values" "unit-model other-model" "$(jq -r '[.budgets[8:10][].value] | join(" ")' "$T/out")"
expect_close "model,*: unit-model" 331.25 "$(field 8 spent)"
# unit-model: baseline 217, expected 314 (ann, ivy, eve all on unit-model):
#   331.25 x 531/217 = 810.570276...
expect_close "model,*: unit-model forecast" 810.5702764977 "$(field 8 forecast)" 1e-6
expect_close "model,*: other-model" 6 "$(field 9 spent)"
expect_close "model,unit-model" 331.25 "$(field 10 spent)"
# attr:team (a resource attribute): only ann's calls say team=search
expect_close "attr:team,search: spent" 324 "$(field 11 spent)"
expect_close "attr:team,search: forecast" 792 "$(field 11 forecast)" 1e-6
expect_eq "attr:team: the scope as written" attr:team "$(field 11 scope)"
# the same with team promoted (dims add: read from span_dim, not the originals)
cp "$T/out" "$T/unpromoted.json"
ac dims add team >/dev/null || fail "dims add team"
run 2025-06-04T12:00:00Z
expect_eq "promoted attr:team: the same output" "$(cat "$T/unpromoted.json")" "$(cat "$T/out")"
ac dims drop team >/dev/null || fail "dims drop team"
# gus: a user on a call of fay's task: nothing attributed to gus
expect_eq "gus: one row, spent 0, ok" "gus 0 0 ok" \
  "$(jq -r '.budgets[12] | "\(.value) \(.spent) \(.forecast) \(.status)"' "$T/out")"
expect_eq "a value with no spend: spent 0, ok" "nobody 0 0 0 ok" \
  "$(jq -r '.budgets[13] | "\(.value) \(.spent) \(.share) \(.forecast) \(.status)"' "$T/out")"
expect_close "(none) named: the tasks without a user" 0.25 "$(field 14 spent)"
expect_eq "15 rows" 15 "$(jq '.budgets | length' "$T/out")"
expect_eq "ann over: exit 4" 4 "$(cat "$T/rc")"

# budgets of one scope and period share a pass: still one row per budget,
# in file order, a value named twice gets both rows
cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,cal,week,10
all,,week,1000
user,ann,week,300
user,*,week,5
user,cal,week,5
user,nobody,week,1
model,other-model,week,1
EOF
run 2025-06-04T12:00:00Z
expect_eq "shared passes: rows in file order" "cal * ann ann cal ivy fay eve (none) cal nobody other-model" \
  "$(jq -r '[.budgets[].value] | join(" ")' "$T/out")"
expect_eq "shared passes: limits" "10 1000 300 5 5 5 5 5 5 5 1 1" "$(jq -r '[.budgets[].limit] | join(" ")' "$T/out")"
# cal 6 < 8 but forecast 16.8 > 10: warn; all 337.25, 825.25: ok; ann 324 >
# 300: over; under 5: ann, cal over, ivy 4 >= 4 warn, fay forecast 5.6 > 5
# warn, eve (1, 3) and (none) (0.25, 0.7) ok; cal 6 > 5 over; nobody ok;
# other-model 6 > 1 over
expect_eq "shared passes: statuses" "warn ok over over over warn warn ok ok over ok over" \
  "$(jq -r '[.budgets[].status] | join(" ")' "$T/out")"
expect_close "shared passes: the second cal" 6 "$(field 9 spent)"

# --- statuses at their boundaries (ivy: spent 4, forecast 4) ----------------
cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,ivy,week,5
user,ivy,week,5.01
user,ivy,week,4
user,ivy,week,3.99
user,ann,week,791
user,ann,week,792
EOF
run 2025-06-04T12:00:00Z
# 4 >= 0.8 x 5 = 4: warn; 4 < 0.8 x 5.01 = 4.008: ok; 4 > 4 no: warn (not
# over); 4 > 3.99: over; ann's forecast 792 > 791: warn; 792 > 792 no and
# 324 < 633.6: ok
expect_eq "statuses" "warn ok warn over warn ok" "$(jq -r '[.budgets[].status] | join(" ")' "$T/out")"
expect_close "share 4/5" 0.8 "$(field 0 share)"
expect_eq "an over budget: exit 4" 4 "$(cat "$T/rc")"
sed -i '/3.99/d' "$T/b.csv"
run 2025-06-04T12:00:00Z
expect_eq "warn but none over: exit 0" 0 "$(cat "$T/rc")"

# --- formats ---------------------------------------------------------------
cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,ann,week,300
user,=HYPERLINK(1),day,5
EOF
run 2025-06-04T12:00:00Z csv
expect_eq "csv header" "scope,value,period,period_start,spent,limit,share,forecast,status" "$(head -1 "$T/out")"
expect_eq "csv row" "user,ann,week,2025-06-02,324,300,1.08,792,over" "$(sed -n 2p "$T/out")"
expect_grep "csv: a hostile value is guarded" "^user,'=HYPERLINK\(1\),day," "$T/out"
expect_eq "csv: over, exit 4 after printing" "4 3" "$(cat "$T/rc") $(wc -l <"$T/out")"
run 2025-06-04T12:00:00Z json
expect_eq "json keys" "scope value period period_start spent limit share forecast status" \
  "$(jq -r '.budgets[0] | keys_unsorted | join(" ")' "$T/out")"
run 2025-06-04T12:00:00Z table
expect_grep "table header" "^scope +value +period +period_start +spent +limit +share +forecast +status" "$T/out"
expect_grep "table row" "^user +ann +week +2025-06-02 +324\.0000 +300\.0000 .*792\.0000 +over" "$T/out"

# --- calendar edges (testdata/budget/edges.jsonl, unit-model calls):
#   yul 2024-12-31T12:00 $1.4    zed 2025-01-31T10:00 $3.1, 2025-02-01T00:00 $0.5
#   lea 2024-02-10T00:00 $2.9, 2024-02-29T06:00 $0.7    moe 2025-02-10T00:20 $2.8
export AGENTCOST_DB="$T/edges.db"
ac prices import "$D/prices.csv" >/dev/null || fail "prices import (edges)"
expect_rc "ingest edges.jsonl" 0 ac ingest "$D/edges.jsonl"
cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,yul,week,10
user,yul,month,10
user,yul,day,10
EOF
# --now 2025-01-01 (a date: its 00:00, a Wednesday). The ISO week began on
# Monday 2024-12-30: spent 1.4; no history [12-02, 12-30): linear over the 2
# days elapsed, 1.4 x 7/2 = 4.9. January: nothing yet; history [12-04, 01-01)
# has Tue 12h $1.4 (mean 0.35); baseline 0 so ratio 1; January's Tuesdays
# 12h (7, 14, 21, 28): forecast 4 x 0.35 = 1.4. The day: 0, and the history
# holds no Wednesday: forecast 0.
run 2025-01-01
expect_eq "week across the year's end: period_start" "2024-12-30 2025-01-01 2025-01-01" \
  "$(jq -r '[.budgets[].period_start] | join(" ")' "$T/out")"
expect_close "yul week spent" 1.4 "$(field 0 spent)"
expect_close "yul week forecast (linear)" 4.9 "$(field 0 forecast)" 1e-9
expect_close "yul month spent (a new month)" 0 "$(field 1 spent)"
expect_close "yul month forecast (4 Tuesdays)" 1.4 "$(field 1 forecast)" 1e-9
expect_close "yul day forecast" 0 "$(field 2 forecast)"

# December ends on the 31st too: 2024-12-31T18:00, yul's 12:00 call spent;
# no history [11-03, 12-01): linear over 30 d 18 h = 738 h of 744:
# 1.4 x 744/738 = 1.4113821138...
run 2024-12-31T18:00:00Z
expect_eq "December" 2024-12-01 "$(field 1 period_start)"
expect_close "December: linear over 31 days" 1.4113821138 "$(field 1 forecast)" 1e-9

# period starts against Python's datetime (an independent calendar): day,
# ISO week (date - weekday()), month (day=1), around leap days, year ends,
# a century that is not leap (2100) and before 1970 (negative times)
cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
all,,day,1
all,,week,1
all,,month,1
EOF
for now in 2024-02-29T23:59:59Z 2024-03-01T00:00:00Z 2000-02-29T12:00:00Z 2100-02-28T12:00:00Z \
           2100-03-01T00:00:00Z 2026-01-01T00:00:00Z 2027-01-03T23:00:00Z 1969-12-31T23:00:00Z \
           1970-01-01T00:00:00Z 2025-06-08T23:59:59Z 2025-06-09T00:00:00Z; do
  run "$now"
  want=$(python3 -c 'import datetime as dt, sys
d = dt.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").date()
print(d, d - dt.timedelta(days=d.weekday()), d.replace(day=1))' "$now")
  expect_eq "period starts at $now" "$want" "$(jq -r '[.budgets[].period_start] | join(" ")' "$T/out")"
done

cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,zed,month,10
user,zed,day,10
user,zed,week,10
EOF
# 2025-01-31T23:00: January (31 days = 744 h, 743 elapsed): 3.1, linear
# 3.1 x 744/743 = 3.1041722746...; the day: 3.1 x 24/23 = 3.2347826087...;
# the week of Mon 01-27 (4 days 23 h = 119 h of 168): 3.1 x 168/119 = 4.3764705882...
run 2025-01-31T23:00:00Z
expect_eq "Jan 31: periods" "2025-01-01 2025-01-31 2025-01-27" "$(jq -r '[.budgets[].period_start] | join(" ")' "$T/out")"
expect_close "Jan 31: month forecast" 3.1041722746 "$(field 0 forecast)" 1e-9
expect_close "Jan 31: day forecast" 3.2347826087 "$(field 1 forecast)" 1e-9
expect_close "Jan 31: week forecast" 4.3764705882 "$(field 2 forecast)" 1e-9
# 2025-02-01T00:00: February begins; its 00:00 call is not before --now:
# spent 0; history [01-04, 02-01): Fri 10h $3.1 (mean 0.775), February's
# Fridays 7, 14, 21, 28: forecast 3.1. The week still holds Jan 31: 3.1, no
# history for zed in [12-30, 01-27): linear over 5 days, 3.1 x 7/5 = 4.34.
run 2025-02-01T00:00:00Z
expect_eq "Feb 1: periods" "2025-02-01 2025-02-01 2025-01-27" "$(jq -r '[.budgets[].period_start] | join(" ")' "$T/out")"
expect_close "Feb 1: month spent" 0 "$(field 0 spent)"
expect_close "Feb 1: month forecast" 3.1 "$(field 0 forecast)" 1e-9
expect_close "Feb 1: week spent" 3.1 "$(field 2 spent)"
expect_close "Feb 1: week forecast" 4.34 "$(field 2 forecast)" 1e-9
# 00:30: the 00:00 call counts (0.5); baseline (Sat 00h) 0: ratio 1,
# forecast 0.5 + 3.1 = 3.6; the week 3.6
run 2025-02-01T00:30:00Z
expect_close "Feb 1 00:30: month spent" 0.5 "$(field 0 spent)"
expect_close "Feb 1 00:30: month forecast" 3.6 "$(field 0 forecast)" 1e-9
expect_close "Feb 1 00:30: week spent" 3.6 "$(field 2 spent)"

cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,lea,month,10
user,lea,day,10
user,lea,week,10
EOF
# 2024 is a leap year. --now 2024-02-15: February has 29 days, 14 elapsed:
# 2.9 x 29/14 = 6.0071428571...
run 2024-02-15
expect_eq "leap Feb: month start" 2024-02-01 "$(field 0 period_start)"
expect_close "leap Feb: linear over 29 days" 6.0071428571 "$(field 0 forecast)" 1e-9
# 2024-02-29T12:00 (a Thursday): month 2.9 + 0.7 = 3.6 over 28 d 12 h = 684 h
# of 696: 3.6 x 696/684 = 3.6631578947...; the day 02-29: 0.7, history
# [02-01, 02-29) has Sat 00h only: ratio 1, nothing left: 0.7; the week of
# Mon 02-26: 0.7, history [01-29, 02-26) Sat 00h $2.9; the store begins
# with that call (02-10 00:00), so the Saturday 00h of 02-03 is not known:
# 3 weeks (02-10, 02-17, 02-24), mean 2.9 / 3; Sat 03-02 00h still to come:
# 0.7 + 0.9666666667 = 1.6666666667 (over 4 weeks, as if the store had
# seen 02-03 without spend: 1.425)
run 2024-02-29T12:00:00Z
expect_eq "leap day: periods" "2024-02-01 2024-02-29 2024-02-26" "$(jq -r '[.budgets[].period_start] | join(" ")' "$T/out")"
expect_close "leap day: month spent" 3.6 "$(field 0 spent)"
expect_close "leap day: month forecast" 3.6631578947 "$(field 0 forecast)" 1e-9
expect_close "leap day: day forecast" 0.7 "$(field 1 forecast)" 1e-9
expect_close "leap day: week forecast (3 known weeks)" 1.6666666667 "$(field 2 forecast)" 1e-9

cat >"$T/b.csv" <<'EOF'
scope,value,period,limit_usd
user,moe,month,5
EOF
# 2025 is not: 2025-02-15, 14 of 28 days: 2.8 x 28/14 = 5.6 > 5: warn
run 2025-02-15
expect_close "Feb 2025: linear over 28 days" 5.6 "$(field 0 forecast)" 1e-9
expect_eq "Feb 2025: warn by the forecast" warn "$(field 0 status)"
run 2025-02-28T23:59:59Z
expect_eq "Feb 28 23:59:59 is still February" 2025-02-01 "$(field 0 period_start)"
# March: spent 0; history [02-01, 03-01): Mon 00h $2.8 (mean 0.7); March
# 2025 has five Mondays (3, 10, 17, 24, 31): 5 x 0.7 = 3.5
run 2025-03-01
expect_eq "March" 2025-03-01 "$(field 0 period_start)"
expect_close "March: five Mondays" 3.5 "$(field 0 forecast)" 1e-9
# no --now: just after the newest span (moe's 2025-02-10T00:20), which counts
ac budget check "$T/b.csv" --format json >"$T/out" 2>"$T/err"
expect_eq "default --now: February" 2025-02-01 "$(field 0 period_start)"
expect_close "default --now: the newest call counts" 2.8 "$(field 0 spent)"
# linear over 9 days 20 minutes (and 1 ns) = 216 1/3 h of 672:
# 2.8 x 672 / 216.3333 = 1881.6 / 216.3333 = 8.6976887...
expect_close "default --now: forecast" 8.6976887519 "$(field 0 forecast)" 1e-6

# --- bad input: FILE:LINE: reason, exit 2, nothing checked -----------------
printf 'scope,value,period,limit_usd\nteam,x,day,5\nuser,alice,year,5\nuser,alice,day,$5\n\nuser,alice,day,-1\nuser,,day,5\nall,bob,day,5\nuser,alice,day\nuser,alice,day,0\nuser,alice,day,5\n' >"$T/bad.csv"
expect_rc "bad rows: exit 2" 2 ac budget check "$T/bad.csv" --now 2025-01-01
expect_eq "bad rows: nothing on stdout" "" "$(cat "$T/out")"
expect_grep "unknown scope" "bad.csv:2: unknown dimension \"team\"" "$T/err"
expect_grep "unknown period" "bad.csv:3: unknown period \"year\"" "$T/err"
expect_grep "a dollar sign" "bad.csv:4: limit_usd \"\\\$5\" is not a positive amount" "$T/err"
expect_grep "negative (line 6: the blank line 5 counts)" "bad.csv:6: limit_usd \"-1\"" "$T/err"
expect_grep "no value" "bad.csv:7: no value" "$T/err"
expect_grep "all with a value" "bad.csv:8: scope all takes the value \* or nothing" "$T/err"
expect_grep "three cells" "bad.csv:9: expected 4 cells" "$T/err"
expect_grep "zero" "bad.csv:10: limit_usd \"0\"" "$T/err"
expect_no_grep "the good row is not reported" "bad.csv:11" "$T/err"
expect_grep "the count" "8 bad budget rows: nothing checked" "$T/err"
printf 'scope,value,period,limit\nuser,a,day,5\n' >"$T/bad.csv"
expect_rc "wrong header: exit 2" 2 ac budget check "$T/bad.csv" --now 2025-01-01
expect_grep "wrong header" "bad.csv:1: the header must be scope,value,period,limit_usd" "$T/err"
printf 'scope,value,period,limit_usd\nuser,"alice,day,5\n' >"$T/bad.csv"
expect_rc "malformed csv: exit 2" 2 ac budget check "$T/bad.csv" --now 2025-01-01
expect_grep "malformed csv" "bad.csv:[0-9]+: malformed csv" "$T/err"
: >"$T/bad.csv"
expect_rc "empty file: exit 2" 2 ac budget check "$T/bad.csv" --now 2025-01-01
expect_grep "empty file" "bad.csv:1: empty file" "$T/err"
# a spreadsheet's file: byte order mark, CRLF, quoted cells, a blank line
printf '\xef\xbb\xbfscope,value,period,limit_usd\r\n\r\n"user","moe","month","10"\r\n' >"$T/ok.csv"
expect_rc "BOM, CRLF, quotes: accepted" 0 ac budget check "$T/ok.csv" --now 2025-02-15 --format csv
expect_eq "BOM, CRLF, quotes: the row" "user,moe,month,2025-02-01,2.8,10,0.28,5.6,ok" "$(sed -n 2p "$T/out")"
expect_rc "missing file: exit 1" 1 ac budget check "$T/nosuch.csv"
expect_rc "bad --now: exit 2" 2 ac budget check "$T/ok.csv" --now yesterday
expect_grep "bad --now" "--now takes an ISO time" "$T/err"
expect_rc "no FILE: exit 2" 2 ac budget check
expect_rc "no subcommand: exit 2" 2 ac budget
expect_rc "unknown subcommand: exit 2" 2 ac budget list "$T/ok.csv"
expect_rc "--since does not apply: exit 2" 2 ac budget check "$T/ok.csv" --since 2025-01-01
expect_rc "stdin" 0 ac budget check - --now 2025-02-15 <"$T/ok.csv"
ac --db "$T/empty.db" prices import "$D/prices.csv" >/dev/null || fail "an empty store"
expect_rc "an empty store, no --now: exit 2" 2 ac --db "$T/empty.db" budget check "$T/ok.csv"
expect_grep "an empty store" "no spans: give the time" "$T/err"

finish
