-- What PostgreSQL stores on managed objects that the schema language cannot say, one row each:
-- (what, schema, relation, detail). db_pull and db_status report them; db_push leaves them alone.
WITH rel AS (
  SELECT c.*, n.nspname AS schema, n.nspname || '.' || c.relname AS qname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I', 'S')
    AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
),
tbl AS (SELECT * FROM rel WHERE relkind IN ('r', 'p', 'm') AND NOT relispartition),
-- the columns of those tables, read once for the five column properties below
att AS MATERIALIZED (
  SELECT t.qname, t.schema, t.relname, t.relkind, a.attname, a.attcollation, a.attstattarget, a.attstorage,
         a.attcompression, a.attoptions, ty.typcollation, ty.typstorage
  FROM tbl t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type ty ON ty.oid = a.atttypid
),
-- indexes of those tables, read once for the four index properties below
idx AS MATERIALIZED (
  SELECT x.oid, x.qname, x.reloptions, x.reltablespace, t.oid AS relid, t.schema, t.relname,
         i.indnkeyatts, i.indclass, i.indcollation, i.indkey
  FROM rel x JOIN pg_index i ON i.indexrelid = x.oid JOIN tbl t ON t.oid = i.indrelid
),
kind(relkind, label) AS (VALUES ('r'::"char", 'table'), ('p', 'table'), ('m', 'materialized view'))
SELECT 'storage parameters of ' || k.label || ' ' || t.qname AS what, t.schema, t.relname AS relation,
       array_to_string(t.reloptions, ', ') AS detail
FROM tbl t JOIN kind k USING (relkind) WHERE t.reloptions IS NOT NULL
UNION ALL
SELECT 'storage parameters of the TOAST table of ' || t.qname, t.schema, t.relname, array_to_string(tc.reloptions, ', ')
FROM tbl t JOIN pg_class tc ON tc.oid = t.reltoastrelid WHERE tc.reloptions IS NOT NULL
UNION ALL
SELECT 'tablespace of ' || k.label || ' ' || t.qname, t.schema, t.relname, ts.spcname
FROM tbl t JOIN kind k USING (relkind) JOIN pg_tablespace ts ON ts.oid = t.reltablespace
UNION ALL
SELECT 'access method of ' || k.label || ' ' || t.qname, t.schema, t.relname, am.amname
FROM tbl t JOIN kind k USING (relkind) JOIN pg_am am ON am.oid = t.relam WHERE am.amname <> 'heap'
UNION ALL
SELECT 'unlogged ' || k.label || ' ' || t.qname, t.schema, t.relname, 'UNLOGGED'
FROM tbl t JOIN kind k USING (relkind) WHERE t.relpersistence = 'u'
UNION ALL
SELECT 'row level security of table ' || t.qname, t.schema, t.relname,
       CASE WHEN t.relforcerowsecurity THEN 'ENABLE, FORCE' ELSE 'ENABLE' END
FROM tbl t WHERE t.relrowsecurity OR t.relforcerowsecurity
UNION ALL
SELECT 'replica identity of table ' || t.qname, t.schema, t.relname,
       CASE t.relreplident WHEN 'n' THEN 'NOTHING' WHEN 'f' THEN 'FULL' ELSE 'USING INDEX' END
FROM tbl t WHERE t.relkind IN ('r', 'p') AND t.relreplident <> 'd'
UNION ALL
SELECT 'partition key of table ' || t.qname, t.schema, t.relname, pg_get_partkeydef(t.oid)
FROM tbl t WHERE t.relkind = 'p'
UNION ALL
SELECT 'partition ' || r.qname || ' of ' || pn.nspname || '.' || pc.relname, r.schema, r.relname,
       pg_get_expr(r.relpartbound, r.oid)
FROM rel r JOIN pg_inherits i ON i.inhrelid = r.oid JOIN pg_class pc ON pc.oid = i.inhparent
JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE r.relispartition AND r.relkind IN ('r', 'p')
UNION ALL
SELECT 'inheritance of table ' || t.qname, t.schema, t.relname, 'INHERITS ' || pn.nspname || '.' || pc.relname
FROM tbl t JOIN pg_inherits i ON i.inhrelid = t.oid JOIN pg_class pc ON pc.oid = i.inhparent
JOIN pg_namespace pn ON pn.oid = pc.relnamespace
UNION ALL
SELECT 'collation of column ' || a.qname || '.' || a.attname, a.schema, a.relname, co.collname
FROM att a JOIN pg_collation co ON co.oid = a.attcollation
WHERE a.relkind IN ('r', 'p') AND a.attcollation <> a.typcollation
UNION ALL
SELECT 'statistics target of column ' || a.qname || '.' || a.attname, a.schema, a.relname, a.attstattarget::text
FROM att a WHERE COALESCE(a.attstattarget, -1) >= 0
UNION ALL
SELECT 'storage of column ' || a.qname || '.' || a.attname, a.schema, a.relname,
       CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END
FROM att a WHERE a.relkind IN ('r', 'p') AND a.attstorage <> a.typstorage
UNION ALL
SELECT 'compression of column ' || a.qname || '.' || a.attname, a.schema, a.relname,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE a.attcompression::text END
FROM att a WHERE a.attcompression <> ''
UNION ALL
SELECT 'options of column ' || a.qname || '.' || a.attname, a.schema, a.relname, array_to_string(a.attoptions, ', ')
FROM att a WHERE a.attoptions IS NOT NULL
UNION ALL
SELECT 'storage parameters of index ' || x.qname, x.schema, x.relname, array_to_string(x.reloptions, ', ')
FROM idx x WHERE x.reloptions IS NOT NULL
UNION ALL
SELECT 'tablespace of index ' || x.qname, x.schema, x.relname, ts.spcname
FROM idx x JOIN pg_tablespace ts ON ts.oid = x.reltablespace
UNION ALL
SELECT 'operator class of index ' || x.qname || ' column ' || k.n, x.schema, x.relname, opc.opcname
FROM idx x CROSS JOIN LATERAL generate_series(1, x.indnkeyatts) k(n)
JOIN pg_opclass opc ON opc.oid = x.indclass[k.n - 1] WHERE NOT opc.opcdefault
UNION ALL
-- the column's collation (or, for an expression, its type's) looked up only for collatable keys
SELECT 'collation of index ' || x.qname || ' column ' || k.n, x.schema, x.relname, co.collname
FROM idx x CROSS JOIN LATERAL generate_series(1, x.indnkeyatts) k(n)
JOIN pg_collation co ON co.oid = x.indcollation[k.n - 1]
WHERE x.indcollation[k.n - 1] <> 0 AND x.indcollation[k.n - 1] <> COALESCE(
  (SELECT ta.attcollation FROM pg_attribute ta WHERE ta.attrelid = x.relid AND ta.attnum = x.indkey[k.n - 1]
     AND x.indkey[k.n - 1] <> 0),
  (SELECT ty.typcollation FROM pg_attribute ia JOIN pg_type ty ON ty.oid = ia.atttypid
   WHERE ia.attrelid = x.oid AND ia.attnum = k.n))
UNION ALL
SELECT CASE
         WHEN con.contype = 'x' THEN 'exclusion constraint '
         WHEN con.contype = 'c' AND con.connoinherit THEN 'NO INHERIT constraint '
         WHEN con.contype = 'f' THEN 'MATCH FULL foreign key '
         ELSE 'deferrable constraint '
       END || con.conname || ' on ' || t.qname, t.schema, t.relname, pg_get_constraintdef(con.oid, true)
FROM pg_constraint con JOIN tbl t ON t.oid = con.conrelid
WHERE con.conislocal AND (con.contype = 'x' OR (con.contype = 'c' AND con.connoinherit)
      OR (con.contype = 'f' AND con.confmatchtype <> 's') OR (con.contype IN ('p', 'u') AND con.condeferrable))
UNION ALL
SELECT 'options of identity column ' || t.qname || '.' || a.attname, t.schema, t.relname,
       'MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END
FROM tbl t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attidentity <> ''
JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = t.oid AND d.refobjsubid = a.attnum
     AND d.classid = 'pg_class'::regclass AND d.deptype = 'i'
JOIN pg_sequence s ON s.seqrelid = d.objid
WHERE s.seqcache <> 1 OR s.seqcycle
   OR s.seqmin <> CASE WHEN s.seqincrement > 0 THEN 1
                       ELSE CASE format_type(s.seqtypid, NULL) WHEN 'smallint' THEN -32768 WHEN 'integer' THEN -2147483648
                                 ELSE -9223372036854775808 END END
   OR s.seqmax <> CASE WHEN s.seqincrement < 0 THEN -1
                       ELSE CASE format_type(s.seqtypid, NULL) WHEN 'smallint' THEN 32767 WHEN 'integer' THEN 2147483647
                                 ELSE 9223372036854775807 END END
UNION ALL
SELECT 'comment on ' || CASE r.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence ' ELSE 'index ' END
       || r.qname, r.schema, COALESCE(tc.relname, r.relname), d.description
FROM rel r JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = r.oid AND d.objsubid = 0
LEFT JOIN pg_index i ON i.indexrelid = r.oid LEFT JOIN pg_class tc ON tc.oid = i.indrelid
WHERE r.relkind IN ('v', 'm', 'S', 'i', 'I')
UNION ALL
SELECT 'comment on constraint ' || con.conname || ' on ' || t.qname, t.schema, t.relname, d.description
FROM pg_constraint con JOIN tbl t ON t.oid = con.conrelid
JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid
UNION ALL
SELECT 'comment on type ' || n.nspname || '.' || ty.typname, n.nspname, NULL, d.description
FROM pg_type ty JOIN pg_namespace n ON n.oid = ty.typnamespace
JOIN pg_description d ON d.classoid = 'pg_type'::regclass AND d.objoid = ty.oid
WHERE ty.typtype = 'e'
ORDER BY 1
