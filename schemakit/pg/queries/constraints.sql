-- Primary key, unique, check and foreign key constraints (not PostgreSQL 18's NOT NULL ones).
-- Columns come as attribute numbers: introspect.py names them from the columns query (a subquery
-- per constraint cost more than half of this one).
SELECT con.conrelid AS relid, con.conname AS name, con.contype AS type,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END AS expr,
       con.conkey::int[] AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       con.confrelid AS ref_relid, con.confkey::int[] AS ref_columns,
       con.confdeltype AS on_delete, con.confupdtype AS on_update,
       con.condeferrable AS deferrable, con.condeferred AS deferred,
       COALESCE((SELECT NOT i.indnullsnotdistinct FROM pg_index i WHERE i.indexrelid = con.conindid AND con.contype = 'u'), true)
         AS nulls_distinct, con.convalidated AS validated
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'f') AND con.conislocal
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND starts_with(n.nspname, coalesce(current_setting('schemakit.within', true), ''))  -- '' unless reading a scratch build
ORDER BY con.conrelid, con.conname
