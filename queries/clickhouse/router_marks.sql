-- router_marks.sql (ClickHouse only): for a recommendation's sentence, the
-- production tasks with a call group whose key is in ?4 (the keys of one
-- model's calls) and, of those, the tasks with one whose ?5 value is 2 (the
-- model's calls in the classes moved off it); counted in the server, not
-- read task by task.
SELECT countIf(r >= 1), countIf(r = 2)
FROM (
  WITH ?4 AS keys, ?5 AS marks
  SELECT task_id, max(transform(gk, keys, marks, toUInt64(0))) AS r
  FROM {router_group}
  WHERE has_g = 1
  GROUP BY task_id
)
