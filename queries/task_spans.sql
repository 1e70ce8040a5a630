-- task_spans.sql: the spans of one task, for `agentcost task ID`.
-- Parameters: ?1 task.id.
-- Output: id, span_id, parent_span_id, start_ns, end_ns, step, status, name,
--         purpose, model, complexity (effective), tool, tokens_in, tokens_out,
--         cost_usd, cost_src
-- A trace's spans are the rowid range trace << 24 .. (trace << 24) + 2^24 - 1
-- (see schema/001_init.sql); a task grouped by agentcost.task.id reads each
-- trace listed in task_trace, keeping the spans assigned to it.
SELECT s.id, s.span_id, s.parent_span_id, s.start_ns, s.end_ns, s.step, s.status,
       n.name, p.name, m.name, c.name, tl.name, s.tokens_in, s.tokens_out,
       s.cost_usd, s.cost_src
FROM (SELECT trace FROM task WHERE id = ?1 AND trace IS NOT NULL
      UNION SELECT trace FROM task_trace WHERE task = ?1) AS tr
JOIN span s ON s.id BETWEEN (tr.trace << 24) AND (tr.trace << 24) + 16777215
LEFT JOIN span_name n ON n.id = s.name
LEFT JOIN label p ON p.id = s.purpose_eff
LEFT JOIN model m ON m.id = s.model
LEFT JOIN label c ON c.id = s.complexity_eff
LEFT JOIN tool tl ON tl.id = s.tool
WHERE s.task = ?1;
