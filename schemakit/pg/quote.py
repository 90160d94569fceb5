"""Quoting: every identifier and literal in generated SQL goes through these helpers."""

from __future__ import annotations

import functools
import json
from typing import Any

from psycopg import sql as pgsql


@functools.lru_cache(maxsize=1 << 16)  # a plan quotes the same few thousand names many times
def ident(*parts: str) -> str:
    """Quote an identifier (or a dotted path of them), always."""
    if parts and all(type(p) is str and p.isascii() for p in parts):
        # what psycopg's Identifier renders without a connection, without building one per name
        return ".".join(['"' + p.replace('"', '""') + '"' for p in parts])
    return pgsql.Identifier(*parts).as_string(None)


def qualified_name(schema: str, name: str) -> str:
    return ident(schema, name)


def literal(value: Any) -> str:
    """Render a Python value as an SQL literal."""
    if type(value) in (str, int, bool):  # defaults repeat ('new', 0, true): each is rendered once
        return _scalar_literal(value)
    return pgsql.Literal(value).as_string(None)


@functools.lru_cache(maxsize=1 << 12, typed=True)  # typed: True and 1 are equal keys, not equal literals
def _scalar_literal(value: str | int | bool) -> str:
    return pgsql.Literal(value).as_string(None)


def python_default_literal(value: Any, type_sql: str) -> str:
    """Render a Python default for a column of type `type_sql`."""
    if type_sql in ("json", "jsonb"):  # what Literal(Jsonb(value)) renders, without its costly set-up
        return f"{literal(json.dumps(value))}::{type_sql}"
    if isinstance(value, list):
        return f"{literal(_array_text(value))}::{type_sql}"
    return literal(value)


def _array_text(values: list[Any]) -> str:
    def one(v: Any) -> str:
        if v is None:
            return "NULL"
        s = str(v).lower() if isinstance(v, bool) else str(v)
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "{" + ",".join(one(v) for v in values) + "}"
