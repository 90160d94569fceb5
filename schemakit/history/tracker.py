"""The tracking table of applied migrations and the advisory lock around a run."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import psycopg

from ..errors import LockTimeout, TrackingTableError, pg_error_line
from ..pg.quote import ident
from .locks import Notify, advisory_holders, describe


@dataclass(frozen=True)
class Applied:
    name: str
    checksum: str
    applied_at: datetime
    execution_ms: int
    applied_by: str
    done: int | None = None  # a no-transaction file part-way through: statements run so far
    hashes: tuple[str, ...] = ()  # statement_hash() of each statement run, for a partial file


def statement_hash(statement: str) -> str:
    return hashlib.sha256(statement.strip().encode()).hexdigest()[:16]


def lock_key(schema: str, table: str) -> int:
    """A stable 63-bit advisory lock key per tracking table."""
    digest = hashlib.sha256(f"schemakit:{schema}.{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@contextlib.contextmanager
def advisory_lock(conn: psycopg.Connection, key: int, timeout: float = 300.0, poll: float = 0.1,
                  notify: Notify | None = None, every: float = 3.0) -> Iterator[None]:
    """Hold a session advisory lock; waiters poll pg_try_advisory_lock, keep no query open, and say who holds it."""
    started = time.monotonic()
    reported: float | None = None
    while not conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:
        now = time.monotonic()
        if now - started > timeout:
            raise LockTimeout(f"another schemakit run held the migration lock for over {timeout:.0f} s "
                              f"(advisory lock {key}): {describe(advisory_holders(conn, key))}")
        if notify and (reported is None or now - reported >= every):
            reported = now
            notify(f"  waiting for {describe(advisory_holders(conn, key))}")
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
            self._add_progress_columns()
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
        self._add_progress_columns()

    def _add_progress_columns(self) -> None:
        """Tables made by older versions lack the progress columns; add them (only then: ALTER locks)."""
        have = {r[0] for r in self.conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0", (self.qualified,))}
        if "statements_done" in have:
            return
        alter = (f"ALTER TABLE {self.qualified} ADD COLUMN IF NOT EXISTS statements_done integer,"
                 " ADD COLUMN IF NOT EXISTS statement_hashes text[] NOT NULL DEFAULT '{}'")
        try:
            self.conn.execute(alter)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TrackingTableError(f"the tracking table {self.schema}.{self.table} needs two new columns and this role "
                                     f"cannot add them: {pg_error_line(exc)} (its owner runs once: {alter})") from None

    def applied(self) -> list[Applied]:
        if not self.exists():
            return []
        with self.privileges("read"):
            rows = self.conn.execute(  # to_jsonb: a table made by an older version has no progress columns yet
                f"SELECT name, checksum, applied_at, execution_ms, applied_by, (to_jsonb(t)->>'statements_done')::int,"
                f" coalesce(to_jsonb(t)->'statement_hashes', '[]') FROM {self.qualified} t ORDER BY name"
            ).fetchall()
        return [Applied(*r[:6], tuple(r[6])) for r in rows]

    def record(self, name: str, checksum: str, ms: int) -> None:
        """Record a migration as applied (completing a partial no-transaction file's row)."""
        with self.privileges("write to"):
            self.conn.execute(
                f"INSERT INTO {self.qualified} AS t (name, checksum, execution_ms) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now(),"
                " execution_ms = t.execution_ms + excluded.execution_ms, statements_done = NULL",
                (name, checksum, ms))

    def add(self, name: str, checksum: str, ms: int) -> None:
        """Record a transactional file as applied: a plain INSERT, so the role needs no UPDATE."""
        with self.privileges("write to"):
            self.conn.execute(f"INSERT INTO {self.qualified} (name, checksum, execution_ms) VALUES (%s, %s, %s)",
                              (name, checksum, ms))

    def require_update(self, why: str) -> None:
        """Refuse, before anything runs, when this role cannot UPDATE the tracking table."""
        row = self.conn.execute("SELECT has_table_privilege(%s, 'UPDATE')", (self.qualified,)).fetchone()
        if not row[0]:
            raise TrackingTableError(
                f"{why}, which needs UPDATE on the tracking table {self.schema}.{self.table} and {self.conn.info.user} "
                f"lacks it; nothing ran (GRANT UPDATE ON {self.qualified} TO {ident(self.conn.info.user)})")

    def begin(self, name: str, checksum: str) -> None:
        """A no-transaction file starts: recorded as partial with no statement done, before the first runs."""
        with self.privileges("write to"):
            self.conn.execute(f"INSERT INTO {self.qualified} (name, checksum, execution_ms, statements_done)"
                              " VALUES (%s, %s, 0, 0) ON CONFLICT (name) DO NOTHING", (name, checksum))

    def progress(self, name: str, n: int, hashes: list[str]) -> None:
        """Statement `n` of a no-transaction file has run; `hashes` are statement_hash() of statements 1 to n."""
        with self.privileges("write to"):
            self.conn.execute(f"UPDATE {self.qualified} SET statements_done = %s, statement_hashes = %s WHERE name = %s",
                              (n, hashes[:n], name))

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
                f"(GRANT SELECT, INSERT, UPDATE, DELETE ON {self.qualified} TO {self.conn.info.user})") from None
