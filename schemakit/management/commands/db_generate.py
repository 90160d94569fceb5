from __future__ import annotations

import contextlib
import json

from django.core.management.base import CommandError

from ...api.generate import generate, plan_changes
from ...api.update import taken_out
from ...diff.renames import Resolver, parse_rename_flags
from ..base import SchemaKitCommand, add_rename_arguments
from .db_models import stale_models_file


class Command(SchemaKitCommand):
    help = "Diff the schema module against the latest snapshot and write the next SQL migration."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--name", help="name the migration (default: a random adjective_noun)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--custom", action="store_true", help="write an empty migration for hand-written SQL")
        mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if there are ungenerated changes")
        mode.add_argument("--update", action="store_true",
                          help="write the newest migration again (while no database has applied it)")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="output of --check (json for CI)")
        add_rename_arguments(parser)

    def handle(self, *args, **options) -> None:
        project = self.project(options)
        if options["check"]:
            return self.check(project, options)
        update = taken_out(project) if options["update"] else contextlib.nullcontext(None)
        with update as old_name:
            result = generate(project, self.resolver(options), options["name"] or old_name, options["custom"])
        self.remind_models(project)
        if result is None:
            self.stdout.write("No schema changes" + (" (the newest migration was removed)" if options["update"] else ""))
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

    def check(self, project, options) -> None:
        _, _, plan, _ = plan_changes(project, Resolver(parse_rename_flags(options["rename"]), True))
        changes = [op.describe() for op in plan.ops]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"changes": changes, "ok": not changes}, indent=2))
        elif changes:
            self.stdout.write("The schema has changes not yet generated:")
            for c in changes:
                self.stdout.write(f"  {c}")
        else:
            self.stdout.write("No schema changes")
        if changes:
            raise CommandError(f"{len(changes)} schema change(s) not yet generated: run manage.py db_generate", returncode=1)

    def remind_models(self, project) -> None:
        stale = stale_models_file(project)
        if stale is not None:
            self.stderr.write(f"reminder: {stale} is out of date: run manage.py db_models")
