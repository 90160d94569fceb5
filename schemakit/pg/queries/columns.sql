-- Columns of tables. Types outside pg_catalog are spelled "schema"."name" (arrays add []).
SELECT a.attrelid AS relid, a.attnum AS num, a.attname AS name,
       CASE WHEN tn.nspname = 'pg_catalog' THEN format_type(a.atttypid, a.atttypmod)
            ELSE '"' || replace(tn.nspname, '"', '""') || '"."' || replace(bt.typname, '"', '""') || '"'
                 || CASE WHEN t.typcategory = 'A' THEN '[]' ELSE '' END
       END AS type,
       a.attnotnull AS not_null,
       -- a table for context only where columns can appear (generated columns): deparsing against a
       -- table opens it, which builds its cache entry in a fresh server process (half of this query)
       pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid ELSE 0 END) AS default,
       a.attidentity AS identity, a.attgenerated AS generated,
       d.description AS comment
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
JOIN pg_namespace tn ON tn.oid = bt.typnamespace
-- a join, not col_description(): one lookup per column costs half of this query
LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND starts_with(n.nspname, coalesce(current_setting('schemakit.within', true), ''))  -- '' unless reading a scratch build
ORDER BY a.attrelid, a.attnum
