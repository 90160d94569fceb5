from __future__ import annotations

from django.core.management.base import CommandError

from ...check import check
from ..base import SchemaKitCommand


class Command(SchemaKitCommand):
    help = "Check the migrations folder and the schema module, and lint pending SQL (with --database: checksums, drift)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default=None, help="also check this database's checksums and drift")
        parser.add_argument("--strict", action="store_true", help="lint warnings fail the check too")

    def project(self, options):
        from ...settings_project import project

        return project(options["database"])

    def handle(self, *args, **options) -> None:
        report = check(self.project(options), database=options["database"] is not None)
        for e in report.errors:
            self.stdout.write(self.style.ERROR(f"error: {e}"))
        for w in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {w}"))
        for u in report.unmanaged:
            self.stdout.write(f"unmanaged: {u}")
        if report.errors or (options["strict"] and report.warnings):
            raise CommandError(f"check failed: {len(report.errors)} error(s), {len(report.warnings)} warning(s)", returncode=1)
        self.ok(f"OK: {len(report.warnings)} lint warning(s).")
