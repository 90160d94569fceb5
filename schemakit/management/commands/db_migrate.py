from __future__ import annotations

import dataclasses

from ... import conf
from ...api.migrate import baseline, migrate, plan_migrate
from ...api.states import Step
from ...interrupts import sigterm_interrupts
from ..base import SchemaKitCommand


class Command(SchemaKitCommand):
    help = "Apply pending SQL migrations in order, each in its own transaction, under an advisory lock."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--to", metavar="NAME", help="stop after this migration (stem or number)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--plan", action="store_true", help="print the SQL that would run and the lock each statement takes; change nothing")
        mode.add_argument("--fake", action="store_true", help="record pending migrations without running them")
        mode.add_argument("--baseline", metavar="NAME", help="record migrations up to NAME as applied (adoption)")
        parser.add_argument("--lock-timeout", metavar="TIME", help="how long a statement may wait for a lock, e.g. 5s "
                            "(default SCHEMAKIT['LOCK_TIMEOUT']; 0 waits forever)")
        parser.add_argument("--statement-timeout", metavar="TIME", help="how long a statement may run, e.g. 10min "
                            "(default SCHEMAKIT['STATEMENT_TIMEOUT'])")
        parser.add_argument("--guard", action="store_true", help="compare the live schema with the snapshots before "
                            "the first file and after the last (default SCHEMAKIT['SCHEMA_GUARD'])")
        parser.add_argument("--allow-drift", action="store_true", help="skip the schema guard")
        parser.add_argument("--retries", type=int, metavar="N", help="retries after a lock timeout (default SCHEMAKIT['RETRIES'])")

    def handle(self, *args, **options) -> None:
        project = self.project(options)
        overrides = {k: options[k] for k in ("lock_timeout", "statement_timeout", "retries") if options[k] is not None}
        project.limits = dataclasses.replace(project.limits, **overrides)
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
                for n, (sql, notes) in enumerate(s.notes, 1):
                    self.stdout.write(f"-- statement {n}: " + ("; ".join(notes) if notes else "takes no table lock"))
                    self.stdout.write(sql)
            return
        verb = "faked" if options["fake"] else "applied"

        def progress(step: Step) -> None:
            self.stdout.write(f"  {verb} {step.name}" + ("" if options["fake"] else f" ({step.ms} ms)"))
            if options["verbosity"] >= 2 and not options["fake"]:
                self.stdout.write(step.sql)

        with sigterm_interrupts():
            done = migrate(project, options["to"], options["fake"], progress, notify=self.stdout.write,
                           allow_drift=options["allow_drift"] or not (options["guard"] or conf.schema_guard()))
        if done:
            self.ok(f"{len(done)} migration(s) {verb}.")
        else:
            self.stdout.write("No pending migrations.")
