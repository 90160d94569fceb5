"""The two parts of a migration file in a project with tenants: shared statements, then tenant statements.

A generated file of such a project has one marker line; what precedes it runs once per database (the
shared pass), what follows it runs in every tenant schema with search_path set to that schema. A file
without the marker is all shared (files written before TENANTS was set keep their meaning)."""

from __future__ import annotations

import re
from pathlib import Path

from . import folder as md
from .seal import unseal

TENANT_MARKER = "-- schemakit:tenant-part"
PER_DATABASE, PER_TENANT = "shared", "tenant"  # the shared pass runs once per database
_MARKER = re.compile(r"^[ \t]*" + re.escape(TENANT_MARKER) + r"[ \t]*\r?$", re.MULTILINE)
# a down part with nothing to undo still has to run (an empty down file means "forgot to write it")
NOTHING = "SELECT 'schemakit: nothing to undo in this part';\n"


def join_parts(shared: list[str], tenant: list[str], transactional: bool) -> str:
    """A file's text: the shared statements, the marker, the tenant statements."""
    head = md.join_statements(shared, transactional)
    tail = md.join_statements(tenant, True)
    return f"{head}{md.BREAKPOINT}\n{TENANT_MARKER}\n{tail}" if head.strip() else f"{head}{TENANT_MARKER}\n{tail}"


def split_parts(text: str) -> tuple[str, str] | None:
    """(shared text, tenant text) of a file with the marker, each runnable on its own; None without it."""
    found = _MARKER.search(text)
    if found is None:
        return None
    shared, tenant = text[:found.start()], text[found.end():]
    if not md.is_transactional(text):
        tenant = md.NO_TRANSACTION + "\n" + tenant
    return shared, tenant


def part_of(text: str, part: str) -> str:
    """The statements of `part` in a file's text (a file without the marker is all shared)."""
    parts = split_parts(text)
    if parts is None:
        return text if part == PER_DATABASE else ""
    return parts[0] if part == PER_DATABASE else parts[1]


class PartDir(md.MigrationsDir):
    """A migrations folder whose files read as one part only; checksums still cover whole files."""

    def __init__(self, path: Path, part: str) -> None:
        super().__init__(path)
        self.part = part

    def read_sql(self, path: Path) -> str:
        text = super().read_sql(path)
        if not path.name.endswith(".down.sql"):
            return part_of(text, self.part)
        opened = unseal(text)  # the seal covers the whole file: checked before the file is cut
        if opened is None:
            return text  # db_rollback refuses it as edited
        body = part_of(opened, self.part)
        return body if md.split_statements(body) or split_parts(opened) is None else NOTHING
