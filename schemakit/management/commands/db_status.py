from __future__ import annotations

import json

from django.core.management.base import CommandError

from ...api.status import Status, status
from .. import targets
from ..base import SchemaKitCommand

LABELS = {"applied": "applied", "pending": "pending", "partial": "PARTIAL", "edited": "EDITED ", "missing": "MISSING"}


def as_json(report: Status) -> str:
    migrations = [{"name": m.name, "state": m.state,
                   "applied_at": m.applied.applied_at.isoformat() if m.applied else None,
                   "execution_ms": m.applied.execution_ms if m.applied else None} for m in report.migrations]
    data = {"migrations": migrations, "drift": report.drift, "unmanaged": report.unmanaged, "ok": not report.problems}
    return json.dumps(data, indent=2)


class Command(SchemaKitCommand):
    help = "Show applied, pending, edited and missing migrations, and drift of the live database."
    many_targets = True

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--check", "--exit-code", action="store_true", dest="check",
                            help="exit 1 when anything is pending, edited, missing or drifted")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (json for CI)")

    def handle(self, *args, **options) -> None:
        if targets.is_fanout(options):
            return self.matrix(options)
        project = self.project(options)
        report = status(project)
        if options["format"] == "json":
            self.stdout.write(as_json(report))
        else:
            self.print_text(report)
            if project.part is not None:
                self.stdout.write("(the shared pass only: db_status --tenants shows each tenant)")
        if options["check"] and report.problems:
            raise CommandError("migrations are pending, edited or missing, or the database drifted", returncode=1)

    def matrix(self, options) -> None:
        """Several databases or tenants: one row per target (one catalog query per database)."""
        from ...api.fanout import fleet, states, targets_of  # only a run over many targets

        with fleet(targets.projects(options)) as f:
            found = states(f, targets_of(f, options["tenants"], options["tenant"] or []))
        if options["format"] == "json":
            self.stdout.write(targets.matrix_json(found))
        else:
            for line in targets.matrix_lines(found):
                self.stdout.write(line)
        if options["check"] and any(s.state != "up to date" for s in found):
            raise CommandError("some targets are pending, failed or edited", returncode=1)

    def print_text(self, report: Status) -> None:
        if not report.migrations:
            self.stdout.write("No migrations in the folder yet.")
        for m in report.migrations:
            when = f"  {m.applied.applied_at:%Y-%m-%d %H:%M:%S} {m.applied.execution_ms} ms" if m.applied else ""
            if m.progress:
                when = f"  {m.progress} (db_migrate resumes it)" if m.state == "partial" else f"  {m.progress}"
            style = self.style.SUCCESS if m.state == "applied" else self.style.WARNING if m.state == "pending" else self.style.ERROR
            self.stdout.write(style(f"  [{LABELS[m.state]}] {m.name}{when}"))
        counts = {k: sum(1 for m in report.migrations if m.state == k) for k in LABELS}
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
        if report.drift is None:
            self.stdout.write("Drift: not checked (no migration applied yet, or tenants: each holds its own copy).")
        elif not report.drift:
            self.ok("Drift: none; the database matches the snapshot of the last applied migration.")
        else:
            self.stdout.write(self.style.ERROR("Drift: the database differs from the last applied snapshot; to match it, it would need:"))
            for line in report.drift:
                self.stdout.write(f"  {line}")
        if report.unmanaged:
            self.stdout.write("Unmanaged (schemakit leaves these alone):")
            for line in report.unmanaged:
                self.stdout.write(f"  {line}")
