-- dims_q_task.sql (ClickHouse): the tasks of a question with dimensions and
-- their --by values, what q_task(task, k1, k2) holds on SQLite
-- (queries/dims_cand.sql, dims_sv_*.sql, dims_rule.sql, dims_task_*.sql,
-- dims_where_put.sql, dims_task.sql). src/store/qtask.c renders it into the
-- text of a subquery and the twins of the *_by queries embed it at {q_task}.
-- The same rule, in one statement instead of temporary tables:
--   candidates: the tasks with a span starting in the window (a span starts
--     within its task's [start_ns, end_ns]), of the system asked;
--   a task's system and task_type: its own, "(none)" when it has none;
--   a task's user, session, agent, environment: the value of its first span
--     with one in the order (rk, start_ns, span_id, trace_id): rk 0 a span
--     without a parent (NULL; '' where an earlier agentcost
--     sent that), 1 one whose parent is not in the task (same trace),
--     2 the rest (SQLite's q_sv.root 2, 1, 0, taken DESC); span_id as lowercase
--     hex sorts as SQLite's blob does; "(none)" when no span has one.
--     The last key differs: two spans of one task with the same root rank,
--     start and span id are in two traces (tasks grouped by
--     agentcost.task.id); SQLite takes the one of the trace it stored first
--     (the span's rowid), which no ClickHouse column records; this takes the
--     lower trace id.
-- Joins are ALL (standard SQL): a current server's ANY INNER JOIN keeps
-- one row per key of the left side too (any_join_distinct_right_table_keys
-- = 0, the default since 19.14); q_task has one row per task, so ALL joins
-- a twin's spans to it one to one on every version.
-- Output: task_id, t_start (the task's start_ns, so a twin over spans needs
-- no second join), k1, k2 (Nullable(String); NULL where the position is none
-- or is model).
-- Parameters: ?1 since_ns, ?2 until_ns, ?3 system or NULL; {k1}, {k2}: the
-- v_* columns at --by positions 1 and 2 (v_none: none); {where}: the filters
-- (v_x = 'value' AND ...; 1: none).
SELECT task_id, t_start, {k1} AS k1, {k2} AS k2
FROM (
  SELECT c.task_id AS task_id, c.start_ns AS t_start,
         CAST(NULL AS Nullable(String)) AS v_none,
         toNullable(ifNull(c.system, '(none)')) AS v_system,
         toNullable(ifNull(c.task_type, '(none)')) AS v_task_type,
         toNullable(if(ifNull(sv.s_user, '') = '', '(none)', ifNull(sv.s_user, ''))) AS v_user,
         toNullable(if(ifNull(sv.s_session, '') = '', '(none)', ifNull(sv.s_session, ''))) AS v_session,
         toNullable(if(ifNull(sv.s_agent, '') = '', '(none)', ifNull(sv.s_agent, ''))) AS v_agent,
         toNullable(if(ifNull(sv.s_env, '') = '', '(none)', ifNull(sv.s_env, ''))) AS v_env
  FROM (SELECT task_id, start_ns, system, task_type
        FROM {task_any}
        WHERE start_ns < ?2 AND end_ns >= ?1 AND (?3 IS NULL OR system = ?3)) AS c
  ALL LEFT JOIN (
    -- a value is never '' (ingest stores none as NULL): '' is a task
    -- without one, as is a task the join found no spans of ('' or NULL,
    -- as join_use_nulls says)
    SELECT task_id,
           argMinIf(assumeNotNull(user), (rk, start_ns, span_id, trace_id), isNotNull(user)) AS s_user,
           argMinIf(assumeNotNull(session), (rk, start_ns, span_id, trace_id), isNotNull(session)) AS s_session,
           argMinIf(assumeNotNull(agent_name), (rk, start_ns, span_id, trace_id), isNotNull(agent_name)) AS s_agent,
           argMinIf(assumeNotNull(env), (rk, start_ns, span_id, trace_id), isNotNull(env)) AS s_env
    FROM (SELECT task_id, trace_id, span_id, start_ns, user, session, agent_name, env,
                 multiIf(ifNull(parent_span_id, '') = '', 0,
                         (task_id, trace_id, assumeNotNull(parent_span_id)) IN
                           (SELECT task_id, trace_id, span_id
                            FROM span FINAL
                            WHERE task_id IN (SELECT task_id FROM {task_any}
                                              WHERE start_ns < ?2 AND end_ns >= ?1
                                                AND (?3 IS NULL OR system = ?3))), 2, 1) AS rk
          FROM span FINAL
          WHERE task_id IN (SELECT task_id FROM {task_any}
                            WHERE start_ns < ?2 AND end_ns >= ?1
                              AND (?3 IS NULL OR system = ?3)))
    GROUP BY task_id) AS sv USING task_id)
WHERE {where}
