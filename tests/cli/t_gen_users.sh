#!/usr/bin/env bash
# agentcost gen --users N (issue #17, "who spent it"): every task gets a user
# (user.id, Zipf-distributed), a session (session.id) and a team (a resource
# attribute), with the truth per user (--truth-users CSV) and per team
# (--truth JSON). Checked independently: python3 reads the generated OTLP
# (the Collector layout, traces spread over records), works out each task's
# user by the issue's rule (the root's user.id, else the earliest span that
# has one, else "(none)"), and counts tasks per user, team and session; the
# per-user cost comes from agentcost's own pricing (ingest, then the span
# table summed per trace) joined with python's trace -> user map. Without
# --users nothing changes, and with it only attributes are added: the flat
# JSONL with the three attributes cut out is the output without --users,
# byte for byte, and every other truth figure is the same.
. "$(dirname "$0")/lib.sh"

G="--days 7 --tasks-per-day 200"

# python3 check: rel A B [REL] -> exit 0 when |A - B| <= REL x |A| (default 1e-6)
expect_rel() {
  if python3 -c 'import sys; a, b, r = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
sys.exit(not abs(a - b) <= r * abs(a))' "$2" "$3" "${4:-1e-6}"; then ok; else
    fail "$1: expected $2 (rel ${4:-1e-6}), got [$3]"
  fi
}

expect_rc "gen --users 1000" 0 ac gen $G --users 1000 -q -o "$T/u.jsonl" --truth "$T/u.json" \
  --truth-users "$T/u.csv"
tr() { jq -r "$1" "$T/u.json"; }
csum() { awk -F, -v c="$1" 'NR > 1 { s += $c } END { printf "%.17g\n", s }' "$T/u.csv"; }

# 1. The truth adds up: per-user rows (with "(none)") sum to the production
# and eval totals; so do the teams.
expect_eq "csv header" "user,tasks,cost,eval_tasks,eval_cost" "$(head -1 "$T/u.csv")"
expect_eq "csv: (none) last" "(none)" "$(tail -1 "$T/u.csv" | cut -d, -f1)"
expect_eq "users: production tasks" "$(tr .tasks.prod)" "$(csum 2)"
expect_rel "users: production cost" "$(tr .cost.prod)" "$(csum 3)"
expect_eq "users: eval tasks" "$(tr .tasks.eval)" "$(csum 4)"
expect_rel "users: eval cost" "$(tr .cost.eval)" "$(csum 5)"
expect_eq "csv rows = users with tasks + (none)" "$(($(tr .users.with_tasks) + 2))" "$(wc -l <"$T/u.csv")"
expect_eq "truth: (none) tasks = csv" "$(tr .users.none.tasks)" "$(tail -1 "$T/u.csv" | cut -d, -f2)"
expect_eq "teams: production tasks" "$(tr .tasks.prod)" "$(tr '[.teams[].tasks] | add')"
expect_rel "teams: production cost" "$(tr .cost.prod)" "$(tr '[.teams[].cost] | add')"
expect_eq "teams: eval tasks" "$(tr .tasks.eval)" "$(tr '[.teams[].eval_tasks] | add')"
expect_eq "traces by carrier = all tasks" "$(tr .tasks.all)" \
  "$(tr '.users.traces.root + .users.traces.child + .users.traces.none')"
expect_eq "options name the users" 1000 "$(tr .options.users)"

# 2. The file, read independently (python3): per trace its environment,
# team(s), the user by the rule, session; the checks print "name value" lines.
python3 - "$T/u.jsonl" "$T/u.csv" >"$T/py.out" 2>"$T/py.err" <<'EOF'
import json, sys
traces = {}
def sv(attrs):
    return {a["key"]: a["value"].get("stringValue") for a in attrs}
for line in open(sys.argv[1]):
    for rs in json.loads(line)["resourceSpans"]:
        res = sv(rs["resource"]["attributes"])
        for ss in rs["scopeSpans"]:
            for sp in ss["spans"]:
                tr = traces.setdefault(sp["traceId"], {"spans": [], "teams": set(), "env": set()})
                tr["teams"].add(res.get("team"))
                tr["env"].add(res["deployment.environment.name"])
                tr["spans"].append(sp)
count = {}            # user -> [prod tasks, eval tasks]
team_of = {}          # user -> teams seen
child = none = decoy = 0
sess_user = {}        # session -> users
seq = {}              # user -> [(root start, session)]
bad = []
users = {}            # trace -> (user, eval)
for tid, tr in traces.items():
    if len(tr["teams"]) != 1 or None in tr["teams"] or len(tr["env"]) != 1:
        bad.append("trace %s resources %s %s" % (tid, tr["teams"], tr["env"]))
        continue
    roots = [s for s in tr["spans"] if "parentSpanId" not in s]
    root = roots[0]
    ra = sv(root["attributes"])
    carriers = sorted(((int(s["startTimeUnixNano"]), s["spanId"], sv(s["attributes"])["user.id"])
                       for s in tr["spans"] if "user.id" in sv(s["attributes"])))
    if "user.id" in ra:
        user = ra["user.id"]
        if len(carriers) != 1:
            bad.append("trace %s: root user and child users" % tid)
    elif carriers:
        user = carriers[0][2]
        child += 1
        decoy += len(carriers) > 1 and carriers[1][2] != user
    else:
        user = "(none)"
        none += 1
    ev = tr["env"].pop() == "eval"
    users[tid] = (user, int(ev))
    count.setdefault(user, [0, 0])[ev] += 1
    team_of.setdefault(user, set()).add(tr["teams"].pop())
    s = ra.get("session.id")
    if (s is None) != (user == "(none)"):
        bad.append("trace %s: user %s session %s" % (tid, user, s))
    if s is not None:
        sess_user.setdefault(s, set()).add(user)
        seq.setdefault(user, []).append((int(root["startTimeUnixNano"]), s))
truth = {}
for i, row in enumerate(open(sys.argv[2])):
    if i:
        u, t, c, et, ec = row.strip().split(",")
        truth[u] = [int(t), int(et)]
print("traces", len(traces))
print("bad", len(bad), *bad[:3])
print("per_user_counts_equal", int(count == truth))
print("child", child)
print("none", none)
print("decoy", decoy)
print("teams_per_user_max", max(len(v) for u, v in team_of.items() if u != "(none)"))
print("none_team", ",".join(sorted(team_of.get("(none)", {"-"}))))
print("sessions", len(sess_user))
print("users_per_session_max", max(len(v) for v in sess_user.values()))
# a session: 1..6 consecutive tasks of its user (in start order)
sizes, split = {}, 0
for u, l in seq.items():
    l.sort()
    last = None
    for _, s in l:
        sizes[s] = sizes.get(s, 0) + 1
        if s != last and s in sizes and sizes[s] > 1:
            split += 1
        last = s
print("session_size", min(sizes.values()), max(sizes.values()))
print("sessions_split", split)
prod = sorted((v[0] for u, v in count.items() if u != "(none)"), reverse=True)
print("top1pct_share_pct", int(100 * sum(prod[:10]) / sum(prod)))
# trace -> user, for the cost join below
with open(sys.argv[1] + ".users", "w") as f:
    for tid, (u, ev) in users.items():
        f.write("%s %s %d\n" % (tid, u, ev))
EOF
expect_rc "python read the file" 0 test -s "$T/py.out"
py() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$T/py.out"; }
expect_eq "every trace: one environment, one team on every resource" "0" "$(py bad)"
expect_eq "traces in the file = tasks" "$(tr .tasks.all)" "$(py traces)"
expect_eq "tasks per user (prod, eval) from the file = the truth csv" 1 "$(py per_user_counts_equal)"
expect_eq "child-span carriers = truth" "$(tr .users.traces.child)" "$(py child)"
expect_eq "no user = truth" "$(tr .users.traces.none)" "$(py none)"
expect_eq "decoys = truth" "$(tr .users.traces.decoy)" "$(py decoy)"
# about 3% and 2% of some 1700 tasks: a few dozen each
share_ok() { awk -v n="$1" -v all="$(tr .tasks.all)" -v lo="$2" -v hi="$3" 'BEGIN { s = n / all; exit !(n > 0 && s >= lo && s <= hi) }'; }
if share_ok "$(py child)" 0.015 0.045; then ok; else fail "child-span share: $(py child) of $(tr .tasks.all)"; fi
if share_ok "$(py none)" 0.01 0.035; then ok; else fail "no-user share: $(py none) of $(tr .tasks.all)"; fi
expect_rc "some decoys" 0 test "$(py decoy)" -gt 0
expect_eq "a user is in one team" 1 "$(py teams_per_user_max)"
expect_eq "tasks with no user: team platform" platform "$(py none_team)"
expect_eq "sessions = truth" "$(tr .users.sessions)" "$(py sessions)"
expect_eq "a session belongs to one user" 1 "$(py users_per_session_max)"
expect_eq "sessions of 1..6 tasks" "1 6" "$(py session_size)"
expect_eq "a session's tasks are consecutive tasks of its user" 0 "$(py sessions_split)"
# 3. Per-user cost as agentcost prices it: the store's spans summed per trace,
# attributed by python's trace -> user map, against the truth (1e-6 relative
# per user: the generator prices with its own copy of the prices).
expect_rc "ingest" 0 ac ingest "$T/u.jsonl"
sql "SELECT lower(hex(t.trace_id)), printf('%.17g', total(s.cost_usd)) FROM span s JOIN trace t ON t.id = s.trace
     GROUP BY s.trace" >"$T/trace_cost"
python3 - "$T/u.jsonl.users" "$T/trace_cost" "$T/u.csv" >"$T/cost.out" <<'EOF'
import sys
who = dict((l.split()[0], l.split()[1:]) for l in open(sys.argv[1]))
cost = {}
for l in open(sys.argv[2]):
    tid, c = l.strip().split("|")
    u, ev = who.pop(tid)
    if ev == "0":
        cost[u] = cost.get(u, 0.0) + float(c)
bad = []
for i, row in enumerate(open(sys.argv[3])):
    if i:
        u, t, c = row.split(",")[:3]
        got = cost.pop(u, 0.0)
        if abs(got - float(c)) > 1e-6 * abs(float(c)):
            bad.append("%s truth %s store %.17g" % (u, c, got))
print(len(who), len(cost), len(bad), *bad[:3])
EOF
expect_eq "per-user production cost: store = truth (every trace, every user)" "0 0 0" "$(cat "$T/cost.out")"

# Zipf 1.1 over 1000 users: the top 10 would hold sum(k^-1.1, k=1..10) /
# sum(k^-1.1, k=1..1000) = 2.68 / 5.57 = 48% of the tasks (expected)
top=$(py top1pct_share_pct)
if [ "${top:-0}" -gt 20 ]; then ok; else fail "top 1% of users hold $top% of tasks (want > 20%)"; fi
# 4. Nothing else changes. Flat JSONL (one span a line, in the same order
# whatever the resources): cut user.id, session.id and team out and the
# bytes are those of the run without --users; OTLP (Collector layout, where
# resources now split by team): the same spans, attribute for attribute;
# every truth figure but the users' and the output's is the same.
expect_rc "gen jsonl" 0 ac gen $G -q --format jsonl -o "$T/plain.flat" --truth "$T/plain.json"
expect_rc "gen jsonl --users" 0 ac gen $G -q --format jsonl --users 1000 -o "$T/u.flat"
sed -e 's/,"user\.id":"u[0-9]*"//g' -e 's/,"session\.id":"s[0-9]*"//' -e 's/,"team":"[a-z]*"}}$/}}/' \
  "$T/u.flat" >"$T/u.flat.cut"
expect_rc "jsonl: --users only adds the three attributes" 0 cmp "$T/plain.flat" "$T/u.flat.cut"
expect_rc "jsonl: and it did add them" 1 cmp -s "$T/plain.flat" "$T/u.flat"
expect_rc "gen otlp" 0 ac gen $G -q -o "$T/plain.jsonl"
spans() { # FILE: every span with its resource, the new attributes cut, sorted
  python3 - "$1" <<'EOF'
import json, sys
out = []
for line in open(sys.argv[1]):
    for rs in json.loads(line)["resourceSpans"]:
        res = [a for a in rs["resource"]["attributes"] if a["key"] != "team"]
        for ss in rs["scopeSpans"]:
            for sp in ss["spans"]:
                sp["attributes"] = [a for a in sp["attributes"] if a["key"] not in ("user.id", "session.id")]
                out.append(json.dumps([res, ss["scope"], sp], sort_keys=True))
out.sort()
print(len(out))
sys.stdout.write("\n".join(out) + "\n")
EOF
}
spans "$T/plain.jsonl" >"$T/plain.spans"
spans "$T/u.jsonl" >"$T/u.spans"
expect_eq "otlp: the same spans ($(head -1 "$T/plain.spans"))" "$(md5sum <"$T/plain.spans")" "$(md5sum <"$T/u.spans")"
python3 - "$T/plain.json" "$T/u.json" >"$T/tdiff" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for k in ("users", "teams"):
    b.pop(k)
b["options"].pop("users")
b["options"]["format"] = a["options"]["format"]
a.pop("output"), b.pop("output")
print("same" if a == b else "differ")
EOF
expect_eq "truth: every other figure the same" same "$(cat "$T/tdiff")"
expect_eq "no users key without --users" "null null null" \
  "$(jq -c '[.users, .teams, .options.users] | map(tostring) | join(" ")' -r "$T/plain.json")"

# 5. The trace layout: the same users, sessions and teams (tasks run in the
# same order), resources split by team there too.
expect_rc "gen --layout trace --users" 0 ac gen $G -q --layout trace --users 1000 -o "$T/t.jsonl" \
  --truth "$T/t.json" --truth-users "$T/t.csv"
expect_rc "trace layout: the same per-user truth" 0 cmp "$T/u.csv" "$T/t.csv"
expect_eq "trace layout: the same teams" "$(jq -c .teams "$T/u.json")" "$(jq -c .teams "$T/t.json")"
spans "$T/t.jsonl" >"$T/t.spans"
expect_eq "trace layout: the same spans" "$(md5sum <"$T/u.spans")" "$(md5sum <"$T/t.spans")"
expect_rc "same options, same bytes" 0 sh -c '"$AGENTCOST" gen '"$G"' -q --users 1000 | cmp - "$1"' sh "$T/u.jsonl"

# 6. The sampler: over 5 users, the share of tasks with a user that each
# holds is k^-1.1 / sum(j^-1.1, j=1..5) = 1, .4665, .2987, .2176, .1703 over
# 2.1531: .4644, .2167, .1387, .1011, .0791, within 4 standard deviations
# (exponent 1.0 would give .4380 for the first: 8 sd off at this size, 24183 tasks).
expect_rc "gen --users 5" 0 ac gen --days 7 --tasks-per-day 3000 --users 5 -q -o /dev/null \
  --truth-users "$T/5.csv"
expect_eq "5 users: ids" "u000000 u000001 u000002 u000003 u000004 (none)" "$(cut -d, -f1 "$T/5.csv" | sed 1d | xargs)"
awk -F, 'NR > 1 && $1 != "(none)" { n[NR - 2] = $2 + $4; all += $2 + $4 }
  END { split(".4644 .2167 .1387 .1011 .0791", p, " ")
        for (k = 1; k <= 5; k++) { sd = sqrt(p[k] * (1 - p[k]) / all); d = n[k - 1] / all - p[k]
          if (d < 0) d = -d; if (d > 4 * sd) { print "user " k - 1 ": " n[k - 1] / all " vs " p[k]; bad = 1 } }
        exit bad }' "$T/5.csv" >"$T/zipf.out"
expect_eq "5 users: Zipf 1.1 shares" "" "$(cat "$T/zipf.out")"

# 7. A million users: no table of N, ids of six digits, memory as without users
# (the users seen are kept, not N).
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f %M -o "$T/rss0" "$AGENTCOST" gen --days 1 --tasks-per-day 20000 -q -o /dev/null
  /usr/bin/time -f %M -o "$T/rss1" "$AGENTCOST" gen --days 1 --tasks-per-day 20000 --users 1000000 -q \
    -o /dev/null --truth-users "$T/m.csv" --truth "$T/m.json"
  if [ "$(cat "$T/rss1")" -le $(($(cat "$T/rss0") + 16384)) ]; then ok; else
    fail "1M users: peak RSS $(cat "$T/rss1") kB, without users $(cat "$T/rss0") kB"
  fi
else
  expect_rc "gen --users 1000000" 0 ac gen --days 1 --tasks-per-day 20000 --users 1000000 -q -o /dev/null \
    --truth-users "$T/m.csv" --truth "$T/m.json"
fi
expect_eq "1M users: every id u + 6 digits, below 1000000" 0 \
  "$(sed 1d "$T/m.csv" | grep -v '^(none),' | grep -cv '^u[0-9]\{6\},')"
expect_eq "1M users: csv rows" "$(($(jq .users.with_tasks "$T/m.json") + 2))" "$(wc -l <"$T/m.csv")"
# the heaviest user: 1 / sum(k^-1.1, k=1..1e6) = 1 / 8.07 = 12% of the tasks with a user
expect_eq "1M users: u000000 the heaviest" u000000 "$(sed 1d "$T/m.csv" | sort -t, -k2,2nr | head -1 | cut -d, -f1)"

# 8. Bad options.
expect_rc "--users 0" 2 ac gen --users 0
expect_grep "--users message" "users" "$T/err"
expect_rc "--users x" 2 ac gen --users x
expect_rc "--users 100000001" 2 ac gen --users 100000001
expect_rc "--truth-users without --users" 2 ac gen --truth-users "$T/x.csv"
expect_grep "--truth-users message" "needs --users" "$T/err"
expect_rc "--truth-users - with the workload on stdout" 2 ac gen --users 5 --truth-users -
expect_rc "--truth-users unwritable" 1 ac gen --days 1 --tasks-per-day 5 --users 5 -o /dev/null \
  --truth-users "$T/no/such/dir/u.csv"
finish
