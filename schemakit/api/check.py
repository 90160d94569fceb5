"""db_check: the folder is consistent, the schema is generated, pending SQL is linted."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diff.renames import Resolver
from ..errors import SchemaKitError, UsageError
from ..history import folder as md
from ..history.citus import citus_findings
from ..history.folder import is_transactional, transaction_control
from ..history.lint import Finding, lint_text
from ..history.tracker import Tracker
from ..pg.introspect import unmanaged
from .generate import plan_changes
from .migrate import empty_down
from .project import Project
from .states import migration_states, refuse_broken
from .status import drift


@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    unmanaged: list[str] = field(default_factory=list)


def check(project: Project, database: bool = False, latest: int | None = None, since: str | None = None) -> CheckReport:
    """Check the folder, the schema module and (with `database`) the live database; lint pending files,
    or without a database the `latest` N files or those after `since` (else every file)."""
    report = CheckReport()
    folder = project.folder
    report.errors += [f"migrations folder: {p}" for p in folder.validate()]
    if report.errors:
        return report
    report.errors += [why for e in folder.journal() if (why := empty_down(folder, e.name))]
    try:
        _, _, plan, _ = plan_changes(project, Resolver(no_renames=True))
    except SchemaKitError as exc:
        report.errors.append(str(exc))
        return report
    if plan:
        report.errors.append("the schema module has changes not yet generated: " + "; ".join(o.describe() for o in plan.ops)
                             + " (run db_generate)")
    pending = _chosen(folder, latest, since)
    if database:
        pending = _check_database(project, report, pending, chosen=latest is not None or since is not None)
    whole = md.MigrationsDir(folder.path)  # with tenants: lint both parts of each file
    for name in pending:
        _lint(project, report, name, whole.read_sql(folder.up_path(name)))
    return report


def _check_database(project: Project, report: CheckReport, pending: list[str], chosen: bool) -> list[str]:
    """Broken files, drift and unmanaged objects of the live database; its pending files unless `chosen`."""
    folder = project.folder
    with project.connect() as conn:
        states = migration_states(folder, Tracker(conn, *project.tracking).applied())
        try:
            refuse_broken(states, folder)
        except SchemaKitError as exc:
            report.errors.append(str(exc))
        if not chosen:
            pending = [s.name for s in states if s.state in ("pending", "partial")]
        applied = [s.entry for s in states if s.state != "pending" and s.entry is not None]
        if applied and project.part is None:  # with tenants the database holds tenants' copies: no one snapshot
            expected, _, _ = folder.read_snapshot(applied[-1].index)
            report.errors += [f"drift: {line}" for line in drift(project, conn, expected)]
        report.unmanaged = unmanaged(conn, project.ignored)
    return pending


def _lint(project: Project, report: CheckReport, name: str, text: str) -> None:
    findings = lint_text(f"{name}.sql", text)  # a file that does not parse is one unparsable finding
    if is_transactional(text) and not any(f.statement == 0 for f in findings):
        report.errors += [f"{name}.sql: {found}: transaction control in a transactional file"
                          for found in transaction_control(text, f"{name}.sql")]
    report.errors += [str(f) for f in findings if f.statement == 0]  # db_migrate would refuse the file
    report.warnings += [f for f in findings if f.statement]
    if project.citus is not None:
        report.warnings += citus_findings(f"{name}.sql", text, project.citus)


def _chosen(folder, latest: int | None, since: str | None) -> list[str]:
    names = [e.name for e in folder.journal()]
    if latest is not None:
        if latest < 0:
            raise UsageError("--latest must be 0 or more")
        return names[len(names) - latest:] if latest else []
    if since is not None:
        return names[folder.resolve(since).index + 1:]
    return names
