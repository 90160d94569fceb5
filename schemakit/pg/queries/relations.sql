-- Tables, views and materialized views, with comments, view bodies and storage options (view options).
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
       dsc.description AS comment,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS query,
       c.reloptions::text[] AS options
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
-- a join, not obj_description(): one lookup per relation costs half of this query
LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND starts_with(n.nspname, coalesce(current_setting('schemakit.within', true), ''))  -- '' unless reading a scratch build
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 2, 3
