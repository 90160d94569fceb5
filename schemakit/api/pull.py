"""db_pull: a schema module that reproduces the live database."""

from __future__ import annotations

from ..pg.introspect import introspect, unmanaged
from ..schema.snapshot import gc_paused
from .background import Later
from .project import Project


def pull(project: Project) -> str:
    """Return a schema module that reproduces the live database; what the schema language cannot say
    (unmanaged objects and properties) is listed in a comment at its top."""
    return pull_report(project)[0]


def pull_report(project: Project) -> tuple[str, list[str]]:
    """The pulled module, and the unmanaged objects and properties it leaves out."""
    from ..schema.writer import Writer  # not for db_status, which shares unmanaged_of

    # the unmanaged report on a connection of its own, needed last: for the module's head
    with project.connect() as conn, gc_paused(), Later(lambda: unmanaged_of(project)) as left:
        writer = Writer(introspect(conn, project.ignored, connect=project.connect))
        title = f"Schema of database {conn.info.dbname!r}, pulled by schemakit db_pull."
        body = writer.body()
        left_out = left.result()
    return writer.head(title, left_out) + body, left_out


def unmanaged_of(project: Project) -> list[str]:
    """pg.introspect.unmanaged on a connection of its own."""
    with project.connect() as conn:
        return unmanaged(conn, project.ignored)
