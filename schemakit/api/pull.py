"""db_pull: a schema module that reproduces the live database."""

from __future__ import annotations

from ..pg.introspect import introspect, unmanaged
from ..schema.writer import write_module
from .project import Project


def pull(project: Project) -> str:
    """Return a schema module that reproduces the live database; what the schema language cannot say
    (unmanaged objects and properties) is listed in a comment at its top."""
    return pull_report(project)[0]


def pull_report(project: Project) -> tuple[str, list[str]]:
    """The pulled module, and the unmanaged objects and properties it leaves out."""
    with project.connect() as conn:
        db = introspect(conn, project.ignored)
        left_out = unmanaged(conn, project.ignored)
        name = conn.info.dbname
    return write_module(db, f"Schema of database {name!r}, pulled by schemakit db_pull.", left_out), left_out

