"""What the studio shows about the database's structure: a few catalog queries, no introspection of everything."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row

OVERVIEW = """
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.oid,
       GREATEST(c.reltuples, 0)::bigint AS estimate,
       CASE WHEN c.relkind IN ('r', 'p', 'm') THEN pg_total_relation_size(c.oid) END AS bytes,
       d.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
  AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
ORDER BY 1, 2
"""

ENUMS = """
SELECT n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
GROUP BY 1, 2 ORDER BY 1, 2
"""

COLUMNS = """
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       t.typcategory AS category, bt.typtype = 'e' AS is_enum,
       CASE WHEN bt.typtype = 'e' THEN
         ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = bt.oid ORDER BY e.enumsortorder) END AS labels,
       a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' AS has_default, a.attgenerated <> '' AS generated
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
WHERE a.attrelid = %(oid)s AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""

# foreign keys out of (conrelid) and into (confrelid) one table, with column names in key order
KEYS = """
SELECT con.contype AS type, con.conname AS name, con.conrelid = %(oid)s AS outgoing,
       sn.nspname AS src_schema, sc.relname AS src_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS src_columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns
FROM pg_constraint con
JOIN pg_class sc ON sc.oid = con.conrelid JOIN pg_namespace sn ON sn.oid = sc.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE (con.contype = 'p' AND con.conrelid = %(oid)s)
   OR (con.contype = 'f' AND (con.conrelid = %(oid)s OR con.confrelid = %(oid)s))
ORDER BY con.contype DESC, con.conname
"""

RELATION = """
SELECT c.oid, c.relkind AS kind, GREATEST(c.reltuples, 0)::bigint AS estimate
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relname = %(name)s AND c.relkind IN ('r', 'p', 'v', 'm')
"""

INDEXED = """
SELECT DISTINCT a.attname AS name FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE i.indrelid = %(oid)s AND i.indisvalid AND i.indpred IS NULL
"""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool
    category: str  # pg_type.typcategory: N numeric, S string, B boolean, D date/time, A array, U user (json...)
    labels: tuple[str, ...] | None  # an enum's values
    has_default: bool
    generated: bool
    indexed: bool = False


@dataclass(frozen=True)
class ForeignKey:
    name: str
    src_schema: str
    src_table: str
    src_columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass
class Relation:
    schema: str
    name: str
    kind: str  # r, p (tables), v, m (views)
    oid: int
    estimate: int
    columns: list[Column] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    outgoing: list[ForeignKey] = field(default_factory=list)
    incoming: list[ForeignKey] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def editable(self) -> bool:
        return self.kind in ("r", "p") and bool(self.primary_key)


def _rows(conn: psycopg.Connection, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, params)
        return cur.fetchall()


def overview(conn: psycopg.Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every table and view (estimated rows, size) and every enum."""
    return _rows(conn, OVERVIEW), _rows(conn, ENUMS)


def relation(conn: psycopg.Connection, schema: str, name: str) -> Relation | None:
    """One table or view with its columns, primary key and the foreign keys that touch it."""
    found = _rows(conn, RELATION, {"schema": schema, "name": name})
    if not found:
        return None
    r = found[0]
    oid = r["oid"]
    indexed = {row["name"] for row in _rows(conn, INDEXED, {"oid": oid})}
    rel = Relation(schema, name, r["kind"], oid, r["estimate"])
    for c in _rows(conn, COLUMNS, {"oid": oid}):
        labels = tuple(c["labels"]) if c["labels"] is not None else None
        rel.columns.append(Column(c["name"], c["type"], c["not_null"], c["category"], labels, c["has_default"],
                                  c["generated"], c["name"] in indexed))
    for k in _rows(conn, KEYS, {"oid": oid}):
        if k["type"] == "p":
            rel.primary_key = tuple(k["src_columns"])
            continue
        fk = ForeignKey(k["name"], k["src_schema"], k["src_table"], tuple(k["src_columns"]), k["ref_schema"],
                        k["ref_table"], tuple(k["ref_columns"]))
        (rel.outgoing if k["outgoing"] else rel.incoming).append(fk)
        if k["outgoing"] and (fk.src_schema, fk.src_table) == (fk.ref_schema, fk.ref_table):
            rel.incoming.append(fk)  # a self reference goes both ways
    return rel
