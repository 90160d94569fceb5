"""db_status: every migration's state, and drift between the snapshot and the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from ..history.tracker import Tracker
from ..pg.canonical import canonicalize, matches_cached
from ..pg.introspect import introspect
from ..schema import model
from ..schema.snapshot import gc_paused
from .background import Later
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
    with Later(lambda: introspect(conn, project.ignored, connect=project.connect)) as live:
        return _drift(project, live, expected)


def _drift(project: Project, live: Later[model.Database], expected: model.Database,
           source: bytes | None = None) -> list[str]:
    """drift(), with the live schema read in the background while `expected` (read from the snapshot
    text `source`) is canonicalised."""
    from ..diff import diff  # only when the cached canonical form did not already say "no drift"
    from ..diff.renames import Resolver

    want = canonicalize(project.connection_params(), expected, source=source, live=live.result)
    plan = diff(live.result(), want, Resolver(no_renames=True))
    return [op.describe() for op in plan.ops]


def status(project: Project, check_drift: bool = True) -> Status:
    folder = project.folder
    folder.ensure_valid()
    with project.connect() as conn, gc_paused():
        states = migration_states(folder, Tracker(conn, *project.tracking).applied())
        last = [s.entry for s in states if s.state != "pending" and s.entry is not None]
        result = Status(states, None)
        with Later(lambda: unmanaged_of(project)) as others:  # the server answers these while Python reads files
            if check_drift and last and project.part is None:  # with tenants: see fanout.matrix
                result.drift = _status_drift(project, conn, folder, last[-1].index)
            result.unmanaged = others.result()
    return result


def _status_drift(project: Project, conn: psycopg.Connection, folder, index: int) -> list[str]:
    with Later(lambda: introspect(conn, project.ignored, connect=project.connect)) as live:
        source = folder.snapshot_bytes(index)
        if matches_cached(project.connection_params(), source, live.result()):
            return []  # the usual answer, without building the snapshot's model
        expected, _, _ = folder.read_snapshot(index)
        return _drift(project, live, expected, source)
