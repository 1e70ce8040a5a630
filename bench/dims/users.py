#!/usr/bin/env python3
"""A workload with a million distinct users, for bench/dims.sh.

OTLP JSON lines as the Collector's file exporter writes them: spans in the
order they end (a task's two LLM calls, then its root), batches of up to
8192 spans or one simulated 200 ms tick, each batch grouped by resource, so
a task's spans spread over records and every record mixes tasks. Every task
is one user's: user i has task i for the first N tasks (so N distinct users
exist), then Zipf-like repeats; user.id on the root span; a team resource
attribute from the user. Written to standard output.

usage: users.py USERS TASKS
"""
import heapq
import json
import random
import sys

users, tasks = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(11)
T0 = 1748822400 * 10**9  # 2025-06-02T00:00:00Z
TEAMS = ["search", "billing", "growth", "platform"]
out = sys.stdout
batch, pending = [], []


def kv(k, v):
    return {"key": k, "value": {"stringValue": v}}


def resource(team):
    return {"attributes": [kv("service.name", "doc-agent"), kv("team", team)]}


def flush():
    global batch
    if not batch:
        return
    groups = {}
    for team, span in batch:
        groups.setdefault(team, []).append(span)
    rec = {"resourceSpans": [{"resource": resource(t), "scopeSpans": [
        {"scope": {"name": "bench"}, "spans": s}]} for t, s in groups.items()]}
    out.write(json.dumps(rec, separators=(",", ":")))
    out.write("\n")
    batch = []


def llm(tid, sid, parent, start, tin, tout):
    return {"traceId": tid, "spanId": sid, "parentSpanId": parent, "name": "chat gpt-4o-mini",
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 400_000_000),
            "attributes": [kv("gen_ai.operation.name", "chat"),
                           kv("gen_ai.request.model", "gpt-4o-mini"),
                           {"key": "gen_ai.usage.input_tokens", "value": {"intValue": str(tin)}},
                           {"key": "gen_ai.usage.output_tokens", "value": {"intValue": str(tout)}}],
            "status": {}}


step = 86400 * 10**9 // max(tasks, 1)  # a day of tasks
tick = 200_000_000
next_tick = T0 + tick
ended = []  # (end_ns, seq, team, span): spans not yet ended at the current time
seq = 0


def emit_until(now):
    """Hand the batch processor every span that ended before now, in end
    order: a batch goes out at 8192 spans or at each 200 ms tick."""
    global next_tick
    while ended and ended[0][0] <= now:
        end, _, team, span = heapq.heappop(ended)
        if end >= next_tick:
            flush()
            next_tick = end // tick * tick + tick
        batch.append((team, span))
        if len(batch) == 8192:
            flush()


for i in range(tasks):
    u = i if i < users else min(int(rnd.paretovariate(1.1)) - 1, users - 1)
    user = "u%07d" % u
    team = TEAMS[(u * 2654435761) % 4 % len(TEAMS)]
    tid = "%032x" % (i + 1)
    start = T0 + i * step
    emit_until(start)
    root = "%016x" % (2 * i + 1)
    dur = 5_000_000_000 + (i * 7919 % 40) * 1_000_000_000  # 5 to 44 s
    spans = [llm(tid, "%016x" % ((2 * i + 2) << 20), root, start + 1_000_000, 500 + i % 3000, 100 + i % 700),
             llm(tid, "%016x" % ((2 * i + 2) << 20 | 1), root, start + dur // 2, 800, 50 + i % 300)]
    spans.append({"traceId": tid, "spanId": root, "name": "invoke_agent",
                  "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + dur),
                  "attributes": [kv("user.id", user), kv("gen_ai.operation.name", "invoke_agent")],
                  "status": {}})
    for sp in spans:
        seq += 1
        heapq.heappush(ended, (int(sp["endTimeUnixNano"]), seq, team, sp))
emit_until(1 << 62)
flush()
