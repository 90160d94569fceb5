"""Insert, update and delete one row: one transaction, a short lock timeout, refused if the row changed meanwhile.

Each field of the form says how it is set: `value` (the text, read by PostgreSQL as the column's
type), `null` or `default`. The row's version is md5 of its text form when it was shown; an update
or delete locks the row and compares it first.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from .browse import ALIAS, BadRequest, ident, key_condition
from .catalog import Relation
from .session import writable


class Conflict(Exception):
    """The row changed (or went) since the page showed it."""


def _assignments(rel: Relation, form: Any) -> list[tuple[str, str, str | None]]:
    """(column, mode, text) for every column the form sets; modes are value, null, default; `keep` is left out."""
    out = []
    for c in rel.columns:
        if c.generated:
            continue
        mode = form.get(f"mode:{c.name}", "keep")
        if mode == "keep":
            continue
        if mode not in ("value", "null", "default"):
            raise BadRequest(f"column {c.name}: unknown choice {mode!r}")
        out.append((c.name, mode, form.get(f"value:{c.name}", "") if mode == "value" else None))
    return out


def _value_sql(mode: str) -> sql.Composable:
    return {"value": sql.Placeholder(), "null": sql.SQL("NULL"), "default": sql.SQL("DEFAULT")}[mode]


def _returning_key(rel: Relation) -> sql.Composable:
    return sql.SQL(", ").join(sql.SQL("{}::text").format(ident(ALIAS, c)) for c in rel.primary_key)


def save(rel: Relation, action: str, form: Any) -> list[str] | None:
    """Apply `action` (insert, update, delete); return the row's key afterwards (None once deleted)."""
    if not rel.editable:
        raise BadRequest("only tables with a primary key can be edited here")
    target = sql.SQL("{} AS {}").format(ident(rel.schema, rel.name), ident(ALIAS))
    with writable() as conn:
        if action == "insert":
            sets = _assignments(rel, form)
            params = [text for _, mode, text in sets if mode == "value"]
            if sets:
                query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING {}").format(
                    target, sql.SQL(", ").join(ident(c) for c, _, _ in sets),
                    sql.SQL(", ").join(_value_sql(m) for _, m, _ in sets), _returning_key(rel))
            else:
                query = sql.SQL("INSERT INTO {} DEFAULT VALUES RETURNING {}").format(target, _returning_key(rel))
            return list(conn.execute(query, params).fetchone())
        cond, key_params = key_condition(rel, form.getlist("k"))
        current = conn.execute(sql.SQL("SELECT md5({}::text) FROM {} WHERE {} FOR UPDATE").format(ident(ALIAS), target, cond),
                               key_params).fetchone()
        if current is None or current[0] != form.get("version"):
            raise Conflict("the row changed since it was shown (or was deleted); reload it and try again")
        if action == "delete":
            conn.execute(sql.SQL("DELETE FROM {} WHERE {}").format(target, cond), key_params)
            return None
        if action != "update":
            raise BadRequest(f"unknown action {action!r}")
        sets = _assignments(rel, form)
        if not sets:
            return list(form.getlist("k"))
        query = sql.SQL("UPDATE {} SET {} WHERE {} RETURNING {}").format(
            target, sql.SQL(", ").join(sql.SQL("{} = {}").format(ident(c), _value_sql(m)) for c, m, _ in sets),
            cond, _returning_key(rel))
        params = [text for _, mode, text in sets if mode == "value"] + key_params
        return list(conn.execute(query, params).fetchone())
