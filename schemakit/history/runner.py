"""Running migration files: one transaction or statement by statement, timeouts, retries, repair of a crashed statement."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable

import psycopg

from ..errors import LockNotAvailable, StatementError
from ..pg.quote import ident
from .folder import split_statements
from .locks import NO_LIMITS, Limits, Notify, Watcher, apply_limits, describe, reset_limits


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
        statements = split_statements(text, where)
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
