"""What each migration is on a database (applied, pending, partial, edited), and the session around a run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg

from ..errors import (
    ChecksumError,
    ConfigError,
    Interrupted,
)
from ..history import folder as md
from ..history.locks import Limits, Notify, apply_limits
from ..history.tracker import Applied, Tracker, advisory_lock, lock_key, statement_hash
from ..interrupts import signal_name
from ..pg.split import legacy_chunks, legacy_count
from .project import Project


@dataclass
class MigrationState:
    entry: md.Entry | None
    name: str
    applied: Applied | None
    state: str  # applied, pending, partial, edited, missing
    total: int = 0  # statements in the file (set for a partial one)
    edited_statement: int | None = None  # a partial file's statement changed after it ran
    done: int | None = None  # a partial file's statements that ran, as the parser splits the file

    @property
    def progress(self) -> str:
        """"partial: 3 of 5 statements" for a no-transaction file that stopped part-way."""
        return f"partial: {self.done} of {self.total} statements" if self.done is not None else ""


def _partial(e: md.Entry, a: Applied, text: str, where: str) -> MigrationState:
    """A no-transaction file part-way through: the statements recorded must be the file's, unchanged."""
    statements = md.split_statements(text, where)  # a file edited into one that does not parse: that error
    done, edited = recorded_prefix(text, statements, a.hashes)
    return MigrationState(e, e.name, a, "edited" if edited else "partial", len(statements), edited, done)


def recorded_prefix(text: str, statements: list[str], hashes: tuple[str, ...]) -> tuple[int, int | None]:
    """(how many statements ran, the first one edited since or None), from the hashes recorded.

    Versions before parser splitting hashed the file's breakpoint chunks (comments and semicolon
    included; one chunk could hold several statements): such a record is matched chunk by chunk
    and counted in parser statements."""
    now = [statement_hash(s) for s in statements]
    if list(hashes) == now[:len(hashes)] and len(hashes) <= len(now):
        return len(hashes), None
    if list(hashes) == [statement_hash(c) for _, c in legacy_chunks(text)][:len(hashes)]:
        return legacy_count(text, len(hashes)), None
    edited = next(n for n, h in enumerate(hashes, 1) if n > len(now) or now[n - 1] != h)
    return len(hashes), edited


def migration_states(folder: md.MigrationsDir, applied: list[Applied]) -> list[MigrationState]:
    by_name = {a.name: a for a in applied}
    out = []
    for e in folder.journal():
        a = by_name.pop(e.name, None)
        path = folder.up_path(e.name)
        if a is None:
            out.append(MigrationState(e, e.name, None, "pending"))
        elif not path.exists():
            out.append(MigrationState(e, e.name, a, "missing"))
        elif a.done is not None:
            out.append(_partial(e, a, folder.read_sql(path), path.name))
        else:
            same = md.checksum(path.read_bytes()) == a.checksum
            out.append(MigrationState(e, e.name, a, "applied" if same else "edited"))
    out += [MigrationState(None, a.name, a, "missing") for a in by_name.values()]
    return out


def refuse_broken(states: list[MigrationState], folder: md.MigrationsDir) -> None:
    for s in states:
        if s.edited_statement is not None:
            raise ChecksumError(
                f"{folder.up_path(s.name)}: statement {s.edited_statement} was edited after it ran "
                f"({s.progress}); restore it to resume"
            )
        if s.state == "edited":
            raise ChecksumError(
                f"{folder.up_path(s.name)} was edited after it was applied (checksum differs); "
                "restore it, and put new changes in a new migration"
            )
        if s.state == "missing":
            raise ChecksumError(f"{folder.up_path(s.name)} was applied but the file is missing; restore it")


def refuse_newer_features(conn: psycopg.Connection, files: list[tuple[str, str]]) -> None:
    """Refuse, before running anything, SQL that needs a newer server than this one."""
    from ..errors import NotSupported

    version = conn.info.server_version
    if version >= 150000:
        return
    for name, text in files:
        if "NULLS NOT DISTINCT" in text.upper():
            raise NotSupported(f"{name}: NULLS NOT DISTINCT (nulls_distinct=False) needs PostgreSQL 15 or newer; "
                               f"this server is {version // 10000}")


@dataclass
class Step:
    name: str
    sql: str
    ms: int = 0
    notes: list[tuple[str, list[str]]] = field(default_factory=list)  # --plan: each statement and its locks


def pending_entries(states: list[MigrationState], folder: md.MigrationsDir, to: str | None) -> list[md.Entry]:
    pending = [s.entry for s in states if s.state in ("pending", "partial") and s.entry is not None]
    if to is not None:
        target = folder.resolve(to)
        pending = [e for e in pending if e.index <= target.index]
    return pending


@contextlib.contextmanager
def locked(project: Project, create_table: bool, command: str = "db_migrate",
            notify: Notify | None = None) -> Iterator[tuple[psycopg.Connection, Tracker]]:
    """A connection holding the migration lock, and the tracking table (created if asked)."""
    project.folder.ensure_valid()
    with project.connect() as conn:
        name_session(conn, f"schemakit {command}")
        with advisory_lock(conn, lock_key(*project.tracking), notify=notify, every=project.limits.report_every):
            tracker = Tracker(conn, *project.tracking)
            if create_table:
                tracker.ensure()
            yield conn, tracker


def name_session(conn: psycopg.Connection, name: str) -> None:
    """Set application_name, so pg_stat_activity (and a waiting db_migrate) shows what runs; a name the
    operator chose (PGAPPNAME, the connection options) is kept."""
    conn.execute("SELECT set_config('application_name', %s, false)"
                 " WHERE current_setting('application_name') = ''"
                 " OR starts_with(current_setting('application_name'), 'schemakit ')",
                 (name[:63],))


def check_limits(conn: psycopg.Connection, limits: Limits) -> None:
    """Refuse a bad LOCK_TIMEOUT/STATEMENT_TIMEOUT before anything runs."""
    try:
        with conn.transaction():
            apply_limits(conn, limits, local=True)
    except psycopg.Error as exc:
        raise ConfigError(f"bad timeout setting {dict(limits.settings())}: {exc.diag.message_primary}") from None


@contextlib.contextmanager
def interruptible(what: list[str]) -> Iterator[None]:
    """Turn Ctrl-C/SIGTERM (psycopg has cancelled the statement by then) into one line."""
    try:
        yield
    except KeyboardInterrupt as exc:
        code = 143 if signal_name(exc) == "SIGTERM" else 130
        raise Interrupted(f"interrupted by {signal_name(exc)} while {what[0]}: the running statement was "
                          f"cancelled; {what[1]}", code) from None


