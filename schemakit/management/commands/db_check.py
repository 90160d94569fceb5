from __future__ import annotations

import json
import os

from django.core.management.base import CommandError

from ...api.check import check
from ...api.project import project_for
from .. import targets
from ..base import SchemaKitCommand


class Command(SchemaKitCommand):
    help = "Check the migrations folder and the schema module, and lint pending SQL (with --database: checksums, drift)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", action="append", default=None, metavar="ALIAS",
                            help="also check this database's checksums and drift (repeatable)")
        parser.add_argument("--all-databases", action="store_true", help="--database for each SCHEMAKIT['DATABASES']")
        parser.add_argument("--strict", action="store_true", help="lint warnings fail the check too")
        parser.add_argument("--latest", type=int, metavar="N", help="lint only the newest N migration files")
        parser.add_argument("--since", metavar="NAME", help="lint only the migration files after NAME")
        parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                            help="json: one object; github: workflow annotations with file and line")

    def handle(self, *args, **options) -> None:
        live = bool(options["database"] or options["all_databases"])
        aliases = targets.aliases(options) if live else [None]
        for alias in aliases:
            project = project_for(alias)
            report = check(project, live, options["latest"], options["since"])
            if alias is not None and len(aliases) > 1:
                self.stdout.write(f"{alias}:")
            self.report(report, options, project)

    def report(self, report, options, project) -> None:
        failed = bool(report.errors or (options["strict"] and report.warnings))
        if options["format"] != "text":
            self._machine(report, options["format"], project.folder)
            if failed:  # standard output stays machine-readable; the line goes to standard error
                raise CommandError(f"check failed: {len(report.errors)} error(s), {len(report.warnings)} warning(s)", returncode=1)
            return
        for e in report.errors:
            self.stdout.write(self.style.ERROR(f"error: {e}"))
        for w in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {w}. Safer: {w.fix}"))
        for u in report.unmanaged:
            self.stdout.write(f"unmanaged: {u}")
        if failed:
            raise CommandError(f"check failed: {len(report.errors)} error(s), {len(report.warnings)} warning(s)", returncode=1)
        self.ok(f"OK: {len(report.warnings)} lint warning(s).")

    def _machine(self, report, fmt: str, folder) -> None:
        if fmt == "json":
            data = {"errors": report.errors, "warnings": [w.as_dict() for w in report.warnings], "unmanaged": report.unmanaged}
            self.stdout.write(json.dumps(data, indent=2))
            return
        for e in report.errors:
            self.stdout.write(f"::error title=schemakit::{_escape(e)}")
        for w in report.warnings:
            path = os.path.relpath(folder.path / w.file)
            self.stdout.write(f"::warning file={path},line={w.line},title={w.rule}::{_escape(f'{w.why}. Safer: {w.fix}')}")


def _escape(text: str) -> str:
    """GitHub's workflow-command escaping of a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
