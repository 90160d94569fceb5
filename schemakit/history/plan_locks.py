"""The lock each migration statement takes, read by PostgreSQL's parser (pglast), for `db_migrate --plan`."""

from __future__ import annotations

from dataclasses import dataclass

import pglast
import psycopg
from pglast import ast
from pglast.enums import AlterTableType as AT
from pglast.enums import ConstrType, ObjectType

from ..pg.quote import ident

ACCESS_EXCLUSIVE, SHARE_ROW_EXCLUSIVE, SHARE = "ACCESS EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE"
SHARE_UPDATE_EXCLUSIVE, ROW_SHARE = "SHARE UPDATE EXCLUSIVE", "ROW SHARE"
STRENGTH = [ROW_SHARE, SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, ACCESS_EXCLUSIVE]
BLOCKS = {
    ACCESS_EXCLUSIVE: "blocks reads and writes",
    SHARE_ROW_EXCLUSIVE: "blocks writes",
    SHARE: "blocks writes",
    SHARE_UPDATE_EXCLUSIVE: "blocks other DDL only",
    ROW_SHARE: "blocks only exclusive locks",
}


@dataclass(frozen=True)
class Lock:
    mode: str
    relation: str  # as written in the statement, qualified when the statement qualifies it
    effect: str = ""  # "rewrites the table", "scans the table", "new table"

    def describe(self) -> str:
        tail = f"; {self.effect}" if self.effect else ""
        return f"{self.mode} on {self.relation} ({BLOCKS[self.mode]}){tail}"


def _name(rel: ast.RangeVar) -> str:
    return ident(rel.schemaname, rel.relname) if rel.schemaname else ident(rel.relname)


def _alter_cmd(cmd: ast.AlterTableCmd) -> tuple[str, str, ast.RangeVar | None]:
    """(mode, effect, a referenced table that is locked too) of one ALTER TABLE action."""
    t, d = cmd.subtype, cmd.def_
    if t == AT.AT_AlterColumnType:
        return ACCESS_EXCLUSIVE, "rewrites the table (unless the types are binary-compatible)", None
    if t == AT.AT_SetNotNull:
        return ACCESS_EXCLUSIVE, "scans the table (unless a validated CHECK proves it)", None
    if t == AT.AT_ValidateConstraint:
        return SHARE_UPDATE_EXCLUSIVE, "scans the table", None
    if t == AT.AT_AddConstraint and isinstance(d, ast.Constraint):
        scan = "" if d.skip_validation else "scans the table"
        if d.contype == ConstrType.CONSTR_FOREIGN:
            return SHARE_ROW_EXCLUSIVE, scan, d.pktable
        if d.contype in (ConstrType.CONSTR_UNIQUE, ConstrType.CONSTR_PRIMARY):
            return ACCESS_EXCLUSIVE, "builds an index (scans the table)", None
        return ACCESS_EXCLUSIVE, scan, None
    if t in (AT.AT_SetStatistics, AT.AT_SetOptions, AT.AT_ResetOptions, AT.AT_ClusterOn):
        return SHARE_UPDATE_EXCLUSIVE, "", None
    return ACCESS_EXCLUSIVE, "", None


def _alter_table(node: ast.AlterTableStmt) -> list[Lock]:
    mode, effects, others = ROW_SHARE, [], []
    for cmd in node.cmds:
        m, effect, other = _alter_cmd(cmd)
        mode = max(mode, m, key=STRENGTH.index)
        effects += [effect] if effect and effect not in effects else []
        others += [Lock(SHARE_ROW_EXCLUSIVE, _name(other))] if other is not None else []
    return [Lock(mode, _name(node.relation), ", ".join(effects)), *others]


def _drop(node: ast.DropStmt) -> list[Lock]:
    names = [".".join(ident(s.sval) for s in obj) if isinstance(obj, tuple) else "?" for obj in node.objects]
    if node.removeType == ObjectType.OBJECT_INDEX:
        mode = SHARE_UPDATE_EXCLUSIVE if node.concurrent else ACCESS_EXCLUSIVE
        return [Lock(mode, f"the table of index {n}") for n in names]
    if node.removeType in (ObjectType.OBJECT_TABLE, ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW):
        return [Lock(ACCESS_EXCLUSIVE, n, "drops it and its data") for n in names]
    return []


def locks(statement: str) -> list[Lock]:
    """The table-level locks `statement` takes (empty for statements that lock no table)."""
    try:
        parsed = pglast.parse_sql(statement)
    except pglast.parser.ParseError:
        return []
    out: list[Lock] = []
    for raw in parsed:
        node = raw.stmt
        if isinstance(node, ast.AlterTableStmt):
            out += _alter_table(node)
        elif isinstance(node, ast.IndexStmt):
            mode = SHARE_UPDATE_EXCLUSIVE if node.concurrent else SHARE
            out.append(Lock(mode, _name(node.relation), "scans the table"))
        elif isinstance(node, ast.DropStmt):
            out += _drop(node)
        elif isinstance(node, ast.RenameStmt) and node.relation is not None:
            out.append(Lock(ACCESS_EXCLUSIVE, _name(node.relation), "running code using the old name breaks"))
        elif isinstance(node, ast.CreateStmt):
            out.append(Lock(ACCESS_EXCLUSIVE, _name(node.relation), "new table: nobody waits"))
        elif isinstance(node, ast.CommentStmt) and node.objtype == ObjectType.OBJECT_TABLE:
            out.append(Lock(SHARE_UPDATE_EXCLUSIVE, ".".join(ident(s.sval) for s in node.object)))
    return out


def table_size(conn: psycopg.Connection, relation: str) -> str:
    """"12 MB, ~100000 rows" for an existing table, "" otherwise (a cheap catalog read, no scan)."""
    row = conn.execute("SELECT pg_size_pretty(pg_total_relation_size(c.oid)), c.reltuples::bigint FROM pg_class c"
                       " WHERE c.oid = to_regclass(%s)", (relation,)).fetchone()
    if row is None:
        return ""
    rows = "rows unknown (never analysed)" if row[1] < 0 else f"~{row[1]} rows"
    return f"{row[0]}, {rows}"


def annotate(conn: psycopg.Connection | None, statement: str) -> list[str]:
    """One line per lock the statement takes, with the table's size from the live database."""
    out = []
    for lock in locks(statement):
        size = table_size(conn, lock.relation) if conn is not None and not lock.relation.startswith("the ") else ""
        out.append(lock.describe() + (f"; {size}" if size else ""))
    return out
