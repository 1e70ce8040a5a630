#!/usr/bin/env bash
# Dimensions against the generator's ground truth (issue #17 acceptance):
# gen --users writes users (Zipf), sessions and a team resource attribute,
# and the truth per user (--truth-users CSV) and per team (--truth JSON),
# counted by the generator as it writes, independently of agentcost's
# reading. top user / top attr:team must recover them exactly (tasks) and to
# 1e-6 USD (costs: the truth prices with its own copy of the prices), with
# and without the team promoted.
. "$(dirname "$0")/lib.sh"
expect_rc "gen --users" 0 ac gen --days 3 --tasks-per-day 200 --users 500 --seed 7 \
  -o "$T/g.jsonl" --truth "$T/truth.json" --truth-users "$T/users.csv"
expect_rc "ingest" 0 ac ingest "$T/g.jsonl"

# compare A B [COLS]: two CSVs keyed by their first column, tasks and cost
# columns as named; prints the mismatches (empty when equal)
compare() {
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import csv, sys
truth, got, tcol, ccol = sys.argv[1:5]
t = {}
for r in csv.DictReader(open(truth)):
    if int(r[tcol]) > 0:
        t[r["user"]] = (int(r[tcol]), float(r[ccol]))
a = {}
for r in csv.DictReader(open(got)):
    a[r["user"]] = (int(r["tasks"]), float(r["cost"]))
bad = [k for k in set(t) | set(a)
       if k not in t or k not in a or t[k][0] != a[k][0] or abs(t[k][1] - a[k][1]) > 1e-6]
print(len(t), len(a), " ".join(sorted(bad)[:5]))
PY
}
users=$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if int(r["tasks"]) > 0))' "$T/users.csv")
ac top user --limit 0 --format csv >"$T/top.csv"
expect_eq "top user = the truth per user (production)" "$users $users " "$(compare "$T/users.csv" "$T/top.csv" tasks cost)"
# with eval tasks: the truth's tasks + eval_tasks per user
python3 - "$T/users.csv" >"$T/users_all.csv" <<'PY'
import csv, sys
w = csv.writer(sys.stdout); w.writerow(["user", "tasks", "cost"])
for r in csv.DictReader(open(sys.argv[1])):
    w.writerow([r["user"], int(r["tasks"]) + int(r["eval_tasks"]), float(r["cost"]) + float(r["eval_cost"])])
PY
users_all=$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if int(r["tasks"]) > 0))' "$T/users_all.csv")
ac top user --limit 0 --include-eval --format csv >"$T/top_all.csv"
expect_eq "top user --include-eval = the truth with eval" "$users_all $users_all " \
  "$(compare "$T/users_all.csv" "$T/top_all.csv" tasks cost)"
# Zipf: the heaviest user (u000000) spends the most
expect_eq "the heaviest user first" "u000000" "$(sed -n 2p "$T/top.csv" | cut -d, -f1)"

# teams: a resource attribute, from the originals, then promoted
team_truth=$(jq -r '.teams | to_entries | sort_by(.key) | map("\(.key):\(.value.tasks):\(.value.cost * 1e6 | round)") | join(" ")' "$T/truth.json")
team_got() { ac top attr:team --format json | jq -r '.top | sort_by(.team) | map("\(.team):\(.tasks):\(.cost * 1e6 | round)") | join(" ")'; }
expect_eq "top attr:team = the truth per team (micro-USD)" "$team_truth" "$(team_got)"
expect_rc "dims add team" 0 ac dims add team
expect_eq "top attr:team promoted: the same" "$team_truth" "$(team_got)"
ac top user --limit 0 --where attr:team=growth --format csv >"$T/growth.csv"
expect_eq "top user --where attr:team=growth: tasks sum to the team's" \
  "$(jq -r '.teams.growth.tasks' "$T/truth.json")" \
  "$(tail -n +2 "$T/growth.csv" | awk -F, '{ n += $2 } END { print n }')"
finish
