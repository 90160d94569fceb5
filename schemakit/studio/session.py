"""Connections for the studio: read-only unless a save asks otherwise, always with a timeout.

Read-only is PostgreSQL's, not ours: every browsing query and every console statement runs in a
`READ ONLY` transaction that is rolled back, on a connection of its own that is closed afterwards
(so a session-level lock or setting taken by a console statement dies with it). A superuser is
lowered to `pg_read_all_data` for the console, so server functions that bypass a read-only
transaction (signalling backends, reloading the configuration, COPY TO PROGRAM) are refused too.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from .. import conf
from ..conf import connection_params
from ..errors import SchemaKitError
from . import guard

STATEMENT_TIMEOUT_MS = 5_000
LOCK_TIMEOUT_MS = 2_000
MAX_RESULT_ROWS = 1_000


class StudioError(Exception):
    """A database error shown to the person as one line (with the SQLSTATE)."""


class Unreachable(StudioError):
    """The database cannot be reached (down, or its alias is wrong): the page answers 503."""


def alias() -> str:
    return conf.studio_database() or conf.database()


def database_error(exc: psycopg.Error) -> StudioError:
    """The error to show: Unreachable when no connection could be made (no SQLSTATE, or class 08)."""
    if exc.sqlstate is None or exc.sqlstate.startswith("08"):
        return Unreachable(f"cannot connect to the database: {one_line(exc)}")
    return StudioError(one_line(exc))


def one_line(exc: psycopg.Error) -> str:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{first} [{exc.sqlstate}]" if exc.sqlstate else first


def params() -> dict[str, Any]:
    """psycopg.connect() arguments of the studio's database; Unreachable when its alias is wrong."""
    try:
        return connection_params(alias())
    except SchemaKitError as exc:  # an unknown alias, an embedded server that cannot start
        raise Unreachable(f"cannot connect to the database: {exc}") from None


def _connect(application_name: str) -> psycopg.Connection:
    try:
        return psycopg.connect(**params(), application_name=application_name)
    except psycopg.Error as exc:
        raise Unreachable(f"cannot connect to the database: {one_line(exc)}") from None


@contextlib.contextmanager
def read_only(timeout_ms: int | None = None) -> Iterator[psycopg.Connection]:
    """A connection inside a READ ONLY transaction with a statement timeout; rolled back and closed after."""
    conn = _connect("schemakit db_studio")
    try:
        conn.execute("BEGIN READ ONLY")
        conn.execute("SELECT set_config('statement_timeout', %s, true)", [f"{timeout_ms or STATEMENT_TIMEOUT_MS}ms"])
        yield conn
    except psycopg.Error as exc:
        raise StudioError(one_line(exc)) from None
    finally:
        with contextlib.suppress(psycopg.Error):
            conn.rollback()
        conn.close()


@contextlib.contextmanager
def writable() -> Iterator[psycopg.Connection]:
    """One transaction for one save, with short lock and statement timeouts; committed when the block ends."""
    conn = _connect("schemakit db_studio (edit)")
    try:
        with conn.transaction():
            conn.execute("SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)",
                         [f"{STATEMENT_TIMEOUT_MS}ms", f"{LOCK_TIMEOUT_MS}ms"])
            yield conn
    except psycopg.Error as exc:
        raise StudioError(one_line(exc)) from None
    finally:
        conn.close()


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    status: str
    ms: int


def run_statement(text: str, explain: bool = False) -> Result:
    """Run one query read-only: checked by guard, streamed (at most MAX_RESULT_ROWS + 1 rows read), rolled back."""
    statement = text.strip().rstrip(";").strip()
    if not statement:
        raise StudioError("write one SQL statement")
    if explain:
        statement = "EXPLAIN " + statement
    try:
        guard.check(statement)
    except guard.Refused as exc:
        raise StudioError(str(exc)) from None
    with read_only() as conn:
        _lower_superuser(conn)
        start = time.perf_counter()
        rows: list[tuple[Any, ...]] = []
        with conn.cursor() as cur:
            try:
                # streamed, so a huge result never sits in memory; one statement (the extended protocol)
                for r in cur.stream(statement, size=100):  # type: ignore[arg-type]
                    rows.append(r)
                    if len(rows) > MAX_RESULT_ROWS:
                        break
            except psycopg.Error as exc:
                raise StudioError(one_line(exc)) from None
            ms = int((time.perf_counter() - start) * 1000)
            columns = [d.name for d in cur.description] if rows and cur.description else _columns(conn, statement)
        truncated = len(rows) > MAX_RESULT_ROWS
        status = f"{MAX_RESULT_ROWS:,}+ rows" if truncated else f"{len(rows):,} row{'' if len(rows) == 1 else 's'}"
        return Result(columns, rows[:MAX_RESULT_ROWS], truncated, status, ms)


def _lower_superuser(conn: psycopg.Connection) -> None:
    """Run a superuser's statement as pg_read_all_data (PostgreSQL 14+); refuse older servers."""
    if not conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
        return
    if conn.info.server_version < 140000:
        raise StudioError("the console will not run as a superuser before PostgreSQL 14 (no pg_read_all_data); "
                          "give the studio a plain role (SCHEMAKIT['STUDIO_DATABASE'])")
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier("pg_read_all_data")))


def _columns(conn: psycopg.Connection, statement: str) -> list[str]:
    """The column names of a query that returned no row (a stream of nothing carries no description)."""
    conn.pgconn.prepare(b"", statement.encode())
    described = conn.pgconn.describe_prepared(b"")
    return [described.fname(i).decode() for i in range(described.nfields)]
