"""What a migration file drops, read from its SQL with PostgreSQL's parser, and the rows that hold."""

from __future__ import annotations

import psycopg
from pglast import enums, parse_sql
from pglast.ast import AlterTableStmt, DropStmt, RangeVar

from ..pg.quote import ident


def dropped(conn: psycopg.Connection, text: str) -> list[str]:
    """One line per dropped table or column of `text`: its name and the rows holding data there."""
    out = []
    for table, column in _drops(text):
        where = "true" if column is None else f"{ident(column)} IS NOT NULL"
        try:
            with conn.transaction():
                rows = conn.execute(f"SELECT count(*) FROM {ident(*table)} WHERE {where}".encode()).fetchone()[0]
        except psycopg.Error:
            rows = None  # created by a later statement of the same rollback, or already gone
        what = f"table {'.'.join(table)}" if column is None else f"column {'.'.join(table)}.{column}"
        out.append(f"drop {what}" + ("" if rows is None else f" ({rows} row{'s' if rows != 1 else ''} with data)"))
    return out


def _drops(text: str) -> list[tuple[tuple[str, str], str | None]]:
    out: list[tuple[tuple[str, str], str | None]] = []
    for raw in parse_sql(text):
        st = raw.stmt
        if isinstance(st, DropStmt) and st.removeType == enums.ObjectType.OBJECT_TABLE:
            for obj in st.objects:
                parts = [p.sval for p in obj]
                out.append(((parts[0] if len(parts) > 1 else "public", parts[-1]), None))
        elif isinstance(st, AlterTableStmt) and st.objtype == enums.ObjectType.OBJECT_TABLE:
            rel: RangeVar = st.relation
            for cmd in st.cmds or ():
                if cmd.subtype == enums.AlterTableType.AT_DropColumn:
                    out.append(((rel.schemaname or "public", rel.relname), cmd.name))
    return out
