from __future__ import annotations

from ...api import Step, baseline, migrate, plan_migrate
from ..base import SchemaKitCommand


class Command(SchemaKitCommand):
    help = "Apply pending SQL migrations in order, each in its own transaction, under an advisory lock."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--to", metavar="NAME", help="stop after this migration (stem or number)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--plan", action="store_true", help="print the SQL that would run; change nothing")
        mode.add_argument("--fake", action="store_true", help="record pending migrations without running them")
        mode.add_argument("--baseline", metavar="NAME", help="record migrations up to NAME as applied (adoption)")

    def handle(self, *args, **options) -> None:
        project = self.project(options)
        if options["baseline"]:
            names = baseline(project, options["baseline"])
            for n in names:
                self.stdout.write(f"  baselined {n}")
            self.ok(f"Recorded {len(names)} migration(s) as applied without running them.")
            return
        if options["plan"]:
            steps = plan_migrate(project, options["to"])
            if not steps:
                self.stdout.write("No pending migrations.")
            for s in steps:
                self.stdout.write(self.style.MIGRATE_HEADING(f"-- {s.name}.sql"))
                self.stdout.write(s.sql)
            return
        verb = "faked" if options["fake"] else "applied"

        def progress(step: Step) -> None:
            self.stdout.write(f"  {verb} {step.name}" + ("" if options["fake"] else f" ({step.ms} ms)"))
            if options["verbosity"] >= 2 and not options["fake"]:
                self.stdout.write(step.sql)

        done = migrate(project, options["to"], options["fake"], progress)
        if done:
            self.ok(f"{len(done)} migration(s) {verb}.")
        else:
            self.stdout.write("No pending migrations.")
