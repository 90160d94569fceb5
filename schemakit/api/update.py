"""db_generate --update: write the newest migration again, while no database has applied it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import DatabaseUnavailable, UsageError
from ..history import folder as md
from ..history.tracker import Tracker
from .generate import CUSTOM_HEADER
from .project import Project


def newest(folder: md.MigrationsDir) -> list[md.Entry]:
    """The entries the last db_generate wrote (one, or a transactional one and the no-transaction one after it)."""
    entries = folder.journal()
    if not entries:
        raise UsageError("--update: there is no migration to update")
    return [e for e in entries if e.created == entries[-1].created]


def applied_names(project: Project) -> set[str] | None:
    """Names recorded in the project's database; None when it cannot be reached."""
    try:
        with project.connect() as conn:
            return {a.name for a in Tracker(conn, *project.tracking).applied()}
    except DatabaseUnavailable:
        return None


@contextlib.contextmanager
def taken_out(project: Project) -> Iterator[str]:
    """Remove the newest migration and yield its name (without the number); put it back if generating fails."""
    folder = project.folder
    folder.ensure_valid()
    chosen = newest(folder)
    for e in chosen:
        if folder.read_sql(folder.up_path(e.name)).startswith(CUSTOM_HEADER):
            raise UsageError(f"--update: {e.name} is a custom migration; edit it by hand")
    applied = applied_names(project) or set()
    for e in chosen:
        if e.name in applied:
            raise UsageError(f"--update: {e.name} is applied to the database; roll it back first (db_rollback)")
    saved = _read(folder, chosen)
    folder.drop_newest(len(chosen))
    try:
        yield chosen[0].name.split("_", 1)[1]
    except BaseException:
        folder.drop_newest(len(folder.journal()) - chosen[0].index)  # whatever was written half-way
        _restore(folder, saved, chosen)
        raise


def _read(folder: md.MigrationsDir, entries: list[md.Entry]) -> dict[Path, str]:
    paths = [p for e in entries for p in (folder.up_path(e.name), folder.down_path(e.name), folder.snapshot_path(e.index))]
    return {p: p.read_text() for p in paths if p.exists()}


def _restore(folder: md.MigrationsDir, saved: dict[Path, str], entries: list[md.Entry]) -> None:
    import json
    from dataclasses import asdict

    for p, text in saved.items():
        p.write_text(text)
    journal = json.loads((folder.meta / "_journal.json").read_text())
    journal["entries"] += [asdict(e) for e in entries]
    (folder.meta / "_journal.json").write_text(json.dumps(journal, indent=2) + "\n")
