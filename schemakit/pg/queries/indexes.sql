-- Indexes that do not back a constraint, one row each with their key elements.
SELECT i.indrelid AS relid, ic.relname AS name, i.indisunique AS unique, am.amname AS using,
       pg_get_expr(i.indpred, i.indrelid, true) AS where,
       -- int2vector subscripts start at 0; pg_get_indexdef() counts columns from 1
       ARRAY(SELECT a.attname::text FROM generate_series(0, i.indnkeyatts - 1) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] AND i.indkey[k] <> 0
             ORDER BY k) AS key_columns,
       -- PostgreSQL's text only for expressions: a plain column is named by key_columns
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) END
             FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS key_exprs,
       ARRAY(SELECT i.indoption[k]::int FROM generate_series(0, i.indnkeyatts - 1) k ORDER BY k) AS options,
       ARRAY(SELECT a.attname::text FROM generate_series(i.indnkeyatts, i.indnatts - 1) k
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] ORDER BY k) AS include,
       NOT i.indnullsnotdistinct AS nulls_distinct, i.indisvalid AS valid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND starts_with(n.nspname, current_setting('schemakit.within'))  -- '' but when reading a scratch build
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname
