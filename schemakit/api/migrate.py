"""db_migrate, db_rollback and --baseline: apply and revert migration files, never printing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from ..errors import (
    CannotCanonicalise,
    ChecksumError,
    DriftError,
    MigrationsDirError,
    UsageError,
)
from ..history import folder as md
from ..history.locks import Notify, Watcher
from ..history.runner import Executor
from ..history.seal import down_is_intact
from ..history.tracker import Tracker, statement_hash
from .project import Project
from .states import (
    MigrationState,
    Step,
    check_limits,
    interruptible,
    locked,
    migration_states,
    name_session,
    pending_entries,
    refuse_broken,
    refuse_newer_features,
)


def migrate(project: Project, to: str | None = None, fake: bool = False,
            progress: Callable[[Step], None] | None = None, notify: Notify | None = None,
            allow_drift: bool = True, guard_may_skip: bool = False) -> list[Step]:
    """Apply pending migrations in order, each in its own transaction, under an advisory lock; unless
    `allow_drift`, check the live schema against the snapshots before the first file and after the last
    (`guard_may_skip`: a role that cannot build the schema's canonical form skips the check, saying so)."""
    folder = project.folder
    done: list[Step] = []
    what = ["waiting for the migration lock", "nothing changed"]
    with interruptible(what), locked(project, create_table=True, notify=notify) as (conn, tracker):
        states = migration_states(folder, tracker.applied())
        refuse_broken(states, folder)
        pending = pending_entries(states, folder, to)
        texts = {e.name: up_text(folder, e) for e in pending}  # check every file before running any
        refuse_newer_features(conn, [(folder.up_path(name).name, text) for name, text in texts.items()])
        if fake or not pending:
            return _fake(folder, tracker, pending, progress)
        check_limits(conn, project.limits)
        _refuse_unrecordable(tracker, folder, texts)
        guarded = not allow_drift and _guard(guard_before, guard_may_skip, notify, project, conn, states)
        with Watcher(project.connection_params(), conn.info.backend_pid, notify or (lambda line: None),
                     project.limits.report_every) as watcher:
            ex = Executor(conn, project.limits, notify, watcher)
            started = {s.name: s.done for s in states if s.state == "partial"}
            for e in pending:
                done.append(_apply_one(project, tracker, ex, e, started.get(e.name), what))
                if progress:
                    progress(done[-1])
        if guarded:  # not skipped before the first file (said once)
            _guard(guard_after, guard_may_skip, notify, project, conn, pending[-1])
    return done


def _guard(check: Callable[..., None], may_skip: bool, notify: Notify | None, *args: Any) -> bool:
    """Run one side of the schema guard; False when it was skipped."""
    try:
        check(*args)
    except CannotCanonicalise as exc:
        if not may_skip:
            raise
        if notify:
            notify(f"  schema guard skipped: {exc} (or SCHEMAKIT['SCHEMA_GUARD'] = False to silence this)")
        return False
    return True


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
    from .status import drift  # the differ and introspection: only when a guard runs

    differences = drift(project, conn, expected)
    if differences:
        raise DriftError(f"the database differs from the snapshot of {applied[-1].name}, so the pending migrations "
                         f"may not do what they say; it would need: {'; '.join(differences)} "
                         "(fix it, or run with --allow-drift)")


def guard_after(project: Project, conn: psycopg.Connection, last: md.Entry) -> None:
    """After the last file: the database must match its snapshot (a custom migration may change what the
    schema module does not declare)."""
    expected, _, _ = project.folder.read_snapshot(last.index)
    from .status import drift  # the differ and introspection: only when a guard runs

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
        step.ms = ex.run_file(path.name, text, True, lambda ms: tracker.add(e.name, cs, ms))
        return step
    if start is None:
        tracker.begin(e.name, cs)
    hashes = [statement_hash(s) for s in md.split_statements(text, path.name)]
    step.ms = ex.run_file(path.name, text, False, lambda ms: tracker.record(e.name, cs, ms), start,
                          lambda n, statement: tracker.progress(e.name, n, hashes))
    return step


def _refuse_unrecordable(tracker: Tracker, folder: md.MigrationsDir, texts: dict[str, str]) -> None:
    """A no-transaction file's progress is an UPDATE of its row: without that privilege, say so before it runs."""
    for name, text in texts.items():
        if not md.is_transactional(text):
            tracker.require_update(f"{folder.up_path(name).name} is a no-transaction file: its progress is recorded "
                                   "statement by statement")
            return


def plan_migrate(project: Project, to: str | None = None) -> list[Step]:
    """Return the pending migrations and their SQL, changing nothing."""
    folder = project.folder
    folder.ensure_valid()
    from ..history.lint import lint_text
    from ..history.plan_locks import annotate

    with project.connect() as conn:
        states = migration_states(folder, Tracker(conn, *project.tracking).applied())
        refuse_broken(states, folder)
        steps = [Step(e.name, up_text(folder, e)) for e in pending_entries(states, folder, to)]
        for step in steps:
            found = lint_text(f"{step.name}.sql", step.sql)
            step.notes = [(sql, annotate(conn, sql) + [f"lint [{f.rule}]: {f.why}" for f in found if f.statement == n])
                          for n, sql in enumerate(md.split_statements(step.sql, f"{step.name}.sql"), 1)]
    return steps


def up_text(folder: md.MigrationsDir, e: md.Entry) -> str:
    """A pending file's text, refused if it is transactional and controls transactions itself."""
    path = folder.up_path(e.name)
    text = folder.read_sql(path)
    md.split_statements(text, path.name)  # a file the parser cannot read stops the run before anything runs
    if md.is_transactional(text):
        md.refuse_transaction_control(path.name, text)
    return text


def baseline(project: Project, name: str) -> list[str]:
    """Record every migration up to and including `name` as applied, on a database with none applied."""
    folder = project.folder
    target = folder.resolve(name)
    with locked(project, create_table=True) as (_, tracker):
        if tracker.applied():
            raise UsageError("--baseline needs a database with no migrations applied; this one has some")
        names = []
        for e in folder.journal()[: target.index + 1]:
            tracker.add(e.name, md.checksum(folder.up_path(e.name).read_bytes()), 0)
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
    with interruptible(what), locked(project, False, "db_rollback", notify) as (conn, tracker):
        chosen = _rollback_entries(folder, tracker, steps, to)
        partial = {s.name: s for s in migration_states(folder, tracker.applied()) if s.state == "partial"}
        texts = {e.name: down_text(folder, e, force) for e in chosen}  # check every file before running any
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
    from ..history.runner import concurrent_index, dropped_index, repair

    up = md.split_statements(folder.read_sql(folder.up_path(state.name)), f"{state.name}.sql")
    done = state.done or 0
    if done < len(up) and repair(conn, up[done]) == "done":
        done += 1  # the interrupted statement had finished (its index is there and valid)
    built = [concurrent_index(s) for s in up[:done]]
    undo = [d for d in md.split_statements(down, folder.down_path(state.name).name) if dropped_index(d) in {b[0] for b in built if b}]
    if None in built or len(undo) != done:
        raise MigrationsDirError(f"{folder.down_path(state.name)}: cannot tell which statements undo the {done} of "
                                 f"{len(up)} that ran ({state.progress}); undo them by hand, then db_migrate --fake")
    return md.join_statements(undo, transactional=False) if undo else ""


def empty_down(folder: md.MigrationsDir, name: str) -> str | None:
    """Why the down file of migration `name` cannot undo it (it has no statement), or None."""
    path = folder.down_path(name)
    if path.exists() and not md.split_statements(folder.read_sql(path), path.name):
        return f"{path.name} has no statement: db_rollback refuses it without --force (write the SQL that undoes {name})"
    return None


def plan_rollback(project: Project, steps: int | None = None, to: str | None = None) -> list[tuple[Step, list[str]]]:
    """The down files a rollback would run, newest first, each with what it drops and the rows lost."""
    from ..history.losses import dropped

    folder = project.folder
    with locked(project, create_table=False) as (conn, tracker):
        chosen = _rollback_entries(folder, tracker, steps, to)
        return [(Step(e.name, text), dropped(conn, text)) for e in chosen for text in [down_text(folder, e, True)]]


def _rollback_entries(folder: md.MigrationsDir, tracker: Tracker, steps: int | None, to: str | None) -> list[md.Entry]:
    states = migration_states(folder, tracker.applied())
    refuse_broken(states, folder)
    applied = [s.entry for s in states if s.state in ("applied", "partial") and s.entry is not None]
    if to is not None:
        target = folder.resolve(to)
        return list(reversed([e for e in applied if e.index > target.index]))
    n = 1 if steps is None else steps
    if n < 1:
        raise UsageError("--steps must be 1 or more")
    return list(reversed(applied[-n:]))


def down_text(folder: md.MigrationsDir, e: md.Entry, force: bool = False) -> str:
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


