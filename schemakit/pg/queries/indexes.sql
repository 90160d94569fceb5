-- Indexes that do not back a constraint, one row each with their key elements. Columns come as
-- attribute numbers (0: an expression), named by introspect.py from the columns query: a subquery
-- per index and key cost more than half of this query.
SELECT i.indrelid AS relid, ic.relname AS name, i.indisunique AS unique, am.amname AS using,
       pg_get_expr(i.indpred, i.indrelid, true) AS where,
       i.indkey::int2[] AS keys, i.indnkeyatts AS key_count,
       -- PostgreSQL's text only for expressions (pg_get_indexdef() counts columns from 1)
       CASE WHEN 0 = ANY (i.indkey::int2[]) THEN
         ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) END
               FROM generate_series(1, i.indnkeyatts) k ORDER BY k) END AS key_exprs,
       i.indoption::int2[] AS options,
       NOT i.indnullsnotdistinct AS nulls_distinct, i.indisvalid AS valid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND starts_with(n.nspname, coalesce(current_setting('schemakit.within', true), ''))  -- '' unless reading a scratch build
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname
