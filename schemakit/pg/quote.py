"""Quoting: every identifier and literal in generated SQL goes through these helpers."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
from collections.abc import Iterator
from typing import Any

from psycopg import sql as pgsql

# set while rendering the migrations of a project with tenants: names in this schema are written
# unqualified, so each tenant's search_path decides where they go (the one exception to "always qualified")
_UNQUALIFIED: contextvars.ContextVar[str | None] = contextvars.ContextVar("schemakit_unqualified", default=None)


def ident(*parts: str) -> str:
    """Quote an identifier (or a dotted path of them), always."""
    if len(parts) == 2 and parts[0] == _UNQUALIFIED.get():
        parts = parts[1:]
    return _ident(*parts)


@functools.lru_cache(maxsize=1 << 16)  # a plan quotes the same few thousand names many times
def _ident(*parts: str) -> str:
    return pgsql.Identifier(*parts).as_string(None)


@contextlib.contextmanager
def unqualified(schema: str) -> Iterator[None]:
    """Within the block, ident(schema, name) is written as ident(name): the tenant objects of a project with tenants."""
    token = _UNQUALIFIED.set(schema)
    try:
        yield
    finally:
        _UNQUALIFIED.reset(token)


def qualified_name(schema: str, name: str) -> str:
    return ident(schema, name)


def literal(value: Any) -> str:
    """Render a Python value as an SQL literal."""
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
