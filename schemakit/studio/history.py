"""What the studio knows from schemakit itself: drift per table, migrations and what each changed, diagram sources."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg

from .. import api
from ..api.project import project_for
from ..diff import diff
from ..diff.renames import Resolver
from ..errors import DatabaseUnavailable, SchemaKitError
from ..history.folder import checksum
from ..pg.introspect import introspect
from ..schema import model
from .session import Unreachable, alias, database_error, one_line, params


class Unavailable(Exception):
    """Something the page needs cannot be read (a broken schema module, an unknown migration)."""


@dataclass
class Drift:
    checked: bool = False
    error: str | None = None
    tables: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)  # differences not tied to one table


def _op_table(op: Any) -> tuple[str, str] | None:
    table = getattr(op, "table", None)
    if isinstance(table, model.Table):
        return table.key
    if isinstance(table, str):
        return (op.schema, table)
    return None


def drift_by_table() -> Drift:
    """The live database against the snapshot of the last applied migration, as db_status computes it."""
    proj = project_for(alias())
    out = Drift()
    try:
        status = api.status(proj, check_drift=False)
        applied = [s for s in status.migrations if s.state != "pending" and s.entry is not None]
        if not applied:
            return out
        expected, _, _ = proj.folder.read_snapshot(applied[-1].entry.index)
        with proj.connect() as conn:
            live = introspect(conn, proj.ignored)
        want = api.canonicalize(proj.connection_params(), expected)
    except (SchemaKitError, psycopg.Error) as exc:
        out.error = one_line(exc) if isinstance(exc, psycopg.Error) else str(exc)
        return out
    out.checked = True
    # the changes the database would need to match the snapshot, shown on the table they touch
    for op in diff(live, want, Resolver(no_renames=True)).ops:
        key = _op_table(op)
        (out.tables.setdefault(key, []) if key else out.other).append(op.describe())
    return out


@contextlib.contextmanager
def _as_page_errors() -> Iterator[None]:
    """schemakit's and PostgreSQL's errors as the studio's: unreachable (503), unavailable, one line."""
    try:
        yield
    except DatabaseUnavailable as exc:
        raise Unreachable(str(exc)) from None
    except SchemaKitError as exc:
        raise Unavailable(str(exc)) from None
    except psycopg.Error as exc:
        raise database_error(exc) from None


def tables(source: str) -> list[model.Table]:
    """Tables of the live database ("live") or of the schema module ("module")."""
    proj = project_for(alias())
    with _as_page_errors():
        if source == "live":
            params()  # a wrong alias is an unreachable database, not a broken page
        if source == "module":
            return list(proj.load_schema().tables)
        if source != "live":
            raise Unavailable(f"unknown diagram source {source!r} (live or module)")
        with proj.connect() as conn:
            return list(introspect(conn, proj.ignored).tables)


def migrations() -> list[api.MigrationState]:
    params()  # a wrong alias is an unreachable database, not a broken page
    with _as_page_errors():
        return api.status(project_for(alias()), check_drift=False).migrations


def migration(name: str) -> dict[str, Any]:
    """One migration of the journal (never a file named by anything else): its SQL and what it changed."""
    proj = project_for(alias())
    folder = proj.folder
    try:
        entries = folder.journal()
    except SchemaKitError as exc:
        raise Unavailable(str(exc)) from None
    entry = next((e for e in entries if e.name == name), None)
    if entry is None:
        raise Unavailable(f"no migration {name!r} in the journal")
    up, down = folder.up_path(entry.name), folder.down_path(entry.name)
    changes: list[str] = []
    try:
        after, _, _ = folder.read_snapshot(entry.index)
        before = folder.read_snapshot(entry.index - 1)[0] if entry.index > 0 else model.Database()
        changes = [op.describe() for op in diff(before, after, Resolver(no_renames=True)).ops]
    except SchemaKitError as exc:
        changes = [f"(snapshot unreadable: {exc})"]
    state = next((s for s in migrations() if s.name == name), None)
    return {
        "entry": entry, "state": state, "changes": changes,
        "up": up.read_text() if up.is_file() else None, "down": down.read_text() if down.is_file() else None,
        "checksum": checksum(up.read_bytes()) if up.is_file() else None,
    }
