-- Extensions and the schema they live in (plpgsql comes with every database: not ours).
SELECT e.extname AS name, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY 1
