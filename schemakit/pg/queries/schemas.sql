-- Schemas that hold user objects: not PostgreSQL's own, not an extension's.
SELECT n.nspname AS name
FROM pg_namespace n
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND starts_with(n.nspname, coalesce(current_setting('schemakit.within', true), ''))  -- '' unless reading a scratch build
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
ORDER BY 1
