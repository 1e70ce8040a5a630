-- outlier_task.sql: one judged task with its names, for the guardrail
-- (src/analysis/guard.c): what it is and what dominated its cost.
-- Answers: the task's visible id, system and type, and the model, step
-- purpose and tool that dominated it (task.top_model, top_purpose, top_tool,
-- kept by the derivation: schema/004_rollup.sql).
-- Parameters: ?1 task.id.
-- Output: task_id, system, task_type, top_model, top_purpose, top_tool,
--         top_tool_calls (NULL names: none).
SELECT t.task_id, sv.name, tt.name, m.name, p.name, tl.name, t.top_tool_calls
FROM task t
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
LEFT JOIN model m ON m.id = t.top_model
LEFT JOIN label p ON p.id = t.top_purpose
LEFT JOIN tool tl ON tl.id = t.top_tool
WHERE t.id = ?1;
