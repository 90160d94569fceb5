"""The tracking table, the advisory lock, and applying and reverting migration files."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import psycopg

from .errors import LockTimeout, StatementError, TrackingTableError, pg_error_line
from .migrations_dir import split_statements
from .pg.quote import ident


@dataclass(frozen=True)
class Applied:
    name: str
    checksum: str
    applied_at: datetime
    execution_ms: int
    applied_by: str


def lock_key(schema: str, table: str) -> int:
    """A stable 63-bit advisory lock key per tracking table."""
    digest = hashlib.sha256(f"schemakit:{schema}.{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@contextlib.contextmanager
def advisory_lock(conn: psycopg.Connection, key: int, timeout: float = 300.0, poll: float = 0.1) -> Iterator[None]:
    """Hold a session advisory lock; waiters poll pg_try_advisory_lock and keep no query open."""
    deadline = time.monotonic() + timeout
    while not conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:
        if time.monotonic() > deadline:
            raise LockTimeout(f"another schemakit run held the migration lock for over {timeout:.0f} s (advisory lock {key})")
        time.sleep(poll)
    try:
        yield
    finally:
        if not conn.closed:
            with contextlib.suppress(psycopg.Error):
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


class Tracker:
    """The tracking table: one row per applied migration."""

    def __init__(self, conn: psycopg.Connection, schema: str, table: str) -> None:
        self.conn, self.schema, self.table = conn, schema, table
        self.qualified = ident(schema, table)

    def exists(self) -> bool:
        row = self.conn.execute("SELECT to_regclass(%s)", (self.qualified,)).fetchone()
        return row is not None and row[0] is not None

    def ensure(self) -> None:
        """Create the tracking table (and its schema) when missing; an existing one needs no CREATE privilege."""
        if self.exists():
            return
        try:
            self._create()
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TrackingTableError(f"cannot create the tracking table {self.schema}.{self.table}: {pg_error_line(exc)} "
                                     f"(the role needs CREATE on schema {self.schema}, or an owner creates the table once)") from None

    def _create(self) -> None:
        # CREATE SCHEMA IF NOT EXISTS checks CREATE on the database even when the schema exists,
        # which a least-privilege migrator lacks: run it only when the schema is missing
        if not self.conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)).fetchone():
            self.conn.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(self.schema)}")
        self.conn.execute(
            f"CREATE TABLE IF NOT EXISTS {self.qualified} ("
            " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " name text NOT NULL UNIQUE,"
            " checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now(),"
            " execution_ms integer NOT NULL,"
            " applied_by text NOT NULL DEFAULT current_user)"
        )

    def applied(self) -> list[Applied]:
        if not self.exists():
            return []
        with self.privileges("read"):
            rows = self.conn.execute(
                f"SELECT name, checksum, applied_at, execution_ms, applied_by FROM {self.qualified} ORDER BY name"
            ).fetchall()
        return [Applied(*r) for r in rows]

    def record(self, name: str, checksum: str, ms: int) -> None:
        with self.privileges("write to"):
            self.conn.execute(
                f"INSERT INTO {self.qualified} (name, checksum, execution_ms) VALUES (%s, %s, %s)", (name, checksum, ms)
            )

    def unrecord(self, name: str) -> None:
        with self.privileges("write to"):
            self.conn.execute(f"DELETE FROM {self.qualified} WHERE name = %s", (name,))

    @contextlib.contextmanager
    def privileges(self, action: str) -> Iterator[None]:
        """Turn a missing privilege on the tracking table into one line naming the table and the grant."""
        try:
            yield
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TrackingTableError(
                f"cannot {action} the tracking table {self.schema}.{self.table}: {pg_error_line(exc)} "
                f"(GRANT SELECT, INSERT, DELETE ON {self.qualified} TO {self.conn.info.user})") from None


def _message(exc: psycopg.Error) -> str:
    diag = exc.diag
    msg = (diag.message_primary or str(exc).strip().splitlines()[0]).strip()
    if diag.sqlstate:
        msg += f" [{diag.sqlstate}]"
    return msg


def run_file(conn: psycopg.Connection, where: str, text: str, transactional: bool,
             finish: Callable[[int], None]) -> int:
    """Run a file's statements, then `finish(ms)`; all in one transaction unless told otherwise."""
    statements = split_statements(text)
    start = time.monotonic()
    with conn.transaction() if transactional else contextlib.nullcontext():
        try:
            _execute_all(conn, where, statements)
        except StatementError as exc:
            if transactional or exc.number == 1:
                raise
            # outside a transaction what ran stays: say so, since a rerun starts from statement 1
            raise StatementError(where, exc.number, f"{exc.pg_message} (no-transaction file: statements "
                                 f"1-{exc.number - 1} stay applied and the file is not recorded)") from None
        ms = int((time.monotonic() - start) * 1000)
        finish(ms)
    return ms


def _execute_all(conn: psycopg.Connection, where: str, statements: list[str]) -> None:
    for n, statement in enumerate(statements, 1):
        try:
            conn.execute(statement.encode())  # bytes: no client-side % placeholders
        except psycopg.Error as exc:
            raise StatementError(where, n, _message(exc)) from None
