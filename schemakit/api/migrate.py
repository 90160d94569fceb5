"""generate / migrate / rollback / status: plain functions that never print."""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from . import migrations_dir as md
from .diff import Plan, diff
from .diff.renames import Resolver, inverse
from .errors import (
    ChecksumError,
    ConfigError,
    DriftError,
    Interrupted,
    MigrationsDirError,
    SchemaError,
    SchemaImportError,
    SchemaKitError,
    UsageError,
    located,
)
from .locks import Limits, Notify, Watcher, apply_limits, signal_name
from .migrator import Applied, Executor, Tracker, advisory_lock, lock_key, statement_hash
from .pg.introspect import Ignore, introspect, unmanaged
from .pg.render import render_all
from .pg.scratch import canonicalize
from .schema import model, snapshot
from .schema.compile import External, compile_objects, module_objects
from .steps import early_enum_values, split
from .steps import transactional as is_transactional

CUSTOM_HEADER = "-- schemakit:custom"
DOWN_CHECKSUM = "-- schemakit:down-checksum "


@dataclass
class Project:
    """Where things are: the schema module(s), the migrations folder, the database."""

    schema_modules: list[str]
    migrations_dir: Path
    params: Callable[[], dict[str, Any]] | None = None  # psycopg.connect() kwargs, resolved lazily
    tracking: tuple[str, str] = ("public", "schemakit_migrations")
    ignore: Ignore = field(default=lambda s, t: False)
    external: External | None = None  # resolves references to tables schemakit does not own
    limits: Limits = field(default_factory=Limits)  # lock/statement timeouts and retries of migrations

    def ignored(self, schema: str, name: str) -> bool:
        """What schemakit never touches: the tracking table and the configured ignores."""
        return (schema, name) == self.tracking or self.ignore(schema, name)

    @property
    def folder(self) -> md.MigrationsDir:
        return md.MigrationsDir(self.migrations_dir)

    def connection_params(self) -> dict[str, Any]:
        if self.params is None:
            raise SchemaKitError("no database configured")
        return self.params()

    def connect(self) -> psycopg.Connection:
        from .errors import DatabaseUnavailable, pg_error_line

        params = self.connection_params()
        try:
            return psycopg.connect(**params, autocommit=True)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(f"cannot connect to the database: {pg_error_line(exc)}") from None

    def load_schema(self) -> model.Database:
        """Compile the schema module(s); a path ending in .py is loaded from that file, afresh."""
        objects: list[Any] = []
        for m in self.schema_modules:
            objects.extend(_load_file(Path(m)) if m.endswith(".py") else module_objects(m))
        return compile_objects(objects, self.external)


def _load_file(path: Path) -> list[Any]:
    from .schema.compile import _COLLECTED

    name = f"schemakit_schema_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SchemaError(f"cannot load schema file {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        sys.modules[name] = module
        # from the source, never __pycache__: its check (mtime in whole seconds, size) misses an edit
        # of the same size within a second, and the previous schema would load
        exec(compile(path.read_bytes(), str(path), "exec", dont_inherit=True), module.__dict__)
    except SchemaError as exc:  # a mistake the language caught while the module ran
        raise located(exc) from None
    except Exception as exc:  # the user's module failed: one line, naming the file and line
        raise SchemaImportError.from_exception(str(path), exc) from None
    finally:
        sys.modules.pop(name, None)
    return [v for v in vars(module).values() if isinstance(v, _COLLECTED)]


# ---------------------------------------------------------------- generate


@dataclass
class Generated:
    paths: list[Path]
    sql: dict[str, str]  # file name -> text
    warnings: list[str]


def plan_changes(project: Project, resolver: Resolver) -> tuple[model.Database, model.Database, Plan, str | None]:
    folder = project.folder
    folder.ensure_valid()
    old, parent = folder.latest()
    new = project.load_schema()
    return old, new, diff(old, new, resolver), parent


def generate(project: Project, resolver: Resolver, name: str | None = None, custom: bool = False,
             now: datetime | None = None) -> Generated | None:
    """Write the next migration(s); return None when the schema has no changes.

    A custom migration is an empty pair over the latest snapshot: the schema module is not read."""
    folder = project.folder
    index = len(folder.journal())
    created = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if custom:
        folder.ensure_valid()
        old, parent = folder.latest()
        body = f"{CUSTOM_HEADER}\n-- Write this migration's SQL here; separate statements with a line\n-- {md.BREAKPOINT}\n"
        down = f"{CUSTOM_HEADER}\n-- Write the SQL that undoes this migration here.\n"
        return _write(folder, index, name, created, body, down, old, parent, True)[0]
    old, new, plan, parent = plan_changes(project, resolver)
    if not plan:
        return None
    down_resolver = inverse(resolver)
    out = Generated([], {}, [o.describe() for o in plan.warnings])
    for step_ops, before, after in split(plan, old, new):
        transactional = is_transactional(step_ops)
        up = md.join_statements(render_all(step_ops), transactional)
        down_plan = diff(after, before, down_resolver)
        # a down file that puts back an enum value and uses it runs statement by statement (values commit first)
        down_tx = is_transactional(down_plan.ops) and not early_enum_values(down_plan, before)
        down_body = md.join_statements(render_all(down_plan.ops), down_tx)
        down = _seal_down(down_body)
        g, parent = _write(folder, index, name, created, up, down, after, parent, transactional)
        out.paths += g.paths
        out.sql.update(g.sql)
        index += 1
    return out


def _split_no_transaction(text: str) -> tuple[str, str]:
    """(the no-transaction header line or "", the rest of a generated file)."""
    if text.startswith(md.NO_TRANSACTION + "\n"):
        return md.NO_TRANSACTION + "\n", text[len(md.NO_TRANSACTION) + 1:]
    return "", text


def _seal_down(text: str) -> str:
    """Put the checksum of a generated down file's body in its header, so edits are caught."""
    head, body = _split_no_transaction(text)
    return f"{head}{DOWN_CHECKSUM}{md.checksum(body.encode())}\n{body}"


def down_is_intact(text: str) -> bool | None:
    """True/False for a sealed down file's body matching its checksum; None for an unsealed one."""
    text = _split_no_transaction(text)[1]
    if not text.startswith(DOWN_CHECKSUM):
        return None
    first, _, body = text.partition("\n")
    return first[len(DOWN_CHECKSUM):].strip() == md.checksum(body.encode())


def _write(folder, index, name, created, up, down, db, parent, transactional) -> tuple[Generated, str]:
    """Write one migration; return what was written and the new snapshot's id."""
    entry = md.Entry(index, folder.next_name(index, name), created, transactional)
    sid = str(uuid.uuid4())
    paths = folder.write(entry, up, down, snapshot.dumps(db, sid, parent))
    return Generated(paths, {paths[0].name: up, paths[1].name: down}, []), sid


# ---------------------------------------------------------------- migrate


@dataclass
class MigrationState:
    entry: md.Entry | None
    name: str
    applied: Applied | None
    state: str  # applied, pending, partial, edited, missing
    total: int = 0  # statements in the file (set for a partial one)
    edited_statement: int | None = None  # a partial file's statement changed after it ran

    @property
    def progress(self) -> str:
        """"partial: 3 of 5 statements" for a no-transaction file that stopped part-way."""
        done = self.applied.done if self.applied else None
        return f"partial: {done} of {self.total} statements" if done is not None else ""


def _partial(e: md.Entry, a: Applied, text: str) -> MigrationState:
    """A no-transaction file part-way through: the statements recorded must be the file's, unchanged."""
    statements = md.split_statements(text)
    for n, recorded in enumerate(a.hashes, 1):
        if n > len(statements) or statement_hash(statements[n - 1]) != recorded:
            return MigrationState(e, e.name, a, "edited", len(statements), n)
    return MigrationState(e, e.name, a, "partial", len(statements))


def _states(folder: md.MigrationsDir, applied: list[Applied]) -> list[MigrationState]:
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
            out.append(_partial(e, a, folder.read_sql(path)))
        else:
            same = md.checksum(path.read_bytes()) == a.checksum
            out.append(MigrationState(e, e.name, a, "applied" if same else "edited"))
    out += [MigrationState(None, a.name, a, "missing") for a in by_name.values()]
    return out


def _refuse_broken(states: list[MigrationState], folder: md.MigrationsDir) -> None:
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
    from .errors import NotSupported

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


def _pending(states: list[MigrationState], folder: md.MigrationsDir, to: str | None) -> list[md.Entry]:
    pending = [s.entry for s in states if s.state in ("pending", "partial") and s.entry is not None]
    if to is not None:
        target = folder.resolve(to)
        pending = [e for e in pending if e.index <= target.index]
    return pending


@contextlib.contextmanager
def _locked(project: Project, create_table: bool, command: str = "db_migrate",
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
def _interruptible(what: list[str]) -> Iterator[None]:
    """Turn Ctrl-C/SIGTERM (psycopg has cancelled the statement by then) into one line."""
    try:
        yield
    except KeyboardInterrupt as exc:
        code = 143 if signal_name(exc) == "SIGTERM" else 130
        raise Interrupted(f"interrupted by {signal_name(exc)} while {what[0]}: the running statement was "
                          f"cancelled; {what[1]}", code) from None


def migrate(project: Project, to: str | None = None, fake: bool = False,
            progress: Callable[[Step], None] | None = None, notify: Notify | None = None,
            allow_drift: bool = True) -> list[Step]:
    """Apply pending migrations in order, each in its own transaction, under an advisory lock; unless
    `allow_drift`, check the live schema against the snapshots before the first file and after the last."""
    folder = project.folder
    done: list[Step] = []
    what = ["waiting for the migration lock", "nothing changed"]
    with _interruptible(what), _locked(project, create_table=True, notify=notify) as (conn, tracker):
        states = _states(folder, tracker.applied())
        _refuse_broken(states, folder)
        pending = _pending(states, folder, to)
        texts = {e.name: _up_text(folder, e) for e in pending}  # check every file before running any
        refuse_newer_features(conn, [(folder.up_path(name).name, text) for name, text in texts.items()])
        if fake or not pending:
            return _fake(folder, tracker, pending, progress)
        check_limits(conn, project.limits)
        if not allow_drift:
            guard_before(project, conn, states)
        with Watcher(project.connection_params(), conn.info.backend_pid, notify or (lambda line: None),
                     project.limits.report_every) as watcher:
            ex = Executor(conn, project.limits, notify, watcher)
            started = {s.name: s.applied.done for s in states if s.state == "partial" and s.applied}
            for e in pending:
                done.append(_apply_one(project, tracker, ex, e, started.get(e.name), what))
                if progress:
                    progress(done[-1])
        if not allow_drift:
            guard_after(project, conn, pending[-1])
    return done


def _fake(folder: md.MigrationsDir, tracker: Tracker, pending: list[md.Entry],
          progress: Callable[[Step], None] | None) -> list[Step]:
    done = []
    for e in pending:
        tracker.record(e.name, md.checksum(folder.up_path(e.name).read_bytes()), 0)
        done.append(Step(e.name, folder.read_sql(folder.up_path(e.name))))
        if progress:
            progress(done[-1])
    return done


def guard_before(project: Project, conn: psycopg.Connection, states: list[MigrationState]) -> None:
    """Refuse to start on a database that differs from the snapshot of the last applied migration."""
    if any(s.state == "partial" for s in states):
        return  # resuming: the partial file's own statements are the expected difference
    applied = [s.entry for s in states if s.state == "applied" and s.entry is not None]
    if not applied:
        return
    expected, _, _ = project.folder.read_snapshot(applied[-1].index)
    differences = drift(project, conn, expected)
    if differences:
        raise DriftError(f"the database differs from the snapshot of {applied[-1].name}, so the pending migrations "
                         f"may not do what they say; it would need: {'; '.join(differences)} "
                         "(fix it, or run with --allow-drift)")


def guard_after(project: Project, conn: psycopg.Connection, last: md.Entry) -> None:
    """After the last file: the database must match its snapshot (a custom migration may change what the
    schema module does not declare)."""
    expected, _, _ = project.folder.read_snapshot(last.index)
    differences = drift(project, conn, expected)
    if differences:
        raise DriftError(f"the migrations were applied, but the database now differs from the snapshot of "
                         f"{last.name}; to match it, it would need: {'; '.join(differences)} "
                         "(did a custom migration change structure the schema module does not declare?)")


def _apply_one(project: Project, tracker: Tracker, ex: Executor, e: md.Entry, start: int | None,
               what: list[str]) -> Step:
    """Run one file; a no-transaction file records each statement, and resumes after `start` of them."""
    path = project.folder.up_path(e.name)
    data = path.read_bytes()
    text, cs = project.folder.read_sql(path), md.checksum(data)  # a BOM is dropped, the checksum keeps the bytes
    transactional = md.is_transactional(text)
    name_session(ex.conn, f"schemakit db_migrate {e.name}")
    what[0] = f"running {path.name}"
    what[1] = (f"nothing of {path.name} was applied" if transactional else f"{path.name} is a no-transaction file: "
               "the statements before the interrupted one stay applied and recorded; db_migrate resumes there")
    step = Step(e.name, text)
    if transactional:
        step.ms = ex.run_file(path.name, text, True, lambda ms: tracker.record(e.name, cs, ms))
        return step
    if start is None:
        tracker.begin(e.name, cs)
    step.ms = ex.run_file(path.name, text, False, lambda ms: tracker.record(e.name, cs, ms), start,
                          lambda n, statement: tracker.progress(e.name, n, statement))
    return step


def plan_migrate(project: Project, to: str | None = None) -> list[Step]:
    """Return the pending migrations and their SQL, changing nothing."""
    folder = project.folder
    folder.ensure_valid()
    from .plan_locks import annotate

    with project.connect() as conn:
        states = _states(folder, Tracker(conn, *project.tracking).applied())
        _refuse_broken(states, folder)
        steps = [Step(e.name, _up_text(folder, e)) for e in _pending(states, folder, to)]
        for step in steps:
            step.notes = [(sql, annotate(conn, sql)) for sql in md.split_statements(step.sql)]
    return steps


def _up_text(folder: md.MigrationsDir, e: md.Entry) -> str:
    """A pending file's text, refused if it is transactional and controls transactions itself."""
    path = folder.up_path(e.name)
    text = folder.read_sql(path)
    if md.is_transactional(text):
        md.refuse_transaction_control(path.name, text)
    return text


def baseline(project: Project, name: str) -> list[str]:
    """Record every migration up to and including `name` as applied, on a database with none applied."""
    folder = project.folder
    target = folder.resolve(name)
    with _locked(project, create_table=True) as (_, tracker):
        if tracker.applied():
            raise UsageError("--baseline needs a database with no migrations applied; this one has some")
        names = []
        for e in folder.journal()[: target.index + 1]:
            tracker.record(e.name, md.checksum(folder.up_path(e.name).read_bytes()), 0)
            names.append(e.name)
    return names


def rollback(project: Project, steps: int | None = None, to: str | None = None,
             progress: Callable[[Step], None] | None = None, force: bool = False,
             notify: Notify | None = None) -> list[Step]:
    """Run the down files of the newest applied migrations and unrecord them.

    A down file with no statement is refused (it would undo nothing) unless `force`."""
    folder = project.folder
    done: list[Step] = []
    what = ["waiting for the migration lock", "nothing changed"]
    with _interruptible(what), _locked(project, False, "db_rollback", notify) as (conn, tracker):
        chosen = _rollback_entries(folder, tracker, steps, to)
        partial = {s.name: s for s in _states(folder, tracker.applied()) if s.state == "partial"}
        texts = {e.name: _down_text(folder, e, force) for e in chosen}  # check every file before running any
        texts.update({name: _partial_down(conn, folder, s, texts[name]) for name, s in partial.items() if name in texts})
        ex = Executor(conn, project.limits, notify)
        for e in chosen:
            text = texts[e.name]
            step = Step(e.name, text)
            transactional = md.is_transactional(text)
            name_session(conn, f"schemakit db_rollback {e.name}")
            what[:] = [f"running {folder.down_path(e.name).name}", "the migrations rolled back before it stay rolled back"]
            step.ms = ex.run_file(folder.down_path(e.name).name, text, transactional,
                                  lambda ms, e=e: tracker.unrecord(e.name))
            done.append(step)
            if progress:
                progress(step)
    return done


def _partial_down(conn: psycopg.Connection, folder: md.MigrationsDir, state: MigrationState, down: str) -> str:
    """The down statements that undo what a partial no-transaction file ran: the DROP INDEX of each index
    its statements built (read by PostgreSQL's parser); anything else is left to a human."""
    from .migrator import concurrent_index, dropped_index, repair

    up = md.split_statements(folder.read_sql(folder.up_path(state.name)))
    done = state.applied.done if state.applied else 0
    if done < len(up) and repair(conn, up[done]) == "done":
        done += 1  # the interrupted statement had finished (its index is there and valid)
    built = [concurrent_index(s) for s in up[:done]]
    undo = [d for d in md.split_statements(down) if dropped_index(d) in {b[0] for b in built if b}]
    if None in built or len(undo) != done:
        raise MigrationsDirError(f"{folder.down_path(state.name)}: cannot tell which statements undo the {done} of "
                                 f"{len(up)} that ran ({state.progress}); undo them by hand, then db_migrate --fake")
    return md.join_statements(undo, transactional=False) if undo else ""


def empty_down(folder: md.MigrationsDir, name: str) -> str | None:
    """Why the down file of migration `name` cannot undo it (it has no statement), or None."""
    path = folder.down_path(name)
    if path.exists() and not md.split_statements(folder.read_sql(path)):
        return f"{path.name} has no statement: db_rollback refuses it without --force (write the SQL that undoes {name})"
    return None


def plan_rollback(project: Project, steps: int | None = None, to: str | None = None) -> list[tuple[Step, list[str]]]:
    """The down files a rollback would run, newest first, each with what it drops and the rows lost."""
    from .losses import dropped

    folder = project.folder
    with _locked(project, create_table=False) as (conn, tracker):
        chosen = _rollback_entries(folder, tracker, steps, to)
        return [(Step(e.name, text), dropped(conn, text)) for e in chosen for text in [_down_text(folder, e, True)]]


def _rollback_entries(folder: md.MigrationsDir, tracker: Tracker, steps: int | None, to: str | None) -> list[md.Entry]:
    states = _states(folder, tracker.applied())
    _refuse_broken(states, folder)
    applied = [s.entry for s in states if s.state in ("applied", "partial") and s.entry is not None]
    if to is not None:
        target = folder.resolve(to)
        return list(reversed([e for e in applied if e.index > target.index]))
    n = 1 if steps is None else steps
    if n < 1:
        raise UsageError("--steps must be 1 or more")
    return list(reversed(applied[-n:]))


def _down_text(folder: md.MigrationsDir, e: md.Entry, force: bool = False) -> str:
    path = folder.down_path(e.name)
    if not path.exists():
        raise MigrationsDirError(f"{path} is missing: cannot roll back {e.name}")
    text = folder.read_sql(path)
    if md.is_transactional(text):
        md.refuse_transaction_control(path.name, text)
    intact = down_is_intact(text)
    if intact is False:
        raise ChecksumError(f"{path} was edited after it was generated (checksum differs); refusing to run it")
    if not force and (why := empty_down(folder, e.name)):
        raise MigrationsDirError(f"{folder.path}/{why}")
    return text


# ---------------------------------------------------------------- status


@dataclass
class Status:
    migrations: list[MigrationState]
    drift: list[str] | None  # None: not checked (nothing applied); []: no drift
    unmanaged: list[str] = field(default_factory=list)

    @property
    def problems(self) -> bool:
        return bool(self.drift) or any(m.state != "applied" for m in self.migrations)


def drift(project: Project, conn: psycopg.Connection, expected: model.Database) -> list[str]:
    """What differs between the live database and `expected`, as the changes the database would need."""
    live = introspect(conn, project.ignored)
    want = canonicalize(project.connection_params(), expected)
    plan = diff(live, want, Resolver(no_renames=True))
    return [op.describe() for op in plan.ops]


def status(project: Project, check_drift: bool = True) -> Status:
    folder = project.folder
    folder.ensure_valid()
    with project.connect() as conn:
        states = _states(folder, Tracker(conn, *project.tracking).applied())
        last = [s.entry for s in states if s.state != "pending" and s.entry is not None]
        result = Status(states, None, unmanaged(conn, project.ignored))
        if check_drift and last:
            expected, _, _ = folder.read_snapshot(last[-1].index)
            result.drift = drift(project, conn, expected)
    return result
