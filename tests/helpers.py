"""Test helpers: fresh databases, schema files, structural comparison."""

from __future__ import annotations

import dataclasses
import secrets
import textwrap
from pathlib import Path
from typing import Any

import psycopg

from schemakit.api import Project
from schemakit.diff import diff
from schemakit.diff.renames import Resolver
from schemakit.pg.introspect import introspect
from schemakit.pg.quote import ident
from schemakit.pg.scratch import build_and_introspect
from schemakit.schema import model

HEADER = "from schemakit import *  # noqa: F403\nfrom schemakit import sql, Table, Enum, View, Sequence, Index, Unique, Check, PrimaryKey, ForeignKey, Schema, column  # noqa\n"


def create_database(admin: dict[str, Any]) -> dict[str, Any]:
    name = f"sk_{secrets.token_hex(5)}"
    with psycopg.connect(**admin, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
    return {**admin, "dbname": name}


def drop_database(admin: dict[str, Any], params: dict[str, Any]) -> None:
    with psycopg.connect(**admin, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {ident(params['dbname'])} WITH (FORCE)")


def uri(params: dict[str, Any]) -> str:
    return psycopg.conninfo.make_conninfo(**params)


def write_schema(path: Path, body: str) -> Path:
    path.write_text(HEADER + textwrap.dedent(body))
    return path


def project_for(tmp: Path, params: dict[str, Any], body: str = "") -> Project:
    schema = write_schema(tmp / "schema.py", body)
    return Project([str(schema)], tmp / "migrations", params=lambda: params)


def structure(db: model.Database) -> model.Database:
    """`db` with columns in name order: PostgreSQL appends columns, so order is not structure."""
    tables = [dataclasses.replace(t, columns=tuple(sorted(t.columns, key=lambda c: c.name))) for t in db.tables]
    return dataclasses.replace(db, tables=tuple(tables))


def live(params: dict[str, Any]) -> model.Database:
    with psycopg.connect(**params, autocommit=True) as c:
        return introspect(c, lambda s, t: (s, t) == ("public", "schemakit_migrations"))


def assert_same(params: dict[str, Any], expected: model.Database, admin: dict[str, Any]) -> None:
    """The database behind `params` is structurally `expected` (canonicalised by PostgreSQL)."""
    got = live(params)
    want = build_and_introspect(admin, expected)  # the full build: independent of db_push's fast path
    assert structure(got) == structure(want), _explain(got, want)


def _explain(got: model.Database, want: model.Database) -> str:
    plan = diff(got, want, Resolver(no_renames=True))
    return "database differs from the target; it would need: " + "; ".join(o.describe() for o in plan.ops)


def run_sql(params: dict[str, Any], text: str) -> None:
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute(text.encode())
