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
from ..db import connection_params

STATEMENT_TIMEOUT_MS = 5_000
LOCK_TIMEOUT_MS = 2_000
MAX_RESULT_ROWS = 1_000


class StudioError(Exception):
    """A database error shown to the person as one line (with the SQLSTATE)."""


def alias() -> str:
    return conf.studio_database() or conf.database()


def one_line(exc: psycopg.Error) -> str:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{first} [{exc.sqlstate}]" if exc.sqlstate else first


@contextlib.contextmanager
def read_only(timeout_ms: int | None = None) -> Iterator[psycopg.Connection]:
    """A connection inside a READ ONLY transaction with a statement timeout; rolled back and closed after."""
    try:
        conn = psycopg.connect(**connection_params(alias()), application_name="schemakit db_studio")
    except psycopg.Error as exc:
        raise StudioError(f"cannot connect to the database: {one_line(exc)}") from None
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
    try:
        conn = psycopg.connect(**connection_params(alias()), application_name="schemakit db_studio (edit)")
    except psycopg.Error as exc:
        raise StudioError(f"cannot connect to the database: {one_line(exc)}") from None
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
    """Run one statement read-only: prepared (so PostgreSQL refuses a second statement), rolled back."""
    statement = text.strip().rstrip(";").strip()
    if not statement:
        raise StudioError("write one SQL statement")
    if explain:
        statement = "EXPLAIN " + statement
    with read_only() as conn:
        if conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            if conn.info.server_version >= 140000:
                conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier("pg_read_all_data")))
        start = time.perf_counter()
        with conn.cursor() as cur:
            try:
                cur.execute(statement, prepare=True)  # type: ignore[arg-type]  # the extended protocol: one statement
            except psycopg.Error as exc:
                raise StudioError(one_line(exc)) from None
            ms = int((time.perf_counter() - start) * 1000)
            if cur.description is None:
                return Result([], [], False, cur.statusmessage or "", ms)
            rows = cur.fetchmany(MAX_RESULT_ROWS + 1)
            columns = [d.name for d in cur.description]
            return Result(columns, rows[:MAX_RESULT_ROWS], len(rows) > MAX_RESULT_ROWS, cur.statusmessage or "", ms)
