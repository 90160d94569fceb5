"""db_status: every migration's state, and drift between the snapshot and the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from ..diff import diff
from ..diff.renames import Resolver
from ..history.tracker import Tracker
from ..pg.canonical import canonicalize, matches_cached
from ..pg.introspect import introspect
from ..schema import model
from .background import Later, gc_paused
from .project import Project
from .pull import unmanaged_of
from .states import MigrationState, migration_states


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
    return _drift(project, Later(lambda: introspect(conn, project.ignored)), expected)


def _drift(project: Project, live: Later[model.Database], expected: model.Database,
           source: bytes | None = None) -> list[str]:
    """drift(), with the live schema read in the background while `expected` (read from the snapshot
    text `source`) is canonicalised."""
    want = canonicalize(project.connection_params(), expected, source=source, live=live.result)
    plan = diff(live.result(), want, Resolver(no_renames=True))
    return [op.describe() for op in plan.ops]


def status(project: Project, check_drift: bool = True) -> Status:
    folder = project.folder
    folder.ensure_valid()
    with project.connect() as conn, gc_paused():
        states = migration_states(folder, Tracker(conn, *project.tracking).applied())
        last = [s.entry for s in states if s.state != "pending" and s.entry is not None]
        others = Later(lambda: unmanaged_of(project))  # the server answers these while Python reads files
        result = Status(states, None)
        if check_drift and last and project.part is None:  # with tenants: see fanout.matrix
            live = Later(lambda: introspect(conn, project.ignored))
            source = folder.snapshot_bytes(last[-1].index)
            if matches_cached(project.connection_params(), source, live.result()):
                result.drift = []  # the usual answer, without building the snapshot's model
            else:
                expected, _, _ = folder.read_snapshot(last[-1].index)
                result.drift = _drift(project, live, expected, source)
        result.unmanaged = others.result()
    return result
