"""db_generate: the next migration file(s) from the schema module and the last snapshot."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..diff import Plan, diff
from ..diff.plan import early_enum_values, split
from ..diff.plan import transactional as is_transactional
from ..diff.renames import Resolver, inverse
from ..history import folder as md
from ..history.seal import seal_down
from ..pg.render import render_all
from ..schema import model, snapshot
from .project import Project

CUSTOM_HEADER = "-- schemakit:custom"
STAMP = "%Y-%m-%dT%H:%M:%SZ"
TENANT_TEMPLATE = "public"  # with tenants: what the schema module puts here (the default schema) is per tenant


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
    entries = folder.journal()
    index = len(entries)
    created = run_stamp(now or datetime.now(UTC), entries[-1].created if entries else None)
    if custom:
        folder.ensure_valid()
        old, parent = folder.latest()
        body = f"{CUSTOM_HEADER}\n-- Write this migration's SQL here, each statement ending in a semicolon (PostgreSQL's parser splits it)\n"
        down = f"{CUSTOM_HEADER}\n-- Write the SQL that undoes this migration here.\n"
        if project.part is not None:  # tenants: statements after the marker run in every tenant schema
            from ..history.parts import TENANT_MARKER

            body += f"{TENANT_MARKER}\n-- Tenant statements: unqualified names, run once per tenant schema.\n"
            down += f"{TENANT_MARKER}\n"
        return _write(folder, index, name, created, body, down, old, parent, True)[0]
    with snapshot.gc_paused():  # two whole models, their plan, SQL and JSON, and no cycle: collections walk them in vain
        return _generate(project, resolver, folder, index, name, created)


def _generate(project: Project, resolver: Resolver, folder: md.MigrationsDir, index: int, name: str | None,
              created: str) -> Generated | None:
    old, new, plan, parent = plan_changes(project, resolver)
    if not plan:
        return None
    down_resolver = inverse(resolver)
    out = Generated([], {}, [o.describe() for o in plan.warnings])
    for step_ops, before, after in split(plan, old, new):
        transactional = is_transactional(step_ops)
        up = _join(project, step_ops, transactional)
        down_plan = diff(after, before, down_resolver)
        # a down file that puts back an enum value and uses it runs statement by statement (values commit first)
        down_tx = is_transactional(down_plan.ops) and not early_enum_values(down_plan, before)
        down_body = _join(project, down_plan.ops, down_tx)
        down = seal_down(down_body)
        g, parent = _write(folder, index, name, created, up, down, after, parent, transactional)
        out.paths += g.paths
        out.sql.update(g.sql)
        index += 1
    return out


def run_stamp(now: datetime, last: str | None) -> str:
    """The `created` of this run's entries: later than the last entry's, even within the same second,
    because --update finds the files one db_generate wrote by their common `created`."""
    stamp = now.strftime(STAMP)
    try:
        if last is not None and stamp <= last:
            stamp = (datetime.strptime(last, STAMP).replace(tzinfo=UTC) + timedelta(seconds=1)).strftime(STAMP)
    except (ValueError, TypeError):
        pass  # a journal entry of another spelling: the clock's stamp
    return stamp


def _join(project: Project, step_ops: list, transactional: bool) -> str:
    """A file's text; with tenants, the shared statements, then the marker and the tenant statements: those
    of the operations on the default schema's objects, written unqualified."""
    if project.part is None:
        return md.join_statements(render_all(step_ops), transactional)
    from ..history.parts import join_parts
    from ..pg.sqltext import without_schema

    shared, tenant = [], []
    for op in step_ops:
        qualified = render_all([op])
        local = [without_schema(s, TENANT_TEMPLATE) for s in qualified]
        (shared if local == qualified else tenant).extend(local)
    return join_parts(shared, tenant, transactional)


def _write(folder, index, name, created, up, down, db, parent, transactional) -> tuple[Generated, str]:
    """Write one migration; return what was written and the new snapshot's id."""
    entry = md.Entry(index, folder.next_name(index, name), created, transactional)
    sid = str(uuid.uuid4())
    paths = folder.write(entry, up, down, snapshot.dumps(db, sid, parent))
    return Generated(paths, {paths[0].name: up, paths[1].name: down}, []), sid

