"""db_status: every migration's state, and drift between the snapshot and the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from ..diff import diff
from ..diff.renames import Resolver
from ..history.tracker import Tracker
from ..pg.canonical import canonicalize
from ..pg.introspect import introspect, unmanaged
from ..schema import model
from .project import Project
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
    live = introspect(conn, project.ignored)
    want = canonicalize(project.connection_params(), expected)
    plan = diff(live, want, Resolver(no_renames=True))
    return [op.describe() for op in plan.ops]


def status(project: Project, check_drift: bool = True) -> Status:
    folder = project.folder
    folder.ensure_valid()
    with project.connect() as conn:
        states = migration_states(folder, Tracker(conn, *project.tracking).applied())
        last = [s.entry for s in states if s.state != "pending" and s.entry is not None]
        result = Status(states, None, unmanaged(conn, project.ignored))
        if check_drift and last and project.part is None:  # with tenants: see fanout.matrix
            expected, _, _ = folder.read_snapshot(last[-1].index)
            result.drift = drift(project, conn, expected)
    return result
