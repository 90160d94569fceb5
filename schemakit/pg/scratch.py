"""Let PostgreSQL canonicalise a schema: build it in a throwaway database and read it back."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import psycopg

from ..errors import BuildError
from ..schema import model
from .introspect import introspect
from .quote import ident
from .sqltext import terminate

PREFIX = "schemakit_scratch_"


@contextlib.contextmanager
def scratch_database(params: dict[str, Any]) -> Iterator[psycopg.Connection]:
    """Yield an autocommit connection to a new empty database on the same server; drop it after."""
    from ..interrupts import sigterm_interrupts

    with psycopg.connect(**params, autocommit=True) as admin, sigterm_interrupts():
        remove_leftovers(admin)
        # the creating session's pid is in the name: while that session lives, the database is in use
        name = f"{PREFIX}{admin.info.backend_pid}_{secrets.token_hex(4)}"
        admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
        try:
            with psycopg.connect(**{**params, "dbname": name}, autocommit=True) as conn:
                yield conn
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


def remove_leftovers(admin: psycopg.Connection) -> list[str]:
    """Drop scratch databases whose creating session is gone (kill -9, a CI timeout); return their names."""
    rows = admin.execute(
        "SELECT d.datname FROM pg_database d WHERE starts_with(d.datname, %s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid::text = split_part(substr(d.datname, %s), '_', 1))",
        (PREFIX, len(PREFIX) + 1)).fetchall()
    dropped = []
    for (name,) in rows:
        try:
            admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")
            dropped.append(name)
        except psycopg.Error:  # no privilege, or another run dropped it first: leave it
            continue
    return dropped


def create_statements(db: model.Database) -> list[str]:
    """Every statement that builds `db` from an empty database."""
    from ..diff import diff
    from ..diff.renames import Resolver
    from .render import render_all

    return render_all(diff(model.Database(), db, Resolver(no_renames=True)).ops)


def build_and_introspect(params: dict[str, Any], db: model.Database) -> model.Database:
    """Build all of `db` in a scratch database and read it back (slow, exact: tests use it)."""
    return build_statements_and_introspect(params, create_statements(_plain_indexes(db)))


def build_statements_and_introspect(params: dict[str, Any], statements: list[str]) -> model.Database:
    """Run `statements` in a scratch database and read the result back."""
    # only definitions are read back: a materialized view's query never runs here
    statements = [s + "\nWITH NO DATA" if s.startswith("CREATE MATERIALIZED VIEW ") else s for s in statements]
    with scratch_database(params) as conn:
        try:  # one round trip: a scratch build of a thousand tables is otherwise thousands of them
            if statements:
                conn.execute("\n".join(terminate(s) for s in statements).encode())
        except psycopg.Error:
            _find_failure(params, statements)
            raise
        return introspect(conn)


def _plain_indexes(db: model.Database) -> model.Database:
    """The scratch build runs in one implicit transaction: no CONCURRENTLY there."""
    import dataclasses

    tables = [dataclasses.replace(t, indexes=tuple(dataclasses.replace(i, concurrently=False) for i in t.indexes))
              for t in db.tables]
    return dataclasses.replace(db, tables=tuple(tables))


def _find_failure(params: dict[str, Any], statements: list[str]) -> None:
    """Replay one statement at a time in another scratch database to name the one that fails."""
    with scratch_database(params) as conn:
        for n, statement in enumerate(statements, 1):
            try:
                conn.execute(statement.encode())
            except psycopg.Error as exc:
                msg = (exc.diag.message_primary or str(exc)).strip()
                raise BuildError(f"the schema does not build on PostgreSQL: statement {n} failed: {msg}: {statement.splitlines()[0]}") from None


def with_hints(canon: model.Database, source: model.Database) -> model.Database:
    """Put the schema module's renamed_from hints back on a canonicalised copy of it (a copy that
    already carries them, as the canonical form's build and cache do, is returned as it is)."""
    import dataclasses

    tables = {t.key: t for t in source.tables}
    enums = {e.key: e for e in source.enums}

    def hinted(objects: tuple, hints: dict[str, str | None]) -> tuple:
        out = tuple(o if o.renamed_from == hints.get(o.name) else dataclasses.replace(o, renamed_from=hints.get(o.name))
                    for o in objects)
        return objects if all(a is b for a, b in zip(out, objects, strict=True)) else out

    def table(t: model.Table) -> model.Table:
        src = tables.get(t.key)
        if src is None:
            return t
        cols = hinted(t.columns, {c.name: c.renamed_from for c in src.columns})
        indexes = hinted(t.indexes, {i.name: i.renamed_from for i in src.indexes})
        if cols is t.columns and indexes is t.indexes and t.renamed_from == src.renamed_from:
            return t
        return dataclasses.replace(t, columns=cols, indexes=indexes, renamed_from=src.renamed_from)

    return dataclasses.replace(
        canon,
        tables=tuple(table(t) for t in canon.tables),
        enums=tuple(dataclasses.replace(e, renamed_from=enums[e.key].renamed_from) if e.key in enums else e for e in canon.enums),
    )
