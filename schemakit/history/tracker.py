"""The tracking table, the advisory lock, and applying and reverting migration files."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import psycopg

from .errors import LockNotAvailable, LockTimeout, StatementError, TrackingTableError, pg_error_line
from .locks import NO_LIMITS, Limits, Notify, Watcher, advisory_holders, apply_limits, describe, reset_limits
from .migrations_dir import split_statements
from .pg.quote import ident


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

    def begin(self, name: str, checksum: str) -> None:
        """A no-transaction file starts: recorded as partial with no statement done, before the first runs."""
        with self.privileges("write to"):
            self.conn.execute(f"INSERT INTO {self.qualified} (name, checksum, execution_ms, statements_done)"
                              " VALUES (%s, %s, 0, 0) ON CONFLICT (name) DO NOTHING", (name, checksum))

    def progress(self, name: str, n: int, statement: str) -> None:
        """Statement `n` of a no-transaction file has run."""
        with self.privileges("write to"):
            self.conn.execute(
                f"UPDATE {self.qualified} SET statements_done = %s,"
                " statement_hashes = statement_hashes[1:%s - 1] || ARRAY[%s] WHERE name = %s",
                (n, n, statement_hash(statement), name))

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


def _message(exc: psycopg.Error) -> str:
    diag = exc.diag
    msg = (diag.message_primary or str(exc).strip().splitlines()[0]).strip()
    if diag.sqlstate:
        msg += f" [{diag.sqlstate}]"
    return msg


def run_file(conn: psycopg.Connection, where: str, text: str, transactional: bool,
             finish: Callable[[int], None]) -> int:
    """Run a file's statements, then `finish(ms)`; all in one transaction unless told otherwise."""
    return Executor(conn).run_file(where, text, transactional, finish)


class _LockBusy(Exception):
    def __init__(self, number: int, message: str, holders: list) -> None:
        self.number, self.message, self.holders = number, message, holders


class Executor:
    """Runs migration files on one connection: timeouts, retries after lock timeouts, who blocks us."""

    def __init__(self, conn: psycopg.Connection, limits: Limits = NO_LIMITS, notify: Notify | None = None,
                 watcher: Watcher | None = None) -> None:
        self.conn, self.limits, self.watcher = conn, limits, watcher
        self.notify = notify or (lambda line: None)
        self.position: tuple[str, int] | None = None  # the file and statement running now

    def run_file(self, where: str, text: str, transactional: bool, finish: Callable[[int], None],
                 start: int | None = None, step_done: Callable[[int, str], None] | None = None) -> int:
        """Run the statements (resuming after the first `start`), then `finish(ms)`; `step_done(n, sql)` records progress."""
        statements = split_statements(text)
        began = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - began) * 1000)

        if transactional:
            self._in_transaction(where, statements, lambda: finish(elapsed()))
        else:
            self._one_by_one(where, statements, start, step_done)
            finish(elapsed())
        self.position = None
        return elapsed()

    def _in_transaction(self, where: str, statements: list[str], finish: Callable[[], None]) -> None:
        for attempt in itertools.count():
            try:
                with self.conn.transaction():
                    apply_limits(self.conn, self.limits, local=True)
                    for n, statement in enumerate(statements, 1):
                        self._execute(where, n, statement)
                    finish()
                return
            except _LockBusy as busy:
                self._retry_or_give_up(where, busy, attempt, "nothing of the file was applied (its transaction rolled back)")

    def _one_by_one(self, where: str, statements: list[str], start: int | None,
                    step_done: Callable[[int, str], None] | None) -> None:
        first = (start or 0) + 1
        for n in range(first, len(statements) + 1):
            statement = statements[n - 1]
            if n == first and start is not None and repair(self.conn, statement) == "done":
                self.notify(f"  {where}: statement {n} had finished before the interruption (its index is valid)")
            else:
                self._one_statement(where, n, statement, step_done is not None)
            if step_done:
                step_done(n, statement)

    def _one_statement(self, where: str, n: int, statement: str, resumable: bool) -> None:
        stays = f"statements 1-{n - 1} stay applied" if n > 1 else "nothing stays applied"
        stays += f" (recorded: the next db_migrate resumes at statement {n})" if resumable else " and the file is not recorded"
        for attempt in itertools.count():
            try:
                apply_limits(self.conn, self.limits, local=False)
                self._execute(where, n, statement)
                return
            except _LockBusy as busy:
                self._retry_or_give_up(where, busy, attempt, f"no-transaction file: {stays}")
                repair(self.conn, statement)  # a timed-out CONCURRENTLY build leaves an INVALID index
            except StatementError as exc:
                if n == 1:
                    raise
                raise StatementError(where, n, f"{exc.pg_message} (no-transaction file: {stays})") from None
            finally:
                reset_limits(self.conn, self.limits)

    def _execute(self, where: str, n: int, statement: str) -> None:
        self.position = (where, n)
        watch = self.watcher.watching(f"{where} statement {n}") if self.watcher else contextlib.nullcontext()
        with watch:
            try:
                self.conn.execute(statement.encode())  # bytes: no client-side % placeholders
            except psycopg.errors.LockNotAvailable as exc:
                raise _LockBusy(n, _message(exc), list(self.watcher.last) if self.watcher else []) from None
            except psycopg.Error as exc:
                raise StatementError(where, n, _message(exc)) from None

    def _retry_or_give_up(self, where: str, busy: _LockBusy, attempt: int, applied: str) -> None:
        held = describe(busy.holders)
        if attempt >= self.limits.retries:
            tries = f"{attempt + 1} attempt" + ("s" if attempt else "")
            raise LockNotAvailable(where, busy.number, f"{busy.message} ({tries}); the lock was held by {held}; {applied}")
        delay = self.limits.delay(attempt)
        self.notify(f"  {where}: statement {busy.number}: lock timeout, held by {held}; "
                    f"retry {attempt + 1} of {self.limits.retries} in {delay:.1f} s")
        time.sleep(delay)


def repair(conn: psycopg.Connection, statement: str) -> str:
    """Before running a CREATE INDEX CONCURRENTLY again: "done" if its index exists and is valid,
    otherwise drop the INVALID index an interrupted build left and return "run"."""
    target = concurrent_index(statement)
    if target is None:
        return "run"
    if target[1] is None:  # unqualified: the index lives in its table's schema
        row = conn.execute("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                           " WHERE c.oid = to_regclass(%s)", (target[2],)).fetchone()
        if row is None:
            return "run"
        target = (target[0], row[0], target[2])
    row = conn.execute(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = %s AND n.nspname = %s", target[:2]).fetchone()
    if row is None:
        return "run"
    if row[0]:
        return "done"
    conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {ident(target[1], target[0])}".encode())
    return "run"


def concurrent_index(statement: str) -> tuple[str, str | None, str] | None:
    """(index, schema or None, table as written) of a CREATE INDEX CONCURRENTLY statement, read by PostgreSQL's parser."""
    import pglast

    try:
        parsed = pglast.parse_sql(statement)
    except pglast.parser.ParseError:
        return None
    node = parsed[0].stmt if len(parsed) == 1 else None
    if not isinstance(node, pglast.ast.IndexStmt) or not node.concurrent or not node.idxname:
        return None
    rel = node.relation
    table = ident(rel.schemaname, rel.relname) if rel.schemaname else ident(rel.relname)
    return node.idxname, rel.schemaname, table


def dropped_index(statement: str) -> str | None:
    """The index a DROP INDEX statement drops (one index only), read by PostgreSQL's parser."""
    import pglast
    from pglast.enums import ObjectType

    try:
        parsed = pglast.parse_sql(statement)
    except pglast.parser.ParseError:
        return None
    node = parsed[0].stmt if len(parsed) == 1 else None
    if not isinstance(node, pglast.ast.DropStmt) or node.removeType != ObjectType.OBJECT_INDEX or len(node.objects) != 1:
        return None
    return node.objects[0][-1].sval
