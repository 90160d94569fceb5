from __future__ import annotations

import sys

from ...api import generate, plan_changes
from ...diff.renames import Resolver, parse_rename_flags
from ..base import SchemaKitCommand, add_rename_arguments
from .db_models import stale_models_file


class Command(SchemaKitCommand):
    help = "Diff the schema module against the latest snapshot and write the next SQL migration."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--name", help="name the migration (default: a random adjective_noun)")
        parser.add_argument("--custom", action="store_true", help="write an empty migration for hand-written SQL")
        parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if there are ungenerated changes")
        add_rename_arguments(parser)

    def handle(self, *args, **options) -> None:
        project = self.project(options)
        if options["check"]:
            _, _, plan, _ = plan_changes(project, Resolver(parse_rename_flags(options["rename"]), True))
            if plan:
                self.stdout.write("The schema has changes not yet generated:")
                for op in plan.ops:
                    self.stdout.write(f"  {op.describe()}")
                sys.exit(1)
            self.stdout.write("No schema changes")
            return
        result = generate(project, self.resolver(options), options["name"], options["custom"])
        self.remind_models(project)
        if result is None:
            self.stdout.write("No schema changes")
            return
        for name, text in result.sql.items():
            if name.endswith(".down.sql"):
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"-- {name}"))
            self.stdout.write(text)
        for w in result.warnings:
            self.warn(f"warning: {w}")
        for p in result.paths:
            self.ok(f"wrote {p}")

    def remind_models(self, project) -> None:
        stale = stale_models_file(project)
        if stale is not None:
            self.stderr.write(f"reminder: {stale} is out of date: run manage.py db_models")
