#!/usr/bin/env python3
"""Write shape.jsonl, the budget forecast fixture (tests/cli/t_budget.sh).

Flat JSONL, one span a line, each LLM call its own task (trace) unless said.
Prices (prices.csv): unit-model $1 per million input tokens, other-model $2;
no output tokens, so a call of N input tokens on unit-model costs N / 1e6.

ann (resource team=search): one call every hour, of cost week multiplier x
base, where base is $1 in the hours 00-11 and $3 in the hours 12-23 of
Monday to Friday, and $0.50 every hour of Saturday and Sunday (UTC):
  week of 2025-04-28 (Mon) to 05-04: x10 (before every history window but
                                        the month's, which holds May 4)
  weeks of 05-05, 05-12, 05-19, 05-26: x1, x2, x3, x2 (the history of the
                                        week 2025-06-02; their mean is x2)
  2025-06-02 00:00 to 06-04 11:00:      x3 (the current week, up to --now
                                        2025-06-04T12:00:00Z)
  2025-06-04 12:00 to 23:00:            x30 (after --now: never counted
                                        when --now is 12:00)
cal: 2025-06-03 10:00, other-model, $6 (3,000,000 tokens); no history.
eve: Saturdays 2025-05-10, 17, 24, 31 at 10:00, $2 each; 2025-06-02 05:00 $1.
ivy: Mondays 2025-05-05, 12, 19, 26 at 10:00, $1 each; 2025-06-02 10:00 $4.
(no user): 2025-06-03 09:00, $0.25.
fay/gus: one task 2025-06-03 08:00: the root (an agent span, no cost) says
  user.id fay, its LLM child (08:00:01, $2) says gus: the task, and so the
  $2, is fay's.

The expected figures are worked out by hand in t_budget.sh, not by running
this script's numbers through anything.
"""
import datetime as dt
import json
import sys

UTC = dt.timezone.utc
lines = []
n = 0


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def span(t, cost, user=None, model="unit-model", team=None, parent=None, trace=None,
         agent=False, per_mtok=1.0):
    global n
    n += 1
    trace = trace or "b0d9%028x" % n
    sid = "%016x" % (0xb0d9000000000000 + n)
    attrs = {}
    if agent:
        attrs["gen_ai.operation.name"] = "invoke_agent"
    else:
        attrs.update({"gen_ai.operation.name": "chat", "gen_ai.request.model": model,
                      "gen_ai.usage.input_tokens": round(cost / per_mtok * 1e6),
                      "gen_ai.usage.output_tokens": 0})
    if user:
        attrs["user.id"] = user
    res = {"service.name": "shop"}
    if team:
        res["team"] = team
    lines.append(json.dumps({"trace_id": trace, "span_id": sid, "parent_span_id": parent,
                             "name": "agent" if agent else "chat " + model,
                             "start_time": iso(t), "end_time": iso(t), "status": "UNSET",
                             "attributes": attrs, "resource": res}, separators=(",", ":")))
    return trace, sid


def base(t):
    if t.weekday() >= 5:
        return 0.5
    return 1.0 if t.hour < 12 else 3.0


def ann():
    weeks = [("2025-04-28", 10), ("2025-05-05", 1), ("2025-05-12", 2), ("2025-05-19", 3),
             ("2025-05-26", 2)]
    for day, mult in weeks:
        t0 = dt.datetime.fromisoformat(day).replace(tzinfo=UTC)
        for h in range(7 * 24):
            t = t0 + dt.timedelta(hours=h)
            span(t, mult * base(t), user="ann", team="search")
    t0 = dt.datetime(2025, 6, 2, tzinfo=UTC)
    for h in range(2 * 24 + 24):
        t = t0 + dt.timedelta(hours=h)
        span(t, (3 if h < 2 * 24 + 12 else 30) * base(t), user="ann", team="search")


def others():
    d = lambda s: dt.datetime.fromisoformat(s).replace(tzinfo=UTC)
    span(d("2025-06-03T10:00:00"), 6, user="cal", model="other-model", per_mtok=2.0)
    for day in ("2025-05-10", "2025-05-17", "2025-05-24", "2025-05-31"):
        span(d(day + "T10:00:00"), 2, user="eve")
    span(d("2025-06-02T05:00:00"), 1, user="eve")
    for day in ("2025-05-05", "2025-05-12", "2025-05-19", "2025-05-26"):
        span(d(day + "T10:00:00"), 1, user="ivy")
    span(d("2025-06-02T10:00:00"), 4, user="ivy")
    span(d("2025-06-03T09:00:00"), 0.25)
    trace, root = span(d("2025-06-03T08:00:00"), 0, user="fay", agent=True)
    span(d("2025-06-03T08:00:01"), 2, user="gus", parent=root, trace=trace)


ann()
others()
with open(sys.argv[1] if len(sys.argv) > 1 else "shape.jsonl", "w") as f:
    f.write("\n".join(lines) + "\n")
